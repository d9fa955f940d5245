/**
 * The evaluator: Go's text/template execution (Go 1.19 text/template/exec.go, with the later
 * additions Helm's Go has: `range` over an integer, `range $i, $v = ...` assigning) over the trees
 * of ast.ts and the values of value.ts.
 *
 * API
 * - `execute(templateName, body, fileName, text, dot, opts)` runs one template (a file's body or a
 *   define) with `dot` as `.` and `$`, and returns `{ output, segments? }`. `templateName` is what
 *   Go's messages call the template (`executing "mychart.labels"`), `fileName` its ParseName (the
 *   file, used in `FILE:LINE:COL`), `text` that file's text (offsets of `body` point into it).
 * - `executeNamed(name, dot, opts, setName)` is Go's ExecuteTemplate: it looks the template up with
 *   `opts.lookup` and fails like Go (`template: no template "x" associated with template "gotpl"`,
 *   a GoError, not an ExecError: Go returns a plain error there). For functions like Helm's
 *   `include` that the engine binds per render.
 * - Options: `funcs` (looked up before the builtins, as Go does), `lookup` (for `{{template}}`),
 *   `missingKey` (`zero`, Helm's choice, is the default here; `invalid` is Go's default; `error`),
 *   `limits` (output size and a deadline: the run stops with an ExecError of kind 'limit'),
 *   `sourceMap` (output segments mapped back to their source).
 * - Errors: `ExecError`, whose message is Go's `err.Error()`, e.g.
 *   `template: echo/templates/x.yaml:3:12: executing "echo/templates/x.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag`,
 *   with structured fields for the editor. A function's error (GoError), panic (GoPanic) or nested
 *   ExecError (an `include` that failed inside) becomes `error calling NAME: MSG` with `cause` set.
 *   An ExecError of kind 'limit' thrown by a function passes through unchanged. Other JavaScript
 *   exceptions (bugs, stack overflow) are not Go errors and propagate as they are.
 *
 * Values: undefined is Go's invalid reflect.Value ("no value"), null a nil interface{}. Go also
 * distinguishes an interface{} holding a value (a map element, an element of a []interface{})
 * from the bare value only in the static type it reports (`can't evaluate field x in type
 * interface {}`); the evaluator tracks that with a side flag (`boxed`) rather than wrapping values.
 *
 * Go records the node being evaluated (`s.at(node)`) and reports errors against it; this file
 * calls `at` in the same places so that messages name the same node and position.
 */
import { ArgNode, BranchNode, CommandNode, FieldNode, ListNode, Node, NumberNode, PipeNode, Span, TemplateNode, VariableNode, ChainNode, IdentifierNode } from './ast';
import { assign, BUILTINS, canBeNil, convertInt, IfaceValue, isIntType, NOT_ASSIGNABLE, zeroOf } from './builtins';
import { formatV, goTypeName, sortedKeys, utf8Length } from './fmt';
import { nodeString } from './nodeString';
import { quoteGo } from './printf';
import { enterNesting, leaveNesting, nestingDepth, restoreNesting } from './stackBudget';
import {
  elemType,
  FuncDef,
  FuncMap,
  GoError,
  GoFloat32,
  GoFunc,
  GoInt,
  GoPanic,
  GoStruct,
  GoType,
  isGoMap,
  isTrue,
  Value,
} from './value';

/** A template found by name: a define or a file's body. */
export interface TemplateEntry {
  /** The template's name (for a define, the define's name). When `file` is absent this is also the file. */
  name: string;
  /** The file (ParseName) it was parsed from. */
  file?: string;
  /** That file's text. */
  text: string;
  body: ListNode;
}

export interface TemplateLookup {
  (name: string): TemplateEntry | undefined;
}

export interface ExecLimits {
  /** Stop once the output is longer than this (counted in UTF-16 units, close to bytes for YAML). */
  maxOutputBytes: number;
  /** Stop once `now()` is past this. */
  deadline: number;
  now(): number;
}

export interface ExecOptions {
  funcs: FuncMap;
  lookup: TemplateLookup;
  missingKey?: 'zero' | 'error' | 'invalid';
  limits?: ExecLimits;
  sourceMap?: boolean;
}

