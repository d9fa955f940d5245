/**
 * Values files ↔ templates: which values every template reads, where each key of a values file is,
 * and the features built on both (go to definition of a read, references and readers of a key,
 * rename in both directions, unused values, duplicate keys).
 *
 * Reads are found by a small abstract interpretation of the parse tree: what `.` and each `$var`
 * may refer to, as a path from the scope object (`["Values", "image"]`). `with` and `range`
 * rebind dot, `include`/`template` pass a value as the dot of a define, `index`, `get`, `dig`,
 * `first`/`last` step into a value, `default`/`required`/`and`/`or`/`coalesce`/`ternary`/`merge`
 * pass their operands on, `dict "context" $ "value" .Values.x` holds them under its keys. A
 * define's reads are relative to its dot; a chart model resolves them through every call
 * (`include "chart.labels" .`, `include "x" .Values.image`, `include "x" (dict "imageRoot"
 * .Values.image)`), across the chart and its subcharts (define names are global in Helm's
 * template set).
 *
 * Paths: `[]` stands for "an element" (of a list a `range` or `first` steps into, or of a map a
 * `range` iterates), and matches any key or list item. A read is `partial` when its value is
 * used whole (printed, passed to `toYaml`, to a define the model does not have, as the context
 * of `tpl` of a non-literal text...): it reads everything under it; `.Values` (or the top scope)
 * used whole reads everything, and unused values are then not reported.
 *
 * Pure: no IO; locations are `{ path, start, end }` with the paths the caller put into the model.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Pair } from 'yaml';
import type { ArgNode, CommandNode, ListNode, Node, ParsedTemplate, PipeNode, Span, StringNode } from '../../helm/ast';
import { parseTemplate } from '../../helm/parser';
import type { Problem } from '../../types';

// ---------------------------------------------------------------------------------------------
// Public shapes

export interface ValueSegment {
  /** The key as written (`image`), or the text of a string literal (`my-key` of `index .Values "my-key"`). */
  key: string;
  /** Offsets of the key name in the template (inside the quotes for a string literal). */
  start: number;
  end: number;
  /** Which element of `path` this segment names. */
  pathIndex: number;
  /** The key is the content of a string literal (`index`, `hasKey`, `get`, `dig`), not a field. */
  literal?: true;
}

export interface ValueRead {
  /** The values path read, e.g. `["image", "tag"]`; `[]` marks an element (see the file comment). */
  path: string[];
  /** Offsets of the whole expression (`.Values.image.tag`, `.tag` inside `with`, `index .Values "a"`). */
  start: number;
  end: number;
  /** The key names that appear in the text, with their offsets. */
  segments: ValueSegment[];
  /** The value is used whole (printed, `toYaml`, `tpl`...): everything under `path` is read. */
  partial?: true;
  /** Set when the read is inside this define: the path assumes its callers pass the top scope (`.` or `$`). */
  define?: string;
}

export interface ValuesKey {
  /** Path of the key, `[]` for a list item: `["ingress", "hosts", "[]", "host"]`. */
  path: string[];
  keyStart: number;
  keyEnd: number;
  /** The value's range (the key's own end when it has no value). */
  valueStart: number;
  valueEnd: number;
  /** 0-based line of the key. */
  line: number;
  /** Index of the YAML document in the file (Helm merges them, the last one wins). */
  doc: number;
  /** Offset of the map that holds the key (keys with the same `mapStart` are siblings). */
  mapStart: number;
  /** The key is reached through an alias (`*anchor`, `<<: *anchor`): its text belongs to the anchored node. */
  viaAlias?: true;
}

/**
 * A chart as the features see it (the caller builds it from disk and the open documents). Treat it
 * as immutable: build a new one when a file changes (parse trees can be reused), results are
 * cached per model object.
 */
export interface ChartModel {
  /** A path key for the chart folder, e.g. workspace-relative. */
  dir: string;
  /** Chart.yaml `name`. */
  name: string;
  /** The alias a parent's dependency gives it: its values live under this key in the parent. */
  alias?: string;
  /** Every template file (`templates/**`, helpers included), with the path used in locations. */
  templates: Array<{ path: string; parsed: ParsedTemplate }>;
  /** values.yaml first, then any other values files tied to this chart, in order. */
  valuesFiles: Array<{ path: string; text: string }>;
  subcharts: ChartModel[];
  /** Names (or aliases) of every dependency Chart.yaml declares, present or not: their keys are never "unused". */
  dependencyNames?: string[];
  /** Values paths Helm itself reads in this chart's values: the dependencies' `condition`s (`db.enabled`, dotted). */
  conditions?: string[];
}

export interface Location {
  path: string;
  start: number;
  end: number;
}

export interface Reader extends Location {
  /** 0-based line of the read in its template. */
  line: number;
  /** The values path read, relative to the chart whose scope it reads. */
  valuesPath: string[];
}

export interface FileEdit extends Location {
  newText: string;
}

// ---------------------------------------------------------------------------------------------
// Reads in one template: abstract interpretation

/** A read as recorded in a unit (the file body or a define): the path is relative to the unit's dot. */
interface RawRead {
  unit?: string;
  path: string[];
  start: number;
  end: number;
  segments: ValueSegment[];
  partial?: true;
}

/** One thing an expression may evaluate to: a path from the unit's dot, and the read that produced it. */
interface Ref {
  path: string[];
  /**
   * A dict built in the template (`dict "context" $ "value" .Values.x`) holds this value under
   * these keys: fields must first step through them (`.context.Values.a` on it is `Values.a`).
   */
  via?: string[];
  read?: RawRead;
}

/**
 * Steps `keys` into `r`: the first keys go through its dict keys (`via`), the rest extend its
 * path. Undefined when a key does not match the dict's. `skip` is how many keys went to `via`.
 */
function descend(r: Ref, keys: string[]): { path: string[]; via?: string[]; skip: number } | undefined {
  const via = r.via ?? [];
  const n = Math.min(via.length, keys.length);
  for (let i = 0; i < n; i++) if (via[i] !== keys[i]) return undefined;
  if (keys.length < via.length) return { path: r.path, via: via.slice(keys.length), skip: keys.length };
  return { path: [...r.path, ...keys.slice(via.length)], skip: via.length };
}

/** The possibilities of an expression (empty: not a scope value, or unknown). */
type Val = Ref[];

interface Call {
  /** The calling define (undefined: the file body). */
  unit?: string;
  name: string;
  arg: Val;
}

/** `tpl "literal template" CTX`. */
interface TplCall {
  unit?: string;
  ctx: Val;
  literal: string;
}

interface FileAnalysis {
  reads: RawRead[];
  calls: Call[];
  tpls: TplCall[];
}

const ELEMENT = '[]';
/** Paths longer than this are not followed (recursive defines). */
const MAX_PATH = 24;

