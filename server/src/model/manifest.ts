/**
 * The document model: a YAML file split into `---` sections, each parsed on its
 * own with the YAML 1.1 rules the Kubernetes API server uses, each yielding the
 * Kubernetes objects it holds (a `kind: List` yields its items).
 *
 * Everything here is in offsets into the file's text. Parsing never throws: a
 * section that does not parse still exists, with its syntax problems.
 */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLParseError, YAMLSeq } from 'yaml';
import { fastParse } from './fastYaml';
import { LineIndex } from './text';
import { timed, timedRest } from '../timings';

/** One step of a path into an object: a map key or a sequence index. */
export type PathSegment = string | number;
export type Path = PathSegment[];

export interface SyntaxProblem {
  start: number;
  end: number;
  code: string;
  message: string;
}

/** A `---` document of a file. Ranges of its nodes are relative to `start`. */
export interface Section {
  /** Offset of the section in the file. */
  start: number;
  end: number;
  text: string;
  doc: Document.Parsed;
  /** Syntax problems, with offsets into the file. */
  problems: SyntaxProblem[];
  objects: ManifestObject[];
  /** The section holds Helm/Go template expressions (`{{ ... }}`). */
  templated: boolean;
  /** The section has top-level `apiVersion` or `kind` (it is meant as a Kubernetes object, perhaps half-typed). */
  looksLikeObject: boolean;
}

