/**
 * sprig's list functions: `list`/`tuple`, `append`/`push`, `prepend`, `first`, `rest`, `last`,
 * `initial`, `reverse`, `uniq`, `without`, `has`, `compact`, `slice`, `concat`, `chunk`, and their
 * `must*` forms.
 *
 * They take any slice (`[]interface {}`, `[]string`, `[]byte`, ...) through reflection and return
 * `[]interface {}`. On a value that is not a slice the `must*` forms return Go's error
 * ("Cannot find first on type string") and the plain forms panic with the same text; on nil every
 * one of them dereferences a nil reflect.Type and panics with Go's nil pointer message. Results are
 * fresh slices: the caller's list is never changed.
 */
import { def, elemType, goSlice, GoError, GoInt, GoPanic, Value } from '../value';
import { floatToInt64, toInt } from './conv';
import { isEmpty } from './defaults';
import { deepEqual, kindOf } from './reflect';
import type { FuncFamily } from './env';

const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/**
 * The elements of a slice value, or the reflect.Kind of what it is instead. nil has no type:
 * reflect.TypeOf(nil).Kind() dereferences a nil pointer.
 */
function elems(v: Value): Value[] | { kind: string } {
  if (v === undefined || v === null) throw new GoPanic(NIL_DEREF);
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => new GoInt(BigInt(b), 'uint8'));
  return { kind: kindOf(v) };
}

/** Runs a list operation: a non-slice becomes GoError (must) or GoPanic (plain) with `message(kind)`. */
function withList<T>(v: Value, must: boolean, message: (kind: string) => string, f: (l: Value[]) => T): T {
  const l = elems(v);
  if (!Array.isArray(l)) {
    const msg = message(l.kind);
    throw must ? new GoError(msg) : new GoPanic(msg);
  }
  return f(l);
}

function inList(haystack: Value[], needle: Value): boolean {
  for (const h of haystack) if (deepEqual(needle, h)) return true;
  return false;
}

/** reflect.Value.Slice on the list (a slice's capacity is taken to be its length). */
function sliceOf(list: Value, l: Value[], start: bigint, end: bigint): Value {
  if (start < 0n || end < start || end > BigInt(l.length)) {
    throw new GoPanic('reflect.Value.Slice: slice index out of bounds');
  }
  if (list instanceof Uint8Array) return list.subarray(Number(start), Number(end));
  const out = l.slice(Number(start), Number(end));
  const t = elemType(l);
  return t === 'interface {}' ? out : goSlice(out, t);
}

/** sprig's chunk arithmetic, float64 conversions and all (a size of 0 or below usually panics in make). */
function chunkList(size: bigint, l: Value[]): Value[][] {
  const n = l.length;
  const fsize = Number(size);
  const cs = floatToInt64(Math.floor((n - 1) / fsize) + 1);
  if (cs < 0n) throw new GoPanic('runtime error: makeslice: len out of range');
  const out: Value[][] = [];
  const count = Number(cs);
  for (let i = 0; i < count; i++) {
    let clen = size;
    if (i === count - 1) {
      clen = floatToInt64(Math.floor(n % fsize));
      if (clen === 0n) clen = size;
    }
    if (clen < 0n) throw new GoPanic('runtime error: makeslice: len out of range');
    const c: Value[] = [];
    for (let j = 0n; j < clen; j++) {
      const ix = BigInt(i) * size + j;
      if (ix < 0n || ix >= BigInt(n)) throw new GoPanic('reflect: slice index out of range');
      c.push(l[Number(ix)]);
    }
    out.push(c);
  }
  return goSlice(out, '[]interface {}');
}

