/**
 * Base64 as the API server decodes Secret data: Go's base64.StdEncoding
 * (standard alphabet, `=` padding required, CR and LF ignored anywhere).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export type Base64Check = { ok: true } | { ok: false; index?: number; char?: string; reason: string };

/** Checks a data value; the error names the offending character (never the value) and its position. */
export function checkSecretBase64(s: string): Base64Check {
  let j = 0; // characters in the current quantum of four
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\n' || c === '\r') continue;
    if (c === '=') {
      if (j < 2) return { ok: false, index: i, reason: "padding '=' appears too early (it may only end the value, after 2 or 3 characters of a group of 4)" };
      if (j === 2) {
        // a second '=' must follow
        let k = i + 1;
        while (k < s.length && (s[k] === '\n' || s[k] === '\r')) k++;
        if (s[k] !== '=') return { ok: false, index: i, reason: "the padding is incomplete: after 2 characters of a group of 4 it must be '=='" };
        i = k;
      }
      for (let k = i + 1; k < s.length; k++) {
        if (s[k] !== '\n' && s[k] !== '\r') return { ok: false, index: k, reason: "there are characters after the '=' padding, which may only end the value (two values glued together?)" };
      }
      return { ok: true };
    }
    if (!VALUE.has(c)) return { ok: false, index: i, char: String.fromCodePoint(s.codePointAt(i)!), reason: 'invalid character' };
    j = (j + 1) % 4;
  }
  if (j === 1) return { ok: false, reason: 'the length is wrong: one character too many at the end (base64 comes in groups of 4)' };
  if (j === 2) return { ok: false, reason: "the padding is missing: the value must end with '==' (base64 comes in groups of 4)" };
  if (j === 3) return { ok: false, reason: "the padding is missing: the value must end with '=' (base64 comes in groups of 4)" };
  return { ok: true };
}

/** Decodes a value that passed `checkSecretBase64`. */
export function decodeSecretBase64(s: string): Uint8Array {
  const clean = s.replace(/[\r\n]/g, '').replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const c of clean) {
    acc = (acc << 6) | (VALUE.get(c) ?? 0);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** Printable text: valid UTF-8 without control characters other than tab and line breaks. */
export function printableText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return /^[^\p{Cc}]*$/u.test(text.replace(/[\t\r\n]/g, '')) ? text : undefined;
}

/**
 * True when bytes are the text of strict base64 (groups of 4, only the
 * alphabet, `=` only at the end; at least 16 characters, or at least 8 ending
 * in `=`) that decodes to printable text of at least 4 characters. Random
 * strings pass the first test by accident (any 8 letters are base64) but
 * rarely the second: measured about 0.02% for random 16-character
 * alphanumeric strings, 0% from 24 characters or with padding.
 */
export function looksBase64OfText(bytes: Uint8Array): boolean {
  if (bytes.length < 8 || bytes.length % 4 !== 0) return false;
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return false;
  // Short unpadded strings of letters and digits are base64 of printable bytes by accident too often (~1% at 8 characters).
  if (s.length < 16 && !s.endsWith('=')) return false;
  const decoded = decodeSecretBase64(s);
  if (decoded.length < 4) return false;
  const text = printableText(decoded);
  return text !== undefined && text.trim().length >= 4;
}
