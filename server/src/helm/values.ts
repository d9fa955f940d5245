/**
 * Values as Helm builds them: user values (`-f` files, then `--set*`) coalesced over a chart's
 * values.yaml and its subcharts' (pkg/chart/common/util/coalesce.go), and the top-level object
 * templates see (ToRenderValues in pkg/chart/common/util/values.go).
 *
 * Rules reproduced (Helm v4, helm/helm main):
 * - higher level wins: user values over the chart's, a parent's over its subchart's; maps merge,
 *   scalars and lists are replaced;
 * - `null` in user values deletes the chart's key (when coalescing; MergeValues keeps nulls);
 *   nulls among chart defaults are dropped; a user `null` for a key the chart does not have stays;
 * - a subchart's values are `values[<name>]` (its name after alias processing) over its own
 *   values.yaml; the parent's `global` is copied into each subchart's `global` (parent wins),
 *   through a shallow copy exactly like Helm's (so a subchart's global maps can leak into its
 *   parent's nested global maps, as they do in Helm);
 * - a non-map under a subchart's key fails with `type mismatch on <name>: %t`;
 * - Helm logs warnings (`warning: skipped value for X: Not a table.`, ...) through log.Printf;
 *   here they go to `warn`.
 *
 * Go iterates maps in random order; here maps are walked in insertion order, so where Helm's
 * result depends on the order (the order of its warnings) ours is one of Helm's possible results.
 * Inputs are never mutated: user values and chart values are deep-copied first, as Helm does.
 */
import { formatV } from './fmt';
import { decodeJSON, goQuote, parseSet, parseSetFile, parseSetJson, parseSetLiteral, parseSetString, setKey } from './strvals';
import { GoError, GoInt, GoMap, Value, isGoMap } from './value';

/** The key of values shared with every subchart. */
export const GLOBAL_KEY = 'global';

/**
 * The part of a loaded chart that values need. The chart loader (chart.ts) provides it; extra
 * fields are carried along untouched by processDependencies (which returns copies).
 */
export interface ValuesChart {
  /** Chart.yaml `name` (after processDependencies: the alias, when the dependency has one). */
  name: string;
  /** Chart.yaml `version`: dependency version ranges are checked against it. */
  version?: string;
  /** values.yaml as read by readValues (an empty map when the chart has none). */
  values: GoMap;
  /** Chart.yaml `dependencies` (undefined when Chart.yaml has none: Go's nil). */
  dependencies?: Dependency[];
  /** The charts loaded from `charts/` (directories and archives), in load order. */
  subcharts: ValuesChart[];
  /** values.schema.json's text, when the chart has one. */
  schema?: string;
}

/** One entry of Chart.yaml `dependencies` (chart.Dependency). */
export interface Dependency {
  name: string;
  version?: string;
  repository?: string;
  /** Comma-separated value paths; the first that holds a bool decides. */
  condition?: string;
  tags?: string[];
  /** Set by processDependencies. */
  enabled?: boolean;
  /** `import-values`: strings (child `exports.<name>`) or `{child, parent}` maps, as read from YAML. */
  importValues?: Value[];
  alias?: string;
}

/** Where Helm's log.Printf warnings go. */
export type Warn = (message: string) => void;

const noWarn: Warn = () => undefined;

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

function own(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** A deep copy of maps and lists (Helm's internal copystructure); scalars are immutable here. */
export function deepCopy<T extends Value>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) setKey(out, k, deepCopy(v[k]));
    return out as T;
  }
  return v;
}

function isNil(v: Value): boolean {
  return v === null || v === undefined;
}

/** What fmt's `%t` prints for a value that is usually not a bool (`%!t(string=x)`). */
export function formatBadBool(v: Value): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return '%!t(<nil>)';
  if (Array.isArray(v)) return '[' + v.map(formatBadBool).join(' ') + ']';
  if (isGoMap(v)) {
    const keys = Object.keys(v).sort();
    return 'map[' + keys.map((k) => `%!t(string=${k}):${formatBadBool(v[k])}`).join(' ') + ']';
  }
  const t = typeof v === 'string' ? 'string' : typeof v === 'number' ? 'float64' : v instanceof GoInt ? v.t : 'interface {}';
  return `%!t(${t}=${formatV(v, true)})`;
}

/**
 * CoalesceValues: the values a chart renders with, from user values `vals` over the chart's and
 * its subcharts' defaults. Throws GoError `type mismatch on NAME: ...` like Helm.
 */