export const listFuncs: FuncFamily = (map) => {
  const I = 'interface {}';
  const L = '[]interface {}';
  // "No value" arguments are nil interfaces once inside a Go slice.
  const nil = (x: Value): Value => (x === undefined ? null : x);
  const list = (...v: Value[]) => v.map(nil);
  def(map, 'list', [], L, list, { variadic: I });
  def(map, 'tuple', [], L, list, { variadic: I });

  for (const must of [false, true]) {
    const name = (n: string) => (must ? 'must' + n[0].toUpperCase() + n.slice(1) : n);
    const opts = { returnsError: must };

    const push = (v: Value, x: Value) => withList(v, must, (k) => `Cannot push on type ${k}`, (l) => [...l, nil(x)]);
    def(map, name('append'), [I, I], L, push, opts);
    def(map, name('push'), [I, I], L, push, opts);
    def(map, name('prepend'), [I, I], L, (v: Value, x: Value) =>
      withList(v, must, (k) => `Cannot prepend on type ${k}`, (l) => [nil(x), ...l]), opts);
    def(map, name('first'), [I], I, (v: Value) =>
      withList(v, must, (k) => `Cannot find first on type ${k}`, (l) => (l.length === 0 ? null : l[0])), opts);
    def(map, name('last'), [I], I, (v: Value) =>
      withList(v, must, (k) => `Cannot find last on type ${k}`, (l) => (l.length === 0 ? null : l[l.length - 1])), opts);
    // Go returns a nil slice for an empty list; it prints like an empty one.
    def(map, name('rest'), [I], L, (v: Value) =>
      withList(v, must, (k) => `Cannot find rest on type ${k}`, (l) => l.slice(1)), opts);
    def(map, name('initial'), [I], L, (v: Value) =>
      withList(v, must, (k) => `Cannot find initial on type ${k}`, (l) => l.slice(0, Math.max(0, l.length - 1))), opts);
    def(map, name('reverse'), [I], L, (v: Value) =>
      withList(v, must, (k) => `Cannot find reverse on type ${k}`, (l) => l.slice().reverse()), opts);
    def(map, name('compact'), [I], L, (v: Value) =>
      withList(v, must, (k) => `Cannot compact on type ${k}`, (l) => l.filter((x) => !isEmpty(x))), opts);
    def(map, name('uniq'), [I], L, (v: Value) =>
      withList(v, must, (k) => `Cannot find uniq on type ${k}`, (l) => {
        const dest: Value[] = [];
        for (const x of l) if (!inList(dest, x)) dest.push(x);
        return dest;
      }), opts);
    def(
      map,
      name('without'),
      [I],
      L,
      (v: Value, ...omit: Value[]) =>
        withList(v, must, (k) => `Cannot find without on type ${k}`, (l) => l.filter((x) => !inList(omit, x))),
      { variadic: I, returnsError: must },
    );
    def(map, name('has'), [I, I], 'bool', (needle: Value, haystack: Value) => {
      if (haystack === undefined || haystack === null) return false;
      return withList(haystack, must, (k) => `Cannot find has on type ${k}`, (l) => inList(l, needle));
    }, opts);
    def(
      map,
      name('slice'),
      [I],
      I,
      (v: Value, ...indices: Value[]) =>
        withList(v, must, (k) => `list should be type of slice or array but ${k}`, (l) => {
          if (l.length === 0) return null;
          const start = indices.length > 0 ? toInt(indices[0]) : 0n;
          const end = indices.length < 2 ? BigInt(l.length) : toInt(indices[1]);
          return sliceOf(v, l, start, end);
        }),
      { variadic: I, returnsError: must },
    );
    def(map, name('chunk'), ['int', I], '[][]interface {}', (size: GoInt, v: Value) =>
      withList(v, must, (k) => `Cannot chunk type ${k}`, (l) => chunkList(size.v, l)), opts);
  }

  def(
    map,
    'concat',
    [],
    I,
    (...lists: Value[]) => {
      const res: Value[] = [];
      for (const v of lists) {
        const l = elems(v);
        if (!Array.isArray(l)) throw new GoPanic(`Cannot concat type ${l.kind} as list`);
        for (const x of l) res.push(x);
      }
      return res;
    },
    { variadic: I },
  );
};
