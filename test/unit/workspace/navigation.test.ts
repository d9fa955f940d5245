import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, settings, workspace } from '../../helpers';

const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: x\n  user: app\n';
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n';
const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: worker\n  namespace: jobs\n';

const deployment = (name: string, color: string | undefined, pod: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web${color ? `\n      color: ${color}` : ''}
  template:
    metadata:
      labels:
        app: web${color ? `\n        color: ${color}` : ''}
    spec:
${pod}`;

const pod = `      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 8080
`;

function labels(items: Array<{ label: string }>): string[] {
  return items.map((i) => i.label).sort();
}

function completeAt(files: Record<string, string>, name: string) {
  const ws = workspace(files);
  return ws.ls.complete(ws.file(name), ws.cursor(name), settings());
}

test('completion: Secret names for secretKeyRef.name, then its keys for key', () => {
  const env = (name: string, key: string) => `      containers:
      - name: web
        image: nginx
        env:
        - name: A
          valueFrom:
            secretKeyRef:
              name: ${name}
              key: ${key}
`;
  const names = completeAt({ 's.yaml': secret, 'c.yaml': configMap, 'd.yaml': deployment('web', undefined, env('$0', '')) }, 'd.yaml');
  assert.deepEqual(labels(names), ['db']);
  assert.match(names[0].detail ?? '', /Secret in ws\/s\.yaml/);
  assert.match(names[0].documentation ?? '', /`password`, `user`/);
  const keys = completeAt({ 's.yaml': secret, 'd.yaml': deployment('web', undefined, env('db', 'pa$0')) }, 'd.yaml');
  assert.deepEqual(labels(keys), ['password', 'user']);
});

test('completion: ConfigMaps for envFrom and volumes, keys of volume items, ServiceAccounts of the namespace', () => {
  const envFrom = completeAt({ 's.yaml': secret, 'c.yaml': configMap, 'd.yaml': deployment('web', undefined, '      containers:\n      - name: web\n        envFrom:\n        - configMapRef:\n            name: $0\n') }, 'd.yaml');
  assert.deepEqual(labels(envFrom), ['settings']);
  const secretVol = completeAt({ 's.yaml': secret, 'c.yaml': configMap, 'd.yaml': deployment('web', undefined, '      volumes:\n      - name: v\n        secret:\n          secretName: $0\n') }, 'd.yaml');
  assert.deepEqual(labels(secretVol), ['db']);
  const items = completeAt({ 's.yaml': secret, 'd.yaml': deployment('web', undefined, '      volumes:\n      - name: v\n        secret:\n          secretName: db\n          items:\n          - key: $0\n') }, 'd.yaml');
  assert.deepEqual(labels(items), ['password', 'user']);
  const sas = completeAt({ 'sa.yaml': sa, 'd.yaml': deployment('web', undefined, '      serviceAccountName: $0\n') }, 'd.yaml');
  assert.deepEqual(labels(sas), ['web'], 'the ServiceAccount of namespace jobs is not offered');
});

test('completion: roleRef.name per roleRef.kind, subject names, Ingress backends and ports, named targetPort', () => {
  const roles = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cluster-reader\n';
  const rb = (kind: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ${kind}\n  name: $0\n`;
  assert.deepEqual(labels(completeAt({ 'r.yaml': roles, 'b.yaml': rb('Role') }, 'b.yaml')), ['reader']);
  assert.deepEqual(labels(completeAt({ 'r.yaml': roles, 'b.yaml': rb('ClusterRole') }, 'b.yaml')), ['cluster-reader']);
  const subj = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nsubjects:\n- kind: ServiceAccount\n  name: $0\n';
  assert.deepEqual(labels(completeAt({ 'sa.yaml': sa, 'b.yaml': subj }, 'b.yaml')), ['web']);
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n  - name: metrics\n    port: 9090\n';
  const ing = (backend: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n${backend}`;
  assert.deepEqual(labels(completeAt({ 'svc.yaml': svc, 'i.yaml': ing('          service:\n            name: $0\n') }, 'i.yaml')), ['web']);
  assert.deepEqual(labels(completeAt({ 'svc.yaml': svc, 'i.yaml': ing('          service:\n            name: web\n            port:\n              name: $0\n') }, 'i.yaml')), ['http', 'metrics']);
  assert.deepEqual(labels(completeAt({ 'svc.yaml': svc, 'i.yaml': ing('          service:\n            name: web\n            port:\n              number: $0\n') }, 'i.yaml')), ['80', '9090']);
  const target = completeAt({ 'd.yaml': deployment('web', undefined, pod), 'svc.yaml': svc.replace('targetPort: http', 'targetPort: $0') }, 'svc.yaml');
  assert.ok(labels(target).includes('http'), JSON.stringify(labels(target)));
  const probe = completeAt({ 'd.yaml': deployment('web', undefined, pod + '        readinessProbe:\n          httpGet:\n            path: /\n            port: $0\n') }, 'd.yaml');
  assert.deepEqual(labels(probe), ['http']);
});

test('completion: Service selector keys and values from the pod templates of the namespace', () => {
  const svc = (sel: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n${sel}`;
  const keys = completeAt({ 'd.yaml': deployment('web-blue', 'blue', pod), 'svc.yaml': svc('    $0\n') }, 'svc.yaml');
  assert.deepEqual(labels(keys.filter((k) => k.kind === 'property')), ['app', 'color']);
  const values = completeAt({ 'b.yaml': deployment('web-blue', 'blue', pod), 'g.yaml': deployment('web-green', 'green', pod), 'svc.yaml': svc('    app: web\n    color: $0\n') }, 'svc.yaml');
  assert.deepEqual(labels(values), ['blue', 'green']);
  assert.match(values.find((v) => v.label === 'green')!.detail ?? '', /pods of Deployment web-green/);
});

