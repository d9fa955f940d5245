import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deploymentYaml, dedent, diagnose, diagnoseRule, hover } from '../../helpers';

/** A Deployment whose single container gets `extra` (container-level YAML, unindented). */
/** A Deployment whose single container (with a port named http) gets `extra`; `podExtra` goes into the pod spec. */
const deployment = (extra = '', podExtra = '') => deploymentYaml({ container: `ports:\n- name: http\n  containerPort: 8080\n${extra}`, pod: podExtra });

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
      targetPort: http
`);

const readiness = 'readinessProbe:\n  httpGet:\n    path: /ready\n    port: http';

test('a container with good probes has no problems', () => {
  assert.deepEqual(diagnose(deployment(`${readiness}\nlivenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n  failureThreshold: 6`) + service), []);
});

test('probe-handler: none, and two', () => {
  const none = diagnoseRule(deployment('livenessProbe:\n  periodSeconds: 10'), 'probe-handler');
  assert.equal(none.length, 1);
  assert.equal(none[0].text, 'livenessProbe');
  assert.match(none[0].message, /livenessProbe has no check: add exactly one of exec, httpGet, tcpSocket or grpc/);
  const two = diagnoseRule(deployment('readinessProbe:\n  httpGet:\n    port: 8080\n  tcpSocket:\n    port: 8080'), 'probe-handler');
  assert.equal(two.length, 1);
  assert.equal(two[0].text, 'tcpSocket');
  assert.match(two[0].message, /has httpGet and tcpSocket/);
  const hook = diagnoseRule(deployment('lifecycle:\n  preStop:\n    exec:\n      command: ["true"]\n    sleep:\n      seconds: 5'), 'probe-handler');
  assert.equal(hook[0].text, 'sleep');
  assert.match(hook[0].message, /lifecycle.preStop has exec and sleep/);
});

test('probe-init-container: probes on a regular init container, fine on a sidecar', () => {
  const text = (rp: string) => deployment('', `initContainers:\n- name: migrate\n  image: app\n${rp}  readinessProbe:\n    exec:\n      command: ["true"]`);
  const p = diagnoseRule(text(''), 'probe-init-container');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'readinessProbe');
  assert.match(p[0].message, /Init container migrate cannot have a readinessProbe/);
  assert.deepEqual(diagnoseRule(text('  restartPolicy: Always\n'), 'probe-init-container'), []);
});

test('probe-success-threshold', () => {
  const p = diagnoseRule(deployment('livenessProbe:\n  successThreshold: 3\n  tcpSocket:\n    port: 8080'), 'probe-success-threshold');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '3');
  assert.match(p[0].message, /successThreshold must be 1 in a livenessProbe/);
  assert.deepEqual(diagnoseRule(deployment(`${readiness}\n  successThreshold: 3`), 'probe-success-threshold'), []);
});

test('probe-readiness-termination-grace', () => {
  const p = diagnoseRule(deployment(`${readiness}\n  terminationGracePeriodSeconds: 10`), 'probe-readiness-termination-grace');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'terminationGracePeriodSeconds');
  assert.match(p[0].message, /cannot be set on a readinessProbe/);
  assert.deepEqual(diagnoseRule(deployment('livenessProbe:\n  terminationGracePeriodSeconds: 10\n  tcpSocket:\n    port: 8080'), 'probe-readiness-termination-grace'), []);
});

test('probe-range: negative is an error, 0 a warning, probe grace below 1', () => {
  const p = diagnoseRule(deployment(`${readiness}\n  periodSeconds: -5\n  failureThreshold: 0\nlivenessProbe:\n  terminationGracePeriodSeconds: 0\n  tcpSocket:\n    port: 8080\n  failureThreshold: 6`), 'probe-range');
  assert.deepEqual(p.map((x) => [x.text, x.severity]), [['-5', 'error'], ['0', 'warning'], ['0', 'error']]);
  assert.match(p[0].message, /periodSeconds cannot be negative/);
  assert.match(p[1].message, /failureThreshold: 0 is replaced by the default 3/);
  assert.match(p[2].message, /terminationGracePeriodSeconds must be at least 1/);
  assert.deepEqual(diagnoseRule(deployment(`${readiness}\n  initialDelaySeconds: 0\n  periodSeconds: 5`), 'probe-range'), []);
});

test('probe-named-port: a name the container does not declare', () => {
  const p = diagnoseRule(deployment('livenessProbe:\n  httpGet:\n    path: /healthz\n    port: metrics\n  failureThreshold: 6'), 'probe-named-port');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'metrics');
  assert.match(p[0].message, /livenessProbe.httpGet.port "metrics" is not a port name of container web \(it declares "http"\)/);
  const quoted = diagnoseRule(deployment('readinessProbe:\n  tcpSocket:\n    port: "8080"'), 'probe-named-port');
  assert.match(quoted[0].message, /write the number without quotes: `port: 8080`/);
  const hook = diagnoseRule(deployment('lifecycle:\n  preStop:\n    httpGet:\n      path: /drain\n      port: admin'), 'probe-named-port');
  assert.match(hook[0].message, /lifecycle.preStop.httpGet.port "admin"/);
  assert.deepEqual(diagnoseRule(deployment(readiness), 'probe-named-port'), []);
});

test('probe-missing-readiness: only behind a Service, never on Jobs', () => {
  const p = diagnoseRule(deployment('') + service, 'probe-missing-readiness');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'web');
  assert.equal(p[0].severity, 'information');
  assert.match(p[0].message, /Container web serves Service web but has no readinessProbe/);
  assert.deepEqual(diagnoseRule(deployment(''), 'probe-missing-readiness'), []);
  assert.deepEqual(diagnoseRule(deployment(readiness) + service, 'probe-missing-readiness'), []);
  const job = deployment('').replace('apps/v1\nkind: Deployment', 'batch/v1\nkind: Job') + service;
  assert.deepEqual(diagnoseRule(job, 'probe-missing-readiness'), []);
});

test('probe-missing-readiness: a sidecar that serves no Service port is left alone', () => {
  const text = deployment('') .replace('        containers:\n', '        containers:\n        - name: logs\n          image: fluent-bit\n') + service;
  const p = diagnoseRule(text, 'probe-missing-readiness');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /Container web/);
});

test('probe-identical: same handler and timings; a higher failureThreshold is fine', () => {
  const same = `livenessProbe:\n  httpGet:\n    path: /ready\n    port: http\n${readiness}`;
  const p = diagnoseRule(deployment(same), 'probe-identical');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'livenessProbe');
  assert.equal(p[0].severity, 'information');
  assert.match(p[0].message, /identical to readinessProbe.*failureThreshold \(e.g. 6\)/);
  assert.deepEqual(diagnoseRule(deployment(same.replace('port: http\nreadiness', 'port: http\n  failureThreshold: 6\nreadiness')), 'probe-identical'), []);
});

test('probe-missing-startup: a tight liveness window without a startup probe', () => {
  const tight = 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: http\n  periodSeconds: 5\n  failureThreshold: 2';
  const p = diagnoseRule(deployment(tight), 'probe-missing-startup');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'livenessProbe');
  assert.equal(p[0].severity, 'information');
  assert.match(p[0].message, /not answering 10 s after start \(initialDelaySeconds 0 \+ failureThreshold 2 × periodSeconds 5\)/);
  assert.deepEqual(diagnoseRule(deployment('livenessProbe:\n  httpGet:\n    path: /healthz\n    port: http'), 'probe-missing-startup'), [], 'defaults give 30 s');
  assert.deepEqual(diagnoseRule(deployment(`${tight}\nstartupProbe:\n  httpGet:\n    path: /healthz\n    port: http\n  failureThreshold: 30`), 'probe-missing-startup'), []);
});

test('shutdown-prestop-too-long: exec sleep and sh -c sleep against the grace period', () => {
  const p = diagnoseRule(deployment('lifecycle:\n  preStop:\n    exec:\n      command: ["sleep", "30"]'), 'shutdown-prestop-too-long');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '["sleep", "30"]');
  assert.match(p[0].message, /sleeps 30 s, as long as terminationGracePeriodSeconds \(30 by default\)/);
  const sh = diagnoseRule(deployment('lifecycle:\n  preStop:\n    exec:\n      command: ["/bin/sh", "-c", "sleep 20 && nginx -s quit"]', 'terminationGracePeriodSeconds: 15'), 'shutdown-prestop-too-long');
  assert.match(sh[0].message, /sleeps 20 s, longer than terminationGracePeriodSeconds \(15\)/);
  assert.deepEqual(diagnoseRule(deployment('lifecycle:\n  preStop:\n    exec:\n      command: ["sleep", "15"]', 'terminationGracePeriodSeconds: 45'), 'shutdown-prestop-too-long'), []);
});

test('shutdown-prestop-too-long: the native sleep action over the grace period is rejected', () => {
  const p = diagnoseRule(deployment('lifecycle:\n  preStop:\n    sleep:\n      seconds: 40'), 'shutdown-prestop-too-long');
  assert.equal(p[0].text, '40');
  assert.equal(p[0].severity, 'error');
  assert.match(p[0].message, /the API server rejects a sleep longer than the grace period/);
});

test('hover on a liveness probe shows its timing', () => {
  const h = hover(deployment('liveness$0Probe:\n  httpGet:\n    path: /healthz\n    port: http\n  initialDelaySeconds: 5\n  failureThreshold: 6'));
  assert.ok(h);
  assert.match(h, /first check 5 s after the container starts, then every 10 s, each allowed 1 s to answer/);
  assert.match(h, /restarted after 6 failed checks in a row: about 60 s/);
});

test('hover on readiness and startup probes', () => {
  assert.match(hover(deployment('readinessProbe:\n  httpGet:\n    path: /ready\n    port: http\n  period$0Seconds: 5'))!, /taken out of the Service endpoints after 3 failed checks \(about 15 s\)/);
  assert.match(hover(deployment('startupProbe:\n  httpGet:\n    path: /ready\n    port: http\n  failure$0Threshold: 30'))!, /up to 5 min to start/);
});

test('hover on terminationGracePeriodSeconds and preStop shows the shutdown budget', () => {
  const pre = 'lifecycle:\n  pre$0Stop:\n    exec:\n      command: ["sleep", "10"]';
  assert.match(hover(deployment(pre, 'terminationGracePeriodSeconds: 45'))!, /45 s in total before SIGKILL[\s\S]*sleep 10 s\), then the app gets SIGTERM and has the remaining 35 s/);
  assert.match(hover(deployment(pre.replace('$0', ''), 'termination$0GracePeriodSeconds: 45'))!, /remaining 35 s/);
});
