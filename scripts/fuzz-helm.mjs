#!/usr/bin/env node
// `npm run fuzz:helm [-- --cases 100000 --seed S --batch 2000 --show 10 --no-shrink --quiet]`:
// bundles test/fuzz/helmFuzz.ts into out/fuzz/ and runs it: random templates rendered by our Helm
// engine and by the Go reference (out/helm-ref/helm-ref, built by scripts/build-helm-ref.sh),
// with a summary of the mismatches. See the header of test/fuzz/helmFuzz.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'out', 'fuzz', 'helmFuzz.js');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'fuzz', 'helmFuzz.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--enable-source-maps', '--stack-size=8000', outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, KUBE_MANIFESTS_ROOT: root },
});
process.exit(r.status ?? 1);
