/**
 * CronJob rules: the schedule parsed as Kubernetes parses it (robfig/cron,
 * see cron.ts), spec.timeZone against the IANA database, number ranges, the
 * generated selector, and every Job rule inside spec.jobTemplate.spec. Also
 * the hover on `schedule`: the schedule in words and its next five runs.
 */
import type { HoverContributor } from '../features/hover';
import { isScalar, Node, nodeRange } from '../model/manifest';
import { closest } from '../model/text';
import { describeCron, dstEffects, formatOffset, formatRun, nextRun, nextRuns, parseCron, ZoneClock, zoneExists } from './cron';
import { RuleContext, RuleFamily } from './engine';
import { checkJobSpec, isBatch } from './jobs';

export const cronJobRules: RuleFamily = {
  name: 'cronjobs',
  rules: [
    {
      id: 'cronjob-schedule',
      severity: 'error',
      title: 'A CronJob schedule Kubernetes cannot parse',
      why: 'The API server parses schedule with the standard five-field cron syntax (or a macro like @daily) and rejects anything else, including CRON_TZ=/TZ= prefixes.',
      bad: 'schedule: "0 0 * * * *"',
      good: 'schedule: "0 0 * * *"',
      kinds: ['CronJob'],
    },
    {
      id: 'cronjob-schedule-never-runs',
      severity: 'warning',
      title: 'A CronJob schedule that matches no date',
      why: 'A schedule like "0 0 30 2 *" (30 February) is accepted but never fires.',
      bad: 'schedule: "0 0 30 2 *"',
      good: 'schedule: "0 0 28 2 *"',
      kinds: ['CronJob'],
    },
    {
      id: 'cronjob-timezone',
      severity: 'error',
      title: 'A timeZone that is not an IANA time zone name',
      why: 'spec.timeZone must name a zone of the IANA database exactly (case matters), like Europe/Berlin or Etc/UTC; "Local" and offsets are rejected.',
      bad: 'timeZone: CET+1',
      good: 'timeZone: Europe/Paris',
      kinds: ['CronJob'],
    },
    {
      id: 'cronjob-field-range',
      severity: 'error',
      title: 'A CronJob number out of range',
      why: 'startingDeadlineSeconds and the job history limits must not be negative.',
      bad: 'failedJobsHistoryLimit: -1',
      good: 'failedJobsHistoryLimit: 1',
      kinds: ['CronJob'],
    },
    {
      id: 'cronjob-starting-deadline-too-small',
      severity: 'warning',
      title: 'startingDeadlineSeconds under 10 seconds',
      why: 'The CronJob controller checks schedules about every 10 seconds; a shorter deadline can make runs be skipped as missed.',
      bad: 'startingDeadlineSeconds: 5',
      good: 'startingDeadlineSeconds: 60',
      kinds: ['CronJob'],
    },
    {
      id: 'cronjob-selector',
      severity: 'error',
      title: 'A selector or manualSelector in a CronJob\'s jobTemplate',
      why: 'Each Job a CronJob creates gets a generated selector; the API server rejects jobTemplate.spec.selector and manualSelector: true.',
      bad: 'jobTemplate:\n  spec:\n    selector:\n      matchLabels:\n        app: report',
      good: 'jobTemplate:\n  spec:\n    template: ...',
      kinds: ['CronJob'],
    },
  ],
  check(ctx) {
    if (ctx.kind !== 'CronJob' || !isBatch(ctx.apiVersion)) return;
    checkSchedule(ctx);
    checkTimeZone(ctx);
    checkRanges(ctx);
    checkTemplateSelector(ctx);
    checkJobSpec(ctx, ['spec', 'jobTemplate', 'spec'], { inCronJob: true });
  },
};

function checkSchedule(ctx: RuleContext): void {
  const node = ctx.node(['spec', 'schedule']);
  if (!isScalar(node) || (typeof node.value !== 'string' && node.value !== null)) return;
  const spec = typeof node.value === 'string' ? node.value : '';
  if (node.value === null) return; // missing-required covers an empty field
  const r = parseCron(spec);
  if (!r.ok) {
    const e = r.error;
    const target = subRange(ctx, node, spec, e.start, e.end) ?? node;
    const data: Record<string, unknown> = {};
    if (e.timeZone !== undefined) {
      data.timeZone = e.timeZone;
      data.schedule = e.rest;
    }
    ctx.report('cronjob-schedule', target, e.message, Object.keys(data).length ? { data } : {});
    return;
  }
  if (r.schedule.type === 'spec' && nextRun(r.schedule, new ZoneClock('UTC'), Date.now()) === undefined) {
    ctx.report('cronjob-schedule-never-runs', node, `This schedule (${describeCron(r.schedule)}) matches no date, so the CronJob never runs; check the day of month against the months (e.g. there is no 30 February or 31 April).`);
  }
}

