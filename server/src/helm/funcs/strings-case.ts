/**
 * The word and case functions sprig 3.2.3 takes from other libraries, with their exact quirks:
 * Go's strings.Title, huandu/xstrings 1.3.3 (ToCamelCase, ToSnakeCase, ToKebabCase) and
 * Masterminds/goutils 1.1.1 (Abbreviate, Initials, DeleteWhiteSpace, SwapCase, Uncapitalize, Wrap).
 *
 * Several goutils functions work on bytes, not runes: Initials and DeleteWhiteSpace turn each byte
 * of a non-ASCII character into the Latin-1 rune of that value (`initials "élan"` is "Ã"), and
 * Abbreviate/Wrap cut at byte offsets. Those are reproduced on the UTF-8 bytes.
 */
import { byteLength, goBytes, goRunes, goString, fromRunes, runeAt, sliceBytes } from './strings-utf8';
import { isDigit, isLetter, isLower, isNumber, isPunct, isSpace, isTitle, isUpper, mapRunes, runeString, toLower, toTitle, toUpper } from './strings-unicode';

// ---------------------------------------------------------------------------------------------
// strings.Title

/** strings.Title's separator test: ASCII non-alphanumerics except '_', and Unicode spaces. */
function isTitleSeparator(r: number): boolean {
  if (r <= 0x7f) {
    if ((r >= 0x30 && r <= 0x39) || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || r === 0x5f) return false;
    return true;
  }
  if (isLetter(r) || isDigit(r)) return false;
  return isSpace(r);
}

/** strings.Title: the first rune of every word to title case (deprecated Go word rules). */
export function goTitle(s: string): string {
  let prev = 0x20;
  return mapRunes(s, (r) => {
    const sep = isTitleSeparator(prev);
    prev = r;
    return sep ? toTitle(r) : r;
  });
}

// ---------------------------------------------------------------------------------------------
// goutils

/** goutils.AbbreviateFull with sprig's guards (abbrev: offset 0; abbrevboth). Byte offsets. */
export function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) return ''; // goutils returns ("", error); sprig guards so this is unreachable
  const len = byteLength(str);
  if (len <= maxWidth) return str;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  const marker = '...';
  if (offset <= 4) return sliceBytes(str, 0, maxWidth - 3) + marker;
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) return marker + abbreviateFull(sliceBytes(str, offset), 0, maxWidth - 3);
  return marker + sliceBytes(str, len - (maxWidth - 3));
}

/** goutils.Initials without delimiters: the first byte of each whitespace-separated word, as a Latin-1 rune. */
export function initials(str: string): string {
  if (str === '') return str;
  const b = goBytes(str);
  let out = '';
  let gap = true;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (isSpace(c)) gap = true;
    else if (gap) {
      out += String.fromCharCode(c);
      gap = false;
    }
  }
  return out;
}

/** goutils.DeleteWhiteSpace: drops whitespace bytes; when any is dropped, each other byte is kept as a Latin-1 rune. */
export function deleteWhiteSpace(str: string): string {
  if (str === '') return str;
  const b = goBytes(str);
  let out = '';
  let count = 0;
  for (let i = 0; i < b.length; i++) {
    if (!isSpace(b[i])) {
      out += String.fromCharCode(b[i]);
      count++;
    }
  }
  return count === b.length ? str : out;
}

/** goutils.SwapCase: upper/title → lower; lower → title after whitespace (or at the start), else upper. */
export function swapCase(str: string): string {
  if (str === '') return str;
  const rs = goRunes(str);
  let ws = true;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    if (isUpper(r) || isTitle(r)) {
      rs[i] = toLower(r);
      ws = false;
    } else if (isLower(r)) {
      rs[i] = ws ? toTitle(r) : toUpper(r);
      ws = false;
    } else {
      ws = isSpace(r);
    }
  }
  return fromRunes(rs);
}

/** goutils.Uncapitalize: the first rune of each whitespace-separated word to lower case. */
export function uncapitalize(str: string): string {
  if (str === '') return str;
  const rs = goRunes(str);
  let next = true;
  for (let i = 0; i < rs.length; i++) {
    if (isSpace(rs[i])) next = true;
    else if (next) {
      rs[i] = toLower(rs[i]);
      next = false;
    }
  }
  return fromRunes(rs);
}

