import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deploymentYaml, dedent, diagnose, diagnoseRule, hover, service, settings } from '../../helpers';
import { nodeAtOffset, objectAt } from '../../../server/src/model/manifest';
import { probeHover } from '../../../server/src/rules/probes';
import { rolloutHover } from '../../../server/src/rules/rollout';

/** A Deployment; `pod` is pod-spec-level YAML (unindented), placed before containers; `extra` goes into the container. */
/** A Deployment; `pod` is pod-spec-level YAML placed before containers; `extra` goes into the container. */
const deployment = (extra = '', pod = '') => deploymentYaml({ container: extra, pod });

test('a pod with env, ports and volumes has no problems', () => {
  assert.deepEqual(diagnose(deployment(
    'ports:\n- name: http\n  containerPort: 8080\n- name: metrics\n  containerPort: 9090\nenv:\n- name: MODE\n  value: prod\n- name: POD\n  valueFrom:\n    fieldRef:\n      fieldPath: metadata.name\nenvFrom:\n- configMapRef:\n    name: app\nvolumeMounts:\n- name: config\n  mountPath: /etc/app',
    'volumes:\n- name: config\n  configMap:\n    name: app\n- name: tls\n  secret:\n    secretName: tls',
  )), []);
});

test('container-duplicate-name: across containers and initContainers', () => {
  const p = diagnoseRule(deployment('', 'initContainers:\n- name: web\n  image: busybox'), 'container-duplicate-name');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'web');
  assert.equal(p[0].at, '18:15');
  assert.match(p[0].message, /"web" is already used by an entry of initContainers/);
});

test('container-port-name: IANA names, unique within the container', () => {
  const p = diagnoseRule(deployment('ports:\n- name: http_metrics\n  containerPort: 9090\n- name: a-very-long-port-name\n  containerPort: 9091\n- name: "8080"\n  containerPort: 8080\n- name: web\n  containerPort: 80\n- name: web\n  containerPort: 81'), 'container-port-name');
  assert.deepEqual(p.map((x) => x.text), ['http_metrics', 'a-very-long-port-name', '"8080"', 'web']);
  assert.match(p[0].message, /may contain only lowercase letters, digits and "-".*e.g. "http-metrics"/);
  assert.match(p[1].message, /at most 15 characters/);
  assert.match(p[2].message, /must contain at least one letter/);
  assert.match(p[3].message, /used twice in this container/);
});

test('env-value-and-valuefrom', () => {
  const p = diagnoseRule(deployment('env:\n- name: DB_PASSWORD\n  value: changeme\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password'), 'env-value-and-valuefrom');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'valueFrom');
  assert.match(p[0].message, /DB_PASSWORD has both value and valueFrom/);
  assert.deepEqual(diagnoseRule(deployment('env:\n- name: DB_PASSWORD\n  value: ""\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password'), 'env-value-and-valuefrom'), [], 'an empty value is allowed');
});

test('env-valuefrom-sources: two sources, none, and envFrom with both', () => {
  const p = diagnoseRule(deployment('env:\n- name: MODE\n  valueFrom:\n    configMapKeyRef:\n      name: app\n      key: mode\n    secretKeyRef:\n      name: app\n      key: mode\n- name: EMPTY\n  valueFrom: {}\nenvFrom:\n- configMapRef:\n    name: a\n  secretRef:\n    name: b'), 'env-valuefrom-sources');
  assert.deepEqual(p.map((x) => x.text), ['secretKeyRef', 'valueFrom', 'secretRef']);
  assert.match(p[0].message, /MODE has configMapKeyRef and secretKeyRef; it takes exactly one source/);
  assert.match(p[1].message, /EMPTY needs one of fieldRef/);
  assert.match(p[2].message, /configMapRef or secretRef, not both/);
});

test('volume-mount-undeclared: a mount without a volume suggests the closest', () => {
  const p = diagnoseRule(deployment('volumeMounts:\n- name: config\n  mountPath: /etc/app', 'volumes:\n- name: conf\n  configMap:\n    name: app'), 'volume-mount-undeclared');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'config');
  assert.match(p[0].message, /volumeMount "config" names no volume of the pod/);
  const none = diagnoseRule(deployment('volumeMounts:\n- name: data\n  mountPath: /data'), 'volume-mount-undeclared');
  assert.match(none[0].message, /the pod declares no volumes/);
});