/** The offsets of [start, end) of a scalar's value inside the file, when the source shows the value verbatim. */
function subRange(ctx: RuleContext, node: Node, value: string, start: number, end: number): { start: number; end: number } | undefined {
  const r = nodeRange(ctx.obj.section, node);
  if (!r) return undefined;
  const src = ctx.file.text.slice(r[0], r[1]);
  const i = src.indexOf(value);
  if (i < 0 || start === end) return undefined;
  return { start: r[0] + i + start, end: r[0] + i + end };
}

let knownZones: Set<string> | undefined;
let knownLower: Map<string, string> | undefined;

/** Zone names Go's tzdata has that ICU does not list as canonical (backward links and Etc names). */
const ZONE_ALIASES = [
  'UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Universal', 'Zulu', 'Etc/Zulu', 'UCT', 'Etc/UCT', 'Etc/Greenwich', 'Greenwich', 'GMT0', 'GMT+0', 'GMT-0', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0',
  'US/Eastern', 'US/Central', 'US/Mountain', 'US/Pacific', 'US/Alaska', 'US/Hawaii', 'US/Arizona', 'US/East-Indiana', 'US/Michigan', 'US/Aleutian', 'US/Samoa', 'US/Indiana-Starke',
  'Canada/Eastern', 'Canada/Central', 'Canada/Pacific', 'Canada/Mountain', 'Canada/Atlantic', 'Canada/Newfoundland', 'Canada/Saskatchewan', 'Canada/Yukon',
  'Australia/NSW', 'Australia/ACT', 'Australia/Canberra', 'Australia/Victoria', 'Australia/Queensland', 'Australia/West', 'Australia/South', 'Australia/North', 'Australia/Tasmania',
  'Asia/Kolkata', 'Asia/Calcutta', 'Asia/Ho_Chi_Minh', 'Asia/Saigon', 'Asia/Kathmandu', 'Asia/Katmandu', 'Asia/Yangon', 'Asia/Rangoon', 'Europe/Kyiv', 'Europe/Kiev',
  'America/Argentina/Buenos_Aires', 'America/Buenos_Aires', 'America/Nuuk', 'America/Godthab', 'Atlantic/Faroe', 'Atlantic/Faeroe', 'Pacific/Kanton', 'Pacific/Chuuk', 'Pacific/Pohnpei',
  'America/Indiana/Indianapolis', 'America/Indianapolis', 'America/Kentucky/Louisville', 'America/Louisville', 'Africa/Asmara', 'Asia/Istanbul', 'Europe/Istanbul',
  'Brazil/East', 'Mexico/General', 'Chile/Continental', 'NZ', 'PRC', 'ROC', 'ROK', 'Japan', 'Singapore', 'Hongkong', 'Israel', 'Iran', 'Egypt', 'Eire', 'Turkey', 'Poland', 'Portugal', 'Iceland', 'Jamaica', 'Cuba', 'Libya', 'Navajo', 'GB', 'GB-Eire', 'W-SU',
  'EST', 'MST', 'HST', 'EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT', 'CET', 'EET', 'MET', 'WET',
];

function zones(): { set: Set<string>; lower: Map<string, string> } {
  if (!knownZones || !knownLower) {
    let list: string[] = [];
    try {
      list = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
    } catch {
      list = [];
    }
    knownZones = new Set([...list, ...ZONE_ALIASES]);
    for (let h = 1; h <= 14; h++) {
      knownZones.add(`Etc/GMT-${h}`);
      if (h <= 12) knownZones.add(`Etc/GMT+${h}`);
    }
    knownLower = new Map([...knownZones].map((z) => [z.toLowerCase(), z]));
  }
  return { set: knownZones, lower: knownLower };
}

/** Why a timeZone value is not accepted (undefined when it is fine). Mirrors validateTimeZone of the API server. */
export function timeZoneProblem(tz: string): { message: string; suggestion?: string } | undefined {
  if (tz === '') return { message: 'timeZone must not be empty; remove it (the controller\'s time zone, usually UTC, applies) or name a zone like Etc/UTC.' };
  if (tz.toLowerCase() === 'local') return { message: 'timeZone "Local" is not allowed: it would depend on the kube-controller-manager\'s machine. Name an explicit zone such as Etc/UTC or Europe/Berlin.', suggestion: 'Etc/UTC' };
  const offset = /^(UTC|GMT)?[+-]\d{1,2}(:?\d\d)?$/i.test(tz) ? ' UTC offsets are not zone names; use a zone such as Europe/Berlin, or Etc/GMT-1 for a fixed UTC+1 (the sign is inverted in Etc names).' : '';
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part)) {
      return { message: `"${tz}" is not an IANA time zone name (each part between slashes has 1-14 letters, digits or . _ - +).${offset}` };
    }
  }
  if (offset && !zones().set.has(tz)) return { message: `"${tz}" is not an IANA time zone name.${offset}` };
  const { set, lower } = zones();
  if (set.has(tz)) return undefined;
  if (zoneExists(tz)) {
    const exact = lower.get(tz.toLowerCase());
    let resolved: string | undefined;
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    } catch {
      resolved = undefined;
    }
    const badCase = tz.split('/').some((part) => /^[a-z]/.test(part)) || (exact !== undefined && exact !== tz);
    if (badCase) {
      const suggestion = exact ?? resolved;
      return { message: `Time zone names are case-sensitive: "${tz}" is not found${suggestion ? `; did you mean ${suggestion}?` : '.'}`, suggestion };
    }
    return undefined;
  }
  const suggestion = closest(tz, set);
  return { message: `"${tz}" is not a known IANA time zone${suggestion ? `; did you mean ${suggestion}?` : '; use a name like Europe/Berlin, America/New_York or Etc/UTC.'}`, suggestion };
}

