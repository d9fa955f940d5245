#!/usr/bin/env node
// The Helm engine's figures (issue 10), printed next to their budgets; never pass/fail (the
// machines are shared and noisy: read the numbers). Run at the end of `npm run bench`, or alone:
//
//   node scripts/benchHelm.mjs [--quick]
//
// 1. Re-render of one template after an edit, the chart already prepared (what the editor does
//    on a keystroke in templates/deployment.yaml of ../shared's vendored bitnami nginx).
// 2. Prepare + full render of each shared chart, and the heap it retains.
// 3. `kube-manifests template CHART` from a cold start against the Go reference's whole process.
//
// The engine is bundled from the sources into out/bench/ first (esbuild.mjs is left alone). The
// figures are taken in a child process started with --expose-gc (for the memory figure) and the
// stack the tests use (the engine recurses as deep as the templates nest).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { measureTemplateStart } from './benchTemplateStart.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const shared = path.resolve(root, '..', 'shared', 'helm-charts');
const bundle = path.join(root, 'out', 'bench', 'helm.cjs');
const CHILD_FLAG = '--bench-helm-child';

// The editor's bounds (server/src/features/helm/chartCheck.ts EDITOR_LIMITS).
const EDITOR_LIMITS = { maxOutputBytes: 8 * 1024 * 1024, timeoutMs: 2000 };

/** The shared charts, with the subcharts each needs from ../shared (what `helm dependency build` would add). */
const CHARTS = [
  { name: 'helm-create', dir: 'helm-create' },
  { name: 'bitnami nginx', dir: 'bitnami/nginx', subcharts: { common: 'bitnami/common' } },
  { name: 'bitnami mariadb', dir: 'bitnami/mariadb', subcharts: { common: 'bitnami/common' } },
  { name: 'bitnami postgresql', dir: 'bitnami/postgresql', subcharts: { common: 'bitnami/common' } },
  {
    name: 'prometheus',
    dir: 'prometheus-community/prometheus',
    subcharts: { 'kube-state-metrics': 'prometheus-community/kube-state-metrics', 'prometheus-node-exporter': 'prometheus-community/prometheus-node-exporter' },
  },
  { name: 'prometheus-node-exporter', dir: 'prometheus-community/prometheus-node-exporter' },
  { name: 'kube-state-metrics', dir: 'prometheus-community/kube-state-metrics' },
  { name: 'cert-manager', dir: 'cert-manager/cert-manager' },
  { name: 'vendored bitnami-nginx', dir: 'vendored/bitnami-nginx' },
];

// ---------------------------------------------------------------- helpers
function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const median = (xs) => percentile(xs, 50);

