/**
 * textDocument/codeAction: the service's actions for the requested range, with
 * the diagnostics they fix attached and their offset edits converted to a
 * WorkspaceEdit. The problems come from the service (they carry the `data` the
 * fixes need), matched to the client's diagnostics by code and range.
 */
import { ClientCapabilities, CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionEntry } from '../languageService';
import { OffsetEdit, Problem, Settings } from '../types';
import { FeatureRegistration, ServerContext } from './context';
import { toDiagnostic } from './diagnostics';
import * as path from 'path';
import { helmQuickFixes } from '../features/helm/templateActions';
import { extractValueCodeActions } from './extractValue';
import { pathToUri } from '../node/workspaceScanner';
import { templateSecretActions } from '../features/helm/renderedFeatures';
import { templateContextOf } from './charts';

/** Quick fixes in a chart's files, from the data the chart check put on its diagnostics. */
function chartActions(ctx: ServerContext, doc: TextDocument, diagnostics: Diagnostic[], range: Range, settings: Settings): Listed[] {
  const chart = ctx.chartOf(doc.uri);
  if (!chart) return [];
  const out: Listed[] = [];
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
      out.push({ action: { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.isPreferred, edit: { changes: { [target.uri]: toTextEdits(ctx, target, fix.edits) } } }, carriesSecret: false });
    }
  }
  // Refactor: a literal of a template to a value (lsp/extractValue.ts).
  out.push(...extractValueCodeActions(ctx, doc, chart, range).map((action) => ({ action, carriesSecret: false })));
  // The Secret base64 actions where the Secret's text is literal in the template (edits on the template text).
  const t = templateContextOf(ctx, doc.uri);
  if (t) {
    for (const a of templateSecretActions(t.manifest, t.relative, { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) }, settings, ctx.ls.store)) {
      const action: CodeAction = { title: a.title, kind: a.kind, edit: { changes: { [doc.uri]: toTextEdits(ctx, doc, a.edits) } } };
      if (a.kind === 'quickfix') {
        const e = a.edits[0];
        const d = diagnostics.find((x) => x.code === 'secret-invalid-base64' && doc.offsetAt(x.range.start) <= e.end && doc.offsetAt(x.range.end) >= e.start);
        if (d) action.diagnostics = [d];
      }
      if (a.isPreferred) action.isPreferred = true;
      out.push({ action, carriesSecret: true });
    }
  }
  return out;
}

export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract, CodeActionKind.Source];

export function toTextEdits(ctx: ServerContext, doc: TextDocument, edits: OffsetEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: ctx.range(doc, e.start, e.end), newText: e.newText }));
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** What a listed action whose edit waits for codeAction/resolve carries: enough to compute it again. */
export interface ResolveData {
  kubeManifestsResolve: 1;
  uri: string;
  version: number;
  range: Range;
  title: string;
  kind: string;
}

function isResolveData(d: unknown): d is ResolveData {
  const x = d as Partial<ResolveData> | undefined;
  return Boolean(x && x.kubeManifestsResolve === 1 && typeof x.uri === 'string' && typeof x.version === 'number' && typeof x.title === 'string' && x.range);
}

/** A code action and whether its edit holds a Secret value. */
type Listed = { action: CodeAction; carriesSecret: boolean };

/** Every action for a range of a document, with its edit computed (listing and resolving share it). */
async function computeActions(ctx: ServerContext, doc: TextDocument, range: Range, diagnostics: Diagnostic[], only: string[] | undefined, token?: { isCancellationRequested: boolean }): Promise<Listed[] | null> {
  const settings = await ctx.settingsFor(doc.uri);
  if (token?.isCancellationRequested) return null;
  if (doc.getText().length > settings.maxFileSize) return null;
  const wanted = (kind: string | undefined) => !only || only.some((o) => kind === o || (kind ?? '').startsWith(o + '.'));
  if (ctx.isChartFile(doc.uri)) return chartActions(ctx, doc, diagnostics, range, settings).filter((a) => wanted(a.action.kind));
  const file = ctx.fileOf(doc);
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const ours = diagnostics.filter((d) => d.source === 'kube-manifests');
  const matched: Array<{ problem: Problem; diagnostic: Diagnostic }> = [];
  if (ours.length) {
    for (const p of ctx.ls.validate(file, settings)) {
      const r = ctx.range(doc, p.start, p.end);
      const d = ours.find((x) => x.code === p.code && sameRange(x.range, r));
      if (d) matched.push({ problem: p, diagnostic: d });
    }
  }
  const entries = ctx.ls.codeActions(file, { start, end }, matched.map((m) => m.problem), settings);
  return entries
    .filter((e) => wanted(e.kind))
    .map((e: CodeActionEntry): Listed => {
      const action: CodeAction = { title: e.title, kind: e.kind };
      if (e.edits.length) action.edit = { changes: { [doc.uri]: toTextEdits(ctx, doc, e.edits) } };
      if (e.problem) {
        const m = matched.find((x) => x.problem === e.problem);
        action.diagnostics = [m ? m.diagnostic : toDiagnostic(ctx, doc, e.problem)];
      }
      if (e.isPreferred) action.isPreferred = true;
      if (e.command) action.command = { title: e.command.title, command: e.command.command, arguments: e.command.arguments };
      return { action, carriesSecret: Boolean(e.carriesSecret) };
    });
}

export const registerCodeActions: FeatureRegistration = (ctx) => {
  const caps = (ctx as ServerContext & { clientCapabilities?: ClientCapabilities }).clientCapabilities;
  // The client resolves actions and lets the server fill `edit` then (else every edit is sent with the list).
  const lazy = Boolean(caps?.textDocument?.codeAction?.dataSupport && caps.textDocument.codeAction.resolveSupport?.properties?.includes('edit'));
  ctx.connection.onCodeAction(async (params, token) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return null;
    const listed = await computeActions(ctx, doc, params.range, params.context.diagnostics, params.context.only, token);
    if (!listed) return null;
    return listed.map(({ action, carriesSecret }) => {
      if (!lazy || !carriesSecret || !action.edit) return action;
      const data: ResolveData = { kubeManifestsResolve: 1, uri: doc.uri, version: doc.version, range: params.range, title: action.title, kind: action.kind ?? '' };
      const { edit: _edit, ...rest } = action;
      void _edit;
      return { ...rest, data };
    });
  });
  // The edit of an action listed without it, computed now from the document's current text.
  ctx.connection.onCodeActionResolve(async (action) => {
    const data = action.data;
    if (!isResolveData(data)) return action;
    const doc = ctx.documents.get(data.uri);
    // Closed or changed since the list: the edit would be for a text that is gone.
    if (!doc || doc.version !== data.version) return action;
    const listed = await computeActions(ctx, doc, data.range, action.diagnostics ?? [], undefined);
    const same = listed?.find((l) => l.action.title === data.title && (l.action.kind ?? '') === data.kind);
    if (!same?.action.edit) return action;
    return { ...action, edit: same.action.edit };
  });
  return { codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: true } };
};
