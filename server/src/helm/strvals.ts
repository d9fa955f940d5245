/**
 * Helm's `--set` syntax (pkg/strvals): `a.b=c,list[0].x=1,l={x,y}` parsed into a values map, as
 * `--set` (typed: int64, bool, null), `--set-string` (all strings), `--set-file` (the value is a
 * file's content), `--set-json` (JSON values) and `--set-literal` (one literal value, no escapes).
 *
 * The parser reproduces Helm's control flow closely because its quirks are visible to users:
 * values are set while parsing, so a later error leaves the earlier keys set; an input that ends
 * in the middle of a key or an index is silently accepted when Helm reads it as "end of input"
 * (`a[1` sets nothing and is no error, `a[0]` sets `a: []`); a type clash with an existing value
 * is a recovered Go panic (`unable to parse key: interface conversion: interface {} is string,
 * not []interface {}`). Errors are thrown as GoError with Helm's text; MergeValues in values.ts
 * adds the `failed parsing --set data: ` prefix the CLI prints.
 */
import { GoError, GoInt, GoMap, Value, isGoMap } from './value';

/** The largest list index `--set` accepts (strvals.MaxIndex). */
export const MAX_INDEX = 65536;
/** The deepest `a.b.c...` nesting `--set` accepts (strvals.MaxNestedNameLevel). */
export const MAX_NESTED_NAME_LEVEL = 30;

/** A Go error value inside the parser; `eof` marks io.EOF and errors that wrap it (errors.Is). */
interface PErr {
  msg: string;
  eof?: boolean;
}
const EOF: PErr = { msg: 'EOF', eof: true };
const NOT_LIST: PErr = { msg: 'not a list' };

/** A recovered Go panic (the parser's failed type assertions). */
class Panic {
  constructor(readonly msg: string) {}
}

/** Reads code points (Go runes) from a string, with one step of unread. */
class RuneReader {
  i = 0;
  private last = 0;
  constructor(readonly s: string) {}
  /** The next code point, or -1 at the end. */
  read(): number {
    if (this.i >= this.s.length) {
      this.last = 0;
      return -1;
    }
    const c = this.s.codePointAt(this.i)!;
    this.last = c > 0xffff ? 2 : 1;
    this.i += this.last;
    return c;
  }
  unread(): void {
    this.i -= this.last;
    this.last = 0;
  }
}

/** Converts the runes of one value: typed (`--set`), strings, or a file's content. */
type ValueReader = (s: string) => Value;

const KEY_STOP = new Set([0x3d /* = */, 0x5b /* [ */, 0x2c /* , */, 0x2e /* . */]);
const INDEX_STOP = new Set([0x5d /* ] */]);
const ITEM_STOP = new Set([0x5b, 0x2e, 0x3d]);
const VAL_STOP = new Set([0x2c]);
const LIST_STOP = new Set([0x2c, 0x7d /* } */]);
const LITERAL_KEY_STOP = new Set([0x3d, 0x5b, 0x2e]);

interface Until {
  v: number[];
  last: number;
  eof: boolean;
}

/** strvals.runesUntil: runes up to a stop rune; a backslash takes the next rune literally. */
function runesUntil(r: RuneReader, stop: Set<number>, escapes = true): Until {
  const v: number[] = [];
  for (;;) {
    const c = r.read();
    if (c < 0) return { v, last: -1, eof: true };
    if (stop.has(c)) return { v, last: c, eof: false };
    if (c === 0x5c && escapes) {
      const next = r.read();
      if (next < 0) return { v, last: -1, eof: true };
      v.push(next);
    } else v.push(c);
  }
}

/** Runes to a string (in chunks: a long `--set` value must not overflow the argument limit). */
function str(v: number[]): string {
  if (v.length <= 4096) return String.fromCodePoint(...v);
  let out = '';
  for (let i = 0; i < v.length; i += 4096) out += String.fromCodePoint(...v.slice(i, i + 4096));
  return out;
}

