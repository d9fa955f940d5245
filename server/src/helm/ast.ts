/**
 * The syntax tree of Go's text/template, as Helm parses templates.
 *
 * Mirrors Go's text/template/parse node types. Every node keeps `start`/`end`, offsets into the
 * template's text (`end` exclusive). Nodes are plain data: the parser builds them, the evaluator
 * and the editor features read them.
 *
 * `start` is the position Go's `Node.Position()` reports (what exec errors print as LINE:COL), which
 * for some nodes is not where the node's text begins: an action's is its first pipeline token, a
 * branch's is its pipeline's, a template's is its name, `.a.b.c`'s is `.b`. Those nodes also carry
 * `visibleStart`, where their text begins (`{{`, `.a`, `(`), so `text.slice(visibleStart, end)` is
 * the node's whole source text. (Added by the parser; optional only for hand-built trees.)
 */

export interface Span {
  start: number;
  end: number;
}

/** Literal text between actions (after trim markers were applied: `text` is what is copied). */
export interface TextNode extends Span {
  type: 'text';
  /** The text copied to the output (trimmed by `{{-` / `-}}` of the neighbouring actions). */
  text: string;
  /** Offset in the template of `text[0]` (the trimmed text starts here; `start` is the untrimmed start). */
  textStart: number;
}

/**
 * `{{/* ... *\/}}`, kept so the editor can fold and skip it (Go has no such node in Helm's parse
 * mode; the evaluator ignores it). `start`/`end` cover the delimiters; `text` is Go's comment text,
 * `/* ... *\/` included.
 */
export interface CommentNode extends Span {
  type: 'comment';
  text: string;
}

/** `{{ pipeline }}`. `start` is Go's position: the pipeline's first token; `end` is after `}}`. */
export interface ActionNode extends Span {
  type: 'action';
  pipe: PipeNode;
  /** Offset of `{{`. */
  visibleStart?: number;
}

/**
 * `$x := a | b`, `$i, $v := ...`, `$x = ...`, or a plain `a | b | c`. `start` is Go's position: the
 * first token of the pipeline; `end` the end of its last command. A parenthesised pipeline `(a b)`
 * has `visibleStart` at `(` and `end` after `)`.
 */
export interface PipeNode extends Span {
  type: 'pipe';
  visibleStart?: number;
  /** Declared or assigned variables (empty for a plain pipeline). */
  decl: VariableNode[];
  /** True for `=` (assignment to existing variables), false for `:=`. */
  isAssign: boolean;
  cmds: CommandNode[];
}

/** One command of a pipeline: `printf "%s" .x` (args[0] is the function or operand). */
export interface CommandNode extends Span {
  type: 'command';
  args: ArgNode[];
}

export type ArgNode =
  | IdentifierNode
  | FieldNode
  | ChainNode
  | VariableNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

/** A function name: `printf`, `include`. */
export interface IdentifierNode extends Span {
  type: 'identifier';
  name: string;
}

/**
 * `.Values.image.tag`: a field chain on dot; `ident` is ["Values", "image", "tag"]. Go's position
 * (`start`) is that of the second segment (`.image`) when there are several, as Go builds the node
 * from a chain; `visibleStart` is the first `.`.
 */
export interface FieldNode extends Span {
  type: 'field';
  ident: string[];
  visibleStart?: number;
}

/**
 * `$x.a.b` or `$`: name includes the `$`; `ident` holds the fields after it. With fields, Go's
 * position (`start`) is that of the first field (`.a`); `visibleStart` is the `$`.
 */
export interface VariableNode extends Span {
  type: 'variable';
  name: string;
  ident: string[];
  visibleStart?: number;
}

/**
 * `(pipeline).a.b`: fields applied to a parenthesised pipeline or another operand. Go's position
 * (`start`) is that of the first field (`.a`); `visibleStart` is where `node`'s text begins.
 */
export interface ChainNode extends Span {
  type: 'chain';
  node: ArgNode;
  field: string[];
  visibleStart?: number;
}

export interface DotNode extends Span {
  type: 'dot';
}