/** Functions that only look at their operands (truth, size, type, comparison): no operand is read whole. */
const TESTS = new Set(['not', 'empty', 'len', 'kindIs', 'kindOf', 'typeOf', 'typeIs', 'typeIsLike', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'isAbs']);
/** Functions that return one of their operands. */
const PASS_ALL = new Set(['and', 'or', 'coalesce', 'deepCopy', 'mustDeepCopy', 'merge', 'mergeOverwrite', 'mustMerge', 'mustMergeOverwrite']);

class Walker {
  readonly reads: RawRead[] = [];
  readonly calls: Call[] = [];
  readonly tpls: TplCall[] = [];
  private scopes: Array<Map<string, Val>> = [];
  private unit: string | undefined;

  constructor(private readonly text: string) {}

  walkUnit(list: ListNode, unit: string | undefined): void {
    this.unit = unit;
    const dot: Val = [{ path: [] }];
    this.scopes = [new Map([['$', dot]])];
    this.list(list, dot);
  }

  private list(list: ListNode | undefined, dot: Val): void {
    if (!list) return;
    for (const n of list.nodes as Node[]) this.node(n, dot);
  }

  private node(n: Node, dot: Val): void {
    switch (n.type) {
      case 'action': {
        const v = this.pipe(n.pipe, dot);
        if (n.pipe.decl.length === 0) this.consume(v);
        else this.declare(n.pipe, v);
        return;
      }
      case 'if':
      case 'with':
      case 'range': {
        this.scopes.push(new Map());
        const v = this.pipe(n.pipe, dot);
        let inner = dot;
        if (n.type === 'with') {
          inner = v;
          this.declare(n.pipe, v);
        } else if (n.type === 'range') {
          // The elements: of a value, `[]` under it; of a dict built here, the values it holds.
          inner = v.filter((r) => r.path.length < MAX_PATH).map((r) => (r.via?.length ? { path: r.path, via: r.via.length > 1 ? r.via.slice(1) : undefined } : { path: [...r.path, ELEMENT] }));
          const decl = n.pipe.decl;
          // `range $i, $e := x`: $i is an index or a map key, $e the element; `range $e := x`.
          if (decl.length === 1) this.set(decl[0].name, inner, n.pipe.isAssign);
          else if (decl.length >= 2) {
            this.set(decl[0].name, [], n.pipe.isAssign);
            this.set(decl[1].name, inner, n.pipe.isAssign);
          }
        } else this.declare(n.pipe, v);
        this.scopes.push(new Map());
        this.list(n.list, inner);
        this.scopes.pop();
        this.scopes.push(new Map());
        this.list(n.elseList, dot);
        this.scopes.pop();
        this.scopes.pop();
        return;
      }
      case 'template': {
        const v = n.pipe ? this.pipe(n.pipe, dot) : [];
        this.calls.push({ unit: this.unit, name: n.name, arg: v });
        return;
      }
      case 'list':
        this.list(n, dot);
        return;
      default:
        return;
    }
  }

  private declare(pipe: PipeNode, v: Val): void {
    for (const d of pipe.decl) this.set(d.name, v, pipe.isAssign);
  }

  private set(name: string, v: Val, assign: boolean): void {
    if (assign) {
      // `$x = ...` changes the nearest declaration; either value may be there afterwards.
      for (let i = this.scopes.length - 1; i >= 0; i--) {
        const old = this.scopes[i].get(name);
        if (old) {
          this.scopes[i].set(name, [...old, ...v]);
          return;
        }
      }
    }
    this.scopes[this.scopes.length - 1].set(name, v);
  }

