/**
 * text/template's builtin functions (Go 1.19 text/template/funcs.go): and, or, not, len, index,
 * slice, eq, ne, lt, le, gt, ge, print, printf, println, html, js, urlquery, call.
 *
 * Parameters declared `reflect.Value` receive values as the evaluator holds them: null is a nil
 * interface{} (e.g. a missing map key), undefined an invalid value (no value). `and` and `or` are
 * declared here for their signatures only: the evaluator runs them itself, lazily (Go 1.18+).
 * Errors are Go's: a GoError is the function's error result, a GoPanic a recovered panic.
 */
import { formatV, goTypeName, isAscii, sprint, sprintln, utf8Bytes, utf8Length, utf8String } from './fmt';
import { sprintf } from './printf';
import {
  elemType,
  FuncDef,
  FuncMap,
  GoError,
  GoFloat32,
  GoFunc,
  GoInt,
  GoPanic,
  GoStruct,
  GoType,
  goSlice,
  hasKey,
  isGoMap,
  isTrue,
  IntType,
  mapOf,
  Value,
} from './value';

/**
 * An interface{} value handed to `slice` as an index: Go's slice builtin does not look inside
 * interfaces, so `slice $.list .` with dot an element of a []interface{} fails with
 * `cannot index slice/array with type interface {}`. The evaluator wraps such arguments.
 */
export class IfaceValue extends GoStruct {
  readonly goType = 'interface {}';
  constructor(readonly inner: Value) {
    super();
  }
}

/** indirectInterface: the value inside an interface (a nil interface is no value). */
function indirectInterface(v: Value): Value {
  return v === null ? undefined : v;
}

/** truth(): isTrue of the value inside the interface. */
export function truth(v: Value): boolean {
  return isTrue(v);
}

const INT_BITS: Record<string, number> = {
  int: 64,
  int8: 8,
  int16: 16,
  int32: 32,
  int64: 64,
  uint: 64,
  uint8: 8,
  uint16: 16,
  uint32: 32,
  uint64: 64,
  uintptr: 64,
};

/** Whether a Go type name is one of the integer kinds. */
export function isIntType(t: string): t is IntType {
  return INT_BITS[t] !== undefined;
}

/** reflect's SetInt/SetUint/Convert: the value wrapped to the type's width. */
export function convertInt(v: bigint, t: IntType): GoInt {
  const bits = INT_BITS[t];
  return new GoInt(t[0] === 'u' ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v), t);
}

/** Types an untyped nil can be assigned to (canBeNil). */
export function canBeNil(t: GoType): boolean {
  return (
    t === 'interface {}' ||
    t === 'reflect.Value' ||
    t.startsWith('[]') ||
    t.startsWith('map[') ||
    t.startsWith('*') ||
    t.startsWith('func') ||
    t.startsWith('chan ') ||
    t === 'error'
  );
}

/** reflect.Zero of a nilable type, as a JavaScript value the functions can use. */
export function zeroOf(t: GoType): Value {
  if (t === 'reflect.Value') return undefined;
  if (t === '[]uint8' || t === '[]byte') return new Uint8Array(0);
  if (t.startsWith('[]')) {
    const et = t.slice(2);
    return et === 'interface {}' ? [] : goSlice([], et);
  }
  if (t.startsWith('map[')) return {};
  return null;
}

const NOT_ASSIGNABLE = Symbol('notAssignable');

/**
 * Value.Type().AssignableTo(t) for a non-nil value: the value itself (or the map behind a named
 * map type such as chartutil.Values, assignable to map[string]interface {}), else NOT_ASSIGNABLE.
 */
export function assign(v: Value, t: GoType): Value | typeof NOT_ASSIGNABLE {
  if (t === 'interface {}') return v;
  const vt = goTypeName(v);
  if (vt === t) return v;
  if (t === '[]byte' && vt === '[]uint8') return v;
  if (v instanceof GoStruct && t.startsWith('map[')) {
    const m = v.asMap();
    if (m && t === 'map[string]interface {}') return m;
  }
  return NOT_ASSIGNABLE;
}
export { NOT_ASSIGNABLE };

