/** textDocument/hover: markdown from the service, range converted at the edge. */
import { Hover, MarkupKind } from 'vscode-languageserver';
import { FeatureRegistration } from './context';

export const registerHover: FeatureRegistration = (ctx) => {
  ctx.connection.onHover(async (params, token): Promise<Hover | null> => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await ctx.settingsFor(doc.uri);
    if (token.isCancellationRequested) return null;
    const h = ctx.ls.hover(ctx.fileOf(doc), doc.offsetAt(params.position), settings);
    if (!h) return null;
    return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: ctx.range(doc, h.range.start, h.range.end) };
  });
  return { hoverProvider: true };
};
