/**
 * Go's encoding/json (Go 1.19) for the values of the template engine: `json.Marshal` (map keys
 * sorted by their UTF-8 bytes, `<`, `>`, `&` escaped unless asked not to, U+2028/U+2029 always
 * escaped, floats in ES6 style, []byte as base64, NaN and infinities refused), `MarshalIndent`,
 * and `json.Unmarshal` into interface{} (numbers become float64) with Go's error texts
 * (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`).
 */
import { shortestDigits } from './fmt';
import { GoError, GoFloat32, GoFunc, GoInt, GoMap, GoStruct, Value, isGoMap } from './value';
import { noteStackOverflow } from './stackBudget';

const HEX = '0123456789abcdef';

/** Compares strings by code point (= by UTF-8 bytes, Go's string order). */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral characters) come after U+E000–U+FFFF in code point order.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorted keys of a map in Go's string order. */
export function sortedGoKeys(m: GoMap): string[] {
  const keys = Object.keys(m);
  // Plain JS order agrees with Go's unless a key holds characters at or above U+D800.
  if (keys.some((k) => /[\ud800-\uffff]/.test(k))) return keys.sort(compareGoStrings);
  return keys.sort();
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** A string as Go's json encodes it (with the quotes). Lone surrogates (invalid UTF-8 in Go) become \ufffd. */
export function jsonQuote(s: string, escapeHTML = true): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && !(escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) continue;
      if (c === 0x22) esc = '\\"';
      else if (c === 0x5c) esc = '\\\\';
      else if (c === 0x0a) esc = '\\n';
      else if (c === 0x0d) esc = '\\r';
      else if (c === 0x09) esc = '\\t';
      else esc = '\\u00' + HEX[c >> 4] + HEX[c & 15];
    } else if (c === 0x2028 || c === 0x2029) {
      esc = c === 0x2028 ? '\\u2028' : '\\u2029';
    } else if (isHighSurrogate(c) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      i++;
      continue;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      esc = '\\ufffd';
    } else {
      continue;
    }
    out += s.slice(start, i) + esc;
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** A JS string made valid as Go would see it after a JSON round trip: lone surrogates become U+FFFD. */
export function wellFormed(s: string): string {
  if (!/[\ud800-\udfff]/.test(s)) return s;
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** strconv.FormatFloat(f, fmt, -1, bits) for fmt 'e' or 'f'. */
function formatShortest(f: number, fmt: 'e' | 'f', bits: 32 | 64): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const { neg, digits, exp } = shortestDigits(f, bits);
  const sign = neg ? '-' : '';
  if (fmt === 'e') {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

/** Go's text of a NaN or infinity (what `json: unsupported value: X` shows). */
function nonFiniteText(f: number): string {
  return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
}

const F32_MICRO = Math.fround(1e-6);
const F32_1E21 = Math.fround(1e21);

/** A float64 (or float32) as json.Marshal prints it: 'f' form, 'e' form below 1e-6 or from 1e21 (`1e-7`, `1e+21`). */
export function jsonFloat(f: number, bits: 32 | 64 = 64): string {
  if (!Number.isFinite(f)) throw new GoError('json: unsupported value: ' + nonFiniteText(f));
  // float32 values compare against the float32 roundings of the cutoffs, as Go does.
  const abs = Math.abs(bits === 32 ? Math.fround(f) : f);
  const e = abs !== 0 && (bits === 32 ? abs < F32_MICRO || abs >= F32_1E21 : abs < 1e-6 || abs >= 1e21);
  let s = formatShortest(f, e ? 'e' : 'f', bits);
  if (e) {
    // Clean up e-09 to e-9.
    const n = s.length;
    if (n >= 4 && s[n - 4] === 'e' && s[n - 3] === '-' && s[n - 2] === '0') s = s.slice(0, n - 2) + s[n - 1];
  }
  return s;
}

export interface MarshalOptions {
  /** Escape <, > and & (json.Marshal does; an Encoder with SetEscapeHTML(false) does not). */
  escapeHTML?: boolean;
  /** MarshalIndent's indent string (prefix is always ""). */
  indent?: string;
}

/** json.Marshal (or MarshalIndent); throws GoError with Go's message (`json: unsupported value: NaN`). */
export function marshalJSON(v: Value, opts: MarshalOptions = {}): string {
  try {
    return encode(v, opts.escapeHTML !== false, opts.indent ?? '', '', 0, []);
  } catch (e) {
    // Nesting deeper than the JS stack (Go has no such limit).
    noteStackOverflow(e);
    if (e instanceof RangeError) throw new GoError('json: unsupported value: nesting too deep');
    throw e;
  }
}

/** Go checks for cycles once it is 1000 levels deep (and then names the type it came round through). */
const CYCLE_CHECK_DEPTH = 1000;

function encode(v: Value, html: boolean, indent: string, cur: string, depth: number, path: object[]): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonQuote(v, html);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return jsonFloat(v);
  }
  if (v instanceof GoInt) return v.v.toString();
  if (v instanceof GoFloat32) return jsonFloat(v.v, 32);
  if (v instanceof Uint8Array) return '"' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') + '"';
  if (typeof v === 'object' && depth > CYCLE_CHECK_DEPTH && path.includes(v)) {
    throw new GoError(`json: unsupported value: encountered a cycle via ${Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}'}`);
  }
  if (Array.isArray(v)) {
    path.push(v);
    if (v.length === 0) {
      path.pop();
      return '[]';
    }
    const inner = indent ? cur + indent : '';
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      if (indent) out += '\n' + inner;
      out += encode(v[i], html, indent, inner, depth + 1, path);
    }
    path.pop();
    return out + (indent ? '\n' + cur : '') + ']';
  }
  if (v instanceof GoFunc) throw new GoError('json: unsupported type: func()');
  if (v instanceof GoStruct) return encode(v.jsonValue(), html, indent, cur, depth + 1, path);
  if (isGoMap(v)) {
    path.push(v);
    const keys = sortedGoKeys(v);
    if (keys.length === 0) {
      path.pop();
      return '{}';
    }
    const inner = indent ? cur + indent : '';
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out += ',';
      if (indent) out += '\n' + inner;
      out += jsonQuote(keys[i], html) + (indent ? ': ' : ':') + encode(v[keys[i]], html, indent, inner, depth + 1, path);
    }
    path.pop();
    return out + (indent ? '\n' + cur : '') + '}';
  }
  return 'null';
}

