/**
 * Go's `unicode` package for single runes (IsSpace, IsUpper, ToUpper, ToTitle...) and
 * strconv.Quote, as the sprig string functions use them.
 *
 * The categories come from JavaScript's Unicode property escapes, which follow a newer Unicode
 * version than Go 1.19's tables (Unicode 13): characters assigned since then are classified by
 * the newer data. Go's case mappings are the *simple* (one rune to one rune) mappings, while
 * String.prototype.toUpperCase applies the full ones (ß → SS): a full mapping that yields several
 * runes falls back to the rune itself, except for the few runes whose simple mapping differs.
 */
import { runeAt } from './strings-utf8';

const RE_UPPER = /^\p{Lu}$/u;
const RE_LOWER = /^\p{Ll}$/u;
const RE_TITLE = /^\p{Lt}$/u;
const RE_LETTER = /^\p{L}$/u;
const RE_DIGIT = /^\p{Nd}$/u;
const RE_NUMBER = /^\p{N}$/u;
const RE_PUNCT = /^\p{P}$/u;
const RE_SPACE = /^\p{White_Space}$/u;
const RE_PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function ch(r: number): string {
  return r < 0x10000 ? String.fromCharCode(r) : String.fromCodePoint(r);
}

/** unicode.IsSpace: '\t', '\n', '\v', '\f', '\r', ' ', U+0085, U+00A0 in Latin-1, else White_Space. */
export function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return RE_SPACE.test(ch(r));
}

export function isUpper(r: number): boolean {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a;
  return RE_UPPER.test(ch(r));
}

export function isLower(r: number): boolean {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a;
  return RE_LOWER.test(ch(r));
}

export function isTitle(r: number): boolean {
  if (r < 0x80) return false;
  return RE_TITLE.test(ch(r));
}

export function isLetter(r: number): boolean {
  if (r < 0x80) return (r | 0x20) >= 0x61 && (r | 0x20) <= 0x7a;
  return RE_LETTER.test(ch(r));
}

export function isDigit(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return RE_DIGIT.test(ch(r));
}

export function isNumber(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return RE_NUMBER.test(ch(r));
}

export function isPunct(r: number): boolean {
  return RE_PUNCT.test(ch(r));
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  return RE_PRINT.test(ch(r));
}

/** The Greek letters with iota subscript, whose simple uppercase is the titlecase form (ᾳ → ᾼ). */
function greekIotaUpper(r: number): number {
  if ((r >= 0x1f80 && r <= 0x1f87) || (r >= 0x1f90 && r <= 0x1f97) || (r >= 0x1fa0 && r <= 0x1fa7)) return r + 8;
  if (r === 0x1fb3 || r === 0x1fc3 || r === 0x1ff3) return r + 9;
  return r;
}

/** unicode.ToUpper (the simple mapping). */
export function toUpper(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  const u = ch(r).toUpperCase();
  const cp = u.codePointAt(0)!;
  if (u.length === (cp > 0xffff ? 2 : 1)) return cp;
  return greekIotaUpper(r);
}

/** unicode.ToLower (the simple mapping). */
export function toLower(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  if (r === 0x130) return 0x69; // İ: the full mapping is i + combining dot
  const l = ch(r).toLowerCase();
  const cp = l.codePointAt(0)!;
  if (l.length === (cp > 0xffff ? 2 : 1)) return cp;
  return r;
}

/** unicode.ToTitle: the uppercase, except for the DŽ/LJ/NJ/DZ digraphs and Georgian Mkhedruli. */
export function toTitle(r: number): number {
  if (r >= 0x1c4 && r <= 0x1cc) return r <= 0x1c6 ? 0x1c5 : r <= 0x1c9 ? 0x1c8 : 0x1cb;
  if (r >= 0x1f1 && r <= 0x1f3) return 0x1f2;
  if ((r >= 0x10d0 && r <= 0x10fa) || (r >= 0x10fd && r <= 0x10ff)) return r;
  return toUpper(r);
}

/** strings.Map over the runes of s (invalid bytes become U+FFFD, as Go's Map writes RuneError). */
export function mapRunes(s: string, f: (r: number) => number): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const [r, n] = runeAt(s, i);
    i += n;
    out += ch(f(r));
  }
  return out;
}

/** strings.ToUpper. */
export function goToUpper(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  return mapRunes(s, toUpper);
}

/** strings.ToLower. */
export function goToLower(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return mapRunes(s, toLower);
}

const HEX = '0123456789abcdef';

/** strconv.Quote: a double-quoted Go string literal (what `%q` prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff) {
      // An invalid UTF-8 byte (see strings-utf8.ts).
      const b = c - 0xdc00;
      out += '\\x' + HEX[b >> 4] + HEX[b & 15];
      i++;
      continue;
    }
    const [r, n] = runeAt(s, i);
    i += n;
    out += escapeRune(r, 0x22);
  }
  return out + '"';
}

/** strconv's appendEscapedRune for a rune inside a literal quoted with `quote`. */
export function escapeRune(r: number, quote: number): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (isPrint(r)) return ch(r);
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + HEX[r >> 4] + HEX[r & 15];
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}

/** strconv.CanBackquote: valid UTF-8 without control characters (tab aside), backquotes or U+FEFF. */
export function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff) return false; // an invalid byte (see strings-utf8.ts)
    const [r, n] = runeAt(s, i);
    i += n;
    if (r === 0xfeff) return false;
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

/** A Go quoted string for messages: backquoted when possible (as regexp's MustCompile does). */
export function quoteForMessage(s: string): string {
  return canBackquote(s) ? '`' + s + '`' : goQuote(s);
}

export { ch as runeString };
