/**
 * sigs.k8s.io/yaml's Marshal as Helm's toYaml runs it: json.Marshal of the value, go-yaml v2
 * reading that JSON back (so numbers become ints or floats again, map keys are strings), and
 * go-yaml v2's emitter (emitterc.go) writing it: 2-space indentation, sequences not indented under
 * their key, keys sorted in go-yaml's "natural" order (`a2` before `a10`), strings quoted only when
 * they would read back as something else, long strings folded at column 80, multi-line strings as
 * literal blocks, non-printable characters (and every astral character) in double quotes.
 *
 * The value is walked once; the emitter's state (column, indentation, whitespace, indention) is
 * kept as libyaml keeps it so the output is byte for byte go-yaml's.
 */
import { formatFloat } from './fmt';
import { jsonFloat, marshalJSON, wellFormed } from './gojson';
import { FLOAT_TAG, INT_TAG, NULL_TAG, BOOL_TAG, isBase60Float, parseGoInt, parseGoUint, resolve, resolvesToNonString } from './goyamlResolve';
import { MAPPING, SEQUENCE, YamlFail, YamlNode, parseYamlNode } from './goyamlScan';
import { GoError, GoFloat32, GoFunc, GoInt, GoMap, GoPanic, GoStruct, Value, isGoMap } from './value';
import { noteStackOverflow } from './stackBudget';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

const PLAIN = 1;
const SINGLE = 2;
const DOUBLE = 3;
const LITERAL = 4;

/** A scalar to emit: its text and the style the encoder asks for. */
interface Scalar {
  text: string;
  style: number;
}

