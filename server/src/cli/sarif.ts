/** SARIF 2.1.0 output of the CLI, for code-scanning tools. */
import { allRules, ruleMeta } from '../rules/index';
import type { CliResult } from './main';
import { VERSION } from '../version';

const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(results: CliResult[]): unknown {
  const used = new Set<string>();
  for (const r of results) for (const p of r.problems) used.add(p.code);
  const rules = allRules()
    .filter((m) => used.has(m.id))
    .map((m) => ({
      id: m.id,
      shortDescription: { text: m.title },
      fullDescription: { text: m.why },
      defaultConfiguration: { level: LEVEL[m.severity] },
    }));
  for (const id of used) {
    if (!ruleMeta(id)) rules.push({ id, shortDescription: { text: id }, fullDescription: { text: id }, defaultConfiguration: { level: 'error' } });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kube-manifests', version: VERSION, informationUri: 'https://github.com/kube-manifests/kube-manifests', rules } },
        results: results.flatMap((r) =>
          r.problems.map((p) => ({
            ruleId: p.code,
            level: LEVEL[p.severity],
            message: { text: p.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.path === '<stdin>' ? 'stdin' : r.path.split('\\').join('/') },
                  region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}
