/**
 * textDocument/definition, references, prepareRename and rename over the
 * workspace index: offsets from the service, converted to positions here (for
 * files that are not open, from their text on disk).
 */
import { Location, LSPErrorCodes, ResponseError, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import * as path from 'path';
import { defineDefinition, defineNameAt, defineReferences, variableDefinition } from '../features/helm/templateNav';
import { pathToUri } from '../node/workspaceScanner';
import { LineIndex } from '../model/text';
import { FeatureRegistration } from './context';
import { textOf, toLocations } from './workspace';

export const registerNavigation: FeatureRegistration = (ctx) => {
  const { connection, documents } = ctx;

  /** Chart-relative locations to LSP locations (files of the chart that are not open: from the chart's texts). */
  const chartLocations = (chart: NonNullable<ReturnType<typeof ctx.chartOf>>, locs: Array<{ path: string; start: number; end: number }>): Location[] =>
    locs.flatMap((l) => {
      const uri = pathToUri(path.join(chart.root, ...l.path.split('/')));
      const open = documents.get(uri);
      const text = open ? open.getText() : chart.textOf(l.path);
      if (text === undefined) return [];
      const lines = new LineIndex(text);
      return [{ uri, range: { start: lines.positionAt(l.start), end: lines.positionAt(l.end) } }];
    });
  const templateChart = (uri: string) => {
    const chart = ctx.isChartFile(uri) ? ctx.chartOf(uri) : undefined;
    return chart && /(^|\/)templates\//.test(chart.relative) ? chart : undefined;
  };

  connection.onDefinition((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const chart = templateChart(doc.uri);
    if (chart) {
      const offset = doc.offsetAt(params.position);
      const name = defineNameAt(doc.getText(), offset);
      if (name) return chartLocations(chart, defineDefinition(chart.result.parsed, name.name));
      const v = variableDefinition(doc.getText(), offset);
      if (v) return chartLocations(chart, [{ path: chart.relative, ...v }]);
      return null;
    }
    return toLocations(ctx, ctx.ls.definition(ctx.fileOf(doc), doc.offsetAt(params.position)));
  });

  connection.onReferences((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const chart = templateChart(doc.uri);
    if (chart) {
      const name = defineNameAt(doc.getText(), doc.offsetAt(params.position));
      return name ? chartLocations(chart, defineReferences(chart.result.parsed, name.name, params.context.includeDeclaration)) : null;
    }
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
