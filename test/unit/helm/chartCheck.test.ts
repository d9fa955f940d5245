/**
 * Charts checked as rendered (features/helm/chartCheck.ts): problems of the rendered YAML carried
 * back onto the template's literal text or action, render and syntax errors explained at their
 * place, the editor's bounds, re-rendering only what changed, and no errors or warnings on the
 * real charts of ../shared/helm-charts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ChartChecker, ChartCheckInput } from '../../../server/src/features/helm/chartCheck';
import type { ChartFile } from '../../../server/src/helm/chart';
import { readChartDir } from '../../../server/src/node/chartFiles';
import { DEFAULT_SETTINGS, Problem } from '../../../server/src/types';
import { ROOT, service } from '../../helpers';

const SHARED = path.resolve(ROOT, '..', 'shared', 'helm-charts');
const enc = new TextEncoder();

function files(map: Record<string, string>): ChartFile[] {
  return Object.entries(map).map(([p, t]) => ({ path: p, data: enc.encode(t) }));
}

const base: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'image:\n  repository: nginx\n  pullPolicy: IfNotPresent\nport: 80\nname: web\n',
  'templates/_helpers.tpl': '{{- define "web.port" -}}{{ .Values.ports.http }}{{- end }}\n{{- define "web.selector" -}}\napp: web\n{{- end }}\n',
  'templates/pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Values.name }}
spec:
  containers:
    - name: web
      image: {{ .Values.image.repository }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
`,
};

function check(map: Record<string, string>, extra: Partial<ChartCheckInput> = {}, checker = new ChartChecker(service())) {
  const r = checker.check({ files: files(map), settings: DEFAULT_SETTINGS, ...extra });
  const at = (file: string, code?: string): Array<{ text: string; p: Problem }> =>
    (r.problems.get(file) ?? []).filter((p) => !code || p.code === code).map((p) => ({ text: (map[file] ?? extra.valueFiles?.find((v) => v.path === file)?.text ?? '').slice(p.start, p.end), p }));
  return { r, at };
}

test('a literal mistake in a template is reported on its exact text', () => {
  const { at } = check({ ...base, 'templates/pod.yaml': base['templates/pod.yaml'].replace('imagePullPolicy: {{ .Values.image.pullPolicy }}', 'imagePullPolicy: Alwayz') });
  const [e] = at('templates/pod.yaml', 'invalid-enum');
  assert.equal(e.text, 'Alwayz');
  assert.match(e.p.message, /"Alwayz" is not a valid .*imagePullPolicy; use one of Always, IfNotPresent, Never \(did you mean Always\?\)/);
});

test('a wrong value is reported on the action, naming the value and the values file and line; and on the value itself', () => {
  const { at } = check(base, { valueFiles: [{ path: 'custom.yaml', text: 'image:\n  pullPolicy: Sometimes\n' }] });
  const [e] = at('templates/pod.yaml', 'invalid-enum');
  assert.equal(e.text, '{{ .Values.image.pullPolicy }}');
  assert.match(e.p.message, /; \.Values\.image\.pullPolicy is "Sometimes" \(custom\.yaml:2\)$/);
  const [v] = at('custom.yaml', 'invalid-enum');
  assert.equal(v.text, 'Sometimes');
  assert.match(v.p.message, /used by templates\/pod\.yaml:9$/);
});

test('an error inside a define is reported in the define and at the include in the template', () => {
  const map = { ...base, 'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: {{ include "web.port" . }}\n' };
  const { at } = check(map);
  const [call] = at('templates/svc.yaml', 'helm-render-error');
  assert.equal(call.text, 'include "web.port" .');
  assert.match(call.p.message, /^\.Values\.ports\.http cannot be read: \.Values\.ports is not set in the values in use \(values\.yaml\)/);
  assert.match(call.p.message, /\(in templates\/_helpers\.tpl, called from here\)$/);
  const [inner] = at('templates/_helpers.tpl', 'helm-render-error');
  assert.equal(inner.text, '.Values.ports.http');
  assert.match(inner.p.message, /\(when rendering templates\/svc\.yaml\)$/);
});

test('inside range, a field of the root read on "." is explained', () => {
  const map = { ...base, 'values.yaml': base['values.yaml'] + 'hosts: [a, b]\n', 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n{{- range .Values.hosts }}\n  {{ . }}: {{ .Values.name }}\n{{- end }}\n' };
  const [e] = check(map).at('templates/cm.yaml', 'helm-render-error');
  assert.equal(e.text, '.Values.name');
  assert.equal(e.p.message, '.Values.name cannot be read here: inside range or with, "." is the current element, not the chart\'s root. Use $.Values.name to reach the root (can\'t evaluate field Values in type interface {}).');
});

test('required shows its message on the call', () => {
  const map = { ...base, 'templates/pod.yaml': base['templates/pod.yaml'].replace('{{ .Values.name }}', '{{ required "Set name: the Pod needs one" .Values.nam }}') };
  const [e] = check(map).at('templates/pod.yaml', 'helm-required');
  assert.equal(e.text, 'required "Set name: the Pod needs one" .Values.nam');
  assert.match(e.p.message, /^Set name: the Pod needs one/);
});

test('YAML that breaks only once rendered (indent instead of nindent) is explained with the rendered lines', () => {
  const map = { ...base, 'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{ include "web.selector" . | indent 4 }}\n  ports:\n    - port: 80\n' };
  const list = check(map).r.problems.get('templates/svc.yaml') ?? [];
  const e = list.find((p) => p.code === 'syntax-error');
  assert.ok(e, JSON.stringify(list));
  assert.match(e!.message, /^Once rendered, this template is not valid YAML: /);
  assert.match(e!.message, /The rendered lines:\n(.*\n)*.*\| {3}selector: {5}app: web/);
  assert.match(e!.message, /nindent instead of indent/);
});

test('a template syntax error is placed on its token, in plain words, and other templates are still checked', () => {
  const map = { ...base, 'templates/bad.yaml': 'a: {{ $x }}\n', 'templates/pod.yaml': base['templates/pod.yaml'].replace('{{ .Values.image.pullPolicy }}', 'Alwayz') };
  const { at } = check(map);
  const [e] = at('templates/bad.yaml', 'helm-template-syntax');
  assert.equal(e.text, '$x');
  assert.equal(e.p.message, '$x is not defined here. Declare it first with {{ $x := ... }}; a variable declared inside if, range, with or define ends at its {{ end }}. (Go template: undefined variable "$x")');
  assert.equal(at('templates/pod.yaml', 'invalid-enum').length, 1);
});

test('a render that would run away stops once, as information, and the other templates are checked', () => {
  const map = { ...base, 'templates/big.yaml': 'a: {{ repeat 100000000 "x" }}\n', 'templates/pod.yaml': base['templates/pod.yaml'].replace('{{ .Values.image.pullPolicy }}', 'Alwayz') };
  const { r, at } = check(map);
  const limits = [...r.problems.values()].flat().filter((p) => p.code === 'helm-render-limit');
  assert.equal(limits.length, 1);
  assert.equal(limits[0].severity, 'information');
  assert.equal(at('templates/pod.yaml', 'invalid-enum').length, 1);
});

test('a library chart: its templates are checked for syntax, nothing is rendered, no complaint that it cannot be installed', () => {
  const { r, at } = check({ 'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n', 'templates/_x.tpl': '{{- define "lib.x" -}}{{ if }}{{- end }}\n', 'templates/_y.tpl': '{{- define "lib.y" -}}y{{- end }}\n' });
  assert.deepEqual([...r.problems.keys()], ['templates/_x.tpl']);
  assert.equal(at('templates/_x.tpl')[0].p.code, 'helm-template-syntax');
});

test('a missing dependency is said once on Chart.yaml, as information; templates stay quiet', () => {
  const map = { ...base, 'Chart.yaml': base['Chart.yaml'] + 'dependencies:\n  - name: common\n    version: 2.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n' };
  const { r } = check(map);
  assert.deepEqual([...r.problems.keys()], ['Chart.yaml']);
  const deps = r.problems.get('Chart.yaml')!.filter((p) => /dependenc/.test(p.code));
  assert.deepEqual(deps.map((p) => [p.code, p.severity]), [['chart-dependency-missing', 'information']]);
  assert.match(deps[0].message, /helm dependency build/);
});

test('a subchart template is reported at its own path; its values come from the parent under its name', () => {
  const map = {
    ...base,
    'values.yaml': base['values.yaml'] + 'db:\n  policy: Nope\n',
    'charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 1.0.0\n',
    'charts/db/values.yaml': 'policy: Always\n',
    'charts/db/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n    - name: db\n      image: postgres\n      imagePullPolicy: {{ .Values.policy }}\n',
  };
  const { at } = check(map);
  const [e] = at('charts/db/templates/pod.yaml', 'invalid-enum');
  assert.equal(e.text, '{{ .Values.policy }}');
  assert.match(e.p.message, /\.Values\.policy is "Nope" \(values\.yaml:7\)$/);
  const [v] = at('values.yaml', 'invalid-enum');
  assert.equal(v.text, 'Nope');
});

test('a keystroke in one template re-renders that template; a change to a define re-renders all', () => {
  const checker = new ChartChecker(service());
  const map: Record<string, string> = { ...base, 'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    {{- include "web.selector" . | nindent 4 }}\n  ports:\n    - port: 80\n' };
  check(map, {}, checker);
  const edited: Record<string, string> = { ...map, 'templates/pod.yaml': map['templates/pod.yaml'].replace('{{ .Values.image.pullPolicy }}', 'Alwayz') };
  const one = check(edited, {}, checker);
  assert.equal(one.at('templates/pod.yaml', 'invalid-enum').length, 1);
  assert.deepEqual(one.r.problems.get('templates/svc.yaml'), undefined);
  // The define now prints a label value that is not valid: the Service (not edited) shows it.
  const helpers = { ...edited, 'templates/_helpers.tpl': edited['templates/_helpers.tpl'].replace('app: web', 'app: "-web-"') };
  const all = check(helpers, {}, checker);
  assert.ok((all.r.problems.get('templates/svc.yaml') ?? []).length > 0, 'the Service is re-rendered with the new define');
  assert.equal(all.at('templates/pod.yaml', 'invalid-enum').length, 1, 'cached problems of other templates are kept');
});

const sharedSkip = fs.existsSync(SHARED) ? false : `no shared charts at ${SHARED}`;

function chartDirs(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (fs.existsSync(path.join(d, 'Chart.yaml'))) {
      out.push(d);
      return;
    }
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  if (fs.existsSync(SHARED)) walk(SHARED);
  return out.sort();
}

test('the shared charts, with their default values and each ci/*.yaml: no errors and no warnings', { skip: sharedSkip }, () => {
  const found: string[] = [];
  let rendered = 0;
  for (const dir of chartDirs()) {
    const chart = readChartDir(dir);
    const ci = fs.existsSync(path.join(dir, 'ci')) ? fs.readdirSync(path.join(dir, 'ci')).filter((f) => /\.ya?ml$/.test(f)) : [];
    for (const vf of [undefined, ...ci]) {
      const r = new ChartChecker(service()).check({
        files: chart,
        settings: DEFAULT_SETTINGS,
        valueFiles: vf ? [{ path: `ci/${vf}`, text: fs.readFileSync(path.join(dir, 'ci', vf), 'utf8') }] : [],
      });
      rendered += r.rendered.size;
      for (const [file, list] of r.problems) {
        for (const p of list) if (p.severity === 'error' || p.severity === 'warning') found.push(`${path.relative(SHARED, dir)} ${vf ?? ''} ${file}: ${p.code} ${p.message}`);
      }
    }
  }
  assert.deepEqual(found, []);
  assert.ok(rendered > 100, `templates were rendered and checked (${rendered})`);
});

import { addValueEdit, helmQuickFixes } from '../../../server/src/features/helm/templateActions';

function apply(text: string, e: { start: number; end: number; newText: string }): string {
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

test('a number printed where a string is wanted: the message says to quote, and the fix adds | quote; checked again, the problem is gone', () => {
  const map = { ...base, 'values.yaml': base['values.yaml'] + 'port: 8080\n', 'templates/cm.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: x\n      image: x\n      env:\n        - name: PORT\n          value: {{ .Values.port }}\n' };
  const { at } = check(map);
  const [e] = at('templates/cm.yaml', 'invalid-type');
  assert.equal(e.text, '{{ .Values.port }}');
  assert.match(e.p.message, /Add \| quote to the action so that it always prints a string$/);
  const [fix] = helmQuickFixes(e.p, () => undefined);
  assert.equal(fix.title, 'Add | quote (print a string)');
  const fixed = apply(map['templates/cm.yaml'], fix.edits[0]);
  assert.match(fixed, /value: \{\{ \.Values\.port \| quote \}\}\n/);
  assert.deepEqual(check({ ...map, 'templates/cm.yaml': fixed }).at('templates/cm.yaml', 'invalid-type'), []);
});

test('a large number that Helm prints in scientific notation is a warning, with | int64 as the fix', () => {
  const map = { ...base, 'values.yaml': base['values.yaml'] + 'limit: 10000000\n', 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  limit: "{{ .Values.limit }}"\n' };
  const [e] = check(map).at('templates/cm.yaml', 'helm-number-scientific');
  assert.equal(e.text, '{{ .Values.limit }}');
  assert.equal(e.p.severity, 'warning');
  assert.match(e.p.message, /^\.Values\.limit prints as 1e\+07: Helm reads the numbers of values files as floating point/);
  const [fix] = helmQuickFixes(e.p, () => undefined);
  assert.equal(apply(map['templates/cm.yaml'], fix.edits[0]).split('\n')[5], '  limit: "{{ .Values.limit | int64 }}"');
});

test('a values path no values file sets: the fix adds it to values.yaml under the deepest existing key', () => {
  const map: Record<string, string> = { ...base, 'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: {{ .Values.image.ports.http }}\n' };
  const [e] = check(map).at('templates/svc.yaml', 'helm-render-error');
  const [fix] = helmQuickFixes(e.p, (f) => map[f]);
  assert.equal(fix.title, 'Add image.ports.http to values.yaml');
  assert.equal(fix.file, 'values.yaml');
  const values = apply(map['values.yaml'], fix.edits[0]);
  assert.equal(values, 'image:\n  repository: nginx\n  pullPolicy: IfNotPresent\n  ports:\n    http: ""\nport: 80\nname: web\n');
  assert.deepEqual(check({ ...map, 'values.yaml': values }).at('templates/svc.yaml', 'helm-render-error'), []);
  assert.equal(apply('a: 1', addValueEdit('a: 1', ['b', 'c'])!), 'a: 1\nb:\n  c: ""\n');
});

test('random values in the editor do not flicker: a template renders the same alone, after others, and on every check', () => {
  const map: Record<string, string> = { ...base, 'templates/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: {{ randAlphaNum 12 | quote }}\n', 'templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: {{ randAlphaNum 16 | quote }}\n  id: {{ uuidv4 | quote }}\n' };
  const checker = new ChartChecker(service());
  const one = checker.check({ files: files(map), settings: DEFAULT_SETTINGS }).rendered.get('templates/secret.yaml')!.output;
  // Only the edited template renders again (the others are cached): its values stay the same.
  const edited = { ...map, 'templates/secret.yaml': map['templates/secret.yaml'] + '# edited\n' };
  const two = checker.check({ files: files(edited), settings: DEFAULT_SETTINGS }).rendered.get('templates/secret.yaml')!.output;
  assert.equal(two, one + '# edited\n');
  const fresh = new ChartChecker(service()).check({ files: files(map), settings: DEFAULT_SETTINGS }).rendered.get('templates/secret.yaml')!.output;
  assert.equal(fresh, one);
  assert.match(one, /password: "[A-Za-z0-9]{16}"/);
});

test('.Capabilities.APIVersions holds what the configured Kubernetes version serves: a branch on a removed apiVersion is not taken', () => {
  const pdb = 'apiVersion: {{ if .Capabilities.APIVersions.Has "policy/v1beta1" }}policy/v1beta1{{ else }}policy/v1{{ end }}\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n';
  const { r } = check({ ...base, 'templates/pdb.yaml': pdb });
  assert.match(r.rendered.get('templates/pdb.yaml')!.output, /^apiVersion: policy\/v1\n/);
  assert.deepEqual(r.problems.get('templates/pdb.yaml'), undefined);
  // On a cluster that still serves it, the branch is taken (and nothing is wrong with it there).
  const old = check({ ...base, 'templates/pdb.yaml': pdb }, { settings: { ...DEFAULT_SETTINGS, kubernetesVersion: '1.24' } });
  assert.match(old.r.rendered.get('templates/pdb.yaml')!.output, /^apiVersion: policy\/v1beta1\n/);
});

test('a duplicate key in values.yaml is an error on the second key, naming the first line', () => {
  const values = 'image:\n  repository: nginx\nport: 80\nimage:\n  tag: "1.27"\n';
  const { at } = check({ ...base, 'values.yaml': values, 'templates/pod.yaml': base['templates/pod.yaml'].replace('{{ .Values.image.pullPolicy }}', 'Always').replace('{{ .Values.image.repository }}', 'nginx') });
  const [e] = at('values.yaml', 'values-duplicate-key');
  assert.equal(e.text, 'image');
  assert.equal(e.p.start, values.lastIndexOf('image:'));
  assert.equal(e.p.message, '`image` appears twice in this map (line 1 and line 4); Helm keeps only the last one, so everything under the first is silently lost: merge the two blocks');
});

test('values.schema.json: each error on the value it is about, in the values file that sets it', () => {
  const schema = JSON.stringify({ type: 'object', properties: { port: { type: 'integer', maximum: 65535 }, image: { type: 'object', properties: { pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] } } } } });
  const { at } = check({ ...base, 'values.schema.json': schema }, { valueFiles: [{ path: 'prod.yaml', text: 'port: 70000\n' }] });
  const [e] = at('prod.yaml', 'helm-values-schema');
  assert.equal(e.text, '70000');
  assert.match(e.p.message, /^maximum: got 70,000, want 65,535 \(values\.schema\.json of web: helm install refuses these values\)$/);
});

test('a value no template reads is information, faded', () => {
  const { at } = check({ ...base, 'values.yaml': base['values.yaml'] + 'leftover: 1\n' });
  const u = at('values.yaml', 'values-unused').find((x) => x.text === 'leftover')!;
  assert.match(u.p.message, /^No template of the chart reads \.Values\.leftover/);
  assert.equal(u.p.severity, 'information');
  assert.equal(u.p.unnecessary, true);
  assert.deepEqual(at('values.yaml', 'values-unused').map((x) => x.text), ['port', 'leftover']);
});

import { completeTemplate } from '../../../server/src/features/helm/templateAssist';

test('.Values completion in a subchart whose folder is not named after it: the subchart\'s values, with the parent\'s overrides', () => {
  const map: Record<string, string> = {
    ...base,
    'values.yaml': base['values.yaml'] + 'db:\n  port: 5432\n',
    'charts/postgres-src/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 1.0.0\n',
    'charts/postgres-src/values.yaml': 'user: app\nport: 5433\n',
    'charts/postgres-src/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  port: {{ .Values.port | quote }}\n',
  };
  const { r } = check(map);
  const path = 'charts/postgres-src/templates/cm.yaml';
  const text = map[path].replace('.Values.port', '.Values.');
  const items = completeTemplate({ path, text, result: r, textOf: (p) => map[p] }, text.indexOf('.Values.') + '.Values.'.length, service(), DEFAULT_SETTINGS);
  assert.deepEqual(items.map((i) => `${i.label} ${i.detail}`), ['global map', 'port number = 5432', 'user string = "app"']);
});