test('definition: a Service selector label goes to the pod labels it selects; references of a key', () => {
  const ws = workspace({
    'd.yaml': deployment('web', undefined, pod),
    'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: w$0eb\n  ports:\n  - port: 80\n',
    's.yaml': secret,
    'u.yaml': deployment('user', undefined, '      containers:\n      - name: u\n        env:\n        - name: P\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n').replace(/app: web/g, 'app: user'),
  });
  const defs = ws.ls.definition(ws.file('svc.yaml'), ws.cursor('svc.yaml'));
  assert.equal(defs.length, 1);
  const d = ws.file('d.yaml');
  assert.equal(defs[0].uri, ws.uri('d.yaml'));
  assert.equal(d.text.slice(defs[0].start, defs[0].end), 'app: web');
  assert.ok(defs[0].start > d.text.indexOf('template:'), 'the pod template label, not the Deployment selector');
  // references of the Secret key from its declaration
  const s = ws.file('s.yaml');
  const refs = ws.ls.references(s, s.text.indexOf('password'), true);
  assert.deepEqual(refs.map((r) => `${r.uri.slice(-6)}:${ws.file(r.uri.slice(11)).text.slice(r.start, r.end)}`), ['s.yaml:password', 'u.yaml:password']);
});

test('rename a Secret across files: declaration, secretKeyRef, envFrom and volumes; quotes are kept', () => {
  const ws = workspace({
    's.yaml': secret,
    'd.yaml': deployment('web', undefined, `      volumes:\n      - name: v\n        secret:\n          secretName: "db"\n      containers:\n      - name: web\n        envFrom:\n        - secretRef:\n            name: db\n        env:\n        - name: A\n          valueFrom:\n            secretKeyRef:\n              name: d$0b\n              key: user\n`),
  });
  const r = ws.ls.rename(ws.file('d.yaml'), ws.cursor('d.yaml'), 'database', (uri) => ws.file(uri.slice(11)).text);
  assert.ok(!('error' in r));
  const out = Object.fromEntries(Object.entries(r.edits).map(([uri, edits]) => [uri.slice(11), applyEdits(ws.file(uri.slice(11)).text, edits)]));
  assert.match(out['s.yaml'], /name: database/);
  assert.match(out['d.yaml'], /secretName: "database"/);
  assert.match(out['d.yaml'], /secretRef:\n {12}name: database/);
  assert.match(out['d.yaml'], /secretKeyRef:\n {14}name: database/);
  assert.doesNotMatch(out['d.yaml'], /\bdb\b/);
});

test('rename a label value renames the selectors and pod labels that use it, nothing else', () => {
  const ws = workspace({
    'd.yaml': deployment('web', undefined, pod),
    'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: w$0eb\n',
    'other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    'another-app/d.yaml': deployment('web', undefined, pod),
  });
  const r = ws.ls.rename(ws.file('svc.yaml'), ws.cursor('svc.yaml'), 'frontend');
  assert.ok(!('error' in r));
  assert.deepEqual(Object.keys(r.edits).map((u) => u.slice(11)).sort(), ['d.yaml', 'svc.yaml'], 'not the Deployment of another folder');
  const d = applyEdits(ws.file('d.yaml').text, r.edits[ws.uri('d.yaml')]);
  assert.equal((d.match(/app: frontend/g) ?? []).length, 2, d);
  assert.match(d, /name: web/, 'the Deployment name is not a label');
  const bad = ws.ls.prepareRename(ws.file('d.yaml'), ws.file('d.yaml').text.indexOf('Deployment'));
  assert.ok('error' in bad);
});

