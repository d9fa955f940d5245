/**
 * values.schema.json: a chart's values checked against its JSON schema, and the errors worded as
 * Helm v4 words them (pkg/chart/common/util/jsonschema.go, which uses santhosh-tekuri/jsonschema
 * v6):
 *
 *     values don't meet the specifications of the schema(s) in the following chart(s):
 *     mychart:
 *     - at '/replicaCount': got string, want integer
 *     - at '': additional properties 'x' not allowed
 *
 * ajv decides whether values are valid (each schema is compiled once and cached; draft-07 and
 * older, 2019-09 and 2020-12 each get their ajv class; no `$schema` or `http://json-schema.org/schema#`
 * is 2020-12, as in jsonschema v6). Only when ajv says invalid does `explain` walk the schema the
 * way jsonschema v6's validator does, to build its error tree (see `Walker`).
 *
 * The first check of a schema is the walk alone when it can judge (a one-shot `helm template`
 * checks each schema once, and compiling a large schema with ajv costs far more than walking it):
 * when the walk finds nothing the values are valid, as they would be after ajv (the walk's verdict
 * wins when ajv says invalid); when it finds something, ajv is compiled and decides, as ever. ajv
 * would also refuse to compile a schema that does not meet its metaschema; the walk checks that too
 * (the draft-07 metaschema, and 2020-12's in one document), and anything ajv might refuse for
 * other reasons (remote or anchor `$ref`s, `$id`s, patterns that do not compile, ajv's own keywords
 * `nullable`, `discriminator`, `id`, `$async`...) makes the schema compile at once, as before.
 * From the second check on, ajv (compiled then) goes first. `test/unit/helm/valuesSchemaFirstCheck.test.ts`
 * holds both ways to the same results.
 *
 * The walk builds jsonschema v6's error tree: which keywords report, in which
 * order, when one error stands alone and when several become `validation failed` with nested
 * causes, `$ref` in draft-07 ignoring its siblings (except type, const and enum), item indexes as
 * v6 reports them (relative to the first item `additionalItems`/`items` applies to), and numbers
 * printed through x/text/message's English printer (`1,000`, `1.5 × 10⁰⁶`).
 *
 * Where Helm is not deterministic (Go map order: the order of errors for several properties of one
 * object, of `additional properties 'b', 'a'`), we follow the order of the values' keys. Formats are
 * not asserted (v6 asserts them for draft-07 and older), unevaluated* keywords and remote `$ref`s
 * are left to ajv: when the walk finds nothing, ajv's own errors are reworded in the same shape.
 */
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type Ajv2019 from 'ajv/dist/2019';
import type Ajv2020 from 'ajv/dist/2020';
import META_DRAFT07 from 'ajv/dist/refs/json-schema-draft-07.json';
import META_2020 from 'ajv/dist/refs/json-schema-2020-12/schema.json';
import META_2020_CORE from 'ajv/dist/refs/json-schema-2020-12/meta/core.json';
import META_2020_APPLICATOR from 'ajv/dist/refs/json-schema-2020-12/meta/applicator.json';
import META_2020_UNEVALUATED from 'ajv/dist/refs/json-schema-2020-12/meta/unevaluated.json';
import META_2020_VALIDATION from 'ajv/dist/refs/json-schema-2020-12/meta/validation.json';
import META_2020_METADATA from 'ajv/dist/refs/json-schema-2020-12/meta/meta-data.json';
import META_2020_FORMAT from 'ajv/dist/refs/json-schema-2020-12/meta/format-annotation.json';
import META_2020_CONTENT from 'ajv/dist/refs/json-schema-2020-12/meta/content.json';
import { formatFloat } from './fmt';
import { decodeJSON, goQuote } from './strvals';
import { GoInt, GoMap, Value, isGoMap } from './value';
import type { ValuesChart } from './values';

const SCHEMA_URL = 'file:///values.schema.json';

type Draft = 4 | 6 | 7 | 2019 | 2020;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

interface Compiled {
  schema: Json;
  draft: Draft;
  /** ajv's validator, or undefined when only the walk can judge (draft-04) or ajv is not compiled yet. */
  validate?: ValidateFunction;
  /** What ajv is to compile when first needed (the walk judged the schema's first check alone). */
  ajvInput?: Json;
  /** Checks of values made against it. */
  checks?: number;
  /** A schema that does not parse or compile: Helm's error text. */
  error?: string;
  /** Uses keywords the walk does not judge (unevaluated*, dynamic references). */
  beyondWalk?: boolean;
}

const MAX_CACHE = 64;
const cache = new Map<string, Compiled>();
let ajvs: { d7?: Ajv; d2019?: Ajv2019; d2020?: Ajv2020 } = {};
let ajvModule: typeof import('./ajvClasses') | undefined;

/** ajv, loaded on first use (a module of 300 KB that a first check the walk can judge never needs). */
function ajvClasses(): typeof import('./ajvClasses') {
  return (ajvModule ??= require('./ajvClasses') as typeof import('./ajvClasses'));
}

