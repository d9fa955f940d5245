#!/usr/bin/env node
// `npm run bench`: drives dist/server.js over stdio on a large generated manifest
// file and prints the figures next to their budgets. Never a pass/fail test: the
// machines are shared and noisy; read the numbers.
//
//   node scripts/bench.mjs [--peer] [--quick] [--editing] [--server PATH] [--edits N] [--series]
//
// --peer     also runs yaml-language-server (the Red Hat YAML server) offline on the
//            same file with the Kubernetes schema from ../shared/bench, installed
//            into .cache/peer from the npm registry.
// --quick    fewer requests, for a smoke run.
// --editing  only the 20k-line editing figures and where their time goes.
// --server   another server bundle than dist/server.js (BENCH_SERVER too), to compare builds.
// --edits N  N one-character edits instead of 10; --series prints each edit's time.
//
// Besides the figures it prints where the time of the first check and of an edit goes,
// phase by phase, from a second server started with KUBE_MANIFESTS_PROFILE=1
// (lsp/profile.ts), and the `yaml` package's own parse of the file in a fresh process.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
// --server PATH (or BENCH_SERVER): another server bundle than dist/server.js (a private build to compare).
const argv = process.argv.slice(2);
const optionValue = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const serverJs = path.resolve(optionValue('--server') ?? process.env.BENCH_SERVER ?? path.join(root, 'dist', 'server.js'));
// --editing: only the 20k-line editing figures (no growth, index, Helm or chart runs).
const editingOnly = args.has('--editing');

// ---------------------------------------------------------------- workload
function deployment(i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 7}
  labels:
    app: app-${i}
    tier: backend
spec:
  replicas: ${2 + (i % 4)}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app: app-${i}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: app-${i}
        tier: backend
    spec:
      serviceAccountName: app-${i}
      terminationGracePeriodSeconds: 40
      containers:
      - name: app
        image: ghcr.io/example/app-${i}:1.${i % 10}.0
        imagePullPolicy: IfNotPresent
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        env:
        - name: DATABASE_URL
          valueFrom:
            secretKeyRef:
              name: app-${i}-db
              key: url
        - name: LOG_LEVEL
          value: info
        readinessProbe:
          httpGet:
            path: /ready
            port: http
          periodSeconds: 5
        livenessProbe:
          httpGet:
            path: /healthz
            port: http
          initialDelaySeconds: 10
          periodSeconds: 10
        lifecycle:
          preStop:
            exec:
              command: ["sh", "-c", "sleep 10"]
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
  namespace: team-${i % 7}
spec:
  selector:
    app: app-${i}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: metrics
    port: 9090
    targetPort: metrics
`;
}
function secret(i) {
  return `apiVersion: v1
kind: Secret
metadata:
  name: app-${i}-db
  namespace: team-${i % 7}
type: Opaque
data:
  url: ${Buffer.from(`postgres://app${i}@db:5432/app${i}`).toString('base64')}
  password: ${Buffer.from(`pw-${i}-secret`).toString('base64')}
