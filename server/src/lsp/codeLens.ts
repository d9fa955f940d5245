/**
 * textDocument/codeLens: blue/green traffic lenses on Services; ranges converted at the edge. In a
 * chart's template, the lenses of the Services it renders (the pair's Deployments may come from any
 * template of the chart), whose switch edits the template or the values file in use.
 */
import { CodeLens } from 'vscode-languageserver';
import { SWITCH_TRAFFIC_COMMAND } from '../features/codeLens';
import { templateTrafficLenses } from '../features/helm/renderedFeatures';
import { templateContextOf } from './charts';
import { FeatureRegistration } from './context';

export const registerCodeLens: FeatureRegistration = (ctx) => {
  ctx.connection.onCodeLens(async (params, token) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await ctx.settingsFor(doc.uri);
    if (token.isCancellationRequested || doc.getText().length > settings.maxFileSize) return null;
    if (ctx.isChartFile(doc.uri)) {
      const t = templateContextOf(ctx, doc.uri);
      if (!t) return [];
      return templateTrafficLenses(t.manifest, t.relative, t.valueFiles, t.textOf).map(
        (l): CodeLens => ({
          range: ctx.range(doc, l.start, l.end),
          command: { title: l.title, command: l.switchTo ? SWITCH_TRAFFIC_COMMAND : '', arguments: l.switchTo ? [doc.uri, l.at, l.switchTo] : undefined },
        }),
      );
    }
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