/** The draft of a `$schema` URL, as jsonschema v6's draftFromURL (http or https, no fragment but `#`). */
function draftOf(schema: Json): Draft {
  if (!isObject(schema) || typeof schema.$schema !== 'string') return 2020;
  let u = schema.$schema;
  const hash = u.indexOf('#');
  if (hash >= 0) {
    if (hash !== u.length - 1) return 2020;
    u = u.slice(0, hash);
  }
  u = u.replace(/^https?:\/\//, '');
  switch (u) {
    case 'json-schema.org/draft/2019-09/schema':
      return 2019;
    case 'json-schema.org/draft-07/schema':
      return 7;
    case 'json-schema.org/draft-06/schema':
      return 6;
    case 'json-schema.org/draft-04/schema':
      return 4;
    default:
      return 2020;
  }
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Go's RE2 syntax that JavaScript spells differently: leading inline flags `(?i)`/`(?s)`/`(?m)`,
 * named groups `(?P<name>`, `\z`. Anything else is passed as is.
 */
function goRegExp(pattern: string, flags: string): RegExp {
  let p = pattern;
  let f = flags;
  const m = /^\(\?([ims]+)\)/.exec(p);
  if (m) {
    p = p.slice(m[0].length);
    for (const c of m[1]) if (!f.includes(c)) f += c;
  }
  p = p.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$');
  return new RegExp(p, f);
}

const regexCache = new Map<string, RegExp | null>();
function regex(pattern: string): RegExp | null {
  let r = regexCache.get(pattern);
  if (r === undefined) {
    try {
      r = goRegExp(pattern, 'u');
    } catch {
      r = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, r);
  }
  return r;
}

/** ajv's pattern engine: RE2 spellings translated (ajv calls it at compile time and in generated code). */
const goRegExpEngine = Object.assign((p: string, f: string) => goRegExp(p, f), { code: 'goRegExp' });

function ajvFor(draft: Draft): Ajv | Ajv2019 | Ajv2020 {
  const opts = {
    strict: false,
    allErrors: false,
    verbose: true,
    validateFormats: false,
    addUsedSchema: false,
    code: { regExp: goRegExpEngine },
  } as const;
  if (draft === 2020) return (ajvs.d2020 ??= new (ajvClasses().Ajv2020)(opts));
  if (draft === 2019) return (ajvs.d2019 ??= new (ajvClasses().Ajv2019)(opts));
  return (ajvs.d7 ??= new (ajvClasses().Ajv)(opts));
}

/** Parses and compiles a schema (cached by its text). */
export function compileSchema(text: string): Compiled {
  const hit = cache.get(text);
  if (hit) return hit;
  const compiled = compile(text);
  if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string);
  cache.set(text, compiled);
  return compiled;
}

/**
 * The schema's JSON as Go's decoder reads it. JSON.parse (native, far quicker on a cold start than
 * our decoder) reads valid JSON to the same values, except an escaped lone surrogate (Go: U+FFFD)
 * and a number out of float64's range (Go: an error): with those, and for every error text, our decoder reads it.
 */
function parseSchemaText(text: string): { value: Json } | { err: string } {
  if (!/\\u[dD][89a-fA-F]/.test(text)) {
    let v: Json | undefined;
    try {
      v = JSON.parse(text) as Json;
    } catch {
      v = undefined;
    }
    if (v !== undefined && allFinite(v)) return { value: v };
  }
  const dec = decodeJSON(text, 0);
  if ('err' in dec) return dec;
  // jsonschema.UnmarshalJSON's own words for trailing data.
  if (/[^ \t\r\n]/.test(text.slice(dec.end))) return { err: 'invalid character after top-level value' };
  return { value: toJson(dec.value) };
}

function allFinite(v: Json): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every(allFinite);
  for (const k in v) if (!allFinite(v[k])) return false;
  return true;
}

function compile(text: string): Compiled {
  const dec = parseSchemaText(text);
  if ('err' in dec) return { schema: null, draft: 2020, error: dec.err };
  const schema = dec.value;
  const draft = draftOf(schema);
  const missing = firstMissingRef(schema);
  if (missing !== undefined) return { schema, draft, error: `json-pointer in "${SCHEMA_URL}${missing}" not found` };
  if (draft === 4) return { schema, draft };
  let input: Json = d7Refs(schema, draft);
  if (isObject(input) && '$schema' in input) {
    // ajv knows the drafts by its own URLs; the draft is chosen by the class instead.
    const { $schema: _drop, ...restSchema } = input;
    input = restSchema;
  }
  const beyondWalk = draft >= 2019 && /"(unevaluatedProperties|unevaluatedItems|\$dynamicRef|\$recursiveRef)"/.test(text);
  const c: Compiled = { schema, draft, beyondWalk, ajvInput: input };
  if (beyondWalk || !walkCanStandIn(input, draft)) compileAjv(c);
  return c;
}

/** Compiles `c.ajvInput` with ajv: the validator, or the schema's error as Helm words it. */
function compileAjv(c: Compiled): void {
  const input = c.ajvInput;
  if (input === undefined) return;
  c.ajvInput = undefined;
  try {
    c.validate = ajvFor(c.draft).compile(input as object | boolean);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    c.error = `"${SCHEMA_URL}#" is not valid against metaschema: ${msg}`;
  }
}

/** Keywords ajv gives a meaning of its own, or that make it resolve or register schemas: ajv compiles those. */
const AJV_DECIDES = new Set(['$id', 'id', '$anchor', '$dynamicAnchor', '$dynamicRef', '$recursiveAnchor', '$recursiveRef', '$schema', '$vocabulary', '$async', '$data', 'nullable', 'discriminator']);
/** Deeper schemas than this are left to ajv (the walk stops at MAX_DEPTH; the metaschema doubles the depth). */
const WALKABLE_DEPTH = 48;

