#!/usr/bin/env node
// Huge inputs: a 5 MB file, a single 1 MB line and a file of 10,000 tiny
// documents, measured in-process through the language service (and over LSP
// with --lsp), plus how the time grows with the number of documents and with
// the length of one line (it must stay close to linear). Prints figures, never
// fails: read the numbers (docs/performance.md records them).
//
//   node scripts/benchHuge.mjs [--lsp] [--quick]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');

// ---------------------------------------------------------------- the service, bundled from source
const bundle = path.join(root, 'out', 'bench', 'service.cjs');
await esbuild.build({
  stdin: {
    contents: `export { createLanguageService } from './server/src/languageService';
export { nodeSchemaReader } from './server/src/node/schemaFiles';
export { normalizeSettings } from './server/src/types';`,
    resolveDir: root,
    loader: 'ts',
  },
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const { createLanguageService, nodeSchemaReader, normalizeSettings } = require(bundle);
const errors = [];
const ls = createLanguageService({ readSchema: nodeSchemaReader(path.join(root, 'schemas')), onError: (f, u, e) => errors.push(`${f}: ${e?.message}`) });
const settings = normalizeSettings({});

// ---------------------------------------------------------------- workloads
function deployment(i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels:
    app: app-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
      - name: app
        image: ghcr.io/example/app-${i}:1.0.${i % 10}
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /ready
            port: http
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
`;
}
function service(i) {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector:
    app: app-${i}
  ports:
  - name: http
    port: 80
    targetPort: http
`;
}
function configMap(i) {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${i}-config
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
`;
}
/** Realistic manifests up to `bytes`. */
function bigFile(bytes) {
  const docs = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    for (const d of [deployment(i), service(i), configMap(i)]) {
      docs.push(d);
      size += d.length + 4;
    }
  }
  return docs.join('---\n');
}
/** One ConfigMap whose data holds one line of `bytes` characters, of the given shape. */
function longLine(bytes, shape) {
  const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\n';
  if (shape === 'string') return `${head}data:\n  blob: "${'x'.repeat(bytes)}"\n`;
  if (shape === 'flow') {
    const parts = [];
    let n = 0;
    for (let i = 0; n < bytes; i++) {
      const p = `k${i}: "v${i}"`;
      parts.push(p);
      n += p.length + 2;
    }
    return `${head}data: {${parts.join(', ')}}\n`;
  }
  // one line of plain words, no structure: a minified blob pasted as a value
  let s = '';
  while (s.length < bytes) s += 'lorem ipsum dolor sit amet ';
  return `${head}data:\n  blob: ${s.slice(0, bytes)}\n`;
}
function tinyDocs(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`);
  return out.join('---\n');
}

// ---------------------------------------------------------------- measuring
const now = () => performance.now();
function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
function fmt(ms) {
  return ms === undefined || Number.isNaN(ms) ? '-' : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}
/** Offsets of the ends of some `key:` lines spread over the text (completion and hover targets). */
function probes(text, count) {
  const out = [];
  const re = /^( *)([A-Za-z][\w.-]*):[^\n]*$/gm;
  const all = [];
  let m;
  while ((m = re.exec(text)) && all.length < 200000) all.push({ key: m.index + m[1].length + 1, end: m.index + m[0].length });
  const step = Math.max(1, Math.floor(all.length / count));
  for (let i = 0; i < all.length && out.length < count; i += step) out.push(all[i]);
  return out;
}

/** Where typing happens: the end of an `image:` (or any `key: value`) line near the middle of the text. */
function editPoint(text) {
  const from = Math.floor(text.length / 2);
  for (const re of [/\n *image: [^\n]+/g, /\n *[\w.-]+: [^\n]+/g]) {
    re.lastIndex = from;
    const m = re.exec(text);
    if (m) return m.index + m[0].length;
  }
  return from;
}

/** Open (parse + check), a one-character edit in the middle (incremental parse + check), completion and hover. */
function measure(name, text, { requests = quick ? 20 : 100 } = {}) {
  const dbg = (s) => process.env.BENCH_DEBUG && console.error(`${name}: ${s} ${(now() - T0).toFixed(0)} ms`);
  const T0 = now();
  const uri = `file:///bench/${name}.yaml`;
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let t = now();
  let file = ls.parse(uri, text);
  const parseMs = now() - t;
  t = now();
  dbg('parsed');
  const problems = ls.validate(file, settings);
  dbg('validated');
  const openMs = parseMs + (now() - t);
  const heapMiB = (process.memoryUsage().heapUsed - heap0) / 1048576;
  // Typing: a character added at the end of a value line near the middle (an image tag, a name) and taken out again.
  const mid = editPoint(text);
  const edits = [];
  let current = text;
  for (let k = 0; k < (quick ? 4 : 10); k++) {
    const next = k % 2 === 0 ? current.slice(0, mid) + '1' + current.slice(mid) : current.slice(0, mid) + current.slice(mid + 1);
    t = now();
    file = ls.parse(uri, next, file);
    ls.validate(file, settings);
    edits.push(now() - t);
    current = next;
  }
  // The worst edit: one that changes what other documents' rules read (a label every Service selector is matched against).
  const label = current.indexOf('\n        app: ', Math.floor(current.length / 2));
  let factEditMs;
  if (label > 0) {
    const at = current.indexOf('\n', label + 1);
    const next = current.slice(0, at) + 'x' + current.slice(at);
    t = now();
    const f2 = ls.parse(uri, next, file);
    ls.validate(f2, settings);
    factEditMs = now() - t;
  }
  dbg('edited');
  const completion = [];
  const hover = [];
  const points = probes(current, requests);
  dbg('probes');
  for (const p of points) {
    t = now();
    ls.complete(file, p.end, settings);
    completion.push(now() - t);
    t = now();
    ls.hover(file, p.key, settings);
    hover.push(now() - t);
  }
  return { name, bytes: text.length, lines: text.split('\n').length, sections: file.sections.length, problems: problems.length, parseMs, openMs, editMedian: percentile(edits, 50), editMax: Math.max(...edits), factEditMs, completionP50: percentile(completion, 50), completionP95: percentile(completion, 95), hoverP50: percentile(hover, 50), hoverP95: percentile(hover, 95), heapMiB };
}

function row(r) {
  return `  ${r.name.padEnd(30)} ${(r.bytes / 1048576).toFixed(2).padStart(6)} MB ${String(r.lines).padStart(7)} lines ${String(r.sections).padStart(6)} docs | open ${fmt(r.openMs).padStart(8)} (parse ${fmt(r.parseMs)}) | edit ${fmt(r.editMedian).padStart(8)} (max ${fmt(r.editMax)}${r.factEditMs !== undefined ? `, label edit ${fmt(r.factEditMs)}` : ''}) | completion p50/p95 ${fmt(r.completionP50)}/${fmt(r.completionP95)} | hover p50/p95 ${fmt(r.hoverP50)}/${fmt(r.hoverP95)} | problems ${r.problems}`;
}

console.log(`Huge inputs, in-process through the language service: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${(os.totalmem() / 1073741824).toFixed(0)} GB RAM`);
// Warm up the JIT on something ordinary first: the figures are for a server that has been running.
measure('warm-up', bigFile(200_000), { requests: 20 });

const results = [];
results.push(measure('5 MB file (Deployments, Services, ConfigMaps)', bigFile(5 * 1048576)));
results.push(measure('1 MB line: a quoted string', longLine(1048576, 'string')));
results.push(measure('1 MB line: plain words', longLine(1048576, 'plain')));
results.push(measure('1 MB line: a flow map of 60k keys', longLine(1048576, 'flow')));
results.push(measure('10,000 tiny documents', tinyDocs(10000)));
for (const r of results) console.log(row(r));

console.log('\nGrowth (time per unit should stay flat: linear):');
for (const n of quick ? [1000, 10000] : [1000, 2500, 5000, 10000, 20000]) {
  const r = measure(`${n} tiny docs`, tinyDocs(n), { requests: 20 });
  console.log(`  ${String(n).padStart(6)} tiny documents: open ${fmt(r.openMs).padStart(8)} = ${((r.openMs / n) * 1000).toFixed(1)} µs per document; edit ${fmt(r.editMedian)}`);
}
for (const kb of quick ? [64, 1024] : [64, 256, 1024, 4096]) {
  const r = measure(`${kb} KB flow line`, longLine(kb * 1024, 'flow'), { requests: 20 });
  console.log(`  ${String(kb).padStart(6)} KB flow-map line: open ${fmt(r.openMs).padStart(8)} = ${(r.openMs / kb).toFixed(2)} ms per KB; edit ${fmt(r.editMedian)}`);
}
for (const mb of quick ? [1, 2] : [1, 2, 5, 10]) {
  const r = measure(`${mb} MB file`, bigFile(mb * 1048576), { requests: 20 });
  console.log(`  ${String(mb).padStart(6)} MB of manifests (${r.lines} lines): open ${fmt(r.openMs).padStart(8)} = ${(r.openMs / mb).toFixed(0)} ms per MB; edit ${fmt(r.editMedian)}`);
}
if (errors.length) console.log(`\nexceptions reported by the service: ${errors.length}, e.g. ${errors[0]}`);

// ---------------------------------------------------------------- over LSP
if (args.has('--lsp')) {
  const rpc = require('vscode-languageserver-protocol/node');
  console.log('\nOver LSP (dist/server.js --stdio; first diagnostics after didOpen, after a one-character edit, completion):');
  for (const [name, text] of [
    ['5 MB file', bigFile(5 * 1048576)],
    ['1 MB line (flow map)', longLine(1048576, 'flow')],
    ['10,000 tiny documents', tinyDocs(10000)],
  ]) {
    const proc = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
    const waiters = [];
    conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
      for (let i = waiters.length - 1; i >= 0; i--) if ((p.version ?? 0) >= waiters[i].version) waiters.splice(i, 1)[0].resolve(p);
    });
    conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onNotification('window/logMessage', () => undefined);
    conn.listen();
    await conn.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } } });
    await conn.sendNotification(rpc.InitializedNotification.type, {});
    const uri = pathToFileURL(path.join(os.tmpdir(), `kube-manifests-huge-${name.replace(/\W+/g, '-')}.yaml`)).href;
    const diag = (version) => new Promise((resolve) => waiters.push({ version, resolve }));
    let t = now();
    let d = diag(1);
    await conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await d;
    const openMs = now() - t;
    const lines = text.split('\n');
    const editAt = editPoint(text);
    const line = text.slice(0, editAt).split('\n').length - 1;
    const col = lines[line].length;
    const editTimes = [];
    for (let v = 2; v < 8; v++) {
      d = diag(v);
      t = now();
      const change = v % 2 === 0 ? { range: { start: { line, character: col }, end: { line, character: col } }, text: '1' } : { range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: '' };
      await conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [change] });
      await d;
      editTimes.push(now() - t);
    }
    const completion = [];
    for (let k = 0; k < 20; k++) {
      const l = Math.floor((lines.length * (k + 0.5)) / 20);
      t = now();
      await conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri }, position: { line: l, character: lines[l].length } });
      completion.push(now() - t);
    }
    let rss = NaN;
    try {
      rss = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))[1]) / 1024;
    } catch { /* not Linux */ }
    console.log(`  ${name.padEnd(24)} first diagnostics ${fmt(openMs).padStart(8)} | edit median ${fmt(percentile(editTimes, 50))} (max ${fmt(Math.max(...editTimes))}) | completion p50/p95 ${fmt(percentile(completion, 50))}/${fmt(percentile(completion, 95))} | peak RSS ${rss.toFixed(0)} MiB`);
    try {
      await Promise.race([conn.sendRequest(rpc.ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await conn.sendNotification(rpc.ExitNotification.type);
    } catch { /* gone */ }
    setTimeout(() => proc.kill('SIGKILL'), 1000).unref();
  }
}
process.exit(0);
