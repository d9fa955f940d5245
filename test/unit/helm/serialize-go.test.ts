/**
 * goyaml.ts, gojson.ts and gotoml.ts against tables observed from Go. Every expectation in
 * fixtures/serialize-*.json was printed by a throwaway Go program built with Go 1.19 and the
 * Debian 12 packages of the reference renderer (gopkg.in/yaml.v2 2.4.0, gopkg.in/yaml.v3 3.0.1,
 * github.com/ghodss/yaml for sigs.k8s.io/yaml, github.com/BurntSushi/toml 1.2.0) running Helm's
 * pkg/engine/funcs.go functions and chartutil.ReadValues (with the values type named
 * `main.Values` there). Inputs are curated edge cases plus fixed-seed random strings over
 * YAML's special characters, mutated windows of real values files and random nested values;
 * cases where Go itself is not deterministic (go-yaml's key order is not transitive for keys like
 * "014", "0x10", "6", and Go starts from a random map order) were left out.
 *
 * Typed values in the fixtures: {"$float": "1.5"} is a float64 (Go's 'g' text), {"$int": "1"} an
 * int, {"$int64"}, {"$uint64"}, {"$f32"} a float32, {"$bytes": base64} a []byte, {"$strs": [...]}
 * a []string, {"$nil": true} nil, {"$maps": [...]} a []map[string]interface {}, {"$other": "T %v"}.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { formatFloat } from '../../../server/src/helm/fmt';
import { marshalJSON, unmarshalJSON, unmarshalJSONInto } from '../../../server/src/helm/gojson';
import { fromYaml, fromYamlArray, mustToYaml, readValues, toYaml, toYamlPretty } from '../../../server/src/helm/goyaml';
import { decodeToml, encodeToml } from '../../../server/src/helm/gotoml';
import { elemType, GoError, GoFloat32, GoInt, GoMap, GoStruct, goSlice, isGoMap, Value } from '../../../server/src/helm/value';

const FIX = join(ROOT, 'test/unit/helm/fixtures');

function fixture<T>(name: string): T[] {
  return (JSON.parse(readFileSync(join(FIX, `serialize-${name}.json`), 'utf8')) as { cases: T[] }).cases;
}

function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Our value in the fixtures' tagged form. */
function typed(v: Value): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return { $float: formatFloat(v) };
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof GoInt) return { [`$${v.t}`]: v.v.toString() };
  if (Array.isArray(v)) return elemType(v) === 'map[string]interface {}' ? { $maps: v.map(typed) } : v.map(typed);
  if (v instanceof GoStruct) return { $other: `${v.goType} ${v.format()}` };
  if (isGoMap(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setKey(o, k, typed(v[k]));
    return o;
  }
  return { $other: String(v) };
}

/** A fixture input as our value. */
function untag(v: unknown): Value {
  if (Array.isArray(v)) return v.map(untag);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0][0] === '$') {
      const s = o[keys[0]] as string;
      switch (keys[0]) {
        case '$int':
          return new GoInt(BigInt(s), 'int');
        case '$int64':
          return new GoInt(BigInt(s), 'int64');
        case '$uint64':
          return new GoInt(BigInt(s), 'uint64');
        case '$f32':
          return new GoFloat32(Math.fround(Number(s)));
        case '$float':
          return s === 'NaN' ? NaN : s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s);
        case '$bytes':
          return new Uint8Array(Buffer.from(s, 'base64'));
        case '$strs':
          return goSlice((o[keys[0]] as string[]).slice(), 'string');
        case '$nil':
          return null;
      }
    }
    const m: GoMap = {};
    for (const k of keys) setKey(m as Record<string, unknown>, k, untag(o[k]));
    return m;
  }
  return v as Value;
}

function readTyped(text: string): { out?: unknown; err?: string; yaml?: string } {
  try {
    const v = readValues(text, 'main.Values');
    return { out: typed(v), yaml: toYaml(v) };
  } catch (e) {
    if (e instanceof GoError) return { err: e.message };
    throw e;
  }
}

interface ReadCase {
  input: string;
  out?: unknown;
  err?: string;
  yaml?: string;
}

test('readValues and toYaml of what it read: YAML 1.1 scalars, keys, merges, anchors and error texts (observed from Go)', () => {
  const failures: string[] = [];
  for (const c of fixture<ReadCase>('yaml-read')) {
    const got = readTyped(c.input);
    const want = c.err !== undefined ? { err: c.err } : { out: c.out, yaml: c.yaml };
    try {
      assert.deepStrictEqual(got, want);
    } catch {
      failures.push(`${JSON.stringify(c.input)}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`);
    }
  }
  assert.deepStrictEqual(failures.slice(0, 10), []);
});

test('fromYaml and fromYamlArray put the error text in the result (observed from Go)', () => {
  for (const c of fixture<{ op: string; input: string; out: unknown }>('yaml-from')) {
    const got = c.op === 'fromYaml' ? typed(fromYaml(c.input)) : typed(fromYamlArray(c.input));
    assert.deepStrictEqual(got, c.out, `${c.op} ${JSON.stringify(c.input)}`);
  }
});

interface StrCase {
  input: string;
  root: string;
  val: string;
  key: string;
  seq: string;
  deep: string;
}

function stringForms(s: string, f: (v: Value) => string): Omit<StrCase, 'input'> {
  return { root: f(s), val: f({ k: s }), key: f({ [s]: 'v' }), seq: f([s, [s]]), deep: f({ a: [{ bb: { c: s } }] }) };
}

