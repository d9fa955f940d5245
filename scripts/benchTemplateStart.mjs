// `kube-manifests template CHART` from a cold start against the Go reference renderer's whole
// process (issue 10: at most 1.5× on the same chart), with Node's bare start (`node -e 0`) beside
// them, so the part of the gap that no Node program can close is visible. Never pass/fail.
//
//   node scripts/benchTemplateStart.mjs [--runs N] [--cli path/to/cli.js] [--quick]
//
// The runs are interleaved (node -e 0, ours, the reference, chart after chart, round after round)
// so a burst of load from elsewhere on a shared machine hits all of them alike; medians are printed
// with the load average before and after. `npm run bench` prints the same table (scripts/benchHelm.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The charts of ../shared/helm-charts the table covers, smallest first. */
export const START_CHARTS = ['helm-create', 'vendored/bitnami-nginx', 'prometheus-community/kube-state-metrics', 'cert-manager/cert-manager'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => (!Number.isFinite(ms) ? '-' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function timed(cmd, args, env) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ms: performance.now() - t, r };
}

/**
 * Interleaved cold starts; returns the rows (or a `skipped` reason). `log` receives the lines of
 * the table, indented by `indent`.
 */
export function measureTemplateStart({ runs = 10, cli = path.join(root, 'dist', 'cli.js'), ref, shared, log = console.log, indent = '' } = {}) {
  ref ??= process.env.HELM_REF ?? path.join(root, 'out', 'helm-ref', 'helm-ref');
  shared ??= path.resolve(root, '..', 'shared', 'helm-charts');
  const help = fs.existsSync(cli) ? spawnSync(process.execPath, [cli, 'template', '--help'], { encoding: 'utf8' }) : undefined;
  if (!help || help.status !== 0 || !/template/.test(help.stdout)) {
    log(`${indent}skipped: \`node ${path.relative(root, cli)} template --help\` does not work (build with \`node esbuild.mjs\`)`);
    return { skipped: 'no cli' };
  }
  try {
    fs.accessSync(ref, fs.constants.X_OK);
  } catch {
    log(`${indent}skipped: no reference renderer at ${ref} (build it with \`bash scripts/build-helm-ref.sh\`)`);
    return { skipped: 'no reference' };
  }
  const charts = START_CHARTS.filter((c) => fs.existsSync(path.join(shared, c)));
  if (charts.length === 0) {
    log(`${indent}skipped: no shared charts at ${shared}`);
    return { skipped: 'no charts' };
  }
  const env = { ...process.env, TZ: 'UTC' };
  // One untimed run first: it writes the engine's code cache (dist/template-engine.v8cache), which
  // every later run starts from; the timed runs are the steady state after a first use.
  const firstRun = timed(process.execPath, [cli, 'template', path.join(shared, charts[0])], env).ms;
  const before = loadavg();
  const bare = [];
  const times = new Map(charts.map((c) => [c, { ours: [], go: [], last: undefined }]));
  for (let i = 0; i < runs; i++) {
    bare.push(timed(process.execPath, ['-e', '0'], env).ms);
    for (const c of charts) {
      const dir = path.join(shared, c);
      const t = times.get(c);
      // Alternate which one goes first, so neither always runs right after the other's file reads.
      const order = i % 2 ? ['go', 'ours'] : ['ours', 'go'];
      for (const who of order) {
        const x = who === 'ours' ? timed(process.execPath, [cli, 'template', dir], env) : timed(ref, ['template', dir], env);
        t[who].push(x.ms);
        t.last ??= {};
        t.last[who] = x.r;
      }
    }
  }
  const node = median(bare);
  const rows = charts.map((c) => {
    const t = times.get(c);
    const ours = median(t.ours);
    const go = median(t.go);
    const { ours: o, go: g } = t.last;
    // Random values (passwords, certificates) differ between runs: compare the shape only.
    const same = o.status === g.status && o.stdout.split('\n').length === g.stdout.split('\n').length;
    return { chart: c, ours, go, ratio: ours / go, node, withoutNode: (ours - node) / go, note: same ? '' : `outputs differ (exit ${o.status} vs ${g.status})` };
  });
  const head = ['chart', 'kube-manifests', 'helm-ref', 'ratio (budget ≤ 1.5×)', '`node -e 0` / helm-ref', 'ratio less node -e 0', ''];
  const table = rows.map((r) => [r.chart, fmt(r.ours), fmt(r.go), `${r.ratio.toFixed(2)}×`, `${(node / r.go).toFixed(2)}×`, `${r.withoutNode.toFixed(2)}×`, r.note]);
  const all = [head, ...table];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  for (const r of all) log(`${indent}${r.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd());
  log(
    `${indent}(medians of ${runs} interleaved runs; \`node -e 0\` alone: ${fmt(node)}; the untimed first run of ${charts[0]}, which writes the code cache: ${fmt(firstRun)}; load average ${before} before, ${loadavg()} after)`,
  );
  return { rows, node };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const runs = Number(opt('--runs') ?? (argv.includes('--quick') ? 3 : 10));
  const cli = opt('--cli') ? path.resolve(opt('--cli')) : undefined;
  console.log(`kube-manifests template vs the Go reference, whole processes from a cold start (Node ${process.version})`);
  measureTemplateStart({ runs, cli, indent: '  ' });
}