/** A piece of the output and where it came from. */
export interface Segment {
  outStart: number;
  outEnd: number;
  kind: 'text' | 'action';
  /** ParseName of the file the piece came from. */
  file: string;
  /** text: where the copied text came from; action: the action's span. */
  srcStart: number;
  srcEnd: number;
  /** Enclosing {{template}} calls, outermost first. */
  stack: ReadonlyArray<{ file: string; start: number; end: number }>;
  /** For an action whose pipeline starts with a field chain rooted at .Values or $.Values: the path after it. */
  valuePath?: string[];
}

export interface ExecResult {
  output: string;
  segments?: Segment[];
}

/** An execution error, with Go's text as `message`. */
export class ExecError extends Error {
  readonly kind: 'exec' | 'limit';
  /** Go's message after `at <...>: `, e.g. `nil pointer evaluating interface {}.tag`. */
  readonly goMessage: string;
  /** The executing template's name (`executing "NAME"`). */
  readonly templateName: string;
  /** The file (ParseName) of the node. */
  readonly fileName: string;
  /** Offset in that file's text where Go places the error (the node's position as Go counts it). */
  readonly offset: number;
  /** The node's span in that file. */
  readonly node: Span;
  /** The error of the function that failed (a nested ExecError for an include-like function). */
  override readonly cause?: Error;

  constructor(
    message: string,
    fields: {
      kind?: 'exec' | 'limit';
      goMessage?: string;
      templateName?: string;
      fileName?: string;
      offset?: number;
      node?: Span;
      cause?: Error;
    } = {},
  ) {
    super(message);
    this.name = 'ExecError';
    this.kind = fields.kind ?? 'exec';
    this.goMessage = fields.goMessage ?? message;
    this.templateName = fields.templateName ?? '';
    this.fileName = fields.fileName ?? '';
    this.offset = fields.offset ?? 0;
    this.node = fields.node ?? { start: this.offset, end: this.offset };
    this.cause = fields.cause;
  }
}

/** Go's maxExecDepth (stack depth of {{template}} calls). */
const MAX_EXEC_DEPTH = 100000;

/** The "missing" final argument of a command (Go's missingVal). */
const MISSING = Symbol('missingVal');
type Final = Value | typeof MISSING;

const WALK_NORMAL = 0;
const WALK_BREAK = 1;
const WALK_CONTINUE = 2;

const MISSING_ZERO = 0;
const MISSING_INVALID = 1;
const MISSING_ERROR = 2;

type AnyNode = Node | ArgNode | CommandNode | PipeNode;

const EMPTY_STACK: Segment['stack'] = [];

/** Executes a template. See the file comment. */
export function execute(templateName: string, body: ListNode, fileName: string, text: string, dot: Value, opts: ExecOptions): ExecResult {
  const s = new State(opts, templateName, fileName, text);
  s.push('$', dot, false);
  const depth = nestingDepth();
  try {
    s.walk(dot, body);
  } finally {
    restoreNesting(depth);
  }
  return s.segments ? { output: s.out, segments: s.segments } : { output: s.out };
}

/** Go's Template.ExecuteTemplate on the set `setName` (Helm's is "gotpl"). */
export function executeNamed(name: string, dot: Value, opts: ExecOptions, setName = 'gotpl'): ExecResult {
  const entry = opts.lookup(name);
  if (!entry) throw new GoError(`template: no template ${quoteGo(name)} associated with template ${quoteGo(setName)}`);
  return execute(name, entry.body, entry.file ?? entry.name, entry.text, dot, opts);
}

class State {
  out = '';
  readonly segments: Segment[] | undefined;
  readonly funcs: FuncMap;
  readonly lookup: TemplateLookup;
  readonly missingKey: number;
  readonly limits: ExecLimits | undefined;
  readonly maxOut: number;

  tmplName: string;
  file: string;
  text: string;
  node: AnyNode | undefined;
  depth = 0;
  steps = 0;
  stack: Segment['stack'] = EMPTY_STACK;

  // The variable stack: names, values and whether each value is an interface{} holding it.
  varNames: string[] = [];
  varValues: Value[] = [];
  varBoxed: boolean[] = [];
  nvars = 0;
  /** Variables below this index belong to the caller of a {{template}}. */
  varBase = 0;