test('toYaml of strings: quoting, literal blocks, folding at 80 columns, escapes (observed from Go)', () => {
  const failures: string[] = [];
  for (const c of fixture<StrCase>('yaml-strings')) {
    const { input, ...want } = c;
    const got = stringForms(input, toYaml);
    try {
      assert.deepStrictEqual(got, want);
    } catch {
      failures.push(`${JSON.stringify(input)}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`);
    }
  }
  assert.deepStrictEqual(failures.slice(0, 10), []);
});

test('toYamlPretty of strings: yaml.v3 quoting and indented sequences (observed from Go)', () => {
  const failures: string[] = [];
  for (const c of fixture<StrCase>('yaml-pretty-strings')) {
    const { input, ...want } = c;
    const got = stringForms(input, toYamlPretty);
    try {
      assert.deepStrictEqual(got, want);
    } catch {
      failures.push(`${JSON.stringify(input)}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`);
    }
  }
  assert.deepStrictEqual(failures.slice(0, 10), []);
});

interface ValueCase {
  op: 'toYaml' | 'toYamlPretty' | 'toJson';
  input: unknown;
  out?: string;
  err?: string;
  pretty?: string;
  raw?: string;
}

function runValueCase(c: ValueCase): Omit<ValueCase, 'op' | 'input'> {
  const v = untag(c.input);
  if (c.op === 'toYamlPretty') return { out: toYamlPretty(v) };
  if (c.op === 'toYaml') {
    const r: Omit<ValueCase, 'op' | 'input'> = { out: toYaml(v) };
    try {
      mustToYaml(v);
    } catch (e) {
      if (!(e instanceof GoError)) throw e;
      r.err = e.message;
    }
    return r;
  }
  try {
    return { out: marshalJSON(v), pretty: marshalJSON(v, { indent: '  ' }), raw: marshalJSON(v, { escapeHTML: false }) };
  } catch (e) {
    if (e instanceof GoError) return { err: e.message };
    throw e;
  }
}

test('toYaml, toYamlPretty and toJson of typed values: numbers, bytes, nesting, key order (observed from Go)', () => {
  const failures: string[] = [];
  for (const c of fixture<ValueCase>('values')) {
    const { op, input, ...want } = c;
    const got = runValueCase(c);
    try {
      assert.deepStrictEqual(got, want);
    } catch {
      failures.push(`${op} ${JSON.stringify(input)}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`);
    }
  }
  assert.deepStrictEqual(failures.slice(0, 10), []);
});

test('fromJson, fromJsonArray and json.Unmarshal: values and Go syntax error texts (observed from Go)', () => {
  for (const c of fixture<{ input: string; out: unknown; arr: unknown; any?: unknown; err?: string }>('json-decode')) {
    const m = unmarshalJSONInto(c.input, 'map');
    const mm = m.value as GoMap;
    if (m.err !== undefined) mm.Error = m.err;
    assert.deepStrictEqual(typed(mm), c.out, `fromJson ${JSON.stringify(c.input)}`);
    const a = unmarshalJSONInto(c.input, 'array');
    assert.deepStrictEqual(typed(a.err !== undefined ? [a.err] : a.value), c.arr, `fromJsonArray ${JSON.stringify(c.input)}`);
    if (c.err !== undefined) assert.throws(() => unmarshalJSON(c.input), { message: c.err }, JSON.stringify(c.input));
    else assert.deepStrictEqual(typed(unmarshalJSON(c.input)), c.any, JSON.stringify(c.input));
  }
});

test('toToml and fromToml: encoder layout and BurntSushi error texts (observed from Go)', () => {
  for (const c of fixture<{ op: string; input: unknown; out: unknown }>('toml')) {
    if (c.op === 'toToml') {
      let got: string;
      try {
        got = encodeToml(untag(c.input));
      } catch (e) {
        if (!(e instanceof GoError)) throw e;
        got = e.message;
      }
      assert.equal(got, c.out, `toToml ${JSON.stringify(c.input)}`);
    } else {
      let got: Value;
      try {
        got = decodeToml(c.input as string);
      } catch (e) {
        if (!(e instanceof GoError)) throw e;
        got = { Error: e.message };
      }
      assert.deepStrictEqual(typed(got), c.out, `fromToml ${JSON.stringify(c.input)}`);
    }
  }
});

/** JSON with sorted keys, as the fixture generator hashed it (Python's json.dumps(sort_keys=True)). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort((a, b) => {
      const x = Array.from(a, (c) => c.codePointAt(0)!);
      const y = Array.from(b, (c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    });
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

const SHARED = join(ROOT, '..', 'shared');

test('the shared charts and manifests: readValues, toYaml and toYamlPretty as Go gives them', { skip: !existsSync(SHARED) && 'needs ../shared' }, () => {
  for (const c of fixture<{ file: string; err?: string; values?: string; toYaml?: string; toYamlPretty?: string; toYamlText?: string; fromYamlArray: string }>('charts')) {
    const text = readFileSync(join(SHARED, c.file), 'utf8');
    if (c.err !== undefined) {
      assert.throws(() => readValues(text, 'main.Values'), { message: c.err }, c.file);
    } else {
      const v = readValues(text, 'main.Values');
      assert.equal(hash(canonical(typed(v))), c.values, `${c.file} values`);
      const y = toYaml(v);
      if (c.toYamlText !== undefined) assert.equal(y, c.toYamlText, `${c.file} toYaml`);
      assert.equal(hash(y), c.toYaml, `${c.file} toYaml`);
      assert.equal(hash(toYamlPretty(v)), c.toYamlPretty, `${c.file} toYamlPretty`);
    }
    assert.equal(hash(canonical(typed(fromYamlArray(text)))), c.fromYamlArray, `${c.file} fromYamlArray`);
  }
});
