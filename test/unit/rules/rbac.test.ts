import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, diagnose, diagnoseRule } from '../../helpers';

const role = (rules: string, kind = 'Role') => dedent(`
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ${kind}
  metadata:
    name: reader
  rules:
`) + dedent(rules);

const binding = (body: string, kind = 'RoleBinding') => dedent(`
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ${kind}
  metadata:
    name: read-pods
    namespace: default
`) + dedent(body);

const goodRef = `
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: pod-reader
`;

test('a plain reader Role has no problems', () => {
  assert.deepEqual(diagnose(role(`
    - apiGroups: [""]
      resources: ["pods", "pods/log", "services"]
      verbs: ["get", "list", "watch"]
    - apiGroups: ["apps"]
      resources: ["deployments", "deployments/scale"]
      verbs: ["get", "patch"]
    - apiGroups: ["networking.k8s.io"]
      resources: ["ingresses", "networkpolicies"]
      verbs: ["get"]
    - apiGroups: [""]
      resources: ["endpoints"]
      verbs: ["get"]
  `)), []);
});

test('rbac-unknown-verb: lst suggests list', () => {
  const p = diagnoseRule(role(`
    - apiGroups: [""]
      resources: ["pods"]
      verbs: ["get", "lst"]
  `), 'rbac-unknown-verb');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '"lst"');
  assert.equal(p[0].severity, 'warning');
  assert.match(p[0].message, /did you mean "list"/);
  assert.match(p[0].message, /grants nothing/);
});

test('rbac-unknown-verb: Get (case) suggests get; custom API groups are not checked', () => {
  assert.match(diagnoseRule(role(`
    - apiGroups: [""]
      resources: ["pods"]
      verbs: ["Get"]
  `), 'rbac-unknown-verb')[0].message, /did you mean "get"/);
  assert.deepEqual(diagnoseRule(role(`
    - apiGroups: ["example.com"]
      resources: ["widgets"]
      verbs: ["frobnicate"]
  `), 'rbac-unknown-verb'), []);
});

test('rbac-unknown-verb: nonResourceURLs take HTTP verbs', () => {
  const text = role(`
    - nonResourceURLs: ["/healthz", "/metrics"]
      verbs: ["get", "head", "post"]
  `, 'ClusterRole');
  assert.deepEqual(diagnose(text), []);
  const p = diagnoseRule(text.replace('"post"', '"gett"'), 'rbac-unknown-verb');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /non-resource URL verb; did you mean "get"/);
});

test('rbac-resource-group: deployments under the core group lives in apps', () => {
  const p = diagnoseRule(role(`
    - apiGroups: [""]
      resources: ["pods", "deployments"]
      verbs: ["get"]
  `), 'rbac-resource-group');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '"deployments"');
  assert.match(p[0].message, /not served by the API group ""; it lives in "apps"/);
});

test('rbac-resource-group: a typo in a resource suggests the real one; custom groups and multi-group rules pass', () => {
  const p = diagnoseRule(role(`
    - apiGroups: ["apps"]
      resources: ["deploymnets"]
      verbs: ["get"]
  `), 'rbac-resource-group');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /did you mean "deployments"/);
  assert.deepEqual(diagnoseRule(role(`
    - apiGroups: ["", "apps", "extensions"]
      resources: ["deployments", "pods", "ingresses"]
      verbs: ["get"]
    - apiGroups: ["cert-manager.io"]
      resources: ["certificates"]
      verbs: ["get"]
    - apiGroups: ["metrics.k8s.io"]
      resources: ["pods"]
      verbs: ["get"]
  `), 'rbac-resource-group'), []);
});

test('rbac-rule-shape: nonResourceURLs in a Role, mixed with resources', () => {
  const p = diagnoseRule(role(`
    - nonResourceURLs: ["/healthz"]
      resources: ["pods"]
      apiGroups: [""]
      verbs: ["get"]
  `), 'rbac-rule-shape');
  assert.equal(p.length, 2);
  assert.ok(p.every((x) => x.text === 'nonResourceURLs'));
  assert.match(p[0].message, /cannot be used in a namespaced Role/);
  assert.match(p[1].message, /both resources and non-resource URLs/);
});

test('rbac-wildcard: * on all three says cluster-admin', () => {
  const p = diagnoseRule(role(`
    - apiGroups: ["*"]
      resources: ["*"]
      verbs: ["*"]
  `, 'ClusterRole'), 'rbac-wildcard');
  assert.equal(p.length, 3);
  assert.ok(p.every((x) => x.text === '"*"' && x.severity === 'warning'));
  assert.match(p[2].message, /"\*" in verbs grants every verb.*cluster-admin/);
  assert.deepEqual(diagnoseRule(role(`
    - apiGroups: [""]
      resources: ["pods"]
      verbs: ["get"]
  `), 'rbac-wildcard'), []);
});

test('rbac-escalation: escalate, bind and impersonate', () => {
  const p = diagnoseRule(role(`
    - apiGroups: ["rbac.authorization.k8s.io"]
      resources: ["clusterroles"]
      verbs: ["escalate", "bind", "get"]
    - apiGroups: [""]
      resources: ["users"]
      verbs: ["impersonate"]
  `, 'ClusterRole'), 'rbac-escalation');
  assert.deepEqual(p.map((x) => x.text), ['"escalate"', '"bind"', '"impersonate"']);
  assert.match(p[2].message, /act as other users.*resourceNames/);
});

