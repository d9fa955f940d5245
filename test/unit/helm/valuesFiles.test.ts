/**
 * Values files understood (features/helm/valuesCompletion.ts, valuesAssist.ts): completion of keys
 * and values from values.schema.json, the chart's values.yaml and its subcharts, hover with the
 * schema's words and the chart default, on small charts with a `$0` cursor.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ChartChecker } from '../../../server/src/features/helm/chartCheck';
import { completeValuesFile } from '../../../server/src/features/helm/valuesCompletion';
import { hoverValuesFile } from '../../../server/src/features/helm/valuesAssist';
import { completeTemplate } from '../../../server/src/features/helm/templateAssist';
import type { ChartFile } from '../../../server/src/helm/chart';
import { readChartDir } from '../../../server/src/node/chartFiles';
import { DEFAULT_SETTINGS } from '../../../server/src/types';
import { dedent, ROOT, service, withCursor } from '../../helpers';

const enc = new TextEncoder();
const SHARED = path.resolve(ROOT, '..', 'shared', 'helm-charts');

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['image'],
  properties: {
    replicaCount: { type: 'integer', description: 'How many pods to run.', default: 1 },
    image: {
      type: 'object',
      required: ['repository'],
      properties: {
        repository: { type: 'string', description: 'The image to run.' },
        tag: { type: 'string' },
        pullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'], description: 'When to pull the image.' },
      },
    },
    service: { $ref: '#/$defs/service' },
    debug: { type: 'boolean', description: 'Verbose logs.' },
    hosts: { type: 'array', items: { type: 'object', properties: { host: { type: 'string' }, paths: { type: 'array' } } } },
  },
  $defs: { service: { type: 'object', properties: { type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, port: { type: 'integer' } } } },
};

const chart: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: db\n    version: 1.0.0\n    alias: database\n',
  'values.yaml': dedent(`
    replicaCount: 2
    image:
      repository: nginx
      # The image tag (defaults to the chart's appVersion).
      tag: "1.27"
      pullPolicy: IfNotPresent
    service:
      type: ClusterIP
      port: 80
    # Extra labels for every object.
    podLabels: {}
    `),
  'values.schema.json': JSON.stringify(schema, null, 2),
  'templates/deployment.yaml': dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: {{- toYaml .Values.podLabels | nindent 4 }}
    spec:
      replicas: {{ .Values.replicaCount }}
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
            - name: web
              image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
              imagePullPolicy: {{ .Values.image.pullPolicy }}
              {{- if .Values.debug }}
              args: ["--debug"]
              {{- end }}
    `),
  'charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 1.0.0\n',
  'charts/db/values.yaml': '# The database port.\nport: 5432\nauth:\n  user: app\n',
  'charts/db/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  port: {{ .Values.port | quote }}\n  user: {{ .Values.auth.user }}\n',
};

function files(map: Record<string, string>): ChartFile[] {
  return Object.entries(map).map(([p, t]) => ({ path: p, data: enc.encode(t) }));
}

function setup(map: Record<string, string> = chart) {
  const result = new ChartChecker(service()).check({ files: files(map), settings: DEFAULT_SETTINGS });
  return { result, textOf: (rel: string) => map[rel] };
}

function completeIn(rel: string, withCur: string, map: Record<string, string> = chart) {
  const { text, offset } = withCursor(withCur);
  const { result, textOf } = setup({ ...map, ...(rel.startsWith('../') ? {} : { [rel]: text }) });
  const file = service().parse(`file:///chart/${rel}`, text);
  return { items: completeValuesFile({ path: rel, file, result, textOf }, offset), text };
}

function apply(text: string, item: { insertText: string; range: { start: number; end: number } }): string {
  return text.slice(0, item.range.start) + item.insertText.replace(/\$\{1\|([^,|]*)[^}]*\}/, '$1').replace(/\$0/, '') + text.slice(item.range.end);
}

test('keys at the top of a custom values file: the schema, the chart defaults, the subchart (alias) and global; required first', () => {
  const { items } = completeIn('values-prod.yaml', 'replicaCount: 3\n$0');
  const labels = items.map((i) => i.label).sort();
  assert.deepEqual(labels, ['database', 'debug', 'global', 'hosts', 'image', 'podLabels', 'service']);
  const image = items.find((i) => i.label === 'image')!;
  assert.equal(image.detail, 'object (required)');
  assert.ok(image.sortText!.startsWith('0'), 'required keys sort first');
  const debug = items.find((i) => i.label === 'debug')!;
  assert.equal(debug.detail, 'boolean');
  assert.match(debug.documentation!, /Verbose logs\./);
  assert.equal(debug.insertText, 'debug: ${1|true,false|}');
  // A map: the key and a new indented line.
  assert.equal(items.find((i) => i.label === 'podLabels')!.insertText, 'podLabels:\n  $0');
  assert.match(items.find((i) => i.label === 'podLabels')!.documentation!, /Chart default \(values\.yaml:11\): `\{\}`\n\nExtra labels for every object\./);
  assert.equal(items.find((i) => i.label === 'hosts')!.insertText, 'hosts:\n  - $0');
  assert.match(items.find((i) => i.label === 'database')!.documentation!, /subchart database \(charts\/db\)/);
});

test('keys inside a map: the schema ($ref followed) with the chart default and the comment above it in values.yaml', () => {
  const { items } = completeIn('ci/test.yaml', 'image:\n  pullPolicy: Always\n  $0\n');
  assert.deepEqual(items.map((i) => i.label).sort(), ['repository', 'tag']);
  const tag = items.find((i) => i.label === 'tag')!;
  assert.equal(tag.detail, 'string = "1.27"');
  assert.match(tag.documentation!, /Chart default \(values\.yaml:5\): `"1\.27"`\n\nThe image tag \(defaults to the chart's appVersion\)\./);
  assert.equal(items.find((i) => i.label === 'repository')!.detail, 'string (required) = "nginx"');
  const svc = completeIn('ci/test.yaml', 'service:\n  $0\n').items;
  assert.deepEqual(svc.map((i) => i.label).sort(), ['port', 'type']);
  assert.match(svc.find((i) => i.label === 'type')!.documentation!, /one of `"ClusterIP"`, `"NodePort"`, `"LoadBalancer"`/);
});

test('keys of a subchart under its alias, from its values.yaml', () => {
  const { items, text } = completeIn('values-prod.yaml', 'database:\n  au$0\n');
  const auth = items.find((i) => i.label === 'auth')!;
  assert.ok(auth, JSON.stringify(items.map((i) => i.label)));
  assert.equal(apply(text, auth), 'database:\n  auth:\n    \n');
  assert.match(items.find((i) => i.label === 'port')!.documentation!, /The database port\./);
});

test('values after `key: `: the schema enum, booleans, the chart default', () => {
  const pull = completeIn('values-prod.yaml', 'image:\n  pullPolicy: $0\n').items;
  assert.deepEqual(pull.map((i) => i.label), ['Always', 'IfNotPresent', 'Never']);
  const dbg = completeIn('values-prod.yaml', 'debug: $0\n').items;
  assert.deepEqual(dbg.map((i) => i.label), ['true', 'false']);
  const port = completeIn('values-prod.yaml', 'service:\n  port: $0\n').items;
  assert.deepEqual(port.map((i) => `${i.label} ${i.detail}`), ['80 chart default (values.yaml:9)']);
  const rc = completeIn('values-prod.yaml', 'replicaCount: $0\n').items;
  assert.deepEqual(rc.map((i) => `${i.label} ${i.detail}`), ['1 values.schema.json default', '2 chart default (values.yaml:1)']);
});

test('values.yaml itself: the schema keys it does not set yet, not its own keys again', () => {
  const text = chart['values.yaml'] + '$0';
  const { items } = completeIn('values.yaml', text);
  assert.deepEqual(items.map((i) => i.label).sort(), ['database', 'debug', 'global', 'hosts']);
});

test('keys of a list item from the schema of its items', () => {
  const { items } = completeIn('values-prod.yaml', 'hosts:\n  - host: a\n    $0\n');
  assert.deepEqual(items.map((i) => i.label), ['paths']);
});

test('hover in a custom values file: the value in use, its readers, the schema words and the chart default', () => {
  const rel = 'ci/test.yaml';
  const { text, offset } = withCursor('image:\n  pullP$0olicy: Always\n');
  const { result, textOf } = setup();
  const h = hoverValuesFile(result, rel, text, offset, textOf)!;
  assert.match(h.contents, /^\*\*\.Values\.image\.pullPolicy\*\* = `"IfNotPresent"` in the values in use\n\nRead by `templates\/deployment\.yaml:19`\./);
  assert.match(h.contents, /When to pull the image\./);
  assert.match(h.contents, /values\.schema\.json: type string; one of `"Always"`, `"IfNotPresent"`, `"Never"`\./);
  assert.match(h.contents, /Chart default \(values\.yaml:6\): `"IfNotPresent"`/);
  // In values.yaml itself, no "chart default" (it is the default).
  const own = withCursor(chart['values.yaml'].replace('pullPolicy', 'pullP$0olicy'));
  const h2 = hoverValuesFile(result, 'values.yaml', own.text, own.offset, textOf)!;
  assert.match(h2.contents, /When to pull the image\./);
  assert.doesNotMatch(h2.contents, /Chart default/);
});

test('.Values. completion in a template reads the schema: keys no values file sets yet, with their description', () => {
  const { result, textOf } = setup();
  const tpl = 'templates/deployment.yaml';
  const { text, offset } = withCursor(chart[tpl].replace('{{- if .Values.debug }}', '{{- if .Values.$0 }}'));
  const items = completeTemplate({ path: tpl, text, result, textOf }, offset, service(), DEFAULT_SETTINGS);
  const debug = items.find((i) => i.label === 'debug');
  assert.ok(debug, JSON.stringify(items.map((i) => i.label)));
  assert.equal(debug!.detail, 'boolean (not set; values.schema.json)');
  assert.match(debug!.documentation!, /Verbose logs\./);
  const rc = items.find((i) => i.label === 'replicaCount')!;
  assert.equal(rc.detail, 'number = 2');
  assert.match(rc.documentation!, /How many pods to run\./);
  const svc = withCursor(chart[tpl].replace('{{- if .Values.debug }}', '{{- if .Values.service.$0 }}'));
  const s = completeTemplate({ path: tpl, text: svc.text, result, textOf }, svc.offset, service(), DEFAULT_SETTINGS);
  assert.deepEqual(s.map((i) => i.label), ['port', 'type']);
});

test('shared charts: completion in a custom values file of cert-manager (schema through $ref) and bitnami nginx', { skip: !fs.existsSync(SHARED) }, () => {
  for (const [dir, key, expect] of [
    ['cert-manager/cert-manager', 'replicaCount', /number of replicas of the cert-manager controller/],
    ['bitnami/nginx', 'replicaCount', /Number of replicas to deploy|Number of NGINX replicas/],
  ] as const) {
    const root = path.join(SHARED, dir);
    if (!fs.existsSync(root)) continue;
    const loaded = readChartDir(root);
    const map: Record<string, string> = {};
    for (const f of loaded) if (!/\.(tgz|png)$/.test(f.path)) map[f.path] = new TextDecoder().decode(f.data);
    const { text, offset } = withCursor('$0\n');
    const result = new ChartChecker(service()).check({ files: loaded, settings: DEFAULT_SETTINGS });
    const items = completeValuesFile({ path: 'ci/mine.yaml', file: service().parse('file:///x/ci/mine.yaml', text), result, textOf: (r) => map[r] }, offset);
    const item = items.find((i) => i.label === key);
    assert.ok(item, `${dir}: ${items.length} items`);
    assert.match(item!.documentation!, expect);
  }
});

// ------------------------------------------------------------------ checks of values files

import { valuesFileProblems } from '../../../server/src/features/helm/valuesDiagnostics';

function problemsOf(rel: string, text: string, inUse: boolean, map: Record<string, string> = chart) {
  const { result, textOf } = setup(map);
  return valuesFileProblems({ path: rel, text, result, textOf, inUse }).map((p) => ({ code: p.code, severity: p.severity, text: text.slice(p.start, p.end), message: p.message }));
}

test('a values file not in use is checked against the schema on its own: errors on its own values only', () => {
  const text = 'replicaCount: lots\nimage:\n  pullPolicy: Sometimes\nservice:\n  port: 80\n';
  const ps = problemsOf('ci/other.yaml', text, false).filter((p) => p.code === 'helm-values-schema');
  assert.deepEqual(ps.map((p) => [p.severity, p.text]), [['error', 'lots'], ['error', 'Sometimes']]);
  assert.match(ps[0].message, /^got string, want integer \(values\.schema\.json: helm install -f ci\/other\.yaml would refuse these values\)$/);
  // In use, chartCheck says these (on the value, once): nothing more here.
  assert.deepEqual(problemsOf('ci/other.yaml', text, true).filter((p) => p.code === 'helm-values-schema'), []);
  // A valid file: nothing.
  assert.deepEqual(problemsOf('ci/other.yaml', 'replicaCount: 3\nimage:\n  tag: "1.28"\n', false), []);
  // values.yaml itself is chartCheck's.
  assert.deepEqual(problemsOf('values.yaml', chart['values.yaml'].replace('replicaCount: 2', 'replicaCount: two'), false), []);
});

test('a key the schema refuses at the top (additionalProperties: false) is placed on the key, in use or not', () => {
  const closed = { ...schema, additionalProperties: false };
  const map: Record<string, string> = { ...chart, 'values.schema.json': JSON.stringify(closed), 'values.yaml': chart['values.yaml'].replace(/# Extra labels[^\n]*\npodLabels: \{\}\n/, '') };
  map['templates/deployment.yaml'] = map['templates/deployment.yaml'].replace(/\n  labels: \{\{- toYaml \.Values\.podLabels \| nindent 4 \}\}/, '');
  for (const inUse of [true, false]) {
    const ps = problemsOf('../prod.yaml', 'replicaCount: 3\nreplicas: 3\n', inUse, map);
    assert.deepEqual(ps.map((p) => [p.code, p.text]), [['helm-values-schema', 'replicas']], JSON.stringify(ps));
    assert.match(ps[0].message, /^replicas is not allowed here: values\.schema\.json lists the keys this map may have \(replicaCount, image, service, debug, hosts\) and has additionalProperties: false/);
  }
  // A schema whose root is a $ref (cert-manager's) makes Helm group the errors under `- at '': validation
  // failed`, each on an indented line: both are still placed.
  const { $schema, $defs, ...root } = closed as typeof closed & { $defs?: Record<string, unknown> };
  const refMap = { ...map, 'values.schema.json': JSON.stringify({ $schema, $ref: '#/$defs/values', $defs: { ...$defs, values: root } }) };
  const both = problemsOf('ci/other.yaml', 'image:\n  pullPolicy: Sometimes\nreplicaCont: 3\n', false, refMap);
  assert.deepEqual(both.map((p) => [p.code, p.text]), [['helm-values-schema', 'Sometimes'], ['helm-values-schema', 'replicaCont']], JSON.stringify(both));
  assert.match(both[1].message, /Did you mean replicaCount\?$/);
});

test('a key no template reads and the chart does not know: information with the closest key, never in values.yaml', () => {
  const text = 'image:\n  tagg: "1.28"\nreplicaCont: 3\nservice:\n  port: 8080\n';
  const ps = problemsOf('../prod.yaml', text, true);
  assert.deepEqual(ps.map((p) => [p.severity, p.code, p.text]), [['information', 'values-unknown-key', 'tagg'], ['information', 'values-unknown-key', 'replicaCont']]);
  assert.equal(ps[0].message, 'No template of the chart reads .Values.image.tagg, and neither values.yaml nor values.schema.json of the chart defines it: it has no effect; did you mean tag?');
  assert.match(ps[1].message, /did you mean replicaCount\?$/);
  // A key a template reads, though no values file sets it, is fine; so are keys under a subchart it reads.
  assert.deepEqual(problemsOf('ci/x.yaml', 'debug: true\ndatabase:\n  port: 5433\n', false), []);
  // A subchart key it does not know.
  const sub = problemsOf('ci/x.yaml', 'database:\n  prot: 5433\n', false);
  assert.deepEqual(sub.map((p) => [p.text, p.message.replace(/.*did you mean /, '')]), [['prot', 'port?']]);
  // values.yaml: not this check's (values-unused is).
  assert.deepEqual(problemsOf('values.yaml', chart['values.yaml'] + 'extra: 1\n', false), []);
});

// ------------------------------------------------------------------ extract a literal to a value

import { extractValueActions } from '../../../server/src/features/helm/extractValue';
import { helmTemplate } from '../../../server/src/helm/index';

const extractChart: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'image:\n  repository: nginx\nextra:\n  - sidecar\n',
  'templates/deployment.yaml': dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 3
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
            version: "1.0"
        spec:
          containers:
            - name: web
              image: nginx:1.25
              args:
                - --port
                - "8080"
              ports:
                - containerPort: 8080
              securityContext:
                runAsNonRoot: yes
              volumeMounts:
                - name: data
                  mountPath: /data
          {{- range .Values.extra }}
            - name: {{ . }}
              image: busybox
          {{- end }}
          volumes:
            - name: data
              configMap:
                name: web
                defaultMode: 0644
    `),
};

/** Applies the extract action at `needle` (cursor after `at` characters) and renders the chart before and after. */
function extractAt(needle: string, at = 0, map: Record<string, string> = extractChart) {
  const tpl = 'templates/deployment.yaml';
  const { result, textOf } = setup(map);
  const offset = map[tpl].indexOf(needle) + at;
  assert.ok(offset >= at, `fixture has ${needle}`);
  const actions = extractValueActions({ path: tpl, text: map[tpl], result, textOf }, offset, offset);
  if (!actions.length) return undefined;
  const a = actions[0];
  const edit = (text: string, edits: Array<{ start: number; end: number; newText: string }>) => [...edits].sort((x, y) => y.start - x.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
  const after = { ...map, [tpl]: edit(map[tpl], a.template), [a.valuesFile]: edit(map[a.valuesFile], a.values) };
  const render = (m: Record<string, string>) => helmTemplate(files(m));
  return { a, after, before: render(map), rendered: render(after), line: after[tpl].split('\n').find((l) => l.includes('.Values.') && !l.includes('range') && !l.includes('Values.image.'))!.trim() };
}

test('extract a literal to a value: the template reads it, values.yaml gets it, the chart renders byte for byte the same', () => {
  const cases: Array<[string, number, string, string]> = [
    ['replicas: 3', 1, 'replicas: {{ .Values.replicas }}', 'replicas: 3\n'],
    // `image` is taken (the chart has .Values.image): the parent key goes in front.
    ['image: nginx:1.25', 12, 'image: {{ .Values.containersImage }}', 'containersImage: nginx:1.25\n'],
    ['version: "1.0"', 0, 'version: {{ .Values.version | quote }}', 'version: "1.0"\n'],
    ['containerPort: 8080', 16, '- containerPort: {{ .Values.containerPort }}', 'containerPort: 8080\n'],
    ['- "8080"', 3, '- {{ .Values.args | quote }}', 'args: "8080"\n'],
    ['runAsNonRoot: yes', 15, 'runAsNonRoot: {{ .Values.runAsNonRoot }}', 'runAsNonRoot: "yes"\n'],
    ['defaultMode: 0644', 14, 'defaultMode: {{ .Values.defaultMode }}', 'defaultMode: "0644"\n'],
  ];
  for (const [needle, at, line, added] of cases) {
    const r = extractAt(needle, at);
    assert.ok(r, `an action on ${needle}`);
    assert.equal(r!.line, line, needle);
    assert.equal(r!.after['values.yaml'], extractChart['values.yaml'] + added, needle);
    assert.equal(r!.a.template[0].newText, line.replace(/^- /, '').replace(/^[\w]+: /, ''));
    assert.equal(r!.before.error, undefined);
    assert.equal(r!.rendered.error, undefined, needle);
    assert.equal(r!.rendered.output, r!.before.output, `rendered the same after extracting ${needle}`);
  }
});

test('extract: the key avoids what the chart already has or reads (parent key in front), and nothing is offered where it would not be safe', () => {
  const withReplicas: Record<string, string> = { ...extractChart, 'values.yaml': 'replicas: 1\n' + extractChart['values.yaml'] };
  const r = extractAt('replicas: 3', 1, withReplicas)!;
  assert.equal(r.line, 'replicas: {{ .Values.replicas2 }}');
  assert.equal(r.rendered.output, r.before.output);
  // A key under a non-generic parent gets the parent in front: `ports` → portsContainerPort.
  const withPort: Record<string, string> = { ...extractChart, 'values.yaml': 'containerPort: 80\n' + extractChart['values.yaml'] };
  assert.equal(extractAt('containerPort: 8080', 16, withPort)!.line, '- containerPort: {{ .Values.portsContainerPort }}');
  // Inside range the action reads $.Values; in a define nothing is offered; nor on an action or a map key.
  const inRange = extractAt('image: busybox', 8)!;
  assert.equal(inRange.line, 'image: {{ $.Values.image2 }}');
  assert.equal(inRange.rendered.output, inRange.before.output);
  assert.equal(extractAt('{{- range .Values.extra }}', 5), undefined);
  assert.equal(extractAt('securityContext:', 3), undefined);
  const withDefine: Record<string, string> = { ...extractChart, 'templates/_helpers.tpl': '{{- define "web.labels" }}\napp: web\n{{- end }}\n' };
  const { result, textOf } = setup(withDefine);
  const t = withDefine['templates/_helpers.tpl'];
  assert.deepEqual(extractValueActions({ path: 'templates/_helpers.tpl', text: t, result, textOf }, t.indexOf('app: web') + 6, t.indexOf('app: web') + 6), []);
});

test('shared charts: their ci/ and values-*.yaml files, checked on their own, have no errors (and complete and hover without throwing)', { skip: !fs.existsSync(SHARED) }, () => {
  const charts: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 3) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = path.join(d, e.name);
      if (fs.existsSync(path.join(p, 'Chart.yaml')) && path.basename(d) !== 'charts') charts.push(p);
      else walk(p, depth + 1);
    }
  };
  walk(SHARED, 0);
  let checked = 0;
  for (const root of charts) {
    const loaded = readChartDir(root);
    const map: Record<string, string> = {};
    for (const f of loaded) if (!/\.(tgz|png)$/.test(f.path)) map[f.path] = new TextDecoder().decode(f.data);
    // Read from disk: .helmignore often leaves ci/ out of the chart.
    const list = (sub: string, re: RegExp) => (fs.existsSync(path.join(root, sub)) ? fs.readdirSync(path.join(root, sub)).filter((f) => re.test(f)).map((f) => (sub ? `${sub}/${f}` : f)) : []);
    const extra = [...list('ci', /\.ya?ml$/), ...list('', /^values-.*\.ya?ml$/)];
    for (const rel of extra) map[rel] ??= fs.readFileSync(path.join(root, rel), 'utf8');
    if (!extra.length) continue;
    const result = new ChartChecker(service()).check({ files: loaded, settings: DEFAULT_SETTINGS });
    for (const rel of extra) {
      const text = map[rel];
      const ps = valuesFileProblems({ path: rel, text, result, textOf: (r) => map[r], inUse: false });
      assert.deepEqual(ps.filter((p) => p.severity !== 'information').map((p) => `${p.code} ${text.slice(p.start, p.end)}: ${p.message}`), [], `${path.relative(SHARED, root)}/${rel}`);
      const file = service().parse(`file:///x/${rel}`, text);
      for (let o = 0; o < text.length; o += 97) {
        completeValuesFile({ path: rel, file, result, textOf: (r) => map[r] }, o);
        hoverValuesFile(result, rel, text, o, (r) => map[r]);
      }
      checked++;
    }
  }
  assert.ok(checked > 5, `checked ${checked} values files`);
});

