/**
 * A fixed-seed generator of random Helm templates and values, for comparing our engine with the
 * Go reference (`helm-ref bare`): text with YAML-ish content and trim markers, nested and
 * parenthesised pipelines, variables and assignments, if/else if/else, with/else, range over
 * lists and maps (never over integers: the reference runs Go 1.19), break/continue, define /
 * include / template / tpl nesting (bounded), calls of every function of Helm's func map with
 * arguments of the expected type most of the time and of random types otherwise, random values
 * trees, and deliberately broken syntax some of the time.
 *
 * Functions whose results depend on randomness or the clock are only used in shapes whose output
 * is fixed (`randAlphaNum 5 | len`, `now | typeOf`, an encryptAES/decryptAES round trip), so every
 * case compares exactly. Counts that size an output (repeat, until, indent, ...) are always small
 * literals so that no case can blow up memory or time.
 */
import { Rng } from './prng';

export interface GenTemplate {
  name: string;
  text: string;
}

export interface GenCase {
  templates: GenTemplate[];
  entry: string;
  values: Record<string, unknown>;
  /** Functions the generator called (for grouping mismatches). */
  funcs: string[];
  /** The generator meant this case to be syntactically broken. */
  broken: boolean;
}

/** How an argument of a function should look. */
type Kind =
  | 's' // a string
  | 'i' // an int literal (or int-ish value)
  | 'n' // any number
  | 'b' // a bool
  | 'l' // a list
  | 'm' // a map
  | 'a' // anything
  | 'c' // a small count literal (sizes outputs: never random)
  | 're' // a regular expression
  | 'fmt' // a printf format
  | 'key' // a map key string
  | 'ver' // a semver string
  | 'cons' // a semver constraint
  | 'date' // a date layout
  | 'dur' // a duration string
  | 'tpl' // template text for tpl
  | 'tname' // a defined template name
  | 'time' // a time value
  | 'epoch'; // Unix seconds as an int literal (sprig's date functions take "now" for anything else)

interface FuncSpec {
  args: Kind[];
  /** The last kind repeats 0..3 times. */
  variadic?: boolean;
  /** Relative weight (default 1). */
  w?: number;
}

