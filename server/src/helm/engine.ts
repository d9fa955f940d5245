/**
 * Rendering a set of templates as Helm's pkg/engine does: one template namespace for a chart and
 * all its subcharts, parsed deepest path first, `include`/`tpl`/`required`/`fail` bound to that
 * set, partials (`_*`) parsed but not rendered, every `<no value>` removed, and errors reworded
 * the way Helm words them.
 *
 * Pure: templates and values are handed in; no IO. Bounded when `limits` are given (the editor):
 * output size, time, and the functions that can blow up (`repeat`, `until`, ...) are capped, and a
 * render that hits a cap stops with a RenderError of kind 'limit'.
 */
import { ListNode, ParsedTemplate, ParseError } from './ast';
import { execute, ExecError, Segment } from './exec';
import { formatParseError, isEmptyTree, parseTemplate } from './parser';
import { FuncDef, FuncMap, GoError, GoInt, Value } from './value';
import { quoteGo } from './printf';
import { noteStackOverflow } from './stackBudget';

/** Helm stops `include` after this many nested calls of one name. */
export const INCLUDE_RECURSION_MAX = 1000;

const WARN_START = 'HELM_ERR_START';
const WARN_END = 'HELM_ERR_END';

export interface TemplateEntry {
  /** The template's name: a file (`echo/templates/x.yaml`) or a define. */
  name: string;
  /** The file it was parsed from (Go's ParseName). */
  file: string;
  text: string;
  body: ListNode;
}

/**
 * A template namespace (Go's *template.Template common map). `tpl` works on a clone: a child set
 * that sees its parent's templates and keeps its own additions.
 */
export class TemplateSet {
  private readonly own = new Map<string, TemplateEntry>();
  constructor(private readonly parent?: TemplateSet) {}

  get(name: string): TemplateEntry | undefined {
    return this.own.get(name) ?? this.parent?.get(name);
  }

  /**
   * Adds a parsed file as Go's Template.AddParseTree does for each tree of a Parse: the file's own
   * body under its name and each define under its name; an empty tree never replaces an existing one.
   */
  add(parsed: ParsedTemplate, nameOverride?: string): void {
    const file = parsed.name;
    this.associate({ name: nameOverride ?? file, file, text: parsed.text, body: parsed.root });
    for (const d of parsed.defines) this.associate({ name: d.name, file, text: parsed.text, body: d.body });
  }

  private associate(entry: TemplateEntry): void {
    const old = this.get(entry.name);
    if (old && isEmptyTree(entry.body)) return;
    this.own.set(entry.name, entry);
  }
}

export interface RenderLimits {
  /** Output bytes per template render (and per string a function may build). */
  maxOutputBytes: number;
  /** Wall-clock budget for the whole render, in ms. */
  timeoutMs: number;
  now(): number;
}

export interface Renderable {
  /** Template name, e.g. `echo/templates/deployment.yaml`. */
  name: string;
  text: string;
  /** The dot for this template (its chart's scope); `Template` is set per render. */
  vals: Record<string, Value>;
  /** `<chart path>/templates`. */
  basePath: string;
}

export interface RenderOptions {
  funcs: FuncMap;
  limits?: RenderLimits;
  sourceMap?: boolean;
  /** Parse errors of all files (the editor wants them all; Helm stops at the first). */
  collectAll?: boolean;
  /** Names of templates to render (default: all that are not partials). */
  only?: (name: string) => boolean;
  /**
   * Parse results kept between renders (the editor's): a file whose text and name are unchanged is
   * not parsed again. Trees are never mutated by execution, so sharing them is safe.
   */
  parseCache?: Map<string, ParsedTemplate>;
  /** Called before each template is executed (the editor reseeds its random functions per template). */
  beforeTemplate?: (name: string) => void;
}

export type RenderErrorKind = 'parse' | 'exec' | 'limit' | 'other';

