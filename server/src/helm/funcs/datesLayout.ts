/**
 * Go's layout language: Time.Format and time.ParseInLocation (every element: `2006` `06` `Jan`
 * `January` `01` `1` `Mon` `Monday` `2` `_2` `02` `__2` `002` `15` `3` `03` `4` `04` `5` `05` `PM`
 * `pm` `MST` `-0700` `-07:00` `-07` `-070000` `-07:00:00`, the `Z` forms, `.000` `.999` `,000`), with
 * Go's exact parse errors, and the proleptic Gregorian calendar arithmetic behind them.
 * Times here are plain (Unix seconds, nanoseconds, location); datesTime.ts wraps them as time.Time.
 */
import { goQuote, LONG_DAYS, LONG_MONTHS, toBytes } from './datesDuration';
import { daysFromCivil, GoLocation } from './datesZones';

/** An instant in a location: what a time.Time is made of. */
export interface Instant {
  /** Unix seconds (an integer). */
  sec: number;
  /** Nanoseconds within the second, 0..999999999. */
  nsec: number;
  loc: GoLocation;
}

const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return DAYS_BEFORE[month] - DAYS_BEFORE[month - 1];
}

/** Proleptic Gregorian date of a day count from 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Go's norm: hi, lo with lo brought into [0, base). */
function norm(hi: number, lo: number, base: number): [number, number] {
  if (lo < 0) {
    const n = Math.floor((-lo - 1) / base) + 1;
    hi -= n;
    lo += n * base;
  }
  if (lo >= base) {
    const n = Math.floor(lo / base);
    hi += n;
    lo -= n * base;
  }
  return [hi, lo];
}

/** time.Date as an instant: normalizes overflowing fields and resolves the wall clock in loc as Go does around transitions. */
export function dateInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  loc: GoLocation,
): Instant {
  let m = month - 1;
  [year, m] = norm(year, m, 12);
  [sec, nsec] = norm(sec, nsec, 1e9);
  [min, sec] = norm(min, sec, 60);
  [hour, min] = norm(hour, min, 60);
  [day, hour] = norm(day, hour, 24);
  const days = daysFromCivil(year, m + 1, 1) + day - 1;
  let unix = days * 86400 + hour * 3600 + min * 60 + sec;
  // loc.lookup(unix), then the offset in effect at unix - offset if that lies in another period.
  const offset = loc.lookup(unix).offset;
  if (offset !== 0) {
    const other = loc.lookup(unix - offset).offset;
    unix -= other;
  }
  return { sec: unix, nsec, loc };
}

// ---------------------------------------------------------------- layouts

const enum Std {
  None = 0,
  LongMonth,
  Month,
  NumMonth,
  ZeroMonth,
  LongWeekDay,
  WeekDay,
  Day,
  UnderDay,
  ZeroDay,
  UnderYearDay,
  ZeroYearDay,
  Hour,
  Hour12,
  ZeroHour12,
  Minute,
  ZeroMinute,
  Second,
  ZeroSecond,
  LongYear,
  Year,
  PM,
  pm,
  TZ,
  ISO8601TZ,
  ISO8601SecondsTZ,
  ISO8601ShortTZ,
  ISO8601ColonTZ,
  ISO8601ColonSecondsTZ,
  NumTZ,
  NumSecondsTz,
  NumShortTZ,
  NumColonTZ,
  NumColonSecondsTZ,
  FracSecond0,
  FracSecond9,
}

interface Chunk {
  prefix: string;
  std: Std;
  /** Fractional seconds: the number of digits, and the separator. */
  digits: number;
  sep: string;
  suffix: string;
}

const STD0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

function startsWithLowerCase(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s[i];
  return c >= 'a' && c <= 'z';
}

function isDigitAt(s: string, i: number): boolean {
  return i < s.length && s[i] >= '0' && s[i] <= '9';
}

/** nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, len: number, digits = 0, sep = '.'): Chunk => ({
    prefix: layout.slice(0, i),
    std,
    digits,
    sep,
    suffix: layout.slice(i + len),
  });
  const has = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    switch (layout[i]) {
      case 'J':
        if (has(i, 'Jan')) {
          if (has(i, 'January')) return at(i, Std.LongMonth, 7);
          if (!startsWithLowerCase(layout, i + 3)) return at(i, Std.Month, 3);
        }
        break;
      case 'M':
        if (has(i, 'Mon')) {
          if (has(i, 'Monday')) return at(i, Std.LongWeekDay, 6);
          if (!startsWithLowerCase(layout, i + 3)) return at(i, Std.WeekDay, 3);
        }
        if (has(i, 'MST')) return at(i, Std.TZ, 3);
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          return at(i, STD0X[layout.charCodeAt(i + 1) - 49], 2);
        }
        if (has(i, '002')) return at(i, Std.ZeroYearDay, 3);
        break;
      case '1':
        if (has(i, '15')) return at(i, Std.Hour, 2);
        return at(i, Std.NumMonth, 1);
      case '2':
        if (has(i, '2006')) return at(i, Std.LongYear, 4);
        return at(i, Std.Day, 1);
      case '_':
        if (i + 1 < layout.length && layout[i + 1] === '2') {
          // "_2006" is a literal underscore and the long year.
          if (has(i + 1, '2006')) return { prefix: layout.slice(0, i + 1), std: Std.LongYear, digits: 0, sep: '.', suffix: layout.slice(i + 5) };
          return at(i, Std.UnderDay, 2);
        }
        if (has(i, '__2')) return at(i, Std.UnderYearDay, 3);
        break;
      case '3':
        return at(i, Std.Hour12, 1);
      case '4':
        return at(i, Std.Minute, 1);
      case '5':
        return at(i, Std.Second, 1);
      case 'P':
        if (has(i, 'PM')) return at(i, Std.PM, 2);
        break;
      case 'p':
        if (has(i, 'pm')) return at(i, Std.pm, 2);
        break;
      case '-':
        if (has(i, '-070000')) return at(i, Std.NumSecondsTz, 7);
        if (has(i, '-07:00:00')) return at(i, Std.NumColonSecondsTZ, 9);
        if (has(i, '-0700')) return at(i, Std.NumTZ, 5);
        if (has(i, '-07:00')) return at(i, Std.NumColonTZ, 6);
        if (has(i, '-07')) return at(i, Std.NumShortTZ, 3);
        break;
      case 'Z':
        if (has(i, 'Z070000')) return at(i, Std.ISO8601SecondsTZ, 7);
        if (has(i, 'Z07:00:00')) return at(i, Std.ISO8601ColonSecondsTZ, 9);
        if (has(i, 'Z0700')) return at(i, Std.ISO8601TZ, 5);
        if (has(i, 'Z07:00')) return at(i, Std.ISO8601ColonTZ, 6);
        if (has(i, 'Z07')) return at(i, Std.ISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1];
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          // Only a run of digits that ends here is a fractional second.
          if (!isDigitAt(layout, j)) {
            return at(i, ch === '0' ? Std.FracSecond0 : Std.FracSecond9, j - i, j - (i + 1), layout[i]);
          }
        }
        break;
    }
  }
  return { prefix: layout, std: Std.None, digits: 0, sep: '.', suffix: '' };
}

function pad(n: number, width: number): string {
  if (n < 0) return '-' + String(-n).padStart(width, '0');
  return String(n).padStart(width, '0');
}

function needsDate(std: Std): boolean {
  return (std >= Std.LongMonth && std <= Std.ZeroYearDay) || std === Std.LongYear || std === Std.Year;
}

/** Time.Format. */
export function formatTime(t: Instant, layout: string): string {
  const z = t.loc.lookup(t.sec);
  const local = t.sec + z.offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  let year = 0;
  let month = 0;
  let day = 0;
  let yday = 0;
  let haveDate = false;
  const hour = Math.floor(secOfDay / 3600);
  const min = Math.floor((secOfDay % 3600) / 60);
  const sec = secOfDay % 60;
  let b = '';
  while (layout !== '') {
    const c = nextStdChunk(layout);
    b += c.prefix;
    if (c.std === Std.None) break;
    layout = c.suffix;
    if (!haveDate && needsDate(c.std)) {
      [year, month, day] = civilFromDays(days);
      yday = days - daysFromCivil(year, 1, 1) + 1;
      haveDate = true;
    }
    switch (c.std) {
      case Std.Year:
        b += pad(Math.abs(year) % 100, 2);
        break;
      case Std.LongYear:
        b += pad(year, 4);
        break;
      case Std.Month:
        b += SHORT_MONTHS[month - 1];
        break;
      case Std.LongMonth:
        b += LONG_MONTHS[month - 1];
        break;
      case Std.NumMonth:
        b += month;
        break;
      case Std.ZeroMonth:
        b += pad(month, 2);
        break;
      case Std.WeekDay:
        b += SHORT_DAYS[(((days + 4) % 7) + 7) % 7];
        break;
      case Std.LongWeekDay:
        b += LONG_DAYS[(((days + 4) % 7) + 7) % 7];
        break;
      case Std.Day:
        b += day;
        break;
      case Std.UnderDay:
        b += (day < 10 ? ' ' : '') + day;
        break;
      case Std.ZeroDay:
        b += pad(day, 2);
        break;
      case Std.UnderYearDay:
        b += (yday < 100 ? (yday < 10 ? '  ' : ' ') : '') + yday;
        break;
      case Std.ZeroYearDay:
        b += pad(yday, 3);
        break;
      case Std.Hour:
        b += pad(hour, 2);
        break;
      case Std.Hour12:
        b += hour % 12 === 0 ? 12 : hour % 12;
        break;
      case Std.ZeroHour12:
        b += pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        break;
      case Std.Minute:
        b += min;
        break;
      case Std.ZeroMinute:
        b += pad(min, 2);
        break;
      case Std.Second:
        b += sec;
        break;
      case Std.ZeroSecond:
        b += pad(sec, 2);
        break;
      case Std.PM:
        b += hour >= 12 ? 'PM' : 'AM';
        break;
      case Std.pm:
        b += hour >= 12 ? 'pm' : 'am';
        break;
      case Std.ISO8601TZ:
      case Std.ISO8601ColonTZ:
      case Std.ISO8601SecondsTZ:
      case Std.ISO8601ShortTZ:
      case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ:
      case Std.NumColonTZ:
      case Std.NumSecondsTz:
      case Std.NumShortTZ:
      case Std.NumColonSecondsTZ: {
        const iso = c.std >= Std.ISO8601TZ && c.std <= Std.ISO8601ColonSecondsTZ;
        if (z.offset === 0 && iso) {
          b += 'Z';
          break;
        }
        let zone = Math.trunc(z.offset / 60);
        let absoffset = z.offset;
        if (zone < 0) {
          b += '-';
          zone = -zone;
          absoffset = -absoffset;
        } else {
          b += '+';
        }
        b += pad(Math.floor(zone / 60), 2);
        const colon = [Std.ISO8601ColonTZ, Std.NumColonTZ, Std.ISO8601ColonSecondsTZ, Std.NumColonSecondsTZ].includes(c.std);
        if (colon) b += ':';
        if (c.std !== Std.NumShortTZ && c.std !== Std.ISO8601ShortTZ) b += pad(zone % 60, 2);
        if ([Std.ISO8601SecondsTZ, Std.NumSecondsTz, Std.NumColonSecondsTZ, Std.ISO8601ColonSecondsTZ].includes(c.std)) {
          if (c.std === Std.NumColonSecondsTZ || c.std === Std.ISO8601ColonSecondsTZ) b += ':';
          b += pad(absoffset % 60, 2);
        }
        break;
      }
      case Std.TZ: {
        if (z.abbr !== '') {
          b += z.abbr;
          break;
        }
        let zone = Math.trunc(z.offset / 60);
        if (zone < 0) {
          b += '-';
          zone = -zone;
        } else {
          b += '+';
        }
        b += pad(Math.floor(zone / 60), 2) + pad(zone % 60, 2);
        break;
      }
      case Std.FracSecond0:
      case Std.FracSecond9: {
        let digits = String(t.nsec).padStart(9, '0');
        let n = Math.min(c.digits, 9);
        if (c.std === Std.FracSecond9) {
          while (n > 0 && digits[n - 1] === '0') n--;
          if (n === 0) break;
        }
        digits = digits.slice(0, n);
        b += c.sep + digits;
        break;
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------- parsing

/** A parse error: Go's message. */
export class ParseFail {
  constructor(readonly message: string) {}
}

function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(s, 0)) return undefined;
  if (!isDigitAt(s, 1)) {
    if (fixed) return undefined;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] | undefined {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) return undefined;
  return [n, s.slice(i)];
}

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  return s.slice(i);
}

/**
 * skip: the prefix must appear in value, runs of spaces matching runs of spaces. On a mismatch the
 * value as far as it got (Go's error message quotes that).
 */
function skip(value: string, prefix: string): { value: string; ok: boolean } {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return { value, ok: false };
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return { value, ok: false };
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return { value, ok: true };
}

/** lookup: a case-insensitive (ASCII letters only) prefix match against a table of names. */
function lookupName(tab: string[], val: string): [number, string] | undefined {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i];
    if (val.length >= v.length && matchFold(val.slice(0, v.length), v)) return [i, val.slice(v.length)];
  }
  return undefined;
}

