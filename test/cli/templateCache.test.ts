/**
 * `kube-manifests template` keeps V8's code cache of its engine beside the bundle
 * (dist/template-engine.v8cache, server/src/cli/codeCache.ts). Whatever state the cache is in —
 * none yet, written by the last run, corrupt, made for another bundle, or a folder that cannot be
 * written — the command prints the same bytes and exit code. The CLI's dist files are copied to a
 * temporary folder, so the project's own cache is left alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../helpers';

const DIST = path.join(ROOT, 'dist');
const FILES = ['cli.js', 'template-worker.js', 'template-engine.js', 'template-ajv.js'];
const built = FILES.every((f) => fs.existsSync(path.join(DIST, f)));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-manifests-cache-'));
after(() => {
  fs.chmodSync(path.join(tmp, 'dist'), 0o755);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const dist = path.join(tmp, 'dist');
const cache = path.join(dist, 'template-engine.v8cache');
const chart = path.join(tmp, 'chart');

function setUp(): void {
  fs.mkdirSync(dist, { recursive: true });
  for (const f of FILES) fs.copyFileSync(path.join(DIST, f), path.join(dist, f));
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: cached\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(chart, 'values.yaml'), 'replicas: 2\nname: web\n');
  fs.writeFileSync(path.join(chart, 'values.schema.json'), '{"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}');
  fs.writeFileSync(
    path.join(chart, 'templates', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "n" . }}\ndata:\n  r: {{ .Values.replicas | quote }}\n  up: {{ upper .Values.name }}\n{{- define "n" }}{{ .Release.Name }}-{{ .Chart.Name | trunc 63 }}{{ end }}\n',
  );
}

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'template', chart, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the engine\'s code cache: the same output with no cache, a fresh one, a corrupt one, another bundle\'s, and none possible', { skip: !built && 'dist/ not built (node esbuild.mjs)' }, () => {
  setUp();
  const first = run();
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /name: release-name-cached\n/);
  assert.match(first.out, /up: WEB\n/);
  // A failing render, through the same engine.
  const failing = run('--set', 'replicas=0');
  assert.equal(failing.code, 1);
  assert.match(failing.err, /minimum: got 0, want 1/);

  assert.ok(fs.existsSync(cache), 'the first run leaves a cache beside the bundle');
  assert.deepEqual(run(), first, 'with the cache');
  assert.deepEqual(run('--set', 'replicas=0'), failing, 'a failing render with the cache');

  const valid = fs.readFileSync(cache);
  // Damaged data behind an intact key: V8 would crash in its deserializer if it were handed it.
  const flipped = Buffer.from(valid);
  for (let i = 128; i < flipped.length; i += 97) flipped[i] ^= 0x5a;
  fs.writeFileSync(cache, flipped);
  assert.deepEqual(run(), first, 'with a damaged cache');
  // Corrupt: the right length, other bytes.
  fs.writeFileSync(cache, Buffer.from(Array.from({ length: valid.length }, (_, i) => (i * 7919) & 0xff)));
  assert.deepEqual(run(), first, 'with a corrupt cache');
  // Another bundle's cache (the bundle changed after the cache was written).
  const engine = path.join(dist, 'template-engine.js');
  fs.appendFileSync(engine, '\n// another build\n');
  fs.writeFileSync(cache, valid);
  assert.deepEqual(run(), first, 'with the cache of another bundle');
  // Truncated.
  fs.writeFileSync(cache, valid.subarray(0, 40));
  assert.deepEqual(run(), first, 'with a truncated cache');

  // A folder that cannot be written (root may write anyway: then the output is all that counts).
  fs.rmSync(cache);
  fs.chmodSync(dist, 0o555);
  try {
    assert.deepEqual(run(), first, 'in a read-only folder');
    if (process.getuid?.() !== 0) assert.ok(!fs.existsSync(cache), 'no cache where none can be written');
    assert.deepEqual(fs.readdirSync(dist).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  } finally {
    fs.chmodSync(dist, 0o755);
  }
});
