/**
 * The parser of Go's text/template (Go 1.19 `text/template/parse/parse.go`, plus `{{else with}}`
 * of Go 1.23), re-implemented over the tokens of `lexer.ts`, building the tree of `ast.ts`.
 *
 * Fidelity: up to the first error the parser reads tokens exactly as Go's does (same look-ahead),
 * so the first error has Go's message and Go's line (the line of the furthest token Go's parser
 * had read, which is sometimes the next line). Go stops there; we record the error and recover:
 * errors Go raises without losing its place (undefined variable or function, `missing value`,
 * `{{break}} outside {{range}}`, bad literals...) are recorded and parsing simply goes on; the
 * others abandon the current action (skipping to its right delimiter) but keep the blocks open,
 * so later actions, `{{end}}`s and defines still parse. At EOF open blocks are closed.
 *
 * Node positions follow Go's `Position()` (see ast.ts); numbers and strings are interpreted as
 * Go's strconv does (ParseInt/ParseUint/ParseFloat with base prefixes and `_`, Unquote, UnquoteChar).
 */

import type {
  ActionNode,
  ArgNode,
  BranchNode,
  CommandNode,
  CommentNode,
  DefineNode,
  ListNode,
  Node,
  NumberNode,
  ParseError,
  ParsedTemplate,
  PipeNode,
  Span,
  StringNode,
  TemplateNode,
  TextNode,
  VariableNode,
} from './ast';
import { goQuote, lex, Tok, tokenString, type LexOptions, type Token, type TokType } from './lexer';
import { nodeString } from './nodeString';

export interface ParseOptions {
  /**
   * Which identifiers are defined functions (Go reports `function "x" not defined` at parse time).
   * The builtins of text/template are always defined. Without it no function is checked (Go's
   * SkipFuncCheck mode).
   */
  funcs?: (name: string) => boolean;
  leftDelim?: string;
  rightDelim?: string;
  /**
   * Accept `{{else with ...}}` (Go 1.23+, which current Helm is built with). Default true; false
   * reproduces Go 1.19, where it is `unexpected <with> in else`.
   */
  elseWith?: boolean;
}

/** text/template's builtin functions: always defined. */
const BUILTINS = new Set([
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
]);

/**
 * Deepest nesting of blocks and parentheses we parse (recursion must not overflow the stack; Go
 * 1.2x refuses parentheses nested 10000 deep with the same message, Go 1.19 has no limit).
 */
export const MAX_DEPTH = 400;

/** At most this many errors are kept. */
export const MAX_ERRORS = 100;

/** Go's error string for a parse error: `template: NAME:LINE: MESSAGE`. */
export function formatParseError(name: string, e: ParseError): string {
  return `template: ${name}:${e.line}: ${e.message}`;
}

/** Parses one template file. Never throws. */
export function parseTemplate(name: string, text: string, opts: ParseOptions = {}): ParsedTemplate {
  const p = new Parser(name, text, opts);
  const root = p.parse();
  return {
    name,
    text,
    root,
    defines: p.defines,
    error: p.errors[0],
    errors: p.errors,
  };
}

/** Thrown inside an action for an error Go aborts on; caught where the parser can resync. */
class Fail {
  constructor(readonly err: ParseError) {}
}

/** `{{end}}` or `{{else}}`: returned by an action, never put into the tree (Go's endNode/elseNode). */
interface Marker {
  type: 'end' | 'else';
  /** The whole `{{...}}` (for `{{else if`, up to where the else part ends: the `else` keyword). */
  span: Span;
  /** Index of the action's left delimiter token. */
  delimIdx: number;
  /** For `{{else if ...}}` / `{{else with ...}}`: the pending keyword (not consumed). */
  pending?: TokType;
}

type Item = Node | Marker | null;

function isMarker(n: Item): n is Marker {
  return n !== null && (n.type === 'end' || n.type === 'else');
}

/** Go's unicode.IsSpace, for bytes.TrimSpace in IsEmptyTree. */
function isUnicodeSpace(c: number): boolean {
  switch (c) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
  }
  return c >= 0x2000 && c <= 0x200a;
}

/** Go's parse.IsEmptyTree on a define's body: only space (and comments). */
export function isEmptyTree(list: ListNode): boolean {
  for (const n of list.nodes) {
    if (n.type === 'comment') continue;
    if (n.type !== 'text') return false;
    const t = n.text;
    for (let i = 0; i < t.length; i++) if (!isUnicodeSpace(t.charCodeAt(i))) return false;
  }
  return true;
}

class Parser {
  private toks: Token[];
  /** Index of the next token. */
  private p = 0;
  /** Furthest token index fetched: Go's token[0], whose line Go's errors report. */
  private maxIdx = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;
  private readonly checkFuncs: boolean;
  private readonly elseWith: boolean;
  readonly errors: ParseError[] = [];
  readonly defines: DefineNode[] = [];
  private readonly defineByName = new Map<string, DefineNode>();
  private eofReported = false;
  private depth = 0;
  private eofTok: Token;
  private readonly lexOpts: LexOptions;

  constructor(
    readonly name: string,
    readonly text: string,
    readonly opts: ParseOptions,
  ) {
    const funcs = opts.funcs;
    this.checkFuncs = funcs !== undefined;
    this.elseWith = opts.elseWith ?? true;
    this.lexOpts = {
      leftDelim: opts.leftDelim,
      rightDelim: opts.rightDelim,
      breakOK: !(funcs && funcs('break')),
      continueOK: !(funcs && funcs('continue')),
    };
    this.toks = lex(text, this.lexOpts);
    this.eofTok = this.toks[this.toks.length - 1];
  }

  // ---- token stream (Go's next/backup/peek over an array) ----

