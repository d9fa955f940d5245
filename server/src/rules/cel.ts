/**
 * CEL for the `x-kubernetes-validations` rules of CRDs, through
 * `@marcbachmann/cel-js` (pure JS, no dependencies). The API server evaluates
 * each rule with `self` bound to the value at the rule's place, after
 * defaulting; values arrive here in the CEL types the API server gives them:
 * integers as int (bigint), `type: number` as double, maps and lists as is.
 *
 * What this evaluator cannot do is never an error: a rule that does not
 * parse, calls a function it lacks (the Kubernetes libraries: `isSorted`,
 * `url`, `ip`, `quantity`, `format.*`...) or fails while evaluating comes back
 * as `unchecked` with the reason. Transition rules (`oldSelf`) need the object
 * stored in the cluster and are skipped by the caller.
 */
import { Environment } from '@marcbachmann/cel-js';

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export type CelOutcome = { result: 'pass' } | { result: 'fail' } | { result: 'unchecked'; reason: string };

type Compiled = ((context: Record<string, unknown>) => unknown) | { error: string };

let env: Environment | undefined;
function environment(): Environment {
  if (!env) {
    env = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true, limits: { maxAstNodes: 20000, maxDepth: 200 } })
      .registerVariable('self', 'dyn')
      // Kubernetes' string library (k8s.io/apiserver/pkg/cel/library): replace() replaces every occurrence.
      .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => (from === '' ? s : s.split(from).join(to)))
      .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
        const chars = [...s];
        if (i < 0n || i > BigInt(chars.length)) throw new Error('index out of range');
        return chars[Number(i)] ?? '';
      });
  }
  return env;
}

const compiled = new Map<string, Compiled>();

function compile(expression: string): Compiled {
  let c = compiled.get(expression);
  if (!c) {
    try {
      const parsed = environment().parse(expression);
      const regex = regexProblem(expression);
      // cel-js's versions change non-ASCII letters too; Kubernetes' change only A-Z and a-z.
      const ascii = /\.(lower|upper)Ascii\s*\(/.test(expression) ? 'lowerAscii() and upperAscii() are not evaluated as Kubernetes does here' : undefined;
      c = regex || ascii ? { error: (regex ?? ascii)! } : (context: Record<string, unknown>) => parsed(context);
    } catch (e) {
      c = { error: `it does not parse here (${firstLine(e)})` };
    }
    if (compiled.size > 5000) compiled.clear();
    compiled.set(expression, c);
  }
  return c;
}

const LITERAL = /^\s*(r|R)?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)/;
/** Go (RE2) syntax that a JavaScript RegExp reads differently or not at all. */
const GO_REGEX_ONLY = /\\[pPQEzACsS]|\\x\{|\[\[:|\(\?/;

/**
 * Why the `matches()` calls of a rule cannot be trusted here, or undefined.
 * The evaluator runs them as JavaScript regular expressions; CEL's are RE2:
 * only literal patterns without RE2-only syntax are evaluated.
 */
function regexProblem(rule: string): string | undefined {
  const re = /\bmatches\s*\(/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) {
    const lit = LITERAL.exec(rule.slice(m.index + m[0].length));
    if (!lit) return 'matches() with a computed pattern is not evaluated here';
    let pattern: string | undefined;
    const body = lit[2].slice(1, -1);
    if (lit[1]) pattern = body;
    else {
      try {
        const dq = lit[2][0] === "'" ? body.replace(/\\'/g, "'").replace(/(^|[^\\])((?:\\\\)*)"/g, '$1$2\\"') : body.replace(/\\'/g, "'");
        pattern = JSON.parse(`"${dq}"`) as string;
      } catch {
        pattern = undefined;
      }
    }
    if (pattern === undefined || GO_REGEX_ONLY.test(pattern)) return 'its regular expression (RE2) is read differently here';
    try {
      new RegExp(pattern);
    } catch {
      return 'its regular expression (RE2) is read differently here';
    }
  }
  return undefined;
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const line = m.split('\n')[0].trim();
  const overload = /found no matching overload for '([^']*)'/.exec(line);
  if (overload) {
    const fn = /([A-Za-z_][A-Za-z0-9_]*)\(/.exec(overload[1].replace(/^[a-z<>]+\./, ''))?.[1];
    return fn ? `${fn}() is not available` : line;
  }
  return line.length > 120 ? line.slice(0, 120) + '…' : line;
}

/** True when a rule reads `oldSelf` (a transition rule: it compares with the stored object). */
export function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'));
}

/** Evaluates one rule with `self` bound to a value already in CEL form (see `toCelValue`). */
export function evaluateRule(rule: string, self: unknown): CelOutcome {
  const c = compile(rule);
  if (typeof c !== 'function') return { result: 'unchecked', reason: c.error };
  let v: unknown;
  try {
    v = c({ self });
  } catch (e) {
    return { result: 'unchecked', reason: firstLine(e) };
  }
  if (v === true) return { result: 'pass' };
  if (v === false) return { result: 'fail' };
  return { result: 'unchecked', reason: 'it does not give true or false' };
}

/** The message of a failed rule from its `messageExpression`, or undefined when that fails (the API server then uses `message`). */
export function evaluateMessage(expression: string, self: unknown): string | undefined {
  const c = compile(expression);
  if (typeof c !== 'function') return undefined;
  try {
    const v = c({ self });
    return typeof v === 'string' && v.trim() !== '' && !v.includes('\n') ? v : undefined;
  } catch {
    return undefined;
  }
}

const CEL_TYPED_FORMATS = new Set(['byte', 'date', 'date-time', 'datetime', 'duration']);

/**
 * The first string format under a schema that the API server hands to CEL as bytes, a timestamp or a
 * duration (k8s.io/apiserver pkg/cel/common): this evaluator would see a string, so rules reading
 * such fields are not evaluated here.
 */
export function celTypedFormatIn(schema: unknown, rule: string, depth = 0): string | undefined {
  if (!isObj(schema) || depth > 30) return undefined;
  if (schema.type === 'string' && typeof schema.format === 'string' && CEL_TYPED_FORMATS.has(schema.format)) return schema.format;
  const subs: Array<[string | undefined, unknown]> = [[undefined, schema.items], [undefined, schema.additionalProperties]];
  if (isObj(schema.properties)) for (const [k, v] of Object.entries(schema.properties)) subs.push([k, v]);
  for (const [name, sub] of subs) {
    // a field the rule does not name is not read by it (items and map values are reached through names too)
    if (name !== undefined && !new RegExp(`[.'"\\s]${name.replace(/[^\w-]/g, '\\$&')}\\b`).test(rule)) continue;
    const f = celTypedFormatIn(sub, rule, depth + 1);
    if (f) return f;
  }
  return undefined;
}

/**
 * A plain value (as decoded from YAML, defaults applied) in the types CEL
 * sees under a structural schema: integers of `integer`, int-or-string and
 * untyped fields as int, `number` fields as double.
 */
export function toCelValue(value: unknown, schema: unknown, depth = 0): unknown {
  if (depth > 100) return value;
  const s = isObj(schema) ? schema : undefined;
  if (typeof value === 'number') {
    if (s?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => toCelValue(v, s?.items, depth + 1));
  if (isObj(value)) {
    const props = s && isObj(s.properties) ? s.properties : undefined;
    const extra = s && isObj(s.additionalProperties) ? s.additionalProperties : undefined;
    const out: Raw = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = toCelValue(v, props && k in props ? props[k] : extra, depth + 1);
    return out;
  }
  return value;
}
