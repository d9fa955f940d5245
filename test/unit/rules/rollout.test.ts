import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deploymentYaml, dedent, diagnose, diagnoseRule, hover } from '../../helpers';

/** A Deployment; `spec` lines are inserted under spec (2-space indented YAML, unindented here). */
const deployment = (spec = '', labels = 'app: web') => deploymentYaml({ spec, labels });

const service = dedent(`
  ---
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: web
    ports:
    - port: 80
`);

test('a plain Deployment has no problems', () => {
  assert.deepEqual(diagnose(deployment('replicas: 3')), []);
  assert.deepEqual(diagnose(deployment('replicas: 3\nstrategy:\n  rollingUpdate:\n    maxSurge: 25%\n    maxUnavailable: 1')), []);
});

test('deployment-selector-mismatch: a label value that differs, with the template labels as data', () => {
  const p = diagnoseRule(deployment('', 'app: frontend'), 'deployment-selector-mismatch');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'app: web');
  assert.equal(p[0].severity, 'error');
  assert.match(p[0].message, /selector requires app=web, but the pod template has app=frontend/);
});

test('deployment-selector-mismatch: a missing label, matchExpressions, empty selector', () => {
  const missing = diagnoseRule(deployment('', 'tier: web'), 'deployment-selector-mismatch');
  assert.match(missing[0].message, /the pod template has no label app/);
  const expr = deployment('').replace('matchLabels:\n      app: web', 'matchExpressions:\n    - key: app\n      operator: In\n      values: [api, worker]');
  const e = diagnoseRule(expr, 'deployment-selector-mismatch');
  assert.equal(e.length, 1);
  assert.equal(e[0].text, 'key');
  assert.match(e[0].message, /`app In \[api, worker\]` does not match the pod template, which has app=web/);
  assert.deepEqual(diagnoseRule(expr.replace('[api, worker]', '[api, web]'), 'deployment-selector-mismatch'), []);
  const empty = diagnoseRule(deployment('').replace('selector:\n    matchLabels:\n      app: web', 'selector: {}'), 'deployment-selector-mismatch');
  assert.equal(empty.length, 1);
  assert.equal(empty[0].text, 'selector');
  assert.match(empty[0].message, /selector is empty.*app: web/);
});

test('deployment-selector-mismatch also applies to StatefulSets', () => {
  const sts = deployment('serviceName: web', 'app: db').replace('kind: Deployment', 'kind: StatefulSet');
  assert.equal(diagnoseRule(sts, 'deployment-selector-mismatch').length, 1);
});

test('deployment-recreate-rolling-update', () => {
  const p = diagnoseRule(deployment('strategy:\n  type: Recreate\n  rollingUpdate:\n    maxSurge: 1'), 'deployment-recreate-rolling-update');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'rollingUpdate');
  assert.match(p[0].message, /cannot be set when strategy.type is Recreate/);
  assert.deepEqual(diagnoseRule(deployment('strategy:\n  type: Recreate'), 'deployment-recreate-rolling-update'), []);
});

test('deployment-rollout-zero: 0 and "0%" both count', () => {
  const p = diagnoseRule(deployment('replicas: 3\nstrategy:\n  rollingUpdate:\n    maxSurge: 0%\n    maxUnavailable: 0'), 'deployment-rollout-zero');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '0');
  assert.match(p[0].message, /both 0.*maxSurge: 1/);
  assert.deepEqual(diagnoseRule(deployment('replicas: 3\nstrategy:\n  rollingUpdate:\n    maxSurge: 1\n    maxUnavailable: 0'), 'deployment-rollout-zero'), []);
});

test('deployment-rollout-value: quoted numbers, non-percentages, over 100%', () => {
  const p = diagnoseRule(deployment('replicas: 3\nstrategy:\n  rollingUpdate:\n    maxSurge: "1"\n    maxUnavailable: 150%'), 'deployment-rollout-value');
  assert.equal(p.length, 2);
  assert.equal(p[0].text, '"1"');
  assert.match(p[0].message, /"1" is not a valid maxSurge.*write it as a number: `maxSurge: 1`/);
  assert.equal(p[1].text, '150%');
  assert.match(p[1].message, /cannot be more than 100%/);
  assert.equal(diagnoseRule(deployment('replicas: 3\nstrategy:\n  rollingUpdate:\n    maxSurge: lots'), 'deployment-rollout-value').length, 1);
});

