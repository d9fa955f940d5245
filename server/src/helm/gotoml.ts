/**
 * TOML as Helm's toToml and fromToml see it: github.com/BurntSushi/toml (v1.2.0, the version
 * Debian ships with the reference renderer).
 *
 * - `encodeToml`: the Encoder (keys sorted, plain values before tables, nested tables indented by
 *   two spaces per level, `[[array]]` for lists of maps, floats always with a decimal point).
 * - `decodeToml`: the lexer and parser (lex.go, parse.go) ported state for state, so that errors
 *   come out as BurntSushi words them: `toml: line 2 (last key "a"): expected value but found 'x' instead`.
 *   Values: int64 (GoInt), float64, string, bool, time.Time (GoTime), []interface{}, maps, and
 *   arrays of tables as a `[]map[string]interface {}` slice.
 */
import { GoTime, formatTime } from './funcs/datesTime';
import { GoLocation, daysFromCivil } from './funcs/datesZones';
import { compareGoStrings } from './gojson';
import { goQuote } from './goyaml';
import { parseGoInt } from './goyamlResolve';
import { GoError, GoFloat32, GoFunc, GoInt, GoMap, GoPanic, GoStruct, Value, elemType, goSlice, isGoMap } from './value';

// ---------------------------------------------------------------------------------------------
// Encoder

function isBareKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** BurntSushi's dblQuotedReplacer: `"` and `\` escaped, control characters as \b \t \n \f \r or \u00XX. */
function tomlEscape(s: string): string {
  return s.replace(/["\\\x00-\x1f\x7f]/g, (c) => {
    switch (c) {
      case '"':
        return '\\"';
      case '\\':
        return '\\\\';
      case '\b':
        return '\\b';
      case '\t':
        return '\\t';
      case '\n':
        return '\\n';
      case '\f':
        return '\\f';
      case '\r':
        return '\\r';
    }
    return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
  });
}

function maybeQuoted(k: string): string {
  if (k === '') return '""';
  for (let i = 0; i < k.length; i++) {
    if (!isBareKeyChar(k.charCodeAt(i))) return '"' + tomlEscape(k) + '"';
  }
  return k;
}

function keyString(key: string[]): string {
  return key.map(maybeQuoted).join('.');
}

class TomlEncodeError extends Error {}

const ERR_NIL_ELEMENT = 'toml: cannot encode array with nil element';
const ERR_NO_KEY = 'toml: top-level values must be Go maps or structs';

/** The value as the encoder sees it: structs by their JSON form, typed values unwrapped. */
function unwrap(v: Value): Value {
  if (v instanceof GoStruct && !(v instanceof GoTime)) return unwrap(v.jsonValue());
  return v;
}

type TomlType = 'hash' | 'arrayHash' | 'array' | 'other' | undefined;

/** tomlTypeOfGo (undefined for nil; panics on an array with a nil element). */
function tomlTypeOf(v: Value): TomlType {
  v = unwrap(v);
  if (v === null || v === undefined) return undefined;
  if (isGoMap(v)) return 'hash';
  if (v instanceof Uint8Array) return 'array';
  if (Array.isArray(v)) return isTableArray(v) ? 'arrayHash' : 'array';
  return 'other';
}

function isTableArray(arr: Value[]): boolean {
  if (arr.length === 0) return false;
  let ret = true;
  for (const x of arr) {
    const t = tomlTypeOf(x);
    if (t === undefined) throw new TomlEncodeError(ERR_NIL_ELEMENT);
    if (ret && t !== 'hash') ret = false;
  }
  return ret;
}

/** strconv.FormatFloat(f, 'f', -1, bits) plus ".0" when there is no decimal point. */
function tomlFloat(f: number, bits: 32 | 64): string {
  if (Number.isNaN(f)) return 'nan';
  if (!Number.isFinite(f)) return f < 0 ? '-inf' : '+inf';
  let s: string;
  if (bits === 32) {
    // The shortest digits that round-trip through float32.
    const t = Math.fround(f);
    s = String(t);
    for (let p = 1; p <= 9; p++) {
      const c = t.toPrecision(p);
      if (Math.fround(Number(c)) === t) {
        s = String(Number(c));
        break;
      }
    }
    s = plainDecimal(s);
  } else {
    s = plainDecimal(String(f));
  }
  if (Object.is(f, -0)) s = '-0';
  return s.indexOf('.') < 0 ? s + '.0' : s;
}

/** A JS number's text in 'f' form (no exponent). */
function plainDecimal(s: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp >= 0) {
    if (digits.length <= exp + 1) return m[1] + digits + '0'.repeat(exp + 1 - digits.length);
    return m[1] + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return m[1] + '0.' + '0'.repeat(-exp - 1) + digits;
}

/** How the encoder writes a time.Time: RFC 3339 (nanoseconds trimmed), or the local forms for TOML's local types. */
function tomlTime(t: GoTime): string {
  switch (t.loc.name) {
    case 'datetime-local':
      return formatTime(t, '2006-01-02T15:04:05.999999999');
    case 'date-local':
      return formatTime(t, '2006-01-02');
    case 'time-local':
      return formatTime(t, '15:04:05.999999999');
  }
  return formatTime(t, '2006-01-02T15:04:05.999999999Z07:00');
}

class TomlEncoder {
  out = '';
  private hasWritten = false;

  private wf(s: string): void {
    this.out += s;
    this.hasWritten = true;
  }

  private newline(): void {
    if (this.hasWritten) this.wf('\n');
  }

  private indentStr(key: string[]): string {
    return '  '.repeat(Math.max(0, key.length - 1));
  }

  encode(key: string[], v: Value): void {
    v = unwrap(v);
    if (v === null || v === undefined) return;
    if (v instanceof GoFunc) throw new TomlEncodeError(`unsupported type for key '${keyString(key)}': func`);
    if (isGoMap(v)) return this.table(key, v);
    if (Array.isArray(v) && tomlTypeOf(v) === 'arrayHash') return this.arrayOfTables(key, v);
    this.keyValue(key, v, false);
  }