function matchFold(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    let c1 = a.charCodeAt(i);
    let c2 = b.charCodeAt(i);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 0x61 || c1 > 0x7a) return false;
    }
  }
  return true;
}

/** The time package's atoi: optional sign and digits, nothing else. */
function tatoi(s: string): number | undefined {
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '') return 0;
  if (!/^[0-9]+$/.test(s)) return undefined;
  const x = Number(s);
  return neg ? -x : x;
}

function parseTimeZone(value: string): number | undefined {
  if (value.length < 3) return undefined;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return 3 + parseSignedOffset(value.slice(3));
  if (value[0] === '+' || value[0] === '-') {
    const n = parseSignedOffset(value);
    return n > 0 ? n : undefined;
  }
  let nUpper = 0;
  for (; nUpper < 6; nUpper++) {
    if (nUpper >= value.length) break;
    const c = value[nUpper];
    if (c < 'A' || c > 'Z') break;
  }
  switch (nUpper) {
    case 0:
    case 1:
    case 2:
    case 6:
      return undefined;
    case 5:
      return value[4] === 'T' ? 5 : undefined;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : undefined;
    case 3:
      return 3;
  }
  return undefined;
}

/** parseSignedOffset: "+03", "-4" (a sign and a number up to 23); its length or 0. */
function parseSignedOffset(value: string): number {
  if (value === '') return 0;
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  let i = 1;
  let x = 0;
  for (; i < value.length && value[i] >= '0' && value[i] <= '9'; i++) {
    x = x * 10 + (value.charCodeAt(i) - 48);
    if (x > 1e18) return 0;
  }
  if (i === 1) return 0;
  if (x > 23) return 0;
  return i;
}