test('deployment-progress-deadline', () => {
  const p = diagnoseRule(deployment('minReadySeconds: 60\nprogressDeadlineSeconds: 60'), 'deployment-progress-deadline');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '60');
  assert.equal(p[0].at, '7:28');
  assert.match(p[0].message, /progressDeadlineSeconds \(60\) must be greater than minReadySeconds \(60\)/);
  const d = diagnoseRule(deployment('minReadySeconds: 600'), 'deployment-progress-deadline');
  assert.match(d[0].message, /\(600, the default\)/);
  assert.deepEqual(diagnoseRule(deployment('minReadySeconds: 60\nprogressDeadlineSeconds: 600'), 'deployment-progress-deadline'), []);
});

test('deployment-single-replica-downtime: maxUnavailable 1 with one replica, default strategy is fine', () => {
  const p = diagnoseRule(deployment('replicas: 1\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 1'), 'deployment-single-replica-downtime');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '1');
  assert.match(p[0].message, /With 1 replica, maxUnavailable resolves to 1.*outage/);
  assert.deepEqual(diagnoseRule(deployment('replicas: 1'), 'deployment-single-replica-downtime'), []);
  assert.deepEqual(diagnoseRule(deployment(''), 'deployment-single-replica-downtime'), []);
  assert.deepEqual(diagnoseRule(deployment('replicas: 1\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 50%'), 'deployment-single-replica-downtime'), [], '50% of 1 rounds down to 0');
  const bumped = diagnoseRule(deployment('strategy:\n  rollingUpdate:\n    maxSurge: 0'), 'deployment-single-replica-downtime');
  assert.match(bumped[0].message, /raises maxUnavailable to 1/);
});

test('deployment-recreate-downtime: only when a Service in the file selects the pods', () => {
  const text = deployment('strategy:\n  type: Recreate') + service;
  const p = diagnoseRule(text, 'deployment-recreate-downtime');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'Recreate');
  assert.equal(p[0].severity, 'information');
  assert.match(p[0].message, /Service web has no endpoints during every rollout/);
  assert.deepEqual(diagnoseRule(deployment('strategy:\n  type: Recreate'), 'deployment-recreate-downtime'), []);
  assert.deepEqual(diagnoseRule(deployment('strategy:\n  type: Recreate') + service.replace('app: web', 'app: other'), 'deployment-recreate-downtime'), []);
});

const hpa = dedent(`
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata:
    name: web
  spec:
    scaleTargetRef:
      apiVersion: apps/v1
      kind: Deployment
      name: web
    minReplicas: 2
    maxReplicas: 10
`);

test('deployment-replicas-with-hpa', () => {
  const p = diagnoseRule(deployment('replicas: 3') + hpa, 'deployment-replicas-with-hpa');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'replicas');
  assert.match(p[0].message, /HorizontalPodAutoscaler web scales this Deployment.*resets the pod count to 3/);
  assert.deepEqual(diagnoseRule(deployment('') + hpa, 'deployment-replicas-with-hpa'), []);
  assert.deepEqual(diagnoseRule(deployment('replicas: 3') + hpa.replace('name: web\n  minReplicas', 'name: api\n  minReplicas'), 'deployment-replicas-with-hpa'), []);
});

test('hover on maxSurge resolves the rollout against replicas', () => {
  const h = hover(deployment('replicas: 4\nstrategy:\n  rollingUpdate:\n    max$0Surge: 25%\n    maxUnavailable: 25%'));
  assert.ok(h);
  assert.match(h, /With 4 replicas: at most 5 pods during a rollout, at least 3 available/);
  assert.match(h, /maxSurge 25% → 1 extra pod \(percentages round up\)/);
});

test('hover on strategy: defaults with one replica, both-zero bump, Recreate', () => {
  assert.match(hover(deployment('replicas: 1\nstrat$0egy:\n  type: RollingUpdate'))!, /With 1 replica: at most 2 pods during a rollout, at least 1 available/);
  assert.match(hover(deployment('replicas: 2\nstrategy:\n  rollingUpdate:\n    maxSurge: 0\n    maxUnavailable: 1$0%'))!, /at least 1 available[\s\S]*both resolved to 0, so Kubernetes allows 1/);
  assert.match(hover(deployment('replicas: 3\nstrategy:\n  type: Recre$0ate'))!, /Recreate stops all 3 old pods/);
});

test('deployment-rollout-full-outage: maxUnavailable 100% with several replicas', () => {
  const p = diagnoseRule(deployment('replicas: 3\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 100%'), 'deployment-rollout-full-outage');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '100%');
  assert.match(p[0].message, /resolves to 3 of 3 replicas.*outage/);
  assert.deepEqual(diagnoseRule(deployment('replicas: 3\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 2'), 'deployment-rollout-full-outage'), []);
  assert.deepEqual(diagnoseRule(deployment('replicas: 4\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 80%'), 'deployment-rollout-full-outage'), [], '80% of 4 rounds down to 3');
});
