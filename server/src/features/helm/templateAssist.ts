/**
 * Completion and hover inside a chart's templates, from the last check of the chart
 * (chartCheck.ts):
 * - inside a template action: `.Values.` paths from the values in use (type, value, the comment
 *   above the key in values.yaml), the fields of `.Release`, `.Chart`, `.Capabilities`, `.Files`,
 *   `.Template`, `$` and the variables declared before the cursor, every function, and the
 *   names of defines after `include "` / `template "`; hover on a values path shows its value in
 *   each values file in use and where it is set, on a define name its file and body;
 * - in the YAML text of a template: the cursor is carried through the source map onto the
 *   rendered manifest, and the plain-manifest completion and hover answer there (a Kubernetes
 *   key's documentation, the keys that fit at that place), their ranges carried back.
 *
 * Pure: the caller hands in the check result and the plain-manifest features.
 */
import type { ParsedTemplate } from '../../helm/ast';
import type { Segment } from '../../helm/exec';
import { funcMapFor } from '../../helm/index';
import { GoMap, isGoMap, Value } from '../../helm/value';
import type { ManifestFile } from '../../model/manifest';
import { Settings } from '../../types';
import type { CompletionEntry } from '../completion';
import type { HoverResult } from '../hover';
import type { ChartCheckResult } from './chartCheck';
import { locateValue } from './valuesLocate';
import { chartModelOf } from './chartModel';
import type { ChartModel } from './valuesRefs';
import { commentAbove, scopesUnder, valuesScopeTree } from './valuesScope';
import { jsonShort, schemaInfoAt, schemaPropertiesAt, typeWords } from './valuesSchemaInfo';

/** What the assist needs of the plain-manifest features. */
export interface PlainFeatures {
  parse(uri: string, text: string, previous?: ManifestFile): ManifestFile;
  complete(file: ManifestFile, offset: number, settings: Settings): CompletionEntry[];
  hover(file: ManifestFile, offset: number, settings: Settings): HoverResult | undefined;
}

export interface TemplateDoc {
  /** Chart-relative path (`templates/deployment.yaml`). */
  path: string;
  text: string;
  result: ChartCheckResult;
  /** The chart's files' texts by chart-relative path (values files for hover). */
  textOf(path: string): string | undefined;
  /** Extra values files in use, in order. */
  valueFiles?: Array<{ path: string; text: string }>;
}

/** Optional richer docs for functions (features/helm/functionDocs.ts when present). */
export interface FunctionDocs {
  detail(name: string): string | undefined;
  markdown(name: string): string | undefined;
}