`;
}
function rbac(i) {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-${i}
  namespace: team-${i % 7}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-${i}-reader
  namespace: team-${i % 7}
rules:
- apiGroups: [""]
  resources: ["configmaps", "pods"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-${i}-reader
  namespace: team-${i % 7}
subjects:
- kind: ServiceAccount
  name: app-${i}
  namespace: team-${i % 7}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: app-${i}-reader
`;
}
function cronjob(i) {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: app-${i}-cleanup
  namespace: team-${i % 7}
spec:
  schedule: "${i % 60} 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: cleanup
            image: busybox:1.36
            command: ["sh", "-c", "echo cleanup ${i}"]
`;
}
/** A multi-document file of at least `minLines` lines; returns the text and positions worth asking about. */
function workload(minLines) {
  const docs = [];
  let lines = 0;
  let objects = 0;
  for (let i = 0; lines < minLines; i++) {
    for (const d of [deployment(i), service(i), secret(i), rbac(i), cronjob(i)]) {
      docs.push(d);
      lines += d.split('\n').length;
      objects += d.split('\n---\n').length;
    }
  }
  const text = docs.join('---\n');
  return { text, lines: text.split('\n').length, objects };
}

// ---------------------------------------------------------------- client
function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
function peakRss(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function startClient(command, argv, { schemaFiles, settings = {}, env = process.env } = {}) {
  const proc = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'], env });
  proc.stderr.on('data', () => undefined);
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const waiters = [];
  conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && (p.version === undefined || p.version >= w.version)) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  conn.onRequest('workspace/configuration', (params) => params.items.map((it) => (it.section ? settings[it.section] ?? null : settings)));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('vscode/content', (uri) => {
    const name = String(uri).split('/').pop();
    return fs.readFileSync(path.join(schemaFiles, name), 'utf8');
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('telemetry/event', () => undefined);
  conn.listen();
  await conn.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { versionSupport: true } },
    },
    initializationOptions: {},
  });
  await conn.sendNotification(rpc.InitializedNotification.type, {});
  return {
    proc,
    conn,
    diagnostics(uri, version) {
      return new Promise((resolve) => waiters.push({ uri, version, resolve }));
    },
    async stop() {
      try {
        await Promise.race([conn.sendRequest(rpc.ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
        await conn.sendNotification(rpc.ExitNotification.type);
      } catch { /* gone */ }
      setTimeout(() => proc.kill('SIGKILL'), 1000).unref();
    },
  };
}

/** Positions of keys and values in the text where completion and hover make sense. */
function probePositions(text, count) {
  const lines = text.split('\n');
  const out = [];
  const step = Math.max(1, Math.floor(lines.length / count));
  for (let l = 5; l < lines.length && out.length < count; l += step) {
    const m = /^(\s*)(-\s+)?([A-Za-z][\w]*):/.exec(lines[l]);
    if (!m) {
      l -= step - 1;
      continue;
    }
    const col = m[1].length + (m[2]?.length ?? 0);
    out.push({ line: l, key: { line: l, character: col + 1 } });
  }
  return out;
}

const editCount = () => Number(optionValue('--edits')) || (quick ? 3 : 10);
/** The line the edits go to: a `replicas:` in the middle of the file. */
const editLine = (lines) => lines.findIndex((l, i) => i > lines.length / 2 && /^\s+replicas: \d/.test(l));
/** The k-th edit: a digit typed after `replicas: ` (even k), then taken out again (odd k). */
function typo(lines, target, k) {
  const col = lines[target].indexOf(':') + 2;
  return k % 2 === 0 ? { range: { start: { line: target, character: col }, end: { line: target, character: col } }, text: '1' } : { range: { start: { line: target, character: col }, end: { line: target, character: col + 1 } }, text: '' };
}
const wall = () => performance.timeOrigin + performance.now();

/**
 * Where the time goes: the same open and edits against a server started with
 * KUBE_MANIFESTS_PROFILE=1, which times its phases (lsp/profile.ts) and answers
 * them with `kubeManifests/timings` after each edit. The client's send and
 * receive times (wall clock, same machine) give the transport on either side.
 */
async function breakdown(text) {
  const client = await startClient(process.execPath, [serverJs, '--stdio'], { env: { ...process.env, KUBE_MANIFESTS_PROFILE: '1' } });
  const uri = pathToFileURL(path.join(os.tmpdir(), 'kube-manifests-bench-profile.yaml')).href;
  const runs = [];
  const one = async (version, send) => {
    const p = client.diagnostics(uri, version);
    const sentAt = wall();
    await send();
    await p;
    const receivedAt = wall();
    const records = await client.conn.sendRequest('kubeManifests/timings');
    const r = records.find((x) => x.version === version) ?? records[records.length - 1];
    if (!r) return;
    const phases = { 'transport: client to server': r.receivedAt - sentAt, ...r.phases, 'transport: server to client (and the client decoding)': receivedAt - r.publishedAt };
    runs.push({ total: receivedAt - sentAt, phases, gcMs: r.gcMs ?? 0 });
  };
  await one(1, () => client.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } }));
  const lines = text.split('\n');
  const target = editLine(lines);
  for (let k = 0; k < Math.max(editCount(), 10); k++) {
    await one(k + 2, () => client.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version: k + 2 }, contentChanges: [typo(lines, target, k)] }));
  }
  // Completion and hover at the positions measure() asks about: the client's time against the server's own.
  const asked = { completion: [], hover: [] };
  for (const p of probePositions(text, quick ? 50 : 300)) {
    let t = performance.now();
    await client.conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri }, position: { line: p.line, character: lines[p.line].length } });
    asked.completion.push(performance.now() - t);
    t = performance.now();
    await client.conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: p.key });
    asked.hover.push(performance.now() - t);
  }
  const served = await client.conn.sendRequest('kubeManifests/requestTimings').catch(() => []);
  // The floor: a request the server answers at once (documentInfo of a document that is not open).
  const nothing = [];
  for (let i = 0; i < (quick ? 50 : 300); i++) {
    const t = performance.now();
    await client.conn.sendRequest('kubeManifests/documentInfo', { uri: 'file:///not-open.yaml' });
    nothing.push(performance.now() - t);
  }
  await client.stop();
  if (runs.length < 2) {
    console.log('\n(no timings: the server does not answer kubeManifests/timings)');
    return;
  }
  const [open, ...edits] = runs;
  const after = 'workspace index update (when typing pauses)';
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.phases)))].filter((n) => n !== after);
  const med = (list) => percentile(list, 50);
  const rows = names.map((n) => [n, open.phases[n] ?? 0, med(edits.map((e) => e.phases[n] ?? 0))]);
  const sum = (r) => names.reduce((s, n) => s + (r.phases[n] ?? 0), 0);
  rows.push(['not accounted for', open.total - sum(open), med(edits.map((e) => e.total - sum(e)))]);
  console.log(`\nWhere the time goes (a server with KUBE_MANIFESTS_PROFILE=1; the edit column is the median of ${edits.length} edits per phase):`);
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`  ${'phase'.padEnd(w)}  ${'first check'.padStart(11)}  ${'an edit'.padStart(9)}`);
  for (const [n, a, b] of rows) console.log(`  ${n.padEnd(w)}  ${fmt(a).padStart(11)}  ${fmt(b).padStart(9)}`);
  console.log(`  ${'total, as the client sees it'.padEnd(w)}  ${fmt(open.total).padStart(11)}  ${fmt(med(edits.map((e) => e.total))).padStart(9)}`);
  console.log(`  ${'of which garbage collection'.padEnd(w)}  ${fmt(open.gcMs).padStart(11)}  ${fmt(med(edits.map((e) => e.gcMs))).padStart(9)}`);
  const ran = edits.filter((e) => e.phases[after] !== undefined);
  console.log(`  ${after}, not in the totals: ${open.phases[after] === undefined ? 'not run before the first edit' : `${fmt(open.phases[after])} after the first check`}${ran.length ? `, median ${fmt(med(ran.map((e) => e.phases[after])))} after an edit` : ' (none during these edits: they came without a pause)'}`);
  console.log(`  a request the server answers at once (the transport and scheduling floor): median ${fmt(med(nothing))}, p95 ${fmt(percentile(nothing, 95))}`);
  for (const method of ['completion', 'hover']) {
    const own = served.filter((r) => r.method === method);
    if (!own.length) continue;
    const c = asked[method];
    console.log(`  ${method}: the client waits median ${fmt(med(c))}, p95 ${fmt(percentile(c, 95))}; the server's handler median ${fmt(med(own.map((r) => r.handleMs)))}, p95 ${fmt(percentile(own.map((r) => r.handleMs), 95))}; from its input to the handler p95 ${fmt(percentile(own.map((r) => r.waitMs), 95))} (${own.length} requests)`);
  }
}

