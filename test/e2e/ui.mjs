// UI tests through the real workbench: the packaged .vsix installed into a private code-server profile,
// driven by headless Chromium like a person would, with a screenshot after each step (test-results/e2e/ui/).
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { installExtension, QUIET_SETTINGS, startCodeServer, writeUserSettings } from './lib/codeServer.mjs';
import { descendantPids } from './lib/proc.mjs';

const SUGGEST_ROW = '.editor-widget.suggest-widget.visible .monaco-list-row';

export async function runUi({ entry, workDir, port, vsix, fixtures, record, log = console.log }) {
  fs.rmSync(workDir, { recursive: true, force: true });
  const ws = path.join(workDir, 'workspace');
  fs.cpSync(fixtures, ws, { recursive: true });
  const userDataDir = path.join(workDir, 'user-data');
  const extensionsDir = path.join(workDir, 'extensions');
  const homeDir = path.join(workDir, 'home-code-server');
  writeUserSettings(userDataDir, {
    ...QUIET_SETTINGS,
    'editor.quickSuggestions': { other: false, comments: false, strings: false }, // suggestions only when asked
    'editor.hover.delay': 150,
    'workbench.colorTheme': 'Default Light Modern',
  });
  log(`ui: ${installExtension({ entry, vsix, userDataDir, extensionsDir, homeDir })}`);
  const server = await startCodeServer({ entry, port, userDataDir, extensionsDir, homeDir, logFile: path.join(workDir, 'code-server.log') });
  const { browser, context, blocked } = await launchBrowser(path.join(workDir, 'home-chromium'));
  const consoleLines = [];
  let page;
  let shot = 0;
  const screenshot = async (name) => {
    const file = path.join(workDir, `${String(++shot).padStart(2, '0')}-${name}.png`);
    // let fade-ins and slide-ins (hovers, notifications) finish so the picture shows what a person sees
    await page.evaluate(() => Promise.race([
      Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => {}))),
      new Promise((r) => setTimeout(r, 2000)),
    ])).catch(() => {});
    await page.screenshot({ path: file });
    return path.relative(process.cwd(), file);
  };
  /** One UI step: runs `fn`, takes a screenshot whatever happens, records pass/fail. */
  const step = async (name, fn) => {
    let ok = true;
    let detail = '';
    try {
      detail = (await fn()) ?? '';
    } catch (e) {
      ok = false;
      detail = String(e.message || e).split('\n')[0];
    }
    const png = await screenshot(name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()).catch(() => '(no screenshot)');
    record(`ui: ${name}`, ok, [detail, png].filter(Boolean).join(' — '));
    return ok;
  };

  try {
    page = await context.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    const editorFor = (name) => page.locator(`.editor-instance .monaco-editor[data-uri$="/${name}"]`);
    const openFile = async (name) => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(name);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
      await page.keyboard.press('Enter');
      await editorFor(name).waitFor({ timeout: 30_000 });
      await page.locator('#status\\.editor\\.mode', { hasText: 'YAML' }).waitFor({ timeout: 30_000 });
      return editorFor(name);
    };
    const line = (editor, text) => editor.locator('.view-line', { hasText: text }).first();
    /**
     * Ctrl+Space until the suggest widget shows a row labelled exactly `label` that is not a plain word
     * suggestion (aria-label "label, Property" / "label, Class", not "label, Text"); the first request may race the server.
     */
    const suggest = async (label) => {
      const row = page.locator(`${SUGGEST_ROW}[aria-label^="${label}, "]:not([aria-label$=", Text"])`);
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Control+Space');
        try {
          await row.first().waitFor({ timeout: 4000 });
          return page.locator(SUGGEST_ROW).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
        } catch {
          await page.keyboard.press('Escape');
        }
      }
      throw new Error(`the suggest widget never offered "${label}"`);
    };

    await step('workbench opens on the sample workspace', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'deployment.yaml' }).waitFor({ timeout: 120_000 });
    });

    /** Language server processes started by this code-server. */
    const serverProcesses = () => descendantPids(server.child.pid).filter((pid) => {
      try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/server.js'); } catch { return false; }
    });
    await step('a YAML file that is not a manifest does not start the language server', async () => {
      await openFile('notes.yaml');
      // the extension is active once its language status item is there
      await page.locator('#status\\.languageStatus').hover();
      const hover = page.locator('.monaco-hover', { hasText: 'No Kubernetes object' }).first();
      await hover.waitFor({ timeout: 30_000 });
      if (serverProcesses().length) throw new Error('the language server was started for notes.yaml');
      return `language status: ${(await hover.innerText()).split('\n')[0]}; server processes: none`;
    });
    await page.mouse.move(700, 450);

    let deployment;
    await step('misspelled key is squiggled', async () => {
      deployment = await openFile('deployment.yaml');
      const squiggle = deployment.locator('.squiggly-error').first();
      await squiggle.waitFor({ timeout: 60_000 });
      if (serverProcesses().length !== 1) throw new Error(`expected one language server process, found ${serverProcesses().length}`);
      // hover the squiggled key: the problem's message, with its code and source
      await line(deployment, 'imagePUllPolicy').locator('span', { hasText: 'imagePUllPolicy' }).last().hover();
      const hover = page.locator('.monaco-hover', { hasText: 'did you mean' }).first();
      await hover.waitFor({ timeout: 15_000 });
      return (await hover.innerText()).split('\n')[0];
    });

    await step('problem is listed in the Problems panel', async () => {
      await page.mouse.move(5, 450);
      await page.keyboard.press('Escape');
      const status = await page.locator('#status\\.problems').getAttribute('aria-label');
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'did you mean "imagePullPolicy"' }).first();
      await row.waitFor({ timeout: 30_000 });
      return `status bar: ${status}; row: ${(await row.getAttribute('aria-label'))?.slice(0, 120)}`;
    });

    await step('language status shows the kind, apiVersion and Kubernetes version', async () => {
      await page.keyboard.press('Control+Shift+M'); // close the panel again
      await line(deployment, 'replicas').click();
      const item = page.locator('#status\\.languageStatus');
      await item.waitFor({ timeout: 15_000 });
      await item.hover();
      const hover = page.locator('.monaco-hover', { hasText: 'Deployment' }).first();
      await hover.waitFor({ timeout: 15_000 });
      const text = (await hover.innerText()).replace(/\s+/g, ' ');
      if (!/apps\/v1/.test(text) || !/Kubernetes 1\.\d+/.test(text)) throw new Error(`language status hover: ${text}`);
      return text.slice(0, 160);
    });

    await step('hover shows the field documentation', async () => {
      await page.mouse.move(700, 450);
      await page.keyboard.press('Escape');
      await line(deployment, 'replicas').locator('span', { hasText: 'replicas' }).last().hover();
      const hover = page.locator('.monaco-hover', { hasText: /desired pods/i }).first();
      await hover.waitFor({ timeout: 15_000 });
      return (await hover.innerText()).replace(/\s+/g, ' ').slice(0, 140);
    });

    await step('suggest widget offers container fields', async () => {
      await page.mouse.move(700, 850);
      await line(deployment, 'image: nginx').click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      const rows = await suggest('livenessProbe');
      if (!rows.some((r) => /^imagePullPolicy, /.test(r ?? ''))) throw new Error(`no imagePullPolicy in ${rows.join(' | ')}`);
      if (rows.some((r) => /^replicas\b/.test(r ?? ''))) throw new Error('Deployment-level key offered inside a container');
      return `rows: ${rows.slice(0, 8).join(' | ')}`;
    });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');

    await step('suggest widget offers kinds and inserts the chosen one', async () => {
      const editor = await openFile('new.yaml');
      await line(editor, 'kind').click();
      await page.keyboard.press('End');
      const rows = await suggest('StatefulSet');
      const shown = `rows: ${rows.slice(0, 8).join(' | ')}`;
      await screenshot('suggest-kinds-list');
      await page.locator(`${SUGGEST_ROW}[aria-label^="Deployment, "]`).first().click();
      await line(editor, 'kind: Deployment').waitFor({ timeout: 5000 });
      return shown;
    });

    await step('command palette runs "Check All Manifests in Workspace"', async () => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type('Kube Manifests: Check All');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Check All Manifests in Workspace' }).first().waitFor();
      await screenshot('palette-lists-the-command');
      await page.keyboard.press('Enter');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /checked \d+ manifest file/ }).first();
      await toast.waitFor({ timeout: 60_000 });
      // the Problems panel now also lists the file that was never opened
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'service.yaml' }).first().waitFor({ timeout: 30_000 });
      return (await toast.innerText()).replace(/\s+/g, ' ').slice(0, 160);
    });

    await step('base64 decode from the palette replaces the selection', async () => {
      const editor = await openFile('secret.yaml');
      await line(editor, 'password').click();
      // select the value: from the end of the line back over "aHVudGVyMg=="
      await page.keyboard.press('End');
      for (let i = 0; i < 'aHVudGVyMg=='.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type('Kube Manifests: Decode Selection from Base64');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Decode Selection from Base64' }).first().waitFor();
      await page.keyboard.press('Enter');
      await line(editor, 'password: hunter2').waitFor({ timeout: 10_000 });
      return 'password: aHVudGVyMg== -> password: hunter2';
    });
    await step('"Show Output" opens the server log', async () => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type('Kube Manifests: Show Output');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Show Output' }).first().waitFor();
      await page.keyboard.press('Enter');
      const view = page.locator('.part.panel .view-line', { hasText: 'server state: running' }).first();
      await view.waitFor({ timeout: 15_000 });
      return 'output channel "Kube Manifests" shows the client and server log';
    });
  } catch (e) {
    record('ui: harness', false, e.stack || String(e));
  } finally {
    fs.writeFileSync(path.join(workDir, 'browser-console.txt'), consoleLines.join('\n') + '\n');
    if (blocked.length) log(`ui: blocked non-loopback requests: ${blocked.join(', ')}`);
    await browser.close().catch(() => {});
    await server.stop();
  }
}
