/**
 * textDocument/documentSymbol (an outline: `Kind name` per object, nested by
 * field), workspace/symbol (any object of the workspace by name) and
 * textDocument/foldingRange.
 */
import { DocumentSymbol, FoldingRange, SymbolInformation, SymbolKind } from 'vscode-languageserver';
import { DocumentSymbolEntry } from '../features/symbols';
import { FeatureRegistration } from './context';
import { defineSymbols, templateFolding } from '../features/helm/templateNav';
import { locator } from './workspace';

const KIND: Record<DocumentSymbolEntry['kind'], SymbolKind> = {
  object: SymbolKind.Class,
  field: SymbolKind.Field,
  list: SymbolKind.Array,
  value: SymbolKind.Property,
  item: SymbolKind.Object,
};

const OBJECT_KIND: Record<string, SymbolKind> = {
  Secret: SymbolKind.Key,
  ConfigMap: SymbolKind.Struct,
  Service: SymbolKind.Interface,
  ServiceAccount: SymbolKind.Constructor,
  Role: SymbolKind.Event,
  ClusterRole: SymbolKind.Event,
  Namespace: SymbolKind.Namespace,
};

export const registerSymbols: FeatureRegistration = (ctx) => {
  const { connection, documents } = ctx;

  connection.onDocumentSymbol((params): DocumentSymbol[] | null => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const convert = (e: DocumentSymbolEntry): DocumentSymbol => ({
      name: e.name || ' ',
      detail: e.detail,
      kind: KIND[e.kind],
      range: ctx.range(doc, e.start, e.end),
      selectionRange: ctx.range(doc, e.selectionStart, e.selectionEnd),
      children: e.children.map(convert),
    });
    const chart = ctx.isChartFile(doc.uri) ? ctx.chartOf(doc.uri) : undefined;
    const parsed = chart?.result.parsed.get(chart.relative);
    if (parsed) {
      return defineSymbols(parsed).map((d) => ({ name: d.name, detail: 'define', kind: SymbolKind.Function, range: ctx.range(doc, d.start, d.end), selectionRange: ctx.range(doc, d.selectionStart, d.selectionEnd) }));
    }
    return ctx.ls.documentSymbols(ctx.fileOf(doc)).map(convert);
  });

  connection.onWorkspaceSymbol((params): SymbolInformation[] => {
    const entries = ctx.ls.workspaceSymbols(params.query ?? '');
    const locate = locator(ctx);
    const out: SymbolInformation[] = [];
    for (const e of entries) {
      const loc = locate(e);
      if (loc) out.push({ name: e.name, kind: OBJECT_KIND[e.kind] ?? SymbolKind.Class, containerName: e.container, location: loc });
    }
    return out;
  });

  connection.onFoldingRanges((params): FoldingRange[] | null => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const file = ctx.fileOf(doc);
    const plain = ctx.ls.foldingRanges(file).map((f) => ({ startLine: f.startLine, endLine: f.endLine }));
    const chart = ctx.isChartFile(doc.uri) ? ctx.chartOf(doc.uri) : undefined;
    const parsed = chart?.result.parsed.get(chart.relative);
    if (!parsed || parsed.text !== doc.getText()) return plain;
    const seen = new Set(plain.map((f) => `${f.startLine}:${f.endLine}`));
    return [...plain, ...templateFolding(parsed, file.lines).filter((f) => !seen.has(`${f.startLine}:${f.endLine}`))];
  });

  return { documentSymbolProvider: true, workspaceSymbolProvider: true, foldingRangeProvider: true };
};
