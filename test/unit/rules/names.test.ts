import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, diagnose, diagnoseRule } from '../../helpers';

const obj = (apiVersion: string, kind: string, name: string, extra = ''): string => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${extra}`;

const deployment = (labels: string, selector = 'app: web'): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  labels:',
    ...labels.split('\n').map((l) => '    ' + l),
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      ${selector}`,
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '',
  ].join('\n');

test('invalid-name: a Deployment name with uppercase and underscore; with a suggestion', () => {
  const p = diagnoseRule(obj('v1', 'ConfigMap', 'My_Config'), 'invalid-name');
  assert.equal(p.length, 1);
  assert.equal(p[0].severity, 'error');
  assert.equal(p[0].text, 'My_Config');
  assert.match(p[0].message, /"My_Config" is not a valid ConfigMap name: it has uppercase letters; it contains '_'.*DNS-1123 subdomain.*Try "my-config"/);
});

test('invalid-name: valid names of each format pass', () => {
  assert.deepEqual(diagnoseRule(obj('v1', 'ConfigMap', 'app.config-v2'), 'invalid-name'), []);
  assert.deepEqual(diagnoseRule(obj('v1', 'Service', 'web-1'), 'invalid-name'), []);
  assert.deepEqual(diagnoseRule(obj('v1', 'Namespace', 'team-a'), 'invalid-name'), []);
  assert.deepEqual(diagnoseRule(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:controller:Foo'), 'invalid-name'), []);
});

test('invalid-name: a Service name is a DNS-1035 label (no leading digit, no dots)', () => {
  let p = diagnoseRule(obj('v1', 'Service', '1web'), 'invalid-name');
  assert.match(p[0].message, /must start with a letter.*DNS-1035/);
  p = diagnoseRule(obj('v1', 'Service', 'web.api'), 'invalid-name');
  assert.match(p[0].message, /contains '\.'/);
  // a ConfigMap may start with a digit and contain dots
  assert.deepEqual(diagnoseRule(obj('v1', 'ConfigMap', '1web.api'), 'invalid-name'), []);
});

test('invalid-name: Namespace name is a DNS-1123 label; metadata.namespace too', () => {
  assert.match(diagnoseRule(obj('v1', 'Namespace', 'team.a'), 'invalid-name')[0].message, /DNS-1123 label/);
  const p = diagnoseRule(obj('v1', 'ConfigMap', 'cfg', '  namespace: Team_A\n').replace('name: cfg\n', 'name: cfg\n'), 'invalid-name');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'Team_A');
  assert.match(p[0].message, /not a valid namespace.*Try "team-a"/);
});

test('invalid-name: RBAC names are path segments', () => {
  const p = diagnoseRule(obj('rbac.authorization.k8s.io/v1', 'Role', 'ns/reader'), 'invalid-name');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /contains '\/'/);
  assert.match(diagnoseRule(obj('rbac.authorization.k8s.io/v1', 'RoleBinding', '".."'), 'invalid-name')[0].message, /may not be "\.\."/);
});

test('invalid-name: length limits (253 for subdomains, 63 for Services)', () => {
  assert.match(diagnoseRule(obj('v1', 'Service', 'a'.repeat(64)), 'invalid-name')[0].message, /64 characters, more than 63/);
  assert.deepEqual(diagnoseRule(obj('v1', 'ConfigMap', 'a'.repeat(253)), 'invalid-name'), []);
  assert.match(diagnoseRule(obj('v1', 'ConfigMap', 'a'.repeat(254)), 'invalid-name')[0].message, /254 characters, more than 253/);
});

test('invalid-name: generateName is checked without its trailing dash; custom resources and templates are left alone', () => {
  assert.deepEqual(diagnoseRule('apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n', 'invalid-name'), []);
  assert.match(diagnoseRule('apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: Migrate_\n', 'invalid-name')[0].message, /generateName "Migrate_" cannot produce a valid Job name/);
  assert.deepEqual(diagnoseRule(obj('example.com/v1', 'Widget', 'My_Widget'), 'invalid-name'), []);
  assert.deepEqual(diagnoseRule(obj('v1', 'ConfigMap', '${APP}-config'), 'invalid-name'), []);
});

test('invalid-label: bad key and value in metadata.labels', () => {
  const p = diagnoseRule(deployment('app name: web\ntier: front end'), 'invalid-label');
  assert.equal(p.length, 2);
  assert.equal(p[0].text, 'app name');
  assert.match(p[0].message, /Label key "app name" in metadata\.labels is not valid: the name part contains a space/);
  assert.equal(p[1].text, 'front end');
  assert.match(p[1].message, /The value of label "tier" in metadata\.labels is not valid: contains a space/);
});

