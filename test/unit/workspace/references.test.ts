import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, settings, workspace } from '../../helpers';

const secret = dedent(`
  apiVersion: v1
  kind: Secret
  metadata:
    name: db
  stringData:
    password: s3cret
    user: app
`);

const configMap = dedent(`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    LOG_LEVEL: info
`);

/** A Deployment whose container has the given env items (written at column 0, re-indented here). */
const deploy = (env: string, extra = '') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      serviceAccountName: web',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '        ports:',
    '        - name: http',
    '          containerPort: 8080',
    ...(env.trim() ? ['        env:', ...dedent(env).trimEnd().split('\n').map((l) => '        ' + l)] : []),
    ...(extra ? [extra] : []),
    '',
  ].join('\n');

const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n';

test('reference-missing-key: a key the Secret does not have, with "did you mean"', () => {
  const ws = workspace({
    'secret.yaml': secret,
    'sa.yaml': sa,
    'deploy.yaml': deploy(`
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: passwrd`),
  });
  const problems = ws.diagnose('deploy.yaml').filter((p) => p.code.startsWith('reference'));
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].code, 'reference-missing-key');
  assert.equal(problems[0].severity, 'warning');
  assert.equal(problems[0].text, 'passwrd');
  assert.match(problems[0].message, /Secret "db" \(ws\/secret\.yaml\) has no key "passwrd"; did you mean "password"\?/);
  assert.match(problems[0].message, /Its keys: password, user/);
  const raw = ws.ls.validate(ws.file('deploy.yaml'), settings()).find((p) => p.code === 'reference-missing-key');
  assert.deepEqual(raw?.data, { suggestion: 'password', kind: 'Secret', name: 'db' });
});

test('reference-missing-key: an existing key (data or stringData) is fine', () => {
  const ws = workspace({
    'secret.yaml': secret.replace('stringData:\n  password: s3cret', 'data:\n  password: czNjcmV0\nstringData:'),
    'sa.yaml': sa,
    'deploy.yaml': deploy(`
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password
        - name: DB_USER
          valueFrom:
            secretKeyRef:
              name: db
              key: user`),
  });
  assert.deepEqual(ws.diagnose('deploy.yaml'), []);
});

test('reference-not-found: information by default, severity from kubeManifests.references.severity, optional never reported', () => {
  const files = {
    'sa.yaml': sa,
    'deploy.yaml': deploy(`
        - name: A
          valueFrom:
            secretKeyRef:
              name: missing-secret
              key: x
        - name: B
          valueFrom:
            configMapKeyRef:
              name: optional-cm
              key: level
              optional: true`),
  };
  const ws = workspace(files);
  const problems = ws.diagnose('deploy.yaml');
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].code, 'reference-not-found');
  assert.equal(problems[0].severity, 'information');
  assert.equal(problems[0].text, 'missing-secret');
  assert.match(problems[0].message, /No file of the workspace defines Secret "missing-secret" \(secretKeyRef\)/);
  assert.match(problems[0].message, /Pods would not start until it exists/);
  assert.match(problems[0].message, /external:/);
  assert.equal(ws.diagnose('deploy.yaml', { references: { severity: 'error' } })[0].severity, 'error');
  assert.deepEqual(ws.diagnose('deploy.yaml', { references: { severity: 'off' } }), []);
  ws.index.external = ['Secret/missing-secret'];
  assert.deepEqual(ws.diagnose('deploy.yaml'), [], 'declared external');
});

test('reference-not-found: ServiceAccount, Role and ConfigMap volume; the default ServiceAccount and built-in ClusterRoles are always there', () => {
  const ws = workspace({
    'deploy.yaml': deploy('', '').replace('serviceAccountName: web', 'serviceAccountName: bakend'),
    'sa.yaml': sa.replace('name: web', 'name: backend'),
    'rb.yaml': dedent(`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: a
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: reader
      subjects:
      - kind: ServiceAccount
        name: backend
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: b
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: view
      subjects:
      - kind: ServiceAccount
        name: default
    `),
  });
  const d = ws.diagnose('deploy.yaml').filter((p) => p.code === 'reference-not-found');
  assert.equal(d.length, 1);
  assert.equal(d[0].text, 'bakend');
  assert.match(d[0].message, /ServiceAccount "bakend".*Did you mean "backend"\?/);
  assert.match(d[0].message, /The API server rejects pods that name a missing ServiceAccount/);
  const rb = ws.diagnose('rb.yaml').filter((p) => p.code === 'reference-not-found');
  assert.deepEqual(rb.map((p) => p.text), ['reader']);
});

test('service-selector-no-match names the label that failed and the closest workload', () => {
  const ws = workspace({
    'deploy.yaml': deploy(''),
    'sa.yaml': sa,
    'svc.yaml': dedent(`
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector:
          app: web-frontend
        ports:
        - port: 80
          targetPort: http
    `),
  });
  const d = ws.diagnose('svc.yaml');
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].code, 'service-selector-no-match');
  assert.equal(d[0].severity, 'warning');
  assert.equal(d[0].text, 'app: web-frontend');
  assert.match(d[0].message, /no workload of the workspace has the pod label app: web-frontend/);
  assert.match(d[0].message, /closest is Deployment web \(ws\/deploy\.yaml\): its pods have app: web/);
  ws.write('svc.yaml', ws.file('svc.yaml').text.replace('web-frontend', 'web'));
  assert.deepEqual(ws.diagnose('svc.yaml'), []);
});