  private keyValue(key: string[], v: Value, inline: boolean): void {
    if (key.length === 0) throw new TomlEncodeError(ERR_NO_KEY);
    this.wf(this.indentStr(key) + maybeQuoted(key[key.length - 1]) + ' = ');
    this.element(v);
    if (!inline) this.newline();
  }

  private element(v: Value): void {
    v = unwrap(v);
    if (typeof v === 'string') return this.wf('"' + tomlEscape(v) + '"');
    if (typeof v === 'boolean') return this.wf(v ? 'true' : 'false');
    if (typeof v === 'number') return this.wf(tomlFloat(v, 64));
    if (v instanceof GoInt) return this.wf(v.v.toString());
    if (v instanceof GoFloat32) return this.wf(tomlFloat(v.v, 32));
    if (v instanceof Uint8Array) return this.wf('[' + Array.from(v).join(', ') + ']');
    if (v instanceof GoTime) return this.wf(tomlTime(v));
    if (Array.isArray(v)) {
      this.wf('[');
      for (let i = 0; i < v.length; i++) {
        this.element(v[i]);
        if (i !== v.length - 1) this.wf(', ');
      }
      return this.wf(']');
    }
    if (isGoMap(v)) return this.map([], v, true);
    throw new TomlEncodeError(`unexpected type: ${v === null || v === undefined ? '<nil>' : 'func()'}`);
  }

  private arrayOfTables(key: string[], arr: Value[]): void {
    if (key.length === 0) throw new TomlEncodeError(ERR_NO_KEY);
    for (const x of arr) {
      const t = unwrap(x);
      if (t === null || t === undefined) continue;
      this.newline();
      this.wf(`${this.indentStr(key)}[[${keyString(key)}]]`);
      this.newline();
      this.map(key, t as GoMap, false);
    }
  }

  private table(key: string[], m: GoMap): void {
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.wf(`${this.indentStr(key)}[${keyString(key)}]`);
      this.newline();
    }
    this.map(key, m, false);
  }

  private map(key: string[], m: GoMap, inline: boolean): void {
    const direct: string[] = [];
    const sub: string[] = [];
    for (const k of Object.keys(m)) {
      const t = tomlTypeOf(m[k]);
      if (t === 'hash' || t === 'arrayHash') sub.push(k);
      else direct.push(k);
    }
    const write = (keys: string[], trailComma: boolean): void => {
      keys.sort(compareGoStrings);
      for (let i = 0; i < keys.length; i++) {
        const val = unwrap(m[keys[i]]);
        if (val === null || val === undefined) continue;
        if (inline) {
          this.keyValue([keys[i]], val, true);
          if (trailComma || i !== keys.length - 1) this.wf(', ');
        } else {
          this.encode([...key, keys[i]], val);
        }
      }
    };
    if (inline) this.wf('{');
    write(direct, sub.length > 0);
    write(sub, false);
    if (inline) this.wf('}');
  }
}

/**
 * toml.NewEncoder(w).Encode(v): the TOML text, or GoError with BurntSushi's message
 * (`toml: top-level values must be Go maps or structs`).
 */
export function encodeToml(v: Value): string {
  // Encode(nil): reflect.ValueOf(nil) is the zero Value, and the encoder panics on it.
  if (v === null || v === undefined) throw new GoPanic('reflect: call of reflect.Value.Type on zero Value');
  const e = new TomlEncoder();
  try {
    e.encode([], v);
  } catch (err) {
    if (err instanceof TomlEncodeError) throw new GoError(err.message);
    throw err;
  }
  return e.out;
}

// ---------------------------------------------------------------------------------------------
// Lexer (lex.go)

const enum It {
  Error,
  NIL,
  EOF,
  Text,
  String,
  RawString,
  MultilineString,
  RawMultilineString,
  Bool,
  Integer,
  Float,
  Datetime,
  Array,
  ArrayEnd,
  TableStart,
  TableEnd,
  ArrayTableStart,
  ArrayTableEnd,
  KeyStart,
  KeyEnd,
  CommentStart,
  InlineTableStart,
  InlineTableEnd,
}

interface Item {
  typ: It;
  line: number;
  val: string;
  err?: string;
}

type StateFn = (lx: Lexer) => StateFn | null;

const EOF = 0;
const RUNE_ERROR = 0xfffd;

function isWhitespace(r: number): boolean {
  return r === 9 || r === 32;
}
function isNL(r: number): boolean {
  return r === 10 || r === 13;
}
function isDigit(r: number): boolean {
  return r >= 48 && r <= 57;
}
function isHexadecimal(r: number): boolean {
  return (r >= 48 && r <= 57) || (r >= 97 && r <= 102) || (r >= 65 && r <= 70);
}
function isOctal(r: number): boolean {
  return r >= 48 && r <= 55;
}
function isBinary(r: number): boolean {
  return r === 48 || r === 49;
}
function isControl(r: number): boolean {
  if (r === 9 || r === 10 || r === 13) return false;
  return (r >= 0 && r <= 0x1f) || r === 0x7f;
}
function isLetter(r: number): boolean {
  return r !== EOF && /\p{L}/u.test(String.fromCodePoint(r));
}

/** Go's %q of a rune: 'x', '\n', '\x00'. */
function quoteRune(r: number): string {
  const s = goQuote(String.fromCodePoint(r));
  const inner = s.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return "'" + inner + "'";
}

class Lexer {
  readonly cps: number[];
  start = 0;
  pos = 0;
  line = 1;
  atEOF = false;
  state: StateFn | null = lexTop;
  stack: StateFn[] = [];
  items: Item[] = [];
  private head = 0;

  constructor(input: string) {
    this.cps = Array.from(input, (c) => c.codePointAt(0)!);
  }

  nextItem(): Item {
    for (;;) {
      if (this.head < this.items.length) return this.items[this.head++];
      if (!this.state) return { typ: It.EOF, line: this.line, val: '' };
      this.state = this.state(this);
    }
  }

