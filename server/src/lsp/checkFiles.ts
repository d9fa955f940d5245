/**
 * kubeManifests/checkFiles: the client's "Check All Manifests in Workspace"
 * hands over files that are not open; the server reads them, checks them with
 * the same engine, and publishes their diagnostics before it answers. Open
 * documents are left to the diagnostics module (their editor text wins).
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { RequestType } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isExcluded } from '../node/workspaceScanner';
import { FeatureRegistration } from './context';
import { toDiagnostic } from './diagnostics';

export interface CheckFilesParams {
  uris: string[];
}
export interface CheckFilesResult {
  /** Files that were Kubernetes manifests and were checked. */
  checked: number;
}
export const CheckFilesRequest = new RequestType<CheckFilesParams, CheckFilesResult, void>('kubeManifests/checkFiles');

export const registerCheckFiles: FeatureRegistration = (ctx) => {
  ctx.connection.onRequest(CheckFilesRequest, async (params, token) => {
    let checked = 0;
    for (const uri of (params?.uris ?? []).slice(0, 1000)) {
      if (token.isCancellationRequested) break;
      if (ctx.documents.get(uri)) {
        checked++; // open: its diagnostics are already published from the editor's text
        continue;
      }
      let file: string;
      try {
        file = fileURLToPath(uri);
      } catch {
        continue; // not a file: URI
      }
      const settings = await ctx.settingsFor(uri);
      const folder = ctx.workspaceFolders.map((f) => safePath(f)).find((f) => f && file.startsWith(f + path.sep));
      if (folder && settings.exclude.length && isExcluded(folder, file, settings.exclude)) continue;
      let text: string;
      try {
        const stat = await fs.promises.stat(file);
        if (!stat.isFile() || stat.size > settings.maxFileSize) continue;
        const buf = await fs.promises.readFile(file);
        if (buf.subarray(0, 8000).includes(0)) continue; // binary
        text = new TextDecoder('utf-8').decode(buf);
      } catch {
        continue; // unreadable: nothing to say about it
      }
      const model = ctx.ls.parse(uri, text);
      if (!ctx.ls.isManifest(model)) {
        void ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
        continue;
      }
      const doc = TextDocument.create(uri, 'yaml', 0, text);
      const diagnostics = ctx.ls.validate(model, settings).map((p) => toDiagnostic(ctx, doc, p));
      await ctx.connection.sendDiagnostics({ uri, diagnostics });
      checked++;
    }
    return { checked };
  });
  return {};
};

function safePath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
