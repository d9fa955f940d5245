import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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

test('the CLI checks references across the files it is given (and not for a lone file)', { skip: !fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) && 'dist/cli.js not built' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-cli-ws-'));
  try {
    fs.writeFileSync(path.join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: x\n');
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    env:\n    - name: P\n      valueFrom:\n        secretKeyRef:\n          name: db\n          key: passwrd\n');
    const both = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', dir], { encoding: 'utf8', cwd: dir });
    assert.match(both.stdout, /pod\.yaml:14:16 warning reference-missing-key Secret "db" \(.*secret\.yaml\) has no key "passwrd"; did you mean "password"\?/);
    const lone = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', path.join(dir, 'pod.yaml')], { encoding: 'utf8', cwd: dir });
    assert.doesNotMatch(lone.stdout, /reference-/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
