/**
 * The plain-manifest features on a chart's rendered manifests (features/helm/renderedFeatures.ts):
 * the facts of rendered objects at template offsets, Secret actions on literal template text, the
 * blue/green switch into the template or the values file in use.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChartChecker } from '../../../server/src/features/helm/chartCheck';
import { chartManifest, renderedObjectFacts, templateSecretActions, templateTrafficSwitch } from '../../../server/src/features/helm/renderedFeatures';
import { applyOffsetEdits } from '../../../server/src/features/actions/edit';
import { DEFAULT_SETTINGS } from '../../../server/src/types';
import { service } from '../../helpers';

const enc = new TextEncoder();
const ls = service();
let renders = 0;

function render(map: Record<string, string>) {
  const result = new ChartChecker(ls).check({ files: Object.entries(map).map(([path, t]) => ({ path, data: enc.encode(t) })), settings: DEFAULT_SETTINGS });
  return chartManifest(result, `test-chart-${++renders}`, ls.parse);
}

const chart = {
  'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'values.yaml': 'sa: app-sa\ncolor: "green"\n',
  'templates/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Values.sa }}\n  namespace: {{ .Release.Namespace }}\n  labels:\n    team: payments\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: fixed\n  namespace: tools\n',
};

test('rendered objects get the template uri and offsets: literal text exactly, a printed value on its action; a namespace printed by an action is not written down', () => {
  const m = render(chart);
  const facts = renderedObjectFacts(m, (p) => `file:///c/${p}`).get('templates/sa.yaml')!;
  const text = chart['templates/sa.yaml'];
  assert.deepEqual(
    facts.map((o) => [o.uri, o.name, text.slice(o.nameSpan![0], o.nameSpan![1]), o.namespace, o.explicitNamespace, o.labels.map((l) => text.slice(l.valueSpan[0], l.valueSpan[1]))]),
    [
      ['file:///c/templates/sa.yaml', 'app-sa', '{{ .Values.sa }}', 'default', false, ['payments']],
      ['file:///c/templates/sa.yaml', 'fixed', 'fixed', 'tools', true, []],
    ],
  );
  assert.equal(facts[0].unit, 'file:///c');
});

test('Secret actions: offered on literal text with edits on the template, not where the value is printed', () => {
  const tpl = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: 'plain text'\n  b: {{ .Values.sa | b64enc }}\n";
  const m = render({ ...chart, 'templates/secret.yaml': tpl });
  const at = (needle: string) => ({ start: tpl.indexOf(needle) + 1, end: tpl.indexOf(needle) + 1 });
  const onA = templateSecretActions(m, 'templates/secret.yaml', at("'plain"), DEFAULT_SETTINGS, ls.store);
  const encode = onA.find((a) => a.title === 'Encode the value of a as base64');
  assert.ok(encode, onA.map((a) => a.title).join(' | '));
  assert.equal(encode.carriesSecret, true);
  assert.equal(applyOffsetEdits(tpl, encode.edits), tpl.replace("'plain text'", Buffer.from('plain text').toString('base64')));
  // "Move a to stringData" rewrites the whole data block, which holds an action: not offered.
  assert.deepEqual(onA.filter((a) => a.title.startsWith('Move')).map((a) => a.title), []);
  assert.deepEqual(templateSecretActions(m, 'templates/secret.yaml', at('{{ .Values.sa'), DEFAULT_SETTINGS, ls.store), []);
});

test('the blue/green switch edits the values file in use that sets the printed value, keeping its quotes', () => {
  const dep = (c: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${c}\nspec:\n  selector:\n    matchLabels:\n      app: a\n      color: ${c}\n  template:\n    metadata:\n      labels:\n        app: a\n        color: ${c}\n    spec:\n      containers:\n        - name: a\n          image: nginx\n`;
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector:\n    app: a\n    color: {{ .Values.color }}\n  ports:\n    - port: 80\n';
  const map = { ...chart, 'templates/blue.yaml': dep('blue'), 'templates/green.yaml': dep('green'), 'templates/svc.yaml': svc };
  const m = render(map);
  const at = svc.indexOf('selector');
  const textOf = (p: string) => (map as Record<string, string>)[p];
  const own = templateTrafficSwitch(m, 'templates/svc.yaml', at, undefined, [], textOf);
  assert.deepEqual(own && { path: own.path, text: applyOffsetEdits(map['values.yaml'], own.edits) }, { path: 'values.yaml', text: 'sa: app-sa\ncolor: "blue"\n' });
  // A values file in use that sets it wins over values.yaml.
  const prod = { path: 'ci/prod.yaml', text: 'color: green\n' };
  const r = templateTrafficSwitch(m, 'templates/svc.yaml', at, 'blue', [prod], textOf);
  assert.deepEqual(r && { path: r.path, text: applyOffsetEdits(prod.text, r.edits) }, { path: 'ci/prod.yaml', text: 'color: blue\n' });
});