  private next(): Token {
    const i = this.p;
    if (i >= this.toks.length - 1) {
      // EOF repeats (Go never reads past it; we may, recovering).
      this.p = this.toks.length;
      this.maxIdx = this.toks.length - 1;
      return this.eofTok;
    }
    if (i > this.maxIdx) this.maxIdx = i;
    this.p = i + 1;
    return this.toks[i];
  }

  private backup(): void {
    this.p--;
  }

  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }

  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.typ === Tok.Space);
    return t;
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // ---- errors ----

  private mkErr(message: string, at: Span, lineIdx = this.maxIdx): ParseError {
    return { message, start: at.start, end: at.end, line: this.toks[lineIdx].line };
  }

  /** Records an error Go would abort on, where we can simply go on. */
  private report(message: string, at: Span, lineIdx?: number): ParseError {
    const e = this.mkErr(message, at, lineIdx);
    this.push(e);
    return e;
  }

  /** Keeps the first MAX_ERRORS errors (a broken file should not flood the editor). */
  private push(e: ParseError): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(e);
  }

  /** Go's errorf: abandons the current action. */
  private fail(message: string, at: Span, lineIdx?: number): never {
    throw new Fail(this.mkErr(message, at, lineIdx));
  }

  private tokSpan(t: Token): Span {
    return { start: t.pos, end: t.end };
  }

  /** Go's unexpected(): a lexer error speaks for itself; anything else is `unexpected X in Y`. */
  private unexpectedMessage(t: Token, context: string): string {
    if (t.typ === Tok.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      return t.val + extra;
    }
    return `unexpected ${tokenString(t)} in ${context}`;
  }

  private unexpected(t: Token, context: string): never {
    this.fail(this.unexpectedMessage(t, context), this.tokSpan(t));
  }

  private expect(typ: TokType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }

  /** Index of the right delimiter (or EOF) ending the action whose left delimiter is at `delimIdx`. */
  private actionEndIdx(delimIdx: number): number {
    const toks = this.toks;
    let i = delimIdx + 1;
    while (i < toks.length - 1 && toks[i].typ !== Tok.RightDelim) i++;
    return i;
  }

  /**
   * Recovery: continue after the action that starts at `delimIdx`. An action that runs into the
   * next left delimiter (`{{ .a.  {{ .b }}`: Go lexes that `{{` as two "{" characters) is taken
   * as unclosed: it ends there, and the rest is lexed again from that delimiter.
   */
  private resync(delimIdx: number): void {
    const toks = this.toks;
    const left = this.opts.leftDelim || '{{';
    for (let j = delimIdx + 1; j < toks.length - 1 && toks[j].typ !== Tok.RightDelim; j++) {
      const t = toks[j];
      if (t.typ === Tok.Char && this.text.startsWith(left, t.pos)) {
        const rest = lex(this.text, this.lexOpts, t.pos);
        const end: Token = { typ: Tok.RightDelim, pos: t.pos, end: t.pos, val: '', line: t.line, auxStart: -1, auxEnd: -1 };
        this.toks = toks.slice(0, j);
        this.toks.push(end, ...rest);
        this.eofTok = this.toks[this.toks.length - 1];
        break;
      }
    }
    const i = this.actionEndIdx(delimIdx);
    this.p = this.toks[i].typ === Tok.RightDelim ? i + 1 : i;
    if (this.p > this.maxIdx) this.maxIdx = Math.min(this.p, this.toks.length - 1);
  }

  /** Records a Fail caught at a recovery point. */
  private caught(e: unknown): void {
    if (!(e instanceof Fail)) throw e;
    this.push(e.err);
  }

  /** End offset of the action starting at `delimIdx` (after `}}`, or the end of the text). */
  private actionEnd(delimIdx: number): number {
    const t = this.toks[this.actionEndIdx(delimIdx)];
    return t.typ === Tok.RightDelim ? t.end : this.text.length;
  }

  // ---- structure ----

  parse(): ListNode {
    const root: ListNode = { type: 'list', start: 0, end: this.text.length, nodes: [] };
    for (;;) {
      const t = this.peek();
      if (t.typ === Tok.EOF) break;
      if (t.typ === Tok.LeftDelim) {
        const delimIdx = this.p;
        this.next();
        const kw = this.nextNonSpace();
        if (kw.typ === Tok.Define) {
          this.parseDefinition(delimIdx, kw);
          continue;
        }
        this.p = delimIdx; // Go's backup2(delim)
      }
      const n = this.textOrAction();
      if (isMarker(n)) {
        this.report(`unexpected {{${n.type}}}`, n.span);
        // `{{else if x}}` at the top: drop the rest of that action too.
        if (n.pending !== undefined) this.resync(n.delimIdx);
      } else if (n) root.nodes.push(n);
    }
    // The file's own tree is added last (Go's t.add()).
    const same = this.defineByName.get(this.name);
    if (same && !isEmptyTree(same.body) && !isEmptyTree(root)) {
      this.report(
        `template: multiple definition of template ${goQuote(this.name)}`,
        this.tokSpan(this.eofTok),
      );
    }
    return root;
  }

  /** Go's add(): a define replaces an earlier one of the same name unless it is empty and that one is not. */
  private addDefine(def: DefineNode, lineIdx: number): void {
    const old = this.defineByName.get(def.name);
    if (old && !isEmptyTree(old.body)) {
      if (isEmptyTree(def.body)) return;
      this.report(`template: multiple definition of template ${goQuote(def.name)}`, def.nameSpan, lineIdx);
    }
    this.defines.push(def);
    this.defineByName.set(def.name, def);
  }

  /** Runs `body` as Go runs a nested Tree (define, block): its own variables, range depth and action line. */
  private nested<T>(body: () => T): T {
    const vars = this.vars;
    const rangeDepth = this.rangeDepth;
    const actionLine = this.actionLine;
    this.vars = ['$'];
    this.rangeDepth = 0;
    this.actionLine = 0;
    try {
      return body();
    } finally {
      this.vars = vars;
      this.rangeDepth = rangeDepth;
      this.actionLine = actionLine;
    }
  }

  /** `{{define "name"}} ... {{end}}`; the `define` keyword is past. */
  private parseDefinition(delimIdx: number, kw: Token): void {
    const context = 'define clause';
    const delim = this.toks[delimIdx];
    this.nested(() => {
      let name: string | undefined;
      let nameSpan: Span = this.tokSpan(kw);
      try {
        const t = this.nextNonSpace();
        if (t.typ !== Tok.String && t.typ !== Tok.RawString) this.unexpected(t, context);
        nameSpan = this.tokSpan(t);
        const u = unquote(t.val);
        if (u === undefined) this.fail('invalid syntax', nameSpan);
        name = u;
        this.expect(Tok.RightDelim, context);
      } catch (e) {
        this.caught(e);
        this.resync(delimIdx);
      }
      const open: Span = { start: delim.pos, end: this.toks[this.p - 1].end };
      const { list, next } = this.bodyUntilEnd(context, open);
      if (name === undefined) return;
      const def: DefineNode = {
        name,
        nameSpan,
        body: list,
        start: delim.pos,
        end: next ? next.span.end : this.text.length,
      };
      this.addDefine(def, this.maxIdx);
    });
  }

  /**
   * A define's or block's body up to its `{{end}}`; an `{{else}}` there is Go's `unexpected
   * {{else}} in CONTEXT` (line: `lineIdx`'s, Go's stale token for a block), and we read on.
   */
  private bodyUntilEnd(
    context: string,
    open: Span,
    lineIdx?: number,
  ): { list: ListNode; next: Marker | null } {
    let { list, next } = this.itemList(open);
    while (next && next.type === 'else') {
      this.report(`unexpected {{else}} in ${context}`, next.span, lineIdx);
      if (next.pending !== undefined) this.resync(next.delimIdx);
      const more = this.itemList(open);
      list.nodes.push(...more.list.nodes);
      list.end = more.list.end;
      next = more.next;
    }
    return { list, next };
  }

  /** textOrAction* up to `{{end}}` or `{{else}}` (returned), or EOF (null: `unexpected EOF`). */
  private itemList(open: Span): { list: ListNode; next: Marker | null } {
    const start = this.toks[this.p - 1]?.typ === Tok.RightDelim ? this.toks[this.p - 1].end : open.end;
    const list: ListNode = { type: 'list', start, end: start, nodes: [] };
    while (this.peekNonSpace().typ !== Tok.EOF) {
      const n = this.textOrAction();
      if (isMarker(n)) {
        list.end = n.span.start;
        return { list, next: n };
      }
      if (n) list.nodes.push(n);
    }
    if (!this.eofReported) {
      this.eofReported = true;
      const e = this.report('unexpected EOF', this.tokSpan(this.eofTok));
      e.related = open;
    }
    list.end = this.text.length;
    return { list, next: null };
  }

  private textOrAction(): Item {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Tok.Text:
        return {
          type: 'text',
          start: t.auxStart,
          end: t.auxEnd,
          text: t.val,
          textStart: t.pos,
        } satisfies TextNode;
      case Tok.LeftDelim: {
        const delimIdx = this.p - 1;
        this.actionLine = t.line;
        try {
          return this.action(delimIdx);
        } catch (e) {
          // Anything the action did not recover from itself: skip the action.
          this.caught(e);
          this.resync(delimIdx);
          return null;
        } finally {
          this.actionLine = 0; // Go's clearActionLine
        }
      }
      case Tok.Comment:
        return { type: 'comment', start: t.auxStart, end: t.auxEnd, text: t.val } satisfies CommentNode;
    }
    // A lexer error between actions (a broken comment), or junk: Go's unexpected(token, "input").
    this.report(this.unexpectedMessage(t, 'input'), this.tokSpan(t));
    return null;
  }

  /** The left delimiter is past; the first word may be a keyword. */
  private action(delimIdx: number): Item {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Tok.Block:
      case Tok.If:
      case Tok.Range:
      case Tok.With:
      case Tok.Define:
        if (this.depth >= MAX_DEPTH) this.fail('max expression depth exceeded', this.tokSpan(t));
        this.depth++;
        try {
          return this.control(delimIdx, t);
        } finally {
          this.depth--;
        }
    }
    return this.control(delimIdx, t);
  }

  private control(delimIdx: number, t: Token): Item {
    switch (t.typ) {
      case Tok.Block:
        return this.blockControl(delimIdx);
      case Tok.Break:
      case Tok.Continue:
        return this.breakControl(delimIdx, t);
      case Tok.Else:
        return this.elseControl(delimIdx);
      case Tok.End:
        return this.endControl(delimIdx);
      case Tok.If:
        return this.ifControl(delimIdx);
      case Tok.Range:
        return this.rangeControl(delimIdx);
      case Tok.Template:
        return this.templateControl(delimIdx);
      case Tok.With:
        return this.withControl(delimIdx);
      case Tok.Define:
        // Go: defines are only recognised at the top level; here it is `unexpected <define> in
        // command`. Recovery: parse it as a define anyway, so its {{end}} does not close our block.
        this.report(this.unexpectedMessage(t, 'command'), this.tokSpan(t));
        this.parseDefinition(delimIdx, t);
        return null;
    }
    this.backup();
    const first = this.peek();
    const delim = this.toks[delimIdx];
    const holder: { pipe?: PipeNode } = {};
    let pipe: PipeNode;
    try {
      pipe = this.pipeline('command', Tok.RightDelim, holder);
    } catch (e) {
      this.caught(e);
      this.resync(delimIdx);
      pipe = finishPartial(holder.pipe, first.pos);
    }
    return {
      type: 'action',
      start: first.pos,
      end: this.actionEnd(delimIdx),
      pipe,
      visibleStart: delim.pos,
    } satisfies ActionNode;
  }

  private breakControl(delimIdx: number, kw: Token): Node {
    const context = kw.typ === Tok.Break ? '{{break}}' : '{{continue}}';
    try {
      const t = this.nextNonSpace();
      if (t.typ !== Tok.RightDelim) this.unexpected(t, context);
      if (this.rangeDepth === 0) {
        this.report(`${context} outside {{range}}`, { start: this.toks[delimIdx].pos, end: t.end });
      }
    } catch (e) {
      this.caught(e);
      this.resync(delimIdx);
    }
    return {
      type: kw.typ === Tok.Break ? 'break' : 'continue',
      start: kw.pos,
      end: this.actionEnd(delimIdx),
      visibleStart: this.toks[delimIdx].pos,
    };
  }

  /** `{{end}}`; the keyword is past. */
  private endControl(delimIdx: number): Marker {
    try {
      this.expect(Tok.RightDelim, 'end');
    } catch (e) {
      this.caught(e);
      this.resync(delimIdx);
    }
    return {
      type: 'end',
      span: { start: this.toks[delimIdx].pos, end: this.actionEnd(delimIdx) },
      delimIdx,
    };
  }

  /** `{{else}}`, or `{{else if ...` / `{{else with ...` (the keyword is left pending). */
  private elseControl(delimIdx: number): Marker {
    const delim = this.toks[delimIdx];
    const peek = this.peekNonSpace();
    if (peek.typ === Tok.If || peek.typ === Tok.With) {
      if (peek.typ === Tok.With && !this.elseWith) {
        // Go 1.19 has no `else with`; recovery treats it as one.
        this.nextNonSpace();
        this.report(this.unexpectedMessage(peek, 'else'), this.tokSpan(peek));
        this.backup();
      }
      return { type: 'else', span: { start: delim.pos, end: peek.pos }, delimIdx, pending: peek.typ };
    }
    try {
      this.expect(Tok.RightDelim, 'else');
    } catch (e) {
      this.caught(e);
      this.resync(delimIdx);
    }
    return { type: 'else', span: { start: delim.pos, end: this.actionEnd(delimIdx) }, delimIdx };
  }

  private ifControl(delimIdx: number): BranchNode {
    return this.parseControl('if', delimIdx);
  }

  private rangeControl(delimIdx: number): BranchNode {
    return this.parseControl('range', delimIdx);
  }

  private withControl(delimIdx: number): BranchNode {
    return this.parseControl('with', delimIdx);
  }

  /** if / range / with: the keyword is past. */
  private parseControl(context: 'if' | 'range' | 'with', delimIdx: number): BranchNode {
    const nvars = this.vars.length;
    const delim = this.toks[delimIdx];
    try {
      const holder: { pipe?: PipeNode } = {};
      let pipe: PipeNode;
      const firstPos = this.peekNonSpace().pos;
      try {
        pipe = this.pipeline(context, Tok.RightDelim, holder);
      } catch (e) {
        this.caught(e);
        this.resync(delimIdx);
        pipe = finishPartial(holder.pipe, firstPos);
      }
      const open: Span = { start: delim.pos, end: this.actionEnd(delimIdx) };
      if (context === 'range') this.rangeDepth++;
      const body = this.itemList(open);
      if (context === 'range') this.rangeDepth--;
      const node: BranchNode = {
        type: context,
        start: pipe.start,
        end: body.list.end,
        pipe,
        list: body.list,
        open,
        visibleStart: delim.pos,
      };
      let next = body.next;
      if (next && next.type === 'else') {
        if (next.pending !== undefined) {
          // `{{if a}}x{{else if b}}y{{end}}` is `{{if a}}x{{else}}{{if b}}y{{end}}{{end}}`: the inner
          // if consumes the one {{end}}. Likewise `else with` (Go 1.23).
          const allowed =
            (context === 'if' && next.pending === Tok.If) ||
            (context === 'with' && next.pending === Tok.With && this.elseWith);
          const kw = this.next();
          if (!allowed && !(next.pending === Tok.With && !this.elseWith)) {
            // Go: the pending keyword is read as text: `unexpected <if> in input`.
            this.report(this.unexpectedMessage(kw, 'input'), this.tokSpan(kw));
          }
          const inner = this.parseControl(kw.typ === Tok.If ? 'if' : 'with', next.delimIdx);
          node.elseList = {
            type: 'list',
            start: next.span.start,
            end: inner.close ? inner.close.start : inner.end,
            nodes: [inner],
          };
          node.close = inner.close;
          node.end = inner.end;
          return node;
        }
        const els = this.itemList(open);
        node.elseList = els.list;
        next = els.next;
        while (next && next.type === 'else') {
          this.report('expected end; found {{else}}', next.span);
          if (next.pending !== undefined) this.resync(next.delimIdx);
          const more = this.itemList(open);
          els.list.nodes.push(...more.list.nodes);
          els.list.end = more.list.end;
          next = more.next;
        }
        node.end = els.list.end;
      }
      if (next) {
        node.close = next.span;
        node.end = next.span.end;
      }
      return node;
    } finally {
      this.vars.length = nvars; // Go's deferred popVars
    }
  }

  /** `{{block "name" pipeline}} ... {{end}}`: a define plus a template call. */
  private blockControl(delimIdx: number): TemplateNode | null {
    const context = 'block clause';
    const delim = this.toks[delimIdx];
    let nameTok: Token | undefined;
    let name: string | undefined;
    const holder: { pipe?: PipeNode } = {};
    let pipe: PipeNode | undefined;
    try {
      const t = this.nextNonSpace();
      name = this.parseTemplateName(t, context);
      nameTok = t;
      pipe = this.pipeline(context, Tok.RightDelim, holder);
    } catch (e) {
      this.caught(e);
      this.resync(delimIdx);
      if (name !== undefined) pipe = finishPartial(holder.pipe, this.toks[delimIdx].end);
    }
    // Go's outer tree still holds the block's `}}` as its latest token when the body ends.
    const openIdx = this.p - 1;
    const open: Span = { start: delim.pos, end: this.actionEnd(delimIdx) };
    const { list, next } = this.nested(() => this.bodyUntilEnd(context, open, openIdx));
    if (name === undefined || nameTok === undefined) return null;
    this.addDefine(
      {
        name,
        nameSpan: this.tokSpan(nameTok),
        body: list,
        start: delim.pos,
        end: next ? next.span.end : this.text.length,
      },
      this.maxIdx,
    );
    return {
      type: 'template',
      start: nameTok.pos,
      end: open.end,
      name,
      nameSpan: this.tokSpan(nameTok),
      pipe,
      visibleStart: delim.pos,
    };
  }

  /** `{{template "name" pipeline}}`; the keyword is past. */
  private templateControl(delimIdx: number): TemplateNode | null {
    const context = 'template clause';
    let nameTok: Token | undefined;
    let name: string | undefined;
    const holder: { pipe?: PipeNode } = {};
    let pipe: PipeNode | undefined;
    try {
      const t = this.nextNonSpace();
      name = this.parseTemplateName(t, context);
      nameTok = t;
      if (this.nextNonSpace().typ !== Tok.RightDelim) {
        this.backup();
        pipe = this.pipeline(context, Tok.RightDelim, holder);
      }
    } catch (e) {
      this.caught(e);
      this.resync(delimIdx);
      if (holder.pipe) pipe = finishPartial(holder.pipe, holder.pipe.start);
    }
    if (name === undefined || nameTok === undefined) return null;
    return {
      type: 'template',
      start: nameTok.pos,
      end: this.actionEnd(delimIdx),
      name,
      nameSpan: this.tokSpan(nameTok),
      pipe,
      visibleStart: this.toks[delimIdx].pos,
    };
  }

  private parseTemplateName(t: Token, context: string): string {
    if (t.typ === Tok.String || t.typ === Tok.RawString) {
      const s = unquote(t.val);
      if (s === undefined) this.fail('invalid syntax', this.tokSpan(t));
      return s;
    }
    this.unexpected(t, context);
  }

  // ---- pipelines ----

  /** declarations? command ('|' command)*, up to `end` (a right delimiter or paren). */
  private pipeline(context: string, end: TokType, holder?: { pipe?: PipeNode }): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = {
      type: 'pipe',
      start: first.pos,
      end: first.pos,
      decl: [],
      isAssign: false,
      cmds: [],
      visibleStart: first.pos,
    };
    if (holder) holder.pipe = pipe;
    // Are there declarations or assignments?
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== Tok.Variable) break;
      const vIdx = this.p;
      this.next();
      // "$x foo" needs three tokens of look-ahead to tell an argument from a declaration.
      const after = this.peekNonSpace();
      if (after.typ === Tok.Assign || after.typ === Tok.Declare) {
        pipe.isAssign = after.typ === Tok.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        pipe.end = after.end;
        this.vars.push(v.val);
        break;
      }
      if (after.typ === Tok.Char && after.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        pipe.end = after.end;
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace();
          if (t.typ === Tok.Variable || t.typ === Tok.RightDelim || t.typ === Tok.RightParen) {
            continue; // The second variable of a range.
          }
          this.fail('range can only initialize variables', this.tokSpan(t));
        }
        this.fail(`too many declarations in ${context}`, this.tokSpan(after));
      }
      this.p = vIdx; // Go's backup2/backup3: $x is an operand.
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context, t);
        if (pipe.cmds.length) pipe.end = pipe.cmds[pipe.cmds.length - 1].end;
        return pipe;
      }
      switch (t.typ) {
        case Tok.Bool:
        case Tok.CharConstant:
        case Tok.Complex:
        case Tok.Dot:
        case Tok.Field:
        case Tok.Identifier:
        case Tok.Number:
        case Tok.Nil:
        case Tok.RawString:
        case Tok.String:
        case Tok.Variable:
        case Tok.LeftParen:
          this.backup();
          this.command(pipe);
          continue;
      }
      this.unexpected(t, context);
    }
  }

  private checkPipeline(pipe: PipeNode, context: string, endTok: Token): void {
    if (pipe.cmds.length === 0) {
      this.report(`missing value for ${context}`, this.tokSpan(endTok));
      return;
    }
    // Only the first command of a pipeline can start with a non-executable operand.
    for (let i = 1; i < pipe.cmds.length; i++) {
      const a = pipe.cmds[i].args[0];
      switch (a?.type) {
        case 'bool':
        case 'dot':
        case 'nil':
        case 'number':
        case 'string':
          this.report(`non executable command in pipeline stage ${i + 1}`, pipe.cmds[i]);
          return;
      }
    }
  }

  /** operand (space operand)*, up to `|` (consumed) or a right delimiter/paren (left). */
  private command(pipe: PipeNode): void {
    const start = this.peekNonSpace().pos;
    const cmd: CommandNode = { type: 'command', start, end: start, args: [] };
    // Appended at once (Go appends when done) so that a half-parsed command stays in the tree.
    pipe.cmds.push(cmd);
    for (;;) {
      this.peekNonSpace(); // Skip leading spaces.
      const operand = this.operand();
      if (operand) {
        cmd.args.push(operand);
        cmd.end = operand.end;
      }
      const t = this.next();
      if (t.typ === Tok.Space) continue;
      if (t.typ === Tok.RightDelim || t.typ === Tok.RightParen) {
        this.backup();
        break;
      }
      if (t.typ === Tok.Pipe) break;
      this.unexpected(t, 'operand');
    }
    if (cmd.args.length === 0) this.fail('empty command', cmd);
    pipe.end = cmd.end;
  }

  /** term .Field* */
  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().typ !== Tok.Field) return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    let end = node.end;
    while (this.peek().typ === Tok.Field) {
      const f = this.next();
      fields.push(f.val.slice(1));
      end = f.end;
    }
    const visibleStart = (node as { visibleStart?: number }).visibleStart ?? node.start;
    // Go keeps a field or variable one node (positioned at the chain, i.e. the first added field);
    // literals cannot take fields; anything else becomes a ChainNode.
    switch (node.type) {
      case 'field':
        return { type: 'field', start: chainPos, end, ident: node.ident.concat(fields), visibleStart };
      case 'variable':
        return {
          type: 'variable',
          start: chainPos,
          end,
          name: node.name,
          ident: node.ident.concat(fields),
          visibleStart,
        };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.report(`unexpected . after term ${goQuote(nodeString(node))}`, { start: visibleStart, end });
    }
    return { type: 'chain', start: chainPos, end, node, field: fields, visibleStart };
  }

  /** A literal, function name, `.`, `.Field`, `$x`, or `( pipeline )`; null if none is next. */
  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Tok.Identifier:
        if (this.checkFuncs && !BUILTINS.has(t.val) && !this.opts.funcs!(t.val)) {
          this.report(`function ${goQuote(t.val)} not defined`, this.tokSpan(t));
        }
        return { type: 'identifier', start: t.pos, end: t.end, name: t.val };
      case Tok.Dot:
        return { type: 'dot', start: t.pos, end: t.end };
      case Tok.Nil:
        return { type: 'nil', start: t.pos, end: t.end };
      case Tok.Variable:
        return this.useVar(t);
      case Tok.Field:
        return { type: 'field', start: t.pos, end: t.end, ident: [t.val.slice(1)], visibleStart: t.pos };
      case Tok.Bool:
        return { type: 'bool', start: t.pos, end: t.end, value: t.val === 'true' };
      case Tok.CharConstant:
      case Tok.Complex:
      case Tok.Number: {
        const n = newNumber(t);
        if (typeof n === 'string') {
          this.report(n, this.tokSpan(t));
          return {
            type: 'number',
            start: t.pos,
            end: t.end,
            isInt: false,
            isUint: false,
            isFloat: false,
            isComplex: false,
            text: t.val,
          };
        }
        return n;
      }
      case Tok.LeftParen: {
        if (this.depth >= MAX_DEPTH) this.fail('max expression depth exceeded', this.tokSpan(t));
        this.depth++;
        try {
          const pipe = this.pipeline('parenthesized pipeline', Tok.RightParen);
          pipe.visibleStart = t.pos;
          pipe.end = this.toks[this.p - 1].end;
          return pipe;
        } finally {
          this.depth--;
        }
      }
      case Tok.String:
      case Tok.RawString: {
        let s = unquote(t.val);
        if (s === undefined) {
          this.report('invalid syntax', this.tokSpan(t));
          s = t.val.slice(1, -1);
        }
        return { type: 'string', start: t.pos, end: t.end, quoted: t.val, text: s } satisfies StringNode;
      }
    }
    this.backup();
    return null;
  }

  private newVariable(t: Token): VariableNode {
    return { type: 'variable', start: t.pos, end: t.end, name: t.val, ident: [], visibleStart: t.pos };
  }

  private useVar(t: Token): VariableNode {
    const v = this.newVariable(t);
    if (!this.vars.includes(t.val)) this.report(`undefined variable ${goQuote(t.val)}`, this.tokSpan(t));
    return v;
  }
}

