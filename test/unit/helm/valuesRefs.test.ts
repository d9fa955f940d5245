/**
 * Values files ↔ templates (features/helm/valuesRefs.ts): the reads of every template (with,
 * range, variables, index, defines through include), the keys of values files (documents,
 * anchors, odd names), duplicate keys, and definition, references, readers, rename and unused
 * values across a chart and its subcharts; on small inline charts and on `helm create`'s chart.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseTemplate } from '../../../server/src/helm/parser';
import {
  ChartModel,
  definitionOfRead,
  duplicateKeyProblems,
  FileEdit,
  Location,
  readersOfKey,
  referencesOfKey,
  renameValue,
  unusedValues,
  valueReads,
  valuesKeys,
} from '../../../server/src/features/helm/valuesRefs';
import { ROOT, withCursor } from '../../helpers';

const HELM_CREATE = path.resolve(ROOT, '..', 'shared', 'helm-charts', 'helm-create');

/** Reads as `path text [partial]`, the text being the read's range in the template. */
function reads(tpl: string): string[] {
  const p = parseTemplate('c/templates/t.yaml', tpl);
  assert.deepEqual(p.errors, []);
  return valueReads(p).map((r) => `${r.path.join('.')} ${tpl.slice(r.start, r.end)}${r.partial ? ' P' : ''}`);
}

interface ChartSpec {
  name: string;
  alias?: string;
  dir?: string;
  templates?: Record<string, string>;
  values?: Record<string, string>;
  subcharts?: ChartSpec[];
  dependencyNames?: string[];
}

function chart(spec: ChartSpec, dir = spec.dir ?? ''): ChartModel {
  const prefix = dir ? dir + '/' : '';
  return {
    dir,
    name: spec.name,
    alias: spec.alias,
    templates: Object.entries(spec.templates ?? {}).map(([p, t]) => ({ path: prefix + p, parsed: parseTemplate(`${spec.name}/${p}`, t) })),
    valuesFiles: Object.entries(spec.values ?? {}).map(([p, t]) => ({ path: prefix + p, text: t })),
    subcharts: (spec.subcharts ?? []).map((s) => chart(s, `${prefix}charts/${s.name}`)),
    dependencyNames: spec.dependencyNames,
  };
}

function fileText(model: ChartModel, p: string): string {
  const all = (m: ChartModel): Array<{ path: string; text: string }> => [
    ...m.templates.map((t) => ({ path: t.path, text: t.parsed.text })),
    ...m.valuesFiles,
    ...m.subcharts.flatMap(all),
  ];
  const f = all(model).find((x) => x.path === p);
  if (!f) throw new Error('no file ' + p);
  return f.text;
}

/** Locations as `path:line "text"` (line 1-based). */
function shown(model: ChartModel, locs: Location[]): string[] {
  return locs.map((l) => {
    const t = fileText(model, l.path);
    return `${l.path}:${t.slice(0, l.start).split('\n').length} ${JSON.stringify(t.slice(l.start, l.end))}`;
  });
}

function applyEdits(model: ChartModel, edits: FileEdit[]): Record<string, string> {
  const out: Record<string, string> = {};
  const byPath = new Map<string, FileEdit[]>();
  for (const e of edits) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  for (const [p, es] of byPath) {
    let t = fileText(model, p);
    for (const e of [...es].sort((a, b) => b.start - a.start)) t = t.slice(0, e.start) + e.newText + t.slice(e.end);
    out[p] = t;
  }
  return out;
}

/** A chart with one template holding a `$0` cursor; returns the model and the cursor's offset. */
function withTemplateCursor(spec: ChartSpec, file: string): { model: ChartModel; offset: number } {
  const { text, offset } = withCursor(spec.templates![file]);
  return { model: chart({ ...spec, templates: { ...spec.templates, [file]: text } }), offset };
}

function withValuesCursor(spec: ChartSpec, file: string): { model: ChartModel; offset: number } {
  const { text, offset } = withCursor(spec.values![file]);
  return { model: chart({ ...spec, values: { ...spec.values, [file]: text } }), offset };
}