const S: Kind = 's';
/** Helm's function map (sprig 3.2.3 minus env/expandenv, Helm's additions, text/template's builtins). */
export const FUNCS: Record<string, FuncSpec> = {
  // text/template builtins
  and: { args: ['a', 'a'], variadic: true, w: 2 },
  or: { args: ['a', 'a'], variadic: true, w: 2 },
  not: { args: ['a'], w: 2 },
  len: { args: ['a'], w: 2 },
  index: { args: ['a', 'a'], variadic: true, w: 2 },
  slice: { args: ['a', 'i'], variadic: true },
  print: { args: ['a'], variadic: true, w: 2 },
  printf: { args: ['fmt', 'a'], variadic: true, w: 3 },
  println: { args: ['a'], variadic: true },
  eq: { args: ['a', 'a'], variadic: true, w: 3 },
  ne: { args: ['a', 'a'], w: 2 },
  lt: { args: ['n', 'n'], w: 2 },
  le: { args: ['n', 'n'] },
  gt: { args: ['n', 'n'] },
  ge: { args: ['n', 'n'] },
  html: { args: ['s'] },
  js: { args: ['s'] },
  urlquery: { args: ['s'] },
  // strings
  abbrev: { args: ['c', S] },
  abbrevboth: { args: ['c', 'c', S] },
  trunc: { args: ['i', S], w: 2 },
  trim: { args: [S], w: 2 },
  upper: { args: [S], w: 2 },
  lower: { args: [S], w: 2 },
  title: { args: [S] },
  untitle: { args: [S] },
  substr: { args: ['i', 'i', S] },
  repeat: { args: ['c', S] },
  trimall: { args: [S, S] },
  trimAll: { args: [S, S] },
  trimSuffix: { args: [S, S], w: 2 },
  trimPrefix: { args: [S, S] },
  nospace: { args: [S] },
  initials: { args: [S] },
  swapcase: { args: [S] },
  snakecase: { args: [S] },
  camelcase: { args: [S] },
  kebabcase: { args: [S] },
  wrap: { args: ['c', S] },
  wrapWith: { args: ['c', S, S] },
  contains: { args: [S, S], w: 2 },
  hasPrefix: { args: [S, S] },
  hasSuffix: { args: [S, S] },
  quote: { args: ['a'], variadic: true, w: 3 },
  squote: { args: ['a'], variadic: true },
  cat: { args: ['a'], variadic: true },
  indent: { args: ['c', S], w: 2 },
  nindent: { args: ['c', S], w: 3 },
  replace: { args: [S, S, S], w: 2 },
  plural: { args: [S, S, 'i'] },
  sha1sum: { args: [S] },
  sha256sum: { args: [S] },
  sha512sum: { args: [S] },
  adler32sum: { args: [S] },
  toString: { args: ['a' as Kind], w: 2 },
  atoi: { args: [S] },
  int64: { args: ['a'] },
  int: { args: ['a'], w: 2 },
  float64: { args: ['a'] },
  seq: { args: ['c', 'c'] },
  toDecimal: { args: ['a'] },
  split: { args: [S, S] },
  splitList: { args: [S, S] },
  splitn: { args: [S, 'c', S] },
  toStrings: { args: ['a'] },
  until: { args: ['c'] },
  untilStep: { args: ['c', 'c', 'c'] },
  // math
  add1: { args: ['n'] },
  add: { args: ['n', 'n'], variadic: true, w: 2 },
  sub: { args: ['n', 'n'] },
  div: { args: ['n', 'n'] },
  mod: { args: ['n', 'n'] },
  mul: { args: ['n', 'n'], variadic: true },
  add1f: { args: ['n'] },
  addf: { args: ['n', 'n'], variadic: true },
  subf: { args: ['n', 'n'] },
  divf: { args: ['n', 'n'] },
  mulf: { args: ['n', 'n'], variadic: true },
  biggest: { args: ['n', 'n'] },
  max: { args: ['n', 'n'], variadic: true },
  min: { args: ['n', 'n'], variadic: true },
  maxf: { args: ['n', 'n'], variadic: true },
  minf: { args: ['n', 'n'], variadic: true },
  ceil: { args: ['n'] },
  floor: { args: ['n'] },
  round: { args: ['n', 'c'] },
  // lists and defaults
  join: { args: [S, 'l'], w: 2 },
  sortAlpha: { args: ['l'] },
  default: { args: ['a', 'a'], w: 4 },
  empty: { args: ['a'], w: 2 },
  coalesce: { args: ['a', 'a'], variadic: true, w: 2 },
  all: { args: ['a'], variadic: true },
  any: { args: ['a'], variadic: true },
  compact: { args: ['l'] },
  mustCompact: { args: ['l'] },
  ternary: { args: ['a', 'a', 'b'], w: 2 },
  deepCopy: { args: ['a'] },
  mustDeepCopy: { args: ['a'] },
  typeOf: { args: ['a'], w: 2 },
  typeIs: { args: [S, 'a'] },
  typeIsLike: { args: [S, 'a'] },
  kindOf: { args: ['a'], w: 2 },
  kindIs: { args: [S, 'a'] },
  deepEqual: { args: ['a', 'a'] },
  // json / yaml / toml
  fromJson: { args: [S] },
  toJson: { args: ['a'], w: 3 },
  toPrettyJson: { args: ['a'], w: 2 },
  toRawJson: { args: ['a'] },
  mustFromJson: { args: [S] },
  mustToJson: { args: ['a'] },
  mustToPrettyJson: { args: ['a'] },
  mustToRawJson: { args: ['a'] },
  fromJsonArray: { args: [S] },
  toYaml: { args: ['a'], w: 4 },
  mustToYaml: { args: ['a'] },
  toYamlPretty: { args: ['a'] },
  fromYaml: { args: [S], w: 2 },
  fromYamlArray: { args: [S] },
  toToml: { args: ['a'] },
  mustToToml: { args: ['a'] },
  fromToml: { args: [S] },
  // paths and encodings
  base: { args: [S] },
  dir: { args: [S] },
  clean: { args: [S] },
  ext: { args: [S] },
  isAbs: { args: [S] },
  osBase: { args: [S] },
  osClean: { args: [S] },
  osDir: { args: [S] },
  osExt: { args: [S] },
  osIsAbs: { args: [S] },
  b64enc: { args: [S], w: 2 },
  b64dec: { args: [S] },
  b32enc: { args: [S] },
  b32dec: { args: [S] },
  // dicts and lists
  tuple: { args: ['a'], variadic: true },
  list: { args: ['a'], variadic: true, w: 3 },
  dict: { args: ['key', 'a'], variadic: true, w: 3 },
  get: { args: ['m', 'key'], w: 2 },
  set: { args: ['m', 'key', 'a'] },
  unset: { args: ['m', 'key'] },
  hasKey: { args: ['m', 'key'], w: 2 },
  pluck: { args: ['key', 'm'], variadic: true },
  keys: { args: ['m'], variadic: true, w: 2 },
  pick: { args: ['m', 'key'], variadic: true },
  omit: { args: ['m', 'key'], variadic: true },
  merge: { args: ['m', 'm'], variadic: true, w: 2 },
  mergeOverwrite: { args: ['m', 'm'], variadic: true },
  mustMerge: { args: ['m', 'm'] },
  mustMergeOverwrite: { args: ['m', 'm'] },
  values: { args: ['m'] },
  append: { args: ['l', 'a'] },
  mustAppend: { args: ['l', 'a'] },
  prepend: { args: ['l', 'a'] },
  mustPrepend: { args: ['l', 'a'] },
  first: { args: ['l'], w: 2 },
  mustFirst: { args: ['l'] },
  rest: { args: ['l'] },
  mustRest: { args: ['l'] },
  last: { args: ['l'] },
  mustLast: { args: ['l'] },
  initial: { args: ['l'] },
  mustInitial: { args: ['l'] },
  reverse: { args: ['l'] },
  mustReverse: { args: ['l'] },
  uniq: { args: ['l'] },
  mustUniq: { args: ['l'] },
  without: { args: ['l', 'a'], variadic: true },
  mustWithout: { args: ['l', 'a'] },
  has: { args: ['a', 'l'] },
  mustHas: { args: ['a', 'l'] },
  mustSlice: { args: ['l', 'c'] },
  concat: { args: ['l', 'l'], variadic: true },
  dig: { args: ['key', 'key', 'a', 'm'] },
  chunk: { args: ['c', 'l'] },
  mustChunk: { args: ['c', 'l'] },
  // semver, regex, urls
  semver: { args: ['ver'] },
  semverCompare: { args: ['cons', 'ver'], w: 2 },
  regexMatch: { args: ['re', S] },
  mustRegexMatch: { args: ['re', S] },
  regexFindAll: { args: ['re', S, 'i'] },
  mustRegexFindAll: { args: ['re', S, 'i'] },
  regexFind: { args: ['re', S] },
  mustRegexFind: { args: ['re', S] },
  regexReplaceAll: { args: ['re', S, S] },
  mustRegexReplaceAll: { args: ['re', S, S] },
  regexReplaceAllLiteral: { args: ['re', S, S] },
  mustRegexReplaceAllLiteral: { args: ['re', S, S] },
  regexSplit: { args: ['re', S, 'i'] },
  mustRegexSplit: { args: ['re', S, 'i'] },
  regexQuoteMeta: { args: [S] },
  urlParse: { args: [S] },
  urlJoin: { args: ['m'] },
  // dates with fixed inputs (the reference runs with TZ=UTC)
  date: { args: ['date', 'epoch'] },
  dateInZone: { args: ['date', 'epoch', S] },
  htmlDate: { args: ['epoch'] },
  htmlDateInZone: { args: ['epoch', S] },
  toDate: { args: ['date', S] },
  mustToDate: { args: ['date', S] },
  dateModify: { args: ['dur', 'time'] },
  mustDateModify: { args: ['dur', 'time'] },
  unixEpoch: { args: ['time'] },
  duration: { args: ['n'] },
  durationRound: { args: ['dur'] },
  // Helm's own
  include: { args: ['tname', 'a'], w: 4 },
  tpl: { args: ['tpl', 'a'], w: 3 },
  required: { args: [S, 'a'], w: 2 },
  fail: { args: [S], w: 0.3 },
  lookup: { args: [S, S, S, S], w: 0.3 },
  getHostByName: { args: [S], w: 0.3 },
  mustToDuration: { args: ['a'] },
  durationSeconds: { args: ['a'] },
  durationMilliseconds: { args: ['a'] },
  durationMicroseconds: { args: ['a'] },
  durationNanoseconds: { args: ['a'] },
  durationMinutes: { args: ['a'] },
  durationHours: { args: ['a'] },
  durationDays: { args: ['a'] },
  durationWeeks: { args: ['a'] },
  durationRoundTo: { args: ['dur', 'dur'] },
  durationTruncateTo: { args: ['dur', 'dur'] },
  hello: { args: [], w: 0.2 },
  // slow (scrypt, bcrypt, key generation): rare
  derivePassword: { args: ['c', S, S, S, S], w: 0.05 },
};

