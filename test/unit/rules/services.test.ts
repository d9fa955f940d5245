import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, diagnose, diagnoseRule } from '../../helpers';

const service = (spec: string) => dedent(`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
`) + dedent(spec).split('\n').map((l) => (l ? '  ' + l : l)).join('\n');

const deployment = (ports: string) => dedent(`
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
        - name: web
          image: nginx
          ports:
`) + ports.split('\n').map((l) => '        ' + l).join('\n') + '\n';

test('a valid Service has no problems', () => {
  assert.deepEqual(diagnose(service(`
    selector:
      app: web
      app.kubernetes.io/name: web
    ports:
    - name: http
      port: 80
      targetPort: http
    - name: dns
      port: 53
      protocol: UDP
    - name: dns-tcp
      port: 53
      protocol: TCP
  `)), []);
});

test('service-port: names required with several ports, duplicates, invalid targetPort', () => {
  const p = diagnoseRule(service(`
    selector:
      app: web
    ports:
    - port: 80
      targetPort: "8080"
    - name: Web_Port
      port: 443
      targetPort: 70000
    - name: https
      port: 443
  `), 'service-port');
  assert.deepEqual(p.map((x) => x.text), ['port', '"8080"', 'Web_Port', '70000', '443']);
  assert.match(p[0].message, /has 3 ports, so each needs a name.*"http"/);
  assert.match(p[1].message, /write the number without quotes: `targetPort: 8080`/);
  assert.match(p[2].message, /must be a lowercase DNS label/);
  assert.match(p[3].message, /between 1 and 65535 \(it is 70000\)/);
  assert.match(p[4].message, /443\/TCP is listed twice/);
});

test('service-port: a Service without ports, unless headless', () => {
  const p = diagnoseRule(service(`
    selector:
      app: web
  `), 'service-port');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'spec');
  assert.match(p[0].message, /needs at least one port/);
  assert.deepEqual(diagnoseRule(service(`
    clusterIP: None
    selector:
      app: web
  `), 'service-port'), []);
});

test('service-node-port-range: outside the default range is a warning, on ClusterIP an error', () => {
  const p = diagnoseRule(service(`
    type: NodePort
    ports:
    - port: 80
      nodePort: 8080
  `), 'service-node-port-range');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '8080');
  assert.equal(p[0].severity, 'warning');
  assert.match(p[0].message, /outside the default node port range 30000-32767.*--service-node-port-range/);
  const c = diagnoseRule(service(`
    ports:
    - port: 80
      nodePort: 30080
  `), 'service-node-port-range');
  assert.equal(c[0].severity, 'error');
  assert.equal(c[0].text, 'nodePort');
  assert.match(c[0].message, /cannot be used when type is ClusterIP \(the default\)/);
  assert.deepEqual(diagnoseRule(service(`
    type: NodePort
    ports:
    - port: 80
      nodePort: 30080
  `), 'service-node-port-range'), []);
});

test('service-selector: ExternalName without externalName, ignored selector, invalid label keys', () => {
  const p = diagnoseRule(service(`
    type: ExternalName
    selector:
      app: db
  `), 'service-selector');
  assert.deepEqual(p.map((x) => [x.text, x.severity]), [['type', 'error'], ['selector', 'warning']]);
  assert.match(p[0].message, /needs spec.externalName/);
  assert.match(p[1].message, /ignores its selector/);
  const k = diagnoseRule(service(`
    selector:
      "app name": web
      tier: "-bad"
    ports:
    - port: 80
  `), 'service-selector');
  assert.deepEqual(k.map((x) => x.text), ['"app name"', '"-bad"']);
  assert.match(k[0].message, /not a valid label key/);
  assert.match(k[1].message, /not a valid label value/);
});

test('service-target-port-name: checked against the selected workload in the same file', () => {
  const svc = service(`
    selector:
      app: web
    ports:
    - port: 80
      targetPort: http
  `);
  const p = diagnoseRule(svc + deployment('- containerPort: 8080\n  name: web'), 'service-target-port-name');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'http');
  assert.match(p[0].message, /targetPort "http" is not a container port name of Deployment web \(they declare "web"\)/);
  assert.deepEqual(diagnoseRule(svc + deployment('- containerPort: 8080\n  name: http'), 'service-target-port-name'), []);
  assert.deepEqual(diagnoseRule(svc, 'service-target-port-name'), [], 'no workload in the file: not checked');
});

const ingress = (paths: string, extra = '') => dedent(`
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
  spec:
  ${extra}
    rules:
    - host: example.com
      http:
        paths:
`) + dedent(paths).split('\n').map((l) => (l ? '      ' + l : l)).join('\n');

const backend = `
      backend:
        service:
          name: web
          port:
            number: 80`;

test('a valid Ingress has no problems', () => {
  assert.deepEqual(diagnose(ingress(`
    - path: /api
      pathType: Prefix${backend}
    - path: /
      pathType: Exact${backend}
  `)), []);
});

test('ingress-path-type: missing pathType replaces the schema message', () => {
  const text = ingress(`
    - path: /api${backend}
  `);
  const all = diagnose(text);
  assert.deepEqual(all.map((x) => x.code), ['ingress-path-type']);
  assert.equal(all[0].text, 'path');
  assert.match(all[0].message, /pathType is required in networking.k8s.io\/v1; add `pathType: Prefix`/);
  const re = diagnoseRule(ingress(`
    - path: /api/(.*)${backend}
  `), 'ingress-path-type');
  assert.match(re[0].message, /pathType: ImplementationSpecific/);
});

test('ingress-path: relative and invalid Prefix paths', () => {
  const p = diagnoseRule(ingress(`
    - path: api
      pathType: Prefix${backend}
    - path: /a//b
      pathType: Exact${backend}
    - path: /tf(/|$)(.*)
      pathType: Prefix${backend}
    - path: /tf(/|$)(.*)
      pathType: ImplementationSpecific${backend}
  `), 'ingress-path');
  assert.deepEqual(p.map((x) => [x.text, x.severity]), [['api', 'error'], ['/a//b', 'error'], ['/tf(/|$)(.*)', 'warning']]);
  assert.match(p[0].message, /must start with "\/": write "\/api"/);
  assert.match(p[1].message, /must not contain "\/\/"/);
  assert.match(p[2].message, /looks like a regular expression.*ImplementationSpecific/);
});

test('ingress-backend: both service and resource, port name and number, no rules', () => {
  const p = diagnoseRule(ingress(`
    - path: /
      pathType: Prefix
      backend:
        service:
          name: web
          port:
            name: http
            number: 80
        resource:
          kind: Bucket
          name: b
  `), 'ingress-backend');
  assert.deepEqual(p.map((x) => x.text), ['number', 'resource']);
  assert.match(p[0].message, /name or number, not both/);
  assert.match(p[1].message, /service or resource, not both/);
  const empty = diagnoseRule('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n  ingressClassName: nginx\n', 'ingress-backend');
  assert.equal(empty[0].text, 'spec');
  assert.match(empty[0].message, /needs spec.rules or spec.defaultBackend/);
});
