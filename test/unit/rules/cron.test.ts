import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CronSchedule, describeCron, dstEffects, formatRun, nextRuns, parseCron, parseGoDuration } from '../../../server/src/rules/cron';

function parsed(spec: string): CronSchedule {
  const r = parseCron(spec);
  if (!r.ok) throw new Error(`${spec}: ${r.error.message}`);
  return r.schedule;
}

function error(spec: string): { message: string; field?: string; text: string } {
  const r = parseCron(spec);
  assert.equal(r.ok, false, `${spec} should be rejected`);
  if (r.ok) throw new Error('unreachable');
  return { message: r.error.message, field: r.error.field, text: spec.slice(r.error.start, r.error.end) };
}

function runs(spec: string, zone: string, fromIso: string, count = 5): string[] {
  return nextRuns(parsed(spec), zone, Date.parse(fromIso), count).map((t) => formatRun(t, zone));
}

test('valid specs: lists, ranges, steps, names in any case, ? and macros', () => {
  for (const s of ['* * * * *', '0 3 * * MON', '*/15 9-17 * * 1-5', '0 0 1,15 * *', '0 12 * jan-Mar *', '5/10 * * * *', '0 0 ? * sun', '0-30/5 */2 * * *', '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@every 1h30m', '@every 90s', '1,2,3 0 31 12 6']) {
    assert.equal(parseCron(s).ok, true, s);
  }
});

test('invalid specs name the field and the value', () => {
  let e = error('60 * * * *');
  assert.equal(e.field, 'minute');
  assert.equal(e.text, '60');
  assert.match(e.message, /60 is above the maximum 59 of the minute field/);

  e = error('0 24 * * *');
  assert.equal(e.field, 'hour');
  assert.equal(e.text, '24');

  e = error('0 0 0 * *');
  assert.equal(e.field, 'day of month');
  assert.match(e.message, /0 is below the minimum 1/);

  e = error('0 0 * 13 *');
  assert.equal(e.field, 'month');
  assert.match(e.message, /1-12 or JAN-DEC/);

  e = error('0 9 * * 7');
  assert.equal(e.field, 'day of week');
  assert.match(e.message, /Sunday is 0 here; 7 is not accepted/);

  e = error('0 3 * * MONDAY');
  assert.equal(e.text, 'MONDAY');
  assert.match(e.message, /three-letter name MON/);

  e = error('0 0 * JANUARY *');
  assert.match(e.message, /JAN or the number 1/);

  e = error('5-1 * * * *');
  assert.equal(e.text, '5-1');
  assert.match(e.message, /goes backwards/);

  e = error('*/0 * * * *');
  assert.match(e.message, /step \/0 .* must be a positive number/);

  e = error('1,,2 * * * *');
  assert.match(e.message, /empty entry/);

  e = error('1-2-3 * * * *');
  assert.match(e.message, /too many hyphens/);

  e = error('*/5/2 * * * *');
  assert.match(e.message, /too many slashes/);

  e = error('0 0 L * *');
  assert.match(e.message, /Quartz/);

  e = error('abc * * * *');
  assert.match(e.message, /"abc" in the minute field is not a number/);
});

test('field count: seconds/year fields (Quartz, Spring) are explained', () => {
  assert.match(error('0 0 * * * *').message, /6 fields.*seconds field/);
  assert.match(error('0 0 12 * * ? 2026').message, /7 fields.*seconds and a year field/);
  assert.match(error('0 0 * *').message, /4 fields/);
  assert.match(error('').message, /empty/);
  assert.match(error(' @daily').message, /Remove the whitespace around @daily/);
});

test('macros: wrong case and unknown ones; @every needs a Go duration', () => {
  assert.match(error('@Daily').message, /did you mean @daily/);
  assert.match(error('@fortnightly').message, /not a schedule macro/);
  assert.match(error('@every 1 hour').message, /not a duration/);
  assert.equal(parseGoDuration('1h30m'), 5400);
  assert.equal(parseGoDuration('1.5h'), 5400);
  assert.equal(parseGoDuration('500ms'), 0.5);
  assert.equal(parseGoDuration('1d'), undefined);
  const every = parsed('@every 500ms');
  assert.equal(every.type === 'every' && every.seconds, 1, 'rounded up to one second like robfig');
});

test('TZ= and CRON_TZ= prefixes point to spec.timeZone', () => {
  const r = parseCron('CRON_TZ=Europe/Berlin 0 3 * * *');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.error.message, /spec\.timeZone \(timeZone: Europe\/Berlin\).*"0 3 \* \* \*"/);
  assert.equal(r.error.timeZone, 'Europe/Berlin');
  assert.equal(r.error.rest, '0 3 * * *');
  assert.match(error('TZ=UTC @daily').message, /TZ= prefix/);
});

test('next runs across month ends and leap years', () => {
  assert.deepEqual(runs('0 0 31 * *', 'UTC', '2026-01-15T00:00:00Z', 3), ['Sat 2026-01-31 00:00', 'Tue 2026-03-31 00:00', 'Sun 2026-05-31 00:00']);
  assert.deepEqual(runs('30 23 L-ignored * *'.replace('L-ignored', '28-31'), 'UTC', '2026-02-27T00:00:00Z', 3), ['Sat 2026-02-28 23:30', 'Sat 2026-03-28 23:30', 'Sun 2026-03-29 23:30']);
  assert.deepEqual(runs('0 12 29 2 *', 'UTC', '2026-01-01T00:00:00Z', 2), ['Tue 2028-02-29 12:00', 'Sun 2032-02-29 12:00']);
  assert.deepEqual(runs('0 0 30 2 *', 'UTC', '2026-01-01T00:00:00Z', 1), [], '30 February never comes');
  assert.deepEqual(runs('*/20 * * * *', 'UTC', '2026-12-31T23:30:00Z', 3), ['Thu 2026-12-31 23:40', 'Fri 2027-01-01 00:00', 'Fri 2027-01-01 00:20']);
});

