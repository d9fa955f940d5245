/**
 * sprig 3.2.3's string functions: case and word functions, trimming, quoting, splitting and
 * joining, base64/base32, regular expressions, paths and URLs (sprig's strings.go, regex.go,
 * url.go and the entries of functions.go that call Go's strings, path and filepath packages).
 *
 * Parameters and results are declared with the Go types of sprig's signatures, so the evaluator
 * converts arguments as text/template does. Go strings are bytes: functions that cut at byte
 * offsets (trunc, substr, abbrev, wrap) work on UTF-8 bytes (see strings-utf8.ts).
 */
import { formatV } from '../fmt';
import { def, FuncMap, GoError, GoInt, GoMap, GoPanic, GoStruct, Value, elemType, goMapOf, goSlice, hasKey, isGoMap, kindName } from '../value';
import { FuncEnv, FuncFamily } from './env';
import { abbreviateFull, camelCaseToLowerCase, deleteWhiteSpace, goTitle, initials, swapCase, toCamelCase, uncapitalize, wrapCustom } from './strings-case';
import { base32Decode, base32Encode, base64Decode, base64Encode } from './strings-encoding';
import { byteLength, compareGoStrings, fromRunes, goBytes, goRunes, goString, runeAt, sliceBytes } from './strings-utf8';
import { goQuote, goToLower, goToUpper, isSpace } from './strings-unicode';
import {
  compileRegexp,
  expand,
  findAll,
  findString,
  matchString,
  mustCompileRegexp,
  quoteMeta,
  replaceAll,
  split as regexSplitImpl,
} from './regex';
import { pathBase, pathClean, pathDir, pathExt, pathIsAbs } from './paths';
import { hostname, parseURL, urlFromParts, userString } from './strings-url';

function n(x: GoInt): number {
  return Number(x.v);
}

/** sprig's strval: strings as they are, []byte as text, Stringers and the rest as `%v` prints them. */
export function strval(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return goString(v);
  return formatV(v === undefined ? null : v);
}

function isNil(v: Value): boolean {
  return v === null || v === undefined;
}

/** sprig's strslice: a list of strings from a slice (nil elements dropped), else [strval(v)]. */
export function strslice(v: Value): string[] {
  if (Array.isArray(v)) {
    if (elemType(v) === 'string') return v.slice() as string[];
    const out: string[] = [];
    for (const e of v) if (!isNil(e)) out.push(strval(e));
    return out;
  }
  if (v instanceof Uint8Array) return Array.from(v, (b) => String(b));
  if (isNil(v)) return [];
  return [strval(v)];
}

/** strings.Repeat, with Go's panics. */
function repeat(s: string, count: number): string {
  if (count < 0) throw new GoPanic('strings: negative Repeat count');
  if (s.length * count > 0x1fffffe8) throw new GoPanic('strings: Repeat count causes overflow');
  return s.repeat(count);
}

function sliceOutOfRange(msg: string): GoPanic {
  return new GoPanic('runtime error: slice bounds out of range ' + msg);
}

/** sprig's substring with Go's slice-bounds panics. */
function substring(start: number, end: number, s: string): string {
  const len = byteLength(s);
  if (start < 0) {
    if (end < 0) throw sliceOutOfRange(`[:${end}]`);
    if (end > len) throw sliceOutOfRange(`[:${end}] with length ${len}`);
    return sliceBytes(s, 0, end);
  }
  if (end < 0 || end > len) {
    if (start > len) throw sliceOutOfRange(`[${start}:${len}]`);
    return sliceBytes(s, start);
  }
  if (start > end) throw sliceOutOfRange(`[${start}:${end}]`);
  return sliceBytes(s, start, end);
}

function trunc(c: number, s: string): string {
  const len = byteLength(s);
  if (c < 0 && len + c > 0) return sliceBytes(s, len + c);
  if (c >= 0 && len > c) return sliceBytes(s, 0, c);
  return s;
}

