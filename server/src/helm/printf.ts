/**
 * Go's fmt.Sprintf (Go 1.19 fmt/print.go and fmt/format.go) over the template engine's values,
 * and the strconv pieces it rests on: FormatFloat with every format and precision (exact decimal
 * expansion, rounding half to even like strconv), Quote / QuoteToASCII / QuoteRune, CanBackquote.
 *
 * Verbs: %v %+v %#v %T %t %d %b %o %O %x %X %c %q %U %e %E %f %F %g %G %s %p, with width,
 * precision, `*`, argument indexes `%[n]d`, flags `+ - # 0 space`, `%%`, and Go's error forms
 * (`%!d(string=abc)`, `%!s(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`, `%!(BADWIDTH)`,
 * `%!(BADPREC)`, `%!d(BADINDEX)`).
 *
 * Values follow value.ts: null is a nil interface{} (`<nil>`), GoInt carries its Go type, number is
 * float64, Uint8Array is []byte. Elements of []interface{} and map[string]interface{} are interface
 * values, so a nil element prints `<nil>` whatever the verb. Structs (GoStruct without a map) print
 * their `format()` for %v and %s (Go would apply the verb to each field, which they do not expose).
 */
import { goTypeName, isPrint, pointerPrefix, runeCount, shortestDigits, sortedKeys, utf8Bytes, utf8String } from './fmt';
import { elemType, GoFloat32, GoFunc, GoInt, GoStruct, isGoMap, Value } from './value';

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

