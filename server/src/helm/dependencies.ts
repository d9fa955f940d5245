/**
 * Chart dependencies as Helm processes them before rendering (ProcessDependencies in
 * pkg/chart/v2/util/dependencies.go): which subcharts are enabled (`condition`, `tags`), under
 * which name (`alias`), and which of their values are imported into the parent (`import-values`).
 *
 * The order is Helm's, and it is visible:
 * 1. For each chart, top-down: the loaded subcharts that no Chart.yaml dependency matches (same
 *    name and a version inside the dependency's range) are kept first; then, for each dependency in
 *    Chart.yaml order, the first matching loaded chart is copied under its alias (a dependency
 *    without a version, or without a matching chart, is silently dropped). The chart's values are
 *    then coalesced with the values handed down, tags are applied, then conditions (which win):
 *    the first path of a comma-separated condition that holds a bool decides; paths are taken from
 *    the top of the values handed down, prefixed with the parent charts' names (`sub.` for a
 *    grandchild), just as Helm does it — a subchart's own defaults are coalesced at that top level.
 *    A dependency is enabled when any of its tags is true, or none is false (or there are none).
 * 2. Bottom-up: each chart with dependencies gets new values: its values with its subcharts' values
 *    (merged, nulls kept), under which the imported values are merged (the parent's own win; among
 *    imports, the first wins).
 *
 * Nothing is mutated: the result is a new chart tree (extra fields of the chart objects are copied
 * along with `{...chart}`), whose `values` already contain the imports.
 */
import { formatV } from './fmt';
import { goQuote, setKey } from './strvals';
import { Dependency, ValuesChart, Warn, coalesceValues, deepCopy, mergeChartValues, mergeTables, pathValue } from './values';
import { GoError, GoMap, Value, isGoMap } from './value';
import { semverCompare } from './funcs/semver';

export interface DependencyOptions {
  /**
   * IsCompatibleRange: whether `version` (a chart's Chart.yaml version) satisfies the dependency's
   * `constraint` (Masterminds/semver v3 constraint syntax). Helm answers false when either does not
   * parse, so a dependency without a version matches nothing. Default: funcs/semver.ts.
   */
  isCompatibleRange?: (constraint: string, version: string) => boolean;
  /** Helm's slog warnings (non-bool conditions and tags, missing import tables), in slog's text format. */
  warn?: Warn;
}

const noWarn: Warn = () => undefined;

/** IsCompatibleRange (pkg/chart/v2/util/compatible.go): false when either side does not parse. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  try {
    return semverCompare(constraint, version);
  } catch (e) {
    if (e instanceof GoError) return false;
    throw e;
  }
}

/** One slog text-handler line without the time: `level=WARN msg="..." key=value`. */
export function slogLine(level: string, msg: string, attrs: [string, string][]): string {
  let s = `level=${level} msg=${slogQuote(msg)}`;
  for (const [k, v] of attrs) s += ` ${slogQuote(k)}=${slogQuote(v)}`;
  return s;
}