  /** Whether dot is an interface{} value (an element of a []interface{} or map). */
  dotBoxed = false;
  /** Side result of the eval functions: whether the value just returned is held in an interface{}. */
  boxed = false;

  constructor(opts: ExecOptions, tmplName: string, file: string, text: string) {
    this.funcs = opts.funcs;
    this.lookup = opts.lookup;
    this.missingKey = opts.missingKey === 'error' ? MISSING_ERROR : opts.missingKey === 'invalid' ? MISSING_INVALID : MISSING_ZERO;
    this.limits = opts.limits;
    this.maxOut = opts.limits ? opts.limits.maxOutputBytes : Infinity;
    this.segments = opts.sourceMap ? [] : undefined;
    this.tmplName = tmplName;
    this.file = file;
    this.text = text;
  }

  // ----- variables

  push(name: string, value: Value, boxed: boolean): void {
    const i = this.nvars++;
    this.varNames[i] = name;
    this.varValues[i] = value;
    this.varBoxed[i] = boxed;
  }

  setVar(name: string, value: Value, boxed: boolean): void {
    for (let i = this.nvars - 1; i >= this.varBase; i--) {
      if (this.varNames[i] === name) {
        this.varValues[i] = value;
        this.varBoxed[i] = boxed;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  setTopVar(n: number, value: Value, boxed: boolean): void {
    this.varValues[this.nvars - n] = value;
    this.varBoxed[this.nvars - n] = boxed;
  }

  varIndex(name: string): number {
    for (let i = this.nvars - 1; i >= this.varBase; i--) if (this.varNames[i] === name) return i;
    this.errorf(`undefined variable: ${name}`);
  }

  // ----- errors and limits

  at(node: AnyNode): void {
    this.node = node;
  }

  errorf(msg: string, cause?: Error): never {
    const node = this.node;
    if (!node) {
      throw new ExecError(`template: ${this.tmplName}: ${msg}`, {
        goMessage: msg,
        templateName: this.tmplName,
        fileName: this.file,
        cause,
      });
    }
    const pos = goPos(node);
    const { line, col } = lineCol(this.text, pos);
    const context = nodeString(node);
    throw new ExecError(`template: ${this.file}:${line}:${col}: executing ${quoteGo(this.tmplName)} at <${context}>: ${msg}`, {
      goMessage: msg,
      templateName: this.tmplName,
      fileName: this.file,
      offset: pos,
      node: { start: visibleStart(node), end: node.end },
      cause,
    });
  }

  limitError(msg: string): never {
    const node = this.node;
    throw new ExecError(`template: ${this.tmplName}: ${msg}`, {
      kind: 'limit',
      goMessage: msg,
      templateName: this.tmplName,
      fileName: this.file,
      offset: node ? goPos(node) : 0,
      node: node ? { start: visibleStart(node), end: node.end } : undefined,
    });
  }

  /** Checks the clock every 256 steps. */
  tick(): void {
    if ((++this.steps & 255) === 0 && this.limits && this.limits.now() > this.limits.deadline) {
      this.limitError('rendering stopped: it took longer than the time limit');
    }
  }

  write(s: string, kind: 'text' | 'action', srcStart: number, srcEnd: number, valuePath?: string[]): void {
    if (s.length === 0) return;
    if (this.segments) {
      const seg: Segment = {
        outStart: this.out.length,
        outEnd: this.out.length + s.length,
        kind,
        file: this.file,
        srcStart,
        srcEnd,
        stack: this.stack,
      };
      if (valuePath) seg.valuePath = valuePath;
      this.segments.push(seg);
    }
    this.out += s;
    if (this.out.length > this.maxOut) {
      this.limitError(`rendering stopped: the output is larger than ${this.maxOut} bytes`);
    }
  }

  // ----- walk

  walk(dot: Value, node: Node): number {
    this.at(node);
    switch (node.type) {
      case 'text':
        this.write(node.text, 'text', node.textStart, node.textStart + node.text.length);
        return WALK_NORMAL;
      case 'action': {
        this.tick();
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return WALK_NORMAL;
      }
      case 'list': {
        // Each list is a level of nesting (a template's body, a block's): counted for the stack budget.
        enterNesting();
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) {
          const r = this.walk(dot, nodes[i]);
          if (r !== WALK_NORMAL) {
            leaveNesting();
            return r;
          }
        }
        leaveNesting();
        return WALK_NORMAL;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        this.walkRange(dot, node);
        return WALK_NORMAL;
      case 'template':
        this.walkTemplate(dot, node);
        return WALK_NORMAL;
      case 'comment':
        return WALK_NORMAL;
      case 'break':
        return WALK_BREAK;
      case 'continue':
        return WALK_CONTINUE;
    }
    return WALK_NORMAL;
  }

  walkIfOrWith(dot: Value, node: BranchNode): number {
    const mark = this.nvars;
    this.tick();
    const val = this.evalPipeline(dot, node.pipe);
    let r = WALK_NORMAL;
    if (isTrue(val)) {
      if (node.type === 'with') {
        const saved = this.dotBoxed;
        this.dotBoxed = false;
        r = this.walk(val, node.list);
        this.dotBoxed = saved;
      } else r = this.walk(dot, node.list);
    } else if (node.elseList) {
      r = this.walk(dot, node.elseList);
    }
    this.nvars = mark;
    return r;
  }

  walkRange(dot: Value, r: BranchNode): void {
    this.at(r);
    const outerMark = this.nvars;
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.nvars;
    const decl = r.pipe.decl;
    const assign = r.pipe.isAssign;
    const savedBoxed = this.dotBoxed;
    // One iteration; returns true to stop (break).
    const one = (index: Value, elem: Value, boxed: boolean): boolean => {
      this.tick();
      if (decl.length > 0) {
        if (assign) {
          if (decl.length > 1) this.setVar(decl[0].name, index, false);
          else this.setVar(decl[0].name, elem, boxed);
        } else this.setTopVar(1, elem, boxed);
      }
      if (decl.length > 1) {
        if (assign) this.setVar(decl[1].name, elem, boxed);
        else this.setTopVar(2, index, false);
      }
      this.dotBoxed = boxed;
      const res = this.walk(elem, r.list);
      this.dotBoxed = savedBoxed;
      this.nvars = mark;
      return res === WALK_BREAK;
    };
    let ran = false;
    if (Array.isArray(val)) {
      if (val.length > 0) {
        ran = true;
        const iface = elemType(val) === 'interface {}';
        for (let i = 0; i < val.length; i++) {
          let e = val[i];
          if (e === undefined) e = null;
          if (one(new GoInt(BigInt(i)), e, iface || e === null)) break;
        }
      }
    } else if (val instanceof Uint8Array) {
      if (val.length > 0) {
        ran = true;
        for (let i = 0; i < val.length; i++) if (one(new GoInt(BigInt(i)), new GoInt(BigInt(val[i]), 'uint8'), false)) break;
      }
    } else if (val instanceof GoInt) {
      if (decl.length > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`);
      const n = val.v;
      if (n > 0n) {
        ran = true;
        for (let i = 0n; i < n; i++) if (one(undefined, new GoInt(i, val.t), false)) break;
      }
    } else if (val !== undefined && val !== null) {
      const m = isGoMap(val) ? val : val instanceof GoStruct ? val.asMap() : undefined;
      if (!m) this.errorf(`range can't iterate over ${formatV(val)}`);
      const keys = sortedKeys(m);
      if (keys.length > 0) {
        ran = true;
        for (const k of keys) {
          let e = m[k];
          if (e === undefined) e = null;
          if (one(k, e, true)) break;
        }
      }
    }
    if (!ran && r.elseList) this.walk(dot, r.elseList);
    this.nvars = outerMark;
  }

  walkTemplate(dot: Value, t: TemplateNode): void {
    this.at(t);
    const entry = this.lookup(t.name);
    if (!entry) this.errorf(`template ${quoteGo(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    // A new scope: the callee sees only `$`, its dot (variables declared by the pipeline persist here).
    const saved = {
      tmplName: this.tmplName,
      file: this.file,
      text: this.text,
      varBase: this.varBase,
      nvars: this.nvars,
      dotBoxed: this.dotBoxed,
      stack: this.stack,
    };
    if (this.segments) this.stack = [...this.stack, { file: this.file, start: visibleStart(t), end: t.end }];
    this.varBase = this.nvars;
    this.push('$', newDot, false);
    this.tmplName = t.name;
    this.file = entry.file ?? entry.name;
    this.text = entry.text;
    this.dotBoxed = false;
    this.depth++;
    this.walk(newDot, entry.body);
    this.depth--;
    this.tmplName = saved.tmplName;
    this.file = saved.file;
    this.text = saved.text;
    this.varBase = saved.varBase;
    this.nvars = saved.nvars;
    this.dotBoxed = saved.dotBoxed;
    this.stack = saved.stack;
    this.node = t;
  }

  // ----- evaluation

  evalPipeline(dot: Value, pipe: PipeNode | undefined): Value {
    if (!pipe) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i], value);
      // An interface{} result is unwrapped to the value inside ("lovely!"): a nil one is no value.
      if (value === null) value = undefined;
    }
    if (value === MISSING) value = undefined;
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      if (pipe.isAssign) this.setVar(decl[i].name, value, false);
      else this.push(decl[i].name, value, false);
    }
    this.boxed = false;
    return value;
  }

  notAFunction(args: ArgNode[] | null, final: Final): void {
    if ((args && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0])}`);
    }
  }

  evalCommand(dot: Value, cmd: CommandNode, final: Final): Value {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    this.boxed = false;
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        this.boxed = this.dotBoxed;
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.errorf(`can't evaluate command ${quoteGo(nodeString(first))}`);
  }

  idealConstant(c: NumberNode): Value {
    this.at(c);
    if (c.isComplex) this.errorf(`complex constant ${c.text} is not supported`);
    if (c.isFloat && !isHexInt(c.text) && !isRuneInt(c.text) && /[.eEpP]/.test(c.text)) return c.float64!;
    if (c.isInt) return new GoInt(c.int64!, 'int');
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  evalFieldNode(dot: Value, field: FieldNode, args: ArgNode[] | null, final: Final): Value {
    this.at(field);
    return this.evalFieldChain(dot, dot, this.dotBoxed, field, field.ident, args, final);
  }

  evalChainNode(dot: Value, chain: ChainNode, args: ArgNode[] | null, final: Final): Value {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, this.boxed, chain, chain.field, args, final);
  }

  evalVariableNode(dot: Value, v: VariableNode, args: ArgNode[] | null, final: Final): Value {
    this.at(v);
    const i = this.varIndex(v.name);
    const value = this.varValues[i];
    const boxed = this.varBoxed[i];
    if (v.ident.length === 0) {
      this.notAFunction(args, final);
      this.boxed = boxed;
      return value;
    }
    return this.evalFieldChain(dot, value, boxed, v, v.ident, args, final);
  }

  evalFieldChain(
    dot: Value,
    receiver: Value,
    boxed: boolean,
    node: FieldNode | ChainNode | VariableNode,
    ident: string[],
    args: ArgNode[] | null,
    final: Final,
  ): Value {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i], node, null, MISSING, receiver, boxed);
      boxed = this.boxed;
    }
    return this.evalField(dot, ident[n - 1], node, args, final, receiver, boxed);
  }

