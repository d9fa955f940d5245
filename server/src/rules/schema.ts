/**
 * Schema checks: each object against exactly one schema, the one of its
 * apiVersion/kind. Unknown fields (with "did you mean" and "belongs under"),
 * wrong types, missing required fields, invalid enum values, and apiVersions
 * that do not serve the kind, were removed, or are deprecated.
 */
import { isAlias, isMap, isScalar, isSeq, Node, Pair, Path, YAMLMap } from '../model/manifest';
import { closest } from '../model/text';
import { lifecycleState } from '../schema/apiVersions';
import { JSONSchema, typesOf } from '../schema/schemaStore';
import { RuleContext, RuleFamily } from './engine';
import { configKindOf } from '../model/configKinds';

/** A key that belongs in another place of the object (found by the schema walk, reported per map). */
interface Misplaced {
  keyNode: Node;
  key: string;
  /** Where it belongs, relative to its map. */
  belongs: string[];
  /** The first step of that place that the object lacks. */
  absent?: Path;
}

export const schemaRules: RuleFamily = {
  name: 'schema',
  rules: [
    {
      id: 'unknown-field',
      severity: 'error',
      title: 'A field that the kind does not have',
      why: 'The API server rejects unknown fields (kubectl apply uses strict field validation since 1.27) or silently drops them, so a typo like `prots` never takes effect. A misspelled or misplaced key is one problem: what only follows from the field it stands for being absent (its "missing the required field", a rule\'s "a Service needs at least one port") is not reported as well; other problems of the object still are.',
      bad: 'containers:\n- name: web\n  image: nginx\n  prots:\n  - containerPort: 80',
      good: 'containers:\n- name: web\n  image: nginx\n  ports:\n  - containerPort: 80',
    },
    {
      id: 'invalid-type',
      severity: 'error',
      title: 'A value of the wrong type',
      why: 'The API server cannot decode a string where it expects a number (or the other way round) and rejects the whole object.',
      bad: 'completions: "3"',
      good: 'completions: 3',
    },
    {
      id: 'missing-required',
      severity: 'error',
      title: 'A required field is missing',
      why: 'The API server rejects the object without it. When the field is there under a misspelled or misplaced key, the unknown-field problem on that key says so instead.',
      bad: 'containers:\n- image: nginx',
      good: 'containers:\n- name: web\n  image: nginx',
    },
    {
      id: 'invalid-enum',
      severity: 'error',
      title: 'A value outside the allowed set',
      why: 'Fields like `imagePullPolicy` or `strategy.type` accept only a few values; anything else is rejected.',
      bad: 'imagePullPolicy: always',
      good: 'imagePullPolicy: Always',
    },
    {
      id: 'wrong-api-version',
      severity: 'error',
      title: 'The apiVersion does not serve this kind',
      why: 'Each kind is served by specific API groups and versions; `kubectl apply` fails with "no matches for kind".',
      bad: 'apiVersion: v1\nkind: ClusterRoleBinding',
      good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding',
    },
    {
      id: 'removed-api-version',
      severity: 'error',
      title: 'An apiVersion that the target Kubernetes version no longer serves',
      why: 'Removed API versions fail with "no matches for kind" on upgraded clusters. The target version is the setting `kubeManifests.kubernetesVersion`.',
      bad: 'apiVersion: extensions/v1beta1\nkind: Ingress',
      good: 'apiVersion: networking.k8s.io/v1\nkind: Ingress',
    },
    {
      id: 'deprecated-api-version',
      severity: 'warning',
      title: 'A deprecated apiVersion',
      why: 'Deprecated versions still work but will be removed in a later release.',
    },
    {
      id: 'missing-api-version',
      severity: 'error',
      title: 'An object without apiVersion or kind',
      why: 'The API server needs both to know what the object is.',
      bad: 'kind: Deployment',
      good: 'apiVersion: apps/v1\nkind: Deployment',
    },
  ],
  check(ctx) {
    // A kubeconfig, kustomization, component configuration...: not an API object (rules/kubeconfig.ts checks the kubeconfig).
    if (configKindOf(ctx.obj)) return;
    const { apiVersion, kind } = ctx.obj;
    if (kind === undefined || apiVersion === undefined) {
      checkMissingTypeMeta(ctx);
      return;
    }
    if (kind === 'List' && apiVersion === 'v1') return;
    const schema = ctx.store.schemaFor(apiVersion, kind);
    if (!schema) {
      checkUnservedKind(ctx, apiVersion, kind);
      return;
    }
    const life = lifecycleState(apiVersion, kind, ctx.settings.kubernetesVersion);
    if (life.state !== 'current') {
      const note = life.entry.note ? ` ${life.entry.note}` : '';
      const msg = life.state === 'removed'
        ? `${apiVersion} ${kind} is no longer served since Kubernetes ${life.entry.removed} (you target ${ctx.settings.kubernetesVersion}); use apiVersion ${life.replacement}.${note}`
        : `${apiVersion} ${kind} is deprecated since Kubernetes ${life.entry.deprecated} and removed in ${life.entry.removed}; use apiVersion ${life.replacement}.${note}`;
      ctx.report(life.state === 'removed' ? 'removed-api-version' : 'deprecated-api-version', ['apiVersion'], msg, {
        severity: life.state === 'removed' ? 'error' : 'warning',
        data: { replacement: life.replacement },
      });
    }
    new SchemaWalker(ctx).walk(ctx.obj.node, schema, [], typeName(ctx.store.info(apiVersion, kind)?.definition) ?? kind);
  },
};

