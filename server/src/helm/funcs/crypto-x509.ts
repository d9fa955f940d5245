/**
 * Keys and X.509 certificates as sprig 3.2.3 makes them with Go 1.19's crypto/x509: the PEM
 * encodings of pemBlockForKey (`RSA PRIVATE KEY` PKCS#1, `EC PRIVATE KEY` SEC1, `DSA PRIVATE KEY`,
 * `PRIVATE KEY` PKCS#8 for Ed25519), parsePrivateKeyPEM with its error texts, and
 * x509.CreateCertificate's layout (extensions in Go's order: key usage, extended key usage,
 * basic constraints, subject and authority key identifiers, subject alternative names).
 *
 * Key generation and signing use node's crypto. Randomness comes from the FuncEnv: Ed25519 and
 * ECDSA keys are derived from env.randomBytes, so a seeded env gives the same keys every render;
 * RSA and DSA keys cannot be derived cheaply, so in deterministic mode they are generated once
 * per random seed drawn from the env and cached (the editor renders the same text each time).
 * ECDSA signatures are randomised, so in deterministic mode they are cached per key and
 * to-be-signed bytes.
 */
import type { KeyObject } from 'crypto';
import { GoError } from '../value';
import { nodeCrypto } from './nodeCrypto';
import { FuncEnv } from './env';
import {
  Bytes,
  TAG,
  bitString,
  bool,
  bytesToBigInt,
  children,
  concat,
  explicit,
  implicit,
  integer,
  nul,
  octets,
  oid,
  oidToString,
  parseDER,
  seq,
  set,
  stringTLV,
  time,
} from './crypto-asn1';
import { base64Decode, base64Encode, hexEncode } from './strings-encoding';
import { goQuote } from './strings-unicode';

export type KeyKind = 'rsa' | 'ecdsa' | 'ed25519' | 'dsa';

/** A private key: node's KeyObject, except DSA keys, which Go cannot sign or certify with anyway. */
export interface PrivateKey {
  kind: KeyKind;
  obj?: KeyObject;
  /** For DSA keys: the DER of Go's DSAKeyFormat {0, P, Q, G, Y, X}. */
  dsaDER?: Bytes;
}

// ---------------------------------------------------------------------------------------------
// PEM