// ---------------------------------------------------------------------------------------------
// Unmarshal

/** strconv.Quote of one byte as a rune, in single quotes: json's quoteChar. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  if (c >= 0x80) return "'" + String.fromCharCode(c) + "'";
  switch (c) {
    case 7:
      return "'\\a'";
    case 8:
      return "'\\b'";
    case 9:
      return "'\\t'";
    case 10:
      return "'\\n'";
    case 11:
      return "'\\v'";
    case 12:
      return "'\\f'";
    case 13:
      return "'\\r'";
    case 0x5c:
      return "'\\\\'";
  }
  if (c < 0x20 || c === 0x7f) return "'\\x" + HEX[c >> 4] + HEX[c & 15] + "'";
  return "'" + String.fromCharCode(c) + "'";
}

/** The first UTF-8 byte of the character at i (what Go's byte-wise scanner reports). */
function byteAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return c;
  if (c < 0x800) return 0xc0 | (c >> 6);
  if (isHighSurrogate(c) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
    const cp = ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00) + 0x10000;
    return 0xf0 | (cp >> 18);
  }
  return 0xe0 | (c >> 12);
}

class JsonSyntaxError extends Error {}

/** What the decoder saw at the top level, for type errors (`cannot unmarshal array into ...`). */
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'bool' | 'null';

/**
 * The decoder: checkValid's grammar and messages, then the values. Numbers out of float64's range
 * keep going as nil and report `json: cannot unmarshal number 1e400 into Go value of type float64`
 * at the end, as Go's decoder saves that error.
 */
class JsonDecoder {
  i = 0;
  saved: string | undefined;
  constructor(private readonly s: string) {}

