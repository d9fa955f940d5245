import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyAction, codeActions, dedent, diagnose, diagnoseRule, errorsOf } from '../../helpers';

/** Applies the action; the result equals `expected` and the fixed problem is gone, with no errors left. */
function fix(textWithCursor: string, rule: string, title: string | RegExp, expected: string): void {
  assert.ok(diagnoseRule(textWithCursor.replace('$0', ''), rule).length > 0, `${rule} fires on the fixture`);
  const out = applyAction(textWithCursor, title);
  assert.equal(out, expected);
  assert.deepEqual(errorsOf(out), [], 'no errors after the fix');
  assert.deepEqual(diagnoseRule(out, rule), [], `${rule} is gone`);
}

const lines = (...ls: string[]) => ls.join('\n') + '\n';
const job = (spec: string) =>
  lines('apiVersion: batch/v1', 'kind: Job', 'metadata:', '  name: once', 'spec:', '  template:', '    spec:') + spec + lines('      containers:', '      - name: job', '        image: busybox:1.36');

test('job-restart-policy: insert restartPolicy OnFailure or Never when missing', () => {
  const text = job('').replace('    spec:', '    sp$0ec:');
  const { actions } = codeActions(text);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Set restartPolicy to OnFailure') && titles.includes('Set restartPolicy to Never'), titles.join(' | '));
  fix(text, 'job-restart-policy', 'Set restartPolicy to OnFailure', job('') + '      restartPolicy: OnFailure\n');
});

test('job-restart-policy: replace Always', () => {
  const text = job('      restartPolicy: Alw$0ays\n');
  fix(text, 'job-restart-policy', 'Set restartPolicy to Never', job('      restartPolicy: Never\n'));
});

const deploy = (selector: string, strategy = '') =>
  lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:') + strategy + lines('  selector:', '    matchLabels:') + selector +
  lines('  template:', '    metadata:', '      labels:', '        app: web', '        tier: front', '    spec:', '      containers:', '      - name: web', '        image: nginx:1.27');

test('deployment-selector-mismatch: make the selector match the template labels', () => {
  const text = deploy('      app: w$0ebapp\n');
  fix(text, 'deployment-selector-mismatch', 'Make spec.selector.matchLabels match the pod template labels', deploy('      app: web\n      tier: front\n'));
});

test('deployment-recreate-rolling-update: remove rollingUpdate', () => {
  const text = deploy('      app: web\n', '  strategy:\n    type: Recreate\n    rolling$0Update:\n      maxSurge: 1\n');
  fix(text, 'deployment-recreate-rolling-update', /^Remove rollingUpdate/, deploy('      app: web\n', '  strategy:\n    type: Recreate\n'));
});

test('deployment-rollout-zero: maxSurge 1', () => {
  const text = deploy('      app: web\n', '  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: $00\n');
  fix(text, 'deployment-rollout-zero', 'Set maxSurge to 1', deploy('      app: web\n', '  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n'));
});

const crb = (subject: string) => dedent(`
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata:
    name: read
  roleRef:
    apiGroup: rbac.authorization.k8s.io
    kind: ClusterRole
    name: view
  subjects:
  `) + subject;

test('rbac-subject: add the missing namespace of a ServiceAccount subject', () => {
  const text = crb('- ki$0nd: ServiceAccount\n  name: app\n');
  fix(text, 'rbac-subject', 'Add namespace: default', crb('- kind: ServiceAccount\n  name: app\n  namespace: default\n'));
});

const role = (rules: string) => dedent(`
  apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata:
    name: r
  rules:
  `) + rules;

test('rbac-unknown-verb: replace a misspelled verb', () => {
  const text = role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "ls$0it"]\n');
  fix(text, 'rbac-unknown-verb', 'Change to list', role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "list"]\n'));
});

test('rbac-resource-group: move a lone resource to its real apiGroup', () => {
  const text = role('- apiGroups: [""]\n  resources: ["deploy$0ments"]\n  verbs: ["get"]\n');
  fix(text, 'rbac-resource-group', 'Move deployments to apiGroup "apps"', role('- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get"]\n'));
});

test('rbac-resource-group: split a resource out into a rule for its group', () => {
  const text = role('- apiGroups: [""]\n  resources: ["pods", "deploy$0ments"]\n  verbs: ["get", "list"]\n');
  fix(text, 'rbac-resource-group', 'Move deployments to a rule for apiGroup "apps"', role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "list"]\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list"]\n'));
});

