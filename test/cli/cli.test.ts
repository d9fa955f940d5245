import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
function run(args: string[], opts: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: opts.input, cwd: opts.cwd ?? ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function tmpdir(files: Record<string, string | Buffer>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-manifests-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    fs.writeFileSync(path.join(d, name), content);
  }
  return d;
}

const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndta:\n  a: b\n';
const good = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n';

test('text output: path:line:col severity code message, exit 1 on errors', () => {
  const d = tmpdir({ 'a/bad.yaml': bad, 'a/good.yml': good, 'a/notes.txt': 'not yaml' });
  const r = run(['check', d]);
  assert.equal(r.code, 1);
  assert.equal(r.out.trim(), `${path.join(d, 'a', 'bad.yaml')}:5:1 error unknown-field Unknown field "dta" in a ConfigMap: did you mean "data"?`);
  assert.match(r.err, /2 files checked: 1 error, 0 warnings/);
});

test('exit 0 when there are no errors', () => {
  const d = tmpdir({ 'good.yaml': good });
  assert.equal(run(['check', d]).code, 0);
});

test('globs, stdin and --kubernetes-version', () => {
  const d = tmpdir({ 'x/one.yaml': bad, 'x/deep/two.yaml': bad, 'y/three.yaml': bad });
  const r = run(['check', path.join(d, 'x', '**', '*.yaml')]);
  assert.equal(r.out.trim().split('\n').length, 2);
  const s = run(['check', '-'], { input: 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\n' });
  assert.equal(s.code, 1);
  assert.match(s.out, /^<stdin>:1:13 error removed-api-version/);
  const old = run(['check', '--kubernetes-version', '1.22', '-'], { input: 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\n' });
  assert.equal(old.code, 0);
  assert.match(old.out, /warning deprecated-api-version/);
});

test('json output', () => {
  const d = tmpdir({ 'bad.yaml': bad });
  const r = run(['check', '--format', 'json', d]);
  const data = JSON.parse(r.out);
  assert.equal(data.length, 1);
  assert.equal(data[0].problems[0].code, 'unknown-field');
  assert.equal(data[0].problems[0].line, 5);
  assert.equal(data[0].problems[0].column, 1);
});

test('sarif output has the 2.1.0 shape with rules and locations', () => {
  const d = tmpdir({ 'bad.yaml': bad });
  const r = run(['check', '--format=sarif', d]);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'kube-manifests');
  assert.ok(run0.tool.driver.rules.some((x: { id: string }) => x.id === 'unknown-field'));
  assert.equal(run0.results[0].ruleId, 'unknown-field');
  assert.equal(run0.results[0].level, 'error');
  assert.deepEqual(run0.results[0].locations[0].physicalLocation.region, { startLine: 5, startColumn: 1, endLine: 5, endColumn: 4 });
});

test('bad usage exits 2 with a message', () => {
  assert.equal(run(['check', '--format', 'xml', '.']).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['check', '--kubernetes-version', 'latest', '.']).code, 2);
  const r = run(['check', '/nonexistent/**/*.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.err, /no files match/);
});

test('an unreadable or binary file is reported, not a crash', () => {
  const d = tmpdir({ 'bin.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]) });
  const r = run(['check', path.join(d, 'bin.yaml'), path.join(d, 'missing.yaml')]);
  assert.equal(r.code, 1);
  assert.match(r.out, /bin\.yaml:1:1 error unreadable-file .*binary/);
  assert.match(r.out, /missing\.yaml:1:1 error unreadable-file .*does not exist/);
});

test('.kube-manifests.yaml configures rules for the CLI', () => {
  const d = tmpdir({ 'bad.yaml': bad, '.kube-manifests.yaml': 'rules:\n  unknown-field: warning\n' });
  const r = run(['check', '.'], { cwd: d });
  assert.equal(r.code, 0);
  assert.match(r.out, /warning unknown-field/);
});

test('non-Kubernetes YAML is left alone', () => {
  const d = tmpdir({ '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: x\n', 'docker-compose.yaml': 'services:\n  web:\n    image: nginx\n' });
  const r = run(['check', d]);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
});