/** strings.TrimSpace. */
function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b) {
    const [r, w] = runeAt(s, a);
    if (!isSpace(r) || isEscape(s, a)) break;
    a += w;
  }
  while (b > a) {
    const lowSurrogate = s.charCodeAt(b - 1) >= 0xdc00 && s.charCodeAt(b - 1) <= 0xdfff && b - 2 >= a && s.charCodeAt(b - 2) >= 0xd800 && s.charCodeAt(b - 2) <= 0xdbff;
    const w = lowSurrogate ? 2 : 1;
    const [r] = runeAt(s, b - w);
    if (!isSpace(r) || isEscape(s, b - w)) break;
    b -= w;
  }
  return s.slice(a, b);
}

function isEscape(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc80 && c <= 0xdcff;
}

/** strings.Trim: removes leading and trailing runes contained in cutset. */
function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = new Set(goRunes(cutset));
  const rs = goRunes(s);
  let a = 0;
  let b = rs.length;
  while (a < b && set.has(rs[a])) a++;
  while (b > a && set.has(rs[b - 1])) b--;
  if (a === 0 && b === rs.length) return s;
  // Rebuild from the original text so that surrogate escapes survive.
  let i = 0;
  let k = 0;
  let start = 0;
  let end = s.length;
  while (i < s.length) {
    if (k === a) start = i;
    if (k === b) {
      end = i;
      break;
    }
    i += runeAt(s, i)[1];
    k++;
  }
  if (k === a && a === rs.length) start = s.length;
  return s.slice(start, end);
}

/** strings.Replace(src, old, new, -1): an empty `old` inserts `new` around every rune. */
function replaceAllStr(src: string, old: string, rep: string): string {
  if (old === rep) return src;
  if (old !== '') return src.split(old).join(rep);
  let out = rep;
  for (let i = 0; i < src.length; ) {
    const w = runeAt(src, i)[1];
    out += src.slice(i, i + w) + rep;
    i += w;
  }
  return out;
}

/** strings.Split(s, sep); sep "" splits into runes. */
export function goSplit(s: string, sep: string, limit = -1): string[] {
  if (limit === 0) return [];
  if (sep === '') {
    const out: string[] = [];
    for (let i = 0; i < s.length; ) {
      if (limit > 0 && out.length === limit - 1) {
        out.push(s.slice(i));
        return out;
      }
      const w = runeAt(s, i)[1];
      out.push(s.slice(i, i + w));
      i += w;
    }
    return out;
  }
  if (limit < 0) return s.split(sep);
  const out: string[] = [];
  let i = 0;
  while (out.length < limit - 1) {
    const j = s.indexOf(sep, i);
    if (j < 0) break;
    out.push(s.slice(i, j));
    i = j + sep.length;
  }
  out.push(s.slice(i));
  return out;
}

function indexedMap(parts: string[]): GoMap {
  const m: GoMap = {};
  for (let i = 0; i < parts.length; i++) m['_' + i] = parts[i];
  return goMapOf(m, 'string');
}

function indent(spaces: number, v: string): string {
  const pad = repeat(' ', spaces);
  return pad + v.split('\n').join('\n' + pad);
}

