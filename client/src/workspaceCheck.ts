// "Kube Manifests: Check All Manifests in Workspace": finds the YAML files of the workspace (honouring
// files.exclude, search.exclude and kubeManifests.exclude) and has the server check them; the results
// land in the Problems panel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { looksLikeManifest } from './manifestInfo';

/**
 * Server request: check files that are not open and publish their diagnostics.
 * params `{ uris: string[] }` (file URIs) -> `{ checked: number }` (files that were manifests and checked).
 */
export const CHECK_FILES_REQUEST = 'kubeManifests/checkFiles';

export interface CheckSummary {
  files: number;
  checked: number;
  errors: number;
  warnings: number;
  /** 'server' when the server checked the files itself, 'open' when the client opened them as documents. */
  via: 'server' | 'open';
}

const BATCH = 100;
const MAX_FILES = 20_000;

export async function checkWorkspace(
  client: LanguageClient,
  output: vscode.OutputChannel,
  folder?: vscode.Uri,
): Promise<CheckSummary | undefined> {
  if (!folder && !vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Kube Manifests: open a folder to check its manifests.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Kube Manifests: checking manifests', cancellable: true },
    async (progress, token) => {
      const cfg = vscode.workspace.getConfiguration('kubeManifests');
      const excludes = ['**/node_modules/**', '**/.git/**', ...cfg.get<string[]>('exclude', [])];
      const include = folder ? new vscode.RelativePattern(folder, '**/*.{yaml,yml}') : '**/*.{yaml,yml}';
      const files = await vscode.workspace.findFiles(include, `{${excludes.join(',')}}`, MAX_FILES, token);
      output.appendLine(`[client] check ${folder ? folder.fsPath : 'workspace'}: ${files.length} YAML files`);
      let checked = 0;
      let via: CheckSummary['via'] = 'server';
      for (let i = 0; i < files.length && !token.isCancellationRequested; i += BATCH) {
        const batch = files.slice(i, i + BATCH);
        progress.report({ message: `${Math.min(i + BATCH, files.length)} / ${files.length}`, increment: (batch.length / files.length) * 100 });
        if (via === 'server') {
          try {
            const res = await client.sendRequest<{ checked: number }>(
              CHECK_FILES_REQUEST,
              { uris: batch.map((u) => client.code2ProtocolConverter.asUri(u)) },
              token,
            );
            checked += res?.checked ?? batch.length;
            continue;
          } catch (e) {
            if ((e as { code?: number }).code !== -32601) throw e;
            output.appendLine(`[client] the server has no ${CHECK_FILES_REQUEST}; opening the files as documents instead`);
            via = 'open';
          }
        }
        checked += await openManifests(batch, cfg.get<number>('maxFileSize', 10 * 1024 * 1024), token);
      }
      if (via === 'open') await diagnosticsSettled(files, 3000);
      const summary = count(files, checked, via);
      output.appendLine(`[client] check workspace: ${JSON.stringify(summary)}`);
      const msg = `Kube Manifests: checked ${summary.checked} manifest file${summary.checked === 1 ? '' : 's'}: ${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}.`;
      if (summary.errors + summary.warnings > 0) {
        void vscode.commands.executeCommand('workbench.actions.view.problems');
        void vscode.window.showWarningMessage(msg);
      } else {
        void vscode.window.showInformationMessage(msg);
      }
      return summary;
    },
  );
}

/** Fallback for a server without checkFiles: opening a document makes the client send it (didOpen). */
async function openManifests(uris: vscode.Uri[], maxFileSize: number, token: vscode.CancellationToken): Promise<number> {
  let n = 0;
  for (const uri of uris) {
    if (token.isCancellationRequested) break;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > maxFileSize) continue;
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (!looksLikeManifest(Buffer.from(bytes).toString('utf8'))) continue;
      await vscode.workspace.openTextDocument(uri);
      n++;
    } catch {
      // unreadable file: skip
    }
  }
  return n;
}

/** Waits until no diagnostics of `uris` changed for a short while (at most `maxMs`). */
function diagnosticsSettled(uris: vscode.Uri[], maxMs: number): Promise<void> {
  const keys = new Set(uris.map((u) => u.toString()));
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout = setTimeout(done, 500);
    const hard = setTimeout(done, maxMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => keys.has(u.toString()))) {
        clearTimeout(quiet);
        quiet = setTimeout(done, 500);
      }
    });
    function done() {
      clearTimeout(quiet);
      clearTimeout(hard);
      sub.dispose();
      resolve();
    }
  });
}

function count(files: vscode.Uri[], checked: number, via: CheckSummary['via']): CheckSummary {
  let errors = 0;
  let warnings = 0;
  for (const uri of files) {
    for (const d of vscode.languages.getDiagnostics(uri)) {
      if (d.source !== 'kube-manifests') continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
    }
  }
  return { files: files.length, checked, errors, warnings, via };
}
