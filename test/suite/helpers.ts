// Helpers for the extension test suite. Readiness is always awaited by polling a condition, never a fixed sleep.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'kube-manifests.kube-manifests';

export interface KubeManifestsApi {
  readonly state: string;
  whenRunning(): Promise<void>;
  readonly onDidChangeState: vscode.Event<string>;
  serverCapabilities(): Record<string, unknown> | undefined;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function activateExtension(): Promise<KubeManifestsApi> {
  const ext = vscode.extensions.getExtension<KubeManifestsApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  await api.whenRunning();
  return api;
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test suite needs a workspace folder (test/e2e/fixtures/workspace)');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export async function openDoc(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

export async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  return vscode.window.showTextDocument(doc);
}

export const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kube-manifests');

export const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''));

export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not found in ${doc.uri.toString()}`);
  return doc.positionAt(i + delta);
}

export async function completionLabels(uri: vscode.Uri, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
    .join('\n');
}

/** PIDs of processes below the extension host whose command line contains `needle` (Linux /proc). */
export function childProcesses(needle: string): number[] {
  const byParent = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(name)]);
    } catch {
      // process ended meanwhile
    }
  }
  const found: number[] = [];
  const todo = [process.pid];
  while (todo.length) {
    for (const c of byParent.get(todo.pop()!) ?? []) {
      todo.push(c);
      try {
        if (fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes(needle)) found.push(c);
      } catch {
        // gone
      }
    }
  }
  return found;
}