  push(s: StateFn): void {
    this.stack.push(s);
  }

  pop(): StateFn | null {
    const s = this.stack.pop();
    if (!s) return this.errorf('BUG in lexer: no states to pop');
    return s;
  }

  current(): string {
    return String.fromCodePoint(...this.cps.slice(this.start, this.pos));
  }

  emit(typ: It): void {
    this.items.push({ typ, line: this.line, val: this.current() });
    this.start = this.pos;
  }

  emitTrim(typ: It): void {
    this.items.push({ typ, line: this.line, val: this.current().trim() });
    this.start = this.pos;
  }

  next(): number {
    if (this.atEOF) throw new GoPanic('BUG in lexer: next called after EOF');
    if (this.pos >= this.cps.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.cps[this.pos];
    if (r === 10) this.line++;
    if (r >= 0xd800 && r <= 0xdfff) {
      this.error(`invalid UTF-8 byte: 0x${(0xe0 | (r >> 12)).toString(16)}`);
      return RUNE_ERROR;
    }
    if (isControl(r) || (r === 13 && (this.pos === this.cps.length - 1 || this.cps[this.pos + 1] !== 10))) {
      this.pushError(this.line, `TOML files cannot contain control characters: '0x${r.toString(16).padStart(2, '0')}'`);
      return RUNE_ERROR;
    }
    this.pos++;
    return r;
  }

  ignore(): void {
    this.start = this.pos;
  }

  backup(): void {
    if (this.atEOF) {
      this.atEOF = false;
      return;
    }
    this.pos--;
    if (this.pos < this.cps.length && this.cps[this.pos] === 10) this.line--;
  }

  accept(valid: number): boolean {
    if (this.next() === valid) return true;
    this.backup();
    return false;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  skip(pred: (r: number) => boolean): void {
    for (;;) {
      const r = this.next();
      if (pred(r)) continue;
      this.backup();
      this.ignore();
      return;
    }
  }

  private pushError(line: number, err: string): void {
    this.items.push({ typ: It.Error, line, val: '', err });
  }

  error(err: string): null {
    if (this.atEOF) return this.errorPrevLine(err);
    this.pushError(this.line, err);
    return null;
  }

  errorPrevLine(err: string): null {
    this.pushError(this.line - 1, err);
    return null;
  }

  errorf(msg: string): null {
    this.pushError(this.atEOF ? this.line - 1 : this.line, msg);
    return null;
  }
}

function lexSkip(lx: Lexer, next: StateFn): StateFn {
  lx.ignore();
  return next;
}

function lexTop(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexTop);
  switch (r) {
    case 35: // #
      lx.push(lexTop);
      return lexCommentStart;
    case 91: // [
      return lexTableStart;
    case EOF:
      if (lx.pos > lx.start) return lx.errorf('unexpected EOF');
      lx.emit(It.EOF);
      return null;
  }
  lx.backup();
  lx.push(lexTopEnd);
  return lexKeyStart;
}

function lexTopEnd(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (r === 35) {
    lx.push(lexTop);
    return lexCommentStart;
  }
  if (isWhitespace(r)) return lexTopEnd;
  if (isNL(r)) {
    lx.ignore();
    return lexTop;
  }
  if (r === EOF) {
    lx.emit(It.EOF);
    return null;
  }
  return lx.errorf(`expected a top-level item to end with a newline, comment, or EOF, but got ${quoteRune(r)} instead`);
}

function lexTableStart(lx: Lexer): StateFn | null {
  if (lx.peek() === 91) {
    lx.next();
    lx.emit(It.ArrayTableStart);
    lx.push(lexArrayTableEnd);
  } else {
    lx.emit(It.TableStart);
    lx.push(lexTableEnd);
  }
  return lexTableNameStart;
}

function lexTableEnd(lx: Lexer): StateFn | null {
  lx.emit(It.TableEnd);
  return lexTopEnd;
}

function lexArrayTableEnd(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (r !== 93) return lx.errorf(`expected end of table array name delimiter ']', but got ${quoteRune(r)} instead`);
  lx.emit(It.ArrayTableEnd);
  return lexTopEnd;
}

function lexTableNameStart(lx: Lexer): StateFn | null {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === 93 || r === EOF) return lx.errorf('unexpected end of table name (table names cannot be empty)');
  if (r === 46) return lx.errorf('unexpected table separator (table names cannot be empty)');
  if (r === 34 || r === 39) {
    lx.ignore();
    lx.push(lexTableNameEnd);
    return lexQuotedName;
  }
  lx.push(lexTableNameEnd);
  return lexBareName;
}

function lexTableNameEnd(lx: Lexer): StateFn | null {
  lx.skip(isWhitespace);
  const r = lx.next();
  if (isWhitespace(r)) return lexTableNameEnd;
  if (r === 46) {
    lx.ignore();
    return lexTableNameStart;
  }
  if (r === 93) return lx.pop();
  return lx.errorf(`expected '.' or ']' to end table name, but got ${quoteRune(r)} instead`);
}

function lexBareName(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isBareKeyChar(r)) return lexBareName;
  lx.backup();
  lx.emit(It.Text);
  return lx.pop();
}

function lexQuotedName(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexValue);
  if (r === 34) {
    lx.ignore();
    return lexString;
  }
  if (r === 39) {
    lx.ignore();
    return lexRawString;
  }
  if (r === EOF) return lx.errorf('unexpected EOF; expected value');
  return lx.errorf(`expected value but found ${quoteRune(r)} instead`);
}

function lexKeyStart(lx: Lexer): StateFn | null {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === 61 || r === EOF) return lx.errorf("unexpected '=': key name appears blank");
  if (r === 46) return lx.errorf("unexpected '.': keys cannot start with a '.'");
  if (r === 34 || r === 39) lx.ignore();
  lx.emit(It.KeyStart);
  return lexKeyNameStart;
}

