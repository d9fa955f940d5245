/**
 * Helm charts over the protocol: a chart on disk, its templates checked as rendered, problems
 * carried back to the template (and to the values file that holds the value), updated when
 * values.yaml changes in the editor, render errors at their action.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

const chart: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'replicaCount: 2\nimage:\n  repository: nginx\n  tag: "1.27"\n  pullPolicy: IfNotPresent\nservice:\n  port: 80\n',
  'templates/_helpers.tpl': '{{- define "web.name" -}}{{ .Chart.Name }}{{- end }}\n{{- define "web.labels" -}}\napp: {{ include "web.name" . }}\n{{- end }}\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.name" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "web.labels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "web.labels" . | nindent 8 }}
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - containerPort: {{ .Values.service.port }}
`,
  'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ include "web.name" . }}
spec:
  selector:
    {{- include "web.labels" . | nindent 4 }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: 80
`,
};

let dir: string;
let client: TestClient;
const uriOf = (rel: string): string => 'file://' + path.join(dir, rel);
const textOf = (rel: string): string => chart[rel];

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-chart-'));
  for (const [name, text] of Object.entries(chart)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  client = await startServer(ROOT, { folders: ['file://' + dir] });
});
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function slice(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(off(d.range.start), off(d.range.end));
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

test('a valid chart: its templates have no problems (the template syntax is not mistaken for broken YAML)', async () => {
  const d = await client.open(uriOf('templates/deployment.yaml'), textOf('templates/deployment.yaml'));
  assert.deepEqual(d.filter((x) => x.severity! <= 2).map((x) => x.message), []);
});

test('a wrong value in values.yaml (edited, unsaved) shows on the action in the template that prints it, and on the value', async () => {
  const tpl = uriOf('templates/deployment.yaml');
  const values = uriOf('values.yaml');
  const broken = textOf('values.yaml').replace('pullPolicy: IfNotPresent', 'pullPolicy: IfNotPreset');
  const next = client.nextDiagnostics(tpl);
  const onValues = await client.open(values, broken);
  const d = await until(tpl, (x) => x.some((p) => p.code === 'invalid-enum'), next);
  const p = d.find((x) => x.code === 'invalid-enum')!;
  assert.equal(slice(textOf('templates/deployment.yaml'), p), '{{ .Values.image.pullPolicy }}');
  assert.match(p.message, /"IfNotPreset" is not a valid .*imagePullPolicy.*\.Values\.image\.pullPolicy is "IfNotPreset" \(values\.yaml:5\)/);
  const v = onValues.find((x) => x.code === 'invalid-enum');
  assert.ok(v, `values.yaml diagnostics: ${JSON.stringify(onValues)}`);
  assert.equal(slice(broken, v!), 'IfNotPreset');
  assert.match(v!.message, /used by templates\/deployment\.yaml:20/);
  // The quick fix on the action and on the value changes the value where it is set: in values.yaml.
  type Fix = { title: string; edit?: { changes: Record<string, Array<{ range: Diagnostic['range']; newText: string }>> } };
  for (const [uri, diag] of [[tpl, p], [values, v!]] as const) {
    const fixes = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as Fix[];
    const fix = fixes.find((f) => /^Change \.Values\.image\.pullPolicy to IfNotPresent in values\.yaml$/.test(f.title));
    assert.ok(fix, `offered on ${uri}: ${fixes.map((f) => f.title).join(' | ')}`);
    const edits = fix.edit!.changes[values];
    assert.equal(edits.length, 1);
    assert.equal(edits[0].newText, 'IfNotPresent');
    assert.equal(slice(broken, { range: edits[0].range } as Diagnostic), 'IfNotPreset');
  }
  // Fixed again: the problem goes away in the template.
  const fixed = client.nextDiagnostics(tpl);
  await client.change(values, textOf('values.yaml'), 2);
  await until(tpl, (x) => !x.some((p) => p.code === 'invalid-enum'), fixed);
});

test('a render error is placed on the action, explained: a values path that is not set', async () => {
  const uri = uriOf('templates/service.yaml');
  const text = textOf('templates/service.yaml').replace('.Values.service.port }}', '.Values.svc.port }}');
  const d = await until(uri, (x) => x.some((p) => p.code === 'helm-render-error'), client.open(uri, text));
  const p = d.find((x) => x.code === 'helm-render-error')!;
  assert.equal(slice(text, p), '.Values.svc.port');
  assert.equal(p.message, '.Values.svc.port cannot be read: .Values.svc is not set in the values in use (values.yaml), so port is read from nothing. Add svc to values.yaml, or guard the read with {{ if .Values.svc }} or {{ with .Values.svc }}.');
});

test('a template syntax error at its place, and an unknown include name with a suggestion', async () => {
  const uri = uriOf('templates/service.yaml');
  const bad = textOf('templates/service.yaml').replace('{{ include "web.name" . }}', '{{ include "web.nme" . }}');
  let d = await until(uri, (x) => x.some((p) => p.code === 'helm-render-error'), client.change(uri, bad, 2));
  let p = d.find((x) => x.code === 'helm-render-error')!;
  assert.equal(slice(bad, p), 'include "web.nme" .');
  assert.equal(p.message, 'No define named "web.nme" in this chart or its subcharts: did you mean "web.name"?');
  const broken = textOf('templates/service.yaml').replace('{{ .Values.service.port }}', '{{ $port }}');
  d = await until(uri, (x) => x.some((p) => p.code === 'helm-template-syntax'), client.change(uri, broken, 3));
  p = d.find((x) => x.code === 'helm-template-syntax')!;
  assert.equal(slice(broken, p), '$port');
  assert.match(p.message, /^\$port is not defined here/);
});

function pos(text: string, needle: string, delta = needle.length): { line: number; character: number } {
  const off = text.indexOf(needle) + delta;
  const before = text.slice(0, off).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function complete(uri: string, text: string, needle: string, delta?: number): Promise<Array<{ label: string; detail?: string; textEdit?: { newText: string } }>> {
  const r = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos(text, needle, delta) })) as { items: Array<{ label: string; detail?: string }> } | null;
  return r?.items ?? [];
}

async function hover(uri: string, text: string, needle: string, delta?: number): Promise<string> {
  const r = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(text, needle, delta) })) as { contents: { value: string } } | null;
  return r?.contents.value ?? '';
}

test('completion in a template: .Values paths with their values, define names after include, Kubernetes keys in the YAML text', async () => {
  const uri = uriOf('templates/deployment.yaml');
  const text = textOf('templates/deployment.yaml').replace('imagePullPolicy: {{ .Values.image.pullPolicy }}', 'imagePullPolicy: {{ .Values.image. }}');
  await until(uri, () => true, client.change(uri, text, 10));
  const values = await complete(uri, text, '{{ .Values.image.');
  assert.deepEqual(values.map((i) => i.label), ['pullPolicy', 'repository', 'tag']);
  assert.equal(values.find((i) => i.label === 'tag')!.detail, 'string = "1.27"');
  const defs = await complete(uri, text, 'include "', 'include "'.length);
  assert.deepEqual(defs.map((i) => i.label), ['web.labels', 'web.name']);
  const roots = await complete(uri, text, '{{ .Values.replicaCount', 4);
  assert.ok(['Values', 'Release', 'Chart', 'Capabilities', 'Files'].every((l) => roots.some((i) => i.label === l)), JSON.stringify(roots.map((i) => i.label)));
  // The YAML text of a template (the template parses again): the keys of a container, as in a plain manifest.
  const typing = textOf('templates/deployment.yaml').replace('          ports:\n', '          livenessPr\n          ports:\n');
  await until(uri, () => true, client.change(uri, typing, 11));
  const keys = await complete(uri, typing, 'livenessPr');
  assert.ok(keys.some((i) => i.label === 'livenessProbe'), `container keys offered in the YAML text: ${JSON.stringify(keys.map((i) => i.label).slice(0, 10))}`);
  await until(uri, () => true, client.change(uri, textOf('templates/deployment.yaml'), 12));
});

test('hover in a template: a values path shows its value and where it is set; a Kubernetes key its documentation; a define name its body', async () => {
  const uri = uriOf('templates/deployment.yaml');
  const text = textOf('templates/deployment.yaml');
  const v = await hover(uri, text, '.Values.image.tag', '.Values.image.t'.length);
  assert.match(v, /\*\*\.Values\.image\.tag\*\* = `"1\.27"` \(string\)/);
  assert.match(v, /values\.yaml:4: `"1\.27"`/);
  const k = await hover(uri, text, 'imagePullPolicy', 3);
  assert.match(k, /Always, Never, IfNotPresent|IfNotPresent/);
  const d = await hover(uri, text, 'include "web.labels"', 'include "w'.length);
  assert.match(d, /define "web\.labels"\*\* in `templates\/_helpers\.tpl`/);
  assert.match(d, /app: \{\{ include "web\.name" \. \}\}/);
});

test('Show Rendered Manifest: the template as rendered with the values in use, with the problems of the rendered text', async () => {
  const uri = uriOf('templates/deployment.yaml');
  const values = uriOf('values.yaml');
  await client.change(values, textOf('values.yaml').replace('replicaCount: 2', 'replicaCount: 3').replace('pullPolicy: IfNotPresent', 'pullPolicy: Sometimes'), 20);
  const r = (await client.conn.sendRequest('kubeManifests/renderedManifest', { uri })) as { name: string; text: string; problems: Diagnostic[] };
  assert.equal(r.name, 'web/templates/deployment.yaml');
  assert.match(r.text, /^# Source: web\/templates\/deployment\.yaml\napiVersion: apps\/v1\n/);
  assert.match(r.text, /\n {2}replicas: 3\n/);
  assert.match(r.text, /\n {10}image: "nginx:1\.27"\n {10}imagePullPolicy: Sometimes\n/);
  const p = r.problems.find((x) => x.code === 'invalid-enum')!;
  assert.equal(slice(r.text, p), 'Sometimes');
  const partial = (await client.conn.sendRequest('kubeManifests/renderedManifest', { uri: uriOf('templates/_helpers.tpl') })) as { error: string };
  assert.match(partial.error, /renders nothing by itself \(a partial, or NOTES\.txt\)/);
  const outside = (await client.conn.sendRequest('kubeManifests/renderedManifest', { uri: 'file:///nowhere/x.yaml' })) as { error: string };
  assert.match(outside.error, /not part of a Helm chart/);
  await client.change(values, textOf('values.yaml'), 21);
});

test('a values file outside the chart, tied by a first-line comment, gets the chart checks on its values', async () => {
  const outside = path.join(path.dirname(dir), path.basename(dir) + '-prod.yaml');
  const text = `# kube-manifests: chart=./${path.basename(dir)}\nimage:\n  pullPolicy: Sometimes\n`;
  fs.writeFileSync(outside, text);
  try {
    const uri = 'file://' + outside;
    const d = await until(uri, (x) => x.some((p) => p.code === 'invalid-enum'), client.open(uri, text));
    const p = d.find((x) => x.code === 'invalid-enum')!;
    assert.equal(slice(text, p), 'Sometimes');
    assert.match(p.message, /used by templates\/deployment\.yaml:20$/);
  } finally {
    fs.rmSync(outside, { force: true });
  }
});

test('extra values files in use for a chart (kubeManifests/setHelmValueFiles): the templates are checked with them', async () => {
  fs.mkdirSync(path.join(dir, 'ci'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'ci', 'broken-values.yaml'), 'replicaCount: lots\n');
  const info = (await client.conn.sendRequest('kubeManifests/chartInfo', { uri: uriOf('templates/deployment.yaml') })) as { chart: string; name: string; candidates: string[] };
  assert.equal(info.name, 'web');
  assert.deepEqual(info.candidates, [uriOf('ci/broken-values.yaml')]);
  const tpl = uriOf('templates/deployment.yaml');
  const next = client.nextDiagnostics(tpl);
  await client.conn.sendNotification('kubeManifests/setHelmValueFiles', { chart: info.chart, files: info.candidates });
  const d = await until(tpl, (x) => x.some((p) => p.code === 'invalid-type'), next);
  assert.match(d.find((x) => x.code === 'invalid-type')!.message, /\.Values\.replicaCount is "lots" \(ci\/broken-values\.yaml:1\)$/);
  const back = client.nextDiagnostics(tpl);
  await client.conn.sendNotification('kubeManifests/setHelmValueFiles', { chart: info.chart, files: [] });
  await until(tpl, (x) => !x.some((p) => p.code === 'invalid-type'), back);
});

test('quick fix over the protocol: a values path no values file sets is added to values.yaml', async () => {
  const uri = uriOf('templates/service.yaml');
  const missing = textOf('templates/service.yaml').replace('.Values.service.port }}', '.Values.svc.port }}');
  const d2 = await until(uri, (x) => x.some((p) => p.code === 'helm-render-error'), client.change(uri, missing, 31));
  const p2 = d2.find((x) => x.code === 'helm-render-error')!;
  const fixes = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: p2.range, context: { diagnostics: [p2] } })) as Array<{ title: string; edit: { changes: Record<string, Array<{ newText: string }>> } }>;
  assert.deepEqual(fixes.map((f) => f.title), ['Add svc.port to values.yaml']);
  assert.deepEqual(Object.keys(fixes[0].edit.changes), [uriOf('values.yaml')]);
  assert.equal(fixes[0].edit.changes[uriOf('values.yaml')][0].newText, 'svc:\n  port: ""\n');
  await client.change(uri, textOf('templates/service.yaml'), 32);
});

test('navigation in templates: defines as symbols, go to a define from include, its references, a variable to its declaration, folding of blocks', async () => {
  const helpers = uriOf('templates/_helpers.tpl');
  await client.open(helpers, textOf('templates/_helpers.tpl'));
  const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: helpers } })) as Array<{ name: string; detail: string }>;
  assert.deepEqual(symbols.map((s) => `${s.detail} ${s.name}`), ['define web.name', 'define web.labels']);
  const uri = uriOf('templates/deployment.yaml');
  const text = textOf('templates/deployment.yaml');
  await until(uri, () => true, client.change(uri, text, 40));
  const def = (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: pos(text, 'include "web.labels"', 'include "we'.length) })) as Array<{ uri: string; range: { start: { line: number } } }>;
  assert.deepEqual(def.map((d) => [d.uri, d.range.start.line]), [[helpers, 1]]);
  const refs = (await client.conn.sendRequest('textDocument/references', { textDocument: { uri }, position: pos(text, 'include "web.labels"', 'include "we'.length), context: { includeDeclaration: false } })) as Array<{ uri: string }>;
  assert.equal(refs.filter((r) => r.uri === uri).length, 3);
  assert.equal(refs.filter((r) => r.uri === uriOf('templates/service.yaml')).length, 1);
  const withVars = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n{{- $prefix := "app" }}\n{{- range $k, $v := .Values.image }}\n  {{ $prefix }}-{{ $k }}: {{ $v | quote }}\n{{- end }}\n';
  const cm = uriOf('templates/cm.yaml');
  await client.open(cm, withVars);
  const v = (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri: cm }, position: pos(withVars, '{{ $prefix }}', 5) })) as Array<{ range: { start: { line: number; character: number } } }>;
  assert.deepEqual(v.map((d) => d.range.start), [{ line: 5, character: 4 }]);
  const k = (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri: cm }, position: pos(withVars, '{{ $k }}', 5) })) as Array<{ range: { start: { line: number; character: number } } }>;
  assert.deepEqual(k.map((d) => d.range.start), [{ line: 6, character: 10 }]);
  const folds = (await client.conn.sendRequest('textDocument/foldingRange', { textDocument: { uri: cm } })) as Array<{ startLine: number; endLine: number }>;
  assert.ok(folds.some((f) => f.startLine === 6 && f.endLine === 8), JSON.stringify(folds));
});

test('functions in templates: completion with signatures, hover with description and example', async () => {
  const uri = uriOf('templates/deployment.yaml');
  const text = textOf('templates/deployment.yaml').replace('{{ .Values.replicaCount }}', '{{ .Values.replicaCount | nind }}');
  await until(uri, () => true, client.change(uri, text, 50));
  const items = await complete(uri, text, '| nind');
  const nindent = items.find((i) => i.label === 'nindent');
  assert.ok(nindent, JSON.stringify(items.slice(0, 5)));
  assert.match(nindent!.detail!, /^nindent N STRING/);
  assert.ok(!items.some((i) => i.label === 'env'), 'env is removed by Helm and not offered');
  const h = await hover(uri, text, '| nind', 4);
  assert.match(h, /nindent/);
  assert.match(h, /Example/);
  await client.change(uri, textOf('templates/deployment.yaml'), 51);
});

test('hover on a key of values.yaml: its value in use and the templates that read it', async () => {
  const uri = uriOf('values.yaml');
  const text = textOf('values.yaml');
  await until(uri, () => true, client.change(uri, text, 60));
  const h = await hover(uri, text, 'pullPolicy', 3);
  // templates/cm.yaml (opened above) ranges over .Values.image, so it reads pullPolicy too.
  assert.equal(h, '**.Values.image.pullPolicy** = `"IfNotPresent"` in the values in use\n\nRead by `templates/cm.yaml:8`, `templates/deployment.yaml:20`.');
  const port = await hover(uri, text, 'port:', 1);
  assert.match(port, /Read by `templates\/deployment\.yaml:22`, `templates\/service\.yaml:9`\./);
});

test('values navigation: go to the values key from a template read, its references from values.yaml, rename both ways', async () => {
  const tpl = uriOf('templates/deployment.yaml');
  const text = textOf('templates/deployment.yaml');
  await until(tpl, () => true, client.change(tpl, text, 70));
  const def = (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri: tpl }, position: pos(text, '.Values.image.tag', '.Values.image.t'.length) })) as Array<{ uri: string; range: { start: { line: number } } }>;
  assert.deepEqual(def.map((d) => [d.uri, d.range.start.line]), [[uriOf('values.yaml'), 3]]);
  const values = uriOf('values.yaml');
  const vtext = textOf('values.yaml');
  await until(values, () => true, client.change(values, vtext, 71));
  const refs = (await client.conn.sendRequest('textDocument/references', { textDocument: { uri: values }, position: pos(vtext, 'port:', 1), context: { includeDeclaration: false } })) as Array<{ uri: string; range: { start: { line: number } } }>;
  assert.deepEqual(refs.map((r) => [r.uri.slice(r.uri.lastIndexOf('/') + 1), r.range.start.line]).sort(), [['deployment.yaml', 21], ['service.yaml', 8]]);
  const edit = (await client.conn.sendRequest('textDocument/rename', { textDocument: { uri: values }, position: pos(vtext, 'replicaCount', 2), newName: 'replicas' })) as { changes: Record<string, Array<{ newText: string; range: { start: { line: number } } }>> };
  assert.deepEqual(Object.keys(edit.changes).sort(), [tpl, values].sort());
  assert.deepEqual(edit.changes[tpl].map((e) => [e.newText, e.range.start.line]), [['replicas', 7]]);
  assert.deepEqual(edit.changes[values].map((e) => [e.newText, e.range.start.line]), [['replicas', 0]]);
  const prep = (await client.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: tpl }, position: pos(text, '.Values.replicaCount', 10) })) as { placeholder: string };
  assert.equal(prep.placeholder, 'replicaCount');
});

test('Chart.yaml: helm lint checks as diagnostics, hover on its fields', async () => {
  const uri = uriOf('Chart.yaml');
  const bad = 'apiVersion: v2\nname: web\nversion: 1.2\n';
  const d = await until(uri, (x) => x.some((p) => String(p.code).startsWith('chart-version')), client.open(uri, bad));
  assert.ok(d.some((p) => String(p.code).startsWith('chart-version') && slice(bad, p) === '1.2'), JSON.stringify(d));
  const h = await hover(uri, bad, 'version', 2);
  assert.match(h, /version/i);
  await client.change(uri, textOf('Chart.yaml'), 2);
});
