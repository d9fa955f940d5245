/**
 * The values a chart and its subcharts define, as the values-file features see them: for each
 * chart its folder, the key its values live under in the parent (name or alias), its values.yaml
 * (text and defaults read as Helm reads them) and its values.schema.json, and its subcharts.
 *
 * Built from the last chart check (the prepared chart knows aliases, archives and folders not
 * named after the chart) and, when the chart did not prepare (values that the schema refuses,
 * dependencies missing), from Chart.yaml's dependencies and the files under `charts/`, so
 * completion and hover keep working while the values are wrong.
 *
 * Pure: texts come from the caller.
 */
import { parse as parseYaml } from 'yaml';
import type { LoadedChart } from '../../helm/chart';
import { readValues } from '../../helm/goyaml';
import { GoMap, isGoMap, Value } from '../../helm/value';
import type { ChartCheckResult } from './chartCheck';
import { locateValue } from './valuesLocate';
import type { ChartModel } from './valuesRefs';
import { SchemaInfo, schemaPropertiesAt } from './valuesSchemaInfo';

export interface ValuesScope {
  /** Chart-relative folder (`''`, `charts/db/`); undefined for an archive. */
  dir?: string;
  /** The key of this chart's values in its parent's (alias or name; `''` for the root). */
  key: string;
  valuesText: string;
  /** values.yaml read as Helm reads it (`{}` when it does not parse). */
  defaults: GoMap;
  schemaText?: string;
  subs: ValuesScope[];
  /** The chart holding this one (undefined for the root). */
  parent?: ValuesScope;
  /** The dependency's `condition` (paths in the parent's values, comma-separated), when it has one. */
  condition?: string;
}

/** A chart-relative path that is a values file: values*.yaml, ci/*.yaml (of the chart or a subchart), or a tied file outside the chart. */
export function isValuesFilePath(rel: string): boolean {
  return rel.startsWith('../') || /^(charts\/[^/]+\/)*(values[^/]*\.ya?ml|ci\/[^/]*\.ya?ml)$/.test(rel);
}

const defaultsCache = new Map<string, GoMap>();

function defaultsOf(text: string): GoMap {
  let v = defaultsCache.get(text);
  if (!v) {
    try {
      v = readValues(text);
    } catch {
      v = {};
    }
    if (defaultsCache.size > 32) defaultsCache.clear();
    defaultsCache.set(text, v);
  }
  return v;
}

const trees = new WeakMap<ChartCheckResult, ValuesScope>();

export function valuesScopeTree(result: ChartCheckResult, textOf: (rel: string) => string | undefined): ValuesScope {
  const memo = trees.get(result);
  if (memo) return memo;
  const fromFiles = (dir: string, key: string, depth: number): ValuesScope => {
    const valuesText = textOf(`${dir}values.yaml`) ?? '';
    const scope: ValuesScope = { dir, key, valuesText, defaults: defaultsOf(valuesText), schemaText: textOf(`${dir}values.schema.json`), subs: [] };
    if (depth < 6) {
      for (const d of dependenciesOf(textOf(`${dir}Chart.yaml`))) {
        const subDir = `${dir}charts/${d.name}/`;
        if (textOf(`${subDir}Chart.yaml`) === undefined) continue;
        const sub = fromFiles(subDir, d.alias ?? d.name, depth + 1);
        sub.parent = scope;
        sub.condition = d.condition;
        scope.subs.push(sub);
      }
    }
    return scope;
  };
  const fromLoaded = (c: LoadedChart, dir: string | undefined, key: string, depth: number): ValuesScope => {
    const own = dir !== undefined ? textOf(`${dir}values.yaml`) : undefined;
    const valuesText = own ?? c.valuesText;
    const scope: ValuesScope = { dir, key, valuesText, defaults: own !== undefined ? defaultsOf(own) : c.values, schemaText: (dir !== undefined ? textOf(`${dir}values.schema.json`) : undefined) ?? c.schema, subs: [] };
    if (depth < 6) {
      for (const s of c.subcharts) {
        const subDir = dir !== undefined && s.source && !s.source.endsWith('.tgz') ? `${dir}${s.source}/` : undefined;
        const sub = fromLoaded(s, subDir, s.name, depth + 1);
        sub.parent = scope;
        scope.subs.push(sub);
      }
      // Dependencies that a condition turned off are gone from the prepared chart: their folders still define keys.
      if (dir !== undefined) {
        for (const d of dependenciesOf(textOf(`${dir}Chart.yaml`))) {
          const k = d.alias ?? d.name;
          if (scope.subs.some((x) => x.key === k) || textOf(`${dir}charts/${d.name}/Chart.yaml`) === undefined) continue;
          const sub = fromFiles(`${dir}charts/${d.name}/`, k, depth + 1);
          sub.parent = scope;
          sub.condition = d.condition;
          scope.subs.push(sub);
        }
      }
    }
    return scope;
  };
  const tree = result.prepared ? fromLoaded(result.prepared.chart, '', '', 0) : fromFiles('', '', 0);
  trees.set(result, tree);
  return tree;
}

