/**
 * Tests of the `--set` parsers (server/src/helm/strvals.ts) against what Helm's own pkg/strvals
 * does. fixtures/values-strvals.json holds inputs and the results and errors observed from Helm
 * v4's pkg/strvals (helm/helm main e9b85e4) built with Go 1.19: a throwaway Go program ran
 * strvals.ParseInto / ParseIntoString / ParseJSON / ParseLiteralInto / ParseIntoFile (with a
 * reader returning "FILE:" + path) on each input and printed the map, with int64 and float64
 * values tagged ({"$int64": "1"}, {"$float64": "1.5"}).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { parseSet, parseSetFile, parseSetJson, parseSetLiteral, parseSetString, goQuote, MAX_INDEX } from '../../../server/src/helm/strvals';
import { GoError, GoInt, GoMap, Value, isGoMap } from '../../../server/src/helm/value';
import { formatFloat } from '../../../server/src/helm/fmt';

interface Case {
  mode: 'set' | 'string' | 'json' | 'literal' | 'file';
  input: string;
  into?: GoMap;
  result: unknown;
  error?: string;
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test/unit/helm/fixtures/values-strvals.json'), 'utf8')) as { cases: Case[] };

/** Our values in the fixture's tagged form. */
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

function untagNilSlices(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untagNilSlices);
  if (v && typeof v === 'object') {
    if ('$nilslice' in v) return [];
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = untagNilSlices(x);
    return out;
  }
  return v;
}

function run(c: Case): { result: GoMap; error?: string } {
  const into: GoMap = c.into ? structuredClone(c.into) : {};
  try {
    switch (c.mode) {
      case 'set':
        parseSet(c.input, into);
        break;
      case 'string':
        parseSetString(c.input, into);
        break;
      case 'json':
        parseSetJson(c.input, into);
        break;
      case 'literal':
        parseSetLiteral(c.input, into);
        break;
      case 'file':
        parseSetFile(c.input, into, (p) => 'FILE:' + p);
        break;
    }
  } catch (e) {
    assert.ok(e instanceof GoError, `${c.mode} ${c.input}: threw ${e}`);
    return { result: into, error: e.message };
  }
  return { result: into };
}

test('strvals: every fixture case gives the result and error Helm gives', () => {
  assert.ok(fixture.cases.length > 150);
  for (const c of fixture.cases) {
    const got = run(c);
    const label = `${c.mode} ${JSON.stringify(c.input)}`;
    assert.equal(got.error, c.error, label);
    assert.deepEqual(tag(got.result), untagNilSlices(c.result), label);
  }
});

test('strvals: typed values of --set', () => {
  const m = parseSet('a=1,b=-7,c=true,d=FALSE,e=null,f=007,g=1.5,h=9223372036854775808,i=0');
  assert.deepEqual(m.a, new GoInt(1n, 'int64'));
  assert.deepEqual(m.b, new GoInt(-7n, 'int64'));
  assert.equal(m.c, true);
  assert.equal(m.d, false);
  assert.equal(m.e, null);
  assert.equal(m.f, '007');
  assert.equal(m.g, '1.5');
  assert.equal(m.h, '9223372036854775808');
  assert.deepEqual(m.i, new GoInt(0n, 'int64'));
});

test('strvals: the list index limit', () => {
  // Observed from Go: a[65536]=1 gives a list of 65537 items, nil up to the last.
  const m = parseSet(`a[${MAX_INDEX}]=1`);
  const a = m.a as Value[];
  assert.equal(a.length, 65537);
  assert.equal(a[0], null);
  assert.deepEqual(a[65536], new GoInt(1n, 'int64'));
  assert.throws(() => parseSet('a[65537]=1'), { message: 'index of 65537 is greater than maximum supported index of 65536' });
});

test('strvals: keys named __proto__ are ordinary keys', () => {
  const m = parseSet('__proto__.x=1,a.__proto__=2');
  assert.deepEqual(Object.keys(m), ['__proto__', 'a']);
  assert.ok(isGoMap(m.__proto__));
  assert.deepEqual((m.a as GoMap)['__proto__'], new GoInt(2n, 'int64'));
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
});

test('strvals: set-file reader errors are the error', () => {
  assert.throws(
    () =>
      parseSetFile('a=missing', {}, (p) => {
        throw new GoError(`open ${p}: no such file or directory`);
      }),
    { message: 'open missing: no such file or directory' },
  );
});

test('strvals: goQuote is strconv.Quote', () => {
  assert.equal(goQuote('a"b\\c\n\t\x01é\u00ad'), '"a\\"b\\\\c\\n\\t\\x01é\\u00ad"');
});

test('strvals: long values', () => {
  const long = 'x'.repeat(300000);
  assert.equal(parseSet(`a=${long}`).a, long);
  assert.equal(parseSetLiteral(`a=${long},b`).a, long + ',b');
});
