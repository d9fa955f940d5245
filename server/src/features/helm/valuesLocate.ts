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