function lastIndexByte(b: Uint8Array, from: number, to: number, c: number): number {
  for (let i = to - 1; i >= from; i--) if (b[i] === c) return i;
  return -1;
}

function indexByte(b: Uint8Array, from: number, c: number): number {
  for (let i = from; i < b.length; i++) if (b[i] === c) return i;
  return -1;
}

/** goutils.WrapCustom: wraps at spaces within `wrapLength` bytes; long words split only when wrapLongWords. */
export function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const b = goBytes(str);
  const nl = goBytes(newLine);
  const len = b.length;
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (len - offset > wrapLength) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const li = lastIndexByte(b, offset, end, 0x20);
    if (li >= offset) {
      parts.push(b.subarray(offset, li), nl);
      offset = li + 1;
    } else if (wrapLongWords) {
      parts.push(b.subarray(offset, wrapLength + offset), nl);
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const idx = indexByte(b, e, 0x20);
      if (idx === -1) {
        parts.push(b.subarray(offset));
        offset = len;
      } else {
        parts.push(b.subarray(offset, idx), nl);
        offset = idx + 1;
      }
    }
  }
  parts.push(b.subarray(offset));
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let j = 0;
  for (const p of parts) {
    out.set(p, j);
    j += p.length;
  }
  return goString(out);
}

// ---------------------------------------------------------------------------------------------
// xstrings 1.3.3

function isConnector(r: number): boolean {
  return r === 0x2d || r === 0x5f || isSpace(r);
}

/** xstrings' isAlphabet: a letter that is not a CJK ideograph. */
function isAlphabet(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

const RUNE_ERROR = 0xfffd;

/** A string split into runes, keeping each rune's original text (invalid bytes stay raw when copied). */
interface Runes {
  r: number[];
  text: string[];
}

function splitRunes(s: string): Runes {
  const r: number[] = [];
  const text: string[] = [];
  for (let i = 0; i < s.length; ) {
    const [c, n] = runeAt(s, i);
    r.push(c);
    text.push(s.substr(i, n));
    i += n;
  }
  return { r, text };
}

/** xstrings.ToCamelCase (1.3.3: upper camel case; every rune after the first of a word is lowered). */
export function toCamelCase(str: string): string {
  if (str === '') return '';
  const { r } = splitRunes(str);
  let out = '';
  let i = 0;
  let r0 = 0;
  let r1 = 0;
  let size = 0;
  // Leading connectors are kept.
  while (i < r.length) {
    r0 = r[i++];
    size = 1;
    if (!isConnector(r0)) {
      r0 = toUpper(r0);
      break;
    }
    out += runeString(r0);
  }
  if (i >= r.length) {
    // A string of one rune (or only connectors): the last rune is written (again).
    if (size !== 0) out += runeString(r0);
    return out;
  }
  while (i < r.length) {
    r1 = r0;
    r0 = r[i++];
    if (isConnector(r0) && isConnector(r1)) {
      out += runeString(r1);
      continue;
    }
    if (isConnector(r1)) {
      r0 = toUpper(r0);
    } else {
      r0 = toLower(r0);
      out += runeString(r1);
    }
  }
  out += runeString(r0);
  return out;
}

const enum W {
  Invalid,
  Number,
  Upper,
  Alphabet,
  Connector,
  Punct,
  Other,
}

interface Word {
  wt: W;
  start: number;
  end: number;
}

/**
 * xstrings' word scanner over rune indices. `nextValid` skips RuneError runes (invalid bytes and
 * U+FFFD alike) and returns `prev` when only those remain.
 */
class WordScanner {
  constructor(private readonly rs: Runes) {}

  private nextValid(at: number, prev: number): [number, number] {
    const r = this.rs.r;
    let size = 0;
    for (let k = at; k < r.length; k++) {
      size++;
      if (r[k] !== RUNE_ERROR) return [r[k], size];
    }
    return [prev, size];
  }

  next(pos: number): Word {
    const n = this.rs.r.length;
    if (pos >= n) return { wt: W.Invalid, start: pos, end: pos };
    let offset = pos;
    let rem = pos;
    let [r, size] = this.nextValid(rem, RUNE_ERROR);
    offset += size;
    if (r === RUNE_ERROR) return { wt: W.Invalid, start: pos, end: offset };
    let wt: W;
    const loop = (cont: (r: number) => boolean): void => {
      rem += size;
      while (rem < n) {
        [r, size] = this.nextValid(rem, r);
        if (!cont(r)) break;
        offset += size;
        rem += size;
      }
    };
    if (isConnector(r)) {
      wt = W.Connector;
      loop(isConnector);
    } else if (isPunct(r)) {
      wt = W.Punct;
      loop(isPunct);
    } else if (isUpper(r)) {
      wt = W.Upper;
      rem += size;
      if (rem < n) {
        [r, size] = this.nextValid(rem, r);
        if (isUpper(r)) {
          let prevSize = size;
          offset += size;
          rem += size;
          while (rem < n) {
            [r, size] = this.nextValid(rem, r);
            if (!isUpper(r)) break;
            prevSize = size;
            offset += size;
            rem += size;
          }
          // "HTTPStatus" is "HTTP" and "Status": the last upper rune starts the next word.
          if (rem < n && isAlphabet(r)) offset -= prevSize;
        } else if (isAlphabet(r)) {
          offset += size;
          rem += size;
          while (rem < n) {
            [r, size] = this.nextValid(rem, r);
            if (!isAlphabet(r) || isUpper(r)) break;
            offset += size;
            rem += size;
          }
        }
      }
    } else if (isAlphabet(r)) {
      wt = W.Alphabet;
      loop((c) => isAlphabet(c) && !isUpper(c));
    } else if (isNumber(r)) {
      wt = W.Number;
      loop(isNumber);
    } else {
      wt = W.Other;
      loop((c) => !(isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c)));
    }
    return { wt, start: pos, end: offset };
  }
}