const BUILTIN_FUNCS = ['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'call', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'include', 'tpl', 'required', 'fail'];
const KEYWORDS = ['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue'];

const OBJECT_FIELDS: Record<string, Array<[string, string]>> = {
  '': [
    ['Values', 'The values in use: values.yaml merged with the values files and --set of the install.'],
    ['Release', 'The release: Name, Namespace, IsInstall, IsUpgrade, Revision, Service.'],
    ['Chart', "This chart's Chart.yaml, with capitalised field names (.Chart.Name, .Chart.Version, .Chart.AppVersion)."],
    ['Capabilities', 'What the cluster supports: KubeVersion, APIVersions.Has "apps/v1", HelmVersion.'],
    ['Files', 'The non-template files of the chart: Get, GetBytes, Glob, Lines, AsConfig, AsSecrets.'],
    ['Template', 'The template being rendered: Name, BasePath.'],
    ['Subcharts', "The subcharts' scopes by name (.Subcharts.db.Values)."],
  ],
  Release: [
    ['Name', 'The release name (helm install NAME).'],
    ['Namespace', 'The namespace the release is installed into.'],
    ['IsInstall', 'true on helm install.'],
    ['IsUpgrade', 'true on helm upgrade and rollback.'],
    ['Revision', 'The revision number: 1 on install, +1 on each upgrade.'],
    ['Service', 'Always "Helm".'],
  ],
  Chart: [
    ['Name', 'Chart.yaml name.'],
    ['Version', 'Chart.yaml version (the chart\'s own SemVer).'],
    ['AppVersion', 'Chart.yaml appVersion: the version of the application the chart installs.'],
    ['Description', 'Chart.yaml description.'],
    ['Type', 'application or library.'],
    ['KubeVersion', 'Chart.yaml kubeVersion constraint.'],
    ['Home', 'Chart.yaml home.'],
    ['Keywords', 'Chart.yaml keywords.'],
    ['Annotations', 'Chart.yaml annotations.'],
    ['Dependencies', 'Chart.yaml dependencies.'],
    ['Maintainers', 'Chart.yaml maintainers.'],
    ['IsRoot', 'true for the chart being installed, false in a subchart.'],
    ['Icon', 'Chart.yaml icon.'],
    ['Deprecated', 'Chart.yaml deprecated.'],
    ['APIVersion', 'Chart.yaml apiVersion (v2).'],
  ],
  Capabilities: [
    ['KubeVersion', 'The Kubernetes version: .Version (v1.34.0), .Major, .Minor. In the editor: kubeManifests.kubernetesVersion.'],
    ['APIVersions', 'The API group/versions the cluster serves: {{ if .Capabilities.APIVersions.Has "policy/v1" }}.'],
    ['HelmVersion', 'The Helm version: .Version, .GitCommit, .GoVersion.'],
  ],
  Files: [
    ['Get', '{{ .Files.Get "config.ini" }}: a file of the chart as a string.'],
    ['GetBytes', 'A file as bytes.'],
    ['Glob', '{{ .Files.Glob "conf/*" }}: the files matching a pattern.'],
    ['Lines', 'A file split into lines, for range.'],
    ['AsConfig', 'Files as ConfigMap data (use with Glob).'],
    ['AsSecrets', 'Files as base64 Secret data (use with Glob).'],
  ],
  Template: [
    ['Name', 'This template\'s path: mychart/templates/deployment.yaml.'],
    ['BasePath', 'The templates folder: mychart/templates.'],
  ],
};

/** Where an offset is in a template's text: inside an action (its start) or in the YAML text. */
export function actionAt(text: string, offset: number): { start: number; end: number } | undefined {
  const open = text.lastIndexOf('{{', offset - 1 >= 0 ? offset - 1 : 0);
  if (open < 0 || open + 2 > offset) return undefined;
  const close = text.lastIndexOf('}}', offset - 1);
  if (close > open && close + 2 <= offset) return undefined;
  const end = text.indexOf('}}', offset);
  const nextOpen = text.indexOf('{{', offset);
  return { start: open, end: end < 0 || (nextOpen >= 0 && nextOpen < end) ? offset : end + 2 };
}

export function completeTemplate(doc: TemplateDoc, offset: number, plain: PlainFeatures, settings: Settings, docs?: FunctionDocs): CompletionEntry[] {
  const action = actionAt(doc.text, offset);
  if (!action) return completeInRendered(doc, offset, plain, settings);
  const before = doc.text.slice(action.start + 2, offset);
  let m: RegExpExecArray | null;
  if ((m = /(?:include|template)\s+"([^"]*)$/.exec(before))) {
    const typed = m[1];
    const range = { start: offset - typed.length, end: endOfWord(doc.text, offset, /[^"\s}]/) };
    return defines(doc).map(([name, file]) => ({ label: name, kind: 'value' as const, detail: file, insertText: name, snippet: false, range }));
  }
  if ((m = /(\$?[A-Za-z_]\w*|\$|)((?:\.[A-Za-z_]\w*)*)\.([A-Za-z_]\w*)?$/.exec(before)) && !/\w$/.test(before.slice(0, before.length - m[0].length))) {
    const root = m[1];
    const chain = m[2] ? m[2].slice(1).split('.') : [];
    const typed = m[3] ?? '';
    const range = { start: offset - typed.length, end: endOfWord(doc.text, offset, /\w/) };
    if (root === '' || root === '$') return fieldEntries(doc, offset, root, chain, range);
    return [];
  }
  const w = /(\$?\w*)$/.exec(before)!;
  const word = w[1];
  const range = { start: offset - word.length, end: endOfWord(doc.text, offset, /\w/) };
  const out: CompletionEntry[] = [];
  for (const v of variablesBefore(doc.text, action.start)) out.push({ label: v, kind: 'value', detail: 'variable', insertText: v, snippet: false, range, sortText: `0${v}` });
  if (word.startsWith('$')) return out;
  for (const k of KEYWORDS) out.push({ label: k, kind: 'property', detail: 'keyword', insertText: k, snippet: false, range, sortText: `1${k}` });
  const names = new Set([...funcMapFor(true).keys(), ...BUILTIN_FUNCS]);
  for (const f of [...names].sort()) {
    out.push({ label: f, kind: 'module', detail: docs?.detail(f) ?? 'function', documentation: docs?.markdown(f), insertText: f, snippet: false, range, sortText: `2${f}` });
  }
  return out;
}

function endOfWord(text: string, offset: number, re: RegExp): number {
  let e = offset;
  while (e < text.length && re.test(text[e])) e++;
  return e;
}

function defines(doc: TemplateDoc): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const [path, p] of doc.result.parsed) for (const d of p.defines) if (!out.has(d.name)) out.set(d.name, path);
  return [...out].sort((a, b) => a[0].localeCompare(b[0]));
}