test('a Service with no workload to compare with stays quiet', () => {
  const ws = workspace({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  selector:\n    app: x\n  ports:\n  - port: 80\n' });
  assert.deepEqual(ws.diagnose('svc.yaml'), []);
});

test('deployment-selector-overlap: two Deployments in one folder and namespace; never for variants of the same object', () => {
  const other = deploy('').replace('name: web\nspec', 'name: web-canary\nspec');
  const ws = workspace({ 'sa.yaml': sa, 'a.yaml': deploy(''), 'b.yaml': other, 'overlays/prod/a.yaml': deploy('') });
  const d = ws.diagnose('a.yaml').filter((p) => p.code === 'deployment-selector-overlap');
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].text, 'app: web');
  assert.match(d[0].message, /Deployment web overlaps Deployment web-canary \(ws\/b\.yaml\)/);
  // the same Deployment twice (a variant in another folder, or the same folder): no conflict
  const variants = workspace({ 'sa.yaml': sa, 'a.yaml': deploy(''), 'all.yaml': deploy('') });
  assert.deepEqual(variants.diagnose('a.yaml'), []);
  // a selector that includes the other's labels still overlaps: b's pods match a's {app: web}
  const withTrack = (name: string, track: string) =>
    deploy('')
      .replace('name: web\nspec', `name: ${name}\nspec`)
      .replace('    matchLabels:\n      app: web\n', `    matchLabels:\n      app: web\n      track: ${track}\n`)
      .replace('      labels:\n        app: web\n', `      labels:\n        app: web\n        track: ${track}\n`);
  const sub = workspace({ 'sa.yaml': sa, 'a.yaml': deploy(''), 'b.yaml': withTrack('web-canary', 'canary') });
  assert.equal(sub.diagnose('b.yaml').filter((p) => p.code === 'deployment-selector-overlap').length, 1);
  // selectors that differ in a value never match the same pod: fine
  const apart = workspace({ 'sa.yaml': sa, 'a.yaml': withTrack('web-stable', 'stable'), 'b.yaml': withTrack('web-canary', 'canary') });
  assert.deepEqual(apart.diagnose('a.yaml').filter((p) => p.code === 'deployment-selector-overlap'), []);
});

test('kustomize secretGenerator and configMapGenerator define names and keys', () => {
  const ws = workspace({
    'sa.yaml': sa,
    'kustomization.yaml': 'secretGenerator:\n- name: db\n  literals:\n  - password=x\n',
    'deploy.yaml': deploy(`
        - name: A
          valueFrom:
            secretKeyRef:
              name: db
              key: pasword`),
  });
  const d = ws.diagnose('deploy.yaml');
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'reference-missing-key');
  assert.match(d[0].message, /did you mean "password"/);
});

test('without an enabled workspace nothing cross-file is reported', () => {
  const ws = workspace({ 'deploy.yaml': deploy('') });
  ws.index.enabled = false;
  assert.deepEqual(ws.diagnose('deploy.yaml'), []);
});

test('a suppression comment silences a cross-file problem', () => {
  const ws = workspace({
    'deploy.yaml': deploy('').replace('serviceAccountName: web', '# kube-manifests-ignore reference-not-found\n      serviceAccountName: nope'),
  });
  assert.deepEqual(ws.diagnose('deploy.yaml').filter((p) => p.code === 'reference-not-found'), []);
});

test('Secrets made by controllers (cert-manager Certificate, SealedSecret, ExternalSecret) count as defined, with their keys', () => {
  const crs = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA==
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: api
spec:
  target:
    name: api-keys
  data:
  - secretKey: token
    remoteRef: {key: prod/api}
`;
  const ws = workspace({
    'sa.yaml': sa,
    'crs.yaml': crs,
    'deploy.yaml': deploy(`
        - name: A
          valueFrom:
            secretKeyRef:
              name: db
              key: password
        - name: B
          valueFrom:
            secretKeyRef:
              name: api-keys
              key: tokn`, '      volumes:\n      - name: tls\n        secret:\n          secretName: web-tls\n          items:\n          - key: tls.crt\n            path: tls.crt'),
  });
  const d = ws.diagnose('deploy.yaml').filter((p) => p.code.startsWith('reference'));
  assert.deepEqual(d.map((p) => `${p.code} ${p.text}`), ['reference-missing-key tokn']);
  assert.match(d[0].message, /did you mean "token"/);
  const f = ws.file('deploy.yaml');
  const h = ws.ls.hover(f, f.text.indexOf('web-tls') + 2, settings())?.contents ?? '';
  assert.match(h, /Secret `web-tls` is defined in `ws\/crs\.yaml` \(made by Certificate web\)/);
});

test('reference-not-found: an Ingress backend naming a Service that no file defines, with the closest name', () => {
  const ws = workspace({
    'svc.yaml': dedent(`
      apiVersion: v1
      kind: Service
      metadata:
        name: shop
      spec:
        selector:
          app: shop
        ports:
        - port: 80
    `),
    'ing.yaml': dedent(`
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: shop
      spec:
        rules:
        - http:
            paths:
            - path: /
              pathType: Prefix
              backend:
                service:
                  name: shpo
                  port:
                    number: 80
            - path: /api
              pathType: Prefix
              backend:
                service:
                  name: shop
                  port:
                    number: 80
    `),
  });
  const d = ws.diagnose('ing.yaml').filter((p) => p.code === 'reference-not-found');
  assert.deepEqual(d.map((p) => p.text), ['shpo']);
  assert.equal(d[0].severity, 'information');
  assert.equal(d[0].message, 'No file of the workspace defines Service "shpo" (Ingress backend). Did you mean "shop"? The ingress controller answers 503 for this path until it exists. If it is created outside this repository, declare it in `external:` of .kube-manifests.yaml.');
});