function lexKeyNameStart(lx: Lexer): StateFn | null {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === 61 || r === EOF) return lx.errorf("unexpected '='");
  if (r === 46) return lx.errorf("unexpected '.'");
  if (r === 34 || r === 39) {
    lx.ignore();
    lx.push(lexKeyEnd);
    return lexQuotedName;
  }
  lx.push(lexKeyEnd);
  return lexBareName;
}

function lexKeyEnd(lx: Lexer): StateFn | null {
  lx.skip(isWhitespace);
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexKeyEnd);
  if (r === EOF) return lx.errorf("unexpected EOF; expected key separator '='");
  if (r === 46) {
    lx.ignore();
    return lexKeyNameStart;
  }
  if (r === 61) {
    lx.emit(It.KeyEnd);
    return lexSkip(lx, lexValue);
  }
  return lx.errorf(`expected '.' or '=', but got ${quoteRune(r)} instead`);
}

function lexValue(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexValue);
  if (isDigit(r)) {
    lx.backup();
    return lexNumberOrDateStart;
  }
  switch (r) {
    case 91:
      lx.ignore();
      lx.emit(It.Array);
      return lexArrayValue;
    case 123:
      lx.ignore();
      lx.emit(It.InlineTableStart);
      return lexInlineTableValue;
    case 34:
      if (lx.accept(34)) {
        if (lx.accept(34)) {
          lx.ignore();
          return lexMultilineString;
        }
        lx.backup();
      }
      lx.ignore();
      return lexString;
    case 39:
      if (lx.accept(39)) {
        if (lx.accept(39)) {
          lx.ignore();
          return lexMultilineRawString;
        }
        lx.backup();
      }
      lx.ignore();
      return lexRawString;
    case 46:
      return lx.errorf("floats must start with a digit, not '.'");
    case 105: // i
    case 110: // n
      if ((lx.accept(110) && lx.accept(102)) || (lx.accept(97) && lx.accept(110))) {
        lx.emit(It.Float);
        return lx.pop();
      }
      break;
    case 45:
    case 43:
      return lexDecimalNumberStart;
  }
  if (isLetter(r)) {
    lx.backup();
    return lexBool;
  }
  if (r === EOF) return lx.errorf('unexpected EOF; expected value');
  return lx.errorf(`expected value but found ${quoteRune(r)} instead`);
}

function runeOrEOF(r: number): string {
  return r === EOF ? 'end of file' : "'" + String.fromCodePoint(r) + "'";
}

function lexArrayValue(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexArrayValue);
  if (r === 35) {
    lx.push(lexArrayValue);
    return lexCommentStart;
  }
  if (r === 44) return lx.errorf('unexpected comma');
  if (r === 93) return lexArrayEnd;
  lx.backup();
  lx.push(lexArrayValueEnd);
  return lexValue;
}

function lexArrayValueEnd(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexArrayValueEnd);
  if (r === 35) {
    lx.push(lexArrayValueEnd);
    return lexCommentStart;
  }
  if (r === 44) {
    lx.ignore();
    return lexArrayValue;
  }
  if (r === 93) return lexArrayEnd;
  return lx.errorf(`expected a comma (',') or array terminator (']'), but got ${runeOrEOF(r)}`);
}

function lexArrayEnd(lx: Lexer): StateFn | null {
  lx.ignore();
  lx.emit(It.ArrayEnd);
  return lx.pop();
}

const INLINE_NL = 'newlines not allowed within inline tables';

function lexInlineTableValue(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexInlineTableValue);
  if (isNL(r)) return lx.errorPrevLine(INLINE_NL);
  if (r === 35) {
    lx.push(lexInlineTableValue);
    return lexCommentStart;
  }
  if (r === 44) return lx.errorf('unexpected comma');
  if (r === 125) return lexInlineTableEnd;
  lx.backup();
  lx.push(lexInlineTableValueEnd);
  return lexKeyStart;
}

function lexInlineTableValueEnd(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexInlineTableValueEnd);
  if (isNL(r)) return lx.errorPrevLine(INLINE_NL);
  if (r === 35) {
    lx.push(lexInlineTableValueEnd);
    return lexCommentStart;
  }
  if (r === 44) {
    lx.ignore();
    lx.skip(isWhitespace);
    if (lx.peek() === 125) return lx.errorf('trailing comma not allowed in inline tables');
    return lexInlineTableValue;
  }
  if (r === 125) return lexInlineTableEnd;
  return lx.errorf(`expected a comma or an inline table terminator '}', but got ${runeOrEOF(r)} instead`);
}

function lexInlineTableEnd(lx: Lexer): StateFn | null {
  lx.ignore();
  lx.emit(It.InlineTableEnd);
  return lx.pop();
}

const STRING_NL = 'strings cannot contain newlines';

function lexString(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected '"'`);
  if (isNL(r)) return lx.errorPrevLine(STRING_NL);
  if (r === 92) {
    lx.push(lexString);
    return lexStringEscape;
  }
  if (r === 34) {
    lx.backup();
    lx.emit(It.String);
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexString;
}

function lexMultilineString(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected '"""'`);
  if (r === 92) return lexMultilineStringEscape;
  if (r === 34 && lx.accept(34)) {
    if (lx.accept(34)) {
      if (lx.peek() === 34) {
        const cur = lx.current();
        if (cur.endsWith('"""""') && !cur.endsWith('\\"""""')) return lx.errorf(`unexpected '""""""'`);
        lx.backup();
        lx.backup();
        return lexMultilineString;
      }
      lx.backup();
      lx.backup();
      lx.backup();
      lx.emit(It.MultilineString);
      lx.next();
      lx.next();
      lx.next();
      lx.ignore();
      return lx.pop();
    }
    lx.backup();
  }
  return lexMultilineString;
}