  private lookup(name: string): Val {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(name);
      if (v) return v;
    }
    return [];
  }

  /** Marks every read behind `v` as used whole. */
  private consume(v: Val): void {
    for (const r of v) if (r.read) r.read.partial = true;
  }

  private pipe(p: PipeNode, dot: Val): Val {
    let prev: Val | undefined;
    for (const c of p.cmds) prev = this.command(c, dot, prev);
    return prev ?? [];
  }

  private command(c: CommandNode, dot: Val, piped: Val | undefined): Val {
    const first = c.args[0];
    if (!first) return [];
    if (first.type === 'identifier') {
      const argNodes = c.args.slice(1);
      const vals = argNodes.map((a) => this.arg(a, dot));
      if (piped) vals.push(piped);
      return this.apply(first.name, c, argNodes, vals, piped !== undefined);
    }
    const v = this.arg(first, dot);
    if (c.args.length === 1 && !piped) return v;
    // A method call (`.Capabilities.APIVersions.Has "x"`) or an error: its operands are used.
    this.consume(v);
    for (const a of c.args.slice(1)) this.consume(this.arg(a, dot));
    if (piped) this.consume(piped);
    return [];
  }

  private apply(fn: string, c: CommandNode, argNodes: ArgNode[], vals: Val[], piped: boolean): Val {
    const span = { start: visible(c.args[0]), end: c.end };
    switch (fn) {
      case 'include':
        if (argNodes[0]?.type === 'string' && !piped) {
          this.calls.push({ unit: this.unit, name: argNodes[0].text, arg: vals[1] ?? [] });
          for (const v of vals.slice(2)) this.consume(v);
          return [];
        }
        if (argNodes[0]?.type === 'string' && piped && vals.length === 2) {
          // `. | include "x"`
          this.calls.push({ unit: this.unit, name: argNodes[0].text, arg: vals[1] });
          return [];
        }
        // `include (print $.Template.BasePath "/configmap.yaml") . | sha256sum`: renders another
        // template file of the chart with the same scope; that file's reads are its own.
        if (argNodes[0] && /\.Template\.BasePath\b/.test(this.text.slice(visible(argNodes[0]), argNodes[0].end))) return [];
        break;
      case 'tpl':
        if (!piped && vals.length === 2) {
          this.consume(vals[0]);
          const t = argNodes[0];
          // A literal template text reads what it reads. Text from the values (or files) is the
          // user's and may read anything: then the context is used whole (below).
          if (t.type === 'string') {
            this.tpls.push({ unit: this.unit, ctx: vals[1], literal: t.text });
            return [];
          }
        }
        break;
      case 'dict':
        if (!piped && vals.length % 2 === 0 && argNodes.every((a, i) => i % 2 === 1 || a.type === 'string')) {
          const out: Val = [];
          for (let i = 0; i < vals.length; i += 2) {
            const key = (argNodes[i] as StringNode).text;
            for (const r of vals[i + 1]) if (r.path.length < MAX_PATH) out.push({ path: r.path, via: [key, ...(r.via ?? [])], read: r.read });
          }
          return out;
        }
        break;
      case 'index':
      case 'get':
        if (!piped && vals.length >= 2) return this.step(vals[0], argNodes.slice(1), span, fn === 'get' ? 1 : Infinity);
        break;
      case 'dig':
        // dig "a" "b" DEFAULT DICT
        if (vals.length >= 3) {
          const keys = argNodes.slice(0, vals.length - 2);
          return this.step(vals[vals.length - 1], keys, span, Infinity, true);
        }
        break;
      case 'hasKey':
        if (!piped && vals.length === 2 && argNodes[1].type === 'string') {
          this.step(vals[0], [argNodes[1]], span, 1, true);
          return [];
        }
        break;
      case 'first':
      case 'last':
      case 'mustFirst':
      case 'mustLast':
        if (vals.length === 1) return this.element(vals[0], span);
        break;
      case 'default':
        return ([] as Ref[]).concat(...vals);
      case 'required':
        for (const v of vals.slice(0, -1)) this.consume(v);
        return vals[vals.length - 1] ?? [];
      case 'ternary':
        this.consume(vals[2] ?? []);
        return [...(vals[0] ?? []), ...(vals[1] ?? [])];
    }
    if (TESTS.has(fn)) return [];
    if (PASS_ALL.has(fn)) return ([] as Ref[]).concat(...vals);
    // Anything else uses its operands whole: toYaml, tpl, dict, printf, quote...
    for (const v of vals) this.consume(v);
    return [];
  }

  /**
   * `index X "a" "b"` / `get X "a"` / `dig "a" "b" d X` / `hasKey X "a"`: steps into X by string
   * (and, for index, number) literals. A key that is not a literal reads some unknown part of X:
   * X is used whole.
   */
  private step(base: Val, keys: ArgNode[], span: Span, max: number, stringsOnly = false): Val {
    const added: Array<{ key: string; seg?: { start: number; end: number; key: string } }> = [];
    for (const k of keys.slice(0, max)) {
      if (k.type === 'string') {
        const inner = literalSpan(k);
        added.push({ key: k.text, seg: inner ? { ...inner, key: k.text } : undefined });
      } else if (k.type === 'number' && !stringsOnly && k.isInt) added.push({ key: ELEMENT });
      else {
        this.consume(base);
        return [];
      }
    }
    const out: Val = [];
    for (const r of base) {
      if (r.path.length + added.length > MAX_PATH) continue;
      const d = descend(r, added.map((a) => a.key));
      if (!d) continue;
      if (d.via) {
        out.push({ path: d.path, via: d.via, read: r.read });
        continue;
      }
      const segments = inheritedSegments(r, span);
      added.forEach((a, i) => {
        if (a.seg && i >= d.skip) segments.push({ key: a.seg.key, start: a.seg.start, end: a.seg.end, pathIndex: r.path.length + i - d.skip, literal: true });
      });
      const read = this.record(d.path, span, segments);
      out.push({ path: read.path, read });
    }
    return out;
  }

  private element(base: Val, span: Span): Val {
    const out: Val = [];
    for (const r of base) {
      if (r.path.length >= MAX_PATH || r.via) continue;
      const read = this.record([...r.path, ELEMENT], span, inheritedSegments(r, span));
      out.push({ path: read.path, read });
    }
    return out;
  }

  private record(path: string[], span: Span, segments: ValueSegment[]): RawRead {
    const read: RawRead = { unit: this.unit, path, start: span.start, end: span.end, segments };
    this.reads.push(read);
    return read;
  }

  /** Evaluates an operand; every field, variable or dot evaluated is a read. */
  private arg(a: ArgNode, dot: Val): Val {
    switch (a.type) {
      case 'field':
        return this.fields(dot, a.ident, visible(a), a.end, visible(a));
      case 'variable': {
        const base = this.lookup(a.name);
        return this.fields(base, a.ident, visible(a), a.end, visible(a) + a.name.length);
      }
      case 'dot':
        return this.fields(dot, [], a.start, a.end, a.start);
      case 'chain': {
        const base = this.arg(a.node, dot);
        return this.fields(base, a.field, visible(a), a.end, a.node.end);
      }
      case 'pipe':
        return this.pipe(a, dot);
      default:
        return [];
    }
  }

  /** `base.f1.f2`: a read of each possibility of base extended by the fields, whose names start at `from`. */
  private fields(base: Val, names: string[], start: number, end: number, from: number): Val {
    if (base.length === 0) return [];
    const segs: Array<{ key: string; start: number; end: number }> = [];
    let p = from;
    for (const name of names) {
      let at = this.text.startsWith('.' + name, p) ? p : this.text.indexOf('.' + name, p);
      if (at < 0 || at >= end) break;
      segs.push({ key: name, start: at + 1, end: at + 1 + name.length });
      p = at + 1 + name.length;
    }
    const out: Val = [];
    for (const r of base) {
      if (r.path.length + names.length > MAX_PATH) continue;
      const d = descend(r, names);
      if (!d) continue;
      if (d.via) {
        // Still inside a dict built here (`$ctx.context` of `dict "context" (dict ...)`).
        out.push({ path: d.path, via: d.via, read: r.read });
        continue;
      }
      const own = segs.filter((_, i) => i >= d.skip).map((s, i) => ({ ...s, pathIndex: r.path.length + i }));
      const read = this.record(d.path, { start, end }, [...inheritedSegments(r, { start, end }), ...own]);
      out.push({ path: read.path, read });
    }
    return out;
  }
}

/**
 * The key names of the base of an expression that belong to it: only when the base's text is
 * inside it (`(index .Values "a").b`, `index .Values.a "b"`), not for a variable or a dot bound
 * elsewhere.
 */
function inheritedSegments(r: Ref, span: Span): ValueSegment[] {
  return !r.via && r.read && r.read.start >= span.start && r.read.end <= span.end ? [...r.read.segments] : [];
}

/** Where a node's text begins. */
function visible(n: { start: number; visibleStart?: number }): number {
  return n.visibleStart ?? n.start;
}

/** The content of a string literal, when its text is the value unchanged (no escapes). */
function literalSpan(s: StringNode): Span | undefined {
  if (s.quoted.length !== s.text.length + 2) return undefined;
  return { start: s.start + 1, end: s.end - 1 };
}

const analyses = new WeakMap<ParsedTemplate, FileAnalysis>();

function analyze(parsed: ParsedTemplate): FileAnalysis {
  let a = analyses.get(parsed);
  if (!a) {
    const w = new Walker(parsed.text);
    w.walkUnit(parsed.root, undefined);
    for (const d of parsed.defines) w.walkUnit(d.body, d.name);
    a = { reads: w.reads, calls: w.calls, tpls: w.tpls };
    analyses.set(parsed, a);
  }
  return a;
}

/**
 * What a unit's dot is bound to: the chart whose scope it came from, the path from that scope
 * object (`[]` for `.`, `["Values", "image"]`), and the dict keys still to step through when the
 * caller built a dict (`dict "context" $` is `{ base: [], via: ["context"] }`).
 */
