/**
 * The lexer of Go's text/template (Go 1.19 `text/template/parse/lex.go`), re-implemented.
 *
 * `lex()` turns a template into an array of tokens that mirrors, token for token, the items Go's
 * lexer sends to its parser: same types, same positions, same values, same lines, same errors.
 * Two differences, both for the editor:
 * - comments always come out as `Comment` tokens (Go emits them only in ParseComments mode; the
 *   parser turns them into CommentNodes, which Go's trees in Helm's mode do not have);
 * - after a lexical error Go's lexer stops; ours emits the `Error` token and carries on (inside an
 *   action it skips to the next right delimiter and emits a `RightDelim` there), so the parser can
 *   recover. Everything up to and including the first error is exactly Go's.
 *
 * Also here: Go's quoting helpers used in Go's messages (`strconv.Quote`, `%#U`, `item.String()`).
 * Offsets are JS string offsets (Go counts bytes; the rules are applied per code point, as Go does per rune).
 */

/** Token types, in the order of Go's itemType (keywords after `Keyword`). */
export const Tok = {
  Error: 0,
  Bool: 1,
  Char: 2,
  CharConstant: 3,
  Comment: 4,
  Complex: 5,
  Assign: 6,
  Declare: 7,
  EOF: 8,
  Field: 9,
  Identifier: 10,
  LeftDelim: 11,
  LeftParen: 12,
  Number: 13,
  Pipe: 14,
  RawString: 15,
  RightDelim: 16,
  RightParen: 17,
  Space: 18,
  String: 19,
  Text: 20,
  Variable: 21,
  Keyword: 22,
  Block: 23,
  Break: 24,
  Continue: 25,
  Dot: 26,
  Define: 27,
  Else: 28,
  End: 29,
  If: 30,
  Nil: 31,
  Range: 32,
  Template: 33,
  With: 34,
} as const;

export type TokType = (typeof Tok)[keyof typeof Tok];

export interface Token {
  typ: TokType;
  /** Go's item.pos: where the item starts. For `Error`, where the failing item started. */
  pos: number;
  /** Exclusive end of the item's text (for `Error`, where the lexer noticed the problem). */
  end: number;
  /** Go's item.val: the item's text; for `Error` the message. */
  val: string;
  /** Go's item.line: 1 + the newlines before `pos`. */
  line: number;
  /**
   * `Text`: the untrimmed start of the text (right after the previous action). `Comment`: the
   * offset of the comment's left delimiter. Otherwise -1.
   */
  auxStart: number;
  /** `Text`: the untrimmed end (the next left delimiter). `Comment`: after its right delimiter. Otherwise -1. */
  auxEnd: number;
}

const KEYWORDS: Record<string, TokType> = {
  block: Tok.Block,
  break: Tok.Break,
  continue: Tok.Continue,
  define: Tok.Define,
  else: Tok.Else,
  end: Tok.End,
  if: Tok.If,
  range: Tok.Range,
  nil: Tok.Nil,
  template: Tok.Template,
  with: Tok.With,
};

const EOF_RUNE = -1;

type State = ((l: Lexer) => State) | null;

export interface LexOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Whether `break` is a keyword (Go: unless a function named "break" is defined). */
  breakOK?: boolean;
  continueOK?: boolean;
}

/**
 * Lexes the whole template (or, with `from`, the rest of it from there, as text: for the parser's
 * recovery). The last token is always `EOF`.
 */
export function lex(input: string, opts: LexOptions = {}, from = 0): Token[] {
  const l = new Lexer(
    input,
    opts.leftDelim || '{{',
    opts.rightDelim || '}}',
    opts.breakOK ?? true,
    opts.continueOK ?? true,
  );
  l.pos = l.start = l.rawTextStart = from;
  let state: State = lexText;
  while (state !== null) state = state(l);
  return l.toks;
}

// Go's lexer checks raw bytes for the trim markers: only ASCII space characters count.
function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