// ---------------------------------------------------------------------------------------------
// Reads of one template

test('fields, $, with, range and variables are reads of their values path', () => {
  assert.deepEqual(
    reads(
      [
        '{{ .Values.image.tag }}',
        '{{ $.Values.port }}',
        '{{ with .Values.probe }}{{ .path }}{{ end }}',
        '{{ range .Values.hosts }}{{ .name }}{{ end }}',
        '{{ $x := .Values.db }}{{ $x.user }}',
        '{{ if .Values.enabled }}on{{ end }}',
      ].join('\n'),
    ),
    [
      'image.tag .Values.image.tag P',
      'port $.Values.port P',
      'probe .Values.probe',
      'probe.path .path P',
      'hosts .Values.hosts',
      'hosts.[].name .name P',
      'db .Values.db',
      'db.user $x.user P',
      'enabled .Values.enabled',
    ],
  );
});

test('. inside with, range $k, $v, and a variable used whole are partial reads of that value', () => {
  assert.deepEqual(reads('{{ with .Values.annotations }}{{ toYaml . }}{{ end }}'), ['annotations .Values.annotations', 'annotations . P']);
  assert.deepEqual(reads('{{ range $name, $svc := .Values.services }}{{ $name }}: {{ $svc.port }}{{ end }}'), [
    'services .Values.services',
    'services.[].port $svc.port P',
  ]);
  assert.deepEqual(reads('{{ $r := .Values.resources }}{{ toYaml $r }}'), ['resources .Values.resources', 'resources $r P']);
  // $ inside range is still the top scope.
  assert.deepEqual(reads('{{ range .Values.list }}{{ $.Values.port }}{{ end }}'), ['list .Values.list', 'port $.Values.port P']);
});

test('index and hasKey with string literals, default, required, first', () => {
  assert.deepEqual(reads('{{ index .Values "my-key" "sub" }}'), ['my-key.sub index .Values "my-key" "sub" P']);
  assert.deepEqual(reads('{{ if hasKey .Values.labels "app" }}x{{ end }}'), ['labels .Values.labels', 'labels.app hasKey .Values.labels "app"']);
  assert.deepEqual(reads('{{ .Values.tag | default .Chart.AppVersion | quote }}'), ['tag .Values.tag P']);
  assert.deepEqual(reads('{{ required "set host" .Values.host }}'), ['host .Values.host P']);
  assert.deepEqual(reads('{{ (first .Values.refs).name }}'), ['refs .Values.refs', 'refs.[] first .Values.refs', 'refs.[].name (first .Values.refs).name P']);
  // A key that is not a literal reads some part of the map: the map is used whole.
  assert.deepEqual(reads('{{ $k := "a" }}{{ index .Values.m $k }}'), ['m .Values.m P']);
});

test('segments give the offsets of each key name, inside the quotes for index', () => {
  const tpl = '{{ .Values.image.tag }} {{ index .Values "my-key" }}';
  const [a, b] = valueReads(parseTemplate('t', tpl));
  assert.deepEqual(a.segments.map((s) => [s.key, tpl.slice(s.start, s.end), s.pathIndex]), [
    ['image', 'image', 0],
    ['tag', 'tag', 1],
  ]);
  assert.deepEqual(b.segments.map((s) => [s.key, tpl.slice(s.start, s.end), s.literal]), [['my-key', 'my-key', true]]);
});

test('reads inside a define are relative to its dot, assumed to be the top scope', () => {
  const p = parseTemplate('c/templates/_h.tpl', '{{ define "c.name" }}{{ .Values.nameOverride | default .Chart.Name }}{{ end }}');
  assert.deepEqual(
    valueReads(p).map((r) => [r.path.join('.'), r.define]),
    [['nameOverride', 'c.name']],
  );
});