/** The `yaml` package's own parse of the file (parseAllDocuments, YAML 1.1) in fresh processes: the median of 3. */
function yamlColdParse(text) {
  const file = path.join(os.tmpdir(), `kube-manifests-bench-${process.pid}.yaml`);
  fs.writeFileSync(file, text);
  const script = `const { parseAllDocuments } = require(${JSON.stringify(require.resolve('yaml'))}); const text = require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'); const t = performance.now(); parseAllDocuments(text, { version: '1.1' }); console.log(performance.now() - t);`;
  const times = [];
  try {
    for (let i = 0; i < 3; i++) times.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()));
  } finally {
    fs.rmSync(file, { force: true });
  }
  return percentile(times, 50);
}

async function measure(name, client, text, { requests, waitFirst = true, hoverTimes = true }) {
  const uri = pathToFileURL(path.join(os.tmpdir(), `kube-manifests-bench-${name}.yaml`)).href;
  const t0 = performance.now();
  const first = client.diagnostics(uri, 1);
  await client.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const d1 = await first;
  const firstMs = performance.now() - t0;
  // one-character edits in the middle of the file (a typo and its fix), several times
  const lines = text.split('\n');
  const target = editLine(lines);
  const editTimes = [];
  let version = 1;
  for (let k = 0; k < editCount(); k++) {
    version++;
    const p = client.diagnostics(uri, version);
    const t = performance.now();
    await client.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [typo(lines, target, k)] });
    await p;
    editTimes.push(performance.now() - t);
  }
  if (args.has('--series')) console.log(`  edits (ms, in order): ${editTimes.map((t) => t.toFixed(0)).join(' ')}`);
  const positions = probePositions(text, requests);
  const completion = [];
  const hover = [];
  for (const p of positions) {
    let t = performance.now();
    await client.conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri }, position: { line: p.line, character: lines[p.line].length } });
    completion.push(performance.now() - t);
    if (hoverTimes) {
      t = performance.now();
      await client.conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: p.key });
      hover.push(performance.now() - t);
    }
  }
  return { firstMs, diagnostics: d1.diagnostics.length, editMs: percentile(editTimes, 50), editMax: Math.max(...editTimes), completion, hover, rss: peakRss(client.proc.pid) };
}