/** Go's isAlphaNumeric: '_', unicode.IsLetter, unicode.IsDigit. */
export function isAlphaNumeric(r: number): boolean {
  if (r < 0x80) {
    return (
      r === 95 || (r >= 97 && r <= 122) || (r >= 65 && r <= 90) || (r >= 48 && r <= 57)
    );
  }
  if (r < 0) return false;
  const s = String.fromCodePoint(r);
  return LETTER.test(s) || DIGIT.test(s);
}

function hasLeftTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && s.charCodeAt(i) === 45 && isSpace(s.charCodeAt(i + 1));
}

function hasRightTrimMarker(s: string, i: number): boolean {
  return i >= 0 && i + 1 < s.length && isSpace(s.charCodeAt(i)) && s.charCodeAt(i + 1) === 45;
}

class Lexer {
  readonly toks: Token[] = [];
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  /** Untrimmed start of the next text item. */
  rawTextStart = 0;
  /** Offset of the left delimiter of the comment being lexed. */
  commentOpen = 0;
  private linePos = 0;
  private lineNo = 1;

  constructor(
    readonly input: string,
    readonly left: string,
    readonly right: string,
    readonly breakOK: boolean,
    readonly continueOK: boolean,
  ) {}

  /** 1 + newlines before `pos`; positions asked for never decrease. */
  lineAt(pos: number): number {
    const s = this.input;
    let i = this.linePos;
    let n = this.lineNo;
    for (;;) {
      const j = s.indexOf('\n', i);
      if (j < 0 || j >= pos) break;
      n++;
      i = j + 1;
    }
    this.linePos = i;
    this.lineNo = n;
    return n;
  }

  push(typ: TokType, pos: number, end: number, val: string, auxStart = -1, auxEnd = -1): void {
    this.toks.push({ typ, pos, end, val, line: this.lineAt(pos), auxStart, auxEnd });
  }

  emit(typ: TokType): void {
    this.push(typ, this.start, this.pos, this.input.slice(this.start, this.pos));
    this.start = this.pos;
  }

  ignore(): void {
    this.start = this.pos;
  }

  next(): number {
    const s = this.input;
    if (this.pos >= s.length) {
      this.atEOF = true;
      return EOF_RUNE;
    }
    const r = s.codePointAt(this.pos)!;
    this.pos += r > 0xffff ? 2 : 1;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  /** Steps back one code point (a no-op once EOF was read, exactly like Go's lexer). */
  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const s = this.input;
      const c = s.charCodeAt(this.pos - 1);
      if (c >= 0xdc00 && c <= 0xdfff && this.pos > 1) {
        const h = s.charCodeAt(this.pos - 2);
        if (h >= 0xd800 && h <= 0xdbff) {
          this.pos -= 2;
          return;
        }
      }
      this.pos--;
    }
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r >= 0 && r < 0x80 && valid.indexOf(String.fromCharCode(r)) >= 0) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (!(r >= 0 && r < 0x80 && valid.indexOf(String.fromCharCode(r)) >= 0)) break;
    }
    this.backup();
  }

  /**
   * Emits Go's error item; then (recovery, not Go) resumes after the next right delimiter at or
   * after `from`: inside an action, `inAction`, that delimiter is emitted to end the action.
   */
  fail(msg: string, from: number, inAction = true): State {
    this.push(Tok.Error, this.start, Math.max(this.start, this.pos), msg);
    return inAction ? this.resyncAction(from) : this.resyncText(from);
  }

  /** Go's atRightDelim: [at a right delimiter, with a trim marker]. */
  atRightDelim(): 0 | 1 | 2 {
    const s = this.input;
    if (hasRightTrimMarker(s, this.pos) && s.startsWith(this.right, this.pos + 2)) return 2;
    if (s.startsWith(this.right, this.pos)) return 1;
    return 0;
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF_RUNE:
      case 46: // .
      case 44: // ,
      case 124: // |
      case 58: // :
      case 41: // )
      case 40: // (
        return true;
    }
    return this.input.startsWith(this.right, this.pos);
  }

  leftTrimLength(i: number): number {
    const s = this.input;
    let j = i;
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    return j - i;
  }

  /**
   * Recovery (not Go: Go's lexer stops at its first error): skip to the next right delimiter at or
   * after `from`, emit it as the end of the broken action, and go on with text; EOF if there is none.
   * If a left delimiter comes first, the broken action was not closed: end it there (with an empty
   * right delimiter token) and lex the new action.
   */
  resyncAction(from: number): State {
    const s = this.input;
    const idx = s.indexOf(this.right, from);
    const left = s.indexOf(this.left, from);
    if (left >= 0 && (idx < 0 || left < idx)) {
      this.push(Tok.RightDelim, left, left, '');
      this.pos = this.start = this.rawTextStart = left;
      this.atEOF = false;
      return lexText;
    }
    if (idx < 0) {
      this.pos = this.start = s.length;
      this.push(Tok.EOF, s.length, s.length, '');
      return null;
    }
    const trim = idx - 2 >= from && hasRightTrimMarker(s, idx - 2);
    this.push(Tok.RightDelim, idx, idx + this.right.length, this.right);
    this.pos = idx + this.right.length;
    this.rawTextStart = this.pos;
    if (trim) this.pos += this.leftTrimLength(this.pos);
    this.start = this.pos;
    this.atEOF = false;
    return lexText;
  }

  /** Recovery after a broken comment: skip past the next right delimiter, or to EOF. */
  resyncText(from: number): State {
    const s = this.input;
    const idx = s.indexOf(this.right, from);
    const left = s.indexOf(this.left, from);
    if (left >= 0 && (idx < 0 || left < idx)) {
      this.pos = this.start = this.rawTextStart = left;
      this.atEOF = false;
      return lexText;
    }
    if (idx < 0) {
      this.pos = this.start = s.length;
      this.push(Tok.EOF, s.length, s.length, '');
      return null;
    }
    const trim = idx - 2 >= from && hasRightTrimMarker(s, idx - 2);
    this.pos = idx + this.right.length;
    this.rawTextStart = this.pos;
    if (trim) this.pos += this.leftTrimLength(this.pos);
    this.start = this.pos;
    this.atEOF = false;
    return lexText;
  }

  /** Go's scanNumber: deliberately loose; strconv (in the parser) catches the rest. */
  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      // A leading 0 does not mean octal in floats.
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    // The next thing must not be alphanumeric.
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