/** fmt.Sprintf. */
export function sprintf(format: string, args: Value[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** fmt.Sprint with each operand formatted by this file's printer (same as fmt.ts sprint). */
export function sprintArgs(args: Value[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const isString = typeof a === 'string';
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') p.buf += ' ';
    p.printArg(a, 'v');
  }
  return p.buf;
}

const NO_VALUE = Symbol('none');

class Printer {
  buf = '';
  // fmt flags (fmt.fmtFlags)
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  // pp state
  arg: Value | typeof NO_VALUE = NO_VALUE;
  value: Value | typeof NO_VALUE = NO_VALUE;
  erroring = false;
  reordered = false;
  goodArgNum = true;

  clearflags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = false;
    this.space = this.zero = this.plusV = this.sharpV = false;
  }

  // ----- padding (fmt/format.go)

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero ? '0' : ' ').repeat(n);
  }

  /** pad/padString: width counts runes. */
  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let hex = u.toString(16).toUpperCase();
    if (hex.length < prec) hex = '0'.repeat(prec - hex.length) + hex;
    let s = 'U+' + hex;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** fmt.fmtInteger: u is the value as Go's uint64 bits would hold it, sign decided by isSigned. */
  fmtInteger(v: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    const negative = isSigned && v < 0n;
    const u = negative ? -v : v;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) {
        if (s[0] !== '0') s = '0' + s;
      } else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  truncateString(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      for (let i = 0; i < s.length; i++) {
        n--;
        if (n < 0) return s.slice(0, i);
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
      }
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }

  /** fmtSbx: hex of the bytes of a string or []byte. */
  fmtSbx(b: Uint8Array, digits: string): void {
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = '';
    if (this.sharp) out += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += '0' + digits[16];
      }
      const c = b[i];
      out += digits[c >> 4] + digits[c & 0xf];
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(this.plus ? quoteToASCII(s) : quoteGo(s));
  }

  fmtC(c: bigint): void {
    this.pad(runeString(c));
  }

  fmtQc(c: bigint): void {
    const r = c > 0x10ffffn || (c >= 0xd800n && c <= 0xdfffn) ? 0xfffd : Number(c);
    this.pad(quoteRuneWith(r, this.plus));
  }

  /** fmt.fmtFloat. */
  fmtFloatRaw(v: number, size: 32 | 64, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloatGo(v, verb, prec, size);
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      let body = num;
      for (let i = 1; i < body.length; i++) {
        const ch = body[i];
        if (ch === '.') {
          hasDecimalPoint = true;
        } else if (ch === 'p' || ch === 'P') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else if ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (ch !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      if (digits > 0) body += '0'.repeat(digits);
      num = body + tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ----- pp (fmt/print.go)

  badVerb(verb: string): void {
    this.erroring = true;
    this.buf += '%!' + verb + '(';
    if (this.arg !== NO_VALUE && this.arg !== null && this.arg !== undefined) {
      this.buf += goTypeName(this.arg) + '=';
      this.printArg(this.arg, 'v');
    } else if (this.value !== NO_VALUE && this.value !== undefined && this.value !== null) {
      this.buf += goTypeName(this.value) + '=';
      this.printValue(this.value, 'v', 0);
    } else {
      this.buf += '<nil>';
    }
    this.buf += ')';
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v', LDIGITS);
    this.sharp = sharp;
  }

  fmtIntegerVerb(v: bigint, isSigned: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtInteger(v, 10, isSigned, verb, LDIGITS);
        return;
      case 'd':
        return this.fmtInteger(v, 10, isSigned, verb, LDIGITS);
      case 'b':
        return this.fmtInteger(v, 2, isSigned, verb, LDIGITS);
      case 'o':
      case 'O':
        return this.fmtInteger(v, 8, isSigned, verb, LDIGITS);
      case 'x':
        return this.fmtInteger(v, 16, isSigned, verb, LDIGITS);
      case 'X':
        return this.fmtInteger(v, 16, isSigned, verb, UDIGITS);
      case 'c':
        return this.fmtC(isSigned && v < 0n ? v + (1n << 64n) : v);
      case 'q':
        return this.fmtQc(isSigned && v < 0n ? v + (1n << 64n) : v);
      case 'U':
        return this.fmtUnicode(isSigned && v < 0n ? v + (1n << 64n) : v);
      default:
        this.badVerb(verb);
    }
  }

  fmtFloat(v: number, size: 32 | 64, verb: string): void {
    switch (verb) {
      case 'v':
        return this.fmtFloatRaw(v, size, 'g', -1);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.fmtFloatRaw(v, size, verb, -1);
      case 'f':
      case 'e':
      case 'E':
        return this.fmtFloatRaw(v, size, verb, 6);
      case 'F':
        return this.fmtFloatRaw(v, size, 'f', 6);
      default:
        this.badVerb(verb);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's':
        return this.fmtS(v);
      case 'x':
        return this.fmtSbx(utf8Bytes(v), LDIGITS);
      case 'X':
        return this.fmtSbx(utf8Bytes(v), UDIGITS);
      case 'q':
        return this.fmtQ(v);
      default:
        this.badVerb(verb);
    }
  }

  fmtBytes(v: Uint8Array, verb: string, typeString: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.sharpV) {
          this.buf += typeString + '{';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) this.buf += ', ';
            this.fmt0x64(BigInt(v[i]), true);
          }
          this.buf += '}';
        } else {
          this.buf += '[';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) this.buf += ' ';
            this.fmtInteger(BigInt(v[i]), 10, false, verb, LDIGITS);
          }
          this.buf += ']';
        }
        return;
      case 's':
        return this.fmtS(utf8String(v));
      case 'x':
        return this.fmtSbx(v, LDIGITS);
      case 'X':
        return this.fmtSbx(v, UDIGITS);
      case 'q':
        return this.fmtQ(utf8String(v));
      default:
        this.printSlice(v, verb, 0, typeString);
    }
  }

  /** fmtPointer: functions are the only pointer-like values here; Go prints an address we cannot know. */
  fmtPointer(v: Value, verb: string): void {
    if (!(v instanceof GoFunc)) {
      this.badVerb(verb);
      return;
    }
    switch (verb) {
      case 'v':
        if (this.sharpV) this.buf += '(' + goTypeName(v) + ')(0x0)';
        else this.fmt0x64(0n, !this.sharp);
        return;
      case 'p':
        return this.fmt0x64(0n, !this.sharp);
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        return this.fmtIntegerVerb(0n, false, verb);
      default:
        this.badVerb(verb);
    }
  }

  /** handleMethods for the engine's structs: their format() stands for String(). */
  handleStruct(v: GoStruct, verb: string, depth: number): boolean {
    if (this.erroring) return false;
    if (v.asMap()) return false;
    if (this.sharpV) {
      this.fmtS(v.goType + v.format());
      return true;
    }
    switch (verb) {
      case 'v':
      case 's':
      case 'x':
      case 'X':
      case 'q':
        this.fmtString((depth === 0 ? pointerPrefix(v) : '') + v.format(), verb);
        return true;
    }
    return false;
  }

  printArg(arg: Value, verb: string): void {
    this.arg = arg;
    this.value = NO_VALUE;
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.fmtS(goTypeName(arg));
      return;
    }
    if (verb === 'p') {
      this.fmtPointer(arg, 'p');
      return;
    }
    switch (typeof arg) {
      case 'boolean':
        return this.fmtBool(arg, verb);
      case 'number':
        return this.fmtFloat(arg, 64, verb);
      case 'string':
        return this.fmtString(arg, verb);
    }
    if (arg instanceof GoInt) return this.fmtIntegerVerb(arg.v, !arg.isUnsigned(), verb);
    if (arg instanceof GoFloat32) return this.fmtFloat(arg.v, 32, verb);
    if (arg instanceof Uint8Array) return this.fmtBytes(arg, verb, '[]byte');
    if (arg instanceof GoStruct && this.handleStruct(arg, verb, 0)) return;
    this.printValue(arg, verb, 0);
  }

  /** An element of an interface-typed container: a nil one prints `<nil>` whatever the verb. */
  printIfaceElem(v: Value, verb: string, depth: number): void {
    if (v === null || v === undefined) {
      this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    this.printValue(v, verb, depth + 1);
  }

  printValue(v: Value, verb: string, depth: number): void {
    if (depth > 0 && v instanceof GoStruct) {
      this.arg = v;
      if (this.handleStruct(v, verb, depth)) return;
    }
    this.arg = NO_VALUE;
    this.value = v;
    if (v === undefined || v === null) {
      if (depth === 0) this.buf += '<invalid reflect.Value>';
      else if (verb === 'v') this.buf += '<nil>';
      else this.badVerb(verb);
      return;
    }
    switch (typeof v) {
      case 'boolean':
        return this.fmtBool(v, verb);
      case 'number':
        return this.fmtFloat(v, 64, verb);
      case 'string':
        return this.fmtString(v, verb);
    }
    if (v instanceof GoInt) return this.fmtIntegerVerb(v.v, !v.isUnsigned(), verb);
    if (v instanceof GoFloat32) return this.fmtFloat(v.v, 32, verb);
    if (v instanceof Uint8Array) {
      if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') return this.fmtBytes(v, verb, '[]uint8');
      return this.printSlice(v, verb, depth, '[]uint8');
    }
    if (Array.isArray(v)) {
      const et = elemType(v);
      if (et === 'uint8' && (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X')) {
        const b = new Uint8Array(v.length);
        for (let i = 0; i < v.length; i++) b[i] = Number((v[i] as GoInt).v);
        return this.fmtBytes(b, verb, goTypeName(v));
      }
      return this.printSlice(v, verb, depth, goTypeName(v));
    }
    if (v instanceof GoFunc) return this.fmtPointer(v, verb);
    const m = isGoMap(v) ? v : v instanceof GoStruct ? v.asMap() : undefined;
    if (m) {
      const keys = sortedKeys(m);
      this.buf += this.sharpV ? goTypeName(v) + '{' : 'map[';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        this.printValue(keys[i], verb, depth + 1);
        this.buf += ':';
        this.printIfaceElem(m[keys[i]], verb, depth);
      }
      this.buf += this.sharpV ? '}' : ']';
      return;
    }
    if (v instanceof GoStruct) {
      // A struct with a verb its String-like format does not take: Go would format each field.
      if (this.sharpV) this.buf += v.goType;
      this.buf += v.format();
      return;
    }
    this.buf += '?' + goTypeName(v) + '?';
  }

  printSlice(v: Uint8Array | Value[], verb: string, depth: number, type: string): void {
    const iface = !(v instanceof Uint8Array) && elemType(v) === 'interface {}';
    this.buf += this.sharpV ? type + '{' : '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
      if (v instanceof Uint8Array) this.printValue(new GoInt(BigInt(v[i]), 'uint8'), verb, depth + 1);
      else if (iface) this.printIfaceElem(v[i], verb, depth);
      else this.printValue(v[i], verb, depth + 1);
    }
    this.buf += this.sharpV ? '}' : ']';
  }

  // ----- doPrintf

  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format, i);
    if (ok && 0 <= index && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  doPrintf(format: string, a: Value[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    formatLoop: for (let i = 0; i < end; ) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++; // skip %
      this.clearflags();
      simpleFormat: for (; i < end; i++) {
        const c = format[i];
        switch (c) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = !this.minus;
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            this.zero = false;
            break;
          case ' ':
            this.space = true;
            break;
          default:
            if ('a' <= c && c <= 'z' && argNum < a.length) {
              if (c === 'v') {
                this.sharpV = this.sharp;
                this.sharp = false;
                this.plusV = this.plus;
                this.plus = false;
              }
              this.printArg(a[argNum], c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simpleFormat;
        }
      }

      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);

      if (i < end && format[i] === '*') {
        i++;
        [this.wid, this.widPresent, argNum] = intFromArg(a, argNum);
        if (!this.widPresent) this.buf += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }

      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          [this.prec, this.precPresent, argNum] = intFromArg(a, argNum);
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parsenum(format, i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }

      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);

      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }

      const cp = format.codePointAt(i)!;
      const verb = String.fromCodePoint(cp);
      i += verb.length;

      if (verb === '%') {
        this.buf += '%';
      } else if (!this.goodArgNum) {
        this.buf += '%!' + verb + '(BADINDEX)';
      } else if (argNum >= a.length) {
        this.buf += '%!' + verb + '(MISSING)';
      } else {
        if (verb === 'v') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        this.printArg(a[argNum], verb);
        argNum++;
      }
    }

    if (!this.reordered && argNum < a.length) {
      this.clearflags();
      this.buf += '%!(EXTRA ';
      for (let k = argNum; k < a.length; k++) {
        const arg = a[k];
        if (k > argNum) this.buf += ', ';
        if (arg === null || arg === undefined) this.buf += '<nil>';
        else {
          this.buf += goTypeName(arg) + '=';
          this.printArg(arg, 'v');
        }
      }
      this.buf += ')';
    }
  }
}

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let newi = start;
  for (; newi < end && s[newi] >= '0' && s[newi] <= '9'; newi++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(newi) - 48);
    isnum = true;
  }
  return [num, isnum, newi];
}

