import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, RULE_FAMILIES } from '../../../server/src/rules/index';
import { ROOT } from '../../helpers';

const docs = () => fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');

test('every rule has a kebab-case unique id, a title, a why and a known default severity', () => {
  const seen = new Set<string>();
  for (const r of allRules()) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `id ${r.id}`);
    assert.ok(!seen.has(r.id), `duplicate rule id ${r.id}`);
    seen.add(r.id);
    assert.ok(r.title && r.title.trim().length > 5, `${r.id} has a title`);
    assert.ok(r.why && r.why.trim().length > 20, `${r.id} says why`);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(r.severity), `${r.id} severity ${r.severity}`);
  }
});

test('docs/rules.md has a section anchored by every rule id, with its severity', () => {
  const text = docs();
  for (const r of allRules()) {
    const at = text.indexOf(`<a id="${r.id}"></a>`);
    assert.ok(at >= 0, `docs/rules.md has no section for ${r.id}: run node scripts/generateRuleDocs.mjs`);
    const next = text.indexOf('<a id=', at + 1);
    const section = text.slice(at, next < 0 ? undefined : next);
    assert.match(section, new RegExp(`Default severity: \\*\\*${r.severity}\\*\\*`), `${r.id} severity in the docs`);
  }
});

test('docs/rules.md is what the generator writes from the current metadata (not stale)', () => {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'generateRuleDocs.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.match(out, /up to date/);
});

test('the RBAC, rollout, probe, pod spec and Service families document a failing and a passing example', () => {
  for (const f of RULE_FAMILIES.filter((x) => ['rbac', 'rollout', 'probes', 'podSpec', 'services'].includes(x.name))) {
    for (const r of f.rules) {
      assert.ok(r.bad && r.good, `${r.id} has bad and good examples`);
      assert.notEqual(r.bad, r.good, `${r.id} examples differ`);
    }
  }
  const text = docs();
  const section = text.slice(text.indexOf('<a id="deployment-rollout-zero"></a>'));
  assert.match(section, /Fails:\n\n```yaml\nrollingUpdate:\n  maxSurge: 0\n  maxUnavailable: 0\n```/);
  assert.match(section, /Passes:\n\n```yaml\nrollingUpdate:\n  maxSurge: 1/);
});
