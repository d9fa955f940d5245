// Runs the extension test suite (.cache/suite/index.js, built from test/suite) inside code-server's extension host.
// code-server has no --extensionDevelopmentPath flag, but its workbench takes the same options from the
// URL's `payload` parameter; the suite's exit code comes back through window.codeAutomationExit.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './lib/browser.mjs';
import { QUIET_SETTINGS, startCodeServer, writeUserSettings } from './lib/codeServer.mjs';

const NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional|\[Service Worker\]|ChatSessionStore|Updating additional builtin)/;

export async function runSuite({ entry, workDir, port, extensionPath, testsPath, fixtures, timeoutMs = 300_000, log = console.log }) {
  fs.rmSync(workDir, { recursive: true, force: true });
  const ws = path.join(workDir, 'workspace');
  fs.cpSync(fixtures, ws, { recursive: true });
  const userDataDir = path.join(workDir, 'user-data');
  writeUserSettings(userDataDir, QUIET_SETTINGS);
  const resultsFile = path.join(workDir, 'suite-results.json');
  const consoleFile = path.join(workDir, 'browser-console.txt');
  // the extension host inherits code-server's environment: that is how the suite learns where to write
  process.env.KM_SUITE_RESULTS = resultsFile;
  const server = await startCodeServer({
    entry, port, userDataDir, homeDir: path.join(workDir, 'home-code-server'),
    extensionsDir: path.join(workDir, 'extensions-empty'), logFile: path.join(workDir, 'code-server.log'),
  });
  delete process.env.KM_SUITE_RESULTS;
  const { browser, context, blocked } = await launchBrowser(path.join(workDir, 'home-chromium'));
  const lines = [];
  let exitCode;
  try {
    const page = await context.newPage();
    page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    // console calls of the extension host (mocha's spec reporter among them), as printf-style argument lists
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? format(...args) : JSON.stringify(args);
      lines.push(`[exthost ${type}] ${text}`);
      if (!NOISE.test(text)) log('  │ ' + text.replace(/\n/g, '\n  │ ')); // live: mocha's spec reporter
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    const authority = `127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`suite: ${url}`);
    await page.goto(url);
    let timer;
    exitCode = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
    clearTimeout(timer);
    await page.screenshot({ path: path.join(workDir, 'suite-end.png') }).catch(() => {});
  } finally {
    fs.writeFileSync(consoleFile, lines.join('\n') + '\n');
    await browser.close().catch(() => {});
    await server.stop();
  }
  let results = { failures: undefined, results: [] };
  try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch {}
  if (blocked.length) log(`suite: blocked non-loopback requests: ${blocked.join(', ')}`);
  return { exitCode, ...results, consoleFile };
}
