/**
 * Tests of values.schema.json checks (server/src/helm/valuesSchema.ts). fixtures/values-schema.json
 * holds schemas and values with the text Helm v4's ValidateAgainstSingleSchema produced
 * (santhosh-tekuri/jsonschema v6, built with Go 1.19 in a throwaway harness). Go walks maps in
 * random order, so errors of sibling properties are compared as sets (`canonical`); everything
 * else — wording, nesting, locations, numbers — must match exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { compileSchema, printFloat, printInt, validateAgainstSchema, validateAgainstSingleSchema } from '../../../server/src/helm/valuesSchema';
import { readValues } from '../../../server/src/helm/goyaml';
import { mergeMaps, toRenderValues, ValuesChart } from '../../../server/src/helm/values';
import { GoInt, GoMap } from '../../../server/src/helm/value';

interface Case {
  schema: unknown;
  values: GoMap | null;
  go: string | null;
}
const fixture = JSON.parse(readFileSync(join(ROOT, 'test/unit/helm/fixtures/values-schema.json'), 'utf8')) as {
  cases: Case[];
  charts: { chart: string; mutations: Array<{ path: string[]; value?: unknown; delete?: true }>; go: string | null }[];
};
const SHARED = join(ROOT, '..', 'shared', 'helm-charts');

/** The error list with the children of each node sorted (Go's map order is random). */
function canonical(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const lines = text.replace(/\n$/, '').split('\n');
  if (!lines[0].startsWith('- ')) return text;
  interface N {
    line: string;
    kids: N[];
  }
  const root: N = { line: '', kids: [] };
  const stack: { depth: number; node: N }[] = [{ depth: -1, node: root }];
  for (const l of lines) {
    const depth = (l.length - l.trimStart().length) / 2;
    const node = { line: l.trim(), kids: [] };
    while (stack[stack.length - 1].depth >= depth) stack.pop();
    stack[stack.length - 1].node.kids.push(node);
    stack.push({ depth, node });
  }
  const render = (n: N, d: number): string => {
    const kids = n.kids.map((k) => render(k, d + 1)).sort();
    return (n.line ? '  '.repeat(d) + n.line + '\n' : '') + kids.join('');
  };
  return render(root, -1);
}

/** Additional properties are listed in Go's map order too: sort the names inside the message. */
function sortNames(s: string | null): string | null {
  return s && s.replace(/additional properties (.*) not allowed/g, (_m, names: string) => `additional properties ${names.split(', ').sort().join(', ')} not allowed`);
}

test('schemas: every fixture case gives the text Helm gives', () => {
  let exact = 0;
  for (const [i, c] of fixture.cases.entries()) {
    const got = validateAgainstSingleSchema(c.values ?? {}, JSON.stringify(c.schema)) ?? null;
    const label = `case ${i}: ${JSON.stringify(c.schema).slice(0, 120)}`;
    if (c.go?.includes('is not valid against metaschema')) {
      // Known difference: the schema's own errors are ajv's words after Helm's prefix.
      assert.ok(got?.startsWith('"file:///values.schema.json#" is not valid against metaschema: '), label);
      continue;
    }
    if (c.go?.includes('is not valid ipv4')) {
      // Known difference: formats are not asserted.
      assert.equal(got, null, label);
      continue;
    }
    assert.equal(canonical(sortNames(got)), canonical(sortNames(c.go)), label);
    if (got === c.go) exact++;
  }
  assert.ok(exact >= fixture.cases.length - 8, `${exact} exact of ${fixture.cases.length}`);
});

test('schemas: some texts exactly', () => {
  // Observed from Helm v4 / jsonschema v6.
  const s = JSON.stringify({ type: 'object', properties: { age: { type: 'integer', minimum: 0 } }, required: ['name'] });
  assert.equal(validateAgainstSingleSchema({ age: -5 }, s), "- at '': missing property 'name'\n- at '/age': minimum: got -5, want 0\n");
  assert.equal(validateAgainstSingleSchema({ name: 'x', age: 3 }, s), undefined);
  // int64 from --set is a number to the schema.
  assert.equal(validateAgainstSingleSchema({ name: 'x', age: new GoInt(-1n, 'int64') }, s), "- at '/age': minimum: got -1, want 0\n");
  const items = JSON.stringify({ type: 'object', properties: { data: { type: 'array', contains: { type: 'string' } } } });
  assert.equal(
    validateAgainstSingleSchema({ data: [1, 2] }, items),
    "- at '/data': no items match contains schema\n  - at '/data/0': got number, want string\n  - at '/data/1': got number, want string\n",
  );
  assert.equal(validateAgainstSingleSchema({}, '{"type": "object", "properties": {"a": {"$ref": "#/$defs/nope"}}}'), 'json-pointer in "file:///values.schema.json#/$defs/nope" not found');
  // jsonschema.UnmarshalJSON's errors (observed from Go).
  assert.equal(validateAgainstSingleSchema({}, '{"type": '), 'unexpected EOF');
  assert.equal(validateAgainstSingleSchema({}, '{"type": "object"} x'), 'invalid character after top-level value');
  assert.equal(validateAgainstSingleSchema({}, '{"type": "object",}'), "invalid character '}' looking for beginning of object key string");
});