  /**
   * A syntax error at the current character. At the end of the input Go's scanner feeds a space:
   * states that skip spaces report `unexpected end of JSON input`, the others (inside a number,
   * a literal, an escape) `invalid character ' ' ...` (`spaceIsError`).
   */
  private fail(what: string, spaceIsError = false): never {
    if (this.i >= this.s.length) {
      if (spaceIsError) throw new JsonSyntaxError(`invalid character ' ' ${what}`);
      throw new JsonSyntaxError('unexpected end of JSON input');
    }
    throw new JsonSyntaxError(`invalid character ${quoteChar(byteAt(this.s, this.i))} ${what}`);
  }

  private ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else return;
    }
  }

  /** The kind of the top-level value (what a type error names). */
  topKind: JsonKind = 'null';

  top(): Value {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    this.topKind = c === 0x7b ? 'object' : c === 0x5b ? 'array' : c === 0x22 ? 'string' : c === 0x74 || c === 0x66 ? 'bool' : c === 0x6e ? 'null' : 'number';
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('after top-level value');
    return v;
  }

  value(): Value {
    const s = this.s;
    this.ws();
    const c = s.charCodeAt(this.i);
    switch (c) {
      case 0x7b /* { */: {
        this.i++;
        const m: GoMap = {};
        this.ws();
        if (s.charCodeAt(this.i) === 0x7d) {
          this.i++;
          return m;
        }
        for (;;) {
          this.ws();
          if (s.charCodeAt(this.i) !== 0x22) this.fail('looking for beginning of object key string');
          const k = this.string();
          this.ws();
          if (s.charCodeAt(this.i) !== 0x3a) this.fail('after object key');
          this.i++;
          const v = this.value();
          if (k === '__proto__') Object.defineProperty(m, k, { value: v, writable: true, enumerable: true, configurable: true });
          else m[k] = v;
          this.ws();
          const d = s.charCodeAt(this.i);
          if (d === 0x2c) {
            this.i++;
            continue;
          }
          if (d === 0x7d) {
            this.i++;
            return m;
          }
          this.fail('after object key:value pair');
        }
      }
      case 0x5b /* [ */: {
        this.i++;
        const a: Value[] = [];
        this.ws();
        if (s.charCodeAt(this.i) === 0x5d) {
          this.i++;
          return a;
        }
        for (;;) {
          a.push(this.value());
          this.ws();
          const d = s.charCodeAt(this.i);
          if (d === 0x2c) {
            this.i++;
            continue;
          }
          if (d === 0x5d) {
            this.i++;
            return a;
          }
          this.fail('after array element');
        }
      }
      case 0x22:
        return this.string();
      case 0x74:
        this.literal('true');
        return true;
      case 0x66:
        this.literal('false');
        return false;
      case 0x6e:
        this.literal('null');
        return null;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail('looking for beginning of value');
  }

  private literal(word: string): void {
    for (let k = 1; k < word.length; k++) {
      this.i++;
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting '${word[k]}')`, true);
    }
    this.i++;
  }

  private digit(): boolean {
    const c = this.s.charCodeAt(this.i);
    return c >= 0x30 && c <= 0x39;
  }

  private number(): Value {
    const s = this.s;
    const start = this.i;
    if (s.charCodeAt(this.i) === 0x2d) {
      this.i++;
      if (!this.digit()) this.fail('in numeric literal', true);
    }
    if (s.charCodeAt(this.i) === 0x30) this.i++;
    else while (this.digit()) this.i++;
    if (s.charCodeAt(this.i) === 0x2e) {
      this.i++;
      if (!this.digit()) this.fail('after decimal point in numeric literal', true);
      while (this.digit()) this.i++;
    }
    const e = s.charCodeAt(this.i);
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = s.charCodeAt(this.i);
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (!this.digit()) this.fail('in exponent of numeric literal', true);
      while (this.digit()) this.i++;
    }
    const text = s.slice(start, this.i);
    const f = Number(text);
    if (!Number.isFinite(f)) {
      this.saved ??= `json: cannot unmarshal number ${text} into Go value of type float64`;
      return null;
    }
    return f;
  }

  private hex4(): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(this.i);
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else this.fail('in \\u hexadecimal character escape', true);
      v = v * 16 + d;
      this.i++;
    }
    return v;
  }

  private string(): string {
    const s = this.s;
    this.i++;
    let out = '';
    let start = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('in string literal');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        return wellFormed(out);
      }
      if (c < 0x20) this.fail('in string literal');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(start, this.i);
      this.i++;
      const e = s.charCodeAt(this.i);
      this.i++;
      switch (e) {
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x22:
          out += '"';
          break;
        case 0x75: {
          let r = this.hex4();
          if (r >= 0xd800 && r <= 0xdfff) {
            // A surrogate pair when a low surrogate escape follows; otherwise U+FFFD.
            if (r <= 0xdbff && s.charCodeAt(this.i) === 0x5c && s.charCodeAt(this.i + 1) === 0x75) {
              const save = this.i;
              this.i += 2;
              const r2 = this.hex4();
              if (r2 >= 0xdc00 && r2 <= 0xdfff) {
                out += String.fromCharCode(r, r2);
                break;
              }
              this.i = save;
            }
            r = 0xfffd;
          }
          out += String.fromCharCode(r);
          break;
        }
        default:
          this.i--;
          this.fail('in string escape code', true);
      }
      start = this.i;
    }
  }
}

/** The kind json's type errors name: `object`, `array`, `string`, `number`, `bool`. */
export function jsonKindOf(v: Value): JsonKind {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (isGoMap(v)) return 'object';
  return 'number';
}

/**
 * json.Unmarshal(text, &x) with x an interface{}: the value, or GoError with Go's message.
 * With `partial`, a saved (non-syntax) error comes back with the value instead of being thrown.
 */
export function unmarshalJSON(text: string): Value;
export function unmarshalJSON(text: string, partial: true): { value: Value; err?: string; kind: JsonKind };
export function unmarshalJSON(text: string, partial?: boolean): Value | { value: Value; err?: string; kind: JsonKind } {
  const d = new JsonDecoder(text);
  let value: Value;
  try {
    value = d.top();
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new GoError(e.message);
    throw e;
  }
  if (partial) return { value, err: d.saved, kind: d.topKind };
  if (d.saved !== undefined) throw new GoError(d.saved);
  return value;
}

/**
 * json.Unmarshal into a map[string]interface{} or []interface{} (Helm's fromJson and
 * fromJsonArray): the value, and Go's error text when the input is not JSON or not that kind.
 */
export function unmarshalJSONInto(text: string, want: 'map' | 'array'): { value: GoMap | Value[]; err?: string } {
  const typeName = want === 'map' ? 'map[string]interface {}' : '[]interface {}';
  let r: { value: Value; err?: string; kind: JsonKind };
  try {
    r = unmarshalJSON(text, true);
  } catch (e) {
    if (e instanceof GoError) return { value: want === 'map' ? {} : [], err: e.message };
    throw e;
  }
  if (r.kind === 'null') return { value: want === 'map' ? {} : [], err: r.err };
  if (r.kind === (want === 'map' ? 'object' : 'array')) return { value: r.value as GoMap | Value[], err: r.err };
  return { value: want === 'map' ? {} : [], err: `json: cannot unmarshal ${r.kind} into Go value of type ${typeName}` };
}

/** Bytes as a Go string seen as text: each byte of an invalid UTF-8 sequence becomes U+FFFD (as utf8.DecodeRune reads them). */
export function decodeGoUTF8(b: Uint8Array): string {
  let out = '';
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    let cp = -1;
    let w = 1;
    if (c >= 0xc2 && c <= 0xdf && i + 1 < n && (b[i + 1] & 0xc0) === 0x80) {
      cp = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
      w = 2;
    } else if (c >= 0xe0 && c <= 0xef && i + 2 < n) {
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      const hi = c === 0xed ? 0x9f : 0xbf;
      if (b[i + 1] >= lo && b[i + 1] <= hi && (b[i + 2] & 0xc0) === 0x80) {
        cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
        w = 3;
      }
    } else if (c >= 0xf0 && c <= 0xf4 && i + 3 < n) {
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      if (b[i + 1] >= lo && b[i + 1] <= hi && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80) {
        cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
        w = 4;
      }
    }
    out += cp < 0 ? '\ufffd' : String.fromCodePoint(cp);
    i += w;
  }
  return out;
}
