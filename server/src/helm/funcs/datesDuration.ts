/**
 * Go's time.Duration, time.Month and time.Weekday (named integers with a String method), with
 * time.ParseDuration, Duration.String and Duration.Round, and the quote() the time package uses in
 * its error messages.
 */
import { FuncDef, GoInt, GoStruct, GoType, IntType, Value } from '../value';
import type { NamedInt } from './conv';

export const NS = 1000000000n;
export const MIN_I64 = -(1n << 63n);
export const MAX_I64 = (1n << 63n) - 1n;

export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Go's int64 wrap. */
export const w64 = (v: bigint) => BigInt.asIntN(64, v);

abstract class GoNamedInt extends GoStruct implements NamedInt {
  abstract readonly kind: IntType;
  constructor(readonly n: bigint) {
    super();
  }
  override truth(): boolean {
    return this.n !== 0n;
  }
  abstract text(): string;
  override format(): string {
    return this.text();
  }
  override method(name: string): FuncDef | undefined {
    if (name === 'String') return fdef('String', [], 'string', () => this.text());
    return undefined;
  }
}

export class GoMonth extends GoNamedInt {
  readonly goType = 'time.Month';
  readonly kind = 'int';
  text(): string {
    const n = Number(this.n);
    return n >= 1 && n <= 12 ? LONG_MONTHS[n - 1] : '%!Month(' + this.n + ')';
  }
}

export class GoWeekday extends GoNamedInt {
  readonly goType = 'time.Weekday';
  readonly kind = 'int';
  text(): string {
    const n = Number(this.n);
    return n >= 0 && n <= 6 ? LONG_DAYS[n] : '%!Weekday(' + this.n + ')';
  }
}

/** time.Duration: int64 nanoseconds. */
export class GoDuration extends GoNamedInt {
  readonly goType = 'time.Duration';
  readonly kind = 'int64';
  text(): string {
    return durationString(this.n);
  }
  override method(name: string): FuncDef | undefined {
    const d = this.n;
    switch (name) {
      case 'Hours':
        return fdef(name, [], 'float64', () => floatUnits(d, 3600n * NS));
      case 'Minutes':
        return fdef(name, [], 'float64', () => floatUnits(d, 60n * NS));
      case 'Seconds':
        return fdef(name, [], 'float64', () => floatUnits(d, NS));
      case 'Milliseconds':
        return fdef(name, [], 'int64', () => new GoInt(d / 1000000n, 'int64'));
      case 'Microseconds':
        return fdef(name, [], 'int64', () => new GoInt(d / 1000n, 'int64'));
      case 'Nanoseconds':
        return fdef(name, [], 'int64', () => new GoInt(d, 'int64'));
      case 'Abs':
        return fdef(name, [], 'time.Duration', () => new GoDuration(d >= 0n ? d : d === MIN_I64 ? MAX_I64 : -d));
      case 'Round':
        return fdef(name, ['time.Duration'], 'time.Duration', (m: Value) => new GoDuration(durationRound(d, durArg(m))));
      case 'Truncate':
        return fdef(name, ['time.Duration'], 'time.Duration', (m: Value) => {
          const mm = durArg(m);
          return new GoDuration(mm <= 0n ? d : d - (d % mm));
        });
    }
    return super.method(name);
  }
}

/** Duration.Hours & co: whole units plus the fraction, as Go computes them. */
function floatUnits(d: bigint, unit: bigint): number {
  const whole = d / unit;
  const rest = d % unit;
  return Number(whole) + Number(rest) / Number(unit);
}

/** A time.Duration argument: a Duration or an integer constant. */
export function durArg(v: Value): bigint {
  if (v instanceof GoDuration) return v.n;
  if (v instanceof GoInt) return w64(v.v);
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return 0n;
}

export function fdef(name: string, params: GoType[], result: GoType, fn: (...args: any[]) => Value): FuncDef {
  return { name, params, result, fn };
}

/** Duration.Round. */
export function durationRound(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  const lessThanHalf = (x: bigint, y: bigint) => BigInt.asUintN(64, x + x) < BigInt.asUintN(64, y);
  if (d < 0n) {
    r = -r;
    if (lessThanHalf(r, m)) return d + r;
    const d1 = d - m + r;
    return d1 < d && d1 >= MIN_I64 ? d1 : MIN_I64;
  }
  if (lessThanHalf(r, m)) return d - r;
  const d1 = d + m - r;
  return d1 > d && d1 <= MAX_I64 ? d1 : MAX_I64;
}

/** Duration.String: "1h2m3.5s", "1.5ms", "0s". */
export function durationString(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  if (u === 0n) return '0s';
  let out: string;
  if (u < NS) {
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1000000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, whole] = fmtFrac(u, prec);
    out = whole + frac + unit;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = (u % 60n) + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n) + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

/** The fraction v / 10^prec as ".123" without trailing zeros (nothing when zero), and the integer part. */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let s = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) s = digit.toString() + s;
    v /= 10n;
  }
  return [print ? '.' + s : '', v];
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1000000n,
  s: NS,
  m: 60n * NS,
  h: 3600n * NS,
};

/** time.ParseDuration: nanoseconds, or Go's error text. */
export function parseDuration(orig: string): { d: bigint } | { error: string } {
  const bad = () => ({ error: 'time: invalid duration ' + goQuote(orig) });
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { d: 0n };
  if (s === '') return bad();
  const LIMIT = 1n << 63n;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0] >= '0' && s[0] <= '9'))) return bad();
    // Leading integer.
    let i = 0;
    let v = 0n;
    for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) return bad();
    }
    const pre = i > 0;
    s = s.slice(i);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && s[j] >= '0' && s[j] <= '9'; j++) {
        if (overflow) continue;
        // leadingFraction stops gathering precision once it would overflow int64.
        if (f > (LIMIT - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return bad();
    let k = 0;
    for (; k < s.length; k++) {
      const c = s[k];
      if (c === '.' || (c >= '0' && c <= '9')) break;
    }
    if (k === 0) return { error: 'time: missing unit in duration ' + goQuote(orig) };
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) return { error: 'time: unknown unit ' + goQuote(u) + ' in duration ' + goQuote(orig) };
    if (v > LIMIT / unit) return bad();
    v *= unit;
    if (f > 0n) {
      // float64 arithmetic, as Go does it.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return bad();
    }
    d += v;
    if (d > LIMIT) return bad();
  }
  if (neg) return { d: -d };
  if (d > LIMIT - 1n) return bad();
  return { d };
}

/** The quote() of Go's time package: ASCII kept (with \" and \\), other bytes as \xNN. */
export function goQuote(s: string, isBytes = false): string {
  const b = isBytes ? s : toBytes(s);
  let out = '"';
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += '\\x' + c.toString(16).padStart(2, '0');
    else {
      if (c === 0x22 || c === 0x5c) out += '\\';
      out += b[i];
    }
  }
  return out + '"';
}

const encoder = new TextEncoder();

/** A string as its UTF-8 bytes, one char per byte (Go indexes strings by byte). */
export function toBytes(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s;
  let out = '';
  for (const b of encoder.encode(s)) out += String.fromCharCode(b);
  return out;
}
