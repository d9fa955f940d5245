/**
 * A fast path for the YAML that people write in Kubernetes manifests: block
 * maps and sequences, plain and quoted one-line scalars, one-line flow
 * sequences of scalars, empty `{}`/`[]`, literal block scalars, comments.
 *
 * It builds the same node classes as the `yaml` package (YAMLMap, YAMLSeq,
 * Pair, Scalar with `range`, `source` and `type`), with the YAML 1.1 scalar
 * types the API server uses, about four times faster. Anything it is not sure
 * about (anchors, aliases, tags, multi-line plain or quoted scalars, folded
 * scalars, flow maps, duplicate keys, tabs, odd indentation, unusual numbers)
 * makes it give up and return undefined: the caller then parses with the
 * `yaml` package, which stays the reference. Tests compare both on real files.
 *
 * Comments are not kept: never serialize a parsed document, edit text by offsets.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

type Node = YAMLMap | YAMLSeq | Scalar;

interface Line {
  start: number;
  /** End of the line's content, before the line break. */
  end: number;
  /** Offset after the line break. */
  next: number;
  indent: number;
  /** The line holds only spaces or a comment. */
  blank: boolean;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const DECIMAL = /^[-+]?(0|[1-9][0-9]*)$/;
const OCTAL = /^[-+]?0[0-7]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?$/;
/**
 * Plain scalars that YAML 1.1 may type in ways the simple forms above do not cover
 * (hex, binary, sexagesimal, underscores, exponents, infinities, timestamps): the
 * reference parser types those. Anything else is a string (`100m`, `1.27.3`, `8080/TCP`).
 */
