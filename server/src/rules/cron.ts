/**
 * CronJob schedules as Kubernetes reads them: the standard five-field cron
 * parser of robfig/cron v3 (`ParseStandard`, which kube-apiserver and the
 * CronJob controller use), the next run times it computes (in an IANA time
 * zone, through Intl, following the same day/hour stepping as the controller
 * so DST gaps and overlaps behave the same), and the schedule in English.
 *
 * Facts mirrored from robfig/cron: fields split on whitespace, `,` lists,
 * `a-b` ranges, `/n` steps (`5/15` means `5-max/15`), `*` and `?` in any
 * field, three-letter month (JAN-DEC) and day (SUN-SAT) names in any case,
 * day of week 0-6 (7 is not Sunday here), descriptors @yearly @annually
 * @monthly @weekly @daily @midnight @hourly and `@every <Go duration>`.
 * Day of month and day of week combine with OR unless one of them is `*`/`?`.
 */

export type CronFieldName = 'minute' | 'hour' | 'day of month' | 'month' | 'day of week';

interface FieldDef {
  name: CronFieldName;
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FULL_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const FULL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const FIELDS: FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])) },
  { name: 'day of week', min: 0, max: 6, names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])) },
];

/** One parsed field: which values match, and whether it was written as `*`/`?` (matters for day matching). */
export interface CronFieldSet {
  text: string;
  values: boolean[];
  star: boolean;
}

export interface CronSpec {
  type: 'spec';
  minute: CronFieldSet;
  hour: CronFieldSet;
  dom: CronFieldSet;
  month: CronFieldSet;
  dow: CronFieldSet;
  /** The macro it came from (`@daily`), if any. */
  descriptor?: string;
}

export interface CronEvery {
  type: 'every';
  /** The interval in seconds (robfig rounds anything under a second up to one second). */
  seconds: number;
  text: string;
}

export type CronSchedule = CronSpec | CronEvery;

export interface CronError {
  message: string;
  /** The field the problem is in, when there is one. */
  field?: CronFieldName;
  /** Offsets of the offending text inside the schedule string. */
  start: number;
  end: number;
  /** For `CRON_TZ=Zone rest`: the zone and the schedule without the prefix (for a quick fix). */
  timeZone?: string;
  rest?: string;
}

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; error: CronError };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Parses a CronJob schedule as kube-apiserver does; errors name the field and the value at fault. */
export function parseCron(spec: string): CronParseResult {
  const fail = (message: string, start = 0, end = spec.length, extra: Partial<CronError> = {}): CronParseResult => ({ ok: false, error: { message, start, end, ...extra } });
  if (spec.length === 0) return fail('The schedule is empty; write five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *", or a macro like @daily.');
  const tz = /^(CRON_TZ|TZ)=(\S*)\s*(.*)$/s.exec(spec);
  if (tz) {
    const rest = tz[3].trim();
    return fail(
      `Kubernetes does not accept a ${tz[1]}= prefix in schedule; set the time zone in spec.timeZone${tz[2] ? ` (timeZone: ${tz[2]})` : ''} and keep only "${rest}" in schedule.`,
      0,
      tz[1].length + 1 + tz[2].length,
      { timeZone: tz[2], rest },
    );
  }
  if (spec.includes('TZ')) {
    const i = spec.indexOf('TZ');
    return fail('Kubernetes rejects a schedule containing "TZ"; time zones go in spec.timeZone, not in schedule.', i, i + 2);
  }
  if (spec.startsWith('@')) return parseDescriptor(spec);

  const fields: Array<{ text: string; start: number }> = [];
  const re = /\S+/gu;
  for (let m = re.exec(spec); m; m = re.exec(spec)) fields.push({ text: m[0], start: m.index });
  if (fields.length !== 5) {
    let hint = 'Kubernetes schedules have exactly five fields: minute hour day-of-month month day-of-week.';
    if (fields.length === 6 || fields.length === 7) hint += ` A seconds${fields.length === 7 ? ' and a year' : ''} field (as in Quartz or Spring cron) is not supported.`;
    else if (fields.length === 1 && spec.trim().startsWith('@')) hint = `Remove the whitespace around ${spec.trim()}.`;
    else if (fields.length === 1 && /^\w+$/.test(spec.trim())) hint += ' Macros start with @, e.g. @daily.';
    return fail(`The schedule has ${fields.length} field${fields.length === 1 ? '' : 's'}. ${hint}`);
  }
  const sets: CronFieldSet[] = [];
  for (let i = 0; i < 5; i++) {
    const r = parseField(fields[i].text, FIELDS[i], fields[i].start);
    if ('message' in r) return { ok: false, error: r };
    sets.push(r);
  }
  return { ok: true, schedule: { type: 'spec', minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow: sets[4] } };
}