/**
 * Non-deterministic functions, only in shapes with a fixed output. Each entry is a template
 * fragment (an operand).
 */
const SHAPES: Array<[string, string]> = [
  ['randAlphaNum', '(randAlphaNum 5 | len)'],
  ['randAlpha', '(randAlpha 3 | len)'],
  ['randAscii', '(randAscii 4 | len)'],
  ['randNumeric', '(randNumeric 6 | len)'],
  ['randBytes', '(randBytes 6 | len)'],
  ['randInt', '(randInt 3 4)'],
  ['shuffle', '(shuffle "aaa")'],
  ['uuidv4', '(uuidv4 | len)'],
  ['now', '(now | typeOf)'],
  ['now', '(now | date "2006" | len)'],
  ['encryptAES', '(encryptAES "secretkey" "plain text" | decryptAES "secretkey")'],
  ['genPrivateKey', '(genPrivateKey "ed25519" | hasPrefix "-----BEGIN PRIVATE KEY-----")'],
];
/** Shapes of slow functions (bcrypt, RSA key generation): rarer still. */
const SLOW_SHAPES: Array<[string, string]> = [
  ['bcrypt', '(bcrypt "pw" | len)'],
  ['htpasswd', '(htpasswd "user" "pw" | len)'],
  ['genCA', '((genCA "my-ca" 365).Cert | hasPrefix "-----BEGIN CERTIFICATE-----")'],
];

const FUNC_NAMES = Object.keys(FUNCS);
const FUNC_WEIGHTS: Array<[number, string]> = FUNC_NAMES.map((n) => [FUNCS[n].w ?? 1, n]);

