/**
 * textDocument/codeAction: the service's actions for the requested range, with
 * the diagnostics they fix attached and their offset edits converted to a
 * WorkspaceEdit. The problems come from the service (they carry the `data` the
 * fixes need), matched to the client's diagnostics by code and range.
 */
import { CodeAction, CodeActionKind, Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionEntry } from '../languageService';
import { OffsetEdit, Problem } from '../types';
import { FeatureRegistration, ServerContext } from './context';
import { toDiagnostic } from './diagnostics';
import * as path from 'path';
import { helmQuickFixes } from '../features/helm/templateActions';
import { pathToUri } from '../node/workspaceScanner';

/** Quick fixes in a chart's files, from the data the chart check put on its diagnostics. */
function chartActions(ctx: ServerContext, doc: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const chart = ctx.chartOf(doc.uri);
  if (!chart) return [];
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'kube-manifests' || !d.data) continue;
    const problem: Problem = { start: doc.offsetAt(d.range.start), end: doc.offsetAt(d.range.end), severity: 'error', code: String(d.code ?? ''), message: d.message, data: d.data as Record<string, unknown> };
    for (const fix of helmQuickFixes(problem, (rel) => chart.textOf(rel))) {
      let target = doc;
      if (fix.file !== undefined) {
        const abs = path.join(chart.root, ...fix.file.split('/'));
        const uri = pathToUri(abs);
        target = ctx.documents.get(uri) ?? TextDocument.create(uri, 'yaml', 0, chart.textOf(fix.file) ?? '');
      }
      out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.isPreferred, edit: { changes: { [target.uri]: toTextEdits(ctx, target, fix.edits) } } });
    }
  }
  return out;
}

export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.Source];

export function toTextEdits(ctx: ServerContext, doc: TextDocument, edits: OffsetEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: ctx.range(doc, e.start, e.end), newText: e.newText }));
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export const registerCodeActions: FeatureRegistration = (ctx) => {
  ctx.connection.onCodeAction(async (params, token) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await ctx.settingsFor(doc.uri);
    if (token.isCancellationRequested) return null;
    if (doc.getText().length > settings.maxFileSize) return null;
    if (ctx.isChartFile(doc.uri)) return chartActions(ctx, doc, params.context.diagnostics);
    const file = ctx.fileOf(doc);
    const start = doc.offsetAt(params.range.start);
    const end = doc.offsetAt(params.range.end);
    const ours = params.context.diagnostics.filter((d) => d.source === 'kube-manifests');
    const matched: Array<{ problem: Problem; diagnostic: Diagnostic }> = [];
    if (ours.length) {
      for (const p of ctx.ls.validate(file, settings)) {
        const range = ctx.range(doc, p.start, p.end);
        const d = ours.find((x) => x.code === p.code && sameRange(x.range, range));
        if (d) matched.push({ problem: p, diagnostic: d });
      }
    }
    const entries = ctx.ls.codeActions(file, { start, end }, matched.map((m) => m.problem), settings);
    const only = params.context.only;
    const wanted = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
    return entries
      .filter((e) => wanted(e.kind))
      .map((e: CodeActionEntry): CodeAction => {
        const action: CodeAction = { title: e.title, kind: e.kind };
        if (e.edits.length) action.edit = { changes: { [doc.uri]: toTextEdits(ctx, doc, e.edits) } };
        if (e.problem) {
          const m = matched.find((x) => x.problem === e.problem);
          action.diagnostics = [m ? m.diagnostic : toDiagnostic(ctx, doc, e.problem)];
        }
        if (e.isPreferred) action.isPreferred = true;
        if (e.command) action.command = { title: e.command.title, command: e.command.command, arguments: e.command.arguments };
        return action;
      });
  });
  return { codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false } };
};
