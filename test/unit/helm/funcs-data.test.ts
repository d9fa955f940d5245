/**
 * sprig's list, dict, default, math, conversion, date, reflection and flow functions against the
 * real thing.
 *
 * fixtures/sprig-data-cases.json holds ~900 expressions with what Go 1.19 + sprig 3.2.3 printed for
 * `{{ EXPR }}` and `{{ typeOf (EXPR) }}` (or the error), observed with a throwaway program under
 * /tmp/sprig-data (text/template + sprig.TxtFuncMap() over YAML read by github.com/ghodss/yaml, plus
 * typed Go values: int64, int32, []byte, []string, float32, time.Time, a named map type). Cases with
 * `tz` ran with that TZ. Here a tiny evaluator (literals, fields, methods, variables, pipes,
 * parentheses) converts the arguments to each function's declared Go types the way text/template
 * does and calls our functions directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { formatV } from '../../../server/src/helm/fmt';
import {
  FuncDef,
  FuncMap,
  GoError,
  GoFloat32,
  GoInt,
  GoMap,
  GoPanic,
  GoStruct,
  goSlice,
  isGoMap,
  mapOf,
  typeName,
  Value,
} from '../../../server/src/helm/value';
import { deterministicEnv, FuncEnv } from '../../../server/src/helm/funcs/env';
import { convFuncs } from '../../../server/src/helm/funcs/conv';
import { mathFuncs } from '../../../server/src/helm/funcs/math';
import { defaultFuncs } from '../../../server/src/helm/funcs/defaults';
import { reflectFuncs } from '../../../server/src/helm/funcs/reflect';
import { listFuncs } from '../../../server/src/helm/funcs/lists';
import { dictFuncs } from '../../../server/src/helm/funcs/dicts';
import { dateFuncs } from '../../../server/src/helm/funcs/dates';
import { goDate, GoTime } from '../../../server/src/helm/funcs/datesTime';
import { GoLocation, localLocation } from '../../../server/src/helm/funcs/datesZones';

interface Case {
  expr: string;
  tz?: string;
  out?: string;
  type?: string;
  err?: string;
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test/unit/helm/fixtures/sprig-data-cases.json'), 'utf8')) as {
  data: GoMap;
  cases: Case[];
};

/** main.Values in the Go program: a named map type, like chartutil.Values. */
class NamedValues extends GoStruct {
  readonly goType = 'main.Values';
  constructor(private readonly m: GoMap) {
    super();
  }
  override asMap(): GoMap {
    return this.m;
  }
  override format(): string {
    return formatV(this.m);
  }
  /** The optional protocol deepCopy uses to keep a named map type. */
  withMap(m: GoMap): NamedValues {
    return new NamedValues(m);
  }
}

export function funcMap(env: FuncEnv): FuncMap {
  const map: FuncMap = new Map();
  for (const f of [convFuncs, mathFuncs, defaultFuncs, reflectFuncs, listFuncs, dictFuncs, dateFuncs]) f(map, env);
  return map;
}

function rootData(local: GoLocation): GoMap {
  const d = JSON.parse(JSON.stringify(fixture.data)) as GoMap;
  d.V = new NamedValues({ s: 'v', sub: { k: 'deep' } });
  d.I64 = new GoInt(5n, 'int64');
  d.Int = new GoInt(7n, 'int');
  d.I32 = new GoInt(9n, 'int32');
  d.U8 = new TextEncoder().encode('hi');
  d.SS = goSlice(['x', 'y'], 'string');
  d.F32 = new GoFloat32(1.5);
  d.T = goDate(2024, 3, 15, 10, 30, 45, 123456789, GoLocation.UTC);
  d.T0 = goDate(2024, 7, 4, 23, 5, 9, 0, GoLocation.UTC);
  d.TN = goDate(-5, 1, 1, 0, 0, 0, 0, GoLocation.UTC);
  d.TL = new GoTime(1710498645, 123456789, local);
  return d;
}

// ------------------------------------------------------------------ a tiny template evaluator

type Tok = { k: 'str' | 'num' | 'id' | 'field' | 'var' | 'lp' | 'rp' | 'pipe' | 'assign'; v: string; sp?: boolean };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let sp = false;
  const push = (k: Tok['k'], v: string) => {
    // `sp`: whitespace before the token (so `(x) .a` is two arguments and `(x).a` one).
    out.push({ k, v, sp });
    sp = false;
  };
  while (i < s.length) {
    const c = s[i];
    if (c === ' ') {
      i++;
      sp = true;
    } else if (c === '"') {
      let j = i + 1;
      while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      push('str', JSON.parse(s.slice(i, j + 1)) as string);
      i = j + 1;
    } else if (c === '(' || c === ')') {
      push(c === '(' ? 'lp' : 'rp', c);
      i++;
    } else if (c === '|') {
      push('pipe', c);
      i++;
    } else {
      let j = i;
      while (j < s.length && !' ()|'.includes(s[j])) j++;
      const w = s.slice(i, j);
      if (w === ':=') push('assign', w);
      else if (/^[-+]?([0-9]|\.[0-9])/.test(w)) push('num', w);
      else if (w[0] === '.') push('field', w);
      else if (w[0] === '$') push('var', w);
      else push('id', w);
      i = j;
    }
  }
  return out;
}

