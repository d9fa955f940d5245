/**
 * printf.ts (fmt.Sprintf, strconv.FormatFloat, strconv.Quote*) and fmt.ts against Go.
 *
 * fixtures/exec-printf.json was observed from Go 1.19: fmt.Sprintf on typed Go values (each
 * argument is [Go type, text], built the same way below), strconv.FormatFloat on float64 bit
 * patterns with every format and a range of precisions, and the strconv quoting functions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canBackquote, formatFloatGo, quoteGo, quoteRuneWith, quoteToASCII, sprintf } from '../../../server/src/helm/printf';
import { formatV, sprint, utf8Bytes, utf8Length, utf8String } from '../../../server/src/helm/fmt';
import { GoFloat32, GoInt, goSlice, IntType, Value } from '../../../server/src/helm/value';
import fixture from './fixtures/exec-printf.json';

function goValue([t, s]: [string, string]): Value {
  switch (t) {
    case 'int':
    case 'int64':
    case 'int32':
    case 'uint8':
    case 'uint':
      return new GoInt(BigInt(s), t as IntType);
    case 'float64':
    case 'float32': {
      const f = s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : s === '-0.0' ? -0 : Number(s);
      return t === 'float32' ? new GoFloat32(Math.fround(f)) : f;
    }
    case 'string':
      return s;
    case 'bool':
      return s === 'true';
    case 'nil':
      return null;
    case 'list':
    case 'map':
      return JSON.parse(s) as Value;
    case 'strs':
      return goSlice(JSON.parse(s) as string[], 'string');
    case 'bytes':
      return utf8Bytes(s);
  }
  throw new Error(t);
}

test('Sprintf: every verb and flag on every kind of value, as Go prints them', () => {
  const failures: string[] = [];
  for (const [format, args, want] of fixture.printf as Array<[string, Array<[string, string]>, string]>) {
    const got = sprintf(format, args.map(goValue));
    if (got !== want) failures.push(`${JSON.stringify(format)} ${JSON.stringify(args)}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
  }
  assert.equal(failures.length, 0, `${failures.length} of ${fixture.printf.length} differ:\n` + failures.slice(0, 60).join('\n'));
});

test('strconv.FormatFloat: e f g b x with precisions, float64 and float32', () => {
  const view = new DataView(new ArrayBuffer(8));
  const failures: string[] = [];
  for (const [bits, fmt, prec, size, want] of fixture.floats as Array<[string, string, number, 32 | 64, string]>) {
    view.setBigUint64(0, BigInt('0x' + bits));
    const f = view.getFloat64(0);
    const got = formatFloatGo(size === 32 ? Math.fround(f) : f, fmt, prec, size);
    if (got !== want) failures.push(`${f} ${fmt} ${prec} ${size}: got ${got} want ${want}`);
  }
  assert.equal(failures.length, 0, `${failures.length} of ${fixture.floats.length} differ:\n` + failures.slice(0, 60).join('\n'));
});

test('strconv.Quote, QuoteToASCII, QuoteRune and CanBackquote', () => {
  for (const [s, q, qa, qr, cb] of fixture.quotes as Array<[string, string, string, string, string]>) {
    assert.equal(quoteGo(s), q, JSON.stringify(s));
    assert.equal(quoteToASCII(s), qa, JSON.stringify(s));
    if (s.length > 0) assert.equal(quoteRuneWith(s.codePointAt(0)!), qr, JSON.stringify(s));
    assert.equal(String(canBackquote(s)), cb, JSON.stringify(s));
  }
});

test('formatV (what an action prints) agrees with Sprintf %v', () => {
  for (const [, args] of fixture.printf as Array<[string, Array<[string, string]>, string]>) {
    for (const a of args) {
      const v = goValue(a);
      if (v === null) continue;
      assert.equal(formatV(v), sprintf('%v', [v]), JSON.stringify(a));
    }
  }
  assert.equal(formatV(undefined), '<no value>');
  assert.equal(formatV([undefined, null]), '[<nil> <nil>]');
});

test('Sprint puts spaces only between two operands that are not strings', () => {
  // Observed from Go 1.19: fmt.Sprint(1, 2, "a", "b", 3, nil) == "1 2ab3 <nil>"
  assert.equal(sprint([new GoInt(1n), new GoInt(2n), 'a', 'b', new GoInt(3n), null]), '1 2ab3 <nil>');
});

test('UTF-8 helpers count and convert bytes as Go does', () => {
  assert.equal(utf8Length('héllo'), 6);
  assert.equal(utf8Length('日本\u{1F600}'), 10);
  assert.deepEqual(Array.from(utf8Bytes('é\u{1F600}')), [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  assert.equal(utf8String(utf8Bytes('日本\u{1F600}x')), '日本\u{1F600}x');
  // A cut inside a character cannot be held by a JavaScript string: U+FFFD, as Go's decoders do.
  assert.equal(utf8String(utf8Bytes('é').slice(0, 1)), '\ufffd');
});
