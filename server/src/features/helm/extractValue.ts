/**
 * Refactor: extract a literal of a template's YAML text to a value. On `replicas: 3` or
 * `image: nginx:1.25` (or a `- item` of a list) the literal becomes `{{ .Values.<key> }}` and
 * `<key>: <literal>` is added to the chart's values.yaml, so the chart renders exactly as before
 * and the value can be changed per install.
 *
 * - The value keeps its type: `3` stays a number, `nginx:1.25` a string; a quoted literal (a string
 *   that YAML would read as another type without its quotes, `"3"`, `"true"`) is printed with
 *   `| quote` (`| squote` for single quotes). Whatever the kind, the action is rendered with the new
 *   value by the Helm engine before it is offered, and offered only when it prints the very text
 *   it replaces (`0644` or `1.50`, which Helm would print as `420` and `1.5`, go to values.yaml as
 *   strings and print unchanged).
 * - The key comes from the YAML key (camelCase: `containerPort`; `app.kubernetes.io/name` →
 *   `appKubernetesIoName`); when the chart already has or reads that key, the nearest parent key
 *   is put in front (`portsContainerPort`), then a number is added.
 * - Inside `range` or `with`, the action reads `$.Values`; inside a define (whose dot is whatever
 *   the caller passes) nothing is offered.
 *
 * Pure: offsets for the template and for values.yaml.
 */
import type { ListNode, Node } from '../../helm/ast';
import { readValues } from '../../helm/goyaml';
import { renderBare } from '../../helm/index';
import { isGoMap, Value } from '../../helm/value';
import { parentPath } from '../../model/context';
import { LineIndex } from '../../model/text';
import type { OffsetEdit } from '../../types';
import { actionAt, scopeOf, TemplateDoc } from './templateAssist';
import { valueReads, valuesKeys } from './valuesRefs';

export interface ExtractValueAction {
  title: string;
  /** The edit of the template itself. */
  template: OffsetEdit[];
  /** Chart-relative path of the values file that gets the key (`values.yaml`, `charts/db/values.yaml`). */
  valuesFile: string;
  values: OffsetEdit[];
  /** The values path created. */
  key: string[];
}