/**
 * Whether ajv would compile `input` (what it is given) without an error, as far as the walk can
 * tell: it meets the metaschema ajv checks it against, its `$ref`s are local JSON pointers (they
 * resolve: `firstMissingRef` ran), its patterns compile, and nothing in it is ajv's own business.
 * False sends the schema to ajv at once; true lets the walk judge its first check.
 */
function walkCanStandIn(input: Json, draft: Draft): boolean {
  if (draft !== 6 && draft !== 7 && draft !== 2020) return false;
  let ok = true;
  const refs = new Set<string>();
  const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
  const scan = (n: Json, depth: number): void => {
    if (!ok) return;
    if (depth > WALKABLE_DEPTH) {
      ok = false;
      return;
    }
    if (Array.isArray(n)) {
      for (const x of n) scan(x, depth + 1);
      return;
    }
    if (!isObject(n)) return;
    for (const [k, v] of Object.entries(n)) {
      if (!ok) return;
      // A map from names to schemas: the names are not keywords (a property may be called `default` or `id`).
      if (NAMED_SCHEMAS.has(k) && isObject(v)) {
        if (k === '$defs' || k === 'definitions') ok = true;
        if (k === 'patternProperties') ok = Object.keys(v).every((p) => regex(p) !== null);
        for (const sub of Object.values(v)) scan(sub, depth + 2);
        continue;
      }
      if (!ok) return;
      if (AJV_DECIDES.has(k)) ok = false;
      else if (k === '$ref') {
        ok = typeof v === 'string' && (v === '#' || v.startsWith('#/'));
        if (ok) refs.add(v as string);
      }
      // ajv requires both to be objects (draft-07's metaschema does not know `$defs`).
      else if (k === '$defs' || k === 'definitions') ok = isObject(v);
      else if (k === 'pattern' && typeof v === 'string') ok = regex(v) !== null;
      else if (k === 'patternProperties' && isObject(v)) ok = Object.keys(v).every((p) => regex(p) !== null);
      // ajv refuses an empty enum (the drafts' metaschemas allow it).
      else if (k === 'enum') ok = Array.isArray(v) && v.length > 0;
      if (!ok) return;
      if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') scan(v, depth + 1);
    }
  };
  scan(input, 0);
  if (!ok) return false;
  const meta = new Walker(metaSchemaFor(draft), draft === 2020 ? 2020 : 7);
  if (meta.explain(input) !== null) return false;
  // ajv compiles what a `$ref` points at wherever it sits, also where the metaschema does not look
  // (`$defs` in a draft-07 schema): each target must meet the metaschema too.
  for (const ref of refs) {
    if (ref === '#') continue;
    const target = resolvePointer(input, ref.slice(1));
    if (target === undefined || meta.explain(target) !== null) return false;
  }
  return true;
}

let meta2020: Json | undefined;

/**
 * The metaschema ajv checks a schema against: draft-07's for the Ajv class (draft-06 and -07
 * schemas, their `$schema` dropped), and 2020-12's as one document for the walk: its vocabularies
 * inlined under `allOf`, each `$dynamicRef: "#meta"` a `$ref` to the root (where the dynamic scope
 * of a schema checked against the metaschema always ends), references between the parts rewritten.
 */
function metaSchemaFor(draft: 6 | 7 | 2020): Json {
  if (draft !== 2020) return META_DRAFT07 as unknown as Json;
  if (meta2020 !== undefined) return meta2020;
  const parts: Record<string, Json> = {
    'meta/core': META_2020_CORE as unknown as Json,
    'meta/applicator': META_2020_APPLICATOR as unknown as Json,
    'meta/unevaluated': META_2020_UNEVALUATED as unknown as Json,
    'meta/validation': META_2020_VALIDATION as unknown as Json,
    'meta/meta-data': META_2020_METADATA as unknown as Json,
    'meta/format-annotation': META_2020_FORMAT as unknown as Json,
    'meta/content': META_2020_CONTENT as unknown as Json,
  };
  const top = META_2020 as unknown as JsonObject;
  const order = (top.allOf as JsonObject[]).map((r) => r.$ref as string);
  const rewrite = (n: Json, base: string): Json => {
    if (Array.isArray(n)) return n.map((x) => rewrite(x, base));
    if (!isObject(n)) return n;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(n)) {
      if (k === '$schema' || k === '$id' || k === '$vocabulary' || k === '$dynamicAnchor') continue;
      if (k === '$dynamicRef' && v === '#meta') out.$ref = '#';
      else if (k === '$ref' && typeof v === 'string') {
        const hash = v.indexOf('#');
        const doc = hash < 0 ? v : v.slice(0, hash);
        const frag = hash < 0 ? '' : v.slice(hash + 1);
        const at = doc === '' ? base : `#/allOf/${order.indexOf(doc)}`;
        out.$ref = at === '' ? `#${frag}` : `${at}${frag}`;
      } else out[k] = k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : rewrite(v, base);
    }
    return out;
  };
  const merged = rewrite({ ...top, allOf: [] }, '') as JsonObject;
  merged.allOf = order.map((name, i) => rewrite(parts[name], `#/allOf/${i}`));
  return (meta2020 = merged);
}