test('toYaml .Values and tpl with the top scope read everything', () => {
  assert.deepEqual(reads('{{ toYaml .Values }}'), [' .Values P']);
  assert.deepEqual(reads('{{ tpl .Values.extra . }}'), ['extra .Values.extra P', ' . P']);
});

// ---------------------------------------------------------------------------------------------
// Keys of values files

test('valuesKeys: paths and offsets, list items, documents, odd key names, YAML 1.1 keys', () => {
  const text = 'image:\n  tag: "1.0"\nhosts:\n  - name: a\nmy-key: 1\n"a.b": 2\nyes: 3\n---\nimage:\n  tag: "2.0"\n';
  const keys = valuesKeys(text);
  assert.deepEqual(
    keys.map((k) => [k.path.join('.'), text.slice(k.keyStart, k.keyEnd), text.slice(k.valueStart, k.valueEnd), k.line, k.doc]),
    [
      ['image', 'image', 'tag: "1.0"\n', 0, 0],
      ['image.tag', 'tag', '"1.0"', 1, 0],
      ['hosts', 'hosts', '- name: a\n', 2, 0],
      ['hosts.[].name', 'name', 'a', 3, 0],
      ['my-key', 'my-key', '1', 4, 0],
      ['a.b', '"a.b"', '2', 5, 0],
      // Helm reads values as YAML 1.1: `yes` is the key "true".
      ['true', 'yes', '3', 6, 0],
      ['image', 'image', 'tag: "2.0"\n', 8, 1],
      ['image.tag', 'tag', '"2.0"', 9, 1],
    ],
  );
});

test('valuesKeys: aliases and merge keys give the anchored keys under the alias path', () => {
  const text = 'base: &b\n  port: 80\ncopy: *b\nmerged:\n  <<: *b\n  extra: 1\n';
  const keys = valuesKeys(text);
  assert.deepEqual(
    keys.map((k) => `${k.path.join('.')}@${k.line}${k.viaAlias ? ' alias' : ''}`),
    ['base@0', 'base.port@1', 'copy@2', 'copy.port@1 alias', 'merged@3', 'merged.port@1 alias', 'merged.extra@5'],
  );
});

test('duplicate keys: an error on the second, naming the first', () => {
  const text = 'replicaCount: 1\nimage:\n  repository: nginx\nservice:\n  port: 80\n  port: 8080\nimage:\n  tag: "1"\n---\nimage: {}\n';
  const problems = duplicateKeyProblems(text);
  assert.deepEqual(
    problems.map((p) => [p.code, p.severity, text.slice(0, p.start).split('\n').length, text.slice(p.start, p.end), p.message]),
    [
      ['values-duplicate-key', 'error', 6, 'port', '`port` appears twice in this map (line 5 and line 6); Helm keeps only the last one, so the first value is silently ignored: remove one of them'],
      [
        'values-duplicate-key',
        'error',
        7,
        'image',
        '`image` appears twice in this map (line 2 and line 7); Helm keeps only the last one, so everything under the first is silently lost: merge the two blocks',
      ],
    ],
  );
  assert.deepEqual(duplicateKeyProblems('a: 1\nb:\n  a: 2\nlist:\n  - a: 1\n  - a: 2\n'), []);
});

// ---------------------------------------------------------------------------------------------
// A chart model

const web: ChartSpec = {
  name: 'web',
  templates: {
    'templates/_helpers.tpl': '{{- define "web.labels" -}}\napp: {{ .Values.appName }}\n{{- end }}\n{{- define "web.image" -}}\n{{ .repository }}:{{ .tag }}\n{{- end }}\n',
    'templates/deploy.yaml': 'metadata:\n  labels:\n    {{- include "web.labels" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  image: {{ include "web.image" .Values.image }}\n',
  },
  values: { 'values.yaml': 'appName: web\nreplicaCount: 1\nimage:\n  repository: nginx\n  tag: "1.0"\nunused:\n  a: 1\n' },
};

