// End-to-end tests of the code actions, code lenses, navigation and commands that came after the first
// suite: each one through the VS Code API, as the editor itself calls them, with the edit applied to a
// fixture of test/e2e/fixtures/workspace and the result re-checked by the server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import bcrypt from 'bcryptjs';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import { activateExtension, codeOf, EXTENSION_ID, openDoc, openUntitled, ours, positionOf, waitFor, workspaceUri } from './helpers';

const errorsOf = (uri: vscode.Uri) => ours(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
const describe = (ds: vscode.Diagnostic[]) => ds.map((d) => `${codeOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message.slice(0, 80)}`).join(' | ') || 'none';

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  // Resolved as the light bulb resolves the one a person picks: actions whose edits hold Secret values come
  // without an edit (codeAction/resolve computes it when chosen).
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, undefined, 100)) ?? [];
}

/** The code action titled like `title` at `range`, waiting for the server to offer it. */
async function actionAt(uri: vscode.Uri, range: vscode.Range, title: RegExp): Promise<vscode.CodeAction> {
  let seen: string[] = [];
  try {
    return await waitFor(`a code action ${title}`, async () => {
      const actions = await codeActions(uri, range);
      seen = actions.map((a) => a.title);
      return actions.find((a) => title.test(a.title));
    }, 15_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}; offered: ${seen.join(' | ') || 'nothing'}`);
  }
}

/** Applies a code action as the light bulb does: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" was not applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

const SENTINEL = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-sentinel\nsentinelFeld: x\n';

/**
 * The server's diagnostics of the editor's current text. Appends a document with a known mistake and waits
 * for its diagnostic, which proves the server has checked this very text; returns the other diagnostics.
 */
async function settledDiagnostics(editor: vscode.TextEditor): Promise<vscode.Diagnostic[]> {
  const doc = editor.document;
  const end = doc.positionAt(doc.getText().length);
  const sep = doc.getText().endsWith('\n') ? '' : '\n';
  assert.ok(await editor.edit((b) => b.insert(end, sep + SENTINEL)));
  const sentinelLine = doc.lineCount - 2;
  await waitFor('the server to check the current text', () => ours(doc.uri).some((d) => codeOf(d) === 'unknown-field' && d.range.start.line === sentinelLine));
  const firstSentinelLine = sentinelLine - 5;
  return ours(doc.uri).filter((d) => d.range.start.line < firstSentinelLine);
}

async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

const allTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);

suite('Kube Manifests: code actions, lenses, navigation and commands', () => {
  suiteSetup(async () => {
    await openDoc(workspaceUri('deployment.yaml'));
    await activateExtension();
  });

  teardown(async () => {
    // whatever a test left open (a failed one included): revert files, close everything
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

  test('every command is registered and contributed to the palette with the "Kube Manifests" category', async () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as Array<{ command: string; title: string; category?: string }>);
    const registered = new Set(await vscode.commands.getCommands(true));
    const expected = [
      'encodeBase64', 'decodeBase64', 'checkWorkspace', 'checkFolder', 'restartServer', 'showOutput',
      'createBasicAuthSecret', 'createSecretFromEnvFile', 'createTlsSecret', 'scaffoldBlueGreenPair', 'switchBlueGreenTraffic', 'showPermissions',
    ].map((c) => `kubeManifests.${c}`);
    for (const id of expected) {
      assert.ok(registered.has(id), `${id} is not registered`);
      const c = contributed.find((x) => x.command === id);
      assert.ok(c, `${id} is not in contributes.commands`);
      assert.equal(c.category, 'Kube Manifests', id);
    }
  });

  test('"Encode as base64" quick fix on an invalid Secret data value encodes it, and the error goes away', async () => {
    const uri = workspaceUri('secrets', 'plain-secret.yaml');
    const editor = await openDoc(uri);
    const d = await waitFor('secret-invalid-base64 diagnostic', () => ours(uri).find((x) => codeOf(x) === 'secret-invalid-base64'));
    assert.equal(editor.document.getText(d.range), 's3cr3t-token!');
    const action = await actionAt(uri, d.range, /^Encode the value of token as base64$/);
    assert.ok(action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind), `kind ${action.kind?.value}`);
    assert.equal(action.isPreferred, true);
    await apply(action);
    assert.equal(editor.document.lineAt(d.range.start.line).text, `  token: ${Buffer.from('s3cr3t-token!').toString('base64')}`);
    await waitFor('the error to go away', () => errorsOf(uri).length === 0);
    // no "Encode" action on a value that already is base64
    const again = await codeActions(uri, editor.document.lineAt(d.range.start.line).range);
    assert.ok(!again.some((a) => /^Encode the value/.test(a.title)), again.map((a) => a.title).join(' | '));
    assert.deepEqual(describe(await settledDiagnostics(editor)), 'none');
    await revertAndClose();
  });

  test('"Decode into stringData" moves a data value to stringData as plain text', async () => {
    const uri = workspaceUri('secret.yaml');
    const editor = await openDoc(uri);
    const at = positionOf(editor.document, 'aHVudGVyMg==', 2);
    const action = await actionAt(uri, new vscode.Range(at, at), /^Decode password into stringData$/);
    await apply(action);
    const text = editor.document.getText();
    assert.match(text, /^data:\n {2}username: YWRtaW4=\n/m);
    assert.match(text, /^stringData:\n {2}password: hunter2$/m);
    assert.ok(!text.includes('aHVudGVyMg=='), text);
    assert.equal(describe((await settledDiagnostics(editor)).filter((x) => x.severity === vscode.DiagnosticSeverity.Error)), 'none');
    await revertAndClose();
  });

  test('"Scaffold blue/green pair" code action writes X-blue, X-green and a Service on blue', async () => {
    const uri = workspaceUri('bluegreen', 'api.yaml');
    const editor = await openDoc(uri);
    const at = positionOf(editor.document, 'Deployment', 2);
    const action = await actionAt(uri, new vscode.Range(at, at), /^Scaffold blue\/green pair \(api-blue, api-green and a Service on blue\)$/);
    await apply(action);
    const text = editor.document.getText();
    for (const needle of ['name: api-blue', 'name: api-green', 'kind: Service', 'color: green']) assert.ok(text.includes(needle), `no "${needle}" in\n${text}`);
    assert.ok(!/^ {2}name: api$/m.test(text.split('kind: Service')[0]), 'the original Deployment is still there');
    const service = text.slice(text.indexOf('kind: Service'));
    assert.match(service, /selector:\n(\s+\S+: \S+\n)*?\s+color: blue\n/, service);
    assert.equal(describe((await settledDiagnostics(editor)).filter((x) => x.severity === vscode.DiagnosticSeverity.Error)), 'none');
    await revertAndClose();
  });

  test('"Scaffold Blue/Green Pair from Deployment" command scaffolds and selects the green image', async () => {
    const uri = workspaceUri('bluegreen', 'api.yaml');
    const editor = await openDoc(uri);
    const at = positionOf(editor.document, 'name: api', 7);
    editor.selection = new vscode.Selection(at, at);
    const res = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('kubeManifests.scaffoldBlueGreenPair');
    assert.equal(res?.applied, true, res?.reason);
    const text = editor.document.getText();
    assert.ok(text.includes('name: api-blue') && text.includes('name: api-green') && text.includes('kind: Service'), text);
    // the green copy's image is selected, ready for the new tag
    const sel = editor.selection;
    assert.equal(editor.document.getText(sel), 'ghcr.io/example/api:1.0.0');
    assert.ok(sel.start.line > editor.document.getText().split('\n').findIndex((l) => l.includes('name: api-green')), 'the selection is not in the green Deployment');
    await revertAndClose();
  });

  test('the traffic code lens routes the Service to green and back', async () => {
    const uri = workspaceUri('bluegreen', 'shop.yaml');
    const editor = await openDoc(uri);
    const lensTo = async (color: string) =>
      waitFor(`a "Route traffic to ${color}" lens`, async () => {
        const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
        return lenses.find((l) => l.command?.title.startsWith(`Route traffic to ${color}`));
      }, 15_000);
    const selectorColor = () => /selector:\n\s+app: shop\n\s+color: (\w+)/.exec(editor.document.getText())?.[1];
    assert.equal(selectorColor(), 'blue');
    const toGreen = await lensTo('green');
    assert.match(toGreen.command!.title, /shop-green, image ghcr\.io\/example\/shop:2\.4\.0/);
    await vscode.commands.executeCommand(toGreen.command!.command, ...(toGreen.command!.arguments ?? []));
    await waitFor('the selector to say green', () => selectorColor() === 'green');
    const toBlue = await lensTo('blue');
    await vscode.commands.executeCommand(toBlue.command!.command, ...(toBlue.command!.arguments ?? []));
    await waitFor('the selector to say blue again', () => selectorColor() === 'blue');
    await revertAndClose();
  });

  test('a removed apiVersion (extensions/v1beta1 Ingress) is migrated to networking.k8s.io/v1 by its quick fix', async () => {
    const uri = workspaceUri('ingress', 'legacy.yaml');
    const editor = await openDoc(uri);
    const d = await waitFor('removed-api-version diagnostic', () => ours(uri).find((x) => codeOf(x) === 'removed-api-version'));
    const action = await actionAt(uri, d.range, /^Migrate to networking\.k8s\.io\/v1/);
    assert.equal(action.isPreferred, true);
    await apply(action);
    const text = editor.document.getText();
    assert.match(text, /^apiVersion: networking\.k8s\.io\/v1$/m);
    assert.match(text, /pathType: Prefix/);
    assert.match(text, /backend:\n\s+service:\n\s+name: web\n\s+port:\n\s+number: 80/, text);
    assert.ok(!/serviceName|servicePort/.test(text), text);
    await waitFor('the error to go away', () => errorsOf(uri).length === 0);
    assert.equal(describe((await settledDiagnostics(editor)).filter((x) => x.severity === vscode.DiagnosticSeverity.Error)), 'none');
    await revertAndClose();
  });

  test('go to definition from a secretKeyRef name opens the Secret in another file', async () => {
    const uri = workspaceUri('refs', 'app.yaml');
    const editor = await openDoc(uri);
    const at = positionOf(editor.document, 'db-credentials', 3);
    const target = await waitFor('a definition', async () => {
      const defs = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', uri, at)) ?? [];
      return defs[0];
    });
    const targetUri = 'targetUri' in target ? target.targetUri : target.uri;
    const targetRange = 'targetUri' in target ? target.targetSelectionRange ?? target.targetRange : target.range;
    assert.equal(targetUri.toString(), workspaceUri('secret.yaml').toString());
    const secret = await vscode.workspace.openTextDocument(targetUri);
    assert.match(secret.lineAt(targetRange.start.line).text, /name: db-credentials/);
    // and the key: secretKeyRef.key goes to the key in the Secret's data
    const key = positionOf(editor.document, 'key: password', 6);
    const keyDefs = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', uri, key)) ?? [];
    assert.equal(keyDefs.length, 1, 'no definition of the key');
    const k = keyDefs[0];
    assert.equal(('targetUri' in k ? k.targetUri : k.uri).toString(), targetUri.toString());
    const r = 'targetUri' in k ? k.targetSelectionRange ?? k.targetRange : k.range;
    assert.match(secret.lineAt(r.start.line).text, /^ {2}password: /);
  });

  suite('Show Permissions', () => {
    type Result = { subject: { kind: string; name: string; namespace?: string }; markdown: string; rows: unknown[]; uri: string; shownAs: string } | undefined;
    const reader = () => workspaceUri('rbac', 'reader.yaml');
    const runAt = async (needle: string, delta = 0): Promise<Result> => {
      const editor = await openDoc(reader());
      const at = positionOf(editor.document, needle, delta);
      editor.selection = new vscode.Selection(at, at);
      return vscode.commands.executeCommand<Result>('kubeManifests.showPermissions');
    };

    test('on a ServiceAccount: its permissions from the workspace bindings, in a markdown preview', async () => {
      const res = await waitFor('permissions of reader', async () => {
        const r = await runAt('name: reader', 7);
        return r && r.rows.length ? r : undefined;
      });
      assert.deepEqual(res.subject, { kind: 'ServiceAccount', name: 'reader', namespace: 'apps' });
      assert.match(res.markdown, /^# Permissions of ServiceAccount `apps\/reader`\n/);
      assert.match(res.markdown, /\| namespace apps \| pods, pods\/log .*\| get, list, watch \| RoleBinding read-pods → Role pod-reader \|/);
      assert.equal(res.shownAs, 'preview');
      const tab = await waitFor('the markdown preview tab', () =>
        allTabs().find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && /Permissions of ServiceAccount/.test(t.label)));
      assert.ok(tab);
      // the document behind the preview is read-only
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(res.uri));
      assert.equal(doc.getText(), res.markdown);
      assert.equal(doc.uri.scheme, 'kube-manifests-permissions');
      assert.equal(vscode.workspace.fs.isWritableFileSystem('kube-manifests-permissions'), false);
    });

    test('on a serviceAccountName and on a binding subject: the subject they name', async () => {
      const fromPod = await runAt('serviceAccountName: reader', 5);
      assert.deepEqual(fromPod?.subject, { kind: 'ServiceAccount', name: 'reader', namespace: 'apps' });
      assert.ok(fromPod.rows.length > 0);
      const fromBinding = await runAt('name: jane@example.com', 8);
      assert.deepEqual(fromBinding?.subject, { kind: 'User', name: 'jane@example.com' });
      assert.match(fromBinding.markdown, /pods, pods\/log/);
    });

    test('for a subject given as an argument; one with no bindings is granted nothing', async () => {
      const res = await vscode.commands.executeCommand<Result>('kubeManifests.showPermissions', { kind: 'Group', name: 'nobody' });
      assert.deepEqual(res?.subject, { kind: 'Group', name: 'nobody' });
      assert.match(res.markdown, /granted nothing/);
      assert.equal(res.rows.length, 0);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });

  test('"Create basic-auth Secret" writes a Secret with a bcrypt htpasswd entry that validates', async () => {
    const editor = await openUntitled('');
    const res = await vscode.commands.executeCommand<{ created: boolean; uri?: string }>('kubeManifests.createBasicAuthSecret', {
      name: 'web-auth', username: 'admin', password: 's3cret pass', ingressNginx: true,
    });
    assert.equal(res?.created, true);
    assert.equal(res.uri, editor.document.uri.toString());
    const text = editor.document.getText();
    assert.match(text, /^apiVersion: v1\nkind: Secret\nmetadata:\n {2}name: web-auth\n/);
    const htpasswd = /^ {2}\.htpasswd: (\S+)$/m.exec(text)?.[1];
    const auth = /^ {2}auth: (\S+)$/m.exec(text)?.[1];
    assert.ok(htpasswd && auth, text);
    assert.equal(auth, htpasswd);
    const line = Buffer.from(htpasswd, 'base64').toString('utf8');
    const m = /^admin:(\$2y\$\d\d\$.{53})\n$/.exec(line);
    assert.ok(m, 'not an htpasswd line with a bcrypt hash');
    assert.ok(bcrypt.compareSync('s3cret pass', m[1]), 'the hash does not match the password');
    assert.ok(!text.includes('s3cret pass'), 'the password is in the text');
    assert.equal(describe(await settledDiagnostics(editor)), 'none');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