function lexRawString(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected "'"`);
  if (isNL(r)) return lx.errorPrevLine(STRING_NL);
  if (r === 39) {
    lx.backup();
    lx.emit(It.RawString);
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexRawString;
}

function lexMultilineRawString(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected "'''"`);
  if (r === 39 && lx.accept(39)) {
    if (lx.accept(39)) {
      if (lx.peek() === 39) {
        if (lx.current().endsWith("'''''")) return lx.errorf(`unexpected "''''''"`);
        lx.backup();
        lx.backup();
        return lexMultilineRawString;
      }
      lx.backup();
      lx.backup();
      lx.backup();
      lx.emit(It.RawMultilineString);
      lx.next();
      lx.next();
      lx.next();
      lx.ignore();
      return lx.pop();
    }
    lx.backup();
  }
  return lexMultilineRawString;
}

function lexMultilineStringEscape(lx: Lexer): StateFn | null {
  if (isNL(lx.next())) return lexMultilineString;
  lx.backup();
  lx.push(lexMultilineString);
  return lexStringEscape(lx);
}

function lexStringEscape(lx: Lexer): StateFn | null {
  const r = lx.next();
  switch (r) {
    case 98: // b
    case 116: // t
    case 110: // n
    case 102: // f
    case 114: // r
    case 34:
    case 32:
    case 9:
    case 92:
      return lx.pop();
    case 117:
      return lexShortUnicodeEscape;
    case 85:
      return lexLongUnicodeEscape;
  }
  return lx.error(`invalid escape in string '\\${String.fromCodePoint(r)}'`);
}

function lexShortUnicodeEscape(lx: Lexer): StateFn | null {
  for (let i = 0; i < 4; i++) {
    if (!isHexadecimal(lx.next())) return lx.errorf(`expected four hexadecimal digits after '\\u', but got ${goQuote(lx.current())} instead`);
  }
  return lx.pop();
}

function lexLongUnicodeEscape(lx: Lexer): StateFn | null {
  for (let i = 0; i < 8; i++) {
    if (!isHexadecimal(lx.next())) return lx.errorf(`expected eight hexadecimal digits after '\\U', but got ${goQuote(lx.current())} instead`);
  }
  return lx.pop();
}

function lexNumberOrDateStart(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (r === 48) return lexBaseNumberOrDate;
  if (!isDigit(r)) return lx.errorf(`expected a digit but got ${quoteRune(r)}`);
  return lexNumberOrDate;
}

function lexNumberOrDate(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  switch (r) {
    case 45:
    case 58:
      return lexDatetime;
    case 95:
      return lexDecimalNumber;
    case 46:
    case 101:
    case 69:
      return lexFloat;
  }
  lx.backup();
  lx.emit(It.Integer);
  return lx.pop();
}

function lexDatetime(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isDigit(r)) return lexDatetime;
  switch (r) {
    case 45: // -
    case 58: // :
    case 84: // T
    case 116: // t
    case 32:
    case 46: // .
    case 90: // Z
    case 122: // z
    case 43: // +
      return lexDatetime;
  }
  lx.backup();
  lx.emitTrim(It.Datetime);
  return lx.pop();
}

function lexIntegerOf(pred: (r: number) => boolean): StateFn {
  const fn: StateFn = (lx) => {
    const r = lx.next();
    if (pred(r) || r === 95) return fn;
    lx.backup();
    lx.emit(It.Integer);
    return lx.pop();
  };
  return fn;
}
const lexHexInteger = lexIntegerOf(isHexadecimal);
const lexOctalInteger = lexIntegerOf(isOctal);
const lexBinaryInteger = lexIntegerOf(isBinary);

function lexDecimalNumber(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isDigit(r)) return lexDecimalNumber;
  switch (r) {
    case 46:
    case 101:
    case 69:
      return lexFloat;
    case 95:
      return lexDecimalNumber;
  }
  lx.backup();
  lx.emit(It.Integer);
  return lx.pop();
}

function lexDecimalNumberStart(lx: Lexer): StateFn | null {
  const r = lx.next();
  switch (r) {
    case 105: // i
      if (!lx.accept(110) || !lx.accept(102)) return lx.errorf(`invalid float: '${lx.current()}'`);
      lx.emit(It.Float);
      return lx.pop();
    case 110: // n
      if (!lx.accept(97) || !lx.accept(110)) return lx.errorf(`invalid float: '${lx.current()}'`);
      lx.emit(It.Float);
      return lx.pop();
    case 48: {
      const p = lx.peek();
      if (p === 98 || p === 111 || p === 120) return lx.errorf(`cannot use sign with non-decimal numbers: '${lx.current()}${String.fromCodePoint(p)}'`);
      break;
    }
    case 46:
      return lx.errorf("floats must start with a digit, not '.'");
  }
  if (isDigit(r)) return lexDecimalNumber;
  return lx.errorf(`expected a digit but got ${quoteRune(r)}`);
}

function lexBaseNumberOrDate(lx: Lexer): StateFn | null {
  let r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  switch (r) {
    case 95:
      return lexDecimalNumber;
    case 46:
    case 101:
    case 69:
      return lexFloat;
    case 98:
      r = lx.peek();
      if (!isBinary(r)) lx.errorf(`not a binary number: '${lx.current()}${String.fromCodePoint(r)}'`);
      return lexBinaryInteger;
    case 111:
      r = lx.peek();
      if (!isOctal(r)) lx.errorf(`not an octal number: '${lx.current()}${String.fromCodePoint(r)}'`);
      return lexOctalInteger;
    case 120:
      r = lx.peek();
      if (!isHexadecimal(r)) lx.errorf(`not a hexidecimal number: '${lx.current()}${String.fromCodePoint(r)}'`);
      return lexHexInteger;
  }
  lx.backup();
  lx.emit(It.Integer);
  return lx.pop();
}

function lexFloat(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isDigit(r)) return lexFloat;
  switch (r) {
    case 95:
    case 46:
    case 45:
    case 43:
    case 101:
    case 69:
      return lexFloat;
  }
  lx.backup();
  lx.emit(It.Float);
  return lx.pop();
}