/** pem.EncodeToMemory: base64 lines of 64 characters. */
export function pemEncode(type: string, der: Bytes): string {
  const b64 = base64Encode(der);
  let out = `-----BEGIN ${type}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + `-----END ${type}-----\n`;
}

/** pem.Decode: the first well-formed block (headers skipped), or undefined. */
export function pemDecode(text: string): { type: string; bytes: Bytes } | undefined {
  let from = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', from);
    if (begin < 0) return undefined;
    from = begin + 11;
    if (begin > 0 && text[begin - 1] !== '\n') continue;
    const eol = text.indexOf('\n', begin);
    if (eol < 0) return undefined;
    const typeLine = text.slice(begin + 11, eol).replace(/\r$/, '');
    if (!typeLine.endsWith('-----')) continue;
    const type = typeLine.slice(0, -5);
    const endMarker = `-----END ${type}-----`;
    const end = text.indexOf(endMarker, eol);
    if (end < 0) continue;
    let body = text.slice(eol + 1, end);
    const lines = body.split('\n');
    if (lines.length && lines[0].includes(':')) {
      // Headers run up to the first empty line.
      const blank = lines.findIndex((l) => l.trim() === '');
      if (blank < 0) continue;
      body = lines.slice(blank + 1).join('\n');
    }
    const clean = body.replace(/[ \t\r\n]/g, '');
    try {
      return { type, bytes: base64Decode(new TextEncoder().encode(clean)) };
    } catch {
      continue;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

const DSA_OID = '1.2.840.10040.4.1';

function spkiOf(k: PrivateKey): Bytes {
  return new Uint8Array(nodeCrypto().createPublicKey(k.obj!).export({ type: 'spki', format: 'der' }));
}

/** The Go PEM encoding of a private key (sprig's pemBlockForKey). */
export function keyToPEM(k: PrivateKey): string {
  switch (k.kind) {
    case 'rsa':
      return pemEncode('RSA PRIVATE KEY', new Uint8Array(k.obj!.export({ type: 'pkcs1', format: 'der' })));
    case 'ecdsa':
      return pemEncode('EC PRIVATE KEY', new Uint8Array(k.obj!.export({ type: 'sec1', format: 'der' })));
    case 'ed25519':
      return pemEncode('PRIVATE KEY', new Uint8Array(k.obj!.export({ type: 'pkcs8', format: 'der' })));
    case 'dsa':
      return pemEncode('DSA PRIVATE KEY', k.dsaDER!);
  }
}

/** Go's DSAKeyFormat DER from node's PKCS#8 and SPKI encodings of a DSA key. */
function dsaFormat(obj: KeyObject): Bytes {
  const pkcs8 = children(parseDER(new Uint8Array(obj.export({ type: 'pkcs8', format: 'der' }))).content);
  const [p, q, g] = children(children(pkcs8[1].content)[1].content);
  const x = parseDER(pkcs8[2].content);
  const spki = children(parseDER(new Uint8Array(nodeCrypto().createPublicKey(obj).export({ type: 'spki', format: 'der' }))).content);
  const y = parseDER(spki[1].content.subarray(1));
  return seq(integer(0n), p.raw, q.raw, g.raw, y.raw, x.raw);
}

const keyCache = new Map<string, KeyObject>();

function cachedKey(id: string, make: () => KeyObject): KeyObject {
  let k = keyCache.get(id);
  if (!k) {
    k = make();
    if (keyCache.size >= 64) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(id, k);
  }
  return k;
}

function b64url(b: Bytes): string {
  return base64Encode(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new private key of the given kind (RSA: `bits`), with randomness from env (see the file comment). */
export function generateKey(kind: KeyKind, env: FuncEnv, bits = 2048): PrivateKey {
  switch (kind) {
    case 'ed25519': {
      const seed = env.randomBytes(32);
      const der = concat([Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]), seed]);
      return { kind, obj: nodeCrypto().createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }) };
    }
    case 'ecdsa': {
      for (;;) {
        const d = env.randomBytes(32);
        const ecdh = nodeCrypto().createECDH('prime256v1');
        try {
          ecdh.setPrivateKey(Buffer.from(d));
        } catch {
          continue; // zero or not below the group order: draw again
        }
        const pub = new Uint8Array(ecdh.getPublicKey());
        const jwk = { kty: 'EC', crv: 'P-256', d: b64url(d), x: b64url(pub.subarray(1, 33)), y: b64url(pub.subarray(33, 65)) };
        return { kind, obj: nodeCrypto().createPrivateKey({ key: jwk, format: 'jwk' }) };
      }
    }
    case 'dsa': {
      if (!env.deterministic) {
        const obj = nodeCrypto().generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey;
        return { kind, dsaDER: dsaFormat(obj) };
      }
      // Deterministic mode: domain parameters made once per process (generating them takes
      // a good fraction of a second), the key itself drawn from env: x in [1, q-1], y = g^x mod p.
      const { p, q, g } = dsaParameters();
      const x = (bytesToBigInt(env.randomBytes(40)) % (q - 1n)) + 1n;
      return { kind, dsaDER: seq(integer(0n), integer(p), integer(q), integer(g), integer(modPow(g, x, p)), integer(x)) };
    }
    case 'rsa': {
      const make = () => nodeCrypto().generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 }).privateKey;
      return { kind, obj: env.deterministic ? cachedKey(`rsa/${bits}/${hexEncode(env.randomBytes(16))}`, make) : make() };
    }
  }
}

let sharedDsa: { p: bigint; q: bigint; g: bigint } | undefined;

function dsaParameters(): { p: bigint; q: bigint; g: bigint } {
  if (!sharedDsa) {
    const der = children(parseDER(dsaFormat(nodeCrypto().generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey)).content);
    sharedDsa = { p: bytesToBigInt(der[1].content), q: bytesToBigInt(der[2].content), g: bytesToBigInt(der[3].content) };
  }
  return sharedDsa;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

function nodeKey(der: Bytes, type: 'pkcs1' | 'sec1' | 'pkcs8'): KeyObject {
  return nodeCrypto().createPrivateKey({ key: Buffer.from(der), format: 'der', type });
}

const MALFORMED = 'asn1: structure error: malformed key';

/** sprig's parsePrivateKeyPEM, with its error texts (the inner asn1 reasons are not Go's). */
export function parsePrivateKeyPEM(pem: string): PrivateKey {
  const block = pemDecode(pem);
  if (!block) throw new GoError('no PEM data in input');
  if (block.type === 'PRIVATE KEY') {
    let obj: KeyObject;
    try {
      obj = nodeKey(block.bytes, 'pkcs8');
    } catch {
      throw new GoError(`decoding PEM as PKCS#8: ${MALFORMED}`);
    }
    const t = obj.asymmetricKeyType;
    if (t === 'rsa') return { kind: 'rsa', obj };
    if (t === 'ec') return { kind: 'ecdsa', obj };
    if (t === 'ed25519') return { kind: 'ed25519', obj };
    let algo = t === 'dsa' ? DSA_OID : String(t);
    try {
      algo = oidToString(children(children(parseDER(block.bytes).content)[1].content)[0].content);
    } catch {
      // keep the name
    }
    throw new GoError(`decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: ${algo}`);
  }
  if (!block.type.endsWith(' PRIVATE KEY')) throw new GoError(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA':
      try {
        return { kind: 'rsa', obj: nodeKey(block.bytes, 'pkcs1') };
      } catch {
        throw new GoError(`parsing RSA private key from PEM: ${MALFORMED}`);
      }
    case 'EC':
      try {
        return { kind: 'ecdsa', obj: nodeKey(block.bytes, 'sec1') };
      } catch {
        throw new GoError(`parsing EC private key from PEM: x509: failed to parse EC private key: ${MALFORMED}`);
      }
    case 'DSA': {
      try {
        const e = parseDER(block.bytes);
        const parts = children(e.content);
        if (e.tag !== TAG.SEQUENCE || parts.length !== 6 || parts.some((p) => p.tag !== TAG.INTEGER)) throw new Error();
        // Go re-marshals the parsed numbers; for canonical DER that is the same bytes.
        return { kind: 'dsa', dsaDER: seq(integer(0n), ...parts.slice(1).map((p) => p.raw)) };
      } catch {
        throw new GoError(`parsing DSA private key from PEM: ${MALFORMED}`);
      }
    }
  }
  throw new GoError(`invalid private key type ${block.type}`);
}