test('rbac-secret-access: judged per rule, resourceNames scoping is fine', () => {
  const p = diagnoseRule(role(`
    - apiGroups: [""]
      resources: ["secrets"]
      resourceNames: ["app-config"]
      verbs: ["get"]
    - apiGroups: [""]
      resources: ["configmaps", "secrets"]
      verbs: ["list", "watch"]
  `), 'rbac-secret-access');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '"secrets"');
  assert.equal(p[0].at, '11:29');
  assert.match(p[0].message, /"list", "watch" on secrets without resourceNames reads every Secret of the namespace/);
  assert.deepEqual(diagnoseRule(role(`
    - apiGroups: [""]
      resources: ["secrets"]
      verbs: ["create"]
  `), 'rbac-secret-access'), []);
});

test('a valid RoleBinding has no problems', () => {
  assert.deepEqual(diagnose(binding(`
    subjects:
    - kind: ServiceAccount
      name: app
    - kind: User
      name: jane
      apiGroup: rbac.authorization.k8s.io
  ` + goodRef)), []);
});

test('rbac-roleref: apiGroup with a version, Role in a ClusterRoleBinding', () => {
  const p = diagnoseRule(binding(`
    roleRef:
      apiGroup: rbac.authorization.k8s.io/v1
      kind: Role
      name: reader
  `, 'ClusterRoleBinding'), 'rbac-roleref');
  assert.equal(p.length, 2);
  assert.equal(p[0].text, 'rbac.authorization.k8s.io/v1');
  assert.match(p[0].message, /must be "rbac.authorization.k8s.io" \(the group alone, without a version\)/);
  assert.equal(p[1].text, 'Role');
  assert.match(p[1].message, /ClusterRoleBinding can only reference a ClusterRole/);
});

test('rbac-roleref: a lowercase kind suggests the right one; empty name', () => {
  const p = diagnoseRule(binding(`
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: clusterrole
      name: ""
  `), 'rbac-roleref');
  assert.equal(p.length, 2);
  assert.match(p[0].message, /did you mean ClusterRole/);
  assert.equal(p[1].text, 'name');
});

test('rbac-subject: ServiceAccount without namespace in a ClusterRoleBinding, with data for the quick fix', () => {
  const text = binding(`
    subjects:
    - kind: ServiceAccount
      name: app
  ` + goodRef, 'ClusterRoleBinding');
  const p = diagnoseRule(text, 'rbac-subject');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'kind');
  assert.match(p[0].message, /ServiceAccount subject "app" needs a namespace in a ClusterRoleBinding/);
  const ls = diagnose(text).find((x) => x.code === 'rbac-subject');
  assert.ok(ls);
  assert.deepEqual(diagnoseRule(text.replace('  name: app', '  name: app\n  namespace: default'), 'rbac-subject'), []);
});

test('rbac-subject: wrong apiGroups and kinds', () => {
  const p = diagnoseRule(binding(`
    subjects:
    - kind: ServiceAccount
      name: app
      apiGroup: rbac.authorization.k8s.io
    - kind: user
      name: jane
    - kind: Group
      name: devs
      apiGroup: v1
  ` + goodRef), 'rbac-subject');
  assert.deepEqual(p.map((x) => x.text), ['rbac.authorization.k8s.io', 'user', 'v1']);
  assert.match(p[0].message, /ServiceAccount subject belongs to the core API group/);
  assert.match(p[1].message, /did you mean User/);
  assert.match(p[2].message, /Group subject needs apiGroup "rbac.authorization.k8s.io"/);
});

test('rbac-dangerous-binding: cluster-admin and system:anonymous', () => {
  const p = diagnoseRule(binding(`
    subjects:
    - kind: Group
      name: system:unauthenticated
      apiGroup: rbac.authorization.k8s.io
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: cluster-admin
  `, 'ClusterRoleBinding'), 'rbac-dangerous-binding');
  assert.deepEqual(p.map((x) => x.text), ['system:unauthenticated', 'cluster-admin']);
  assert.match(p[0].message, /anyone who can reach the API server/);
  assert.match(p[1].message, /full control of the whole cluster/);
});

test('rbac-dangerous-binding: system:authenticated reaches every ServiceAccount', () => {
  const p = diagnoseRule(binding(`
    subjects:
    - kind: Group
      name: system:authenticated
      apiGroup: rbac.authorization.k8s.io
  ` + goodRef), 'rbac-dangerous-binding');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'system:authenticated');
  assert.match(p[0].message, /every pod's ServiceAccount token/);
  assert.deepEqual(diagnoseRule(binding(`
    subjects:
    - kind: Group
      name: developers
      apiGroup: rbac.authorization.k8s.io
  ` + goodRef), 'rbac-dangerous-binding'), []);
  assert.deepEqual(diagnoseRule(binding(`
    subjects:
    - kind: Group
      name: system:authenticated
      apiGroup: rbac.authorization.k8s.io
  ` + goodRef.replace('pod-reader', 'system:public-info-viewer')), 'rbac-dangerous-binding'), [], 'the default public-info binding');
});