/** A pipeline abandoned by an error: drop a command left without arguments, settle the ends. */
function finishPartial(pipe: PipeNode | undefined, at: number): PipeNode {
  if (!pipe) return { type: 'pipe', start: at, end: at, decl: [], isAssign: false, cmds: [], visibleStart: at };
  const last = pipe.cmds[pipe.cmds.length - 1];
  if (last && last.args.length === 0) pipe.cmds.pop();
  if (pipe.cmds.length) pipe.end = pipe.cmds[pipe.cmds.length - 1].end;
  return pipe;
}

// ---- Go's strconv, as the parser uses it ----

const MAX_U64 = (1n << 64n) - 1n;
const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;

function lower(c: number): number {
  return c | 0x20;
}

/** strconv's underscoreOK: `_` only between digits or after a base prefix. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hexa = false;
  if (s.length >= 2 && s[0] === '0') {
    const c = lower(s.charCodeAt(1));
    if (c === 98 || c === 111 || c === 120) {
      i = 2;
      saw = '0';
      hexa = c === 120;
    }
  }
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (hexa && lower(c) >= 97 && lower(c) <= 102)) {
      saw = '0';
      continue;
    }
    if (c === 95) {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64): the value, or 'syntax' / 'range'. */
function parseUint(s0: string): bigint | 'syntax' | 'range' {
  if (s0 === '') return 'syntax';
  let s = s0;
  let base = 10;
  if (s[0] === '0') {
    const c = s.length >= 3 ? lower(s.charCodeAt(1)) : 0;
    if (c === 98) base = 2;
    else if (c === 111) base = 8;
    else if (c === 120) base = 16;
    else base = 8;
    s = s.slice(base === 8 && c !== 111 ? 1 : 2);
  }
  const b = BigInt(base);
  let underscores = false;
  let n = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c === 95) {
      underscores = true;
      continue;
    } else if (c >= 48 && c <= 57) d = c - 48;
    else if (lower(c) >= 97 && lower(c) <= 122) d = lower(c) - 97 + 10;
    else return 'syntax';
    if (d >= base) return 'syntax';
    n = n * b + BigInt(d);
    if (n > MAX_U64) return 'range';
  }
  if (underscores && !underscoreOK(s0)) return 'syntax';
  return n;
}

