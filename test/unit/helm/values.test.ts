/**
 * Tests of values coalescing and merging (server/src/helm/values.ts). The fixture
 * fixtures/values-coalesce.json holds chart trees and user values, with the results, errors and
 * warnings observed from Helm v4's own coalesce.go (helm/helm main e9b85e4) compiled with Go 1.19
 * against a minimal chart type (Helm's scenarios from coalesce_test.go plus our own).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import {
  coalesceTables,
  coalesceValues,
  formatBadBool,
  mergeChartValues,
  mergeMaps,
  mergeTables,
  mergeUserValues,
  pathValue,
  releaseObject,
  toRenderValues,
  ValuesChart,
} from '../../../server/src/helm/values';
import { GoError, GoInt, GoMap, Value, isGoMap } from '../../../server/src/helm/value';
import { formatFloat } from '../../../server/src/helm/fmt';

interface Tree {
  name: string;
  version: string;
  values: GoMap | null;
  charts: Tree[];
  dependencies: null;
}

interface Case {
  op: 'coalesce' | 'mergeValues' | 'coalesceTables' | 'mergeTables' | 'pathValue';
  chart?: Tree;
  values?: GoMap | null;
  dst?: GoMap;
  src?: GoMap;
  path?: string;
  expect: { result?: unknown; error?: string; logs: string[] };
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test/unit/helm/fixtures/values-coalesce.json'), 'utf8')) as { cases: Case[] };

function chartOf(t: Tree): ValuesChart {
  return { name: t.name, version: t.version, values: t.values ?? {}, subcharts: t.charts.map(chartOf) };
}

/** Our values in the fixture's tagged form. */
export function tag(v: Value): unknown {
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

test('coalescing: every fixture case gives the values, error and warnings Helm gives', () => {
  for (const [i, c] of fixture.cases.entries()) {
    const logs: string[] = [];
    const warn = (m: string): void => void logs.push(m);
    const label = `case ${i} (${c.op})`;
    let result: unknown;
    let error: string | undefined;
    const before = JSON.stringify(c);
    try {
      switch (c.op) {
        case 'coalesce':
          result = tag(coalesceValues(chartOf(c.chart!), c.values, warn));
          break;
        case 'mergeValues':
          result = tag(mergeChartValues(chartOf(c.chart!), c.values, warn));
          break;
        case 'coalesceTables':
          result = tag(coalesceTables(structuredClone(c.dst), structuredClone(c.src), warn) as GoMap);
          break;
        case 'mergeTables':
          result = tag(mergeTables(structuredClone(c.dst), structuredClone(c.src), warn) as GoMap);
          break;
        case 'pathValue': {
          const r = pathValue(c.values!, c.path!);
          if (r.found) result = tag(r.value);
          else error = `"${c.path!.split('.').pop()}" is not a value`;
          break;
        }
      }
    } catch (e) {
      assert.ok(e instanceof GoError, `${label}: ${e}`);
      error = e.message;
    }
    assert.equal(error, c.expect.error, label);
    if (c.expect.error === undefined) assert.deepEqual(result, 'result' in c.expect ? c.expect.result : undefined, label);
    assert.deepEqual(logs.sort(), c.expect.logs, label);
    assert.equal(JSON.stringify(c), before, `${label}: inputs were mutated`);
  }
});

test('coalescing: the fixture covers what it should', () => {
  const ops = new Set(fixture.cases.map((c) => c.op));
  assert.deepEqual([...ops].sort(), ['coalesce', 'coalesceTables', 'mergeTables', 'mergeValues', 'pathValue']);
  assert.ok(fixture.cases.filter((c) => c.expect.error?.startsWith('type mismatch')).length >= 4);
});

test('coalescing: the chart is not changed by coalescing', () => {
  const sub: ValuesChart = { name: 'sub', values: { a: { b: 1, n: null } }, subcharts: [] };
  const chart: ValuesChart = { name: 'p', values: { global: { g: { h: 1 } } }, subcharts: [sub] };
  const snapshot = JSON.stringify(chart);
  const v = coalesceValues(chart, { sub: { a: { c: 2 } }, global: { g: { i: 2 } } });
  assert.deepEqual(v, { global: { g: { h: 1, i: 2 } }, sub: { a: { b: 1, c: 2 }, global: { g: { h: 1, i: 2 } } } });
  assert.equal(JSON.stringify(chart), snapshot);
});

test('formatBadBool is fmt %t of a non-bool', () => {
  // Observed from Go 1.19: fmt.Sprintf("%t", x).
  assert.equal(formatBadBool('x'), '%!t(string=x)');
  assert.equal(formatBadBool(1), '%!t(float64=1)');
  assert.equal(formatBadBool(true), 'true');
  assert.equal(formatBadBool(null), '%!t(<nil>)');
  assert.equal(formatBadBool(['a', true]), '[%!t(string=a) true]');
  assert.equal(formatBadBool({ k: 'v' }), 'map[%!t(string=k):%!t(string=v)]');
  assert.equal(formatBadBool(new GoInt(3n, 'int64')), '%!t(int64=3)');
});

test('mergeMaps: later files win, maps merge, null replaces', () => {
  const a: GoMap = { x: { y: 1, z: 2 }, l: [1], s: 'a', m: { k: 1 } };
  const b: GoMap = { x: { y: 3 }, l: [2], m: null, n: { o: 1 } };
  assert.deepEqual(mergeMaps(a, b), { x: { y: 3, z: 2 }, l: [2], s: 'a', m: null, n: { o: 1 } });
  assert.deepEqual(a, { x: { y: 1, z: 2 }, l: [1], s: 'a', m: { k: 1 } });
});

test('mergeUserValues: -f files in order, then --set-json, --set, --set-string, --set-file, --set-literal', () => {
  const v = mergeUserValues({
    valueFiles: [
      { name: 'a.yaml', values: { image: { tag: 'a', repo: 'r' }, n: 1 } },
      { name: 'b.yaml', values: { image: { tag: 'b' } } },
    ],
    literalValues: ['lit=a,b=c'],
    fileValues: ['file=conf.txt'],
    stringValues: ['n=5'],
    values: ['n=4,image.pull=Always'],
    jsonValues: ['{"j": {"k": [1, 2]}, "n": 3}', 'j.l=true'],
    readFile: (p) => `content of ${p}`,
  });
  assert.deepEqual(v, {
    image: { tag: 'b', repo: 'r', pull: 'Always' },
    n: '5',
    j: { k: [1, 2], l: true },
    file: 'content of conf.txt',
    lit: 'a,b=c',
  });
});

test('mergeUserValues: the CLI wording of parse errors', () => {
  // From pkg/cli/values/options.go: --set-json hides the parser's error, the others wrap it.
  assert.throws(() => mergeUserValues({ values: ['a'] }), { message: 'failed parsing --set data: key "a" has no value' });
  assert.throws(() => mergeUserValues({ stringValues: ['a[x]=1'] }), {
    message: 'failed parsing --set-string data: error parsing index: strconv.Atoi: parsing "x": invalid syntax',
  });
  assert.throws(() => mergeUserValues({ literalValues: ['a.b'] }), { message: 'failed parsing --set-literal data: key "b" has no value' });
  assert.throws(() => mergeUserValues({ jsonValues: ['a=x'] }), { message: 'failed parsing --set-json data a=x' });
  assert.throws(() => mergeUserValues({ jsonValues: ['{"a": }'] }), { message: 'failed parsing --set-json data JSON: {"a": }' });
  assert.throws(() => mergeUserValues({ jsonValues: [' {"a": 1} x'] }), { message: 'failed parsing --set-json data JSON:  {"a": 1} x' });
  assert.throws(() => mergeUserValues({ fileValues: ['a=nope'], readFile: () => { throw new GoError('open nope: no such file or directory'); } }), {
    message: 'failed parsing --set-file data: open nope: no such file or directory',
  });
});

test('toRenderValues: Release, Values, and the schema hook', () => {
  const chart: ValuesChart = { name: 'c', values: { a: 1, b: { c: 2 } }, subcharts: [] };
  const top = toRenderValues(chart, { b: { d: 3 } }, { name: 'rel', namespace: 'ns', revision: 1, isInstall: true, isUpgrade: false });
  assert.deepEqual(top.Values, { a: 1, b: { c: 2, d: 3 } });
  assert.deepEqual(top.Release, releaseObject({ name: 'rel', namespace: 'ns', revision: 1, isInstall: true, isUpgrade: false }));
  assert.deepEqual((top.Release as GoMap).Revision, new GoInt(1n, 'int'));
  assert.equal((top.Release as GoMap).Service, 'Helm');
  assert.throws(
    () => toRenderValues(chart, {}, { name: 'r', namespace: 'n', revision: 1, isInstall: true, isUpgrade: false }, { validate: () => 'c:\n- at \'\': bad\n' }),
    { message: "values don't meet the specifications of the schema(s) in the following chart(s):\nc:\n- at '': bad\n" },
  );
  let called = false;
  toRenderValues(chart, {}, { name: 'r', namespace: 'n', revision: 1, isInstall: true, isUpgrade: false }, {
    skipSchemaValidation: true,
    validate: () => {
      called = true;
      return 'x';
    },
  });
  assert.equal(called, false);
});