/** A Kubernetes object: a map with apiVersion and kind (possibly an item of a List). */
export interface ManifestObject {
  section: Section;
  node: YAMLMap;
  /** Path of the object inside its section: [] or ['items', i]. */
  basePath: Path;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface ManifestFile {
  uri: string;
  text: string;
  lines: LineIndex;
  sections: Section[];
  /** `# kube-manifests: off` at the top of the file. */
  disabled: boolean;
  /** The file is a Helm template: in a chart's templates/ folder or holding `{{ }}`. */
  helm: boolean;
}

const DOC_MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;
/**
 * A Helm/Go template expression that shapes the YAML: a line that starts with
 * `{{`, an unquoted value that starts with `{{`, or an expression Helm writes
 * (`.Values`, `include`, `if`, `toYaml`, ...). Prometheus alert text such as
 * "{{ $labels.instance }} is down" inside a string is not one.
 */
const TEMPLATE = /^[ \t]*(-[ \t]+)?\{\{|:[ \t]+\{\{|\{\{-?\s*(\.|\$\.|(include|template|if|else|end|range|with|define|toYaml|tpl|printf|default|required|quote|lookup|nindent|indent|b64enc)\b)/m;

/** Splits a text into `---` sections: [start, end) offsets, each section starting at its marker line. */
export function splitSections(text: string, lines: LineIndex): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let l = 0; l < lines.lineCount; l++) {
    const ls = lines.lineStarts[l];
    if (text.charCodeAt(ls) !== 45 /* - */ && text.charCodeAt(ls) !== 46 /* . */) continue;
    if (!DOC_MARKER.test(text.slice(ls, ls + 4))) continue;
    if (ls > start || (ls === start && out.length === 0 && ls > 0)) {
      out.push([start, ls]);
    }
    start = ls;
  }
  out.push([start, text.length]);
  return out;
}

/**
 * Parses a file, reusing the sections of `previous` whose text did not change
 * (an edit usually touches one `---` document of many).
 */
export function parseManifestFile(uri: string, text: string, previous?: ManifestFile): ManifestFile {
  let lines: LineIndex;
  let sections: Section[];
  if (previous) ({ lines, sections } = timedRest('parse: the edit found, lines and sections moved', () => reparseEdit(previous, text)));
  else {
    lines = timed('parse: line index', () => new LineIndex(text));
    const none = new Map<string, Section[]>();
    sections = timed('parse: split into sections', () => splitSections(text, lines)).map(([start, end]) => sectionAt0(none, text, start, end));
  }
  const head = text.slice(0, 2000);
  return {
    uri,
    text,
    lines,
    sections,
    disabled: /^\s*#\s*kube-manifests:\s*off\b/m.test(leadingComments(head)),
    helm: /\/templates\//.test(uri) || (text.includes('{{') && TEMPLATE.test(text)),
  };
}

function addReusable(reusable: Map<string, Section[]>, s: Section): void {
  const list = reusable.get(s.text);
  if (list) list.push(s);
  else reusable.set(s.text, [s]);
}

/** The section of `text` at [start, end): one of `reusable` with the same text (moved there), else parsed. */
function sectionAt0(reusable: Map<string, Section[]>, text: string, start: number, end: number): Section {
  const sectionText = text.slice(start, end);
  const old = reusable.get(sectionText)?.shift();
  return old ? relocate(old, start) : timed('parse: the changed sections', () => parseSection(sectionText, start));
}

/**
 * The sections of `text` from those of `previous` when the two texts differ in
 * one place (what a keystroke, a paste or a quick fix does): the sections
 * before the edited line are kept as they are, those after the edit are moved
 * by its length, and only the text in between is split and parsed again. Its
 * line index is the previous one with the edited lines scanned again.
 */
function reparseEdit(previous: ManifestFile, text: string): { lines: LineIndex; sections: Section[] } {
  const old = previous.text;
  const start = commonPrefix(old, text);
  const tail = commonSuffix(old, text, start);
  const oldEnd = old.length - tail;
  const newEnd = text.length - tail;
  const delta = newEnd - oldEnd;
  const lines = previous.lines.edited(text, start, oldEnd, newEnd);
  if (start === old.length && delta === 0) return { lines, sections: previous.sections };
  // The line of the edit may have held or now hold a `---`: the sections ending at its start are split again.
  const editLine = lines.lineStarts[lines.positionAt(start).line];
  const prev = previous.sections;
  let keepHead = 0;
  while (keepHead < prev.length && prev[keepHead].end < editLine) keepHead++;
  // A section starting after the edit (its marker line and text untouched) stays, moved by the edit.
  let keepTail = prev.length;
  while (keepTail > keepHead && prev[keepTail - 1].start >= oldEnd + 1) keepTail--;
  const from = keepHead > 0 ? prev[keepHead - 1].end : 0;
  const to = keepTail < prev.length ? prev[keepTail].start + delta : text.length;
  const reusable = new Map<string, Section[]>();
  for (let i = keepHead; i < keepTail; i++) addReusable(reusable, prev[i]);
  const sections = prev.slice(0, keepHead);
  let sectionStart = from;
  const first = lines.positionAt(from).line;
  for (let l = first + 1; l < lines.lineCount; l++) {
    const ls = lines.lineStarts[l];
    if (ls >= to) break;
    if (text.charCodeAt(ls) !== 45 /* - */ && text.charCodeAt(ls) !== 46 /* . */) continue;
    if (!DOC_MARKER.test(text.slice(ls, ls + 4))) continue;
    sections.push(sectionAt0(reusable, text, sectionStart, ls));
    sectionStart = ls;
  }
  if (sectionStart < to || keepTail === prev.length) sections.push(sectionAt0(reusable, text, sectionStart, to));
  for (let i = keepTail; i < prev.length; i++) sections.push(relocate(prev[i], prev[i].start + delta));
  return { lines, sections };
}

/** The length of the longest common prefix of two strings (compared in growing, then shrinking, chunks). */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  let step = 64;
  while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) {
    i += step;
    step *= 2;
  }
  while (step > 16) {
    step >>= 1;
    if (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the longest common suffix of two strings that leaves their first `prefix` characters alone. */
export function commonSuffix(a: string, b: string, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  const ae = a.length;
  const be = b.length;
  let i = 0;
  let step = 64;
  while (i + step <= n && a.slice(ae - i - step, ae - i) === b.slice(be - i - step, be - i)) {
    i += step;
    step *= 2;
  }
  while (step > 16) {
    step >>= 1;
    if (i + step <= n && a.slice(ae - i - step, ae - i) === b.slice(be - i - step, be - i)) i += step;
  }
  while (i < n && a.charCodeAt(ae - i - 1) === b.charCodeAt(be - i - 1)) i++;
  return i;
}

function leadingComments(head: string): string {
  const out: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^\s*(#.*)?$/.test(line)) out.push(line);
    else break;
  }
  return out.join('\n');
}

/** A reused section at a new offset: node ranges are relative, problems are shifted. */
function relocate(s: Section, start: number): Section {
  if (s.start === start) return s;
  const delta = start - s.start;
  const moved: Section = {
    ...s,
    start,
    end: s.end + delta,
    problems: s.problems.map((p) => ({ ...p, start: p.start + delta, end: p.end + delta })),
    objects: [],
  };
  moved.objects = s.objects.map((o) => ({ ...o, section: moved }));
  return moved;
}

export function parseSection(text: string, start: number): Section {
  let doc: Document.Parsed;
  let overflow = false;
  try {
    // The parsers recurse once per level: where they run out of stack depends on the JIT's frame sizes, so
    // a document deep enough to risk it is refused up front, the same way every time.
    if (nestingBound(text) > MAX_NESTING) throw new RangeError('too deep');
    // The fast path covers the usual manifest; anything unusual goes to the reference parser.
    doc = fastParse(text) ?? withDuplicateKeys(parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: false }) as Document.Parsed);
  } catch {
    // Only a stack overflow on absurd nesting (`a: a: a: ...` thousands of times) gets here: the parser reports the rest as errors.
    doc = parseDocument('', { version: '1.1' }) as Document.Parsed;
    overflow = true;
  }
  const section: Section = {
    start,
    end: start + text.length,
    text,
    doc,
    problems: [],
    objects: [],
    templated: text.includes('{{') && TEMPLATE.test(text),
    looksLikeObject: /^(apiVersion|kind)\s*:/m.test(text),
  };
  if (overflow || doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) return tooDeep(section);
  for (const e of doc.errors) {
    // The parser may point one past the end (an unclosed quote at the end of the text): keep ranges inside the section.
    const s = Math.min(e.pos[0], text.length);
    const en = Math.min(Math.max(e.pos[1], s + 1), text.length);
    section.problems.push({ start: start + s, end: start + en, code: e.code, message: e.message });
  }
  collectObjects(section);
  return section;
}

/** Deeper than any Kubernetes object (CRD schemas reach about 40 levels); the parser overflows from about 850. */
const MAX_NESTING = 400;

/**
 * An upper bound of how deep a text nests, in one pass: per line, its
 * indentation plus the block collections it opens on that line (`a: b: c:`,
 * `- - -`), plus the deepest flow nesting (`[[{`) of the text. Quotes and
 * comments are skipped; a quote or bracket counts only where a token starts.
 */
export function nestingBound(text: string): number {
  let flow = 0;
  let maxFlow = 0;
  let maxLine = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // a line: indentation, then tokens
    let indent = 0;
    while (i < n && text.charCodeAt(i) === 32) {
      indent++;
      i++;
    }
    let chain = 0;
    let prev = 32; // a line start counts as a space
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        i++;
        break;
      }
      const tokenStart = prev === 32 || prev === 9 || prev === 91 || prev === 123 || prev === 44 || prev === 58;
      if (c === 35 /* # */ && (prev === 32 || prev === 9)) {
        while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
        continue;
      }
      if ((c === 34 || c === 39) && tokenStart) {
        // a quoted scalar: skip to its end (it may span lines)
        i++;
        while (i < n) {
          const q = text.charCodeAt(i);
          if (c === 34 && q === 92) i += 2;
          else if (q === c) {
            if (c === 39 && text.charCodeAt(i + 1) === 39) i += 2;
            else break;
          } else i++;
        }
        i++;
        prev = c;
        continue;
      }
      if ((c === 91 || c === 123) && tokenStart) {
        flow++;
        if (flow > maxFlow) maxFlow = flow;
      } else if ((c === 93 || c === 125) && flow > 0) flow--;
      else if (flow === 0 && (c === 58 || (c === 45 && tokenStart)) && (i + 1 >= n || text.charCodeAt(i + 1) === 32)) chain++;
      prev = c;
      i++;
    }
    if (indent + chain > maxLine) maxLine = indent + chain;
  }
  return maxLine + maxFlow;
}

/**
 * Reports keys that appear twice in one map, as the parser's `uniqueKeys` does
 * (same scalar value), in one pass with a set per map: the parser compares each
 * key with every earlier key of its map, which took 30 s on a one-line flow map
 * of 60,000 keys.
 */
function withDuplicateKeys(doc: Document.Parsed): Document.Parsed {
  const found: YAMLParseError[] = [];
  visit(doc, {
    Map(_key, map) {
      if (map.items.length < 2) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = pair.key as Node | null;
        if (!isScalar(k) || Number.isNaN(k.value)) continue; // other keys are equal only to themselves (and NaN to nothing)
        if (seen.has(k.value)) {
          const at = k.range?.[0] ?? 0;
          found.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        } else seen.add(k.value);
      }
    },
  });
  if (found.length) {
    doc.errors.push(...found);
    doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  }
  return doc;
}

