/**
 * The chart model of valuesRefs.ts (templates, values files and subcharts with their aliases and
 * conditions) built from the last chart check, keyed by that check's result so it is built once
 * per check. Paths are chart-relative (`charts/db/templates/x.yaml`).
 */
import type { LoadedChart } from '../../helm/chart';
import type { ChartCheckResult } from './chartCheck';
import type { ChartModel } from './valuesRefs';

const models = new WeakMap<ChartCheckResult, ChartModel>();

export function chartModelOf(result: ChartCheckResult, textOf: (rel: string) => string | undefined): ChartModel | undefined {
  const memo = models.get(result);
  if (memo) return memo;
  const root = result.prepared?.chart;
  if (!root) return undefined;
  const build = (c: LoadedChart, dir: string): ChartModel => {
    const values = textOf(`${dir}values.yaml`);
    const deps = c.metadata.Dependencies.filter((d): d is NonNullable<typeof d> => d !== null);
    return {
      dir,
      name: c.metadata.Name,
      alias: c.name !== c.metadata.Name ? c.name : undefined,
      templates: [...result.parsed].filter(([p]) => p.startsWith(`${dir}templates/`)).map(([path, parsed]) => ({ path, parsed })),
      valuesFiles: values !== undefined ? [{ path: `${dir}values.yaml`, text: values }] : [],
      subcharts: c.subcharts.filter((s) => s.source && !s.source.endsWith('.tgz')).map((s) => build(s, `${dir}${s.source}/`)),
      dependencyNames: deps.map((d) => d.Alias || d.Name),
      conditions: deps.flatMap((d) => (d.Condition ? d.Condition.split(',').map((x) => x.trim()) : [])),
    };
  };
  const model = build(root, '');
  models.set(result, model);
  return model;
}
