import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, workspace } from '../../helpers';
import { REFERENCE_RULES } from '../../../server/src/workspace/rules';

const corpus = path.join(ROOT, '..', 'shared', 'corpus');

function yamlFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...yamlFiles(dir, r));
    else if (/\.ya?ml$/.test(e.name)) out.push(r);
  }
  return out;
}

test('the whole corpus as one workspace: no cross-file errors or warnings, only defensible information', { skip: !fs.existsSync(corpus) && 'no ../shared/corpus' }, () => {
  const names = yamlFiles(corpus);
  const ws = workspace(Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(corpus, n), 'utf8')])));
  const ours = new Set(REFERENCE_RULES.map((r) => r.id));
  const found: string[] = [];
  for (const n of names) {
    for (const p of ws.diagnose(n)) if (ours.has(p.code)) found.push(`${n}:${p.at} ${p.severity} ${p.code} ${p.text}`);
  }
  // hf-secret is created with kubectl by the example's README: information, as designed.
  assert.deepEqual(found, ['kubernetes-examples/AI/vllm-deployment/vllm-deployment.yaml:53:21 information reference-not-found hf-secret']);
  // the index holds every object of the corpus, variants included (release-all.yaml repeats the microservices)
  assert.ok(ws.index.named('Deployment', 'frontend').length >= 2);
});
