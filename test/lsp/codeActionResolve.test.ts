/**
 * codeAction/resolve: a client that resolves actions (resolveSupport.properties has `edit`) gets
 * the actions that carry a Secret's value without their edit; the edit comes when one is picked,
 * computed from the document's current text. A client that does not resolve gets every edit with
 * the list, as before (test/lsp/codeActions.test.ts).
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CodeAction, CodeActionRequest, CodeActionResolveRequest, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const PLAIN = { password: 'Pa55-w0rd-resolve', apiKey: 'sk-live-resolve-777', broken: 'not*base64!-resolve' };
const FORBIDDEN = [...Object.values(PLAIN), b64(PLAIN.password), b64(PLAIN.apiKey), b64(PLAIN.broken)];

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
data:
  password: ${b64(PLAIN.password)}
  broken: '${PLAIN.broken}'
stringData:
  apiKey: ${PLAIN.apiKey}
`;

let lazy: TestClient;
let eager: TestClient;
let sent = '';
before(async () => {
  lazy = await startServer(ROOT, { textDocumentCapabilities: { codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } } } });
  lazy.proc.stdout!.on('data', (d) => (sent += String(d)));
  eager = await startServer(ROOT);
});
after(async () => {
  await lazy.stop();
  await eager.stop();
});

function apply(uri: string, text: string, edit: WorkspaceEdit | undefined): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
  assert.ok(edits.length, 'the action has edits');
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}

function at(text: string, needle: string, delta = 2) {
  const offset = text.indexOf(needle) + delta;
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

function assertNoSecrets(where: string, json: string): void {
  for (const v of FORBIDDEN) assert.equal(json.indexOf(v), -1, `${where} holds the Secret value ${v}`);
}

test('the server advertises codeAction/resolve', () => {
  assert.deepEqual(lazy.serverCapabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rewrite', 'refactor.extract', 'source'], resolveProvider: true });
});

test('a resolving client: the list carries no Secret value; resolve gives the edit, computed from the current text', async () => {
  const uri = 'file:///ws/resolve/secret.yaml';
  const diags = await lazy.open(uri, SECRET);
  const before = sent.length;
  const requests: Array<{ needle: string; title: RegExp; expect: (t: string) => string }> = [
    { needle: b64(PLAIN.password), title: /^Decode password into stringData$/, expect: (t) => t.replace(`  password: ${b64(PLAIN.password)}\n`, '').replace(`  apiKey: ${PLAIN.apiKey}\n`, `  apiKey: ${PLAIN.apiKey}\n  password: ${PLAIN.password}\n`) },
    { needle: PLAIN.apiKey, title: /^Encode apiKey into data \(base64\)$/, expect: (t) => t.replace(`  broken: '${PLAIN.broken}'\n`, `  broken: '${PLAIN.broken}'\n  apiKey: ${b64(PLAIN.apiKey)}\n`).replace(`stringData:\n  apiKey: ${PLAIN.apiKey}\n`, '') },
    { needle: PLAIN.broken, title: /^Encode the value of broken as base64$/, expect: (t) => t.replace(`'${PLAIN.broken}'`, b64(PLAIN.broken)) },
  ];
  for (const r of requests) {
    const position = at(SECRET, r.needle);
    const list = (await lazy.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: diags } })) as CodeAction[];
    assertNoSecrets(`the list of actions at ${r.needle.slice(0, 3)}…`, JSON.stringify(list));
    const action = list.find((a) => r.title.test(a.title));
    assert.ok(action, list.map((a) => a.title).join(' | '));
    assert.equal(action.edit, undefined, 'listed without its edit');
    assert.ok(action.data, 'with what resolve needs');
    const resolved = await lazy.conn.sendRequest(CodeActionResolveRequest.type, action);
    assert.equal(resolved.title, action.title);
    assert.equal(apply(uri, SECRET, resolved.edit), r.expect(SECRET));
  }
  assert.ok(sent.length > before, 'the capture saw the answers');
});

test('an action that carries no Secret value keeps its edit in the list', async () => {
  const uri = 'file:///ws/resolve/cron.yaml';
  const text = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n      containers:\n      - name: job\n        image: busybox:1.36\n';
  const diags = await lazy.open(uri, text);
  const d = diags.find((x) => x.code === 'unknown-field') as Diagnostic;
  const list = (await lazy.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  const move = list.find((a) => a.title.startsWith('Move containers under template.spec'));
  assert.ok(move?.edit, 'eager: the edit is in the list');
  assert.equal(move.data, undefined);
});

test('resolving after the document changed gives no edit (the text it was listed for is gone)', async () => {
  const uri = 'file:///ws/resolve/changed.yaml';
  const diags = await lazy.open(uri, SECRET);
  const position = at(SECRET, b64(PLAIN.password));
  const list = (await lazy.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: diags } })) as CodeAction[];
  const action = list.find((a) => a.title === 'Decode password into stringData')!;
  await lazy.change(uri, SECRET.replace('name: db', 'name: db2'), 2);
  const resolved = await lazy.conn.sendRequest(CodeActionResolveRequest.type, action);
  assert.equal(resolved.edit, undefined);
});

test('a client without resolve support gets the edits with the list, as before', async () => {
  const uri = 'file:///ws/resolve/eager.yaml';
  const diags = await eager.open(uri, SECRET);
  const position = at(SECRET, b64(PLAIN.password));
  const list = (await eager.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: diags } })) as CodeAction[];
  const action = list.find((a) => a.title === 'Decode password into stringData');
  assert.ok(action?.edit && action.data === undefined);
  assert.match(apply(uri, SECRET, action.edit), new RegExp(`password: ${PLAIN.password}`));
});
