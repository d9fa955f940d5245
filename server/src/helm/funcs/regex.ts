/**
 * Go's regexp (RE2 syntax, Perl flags) on top of JavaScript's RegExp.
 *
 * A pattern is parsed here the way Go's regexp/syntax parses it, left to right with the same
 * checks in the same order, so that what Go rejects fails with Go's exact message
 * (`error parsing regexp: invalid or unsupported Perl syntax: `(?=``); what it accepts is
 * translated into an equivalent JS RegExp (always with the `u` flag):
 * - `.` excludes only `\n` (JS also excludes `\r`, U+2028, U+2029); `\s` is `[\t\n\f\r ]`;
 *   `^`/`$` are text anchors unless `(?m)`, where only `\n` ends a line;
 * - inline flags `(?i)`, `(?s)`, `(?m)`, `(?U)` and `(?flags:...)` are scoped like Go's: when the
 *   whole pattern is case-insensitive (and has no `\b`, which JS's `i` flag would widen to ſ and
 *   K) the JS `i` flag is used, otherwise folded characters are expanded into classes of their
 *   case variants;
 * - `(?P<name>...)`, `\Q...\E`, `\x{...}`, `\pN`, `\p{Greek}`, `[[:alpha:]]`, `\z`, `\A`.
 * Matching is leftmost-first in both engines, so matches agree; the iteration of FindAll,
 * ReplaceAll and Split (what to do with empty matches) is Go's, done here.
 *
 * Known differences: RE2 matches in linear time while JS backtracks, so a pathological pattern
 * can be slow (the caller's render deadline bounds it); a group inside a repeated group keeps
 * its last successful value in Go but is reset by each iteration in JS (`(?:(a)|b)+` on "ab":
 * Go's $1 is "a", JS's is empty); a repeated group whose first alternative is empty (`(|a)+`)
 * stops after an empty iteration in Go but not in JS; `(?i)\P{Lu}` and case folding of large
 * ranges and Unicode classes in patterns that cannot use the JS `i` flag are approximations.
 */
import { GoError, GoPanic } from '../value';
import { runeAt } from './strings-utf8';
import { quoteForMessage, toLower, toTitle, toUpper } from './strings-unicode';

/** A compiled Go regexp. */
export interface GoRegexp {
  /** The Go source. */
  readonly expr: string;
  /** The translation (global, unicode). */
  readonly js: RegExp;
  /** Number of capture groups. */
  readonly numSubexp: number;
  /** Group names by index (index 0 and unnamed groups are ''). */
  readonly names: string[];
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

type Range = [number, number];
type ClassItem = { lo: number; hi: number } | { prop: string; neg: boolean };

type Node =
  | { k: 'lit'; r: number; fold: boolean }
  | { k: 'class'; items: ClassItem[]; neg: boolean; fold: boolean }
  | { k: 'dot'; nl: boolean }
  | { k: 'assert'; a: 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb' }
  | { k: 'group'; cap: number; alts: Node[][] }
  | { k: 'rep'; sub: Node; min: number; max: number; greedy: boolean; brace: boolean };

const FOLD = 1;
const ONELINE = 2; // ^ and $ match only at text boundaries (cleared by (?m))
const DOTNL = 4;
const NONGREEDY = 8;

const MAX_RUNE = 0x10ffff;

class SyntaxError_ extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

const E = {
  charClass: 'invalid character class',
  charRange: 'invalid character class range',
  escape: 'invalid escape sequence',
  namedCapture: 'invalid named capture',
  perlOp: 'invalid or unsupported Perl syntax',
  repeatOp: 'invalid nested repetition operator',
  repeatSize: 'invalid repeat count',
  utf8: 'invalid UTF-8',
  bracket: 'missing closing ]',
  paren: 'missing closing )',
  repeatArg: 'missing argument to repetition operator',
  backslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nesting: 'expression nests too deeply',
};

// Perl and POSIX classes (regexp/syntax/perl_groups.go).
const PERL: Record<string, [number, Range[]]> = {
  '\\d': [1, [[0x30, 0x39]]],
  '\\D': [-1, [[0x30, 0x39]]],
  '\\s': [1, [[0x9, 0xa], [0xc, 0xd], [0x20, 0x20]]],
  '\\S': [-1, [[0x9, 0xa], [0xc, 0xd], [0x20, 0x20]]],
  '\\w': [1, [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]],
  '\\W': [-1, [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]],
};

const POSIX: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x0, 0x7f]],
  blank: [[0x9, 0x9], [0x20, 0x20]],
  cntrl: [[0x0, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x9, 0xd], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

// Go 1.19's unicode.Categories and unicode.Scripts (the names \p{...} accepts).
const CATEGORIES = new Set('C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '));
const SCRIPTS = new Set(
  ('Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki Bopomofo Brahmi ' +
    'Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform ' +
    'Cypriot Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian ' +
    'Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana ' +
    'Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li Kharoshthi ' +
    'Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar ' +
    'Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive ' +
    'Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari New_Tai_Lue Newa Nko Nushu ' +
    'Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian ' +
    'Old_South_Arabian Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi ' +
    'Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese ' +
    'Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai Tibetan Tifinagh ' +
    'Tirhuta Ugaritic Vai Wancho Warang_Citi Yezidi Yi Zanabazar_Square').split(' '),
);

