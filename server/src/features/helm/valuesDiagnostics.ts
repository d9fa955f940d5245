/**
 * Checks of a chart's values files beyond what rendering finds (chartCheck.ts checks the values in
 * use, with values.schema.json, and places Helm's errors on the values):
 * - a values file that is not in use (ci/other.yaml, values-prod.yaml not selected) is checked
 *   against the schema on its own, as `helm install -f <file>` would (the chart's values.yaml under
 *   it): errors only where the schema refuses one of its own values;
 * - in a file in use, a key the schema refuses at the top (`additional properties 'x'`, which Helm
 *   reports on the whole values) is placed on that key;
 * - in every values file but values.yaml, a key that no template reads and that neither the
 *   chart's values.yaml nor its schema knows is information ("did you mean ..."): usually a typo,
 *   or a key of another version of the chart. Never in values.yaml (unused values there are
 *   already said), never where the schema allows free keys or refuses them itself.
 *
 * Pure: from the last chart check and the chart's texts.
 */
import { readValues } from '../../helm/goyaml';
import { coalesceTables, deepCopy } from '../../helm/values';
import { validateAgainstSingleSchema } from '../../helm/valuesSchema';
import { GoMap, isGoMap } from '../../helm/value';
import { closest } from '../../model/text';
import type { Problem } from '../../types';
import type { ChartCheckResult } from './chartCheck';
import { chartModelOf } from './chartModel';
import { locateValue } from './valuesLocate';
import { unusedValues, valuesPathText } from './valuesRefs';
import { isValuesFilePath, knownKeys, modelWithValuesFile, scopeOfValuesFile, ValuesScope, valuesScopeTree } from './valuesScope';
import { schemaInfoAt, schemaPropertiesAt } from './valuesSchemaInfo';

export interface ValuesFileInput {
  /** Chart-relative path (`ci/other.yaml`, `../deploy/prod.yaml`). */
  path: string;
  text: string;
  result: ChartCheckResult;
  textOf(rel: string): string | undefined;
  /** The file is among the values the chart is rendered with (selected, or a tied file rendered with it). */
  inUse: boolean;
}

export function valuesFileProblems(input: ValuesFileInput): Problem[] {
  if (!isValuesFilePath(input.path)) return [];
  const tree = valuesScopeTree(input.result, input.textOf);
  const { scope, isDefaults } = scopeOfValuesFile(tree, input.path);
  if (isDefaults) return [];
  let user: GoMap;
  try {
    user = readValues(input.text);
  } catch {
    return []; // Helm's parse error is said where the file is in use; a half-typed line is not worth more.
  }
  const out = schemaProblems(input, scope, user);
  out.push(...unknownKeys(input, scope));
  return out.sort((a, b) => a.start - b.start);
}