function parseDescriptor(spec: string): CronParseResult {
  const std = DESCRIPTORS[spec];
  if (std) {
    const r = parseCron(std);
    if (r.ok && r.schedule.type === 'spec') r.schedule.descriptor = spec;
    return r;
  }
  if (spec.startsWith('@every ')) {
    const text = spec.slice('@every '.length);
    const seconds = parseGoDuration(text);
    if (seconds === undefined) {
      return { ok: false, error: { message: `"${text}" after @every is not a duration; write it like 90m, 1h30m or 2h (units: h, m, s, ms, us, ns).`, start: 7, end: spec.length } };
    }
    return { ok: true, schedule: { type: 'every', seconds: Math.max(1, Math.floor(seconds)), text } };
  }
  const word = spec.split(/\s/)[0];
  const known = [...Object.keys(DESCRIPTORS), '@every'];
  const lower = word.toLowerCase();
  const suggestion = known.find((k) => k === lower) ?? known.find((k) => lower.startsWith(k) || k.startsWith(lower) && lower.length > 2);
  const tail = suggestion === '@every' && lower === '@every' ? '@every needs a duration after one space, e.g. "@every 1h30m".' : suggestion ? `did you mean ${suggestion}? (macros are lowercase)` : `use one of ${known.join(', ')} or five cron fields.`;
  return { ok: false, error: { message: `${word} is not a schedule macro; ${tail}`, start: 0, end: word.length } };
}

/** Go's time.ParseDuration, in seconds (undefined when invalid). */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) return undefined;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const p of m[2].matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(p[1]) * unit[p[2]];
  return m[1] === '-' ? -total : total;
}

function fieldLabel(def: FieldDef): string {
  return `the ${def.name} field`;
}

function parseField(text: string, def: FieldDef, offset: number): CronFieldSet | CronError {
  const values = new Array<boolean>(def.max + 1).fill(false);
  let star = false;
  let pos = 0;
  for (const part of text.split(',')) {
    const start = offset + pos;
    pos += part.length + 1;
    const err = (message: string): CronError => ({ message, field: def.name, start, end: start + part.length });
    if (part === '') return { message: `${cap(fieldLabel(def))} has an empty entry between commas.`, field: def.name, start: Math.max(offset, start - 1), end: start + 1 };
    const rangeAndStep = part.split('/');
    const lowAndHigh = rangeAndStep[0].split('-');
    let lo: number;
    let hi: number;
    let isStar = false;
    if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
      lo = def.min;
      hi = def.max;
      isStar = true;
    } else {
      const a = valueOf(lowAndHigh[0], def);
      if (typeof a === 'string') return err(a);
      lo = a;
      if (lowAndHigh.length === 1) hi = lo;
      else if (lowAndHigh.length === 2) {
        const b = valueOf(lowAndHigh[1], def);
        if (typeof b === 'string') return err(b);
        hi = b;
      } else return err(`"${part}" in ${fieldLabel(def)} has too many hyphens; a range is written start-end.`);
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      const s = rangeAndStep[1];
      if (!/^\+?\d+$/.test(s)) return err(`The step "/${s}" in ${fieldLabel(def)} must be a whole number, as in */15.`);
      step = Number(s);
      if (lowAndHigh.length === 1) hi = def.max;
      if (step > 1) isStar = false;
    } else if (rangeAndStep.length > 2) return err(`"${part}" in ${fieldLabel(def)} has too many slashes; a step is written range/step, as in */15 or 0-30/5.`);
    const allowed = rangeText(def);
    if (lo < def.min) return err(`${lo} is below the minimum ${def.min} of ${fieldLabel(def)} (${allowed}).`);
    if (hi > def.max) {
      const sunday = def.name === 'day of week' && hi === 7 ? ' Sunday is 0 here; 7 is not accepted.' : '';
      return err(`${hi} is above the maximum ${def.max} of ${fieldLabel(def)} (${allowed}).${sunday}`);
    }
    if (lo > hi) return err(`The range ${rangeAndStep[0]} in ${fieldLabel(def)} goes backwards (${lo} > ${hi}); ranges cannot wrap around, so list two ranges instead, e.g. ${def.max === 23 ? '22-23,0-2' : `${lo}-${def.max},${def.min}-${hi}`}.`);
    if (step === 0) return err(`The step /0 in ${fieldLabel(def)} must be a positive number.`);
    for (let v = lo; v <= hi; v += step) values[v] = true;
    if (isStar) star = true;
  }
  return { text, values, star };
}