/** parseArgNumber on format[i:], which starts with '['. Returns [index, bytes consumed, ok]. */
function parseArgNumber(format: string, i: number): [number, number, boolean] {
  if (format.length - i < 3) return [0, 1, false];
  for (let j = i + 1; j < format.length; j++) {
    if (format[j] === ']') {
      const [width, ok, newi] = parsenum(format, i + 1, j);
      if (!ok || newi !== j) return [0, j - i + 1, false];
      return [width - 1, j - i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: Value[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    if (v instanceof GoInt) {
      const n = v.v;
      if (n >= -(1n << 63n) && n < 1n << 63n) {
        num = Number(n);
        isInt = true;
      }
    }
    newArgNum = argNum + 1;
    if (tooLarge(num)) {
      num = 0;
      isInt = false;
    }
  }
  return [num, isInt, newArgNum];
}

function runeString(c: bigint): string {
  if (c > 0x10ffffn || (c >= 0xd800n && c <= 0xdfffn)) return '\ufffd';
  return String.fromCodePoint(Number(c));
}

// ---------------------------------------------------------------------------------------------
// strconv quoting

const HEX = '0123456789abcdef';

function appendEscapedRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r)) {
    return String.fromCodePoint(r);
  }
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + HEX[r >> 4] + HEX[r & 0xf];
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}

