/**
 * Access to the generated Kubernetes schemas (schemas/, made by
 * scripts/generateSchemas.mjs from kubernetes-models). Loaded lazily: the index
 * on first use, the shared definitions on the first schema lookup.
 *
 * The store is pure: it gets a `readJson` function from whoever creates it (the
 * LSP layer and the CLI read files; tests may pass anything).
 */

/** The subset of JSON Schema draft-07 the generator emits. */
export interface JSONSchema {
  $ref?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JSONSchema>;
  required?: string[];
  additionalProperties?: boolean | JSONSchema;
  items?: JSONSchema;
  anyOf?: JSONSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  /** On the root schema of a custom resource: the CRD it comes from (rules/crdConstraints.ts checks its openAPIV3Schema). */
  crd?: CustomResourceSource;
}

/** What a CRD says about one of its versions, kept on the root schema registered for it. */
export interface CustomResourceSource {
  /** `<plural>.<group>`, the CRD's name. */
  name: string;
  group: string;
  kind: string;
  version: string;
  deprecated?: boolean;
  deprecationWarning?: string;
  /** The version's openAPIV3Schema as written (plain JSON). */
  openAPIV3Schema?: unknown;
  /** Every version of the CRD. */
  versions: Array<{ name: string; served: boolean; storage?: boolean; deprecated?: boolean }>;
}

export interface KindInfo {
  apiVersion: string;
  kind: string;
  file: string;
  definition: string;
  description: string;
}

interface SchemaIndex {
  source: string;
  kinds: KindInfo[];
}

export type ReadJson = (name: string) => unknown;

export class SchemaStore {
  private index: SchemaIndex | undefined;
  private definitions: Record<string, JSONSchema> | undefined;
  private byKey = new Map<string, KindInfo>();
  private byKind = new Map<string, KindInfo[]>();
  private byApiVersion = new Map<string, KindInfo[]>();
  /** Extra schemas registered at run time (custom resources), keyed by apiVersion/kind. */
  private extra = new Map<string, { info: KindInfo; schema: JSONSchema }>();

  constructor(private readonly readJson: ReadJson) {}

  private ensureIndex(): SchemaIndex {
    if (!this.index) {
      const idx = this.readJson('index.json') as SchemaIndex;
      this.index = idx;
      for (const k of idx.kinds) {
        this.byKey.set(`${k.apiVersion}/${k.kind}`, k);
        push(this.byKind, k.kind, k);
        push(this.byApiVersion, k.apiVersion, k);
      }
    }
    return this.index;
  }

  private ensureDefinitions(): Record<string, JSONSchema> {
    if (!this.definitions) {
      this.definitions = (this.readJson('_definitions.json') as { definitions: Record<string, JSONSchema> }).definitions;
    }
    return this.definitions;
  }

  /** Where the schemas came from, e.g. `kubernetes-models@5.1.0`. */
  get source(): string {
    return this.ensureIndex().source;
  }

  allKinds(): KindInfo[] {
    return this.ensureIndex().kinds;
  }

  info(apiVersion: string, kind: string): KindInfo | undefined {
    this.ensureIndex();
    return this.byKey.get(`${apiVersion}/${kind}`) ?? this.extra.get(`${apiVersion}/${kind}`)?.info;
  }

  /** Every apiVersion that has this kind. */
  versionsOfKind(kind: string): KindInfo[] {
    this.ensureIndex();
    return this.byKind.get(kind) ?? [];
  }

  /** Every kind served by this apiVersion. */
  kindsOfApiVersion(apiVersion: string): KindInfo[] {
    this.ensureIndex();
    return this.byApiVersion.get(apiVersion) ?? [];
  }

  isKnownApiVersion(apiVersion: string): boolean {
    this.ensureIndex();
    return this.byApiVersion.has(apiVersion);
  }

  /** The root schema of a kind (a resolved object schema), or undefined for unknown kinds. */
  schemaFor(apiVersion: string, kind: string): JSONSchema | undefined {
    const custom = this.extra.get(`${apiVersion}/${kind}`);
    if (custom) return custom.schema;
    const info = this.info(apiVersion, kind);
    if (!info) return undefined;
    return this.ensureDefinitions()[info.definition];
  }

  /** Registers (or replaces) the schema of a custom resource. */
  registerCustom(apiVersion: string, kind: string, schema: JSONSchema, description = ''): void {
    this.extra.set(`${apiVersion}/${kind}`, { info: { apiVersion, kind, file: '', definition: '', description }, schema });
  }

