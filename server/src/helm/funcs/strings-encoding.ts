/**
 * Go's encoding/base64 and encoding/base32 standard encodings (padded, lenient about CR/LF),
 * with the decoders' exact error texts (`illegal base64 data at input byte 4`), which sprig's
 * b64dec/b32dec return as the decoded string.
 */
import { GoError } from '../value';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function decodeMap(alphabet: string): Uint8Array {
  const m = new Uint8Array(256).fill(0xff);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}

const B64_MAP = decodeMap(B64);
const B32_MAP = decodeMap(B32);
const PAD = 0x3d; // '='

/** base64.StdEncoding.EncodeToString. */
export function base64Encode(b: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out += B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
  }
  const rest = b.length - i;
  if (rest === 1) {
    const v = b[i] << 16;
    out += B64[v >> 18] + B64[(v >> 12) & 63] + '==';
  } else if (rest === 2) {
    const v = (b[i] << 16) | (b[i + 1] << 8);
    out += B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + '=';
  }
  return out;
}

function corruptB64(at: number): GoError {
  return new GoError(`illegal base64 data at input byte ${at}`);
}

/** base64.StdEncoding.DecodeString: throws GoError with Go's CorruptInputError text. */
export function base64Decode(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(Math.floor(src.length / 4) * 3 + 3);
  let n = 0;
  let si = 0;
  // Go decodes quantum by quantum; the fast paths it takes do not change where errors are reported.
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    let trailing = -1;
    let ended = false;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return dst.subarray(0, n);
        // Padding is required: a short quantum is corrupt at its start.
        throw corruptB64(si - j);
      }
      const c = src[si++];
      const v = B64_MAP[c];
      if (v !== 0xff) {
        dbuf[j] = v;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== PAD) throw corruptB64(si - 1);
      // Padding: only valid after two or three symbols.
      if (j === 0 || j === 1) throw corruptB64(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
        if (si === src.length) throw corruptB64(src.length);
        if (src[si] !== PAD) throw corruptB64(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      ended = true;
      break;
    }
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    const b0 = (val >> 16) & 0xff;
    const b1 = (val >> 8) & 0xff;
    const b2 = val & 0xff;
    if (dlen >= 2) dst[n++] = b0;
    if (dlen >= 3) dst[n++] = b1;
    if (dlen >= 4) dst[n++] = b2;
    if (trailing >= 0) throw corruptB64(trailing);
    if (ended) return dst.subarray(0, n);
  }
}

/** base32.StdEncoding.EncodeToString. */
export function base32Encode(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = [0, 0, 0, 0, 0];
    const m = Math.min(5, b.length - i);
    for (let k = 0; k < m; k++) chunk[k] = b[i + k];
    const idx = [
      chunk[0] >> 3,
      ((chunk[0] & 7) << 2) | (chunk[1] >> 6),
      (chunk[1] >> 1) & 31,
      ((chunk[1] & 1) << 4) | (chunk[2] >> 4),
      ((chunk[2] & 15) << 1) | (chunk[3] >> 7),
      (chunk[3] >> 2) & 31,
      ((chunk[3] & 3) << 3) | (chunk[4] >> 5),
      chunk[4] & 31,
    ];
    const symbols = [0, 2, 4, 5, 7, 8][m];
    for (let k = 0; k < 8; k++) out += k < symbols ? B32[idx[k]] : '=';
  }
  return out;
}

function corruptB32(at: number): GoError {
  return new GoError(`illegal base32 data at input byte ${at}`);
}

/** base32.StdEncoding.DecodeString: CR and LF are removed first, then Go's decode loop. */
export function base32Decode(input: Uint8Array): Uint8Array {
  const src: number[] = [];
  for (const c of input) if (c !== 0x0a && c !== 0x0d) src.push(c);
  const olen = src.length;
  const dst: number[] = [];
  let p = 0; // src consumed
  let end = false;
  while (olen - p > 0 && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      const left = olen - p;
      if (left === 0) throw corruptB32(olen - left - j);
      const c = src[p++];
      const rem = olen - p;
      if (c === PAD && j >= 2 && rem < 8) {
        if (rem + j < 8 - 1) throw corruptB32(olen);
        for (let k = 0; k < 8 - 1 - j; k++) {
          if (rem > k && src[p + k] !== PAD) throw corruptB32(olen - rem + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw corruptB32(olen - rem - 1);
        break;
      }
      dbuf[j] = B32_MAP[c];
      if (dbuf[j] === 0xff) throw corruptB32(olen - rem - 1);
      j++;
    }
    const out = [
      ((dbuf[0] << 3) | (dbuf[1] >> 2)) & 0xff,
      ((dbuf[1] << 6) | (dbuf[2] << 1) | (dbuf[3] >> 4)) & 0xff,
      ((dbuf[3] << 4) | (dbuf[4] >> 1)) & 0xff,
      ((dbuf[4] << 7) | (dbuf[5] << 2) | (dbuf[6] >> 3)) & 0xff,
      ((dbuf[6] << 5) | dbuf[7]) & 0xff,
    ];
    const count = dlen === 8 ? 5 : dlen === 7 ? 4 : dlen === 5 ? 3 : dlen === 4 ? 2 : dlen === 2 ? 1 : 0;
    for (let k = 0; k < count; k++) dst.push(out[k]);
  }
  return Uint8Array.from(dst);
}

const HEXDIGITS = '0123456789abcdef';

/** hex.EncodeToString. */
export function hexEncode(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += HEXDIGITS[c >> 4] + HEXDIGITS[c & 15];
  return s;
}