/**
 * Before 2019-09 the siblings of `$ref` are ignored (jsonschema v6 drops them; ajv 8 would apply
 * them): a copy of the schema for ajv without them (definitions kept, `$ref`s point into them).
 */
function d7Refs(schema: Json, draft: Draft): Json {
  if (draft >= 2019) return schema;
  const rec = (n: Json, inKeyword: boolean): Json => {
    if (Array.isArray(n)) return n.map((x) => rec(x, false));
    if (!isObject(n)) return n;
    if (inKeyword) return n;
    const out: JsonObject = {};
    const hasRef = typeof n.$ref === 'string';
    for (const [k, v] of Object.entries(n)) {
      if (hasRef && k !== '$ref' && k !== 'definitions' && k !== '$defs' && k !== '$schema' && k !== '$id' && k !== 'id') continue;
      // Values of enum/const/default are data, not schemas.
      out[k] = rec(v, k === 'enum' || k === 'const' || k === 'default' || k === 'examples');
    }
    return out;
  };
  return rec(schema, false);
}

/** decodeJSON's values as plain JSON (it builds Go maps, which are plain objects already). */
function toJson(v: Value): Json {
  return v as Json;
}

/** The first local `$ref` (`#/...`) whose JSON pointer resolves to nothing. */
function firstMissingRef(root: Json): string | undefined {
  let found: string | undefined;
  const walk = (n: Json): void => {
    if (found !== undefined) return;
    if (Array.isArray(n)) n.forEach(walk);
    else if (isObject(n)) {
      for (const [k, v] of Object.entries(n)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/') && resolvePointer(root, v.slice(1)) === undefined) {
          found = v;
          return;
        }
        if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') walk(v);
      }
    }
  };
  walk(root);
  return found;
}

function resolvePointer(root: Json, ptr: string): Json | undefined {
  if (ptr === '') return root;
  let cur: Json | undefined = root;
  for (const raw of ptr.slice(1).split('/')) {
    const tok = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(tok)];
    else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, tok) ? cur[tok] : undefined;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Values as JSON for the validators: int64 from `--set` becomes a number. */
function valuesJson(v: Value): Json {
  if (v instanceof GoInt) return Number(v.v);
  if (Array.isArray(v)) return v.map(valuesJson);
  if (isGoMap(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) {
      const x = valuesJson(v[k]);
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  }
  if (v === undefined) return null;
  if (v instanceof Uint8Array) return Array.from(v);
  return v as Json;
}

/**
 * ValidateAgainstSingleSchema: undefined when the values meet the schema, else Helm's text (the
 * error list, each line `- at 'PTR': MESSAGE`, ending in a newline; or the schema's own error).
 */
export function validateAgainstSingleSchema(values: GoMap, schemaText: string): string | undefined {
  const c = compileSchema(schemaText);
  if (c.error !== undefined) return c.error;
  const json = valuesJson(values);
  c.checks = (c.checks ?? 0) + 1;
  // The walk judged the first check alone; from the second, ajv goes first (compiled once, faster).
  if (c.ajvInput !== undefined && c.checks > 1) {
    compileAjv(c);
    if (c.error !== undefined) return c.error;
  }
  if (c.ajvInput !== undefined) {
    const found = new Walker(c.schema, c.draft).explain(json);
    if (found === null) return undefined;
    // The walk found something: ajv decides whether the values are invalid, as when it goes first.
    compileAjv(c);
    if (c.error !== undefined) return c.error;
    if (c.validate!(json)) return undefined;
    return (found.group ? display(found.causes) : display([found])) + '\n';
  }
  if (c.validate && c.validate(json)) return undefined;
  const root = new Walker(c.schema, c.draft).explain(json);
  if (root === null) {
    // The walk judges every keyword jsonschema v6 asserts except these: then ajv's errors are reworded.
    if (!c.validate || !c.beyondWalk) return undefined;
    return fromAjv(c.validate.errors ?? []);
  }
  const causes = root.group ? root.causes : [root];
  return display(causes) + '\n';
}

/**
 * ValidateAgainstSchema: the chart's schema against its values, then each subchart's schema
 * against its part of the values (skipped when absent or null), all errors together
 * (`CHART:\n- at ...`). undefined when all pass. `values` are the coalesced values.
 */
export function validateAgainstSchema(chart: ValuesChart, values: GoMap): string | undefined {
  let sb = '';
  if (chart.schema !== undefined) {
    const err = validateAgainstSingleSchema(values, chart.schema);
    if (err !== undefined) sb += `${chart.name}:\n${err}`;
  }
  for (const sub of chart.subcharts) {
    if (!Object.prototype.hasOwnProperty.call(values, sub.name)) continue;
    const raw = values[sub.name];
    if (raw === null || raw === undefined) continue;
    if (!isGoMap(raw)) {
      sb += `${sub.name}:\ninvalid type for values: expected object (map), got ${goTypeOf(raw)}\n`;
      continue;
    }
    const err = validateAgainstSchema(sub, raw);
    if (err !== undefined) sb += err;
  }
  return sb === '' ? undefined : sb;
}

function goTypeOf(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.t;
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

// --- numbers as golang.org/x/text/message's English printer prints them ---------------------------

const SUPER: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };

function group(int: string): string {
  const neg = int.startsWith('-');
  const d = neg ? int.slice(1) : int;
  let out = '';
  for (let i = 0; i < d.length; i++) {
    if (i > 0 && (d.length - i) % 3 === 0) out += ',';
    out += d[i];
  }
  return (neg ? '-' : '') + out;
}

/** `%d` through the printer: digits grouped by thousands. */
export function printInt(n: number): string {
  return group(String(n));
}

/** `%v` of a float64 through the printer: `12,345.5`, `1.5 × 10⁰⁶` (narrow no-break spaces around ×). */
export function printFloat(f: number): string {
  const s = formatFloat(f);
  const e = s.indexOf('e');
  if (e >= 0) {
    const exp = s.slice(e + 1).replace('+', '');
    return s.slice(0, e) + '\u202f×\u202f10' + [...exp].map((c) => SUPER[c] ?? c).join('');
  }
  if (!/^-?\d/.test(s)) return s;
  const dot = s.indexOf('.');
  return dot < 0 ? group(s) : group(s.slice(0, dot)) + s.slice(dot);
}

// --- jsonschema v6's error tree ---------------------------------------------------------------

interface VErr {
  loc: string[];
  msg: string;
  causes: VErr[];
  /** kind.Group: several errors of one schema. */
  group?: boolean;
  /** kind.Reference: hidden in the output when it has a single cause. */
  ref?: boolean;
}

/** jsonschema's quote: Go's %q with `"` unescaped and `'` escaped, in single quotes. */
function quote(s: string): string {
  const q = goQuote(s);
  return "'" + q.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'") + "'";
}

function jsonPtr(loc: string[]): string {
  let s = '';
  for (const t of loc) s += '/' + t.replace(/~/g, '~0').replace(/\//g, '~1');
  return s;
}

/** ValidationError.display, from the causes of the root. */
function display(causes: VErr[]): string {
  let sb = '';
  const rec = (e: VErr, indent: number): void => {
    if (!(e.ref && e.causes.length === 1)) {
      if (indent > 0) sb += '\n' + '  '.repeat(indent - 1) + '- ';
      indent++;
      sb += `at ${quote(jsonPtr(e.loc))}: ${e.msg}`;
    }
    for (const c of e.causes) rec(c, indent);
  };
  for (const c of causes) rec(c, 1);
  return sb.startsWith('\n') ? sb.slice(1) : sb;
}

type JType = 'null' | 'boolean' | 'number' | 'integer' | 'string' | 'array' | 'object';
const TYPE_ORDER: JType[] = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'];

function typeOf(v: Json): JType {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function equals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equals(a[k], b[k]));
  }
  return false;
}