// ---------------------------------------------------------------------------------------------
// IP addresses (net.ParseIP, Go 1.19: no leading zeros in IPv4 parts, no zones)

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255 || (p.length > 1 && p[0] === '0')) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return ip;
  }
  let i = 0;
  while (i < 16) {
    const m = /^[0-9a-fA-F]+/.exec(s);
    if (!m || m[0].length > 8) return undefined;
    const n = parseInt(m[0], 16);
    if (n > 0xffff) return undefined;
    const c = m[0].length;
    if (c < s.length && s[c] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4(s);
      if (!v4) return undefined;
      ip.splice(i, 4, ...v4);
      i += 4;
      s = '';
      break;
    }
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(c);
    if (s === '') break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) return undefined;
  return ip;
}

/** net.ParseIP then To4 (as x509 encodes IP SANs): 4 bytes for IPv4 and v4-mapped, else 16; undefined if invalid. */
export function parseIP(s: string): Bytes | undefined {
  for (const ch of s) {
    if (ch === '.') {
      const v4 = parseIPv4(s);
      return v4 ? Uint8Array.from(v4) : undefined;
    }
    if (ch === ':') {
      const v6 = parseIPv6(s);
      if (!v6) return undefined;
      if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return Uint8Array.from(v6.slice(12));
      return Uint8Array.from(v6);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Certificates

export interface CertSpec {
  cn: string;
  ips: Bytes[];
  dns: string[];
  notBefore: Date;
  notAfter: Date;
  serial: bigint;
  isCA: boolean;
}

/** What CreateCertificate uses of a parsed parent (CA) certificate. */
export interface ParentCert {
  rawSubject: Bytes;
  subjectKeyId?: Bytes;
  spki: Bytes;
}

/** Go's isPrintable for asn1 PrintableString (no '*', no '&'). */
function printable(s: string): boolean {
  return /^[A-Za-z0-9'()+,\-./:=? ]*$/.test(s);
}

function subjectBytes(cn: string): Bytes {
  if (cn === '') return seq();
  return seq(set(seq(oid('2.5.4.3'), stringTLV(printable(cn) ? TAG.PRINTABLE : TAG.UTF8, cn))));
}

function equal(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function extension(id: string, critical: boolean, value: Bytes): Bytes {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** Go's marshalKeyUsage: the bits reversed into a BIT STRING of minimal length. */
function keyUsage(ku: number): Bytes {
  const rev = (b: number) => {
    let r = 0;
    for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i);
    return r;
  };
  const a = [rev(ku & 0xff), rev((ku >> 8) & 0xff)];
  const bytes = Uint8Array.from(a[1] !== 0 ? a : [a[0]]);
  let bitLen = bytes.length * 8;
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] === 0) {
      bitLen -= 8;
      continue;
    }
    let b = bytes[i];
    while (!(b & 1)) {
      bitLen--;
      b >>= 1;
    }
    break;
  }
  return bitString(bytes, bitLen);
}

const KU_DIGITAL_SIGNATURE = 1;
const KU_KEY_ENCIPHERMENT = 4;
const KU_CERT_SIGN = 32;

function signingAlgorithm(k: PrivateKey): { alg: Bytes; hash: string | null } {
  if (k.kind === 'rsa') return { alg: seq(oid('1.2.840.113549.1.1.11'), nul()), hash: 'sha256' };
  if (k.kind === 'ed25519') return { alg: seq(oid('1.3.101.112')), hash: null };
  const curve = k.obj!.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return { alg: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
  if (curve === 'secp521r1') return { alg: seq(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
  return { alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
}

const signatureCache = new Map<string, Bytes>();

function sign(k: PrivateKey, hash: string | null, tbs: Bytes, deterministic: boolean): Bytes {
  const doSign = () => new Uint8Array(nodeCrypto().sign(hash, tbs, k.kind === 'ecdsa' ? { key: k.obj!, dsaEncoding: 'der' } : k.obj!));
  if (k.kind !== 'ecdsa' || !deterministic) return doSign();
  const id = hexEncode(spkiOf(k)) + '/' + nodeCrypto().createHash('sha256').update(tbs).digest('hex');
  let s = signatureCache.get(id);
  if (!s) {
    s = doSign();
    if (signatureCache.size >= 256) signatureCache.delete(signatureCache.keys().next().value as string);
    signatureCache.set(id, s);
  }
  return s;
}

/** x509.CreateCertificate for sprig's templates: the certificate DER, or GoError with Go's reason. */
export function createCertificate(spec: CertSpec, signee: PrivateKey, parent: ParentCert | undefined, signer: PrivateKey, deterministic: boolean): Bytes {
  if (signer.kind === 'dsa') throw new GoError('x509: certificate private key does not implement crypto.Signer');
  const { alg, hash } = signingAlgorithm(signer);
  if (signee.kind === 'dsa') throw new GoError('x509: unsupported public key type: *dsa.PublicKey');
  const spki = spkiOf(signee);
  const publicKeyBytes = children(parseDER(spki).content)[1].content.subarray(1);
  const subject = subjectBytes(spec.cn);
  const issuer = parent ? parent.rawSubject : subject;
  const authorityKeyId = parent && !equal(issuer, subject) && parent.subjectKeyId?.length ? parent.subjectKeyId : undefined;
  const subjectKeyId = spec.isCA ? new Uint8Array(nodeCrypto().createHash('sha1').update(publicKeyBytes).digest()) : undefined;
  if (parent && !equal(spkiOf(signer), parent.spki)) throw new GoError("x509: provided PrivateKey doesn't match parent's PublicKey");

  const exts: Bytes[] = [];
  const ku = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | (spec.isCA ? KU_CERT_SIGN : 0);
  exts.push(extension('2.5.29.15', true, keyUsage(ku)));
  exts.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
  exts.push(extension('2.5.29.19', true, spec.isCA ? seq(bool(true)) : seq()));
  if (subjectKeyId) exts.push(extension('2.5.29.14', false, octets(subjectKeyId)));
  if (authorityKeyId) exts.push(extension('2.5.29.35', false, seq(implicit(0, authorityKeyId))));
  if (spec.dns.length || spec.ips.length) {
    const names: Bytes[] = [];
    for (const d of spec.dns) {
      for (const ch of d) if (ch.codePointAt(0)! > 0x7f) throw new GoError(`x509: ${goQuote(d)} cannot be encoded as an IA5String`);
      names.push(implicit(2, new TextEncoder().encode(d)));
    }
    for (const ip of spec.ips) names.push(implicit(7, ip));
    exts.push(extension('2.5.29.17', subject.length === 2, seq(...names)));
  }
  let validity: Bytes;
  try {
    validity = seq(time(spec.notBefore), time(spec.notAfter));
  } catch (e) {
    throw new GoError((e as Error).message);
  }
  const tbs = seq(explicit(0, integer(2n)), integer(spec.serial), alg, issuer, validity, subject, spki, explicit(3, seq(...exts)));
  const sig = sign(signer, hash, tbs, deterministic);
  return seq(tbs, alg, bitString(sig));
}

/** x509.ParseCertificate, for the parts CreateCertificate needs of a parent; GoError when malformed. */
export function parseParentCert(der: Bytes): ParentCert {
  try {
    new (nodeCrypto().X509Certificate)(Buffer.from(der));
    const tbs = children(children(parseDER(der).content)[0].content);
    let i = tbs[0].tag === 0xa0 ? 1 : 0;
    i += 3; // serial, signature algorithm, issuer
    const rawSubject = tbs[i + 1].raw;
    const spki = tbs[i + 2].raw;
    let subjectKeyId: Bytes | undefined;
    const extsEl = tbs.find((e) => e.tag === 0xa3);
    if (extsEl) {
      for (const ext of children(children(extsEl.content)[0].content)) {
        const parts = children(ext.content);
        if (oidToString(parts[0].content) === '2.5.29.14') subjectKeyId = parseDER(parts[parts.length - 1].content).content;
      }
    }
    return { rawSubject: new Uint8Array(rawSubject), spki: new Uint8Array(spki), subjectKeyId };
  } catch {
    throw new GoError('x509: malformed certificate');
  }
}

/** Validates a certificate's DER as ParseCertificate would (node's parser stands in for Go's). */
export function checkCertificate(der: Bytes): void {
  try {
    new (nodeCrypto().X509Certificate)(Buffer.from(der));
  } catch {
    throw new GoError('x509: malformed certificate');
  }
}