function slogQuote(s: string): string {
  if (s === '') return '""';
  // slog's needsQuoting: spaces, '=', '"', control and non-printable characters.
  if (/[\s="\p{C}]/u.test(s) || /[^\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(s)) return goQuote(s);
  return s;
}

function own(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** A copy of a chart's structure (its dependency entries and subcharts); values are shared, never mutated. */
function cloneTree<C extends ValuesChart>(c: C): C {
  return {
    ...c,
    dependencies: c.dependencies?.map((d) => ({ ...d, tags: d.tags?.slice(), importValues: d.importValues?.slice() })),
    subcharts: c.subcharts.map(cloneTree),
  };
}

/**
 * ProcessDependencies: the chart tree Helm renders — disabled subcharts removed, aliases applied,
 * imported values merged into `values`. `values` are the user's values (MergeValues' result).
 * Throws GoError for a type mismatch while coalescing (`type mismatch on NAME: ...`); the CLI
 * prefixes `chart dependencies processing failed: `.
 */
export function processDependencies<C extends ValuesChart>(chart: C, values: GoMap, opts: DependencyOptions = {}): C {
  const ctx: Ctx = { compatible: opts.isCompatibleRange ?? isCompatibleRange, warn: opts.warn ?? noWarn };
  const root = cloneTree(chart);
  processEnabled(ctx, root, values, '');
  processImportValuesTree(ctx, root);
  return root;
}

interface Ctx {
  compatible: (constraint: string, version: string) => boolean;
  warn: Warn;
}

function matches(ctx: Ctx, c: ValuesChart, d: Dependency): boolean {
  return c.name === d.name && ctx.compatible(d.version ?? '', c.version ?? '');
}

function processEnabled(ctx: Ctx, c: ValuesChart, v: GoMap, path: string): void {
  const reqs = c.dependencies;
  if (reqs === undefined) return;
  const loaded = c.subcharts;
  // Loaded charts that Chart.yaml does not list are always kept, first.
  const kept: ValuesChart[] = loaded.filter((ch) => !reqs.some((r) => matches(ctx, ch, r)));
  for (const req of reqs) {
    const found = loaded.find((ch) => matches(ctx, ch, req));
    if (found) {
      const copy = cloneTree(found);
      if (req.alias) copy.name = req.alias;
      kept.push(copy);
    }
    if (req.alias) req.name = req.alias;
  }
  c.subcharts = kept;
  for (const r of reqs) r.enabled = true;
  const cvals = coalesceValues(c, v, ctx.warn);
  processTags(ctx, reqs, cvals);
  processConditions(ctx, reqs, cvals, path);
  const rm = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  const cd = c.subcharts.filter((ch) => !rm.has(ch.name));
  const cdMetadata = reqs.filter((r) => !rm.has(r.name));
  for (const t of cd) processEnabled(ctx, t, cvals, path + t.name + '.');
  // Go appends the kept entries to a nil slice: none kept leaves nil (no dependencies at all).
  c.dependencies = cdMetadata.length > 0 ? cdMetadata : undefined;
  c.subcharts = cd;
}

function processTags(ctx: Ctx, reqs: Dependency[], cvals: GoMap): void {
  const vt = cvals.tags;
  if (!own(cvals, 'tags') || !isGoMap(vt)) return;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags ?? []) {
      if (!own(vt, k)) continue;
      const b = vt[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else {
        ctx.warn(slogLine('WARN', 'returned non-bool value', [['tag', k], ['chart', r.name]]));
      }
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else r.enabled = true;
  }
}

function processConditions(ctx: Ctx, reqs: Dependency[], cvals: GoMap, cpath: string): void {
  for (const r of reqs) {
    // The condition is trimmed as a whole, not each path: ` b.enabled` after a comma looks up key ` b`.
    for (const c of (r.condition ?? '').trim().split(',')) {
      if (c === '') continue;
      const pv = pathValue(cvals, cpath + c);
      if (!pv.found) continue;
      if (typeof pv.value === 'boolean') {
        r.enabled = pv.value;
        break;
      }
      ctx.warn(slogLine('WARN', 'returned non-bool value', [['path', c], ['chart', r.name]]));
    }
  }
}

/** Values.Table's ErrNoTable: the key where the path stops (`"x" is not a table`). */
class Missing {
  constructor(readonly key: string) {}
}

/** Values.Table: the map at a dotted path, or where it is missing. */
function table(v: GoMap, path: string): GoMap | Missing {
  let t: GoMap = v;
  for (const p of path.split('.')) {
    const next = own(t, p) ? t[p] : undefined;
    if (!isGoMap(next)) return new Missing(p);
    t = next;
  }
  return t;
}

function processImportValuesTree(ctx: Ctx, c: ValuesChart): void {
  for (const d of c.subcharts) processImportValuesTree(ctx, d);
  processImportValues(ctx, c);
}

/** pathToMap: `data` nested under a dotted path (`.` is the top). */
function pathToMap(path: string, data: GoMap): GoMap {
  if (path === '.') return data;
  let cur = data;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const m: GoMap = {};
    setKey(m, parts[i], cur);
    cur = m;
  }
  return cur;
}

function processImportValues(ctx: Ctx, c: ValuesChart): void {
  const reqs = c.dependencies;
  if (reqs === undefined) return;
  const cvals = mergeChartValues(c, null, ctx.warn);
  let b: GoMap = {};
  for (const r of reqs) {
    const outiv: Value[] = [];
    for (const riv of r.importValues ?? []) {
      if (isGoMap(riv)) {
        const child = formatV(own(riv, 'child') ? riv.child : null, true);
        const parent = formatV(own(riv, 'parent') ? riv.parent : null, true);
        outiv.push({ child, parent });
        const vv = table(cvals, r.name + '.' + child);
        if (vv instanceof Missing) {
          ctx.warn(
            slogLine('WARN', 'ImportValues missing table from chart', [
              ['chart', r.name],
              ['error', `${goQuote(vv.key)} is not a table`],
            ]),
          );
          continue;
        }
        b = mergeTables(b, pathToMap(parent, vv), ctx.warn) as GoMap;
      } else if (typeof riv === 'string') {
        const child = 'exports.' + riv;
        outiv.push({ child, parent: '.' });
        const vm = table(cvals, r.name + '.' + child);
        if (vm instanceof Missing) {
          ctx.warn(slogLine('WARN', 'ImportValues missing table', [['error', `${goQuote(vm.key)} is not a table`]]));
          continue;
        }
        b = mergeTables(b, vm, ctx.warn) as GoMap;
      }
    }
    r.importValues = outiv;
  }
  // The parent's values win over what it imports.
  c.values = mergeTables(deepCopy(cvals), b, ctx.warn) as GoMap;
}
