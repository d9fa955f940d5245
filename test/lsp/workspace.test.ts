import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CompletionRequest,
  DefinitionRequest,
  Diagnostic,
  DidChangeWatchedFilesNotification,
  DocumentSymbolRequest,
  FileChangeType,
  FoldingRangeRequest,
  HoverRequest,
  ReferencesRequest,
  RenameRequest,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

let client: TestClient;
let dir: string;
const uriOf = (name: string) => 'file://' + path.join(dir, name);

const files: Record<string, string> = {
  'base/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: x\n  user: app\n',
  'base/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n',
  'base/rbac.yaml': [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: Role',
    'metadata:',
    '  name: pod-reader',
    'rules:',
    '- apiGroups: [""]',
    '  resources: ["pods", "secrets"]',
    '  verbs: ["get", "list"]',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata:',
    '  name: web-reads-pods',
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    '  kind: Role',
    '  name: pod-reader',
    'subjects:',
    '- kind: ServiceAccount',
    '  name: web',
    '',
  ].join('\n'),
  'crds/servicemonitor-crd.yaml': [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: servicemonitors.monitoring.coreos.com',
    'spec:',
    '  group: monitoring.coreos.com',
    '  names: {kind: ServiceMonitor, plural: servicemonitors}',
    '  scope: Namespaced',
    '  versions:',
    '  - name: v1',
    '    served: true',
    '    storage: true',
    '    schema:',
    '      openAPIV3Schema:',
    '        type: object',
    '        properties:',
    '          spec:',
    '            type: object',
    '            required: [endpoints, selector]',
    '            properties:',
    '              endpoints:',
    '                type: array',
    '                items:',
    '                  type: object',
    '                  properties:',
    '                    port: {type: string}',
    '                    interval: {type: string}',
    '                    targetPort:',
    '                      x-kubernetes-int-or-string: true',
    '              selector:',
    '                type: object',
    '                properties:',
    '                  matchLabels:',
    '                    type: object',
    '                    additionalProperties: {type: string}',
    '',
  ].join('\n'),
  'node_modules/ignored.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: from-node-modules\n',
  'generated/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: from-excluded-folder\n',
};

const deployment = (key: string) => `apiVersion: apps/v1
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
      serviceAccountName: web
      containers:
      - name: web
        image: nginx:1.27
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: ${key}
`;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-ws-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.writeFileSync(path.join(dir, 'deploy.yaml'), deployment('passwrd'));
  client = await startServer(ROOT, { folders: ['file://' + dir], settings: { exclude: ['generated/**'] } });
});
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Diagnostics of a uri, waiting (bounded) until `pred` holds: the index is built in the background. */
async function diagnosticsUntil(uri: string, pred: (d: Diagnostic[]) => boolean, first?: Promise<Diagnostic[]>): Promise<Diagnostic[]> {
  let d = first ? await first : await client.nextDiagnostics(uri);
  const deadline = Date.now() + 10000;
  while (!pred(d)) {
    if (Date.now() > deadline) throw new Error(`timed out; last diagnostics: ${JSON.stringify(d)}`);
    d = await Promise.race([client.nextDiagnostics(uri), new Promise<Diagnostic[]>((r) => setTimeout(() => r(d), 3000))]);
  }
  return d;
}

test('a key missing from a Secret that is only on disk: warning with "did you mean"', async () => {
  const uri = uriOf('deploy.yaml');
  const d = await diagnosticsUntil(uri, (x) => x.some((p) => p.code === 'reference-missing-key'), client.open(uri, deployment('passwrd')));
  const p = d.find((x) => x.code === 'reference-missing-key')!;
  assert.equal(p.severity, 2);
  assert.deepEqual(p.range, { start: { line: 22, character: 19 }, end: { line: 22, character: 26 } });
  assert.match(p.message, /Secret "db" \(base\/secret\.yaml\) has no key "passwrd"; did you mean "password"\?/);
  assert.deepEqual(d.filter((x) => x.code !== 'reference-missing-key' && x.severity! <= 2), [], 'nothing else (the ServiceAccount exists)');
});

test('completion of Secret names and keys from files on disk', async () => {
  const uri = uriOf('deploy.yaml');
  const names = (await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 21, character: 20 } })) as { items: Array<{ label: string; detail?: string }> };
  const db = names.items.find((i) => i.label === 'db');
  assert.ok(db, names.items.map((i) => i.label).join(','));
  assert.match(db.detail ?? '', /Secret in base\/secret\.yaml/);
  assert.ok(!names.items.some((i) => i.label === 'from-node-modules'), 'node_modules is not indexed');
  assert.ok(!names.items.some((i) => i.label === 'from-excluded-folder'), 'kubeManifests.exclude is honoured');
  const keys = (await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 22, character: 19 } })) as { items: Array<{ label: string }> };
  assert.deepEqual(keys.items.map((i) => i.label).sort(), ['password', 'user']);
});