function quoteWith(s: string, quote: number, asciiOnly: boolean): string {
  const q = String.fromCharCode(quote);
  let out = q;
  let plain = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Fast path: printable ASCII other than the quote and backslash.
    if (c >= 0x20 && c < 0x7f && c !== quote && c !== 0x5c) continue;
    out += s.slice(plain, i);
    let r = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      r = s.codePointAt(i)!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      r = 0xfffd; // a lone surrogate: Go would have seen the replacement character
    }
    out += appendEscapedRune(r, quote, asciiOnly);
    plain = i + 1;
  }
  return out + s.slice(plain) + q;
}

/** strconv.Quote: a double-quoted Go string literal. */
export function quoteGo(s: string): string {
  return quoteWith(s, 0x22, false);
}

/** strconv.QuoteToASCII. */
export function quoteToASCII(s: string): string {
  return quoteWith(s, 0x22, true);
}

/** strconv.QuoteRune (asciiOnly: QuoteRuneToASCII). */
export function quoteRuneWith(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return "'" + appendEscapedRune(r, 0x27, asciiOnly) + "'";
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfeff) return false;
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        i++;
        continue;
      }
      return false; // invalid UTF-8 in Go
    }
    if ((c < 0x20 && c !== 9) || c === 0x60 || c === 0x7f) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// strconv.FormatFloat

