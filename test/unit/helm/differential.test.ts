/**
 * Differential tests of `helmTemplate` against the Go reference (`out/helm-ref/helm-ref template`,
 * which mirrors Helm v4's `helm template` on Go 1.19 + sprig 3.2.3): the real charts of
 * ../shared/helm-charts with their default values, each of their ci/*.yaml and a set of options,
 * and the hand-written charts of fixtures/charts (subcharts, globals, aliases, conditions, tags,
 * import-values, a .tgz subchart made at run time, a library chart, .Files, tpl, include's
 * recursion limit, required/fail, parse and execution errors, chart and values errors). Output
 * must be byte-identical, or the error the same text (`helm template` prints "Error: " + it).
 *
 * Skipped with a message when the reference binary is missing (build it with
 * scripts/build-helm-ref.sh), except in CI, where that fails; the shared-chart tests are skipped
 * when ../shared is not there.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { chartArchive } from '../../helpers';
import { ChartFile, helmTemplate, TemplateOptions } from '../../../server/src/helm/index';
import { haveReference, referenceBinary, referenceEnv } from '../../fuzz/helmCompare';

const ROOT = process.env.KUBE_MANIFESTS_ROOT ?? process.cwd();
const SHARED = path.resolve(ROOT, '..', 'shared', 'helm-charts');
const FIXTURES = path.join(ROOT, 'test', 'unit', 'helm', 'fixtures', 'charts');
const BIN = referenceBinary(ROOT);
const noRef = !haveReference(BIN);
const refSkip = noRef && !process.env.CI ? `no reference renderer at ${BIN} (run scripts/build-helm-ref.sh)` : false;
const sharedSkip = refSkip || (fs.existsSync(SHARED) ? false : `no shared charts at ${SHARED}`);

/** Every file under a chart directory (dotfiles too), as the engine's input. */
function readChart(dir: string): ChartFile[] {
  const out: ChartFile[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const a = path.join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() || (e.isSymbolicLink() && fs.statSync(a).isDirectory())) walk(a, r);
      else out.push({ path: r, data: new Uint8Array(fs.readFileSync(a)) });
    }
  };
  walk(dir, '');
  return out;
}

let tmpRoot: string | undefined;
function tmpDir(): string {
  tmpRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'helm-diff-'));
  return fs.mkdtempSync(path.join(tmpRoot, 'c-'));
}
process.on('exit', () => {
  if (tmpRoot) fs.rmSync(tmpRoot, { recursive: true, force: true });
});

/** The parent fixture with charts/packed-0.1.0.tgz made from fixtures/charts/packed-src. */
function parentChart(): string {
  const dir = path.join(tmpDir(), 'parent');
  fs.cpSync(path.join(FIXTURES, 'parent'), dir, { recursive: true });
  const packed = readChart(path.join(FIXTURES, 'packed-src')).map((f) => ({ name: `packed/${f.path}`, data: f.data }));
  fs.writeFileSync(path.join(dir, 'charts', 'packed-0.1.0.tgz'), chartArchive(packed));
  return dir;
}

function referenceArgs(dir: string, o: TemplateOptions, valueFilePaths: string[]): string[] {
  const args = ['template', dir];
  for (const f of valueFilePaths) args.push('-f', f);
  for (const s of o.set ?? []) args.push('--set', s);
  for (const s of o.setString ?? []) args.push('--set-string', s);
  if (o.releaseName !== undefined) args.push('--release-name', o.releaseName);
  if (o.namespace !== undefined) args.push('--namespace', o.namespace);
  if (o.kubeVersion !== undefined) args.push('--kube-version', o.kubeVersion);
  for (const a of o.apiVersions ?? []) args.push('--api-versions', a);
  for (const s of o.showOnly ?? []) args.push('--show-only', s);
  if (o.notes) args.push('--notes');
  if (o.isUpgrade) args.push('--is-upgrade');
  return args;
}

interface Rendered {
  output: string;
  error?: string;
}

function reference(dir: string, o: TemplateOptions): Rendered {
  const paths: string[] = [];
  for (const f of o.valueFiles ?? []) {
    // Value files are passed by the path the JS side gets as their name (the shared charts' ci
    // files are read in place: ../shared is read-only in CI).
    if (!fs.existsSync(f.name) || fs.readFileSync(f.name, 'utf8') !== f.text) {
      fs.mkdirSync(path.dirname(f.name), { recursive: true });
      fs.writeFileSync(f.name, f.text);
    }
    paths.push(f.name);
  }
  const r = spawnSync(BIN, referenceArgs(dir, o, paths), { env: referenceEnv(), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status === 0) return { output: r.stdout };
  assert.ok(r.stderr.startsWith('Error: '), `helm-ref failed without an error: ${r.stderr}`);
  return { output: r.stdout, error: r.stderr.slice('Error: '.length).replace(/\n$/, '') };
}

/** The first difference of two texts, as a short unified diff. */
function firstDiff(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 3);
  const lines = [`@@ line ${i + 1} @@ (- go reference, + ours)`];
  for (let k = from; k < i; k++) lines.push(' ' + a[k]);
  for (let k = i; k < Math.min(a.length, i + 4); k++) lines.push('-' + a[k]);
  for (let k = i; k < Math.min(b.length, i + 4); k++) lines.push('+' + b[k]);
  return lines.join('\n');
}

