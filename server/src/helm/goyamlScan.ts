/**
 * A YAML reader that behaves like go-yaml v2 (gopkg.in/yaml.v2 2.4.0, a Go port of libyaml), the
 * parser behind sigs.k8s.io/yaml and so behind Helm's values files, `fromYaml` and `toYaml`.
 *
 * It is written to reproduce that library's observable behaviour rather than the YAML spec: the
 * same tokens (simple keys, indentation stack, flow levels), the same grammar, the same error
 * texts and the same odd line numbers in them (see `YamlFail`). It reads only the first document
 * of a stream, as go-yaml's Unmarshal does, and builds go-yaml's node tree (`YamlNode`); the
 * decoder in goyaml.ts turns nodes into values.
 *
 * Positions: `line`/`column`/`index` count characters (code points) like go-yaml's marks; the
 * scanner walks the JS string by UTF-16 units.
 */

/** A go-yaml error: `message` is the text after `yaml: ` (e.g. `line 3: did not find expected key`). */
export class YamlFail extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlFail';
  }
}

export const SCALAR = 0;
export const SEQUENCE = 1;
export const MAPPING = 2;
export const ALIAS = 3;

/** go-yaml's node: kind, full tag (`tag:yaml.org,2002:int`, `!foo`, or ''), text, plain-ness. */
export interface YamlNode {
  kind: number;
  tag: string;
  value: string;
  /** True for a plain scalar (or one tagged `!`): its type is resolved from the text. */
  implicit: boolean;
  /** Sequence items, or mapping keys and values alternating. */
  children: YamlNode[];
  /** The anchored node an alias refers to. */
  alias?: YamlNode;
}

// Token types.
const T_STREAM_START = 1;
const T_STREAM_END = 2;
const T_VERSION_DIRECTIVE = 3;
const T_TAG_DIRECTIVE = 4;
const T_DOCUMENT_START = 5;
const T_DOCUMENT_END = 6;
const T_BLOCK_SEQUENCE_START = 7;
const T_BLOCK_MAPPING_START = 8;
const T_BLOCK_END = 9;
const T_FLOW_SEQUENCE_START = 10;
const T_FLOW_SEQUENCE_END = 11;
const T_FLOW_MAPPING_START = 12;
const T_FLOW_MAPPING_END = 13;
const T_BLOCK_ENTRY = 14;
const T_FLOW_ENTRY = 15;
const T_KEY = 16;
const T_VALUE = 17;
const T_ALIAS = 18;
const T_ANCHOR = 19;
const T_TAG = 20;
const T_SCALAR = 21;

// Scalar styles.
const S_PLAIN = 1;
const S_SINGLE = 2;
const S_DOUBLE = 3;
const S_LITERAL = 4;
const S_FOLDED = 5;

interface Token {
  t: number;
  /** Line of the start mark (0-based): all that error messages use. */
  line: number;
  value: string;
  /** Tag suffix (TAG) or directive prefix (TAG-DIRECTIVE). */
  suffix: string;
  style: number;
  major: number;
  minor: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  index: number;
  line: number;
  column: number;
}

function tok(t: number, line: number, value = '', style = 0): Token {
  return { t, line, value, suffix: '', style, major: 0, minor: 0 };
}

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_NEL = 0x85;
const CH_LS = 0x2028;
const CH_PS = 0x2029;

function isBreak(c: number): boolean {
  return c === CH_LF || c === CH_CR || c === CH_NEL || c === CH_LS || c === CH_PS;
}
function isBreakZ(c: number): boolean {
  return c === 0 || isBreak(c);
}
function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}
function isBlankZ(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === 0 || isBreak(c);
}
/** libyaml's is_alpha: [0-9A-Za-z_-]. */
function isAlpha(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function hexVal(c: number): number {
  return c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87;
}

/**
 * The characters the reader refuses (`control characters are not allowed`): everything except
 * tab, LF, CR, printable ASCII, NEL, U+00A0–U+D7FF, U+E000–U+FFFD and U+10000 and above.
 */
const FORBIDDEN_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The scanner: text to tokens, as libyaml's scanner.c (go-yaml's scannerc.go) does it. */
class Scanner {
  private pos = 0;
  /** The mark: character index, line and column (0-based). */
  index = 0;
  line = 0;
  column = 0;

  private flowLevel = 0;
  private indent = -1;
  private indents: number[] = [];
  private simpleKeyAllowed = false;
  private simpleKeys: SimpleKey[] = [];
  private simpleKeysByTok = new Map<number, number>();
  private tokens: Token[] = [];
  private head = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  private streamEndProduced = false;