function lexBool(lx: Lexer): StateFn | null {
  let s = '';
  for (;;) {
    const r = lx.next();
    if (!isLetter(r)) {
      lx.backup();
      break;
    }
    s += String.fromCodePoint(r);
  }
  if (s === 'true' || s === 'false') {
    lx.emit(It.Bool);
    return lx.pop();
  }
  return lx.errorf(`expected value but found ${goQuote(s)} instead`);
}

function lexCommentStart(lx: Lexer): StateFn | null {
  lx.ignore();
  lx.emit(It.CommentStart);
  return lexComment;
}

function lexComment(lx: Lexer): StateFn | null {
  const r = lx.next();
  if (isNL(r) || r === EOF) {
    lx.backup();
    lx.emit(It.Text);
    return lx.pop();
  }
  return lexComment;
}

// ---------------------------------------------------------------------------------------------
// Parser (parse.go)

class TomlParseError extends Error {}

type TomlTyp = 'hash' | 'arrayHash' | 'array' | 'string' | 'integer' | 'float' | 'bool' | 'datetime';

/** A table of the parse: a map, or the list of maps of an array of tables. */
type Table = GoMap;

function isTableList(v: Value): v is Table[] {
  return Array.isArray(v) && elemType(v) === 'map[string]interface {}';
}

class TomlParser {
  private readonly lx: Lexer;
  private context: string[] = [];
  private currentKey = '';
  private posLine = 0;
  private keyInfo = new Map<string, TomlTyp>();
  readonly mapping: GoMap = {};
  private implicits = new Set<string>();

  constructor(data: string) {
    this.lx = new Lexer(data);
  }

  private current(): string {
    if (this.currentKey.length === 0) return keyString(this.context);
    if (this.context.length === 0) return this.currentKey;
    return `${keyString(this.context)}.${this.currentKey}`;
  }

  private fail(line: number, msg: string): never {
    const last = this.current();
    throw new TomlParseError(last === '' ? `toml: line ${line}: ${msg}` : `toml: line ${line} (last key ${goQuote(last)}): ${msg}`);
  }

  private panicf(msg: string): never {
    this.fail(this.posLine, msg);
  }

  private next(): Item {
    const it = this.lx.nextItem();
    if (it.typ === It.Error) this.fail(it.line, it.err ?? it.val);
    return it;
  }

  private nextPos(): Item {
    const it = this.next();
    this.posLine = it.line;
    return it;
  }

  parse(): void {
    for (;;) {
      const item = this.next();
      if (item.typ === It.EOF) break;
      this.topLevel(item);
    }
  }

  private topLevel(item: Item): void {
    switch (item.typ) {
      case It.CommentStart:
        this.next();
        return;
      case It.TableStart:
      case It.ArrayTableStart: {
        const array = item.typ === It.ArrayTableStart;
        const end = array ? It.ArrayTableEnd : It.TableEnd;
        let name = this.nextPos();
        const key: string[] = [];
        for (; name.typ !== end && name.typ !== It.EOF; name = this.next()) key.push(this.keyString(name));
        this.addContext(key, array);
        this.setType('', array ? 'arrayHash' : 'hash');
        return;
      }
      case It.KeyStart: {
        const outer = this.context;
        let k = this.nextPos();
        const key: string[] = [];
        for (; k.typ !== It.KeyEnd && k.typ !== It.EOF; k = this.next()) key.push(this.keyString(k));
        this.currentKey = key[key.length - 1];
        const context = key.slice(0, -1);
        for (let i = 0; i < context.length; i++) this.addImplicitContext([...this.context, context[i]]);
        const vItem = this.next();
        const [val, typ] = this.value(vItem, false);
        this.set(this.currentKey, val, typ);
        this.context = outer;
        this.currentKey = '';
        return;
      }
    }
    throw new GoPanic(`BUG: Unexpected type at top level: ${item.typ}`);
  }

  private keyString(it: Item): string {
    if (it.typ === It.Text) return it.val;
    return this.value(it, false)[0] as string;
  }

  private value(it: Item, parentIsArray: boolean): [Value, TomlTyp] {
    switch (it.typ) {
      case It.String:
        return [this.replaceEscapes(it, it.val), 'string'];
      case It.MultilineString:
        return [this.replaceEscapes(it, stripFirstNewline(this.stripEscapedNewlines(it.val))), 'string'];
      case It.RawString:
        return [it.val, 'string'];
      case It.RawMultilineString:
        return [stripFirstNewline(it.val), 'string'];
      case It.Integer:
        return [this.valueInteger(it), 'integer'];
      case It.Float:
        return [this.valueFloat(it), 'float'];
      case It.Bool:
        return [it.val === 'true', 'bool'];
      case It.Datetime:
        return [this.valueDatetime(it), 'datetime'];
      case It.Array:
        return this.valueArray();
      case It.InlineTableStart:
        return this.valueInlineTable(parentIsArray);
    }
    throw new GoPanic(`BUG: Unexpected value type: ${it.typ}`);
  }

  private itemFail(it: Item, msg: string): never {
    this.fail(it.line, msg);
  }

  private valueInteger(it: Item): Value {
    if (!numUnderscoresOK(it.val)) this.itemFail(it, `Invalid integer ${goQuote(it.val)}: underscores must be surrounded by digits`);
    if (numHasLeadingZero(it.val)) this.itemFail(it, `Invalid integer ${goQuote(it.val)}: cannot have leading zeroes`);
    const v = parseGoInt(it.val.replace(/_/g, ''));
    if (v === undefined) {
      if (/^[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+|[0-9]+)$/.test(it.val.replace(/_/g, ''))) this.itemFail(it, `${it.val} is out of range for int64`);
      throw new GoPanic(`BUG: Expected integer value, but got '${it.val}'.`);
    }
    return new GoInt(v, 'int64');
  }

