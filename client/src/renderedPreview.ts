/**
 * Show Rendered Manifest: the template in the active editor as Helm renders it with the values in
 * use, in a read-only document beside it (scheme `kube-manifests-rendered`), updated as any file
 * of the chart is edited, with the problems of the rendered YAML on it. The server renders
 * (`kubeManifests/renderedManifest`); this file only shows.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const SHOW_RENDERED_COMMAND = 'kubeManifests.showRenderedManifest';
export const RENDERED_SCHEME = 'kube-manifests-rendered';
const REQUEST = 'kubeManifests/renderedManifest';

interface Answer {
  name?: string;
  text?: string;
  problems?: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity?: number; message: string; code?: string | number }>;
  error?: string;
}

/** The preview uri of a template: its path, with the template's own uri in the query. */
export function previewUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: RENDERED_SCHEME, path: source.path.replace(/\.(ya?ml|tpl|txt)$/i, '') + ' (rendered).yaml', query: source.toString() });
}

export function registerRenderedPreview(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const diagnostics = vscode.languages.createDiagnosticCollection('kube-manifests-rendered');
  const open = new Set<string>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    async provideTextDocumentContent(uri) {
      open.add(uri.toString());
      const client = await getClient();
      const answer = await client.sendRequest<Answer>(REQUEST, { uri: uri.query });
      if (answer.error || answer.text === undefined) {
        diagnostics.delete(uri);
        return `# ${answer.error ?? 'Nothing rendered.'}\n`;
      }
      diagnostics.set(
        uri,
        (answer.problems ?? []).map((p) => {
          const d = new vscode.Diagnostic(new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character), p.message, (p.severity ?? 1) - 1);
          d.source = 'kube-manifests';
          if (p.code !== undefined) d.code = p.code;
          return d;
        }),
      );
      return answer.text;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const refresh = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      for (const u of open) changed.fire(vscode.Uri.parse(u));
    }, 150);
  };
  context.subscriptions.push(
    changed,
    diagnostics,
    vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, provider),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (open.size && e.document.uri.scheme === 'file') refresh();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === RENDERED_SCHEME) {
        open.delete(d.uri.toString());
        diagnostics.delete(d.uri);
      }
    }),
    vscode.commands.registerCommand(SHOW_RENDERED_COMMAND, async (arg?: vscode.Uri): Promise<string | undefined> => {
      const source = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!source) {
        void vscode.window.showInformationMessage('Open a template of a Helm chart (templates/*.yaml) to see it rendered.');
        return undefined;
      }
      const uri = previewUri(source);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      return doc.getText();
    }),
  );
}
