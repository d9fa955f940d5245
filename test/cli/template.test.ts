/**
 * `kube-manifests template` through `dist/cli.js` (the path a user takes, run with Node's default
 * stack), compared byte for byte with the Go reference renderer (`out/helm-ref/helm-ref template`,
 * which mirrors Helm v4's `helm template`): stdout, stderr and the exit code. Covers the shared
 * charts (default values, a values file with --set, --show-only, --notes, release name and
 * namespace), errors (a template parse error, a missing values file, an invalid --kube-version,
 * `include` recursing to Helm's limit of 1000), a chart nesting too deep for the first render on
 * the main thread's stack, a packed .tgz chart, and what is ours alone (a
 * missing chart path, usage errors).
 *
 * Reference comparisons are skipped when the binary is missing, except in CI; the shared charts
 * only when ../shared is there. Small charts are written to a temporary folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { chartArchive, ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const BIN = process.env.HELM_REF ?? path.join(ROOT, 'out', 'helm-ref', 'helm-ref');
const SHARED = path.resolve(ROOT, '..', 'shared', 'helm-charts');
const haveRef = ((): boolean => {
  try {
    fs.accessSync(BIN, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();
const refSkip = !haveRef && !process.env.CI ? `no reference renderer at ${BIN} (run scripts/build-helm-ref.sh)` : false;
const sharedSkip = refSkip || (fs.existsSync(SHARED) ? false : `no shared charts at ${SHARED}`);

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs our CLI with a plain `node` (no --stack-size): the stack it needs is its own business. */
function cli(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [CLI, 'template', ...args], { encoding: 'utf8', input, cwd: ROOT, maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs the reference with the same arguments (in UTC, as differential.test.ts does). */
function ref(args: string[]): Run {
  const r = spawnSync(BIN, ['template', ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Our CLI and the reference print the same bytes and exit alike; returns our run. */
function same(args: string[], refArgs = args): Run {
  const want = ref(refArgs);
  const got = cli(args);
  assert.equal(got.err, want.err, 'stderr differs from the go reference');
  assert.equal(got.code, want.code, 'exit code differs from the go reference');
  const [w, g] = [normalizeRandom(want.out), normalizeRandom(got.out)];
  if (g !== w) assert.fail(`stdout differs from the go reference:\n${firstDiff(w, g)}`);
  return got;
}

/**
 * Certificates and keys that charts generate (bitnami nginx's genCA and genSignedCert by default)
 * are random in both: compared by shape, a placeholder per PEM block (base64 or not).
 */
function normalizeRandom(text: string): string {
  return text.replace(/LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g, '<base64 PEM>').replace(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, '<PEM $1>');
}

function firstDiff(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [`@@ line ${i + 1} @@ (- go reference, + ours)`, ...a.slice(i, i + 3).map((l) => '-' + l), ...b.slice(i, i + 3).map((l) => '+' + l)].join('\n');
}

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-manifests-template-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let n = 0;

/** Writes a chart (or any files) to a new folder under the temporary root; returns the folder. */
function write(files: Record<string, string>, name = 'echo'): string {
  const dir = path.join(tmpRoot, String(n++), name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const CHART_YAML = 'apiVersion: v2\nname: echo\nversion: 0.1.0\n';

/** A small chart whose output shows the release, namespace, capabilities and values. */
const ECHO = {
  'Chart.yaml': CHART_YAML,
  'values.yaml': 'greeting: hello\nreplicas: 1\n',
  'templates/cm.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-echo',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  greeting: {{ .Values.greeting | quote }}',
    '  replicas: {{ .Values.replicas | quote }}',
    '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  minor: {{ .Capabilities.KubeVersion.Minor | quote }}',
    '  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}',
    '',
  ].join('\n'),
  'templates/NOTES.txt': 'Thanks for installing {{ .Release.Name }}.\n',
};

/** A ustar archive, gzipped: what `helm package` writes (without modes and owners). */
describe('template: the shared charts, as helm template prints them', { skip: sharedSkip }, () => {
  const helmCreate = path.join(SHARED, 'helm-create');
  const nginx = path.join(SHARED, 'vendored', 'bitnami-nginx');

  test('helm create chart with its default values', () => {
    const r = same([helmCreate]);
    assert.equal(r.code, 0);
    // The helm create chart is named echo.
    assert.match(r.out, /^---\n# Source: echo\/templates\/serviceaccount\.yaml\napiVersion: v1\nkind: ServiceAccount\n/);
    assert.equal(r.err, '');
  });

  test('bitnami nginx with a values file and --set', () => {
    const values = path.join(write({ 'ci-values.yaml': 'replicaCount: 3\nservice:\n  type: ClusterIP\ningress:\n  enabled: true\n  hostname: web.example.com\n' }), 'ci-values.yaml');
    const r = same([nginx, '-f', values, '--set', 'containerPorts.http=9090', '--set', 'commonLabels.team=web']);
    assert.equal(r.code, 0);
    assert.match(r.out, /replicas: 3\n/);
    assert.match(r.out, /\n {4}- host: "web\.example\.com"\n/);
    assert.match(r.out, /\n {14}containerPort: 9090\n/);
  });

  test('a chart with its ci/*.yaml values file, read in place', () => {
    const dir = path.join(SHARED, 'prometheus-community', 'kube-state-metrics');
    const ci = fs.readdirSync(path.join(dir, 'ci')).filter((f) => /\.ya?ml$/.test(f)).sort()[0];
    assert.ok(ci, 'kube-state-metrics has no ci/*.yaml');
    same([dir, '-f', path.join(dir, 'ci', ci), '--set', 'replicas=2']);
  });

  test('--show-only prints the one template, -s and a glob too', () => {
    const r = same([helmCreate, '--show-only', 'templates/service.yaml']);
    assert.equal(r.out.split('# Source: ').length, 2);
    assert.match(r.out, /^---\n# Source: echo\/templates\/service\.yaml\napiVersion: v1\nkind: Service\n/);
    same([helmCreate, '-s', 'templates/service*.yaml', '-s', 'templates/deployment.yaml']);
  });

  test('--show-only of a template that is not there fails as Helm does', () => {
    const r = same([helmCreate, '--show-only', 'templates/nope.yaml']);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'Error: could not find template templates/nope.yaml in chart\n');
  });

  test('--notes appends the rendered NOTES.txt', () => {
    const r = same([helmCreate, '--notes']);
    assert.match(r.out, /\nNOTES:\n1\. Get the application URL by running these commands:\n/);
  });

  test('--release-name and --namespace, and the positional NAME CHART form', () => {
    const r = same([helmCreate, '--release-name', 'shop', '--namespace', 'prod']);
    assert.match(r.out, /\nkind: ServiceAccount\nmetadata:\n {2}name: shop-echo\n/);
    assert.match(r.out, /\n {4}app\.kubernetes\.io\/instance: shop\n/);
    // `helm template NAME CHART`: the first of two arguments is the release name.
    const positional = cli(['shop', helmCreate, '-n', 'prod']);
    assert.equal(positional.code, 0);
    assert.equal(positional.out, r.out);
  });
});

describe('template: small charts against the reference', { skip: refSkip }, () => {
  test('CI has the reference renderer', () => assert.ok(haveRef, `the reference renderer ${BIN} is missing (scripts/build-helm-ref.sh builds it)`));

  test('options in every spelling pflag accepts', () => {
    const dir = write(ECHO);
    const vals = write({ 'a.yaml': 'greeting: from-a\n', 'b.yaml': 'replicas: 2\n' });
    const a = path.join(vals, 'a.yaml');
    const b = path.join(vals, 'b.yaml');
    const want = same([dir, '-f', a, '-f', b, '--namespace', 'ns1', '--release-name', 'rel', '--api-versions', 'monitoring.coreos.com/v1', '--notes']);
    assert.match(want.out, /greeting: "from-a"\n {2}replicas: "2"\n/);
    assert.match(want.out, /monitoring: "true"\n/);
    assert.match(want.out, /NOTES:\nThanks for installing rel\.\n$/);
    for (const args of [
      [dir, `--values=${a},${b}`, '-nns1', '--release-name=rel', '-a', 'monitoring.coreos.com/v1', '--notes'],
      ['rel', dir, `-f=${a}`, `-f${b}`, '--namespace=ns1', '--api-versions=monitoring.coreos.com/v1', '--notes=true'],
      ['--notes', '-n', 'ns1', '-f', a, 'rel', '-f', b, '-a', 'monitoring.coreos.com/v1', '--', dir],
    ]) {
      const r = cli(args);
      assert.equal(r.err, '', args.join(' '));
      assert.equal(r.out, want.out, args.join(' '));
    }
  });

  test('--kube-version as 1.29, v1.29 and 1.29.3', () => {
    const dir = write(ECHO);
    for (const v of ['1.29', 'v1.29', '1.29.3']) {
      const r = same([dir, '--kube-version', v]);
      assert.match(r.out, /kube: "v1\.29(\.0|\.3)?"\n {2}minor: "29"\n/, v);
    }
  });

  test('an invalid --kube-version fails before the chart is looked at', () => {
    const r = same([write(ECHO), '--kube-version', 'one']);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'Error: invalid kube version \'one\': could not parse "one" as version\n');
    // Helm parses --kube-version before it locates the chart.
    assert.equal(cli(['./no-such-chart', '--kube-version', 'one']).err, r.err);
  });

  test('--set and --set-string typing', () => {
    same([write(ECHO), '--set', 'replicas=007', '--set-string', 'greeting=true']);
  });

  test('a template parse error: Error: with Helm\'s words, exit 1', () => {
    const dir = write({
      'Chart.yaml': CHART_YAML,
      'values.yaml': 'ingress:\n  enabled: true\n',
      'templates/ingress.yaml': '{{- if .Values.ingress.enabled -}}\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ $fullName }}\n{{- end }}\n',
    });
    const r = same([dir]);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err, 'Error: parse error at (echo/templates/ingress.yaml:5): undefined variable "$fullName"\n\nUse --debug flag to render out invalid YAML\n');
  });

  test('a missing values file', () => {
    const r = same([write(ECHO), '-f', 'no-such-values.yaml']);
    assert.equal(r.err, 'Error: open no-such-values.yaml: no such file or directory\n');
  });

  test('a values file that is not YAML is named as given', () => {
    const vals = path.join(write({ 'bad.yaml': 'a: [1\n' }), 'bad.yaml');
    const r = same([write(ECHO), '-f', vals]);
    assert.ok(r.err.startsWith(`Error: failed to parse ${vals}: `), r.err);
  });

  test('-f - reads the values from standard input', () => {
    const dir = write(ECHO);
    const vals = path.join(write({ 'v.yaml': 'greeting: piped\n' }), 'v.yaml');
    const r = cli([dir, '-f', '-'], 'greeting: piped\n');
    assert.equal(r.code, 0);
    assert.equal(r.out, ref([dir, '-f', vals]).out);
  });

  test('include recursing forever stops at Helm\'s limit, no crash', () => {
    const dir = write({
      'Chart.yaml': CHART_YAML,
      'templates/_helpers.tpl': '{{- define "echo.loop" -}}{{ include "echo.loop" . }}{{- end -}}\n',
      'templates/cm.yaml': 'x: {{ include "echo.loop" . }}\n',
    });
    const r = same([dir]);
    assert.equal(r.code, 1);
    assert.ok(r.err.startsWith('Error: template: echo/templates/cm.yaml:1:6: executing "echo/templates/cm.yaml" at <include "echo.loop" .>: error calling include: '), r.err.slice(0, 300));
    assert.ok(r.err.endsWith('error calling include: rendering template has a nested reference name: echo.loop: unable to execute template\n\nUse --debug flag to render out invalid YAML\n'), r.err.slice(-300));
    // Helm refuses the include that would nest a 1002nd time: echo.loop ran 1001 times.
    assert.equal(r.err.split('executing "echo.loop"').length - 1, 1001);
  });

  test('a chart nesting deeper than the main thread renders (rendered again with a large stack) as Helm does', () => {
    // 900 levels of include with a block each: past the budget of the first render on the main
    // thread (server/src/cli/template.ts), short of Helm's limit of 1000.
    const dir = write({
      'Chart.yaml': CHART_YAML,
      'values.yaml': 'depth: 900\n',
      'templates/_helpers.tpl': '{{- define "echo.down" -}}{{- if gt (int .) 0 -}}{{ include "echo.down" (sub (int .) 1) }}{{- end -}}.{{- end -}}\n',
      'templates/cm.yaml': 'x: "{{ include "echo.down" .Values.depth }}"\n',
    });
    const r = same([dir]);
    assert.equal(r.code, 0);
    assert.ok(r.out.includes(`x: "${'.'.repeat(901)}"`), r.out.slice(0, 300));
  });

  test('include recursing through range, with, if and a pipeline reaches the limit too', () => {
    const dir = write({
      'Chart.yaml': CHART_YAML,
      'values.yaml': 'items: [a, b]\n',
      'templates/_helpers.tpl': [
        '{{- define "echo.deep" -}}',
        '{{- with .Values -}}{{- range $i, $x := .items -}}{{- if eq $i 0 -}}',
        '{{- $ctx := dict "Values" $.Values "n" (add1 $i) -}}',
        '{{- include "echo.deep" $ctx | trim | nindent 2 | quote -}}',
        '{{- end -}}{{- end -}}{{- end -}}',
        '{{- end -}}',
        '',
      ].join('\n'),
      'templates/cm.yaml': 'x: {{ include "echo.deep" . }}\n',
    });
    const r = same([dir]);
    assert.match(r.err, /rendering template has a nested reference name: echo\.deep: unable to execute template\n\nUse --debug flag to render out invalid YAML\n$/);
  });

  test('{{template}} calling itself stops at Go\'s depth of 100000, no crash', () => {
    const dir = write({ 'Chart.yaml': CHART_YAML, 'templates/cm.yaml': '{{- define "t" }}{{ template "t" . }}{{ end }}x: {{ template "t" . }}\n' });
    const r = same([dir]);
    assert.equal(r.err, 'Error: echo/templates/cm.yaml:1:29\n  executing "t" at <{{template "t" .}}>:\n    exceeded maximum template depth (100000)\n\nUse --debug flag to render out invalid YAML\n');
  });

  test('a packed chart (.tgz) renders as its folder does', () => {
    const files = { ...ECHO, '.helmignore': '*.bak\n' };
    const dir = write(files);
    const archive = path.join(path.dirname(dir), 'echo-0.1.0.tgz');
    fs.writeFileSync(archive, chartArchive(Object.entries(files).map(([k, v]) => ({ name: `echo/${k}`, data: v }))));
    const want = ref([dir, '--set', 'greeting=packed', '--notes']);
    assert.equal(want.code, 0);
    const got = cli([archive, '--set', 'greeting=packed', '--notes']);
    assert.equal(got.err, '');
    assert.equal(got.code, 0);
    assert.equal(got.out, want.out);
  });
});

describe('template: errors of our own and usage', () => {
  test('a chart path that does not exist', () => {
    const r = cli(['./no-such-chart']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err, 'Error: path "./no-such-chart" not found\n');
    // Helm would look a bare name up in its repositories; we say we do not.
    assert.equal(
      cli(['bitnami/nginx']).err,
      'Error: path "bitnami/nginx" not found: kube-manifests template renders a chart folder or a .tgz file on disk; it does not download charts from repositories\n',
    );
  });

  test('a folder without Chart.yaml, and a file that is no archive', () => {
    const dir = write({ 'values.yaml': 'a: 1\n' });
    const r = cli([dir]);
    assert.equal(r.code, 1);
    assert.equal(r.err, `Error: unable to detect chart at ${path.join(dir, 'Chart.yaml')}: open ${path.join(dir, 'Chart.yaml')}: no such file or directory\n`);
    const yaml = path.join(write(ECHO), 'Chart.yaml');
    assert.equal(cli([yaml]).err, `Error: file '${yaml}' seems to be a YAML file, but expected a gzipped archive\n`);
  });

  test('an archive without Chart.yaml', () => {
    const archive = path.join(write({ x: '' }), 'empty.tgz');
    fs.writeFileSync(archive, chartArchive([{ name: 'echo/values.yaml', data: 'a: 1\n' }]));
    assert.equal(cli([archive]).err, 'Error: unable to detect chart version, no Chart.yaml found\n');
  });

  test('bad usage exits 2 with the usage text', () => {
    const none = cli([]);
    assert.equal(none.code, 2);
    assert.ok(none.err.startsWith('kube-manifests template: no chart given: name a chart folder or a .tgz file\n\nUsage: kube-manifests template [NAME] CHART [options]\n'), none.err);
    const three = cli(['a', 'b', 'c']);
    assert.equal(three.code, 2);
    assert.match(three.err, /^kube-manifests template: expected at most two arguments \(NAME and CHART\), unexpected arguments: c\n/);
    const unknown = cli(['chart', '--wat']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^kube-manifests template: unknown option --wat\n\nUsage: /);
    const noValue = cli(['chart', '--set']);
    assert.equal(noValue.code, 2);
    assert.match(noValue.err, /^kube-manifests template: --set needs a value\n/);
    const unsupported = cli(['chart', '--output-dir', 'out']);
    assert.equal(unsupported.code, 2);
    assert.match(unsupported.err, /^kube-manifests template: --output-dir is not supported by kube-manifests template: writing files is not supported; redirect the output instead\n/);
    const twoNames = cli(['a', 'chart', '--release-name', 'b']);
    assert.equal(twoNames.code, 2);
    assert.match(twoNames.err, /two release names: "a" and --release-name "b"; give one/);
  });

  test('--help prints the usage, exit 0; the top-level usage names the command', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: kube-manifests template \[NAME\] CHART \[options\]\n/);
    assert.match(r.out, /\n {2}-f, --values FILE /);
    const top = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.match(top.stdout, /\n {7}kube-manifests template \[NAME\] CHART \[options\]/);
  });

  test('bin/kube-manifests.js runs the same command', () => {
    const dir = write(ECHO);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kube-manifests.js'), 'template', dir, '--set', 'greeting=bin'], { encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^---\n# Source: echo\/templates\/cm\.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n {2}name: release-name-echo\n {2}namespace: default\ndata:\n {2}greeting: "bin"\n/);
  });
});
