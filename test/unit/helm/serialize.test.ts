/**
 * The serialization functions (funcs/serialize.ts) and the behaviours of goyaml.ts, gojson.ts and
 * gotoml.ts that templates rely on most, written out. Every expected text was observed from Go
 * 1.19 with Debian's gopkg.in/yaml.v2 2.4.0 / yaml.v3 3.0.1 / ghodss/yaml / BurntSushi/toml 1.2.0
 * running Helm's pkg/engine/funcs.go functions (the big tables are in serialize-go.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeFuncs } from '../../../server/src/helm/funcs/serialize';
import { deterministicEnv } from '../../../server/src/helm/funcs/env';
import { marshalJSON, unmarshalJSON } from '../../../server/src/helm/gojson';
import { fromYaml, fromYamlArray, readValues, toYaml, toYamlPretty } from '../../../server/src/helm/goyaml';
import { decodeToml, encodeToml } from '../../../server/src/helm/gotoml';
import { FuncDef, FuncMap, GoError, GoFloat32, GoInt, GoMap, GoPanic, GoStruct, Value, elemType, int } from '../../../server/src/helm/value';

function funcs(): FuncMap {
  const m: FuncMap = new Map();
  serializeFuncs(m, deterministicEnv());
  return m;
}

function call(name: string, ...args: Value[]): Value {
  const f = funcs().get(name) as FuncDef;
  return f.fn(...args);
}

test('readValues: YAML 1.1 types, every number a float64, keys made strings, timestamps kept as text', () => {
  const v = readValues(
    'replicaCount: 1\nbig: 10000000\nmode: 0644\nhex: 0x1F\non: yes\nflag: off\nwhen: 2001-12-14\nhuge: 1e400\nsep: 1_000\n' +
      'keys:\n  1: a\n  1.5: b\n  true: c\n  0.1234567891: d\n',
  );
  assert.deepStrictEqual(v, {
    replicaCount: 1,
    big: 10000000,
    mode: 420,
    hex: 31,
    // `on` is a YAML 1.1 boolean, and a boolean key becomes "true".
    true: true,
    flag: false,
    when: '2001-12-14',
    // Out of float64's range: not a float for go-yaml, so a string.
    huge: '1e400',
    sep: 1000,
    // Float keys are printed with float32 precision.
    keys: { '1': 'a', '1.5': 'b', true: 'c', '0.12345679': 'd' },
  });
  // toYaml prints whole floats as integers (the JSON step), not 1e+07 as %v would.
  assert.equal(
    toYaml(v),
    'big: 10000000\nflag: false\nhex: 31\nhuge: 1e400\nkeys:\n  "0.12345679": d\n  "1": a\n  "1.5": b\n  "true": c\nmode: 420\nreplicaCount: 1\nsep: 1000\n"true": true\nwhen: "2001-12-14"',
  );
});

test('readValues: merge keys override earlier keys and are overridden by later ones; the later duplicate wins', () => {
  const v = readValues('base: &b {x: 1, y: 2}\nlater:\n  <<: *b\n  x: 9\nearlier:\n  x: 9\n  <<: *b\ndup: 1\ndup: 2\n');
  assert.deepStrictEqual(v, {
    base: { x: 1, true: 2 },
    later: { x: 9, true: 2 },
    earlier: { x: 1, true: 2 },
    dup: 2,
  });
});

test('readValues: errors read as Helm reports them', () => {
  assert.deepStrictEqual(readValues(''), {});
  assert.deepStrictEqual(readValues('# only a comment\n'), {});
  assert.throws(() => readValues('- a\n- b\n'), {
    name: 'GoError',
    message: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type common.Values',
  });
  assert.throws(() => readValues('a: 1\nb:\n  c: 2\n d: 3\n'), { message: 'error converting YAML to JSON: yaml: line 3: did not find expected key' });
  assert.throws(() => readValues('a: 1\nb: c: d\n'), { message: 'error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context' });
  assert.throws(() => readValues('a:\n\t- b\n'), { message: 'error converting YAML to JSON: yaml: line 2: found character that cannot start any token' });
  assert.throws(() => readValues('~: x\n'), { message: 'error converting YAML to JSON: Unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"' });
  assert.throws(() => readValues('a: .nan\n'), { message: 'error converting YAML to JSON: json: unsupported value: NaN' });
  assert.throws(() => readValues('a: *x\n'), { message: "error converting YAML to JSON: yaml: unknown anchor 'x' referenced" });
  // Only the first document is read (a broken second one goes unnoticed).
  assert.deepStrictEqual(readValues('a: 1\n---\nb: c: d\n'), { a: 1 });
});

test('readValues: a 2000-line values file reads in a few milliseconds', () => {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    lines.push(`section${i}:`, `  enabled: ${i % 2 === 0}`, `  image: {repository: "repo/x${i}", tag: "1.${i}"}`, `  ports:`, `  - 80${i % 10}`);
  }
  const text = lines.join('\n');
  readValues(text);
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) readValues(text);
  const ms = (performance.now() - t0) / 10;
  // About 1 ms on a laptop; generous for a shared CI machine.
  assert.ok(ms < 50, `readValues took ${ms.toFixed(1)} ms`);
});

test('toYaml: go-yaml v2 layout and quoting', () => {
  const v: GoMap = {
    image: { repository: 'nginx', tag: '1.25' },
    ports: [{ name: 'http', containerPort: int(80) }],
    args: ['--flag', 'true', '1', 'yes', ''],
    script: 'echo a\necho b\n',
    empty: {},
    none: [],
    nil: null,
    emoji: 'hi 😀',
    long: 'aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss',
  };
  assert.equal(
    toYaml(v),
    'args:\n- --flag\n- "true"\n- "1"\n- "yes"\n- ""\nemoji: "hi \\U0001F600"\nempty: {}\nimage:\n  repository: nginx\n  tag: "1.25"\n' +
      'long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp\n  qqqq rrrr ssss\nnil: null\nnone: []\n' +
      'ports:\n- containerPort: 80\n  name: http\nscript: |\n  echo a\n  echo b',
  );
  // Numbers: JSON then YAML.
  assert.equal(toYaml({ n: 10000000, f: 1234567.5, g: 1e21, s: 1e-7 }), 'f: 1.2345675e+06\ng: 1e+21\n"n": 10000000\ns: 1e-07');
  // Keys in go-yaml's natural order.
  assert.equal(toYaml({ a10: 1, a2: 2, a1: 3 }), 'a1: 3\na2: 2\na10: 1');
  assert.equal(toYaml(NaN), '');
  assert.equal(toYaml(null), 'null');
});

test('toYamlPretty: yaml.v3, sequences indented, floats in %g form, old booleans quoted', () => {
  assert.equal(toYamlPretty({ n: 10000000, list: ['a'], f: 1.5 }), 'f: 1.5\nlist:\n  - a\n"n": 1e+07');
});

test('toJson: HTML escaping, U+2028, ES6 float forms; NaN is an error', () => {
  const v: GoMap = { html: '<a>&</a>', ls: '\u2028', f: [1e21, 1e-7, 10000000, 0.1, new GoFloat32(Math.fround(0.1))], b: new Uint8Array([104, 105]) };
  assert.equal(marshalJSON(v), '{"b":"aGk=","f":[1e+21,1e-7,10000000,0.1,0.1],"html":"\\u003ca\\u003e\\u0026\\u003c/a\\u003e","ls":"\\u2028"}');
  assert.equal(marshalJSON(v, { escapeHTML: false }), '{"b":"aGk=","f":[1e+21,1e-7,10000000,0.1,0.1],"html":"<a>&</a>","ls":"\\u2028"}');
  assert.equal(
    marshalJSON({ f: [1, 2], e: [] }, { indent: '  ' }),
    '{\n  "e": [],\n  "f": [\n    1,\n    2\n  ]\n}',
  );
  assert.throws(() => marshalJSON({ n: NaN }), { message: 'json: unsupported value: NaN' });
  assert.throws(() => unmarshalJSON('{"a": x}'), { message: "invalid character 'x' looking for beginning of value" });
  assert.throws(() => unmarshalJSON('[1, 2'), { message: 'unexpected end of JSON input' });
});

test('a struct marshals through jsonValue', () => {
  class Meta extends GoStruct {
    readonly goType = '*chart.Metadata';
    override jsonValue(): Value {
      return { name: 'echo', version: '0.1.0' };
    }
  }
  assert.equal(toYaml(new Meta()), 'name: echo\nversion: 0.1.0');
  assert.equal(marshalJSON({ chart: new Meta() }), '{"chart":{"name":"echo","version":"0.1.0"}}');
});

test('toToml and fromToml: BurntSushi layout, int64 and []map values, error texts', () => {
  assert.equal(
    encodeToml({
      name: 'x',
      replicas: int(3),
      ratio: 1,
      image: { tag: '1.0', pull: { policy: 'Always' } },
      ports: [{ port: int(80) }, { port: int(443) }],
      list: [1, 'a'],
    }),
    'list = [1.0, "a"]\nname = "x"\nratio = 1.0\nreplicas = 3\n\n[image]\n  tag = "1.0"\n  [image.pull]\n    policy = "Always"\n\n[[ports]]\n  port = 80\n\n[[ports]]\n  port = 443\n',
  );
  assert.throws(() => encodeToml('str'), { message: 'toml: top-level values must be Go maps or structs' });
  const m = decodeToml('a = 1\nb = [1, 2]\n[t]\nc = "x"\n[[arr]]\nd = 1.5\n');
  assert.deepStrictEqual(m.a, new GoInt(1n, 'int64'));
  assert.deepStrictEqual(m.t, { c: 'x' });
  assert.equal(elemType(m.arr as Value[]), 'map[string]interface {}');
  assert.deepStrictEqual([...(m.arr as Value[])], [{ d: 1.5 }]);
  assert.throws(() => decodeToml('a = 1\na = 2\n'), { message: `toml: line 2 (last key "a"): Key 'a' has already been defined.` });
});

test('the family: Go signatures as Helm registers them', () => {
  const m = funcs();
  const sig = (name: string): string => {
    const f = m.get(name)!;
    return `${f.params.join(',')} -> ${f.result}${f.returnsError ? ', error' : ''}`;
  };
  assert.equal(sig('toYaml'), 'interface {} -> string');
  assert.equal(sig('fromYaml'), 'string -> map[string]interface {}');
  assert.equal(sig('fromYamlArray'), 'string -> []interface {}');
  assert.equal(sig('fromJson'), 'string -> map[string]interface {}');
  assert.equal(sig('fromJsonArray'), 'string -> []interface {}');
  assert.equal(sig('mustFromJson'), 'string -> interface {}, error');
  assert.equal(sig('mustToPrettyJson'), 'interface {} -> string, error');
  assert.equal(sig('toToml'), 'interface {} -> string');
  assert.equal(sig('fromToml'), 'string -> map[string]interface {}');
  for (const name of ['toYaml', 'mustToYaml', 'toYamlPretty', 'toJson', 'mustToJson', 'toPrettyJson', 'toRawJson', 'mustToRawJson', 'mustToToml']) {
    assert.ok(m.has(name), name);
  }
});

test('the family: errors become "", {Error}, [msg], the text, or a panic, each as Helm does it', () => {
  assert.equal(call('toYaml', { a: NaN }), '');
  assert.throws(() => call('mustToYaml', { a: NaN }), (e: unknown) => e instanceof GoPanic && e.message === 'error marshaling into JSON: json: unsupported value: NaN');
  assert.equal(call('toJson', NaN), '');
  assert.throws(() => call('mustToJson', NaN), GoPanic);
  assert.throws(() => call('toRawJson', NaN), GoPanic);
  assert.throws(() => call('mustToRawJson', NaN), GoError);
  assert.equal(call('toPrettyJson', NaN), '');
  assert.equal(call('toRawJson', { a: '<b>' }), '{"a":"<b>"}');
  assert.equal(call('toToml', 'str'), 'toml: top-level values must be Go maps or structs');
  assert.deepStrictEqual(call('fromJson', '{"a": 1, "b": [true, null]}'), { a: 1, b: [true, null] });
  assert.deepStrictEqual(call('fromJson', '{"a": x}'), { Error: "invalid character 'x' looking for beginning of value" });
  assert.deepStrictEqual(call('fromJsonArray', '{}'), ['json: cannot unmarshal object into Go value of type []interface {}']);
  assert.deepStrictEqual(call('mustFromJson', 'null'), null);
  assert.throws(() => call('mustFromJson', '[1,'), { message: 'unexpected end of JSON input' });
  assert.deepStrictEqual(call('fromToml', 'a = 1\na = 2\n'), { Error: `toml: line 2 (last key "a"): Key 'a' has already been defined.` });
  assert.deepStrictEqual(fromYamlArray('a: 1'), [
    'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}',
  ]);
  assert.deepStrictEqual(fromYaml('- 1'), {
    Error: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
  });
  assert.deepStrictEqual(call('fromYaml', 'a: [1, b]'), { a: [1, 'b'] });
});
