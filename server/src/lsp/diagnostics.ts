/**
 * Diagnostics, pushed: each open document is re-checked on the next tick after
 * it opens or changes (a burst of changes is checked once, at its last
 * version). Only the `---` sections whose text changed are re-checked.
 */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Problem } from '../types';
import { FeatureRegistration, ServerContext } from './context';
import { ruleDocUrl } from './ruleDocs';
import { PROFILING, profiler } from './profile';
import { timed, timedRest } from '../timings';

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(ctx: ServerContext, doc: TextDocument, p: Problem): Diagnostic {
  const d: Diagnostic = {
    range: ctx.range(doc, p.start, p.end),
    severity: SEVERITY[p.severity],
    code: p.code,
    source: 'kube-manifests',
    message: p.message,
  };
  const href = ruleDocUrl(p.code);
  if (href) d.codeDescription = { href };
  if (p.unnecessary) d.tags = [DiagnosticTag.Unnecessary];
  if (p.data) d.data = p.data;
  return d;
}

export const registerDiagnostics: FeatureRegistration = (ctx) => {
  const { connection, documents } = ctx;
  const pending = new Map<string, NodeJS.Immediate>();

  async function validate(doc: TextDocument): Promise<void> {
    if (PROFILING) profiler.checkStarts(doc.uri);
    const settings = await ctx.settingsFor(doc.uri);
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return; // a newer version is on its way
    if (PROFILING) profiler.settled(doc.uri);
    let diagnostics: Diagnostic[];
    if (doc.getText().length > settings.maxFileSize) {
      diagnostics = [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Information,
          code: 'file-too-large',
          source: 'kube-manifests',
          message: `This file is larger than kubeManifests.maxFileSize (${settings.maxFileSize} bytes), so it is not checked as you type. Raise the setting to check it.`,
        },
      ];
    } else {
      const file = timedRest('parse: the rest', () => ctx.fileOf(doc));
      const problems = timedRest('check: cross-file references and the rest', () => ctx.ls.validate(file, settings));
      diagnostics = timed('diagnostics: offsets to LSP', () => problems.map((p) => toDiagnostic(ctx, doc, p)));
    }
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    if (PROFILING) profiler.publishing(doc.uri);
    ctx.didValidate(doc.uri);
  }

  function schedule(doc: TextDocument): void {
    if (ctx.isChartFile(doc.uri)) return; // lsp/charts.ts checks the files of a chart as rendered
    const prev = pending.get(doc.uri);
    if (prev) clearImmediate(prev);
    pending.set(
      doc.uri,
      setImmediate(() => {
        pending.delete(doc.uri);
        const latest = documents.get(doc.uri);
        if (latest) validate(latest).catch((e) => ctx.logError('validation', doc.uri, e));
      }),
    );
  }

  ctx.onRevalidate(() => {
    for (const doc of documents.all()) schedule(doc);
  });
  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    const p = pending.get(e.document.uri);
    if (p) clearImmediate(p);
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  return {};
};