/** strconv.ParseInt(s, 0, 64). */
function parseInt64(s0: string): bigint | 'syntax' | 'range' {
  if (s0 === '') return 'syntax';
  let s = s0;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  const un = parseUint(s);
  if (un === 'syntax') return 'syntax';
  if (un === 'range') return 'range';
  if (!neg && un >= 1n << 63n) return 'range';
  if (neg && un > 1n << 63n) return 'range';
  return neg ? -un : un;
}

/** strconv.ParseFloat(s, 64): the value, or undefined on a syntax or range error. */
export function parseFloatGo(s: string): number | undefined {
  // readFloat's syntax check.
  let i = 0;
  const n = s.length;
  if (n === 0) return undefined;
  let neg = false;
  if (s[i] === '+') i++;
  else if (s[i] === '-') {
    neg = true;
    i++;
  }
  let hexa = false;
  if (i + 2 < n && s[i] === '0' && lower(s.charCodeAt(i + 1)) === 120) {
    hexa = true;
    i += 2;
  }
  const mantStart = i;
  let sawdot = false;
  let sawdigits = false;
  let underscores = false;
  let dotAt = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) {
      underscores = true;
      continue;
    }
    if (c === 46) {
      if (sawdot) break;
      sawdot = true;
      dotAt = i;
      continue;
    }
    if ((c >= 48 && c <= 57) || (hexa && lower(c) >= 97 && lower(c) <= 102)) {
      sawdigits = true;
      continue;
    }
    break;
  }
  if (!sawdigits) return undefined;
  const mantEnd = i;
  let exp = 0;
  const expChar = hexa ? 112 : 101;
  if (i < n && lower(s.charCodeAt(i)) === expChar) {
    i++;
    if (i >= n) return undefined;
    let esign = 1;
    if (s[i] === '+') i++;
    else if (s[i] === '-') {
      i++;
      esign = -1;
    }
    if (i >= n || s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return undefined;
    let e = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 95) {
        underscores = true;
        continue;
      }
      if (c < 48 || c > 57) break;
      if (e < 10000) e = e * 10 + c - 48;
    }
    exp = e * esign;
  } else if (hexa) {
    return undefined; // A hex mantissa needs a 'p' exponent.
  }
  if (underscores && !underscoreOK(s.slice(0, i))) return undefined;
  if (i !== n) return undefined;
  if (!hexa) {
    const f = Number(s.replace(/_/g, ''));
    return Number.isFinite(f) ? f : undefined;
  }
  // Hex float: mantissa * 2^(exp - 4 * fraction digits), rounded once, half to even.
  let m = 0n;
  let frac = 0;
  for (let j = mantStart; j < mantEnd; j++) {
    const c = s.charCodeAt(j);
    if (c === 95 || c === 46) continue;
    m = m * 16n + BigInt(c <= 57 ? c - 48 : lower(c) - 87);
    if (dotAt >= 0 && j > dotAt) frac++;
  }
  const v = roundBinary(m, exp - 4 * frac);
  if (!Number.isFinite(v)) return undefined;
  return neg ? -v : v;
}