export function coalesceValues(chart: ValuesChart, vals: GoMap | null | undefined, warn: Warn = noWarn): GoMap {
  return coalesce(warn, chart, deepCopy(vals ?? {}), '', false);
}

/**
 * chartutil.MergeValues: as coalesceValues, but nulls are kept (used while importing values from
 * subcharts, before the final coalescing).
 */
export function mergeChartValues(chart: ValuesChart, vals: GoMap | null | undefined, warn: Warn = noWarn): GoMap {
  return coalesce(warn, chart, deepCopy(vals ?? {}), '', true);
}

function coalesce(warn: Warn, ch: ValuesChart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  coalesceChartValues(warn, ch, dest, prefix, merge);
  return coalesceDeps(warn, ch, dest, prefix, merge);
}

function coalesceDeps(warn: Warn, ch: ValuesChart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  for (const sub of ch.subcharts) {
    const name = sub.name;
    if (!own(dest, name)) setKey(dest, name, {});
    else if (!isGoMap(dest[name])) throw new GoError(`type mismatch on ${name}: ${formatBadBool(dest[name])}`);
    const dvmap = dest[name] as GoMap;
    const subPrefix = concatPrefix(prefix, ch.name);
    coalesceGlobals(warn, dvmap, dest, subPrefix);
    setKey(dest, name, coalesce(warn, sub, dvmap, subPrefix, merge));
  }
  return dest;
}

/** Copies the globals of `src` into `dest`'s `global`; `dest`'s own global values win. */
function coalesceGlobals(warn: Warn, dest: GoMap, src: GoMap, prefix: string): void {
  let dg: GoMap;
  let sg: GoMap;
  if (!own(dest, GLOBAL_KEY)) dg = {};
  else if (isGoMap(dest[GLOBAL_KEY])) dg = dest[GLOBAL_KEY] as GoMap;
  else {
    warn(`warning: skipping globals because destination ${GLOBAL_KEY} is not a table.`);
    return;
  }
  if (!own(src, GLOBAL_KEY)) sg = {};
  else if (isGoMap(src[GLOBAL_KEY])) sg = src[GLOBAL_KEY] as GoMap;
  else {
    warn(`warning: skipping globals because source ${GLOBAL_KEY} is not a table.`);
    return;
  }
  for (const key of Object.keys(sg)) {
    const val = sg[key];
    if (isGoMap(val)) {
      // A shallow copy, as Helm's copyMap: nested maps stay shared with the parent's global.
      const vv: GoMap = {};
      for (const k of Object.keys(val)) setKey(vv, k, val[k]);
      if (!own(dg, key)) setKey(dg, key, vv);
      else if (!isGoMap(dg[key])) warn(`Conflict: cannot merge map onto non-map for ${goQuote(key)}. Skipping.`);
      else {
        // Top-down: the parent's global (vv) wins over the subchart's own.
        coalesceTablesFullKey(warn, vv, dg[key] as GoMap, concatPrefix(prefix, key), true);
        setKey(dg, key, vv);
      }
    } else if (own(dg, key) && isGoMap(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      setKey(dg, key, val);
    }
  }
  setKey(dest, GLOBAL_KEY, dg);
}

function isChildChart(ch: ValuesChart, key: string): boolean {
  for (const sub of ch.subcharts) if (sub.name === key) return true;
  return false;
}

/** coalesceValues: the chart's own values.yaml under `v` (v wins). */
function coalesceChartValues(warn: Warn, ch: ValuesChart, v: GoMap, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, ch.name);
  const vc = deepCopy(ch.values ?? {});
  for (const key of Object.keys(vc)) {
    const val = vc[key];
    if (own(v, key)) {
      const value = v[key];
      if (isNil(value) && !merge) {
        // A user null removes the chart's key.
        delete v[key];
      } else if (isGoMap(value)) {
        if (!isGoMap(val)) {
          if (!isNil(val)) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          // The values of a subchart are merged keeping nulls: the subchart's coalescing removes them.
          const m = merge || isChildChart(ch, key);
          if (!m) cleanNilValues(val);
          coalesceTablesFullKey(warn, value, val, concatPrefix(subPrefix, key), m);
        }
      }
    } else {
      if (!merge) {
        if (isNil(val)) continue;
        if (isGoMap(val)) cleanNilValues(val);
      }
      setKey(v, key, val);
    }
  }
}

