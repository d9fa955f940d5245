/**
 * Outline and folding: document symbols (`Kind name` per object, nested by
 * field; list items named by their `name`), workspace symbols (any object of
 * the index by name) and folding ranges (each `---` document, each multi-line
 * map or list).
 *
 * Pure: offsets and line numbers from the file's own line index.
 */
import { isMap, isScalar, isSeq, ManifestFile, Node, nodeAtPath, Section } from '../model/manifest';
import { ObjectFacts, WorkspaceView } from '../workspace/index';
import { configKindOf, isKubeconfig } from '../model/configKinds';
import { KUBECONFIG_SECRET_KEYS } from './kubeconfig';

export type SymbolKind = 'object' | 'field' | 'list' | 'value' | 'item';

export interface DocumentSymbolEntry {
  name: string;
  detail?: string;
  kind: SymbolKind;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: DocumentSymbolEntry[];
}

const MAX_SYMBOLS = 5000;

export function documentSymbols(file: ManifestFile): DocumentSymbolEntry[] {
  const out: DocumentSymbolEntry[] = [];
  const budget = { n: MAX_SYMBOLS };
  for (const section of file.sections) {
    const root = section.doc.contents as Node | null;
    if (!root || !isMap(root)) continue;
    const objects = section.objects;
    if (!objects.length) {
      const r = root.range;
      if (!r) continue;
      out.push({ name: 'document', kind: 'object', start: section.start + r[0], end: section.start + r[1], selectionStart: section.start + r[0], selectionEnd: section.start + r[0], children: fields(section, root, budget, 0) });
      continue;
    }
    const top = objects[0];
    const r = top.node.range;
    if (!r) continue;
    const nameNode = nodeAtPath(top.node, ['metadata', 'name']);
    const kindPair = top.node.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
    const sel = (nameNode?.range ?? (kindPair?.key as Node | undefined)?.range ?? r) as [number, number, number?];
    // A kubeconfig or another configuration file has no metadata.name: `Config`, not `Config (no name)`.
    const unnamed = top.name === undefined && configKindOf(top) !== undefined;
    out.push({
      name: unnamed ? top.kind ?? top.apiVersion ?? '(no kind)' : `${top.kind ?? '(no kind)'} ${top.name ?? '(no name)'}`,
      detail: [top.namespace ? `namespace ${top.namespace}` : undefined, top.apiVersion].filter(Boolean).join(' · '),
      kind: 'object',
      start: section.start + r[0],
      end: section.start + r[1],
      selectionStart: section.start + sel[0],
      selectionEnd: section.start + sel[1],
      children: fields(section, top.node, budget, 0, false, isKubeconfig(top) ? KUBECONFIG_SECRET_KEYS : undefined),
    });
  }
  return out;
}

/** `secret`: under `data`/`stringData`, where values are not shown (a Secret's values must not appear in the outline). */
/** `secretKeys`: keys whose values (and everything below them) are credentials (a kubeconfig's token, password...). */
function fields(section: Section, node: Node, budget: { n: number }, depth: number, secret = false, secretKeys?: ReadonlySet<string>): DocumentSymbolEntry[] {
  const out: DocumentSymbolEntry[] = [];
  if (depth > 30) return out;
  if (isMap(node)) {
    for (const p of node.items) {
      if (budget.n-- <= 0) break;
      if (!isScalar(p.key) || !p.key.range) continue;
      const k = p.key.range;
      const v = (p.value as Node | null)?.range;
      const start = section.start + k[0];
      const end = section.start + (v ? v[1] : k[1]);
      const value = p.value as Node | null;
      const entry: DocumentSymbolEntry = { name: String(p.key.value), kind: 'field', start, end, selectionStart: start, selectionEnd: section.start + k[1], children: [] };
      const credential = secretKeys?.has(String(p.key.value)) ?? false;
      const hide = secret || credential || p.key.value === 'data' || p.key.value === 'stringData';
      if (value && isMap(value)) entry.children = fields(section, value, budget, depth + 1, hide, secretKeys);
      else if (value && isSeq(value)) {
        entry.kind = 'list';
        entry.children = fields(section, value, budget, depth + 1, hide, secretKeys);
      } else if (value && isScalar(value)) {
        entry.kind = 'value';
        const s = String(value.value ?? '');
        if (!secret && !credential) entry.detail = s.length > 60 ? s.slice(0, 60) + '…' : s;
      }
      out.push(entry);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (budget.n-- <= 0) return;
      const n = item as Node | null;
      if (!n || !n.range) return;
      const start = section.start + n.range[0];
      const end = section.start + n.range[1];
      let name = `[${i}]`;
      if (isMap(n)) {
        const nm = n.get('name');
        if (typeof nm === 'string' || typeof nm === 'number') name = `${String(nm)}`;
      } else if (isScalar(n) && !secret) name = String(n.value ?? `[${i}]`);
      out.push({ name, kind: 'item', start, end, selectionStart: start, selectionEnd: start, children: isMap(n) || isSeq(n) ? fields(section, n, budget, depth + 1, secret, secretKeys) : [] });
    });
  }
  return out;
}