const KEYS = ['a', 'b', 'c', 'name', 'list', 'items', 'enabled', 'count', 'image', 'tag', 'port', 'labels', 'x', 'y', 'nested', 'empty', 'str', 'num', 'flag', 'my-key', 'Key'];
const RARE_KEYS = ['YAML', 'Table', 'AsMap', 'PathValue', 'Error', '', 'with space', 'ünï'];
const STRINGS = [
  '', 'hello', 'Hello World', 'a-b_c', 'abc', 'ABC', '123', '0', '-7', '1.5', '1e3', 'true', 'false', 'null', 'yes', 'no', '~',
  '  spaced  ', 'héllo wörld', 'line1\nline2', 'tab\there', 'quote"s', "it's", 'back\\slash', 'a,b,c', 'a:b', '- item', '# not comment',
  '{{ .Values.a }}', '{{ "x" }}', 'v1.2.3', '1.2.3-alpha.1', '>=1.0.0', 'key: value', '[1, 2]', '{"a": 1}', 'a.b.c', '/usr/local/bin/x.tar.gz',
  'http://user:pw@example.com:8080/p/a?q=1#f', 'CamelCaseString', 'snake_case_string', '2020-03-04', '1h30m', '90', 'ＷＩＤＥ', '😀 emoji', 'x'.repeat(70),
];
const NUMBERS = [0, 1, 2, 3, -1, -3, 2.5, 0.1, 1.5, 100, 1e7, 1234567, 1e21, -0.5, 42, 3.0, 65536, 1e-7];
const REGEXES = ['a', '[a-z]+', '^h', '(\\w+)-(\\w+)', '\\d+', '.*', 'l+', '[', '(?i)HELLO', '$', 'x*', '\\s'];
const FORMATS = ['%s', '%d', '%v', '%q', '%5.2f', '%x', '%T', '%s-%s', '%v %v', '%-5s|', '%05d', '%t', '%%', '%!', '%+v', '%#v', '%e', '%g', '%c', '%U', '%o', '%08.3f', '%[2]v %[1]v', '%*d'];
const VERSIONS = ['1.2.3', 'v1.20.0', '1.2.3-alpha.1', '2.0.0', '1.19.0-gke.1', 'v1.34.0', '0.0.0', 'not-a-version', '1.2'];
const CONSTRAINTS = ['>=1.19-0', '^1.2', '~1.2.x', '>1.0.0 <2.0.0', '1.2 - 1.4', '>=2.0.0 || <1.0.0', '=1.2.3', '!=1.2.3', '>= 1.20.0-0', 'bad constraint', '*'];
const LAYOUTS = ['2006-01-02', '2006-01-02T15:04:05Z07:00', '15:04', 'Jan 2 2006', 'Mon', '2006'];
const DURATIONS = ['1h', '30m', '1h30m', '90s', '2h13m', '0s', 'bad', '-5m', '1.5h', '10'];
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Bad/Zone'];

interface Ctx {
  rng: Rng;
  values: Record<string, unknown>;
  depth: number;
  vars: string[];
  /** Names of defines visible to include/template. */
  defines: string[];
  funcs: Set<string>;
  /** Inside a range body (break/continue allowed). */
  inRange: boolean;
  /** The dot is the values root (so .Values works) or unknown. */
  dotIsRoot: boolean;
  /**
   * Typed mode (half the cases): arguments always of the expected type, values paths that exist,
   * pipes only into functions that take anything, so that most cases render and outputs (not
   * only error texts) get compared.
   */
  safe: boolean;
  broken: boolean;
  /** Set while generating a tpl string literal (no nested tpl of tpl). */
  inTpl: number;
  /** The define being generated: `template` never calls it (Go's 100000-deep limit is no test). */
  self?: string;
}

/** A random values tree. */
export function genValues(rng: Rng, depth = 0): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  const n = rng.range(depth === 0 ? 3 : 0, depth === 0 ? 8 : 4);
  for (let i = 0; i < n; i++) {
    const k = rng.chance(0.02) ? rng.pick(RARE_KEYS) : rng.pick(KEYS);
    m[k] = genValue(rng, depth + 1);
  }
  return m;
}

function genValue(rng: Rng, depth: number): unknown {
  const r = rng.next();
  if (depth < 4 && r < 0.22) return genValues(rng, depth);
  if (depth < 4 && r < 0.37) {
    const n = rng.range(0, 4);
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(genValue(rng, depth + 1));
    return a;
  }
  if (r < 0.62) return rng.pick(STRINGS);
  if (r < 0.82) return rng.pick(NUMBERS);
  if (r < 0.93) return rng.chance(0.5);
  return null;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every path of the values (identifier keys only) whose value passes `pred`. */
function pathsWhere(v: unknown, pred: (x: unknown) => boolean, prefix = '', out: string[] = []): string[] {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (!IDENT.test(k)) continue;
      const p = prefix ? `${prefix}.${k}` : k;
      if (pred(x)) out.push(p);
      pathsWhere(x, pred, p, out);
    }
  }
  return out;
}

const isList = (x: unknown): boolean => Array.isArray(x);
const isMap = (x: unknown): boolean => x !== null && typeof x === 'object' && !Array.isArray(x);
const isStr = (x: unknown): boolean => typeof x === 'string';
const isNum = (x: unknown): boolean => typeof x === 'number';

/** `.Values.PATH` (or `$.Values.PATH` when the dot is not the root) of a value passing pred, if any. */
function typedPath(ctx: Ctx, pred: (x: unknown) => boolean): string | undefined {
  const ps = pathsWhere(ctx.values, pred);
  if (ps.length === 0) return undefined;
  return valuesRef(ctx) + '.' + ctx.rng.pick(ps);
}

function valuesRef(ctx: Ctx): string {
  return ctx.dotIsRoot && !ctx.rng.chance(0.2) ? '.Values' : '$.Values';
}

/** A path into the values that usually exists ("a.b"), sometimes not (never in typed mode). */
function valuesPath(ctx: Ctx): string {
  if (ctx.safe) {
    const ps = pathsWhere(ctx.values, () => true);
    if (ps.length > 0) return ctx.rng.pick(ps);
  }
  const { rng } = ctx;
  let cur: unknown = ctx.values;
  const parts: string[] = [];
  const len = rng.range(1, 3);
  for (let i = 0; i < len; i++) {
    if (cur !== undefined && cur !== null && typeof cur !== 'object') break;
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && !rng.chance(0.1)) {
      const keys = Object.keys(cur).filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
      if (keys.length === 0) break;
      const k = rng.pick(keys);
      parts.push(k);
      cur = (cur as Record<string, unknown>)[k];
    } else {
      parts.push(rng.pick(['a', 'missing', 'name', 'x']));
      cur = undefined;
      if (!rng.chance(0.15)) break;
    }
  }
  return parts.join('.');
}