// ---- states ----

function lexText(l: Lexer): State {
  const s = l.input;
  const x = s.indexOf(l.left, l.pos);
  if (x >= 0) {
    let trim = 0;
    if (hasLeftTrimMarker(s, x + l.left.length)) {
      let j = x;
      while (j > l.start && isSpace(s.charCodeAt(j - 1))) j--;
      trim = x - j;
    }
    const textEnd = x - trim;
    if (textEnd > l.start) {
      l.push(Tok.Text, l.start, textEnd, s.slice(l.start, textEnd), l.rawTextStart, x);
    }
    l.pos = x;
    l.start = x;
    return lexLeftDelim;
  }
  l.pos = s.length;
  if (l.pos > l.start) {
    l.push(Tok.Text, l.start, l.pos, s.slice(l.start, l.pos), l.rawTextStart, l.pos);
  }
  l.start = l.pos;
  l.push(Tok.EOF, l.pos, l.pos, '');
  return null;
}

function lexLeftDelim(l: Lexer): State {
  const s = l.input;
  const delimPos = l.pos;
  l.pos += l.left.length;
  const afterMarker = hasLeftTrimMarker(s, l.pos) ? 2 : 0;
  if (s.startsWith('/*', l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    l.commentOpen = delimPos;
    return lexComment;
  }
  l.emit(Tok.LeftDelim);
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): State {
  const s = l.input;
  l.pos += 2;
  const i = s.indexOf('*/', l.pos);
  if (i < 0) {
    l.pos = s.length;
    return l.fail('unclosed comment', l.start, false);
  }
  l.pos = i + 2;
  const delim = l.atRightDelim();
  if (delim === 0) {
    const from = l.pos;
    return l.fail('comment ends before closing delimiter', from, false);
  }
  const textEnd = l.pos;
  let close = l.pos + l.right.length;
  if (delim === 2) close += 2;
  l.push(Tok.Comment, l.start, textEnd, s.slice(l.start, textEnd), l.commentOpen, close);
  l.pos = close;
  l.rawTextStart = close;
  if (delim === 2) l.pos += l.leftTrimLength(l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): State {
  const trim = hasRightTrimMarker(l.input, l.pos);
  if (trim) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += l.right.length;
  l.emit(Tok.RightDelim);
  l.rawTextStart = l.pos;
  if (trim) {
    l.pos += l.leftTrimLength(l.pos);
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): State {
  const delim = l.atRightDelim();
  if (delim !== 0) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.fail('unclosed left paren', l.start);
  }
  const r = l.next();
  if (r === EOF_RUNE) {
    // No right delimiter follows: the resync ends the tokens with EOF.
    return l.fail('unclosed action', l.input.length);
  }
  if (isSpace(r)) {
    l.backup(); // Put the space back in case we have " -}}".
    return lexSpace;
  }
  switch (r) {
    case 61: // =
      l.emit(Tok.Assign);
      return lexInsideAction;
    case 58: // :
      if (l.next() !== 61) return l.fail('expected :=', l.start);
      l.emit(Tok.Declare);
      return lexInsideAction;
    case 124: // |
      l.emit(Tok.Pipe);
      return lexInsideAction;
    case 34: // "
      return lexQuote;
    case 96: // `
      return lexRawQuote;
    case 36: // $
      return lexVariable;
    case 39: // '
      return lexChar;
    case 46: // .
      // Special look-ahead for ".field" so we don't break backup().
      if (l.pos < l.input.length) {
        const c = l.input.charCodeAt(l.pos);
        if (c < 48 || c > 57) return lexField;
      }
      // '.' can start a number.
      l.backup();
      return lexNumber;
    case 40: // (
      l.emit(Tok.LeftParen);
      l.parenDepth++;
      return lexInsideAction;
    case 41: // )
      l.emit(Tok.RightParen);
      l.parenDepth--;
      if (l.parenDepth < 0) {
        return l.fail(`unexpected right paren ${formatRuneU(r)}`, l.start);
      }
      return lexInsideAction;
  }
  if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r <= 0x7f && r >= 0x20 && r !== 0x7f) {
    l.emit(Tok.Char);
    return lexInsideAction;
  }
  return l.fail(`unrecognized character in action: ${formatRuneU(r)}`, l.start);
}

function lexSpace(l: Lexer): State {
  let numSpaces = 0;
  for (;;) {
    const r = l.peek();
    if (!isSpace(r)) break;
    l.next();
    numSpaces++;
  }
  // Careful about a trim-marked closing delimiter, which has a minus after a space.
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(l.right, l.pos + 1)) {
    l.backup(); // Before the space.
    if (numSpaces === 1) return lexRightDelim; // On the delimiter, so go right to that.
  }
  l.emit(Tok.Space);
  return lexInsideAction;
}