test('defines resolve through their calls: include "x" . and include "x" .Values.image', () => {
  const model = chart(web);
  const { offset } = withCursor(web.values!['values.yaml'].replace('  tag:', '  $0tag:'));
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', offset)), ['values.yaml:5 "tag"', 'templates/_helpers.tpl:5 "tag"']);
  const name = web.values!['values.yaml'].indexOf('appName');
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', name)), ['values.yaml:1 "appName"', 'templates/_helpers.tpl:2 "appName"']);
  assert.deepEqual(
    unusedValues(model, 'values.yaml').map((u) => u.path.join('.')),
    ['unused'],
  );
});

test('definition of a read: the key under the cursor, in every values file of the chart', () => {
  const spec: ChartSpec = { ...web, values: { ...web.values, 'values-prod.yaml': 'image:\n  tag: "2.0"\n' } };
  spec.templates = { ...spec.templates, 'templates/x.yaml': 'a: {{ .Values.image.t$0ag }}\nb: {{ .Values.ima$0ge.missing }}\n' };
  const text = spec.templates['templates/x.yaml'];
  const first = text.indexOf('$0');
  const second = text.indexOf('$0', first + 2) - 2;
  const model = chart({ ...spec, templates: { ...spec.templates, 'templates/x.yaml': text.replace(/\$0/g, '') } });
  assert.deepEqual(shown(model, definitionOfRead(model, 'templates/x.yaml', first)), ['values.yaml:5 "tag"', 'values-prod.yaml:2 "tag"']);
  assert.deepEqual(shown(model, definitionOfRead(model, 'templates/x.yaml', second)), ['values.yaml:3 "image"', 'values-prod.yaml:1 "image"']);
  // Not set anywhere: the nearest key that is.
  const missing = model.templates.find((t) => t.path === 'templates/x.yaml')!.parsed.text.indexOf('missing') + 2;
  assert.deepEqual(shown(model, definitionOfRead(model, 'templates/x.yaml', missing)), ['values.yaml:3 "image"', 'values-prod.yaml:1 "image"']);
});

// ---------------------------------------------------------------------------------------------
// Subcharts

const parent: ChartSpec = {
  name: 'app',
  templates: { 'templates/cm.yaml': 'region: {{ .Values.global.region }}\nmine: {{ .Values.mine }}\n' },
  values: { 'values.yaml': 'mine: 1\nglobal:\n  region: eu\ndb:\n  port: 5432\n  nobody: 1\ncache:\n  size: 1\npostgresql:\n  auth: x\n' },
  dependencyNames: ['db', 'cache', 'postgresql'],
  subcharts: [
    {
      name: 'database',
      alias: 'db',
      templates: { 'templates/svc.yaml': 'port: {{ .Values.port }}\nregion: {{ .Values.global.region }}\n' },
      values: { 'values.yaml': 'port: 5432\nglobal:\n  region: us\n' },
    },
    { name: 'cache', templates: { 'templates/all.yaml': '{{ toYaml .Values }}\n' }, values: { 'values.yaml': 'size: 1\n' } },
  ],
};

test("a subchart's .Values.x is found from the parent's <alias>.x, and global.x at every level", () => {
  const model = chart(parent);
  const pv = parent.values!['values.yaml'];
  const port = pv.indexOf('port');
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', port)), ['values.yaml:5 "port"', 'charts/database/templates/svc.yaml:1 "port"']);
  const readPort = fileText(model, 'charts/database/templates/svc.yaml').indexOf('port }}');
  assert.deepEqual(shown(model, definitionOfRead(model, 'charts/database/templates/svc.yaml', readPort)), [
    'charts/database/values.yaml:1 "port"',
    'values.yaml:5 "port"',
  ]);
  const region = pv.indexOf('region');
  assert.deepEqual(
    readersOfKey(model, 'values.yaml', region).map((r) => `${r.path}:${r.line + 1} ${r.valuesPath.join('.')}`),
    ['charts/database/templates/svc.yaml:2 global.region', 'templates/cm.yaml:1 global.region'],
  );
  const readRegion = fileText(model, 'charts/database/templates/svc.yaml').indexOf('region }}');
  assert.deepEqual(shown(model, definitionOfRead(model, 'charts/database/templates/svc.yaml', readRegion)), [
    'charts/database/values.yaml:3 "region"',
    'values.yaml:3 "region"',
  ]);
});