/** CoalesceTables: `src` under `dst` (dst wins; nulls in dst delete src's keys). Mutates and returns dst. */
export function coalesceTables(dst: GoMap | null | undefined, src: GoMap | null | undefined, warn: Warn = noWarn): GoMap | null | undefined {
  return coalesceTablesFullKey(warn, dst, src, '', false);
}

/** MergeTables: as coalesceTables, keeping nulls. */
export function mergeTables(dst: GoMap | null | undefined, src: GoMap | null | undefined, warn: Warn = noWarn): GoMap | null | undefined {
  return coalesceTablesFullKey(warn, dst, src, '', true);
}

function coalesceTablesFullKey(warn: Warn, dst: GoMap | null | undefined, src: GoMap | null | undefined, prefix: string, merge: boolean): GoMap | null | undefined {
  if (src === null || src === undefined) return dst;
  if (dst === null || dst === undefined) return src;
  // Which of src's keys were non-null before dst's nulls were copied into it: a user null over a
  // chart default deletes the key; a null over nothing (or over a null) stays.
  const srcNonNil = new Set<string>();
  for (const k of Object.keys(src)) if (!isNil(src[k])) srcNonNil.add(k);
  for (const k of Object.keys(dst)) if (isNil(dst[k])) setKey(src, k, null);
  for (const key of Object.keys(src)) {
    const val = src[key];
    const fullkey = concatPrefix(prefix, key);
    const ok = own(dst, key);
    const dv = ok ? dst[key] : undefined;
    if (ok && !merge && isNil(dv) && srcNonNil.has(key)) {
      delete dst[key];
    } else if (!ok) {
      setKey(dst, key, val);
    } else if (isGoMap(val)) {
      if (isGoMap(dv)) coalesceTablesFullKey(warn, dv, val, fullkey, merge);
      else warn(`warning: cannot overwrite table with non table for ${fullkey} (${formatV(val, true)})`);
    } else if (isGoMap(dv) && !isNil(val)) {
      warn(`warning: destination for ${fullkey} is a table. Ignoring non-table value (${formatV(val, true)})`);
    }
  }
  return dst;
}

/** Removes null entries from a map and its nested maps (not from lists), in place. */
function cleanNilValues(m: GoMap): void {
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (isNil(v)) delete m[k];
    else if (isGoMap(v)) cleanNilValues(v);
  }
}

/**
 * loader.MergeMaps: `b` over `a` for `-f` files (and `--set-json` objects): maps merge, anything
 * else (null included) replaces. Returns a new top-level map; nested maps of `a` that are merged
 * are new maps too, others are shared.
 */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = {};
  for (const k of Object.keys(a)) setKey(out, k, a[k]);
  for (const k of Object.keys(b)) {
    const v = b[k];
    if (isGoMap(v) && own(out, k)) {
      const bv = out[k];
      if (isGoMap(bv)) {
        setKey(out, k, mergeMaps(bv, v));
        continue;
      }
    }
    setKey(out, k, v);
  }
  return out;
}

/** The user's values options, in Helm's CLI terms (pkg/cli/values.Options). */
export interface ValuesOptions {
  /** `-f` files, already read with readValues (each file's documents merged), in command-line order. */
  valueFiles?: { name: string; values: GoMap }[];
  /** `--set-json` arguments: a JSON object, or `key=JSON,...`. */
  jsonValues?: string[];
  /** `--set`. */
  values?: string[];
  /** `--set-string`. */
  stringValues?: string[];
  /** `--set-file` (`key=path`); needs `readFile`. */
  fileValues?: string[];
  /** `--set-literal`. */
  literalValues?: string[];
  /** Reads a `--set-file` path: the file's text, or throws GoError with Go's error text. */
  readFile?: (path: string) => string;
}

/**
 * Options.MergeValues: `-f` files merged in order, then `--set-json`, `--set`, `--set-string`,
 * `--set-file`, `--set-literal` (each kind in order, in that fixed order of kinds — not the order
 * of the command line). Throws GoError with the CLI's wording (`failed parsing --set data: ...`).
 */