function commaOrPeriod(c: string | undefined): boolean {
  return c === '.' || c === ',';
}

function parseNanoseconds(value: string, nbytes: number): { ns: number; range?: string } | undefined {
  if (!commaOrPeriod(value[0])) return undefined;
  if (nbytes > 10) {
    value = value.slice(0, 10);
    nbytes = 10;
  }
  const ns = tatoi(value.slice(1, nbytes));
  if (ns === undefined) return undefined;
  if (ns < 0) return { ns: 0, range: 'fractional second' };
  return { ns: ns * 10 ** (10 - nbytes) };
}

/** time.ParseInLocation(layout, value, loc): the time, or Go's error text. */
export function parseLayout(layout: string, value: string, loc: GoLocation): Instant | ParseFail {
  const alayout = toBytes(layout);
  const avalue = toBytes(value);
  layout = alayout;
  value = avalue;
  const fail = (layoutElem: string, valueElem: string, message: string) =>
    new ParseFail(
      message === ''
        ? 'parsing time ' +
          goQuote(avalue, true) +
          ' as ' +
          goQuote(alayout, true) +
          ': cannot parse ' +
          goQuote(valueElem, true) +
          ' as ' +
          goQuote(layoutElem, true)
        : 'parsing time ' + goQuote(avalue, true) + message,
    );
  let rangeErr = '';
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: GoLocation | undefined;
  let zoneOffset = -1;
  let zoneName = '';
  for (;;) {
    const c = nextStdChunk(layout);
    const stdstr = layout.slice(c.prefix.length, layout.length - c.suffix.length);
    const after = skip(value, c.prefix);
    value = after.value;
    if (!after.ok) return fail(c.prefix, value, '');
    if (c.std === Std.None) {
      if (value.length !== 0) return fail('', value, ': extra text: ' + goQuote(value, true));
      break;
    }
    layout = c.suffix;
    let ok = true;
    switch (c.std) {
      case Std.Year: {
        if (value.length < 2) {
          ok = false;
          break;
        }
        const y = tatoi(value.slice(0, 2));
        if (y === undefined) {
          ok = false;
          break;
        }
        value = value.slice(2);
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case Std.LongYear: {
        if (value.length < 4 || !isDigitAt(value, 0)) {
          ok = false;
          break;
        }
        const y = tatoi(value.slice(0, 4));
        value = value.slice(4);
        if (y === undefined) ok = false;
        else year = y;
        break;
      }
      case Std.Month:
      case Std.LongMonth: {
        const r = lookupName(c.std === Std.Month ? SHORT_MONTHS : LONG_MONTHS, value);
        if (!r) ok = false;
        else [month, value] = [r[0] + 1, r[1]];
        break;
      }
      case Std.NumMonth:
      case Std.ZeroMonth: {
        const r = getnum(value, c.std === Std.ZeroMonth);
        if (!r) ok = false;
        else {
          [month, value] = r;
          if (month <= 0 || month > 12) rangeErr = 'month';
        }
        break;
      }
      case Std.WeekDay:
      case Std.LongWeekDay: {
        const r = lookupName(c.std === Std.WeekDay ? SHORT_DAYS : LONG_DAYS, value);
        if (!r) ok = false;
        else value = r[1];
        break;
      }
      case Std.Day:
      case Std.UnderDay:
      case Std.ZeroDay: {
        if (c.std === Std.UnderDay && value[0] === ' ') value = value.slice(1);
        const r = getnum(value, c.std === Std.ZeroDay);
        if (!r) ok = false;
        else [day, value] = r;
        break;
      }
      case Std.UnderYearDay:
      case Std.ZeroYearDay: {
        for (let i = 0; i < 2; i++) if (c.std === Std.UnderYearDay && value[0] === ' ') value = value.slice(1);
        const r = getnum3(value, c.std === Std.ZeroYearDay);
        if (!r) ok = false;
        else [yday, value] = r;
        break;
      }
      case Std.Hour: {
        const r = getnum(value, false);
        if (!r) ok = false;
        else {
          [hour, value] = r;
          if (hour < 0 || hour >= 24) rangeErr = 'hour';
        }
        break;
      }
      case Std.Hour12:
      case Std.ZeroHour12: {
        const r = getnum(value, c.std === Std.ZeroHour12);
        if (!r) ok = false;
        else {
          [hour, value] = r;
          if (hour < 0 || hour > 12) rangeErr = 'hour';
        }
        break;
      }
      case Std.Minute:
      case Std.ZeroMinute: {
        const r = getnum(value, c.std === Std.ZeroMinute);
        if (!r) ok = false;
        else {
          [min, value] = r;
          if (min < 0 || min >= 60) rangeErr = 'minute';
        }
        break;
      }
      case Std.Second:
      case Std.ZeroSecond: {
        const r = getnum(value, c.std === Std.ZeroSecond);
        if (!r) {
          ok = false;
          break;
        }
        [sec, value] = r;
        if (sec < 0 || sec >= 60) {
          rangeErr = 'second';
          break;
        }
        // A fractional second in the value that the layout does not spell out.
        if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
          const next = nextStdChunk(layout).std;
          if (next === Std.FracSecond0 || next === Std.FracSecond9) break;
          let n = 2;
          while (n < value.length && isDigitAt(value, n)) n++;
          const p = parseNanoseconds(value, n);
          if (!p) ok = false;
          else {
            nsec = p.ns;
            if (p.range) rangeErr = p.range;
          }
          value = value.slice(n);
        }
        break;
      }
      case Std.PM:
      case Std.pm: {
        if (value.length < 2) {
          ok = false;
          break;
        }
        const p = value.slice(0, 2);
        value = value.slice(2);
        const up = c.std === Std.PM;
        if (p === (up ? 'PM' : 'pm')) pmSet = true;
        else if (p === (up ? 'AM' : 'am')) amSet = true;
        else ok = false;
        break;
      }
      case Std.ISO8601TZ:
      case Std.ISO8601ColonTZ:
      case Std.ISO8601SecondsTZ:
      case Std.ISO8601ShortTZ:
      case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ:
      case Std.NumShortTZ:
      case Std.NumColonTZ:
      case Std.NumSecondsTz:
      case Std.NumColonSecondsTZ: {
        if (
          (c.std === Std.ISO8601TZ || c.std === Std.ISO8601ShortTZ || c.std === Std.ISO8601ColonTZ) &&
          value.length >= 1 &&
          value[0] === 'Z'
        ) {
          value = value.slice(1);
          z = GoLocation.UTC;
          break;
        }
        let sign: string;
        let hh: string;
        let mm: string;
        let ss: string;
        if (c.std === Std.ISO8601ColonTZ || c.std === Std.NumColonTZ) {
          if (value.length < 6 || value[3] !== ':') {
            ok = false;
            break;
          }
          [sign, hh, mm, ss, value] = [value[0], value.slice(1, 3), value.slice(4, 6), '00', value.slice(6)];
        } else if (c.std === Std.NumShortTZ || c.std === Std.ISO8601ShortTZ) {
          if (value.length < 3) {
            ok = false;
            break;
          }
          [sign, hh, mm, ss, value] = [value[0], value.slice(1, 3), '00', '00', value.slice(3)];
        } else if (c.std === Std.ISO8601ColonSecondsTZ || c.std === Std.NumColonSecondsTZ) {
          if (value.length < 9 || value[3] !== ':' || value[6] !== ':') {
            ok = false;
            break;
          }
          [sign, hh, mm, ss, value] = [value[0], value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
        } else if (c.std === Std.ISO8601SecondsTZ || c.std === Std.NumSecondsTz) {
          if (value.length < 7) {
            ok = false;
            break;
          }
          [sign, hh, mm, ss, value] = [value[0], value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
        } else {
          if (value.length < 5) {
            ok = false;
            break;
          }
          [sign, hh, mm, ss, value] = [value[0], value.slice(1, 3), value.slice(3, 5), '00', value.slice(5)];
        }
        const h = tatoi(hh);
        const mi = h === undefined ? undefined : tatoi(mm);
        const se = mi === undefined ? undefined : tatoi(ss);
        if (h === undefined || mi === undefined || se === undefined) {
          ok = false;
          break;
        }
        zoneOffset = (h * 60 + mi) * 60 + se;
        if (sign === '-') zoneOffset = -zoneOffset;
        else if (sign !== '+') ok = false;
        break;
      }
      case Std.TZ: {
        if (value.length >= 3 && value.startsWith('UTC')) {
          z = GoLocation.UTC;
          value = value.slice(3);
          break;
        }
        const n = parseTimeZone(value);
        if (n === undefined) {
          ok = false;
          break;
        }
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case Std.FracSecond0: {
        const ndigit = 1 + c.digits;
        if (value.length < ndigit) {
          ok = false;
          break;
        }
        const p = parseNanoseconds(value, ndigit);
        if (!p) ok = false;
        else {
          nsec = p.ns;
          if (p.range) rangeErr = p.range;
        }
        value = value.slice(ndigit);
        break;
      }
      case Std.FracSecond9: {
        if (value.length < 2 || !commaOrPeriod(value[0]) || value[1] < '0' || value[1] > '9') break;
        let i = 0;
        while (i < 9 && i + 1 < value.length && value[i + 1] >= '0' && value[i + 1] <= '9') i++;
        const p = parseNanoseconds(value, 1 + i);
        if (!p) ok = false;
        else {
          nsec = p.ns;
          if (p.range) rangeErr = p.range;
        }
        value = value.slice(1 + i);
        break;
      }
    }
    if (rangeErr !== '') return fail(stdstr, value, ': ' + rangeErr + ' out of range');
    if (!ok) return fail(stdstr, value, '');
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        yday--;
      }
    }
    if (yday < 1 || yday > 365) return fail('', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m] < yday) m++;
      d = yday - DAYS_BEFORE[m - 1];
    }
    if (month >= 0 && month !== m) return fail('', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) return fail('', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) return fail('', value, ': day out of range');

  if (z) return dateInstant(year, month, day, hour, min, sec, nsec, z);
  if (zoneOffset !== -1) {
    const t = dateInstant(year, month, day, hour, min, sec, nsec, GoLocation.UTC);
    const unix = t.sec - zoneOffset;
    const lz = loc.lookup(unix);
    if (lz.offset === zoneOffset && (zoneName === '' || lz.abbr === zoneName)) return { sec: unix, nsec, loc };
    return { sec: unix, nsec, loc: GoLocation.fixed(zoneName, zoneOffset) };
  }
  if (zoneName !== '') {
    const t = dateInstant(year, month, day, hour, min, sec, nsec, GoLocation.UTC);
    const offset = loc.lookupName(zoneName, t.sec);
    if (offset !== undefined) return { sec: t.sec - offset, nsec, loc };
    let off = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) off = (tatoi(zoneName.slice(3)) ?? 0) * 3600;
    return { sec: t.sec, nsec, loc: GoLocation.fixed(zoneName, off) };
  }
  return dateInstant(year, month, day, hour, min, sec, nsec, loc);
}
