/**
 * Completion wherever a value can be typed (issue #12): after `key: `, before or
 * inside an existing value, in a `- item`, inside flow collections and quotes,
 * for every rule family that knows values (enums, references, RBAC verbs,
 * resources and groups, apiVersion/kind, Secret types, probe ports). Each case
 * asserts the labels in the order an editor shows them, what the item replaces
 * and inserts, and re-validates the applied text: an item offered first raises
 * no problem at its place; one the rules reject comes last, says why, and the
 * rule does report it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyCompletion, complete, diagnose, settings, workspace } from '../helpers';
import type { CompletionEntry } from '../../server/src/features/completion';

/** Items in the order the editor lists them (sortText, else label). */
function ordered(items: CompletionEntry[]): CompletionEntry[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}
const isMarked = (i: CompletionEntry): boolean => !!i.detail?.startsWith('Not here:');

interface Shown {
  /** Labels, offered ones first, in order. */
  good: string[];
  /** Labels marked as rejected (last), in order. */
  marked: string[];
  items: CompletionEntry[];
  text: string;
}

function show(fixture: string, overrides: Record<string, unknown> = {}): Shown {
  const { items, text } = complete(fixture, overrides);
  const sorted = ordered(items);
  const firstMarked = sorted.findIndex(isMarked);
  if (firstMarked >= 0) assert.ok(sorted.slice(firstMarked).every(isMarked), `marked items come last: ${sorted.map((i) => i.label).join(', ')}`);
  return { good: sorted.filter((i) => !isMarked(i)).map((i) => i.label), marked: sorted.filter(isMarked).map((i) => i.label), items: sorted, text };
}

function item(s: Shown, label: string): CompletionEntry {
  const i = s.items.find((x) => x.label === label);
  assert.ok(i, `no item ${label}; got ${s.items.map((x) => x.label).join(', ')}`);
  return i;
}

/** The text an item replaces. */
const replaced = (s: Shown, label: string): string => {
  const i = item(s, label);
  return s.text.slice(i.range.start, i.range.end);
};

/** The line of the applied text that holds the item's range. */
function appliedLine(s: Shown, label: string): string {
  const i = item(s, label);
  const out = applyCompletion(s.text, i);
  const lineStart = out.lastIndexOf('\n', i.range.start - 1) + 1;
  const lineEnd = out.indexOf('\n', i.range.start);
  return out.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
}

/** Problems at the place an item was inserted (its text, with any quotes around it). */
function problemsAfter(s: Shown, label: string, overrides: Record<string, unknown> = {}): Array<{ code: string; message: string }> {
  const i = item(s, label);
  const out = applyCompletion(s.text, i);
  const start = i.range.start - 1;
  const end = i.range.start + i.insertText.length + 1;
  const probs = diagnose(out, overrides);
  return probs
    .filter((p) => {
      const at = offsetOf(out, p.at);
      return at < end && at + p.text.length > start && p.text.length < 200;
    })
    .map((p) => ({ code: p.code, message: p.message }));
}

function offsetOf(text: string, at: string): number {
  const [line, col] = at.split(':').map(Number);
  let off = 0;
  for (let l = 1; l < line; l++) off = text.indexOf('\n', off) + 1;
  return off + col - 1;
}

/** Every offered item leaves no problem at its place; every marked one is reported by `code` (when given). */
function revalidate(s: Shown, markedCode?: string, overrides: Record<string, unknown> = {}): void {
  for (const label of s.good) assert.deepEqual(problemsAfter(s, label, overrides), [], `applying ${label}`);
  if (markedCode) for (const label of s.marked) assert.ok(problemsAfter(s, label, overrides).some((p) => p.code === markedCode), `applying ${label} is reported as ${markedCode}: ${JSON.stringify(problemsAfter(s, label, overrides))}`);
}

// ---------------------------------------------------------------------------
// Enums

