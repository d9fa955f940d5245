// Builds the extension test suite (test/suite/*.ts) into .cache/suite/*.js for the extension host:
// one CommonJS file per entry, `vscode` and `mocha` left external (mocha is loaded from node_modules).
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const srcDir = path.join(root, 'test', 'suite');
// kept out of out/ (other builds of this repo use it as scratch space); .cache/ is git-ignored
const outDir = path.join(root, '.cache', 'suite');
const entryPoints = fs.readdirSync(srcDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => path.join(srcDir, f));

export async function buildSuite() {
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(outDir, 'index.js');
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(await buildSuite());
}
