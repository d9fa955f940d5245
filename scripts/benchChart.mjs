#!/usr/bin/env node
// Chart editing over the protocol, on ../shared/helm-charts/vendored/bitnami-nginx (a chart with
// the bitnami `common` library): opening the chart's first template to its first diagnostics,
// diagnostics after a keystroke in a template, completion and hover in a template. Prints figures
// next to their budgets; never pass/fail (shared, noisy machines). Run by `npm run bench`, or alone
// after `npm run build`: node scripts/benchChart.mjs [--quick]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');
const quick = process.argv.includes('--quick');
// --server PATH (or BENCH_SERVER): another server bundle than dist/server.js, to compare builds.
const serverAt = process.argv.indexOf('--server');
const serverJs = path.resolve(serverAt > 0 ? process.argv[serverAt + 1] : process.env.BENCH_SERVER ?? path.join(root, 'dist', 'server.js'));
const source = path.resolve(root, '..', 'shared', 'helm-charts', 'vendored', 'bitnami-nginx');

const percentile = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (v) => percentile(v, 50);
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function main() {
  if (!fs.existsSync(source)) {
    console.log(`chart bench: skipped (no ${source})`);
    return;
  }
  // A private copy: the server reads the chart from disk.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-bench-chart-'));
  fs.cpSync(source, dir, { recursive: true });
  const proc = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr.on('data', () => undefined);
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const waiters = [];
  conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && p.version !== undefined && p.version >= w.version) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  const diagnostics = (uri, version) => new Promise((resolve) => waiters.push({ uri, version, resolve }));
  conn.onRequest('workspace/configuration', (params) => params.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.listen();
  await conn.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'chart' }], capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } } });
  await conn.sendNotification(rpc.InitializedNotification.type, {});

  const file = path.join(dir, 'templates', 'deployment.yaml');
  const uri = pathToFileURL(file).href;
  let text = fs.readFileSync(file, 'utf8');
  const t0 = performance.now();
  const first = diagnostics(uri, 1);
  await conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'helm', version: 1, text } });
  await first;
  const open = performance.now() - t0;
  // The rest of the chart renders right after the open template: wait for it before typing.
  await Promise.race([diagnostics(uri, 1), new Promise((r) => setTimeout(r, 15000))]);
  const full = performance.now() - t0;

  // Keystrokes: type a comment character by character at the end of a literal line, then remove it.
  const anchor = text.indexOf('\n', text.indexOf('kind:')) ;
  const n = quick ? 20 : 80;
  const times = [];
  let version = 1;
  for (let i = 0; i < n; i++) {
    version++;
    const insert = i % 2 === 0;
    const pos = { line: text.slice(0, anchor).split('\n').length - 1, character: anchor - text.lastIndexOf('\n', anchor - 1) - 1 };
    const change = insert ? { range: { start: pos, end: pos }, text: ' ' } : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' };
    text = insert ? text.slice(0, anchor) + ' ' + text.slice(anchor) : text.slice(0, anchor) + text.slice(anchor + 1);
    const done = diagnostics(uri, version);
    const s = performance.now();
    await conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
    await done;
    times.push(performance.now() - s);
  }

  // Completion and hover inside actions and on literal keys.
  const probes = [];
  const re = /\.Values\.[\w.]+|\b(?:include|template) "[^"]+"|^\s+(\w+):/gm;
  let m;
  while ((m = re.exec(text)) && probes.length < 40) probes.push(m.index + Math.min(m[0].length - 1, 9));
  const posAt = (off) => {
    const before = text.slice(0, off).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  const complete = [];
  const hover = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    for (const off of probes) {
      let s = performance.now();
      await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: posAt(off) });
      complete.push(performance.now() - s);
      s = performance.now();
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: posAt(off) });
      hover.push(performance.now() - s);
    }
  }
  console.log('\nHelm chart in the editor (vendored bitnami-nginx, templates/deployment.yaml)');
  console.log(`  open the first template → first diagnostics   ${fmt(open).padStart(10)}   budget ≤ 300 ms`);
  console.log(`  the whole chart checked after that               ${fmt(full).padStart(10)}`);
  console.log(`  diagnostics after a keystroke, median         ${fmt(median(times)).padStart(10)}   budget ≤ 50 ms   (p95 ${fmt(percentile(times, 95))}, ${n} edits)`);
  console.log(`  completion in a template, p95                 ${fmt(percentile(complete, 95)).padStart(10)}   budget ≤ 10 ms   (median ${fmt(median(complete))}, ${complete.length} requests)`);
  console.log(`  hover in a template, p95                      ${fmt(percentile(hover, 95)).padStart(10)}   budget ≤ 10 ms   (median ${fmt(median(hover))}, ${hover.length} requests)`);
  try {
    await Promise.race([conn.sendRequest(rpc.ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
    await conn.sendNotification(rpc.ExitNotification.type);
  } catch { /* gone */ }
  setTimeout(() => proc.kill('SIGKILL'), 500).unref();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
