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
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The server never runs programs: child_process is replaced by a stub that refuses (test/lsp/privacy.test.ts checks the bundle).
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', alias: { child_process: './server/src/node/noChildProcess.ts' } },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
].filter((b) => fs.existsSync(b.entryPoints[0]));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
