/**
 * workspace/executeCommand: server commands that compute edits with the
 * language service and apply them with workspace/applyEdit.
 *
 * - `kubeManifests.scaffoldBlueGreen` [uri, position | offset]: the Deployment
 *   there becomes X-blue, X-green and a Service on blue. Returns
 *   `{ applied, greenImage?: Range }` (the client selects the green image).
 * - `kubeManifests.switchTraffic` [uri, position | offset, ("blue" | "green")?]:
 *   flips the selector color of the Service there. Returns `{ applied, to? }`. In a chart's
 *   template the edit goes to the template or to the values file in use (`file`: its uri).
 */
import { Position, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FeatureRegistration, ServerContext } from './context';
import { templateContextOf } from './charts';
import { templateTrafficSwitch } from '../features/helm/renderedFeatures';
import { LineIndex } from '../model/text';
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

/**
 * The switch in a chart's template: the edit goes to the template (a literal colour) or to the
 * values file in use that sets the value the template prints.
 */
async function switchInChart(ctx: ServerContext, uri: string, offset: number, to: 'blue' | 'green' | undefined): Promise<{ applied: boolean; to?: string; file?: string; reason?: string }> {
  const t = templateContextOf(ctx, uri);
  const r = t && templateTrafficSwitch(t.manifest, t.relative, offset, to, t.valueFiles, t.textOf);
  if (!t || !r) return { applied: false, reason: 'Put the cursor in a Service of the template whose selector colour (blue or green) is literal text or printed from .Values, with a Deployment of the other colour rendered by the chart.' };
  if (!r.edits.length) return { applied: true, to };
  const target = t.uriOf(r.path);
  const open = ctx.documents.get(target);
  const text = open ? open.getText() : (t.valueFiles.find((v) => v.path === r.path)?.text ?? t.textOf(r.path));
  if (text === undefined) return { applied: false, reason: `${r.path} cannot be read.` };
  const lines = new LineIndex(text);
  const edits = r.edits.map((e) => ({ range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.newText }));
  const res = await ctx.connection.workspace.applyEdit({ label: 'Switch blue/green traffic', edit: { changes: { [target]: edits } } });
  return { applied: res.applied, to: r.edits[0].newText.replace(/^["']|["']$/g, ''), file: target };
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
    if (params.command === SWITCH_TRAFFIC && ctx.isChartFile(doc.uri)) {
      const to = extra === 'blue' || extra === 'green' ? extra : undefined;
      return switchInChart(ctx, doc.uri, offset, to);
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