/** m * 2^e as the nearest float64 (ties to even), Infinity on overflow. */
function roundBinary(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const bits = m.toString(2).length;
  // Exponent of the last kept bit: 53 significant bits, but not below 2^-1074 (subnormals).
  const lsb = Math.max(bits + e - 53, -1074);
  if (lsb > e) {
    const shift = BigInt(lsb - e);
    const q = m >> shift;
    const rem = m - (q << shift);
    const half = 1n << (shift - 1n);
    m = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
    e = lsb;
  }
  // m now has at most 54 bits; Number(m) is exact when it has at most 53.
  let v = Number(m);
  // Scale in steps so that intermediate powers of two stay finite and normal.
  while (e > 0) {
    const k = Math.min(e, 1000);
    v *= 2 ** k;
    e -= k;
  }
  while (e < 0) {
    const k = Math.max(e, -1000);
    v *= 2 ** k;
    e -= k;
  }
  return v;
}

/** float64(int64(f)) == f, with amd64's conversion of out-of-range values. */
function fitsInt64(f: number): boolean {
  return Number.isInteger(f) && f >= -TWO63 && f < TWO63;
}

/** float64(uint64(f)) == f on amd64. */
function fitsUint64(f: number): boolean {
  return Number.isInteger(f) && f >= 0 && f < TWO64;
}