/** `key: value  # comment` or `- value`: the literal's offsets on the line. */
const KEY_VALUE = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#'"{}[\]&*!|>%@`-][^:#]*?)\s*:[ \t]+(.+?)\s*(?:\s#.*)?$/;
const ITEM = /^(\s*)-[ \t]+(.+?)\s*(?:\s#.*)?$/;

export function extractValueActions(doc: TemplateDoc, start: number, end: number): ExtractValueAction[] {
  const text = doc.text;
  if (actionAt(text, start) || end < start) return [];
  const lines = new LineIndex(text);
  const pos = lines.positionAt(start);
  if (lines.positionAt(end).line !== pos.line) return [];
  const lineStart = lines.lineStarts[pos.line];
  const line = lines.lineText(pos.line);
  if (line.includes('{{') || line.includes('}}')) return [];
  let literal: string;
  let literalStart: number;
  let yamlKey: string | undefined;
  let column: number;
  let afterDash: boolean;
  const kv = KEY_VALUE.exec(line);
  if (kv) {
    literal = kv[3];
    literalStart = lineStart + line.indexOf(literal, kv[1].length + kv[2].length + 1);
    yamlKey = kv[2].replace(/^["']|["']$/g, '');
    const dash = /^\s*-\s+/.exec(line);
    column = dash ? dash[0].length : kv[1].length;
    afterDash = Boolean(dash);
    // apiVersion and kind of a template are what the template is: never a value to set at install time.
    if (column === 0 && (yamlKey === 'apiVersion' || yamlKey === 'kind')) return [];
  } else {
    const item = ITEM.exec(line);
    if (!item || /:(\s|$)/.test(item[2])) return [];
    literal = item[2];
    literalStart = lineStart + line.indexOf(literal, item[1].length + 1);
    column = item[1].length;
    afterDash = true;
  }
  if (!isScalarLiteral(literal)) return [];
  // The cursor (or selection) is on this line's key or literal.
  if (end > lineStart + line.length) return [];
  const parsed = doc.result.parsed.get(doc.path);
  if (!parsed || parsed.errors.length) return [];
  if (parsed.defines.some((d) => d.start <= literalStart && literalStart < d.end)) return [];
  const root = insideRangeOrWith(parsed.root, literalStart) ? '$' : '';
  // The YAML keys above, from indentation (the nearest first).
  const parents = parentPath(lines, 0, pos.line, column, afterDash, /^\s*/.exec(line)![0].length).map(String).filter((k) => k !== '[]');
  const owner = yamlKey ?? parents.pop();
  if (!owner) return [];
  const kinds = literalForms(literal);
  if (!kinds.length) return [];
  const { dir } = scopeOf(doc);
  const valuesFile = `${dir}values.yaml`;
  const valuesText = doc.textOf(valuesFile);
  if (valuesText === undefined) return [];
  const taken = takenKeys(doc, dir, valuesText);
  const key = proposeKey(owner, parents, taken);
  if (!key) return [];
  for (const form of kinds) {
    const action = `{{ ${root}.Values.${key}${form.pipe} }}`;
    let value: Value;
    try {
      const m = readValues(`${key}: ${form.valueText}\n`);
      value = m[key];
    } catch {
      continue;
    }
    if (value === undefined || isGoMap(value) || Array.isArray(value)) continue;
    const out = renderBare([{ name: 'x', text: action }], 'x', { [key]: value });
    if (out.error !== undefined || out.output !== literal) continue;
    const edit = appendTopKey(valuesText, key, form.valueText, value);
    if (!edit) return [];
    return [{
      title: `Extract to a value: ${action.replace(/^\{\{ | \}\}$/g, '')} (in ${valuesFile})`,
      template: [{ start: literalStart, end: literalStart + literal.length, newText: action }],
      valuesFile,
      values: [edit],
      key: [key],
    }];
  }
  return [];
}

function isScalarLiteral(s: string): boolean {
  if (/^"[^"\\]*"$/.test(s)) return true;
  if (/^'[^']*'$/.test(s)) return true;
  // A plain scalar on one line: no flow collections, anchors, tags, block indicators or comments.
  return /^[^\s"'{}[\]&*!|>%@`#,]/.test(s) && !/\s#|: |[{}[\]]|^-\s|^---|^\.\.\./.test(s) && !/:$/.test(s);
}

/** How the literal can be written in values.yaml and printed back: its own form first, then as a string. */
function literalForms(literal: string): Array<{ valueText: string; pipe: string }> {
  if (literal.startsWith('"')) return [{ valueText: literal, pipe: ' | quote' }];
  if (literal.startsWith("'")) return [{ valueText: literal, pipe: ' | squote' }];
  if (literal === '~' || /^null$/i.test(literal)) return [];
  return [
    { valueText: literal, pipe: '' },
    { valueText: JSON.stringify(literal), pipe: '' },
  ];
}

function insideRangeOrWith(list: ListNode, offset: number): boolean {
  let inside = false;
  const visit = (n: Node | ListNode | undefined): void => {
    if (!n || inside) return;
    const x = n as unknown as { type: string; list?: ListNode; elseList?: ListNode; nodes?: Node[] };
    if ((x.type === 'range' || x.type === 'with') && x.list && x.list.start <= offset && offset <= x.list.end) {
      inside = true;
      return;
    }
    if (x.type === 'list') for (const c of x.nodes ?? []) visit(c);
    if (x.list) visit(x.list);
    if (x.elseList) visit(x.elseList);
  };
  visit(list);
  return inside;
}

/** Top keys the chart has or reads: a new key must not change what any template sees. */
function takenKeys(doc: TemplateDoc, dir: string, valuesText: string): Set<string> {
  const out = new Set<string>(['global', 'enabled', 'tags', 'exports']);
  for (const k of valuesKeys(valuesText)) if (k.path.length) out.add(k.path[0]);
  for (const k of Object.keys(scopeOf(doc).values)) out.add(k);
  for (const [p, parsed] of doc.result.parsed) {
    if (!p.startsWith(`${dir}templates/`) && !(dir === '' && p.startsWith('templates/'))) continue;
    for (const r of valueReads(parsed)) if (r.path.length) out.add(r.path[0]);
  }
  return out;
}

function camel(parts: string[]): string {
  const words = parts.flatMap((p) => p.split(/[^A-Za-z0-9]+/)).filter(Boolean);
  let s = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('');
  if (/^[0-9]/.test(s)) s = `v${s}`;
  return s;
}

const GENERIC = new Set(['spec', 'template', 'metadata', 'data', 'stringData']);

function proposeKey(owner: string, parents: string[], taken: Set<string>): string | undefined {
  const base = camel([owner]);
  if (!base) return undefined;
  const candidates = [base];
  for (const p of [...parents].reverse()) if (!GENERIC.has(p)) candidates.push(camel([p, owner]));
  for (const c of candidates) if (c && !taken.has(c)) return c;
  for (let i = 2; i < 100; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
  return undefined;
}

/** `key: value` at the end of values.yaml, when the file is a block map Helm then reads the key from. */
function appendTopKey(text: string, key: string, valueText: string, value: Value): OffsetEdit | undefined {
  const prefix = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
  const newText = `${prefix}${key}: ${valueText}\n`;
  try {
    const after = readValues(text + newText);
    if (after[key] !== value && !(typeof value === 'object' && JSON.stringify(after[key]) === JSON.stringify(value))) return undefined;
    const before = readValues(text);
    if (Object.keys(after).length !== Object.keys(before).length + 1) return undefined;
  } catch {
    return undefined;
  }
  return { start: text.length, end: text.length, newText };
}