/**
 * The parser ran out of stack on a document nested thousands of levels deep and
 * gave up somewhere in it (where depends on the stack left, so its other errors
 * vary from run to run). Report one stable problem and check nothing in it.
 */
function tooDeep(section: Section): Section {
  const nl = section.text.search(/[\r\n]/);
  section.problems = [
    {
      start: section.start,
      end: section.start + (nl < 0 ? Math.min(section.text.length, 200) : Math.min(nl, 200)),
      code: 'RESOURCE_EXHAUSTION',
      message: 'This document nests too deeply to be read (thousands of levels); no Kubernetes object does. Look for a runaway line such as `a: b: c: d: ...` or unclosed brackets',
    },
  ];
  return section;
}

function collectObjects(section: Section): void {
  const root = section.doc.contents;
  if (!isMap(root)) return;
  const obj = asObject(section, root, []);
  if (!obj) return;
  const items = root.get('items', true);
  if (obj.kind && /List$/.test(obj.kind) && isSeq(items)) {
    section.objects.push(obj);
    items.items.forEach((item, i) => {
      if (isMap(item)) {
        const o = asObject(section, item, ['items', i]);
        if (o) section.objects.push(o);
      }
    });
    return;
  }
  section.objects.push(obj);
}

function asObject(section: Section, node: YAMLMap, basePath: Path): ManifestObject | undefined {
  const apiVersion = scalarString(node.get('apiVersion', true));
  const kind = scalarString(node.get('kind', true));
  if (apiVersion === undefined && kind === undefined) return undefined;
  const meta = node.get('metadata', true);
  let name: string | undefined;
  let namespace: string | undefined;
  if (isMap(meta)) {
    name = scalarString(meta.get('name', true));
    namespace = scalarString(meta.get('namespace', true));
  }
  return { section, node, basePath, apiVersion, kind, name, namespace };
}

