/** textDocument/hover: markdown from the service, range converted at the edge. */
import { Hover, MarkupKind } from 'vscode-languageserver';
import { FeatureRegistration } from './context';
import { hoverTemplate } from '../features/helm/templateAssist';
import { hoverValuesFile } from '../features/helm/valuesAssist';
import { hoverChartYaml } from '../features/helm/chartYaml';
import { isValuesFilePath } from '../features/helm/valuesScope';
import { FUNCTION_DOCS } from './completion';

export const registerHover: FeatureRegistration = (ctx) => {
  ctx.connection.onHover(async (params, token): Promise<Hover | null> => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await ctx.settingsFor(doc.uri);
    if (token.isCancellationRequested) return null;
    const offset = doc.offsetAt(params.position);
    const chart = ctx.isChartFile(doc.uri) ? ctx.chartOf(doc.uri) : undefined;
    const h =
      chart && /(^|\/)templates\//.test(chart.relative)
        ? hoverTemplate({ path: chart.relative, text: doc.getText(), result: chart.result, textOf: chart.textOf }, offset, ctx.ls, settings, FUNCTION_DOCS)
        : chart && chart.relative === 'Chart.yaml'
          ? hoverChartYaml(ctx.fileOf(doc), offset, { kubernetesVersion: settings.kubernetesVersion })
          : chart && isValuesFilePath(chart.relative)
          ? hoverValuesFile(chart.result, chart.relative, doc.getText(), offset, chart.textOf)
          : ctx.ls.hover(ctx.fileOf(doc), offset, settings);
    if (!h) return null;
    return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: ctx.range(doc, h.range.start, h.range.end) };
  });
  return { hoverProvider: true };
};
