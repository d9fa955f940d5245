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
    'editor.stickyScroll.enabled': false, // the pictures show the text as it is
    'editor.minimap.enabled': false,
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
      const lines = String(e.message || e).split('\n');
      // Playwright's first line says what timed out, a later one which locator it waited for
      detail = [lines[0], lines.find((l) => /waiting for /.test(l))?.trim()].filter(Boolean).join(' ');
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
      // the focused row, not any row: recently opened files are listed before the typed filter applies
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).first().waitFor();
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
    /** Runs a palette command: types `query` after F1 and clicks the row labelled `title` (`asks`: it opens an input box of its own). */
    const runCommand = async (query, title = query, { asks = false } = {}) => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(query);
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
      await row.waitFor();
      await row.click();
      if (!asks) await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    };
    /** The editor's rendered lines in order (only those in view), with plain spaces. */
    const visibleText = (editor) => editor.locator('.view-lines .view-line').evaluateAll((els) => els
      .map((e) => ({ top: parseFloat(e.style.top) || 0, text: (e.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top).map((l) => l.text).join('\n'));
    /** Closes every editor, answering "Don't Save" if a dirty one asks. */
    const closeAllEditors = async () => {
      await runCommand('View: Close All Editors', 'Close All Editors');
      for (let i = 0; i < 10; i++) {
        await page.waitForFunction(() => !document.querySelector('.tabs-container .tab') || document.querySelector('.monaco-dialog-box'), null, { timeout: 15_000 });
        const dontSave = page.locator('.monaco-dialog-box button', { hasText: /Don.t Save/ }).first();
        if (!(await dontSave.count())) return;
        await dontSave.click();
      }
    };
    /** A quiet editor area for pictures: no other editors, no panel, no notifications. */
    const tidy = async () => {
      await closeAllEditors();
      if (await page.locator('.part.panel').isVisible()) {
        await page.keyboard.press('Control+J'); // View: Toggle Panel Visibility
        await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 5000 });
      }
      if (await page.locator('.notifications-toasts .notification-toast').count()) await runCommand('Notifications: Clear All Notifications', 'Clear All Notifications');
    };
    /**
     * A picture for the README, cropped to the editor: from the top of `top` (default: the editor part's
     * top, with its tabs) to the bottom of the lowest of `bottom`, and wide enough for each of `right`
     * (at least 640 pixels). Saved in test-results/e2e/ui/readme/; docs/images/ holds reduced copies
     * (refresh: `convert test-results/e2e/ui/readme/X.png -strip +dither -colors 48 docs/images/X.png`).
     */
    const readmeShot = async (name, { top, bottom = [], right = [] }) => {
      const part = await page.locator('.part.editor').boundingBox();
      const box = async (l) => l.boundingBox();
      const y = top ? (await box(top)).y - 1 : part.y;
      const lows = (await Promise.all(bottom.map(box))).filter(Boolean);
      const wides = (await Promise.all(right.map(box))).filter(Boolean);
      const y2 = Math.min(Math.max(...lows.map((b) => b.y + b.height)) + 12, part.y + part.height);
      const x2 = Math.min(Math.max(part.x + 640, ...wides.map((b) => b.x + b.width + 16)), part.x + part.width);
      fs.mkdirSync(path.join(workDir, 'readme'), { recursive: true });
      await page.screenshot({ path: path.join(workDir, 'readme', `${name}.png`), clip: { x: part.x, y, width: x2 - part.x, height: y2 - y } });
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
      // README picture: focus imagePullPolicy and open the details (its documentation) with Ctrl+Space
      const focused = page.locator(`${SUGGEST_ROW}.focused`);
      for (let i = 0; i < 20 && !/^imagePullPolicy, /.test((await focused.getAttribute('aria-label')) ?? ''); i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Control+Space');
      const details = page.locator('.suggest-details-container .suggest-details', { hasText: /pull/i }).first();
      await details.waitFor({ timeout: 10_000 });
      const widget = page.locator('.editor-widget.suggest-widget.visible');
      await readmeShot('completion', { top: line(deployment, 'template:'), bottom: [widget, details], right: [widget, details] });
      return `rows: ${rows.slice(0, 8).join(' | ')}; details: ${(await details.innerText()).replace(/\s+/g, ' ').slice(0, 100)}`;
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
    await step('the light bulb on an invalid Secret value offers "Encode as base64", which encodes it', async () => {
      await tidy();
      const editor = await openFile('plain-secret.yaml');
      await editor.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
      await line(editor, 'token:').locator('span', { hasText: 's3cr3t-token!' }).last().click();
      await page.mouse.move(700, 850); // no hover over the menu
      const bulb = editor.locator('.lightBulbWidget');
      await bulb.waitFor({ state: 'visible', timeout: 15_000 });
      await screenshot('light-bulb-on-the-invalid-value');
      await bulb.click();
      const menu = page.locator('.action-widget');
      const fix = menu.locator('.monaco-list-row', { hasText: 'Encode the value of token as base64' }).first();
      await fix.waitFor({ timeout: 15_000 });
      const offered = (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
      await readmeShot('quick-fix', { bottom: [menu], right: [menu, line(editor, '# A value').locator('span').last()] });
      await screenshot('quick-fix-menu-open');
      // the preferred fix comes first and is focused: Enter applies it
      const focused = menu.locator('.monaco-list-row.focused');
      if (!/Encode the value of token as base64/.test(await focused.innerText())) throw new Error(`focused first: ${await focused.innerText()}`);
      await page.keyboard.press('Enter');
      await line(editor, `token: ${Buffer.from('s3cr3t-token!').toString('base64')}`).waitFor({ timeout: 10_000 });
      await editor.locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
      return `menu: ${offered.join(' | ')}; token: s3cr3t-token! -> ${Buffer.from('s3cr3t-token!').toString('base64')}, no squiggle left`;
    });

    await step('Ctrl+. on an unknown field offers the rename, which fixes it', async () => {
      const editor = await openFile('deployment.yaml');
      await line(editor, 'imagePUllPolicy').locator('span', { hasText: 'imagePUllPolicy' }).last().click();
      await page.mouse.move(700, 850);
      await page.keyboard.press('Control+.');
      const focused = page.locator('.action-widget .monaco-list-row.focused', { hasText: 'imagePullPolicy' }).first();
      await focused.waitFor({ timeout: 15_000 });
      const title = (await focused.innerText()).trim();
      await page.keyboard.press('Enter');
      await line(editor, 'imagePullPolicy: IfNotPresent').waitFor({ timeout: 10_000 });
      await editor.locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
      return `applied: ${title}; no squiggle left`;
    });

    await step('"Scaffold Blue/Green Pair" from the palette writes api-blue, api-green and a Service', async () => {
      const editor = await openFile('api.yaml');
      await line(editor, 'name: api').click();
      await runCommand('Kube Manifests: Scaffold Blue', 'Scaffold Blue/Green Pair from Deployment');
      // the green copy's image is selected as a snippet placeholder: typing replaces it
      await line(editor, 'name: api-green').waitFor({ timeout: 15_000 });
      await screenshot('scaffold-green-image-selected');
      await page.keyboard.type('ghcr.io/example/api:1.1.0');
      await page.keyboard.press('Escape');
      await line(editor, 'image: ghcr.io/example/api:1.1.0').waitFor({ timeout: 5000 });
      await page.keyboard.press('Control+Home');
      await line(editor, 'name: api-blue').waitFor({ timeout: 5000 });
      await screenshot('scaffold-blue-at-the-top');
      await page.keyboard.press('Control+End');
      await line(editor, 'kind: Service').waitFor({ timeout: 5000 });
      const text = await visibleText(editor);
      const service = /kind: Service[\s\S]*/.exec(text)?.[0] ?? '';
      if (!/name: api\n/.test(service) || !/selector:\n\s+app: api\n\s+color: blue/.test(service)) throw new Error(`the Service: ${service}`);
      return 'api -> api-blue, api-green (image typed: ghcr.io/example/api:1.1.0), Service api selecting color: blue';
    });

    await step('the traffic lens routes the Service to green', async () => {
      await tidy();
      const editor = await openFile('shop.yaml');
      await page.keyboard.press('Control+End');
      const lens = editor.locator('.codelens-decoration a', { hasText: 'Route traffic to green' }).first();
      await lens.waitFor({ timeout: 30_000 });
      const before = (await lens.innerText()).trim();
      await page.mouse.move(700, 850);
      await readmeShot('traffic-lens', { top: line(editor, 'image: ghcr.io/example/shop:2.4.0'), bottom: [line(editor, 'targetPort: http')], right: [lens] });
      await screenshot('traffic-lens-before');
      await lens.click();
      const back = editor.locator('.codelens-decoration a', { hasText: 'Route traffic to blue' }).first();
      await back.waitFor({ timeout: 15_000 });
      const service = /kind: Service[\s\S]*/.exec(await visibleText(editor))?.[0] ?? '';
      if (!/selector:\n\s+app: shop\n\s+color: green/.test(service)) throw new Error(`the Service: ${service}`);
      return `lens: ${before} -> ${(await back.innerText()).trim()}`;
    });

    await step('"Show Permissions" from the palette opens the table of the ServiceAccount at the cursor', async () => {
      const editor = await openFile('reader.yaml');
      await line(editor, 'name: reader').click();
      await runCommand('Kube Manifests: Show Permissions', 'Show Permissions');
      const tab = page.locator('.tabs-container .tab', { hasText: 'Permissions of ServiceAccount' }).first();
      await tab.waitFor({ timeout: 30_000 });
      // the preview is a webview: an iframe holding the rendered markdown in another iframe
      const body = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('body');
      const table = body.locator('table', { hasText: 'pods/log' }).first();
      await table.waitFor({ timeout: 30_000 });
      return `${(await tab.innerText()).trim()}: ${(await table.innerText()).replace(/\s+/g, ' ').slice(0, 140)}`;
    });

    await step('"Show Permissions" away from any subject asks whose, listing the ServiceAccounts of the workspace', async () => {
      await closeAllEditors();
      const editor = await openFile('reader.yaml');
      await line(editor, 'kind: Role').click();
      await runCommand('Kube Manifests: Show Permissions', 'Show Permissions', { asks: true });
      await page.locator('.quick-input-widget', { hasText: 'whose' }).waitFor({ timeout: 10_000 });
      const rows = page.locator('.quick-input-widget .monaco-list-row');
      await rows.filter({ hasText: 'ServiceAccount apps/reader' }).first().waitFor({ timeout: 10_000 });
      const offered = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      await screenshot('show-permissions-asks-whose');
      await rows.filter({ hasText: 'User…' }).first().click();
      await page.locator('.quick-input-widget', { hasText: 'Show Permissions of a User' }).waitFor({ timeout: 10_000 });
      await page.locator('.quick-input-widget input').fill('jane@example.com');
      await page.keyboard.press('Enter');
      const tab = page.locator('.tabs-container .tab', { hasText: 'Permissions of User jane@example.com' }).first();
      await tab.waitFor({ timeout: 30_000 });
      const body = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('body');
      await body.locator('h1', { hasText: 'Permissions of User jane@example.com' }).first().waitFor({ timeout: 30_000 });
      await body.locator('table', { hasText: 'pods/log' }).first().waitFor({ timeout: 30_000 });
      return `offered: ${offered.join(' | ')}; then the table of User jane@example.com`;
    });

    await step('"Create basic-auth Secret" asks for name, user, password and keys, and appends the Secret', async () => {
      await closeAllEditors();
      const editor = await openFile('reader.yaml');
      await line(editor, 'name: reader').click();
      await runCommand('Kube Manifests: Create basic-auth', 'Create basic-auth Secret', { asks: true });
      const input = page.locator('.quick-input-widget input');
      const answer = async (title, text) => {
        await page.locator('.quick-input-widget', { hasText: title }).waitFor({ timeout: 10_000 });
        if (text !== undefined) {
          await input.fill(text);
        }
        await page.keyboard.press('Enter');
      };
      await answer('(1/4): name', 'web-auth');
      await answer('(2/4): user name', 'admin');
      await page.locator('.quick-input-widget', { hasText: '(3/4): password' }).waitFor({ timeout: 10_000 });
      if ((await input.getAttribute('type')) !== 'password') throw new Error('the password is not masked');
      await screenshot('basic-auth-password-masked');
      await input.fill('s3cret');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: '(4/4): keys' }).waitFor({ timeout: 10_000 });
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Add .htpasswd and auth' }).first().click();
      await line(editor, 'name: web-auth').waitFor({ timeout: 15_000 });
      const text = await visibleText(editor);
      if (!/\.htpasswd: \S+/.test(text) || !/auth: \S+/.test(text) || text.includes('s3cret')) throw new Error(`the Secret: ${text.slice(-300)}`);
      return 'Secret web-auth with .htpasswd and auth appended to reader.yaml';
    });

    // Helm charts: the template is checked as rendered with values.yaml.
    const openChartFile = async (name, shown) => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(name);
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: shown }).first().waitFor();
      await page.keyboard.press('Enter');
      const editor = page.locator(`.editor-instance .monaco-editor[data-uri$="/${name}"]`);
      await editor.waitFor({ timeout: 30_000 });
      return editor;
    };
    let template;
    await step('chart: a wrong value typed in values.yaml shows on the template action that prints it', async () => {
      await tidy();
      const values = await openChartFile('chart/values.yaml', 'values.yaml');
      await line(values, 'pullPolicy').click();
      await page.keyboard.press('End');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type('et'); // IfNotPresent -> IfNotPreset
      await line(values, 'IfNotPreset').waitFor({ timeout: 10_000 });
      await values.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
      template = await openChartFile('chart/templates/deployment.yaml', 'deployment.yaml');
      await template.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
      // on the last characters of the action, where pullPolicy is
      // on the squiggled action, over "pullPolicy" (its last fifth)
      const box = await template.locator('.squiggly-error').first().boundingBox();
      await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover', { hasText: 'IfNotPreset' }).first();
      await hover.waitFor({ timeout: 15_000 });
      const text = (await hover.innerText()).replace(/\s+/g, ' ');
      if (!/values\.yaml:5/.test(text)) throw new Error(`hover: ${text}`);
      await readmeShot('chart-value-problem', { bottom: [hover, line(template, 'imagePullPolicy')], right: [hover] });
      return text.slice(0, 200);
    });
    await page.mouse.move(700, 850);
    await page.keyboard.press('Escape');

    await step('chart: completion of .Values paths in a template', async () => {
      await line(template, 'imagePullPolicy').click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('# {{ .Values.image.');
      const rows = await suggest('repository');
      if (!rows.some((r) => /^pullPolicy, /.test(r ?? '')) || !rows.some((r) => /^tag, /.test(r ?? ''))) throw new Error(`rows: ${rows.join(' | ')}`);
      await screenshot('chart-values-completion');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+K'); // delete the typed line again
      return `rows: ${rows.slice(0, 6).join(' | ')}`;
    });

    await step('chart: Show Rendered Manifest opens the template as rendered, beside it', async () => {
      await line(template, 'replicas').click();
      await runCommand('Kube Manifests: Show Rendered Manifest', 'Show Rendered Manifest');
      const rendered = page.locator('.editor-instance .monaco-editor[data-uri*="rendered"]');
      await rendered.waitFor({ timeout: 30_000 });
      await rendered.locator('.view-line', { hasText: 'imagePullPolicy: IfNotPreset' }).first().waitFor({ timeout: 30_000 });
      await rendered.locator('.view-line', { hasText: 'image: "ghcr.io/example/shop:2.4.0"' }).first().waitFor({ timeout: 10_000 });
      const renderedLine = rendered.locator('.view-line', { hasText: 'imagePullPolicy' }).first();
      await readmeShot('chart-rendered', { bottom: [renderedLine], right: [renderedLine] });
      return (await visibleText(rendered)).split('\n').slice(0, 3).join(' / ');
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
