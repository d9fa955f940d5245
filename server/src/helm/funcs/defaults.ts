/**
 * sprig's default and flow functions: `default`, `empty`, `coalesce`, `all`, `any`, `ternary`,
 * `deepCopy`/`mustDeepCopy` (mitchellh/copystructure) and `fail`.
 *
 * "Empty" is sprig's zero-value test: nil, false, 0 of any number type, "" and empty
 * slices/maps are empty; a struct (time.Time) never is; a pointer only when nil.
 */
import { def, GoError, GoFloat32, GoFunc, GoInt, GoPanic, GoStruct, goSlice, elemType, isGoMap, GoMap, Value } from '../value';
import { isNamedInt } from './conv';
import type { FuncFamily } from './env';

/** sprig's empty(). */
export function isEmpty(v: Value): boolean {
  if (v === undefined || v === null) return true;
  switch (typeof v) {
    case 'boolean':
      return !v;
    case 'string':
      return v.length === 0;
    case 'number':
      return v === 0;
  }
  if (v instanceof GoInt) return v.v === 0n;
  if (v instanceof GoFloat32) return v.v === 0;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (v instanceof GoFunc) return false;
  if (v instanceof GoStruct) {
    const m = v.asMap();
    if (m) return Object.keys(m).length === 0;
    if (isNamedInt(v)) return v.n === 0n;
    return false;
  }
  for (const _ in v) return false;
  return true;
}

/**
 * copystructure.Copy: maps and slices are copied all the way down; scalars, times and other structs
 * are values already. A nil interface makes copystructure call Type on a zero reflect.Value, which
 * panics (even mustDeepCopy panics).
 */
export function deepCopyValue(v: Value): Value {
  if (v === undefined || v === null) throw new GoPanic('reflect: call of reflect.Value.Type on zero Value');
  return copyValue(v);
}

function copyValue(v: Value): Value {
  if (v === undefined || v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v)) {
    const out = v.map(copyValue);
    const t = elemType(v);
    return t === 'interface {}' ? out : goSlice(out, t);
  }
  if (v instanceof GoStruct) {
    const m = v.asMap();
    if (!m) return v;
    // A named map type (chartutil.Values) keeps its type when it can make a copy of itself
    // (`withMap(m)`); otherwise the copy is a plain map[string]interface {}.
    const w = (v as unknown as { withMap?: (m: GoMap) => Value }).withMap;
    return typeof w === 'function' ? w.call(v, copyMap(m)) : copyMap(m);
  }
  if (isGoMap(v)) return copyMap(v);
  return v;
}

function copyMap(m: GoMap): GoMap {
  const out: GoMap = {};
  for (const k of Object.keys(m)) out[k] = copyValue(m[k]);
  return out;
}

export const defaultFuncs: FuncFamily = (map) => {
  const I = 'interface {}';
  def(map, 'default', [I], I, (d: Value, ...given: Value[]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]), {
    variadic: I,
  });
  def(map, 'empty', [I], 'bool', (v: Value) => isEmpty(v));
  def(
    map,
    'coalesce',
    [],
    I,
    (...v: Value[]) => {
      for (const x of v) if (!isEmpty(x)) return x;
      return null;
    },
    { variadic: I },
  );
  def(map, 'all', [], 'bool', (...v: Value[]) => v.every((x) => !isEmpty(x)), { variadic: I });
  def(map, 'any', [], 'bool', (...v: Value[]) => v.some((x) => !isEmpty(x)), { variadic: I });
  def(map, 'ternary', [I, I, 'bool'], I, (vt: Value, vf: Value, v: boolean) => (v ? vt : vf));
  def(map, 'deepCopy', [I], I, (v: Value) => deepCopyValue(v));
  def(map, 'mustDeepCopy', [I], I, (v: Value) => deepCopyValue(v), { returnsError: true });
  def(
    map,
    'fail',
    ['string'],
    'string',
    (msg: string) => {
      throw new GoError(msg);
    },
    { returnsError: true },
  );
};
