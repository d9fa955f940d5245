/**
 * workspace/executeCommand: server commands that compute edits with the
 * language service and apply them with workspace/applyEdit.
 *
 * - `kubeManifests.scaffoldBlueGreen` [uri, position | offset]: the Deployment
 *   there becomes X-blue, X-green and a Service on blue. Returns
 *   `{ applied, greenImage?: Range }` (the client selects the green image).
 * - `kubeManifests.switchTraffic` [uri, position | offset, ("blue" | "green")?]:
 *   flips the selector color of the Service there. Returns `{ applied, to? }`.
 */
import { Position, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FeatureRegistration } from './context';
import { toTextEdits } from './codeActions';
import { DECLARE_EXTERNAL } from '../features/actions/external';
import { declareExternal } from './workspace';

export const SCAFFOLD_BLUE_GREEN = 'kubeManifests.scaffoldBlueGreen';
export const SWITCH_TRAFFIC = 'kubeManifests.switchTraffic';
export const SERVER_COMMANDS = [SCAFFOLD_BLUE_GREEN, SWITCH_TRAFFIC, DECLARE_EXTERNAL];

function offsetOf(doc: TextDocument, at: unknown): number | undefined {
  if (typeof at === 'number' && Number.isFinite(at)) return Math.max(0, Math.min(at, doc.getText().length));
  const p = at as Position | undefined;
  if (p && typeof p.line === 'number' && typeof p.character === 'number') return doc.offsetAt(p);
  return undefined;
}

export const registerCommands: FeatureRegistration = (ctx) => {
  ctx.connection.onExecuteCommand(async (params) => {
    const [uri, at, extra] = params.arguments ?? [];
    const doc = typeof uri === 'string' ? ctx.documents.get(uri) : undefined;
    if (!doc) return { applied: false, reason: 'The document is not open.' };
    const offset = offsetOf(doc, at);
    if (offset === undefined) return { applied: false, reason: 'No position was given.' };
    const file = ctx.fileOf(doc);
    if (params.command === SCAFFOLD_BLUE_GREEN) {
      const r = ctx.ls.scaffoldBlueGreen(file, offset);
      if (!r) return { applied: false, reason: 'Put the cursor in a Deployment without a color label, with a name and spec.selector.matchLabels.' };
      const version = doc.version;
      const res = await ctx.connection.workspace.applyEdit({ label: 'Scaffold blue/green pair', edit: { changes: { [doc.uri]: toTextEdits(ctx, doc, r.edits) } } });
      let greenImage: Range | undefined;
      if (res.applied && r.greenImage) {
        // positions in the edited text: computed on a copy, valid whatever the client's sync timing
        const copy = TextDocument.create(doc.uri, 'yaml', version + 1, TextDocument.applyEdits(doc, toTextEdits(ctx, doc, r.edits)));
        greenImage = { start: copy.positionAt(r.greenImage.start), end: copy.positionAt(r.greenImage.end) };
      }
      return { applied: res.applied, greenImage };
    }
    if (params.command === SWITCH_TRAFFIC) {
      const to = extra === 'blue' || extra === 'green' ? extra : undefined;
      const edits = ctx.ls.switchTraffic(file, offset, to);
      if (!edits) return { applied: false, reason: 'Put the cursor in a Service whose selector has color: blue or green, with a Deployment of the other color in the same file.' };
      if (!edits.length) return { applied: true, to };
      const res = await ctx.connection.workspace.applyEdit({ label: 'Switch blue/green traffic', edit: { changes: { [doc.uri]: toTextEdits(ctx, doc, edits) } } });
      return { applied: res.applied, to: edits[0].newText };
    }
    if (params.command === DECLARE_EXTERNAL && typeof extra === 'string') return declareExternal(ctx, doc.uri, extra); // lsp/workspace.ts
    return { applied: false, reason: `Unknown command ${params.command}` };
  });
  return { executeCommandProvider: { commands: SERVER_COMMANDS } };
};