/** An argument before conversion: a constant keeps its text (Go converts it per the parameter type). */
type Arg = { const: string } | { nil: true } | { value: Value };

class ConvError extends Error {}
class CallError extends Error {
  constructor(
    readonly fn: string,
    readonly err: GoError | GoPanic,
  ) {
    super(err.message);
  }
}

const INT_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64']);

/** text/template's evalArg / validateType, for the parameter types our functions declare. */
function convert(a: Arg, t: string): Value {
  if ('const' in a) {
    const s = a.const;
    const isInt = /^[-+]?[0-9]+$/.test(s);
    if (t === 'interface {}') return isInt ? new GoInt(BigInt(s), 'int') : Number(s);
    if (INT_TYPES.has(t)) {
      if (!isInt) throw new ConvError('expected integer');
      return new GoInt(BigInt(s), t as 'int');
    }
    if (t === 'float64') return Number(s);
    // A named integer type (time.Duration) takes an integer constant.
    if (t === 'time.Duration' && isInt) return new GoInt(BigInt(s), 'int64');
    throw new ConvError('constant for ' + t);
  }
  if ('nil' in a) {
    if (t === 'interface {}' || t.startsWith('map[') || t.startsWith('[]')) return null;
    throw new ConvError('cannot assign nil');
  }
  const v = a.value;
  if (t === 'interface {}') return v === undefined ? null : v;
  if (v === undefined || v === null) {
    if (t.startsWith('map[') || t.startsWith('[]')) return null;
    throw new ConvError('invalid value');
  }
  if (t.startsWith('map[')) {
    if (isGoMap(v)) return v;
    if (v instanceof GoStruct && v.asMap()) return mapOf(v) as GoMap;
    throw new ConvError('wrong type');
  }
  if (typeName(v) !== t) throw new ConvError('wrong type for value; expected ' + t + '; got ' + typeName(v));
  return v;
}

function call(d: FuncDef, args: Arg[]): Value {
  const n = d.params.length;
  if (d.variadic ? args.length < n : args.length !== n) throw new ConvError('wrong number of args');
  const conv = args.map((a, i) => convert(a, i < n ? d.params[i] : (d.variadic as string)));
  try {
    const r = d.fn(...conv);
    if (d.result === 'interface {}' && (r === null || r === undefined)) return undefined;
    return r;
  } catch (e) {
    if (e instanceof GoError || e instanceof GoPanic) throw new CallError(d.name, e);
    throw e;
  }
}