  /** The custom schemas registered for a kind of an API group, whatever their version. */
  customSchemasOf(group: string, kind: string): JSONSchema[] {
    const out: JSONSchema[] = [];
    for (const { info, schema } of this.extra.values()) {
      if (info.kind === kind && info.apiVersion.lastIndexOf('/') === group.length && info.apiVersion.startsWith(group)) out.push(schema);
    }
    return out;
  }

  /** Follows $ref (and single-element wrappers) to the schema that has the structure. */
  resolve(schema: JSONSchema | undefined): JSONSchema | undefined {
    let s = schema;
    for (let i = 0; s && s.$ref && i < 20; i++) {
      const name = s.$ref.slice(s.$ref.lastIndexOf('/') + 1);
      const target = this.ensureDefinitions()[name];
      if (!target) return undefined;
      s = target;
    }
    return s;
  }

  /** A property's own description, else its type's. */
  describe(schema: JSONSchema | undefined): string | undefined {
    return schema?.description ?? this.resolve(schema)?.description;
  }

  /** The unresolved property schema of a child (keeps the property's own description). */
  rawChild(schema: JSONSchema | undefined, segment: string | number): JSONSchema | undefined {
    const s = this.resolve(schema);
    if (!s) return undefined;
    if (typeof segment === 'number' || segment === '[]') return typesOf(s).includes('array') ? s.items : undefined;
    if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, segment)) return s.properties[segment];
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return s.additionalProperties;
    return undefined;
  }

  /** The schema of a child of an object or array schema, or undefined where the schema says nothing. */
  child(schema: JSONSchema | undefined, segment: string | number): JSONSchema | undefined {
    const s = this.resolve(schema);
    if (!s) return undefined;
    if (typeof segment === 'number' || segment === '[]') {
      return typesOf(s).includes('array') ? this.resolve(s.items) : undefined;
    }
    if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, segment)) return this.resolve(s.properties[segment]);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return this.resolve(s.additionalProperties);
    return undefined;
  }

  /** The schema at a path below a root schema. */
  atPath(root: JSONSchema | undefined, path: ReadonlyArray<string | number>): JSONSchema | undefined {
    let s = this.resolve(root);
    for (const seg of path) {
      s = this.child(s, seg);
      if (!s) return undefined;
    }
    return s;
  }

  /**
   * Where else a property name is defined below a schema: the shortest paths
   * (breadth first, up to `maxDepth` levels) at which `key` is a known property.
   */
  findProperty(root: JSONSchema | undefined, key: string, maxDepth = 5): Array<Array<string>> {
    const found: string[][] = [];
    const start = this.resolve(root);
    if (!start) return found;
    let frontier: Array<{ s: JSONSchema; path: string[] }> = [{ s: start, path: [] }];
    const seen = new Set<JSONSchema>();
    for (let depth = 0; depth < maxDepth && frontier.length && !found.length; depth++) {
      const next: typeof frontier = [];
      for (const { s, path } of frontier) {
        if (seen.has(s)) continue;
        seen.add(s);
        const obj = typesOf(s).includes('array') ? this.resolve(s.items) : s;
        if (!obj || !obj.properties) continue;
        const prefix = typesOf(s).includes('array') ? [...path, '[]'] : path;
        if (depth > 0 && Object.prototype.hasOwnProperty.call(obj.properties, key)) found.push(prefix);
        for (const [k, v] of Object.entries(obj.properties)) {
          if (k === 'status' || k === 'metadata' && depth > 0) continue;
          const r = this.resolve(v);
          if (r && (r.properties || typesOf(r).includes('array'))) next.push({ s: r, path: [...prefix, k] });
        }
      }
      frontier = next;
    }
    return found;
  }
}

const NO_TYPES: readonly string[] = Object.freeze([]);
const SINGLE_TYPES = new Map<string, readonly string[]>();

/** The types a schema allows, as a list (shared: do not modify it). */
export function typesOf(s: JSONSchema | undefined): string[] {
  if (!s || s.type === undefined) return NO_TYPES as string[];
  if (Array.isArray(s.type)) return s.type;
  let t = SINGLE_TYPES.get(s.type);
  if (!t) {
    t = Object.freeze([s.type]);
    SINGLE_TYPES.set(s.type, t);
  }
  return t as string[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
