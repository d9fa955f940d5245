/**
 * Job rules (batch/v1 validateJobSpec and friends): the pod template's
 * restartPolicy, number ranges, Indexed completion mode, the generated
 * selector, and podFailurePolicy. `checkJobSpec` takes a base path so a
 * CronJob's `spec.jobTemplate.spec` gets exactly the same checks.
 */
import { isMap, isScalar, isSeq, Node, Path } from '../model/manifest';
import { RuleContext, RuleFamily, RuleMeta } from './engine';
import { describeSelector, selectorMatches } from './util/jobLabels';

export const JOB_RULES: RuleMeta[] = [
  {
    id: 'job-restart-policy',
    severity: 'error',
    title: 'A Job pod template without restartPolicy Never or OnFailure',
    why: 'A Job\'s pods must stop when they finish. The API server accepts only Never or OnFailure; a missing restartPolicy defaults to Always, which it rejects.',
    bad: 'template:\n  spec:\n    containers: [...]',
    good: 'template:\n  spec:\n    restartPolicy: Never\n    containers: [...]',
    kinds: ['Job', 'CronJob'],
  },
  {
    id: 'job-field-range',
    severity: 'error',
    title: 'A Job number out of range',
    why: 'parallelism, completions, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, backoffLimitPerIndex and maxFailedIndexes must not be negative; the API server rejects the Job otherwise.',
    bad: 'backoffLimit: -1',
    good: 'backoffLimit: 4',
    kinds: ['Job', 'CronJob'],
  },
  {
    id: 'job-indexed',
    severity: 'error',
    title: 'Indexed completion mode rules',
    why: 'backoffLimitPerIndex, maxFailedIndexes and successPolicy only work with completionMode: Indexed, which also needs completions and has limits the API server enforces.',
    bad: 'backoffLimitPerIndex: 1\ncompletions: 10',
    good: 'completionMode: Indexed\nbackoffLimitPerIndex: 1\ncompletions: 10',
    kinds: ['Job', 'CronJob'],
  },
  {
    id: 'job-selector',
    severity: 'error',
    title: 'A Job selector Kubernetes would generate, or one that does not match the pods',
    why: 'Kubernetes generates a Job\'s selector and pod labels. A hand-written selector is rejected unless manualSelector is true, and then it must match the template labels.',
    bad: 'selector:\n  matchLabels:\n    app: batch',
    good: '# no selector: Kubernetes generates one',
    kinds: ['Job', 'CronJob'],
  },
  {
    id: 'job-pod-failure-policy',
    severity: 'error',
    title: 'An invalid podFailurePolicy',
    why: 'podFailurePolicy needs restartPolicy: Never, and each rule needs an action and exactly one of onExitCodes or onPodConditions, in the shape the API server checks.',
    bad: 'podFailurePolicy:\n  rules:\n  - action: FailJob',
    good: 'podFailurePolicy:\n  rules:\n  - action: FailJob\n    onExitCodes:\n      operator: In\n      values: [42]',
    kinds: ['Job', 'CronJob'],
  },
];

export const jobRules: RuleFamily = {
  name: 'jobs',
  rules: JOB_RULES,
  check(ctx) {
    if (ctx.kind !== 'Job' || !isBatch(ctx.apiVersion)) return;
    checkJobSpec(ctx, ['spec'], { inCronJob: false });
  },
};

export function isBatch(apiVersion: string | undefined): boolean {
  return typeof apiVersion === 'string' && /^batch\/v\d/.test(apiVersion);
}

const MAX_INDEXED_PARALLELISM = 100000;
const MAX_FAILED_INDEXES = 100000;
const COMPLETIONS_SOFT_LIMIT = 100000;
const HIGH_COMPLETIONS_LIMIT = 10000;