interface Binding {
  scope: ChartModel;
  base: string[];
  via: string[];
}

/** Where `path` from a unit's dot (then `via`, when it is a dict built there) is, given a binding of that dot. */
function rebase(b: Binding, path: string[], via: string[] | undefined): Binding | undefined {
  const bv = b.via;
  const n = Math.min(bv.length, path.length);
  for (let i = 0; i < n; i++) if (bv[i] !== path[i]) return undefined;
  if (path.length < bv.length) {
    // Still inside the caller's dict (`include "y" .` passes it on).
    if (via?.length) return undefined;
    return { scope: b.scope, base: b.base, via: bv.slice(path.length) };
  }
  const base = [...b.base, ...path.slice(bv.length)];
  return base.length > MAX_PATH ? undefined : { scope: b.scope, base, via: via ?? [] };
}

const TOP: Omit<Binding, 'scope'> = { base: [], via: [] };

/** A raw read seen from a binding of its unit's dot. Undefined when it is not a read of values. */
function toValueRead(r: RawRead, b: Omit<Binding, 'scope'>, forcePartial = false): ValueRead | undefined {
  const partial = r.partial || forcePartial;
  const reb = rebase({ ...b, scope: undefined as unknown as ChartModel }, r.path, undefined);
  if (!reb) return undefined;
  // Reading (part of) a dict the caller built: only a whole use reads what it holds.
  const inDict = reb.via.length > 0;
  if (inDict && !partial) return undefined;
  const abs = reb.base;
  let path: string[];
  if (abs[0] === 'Values') path = abs.slice(1);
  else if (abs.length === 0 && partial) path = []; // the whole scope used whole: `toYaml .`, `dict "context" $`
  else return undefined;
  // `.Values` itself, only stepped into (`index .Values "a"`) or tested, reads no key.
  if (path.length === 0 && !partial) return undefined;
  const shift = b.base.length - b.via.length - 1;
  const segments = inDict ? [] : r.segments.filter((s) => s.pathIndex + shift >= 0 && s.pathIndex >= b.via.length).map((s) => ({ ...s, pathIndex: s.pathIndex + shift }));
  const out: ValueRead = { path, start: r.start, end: r.end, segments };
  if (partial) out.partial = true;
  if (r.unit !== undefined) out.define = r.unit;
  return out;
}

/**
 * Every read of the values in one template. Reads inside a define assume its callers pass the top
 * scope (`include "x" .`); `ChartModel` features resolve them through the actual calls.
 */
export function valueReads(parsed: ParsedTemplate): ValueRead[] {
  const out: ValueRead[] = [];
  for (const r of analyze(parsed).reads) {
    const v = toValueRead(r, TOP);
    if (v) out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Keys of a values file

interface ParsedValues {
  keys: ValuesKey[];
  docs: Document.Parsed[];
  lc: LineCounter;
}

const valuesCache = new Map<string, ParsedValues>();

function parseValues(text: string): ParsedValues {
  let pv = valuesCache.get(text);
  if (pv) return pv;
  const lc = new LineCounter();
  // YAML 1.1 as Helm reads values (`yes:` is the key "true"), duplicates kept to be reported.
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, version: '1.1' }) as Document.Parsed[];
  const keys: ValuesKey[] = [];
  docs.forEach((doc, i) => collectKeys(doc, i, lc, keys));
  pv = { keys, docs, lc };
  if (valuesCache.size >= 16) valuesCache.delete(valuesCache.keys().next().value as string);
  valuesCache.set(text, pv);
  return pv;
}

/** A key's name as Helm sees it (YAML 1.1 scalars: `true`, `1`), or undefined for complex keys and `<<`. */
function keyName(p: Pair): string | undefined {
  const k = p.key;
  if (!isScalar(k) || typeof k.value === 'symbol' || k.source === '<<' || k.value === null) return undefined;
  return String(k.value);
}

function collectKeys(doc: Document.Parsed, docIndex: number, lc: LineCounter, out: ValuesKey[]): void {
  const visiting = new Set<unknown>();
  const visit = (node: unknown, path: string[], viaAlias: boolean, depth: number): void => {
    if (depth > 100 || node == null) return;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target || visiting.has(target)) return;
      visiting.add(target);
      visit(target, path, true, depth + 1);
      visiting.delete(target);
      return;
    }
    if (isSeq(node)) {
      for (const item of node.items) visit(item, [...path, ELEMENT], viaAlias, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    const mapStart = node.range?.[0] ?? 0;
    for (const pair of node.items) {
      const k = pair.key;
      if (isScalar(k) && (typeof k.value === 'symbol' || k.source === '<<')) {
        // A YAML merge key: the merged maps' keys are this map's.
        const v = pair.value;
        const sources = isSeq(v) ? v.items : [v];
        for (const s of sources) {
          const t = isAlias(s) ? s.resolve(doc) : s;
          if (t && isMap(t) && !visiting.has(t)) {
            visiting.add(t);
            visit(t, path, true, depth + 1);
            visiting.delete(t);
          }
        }
        continue;
      }
      const name = keyName(pair);
      if (name === undefined || !isScalar(k) || !k.range) continue;
      const vr = (pair.value as { range?: [number, number, number] } | null)?.range;
      const key: ValuesKey = {
        path: [...path, name],
        keyStart: k.range[0],
        keyEnd: k.range[1],
        valueStart: vr ? vr[0] : k.range[1],
        valueEnd: vr ? vr[1] : k.range[1],
        line: lc.linePos(k.range[0]).line - 1,
        doc: docIndex,
        mapStart,
      };
      if (viaAlias) key.viaAlias = true;
      out.push(key);
      visit(pair.value, key.path, viaAlias, depth + 1);
    }
  };
  visit(doc.contents, [], false, 0);
}

/** Every key of a values file (all documents), with its path and offsets, in document order. */
export function valuesKeys(text: string): ValuesKey[] {
  return parseValues(text).keys;
}

