import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, deploymentYaml, diagnose, diagnoseRule } from '../helpers';

const deployment = (containerExtra: string) => deploymentYaml({ container: containerExtra });

test('a valid Deployment has no problems', () => {
  assert.deepEqual(diagnose(deployment('')), []);
});

for (const [typo, fix] of [['prots', 'ports'], ['imagePUllPolicy', 'imagePullPolicy'], ['containerPort', undefined]] as const) {
  test(`unknown field ${typo} says did you mean ${fix}`, () => {
    const p = diagnoseRule(deployment(`  ${typo}: 1`), 'unknown-field');
    if (fix) {
      assert.equal(p.length, 1);
      assert.equal(p[0].text, typo);
      assert.match(p[0].message, new RegExp(`did you mean "${fix}"`));
      assert.equal(p[0].severity, 'error');
    } else {
      // containerPort lives under ports[]: the message says where it belongs
      assert.match(p[0].message, /belongs under spec\.template\.spec\.containers\[\]\.ports\[\]/);
    }
  });
}

test('initalDelaySeconds in a probe suggests initialDelaySeconds', () => {
  const p = diagnoseRule(deployment('  livenessProbe:\n    initalDelaySeconds: 5\n    httpGet:\n      port: 80'), 'unknown-field');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /did you mean "initialDelaySeconds"/);
});

test('conatiners in a pod spec suggests containers', () => {
  const text = deployment('').replace('containers:', 'conatiners:');
  const p = diagnoseRule(text, 'unknown-field');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /did you mean "containers"/);
  assert.equal(diagnoseRule(text, 'missing-required').length, 0, 'the missing containers follows from the typo: not a second problem');
});

test('containers directly under a CronJob jobTemplate.spec belongs under template.spec', () => {
  const p = diagnoseRule(dedent(`
    apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: c
    spec:
      schedule: "* * * * *"
      jobTemplate:
        spec:
          containers:
          - name: x
            image: busybox
  `), 'unknown-field');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'containers');
  assert.match(p[0].message, /belongs under spec\.jobTemplate\.spec\.template\.spec/);
});

test('name at the top level of a Secret belongs under metadata', () => {
  const p = diagnoseRule('apiVersion: v1\nkind: Secret\nname: db\n', 'unknown-field');
  assert.equal(p.length, 1);
  assert.equal(p[0].at, '3:1');
  assert.match(p[0].message, /belongs under metadata/);
});

test('wrong type: completions: "3" is a string', () => {
  const p = diagnoseRule(dedent(`
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: j
    spec:
      completions: "3"
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: x
            image: busybox
  `), 'invalid-type');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '"3"');
  assert.match(p[0].message, /remove the quotes/);
});

test('an env value that YAML reads as a number or a YAML 1.1 boolean must be quoted', () => {
  const p = diagnoseRule(deployment('  env:\n  - name: PORT\n    value: 8080\n  - name: DEBUG\n    value: yes'), 'invalid-type');
  assert.equal(p.length, 2);
  assert.match(p[0].message, /Quote it: "8080"/);
  assert.match(p[1].message, /YAML 1\.1.*reads yes as true/);
});

test('octal 0644 is a number in YAML 1.1, as the API server reads it', () => {
  const text = deployment('').replace('      containers:', '      volumes:\n      - name: s\n        secret:\n          secretName: s\n          defaultMode: 0644\n      containers:');
  assert.deepEqual(diagnose(text), []);
});

test('invalid enum lists the valid values', () => {
  const p = diagnoseRule(deployment('  imagePullPolicy: always'), 'invalid-enum');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'always');
  assert.match(p[0].message, /one of Always, IfNotPresent, Never \(did you mean Always\?\)/);
});

test('missing required field sits on the parent key', () => {
  const text = deployment('').replace(/- name: web\n(\s*)image/, '- image');
  assert.ok(!text.includes('name: web\n    '), text);
  const p = diagnoseRule(text, 'missing-required');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'image', 'on the first key of the list item');
  assert.match(p[0].message, /required field `name`/);
});

