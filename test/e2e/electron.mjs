// `npm run test:vscode`: the same extension test suite (test/suite) in desktop VS Code, downloaded by
// @vscode/test-electron. For machines that can download VS Code; use `npm run test:e2e` where they can't.
// Needs a display (run it under xvfb-run on a headless Linux machine).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build-suite.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
if (!process.argv.includes('--skip-build')) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
const extensionTestsPath = await buildSuite();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-manifests-vscode-'));
const workspace = path.join(work, 'workspace');
fs.cpSync(path.join(root, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
try {
  await runTests({
    // the version code-server 4.100.3 runs, and the minimum engines.vscode allows
    version: process.env.VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', path.join(work, 'user-data')],
  });
} catch (e) {
  console.error('extension tests failed:', e?.message ?? e);
  process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
