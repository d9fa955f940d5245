/**
 * sprig's dict functions: `dict`, `get`, `set`, `unset`, `hasKey`, `pluck`, `keys`, `pick`, `omit`,
 * `values`, `dig`, and `merge`/`mergeOverwrite` (+ `must*`) with imdario/mergo 0.3.12's semantics.
 *
 * Like Go: `set`, `unset`, `merge` and `mergeOverwrite` change the map they are given (merge also
 * merges nested maps of the destination in place, and may place the source's own nested maps into
 * it); `pick`, `omit`, `dict` build new maps. A nil map reads as empty, and writing to it panics
 * ("assignment to entry in nil map"). Go's map iteration order is random, so `keys` and `values` may
 * come out in any order there; here they come in the map's insertion order.
 */
import { def, GoMap, GoPanic, goSlice, hasKey, isGoMap, mapOf, typeName, Value } from '../value';
import { strval } from './conv';
import { isEmpty } from './defaults';
import { kindOf } from './reflect';
import type { FuncFamily } from './env';

const M = 'map[string]interface {}';

/** The map behind a `map[string]interface {}` argument; null for a nil map. */
function m(v: Value): GoMap | null {
  return mapOf(v) ?? null;
}

/**
 * mergo's deepMerge of one map into another (both map[string]interface {}): nested maps merge,
 * a destination value is replaced only when it is empty (or always, with overwrite, even by an
 * empty or nil source value), slices are never merged element-wise.
 */
export function mergeMaps(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const srcEl = src[key];
    const dstHas = hasKey(dst, key);
    const dstEl = dstHas ? dst[key] : undefined;
    if (srcEl === null || srcEl === undefined) {
      // A nil interface in the source: only overwrite copies it.
      if (overwrite) dst[key] = null;
      continue;
    }
    const srcKind = kindOf(srcEl);
    if (srcKind === 'map' || srcKind === 'struct' || srcKind === 'ptr') {
      const dm = dstHas ? mapOf(dstEl) : undefined;
      if (dm) {
        const sm = mapOf(srcEl);
        if (sm) mergeMaps(dm, sm, overwrite);
        // mergo would Set a struct over the map it holds by value, which reflect refuses.
        else if (overwrite) throw new GoPanic('reflect: reflect.Value.Set using unaddressable value');
      }
    } else if (srcKind === 'slice') {
      // mergo stores a slice back into the map here: the source's when overwriting (or when the
      // destination map is still empty), else what was there (a fresh empty slice when nothing was).
      if (overwrite || Object.keys(dst).length === 0) dst[key] = srcEl;
      else dst[key] = dstHas && dstEl !== null ? dstEl : Array.isArray(srcEl) ? goSlice([], typeName(srcEl).slice(2)) : new Uint8Array(0);
    }
    if (dstHas && !isEmpty(dstEl) && (srcKind === 'map' || srcKind === 'slice')) continue;
    if (overwrite || !dstHas || isEmpty(dstEl)) dst[key] = srcEl;
  }
}

function mergeAll(dst: Value, srcs: Value[], overwrite: boolean): GoMap {
  let d = m(dst);
  for (const s of srcs) {
    const sm = m(s);
    if (d === null) {
      // mergo gives a nil destination a fresh map when the source is not nil.
      if (sm === null) continue;
      d = {};
    }
    if (sm) mergeMaps(d, sm, overwrite);
  }
  return d ?? {};
}

/** A Go type assertion `x.(T)` that fails: its panic text. */
function assertionPanic(v: Value, want: string): GoPanic {
  const have = v === undefined || v === null ? 'nil' : typeName(v);
  return new GoPanic(`interface conversion: interface {} is ${have}, not ${want}`);
}

