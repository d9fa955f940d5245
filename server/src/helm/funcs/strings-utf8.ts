/**
 * Go strings as JavaScript strings: Go strings are byte sequences (usually UTF-8), ours are UTF-16.
 *
 * Functions that slice Go strings by byte offsets (trunc, substr, abbrev, wrap...) can cut a
 * multi-byte character in two, leaving bytes that are not valid UTF-8. To keep such bytes through a
 * chain of functions (`trunc 1 "é" | b64enc` is `ww==` in Go), an invalid byte B (0x80..0xFF) is
 * represented by the lone low surrogate U+DC00+B ("surrogate escape", as Python does). A JS
 * string never holds such a lone surrogate otherwise, so the mapping is lossless; when the text
 * is finally written out as UTF-8 they become U+FFFD, which is what a UTF-8 reader of Go's output
 * shows for the raw byte anyway.
 */

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** True when every character is ASCII (then byte offsets are string offsets). */
export function isAscii(s: string): boolean {
  return ASCII_ONLY.test(s);
}

/** The UTF-8 bytes of a Go string (surrogate escapes become their raw byte). */
export function goBytes(s: string): Uint8Array {
  const out = new Uint8Array(byteLength(s));
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
      continue;
    }
    if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[j++] = 0xf0 | (c >> 18);
        out[j++] = 0x80 | ((c >> 12) & 0x3f);
        out[j++] = 0x80 | ((c >> 6) & 0x3f);
        out[j++] = 0x80 | (c & 0x3f);
        continue;
      }
    }
    if (c >= 0xdc80 && c <= 0xdcff) {
      out[j++] = c - 0xdc00;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate: Go's string(rune) gives U+FFFD
    out[j++] = 0xe0 | (c >> 12);
    out[j++] = 0x80 | ((c >> 6) & 0x3f);
    out[j++] = 0x80 | (c & 0x3f);
  }
  return out;
}

/** len(s) in Go: the number of UTF-8 bytes. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n++;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) n++;
    else n += 3;
  }
  return n;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Decodes one rune at byte offset i as Go's utf8.DecodeRune does: returns the rune and its width;
 * invalid encodings (bad continuation, overlong, surrogates, > U+10FFFF) give (-1, 1).
 */
export function decodeRune(b: Uint8Array, i: number, end = b.length): [number, number] {
  const c0 = b[i];
  if (c0 < 0x80) return [c0, 1];
  const n = end - i;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    if (n >= 2 && (b[i + 1] & 0xc0) === 0x80) return [((c0 & 0x1f) << 6) | (b[i + 1] & 0x3f), 2];
    return [-1, 1];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    if (n < 3) return [-1, 1];
    const c1 = b[i + 1];
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (c1 < lo || c1 > hi || (b[i + 2] & 0xc0) !== 0x80) return [-1, 1];
    return [((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (b[i + 2] & 0x3f), 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    if (n < 4) return [-1, 1];
    const c1 = b[i + 1];
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi || (b[i + 2] & 0xc0) !== 0x80 || (b[i + 3] & 0xc0) !== 0x80) return [-1, 1];
    return [((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f), 4];
  }
  return [-1, 1];
}

/** A Go string from bytes: valid UTF-8 decodes normally, each invalid byte becomes its surrogate escape. */
export function goString(b: Uint8Array, start = 0, end = b.length): string {
  let out = '';
  let run = start; // start of a pending ASCII run
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    if (run < i) out += latin1(b, run, i);
    const [r, w] = decodeRune(b, i, end);
    out += r < 0 ? String.fromCharCode(0xdc00 + c) : String.fromCodePoint(r);
    i += w;
    run = i;
  }
  if (run < end) out += latin1(b, run, end);
  return out;
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k += 4096) {
    s += String.fromCharCode.apply(null, Array.from(b.subarray(k, Math.min(to, k + 4096))));
  }
  return s;
}

/** s[start:end] in Go (byte offsets, which the caller has bounds-checked). */
export function sliceBytes(s: string, start: number, end?: number): string {
  if (isAscii(s)) return s.slice(start, end);
  const b = goBytes(s);
  return goString(b, start, end ?? b.length);
}

/** The runes of a Go string as `[]rune(s)` gives them: invalid bytes become U+FFFD. */
export function goRunes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      out.push(0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out.push(0xfffd);
    else out.push(c);
  }
  return out;
}

/** string(runes) in Go. */
export function fromRunes(runes: number[]): string {
  let s = '';
  for (const r of runes) s += r < 0x10000 ? String.fromCharCode(r) : String.fromCodePoint(r);
  return s;
}

/** Runes with their byte widths, for functions that walk a string rune by rune with byte offsets. */
export function runeAt(s: string, i: number): [rune: number, units: number] {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
    return [0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00), 2];
  }
  if (c >= 0xd800 && c <= 0xdfff) return [0xfffd, 1];
  return [c, 1];
}

/** Go's string comparison (byte order of UTF-8, which is code point order). */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort above the rest of the BMP in UTF-8 order; escaped bytes
    // (0x80..0xFF) are compared as their raw byte, which sorts them above ASCII and below
    // multi-byte leads only roughly; exact only for valid UTF-8.
    return weight(x) - weight(y);
  }
  return a.length - b.length;
}

function weight(c: number): number {
  return c >= 0xd800 && c <= 0xdfff ? c + 0x10000 : c;
}
