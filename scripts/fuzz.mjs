#!/usr/bin/env node
// `npm run fuzz [-- --mutants N --seed S --offsets K --ci --slow-ms 200 --no-minimize]`:
// bundles test/fuzz/main.ts with esbuild into out/fuzz/ and runs it. See the
// header of test/fuzz/main.ts for what it checks.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'out', 'fuzz', 'main.js');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'fuzz', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root, env: { ...process.env, KUBE_MANIFESTS_ROOT: root } });
process.exit(r.status ?? 1);
