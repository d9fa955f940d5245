/**
 * A tar reader for chart archives, with the behaviour of Go's archive/tar Reader that Helm's
 * archive loader sees: V7, USTAR (name prefix), PAX (`x` records such as `path` and `size`
 * override the next header; a global `g` header is handed out as its own entry) and GNU
 * (`L`/`K` long names and link names) headers, octal and base-256 numbers, checksum checks
 * (a bad header is Go's `archive/tar: invalid tar header`), the end at two zero blocks or at
 * the end of the data, and a truncated archive reported as `unexpected EOF`. Sparse files are
 * not expanded (charts never hold them).
 *
 * Pure: works on bytes (gunzip first, e.g. with zlib.gunzipSync).
 */
import { GoError } from './value';

/** Go's tar.ErrHeader. */
export const ERR_TAR_HEADER = 'archive/tar: invalid tar header';
/** Go's io.ErrUnexpectedEOF. */
export const ERR_UNEXPECTED_EOF = 'unexpected EOF';

export interface TarEntry {
  /** The entry's name as stored (PAX `path` and GNU long names applied; not cleaned). */
  name: string;
  /** Go's Typeflag: '0' regular, '1' hard link, '2' symlink, '5' directory, 'g' PAX global header, ... */
  typeflag: string;
  /** The size from the header (what Helm compares with its limits). */
  size: number;
  mode: number;
  linkname: string;
  /** Modification time, seconds since the epoch. */
  mtime: number;
  /** The contents (empty for links, directories and other header-only types). */
  data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder('utf-8');

/** Whether Go's FileInfo().IsDir() holds: typeflag '5' or the directory bit in the mode. */
export function isDirEntry(e: TarEntry): boolean {
  return e.typeflag === '5' || (e.mode & 0o170000) === 0o040000;
}

/** Header-only entry types carry no data even when a size is given (Go's isHeaderOnlyType). */
function headerOnly(flag: string): boolean {
  return flag === '1' || flag === '2' || flag === '3' || flag === '4' || flag === '5' || flag === '6';
}

/** Reads every entry of a tar archive; throws GoError with Go's message for a bad one. */
export function readTar(buf: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let pos = 0;
  let pax: Map<string, string> | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    // The end: no more bytes, one zero block and no more bytes, or two zero blocks.
    if (pos === buf.length) return out;
    if (pos + BLOCK > buf.length) throw new GoError(ERR_UNEXPECTED_EOF);
    const blk = buf.subarray(pos, pos + BLOCK);
    pos += BLOCK;
    if (isZero(blk)) {
      if (pos === buf.length) return out;
      if (pos + BLOCK > buf.length) throw new GoError(ERR_UNEXPECTED_EOF);
      const blk2 = buf.subarray(pos, pos + BLOCK);
      pos += BLOCK;
      if (isZero(blk2)) return out;
      throw new GoError(ERR_TAR_HEADER);
    }
    const format = headerFormat(blk);
    if (format === 'unknown') throw new GoError(ERR_TAR_HEADER);

    let typeflag = String.fromCharCode(blk[156]);
    let name = cString(blk, 0, 100);
    let linkname = cString(blk, 157, 100);
    let size = numeric(blk, 124, 12);
    const mode = numeric(blk, 100, 8);
    let mtime = numeric(blk, 136, 12);
    if (format === 'ustar' || format === 'star') {
      const prefix = cString(blk, 345, format === 'star' ? 131 : 155);
      if (prefix.length > 0) name = prefix + '/' + name;
    }
    if (size < 0) throw new GoError(ERR_TAR_HEADER);

    if (typeflag === 'x' || typeflag === 'g') {
      const body = readData(buf, pos, size);
      pos += padded(size);
      const records = parsePax(body);
      if (typeflag === 'g') {
        out.push({ name, typeflag, size: 0, mode: 0, linkname: '', mtime: 0, data: new Uint8Array(0) });
        // Go merges a global header only into the header it returns.
        continue;
      }
      pax = records;
      continue;
    }
    if (typeflag === 'L' || typeflag === 'K') {
      const body = readData(buf, pos, size);
      pos += padded(size);
      const s = cString(body, 0, body.length);
      if (typeflag === 'L') longName = s;
      else longLink = s;
      continue;
    }

    if (pax) {
      for (const [k, v] of pax) {
        if (v === '') continue;
        if (k === 'path') name = v;
        else if (k === 'linkpath') linkname = v;
        else if (k === 'size') {
          if (!/^[+-]?\d+$/.test(v)) throw new GoError(ERR_TAR_HEADER);
          size = Number(v);
        } else if (k === 'mtime') {
          const t = Number(v);
          if (Number.isNaN(t)) throw new GoError(ERR_TAR_HEADER);
          mtime = Math.floor(t);
        }
      }
      pax = undefined;
    }
    if (longName !== undefined && longName !== '') name = longName;
    if (longLink !== undefined && longLink !== '') linkname = longLink;
    longName = longLink = undefined;
    if (typeflag === '\0') typeflag = name.endsWith('/') ? '5' : '0';
    if (size < 0) throw new GoError(ERR_TAR_HEADER);
    const n = headerOnly(typeflag) ? 0 : size;
    const data = readData(buf, pos, n).slice();
    pos += padded(n);
    out.push({ name, typeflag, size, mode, linkname, mtime, data });
  }
}

