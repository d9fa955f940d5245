/**
 * sprig 3.2.3's crypto functions (crypto.go): hashes, bcrypt and htpasswd, derivePassword
 * (the Master Password algorithm), AES-CBC encryptAES/decryptAES, randBytes, uuidv4,
 * genPrivateKey and the certificate functions, which return sprig's `certificate` struct.
 *
 * Randomness comes from the FuncEnv only (salts, IVs, serial numbers, keys; see crypto-x509.ts
 * for keys), and the clock from env.now(), so a deterministic env renders the same text every
 * time. Slow deterministic work (bcrypt, scrypt) is memoised on its inputs.
 */
import { formatV } from '../fmt';
import { def, GoError, GoInt, GoPanic, GoStruct, Value } from '../value';
import { bcryptjs, nodeCrypto } from './nodeCrypto';
import { FuncEnv, FuncFamily } from './env';
import { bytesToBigInt } from './crypto-asn1';
import {
  CertSpec,
  PrivateKey,
  checkCertificate,
  createCertificate,
  generateKey,
  keyToPEM,
  parseIP,
  parseParentCert,
  parsePrivateKeyPEM,
  pemDecode,
  pemEncode,
} from './crypto-x509';
import { base64Decode, base64Encode, hexEncode } from './strings-encoding';
import { goBytes, goString } from './strings-utf8';

/** sprig's `certificate` struct: `.Cert` and `.Key` hold PEM text. */
export class Certificate extends GoStruct {
  readonly goType = 'sprig.certificate';
  constructor(
    readonly cert: string,
    readonly key: string,
  ) {
    super();
  }
  override field(name: string): { value: Value } | undefined {
    if (name === 'Cert') return { value: this.cert };
    if (name === 'Key') return { value: this.key };
    return undefined;
  }
  override format(): string {
    return `{${this.cert} ${this.key}}`;
  }
}

function hash(alg: string, s: string): string {
  return nodeCrypto().createHash(alg).update(goBytes(s)).digest('hex');
}

/** hash/adler32.Checksum. */
export function adler32(b: Uint8Array): number {
  let a = 1;
  let c = 0;
  for (let i = 0; i < b.length; ) {
    const end = Math.min(b.length, i + 5552);
    for (; i < end; i++) {
      a += b[i];
      c += a;
    }
    a %= 65521;
    c %= 65521;
  }
  return ((c << 16) | a) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// bcrypt

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** bcrypt's base64 of the 16 salt bytes (22 characters). */
function bcryptBase64(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const c1 = b[i];
    const c2 = i + 1 < b.length ? b[i + 1] : 0;
    const c3 = i + 2 < b.length ? b[i + 2] : 0;
    out += BCRYPT_ALPHABET[c1 >> 2];
    out += BCRYPT_ALPHABET[((c1 & 3) << 4) | (c2 >> 4)];
    if (i + 1 >= b.length) break;
    out += BCRYPT_ALPHABET[((c2 & 15) << 2) | (c3 >> 6)];
    if (i + 2 >= b.length) break;
    out += BCRYPT_ALPHABET[c3 & 63];
  }
  return out;
}

const bcryptCache = new Map<string, string>();

/**
 * Go's bcrypt.GenerateFromPassword with DefaultCost (10): `$2a$10$` + salt + hash. Passwords
 * longer than 72 bytes are cut at 72 bytes, as x/crypto 0.3 did (newer x/crypto, which Helm
 * builds with today, refuses them instead).
 */