function fmt(ms) {
  return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'server.js'))) execFileSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
  const { text, lines, objects } = workload(20000);
  console.log(`Kube Manifests benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  console.log(`workload: ${lines} lines, ${objects} objects (Deployments with probes, Services, Secrets, RBAC, CronJobs), ${(text.length / 1024).toFixed(0)} KiB\n`);

  // Start-up: spawn, initialize, open a small manifest and ask for a completion (schemas load lazily).
  const tStart = performance.now();
  const fresh = await startClient(process.execPath, [serverJs, '--stdio']);
  const smallUri = pathToFileURL(path.join(os.tmpdir(), 'kube-manifests-bench-start.yaml')).href;
  await fresh.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: smallUri, languageId: 'yaml', version: 1, text: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  \n' } });
  await fresh.conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: smallUri }, position: { line: 3, character: 2 } });
  const startMs = performance.now() - tStart;
  await fresh.stop();

  const ours = await startClient(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), serverJs, '--stdio']);
  const r = await measure('ours', ours, text, { requests: quick ? 50 : 300 });
  await ours.stop();
  const yamlParseMs = yamlColdParse(text);
  const rows = [
    ['first completion answered after the process starts', fmt(startMs), '≤ 300 ms'],
    ['first diagnostics after open', fmt(r.firstMs), '≤ 300 ms, and ≤ the yaml package\'s own parse'],
    ['  the yaml package\'s own parse of the file (parseAllDocuments, a fresh process)', fmt(yamlParseMs), ''],
    ['diagnostics after a one-character edit (median)', fmt(r.editMs), '≤ 25 ms (issue 12)'],
    ['diagnostics after a one-character edit (max)', fmt(r.editMax), ''],
    ['completion median / p95', `${fmt(percentile(r.completion, 50))} / ${fmt(percentile(r.completion, 95))}`, 'p95 ≤ 3 ms (issue 12)'],
    ['hover median / p95', `${fmt(percentile(r.hover, 50))} / ${fmt(percentile(r.hover, 95))}`, 'p95 ≤ 2 ms'],
    ['peak RSS of the server', `${r.rss.toFixed(0)} MiB`, '≤ 150 MiB'],
    ['diagnostics reported', String(r.diagnostics), '0 (the workload is valid)'],
  ];
  printTable(`kube-manifests (${path.relative(root, serverJs)} --stdio)`, rows);
  await breakdown(text);

  if (editingOnly) {
    if (args.has('--peer')) await peer(text);
    return;
  }
  // Growth: first diagnostics for files of 1k to 50k lines (should be close to linear).
  console.log('\nGrowth of the first check with file size (one server per size):');
  for (const n of quick ? [1000, 10000] : [1000, 5000, 10000, 20000, 50000]) {
    const w = workload(n);
    const c = await startClient(process.execPath, [serverJs, '--stdio']);
    const m = await measure(`growth-${n}`, c, w.text, { requests: 20, hoverTimes: false });
    await c.stop();
    console.log(`  ${String(w.lines).padStart(6)} lines: first diagnostics ${fmt(m.firstMs).padStart(8)}  (${(m.firstMs / (w.lines / 1000)).toFixed(1)} ms per 1k lines), edit ${fmt(m.editMs)}, peak RSS ${m.rss.toFixed(0)} MiB`);
  }

  if (fs.existsSync(path.join(root, 'scripts', 'benchIndex.mjs'))) {
    console.log('\nWorkspace index:');
    try {
      execFileSync(process.execPath, [path.join(root, 'scripts', 'benchIndex.mjs'), '--files', quick ? '2000' : '10000'], { stdio: 'inherit', cwd: root });
    } catch {
      console.log('  (index benchmark failed)');
    }
  }

  if (args.has('--peer')) await peer(text);

  try { console.log(''); execFileSync(process.execPath, [path.join(root, 'scripts', 'benchHelm.mjs'), ...(quick ? ['--quick'] : [])], { stdio: 'inherit', cwd: root }); } catch { console.log('  (Helm benchmark failed)'); }
  try { execFileSync(process.execPath, [path.join(root, 'scripts', 'benchChart.mjs'), ...(quick ? ['--quick'] : [])], { stdio: 'inherit', cwd: root }); } catch { console.log('  (chart editing benchmark failed)'); }
}

function printTable(title, rows) {
  console.log(title);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c ? `(budget ${c})` : ''}`);
}