function variablesBefore(text: string, upTo: number): string[] {
  const s = new Set<string>(['$']);
  const re = /(\$[A-Za-z_]\w*)\s*(?:,\s*(\$[A-Za-z_]\w*)\s*)?:=/g;
  let m: RegExpExecArray | null;
  const head = text.slice(0, upTo);
  while ((m = re.exec(head))) {
    s.add(m[1]);
    if (m[2]) s.add(m[2]);
  }
  return [...s];
}

/**
 * The chart a template belongs to (from the chart model: a subchart's folder need not be named
 * after it, and an alias renames its values key): its values under the root's, the key path to
 * them, and its folder.
 */
export function scopeOf(doc: TemplateDoc): { values: GoMap; prefix: string[]; dir: string } {
  let values: GoMap = doc.result.prepared?.values ?? {};
  const prefix: string[] = [];
  let chart = chartModelOf(doc.result, doc.textOf);
  while (chart) {
    const sub: ChartModel | undefined = chart.subcharts.find((c) => doc.path.startsWith(c.dir));
    if (!sub) return { values, prefix, dir: chart.dir };
    const key = sub.alias ?? sub.name;
    const v = values[key];
    values = isGoMap(v) ? v : {};
    prefix.push(key);
    chart = sub;
  }
  return { values, prefix, dir: '' };
}

function scopeValues(doc: TemplateDoc): { values: GoMap; prefix: string[] } {
  return scopeOf(doc);
}

