import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyAction, applyEdits, codeActions, dedent, errorsOf, hover } from '../../helpers';
import { decodeSecretValue, isValidBase64 } from '../../../server/src/features/actions/secrets';
import { basicAuthSecret, envSecret, htpasswdLine, parseEnvFile, tlsSecret, validateSecretName } from '../../../server/src/features/secretBuilders';
import bcrypt from 'bcryptjs';

const secret = (body: string) => dedent(`
  apiVersion: v1
  kind: Secret
  metadata:
    name: db
  type: Opaque
`) + dedent(body);

test('base64 validity follows the API server (standard alphabet, padding, line breaks allowed)', () => {
  assert.ok(isValidBase64('cGFzc3dvcmQ='));
  assert.ok(isValidBase64('cGFz\nc3dv\ncmQ='));
  assert.ok(isValidBase64(''));
  assert.ok(!isValidBase64('password!'));
  // "password" happens to be valid base64 (of 6 bytes that are not text): the API server accepts it
  assert.ok(isValidBase64('password'));
  assert.equal(decodeSecretValue('password').kind, 'binary');
  assert.ok(!isValidBase64('cGFzc3dvcmQ'));
  assert.ok(!isValidBase64('cGFz c3dvcmQ='));
  assert.deepEqual(decodeSecretValue('cGFzc3dvcmQ='), { kind: 'text', text: 'password' });
  assert.deepEqual(decodeSecretValue('/9j/4AAQ'), { kind: 'binary', bytes: 6 });
});

test('Encode as base64 on a value that is not base64, and the result has no errors', () => {
  const out = applyAction(secret(`
    data:
      password: s3cr$0et!
  `), 'Encode the value of password as base64');
  assert.equal(out, secret(`
    data:
      password: czNjcmV0IQ==
  `));
  assert.deepEqual(errorsOf(out), []);
});

test('Encode as base64 keeps the exact content of a block scalar', () => {
  const out = applyAction(secret(`
    data:
      config: |
        line one
        line$0 two
      other: b2s=
  `), 'Encode the value of config as base64');
  assert.equal(out, secret(`
    data:
      config: ${Buffer.from('line one\nline two\n').toString('base64')}
      other: b2s=
  `));
  assert.deepEqual(errorsOf(out), []);
});

test('no Encode as base64 on a value that already is base64', () => {
  const { actions } = codeActions(secret(`
    data:
      password: cGFzc3$0dvcmQ=
  `));
  assert.ok(!actions.some((a) => /as base64/.test(a.title)), actions.map((a) => a.title).join(' | '));
  assert.ok(actions.some((a) => a.title === 'Decode password into stringData'));
});

test('Decode into stringData creates stringData and removes an emptied data', () => {
  const out = applyAction(secret(`
    data:
      password: cGFzc3$0dvcmQ=
  `), 'Decode password into stringData');
  assert.equal(out, secret(`
    stringData:
      password: password
  `));
  assert.deepEqual(errorsOf(out), []);
});

test('Decode into stringData quotes values YAML would read otherwise, and uses a block scalar for lines', () => {
  const enc = (s: string) => Buffer.from(s).toString('base64');
  const out = applyAction(secret(`
    da$0ta:
      flag: ${enc('yes')}
      pem: ${enc('-----BEGIN-----\nabc\n-----END-----\n')}
      port: ${enc('5432')}
      keep: ${enc('x')}
    stringData:
      user: admin
  `), /^Convert all data to stringData/);
  assert.equal(out, secret(`
    stringData:
      user: admin
      flag: "yes"
      pem: |
        -----BEGIN-----
        abc
        -----END-----
      port: "5432"
      keep: x
  `));
  assert.deepEqual(errorsOf(out), []);
});

test('binary values stay in data and get no decode action', () => {
  const text = secret(`
    data:
      logo: /9j/4A$0AQ
      name: d2Vi
  `);
  const { actions } = codeActions(text);
  assert.ok(!actions.some((a) => /Decode logo/.test(a.title)));
  const all = applyAction(text.replace('$0', '').replace('kind: Secret', 'kind: Sec$0ret'), /^Convert all data to stringData/);
  assert.match(all, /data:\n  logo: \/9j\/4AAQ\n/);
  assert.match(all, /stringData:\n  name: web\n/);
  assert.deepEqual(errorsOf(all), []);
});

test('Encode into data moves a stringData value into data as base64', () => {
  const out = applyAction(secret(`
    data:
      a: YQ==
    stringData:
      pass$0word: hunter2
      user: admin
  `), 'Encode password into data (base64)');
  assert.equal(out, secret(`
    data:
      a: YQ==
      password: aHVudGVyMg==
    stringData:
      user: admin
  `));
  assert.deepEqual(errorsOf(out), []);
});