/** The Red Hat YAML server on the same file, offline, with ../shared/bench's Kubernetes schema. */
async function peer(text) {
  const schemaDir = path.resolve(root, '..', 'shared', 'bench', 'k8s-1.34-standalone-strict');
  if (!fs.existsSync(schemaDir)) {
    console.log('\n--peer: ../shared/bench is not here; skipped.');
    return;
  }
  const dir = path.join(root, '.cache', 'peer');
  const bin = path.join(dir, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', 'yaml-language-server@1'], { stdio: 'inherit' });
  }
  const schemaUri = 'kubernetes-bench://schemas/all.json';
  const settings = { yaml: { validate: true, hover: true, completion: true, schemas: { [schemaUri]: '*.yaml' }, kubernetesVersion: 'v1.34.0', schemaStore: { enable: false } } };
  const c = await startClient(process.execPath, [bin, '--stdio'], { schemaFiles: schemaDir, settings });
  await c.conn.sendNotification('yaml/registerContentRequest');
  await c.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings });
  const r = await measure('peer', c, text, { requests: quick ? 20 : 60 });
  await c.stop();
  printTable('\nyaml-language-server (Red Hat YAML), same file and machine', [
    ['first diagnostics after open', fmt(r.firstMs), ''],
    ['diagnostics after a one-character edit (median)', fmt(r.editMs), ''],
    ['completion median / p95', `${fmt(percentile(r.completion, 50))} / ${fmt(percentile(r.completion, 95))}`, ''],
    ['hover median / p95', `${fmt(percentile(r.hover, 50))} / ${fmt(percentile(r.hover, 95))}`, ''],
    ['peak RSS of the server', `${r.rss.toFixed(0)} MiB`, ''],
    ['diagnostics reported', String(r.diagnostics), ''],
  ]);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