function dependenciesOf(chartYaml: string | undefined): Array<{ name: string; alias?: string; condition?: string }> {
  if (!chartYaml) return [];
  try {
    const doc = parseYaml(chartYaml) as { dependencies?: unknown };
    if (!Array.isArray(doc?.dependencies)) return [];
    return doc.dependencies
      .filter((d): d is { name: string; alias?: unknown; condition?: unknown } => !!d && typeof d === 'object' && typeof (d as { name?: unknown }).name === 'string')
      .map((d) => ({ name: d.name, alias: typeof d.alias === 'string' && d.alias ? d.alias : undefined, condition: typeof d.condition === 'string' && d.condition ? d.condition : undefined }));
  } catch {
    return [];
  }
}

/** The chart a values file belongs to (the innermost whose folder holds it; the root for a file outside), and whether it is that chart's values.yaml. */
export function scopeOfValuesFile(tree: ValuesScope, rel: string): { scope: ValuesScope; isDefaults: boolean } {
  let scope = tree;
  for (;;) {
    const sub = scope.subs.find((s) => s.dir !== undefined && rel.startsWith(s.dir));
    if (!sub) break;
    scope = sub;
  }
  return { scope, isDefaults: rel === `${scope.dir ?? ''}values.yaml` };
}

/** The value at a path of a values map (`[]`: the first item of a list). */
export function valueAtPath(v: Value, path: string[]): Value {
  let cur: Value = v;
  for (const k of path) {
    if (k === '[]') cur = Array.isArray(cur) ? cur[0] : undefined;
    else cur = isGoMap(cur) ? cur[k] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Every chart below a scope, the scope first. */
export function scopesUnder(s: ValuesScope): ValuesScope[] {
  return [s, ...s.subs.flatMap(scopesUnder)];
}

/** The comment lines right above a key in a values file (helm-docs' `# --` and `# @param` prefixes removed), as text. */
export function commentAbove(text: string, keyStart: number | undefined): string {
  if (keyStart === undefined) return '';
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const column = keyStart - lineStart;
  const lines: string[] = [];
  let end = lineStart - 1;
  while (end > 0) {
    const s = text.lastIndexOf('\n', end - 1) + 1;
    const raw = text.slice(s, end);
    const line = raw.trim();
    if (!line.startsWith('#')) break;
    // A comment indented deeper than the key belongs to the key above (helm create's commented-out examples).
    if (raw.length - raw.trimStart().length > column) break;
    lines.unshift(line.replace(/^#+\s?(--\s?)?/, '').replace(/^@(param|extra|skip)\s+\S+\s?/, ''));
    end = s - 1;
  }
  return lines.join('\n').trim();
}

/** One place whose keys count at a values path: a chart's schema and (unless it is the file itself) its defaults. */
export interface Target {
  scope: ValuesScope;
  path: string[];
  withDefaults: boolean;
}

/**
 * Where a path of a values file leads: into a subchart's scope under its key, to `global` in every
 * chart under the file's, or the file's own chart.
 */
export function targetsOf(scope: ValuesScope, path: string[], isDefaults: boolean): Target[] {
  if (path[0] === 'global') return scopesUnder(scope).map((s) => ({ scope: s, path, withDefaults: s !== scope || !isDefaults }));
  const sub = path.length ? scope.subs.find((s) => s.key === path[0]) : undefined;
  if (sub) return targetsOf(sub, path.slice(1), false);
  return [{ scope, path, withDefaults: !isDefaults }];
}

export interface KeyFacts {
  name: string;
  schema?: SchemaInfo;
  required: boolean;
  /** The chart's default (values.yaml of the chart that defines it). */
  chartDefault?: { value: Value; file: string; line: number; comment: string };
  /** A subchart's block or `global`. */
  block?: string;
}

/** The keys the chart knows at a values path of a file (schema, defaults, subcharts, global). */
export function knownKeys(doc: { path: string; result: ChartCheckResult; textOf(rel: string): string | undefined }, path: string[]): Map<string, KeyFacts> {
  const tree = valuesScopeTree(doc.result, doc.textOf);
  const { scope, isDefaults } = scopeOfValuesFile(tree, doc.path);
  const out = new Map<string, KeyFacts>();
  const get = (name: string): KeyFacts => {
    let k = out.get(name);
    if (!k) out.set(name, (k = { name, required: false }));
    return k;
  };
  for (const t of targetsOf(scope, path, isDefaults)) {
    const props = schemaPropertiesAt(t.scope.schemaText, t.path);
    for (const p of props?.keys ?? []) {
      const k = get(p.name);
      k.schema ??= p.info;
      k.required ||= p.required;
    }
    if (!t.withDefaults) continue;
    const v = valueAtPath(t.scope.defaults, t.path);
    if (!isGoMap(v)) continue;
    for (const [name, value] of Object.entries(v)) {
      const k = get(name);
      if (k.chartDefault) continue;
      const at = locateValue(t.scope.valuesText, [...t.path, name]);
      k.chartDefault = { value, file: `${t.scope.dir ?? `(${t.scope.key})/`}values.yaml`, line: at ? at.line : -1, comment: commentAbove(t.scope.valuesText, at?.keyStart) };
    }
  }
  if (path.length === 0) {
    for (const s of scope.subs) get(s.key).block = `The values of the subchart ${s.key}${s.dir ? ` (${s.dir.replace(/\/$/, '')})` : ''}: they override its values.yaml.`;
    get('global').block = 'Values every chart sees: .Values.global in this chart and in each subchart.';
  }
  return out;
}

/** What the chart says about one values path of a file: the schema and the chart default. */
export function keyFactsAt(doc: { path: string; result: ChartCheckResult; textOf(rel: string): string | undefined }, path: string[]): KeyFacts | undefined {
  if (!path.length) return undefined;
  return knownKeys(doc, path.slice(0, -1)).get(path[path.length - 1]);
}

const withFiles = new WeakMap<ChartModel, Map<string, ChartModel>>();

/**
 * The chart model with one more values file in the chart that holds it (a file in use, a ci/ file,
 * a tied file outside the chart), so the readers of its keys are found as for values.yaml.
 */
export function modelWithValuesFile(model: ChartModel, rel: string, text: string): ChartModel {
  const add = (m: ChartModel): ChartModel => {
    const sub = m.subcharts.find((s) => s.dir && rel.startsWith(s.dir));
    if (sub) return { ...m, subcharts: m.subcharts.map((s) => (s === sub ? add(s) : s)) };
    if (m.valuesFiles.some((v) => v.path === rel)) return m;
    return { ...m, valuesFiles: [...m.valuesFiles, { path: rel, text }] };
  };
  let memo = withFiles.get(model);
  if (!memo) withFiles.set(model, (memo = new Map()));
  const key = `${rel}\u0000${text}`;
  let m = memo.get(key);
  if (!m) {
    if (memo.size > 8) memo.clear();
    m = add(model);
    memo.set(key, m);
  }
  return m;
}