/** A failed render, with Helm's message and, for the editor, where it happened. */
export class RenderError extends Error {
  constructor(
    message: string,
    readonly kind: RenderErrorKind,
    readonly template: string,
    readonly parseError?: ParseError,
    readonly execError?: ExecError,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

export interface RenderedTemplate {
  name: string;
  output: string;
  segments?: Segment[];
  /** A `required`/`fail` message or other failure of this template, when collecting all (editor). */
  error?: RenderError;
}

export interface RenderResult {
  /** Rendered files (partials excluded) in render order. */
  files: Map<string, RenderedTemplate>;
  /** Every file's parse result (partials included), for the editor. */
  parsed: Map<string, ParsedTemplate>;
  set: TemplateSet;
  /** The first error, as Helm reports it (Helm renders nothing when there is one). */
  error?: RenderError;
}

/** Helm's order for parsing and rendering: deeper paths first, then by name, both descending. */
export function sortTemplateNames(names: string[]): string[] {
  const depth = (s: string): number => {
    let c = 0;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 47) c++;
    return c;
  };
  return [...names].sort((a, b) => {
    const da = depth(a);
    const db = depth(b);
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Helm's cleanupParseError: `parse error at (FILE:LINE): MESSAGE`. */
export function parseErrorMessage(file: string, e: ParseError): string {
  return `parse error at (${file}:${e.line}): ${lastToken(e.message)}`;
}

function lastToken(message: string): string {
  const parts = message.split(': ');
  return parts[parts.length - 1];
}

interface Traceable {
  location: string;
  message: string;
  executed: string;
}

/** Helm v4's parseTemplateExecErrorString. */
function parseTraceable(s: string): Traceable | undefined {
  const prefix = 'template: ';
  if (!s.startsWith(prefix)) return undefined;
  const rem = s.slice(prefix.length);
  if (rem.startsWith('no template ')) return { location: '', message: s, executed: '' };
  const ex = rem.indexOf(': executing ');
  if (ex >= 0) {
    const name = rem.slice(0, ex);
    const after = rem.slice(ex + ': executing '.length);
    if (after[0] === '"') {
      const endQuote = after.indexOf('"', 1);
      if (endQuote > 0) {
        const fn = after.slice(1, endQuote);
        const afterFunc = after.slice(endQuote + 1);
        if (afterFunc.startsWith(' at <')) {
          const afterAt = afterFunc.slice(5);
          const cut = afterAt.indexOf('>: ');
          if (cut >= 0) {
            let msg = afterAt.slice(cut + 3);
            const t = msg.indexOf(' template:');
            if (t >= 0) msg = msg.slice(0, t);
            return { location: name, message: msg, executed: `executing "${fn}" at <${afterAt.slice(0, cut)}>:` };
          }
        }
      }
    }
    return undefined;
  }
  const sep = rem.lastIndexOf(': ');
  if (sep >= 0) {
    let msg = rem.slice(sep + 2);
    const t = msg.indexOf(' template:');
    if (t >= 0) msg = msg.slice(0, t);
    return { location: rem.slice(0, sep), message: msg, executed: '' };
  }
  return undefined;
}

/** The chain of errors Go's errors.Unwrap would walk (ExecError → the error of a function it called → ...). */
function unwrapChain(e: Error): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  while (cur instanceof Error) {
    out.push(cur.message);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/** Helm v4's reformatExecErrorMsg: `required`/`fail` messages, else a multi-line trace when every link parses. */
export function formatExecError(file: string, err: Error): string {
  const text = err.message;
  const tokens = splitN(text, ': ', 3);
  if (tokens.length !== 3) return `execution error in (${file}): ${text}`;
  const location = tokens[1];
  const s = tokens[2].indexOf(WARN_START);
  const e = tokens[2].lastIndexOf(WARN_END);
  if (s >= 0 && e > s) return `execution error at (${location}): ${tokens[2].slice(s + WARN_START.length, e)}`;
  const trace: Traceable[] = [];
  for (const link of unwrapChain(err)) {
    const tr = parseTraceable(link);
    if (!tr) return text;
    const last = trace[trace.length - 1];
    if (!last || last.location !== tr.location || last.message !== tr.message || last.executed !== tr.executed) trace.push(tr);
  }
  let out = '';
  for (const t of trace) {
    if (t.location) out += `${t.location}\n  `;
    if (t.executed) out += `${t.executed}\n    `;
    if (t.message) out += `${t.message}\n`;
  }
  return out.trim();
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** An error thrown inside a function that the evaluator reports as `error calling NAME: MSG`, keeping the inner error as its cause. */
function wrapped(message: string, cause: unknown): GoError {
  const e = new GoError(message);
  (e as { cause?: unknown }).cause = cause;
  return e;
}

/**
 * Renders templates the way Helm's engine.render does. Returns every rendered file; the first
 * parse or execution error in Helm's order is `error` (with `collectAll`, the others are on their files).
 */
export function render(tpls: Renderable[], opts: RenderOptions): RenderResult {
  const names = sortTemplateNames(tpls.map((t) => t.name));
  const byName = new Map(tpls.map((t) => [t.name, t]));
  const set = new TemplateSet();
  const parsed = new Map<string, ParsedTemplate>();
  const files = new Map<string, RenderedTemplate>();
  const deadline = opts.limits ? opts.limits.now() + opts.limits.timeoutMs : Infinity;
  let firstError: RenderError | undefined;

  const baseFuncs = opts.limits ? guardFuncs(opts.funcs, opts.limits) : opts.funcs;
  const isFunc = (n: string): boolean => baseFuncs.has(n) || n === 'include' || n === 'tpl' || n === 'required' || n === 'fail';

  for (const name of names) {
    const t = byName.get(name)!;
    const cached = opts.parseCache?.get(name);
    const p = cached && cached.text === t.text ? cached : parseTemplate(name, t.text, { funcs: isFunc });
    if (opts.parseCache && p !== cached) opts.parseCache.set(name, p);
    parsed.set(name, p);
    if (p.error) {
      const err = new RenderError(parseErrorMessage(name, p.error), 'parse', name, p.error);
      firstError ??= err;
      if (!opts.collectAll) return { files, parsed, set, error: firstError };
      // The editor still renders the other files; this one's defines are taken as far as they parsed.
    }
    set.add(p);
  }

  const includeCounts = new Map<string, number>();
  const limits = opts.limits ? { maxOutputBytes: opts.limits.maxOutputBytes, deadline, now: opts.limits.now } : undefined;

  const funcsFor = (scope: TemplateSet, rootName: string): FuncMap => {
    const m: FuncMap = new Map(baseFuncs);
    m.set('include', {
      name: 'include',
      params: ['string', 'interface {}'],
      result: 'string',
      returnsError: true,
      fn: (n: Value, data: Value) => {
        const tname = n as string;
        const count = includeCounts.get(tname);
        if (count !== undefined) {
          if (count > INCLUDE_RECURSION_MAX) {
            // The editor says it once, short; the CLI keeps Helm's error (and its trace).
            if (limits) throw new ExecError(`include "${tname}" calls itself more than ${INCLUDE_RECURSION_MAX} levels deep, where Helm stops ("rendering template has a nested reference name: ${tname}")`, { kind: 'limit' });
            throw new GoError(`rendering template has a nested reference name: ${tname}: unable to execute template`);
          }
          includeCounts.set(tname, count + 1);
        } else includeCounts.set(tname, 1);
        try {
          const entry = scope.get(tname);
          if (!entry) throw new GoError(`template: no template ${quoteGo(tname)} associated with template ${quoteGo(rootName)}`);
          return execute(entry.name, entry.body, entry.file, entry.text, data, {
            funcs: m,
            lookup: (x) => scope.get(x),
            missingKey: 'zero',
            limits,
          }).output;
        } finally {
          includeCounts.set(tname, includeCounts.get(tname)! - 1);
        }
      },
    });
    m.set('tpl', {
      name: 'tpl',
      params: ['string', 'interface {}'],
      result: 'string',
      returnsError: true,
      fn: (text: Value, vals: Value) => {
        const clone = new TemplateSet(scope);
        const cloneFuncs = funcsFor(clone, rootName);
        const p = parseTemplate(rootName, text as string, { funcs: (n) => cloneFuncs.has(n) });
        if (p.error) {
          throw new GoError(`cannot parse template ${quoteGo(text as string)}: ${formatParseError(rootName, p.error)}`);
        }
        clone.add(p, rootName);
        const entry = clone.get(rootName)!;
        let out: string;
        try {
          out = execute(rootName, entry.body, rootName, p.text, vals, {
            funcs: cloneFuncs,
            lookup: (x) => clone.get(x),
            missingKey: 'zero',
            limits,
          }).output;
        } catch (e) {
          if ((e instanceof ExecError && e.kind === 'limit') || e instanceof RangeError) throw e;
          const msg = e instanceof Error ? e.message : String(e);
          throw wrapped(`error during tpl function execution for ${quoteGo(text as string)}: ${msg}`, e);
        }
        return out.split('<no value>').join('');
      },
    });
    return m;
  };
  const rootFuncs = funcsFor(set, 'gotpl');

  for (const name of names) {
    if (baseName(name).startsWith('_')) continue;
    if (opts.only && !opts.only(name)) continue;
    if (parsed.get(name)?.error) continue;
    const t = byName.get(name)!;
    t.vals['Template'] = { Name: name, BasePath: t.basePath };
    const entry = set.get(name);
    if (!entry) continue;
    includeCounts.clear();
    opts.beforeTemplate?.(name);
    try {
      const r = execute(name, entry.body, entry.file, entry.text, t.vals, {
        funcs: rootFuncs,
        lookup: (x) => set.get(x),
        missingKey: 'zero',
        limits,
        sourceMap: opts.sourceMap,
      });
      files.set(name, { name, output: goBytesAsText(removeNoValue(r.output, r.segments)), segments: r.segments });
    } catch (e) {
      const err = toRenderError(name, e);
      firstError ??= err;
      if (!opts.collectAll) return { files, parsed, set, error: firstError };
      files.set(name, { name, output: '', error: err });
      // Out of time: the rest would be too. Out of output or stack: the other templates still render.
      if (err.kind === 'limit' && limits && limits.now() > deadline) break;
    }
  }
  return { files, parsed, set, error: firstError };
}

function toRenderError(name: string, e: unknown): RenderError {
  if (e instanceof ExecError) {
    if (e.kind === 'limit') return new RenderError(e.message, 'limit', name, undefined, e);
    return new RenderError(formatExecError(name, e), 'exec', name, undefined, e);
  }
  if (e instanceof RangeError) {
    noteStackOverflow(e);
    return new RenderError(`rendering template failed: ${e.message}`, 'limit', name);
  }
  return new RenderError(`rendering template failed: ${e instanceof Error ? e.message : String(e)}`, 'other', name);
}

/**
 * Helm replaces every `<no value>` in a rendered file by "". With a source map, segments after a
 * removal move left; a segment that held the text shrinks.
 */
export function removeNoValue(output: string, segments?: Segment[]): string {
  if (output.indexOf('<no value>') < 0) return output;
  if (!segments) return output.split('<no value>').join('');
  const cuts: number[] = [];
  let i = output.indexOf('<no value>');
  while (i >= 0) {
    cuts.push(i);
    i = output.indexOf('<no value>', i + 10);
  }
  const shift = (pos: number): number => {
    let n = 0;
    for (const c of cuts) {
      if (c + 10 <= pos) n += 10;
      else if (c < pos) n += pos - c;
      else break;
    }
    return pos - n;
  };
  for (const s of segments) {
    s.outStart = shift(s.outStart);
    s.outEnd = shift(s.outEnd);
  }
  return output.split('<no value>').join('');
}

/**
 * Functions that cut a Go string inside a character keep each loose byte as a lone surrogate
 * U+DC80..U+DCFF (funcs/strings-utf8.ts); written out, such a byte is not UTF-8, and a reader sees
 * U+FFFD, so the rendered text shows that. Same length: the source map stays right.
 */
export function goBytesAsText(s: string): string {
  return /[\uDC80-\uDCFF]/.test(s) ? s.replace(/(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g, '\uFFFD') : s;
}

/** Helm's `required`: nil or "" fails with the message (reworded later as `execution error at (...)`). */
export const requiredFunc: FuncDef = {
  name: 'required',
  params: ['string', 'interface {}'],
  result: 'interface {}',
  returnsError: true,
  fn: (warn: Value, val: Value) => {
    if (val === null || val === undefined || val === '') throw new GoError(WARN_START + String(warn) + WARN_END);
    return val;
  },
};

/** Helm's `fail`. */
export const failFunc: FuncDef = {
  name: 'fail',
  params: ['string'],
  result: 'string',
  returnsError: true,
  fn: (msg: Value) => {
    throw new GoError(WARN_START + String(msg) + WARN_END);
  },
};

/** The editor's bounds on functions that can build huge values from small inputs. */
function guardFuncs(funcs: FuncMap, limits: RenderLimits): FuncMap {
  const m: FuncMap = new Map(funcs);
  const cap = limits.maxOutputBytes;
  const num = (v: Value): number => (v instanceof GoInt ? Number(v.v) : typeof v === 'number' ? v : Number(v) || 0);
  const guard = (name: string, size: (args: Value[]) => number): void => {
    const f = m.get(name);
    if (!f) return;
    m.set(name, {
      ...f,
      fn: (...args: Value[]) => {
        if (size(args) > cap) throw new ExecError(`${name} would build more than ${cap} bytes; the render stops here`, { kind: 'limit' });
        return f.fn(...args);
      },
    });
  };
  guard('repeat', (a) => num(a[0]) * String(a[1] ?? '').length);
  guard('until', (a) => Math.abs(num(a[0])) * 8);
  guard('untilStep', (a) => (num(a[2]) === 0 ? 0 : Math.abs((num(a[1]) - num(a[0])) / num(a[2])) * 8));
  guard('seq', (a) => (a.length === 1 ? Math.abs(num(a[0])) : Math.abs(num(a[a.length - 1]) - num(a[0]))) * 4);
  for (const n of ['randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'randBytes']) guard(n, (a) => num(a[0]));
  guard('indent', (a) => num(a[0]) * (String(a[1] ?? '').split('\n').length));
  guard('nindent', (a) => num(a[0]) * (String(a[1] ?? '').split('\n').length));
  guard('printf', (a) => {
    const f = String(a[0] ?? '');
    let max = 0;
    for (const m2 of f.matchAll(/%[-+# 0]*(\d+)/g)) max = Math.max(max, Number(m2[1]));
    return max;
  });
  return m;
}


