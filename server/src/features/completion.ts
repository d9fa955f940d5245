/**
 * Completion: keys at any depth (from the schema of the object's kind, at the
 * path implied by the indentation), values for enums and booleans, coupled
 * apiVersion/kind, and whole skeletons in an empty document.
 */
import { cursorContext, CursorContext } from '../model/context';
import { ManifestFile } from '../model/manifest';
import { lifecycleState } from '../schema/apiVersions';
import { JSONSchema, SchemaStore, typesOf } from '../schema/schemaStore';
import { preferredVersion } from '../rules/schema';
import { Settings } from '../types';
import { SNIPPETS } from './snippets';
import { caught } from '../errors';

export type CompletionKind = 'property' | 'value' | 'enum' | 'snippet' | 'class' | 'module';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; snippet syntax when `snippet` is true. Indentation is absolute (insert as is). */
  insertText: string;
  snippet: boolean;
  /** Offsets of the text the item replaces. */
  range: { start: number; end: number };
  sortText?: string;
  filterText?: string;
  preselect?: boolean;
  /** Ask the editor to open completion again after inserting (a key whose value has choices). */
  retrigger?: boolean;
  /** A whole-document skeleton (also contributed as a VS Code snippet). */
  skeleton?: boolean;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

/** Adds entries at a cursor (e.g. names the workspace defines); `range` is what a value or key entry replaces. */
export type CompletionContributor = (file: ManifestFile, offset: number, ctx: CursorContext, range: { start: number; end: number }) => CompletionEntry[];

export function doComplete(file: ManifestFile, offset: number, store: SchemaStore, settings: Settings, contributors: CompletionContributor[] = []): CompletionEntry[] {
  const ctx = cursorContext(file, offset);
  if (!ctx) return [];
  const wordEnd = offset + (/^[\w./-]*/.exec(file.text.slice(offset))?.[0].length ?? 0);
  const range = ctx.value ? { start: ctx.value.start, end: lineValueEnd(file, offset) } : ctx.key ? { start: ctx.key.start, end: wordEnd } : undefined;
  if (!range) return [];
  const extra = contributors.flatMap((c) => {
    try {
      return c(file, offset, ctx, range);
    } catch (e) {
      caught('completion contributor', e);
      return []; // a contributor's failure must not lose the schema's entries
    }
  });
  if (ctx.value) return [...extra, ...completeValue(ctx, store, settings, range)];
  return [...extra, ...completeKey(file, ctx, store, settings, range)];
}