test('Convert all stringData to data on kind: Secret', () => {
  const text = dedent(`
    apiVersion: v1
    kind: Sec$0ret
    metadata:
      name: db
    stringData:
      user: admin
      url: "postgres://db:5432/app"
  `);
  const out = applyAction(text, 'Convert all stringData to data (base64)');
  assert.equal(out, dedent(`
    apiVersion: v1
    kind: Secret
    metadata:
      name: db
    data:
      user: YWRtaW4=
      url: cG9zdGdyZXM6Ly9kYjo1NDMyL2FwcA==
  `));
  assert.deepEqual(errorsOf(out), []);
  // and back again gives the plain text
  const back = applyAction(out.replace('kind: Secret', 'kind: Sec$0ret'), /^Convert all data to stringData/);
  assert.match(back, /stringData:\n  user: admin\n  url: postgres:\/\/db:5432\/app\n/);
});

test('no Secret actions on a ConfigMap', () => {
  const { actions } = codeActions('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: not$0base64\n');
  assert.deepEqual(actions.map((a) => a.title), []);
});

test('hover on a data value shows the decoded text, or only its size when revealOnHover is off', () => {
  const text = secret(`
    data:
      password: cGFzc3$0dvcmQ=
      logo: /9j/4AAQ
  `);
  assert.match(hover(text)!, /Decoded\*\* \(8 bytes\):\n\n```text\npassword\n```/);
  const hidden = hover(text, { secrets: { revealOnHover: false } })!;
  assert.match(hidden, /8 bytes of text/);
  assert.ok(!hidden.includes('password\n'));
  assert.match(hover(text.replace('$0', '').replace('/9j/', '/9$0j/'))!, /6 bytes of binary data/);
});

test('basic-auth Secret: bcrypt htpasswd entry under .htpasswd (and auth for ingress-nginx)', () => {
  const line = htpasswdLine('admin', 'pa:ss word', 4);
  assert.match(line, /^admin:\$2y\$04\$[./A-Za-z0-9]{53}$/);
  assert.ok(bcrypt.compareSync('pa:ss word', line.slice('admin:'.length).replace('$2y$', '$2b$')));
  const yaml = basicAuthSecret({ name: 'web-auth', username: 'admin', password: 'secret', ingressNginx: true, rounds: 4 });
  assert.match(yaml, /^apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-auth\ntype: Opaque\ndata:\n  \.htpasswd: \S+\n  auth: \S+\n$/);
  const htpasswd = Buffer.from(/\.htpasswd: (\S+)/.exec(yaml)![1], 'base64').toString();
  assert.match(htpasswd, /^admin:\$2y\$04\$.{53}\n$/);
  assert.ok(!yaml.includes('secret\n'));
  assert.deepEqual(errorsOf(yaml), []);
  assert.throws(() => basicAuthSecret({ name: 'Bad_Name', username: 'a', password: 'b' }), /Invalid Secret name/);
  assert.throws(() => htpasswdLine('a:b', 'x'), (e: Error) => !e.message.includes('x'));
  assert.equal(validateSecretName('web-auth'), undefined);
});

test('Secret from a .env file: comments, export, quotes, escapes; bad lines reported by number only', () => {
  const env = '# db\nexport DB_USER=admin\nDB_PASS="p@ss \\"w\\"\\nline2"\nTOKEN=\'a#b\'  \nNOTE=plain # comment\ngarbage line\n\nEMPTY=\n';
  const parsed = parseEnvFile(env);
  assert.deepEqual(parsed.entries, [['DB_USER', 'admin'], ['DB_PASS', 'p@ss "w"\nline2'], ['TOKEN', 'a#b'], ['NOTE', 'plain'], ['EMPTY', '']]);
  assert.deepEqual(parsed.skipped, [6]);
  const r = envSecret({ name: 'app-env', namespace: 'prod', envText: env });
  assert.equal(r.keys, 5);
  assert.match(r.yaml, /metadata:\n  name: app-env\n  namespace: prod\ntype: Opaque\ndata:\n  DB_USER: YWRtaW4=\n/);
  assert.match(r.yaml, /\n  EMPTY: \n/);
  assert.deepEqual(errorsOf(r.yaml), []);
  assert.throws(() => envSecret({ name: 'x', envText: '# nothing\n' }), /no KEY=value/);
});

test('TLS Secret from PEM files; non-PEM and encrypted keys are refused without echoing them', () => {
  const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
  const yaml = tlsSecret({ name: 'web-tls', cert, key });
  assert.equal(yaml, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${Buffer.from(cert).toString('base64')}\n  tls.key: ${Buffer.from(key).toString('base64')}\n`);
  assert.deepEqual(errorsOf(yaml), []);
  assert.throws(() => tlsSecret({ name: 'x', cert: 'hello', key }), (e: Error) => /not PEM/.test(e.message) && !e.message.includes('hello'));
  assert.throws(() => tlsSecret({ name: 'x', cert, key: '-----BEGIN ENCRYPTED PRIVATE KEY-----\n' }), /encrypted/);
});

test('applyEdits refuses overlapping edits', () => {
  assert.throws(() => applyEdits('abc', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]));
});