test('day of month and day of week: OR when both are restricted, AND when one is *', () => {
  // the 1st of the month OR any Monday
  assert.deepEqual(runs('0 0 1 * MON', 'UTC', '2026-06-01T12:00:00Z', 3), ['Mon 2026-06-08 00:00', 'Mon 2026-06-15 00:00', 'Mon 2026-06-22 00:00']);
  assert.deepEqual(runs('0 0 1 * MON', 'UTC', '2026-06-22T12:00:00Z', 2), ['Mon 2026-06-29 00:00', 'Wed 2026-07-01 00:00']);
  // ? counts as *
  assert.deepEqual(runs('0 0 ? * MON', 'UTC', '2026-06-22T12:00:00Z', 2), ['Mon 2026-06-29 00:00', 'Mon 2026-07-06 00:00']);
});

test('next runs in a zone across the spring-forward DST change (Europe/Berlin, 2026-03-29)', () => {
  // 02:30 does not exist on 29 March: the controller (robfig) skips that day
  assert.deepEqual(runs('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 3), ['Sat 2026-03-28 02:30', 'Mon 2026-03-30 02:30', 'Tue 2026-03-31 02:30']);
  // 03:00 local is 02:00 UTC in winter and 01:00 UTC in summer
  const s = parsed('0 3 * * *');
  const [a, b] = nextRuns(s, 'Europe/Berlin', Date.parse('2026-03-28T00:00:00Z'), 2);
  assert.equal(new Date(a).toISOString(), '2026-03-28T02:00:00.000Z');
  assert.equal(new Date(b).toISOString(), '2026-03-29T01:00:00.000Z');
  assert.deepEqual(runs('0 * * * *', 'Europe/Berlin', '2026-03-29T00:30:00Z', 3), ['Sun 2026-03-29 03:00', 'Sun 2026-03-29 04:00', 'Sun 2026-03-29 05:00']);
});

test('next runs across the fall-back DST change (America/New_York, 2026-11-01)', () => {
  // 01:30 happens twice; robfig's hour stepping fires at both
  const s = parsed('30 1 * * *');
  const r = nextRuns(s, 'America/New_York', Date.parse('2026-10-31T12:00:00Z'), 3).map((t) => new Date(t).toISOString());
  assert.deepEqual(r, ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  assert.deepEqual(runs('0 0 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2), ['Sun 2026-11-01 00:00', 'Mon 2026-11-02 00:00']);
});

test('descriptions in words', () => {
  const cases: Array<[string, string]> = [
    ['* * * * *', 'every minute'],
    ['0 3 * * MON', 'at 03:00 on Monday'],
    ['*/15 9-17 * * 1-5', 'every 15 minutes between 09:00 and 17:59 on weekdays'],
    ['0 0 * * 0,6', 'at 00:00 on weekends'],
    ['0 * * * *', 'every hour, on the hour'],
    ['@daily', 'at 00:00 every day'],
    ['0 0 1 * *', 'at 00:00 on the 1st of the month'],
    ['0 0 1 * MON', 'at 00:00 on the 1st of the month or on Monday'],
    ['0 12 * JAN-MAR *', 'at 12:00 in January through March'],
    ['30 8 * * MON,WED,FRI', 'at 08:30 on Monday, Wednesday and Friday'],
    ['0 9,17 * * *', 'at 09:00 and 17:00 every day'],
    ['0 */6 * * *', 'at 00:00, 06:00, 12:00 and 18:00 every day'],
    ['0 */2 * * *', 'every 2 hours at minute 0'],
    ['5 * * * *', 'every hour at minute 5'],
    ['*/25 * * * *', 'every 25 minutes (at minutes 0, 25 and 50, then again from minute 0)'],
    ['@every 1h30m', 'every 1 hour and 30 minutes, counted from when the CronJob was created or last scheduled'],
  ];
  for (const [spec, words] of cases) assert.equal(describeCron(parsed(spec)), words, spec);
});

test('DST notes: a run in the skipped hour, a run in the repeated hour, none for UTC or unaffected times', () => {
  assert.deepEqual(dstEffects(parsed('30 2 * * *'), 'Europe/Berlin', Date.parse('2026-03-01T00:00:00Z'), 60), ['On Sun 2026-03-29 the clocks jump from 02:00 to 03:00: the run at 02:30 does not happen that day.']);
  assert.deepEqual(dstEffects(parsed('30 1 * * *'), 'America/New_York', Date.parse('2026-10-01T00:00:00Z'), 60), ['On Sun 2026-11-01 the clocks go back from 02:00 to 01:00: the run at 01:30 happens twice.']);
  assert.deepEqual(dstEffects(parsed('0 12 * * *'), 'Europe/Berlin', Date.parse('2026-03-01T00:00:00Z')), []);
  assert.deepEqual(dstEffects(parsed('30 2 * * *'), 'UTC', Date.parse('2026-03-01T00:00:00Z')), []);
  // only on Mondays: the Sunday change does not matter
  assert.deepEqual(dstEffects(parsed('30 2 * * MON'), 'Europe/Berlin', Date.parse('2026-03-01T00:00:00Z'), 60), []);
});
