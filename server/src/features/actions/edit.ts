/**
 * Text-edit helpers for code actions: whole-line spans of map pairs, inserting
 * keys into block maps at the right indentation, re-indenting a block, YAML
 * quoting that round-trips under YAML 1.1. Everything in file offsets.
 */
import { parseDocument } from 'yaml';
import { isMap, isScalar, ManifestFile, Node, Pair, Section, YAMLMap } from '../../model/manifest';
import { OffsetEdit, Problem, Settings } from '../../types';
import { SchemaStore } from '../../schema/schemaStore';

export type ActionKind = 'quickfix' | 'refactor.rewrite' | 'source';

/** A code action of the language service: offset edits, or a command the client runs. */
export interface CodeActionEntry {
  title: string;
  kind: ActionKind;
  edits: OffsetEdit[];
  isPreferred?: boolean;
  /** The problem this action fixes (LSP: the diagnostic it is attached to). */
  problem?: Problem;
  /** A command instead of (or after) the edits. */
  command?: { command: string; title: string; arguments: unknown[] };
  /**
   * The edits hold a Secret's value (plain or base64): the LSP layer lists the action without
   * them and computes them when the user picks it (codeAction/resolve), where the client allows.
   */
  carriesSecret?: boolean;
}

export interface ActionInput {
  file: ManifestFile;
  start: number;
  end: number;
  /** The problems (diagnostics) in the requested range. */
  problems: Problem[];
  settings: Settings;
  store: SchemaStore;
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset just after the line break of the line holding `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

/** The line break the file uses. */
export function eol(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** Column of `offset` on its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The absolute [start, end) of a node, without trailing whitespace and line breaks (block scalars keep their text). */
export function span(section: Section, node: Node | null | undefined): [number, number] | undefined {
  const r = (node as Node | null | undefined)?.range;
  if (!r) return undefined;
  let end = section.start + r[1];
  const start = section.start + r[0];
  const text = section.text;
  while (end > start && /\s/.test(text[end - section.start - 1])) end--;
  return [start, end];
}

/** Whole lines of a block-map pair: from its key's line start to after its value's last line. */
export function pairLines(file: ManifestFile, section: Section, pair: Pair<unknown, unknown>): [number, number] | undefined {
  const k = span(section, pair.key as Node);
  if (!k) return undefined;
  const v = span(section, pair.value as Node);
  const end = v && v[1] > k[1] ? v[1] : k[1];
  // A comment at the end of the last line goes with it.
  return [lineStart(file.text, k[0]), nextLineStart(file.text, end)];
}

/** True when the pair's key is the first thing on its line (not `- key:` of a list item). */
export function keyStartsLine(file: ManifestFile, section: Section, pair: Pair<unknown, unknown>): boolean {
  const k = span(section, pair.key as Node);
  if (!k) return false;
  return /^\s*$/.test(file.text.slice(lineStart(file.text, k[0]), k[0]));
}

/** Indentation (as spaces) of a block map: the column of its first key. */
export function mapIndent(file: ManifestFile, section: Section, map: YAMLMap): number | undefined {
  const first = map.items[0];
  if (!first) return undefined;
  const k = span(section, first.key as Node);
  return k ? columnOf(file.text, k[0]) : undefined;
}

/** Re-indents lines: strips the common indentation `from` and prefixes `to` spaces. The first line may start mid-line. */
export function reindent(block: string, from: number, to: number): string {
  const pad = ' '.repeat(to);
  return block
    .split('\n')
    .map((l) => {
      if (!l.trim()) return l.replace(/[ \t]+$/, '');
      const lead = /^ */.exec(l)![0].length;
      return pad + l.slice(Math.min(lead, from));
    })
    .join('\n');
}

/** Indents every non-empty line of a block by n spaces. */
export function indent(lines: string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.map((l) => (l ? pad + l : l));
}

/**
 * An edit adding `lines` (YAML text at indentation 0, one key or more) at the end of a
 * map, at the map's indentation. Flow maps get the entries inline. Returns undefined
 * when it cannot be done cleanly (an empty block map: use `ensureMapPath`).
 */
export function appendToMap(file: ManifestFile, section: Section, map: YAMLMap, lines: string[], fallbackIndent?: number): OffsetEdit | undefined {
  const nl = eol(file.text);
  if (map.flow) {
    const r = span(section, map);
    if (!r) return undefined;
    const inline = lines.join(' ').replace(/\s+/g, ' ').trim();
    if (lines.length !== 1 && lines.some((l) => /^\s/.test(l))) return undefined; // nested block content does not fit a flow map
    const close = file.text.lastIndexOf('}', r[1]);
    if (close < r[0]) return undefined;
    const before = file.text.slice(r[0] + 1, close).trim();
    return { start: close, end: close, newText: before ? `, ${inline}` : inline };
  }
  const last = map.items[map.items.length - 1];
  const ind = mapIndent(file, section, map) ?? fallbackIndent;
  if (!last || ind === undefined) return undefined;
  const lp = pairLines(file, section, last);
  if (!lp) return undefined;
  let at = lp[1];
  let prefix = '';
  if (at === file.text.length && !/[\r\n]$/.test(file.text)) prefix = nl;
  return { start: at, end: at, newText: prefix + indent(lines, ind).join(nl) + nl };
}

/**
 * Edits that make `path` (map keys) exist under `root` and append `lines` in the map
 * at its end. Missing maps are created with 2-space nesting.
 */
export function ensureMapPath(file: ManifestFile, section: Section, root: YAMLMap, path: string[], lines: string[]): OffsetEdit | undefined {
  let map: YAMLMap = root;
  let i = 0;
  for (; i < path.length; i++) {
    const next = map.get(path[i], true) as Node | undefined;
    if (isMap(next) && (next.items.length || next.flow)) {
      map = next;
      continue;
    }
    if (next === undefined || next === null || (isScalar(next) && (next.value === null || next.value === undefined)) || (isMap(next) && !next.items.length)) {
      // missing, empty (`labels:`) or `{}`-less empty block: write the rest of the path
      const rest = path.slice(i + 1);
      let block = lines;
      for (let j = rest.length - 1; j >= 0; j--) block = [`${rest[j]}:`, ...indent(block, 2)];
      if (next !== undefined && next !== null) {
        // an existing empty value: replace `key:` (and its empty value) with the block
        const pair = map.items.find((p) => isScalar(p.key) && p.key.value === path[i]);
        if (!pair) return undefined;
        const lp = pairLines(file, section, pair);
        const col = mapIndent(file, section, map);
        if (!lp || col === undefined) return undefined;
        const nl = eol(file.text);
        return { start: lp[0], end: lp[1], newText: indent([`${path[i]}:`, ...indent(block, 2)], col).join(nl) + nl };
      }
      return appendToMap(file, section, map, [`${path[i]}:`, ...indent(block, 2)]);
    }
    return undefined; // a scalar or list where a map should be
  }
  return appendToMap(file, section, map, lines);
}

/** Sorts edits and merges the ones that touch (an insertion where another edit starts or ends). */
export function normalizeEdits(edits: OffsetEdit[]): OffsetEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: OffsetEdit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && e.start <= prev.end) {
      if (e.start < prev.end && e.end > e.start) throw new Error('overlapping edits');
      // touching: prev then e
      out[out.length - 1] = { start: prev.start, end: Math.max(prev.end, e.end), newText: prev.newText + e.newText };
      continue;
    }
    out.push(e);
  }
  return out;
}

/** Applies offset edits to a text (in any order; they must not overlap). */
export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const PLAIN_UNSAFE = /^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$|:$|^$|[\x00-\x1f\x7f\u0085\u2028\u2029]/;

/** A YAML scalar for a string that reads back as exactly that string under YAML 1.1 (plain when safe, else double-quoted). */
export function yamlString(value: string): string {
  if (!PLAIN_UNSAFE.test(value) && roundTrips(value, value)) return value;
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function roundTrips(source: string, value: string): boolean {
  try {
    const d = parseDocument(`k: ${source}\n`, { version: '1.1' });
    if (d.errors.length) return false;
    const v = (d.contents as YAMLMap).get('k');
    return v === value;
  } catch {
    return false;
  }
}

/**
 * Lines of `key: value` for a string at indentation 0: a literal block scalar for
 * multi-line text (keeping it exact), else a one-line scalar.
 */
export function keyValueLines(key: string, value: string): string[] {
  const k = yamlString(key);
  if (value.includes('\n') && !/\r|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(value) && !/^[ \t]/.test(value) && !/[ \t]\n/.test(value)) {
    const trailing = /\n*$/.exec(value)![0].length;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    const body = value.slice(0, value.length - trailing).split('\n');
    const lines = [`${k}: |${chomp}`, ...body.map((l) => (l ? '  ' + l : ''))];
    for (let i = 1; i < trailing; i++) lines.push('');
    // verify it reads back exactly
    try {
      const d = parseDocument(lines.join('\n') + (trailing ? '\n' : ''), { version: '1.1' });
      if (!d.errors.length && (d.contents as YAMLMap).get(key) === value) return lines;
    } catch {
      /* fall through */
    }
  }
  return [`${k}: ${yamlString(value)}`];
}

/** The string value of a scalar node; undefined for other nodes. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return node.source ?? String(v);
  return undefined;
}
