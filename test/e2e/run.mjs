// `npm run test:e2e`: the extension in a real VS Code (code-server 4.100.3) driven by headless Chromium.
//  1. build the extension and the suite, package the .vsix and check its contents and size
//  2. install code-server (cached in .cache/code-server) and the Debian packages it needs
//  3. run the extension test suite (test/suite) inside code-server's extension host
//  4. install the .vsix into a private profile and run the UI tests through the workbench (screenshots)
// Results, logs and screenshots: test-results/e2e/. Options: --skip-build, --suite-only, --ui-only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildSuite } from './build-suite.mjs';
import { ensureCodeServer, ensureSystemPackages } from './lib/codeServer.mjs';
import { checkVsix } from './lib/vsix.mjs';
import { runSuite } from './suite.mjs';
import { runUi } from './ui.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const args = new Set(process.argv.slice(2));
const out = path.join(root, 'test-results', 'e2e');
const fixtures = path.join(root, 'test', 'e2e', 'fixtures', 'workspace');
const t0 = Date.now();
const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s]`, ...a);
const results = []; // { name, ok, detail }
const record = (name, ok, detail = '', skipped = false) => {
  results.push({ name, ok, detail, skipped });
  log(`${skipped ? 'SKIP' : ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}
const npm = (...a) => execFileSync('npm', a, { cwd: root, stdio: 'inherit' });

fs.mkdirSync(out, { recursive: true });
let exit = 0;
try {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  if (!args.has('--skip-build')) {
    log('build + package');
    npm('run', '-s', 'package');
  }
  if (!fs.existsSync(path.join(root, 'dist', 'server.js'))) throw new Error('dist/server.js is missing: the build did not produce the language server');
  if (!fs.existsSync(vsix)) throw new Error(`${path.basename(vsix)} is missing: run without --skip-build (or npm run package)`);
  const newest = Math.max(...['server.js', 'extension.js'].map((f) => fs.statSync(path.join(root, 'dist', f)).mtimeMs));
  if (args.has('--skip-build') && fs.statSync(vsix).mtimeMs < newest) throw new Error(`${path.basename(vsix)} is older than dist/: run without --skip-build (or npm run package)`);
  const { bytes, problems } = checkVsix(vsix);
  record('package: .vsix holds only what it should and is at most 2 MB', problems.length === 0, `${path.basename(vsix)} ${(bytes / 1024).toFixed(0)} KB${problems.length ? '; ' + problems.join('; ') : ''}`);
  const testsPath = await buildSuite();

  ensureSystemPackages({ chromium: true });
  const entry = ensureCodeServer(path.join(root, '.cache', 'code-server'));
  log('code-server ready');

  if (!args.has('--ui-only')) {
    log('extension test suite inside code-server');
    const suite = await runSuite({ entry, workDir: path.join(out, 'suite'), port: await freePort(), extensionPath: root, testsPath, fixtures, log });
    const tests = suite.results ?? [];
    for (const t of tests) record(`suite: ${t.title}`, t.state !== 'failed', t.state === 'failed' ? t.error.split('\n').slice(0, 3).join(' ') : '', t.state === 'pending');
    if (suite.exitCode !== 0 && !tests.some((t) => t.state === 'failed')) {
      record('suite: run completed', false, `exit ${suite.exitCode}; see ${path.relative(root, suite.consoleFile)}`);
    }
  }
  if (!args.has('--suite-only')) {
    log('UI tests through the workbench');
    await runUi({ entry, workDir: path.join(out, 'ui'), port: await freePort(), vsix, fixtures, record, log });
  }
} catch (e) {
  record('e2e harness', false, e.stack || String(e));
}
const failed = results.filter((r) => !r.ok);
fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
if (failed.length) {
  log('failed:');
  for (const f of failed) log(`  ✗ ${f.name}`);
  exit = 1;
}
log(`artifacts: ${path.relative(root, out)}/ (screenshots in ui/, logs, results.json)`);
const skipped = results.filter((r) => r.skipped).length;
console.log(`e2e: ${results.length - failed.length - skipped} passed, ${failed.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exit);
