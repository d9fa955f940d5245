import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CompletionRequest, DidChangeConfigurationNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

let client: TestClient;
before(async () => {
  client = await startServer(ROOT);
});
after(async () => {
  await client.stop();
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
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
        prots: []
`;

test('diagnostics over stdio: exact range, code, source', async () => {
  const diags = await client.open('file:///ws/deploy.yaml', deployment);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'unknown-field');
  assert.equal(diags[0].source, 'kube-manifests');
  assert.deepEqual(diags[0].range, { start: { line: 17, character: 8 }, end: { line: 17, character: 13 } });
  assert.match(diags[0].message, /did you mean "ports"/);
  // the code links to the rule's page in docs/rules.md, which ships with the extension
  const href = diags[0].codeDescription?.href ?? '';
  assert.match(href, /^file:\/\/.*\/docs\/rules\.md#unknown-field$/);
  const fs = await import('fs');
  const { fileURLToPath } = await import('url');
  assert.match(fs.readFileSync(fileURLToPath(href.replace(/#.*$/, '')), 'utf8'), /id="unknown-field"/);
});

test('an edit re-publishes diagnostics for the new version', async () => {
  const fixed = await client.change('file:///ws/deploy.yaml', deployment.replace('prots', 'ports'), 2);
  assert.deepEqual(fixed, []);
});

test('completion and hover over stdio', async () => {
  const uri = 'file:///ws/job.yaml';
  const text = 'apiVersion: batch/v1\nkind: Job\nspec:\n  \n';
  await client.open(uri, text);
  const res = (await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 2 } })) as { items: Array<{ label: string; textEdit?: { newText: string } }> };
  const labels = res.items.map((i) => i.label);
  assert.ok(labels.includes('backoffLimit') && labels.includes('template'), labels.join(','));
  const hover = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 7 } });
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  assert.match((hover.contents as { value: string }).value, /Job represents the configuration of a single job/);
});

test('settings changes take effect without a restart', async () => {
  const uri = 'file:///ws/settings.yaml';
  const diags = await client.open(uri, deployment);
  assert.equal(diags.length, 1);
  client.settings = { rules: { 'unknown-field': 'off' } };
  const next = client.nextDiagnostics(uri, 1);
  await client.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kubeManifests: client.settings } });
  assert.deepEqual(await next, []);
  client.settings = {};
  const back = client.nextDiagnostics(uri, 1);
  await client.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kubeManifests: client.settings } });
  assert.equal((await back).length, 1, 'and back on');
});

test('a YAML file that is not Kubernetes gets no diagnostics at all', async () => {
  const diags = await client.open('file:///ws/.github/workflows/ci.yaml', 'name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - run: npm test\n');
  assert.deepEqual(diags, []);
});

test('hostile input does not crash the server', async () => {
  const bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: *f\n';
  const inputs = [
    '\uFEFFapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n\tname: x\r\n',
    'apiVersion: v1\nkind: ConfigMap\ndata:\n  big: "' + 'x'.repeat(1_000_000) + '"\n',
    'apiVersion: v1\nkind: ConfigMap\ndata:\n' + Array.from({ length: 50 }, (_, i) => '  '.repeat(i + 1) + `k${i}:`).join('\n') + '\n',
    bomb,
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \uFFFD\uFFFD\x00\x01\n',
  ];
  let n = 0;
  for (const text of inputs) {
    const diags = await client.open(`file:///ws/hostile-${n++}.yaml`, text);
    assert.ok(Array.isArray(diags));
  }
  // still answering
  const again = await client.change('file:///ws/deploy.yaml', deployment, 3);
  assert.equal(again.length, 1);
});

test('kubeManifests/checkFiles checks files that are not open and publishes their diagnostics first', async () => {
  const fs = await import('fs');
  const os = await import('os');
  const path = await import('path');
  const { pathToFileURL } = await import('url');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-manifests-check-'));
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndta:\n  x: y\n');
  fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
  const bad = pathToFileURL(path.join(dir, 'bad.yaml')).href;
  const compose = pathToFileURL(path.join(dir, 'compose.yaml')).href;
  const published = client.nextDiagnostics(bad);
  let answered = false;
  const res = client.conn.sendRequest('kubeManifests/checkFiles', { uris: [bad, compose, pathToFileURL(path.join(dir, 'missing.yaml')).href] }).then((r) => {
    answered = true;
    return r as { checked: number };
  });
  const diags = await published;
  assert.equal(answered, false, 'diagnostics are published before the answer');
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'unknown-field');
  assert.deepEqual(await res, { checked: 1 });
});

test('the CLI and the server give the same diagnostics for the same file', async () => {
  const fs = await import('fs');
  const path = await import('path');
  const { spawnSync } = await import('child_process');
  const { pathToFileURL } = await import('url');
  const file = path.join(ROOT, 'examples', 'try-me.yaml');
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', file], { encoding: 'utf8' });
  const fromCli = (JSON.parse(cli.stdout)[0].problems as Array<{ code: string; line: number; column: number; message: string }>).map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`);
  const diags = await client.open(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'));
  const fromServer = diags.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
  assert.ok(fromCli.length >= 5, 'try-me.yaml shows its mistakes');
  assert.deepEqual(fromServer, fromCli);
});
