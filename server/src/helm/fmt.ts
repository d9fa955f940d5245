/**
 * Go's fmt for the values of the template engine: `%v` (what an action prints), Sprint and
 * Sprintln, plus the UTF-8 and ordering helpers that Go's byte-oriented strings need in
 * JavaScript's UTF-16 ones. Printf's other verbs live in printf.ts.
 */
import { FuncDef, GoFloat32, GoFunc, GoInt, GoMap, GoStruct, isGoMap, typeName, Value } from './value';

/** strconv.FormatFloat(f, 'g', -1, bits), which `%v` uses: the shortest digits, in %e form when the exponent is < -4 or >= 6 (so 10000000 prints 1e+07). */
export function formatFloat(f: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // Fast path: integers below 1e6 print as themselves (a float32 of one is the same integer).
  if (Number.isInteger(f) && f < 1e6 && f > -1e6) return String(f);
  const { neg, digits, exp } = shortestDigits(f, bits);
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 6) return sign + eFormat(digits, exp);
  return sign + fFormat(digits, exp);
}

/** The shortest decimal digits that read back as f (as Go's strconv computes them), and the exponent of the first digit. */
export function shortestDigits(f: number, bits: 32 | 64 = 64): { neg: boolean; digits: string; exp: number } {
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  let s: string;
  if (bits === 32) {
    // The shortest digits that round-trip through float32.
    const target = Math.fround(a);
    s = target.toExponential();
    for (let p = 1; p <= 9; p++) {
      const c = target.toExponential(p - 1);
      if (Math.fround(Number(c)) === target) {
        s = c;
        break;
      }
    }
  } else {
    s = a.toExponential();
  }
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return { neg, digits: '0', exp: 0 };
  let digits = m[1] + (m[2] ?? '');
  digits = digits.replace(/0+$/, '') || '0';
  return { neg, digits, exp: Number(m[3]) };
}

function eFormat(digits: string, exp: number): string {
  const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  const e = Math.abs(exp);
  return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : String(e)}`;
}

function fFormat(digits: string, exp: number): string {
  if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

/** What fmt's `%v` prints for a value (and what an action prints, except that no value prints `<no value>`). */
export function formatV(v: Value, nested = false): string {
  if (v === undefined) return nested ? '<nil>' : '<no value>';
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatFloat(v);
  }
  if (v instanceof GoInt) return v.v.toString();
  if (v instanceof GoFloat32) return formatFloat(v.v, 32);
  if (v instanceof Uint8Array) return '[' + Array.from(v).join(' ') + ']';
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ' ' : '') + formatV(v[i], true);
    return s + ']';
  }
  if (v instanceof GoStruct) {
    // A named map type (chartutil.Values, Files) prints as its map.
    const m = v.asMap();
    return m ? formatMap(m) : v.format();
  }
  if (v instanceof GoFunc) return '0x0';
  if (isGoMap(v)) return formatMap(v);
  return String(v);
}

function formatMap(m: GoMap): string {
  const keys = sortedKeys(m);
  let s = 'map[';
  for (let i = 0; i < keys.length; i++) s += (i > 0 ? ' ' : '') + keys[i] + ':' + formatV(m[keys[i]], true);
  return s + ']';
}

/** reflect's type string of a function: `func(int) int`, `func(string, ...int) string`, `func(int) (int, error)`. */
export function funcTypeName(d: FuncDef): string {
  let p = d.params.join(', ');
  if (d.variadic !== undefined) p += (p ? ', ' : '') + '...' + d.variadic;
  const r = d.returnsError ? ` (${d.result}, error)` : ' ' + d.result;
  return `func(${p})${r}`;
}

/** Go's `%T` of a value: value.ts typeName, with function types spelled out. */
export function goTypeName(v: Value): string {
  return v instanceof GoFunc ? funcTypeName(v.def) : typeName(v);
}

/**
 * Whether fmt prints `&` before a struct operand: a pointer to a struct without a String method
 * prints `&{...}` as an operand of Print/Printf (an action indirects it first and prints `{...}`).
 * A GoStruct says it has a String method with `stringer = true`.
 */
export function pointerPrefix(v: GoStruct): string {
  return v.goType[0] === '*' && !(v as { stringer?: boolean }).stringer && !v.asMap() ? '&' : '';
}

/** %v of an operand of fmt.Print (as formatV, with the `&` of pointers to structs). */
export function formatOperand(v: Value): string {
  if (v instanceof GoStruct) return pointerPrefix(v) + v.format();
  return formatV(v, true);
}

/** fmt.Sprint: operands formatted with %v, a space between two operands when neither is a string. */
export function sprint(args: Value[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatOperand(a);
  }
  return out;
}

/** fmt.Sprintln: spaces between all operands and a newline at the end. */
export function sprintln(args: Value[]): string {
  return args.map(formatOperand).join(' ') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Strings as Go sees them: UTF-8 bytes.

/** The UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as Go would have received it). */
export function utf8Bytes(s: string): Uint8Array {
  const out = new Uint8Array(utf8Length(s));
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
      continue;
    }
    if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        out[j++] = 0xf0 | (cp >> 18);
        out[j++] = 0x80 | ((cp >> 12) & 0x3f);
        out[j++] = 0x80 | ((cp >> 6) & 0x3f);
        out[j++] = 0x80 | (cp & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[j++] = 0xe0 | (c >> 12);
    out[j++] = 0x80 | ((c >> 6) & 0x3f);
    out[j++] = 0x80 | (c & 0x3f);
  }
  return out;
}

/** A string from UTF-8 bytes (invalid sequences become U+FFFD: JavaScript cannot hold them). */
export function utf8String(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    let cp = 0xfffd;
    let n = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c <= 0xdf && i + 1 < b.length && (b[i + 1] & 0xc0) === 0x80) {
      cp = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
      n = 2;
    } else if (c >= 0xe0 && c <= 0xef && i + 2 < b.length && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) {
      const v = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) {
        cp = v;
        n = 3;
      }
    } else if (
      c >= 0xf0 &&
      c <= 0xf4 &&
      i + 3 < b.length &&
      (b[i + 1] & 0xc0) === 0x80 &&
      (b[i + 2] & 0xc0) === 0x80 &&
      (b[i + 3] & 0xc0) === 0x80
    ) {
      const v = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
      if (v >= 0x10000 && v <= 0x10ffff) {
        cp = v;
        n = 4;
      }
    }
    s += String.fromCodePoint(cp);
    i += n;
  }
  return s;
}

/** len(s) in Go: the number of UTF-8 bytes. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // 4 bytes for 2 UTF-16 units
      i++;
    } else n += 2;
  }
  return n;
}

/** True when the string is all ASCII (then byte offsets are string offsets). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** utf8.RuneCountInString: code points. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

const PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** unicode.IsPrint / strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return false;
  return PRINT.test(String.fromCodePoint(r));
}

/** Go's string order (bytewise on UTF-8), which differs from JavaScript's only for astral characters. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+10000 and up) sorts after every BMP character in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** The keys of a Go map in the order fmt and range visit them (sorted). */
export function sortedKeys(m: GoMap): string[] {
  const keys = Object.keys(m);
  if (keys.length < 2) return keys;
  let astral = false;
  for (const k of keys) {
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        astral = true;
        break;
      }
    }
    if (astral) break;
  }
  return astral ? keys.sort(compareStrings) : keys.sort();
}
