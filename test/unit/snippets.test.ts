import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ALL_SNIPPETS, SNIPPETS } from '../../server/src/features/snippets';
import { complete, diagnose, expandSnippet } from '../helpers';

const shown = (text: string) => diagnose(text).filter((p) => p.severity === 'error').map((p) => `${p.at} ${p.code}: ${p.message}`);

const WANTED = ['Job', 'CronJob', 'Secret (Opaque)', 'Secret (basic-auth)', 'Secret (TLS)', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Deployment', 'Deployment (Recreate)', 'Service', 'Service (NodePort)', 'Ingress', 'Blue/green pair with Service', 'Liveness probe', 'Readiness probe', 'Startup probe', 'preStop hook'];

test('every snippet the issue asks for exists', () => {
  const labels = ALL_SNIPPETS.map((s) => s.label);
  for (const w of WANTED) assert.ok(labels.includes(w), `missing snippet ${w}`);
});

for (const s of SNIPPETS) {
  test(`snippet "${s.label}" expanded with its defaults validates with no errors`, () => {
    const text = expandSnippet(s.body) + '\n';
    assert.ok(!text.includes('${'), 'every placeholder is expanded');
    assert.deepEqual(shown(text), []);
  });
}

test('whole-document snippets use current API versions only', () => {
  for (const s of SNIPPETS) {
    for (const m of s.body.matchAll(/^apiVersion: (\S+)$/gm)) assert.ok(!/beta|alpha|extensions\//.test(m[1]), `${s.label}: ${m[1]}`);
  }
});

test('tab stops: numbered from 1 without gaps, and the name comes from the first one', () => {
  for (const s of ALL_SNIPPETS) {
    const stops = [...new Set([...s.body.matchAll(/\$\{?(\d+)/g)].map((m) => Number(m[1])))].filter((n) => n > 0).sort((a, b) => a - b);
    assert.deepEqual(stops, stops.map((_, i) => i + 1), `${s.label}: tab stops ${stops.join(',')}`);
    if (s.fileTemplate) assert.match(s.body, /^ {2}name: \$\{1:[^}]+\}/m, `${s.label}: metadata.name is the first tab stop`);
  }
});

const container = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 80\n';

for (const s of ALL_SNIPPETS.filter((x) => !x.fileTemplate)) {
  test(`fragment "${s.label}" inserted where it belongs validates with no errors`, () => {
    const body = expandSnippet(s.body);
    const podLevel = /^terminationGracePeriodSeconds/.test(body);
    const ind = podLevel ? '      ' : '        ';
    const block = body.split('\n').map((l) => ind + l).join('\n') + '\n';
    const text = podLevel ? container.replace('    spec:\n', '    spec:\n' + block) : container + block;
    assert.deepEqual(shown(text), []);
  });
}

test('fragments are not offered as empty-document skeletons by the server', () => {
  const labels = complete('$0').items.filter((i) => i.skeleton).map((i) => i.label);
  assert.ok(labels.includes('Deployment') && labels.includes('Blue/green pair with Service'), labels.join(','));
  for (const f of ALL_SNIPPETS.filter((x) => !x.fileTemplate)) assert.ok(!labels.includes(f.label), f.label);
});
