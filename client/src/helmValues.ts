/**
 * The values files a chart is checked with: a status bar item (shown while a file of a chart is
 * active: "Helm values: values.yaml + ci/prod.yaml") and the command Kube Manifests: Select Values
 * Files for Chart, which offers the chart's values*.yaml and ci/*.yaml (and any other YAML file)
 * in a multi-pick. The choice is remembered per workspace and sent to the server, which checks the
 * chart's templates with those files on top of values.yaml, as `helm install -f` would.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const SELECT_VALUES_COMMAND = 'kubeManifests.selectHelmValueFiles';
const STATE_KEY = 'kubeManifests.helmValueFiles';

interface ChartInfo {
  chart: string;
  name: string;
  valueFiles: string[];
  candidates: string[];
}

/** "values.yaml + ci/prod.yaml" for the status bar. */
export function describeValueFiles(chart: string, files: string[]): string {
  const rel = files.map((f) => (f.startsWith(chart + '/') ? f.slice(chart.length + 1) : f.slice(f.lastIndexOf('/') + 1)));
  return ['values.yaml', ...rel.map(decodeURIComponent)].join(' + ');
}

/** Whether a file lies in a folder with Chart.yaml (or below one). */
function inChart(file: string): boolean {
  let dir = path.dirname(file);
  for (let i = 0; i < 40; i++) {
    if (fs.existsSync(path.join(dir, 'Chart.yaml'))) return true;
    const up = path.dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
  return false;
}

export function registerHelmValues(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const item = vscode.window.createStatusBarItem('kubeManifests.helmValues', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Kube Manifests: Helm values in use';
  item.command = SELECT_VALUES_COMMAND;
  const saved = (): Record<string, string[]> => context.workspaceState.get<Record<string, string[]>>(STATE_KEY) ?? {};
  let sent = false;

  const infoFor = async (uri: vscode.Uri): Promise<ChartInfo | null> => {
    // Never start the server for a file that is not in a chart (a plain YAML file keeps it stopped).
    if (uri.scheme !== 'file' || !inChart(uri.fsPath)) return null;
    const client = await getClient();
    return client.sendRequest<ChartInfo | null>('kubeManifests/chartInfo', { uri: uri.toString() });
  };

  const sendSaved = async (): Promise<void> => {
    if (sent) return;
    sent = true;
    const client = await getClient();
    for (const [chart, files] of Object.entries(saved())) await client.sendNotification('kubeManifests/setHelmValueFiles', { chart, files });
  };

  const update = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !/\.(ya?ml|tpl|txt)$/i.test(editor.document.uri.path)) return void item.hide();
    try {
      if (editor.document.uri.scheme !== 'file' || !inChart(editor.document.uri.fsPath)) return void item.hide();
      await sendSaved();
      const info = await infoFor(editor.document.uri);
      if (!info) return void item.hide();
      const files = saved()[info.chart] ?? [];
      item.text = `$(layers) ${describeValueFiles(info.chart, files)}`;
      item.tooltip = `The values files the templates of chart ${info.name} are checked with (click to change)`;
      item.show();
    } catch {
      item.hide();
    }
  };

  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    vscode.commands.registerCommand(SELECT_VALUES_COMMAND, async (arg?: vscode.Uri, picked?: string[]): Promise<string[] | undefined> => {
      const source = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      const info = source && (await infoFor(source));
      if (!info) {
        void vscode.window.showInformationMessage('Open a file of a Helm chart (a folder with Chart.yaml) to pick the values files it is checked with.');
        return undefined;
      }
      const current = new Set(saved()[info.chart] ?? []);
      let chosen = picked;
      if (!chosen) {
        const others = (await vscode.workspace.findFiles('**/*-values.{yaml,yml}', '**/node_modules/**', 50)).map((u) => u.toString());
        const all = [...new Set([...info.candidates, ...current, ...others])];
        const items = all.map((u) => ({ label: describeValueFiles(info.chart, [u]).replace(/^values\.yaml \+ /, ''), description: u.startsWith(info.chart + '/') ? undefined : vscode.Uri.parse(u).fsPath, picked: current.has(u), uri: u }));
        const pick = await vscode.window.showQuickPick(items, { canPickMany: true, title: `Values files for chart ${info.name} (on top of values.yaml, in this order)` });
        if (!pick) return undefined;
        chosen = pick.map((p) => p.uri);
      }
      const next = { ...saved(), [info.chart]: chosen };
      await context.workspaceState.update(STATE_KEY, next);
      const client = await getClient();
      await client.sendNotification('kubeManifests/setHelmValueFiles', { chart: info.chart, files: chosen });
      await update();
      return chosen;
    }),
  );
  void update();
}
