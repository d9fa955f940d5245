// End-to-end tests of the Kube Manifests client + server through the VS Code API.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import {
  activateExtension,
  childProcesses,
  codeOf,
  EXTENSION_ID,
  completionLabels,
  hoverText,
  type KubeManifestsApi,
  openDoc,
  openUntitled,
  ours,
  positionOf,
  waitFor,
  workspaceUri,
} from './helpers';

let api: KubeManifestsApi;
const deployment = () => workspaceUri('deployment.yaml');
const unknownField = (uri: vscode.Uri) => ours(uri).find((d) => codeOf(d) === 'unknown-field');

suite('Kube Manifests', () => {
  suiteSetup(async () => {
    await openDoc(deployment());
    api = await activateExtension();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('kubeManifests').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the extension activates and the language server runs', () => {
    assert.equal(api.state, 'running');
    assert.equal(childProcesses('dist/server.js').length, 1, 'exactly one server process');
  });

  test('a misspelled key gets an unknown-field error with a suggestion', async () => {
    const d = await waitFor('unknown-field diagnostic', () => unknownField(deployment()));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /did you mean "imagePullPolicy"/);
    const doc = await vscode.workspace.openTextDocument(deployment());
    assert.equal(doc.getText(d.range), 'imagePUllPolicy');
  });

  test('a valid key gets no diagnostic', async () => {
    await waitFor('diagnostics', () => ours(deployment()).length > 0);
    const doc = await vscode.workspace.openTextDocument(deployment());
    const texts = ours(deployment()).map((d) => doc.getText(d.range));
    assert.ok(!texts.includes('replicas') && !texts.includes('image'), `unexpected diagnostics on ${texts.join(', ')}`);
  });

  test('completion offers kinds after "kind:"', async () => {
    const editor = await openUntitled('apiVersion: apps/v1\nkind: \n');
    const labels = await waitFor('kind completions', async () => {
      const l = await completionLabels(editor.document.uri, new vscode.Position(1, 6));
      return l.includes('Deployment') ? l : undefined;
    });
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) assert.ok(labels.includes(kind), `missing ${kind} in ${labels.slice(0, 30).join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('each manifest snippet is offered once (contributed snippet, not also the server\'s copy)', async () => {
    const editor = await openUntitled('');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(0, 0));
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet);
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    const labels = snippets.map(label);
    assert.ok(labels.includes('k8s-deployment'), `no k8s-deployment snippet among ${labels.join(', ')}`);
    // VS Code lists a contributed snippet once per prefix; the server's copies would be labelled with the snippet's name
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'snippets', 'kubernetes.json'), 'utf8')) as Record<string, { prefix: string | string[] }>;
    const prefixes = new Set(Object.values(contributed).flatMap((s) => s.prefix));
    const names = Object.keys(contributed).filter((n) => !prefixes.has(n));
    const serverCopies = labels.filter((l) => names.includes(l));
    assert.deepEqual(serverCopies, [], 'the server\'s copies of the contributed snippets are listed too');
    const dupes = labels.filter((l, i) => labels.indexOf(l) !== i);
    assert.deepEqual(dupes, [], 'a snippet is listed twice');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('completion offers container fields inside a container', async () => {
    const doc = await vscode.workspace.openTextDocument(deployment());
    const content = doc.getText().replace('          ports:', '          \n          ports:');
    const editor = await openUntitled(content);
    const line = content.split('\n').findIndex((l) => l === '          ');
    const labels = await waitFor('container field completions', async () => {
      const l = await completionLabels(editor.document.uri, new vscode.Position(line, 10));
      return l.includes('imagePullPolicy') ? l : undefined;
    });
    for (const key of ['imagePullPolicy', 'env', 'resources', 'livenessProbe']) assert.ok(labels.includes(key), `missing ${key} in ${labels.slice(0, 40).join(', ')}`);
    assert.ok(!labels.includes('replicas'), 'Deployment-level keys must not be offered inside a container');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('hover on a field shows its description', async () => {
    const doc = (await openDoc(deployment())).document;
    const text = await waitFor('hover on replicas', async () => {
      const t = await hoverText(doc.uri, positionOf(doc, 'replicas', 2));
      return t.length ? t : undefined;
    });
    assert.match(text, /desired pods/i);
  });

  test('the unknown-field error has a quick fix', async function () {
    if (!api.serverCapabilities()?.codeActionProvider) {
      console.log('[suite] SKIP quick fix: the server does not announce codeActionProvider yet');
      this.skip();
    }
    const d = await waitFor('unknown-field diagnostic', () => unknownField(deployment()));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', deployment(), d.range);
    const fix = actions.find((a) => a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind) && /imagePullPolicy/.test(a.title));
    assert.ok(fix, `no quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
  });

  test('encode and decode base64 commands transform the selection', async () => {
    const editor = await openUntitled('apiVersion: v1\nkind: Secret\ndata:\n  password: hunter2\n  user: "admin"\n');
    const doc = editor.document;
    const start = positionOf(doc, 'hunter2');
    editor.selection = new vscode.Selection(start, start.translate(0, 'hunter2'.length));
    const enc = await vscode.commands.executeCommand<{ applied: boolean }>('kubeManifests.encodeBase64');
    assert.ok(enc?.applied);
    assert.match(doc.lineAt(3).text, /^ {2}password: aHVudGVyMg==$/);
    // empty selection: the value of the cursor's line, without its quotes
    editor.selection = new vscode.Selection(4, 3, 4, 3);
    await vscode.commands.executeCommand('kubeManifests.encodeBase64');
    assert.equal(doc.lineAt(4).text, '  user: "YWRtaW4="');
    await vscode.commands.executeCommand('kubeManifests.decodeBase64');
    assert.equal(doc.lineAt(4).text, '  user: "admin"');
    editor.selection = new vscode.Selection(3, 12, 3, 24);
    const dec = await vscode.commands.executeCommand<{ applied: boolean }>('kubeManifests.decodeBase64');
    assert.ok(dec?.applied);
    assert.equal(doc.lineAt(3).text, '  password: hunter2');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('decoding binary (non UTF-8) data leaves the text alone and says why', async () => {
    const editor = await openUntitled('data:\n  key: /9j/4AAQ\n');
    editor.selection = new vscode.Selection(1, 7, 1, 15);
    const res = await vscode.commands.executeCommand<{ applied: boolean; message?: string }>('kubeManifests.decodeBase64');
    assert.equal(res?.applied, false);
    assert.match(res?.message ?? '', /binary/);
    assert.equal(editor.document.lineAt(1).text, '  key: /9j/4AAQ');
    editor.selection = new vscode.Selection(1, 7, 1, 8);
    const bad = await vscode.commands.executeCommand<{ applied: boolean; message?: string }>('kubeManifests.decodeBase64');
    assert.equal(bad?.applied, false);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('turning a rule off in the settings removes its diagnostic without a restart', async () => {
    await openDoc(deployment());
    await waitFor('unknown-field diagnostic', () => unknownField(deployment()));
    const pids = childProcesses('dist/server.js');
    const cfg = vscode.workspace.getConfiguration('kubeManifests');
    await cfg.update('rules', { 'unknown-field': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitFor('unknown-field diagnostic to disappear', () => !unknownField(deployment()));
    await cfg.update('rules', { 'unknown-field': 'warning' }, vscode.ConfigurationTarget.Workspace);
    const d = await waitFor('unknown-field as a warning', () => unknownField(deployment())?.severity === vscode.DiagnosticSeverity.Warning && unknownField(deployment()));
    assert.ok(d);
    await cfg.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('unknown-field back to an error', () => unknownField(deployment())?.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(childProcesses('dist/server.js'), pids, 'the server was not restarted');
  });

  test('"Check All Manifests in Workspace" reports problems of files that are not open', async () => {
    const service = workspaceUri('more', 'service.yaml');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === service.toString()), 'service.yaml must not be open yet');
    const summary = await vscode.commands.executeCommand<{ files: number; checked: number; errors: number }>('kubeManifests.checkWorkspace');
    console.log('[suite] check workspace summary:', JSON.stringify(summary));
    assert.ok(summary && summary.files >= 4, `summary: ${JSON.stringify(summary)}`);
    assert.ok(summary.errors >= 2, `summary: ${JSON.stringify(summary)}`);
    const d = await waitFor('diagnostic in more/service.yaml', () => ours(service).find((x) => codeOf(x) === 'unknown-field'));
    assert.match(d.message, /did you mean "protocol"/);
    assert.equal(ours(workspaceUri('notes.yaml')).length, 0, 'a YAML file that is not a manifest gets no problems');
  });

  test('"Check Manifests in Folder" checks only that folder', async () => {
    const summary = await vscode.commands.executeCommand<{ files: number; checked: number; errors: number }>('kubeManifests.checkFolder', workspaceUri('more'));
    assert.equal(summary?.files, 1, `summary: ${JSON.stringify(summary)}`);
    assert.equal(summary?.errors, 1, `summary: ${JSON.stringify(summary)}`);
  });

  test('"Restart Language Server" restarts it and diagnostics come back', async () => {
    const before = childProcesses('dist/server.js');
    await vscode.commands.executeCommand('kubeManifests.restartServer');
    await waitFor('server running', () => api.state === 'running');
    const after = await waitFor('a new server process', () => {
      const p = childProcesses('dist/server.js');
      return p.length === 1 && p[0] !== before[0] ? p : undefined;
    });
    assert.equal(after.length, 1);
    await waitFor('unknown-field diagnostic after restart', () => unknownField(deployment()));
  });

  test('a crashed server is restarted a few times, then left stopped until restarted by hand', async function () {
    this.timeout(120_000);
    const states: string[] = [];
    const sub = api.onDidChangeState((st) => states.push(st));
    const kill = async () => {
      const [pid] = await waitFor('a running server process', () => (api.state === 'running' ? childProcesses('dist/server.js') : undefined));
      process.kill(pid, 'SIGKILL');
      await waitFor('the old server to go away', () => !childProcesses('dist/server.js').includes(pid));
      return pid;
    };
    // crashes 1..3 are restarted
    for (let i = 1; i <= 3; i++) {
      const old = await kill();
      await waitFor(`restart after crash ${i}`, () => api.state === 'running' && childProcesses('dist/server.js').some((p) => p !== old)).catch((e) => {
        throw new Error(`${e.message}; state transitions: ${states.join(' > ')}; server processes: ${childProcesses('dist/server.js').join(',')}`);
      });
    }
    await waitFor('diagnostics after automatic restarts', () => unknownField(deployment()));
    // crash 4: gives up
    await kill();
    await waitFor('client to give up', () => api.state === 'gaveUp').catch((e) => {
      throw new Error(`${e.message}; state transitions: ${states.join(' > ')}; server processes: ${childProcesses('dist/server.js').join(',')}`);
    });
    assert.equal(childProcesses('dist/server.js').length, 0);
    await vscode.commands.executeCommand('kubeManifests.restartServer');
    await waitFor('server running after manual restart', () => api.state === 'running');
    await waitFor('diagnostics after manual restart', () => unknownField(deployment()));
    sub.dispose();
  });
});