test('unused values: subchart keys by what the subchart reads; never global, whole-values subcharts or absent dependencies', () => {
  const model = chart(parent);
  const pv = parent.values!['values.yaml'];
  // db.nobody: the db subchart reads only port. cache passes .Values whole. postgresql is not in the model.
  assert.deepEqual(unusedValues(model, 'values.yaml'), [{ start: pv.indexOf('nobody'), end: pv.indexOf('nobody') + 6, path: ['db', 'nobody'] }]);
  assert.deepEqual(unusedValues(model, 'charts/database/values.yaml'), []);
});

test('rename in a subchart updates its reads, its values.yaml and the parent override', () => {
  const model = chart(parent);
  const at = fileText(model, 'charts/database/templates/svc.yaml').indexOf('port }}') + 1;
  const r = renameValue(model, { path: 'charts/database/templates/svc.yaml', offset: at }, 'servicePort');
  assert.ok('edits' in r);
  assert.deepEqual(applyEdits(model, r.edits), {
    'charts/database/templates/svc.yaml': 'port: {{ .Values.servicePort }}\nregion: {{ .Values.global.region }}\n',
    'charts/database/values.yaml': 'servicePort: 5432\nglobal:\n  region: us\n',
    'values.yaml': 'mine: 1\nglobal:\n  region: eu\ndb:\n  servicePort: 5432\n  nobody: 1\ncache:\n  size: 1\npostgresql:\n  auth: x\n',
  });
  // From the parent's key, the same.
  const r2 = renameValue(model, { path: 'values.yaml', offset: parent.values!['values.yaml'].indexOf('port') }, 'servicePort');
  assert.ok('edits' in r2);
  assert.deepEqual(r2.edits, r.edits);
});

// ---------------------------------------------------------------------------------------------
// Rename

test('rename refuses a name that is not a field name where a read is a field, and points to index', () => {
  const model = chart(web);
  const r = renameValue(model, { path: 'values.yaml', offset: 0 }, 'app-name');
  assert.deepEqual(r, {
    error: '`app-name` cannot be a field name in a template: `.Values.app-name` does not parse. Use letters, digits and underscores (not starting with a digit), or read the key with index: `index .Values "app-name"`.',
  });
});

test('rename refuses a dotted name where a read is a field, and the block of a subchart', () => {
  assert.deepEqual(renameValue(chart(web), { path: 'values.yaml', offset: 0 }, 'app.name'), {
    error: '`app.name` cannot be a field name in a template: `.Values.app.name` would read `name` inside `app`, not the key `app.name`. Use letters, digits and underscores (not starting with a digit), or read the key with index: `index .Values "app.name"`.',
  });
  assert.deepEqual(renameValue(chart(parent), { path: 'values.yaml', offset: parent.values!['values.yaml'].indexOf('db:') }, 'database'), {
    error: '`db` holds the values of the subchart database: its name comes from the dependency in Chart.yaml (name or alias), so rename it there.',
  });
});

test('rename through index literals accepts any name, and quotes keys YAML would not read as strings', () => {
  const model = chart({ name: 'c', templates: { 'templates/t.yaml': 'a: {{ index .Values "my-key" }}\n' }, values: { 'values.yaml': 'my-key: 1\n' } });
  const r = renameValue(model, { path: 'templates/t.yaml', offset: 22 }, 'other-key');
  assert.ok('edits' in r);
  assert.deepEqual(applyEdits(model, r.edits), { 'templates/t.yaml': 'a: {{ index .Values "other-key" }}\n', 'values.yaml': 'other-key: 1\n' });
  const r2 = renameValue(model, { path: 'values.yaml', offset: 0 }, 'on');
  assert.ok('edits' in r2);
  assert.deepEqual(applyEdits(model, r2.edits)['values.yaml'], '"on": 1\n');
});