function lineValueEnd(file: ManifestFile, offset: number): number {
  const line = file.lines.positionAt(offset).line;
  const end = file.lines.lineEnd(line);
  const rest = file.text.slice(offset, end);
  const m = /^[^#]*?(?=\s*(#|$))/.exec(rest);
  return offset + (m ? m[0].length : 0);
}

function rootSchema(ctx: CursorContext, store: SchemaStore): JSONSchema | undefined {
  if (!ctx.apiVersion || !ctx.kind) return undefined;
  return store.schemaFor(ctx.apiVersion, ctx.kind);
}

function completeKey(file: ManifestFile, ctx: CursorContext, store: SchemaStore, settings: Settings, range: { start: number; end: number }): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const column = ctx.key!.column;
  if (ctx.path.length === 0 && column === 0) {
    const sectionBlank = ctx.section.text.replace(/^---.*$/m, '').trim() === ctx.key!.prefix.trim();
    if (sectionBlank) {
      for (const s of SNIPPETS) {
        out.push({
          label: s.label,
          kind: 'snippet',
          detail: s.description,
          documentation: '```yaml\n' + s.body.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') + '\n```',
          insertText: s.body,
          snippet: true,
          range,
          sortText: `0_${s.label}`,
          filterText: s.prefix[0],
          skeleton: true,
        });
      }
    }
    if (!ctx.kind || !ctx.apiVersion) {
      if (!ctx.siblings.has('apiVersion')) out.push(keyEntry('apiVersion', { type: 'string', description: 'The versioned schema of this object: `group/version`, or `v1` for the core group.' }, true, column, range, true, '1'));
      if (!ctx.siblings.has('kind')) out.push(keyEntry('kind', { type: 'string', description: 'The kind of object: Deployment, Service, Job, ...' }, true, column, range, true, '1'));
    }
  }
  const root = rootSchema(ctx, store);
  if (!root) return out;
  const schema = store.atPath(root, ctx.path);
  if (!schema || !schema.properties) return out;
  const required = new Set(schema.required ?? []);
  const present = ctx.siblings;
  const hasHandler = PROBE_HANDLERS.some((h) => present.has(h));
  const isHandlerHolder = PROBE_HANDLERS.every((h) => h in schema.properties!) || (['exec', 'httpGet', 'tcpSocket'].every((h) => h in schema.properties!));
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (present.has(key) && key !== ctx.key!.prefix) continue;
    if (key === 'status' && ctx.path.length === 0) continue;
    if (isHandlerHolder && hasHandler && PROBE_HANDLERS.includes(key)) continue;
    const isRequired = required.has(key);
    out.push(keyEntry(key, prop, isRequired, column, range, false, isRequired ? '1' : '2', store));
  }
  void file;
  void settings;
  return out;
}

function keyEntry(key: string, prop: JSONSchema, required: boolean, column: number, range: { start: number; end: number }, plain: boolean, sortGroup: string, store?: SchemaStore): CompletionEntry {
  const resolved = store ? store.resolve(prop) ?? prop : prop;
  const types = typesOf(resolved);
  const indent = ' '.repeat(column);
  const child = ' '.repeat(column + 2);
  let insertText: string;
  let retrigger = false;
  if (types.includes('array')) {
    insertText = `${key}:\n${indent}- $0`;
  } else if (types.includes('object') || (!types.length && (resolved.properties || resolved.additionalProperties))) {
    insertText = `${key}:\n${child}$0`;
  } else if (resolved.enum && resolved.enum.length > 1) {
    insertText = `${key}: \${1|${resolved.enum.map((e) => String(e).replace(/[,|]/g, '\\$&')).join(',')}|}`;
  } else if (resolved.enum && resolved.enum.length === 1) {
    insertText = `${key}: ${String(resolved.enum[0])}`;
  } else if (types.includes('boolean')) {
    insertText = `${key}: \${1|true,false|}`;
  } else {
    insertText = `${key}: $0`;
    retrigger = plain && (key === 'apiVersion' || key === 'kind');
  }
  const description = store ? store.describe(prop) : prop.description;
  return {
    label: key,
    kind: 'property',
    detail: `${typeLabel(resolved, prop)}${required ? ' (required)' : ''}`,
    documentation: description,
    insertText,
    snippet: true,
    range,
    sortText: `${sortGroup}_${key}`,
    retrigger,
  };
}

export function typeLabel(resolved: JSONSchema, raw?: JSONSchema): string {
  const ref = raw?.$ref ?? resolved.$ref;
  const name = ref ? ref.slice(ref.lastIndexOf('/') + 1).replace(/^I(IoK8s(Api|Apimachinery|Apiextensions)\w*?V\d+(alpha\d+|beta\d+)?)?/, '') : undefined;
  if (resolved.format === 'int-or-string') return 'integer or string';
  if (resolved.format === 'quantity') return 'quantity (number or string, e.g. 500m, 1Gi)';
  const types = typesOf(resolved);
  if (types.includes('array')) {
    const items = resolved.items;
    const itemName = items?.$ref ? items.$ref.slice(items.$ref.lastIndexOf('/') + 1).replace(/^I(IoK8s\w*?V\d+(alpha\d+|beta\d+)?)?/, '') : typesOf(items)[0] ?? 'any';
    return `list of ${itemName}`;
  }
  if (types.includes('object')) {
    if (!resolved.properties && resolved.additionalProperties && typeof resolved.additionalProperties === 'object') return `map of ${typesOf(resolved.additionalProperties)[0] ?? 'values'}`;
    return name ?? 'object';
  }
  if (resolved.enum) return resolved.enum.map(String).join(' | ');
  return types.join(' | ') || name || 'any';
}

function completeValue(ctx: CursorContext, store: SchemaStore, settings: Settings, range: { start: number; end: number }): CompletionEntry[] {
  const key = ctx.value!.key;
  const out: CompletionEntry[] = [];
  if (ctx.path.length === 0 && key === 'apiVersion') {
    const candidates = ctx.kind ? store.versionsOfKind(ctx.kind).map((k) => k.apiVersion) : [...new Set(store.allKinds().map((k) => k.apiVersion))];
    const best = candidates.length ? preferredVersion(candidates, { settings, store }, ctx.kind) : undefined;
    for (const v of candidates) {
      const life = ctx.kind ? lifecycleState(v, ctx.kind, settings.kubernetesVersion) : { state: 'current' as const };
      if (life.state === 'removed') continue;
      const kinds = store.kindsOfApiVersion(v).map((k) => k.kind).filter((k) => !k.endsWith('List'));
      out.push({
        label: v,
        kind: 'module',
        detail: life.state === 'deprecated' ? `deprecated, use ${life.replacement}` : ctx.kind ? `serves ${ctx.kind}` : `${kinds.length} kinds`,
        documentation: ctx.kind ? undefined : `Kinds: ${kinds.join(', ')}`,
        insertText: v,
        snippet: false,
        range,
        sortText: `${v === best ? '0' : life.state === 'deprecated' ? '3' : '1'}_${v}`,
        preselect: v === best,
      });
    }
    return out;
  }
  if (ctx.path.length === 0 && key === 'kind') {
    const infos = ctx.apiVersion && store.isKnownApiVersion(ctx.apiVersion) ? store.kindsOfApiVersion(ctx.apiVersion) : store.allKinds();
    const seen = new Set<string>();
    for (const k of infos) {
      if (seen.has(k.kind)) continue;
      seen.add(k.kind);
      out.push({
        label: k.kind,
        kind: 'class',
        detail: ctx.apiVersion ? k.apiVersion : `${preferredVersion(store.versionsOfKind(k.kind).map((v) => v.apiVersion), { settings, store }, k.kind)}`,
        documentation: k.description,
        insertText: k.kind,
        snippet: false,
        range,
        sortText: `${k.kind.endsWith('List') ? '2' : COMMON_KINDS.has(k.kind) ? '0' : '1'}_${k.kind}`,
      });
    }
    return out;
  }
  const root = rootSchema(ctx, store);
  if (!root) return out;
  const raw = store.rawChild(store.atPath(root, ctx.path), key);
  const schema = store.resolve(raw);
  if (!schema) return out;
  const desc = store.describe(raw);
  if (schema.enum) {
    for (const e of schema.enum) {
      const text = e === '' ? '""' : String(e); // an empty string is a value too (some CRDs allow it): offer it quoted
      out.push({ label: text, kind: 'enum', documentation: enumDoc(desc, String(e)), insertText: text, snippet: false, range });
    }
  } else if (typesOf(schema).includes('boolean')) {
    for (const b of ['true', 'false']) out.push({ label: b, kind: 'value', insertText: b, snippet: false, range });
  }
  return out;
}

const COMMON_KINDS = new Set(['Deployment', 'Service', 'Job', 'CronJob', 'Secret', 'ConfigMap', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Ingress', 'Pod', 'StatefulSet', 'DaemonSet', 'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'Namespace']);

/** The line of a description's "Possible enum values" list that explains one value. */
function enumDoc(desc: string | undefined, value: string): string | undefined {
  if (!desc) return undefined;
  const m = new RegExp('- `"' + value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '"` (.*)').exec(desc);
  return m ? m[1] : undefined;
}