function fmt(ms) {
  if (!Number.isFinite(ms)) return '-';
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function printTable(title, rows) {
  console.log(title);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c ? `(budget ${c})` : ''}`);
}

// ---------------------------------------------------------------- parent: bundle, then the child
async function parent() {
  const esbuild = require('esbuild');
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  await esbuild.build({
    stdin: {
      contents: [
        "export { prepareChart, renderPrepared, helmTemplate } from './server/src/helm/index';",
        "export { loadChart } from './server/src/helm/chart';",
        "export { readChartDir } from './server/src/node/chartFiles';",
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'benchHelmEntry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    outfile: bundle,
  });
  const r = spawnSync(process.execPath, ['--expose-gc', '--stack-size=3900', fileURLToPath(import.meta.url), CHILD_FLAG, ...argv], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) {
    console.log(`  (Helm benchmark child exited with ${r.status ?? r.signal})`);
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------- child
function child() {
  const helm = require(bundle);
  console.log(`Helm engine (${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}):`);
  if (!fs.existsSync(shared)) {
    console.log(`  skipped: no shared charts at ${shared}`);
    return;
  }
  rerender(helm);
  fullRenders(helm);
  cliVersusReference();
}

/** The files of a chart folder as the CLI reads them, with the given subcharts under charts/NAME/ (in memory). */
function chartFiles(helm, chart) {
  const files = helm.readChartDir(path.join(shared, chart.dir));
  for (const [name, dir] of Object.entries(chart.subcharts ?? {})) {
    for (const f of helm.readChartDir(path.join(shared, dir))) files.push({ path: `charts/${name}/${f.path}`, data: f.data });
  }
  return files;
}

/**
 * The loaded chart with the dependencies that ../shared does not have dropped from its metadata
 * (prometheus's alertmanager and pushgateway), so it renders with the rest; `dropped` names them.
 */
function loadAvailable(helm, files) {
  const loaded = helm.loadChart(files);
  const have = new Set(loaded.subcharts.map((c) => c.name));
  const dropped = loaded.metadata.Dependencies.filter((d) => d && !have.has(d.Name)).map((d) => d.Name);
  if (dropped.length > 0) loaded.metadata.Dependencies = loaded.metadata.Dependencies.filter((d) => d && have.has(d.Name));
  return { loaded, dropped };
}

function gcFull() {
  global.gc();
  global.gc();
}

function editorLimits() {
  return { ...EDITOR_LIMITS, now: () => performance.now() };
}

/** 1. A keystroke in templates/deployment.yaml, chart prepared once, only that template rendered. */
function rerender(helm) {
  const chart = CHARTS.find((c) => c.dir === 'vendored/bitnami-nginx');
  const p = helm.prepareChart(chartFiles(helm, chart));
  const target = p.renderables.find((r) => r.name.endsWith('/templates/deployment.yaml') && !r.name.includes('/charts/'));
  const original = target.text;
  const parseCache = new Map();
  const opts = { deterministic: true, sourceMap: true, collectAll: true, parseCache, only: (n) => n === target.name };
  // The first render parses every file (the partials and the other templates) into the cache.
  let t = performance.now();
  let r = helm.renderPrepared(p, { ...opts, limits: editorLimits() });
  const first = performance.now() - t;
  if (r.error) console.log(`  note: the re-rendered template fails: ${r.error.message.split('\n')[0]}`);
  const lines = original.split('\n');
  // Typing at the end of a literal line (`kind: Deployment`), five characters, then undone.
  const line = Math.max(0, lines.findIndex((l) => l.startsWith('kind:')));
  const n = quick ? 100 : 500;
  const warm = quick ? 20 : 100;
  const times = [];
  for (let i = 0; i < warm + n; i++) {
    // A typed character: the file is re-parsed (the others come from parseCache) and rendered.
    lines[line] += String(i % 10);
    target.text = lines.join('\n');
    t = performance.now();
    r = helm.renderPrepared(p, { ...opts, limits: editorLimits() });
    const ms = performance.now() - t;
    if (i >= warm) times.push(ms);
    if (i % 5 === 4) lines.splice(0, lines.length, ...original.split('\n'));
  }
  target.text = original;
  const out = r.files.get(target.name);
  printTable('  Re-render of templates/deployment.yaml (vendored bitnami-nginx) after an edit, chart prepared', [
    ['first render (parses every file, cold JIT)', fmt(first), ''],
    [`re-render median (${n} edits)`, fmt(median(times)), '≤ 5 ms'],
    ['re-render p95', fmt(percentile(times, 95)), ''],
    ['re-render max', fmt(Math.max(...times)), ''],
    ['output of the template', out ? `${out.output.length} chars, ${out.segments?.length ?? 0} segments` : 'none', ''],
  ]);
}

/** 2. prepareChart + renderPrepared of each shared chart, cold (first in this process) and warm, and retained heap. */
function fullRenders(helm) {
  const rows = [];
  const notes = [];
  const runs = quick ? 3 : 10;
  for (const chart of CHARTS) {
    if (!fs.existsSync(path.join(shared, chart.dir))) {
      rows.push([chart.name, 'skipped', '', '', '', '']);
      continue;
    }
    const files = chartFiles(helm, chart);
    const bytes = files.reduce((s, f) => s + f.data.length, 0);
    // Load + prepare + render, as the editor does when a chart is opened (or Chart.yaml/values change).
    const once = () => {
      const t0 = performance.now();
      const { loaded, dropped } = loadAvailable(helm, files);
      const p = helm.prepareChart(loaded);
      const t1 = performance.now();
      const r = helm.renderPrepared(p, { deterministic: true, sourceMap: true, collectAll: true, parseCache: new Map(), limits: editorLimits() });
      const t2 = performance.now();
      return { p, r, dropped, prepare: t1 - t0, render: t2 - t1 };
    };
    const cold = once();
    const warm = [];
    for (let i = 0; i < runs; i++) {
      const w = once();
      warm.push(w.prepare + w.render);
    }
    // Memory: what one prepared chart and its render (with source maps) keep alive, the editor
    // holding both: the heap with them minus the heap once they are dropped (both after full GCs,
    // so compiled code and the engine's caches are not counted).
    let kept = once();
    gcFull();
    const withIt = process.memoryUsage().heapUsed;
    kept = undefined;
    gcFull();
    const retained = withIt - process.memoryUsage().heapUsed;
    const out = [...cold.r.files.values()].reduce((s, f) => s + f.output.length, 0);
    if (cold.dropped.length) notes.push(`${chart.name}: subcharts not in ../shared left out of its dependencies: ${cold.dropped.join(', ')}`);
    if (chart.subcharts) notes.push(`${chart.name}: rendered with ${Object.values(chart.subcharts).join(', ')} as charts/ (in memory)`);
    if (cold.r.error) notes.push(`${chart.name}: ${cold.r.error.kind} error: ${cold.r.error.message.split('\n')[0]}`);
    rows.push([
      chart.name,
      `${(bytes / 1024).toFixed(0)} KiB, ${cold.r.files.size} files`,
      `${fmt(cold.prepare)} + ${fmt(cold.render)}`,
      fmt(median(warm)),
      mib(retained),
      `${(out / 1024).toFixed(0)} KiB`,
    ]);
  }
  console.log(`\n  Full render of each shared chart (editor mode: deterministic, source map, limits), prepare + render, warm = median of ${runs}`);
  const head = ['chart', 'input', 'first: load+prepare + render', 'warm total', 'heap retained', 'output'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  for (const r of all) console.log(`    ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`);
  for (const n of notes) console.log(`    note: ${n}`);
}

/**
 * 3. `kube-manifests template` (node dist/cli.js) from a cold start against out/helm-ref/helm-ref:
 * scripts/benchTemplateStart.mjs (interleaved runs, ratios per chart, Node's bare start beside them).
 */
function cliVersusReference() {
  console.log('\n  kube-manifests template vs the Go reference, whole processes from a cold start');
  measureTemplateStart({ runs: quick ? 3 : 10, shared, indent: '    ' });
}

if (argv.includes(CHILD_FLAG)) child();
else await parent();