function strLit(rng: Rng, s?: string): string {
  const v = s ?? rng.pick(STRINGS);
  if (rng.chance(0.15) && !v.includes('`')) return '`' + v + '`';
  return JSON.stringify(v).replace(/\\u([0-9a-f]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

function numLit(rng: Rng): string {
  return rng.pick(['0', '1', '2', '3', '-1', '7', '10', '2.5', '-0.5', '1e3', '0x1F', '0o17', '0b101', "'a'", '1_000', '100', '3.0', '0.1']);
}

function countLit(rng: Rng): string {
  return String(rng.pick([0, 1, 2, 3, 4, 5, 8, -1]));
}

/** An operand: a field chain, variable, literal, nested call or parenthesised pipeline. */
function operand(ctx: Ctx, kind: Kind = 'a'): string {
  const { rng } = ctx;
  if (ctx.safe) {
    const typed = safeOperand(ctx, kind);
    if (typed !== undefined) return typed;
  }
  switch (kind) {
    case 'c':
      return countLit(rng);
    case 're':
      return rng.chance(0.85) ? strLit(rng, rng.pick(REGEXES)) : randomOperand(ctx);
    case 'fmt':
      return rng.chance(0.9) ? strLit(rng, rng.pick(FORMATS)) : randomOperand(ctx);
    case 'ver':
      return rng.chance(0.8) ? strLit(rng, rng.pick(VERSIONS)) : randomOperand(ctx);
    case 'cons':
      return rng.chance(0.85) ? strLit(rng, rng.pick(CONSTRAINTS)) : randomOperand(ctx);
    case 'date':
      return strLit(rng, rng.pick(LAYOUTS));
    case 'dur':
      return rng.chance(0.85) ? strLit(rng, rng.pick(DURATIONS)) : rng.pick(['90', '1.5', '.Values.num']);
    case 'epoch':
      return rng.pick(['0', '1', '86400', '1600000000', '-1', '2147483647']);
    case 'time':
      return rng.pick(['(toDate "2006-01-02" "2020-03-04")', '(toDate "2006-01-02" "bad")', '(unixEpoch (toDate "2006-01-02" "2021-01-01") | int | date "2006")']);
    case 'key':
      return rng.chance(0.85) ? strLit(rng, rng.pick(KEYS)) : randomOperand(ctx);
    case 'tname':
      if (ctx.defines.length > 0 && rng.chance(0.9)) return strLit(rng, rng.pick(ctx.defines));
      return strLit(rng, rng.pick(['missing.tpl', 'gen/templates/entry.yaml']));
    case 'tpl':
      return tplLiteral(ctx);
    case 'i':
      if (rng.chance(0.7)) return numLit(rng);
      break;
    case 'n':
      if (rng.chance(0.5)) return numLit(rng);
      if (rng.chance(0.5)) return '.Values.' + valuesPath(ctx);
      break;
    case 's':
      if (rng.chance(0.5)) return strLit(rng);
      break;
    case 'b':
      if (rng.chance(0.6)) return rng.pick(['true', 'false']);
      break;
    case 'l':
      if (rng.chance(0.4)) return `(list ${operand(ctx)} ${operand(ctx)})`;
      break;
    case 'm':
      if (rng.chance(0.4)) return `(dict ${strLit(rng, rng.pick(KEYS))} ${operand(ctx)})`;
      if (rng.chance(0.3)) return '.Values';
      break;
  }
  return randomOperand(ctx);
}

/** Typed mode: an operand of the expected kind (undefined: use the general rules). */
function safeOperand(ctx: Ctx, kind: Kind): string | undefined {
  const { rng } = ctx;
  switch (kind) {
    case 's':
      if (rng.chance(0.3)) return typedPath(ctx, isStr) ?? strLit(rng);
      if (rng.chance(0.15)) return `(${randomOperand(ctx)} | toString)`;
      return strLit(rng);
    case 'i':
      return rng.pick(['0', '1', '2', '3', '-1', '7', '10', '100', '0x1F']);
    case 'n':
      if (rng.chance(0.3)) return typedPath(ctx, isNum) ?? numLit(rng);
      return rng.pick(['0', '1', '2', '3', '-1', '7', '10', '2.5', '-0.5', '1e3', '100', '0.1']);
    case 'b':
      return rng.pick(['true', 'false', `(empty ${randomOperand(ctx)})`]);
    case 'l':
      if (rng.chance(0.4)) return typedPath(ctx, isList) ?? `(list ${strLit(rng)} ${numLit(rng)})`;
      return rng.pick([`(list ${randomOperand(ctx)} ${randomOperand(ctx)})`, '(list)', `(list ${strLit(rng)} ${strLit(rng)} ${strLit(rng)})`, '(until 3)', `(splitList "," "a,b,,c")`]);
    case 'm':
      if (rng.chance(0.4)) return typedPath(ctx, isMap) ?? valuesRef(ctx);
      return rng.pick([`(dict ${strLit(rng, rng.pick(KEYS))} ${randomOperand(ctx)})`, '(dict)', valuesRef(ctx), `(dict "a" 1 "b" (list 1 2) "c" (dict "d" "e"))`]);
    case 'tname':
      return ctx.defines.length > 0 ? strLit(rng, rng.pick(ctx.defines)) : undefined;
    case 'a':
      return randomOperand(ctx);
  }
  return undefined;
}

function randomOperand(ctx: Ctx): string {
  const { rng } = ctx;
  if (ctx.safe) {
    const r = rng.next();
    if (r < 0.35) return valuesRef(ctx) + '.' + valuesPath(ctx);
    if (r < 0.42 && ctx.vars.length > 0) return rng.pick(ctx.vars);
    if (r < 0.5) return rng.pick(['.', '$', valuesRef(ctx), '$.Release.Name', '$.Release.Namespace', '$.Release.IsInstall', '$.Release.Revision', '$.Chart.Name', '$.Template.Name', '$.Chart.Version']);
    if (r < 0.65) return strLit(rng);
    if (r < 0.75) return numLit(rng);
    if (r < 0.79) return rng.pick(['true', 'false']);
    if (r < 0.82) return rng.pick(SHAPES)[1];
    if (ctx.depth < 3) return '(' + pipeline({ ...ctx, depth: ctx.depth + 1 }) + ')';
    return strLit(rng);
  }
  const r = rng.next();
  if (r < 0.3) return (ctx.dotIsRoot || rng.chance(0.3) ? '.Values.' : '$.Values.') + valuesPath(ctx);
  if (r < 0.36 && ctx.vars.length > 0) {
    const v = rng.pick(ctx.vars);
    return rng.chance(0.3) ? `${v}.${rng.pick(KEYS)}` : v;
  }
  if (r < 0.42) return rng.pick(['.', '$', '.Values', '.Release.Name', '.Release.Namespace', '.Release.IsInstall', '.Release.Revision', '.Chart.Name', '.Template.Name', '.Template.BasePath', '$.Release.Service', '.Capabilities', '.Files']);
  if (r < 0.55) return strLit(rng);
  if (r < 0.65) return numLit(rng);
  if (r < 0.69) return rng.pick(['true', 'false', 'nil']);
  if (r < 0.72) {
    const [name, shape] = rng.chance(0.03) ? rng.pick(SLOW_SHAPES) : rng.pick(SHAPES);
    ctx.funcs.add(name);
    return shape;
  }
  if (ctx.depth < 3) return '(' + pipeline({ ...ctx, depth: ctx.depth + 1 }) + ')';
  return strLit(rng);
}

function call(ctx: Ctx, name: string, piped: boolean): string {
  const { rng } = ctx;
  const spec = FUNCS[name];
  ctx.funcs.add(name);
  const kinds = [...spec.args];
  if (spec.variadic && kinds.length > 0) {
    const extra = rng.range(0, 2);
    for (let i = 0; i < extra; i++) kinds.push(kinds[kinds.length - 1]);
  }
  // A piped value fills the last argument.
  if (piped && kinds.length > 0) kinds.pop();
  // Sometimes the wrong number of arguments.
  if (!ctx.safe && rng.chance(0.03)) {
    if (kinds.length > 0 && rng.chance(0.5)) kinds.pop();
    else kinds.push('a');
  }
  const sub: Ctx = { ...ctx, depth: ctx.depth + 1 };
  // Functions that change maps in place must never make a value contain itself (Go's fmt and
  // yaml would recurse forever and crash the reference): their target is a fresh dict, the value
  // `set` stores is a literal, and merge's sources are deep copies (mergo shares the sources'
  // nested maps with the target and then writes into them).
  if (MUTATING.has(name)) {
    const args = kinds.map((k, i) => {
      if (i === 0) return rng.pick(['(dict)', `(dict "a" 1 "b" "x")`, '(deepCopy .Values)', `(dict ${strLit(rng, rng.pick(KEYS))} (list 1 2))`]);
      if (name === 'set' && i === 2) return rng.chance(0.5) ? strLit(rng) : numLit(rng);
      if (k === 'm') return `(deepCopy ${operand(sub, k)})`;
      return operand(sub, k);
    });
    return [name, ...args].join(' ');
  }
  const args = kinds.map((k) => {
    // Counts and template names keep their kind; others are random one time in six.
    if (!ctx.safe && !FIXED_KINDS.has(k) && rng.chance(1 / 12)) return operand(sub, 'a');
    return operand(sub, k);
  });
  // keys and values list a map in Go's random iteration order: sorted, they compare.
  if (name === 'keys' || name === 'values') return [name, ...args].join(' ') + ' | sortAlpha';
  return [name, ...args].join(' ');
}

/** Argument kinds never replaced by a random operand (sizes, template names, times). */
const FIXED_KINDS = new Set<Kind>(['c', 'tname', 'tpl', 'time', 'date', 'epoch']);
/** Functions whose last argument is a time: never piped into (a piped non-time means "now"). */
const TIME_FUNCS = new Set(['date', 'dateInZone', 'htmlDate', 'htmlDateInZone', 'dateModify', 'mustDateModify', 'unixEpoch']);

const MUTATING = new Set(['set', 'unset', 'merge', 'mergeOverwrite', 'mustMerge', 'mustMergeOverwrite']);

function pickFunc(ctx: Ctx): string {
  let name = ctx.rng.weighted(FUNC_WEIGHTS);
  // Keep tpl and include from nesting without bound.
  if ((name === 'tpl' && (ctx.inTpl > 0 || ctx.depth > 2)) || (name === 'include' && ctx.depth > 3)) name = 'quote';
  return name;
}

/** Functions whose last argument takes any value without error (typed mode pipes into these). */
const TOTAL_PIPES = ['quote', 'squote', 'toString', 'toYaml', 'toJson', 'toPrettyJson', 'toRawJson', 'typeOf', 'kindOf', 'default', 'empty', 'print', 'cat', 'deepCopy', 'coalesce', 'list', 'not', 'toStrings', 'toYamlPretty', 'println', 'tuple', 'printf', 'kindIs', 'typeIsLike', 'toDecimal', 'deepEqual', 'int', 'float64', 'int64', 'toToml'];

/** A pipeline: a command, then 0..2 piped functions. */
function pipeline(ctx: Ctx): string {
  const { rng } = ctx;
  let head: string;
  if (rng.chance(0.45)) head = operand(ctx);
  else head = call(ctx, pickFunc(ctx), false);
  const pipes = rng.range(0, 2);
  const parts = [head];
  for (let i = 0; i < pipes; i++) {
    const f = ctx.safe ? rng.pick(TOTAL_PIPES) : rng.chance(0.1) && ctx.depth < 2 ? rng.pick(['include', 'tpl', 'required', 'default']) : pickFunc(ctx);
    const spec = FUNCS[f];
    if (spec.args.length === 0 || MUTATING.has(f) || TIME_FUNCS.has(f)) continue;
    parts.push(call(ctx, f, true));
  }
  return parts.join(' | ');
}

function open(rng: Rng): string {
  return rng.chance(0.3) ? '{{- ' : rng.chance(0.1) ? '{{' : '{{ ';
}
function close(rng: Rng): string {
  return rng.chance(0.3) ? ' -}}' : rng.chance(0.1) ? '}}' : ' }}';
}

function text(rng: Rng): string {
  return rng.pick([
    'key: ', 'name: ', '\n', '\n  ', '\n- ', '  - item\n', 'labels:\n  app: x\n', ': ', ' ', '"', "'", '# comment\n', '---\n', 'a: 1\nb: [2, 3]\n',
    'value', '\t', '<no value>', '{ ', '}', 'x-', 'data:\n', '  ', 'true', '$', '.', '\n\n',
  ]);
}

/** A statement list: text, actions and control structures. */
function body(ctx: Ctx, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += statement(ctx);
  return out;
}

function statement(ctx: Ctx): string {
  const { rng } = ctx;
  const r = rng.next();
  const o = open(rng);
  const c = close(rng);
  const deeper = (extra: Partial<Ctx> = {}): Ctx => ({ ...ctx, depth: ctx.depth + 1, vars: [...ctx.vars], ...extra });
  if (r < 0.3) return text(rng);
  if (r < 0.55) return `${o}${pipeline(ctx)}${c}`;
  if (r < 0.6) {
    const name = '$' + rng.pick(['x', 'y', 'v', 'name', 'list']);
    const op = ctx.vars.includes(name) && rng.chance(0.5) ? '=' : ':=';
    const s = `${o}${name} ${op} ${pipeline(ctx)}${c}`;
    if (!ctx.vars.includes(name)) ctx.vars.push(name);
    return s;
  }
  if (ctx.depth >= 3) return `${o}${pipeline(ctx)}${c}`;
  if (r < 0.7) {
    let s = `${o}if ${pipeline(ctx)}${c}${body(deeper(), rng.range(1, 3))}`;
    const elifs = rng.range(0, 2);
    for (let i = 0; i < elifs; i++) s += `${open(rng)}else if ${pipeline(ctx)}${close(rng)}${body(deeper(), rng.range(1, 2))}`;
    if (rng.chance(0.5)) s += `${open(rng)}else${close(rng)}${body(deeper(), rng.range(1, 2))}`;
    return s + `${open(rng)}end${close(rng)}`;
  }
  if (r < 0.77) {
    const target = rng.chance(0.6) ? valuesRef(ctx) + '.' + valuesPath(ctx) : pipeline(ctx);
    let s = `${o}with ${target}${c}${body(deeper({ dotIsRoot: false }), rng.range(1, 3))}`;
    if (rng.chance(0.4)) s += `${open(rng)}else${close(rng)}${body(deeper(), 1)}`;
    return s + `${open(rng)}end${close(rng)}`;
  }
  if (r < 0.87) {
    const target = ctx.safe
      ? (rng.chance(0.6) ? typedPath(ctx, (x) => isList(x) || isMap(x)) : undefined) ?? rng.pick([valuesRef(ctx), '(list 1 "two" 3.5)', '(until 3)', '(dict "k" "v" "a" 1)', '(splitList "," "x,y")'])
      : rng.chance(0.6) ? '.Values.' + valuesPath(ctx) : rng.chance(0.5) ? '.Values' : pipeline(ctx);
    const sub = deeper({ dotIsRoot: false, inRange: true });
    let decl = '';
    const d = rng.next();
    if (d < 0.3) {
      decl = '$i, $e := ';
      sub.vars.push('$i', '$e');
    } else if (d < 0.5) {
      decl = '$e := ';
      sub.vars.push('$e');
    }
    let s = `${o}range ${decl}${target}${c}${body(sub, rng.range(1, 3))}`;
    if (rng.chance(0.3)) s += `${open(rng)}else${close(rng)}${body(deeper(), 1)}`;
    return s + `${open(rng)}end${close(rng)}`;
  }
  if (r < 0.9 && ctx.inRange) {
    const kw = rng.pick(['break', 'continue']);
    return `${o}if ${pipeline(ctx)}${c}${open(rng)}${kw}${close(rng)}${open(rng)}end${close(rng)}`;
  }
  const callable = ctx.defines.filter((d) => d !== ctx.self);
  if (r < 0.94 && callable.length > 0) {
    const name = rng.pick(callable);
    return `${o}template ${strLit(rng, name)} ${rng.chance(0.7) ? '.' : operand(ctx)}${c}`;
  }
  if (r < 0.97) return rng.pick(['{{/* a comment */}}', '{{- /* a comment */ -}}', '{{- /* a\ncomment */}}', '{{/* c */ -}}']);
  return `${o}${pipeline(ctx)}${c}`;
}

/** A string literal holding template text, for tpl. */
function tplLiteral(ctx: Ctx): string {
  const { rng } = ctx;
  if (rng.chance(0.3)) return strLit(rng, rng.pick(['{{ .Values.a }}', '{{ .Release.Name }}-x', 'plain', '{{ include "missing" . }}', '{{ $.Values }}', '{{ . }}', '{{ define "inner" }}in{{ end }}{{ include "inner" . }}', '{{ if }}']));
  const sub: Ctx = { ...ctx, depth: ctx.depth + 1, vars: [], inTpl: ctx.inTpl + 1, inRange: false, dotIsRoot: true };
  return strLit(rng, body(sub, rng.range(1, 2)));
}

/** Breaks a template's syntax in one of the ways people do. */
function breakSyntax(rng: Rng, text: string): string {
  const r = rng.next();
  if (r < 0.15) return text + '{{ if .Values.a }}unclosed';
  if (r < 0.25) return text + '{{ end }}';
  if (r < 0.35) return text + '{{ .Values.a';
  if (r < 0.45) return text + '{{ nosuchfunc 1 }}';
  if (r < 0.52) return text + '{{ $undefined }}';
  if (r < 0.58) return text + '{{ "unterminated }}';
  if (r < 0.64) return text + '{{ 1.2.3 }}';
  if (r < 0.7) return text + '{{ else }}';
  if (r < 0.75) return text + '{{ range }}{{ end }}';
  if (r < 0.8) return text + '{{ break }}';
  if (r < 0.85) return text + '{{ .Values.a | }}';
  if (r < 0.9) return text + '{{ define "x" }}{{ define "y" }}{{ end }}{{ end }}';
  // Cut the text at a random point.
  const cut = rng.int(text.length + 1);
  return text.slice(0, cut);
}

/** One case: an entry template, 0..3 helper files of defines, a values tree. */
export function generateCase(rng: Rng): GenCase {
  const values = genValues(rng);
  const safe = rng.chance(0.5);
  const funcs = new Set<string>();
  const defines: string[] = [];
  const templates: GenTemplate[] = [];
  const nHelpers = rng.weighted<number>([
    [5, 0],
    [4, 1],
    [2, 2],
    [1, 3],
  ]);
  for (let h = 0; h < nHelpers; h++) {
    let text = '';
    const nDefs = rng.range(1, 3);
    for (let d = 0; d < nDefs; d++) {
      let name = rng.pick(['gen.name', 'gen.labels', 'gen.fullname', 'common.x', 'helper', 'gen.list']);
      // Unique names, except now and then one that a later file redefines (the later one wins).
      if (defines.includes(name) && !(h > 0 && d === 0 && rng.chance(0.05))) name += String(defines.length);
      // Defines see the ones before them (no cycles), except a rare self-reference through
      // include, which meets Helm's limit of 1000 nested calls.
      const visible = rng.chance(0.01) ? [...defines, name] : [...defines];
      const ctx: Ctx = { rng, values, depth: 1, vars: [], defines: visible, funcs, inRange: false, dotIsRoot: rng.chance(0.7), broken: false, inTpl: 0, safe, self: name };
      text += `{{- define ${JSON.stringify(name)} -}}${body(ctx, rng.range(1, 4))}{{- end -}}${rng.chance(0.5) ? '\n' : ''}`;
      if (!defines.includes(name)) defines.push(name);
    }
    templates.push({ name: `gen/templates/_helpers${h || ''}.tpl`, text });
  }
  const ctx: Ctx = { rng, values, depth: 0, vars: [], defines, funcs, inRange: false, dotIsRoot: true, broken: false, inTpl: 0, safe };
  let entryText = body(ctx, rng.range(2, 7));
  const broken = !safe && rng.chance(0.15);
  if (broken) {
    if (templates.length > 0 && rng.chance(0.3)) {
      const t = rng.pick(templates);
      t.text = breakSyntax(rng, t.text);
    } else {
      entryText = breakSyntax(rng, entryText);
    }
  }
  const entry = 'gen/templates/' + rng.pick(['entry.yaml', 'deployment.yaml', 'sub/x.yaml']);
  templates.push({ name: entry, text: entryText });
  // Sometimes a second renderable file that the entry does not use (parsed, never run).
  if (rng.chance(0.1)) templates.push({ name: 'gen/templates/other.yaml', text: body({ ...ctx, vars: [] }, 2) });
  return { templates, entry, values, funcs: [...funcs].sort(), broken };
}

/** `n` cases from a seed (the same seed always gives the same cases). */
export function generateCases(seed: number | string, n: number, start = 0): GenCase[] {
  const out: GenCase[] = [];
  for (let i = start; i < start + n; i++) out.push(generateCase(new Rng(`${seed}:${i}`)));
  return out;
}