function checkTimeZone(ctx: RuleContext): void {
  const node = ctx.node(['spec', 'timeZone']);
  if (!isScalar(node) || typeof node.value !== 'string') return;
  const problem = timeZoneProblem(node.value);
  if (problem) ctx.report('cronjob-timezone', ['spec', 'timeZone'], problem.message, problem.suggestion ? { data: { suggestion: problem.suggestion } } : {});
}

function checkRanges(ctx: RuleContext): void {
  const deadline = ctx.num(['spec', 'startingDeadlineSeconds']);
  if (deadline !== undefined && deadline < 0) ctx.report('cronjob-field-range', ['spec', 'startingDeadlineSeconds'], `startingDeadlineSeconds must be 0 or more; ${deadline} is rejected by the API server.`);
  else if (deadline !== undefined && deadline < 10) {
    ctx.report('cronjob-starting-deadline-too-small', ['spec', 'startingDeadlineSeconds'], `startingDeadlineSeconds: ${deadline} is shorter than the CronJob controller's ~10 second check interval, so runs can be missed and never start. Use 10 or more (e.g. 60).`);
  }
  for (const f of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    const v = ctx.num(['spec', f]);
    if (v !== undefined && v < 0) ctx.report('cronjob-field-range', ['spec', f], `${f} must be 0 or more; ${v} is rejected by the API server.`);
  }
}

function checkTemplateSelector(ctx: RuleContext): void {
  const base = ['spec', 'jobTemplate', 'spec'];
  const sel = ctx.value([...base, 'selector']);
  if (sel !== undefined && sel !== null) {
    ctx.report('cronjob-selector', [...base, 'selector'], 'Remove selector from jobTemplate.spec: Kubernetes generates the selector of every Job a CronJob creates, and the API server rejects one written here.', { where: 'key', data: { remove: 'selector' } });
  }
  if (ctx.value([...base, 'manualSelector']) === true) {
    ctx.report('cronjob-selector', [...base, 'manualSelector'], 'manualSelector cannot be true in a CronJob\'s jobTemplate (the selector is always generated); remove it.', { where: 'key', data: { remove: 'manualSelector' } });
  }
}

/** Hover on a CronJob's schedule: the schedule in words and the next five runs in its time zone. */
export const cronScheduleHover: HoverContributor = (input) => {
  const { obj, path } = input;
  if (obj.kind !== 'CronJob' || !isBatch(obj.apiVersion)) return undefined;
  if (path.length !== 2 || path[0] !== 'spec' || path[1] !== 'schedule') return undefined;
  const node = obj.node.getIn(['spec', 'schedule'], true) as Node | undefined;
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const r = parseCron(node.value);
  if (!r.ok) return `**Schedule:** not valid: ${r.error.message}`;
  const lines = [`**Schedule:** ${describeCron(r.schedule)}`];
  if (r.schedule.type === 'every') {
    lines.push('The run times depend on when the CronJob was created, so they cannot be listed here.');
    return lines.join('\n\n');
  }
  const tzNode = obj.node.getIn(['spec', 'timeZone'], true) as Node | undefined;
  const tz = isScalar(tzNode) && typeof tzNode.value === 'string' ? tzNode.value : undefined;
  let zone = 'UTC';
  let zoneNote = 'UTC: spec.timeZone is not set, so the schedule follows the kube-controller-manager\'s time zone, usually UTC';
  if (tz !== undefined) {
    if (timeZoneProblem(tz) || !zoneExists(tz)) zoneNote = `UTC, because timeZone "${tz}" is not valid`;
    else {
      zone = tz;
      zoneNote = tz;
    }
  }
  const now = Date.now();
  const runs = nextRuns(r.schedule, zone, now, 5);
  if (!runs.length) {
    lines.push('This schedule matches no date in the next five years: it never runs.');
    return lines.join('\n\n');
  }
  const clock = new ZoneClock(zone);
  const offsets = new Set(runs.map((t) => clock.offset(t)));
  const list = runs.map((t) => `- ${formatRun(t, zone)}${offsets.size > 1 ? ` (${formatOffset(clock.offset(t))})` : ''}`);
  lines.push(`Next runs (${zoneNote}):\n\n${list.join('\n')}`);
  for (const note of dstEffects(r.schedule, zone, now)) lines.push(`⚠️ ${note}`);
  return lines.join('\n\n');
};
