import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose, diagnoseRule, hover, service, settings } from '../../helpers';

/** The quick-fix data of the problems of one rule. */
function problemData(text: string, code: string): Array<Record<string, unknown> | undefined> {
  const ls = service();
  return ls.validate(ls.parse('file:///test/data.yaml', text), settings()).filter((p) => p.code === code).map((p) => p.data);
}

const indent = (text: string, n: number): string[] => (text ? text.split('\n').map((l) => ' '.repeat(n) + l) : []);

const cronJob = (specExtra = '', opts: { schedule?: string; name?: string; jobSpecExtra?: string; restartPolicy?: string | null } = {}): string =>
  [
    'apiVersion: batch/v1',
    'kind: CronJob',
    'metadata:',
    `  name: ${opts.name ?? 'nightly-report'}`,
    'spec:',
    `  schedule: "${opts.schedule ?? '0 3 * * *'}"`,
    ...indent(specExtra, 2),
    '  jobTemplate:',
    '    spec:',
    ...indent(opts.jobSpecExtra ?? '', 6),
    '      template:',
    '        spec:',
    ...(opts.restartPolicy === null ? [] : [`          restartPolicy: ${opts.restartPolicy ?? 'OnFailure'}`]),
    '          containers:',
    '          - name: report',
    '            image: busybox:1.36',
    '',
  ].join('\n');

test('a valid CronJob has no problems', () => {
  assert.deepEqual(diagnose(cronJob('timeZone: Europe/Berlin\nstartingDeadlineSeconds: 60\nsuccessfulJobsHistoryLimit: 0\nfailedJobsHistoryLimit: 1')), []);
  assert.deepEqual(diagnose(cronJob('', { schedule: '@hourly' })), []);
  assert.deepEqual(diagnose(cronJob('', { schedule: '*/15 9-17 ? * MON-FRI' })), []);
});

test('cronjob-schedule: the wrong field is underlined and named', () => {
  const p = diagnoseRule(cronJob('', { schedule: '0 3 * * 7' }), 'cronjob-schedule');
  assert.equal(p.length, 1);
  assert.equal(p[0].severity, 'error');
  assert.equal(p[0].text, '7');
  assert.match(p[0].message, /day of week field/);
});

test('cronjob-schedule: six fields (seconds) are rejected', () => {
  const p = diagnoseRule(cronJob('', { schedule: '0 0 3 * * *' }), 'cronjob-schedule');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '0 0 3 * * *');
  assert.match(p[0].message, /6 fields.*seconds field/);
});

test('cronjob-schedule: CRON_TZ= prefix points to spec.timeZone, with data for a fix', () => {
  const text = cronJob('', { schedule: 'CRON_TZ=Europe/Berlin 0 3 * * *' });
  const p = diagnoseRule(text, 'cronjob-schedule');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'CRON_TZ=Europe/Berlin');
  assert.match(p[0].message, /spec\.timeZone/);
  assert.deepEqual(problemData(text, 'cronjob-schedule'), [{ timeZone: 'Europe/Berlin', schedule: '0 3 * * *' }]);
});

test('cronjob-schedule-never-runs: 30 February', () => {
  const p = diagnoseRule(cronJob('', { schedule: '0 0 30 2 *' }), 'cronjob-schedule-never-runs');
  assert.equal(p.length, 1);
  assert.equal(p[0].severity, 'warning');
  assert.equal(p[0].text, '"0 0 30 2 *"');
  assert.deepEqual(diagnoseRule(cronJob('', { schedule: '0 0 29 2 *' }), 'cronjob-schedule-never-runs'), []);
});

test('cronjob-timezone: unknown zones, case, Local, offsets; valid ones and aliases pass', () => {
  for (const [tz, re] of [
    ['Europe/Berln', /did you mean Europe\/Berlin/],
    ['europe/berlin', /case-sensitive.*Europe\/Berlin/],
    ['utc', /case-sensitive.*UTC/],
    ['Local', /"Local" is not allowed/],
    ['UTC+2', /not an IANA time zone name.*Etc\/GMT-1/],
    ['Mars/Olympus', /not a known IANA time zone/],
  ] as const) {
    const p = diagnoseRule(cronJob(`timeZone: ${tz}`), 'cronjob-timezone');
    assert.equal(p.length, 1, tz);
    assert.equal(p[0].text, tz);
    assert.match(p[0].message, re, tz);
  }
  for (const tz of ['Etc/UTC', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Calcutta', 'US/Eastern', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires']) {
    assert.deepEqual(diagnoseRule(cronJob(`timeZone: ${tz}`), 'cronjob-timezone'), [], tz);
  }
});