test('invalid-label: prefixes, length, empty values; selectors are checked', () => {
  let p = diagnoseRule(deployment('Example.COM/app: web'), 'invalid-label');
  assert.match(p[0].message, /prefix "Example\.COM" must be a DNS subdomain/);
  p = diagnoseRule(deployment(`version: ${'v'.repeat(64)}`), 'invalid-label');
  assert.match(p[0].message, /64 characters, more than 63/);
  assert.deepEqual(diagnoseRule(deployment('app.kubernetes.io/name: web\nempty: ""\nUpper_Case.ok: Yes-1'), 'invalid-label'), []);
  p = diagnoseRule(deployment('app: web', 'app: -web'), 'invalid-label');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '-web');
  assert.match(p[0].message, /spec\.selector\.matchLabels.*must start with a letter or digit/);
});

test('invalid-label: annotation keys (case-insensitive) and pod template labels', () => {
  const text = dedent(`
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
      annotations:
        Example.com/Owner: team a, with spaces is fine
        "bad key!": x
      labels:
        ok: "yes"
    spec:
      containers:
      - name: web
        image: nginx:1.27
  `);
  const p = diagnoseRule(text, 'invalid-label');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '"bad key!"');
  assert.match(p[0].message, /Annotation key "bad key!"/);
  const tpl = deployment('app: web').replace('        app: web\n    spec:', '        app: web\n        bad/key/x: y\n    spec:');
  assert.match(diagnoseRule(tpl, 'invalid-label')[0].message, /spec\.template\.metadata\.labels.*more than one '\/'/);
});

test('a valid Deployment reports nothing from the names family', () => {
  assert.deepEqual(diagnose(deployment('app: web')).filter((p) => ['invalid-name', 'invalid-label', 'cronjob-name-too-long'].includes(p.code)), []);
});

test('namespace-on-cluster-scoped: a warning on cluster-scoped kinds instead of a namespace format error', () => {
  const p = diagnose(obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'read-pods', '  namespace: team-a\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n'));
  const w = p.filter((x) => x.code === 'namespace-on-cluster-scoped');
  assert.equal(w.length, 1);
  assert.equal(w[0].text, 'namespace');
  assert.equal(w[0].severity, 'warning');
  assert.match(w[0].message, /ClusterRoleBinding is cluster-scoped, so metadata.namespace is ignored.*grants its ClusterRole in every namespace.*use a RoleBinding/);
  const bad = diagnose(obj('storage.k8s.io/v1', 'StorageClass', 'fast', '  namespace: Team_A\nprovisioner: example.com/fast\n'));
  assert.deepEqual(bad.map((x) => [x.code, x.text]), [['namespace-on-cluster-scoped', 'namespace']]);
  assert.deepEqual(diagnoseRule(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', 'rules: []\n'), 'namespace-on-cluster-scoped'), []);
  assert.deepEqual(diagnoseRule(obj('v1', 'ConfigMap', 'cfg', '  namespace: team-a\n'), 'namespace-on-cluster-scoped'), []);
});

test('invalid-finalizer: unqualified non-standard names, bad characters, orphan with foregroundDeletion', () => {
  const p = diagnoseRule(obj('v1', 'ConfigMap', 'cfg', '  finalizers:\n  - cleanup\n  - Orphan\n  - "example.com/bad name"\n'), 'invalid-finalizer');
  assert.deepEqual(p.map((x) => x.text), ['cleanup', 'Orphan', '"example.com/bad name"']);
  assert.match(p[0].message, /"cleanup" is neither a standard finalizer \(kubernetes, orphan, foregroundDeletion\) nor qualified.*example.com\/cleanup/);
  assert.match(p[1].message, /did you mean "orphan"/);
  assert.match(p[2].message, /the name part contains a space/);
  const both = diagnoseRule(obj('v1', 'ConfigMap', 'cfg', '  finalizers: [orphan, foregroundDeletion]\n'), 'invalid-finalizer');
  assert.deepEqual(both.map((x) => x.text), ['finalizers']);
  assert.match(both[0].message, /orphan and foregroundDeletion cannot both be set/);
  assert.deepEqual(diagnoseRule(obj('v1', 'ConfigMap', 'cfg', '  finalizers: [kubernetes, foregroundDeletion, example.com/cleanup]\n'), 'invalid-finalizer'), []);
});
