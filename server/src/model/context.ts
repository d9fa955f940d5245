/**
 * Where the cursor is in a possibly half-typed manifest, worked out from the
 * text's indentation rather than the parse tree (which a half-typed line
 * breaks). Completion uses it; so can any feature that needs "the parent
 * implied by the indentation" on a blank line.
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
  /** The cursor is on a value (after `key: `). */
  value?: { key: string; start: number; prefix: string };
  /** The cursor is on a key (a blank line or a partial word). */
  key?: { start: number; prefix: string; column: number; afterDash: boolean };
  /** Keys already present in the map that holds the cursor. */
  siblings: Set<string>;
  line: number;
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

  const valueMatch = /^(\s*)(-\s+)?([^\s:#'"][^:#]*?)\s*:\s+([^#]*)$/.exec(before);
  if (valueMatch) {
    const keyCol = valueMatch[1].length + (valueMatch[2]?.length ?? 0);
    const prefix = valueMatch[4];
    const afterDash = Boolean(valueMatch[2]);
    ctx.path = parentPath(lines, firstLine, pos.line, keyCol, afterDash, valueMatch[1].length);
    ctx.value = { key: valueMatch[3], start: offset - prefix.length, prefix };
    return ctx;
  }
  const keyMatch = /^(\s*)(-\s+)?([\w./-]*)$/.exec(before);
  if (!keyMatch) return undefined;
  const afterDash = Boolean(keyMatch[2]);
  const column = keyMatch[1].length + (keyMatch[2]?.length ?? 0);
  ctx.path = parentPath(lines, firstLine, pos.line, column, afterDash, keyMatch[1].length);
  ctx.key = { start: offset - keyMatch[3].length, prefix: keyMatch[3], column, afterDash };
  ctx.siblings = siblingKeys(lines, firstLine, lines.positionAt(section.end).line, pos.line, column, afterDash, keyMatch[1].length);
  return ctx;
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