test('schemas: numbers as x/text/message prints them', () => {
  // Observed from Go 1.19 + golang.org/x/text/message, language.English.
  assert.equal(printInt(1000), '1,000');
  assert.equal(printInt(-1234567), '-1,234,567');
  assert.equal(printFloat(12345.5), '12,345.5');
  assert.equal(printFloat(999999), '999,999');
  assert.equal(printFloat(1e6), '1\u202f×\u202f10⁰⁶');
  assert.equal(printFloat(-1.5e6), '-1.5\u202f×\u202f10⁰⁶');
  assert.equal(printFloat(1e-5), '1\u202f×\u202f10⁻⁰⁵');
  assert.equal(printFloat(1e100), '1\u202f×\u202f10¹⁰⁰');
  assert.equal(printFloat(0.0001), '0.0001');
  assert.equal(printFloat(3.141592653589793), '3.141592653589793');
});

test('schemas: a subchart is checked against its part of the values; the chart names head each block', () => {
  // Helm's TestValidateAgainstSchema: subchart with a draft-07 schema requiring age.
  const subSchema = JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Values',
    type: 'object',
    properties: { age: { description: 'Age', minimum: 0, type: 'integer' } },
    required: ['age'],
  });
  const sub: ValuesChart = { name: 'subchart', values: {}, subcharts: [], schema: subSchema };
  const chart: ValuesChart = { name: 'chrt', values: {}, subcharts: [sub] };
  assert.equal(validateAgainstSchema(chart, { name: 'John', subchart: {} }), "subchart:\n- at '': missing property 'age'\n");
  assert.equal(validateAgainstSchema(chart, { name: 'John' }), undefined);
  assert.equal(validateAgainstSchema(chart, { subchart: null }), undefined);
  assert.equal(validateAgainstSchema(chart, { subchart: 'x' }), 'subchart:\ninvalid type for values: expected object (map), got string\n');
  const both: ValuesChart = { ...chart, schema: '{"type": "object", "required": ["top"]}' };
  assert.equal(validateAgainstSchema(both, { subchart: { age: -1 } }), "chrt:\n- at '': missing property 'top'\nsubchart:\n- at '/age': minimum: got -1, want 0\n");
  // As toRenderValues words it.
  assert.throws(
    () => toRenderValues(both, { subchart: { age: 1 } }, { name: 'r', namespace: 'n', revision: 1, isInstall: true, isUpgrade: false }, { validate: validateAgainstSchema }),
    { message: "values don't meet the specifications of the schema(s) in the following chart(s):\nchrt:\n- at '': missing property 'top'\n" },
  );
});

test('schemas: compiled once', () => {
  const text = '{"type": "object", "properties": {"x": {"type": "string"}}}';
  assert.equal(compileSchema(text), compileSchema(text));
});

test('schemas: RE2 inline flags in patterns', () => {
  const s = JSON.stringify({ type: 'object', properties: { a: { type: 'string', pattern: '(?i)^abc$' } } });
  assert.equal(validateAgainstSingleSchema({ a: 'ABC' }, s), undefined);
  assert.equal(validateAgainstSingleSchema({ a: 'abd' }, s), "- at '/a': 'abd' does not match pattern '(?i)^abc$'\n");
});

const charts = existsSync(SHARED)
  ? ['bitnami/nginx', 'bitnami/postgresql', 'bitnami/mariadb', 'cert-manager/cert-manager', 'prometheus-community/prometheus', 'vendored/bitnami-nginx']
  : [];

test('schemas: every chart in ../shared accepts its default values and its ci/*.yaml', { skip: charts.length === 0 && 'no ../shared' }, () => {
  for (const c of charts) {
    const schema = readFileSync(join(SHARED, c, 'values.schema.json'), 'utf8');
    assert.equal(compileSchema(schema).error, undefined, c);
    const defaults = readValues(readFileSync(join(SHARED, c, 'values.yaml'), 'utf8'));
    assert.equal(validateAgainstSingleSchema(defaults, schema), undefined, c);
    const ci = join(SHARED, c, 'ci');
    if (!existsSync(ci)) continue;
    for (const f of readdirSync(ci)) {
      const v = mergeMaps(defaults, readValues(readFileSync(join(ci, f), 'utf8')));
      assert.equal(validateAgainstSingleSchema(v, schema), undefined, `${c} ci/${f}`);
    }
  }
});

test('schemas: mistakes in real charts read as Helm reads them', { skip: charts.length === 0 && 'no ../shared' }, () => {
  assert.ok(fixture.charts.length >= 5);
  for (const c of fixture.charts) {
    const name = c.chart.replace(/ mutated$/, '');
    const schema = readFileSync(join(SHARED, name, 'values.schema.json'), 'utf8');
    // The chart's own defaults with the fixture's mistakes made in them.
    const values = readValues(readFileSync(join(SHARED, name, 'values.yaml'), 'utf8'));
    for (const m of c.mutations) {
      let at: GoMap = values;
      for (const k of m.path.slice(0, -1)) at = at[k] as GoMap;
      const last = m.path[m.path.length - 1];
      if (m.delete) delete at[last];
      else at[last] = m.value as GoMap[string];
    }
    assert.equal(canonical(validateAgainstSingleSchema(values, schema)), canonical(c.go), c.chart);
  }
});