/** Schema errors: Helm v4's per-error lines come from a validator Debian lacks (see docs/helm-differences.md). */
function schemaHead(e: string): string {
  return e
    .split('\n')
    .filter((l) => !l.startsWith('- at '))
    .join('\n');
}

/**
 * Certificates and keys that charts generate (genCA, genSelfSignedCert, genPrivateKey) are random
 * in both engines: they are compared by shape (a placeholder per PEM block, base64 or not).
 */
function normalizeRandom(text: string): string {
  return text
    .replace(/LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g, '<base64 PEM>')
    .replace(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, '<PEM $1>');
}

function check(dir: string, o: TemplateOptions = {}): void {
  const want = reference(dir, o);
  let got: Rendered;
  try {
    got = helmTemplate(readChart(dir), o);
  } catch (e) {
    assert.fail(`helmTemplate threw: ${e instanceof Error ? e.stack : String(e)}\ngo reference: ${want.error !== undefined ? 'Error: ' + want.error : want.output.slice(0, 300)}`);
  }
  if (want.error !== undefined) {
    assert.ok(got.error !== undefined, `go reference fails with:\n${want.error.slice(0, 2000)}\nours renders:\n${got.output.slice(0, 1000)}`);
    if (want.error.startsWith("values don't meet the specifications")) {
      assert.equal(schemaHead(got.error), schemaHead(want.error));
    } else if (got.error !== want.error) {
      assert.fail(`errors differ:\n${firstDiff(want.error, got.error)}\n--- go:\n${want.error.slice(0, 3000)}\n--- ours:\n${got.error.slice(0, 3000)}`);
    }
    return;
  }
  assert.equal(got.error, undefined, `ours fails with:\n${got.error}\ngo reference renders (${want.output.length} bytes)`);
  const [w, g] = [normalizeRandom(want.output), normalizeRandom(got.output)];
  if (g !== w) assert.fail(`output differs from the go reference:\n${firstDiff(w, g)}`);
}

/** The templates of a chart's default output (for --show-only). */
function firstSource(dir: string): string | undefined {
  const m = /^# Source: [^/]+\/(.+)$/m.exec(reference(dir, {}).output);
  return m?.[1];
}

const RENDERABLE: Array<{ chart: string; set: string[][]; setString?: string[] }> = [
  { chart: 'helm-create', set: [['replicaCount=3'], ['service.type=NodePort', 'ingress.enabled=true', 'autoscaling.enabled=true']], setString: ['image.tag=1.2'] },
  { chart: 'vendored/bitnami-nginx', set: [['replicaCount=2'], ['service.type=ClusterIP', 'ingress.enabled=true']] },
  { chart: 'prometheus-community/prometheus-node-exporter', set: [['prometheus.monitor.enabled=true'], ['rbac.pspEnabled=true', 'hostNetwork=false']] },
  { chart: 'prometheus-community/kube-state-metrics', set: [['prometheus.monitor.enabled=true'], ['replicas=2', 'selfMonitor.enabled=true']] },
  { chart: 'cert-manager/cert-manager', set: [['crds.enabled=true'], ['replicaCount=2', 'webhook.replicaCount=3']] },
];
/** Charts whose dependencies are not vendored, and a library chart: both must fail the same way. */
const FAILING = ['bitnami/nginx', 'bitnami/mariadb', 'bitnami/postgresql', 'prometheus-community/prometheus', 'bitnami/common'];