/** jsonschema's display of a primitive in enum/const messages. */
function displayValue(v: Json): string {
  if (typeof v === 'string') return quote(v);
  if (v === null) return '<nil>';
  if (typeof v === 'object') return 'value';
  return String(v);
}

/** An exact decimal rational of a number's shortest representation (big.Rat of `%v`). */
function rat(n: number): { num: bigint; den: bigint } {
  const s = n.toString();
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) return { num: BigInt(Math.round(n)), den: 1n };
  const frac = m[3] ?? '';
  let num = BigInt(m[2] + frac);
  let den = 10n ** BigInt(frac.length);
  const exp = m[4] ? Number(m[4]) : 0;
  if (exp > 0) num *= 10n ** BigInt(exp);
  else if (exp < 0) den *= 10n ** BigInt(-exp);
  return { num: m[1] ? -num : num, den };
}

const MAX_DEPTH = 200;

class Walker {
  constructor(
    private readonly root: Json,
    private readonly draft: Draft,
  ) {}

  /** The error tree of validating `v` against the root schema, or null when the walk finds nothing. */
  explain(v: Json): VErr | null {
    return this.validate(this.root, v, [], 0);
  }

  private err(loc: string[], msg: string, causes: VErr[] = []): VErr {
    return { loc, msg, causes };
  }