const pod = (containerExtra: string, podExtra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${podExtra}  containers:\n  - name: web\n    image: nginx:1.27\n${containerExtra}`;

test('enum, block: after the key, before and inside an existing value, in quotes, half-typed before a comment', () => {
  const empty = show(pod('    imagePullPolicy: $0\n'));
  assert.deepEqual(empty.good, ['Always', 'IfNotPresent', 'Never']);
  assert.equal(replaced(empty, 'Never'), '');
  assert.equal(appliedLine(empty, 'Never'), '    imagePullPolicy: Never');
  revalidate(empty);

  const inside = show(pod('    imagePullPolicy: IfNot$0Present\n'));
  assert.equal(replaced(inside, 'IfNotPresent'), 'IfNotPresent');
  assert.equal(appliedLine(inside, 'Always'), '    imagePullPolicy: Always');

  const before = show(pod('    imagePullPolicy: $0Never\n'));
  assert.equal(replaced(before, 'Always'), 'Never');
  assert.equal(appliedLine(before, 'Always'), '    imagePullPolicy: Always');

  const quoted = show(pod('    imagePullPolicy: "If$0"\n'));
  assert.equal(replaced(quoted, 'IfNotPresent'), 'If', 'the word inside the quotes, so the editor filters on it');
  assert.equal(appliedLine(quoted, 'IfNotPresent'), '    imagePullPolicy: "IfNotPresent"');

  const half = show(pod('    imagePullPolicy: Al$0   # pull each time\n'));
  assert.equal(replaced(half, 'Always'), 'Al');
  assert.equal(appliedLine(half, 'Always'), '    imagePullPolicy: Always   # pull each time');
});

test('enum, flow: a value in a flow map, inside quotes, and a half-typed one', () => {
  const deployment = (strategy: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy: ${strategy}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n`;
  const flow = show(deployment('{type: $0}'));
  assert.deepEqual(flow.good, ['Recreate', 'RollingUpdate']);
  assert.equal(replaced(flow, 'Recreate'), '');
  assert.equal(appliedLine(flow, 'Recreate'), '  strategy: {type: Recreate}');
  revalidate(flow);
  const half = show(deployment('{type: Rec$0}'));
  assert.equal(replaced(half, 'Recreate'), 'Rec');
  assert.equal(appliedLine(half, 'Recreate'), '  strategy: {type: Recreate}');
  const inQuotes = show(deployment('{type: "Roll$0"}'));
  assert.equal(replaced(inQuotes, 'RollingUpdate'), 'Roll');
  assert.equal(appliedLine(inQuotes, 'RollingUpdate'), '  strategy: {type: "RollingUpdate"}');
});

test('booleans in a flow map are inserted as booleans', () => {
  const s = show(pod('', '  securityContext: {runAsNonRoot: $0}\n'));
  assert.deepEqual(s.good, ['false', 'true']);
  assert.equal(appliedLine(s, 'true'), '  securityContext: {runAsNonRoot: true}');
  revalidate(s);
});

// ---------------------------------------------------------------------------
// restartPolicy per workload kind (job-restart-policy, pod-restart-policy)

