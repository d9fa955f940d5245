/**
 * Completion in a chart's values files (values.yaml, values-*.yaml, ci/*.yaml, a file outside the
 * chart tied to it): at a key, the keys the chart knows at the cursor's path —
 * - values.schema.json's `properties` (type, description, default, enum; required first),
 * - the chart's own values.yaml (in every file but values.yaml itself: the default and the
 *   comment above the key there),
 * - the subcharts' values under their name or alias, and `global` (every chart's);
 * after `key: `, the values the schema allows (enum, const, booleans), its default and the
 * chart's default. Keys already in the map are not offered again. The cursor's place comes from
 * indentation (model/context.ts), as in plain manifests.
 *
 * Pure: from the last chart check and the chart's texts.
 */
import { GoMap, isGoMap, Value } from '../../helm/value';
import { cursorContext } from '../../model/context';
import type { ManifestFile } from '../../model/manifest';
import type { CompletionEntry } from '../completion';
import type { ChartCheckResult } from './chartCheck';
import { KeyFacts, keyFactsAt, knownKeys, scopeOfValuesFile, targetsOf, valuesScopeTree } from './valuesScope';
import { jsonShort, schemaInfoAt, typeWords } from './valuesSchemaInfo';

export interface ValuesDoc {
  /** Chart-relative path (`values.yaml`, `ci/prod.yaml`, `../deploy/prod.yaml` for a tied file). */
  path: string;
  file: ManifestFile;
  result: ChartCheckResult;
  textOf(rel: string): string | undefined;
}

type Shape = 'map' | 'list' | 'bool' | 'scalar';

function shapeOf(k: KeyFacts): Shape {
  const t = k.schema?.types.filter((x) => x !== 'null') ?? [];
  if (k.block) return 'map';
  if (t.length === 1) {
    if (t[0] === 'object') return 'map';
    if (t[0] === 'array') return 'list';
    if (t[0] === 'boolean') return 'bool';
    return 'scalar';
  }
  const v = k.chartDefault?.value;
  if (isGoMap(v)) return 'map';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'boolean') return 'bool';
  return 'scalar';
}

/** A key as YAML writes it (quoted when plain text would read as something else). */
function yamlKey(k: string): string {
  return /^[A-Za-z_][\w.\-/]*$/.test(k) && !YAML_SPECIAL.test(k) ? k : JSON.stringify(k);
}

const YAML_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

function snippetEscape(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** A scalar as YAML text that Helm reads back as the same value. */
export function yamlScalar(v: unknown): string {
  if (typeof v === 'string') {
    const plain = /^[A-Za-z_/][\w.\-/:@]*$/.test(v) && !YAML_SPECIAL.test(v) && !/:$/.test(v) && !/: /.test(v);
    return plain ? v : JSON.stringify(v);
  }
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s;
}

function valueShort(v: Value): string {
  if (isGoMap(v)) return Object.keys(v).length ? `{${Object.keys(v).slice(0, 4).join(', ')}${Object.keys(v).length > 4 ? ', …' : ''}}` : '{}';
  if (Array.isArray(v)) return v.length ? `[${v.length} item${v.length === 1 ? '' : 's'}]` : '[]';
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** The documentation of a key: the schema's words, its enum and default, the chart default with its comment. */
export function keyDocumentation(k: KeyFacts, showChartDefault = true): string {
  const parts: string[] = [];
  if (k.block) parts.push(k.block);
  const s = k.schema;
  if (s) {
    const head = [s.title && s.title !== s.description ? `**${s.title}**` : '', s.description ?? ''].filter(Boolean).join(': ');
    if (head) parts.push(head);
    const facts: string[] = [];
    if (s.types.length) facts.push(`type ${typeWords(s)}`);
    if (k.required) facts.push('required');
    if (s.enum) facts.push(`one of ${s.enum.slice(0, 12).map((e) => `\`${jsonShort(e)}\``).join(', ')}${s.enum.length > 12 ? ', …' : ''}`);
    if (s.hasDefault) facts.push(`schema default \`${jsonShort(s.default ?? null)}\``);
    if (facts.length) parts.push(`values.schema.json: ${facts.join('; ')}.`);
  }
  const d = k.chartDefault;
  if (d && showChartDefault) {
    // Charts that generate their schema from values.yaml's comments (cert-manager) say the same thing twice: once is enough.
    const words = (t: string | undefined): string => (t ?? '').replace(/\s+/g, ' ').trim();
    const comment = d.comment && !(s?.description && words(s.description).includes(words(d.comment))) ? d.comment : undefined;
    parts.push(`Chart default${d.line >= 0 ? ` (${d.file}:${d.line + 1})` : ''}: \`${valueShort(d.value)}\`${comment ? `\n\n${comment}` : ''}`);
  }
  return parts.join('\n\n');
}

