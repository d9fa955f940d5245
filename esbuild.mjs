// Bundles the client (vscode external), the server and the CLI into dist/.
import fs from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  // the version users see (server info, CLI --version, SARIF) comes from package.json
  define: { KUBE_MANIFESTS_VERSION: JSON.stringify(version) },
};
// The template worker loads ajv (300 KB) from a file of its own, only when a values schema needs it compiled
// (server/src/helm/valuesSchema.ts requires ./ajvClasses lazily).
const ajvApart = {
  name: 'ajv-apart',
  setup(build) {
    build.onResolve({ filter: /[\\/]ajvClasses$/ }, () => ({ path: './template-ajv.js', external: true }));
  },
};
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The server never runs programs: child_process is replaced by a stub that refuses (test/lsp/privacy.test.ts checks the bundle).
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', alias: { child_process: './server/src/node/noChildProcess.ts' } },
  // The CLI: a small entry (dist/cli.js) that loads dist/check.js for `check`, and starts the worker dist/template-worker.js
  // for `template`, which loads dist/template-engine.js (the Helm engine alone, through V8's code cache
  // dist/template-engine.v8cache), so a cold `template` never parses the language service (docs/performance.md).
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/cli/check.ts'], outfile: 'dist/check.js' },
  { ...common, entryPoints: ['server/src/cli/templateWorker.ts'], outfile: 'dist/template-worker.js' },
  { ...common, entryPoints: ['server/src/cli/templateEngine.ts'], outfile: 'dist/template-engine.js', minify: true, keepNames: true, plugins: [ajvApart] },
  { ...common, entryPoints: ['server/src/helm/ajvClasses.ts'], outfile: 'dist/template-ajv.js', minify: true, keepNames: true },
].filter((b) => fs.existsSync(b.entryPoints[0]));

// A code cache of an older engine would be rejected by its key anyway; a build starts without one.
fs.rmSync('dist/template-engine.v8cache', { force: true });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
