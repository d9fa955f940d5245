/** textDocument/completion: converts the service's entries into LSP items. */
import { CompletionItem, CompletionItemKind, InsertTextFormat, InsertTextMode, LSPErrorCodes, MarkupKind, ResponseError } from 'vscode-languageserver';
import { CompletionEntry } from '../features/completion';
import { FeatureRegistration } from './context';

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
    const entries = ctx.ls.complete(ctx.fileOf(doc), doc.offsetAt(params.position), settings);
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
  return { completionProvider: { triggerCharacters: [' ', ':', '-'], resolveProvider: false } };
};