/** The string value of a scalar node (numbers and booleans as written), or undefined. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return node.source ?? String(v);
  return undefined;
}

/** Absolute [start, end) of a node in the file. */
export function nodeRange(section: Section, node: Node | Pair | null | undefined): [number, number] | undefined {
  if (!node) return undefined;
  if (isPair(node)) {
    const k = nodeRange(section, node.key as Node);
    const v = nodeRange(section, node.value as Node);
    if (k && v) return [k[0], v[1]];
    return k ?? v;
  }
  const r = (node as Node).range;
  if (!r) return undefined;
  return [section.start + r[0], section.start + r[1]];
}

/** Where a path points inside an object. */
export interface NodeAtOffset {
  /** Path from the object's root. */
  path: Path;
  node: Node | undefined;
  /** The map pair whose key or value holds the offset, if any. */
  pair?: Pair<unknown, unknown>;
  /** The offset lies on the pair's key. */
  onKey: boolean;
}

/** The object of a section that contains the offset (the innermost List item). */
export function objectAt(file: ManifestFile, offset: number): ManifestObject | undefined {
  const section = sectionAt(file, offset);
  if (!section) return undefined;
  let best: ManifestObject | undefined;
  for (const o of section.objects) {
    const r = nodeRange(section, o.node);
    if (!r) continue;
    if (offset >= r[0] && offset <= r[1] && (!best || o.basePath.length > best.basePath.length)) best = o;
  }
  return best ?? section.objects[0];
}