/** xstrings.Shuffle: a Fisher-Yates shuffle of the runes (math/rand in Go; env.random here). */
function shuffle(s: string, env: FuncEnv): string {
  if (s === '') return s;
  const rs = goRunes(s);
  for (let i = rs.length - 1; i > 0; i--) {
    const j = Math.floor(env.random() * (i + 1));
    if (i !== j) [rs[i], rs[j]] = [rs[j], rs[i]];
  }
  return fromRunes(rs);
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
let ASCII_PRINTABLE = '';
for (let c = 32; c < 127; c++) ASCII_PRINTABLE += String.fromCharCode(c);

/**
 * goutils' CryptoRandom* over an alphabet (a negative count is an error sprig ignores: "").
 * Go draws from crypto/rand (these make passwords), so the bytes come from env.randomBytes.
 */
function randomString(count: number, alphabet: string, env: FuncEnv): string {
  if (count <= 0) return '';
  const b = env.randomBytes(count * 4);
  let out = '';
  for (let i = 0; i < count; i++) {
    const u = ((b[4 * i] << 24) | (b[4 * i + 1] << 16) | (b[4 * i + 2] << 8) | b[4 * i + 3]) >>> 0;
    out += alphabet[Math.floor((u / 4294967296) * alphabet.length)];
  }
  return out;
}

/** sprig's dictGetOrEmpty for urlJoin: a string value or "", with its panics. */
function dictGetOrEmpty(d: GoMap, key: string): string {
  if (!hasKey(d, key)) return '';
  const v = d[key];
  if (v === null || v === undefined) throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
  if (typeof v === 'string') return v;
  throw new GoPanic(`unable to parse ${key} key, must be of type string, but ${kindName(v)} found`);
}

function urlParse(v: string): GoMap {
  let u;
  try {
    u = parseURL(v);
  } catch (e) {
    if (e instanceof GoError) throw new GoPanic(`unable to parse url: ${e.message}`);
    throw e;
  }
  return {
    scheme: u.scheme,
    host: u.host,
    hostname: hostname(u),
    path: u.path,
    query: u.rawQuery,
    opaque: u.opaque,
    fragment: u.fragment,
    userinfo: u.user ? userString(u.user) : '',
  };
}

function urlJoin(d: GoMap): string {
  const parts = {
    scheme: dictGetOrEmpty(d, 'scheme'),
    host: dictGetOrEmpty(d, 'host'),
    path: dictGetOrEmpty(d, 'path'),
    query: dictGetOrEmpty(d, 'query'),
    opaque: dictGetOrEmpty(d, 'opaque'),
    fragment: dictGetOrEmpty(d, 'fragment'),
    userinfo: dictGetOrEmpty(d, 'userinfo'),
  };
  try {
    return urlFromParts(parts);
  } catch (e) {
    if (e instanceof GoError) throw new GoPanic(e.message);
    throw e;
  }
}

function strings(list: string[]): string[] {
  return goSlice(list, 'string');
}

function defineRegexFuncs(map: FuncMap): void {
  const S = 'string';
  def(map, 'regexMatch', [S, S], 'bool', (re: string, s: string) => {
    try {
      return matchString(compileRegexp(re), s);
    } catch (e) {
      if (e instanceof GoError) return false;
      throw e;
    }
  });
  def(map, 'mustRegexMatch', [S, S], 'bool', (re: string, s: string) => matchString(compileRegexp(re), s), { returnsError: true });
  const findAllStrings = (re: string, s: string, k: GoInt, must: boolean) => {
    const r = must ? compileRegexp(re) : mustCompileRegexp(re);
    return strings(findAll(r, s, n(k)).map((m) => m[0]));
  };
  def(map, 'regexFindAll', [S, S, 'int'], '[]string', (re: string, s: string, k: GoInt) => findAllStrings(re, s, k, false));
  def(map, 'mustRegexFindAll', [S, S, 'int'], '[]string', (re: string, s: string, k: GoInt) => findAllStrings(re, s, k, true), { returnsError: true });
  def(map, 'regexFind', [S, S], S, (re: string, s: string) => findString(mustCompileRegexp(re), s));
  def(map, 'mustRegexFind', [S, S], S, (re: string, s: string) => findString(compileRegexp(re), s), { returnsError: true });
  const replaceExpand = (re: string, s: string, repl: string, must: boolean) => {
    const r = must ? compileRegexp(re) : mustCompileRegexp(re);
    const hasDollar = repl.includes('$');
    return replaceAll(r, s, (m) => (hasDollar ? expand(r, repl, m) : repl));
  };
  def(map, 'regexReplaceAll', [S, S, S], S, (re: string, s: string, repl: string) => replaceExpand(re, s, repl, false));
  def(map, 'mustRegexReplaceAll', [S, S, S], S, (re: string, s: string, repl: string) => replaceExpand(re, s, repl, true), { returnsError: true });
  def(map, 'regexReplaceAllLiteral', [S, S, S], S, (re: string, s: string, repl: string) => replaceAll(mustCompileRegexp(re), s, () => repl));
  def(map, 'mustRegexReplaceAllLiteral', [S, S, S], S, (re: string, s: string, repl: string) => replaceAll(compileRegexp(re), s, () => repl), {
    returnsError: true,
  });
  def(map, 'regexSplit', [S, S, 'int'], '[]string', (re: string, s: string, k: GoInt) => strings(regexSplitImpl(mustCompileRegexp(re), s, n(k))));
  def(map, 'mustRegexSplit', [S, S, 'int'], '[]string', (re: string, s: string, k: GoInt) => strings(regexSplitImpl(compileRegexp(re), s, n(k))), {
    returnsError: true,
  });
  def(map, 'regexQuoteMeta', [S], S, (s: string) => quoteMeta(s));
}

/** The string, encoding, regex, path and URL functions of sprig 3.2.3. */
export const stringFuncs: FuncFamily = (map, env) => {
  const S = 'string';
  const I = 'int';
  const ANY = 'interface {}';
  def(map, 'hello', [], S, () => 'Hello!');
  def(map, 'abbrev', [I, S], S, (w: GoInt, s: string) => (n(w) < 4 ? s : abbreviateFull(s, 0, n(w))));
  def(map, 'abbrevboth', [I, I, S], S, (l: GoInt, r: GoInt, s: string) => {
    const left = n(l);
    const right = n(r);
    if (right < 4 || (left > 0 && right < 7)) return s;
    return abbreviateFull(s, left, right);
  });
  def(map, 'trunc', [I, S], S, (c: GoInt, s: string) => trunc(n(c), s));
  def(map, 'trim', [S], S, (s: string) => trimSpace(s));
  def(map, 'upper', [S], S, (s: string) => goToUpper(s));
  def(map, 'lower', [S], S, (s: string) => goToLower(s));
  def(map, 'title', [S], S, (s: string) => goTitle(s));
  def(map, 'untitle', [S], S, (s: string) => uncapitalize(s));
  def(map, 'substr', [I, I, S], S, (a: GoInt, b: GoInt, s: string) => substring(n(a), n(b), s));
  def(map, 'repeat', [I, S], S, (c: GoInt, s: string) => repeat(s, n(c)));
  def(map, 'trimall', [S, S], S, (a: string, b: string) => trimCutset(b, a));
  def(map, 'trimAll', [S, S], S, (a: string, b: string) => trimCutset(b, a));
  def(map, 'trimSuffix', [S, S], S, (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b));
  def(map, 'trimPrefix', [S, S], S, (a: string, b: string) => (a !== '' && b.startsWith(a) ? b.slice(a.length) : b));
  def(map, 'nospace', [S], S, (s: string) => deleteWhiteSpace(s));
  def(map, 'initials', [S], S, (s: string) => initials(s));
  def(map, 'randAlphaNum', [I], S, (c: GoInt) => randomString(n(c), ALPHA + DIGITS, env));
  def(map, 'randAlpha', [I], S, (c: GoInt) => randomString(n(c), ALPHA, env));
  def(map, 'randAscii', [I], S, (c: GoInt) => randomString(n(c), ASCII_PRINTABLE, env));
  def(map, 'randNumeric', [I], S, (c: GoInt) => randomString(n(c), DIGITS, env));
  def(map, 'swapcase', [S], S, (s: string) => swapCase(s));
  def(map, 'shuffle', [S], S, (s: string) => shuffle(s, env));
  def(map, 'snakecase', [S], S, (s: string) => camelCaseToLowerCase(s, '_'));
  def(map, 'camelcase', [S], S, (s: string) => toCamelCase(s));
  def(map, 'kebabcase', [S], S, (s: string) => camelCaseToLowerCase(s, '-'));
  def(map, 'wrap', [I, S], S, (l: GoInt, s: string) => wrapCustom(s, n(l), '', false));
  def(map, 'wrapWith', [I, S, S], S, (l: GoInt, sep: string, s: string) => wrapCustom(s, n(l), sep, true));
  def(map, 'contains', [S, S], 'bool', (sub: string, s: string) => s.includes(sub));
  def(map, 'hasPrefix', [S, S], 'bool', (p: string, s: string) => s.startsWith(p));
  def(map, 'hasSuffix', [S, S], 'bool', (p: string, s: string) => s.endsWith(p));
  def(map, 'quote', [], S, (...args: Value[]) => args.filter((a) => !isNil(a)).map((a) => goQuote(strval(a))).join(' '), { variadic: ANY });
  def(map, 'squote', [], S, (...args: Value[]) => args.filter((a) => !isNil(a)).map((a) => "'" + formatV(a) + "'").join(' '), { variadic: ANY });
  def(map, 'cat', [], S, (...args: Value[]) => args.filter((a) => !isNil(a)).map((a) => formatV(a)).join(' '), { variadic: ANY });
  def(map, 'indent', [I, S], S, (k: GoInt, v: string) => indent(n(k), v));
  def(map, 'nindent', [I, S], S, (k: GoInt, v: string) => '\n' + indent(n(k), v));
  def(map, 'replace', [S, S, S], S, (o: string, nw: string, src: string) => replaceAllStr(src, o, nw));
  def(map, 'plural', [S, S, I], S, (one: string, many: string, c: GoInt) => (c.v === 1n ? one : many));
  def(map, 'split', [S, S], 'map[string]string', (sep: string, s: string) => indexedMap(goSplit(s, sep)));
  def(map, 'splitList', [S, S], '[]string', (sep: string, s: string) => strings(goSplit(s, sep)));
  def(map, 'splitn', [S, I, S], 'map[string]string', (sep: string, k: GoInt, s: string) => indexedMap(goSplit(s, sep, n(k))));
  def(map, 'toStrings', [ANY], '[]string', (v: Value) => strings(strslice(v)));
  def(map, 'join', [S, ANY], S, (sep: string, v: Value) => strslice(v).join(sep));
  def(map, 'sortAlpha', [ANY], '[]string', (v: Value) => {
    if (Array.isArray(v) || v instanceof Uint8Array) return strings(strslice(v).sort(compareGoStrings));
    return strings([strval(v)]);
  });
  defineRegexFuncs(map);
  def(map, 'b64enc', [S], S, (s: string) => base64Encode(goBytes(s)));
  def(map, 'b64dec', [S], S, (s: string) => decodeOrMessage(() => base64Decode(goBytes(s))));
  def(map, 'b32enc', [S], S, (s: string) => base32Encode(goBytes(s)));
  def(map, 'b32dec', [S], S, (s: string) => decodeOrMessage(() => base32Decode(goBytes(s))));
  for (const prefix of ['', 'os']) {
    const name = (x: string) => (prefix ? prefix + x[0].toUpperCase() + x.slice(1) : x);
    def(map, name('base'), [S], S, (p: string) => pathBase(p));
    def(map, name('dir'), [S], S, (p: string) => pathDir(p));
    def(map, name('clean'), [S], S, (p: string) => pathClean(p));
    def(map, name('ext'), [S], S, (p: string) => pathExt(p));
    def(map, name('isAbs'), [S], 'bool', (p: string) => pathIsAbs(p));
  }
  def(map, 'urlParse', [S], 'map[string]interface {}', (v: string) => urlParse(v));
  def(map, 'urlJoin', ['map[string]interface {}'], S, (d: Value) => urlJoin(isGoMap(d) ? d : d instanceof GoStruct ? d.asMap() ?? {} : {}));
};

function decodeOrMessage(f: () => Uint8Array): string {
  try {
    return goString(f());
  } catch (e) {
    if (e instanceof GoError) return e.message;
    throw e;
  }
}

