/**
 * Values files over the protocol: completion and hover from values.schema.json and the chart's
 * values.yaml in a ci/ file and in a file outside the chart tied to it, diagnostics of a values
 * file not in use (the schema on its own, unknown keys), and the "extract to a value" refactor in
 * a template, applied and rendered again: the output is the same, byte for byte.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { helmTemplate } from '../../server/src/helm/index';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', description: 'How many pods to run.' },
    image: {
      type: 'object',
      properties: {
        repository: { type: 'string', description: 'The image to run.' },
        tag: { type: 'string' },
        pullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'], description: 'When to pull the image.' },
      },
    },
    debug: { type: 'boolean', description: 'Verbose logs.' },
  },
};

const chart: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: echo\nversion: 0.1.0\n',
  'values.yaml': 'replicaCount: 2\nimage:\n  repository: nginx\n  # The image tag.\n  tag: "1.27"\n  pullPolicy: IfNotPresent\n',
  'values.schema.json': JSON.stringify(schema, null, 2),
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app: echo
  template:
    metadata:
      labels:
        app: echo
    spec:
      containers:
        - name: echo
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - containerPort: 8080
          {{- if .Values.debug }}
          args: ["--debug"]
          {{- end }}
`,
};

let ws: string;
let dir: string;
let client: TestClient;
const uriOf = (rel: string): string => 'file://' + path.join(dir, rel);

before(async () => {
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-values-'));
  dir = path.join(ws, 'echo');
  for (const [name, text] of Object.entries(chart)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  client = await startServer(ROOT, { folders: ['file://' + ws] });
});
after(async () => {
  await client.stop();
  fs.rmSync(ws, { recursive: true, force: true });
});

function pos(text: string, needle: string, delta = needle.length): { line: number; character: number } {
  const off = text.indexOf(needle) + delta;
  assert.ok(off >= delta, `fixture has ${needle}`);
  const before = text.slice(0, off).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

type Item = { label: string; detail?: string; documentation?: { value: string }; textEdit?: { newText: string } };

async function complete(uri: string, text: string, needle: string, delta?: number): Promise<Item[]> {
  const r = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos(text, needle, delta) })) as { items: Item[] } | null;
  return r?.items ?? [];
}

async function hover(uri: string, text: string, needle: string, delta?: number): Promise<string> {
  const r = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(text, needle, delta) })) as { contents: { value: string } } | null;
  return r?.contents.value ?? '';
}

async function until(uri: string, pred: (d: Diagnostic[]) => boolean, first: Promise<Diagnostic[]>): Promise<Diagnostic[]> {
  let d = await first;
  const deadline = Date.now() + 15000;
  while (!pred(d)) {
    if (Date.now() > deadline) throw new Error(`timed out; last diagnostics: ${JSON.stringify(d)}`);
    d = await Promise.race([client.nextDiagnostics(uri), new Promise<Diagnostic[]>((r) => setTimeout(() => r(d), 3000))]);
  }
  return d;
}

function slice(text: string, d: { range: Diagnostic['range'] }): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(off(d.range.start), off(d.range.end));
}

test('a values file outside the chart, tied by its first line: completion of keys and values, hover, from the schema and the chart defaults', async () => {
  const file = path.join(ws, 'deploy', 'prod.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = '# kube-manifests: chart=../echo\nreplicaCount: 3\nimage:\n  pullPolicy: Always\n  \ndebug: \n';
  fs.writeFileSync(file, text);
  const uri = 'file://' + file;
  await client.open(uri, text);
  const keys = await complete(uri, text, '  pullPolicy: Always\n  ');
  assert.deepEqual(keys.map((i) => i.label).sort(), ['repository', 'tag']);
  const tag = keys.find((i) => i.label === 'tag')!;
  assert.equal(tag.detail, 'string = "1.27"');
  assert.match(tag.documentation!.value, /Chart default \(values\.yaml:5\): `"1\.27"`\n\nThe image tag\./);
  const values = await complete(uri, text, 'debug: ');
  assert.deepEqual(values.map((i) => i.label), ['true', 'false']);
  const enumValues = await complete(uri, text, 'pullPolicy: ');
  assert.deepEqual(enumValues.map((i) => i.label), ['Always', 'IfNotPresent', 'Never']);
  const h = await hover(uri, text, 'pullPolicy', 3);
  assert.match(h, /^\*\*\.Values\.image\.pullPolicy\*\*/);
  assert.match(h, /Read by `templates\/deployment\.yaml:18`/);
  assert.match(h, /When to pull the image\./);
  assert.match(h, /Chart default \(values\.yaml:6\): `"IfNotPresent"`/);
});