test('ClusterRoleBinding with apiVersion v1 names the right apiVersion', () => {
  const p = diagnoseRule('apiVersion: v1\nkind: ClusterRoleBinding\nmetadata:\n  name: x\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n', 'wrong-api-version');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'v1');
  assert.match(p[0].message, /use `apiVersion: rbac\.authorization\.k8s\.io\/v1`/);
});

test('a misspelled kind in a built-in group says did you mean', () => {
  const p = diagnoseRule('apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n', 'wrong-api-version');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /did you mean Deployment/);
});

test('removed apiVersion is an error naming the replacement and the release; deprecated is a warning', () => {
  const ingress = 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: x\n';
  const removed = diagnoseRule(ingress, 'removed-api-version');
  assert.equal(removed.length, 1);
  assert.equal(removed[0].severity, 'error');
  assert.match(removed[0].message, /since Kubernetes 1\.22.*networking\.k8s\.io\/v1/);
  const cron = 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: x\n';
  assert.equal(diagnoseRule(cron, 'removed-api-version').length, 1);
  const old = diagnose(cron, { kubernetesVersion: '1.22' }).filter((p) => p.code === 'deprecated-api-version');
  assert.equal(old.length, 1);
  assert.equal(old[0].severity, 'warning');
  assert.equal(diagnose(cron, { kubernetesVersion: '1.20' }).filter((p) => /api-version/.test(p.code)).length, 0);
});

test('custom resources and non-Kubernetes YAML get no problems', () => {
  assert.deepEqual(diagnose('apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  anything: [1, 2]\n'), []);
  const workflow = 'name: CI\non:\n  push:\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - run: npm test\n';
  assert.deepEqual(diagnose(workflow), []);
  assert.deepEqual(diagnose('services:\n  web:\n    image: nginx\n    ports: ["80:80"\n'), [], 'even broken compose files stay quiet');
  assert.deepEqual(diagnose('apiVersion: v2\nname: mychart\nversion: 0.1.0\n', {}, 'file:///chart/Chart.yaml'), []);
});

test('# kube-manifests: off at the top turns checking off', () => {
  assert.deepEqual(diagnose('# kube-manifests: off\napiVersion: v1\nkind: Secret\nname: x\n'), []);
});

