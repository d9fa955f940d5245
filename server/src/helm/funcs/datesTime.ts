/**
 * Go's time.Time as templates see it (`GoTime`): Unix seconds + nanoseconds + a location, and
 * optionally a monotonic reading (only `now` has one; `String()` then ends in " m=+0.000000000", as
 * Go prints it), with the methods templates call (`.Unix`, `.Format`, `.UTC`, `.Year`, `.Sub`,
 * `.AddDate`, `.Round`, ...). The layout language is in datesLayout.ts, durations in datesDuration.ts.
 */
import { FuncDef, GoInt, GoStruct, Value } from '../value';
import { durArg, fdef, GoDuration, GoMonth, GoWeekday, MAX_I64, MIN_I64, NS, w64 } from './datesDuration';
import { civilFromDays, dateInstant, formatTime, Instant, parseLayout, ParseFail } from './datesLayout';
import { daysFromCivil, GoLocation } from './datesZones';

export { durationRound, durationString, goQuote, GoDuration, GoMonth, GoWeekday, parseDuration } from './datesDuration';
export { formatTime, ParseFail } from './datesLayout';

/** Unix seconds of Go's zero time, January 1, year 1, 00:00:00 UTC. */
export const ZERO_UNIX = -62135596800;

export class GoTime extends GoStruct implements Instant {
  readonly goType = 'time.Time';
  constructor(
    /** Unix seconds (an integer). */
    readonly sec: number,
    /** Nanoseconds within the second, 0..999999999. */
    readonly nsec: number,
    readonly loc: GoLocation,
    /** The monotonic clock reading in nanoseconds (time.Now only). */
    readonly mono?: bigint,
  ) {
    super();
  }
  static zero(): GoTime {
    return new GoTime(ZERO_UNIX, 0, GoLocation.UTC);
  }
  /** time.Unix(sec, 0) in the given location. */
  static unix(sec: bigint, loc: GoLocation): GoTime {
    return new GoTime(Number(sec), 0, loc);
  }
  /** The wall clock in this time's location. */
  private wall(): { days: number; secOfDay: number; abbr: string; offset: number } {
    const z = this.loc.lookup(this.sec);
    const local = this.sec + z.offset;
    const days = Math.floor(local / 86400);
    return { days, secOfDay: local - days * 86400, abbr: z.abbr, offset: z.offset };
  }
  date(): [number, number, number] {
    return civilFromDays(this.wall().days);
  }
  clock(): [number, number, number] {
    const s = this.wall().secOfDay;
    return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  }
  weekday(): number {
    return (((this.wall().days + 4) % 7) + 7) % 7;
  }
  yearDay(): number {
    const days = this.wall().days;
    const [y] = civilFromDays(days);
    return days - daysFromCivil(y, 1, 1) + 1;
  }
  unixNano(): bigint {
    return w64(BigInt(this.sec) * NS + BigInt(this.nsec));
  }
  isZero(): boolean {
    return this.sec === ZERO_UNIX && this.nsec === 0;
  }
  in(loc: GoLocation): GoTime {
    return new GoTime(this.sec, this.nsec, loc);
  }
  /** Time.Add: the monotonic reading moves too (or is dropped when it would overflow). */
  add(d: bigint): GoTime {
    let dsec = d / NS;
    let nsec = this.nsec + Number(d % NS);
    if (nsec >= 1e9) {
      dsec++;
      nsec -= 1e9;
    } else if (nsec < 0) {
      dsec--;
      nsec += 1e9;
    }
    let mono = this.mono;
    if (mono !== undefined) {
      const te = mono + d;
      mono = te > MAX_I64 || te < MIN_I64 ? undefined : te;
    }
    return new GoTime(this.sec + Number(dsec), nsec, this.loc, mono);
  }
  /** Time.Sub: monotonic when both have a reading, else wall, saturating at the int64 range. */
  sub(u: GoTime): bigint {
    if (this.mono !== undefined && u.mono !== undefined) return clampI64(this.mono - u.mono);
    return clampI64((BigInt(this.sec) - BigInt(u.sec)) * NS + BigInt(this.nsec - u.nsec));
  }
  compare(u: GoTime): number {
    if (this.mono !== undefined && u.mono !== undefined) return this.mono < u.mono ? -1 : this.mono > u.mono ? 1 : 0;
    if (this.sec !== u.sec) return this.sec < u.sec ? -1 : 1;
    return this.nsec < u.nsec ? -1 : this.nsec > u.nsec ? 1 : 0;
  }
  /** Time.AddDate. */
  addDate(years: number, months: number, days: number): GoTime {
    const [y, m, d] = this.date();
    const [hh, mm, ss] = this.clock();
    return goDate(y + years, m + months, d + days, hh, mm, ss, this.nsec, this.loc);
  }
  /** The remainder of the time since the zero time modulo d (Time.Round / Truncate). */
  private rem(d: bigint): bigint {
    const total = (BigInt(this.sec) - BigInt(ZERO_UNIX)) * NS + BigInt(this.nsec);
    return ((total % d) + d) % d;
  }
  truncate(d: bigint): GoTime {
    const t = new GoTime(this.sec, this.nsec, this.loc);
    if (d <= 0n) return t;
    return t.add(-t.rem(d));
  }
  round(d: bigint): GoTime {
    const t = new GoTime(this.sec, this.nsec, this.loc);
    if (d <= 0n) return t;
    const r = t.rem(d);
    if (BigInt.asUintN(64, r + r) < BigInt.asUintN(64, d)) return t.add(-r);
    return t.add(d - r);
  }
  /** Time.Format. */
  formatLayout(layout: string): string {
    return formatTime(this, layout);
  }
  /** Time.String: the layout "2006-01-02 15:04:05.999999999 -0700 MST", then the monotonic reading. */
  string(): string {
    let s = formatTime(this, '2006-01-02 15:04:05.999999999 -0700 MST');
    if (this.mono !== undefined) {
      let m = this.mono;
      const sign = m < 0n ? '-' : '+';
      if (m < 0n) m = -m;
      const m2 = m % NS;
      const m1all = m / NS;
      const m0 = m1all / NS;
      const m1 = m1all % NS;
      s += ' m=' + sign + (m0 !== 0n ? m0.toString() + m1.toString().padStart(9, '0') : m1.toString());
      s += '.' + m2.toString().padStart(9, '0');
    }
    return s;
  }
  /** MarshalJSON / MarshalText's text (RFC 3339 with nanoseconds), for toJson and toYaml. */
  /** MarshalJSON: the RFC 3339 text with nanoseconds. */
  override jsonValue(): Value {
    return this.marshalText();
  }

