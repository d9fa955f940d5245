/**
 * What a chart's values.schema.json says about a values path, for completion, hover and checks
 * in the editor: the properties of the object at a path (with type, description, default, enum,
 * whether required), and the schema of one path. Validation itself is Helm's
 * (helm/valuesSchema.ts); this only reads the schema's shape.
 *
 * Paths are values paths, `[]` for an item of a list. Local `$ref`s (`#/$defs/x`,
 * `#/definitions/x`, JSON pointers) are followed, `allOf` members are merged, `anyOf`/`oneOf`
 * members contribute their properties; `patternProperties` and an object `additionalProperties`
 * describe keys not listed. A schema that does not parse gives nothing.
 *
 * Pure, cached by the schema's text.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export interface SchemaKey {
  name: string;
  required: boolean;
  info: SchemaInfo;
}

export interface SchemaInfo {
  /** JSON schema types (`object`, `string`...), empty when the schema does not say. */
  types: string[];
  title?: string;
  description?: string;
  /** `default`, when the schema gives one. */
  default?: Json;
  hasDefault: boolean;
  /** `enum` (or `const` as a one-value enum). */
  enum?: Json[];
}

export interface SchemaProperties {
  keys: SchemaKey[];
  /** `additionalProperties: false` and no patternProperties: Helm refuses any other key here. */
  closed: boolean;
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const parsed = new Map<string, Json | null>();

function parse(text: string): Json | null {
  let j = parsed.get(text);
  if (j === undefined) {
    try {
      j = JSON.parse(text) as Json;
    } catch {
      j = null;
    }
    if (parsed.size > 16) parsed.clear();
    parsed.set(text, j);
  }
  return j;
}

function pointer(root: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#')) return undefined;
  const ptr = decodeURIComponent(ref.slice(1));
  if (ptr === '') return root;
  if (!ptr.startsWith('/')) {
    // An anchor (`#foo`): a subschema with that $anchor or (older drafts) id.
    let found: Json | undefined;
    const visit = (n: Json, depth: number): void => {
      if (found !== undefined || depth > 40) return;
      if (isObject(n)) {
        if (n.$anchor === ptr || n.$id === `#${ptr}` || n.id === `#${ptr}`) found = n;
        for (const v of Object.values(n)) visit(v, depth + 1);
      } else if (Array.isArray(n)) for (const v of n) visit(v, depth + 1);
    };
    visit(root, 0);
    return found;
  }
  let cur: Json | undefined = root;
  for (const raw of ptr.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    else return undefined;
  }
  return cur;
}

/**
 * The schema objects that all apply at one place (a `$ref` followed, `allOf` flattened), then the
 * alternatives (`anyOf`/`oneOf`, whose properties are offered too).
 */
function expand(root: Json, node: Json | undefined, out: JsonObject[] = [], depth = 0): JsonObject[] {
  if (!isObject(node) || depth > 24 || out.includes(node)) return out;
  out.push(node);
  if (typeof node.$ref === 'string') expand(root, pointer(root, node.$ref), out, depth + 1);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[k];
    if (Array.isArray(list)) for (const m of list) expand(root, m, out, depth + 1);
  }
  // `if`/`then`/`else` describe keys too.
  for (const k of ['then', 'else'] as const) if (isObject(node[k])) expand(root, node[k], out, depth + 1);
  return out;
}

/** The schemas for a child key of the objects in `at`. */
function child(root: Json, at: JsonObject[], key: string): JsonObject[] {
  const out: JsonObject[] = [];
  if (key === '[]') {
    for (const s of at) {
      const items = s.items ?? s.additionalItems;
      if (isObject(items)) expand(root, items, out);
      else if (Array.isArray(items)) for (const i of items) expand(root, i, out);
      if (Array.isArray(s.prefixItems)) for (const i of s.prefixItems) expand(root, i, out);
    }
    return out;
  }
  let named = false;
  for (const s of at) {
    if (isObject(s.properties) && Object.prototype.hasOwnProperty.call(s.properties, key)) {
      expand(root, s.properties[key], out);
      named = true;
    }
  }
  if (named) return out;
  for (const s of at) {
    if (isObject(s.patternProperties)) {
      for (const [re, sch] of Object.entries(s.patternProperties)) {
        try {
          if (new RegExp(re, 'u').test(key)) expand(root, sch, out);
        } catch {
          /* a pattern JS cannot read */
        }
      }
    }
    if (isObject(s.additionalProperties)) expand(root, s.additionalProperties, out);
  }
  return out;
}

