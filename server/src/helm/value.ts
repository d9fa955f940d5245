/**
 * Go values as the template engine sees them, in JavaScript.
 *
 * | Go                              | here                                                   |
 * |---------------------------------|--------------------------------------------------------|
 * | invalid reflect.Value (no value)| `undefined` (prints `<no value>`)                      |
 * | nil interface{}                 | `null` (prints `<nil>`)                                |
 * | bool                            | `boolean`                                              |
 * | string                          | `string`                                               |
 * | float64 (all numbers of values) | `number`                                               |
 * | int, int64, uint8, ...          | `GoInt` (a bigint and its Go type)                     |
 * | float32                         | `GoFloat32`                                            |
 * | []byte                          | `Uint8Array`                                           |
 * | []interface{}                   | `Value[]` (an array without an element type)          |
 * | []string and other slices       | `Value[]` with `elemType(arr)` set (`goSlice`)         |
 * | map[string]interface{}          | a plain object (`isGoMap`); keys are strings           |
 * | structs, named types, methods   | a `GoStruct` subclass (Release, Chart, Files, ...)     |
 * | func                            | `GoFunc` (what `call` calls)                           |
 *
 * Functions signal Go's `error` result by throwing `GoError` with Go's message text.
 */

export type Value =
  | undefined
  | null
  | boolean
  | string
  | number
  | GoInt
  | GoFloat32
  | Uint8Array
  | Value[]
  | GoMap
  | GoStruct
  | GoFunc;

export interface GoMap {
  [key: string]: Value;
}

export type IntType =
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr';

/** A Go integer of a given type. `v` is always within the type's range. */
export class GoInt {
  constructor(
    readonly v: bigint,
    readonly t: IntType = 'int',
  ) {}
  toNumber(): number {
    return Number(this.v);
  }
  isUnsigned(): boolean {
    return this.t[0] === 'u';
  }
}

export class GoFloat32 {
  constructor(readonly v: number) {}
}

export function int(v: number | bigint, t: IntType = 'int'): GoInt {
  return new GoInt(typeof v === 'bigint' ? v : BigInt(Math.trunc(v)), t);
}

export function int64(v: number | bigint): GoInt {
  return int(v, 'int64');
}

/** Thrown for Go's `error` results: the message is Go's text, e.g. `runtime error: index out of range [3] with length 2`. */
export class GoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoError';
  }
}

/**
 * A Go struct or named type with fields and methods. `goType` is Go's type name as `%T` prints it
 * (e.g. `*chart.Metadata`, `common.Values`). The evaluator reads fields and calls methods through
 * `field` and `method`; a struct is never a map unless `asMap` returns one.
 */
export abstract class GoStruct {
  abstract readonly goType: string;
  /** An exported field, or undefined when there is none (then `method` is tried). */
  field(_name: string): { value: Value } | undefined {
    return undefined;
  }
  /** A method by name, or undefined. */
  method(_name: string): FuncDef | undefined {
    return undefined;
  }
  /** Maps with methods (chartutil.Values, Files) return their entries here; plain structs return undefined. */
  asMap(): GoMap | undefined {
    return undefined;
  }
  /** What `%v` prints for it (Go's fmt of the struct, e.g. `{map[] v1.2}`); default `{}`. */
  format(): string {
    return '{}';
  }
  /** Truth in `if`: structs are always true; maps and slices by length. */
  truth(): boolean {
    return true;
  }
  /**
   * What encoding/json marshals it as (toJson, toYaml, toToml go through it): the exported
   * fields under their JSON names (minus `omitempty` ones that are empty) as a plain map, or any
   * other value. Default: the map of `asMap()`, else `{}` (a struct without exported fields).
   */
  jsonValue(): Value {
    return this.asMap() ?? {};
  }
}

/** A function value (a template `call` target). */
export class GoFunc {
  constructor(readonly def: FuncDef) {}
}

/**
 * Go type names used to declare the parameters and results of functions, as `%T` prints them.
 * The evaluator converts and checks arguments against these exactly as text/template does
 * (evalArg / validateType): `interface {}` takes anything, `string` wants a string, `int` an int, ...
 */
