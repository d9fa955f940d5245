/**
 * Completion: keys at any depth (from the schema of the object's kind, at the
 * path implied by the indentation), values for enums and booleans, coupled
 * apiVersion/kind, the values rule families know (`completionValues.ts`), and
 * whole skeletons in an empty document. A value is completed wherever one can
 * be typed: after `key: `, before or inside an existing value, in a `- item`
 * and inside a flow collection, replacing the word under the cursor and
 * quoted as the place needs.
 */
import { cursorContext, CursorContext } from '../model/context';
import { ManifestFile, Path } from '../model/manifest';
import { lifecycleState } from '../schema/apiVersions';
import { JSONSchema, SchemaStore, typesOf } from '../schema/schemaStore';
import { preferredVersion } from '../rules/schema';
import { Settings } from '../types';
import { SNIPPETS } from './snippets';
import { caught } from '../errors';
import { ruleValues, valueText } from './completionValues';

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
/** The rest of a key word after the cursor (sticky: read in place, never a copy of the file's tail). */
const WORD = /[\w./-]*/y;

/**
 * Adds entries at a cursor (e.g. names the workspace defines); `range` is what a value or key entry
 * replaces (for a value: the word under the cursor, inside its quotes). Value entries insert the bare
 * value: doComplete quotes it as the place needs (a flow collection, an opened quote, a number-like name).
 */
export type CompletionContributor = (file: ManifestFile, offset: number, ctx: CursorContext, range: { start: number; end: number }) => CompletionEntry[];

export function doComplete(file: ManifestFile, offset: number, store: SchemaStore, settings: Settings, contributors: CompletionContributor[] = []): CompletionEntry[] {
  let ctx = cursorContext(file, offset);
  if (!ctx) return [];
  // `- word`: a scalar item when the schema's list holds scalars (RBAC verbs), else a key of a new item's map.
  if (ctx.listItem && (!ctx.key || holdsScalars(ctx, ctx.listItem.path, ctx.listItem.place.key, store))) {
    ctx = { ...ctx, path: ctx.listItem.path, value: ctx.listItem.place, key: undefined, siblings: new Set() };
  }
  const cursor = ctx;
  WORD.lastIndex = offset;
  const wordEnd = offset + (WORD.exec(file.text)?.[0].length ?? 0);
  const place = cursor.value;
  const range = place ? { start: place.start, end: place.end } : cursor.key ? { start: cursor.key.start, end: wordEnd } : undefined;
  if (!range) return [];
  const contributed = (): CompletionEntry[] =>
    contributors.flatMap((c) => {
      try {
        return c(file, offset, cursor, range);
      } catch (e) {
        caught('completion contributor', e);
        return []; // a contributor's failure must not lose the schema's entries
      }
    });
  if (!place) return [...contributed(), ...completeKey(file, cursor, store, settings, range)];
  // Where a rule family knows the values, they are the answer (and the contributors are not asked).
  const own = completeValue(file, offset, cursor, store, settings, range);
  const entries = own.exclusive ? own.entries : dedupe([...contributed(), ...own.entries]);
  const stringOnly = takesStringsOnly(cursor, store);
  const present = new Set(place.others ?? []);
  const out: CompletionEntry[] = [];
  for (const e of entries) {
    if (e.snippet || e.range.start !== range.start || e.range.end !== range.end) {
      out.push(e);
      continue;
    }
    if (present.has(e.insertText)) continue; // already in the list
    out.push({ ...e, insertText: valueText(e.insertText, place, stringOnly) });
  }
  return out;
}

/** The first entry of each label (contributors come first: they know the workspace). */
function dedupe(entries: CompletionEntry[]): CompletionEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.label) ? false : (seen.add(e.label), true)));
}

/** The list under `key` of the map at `path` holds scalars. */
function holdsScalars(ctx: CursorContext, path: Path, key: string, store: SchemaStore): boolean {
  const root = rootSchema(ctx, store);
  if (!root) return false;
  const list = store.child(store.atPath(root, path), key);
  if (!list || !typesOf(list).includes('array')) return false;
  const item = store.resolve(list.items);
  return !!item && !item.properties && !typesOf(item).includes('object') && !typesOf(item).includes('array');
}

/** The schema of the value at the cursor (the item schema for a list item). */
function valueSchema(ctx: CursorContext, store: SchemaStore): { raw?: JSONSchema; schema?: JSONSchema } {
  const root = rootSchema(ctx, store);
  if (!root || !ctx.value) return {};
  let raw = store.rawChild(store.atPath(root, ctx.path), ctx.value.key);
  if (ctx.value.item) raw = store.rawChild(raw, '[]');
  return { raw, schema: store.resolve(raw) };
}

/** The field takes strings only: `80` or `true` there must be quoted to stay a string. */
function takesStringsOnly(ctx: CursorContext, store: SchemaStore): boolean {
  const { schema } = valueSchema(ctx, store);
  if (!schema) return ctx.path.length === 0 && (ctx.value?.key === 'apiVersion' || ctx.value?.key === 'kind');
  const types = typesOf(schema);
  return types.length === 1 && types[0] === 'string' && schema.format !== 'int-or-string' && schema.format !== 'quantity';
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

function completeValue(file: ManifestFile, offset: number, ctx: CursorContext, store: SchemaStore, settings: Settings, range: { start: number; end: number }): { entries: CompletionEntry[]; exclusive?: boolean } {
  const place = ctx.value!;
  const key = place.key;
  const out: CompletionEntry[] = [];
  if (ctx.path.length === 0 && key === 'apiVersion' && !place.item) {
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
    return { entries: out };
  }
  if (ctx.path.length === 0 && key === 'kind' && !place.item) {
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
    return { entries: out };
  }
  const { raw, schema } = valueSchema(ctx, store);
  const desc = store.describe(raw);
  const enumValues = schema?.enum?.map(String);
  const known = ruleValues({ file, offset, ctx, place, store, enumValues });
  if (known) {
    known.items.forEach((c, i) => {
      out.push({
        label: c.value === '' ? '""' : c.value,
        kind: c.kind,
        detail: c.rejected ? `Not here: ${c.rejected}` : c.detail,
        documentation: c.documentation ?? (enumValues ? enumDoc(desc, c.value) : undefined),
        insertText: c.value,
        snippet: false,
        range,
        // in the order given, what a rule would report last
        sortText: `${c.rejected ? '9' : '0'}_${String(i).padStart(4, '0')}`,
        preselect: c.preselect,
      });
    });
    return { entries: out, exclusive: known.exclusive };
  }
  if (!schema) return { entries: out };
  if (enumValues) {
    // an empty string is a value too (some CRDs allow it): labelled "" (valueText quotes it)
    for (const e of enumValues) out.push({ label: e === '' ? '""' : e, kind: 'enum', documentation: enumDoc(desc, e), insertText: e, snippet: false, range });
  } else if (typesOf(schema).includes('boolean')) {
    for (const b of ['true', 'false']) out.push({ label: b, kind: 'value', insertText: b, snippet: false, range });
  }
  return { entries: out };
}

const COMMON_KINDS = new Set(['Deployment', 'Service', 'Job', 'CronJob', 'Secret', 'ConfigMap', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Ingress', 'Pod', 'StatefulSet', 'DaemonSet', 'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'Namespace']);

/** The line of a description's "Possible enum values" list that explains one value. */
function enumDoc(desc: string | undefined, value: string): string | undefined {
  if (!desc) return undefined;
  const m = new RegExp('- `"' + value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '"` (.*)').exec(desc);
  return m ? m[1] : undefined;
}