export function bcryptHash(password: string, env: FuncEnv): string {
  const salt = '$2a$10$' + bcryptBase64(env.randomBytes(16));
  const id = salt + '\u0000' + password;
  let h = bcryptCache.get(id);
  if (h === undefined) {
    // bcryptjs UTF-8-encodes the string (Go's bytes for valid text) and uses its first 72 bytes.
    h = bcryptjs().hashSync(password, salt);
    if (bcryptCache.size >= 128) bcryptCache.delete(bcryptCache.keys().next().value as string);
    bcryptCache.set(id, h);
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// derivePassword (Master Password)

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const TEMPLATE_CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

const SEED = new TextEncoder().encode('com.lyndir.masterpassword');

function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let j = 0;
  for (const p of parts) {
    out.set(p, j);
    j += p.length;
  }
  return out;
}

const scryptCache = new Map<string, Buffer>();

/** Master Password: scrypt(password, seed+len(user)+user, N=32768, r=8, p=2), HMAC-SHA256 of the site, a template. */
export function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!Object.prototype.hasOwnProperty.call(TEMPLATES, type)) return `cannot find password template ${type}`;
  const userB = goBytes(user);
  const siteB = goBytes(site);
  const salt = cat(SEED, u32(userB.length), userB);
  const id = hexEncode(salt) + '/' + password;
  let key = scryptCache.get(id);
  if (!key) {
    key = nodeCrypto().scryptSync(goBytes(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 32768 * 8 * 2 + 1024 * 1024 });
    if (scryptCache.size >= 32) scryptCache.delete(scryptCache.keys().next().value as string);
    scryptCache.set(id, key);
  }
  const seed = nodeCrypto().createHmac('sha256', key).update(cat(SEED, u32(siteB.length), siteB, u32(counter))).digest();
  const temp = templates[seed[0] % templates.length];
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = TEMPLATE_CHARS[temp[i]];
    out += chars[seed[i + 1] % chars.length];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// AES

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(goBytes(password)).copy(key, 0, 0, 32);
  return key;
}

/** sprig's encryptAES: AES-256-CBC, the password zero-padded/cut to 32 bytes, PKCS#7 padding, IV first, base64. */
export function encryptAES(password: string, plaintext: string, env: FuncEnv): string {
  if (plaintext === '') return '';
  const content = goBytes(plaintext);
  const pad = 16 - (content.length % 16);
  const padded = cat(content, new Uint8Array(pad).fill(pad));
  const iv = env.randomBytes(16);
  const c = nodeCrypto().createCipheriv('aes-256-cbc', aesKey(password), iv);
  c.setAutoPadding(false);
  return base64Encode(cat(iv, new Uint8Array(c.update(padded)), new Uint8Array(c.final())));
}

/** sprig's decryptAES, with the panics of its unchecked slicing. */
export function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const src = goBytes(crypt64);
  const crypt = base64Decode(src); // GoError: illegal base64 data at input byte N
  const capacity = Math.floor(src.length / 4) * 3;
  if (crypt.length < 16) throw new GoPanic(`runtime error: slice bounds out of range [:16] with capacity ${capacity}`);
  const iv = crypt.subarray(0, 16);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new GoPanic('crypto/cipher: input not full blocks');
  const d = nodeCrypto().createDecipheriv('aes-256-cbc', aesKey(password), iv);
  d.setAutoPadding(false);
  const dec = cat(new Uint8Array(d.update(body)), new Uint8Array(d.final()));
  if (dec.length === 0) throw new GoPanic('runtime error: index out of range [-1]');
  const end = dec.length - dec[dec.length - 1];
  if (end < 0) throw new GoPanic(`runtime error: slice bounds out of range [:${end}]`);
  return goString(dec.subarray(0, end));
}

// ---------------------------------------------------------------------------------------------
// Certificates

function toNumber(x: GoInt): number {
  return Number(x.v);
}

/** time.Hour * 24 * time.Duration(days), with int64 overflow wrapping as in Go, added to now. */
function addDays(now: Date, days: number): Date {
  const ns = BigInt.asIntN(64, 86_400_000_000_000n * BigInt(Math.trunc(days)));
  return new Date(now.getTime() + Number(ns / 1_000_000n));
}

function netIPs(ips: Value): Uint8Array[] {
  if (!Array.isArray(ips)) return [];
  return ips.map((ip) => {
    if (typeof ip !== 'string') throw new GoError(`error parsing ip: ${formatV(ip === undefined ? null : ip)} is not a string`);
    const b = parseIP(ip);
    if (!b) throw new GoError(`error parsing ip: ${ip}`);
    return b;
  });
}