const F64 = new DataView(new ArrayBuffer(8));

/** The sign, mantissa and binary exponent of a float (as genericFtoa splits them). */
function splitFloat(v: number, bitSize: 32 | 64): { neg: boolean; mant: bigint; exp: number; special?: string } {
  let neg: boolean;
  let expBits: number;
  let mant: bigint;
  let mantbits: number;
  let bias: number;
  if (bitSize === 32) {
    F64.setFloat32(0, v);
    const bits = F64.getUint32(0);
    neg = bits >>> 31 !== 0;
    expBits = (bits >>> 23) & 0xff;
    mant = BigInt(bits & 0x7fffff);
    mantbits = 23;
    bias = -127;
    if (expBits === 0xff) return { neg, mant, exp: 0, special: mant !== 0n ? 'NaN' : neg ? '-Inf' : '+Inf' };
  } else {
    F64.setFloat64(0, v);
    const bits = F64.getBigUint64(0);
    neg = bits >> 63n !== 0n;
    expBits = Number((bits >> 52n) & 0x7ffn);
    mant = bits & ((1n << 52n) - 1n);
    mantbits = 52;
    bias = -1023;
    if (expBits === 0x7ff) return { neg, mant, exp: 0, special: mant !== 0n ? 'NaN' : neg ? '-Inf' : '+Inf' };
  }
  let exp = expBits;
  if (exp === 0) exp++;
  else mant |= 1n << BigInt(mantbits);
  exp += bias;
  return { neg, mant, exp: exp - mantbits };
}

interface Decimal {
  d: string; // digits, no leading or trailing zeros
  dp: number; // decimal point position: value = 0.d * 10^dp
}

/** The exact decimal value of mant * 2^e2. */
function exactDecimal(mant: bigint, e2: number): Decimal {
  if (mant === 0n) return { d: '', dp: 0 };
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 48) n--;
  return { d: s.slice(0, n), dp };
}

/** decimal.Round(nd): to nd digits, half to even. */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  let up: boolean;
  if (a.d[nd] === '5' && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = a.d[nd] >= '5';
  if (!up) {
    let n = nd;
    while (n > 0 && a.d.charCodeAt(n - 1) === 48) n--;
    return n === 0 ? { d: '', dp: 0 } : { d: a.d.slice(0, n), dp: a.dp };
  }
  for (let i = nd - 1; i >= 0; i--) {
    const c = a.d.charCodeAt(i);
    if (c < 57) return { d: a.d.slice(0, i) + String.fromCharCode(c + 1), dp: a.dp };
  }
  return { d: '1', dp: a.dp + 1 };
}

/**
 * strconv.FormatFloat(v, fmt, prec, bitSize): fmt is one of b e E f g G x X; prec -1 is the
 * shortest representation that reads back exactly.
 */