test('go to definition of a Secret and a ServiceAccount, in files that are not open', async () => {
  const uri = uriOf('deploy.yaml');
  const defs = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 21, character: 21 } })) as Array<{ uri: string; range: unknown }>;
  assert.deepEqual(defs, [{ uri: uriOf('base/secret.yaml'), range: { start: { line: 3, character: 8 }, end: { line: 3, character: 10 } } }]);
  const sa = (await client.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 13, character: 27 } })) as Array<{ uri: string }>;
  assert.deepEqual(sa.map((l) => l.uri), [uriOf('base/sa.yaml')]);
});

test('find references and rename a ServiceAccount across open and closed files', async () => {
  const uri = uriOf('deploy.yaml');
  const refs = (await client.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: { line: 13, character: 27 }, context: { includeDeclaration: true } })) as Array<{ uri: string; range: { start: { line: number } } }>;
  assert.deepEqual(refs.map((r) => `${path.relative(dir, r.uri.slice(7))}:${r.range.start.line}`).sort(), ['base/rbac.yaml:19', 'base/sa.yaml:3', 'deploy.yaml:13']);
  const edit = (await client.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 13, character: 27 }, newName: 'frontend' })) as { changes: Record<string, Array<{ range: { start: { line: number; character: number } }; newText: string }>> };
  assert.deepEqual(Object.keys(edit.changes).map((u) => path.relative(dir, u.slice(7))).sort(), ['base/rbac.yaml', 'base/sa.yaml', 'deploy.yaml']);
  assert.deepEqual(edit.changes[uriOf('base/rbac.yaml')], [{ range: { start: { line: 19, character: 8 }, end: { line: 19, character: 11 } }, newText: 'frontend' }]);
});

test('hover on serviceAccountName shows what it may do, with dangerous grants marked', async () => {
  const uri = uriOf('deploy.yaml');
  const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 13, character: 27 } });
  const md = (h?.contents as { value: string }).value;
  assert.match(md, /What ServiceAccount `default\/web` may do/);
  assert.match(md, /\| namespace default \| ⚠️ pods, secrets \| get, list \| RoleBinding web-reads-pods → Role pod-reader \|/);
  assert.match(md, /Risky: reads Secrets/);
  const res = (await client.conn.sendRequest('kubeManifests/permissions', { subject: { kind: 'ServiceAccount', name: 'web', namespace: 'default' } })) as { rows: Array<{ verbs: string[] }>; markdown: string };
  assert.deepEqual(res.rows.map((r) => r.verbs), [['get', 'list']]);
});

test('a Secret changed on disk (workspace/didChangeWatchedFiles) re-checks the open documents', async () => {
  const uri = uriOf('deploy.yaml');
  fs.writeFileSync(path.join(dir, 'base/secret.yaml'), files['base/secret.yaml'].replace('user: app', 'user: app\n  passwrd: y'));
  const next = client.nextDiagnostics(uri, 1);
  await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf('base/secret.yaml'), type: FileChangeType.Changed }] });
  const d = await diagnosticsUntil(uri, (x) => !x.some((p) => p.code === 'reference-missing-key'), next);
  assert.deepEqual(d.filter((p) => String(p.code).startsWith('reference')), []);
  fs.rmSync(path.join(dir, 'base/secret.yaml'));
  const gone = client.nextDiagnostics(uri, 1);
  await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf('base/secret.yaml'), type: FileChangeType.Deleted }] });
  const d2 = await diagnosticsUntil(uri, (x) => x.some((p) => p.code === 'reference-not-found'), gone);
  const nf = d2.find((p) => p.code === 'reference-not-found')!;
  assert.equal(nf.severity, 3, 'information by default');
  assert.match(nf.message, /No file of the workspace defines Secret "db"/);
});

test('an open document overrides the disk: an unsaved Secret satisfies the reference', async () => {
  const uri = uriOf('deploy.yaml');
  const secretUri = uriOf('base/secret.yaml');
  const next = client.nextDiagnostics(uri, 1);
  await client.open(secretUri, files['base/secret.yaml']);
  const d = await diagnosticsUntil(uri, (x) => !x.some((p) => p.code === 'reference-not-found'), next);
  assert.deepEqual(d.filter((p) => p.code === 'reference-not-found'), []);
});

