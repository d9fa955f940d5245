/**
 * sprig's conversion functions (`toString`, `atoi`, `int`, `int64`, `float64`, `toDecimal`, `seq`,
 * `until`, `untilStep`) and the conversions the other families share: spf13/cast 1.5's ToInt64 /
 * ToInt / ToFloat64 (what `add`, `max`, `slice` ... use on their `interface {}` arguments), sprig's
 * `strval`, and Go's strconv.ParseInt / ParseFloat syntax.
 *
 * cast's rules, as observed from Go 1.19 + sprig 3.2.3: a float64 truncates toward zero (NaN, ±Inf and
 * out-of-range values become math.MinInt64, what amd64's conversion yields); a string goes through
 * ParseInt(s, 0, 0) after ".000" is trimmed (so "0x1F" is 31, "017" is 15, "1_000" is 1000, "1.5" and
 * " 3" are 0); bool is 0/1; nil is 0; anything else (slices, maps, structs, time.Duration) is 0.
 */
import { formatV } from '../fmt';
import { def, goSlice, GoFloat32, GoInt, GoPanic, GoStruct, IntType, Value } from '../value';
import type { FuncFamily } from './env';

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const TWO_63 = 9223372036854775808; // 2^63 as a float64

/** Go's int64(f) on amd64: truncation, and math.MinInt64 for NaN, ±Inf and out-of-range values. */
export function floatToInt64(f: number): bigint {
  if (!(f >= -TWO_63 && f < TWO_63)) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

/** Wraps a bigint to int64 (Go's two's-complement overflow). */
export function wrap64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** A value of a named integer type with methods (time.Month, time.Weekday, time.Duration). */
export interface NamedInt {
  readonly goType: string;
  readonly n: bigint;
  /** reflect.Kind of the underlying type. */
  readonly kind: IntType;
}

export function isNamedInt(v: Value): v is GoStruct & NamedInt {
  return v instanceof GoStruct && typeof (v as unknown as NamedInt).n === 'bigint' && 'kind' in v;
}

/** cast.ToInt64E's value; undefined when cast reports an error (the caller then uses 0). */
function castInt(v: Value): bigint | undefined {
  if (v === undefined || v === null) return 0n;
  switch (typeof v) {
    case 'boolean':
      return v ? 1n : 0n;
    case 'number':
      return floatToInt64(v);
    case 'string': {
      const r = parseInt64(trimZeroDecimal(v), 0);
      return r.ok ? r.v : undefined;
    }
  }
  if (v instanceof GoInt) return wrap64(v.v);
  if (v instanceof GoFloat32) return floatToInt64(v.v);
  // cast's toInt knows time.Weekday and time.Month (but not time.Duration: a named int64).
  if (isNamedInt(v) && (v.goType === 'time.Month' || v.goType === 'time.Weekday')) return v.n;
  return undefined;
}

/** spf13/cast ToInt64: never fails, 0 on error. */
export function toInt64(v: Value): bigint {
  return castInt(v) ?? 0n;
}

/** spf13/cast ToInt (int is 64 bits wide on the platforms Helm ships for). */
export function toInt(v: Value): bigint {
  return castInt(v) ?? 0n;
}

/** spf13/cast ToFloat64: never fails, 0 on error. */
export function toFloat64(v: Value): number {
  if (v === undefined || v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return v ? 1 : 0;
    case 'number':
      return v;
    case 'string': {
      const r = parseFloat64(v);
      return r.ok ? r.v : 0;
    }
  }
  if (v instanceof GoInt) return Number(v.v);
  if (v instanceof GoFloat32) return v.v;
  if (isNamedInt(v) && (v.goType === 'time.Month' || v.goType === 'time.Weekday')) return Number(v.n);
  return 0;
}

/** cast's trimZeroDecimal: "10.00" → "10" (only when everything after the point is zeros and there is one). */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

/** strconv's underscoreOK: underscores only between digits (or after a base prefix), as in Go literals. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && c.toLowerCase() >= 'a' && c.toLowerCase() <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

export type ParseIntResult = { ok: true; v: bigint } | { ok: false; range: boolean; v: bigint };

/** strconv.ParseUint(s, base, 64) (base 0: Go literal prefixes and underscores). */
function parseUint64(s: string, base: number): ParseIntResult {
  if (s === '') return { ok: false, range: false, v: 0n };
  const base0 = base === 0;
  const s0 = s;
  if (base0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : '';
      if (p === 'b') {
        base = 2;
        s = s.slice(2);
      } else if (p === 'o') {
        base = 8;
        s = s.slice(2);
      } else if (p === 'x') {
        base = 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  }
  const max = (1n << 64n) - 1n;
  const b = BigInt(base);
  let n = 0n;
  let underscores = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c === 0x5f && base0) {
      underscores = true;
      continue;
    } else if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) d = (c | 0x20) - 0x61 + 10;
    else return { ok: false, range: false, v: 0n };
    if (d >= base) return { ok: false, range: false, v: 0n };
    n = n * b + BigInt(d);
    // Go stops at the first overflow with a range error; later syntax errors are not seen then.
    if (n > max) return { ok: false, range: true, v: max };
  }
  if (underscores && !underscoreOK(s0)) return { ok: false, range: false, v: 0n };
  return { ok: true, v: n };
}