function dig(ps: Value[]): Value {
  if (ps.length < 3) throw new GoPanic('dig needs at least three arguments');
  const last = ps[ps.length - 1];
  // The assertion wants exactly map[string]interface {}: a named map type (chartutil.Values) fails.
  if (!isGoMap(last)) throw assertionPanic(last, M);
  const d = ps[ps.length - 2];
  const ks: string[] = [];
  for (let i = 0; i < ps.length - 2; i++) {
    const k = ps[i];
    if (typeof k !== 'string') throw assertionPanic(k, 'string');
    ks.push(k);
  }
  let dict: GoMap = last;
  for (let i = 0; ; i++) {
    if (!hasKey(dict, ks[i])) return d;
    const step = dict[ks[i]];
    if (i === ks.length - 1) return step;
    if (!isGoMap(step)) throw assertionPanic(step, M);
    dict = step;
  }
}

export const dictFuncs: FuncFamily = (map) => {
  const I = 'interface {}';
  def(
    map,
    'dict',
    [],
    M,
    (...v: Value[]) => {
      const d: GoMap = {};
      for (let i = 0; i < v.length; i += 2) d[strval(v[i])] = i + 1 < v.length ? (v[i + 1] ?? null) : '';
      return d;
    },
    { variadic: I },
  );
  def(map, 'get', [M, 'string'], I, (dv: Value, key: string) => {
    const d = m(dv);
    return d && hasKey(d, key) ? d[key] : '';
  });
  def(map, 'set', [M, 'string', I], M, (dv: Value, key: string, value: Value) => {
    const d = m(dv);
    if (d === null) throw new GoPanic('assignment to entry in nil map');
    d[key] = value === undefined ? null : value;
    return d;
  });
  def(map, 'unset', [M, 'string'], M, (dv: Value, key: string) => {
    const d = m(dv);
    if (d === null) return {};
    delete d[key];
    return d;
  });
  def(map, 'hasKey', [M, 'string'], 'bool', (dv: Value, key: string) => {
    const d = m(dv);
    return d !== null && hasKey(d, key);
  });
  def(
    map,
    'pluck',
    ['string'],
    '[]interface {}',
    (key: string, ...ds: Value[]) => {
      const res: Value[] = [];
      for (const dv of ds) {
        const d = m(dv);
        if (d && hasKey(d, key)) res.push(d[key]);
      }
      return res;
    },
    { variadic: M },
  );
  def(
    map,
    'keys',
    [],
    '[]string',
    (...ds: Value[]) => {
      const k: string[] = [];
      for (const dv of ds) {
        const d = m(dv);
        if (d) for (const key of Object.keys(d)) k.push(key);
      }
      return goSlice(k, 'string');
    },
    { variadic: M },
  );
  def(
    map,
    'pick',
    [M],
    M,
    (dv: Value, ...keys: string[]) => {
      const d = m(dv);
      const res: GoMap = {};
      if (d) for (const k of keys) if (hasKey(d, k)) res[k] = d[k];
      return res;
    },
    { variadic: 'string' },
  );
  def(
    map,
    'omit',
    [M],
    M,
    (dv: Value, ...keys: string[]) => {
      const d = m(dv);
      const res: GoMap = {};
      if (!d) return res;
      const omit = new Set(keys);
      for (const k of Object.keys(d)) if (!omit.has(k)) res[k] = d[k];
      return res;
    },
    { variadic: 'string' },
  );
  def(map, 'values', [M], '[]interface {}', (dv: Value) => {
    const d = m(dv);
    return d ? Object.keys(d).map((k) => d[k]) : [];
  });
  // mergo's errors (different argument types) cannot happen with two map[string]interface {}.
  def(map, 'merge', [M], I, (dst: Value, ...srcs: Value[]) => mergeAll(dst, srcs, false), { variadic: M });
  def(map, 'mustMerge', [M], I, (dst: Value, ...srcs: Value[]) => mergeAll(dst, srcs, false), {
    variadic: M,
    returnsError: true,
  });
  def(map, 'mergeOverwrite', [M], I, (dst: Value, ...srcs: Value[]) => mergeAll(dst, srcs, true), { variadic: M });
  def(map, 'mustMergeOverwrite', [M], I, (dst: Value, ...srcs: Value[]) => mergeAll(dst, srcs, true), {
    variadic: M,
    returnsError: true,
  });
  def(map, 'dig', [], I, (...ps: Value[]) => dig(ps), { variadic: I, returnsError: true });
};

