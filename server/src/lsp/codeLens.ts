/** textDocument/codeLens: blue/green traffic lenses on Services; ranges converted at the edge. */
import { CodeLens } from 'vscode-languageserver';
import { FeatureRegistration } from './context';

export const registerCodeLens: FeatureRegistration = (ctx) => {
  ctx.connection.onCodeLens(async (params, token) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await ctx.settingsFor(doc.uri);
    if (token.isCancellationRequested || doc.getText().length > settings.maxFileSize) return null;
    return ctx.ls.codeLenses(ctx.fileOf(doc), settings).map(
      (l): CodeLens => ({
        range: ctx.range(doc, l.start, l.end),
        // a lens without a command informs only (an empty command id shows as plain text)
        command: { title: l.title, command: l.command?.command ?? '', arguments: l.command?.arguments },
      }),
    );
  });
  return { codeLensProvider: { resolveProvider: false } };
};