/** All Job spec checks under `base` (['spec'] for a Job, ['spec','jobTemplate','spec'] for a CronJob). */
export function checkJobSpec(ctx: RuleContext, base: Path, opts: { inCronJob: boolean }): void {
  if (!isMap(ctx.node(base))) return;
  const p = (...rest: Path): Path => [...base, ...rest];
  checkRestartPolicy(ctx, p);
  checkRanges(ctx, p);
  checkIndexed(ctx, p, opts);
  checkSelector(ctx, p, opts);
  checkPodFailurePolicy(ctx, p);
}

/** The restartPolicy values a Job's pod template may have (only Never with a podFailurePolicy). */
export function jobRestartPolicies(podFailurePolicy: boolean): string[] {
  return podFailurePolicy ? ['Never'] : ['Never', 'OnFailure'];
}

function checkRestartPolicy(ctx: RuleContext, p: (...rest: Path) => Path): void {
  const tpl = p('template', 'spec');
  if (!isMap(ctx.node(tpl))) return;
  const rpNode = ctx.node([...tpl, 'restartPolicy']);
  const pfp = isMap(ctx.node(p('podFailurePolicy')));
  const values = jobRestartPolicies(pfp);
  if (rpNode === undefined || (isScalar(rpNode) && (rpNode.value === null || rpNode.value === ''))) {
    ctx.report(
      'job-restart-policy',
      [...tpl],
      `Add restartPolicy: ${pfp ? 'Never' : 'Never or OnFailure'} to ${tpl.join('.')}; without it the pod template defaults to Always, which the API server rejects for a Job${pfp ? ' (podFailurePolicy also needs Never)' : ''}.`,
      { where: 'key', data: { missing: true, values }, absent: [[...tpl, 'restartPolicy']] },
    );
    return;
  }
  const rp = ctx.str([...tpl, 'restartPolicy']);
  if (rp === 'Always') {
    ctx.report('job-restart-policy', [...tpl, 'restartPolicy'], `restartPolicy must be ${values.join(' or ')} in a Job; the API server rejects Always, which is also the default when the field is missing.`, { data: { values } });
  }
}

const NON_NEGATIVE = ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'];