function checkMissingTypeMeta(ctx: RuleContext): void {
  const { apiVersion, kind } = ctx.obj;
  if (kind !== undefined && apiVersion === undefined) {
    const versions = ctx.store.versionsOfKind(kind);
    if (!versions.length) return; // a custom resource: we cannot know
    const best = preferredVersion(versions.map((v) => v.apiVersion), ctx);
    ctx.report('missing-api-version', ['kind'], `${kind} needs an apiVersion; add \`apiVersion: ${best}\`.`, { severity: 'error', data: { replacement: best } });
  } else if (apiVersion !== undefined && kind === undefined) {
    if (!ctx.store.isKnownApiVersion(apiVersion)) return;
    const kinds = ctx.store.kindsOfApiVersion(apiVersion).map((k) => k.kind).filter((k) => !k.endsWith('List'));
    ctx.report('missing-api-version', ['apiVersion'], `The object has no kind; add \`kind:\` with one of the kinds ${apiVersion} serves (${kinds.slice(0, 8).join(', ')}${kinds.length > 8 ? ', ...' : ''}).`, { severity: 'error' });
  }
}

/** A kind without a schema for this apiVersion: a custom resource (quiet) or a mistake (loud). */
function checkUnservedKind(ctx: RuleContext, apiVersion: string, kind: string): void {
  const group = groupOf(apiVersion);
  const builtinGroup = ctx.store.allKinds().some((k) => groupOf(k.apiVersion) === group);
  if (!builtinGroup) return; // custom resource of a group we have no schema for
  const versions = ctx.store.versionsOfKind(kind).map((v) => v.apiVersion);
  if (versions.length) {
    const best = preferredVersion(versions, ctx);
    ctx.report('wrong-api-version', ['apiVersion'], `${kind} is not served by apiVersion ${apiVersion}; use \`apiVersion: ${best}\`.`, { severity: 'error', data: { replacement: best } });
    return;
  }
  const served = ctx.store.kindsOfApiVersion(apiVersion).map((k) => k.kind);
  if (!served.length) {
    const versionsOfGroup = [...new Set(ctx.store.allKinds().filter((k) => groupOf(k.apiVersion) === group).map((k) => k.apiVersion))];
    ctx.report('wrong-api-version', ['apiVersion'], `Unknown apiVersion ${apiVersion}; the ${group || 'core'} API group has ${versionsOfGroup.join(', ')}.`, { severity: 'error' });
    return;
  }
  const suggestion = closest(kind, served);
  ctx.report('wrong-api-version', ['kind'], `${apiVersion} has no kind ${kind}${suggestion ? `; did you mean ${suggestion}?` : `; it serves ${served.filter((k) => !k.endsWith('List')).join(', ')}.`}`, {
    severity: 'error',
    data: suggestion ? { suggestion } : undefined,
  });
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** The best apiVersion among several: served (not removed) at the target version, GA before beta before alpha. */
export function preferredVersion(versions: string[], ctx: Pick<RuleContext, 'settings' | 'store'>, kind?: string): string {
  const rank = (v: string): number => {
    const ver = v.slice(v.lastIndexOf('/') + 1);
    let r = /alpha/.test(ver) ? 2 : /beta/.test(ver) ? 1 : 0;
    if (kind && lifecycleState(v, kind, ctx.settings.kubernetesVersion).state !== 'current') r += 10;
    if (v.startsWith('extensions/')) r += 5;
    const n = Number(/v(\d+)/.exec(ver)?.[1] ?? 0);
    return r * 100 - n;
  };
  return [...versions].sort((a, b) => rank(a) - rank(b))[0];
}

/** The short type name of a definition: IIoK8sApiCoreV1Container -> Container. */
export function typeName(definition: string | undefined): string | undefined {
  if (!definition) return undefined;
  const m = /V\d+(?:alpha\d+|beta\d+)?([A-Z][A-Za-z0-9]*)$/.exec(definition);
  return m ? m[1] : definition.replace(/^I/, '');
}

const refNames = new WeakMap<JSONSchema, string | undefined>();
function refName(schema: JSONSchema | undefined): string | undefined {
  if (!schema?.$ref) return undefined;
  if (refNames.has(schema)) return refNames.get(schema);
  const name = typeName(schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1));
  refNames.set(schema, name);
  return name;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

function jsType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  // YAML 1.1 reads an unquoted 2024-01-02 as a timestamp, but the API server's decoder (go-yaml v2 into
  // interface{}, through sigs.k8s.io/yaml) keeps timestamp-like scalars as strings.
  if (v instanceof Date) return 'string';
  return typeof v;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map of fields',
  array: 'a list',
};