/** strconv.ParseInt(s, base, 64). On a range error `v` is the clamped value (what Atoi returns). */
export function parseInt64(s: string, base: number): ParseIntResult {
  if (s === '') return { ok: false, range: false, v: 0n };
  let neg = false;
  let body = s;
  if (s[0] === '+') body = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    body = s.slice(1);
  }
  const u = parseUint64(body, base);
  if (!u.ok && !u.range) return u;
  if (!u.ok) return { ok: false, range: true, v: neg ? MIN_INT64 : MAX_INT64 };
  if (!neg && u.v > MAX_INT64) return { ok: false, range: true, v: MAX_INT64 };
  if (neg && u.v > -MIN_INT64) return { ok: false, range: true, v: MIN_INT64 };
  return { ok: true, v: neg ? -u.v : u.v };
}

/** strconv.Atoi: base 10, no underscores or prefixes; out of range gives the clamped value and an error. */
export function atoi(s: string): { v: bigint; ok: boolean } {
  const r = parseInt64(s, 10);
  return { v: r.ok || r.range ? r.v : 0n, ok: r.ok };
}

/** strconv.ParseFloat(s, 64): `ok` false for syntax errors and for overflow (Go returns ±Inf with ErrRange). */
export function parseFloat64(s: string): { ok: boolean; v: number } {
  const special = parseSpecial(s);
  if (special !== undefined) return { ok: true, v: special };
  const n = s.length;
  let i = 0;
  if (i < n && (s[i] === '+' || s[i] === '-')) i++;
  let hex = false;
  if (i + 2 < n && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    hex = true;
    i += 2;
  }
  const mantStart = i;
  let sawdot = false;
  let sawdigits = false;
  let underscores = false;
  for (; i < n; i++) {
    const c = s[i];
    if (c === '_') {
      underscores = true;
      continue;
    }
    if (c === '.') {
      if (sawdot) break;
      sawdot = true;
      continue;
    }
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      sawdigits = true;
      continue;
    }
    break;
  }
  if (!sawdigits) return { ok: false, v: 0 };
  const mantEnd = i;
  let exp = 0;
  if (i < n && s[i].toLowerCase() === (hex ? 'p' : 'e')) {
    i++;
    if (i >= n) return { ok: false, v: 0 };
    let esign = 1;
    if (s[i] === '+') i++;
    else if (s[i] === '-') {
      i++;
      esign = -1;
    }
    if (i >= n || s[i] < '0' || s[i] > '9') return { ok: false, v: 0 };
    let e = 0;
    for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] === '_'); i++) {
      if (s[i] === '_') {
        underscores = true;
        continue;
      }
      if (e < 10000) e = e * 10 + (s.charCodeAt(i) - 48);
    }
    exp = e * esign;
  } else if (hex) {
    return { ok: false, v: 0 };
  }
  if (i !== n) return { ok: false, v: 0 };
  if (underscores && !underscoreOK(s)) return { ok: false, v: 0 };
  const neg = s[0] === '-';
  let v: number;
  if (hex) {
    const mant = s.slice(mantStart, mantEnd).replace(/_/g, '');
    const dot = mant.indexOf('.');
    const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
    const fracDigits = dot < 0 ? 0 : mant.length - dot - 1;
    const m = BigInt('0x' + (digits || '0'));
    v = ldexp(Number(m), exp - 4 * fracDigits);
    if (neg) v = -v;
  } else {
    v = Number(s.replace(/_/g, ''));
  }
  if (!Number.isFinite(v)) return { ok: false, v: 0 };
  return { ok: true, v };
}

