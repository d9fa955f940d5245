/**
 * A small DER (ASN.1) encoder and reader: enough to build X.509 certificates the way Go's
 * crypto/x509 lays them out, and to read back the parts of keys and certificates that sprig's
 * certificate functions need (subjects, key identifiers, DSA key parameters).
 */

export type Bytes = Uint8Array;

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  PRINTABLE: 0x13,
  IA5: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export function concat(parts: Bytes[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let j = 0;
  for (const p of parts) {
    out.set(p, j);
    j += p.length;
  }
  return out;
}

function lengthBytes(n: number): Bytes {
  if (n < 0x80) return Uint8Array.of(n);
  const b: number[] = [];
  while (n > 0) {
    b.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | b.length, ...b);
}

/** A TLV with the given tag byte. */
export function tlv(tag: number, content: Bytes): Bytes {
  return concat([Uint8Array.of(tag), lengthBytes(content.length), content]);
}

export const seq = (...parts: Bytes[]): Bytes => tlv(TAG.SEQUENCE, concat(parts));
export const set = (...parts: Bytes[]): Bytes => tlv(TAG.SET, concat(parts));
export const octets = (b: Bytes): Bytes => tlv(TAG.OCTET_STRING, b);
export const nul = (): Bytes => Uint8Array.of(TAG.NULL, 0);
export const bool = (v: boolean): Bytes => Uint8Array.of(TAG.BOOLEAN, 1, v ? 0xff : 0);
/** A context-specific constructed tag ([n] EXPLICIT). */
export const explicit = (n: number, content: Bytes): Bytes => tlv(0xa0 | n, content);
/** A context-specific primitive tag ([n] IMPLICIT on a primitive type). */
export const implicit = (n: number, content: Bytes): Bytes => tlv(0x80 | n, content);

/** A BIT STRING; `bitLength` defaults to all bits of `b`. */
export function bitString(b: Bytes, bitLength = b.length * 8): Bytes {
  const unused = b.length * 8 - bitLength;
  return tlv(TAG.BIT_STRING, concat([Uint8Array.of(unused), b]));
}

/** A non-negative INTEGER from a bigint (minimal two's complement). */
export function integer(v: bigint): Bytes {
  if (v < 0n) throw new Error('negative integers are not needed here');
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = hexBytes(hex);
  if (b[0] & 0x80) b = concat([Uint8Array.of(0), b]);
  return tlv(TAG.INTEGER, b);
}

export function hexBytes(hex: string): Bytes {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToBigInt(b: Bytes): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** An OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Bytes {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      stack.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...stack);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

export function oidToString(content: Bytes): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < content.length; i++) {
    v = v * 128 + (content[i] & 0x7f);
    if (!(content[i] & 0x80)) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const utf8 = new TextEncoder();

export function stringTLV(tag: number, s: string): Bytes {
  return tlv(tag, utf8.encode(s));
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Go's asn1 time: UTCTime for 1950 <= year < 2050, else GeneralizedTime (seconds precision, UTC). */
export function time(d: Date): Bytes {
  const y = d.getUTCFullYear();
  const rest = two(d.getUTCMonth() + 1) + two(d.getUTCDate()) + two(d.getUTCHours()) + two(d.getUTCMinutes()) + two(d.getUTCSeconds()) + 'Z';
  if (y >= 1950 && y < 2050) return stringTLV(TAG.UTC_TIME, two(y % 100) + rest);
  if (y < 0 || y > 9999) throw new Error('asn1: structure error: cannot represent time as GeneralizedTime');
  return stringTLV(TAG.GENERALIZED_TIME, String(y).padStart(4, '0') + rest);
}

// ---------------------------------------------------------------------------------------------
// Reader

export interface Element {
  tag: number;
  /** The whole TLV. */
  raw: Bytes;
  /** The content. */
  content: Bytes;
}

/** Reads the TLV at offset `at`; throws on malformed input. */
export function readElement(b: Bytes, at = 0): Element & { end: number } {
  if (at + 2 > b.length) throw new Error('asn1: syntax error: data truncated');
  const tag = b[at];
  if ((tag & 0x1f) === 0x1f) throw new Error('asn1: high-tag-number form is not supported');
  let len = b[at + 1];
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > b.length) throw new Error('asn1: syntax error: invalid length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i];
    p += n;
  }
  if (p + len > b.length) throw new Error('asn1: syntax error: data truncated');
  return { tag, raw: b.subarray(at, p + len), content: b.subarray(p, p + len), end: p + len };
}

/** The elements inside a constructed element's content. */
export function children(content: Bytes): Element[] {
  const out: Element[] = [];
  let at = 0;
  while (at < content.length) {
    const e = readElement(content, at);
    out.push(e);
    at = e.end;
  }
  return out;
}

/** Reads a single element that must fill `b` exactly. */
export function parseDER(b: Bytes): Element {
  const e = readElement(b, 0);
  if (e.end !== b.length) throw new Error('asn1: syntax error: trailing data');
  return e;
}