export function mergeUserValues(opts: ValuesOptions): GoMap {
  let base: GoMap = {};
  for (const f of opts.valueFiles ?? []) base = mergeMaps(base, f.values);
  for (const value of opts.jsonValues ?? []) {
    const trimmed = value.trim();
    if (trimmed !== '' && trimmed[0] === '{') {
      // json.Unmarshal of the whole argument into a map: one object and nothing after it.
      const dec = decodeJSON(trimmed, 0);
      if ('err' in dec || !isGoMap(dec.value) || !/^[ \t\r\n]*$/.test(trimmed.slice(dec.end))) {
        throw new GoError(`failed parsing --set-json data JSON: ${value}`);
      }
      base = mergeMaps(base, dec.value);
    } else {
      try {
        parseSetJson(value, base);
      } catch (e) {
        if (e instanceof GoError) throw new GoError(`failed parsing --set-json data ${value}`);
        throw e;
      }
    }
  }
  const each = (list: string[] | undefined, flag: string, parse: (s: string, into: GoMap) => void): void => {
    for (const value of list ?? []) {
      try {
        parse(value, base);
      } catch (e) {
        if (e instanceof GoError) throw new GoError(`failed parsing ${flag} data: ${e.message}`);
        throw e;
      }
    }
  };
  each(opts.values, '--set', parseSet);
  each(opts.stringValues, '--set-string', parseSetString);
  each(opts.fileValues, '--set-file', (s, into) =>
    parseSetFile(s, into, (p) => {
      if (!opts.readFile) throw new GoError(`open ${p}: no such file or directory`);
      return opts.readFile(p);
    }),
  );
  each(opts.literalValues, '--set-literal', parseSetLiteral);
  return base;
}

// --- paths into values (common.Values.Table / PathValue) -------------------------------------------

/** Values.Table: the map at a dotted path, or undefined (Go's ErrNoTable). */
export function valuesTable(v: GoMap, path: string): GoMap | undefined {
  let table = v;
  for (const name of path.split('.')) {
    if (!own(table, name)) return undefined;
    const next = table[name];
    if (!isGoMap(next)) return undefined;
    table = next;
  }
  return table;
}

/**
 * Values.PathValue: the non-map value at a dotted path. `{ found: false }` is Go's ErrNoValue
 * (missing, or a map). Throws GoError `YAML path cannot be empty` for "".
 */
export function pathValue(v: GoMap, path: string): { found: true; value: Value } | { found: false } {
  if (path === '') throw new GoError('YAML path cannot be empty');
  const parts = path.split('.');
  const key = parts.pop()!;
  const t = parts.length === 0 ? v : valuesTable(v, parts.join('.'));
  if (t === undefined || !own(t, key) || isGoMap(t[key])) return { found: false };
  return { found: true, value: t[key] };
}

// --- ToRenderValues ---------------------------------------------------------------------------------

/** common.ReleaseOptions. */
export interface ReleaseOptions {
  name: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  isInstall: boolean;
}

/** `.Release` as Helm v4 builds it: a map (Revision an int). */
export function releaseObject(o: ReleaseOptions): GoMap {
  return {
    Name: o.name,
    Namespace: o.namespace,
    IsUpgrade: o.isUpgrade,
    IsInstall: o.isInstall,
    Revision: new GoInt(BigInt(o.revision), 'int'),
    Service: 'Helm',
  };
}

export interface RenderValuesOptions {
  /** `.Chart` (the engine's object for Chart.yaml). */
  chartObject?: Value;
  /** `.Capabilities`. */
  capabilities?: Value;
  /** `--skip-schema-validation`. */
  skipSchemaValidation?: boolean;
  /**
   * Checks the coalesced values against values.schema.json of the chart and its subcharts
   * (valuesSchema.ts validateAgainstSchema); returns the error text or undefined. Injected so that
   * this module does not load the schema validator unless asked to.
   */
  validate?: (chart: ValuesChart, values: GoMap) => string | undefined;
  warn?: Warn;
}

/**
 * ToRenderValuesWithSchemaValidation: the top-level object of a render — Chart, Capabilities,
 * Release, and Values (the coalesced values). The engine adds Files, Template and Subcharts per
 * chart. Throws GoError for a type mismatch or values that fail the schema
 * (`values don't meet the specifications of the schema(s) in the following chart(s):\n...`).
 * `chart` must be the result of processDependencies.
 */
export function toRenderValues(chart: ValuesChart, userValues: GoMap, release: ReleaseOptions, opts: RenderValuesOptions = {}): GoMap {
  const top: GoMap = {
    Chart: opts.chartObject ?? null,
    Capabilities: opts.capabilities ?? null,
    Release: releaseObject(release),
  };
  const vals = coalesceValues(chart, userValues, opts.warn);
  if (!opts.skipSchemaValidation && opts.validate) {
    const err = opts.validate(chart, vals);
    if (err !== undefined) throw new GoError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${err}`);
  }
  top.Values = vals;
  return top;
}