/** funcs.go prepareArg: for `call` and for map keys in `index`. */
function prepareArg(v: Value, t: GoType): Value {
  if (v === undefined || v === null) {
    if (!canBeNil(t)) throw new GoError(`value is nil; should be of type ${t}`);
    return zeroOf(t);
  }
  const a = assign(v, t);
  if (a !== NOT_ASSIGNABLE) return a;
  if (v instanceof GoInt && isIntType(t)) return convertInt(v.v, t);
  throw new GoError(`value has type ${goTypeName(v)}; should be ${t}`);
}

/** funcs.go indexArg. */
function indexArg(index: Value, cap: number): number {
  let x: bigint;
  if (index instanceof GoInt) x = index.isUnsigned() ? BigInt.asIntN(64, index.v) : index.v;
  else if (index === undefined) throw new GoError('cannot index slice/array with nil');
  else throw new GoError(`cannot index slice/array with type ${index === null ? 'interface {}' : goTypeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new GoError(`index out of range: ${x}`);
  return Number(x);
}

/** A byte of a string's UTF-8 encoding. */
function byteAt(s: string, i: number): number {
  if (isAscii(s)) return s.charCodeAt(i);
  return utf8Bytes(s)[i];
}

function index(item: Value, ...indexes: Value[]): Value {
  item = indirectInterface(item);
  if (item === undefined) throw new GoError('index of untyped nil');
  for (let k = 0; k < indexes.length; k++) {
    const idx = indirectInterface(indexes[k]);
    if (item === null || item === undefined) throw new GoError('index of nil pointer');
    if (typeof item === 'string') {
      const len = utf8Length(item);
      const x = indexArg(idx, len);
      if (x >= len) throw new GoPanic('reflect: string index out of range');
      item = new GoInt(BigInt(byteAt(item, x)), 'uint8');
      continue;
    }
    if (item instanceof Uint8Array) {
      const x = indexArg(idx, item.length);
      if (x >= item.length) throw new GoPanic('reflect: slice index out of range');
      item = new GoInt(BigInt(item[x]), 'uint8');
      continue;
    }
    if (Array.isArray(item)) {
      const x = indexArg(idx, item.length);
      if (x >= item.length) throw new GoPanic('reflect: slice index out of range');
      const e: Value = item[x];
      item = e === undefined ? null : e;
      continue;
    }
    const m = mapOf(item);
    if (m) {
      const key = prepareArg(idx, 'string') as string;
      const e = hasKey(m, key) ? m[key] : undefined;
      // A missing key gives the zero of the element type: a nil interface{}.
      item = e === undefined ? null : e;
      continue;
    }
    throw new GoError(`can't index item of type ${derefTypeName(item)}`);
  }
  return item;
}

function slice(item: Value, ...indexes: Value[]): Value {
  item = indirectInterface(item);
  if (item === undefined) throw new GoError('slice of untyped nil');
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
    cap = len = utf8Length(item);
  } else if (item instanceof Uint8Array || Array.isArray(item)) {
    cap = len = item.length;
  } else {
    throw new GoError(`can't slice item of type ${item === null ? 'interface {}' : goTypeName(item)}`);
  }
  const idx = [0, len, 0];
  for (let i = 0; i < indexes.length; i++) {
    idx[i] = indexArg(indexes[i], cap);
  }
  if (idx[0] > idx[1]) throw new GoError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new GoError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') {
    if (isAscii(item)) return item.slice(idx[0], idx[1]);
    return utf8String(utf8Bytes(item).slice(idx[0], idx[1]));
  }
  if (item instanceof Uint8Array) return item.slice(idx[0], idx[1]);
  const out = item.slice(idx[0], idx[1]);
  const et = elemType(item);
  return et === 'interface {}' ? out : goSlice(out, et);
}

/** The type after Go's indirect(): a pointer to a struct names the struct. */
function derefTypeName(v: Value): string {
  const t = goTypeName(v);
  return v instanceof GoStruct && t[0] === '*' ? t.slice(1) : t;
}

