import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { settings, workspace } from '../../helpers';
import { globMatcher } from '../../../server/src/node/workspaceScanner';
import { extractFacts } from '../../../server/src/workspace/index';
import { parseManifestFile } from '../../../server/src/model/manifest';

const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ops
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
- apiGroups: [""]
  resources: ["pods/exec"]
  verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ops-binding
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ops
subjects:
- kind: ServiceAccount
  name: deployer
  namespace: ci
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: view-in-ci
  namespace: ci
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: Group
  name: system:serviceaccounts:ci
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: deployer
  namespace: ci
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: other
  namespace: prod
`;

test('permissions: every binding of a ServiceAccount (direct and via groups), wildcards and dangerous verbs marked', () => {
  const ws = workspace({ 'rbac.yaml': rbac });
  const p = ws.ls.permissions({ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' });
  assert.equal(p.bindings, 2);
  assert.deepEqual(
    p.rows.map((r) => `${r.scope} | ${r.resources.join(',')} | ${r.verbs.join(',')} | ${r.wildcard}`),
    ['cluster-wide | * | * | true', 'cluster-wide | pods/exec | create | false', 'namespace ci | most namespaced resources (not secrets) | get,list,watch | true'],
  );
  assert.match(p.markdown, /\| cluster-wide \| ⚠️ \*\*\\\* \(all\)\*\* _\(every group\)_ \| \*\*\\\* \(all\)\*\* \| ClusterRoleBinding ops-binding → ClusterRole ops \|/);
  assert.match(p.markdown, /Risky: every verb; every resource;.*exec into pods/);
  assert.match(p.markdown, /ClusterRole view \(built in\)/);
  const none = ws.ls.permissions({ kind: 'ServiceAccount', name: 'other', namespace: 'prod' });
  assert.equal(none.rows.length, 0);
  assert.match(none.markdown, /is granted nothing/);
});

test('hover on a ServiceAccount definition and on a binding subject shows its permissions', () => {
  const ws = workspace({ 'rbac.yaml': rbac });
  const f = ws.file('rbac.yaml');
  const onDef = ws.ls.hover(f, f.text.indexOf('name: deployer\n  namespace: ci\n---\napiVersion: v1') + 7, settings())?.contents ?? '';
  assert.match(onDef, /What ServiceAccount `ci\/deployer` may do/);
  const onSubject = ws.ls.hover(f, f.text.indexOf('name: deployer') + 7, settings())?.contents ?? '';
  assert.match(onSubject, /What ServiceAccount `ci\/deployer` may do/);
});

test('facts: objects by kind, namespace (default when omitted) and name; List items; variants of one object', () => {
  const f = parseManifestFile('file:///ws/a/list.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s1\n  data:\n    k: dg==\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c1\n    namespace: prod\n');
  const facts = extractFacts(f);
  assert.deepEqual(facts.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}/${o.explicitNamespace}`), ['Secret/default/s1/false', 'ConfigMap/prod/c1/true']);
  assert.deepEqual(facts.objects[0].keys?.map((k) => k.key), ['k']);
  assert.equal(f.text.slice(...facts.objects[0].nameSpan!), 's1');
  const ws = workspace({ 'a/list.yaml': f.text, 'b/list.yaml': f.text });
  assert.equal(ws.index.named('Secret', 's1').length, 2, 'variants are both indexed');
  ws.index.delete(ws.uri('b/list.yaml'));
  assert.equal(ws.index.named('Secret', 's1').length, 1);
});

test('facts keep no file text: names are copies, not slices of the file', () => {
  const big = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-fairly-long-config-map-name\n  labels:\n    app.kubernetes.io/name: something-long-enough\ndata:\n  a-long-key-name-here: "' + 'x'.repeat(10000) + '"\n';
  const facts = extractFacts(parseManifestFile('file:///ws/big.yaml', big));
  const json = JSON.stringify(facts);
  assert.ok(json.length < 1000, `facts are small (${json.length} chars for a ${big.length}-char file)`);
});

test('workspace symbols find objects by name; document symbols outline Kind name nested by field', () => {
  const ws = workspace({ 'rbac.yaml': rbac });
  const found = ws.ls.workspaceSymbols('deplo');
  assert.deepEqual(found.map((s) => `${s.kind} ${s.name} (${s.container})`), ['ServiceAccount deployer (ServiceAccount · ci)']);
  const outline = ws.ls.documentSymbols(ws.file('rbac.yaml'));
  assert.deepEqual(outline.map((s) => s.name), ['ClusterRole ops', 'ClusterRoleBinding ops-binding', 'RoleBinding view-in-ci', 'ServiceAccount deployer', 'ServiceAccount other']);
  const subjects = outline[1].children.find((c) => c.name === 'subjects')!;
  assert.deepEqual(subjects.children.map((c) => c.name), ['deployer'], 'list items are named by their name');
  const folds = ws.ls.foldingRanges(ws.file('rbac.yaml'));
  assert.ok(folds.some((r) => r.startLine === 0 && r.endLine === 10), JSON.stringify(folds.slice(0, 4)));
  assert.ok(folds.some((r) => r.startLine === 4 && r.endLine === 10), 'rules');
});

test('scanner globs: files.exclude-style patterns, folders, any depth', () => {
  const m = globMatcher(['**/charts/**', 'tmp', '*.generated.yaml', 'ci/{a,b}.yaml']);
  assert.ok(m('deploy/charts/x/templates/d.yaml'));
  assert.ok(m('tmp/a.yaml'));
  assert.ok(m('x/tmp/a.yaml'));
  assert.ok(m('a/b/c.generated.yaml'));
  assert.ok(m('ci/a.yaml'));
  assert.ok(!m('ci/c.yaml'));
  assert.ok(!m('deploy/app.yaml'));
});

test('hover on a roleRef name: the role\'s file and rules, risky ones marked', () => {
  const ws = workspace({ 'rbac.yaml': rbac });
  const f = ws.file('rbac.yaml');
  const h = ws.ls.hover(f, f.text.indexOf('name: ops\nsubjects') + 7, settings())?.contents ?? '';
  assert.match(h, /ClusterRole `ops` is defined in `ws\/rbac\.yaml`/);
  assert.match(h, /\| ⚠️ \\\* \| \\\* \|/);
  assert.match(h, /\| ⚠️ pods\/exec \| create \|/);
});