function checkRanges(ctx: RuleContext, p: (...rest: Path) => Path): void {
  for (const f of NON_NEGATIVE) {
    const v = ctx.num(p(f));
    if (v !== undefined && v < 0) ctx.report('job-field-range', p(f), `${f} must be 0 or more; ${v} is rejected by the API server.`);
  }
  if (ctx.num(p('activeDeadlineSeconds')) === 0) {
    ctx.report('job-field-range', p('activeDeadlineSeconds'), 'activeDeadlineSeconds: 0 gives the Job no time at all: it is marked failed (DeadlineExceeded) as soon as it starts. Use a positive number of seconds, or remove the field for no deadline.', { severity: 'warning' });
  }
  const managedBy = ctx.str(p('managedBy'));
  if (managedBy !== undefined) {
    if (managedBy.length > 63) ctx.report('job-field-range', p('managedBy'), `managedBy must be at most 63 characters; this one has ${managedBy.length}.`);
    else if (!isDomainPrefixedPath(managedBy)) ctx.report('job-field-range', p('managedBy'), `managedBy must be a domain-prefixed path such as "acme.io/job-controller" (the built-in controller is "kubernetes.io/job-controller").`);
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isDomainPrefixedPath(s: string): boolean {
  const i = s.indexOf('/');
  if (i <= 0) return false;
  const host = s.slice(0, i);
  const path = s.slice(i + 1);
  return host.length <= 253 && DNS1123_SUBDOMAIN.test(host) && path.length > 0 && /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(path);
}

function checkIndexed(ctx: RuleContext, p: (...rest: Path) => Path, opts: { inCronJob: boolean }): void {
  const mode = ctx.str(p('completionMode')) ?? 'NonIndexed';
  const indexed = mode === 'Indexed';
  const completions = ctx.num(p('completions'));
  const parallelism = ctx.num(p('parallelism'));
  const perIndex = ctx.has(p('backoffLimitPerIndex')) && ctx.value(p('backoffLimitPerIndex')) !== null;
  const maxFailedSet = ctx.has(p('maxFailedIndexes')) && ctx.value(p('maxFailedIndexes')) !== null;
  const maxFailed = ctx.num(p('maxFailedIndexes'));
  const modeNote = ctx.has(p('completionMode')) ? `completionMode is ${mode}` : 'completionMode defaults to NonIndexed';
  if (!indexed) {
    for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes', 'successPolicy']) {
      if (ctx.has(p(f)) && ctx.value(p(f)) !== null) {
        ctx.report('job-indexed', p(f), `${f} works only with completionMode: Indexed (${modeNote}); set completionMode: Indexed or remove ${f}.`, { where: 'key', data: { field: f }, absent: [p('completionMode')] });
      }
    }
  }
  if (maxFailedSet && !perIndex) {
    ctx.report('job-indexed', p('maxFailedIndexes'), 'maxFailedIndexes needs backoffLimitPerIndex: it counts indexes that failed after their per-index retries. Add backoffLimitPerIndex.', { where: 'key', absent: [p('backoffLimitPerIndex')] });
  }
  if (!indexed) return;
  if (!ctx.has(p('completions')) || ctx.value(p('completions')) === null) {
    ctx.report('job-indexed', p('completionMode'), 'completionMode: Indexed needs spec.completions: the number of indexes (0 to completions-1) to run.', { where: 'key', absent: [p('completions')] });
  }
  if (parallelism !== undefined && parallelism > MAX_INDEXED_PARALLELISM) {
    ctx.report('job-indexed', p('parallelism'), `parallelism must be at most ${MAX_INDEXED_PARALLELISM} with completionMode: Indexed.`);
  }
  if (maxFailed !== undefined) {
    if (maxFailed > MAX_FAILED_INDEXES) ctx.report('job-indexed', p('maxFailedIndexes'), `maxFailedIndexes must be at most ${MAX_FAILED_INDEXES}.`);
    else if (completions !== undefined && maxFailed > completions) ctx.report('job-indexed', p('maxFailedIndexes'), `maxFailedIndexes (${maxFailed}) must not exceed completions (${completions}).`);
  }
  if (perIndex && completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT) {
    if (!maxFailedSet) ctx.report('job-indexed', p('completions'), `With backoffLimitPerIndex and more than ${COMPLETIONS_SOFT_LIMIT} completions, maxFailedIndexes must be set (at most ${HIGH_COMPLETIONS_LIMIT}).`, { absent: [p('maxFailedIndexes')] });
    else if (maxFailed !== undefined && maxFailed > HIGH_COMPLETIONS_LIMIT) ctx.report('job-indexed', p('maxFailedIndexes'), `With backoffLimitPerIndex and more than ${COMPLETIONS_SOFT_LIMIT} completions, maxFailedIndexes must be at most ${HIGH_COMPLETIONS_LIMIT}.`);
    if (parallelism !== undefined && parallelism > HIGH_COMPLETIONS_LIMIT) ctx.report('job-indexed', p('parallelism'), `With backoffLimitPerIndex and more than ${COMPLETIONS_SOFT_LIMIT} completions, parallelism must be at most ${HIGH_COMPLETIONS_LIMIT}.`);
  }
  // The pods' hostnames are <job name>-<index>: the largest must be a DNS label.
  const name = ctx.obj.name;
  if (!opts.inCronJob && name && completions !== undefined && completions > 0 && /^[a-z0-9.-]+$/.test(name)) {
    const host = `${name}-${completions - 1}`;
    if (host.length > 63 || name.includes('.')) {
      ctx.report(
        'job-indexed',
        ['metadata', 'name'],
        `With completionMode: Indexed the pods' hostnames are <name>-<index>, and "${host}" is not a valid DNS label (${host.length > 63 ? `${host.length} characters, at most 63` : 'no dots allowed'}). Shorten the Job name${name.includes('.') ? ' and remove the dots' : ''}.`,
      );
    }
  }
  checkSuccessPolicy(ctx, p, completions);
}

function checkSuccessPolicy(ctx: RuleContext, p: (...rest: Path) => Path, completions: number | undefined): void {
  if (!isMap(ctx.node(p('successPolicy')))) return;
  const rulesPath = p('successPolicy', 'rules');
  const rules = ctx.items(rulesPath);
  if (!isSeq(ctx.node(rulesPath))) return; // missing: the schema's missing-required
  if (rules.length === 0) {
    ctx.report('job-indexed', rulesPath, 'successPolicy needs at least one rule under rules (with succeededIndexes and/or succeededCount).', { where: 'key' });
    return;
  }
  if (rules.length > 20) ctx.report('job-indexed', rulesPath, `successPolicy may have at most 20 rules; this one has ${rules.length}.`, { where: 'key' });
  rules.forEach((rule, i) => {
    if (!isMap(rule)) return;
    const rp = [...rulesPath, i];
    const idxText = ctx.str([...rp, 'succeededIndexes']);
    const count = ctx.num([...rp, 'succeededCount']);
    if (idxText === undefined && count === undefined) {
      ctx.report('job-indexed', rp, 'A successPolicy rule needs succeededIndexes, succeededCount or both.', { where: 'key', absent: [[...rp, 'succeededIndexes'], [...rp, 'succeededCount']] });
      return;
    }
    let indexCount: number | undefined;
    if (idxText !== undefined) {
      const r = parseIndexes(idxText, completions);
      if (typeof r === 'string') ctx.report('job-indexed', [...rp, 'succeededIndexes'], `succeededIndexes: ${r}`);
      else indexCount = r;
    }
    if (count !== undefined) {
      if (count < 0) ctx.report('job-indexed', [...rp, 'succeededCount'], 'succeededCount must be 0 or more.');
      else if (completions !== undefined && count > completions) ctx.report('job-indexed', [...rp, 'succeededCount'], `succeededCount (${count}) must not exceed completions (${completions}).`);
      else if (indexCount !== undefined && count > indexCount) ctx.report('job-indexed', [...rp, 'succeededCount'], `succeededCount (${count}) must not exceed the ${indexCount} indexes listed in succeededIndexes.`);
    }
  });
}

/** Parses "1,3-5,7": strictly increasing, each below completions. Returns how many indexes, or an error. */
function parseIndexes(text: string, completions: number | undefined): number | string {
  if (text.length > 64 * 1024) return 'must be at most 64 KiB.';
  let last = -1;
  let n = 0;
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return `"${part}" is not an index or a range like 3-5; write a comma-separated list such as "0,2-4".`;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a) return `the range ${part} goes backwards.`;
    if (a <= last) return `indexes must be in increasing order without overlaps ("${part}" comes after ${last}).`;
    if (completions !== undefined && b >= completions) return `index ${b} is too large: indexes go from 0 to completions-1 (${completions - 1}).`;
    last = b;
    n += b - a + 1;
  }
  return n;
}

