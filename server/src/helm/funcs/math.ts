/**
 * sprig's arithmetic: the int64 family (`add`, `add1`, `sub`, `mul`, `div`, `mod`, `max`/`biggest`,
 * `min`, `randInt`) over spf13/cast's ToInt64, the float family (`maxf`, `minf`, `ceil`, `floor`,
 * `round`) over ToFloat64, and the decimal family (`addf`, `add1f`, `subf`, `mulf`, `divf`) that goes
 * float64 → shopspring/decimal (shortest digits) → exact arithmetic → nearest float64.
 *
 * Go semantics reproduced: int64 arithmetic wraps; `div`/`mod` by zero panic with
 * "runtime error: integer divide by zero"; MinInt64 / -1 is MinInt64; decimal division keeps 16
 * decimal places, rounding half away from zero, and panics "decimal division by 0"; a NaN or ±Inf
 * operand of the decimal family panics "Cannot create a Decimal from NaN"; `round` uses Go's own
 * math.Pow (not correctly rounded) and math.Modf.
 */
import { formatFloat, shortestDigits } from '../fmt';
import { def, GoInt, GoPanic, Value } from '../value';
import type { FuncEnv, FuncFamily } from './env';
import { ldexp, toFloat64, toInt64, wrap64 } from './conv';

const i64 = (v: bigint): GoInt => new GoInt(wrap64(v), 'int64');

function divZero(): never {
  throw new GoPanic('runtime error: integer divide by zero');
}

/** math.Max with Go's order of special cases: +Inf wins over NaN. */
export function goMax(x: number, y: number): number {
  if (x === Infinity || y === Infinity) return Infinity;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? y : x;
  return x > y ? x : y;
}

/** math.Min: -Inf wins over NaN. */
export function goMin(x: number, y: number): number {
  if (x === -Infinity || y === -Infinity) return -Infinity;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? x : y;
  return x < y ? x : y;
}

/** math.Frexp: frac in [0.5, 1) and exp with f = frac × 2^exp. */
function frexp(f: number): [number, number] {
  if (f === 0 || !Number.isFinite(f)) return [f, 0];
  let e = 0;
  let a = Math.abs(f);
  if (a < 2 ** -1022) {
    a *= 2 ** 52;
    e = -52;
  }
  const x = Math.floor(Math.log2(a));
  let frac = a / 2 ** x;
  let ex = x;
  // Guard against log2 rounding.
  while (frac >= 2) {
    frac /= 2;
    ex++;
  }
  while (frac < 1) {
    frac *= 2;
    ex--;
  }
  return [(f < 0 ? -frac : frac) / 2, ex + 1 + e];
}

/**
 * Go's math.Pow (the pure-Go algorithm amd64 uses) for an integral exponent, which is all `round`
 * needs: repeated squaring of Frexp's mantissa, so the result can differ from JavaScript's `**` in
 * the last bit.
 */