function readData(buf: Uint8Array, pos: number, n: number): Uint8Array {
  if (pos + n > buf.length) throw new GoError(ERR_UNEXPECTED_EOF);
  return buf.subarray(pos, pos + n);
}

function padded(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Go's block.getFormat: the checksum must hold (unsigned or signed sum), then the magic decides. */
function headerFormat(b: Uint8Array): 'v7' | 'ustar' | 'gnu' | 'star' | 'unknown' {
  let stored: number;
  try {
    stored = octal(b, 148, 8);
  } catch {
    return 'unknown';
  }
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[i];
    unsigned += c;
    signed += c >= 0x80 ? c - 256 : c;
  }
  if (stored !== unsigned && stored !== signed) return 'unknown';
  const magic = String.fromCharCode(...b.subarray(257, 263));
  const version = String.fromCharCode(...b.subarray(263, 265));
  const trailer = String.fromCharCode(...b.subarray(508, 512));
  if (magic === 'ustar\0' && version === '00') return trailer === 'tar\0' ? 'star' : 'ustar';
  if (magic === 'ustar ' && version === ' \0') return 'gnu';
  return 'v7';
}

/** A NUL-terminated string field. */
function cString(b: Uint8Array, off: number, len: number): string {
  let end = off;
  const max = Math.min(off + len, b.length);
  while (end < max && b[end] !== 0) end++;
  return decoder.decode(b.subarray(off, end));
}

/** Go's parser.parseNumeric: base-256 when the high bit of the first byte is set, else octal. */
function numeric(b: Uint8Array, off: number, len: number): number {
  const f = b.subarray(off, off + len);
  if (f.length > 0 && f[0] & 0x80) {
    // Two's complement, big endian; the first byte's top bit is the marker.
    const neg = (f[0] & 0x40) !== 0;
    let v = 0n;
    for (let i = 0; i < f.length; i++) {
      let c = f[i];
      if (i === 0) c &= 0x7f;
      if (neg) c ^= 0xff;
      if (i === 0 && neg) c &= 0x7f;
      v = (v << 8n) | BigInt(c);
    }
    const n = Number(v);
    return neg ? -n - 1 : n;
  }
  return octal(b, off, len);
}

/** Go's parseOctal: spaces and NULs trimmed at both ends; anything else not octal is ErrHeader. */
function octal(b: Uint8Array, off: number, len: number): number {
  let s = off;
  let e = off + len;
  while (s < e && (b[s] === 0x20 || b[s] === 0)) s++;
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c < 0x30 || c > 0x37) throw new GoError(ERR_TAR_HEADER);
    v = v * 8 + (c - 0x30);
  }
  return v;
}

/** PAX records: `LEN KEY=VALUE\n`, LEN counting the whole record. */
function parsePax(body: Uint8Array): Map<string, string> {
  const recs = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    let sp = pos;
    while (sp < body.length && body[sp] !== 0x20) sp++;
    if (sp >= body.length) throw new GoError(ERR_TAR_HEADER);
    const lenText = decoder.decode(body.subarray(pos, sp));
    if (!/^\d+$/.test(lenText)) throw new GoError(ERR_TAR_HEADER);
    const len = Number(lenText);
    const end = pos + len;
    if (len <= sp - pos + 1 || end > body.length || body[end - 1] !== 0x0a) throw new GoError(ERR_TAR_HEADER);
    const rec = decoder.decode(body.subarray(sp + 1, end - 1));
    const eq = rec.indexOf('=');
    if (eq < 0) throw new GoError(ERR_TAR_HEADER);
    recs.set(rec.slice(0, eq), rec.slice(eq + 1));
    pos = end;
  }
  return recs;
}