  marshalText(): string {
    return formatTime(this, '2006-01-02T15:04:05.999999999Z07:00');
  }
  override format(): string {
    return this.string();
  }
  /** reflect.DeepEqual: the same instant, location and monotonic reading. */
  goEqual(other: GoStruct): boolean {
    return (
      other instanceof GoTime &&
      other.sec === this.sec &&
      other.nsec === this.nsec &&
      other.loc === this.loc &&
      other.mono === this.mono
    );
  }
  override method(name: string): FuncDef | undefined {
    return timeMethod(this, name);
  }
}

function clampI64(v: bigint): bigint {
  return v > MAX_I64 ? MAX_I64 : v < MIN_I64 ? MIN_I64 : v;
}

const int = (v: number | bigint) => new GoInt(BigInt(v), 'int');
const i64 = (v: number | bigint) => new GoInt(BigInt(v), 'int64');

function timeArg(v: Value): GoTime {
  return v instanceof GoTime ? v : GoTime.zero();
}

function timeMethod(t: GoTime, name: string): FuncDef | undefined {
  switch (name) {
    case 'Year':
      return fdef(name, [], 'int', () => int(t.date()[0]));
    case 'Month':
      return fdef(name, [], 'time.Month', () => new GoMonth(BigInt(t.date()[1])));
    case 'Day':
      return fdef(name, [], 'int', () => int(t.date()[2]));
    case 'Hour':
      return fdef(name, [], 'int', () => int(t.clock()[0]));
    case 'Minute':
      return fdef(name, [], 'int', () => int(t.clock()[1]));
    case 'Second':
      return fdef(name, [], 'int', () => int(t.clock()[2]));
    case 'Nanosecond':
      return fdef(name, [], 'int', () => int(t.nsec));
    case 'YearDay':
      return fdef(name, [], 'int', () => int(t.yearDay()));
    case 'Weekday':
      return fdef(name, [], 'time.Weekday', () => new GoWeekday(BigInt(t.weekday())));
    case 'Unix':
      return fdef(name, [], 'int64', () => i64(t.sec));
    case 'UnixMilli':
      return fdef(name, [], 'int64', () => i64(w64(BigInt(t.sec) * 1000n + BigInt(Math.floor(t.nsec / 1e6)))));
    case 'UnixMicro':
      return fdef(name, [], 'int64', () => i64(w64(BigInt(t.sec) * 1000000n + BigInt(Math.floor(t.nsec / 1e3)))));
    case 'UnixNano':
      return fdef(name, [], 'int64', () => i64(t.unixNano()));
    case 'IsZero':
      return fdef(name, [], 'bool', () => t.isZero());
    case 'UTC':
      return fdef(name, [], 'time.Time', () => t.in(GoLocation.UTC));
    case 'Local':
      return fdef(name, [], 'time.Time', () => t.in(defaultLocal()));
    case 'Location':
      return fdef(name, [], '*time.Location', () => t.loc);
    case 'String':
      return fdef(name, [], 'string', () => t.string());
    case 'Format':
      return fdef(name, ['string'], 'string', (layout: string) => formatTime(t, layout));
    case 'AddDate':
      return fdef(name, ['int', 'int', 'int'], 'time.Time', (y: GoInt, m: GoInt, d: GoInt) =>
        t.addDate(y.toNumber(), m.toNumber(), d.toNumber()),
      );
    case 'Add':
      return fdef(name, ['time.Duration'], 'time.Time', (d: Value) => t.add(durArg(d)));
    case 'Sub':
      return fdef(name, ['time.Time'], 'time.Duration', (u: Value) => new GoDuration(t.sub(timeArg(u))));
    case 'Before':
      return fdef(name, ['time.Time'], 'bool', (u: Value) => t.compare(timeArg(u)) < 0);
    case 'After':
      return fdef(name, ['time.Time'], 'bool', (u: Value) => t.compare(timeArg(u)) > 0);
    case 'Equal':
      return fdef(name, ['time.Time'], 'bool', (u: Value) => {
        const x = timeArg(u);
        return x.sec === t.sec && x.nsec === t.nsec;
      });
    case 'Truncate':
      return fdef(name, ['time.Duration'], 'time.Time', (d: Value) => t.truncate(durArg(d)));
    case 'Round':
      return fdef(name, ['time.Duration'], 'time.Time', (d: Value) => t.round(durArg(d)));
  }
  return undefined;
}

/** time.Local for `.Local`: the local zone of the last date family registered (the env's). */
let defaultLocal: () => GoLocation = () => GoLocation.UTC;
/** Sets the location `.Local` converts to (the env's local zone). */
export function setDefaultLocal(loc: () => GoLocation): void {
  defaultLocal = loc;
}

/** time.Date: normalizes overflowing fields and resolves the wall clock in loc as Go does around transitions. */
export function goDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  loc: GoLocation,
): GoTime {
  const i = dateInstant(year, month, day, hour, min, sec, nsec, loc);
  return new GoTime(i.sec, i.nsec, i.loc);
}

/** time.ParseInLocation(layout, value, loc): the time, or Go's error text. */
export function parseInLocation(layout: string, value: string, loc: GoLocation): GoTime | ParseFail {
  const r = parseLayout(layout, value, loc);
  return r instanceof ParseFail ? r : new GoTime(r.sec, r.nsec, r.loc);
}