/** The class items of a Go Unicode class name (sign applied), or undefined for an unknown name. */
function unicodeItems(name: string, neg: boolean): ClassItem[] | undefined {
  if (name === 'Any') return neg ? [] : [{ lo: 0, hi: MAX_RUNE }];
  if (name === 'C') {
    // Go's C is Cc|Cf|Co|Cs (JavaScript's also has the unassigned Cn).
    return neg
      ? ['Cn', 'L', 'M', 'N', 'P', 'S', 'Z'].map((p) => ({ prop: p, neg: false }))
      : ['Cc', 'Cf', 'Co', 'Cs'].map((p) => ({ prop: p, neg: false }));
  }
  if (CATEGORIES.has(name)) return [{ prop: name, neg }];
  if (SCRIPTS.has(name)) return [{ prop: 'Script=' + name, neg }];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Ranges

function cleanRanges(rs: Range[]): Range[] {
  const a = rs.slice().sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const out: Range[] = [];
  for (const [lo, hi] of a) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else out.push([lo, hi]);
  }
  return out;
}

function negateRanges(rs: Range[]): Range[] {
  const c = cleanRanges(rs);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of c) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

/** Case variants that unicode.SimpleFold reaches but simple upper/lower mappings do not. */
const FOLD_EXTRA: Record<number, number> = {
  0x212a: 0x6b, 0x17f: 0x73, 0x212b: 0xe5, 0xb5: 0x3bc, 0x2126: 0x3c9, 0x1e9e: 0xdf, 0x3d1: 0x3b8, 0x3f4: 0x3b8,
  0x345: 0x3b9, 0x1fbe: 0x3b9, 0x3d0: 0x3b2, 0x3f5: 0x3b5, 0x3f0: 0x3ba, 0x3d6: 0x3c0, 0x3f1: 0x3c1, 0x3c2: 0x3c3,
  0x3d5: 0x3c6, 0x1c80: 0x432, 0x1c81: 0x434, 0x1c82: 0x43e, 0x1c83: 0x441, 0x1c84: 0x442, 0x1c85: 0x442,
  0x1c86: 0x44a, 0x1c87: 0x463, 0x1c88: 0xa64b, 0x1e9b: 0x1e61,
};
const FOLD_EXTRA_BY_LOWER = new Map<number, number[]>();
for (const [k, v] of Object.entries(FOLD_EXTRA)) {
  const l = FOLD_EXTRA_BY_LOWER.get(v) ?? [];
  l.push(Number(k));
  FOLD_EXTRA_BY_LOWER.set(v, l);
}

