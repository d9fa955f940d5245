/**
 * The first check of a values schema (server/src/helm/valuesSchema.ts) is judged by the walk
 * alone when it can (what a one-shot `kube-manifests template` does: ajv is never compiled), later
 * checks by ajv first. Both ways must give the same text: the values' errors, or the schema's own
 * error (a schema ajv refuses to compile is refused on the first check too). Each schema is checked
 * from a cold cache, then again (ajv compiled), on the fixture's cases, on the shared charts'
 * schemas with their values mutated, and on those schemas broken in the ways ajv refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { validateAgainstSingleSchema } from '../../../server/src/helm/valuesSchema';
import { readValues } from '../../../server/src/helm/goyaml';
import { GoMap } from '../../../server/src/helm/value';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const SHARED = join(ROOT, '..', 'shared', 'helm-charts');
const fixture = JSON.parse(readFileSync(join(ROOT, 'test/unit/helm/fixtures/values-schema.json'), 'utf8')) as {
  cases: Array<{ schema: unknown; values: GoMap | null }>;
};

let fresh = 0;

/**
 * The first check of the schema, then the second and third (ajv first): all three texts. The
 * schema's text is made new by trailing whitespace (schemas are cached by their text), so ajv's
 * instances, and the metaschemas they compiled, are kept between schemas.
 */
function checks(values: GoMap, text: string): [string | undefined, string | undefined, string | undefined] {
  const schema = text + '\n'.repeat(1 + (fresh++ % 1000));
  const first = validateAgainstSingleSchema(values, schema);
  return [first, validateAgainstSingleSchema(values, schema), validateAgainstSingleSchema(values, schema)];
}

function assertSame(values: GoMap, schema: string, label: string): string | undefined {
  const [first, second, third] = checks(values, schema);
  assert.equal(first, second, `${label}: the first check differs from the next`);
  assert.equal(second, third, label);
  return first;
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every object of a schema that sits where a schema goes (below properties, items, allOf... not inside enum/const/default). */
function schemaObjects(root: Json): Array<{ [k: string]: Json }> {
  const out: Array<{ [k: string]: Json }> = [];
  const walk = (n: Json): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n !== null && typeof n === 'object') {
      out.push(n);
      for (const [k, v] of Object.entries(n)) if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') walk(v);
    }
  };
  walk(root);
  return out;
}

/** Ways to break a schema that its metaschema, or ajv alone, refuses (and a few it accepts). */
const BREAKS: Array<(s: { [k: string]: Json }) => void> = [
  (s) => (s.type = 'numbr'),
  (s) => (s.type = ['string', 'string']),
  (s) => (s.required = 'name'),
  (s) => (s.minimum = 'x'),
  (s) => (s.minLength = -1),
  (s) => (s.enum = []),
  (s) => (s.enum = 'a'),
  (s) => (s.pattern = '(unclosed'),
  (s) => (s.pattern = '^(?i)x$'),
  (s) => (s.patternProperties = { '[': {} }),
  (s) => (s.nullable = true),
  (s) => (s.id = 'x'),
  (s) => (s.$ref = 'other.json#/x'),
  (s) => (s.$ref = '#nope'),
  (s) => (s.$id = 'http://example.com/x#frag'),
  (s) => (s.items = 5),
  (s) => (s.properties = []),
  (s) => (s.additionalProperties = 'no'),
  (s) => (s.anyOf = []),
  (s) => (s.format = 5),
  (s) => (s.dependencies = { a: 5 }),
  (s) => (s.if = { type: 'string' }),
  (s) => (s.description = 7),
  (s) => (s.unknownKeyword = { type: 'nope' }),
];

test('values schemas: the first check of each fixture case reads as the later ones', () => {
  for (const [i, c] of fixture.cases.entries()) assertSame(c.values ?? {}, JSON.stringify(c.schema), `case ${i}`);
});

const charts = existsSync(SHARED)
  ? ['bitnami/nginx', 'bitnami/postgresql', 'bitnami/mariadb', 'cert-manager/cert-manager', 'prometheus-community/prometheus']
  : [];

test('values schemas: real charts, their values mutated, read the same on the first check', { skip: charts.length === 0 && 'no ../shared' }, () => {
  const random = rng(7);
  const odd: Json[] = ['x', -1, 1.5, true, null, [], {}, [1, 'a'], { bogus: 1 }, 1e6];
  let failing = 0;
  for (const c of charts) {
    const schema = readFileSync(join(SHARED, c, 'values.schema.json'), 'utf8');
    const defaults = readValues(readFileSync(join(SHARED, c, 'values.yaml'), 'utf8'));
    assert.equal(assertSame(defaults, schema, `${c} defaults`), undefined, c);
    for (let round = 0; round < 8; round++) {
      const values = readValues(readFileSync(join(SHARED, c, 'values.yaml'), 'utf8'));
      // One to three values replaced by odd ones, at paths the chart has.
      for (let m = 0; m < 1 + Math.floor(random() * 3); m++) {
        let at: GoMap = values;
        for (;;) {
          const keys = Object.keys(at);
          if (keys.length === 0) break;
          const k = keys[Math.floor(random() * keys.length)];
          const v = at[k];
          if (v !== null && typeof v === 'object' && !Array.isArray(v) && random() < 0.6) at = v as GoMap;
          else {
            at[k] = odd[Math.floor(random() * odd.length)] as GoMap[string];
            break;
          }
        }
      }
      if (assertSame(values, schema, `${c} round ${round}`) !== undefined) failing++;
    }
  }
  // The mutations do find mistakes (the comparison is not only of valid values).
  assert.ok(failing > 8, `${failing} mutated values failed`);
});

test('values schemas: a schema broken anywhere is refused (or accepted) on the first check as later', { skip: charts.length === 0 && 'no ../shared' }, () => {
  const random = rng(11);
  let refused = 0;
  let tried = 0;
  for (const c of charts) {
    const text = readFileSync(join(SHARED, c, 'values.schema.json'), 'utf8');
    const defaults = readValues(readFileSync(join(SHARED, c, 'values.yaml'), 'utf8'));
    for (const [b, breakIt] of BREAKS.entries()) {
      for (let k = 0; k < 1; k++) {
        const schema = JSON.parse(text) as Json;
        const nodes = schemaObjects(schema);
        breakIt(nodes[Math.floor(random() * nodes.length)]);
        const got = assertSame(defaults, JSON.stringify(schema), `${c} break ${b}`);
        tried++;
        if (got?.includes('is not valid against metaschema')) refused++;
      }
    }
  }
  assert.ok(refused > tried / 3, `${refused} of ${tried} broken schemas refused`);
});

test('values schemas: a property named like a keyword (default, examples, const) is still a schema on the first check', () => {
  const under = (name: string, sub: unknown) => JSON.stringify({ type: 'object', properties: { [name]: sub } });
  for (const name of ['default', 'examples', 'const', 'enum', 'x']) {
    // a pattern JavaScript cannot compile, a remote $ref: refused on the first check as on the next
    for (const sub of [{ type: 'string', pattern: '(' }, { $ref: 'other.json#/x' }]) {
      const first = assertSame({ [name]: 'v' } as GoMap, under(name, sub), `${name}: ${JSON.stringify(sub)}`);
      assert.ok(first, `${name}: ${JSON.stringify(sub)} is refused`);
    }
  }
});
