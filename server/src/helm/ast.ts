/**
 * The syntax tree of Go's text/template, as Helm parses templates.
 *
 * Mirrors Go's text/template/parse node types. Every node keeps `start`/`end`, offsets into the
 * template's text (`end` exclusive). Nodes are plain data: the parser builds them, the evaluator
 * and the editor features read them.
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

/** `{{/* ... *\/}}`, kept so the editor can fold and skip it. */
export interface CommentNode extends Span {
  type: 'comment';
  text: string;
}

/** `{{ pipeline }}`. */
export interface ActionNode extends Span {
  type: 'action';
  pipe: PipeNode;
}

/** `$x := a | b`, `$i, $v := ...`, `$x = ...`, or a plain `a | b | c`. */
export interface PipeNode extends Span {
  type: 'pipe';
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

/** `.Values.image.tag`: a field chain on dot; `ident` is ["Values", "image", "tag"]. */
export interface FieldNode extends Span {
  type: 'field';
  ident: string[];
}

/** `$x.a.b` or `$`: name includes the `$`; `ident` holds the fields after it. */
export interface VariableNode extends Span {
  type: 'variable';
  name: string;
  ident: string[];
}

/** `(pipeline).a.b`: fields applied to a parenthesised pipeline or another operand. */
export interface ChainNode extends Span {
  type: 'chain';
  node: ArgNode;
  field: string[];
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

/** A sequence of nodes: the body of the template, of an if/range/with branch, of a define. */
export interface ListNode extends Span {
  type: 'list';
  nodes: Node[];
}

/** `if`, `range` and `with` share this shape (Go's BranchNode). */
export interface BranchNode extends Span {
  type: 'if' | 'range' | 'with';
  pipe: PipeNode;
  list: ListNode;
  /** `else` branch; an `else if` / `else with` is a list holding one if/with node. */
  elseList?: ListNode;
  /** Offset range of the keyword action `{{ if ... }}` (for the editor: folding, matching). */
  open: Span;
  /** Offset range of `{{ end }}` (absent when the parser recovered from a missing end). */
  close?: Span;
}

/** `{{ template "name" pipeline }}`; `block` is parsed as a define plus a template node. */
export interface TemplateNode extends Span {
  type: 'template';
  name: string;
  /** Range of the name's string literal, quotes included. */
  nameSpan: Span;
  pipe?: PipeNode;
}

export interface BreakNode extends Span {
  type: 'break';
}

export interface ContinueNode extends Span {
  type: 'continue';
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

/** `{{ define "name" }}...{{ end }}` (and the define half of `block`). */
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