test('the comment above a key is its own: commented-out examples of the key above (helm create) are not', async () => {
  const { commentAbove } = await import('../../../server/src/features/helm/valuesScope');
  const text = 'ingress:\n  # Annotations of the Ingress.\n  annotations: {}\n    # kubernetes.io/ingress.class: nginx\n    # kubernetes.io/tls-acme: "true"\n  # Hosts it serves.\n  hosts: []\n';
  assert.equal(commentAbove(text, text.indexOf('hosts')), 'Hosts it serves.');
  assert.equal(commentAbove(text, text.indexOf('annotations')), 'Annotations of the Ingress.');
});

test('a values file not in use is not checked against the schema of a dependency its condition turns off', () => {
  const map: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: db\n    version: 0.1.0\n    alias: database\n    condition: database.enabled\n',
    'values.yaml': 'database:\n  enabled: false\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
    'charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n',
    'charts/db/values.yaml': 'port: 5432\n',
    'charts/db/values.schema.json': JSON.stringify({ type: 'object', required: ['password'] }),
    'charts/db/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\n',
  };
  assert.deepEqual(problemsOf('ci/off.yaml', 'database:\n  enabled: false\n', false, map).filter((p) => p.code === 'helm-values-schema'), []);
  // Turned on, the dependency's schema applies: its required password is missing.
  const on = problemsOf('ci/on.yaml', 'database:\n  enabled: true\n', false, map).filter((p) => p.code === 'helm-values-schema');
  assert.equal(on.length, 1, JSON.stringify(on));
  assert.match(on[0].message, /password/);
});