const AMBIGUOUS = /^[-+]?0[bx]|^[-+]?0[0-9]+$|^[-+]?[0-9][0-9_]*(:[0-9_]*)+(\.[0-9_]*)?$|^[-+]?[0-9_.]*_[0-9_.]*([eE][-+]?[0-9]+)?$|^[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?[eE][-+]?[0-9]+$|^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)?$|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;
/** Characters that may not start a plain scalar (indicators), or start an anchor, alias or tag. */
const INDICATOR_START = /^[&*!%@`|>?,\[\]{}#'"]/;

/** Parses a section, or returns undefined when the text needs the full parser. */
export function fastParse(text: string): Document.Parsed | undefined {
  if (text.length === 0 || text.length > 2_000_000) return undefined;
  if (text.indexOf('\t') >= 0 || text.charCodeAt(0) === 0xfeff || /^%/m.test(text) || /\r(?!\n)/.test(text)) {
    // tabs, a BOM, directives, a CR that is not part of CRLF: leave them to the reference parser
    return undefined;
  }
  try {
    return new FastParser(text).parse();
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

class FastParser {
  private lines: Line[] = [];
  private i = 0;

  constructor(private readonly text: string) {
    let pos = 0;
    const t = text;
    while (pos <= t.length) {
      let nl = t.indexOf('\n', pos);
      if (nl < 0) nl = t.length;
      let indent = 0;
      while (t.charCodeAt(pos + indent) === 32) indent++;
      const c = t.charCodeAt(pos + indent);
      const end = nl > pos && t.charCodeAt(nl - 1) === 13 ? nl - 1 : nl; // CRLF: the CR is part of the line break
      const blank = pos + indent >= end || c === 35; /* # */
      this.lines.push({ start: pos, end, next: Math.min(nl + 1, t.length), indent, blank });
      if (nl >= t.length) break;
      pos = nl + 1;
    }
  }

  parse(): Document.Parsed {
    // A leading `---` line (alone) is allowed.
    this.skipBlank();
    if (this.i < this.lines.length) {
      const l = this.lines[this.i];
      if (this.text.startsWith('---', l.start)) {
        if (l.indent !== 0 || this.text.slice(l.start + 3, l.end).trim() !== '') giveUp();
        this.i++;
      }
    }
    this.skipBlank();
    const doc = new Document(undefined, { version: '1.1' }) as unknown as Document.Parsed;
    if (this.i >= this.lines.length) return giveUp();
    const first = this.lines[this.i];
    if (first.indent !== 0) giveUp();
    const contents = this.parseBlock(0, false);
    this.skipBlank();
    if (this.i < this.lines.length) giveUp(); // something left over at a lower indentation
    doc.contents = contents as never;
    (doc as unknown as { range: number[] }).range = [0, this.text.length, this.text.length];
    return doc;
  }

  private skipBlank(): void {
    while (this.i < this.lines.length && this.lines[this.i].blank) {
      const l = this.lines[this.i];
      if (this.text.startsWith('...', l.start) || this.text.startsWith('---', l.start)) return;
      this.i++;
    }
  }

  /** A block node whose first line is the current line, at exactly `indent`. */
  private parseBlock(indent: number, _inSeq: boolean): Node {
    const l = this.lines[this.i];
    if (l.indent !== indent) giveUp();
    if (this.isDash(l)) return this.parseSeq(indent);
    return this.parseMap(indent, l.start + indent);
  }

  private isDash(l: Line): boolean {
    const c = this.text.charCodeAt(l.start + l.indent);
    if (c !== 45 /* - */) return false;
    const n = this.text.charCodeAt(l.start + l.indent + 1);
    return l.start + l.indent + 1 >= l.end || n === 32;
  }

  /** A block map whose first key starts at `firstKey` on the current line; keys at column `indent`. */
  private parseMap(indent: number, firstKey: number): YAMLMap {
    const map = new YAMLMap();
    const keys = new Set<string>();
    let keyStart = firstKey;
    let end = firstKey;
    for (;;) {
      const l = this.lines[this.i];
      const [key, afterColon] = this.parseKey(keyStart, l.end);
      if (keys.has(String(key.value))) giveUp(); // duplicate keys: the full parser reports them
      keys.add(String(key.value));
      const value = this.parseValue(afterColon, l, indent, true);
      map.items.push(new Pair(key, value));
      end = value ? (value.range as number[])[2] : (key.range as number[])[2];
      // next key of this map?
      this.skipBlank();
      if (this.i >= this.lines.length) break;
      const n = this.lines[this.i];
      if (this.text.startsWith('---', n.start) || this.text.startsWith('...', n.start)) break;
      if (n.indent < indent) break;
      if (n.indent > indent) giveUp();
      if (this.isDash(n)) break; // a sequence at the map's indentation belongs to an outer key
      keyStart = n.start + n.indent;
    }
    map.range = [firstKey, end, end];
    return map;
  }

  private parseSeq(indent: number): YAMLSeq {
    const seq = new YAMLSeq();
    const start = this.lines[this.i].start + indent;
    let end = start;
    for (;;) {
      const l = this.lines[this.i];
      const dash = l.start + indent;
      let p = dash + 1;
      while (p < l.end && this.text.charCodeAt(p) === 32) p++;
      let item: Node;
      if (p >= l.end || this.text.charCodeAt(p) === 35) {
        // `-` alone (or with a comment): the item is on the following lines, deeper
        this.i++;
        this.skipBlank();
        const n = this.lines[this.i];
        if (!n || n.indent <= indent || this.text.startsWith('---', n.start)) {
          item = nullScalar(p);
          (item.range as number[])[2] = l.next;
        } else item = this.parseBlock(n.indent, true);
      } else {
        const c = this.text.charCodeAt(p);
        if (c === 45 && (p + 1 >= l.end || this.text.charCodeAt(p + 1) === 32)) giveUp(); // `- - x`
        const colon = this.findMapColon(p, l.end);
        if (colon >= 0) {
          // `- key: value` opens a map whose keys sit at column p
          item = this.parseMap(p - l.start, p);
          (item.range as number[])[0] = p;
        } else {
          item = this.parseValue(p, l, indent, false) ?? giveUp();
        }
      }
      seq.items.push(item);
      end = (item.range as number[])[2];
      this.skipBlank();
      if (this.i >= this.lines.length) break;
      const n = this.lines[this.i];
      if (this.text.startsWith('---', n.start) || this.text.startsWith('...', n.start)) break;
      if (n.indent < indent) break;
      if (n.indent > indent || !this.isDash(n)) {
        if (n.indent === indent) break; // a key of the parent map after a sequence at its indentation
        giveUp();
      }
    }
    seq.range = [start, end, end];
    return seq;
  }

  /** The offset of a `: ` (or `:` at the end) that makes this line a map entry, or -1. */
  private findMapColon(from: number, to: number): number {
    const t = this.text;
    const c = t.charCodeAt(from);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const close = this.quotedEnd(from, to);
      let p = close;
      while (p < to && t.charCodeAt(p) === 32) p++;
      return t.charCodeAt(p) === 58 && (p + 1 >= to || t.charCodeAt(p + 1) === 32) ? p : -1;
    }
    if (c === 91 /* [ */ || c === 123 /* { */) return -1;
    for (let p = from; p < to; p++) {
      const ch = t.charCodeAt(p);
      if (ch === 58 /* : */ && (p + 1 >= to || t.charCodeAt(p + 1) === 32)) return p;
      if (ch === 35 /* # */ && p > from && t.charCodeAt(p - 1) === 32) return -1;
    }
    return -1;
  }

  /** Parses a key at `start`; returns it and the offset after its colon. */
  private parseKey(start: number, lineEnd: number): [Scalar, number] {
    const t = this.text;
    const colon = this.findMapColon(start, lineEnd);
    if (colon < 0) giveUp();
    const c = t.charCodeAt(start);
    let key: Scalar;
    if (c === 34 || c === 39) {
      key = this.quoted(start, lineEnd);
      (key.range as number[])[2] = (key.range as number[])[1];
    } else {
      if (INDICATOR_START.test(t[start]) || t[start] === ':' || (t[start] === '-' && t.charCodeAt(start + 1) === 32)) giveUp();
      let e = colon;
      while (e > start && t.charCodeAt(e - 1) === 32) e--;
      const raw = t.slice(start, e);
      key = new Scalar(raw);
      key.source = raw;
      key.type = Scalar.PLAIN;
      key.range = [start, e, e];
      if (DECIMAL.test(raw) || FLOAT.test(raw) || AMBIGUOUS.test(raw) || NULLS.has(raw) || TRUE.has(raw) || FALSE.has(raw)) giveUp(); // typed keys: rare, leave to the reference
    }
    return [key, colon + 1];
  }

  /**
   * The value after a key's colon (or after `- `) on line `l`, possibly continuing
   * on deeper lines. `parentIndent` is the column of the key (or of the dash).
   * Advances past the value's lines. Returns null only for a sequence item with nothing.
   */
  private parseValue(from: number, l: Line, parentIndent: number, afterKey: boolean): Node | null {
    const t = this.text;
    let p = from;
    while (p < l.end && t.charCodeAt(p) === 32) p++;
    if (p >= l.end || t.charCodeAt(p) === 35) {
      // nothing on this line: a nested block, or null
      this.i++;
      this.skipBlank();
      const n = this.lines[this.i];
      if (n && !this.text.startsWith('---', n.start) && !this.text.startsWith('...', n.start)) {
        if (n.indent > parentIndent) return this.parseBlock(n.indent, false);
        if (afterKey && n.indent === parentIndent && this.isDash(n)) return this.parseSeq(n.indent);
      }
      return nullScalar(p);
    }
    const c = t.charCodeAt(p);
    let node: Node;
    if (c === 34 || c === 39) {
      node = this.quoted(p, l.end);
      this.endOfLine((node.range as number[])[1], l);
      (node.range as number[])[2] = l.next;
    } else if (c === 91 /* [ */) {
      node = this.flowSeq(p, l);
    } else if (c === 123 /* { */) {
      let q = p + 1;
      while (q < l.end && t.charCodeAt(q) === 32) q++;
      if (t.charCodeAt(q) !== 125) giveUp();
      const m = new YAMLMap();
      m.flow = true;
      m.range = [p, q + 1, l.next];
      this.endOfLine(q + 1, l);
      node = m;
    } else if (c === 124 /* | */) {
      return this.literal(p, l, parentIndent);
    } else if (INDICATOR_START.test(t[p])) {
      return giveUp(); // folded scalars, anchors, aliases, tags, reserved indicators
    } else {
      if ((c === 45 || c === 58) && (p + 1 >= l.end || t.charCodeAt(p + 1) === 32)) giveUp(); // `key: - x`, `key: : x`
      let e = p;
      let cut = l.end;
      for (let q = p; q < l.end; q++) {
        const ch = t.charCodeAt(q);
        if (ch === 35 && t.charCodeAt(q - 1) === 32) {
          cut = q;
          break;
        }
        if (ch === 58 && (q + 1 >= l.end || t.charCodeAt(q + 1) === 32)) giveUp(); // `a: b: c`
      }
      e = cut;
      while (e > p && t.charCodeAt(e - 1) === 32) e--;
      const raw = t.slice(p, e);
      node = plainScalar(raw, p, e);
      (node.range as number[])[2] = cut < l.end ? l.end + (l.next > l.end ? 1 : 0) : l.next;
      if (cut === l.end) (node.range as number[])[2] = l.next;
    }
    this.i++;
    // a multi-line plain or quoted value continues on deeper lines: leave it to the reference
    const save = this.i;
    this.skipBlank();
    const n = this.lines[this.i];
    if (n && n.indent > parentIndent && !this.text.startsWith('---', n.start)) giveUp();
    this.i = save;
    return node;
  }

  /** Only spaces or a comment may follow a value on its line. */
  private endOfLine(from: number, l: Line): void {
    let p = from;
    while (p < l.end && this.text.charCodeAt(p) === 32) p++;
    if (p < l.end && !(this.text.charCodeAt(p) === 35 && p > from)) giveUp();
  }

  private quotedEnd(start: number, end: number): number {
    const t = this.text;
    const q = t.charCodeAt(start);
    for (let p = start + 1; p < end; p++) {
      const ch = t.charCodeAt(p);
      if (q === 34 && ch === 92 /* \ */) {
        p++;
        continue;
      }
      if (ch === q) {
        if (q === 39 && t.charCodeAt(p + 1) === 39) {
          p++;
          continue;
        }
        return p + 1;
      }
    }
    return giveUp();
  }

  private quoted(start: number, end: number): Scalar {
    const t = this.text;
    const close = this.quotedEnd(start, end);
    const inner = t.slice(start + 1, close - 1);
    let value: string;
    if (t.charCodeAt(start) === 39) value = inner.replace(/''/g, "'");
    else value = inner.indexOf('\\') < 0 ? inner : unescapeDouble(inner);
    const s = new Scalar(value);
    s.source = value;
    s.type = t.charCodeAt(start) === 39 ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
    s.range = [start, close, close];
    return s;
  }

  private flowSeq(start: number, l: Line): YAMLSeq {
    const t = this.text;
    const seq = new YAMLSeq();
    seq.flow = true;
    let p = start + 1;
    const skipSpaces = () => {
      while (p < l.end && t.charCodeAt(p) === 32) p++;
    };
    skipSpaces();
    if (t.charCodeAt(p) === 93) {
      p++;
    } else {
      for (;;) {
        skipSpaces();
        const c = t.charCodeAt(p);
        let item: Scalar;
        if (c === 34 || c === 39) {
          item = this.quoted(p, l.end);
          p = (item.range as number[])[1];
        } else {
          if (p >= l.end || INDICATOR_START.test(t[p])) giveUp();
          // `- x`, `? x`, `: x` are indicators in a flow sequence, not the start of a scalar
          if ((c === 45 || c === 63 || c === 58) && (p + 1 >= l.end || /[ ,\]]/.test(t[p + 1]))) giveUp();
          const s = p;
          while (p < l.end) {
            const ch = t.charCodeAt(p);
            if (ch === 44 || ch === 93 || ch === 123 || ch === 125 || ch === 91) break;
            if (ch === 58 && t.charCodeAt(p + 1) === 32) giveUp(); // a pair inside a flow sequence
            if (ch === 35 && t.charCodeAt(p - 1) === 32) giveUp();
            p++;
          }
          let e = p;
          while (e > s && t.charCodeAt(e - 1) === 32) e--;
          item = plainScalar(t.slice(s, e), s, e);
        }
        seq.items.push(item);
        skipSpaces();
        const sep = t.charCodeAt(p);
        if (sep === 44) {
          // the reference parser sets an item's end after a following space
          p++;
          skipSpaces();
          if (t.charCodeAt(p) === 93) {
            p++;
            break;
          }
          continue;
        }
        if (sep === 93) {
          p++;
          break;
        }
        giveUp();
      }
    }
    this.endOfLine(p, l);
    seq.range = [start, p, l.next];
    return seq;
  }

  /** A literal block scalar `|`, `|-` or `|+` (no indentation indicator). */
  private literal(p: number, l: Line, parentIndent: number): Scalar {
    const t = this.text;
    const header = t.slice(p, l.end).replace(/\s+#.*$/, '').trimEnd();
    if (!/^\|[-+]?$/.test(header)) giveUp();
    const chomp = header[1] ?? '';
    this.i++;
    // content: lines deeper than the parent, up to the first less indented non-blank line
    let contentIndent = -1;
    const body: string[] = [];
    let lastContentLine = this.i - 1;
    let j = this.i;
    for (; j < this.lines.length; j++) {
      const ln = this.lines[j];
      const raw = t.slice(ln.start, ln.end);
      const isEmpty = raw.trim() === '';
      if (isEmpty) {
        if (contentIndent >= 0 && ln.indent > contentIndent) giveUp(); // trailing spaces beyond the indent: keep it simple
        body.push('');
        continue;
      }
      if (contentIndent < 0) {
        if (ln.indent <= parentIndent) break;
        contentIndent = ln.indent;
        // leading empty lines with more spaces than the content are an error case: leave it
      }
      if (ln.indent < contentIndent) break;
      if (this.text.startsWith('---', ln.start) || this.text.startsWith('...', ln.start)) break;
      body.push(raw.slice(contentIndent));
      lastContentLine = j;
    }
    if (contentIndent < 0) giveUp(); // empty block scalar: rare, leave it
    // drop the empty lines after the content: they belong to chomping
    const trailing = body.length - (lastContentLine - this.i + 1);
    const content = body.slice(0, body.length - trailing);
    let value = content.join('\n');
    if (chomp === '+') giveUp(); // keep: rare; its exact trailing newlines are easy to get wrong
    if (chomp === '') value += '\n'; // clip: one final line break, even at the end of the text
    // the node ends after its last content line (the empty lines after it only matter to chomping)
    const lastLine = this.lines[lastContentLine];
    const s = new Scalar(value);
    s.source = value;
    s.type = Scalar.BLOCK_LITERAL;
    s.range = [p, lastLine.next, lastLine.next];
    this.i = Math.max(lastContentLine + 1, j);
    return s;
  }
}

function nullScalar(at: number): Scalar {
  const s = new Scalar(null);
  s.source = '';
  s.type = Scalar.PLAIN;
  s.range = [at, at, at];
  return s;
}

function plainScalar(raw: string, start: number, end: number): Scalar {
  let value: unknown = raw;
  if (NULLS.has(raw)) value = null;
  else if (TRUE.has(raw)) value = true;
  else if (FALSE.has(raw)) value = false;
  else if (DECIMAL.test(raw)) {
    value = Number(raw);
    if (!Number.isSafeInteger(value)) giveUp();
  } else if (OCTAL.test(raw)) value = parseInt(raw, 8) * (raw.startsWith('-') ? -1 : 1);
  else if (FLOAT.test(raw)) value = parseFloat(raw);
  else if (AMBIGUOUS.test(raw)) giveUp();
  const s = new Scalar(value);
  s.source = raw;
  s.type = Scalar.PLAIN;
  s.range = [start, end, end];
  return s;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', '/': '/', '0': '\0', r: '\r', ' ': ' ', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };

function unescapeDouble(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    const r = ESCAPES[e];
    return r === undefined ? giveUp() : r;
  });
}