const GENERATED_LABELS = ['job-name', 'batch.kubernetes.io/job-name', 'controller-uid', 'batch.kubernetes.io/controller-uid'];

function checkSelector(ctx: RuleContext, p: (...rest: Path) => Path, opts: { inCronJob: boolean }): void {
  const manual = ctx.value(p('manualSelector')) === true;
  const labelsPath = p('template', 'metadata', 'labels');
  const labels = (ctx.value(labelsPath) ?? {}) as Record<string, unknown>;
  const selector = ctx.value(p('selector'));
  if (!opts.inCronJob) {
    // Without manualSelector the server adds controller-uid to the selector and requires it to select only the generated
    // labels (job-name, controller-uid): a selector on job-name alone passes, anything else is rejected.
    const generated = { 'job-name': ctx.obj.name ?? '', 'batch.kubernetes.io/job-name': ctx.obj.name ?? '' };
    if (selector && typeof selector === 'object' && !manual && !selectorMatches(selector, generated)) {
      ctx.report('job-selector', p('selector'), 'Kubernetes generates a Job\'s selector (from its uid); remove spec.selector, or set manualSelector: true if you really manage the pod labels yourself.', { where: 'key', data: { remove: 'selector' }, absent: [p('manualSelector')] });
    } else if (manual && (selector === undefined || selector === null)) {
      ctx.report('job-selector', p('manualSelector'), 'manualSelector: true needs spec.selector matching the template labels; remove manualSelector to let Kubernetes generate both.', { where: 'key', absent: [p('selector')] });
    } else if (manual && selector && typeof selector === 'object' && !selectorMatches(selector, typeof labels === 'object' && labels ? labels : {})) {
      ctx.report('job-selector', p('selector'), `spec.selector (${describeSelector(selector)}) does not match the pod template labels at ${labelsPath.join('.')}; the API server rejects a Job whose selector does not select its own pods.`, { where: 'key', absent: [labelsPath] });
    }
  }
  if (manual || typeof labels !== 'object' || !labels) return;
  for (const pair of ctx.pairs(labelsPath)) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (!key || !GENERATED_LABELS.includes(key)) continue;
    const value = isScalar(pair.value) ? String((pair.value as { value: unknown }).value) : '';
    if (key.endsWith('controller-uid')) {
      ctx.report('job-selector', pair, `The ${key} label is set by Kubernetes to the Job's uid, which cannot be known in advance; remove it.`, { where: 'key', data: { remove: key } });
    } else if (opts.inCronJob) {
      ctx.report('job-selector', pair, `The ${key} label is set by Kubernetes to the name of each Job the CronJob creates (<cronjob>-<time>); a fixed value makes every Job fail validation. Remove it.`, { where: 'key', data: { remove: key } });
    } else if (value !== ctx.obj.name) {
      ctx.report('job-selector', pair, `The ${key} label must equal the Job's name "${ctx.obj.name ?? ''}" (Kubernetes sets it); remove it or fix the value.`, { where: 'key', data: { remove: key }, absent: [['metadata', 'name']] });
    }
  }
}