/** emitter.scalar_data: what yaml_emitter_analyze_scalar found. */
interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function isBreakCp(c: number): boolean {
  return c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/** libyaml's is_printable, by code point: LF, printable ASCII, U+00A0–U+D7FF, U+E000–U+FFFD but not the BOM; nothing astral. */
function isPrintableCp(c: number): boolean {
  return c === 10 || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function analyze(value: string, v3 = false): Analysis {
  if (value.length === 0) return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let tabs = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;

  if (value.startsWith('---') || value.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  const n = value.length;
  for (let i = 0; i < n; ) {
    const c = codePointAt(value, i);
    const w = c > 0xffff ? 2 : 1;
    const next = i + w < n ? value.charCodeAt(i + w) : -1;
    const followedByWhitespace = next === -1 || next === 32 || next === 9;
    if (i === 0) {
      switch (c) {
        case 35: // #
        case 44: // ,
        case 91: // [
        case 93: // ]
        case 123: // {
        case 125: // }
        case 38: // &
        case 42: // *
        case 33: // !
        case 124: // |
        case 62: // >
        case 39: // '
        case 34: // "
        case 37: // %
        case 64: // @
        case 96: // `
          flowIndicators = true;
          blockIndicators = true;
          break;
        case 63: // ?
        case 58: // :
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 45: // -
          if (followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    } else {
      switch (c) {
        case 44:
        case 63:
        case 91:
        case 93:
        case 123:
        case 125:
          flowIndicators = true;
          break;
        case 58:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 35:
          if (precededByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    }
    if (v3 && c === 9) tabs = true;
    else if (!isPrintableCp(c)) special = true;
    if (c === 32) {
      if (i === 0) leadingSpace = true;
      if (i + w === n) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCp(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + w === n) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = c === 32 || c === 9 || c === 0 || isBreakCp(c);
    i += w;
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
  }
  if (spaceBreak || special || tabs) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
  }
  // yaml.v3: a tab rules out plain and single quotes but not a literal block.
  if (spaceBreak || special) a.block = false;
  if (lineBreaks) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

// ---- go-yaml's map key order (sorter.go) ----

function isLetterCp(c: number): boolean {
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return /\p{L}/u.test(String.fromCodePoint(c));
}
function isDigitCp(c: number): boolean {
  if (c < 0x80) return c >= 48 && c <= 57;
  return /\p{Nd}/u.test(String.fromCodePoint(c));
}

function toCodePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = codePointAt(s, i);
    if (c > 0xffff) i++;
    out.push(c);
  }
  return out;
}

/** Accumulates a run of digits as go-yaml does (int64 arithmetic that may wrap). */
function digitRun(r: number[], from: number, start: bigint): { n: bigint; end: number } {
  let n = start;
  let i = from;
  for (; i < r.length && isDigitCp(r[i]); i++) n = BigInt.asIntN(64, n * 10n + BigInt(r[i] - 48));
  return { n, end: i };
}

/** keyList.Less for two strings: letters compare as letters, runs of digits as numbers. */
function yamlKeyLess(ar: number[], br: number[], v3: boolean): boolean {
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigitCp(ar[i]);
      continue;
    }
    const al = isLetterCp(ar[i]);
    const bl = isLetterCp(br[i]);
    if (al && bl) return ar[i] < br[i];
    // yaml.v3: after a digit, a letter sorts first ("a1b" before "a1-").
    if (al || bl) return v3 && digits ? al : bl;
    let start = 0n;
    if (ar[i] === 48 || br[i] === 48) {
      for (let j = i - 1; j >= 0 && isDigitCp(ar[j]); j--) {
        if (ar[j] !== 48) {
          start = 1n;
          break;
        }
      }
    }
    const x = digitRun(ar, i, start);
    const y = digitRun(br, i, start);
    if (x.n !== y.n) return x.n < y.n;
    if (x.end !== y.end) return x.end < y.end;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function simpleAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Letters only: digits, and all other characters, need the full comparison.
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

/** Keys in go-yaml's order (yaml.v3's variant with `v3`). */
export function sortYamlKeys(keys: string[], v3 = false): string[] {
  if (keys.every(simpleAscii)) return keys.sort();
  const decorated = keys.map((k) => ({ k, r: toCodePoints(k) }));
  decorated.sort((a, b) => (a.k === b.k ? 0 : yamlKeyLess(a.r, b.r, v3) ? -1 : 1));
  return decorated.map((d) => d.k);
}

// ---- the value as JSON then YAML would see it ----

/** A number as json.Marshal prints it and go-yaml reads it back and prints it (int, uint64 or float64). */
function numberText(jsonText: string): string {
  if (!/[.eE]/.test(jsonText)) {
    // An integer literal: int64, else uint64, else a float64.
    const i = parseGoInt(jsonText);
    if (i !== undefined) return i.toString();
    const u = parseGoUint(jsonText);
    if (u !== undefined) return u.toString();
  }
  return formatFloat(Number(jsonText));
}

function floatText(f: number): string {
  // Fast path: integral floats below 2^53 print as their digits in both JSON and YAML.
  if (Number.isInteger(f) && Math.abs(f) < 9007199254740992) return f === 0 ? '0' : String(f);
  return numberText(jsonFloat(f));
}

/** The scalar go-yaml's encoder makes of a string (encode.go stringv). */
function stringScalar(s: string): Scalar {
  let style: number;
  if (s.indexOf('\n') >= 0) style = LITERAL;
  else if (!resolvesToNonString(s) && !isBase60Float(s)) style = PLAIN;
  else style = DOUBLE;
  return { text: s, style };
}

/**
 * Thrown when the direct walk cannot stand in for the JSON round trip: a string holds a character
 * go-yaml's reader refuses or reads as a line break inside the JSON text (U+007F–U+009F, U+FFFE,
 * U+FFFF: json.Marshal leaves them raw), or a key is too long for a simple key (1024 characters).
 */
class NeedsRoundTrip extends Error {}

const RAW_IN_JSON = /[\x7f-\x9f\ufffe\uffff]/;

class Emitter {
  out = '';
  private readonly width: number;
  /**
   * `direct`: walk the value in place of the JSON round trip (else the value already is what
   * go-yaml read back). `v3`: yaml.v3's encoder on the value itself (toYamlPretty).
   */
  constructor(
    private readonly direct: boolean,
    private readonly v3 = false,
  ) {
    // yaml.v3 leaves the width unset: no folding.
    this.width = v3 ? Infinity : BEST_WIDTH;
  }
  private column = 0;
  private indent = -1;
  private indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;

  // ---- writers (emitterc.go) ----

  private put(s: string): void {
    this.out += s;
    this.column += s.length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) {
      this.out += ' '.repeat(indent - this.column);
      this.column = indent;
    }
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(ind);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  // ---- nodes ----

  document(v: Value): void {
    this.node(v, false, false);
    // Document end (implicit): a final line break.
    this.indent = -1;
    this.writeIndent();
  }

  private node(v: Value, mapping: boolean, simpleKey: boolean): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (this.v3) return this.nodeV3(v, mapping, simpleKey);

    if (v === undefined || v === null) return this.scalar({ text: 'null', style: PLAIN }, analyze('null'));
    switch (typeof v) {
      case 'string': {
        if (this.direct && RAW_IN_JSON.test(v)) throw new NeedsRoundTrip();
        const s = wellFormed(v);
        return this.scalar(stringScalar(s), analyze(s));
      }
      case 'boolean': {
        const t = v ? 'true' : 'false';
        return this.scalar({ text: t, style: PLAIN }, analyze(t));
      }
      case 'number': {
        const t = floatText(v);
        return this.scalar({ text: t, style: PLAIN }, analyze(t));
      }
    }
    if (v instanceof GoInt) {
      const t = v.v.toString();
      return this.scalar({ text: t, style: PLAIN }, analyze(t));
    }
    if (v instanceof GoFloat32) {
      const t = numberText(jsonFloat(v.v, 32));
      return this.scalar({ text: t, style: PLAIN }, analyze(t));
    }
    if (v instanceof Uint8Array) {
      const s = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
      return this.scalar(stringScalar(s), analyze(s));
    }
    if (Array.isArray(v)) return this.sequence(v);
    if (v instanceof GoFunc) throw new GoError('json: unsupported type: func()');
    if (v instanceof GoStruct) return this.node(v.jsonValue(), mapping, simpleKey);
    if (isGoMap(v)) return this.mapping(v);
    return this.scalar({ text: 'null', style: PLAIN }, analyze('null'));
  }

  /** yaml.v3's marshal of the value itself: floats in %g form (`1e+07`), []byte as a list of numbers. */
  private nodeV3(v: Value, mapping: boolean, simpleKey: boolean): void {
    if (v === undefined || v === null) return this.plain('null');
    switch (typeof v) {
      case 'string': {
        const s = wellFormed(v);
        return this.scalar(stringScalar(s), analyze(s, true));
      }
      case 'boolean':
        return this.plain(v ? 'true' : 'false');
      case 'number':
        return this.plain(yamlFloat(v, 64));
    }
    if (v instanceof GoInt) return this.plain(v.v.toString());
    if (v instanceof GoFloat32) return this.plain(yamlFloat(v.v, 32));
    if (v instanceof Uint8Array) return this.sequence(Array.from(v, (b) => new GoInt(BigInt(b), 'uint8')));
    if (Array.isArray(v)) return this.sequence(v);
    if (v instanceof GoFunc) throw new GoPanic('cannot marshal type: func()');
    if (v instanceof GoStruct) return this.nodeV3(v.asMap() ?? v.jsonValue(), mapping, simpleKey);
    if (isGoMap(v)) return this.mapping(v);
    return this.plain('null');
  }

  private plain(t: string): void {
    this.scalar({ text: t, style: PLAIN }, analyze(t, this.v3));
  }

  private sequence(items: Value[]): void {
    if (items.length === 0 || this.flowLevel > 0) {
      this.writeIndicator('[', true, true, false);
      this.writeIndicator(']', false, false, false);
      return;
    }
    // go-yaml v2 writes a sequence under a key at the key's indentation; yaml.v3 indents it.
    this.increaseIndent(false, !this.v3 && this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, false, false);
    }
    this.popIndent();
  }

  private mapping(m: GoMap): void {
    const keys = sortYamlKeys(Object.keys(m), this.v3);
    if (keys.length === 0 || this.flowLevel > 0) {
      this.writeIndicator('{', true, true, false);
      this.writeIndicator('}', false, false, false);
      return;
    }
    this.increaseIndent(false, false);
    for (const rawKey of keys) {
      if (this.direct && (rawKey.length > 500 || RAW_IN_JSON.test(rawKey))) throw new NeedsRoundTrip();
      const key = wellFormed(rawKey);
      this.writeIndent();
      const a = analyze(key, this.v3);
      // check_simple_key: one line, at most 128 bytes.
      if (!a.multiline && utf8Length(key) <= 128) {
        this.mappingContext = true;
        this.simpleKeyContext = true;
        this.scalar(stringScalar(key), a);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.mappingContext = true;
        this.simpleKeyContext = false;
        this.scalar(stringScalar(key), a);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(m[rawKey], true, false);
    }
    this.popIndent();
  }

  /** yaml_emitter_emit_scalar: pick the style, then write it one indentation level in. */
  private scalar(sc: Scalar, a: Analysis): void {
    let style = sc.style;
    const value = sc.text;
    if (this.simpleKeyContext && a.multiline) style = DOUBLE;
    if (style === PLAIN) {
      if ((this.flowLevel > 0 && !a.flowPlain) || (this.flowLevel === 0 && !a.blockPlain)) style = SINGLE;
      if (value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = SINGLE;
    }
    if (style === SINGLE && !a.singleQuoted) style = DOUBLE;
    if (style === LITERAL && (!a.block || this.flowLevel > 0 || this.simpleKeyContext)) style = DOUBLE;

    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    switch (style) {
      case PLAIN:
        this.writePlain(value, allowBreaks);
        break;
      case SINGLE:
        this.writeSingleQuoted(value, allowBreaks);
        break;
      case DOUBLE:
        this.writeDoubleQuoted(value, allowBreaks);
        break;
      default:
        this.writeLiteral(value);
    }
    this.popIndent();
  }

  private writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    // Fast path: nothing to fold.
    if (!allowBreaks || this.column + value.length <= this.width + 1 || value.indexOf(' ') < 0) {
      this.out += value;
      this.column += countCodePoints(value);
    } else {
      let spaces = false;
      const n = value.length;
      for (let i = 0; i < n; ) {
        const c = value.charCodeAt(i);
        if (c === 32) {
          if (allowBreaks && !spaces && this.column > this.width && value.charCodeAt(i + 1) !== 32) {
            this.writeIndent();
          } else {
            this.out += ' ';
            this.column++;
          }
          i++;
          spaces = true;
        } else {
          const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
          this.out += value.slice(i, i + w);
          this.column++;
          this.indention = false;
          spaces = false;
          i += w;
        }
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const n = value.length;
    for (let i = 0; i < n; ) {
      const c = value.charCodeAt(i);
      if (c === 32) {
        if (allowBreaks && !spaces && this.column > this.width && i > 0 && i < n - 1 && value.charCodeAt(i + 1) !== 32) {
          this.writeIndent();
        } else {
          this.out += ' ';
          this.column++;
        }
        i++;
        spaces = true;
      } else if (isBreakCp(c)) {
        if (!breaks && c === 10) this.putBreak();
        this.writeBreak(c);
        i++;
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 39) this.put("'");
        const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
        this.out += value.slice(i, i + w);
        this.column++;
        i += w;
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  /** write_break: LF as a line break, other breaks (CR, NEL, LS, PS) copied as they are. */
  private writeBreak(c: number): void {
    if (c === 10) this.putBreak();
    else {
      this.out += String.fromCharCode(c);
      this.column = 0;
    }
  }

  private writeDoubleQuoted(value: string, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    // is_bom looks at the start of the value whatever the position: a value starting with a
    // BOM has every character escaped.
    const bom = value.charCodeAt(0) === 0xfeff;
    const n = value.length;
    for (let i = 0; i < n; ) {
      const c = codePointAt(value, i);
      const w = c > 0xffff ? 2 : 1;
      if (!isPrintableCp(c) || bom || isBreakCp(c) || c === 34 || c === 92) {
        this.put('\\' + escapeCode(c));
        i += w;
        spaces = false;
      } else if (c === 32) {
        if (allowBreaks && !spaces && this.column > this.width && i > 0 && i < n - 1) {
          this.writeIndent();
          if (value.charCodeAt(i + 1) === 32) this.put('\\');
        } else {
          this.out += ' ';
          this.column++;
        }
        i++;
        spaces = true;
      } else {
        this.out += value.slice(i, i + w);
        this.column++;
        i += w;
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false);
    // Block scalar hints: an indentation indicator when the text starts with a space or a
    // break; '-' without a final break, '+' with more than one.
    const first = value.charCodeAt(0);
    if (first === 32 || isBreakCp(first)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    if (value.length === 0) chomp = '-';
    else {
      let i = value.length - 1;
      if (isLowSurrogateAt(value, i)) i--;
      if (!isBreakCp(value.charCodeAt(i))) chomp = '-';
      else if (i === 0) chomp = '+';
      else {
        i--;
        if (isLowSurrogateAt(value, i)) i--;
        if (isBreakCp(value.charCodeAt(i))) chomp = '+';
      }
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
    if (!this.v3) {
      this.putBreak();
      this.indention = true;
    }
    // yaml.v3 writes no break after the header: the first line's indentation (or a leading break
    // of the text itself) ends it.
    this.whitespace = true;
    let breaks = true;
    const n = value.length;
    let i = 0;
    while (i < n) {
      const c = value.charCodeAt(i);
      if (isBreakCp(c)) {
        this.writeBreak(c);
        i++;
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        // Copy the rest of the line at once.
        let j = i;
        while (j < n && !isBreakCp(value.charCodeAt(j))) j++;
        const line = value.slice(i, j);
        this.out += line;
        this.column += countCodePoints(line);
        i = j;
        this.indention = false;
        breaks = false;
      }
    }
  }
}

function isLowSurrogateAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff && i > 0;
}

function countCodePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n--;
      i++;
    }
  }
  return n;
}

const HEXU = '0123456789ABCDEF';

/** The escape of a double-quoted character after the backslash (`n`, `x0B`, `u00AD`, `U0001F600`). */
function escapeCode(c: number): string {
  switch (c) {
    case 0x00:
      return '0';
    case 0x07:
      return 'a';
    case 0x08:
      return 'b';
    case 0x09:
      return 't';
    case 0x0a:
      return 'n';
    case 0x0b:
      return 'v';
    case 0x0c:
      return 'f';
    case 0x0d:
      return 'r';
    case 0x1b:
      return 'e';
    case 0x22:
      return '"';
    case 0x5c:
      return '\\';
    case 0x85:
      return 'N';
    case 0xa0:
      return '_';
    case 0x2028:
      return 'L';
    case 0x2029:
      return 'P';
  }
  let digits: number;
  let prefix: string;
  if (c <= 0xff) {
    prefix = 'x';
    digits = 2;
  } else if (c <= 0xffff) {
    prefix = 'u';
    digits = 4;
  } else {
    prefix = 'U';
    digits = 8;
  }
  let s = '';
  for (let k = (digits - 1) * 4; k >= 0; k -= 4) s += HEXU[(c >> k) & 15];
  return prefix + s;
}

/**
 * sigs.k8s.io/yaml Marshal: the YAML text (ending in a line break), or GoError
 * (`error marshaling into JSON: json: unsupported value: NaN`).
 */
export function marshalYaml(v: Value): string {
  const e = new Emitter(true);
  try {
    e.document(v);
  } catch (err) {
    if (err instanceof NeedsRoundTrip) return roundTrip(v);
    noteStackOverflow(err);
    if (!(err instanceof GoError) && !(err instanceof RangeError)) throw err;
    // json.Marshal walks keys in its own order: ask it which error it meets first.
    let msg = err instanceof RangeError ? 'json: unsupported value: nesting too deep' : (err as Error).message;
    try {
      marshalJSON(v);
    } catch (jerr) {
      if (jerr instanceof GoError) msg = jerr.message;
    }
    throw new GoError('error marshaling into JSON: ' + msg);
  }
  return e.out;
}

/** The literal pipeline: json.Marshal, go-yaml reading the JSON text, the emitter writing what it read. */
function roundTrip(v: Value): string {
  let json: string;
  try {
    json = marshalJSON(v);
  } catch (err) {
    if (err instanceof GoError) throw new GoError('error marshaling into JSON: ' + err.message);
    throw err;
  }
  let node: YamlNode | undefined;
  try {
    node = parseYamlNode(json);
  } catch (err) {
    if (err instanceof YamlFail) throw new GoError('error converting JSON to YAML: yaml: ' + err.message);
    throw err;
  }
  const e = new Emitter(false);
  e.document(node ? fromJsonNode(node) : null);
  return e.out;
}

/** What go-yaml decodes JSON text into: ints as GoInt, floats, strings, maps with string keys. */
function fromJsonNode(n: YamlNode): Value {
  if (n.kind === SEQUENCE) return n.children.map(fromJsonNode);
  if (n.kind === MAPPING) {
    const m: GoMap = {};
    for (let i = 0; i < n.children.length; i += 2) {
      const k = fromJsonNode(n.children[i]);
      const key = typeof k === 'string' ? k : k instanceof GoInt ? k.v.toString() : String(k);
      const val = fromJsonNode(n.children[i + 1]);
      if (key === '__proto__') Object.defineProperty(m, key, { value: val, writable: true, enumerable: true, configurable: true });
      else m[key] = val;
    }
    return m;
  }
  if (!n.implicit) return n.value;
  const r = resolve('', n.value);
  switch (r.tag) {
    case INT_TAG:
      return new GoInt(BigInt(r.value as number | bigint), r.uint ? 'uint64' : 'int64');
    case FLOAT_TAG:
      return r.value as number;
    case BOOL_TAG:
      return r.value as boolean;
    case NULL_TAG:
      return null;
  }
  return n.value;
}

/** A float as go-yaml's encoder prints it: strconv 'g' form, `.inf`, `-.inf`, `.nan`. */
function yamlFloat(f: number, bits: 32 | 64): string {
  const r = bits === 32 ? Math.fround(f) : f;
  if (Number.isNaN(r)) return '.nan';
  if (r === Infinity) return '.inf';
  if (r === -Infinity) return '-.inf';
  return formatFloat(r, bits);
}

/**
 * Helm's toYamlPretty: yaml.v3's Encoder with SetIndent(2) on the value (no JSON step), so
 * sequences are indented under their key, nothing is folded, and float64s print as %g
 * (`1e+07`). Throws GoPanic where yaml.v3 panics (functions).
 */
export function marshalYamlV3(v: Value): string {
  const e = new Emitter(false, true);
  try {
    e.document(v);
  } catch (err) {
    // A cycle, or nesting deeper than the JS stack: yaml.v3 would overflow Go's stack too.
    noteStackOverflow(err);
    if (err instanceof RangeError) throw new GoPanic('runtime: goroutine stack exceeds 1000000000-byte limit');
    throw err;
  }
  return e.out;
}