class SchemaWalker {
  private budget = 200000;
  constructor(private readonly ctx: RuleContext) {}

  walk(node: Node | null | undefined, raw: JSONSchema | undefined, path: Path, typeLabel: string): void {
    if (!node || this.budget-- <= 0 || path.length > 60) return;
    if (isAlias(node)) return; // checked where its anchor is
    const store = this.ctx.store;
    const schema = store.resolve(raw);
    if (!schema) return;
    const types = typesOf(schema);
    if (isScalar(node)) {
      this.checkScalar(node, schema, types, path);
      return;
    }
    if (isMap(node)) {
      if (types.length && !types.includes('object')) {
        this.typeError(node, path, types, 'a map of fields');
        return;
      }
      this.checkMap(node as YAMLMap, schema, path, typeLabel);
      return;
    }
    if (isSeq(node)) {
      if (types.length && !types.includes('array')) {
        this.typeError(node, path, types, 'a list');
        return;
      }
      const itemLabel = refName(schema.items) ?? typeLabel;
      // `path` is one array pushed and popped along the walk; whatever keeps it copies it
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        this.walk(node.items[i] as Node, schema.items, path, itemLabel);
        path.pop();
      }
    }
  }

  private checkMap(node: YAMLMap, schema: JSONSchema, path: Path, typeLabel: string): void {
    const store = this.ctx.store;
    const props = schema.properties ?? {};
    const present = new Set<string>();
    let misplaced: Misplaced[] | undefined;
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode)) continue;
      const key = String(keyNode.value);
      present.add(key);
      if (key === '<<') continue; // YAML 1.1 merge key
      if (Object.prototype.hasOwnProperty.call(props, key)) {
        const child = props[key];
        path.push(key);
        this.walk(pair.value as Node, child, path, refName(child) ?? refName(store.resolve(child)?.items) ?? key);
        path.pop();
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        path.push(key);
        this.walk(pair.value as Node, schema.additionalProperties, path, typeLabel);
        path.pop();
      } else if (schema.additionalProperties === false) {
        const m = this.unknownField(node, pair.key as Node, key, schema, path, typeLabel);
        if (m) (misplaced ??= []).push(m);
      }
    }
    if (misplaced) this.reportMisplaced(misplaced, path, typeLabel);
    for (const req of schema.required ?? []) {
      if (present.has(req) || present.has('<<')) continue;
      if (req === 'apiVersion' || req === 'kind') continue; // reported by the type-meta check
      const where = path.length ? `${formatPath(path)}` : 'the object';
      this.ctx.report('missing-required', path.length ? path : ['kind'], `${where} is missing the required field \`${req}\`${describeShort(store.describe(props[req]))}.`, {
        severity: 'error',
        where: 'key',
        data: { field: req, path: path.slice() },
        absent: [[...path, req]],
      });
    }
  }

  /**
   * Keys of one map that belong elsewhere: keys that belong under the same place (a whole pod spec
   * under a Job's spec) are one mistake, so one problem, on the first of them, moving them all.
   */
  private reportMisplaced(list: Misplaced[], path: Path, typeLabel: string): void {
    const where = path.length ? `${typeLabel} (${formatPath(path)})` : `a ${this.ctx.kind}`;
    const groups = new Map<string, Misplaced[]>();
    for (const m of list) {
      const k = m.belongs.join('\u0000');
      const g = groups.get(k);
      if (g) g.push(m);
      else groups.set(k, [m]);
    }
    for (const g of groups.values()) {
      const target = [...path, ...g[0].belongs];
      const shown = formatPath(target.map((s) => (s === '[]' ? 0 : s)) as Path).replace(/\[0\]/g, '[]');
      if (g.length === 1) {
        this.ctx.report('unknown-field', g[0].keyNode, `"${g[0].key}" is not a field of ${where}; it belongs under ${shown}.`, { severity: 'error', data: { moveTo: g[0].belongs } });
      } else {
        const names = g.map((m) => `"${m.key}"`);
        const listed = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
        this.ctx.report('unknown-field', g[0].keyNode, `${listed} are not fields of ${where}; they belong under ${shown}.`, { severity: 'error', data: { moveTo: g[0].belongs, moveKeys: g.map((m) => m.key) } });
      }
      for (const m of g) if (m.absent) this.ctx.markAbsentByMistake(m.absent);
    }
  }

  private unknownField(map: YAMLMap, keyNode: Node, key: string, schema: JSONSchema, path: Path, typeLabel: string): Misplaced | undefined {
    const store = this.ctx.store;
    const props = Object.keys(schema.properties ?? {});
    const where = path.length ? `${typeLabel} (${formatPath(path)})` : `a ${this.ctx.kind}`;
    const keys = this.keysOf(map);
    // A merge key may supply any field: then nothing is known to be absent.
    const merged = keys.has('<<');
    const suggestion = closest(key, props);
    if (suggestion) {
      this.ctx.report('unknown-field', keyNode, `Unknown field "${key}" in ${where}: did you mean "${suggestion}"?`, { severity: 'error', data: { suggestion } });
      // The field meant is absent because of the typo (unless it is there too: then this key is a stray copy).
      if (!merged && !keys.has(suggestion)) this.ctx.markAbsentByMistake([...path, suggestion], writtenScalar(keys.get(key)));
      return undefined;
    }
    // Of the places the key fits, the first one that lacks it (`name` at the root of a binding: roleRef has none).
    const places = store.findProperty(schema, key, 5);
    const absentAt = merged ? [] : places.map((b) => firstAbsent(this.ctx, [...path, ...b, key]));
    const pick = Math.max(0, absentAt.findIndex((a) => a !== undefined));
    const belongs = places[pick];
    if (belongs) return { keyNode, key, belongs, absent: absentAt[pick] };
    const list = props.length <= 12 ? ` Its fields are: ${props.join(', ')}.` : '';
    this.ctx.report('unknown-field', keyNode, `Unknown field "${key}" in ${where}.${list}`, { severity: 'error' });
    return undefined;
  }

  private keyIndex = new WeakMap<YAMLMap, Map<string, Pair<unknown, unknown>>>();

  /** The pairs of a map by key (the first of duplicates), built once per map that has an unknown key. */
  private keysOf(map: YAMLMap): Map<string, Pair<unknown, unknown>> {
    let keys = this.keyIndex.get(map);
    if (!keys) {
      keys = new Map();
      for (const p of map.items) if (isScalar(p.key) && !keys.has(String(p.key.value))) keys.set(String(p.key.value), p);
      this.keyIndex.set(map, keys);
    }
    return keys;
  }

  private checkScalar(node: Node, schema: JSONSchema, types: string[], path: Path): void {
    if (!isScalar(node)) return;
    const v = node.value;
    if (v === null || v === undefined) return; // an empty value means "not set" to the API server
    if (typeof node.source === 'string' && node.source.includes('{{')) return;
    const t = jsType(v);
    const ok = !types.length || types.includes(t) || (t === 'integer' && types.includes('number'));
    if (!ok) {
      this.scalarTypeError(node, path, types, v);
      return;
    }
    if (schema.enum && typeof v === 'string' && !schema.enum.includes(v)) {
      const allowed = schema.enum.map(String);
      const fix = allowed.find((a) => a.toLowerCase() === v.toLowerCase()) ?? closest(v, allowed);
      const shown = allowed.filter((a) => a !== '');
      this.ctx.report('invalid-enum', node, `"${v}" is not a valid ${formatPath(path)}; use ${shown.length === 1 ? shown[0] : `one of ${shown.join(', ')}`}${fix ? ` (did you mean ${fix}?)` : ''}.`, {
        severity: 'error',
        data: fix ? { suggestion: fix } : undefined,
      });
    }
  }

  private scalarTypeError(node: Node, path: Path, types: string[], v: unknown): void {
    if (!isScalar(node)) return;
    const field = formatPath(path);
    const expected = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
    const src = node.source ?? String(v);
    let message: string;
    let data: Record<string, unknown> | undefined;
    if (types.includes('string') && (typeof v === 'number' || typeof v === 'boolean')) {
      const yaml11 = typeof v === 'boolean' && !/^(true|false)$/i.test(src) ? ` (YAML 1.1, which Kubernetes uses, reads ${src} as ${v})` : '';
      message = `${field} must be a string, but ${src} is read as ${typeof v === 'number' ? 'a number' : 'a boolean'}${yaml11}. Quote it: "${src}".`;
      data = { quote: true };
    } else if ((types.includes('integer') || types.includes('number')) && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) {
      message = `${field} must be ${expected}, not the string "${v}"; remove the quotes.`;
      data = { unquote: true };
    } else if (typeof v === 'number' && types.includes('integer') && !Number.isInteger(v)) {
      message = `${field} must be a whole number, not ${src}.`;
    } else {
      message = `${field} must be ${expected}, not ${TYPE_WORDS[jsType(v)] ?? jsType(v)} (${src.length > 40 ? src.slice(0, 40) + '…' : src}).`;
    }
    this.ctx.report('invalid-type', node, message, { severity: 'error', data });
  }

  private typeError(node: Node, path: Path, types: string[], actual: string): void {
    const expected = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
    this.ctx.report('invalid-type', path.length ? path : node, `${formatPath(path)} must be ${expected}, not ${actual}.`, { severity: 'error', where: 'key' });
  }
}