test('hover on a Service selector: the workloads it selects, and which color of a blue/green pair gets traffic', () => {
  const ws = workspace({
    'blue.yaml': deployment('web-blue', 'blue', pod),
    'green.yaml': deployment('web-green', 'green', pod.replace('nginx:1.27', 'nginx:1.28')),
    'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n    color: bl$0ue\n',
  });
  const h = ws.ls.hover(ws.file('svc.yaml'), ws.cursor('svc.yaml'), settings())?.contents ?? '';
  assert.match(h, /\*\*Selects 1 workload\*\*/);
  assert.match(h, /\| Deployment web-blue \| ws\/blue\.yaml \| 3 \| `nginx:1\.27` \|/);
  assert.match(h, /Blue\/green: traffic goes to \*\*blue\*\*; green gets none/);
  const svc = ws.file('svc.yaml');
  const onKey = ws.ls.hover(svc, svc.text.indexOf('selector') + 2, settings())?.contents ?? '';
  assert.match(onKey, /\*\*Selects 1 workload\*\*/, 'also on the selector key');
  const blue = ws.file('blue.yaml');
  const onPod = ws.ls.hover(blue, blue.text.lastIndexOf('color: blue') + 8, settings())?.contents ?? '';
  assert.match(onPod, /These pods are selected by Service `web` \(`ws\/svc\.yaml`\)/);
  const green = ws.file('green.yaml');
  assert.match(ws.ls.hover(green, green.text.lastIndexOf('color: green') + 8, settings())?.contents ?? '', /No Service of the workspace selects these pods/);
});

test('hover on a secretKeyRef: the Secret\'s file, whether the key exists, and its value only when revealOnHover is on', () => {
  const ws = workspace({
    's.yaml': secret,
    'd.yaml': deployment('web', undefined, '      containers:\n      - name: u\n        env:\n        - name: P\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: passw$0ord\n'),
  });
  const h = ws.ls.hover(ws.file('d.yaml'), ws.cursor('d.yaml'), settings())?.contents ?? '';
  assert.match(h, /Secret `db` is defined in `ws\/s\.yaml`/);
  assert.match(h, /✓ It has the key `password`/);
  assert.match(h, /Value: `x`/);
  const hidden = ws.ls.hover(ws.file('d.yaml'), ws.cursor('d.yaml'), settings({ secrets: { revealOnHover: false } }))?.contents ?? '';
  assert.match(hidden, /Value hidden/);
  assert.doesNotMatch(hidden, /`x`/);
  ws.write('d.yaml', ws.file('d.yaml').text.replace('key: password', 'key: pass$0wd'));
  const h2 = ws.ls.hover(ws.file('d.yaml'), ws.cursor('d.yaml'), settings())?.contents ?? '';
  assert.match(h2, /✗ It has no key `passwd` \(its keys: `password`, `user`\)/);
});

test('hover on a secretKeyRef decodes a base64 data value', () => {
  const ws = workspace({
    's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: "czNjcmV0"  # s3cret\n',
    'd.yaml': deployment('web', undefined, '      containers:\n      - name: u\n        env:\n        - name: P\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: pass$0word\n'),
  });
  const h = ws.ls.hover(ws.file('d.yaml'), ws.cursor('d.yaml'), settings())?.contents ?? '';
  assert.match(h, /Value: `s3cret`/);
});

test('definition: Ingress backend → Service and its port; named targetPort and probe port → the container port', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: ht$0tp\n';
  const ws = workspace({
    'd.yaml': deployment('web', undefined, pod + '        livenessProbe:\n          tcpSocket:\n            port: http\n'),
    'svc.yaml': svc,
    'i.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        name: http\n',
  });
  const text = (l: { uri: string; start: number; end: number }) => `${l.uri.slice(11)}:${ws.file(l.uri.slice(11)).text.slice(l.start, l.end)}`;
  const i = ws.file('i.yaml');
  assert.deepEqual(ws.ls.definition(i, i.text.indexOf('name: web') + 7).map(text), ['svc.yaml:web']);
  const portDef = ws.ls.definition(i, i.text.indexOf('name: http') + 7);
  assert.equal(portDef.length, 1);
  assert.equal(portDef[0].uri, ws.uri('svc.yaml'));
  assert.equal(portDef[0].start, ws.file('svc.yaml').text.indexOf('name: http') + 6);
  const target = ws.ls.definition(ws.file('svc.yaml'), ws.cursor('svc.yaml'));
  assert.deepEqual(target.map(text), ['d.yaml:http']);
  assert.ok(target[0].start < ws.file('d.yaml').text.indexOf('containerPort'), 'the container port name');
  const refs = ws.ls.references(ws.file('d.yaml'), ws.file('d.yaml').text.indexOf('name: http') + 7, false);
  assert.deepEqual(refs.map(text).sort(), ['d.yaml:http', 'svc.yaml:http'], 'the probe and the Service targetPort');
});