function checkPodFailurePolicy(ctx: RuleContext, p: (...rest: Path) => Path): void {
  const base = p('podFailurePolicy');
  if (!isMap(ctx.node(base))) return;
  const rp = ctx.str(p('template', 'spec', 'restartPolicy'));
  if (rp !== undefined && rp !== 'Never' && rp !== 'Always') {
    ctx.report('job-pod-failure-policy', p('template', 'spec', 'restartPolicy'), `podFailurePolicy needs restartPolicy: Never in the pod template; with ${rp} the kubelet restarts containers and the policy never sees the failures.`, { data: { values: ['Never'] } });
  }
  const replacement = ctx.str(p('podReplacementPolicy'));
  if (replacement === 'TerminatingOrFailed') {
    ctx.report('job-pod-failure-policy', p('podReplacementPolicy'), `podReplacementPolicy must be Failed when podFailurePolicy is set (${replacement} is rejected).`);
  }
  const rulesPath = [...base, 'rules'];
  const rules = ctx.items(rulesPath);
  if (rules.length > 20) ctx.report('job-pod-failure-policy', rulesPath, `podFailurePolicy may have at most 20 rules; this one has ${rules.length}.`, { where: 'key' });
  const containerNames = new Set<string>();
  for (const list of ['containers', 'initContainers']) {
    for (const c of ctx.items(p('template', 'spec', list))) {
      const n = ctx.str(['name'], c);
      if (n) containerNames.add(n);
    }
  }
  const perIndex = ctx.has(p('backoffLimitPerIndex')) && ctx.value(p('backoffLimitPerIndex')) !== null;
  rules.forEach((rule, i) => {
    if (!isMap(rule)) return;
    const r: Path = [...rulesPath, i];
    const action = ctx.str([...r, 'action']);
    // a missing action, operator, values or condition type is the schema's missing-required
    if (action === 'FailIndex' && !perIndex) ctx.report('job-pod-failure-policy', [...r, 'action'], 'action: FailIndex needs backoffLimitPerIndex (and completionMode: Indexed).', { absent: [p('backoffLimitPerIndex')] });
    const hasCodes = isMap(ctx.node([...r, 'onExitCodes']));
    const hasConds = isSeq(ctx.node([...r, 'onPodConditions']));
    if (hasCodes && hasConds) ctx.report('job-pod-failure-policy', [...r, 'onPodConditions'], 'A podFailurePolicy rule takes onExitCodes or onPodConditions, not both; split it into two rules.', { where: 'key' });
    else if (!hasCodes && !hasConds) ctx.report('job-pod-failure-policy', action !== undefined ? [...r, 'action'] : r, 'A podFailurePolicy rule needs onExitCodes or onPodConditions to say which failures it matches.', { where: 'key', absent: [[...r, 'onExitCodes'], [...r, 'onPodConditions']] });
    if (hasCodes) checkExitCodes(ctx, [...r, 'onExitCodes'], containerNames, [p('template', 'spec', 'containers', '*', 'name'), p('template', 'spec', 'initContainers', '*', 'name')]);
    if (hasConds) {
      const conds = ctx.items([...r, 'onPodConditions']);
      if (conds.length > 20) ctx.report('job-pod-failure-policy', [...r, 'onPodConditions'], `onPodConditions may list at most 20 conditions; this one has ${conds.length}.`, { where: 'key' });
      conds.forEach((c, j) => {
        const cp: Path = [...r, 'onPodConditions', j];
        if (!isMap(c)) return;
        const status = ctx.str([...cp, 'status']);
        if (status !== undefined && !['True', 'False', 'Unknown'].includes(status)) ctx.report('job-pod-failure-policy', [...cp, 'status'], `status must be True, False or Unknown, not "${status}".`);
      });
    }
  });
}

