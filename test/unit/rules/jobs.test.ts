import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose, diagnoseRule } from '../../helpers';

const indent = (text: string, n: number): string[] => (text ? text.split('\n').map((l) => ' '.repeat(n) + l) : []);

/** A Job; `spec` lines go under spec:, `labels` under the template's labels, `podSpec` under template.spec. */
const job = (o: { spec?: string; labels?: string; restartPolicy?: string | null; name?: string; podSpec?: string } = {}): string =>
  [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: ${o.name ?? 'migrate'}`,
    'spec:',
    ...indent(o.spec ?? '', 2),
    '  template:',
    ...(o.labels ? ['    metadata:', '      labels:', ...indent(o.labels, 8)] : []),
    '    spec:',
    ...(o.restartPolicy === null ? [] : [`      restartPolicy: ${o.restartPolicy ?? 'Never'}`]),
    ...indent(o.podSpec ?? '', 6),
    '      containers:',
    '      - name: migrate',
    '        image: busybox:1.36',
    '',
  ].join('\n');

test('a valid Job has no problems', () => {
  assert.deepEqual(diagnose(job({ spec: 'backoffLimit: 4\nactiveDeadlineSeconds: 600\nttlSecondsAfterFinished: 3600\nparallelism: 2\ncompletions: 4' })), []);
});

test('job-restart-policy: missing restartPolicy is on the template spec key and explains the default', () => {
  const p = diagnoseRule(job({ restartPolicy: null }), 'job-restart-policy');
  assert.equal(p.length, 1);
  assert.equal(p[0].severity, 'error');
  assert.equal(p[0].text, 'spec');
  assert.equal(p[0].at, '7:5');
  assert.match(p[0].message, /Add restartPolicy: Never or OnFailure to spec\.template\.spec; without it the pod template defaults to Always, which the API server rejects/);
});

test('job-restart-policy: Always is rejected; Never and OnFailure pass', () => {
  const p = diagnoseRule(job({ restartPolicy: 'Always' }), 'job-restart-policy');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'Always');
  assert.match(p[0].message, /restartPolicy must be Never or OnFailure in a Job/);
  assert.deepEqual(diagnoseRule(job({ restartPolicy: 'OnFailure' }), 'job-restart-policy'), []);
  assert.deepEqual(diagnoseRule(job({ restartPolicy: 'Never' }), 'job-restart-policy'), []);
});

test('job-field-range: negative numbers; activeDeadlineSeconds 0 is a warning', () => {
  const p = diagnoseRule(job({ spec: 'parallelism: -1\nbackoffLimit: -2\nttlSecondsAfterFinished: -3' }), 'job-field-range');
  assert.deepEqual(p.map((x) => x.text), ['-1', '-2', '-3']);
  assert.match(p[1].message, /backoffLimit must be 0 or more; -2 is rejected/);
  const zero = diagnoseRule(job({ spec: 'activeDeadlineSeconds: 0' }), 'job-field-range');
  assert.equal(zero.length, 1);
  assert.equal(zero[0].severity, 'warning');
  assert.match(zero[0].message, /failed .* as soon as it starts/);
  const managed = diagnoseRule(job({ spec: 'managedBy: my-controller' }), 'job-field-range');
  assert.match(managed[0].message, /domain-prefixed path/);
  assert.deepEqual(diagnoseRule(job({ spec: 'managedBy: kueue.x-k8s.io/multikueue' }), 'job-field-range'), []);
});

test('job-indexed: per-index fields need completionMode Indexed', () => {
  const p = diagnoseRule(job({ spec: 'completions: 10\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: 2' }), 'job-indexed');
  assert.deepEqual(p.map((x) => x.text), ['backoffLimitPerIndex', 'maxFailedIndexes']);
  assert.match(p[0].message, /works only with completionMode: Indexed \(completionMode defaults to NonIndexed\)/);
  assert.deepEqual(diagnoseRule(job({ spec: 'completionMode: Indexed\ncompletions: 10\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: 2' }), 'job-indexed'), []);
});

test('job-indexed: maxFailedIndexes needs backoffLimitPerIndex and must not exceed completions; Indexed needs completions', () => {
  let p = diagnoseRule(job({ spec: 'completionMode: Indexed\ncompletions: 3\nmaxFailedIndexes: 5' }), 'job-indexed');
  assert.equal(p.length, 2);
  assert.match(p[0].message, /needs backoffLimitPerIndex/);
  assert.match(p[1].message, /maxFailedIndexes \(5\) must not exceed completions \(3\)/);
  p = diagnoseRule(job({ spec: 'completionMode: Indexed' }), 'job-indexed');
  assert.equal(p[0].text, 'completionMode');
  assert.match(p[0].message, /needs spec\.completions/);
});

test('job-indexed: successPolicy needs Indexed; its rules are checked', () => {
  let p = diagnoseRule(job({ spec: 'successPolicy:\n  rules:\n  - succeededCount: 1' }), 'job-indexed');
  assert.equal(p[0].text, 'successPolicy');
  p = diagnoseRule(job({ spec: 'completionMode: Indexed\ncompletions: 5\nsuccessPolicy:\n  rules:\n  - succeededIndexes: "0,2-6"\n  - succeededIndexes: "3,1"\n  - succeededCount: 9' }), 'job-indexed');
  assert.deepEqual(p.map((x) => x.text), ['"0,2-6"', '"3,1"', '9']);
  assert.match(p[0].message, /index 6 is too large/);
  assert.match(p[1].message, /increasing order/);
  assert.match(p[2].message, /must not exceed completions/);
});

test('job-indexed: the largest pod hostname <name>-<index> must be a DNS label', () => {
  const name = 'a'.repeat(61);
  const p = diagnoseRule(job({ name, spec: 'completionMode: Indexed\ncompletions: 100' }), 'job-indexed');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, name);
  assert.match(p[0].message, /63/);
  assert.deepEqual(diagnoseRule(job({ name: 'a'.repeat(55), spec: 'completionMode: Indexed\ncompletions: 100' }), 'job-indexed'), []);
});

test('job-selector: a selector without manualSelector is rejected', () => {
  const p = diagnoseRule(job({ spec: 'selector:\n  matchLabels:\n    app: migrate', labels: 'app: migrate' }), 'job-selector');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'selector');
  assert.match(p[0].message, /generates a Job's selector.*manualSelector: true/);
  // a selector on the generated job-name label alone is accepted
  assert.deepEqual(diagnoseRule(job({ spec: 'selector:\n  matchLabels:\n    job-name: migrate' }), 'job-selector'), []);
});

test('job-selector: with manualSelector the selector must match the template labels', () => {
  const p = diagnoseRule(job({ spec: 'manualSelector: true\nselector:\n  matchLabels:\n    app: migrate', labels: 'app: migration' }), 'job-selector');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /\(app=migrate\) does not match the pod template labels/);
  assert.deepEqual(diagnoseRule(job({ spec: 'manualSelector: true\nselector:\n  matchLabels:\n    app: migrate', labels: 'app: migrate' }), 'job-selector'), []);
});

test('job-selector: job-name must equal the Job name; controller-uid cannot be set', () => {
  const p = diagnoseRule(job({ labels: 'job-name: other\ncontroller-uid: abc' }), 'job-selector');
  assert.deepEqual(p.map((x) => x.text), ['job-name', 'controller-uid']);
  assert.match(p[0].message, /must equal the Job's name "migrate"/);
  assert.deepEqual(diagnoseRule(job({ labels: 'job-name: migrate' }), 'job-selector'), []);
});

test('job-pod-failure-policy: needs restartPolicy Never', () => {
  const p = diagnoseRule(job({ restartPolicy: 'OnFailure', spec: 'podFailurePolicy:\n  rules:\n  - action: FailJob\n    onExitCodes:\n      operator: In\n      values: [42]' }), 'job-pod-failure-policy');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'OnFailure');
  assert.match(p[0].message, /podFailurePolicy needs restartPolicy: Never/);
  assert.deepEqual(diagnoseRule(job({ spec: 'podFailurePolicy:\n  rules:\n  - action: FailJob\n    onExitCodes:\n      containerName: migrate\n      operator: In\n      values: [1, 42]\n  - action: Ignore\n    onPodConditions:\n    - type: DisruptionTarget' }), 'job-pod-failure-policy'), []);
});

test('job-pod-failure-policy: rule shape (both/neither matcher, exit codes, container name, FailIndex)', () => {
  const spec = [
    'podFailurePolicy:',
    '  rules:',
    '  - action: FailJob',
    '  - action: Count',
    '    onExitCodes:',
    '      operator: In',
    '      values: [1]',
    '    onPodConditions:',
    '    - type: DisruptionTarget',
    '  - action: FailIndex',
    '    onExitCodes:',
    '      containerName: sidecar',
    '      operator: In',
    '      values: [0, 3, 2]',
  ].join('\n');
  const p = diagnoseRule(job({ spec }), 'job-pod-failure-policy');
  const msgs = p.map((x) => `${x.text}: ${x.message}`);
  assert.ok(msgs.some((m) => /^action: .*needs onExitCodes or onPodConditions/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^onPodConditions: .*not both/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^FailIndex: .*needs backoffLimitPerIndex/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^sidecar: .*not one of the pod template's containers/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^0: Exit code 0 means success/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^2: .*increasing order/.test(m)), msgs.join('\n'));
});

test('Job checks stay quiet on half-typed input', () => {
  const text = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  template: nope\n  completions: "3"\n  podFailurePolicy: []\n';
  assert.deepEqual(diagnose(text).filter((p) => p.code.startsWith('job-')), []);
});