/** strconv's special(): "inf", "infinity" (with a sign), "nan" (without), any case, the whole string. */
function parseSpecial(s: string): number | undefined {
  if (s === '') return undefined;
  let sign = 1;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    body = s.slice(1);
    const l = body.toLowerCase();
    return l === 'inf' || l === 'infinity' ? sign * Infinity : undefined;
  }
  const l = body.toLowerCase();
  if (l === 'inf' || l === 'infinity') return Infinity;
  if (l === 'nan') return NaN;
  return undefined;
}

/** frac × 2^exp without intermediate overflow. */
export function ldexp(frac: number, exp: number): number {
  let r = frac;
  while (exp > 1000) {
    r *= 2 ** 1000;
    exp -= 1000;
  }
  while (exp < -1000) {
    r *= 2 ** -1000;
    exp += 1000;
  }
  return r * 2 ** exp;
}

const utf8 = new TextDecoder('utf-8');

/**
 * sprig's strval (toString, dict keys, join...): strings as they are, []byte as text, a
 * fmt.Stringer's String(), everything else `%v` (nil prints `<nil>`).
 */
export function strval(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return utf8.decode(v);
  return formatV(v === undefined ? null : v, true);
}

/** fmt.Sprint of one operand. */
export function sprint1(v: Value): string {
  return formatV(v === undefined ? null : v, true);
}

/** Go's untilStep as sprig writes it: the ints from start toward stop (exclusive) by step; none when step points away. */
export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if (stop < start) {
    if (step >= 0n) return out;
    checkLen((start - stop + -step - 1n) / -step);
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0n) return out;
  checkLen((stop - start + step - 1n) / step);
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

/**
 * A list this long would exhaust memory: Go dies with a fatal error there. We refuse it with a
 * panic instead of taking the editor down with it.
 */
export const MAX_LIST = 1 << 24;
function checkLen(n: bigint): void {
  if (n > BigInt(MAX_LIST)) throw new GoPanic('runtime: out of memory: cannot allocate a list of ' + n + ' elements');
}

function intSlice(vs: bigint[]): GoInt[] {
  return goSlice(
    vs.map((v) => new GoInt(v, 'int')),
    'int',
  );
}

export const convFuncs: FuncFamily = (map) => {
  def(map, 'toString', ['interface {}'], 'string', (v: Value) => strval(v));
  // sprig wraps strconv.Atoi and drops the error: the value Atoi returns (0, or clamped when out of range).
  def(map, 'atoi', ['string'], 'int', (s: string) => new GoInt(atoi(s).v, 'int'));
  def(map, 'int64', ['interface {}'], 'int64', (v: Value) => new GoInt(toInt64(v), 'int64'));
  def(map, 'int', ['interface {}'], 'int', (v: Value) => new GoInt(toInt(v), 'int'));
  def(map, 'float64', ['interface {}'], 'float64', (v: Value) => toFloat64(v));
  // strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on any error.
  def(map, 'toDecimal', ['interface {}'], 'int64', (v: Value) => {
    const r = parseInt64(sprint1(v), 8);
    return new GoInt(r.ok ? r.v : 0n, 'int64');
  });
  def(
    map,
    'seq',
    [],
    'string',
    (...params: GoInt[]) => {
      const p = params.map((x) => x.v);
      let list: bigint[];
      switch (p.length) {
        case 0:
          return '';
        case 1: {
          const start = 1n;
          const end = p[0];
          const inc = end < start ? -1n : 1n;
          list = untilStep(start, end + inc, inc);
          break;
        }
        case 2: {
          const [start, end] = p;
          const step = end < start ? -1n : 1n;
          list = untilStep(start, end + step, step);
          break;
        }
        case 3: {
          const [start, step, end] = p;
          let inc = 1n;
          if (end < start) {
            inc = -1n;
            if (step > 0n) return '';
          }
          list = untilStep(start, end + inc, step);
          break;
        }
        default:
          return '';
      }
      return list.join(' ');
    },
    { variadic: 'int' },
  );
  def(map, 'until', ['int'], '[]int', (count: GoInt) => intSlice(untilStep(0n, count.v, count.v < 0n ? -1n : 1n)));
  def(map, 'untilStep', ['int', 'int', 'int'], '[]int', (start: GoInt, stop: GoInt, step: GoInt) =>
    intSlice(untilStep(start.v, stop.v, step.v)),
  );
};
