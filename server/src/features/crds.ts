/**
 * Custom resources from the workspace's CustomResourceDefinitions: the
 * `openAPIV3Schema` of each served version becomes the schema of that
 * apiVersion/kind in the SchemaStore, so custom resources get completion,
 * hover and schema diagnostics like built-in kinds. Without a CRD they stay
 * quiet (the schema rules skip groups they know nothing of).
 *
 * The CRD dialect is converted to the subset the store and the schema walker
 * understand: `x-kubernetes-preserve-unknown-fields` (any field allowed),
 * `x-kubernetes-int-or-string`, `additionalProperties`, `nullable`,
 * `x-kubernetes-embedded-resource`; `metadata` becomes ObjectMeta. A required
 * field with a default is not required (the API server defaults first), and
 * each node's constraints are added to its description in words, for hover.
 *
 * The root schema of each version keeps the CRD's own schema and versions
 * (`JSONSchema.crd`): rules/crdConstraints.ts checks everything else the API
 * server checks (bounds, lengths, pattern, format, list types, nulls, CEL
 * rules) and the version the apiVersion names (not served, deprecated).
 */
import { JSONSchema, SchemaStore } from '../schema/schemaStore';
import { CrdFact, WorkspaceIndex } from '../workspace/index';

const OBJECT_META = '#/definitions/IIoK8sApimachineryPkgApisMetaV1ObjectMeta';

type Raw = Record<string, unknown>;

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Converts a CRD's openAPIV3Schema (structural schema) to the store's JSON schema subset. */
export function convertCrdSchema(raw: unknown, root = true, depth = 0): JSONSchema {
  if (!isObj(raw) || depth > 80) return {};
  const out: JSONSchema = {};
  if (typeof raw.description === 'string') out.description = raw.description;
  const constraints = constraintWords(raw);
  if (constraints) out.description = out.description ? `${out.description}\n\n${constraints}` : constraints;
  const preserve = raw['x-kubernetes-preserve-unknown-fields'] === true || raw['x-kubernetes-embedded-resource'] === true;
  if (raw['x-kubernetes-int-or-string'] === true) {
    out.type = ['integer', 'string'];
    out.format = 'int-or-string';
  } else if (typeof raw.type === 'string') {
    // `nullable: true` allows null, which the schema walker never flags anyway (an empty value means "not set").
    out.type = raw.type === 'number' ? ['number', 'integer'] : raw.type;
  }
  if (Array.isArray(raw.enum)) out.enum = raw.enum.filter((e) => e !== null);
  if (Array.isArray(raw.required)) {
    // The API server applies defaults before it validates: a required field with a default is never missing.
    const props = isObj(raw.properties) ? raw.properties : {};
    out.required = raw.required.filter((r): r is string => typeof r === 'string' && !(isObj(props[r]) && (props[r] as Raw).default !== undefined));
  }
  if (raw.default !== undefined) out.default = raw.default;
  if (typeof raw.minimum === 'number') out.minimum = raw.minimum;
  if (typeof raw.maximum === 'number') out.maximum = raw.maximum;
  if (isObj(raw.properties)) {
    out.properties = {};
    for (const [k, v] of Object.entries(raw.properties)) out.properties[k] = convertCrdSchema(v, false, depth + 1);
  }
  if (isObj(raw.additionalProperties)) out.additionalProperties = convertCrdSchema(raw.additionalProperties, false, depth + 1);
  else if (raw.additionalProperties === false && !preserve) out.additionalProperties = false;
  else if (out.properties && raw.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  if (isObj(raw.items)) out.items = convertCrdSchema(raw.items, false, depth + 1);
  if (raw['x-kubernetes-embedded-resource'] === true && out.properties) {
    out.properties.apiVersion ??= { type: 'string' };
    out.properties.kind ??= { type: 'string' };
    out.properties.metadata = { $ref: OBJECT_META };
  }
  if (root) {
    out.type ??= 'object';
    out.properties ??= {};
    out.properties.apiVersion = { type: 'string', description: out.properties.apiVersion?.description ?? 'The versioned schema of this object.' };
    out.properties.kind = { type: 'string', description: out.properties.kind?.description ?? 'The kind of object.' };
    out.properties.metadata = { $ref: OBJECT_META, description: 'Standard object metadata: name, namespace, labels, annotations.' };
    if (!preserve && out.additionalProperties === undefined) out.additionalProperties = false;
  }
  return out;
}

/** The constraints of a schema node in words, for hover: "Constraints: at least 1; matches `^[a-z]+$`." */
export function constraintWords(raw: Raw): string | undefined {
  const parts: string[] = [];
  const num = (k: string): number | undefined => (typeof raw[k] === 'number' ? (raw[k] as number) : undefined);
  const min = num('minimum');
  const max = num('maximum');
  if (min !== undefined) parts.push(`${raw.exclusiveMinimum === true ? 'more than' : 'at least'} ${min}`);
  if (max !== undefined) parts.push(`${raw.exclusiveMaximum === true ? 'less than' : 'at most'} ${max}`);
  if (num('multipleOf') !== undefined) parts.push(`a multiple of ${num('multipleOf')}`);
  const range = (lo: number | undefined, hi: number | undefined, unit: string): void => {
    if (lo !== undefined && hi !== undefined) parts.push(lo === hi ? `exactly ${lo} ${unit}` : `${lo} to ${hi} ${unit}`);
    else if (lo !== undefined) parts.push(`at least ${lo} ${unit}`);
    else if (hi !== undefined) parts.push(`at most ${hi} ${unit}`);
  };
  range(num('minLength'), num('maxLength'), 'characters');
  range(num('minItems'), num('maxItems'), 'items');
  range(num('minProperties'), num('maxProperties'), 'entries');
  if (typeof raw.pattern === 'string') parts.push(`matches \`${raw.pattern}\``);
  if (typeof raw.format === 'string' && raw.format !== 'int32' && raw.format !== 'int64' && raw.format !== 'double' && raw.format !== 'float' && raw.format !== 'int-or-string') parts.push(`format ${raw.format}`);
  if (raw.uniqueItems === true || raw['x-kubernetes-list-type'] === 'set') parts.push('items unique');
  const keys = raw['x-kubernetes-list-map-keys'];
  if (raw['x-kubernetes-list-type'] === 'map' && Array.isArray(keys) && keys.length) parts.push(`one item per ${keys.map((k) => `\`${String(k)}\``).join(' + ')}`);
  if (raw.nullable === true) parts.push('may be null');
  if (raw.default !== undefined && (typeof raw.default !== 'object' || raw.default === null)) parts.push(`default ${JSON.stringify(raw.default)}`);
  const rules = Array.isArray(raw['x-kubernetes-validations']) ? (raw['x-kubernetes-validations'] as unknown[]).filter(isObj) : [];
  for (const r of rules.slice(0, 3)) if (typeof r.rule === 'string') parts.push(`rule \`${r.rule.length > 80 ? r.rule.slice(0, 80) + '…' : r.rule}\`${typeof r.message === 'string' ? ` (${r.message})` : ''}`);
  return parts.length ? `Constraints: ${parts.join('; ')}.` : undefined;
}