/**
 * Where a misplaced key was meant to go (`target`, with '[]' for "an item of the list"), the first
 * step that does not exist: everything from there on is absent because of the misplacement.
 * Undefined when the whole path exists (the key is a stray copy, nothing is missing).
 */
function firstAbsent(ctx: RuleContext, target: Array<string | number>): Path | undefined {
  const out: Path = [];
  let node: Node | undefined = ctx.obj.node;
  for (let i = 0; i < target.length; i++) {
    const seg = target[i];
    if (seg === '[]') {
      const items = isSeq(node) ? node.items : [];
      if (items.length === 0) return [...out, '*'];
      if (items.length > 1) return undefined; // which item was meant is not known: mark nothing

      out.push(0);
      node = ctx.deref(items[0] as Node);
      continue;
    }
    out.push(seg);
    const next: Node | undefined = isMap(node) ? ctx.deref(node.get(seg, true) as Node | undefined) : undefined;
    if (next === undefined || (isScalar(next) && next.value === null)) return out;
    node = next;
  }
  return undefined;
}

/** The value of a pair when it is a plain scalar (a name), as text. */
function writtenScalar(pair: Pair<unknown, unknown> | undefined): string | undefined {
  const v = pair?.value;
  return isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') ? String(v.value) : undefined;
}

function describeShort(desc: string | undefined): string {
  if (!desc) return '';
  const first = desc.split(/(?<=\.)\s/)[0].replace(/\s+/g, ' ');
  return first.length <= 100 ? ` (${first.replace(/\.$/, '')})` : '';
}
