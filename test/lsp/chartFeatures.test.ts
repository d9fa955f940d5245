/**
 * Plain-manifest features that fit charts, over the protocol: the objects a chart renders are part
 * of the workspace index (a plain RoleBinding naming a ServiceAccount the chart renders resolves,
 * Show Permissions of it works, navigation from a template to a plain file and back), the Secret
 * base64 actions on literal values of a template, and the blue/green lens of a Service a template
 * renders, whose switch edits the template (literal colour) or values.yaml (`{{ .Values.color }}`).
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeAction, CodeActionRequest, CodeLens, CodeLensRequest, DefinitionRequest, Diagnostic, ExecuteCommandRequest, Location, ReferencesRequest, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const deployment = (color: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${color}
spec:
  selector:
    matchLabels:
      app: web
      color: ${color}
  template:
    metadata:
      labels:
        app: web
        color: ${color}
    spec:
      serviceAccountName: shared-sa
      containers:
        - name: web
          image: ${image}
          env:
            - name: PASSWORD
              valueFrom:
                secretKeyRef:
                  name: web-literal
                  key: password
`;

const files: Record<string, string> = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'chart/values.yaml': 'color: blue\nserviceAccount:\n  name: web-sa\nextra:\n  enabled: true\ntoken: abc\n',
  'chart/templates/serviceaccount.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Values.serviceAccount.name }}
  namespace: {{ .Release.Namespace }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web-reader
{{- if .Values.extra.enabled }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: extra-sa
{{- end }}
`,
  'chart/templates/rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: web-config-reader
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web-config-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: web-config-reader
subjects:
  - kind: ServiceAccount
    name: {{ .Values.serviceAccount.name }}
`,
  'chart/templates/secret-literal.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: web-literal
data:
  password: ${b64('s3cret-literal')}
`,
  'chart/templates/secret-mixed.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: web-mixed
data:
  password: ${b64('s3cret-mixed')}
  token: {{ .Values.token | b64enc }}
  broken: 'not*base64!'
`,
  'chart/templates/deploy-blue.yaml': deployment('blue', 'nginx:1.27'),
  'chart/templates/deploy-green.yaml': deployment('green', 'nginx:1.28'),
  'chart/templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
    color: {{ .Values.color }}
  ports:
    - port: 80
`,
  'chart/templates/service-preview.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web-preview
spec:
  selector:
    app: web
    color: green
  ports:
    - port: 80
`,
  'deploy/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: shared-sa\n',
  'deploy/rb.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: readers
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: ServiceAccount
    name: web-reader
  - kind: ServiceAccount
    name: web-sa
  - kind: ServiceAccount
    name: extra-sa
  - kind: ServiceAccount
    name: ghost-sa
`,
};

let dir: string;
let client: TestClient;
const applied: WorkspaceEdit[] = [];
const uriOf = (rel: string): string => 'file://' + path.join(dir, rel);

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-chart-features-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  client = await startServer(ROOT, { folders: ['file://' + dir] });
  client.conn.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
    applied.push(params.edit);
    return { applied: true };
  });
});
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function offsetAt(text: string, p: { line: number; character: number }): number {
  return text.split('\n').slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
}
function positionOf(text: string, needle: string, delta = 0) {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `the fixture holds ${needle}`);
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
const slice = (text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }) => text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
function apply(uri: string, text: string, edit: WorkspaceEdit | undefined): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
  assert.ok(edits.length, `the edit changes ${uri}: ${JSON.stringify(edit)}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}

/** Asks again (each answer is a round trip) until the answer satisfies `pred`: the chart renders in the background. */
async function eventually<T>(ask: () => Promise<T>, pred: (t: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const t = await ask();
    if (pred(t)) return t;
    if (Date.now() > deadline) throw new Error(`timed out; last answer: ${JSON.stringify(t)}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function untilDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, first: Promise<Diagnostic[]>): Promise<Diagnostic[]> {
  let d = await first;
  const deadline = Date.now() + 15000;
  while (!pred(d)) {
    if (Date.now() > deadline) throw new Error(`timed out; last diagnostics: ${JSON.stringify(d)}`);
    d = await Promise.race([client.nextDiagnostics(uri), new Promise<Diagnostic[]>((r) => setTimeout(() => r(d), 3000))]);
  }
  return d;
}

test('a plain RoleBinding naming ServiceAccounts the chart renders (literal, from a value, conditional on a value in use) finds them; one nobody renders is reported', async () => {
  const uri = uriOf('deploy/rb.yaml');
  const d = await untilDiagnostics(uri, (x) => x.filter((p) => p.code === 'reference-not-found').length === 1, client.open(uri, files['deploy/rb.yaml']));
  const nf = d.filter((p) => p.code === 'reference-not-found');
  assert.deepEqual(nf.map((p) => slice(files['deploy/rb.yaml'], p.range)), ['ghost-sa']);
});

test('definition from the plain file lands in the template: on the literal name, or on the action that prints it', async () => {
  const uri = uriOf('deploy/rb.yaml');
  const tpl = files['chart/templates/serviceaccount.yaml'];
  const literal = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionOf(files['deploy/rb.yaml'], 'web-reader', 2) })) as Location[];
  assert.deepEqual(literal.map((l) => [l.uri, slice(tpl, l.range)]), [[uriOf('chart/templates/serviceaccount.yaml'), 'web-reader']]);
  const printed = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionOf(files['deploy/rb.yaml'], 'web-sa', 2) })) as Location[];
  assert.deepEqual(printed.map((l) => [l.uri, slice(tpl, l.range)]), [[uriOf('chart/templates/serviceaccount.yaml'), '{{ .Values.serviceAccount.name }}']]);
});

test('Show Permissions of a ServiceAccount the chart renders: its bindings in the chart and in plain files', async () => {
  const p = (await client.conn.sendRequest('kubeManifests/permissions', { subject: { kind: 'ServiceAccount', name: 'web-sa' } })) as { rows: Array<{ binding: { name: string; uri: string }; role: { name: string }; resources: string[] }>; markdown: string };
  const rows = p.rows.map((r) => [r.binding.name, r.binding.uri, r.role.name, r.resources.join(',')]).sort();
  assert.deepEqual(rows, [
    ['readers', uriOf('deploy/rb.yaml'), 'view', 'most namespaced resources (not secrets)'],
    ['web-config-reader', uriOf('chart/templates/rbac.yaml'), 'web-config-reader', 'configmaps'],
  ]);
});

test('from a template to a plain file and back: definition of serviceAccountName, references of the plain ServiceAccount', async () => {
  const tplUri = uriOf('chart/templates/deploy-blue.yaml');
  const tpl = files['chart/templates/deploy-blue.yaml'];
  const d = await client.open(tplUri, tpl);
  assert.deepEqual(d.filter((x) => x.severity! <= 2).map((x) => `${x.code}: ${x.message}`), [], 'the Secret of another template and the plain ServiceAccount are found');
  const def = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: tplUri }, position: positionOf(tpl, 'shared-sa', 3) })) as Location[];
  assert.deepEqual(def.map((l) => [l.uri, slice(files['deploy/sa.yaml'], l.range)]), [[uriOf('deploy/sa.yaml'), 'shared-sa']]);
  const secretDef = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: tplUri }, position: positionOf(tpl, 'web-literal', 3) })) as Location[];
  assert.deepEqual(secretDef.map((l) => [l.uri, slice(files['chart/templates/secret-literal.yaml'], l.range)]), [[uriOf('chart/templates/secret-literal.yaml'), 'web-literal']]);
  const saUri = uriOf('deploy/sa.yaml');
  await client.open(saUri, files['deploy/sa.yaml']);
  const refs = (await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: saUri }, position: positionOf(files['deploy/sa.yaml'], 'shared-sa', 2), context: { includeDeclaration: false } })) as Location[];
  assert.deepEqual(refs.map((l) => l.uri).sort(), [uriOf('chart/templates/deploy-blue.yaml'), uriOf('chart/templates/deploy-green.yaml')]);
  for (const l of refs) assert.equal(slice(files[path.relative(dir, new URL(l.uri).pathname)], l.range), 'shared-sa');
  const back = (await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: tplUri }, position: positionOf(tpl, 'shared-sa', 3), context: { includeDeclaration: true } })) as Location[];
  assert.ok(back.some((l) => l.uri === saUri), JSON.stringify(back));
});

test('Secret base64 actions in a template: on literal text the edit applies to the template; nothing where an action prints the value or the block holds one', async () => {
  const uri = uriOf('chart/templates/secret-literal.yaml');
  const text = files['chart/templates/secret-literal.yaml'];
  const diags = await client.open(uri, text);
  const at = positionOf(text, b64('s3cret-literal'), 2);
  const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: diags } })) as CodeAction[];
  const decode = actions.find((a) => a.title === 'Decode password into stringData');
  assert.ok(decode, actions.map((a) => a.title).join(' | '));
  assert.equal(apply(uri, text, decode.edit), text.replace(`data:\n  password: ${b64('s3cret-literal')}\n`, 'stringData:\n  password: s3cret-literal\n'));

  const mixedUri = uriOf('chart/templates/secret-mixed.yaml');
  const mixed = files['chart/templates/secret-mixed.yaml'];
  const md = await untilDiagnostics(mixedUri, (x) => x.some((p) => p.code === 'secret-invalid-base64'), client.open(mixedUri, mixed));
  const ask = async (needle: string) => {
    const p = positionOf(mixed, needle, 2);
    return (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: mixedUri }, range: { start: p, end: p }, context: { diagnostics: md } })) as CodeAction[];
  };
  const onBroken = await ask('not*base64');
  const encode = onBroken.find((a) => a.title === 'Encode the value of broken as base64');
  assert.ok(encode, onBroken.map((a) => a.title).join(' | '));
  assert.equal(encode.diagnostics?.[0]?.code, 'secret-invalid-base64');
  assert.equal(apply(mixedUri, mixed, encode.edit), mixed.replace("'not*base64!'", b64('not*base64!')));
  // The data block holds an action: moving values across would write what the action prints into the template.
  assert.deepEqual((await ask(b64('s3cret-mixed'))).filter((a) => /Decode|Convert/.test(a.title)).map((a) => a.title), []);
  assert.deepEqual((await ask('.Values.token')).filter((a) => /ncode|ecode|Convert|Move/.test(a.title)).map((a) => a.title), []);
});

test('blue/green lens in a template: the colour printed from .Values switches in values.yaml; a literal colour switches in the template', async () => {
  const uri = uriOf('chart/templates/service.yaml');
  const text = files['chart/templates/service.yaml'];
  await client.open(uri, text);
  const lenses = (await eventually(() => client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), (l) => Boolean(l?.length))) as CodeLens[];
  assert.equal(lenses.length, 1);
  assert.equal(slice(text, lenses[0].range), 'selector');
  assert.match(lenses[0].command!.title, /^Route traffic to green \(web-green, image nginx:1\.28\) \(sets it in values\.yaml\) · now blue \(web-blue, image nginx:1\.27\) gets the traffic/);
  assert.equal(lenses[0].command!.command, 'kubeManifests.switchTraffic');
  applied.length = 0;
  const res = (await client.conn.sendRequest(ExecuteCommandRequest.type, { command: 'kubeManifests.switchTraffic', arguments: lenses[0].command!.arguments })) as { applied: boolean; to: string; file: string };
  assert.deepEqual(res, { applied: true, to: 'green', file: uriOf('chart/values.yaml') });
  assert.equal(apply(uriOf('chart/values.yaml'), files['chart/values.yaml'], applied[0]), files['chart/values.yaml'].replace('color: blue', 'color: green'));

  const pUri = uriOf('chart/templates/service-preview.yaml');
  const preview = files['chart/templates/service-preview.yaml'];
  await client.open(pUri, preview);
  const pl = (await eventually(() => client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: pUri } }), (l) => Boolean(l?.length))) as CodeLens[];
  assert.match(pl[0].command!.title, /^Route traffic to blue \(web-blue, image nginx:1\.27\) · now green/);
  applied.length = 0;
  const r2 = (await client.conn.sendRequest(ExecuteCommandRequest.type, { command: 'kubeManifests.switchTraffic', arguments: pl[0].command!.arguments })) as { applied: boolean; file: string };
  assert.equal(r2.file, pUri);
  assert.equal(apply(pUri, preview, applied[0]), preview.replace('color: green', 'color: blue'));
});