  private valueFloat(it: Item): Value {
    const parts = it.val.split(/[.eE]/).filter((p) => p !== '');
    for (const part of parts) {
      if (!numUnderscoresOK(part)) this.itemFail(it, `Invalid float ${goQuote(it.val)}: underscores must be surrounded by digits`);
    }
    if (parts.length > 0 && numHasLeadingZero(parts[0])) this.itemFail(it, `Invalid float ${goQuote(it.val)}: cannot have leading zeroes`);
    if (!numPeriodsOK(it.val)) this.itemFail(it, `Invalid float ${goQuote(it.val)}: '.' must be followed by one or more digits`);
    let val = it.val.replace(/_/g, '');
    if (val === '+nan' || val === '-nan') val = 'nan';
    if (/^[-+]?(inf|infinity)$/i.test(val)) return val[0] === '-' ? -Infinity : Infinity;
    if (/^[-+]?nan$/i.test(val)) return NaN;
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(val)) this.itemFail(it, `Invalid float value: ${goQuote(it.val)}`);
    const f = Number(val);
    if (!Number.isFinite(f)) this.itemFail(it, `${it.val} is out of range for float64`);
    return f;
  }

  private valueDatetime(it: Item): Value {
    const val = it.val.replace(/z/g, 'Z').replace(/t/g, 'T').replace(/ /g, 'T');
    const t = parseTomlDatetime(val);
    if (!t) this.itemFail(it, `Invalid TOML Datetime: ${goQuote(val)}.`);
    return t;
  }

  private valueArray(): [Value, TomlTyp] {
    this.setType(this.currentKey, 'array');
    const array: Value[] = [];
    for (let it = this.next(); it.typ !== It.ArrayEnd; it = this.next()) {
      if (it.typ === It.CommentStart) {
        this.next();
        continue;
      }
      array.push(this.value(it, true)[0]);
    }
    return [array, 'array'];
  }

  private valueInlineTable(parentIsArray: boolean): [Value, TomlTyp] {
    const hash: GoMap = {};
    const outerContext = this.context;
    const outerKey = this.currentKey;
    this.context = [...this.context, this.currentKey];
    const prevContext = this.context;
    this.currentKey = '';
    this.addImplicit(this.context);
    this.addContext(this.context, parentIsArray);
    for (let it = this.next(); it.typ !== It.InlineTableEnd; it = this.next()) {
      if (it.typ === It.CommentStart) {
        this.next();
        continue;
      }
      let k = this.nextPos();
      const key: string[] = [];
      for (; k.typ !== It.KeyEnd && k.typ !== It.EOF; k = this.next()) key.push(this.keyString(k));
      this.currentKey = key[key.length - 1];
      const context = key.slice(0, -1);
      for (let i = 0; i < context.length; i++) this.addImplicitContext([...this.context, context[i]]);
      const [val, typ] = this.value(this.next(), false);
      this.set(this.currentKey, val, typ);
      setKey(hash, this.currentKey, val);
      this.context = prevContext;
    }
    this.context = outerContext;
    this.currentKey = outerKey;
    return [hash, 'hash'];
  }

  private addContext(key: string[], array: boolean): void {
    let hashContext: Table = this.mapping;
    const keyContext: string[] = [];
    for (const k of key.slice(0, -1)) {
      const ok = Object.prototype.hasOwnProperty.call(hashContext, k);
      keyContext.push(k);
      if (!ok) {
        this.addImplicit(keyContext);
        setKey(hashContext, k, {});
      }
      const t = hashContext[k];
      if (isTableList(t)) hashContext = t[t.length - 1];
      else if (isGoMap(t)) hashContext = t;
      else this.panicf(`Key '${keyString(keyContext)}' was already created as a hash.`);
    }
    this.context = keyContext;
    const last = key[key.length - 1];
    if (array) {
      if (!Object.prototype.hasOwnProperty.call(hashContext, last)) setKey(hashContext, last, goSlice([], 'map[string]interface {}'));
      const list = hashContext[last];
      if (isTableList(list)) list.push({});
      else this.panicf(`Key '${keyString(key)}' was already created and cannot be used as an array.`);
    } else {
      this.setValue(last, {});
    }
    this.context = [...this.context, last];
  }

  private set(key: string, val: Value, typ: TomlTyp): void {
    this.setValue(key, val);
    this.setType(key, typ);
  }

  private setValue(key: string, value: Value): void {
    let hash: Table = this.mapping;
    const keyContext: string[] = [];
    for (const k of this.context) {
      keyContext.push(k);
      if (!Object.prototype.hasOwnProperty.call(hash, k)) throw new GoPanic(`BUG: Context for key '${keyString(keyContext)}' has not been established.`);
      const t = hash[k];
      if (isTableList(t)) hash = t[t.length - 1];
      else if (isGoMap(t)) hash = t;
      else this.panicf(`Key '${keyString(keyContext)}' has already been defined.`);
    }
    keyContext.push(key);
    if (Object.prototype.hasOwnProperty.call(hash, key)) {
      const ks = keyString(keyContext);
      if (this.keyInfo.get(ks) === 'array') {
        this.implicits.delete(ks);
        setKey(hash, key, value);
        return;
      }
      if (this.implicits.has(ks)) {
        this.implicits.delete(ks);
        return;
      }
      this.panicf(`Key '${ks}' has already been defined.`);
    }
    setKey(hash, key, value);
  }

  private setType(key: string, typ: TomlTyp): void {
    const keyContext = [...this.context];
    if (key.length > 0) keyContext.push(key);
    this.keyInfo.set(keyContext.length === 0 ? '""' : keyString(keyContext), typ);
  }

  private addImplicit(key: string[]): void {
    this.implicits.add(keyString(key));
  }

  private addImplicitContext(key: string[]): void {
    this.addImplicit(key);
    this.addContext(key, false);
  }

  private stripEscapedNewlines(s: string): string {
    const split = s.split('\n');
    let escNL = false;
    for (let i = 0; i < split.length; i++) {
      let line = split[i].replace(/[ \t\r]+$/, '');
      if (line.length === 0 || line[line.length - 1] !== '\\') {
        split[i] = split[i].replace(/\r+$/, '');
        if (!escNL && i !== split.length - 1) split[i] += '\n';
        continue;
      }
      let escBS = true;
      for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) escBS = !escBS;
      if (escNL) line = line.replace(/^[ \t\r]+/, '');
      escNL = !escBS;
      if (escBS) {
        split[i] += '\n';
        continue;
      }
      if (i === split.length - 1) this.panicf("invalid escape: '\\ '");
      split[i] = line.slice(0, -1);
      if (split.length - 1 > i) split[i + 1] = split[i + 1].replace(/^[ \t\r]+/, '');
    }
    return split.join('');
  }

  private replaceEscapes(it: Item, s: string): string {
    let out = '';
    let r = 0;
    while (r < s.length) {
      const c = s[r];
      if (c !== '\\') {
        out += c;
        r++;
        continue;
      }
      r++;
      const e = s[r];
      switch (e) {
        case ' ':
        case '\t':
          this.itemFail(it, `invalid escape: '\\${e}'`);
        // falls through (itemFail throws)
        case 'b':
          out += '\b';
          r++;
          break;
        case 't':
          out += '\t';
          r++;
          break;
        case 'n':
          out += '\n';
          r++;
          break;
        case 'f':
          out += '\f';
          r++;
          break;
        case 'r':
          out += '\r';
          r++;
          break;
        case '"':
          out += '"';
          r++;
          break;
        case '\\':
          out += '\\';
          r++;
          break;
        case 'u':
        case 'U': {
          const n = e === 'u' ? 4 : 8;
          const hex = s.slice(r + 1, r + 1 + n);
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.itemFail(it, `Escaped character '\\u${hex}' is not valid UTF-8.`);
          out += String.fromCodePoint(cp);
          r += 1 + n;
          break;
        }
        default:
          throw new GoPanic(`BUG: Expected valid escape code after \\, but got ${JSON.stringify(e)}.`);
      }
    }
    return out;
  }
}