const converted = new WeakMap<CrdFact, Map<string, JSONSchema>>();
const ids = new WeakMap<CrdFact, number>();
let nextId = 1;

/** The custom kinds the index's CRDs define: apiVersion, kind, converted schema (converted once per CRD parse). */
export function customKinds(index: WorkspaceIndex): Array<{ apiVersion: string; kind: string; schema: JSONSchema; crd: CrdFact }> {
  const out: Array<{ apiVersion: string; kind: string; schema: JSONSchema; crd: CrdFact }> = [];
  const seen = new Set<string>();
  for (const o of index.ofKind('CustomResourceDefinition')) {
    const crd = o.crd;
    if (!crd) continue;
    let cache = converted.get(crd);
    if (!cache) {
      cache = new Map();
      converted.set(crd, cache);
    }
    for (const v of crd.versions) {
      if (!v.served) continue;
      const apiVersion = `${crd.group}/${v.name}`;
      const key = `${apiVersion}/${crd.kind}`;
      if (seen.has(key)) continue; // variants of one CRD: the first wins
      seen.add(key);
      let schema = cache.get(v.name);
      if (!schema) {
        schema = v.schema === undefined ? {} : convertCrdSchema(v.schema);
        schema.crd = {
          name: `${crd.plural ?? `${crd.kind.toLowerCase()}s`}.${crd.group}`,
          group: crd.group,
          kind: crd.kind,
          version: v.name,
          deprecated: v.deprecated,
          deprecationWarning: v.deprecationWarning,
          openAPIV3Schema: v.schema,
          versions: crd.versions.map((x) => ({ name: x.name, served: x.served, storage: x.storage, deprecated: x.deprecated })),
        };
        cache.set(v.name, schema);
      }
      out.push({ apiVersion, kind: crd.kind, schema, crd });
    }
  }
  return out;
}

interface SyncState {
  version: number;
  registered: Set<string>;
  fingerprint: string;
  /** Changes whenever the registered schemas change (part of the validation cache key). */
  signature: number;
}
const states = new WeakMap<SchemaStore, SyncState>();

/**
 * Registers the schemas of the index's CRDs in the store (once per index
 * version). Kinds whose CRD left the workspace get an empty schema: quiet
 * again. Returns a number that changes whenever the registrations do.
 */
export function syncCustomResources(store: SchemaStore, index: WorkspaceIndex): number {
  let st = states.get(store);
  if (!st) {
    st = { version: -1, registered: new Set(), fingerprint: '', signature: 0 };
    states.set(store, st);
  }
  if (st.version === index.version) return st.signature;
  st.version = index.version;
  const kinds = customKinds(index);
  const now = new Set<string>();
  const fp: string[] = [];
  for (const k of kinds) {
    const key = `${k.apiVersion}/${k.kind}`;
    now.add(key);
    let id = ids.get(k.crd);
    if (id === undefined) ids.set(k.crd, (id = nextId++));
    fp.push(`${key}#${id}`);
  }
  const fingerprint = fp.join('|');
  if (fingerprint === st.fingerprint) return st.signature;
  for (const k of kinds) {
    store.registerCustom(k.apiVersion, k.kind, k.schema, k.schema.description ?? `A custom resource defined by the CustomResourceDefinition ${k.crd.plural ?? k.kind.toLowerCase()}.${k.crd.group} in this workspace.`);
  }
  for (const key of st.registered) {
    if (now.has(key)) continue;
    const slash = key.lastIndexOf('/');
    store.registerCustom(key.slice(0, slash), key.slice(slash + 1), {}, '');
  }
  st.registered = now;
  st.fingerprint = fingerprint;
  st.signature++;
  return st.signature;
}

