/**
 * Privacy and safety at the LSP boundary: a session editing Secrets with the
 * trace at verbose never sends a Secret value (diagnostics, log messages,
 * hovers with revealOnHover off, completions, symbols, code action titles),
 * and the server bundle cannot run programs or open network connections.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  Position,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Values that must never leave the server (plain text and, for data, the base64 as written). */
const PLAIN = {
  password: 's3cr3t-Passw0rd-data',
  token: 'tok-9f8e7d6c5b4a',
  rotated: 'rotated-T0ken-555',
  broken: 'not*base64!-value-XyZ',
  apiKey: 'sk-live-1234567890abcdef',
  dsn: 'hunter2-db',
  registry: 'reg-cred-Q1w2E3',
  tls: 'PRIVATE-KEY-MATERIAL-42',
};

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
data:
  password: ${b64(PLAIN.password)}
  token: ${b64(PLAIN.token)}
  broken: '${PLAIN.broken}'
stringData:
  apiKey: ${PLAIN.apiKey}
  dsn: postgres://admin:${PLAIN.dsn}@db:5432/app
---
apiVersion: v1
kind: Secret
metadata:
  name: registry
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: ${b64(`{"auths": {"x": {"auth": "${PLAIN.registry}"`)}
---
apiVersion: v1
kind: Secret
metadata:
  name: tls
type: kubernetes.io/tls
data:
  tls.crt: ${b64(PLAIN.tls)}
`;

const FORBIDDEN = [...Object.values(PLAIN), b64(PLAIN.password), b64(PLAIN.token), b64(PLAIN.rotated), b64(PLAIN.tls), b64(`{"auths": {"x": {"auth": "${PLAIN.registry}"`)];

let client: TestClient;
/** Every byte the server wrote (stdout: all LSP messages; stderr). */
let sent = '';
before(async () => {
  client = await startServer(ROOT, { settings: { secrets: { revealOnHover: false } } });
  client.proc.stdout!.on('data', (d) => (sent += String(d)));
  client.proc.stderr!.on('data', (d) => (sent += String(d)));
  await client.conn.sendNotification('$/setTrace', { value: 'verbose' });
});
after(async () => {
  await client.stop();
});

function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `fixture holds ${needle}`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function assertNoSecrets(where: string, text: string): void {
  for (const v of FORBIDDEN) {
    const i = text.indexOf(v);
    assert.equal(i, -1, `${where} holds the Secret value ${v}: …${text.slice(Math.max(0, i - 200), i + v.length + 50)}…`);
  }
}

test('a session editing Secrets, traced at verbose, never sends a Secret value (revealOnHover off)', async () => {
  const uri = 'file:///ws/secrets.yaml';
  const diags = await client.open(uri, SECRET);
  assert.ok(diags.length > 0, 'the invalid base64 value and the broken dockerconfigjson are reported');
  assertNoSecrets('diagnostics', JSON.stringify(diags));

  // Every position a user might put the cursor on: each value, its start, its middle.
  const spots: Position[] = [];
  for (const v of [b64(PLAIN.password), b64(PLAIN.token), PLAIN.broken, PLAIN.apiKey, PLAIN.dsn, b64(PLAIN.tls), 'eyJhdXRocyI']) {
    for (const d of [0, 3]) spots.push(positionOf(SECRET, v, d));
  }
  for (const k of ['password:', 'stringData:', '.dockerconfigjson:']) spots.push(positionOf(SECRET, k, 2));
  const textDocument = { uri };
  for (const position of spots) {
    const hover = await client.conn.sendRequest(HoverRequest.type, { textDocument, position });
    assertNoSecrets(`hover at ${position.line}:${position.character}`, JSON.stringify(hover));
    const completion = await client.conn.sendRequest(CompletionRequest.type, { textDocument, position });
    assertNoSecrets(`completion at ${position.line}:${position.character}`, JSON.stringify(completion));
  }
  for (const [name, type] of [['symbols', DocumentSymbolRequest.type], ['folding', FoldingRangeRequest.type], ['lenses', CodeLensRequest.type]] as const) {
    const r = await client.conn.sendRequest(type as typeof DocumentSymbolRequest.type, { textDocument });
    assertNoSecrets(name, JSON.stringify(r));
  }

  // Edit a value (incremental change), as typing does.
  const at = positionOf(SECRET, b64(PLAIN.token));
  const next = client.nextDiagnostics(uri, 2);
  await client.conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + b64(PLAIN.token).length } }, text: b64(PLAIN.rotated) }],
  });
  assertNoSecrets('diagnostics after an edit', JSON.stringify(await next));
  const next3 = client.nextDiagnostics(uri, 3);
  await client.conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: at, end: at }, text: '!!' }],
  });
  assertNoSecrets('diagnostics after breaking a value', JSON.stringify(await next3));
  await client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });

  // A round trip so that everything the server sent before it has arrived.
  await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///ws/none.yaml' }, position: { line: 0, character: 0 } });
  assert.ok(sent.length > 1000, 'the capture saw the session');
  assertNoSecrets('what the server sent (stdout and stderr)', sent);
});

test('code actions on Secret values show no value in their titles or the diagnostics they cite', async () => {
  // Run after the capture above: actions that move a value between data and stringData carry it in
  // their edit, by necessity (the client applies it). What they show must not.
  const uri = 'file:///ws/actions.yaml';
  const diags = await client.open(uri, SECRET);
  let seen = 0;
  for (const v of [b64(PLAIN.password), PLAIN.broken, PLAIN.apiKey, 'eyJhdXRocyI']) {
    const position = positionOf(SECRET, v, 2);
    const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: diags } })) as Array<{ title: string; diagnostics?: unknown }> | null;
    for (const a of actions ?? []) {
      seen++;
      assertNoSecrets(`code action "${a.title}"`, JSON.stringify({ title: a.title, diagnostics: a.diagnostics }));
    }
  }
  assert.ok(seen > 0, 'there are actions on Secret values');
});

test('with revealOnHover on, the hover shows the decoded value (so the positions above are the right ones)', async () => {
  const uri = 'file:///ws/reveal.yaml';
  client.settings = { secrets: { revealOnHover: true } };
  await client.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kubeManifests: client.settings } });
  await client.open(uri, SECRET);
  const hover = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(SECRET, b64(PLAIN.password), 3) });
  assert.match(JSON.stringify(hover), new RegExp(PLAIN.password));
  client.settings = { secrets: { revealOnHover: false } };
  await client.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { kubeManifests: client.settings } });
  const hidden = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(SECRET, b64(PLAIN.password), 3) });
  assertNoSecrets('hover after turning reveal off', JSON.stringify(hidden));
});

test('the server bundle cannot run programs or reach the network', () => {
  const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'server.js'), 'utf8');
  const builtins = new Set([...bundle.matchAll(/require\("(?:node:)?([a-z_0-9/]+)"\)/g)].map((m) => m[1]));
  for (const banned of ['child_process', 'http', 'https', 'http2', 'dns', 'tls', 'dgram', 'cluster', 'worker_threads', 'inspector']) {
    assert.ok(!builtins.has(banned), `dist/server.js requires ${banned}`);
  }
  assert.doesNotMatch(bundle, /from ["'](node:)?child_process["']|import\(["'](node:)?child_process/);
  // `net` stays: vscode-languageserver needs it for --socket and --pipe transports (local only).
  assert.ok(builtins.has('fs') && builtins.has('path'), 'the check reads real requires');
});

test('package.json declares the extension safe in untrusted workspaces', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } };
  assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, true);
});