function rangeText(def: FieldDef): string {
  if (def.name === 'month') return '1-12 or JAN-DEC';
  if (def.name === 'day of week') return '0-6 or SUN-SAT';
  return `${def.min}-${def.max}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A number or a name in a field; a string is an error message. */
function valueOf(s: string, def: FieldDef): number | string {
  if (def.names) {
    const n = def.names[s.toLowerCase()];
    if (n !== undefined) return n;
  }
  if (/^\+?\d+$/.test(s)) return Number(s);
  if (s === '') return `${cap(fieldLabel(def))} has a range with a missing end.`;
  const lower = s.toLowerCase();
  if (def.names) {
    const long = def.name === 'month' ? FULL_MONTHS : FULL_DAYS;
    const i = long.findIndex((n) => n.toLowerCase() === lower || (lower.length > 3 && n.toLowerCase().startsWith(lower)));
    if (i >= 0) return `"${s}" in ${fieldLabel(def)} is not accepted; use the three-letter name ${(def.name === 'month' ? MONTH_NAMES : DAY_NAMES)[i].toUpperCase()} or the number ${def.name === 'month' ? i + 1 : i}.`;
  }
  if (/[LW#]/.test(s) && /^[\dLW#]+$/.test(s)) return `"${s}" in ${fieldLabel(def)} uses L, W or # (Quartz syntax), which Kubernetes schedules do not support.`;
  const names = def.names ? (def.name === 'month' ? ' or a month name (JAN-DEC)' : ' or a day name (SUN-SAT)') : '';
  return `"${s}" in ${fieldLabel(def)} is not a number${names}.`;
}

// ---------------------------------------------------------------------------
// Time zones and next runs

/** Local wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** Wall-clock arithmetic in one IANA zone (with Go's time.Date rules for gaps and overlaps). */
export class ZoneClock {
  private readonly fmt: Intl.DateTimeFormat | undefined;
  constructor(readonly zone: string) {
    this.fmt = zone === 'UTC' ? undefined : new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  }

  /** Offset of local time from UTC at an instant, in ms. */
  offset(ms: number): number {
    if (!this.fmt) return 0;
    const sec = Math.floor(ms / 1000) * 1000;
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(new Date(sec))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) - sec;
  }

  wall(ms: number): WallTime {
    const d = new Date(ms + this.offset(ms));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }

  /** Go's time.Date in this zone: normalizes overflow; in a gap or overlap picks an offset the way Go does. */
  date(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
    const local = Date.UTC(year, month - 1, day, hour, minute, second);
    const o1 = this.offset(local);
    let utc = local - o1;
    const o2 = this.offset(utc);
    if (o2 !== o1) utc = local - o2;
    return utc;
  }
}