function schemaProblems(input: ValuesFileInput, scope: ValuesScope, user: GoMap): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const place = (path: string[], message: string, onKey: boolean): void => {
    // The deepest part of the path this file sets, up to the first list index (items are not told apart).
    const cut = path.findIndex((p) => /^\d+$/.test(p));
    const located = cut < 0 ? path : path.slice(0, cut);
    const at = located.length ? locateValue(input.text, located) : undefined;
    if (!at) return;
    const start = onKey ? at.keyStart : at.valueStart;
    const end = onKey ? at.keyEnd : at.valueEnd;
    const k = `${start}:${end}:${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ start, end: Math.max(end, start), severity: 'error', code: 'helm-values-schema', message });
  };
  const check = (s: ValuesScope, values: GoMap, prefix: string[], depth: number): void => {
    if (s.schemaText !== undefined) {
      const err = validateAgainstSingleSchema(values, s.schemaText);
      for (const line of (err ?? '').split('\n')) {
        // Several errors come grouped under `- at '': validation failed`, each on an indented line of its own.
        const m = /^\s*- at '([^']*)': (.*)$/.exec(line);
        if (!m || m[2] === 'validation failed') continue;
        const ptr = m[1] === '' ? [] : m[1].split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
        const of = s === scope ? '' : ` of ${s.key}`;
        const how = input.inUse ? 'helm install refuses these values' : `helm install -f ${input.path.replace(/^(\.\.\/)+/, '')} would refuse these values`;
        const extra = /^additional properties ((?:'[^']*'(?:, )?)+) not allowed$/.exec(m[2]);
        if (extra) {
          // In a file in use, chartCheck places those below the top (on the map's value) already.
          if (input.inUse && ptr.length > 0) continue;
          for (const q of extra[1].match(/'[^']*'/g) ?? []) {
            const name = q.slice(1, -1);
            const near = closest(name, keysAt(s, ptr));
            place([...prefix, ...ptr, name], `${name} is not allowed here: values.schema.json${of} lists the keys this map may have (${listOf(s, ptr)}) and has additionalProperties: false; ${how}.${near ? ` Did you mean ${near}?` : ''}`, true);
          }
          continue;
        }
        // In a file in use, chartCheck places these already.
        if (!input.inUse) place([...prefix, ...ptr], `${m[2]} (values.schema.json${of}: ${how})`, false);
      }
    }
    if (depth > 6) return;
    for (const sub of s.subs) {
      const v = values[sub.key];
      if (v === null || v === undefined || !isGoMap(v)) continue;
      // A dependency its condition turns off is not rendered, and Helm does not check its schema.
      if (sub.condition && conditionIsOff(sub.condition, values)) continue;
      check(sub, v, [...prefix, sub.key], depth + 1);
    }
  };
  // The values as helm install -f would build them: the file over the chart's defaults, each subchart's under its key.
  const merge = (s: ValuesScope, v: GoMap, depth: number): GoMap => {
    const merged = (coalesceTables(deepCopy(v), deepCopy(s.defaults)) ?? {}) as GoMap;
    if (depth < 6) for (const sub of s.subs) {
      const sv = merged[sub.key];
      if (sv === undefined || isGoMap(sv)) merged[sub.key] = merge(sub, isGoMap(sv) ? sv : {}, depth + 1);
    }
    return merged;
  };
  check(scope, merge(scope, user, 0), [], 0);
  return out;
}

/** Helm's condition: the first of its comma-separated paths that holds a boolean decides. */
function conditionIsOff(condition: string, values: GoMap): boolean {
  for (const p of condition.split(',').map((x) => x.trim()).filter(Boolean)) {
    let v: unknown = values;
    for (const k of p.split('.')) v = isGoMap(v as GoMap) ? (v as GoMap)[k] : undefined;
    if (typeof v === 'boolean') return !v;
  }
  return false;
}

function keysAt(s: ValuesScope, ptr: string[]): string[] {
  return schemaPropertiesAt(s.schemaText, ptr.map((p) => (/^\d+$/.test(p) ? '[]' : p)))?.keys.map((k) => k.name) ?? [];
}

function listOf(s: ValuesScope, ptr: string[]): string {
  const names = keysAt(s, ptr);
  return names.length ? names.slice(0, 8).join(', ') + (names.length > 8 ? ', …' : '') : 'none';
}

function unknownKeys(input: ValuesFileInput, scope: ValuesScope): Problem[] {
  const base = chartModelOf(input.result, input.textOf);
  if (!base) return [];
  const model = modelWithValuesFile(base, input.path, input.text);
  const out: Problem[] = [];
  const doc = { path: input.path, result: input.result, textOf: input.textOf };
  for (const u of unusedValues(model, input.path)) {
    if (u.path.includes('[]')) continue;
    const parent = u.path.slice(0, -1);
    const name = u.path[u.path.length - 1];
    const known = knownKeys(doc, parent);
    if (known.has(name)) continue;
    // The schema allows free keys here (a map of labels), or refuses them itself.
    if (schemaSays(scope, u.path) || closedAbove(scope, parent)) continue;
    const best = closest(name, [...known.keys()].filter((k) => k !== 'global'));
    const hint = best ? `; did you mean ${best}?` : '.';
    out.push({
      start: u.start,
      end: u.end,
      severity: 'information',
      code: 'values-unknown-key',
      message: `No template of the chart reads ${valuesPathText(u.path)}, and neither values.yaml nor values.schema.json of the chart defines it: it has no effect${hint}`,
    });
  }
  return out;
}

/** The schema of the chart that holds the path (a subchart's under its key) says something about it. */
function schemaSays(scope: ValuesScope, path: string[]): boolean {
  const sub = path.length > 1 ? scope.subs.find((s) => s.key === path[0]) : undefined;
  if (sub) return schemaSays(sub, path.slice(1));
  return schemaInfoAt(scope.schemaText, path) !== undefined;
}

function closedAbove(scope: ValuesScope, parent: string[]): boolean {
  const sub = parent.length > 0 ? scope.subs.find((s) => s.key === parent[0]) : undefined;
  if (sub) return closedAbove(sub, parent.slice(1));
  return schemaPropertiesAt(scope.schemaText, parent)?.closed ?? false;
}

