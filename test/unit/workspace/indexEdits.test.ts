/**
 * Typing in an indexed file: the index takes the file's new facts (objects moved by the edit
 * take the place of their old selves, workspace/index.ts `replace`), and what other files see
 * of it — where a reference leads, which names exist, cross-file problems — is as if the file
 * had been indexed afresh.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { settings, workspace } from '../../helpers';

const app = `apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: x
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  level: info
`;
const other = `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: c
    image: busybox:1.36
    env:
    - name: P
      valueFrom:
        secretKeyRef:
          name: db
          key: password
    - name: L
      valueFrom:
        configMapKeyRef:
          name: settings
          key: level
`;

test('after edits that move the objects of a file, references from another file lead to where they are now', () => {
  const ws = workspace({ 'app.yaml': app, 'other.yaml': other });
  const uri = ws.uri('app.yaml');
  let file = ws.file('app.yaml');
  // type at the top of the file, one character at a time, as an editor sends it
  let at0 = 0;
  for (const ch of '# notes\n') {
    const text = file.text.slice(0, at0) + ch + file.text.slice(at0++);
    file = ws.ls.parse(uri, text, file);
    ws.index.set(ws.index.view(file).current!);
  }
  const from = ws.file('other.yaml');
  const at = from.text.indexOf('name: settings') + 'name: '.length;
  const defs = ws.ls.definition(from, at + 2);
  assert.equal(defs.length, 1);
  assert.equal(file.text.slice(defs[0].start, defs[0].end), 'settings');
  assert.ok(file.text.startsWith('# notes\napiVersion'));
  // each object is in the index once, under its current name
  const names = ws.ls.workspaceSymbols('').map((s) => s.name).sort();
  assert.deepEqual(names, [...new Set(names)]);
  const [cm] = ws.index.ofKind('ConfigMap');
  assert.equal(ws.index.ofKind('ConfigMap').length, 1);
  assert.equal(file.text.slice(cm.nameSpan![0], cm.nameSpan![1]), 'settings');
  const [secret] = ws.index.named('Secret', 'db');
  assert.equal(ws.index.named('Secret', 'db').length, 1);
  assert.equal(file.text.slice(secret.nameSpan![0], secret.nameSpan![1]), 'db');
});

test('renaming an object by typing in its file is seen from the file that refers to it', () => {
  const ws = workspace({ 'app.yaml': app, 'other.yaml': other });
  const uri = ws.uri('app.yaml');
  let file = ws.file('app.yaml');
  const problems = () => ws.ls.validate(ws.file('other.yaml'), settings()).map((p) => p.code);
  assert.deepEqual(problems(), []);
  const at = file.text.indexOf('name: db') + 'name: db'.length;
  file = ws.ls.parse(uri, file.text.slice(0, at) + '2' + file.text.slice(at), file);
  ws.index.set(ws.index.view(file).current!);
  assert.deepEqual(problems(), ['reference-not-found']);
  assert.equal(ws.index.named('Secret', 'db').length, 0);
  assert.equal(ws.index.named('Secret', 'db2').length, 1);
  file = ws.ls.parse(uri, file.text.slice(0, at) + file.text.slice(at + 1), file);
  ws.index.set(ws.index.view(file).current!);
  assert.deepEqual(problems(), []);
  assert.equal(ws.index.ofKind('Secret').length, 1);
});

test('an edit of a CRD or an aggregated ClusterRole that keeps its length still counts as a change for the files that read it', async () => {
  const { parseManifestFile } = await import('../../../server/src/model/manifest');
  const { extractFacts, sameDependencies } = await import('../../../server/src/workspace/facts');
  const facts = (uri: string, text: string) => extractFacts(parseManifestFile(uri, text));
  const crd = (type: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          size: {type: ${type}}\n`;
  assert.equal(sameDependencies(facts('file:///c.yaml', crd('string')), facts('file:///c.yaml', crd('number'))), false, 'string -> number');
  assert.equal(sameDependencies(facts('file:///c.yaml', crd('string')), facts('file:///c.yaml', crd('string'))), true);
  const role = (to: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: agg\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {example.com/aggregate-to-${to}: "true"}\nrules: []\n`;
  assert.equal(sameDependencies(facts('file:///r.yaml', role('view')), facts('file:///r.yaml', role('edit'))), false, 'another selector');
});
