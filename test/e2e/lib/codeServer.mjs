// Installs and runs code-server (VS Code's own server build: workbench in the browser, extensions in a
// Node extension host). Used by `npm start` and `npm run test:e2e`. Needs only the npm registry and apt.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killTree, waitForHttp } from './proc.mjs';

// 4.100.3 (= VS Code 1.100.3) is the newest code-server that runs on Node 20; engines.vscode must stay <= 1.100.
export const CODE_SERVER_VERSION = '4.100.3';
// @vscode/ripgrep version pinned by code-server 4.100.3; its postinstall would download rg from GitHub,
// so we seed the cache it looks at first with Debian's rg.
const VSCODE_RIPGREP_VERSION = '1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const log = (...a) => console.log('[code-server]', ...a);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const hasDeb = (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

/** Make sure the Debian packages needed to build code-server (and optionally Chromium) are present. */
export function ensureSystemPackages({ chromium = false } = {}) {
  const wanted = [
    ['rg', 'ripgrep'], ['g++', 'g++'], ['make', 'make'], ['python3', 'python3'],
    ...(chromium ? [['chromium', 'chromium']] : []),
  ];
  const missing = wanted.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (has('dpkg') && !hasDeb('libkrb5-dev')) missing.push('libkrb5-dev');
  if (!missing.length) return;
  const root = process.getuid?.() === 0;
  if (!has('apt-get') || (!root && !has('sudo'))) {
    throw new Error(`missing system packages: ${missing.join(' ')} (install them, e.g. apt-get install ${missing.join(' ')})`);
  }
  log('apt-get install', missing.join(' '));
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) => (root ? execFileSync('apt-get', args, { stdio: 'inherit', env })
    : execFileSync('sudo', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], { stdio: 'inherit', env }));
  apt('update', '-qq');
  apt('install', '-y', '-qq', ...missing);
}

export function codeServerEntry(cacheDir) {
  return path.join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/**
 * Install code-server into `cacheDir` (once; later calls reuse it). Returns the path of its entry.js.
 * The install compiles native modules with node-gyp against Node's own headers (no prebuilt downloads).
 */
export function ensureCodeServer(cacheDir) {
  cacheDir = path.resolve(cacheDir);
  const marker = path.join(cacheDir, `.installed-${CODE_SERVER_VERSION}`);
  const entry = codeServerEntry(cacheDir);
  if (fs.existsSync(marker) && fs.existsSync(entry)) return entry;
  ensureSystemPackages();
  const started = Date.now();
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'km-cs-install-'));
  try {
    const rgCache = path.join(tmp, `vscode-ripgrep-cache-${VSCODE_RIPGREP_VERSION}`);
    const stage = path.join(tmp, 'rg-stage');
    fs.mkdirSync(rgCache, { recursive: true });
    fs.mkdirSync(stage);
    const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
    fs.copyFileSync(rg, path.join(stage, 'rg'));
    fs.chmodSync(path.join(stage, 'rg'), 0o755);
    execFileSync('tar', ['czf', path.join(rgCache, RIPGREP_TARBALL), '-C', stage, 'rg']);

    // Node's headers: the official Node tarball layout (<prefix>/include/node) or Debian's /usr/include/node.
    const nodePrefix = path.resolve(path.dirname(process.execPath), '..');
    const nodedir = fs.existsSync(path.join(nodePrefix, 'include', 'node', 'node.h')) ? nodePrefix : '/usr';
    log(`npm install code-server@${CODE_SERVER_VERSION} into ${cacheDir} (builds native modules, ~1-2 min)`);
    const res = spawnSync('npm', ['install', '--prefix', cacheDir, '--no-save', '--no-audit', '--no-fund',
      '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        TMPDIR: tmp,
        npm_config_build_from_source: 'true', // argon2 / kerberos: compile instead of downloading prebuilt binaries
        npm_config_unsafe_perm: 'true',        // root: run lifecycle scripts as root
        npm_config_yes: 'true',                // node-pty's postinstall runs `npx node-gyp`
        npm_config_nodedir: nodedir,
        npm_config_update_notifier: 'false',
      },
    });
    if (res.status !== 0) throw new Error(`npm install code-server failed (exit ${res.status})`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!fs.existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  fs.writeFileSync(marker, new Date().toISOString() + '\n');
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return entry;
}

/** HOME/XDG_* pointing into `dir`, so nothing is written to the real home directory. */
export function privateHome(dir) {
  for (const d of ['.config', '.local/share', '.cache']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  return { HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config'), XDG_DATA_HOME: path.join(dir, '.local/share'),
    XDG_CACHE_HOME: path.join(dir, '.cache') };
}

/** Settings that keep the workbench quiet, offline and deterministic. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'json.schemaDownload.enable': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'git.enabled': false,
};

export function writeUserSettings(userDataDir, settings) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

function baseEnv(homeDir) {
  // EXTENSIONS_GALLERY='{}': no marketplace configured, so nothing tries to reach open-vsx or the marketplace
  return { ...process.env, ...privateHome(homeDir), EXTENSIONS_GALLERY: '{}' };
}

/** `code-server --install-extension x.vsix` into a private profile. */
export function installExtension({ entry, vsix, userDataDir, extensionsDir, homeDir }) {
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const res = spawnSync(process.execPath, [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--install-extension', vsix, '--force'], { encoding: 'utf8', env: baseEnv(homeDir) });
  if (res.status !== 0 || /Failed|error/i.test(res.stderr)) {
    throw new Error(`installing ${vsix} failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
  return res.stdout.trim();
}

/**
 * Start code-server on 127.0.0.1:port without auth, telemetry, update checks or marketplace.
 * Resolves once /healthz answers. `stop()` kills the whole process tree.
 */
export async function startCodeServer({ entry, port, userDataDir, extensionsDir, homeDir, logFile, extraArgs = [] }) {
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [entry,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--disable-proxy',
    '--config', path.join(homeDir, 'code-server.yaml'),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...extraArgs,
  ], { env: baseEnv(homeDir), stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => killTree(child.pid);
  try {
    await waitForHttp(`${url}/healthz`, 90_000, () => exited);
  } catch (e) {
    await stop();
    throw new Error(`${e.message}; see ${logFile}`);
  }
  return { child, url, stop };
}