function length(item: Value): Value {
  if (item === null) throw new GoError('len of nil pointer');
  if (item === undefined) throw new GoPanic('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return new GoInt(BigInt(utf8Length(item)));
  if (item instanceof Uint8Array || Array.isArray(item)) return new GoInt(BigInt(item.length));
  const m = mapOf(item);
  if (m) return new GoInt(BigInt(Object.keys(m).length));
  throw new GoError(`len of type ${derefTypeName(item)}`);
}

function call(fn: Value, ...args: Value[]): Value {
  fn = indirectInterface(fn);
  if (fn === undefined) throw new GoError('call of nil');
  if (!(fn instanceof GoFunc)) throw new GoError(`non-function of type ${goTypeName(fn)}`);
  const d = fn.def;
  const numIn = d.params.length + (d.variadic ? 1 : 0);
  if (d.variadic) {
    if (args.length < numIn - 1) throw new GoError(`wrong number of args: got ${args.length} want at least ${numIn - 1}`);
  } else if (args.length !== numIn) {
    throw new GoError(`wrong number of args: got ${args.length} want ${numIn}`);
  }
  const argv: Value[] = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    const argType = !d.variadic || i < numIn - 1 ? d.params[i] : d.variadic;
    try {
      argv[i] = prepareArg(indirectInterface(args[i]), argType);
    } catch (e) {
      if (e instanceof GoError) throw new GoError(`arg ${i}: ${e.message}`);
      throw e;
    }
  }
  return d.fn(...argv);
}

// ----- comparison

const enum Kind {
  Invalid,
  Bool,
  Complex,
  Int,
  Float,
  String,
  Uint,
}

const ERR_BAD_TYPE = 'invalid type for comparison';
const ERR_BAD = 'incompatible types for comparison';

/** A named integer type (time.Duration, time.Month: see funcs/conv.ts NamedInt) compares as its underlying integer. */
function underlying(v: Value): Value {
  if (v instanceof GoStruct) {
    const n = (v as unknown as { n?: unknown; kind?: unknown }).n;
    const kind = (v as unknown as { kind?: unknown }).kind;
    if (typeof n === 'bigint' && typeof kind === 'string') return new GoInt(n, kind as GoInt['t']);
  }
  return v;
}

function basicKind(v: Value): Kind {
  switch (typeof v) {
    case 'boolean':
      return Kind.Bool;
    case 'number':
      return Kind.Float;
    case 'string':
      return Kind.String;
  }
  if (v instanceof GoInt) return v.isUnsigned() ? Kind.Uint : Kind.Int;
  if (v instanceof GoFloat32) return Kind.Float;
  return Kind.Invalid;
}

function floatOf(v: Value): number {
  return v instanceof GoFloat32 ? v.v : (v as number);
}

/** Go's reflect.Kind of a non-basic value, for canCompare. */
function reflectKind(v: Value): string {
  if (v === undefined) return 'invalid';
  if (v === null) return 'interface';
  if (v instanceof Uint8Array || Array.isArray(v)) return 'slice';
  if (v instanceof GoFunc) return 'func';
  if (isGoMap(v)) return 'map';
  if (v instanceof GoStruct) return v.asMap() ? 'map' : v.goType.startsWith('*') ? 'ptr' : 'struct';
  return 'basic';
}

function comparable(v: Value): boolean {
  const k = reflectKind(v);
  return k !== 'slice' && k !== 'map' && k !== 'func';
}