/** The schemas at a values path; an object key on a list steps into its items first (`.Values.hosts.host`). */
function schemasAt(text: string, path: string[], stepIntoLists = false): { root: Json; at: JsonObject[] } | undefined {
  const root = parse(text);
  if (!isObject(root)) return undefined;
  let at = expand(root, root);
  for (const k of path) {
    let next = child(root, at, k);
    if (!next.length && stepIntoLists && k !== '[]') next = child(root, child(root, at, '[]'), k);
    at = next;
    if (!at.length) return undefined;
  }
  return { root, at };
}

function infoOf(at: JsonObject[]): SchemaInfo {
  const types = new Set<string>();
  const info: SchemaInfo = { types: [], hasDefault: false };
  for (const s of at) {
    if (typeof s.type === 'string') types.add(s.type);
    else if (Array.isArray(s.type)) for (const t of s.type) if (typeof t === 'string') types.add(t);
    if (info.title === undefined && typeof s.title === 'string') info.title = s.title;
    if (info.description === undefined && typeof s.description === 'string') info.description = s.description;
    if (!info.hasDefault && Object.prototype.hasOwnProperty.call(s, 'default')) {
      info.default = s.default;
      info.hasDefault = true;
    }
    if (info.enum === undefined && Array.isArray(s.enum)) info.enum = s.enum;
    if (info.enum === undefined && Object.prototype.hasOwnProperty.call(s, 'const')) info.enum = [s.const];
  }
  if (!types.size) {
    if (at.some((s) => isObject(s.properties) || isObject(s.additionalProperties) || isObject(s.patternProperties))) types.add('object');
    else if (at.some((s) => s.items !== undefined || s.prefixItems !== undefined)) types.add('array');
  }
  info.types = [...types];
  return info;
}

/** What the schema says about one values path (undefined: nothing, or no schema). */
export function schemaInfoAt(schemaText: string | undefined, path: string[], stepIntoLists = false): SchemaInfo | undefined {
  if (!schemaText) return undefined;
  const s = schemasAt(schemaText, path, stepIntoLists);
  return s ? infoOf(s.at) : undefined;
}

/** The properties the schema lists for the object at a values path. */
export function schemaPropertiesAt(schemaText: string | undefined, path: string[], stepIntoLists = false): SchemaProperties | undefined {
  if (!schemaText) return undefined;
  const s = schemasAt(schemaText, path, stepIntoLists);
  if (!s) return undefined;
  const names: string[] = [];
  const required = new Set<string>();
  let closed = false;
  let open = false;
  for (const sch of s.at) {
    if (isObject(sch.properties)) for (const k of Object.keys(sch.properties)) if (!names.includes(k)) names.push(k);
    if (Array.isArray(sch.required)) for (const r of sch.required) if (typeof r === 'string') required.add(r);
    if (sch.additionalProperties === false && !isObject(sch.patternProperties)) closed = true;
    if (isObject(sch.patternProperties) || isObject(sch.additionalProperties)) open = true;
  }
  const keys = names.map((name) => ({ name, required: required.has(name), info: infoOf(child(s.root, s.at, name)) }));
  return { keys, closed: closed && !open };
}

/** A schema's types in words: `string`, `integer or string`. */
export function typeWords(info: SchemaInfo): string {
  return info.types.join(' or ');
}

/** A JSON value shown inline in markdown (`"ClusterIP"`, `3`, `{}`). */
export function jsonShort(v: Json | undefined): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