/** Go's newNumber: the NumberNode, or the error message. */
function newNumber(t: Token): NumberNode | string {
  const text = t.val;
  const n: NumberNode = {
    type: 'number',
    start: t.pos,
    end: t.end,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    text,
  };
  if (t.typ === Tok.CharConstant) {
    const r = unquoteChar(text, 1, 39);
    if (!r) return 'invalid syntax';
    if (text.slice(r.next) !== "'") return `malformed character constant: ${text}`;
    n.isInt = n.isUint = n.isFloat = true;
    n.int64 = n.uint64 = BigInt(r.value);
    n.float64 = r.value; // Odd, but those are the rules.
    return n;
  }
  if (t.typ === Tok.Complex) {
    // fmt.Sscan of "re+imi": split at the sign that starts the imaginary part.
    let k = text.length - 2;
    while (k > 0) {
      const c = text[k];
      if ((c === '+' || c === '-') && !/[eEpP]/.test(text[k - 1])) break;
      k--;
    }
    const re = parseFloatGo(text.slice(0, k));
    const im = parseFloatGo(text.slice(k, -1));
    if (re === undefined || im === undefined) {
      const bad = re === undefined ? text.slice(0, k) : text.slice(k, -1);
      return `strconv.ParseFloat: parsing ${goQuote(bad)}: invalid syntax`;
    }
    n.isComplex = true;
    simplifyComplex(n, re, im);
    return n;
  }
  // Imaginary constants can only be complex unless they are zero.
  if (text.endsWith('i')) {
    const f = parseFloatGo(text.slice(0, -1));
    if (f !== undefined) {
      n.isComplex = true;
      simplifyComplex(n, 0, f);
      return n;
    }
  }
  // Integer tests first, so that 0x123 etc. work.
  const u = parseUint(text);
  if (typeof u === 'bigint') {
    n.isUint = true;
    n.uint64 = u;
  }
  const i = parseInt64(text);
  if (typeof i === 'bigint') {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true; // In case of -0.
      n.uint64 = 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseFloatGo(text);
    if (f !== undefined) {
      // Parsed as a float but looks like an integer: too large for an int.
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${goQuote(text)}`;
      n.isFloat = true;
      n.float64 = f;
      if (fitsInt64(f)) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (fitsUint64(f)) {
        n.isUint = true;
        n.uint64 = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${goQuote(text)}`;
  return n;
}

function simplifyComplex(n: NumberNode, re: number, im: number): void {
  n.complexReal = re;
  n.complexImag = im;
  n.isFloat = im === 0;
  if (n.isFloat) {
    n.float64 = re;
    n.isInt = fitsInt64(re);
    if (n.isInt) n.int64 = BigInt(re);
    n.isUint = fitsUint64(re);
    if (n.isUint) n.uint64 = BigInt(re);
  }
}

/**
 * strconv.UnquoteChar at s[i] for a literal quoted by `quote`: the rune or byte value, whether it
 * is a raw byte (`\x..` and octal escapes), and where the rest starts; undefined on a syntax error.
 */
function unquoteChar(
  s: string,
  i: number,
  quote: number,
): { value: number; byte: boolean; next: number } | undefined {
  if (i >= s.length) return undefined;
  const c = s.charCodeAt(i);
  if (c === quote && (quote === 39 || quote === 34)) return undefined;
  if (c >= 0x80) {
    const r = s.codePointAt(i)!;
    return { value: r, byte: false, next: i + (r > 0xffff ? 2 : 1) };
  }
  if (c !== 92) return { value: c, byte: false, next: i + 1 };
  if (i + 1 >= s.length) return undefined;
  const e = s.charCodeAt(i + 1);
  let j = i + 2;
  switch (e) {
    case 97:
      return { value: 7, byte: false, next: j };
    case 98:
      return { value: 8, byte: false, next: j };
    case 102:
      return { value: 12, byte: false, next: j };
    case 110:
      return { value: 10, byte: false, next: j };
    case 114:
      return { value: 13, byte: false, next: j };
    case 116:
      return { value: 9, byte: false, next: j };
    case 118:
      return { value: 11, byte: false, next: j };
    case 120:
    case 117:
    case 85: {
      const len = e === 120 ? 2 : e === 117 ? 4 : 8;
      if (j + len > s.length) return undefined;
      let v = 0;
      for (let k = 0; k < len; k++) {
        const h = s.charCodeAt(j + k);
        let d: number;
        if (h >= 48 && h <= 57) d = h - 48;
        else if (lower(h) >= 97 && lower(h) <= 102) d = lower(h) - 87;
        else return undefined;
        v = v * 16 + d;
      }
      j += len;
      if (e === 120) return { value: v, byte: true, next: j }; // A single byte, possibly not UTF-8.
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
      return { value: v, byte: false, next: j };
    }
    case 48:
    case 49:
    case 50:
    case 51:
    case 52:
    case 53:
    case 54:
    case 55: {
      let v = e - 48;
      if (j + 2 > s.length) return undefined;
      for (let k = 0; k < 2; k++) {
        const x = s.charCodeAt(j + k) - 48;
        if (x < 0 || x > 7) return undefined;
        v = (v << 3) | x;
      }
      j += 2;
      if (v > 255) return undefined;
      return { value: v, byte: true, next: j };
    }
    case 92:
      return { value: 92, byte: false, next: j };
    case 39:
    case 34:
      if (e !== quote) return undefined;
      return { value: e, byte: false, next: j };
  }
  return undefined;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * strconv.Unquote of a string token ("..." or `...`); undefined on a syntax error. Raw strings
 * lose their carriage returns. Escaped bytes that do not form UTF-8 (`"\xff"`) become U+FFFD: a JS
 * string cannot hold them.
 */
export function unquote(q: string): string | undefined {
  if (q.length < 2) return undefined;
  const quote = q.charCodeAt(0);
  if (quote === 96) {
    if (q.charCodeAt(q.length - 1) !== 96 || q.indexOf('`', 1) !== q.length - 1) return undefined;
    const body = q.slice(1, -1);
    return body.indexOf('\r') >= 0 ? body.replace(/\r/g, '') : body;
  }
  if (quote !== 34) return undefined;
  if (q.indexOf('\\') < 0 && q.indexOf('\n') < 0) {
    if (q.indexOf('"', 1) !== q.length - 1) return undefined;
    return q.slice(1, -1);
  }
  let out = '';
  let bytes: number[] | undefined;
  let i = 1;
  while (i < q.length && q.charCodeAt(i) !== 34) {
    if (q.charCodeAt(i) === 10) return undefined;
    const r = unquoteChar(q, i, 34);
    if (!r) return undefined;
    i = r.next;
    if (r.byte && r.value >= 0x80) {
      if (!bytes) bytes = Array.from(utf8Encoder.encode(out));
      bytes.push(r.value);
    } else if (bytes) {
      for (const b of utf8Encoder.encode(String.fromCodePoint(r.value))) bytes.push(b);
    } else {
      out += String.fromCodePoint(r.value);
    }
  }
  if (i !== q.length - 1) return undefined;
  return bytes ? utf8Decoder.decode(new Uint8Array(bytes)) : out;
}