function dnsNames(names: Value): string[] {
  if (!Array.isArray(names)) return [];
  return names.map((d) => {
    if (typeof d !== 'string') throw new GoError(`error processing alternate dns name: ${formatV(d === undefined ? null : d)} is not a string`);
    return d;
  });
}

function baseTemplate(cn: string, ips: Value, dns: Value, days: number, env: FuncEnv): CertSpec {
  const ipList = netIPs(ips);
  const dnsList = dnsNames(dns);
  const serial = bytesToBigInt(env.randomBytes(16)); // rand.Int(rand.Reader, 2^128)
  const now = env.now();
  return { cn, ips: ipList, dns: dnsList, notBefore: now, notAfter: addDays(now, days), serial, isCA: false };
}

function certAndKey(spec: CertSpec, signee: PrivateKey, parent: ReturnType<typeof parseParentCert> | undefined, signer: PrivateKey, env: FuncEnv): Certificate {
  let der: Uint8Array;
  try {
    der = createCertificate(spec, signee, parent, signer, env.deterministic);
  } catch (e) {
    if (e instanceof GoError) throw new GoError(`error creating certificate: ${e.message}`);
    throw e;
  }
  return new Certificate(pemEncode('CERTIFICATE', der), keyToPEM(signee));
}

function withKey(pem: string): PrivateKey {
  try {
    return parsePrivateKeyPEM(pem);
  } catch (e) {
    if (e instanceof GoError) throw new GoError(`parsing private key: ${e.message}`);
    throw e;
  }
}

function genCA(cn: string, days: number, key: PrivateKey, env: FuncEnv): Certificate {
  const spec = baseTemplate(cn, null, null, days, env);
  spec.isCA = true;
  return certAndKey(spec, key, undefined, key, env);
}

function genSelfSigned(cn: string, ips: Value, dns: Value, days: number, key: PrivateKey, env: FuncEnv): Certificate {
  const spec = baseTemplate(cn, ips, dns, days, env);
  return certAndKey(spec, key, undefined, key, env);
}

function caParts(ca: Value): { cert: string; key: string } {
  if (ca instanceof Certificate) return { cert: ca.cert, key: ca.key };
  if (ca instanceof GoStruct) {
    const c = ca.field('Cert')?.value;
    const k = ca.field('Key')?.value;
    return { cert: typeof c === 'string' ? c : '', key: typeof k === 'string' ? k : '' };
  }
  return { cert: '', key: '' };
}