const served = (container: string) =>
  lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  selector:', '    matchLabels:', '      app: web', '  template:', '    metadata:', '      labels:', '        app: web', '    spec:', '      containers:', '      - name: web', '        image: nginx:1.27', '        ports:', '        - name: http', '          containerPort: 80') +
  container +
  lines('---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: web', '  ports:', '  - port: 80', '    targetPort: http');

test('probe-missing-readiness: add a readiness probe on the named port', () => {
  const text = served('').replace('- name: web', '- name: w$0eb');
  fix(text, 'probe-missing-readiness', /^Add a readiness probe/, served('        readinessProbe:\n          httpGet:\n            path: /\n            port: http\n          periodSeconds: 10\n'));
});

test('secret-missing-keys: add the keys a typed Secret needs', () => {
  const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/t$0ls\ndata:\n  tls.crt: ""\n';
  fix(text, 'secret-missing-keys', /^Add the missing key tls\.key/, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ""\n  tls.key: ""\n');
});

test('secret-invalid-base64: Encode as base64 is attached to the diagnostic and preferred', () => {
  const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: hunter2$0!\n';
  const { actions } = codeActions(text);
  const encode = actions.find((a) => a.title === 'Encode the value of password as base64');
  assert.ok(encode && encode.isPreferred);
  assert.equal(encode.problem?.code, 'secret-invalid-base64');
  fix(text, 'secret-invalid-base64', 'Encode the value of password as base64', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: aHVudGVyMiE=\n');
  fix(text, 'secret-invalid-base64', 'Move password to stringData as plain text', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2!\n');
});

test('every problem of a messy file offers an Ignore action, last and not preferred', () => {
  const text = role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "ls$0it"]\n');
  const { actions } = codeActions(text);
  const last = actions[actions.length - 1];
  assert.equal(last.title, 'Ignore rbac-unknown-verb on this line');
  assert.ok(!last.isPreferred);
  const out = applyAction(text, 'Ignore rbac-unknown-verb on this line');
  assert.deepEqual(diagnose(out).filter((p) => p.code === 'rbac-unknown-verb'), []);
});

test('generic data.remove: env var with value and valueFrom keeps valueFrom', () => {
  const text = served('        env:\n        - name: A\n          value: x\n          value$0From:\n            fieldRef:\n              fieldPath: metadata.name\n');
  fix(text, 'env-value-and-valuefrom', 'Remove value', served('        env:\n        - name: A\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.name\n'));
});

test('generic numeric data.replacement: successThreshold 1 in a liveness probe', () => {
  const probe = (n: string) => `        readinessProbe:\n          httpGet:\n            path: /\n            port: http\n        livenessProbe:\n          httpGet:\n            path: /\n            port: http\n          failureThreshold: 6\n          successThreshold: ${n}\n`;
  fix(served(probe('$02')), 'probe-success-threshold', 'Change to 1', served(probe('1')));
});

test('data.terminationGracePeriodSeconds: raise the grace period above a preStop sleep', () => {
  const hook = '        lifecycle:\n          preStop:\n            sleep:\n              seconds: $040\n';
  const text = served(hook);
  const out = applyAction(text, 'Set terminationGracePeriodSeconds to 55');
  assert.equal(out, served(hook.replace('$0', '')).replace('          containerPort: 80\n        lifecycle', '          containerPort: 80\n        lifecycle').replace('        lifecycle:\n          preStop:\n            sleep:\n              seconds: 40\n', '        lifecycle:\n          preStop:\n            sleep:\n              seconds: 40\n      terminationGracePeriodSeconds: 55\n'));
  assert.deepEqual(errorsOf(out), []);
  assert.deepEqual(diagnoseRule(out, 'shutdown-prestop-too-long'), []);
});

test('data.maxSurge/maxUnavailable: a single-replica Deployment rolls out without downtime', () => {
  const text = deploy('      app: web\n      tier: front\n', '  replicas: 1\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: $01\n');
  fix(text, 'deployment-single-replica-downtime', 'Set maxSurge: 1 and maxUnavailable: 0', deploy('      app: web\n      tier: front\n', '  replicas: 1\n  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n'));
});