function fieldEntries(doc: TemplateDoc, offset: number, root: string, chain: string[], range: { start: number; end: number }): CompletionEntry[] {
  // Inside `with .Values.x` (or range over it), "." is that value.
  const scope = root === '' ? dotScope(doc, offset) : undefined;
  let path = chain;
  if (scope) path = ['Values', ...scope, ...chain];
  if (path.length === 0) return OBJECT_FIELDS[''].map(([l, d]) => ({ label: l, kind: 'property' as const, detail: 'built-in object', documentation: d, insertText: l, snippet: false, range }));
  if (path[0] === 'Values') {
    const { values } = scopeValues(doc);
    let cur: Value = values;
    for (const k of path.slice(1)) cur = isGoMap(cur) ? cur[k] : Array.isArray(cur) && isGoMap(cur[0]) ? (cur[0] as GoMap)[k] : undefined;
    if (Array.isArray(cur) && isGoMap(cur[0])) cur = cur[0];
    // values.schema.json of the template's chart: keys no values file sets yet, and the schema's words.
    const props = schemaPropertiesAt(schemaOf(doc), path.slice(1), true);
    if (!isGoMap(cur) && !props) return [];
    const map: GoMap = isGoMap(cur) ? cur : {};
    const valuesText = doc.textOf(valuesFileOf(doc)) ?? '';
    const { prefix } = scopeValues(doc);
    const names = new Set([...Object.keys(map), ...(props?.keys.map((k) => k.name) ?? [])]);
    return [...names]
      .sort()
      .filter((k) => /^[A-Za-z_]\w*$/.test(k))
      .map((k) => {
        const prop = props?.keys.find((x) => x.name === k);
        const description = prop?.info.description ?? prop?.info.title;
        if (!Object.prototype.hasOwnProperty.call(map, k)) {
          const type = prop && prop.info.types.length ? typeWords(prop.info) : 'value';
          return {
            label: k,
            kind: prop?.info.types.includes('object') ? ('module' as const) : ('property' as const),
            detail: `${type} (not set; values.schema.json)`,
            documentation: [description, prop?.info.hasDefault ? `Schema default: \`${jsonShort(prop.info.default ?? null)}\`` : ''].filter(Boolean).join('\n\n') || undefined,
            insertText: k,
            snippet: false,
            range,
            sortText: `~${k}`,
          };
        }
        const v = map[k];
        const keyPath = [...prefix, ...path.slice(1), k];
        const comment = commentAbove(valuesText, locateValue(valuesText, keyPath.slice(prefix.length))?.keyStart);
        return {
          label: k,
          kind: isGoMap(v) ? ('module' as const) : ('property' as const),
          detail: `${typeName(v)}${isGoMap(v) || Array.isArray(v) ? '' : ` = ${short(v)}`}`,
          documentation: [comment, description && description !== comment ? description : ''].filter(Boolean).join('\n\n') || undefined,
          insertText: k,
          snippet: false,
          range,
        };
      });
  }
  const fields = OBJECT_FIELDS[path[0]];
  if (path.length === 1 && fields) return fields.map(([l, d]) => ({ label: l, kind: 'property' as const, detail: `.${path[0]}.${l}`, documentation: d, insertText: l, snippet: false, range }));
  if (path.length === 2 && path[0] === 'Capabilities' && path[1] === 'KubeVersion') {
    return ['Version', 'Major', 'Minor', 'GitVersion'].map((l) => ({ label: l, kind: 'property' as const, detail: '.Capabilities.KubeVersion', insertText: l, snippet: false, range }));
  }
  if (path.length === 2 && path[0] === 'Capabilities' && path[1] === 'APIVersions') return [{ label: 'Has', kind: 'module', detail: 'Has "group/version" or "group/version/Kind"', insertText: 'Has', snippet: false, range }];
  return [];
}

function valuesFileOf(doc: TemplateDoc): string {
  return `${scopeOf(doc).dir}values.yaml`;
}

/** The values.schema.json text of the chart a template belongs to. */
function schemaOf(doc: TemplateDoc): string | undefined {
  const dir = scopeOf(doc).dir;
  return scopesUnder(valuesScopeTree(doc.result, doc.textOf)).find((s) => s.dir === dir)?.schemaText;
}

/** The values path "." holds at an offset: inside `with .Values.a.b` it is a.b (range: the element of it). */
function dotScope(doc: TemplateDoc, offset: number): string[] | undefined {
  const p = doc.result.parsed.get(doc.path);
  if (!p) return undefined;
  let found: string[] | undefined;
  const visit = (n: any): void => {
    if (!n || typeof n !== 'object') return;
    if ((n.type === 'with' || n.type === 'range') && n.list && n.list.start <= offset && offset <= n.list.end) {
      const cmd = n.pipe?.cmds?.[0]?.args;
      const arg = cmd && cmd.length === 1 ? cmd[0] : undefined;
      if (arg && arg.type === 'field' && arg.ident[0] === 'Values') found = arg.ident.slice(1);
      else if (arg) found = undefined;
    }
    for (const k of ['nodes', 'list', 'elseList']) {
      const c = n[k];
      if (Array.isArray(c)) c.forEach(visit);
      else if (c) visit(c);
    }
  };
  visit(p.root);
  for (const d of p.defines) visit(d.body);
  return found;
}

function typeName(v: Value): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) return 'list';
  if (isGoMap(v)) return 'map';
  return 'value';
}