function lexIdentifier(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) {
      return l.fail(`bad character ${formatRuneU(r)}`, l.start);
    }
    const kw = Object.prototype.hasOwnProperty.call(KEYWORDS, word) ? KEYWORDS[word] : undefined;
    if (kw !== undefined) {
      if ((kw === Tok.Break && !l.breakOK) || (kw === Tok.Continue && !l.continueOK)) {
        l.emit(Tok.Identifier);
      } else {
        l.emit(kw);
      }
    } else if (word === 'true' || word === 'false') {
      l.emit(Tok.Bool);
    } else {
      l.emit(Tok.Identifier);
    }
    return lexInsideAction;
  }
}

function lexField(l: Lexer): State {
  return lexFieldOrVariable(l, Tok.Field);
}

function lexVariable(l: Lexer): State {
  if (l.atTerminator()) {
    // Nothing interesting follows -> "$".
    l.emit(Tok.Variable);
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, Tok.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: TokType): State {
  if (l.atTerminator()) {
    // Nothing interesting follows -> "." or "$".
    l.emit(typ === Tok.Variable ? Tok.Variable : Tok.Dot);
    return lexInsideAction;
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) {
    return l.fail(`bad character ${formatRuneU(r)}`, l.start);
  }
  l.emit(typ);
  return lexInsideAction;
}

function lexChar(l: Lexer): State {
  for (;;) {
    let r = l.next();
    if (r === 92) {
      r = l.next();
      if (r !== EOF_RUNE && r !== 10) continue;
    }
    if (r === EOF_RUNE || r === 10) {
      return l.fail('unterminated character constant', l.start);
    }
    if (r === 39) break;
  }
  l.emit(Tok.CharConstant);
  return lexInsideAction;
}

function lexNumber(l: Lexer): State {
  if (!l.scanNumber()) {
    return l.fail(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`, l.start);
  }
  const sign = l.peek();
  if (sign === 43 || sign === 45) {
    // Complex: 1+2i. No spaces, must end in 'i'.
    if (!l.scanNumber() || l.input.charCodeAt(l.pos - 1) !== 105) {
      return l.fail(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`, l.start);
    }
    l.emit(Tok.Complex);
  } else {
    l.emit(Tok.Number);
  }
  return lexInsideAction;
}

