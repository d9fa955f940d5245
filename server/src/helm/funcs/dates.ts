/**
 * sprig's date functions: `now`, `date`, `dateInZone` (`date_in_zone`), `htmlDate`,
 * `htmlDateInZone`, `toDate`, `mustToDate`, `dateModify` (`date_modify`), `mustDateModify`
 * (`must_date_modify`), `unixEpoch`, `duration`, `durationRound` and `ago`.
 *
 * The clock is the env's (`env.now()`, fixed in the editor) and "Local" is `env.localZone`. sprig's
 * type switches decide what counts as a time: `date` takes time.Time, int, int32 and int64 (Unix
 * seconds) and uses *now* for anything else, a float64 from values.yaml included; `duration` takes a
 * string or int64 of seconds and reads anything else as 0; `durationRound` takes a duration string,
 * int64 nanoseconds or a time.Time.
 */
import { def, GoError, GoInt, Value } from '../value';
import { parseInt64, wrap64 } from './conv';
import { GoLocation, loadLocation, localLocation } from './datesZones';
import {
  durationRound as roundDuration,
  durationString,
  GoTime,
  parseDuration,
  parseInLocation,
  ParseFail,
  setDefaultLocal,
} from './datesTime';
import type { FuncEnv, FuncFamily } from './env';

const NS = 1000000000n;
const YEAR = 3600n * 24n * 365n * NS;
const MONTH = 3600n * 24n * 30n * NS;
const DAY = 3600n * 24n * NS;
const HOUR = 3600n * NS;
const MINUTE = 60n * NS;

/** The start of the process, for monotonic readings outside deterministic mode. */
const perf = (globalThis as { performance?: { now(): number } }).performance;

function nowOf(env: FuncEnv, local: GoLocation): GoTime {
  const ms = env.now().getTime();
  const sec = Math.floor(ms / 1000);
  const nsec = Math.round((ms - sec * 1000) * 1e6);
  // time.Now carries a monotonic reading; in the editor it is 0 so that output never changes.
  const mono = env.deterministic || !perf ? 0n : BigInt(Math.round(perf.now() * 1e6));
  return new GoTime(sec, nsec, local, mono);
}

/** durationRound's coarse units: the largest that the duration exceeds. */
function coarse(d: bigint): string {
  let u = BigInt.asUintN(64, d);
  if (d < 0n) u = BigInt.asUintN(64, -u);
  if (u > YEAR) return u / YEAR + 'y';
  if (u > MONTH) return u / MONTH + 'mo';
  if (u > DAY) return u / DAY + 'd';
  if (u > HOUR) return u / HOUR + 'h';
  if (u > MINUTE) return u / MINUTE + 'm';
  if (u > NS) return u / NS + 's';
  return '0s';
}

export const dateFuncs: FuncFamily = (map, env) => {
  const I = 'interface {}';
  const T = 'time.Time';
  // Looked up when a function first needs it (Intl's time zone lookup costs ~30 ms at start-up).
  let localLoc: GoLocation | undefined;
  const local = (): GoLocation => (localLoc ??= localLocation(env.localZone));
  setDefaultLocal(local);
  const now = () => nowOf(env, local());

  /** sprig's dateInZone: the value as a time (Unix seconds for int, int32, int64; now otherwise). */
  const asTime = (v: Value, int32: boolean): GoTime => {
    if (v instanceof GoTime) return v;
    if (v instanceof GoInt && (v.t === 'int' || v.t === 'int64' || (int32 && v.t === 'int32'))) return GoTime.unix(v.v, local());
    return now();
  };
  const inZone = (fmt: string, date: Value, zone: string): string => {
    const t = asTime(date, true);
    const loc = loadLocation(zone, local()) ?? GoLocation.UTC;
    return t.in(loc).formatLayout(fmt);
  };

  def(map, 'now', [], T, () => now());
  def(map, 'date', ['string', I], 'string', (fmt: string, date: Value) => inZone(fmt, date, 'Local'));
  def(map, 'htmlDate', [I], 'string', (date: Value) => inZone('2006-01-02', date, 'Local'));
  def(map, 'htmlDateInZone', [I, 'string'], 'string', (date: Value, zone: string) => inZone('2006-01-02', date, zone));
  for (const name of ['dateInZone', 'date_in_zone']) {
    def(map, name, ['string', I, 'string'], 'string', inZone);
  }
  def(map, 'toDate', ['string', 'string'], T, (fmt: string, s: string) => {
    const t = parseInLocation(fmt, s, local());
    return t instanceof ParseFail ? GoTime.zero() : t;
  });
  def(
    map,
    'mustToDate',
    ['string', 'string'],
    T,
    (fmt: string, s: string) => {
      const t = parseInLocation(fmt, s, local());
      if (t instanceof ParseFail) throw new GoError(t.message);
      return t;
    },
    { returnsError: true },
  );
  for (const name of ['dateModify', 'date_modify']) {
    def(map, name, ['string', T], T, (fmt: string, date: GoTime) => {
      const d = parseDuration(fmt);
      return 'error' in d ? date : date.add(d.d);
    });
  }
  for (const name of ['mustDateModify', 'must_date_modify']) {
    def(
      map,
      name,
      ['string', T],
      T,
      (fmt: string, date: GoTime) => {
        const d = parseDuration(fmt);
        if ('error' in d) throw new GoError(d.error);
        return date.add(d.d);
      },
      { returnsError: true },
    );
  }
  def(map, 'unixEpoch', [T], 'string', (date: GoTime) => String(date.sec));
  def(map, 'ago', [I], 'string', (date: Value) => {
    let t: GoTime;
    if (date instanceof GoTime) t = date;
    else if (date instanceof GoInt && (date.t === 'int' || date.t === 'int64')) t = GoTime.unix(date.v, local());
    else t = now();
    // time.Since(t).Round(time.Second)
    return durationString(roundDuration(now().sub(t), NS));
  });
  def(map, 'duration', [I], 'string', (sec: Value) => {
    let n = 0n;
    if (typeof sec === 'string') {
      // strconv.ParseInt with the error dropped: 0 on bad syntax, the clamped value when out of range.
      const r = parseInt64(sec, 10);
      n = r.ok || r.range ? r.v : 0n;
    } else if (sec instanceof GoInt && sec.t === 'int64') {
      n = sec.v;
    }
    return durationString(wrap64(n * NS));
  });
  def(map, 'durationRound', [I], 'string', (v: Value) => {
    let d = 0n;
    if (typeof v === 'string') {
      const r = parseDuration(v);
      d = 'error' in r ? 0n : r.d;
    } else if (v instanceof GoInt && v.t === 'int64') {
      d = v.v;
    } else if (v instanceof GoTime) {
      d = now().sub(v);
    }
    return coarse(d);
  });
};
