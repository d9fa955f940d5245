// Language status item for the active manifest: the object's kind and apiVersion, the Kubernetes
// version it is checked against, and a link to the settings.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { objectAt, objectIndexAt, objectsInText, type ObjectInfo } from './manifestInfo';

/** Shape of the server's `kubeManifests/documentInfo` answer. */
export interface DocumentInfo {
  objects: ObjectInfo[];
  kubernetesVersion: string;
  checked: boolean;
  /** Index in `objects` of the object at the requested position, if the server tells. */
  activeIndex?: number;
}

export const DOCUMENT_INFO_REQUEST = 'kubeManifests/documentInfo';

const STATUS_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'helm' },
  { scheme: 'file', pattern: '**/templates/**/*.{yaml,yml,tpl}' },
];

const describe = (o: ObjectInfo | undefined): string =>
  o && (o.kind || o.apiVersion) ? [o.kind ?? '(no kind)', o.apiVersion].filter(Boolean).join(' · ') : 'No Kubernetes object';

export class ManifestStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Set once the server said it does not know the request; from then on the client-side fallback is used. */
  private serverLacksRequest = false;

  constructor(
    private readonly getClient: () => LanguageClient | undefined,
    private readonly getState: () => string,
  ) {
    this.item = vscode.languages.createLanguageStatusItem('kubeManifests.status', STATUS_SELECTOR);
    this.item.name = 'Kube Manifests';
    this.item.text = 'Kubernetes';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('kubeManifests') && this.schedule()),
    );
    this.refresh();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 250);
  }

  refresh(): void {
    const gen = ++this.generation;
    void this.update().then(
      (r) => gen === this.generation && r && this.apply(r),
      () => undefined,
    );
  }

  private async update(): Promise<{ object?: ObjectInfo; count: number; version: string; checked: boolean } | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const doc = editor.document;
    const position = editor.selection.active;
    const client = this.getClient();
    if (client && !this.serverLacksRequest) {
      try {
        const info = await client.sendRequest<DocumentInfo>(DOCUMENT_INFO_REQUEST, {
          uri: client.code2ProtocolConverter.asUri(doc.uri),
          position: { line: position.line, character: position.character },
        });
        if (info) {
          let index = typeof info.activeIndex === 'number' ? info.activeIndex : -1;
          if (index < 0) {
            // which YAML document the cursor is in, counted the same way when both sides see the same objects
            const text = doc.getText();
            if (objectsInText(text).length === info.objects.length) index = objectIndexAt(text, doc.offsetAt(position));
          }
          return { object: info.objects[Math.max(0, index)], count: info.objects.length, version: info.kubernetesVersion, checked: info.checked };
        }
      } catch (e) {
        // -32601 MethodNotFound: an older server; anything else: fall back for this update only
        if ((e as { code?: number }).code === -32601) this.serverLacksRequest = true;
      }
    }
    const text = doc.getText();
    const object = objectAt(text, doc.offsetAt(position));
    const version = vscode.workspace.getConfiguration('kubeManifests', doc.uri).get<string>('kubernetesVersion', '1.34');
    return { object, count: object ? 1 : 0, version, checked: !!object };
  }

  private apply(r: { object?: ObjectInfo; count: number; version: string; checked: boolean }): void {
    const state = this.getState();
    const item = this.item;
    item.text = describe(r.object);
    const parts: string[] = [];
    if (r.object?.name) parts.push(r.object.name);
    if (!r.object) parts.push('not a Kubernetes manifest');
    else parts.push(r.checked ? `checked against Kubernetes ${r.version}` : `not checked (excluded or turned off); Kubernetes ${r.version}`);
    if (r.count > 1) parts.push(`${r.count} objects in file`);
    if (state === 'gaveUp' || state === 'stopped') {
      item.severity = vscode.LanguageStatusSeverity.Error;
      item.detail = 'language server stopped';
      item.command = { title: 'Restart', command: 'kubeManifests.restartServer', tooltip: 'Restart the Kube Manifests language server' };
      return;
    }
    item.severity = vscode.LanguageStatusSeverity.Information;
    item.busy = state === 'starting';
    item.detail = parts.join(' · ');
    item.command = {
      title: 'Settings',
      command: 'workbench.action.openSettings',
      arguments: ['kubeManifests'],
      tooltip: 'Open the Kube Manifests settings (Kubernetes version, rules, exclusions)',
    };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