function checkExitCodes(ctx: RuleContext, base: Path, containers: Set<string>, containerNamePaths: Path[]): void {
  const op = ctx.str([...base, 'operator']);
  const cname = ctx.str([...base, 'containerName']);
  if (cname !== undefined && containers.size && !containers.has(cname)) {
    ctx.report('job-pod-failure-policy', [...base, 'containerName'], `containerName "${cname}" is not one of the pod template's containers or initContainers (${[...containers].join(', ')}).`, { absent: containerNamePaths.map((path) => ({ path, value: cname })) });
  }
  const valuesPath = [...base, 'values'];
  const items = ctx.items(valuesPath);
  if (!isSeq(ctx.node(valuesPath))) return; // missing: the schema's missing-required
  if (items.length === 0) {
    ctx.report('job-pod-failure-policy', valuesPath, 'onExitCodes needs values: a list of 1 to 255 exit codes.', { where: 'key' });
    return;
  }
  if (items.length > 255) ctx.report('job-pod-failure-policy', valuesPath, `onExitCodes.values may list at most 255 codes; this one has ${items.length}.`, { where: 'key' });
  let prev: number | undefined;
  for (const item of items) {
    const v = isScalar(item) && typeof item.value === 'number' ? item.value : undefined;
    if (v === undefined) continue;
    if (v === 0 && op === 'In') ctx.report('job-pod-failure-policy', item as Node, 'Exit code 0 means success; it cannot be listed with operator In.');
    if (prev !== undefined && v === prev) ctx.report('job-pod-failure-policy', item as Node, `Exit code ${v} is listed twice.`);
    else if (prev !== undefined && v < prev) ctx.report('job-pod-failure-policy', item as Node, 'Exit codes must be listed in increasing order.');
    prev = v;
  }
}
