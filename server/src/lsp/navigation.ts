/**
 * textDocument/definition, references, prepareRename and rename over the
 * workspace index: offsets from the service, converted to positions here (for
 * files that are not open, from their text on disk).
 */
import { LSPErrorCodes, ResponseError, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { LineIndex } from '../model/text';
import { FeatureRegistration } from './context';
import { textOf, toLocations } from './workspace';

export const registerNavigation: FeatureRegistration = (ctx) => {
  const { connection, documents } = ctx;

  connection.onDefinition((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    return toLocations(ctx, ctx.ls.definition(ctx.fileOf(doc), doc.offsetAt(params.position)));
  });

  connection.onReferences((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    return toLocations(ctx, ctx.ls.references(ctx.fileOf(doc), doc.offsetAt(params.position), params.context.includeDeclaration));
  });

  connection.onPrepareRename((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const r = ctx.ls.prepareRename(ctx.fileOf(doc), doc.offsetAt(params.position));
    if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    return { range: ctx.range(doc, r.start, r.end), placeholder: r.placeholder };
  });

  connection.onRenameRequest((params): WorkspaceEdit => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { changes: {} };
    const texts = new Map<string, string | undefined>();
    const read = (uri: string): string | undefined => {
      if (!texts.has(uri)) texts.set(uri, textOf(ctx, uri));
      return texts.get(uri);
    };
    const r = ctx.ls.rename(ctx.fileOf(doc), doc.offsetAt(params.position), params.newName, read);
    if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    const changes: Record<string, TextEdit[]> = {};
    for (const [uri, edits] of Object.entries(r.edits)) {
      const open = documents.get(uri);
      const text = open ? undefined : read(uri);
      if (!open && text === undefined) continue;
      const lines = open ? undefined : new LineIndex(text!);
      changes[uri] = edits.map((e) => ({
        range: open ? ctx.range(open, e.start, e.end) : { start: lines!.positionAt(e.start), end: lines!.positionAt(e.end) },
        newText: e.newText,
      }));
    }
    return { changes };
  });

  return { definitionProvider: true, referencesProvider: true, renameProvider: { prepareProvider: true } };
};
