// VS Code UI of the blue/green commands. The language server computes and applies the edits
// (server commands kubeManifests.scaffoldBlueGreen and kubeManifests.switchTraffic, which the
// language client also registers for code lenses); these palette commands pass the cursor and,
// after a scaffold, turn the green Deployment's image into a snippet placeholder so the user
// types the new tag right away.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';

export const BLUE_GREEN_COMMANDS = {
  scaffold: 'kubeManifests.scaffoldBlueGreenPair',
  switchTraffic: 'kubeManifests.switchBlueGreenTraffic',
} as const;

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
export interface BlueGreenResult {
  applied: boolean;
  reason?: string;
}

async function run(getClient: () => Promise<LanguageClient>, command: string): Promise<{ editor?: vscode.TextEditor; result?: { applied: boolean; reason?: string; greenImage?: Range; to?: string } }> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Kube Manifests: open a manifest and put the cursor in it first.');
    return {};
  }
  const client = await getClient();
  const pos = editor.selection.active;
  const result = await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [editor.document.uri.toString(), { line: pos.line, character: pos.character }] });
  return { editor, result: result as { applied: boolean; reason?: string; greenImage?: Range; to?: string } };
}

export function registerBlueGreenCommands(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(BLUE_GREEN_COMMANDS.scaffold, async (): Promise<BlueGreenResult> => {
      const { editor, result } = await run(getClient, 'kubeManifests.scaffoldBlueGreen');
      if (!editor || !result) return { applied: false };
      if (!result.applied) {
        void vscode.window.showInformationMessage(`Kube Manifests: ${result.reason ?? 'nothing to scaffold here.'}`);
        return { applied: false, reason: result.reason };
      }
      const g = result.greenImage;
      if (g && vscode.window.activeTextEditor === editor) {
        const range = new vscode.Range(g.start.line, g.start.character, g.end.line, g.end.character);
        const image = editor.document.getText(range);
        // a placeholder holding the current image, selected: typing replaces it
        await editor.insertSnippet(new vscode.SnippetString().appendPlaceholder(image), range);
      }
      return { applied: true };
    }),
    vscode.commands.registerCommand(BLUE_GREEN_COMMANDS.switchTraffic, async (): Promise<BlueGreenResult> => {
      const { editor, result } = await run(getClient, 'kubeManifests.switchTraffic');
      if (!editor || !result) return { applied: false };
      if (!result.applied) void vscode.window.showInformationMessage(`Kube Manifests: ${result.reason ?? 'no blue/green Service here.'}`);
      else if (result.to) void vscode.window.setStatusBarMessage(`Kube Manifests: traffic now goes to ${result.to}`, 4000);
      return { applied: result.applied, reason: result.reason };
    }),
  );
}
