/**
 * sprig's reflection functions: `typeOf` (fmt's %T), `typeIs`, `typeIsLike`, `kindOf`
 * (reflect.Kind), `kindIs`, and `deepEqual` (reflect.DeepEqual: identical dynamic types all the way
 * down, so float64 1 and int 1 differ, []string and []interface {} differ, NaN differs from itself
 * except inside the very same slice or map).
 */
import { def, GoFloat32, GoFunc, GoInt, GoStruct, isGoMap, kindName, typeName, Value } from '../value';
import { isNamedInt } from './conv';
import type { FuncFamily } from './env';

/** reflect.Kind's name, knowing the named ints (time.Month is an int) and pointer types (`*T`). */
export function kindOf(v: Value): string {
  if (v instanceof GoStruct) {
    if (isNamedInt(v)) return v.kind;
    if (v.goType.startsWith('*')) return 'ptr';
  }
  return kindName(v);
}

/** Things a GoStruct may expose for deepEqual (GoTime does). */
interface Comparable {
  goEqual(other: GoStruct): boolean;
}

/** reflect.DeepEqual of two interface values. */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (typeName(a) !== typeName(b)) return false;
  switch (typeof a) {
    case 'number':
    case 'string':
    case 'boolean':
      return a === b;
  }
  if (a instanceof GoInt) return a.v === (b as GoInt).v;
  if (a instanceof GoFloat32) return a.v === (b as GoFloat32).v;
  if (a instanceof Uint8Array) {
    const y = b as Uint8Array;
    if (a === y) return true;
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a)) {
    const y = b as Value[];
    if (a === y) return true;
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], y[i])) return false;
    return true;
  }
  if (a instanceof GoFunc) return false;
  if (a instanceof GoStruct) {
    const y = b as GoStruct;
    if (a === y) return true;
    const ma = a.asMap();
    if (ma) {
      const mb = y.asMap();
      return mb !== undefined && mapsEqual(ma, mb);
    }
    if (isNamedInt(a)) return isNamedInt(y) && a.n === y.n;
    const c = a as unknown as Partial<Comparable>;
    if (typeof c.goEqual === 'function') return c.goEqual(y);
    return false;
  }
  if (isGoMap(a) && isGoMap(b)) return mapsEqual(a, b);
  return false;
}

function mapsEqual(a: Record<string, Value>, b: Record<string, Value>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual(a[k], b[k])) return false;
  }
  return true;
}

export const reflectFuncs: FuncFamily = (map) => {
  const I = 'interface {}';
  def(map, 'typeOf', [I], 'string', (v: Value) => typeName(v));
  def(map, 'typeIs', ['string', I], 'bool', (t: string, v: Value) => t === typeName(v));
  def(map, 'typeIsLike', ['string', I], 'bool', (t: string, v: Value) => {
    const n = typeName(v);
    return t === n || '*' + t === n;
  });
  def(map, 'kindOf', [I], 'string', (v: Value) => kindOf(v));
  def(map, 'kindIs', ['string', I], 'bool', (t: string, v: Value) => t === kindOf(v));
  def(map, 'deepEqual', [I, I], 'bool', (a: Value, b: Value) => deepEqual(a, b));
};