/** Sets a map key (never through `__proto__`'s setter); an empty key is not set (strvals.set). */
function set(data: GoMap, key: string, val: Value): void {
  if (key === '') return;
  setKey(data, key, val);
}

/** A map assignment that treats `__proto__` as an ordinary key. */
export function setKey(m: GoMap, key: string, val: Value): void {
  if (key === '__proto__') Object.defineProperty(m, key, { value: val, enumerable: true, writable: true, configurable: true });
  else m[key] = val;
}

function has(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** The dynamic type Go names in `interface conversion: interface {} is T, not ...`. */
function dynType(v: Value): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.t;
  if (Array.isArray(v)) return '[]interface {}';
  if (isGoMap(v)) return 'map[string]interface {}';
  return 'interface {}';
}

function asList(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  throw new Panic(`interface conversion: interface {} is ${dynType(v)}, not []interface {}`);
}

function asMap(v: Value): GoMap {
  if (isGoMap(v)) return v;
  throw new Panic(`interface conversion: interface {} is ${dynType(v)}, not map[string]interface {}`);
}

/** unicode.IsSpace. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** strconv.Atoi's result or error text. */
function atoi(s: string): number | PErr {
  const m = /^[+-]?[0-9]+$/.exec(s);
  if (!m) return { msg: `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax` };
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return { msg: `strconv.Atoi: parsing ${goQuote(s)}: value out of range` };
  return Number(b);
}

