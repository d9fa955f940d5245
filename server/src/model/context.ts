/**
 * Where the cursor is in a possibly half-typed manifest, worked out from the
 * text's indentation rather than the parse tree (which a half-typed line
 * breaks). Completion uses it; so can any feature that needs "the parent
 * implied by the indentation" on a blank line. A value position is found
 * after `key: `, before or inside an existing value, in a `- item` of a list
 * and inside a one-line flow collection (`[a, |]`, `{k: |}`), with the word
 * it covers and the quotes around it.
 */
import { ManifestFile, Path, Section, sectionAt } from './manifest';
import { indentOf, isBlankOrComment, LineIndex } from './text';

export interface CursorContext {
  section: Section;
  /** apiVersion and kind written at the top level of the cursor's section (read from text). */
  apiVersion?: string;
  kind?: string;
  /** Path of the map that holds the cursor's key, from the object's root; '[]' stands for "an item of this list". */
  path: Path;
  /** The cursor is on a value: after `key: `, in an item of a list, or inside a flow collection. */
  value?: ValuePlace;
  /**
   * A `- word` line could be a key of a new list item's map or a scalar item of the list:
   * indentation cannot tell, the schema can. Set (besides `key`) when the line reads as a scalar item.
   */
  listItem?: { place: ValuePlace; path: Path };
  /** The cursor is on a key (a blank line or a partial word). */
  key?: { start: number; prefix: string; column: number; afterDash: boolean };
  /** Keys already present in the map that holds the cursor. */
  siblings: Set<string>;
  line: number;
}

/** A value position: what a completion replaces, and how the text around it is quoted. */
export interface ValuePlace {
  /** The key whose value this is; for an item of a list, the key that holds the list. */
  key: string;
  /** Start of the word under the cursor (after an opening quote). */
  start: number;
  /** End of the word under the cursor (before a closing quote, a comment, or the `,` `]` `}` that ends a flow item). */
  end: number;
  /** The text from `start` to the cursor. */
  prefix: string;
  /** The value is an item of the list under `key` (`- x` or `[x]`). */
  item?: boolean;
  /** Inside a flow collection (`[...]` or `{...}`), where a plain scalar cannot hold `,` `[` `]` `{` `}`. */
  flow?: boolean;
  /** The user opened a quote; `closed` when its closing quote is there too. */
  quote?: { char: '"' | "'"; closed: boolean };
  /** The other items of the same list (their values, unquoted), for a list item. */
  others?: string[];
  /** The quote the other items of the list are written with, if they are quoted. */
  style?: '"' | "'";
}

