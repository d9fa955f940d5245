// A kubeconfig has no .yaml extension (`~/.kube/config`): the extension makes VS Code open it as YAML, so the
// server checks it as a kubeconfig (not as an API object) and completes its names.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { activateExtension, codeOf, openDoc, ours, positionOf, waitFor, workspaceUri } from './helpers';

suite('Kube Manifests: kubeconfig files', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('~/.kube/config opens as YAML and a current-context that names no context is reported there', async () => {
    const uri = workspaceUri('home', '.kube', 'config');
    const editor = await openDoc(uri);
    assert.equal(editor.document.languageId, 'yaml', 'the file association makes .kube/config YAML');
    const d = await waitFor('the kubeconfig problem', () => ours(uri).find((x) => codeOf(x) === 'kubeconfig-unknown-name'));
    assert.equal(d.range.start.line, 16, `on current-context's value: ${d.message}`);
    assert.match(d.message, /dve/);
    assert.match(d.message, /dev/, 'names the context that exists');
    assert.ok(!ours(uri).some((x) => codeOf(x) === 'unknown-field' || codeOf(x) === 'missing-required'), 'not checked as an API object');
    const at = positionOf(editor.document, 'dve');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
    assert.ok(list.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'dev'), 'the context names are completed');
  });
});