export interface WorkspaceSymbolEntry {
  name: string;
  kind: string;
  container: string;
  uri: string;
  start: number;
  end: number;
}

/** Objects whose name (or `Kind/name`) matches the query as a case-insensitive subsequence. */
export function workspaceSymbols(view: WorkspaceView, query: string, max = 200): WorkspaceSymbolEntry[] {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const scored: Array<{ o: ObjectFacts; score: number }> = [];
  for (const o of view.all()) {
    if (!o.name) continue;
    const score = matchScore(q, o.name.toLowerCase(), `${o.kind}/${o.name}`.toLowerCase());
    if (score < 0) continue;
    scored.push({ o, score });
  }
  scored.sort((a, b) => a.score - b.score || a.o.name.localeCompare(b.o.name));
  return scored.slice(0, max).map(({ o }) => ({
    name: o.name,
    kind: o.kind,
    container: `${o.kind}${o.namespace && o.namespace !== 'default' ? ` · ${o.namespace}` : ''}`,
    uri: o.uri,
    start: o.nameSpan?.[0] ?? o.span[0],
    end: o.nameSpan?.[1] ?? o.span[0],
  }));
}

function matchScore(q: string, name: string, full: string): number {
  if (!q) return 3;
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  if (name.includes(q) || full.includes(q)) return 2;
  let i = 0;
  for (const c of full) if (c === q[i]) i++;
  return i === q.length ? 4 : -1;
}

export interface FoldingEntry {
  startLine: number;
  endLine: number;
}

/** Folding ranges: each `---` document and every map or list spanning several lines. */
export function foldingRanges(file: ManifestFile, max = 5000): FoldingEntry[] {
  const out: FoldingEntry[] = [];
  const lines = file.lines;
  const lastLine = (end: number): number => {
    let l = lines.positionAt(end).line;
    // A node's range may end at the start of the next line: fold up to the last line with content.
    while (l > 0 && lines.lineStarts[l] >= end) l--;
    while (l > 0 && lines.lineText(l).trim() === '') l--;
    return l;
  };
  for (const section of file.sections) {
    const s = lines.positionAt(section.start).line;
    const e = lastLine(section.end);
    if (e > s) out.push({ startLine: s, endLine: e });
    const visit = (node: Node | null | undefined, startLine: number | undefined, depth: number): void => {
      if (!node || out.length >= max || depth > 60) return;
      if (!isMap(node) && !isSeq(node)) return;
      const r = node.range;
      if (startLine !== undefined && r) {
        const end = lastLine(section.start + r[1]);
        if (end > startLine) out.push({ startLine, endLine: end });
      }
      if (isMap(node)) {
        for (const p of node.items) {
          const k = (p.key as Node | null)?.range;
          if (k) visit(p.value as Node, lines.positionAt(section.start + k[0]).line, depth + 1);
        }
      } else {
        for (const item of node.items) {
          const n = item as Node | null;
          if (n?.range && (isMap(n) || isSeq(n))) {
            const first = lines.positionAt(section.start + n.range[0]).line;
            const end = lastLine(section.start + n.range[1]);
            if (end > first) out.push({ startLine: first, endLine: end });
            if (isMap(n)) {
              for (const p of n.items) {
                const k = (p.key as Node | null)?.range;
                if (k) visit(p.value as Node, lines.positionAt(section.start + k[0]).line, depth + 1);
              }
            } else visit(n, undefined, depth + 1);
          }
        }
      }
    };
    visit(section.doc.contents as Node | null, undefined, 0);
  }
  // One range per start line (the outermost).
  const byStart = new Map<number, FoldingEntry>();
  for (const f of out) {
    const prev = byStart.get(f.startLine);
    if (!prev || f.endLine > prev.endLine) byStart.set(f.startLine, f);
  }
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