/** strings.EqualFold against a lower-case ASCII word (ſ folds to s, K to k, as in Go). */
function equalFold(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 32;
    else if (c === 0x17f) c = 0x73;
    else if (c === 0x212a) c = 0x6b;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** strvals.typedVal: `true`/`false`/`null` (any case), int64 unless it starts with 0, else the string. */
export function typedVal(val: string, forceString: boolean): Value {
  if (forceString) return val;
  if (equalFold(val, 'true')) return true;
  if (equalFold(val, 'false')) return false;
  if (equalFold(val, 'null')) return null;
  if (val === '0') return new GoInt(0n, 'int64');
  if (val !== '' && val[0] !== '0' && /^[+-]?[0-9]+$/.test(val)) {
    const b = BigInt(val);
    if (b <= 9223372036854775807n && b >= -9223372036854775808n) return new GoInt(b, 'int64');
  }
  return val;
}

class Parser {
  private readonly sc: RuneReader;
  constructor(
    s: string,
    private readonly data: GoMap,
    private readonly reader: ValueReader | null,
    private readonly json: boolean,
  ) {
    this.sc = new RuneReader(s);
  }

  parse(): void {
    for (;;) {
      const err = this.key(this.data, 0);
      if (err === null) continue;
      if (err.eof) return;
      throw new GoError(err.msg);
    }
  }

  private read(rs: number[]): { v: Value; err: PErr | null } {
    try {
      return { v: this.reader!(str(rs)), err: null };
    } catch (e) {
      if (e instanceof GoError) return { v: null, err: { msg: e.message } };
      throw e;
    }
  }

  key(data: GoMap, level: number): PErr | null {
    try {
      return this.keyInner(data, level);
    } catch (e) {
      // key's deferred recover: a failed type assertion becomes an error of this key.
      if (e instanceof Panic) return { msg: `unable to parse key: ${e.msg}` };
      throw e;
    }
  }

  private keyInner(data: GoMap, level: number): PErr | null {
    const { v, last, eof } = runesUntil(this.sc, KEY_STOP);
    const k = str(v);
    if (eof) {
      if (v.length === 0) return EOF;
      return { msg: `key ${goQuote(k)} has no value` };
    }
    switch (last) {
      case 0x5b /* [ */: {
        const i = this.keyIndex();
        if (typeof i !== 'number') return wrapIndex(i);
        let list: Value[] = [];
        if (has(data, k)) list = asList(data[k]);
        const r = this.listItem(list, i, level);
        set(data, k, r.list);
        return r.err;
      }
      case 0x3d /* = */: {
        if (this.json) {
          if (this.emptyVal()) {
            set(data, k, null);
            return null;
          }
          const dec = decodeJSON(this.sc.s, this.sc.i);
          if ('err' in dec) return { msg: dec.err };
          set(data, k, dec.value);
          this.sc.i = dec.end;
          this.emptyVal();
          return null;
        }
        const vl = this.valList();
        if (vl.err === null) {
          set(data, k, vl.list);
          return null;
        }
        if (vl.err === EOF) {
          set(data, k, '');
          return EOF;
        }
        if (vl.err === NOT_LIST) {
          const rs = runesUntil(this.sc, VAL_STOP);
          const r = this.read(rs.v);
          set(data, k, r.v);
          return r.err;
        }
        return vl.err;
      }
      case 0x2c /* , */:
        set(data, k, '');
        return { msg: `key ${goQuote(k)} has no value (cannot end with ,)` };
      default /* . */: {
        level++;
        if (level > MAX_NESTED_NAME_LEVEL) {
          return { msg: `value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}` };
        }
        let inner: GoMap = {};
        if (has(data, k)) inner = asMap(data[k]);
        const e = this.key(inner, level);
        const n = Object.keys(inner).length;
        if (e === null && n === 0) return { msg: `key map ${goQuote(k)} has no value` };
        if (n !== 0) set(data, k, inner);
        return e;
      }
    }
  }

  private keyIndex(): number | PErr {
    const { v, eof } = runesUntil(this.sc, INDEX_STOP);
    if (eof) return EOF;
    return atoi(str(v));
  }

  private listItem(list: Value[], i: number, level: number): { list: Value[]; err: PErr | null } {
    if (i < 0) return { list, err: { msg: `negative ${i} index not allowed` } };
    const { v, last, eof } = runesUntil(this.sc, ITEM_STOP);
    if (v.length > 0) return { list, err: { msg: `unexpected data at end of array index: ${goQuoteRunes(v)}` } };
    if (eof) return { list, err: EOF };
    switch (last) {
      case 0x3d /* = */: {
        if (this.json) {
          if (this.emptyVal()) return setIndex(list, i, null);
          const dec = decodeJSON(this.sc.s, this.sc.i);
          if ('err' in dec) return { list, err: { msg: dec.err } };
          const r = setIndex(list, i, dec.value);
          if (r.err) return r;
          this.sc.i = dec.end;
          this.emptyVal();
          return r;
        }
        const vl = this.valList();
        if (vl.err === null) return setIndex(list, i, vl.list);
        if (vl.err === EOF) return setIndex(list, i, '');
        if (vl.err === NOT_LIST) {
          const rs = runesUntil(this.sc, VAL_STOP);
          const r = this.read(rs.v);
          if (r.err) return { list, err: r.err };
          return setIndex(list, i, r.v);
        }
        return { list, err: vl.err };
      }
      case 0x5b /* [ */: {
        const next = this.keyIndex();
        if (typeof next !== 'number') return { list, err: wrapIndex(next) };
        let crt: Value[] = [];
        if (list.length > i && list[i] !== null && list[i] !== undefined) crt = asList(list[i]);
        const r = this.listItem(crt, next, level);
        if (r.err) return { list, err: r.err };
        return setIndex(list, i, r.list);
      }
      default /* . */: {
        let inner: GoMap = {};
        if (list.length > i) {
          const cur = list[i];
          if (isGoMap(cur)) inner = cur;
          else list[i] = inner; // indices out of order: start an empty map in place
        }
        const e = this.key(inner, level);
        if (e) return { list, err: e };
        return setIndex(list, i, inner);
      }
    }
  }

  /** Skips spaces; true at a comma (consumed) or the end, false before anything else. */
  private emptyVal(): boolean {
    for (;;) {
      const c = this.sc.read();
      if (c < 0 || c === 0x2c) return true;
      if (!isSpace(c)) {
        this.sc.unread();
        return false;
      }
    }
  }

  private valList(): { list: Value[]; err: PErr | null } {
    const c = this.sc.read();
    if (c < 0) return { list: [], err: EOF };
    if (c !== 0x7b /* { */) {
      this.sc.unread();
      return { list: [], err: NOT_LIST };
    }
    const list: Value[] = [];
    for (;;) {
      const { v, last, eof } = runesUntil(this.sc, LIST_STOP);
      if (eof) return { list, err: { msg: "list must terminate with '}'" } };
      if (last === 0x7d) {
        const n = this.sc.read();
        if (n >= 0 && n !== 0x2c) this.sc.unread();
        const r = this.read(v);
        list.push(r.v);
        return { list, err: r.err };
      }
      const r = this.read(v);
      if (r.err) return { list, err: r.err };
      list.push(r.v);
    }
  }
}

/** `error parsing index: %w` keeps io.EOF visible to errors.Is. */
function wrapIndex(e: PErr): PErr {
  return { msg: `error parsing index: ${e.msg}`, eof: e.eof };
}

/** strvals.setIndex: grows the list with nil (a new slice) up to MAX_INDEX. */
function setIndex(list: Value[], index: number, val: Value): { list: Value[]; err: PErr | null } {
  if (index < 0) return { list, err: { msg: `negative ${index} index not allowed` } };
  if (index > MAX_INDEX) return { list, err: { msg: `index of ${index} is greater than maximum supported index of ${MAX_INDEX}` } };
  if (list.length <= index) {
    const grown = list.slice();
    while (grown.length <= index) grown.push(null);
    list = grown;
  }
  list[index] = val;
  return { list, err: null };
}

/** The literal parser (--set-literal): keys stop at `=`, `[`, `.`; the value is the rest of the input. */
class LiteralParser {
  private readonly sc: RuneReader;
  constructor(
    s: string,
    private readonly data: GoMap,
  ) {
    this.sc = new RuneReader(s);
  }

  parse(): void {
    for (;;) {
      const err = this.key(this.data, 0);
      if (err === null) continue;
      if (err.eof) return;
      throw new GoError(err.msg);
    }
  }

  private key(data: GoMap, level: number): PErr | null {
    try {
      return this.keyInner(data, level);
    } catch (e) {
      if (e instanceof Panic) return { msg: `unable to parse key: ${e.msg}` };
      throw e;
    }
  }

  private rest(): string {
    const s = this.sc.s.slice(this.sc.i);
    this.sc.i = this.sc.s.length;
    return s;
  }

  private keyInner(data: GoMap, level: number): PErr | null {
    const { v, last, eof } = runesUntil(this.sc, LITERAL_KEY_STOP, false);
    const k = str(v);
    if (eof) {
      if (v.length === 0) return EOF;
      return { msg: `key ${goQuote(k)} has no value` };
    }
    switch (last) {
      case 0x3d /* = */:
        set(data, k, this.rest());
        return null;
      case 0x2e /* . */: {
        level++;
        if (level > MAX_NESTED_NAME_LEVEL) {
          return { msg: `value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}` };
        }
        let inner: GoMap = {};
        if (has(data, k)) inner = asMap(data[k]);
        const e = this.key(inner, level);
        const n = Object.keys(inner).length;
        if (e === null && n === 0) return { msg: `key map ${goQuote(k)} has no value` };
        if (n !== 0) set(data, k, inner);
        return e;
      }
      default /* [ */: {
        const i = this.keyIndex();
        if (typeof i !== 'number') return wrapIndex(i);
        let list: Value[] = [];
        if (has(data, k)) list = asList(data[k]);
        const r = this.listItem(list, i, level);
        set(data, k, r.list);
        return r.err;
      }
    }
  }

  private keyIndex(): number | PErr {
    const { v, eof } = runesUntil(this.sc, INDEX_STOP, false);
    if (eof) return EOF;
    return atoi(str(v));
  }

  private listItem(list: Value[], i: number, level: number): { list: Value[]; err: PErr | null } {
    if (i < 0) return { list, err: { msg: `negative ${i} index not allowed` } };
    const { v, last, eof } = runesUntil(this.sc, ITEM_STOP, false);
    if (v.length > 0) return { list, err: { msg: `unexpected data at end of array index: ${goQuoteRunes(v)}` } };
    if (eof) return { list, err: EOF };
    switch (last) {
      case 0x3d:
        return setIndex(list, i, this.rest());
      case 0x2e: {
        let inner: GoMap = {};
        if (list.length > i) {
          const cur = list[i];
          if (isGoMap(cur)) inner = cur;
          else list[i] = inner;
        }
        const e = this.key(inner, level);
        if (e) return { list, err: e };
        return setIndex(list, i, inner);
      }
      default: {
        const next = this.keyIndex();
        if (typeof next !== 'number') return { list, err: wrapIndex(next) };
        let crt: Value[] = [];
        if (list.length > i && list[i] !== null && list[i] !== undefined) crt = asList(list[i]);
        const r = this.listItem(crt, next, level);
        if (r.err) return { list, err: r.err };
        return setIndex(list, i, r.list);
      }
    }
  }
}

// --- public API ---------------------------------------------------------------------------------

/** `--set`: parses `s` into `into` (strvals.ParseInto). Throws GoError with Helm's message. */
export function parseSet(s: string, into: GoMap = {}): GoMap {
  new Parser(s, into, (v) => typedVal(v, false), false).parse();
  return into;
}

/** `--set-string`: every value a string (strvals.ParseIntoString). */
export function parseSetString(s: string, into: GoMap = {}): GoMap {
  new Parser(s, into, (v) => v, false).parse();
  return into;
}

/**
 * `--set-file`: each value is a path; `readFile` returns the file's content (or throws GoError with
 * the error Helm would print, e.g. `open x: no such file or directory`) (strvals.ParseIntoFile).
 */
export function parseSetFile(s: string, into: GoMap, readFile: (path: string) => Value): GoMap {
  new Parser(s, into, readFile, false).parse();
  return into;
}

/** `--set-json` in its `key=JSON,key2=JSON` form (strvals.ParseJSON): an empty value is null. */
export function parseSetJson(s: string, into: GoMap = {}): GoMap {
  new Parser(s, into, null, true).parse();
  return into;
}

/** `--set-literal`: the whole rest after the first `=` is one string (strvals.ParseLiteralInto). */
export function parseSetLiteral(s: string, into: GoMap = {}): GoMap {
  new LiteralParser(s, into).parse();
  return into;
}

// --- Go's strconv quoting -----------------------------------------------------------------------

const NON_PRINT = /[\p{C}\p{Z}]/u;

function escapeRune(c: number, quote: number): string {
  switch (c) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
    case 0x5c:
      return '\\\\';
  }
  if (c === quote) return '\\' + String.fromCharCode(c);
  const ch = String.fromCodePoint(c);
  if (c === 0x20 || !NON_PRINT.test(ch)) return ch;
  if (c < 0x80) return '\\x' + c.toString(16).padStart(2, '0');
  if (c < 0x10000) return '\\u' + c.toString(16).padStart(4, '0');
  return '\\U' + c.toString(16).padStart(8, '0');
}