test('rename refuses a name that already exists beside the key', () => {
  const model = chart(web);
  const at = web.values!['values.yaml'].indexOf('repository');
  assert.deepEqual(renameValue(model, { path: 'values.yaml', offset: at }, 'tag'), {
    error: '`tag` already exists next to `repository` in values.yaml (line 5): the rename would make a duplicate key, and Helm would keep only one of them.',
  });
});

test('rename of a list item key renames it in every item and in the range body', () => {
  const model = chart({
    name: 'c',
    templates: { 'templates/t.yaml': '{{ range .Values.hosts }}- {{ .name }}\n{{ end }}' },
    values: { 'values.yaml': 'hosts:\n  - name: a\n  - name: b\n' },
  });
  const r = renameValue(model, { path: 'values.yaml', offset: 'hosts:\n  - na'.length }, 'host');
  assert.ok('edits' in r);
  assert.deepEqual(applyEdits(model, r.edits), {
    'templates/t.yaml': '{{ range .Values.hosts }}- {{ .host }}\n{{ end }}',
    'values.yaml': 'hosts:\n  - host: a\n  - host: b\n',
  });
});

// ---------------------------------------------------------------------------------------------
// Unused values: conservative

test('unused values: nothing when a template passes .Values whole, or has parse errors', () => {
  const base = { name: 'c', values: { 'values.yaml': 'a: 1\nb: 2\n' } };
  assert.deepEqual(unusedValues(chart({ ...base, templates: { 't.yaml': '{{ .Values.a }}' } }), 'values.yaml').map((u) => u.path.join('.')), ['b']);
  assert.deepEqual(unusedValues(chart({ ...base, templates: { 't.yaml': '{{ .Values.a }}{{ toYaml .Values }}' } }), 'values.yaml'), []);
  // tpl of text from the values: the user's text may read anything.
  assert.deepEqual(unusedValues(chart({ ...base, templates: { 't.yaml': '{{ tpl .Values.a . }}' } }), 'values.yaml'), []);
  // A define that is not in the chart (a library chart not downloaded) may use what it is given whole.
  assert.deepEqual(unusedValues(chart({ ...base, templates: { 't.yaml': '{{ include "lib.render" (dict "value" .Values.a "context" $) }}' } }), 'values.yaml'), []);
  assert.deepEqual(unusedValues(chart({ ...base, templates: { 't.yaml': '{{ .Values.a ' } }), 'values.yaml'), []);
});

test('unused values: a map read only as a condition leaves its keys unused; toYaml of it covers them', () => {
  const values = { 'values.yaml': 'res:\n  limits: 1\nprobe:\n  path: /\n  port: 80\n' };
  const m = chart({ name: 'c', values, templates: { 't.yaml': '{{ if .Values.res }}{{ toYaml .Values.res }}{{ end }}{{ with .Values.probe }}{{ .path }}{{ end }}' } });
  assert.deepEqual(unusedValues(m, 'values.yaml').map((u) => u.path.join('.')), ['probe.port']);
});

test('unused values: tpl of a literal reads what the literal reads; the checksum include of a template file reads nothing more', () => {
  const values = { 'values.yaml': 'a: 1\nb: 2\nc: 3\n' };
  const m = chart({ name: 'c', values, templates: { 't.yaml': '{{ tpl "{{ .Values.b }}" . }}{{ include (print $.Template.BasePath "/cm.yaml") . | sha256sum }}', 'cm.yaml': '{{ .Values.c }}' } });
  assert.deepEqual(unusedValues(m, 'values.yaml').map((u) => u.path.join('.')), ['a']);
});