function short(v: Value): string {
  if (isGoMap(v)) return `{${Object.keys(v).slice(0, 4).join(', ')}${Object.keys(v).length > 4 ? ', …' : ''}}`;
  if (Array.isArray(v)) return `[${v.length} item${v.length === 1 ? '' : 's'}]`;
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

// ------------------------------------------------------------------ hover

export function hoverTemplate(doc: TemplateDoc, offset: number, plain: PlainFeatures, settings: Settings, docs?: FunctionDocs): HoverResult | undefined {
  const action = actionAt(doc.text, offset);
  if (!action) return hoverInRendered(doc, offset, plain, settings);
  // A define name in include/template.
  const inc = /(include|template)\s+"([^"]*)"/g;
  const actionText = doc.text.slice(action.start, action.end);
  let m: RegExpExecArray | null;
  while ((m = inc.exec(actionText))) {
    const s = action.start + m.index + m[0].indexOf('"');
    const e = s + m[2].length + 2;
    if (offset >= s && offset <= e) {
      const def = findDefine(doc, m[2]);
      if (!def) return { contents: `No define named \`${m[2]}\` in this chart or its subcharts.`, range: { start: s, end: e } };
      const body = def.parsed.text.slice(def.start, def.end);
      return { contents: `**define "${m[2]}"** in \`${def.path}\`\n\n\`\`\`helm\n${body.length > 1500 ? body.slice(0, 1500) + '\n…' : body}\n\`\`\``, range: { start: s, end: e } };
    }
  }
  // A values path.
  const word = wordAt(doc.text, offset, /[\w.$]/);
  if (word) {
    const vm = /^(\$?)\.Values((?:\.\w+)*)/.exec(word.text);
    if (vm) {
      // Up to the segment under the cursor.
      const segs = vm[2].split('.').slice(1);
      // Up to and including the key under the cursor (pos: the dot before each key).
      let pos = word.start + vm[1].length + '.Values'.length;
      const path: string[] = [];
      for (const sgm of segs) {
        if (pos > offset) break;
        path.push(sgm);
        pos += sgm.length + 1;
      }
      const end = word.start + vm[1].length + '.Values'.length + path.reduce((n, p) => n + p.length + 1, 0);
      return { contents: valuesHover(doc, path), range: { start: word.start, end } };
    }
    const fm = /^\w+$/.exec(word.text);
    if (fm) {
      const md = docs?.markdown(word.text);
      if (md) return { contents: md, range: { start: word.start, end: word.end } };
    }
  }
  return undefined;
}