/** strconv.Quote (what `%q` prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, 0x22);
  return out + '"';
}

/** `%q` of a []rune: each rune quoted as a Go rune literal, `['a' 'b']`. */
function goQuoteRunes(v: number[]): string {
  return '[' + v.map((c) => "'" + escapeRune(c, 0x27) + "'").join(' ') + ']';
}

// --- one JSON value, as Go's json.Decoder reads it ----------------------------------------------

type Decoded = { value: Value; end: number } | { err: string };

/** Go's quoteChar for scanner errors. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = goQuote(c);
  return "'" + q.slice(1, -1) + "'";
}

class JsonSyntax {
  constructor(readonly msg: string) {}
}

/**
 * Decodes the JSON value that starts at `pos` (after optional JSON whitespace) the way
 * json.Decoder.Decode does into `interface{}`: numbers become float64, objects maps, arrays
 * slices. The value ends where its last character is; anything may follow. Errors carry Go's
 * texts (`unexpected EOF`, `invalid character 'x' looking for beginning of value`, ...).
 */
export function decodeJSON(s: string, pos: number): Decoded {
  let i = pos;
  let rangeErr: string | null = null;
  const eof = (): never => {
    throw new JsonSyntax('unexpected EOF');
  };
  const bad = (context: string): never => {
    // The scanner reads bytes: a non-ASCII character is reported by its first UTF-8 byte.
    const cp = s.codePointAt(i)!;
    const ch = cp < 0x80 ? String.fromCharCode(cp) : String.fromCharCode(Buffer.from(String.fromCodePoint(cp))[0]);
    throw new JsonSyntax(`invalid character ${quoteChar(ch)} ${context}`);
  };
  const ws = (): void => {
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const literal = (word: string, v: Value): Value => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= s.length) eof();
      if (s[i] !== word[k]) bad(`in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
    return v;
  };
  const number = (): number => {
    const start = i;
    if (s[i] === '-') {
      i++;
      if (i >= s.length) eof();
      if (!(s[i] >= '0' && s[i] <= '9')) bad('in numeric literal');
    }
    if (s[i] === '0') i++;
    else while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
    if (s[i] === '.') {
      i++;
      if (i >= s.length) eof();
      if (!(s[i] >= '0' && s[i] <= '9')) bad('after decimal point in numeric literal');
      while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      if (i >= s.length) eof();
      if (!(s[i] >= '0' && s[i] <= '9')) bad('in exponent of numeric literal');
      while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
    }
    const text = s.slice(start, i);
    const n = Number(text);
    if (!Number.isFinite(n) && rangeErr === null) rangeErr = `json: cannot unmarshal number ${text} into Go value of type float64`;
    return n;
  };
  const string = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= s.length) eof();
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) bad('in string literal');
      if (c === 0x5c) {
        i++;
        if (i >= s.length) eof();
        const e = s[i];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i++;
        } else if (e === 'u') {
          i++;
          const hex = (): number => {
            for (let k = 0; k < 4; k++) {
              if (i + k >= s.length) {
                i += k;
                eof();
              }
              if (!/[0-9a-fA-F]/.test(s[i + k])) {
                i += k;
                bad('in \\u hexadecimal character escape');
              }
            }
            const v = parseInt(s.slice(i, i + 4), 16);
            i += 4;
            return v;
          };
          const u = hex();
          if (u >= 0xd800 && u < 0xdc00) {
            // A high surrogate pairs with a following \u low surrogate; alone it is U+FFFD.
            if (s[i] === '\\' && s[i + 1] === 'u' && /^[dD][c-fC-F][0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 6))) {
              i += 2;
              out += String.fromCharCode(u, hex());
            } else out += '\ufffd';
          } else if (u >= 0xdc00 && u < 0xe000) out += '\ufffd';
          else out += String.fromCharCode(u);
        } else bad('in string escape code');
      } else {
        out += s[i];
        i++;
      }
    }
  };
  const value = (context: string): Value => {
    ws();
    if (i >= s.length) eof();
    const c = s[i];
    if (c === '{') {
      i++;
      const m: GoMap = {};
      ws();
      if (i >= s.length) eof();
      if (s[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (i >= s.length) eof();
        if (s[i] !== '"') bad('looking for beginning of object key string');
        const k = string();
        ws();
        if (i >= s.length) eof();
        if (s[i] !== ':') bad('after object key');
        i++;
        setKey(m, k, value('looking for beginning of value'));
        ws();
        if (i >= s.length) eof();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return m;
        }
        bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const a: Value[] = [];
      ws();
      if (i >= s.length) eof();
      if (s[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value('looking for beginning of value'));
        ws();
        if (i >= s.length) eof();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return a;
        }
        bad('after array element');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    return bad(context);
  };
  try {
    const v = value('looking for beginning of value');
    if (rangeErr !== null) return { err: rangeErr };
    return { value: v, end: i };
  } catch (e) {
    if (e instanceof JsonSyntax) return { err: e.msg };
    throw e;
  }
}