export function formatFloatGo(v: number, fmt: string, prec: number, bitSize: 32 | 64 = 64): string {
  const { neg, mant, exp, special } = splitFloat(v, bitSize);
  if (special) return special;
  if (fmt === 'b') return (neg ? '-' : '') + mant.toString() + 'p' + (exp >= 0 ? '+' : '') + exp;
  if (fmt === 'x' || fmt === 'X') return fmtX(prec, fmt, neg, mant, exp + (bitSize === 32 ? 23 : 52), bitSize === 32 ? 23 : 52);
  let digs: Decimal;
  const shortest = prec < 0;
  if (shortest) {
    if (mant === 0n) digs = { d: '', dp: 0 };
    else {
      const sd = shortestDigits(Math.abs(v), bitSize);
      digs = { d: sd.digits, dp: sd.exp + 1 };
    }
    switch (fmt) {
      case 'e':
      case 'E':
        prec = Math.max(digs.d.length - 1, 0);
        break;
      case 'f':
        prec = Math.max(digs.d.length - digs.dp, 0);
        break;
      case 'g':
      case 'G':
        prec = digs.d.length;
        break;
    }
  } else {
    digs = exactDecimal(mant, exp);
    switch (fmt) {
      case 'e':
      case 'E':
        digs = roundDecimal(digs, prec + 1);
        break;
      case 'f':
        digs = roundDecimal(digs, digs.dp + prec);
        break;
      case 'g':
      case 'G':
        if (prec === 0) prec = 1;
        digs = roundDecimal(digs, prec);
        break;
    }
  }
  return formatDigits(shortest, neg, digs, prec, fmt);
}

function formatDigits(shortest: boolean, neg: boolean, digs: Decimal, prec: number, fmt: string): string {
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, digs, prec, fmt);
    case 'f':
      return fmtF(neg, digs, prec);
    case 'g':
    case 'G': {
      const nd = digs.d.length;
      let eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, digs, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > digs.dp) prec = nd;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
  }
  return '%' + fmt;
}

function fmtE(neg: boolean, d: Decimal, prec: number, fmt: string): string {
  let s = neg ? '-' : '';
  s += d.d.length ? d.d[0] : '0';
  if (prec > 0) {
    s += '.';
    const m = Math.min(d.d.length, prec + 1);
    let i = 1;
    if (i < m) {
      s += d.d.slice(1, m);
      i = m;
    }
    if (i <= prec) s += '0'.repeat(prec + 1 - i);
  }
  s += fmt;
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  let ch = '+';
  if (exp < 0) {
    ch = '-';
    exp = -exp;
  }
  s += ch + (exp < 10 ? '0' + exp : String(exp));
  return s;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let s = neg ? '-' : '';
  const nd = d.d.length;
  if (d.dp > 0) {
    const m = Math.min(nd, d.dp);
    s += d.d.slice(0, m);
    if (m < d.dp) s += '0'.repeat(d.dp - m);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      s += 0 <= j && j < nd ? d.d[j] : '0';
    }
  }
  return s;
}

/** %x: -0x1.yyyyp±ddd, exp being the exponent of the leading bit position as Go keeps it. */
function fmtX(prec: number, fmt: string, neg: boolean, mant: bigint, exp: number, mantbits: number): string {
  if (mant === 0n) exp = 0;
  const B60 = 1n << 60n;
  const MASK = (1n << 64n) - 1n;
  mant = (mant << BigInt(60 - mantbits)) & MASK;
  while (mant !== 0n && (mant & B60) === 0n) {
    mant = (mant << 1n) & MASK;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (B60 - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let s = (neg ? '-' : '') + '0' + fmt + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & MASK;
  if (prec < 0 && mant !== 0n) {
    s += '.';
    while (mant !== 0n) {
      s += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  } else if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) {
      s += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  }
  s += fmt === 'X' ? 'P' : 'p';
  let ch = '+';
  if (exp < 0) {
    ch = '-';
    exp = -exp;
  }
  s += ch + (exp < 10 ? '0' + exp : String(exp));
  return s;
}

/** %v as this printer does it, for checking fmt.ts's fast formatV against the full printer. */
export function formatVSlow(v: Value): string {
  return sprintf('%v', [v]);
}