export type GoType =
  | 'interface {}'
  | 'string'
  | 'bool'
  | 'int'
  | 'int64'
  | 'int32'
  | 'uint'
  | 'uint8'
  | 'uint32'
  | 'uint64'
  | 'float64'
  | 'float32'
  | '[]interface {}'
  | '[]string'
  | '[]uint8'
  | 'map[string]interface {}'
  | 'reflect.Value'
  | string;

/**
 * A template function, as registered in a FuncMap.
 *
 * `params` are the fixed parameters; `variadic` the element type of a trailing `...T`. `result` is
 * the static type of the first result (the evaluator needs it: a nil `interface {}` result becomes
 * "no value"), `returnsError` whether Go's function has a second `error` result (then `fn`
 * throws GoError for it, and the evaluator reports `error calling NAME: MSG`).
 * A function without `returnsError` that panics in Go throws `GoPanic` here.
 */
export interface FuncDef {
  name: string;
  params: GoType[];
  variadic?: GoType;
  result: GoType;
  returnsError?: boolean;
  fn: (...args: Value[]) => Value;
}

/** A Go panic inside a function: text/template recovers it as `error calling NAME: MSG`. */
export class GoPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoPanic';
  }
}

export type FuncMap = Map<string, FuncDef>;

/** Declares a function in a FuncMap (helper for the function families). */
export function def(
  map: FuncMap,
  name: string,
  params: GoType[],
  result: GoType,
  fn: (...args: any[]) => Value,
  opts: { variadic?: GoType; returnsError?: boolean } = {},
): void {
  map.set(name, { name, params, result, fn, variadic: opts.variadic, returnsError: opts.returnsError });
}

const ELEM = Symbol('goElemType');

/** Marks an array as a Go slice of the given element type (`[]string` for `goSlice(a, 'string')`). */
export function goSlice<T extends Value[]>(arr: T, elem: GoType): T {
  (arr as unknown as Record<symbol, GoType>)[ELEM] = elem;
  return arr;
}

/** The element type of a slice: `interface {}` unless set by goSlice. */
export function elemType(arr: Value[]): GoType {
  return (arr as unknown as Record<symbol, GoType | undefined>)[ELEM] ?? 'interface {}';
}

const MAP_ELEM = Symbol('goMapElemType');

/** Marks a map as map[string]T (`map[string]string` for `goMapOf(m, 'string')`); unmarked maps are map[string]interface {}. */
export function goMapOf<T extends GoMap>(m: T, elem: GoType): T {
  Object.defineProperty(m, MAP_ELEM, { value: elem, enumerable: false });
  return m;
}

/** The element type of a map: `interface {}` unless set by goMapOf. */
export function mapElemType(m: GoMap): GoType {
  return (m as unknown as Record<symbol, GoType | undefined>)[MAP_ELEM] ?? 'interface {}';
}

export function isGoMap(v: Value): v is GoMap {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** An own key of a Go map (never an inherited property like `constructor`). */
export function hasKey(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** The map behind a value: a plain map or a GoStruct that is a map (Values, Files); else undefined. */
export function mapOf(v: Value): GoMap | undefined {
  if (isGoMap(v)) return v;
  if (v instanceof GoStruct) return v.asMap();
  return undefined;
}

/** Go's `%T` of a value. */
export function typeName(v: Value): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
  }
  if (v instanceof GoInt) return v.t;
  if (v instanceof GoFloat32) return 'float32';
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return '[]' + elemType(v);
  if (v instanceof GoStruct) return v.goType;
  if (v instanceof GoFunc) return 'func';
  return 'map[string]' + mapElemType(v as GoMap);
}

/** Go's reflect.Kind name of a value (what sprig's `kindOf` prints). */
export function kindName(v: Value): string {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
  }
  if (v instanceof GoInt) return v.t;
  if (v instanceof GoFloat32) return 'float32';
  if (v instanceof Uint8Array || Array.isArray(v)) return 'slice';
  if (v instanceof GoFunc) return 'func';
  if (v instanceof GoStruct) return v.asMap() ? 'map' : 'struct';
  return 'map';
}

/** Truth as text/template's `if` judges it (template.IsTrue). */
export function isTrue(v: Value): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
  }
  if (v instanceof GoInt) return v.v !== 0n;
  if (v instanceof GoFloat32) return v.v !== 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof GoStruct) {
    const m = v.asMap();
    return m ? Object.keys(m).length > 0 : v.truth();
  }
  if (v instanceof GoFunc) return true;
  return Object.keys(v).length > 0;
}
