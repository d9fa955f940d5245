/**
 * Aggregated ClusterRoles: the rules of a ClusterRole with aggregationRule are those of every
 * ClusterRole its clusterRoleSelectors match (the aggregation controller writes them), in Show
 * Permissions and in the RBAC hovers, each saying which ClusterRole it came from; the built-in
 * admin/edit/view roles get the rules of workspace ClusterRoles labelled to aggregate to them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose, settings, workspace } from '../../helpers';

const monitoring = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitor$0ing
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      rbac.example.com/aggregate-to-monitoring: "true"
rules: []
`;
const endpoints = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-endpoints
  labels:
    rbac.example.com/aggregate-to-monitoring: "true"
rules:
- apiGroups: [""]
  resources: ["services", "endpoints", "pods"]
  verbs: ["get", "list", "watch"]
`;
const metrics = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-metrics
  labels:
    rbac.example.com/aggregate-to-monitoring: "true"
rules:
- nonResourceURLs: ["/metrics"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["services", "endpoints", "pods"]
  verbs: ["get", "list", "watch"]
`;
const unrelated = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: other
  labels:
    team: x
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["delete"]
`;
const binding = (role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: prometheus
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${role}$0
subjects:
- kind: ServiceAccount
  name: prometheus
  namespace: monitoring
`;

test('Show Permissions: a subject bound to an aggregated ClusterRole gets the rules of the roles it selects, each rule once, with the role it came from', () => {
  const ws = workspace({ 'monitoring.yaml': monitoring, 'endpoints.yaml': endpoints, 'metrics.yaml': metrics, 'other.yaml': unrelated, 'binding.yaml': binding('monitoring') });
  const p = ws.ls.permissions({ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' });
  assert.deepEqual(
    p.rows.map((r) => [r.role.name, r.aggregatedFrom?.name, r.resources.join(',') || r.nonResourceURLs.join(','), r.verbs.join(',')]),
    [
      ['monitoring', 'monitoring-endpoints', 'services,endpoints,pods', 'get,list,watch'],
      ['monitoring', 'monitoring-metrics', '/metrics', 'get'],
    ],
  );
  assert.match(p.markdown, /ClusterRoleBinding prometheus → ClusterRole monitoring \(aggregated from ClusterRole monitoring-endpoints\)/);
  assert.match(p.markdown, /URL \/metrics .*aggregated from ClusterRole monitoring-metrics/);
  assert.doesNotMatch(p.markdown, /deployments/);
});

test('matchExpressions select too; an aggregated role that nothing matches says so instead of a bare "granted nothing"', () => {
  const byExpr = monitoring.replace('  - matchLabels:\n      rbac.example.com/aggregate-to-monitoring: "true"', '  - matchExpressions:\n    - key: team\n      operator: In\n      values: ["x", "y"]');
  const ws = workspace({ 'monitoring.yaml': byExpr, 'endpoints.yaml': endpoints, 'other.yaml': unrelated, 'binding.yaml': binding('monitoring') });
  const p = ws.ls.permissions({ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' });
  assert.deepEqual(p.rows.map((r) => [r.aggregatedFrom?.name, r.resources.join(',')]), [['other', 'deployments']]);
  const none = workspace({ 'monitoring.yaml': monitoring, 'binding.yaml': binding('monitoring') });
  const q = none.ls.permissions({ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' });
  assert.equal(q.rows.length, 0);
  assert.match(q.markdown, /ClusterRole `monitoring` is aggregated, and no other ClusterRole of the workspace matches its aggregationRule/);
});

test('aggregation is transitive, and a cycle of aggregated roles ends', () => {
  const middle = monitoring.replace('name: monitor$0ing', 'name: middle\n  labels:\n    rbac.example.com/aggregate-to-top: "true"');
  const top = monitoring.replace('name: monitor$0ing', 'name: top\n  labels:\n    rbac.example.com/aggregate-to-monitoring: "true"').replace('aggregate-to-monitoring: "true"\nrules', 'aggregate-to-top: "true"\nrules');
  const ws = workspace({ 'middle.yaml': middle, 'top.yaml': top, 'endpoints.yaml': endpoints, 'binding.yaml': binding('top') });
  const p = ws.ls.permissions({ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' });
  // top selects middle (aggregate-to-top); middle selects endpoints and top (aggregate-to-monitoring): top's own rules come back through middle only once.
  assert.deepEqual(p.rows.map((r) => [r.role.name, r.aggregatedFrom?.name, r.resources.join(',')]), [['top', 'middle', 'services,endpoints,pods']]);
});

test('the built-in admin/edit/view roles get the rules of workspace ClusterRoles labelled aggregate-to-<role>', () => {
  const crdRole = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-edit
  labels:
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
rules:
- apiGroups: ["example.com"]
  resources: ["widgets"]
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"]
`;
  const rb = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: dev-edit
  namespace: dev
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ed$0it
subjects:
- kind: Group
  name: developers
`;
  const ws = workspace({ 'widgets.yaml': crdRole, 'rb.yaml': rb });
  const p = ws.ls.permissions({ kind: 'Group', name: 'developers' });
  assert.deepEqual(p.rows.map((r) => [r.role.name, r.role.builtin, r.aggregatedFrom?.name, r.resources.join(',')]), [
    ['edit', true, undefined, 'most namespaced resources, incl. secrets (not roles)'],
    ['edit', true, 'widgets-edit', 'widgets'],
  ]);
  const view = ws.ls.permissions({ kind: 'Group', name: 'developers' });
  assert.match(view.markdown, /ClusterRole edit \(built in\) \(aggregated from ClusterRole widgets-edit\)/);
  // The hover on roleRef.name: edit is built in, plus the workspace's widgets-edit.
  const h = ws.ls.hover(ws.file('rb.yaml'), ws.cursor('rb.yaml') - 1, settings());
  assert.match(h?.contents ?? '', /Built-in ClusterRole `edit` also gets, through its aggregation label `rbac\.authorization\.k8s\.io\/aggregate-to-edit: "true"`/);
  assert.match(h?.contents ?? '', /\| widgets \| create, delete.* \| ClusterRole `widgets-edit` \(`ws\/widgets\.yaml`\) \|/);
  // Not labelled for view: a view binding gets only the built-in summary.
  const ws2 = workspace({ 'widgets.yaml': crdRole, 'rb.yaml': rb.replace('name: ed$0it', 'name: view') });
  assert.deepEqual(ws2.ls.permissions({ kind: 'Group', name: 'developers' }).rows.map((r) => r.aggregatedFrom?.name), [undefined]);
});

test('hover on roleRef naming an aggregated ClusterRole, and on the aggregated ClusterRole itself, lists the aggregated rules with their source', () => {
  const ws = workspace({ 'monitoring.yaml': monitoring, 'endpoints.yaml': endpoints, 'metrics.yaml': metrics, 'binding.yaml': binding('monitoring') });
  const onRef = ws.ls.hover(ws.file('binding.yaml'), ws.cursor('binding.yaml') - 2, settings())?.contents ?? '';
  assert.match(onRef, /\n---\n\nClusterRole `monitoring` is defined in `ws\/monitoring\.yaml`; it is aggregated: the cluster fills its rules with those of the ClusterRoles its aggregationRule selects \(`monitoring-endpoints`, `monitoring-metrics`\)\./);
  assert.match(onRef, /\| Resources \| Verbs \| From \|/);
  assert.match(onRef, /\| URL \/metrics \| get \| ClusterRole `monitoring-metrics` \(`ws\/metrics\.yaml`\) \|/);
  const onSelf = ws.ls.hover(ws.file('monitoring.yaml'), ws.cursor('monitoring.yaml'), settings())?.contents ?? '';
  assert.match(onSelf, /(^|\n)ClusterRole `monitoring` is aggregated/);
  assert.match(onSelf, /services, endpoints, pods \| get, list, watch \| ClusterRole `monitoring-endpoints`/);
  // A plain ClusterRole's own name: no hover from here (the text says it all).
  const plain = workspace({ 'endpoints.yaml': endpoints.replace('name: monitoring-endpoints', 'name: monitoring-$0endpoints') });
  const h = plain.ls.hover(plain.file('endpoints.yaml'), plain.cursor('endpoints.yaml'), settings())?.contents ?? '';
  assert.doesNotMatch(h, /aggregated/);
});

test('no false problem on an aggregated ClusterRole with empty or no rules', () => {
  const strict = (text: string) => diagnose(text).filter((p) => p.severity === 'error' || p.severity === 'warning');
  assert.deepEqual(strict(monitoring.replace('$0', '')), []);
  assert.deepEqual(strict(monitoring.replace('$0', '').replace('rules: []\n', '')), []);
});