test('dicts passed to defines: .value and .context reach the values they hold', () => {
  const spec: ChartSpec = {
    name: 'c',
    values: { 'values.yaml': 'image:\n  registry: docker.io\n  repository: nginx\n  digest: ""\nlabels:\n  team: a\nname: x\n' },
    templates: {
      'templates/_h.tpl': '{{- define "c.image" -}}{{ .imageRoot.registry }}/{{ .imageRoot.repository }}{{- end -}}\n{{- define "c.render" -}}{{ toYaml .value }}-{{ .context.Values.name }}{{- end -}}\n',
      'templates/pod.yaml': 'image: {{ include "c.image" (dict "imageRoot" .Values.image "global" .Values.global) }}\nlabels: {{ include "c.render" (dict "value" .Values.labels "context" $) }}\n',
    },
  };
  const model = chart(spec);
  assert.deepEqual(unusedValues(model, 'values.yaml').map((u) => u.path.join('.')), ['image.digest']);
  const values = spec.values!['values.yaml'];
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', values.indexOf('registry'))), ['values.yaml:2 "registry"', 'templates/_h.tpl:1 "registry"']);
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', values.indexOf('name'))), ['values.yaml:7 "name"', 'templates/_h.tpl:2 "name"']);
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', values.indexOf('team'))), ['values.yaml:6 "team"', 'templates/_h.tpl:2 ".value"']);
});

test('anchors: a read through an alias finds the anchored key, and renaming a shared key is refused', () => {
  const values = 'base: &b\n  port: 80\ncopy: *b\n';
  const model = chart({ name: 'c', values: { 'values.yaml': values }, templates: { 't.yaml': 'p: {{ .Values.copy.port }}\n' } });
  const at = 'p: {{ .Values.copy.po'.length;
  assert.deepEqual(shown(model, definitionOfRead(model, 't.yaml', at)), ['values.yaml:2 "port"']);
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', values.indexOf('port'))), ['values.yaml:2 "port"', 't.yaml:1 "port"']);
  assert.deepEqual(unusedValues(model, 'values.yaml'), []);
  assert.deepEqual(renameValue(model, { path: 't.yaml', offset: at }, 'number'), {
    error: '`port` in values.yaml (line 2) is shared through a YAML anchor and alias; rename it by hand.',
  });
});

test('rename through a dict passed to a define', () => {
  const model = chart({
    name: 'c',
    values: { 'values.yaml': 'image:\n  registry: docker.io\n' },
    templates: {
      '_h.tpl': '{{- define "c.image" -}}{{ .imageRoot.registry }}{{- end -}}',
      'pod.yaml': 'image: {{ include "c.image" (dict "imageRoot" .Values.image) }}\n',
    },
  });
  const r = renameValue(model, { path: 'values.yaml', offset: 'image:\n  re'.length }, 'host');
  assert.ok('edits' in r);
  assert.deepEqual(applyEdits(model, r.edits), {
    '_h.tpl': '{{- define "c.image" -}}{{ .imageRoot.host }}{{- end -}}',
    'values.yaml': 'image:\n  host: docker.io\n',
  });
});

test('unused values: conditions Helm reads, tags, and a top-level enabled meant for parents are never reported', () => {
  const m = chart({
    name: 'c',
    values: { 'values.yaml': 'enabled: true\ntags:\n  db: true\nfeature:\n  enabled: 1\nother: 1\n' },
    templates: { 't.yaml': '{{ .Values.other }}' },
  });
  assert.deepEqual(unusedValues(m, 'values.yaml').map((u) => u.path.join('.')), ['feature']);
  m.conditions = ['feature.enabled'];
  assert.deepEqual(unusedValues(m, 'values.yaml'), []);
});

// ---------------------------------------------------------------------------------------------
// helm create's chart

function helmCreate(skip: string[] = []): ChartModel | undefined {
  if (!fs.existsSync(HELM_CREATE)) return undefined;
  const templates: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const f of fs.readdirSync(path.join(HELM_CREATE, d), { withFileTypes: true })) {
      const p = `${d}/${f.name}`;
      if (f.isDirectory()) walk(p);
      else if (!skip.includes(p)) templates[p] = fs.readFileSync(path.join(HELM_CREATE, p), 'utf8');
    }
  };
  walk('templates');
  return chart({ name: 'echo', templates, values: { 'values.yaml': fs.readFileSync(path.join(HELM_CREATE, 'values.yaml'), 'utf8') } });
}