export interface NilNode extends Span {
  type: 'nil';
}

export interface BoolNode extends Span {
  type: 'bool';
  value: boolean;
}

/**
 * A number, rune or character constant, with Go's interpretation of it (parse.NumberNode):
 * which of int/uint/float/complex it can be, and the value as each.
 */
export interface NumberNode extends Span {
  type: 'number';
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64?: bigint;
  uint64?: bigint;
  float64?: number;
  /** The value when isComplex (Go's Complex128): real and imaginary parts. */
  complexReal?: number;
  complexImag?: number;
  /** The original text. */
  text: string;
}

export interface StringNode extends Span {
  type: 'string';
  /** The original text, quotes included. */
  quoted: string;
  /** The value after unquoting. */
  text: string;
}

/**
 * A sequence of nodes: the body of the template, of an if/range/with branch, of a define.
 * `start`/`end` span the body's text (from after the opening action to the closing one), not Go's
 * position (never used in messages).
 */
export interface ListNode extends Span {
  type: 'list';
  nodes: Node[];
}

/**
 * `if`, `range` and `with` share this shape (Go's BranchNode). `start` is Go's position, the
 * pipeline's (`pipe.start`); `visibleStart` is `open.start`; `end` is after `{{end}}`.
 */
export interface BranchNode extends Span {
  type: 'if' | 'range' | 'with';
  visibleStart?: number;
  pipe: PipeNode;
  list: ListNode;
  /** `else` branch; an `else if` / `else with` is a list holding one if/with node. */
  elseList?: ListNode;
  /** Offset range of the keyword action `{{ if ... }}` (for the editor: folding, matching). */
  open: Span;
  /** Offset range of `{{ end }}` (absent when the parser recovered from a missing end). */
  close?: Span;
}

/**
 * `{{ template "name" pipeline }}`; `block` is parsed as a define plus a template node. `start` is
 * Go's position, the name's; `visibleStart` is `{{`, `end` after `}}` (for a block, after the
 * opening action).
 */
export interface TemplateNode extends Span {
  type: 'template';
  visibleStart?: number;
  name: string;
  /** Range of the name's string literal, quotes included. */
  nameSpan: Span;
  pipe?: PipeNode;
}

/** `{{break}}`: `start` is Go's position, the keyword's; `visibleStart` is `{{`. */
export interface BreakNode extends Span {
  type: 'break';
  visibleStart?: number;
}

/** `{{continue}}`: `start` is Go's position, the keyword's; `visibleStart` is `{{`. */
export interface ContinueNode extends Span {
  type: 'continue';
  visibleStart?: number;
}

export type Node =
  | TextNode
  | CommentNode
  | ActionNode
  | BranchNode
  | TemplateNode
  | BreakNode
  | ContinueNode
  | ListNode;

/**
 * `{{ define "name" }}...{{ end }}` (and the define half of `block`). `start`/`end` span from the
 * opening `{{` to after `{{ end }}`.
 */
export interface DefineNode extends Span {
  name: string;
  nameSpan: Span;
  body: ListNode;
}

export interface ParseError {
  /** Go's message, e.g. `undefined variable "$fullName"`, `unexpected EOF`. */
  message: string;
  /** Offset where Go reports it (Go reports a line; we keep the exact offset of the token). */
  start: number;
  end: number;
  /** 1-based line, as Go's message counts it. */
  line: number;
  /** For `unexpected EOF`: the opening action of the innermost unclosed block or define. */
  related?: Span;
}

/** One parsed file. */
export interface ParsedTemplate {
  /** The template's name, e.g. `echo/templates/deployment.yaml`. */
  name: string;
  text: string;
  /** The file's own body (what renders when the file is rendered). */
  root: ListNode;
  /** Defines in the file, in order. A later define of the same name replaces an earlier one. */
  defines: DefineNode[];
  /**
   * The first error, as Go would report it (Go stops at the first one). The tree is still there,
   * recovered as far as possible, for the editor.
   */
  error?: ParseError;
  /** Every error found while recovering (error is errors[0]). */
  errors: ParseError[];
}