class Evaluator {
  private toks: Tok[] = [];
  private pos = 0;
  constructor(
    private readonly map: FuncMap,
    private readonly dot: Value,
    private readonly vars: Map<string, Value>,
  ) {}
  run(src: string): Value {
    this.toks = lex(src);
    this.pos = 0;
    if (this.toks[0]?.k === 'var' && this.toks[1]?.k === 'assign') {
      const name = this.toks[0].v;
      this.pos = 2;
      const v = this.pipeline();
      this.vars.set(name, v);
      return v;
    }
    const v = this.pipeline();
    if (this.pos !== this.toks.length) throw new Error('trailing tokens in ' + src);
    return v;
  }
  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }
  private pipeline(): Value {
    let v = this.command(undefined);
    while (this.peek()?.k === 'pipe') {
      this.pos++;
      v = this.command({ value: v });
    }
    return v;
  }
  /** One command; `final` is the piped value, appended as the last argument. */
  private command(final: Arg | undefined): Value {
    const t = this.toks[this.pos];
    if (t.k === 'id' && t.v !== 'nil' && t.v !== 'true' && t.v !== 'false') {
      this.pos++;
      const d = this.map.get(t.v);
      if (!d) throw new Error('no function ' + t.v);
      const args = this.args();
      if (final) args.push(final);
      return call(d, args);
    }
    // A field chain whose last element may be a method taking the arguments that follow.
    if (t.k === 'field' || t.k === 'var' || t.k === 'lp') {
      const chain = this.chainTerm();
      const args = this.args();
      if (final) args.push(final);
      if (chain.method) return call(chain.method, args);
      if (args.length > 0) throw new Error('arguments to a non-function');
      return chain.value;
    }
    const a = this.term();
    if (final) throw new ConvError("can't give argument to non-function");
    return 'value' in a ? a.value : 'nil' in a ? null : Number(a.const);
  }
  private args(): Arg[] {
    const args: Arg[] = [];
    while (this.pos < this.toks.length && this.peek()!.k !== 'pipe' && this.peek()!.k !== 'rp') args.push(this.term());
    return args;
  }
  private term(): Arg {
    const t = this.toks[this.pos];
    switch (t.k) {
      case 'str':
        this.pos++;
        return { value: t.v };
      case 'num':
        this.pos++;
        return { const: t.v };
      case 'id':
        this.pos++;
        if (t.v === 'nil') return { nil: true };
        if (t.v === 'true' || t.v === 'false') return { value: t.v === 'true' };
        // A niladic function as an argument (`now`).
        return { value: call(this.map.get(t.v)!, []) };
      default: {
        const c = this.chainTerm();
        return { value: c.method ? call(c.method, []) : c.value };
      }
    }
  }
  /** `.a.b`, `$x.a`, `(pipeline).a`: the value, or the method the chain ends in (not yet called). */
  private chainTerm(): { value: Value; method?: FuncDef } {
    const t = this.toks[this.pos++];
    let v: Value;
    let path: string[];
    if (t.k === 'lp') {
      v = this.pipeline();
      if (this.toks[this.pos++]?.k !== 'rp') throw new Error('missing )');
      const next = this.peek();
      if (next?.k === 'field' && next.v !== '.' && !next.sp) {
        this.pos++;
        path = next.v.slice(1).split('.');
      } else {
        return { value: v };
      }
    } else if (t.k === 'var') {
      const [name, ...rest] = t.v.split('.');
      v = this.vars.get(name);
      path = rest;
    } else {
      v = this.dot;
      path = t.v === '.' ? [] : t.v.slice(1).split('.');
    }
    for (let i = 0; i < path.length; i++) {
      const name = path[i];
      if (v instanceof GoStruct) {
        const m = v.asMap();
        if (m) {
          v = m[name];
          continue;
        }
        const f = v.field(name);
        if (f) {
          v = f.value;
          continue;
        }
        const meth = v.method(name);
        if (!meth) throw new ConvError("can't evaluate field " + name);
        if (i === path.length - 1) return { value: undefined, method: meth };
        v = call(meth, []);
        continue;
      }
      const m = mapOf(v);
      if (!m) throw new ConvError('nil pointer evaluating ' + name);
      v = Object.prototype.hasOwnProperty.call(m, name) ? m[name] : undefined;
    }
    return { value: v };
  }
}

function envFor(tz: string | undefined): FuncEnv {
  return { ...deterministicEnv(), localZone: tz ?? 'UTC' };
}

type Outcome = { value: Value } | { call: CallError } | { conv: Error };

function evaluate(map: FuncMap, dot: Value, expr: string): Outcome {
  const vars = new Map<string, Value>();
  const ev = new Evaluator(map, dot, vars);
  try {
    let v: Value;
    for (const seg of expr.split(' ;; ')) v = ev.run(seg);
    return { value: v! };
  } catch (e) {
    if (e instanceof CallError) return { call: e };
    if (e instanceof ConvError) return { conv: e };
    throw e;
  }
}

for (const tz of [undefined, 'America/New_York', 'Europe/Berlin']) {
  test(`sprig data functions match Go 1.19 + sprig 3.2.3 (TZ=${tz ?? 'UTC'})`, () => {
    const env = envFor(tz);
    const map = funcMap(env);
    const cases = fixture.cases.filter((c) => c.tz === tz);
    assert.ok(cases.length > 5);
    const failures: string[] = [];
    for (const c of cases) {
      const dot = rootData(localLocation(env.localZone));
      const r = evaluate(map, dot, c.expr);
      if (c.err !== undefined) {
        if ('value' in r) failures.push(`${c.expr}: Go failed with ${c.err}, we returned ${formatV(r.value)}`);
        else if ('call' in r) {
          const want = `error calling ${r.call.fn}: ${r.call.message}`;
          if (!c.err.endsWith(want)) failures.push(`${c.expr}:\n  go:  ${c.err}\n  we: ${want}`);
        } else if (c.err.includes('error calling')) {
          failures.push(`${c.expr}: Go's function failed (${c.err}), our argument conversion refused: ${r.conv.message}`);
        }
        continue;
      }
      if (!('value' in r)) {
        failures.push(`${c.expr}: Go printed ${JSON.stringify(c.out)}, we failed: ${'call' in r ? r.call.message : r.conv.message}`);
        continue;
      }
      const out = formatV(r.value);
      if (out !== c.out) failures.push(`${c.expr}:\n  go:  ${JSON.stringify(c.out)}\n  we: ${JSON.stringify(out)}`);
      if (c.type !== undefined && typeName(r.value) !== c.type) {
        failures.push(`${c.expr}: type go ${c.type}, we ${typeName(r.value)}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}