function wordAt(text: string, offset: number, re: RegExp): { text: string; start: number; end: number } | undefined {
  let s = offset;
  while (s > 0 && re.test(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && re.test(text[e])) e++;
  return e > s ? { text: text.slice(s, e), start: s, end: e } : undefined;
}

function findDefine(doc: TemplateDoc, name: string): { path: string; parsed: ParsedTemplate; start: number; end: number } | undefined {
  for (const [path, p] of doc.result.parsed) {
    for (const d of p.defines) if (d.name === name) return { path, parsed: p, start: d.body.start, end: d.body.end };
  }
  return undefined;
}

function valuesHover(doc: TemplateDoc, path: string[]): string {
  const { values, prefix } = scopeValues(doc);
  let cur: Value = values;
  for (const k of path) cur = isGoMap(cur) ? cur[k] : undefined;
  const shown = `.Values${path.map((p) => '.' + p).join('')}`;
  let md = `**${shown}**`;
  md += cur === undefined ? ' is not set in the values in use.' : ` = \`${short(cur)}\` (${typeName(cur)})`;
  const files: Array<[string, string]> = [];
  const own = valuesFileOf(doc);
  const candidates: Array<[string, string[]]> = [[own, path]];
  if (prefix.length) candidates.push(['values.yaml', [...prefix, ...path]]);
  for (const v of doc.valueFiles ?? []) candidates.push([v.path, [...prefix, ...path]]);
  for (const [file, p] of candidates) {
    const text = file === own || file === 'values.yaml' ? doc.textOf(file) : doc.valueFiles?.find((v) => v.path === file)?.text;
    if (text === undefined || p.length === 0) continue;
    const at = locateValue(text, p);
    if (!at) continue;
    const comment = commentAbove(text, at.keyStart);
    const raw = text.slice(at.valueStart, at.valueEnd);
    const shown = /\n/.test(text.slice(at.keyEnd, at.valueStart + 1)) || /\n\s/.test(raw) ? '(a block)' : `\`${raw.slice(0, 80).split('\n')[0]}\``;
    files.push([`${file}:${at.line + 1}`, `${shown}${comment ? ` — ${comment.split('\n')[0]}` : ''}`]);
  }
  if (files.length) md += '\n\n' + files.map(([f, v]) => `- ${f}: ${v}`).join('\n');
  const info = path.length ? schemaInfoAt(schemaOf(doc), path, true) : undefined;
  if (info && (info.description || info.types.length || info.enum)) {
    const facts = [info.types.length ? `type ${typeWords(info)}` : '', info.enum ? `one of ${info.enum.slice(0, 12).map((e) => `\`${jsonShort(e)}\``).join(', ')}` : ''].filter(Boolean).join('; ');
    md += `\n\nvalues.schema.json: ${[info.description, facts].filter(Boolean).join(' — ')}`;
  }
  return md;
}

// ------------------------------------------------------------------ YAML text, through the source map

/** The rendered offset that a template offset in literal text was copied to. */
export function renderedOffset(segs: Segment[], templateName: string, offset: number): number | undefined {
  for (const s of segs) {
    if (s.kind === 'text' && s.file === templateName && s.stack.length === 0 && s.srcStart <= offset && offset <= s.srcEnd) return s.outStart + (offset - s.srcStart);
  }
  return undefined;
}

/** Parsed rendered manifests by uri and text: completion and hover on the same render parse once. */
const renderedFiles = new Map<string, ManifestFile>();

function renderedFor(doc: TemplateDoc, plain: PlainFeatures): { file: ManifestFile; segs: Segment[]; name: string } | undefined {
  const r = doc.result.rendered.get(doc.path);
  if (!r || !r.segments) return undefined;
  const name = [...(doc.result.prepared ? [doc.result.prepared.chart.name] : []), doc.path].join('/');
  const uri = `helm-rendered:${encodeURIComponent(name)}`;
  const key = `${uri}\u0000${r.output}`;
  let file = renderedFiles.get(key);
  if (!file) {
    file = plain.parse(uri, r.output);
    if (renderedFiles.size > 16) renderedFiles.clear();
    renderedFiles.set(key, file);
  }
  return { file, segs: r.segments, name };
}

function templateName(doc: TemplateDoc): string | undefined {
  for (const [path, p] of doc.result.parsed) if (path === doc.path) return p.name;
  return undefined;
}

function completeInRendered(doc: TemplateDoc, offset: number, plain: PlainFeatures, settings: Settings): CompletionEntry[] {
  const r = renderedFor(doc, plain);
  const name = templateName(doc);
  if (!r || !name) return [];
  const out = renderedOffset(r.segs, name, offset);
  if (out === undefined) return [];
  const delta = offset - out;
  const entries = plain.complete(r.file, out, settings);
  return entries
    .filter((e) => !e.skeleton)
    .map((e) => ({ ...e, range: { start: e.range.start + delta, end: e.range.end + delta } }))
    .filter((e) => e.range.start >= 0 && e.range.end <= doc.text.length && !doc.text.slice(e.range.start, e.range.end).includes('{{'));
}

function hoverInRendered(doc: TemplateDoc, offset: number, plain: PlainFeatures, settings: Settings): HoverResult | undefined {
  const r = renderedFor(doc, plain);
  const name = templateName(doc);
  if (!r || !name) return undefined;
  const out = renderedOffset(r.segs, name, offset);
  if (out === undefined) return undefined;
  const h = plain.hover(r.file, out, settings);
  if (!h) return undefined;
  const delta = offset - out;
  const range = { start: h.range.start + delta, end: h.range.end + delta };
  if (range.start < 0 || range.end > doc.text.length || doc.text.slice(range.start, range.end).includes('{{')) return { contents: h.contents, range: { start: offset, end: offset } };
  return { contents: h.contents, range };
}