/** The case-folding orbit of a rune (what Go's (?i) matches for it). */
export function foldOrbit(r: number): number[] {
  const seen = new Set<number>([r]);
  const todo = [r];
  if (FOLD_EXTRA[r] !== undefined) todo.push(FOLD_EXTRA[r]);
  while (todo.length) {
    const c = todo.pop()!;
    seen.add(c);
    for (const d of [toLower(c), toUpper(c), toTitle(c), ...(FOLD_EXTRA_BY_LOWER.get(c) ?? [])]) {
      if (!seen.has(d)) {
        seen.add(d);
        todo.push(d);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

function foldRanges(rs: Range[]): Range[] {
  const out: Range[] = rs.slice();
  let budget = 4096;
  for (const [lo, hi] of rs) {
    if (hi - lo > budget) {
      // Large ranges: only the ends are folded (an approximation; see the file comment).
      for (const c of [...foldOrbit(lo), ...foldOrbit(hi)]) out.push([c, c]);
      continue;
    }
    budget -= hi - lo;
    for (let c = lo; c <= hi; c++) for (const d of foldOrbit(c)) if (d < lo || d > hi) out.push([d, d]);
  }
  return cleanRanges(out);
}

// ---------------------------------------------------------------------------------------------
// Parser (regexp/syntax/parse.go's order of checks)

interface Frame {
  cap: number;
  flags: number; // flags to restore at the closing paren
  alts: Node[][];
  cur: Node[];
}

interface Parsed {
  alts: Node[][];
  numCap: number;
  names: string[];
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Go's repeatIsValid: nested {n,m} counts may not multiply past 1000. */
function repeatIsValid(node: Node, n: number): boolean {
  if (node.k === 'rep' && node.brace) {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  if (node.k === 'rep') return repeatIsValid(node.sub, n);
  if (node.k === 'group') {
    for (const alt of node.alts) for (const sub of alt) if (!repeatIsValid(sub, n)) return false;
  }
  return true;
}

class Parser {
  private i = 0;
  private flags = ONELINE;
  private numCap = 0;
  private readonly names: string[] = [''];
  private readonly stack: Frame[] = [{ cap: 0, flags: 0, alts: [], cur: [] }];
  private lastRepeat = -1;

  constructor(private readonly s: string) {}

  private get top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  private fail(code: string, expr: string): never {
    throw new SyntaxError_(code, expr);
  }

  /** The rune at j (surrogate escapes are invalid UTF-8 in Go). */
  private rune(j: number): [number, number] {
    const c = this.s.charCodeAt(j);
    if (c >= 0xdc80 && c <= 0xdcff) this.fail(E.utf8, this.s.slice(j));
    return runeAt(this.s, j);
  }

  private push(n: Node): void {
    this.top.cur.push(n);
  }

  private literal(r: number): void {
    this.push({ k: 'lit', r, fold: (this.flags & FOLD) !== 0 });
  }

  parse(): Parsed {
    const s = this.s;
    const n = s.length;
    while (this.i < n) {
      let repeat = -1;
      const c = s.charCodeAt(this.i);
      switch (c) {
        case 0x28: // (
          if (this.i + 1 < n && s.charCodeAt(this.i + 1) === 0x3f) {
            this.parsePerlFlags();
            break;
          }
          this.numCap++;
          this.names.push('');
          this.stack.push({ cap: this.numCap, flags: this.flags, alts: [], cur: [] });
          this.i++;
          break;
        case 0x7c: // |
          this.top.alts.push(this.top.cur);
          this.top.cur = [];
          this.i++;
          break;
        case 0x29: // )
          this.closeParen();
          this.i++;
          break;
        case 0x5e: // ^
          this.push({ k: 'assert', a: this.flags & ONELINE ? 'bot' : 'bol' });
          this.i++;
          break;
        case 0x24: // $
          this.push({ k: 'assert', a: this.flags & ONELINE ? 'eot' : 'eol' });
          this.i++;
          break;
        case 0x2e: // .
          this.push({ k: 'dot', nl: (this.flags & DOTNL) !== 0 });
          this.i++;
          break;
        case 0x5b: // [
          this.parseClass();
          break;
        case 0x2a:
        case 0x2b:
        case 0x3f: {
          // * + ?
          const before = this.i;
          const [min, max] = c === 0x2a ? [0, -1] : c === 0x2b ? [1, -1] : [0, 1];
          this.i = this.repeat(min, max, false, before, this.i + 1);
          repeat = before;
          break;
        }
        case 0x7b: {
          // {
          const before = this.i;
          const r = this.parseRepeat(this.i);
          if (!r) {
            this.literal(0x7b);
            this.i++;
            break;
          }
          const [min, max, after] = r;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) this.fail(E.repeatSize, s.slice(before, after));
          this.i = this.repeat(min, max, true, before, after);
          repeat = before;
          break;
        }
        case 0x5c: // \
          this.parseBackslash();
          break;
        default: {
          const [r, w] = this.rune(this.i);
          this.literal(r);
          this.i += w;
        }
      }
      this.lastRepeat = repeat;
    }
    if (this.stack.length !== 1) this.fail(E.paren, s);
    const root = this.stack[0];
    root.alts.push(root.cur);
    return { alts: root.alts, numCap: this.numCap, names: this.names };
  }

  private closeParen(): void {
    if (this.stack.length < 2) this.fail(E.unexpectedParen, this.s);
    const f = this.stack.pop()!;
    f.alts.push(f.cur);
    this.flags = f.flags;
    this.push({ k: 'group', cap: f.cap, alts: f.alts });
  }

  /** Applies a repetition to the last node; returns the index after the operator (and a `?`). */
  private repeat(min: number, max: number, brace: boolean, before: number, after: number): number {
    let greedy = (this.flags & NONGREEDY) === 0;
    if (after < this.s.length && this.s.charCodeAt(after) === 0x3f) {
      after++;
      greedy = !greedy;
    }
    if (this.lastRepeat >= 0) this.fail(E.repeatOp, this.s.slice(this.lastRepeat, after));
    const cur = this.top.cur;
    if (cur.length === 0) this.fail(E.repeatArg, this.s.slice(before, after));
    const node: Node = { k: 'rep', sub: cur[cur.length - 1], min, max, greedy, brace };
    cur[cur.length - 1] = node;
    if (brace && (min >= 2 || max >= 2) && !repeatIsValid(node, 1000)) this.fail(E.repeatSize, this.s.slice(before, after));
    return after;
  }

  /** parseInt: decimal without leading zeros; values over 1e8 become -1. */
  private parseInt(j: number): [number, number] | undefined {
    const s = this.s;
    const d = (k: number) => k < s.length && s.charCodeAt(k) >= 0x30 && s.charCodeAt(k) <= 0x39;
    if (!d(j)) return undefined;
    if (s.charCodeAt(j) === 0x30 && d(j + 1)) return undefined;
    let k = j;
    let v = 0;
    while (d(k)) {
      if (v >= 1e8) v = -1;
      else if (v >= 0) v = v * 10 + s.charCodeAt(k) - 0x30;
      k++;
    }
    return [v, k];
  }

  /** {min} {min,} {min,max}: [min, max, end] or undefined when `{` is a literal. */
  private parseRepeat(j: number): [number, number, number] | undefined {
    const s = this.s;
    const a = this.parseInt(j + 1);
    if (!a) return undefined;
    let [min, k] = a;
    let max: number;
    if (k >= s.length) return undefined;
    if (s.charCodeAt(k) !== 0x2c) max = min;
    else {
      k++;
      if (k >= s.length) return undefined;
      if (s.charCodeAt(k) === 0x7d) max = -1;
      else {
        const b = this.parseInt(k);
        if (!b) return undefined;
        [max, k] = b;
        if (max < 0) min = -1;
      }
    }
    if (k >= s.length || s.charCodeAt(k) !== 0x7d) return undefined;
    return [min, max, k + 1];
  }

  private parsePerlFlags(): void {
    const s = this.s;
    const start = this.i;
    if (s.length - start > 4 && s[start + 2] === 'P' && s[start + 3] === '<') {
      const end = s.indexOf('>', start);
      if (end < 0) this.fail(E.namedCapture, s.slice(start));
      const name = s.slice(start + 4, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail(E.namedCapture, s.slice(start, end + 1));
      this.numCap++;
      this.names.push(name);
      this.stack.push({ cap: this.numCap, flags: this.flags, alts: [], cur: [] });
      this.i = end + 1;
      return;
    }
    let j = start + 2;
    let flags = this.flags;
    let sign = 1;
    let sawFlag = false;
    const set = (f: number) => {
      flags = sign > 0 ? flags | f : flags & ~f;
      sawFlag = true;
    };
    while (j < s.length) {
      const [c, w] = this.rune(j);
      j += w;
      switch (c) {
        case 0x69: // i
          set(FOLD);
          continue;
        case 0x6d: // m: clears OneLine
          flags = sign > 0 ? flags & ~ONELINE : flags | ONELINE;
          sawFlag = true;
          continue;
        case 0x73: // s
          set(DOTNL);
          continue;
        case 0x55: // U
          set(NONGREEDY);
          continue;
        case 0x2d: // -
          if (sign < 0) break;
          sign = -1;
          sawFlag = false;
          continue;
        case 0x3a: // :
        case 0x29: // )
          if (sign < 0 && !sawFlag) break;
          if (c === 0x3a) this.stack.push({ cap: 0, flags: this.flags, alts: [], cur: [] });
          this.flags = flags;
          this.i = j;
          return;
      }
      break;
    }
    this.fail(E.perlOp, s.slice(start, j));
  }

  private parseBackslash(): void {
    const s = this.s;
    const j = this.i;
    if (j + 1 < s.length) {
      switch (s[j + 1]) {
        case 'A':
          this.push({ k: 'assert', a: 'bot' });
          this.i += 2;
          return;
        case 'b':
          this.push({ k: 'assert', a: 'wb' });
          this.i += 2;
          return;
        case 'B':
          this.push({ k: 'assert', a: 'nwb' });
          this.i += 2;
          return;
        case 'C':
          this.fail(E.escape, s.slice(j, j + 2));
        // eslint-disable-next-line no-fallthrough
        case 'Q': {
          const end = s.indexOf('\\E', j + 2);
          const lit = end < 0 ? s.slice(j + 2) : s.slice(j + 2, end);
          for (let k = 0; k < lit.length; ) {
            const c = lit.charCodeAt(k);
            if (c >= 0xdc80 && c <= 0xdcff) this.fail(E.utf8, lit.slice(k));
            const [r, w] = runeAt(lit, k);
            this.literal(r);
            k += w;
          }
          this.i = end < 0 ? s.length : end + 2;
          return;
        }
        case 'z':
          this.push({ k: 'assert', a: 'eot' });
          this.i += 2;
          return;
      }
    }
    const fold = (this.flags & FOLD) !== 0;
    const uc = this.parseUnicodeClass(j);
    if (uc) {
      this.push({ k: 'class', items: uc[0], neg: false, fold });
      this.i = uc[1];
      return;
    }
    const pc = this.parsePerlClass(j);
    if (pc) {
      this.push({ k: 'class', items: pc, neg: false, fold });
      this.i = j + 2;
      return;
    }
    const [r, next] = this.parseEscape(j);
    this.literal(r);
    this.i = next;
  }

  /** An ordinary escape at j (which holds the backslash): [rune, next index]. */
  private parseEscape(j: number): [number, number] {
    const s = this.s;
    let t = j + 1;
    if (t >= s.length) this.fail(E.backslash, '');
    const [c, w] = this.rune(t);
    t += w;
    const bad = (): never => this.fail(E.escape, s.slice(j, t));
    const oct = (k: number) => k < s.length && s.charCodeAt(k) >= 0x30 && s.charCodeAt(k) <= 0x37;
    if (c >= 0x31 && c <= 0x37) {
      // A single non-zero digit is a backreference: not supported.
      if (!oct(t)) bad();
    }
    if (c >= 0x30 && c <= 0x37) {
      let r = c - 0x30;
      for (let k = 1; k < 3 && oct(t); k++) r = r * 8 + s.charCodeAt(t++) - 0x30;
      return [r, t];
    }
    switch (c) {
      case 0x78: {
        // x
        if (t >= s.length) bad();
        const [c1, w1] = this.rune(t);
        t += w1;
        if (c1 === 0x7b) {
          let nhex = 0;
          let r = 0;
          for (;;) {
            if (t >= s.length) bad();
            const [d, wd] = this.rune(t);
            t += wd;
            if (d === 0x7d) break;
            const v = unhex(d);
            if (v < 0) bad();
            r = r * 16 + v;
            if (r > MAX_RUNE) bad();
            nhex++;
          }
          if (nhex === 0) bad();
          return [r, t];
        }
        const x = unhex(c1);
        let c2 = -1;
        if (t < s.length) {
          const [d, wd] = this.rune(t);
          t += wd;
          c2 = d;
        }
        const y = c2 < 0 ? -1 : unhex(c2);
        if (x < 0 || y < 0) bad();
        return [x * 16 + y, t];
      }
      case 0x61:
        return [0x07, t];
      case 0x66:
        return [0x0c, t];
      case 0x6e:
        return [0x0a, t];
      case 0x72:
        return [0x0d, t];
      case 0x74:
        return [0x09, t];
      case 0x76:
        return [0x0b, t];
    }
    // Escaped ASCII punctuation is itself.
    if (c < 0x80 && !isAlnum(c)) return [c, t];
    return bad();
  }

  /** \pN, \p{Name}, \PN, \p{^Name} at j: [items, next] or undefined when not a Unicode class. */
  private parseUnicodeClass(j: number): [ClassItem[], number] | undefined {
    const s = this.s;
    if (j + 1 >= s.length || s[j] !== '\\' || (s[j + 1] !== 'p' && s[j + 1] !== 'P')) return undefined;
    let neg = s[j + 1] === 'P';
    let t = j + 2;
    let seq: string;
    let name: string;
    if (t >= s.length || s[t] !== '{') {
      let w = 0;
      if (t < s.length) w = this.rune(t)[1];
      t += w;
      seq = s.slice(j, t);
      name = seq.slice(2);
    } else {
      const end = s.indexOf('}', j);
      if (end < 0) this.fail(E.charRange, s.slice(j));
      seq = s.slice(j, end + 1);
      name = s.slice(j + 3, end);
      t = end + 1;
    }
    if (name !== '' && name[0] === '^') {
      neg = !neg;
      name = name.slice(1);
    }
    const items = unicodeItems(name, neg);
    if (!items) this.fail(E.charRange, seq);
    return [items, t];
  }

  /** \d \D \s \S \w \W at j: the class items (case-folded under (?i), as Go does). */
  private parsePerlClass(j: number): ClassItem[] | undefined {
    const g = PERL[this.s.slice(j, j + 2)];
    if (!g) return undefined;
    return this.groupItems(g[0], g[1]);
  }

  private groupItems(sign: number, ranges: Range[]): ClassItem[] {
    let rs = ranges;
    if (this.flags & FOLD) rs = foldRanges(rs);
    if (sign < 0) rs = negateRanges(rs);
    return rs.map(([lo, hi]) => ({ lo, hi }));
  }

  private parseClass(): void {
    const s = this.s;
    const whole = s.slice(this.i);
    let t = this.i + 1;
    const fold = (this.flags & FOLD) !== 0;
    const items: ClassItem[] = [];
    let neg = false;
    if (t < s.length && s[t] === '^') {
      neg = true;
      t++;
    }
    let first = true;
    while (t >= s.length || s[t] !== ']' || first) {
      first = false;
      // POSIX [:alnum:]
      if (s.length - t > 2 && s[t] === '[' && s[t + 1] === ':') {
        const e = s.indexOf(':]', t + 2);
        if (e >= 0) {
          const full = s.slice(t, e + 2);
          let nm = full.slice(2, -2);
          let sign = 1;
          if (nm[0] === '^') {
            sign = -1;
            nm = nm.slice(1);
          }
          const g = Object.prototype.hasOwnProperty.call(POSIX, nm) ? POSIX[nm] : undefined;
          if (!g) this.fail(E.charRange, full);
          items.push(...this.groupItems(sign, g));
          t = e + 2;
          continue;
        }
      }
      const uc = this.parseUnicodeClass(t);
      if (uc) {
        items.push(...uc[0]);
        t = uc[1];
        continue;
      }
      const pc = this.parsePerlClass(t);
      if (pc) {
        items.push(...pc);
        t += 2;
        continue;
      }
      const rng = t;
      let lo: number;
      [lo, t] = this.classChar(t, whole);
      let hi = lo;
      if (s.length - t >= 2 && s[t] === '-' && s[t + 1] !== ']') {
        [hi, t] = this.classChar(t + 1, whole);
        if (hi < lo) this.fail(E.charRange, s.slice(rng, t));
      }
      items.push({ lo, hi });
    }
    this.i = t + 1;
    this.push({ k: 'class', items, neg, fold });
  }

  private classChar(t: number, whole: string): [number, number] {
    if (t >= this.s.length) this.fail(E.bracket, whole);
    if (this.s[t] === '\\') return this.parseEscape(t);
    const [r, w] = this.rune(t);
    return [r, t + w];
  }
}

// ---------------------------------------------------------------------------------------------
// Translation to JavaScript

function esc(r: number): string {
  if (isAlnum(r)) return String.fromCharCode(r);
  return '\\u{' + r.toString(16) + '}';
}

function rangeSrc(lo: number, hi: number): string {
  return lo === hi ? esc(lo) : esc(lo) + '-' + esc(hi);
}

interface EmitCtx {
  /** The JS `i` flag is on (every case-sensitive atom of the pattern is folded). */
  globalFold: boolean;
}

const FOLD_CATEGORY: Record<string, string> = {
  Lu: '\\p{Changes_When_Uppercased}',
  Ll: '\\p{Changes_When_Lowercased}',
  Lt: '\\u{1c4}-\\u{1cc}\\u{1f1}-\\u{1f3}\\u{1f80}-\\u{1faf}\\u{1fb3}\\u{1fbc}\\u{1fc3}\\u{1fcc}\\u{1ff3}\\u{1ffc}',
  L: '\\u{345}',
};

function emitClass(node: Extract<Node, { k: 'class' }>, cx: EmitCtx): string {
  let body = '';
  const expand = node.fold && !cx.globalFold;
  const ranges: Range[] = [];
  for (const it of node.items) {
    if ('prop' in it) {
      body += (it.neg ? '\\P{' : '\\p{') + it.prop + '}';
      // Folded cased categories (Go adds unicode.FoldCategory): the runes whose case variants are in them.
      if (expand && !it.neg && FOLD_CATEGORY[it.prop]) body += FOLD_CATEGORY[it.prop];
    } else ranges.push([it.lo, it.hi]);
  }
  for (const [lo, hi] of expand ? foldRanges(ranges) : ranges) body += rangeSrc(lo, hi);
  return '[' + (node.neg ? '^' : '') + body + ']';
}

function emitNode(node: Node, cx: EmitCtx): string {
  switch (node.k) {
    case 'lit':
      if (node.fold && !cx.globalFold) {
        const o = foldOrbit(node.r);
        if (o.length > 1) return '[' + o.map(esc).join('') + ']';
      }
      return esc(node.r);
    case 'class':
      return emitClass(node, cx);
    case 'dot':
      return node.nl ? '[^]' : '[^\\n]';
    case 'assert':
      switch (node.a) {
        case 'bot':
          return '^';
        case 'eot':
          return '$';
        case 'bol':
          return '(?:^|(?<=\\n))';
        case 'eol':
          return '(?:$|(?=\\n))';
        case 'wb':
          return '\\b';
        case 'nwb':
          return '\\B';
      }
    // eslint-disable-next-line no-fallthrough
    case 'group':
      return (node.cap ? '(' : '(?:') + node.alts.map((a) => emitSeq(a, cx)).join('|') + ')';
    case 'rep': {
      const sub = node.sub;
      let atom = emitNode(sub, cx);
      if (sub.k === 'assert' || sub.k === 'rep') atom = '(?:' + atom + ')';
      let q: string;
      if (node.min === 0 && node.max === -1) q = '*';
      else if (node.min === 1 && node.max === -1) q = '+';
      else if (node.min === 0 && node.max === 1 && !node.brace) q = '?';
      else if (node.max === -1) q = `{${node.min},}`;
      else if (node.max === node.min) q = `{${node.min}}`;
      else q = `{${node.min},${node.max}}`;
      return atom + q + (node.greedy ? '' : '?');
    }
  }
}

function emitSeq(seq: Node[], cx: EmitCtx): string {
  let s = '';
  for (const n of seq) s += emitNode(n, cx);
  return s;
}

/** Whether the atoms whose matching depends on case are all folded (true), none (false) or mixed (undefined). */
function foldMode(alts: Node[][]): boolean | undefined {
  let any = false;
  let all = true;
  const visit = (n: Node): void => {
    switch (n.k) {
      case 'assert':
        // Under JS's `i` flag \b counts ſ and K (Kelvin) as word characters; Go's \b is ASCII.
        if (n.a === 'wb' || n.a === 'nwb') all = false;
        return;
      case 'lit':
        if (foldOrbit(n.r).length > 1) {
          if (n.fold) any = true;
          else all = false;
        }
        return;
      case 'class':
        if (n.fold) any = true;
        else all = false;
        return;
      case 'group':
        for (const a of n.alts) for (const m of a) visit(m);
        return;
      case 'rep':
        visit(n.sub);
        return;
    }
  };
  for (const a of alts) for (const n of a) visit(n);
  if (!any) return false;
  return all ? true : undefined;
}

function heightNode(n: Node): number {
  if (n.k === 'rep') return 1 + heightNode(n.sub);
  if (n.k === 'group') return (n.cap ? 1 : 0) + heightAlts(n.alts);
  return 1;
}

function heightSeq(seq: Node[]): number {
  if (seq.length === 1) return heightNode(seq[0]);
  let h = 0;
  for (const n of seq) h = Math.max(h, heightNode(n));
  return h + 1;
}

function heightAlts(alts: Node[][]): number {
  if (alts.length === 1) return heightSeq(alts[0]);
  let h = 0;
  for (const a of alts) h = Math.max(h, heightSeq(a));
  return h + 1;
}

function countNodes(alts: Node[][]): number {
  let c = alts.length;
  for (const a of alts) {
    for (let n of a) {
      c++;
      while (n.k === 'rep') {
        c++;
        n = n.sub;
      }
      if (n.k === 'group') c += countNodes(n.alts);
    }
  }
  return c;
}

function compileUncached(expr: string): GoRegexp {
  let parsed: Parsed;
  try {
    parsed = new Parser(expr).parse();
  } catch (e) {
    if (e instanceof SyntaxError_) throw new GoError(e.message);
    throw e;
  }
  // Go limits the height of the syntax tree (maxHeight 1000) once it has 1000 nodes; this
  // measures the tree nearly as Go builds it (Go merges runs of literals into one node).
  if (countNodes(parsed.alts) >= 1000 && heightAlts(parsed.alts) > 1000) throw new GoError(`error parsing regexp: ${E.nesting}: \`${expr}\``);
  const mode = foldMode(parsed.alts);
  const cx: EmitCtx = { globalFold: mode === true };
  const src = parsed.alts.map((a) => emitSeq(a, cx)).join('|');
  let js: RegExp;
  try {
    js = new RegExp(src, cx.globalFold ? 'giu' : 'gu');
  } catch (e) {
    throw new GoError(`error parsing regexp: ${(e as Error).message}: \`${expr}\``);
  }
  return { expr, js, numSubexp: parsed.numCap, names: parsed.names };
}

const cache = new Map<string, GoRegexp | GoError>();

/** regexp.Compile: throws GoError with Go's message. Compiled patterns are cached. */
export function compileRegexp(expr: string): GoRegexp {
  let r = cache.get(expr);
  if (r === undefined) {
    try {
      r = compileUncached(expr);
    } catch (e) {
      if (!(e instanceof GoError)) throw e;
      r = e;
    }
    if (cache.size >= 500) cache.clear();
    cache.set(expr, r);
  }
  if (r instanceof GoError) throw new GoError(r.message);
  return r;
}

/** regexp.MustCompile: a panic with Go's text, `regexp: Compile(`(`): error parsing regexp: ...`. */
export function mustCompileRegexp(expr: string): GoRegexp {
  try {
    return compileRegexp(expr);
  } catch (e) {
    if (e instanceof GoError) throw new GoPanic(`regexp: Compile(${quoteForMessage(expr)}): ${e.message}`);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

function execAt(re: GoRegexp, s: string, pos: number): RegExpExecArray | null {
  re.js.lastIndex = pos;
  return re.js.exec(s);
}

function runeWidth(s: string, pos: number): number {
  if (pos >= s.length) return 0;
  return runeAt(s, pos)[1];
}

/** regexp's allMatches: successive matches, an empty match right after a match is dropped. n < 0: all. */
export function findAll(re: GoRegexp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n < 0) n = Infinity;
  let pos = 0;
  let prevEnd = -1;
  while (out.length < n && pos <= s.length) {
    const m = execAt(re, s, pos);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      const w = runeWidth(s, pos);
      pos = w > 0 ? pos + w : s.length + 1;
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** FindString: the leftmost match or "". */
export function findString(re: GoRegexp, s: string): string {
  const m = execAt(re, s, 0);
  return m ? m[0] : '';
}

/** MatchString. */
export function matchString(re: GoRegexp, s: string): boolean {
  return execAt(re, s, 0) !== null;
}

/** Regexp.Expand's template syntax: $1, ${1}, $name, ${name}, $$ (the longest name wins: $1x is ${1x}). */
export function expand(re: GoRegexp, template: string, m: RegExpExecArray): string {
  let out = '';
  let t = template;
  for (;;) {
    const d = t.indexOf('$');
    if (d < 0) break;
    out += t.slice(0, d);
    t = t.slice(d + 1);
    if (t !== '' && t[0] === '$') {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const x = extractName(t);
    if (!x) {
      out += '$';
      continue;
    }
    t = x.rest;
    if (x.num >= 0) {
      if (x.num <= re.numSubexp && m[x.num] !== undefined) out += m[x.num];
    } else {
      for (let k = 0; k < re.names.length; k++) {
        if (re.names[k] === x.name && m[k] !== undefined) {
          out += m[k];
          break;
        }
      }
    }
  }
  return out + t;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function extractName(str: string): { name: string; num: number; rest: string } | undefined {
  if (str === '') return undefined;
  let brace = false;
  if (str[0] === '{') {
    brace = true;
    str = str.slice(1);
  }
  let i = 0;
  while (i < str.length) {
    const [r, w] = runeAt(str, i);
    if (!NAME_CHAR.test(String.fromCodePoint(r))) break;
    i += w;
  }
  if (i === 0) return undefined;
  const name = str.slice(0, i);
  if (brace) {
    if (i >= str.length || str[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 0x30 || c > 0x39 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + c - 0x30;
  }
  if (name[0] === '0' && name.length > 1) num = -1;
  return { name, num, rest: str.slice(i) };
}

/** regexp's replaceAll loop: an empty match right after a match is not replaced. */
export function replaceAll(re: GoRegexp, src: string, repl: (m: RegExpExecArray) => string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    const m = execAt(re, src, searchPos);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += src.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += repl(m);
    lastMatchEnd = a1;
    const w = runeWidth(src, searchPos);
    if (searchPos + w > a1) searchPos += w;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}

/** Regexp.Split. */
export function split(re: GoRegexp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.expr.length > 0 && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length >= n - 1) break;
    end = m.index;
    const mEnd = m.index + m[0].length;
    if (mEnd !== 0) out.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