  evalFunction(dot: Value, node: IdentifierNode, cmd: AnyNode, args: ArgNode[] | null, final: Final): Value {
    this.at(node);
    const name = node.name;
    let def = this.funcs.get(name);
    let isBuiltin = false;
    if (!def) {
      def = BUILTINS.get(name);
      isBuiltin = def !== undefined;
    }
    if (!def) this.errorf(`${quoteGo(name)} is not a defined function`);
    return this.evalCall(dot, def, isBuiltin, cmd, name, args, final);
  }

  evalField(
    dot: Value,
    fieldName: string,
    node: AnyNode,
    args: ArgNode[] | null,
    final: Final,
    receiver: Value,
    boxed: boolean,
  ): Value {
    if (receiver === undefined) {
      if (this.missingKey === MISSING_ERROR) this.errorf(`nil data; no entry for key ${quoteGo(fieldName)}`);
      this.boxed = false;
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const typ = boxed ? 'interface {}' : goTypeName(receiver);
    if (receiver instanceof GoStruct) {
      const method = receiver.method(fieldName);
      if (method) return this.evalCall(dot, method, false, node, fieldName, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    const m = isGoMap(receiver) ? receiver : receiver instanceof GoStruct ? receiver.asMap() : undefined;
    if (m) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const result = Object.prototype.hasOwnProperty.call(m, fieldName) ? m[fieldName] : undefined;
      if (result !== undefined) {
        this.boxed = true;
        return result;
      }
      switch (this.missingKey) {
        case MISSING_INVALID:
          this.boxed = false;
          return undefined;
        case MISSING_ZERO:
          this.boxed = true;
          return null;
        default:
          this.errorf(`map has no entry for key ${quoteGo(fieldName)}`);
      }
    }
    if (receiver instanceof GoStruct) {
      const f = receiver.field(fieldName);
      if (f) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        // A struct field always holds a value: an unset one is taken as a nil interface{}.
        const fv = f.value === undefined ? null : f.value;
        this.boxed = fv === null;
        return fv;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  /**
   * Calls a function or method. `args` is the command's words with the function itself first (or
   * null when it is called without arguments, as an operand), `final` the value piped in.
   */
  evalCall(dot: Value, def: FuncDef, isBuiltin: boolean, node: AnyNode, name: string, args: ArgNode[] | null, final: Final): Value {
    const nargs = args ? args.length - 1 : 0;
    const numIn = nargs + (final !== MISSING ? 1 : 0);
    const params = def.params;
    const variadic = def.variadic;
    let numFixed = nargs;
    if (variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${nargs}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    // and/or evaluate their arguments lazily and return the deciding one.
    if (isBuiltin && (name === 'and' || name === 'or')) {
      const argType = params[0];
      let v: Value = undefined;
      for (let i = 1; i <= nargs; i++) {
        v = this.evalArg(dot, argType, args![i]);
        if (isTrue(v) === (name === 'or')) {
          this.boxed = v === null;
          return v;
        }
      }
      if (final !== MISSING) v = this.validateType(final, argType);
      this.boxed = v === null;
      return v;
    }

    const argv: Value[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < nargs; i++) argv[i] = this.evalArg(dot, params[i], args![i + 1]);
    if (variadic !== undefined) {
      const wrapIface = isBuiltin && name === 'slice';
      for (; i < nargs; i++) {
        const v = this.evalArg(dot, variadic, args![i + 1]);
        // Go's slice builtin does not look inside an interface{} index.
        argv[i] = wrapIface && this.boxed && v !== null && v !== undefined ? new IfaceValue(v) : v;
      }
    }
    if (final !== MISSING) {
      let t = params[params.length - 1];
      if (variadic !== undefined) t = numIn - 1 < numFixed ? params[numIn - 1] : variadic;
      argv[i] = this.validateType(final, t);
    }
    let v: Value;
    try {
      v = def.fn(...argv);
    } catch (e) {
      if (e instanceof ExecError) {
        if (e.kind === 'limit') {
          // A limit a guarded function hit (repeat, until...): it happened at this call.
          if (!e.fileName) {
            throw new ExecError(e.message, { kind: 'limit', goMessage: e.goMessage, templateName: this.tmplName, fileName: this.file, offset: goPos(node), node: { start: visibleStart(node), end: node.end } });
          }
          throw e;
        }
      } else if (!(e instanceof GoError) && !(e instanceof GoPanic)) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${(e as Error).message}`, e as Error);
    }
    // A function returning interface{} returns a (possibly nil) interface, never "no value".
    if (v === undefined && def.result === 'interface {}') v = null;
    this.boxed = v === null || def.result === 'interface {}';
    return v;
  }

  /** validateType: the value checked (and converted) for a parameter of type typ; null typ takes anything. */
  validateType(value: Final, typ: GoType | null): Value {
    if (value === MISSING) value = undefined;
    if (value === undefined) {
      if (typ === null) return undefined;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === null || typ === 'interface {}' || typ === 'reflect.Value') return value;
    if (value === null) this.errorf(`wrong type for value; expected ${typ}; got interface {}`);
    const a = assign(value, typ);
    if (a !== NOT_ASSIGNABLE) return a;
    // One dereference: a pointer to a struct of the wanted type.
    if (value instanceof GoStruct && value.goType === '*' + typ) return value;
    this.errorf(`wrong type for value; expected ${typ}; got ${goTypeName(value)}`);
  }

  evalArg(dot: Value, typ: GoType | null, n: ArgNode): Value {
    this.at(n);
    switch (n.type) {
      case 'dot':
        this.boxed = this.dotBoxed;
        return this.validateType(dot, typ);
      case 'nil':
        this.boxed = false;
        if (typ === null) this.errorf('cannot assign nil to <nil>');
        if (canBeNil(typ)) return zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, null, MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    this.boxed = false;
    if (typ === null || typ === 'interface {}' || typ === 'reflect.Value') return this.evalEmptyInterface(dot, n);
    switch (typ) {
      case 'bool':
        this.at(n);
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'string':
        this.at(n);
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
      case 'float64':
      case 'float32':
        this.at(n);
        if (n.type === 'number' && n.isFloat) return typ === 'float32' ? new GoFloat32(Math.fround(n.float64!)) : n.float64!;
        this.errorf(`expected float; found ${nodeString(n)}`);
      case 'complex64':
      case 'complex128':
        this.errorf(`expected complex; found ${nodeString(n)}`);
    }
    if (isIntType(typ)) {
      this.at(n);
      if (typ[0] === 'u') {
        if (n.type === 'number' && n.isUint) return convertInt(n.uint64!, typ);
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
      }
      if (n.type === 'number' && n.isInt) return convertInt(n.int64!, typ);
      this.errorf(`expected integer; found ${nodeString(n)}`);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  evalEmptyInterface(dot: Value, n: ArgNode): Value {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'dot':
        this.boxed = this.dotBoxed;
        return dot;
      case 'field':
        return this.evalFieldNode(dot, n, null, MISSING);
      case 'identifier':
        return this.evalFunction(dot, n, n, null, MISSING);
      case 'nil':
        this.errorf("evalEmptyInterface: nil (can't happen)");
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
      case 'variable':
        return this.evalVariableNode(dot, n, null, MISSING);
      case 'pipe':
        return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  printValue(node: Node & { type: 'action' }, v: Value): void {
    this.at(node);
    if (v instanceof GoFunc) this.errorf(`can't print ${nodeString(node)} of type ${goTypeName(v)}`);
    let s: string;
    if (typeof v === 'string') s = v;
    else {
      // printValue prints a fmt.Stringer with its String method (also through a pointer receiver:
      // a struct reached through a field is addressable).
      const str = v instanceof GoStruct ? v.method('String') : undefined;
      s = str && str.params.length === 0 && str.result === 'string' ? (str.fn() as string) : formatV(v);
    }
    if (s.length === 0) return;
    if (this.segments) this.write(s, 'action', visibleStart(node), node.end, valuePathOf(node.pipe));
    else this.write(s, 'action', 0, 0);
  }
}

// ---------------------------------------------------------------------------------------------

function isRuneInt(s: string): boolean {
  return s.length > 0 && s[0] === "'";
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

/** The field path after `.Values` / `$.Values` of a pipeline's first command, when it is a bare field chain. */
function valuePathOf(pipe: PipeNode): string[] | undefined {
  if (pipe.decl.length > 0 || pipe.cmds.length === 0) return undefined;
  const cmd = pipe.cmds[0];
  if (cmd.args.length !== 1) return undefined;
  const a = cmd.args[0];
  if (a.type === 'field' && a.ident[0] === 'Values') return a.ident.slice(1);
  if (a.type === 'variable' && a.name === '$' && a.ident[0] === 'Values') return a.ident.slice(1);
  return undefined;
}

/** Go's Position() of a node: the parser stores it as `start` (see ast.ts). */
function goPos(node: AnyNode): number {
  return node.start;
}

/** Where a node's text begins (its `{{`, first `.`, `$` or `(`), for spans shown to the user. */
function visibleStart(node: AnyNode): number {
  return (node as { visibleStart?: number }).visibleStart ?? node.start;
}

/** Go's line (1-based) and column (bytes from the line start) of an offset. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: utf8Length(text.slice(lineStart, pos)) };
}