test('cronjob-field-range and cronjob-starting-deadline-too-small', () => {
  const p = diagnoseRule(cronJob('startingDeadlineSeconds: -5\nfailedJobsHistoryLimit: -1'), 'cronjob-field-range');
  assert.deepEqual(p.map((x) => x.text), ['-5', '-1']);
  assert.match(p[0].message, /startingDeadlineSeconds must be 0 or more/);
  const small = diagnoseRule(cronJob('startingDeadlineSeconds: 5'), 'cronjob-starting-deadline-too-small');
  assert.equal(small.length, 1);
  assert.equal(small[0].severity, 'warning');
  assert.deepEqual(diagnoseRule(cronJob('startingDeadlineSeconds: 30'), 'cronjob-starting-deadline-too-small'), []);
});

test('cronjob-selector: selector and manualSelector in jobTemplate', () => {
  const p = diagnoseRule(cronJob('', { jobSpecExtra: 'manualSelector: true\nselector:\n  matchLabels:\n    app: report' }), 'cronjob-selector');
  assert.deepEqual(p.map((x) => x.text).sort(), ['manualSelector', 'selector']);
  assert.match(p.find((x) => x.text === 'selector')!.message, /generates the selector/);
  assert.deepEqual(diagnoseRule(cronJob(''), 'cronjob-selector'), []);
});

test('Job rules apply inside jobTemplate.spec: a missing restartPolicy', () => {
  const p = diagnoseRule(cronJob('', { restartPolicy: null }), 'job-restart-policy');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'spec', 'on the template spec key');
  assert.match(p[0].message, /defaults to Always, which the API server rejects/);
  const always = diagnoseRule(cronJob('', { restartPolicy: 'Always' }), 'job-restart-policy');
  assert.equal(always[0].text, 'Always');
  const range = diagnoseRule(cronJob('', { jobSpecExtra: 'backoffLimit: -1' }), 'job-field-range');
  assert.equal(range[0].text, '-1');
});

test('a job-name label in a CronJob template can never match the generated Job names', () => {
  const text = cronJob('').replace('      template:\n        spec:', '      template:\n        metadata:\n          labels:\n            job-name: nightly\n        spec:');
  const p = diagnoseRule(text, 'job-selector');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'job-name');
  assert.match(p[0].message, /<cronjob>-<time>/);
});

test('cronjob-name-too-long: 53 characters', () => {
  const name = 'a'.repeat(53);
  const p = diagnoseRule(cronJob('', { name }), 'cronjob-name-too-long');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, name);
  assert.match(p[0].message, /at most 52 characters.*53/);
  assert.deepEqual(diagnoseRule(cronJob('', { name }), 'invalid-name'), []);
  assert.deepEqual(diagnoseRule(cronJob('', { name: 'a'.repeat(52) }), 'cronjob-name-too-long'), []);
});

test('hover on schedule: words and five next runs in the time zone', () => {
  const h = hover(cronJob('timeZone: Europe/Berlin', { schedule: '0 3 * * MON' }).replace('"0 3', '"0$0 3'));
  assert.ok(h);
  assert.match(h, /\*\*Schedule:\*\* at 03:00 on Monday/);
  assert.match(h, /Next runs \(Europe\/Berlin\)/);
  const runs = h.match(/^- Mon \d{4}-\d\d-\d\d 03:00/gm) ?? [];
  assert.equal(runs.length, 5);
});

test('hover on schedule without timeZone says UTC and why', () => {
  const h = hover(cronJob('', { schedule: '*/15 9-17 * * 1-5' }).replace('"*/15', '"*/1$05'));
  assert.match(h!, /every 15 minutes between 09:00 and 17:59 on weekdays/);
  assert.match(h!, /Next runs \(UTC: spec\.timeZone is not set/);
  assert.equal((h!.match(/^- (Mon|Tue|Wed|Thu|Fri) \d{4}-\d\d-\d\d (09|1[0-7]):(00|15|30|45)$/gm) ?? []).length, 5);
});

test('hover on an invalid schedule explains the error; @every lists no times', () => {
  assert.match(hover(cronJob('', { schedule: '0 3 * * 7' }).replace('"0 3', '"0$0 3'))!, /not valid: 7 is above/);
  const h = hover(cronJob('', { schedule: '@every 2h' }).replace('"@every', '"@ev$0ery'));
  assert.match(h!, /every 2 hours, counted from when the CronJob was created/);
  assert.doesNotMatch(h!, /Next runs/);
});

test('no schedule hover on other fields or kinds', () => {
  const h = hover(cronJob('timeZone: Europe/Berlin').replace('timeZone: Europe', 'timeZone: Eu$0rope'));
  assert.doesNotMatch(h ?? '', /\*\*Schedule:\*\*/);
});
