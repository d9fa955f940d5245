/**
 * The "extract to a value" refactor of chart templates (features/helm/extractValue.ts) as LSP code
 * actions: one WorkspaceEdit for the template and the chart's values.yaml.
 */
import { CodeAction, CodeActionKind, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'path';
import { extractValueActions } from '../features/helm/extractValue';
import { pathToUri } from '../node/workspaceScanner';
import { ServerContext } from './context';

type Chart = NonNullable<ReturnType<ServerContext['chartOf']>>;

export function extractValueCodeActions(ctx: ServerContext, doc: TextDocument, chart: Chart, range: Range): CodeAction[] {
  if (!/(^|\/)templates\//.test(chart.relative)) return [];
  const found = extractValueActions({ path: chart.relative, text: doc.getText(), result: chart.result, textOf: chart.textOf }, doc.offsetAt(range.start), doc.offsetAt(range.end));
  return found.map((a) => {
    const uri = pathToUri(path.join(chart.root, ...a.valuesFile.split('/')));
    const target = ctx.documents.get(uri) ?? TextDocument.create(uri, 'yaml', 0, chart.textOf(a.valuesFile) ?? '');
    return {
      title: a.title,
      kind: CodeActionKind.RefactorExtract,
      edit: {
        changes: {
          [doc.uri]: a.template.map((e) => ({ range: ctx.range(doc, e.start, e.end), newText: e.newText })),
          [uri]: a.values.map((e) => ({ range: ctx.range(target, e.start, e.end), newText: e.newText })),
        },
      },
    };
  });
}