export function goPowInt(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0) {
    const odd = Math.abs(y % 2) === 1;
    if (y < 0) return odd ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    return odd ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y === Infinity) ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return goPowInt(1 / x, -y);
    return y < 0 ? 0 : Infinity;
  }
  const yi = Math.trunc(Math.abs(y));
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === y > 0 ? 0 : Infinity;
  }
  let a1 = 1;
  let ae = 0;
  let [x1, xe] = frexp(x);
  for (let i = BigInt(yi); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

/** sprig's round(a, p, roundOn=.5): ceil when the fractional part of a×10^p reaches roundOn, else floor. */
export function sprigRound(a: Value, p: bigint, rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0] : 0.5;
  const val = toFloat64(a);
  const pow = goPowInt(10, Number(p));
  const digit = pow * val;
  // math.Modf: the fractional part keeps the sign; ±Inf has a NaN fraction.
  const frac = Number.isFinite(digit) ? digit - Math.trunc(digit) : NaN;
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** A shopspring/decimal value: v × 10^e, exact. */
class Dec {
  constructor(
    readonly v: bigint,
    readonly e: number,
  ) {}
  static fromFloat(f: number): Dec {
    if (Number.isNaN(f) || !Number.isFinite(f)) throw new GoPanic('Cannot create a Decimal from ' + formatFloat(f));
    if (f === 0) return new Dec(0n, 0);
    // NewFromFloat keeps the shortest digits that read back as f.
    const { neg, digits, exp } = shortestDigits(f);
    const v = BigInt(digits);
    return new Dec(neg ? -v : v, exp - (digits.length - 1));
  }
  private static pair(a: Dec, b: Dec): [bigint, bigint, number] {
    if (a.e === b.e) return [a.v, b.v, a.e];
    if (a.e < b.e) return [a.v, b.v * 10n ** BigInt(b.e - a.e), a.e];
    return [a.v * 10n ** BigInt(a.e - b.e), b.v, b.e];
  }
  add(b: Dec): Dec {
    const [x, y, e] = Dec.pair(this, b);
    return new Dec(x + y, e);
  }
  sub(b: Dec): Dec {
    const [x, y, e] = Dec.pair(this, b);
    return new Dec(x - y, e);
  }
  mul(b: Dec): Dec {
    return new Dec(this.v * b.v, this.e + b.e);
  }
  cmp(b: Dec): number {
    const [x, y] = Dec.pair(this, b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  /** Div: DivRound(d2, 16), QuoRem then half away from zero, as shopspring/decimal does. */
  div(d2: Dec, precision = 16): Dec {
    if (d2.v === 0n) throw new GoPanic('decimal division by 0');
    const scale = -precision;
    const e = this.e - d2.e - scale;
    let aa: bigint;
    let bb: bigint;
    let scalerest: number;
    if (e < 0) {
      aa = this.v;
      bb = d2.v * 10n ** BigInt(-e);
      scalerest = this.e;
    } else {
      aa = this.v * 10n ** BigInt(e);
      bb = d2.v;
      scalerest = scale + d2.e;
    }
    const q = new Dec(aa / bb, scale);
    const r = aa % bb;
    const r2 = new Dec((r < 0n ? -r : r) * 2n, scalerest + precision);
    const absD2 = new Dec(d2.v < 0n ? -d2.v : d2.v, d2.e);
    if (r2.cmp(absD2) < 0) return q;
    const sign = (this.v < 0n ? -1 : this.v > 0n ? 1 : 0) * (d2.v < 0n ? -1 : 1);
    return sign < 0 ? q.sub(new Dec(1n, -precision)) : q.add(new Dec(1n, -precision));
  }
  /** The nearest float64 (big.Rat.Float64). */
  toFloat(): number {
    if (this.v === 0n) return 0;
    return Number(this.v.toString() + 'e' + this.e);
  }
}

function decOp(a: Value, rest: Value[], f: (x: Dec, y: Dec) => Dec): number {
  let acc = Dec.fromFloat(toFloat64(a));
  for (const x of rest) acc = f(acc, Dec.fromFloat(toFloat64(x)));
  return acc.toFloat();
}

/** rand.Intn(n) with the injected generator; Go panics for n <= 0. */
function intn(env: FuncEnv, n: bigint): bigint {
  if (n <= 0n) throw new GoPanic('invalid argument to Intn');
  return BigInt(Math.floor(env.random() * Number(n)));
}

export const mathFuncs: FuncFamily = (map, env) => {
  const I = 'interface {}';
  def(map, 'add1', [I], 'int64', (i: Value) => i64(toInt64(i) + 1n));
  def(
    map,
    'add',
    [],
    'int64',
    (...xs: Value[]) => {
      let a = 0n;
      for (const b of xs) a = wrap64(a + toInt64(b));
      return i64(a);
    },
    { variadic: I },
  );
  def(map, 'sub', [I, I], 'int64', (a: Value, b: Value) => i64(toInt64(a) - toInt64(b)));
  def(map, 'div', [I, I], 'int64', (a: Value, b: Value) => {
    const d = toInt64(b);
    if (d === 0n) divZero();
    return i64(toInt64(a) / d);
  });
  def(map, 'mod', [I, I], 'int64', (a: Value, b: Value) => {
    const d = toInt64(b);
    if (d === 0n) divZero();
    return i64(toInt64(a) % d);
  });
  def(
    map,
    'mul',
    [I],
    'int64',
    (a: Value, ...v: Value[]) => {
      let val = toInt64(a);
      for (const b of v) val = wrap64(val * toInt64(b));
      return i64(val);
    },
    { variadic: I },
  );
  def(map, 'randInt', ['int', 'int'], 'int', (min: GoInt, max: GoInt) => {
    const n = wrap64(max.v - min.v);
    return new GoInt(wrap64(intn(env, n) + min.v), 'int');
  });
  def(map, 'add1f', [I], 'float64', (i: Value) => decOp(i, [new GoInt(1n)], (x, y) => x.add(y)));
  def(map, 'addf', [], 'float64', (...i: Value[]) => decOp(0, i, (x, y) => x.add(y)), { variadic: I });
  def(map, 'subf', [I], 'float64', (a: Value, ...v: Value[]) => decOp(a, v, (x, y) => x.sub(y)), { variadic: I });
  def(map, 'divf', [I], 'float64', (a: Value, ...v: Value[]) => decOp(a, v, (x, y) => x.div(y)), { variadic: I });
  def(map, 'mulf', [I], 'float64', (a: Value, ...v: Value[]) => decOp(a, v, (x, y) => x.mul(y)), { variadic: I });
  const max = (a: Value, ...i: Value[]) => {
    let aa = toInt64(a);
    for (const b of i) {
      const bb = toInt64(b);
      if (bb > aa) aa = bb;
    }
    return i64(aa);
  };
  def(map, 'biggest', [I], 'int64', max, { variadic: I });
  def(map, 'max', [I], 'int64', max, { variadic: I });
  def(
    map,
    'min',
    [I],
    'int64',
    (a: Value, ...i: Value[]) => {
      let aa = toInt64(a);
      for (const b of i) {
        const bb = toInt64(b);
        if (bb < aa) aa = bb;
      }
      return i64(aa);
    },
    { variadic: I },
  );
  def(
    map,
    'maxf',
    [I],
    'float64',
    (a: Value, ...i: Value[]) => i.reduce<number>((acc, b) => goMax(acc, toFloat64(b)), toFloat64(a)),
    { variadic: I },
  );
  def(
    map,
    'minf',
    [I],
    'float64',
    (a: Value, ...i: Value[]) => i.reduce<number>((acc, b) => goMin(acc, toFloat64(b)), toFloat64(a)),
    { variadic: I },
  );
  def(map, 'ceil', [I], 'float64', (a: Value) => Math.ceil(toFloat64(a)));
  def(map, 'floor', [I], 'float64', (a: Value) => Math.floor(toFloat64(a)));
  def(map, 'round', [I, 'int'], 'float64', (a: Value, p: GoInt, ...r: number[]) => sprigRound(a, p.v, r), {
    variadic: 'float64',
  });
};