function genSigned(cn: string, ips: Value, dns: Value, days: number, ca: Value, key: PrivateKey, env: FuncEnv): Certificate {
  const { cert, key: caKey } = caParts(ca);
  const block = pemDecode(cert);
  if (!block) throw new GoError('unable to decode certificate');
  let parent;
  try {
    parent = parseParentCert(block.bytes);
  } catch (e) {
    if (e instanceof GoError) throw new GoError(`error parsing certificate: decodedSignerCert.Bytes: ${e.message}`);
    throw e;
  }
  let signer: PrivateKey;
  try {
    signer = parsePrivateKeyPEM(caKey);
  } catch (e) {
    if (e instanceof GoError) throw new GoError(`error parsing private key: ${e.message}`);
    throw e;
  }
  const spec = baseTemplate(cn, ips, dns, days, env);
  return certAndKey(spec, key, parent, signer, env);
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  let cert: Uint8Array;
  let key: Uint8Array;
  try {
    cert = base64Decode(goBytes(b64cert));
  } catch {
    throw new GoError('unable to decode base64 certificate');
  }
  try {
    key = base64Decode(goBytes(b64key));
  } catch {
    throw new GoError('unable to decode base64 private key');
  }
  const certText = goString(cert);
  const keyText = goString(key);
  const block = pemDecode(certText);
  if (!block) throw new GoError('unable to decode certificate');
  try {
    checkCertificate(block.bytes);
  } catch (e) {
    throw new GoError(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
  }
  try {
    parsePrivateKeyPEM(keyText);
  } catch (e) {
    throw new GoError(`error parsing private key: ${(e as Error).message}`);
  }
  return new Certificate(certText, keyText);
}

/** google/uuid's NewRandom: 16 random bytes with the version (4) and variant (RFC 4122) bits. */
function uuidv4(env: FuncEnv): string {
  const b = env.randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = hexEncode(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function generatePrivateKey(typ: string, env: FuncEnv): string {
  switch (typ) {
    case '':
    case 'rsa':
      return keyToPEM(generateKey('rsa', env, 4096));
    case 'dsa':
      return keyToPEM(generateKey('dsa', env));
    case 'ecdsa':
      return keyToPEM(generateKey('ecdsa', env));
    case 'ed25519':
      return keyToPEM(generateKey('ed25519', env));
  }
  return 'Unknown type ' + typ;
}

/** The crypto functions of sprig 3.2.3 (plus 3.3's sha512sum). */
export const cryptoFuncs: FuncFamily = (map, env) => {
  const S = 'string';
  const I = 'int';
  const CERT = 'sprig.certificate';
  const LIST = '[]interface {}';
  const E = { returnsError: true };
  def(map, 'sha1sum', [S], S, (s: string) => hash('sha1', s));
  def(map, 'sha256sum', [S], S, (s: string) => hash('sha256', s));
  // sprig 3.3 (Helm 3.17+); not in 3.2.3.
  def(map, 'sha512sum', [S], S, (s: string) => hash('sha512', s));
  def(map, 'adler32sum', [S], S, (s: string) => String(adler32(goBytes(s))));
  def(map, 'bcrypt', [S], S, (s: string) => bcryptHash(s, env));
  def(map, 'htpasswd', [S, S], S, (user: string, pw: string) => (user.includes(':') ? `invalid username: ${user}` : `${user}:${bcryptHash(pw, env)}`));
  def(map, 'randBytes', [I], S, (c: GoInt) => {
    const n = toNumber(c);
    if (n < 0) throw new GoPanic('runtime error: makeslice: len out of range');
    return base64Encode(env.randomBytes(n));
  }, E);
  def(map, 'uuidv4', [], S, () => uuidv4(env));
  def(map, 'derivePassword', ['uint32', S, S, S, S], S, (c: GoInt, t: string, pw: string, user: string, site: string) =>
    derivePassword(toNumber(c), t, pw, user, site),
  );
  def(map, 'genPrivateKey', [S], S, (t: string) => generatePrivateKey(t, env));
  def(map, 'buildCustomCert', [S, S], CERT, (c: string, k: string) => buildCustomCert(c, k), E);
  def(map, 'genCA', [S, I], CERT, (cn: string, d: GoInt) => genCA(cn, toNumber(d), generateKey('rsa', env, 2048), env), E);
  def(map, 'genCAWithKey', [S, I, S], CERT, (cn: string, d: GoInt, pem: string) => genCA(cn, toNumber(d), withKey(pem), env), E);
  def(map, 'genSelfSignedCert', [S, LIST, LIST, I], CERT, (cn: string, ips: Value, dns: Value, d: GoInt) =>
    genSelfSigned(cn, ips, dns, toNumber(d), generateKey('rsa', env, 2048), env), E);
  def(map, 'genSelfSignedCertWithKey', [S, LIST, LIST, I, S], CERT, (cn: string, ips: Value, dns: Value, d: GoInt, pem: string) =>
    genSelfSigned(cn, ips, dns, toNumber(d), withKey(pem), env), E);
  def(map, 'genSignedCert', [S, LIST, LIST, I, CERT], CERT, (cn: string, ips: Value, dns: Value, d: GoInt, ca: Value) =>
    genSigned(cn, ips, dns, toNumber(d), ca, generateKey('rsa', env, 2048), env), E);
  def(map, 'genSignedCertWithKey', [S, LIST, LIST, I, CERT, S], CERT, (cn: string, ips: Value, dns: Value, d: GoInt, ca: Value, pem: string) =>
    genSigned(cn, ips, dns, toNumber(d), ca, withKey(pem), env), E);
  def(map, 'encryptAES', [S, S], S, (pw: string, text: string) => encryptAES(pw, text, env), E);
  def(map, 'decryptAES', [S, S], S, (pw: string, text: string) => decryptAES(pw, text), E);
};

