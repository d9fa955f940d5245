/**
 * semver and semverCompare (Masterminds/semver v3.2.0 through sprig 3.2.3) against outputs
 * observed from Go 1.19 + sprig 3.2.3 (fixtures/sprig-strings-semver.json: every constraint of
 * a table against every version of a table, version parsing, and the methods templates call on
 * the result, e.g. `(semver "1.2.3").IncMinor`).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { FuncMap, GoError, GoStruct, Value, typeName } from '../../../server/src/helm/value';
import { formatV } from '../../../server/src/helm/fmt';
import { deterministicEnv } from '../../../server/src/helm/funcs/env';
import { parseConstraint, parseStrictVersion, parseVersion, semverFuncs } from '../../../server/src/helm/funcs/semver';

function root(): string {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

interface Case {
  fn: string;
  args: string[];
  method?: string;
  nargs?: number;
  out?: string;
  type?: string;
  err?: string;
}

const fixture: { cases: Case[] } = JSON.parse(fs.readFileSync(path.join(root(), 'test/unit/helm/fixtures/sprig-strings-semver.json'), 'utf8'));

function funcs(): FuncMap {
  const m: FuncMap = new Map();
  semverFuncs(m, deterministicEnv());
  return m;
}

/** Evaluates `.A.B (semver .A1) .C .A2` method chains on a value, as text/template would. */
function applyMethods(v: Value, text: string, args: string[], map: FuncMap): Value | { noMethod: string } {
  const re = /\.([A-Za-z]+)(?: (?:\(semver \.A(\d)\)|\.A(\d)))?/g;
  let m: RegExpExecArray | null;
  let cur = v;
  while ((m = re.exec(text))) {
    if (!(cur instanceof GoStruct)) return { noMethod: m[1] };
    const def = cur.method(m[1]);
    if (!def) return { noMethod: m[1] };
    const callArgs: Value[] = [];
    if (m[2] !== undefined) callArgs.push(map.get('semver')!.fn(args[Number(m[2])]));
    if (m[3] !== undefined) callArgs.push(args[Number(m[3])]);
    assert.equal(def.params.length, callArgs.length, `${m[1]} arity`);
    cur = def.fn(...callArgs);
  }
  return cur;
}

test('semver and semverCompare match Go 1.19 + sprig 3.2.3 on the fixture', () => {
  const map = funcs();
  const bad: string[] = [];
  for (const c of fixture.cases) {
    const label = `${c.fn} ${JSON.stringify(c.args)}${c.method ?? ''}`;
    const callArgs = c.nargs !== undefined ? c.args.slice(0, c.nargs) : c.args;
    let got: Value | { noMethod: string };
    try {
      got = map.get(c.fn)!.fn(...callArgs);
      if (c.method) got = applyMethods(got, c.method, c.args, map);
    } catch (e) {
      if (!(e instanceof GoError)) throw e;
      if (e.message !== c.err) bad.push(`${label}: error ${JSON.stringify(e.message)}; want ${JSON.stringify(c.err ?? c.out)}`);
      continue;
    }
    if (got !== null && typeof got === 'object' && 'noMethod' in got) {
      // text/template's own error (the evaluator words it); Go found no such method either.
      if (!c.err?.startsWith('EXEC: ') || !c.err.includes(`${got.noMethod} `)) bad.push(`${label}: no method ${got.noMethod}; want ${c.err ?? c.out}`);
      continue;
    }
    if (c.err !== undefined) {
      bad.push(`${label}: got ${formatV(got as Value)}; want error ${c.err}`);
      continue;
    }
    if (formatV(got as Value) !== c.out) bad.push(`${label}: got ${JSON.stringify(formatV(got as Value))}; want ${JSON.stringify(c.out)}`);
    if (c.type && typeName(got as Value) !== c.type && c.type !== 'string') bad.push(`${label}: type ${typeName(got as Value)}; want ${c.type}`);
  }
  assert.deepEqual(bad.slice(0, 40), [], `${bad.length} mismatches`);
});

test('declared signatures', () => {
  const m = funcs();
  assert.deepEqual(m.get('semver')!.params, ['string']);
  assert.equal(m.get('semver')!.result, '*semver.Version');
  assert.equal(m.get('semver')!.returnsError, true);
  assert.deepEqual(m.get('semverCompare')!.params, ['string', 'string']);
  assert.equal(m.get('semverCompare')!.result, 'bool');
});

test('the exported API: constraints for kubeVersion and dependency ranges', () => {
  const kube = parseConstraint('>=1.19.0-0 <1.30.0-0');
  assert.equal(kube.check(parseVersion('v1.28.3-eks-4f4795d')), true);
  assert.equal(kube.check(parseVersion('1.30.0')), false);
  assert.equal(parseConstraint('>=1.19').check(parseVersion('1.20.0-gke.1')), false, 'prereleases need a prerelease constraint');
  // Observed from Go 1.19 + Masterminds/semver v3.2.0 (Constraints.Validate and String).
  const [ok, errs] = parseConstraint('^1.2.3').validate(parseVersion('2.0.0'));
  assert.equal(ok, false);
  assert.deepEqual(errs, ['2.0.0 does not have same major version as 1.2.3']);
  assert.equal(parseConstraint('1.2 - 1.4.5 || ~2').toString(), '>=1.2 <=1.4.5 || ~2');
  const c4 = parseConstraint('>= 1.2, < 3.0.0 || >= 4.2.3');
  assert.deepEqual(c4.validate(parseVersion('3.1.0-beta')), [false, ['3.1.0-beta is a prerelease version and the constraint is only looking for release versions']]);
  assert.equal(c4.toString(), '>=1.2 <3.0.0 || >=4.2.3');
  assert.throws(() => parseStrictVersion('1.2'), (e: Error) => e.message === 'Invalid Semantic Version');
  assert.throws(() => parseStrictVersion('1.02.3'), (e: Error) => e.message === 'Version segment starts with 0');
  assert.equal(parseStrictVersion('1.2.3-rc.1+b').toString(), '1.2.3-rc.1+b');
});

test('constraint scanning stays linear on hostile input', () => {
  const hostile = Array(40).fill('>=1.0').join('  ') + ' !';
  const t = Date.now();
  assert.throws(() => parseConstraint(hostile), /improper constraint/);
  assert.ok(Date.now() - t < 200);
});
