import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, settings, workspace } from '../../helpers';

const crds = fs.readFileSync(path.join(ROOT, 'test/unit/workspace/fixtures/prometheus-operator-crds.yaml'), 'utf8');

const resources = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: monitoring
  labels:
    release: prometheus
spec:
  jobLabel: app.kubernetes.io/name
  selector:
    matchLabels:
      app: web
    matchExpressions:
    - key: tier
      operator: In
      values: [frontend, backend]
  namespaceSelector:
    matchNames:
    - default
  endpoints:
  - port: http-metrics
    path: /metrics
    interval: 30s
    scrapeTimeout: 10s
    scheme: https
    targetPort: 9102
    honorLabels: true
    tlsConfig:
      insecureSkipVerify: false
      serverName: web.default.svc
    bearerTokenSecret:
      name: web-token
      key: token
    params:
      module: [http_2xx]
    metricRelabelings:
    - sourceLabels: [__name__]
      regex: go_.*
      action: drop
  - targetPort: metrics
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: web-rules
  namespace: monitoring
spec:
  groups:
  - name: web.rules
    interval: 1m
    rules:
    - alert: WebDown
      expr: up{job="web"} == 0
      for: 5m
      labels:
        severity: critical
      annotations:
        summary: "{{ $labels.instance }} is down"
        description: |
          The web job has been down for 5 minutes.
    - record: job:http_requests:rate5m
      expr: sum by (job) (rate(http_requests_total[5m]))
    - alert: AlwaysFiring
      expr: 1
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: main
  namespace: monitoring
spec:
  replicas: 2
  version: v2.54.1
  serviceAccountName: prometheus
  retention: 15d
  enableAdminAPI: false
  externalLabels:
    cluster: prod
  podMetadata:
    labels:
      team: sre
  serviceMonitorSelector:
    matchLabels:
      release: prometheus
  serviceMonitorNamespaceSelector: {}
  ruleSelector:
    matchLabels:
      release: prometheus
  resources:
    requests:
      cpu: 500m
      memory: 2Gi
    limits:
      memory: 4Gi
  securityContext:
    fsGroup: 2000
    runAsNonRoot: true
    runAsUser: 1000
  alerting:
    alertmanagers:
    - namespace: monitoring
      name: alertmanager-main
      port: web
  containers:
  - name: config-reloader
    resources:
      limits:
        cpu: 50m
    anythingGoes: true
  storage:
    volumeClaimTemplate:
      spec:
        storageClassName: ssd
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 40Gi
---
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata:
  name: main
  namespace: monitoring
spec:
  replicas: 3
  externalUrl: https://alerts.example.com
  logLevel: info
  configSecret: alertmanager-main
  alertmanagerConfigSelector: null
  web:
    httpConfig:
      http2: true
`;

test('prometheus-operator CRDs in the workspace: their resources have zero false problems', () => {
  const ws = workspace({ 'crds/prometheus-operator.yaml': crds, 'monitoring.yaml': resources });
  const problems = ws.diagnose('monitoring.yaml').filter((p) => p.severity === 'error' || p.severity === 'warning');
  assert.deepEqual(problems, []);
  // also with the PrometheusRule checked (a section holding {{ }} is treated as a template and not checked)
  ws.write('untemplated.yaml', resources.replace('{{ $labels.instance }} is down', 'an instance is down'));
  assert.deepEqual(ws.diagnose('untemplated.yaml').filter((p) => p.severity === 'error' || p.severity === 'warning'), []);
  assert.deepEqual(ws.diagnose('crds/prometheus-operator.yaml').filter((p) => p.severity === 'error'), [], 'the CRDs themselves are valid');
});

test('with the CRDs, custom resources get schema diagnostics: unknown fields, types, enums, required', () => {
  const ws = workspace({
    'crds.yaml': crds,
    'bad.yaml': resources
      .replace('{{ $labels.instance }} is down', 'an instance is down') // a section with {{ }} is treated as a template and left alone
      .replace('    interval: 30s', '    intervall: 30s')
      .replace('  replicas: 2\n  version', '  replicas: two\n  version')
      .replace('    scheme: https', '    scheme: ftp')
      .replace('    - record: job:http_requests:rate5m\n      expr: sum by (job) (rate(http_requests_total[5m]))', '    - record: job:http_requests:rate5m'),
  });
  const shown = ws.diagnose('bad.yaml').filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.text}`);
  assert.deepEqual(shown.sort(), ['invalid-enum ftp', 'invalid-type two', 'missing-required record', 'unknown-field intervall'].sort());
  const unknown = ws.diagnose('bad.yaml').find((p) => p.code === 'unknown-field')!;
  assert.match(unknown.message, /did you mean "interval"\?/);
});

test('int-or-string, preserve-unknown-fields, nullable and additionalProperties are honoured', () => {
  const ws = workspace({
    'crds.yaml': crds,
    'ok.yaml': `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata:
  name: a
spec:
  alertmanagerConfigSelector: null
  web:
    anything: {nested: [1, 2]}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: p
spec:
  resources:
    requests:
      cpu: 1
      memory: 1Gi
  alerting:
    alertmanagers:
    - name: am
      port: 9093
    - name: am2
      port: web
  externalLabels:
    anyKey: anyValue
`,
  });
  assert.deepEqual(ws.diagnose('ok.yaml').filter((p) => p.severity === 'error'), []);
});

test('completion and hover on a custom resource come from its CRD', () => {
  const ws = workspace({ 'crds.yaml': crds, 'sm.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  endpoints:\n  - $0\n' });
  const items = ws.ls.complete(ws.file('sm.yaml'), ws.cursor('sm.yaml'), settings()).map((i) => i.label);
  assert.ok(items.includes('interval') && items.includes('targetPort') && items.includes('metricRelabelings'), items.join(','));
  const text = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  jobLab$0el: app\n';
  ws.write('sm.yaml', text);
  const h = ws.ls.hover(ws.file('sm.yaml'), ws.cursor('sm.yaml'), settings())?.contents ?? '';
  assert.match(h, /\*\*jobLabel\*\*: string/);
});

test('without the CRD a custom resource stays quiet; removing the CRD makes it quiet again', () => {
  const bad = resources.replace('    interval: 30s', '    intervall: 30s');
  const without = workspace({ 'monitoring.yaml': bad });
  assert.deepEqual(without.diagnose('monitoring.yaml').filter((p) => p.severity === 'error'), []);
  const ws = workspace({ 'crds.yaml': crds, 'monitoring.yaml': bad });
  assert.equal(ws.diagnose('monitoring.yaml').filter((p) => p.code === 'unknown-field').length, 1);
  ws.index.delete(ws.uri('crds.yaml'));
  assert.deepEqual(ws.diagnose('monitoring.yaml').filter((p) => p.severity === 'error'), [], 'the per-section cache does not outlive the CRD');
});
