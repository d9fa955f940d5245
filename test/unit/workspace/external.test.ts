import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, settings, workspace } from '../../helpers';
import { externalConfigEdit } from '../../../server/src/features/actions/external';

test('quick fix for reference-not-found: a command declaring Kind/name external', () => {
  const ws = workspace({ 'd.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccountName: robot\n  containers:\n  - name: c\n    image: nginx\n' });
  const f = ws.file('d.yaml');
  const problems = ws.ls.validate(f, settings()).filter((p) => p.code === 'reference-not-found');
  assert.equal(problems.length, 1);
  const actions = ws.ls.codeActions(f, { start: problems[0].start, end: problems[0].end }, problems, settings());
  const a = actions.find((x) => x.command?.command === 'kubeManifests.declareExternal');
  assert.ok(a, actions.map((x) => x.title).join(' | '));
  assert.equal(a.title, 'Declare ServiceAccount "robot" as external in .kube-manifests.yaml');
  assert.deepEqual(a.command!.arguments, [ws.uri('d.yaml'), problems[0].start, 'ServiceAccount/robot']);
});

test('externalConfigEdit: creates the file, appends to a block list, extends a flow list, adds the key, skips duplicates', () => {
  assert.equal(applyEdits('', externalConfigEdit(undefined, 'Secret/db')), '# Objects created outside this repository: references to them are not reported.\nexternal:\n- Secret/db\n');
  const block = 'kubernetesVersion: "1.33"\nexternal:\n  - Secret/a\n  - ConfigMap/b\nrules: {}\n';
  assert.equal(applyEdits(block, externalConfigEdit(block, 'Secret/db')), 'kubernetesVersion: "1.33"\nexternal:\n  - Secret/a\n  - ConfigMap/b\n  - Secret/db\nrules: {}\n');
  const flow = 'external: [Secret/a]\n';
  assert.equal(applyEdits(flow, externalConfigEdit(flow, 'Secret/db')), 'external: [Secret/a, Secret/db]\n');
  const none = 'rules:\n  unknown-field: off';
  assert.equal(applyEdits(none, externalConfigEdit(none, 'Secret/db')), 'rules:\n  unknown-field: off\nexternal:\n- Secret/db\n');
  assert.deepEqual(externalConfigEdit(block, 'Secret/a'), []);
});
