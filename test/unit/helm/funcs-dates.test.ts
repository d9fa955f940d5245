/**
 * What the Go fixture (funcs-data.test.ts) cannot pin down: the injected clock and randomness,
 * Go's random map order, mutation of the caller's maps, and the helpers other modules use
 * (GoTime.marshalText for toJson, ParseDuration, Duration.String). Expectations marked "Go" were
 * observed from Go 1.19 + sprig 3.2.3 with a fixed reference time (2024-01-01T00:00:00Z).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatV } from '../../../server/src/helm/fmt';
import { FuncMap, GoError, GoInt, GoMap, GoPanic, goSlice, typeName, Value } from '../../../server/src/helm/value';
import { deterministicEnv, FuncEnv } from '../../../server/src/helm/funcs/env';
import { convFuncs } from '../../../server/src/helm/funcs/conv';
import { mathFuncs } from '../../../server/src/helm/funcs/math';
import { defaultFuncs } from '../../../server/src/helm/funcs/defaults';
import { reflectFuncs } from '../../../server/src/helm/funcs/reflect';
import { listFuncs } from '../../../server/src/helm/funcs/lists';
import { dictFuncs } from '../../../server/src/helm/funcs/dicts';
import { dateFuncs } from '../../../server/src/helm/funcs/dates';
import { durationString, goDate, GoTime, parseDuration } from '../../../server/src/helm/funcs/datesTime';
import { GoLocation, loadLocation, localLocation } from '../../../server/src/helm/funcs/datesZones';

function funcs(env: FuncEnv): FuncMap {
  const map: FuncMap = new Map();
  for (const f of [convFuncs, mathFuncs, defaultFuncs, reflectFuncs, listFuncs, dictFuncs, dateFuncs]) f(map, env);
  return map;
}

function call(map: FuncMap, name: string, ...args: Value[]): Value {
  const d = map.get(name);
  assert.ok(d, name);
  return d.fn(...args);
}

const int = (n: number) => new GoInt(BigInt(n), 'int');
const i64 = (n: number | bigint) => new GoInt(BigInt(n), 'int64');

test('now is the env clock in the local zone, with a zero monotonic reading in the editor', () => {
  const map = funcs(deterministicEnv());
  const now = call(map, 'now') as GoTime;
  assert.ok(now instanceof GoTime);
  assert.equal(typeName(now), 'time.Time');
  // Go prints time.Now() with its monotonic reading: "... +0000 UTC m=+0.000831389".
  assert.equal(formatV(now), '2024-01-01 00:00:00 +0000 UTC m=+0.000000000');
  assert.equal(call(map, 'date', '2006-01-02', now), '2024-01-01');
  assert.equal(call(map, 'unixEpoch', now), '1704067200');
  // UTC() drops the monotonic reading, as Go does.
  assert.equal(formatV(now.method('UTC')!.fn()), '2024-01-01 00:00:00 +0000 UTC');

  const ny = funcs({ ...deterministicEnv(), localZone: 'America/New_York' });
  assert.equal(formatV(call(ny, 'now')), '2023-12-31 19:00:00 -0500 EST m=+0.000000000');
  assert.equal(formatV((call(ny, 'now') as GoTime).method('Location')!.fn()), 'America/New_York');
});

test('a real clock carries a growing monotonic reading', () => {
  const map = funcs({ ...deterministicEnv(), deterministic: false, now: () => new Date() });
  const s = formatV(call(map, 'now'));
  assert.match(s, / m=\+\d+\.\d{9}$/);
});

test('date, htmlDate and ago use now for values that are not times (a float64 from values.yaml)', () => {
  const map = funcs(deterministicEnv());
  assert.equal(call(map, 'date', '2006-01-02', 1.5), '2024-01-01');
  assert.equal(call(map, 'htmlDate', '2020'), '2024-01-01');
  assert.equal(call(map, 'ago', null), '0s');
  // Go: now.Sub(t).Round(time.Second).String() for the reference now.
  assert.equal(call(map, 'ago', goDate(2024, 7, 4, 23, 5, 9, 0, GoLocation.UTC)), '-4463h5m9s');
  assert.equal(call(map, 'ago', int(0)), '473352h0m0s');
  assert.equal(call(map, 'ago', i64(0)), '473352h0m0s');
  assert.equal(call(map, 'ago', goDate(2023, 12, 31, 23, 59, 59, 500000000, GoLocation.UTC)), '1s');
  assert.equal(call(map, 'ago', goDate(2023, 12, 31, 23, 59, 59, 499999999, GoLocation.UTC)), '1s');
  // ago's type switch has no int32 (date's has).
  assert.equal(call(map, 'ago', new GoInt(0n, 'int32')), '0s');
  // durationRound of a time: the time since it (Go: 22656h0m0s), in its largest unit.
  assert.equal(call(map, 'durationRound', goDate(2021, 6, 1, 0, 0, 0, 0, GoLocation.UTC)), '2y');
  assert.equal(call(map, 'durationRound', call(map, 'now')), '0s');
});

test('randInt draws from the env generator, in [min, max)', () => {
  const env = deterministicEnv(42);
  const map = funcs(env);
  const expected = deterministicEnv(42);
  for (let i = 0; i < 50; i++) {
    const r = call(map, 'randInt', int(-5), int(5)) as GoInt;
    assert.equal(r.t, 'int');
    assert.equal(r.v, BigInt(Math.floor(expected.random() * 10) - 5));
    assert.ok(r.v >= -5n && r.v < 5n);
  }
  // Go: rand.Intn panics for n <= 0.
  assert.throws(() => call(map, 'randInt', int(3), int(3)), new GoPanic('invalid argument to Intn'));
});

test('set, unset and merge change the map they are given; pick, omit and dict do not', () => {
  const map = funcs(deterministicEnv());
  const inner: GoMap = { x: 1 };
  const d: GoMap = { a: inner };
  const src: GoMap = { a: { y: 2 }, b: { z: 3 } };
  const r = call(map, 'merge', d, src) as GoMap;
  assert.equal(r, d);
  assert.equal(d.a, inner, 'nested maps of the destination merge in place');
  assert.deepEqual(inner, { x: 1, y: 2 });
  assert.equal(d.b, src.b, 'a source map the destination lacks is shared, not copied (as in Go)');
  const p = call(map, 'pick', d, 'a') as GoMap;
  assert.notEqual(p, d);
  assert.equal(call(map, 'set', d, 'c', 1), d);
  assert.equal(d.c, 1);
  assert.equal(call(map, 'unset', d, 'c'), d);
  assert.equal('c' in d, false);
  const l = [1, 2];
  const a = call(map, 'append', l, 3) as Value[];
  assert.deepEqual(l, [1, 2]);
  assert.deepEqual(a, [1, 2, 3]);
});

test('keys and values: every key once (Go returns them in random order)', () => {
  const map = funcs(deterministicEnv());
  const m: GoMap = { s: 'v', sub: { k: 'deep' }, n: null };
  const k = call(map, 'keys', m, { s: 1 }) as string[];
  assert.equal(typeName(k), '[]string');
  assert.deepEqual([...k].sort(), ['n', 's', 's', 'sub']);
  const v = call(map, 'values', m) as Value[];
  assert.equal(typeName(v), '[]interface {}');
  assert.equal(v.length, 3);
  assert.ok(v.includes('v') && v.includes(null));
});

test('deepCopy copies maps and slices all the way down and keeps slice types', () => {
  const map = funcs(deterministicEnv());
  const orig: GoMap = { a: { b: [1, { c: 2 }] }, s: goSlice(['x'], 'string'), u: new Uint8Array([1]) };
  const c = call(map, 'deepCopy', orig) as GoMap;
  assert.deepEqual(c, orig);
  assert.notEqual(c.a, orig.a);
  assert.notEqual((c.a as GoMap).b, (orig.a as GoMap).b);
  assert.equal(typeName(c.s), '[]string');
  assert.notEqual(c.u, orig.u);
  assert.throws(() => call(map, 'mustDeepCopy', null), new GoPanic('reflect: call of reflect.Value.Type on zero Value'));
});

test('fail returns its message as the error', () => {
  const map = funcs(deterministicEnv());
  assert.equal(map.get('fail')!.returnsError, true);
  assert.throws(() => call(map, 'fail', 'boom'), new GoError('boom'));
});

test('declared Go signatures', () => {
  const map = funcs(deterministicEnv());
  const sig = (n: string) => {
    const d = map.get(n)!;
    const params = [...d.params, ...(d.variadic ? ['...' + d.variadic] : [])].join(',');
    return `${params} -> ${d.result}${d.returnsError ? ', error' : ''}`;
  };
  assert.equal(sig('add'), '...interface {} -> int64');
  assert.equal(sig('until'), 'int -> []int');
  assert.equal(sig('seq'), '...int -> string');
  assert.equal(sig('round'), 'interface {},int,...float64 -> float64');
  assert.equal(sig('mustFirst'), 'interface {} -> interface {}, error');
  assert.equal(sig('chunk'), 'int,interface {} -> [][]interface {}');
  assert.equal(sig('dig'), '...interface {} -> interface {}, error');
  assert.equal(sig('merge'), 'map[string]interface {},...map[string]interface {} -> interface {}');
  assert.equal(sig('pick'), 'map[string]interface {},...string -> map[string]interface {}');
  assert.equal(sig('dateModify'), 'string,time.Time -> time.Time');
  assert.equal(sig('mustToDate'), 'string,string -> time.Time, error');
  assert.equal(sig('ternary'), 'interface {},interface {},bool -> interface {}');
  assert.equal(sig('atoi'), 'string -> int');
  assert.equal(sig('fail'), 'string -> string, error');
  for (const n of ['date_in_zone', 'date_modify', 'must_date_modify', 'tuple', 'biggest', 'push', 'mustPush']) {
    assert.ok(map.has(n), n);
  }
});

test('times marshal to JSON text as Go does (RFC 3339 with nanoseconds)', () => {
  const t = goDate(2024, 3, 15, 10, 30, 45, 123456789, GoLocation.UTC);
  // Go: json.Marshal(t) → "2024-03-15T10:30:45.123456789Z"; in Asia/Kolkata "...16:00:45.123456789+05:30".
  assert.equal(t.marshalText(), '2024-03-15T10:30:45.123456789Z');
  assert.equal(t.in(loadLocation('Asia/Kolkata', GoLocation.UTC)!).marshalText(), '2024-03-15T16:00:45.123456789+05:30');
});

test('ParseDuration and Duration.String', () => {
  assert.deepEqual(parseDuration('1h2m3.5s'), { d: 3723500000000n });
  assert.deepEqual(parseDuration('-1.5h'), { d: -5400000000000n });
  assert.deepEqual(parseDuration('1x'), { error: 'time: unknown unit "x" in duration "1x"' });
  assert.equal(durationString(1500n), '1.5µs');
  assert.equal(durationString(-1n), '-1ns');
  assert.equal(durationString(-(1n << 63n)), '-2562047h47m16.854775808s');
});

test('zone names load as on Linux: case matters, unknown names are errors', () => {
  const local = localLocation('UTC');
  assert.equal(loadLocation('', local), GoLocation.UTC);
  assert.equal(loadLocation('Local', local), local);
  assert.equal(loadLocation('america/new_york', local), undefined);
  assert.equal(loadLocation('Nope/Zone', local), undefined);
  assert.equal(loadLocation('../etc/passwd', local), undefined);
  assert.equal(formatV(loadLocation('US/Eastern', local)!), 'US/Eastern');
  // An unknown local zone falls back to UTC, as Go does for a bad TZ.
  assert.equal(formatV(localLocation('Nope/Zone')), 'UTC');
});

test('lists too long to build are refused instead of exhausting memory', () => {
  const map = funcs(deterministicEnv());
  assert.throws(() => call(map, 'until', int(1e9)), GoPanic);
  assert.throws(() => call(map, 'seq', int(1), int(1e9)), GoPanic);
  assert.equal((call(map, 'until', int(1000)) as Value[]).length, 1000);
});