function eq(arg1: Value, ...arg2: Value[]): Value {
  arg1 = underlying(indirectInterface(arg1));
  if (arg2.length === 0) throw new GoError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (let a of arg2) {
    a = underlying(indirectInterface(a));
    const k2 = basicKind(a);
    let t = false;
    if (k1 !== k2) {
      // Integers compare regardless of the sign of their types.
      if (k1 === Kind.Int && k2 === Kind.Uint) t = (arg1 as GoInt).v >= 0n && (arg1 as GoInt).v === (a as GoInt).v;
      else if (k1 === Kind.Uint && k2 === Kind.Int) t = (a as GoInt).v >= 0n && (arg1 as GoInt).v === (a as GoInt).v;
      else if (arg1 !== undefined && a !== undefined) throw new GoError(ERR_BAD);
    } else {
      switch (k1) {
        case Kind.Bool:
        case Kind.String:
          t = arg1 === a;
          break;
        case Kind.Float:
          t = floatOf(arg1) === floatOf(a);
          break;
        case Kind.Int:
        case Kind.Uint:
          t = (arg1 as GoInt).v === (a as GoInt).v;
          break;
        default: {
          const ka = reflectKind(arg1);
          const kb = reflectKind(a);
          if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
            throw new GoError(
              `non-comparable types ${sprintf('%s', [arg1])}: ${goTypeName(arg1)}, ${goTypeName(a)}: ${formatV(a, true)}`,
            );
          }
          const n1 = arg1 === undefined;
          const n2 = a === undefined;
          if (n1 || n2) t = n1 === n2;
          else {
            if (!comparable(a)) throw new GoError(`non-comparable type ${sprintf('%s', [a])}: ${goTypeName(a)}`);
            t = arg1 === a;
          }
        }
      }
    }
    if (t) return true;
  }
  return false;
}

function lt(arg1: Value, arg2: Value): boolean {
  arg1 = underlying(indirectInterface(arg1));
  const k1 = basicKind(arg1);
  if (k1 === Kind.Invalid) throw new GoError(ERR_BAD_TYPE);
  arg2 = underlying(indirectInterface(arg2));
  const k2 = basicKind(arg2);
  if (k2 === Kind.Invalid) throw new GoError(ERR_BAD_TYPE);
  if (k1 !== k2) {
    if (k1 === Kind.Int && k2 === Kind.Uint) return (arg1 as GoInt).v < 0n || (arg1 as GoInt).v < (arg2 as GoInt).v;
    if (k1 === Kind.Uint && k2 === Kind.Int) return (arg2 as GoInt).v >= 0n && (arg1 as GoInt).v < (arg2 as GoInt).v;
    throw new GoError(ERR_BAD);
  }
  switch (k1) {
    case Kind.Bool:
    case Kind.Complex:
      throw new GoError(ERR_BAD_TYPE);
    case Kind.Float:
      return floatOf(arg1) < floatOf(arg2);
    case Kind.String:
      return compareGo(arg1 as string, arg2 as string) < 0;
    default:
      return (arg1 as GoInt).v < (arg2 as GoInt).v;
  }
}

