/**
 * Hover in a chart's values files: the values path under the cursor, the value the chart's
 * templates see (after coalescing), and the templates that read it (`.Values.a.b` and
 * `$.Values.a.b`, in the chart and, for `sub.x` in a parent's values, in the subchart `sub`).
 * Pure: from the last chart check.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { isGoMap, Value } from '../../helm/value';
import type { HoverResult } from '../hover';
import type { ChartCheckResult } from './chartCheck';

/** The key path at an offset of a values file, with the key's range. */
export function valuesPathAt(text: string, offset: number): { path: string[]; start: number; end: number } | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  let node: unknown = doc.contents;
  const path: string[] = [];
  let found: { path: string[]; start: number; end: number } | undefined;
  for (let depth = 0; depth < 100 && node; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as { range?: [number, number, number] } | null;
        const v = p.value as { range?: [number, number, number] } | null;
        const s = k?.range?.[0] ?? 0;
        const e = v?.range?.[1] ?? k?.range?.[1] ?? 0;
        return offset >= s && offset <= e;
      });
      if (!pair || !isScalar(pair.key) || !pair.key.range) return found;
      path.push(String(pair.key.value));
      const [s, e] = pair.key.range;
      if (offset >= s && offset <= e) return { path: [...path], start: s, end: e };
      found = { path: [...path], start: s, end: e };
      node = pair.value;
    } else if (isSeq(node)) return found;
    else return found;
  }
  return found;
}

/** Where templates read a values path: `templates/deployment.yaml:12`, for the chart at `chartDir` ('' = root). */
export function readersOf(result: ChartCheckResult, chartDir: string, path: string[]): string[] {
  const out: string[] = [];
  const scan = (dir: string, p: string[]): void => {
    if (p.length === 0) return;
    const re = new RegExp(`\\.Values\\.${p.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\.')}(?![\\w])`, 'g');
    for (const [file, parsed] of result.parsed) {
      const rel = file.startsWith(dir) ? file.slice(dir.length) : undefined;
      if (rel === undefined || !/^templates\//.test(rel)) continue;
      let m: RegExpExecArray | null;
      while ((m = re.exec(parsed.text))) out.push(`${file}:${parsed.text.slice(0, m.index).split('\n').length}`);
    }
    // A parent's `sub.x` is the subchart's `.Values.x`.
    const sub = p[0];
    if (result.parsed.size && [...result.parsed.keys()].some((f) => f.startsWith(`${dir}charts/${sub}/templates/`))) scan(`${dir}charts/${sub}/`, p.slice(1));
  };
  scan(chartDir, path);
  const key = (r: string): [string, number] => [r.slice(0, r.lastIndexOf(':')), Number(r.slice(r.lastIndexOf(':') + 1))];
  return out.sort((a, b) => key(a)[0].localeCompare(key(b)[0]) || key(a)[1] - key(b)[1]);
}

export function hoverValuesFile(result: ChartCheckResult, relPath: string, text: string, offset: number): HoverResult | undefined {
  const at = valuesPathAt(text, offset);
  if (!at) return undefined;
  const chartDir = relPath.replace(/[^/]*$/, '');
  // The value the templates see: the root's coalesced values, under the subchart's name for a subchart's file.
  const prefix = chartDir.split('/').filter((x, i, all) => i % 2 === 1 && all[i - 1] === 'charts');
  let v: Value = result.prepared?.values;
  for (const k of [...prefix, ...at.path]) v = isGoMap(v) ? v[k] : undefined;
  const readers = readersOf(result, chartDir, at.path);
  let md = `**.Values.${at.path.join('.')}**`;
  if (v !== undefined && !isGoMap(v) && !Array.isArray(v)) md += ` = \`${typeof v === 'string' ? JSON.stringify(v) : String(v)}\` in the values in use`;
  md += readers.length ? `\n\nRead by ${readers.slice(0, 10).map((r) => `\`${r}\``).join(', ')}${readers.length > 10 ? ` and ${readers.length - 10} more` : ''}.` : '\n\nNo template reads it directly (it may be read through a variable, `with`, `toYaml` of its parent, or by a subchart).';
  return { contents: md, range: { start: at.start, end: at.end } };
}
