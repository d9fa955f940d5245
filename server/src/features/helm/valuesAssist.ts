/**
 * Hover in a chart's values files: the values path under the cursor, the value the chart's
 * templates see (after coalescing), and the templates that read it (valuesRefs.ts: through
 * `with`, `range`, variables and defines, in subcharts for a parent's `sub.x`); then what
 * values.schema.json says of it (description, type, enum, default) and, in a file other than
 * the chart's values.yaml, the chart's default with the comment above it there.
 * Pure: from the last chart check.
 */
import { isGoMap, Value } from '../../helm/value';
import type { HoverResult } from '../hover';
import type { ChartCheckResult } from './chartCheck';
import { chartModelOf } from './chartModel';
import { keyDocumentation } from './valuesCompletion';
import { readersOfKey, valuesKeys, ValuesKey } from './valuesRefs';
import { keyFactsAt, modelWithValuesFile, scopeOfValuesFile, valuesScopeTree } from './valuesScope';

/** The innermost key at an offset of a values file (from valuesRefs' keys), with the key's range. */
export function valuesPathAt(text: string, offset: number): { path: string[]; start: number; end: number } | undefined {
  let best: ValuesKey | undefined;
  for (const k of valuesKeys(text)) {
    if (k.viaAlias || offset < k.keyStart || offset > Math.max(k.keyEnd, k.valueEnd)) continue;
    if (!best || k.path.length >= best.path.length) best = k;
  }
  return best && { path: best.path, start: best.keyStart, end: best.keyEnd };
}

export function hoverValuesFile(result: ChartCheckResult, relPath: string, text: string, offset: number, textOf: (rel: string) => string | undefined): HoverResult | undefined {
  const at = valuesPathAt(text, offset);
  if (!at) return undefined;
  const chartDir = relPath.replace(/[^/]*$/, '');
  // The value the templates see: the root's coalesced values, under the subchart's name for a subchart's file.
  const prefix = chartDir.split('/').filter((x, i, all) => i % 2 === 1 && all[i - 1] === 'charts');
  let v: Value = result.prepared?.values;
  for (const k of [...prefix, ...at.path]) v = isGoMap(v) ? v[k] : undefined;
  const base = chartModelOf(result, textOf);
  const model = base && modelWithValuesFile(base, relPath, text);
  const readers = model ? [...new Set(readersOfKey(model, relPath, offset).map((r) => `${r.path}:${r.line + 1}`))] : [];
  let md = `**.Values.${at.path.join('.')}**`;
  if (v !== undefined && !isGoMap(v) && !Array.isArray(v)) md += ` = \`${typeof v === 'string' ? JSON.stringify(v) : String(v)}\` in the values in use`;
  md += readers.length ? `\n\nRead by ${readers.slice(0, 10).map((r) => `\`${r}\``).join(', ')}${readers.length > 10 ? ` and ${readers.length - 10} more` : ''}.` : '\n\nNo template reads it directly (it may be read through a variable, `with`, `toYaml` of its parent, or by a subchart).';
  const doc = { path: relPath, result, textOf };
  const facts = keyFactsAt(doc, at.path);
  if (facts) {
    const more = keyDocumentation(facts, !scopeOfValuesFile(valuesScopeTree(result, textOf), relPath).isDefaults);
    if (more) md += `\n\n${more}`;
  }
  return { contents: md, range: { start: at.start, end: at.end } };
}
