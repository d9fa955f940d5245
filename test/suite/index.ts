// Entry point of the extension test suite (`extensionTestsPath`): VS Code loads this file in the
// extension host and calls run(). Same suite for both runners: @vscode/test-electron (`npm run
// test:vscode`) and code-server (`npm run test:e2e`). Built by test/e2e/build-suite.mjs into .cache/suite/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (process.env.KM_TEST_GREP) mocha.grep(process.env.KM_TEST_GREP);
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const results: Array<{ title: string; state: string; durationMs?: number; error?: string }> = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err).slice(0, 2000) }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
  // code-server runner: results also go to a file (the extension host's console is not a terminal there)
  if (process.env.KM_SUITE_RESULTS) {
    fs.writeFileSync(process.env.KM_SUITE_RESULTS, JSON.stringify({ failures, results }, null, 2));
  }
  if (failures > 0) throw new Error(`${failures} test${failures === 1 ? '' : 's'} failed.`);
}
