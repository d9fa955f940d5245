/**
 * Go's fmt for the values of the template engine: `%v` (what an action prints), Sprint and
 * Sprintln. Printf's other verbs live in printf.ts.
 */
import { GoFloat32, GoFunc, GoInt, GoStruct, isGoMap, Value } from './value';

/** strconv.FormatFloat(f, 'g', -1, bits), which `%v` uses: the shortest digits, in %e form when the exponent is < -4 or >= 6 (so 10000000 prints 1e+07). */
export function formatFloat(f: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
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
  if (Array.isArray(v)) return '[' + v.map((x) => formatV(x, true)).join(' ') + ']';
  if (v instanceof GoStruct) return v.format();
  if (v instanceof GoFunc) return '0x0';
  if (isGoMap(v)) {
    const keys = Object.keys(v).sort();
    return 'map[' + keys.map((k) => k + ':' + formatV(v[k], true)).join(' ') + ']';
  }
  return String(v);
}

/** fmt.Sprint: operands formatted with %v, a space between two operands when neither is a string. */
export function sprint(args: Value[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatV(a, true);
  }
  return out;
}

/** fmt.Sprintln: spaces between all operands and a newline at the end. */
export function sprintln(args: Value[]): string {
  return args.map((a) => formatV(a, true)).join(' ') + '\n';
}