  private resolve(ref: string): Json | undefined {
    if (ref.startsWith('#')) {
      const frag = ref.slice(1);
      if (frag === '' || frag.startsWith('/')) return resolvePointer(this.root, frag);
      return this.anchor(frag);
    }
    if (isObject(this.root) && typeof this.root.$id === 'string') {
      const id = this.root.$id.replace(/#$/, '');
      if (ref.startsWith(id + '#')) return this.resolve(ref.slice(id.length));
      if (ref === id) return this.root;
    }
    return undefined;
  }

  private anchor(name: string): Json | undefined {
    let found: Json | undefined;
    const walk = (n: Json): void => {
      if (found !== undefined) return;
      if (Array.isArray(n)) n.forEach(walk);
      else if (isObject(n)) {
        if (n.$anchor === name || n.$id === '#' + name || n.id === '#' + name) {
          found = n;
          return;
        }
        for (const [k, x] of Object.entries(n)) if (k !== 'enum' && k !== 'const') walk(x);
      }
    };
    walk(this.root);
    return found;
  }

  private validate(s: Json | undefined, v: Json, loc: string[], depth: number): VErr | null {
    if (s === undefined || s === true) return null;
    if (s === false) return this.err(loc, 'false schema');
    if (!isObject(s) || depth > MAX_DEPTH) return null;
    const d = this.draft;
    // Before 2019-09, a schema with $ref is only its $ref: the siblings are ignored.
    if (d < 2019 && typeof s.$ref === 'string') {
      const target = this.resolve(s.$ref);
      return target === undefined ? null : this.validateRef(target, v, loc, depth);
    }

    // type, const, enum, (format): the first failure is the only error of this schema.
    const t = typeOf(v);
    if (s.type !== undefined) {
      const want = new Set<JType>();
      for (const x of Array.isArray(s.type) ? s.type : [s.type]) if (typeof x === 'string' && (TYPE_ORDER as string[]).includes(x)) want.add(x as JType);
      if (want.size > 0) {
        const ok = want.has(t) || (want.has('integer') && t === 'number' && Number.isInteger(v));
        if (!ok) return this.err(loc, `got ${t}, want ${TYPE_ORDER.filter((x) => want.has(x)).join(' or ')}`);
      }
    }
    if ('const' in s && d !== 4) {
      const c = s.const;
      if (!equals(v, c)) return this.err(loc, typeof c === 'object' && c !== null ? 'const failed' : `value must be ${displayValue(c)}`);
    }
    if (Array.isArray(s.enum)) {
      if (!s.enum.some((x) => equals(v, x))) {
        const allPrimitive = s.enum.every((x) => x === null || typeof x !== 'object');
        let msg = 'enum failed';
        if (allPrimitive) msg = s.enum.length === 1 ? `value must be ${displayValue(s.enum[0])}` : `value must be one of ${s.enum.map(displayValue).join(', ')}`;
        return this.err(loc, msg);
      }
    }

    const errors: VErr[] = [];
    const add = (e: VErr | null): void => {
      if (e) errors.push(e);
    };

    if (typeof s.$ref === 'string') {
      const target = this.resolve(s.$ref);
      const e = target === undefined ? null : this.validateRef(target, v, loc, depth);
      add(e);
    }

    if (t === 'object') this.objValidate(s, v as JsonObject, loc, depth, errors);
    else if (t === 'array') this.arrValidate(s, v as Json[], loc, depth, errors);
    else if (t === 'string') this.strValidate(s, v as string, loc, errors);
    else if (t === 'number') this.numValidate(s, v as number, loc, errors);

    this.condValidate(s, v, loc, depth, errors);

    if (errors.length === 0) return null;
    if (errors.length === 1) return errors[0];
    return { loc, msg: 'validation failed', causes: errors, group: true };
  }

  private validateRef(target: Json, v: Json, loc: string[], depth: number): VErr | null {
    const e = this.validate(target, v, loc, depth + 1);
    if (!e) return null;
    return { loc, msg: 'validation failed', causes: e.group ? e.causes : [e], ref: true };
  }

  private missing(obj: JsonObject, req: Json): string[] {
    if (!Array.isArray(req)) return [];
    return req.filter((p): p is string => typeof p === 'string' && !Object.prototype.hasOwnProperty.call(obj, p));
  }

  private objValidate(s: JsonObject, obj: JsonObject, loc: string[], depth: number, errors: VErr[]): void {
    const keys = Object.keys(obj);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) {
      errors.push(this.err(loc, `minProperties: got ${printInt(keys.length)}, want ${printInt(s.minProperties)}`));
    }
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) {
      errors.push(this.err(loc, `maxProperties: got ${printInt(keys.length)}, want ${printInt(s.maxProperties)}`));
    }
    const miss = this.missing(obj, s.required ?? null);
    if (miss.length === 1) errors.push(this.err(loc, `missing property ${quote(miss[0])}`));
    else if (miss.length > 1) errors.push(this.err(loc, `missing properties ${miss.map(quote).join(', ')}`));

    if (this.draft < 2019 && isObject(s.dependencies)) {
      for (const [pname, dep] of Object.entries(s.dependencies)) {
        if (!Object.prototype.hasOwnProperty.call(obj, pname)) continue;
        if (Array.isArray(dep)) {
          const m = this.missing(obj, dep);
          if (m.length > 0) errors.push(this.err(loc, `properties ${m.map(quote).join(', ')} required, if ${quote(pname)} exists`));
        } else {
          const e = this.validate(dep, obj, loc, depth + 1);
          if (e) errors.push(e);
        }
      }
    }

