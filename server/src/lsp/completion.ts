/** textDocument/completion: converts the service's entries into LSP items. */
import { CompletionItem, CompletionItemKind, InsertTextFormat, InsertTextMode, LSPErrorCodes, MarkupKind, ResponseError } from 'vscode-languageserver';
import { CompletionEntry } from '../features/completion';
import { FeatureRegistration } from './context';
import { completeTemplate, FunctionDocs } from '../features/helm/templateAssist';
import { functionCompletionDetail, functionHoverMarkdown } from '../features/helm/functionDocs';
import { completeChartYaml } from '../features/helm/chartYaml';
import { completeValuesFile } from '../features/helm/valuesCompletion';
import { isValuesFilePath } from '../features/helm/valuesScope';

/** Function documentation for templates (signature, description, example, chart notes). */
export const FUNCTION_DOCS: FunctionDocs = { detail: functionCompletionDetail, markdown: functionHoverMarkdown };

const KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  class: CompletionItemKind.Class,
  module: CompletionItemKind.Module,
};

export const registerCompletion: FeatureRegistration = (ctx) => {
  ctx.connection.onCompletion(async (params, token) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await ctx.settingsFor(doc.uri);
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    const offset = doc.offsetAt(params.position);
    const chart = ctx.isChartFile(doc.uri) ? ctx.chartOf(doc.uri) : undefined;
    let entries: CompletionEntry[];
    if (chart && chart.relative === 'Chart.yaml') {
      entries = completeChartYaml(ctx.fileOf(doc), offset, { kubernetesVersion: settings.kubernetesVersion });
    } else if (chart && /(^|\/)templates\//.test(chart.relative)) {
      entries = completeTemplate({ path: chart.relative, text: doc.getText(), result: chart.result, textOf: chart.textOf }, offset, ctx.ls, settings, FUNCTION_DOCS);
    } else {
      // The template trigger characters mean nothing in a plain manifest or a values file.
      const trigger = params.context?.triggerCharacter;
      if (trigger === '.' || trigger === '$' || trigger === '"') return null;
      entries = chart && isValuesFilePath(chart.relative)
        ? completeValuesFile({ path: chart.relative, file: ctx.fileOf(doc), result: chart.result, textOf: chart.textOf }, offset)
        : ctx.ls.complete(ctx.fileOf(doc), offset, settings);
    }
    return {
      isIncomplete: false,
      items: entries.map((e): CompletionItem => {
        const item: CompletionItem = {
          label: e.label,
          kind: KIND[e.kind],
          detail: e.detail,
          textEdit: { range: ctx.range(doc, e.range.start, e.range.end), newText: e.insertText },
          insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          insertTextMode: InsertTextMode.asIs,
        };
        if (e.documentation) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
        if (e.sortText) item.sortText = e.sortText;
        if (e.filterText) item.filterText = e.filterText;
        if (e.preselect) item.preselect = true;
        if (e.skeleton) item.data = { skeleton: true };
        if (e.retrigger && ctx.isVSCode) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
        return item;
      }),
    };
  });
  return { completionProvider: { triggerCharacters: [' ', ':', '-', '.', '$', '"'], resolveProvider: false } };
};