const job = (podSpec: string, jobSpec = '') => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n${jobSpec}  template:\n    spec:\n${podSpec}      containers:\n      - name: j\n        image: busybox:1.36\n`;

test('a Job pod template: Never and OnFailure first, Always last with the reason, in every form', () => {
  for (const [fixture, range] of [
    [job('      restartPolicy: $0\n'), ''],
    [job('      restartPolicy: $0Always\n'), 'Always'],
    [job('      restartPolicy: "On$0"\n'), 'On'],
    [job('      restartPolicy: Ne$0\n'), 'Ne'],
  ] as const) {
    const s = show(fixture);
    assert.deepEqual(s.good, ['Never', 'OnFailure'], fixture);
    assert.deepEqual(s.marked, ['Always']);
    assert.equal(item(s, 'Always').detail, 'Not here: rejected in a Job: its pods must finish (Never or OnFailure)');
    assert.equal(replaced(s, 'Never'), range);
    revalidate(s, 'job-restart-policy');
  }
});

test('a Job with a podFailurePolicy: only Never', () => {
  const s = show(job('      restartPolicy: $0\n', '  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        operator: In\n        values: [42]\n'));
  assert.deepEqual(s.good, ['Never']);
  assert.deepEqual(s.marked, ['Always', 'OnFailure']);
  assert.match(item(s, 'OnFailure').detail!, /podFailurePolicy, which needs Never/);
  revalidate(s);
  assert.ok(problemsAfter(s, 'OnFailure').some((p) => p.code === 'job-pod-failure-policy'));
});

test('a CronJob: concurrencyPolicy has its three values; its Job template has no Always', () => {
  const cron = (spec: string, podSpec = '') => `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "0 * * * *"\n${spec}  jobTemplate:\n    spec:\n      template:\n        spec:\n${podSpec || '          restartPolicy: Never\n'}          containers:\n          - name: c\n            image: busybox:1.36\n`;
  for (const fixture of [cron('  concurrencyPolicy: $0\n'), cron('  concurrencyPolicy: $0Allow\n'), cron("  concurrencyPolicy: 'Forb$0'\n")]) {
    const s = show(fixture);
    assert.deepEqual(s.good, ['Allow', 'Forbid', 'Replace']);
    assert.deepEqual(s.marked, []);
    revalidate(s);
  }
  assert.equal(appliedLine(show(cron("  concurrencyPolicy: 'Forb$0'\n")), 'Forbid'), "  concurrencyPolicy: 'Forbid'");
  const rp = show(cron('', '          restartPolicy: $0\n'));
  assert.deepEqual(rp.good, ['Never', 'OnFailure']);
  assert.deepEqual(rp.marked, ['Always']);
  revalidate(rp, 'job-restart-policy');
});

test('a Deployment pod template: only Always', () => {
  const s = show(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      restartPolicy: $0\n      containers:\n      - name: web\n        image: nginx:1.27\n`);
  assert.deepEqual(s.good, ['Always']);
  assert.deepEqual(s.marked, ['Never', 'OnFailure']);
  assert.equal(item(s, 'Never').detail, 'Not here: rejected in a Deployment: its pods are kept running (only Always)');
  revalidate(s, 'pod-restart-policy');
});

test('a bare Pod: all three restartPolicy values', () => {
  const s = show(pod('', '  restartPolicy: $0\n'));
  assert.deepEqual(s.good, ['Always', 'Never', 'OnFailure']);
  revalidate(s);
});

// ---------------------------------------------------------------------------
// apiVersion and kind