function setKey(m: GoMap, k: string, v: Value): void {
  if (k === '__proto__') Object.defineProperty(m, k, { value: v, writable: true, enumerable: true, configurable: true });
  else m[k] = v;
}

function stripFirstNewline(s: string): string {
  if (s.startsWith('\n')) return s.slice(1);
  if (s.startsWith('\r\n')) return s.slice(2);
  return s;
}

function numHasLeadingZero(s: string): boolean {
  if (s.length > 1 && s[0] === '0' && !(s[1] === 'b' || s[1] === 'o' || s[1] === 'x')) return true;
  if (s.length > 2 && (s[0] === '-' || s[0] === '+') && s[1] === '0') return true;
  return false;
}

function numUnderscoresOK(s: string): boolean {
  switch (s) {
    case 'nan':
    case '+nan':
    case '-nan':
    case 'inf':
    case '-inf':
    case '+inf':
      return true;
  }
  let accept = false;
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r === 95 && !accept) return false;
    accept = isHexadecimal(r);
  }
  return accept;
}

function numPeriodsOK(s: string): boolean {
  let period = false;
  for (const ch of s) {
    if (period && !isDigit(ch.charCodeAt(0))) return false;
    period = ch === '.';
  }
  return !period;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const unixDays = daysFromCivil;

const DT_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[-+](?:[-+]\d|\d\d):(?:[-+]\d|\d\d))$/;
const DT_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const DATE_LOCAL = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_LOCAL = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** The four layouts BurntSushi tries: RFC 3339 with offset (read in time.Local, taken as UTC), local date-time, date, time. */
function parseTomlDatetime(s: string): GoTime | undefined {
  const clockOK = (h: string, mi: string, se: string): boolean => Number(h) < 24 && Number(mi) < 60 && Number(se) < 60;
  const dateOK = (y: string, mo: string, d: string): boolean => Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= daysIn(Number(mo), Number(y));
  const nsec = (f: string | undefined): number => (f ? Number(f.padEnd(9, '0')) : 0);
  let m = DT_OFFSET.exec(s);
  if (m && dateOK(m[1], m[2], m[3]) && clockOK(m[4], m[5], m[6])) {
    let offset = 0;
    if (m[8] !== 'Z') {
      const sign = m[8][0] === '-' ? -1 : 1;
      offset = sign * (Number(m[8].slice(1, 3)) * 3600 + Number(m[8].slice(4, 6)) * 60);
    }
    const sec = unixDays(+m[1], +m[2], +m[3]) * 86400 + +m[4] * 3600 + +m[5] * 60 + +m[6] - offset;
    const loc = offset === 0 ? GoLocation.UTC : GoLocation.fixed('', offset);
    return new GoTime(sec, nsec(m[7]), loc);
  }
  m = DT_LOCAL.exec(s);
  if (m && dateOK(m[1], m[2], m[3]) && clockOK(m[4], m[5], m[6])) {
    const sec = unixDays(+m[1], +m[2], +m[3]) * 86400 + +m[4] * 3600 + +m[5] * 60 + +m[6];
    return new GoTime(sec, nsec(m[7]), GoLocation.fixed('datetime-local', 0));
  }
  m = DATE_LOCAL.exec(s);
  if (m && dateOK(m[1], m[2], m[3])) return new GoTime(unixDays(+m[1], +m[2], +m[3]) * 86400, 0, GoLocation.fixed('date-local', 0));
  m = TIME_LOCAL.exec(s);
  if (m && clockOK(m[1], m[2], m[3])) {
    const sec = unixDays(0, 1, 1) * 86400 + +m[1] * 3600 + +m[2] * 60 + +m[3];
    return new GoTime(sec, nsec(m[4]), GoLocation.fixed('time-local', 0));
  }
  return undefined;
}

/** toml.Unmarshal into a map[string]interface{}: the map, or GoError with BurntSushi's message. */
export function decodeToml(text: string): GoMap {
  if (text.slice(0, 6).indexOf('\0') >= 0) {
    throw new GoError('toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8');
  }
  const p = new TomlParser(text);
  try {
    p.parse();
  } catch (e) {
    if (e instanceof TomlParseError) throw new GoError(e.message);
    throw e;
  }
  return p.mapping;
}
