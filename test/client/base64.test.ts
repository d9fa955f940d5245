// Unit tests of the client's base64 helpers (no VS Code needed).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decodeBase64, encodeBase64, scalarValueRange } from '../../client/src/base64';

test('encode: UTF-8 text, including non-ASCII', () => {
  assert.equal(encodeBase64('hunter2'), 'aHVudGVyMg==');
  assert.equal(encodeBase64('pässwörd ✓'), Buffer.from('pässwörd ✓').toString('base64'));
  assert.equal(encodeBase64(''), '');
});

test('decode: text round-trips; whitespace, line breaks and missing padding are accepted', () => {
  assert.deepEqual(decodeBase64('aHVudGVyMg=='), { kind: 'text', text: 'hunter2' });
  assert.deepEqual(decodeBase64('aHVudGVy\n  Mg=='), { kind: 'text', text: 'hunter2' });
  assert.deepEqual(decodeBase64('aHVudGVyMg'), { kind: 'text', text: 'hunter2' });
  assert.deepEqual(decodeBase64(encodeBase64('pässwörd ✓\nline 2')), { kind: 'text', text: 'pässwörd ✓\nline 2' });
});

test('decode: URL-safe alphabet', () => {
  const bytes = Buffer.from('a?b>c~', 'utf8');
  const url = bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  assert.deepEqual(decodeBase64(url), { kind: 'text', text: 'a?b>c~' });
});

test('decode: binary data is reported, never returned as garbled text', () => {
  assert.deepEqual(decodeBase64('/9j/4AAQ'), { kind: 'binary', byteLength: 6 }); // JPEG header: invalid UTF-8
  assert.deepEqual(decodeBase64(Buffer.from([0, 1, 2, 65]).toString('base64')), { kind: 'binary', byteLength: 4 }); // control bytes
});

test('decode: invalid input says why', () => {
  assert.equal(decodeBase64('').kind, 'invalid');
  assert.equal(decodeBase64('not base64!').kind, 'invalid');
  assert.equal(decodeBase64('a').kind, 'invalid'); // impossible length
  assert.equal(decodeBase64('ab=').kind, 'invalid'); // wrong padding
  assert.equal(decodeBase64('ab=c').kind, 'invalid');
});

test('scalarValueRange: the value of `key: value` and `- value`, without quotes or comments', () => {
  const pick = (line: string) => {
    const r = scalarValueRange(line);
    return r && line.slice(r[0], r[1]);
  };
  assert.equal(pick('  password: aHVudGVyMg=='), 'aHVudGVyMg==');
  assert.equal(pick('  user: "admin"'), 'admin');
  assert.equal(pick("  user: 'admin'"), 'admin');
  assert.equal(pick('  token: abc # a comment'), 'abc');
  assert.equal(pick('  - item'), 'item');
  assert.equal(pick('  - key: value'), 'value');
  assert.equal(pick('data:'), undefined);
  assert.equal(pick('  cert: |'), undefined);
  assert.equal(pick('  empty: ""'), undefined);
});