test('kind inside an existing value replaces the whole word, among the kinds of the apiVersion', () => {
  const s = show('apiVersion: rbac.authorization.k8s.io/v1\nkind: Clu$0sterRole\nmetadata:\n  name: r\n');
  assert.equal(replaced(s, 'ClusterRole'), 'ClusterRole');
  assert.deepEqual(s.good.slice(0, 4), ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
  assert.ok(!s.good.includes('Deployment'));
  assert.equal(appliedLine(s, 'Role'), 'kind: Role');
  const before = show('apiVersion: v1\nkind: $0Secret\nmetadata:\n  name: s\n');
  assert.equal(replaced(before, 'ConfigMap'), 'Secret');
  assert.equal(appliedLine(before, 'ConfigMap'), 'kind: ConfigMap');
  assert.deepEqual(problemsAfter(before, 'ConfigMap'), []);
});

test('apiVersion of a kind: the preferred one first, deprecated ones last, removed ones never; in quotes too', () => {
  const s = show('apiVersion: $0\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n', { kubernetesVersion: '1.24' });
  assert.equal(s.items[0].label, 'autoscaling/v2');
  assert.ok(s.items[0].preselect);
  const deprecated = s.items.filter((i) => i.detail?.startsWith('deprecated'));
  assert.ok(deprecated.length > 0, 'autoscaling/v2beta1 and v2beta2 are deprecated in 1.24');
  assert.ok(s.items.slice(-deprecated.length).every((i) => i.detail?.startsWith('deprecated')), 'deprecated versions come last');
  const removed = show('apiVersion: $0\nkind: CronJob\nmetadata:\n  name: c\n');
  assert.ok(!removed.items.some((i) => i.label === 'batch/v1beta1'), 'removed in 1.25');
  const quoted = show('apiVersion: "batch/$0"\nkind: Job\nmetadata:\n  name: j\n');
  assert.equal(replaced(quoted, 'batch/v1'), 'batch/');
  assert.equal(appliedLine(quoted, 'batch/v1'), 'apiVersion: "batch/v1"');
});

// ---------------------------------------------------------------------------
// RBAC

const role = (rule: string, kind = 'Role') => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: r\nrules:\n${rule}`;
const POD_VERBS = ['list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

test('verbs, flow: after an item, in the quotes the other items use, without the verbs already there', () => {
  const s = show(role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", $0]\n'));
  assert.deepEqual(s.good, POD_VERBS);
  assert.deepEqual(s.marked, ['use', 'bind', 'escalate', 'impersonate', 'approve', 'sign', 'attest', '*']);
  assert.equal(item(s, 'use').detail, 'Not here: pods has no verb use (it serves get, list, watch, create, update, patch, delete, deletecollection); this grants nothing');
  assert.equal(item(s, 'escalate').detail, 'Not here: lets the subject give itself any permission (rbac-escalation)');
  assert.equal(replaced(s, 'list'), '');
  assert.equal(appliedLine(s, 'list'), '  verbs: ["get", "list"]');
  revalidate(s);
  assert.ok(problemsAfter(s, '*').some((p) => p.code === 'rbac-wildcard'));
  assert.ok(problemsAfter(s, 'bind').some((p) => p.code === 'rbac-escalation'));
});

test('verbs follow the resource: pods/log serves get only', () => {
  const s = show(role('- apiGroups: [""]\n  resources: [pods/log]\n  verbs: [$0]\n'));
  assert.deepEqual(s.good, ['get']);
  assert.equal(item(s, 'create').detail, 'Not here: pods/log has no verb create (it serves get); this grants nothing');
  assert.equal(appliedLine(s, 'get'), '  verbs: [get]', 'plain, like the other lists of the rule');
  revalidate(s);
  const exec = show(role('- apiGroups: [""]\n  resources: [pods/exec]\n  verbs: [$0]\n'));
  assert.deepEqual(exec.good, ['get', 'create']);
});

test('verbs inside a quoted flow item, half-typed, and with the closing quote or bracket missing', () => {
  const inQuotes = show(role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["ge$0"]\n'));
  assert.equal(replaced(inQuotes, 'get'), 'ge');
  assert.equal(appliedLine(inQuotes, 'get'), '  verbs: ["get"]');
  const plain = show(role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: [get, wa$0, list]\n'));
  assert.equal(replaced(plain, 'watch'), 'wa');
  assert.ok(!plain.good.includes('get') && !plain.good.includes('list'), 'the items already there');
  assert.equal(appliedLine(plain, 'watch'), '  verbs: [get, watch, list]');
  const unclosedQuote = show(role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "li$0]\n'));
  assert.equal(replaced(unclosedQuote, 'list'), 'li');
  assert.equal(appliedLine(unclosedQuote, 'list'), '  verbs: ["get", "list"]');
  const unclosedList = show(role('- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", $0\n'));
  assert.equal(appliedLine(unclosedList, 'list'), '  verbs: ["get", "list"');
});

test('verbs, block list items: a new item, a half-typed one, one in quotes', () => {
  const s = show(role('- apiGroups: [""]\n  resources: [pods]\n  verbs:\n  - get\n  - $0\n'));
  assert.deepEqual(s.good, POD_VERBS);
  assert.equal(appliedLine(s, 'list'), '  - list');
  revalidate(s);
  const half = show(role('- apiGroups: [""]\n  resources: [pods]\n  verbs:\n  - wat$0\n  - get\n'));
  assert.equal(replaced(half, 'watch'), 'wat');
  assert.ok(!half.good.includes('get'));
  const quoted = show(role('- apiGroups: [""]\n  resources: [pods]\n  verbs:\n  - "get"\n  - "li$0"\n'));
  assert.equal(appliedLine(quoted, 'list'), '  - "list"');
  const beforeQuote = show(role('- apiGroups: [""]\n  resources: [pods]\n  verbs:\n  - get\n  - $0"lst"\n'));
  assert.equal(replaced(beforeQuote, 'list'), '"lst"', 'the whole quoted item');
  assert.equal(appliedLine(beforeQuote, 'list'), '  - list');
});

test('verbs of a nonResourceURLs rule are the HTTP verbs', () => {
  const s = show(role('- nonResourceURLs: ["/healthz", "/metrics"]\n  verbs: [$0]\n', 'ClusterRole'));
  assert.deepEqual(s.good, ['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
  assert.deepEqual(s.marked, ['*']);
  revalidate(s, 'rbac-wildcard');
});

test('resources follow the apiGroups, and the verbs: subresources that do not serve them come last', () => {
  const s = show(role('- apiGroups: [apps]\n  resources: [$0]\n  verbs: [get]\n'));
  assert.deepEqual(s.good.slice(0, 5), ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']);
  assert.ok(s.good.includes('deployments/scale'));
  assert.ok(!s.good.includes('pods') && !s.marked.includes('pods'), 'pods are not in apps');
  assert.deepEqual(s.marked, ['*']);
  revalidate(s, 'rbac-wildcard');
  const create = show(role('- apiGroups: [""]\n  resources: [pods, $0]\n  verbs: [create]\n'));
  assert.ok(!create.good.includes('pods'), 'already listed');
  assert.ok(create.good.includes('pods/exec') && create.good.includes('pods/eviction'));
  assert.ok(create.marked.includes('pods/log'));
  assert.equal(item(create, 'pods/log').detail, 'Not here: pods/log has no verb create (it serves get)');
  const block = show(role('- apiGroups: [""]\n  verbs: [get]\n  resources:\n  - config$0\n'));
  assert.equal(replaced(block, 'configmaps'), 'config');
  assert.equal(appliedLine(block, 'configmaps'), '  - configmaps');
  assert.deepEqual(problemsAfter(block, 'configmaps'), []);
});

test('apiGroups follow the resources: the groups that serve them, the core group quoted', () => {
  const s = show(role('- apiGroups: [$0]\n  resources: [deployments]\n  verbs: [get]\n'));
  assert.deepEqual(s.good, ['apps', 'extensions']);
  assert.equal(item(s, 'apps').detail, 'serves deployments');
  revalidate(s);
  const core = show(role('- apiGroups: [$0]\n  resources: [pods, deployments]\n  verbs: [get]\n'));
  assert.deepEqual(core.good.slice(0, 2), ['""', 'apps']);
  assert.equal(appliedLine(core, '""'), '- apiGroups: [""]', 'the empty core group must be quoted');
  assert.deepEqual(problemsAfter(core, '""').filter((p) => p.code !== 'rbac-resource-group'), []);
  const inQuotes = show(role('- apiGroups: ["ap$0"]\n  resources: [deployments]\n  verbs: [get]\n'));
  assert.equal(appliedLine(inQuotes, 'apps'), '- apiGroups: ["apps"]');
  const block = show(role('- resources: [secrets]\n  verbs: [get]\n  resourceNames: [app]\n  apiGroups:\n  - $0\n'));
  assert.deepEqual(block.good, ['""']);
  assert.equal(appliedLine(block, '""'), '  - ""');
  assert.deepEqual(problemsAfter(block, '""'), []);
  const none = show(role('- apiGroups: ["", $0]\n'));
  assert.ok(!none.good.includes('""'), 'already listed');
  assert.ok(none.good.includes('apps') && none.good.includes('batch'));
  assert.deepEqual(none.marked, ['*']);
});

// ---------------------------------------------------------------------------
// Secret types

const secret = (type: string, data = '') => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${data}type: ${type}\n`;

test('Secret types: the free ones first, a typed one without its keys last with the keys it needs', () => {
  const s = show(secret('$0'));
  assert.deepEqual(s.good, ['Opaque', 'bootstrap.kubernetes.io/token']);
  assert.deepEqual(s.marked, ['kubernetes.io/basic-auth', 'kubernetes.io/tls', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg', 'kubernetes.io/ssh-auth', 'kubernetes.io/service-account-token']);
  assert.equal(item(s, 'kubernetes.io/tls').detail, 'Not here: needs the keys tls.crt and tls.key in data or stringData');
  assert.equal(item(s, 'kubernetes.io/basic-auth').detail, 'Not here: needs at least one of the keys username or password in data or stringData');
  assert.equal(item(s, 'kubernetes.io/service-account-token').detail, 'Not here: needs the annotation kubernetes.io/service-account.name');
  revalidate(s, 'secret-missing-keys');
});

test('Secret types: the type whose keys the data holds comes first, preselected; before, inside and in quotes', () => {
  const data = 'stringData:\n  tls.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIE\n    -----END PRIVATE KEY-----\n';
  for (const [type, range] of [['$0', ''], ['$0Opaque', 'Opaque'], ['kubernetes.io/t$0', 'kubernetes.io/t'], ['"kubernetes.io/$0"', 'kubernetes.io/']] as const) {
    const s = show(secret(type, data));
    assert.equal(s.good[0], 'kubernetes.io/tls');
    assert.ok(item(s, 'kubernetes.io/tls').preselect);
    assert.ok(!s.marked.includes('kubernetes.io/tls'));
    assert.equal(replaced(s, 'kubernetes.io/tls'), range);
    revalidate(s, 'secret-missing-keys');
  }
  assert.equal(appliedLine(show(secret('"kubernetes.io/$0"', data)), 'kubernetes.io/tls'), 'type: "kubernetes.io/tls"');
});

// ---------------------------------------------------------------------------
// Probe ports (probe-named-port)

const twoContainers = (probe: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - name: http\n      containerPort: 8080\n    - name: admin\n      containerPort: 9000\n${probe}  - name: side\n    image: busybox:1.36\n    ports:\n    - name: metrics\n      containerPort: 9090\n`;

test('probe ports: the names of the probe\'s own container first, another container\'s last, in block and flow', () => {
  for (const [probe, range, line] of [
    ['    livenessProbe:\n      httpGet:\n        path: /\n        port: $0\n', '', '        port: http'],
    ['    livenessProbe:\n      httpGet:\n        path: /\n        port: $0admin\n', 'admin', '        port: http'],
    ['    readinessProbe:\n      httpGet: {path: /, port: ht$0}\n', 'ht', '      httpGet: {path: /, port: http}'],
    ['    startupProbe:\n      tcpSocket: {port: $0}\n', '', '      tcpSocket: {port: http}'],
    ['    lifecycle:\n      preStop:\n        httpGet: {path: /quit, port: "a$0"}\n', 'a', '        httpGet: {path: /quit, port: "http"}'],
  ] as const) {
    const s = show(twoContainers(probe));
    assert.deepEqual(s.good, ['http', 'admin'], probe);
    assert.deepEqual(s.marked, ['metrics']);
    assert.equal(item(s, 'http').detail, '8080 in container web');
    assert.equal(item(s, 'metrics').detail, "Not here: declared by container side, not web: the kubelet looks names up in this container's ports only");
    assert.equal(replaced(s, 'http'), range);
    assert.equal(appliedLine(s, 'http'), line);
    if (!probe.includes('lifecycle')) revalidate(s, 'probe-named-port');
  }
});

test('a grpc probe port is a number: the container port numbers, unquoted', () => {
  const s = show(twoContainers('    livenessProbe:\n      grpc: {port: $0}\n'));
  assert.deepEqual(s.good, ['8080', '9000']);
  assert.equal(item(s, '8080').detail, 'port http of container web');
  assert.equal(appliedLine(s, '8080'), '      grpc: {port: 8080}');
  revalidate(s);
});

// ---------------------------------------------------------------------------
// References (from the workspace)

const ref = {
  secret: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: x\n',
  config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "2024"\ndata:\n  a: b\n',
  deploy: (pod: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n${pod}`,
};

function completeIn(files: Record<string, string>, name: string): Shown {
  const ws = workspace(files);
  const file = ws.file(name);
  const items = ordered(ws.ls.complete(file, ws.cursor(name), settings()));
  return { good: items.filter((i) => !isMarked(i)).map((i) => i.label), marked: items.filter(isMarked).map((i) => i.label), items, text: file.text };
}

test('references in flow maps: a Secret name, in quotes, and a ConfigMap whose name YAML would read as a number', () => {
  const env = (ref_: string) => ref.deploy(`      containers:\n      - name: web\n        image: nginx:1.27\n        env:\n        - name: A\n          valueFrom:\n            secretKeyRef: ${ref_}\n`);
  const s = completeIn({ 's.yaml': ref.secret, 'd.yaml': env('{name: $0, key: password}') }, 'd.yaml');
  assert.deepEqual(s.good, ['db']);
  assert.equal(replaced(s, 'db'), '');
  assert.equal(appliedLine(s, 'db'), '            secretKeyRef: {name: db, key: password}');
  const quoted = completeIn({ 's.yaml': ref.secret, 'd.yaml': env('{name: "d$0", key: password}') }, 'd.yaml');
  assert.equal(replaced(quoted, 'db'), 'd');
  assert.equal(appliedLine(quoted, 'db'), '            secretKeyRef: {name: "db", key: password}');
  const pull = completeIn({ 's.yaml': ref.secret, 'd.yaml': ref.deploy(`      imagePullSecrets: [{name: $0}]\n      containers:\n      - name: web\n        image: nginx:1.27\n`) }, 'd.yaml');
  assert.deepEqual(pull.good, ['db']);
  assert.equal(appliedLine(pull, 'db'), '      imagePullSecrets: [{name: db}]');
  const numeric = completeIn({ 'c.yaml': ref.config, 'd.yaml': ref.deploy('      containers:\n      - name: web\n        image: nginx:1.27\n        envFrom:\n        - configMapRef:\n            name: $0\n') }, 'd.yaml');
  assert.deepEqual(numeric.good, ['2024']);
  assert.equal(appliedLine(numeric, '2024'), '            name: "2024"', 'a plain 2024 would be a number, which the schema rejects');
});

test('references: a Service selector value in a flow map', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  selector: {app: $0}\n';
  const s = completeIn({ 'd.yaml': ref.deploy('      containers:\n      - name: web\n        image: nginx:1.27\n'), 'svc.yaml': svc }, 'svc.yaml');
  assert.deepEqual(s.good, ['web']);
  assert.equal(appliedLine(s, 'web'), '  selector: {app: web}');
});

// ---------------------------------------------------------------------------
// Where nothing is offered

test('no value completion on a flow map key, after a closing quote, or in a comment', () => {
  const { items: key } = complete(role('- apiGroups: [""]\n  resources: [pods]\n  verbs: [get]\n').replace('metadata:\n  name: r', 'metadata:\n  labels: {ap$0: x}\n  name: r'));
  assert.deepEqual(key.map((i) => i.label), []);
  const { items: after } = complete(pod('    imagePullPolicy: "Always"$0\n'));
  assert.deepEqual(after.map((i) => i.label), []);
  const { items: comment } = complete(pod('    imagePullPolicy: Always # $0\n'));
  assert.deepEqual(comment.map((i) => i.label), []);
});

test('a "- " line of a list of maps still completes keys', () => {
  const { items } = complete(pod('    ports:\n    - contai$0\n'));
  assert.ok(items.some((i) => i.label === 'containerPort' && i.kind === 'property'));
});
