/** `kube-manifests check` on folders holding Helm charts: rendered, problems at template positions. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function chartDir(extra: Record<string, string> = {}): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-cli-chart-'));
  const files: Record<string, string> = {
    'echo/Chart.yaml': 'apiVersion: v2\nname: echo\nversion: 0.1.0\nicon: https://example.com/echo.svg\n',
    'echo/values.yaml': 'image:\n  pullPolicy: IfNotPresent\n',
    'echo/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: echo\nspec:\n  containers:\n    - name: echo\n      image: nginx\n      imagePullPolicy: {{ .Values.image.pullPolicy }}\n',
    'echo/crds/widget.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndta: {}\n',
    'plain.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n',
    ...extra,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    fs.writeFileSync(path.join(d, name), text);
  }
  return d;
}

test('a folder with a chart: templates are checked as rendered (no false errors on template syntax); crds/ stays a plain file', () => {
  const d = chartDir();
  const r = run(['check', '.'], d);
  assert.equal(r.out.trim(), `${path.join('echo', 'crds', 'widget.yaml')}:5:1 error unknown-field Unknown field "dta" in a ConfigMap: did you mean "data"?`);
  assert.equal(r.code, 1);
});

test('a wrong value: reported on the template action and on the value, with -f and --set for the chart', () => {
  const d = chartDir({ 'prod.yaml': 'image:\n  pullPolicy: Sometimes\n' });
  fs.rmSync(path.join(d, 'echo', 'crds'), { recursive: true });
  let r = run(['check', 'echo', '-f', 'prod.yaml'], d);
  const lines = r.out.trim().split('\n').sort();
  assert.match(lines[0], /^echo\/templates\/pod\.yaml:9:24 error invalid-enum "Sometimes" is not a valid .*imagePullPolicy.*\.Values\.image\.pullPolicy is "Sometimes" \(prod\.yaml:2\)$/);
  assert.match(lines[1], /^prod\.yaml:2:15 error invalid-enum .*used by templates\/pod\.yaml:9$/);
  assert.equal(r.code, 1);
  r = run(['check', 'echo', '--set', 'image.pullPolicy=Always'], d);
  assert.equal(r.out, '');
  assert.equal(r.code, 0);
  r = run(['check', 'echo', '--format', 'json', '--set', 'image.pullPolicy=Nope'], d);
  const json = JSON.parse(r.out) as Array<{ path: string; problems: Array<{ code: string; line: number; message: string }> }>;
  assert.deepEqual(json.filter((f) => f.problems.length).map((f) => [f.path, f.problems.map((p) => `${p.code}@${p.line}`)]), [['echo/templates/pod.yaml', ['invalid-enum@9']]]);
  // the message names the flag the value came from, as it names a values file and line
  assert.match(json.find((f) => f.problems.length)!.problems[0].message, /\.Values\.image\.pullPolicy is "Nope" \(--set image\.pullPolicy=Nope\)$/);
});

test('-f with no chart among the paths is a usage error', () => {
  const d = chartDir({ 'prod.yaml': 'a: 1\n' });
  const r = run(['check', 'plain.yaml', '-f', 'prod.yaml'], d);
  assert.equal(r.code, 2);
  assert.match(r.err, /need a chart folder among the paths/);
});

test('the objects a chart renders count for the plain files beside it, and the plain files for the chart', () => {
  const d = chartDir({
    'echo/templates/role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {{ .Chart.Name }}-reader\nrules:\n  - apiGroups: [""]\n    resources: ["pods"]\n    verbs: ["get"]\n',
    'echo/templates/binding.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: echo-config\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {{ .Values.configRole }}\nsubjects:\n  - kind: ServiceAccount\n    name: web\n',
    'echo/values.yaml': 'image:\n  pullPolicy: IfNotPresent\nconfigRole: config-reader\n',
    'binding.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: web-reads\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: echo-reader\nsubjects:\n  - kind: ServiceAccount\n    name: web\n',
    'role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: config-reader\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["get"]\n',
  });
  fs.rmSync(path.join(d, 'echo', 'crds'), { recursive: true });
  let r = run(['check', '.'], d);
  assert.equal(r.out, '', 'the plain binding finds the Role the chart renders, the chart\'s binding the plain Role');
  assert.equal(r.code, 0);
  // Without the chart's Role, the plain binding points nowhere; without the plain Role, the chart's binding does.
  fs.rmSync(path.join(d, 'echo', 'templates', 'role.yaml'));
  fs.rmSync(path.join(d, 'role.yaml'));
  r = run(['check', '.'], d);
  const codes = r.out.trim().split('\n').map((l) => l.replace(/:\d+:\d+ (\w+) ([\w-]+) .*/, ' $2'));
  // (the chart's is on the action that prints the Role's name, and mirrored on the value that names it)
  assert.deepEqual(codes.sort(), ['binding.yaml reference-not-found', `${path.join('echo', 'templates', 'binding.yaml')} reference-not-found`, `${path.join('echo', 'values.yaml')} reference-not-found`].sort(), r.out);
});