function lexQuote(l: Lexer): State {
  for (;;) {
    let r = l.next();
    if (r === 92) {
      r = l.next();
      if (r !== EOF_RUNE && r !== 10) continue;
    }
    if (r === EOF_RUNE || r === 10) {
      return l.fail('unterminated quoted string', l.start);
    }
    if (r === 34) break;
  }
  l.emit(Tok.String);
  return lexInsideAction;
}

function lexRawQuote(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === EOF_RUNE) {
      return l.fail('unterminated raw quoted string', l.start);
    }
    if (r === 96) break;
  }
  l.emit(Tok.RawString);
  return lexInsideAction;
}

// ---- Go's quoting, for messages ----

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(r));
}

function hex(n: number, width: number): string {
  const s = n.toString(16);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  let plainFrom = 0;
  for (let i = 0; i < s.length; ) {
    let r = s.codePointAt(i)!;
    const w = r > 0xffff ? 2 : 1;
    if (r >= 0x20 && r < 0x7f && r !== 34 && r !== 92) {
      i += w;
      continue;
    }
    if (r >= 0x80 && isGoPrint(r)) {
      i += w;
      continue;
    }
    out += s.slice(plainFrom, i);
    i += w;
    plainFrom = i;
    switch (r) {
      case 34:
        out += '\\"';
        continue;
      case 92:
        out += '\\\\';
        continue;
      case 7:
        out += '\\a';
        continue;
      case 8:
        out += '\\b';
        continue;
      case 12:
        out += '\\f';
        continue;
      case 10:
        out += '\\n';
        continue;
      case 13:
        out += '\\r';
        continue;
      case 9:
        out += '\\t';
        continue;
      case 11:
        out += '\\v';
        continue;
    }
    if (r < 0x20 || r === 0x7f) out += '\\x' + hex(r, 2);
    else {
      if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
      out += r > 0xffff ? '\\U' + hex(r, 8) : '\\u' + hex(r, 4);
    }
  }
  return out + s.slice(plainFrom) + '"';
}

/** fmt's %#U: `U+0023 '#'` (the character only when printable). */
export function formatRuneU(r: number): string {
  let s = 'U+' + hex(r, 4).toUpperCase();
  if (r >= 0 && r <= 0x10ffff && isGoPrint(r)) s += " '" + String.fromCodePoint(r) + "'";
  return s;
}

/** Go's item.String(), as used in `unexpected X in Y`. */
export function tokenString(t: Token): string {
  if (t.typ === Tok.EOF) return 'EOF';
  if (t.typ === Tok.Error) return t.val;
  if (t.typ > Tok.Keyword) return `<${t.val}>`;
  // Go: len(val) > 10 (bytes) prints %.10q (at most 10 runes, quoted) and "...".
  if (utf8Length(t.val) <= 10) return goQuote(t.val);
  let n = 0;
  let i = 0;
  while (i < t.val.length && n < 10) {
    i += t.val.codePointAt(i)! > 0xffff ? 2 : 1;
    n++;
  }
  return goQuote(t.val.slice(0, i)) + '...';
}

/** Length in UTF-8 bytes (Go's len of a string). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n++;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
