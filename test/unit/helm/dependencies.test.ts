/**
 * Tests of processDependencies (server/src/helm/dependencies.ts): conditions, tags, aliases and
 * import-values. fixtures/values-dependencies.json holds chart trees (Helm's own testdata chart
 * `subpop` and small trees of ours) and user values, with what Helm v4's ProcessDependencies
 * followed by CoalesceValues (helm/helm main e9b85e4, compiled with Go 1.19 and Masterminds/semver)
 * left: the enabled chart tree in order, each chart's dependency entries, the coalesced values, and
 * the slog warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { isCompatibleRange, processDependencies, slogLine } from '../../../server/src/helm/dependencies';
import { coalesceValues, Dependency, ValuesChart } from '../../../server/src/helm/values';
import { GoError, GoInt, GoMap, Value, isGoMap } from '../../../server/src/helm/value';
import { formatFloat } from '../../../server/src/helm/fmt';

interface GoDep {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  alias?: string;
  'import-values'?: Value[];
}
interface Tree {
  name: string;
  version: string;
  values: GoMap | null;
  charts: Tree[];
  dependencies: GoDep[] | null;
}
interface Dump {
  name: string;
  charts: Dump[] | null;
  dependencies: { name: string; enabled: boolean; importValues: Value[] | null }[] | null;
}
interface Case {
  chart: Tree | 'subpop';
  values: GoMap;
  expect: { result?: unknown; error?: string; logs: string[]; chart: Dump };
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test/unit/helm/fixtures/values-dependencies.json'), 'utf8')) as {
  charts: { subpop: Tree };
  cases: Case[];
};

function chartOf(t: Tree): ValuesChart {
  return {
    name: t.name,
    version: t.version,
    values: t.values ?? {},
    subcharts: t.charts.map(chartOf),
    dependencies: t.dependencies?.map(
      (d): Dependency => ({
        name: d.name,
        version: d.version,
        repository: d.repository,
        condition: d.condition,
        tags: d.tags,
        alias: d.alias,
        importValues: d['import-values'],
      }),
    ),
  };
}

function dump(c: ValuesChart): unknown {
  return {
    name: c.name,
    charts: c.subcharts.map(dump),
    dependencies: (c.dependencies ?? []).map((d) => ({ name: d.name, enabled: d.enabled ?? false, importValues: d.importValues?.length ? d.importValues : null })),
  };
}

function normalize(d: Dump): unknown {
  return {
    name: d.name,
    charts: (d.charts ?? []).map(normalize),
    dependencies: (d.dependencies ?? []).map((x) => ({ name: x.name, enabled: x.enabled, importValues: x.importValues })),
  };
}

function tag(v: Value): unknown {
  if (v instanceof GoInt) return { [`$${v.t}`]: v.v.toString() };
  if (typeof v === 'number') return { $float64: formatFloat(v) };
  if (Array.isArray(v)) return v.map(tag);
  if (isGoMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = tag(v[k]);
    return out;
  }
  return v;
}

test('processDependencies: every fixture case gives the charts, values and warnings Helm gives', () => {
  assert.ok(fixture.cases.length >= 40);
  for (const [i, c] of fixture.cases.entries()) {
    const tree = c.chart === 'subpop' ? fixture.charts.subpop : c.chart;
    const chart = chartOf(tree);
    const before = JSON.stringify(chart);
    const logs: string[] = [];
    const warn = (m: string): void => void logs.push(m);
    const label = `case ${i}`;
    let error: string | undefined;
    let result: unknown;
    try {
      const processed = processDependencies(chart, c.values, { warn });
      assert.deepEqual(dump(processed), normalize(c.expect.chart), `${label}: chart tree`);
      result = tag(coalesceValues(processed, c.values, warn));
    } catch (e) {
      if (!(e instanceof GoError)) throw e;
      error = e.message;
    }
    assert.equal(error, c.expect.error, label);
    if (error === undefined) assert.deepEqual(result, c.expect.result, `${label}: values`);
    assert.deepEqual(logs.sort(), c.expect.logs, `${label}: warnings`);
    assert.equal(JSON.stringify(chart), before, `${label}: the input chart was changed`);
  }
});

test('processDependencies: subpop imports as Helm documents them', () => {
  // Helm's TestProcessDependencyImportValues expectations, a few of them.
  const chart = chartOf(fixture.charts.subpop);
  const v = coalesceValues(processDependencies(chart, {}), {});
  const get = (path: string): Value => path.split('.').reduce<Value>((m, k) => (isGoMap(m) ? m[k] : undefined), v);
  assert.equal(get('imported-chart1.SPextra1'), 'helm rocks');
  assert.equal(get('imported-chart1.SC1bool'), true);
  assert.equal(get('overridden-chart1.SC1bool'), false);
  assert.equal(get('overridden-chart1.SC1int'), 99);
  assert.equal(get('imported-chartA-B.SC1extra5'), 'tiller');
  assert.equal(get('SCBexported1B'), 1965);
  assert.equal(get('global.SC1exported2.all.SC1exported3'), 'SC1expstr');
  assert.ok(isGoMap(v.subchart1));
  assert.equal(v.subchart2, undefined);
});

test('processDependencies: a dependency without a version matches nothing', () => {
  const chart: ValuesChart = {
    name: 'p',
    values: {},
    subcharts: [{ name: 'a', version: '1.0.0', values: { x: 1 }, subcharts: [] }],
    dependencies: [{ name: 'a', alias: 'b' }],
  };
  // Unmatched, the loaded chart is kept under its own name (as Helm does: no alias applied).
  assert.deepEqual(processDependencies(chart, {}).subcharts.map((c) => c.name), ['a']);
  const versioned: ValuesChart = { ...chart, dependencies: [{ name: 'a', version: '1.0.0', alias: 'b' }] };
  assert.deepEqual(processDependencies(versioned, {}).subcharts.map((c) => c.name), ['b']);
  // A disabled dependency also removes an unmatched loaded chart of the same name.
  const disabled: ValuesChart = { ...chart, values: { a: { on: false } }, dependencies: [{ name: 'a', condition: 'a.on' }] };
  assert.deepEqual(processDependencies(disabled, {}).subcharts.map((c) => c.name), []);
});

test('isCompatibleRange is Masterminds semver (observed from Go: github.com/Masterminds/semver NewConstraint/Check)', () => {
  assert.equal(isCompatibleRange('', '1.2.3'), false); // improper constraint
  assert.equal(isCompatibleRange('*', '1.2.3'), true);
  assert.equal(isCompatibleRange('*', '1.2.4-beta'), false);
  assert.equal(isCompatibleRange('*', 'v0.0.0'), true);
  assert.equal(isCompatibleRange('1.x', '1.2.3'), true);
  assert.equal(isCompatibleRange('1.x', '2.0.0'), false);
  assert.equal(isCompatibleRange('>=1.0.0', '1.2.4-beta'), false);
  assert.equal(isCompatibleRange('~1.2.3', '1.2.3'), true);
  assert.equal(isCompatibleRange('^1.2.3', '2.0.0'), false);
  assert.equal(isCompatibleRange('1.2.3', ''), false); // Invalid Semantic Version
});

test('processDependencies: the default version check is semver', () => {
  const chart: ValuesChart = {
    name: 'p',
    values: {},
    subcharts: [{ name: 'a', version: '1.4.0', values: {}, subcharts: [] }],
    dependencies: [{ name: 'a', version: '~1.4', alias: 'b' }],
  };
  assert.deepEqual(processDependencies(chart, {}).subcharts.map((c) => c.name), ['b']);
});

test('slogLine quotes like slog.TextHandler', () => {
  assert.equal(slogLine('WARN', 'returned non-bool value', [['path', 'a.b'], ['chart', 'x']]), 'level=WARN msg="returned non-bool value" path=a.b chart=x');
  assert.equal(slogLine('WARN', 'm', [['error', '"x" is not a table'], ['e', '']]), 'level=WARN msg=m error="\\"x\\" is not a table" e=""');
});