function detailOf(k: KeyFacts, shape: Shape): string {
  const type = k.schema?.types.length ? typeWords(k.schema) : shape === 'map' ? 'map' : shape === 'list' ? 'list' : shape === 'bool' ? 'boolean' : k.chartDefault ? typeof k.chartDefault.value === 'string' ? 'string' : k.chartDefault.value === null ? 'null' : 'number' : 'value';
  const d = k.chartDefault;
  const shown = d && !isGoMap(d.value) && !Array.isArray(d.value) ? ` = ${valueShort(d.value)}` : '';
  return `${k.block ? (k.name === 'global' ? 'global values' : 'subchart values') : type}${k.required ? ' (required)' : ''}${shown}`;
}

function indentUnit(text: string): string {
  const m = /\n( +)\S/.exec(text);
  return m ? m[1] : '  ';
}

export function completeValuesFile(doc: ValuesDoc, offset: number): CompletionEntry[] {
  const cc = cursorContext(doc.file, offset);
  if (!cc) return [];
  const path = cc.path.map(String);
  if (cc.key) {
    const key = cc.key;
    const range = { start: key.start, end: offset + (/^[\w./-]*/.exec(doc.file.text.slice(offset))?.[0].length ?? 0) };
    const indent = ' '.repeat(key.column);
    const unit = indentUnit(doc.file.text);
    const out: CompletionEntry[] = [];
    for (const k of knownKeys(doc, path).values()) {
      if (cc.siblings.has(k.name) && k.name !== key.prefix) continue;
      const shape = shapeOf(k);
      const name = snippetEscape(yamlKey(k.name));
      const insertText = shape === 'map' ? `${name}:\n${indent}${unit}$0` : shape === 'list' ? `${name}:\n${indent}${unit}- $0` : shape === 'bool' ? `${name}: \${1|true,false|}` : `${name}: $0`;
      out.push({
        label: k.name,
        kind: shape === 'map' ? 'module' : 'property',
        detail: detailOf(k, shape),
        documentation: keyDocumentation(k) || undefined,
        insertText,
        snippet: true,
        range,
        sortText: `${k.required ? '0' : k.block ? '2' : '1'}_${k.name}`,
        retrigger: shape === 'scalar' && (Boolean(k.schema?.enum) || (k.chartDefault !== undefined && k.chartDefault.value !== null && k.chartDefault.value !== '')),
      });
    }
    return out;
  }
  const place = cc.value ?? cc.listItem?.place;
  if (!place) return [];
  const holder = cc.value ? path : (cc.listItem?.path ?? []).map(String);
  const full = [...holder, place.key, ...(place.item ? ['[]'] : [])];
  const k: KeyFacts | undefined = place.item ? itemFacts(doc, full) : keyFactsAt(doc, full);
  if (!k) return [];
  const range = { start: place.start, end: place.end };
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  const add = (v: unknown, detail: string, documentation: string | undefined, sort: string): void => {
    if (v !== null && typeof v === 'object') return;
    const text = place.quote ? (typeof v === 'string' ? v : String(v)) : yamlScalar(v);
    if (seen.has(text) || (place.others?.includes(String(v)) ?? false)) return;
    seen.add(text);
    out.push({ label: text, kind: 'enum', detail, documentation, insertText: text, snippet: false, range, sortText: sort });
  };
  const s = k.schema;
  s?.enum?.forEach((e, i) => add(e, 'values.schema.json enum', s.description, `0_${String(i).padStart(3, '0')}`));
  if (!s?.enum && (s?.types.includes('boolean') || (!s?.types.length && typeof k.chartDefault?.value === 'boolean'))) {
    add(true, 'boolean', undefined, '0_0');
    add(false, 'boolean', undefined, '0_1');
  }
  if (s?.hasDefault) add(s.default, 'values.schema.json default', undefined, '1');
  if (k.chartDefault && !isGoMap(k.chartDefault.value) && !Array.isArray(k.chartDefault.value)) {
    add(k.chartDefault.value as GoMap[string], `chart default${k.chartDefault.line >= 0 ? ` (${k.chartDefault.file}:${k.chartDefault.line + 1})` : ''}`, k.chartDefault.comment || undefined, '2');
  }
  return out;
}

/** An item of a list: the schema of the list's items. */
function itemFacts(doc: ValuesDoc, full: string[]): KeyFacts | undefined {
  const tree = valuesScopeTree(doc.result, doc.textOf);
  const { scope, isDefaults } = scopeOfValuesFile(tree, doc.path);
  for (const t of targetsOf(scope, full, isDefaults)) {
    const info = schemaInfoAt(t.scope.schemaText, t.path);
    if (info) return { name: '[]', schema: info, required: false };
  }
  return undefined;
}
