// Bundles every test/**/*.test.ts (except the VS Code suite and e2e) into out/test/ for `node --test`.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const roots = ['test/unit', 'test/lsp', 'test/cli', 'test/client'];
const entryPoints = [];
for (const r of roots) {
  if (!fs.existsSync(r)) continue;
  for (const f of fs.readdirSync(r, { recursive: true })) {
    if (String(f).endsWith('.test.ts')) entryPoints.push(path.join(r, String(f)));
  }
}
fs.rmSync('out/test', { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir: 'out/test',
  outbase: 'test',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode'],
});
console.log(`tests: ${entryPoints.length} files bundled`);
