// Charts in the editor through the VS Code API, as a person uses them: completion in a values file from the
// chart's defaults, and the Extract to a value refactor, which edits the template and values.yaml together.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import { activateExtension, completionLabels, openDoc, positionOf, waitFor, workspaceUri } from './helpers';

suite('Kube Manifests: Helm charts', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  teardown(async () => {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isDirty && doc.uri.scheme === 'file') {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a custom values file completes the keys the chart defines, with their defaults', async () => {
    const uri = workspaceUri('chart', 'ci', 'prod-values.yaml');
    const editor = await openDoc(uri);
    // a new key under image: the chart's values.yaml has repository, tag and pullPolicy there; tag is already set
    const end = editor.document.positionAt(editor.document.getText().length);
    assert.ok(await editor.edit((b) => b.insert(end, '  ')));
    const at = editor.document.positionAt(editor.document.getText().length);
    const labels = await waitFor('values completion', async () => {
      const l = await completionLabels(uri, at);
      return l.includes('repository') ? l : undefined;
    });
    assert.ok(labels.includes('pullPolicy'), labels.join(', '));
    assert.ok(!labels.includes('tag'), `tag is already set here: ${labels.join(', ')}`);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
    const repo = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'repository');
    const doc = typeof repo?.documentation === 'string' ? repo.documentation : repo?.documentation?.value ?? '';
    assert.match(`${repo?.detail ?? ''} ${doc}`, /ghcr\.io\/example\/shop/, 'shows the chart default');
  });

  test('Extract to a value turns a literal of a template into {{ .Values.x }} and adds x to values.yaml', async () => {
    const template = workspaceUri('chart', 'templates', 'deployment.yaml');
    const values = workspaceUri('chart', 'values.yaml');
    const editor = await openDoc(template);
    const doc = editor.document;
    const line = doc.lineAt(positionOf(doc, 'imagePullPolicy').line);
    assert.ok(await editor.edit((b) => b.insert(line.range.end, '\n          ports:\n            - containerPort: 8080')));
    const start = positionOf(doc, '8080');
    const range = new vscode.Range(start, start.translate(0, 4));
    const action = await waitFor('the extract refactor', async () => {
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', template, range, vscode.CodeActionKind.RefactorExtract.value, 10)) ?? [];
      return actions.find((a) => /^Extract to a value/.test(a.title));
    });
    assert.ok(action.edit, 'the refactor carries its edit');
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    const text = doc.getText();
    const m = /containerPort: \{\{ \.Values\.([A-Za-z0-9_.]+) \}\}/.exec(text);
    assert.ok(m, text);
    const valuesDoc = await vscode.workspace.openTextDocument(values);
    const key = m[1].split('.').pop()!;
    assert.match(valuesDoc.getText(), new RegExp(`^\\s*${key}: 8080$`, 'm'), valuesDoc.getText());
  });
});