test('a custom resource gets schema diagnostics from a CRD on disk; a valid one has none', async () => {
  const good = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n  labels:\n    team: a\nspec:\n  selector:\n    matchLabels:\n      app: web\n  endpoints:\n  - port: http\n    interval: 30s\n    targetPort: 8080\n';
  const uri = uriOf('sm.yaml');
  const d = await diagnosticsUntil(uri, () => true, client.open(uri, good));
  assert.deepEqual(d.filter((x) => x.severity === 1), []);
  const bad = await client.change(uri, good.replace('interval: 30s', 'intervall: 30s'), 2);
  const e = bad.find((x) => x.code === 'unknown-field');
  assert.ok(e, JSON.stringify(bad));
  assert.match(e.message, /Unknown field "intervall".*did you mean "interval"\?/);
});

test('document symbols, workspace symbols and folding', async () => {
  const uri = uriOf('deploy.yaml');
  const symbols = (await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as Array<{ name: string; children?: Array<{ name: string }> }>;
  assert.equal(symbols[0].name, 'Deployment web');
  assert.deepEqual(symbols[0].children?.map((c) => c.name), ['apiVersion', 'kind', 'metadata', 'spec']);
  const ws = (await client.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'pod-read' })) as Array<{ name: string; containerName?: string; location: { uri: string; range: { start: { line: number } } } }>;
  assert.equal(ws[0].name, 'pod-reader');
  assert.equal(ws[0].location.uri, uriOf('base/rbac.yaml'));
  assert.equal(ws[0].location.range.start.line, 3);
  const folds = (await client.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) as Array<{ startLine: number; endLine: number }>;
  assert.ok(folds.some((f) => f.startLine === 2 && f.endLine === 3), JSON.stringify(folds)); // metadata
  assert.ok(folds.some((f) => f.startLine === 4 && f.endLine === 22), JSON.stringify(folds)); // spec
});

test('quick fix: declare a missing ServiceAccount external; .kube-manifests.yaml is created and the problem goes away', async () => {
  const uri = uriOf('robot.yaml');
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: robot\nspec:\n  serviceAccountName: robot\n  containers:\n  - name: c\n    image: nginx:1.27\n';
  const d = await diagnosticsUntil(uri, (x) => x.some((p) => p.code === 'reference-not-found'), client.open(uri, text));
  const problem = d.find((p) => p.code === 'reference-not-found')!;
  const actions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: problem.range, context: { diagnostics: [problem] } })) as Array<{ title: string; command?: { command: string; arguments: unknown[] } }>;
  const fix = actions.find((a) => a.command?.command === 'kubeManifests.declareExternal');
  assert.ok(fix, actions.map((a) => a.title).join(' | '));
  const next = client.nextDiagnostics(uri, 1);
  const res = (await client.conn.sendRequest('workspace/executeCommand', { command: fix.command!.command, arguments: fix.command!.arguments })) as { applied: boolean };
  assert.equal(res.applied, true);
  assert.match(fs.readFileSync(path.join(dir, '.kube-manifests.yaml'), 'utf8'), /external:\n- ServiceAccount\/robot\n/);
  const after = await diagnosticsUntil(uri, (x) => !x.some((p) => p.code === 'reference-not-found'), next);
  assert.deepEqual(after.filter((p) => p.code === 'reference-not-found'), []);
});

test('changing kubeManifests.exclude re-indexes the workspace without a restart', async () => {
  const uri = uriOf('deploy.yaml');
  const names = async () => ((await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 21, character: 20 } })) as { items: Array<{ label: string }> }).items.map((i) => i.label);
  assert.ok(!(await names()).includes('from-excluded-folder'));
  const indexed = new Promise<void>((resolve) => {
    client.conn.onNotification('window/logMessage', (p: { message: string }) => {
      if (/indexed \d+ files/.test(p.message)) resolve();
    });
  });
  client.settings = { exclude: [] };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { kubeManifests: client.settings } });
  await indexed;
  assert.ok((await names()).includes('from-excluded-folder'), 'the folder is indexed once it is no longer excluded');
  // and back: excluded again, its objects leave the index
  const again = new Promise<void>((resolve) => {
    client.conn.onNotification('window/logMessage', (p: { message: string }) => {
      if (/indexed \d+ files/.test(p.message)) resolve();
    });
  });
  client.settings = { exclude: ['generated/**'] };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { kubeManifests: client.settings } });
  await again;
  assert.ok(!(await names()).includes('from-excluded-folder'));
});
