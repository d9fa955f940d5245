import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyCompletion, complete, dedent } from '../helpers';

const labels = (fixture: string) => complete(fixture).items.map((i) => i.label);
function applied(fixture: string, label: string): string {
  const { items, text } = complete(fixture);
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no completion ${label}; got ${items.map((i) => i.label).join(', ')}`);
  return applyCompletion(text, item);
}

const container = dedent(`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - name: web
          image: nginx
          $0
`);

test('keys of a container on a blank line, without the ones already present', () => {
  const l = labels(container);
  assert.ok(l.includes('imagePullPolicy'));
  assert.ok(l.includes('livenessProbe'));
  assert.ok(!l.includes('name'), 'name is already there');
  assert.ok(!l.includes('image'));
  assert.ok(!l.includes('replicas'), 'not a container field');
});

test('keys after a partial word replace the word, with the right indentation', () => {
  const out = applied(container.replace('$0', 'imageP$0'), 'imagePullPolicy');
  assert.match(out, /\n( +)image: nginx\n\1imagePullPolicy: Always\n/);
  const probe = applied(container.replace('$0', 'readi$0'), 'readinessProbe');
  assert.match(probe, /\n( +)readinessProbe:\n\1  \$0\n/);
  const ports = applied(container.replace('$0', 'por$0'), 'ports');
  assert.match(ports, /\n( +)ports:\n\1- \$0\n/);
});

test('required keys come first', () => {
  const { items } = complete(container.replace(/- name: web\n\s*image: nginx\n\s*\$0/, '- $0'));
  assert.ok(items.length > 10);
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  assert.equal(sorted[0].label, 'name');
});

test('keys in a new list item after "- "', () => {
  const l = labels(dedent(`
    apiVersion: v1
    kind: Service
    metadata:
      name: s
    spec:
      ports:
      - $0
  `));
  assert.ok(l.includes('port'));
  assert.ok(l.includes('targetPort'));
});

test('enum values and booleans', () => {
  const v = labels(container.replace('$0', 'imagePullPolicy: $0'));
  assert.deepEqual(v.sort(), ['Always', 'IfNotPresent', 'Never']);
  const b = labels(container.replace('$0', 'stdin: $0'));
  assert.deepEqual(b, ['true', 'false']);
  const t = labels('apiVersion: apps/v1\nkind: Deployment\nspec:\n  strategy:\n    type: $0\n');
  assert.deepEqual(t.sort(), ['Recreate', 'RollingUpdate']);
});

test('apiVersion and kind are coupled', () => {
  const versions = complete('kind: CronJob\napiVersion: $0\n').items;
  const preferred = versions.find((i) => i.preselect);
  assert.equal(preferred?.label, 'batch/v1');
  assert.ok(!versions.some((i) => i.label === 'batch/v1beta1'), 'removed versions are not offered');
  const kinds = labels('apiVersion: batch/v1\nkind: $0\n');
  assert.ok(kinds.includes('Job') && kinds.includes('CronJob'));
  assert.ok(!kinds.includes('Deployment'));
});

test('an empty document offers skeletons of the common kinds', () => {
  const { items, text } = complete('$0');
  const names = items.filter((i) => i.skeleton).map((i) => i.label);
  for (const k of ['Deployment', 'Service', 'Job', 'CronJob', 'ClusterRoleBinding']) assert.ok(names.includes(k), `${k} skeleton`);
  const job = applyCompletion(text, items.find((i) => i.label === 'Job')!);
  assert.match(job, /^apiVersion: batch\/v1\nkind: Job\n/);
  const second = complete('apiVersion: v1\nkind: Service\n---\n$0').items.filter((i) => i.skeleton);
  assert.ok(second.length > 0, 'also in an empty document after ---');
});

test('never a second probe handler', () => {
  const l = labels(container.replace('$0', 'livenessProbe:\n          httpGet:\n            port: 80\n          $0'));
  assert.ok(l.includes('periodSeconds'));
  for (const h of ['exec', 'tcpSocket', 'grpc', 'httpGet']) assert.ok(!l.includes(h), `no ${h}`);
  const none = labels(container.replace('$0', 'livenessProbe:\n          $0'));
  assert.ok(none.includes('exec') && none.includes('httpGet'));
});

test('top-level keys of a kind', () => {
  const l = labels('apiVersion: batch/v1\nkind: Job\n$0\n');
  assert.ok(l.includes('metadata') && l.includes('spec'));
  assert.ok(!l.includes('status'));
  assert.ok(!l.includes('kind'));
});

test('no completion inside a comment or a block scalar', () => {
  assert.deepEqual(labels('apiVersion: v1\nkind: ConfigMap\n# $0\n'), []);
  assert.deepEqual(labels('apiVersion: v1\nkind: ConfigMap\ndata:\n  script: |\n    echo $0\n'), []);
});