test('helm create: image.tag is read in deployment.yaml at its exact offsets', { skip: !fs.existsSync(HELM_CREATE) }, () => {
  const model = helmCreate()!;
  const dep = model.templates.find((t) => t.path === 'templates/deployment.yaml')!;
  const r = valueReads(dep.parsed).filter((x) => x.path.join('.') === 'image.tag');
  const text = dep.parsed.text;
  const at = text.indexOf('.Values.image.tag');
  assert.deepEqual(
    r.map((x) => [x.start, x.end, x.segments.map((s) => [s.start, s.end])]),
    [[at, at + '.Values.image.tag'.length, [[at + 8, at + 13], [at + 14, at + 17]]]],
  );
  const values = fileText(model, 'values.yaml');
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', values.indexOf('  tag:') + 2)), ['values.yaml:14 "tag"', 'templates/deployment.yaml:41 "tag"']);
  assert.deepEqual(
    readersOfKey(model, 'values.yaml', values.indexOf('\nservice:') + 1).map((x) => `${x.path}:${x.line + 1}`),
    [
      'templates/NOTES.txt:21',
      'templates/NOTES.txt:25',
      'templates/NOTES.txt:29',
      'templates/NOTES.txt:30',
      'templates/deployment.yaml:45',
      'templates/httproute.yaml:3',
      'templates/ingress.yaml:40',
      'templates/service.yaml:8',
      'templates/service.yaml:10',
      'templates/tests/test-connection.yaml:14',
    ],
  );
});

test('helm create: rename replicaCount updates values.yaml and deployment.yaml', { skip: !fs.existsSync(HELM_CREATE) }, () => {
  const model = helmCreate()!;
  const values = fileText(model, 'values.yaml');
  const r = renameValue(model, { path: 'values.yaml', offset: values.indexOf('replicaCount') + 3 }, 'replicas');
  assert.ok('edits' in r);
  assert.deepEqual(shown(model, r.edits), ['templates/deployment.yaml:9 "replicaCount"', 'values.yaml:6 "replicaCount"']);
  const after = applyEdits(model, r.edits);
  assert.match(after['templates/deployment.yaml'], /replicas: \{\{ \.Values\.replicas \}\}/);
  assert.match(after['values.yaml'], /\nreplicas: 1\n/);
});

test('helm create: every value is read; without hpa.yaml the autoscaling limits are not', { skip: !fs.existsSync(HELM_CREATE) }, () => {
  assert.deepEqual(unusedValues(helmCreate()!, 'values.yaml'), []);
  const model = helmCreate(['templates/hpa.yaml'])!;
  // autoscaling.enabled is still read by deployment.yaml.
  assert.deepEqual(
    unusedValues(model, 'values.yaml').map((u) => u.path.join('.')),
    ['autoscaling.minReplicas', 'autoscaling.maxReplicas', 'autoscaling.targetCPUUtilizationPercentage'],
  );
});

test('helm create: the define echo.fullname reads fullnameOverride for every template that includes it', { skip: !fs.existsSync(HELM_CREATE) }, () => {
  const model = helmCreate()!;
  const values = fileText(model, 'values.yaml');
  assert.deepEqual(shown(model, referencesOfKey(model, 'values.yaml', values.indexOf('fullnameOverride'))), [
    'values.yaml:20 "fullnameOverride"',
    'templates/_helpers.tpl:14 "fullnameOverride"',
    'templates/_helpers.tpl:15 "fullnameOverride"',
  ]);
  const helpers = fileText(model, 'templates/_helpers.tpl');
  assert.deepEqual(shown(model, definitionOfRead(model, 'templates/_helpers.tpl', helpers.indexOf('fullnameOverride') + 1)), ['values.yaml:20 "fullnameOverride"']);
});
