/**
 * Helm's own duration helpers (pkg/engine/funcs.go on Helm main: mustToDuration, durationSeconds,
 * ..., durationRoundTo, durationTruncateTo). A duration is read from a time.Duration, a Go
 * duration string (`1h30m`), a number of seconds as a string or a number; the non-must helpers
 * answer 0 when it cannot be read.
 */
import { formatV } from '../fmt';
import { quoteGo } from '../printf';
import { FuncMap, GoError, GoFloat32, GoInt, GoPanic, typeName, Value } from '../value';
import { parseFloat64 } from './conv';
import { durationRound, GoDuration, MAX_I64, MIN_I64, NS, parseDuration } from './datesDuration';
import { FuncFamily } from './env';

const MAX_SECONDS = MAX_I64 / NS;
const MIN_SECONDS = MIN_I64 / NS;
const MAX_SECONDS_F = Number(MAX_I64) / 1e9;
const MIN_SECONDS_F = Number(MIN_I64) / 1e9;

function fromSecondsFloat(s: number): bigint {
  if (Number.isNaN(s) || !Number.isFinite(s)) throw new GoError(`invalid duration seconds: ${formatV(s)}`);
  if (s > MAX_SECONDS_F || s < MIN_SECONDS_F) throw new GoError(`duration seconds overflow: ${formatV(s)}`);
  const nanos = s * 1e9;
  if (nanos > Number(MAX_I64) || nanos < Number(MIN_I64)) throw new GoError(`duration nanoseconds overflow: ${formatV(nanos)}`);
  return BigInt(Math.trunc(nanos));
}

/** Helm's asDuration. */
export function asDuration(v: Value): bigint {
  if (v instanceof GoDuration) return v.n;
  if (typeof v === 'string') {
    const s = v.replace(/^[\s\u0085]+|[\s\u0085]+$/g, '');
    if (s === '') throw new GoError('empty duration');
    const d = parseDuration(s);
    if ('d' in d) return d.d;
    const f = parseFloat64(s);
    if (f.ok) return fromSecondsFloat(f.v);
    throw new GoError(`could not parse duration ${quoteGo(v)}`);
  }
  if (v === null || v === undefined) throw new GoError('invalid duration');
  if (v instanceof GoInt) {
    if (v.isUnsigned()) {
      if (v.v > MAX_SECONDS) throw new GoError(`duration seconds overflow: ${v.v}`);
      return v.v * NS;
    }
    if (v.v > MAX_SECONDS || v.v < MIN_SECONDS) throw new GoError(`duration seconds overflow: ${v.v}`);
    return v.v * NS;
  }
  if (typeof v === 'number') return fromSecondsFloat(v);
  if (v instanceof GoFloat32) return fromSecondsFloat(v.v);
  throw new GoError(`unsupported duration type ${typeName(v)}`);
}

function orZero(v: Value): bigint | undefined {
  try {
    return asDuration(v);
  } catch (e) {
    if (e instanceof GoError) return undefined;
    throw e;
  }
}

function units(d: bigint, unit: bigint): number {
  return Number(d / unit) + Number(d % unit) / Number(unit);
}

export const durationFuncs: FuncFamily = (map: FuncMap) => {
  const set = (name: string, result: string, fn: (...a: Value[]) => Value, params = ['interface {}']): void => {
    map.set(name, { name, params, result, fn });
  };
  set('mustToDuration', 'time.Duration', (v) => {
    try {
      return new GoDuration(asDuration(v));
    } catch (e) {
      if (e instanceof GoError) throw new GoPanic(e.message);
      throw e;
    }
  });
  const f = (name: string, unit: bigint, div = 1): void =>
    set(name, 'float64', (v) => {
      const d = orZero(v);
      return d === undefined ? 0 : units(d, unit) / div;
    });
  const i = (name: string, unit: bigint): void =>
    set(name, 'int64', (v) => {
      const d = orZero(v);
      return new GoInt(d === undefined ? 0n : d / unit, 'int64');
    });
  f('durationSeconds', NS);
  i('durationMilliseconds', 1000000n);
  i('durationMicroseconds', 1000n);
  i('durationNanoseconds', 1n);
  f('durationMinutes', 60n * NS);
  f('durationHours', 3600n * NS);
  // Hours()/24 and Hours()/24/7, in float64 as Go divides them.
  set('durationDays', 'float64', (v) => {
    const d = orZero(v);
    return d === undefined ? 0 : units(d, 3600n * NS) / 24;
  });
  set('durationWeeks', 'float64', (v) => {
    const d = orZero(v);
    return d === undefined ? 0 : units(d, 3600n * NS) / 24 / 7;
  });
  const two = (name: string, op: (d: bigint, m: bigint) => bigint): void =>
    set(
      name,
      'time.Duration',
      (v, m) => {
        const d = orZero(v);
        if (d === undefined) return new GoDuration(0n);
        const mul = orZero(m);
        return new GoDuration(mul === undefined ? d : op(d, mul));
      },
      ['interface {}', 'interface {}'],
    );
  two('durationRoundTo', durationRound);
  two('durationTruncateTo', (d, m) => (m <= 0n ? d : d - (d % m)));
};