/** xstrings' camelCaseToLowerCase: ToSnakeCase ('_') and ToKebabCase ('-'). */
export function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === '') return '';
  const rs = splitRunes(str);
  const sc = new WordScanner(rs);
  let out = '';
  const lower = (w: Word, wt: W = w.wt): void => {
    if (wt !== W.Upper && wt !== W.Connector) {
      for (let k = w.start; k < w.end; k++) out += rs.text[k];
      return;
    }
    for (let k = w.start; k < w.end; k++) {
      const r = rs.r[k];
      if (isConnector(r)) out += connector;
      else if (isUpper(r)) out += runeString(toLower(r));
      else out += runeString(r);
    }
  };
  const n = rs.r.length;
  let w = sc.next(0);
  while (w.end < n) {
    if (w.wt !== W.Connector) lower(w);
    const prev = w;
    w = sc.next(w.end);
    switch (prev.wt) {
      case W.Number:
        while (w.wt === W.Alphabet || w.wt === W.Number) {
          lower(w);
          w = sc.next(w.end);
        }
        if (w.wt !== W.Invalid && w.wt !== W.Punct && w.wt !== W.Connector) out += connector;
        break;
      case W.Connector:
        lower(prev);
        break;
      case W.Punct:
        break;
      default: {
        if (w.wt !== W.Number) {
          if (w.wt !== W.Connector && w.wt !== W.Punct) out += connector;
          break;
        }
        if (w.end >= n) break;
        const last = w;
        w = sc.next(w.end);
        if (w.wt !== W.Alphabet) {
          lower(last, W.Number);
          if (w.wt !== W.Connector && w.wt !== W.Punct) out += connector;
          break;
        }
        // Lower case letters after a number: the connector goes before the number ("HTTP2xx").
        out += connector;
        lower(last, W.Number);
        while (w.wt === W.Alphabet || w.wt === W.Number) {
          lower(w);
          w = sc.next(w.end);
        }
        if (w.wt !== W.Invalid && w.wt !== W.Connector && w.wt !== W.Punct) out += connector;
      }
    }
  }
  lower(w);
  return out;
}