    const props = isObject(s.properties) ? s.properties : undefined;
    const patterns = isObject(s.patternProperties) ? Object.entries(s.patternProperties) : [];
    const additional: string[] = [];
    for (const pname of keys) {
      const pvalue = obj[pname];
      let evaluated = false;
      if (props && Object.prototype.hasOwnProperty.call(props, pname)) {
        evaluated = true;
        const e = this.validate(props[pname], pvalue, [...loc, pname], depth + 1);
        if (e) errors.push(e);
      }
      for (const [re, sch] of patterns) {
        const r = regex(re);
        if (r && r.test(pname)) {
          evaluated = true;
          const e = this.validate(sch, pvalue, [...loc, pname], depth + 1);
          if (e) errors.push(e);
        }
      }
      if (!evaluated && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) additional.push(pname);
        else if (s.additionalProperties !== true) {
          const e = this.validate(s.additionalProperties, pvalue, [...loc, pname], depth + 1);
          if (e) errors.push(e);
        }
      }
    }
    if (additional.length > 0) errors.push(this.err(loc, `additional properties ${additional.map(quote).join(', ')} not allowed`));
    if (this.draft === 4) return;

    if (s.propertyNames !== undefined) {
      for (const pname of keys) {
        // A fresh validation of the name: its errors are located from '' whatever the object's place.
        const e = this.validate(s.propertyNames, pname, [], depth + 1);
        if (e) errors.push({ loc: [], msg: `invalid propertyName ${quote(pname)}`, causes: e.group ? e.causes : [e] });
      }
    }
    if (this.draft === 6) return;

    if (this.draft >= 2019) {
      if (isObject(s.dependentSchemas)) {
        for (const [pname, sch] of Object.entries(s.dependentSchemas)) {
          if (!Object.prototype.hasOwnProperty.call(obj, pname)) continue;
          const e = this.validate(sch, obj, loc, depth + 1);
          if (e) errors.push(e);
        }
      }
      if (isObject(s.dependentRequired)) {
        for (const [pname, req] of Object.entries(s.dependentRequired)) {
          if (!Object.prototype.hasOwnProperty.call(obj, pname)) continue;
          const m = this.missing(obj, req);
          if (m.length > 0) errors.push(this.err(loc, `properties ${m.map(quote).join(', ')} required, if ${quote(pname)} exists`));
        }
      }
    }
  }

  private arrValidate(s: JsonObject, arr: Json[], loc: string[], depth: number, errors: VErr[]): void {
    if (typeof s.minItems === 'number' && arr.length < s.minItems) errors.push(this.err(loc, `minItems: got ${printInt(arr.length)}, want ${printInt(s.minItems)}`));
    if (typeof s.maxItems === 'number' && arr.length > s.maxItems) errors.push(this.err(loc, `maxItems: got ${printInt(arr.length)}, want ${printInt(s.maxItems)}`));
    if (s.uniqueItems === true && arr.length > 1) {
      outer: for (let i = 0; i < arr.length; i++) {
        for (let j = i + 1; j < arr.length; j++) {
          if (equals(arr[i], arr[j])) {
            errors.push(this.err(loc, `items at ${printInt(i)} and ${printInt(j)} are equal`));
            break outer;
          }
        }
      }
    }
    const item = (sch: Json, i: number, tok: number): void => {
      const e = this.validate(sch, arr[i], [...loc, String(tok)], depth + 1);
      if (e) errors.push(e);
    };
    if (this.draft < 2020) {
      let evaluated = 0;
      if (Array.isArray(s.items)) {
        const n = Math.min(arr.length, s.items.length);
        for (let i = 0; i < n; i++) item(s.items[i], i, i);
        evaluated = n;
        // jsonschema v6 numbers additional items from 0 (relative to the first additional item).
        if (s.additionalItems === false) {
          if (evaluated !== arr.length) errors.push(this.err(loc, `last ${printInt(arr.length - evaluated)} additionalItem(s) not allowed`));
        } else if (s.additionalItems !== undefined && s.additionalItems !== true) {
          for (let i = evaluated; i < arr.length; i++) item(s.additionalItems, i, i - evaluated);
        }
      } else if (s.items !== undefined) {
        for (let i = 0; i < arr.length; i++) item(s.items, i, i);
      }
    } else {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      const n = Math.min(prefix.length, arr.length);
      for (let i = 0; i < n; i++) item(prefix[i], i, i);
      // As in v6, `items` after prefixItems reports indexes relative to the first such item.
      if (s.items !== undefined && !Array.isArray(s.items)) for (let i = n; i < arr.length; i++) item(s.items, i, i - n);
    }
    if (s.contains !== undefined) {
      const failed: VErr[] = [];
      const matched: number[] = [];
      for (let i = 0; i < arr.length; i++) {
        const e = this.validate(s.contains, arr[i], [...loc, String(i)], depth + 1);
        if (e) failed.push(e);
        else matched.push(i);
      }
      const minC = this.draft >= 2019 && typeof s.minContains === 'number' ? s.minContains : undefined;
      const maxC = this.draft >= 2019 && typeof s.maxContains === 'number' ? s.maxContains : undefined;
      if (minC !== undefined) {
        if (matched.length < minC) {
          const msg =
            matched.length === 0
              ? `min ${printInt(minC)} items required to match contains schema, but none matched`
              : `min ${printInt(minC)} items required to match contains schema, but matched ${printInt(matched.length)} items at ${matched.join(' ')}`;
          errors.push(this.err(loc, msg, failed));
        }
      } else if (matched.length === 0) {
        errors.push(this.err(loc, 'no items match contains schema', failed));
      }
      if (maxC !== undefined && matched.length > maxC) {
        errors.push(this.err(loc, `max ${printInt(maxC)} items required to match contains schema, but matched ${printInt(matched.length)} items at ${matched.join(' ')}`));
      }
    }
  }

  private strValidate(s: JsonObject, str: string, loc: string[], errors: VErr[]): void {
    if (typeof s.minLength === 'number' || typeof s.maxLength === 'number') {
      let n = 0;
      for (const _ of str) n++;
      if (typeof s.minLength === 'number' && n < s.minLength) errors.push(this.err(loc, `minLength: got ${printInt(n)}, want ${printInt(s.minLength)}`));
      if (typeof s.maxLength === 'number' && n > s.maxLength) errors.push(this.err(loc, `maxLength: got ${printInt(n)}, want ${printInt(s.maxLength)}`));
    }
    if (typeof s.pattern === 'string') {
      const r = regex(s.pattern);
      if (r && !r.test(str)) errors.push(this.err(loc, `${quote(str)} does not match pattern ${quote(s.pattern)}`));
    }
  }

  private numValidate(s: JsonObject, n: number, loc: string[], errors: VErr[]): void {
    let min = typeof s.minimum === 'number' ? s.minimum : undefined;
    let max = typeof s.maximum === 'number' ? s.maximum : undefined;
    let xmin = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined;
    let xmax = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : undefined;
    if (this.draft === 4) {
      // Draft-04's boolean exclusive bounds turn minimum/maximum into exclusive ones.
      if (s.exclusiveMinimum === true && min !== undefined) [xmin, min] = [min, undefined];
      if (s.exclusiveMaximum === true && max !== undefined) [xmax, max] = [max, undefined];
    }
    const got = printFloat(n);
    if (min !== undefined && n < min) errors.push(this.err(loc, `minimum: got ${got}, want ${printFloat(min)}`));
    if (max !== undefined && n > max) errors.push(this.err(loc, `maximum: got ${got}, want ${printFloat(max)}`));
    if (xmin !== undefined && n <= xmin) errors.push(this.err(loc, `exclusiveMinimum: got ${got}, want ${printFloat(xmin)}`));
    if (xmax !== undefined && n >= xmax) errors.push(this.err(loc, `exclusiveMaximum: got ${got}, want ${printFloat(xmax)}`));
    if (typeof s.multipleOf === 'number' && s.multipleOf !== 0) {
      const a = rat(n);
      const b = rat(s.multipleOf);
      if ((a.num * b.den) % (a.den * b.num) !== 0n) errors.push(this.err(loc, `multipleOf: got ${got}, want ${printFloat(s.multipleOf)}`));
    }
  }

  private condValidate(s: JsonObject, v: Json, loc: string[], depth: number, errors: VErr[]): void {
    const self = (sch: Json): VErr | null => this.validate(sch, v, loc, depth + 1);
    if (s.not !== undefined && self(s.not) === null) errors.push(this.err(loc, 'not failed'));
    if (Array.isArray(s.allOf) && s.allOf.length > 0) {
      const failed = s.allOf.map(self).filter((e): e is VErr => e !== null);
      if (failed.length > 0) errors.push(this.err(loc, 'allOf failed', failed));
    }
    if (Array.isArray(s.anyOf) && s.anyOf.length > 0) {
      const failed: VErr[] = [];
      let matched = false;
      for (const sch of s.anyOf) {
        const e = self(sch);
        if (e) failed.push(e);
        else {
          matched = true;
          break;
        }
      }
      if (!matched) errors.push(this.err(loc, 'anyOf failed', failed));
    }
    if (Array.isArray(s.oneOf) && s.oneOf.length > 0) {
      let matched = -1;
      const failed: VErr[] = [];
      for (let i = 0; i < s.oneOf.length; i++) {
        const e = self(s.oneOf[i]);
        if (e) {
          if (matched === -1) failed.push(e);
        } else if (matched === -1) matched = i;
        else {
          errors.push(this.err(loc, `oneOf failed, subschemas ${printInt(matched)}, ${printInt(i)} matched`));
          break;
        }
      }
      if (matched === -1) errors.push(this.err(loc, 'oneOf failed, none matched', failed));
    }
    if (s.if !== undefined && this.draft >= 7) {
      if (self(s.if) === null) {
        if (s.then !== undefined) {
          const e = self(s.then);
          if (e) errors.push(e);
        }
      } else if (s.else !== undefined) {
        const e = self(s.else);
        if (e) errors.push(e);
      }
    }
  }
}