/** True when the zone name is known to this runtime's time zone database. */
export function zoneExists(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function dayMatches(s: CronSpec, w: WallTime): boolean {
  const dom = s.dom.values[w.day];
  const dow = s.dow.values[w.weekday];
  return s.dom.star || s.dow.star ? dom && dow : dom || dow;
}

/**
 * The first run strictly after `from` (ms), or undefined when there is none in
 * the next five years (like robfig, which gives up then). Mirrors robfig's
 * SpecSchedule.Next: walks months, days (fixing midnight after DST shifts),
 * hours, minutes, seconds in the zone.
 */
export function nextRun(s: CronSchedule, clock: ZoneClock, from: number): number | undefined {
  if (s.type === 'every') return Math.floor(from / 1000) * 1000 + s.seconds * 1000;
  let t = Math.floor(from / 1000) * 1000 + 1000;
  let added = false;
  const yearLimit = clock.wall(t).year + 5;
  let guard = 0;
  wrap: for (;;) {
    if (++guard > 1000) return undefined;
    let w = clock.wall(t);
    if (w.year > yearLimit) return undefined;
    while (!s.month.values[w.month]) {
      if (!added) {
        added = true;
        t = clock.date(w.year, w.month, 1);
        w = clock.wall(t);
      }
      t = clock.date(w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
      w = clock.wall(t);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        t = clock.date(w.year, w.month, w.day);
        w = clock.wall(t);
      }
      t = clock.date(w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
      w = clock.wall(t);
      if (w.hour !== 0) {
        t += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3600_000;
        w = clock.wall(t);
      }
      if (w.day === 1) continue wrap;
    }
    while (!s.hour.values[w.hour]) {
      if (!added) {
        added = true;
        t = clock.date(w.year, w.month, w.day, w.hour);
      }
      t += 3600_000;
      w = clock.wall(t);
      if (w.hour === 0) continue wrap;
    }
    while (!s.minute.values[w.minute]) {
      if (!added) {
        added = true;
        t -= ((t % 60_000) + 60_000) % 60_000;
      }
      t += 60_000;
      w = clock.wall(t);
      if (w.minute === 0) continue wrap;
    }
    while (w.second !== 0) {
      if (!added) {
        added = true;
        t -= ((t % 1000) + 1000) % 1000;
      }
      t += 1000;
      w = clock.wall(t);
      if (w.second === 0) continue wrap;
    }
    return t;
  }
}

/** The next `count` runs after `from` (fewer when the schedule stops matching). */
export function nextRuns(s: CronSchedule, zone: string, from: number, count = 5): number[] {
  const clock = new ZoneClock(zone);
  const out: number[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    const n = nextRun(s, clock, t);
    if (n === undefined) break;
    out.push(n);
    t = n;
  }
  return out;
}

/**
 * What DST changes in the next `days` days do to a schedule in a zone, in
 * words: runs in a skipped hour do not happen that day; runs in a repeated
 * hour happen twice (robfig steps hours in real time).
 */
export function dstEffects(s: CronSchedule, zone: string, from: number, days = 366): string[] {
  if (s.type !== 'spec' || zone === 'UTC') return [];
  const clock = new ZoneClock(zone);
  const out: string[] = [];
  const DAY = 86400_000;
  let prevT = from;
  let prevO = clock.offset(from);
  for (let d = 1; d <= days && out.length < 2; d++) {
    const t = from + d * DAY;
    const o = clock.offset(t);
    if (o === prevO) {
      prevT = t;
      continue;
    }
    // the exact minute of the change
    let lo = Math.floor(prevT / 60_000) * 60_000;
    let hi = Math.ceil(t / 60_000) * 60_000;
    while (hi - lo > 60_000) {
      const mid = lo + Math.max(1, Math.floor((hi - lo) / 120_000)) * 60_000;
      if (clock.offset(mid) === prevO) lo = mid;
      else hi = mid;
    }
    const before = prevO;
    const after = o;
    // wall-clock window affected, as local ms (wall time encoded as UTC)
    const start = hi + Math.min(before, after);
    const end = hi + Math.max(before, after);
    const hits: string[] = [];
    for (let w = start; w < end; w += 60_000) {
      const x = new Date(w);
      const wall: WallTime = { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate(), hour: x.getUTCHours(), minute: x.getUTCMinutes(), second: 0, weekday: x.getUTCDay() };
      if (s.minute.values[wall.minute] && s.hour.values[wall.hour] && s.month.values[wall.month] && dayMatches(s, wall)) hits.push(`${pad(wall.hour)}:${pad(wall.minute)}`);
    }
    if (hits.length) {
      const x = new Date(start);
      const date = `${SHORT_DAYS[x.getUTCDay()]} ${x.getUTCFullYear()}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}`;
      const fromText = `${pad(x.getUTCHours())}:${pad(x.getUTCMinutes())}`;
      const y = new Date(end);
      const to = `${pad(y.getUTCHours())}:${pad(y.getUTCMinutes())}`;
      const list = hits.length > 3 ? `${hits.slice(0, 3).join(', ')}, ...` : hits.join(', ');
      out.push(after > before
        ? `On ${date} the clocks jump from ${fromText} to ${to}: the run${hits.length > 1 ? 's' : ''} at ${list} ${hits.length > 1 ? 'do' : 'does'} not happen that day.`
        : `On ${date} the clocks go back from ${to} to ${fromText}: the run${hits.length > 1 ? 's' : ''} at ${list} happen${hits.length > 1 ? '' : 's'} twice.`);
    }
    prevT = t;
    prevO = o;
  }
  return out;
}

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Mon 2026-11-30 03:00` in the zone. */
export function formatRun(ms: number, zone: string): string {
  const w = new ZoneClock(zone).wall(ms);
  return `${SHORT_DAYS[w.weekday]} ${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** `UTC+01:00` for an offset in ms. */
export function formatOffset(offsetMs: number): string {
  const m = Math.round(offsetMs / 60000);
  const sign = m < 0 ? '-' : '+';
  return `UTC${sign}${pad(Math.floor(Math.abs(m) / 60))}:${pad(Math.abs(m) % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

// ---------------------------------------------------------------------------
// English

function listed(values: boolean[], min: number, max: number): number[] {
  const out: number[] = [];
  for (let v = min; v <= max; v++) if (values[v]) out.push(v);
  return out;
}

/** Runs of consecutive values: [[1,5],[7,7]]. */
function runs(vals: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const v of vals) {
    const last = out[out.length - 1];
    if (last && last[1] === v - 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

/** An arithmetic progression `start, start+step, ...` covering vals exactly (step > 1), or undefined. */
function progression(vals: number[], max: number): { start: number; step: number } | undefined {
  if (vals.length < 2 || (vals.length === 2 && vals[0] !== 0)) return undefined;
  const step = vals[1] - vals[0];
  if (step < 2) return undefined;
  for (let i = 1; i < vals.length; i++) if (vals[i] - vals[i - 1] !== step) return undefined;
  if (vals[vals.length - 1] + step <= max) return undefined;
  return { start: vals[0], step };
}

function joinWords(items: string[], conj = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}

function hhmm(h: number, m: number): string {
  return `${pad(h)}:${pad(m)}`;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

function namedList(vals: number[], names: string[], offset: number): string {
  return joinWords(runs(vals).map(([a, b]) => (a === b ? names[a - offset] : b === a + 1 ? `${names[a - offset]} and ${names[b - offset]}` : `${names[a - offset]} through ${names[b - offset]}`)));
}

function numberList(vals: number[]): string {
  return joinWords(runs(vals).map(([a, b]) => (a === b ? String(a) : b === a + 1 ? `${a} and ${b}` : `${a} to ${b}`)));
}

/** The time-of-day part: "every minute", "at 03:00", "every 15 minutes between 09:00 and 17:59". */
function describeTime(s: CronSpec): string {
  const mins = listed(s.minute.values, 0, 59);
  const hours = listed(s.hour.values, 0, 23);
  const allMin = mins.length === 60;
  const allHours = hours.length === 24;
  const minProg = progression(mins, 59);
  const hourRuns = runs(hours);
  const hourWindow = (): string => {
    if (allHours) return '';
    if (hourRuns.length === 1) {
      const [a, b] = hourRuns[0];
      return ` between ${hhmm(a, 0)} and ${hhmm(b, 59)}`;
    }
    const hp = progression(hours, 23);
    if (hp) return ` during every ${ordinal(hp.step)} hour from ${hhmm(hp.start, 0)}`;
    return ` during the hours ${joinWords(hourRuns.map(([a, b]) => (a === b ? `${hhmm(a, 0)}-${hhmm(a, 59)}` : `${hhmm(a, 0)}-${hhmm(b, 59)}`)))}`;
  };
  if (allMin) return `every minute${hourWindow()}`;
  if (minProg && minProg.start === 0) return `every ${minProg.step} minutes${60 % minProg.step ? ` (at minutes ${numberList(mins)}, then again from minute 0)` : ''}${hourWindow()}`;
  if (minProg) return `every ${minProg.step} minutes from minute ${minProg.start}${hourWindow()}`;
  if (mins.length === 1 || mins.length <= 4) {
    if (allHours) return mins.length === 1 ? (mins[0] === 0 ? 'every hour, on the hour' : `every hour at minute ${mins[0]}`) : `every hour at minutes ${numberList(mins)}`;
    const hp = progression(hours, 23);
    if (hp && mins.length === 1 && hours.length > 4) return `every ${hp.step} hours at minute ${mins[0]}${hp.start ? ` from ${hhmm(hp.start, mins[0])}` : ''}`;
    const times = hours.flatMap((h) => mins.map((m) => hhmm(h, m)));
    if (times.length <= 8) return `at ${joinWords(times)}`;
    if (hourRuns.length === 1 && mins.length === 1) return `every hour at minute ${mins[0]} from ${hhmm(hourRuns[0][0], mins[0])} to ${hhmm(hourRuns[0][1], mins[0])}`;
    return `at minute${mins.length > 1 ? 's' : ''} ${numberList(mins)} of the hours ${numberList(hours)}`;
  }
  return `at minutes ${numberList(mins)}${allHours ? ' of every hour' : ` of the hours ${numberList(hours)}`}`;
}

function describeDays(s: CronSpec): string {
  const doms = listed(s.dom.values, 1, 31);
  const dows = listed(s.dow.values, 0, 6);
  const domText = (): string => {
    const p = progression(doms, 31);
    if (p) return `every ${ordinal(p.step)} day of the month from the ${ordinal(p.start)}`;
    return `on the ${joinWords(runs(doms).map(([a, b]) => (a === b ? ordinal(a) : b === a + 1 ? `${ordinal(a)} and ${ordinal(b)}` : `${ordinal(a)} to ${ordinal(b)}`)))} of the month`;
  };
  const dowText = (): string => {
    const key = dows.join(',');
    if (key === '1,2,3,4,5') return 'on weekdays';
    if (key === '0,6') return 'on weekends';
    return `on ${namedList(dows, FULL_DAYS, 0)}`;
  };
  const domAll = doms.length === 31;
  const dowAll = dows.length === 7;
  if (s.dom.star || s.dow.star) {
    // AND: the restricted one alone (both stars: every day)
    if (!s.dom.star && !domAll) return domText();
    if (!s.dow.star && !dowAll) return dowText();
    return '';
  }
  // neither is * : cron runs when EITHER matches
  if (domAll || dowAll) return '';
  return `${domText()} or ${dowText()}`;
}

function describeMonths(s: CronSpec): string {
  const months = listed(s.month.values, 1, 12);
  if (months.length === 12) return '';
  const p = progression(months, 12);
  if (p) return `every ${p.step} months (in ${namedList(months, FULL_MONTHS, 1)})`;
  return `in ${namedList(months, FULL_MONTHS, 1)}`;
}

/** The schedule in plain English: "at 03:00 on Monday", "every 15 minutes between 09:00 and 17:59 on weekdays". */
export function describeCron(s: CronSchedule): string {
  if (s.type === 'every') return `every ${formatSeconds(s.seconds)}, counted from when the CronJob was created or last scheduled`;
  const time = describeTime(s);
  const days = describeDays(s);
  const months = describeMonths(s);
  let out = time;
  if (days) out += ` ${days}`;
  else if (/^at /.test(time) && !months) out += ' every day';
  if (months) out += ` ${months}`;
  return out;
}

function formatSeconds(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (s) parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.length ? joinWords(parts) : '1 second';
}