/** `image` appears twice in one map: Helm (sigs.k8s.io/yaml) silently keeps the last one. */
export function duplicateKeyProblems(text: string): Problem[] {
  const { docs, lc } = parseValues(text);
  const out: Problem[] = [];
  const line = (o: number): number => lc.linePos(o).line;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 400 || node == null) return;
    if (isSeq(node)) {
      for (const item of node.items) visit(item, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    const seen = new Map<string, Pair>();
    for (const pair of node.items) {
      const name = keyName(pair);
      if (name !== undefined && isScalar(pair.key) && pair.key.range) {
        const first = seen.get(name);
        if (first && isScalar(first.key) && first.key.range) {
          const [s, e] = pair.key.range;
          const l1 = line(first.key.range[0]);
          const l2 = line(s);
          const lost = isMap(first.value) || isSeq(first.value)
            ? 'so everything under the first is silently lost: merge the two blocks'
            : 'so the first value is silently ignored: remove one of them';
          out.push({
            start: s,
            end: e,
            severity: 'error',
            code: 'values-duplicate-key',
            message: `\`${name}\` appears twice in this map (line ${l1} and line ${l2}); Helm keeps only the last one, ${lost}`,
            data: { firstStart: first.key.range[0], firstEnd: first.key.range[1] },
          });
        } else if (!first) seen.set(name, pair);
      }
      visit(pair.value, depth + 1);
    }
  };
  for (const d of docs) visit(d.contents, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// A chart model: reads resolved through calls, scopes across subcharts

interface ChartInfo {
  chart: ChartModel;
  /** From the top chart down to this one. */
  chain: ChartModel[];
  /** The key of this chart's values in its parent's (alias or name). */
  key: string;
}

interface ResolvedRead {
  /** The chart whose scope the read reads (the caller's chart for a define). */
  scope: ChartModel;
  templatePath: string;
  text: string;
  read: ValueRead;
}

interface ModelIndex {
  infos: Map<ChartModel, ChartInfo>;
  templates: Map<string, { chart: ChartModel; parsed: ParsedTemplate }>;
  values: Map<string, { chart: ChartModel; text: string }>;
  reads: ResolvedRead[];
  readsByTemplate: Map<string, ResolvedRead[]>;
  /** Charts one of whose templates passes the whole values on (`toYaml .Values`, `dict "context" $` used whole). */
  wholeValues: Set<ChartModel>;
  /** Reads of literal templates that `tpl` renders with the top scope (no locations to show). */
  extraReads: Map<ChartModel, ValueRead[]>;
  /** Some template of the model has parse errors (its reads may be missing). */
  brokenTemplates: boolean;
}

const indexes = new WeakMap<ChartModel, ModelIndex>();

const parsedStrings = new Map<string, ParsedTemplate | null>();

/** A literal `tpl` text parsed as a template (undefined when it does not parse: tpl would fail on it). */
function parseCached(src: string): ParsedTemplate | undefined {
  let p = parsedStrings.get(src);
  if (p === undefined) {
    const t = parseTemplate('tpl', src);
    p = t.errors.length ? null : t;
    if (parsedStrings.size >= 512) parsedStrings.delete(parsedStrings.keys().next().value as string);
    parsedStrings.set(src, p);
  }
  return p ?? undefined;
}
/** At most this many distinct dots are kept per define. */
const MAX_BINDINGS = 32;

function indexModel(model: ChartModel): ModelIndex {
  const cached = indexes.get(model);
  if (cached) return cached;
  const infos = new Map<ChartModel, ChartInfo>();
  const templates = new Map<string, { chart: ChartModel; parsed: ParsedTemplate }>();
  const values = new Map<string, { chart: ChartModel; text: string }>();
  let brokenTemplates = false;
  const walk = (c: ChartModel, chain: ChartModel[]): void => {
    if (infos.has(c) || chain.length > 20) return;
    const ch = [...chain, c];
    infos.set(c, { chart: c, chain: ch, key: c.alias ?? c.name });
    for (const t of c.templates) {
      templates.set(t.path, { chart: c, parsed: t.parsed });
      if (t.parsed.errors.length) brokenTemplates = true;
    }
    for (const v of c.valuesFiles) values.set(v.path, { chart: c, text: v.text });
    for (const s of c.subcharts) walk(s, ch);
  };
  walk(model, []);

  // Defines by name (global across the chart and its subcharts), and the dots they are called with.
  const units: Array<{ chart: ChartModel; a: FileAnalysis }> = [...templates.values()].map((t) => ({ chart: t.chart, a: analyze(t.parsed) }));
  const defineCalls = new Map<string, Call[]>();
  const addUnitCalls = (a: FileAnalysis): void => {
    for (const call of a.calls) {
      if (call.unit === undefined) continue;
      let l = defineCalls.get(call.unit);
      if (!l) defineCalls.set(call.unit, (l = []));
      l.push(call);
    }
  };
  for (const u of units) addUnitCalls(u.a);
  const bindings = new Map<string, Map<string, Binding>>();
  const work: Array<{ name: string; b: Binding }> = [];
  const bind = (name: string, b: Binding | undefined): void => {
    if (!b) return;
    let m = bindings.get(name);
    if (!m) bindings.set(name, (m = new Map()));
    if (m.size >= MAX_BINDINGS) return;
    const k = `${b.scope.dir}\u0000${b.base.join('\u0001')}\u0000${b.via.join('\u0001')}`;
    if (m.has(k)) return;
    m.set(k, b);
    work.push({ name, b });
  };
  const bindingsOf = (chart: ChartModel, unit: string | undefined): Binding[] =>
    unit === undefined ? [{ scope: chart, ...TOP }] : [...(bindings.get(unit)?.values() ?? [])];
  const propagate = (): void => {
    while (work.length) {
      const { name, b } = work.pop()!;
      for (const call of defineCalls.get(name) ?? []) for (const r of call.arg) bind(call.name, rebase(b, r.path, r.via));
    }
  };
  const bindBodies = (chart: ChartModel, a: FileAnalysis): void => {
    for (const call of a.calls) if (call.unit === undefined) for (const r of call.arg) bind(call.name, rebase({ scope: chart, ...TOP }, r.path, r.via));
  };
  for (const u of units) bindBodies(u.chart, u.a);
  propagate();

  // `tpl "literal" .` reads what the literal reads (and may call defines); values-derived texts
  // made the context a whole use in the walker.
  const extra = new Map<ChartModel, FileAnalysis[]>();
  const tplDone = new Set<string>();
  for (let round = 0, from = 0; round < 4 && from < units.length; round++) {
    const upto = units.length;
    for (let i = from; i < upto; i++) {
      const u = units[i];
      for (const t of u.a.tpls) {
        for (const b of bindingsOf(u.chart, t.unit)) {
          if (!t.ctx.some((r) => { const x = rebase(b, r.path, r.via); return x && x.base.length === 0 && x.via.length === 0; })) continue;
          for (const src of [t.literal]) {
            const key = `${b.scope.dir}\u0000${src}`;
            if (tplDone.has(key)) continue;
            tplDone.add(key);
            const parsed = parseCached(src);
            if (!parsed) continue;
            const a = analyze(parsed);
            units.push({ chart: b.scope, a });
            addUnitCalls(a);
            bindBodies(b.scope, a);
            let l = extra.get(b.scope);
            if (!l) extra.set(b.scope, (l = []));
            l.push(a);
          }
        }
      }
    }
    propagate();
    from = upto;
  }

  // A define that is not in the model (a library chart not downloaded) may read anything of what
  // it is given: what is passed to it counts as used whole.
  const defined = new Set<string>();
  for (const { parsed } of templates.values()) for (const d of parsed.defines) defined.add(d.name);
  const forced = new Set<RawRead>();
  for (const u of units) for (const call of u.a.calls) if (!defined.has(call.name)) for (const r of call.arg) if (r.read) forced.add(r.read);

  const reads: ResolvedRead[] = [];
  const readsByTemplate = new Map<string, ResolvedRead[]>();
  const wholeValues = new Set<ChartModel>();
  const extraReads = new Map<ChartModel, ValueRead[]>();
  const resolve = (chart: ChartModel, a: FileAnalysis, emit: (scope: ChartModel, v: ValueRead) => void): void => {
    for (const r of a.reads) {
      for (const b of bindingsOf(chart, r.unit)) {
        const v = toValueRead(r, b, forced.has(r));
        if (!v) continue;
        if (v.path.length === 0 && v.partial) wholeValues.add(b.scope);
        emit(b.scope, v);
      }
    }
  };
  for (const [path, { chart, parsed }] of templates) {
    const list: ResolvedRead[] = [];
    const seen = new Set<string>();
    resolve(chart, analyze(parsed), (scope, v) => {
      const k = `${scope.dir}\u0000${v.start}\u0000${v.end}\u0000${v.path.join('\u0000')}`;
      if (seen.has(k)) return;
      seen.add(k);
      list.push({ scope, templatePath: path, text: parsed.text, read: v });
    });
    readsByTemplate.set(path, list);
    reads.push(...list);
  }
  for (const [chart, list] of extra) {
    for (const a of list) {
      resolve(chart, a, (scope, v) => {
        let l = extraReads.get(scope);
        if (!l) extraReads.set(scope, (l = []));
        l.push(v);
      });
    }
  }
  const idx: ModelIndex = { infos, templates, values, reads, readsByTemplate, wholeValues, extraReads, brokenTemplates };
  indexes.set(model, idx);
  return idx;
}

function segMatch(a: string, b: string): boolean {
  return a === b || a === ELEMENT || b === ELEMENT;
}

/** The first `n` elements of both paths match (wildcards included). */
function prefixMatch(a: string[], b: string[], n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (!segMatch(a[i], b[i])) return false;
  return true;
}

/**
 * The key paths in chart `a`'s values files that set what a read of `x` in chart `c`'s scope
 * reads: `<sub>.x` from each ancestor, and for `global.*` the same path at every level in between.
 * Each comes with the number of leading elements that are subchart keys.
 */
function keyPathsForRead(idx: ModelIndex, c: ChartModel, x: string[], a: ChartModel): Array<{ path: string[]; prefix: number }> {
  const chain = idx.infos.get(c)?.chain ?? [];
  const at = chain.indexOf(a);
  if (at < 0) return [];
  const names = chain.slice(at + 1).map((ch) => idx.infos.get(ch)!.key);
  const out = [{ path: [...names, ...x], prefix: names.length }];
  if (x[0] === 'global') for (let i = 0; i < names.length; i++) out.push({ path: [...names.slice(0, i), ...x], prefix: i });
  return out;
}

/** Where a read's path element `i` is written in the template, if it is. */
function segmentAt(read: ValueRead, i: number): ValueSegment | undefined {
  return read.segments.find((s) => s.pathIndex === i);
}

/** Locates the chart's values file `valuesPath` and the key under `offset` (innermost; a key shared through an alias once). */
function keyAt(idx: ModelIndex, valuesPath: string, offset: number): { chart: ChartModel; text: string; keys: ValuesKey[] } | undefined {
  const f = idx.values.get(valuesPath);
  if (!f) return undefined;
  const all = valuesKeys(f.text).filter((k) => offset >= k.keyStart && offset <= k.keyEnd);
  if (!all.length) return undefined;
  // The key as written first, then the paths that reach it through aliases.
  all.sort((x, y) => Number(x.viaAlias ?? false) - Number(y.viaAlias ?? false));
  return { chart: f.chart, text: f.text, keys: all };
}

/** Every chart in the subtree of `a`, `a` first. */
function subtree(idx: ModelIndex, a: ChartModel): ChartModel[] {
  const out: ChartModel[] = [];
  for (const info of idx.infos.values()) if (info.chain.includes(a)) out.push(info.chart);
  return out;
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** How a read relates to key `k` of chart `a`'s files: the index of `k`'s last element in the read's path, when the read reads `k` or something under it. */
interface KeyMatch {
  r: ResolvedRead;
  /** Index into `r.read.path` of the key's last element (-1: the key is a subchart's block, above the read). */
  at: number;
  /** The read covers the key only because it reads a whole ancestor (`toYaml .Values.resources`). */
  covering: boolean;
}

function readsOfKey(idx: ModelIndex, a: ChartModel, k: string[]): KeyMatch[] {
  const out: KeyMatch[] = [];
  const scopes = new Set(subtree(idx, a));
  for (const r of idx.reads) {
    if (!scopes.has(r.scope)) continue;
    // The whole values used whole (`toYaml .Values`, `dict "context" $`) reads every key: not worth listing.
    if (r.read.path.length === 0) continue;
    for (const cand of keyPathsForRead(idx, r.scope, r.read.path, a)) {
      const p = cand.path;
      if (p.length >= k.length && prefixMatch(p, k, k.length)) {
        out.push({ r, at: k.length - 1 - cand.prefix, covering: false });
        break;
      }
      if (r.read.partial && p.length < k.length && prefixMatch(p, k, p.length)) {
        out.push({ r, at: -1, covering: true });
        break;
      }
    }
  }
  return out;
}

function readLocation(m: KeyMatch): Location {
  const seg = m.at >= 0 ? segmentAt(m.r.read, m.at) : undefined;
  return seg ? { path: m.r.templatePath, start: seg.start, end: seg.end } : { path: m.r.templatePath, start: m.r.read.start, end: m.r.read.end };
}

/** Reads of chart `c`'s scope by first key (`*`: paths that start with an element, or the whole values). */
const byFirstCache = new WeakMap<ModelIndex, Map<ChartModel, Map<string, ValueRead[]>>>();

/** Whether some read of chart `c`'s scope reads key path `k`, something under it, or it whole as part of an ancestor. */
function isRead(idx: ModelIndex, c: ChartModel, k: string[]): boolean {
  let all = byFirstCache.get(idx);
  if (!all) {
    all = new Map();
    const add = (scope: ChartModel, read: ValueRead): void => {
      let m = all!.get(scope);
      if (!m) all!.set(scope, (m = new Map()));
      const first = read.path.length === 0 || read.path[0] === ELEMENT ? '*' : read.path[0];
      let l = m.get(first);
      if (!l) m.set(first, (l = []));
      l.push(read);
    };
    for (const r of idx.reads) add(r.scope, r.read);
    for (const [scope, list] of idx.extraReads) for (const read of list) add(scope, read);
    byFirstCache.set(idx, all);
  }
  const m = all.get(c);
  if (!m) return false;
  for (const list of [m.get(k[0]) ?? [], k[0] === ELEMENT ? [...m.values()].flat() : [], m.get('*') ?? []]) {
    for (const r of list) {
      const p = r.path;
      if (p.length >= k.length ? prefixMatch(p, k, k.length) : r.partial && prefixMatch(p, k, p.length)) return true;
    }
  }
  return false;
}

/** The reads that name the key in their text, or read exactly it (`.` inside `with .Values.key`), or read it whole. */
function visibleMatches(matches: KeyMatch[]): KeyMatch[] {
  return matches.filter((m) => m.covering || (m.at >= 0 && (segmentAt(m.r.read, m.at) !== undefined || m.r.read.path.length === m.at + 1)));
}

function sortLocations<T extends Location>(l: T[]): T[] {
  const seen = new Set<string>();
  return l
    .filter((x) => {
      const key = `${x.path}\u0000${x.start}\u0000${x.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.start - b.start));
}

// ---------------------------------------------------------------------------------------------
// Features

/** The read under the cursor in a template, and the path up to the key under the cursor. */
function readAt(idx: ModelIndex, templatePath: string, offset: number): Array<{ r: ResolvedRead; path: string[]; seg?: ValueSegment }> {
  const list = (idx.readsByTemplate.get(templatePath) ?? []).filter((r) => offset >= r.read.start && offset <= r.read.end && r.read.path.length > 0);
  if (!list.length) return [];
  const size = Math.min(...list.map((r) => r.read.end - r.read.start));
  return list
    .filter((r) => r.read.end - r.read.start === size)
    .map((r) => {
      const seg = r.read.segments.find((s) => offset >= s.start && offset <= s.end);
      return { r, seg, path: seg ? r.read.path.slice(0, seg.pathIndex + 1) : r.read.path };
    });
}

/**
 * Go to definition of the values read under the cursor (the key under it: `image` on
 * `.Values.image.tag`): the keys in the values files that set it, the chart's own first, then
 * each parent's override. When the key is not set anywhere, its nearest set ancestor.
 */
export function definitionOfRead(model: ChartModel, templatePath: string, offset: number): Location[] {
  const idx = indexModel(model);
  const out: Location[] = [];
  for (const { r, path } of readAt(idx, templatePath, offset)) {
    const chain = idx.infos.get(r.scope)?.chain ?? [];
    let found: Location[] = [];
    for (let len = path.length; len > 0 && !found.length; len--) {
      const p = path.slice(0, len);
      for (const a of [...chain].reverse()) {
        for (const f of a.valuesFiles) {
          const keys = valuesKeys(f.text);
          for (const cand of keyPathsForRead(idx, r.scope, p, a)) {
            for (const k of keys) if (k.path.length === cand.path.length && prefixMatch(k.path, cand.path, k.path.length)) found.push({ path: f.path, start: k.keyStart, end: k.keyEnd });
          }
        }
      }
    }
    out.push(...found);
  }
  const seen = new Set<string>();
  return out.filter((l) => {
    const k = `${l.path}\u0000${l.start}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/**
 * Find references of the key under the cursor in a values file: the key itself, then every read in
 * the chart and its subcharts of it or of something under it (at the key's name in the text when
 * written there), and the reads that use an ancestor whole.
 */
export function referencesOfKey(model: ChartModel, valuesPath: string, offset: number): Location[] {
  const idx = indexModel(model);
  const at = keyAt(idx, valuesPath, offset);
  if (!at) return [];
  const key = at.keys[0];
  const self: Location = { path: valuesPath, start: key.keyStart, end: key.keyEnd };
  const reads: Location[] = [];
  for (const k of at.keys.filter((x) => x.keyStart === key.keyStart)) reads.push(...visibleMatches(readsOfKey(idx, at.chart, k.path)).map(readLocation));
  return [self, ...sortLocations(reads)];
}

/** The template reads of the key under the cursor (for hover: "read by templates/deployment.yaml:12"). */
export function readersOfKey(model: ChartModel, valuesPath: string, offset: number): Reader[] {
  const idx = indexModel(model);
  const at = keyAt(idx, valuesPath, offset);
  if (!at) return [];
  const key = at.keys[0];
  const out: Reader[] = [];
  for (const k of at.keys.filter((x) => x.keyStart === key.keyStart)) {
    for (const m of visibleMatches(readsOfKey(idx, at.chart, k.path))) {
      const loc = readLocation(m);
      out.push({ ...loc, line: lineOf(m.r.text, loc.start), valuesPath: m.r.read.path });
    }
  }
  return sortLocations(out);
}

/** Go's identifier rule for a field name: a letter or `_`, then letters, digits, `_`. */
const GO_IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;
/** Plain YAML keys that Helm would not read as the string itself (YAML 1.1 booleans, null, numbers). */
const YAML_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(?:\.?[0-9][0-9_]*[.0-9eE+-]*|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN))$/;

function yamlKeyText(oldSource: string, name: string): string {
  if (oldSource.startsWith('"')) return JSON.stringify(name);
  if (oldSource.startsWith("'")) return `'${name.replace(/'/g, "''")}'`;
  if (YAML_SPECIAL.test(name) || !/^[\p{L}_/][\p{L}\p{Nd}_.\-/]*$/u.test(name)) return JSON.stringify(name);
  return name;
}

function pathText(path: string[]): string {
  let s = '.Values';
  for (const p of path) s += p === ELEMENT ? '[]' : `.${p}`;
  return s;
}

export type RenameResult = { edits: FileEdit[] } | { error: string };

/**
 * Renames a values key (cursor on a key in a values file, or on a key name in a template read):
 * the key in every values file of the chart and its parents that sets it, and every template read
 * that names it. Refuses a name that cannot be written as a template field (`my-key`) when a read
 * names the key as a field, a name that already exists beside the key, and keys shared through a
 * YAML alias.
 */
export function renameValue(model: ChartModel, location: { path: string; offset: number }, newName: string): RenameResult {
  const idx = indexModel(model);
  let target: { chart: ChartModel; path: string[] } | undefined;
  if (idx.values.has(location.path)) {
    const at = keyAt(idx, location.path, location.offset);
    if (!at) return { error: 'Put the cursor on a key of the values file to rename it.' };
    let chart = at.chart;
    let p = at.keys[0].path;
    // A key under a subchart's block belongs to the subchart's scope.
    for (;;) {
      const sub = p.length > 1 ? chart.subcharts.find((s) => (s.alias ?? s.name) === p[0]) : undefined;
      if (!sub) break;
      chart = sub;
      p = p.slice(1);
    }
    target = { chart, path: p };
  } else if (idx.templates.has(location.path)) {
    const hit = readAt(idx, location.path, location.offset).find((h) => h.seg);
    if (!hit) return { error: 'Put the cursor on a key name of a .Values path to rename it.' };
    target = { chart: hit.r.scope, path: hit.path };
  } else return { error: 'This file is not a template or values file of the chart.' };
  const P = target.path;
  const oldName = P[P.length - 1];
  if (!P.length || oldName === ELEMENT) return { error: 'Put the cursor on a key name to rename it.' };
  if (!newName) return { error: 'The new name is empty.' };
  if (newName === oldName) return { edits: [] };
  const sub = P.length === 1 ? target.chart.subcharts.find((c) => (c.alias ?? c.name) === oldName) : undefined;
  if (sub) return { error: `\`${oldName}\` holds the values of the subchart ${sub.name}: its name comes from the dependency in Chart.yaml (name or alias), so rename it there.` };
  const isGlobal = P[0] === 'global';
  const i = P.length - 1;

  const edits: FileEdit[] = [];
  // Reads.
  const scopes = isGlobal ? [...idx.infos.keys()] : [target.chart];
  for (const r of idx.reads) {
    if (!scopes.includes(r.scope) || !prefixMatch(r.read.path, P, P.length)) continue;
    const seg = segmentAt(r.read, i);
    if (!seg) continue;
    if (!seg.literal && !GO_IDENT.test(newName)) {
      const shown = pathText([...P.slice(0, -1), newName]);
      const idxForm = `index ${pathText(P.slice(0, -1))} ${JSON.stringify(newName)}`;
      const why = newName.includes('.') && newName.split('.').every((x) => GO_IDENT.test(x))
        ? `\`${shown}\` would read \`${newName.split('.').pop()}\` inside \`${newName.split('.').slice(0, -1).join('.')}\`, not the key \`${newName}\``
        : `\`${shown}\` does not parse`;
      return { error: `\`${newName}\` cannot be a field name in a template: ${why}. Use letters, digits and underscores (not starting with a digit), or read the key with index: \`${idxForm}\`.` };
    }
    edits.push({ path: r.templatePath, start: seg.start, end: seg.end, newText: seg.literal ? JSON.stringify(newName).slice(1, -1) : newName });
  }
  // Keys, in the chart's own values files and every parent's (for global, at every level below too).
  const charts = isGlobal ? [...idx.infos.keys()] : (idx.infos.get(target.chart)?.chain ?? []);
  for (const a of charts) {
    const cands = isGlobal ? subtree(idx, a).flatMap((c) => keyPathsForRead(idx, c, P, a)) : keyPathsForRead(idx, target.chart, P, a);
    for (const f of a.valuesFiles) {
      const keys = valuesKeys(f.text);
      for (const cand of cands) {
        for (const k of keys) {
          if (k.path.length !== cand.path.length || !prefixMatch(k.path, cand.path, k.path.length)) continue;
          if (keys.some((o) => o.keyStart === k.keyStart && (o.viaAlias || k.viaAlias) && o !== k) || k.viaAlias) {
            return { error: `\`${oldName}\` in ${f.path} (line ${k.line + 1}) is shared through a YAML anchor and alias; rename it by hand.` };
          }
          const clash = keys.find((o) => o.mapStart === k.mapStart && o.doc === k.doc && o.path[o.path.length - 1] === newName);
          if (clash) {
            return { error: `\`${newName}\` already exists next to \`${oldName}\` in ${f.path} (line ${clash.line + 1}): the rename would make a duplicate key, and Helm would keep only one of them.` };
          }
          edits.push({ path: f.path, start: k.keyStart, end: k.keyEnd, newText: yamlKeyText(f.text.slice(k.keyStart, k.keyEnd), newName) });
        }
      }
    }
  }
  return { edits: sortLocations(edits) };
}

/**
 * Keys of a values file no template reads, outermost only (when `a` is unused, not also `a.b`).
 * Conservative, as this is information: nothing when a template has parse errors or passes the
 * values whole (`toYaml .Values`, `tpl ... .`, `dict "context" $`), never `global`, keys of
 * dependencies that are not in the model, or a subchart's block itself.
 */
export function unusedValues(model: ChartModel, valuesFilePath: string): Array<{ start: number; end: number; path: string[] }> {
  const idx = indexModel(model);
  const f = idx.values.get(valuesFilePath);
  if (!f || idx.brokenTemplates) return [];
  const keys = valuesKeys(f.text);
  const conditions = (f.chart.conditions ?? []).map((c) => c.split('.'));
  const used = (k: ValuesKey): boolean => {
    // Read by Helm: conditions, `tags`; `enabled` and `exports` at the top are there for parents
    // (a parent's `condition: <chart>.enabled`, `import-values`).
    if (conditions.some((c) => c.length >= k.path.length && k.path.every((x, i) => x === c[i]))) return true;
    if (k.path.length === 1 && (k.path[0] === 'tags' || k.path[0] === 'enabled' || k.path[0] === 'exports')) return true;
    if (k.path[0] === 'exports' || k.path[0] === 'tags') return true;
    let chart = f.chart;
    let p = k.path;
    for (;;) {
      if (p[0] === 'global') return true;
      const sub = chart.subcharts.find((s) => (s.alias ?? s.name) === p[0]);
      if (sub) {
        if (p.length === 1) return true;
        chart = sub;
        p = p.slice(1);
        continue;
      }
      if (chart.dependencyNames?.includes(p[0])) return true;
      break;
    }
    // Only reads of this chart's own scope reach these keys (subcharts read theirs, under their block).
    if (idx.wholeValues.has(chart)) return true;
    return isRead(idx, chart, p);
  };
  // A key shared through an alias is unused only when no path to it is used.
  const usedAt = new Map<number, boolean>();
  for (const k of keys) usedAt.set(k.keyStart, (usedAt.get(k.keyStart) ?? false) || used(k));
  // A key is used when a key written inside its value is (through an alias: `base: &b` for `copy: *b`).
  const usedOffsets = [...usedAt].filter(([, u]) => u).map(([o]) => o).sort((x, y) => x - y);
  const usedWithin = (from: number, to: number): boolean => {
    let lo = 0;
    let hi = usedOffsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (usedOffsets[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < usedOffsets.length && usedOffsets[lo] < to;
  };
  const out: Array<{ start: number; end: number; path: string[] }> = [];
  let inside: { start: number; end: number } | undefined;
  for (const k of keys) {
    if (k.viaAlias) continue;
    if (inside && k.keyStart >= inside.start && k.keyStart < inside.end) continue;
    if (!usedAt.get(k.keyStart) && !usedWithin(k.valueStart, k.valueEnd)) {
      out.push({ start: k.keyStart, end: k.keyEnd, path: k.path });
      inside = { start: k.keyStart, end: Math.max(k.valueEnd, k.keyEnd) };
    }
  }
  return out;
}

/** `.Values.a.b[].c` for messages and hovers. */
export function valuesPathText(path: string[]): string {
  return pathText(path);
}