describe('helm template: the shared charts', { skip: sharedSkip }, () => {
  for (const { chart, set, setString } of RENDERABLE) {
    const dir = path.join(SHARED, chart);
    test(`${chart}: default values`, () => check(dir));
    const ci = path.join(dir, 'ci');
    if (fs.existsSync(ci)) {
      for (const f of fs.readdirSync(ci).filter((n) => /\.ya?ml$/.test(n)).sort()) {
        test(`${chart}: -f ci/${f}`, () => check(dir, { valueFiles: [{ name: path.join(ci, f), text: fs.readFileSync(path.join(ci, f), 'utf8') }] }));
      }
    }
    for (const s of set) test(`${chart}: --set ${s.join(' --set ')}`, () => check(dir, { set: s, setString }));
    test(`${chart}: --namespace, --release-name, --is-upgrade`, () => check(dir, { namespace: 'monitoring', releaseName: 'my-release', isUpgrade: true }));
    test(`${chart}: --kube-version 1.25.3`, () => check(dir, { kubeVersion: '1.25.3' }));
    test(`${chart}: --api-versions`, () => check(dir, { apiVersions: ['monitoring.coreos.com/v1', 'networking.k8s.io/v1/Ingress'] }));
    test(`${chart}: --show-only`, () => {
      const first = firstSource(dir);
      assert.ok(first, 'no template in the default output');
      check(dir, { showOnly: [first] });
    });
    test(`${chart}: --notes`, () => check(dir, { notes: true }));
  }
  for (const chart of FAILING) test(`${chart}: fails as Helm does`, () => check(path.join(SHARED, chart)));
});

describe('helm template: fixture charts', { skip: refSkip }, () => {
  test('CI has the reference renderer', () => assert.ok(!noRef, `the reference renderer ${BIN} is missing (scripts/ci-helm.sh builds it)`));
  const parent: Array<[string, TemplateOptions]> = [
    ['default values', {}],
    ['--notes', { notes: true }],
    ['subchart off by condition, tagged on by tag', { set: ['sub.enabled=false', 'tags.extras=true'] }],
    ['packed .tgz subchart off by its second condition', { set: ['global.packedEnabled=false'] }],
    ['--set-string and --set typing', { set: ['replicaCount=0', 'ratio=1.50', 'config.list[1]=x', 'name=custom'], setString: ['bigNumber=007', 'extra=true'] }],
    ['null deletes a default', { set: ['config.nested=null', 'global.labels=null'] }],
    ['values file over the chart values', { valueFiles: [{ name: '', text: 'replicaCount: 4\nglobal:\n  region: us-east-2\nsecond:\n  greeting: from file\nimported:\n  settings:\n    level: file\n' }] }],
    ['two values files and --set, in order', { valueFiles: [{ name: '', text: 'port: 81\n' }, { name: '', text: 'port: 82\nservice: false\n' }], set: ['imageTag=set'] }],
    ['--namespace and --release-name', { namespace: 'prod', releaseName: 'rel-1' }],
    ['--is-upgrade', { isUpgrade: true }],
    ['--kube-version 1.20', { kubeVersion: '1.20' }],
    ['--api-versions', { apiVersions: ['monitoring.coreos.com/v1'] }],
    ['--show-only of a subchart template', { showOnly: ['charts/sub/templates/cm.yaml'] }],
    ['--show-only with a glob and two files', { showOnly: ['templates/*.yaml', 'charts/packed/templates/cm.yaml'] }],
    ['--show-only of a missing template', { showOnly: ['templates/missing.yaml'] }],
    ['kubeVersion not met', { kubeVersion: '1.18.0' }],
    ['invalid --kube-version', { kubeVersion: 'one' }],
    ['invalid release name', { releaseName: 'Bad_Name' }],
    ['bad --set', { set: ['config.list[x]=1'] }],
    ['--set of a list over a map', { set: ['config[0]=1'] }],
    ['values file that is not YAML', { valueFiles: [{ name: '', text: 'a: [1\n' }] }],
  ];
  for (const [name, o] of parent) {
    test(`parent: ${name}`, () => {
      const dir = parentChart();
      const opts: TemplateOptions = { ...o, valueFiles: o.valueFiles?.map((f: { name: string; text: string }, i: number) => ({ name: path.join(path.dirname(dir), `values-${i}.yaml`), text: f.text })) };
      check(dir, opts);
    });
  }
  const others: Array<[string, TemplateOptions]> = [
    ['v1-requirements', {}],
    ['v1-requirements', { set: ['beta.enabled=true', 'alpha.who=set'] }],
    ['helmignore-negation', {}],
    ['err-parse', {}],
    ['err-exec', {}],
    ['err-exec', { set: ['image.tag=v1'] }],
    ['err-exec-builtin', {}],
    ['err-required', {}],
    ['err-required', { set: ['tag=v2'] }],
    ['err-fail', {}],
    ['err-fail', { set: ['ok=true'] }],
    ['err-recursion', {}],
    ['err-tpl', {}],
    ['err-yaml', {}],
    ['err-missing-dep', {}],
    ['err-kubeversion', {}],
    ['err-bad-version', {}],
    ['err-schema', {}],
    ['err-schema', { set: ['image=x', 'replicas=3'] }],
    ['err-type-mismatch', {}],
  ];
  for (const [chart, o] of others) {
    test(`${chart}${Object.keys(o).length ? ' ' + JSON.stringify(o) : ''}`, () => check(path.join(FIXTURES, chart), o));
  }
});
