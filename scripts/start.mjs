#!/usr/bin/env node
// `npm start`: build and package the extension, install code-server 4.100.3 locally (cached in
// .cache/code-server; only the npm registry and Debian packages are used), install the .vsix into a
// private profile (.cache/start/) and open VS Code on examples/ at http://127.0.0.1:8080.
// Ctrl+C stops everything this script started. Options: --skip-build; PORT=... to change the port.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureCodeServer, installExtension, QUIET_SETTINGS, startCodeServer, writeUserSettings } from '../test/e2e/lib/codeServer.mjs';
import { killTreeSync } from '../test/e2e/lib/proc.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const port = Number(process.env.PORT || 8080);
const profile = path.join(root, '.cache', 'start');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const say = (...a) => console.log('[start]', ...a);

// A fresh clone has no node_modules: install the locked dependencies first.
const needed = ['esbuild', '@vscode/vsce', 'vscode-languageclient', 'vscode-languageserver'];
if (needed.some((m) => !fs.existsSync(path.join(root, 'node_modules', m, 'package.json')))) {
  say('installing dependencies (npm ci)');
  execFileSync('npm', [fs.existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

if (!process.argv.includes('--skip-build')) {
  say('building and packaging the extension');
  execFileSync('npm', ['run', '-s', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
say(`packaged ${path.relative(root, vsix)} (${Math.round(fs.statSync(vsix).size / 1024)} KB)`);

const entry = ensureCodeServer(path.join(root, '.cache', 'code-server'));
const userDataDir = path.join(profile, 'user-data');
const extensionsDir = path.join(profile, 'extensions');
const homeDir = path.join(profile, 'home');
if (!fs.existsSync(path.join(userDataDir, 'User', 'settings.json'))) writeUserSettings(userDataDir, QUIET_SETTINGS);
installExtension({ entry, vsix, userDataDir, extensionsDir, homeDir });
say(`installed the extension into ${path.relative(root, extensionsDir)}`);

const folder = path.join(root, 'examples');
fs.mkdirSync(folder, { recursive: true });
const logFile = path.join(profile, 'code-server.log');
let server;
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  say('stopping code-server');
  await server?.stop();
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));
process.on('exit', () => { if (server && !stopping) killTreeSync(server.child.pid); });

try {
  server = await startCodeServer({ entry, port, userDataDir, extensionsDir, homeDir, logFile });
} catch (e) {
  console.error(`[start] ${e.message}`);
  if (/EADDRINUSE|address already in use/i.test(fs.readFileSync(logFile, 'utf8'))) console.error(`[start] port ${port} is taken: set PORT=...`);
  process.exit(1);
}
server.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`[start] code-server exited (${code}); see ${logFile}`);
    process.exit(code ?? 1);
  }
});
say(`VS Code with Kube Manifests is running on ${path.relative(root, folder)}/`);
console.log(`\n    ${server.url}/?folder=${encodeURIComponent(folder)}\n`);
say(`log: ${path.relative(root, logFile)}; press Ctrl+C to stop`);