test('volume-mount-undeclared: a StatefulSet mount may name a volumeClaimTemplate', () => {
  const sts = deployment('volumeMounts:\n- name: data\n  mountPath: /data')
    .replace('kind: Deployment', 'kind: StatefulSet')
    .replace('spec:\n  selector:', 'spec:\n  serviceName: web\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n  selector:');
  assert.deepEqual(diagnose(sts), []);
  assert.equal(diagnoseRule(sts.replace('name: data\n    spec', 'name: other\n    spec'), 'volume-mount-undeclared').length, 1);
});

test('volume-mount-undeclared: duplicate volume names and a secret volume without secretName', () => {
  const p = diagnoseRule(deployment('', 'volumes:\n- name: data\n  emptyDir: {}\n- name: data\n  emptyDir: {}\n- name: tls\n  secret:\n    defaultMode: 0400'), 'volume-mount-undeclared');
  assert.deepEqual(p.map((x) => x.text), ['data', 'secret']);
  assert.match(p[0].message, /"data" is used twice/);
  assert.match(p[1].message, /secret volume tls needs secretName/);
});

test('pod-restart-policy: only Always in a Deployment', () => {
  const p = diagnoseRule(deployment('', 'restartPolicy: OnFailure'), 'pod-restart-policy');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'OnFailure');
  assert.match(p[0].message, /restartPolicy must be Always in a Deployment.*use a Job/);
  assert.deepEqual(diagnoseRule(deployment('', 'restartPolicy: Always'), 'pod-restart-policy'), []);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox\n';
  assert.deepEqual(diagnoseRule(pod, 'pod-restart-policy'), []);
});

// Wrong types, aliases, nulls: every family of this suite (RBAC, rollout, probes, pod spec, Service/Ingress) must cope.
const hostile = [
  'apiVersion: apps/v1\nkind: Deployment\nspec: 3\n',
  'apiVersion: apps/v1\nkind: Deployment\nspec:\n  selector: x\n  strategy: Recreate\n  template: []\n',
  'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: "x"\n  selector:\n    matchLabels: [a]\n    matchExpressions: {a: 1}\n  strategy:\n    type: RollingUpdate\n    rollingUpdate: 5\n  template:\n    metadata:\n      labels: 7\n    spec:\n      containers: {a: b}\n      initContainers: "x"\n      volumes: 5\n',
  'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      terminationGracePeriodSeconds: abc\n      containers:\n      - 5\n      - name: [x]\n        ports: 3\n        env: {a: 1}\n        envFrom: [1, null, {}]\n        volumeMounts: [null, {name: 3}]\n        livenessProbe: "yes"\n        readinessProbe:\n          httpGet: 5\n          tcpSocket: {port: {a: 1}}\n          periodSeconds: "x"\n        lifecycle:\n          preStop:\n            exec:\n              command: "sleep 40"\n            sleep: {seconds: "x"}\n',
  'x: &a {b: *a}\napiVersion: v1\nkind: Service\nspec:\n  selector: *a\n  ports: [1, {port: "x", targetPort: [1]}, {nodePort: 5}]\n',
  'apiVersion: v1\nkind: Service\nspec:\n  type: ExternalName\n  selector: [a]\n',
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec:\n  defaultBackend: 5\n  rules:\n  - http: {paths: [1, {path: 5, backend: {service: {port: 5}}}, {pathType: Prefix, backend: {service: {name: a, port: {}}}}]}\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nrules:\n- 5\n- verbs: "get"\n  resources: {a: 1}\n- verbs: [null, 1, [a]]\n  apiGroups: [null]\n  resources: [null, "/", ""]\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nroleRef: 5\nsubjects: {a: 1}\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nroleRef: {kind: [1], name: {}}\nsubjects: [null, 1, {kind: 5, name: [1]}]\n',
  'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef: 5\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n',
  'apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: a\n            livenessProbe: {}\n',
];

test('hostile inputs never crash the rule families', () => {
  for (const d of hostile) assert.doesNotThrow(() => diagnose(d), d);
});

test('hostile inputs never crash the rollout and probe hover sections', () => {
  const ls = service();
  for (const d of hostile) {
    const file = ls.parse('file:///hostile.yaml', d);
    for (let offset = 0; offset < d.length; offset += 2) {
      const obj = objectAt(file, offset);
      if (!obj) continue;
      const at = nodeAtOffset(obj, offset);
      const input = { file, obj, offset, path: at.path, node: at.node, onKey: at.onKey, store: ls.store, settings: settings() };
      assert.doesNotThrow(() => rolloutHover(input), `${d} @${offset}`);
      assert.doesNotThrow(() => probeHover(input), `${d} @${offset}`);
    }
    for (let i = 0; i < d.length; i += 5) assert.doesNotThrow(() => hover(d.slice(0, i) + '$0' + d.slice(i)));
  }
});