  constructor(private readonly src: string) {
    // The reader skips a UTF-8 byte order mark at the very start.
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** The code unit at pos+k, 0 past the end (libyaml's buffer ends in NUL). */
  private c(k = 0): number {
    const p = this.pos + k;
    return p < this.src.length ? this.src.charCodeAt(p) : 0;
  }

  /** Advance one character. */
  private skip(): void {
    const c = this.src.charCodeAt(this.pos);
    this.pos += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    this.index++;
    this.column++;
  }

  private skipLine(): void {
    const c = this.c();
    if (c === CH_CR && this.c(1) === CH_LF) {
      this.pos += 2;
      this.index += 2;
      this.column = 0;
      this.line++;
    } else if (isBreak(c)) {
      this.pos++;
      this.index++;
      this.column = 0;
      this.line++;
    }
  }

  /** The current character as a string, and advance. */
  private read(): string {
    const start = this.pos;
    this.skip();
    return this.src.slice(start, this.pos);
  }

  /** A line break, normalised as libyaml does (CR, LF, CRLF, NEL become LF; LS and PS stay). */
  private readLine(): string {
    const c = this.c();
    let s: string;
    if (c === CH_CR && this.c(1) === CH_LF) {
      this.pos += 2;
      this.index++;
      s = '\n';
    } else if (c === CH_CR || c === CH_LF || c === CH_NEL) {
      this.pos++;
      s = '\n';
    } else if (c === CH_LS || c === CH_PS) {
      this.pos++;
      s = String.fromCharCode(c);
    } else {
      return '';
    }
    this.index++;
    this.column = 0;
    this.line++;
    return s;
  }

  /**
   * A scanner error. go-yaml reports the line of the problem mark plus one (scanner marks are
   * 0-based) — unless it is on the first line, then the context mark's line as it is (0-based),
   * and no line at all when that is 0 too.
   */
  private fail(contextLine: number, problem: string): never {
    let line = 0;
    if (this.line !== 0) line = this.line + 1;
    else if (contextLine !== 0) line = contextLine;
    throw new YamlFail((line !== 0 ? `line ${line}: ` : '') + problem);
  }

  // ---- the token queue ----

  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head];
  }

  skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.head].t === T_STREAM_END;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.tokens.length) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }

  private insertToken(pos: number, token: Token): void {
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + pos, 0, token);
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.tokens.length) {
        // Fetch more only while a potential simple key may still turn the head token into a key.
        const idx = this.simpleKeysByTok.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    if (!this.streamStartProduced) {
      this.indent = -1;
      this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, index: 0, line: 0, column: 0 });
      this.simpleKeyAllowed = true;
      this.streamStartProduced = true;
      this.insertToken(-1, tok(T_STREAM_START, this.line));
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.column);

    const c = this.c();
    if (c === 0 && this.pos >= this.src.length) return this.fetchStreamEnd();
    if (this.column === 0) {
      if (c === 37 /* % */) return this.fetchDirective();
      if (c === 45 && this.c(1) === 45 && this.c(2) === 45 && isBlankZ(this.c(3))) return this.fetchDocumentIndicator(T_DOCUMENT_START);
      if (c === 46 && this.c(1) === 46 && this.c(2) === 46 && isBlankZ(this.c(3))) return this.fetchDocumentIndicator(T_DOCUMENT_END);
    }
    switch (c) {
      case 91 /* [ */:
        return this.fetchFlowCollectionStart(T_FLOW_SEQUENCE_START);
      case 123 /* { */:
        return this.fetchFlowCollectionStart(T_FLOW_MAPPING_START);
      case 93 /* ] */:
        return this.fetchFlowCollectionEnd(T_FLOW_SEQUENCE_END);
      case 125 /* } */:
        return this.fetchFlowCollectionEnd(T_FLOW_MAPPING_END);
      case 44 /* , */:
        return this.fetchFlowEntry();
    }
    const next = this.c(1);
    if (c === 45 /* - */ && isBlankZ(next)) return this.fetchBlockEntry();
    if (c === 63 /* ? */ && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchKey();
    if (c === 58 /* : */ && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchValue();
    if (c === 42 /* * */) return this.fetchAnchor(T_ALIAS);
    if (c === 38 /* & */) return this.fetchAnchor(T_ANCHOR);
    if (c === 33 /* ! */) return this.fetchTag();
    if (c === 124 /* | */ && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 62 /* > */ && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 39 /* ' */) return this.fetchFlowScalar(true);
    if (c === 34 /* " */) return this.fetchFlowScalar(false);

    // A plain scalar starts with anything but a blank or an indicator; '-' (and in the block
    // context '?' and ':') may start one when a non-blank follows.
    if (
      !(
        isBlankZ(c) ||
        c === 45 ||
        c === 63 ||
        c === 58 ||
        c === 44 ||
        c === 91 ||
        c === 93 ||
        c === 123 ||
        c === 125 ||
        c === 35 ||
        c === 38 ||
        c === 42 ||
        c === 33 ||
        c === 124 ||
        c === 62 ||
        c === 39 ||
        c === 34 ||
        c === 37 ||
        c === 64 ||
        c === 96
      ) ||
      (c === 45 && !isBlank(next)) ||
      (this.flowLevel === 0 && (c === 63 || c === 58) && !isBlankZ(next))
    ) {
      return this.fetchPlainScalar();
    }
    this.fail(this.line, 'found character that cannot start any token');
  }

  /** go-yaml 2.4's check (made when the key is needed, not on every token): a key must be on one line and within 1024 characters. */
  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.line < this.line || key.index + 1024 < this.index) {
      if (key.required) this.fail(key.line, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (this.simpleKeyAllowed) {
      const key: SimpleKey = {
        possible: true,
        required,
        tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
        index: this.index,
        line: this.line,
        column: this.column,
      };
      this.removeSimpleKey();
      this.simpleKeys[this.simpleKeys.length - 1] = key;
      this.simpleKeysByTok.set(key.tokenNumber, this.simpleKeys.length - 1);
    }
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (key.possible) {
      if (key.required) this.fail(key.line, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      index: this.index,
      line: this.line,
      column: this.column,
    });
    this.flowLevel++;
    if (this.flowLevel > 10000) this.fail(this.line, 'exceeded max depth of 10000');
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.pop()!;
      this.simpleKeysByTok.delete(last.tokenNumber);
    }
  }

  private rollIndent(column: number, number: number, type: number, line: number): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > 10000) this.fail(this.simpleKeys[this.simpleKeys.length - 1].line, 'exceeded max depth of 10000');
      if (number > -1) number -= this.tokensParsed;
      this.insertToken(number, tok(type, line));
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, tok(T_BLOCK_END, this.line));
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, tok(T_STREAM_END, this.line));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: number): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const line = this.line;
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, tok(type, line));
  }

  private fetchFlowCollectionStart(type: number): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const line = this.line;
    this.skip();
    this.insertToken(-1, tok(type, line));
  }

  private fetchFlowCollectionEnd(type: number): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const line = this.line;
    this.skip();
    this.insertToken(-1, tok(type, line));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const line = this.line;
    this.skip();
    this.insertToken(-1, tok(T_FLOW_ENTRY, line));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.fail(0, 'block sequence entries are not allowed in this context');
      this.rollIndent(this.column, -1, T_BLOCK_SEQUENCE_START, this.line);
    }
    // In the flow context the parser reports the misplaced '-'.
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const line = this.line;
    this.skip();
    this.insertToken(-1, tok(T_BLOCK_ENTRY, line));
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.fail(0, 'mapping keys are not allowed in this context');
      this.rollIndent(this.column, -1, T_BLOCK_MAPPING_START, this.line);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const line = this.line;
    this.skip();
    this.insertToken(-1, tok(T_KEY, line));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(key)) {
      // The saved simple key becomes a KEY token (and may open a block mapping) before its scalar.
      this.insertToken(key.tokenNumber - this.tokensParsed, tok(T_KEY, key.line));
      this.rollIndent(key.column, key.tokenNumber, T_BLOCK_MAPPING_START, key.line);
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      // ':' after a complex key ('?').
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.fail(0, 'mapping values are not allowed in this context');
        this.rollIndent(this.column, -1, T_BLOCK_MAPPING_START, this.line);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const line = this.line;
    this.skip();
    this.insertToken(-1, tok(T_VALUE, line));
  }

  private fetchAnchor(type: number): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  /** Whitespace and comments up to the next token. Tabs are skipped only in flow context or where no simple key may start. */
  private scanToNextToken(): void {
    for (;;) {
      let c = this.c();
      while (c === CH_SPACE || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && c === CH_TAB)) {
        this.skip();
        c = this.c();
      }
      if (c === 35 /* # */) {
        while (!isBreakZ(this.c())) this.skip();
        c = this.c();
      }
      if (isBreak(c)) {
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  private scanDirective(): Token {
    const startLine = this.line;
    this.skip();
    let name = '';
    while (isAlpha(this.c())) name += this.read();
    if (name === '') this.fail(startLine, 'could not find expected directive name');
    if (!isBlankZ(this.c())) this.fail(startLine, 'found unexpected non-alphabetical character');
    let token: Token;
    if (name === 'YAML') {
      while (isBlank(this.c())) this.skip();
      const major = this.scanVersionNumber(startLine);
      if (this.c() !== 46) this.fail(startLine, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionNumber(startLine);
      token = tok(T_VERSION_DIRECTIVE, startLine);
      token.major = major;
      token.minor = minor;
    } else if (name === 'TAG') {
      while (isBlank(this.c())) this.skip();
      const handle = this.scanTagHandle(true, startLine);
      if (!isBlank(this.c())) this.fail(startLine, 'did not find expected whitespace');
      while (isBlank(this.c())) this.skip();
      const prefix = this.scanTagUri(true, '', startLine);
      if (!isBlankZ(this.c())) this.fail(startLine, 'did not find expected whitespace or line break');
      token = tok(T_TAG_DIRECTIVE, startLine, handle);
      token.suffix = prefix;
    } else {
      this.fail(startLine, 'found unknown directive name');
    }
    while (isBlank(this.c())) this.skip();
    if (this.c() === 35) {
      while (!isBreakZ(this.c())) this.skip();
    }
    if (!isBreakZ(this.c())) this.fail(startLine, 'did not find expected comment or line break');
    if (isBreak(this.c())) this.skipLine();
    return token;
  }

  private scanVersionNumber(startLine: number): number {
    let value = 0;
    let length = 0;
    while (isDigit(this.c())) {
      length++;
      if (length > 2) this.fail(startLine, 'found extremely long version number');
      value = value * 10 + (this.c() - 48);
      this.skip();
    }
    if (length === 0) this.fail(startLine, 'did not find expected version number');
    return value;
  }

  private scanAnchor(type: number): Token {
    const startLine = this.line;
    this.skip();
    let s = '';
    while (isAlpha(this.c())) s += this.read();
    const c = this.c();
    if (s === '' || !(isBlankZ(c) || c === 63 || c === 58 || c === 44 || c === 93 || c === 125 || c === 37 || c === 64 || c === 96)) {
      this.fail(startLine, 'did not find expected alphabetic or numeric character');
    }
    return tok(type, startLine, s);
  }

  private scanTag(): Token {
    const startLine = this.line;
    let handle: string;
    let suffix: string;
    if (this.c(1) === 60 /* < */) {
      this.skip();
      this.skip();
      handle = '';
      suffix = this.scanTagUri(false, '', startLine);
      if (this.c() !== 62) this.fail(startLine, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, startLine);
      if (handle.length > 1 && handle[0] === '!' && handle[handle.length - 1] === '!') {
        suffix = this.scanTagUri(false, '', startLine);
      } else {
        // Not a handle after all: the rest is the suffix of the primary handle.
        suffix = this.scanTagUri(false, handle, startLine);
        handle = '!';
        if (suffix === '') {
          // The non-specific tag '!'.
          handle = '';
          suffix = '!';
        }
      }
    }
    if (!isBlankZ(this.c())) this.fail(startLine, 'did not find expected whitespace or line break');
    const t = tok(T_TAG, startLine, handle);
    t.suffix = suffix;
    return t;
  }

  private scanTagHandle(directive: boolean, startLine: number): string {
    if (this.c() !== 33) this.fail(startLine, "did not find expected '!'");
    let s = this.read();
    while (isAlpha(this.c())) s += this.read();
    if (this.c() === 33) {
      s += this.read();
    } else if (directive && s !== '!') {
      this.fail(startLine, "did not find expected '!'");
    }
    return s;
  }

  private scanTagUri(directive: boolean, head: string, startLine: number): string {
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    for (;;) {
      const c = this.c();
      if (
        !(
          isAlpha(c) ||
          c === 59 || // ;
          c === 47 || // /
          c === 63 || // ?
          c === 58 || // :
          c === 64 || // @
          c === 38 || // &
          c === 61 || // =
          c === 43 || // +
          c === 36 || // $
          c === 44 || // ,
          c === 46 || // .
          c === 33 || // !
          c === 126 || // ~
          c === 42 || // *
          c === 39 || // '
          c === 40 || // (
          c === 41 || // )
          c === 91 || // [
          c === 93 || // ]
          c === 37 // %
        )
      ) {
        break;
      }
      if (c === 37) s += this.scanUriEscapes(startLine);
      else s += this.read();
      hasTag = true;
    }
    if (!hasTag) this.fail(startLine, 'did not find expected tag URI');
    void directive;
    return s;
  }

  /** %XX escapes of one UTF-8 character. */
  private scanUriEscapes(startLine: number): string {
    const bytes: number[] = [];
    let w = 1024;
    while (w > 0) {
      if (!(this.c() === 37 && isHex(this.c(1)) && isHex(this.c(2)))) this.fail(startLine, 'did not find URI escaped octet');
      const octet = (hexVal(this.c(1)) << 4) + hexVal(this.c(2));
      if (w === 1024) {
        w = octet < 0x80 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (w === 0) this.fail(startLine, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        this.fail(startLine, 'found an incorrect trailing UTF-8 octet');
      }
      bytes.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return Buffer.from(bytes).toString('utf8');
  }

  private scanBlockScalar(literal: boolean): Token {
    const startLine = this.line;
    this.skip();
    let chomping = 0;
    let increment = 0;
    let c = this.c();
    if (c === 43 || c === 45) {
      chomping = c === 43 ? 1 : -1;
      this.skip();
      if (isDigit(this.c())) {
        if (this.c() === 48) this.fail(startLine, 'found an indentation indicator equal to 0');
        increment = this.c() - 48;
        this.skip();
      }
    } else if (isDigit(c)) {
      if (c === 48) this.fail(startLine, 'found an indentation indicator equal to 0');
      increment = c - 48;
      this.skip();
      c = this.c();
      if (c === 43 || c === 45) {
        chomping = c === 43 ? 1 : -1;
        this.skip();
      }
    }
    while (isBlank(this.c())) this.skip();
    if (this.c() === 35) {
      while (!isBreakZ(this.c())) this.skip();
    }
    if (!isBreakZ(this.c())) this.fail(startLine, 'did not find expected comment or line break');
    if (isBreak(this.c())) this.skipLine();

    const state = { indent: 0, breaks: '' };
    if (increment > 0) state.indent = this.indent >= 0 ? this.indent + increment : increment;
    this.scanBlockScalarBreaks(state, startLine);

    let s = '';
    let leadingBreak = '';
    let leadingBlank = false;
    while (this.column === state.indent && !this.atEnd()) {
      // The start of a non-empty line.
      const trailingBlank = isBlank(this.c());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.length > 0 && leadingBreak[0] === '\n') {
        // Folded: a single line break between two lines becomes a space.
        if (state.breaks.length === 0) s += ' ';
      } else {
        s += leadingBreak;
      }
      leadingBreak = '';
      s += state.breaks;
      state.breaks = '';
      leadingBlank = isBlank(this.c());
      const lineStart = this.pos;
      while (!isBreakZ(this.c())) this.skip();
      s += this.src.slice(lineStart, this.pos);
      leadingBreak = this.readLine();
      this.scanBlockScalarBreaks(state, startLine);
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += state.breaks;
    return tok(T_SCALAR, startLine, s, literal ? S_LITERAL : S_FOLDED);
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  /** Indentation and empty lines before a block scalar's line; settles the indentation when not given. */
  private scanBlockScalarBreaks(state: { indent: number; breaks: string }, startLine: number): void {
    let maxIndent = 0;
    for (;;) {
      while ((state.indent === 0 || this.column < state.indent) && this.c() === CH_SPACE) this.skip();
      if (this.column > maxIndent) maxIndent = this.column;
      if ((state.indent === 0 || this.column < state.indent) && this.c() === CH_TAB) {
        this.fail(startLine, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(this.c())) break;
      state.breaks += this.readLine();
    }
    if (state.indent === 0) {
      state.indent = maxIndent;
      if (state.indent < this.indent + 1) state.indent = this.indent + 1;
      if (state.indent < 1) state.indent = 1;
    }
  }

  private scanFlowScalar(single: boolean): Token {
    const startLine = this.line;
    this.skip();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    for (;;) {
      const c0 = this.c();
      if (
        this.column === 0 &&
        ((c0 === 45 && this.c(1) === 45 && this.c(2) === 45) || (c0 === 46 && this.c(1) === 46 && this.c(2) === 46)) &&
        isBlankZ(this.c(3))
      ) {
        this.fail(startLine, 'found unexpected document indicator');
      }
      if (this.atEnd()) this.fail(startLine, 'found unexpected end of stream');

      let leadingBlanks = false;
      while (!isBlankZ(this.c())) {
        const c = this.c();
        if (single && c === 39 && this.c(1) === 39) {
          s += "'";
          this.skip();
          this.skip();
        } else if (single && c === 39) {
          break;
        } else if (!single && c === 34) {
          break;
        } else if (!single && c === 92 && isBreak(this.c(1))) {
          // An escaped line break.
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 92) {
          s += this.scanEscape(startLine);
        } else {
          s += this.read();
        }
      }
      const c = this.c();
      if (single ? c === 39 : c === 34) break;

      // Blanks and line breaks inside the scalar.
      for (;;) {
        const b = this.c();
        if (isBlank(b)) {
          if (!leadingBlanks) whitespaces += this.read();
          else this.skip();
        } else if (isBreak(b)) {
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        } else {
          break;
        }
      }
      if (leadingBlanks) {
        if (leadingBreak.length > 0 && leadingBreak[0] === '\n') {
          s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
        } else {
          s += leadingBreak + trailingBreaks;
        }
        trailingBreaks = '';
        leadingBreak = '';
      } else {
        s += whitespaces;
        whitespaces = '';
      }
    }
    this.skip();
    return tok(T_SCALAR, startLine, s, single ? S_SINGLE : S_DOUBLE);
  }

  /** One escape sequence of a double-quoted scalar (at the backslash). */
  private scanEscape(startLine: number): string {
    let codeLength = 0;
    let out = '';
    switch (this.c(1)) {
      case 48:
        out = '\0';
        break;
      case 97:
        out = '\x07';
        break;
      case 98:
        out = '\b';
        break;
      case 116:
      case CH_TAB:
        out = '\t';
        break;
      case 110:
        out = '\n';
        break;
      case 118:
        out = '\v';
        break;
      case 102:
        out = '\f';
        break;
      case 114:
        out = '\r';
        break;
      case 101:
        out = '\x1b';
        break;
      case 32:
        out = ' ';
        break;
      case 34:
        out = '"';
        break;
      case 39:
        out = "'";
        break;
      case 92:
        out = '\\';
        break;
      case 78:
        out = '\u0085';
        break;
      case 95:
        out = '\u00a0';
        break;
      case 76:
        out = '\u2028';
        break;
      case 80:
        out = '\u2029';
        break;
      case 120:
        codeLength = 2;
        break;
      case 117:
        codeLength = 4;
        break;
      case 85:
        codeLength = 8;
        break;
      default:
        this.fail(startLine, 'found unknown escape character');
    }
    this.skip();
    this.skip();
    if (codeLength > 0) {
      let value = 0;
      for (let k = 0; k < codeLength; k++) {
        const h = this.c(k);
        if (!isHex(h)) this.fail(startLine, 'did not find expected hexdecimal number');
        value = value * 16 + hexVal(h);
      }
      if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
        this.fail(startLine, 'found invalid Unicode character escape code');
      }
      out = String.fromCodePoint(value);
      for (let k = 0; k < codeLength; k++) this.skip();
    }
    return out;
  }

  private scanPlainScalar(): Token {
    const startLine = this.line;
    const indent = this.indent + 1;
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const src = this.src;
    for (;;) {
      const c0 = this.c();
      if (
        this.column === 0 &&
        ((c0 === 45 && this.c(1) === 45 && this.c(2) === 45) || (c0 === 46 && this.c(1) === 46 && this.c(2) === 46)) &&
        isBlankZ(this.c(3))
      ) {
        break;
      }
      if (c0 === 35) break;

      let runStart = -1;
      while (!isBlankZ(this.c())) {
        const c = this.c();
        if (
          (c === 58 && isBlankZ(this.c(1))) ||
          (this.flowLevel > 0 && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125))
        ) {
          break;
        }
        if (leadingBlanks || whitespaces.length > 0) {
          if (runStart >= 0) {
            s += src.slice(runStart, this.pos);
            runStart = -1;
          }
          if (leadingBlanks) {
            // Fold line breaks: one becomes a space, more keep all but the first.
            if (leadingBreak[0] === '\n') s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
            else s += leadingBreak + trailingBreaks;
            trailingBreaks = '';
            leadingBreak = '';
            leadingBlanks = false;
          } else {
            s += whitespaces;
            whitespaces = '';
          }
        }
        if (runStart < 0) runStart = this.pos;
        this.skip();
      }
      if (runStart >= 0) s += src.slice(runStart, this.pos);

      const c = this.c();
      if (!(isBlank(c) || isBreak(c))) break;

      for (;;) {
        const b = this.c();
        if (isBlank(b)) {
          if (leadingBlanks && this.column < indent && b === CH_TAB) {
            this.fail(startLine, 'found a tab character that violates indentation');
          }
          if (!leadingBlanks) whitespaces += this.read();
          else this.skip();
        } else if (isBreak(b)) {
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        } else {
          break;
        }
      }
      if (this.flowLevel === 0 && this.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return tok(T_SCALAR, startLine, s, S_PLAIN);
  }
}

const DEFAULT_TAGS: [string, string][] = [
  ['!', '!'],
  ['!!', 'tag:yaml.org,2002:'],
];

/**
 * The parser (libyaml's parser.c as a recursive descent that peeks and skips tokens in the same
 * order as its state machine, so errors surface at the same token) building go-yaml's nodes.
 */
class Parser {
  private readonly s: Scanner;
  private tagDirectives: [string, string][] = [];
  private anchors = new Map<string, YamlNode>();

  constructor(text: string) {
    this.s = new Scanner(text);
  }

  /** A parser error: the problem token's line as it is (0-based), else the context's. */
  private fail(problem: string, problemLine: number, contextLine = 0): never {
    const line = problemLine !== 0 ? problemLine : contextLine;
    throw new YamlFail((line !== 0 ? `line ${line}: ` : '') + problem);
  }

  /** The first document's root node, or undefined for a stream without documents. */
  parseFirstDocument(): YamlNode | undefined {
    const s = this.s;
    let token = s.peek(); // STREAM-START
    s.skipToken();
    token = s.peek();
    let root: YamlNode;
    if (token.t !== T_VERSION_DIRECTIVE && token.t !== T_TAG_DIRECTIVE && token.t !== T_DOCUMENT_START && token.t !== T_STREAM_END) {
      // An implicit document.
      this.processDirectives();
      root = this.parseNode(true, false);
    } else if (token.t !== T_STREAM_END) {
      this.processDirectives();
      token = s.peek();
      if (token.t !== T_DOCUMENT_START) this.fail('did not find expected <document start>', token.line);
      s.skipToken();
      token = s.peek();
      if (
        token.t === T_VERSION_DIRECTIVE ||
        token.t === T_TAG_DIRECTIVE ||
        token.t === T_DOCUMENT_START ||
        token.t === T_DOCUMENT_END ||
        token.t === T_STREAM_END
      ) {
        root = emptyScalar();
      } else {
        root = this.parseNode(true, false);
      }
    } else {
      return undefined;
    }
    // DOCUMENT-END: peek past the content (go-yaml stops here; later documents are never read).
    token = s.peek();
    if (token.t === T_DOCUMENT_END) s.skipToken();
    return root;
  }

  private processDirectives(): void {
    const s = this.s;
    let token = s.peek();
    let sawVersion = false;
    while (token.t === T_VERSION_DIRECTIVE || token.t === T_TAG_DIRECTIVE) {
      if (token.t === T_VERSION_DIRECTIVE) {
        if (sawVersion) this.fail('found duplicate %YAML directive', token.line);
        if (token.major !== 1 || token.minor !== 1) this.fail('found incompatible YAML document', token.line);
        sawVersion = true;
      } else {
        if (this.tagDirectives.some((d) => d[0] === token.value)) this.fail('found duplicate %TAG directive', token.line);
        this.tagDirectives.push([token.value, token.suffix]);
      }
      s.skipToken();
      token = s.peek();
    }
    for (const d of DEFAULT_TAGS) {
      if (!this.tagDirectives.some((x) => x[0] === d[0])) this.tagDirectives.push(d);
    }
  }

  private parseNode(block: boolean, indentlessSequence: boolean): YamlNode {
    const s = this.s;
    let token = s.peek();
    if (token.t === T_ALIAS) {
      s.skipToken();
      const target = this.anchors.get(token.value);
      if (!target) throw new YamlFail(`unknown anchor '${token.value}' referenced`);
      return { kind: ALIAS, tag: '', value: token.value, implicit: false, children: [], alias: target };
    }
    let startLine = token.line;
    let anchor: string | undefined;
    let tagToken: Token | undefined;
    if (token.t === T_ANCHOR) {
      anchor = token.value;
      s.skipToken();
      token = s.peek();
      if (token.t === T_TAG) {
        tagToken = token;
        s.skipToken();
        token = s.peek();
      }
    } else if (token.t === T_TAG) {
      tagToken = token;
      startLine = token.line;
      s.skipToken();
      token = s.peek();
      if (token.t === T_ANCHOR) {
        anchor = token.value;
        s.skipToken();
        token = s.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagToken.value === '') {
        tag = tagToken.suffix;
      } else {
        const d = this.tagDirectives.find((x) => x[0] === tagToken!.value);
        if (d) tag = d[1] + tagToken.suffix;
        if (tag === '') this.fail('found undefined tag handle', tagToken.line, startLine);
      }
    }

    let node: YamlNode;
    if (indentlessSequence && token.t === T_BLOCK_ENTRY) {
      node = { kind: SEQUENCE, tag, value: '', implicit: false, children: [] };
      if (anchor !== undefined) this.anchors.set(anchor, node);
      this.parseIndentlessSequence(node);
      return node;
    }
    if (token.t === T_SCALAR) {
      const plainImplicit = (tag === '' && token.style === S_PLAIN) || tag === '!';
      node = { kind: SCALAR, tag, value: token.value, implicit: plainImplicit, children: [] };
      if (anchor !== undefined) this.anchors.set(anchor, node);
      s.skipToken();
      return node;
    }
    if (token.t === T_FLOW_SEQUENCE_START) {
      node = { kind: SEQUENCE, tag, value: '', implicit: false, children: [] };
      if (anchor !== undefined) this.anchors.set(anchor, node);
      this.parseFlowSequence(node);
      return node;
    }
    if (token.t === T_FLOW_MAPPING_START) {
      node = { kind: MAPPING, tag, value: '', implicit: false, children: [] };
      if (anchor !== undefined) this.anchors.set(anchor, node);
      this.parseFlowMapping(node);
      return node;
    }
    if (block && token.t === T_BLOCK_SEQUENCE_START) {
      node = { kind: SEQUENCE, tag, value: '', implicit: false, children: [] };
      if (anchor !== undefined) this.anchors.set(anchor, node);
      this.parseBlockSequence(node);
      return node;
    }
    if (block && token.t === T_BLOCK_MAPPING_START) {
      node = { kind: MAPPING, tag, value: '', implicit: false, children: [] };
      if (anchor !== undefined) this.anchors.set(anchor, node);
      this.parseBlockMapping(node);
      return node;
    }
    if (anchor !== undefined || tag !== '') {
      // An anchored or tagged empty scalar.
      node = { kind: SCALAR, tag, value: '', implicit: tag === '', children: [] };
      if (anchor !== undefined) this.anchors.set(anchor, node);
      return node;
    }
    return this.fail('did not find expected node content', token.line, startLine);
  }

  private parseBlockSequence(node: YamlNode): void {
    const s = this.s;
    const markLine = s.peek().line;
    s.skipToken();
    for (;;) {
      let token = s.peek();
      if (token.t === T_BLOCK_ENTRY) {
        s.skipToken();
        token = s.peek();
        if (token.t !== T_BLOCK_ENTRY && token.t !== T_BLOCK_END) node.children.push(this.parseNode(true, false));
        else node.children.push(emptyScalar());
      } else if (token.t === T_BLOCK_END) {
        s.skipToken();
        return;
      } else {
        this.fail("did not find expected '-' indicator", token.line, markLine);
      }
    }
  }

  private parseIndentlessSequence(node: YamlNode): void {
    const s = this.s;
    for (;;) {
      let token = s.peek();
      if (token.t !== T_BLOCK_ENTRY) return;
      s.skipToken();
      token = s.peek();
      if (token.t !== T_BLOCK_ENTRY && token.t !== T_KEY && token.t !== T_VALUE && token.t !== T_BLOCK_END) {
        node.children.push(this.parseNode(true, false));
      } else {
        node.children.push(emptyScalar());
      }
    }
  }

  private parseBlockMapping(node: YamlNode): void {
    const s = this.s;
    const markLine = s.peek().line;
    s.skipToken();
    for (;;) {
      let token = s.peek();
      if (token.t === T_KEY) {
        s.skipToken();
        token = s.peek();
        if (token.t !== T_KEY && token.t !== T_VALUE && token.t !== T_BLOCK_END) node.children.push(this.parseNode(true, true));
        else node.children.push(emptyScalar());
      } else if (token.t === T_BLOCK_END) {
        s.skipToken();
        return;
      } else {
        this.fail('did not find expected key', token.line, markLine);
      }
      // The value.
      token = s.peek();
      if (token.t === T_VALUE) {
        s.skipToken();
        token = s.peek();
        if (token.t !== T_KEY && token.t !== T_VALUE && token.t !== T_BLOCK_END) node.children.push(this.parseNode(true, true));
        else node.children.push(emptyScalar());
      } else {
        node.children.push(emptyScalar());
      }
    }
  }

  private parseFlowSequence(node: YamlNode): void {
    const s = this.s;
    const markLine = s.peek().line;
    s.skipToken();
    let first = true;
    for (;;) {
      let token = s.peek();
      if (token.t !== T_FLOW_SEQUENCE_END) {
        if (!first) {
          if (token.t === T_FLOW_ENTRY) {
            s.skipToken();
            token = s.peek();
          } else {
            this.fail("did not find expected ',' or ']'", token.line, markLine);
          }
        }
        first = false;
        if (token.t === T_KEY) {
          // A single-pair mapping inside the sequence: [a: b].
          const pair: YamlNode = { kind: MAPPING, tag: '', value: '', implicit: false, children: [] };
          s.skipToken();
          token = s.peek();
          if (token.t !== T_VALUE && token.t !== T_FLOW_ENTRY && token.t !== T_FLOW_SEQUENCE_END) {
            pair.children.push(this.parseNode(false, false));
          } else {
            // libyaml consumes this token here, whatever it is.
            s.skipToken();
            pair.children.push(emptyScalar());
          }
          token = s.peek();
          if (token.t === T_VALUE) {
            s.skipToken();
            token = s.peek();
            if (token.t !== T_FLOW_ENTRY && token.t !== T_FLOW_SEQUENCE_END) pair.children.push(this.parseNode(false, false));
            else pair.children.push(emptyScalar());
          } else {
            pair.children.push(emptyScalar());
          }
          s.peek();
          node.children.push(pair);
          continue;
        }
        if (token.t !== T_FLOW_SEQUENCE_END) {
          node.children.push(this.parseNode(false, false));
          continue;
        }
      }
      s.skipToken();
      return;
    }
  }

  private parseFlowMapping(node: YamlNode): void {
    const s = this.s;
    const markLine = s.peek().line;
    s.skipToken();
    let first = true;
    for (;;) {
      let token = s.peek();
      if (token.t !== T_FLOW_MAPPING_END) {
        if (!first) {
          if (token.t === T_FLOW_ENTRY) {
            s.skipToken();
            token = s.peek();
          } else {
            this.fail("did not find expected ',' or '}'", token.line, markLine);
          }
        }
        first = false;
        if (token.t === T_KEY) {
          s.skipToken();
          token = s.peek();
          if (token.t !== T_VALUE && token.t !== T_FLOW_ENTRY && token.t !== T_FLOW_MAPPING_END) {
            node.children.push(this.parseNode(false, false));
          } else {
            node.children.push(emptyScalar());
          }
          token = s.peek();
          if (token.t === T_VALUE) {
            s.skipToken();
            token = s.peek();
            if (token.t !== T_FLOW_ENTRY && token.t !== T_FLOW_MAPPING_END) node.children.push(this.parseNode(false, false));
            else node.children.push(emptyScalar());
          } else {
            node.children.push(emptyScalar());
          }
          continue;
        }
        if (token.t !== T_FLOW_MAPPING_END) {
          // A key without ':' (`{a, b}`): its value is empty.
          node.children.push(this.parseNode(false, false));
          s.peek();
          node.children.push(emptyScalar());
          continue;
        }
      }
      s.skipToken();
      return;
    }
  }
}

function emptyScalar(): YamlNode {
  return { kind: SCALAR, tag: '', value: '', implicit: true, children: [] };
}

/**
 * Parses the first document of `text` as go-yaml v2 does; undefined for a stream without a
 * document (empty, comments only). Throws YamlFail.
 */
export function parseYamlNode(text: string): YamlNode | undefined {
  // The reader refuses control characters (it decodes ahead of the scanner, so this comes first).
  if (FORBIDDEN_CHARS.test(text)) throw new YamlFail('control characters are not allowed');
  // go-yaml reads an empty input as a single line break.
  return new Parser(text.length === 0 ? '\n' : text).parseFirstDocument();
}
