/**
 * textDocument/definition, references, prepareRename and rename over the
 * workspace index: offsets from the service, converted to positions here (for
 * files that are not open, from their text on disk).
 */
import { Location, LSPErrorCodes, ResponseError, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import * as path from 'path';
import { defineDefinition, defineNameAt, defineReferences, variableDefinition } from '../features/helm/templateNav';
import { chartModelOf } from '../features/helm/chartModel';
import { definitionOfRead, referencesOfKey, renameValue } from '../features/helm/valuesRefs';
import { pathToUri } from '../node/workspaceScanner';
import { LineIndex } from '../model/text';
import { FeatureRegistration } from './context';
import { textOf, toLocations } from './workspace';
import { chartManifestNavigation } from './charts';

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
  /** A chart's template or values file, with the model of its values reads. */
  const valuesChart = (uri: string) => {
    const chart = ctx.isChartFile(uri) ? ctx.chartOf(uri) : undefined;
    if (!chart || !/(^|\/)(templates\/|values[^/]*\.ya?ml$)/.test(chart.relative)) return undefined;
    const model = chartModelOf(chart.result, chart.textOf);
    return model ? { chart, model } : undefined;
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
      const vc = valuesChart(doc.uri);
      const keys = vc ? definitionOfRead(vc.model, chart.relative, offset) : [];
      return keys.length ? chartLocations(chart, keys) : chartManifestNavigation(ctx, doc.uri, offset, 'definition'); // lsp/charts.ts: to plain files and other templates
    }
    return toLocations(ctx, ctx.ls.definition(ctx.fileOf(doc), doc.offsetAt(params.position)));
  });

  connection.onReferences((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const chart = templateChart(doc.uri);
    const offset = doc.offsetAt(params.position);
    if (chart) {
      const name = defineNameAt(doc.getText(), offset);
      if (name) return chartLocations(chart, defineReferences(chart.result.parsed, name.name, params.context.includeDeclaration));
    }
    const vc = valuesChart(doc.uri);
    if (vc) {
      // From a values key, or from a read in a template (through the key it reads).
      let locs = /(^|\/)templates\//.test(vc.chart.relative) ? [] : referencesOfKey(vc.model, vc.chart.relative, offset);
      if (!locs.length && chart) {
        const key = definitionOfRead(vc.model, chart.relative, offset)[0];
        if (key) locs = referencesOfKey(vc.model, key.path, key.start);
      }
      if (!params.context.includeDeclaration) locs = locs.filter((l) => /(^|\/)templates\//.test(l.path));
      if (locs.length || !chart) return chartLocations(vc.chart, locs);
    }
    if (chart) return chartManifestNavigation(ctx, doc.uri, offset, 'references', params.context.includeDeclaration); // lsp/charts.ts
    return toLocations(ctx, ctx.ls.references(ctx.fileOf(doc), doc.offsetAt(params.position), params.context.includeDeclaration));
  });

  connection.onPrepareRename((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const vc = valuesChart(doc.uri);
    if (vc) {
      // A dry run of the rename tells whether there is a values key here.
      const offset = doc.offsetAt(params.position);
      const r = renameValue(vc.model, { path: vc.chart.relative, offset }, 'renamed');
      if ('error' in r && /valid|already/.test(r.error) === false) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
      const own = 'edits' in r ? r.edits.find((e) => e.path === vc.chart.relative && e.start <= offset && offset <= e.end) : undefined;
      if (!own) throw new ResponseError(LSPErrorCodes.RequestFailed, 'Nothing to rename here: put the cursor on a values key or on a key of a .Values read.');
      return { range: ctx.range(doc, own.start, own.end), placeholder: doc.getText().slice(own.start, own.end) };
    }
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
    const vc = valuesChart(doc.uri);
    if (vc) {
      const rv = renameValue(vc.model, { path: vc.chart.relative, offset: doc.offsetAt(params.position) }, params.newName);
      if ('error' in rv) throw new ResponseError(LSPErrorCodes.RequestFailed, rv.error);
      const changes: Record<string, TextEdit[]> = {};
      for (const e of rv.edits) {
        const uri = pathToUri(path.join(vc.chart.root, ...e.path.split('/')));
        const open = documents.get(uri);
        const text = open ? open.getText() : vc.chart.textOf(e.path);
        if (text === undefined) continue;
        const lines = new LineIndex(text);
        (changes[uri] ??= []).push({ range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.newText });
      }
      return { changes };
    }
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
