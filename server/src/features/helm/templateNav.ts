/**
 * Navigation in chart templates, from the parse trees of the last chart check: document symbols
 * for defines, folding of template blocks (define, if, range, with and their `{{ end }}`) and
 * comments, go to definition of a define name (`include "x"`, `template "x"`) and of a variable,
 * and references of a define across the chart and its subcharts.
 * Pure: locations as chart-relative paths with offsets.
 */
import type { ListNode, Node, ParsedTemplate } from '../../helm/ast';
import type { LineIndex } from '../../model/text';

export interface TemplateSymbol {
  name: string;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
}

export interface ChartLocation {
  /** Chart-relative path. */
  path: string;
  start: number;
  end: number;
}

/** One symbol per define, in file order. */
export function defineSymbols(parsed: ParsedTemplate): TemplateSymbol[] {
  return parsed.defines.map((d) => ({ name: d.name, start: (d as { visibleStart?: number }).visibleStart ?? d.start, end: d.end, selectionStart: d.nameSpan.start, selectionEnd: d.nameSpan.end }));
}

/** Folding ranges (0-based lines) of template blocks and multi-line comments. */
export function templateFolding(parsed: ParsedTemplate, lines: LineIndex): Array<{ startLine: number; endLine: number }> {
  const out: Array<{ startLine: number; endLine: number }> = [];
  const push = (s: number, e: number): void => {
    const a = lines.positionAt(s).line;
    const b = lines.positionAt(e).line;
    if (b > a) out.push({ startLine: a, endLine: b });
  };
  const visit = (list: ListNode | undefined): void => {
    if (!list) return;
    for (const n of list.nodes as Node[]) {
      if (n.type === 'if' || n.type === 'range' || n.type === 'with') {
        if (n.close) push(n.open.start, n.close.start);
        visit(n.list);
        visit(n.elseList);
      } else if (n.type === 'comment') push(n.start, n.end);
    }
  };
  visit(parsed.root);
  for (const d of parsed.defines) {
    push((d as { visibleStart?: number }).visibleStart ?? d.start, d.end - 1);
    visit(d.body);
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}

/** The define name under the cursor in `include "x"`, `template "x"`, `block "x"` or `define "x"`. */
export function defineNameAt(text: string, offset: number): { name: string; start: number; end: number } | undefined {
  const re = /\b(include|template|block|define)\s+"([^"\n]*)"/g;
  const from = Math.max(0, text.lastIndexOf('\n', offset - 1));
  const to = text.indexOf('\n', offset);
  const line = text.slice(from, to < 0 ? text.length : to);
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const s = from + m.index + m[0].indexOf('"');
    const e = s + m[2].length + 2;
    if (offset >= s && offset <= e) return { name: m[2], start: s, end: e };
  }
  return undefined;
}

export function defineDefinition(parsedByPath: Map<string, ParsedTemplate>, name: string): ChartLocation[] {
  const out: ChartLocation[] = [];
  for (const [path, p] of parsedByPath) for (const d of p.defines) if (d.name === name) out.push({ path, start: d.nameSpan.start, end: d.nameSpan.end });
  return out;
}

/** Every `include`/`template` of a define name (and its definition when asked). */
export function defineReferences(parsedByPath: Map<string, ParsedTemplate>, name: string, includeDeclaration: boolean): ChartLocation[] {
  const out: ChartLocation[] = [];
  const quoted = JSON.stringify(name);
  for (const [path, p] of parsedByPath) {
    const re = /\b(include|template|block|define)\s+"/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(p.text))) {
      const s = m.index + m[0].length - 1;
      if (p.text.startsWith(quoted, s) && (includeDeclaration || m[1] !== 'define')) out.push({ path, start: s, end: s + quoted.length });
    }
  }
  return out;
}

/** The declaration of the `$variable` under the cursor: the nearest `$x :=` before it. */
export function variableDefinition(text: string, offset: number): { start: number; end: number } | undefined {
  let s = offset;
  while (s > 0 && /[\w$]/.test(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && /\w/.test(text[e])) e++;
  const name = text.slice(s, e);
  if (!/^\$\w+$/.test(name)) return undefined;
  const re = new RegExp(`\\${name}\\b(?=\\s*(?:,\\s*\\$\\w+\\s*)?:=)|\\$\\w+\\s*,\\s*(\\${name})\\b(?=\\s*:=)`, 'g');
  let found: { start: number; end: number } | undefined;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m.index < s) {
    const at = m[1] ? m.index + m[0].lastIndexOf(name) : m.index;
    found = { start: at, end: at + name.length };
  }
  return found;
}