test('a ci/ values file not in use: checked against the schema on its own, and a key nothing reads is information with the closest key', async () => {
  const text = 'replicaCount: many\nimage:\n  tagg: "1.28"\n';
  fs.mkdirSync(path.join(dir, 'ci'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'ci', 'other.yaml'), text);
  const uri = uriOf('ci/other.yaml');
  const d = await until(uri, (x) => x.length >= 2, client.open(uri, text));
  const e = d.find((x) => x.code === 'helm-values-schema')!;
  assert.equal(e.severity, 1);
  assert.equal(slice(text, e), 'many');
  assert.match(e.message, /got string, want integer \(values\.schema\.json: helm install -f ci\/other\.yaml would refuse these values\)/);
  const i = d.find((x) => x.code === 'values-unknown-key')!;
  assert.equal(i.severity, 3);
  assert.equal(slice(text, i), 'tagg');
  assert.match(i.message, /did you mean tag\?$/);
  // Fixed: the problems go away.
  const fixed = 'replicaCount: 4\nimage:\n  tag: "1.28"\n';
  await until(uri, (x) => x.length === 0, client.change(uri, fixed, 2));
});

test('extract a literal to a value: one edit of the template and values.yaml; the chart renders the same, byte for byte', async () => {
  const rel = 'templates/deployment.yaml';
  const uri = uriOf(rel);
  const text = chart[rel];
  await until(uri, () => true, client.open(uri, text));
  const at = pos(text, 'containerPort: 8080', 'containerPort: 80'.length);
  const actions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [], only: ['refactor.extract'] } })) as Array<{ title: string; kind: string; edit: { changes: Record<string, Array<{ range: Diagnostic['range']; newText: string }>> } }>;
  assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Extract to a value: .Values.containerPort (in values.yaml)', 'refactor.extract']]);
  const changes = actions[0].edit.changes;
  assert.deepEqual(Object.keys(changes).sort(), [uri, uriOf('values.yaml')].sort());
  const apply = (t: string, edits: Array<{ range: Diagnostic['range']; newText: string }>) => {
    const lines = t.split('\n');
    const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    return [...edits].sort((a, b) => off(b.range.start) - off(a.range.start)).reduce((s, e) => s.slice(0, off(e.range.start)) + e.newText + s.slice(off(e.range.end)), t);
  };
  const files = { ...chart };
  files[rel] = apply(chart[rel], changes[uri]);
  files['values.yaml'] = apply(chart['values.yaml'], changes[uriOf('values.yaml')]);
  assert.match(files[rel], /\n {12}- containerPort: \{\{ \.Values\.containerPort \}\}\n/);
  assert.equal(files['values.yaml'], chart['values.yaml'] + 'containerPort: 8080\n');
  const enc = new TextEncoder();
  const render = (m: Record<string, string>) => helmTemplate(Object.entries(m).map(([p, t]) => ({ path: p, data: enc.encode(t) })));
  const beforeOut = render(chart);
  const afterOut = render(files);
  assert.equal(beforeOut.error, undefined);
  assert.equal(afterOut.error, undefined);
  assert.equal(afterOut.output, beforeOut.output);
  // Not offered on an action, nor asked for when only quick fixes are wanted.
  const onAction = pos(text, '{{ .Values.replicaCount }}', 5);
  const none = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: onAction, end: onAction }, context: { diagnostics: [] } })) as unknown[];
  assert.deepEqual(none, []);
  const quick = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [], only: ['quickfix'] } })) as unknown[];
  assert.deepEqual(quick, []);
});

test('values.schema.json errors show in a tied values file, on its value; a key no template reads is information there', async () => {
  const file = path.join(ws, 'deploy', 'staging.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = '# kube-manifests: chart=../echo\nreplicaCount: many\nimage:\n  pullPolcy: Always\n';
  fs.writeFileSync(file, text);
  const uri = 'file://' + file;
  const d = await until(uri, (x) => x.some((p) => p.code === 'helm-values-schema') && x.some((p) => p.code === 'values-unknown-key'), client.open(uri, text));
  const e = d.find((x) => x.code === 'helm-values-schema')!;
  assert.equal(slice(text, e), 'many');
  assert.match(e.message, /got string, want integer \(values\.schema\.json( of echo)?: helm install refuses these values\)/);
  const i = d.find((x) => x.code === 'values-unknown-key')!;
  assert.equal(slice(text, i), 'pullPolcy');
  assert.match(i.message, /did you mean pullPolicy\?$/);
});