const KEY_LINE = /^(\s*)(-\s+)?([^\s:#'"{[\]}][^:#]*?|"[^"]*"|'[^']*')\s*:(?:\s+(.*))?$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*\s*(#.*)?$/;

export function cursorContext(file: ManifestFile, offset: number): CursorContext | undefined {
  const lines = file.lines;
  const pos = lines.positionAt(offset);
  const lineText = lines.lineText(pos.line);
  const before = lineText.slice(0, pos.character);
  const section = sectionAt(file, offset);
  if (!section) return undefined;
  const firstLine = lines.positionAt(section.start).line;
  if (/^(---|\.\.\.)/.test(lineText) && pos.character <= 3) return undefined;
  if (/#/.test(before.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined; // inside a comment
  if (insideBlockScalar(lines, pos.line, firstLine, pos.character)) return undefined;

  const typeMeta = readTypeMeta(lines, firstLine, lines.positionAt(section.end).line, pos.line);
  const ctx: CursorContext = { section, ...typeMeta, path: [], siblings: new Set(), line: pos.line };

  const lineStart = offset - pos.character;
  const valueMatch = /^(\s*)(-\s+)?([^\s:#'"][^:#]*?)\s*:\s+(.*)$/.exec(before);
  if (valueMatch) {
    const keyCol = valueMatch[1].length + (valueMatch[2]?.length ?? 0);
    const valueCol = pos.character - valueMatch[4].length;
    const afterDash = Boolean(valueMatch[2]);
    const path = parentPath(lines, firstLine, pos.line, keyCol, afterDash, valueMatch[1].length);
    const key = valueMatch[3];
    if (lineText[valueCol] === '[' || lineText[valueCol] === '{') {
      const flow = flowPlace(lineText, valueCol, pos.character, key, lineStart);
      if (!flow) return undefined;
      ctx.path = [...path, ...flow.holder];
      ctx.value = flow.place;
      return ctx;
    }
    const place = scalarPlace(lineText, valueCol, pos.character, lineStart, key);
    if (!place) return undefined;
    ctx.path = path;
    ctx.value = place;
    return ctx;
  }
  const keyMatch = /^(\s*)(-\s+)?([\w./-]*)$/.exec(before);
  const item = /^(\s*)-\s+(?![[{])(.*)$/.exec(before);
  if (!keyMatch && !item) return undefined;
  if (keyMatch) {
    const afterDash = Boolean(keyMatch[2]);
    const column = keyMatch[1].length + (keyMatch[2]?.length ?? 0);
    ctx.path = parentPath(lines, firstLine, pos.line, column, afterDash, keyMatch[1].length);
    ctx.key = { start: offset - keyMatch[3].length, prefix: keyMatch[3], column, afterDash };
    ctx.siblings = siblingKeys(lines, firstLine, lines.positionAt(section.end).line, pos.line, column, afterDash, keyMatch[1].length);
  }
  if (item && !/:(\s|$)/.test(item[2].replace(/"[^"]*"|'[^']*'/g, ''))) {
    const dash = item[1].length;
    const listPath = keyMatch ? ctx.path : parentPath(lines, firstLine, pos.line, pos.character - item[2].length, true, dash);
    const listKey = listPath[listPath.length - 2];
    const place = typeof listKey === 'string' && listKey !== '[]' ? scalarPlace(lineText, pos.character - item[2].length, pos.character, lineStart, listKey) : undefined;
    if (place) {
      place.item = true;
      const others = blockItems(lines, firstLine, lines.positionAt(section.end).line, pos.line, dash);
      place.others = others.values;
      place.style = others.style;
      ctx.listItem = { place, path: listPath.slice(0, -2) };
    }
  }
  return ctx.key || ctx.listItem ? ctx : undefined;
}

/**
 * A block scalar value (`key: Op|aque`, `key: "Op|aque"`, `- ge|t`) that starts at column
 * `valueCol` of the line, with the cursor at column `col`. Undefined after a closing quote.
 */
function scalarPlace(lineText: string, valueCol: number, col: number, lineStart: number, key: string): ValuePlace | undefined {
  const q = lineText[valueCol];
  if (q === '"' || q === "'") {
    const close = closingQuote(lineText, valueCol);
    if (col === valueCol) return { key, start: lineStart + col, end: lineStart + (close !== undefined ? close + 1 : valueEnd(lineText, col)), prefix: '' }; // before the opening quote: the whole scalar
    if (close !== undefined && close < col) return undefined; // after the closing quote
    const start = valueCol + 1;
    const end = close ?? col + wordLength(lineText, col);
    return { key, start: lineStart + start, end: lineStart + end, prefix: lineText.slice(start, col), quote: { char: q, closed: close !== undefined } };
  }
  const end = Math.max(col, valueEnd(lineText, valueCol));
  return { key, start: lineStart + valueCol, end: lineStart + end, prefix: lineText.slice(valueCol, col) };
}

/** Column where a block plain value starting at `from` ends: before a ` #` comment and trailing spaces. */
function valueEnd(lineText: string, from: number): number {
  const m = /\s#/.exec(lineText.slice(from));
  let end = m ? from + m.index : lineText.length;
  while (end > from && /\s/.test(lineText[end - 1])) end--;
  return end;
}

function wordLength(text: string, from: number): number {
  return /^[\w./-]*/.exec(text.slice(from))![0].length;
}

/** Column of the quote that closes the quoted scalar opened at `open`, or undefined. */
function closingQuote(s: string, open: number): number | undefined {
  const q = s[open];
  for (let j = open + 1; j < s.length; j++) {
    if (q === '"' && s[j] === '\\') {
      j++;
      continue;
    }
    if (s[j] === q) {
      if (q === "'" && s[j + 1] === "'") {
        j++;
        continue;
      }
      return j;
    }
  }
  return undefined;
}

/** The scalar items of the block list whose dashes are at column `dash` around `line` (not the cursor's own). */
function blockItems(lines: LineIndex, first: number, last: number, line: number, dash: number): { values: string[]; style?: '"' | "'" } {
  const values: string[] = [];
  let style: '"' | "'" | undefined;
  const visit = (l: number): boolean => {
    const t = lines.lineText(l);
    if (isBlankOrComment(t)) return true;
    const ind = indentOf(t);
    if (ind > dash) return true; // the rest of an item
    if (ind < dash || t[ind] !== '-') return false;
    const m = /^-\s+(.*)$/.exec(t.slice(ind));
    if (!m) return true;
    const v = m[1].replace(/\s+#.*$/, '').trim();
    if (/^["']/.test(v)) style ??= v[0] as '"' | "'";
    values.push(unquote(v));
    return true;
  };
  for (let l = line - 1; l >= first && visit(l); l--);
  for (let l = line + 1; l <= last && l < lines.lineCount && visit(l); l++);
  return { values, style };
}

function unquote(v: string): string {
  if (v.length >= 2 && v[0] === '"' && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  if (v.length >= 2 && v[0] === "'" && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  return v;
}

// ---------------------------------------------------------------------------
// Flow collections on one line: `verbs: ["get", |]`, `selector: {app: |}`

interface FlowScalar {
  type: 'scalar';
  start: number;
  end: number;
  value: string;
  quote?: '"' | "'";
  closed: boolean;
}
interface FlowSeq {
  type: 'seq';
  start: number;
  end: number;
  items: FlowNode[];
  closed: boolean;
}
interface FlowEntry {
  key?: FlowNode;
  colon?: number;
  value?: FlowNode;
  end: number;
}
interface FlowMap {
  type: 'map';
  start: number;
  end: number;
  entries: FlowEntry[];
  closed: boolean;
}
type FlowNode = FlowScalar | FlowSeq | FlowMap;

const skip = (s: string, i: number): number => {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
};
const isComment = (s: string, i: number): boolean => s[i] === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t');

function parseFlowNode(s: string, i: number, depth: number): FlowNode {
  if (depth < 50 && s[i] === '[') return parseFlowSeq(s, i, depth + 1);
  if (depth < 50 && s[i] === '{') return parseFlowMap(s, i, depth + 1);
  return parseFlowScalar(s, i);
}

function parseFlowScalar(s: string, i: number): FlowScalar {
  const q = s[i];
  if (q === '"' || q === "'") {
    const close = closingQuote(s, i);
    return { type: 'scalar', start: i, end: close === undefined ? s.length : close + 1, value: unquote(s.slice(i, close === undefined ? s.length : close + 1)), quote: q, closed: close !== undefined };
  }
  let j = i;
  while (j < s.length) {
    const c = s[j];
    if (c === ',' || c === '[' || c === ']' || c === '{' || c === '}') break;
    if (c === ':' && (j + 1 >= s.length || /[\s,[\]{}]/.test(s[j + 1]))) break;
    if (isComment(s, j) && j > i) break;
    j++;
  }
  let e = j;
  while (e > i && /\s/.test(s[e - 1])) e--;
  return { type: 'scalar', start: i, end: e, value: s.slice(i, e), closed: true };
}

function parseFlowSeq(s: string, i: number, depth: number): FlowSeq {
  const items: FlowNode[] = [];
  let j = i + 1;
  for (;;) {
    j = skip(s, j);
    if (j >= s.length || isComment(s, j)) return { type: 'seq', start: i, end: j, items, closed: false };
    const c = s[j];
    if (c === ']') return { type: 'seq', start: i, end: j + 1, items, closed: true };
    if (c === ',' || c === '}' || c === ':') {
      j++;
      continue;
    }
    const n = parseFlowNode(s, j, depth);
    items.push(n);
    j = Math.max(n.end, j + 1);
  }
}

function parseFlowMap(s: string, i: number, depth: number): FlowMap {
  const entries: FlowEntry[] = [];
  let cur: FlowEntry | undefined;
  let j = i + 1;
  for (;;) {
    j = skip(s, j);
    if (j >= s.length || isComment(s, j)) {
      if (cur) cur.end = j;
      return { type: 'map', start: i, end: j, entries, closed: false };
    }
    const c = s[j];
    if (c === '}' || c === ',') {
      if (cur) cur.end = j;
      cur = undefined;
      if (c === '}') return { type: 'map', start: i, end: j + 1, entries, closed: true };
      j++;
      continue;
    }
    if (c === ':' && cur && cur.colon === undefined) {
      cur.colon = j++;
      continue;
    }
    if (c === ']') {
      j++;
      continue;
    }
    if (!cur) {
      cur = { end: s.length };
      entries.push(cur);
      cur.key = parseFlowNode(s, j, depth);
      j = Math.max(cur.key.end, j + 1);
      continue;
    }
    if (cur.colon !== undefined && !cur.value) {
      cur.value = parseFlowNode(s, j, depth);
      j = Math.max(cur.value.end, j + 1);
      continue;
    }
    j++;
  }
}

/**
 * The value position at column `col` of a flow collection that opens at column `open`
 * of `lineText` as the value of `key`. `holder`: the path from the map that holds `key`
 * to the map that holds the returned place's key. Undefined on a key of a flow map, after a closing
 * quote, or in a list of lists.
 */
function flowPlace(lineText: string, open: number, col: number, key: string, lineStart: number): { holder: Path; place: ValuePlace } | undefined {
  const root = parseFlowNode(lineText, open, 0);
  const segs: string[] = [key];
  let node: FlowNode = root;
  for (let depth = 0; depth < 60; depth++) {
    if (col <= node.start || (node.closed && col >= node.end) || (!node.closed && col > node.end)) return undefined;
    if (node.type === 'seq') {
      const listKey = segs[segs.length - 1];
      const hit = node.items.find((n) => col >= n.start && col <= n.end);
      if (hit && hit.type !== 'scalar') {
        segs.push('[]');
        node = hit;
        continue;
      }
      if (listKey === '[]') return undefined;
      const others = node.items.filter((n): n is FlowScalar => n !== hit && n.type === 'scalar');
      const style = others.find((n) => n.quote)?.quote;
      const place = flowScalarPlace(hit as FlowScalar | undefined, col, lineText, lineStart, listKey);
      if (!place) return undefined;
      return { holder: segs.slice(0, -1), place: { ...place, item: true, others: others.map((n) => n.value), style } };
    }
    if (node.type === 'map') {
      const entry = node.entries.find((e) => e.colon !== undefined && col > e.colon && col <= e.end);
      if (!entry || !entry.key || entry.key.type !== 'scalar') return undefined; // a key of the flow map
      const k = entry.key.value;
      const v = entry.value;
      if (v && v.type !== 'scalar' && col > v.start) {
        segs.push(k);
        node = v;
        continue;
      }
      if (v && (col < v.start || col > v.end)) return undefined;
      const place = flowScalarPlace(v as FlowScalar | undefined, col, lineText, lineStart, k);
      return place ? { holder: segs, place } : undefined;
    }
    return undefined;
  }
  return undefined;
}

function flowScalarPlace(n: FlowScalar | undefined, col: number, s: string, lineStart: number, key: string): ValuePlace | undefined {
  if (!n) return { key, start: lineStart + col, end: lineStart + col, prefix: '', flow: true };
  if (n.quote && col > n.start) {
    if (n.closed && col >= n.end) return undefined; // after the closing quote
    const end = n.closed ? n.end - 1 : col + wordLength(s, col);
    return { key, start: lineStart + n.start + 1, end: lineStart + end, prefix: s.slice(n.start + 1, col), flow: true, quote: { char: n.quote, closed: n.closed } };
  }
  return { key, start: lineStart + n.start, end: lineStart + n.end, prefix: s.slice(n.start, col), flow: true };
}

/** apiVersion and kind as written at column 0 of the section, skipping the cursor line. */
function readTypeMeta(lines: LineIndex, first: number, last: number, skip: number): { apiVersion?: string; kind?: string } {
  const out: { apiVersion?: string; kind?: string } = {};
  for (let l = first; l <= last && l < lines.lineCount; l++) {
    if (l === skip) continue;
    const m = /^(apiVersion|kind)\s*:\s*["']?([^"'\s#]+)/.exec(lines.lineText(l));
    if (m) out[m[1] as 'apiVersion' | 'kind'] = m[2];
  }
  return out;
}

/** True when the cursor sits in the text of a `key: |` or `key: >` block scalar. */
function insideBlockScalar(lines: LineIndex, line: number, first: number, column: number): boolean {
  const cur = lines.lineText(line);
  let minIndent = isBlankOrComment(cur) ? column : indentOf(cur);
  for (let l = line - 1; l >= first; l--) {
    const t = lines.lineText(l);
    if (isBlankOrComment(t)) continue;
    const ind = indentOf(t);
    if (ind >= minIndent) continue;
    const m = KEY_LINE.exec(t);
    if (m && m[4] !== undefined && BLOCK_SCALAR.test(m[4].trim())) return true;
    minIndent = ind;
    if (ind === 0) return false;
  }
  return false;
}

/**
 * The path of the map that holds a key at `column` on `line`, from the
 * indentation of the lines above. `afterDash`: the key follows `- ` on its
 * line (a new list item), whose dash is at `dashIndent`.
 */
export function parentPath(lines: LineIndex, first: number, line: number, column: number, afterDash: boolean, dashIndent: number): Path {
  const path: Path = [];
  let threshold = column;
  let seqOwner = false;
  if (afterDash) {
    path.unshift('[]');
    threshold = dashIndent;
    seqOwner = true;
  }
  for (let l = line - 1; l >= first; l--) {
    const text = lines.lineText(l);
    if (isBlankOrComment(text)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
    const ind = indentOf(text);
    const isDash = text[ind] === '-' && (text.length === ind + 1 || text[ind + 1] === ' ');
    if (seqOwner) {
      if (isDash && ind === threshold) continue; // an earlier item of the same list
      if (ind > threshold) continue;
      if (!isDash) {
        const key = keyOf(text);
        if (!key) return path;
        path.unshift(key);
        threshold = ind;
        seqOwner = false;
        continue;
      }
      // a dash further left: a list of lists; treat as an item of it
      path.unshift('[]');
      threshold = ind;
      continue;
    }
    if (ind >= threshold) continue;
    if (isDash) {
      // `- key:` with nothing after it, its key left of the cursor's column: the cursor's map is that key's value
      const m = KEY_LINE.exec(text);
      if (m && m[2] && (m[4] === undefined || m[4].trim() === '' || m[4].trim().startsWith('#')) && ind + m[2].length < threshold) {
        path.unshift(keyOf(text)!);
      }
      // the cursor's key is inside this list item's map
      path.unshift('[]');
      threshold = ind;
      seqOwner = true;
      continue;
    }
    const key = keyOf(text);
    if (!key) return path;
    path.unshift(key);
    threshold = ind;
    if (ind === 0) break;
  }
  return path;
}

function keyOf(text: string): string | undefined {
  const m = KEY_LINE.exec(text);
  if (!m) return undefined;
  return m[3].replace(/^["']|["']$/g, '');
}

/** Keys already present in the map that holds a key at `column`. */
export function siblingKeys(lines: LineIndex, first: number, last: number, line: number, column: number, afterDash: boolean, dashIndent: number): Set<string> {
  const keys = new Set<string>();
  if (!afterDash) {
    for (let l = line - 1; l >= first; l--) {
      const text = lines.lineText(l);
      if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
      if (isBlankOrComment(text)) continue;
      const ind = indentOf(text);
      const dash = /^-\s+/.exec(text.slice(ind));
      if (dash) {
        if (ind >= column) continue; // an item of a deeper list
        // `- key:` whose key sits in our column opens our map: take its key and stop
        if (ind + dash[0].length === column) {
          const k = keyOf(text);
          if (k) keys.add(k);
        }
        break;
      }
      if (ind < column) break;
      if (ind === column) {
        const k = keyOf(text);
        if (k) keys.add(k);
      }
    }
  }
  for (let l = line + 1; l <= last && l < lines.lineCount; l++) {
    const text = lines.lineText(l);
    if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
    if (isBlankOrComment(text)) continue;
    const ind = indentOf(text);
    const isDash = text[ind] === '-' && (text.length === ind + 1 || text[ind + 1] === ' ');
    if (isDash && ind <= (afterDash ? dashIndent : column)) break;
    if (!isDash && ind < column) break;
    if (!isDash && ind === column) {
      const k = keyOf(text);
      if (k) keys.add(k);
    }
  }
  return keys;
}
