import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CodeAction, CodeActionRequest, CodeLensRequest, Diagnostic, ExecuteCommandRequest, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

let client: TestClient;
const applied: WorkspaceEdit[] = [];
before(async () => {
  client = await startServer(ROOT);
  client.conn.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
    applied.push(params.edit);
    return { applied: true };
  });
});
after(async () => {
  await client.stop();
});

function apply(uri: string, text: string, edit: WorkspaceEdit | undefined): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
  assert.ok(edits.length, 'the action has edits');
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}

const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 1);

const cronjob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
      containers:
      - name: job
        image: busybox:1.36
`;

test('a quick fix for a diagnostic over LSP: preferred, attached to the diagnostic, its edit leaves no errors', async () => {
  const uri = 'file:///ws/actions/cron.yaml';
  const diags = await client.open(uri, cronjob);
  const d = diags.find((x) => x.code === 'unknown-field');
  assert.ok(d, JSON.stringify(diags));
  const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  const move = actions.find((a) => a.title.startsWith('Move containers under template.spec'));
  assert.ok(move, actions.map((a) => a.title).join(' | '));
  assert.equal(move.kind, 'quickfix');
  assert.equal(move.isPreferred, true);
  assert.deepEqual(move.diagnostics, [d]);
  const last = actions[actions.length - 1];
  assert.equal(last.title, 'Ignore unknown-field on this line');
  const fixed = apply(uri, cronjob, move.edit);
  assert.equal(fixed, cronjob.replace('          restartPolicy: OnFailure\n      containers:\n      - name: job\n        image: busybox:1.36\n', '          restartPolicy: OnFailure\n          containers:\n          - name: job\n            image: busybox:1.36\n'));
  assert.deepEqual(errors(await client.change(uri, fixed, 2)), []);
});

test('only= filters the kinds; refactorings need no diagnostic', async () => {
  const uri = 'file:///ws/actions/secret.yaml';
  const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n';
  await client.open(uri, text);
  const at = { line: 1, character: 8 };
  const all = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } })) as CodeAction[];
  const convert = all.find((a) => a.title === 'Convert all stringData to data (base64)');
  assert.ok(convert && convert.kind === 'refactor.rewrite');
  assert.equal(apply(uri, text, convert.edit), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMg==\n');
  const onlyFixes = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [], only: ['quickfix'] } })) as CodeAction[];
  assert.deepEqual(onlyFixes, []);
});

const pairText = (color: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-blue
spec:
  selector:
    matchLabels:
      app: web
      color: blue
  template:
    metadata:
      labels:
        app: web
        color: blue
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-green
spec:
  selector:
    matchLabels:
      app: web
      color: green
  template:
    metadata:
      labels:
        app: web
        color: green
    spec:
      containers:
      - name: web
        image: nginx:1.28
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
    color: ${color}
  ports:
  - port: 80
`;

test('code lens on a blue/green Service and the switchTraffic command applying its edit', async () => {
  const uri = 'file:///ws/actions/bg.yaml';
  const text = pairText('blue');
  await client.open(uri, text);
  const lenses = await client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  assert.ok(lenses && lenses.length === 1);
  assert.equal(lenses[0].range.start.line, 43);
  assert.match(lenses[0].command!.title, /^Route traffic to green \(web-green, image nginx:1\.28\) · now blue \(web-blue, image nginx:1\.27\)/);
  assert.equal(lenses[0].command!.command, 'kubeManifests.switchTraffic');
  applied.length = 0;
  const res = await client.conn.sendRequest(ExecuteCommandRequest.type, { command: lenses[0].command!.command, arguments: lenses[0].command!.arguments });
  assert.deepEqual(res, { applied: true, to: 'green' });
  assert.equal(applied.length, 1);
  assert.equal(apply(uri, text, applied[0]), pairText('green'));
});

test('the scaffoldBlueGreen command applies the pair and returns the green image range', async () => {
  const uri = 'file:///ws/actions/scaffold.yaml';
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0\n';
  await client.open(uri, text);
  applied.length = 0;
  const res = (await client.conn.sendRequest(ExecuteCommandRequest.type, { command: 'kubeManifests.scaffoldBlueGreen', arguments: [uri, { line: 1, character: 3 }] })) as { applied: boolean; greenImage: { start: { line: number; character: number }; end: { line: number; character: number } } };
  assert.equal(res.applied, true);
  const out = apply(uri, text, applied[0]);
  const lines = out.split('\n');
  assert.equal(lines[res.greenImage.start.line].slice(res.greenImage.start.character, res.greenImage.end.character), 'ghcr.io/acme/api:1.0');
  assert.match(out, /name: api-blue[\s\S]*---\n[\s\S]*name: api-green[\s\S]*---\napiVersion: v1\nkind: Service/);
  assert.deepEqual(errors(await client.change(uri, out, 2)), []);
});

test('executeCommand on a document that is not open fails politely', async () => {
  const res = (await client.conn.sendRequest(ExecuteCommandRequest.type, { command: 'kubeManifests.switchTraffic', arguments: ['file:///nope.yaml', 0] })) as { applied: boolean };
  assert.equal(res.applied, false);
});