/**
 * ajv's errors in jsonschema v6's words, flat, for what the walk does not judge (unevaluated*,
 * formats ajv was told about, remote references).
 */
function fromAjv(errs: ErrorObject[]): string {
  const lines = errs.map((e) => {
    const loc = e.instancePath
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const p = e.params as Record<string, unknown>;
    let msg: string;
    switch (e.keyword) {
      case 'unevaluatedProperties':
        return `- at ${quote(jsonPtr([...loc, String(p.unevaluatedProperty)]))}: false schema`;
      case 'unevaluatedItems':
        msg = 'false schema';
        break;
      case 'required':
        msg = `missing property ${quote(String(p.missingProperty))}`;
        break;
      case 'additionalProperties':
        msg = `additional properties ${quote(String(p.additionalProperty))} not allowed`;
        break;
      case 'type':
        msg = `got ${typeOf(e.data as Json)}, want ${Array.isArray(p.type) ? p.type.join(' or ') : String(p.type)}`;
        break;
      default:
        msg = e.message ?? `${e.keyword} failed`;
    }
    return `- at ${quote(jsonPtr(loc))}: ${msg}`;
  });
  return (lines.length > 0 ? lines.join('\n') : "- at '': validation failed") + '\n';
}

/** Forgets compiled schemas (tests). */
export function clearSchemaCache(): void {
  cache.clear();
  ajvs = {};
}
