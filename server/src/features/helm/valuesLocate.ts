/**
 * Where a values path is set in a values file's text: the key's offsets and line, read with the
 * `yaml` package (ranges kept). Multi-document files: Helm merges the documents, the last wins.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';

export interface ValueLocation {
  keyStart: number;
  keyEnd: number;
  /** 0-based line of the key. */
  line: number;
  /** The value's range (the key's when it has none). */
  valueStart: number;
  valueEnd: number;
}

const cache = new Map<string, Array<{ doc: unknown; lc: LineCounter }>>();

export function locateValue(text: string, path: string[]): ValueLocation | undefined {
  let docs = cache.get(text);
  if (!docs) {
    const lc = new LineCounter();
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false }).map((doc) => ({ doc, lc }));
    if (cache.size > 32) cache.clear();
    cache.set(text, docs);
  }
  let found: ValueLocation | undefined;
  for (const { doc, lc } of docs) {
    let node = (doc as { contents?: unknown }).contents;
    let at: ValueLocation | undefined;
    for (const key of path) {
      if (!isMap(node)) {
        at = undefined;
        break;
      }
      // The last of duplicate keys wins, as in Helm.
      const pair = [...node.items].reverse().find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (!pair || !isScalar(pair.key) || !pair.key.range) {
        at = undefined;
        break;
      }
      const [s, e] = pair.key.range;
      const vr = (pair.value as { range?: [number, number, number] } | null)?.range;
      at = { keyStart: s, keyEnd: e, line: lc.linePos(s).line - 1, valueStart: vr ? vr[0] : s, valueEnd: vr ? vr[1] : e };
      node = pair.value;
    }
    if (at) found = at;
  }
  return found;
}

/**
 * Duplicate keys of a values file: Helm keeps the last one without a word, so everything under
 * the first is silently lost. One error on each later key, naming the line of the first.
 */
export function duplicateValueKeys(text: string): Array<{ start: number; end: number; message: string }> {
  const out: Array<{ start: number; end: number; message: string }> = [];
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  const visit = (node: unknown, path: string): void => {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        const first = seen.get(key);
        const [s, e] = pair.key.range;
        if (first !== undefined) {
          const where = path ? ` in ${path}` : '';
          out.push({
            start: s,
            end: e,
            message: `"${key}" appears twice${where} (line ${lc.linePos(first).line} and line ${lc.linePos(s).line}): Helm keeps only the last one, so everything under the first is silently lost. Merge the two blocks.`,
          });
        } else seen.set(key, s);
        visit(pair.value, path ? `${path}.${key}` : key);
      }
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      (node as { items: unknown[] }).items.forEach((item, i) => visit(item, `${path}[${i}]`));
    }
  };
  for (const doc of docs) visit(doc.contents, '');
  return out;
}