function compareGo(a: string, b: string): number {
  // Bytewise UTF-8 order: JavaScript's order except for astral characters.
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function le(a: Value, b: Value): boolean {
  if (lt(a, b)) return true;
  return eq(a, b) as boolean;
}

// ----- escaping

/** evalArgs: one string as it is, else fmt.Sprint of the printable values (a nil prints `<no value>`). */
function evalArgs(args: Value[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  // fmt.Sprint of printableValue(arg): pointers are indirected (no `&`), nil is the string "<no value>".
  let out = '';
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const isString = typeof a === 'string' || a === null || a === undefined;
    if (i > 0 && !isString && !prevString) out += ' ';
    out += a === null || a === undefined ? '<no value>' : formatV(a, true);
    prevString = isString;
  }
  return out;
}

/** template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    switch (c) {
      case '\0':
        out += '\ufffd';
        break;
      case '"':
        out += '&#34;';
        break;
      case "'":
        out += '&#39;';
        break;
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      default:
        out += c;
    }
  }
  return out;
}

const HEX_UPPER = '0123456789ABCDEF';

/** template.JSEscapeString (Go 1.19). */
export function jsEscape(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string;
    if (c < 0x80) {
      switch (c) {
        case 0x5c:
          rep = '\\\\';
          break;
        case 0x27:
          rep = "\\'";
          break;
        case 0x22:
          rep = '\\"';
          break;
        case 0x3c:
          rep = '\\u003C';
          break;
        case 0x3e:
          rep = '\\u003E';
          break;
        case 0x26:
          rep = '\\u0026';
          break;
        case 0x3d:
          rep = '\\u003D';
          break;
        default:
          if (c >= 0x20) continue;
          rep = '\\u00' + HEX_UPPER[c >> 4] + HEX_UPPER[c & 0xf];
      }
    } else {
      let r = c;
      let w = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        r = s.codePointAt(i)!;
        w = 2;
      } else if (c >= 0xd800 && c <= 0xdfff) r = 0xfffd;
      if (isPrintRune(r)) {
        i += w - 1;
        continue;
      }
      rep = '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
      out += s.slice(last, i);
      out += rep;
      i += w - 1;
      last = i + 1;
      continue;
    }
    out += s.slice(last, i) + rep;
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

const PRINT_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
function isPrintRune(r: number): boolean {
  if (r === 0xfffd) return true;
  return PRINT_RE.test(String.fromCodePoint(r));
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  const b = isAscii(s) ? null : utf8Bytes(s);
  const n = b ? b.length : s.length;
  for (let i = 0; i < n; i++) {
    const c = b ? b[i] : s.charCodeAt(i);
    if (
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x5f ||
      c === 0x2e ||
      c === 0x7e
    ) {
      out += String.fromCharCode(c);
    } else if (c === 0x20) out += '+';
    else out += '%' + HEX_UPPER[c >> 4] + HEX_UPPER[c & 0xf];
  }
  return out;
}

// ----- the map

function defn(
  m: FuncMap,
  name: string,
  params: GoType[],
  result: GoType,
  fn: (...a: Value[]) => Value,
  variadic?: GoType,
  returnsError = false,
): void {
  const d: FuncDef = { name, params, result, fn, variadic, returnsError };
  m.set(name, d);
}

function unreachable(): Value {
  throw new GoPanic('unreachable');
}

function build(): FuncMap {
  const m: FuncMap = new Map();
  const RV = 'reflect.Value';
  defn(m, 'and', [RV], RV, unreachable, RV);
  defn(m, 'or', [RV], RV, unreachable, RV);
  defn(m, 'not', [RV], 'bool', (a) => !truth(a));
  defn(m, 'len', [RV], 'int', length, undefined, true);
  defn(m, 'index', [RV], RV, index, RV, true);
  defn(m, 'slice', [RV], RV, slice, RV, true);
  defn(m, 'call', [RV], RV, call, RV, true);
  defn(m, 'eq', [RV], 'bool', eq, RV, true);
  defn(m, 'ne', [RV, RV], 'bool', (a, b) => !eq(a, b), undefined, true);
  defn(m, 'lt', [RV, RV], 'bool', lt, undefined, true);
  defn(m, 'le', [RV, RV], 'bool', le, undefined, true);
  defn(m, 'gt', [RV, RV], 'bool', (a, b) => !le(a, b), undefined, true);
  defn(m, 'ge', [RV, RV], 'bool', (a, b) => !lt(a, b), undefined, true);
  defn(m, 'print', [], 'string', (...a) => sprint(a), 'interface {}');
  defn(m, 'printf', ['string'], 'string', (f, ...a) => sprintf(f as string, a), 'interface {}');
  defn(m, 'println', [], 'string', (...a) => sprintln(a), 'interface {}');
  defn(m, 'html', [], 'string', (...a) => htmlEscape(evalArgs(a)), 'interface {}');
  defn(m, 'js', [], 'string', (...a) => jsEscape(evalArgs(a)), 'interface {}');
  defn(m, 'urlquery', [], 'string', (...a) => queryEscape(evalArgs(a)), 'interface {}');
  return m;
}

/** The builtins, looked up after the template's own functions (as Go's findFunction does). */
export const BUILTINS: FuncMap = build();

/** Names of the builtins (the parser accepts them without a FuncMap). */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTINS.keys());