export function sectionAt(file: ManifestFile, offset: number): Section | undefined {
  const ss = file.sections;
  let lo = 0;
  let hi = ss.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ss[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return ss[lo];
}

/** The deepest node of an object that holds the offset, and its path. */
export function nodeAtOffset(obj: ManifestObject, offset: number): NodeAtOffset {
  const rel = offset - obj.section.start;
  const path: Path = [];
  let node: Node = obj.node;
  let pair: Pair<unknown, unknown> | undefined;
  let onKey = false;
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(node)) {
      let next: Node | undefined;
      for (const p of node.items) {
        const k = p.key as Node | null;
        const v = p.value as Node | null;
        if (k && isScalar(k) && k.range && rel >= k.range[0] && rel <= k.range[1]) {
          path.push(String(k.value));
          return { path, node: (v ?? undefined) as Node | undefined, pair: p, onKey: true };
        }
        if (v && v.range && rel >= v.range[0] && rel <= v.range[1]) {
          path.push(isScalar(k) ? String(k.value) : '?');
          pair = p;
          onKey = false;
          next = v;
          break;
        }
      }
      if (!next) return { path, node, pair, onKey };
      node = next;
    } else if (isSeq(node)) {
      let next: Node | undefined;
      node.items.forEach((item, i) => {
        const n = item as Node;
        if (!next && n && n.range && rel >= n.range[0] && rel <= n.range[1]) {
          path.push(i);
          next = n;
        }
      });
      if (!next) return { path, node, pair, onKey };
      pair = undefined;
      node = next;
    } else {
      return { path, node, pair, onKey };
    }
  }
  return { path, node, pair, onKey };
}

/** The node at a path below a node, following no aliases. */
export function nodeAtPath(root: Node | null | undefined, path: Path): Node | undefined {
  let node: Node | null | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') {
      if (!isSeq(node)) return undefined;
      node = node.items[seg] as Node | undefined;
    } else {
      if (!isMap(node)) return undefined;
      node = node.get(seg, true) as Node | undefined;
    }
  }
  return node ?? undefined;
}

const aliasTargets = new WeakMap<object, Map<Alias, Node | undefined>>();

/**
 * The node an alias points to: the last node anchored with its name before it,
 * as `Alias.resolve` finds it, but from one walk of the document, cached per
 * document (`Alias.resolve` walks the whole document on every call, which made
 * files with many aliases take seconds).
 */
export function resolveAlias(alias: Alias, doc: Document): Node | undefined {
  let targets = aliasTargets.get(doc);
  if (!targets) {
    const found = new Map<Alias, Node | undefined>();
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) found.set(node, anchors.get(node.source));
        if (node.anchor) anchors.set(node.anchor, node);
      },
    });
    aliasTargets.set(doc, found);
    targets = found;
  }
  // An alias that is not in the document (a node built later) resolves the slow way.
  return targets.has(alias) ? targets.get(alias) : ((alias.resolve(doc) as Node | undefined) ?? undefined);
}

/** The pair of a map with the given key. */
export function pairOf(map: YAMLMap, key: string): Pair<Scalar, Node | null> | undefined {
  for (const p of map.items) if (isScalar(p.key) && p.key.value === key) return p as Pair<Scalar, Node | null>;
  return undefined;
}

export type { Alias, Node, Pair, Scalar, YAMLMap, YAMLSeq };
export { isAlias, isMap, isPair, isScalar, isSeq };
