import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose, diagnoseRule, service, settings } from '../../helpers';
import { checkSecretBase64, decodeSecretBase64, looksBase64OfText } from '../../../server/src/rules/util/secretBase64';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

const secret = (body: string, type?: string): string =>
  ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app-secret', ...(type ? [`type: ${type}`] : []), body, ''].join('\n');

function problems(text: string, code: string): Array<{ message: string; data?: Record<string, unknown>; text: string }> {
  const ls = service();
  return ls.validate(ls.parse('file:///test/secret.yaml', text), settings()).filter((p) => p.code === code).map((p) => ({ message: p.message, data: p.data, text: text.slice(p.start, p.end) }));
}

test('a valid Secret has no problems', () => {
  assert.deepEqual(diagnose(secret(`data:\n  password: ${b64('s3cr3t-pw!')}\n  wrapped: |\n    ${b64('line one of a long value').slice(0, 16)}\n    ${b64('line one of a long value').slice(16)}\nstringData:\n  username: admin`)), []);
});

test('secret-invalid-base64: a plain text value names the character and position, never the value, and carries the key', () => {
  const text = secret('data:\n  password: hunter 2');
  const p = problems(text, 'secret-invalid-base64');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'hunter 2');
  assert.match(p[0].message, /data\.password is not valid base64: a space at character 7 is not in the base64 alphabet/);
  assert.match(p[0].message, /stringData/);
  assert.doesNotMatch(p[0].message, /hunter/);
  assert.deepEqual(p[0].data, { key: 'password' });
  assert.equal(diagnoseRule(text, 'secret-invalid-base64')[0].severity, 'error');
});

test('secret-invalid-base64: padding, URL-safe alphabet, trailing data', () => {
  assert.match(problems(secret('data:\n  a: YWJj\n  b: YWI\n'), 'secret-invalid-base64')[0].message, /padding is missing: the value must end with '='/);
  assert.match(problems(secret('data:\n  a: YQ\n'), 'secret-invalid-base64')[0].message, /must end with '=='/);
  assert.match(problems(secret('data:\n  a: ab-_\n'), 'secret-invalid-base64')[0].message, /'-' at character 3 .*URL-safe/);
  assert.match(problems(secret('data:\n  a: YQ==YQ==\n'), 'secret-invalid-base64')[0].message, /after the '=' padding/);
  assert.match(problems(secret('data:\n  a: Y===\n'), 'secret-invalid-base64')[0].message, /too early/);
});

test('base64 checker matches Go StdEncoding: line breaks are ignored, empty is fine', () => {
  assert.deepEqual(checkSecretBase64(''), { ok: true });
  assert.deepEqual(checkSecretBase64('YWJj\nZGVm\n'), { ok: true });
  assert.deepEqual(checkSecretBase64('YW\nI='), { ok: true });
  assert.equal(new TextDecoder().decode(decodeSecretBase64('aGVsbG8gd29y\nbGQ=')), 'hello world');
  assert.equal(checkSecretBase64('YWJj ').ok, false);
});

test('secret-invalid-key: keys in data and stringData', () => {
  const p = problems(secret(`data:\n  "my key": ${b64('x')}\nstringData:\n  config/app.yaml: x\n  ..hidden: y\n  .env: ok`), 'secret-invalid-key');
  assert.deepEqual(p.map((x) => x.text), ['"my key"', 'config/app.yaml', '..hidden']);
  assert.match(p[0].message, /Key "my key" in data is not valid: it contains a space/);
  assert.match(p[1].message, /contains '\/'/);
  assert.match(p[2].message, /may not start with '\.\.'/);
});

test('secret-too-large: more than 1 MiB of decoded data', () => {
  const big = 'A'.repeat(1024 * 1024 + 4); // decodes to 786435 bytes
  const text = secret(`data:\n  a: ${big}\n  b: ${big}`);
  const p = problems(text, 'secret-too-large');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'data');
  assert.match(p[0].message, /1572870 bytes.*at most 1048576/);
  assert.deepEqual(problems(secret(`data:\n  a: ${big}`), 'secret-too-large'), []);
});

test('secret-missing-keys: tls needs tls.crt and tls.key; stringData counts', () => {
  let p = problems(secret(`data:\n  tls.crt: ${b64('cert')}`, 'kubernetes.io/tls'), 'secret-missing-keys');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'kubernetes.io/tls');
  assert.match(p[0].message, /needs the key tls\.key/);
  assert.deepEqual(p[0].data, { missingKeys: ['tls.key'], oneOf: false });
  p = problems(secret(`data:\n  tls.crt: ${b64('cert')}\nstringData:\n  tls.key: key`, 'kubernetes.io/tls'), 'secret-missing-keys');
  assert.deepEqual(p, []);
});