test('Helm templates get no errors from template expressions', () => {
  const tpl = dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {{ include "app.fullname" . }}
    spec:
      replicas: {{ .Values.replicaCount }}
      template:
        spec:
          containers:
          - name: app
            {{- with .Values.resources }}
            resources:
              {{- toYaml . | nindent 12 }}
            {{- end }}
  `);
  assert.deepEqual(diagnose(tpl, {}, 'file:///chart/templates/deployment.yaml'), []);
});

test('duplicate keys are an error on the second key', () => {
  const p = diagnoseRule('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n', 'duplicate-key');
  assert.equal(p.length, 1);
  assert.equal(p[0].at, '5:3');
  assert.match(p[0].message, /"name" appears twice/);
});

test('a secretKeyRef indented under - name: X says where the mapping broke', () => {
  const text = deployment('  env:\n  - name: DB_URL\n      secretKeyRef:\n        name: db\n        key: url');
  const p = diagnose(text);
  assert.equal(p.length, 1, JSON.stringify(p));
  assert.equal(p[0].code, 'syntax-error');
  assert.equal(p[0].text, 'secretKeyRef:');
  assert.match(p[0].message, /`secretKeyRef:` is indented under `name: DB_URL`.*valueFrom/);
});

test('each --- document is checked against its own kind, positions exact', () => {
  const text = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndta:\n  x: y\n';
  const p = diagnose(text);
  assert.equal(p.length, 1);
  assert.equal(p[0].at, '10:1');
  assert.match(p[0].message, /did you mean "data"/);
});

test('items of a kind: List are checked as objects', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  dta:\n    x: y\n';
  const p = diagnose(text);
  assert.equal(p.length, 1);
  assert.match(p[0].message, /did you mean "data"/);
});

test('rule severity can be changed or turned off in settings', () => {
  const text = deployment('  prots: []');
  assert.equal(diagnose(text, { rules: { 'unknown-field': 'off' } }).length, 0);
  assert.equal(diagnose(text, { rules: { 'unknown-field': 'warning' } })[0].severity, 'warning');
});

test('a line comment suppresses a rule, and an unused one gets a hint', () => {
  const text = deployment('  # kube-manifests-ignore unknown-field\n  prots: []');
  assert.deepEqual(diagnose(text), []);
  const unused = diagnose(deployment('  # kube-manifests-ignore unknown-field\n  ports: []'));
  assert.equal(unused.length, 1);
  assert.equal(unused[0].code, 'unused-suppression');
  assert.equal(unused[0].severity, 'hint');
});

test('the kube-manifests.io/ignore annotation suppresses rules for the object', () => {
  const text = deployment('  prots: []').replace('  name: web\nspec', '  name: web\n  annotations:\n    kube-manifests.io/ignore: "unknown-field"\nspec');
  assert.deepEqual(diagnose(text), []);
});

test('alert text with {{ $labels }} in a string is not a Helm template: the object is still checked', () => {
  const rule = dedent(`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: alerts
      annotations:
        description: "{{ $labels.instance }} is down"
    dta:
      a: b
  `);
  const p = diagnoseRule(rule, 'unknown-field');
  assert.equal(p.length, 1);
  const helm = rule.replace('name: alerts', 'name: {{ .Release.Name }}-alerts');
  assert.deepEqual(diagnose(helm), [], 'a Helm expression still silences the section');
});

test('kube-linter ignore annotations silence the rule they map to, on the object or its pod template', () => {
  const rbac = dedent(`
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: everything
    rules:
    - apiGroups: [""]
      resources: ["*"]
      verbs: ["get"]
  `);
  assert.equal(diagnoseRule(rbac, 'rbac-wildcard').length, 1);
  const ignored = rbac.replace('  name: everything', '  name: everything\n  annotations:\n    ignore-check.kube-linter.io/wildcard-in-rules: "needed by the adapter"');
  assert.deepEqual(diagnoseRule(ignored, 'rbac-wildcard'), []);
  // an annotation for a check we do not map stays silent (it is kube-linter's business)
  const other = rbac.replace('  name: everything', '  name: everything\n  annotations:\n    ignore-check.kube-linter.io/unset-cpu-requirements: "x"');
  assert.equal(diagnoseRule(other, 'rbac-wildcard').length, 1);
  assert.deepEqual(diagnoseRule(other, 'unused-suppression'), []);
});

test('the ignore annotation on a pod template covers the template only', () => {
  const dep = (tplAnnotation: string) => dedent(`
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
  `) + tplAnnotation + dedent(`
    ~~spec:
    ~~  containers:
    ~~  - name: web
    ~~    image: nginx
    ~~    prots: []
  `).replace(/~~/g, '    ');
  assert.equal(diagnoseRule(dep(''), 'unknown-field').length, 1);
  assert.deepEqual(diagnoseRule(dep('      annotations:\n        kube-manifests.io/ignore: unknown-field\n'), 'unknown-field'), []);
});

test('an enum that also allows "" does not list an empty value in the message', () => {
  const p = diagnoseRule('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ipFamilies: [IPv5]\n  ports:\n  - port: 80\n', 'invalid-enum');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /use one of IPv4, IPv6/);
});

test('an unquoted date or timestamp in a string field is a string, as the API server decodes it (no invalid-type)', () => {
  const text = dedent(`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: dates
      annotations:
        built: 2024-01-02T03:04:05Z
    data:
      day: 2024-01-02
      count: 2024-01-02 10:00:00
  `);
  assert.deepEqual(diagnose(text).map((p) => `${p.code} ${p.message}`), []);
  // where a number is wanted, the date is still a string: the error names a string, not "a map of fields"
  const job = diagnoseRule(dedent(`
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: j
    spec:
      completions: 2024-01-02
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
  `), 'invalid-type');
  assert.equal(job.length, 1);
  assert.match(job[0].message, /not a string/);
});

test('an unquoted timestamp as a label value is checked as the string the API server sees', () => {
  const text = dedent(`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: dates
      labels:
        day: 2024-01-02
        built: 2024-01-02T03:04:05Z
  `);
  const p = diagnose(text);
  assert.deepEqual(p.map((x) => `${x.code} ${x.text}`), ['invalid-label 2024-01-02T03:04:05Z'], 'the date is a valid label value; the timestamp has colons');
});