test('secret-missing-keys: basic-auth needs username or password; others', () => {
  const p = problems(secret('stringData:\n  user: admin', 'kubernetes.io/basic-auth'), 'secret-missing-keys');
  assert.match(p[0].message, /at least one of the keys username or password/);
  assert.deepEqual(problems(secret('stringData:\n  password: x', 'kubernetes.io/basic-auth'), 'secret-missing-keys'), []);
  assert.match(problems(secret('data: {}', 'kubernetes.io/dockerconfigjson'), 'secret-missing-keys')[0].message, /\.dockerconfigjson/);
  assert.match(problems(secret('data: {}', 'kubernetes.io/dockercfg'), 'secret-missing-keys')[0].message, /\.dockercfg/);
  assert.match(problems(secret('stringData:\n  ssh-privatekey: ""', 'kubernetes.io/ssh-auth'), 'secret-missing-keys')[0].message, /ssh-privatekey/);
  const sa = problems(secret('data: {}', 'kubernetes.io/service-account-token'), 'secret-missing-keys');
  assert.match(sa[0].message, /annotation kubernetes\.io\/service-account\.name/);
  assert.deepEqual(problems(secret('data: {}', 'Opaque'), 'secret-missing-keys'), []);
});

test('secret-dockerconfigjson: data must decode to JSON; stringData must be JSON', () => {
  let p = problems(secret(`data:\n  .dockerconfigjson: ${b64('{"auths": {')}`, 'kubernetes.io/dockerconfigjson'), 'secret-dockerconfigjson');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /data\.\.dockerconfigjson decodes to text that is not JSON/);
  p = problems(secret("stringData:\n  .dockerconfigjson: 'auths: x'", 'kubernetes.io/dockerconfigjson'), 'secret-dockerconfigjson');
  assert.match(p[0].message, /stringData\.\.dockerconfigjson is not JSON/);
  assert.doesNotMatch(p[0].message, /auths: x/);
  assert.deepEqual(problems(secret(`data:\n  .dockerconfigjson: ${b64('{"auths":{"r.io":{"auth":"eDp5"}}}')}`, 'kubernetes.io/dockerconfigjson'), 'secret-dockerconfigjson'), []);
});

test('secret-double-encoded: base64 of base64 of text; random values are not flagged', () => {
  const twice = b64(b64('my database password'));
  const p = problems(secret(`data:\n  password: ${twice}`), 'secret-double-encoded');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, twice);
  assert.match(p[0].message, /encoded twice/);
  assert.equal(diagnoseRule(secret(`data:\n  password: ${twice}`), 'secret-double-encoded')[0].severity, 'warning');
  // an alphanumeric password or a hex token encoded once: base64 by accident, but not of text
  for (const v of ['Password1234', 'deadbeefcafebabe0123456789abcdef', 'abcdEFGH', 'QWERTYUIOPASDFGH']) {
    assert.deepEqual(problems(secret(`data:\n  v: ${b64(v)}`), 'secret-double-encoded'), [], v);
  }
  assert.equal(looksBase64OfText(new TextEncoder().encode(b64('hello world'))), true);
});

test('secret-stringdata-encoded: a base64 value in stringData is information', () => {
  const text = secret(`stringData:\n  password: ${b64('my database password')}\n  plain: Password1234`);
  const p = diagnoseRule(text, 'secret-stringdata-encoded');
  assert.equal(p.length, 1);
  assert.equal(p[0].severity, 'information');
  assert.match(p[0].message, /stringData\.password looks base64-encoded/);
});

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkN3Zg\n-----END EC PRIVATE KEY-----\n';

test('secret-tls-pem: tls.crt and tls.key must be PEM; swapped values are named; values never printed', () => {
  const text = secret(`data:\n  tls.crt: ${b64('not a certificate at all')}\n  tls.key: ${b64(PEM_CERT)}`, 'kubernetes.io/tls');
  const p = problems(text, 'secret-tls-pem');
  assert.equal(p.length, 2);
  assert.equal(p[0].text, b64('not a certificate at all'));
  assert.match(p[0].message, /data\.tls\.crt decodes to no PEM certificate \(a -----BEGIN CERTIFICATE----- \.\.\. -----END CERTIFICATE----- block\)/);
  assert.equal(p[1].text, b64(PEM_CERT));
  assert.match(p[1].message, /data\.tls\.key decodes to a certificate, not a private key: tls\.crt and tls\.key look swapped/);
  for (const x of p) assert.ok(!x.message.includes('not a certificate at all') && !x.message.includes('MIIB'));
  assert.equal(diagnoseRule(text, 'secret-tls-pem')[0].severity, 'warning');
  const s = problems(secret('stringData:\n  tls.crt: |\n' + PEM_CERT.trim().split('\n').map((l) => '    ' + l).join('\n') + '\n  tls.key: my-key', 'kubernetes.io/tls'), 'secret-tls-pem');
  assert.deepEqual(s.map((x) => x.text), ['my-key']);
  assert.match(s[0].message, /stringData\.tls\.key holds no PEM private key/);
});

test('secret-tls-pem: PEM values pass; empty placeholders and other types are not checked', () => {
  assert.deepEqual(problems(secret(`data:\n  tls.crt: ${b64(PEM_CERT + PEM_CERT)}\n  tls.key: ${b64(PEM_KEY)}`, 'kubernetes.io/tls'), 'secret-tls-pem'), []);
  assert.deepEqual(problems(secret('data:\n  tls.crt: ""\n  tls.key: ""', 'kubernetes.io/tls'), 'secret-tls-pem'), []);
  assert.deepEqual(problems(secret(`data:\n  tls.crt: ${b64('plain')}\n  tls.key: ${b64('plain')}`, 'Opaque'), 'secret-tls-pem'), []);
});
