/**
 * Custom resources checked as the API server checks them against their CRD's
 * `openAPIV3Schema` (the structural schema of the version the apiVersion
 * names): the value constraints (minimum, maximum, multipleOf, lengths,
 * pattern, format, enum of numbers and booleans, item and entry counts,
 * uniqueness of list-type set and map items, nulls, embedded resources) and
 * the CEL rules of `x-kubernetes-validations`. Unknown fields, types, required
 * fields and string enums are the schema family's (rules/schema.ts), on the
 * converted schema (features/crds.ts); this family reads the CRD's own schema,
 * kept on the converted root (`JSONSchema.crd`).
 *
 * Like the API server, it applies `default`s and drops nulls of fields that
 * are not nullable before it validates, so neither is a problem by itself.
 * `pattern` is a Go (RE2) regular expression in the API server; a pattern
 * that JavaScript reads differently or cannot compile is skipped.
 */
import { isAlias, isMap, isScalar, isSeq, Node, Path, resolveAlias, YAMLMap } from '../model/manifest';
import { configKindOf } from '../model/configKinds';
import { CustomResourceSource, JSONSchema } from '../schema/schemaStore';
import { RuleContext, RuleFamily } from './engine';
import { Document } from 'yaml';
import { formatPath } from './schema';
import { celTypedFormatIn, evaluateMessage, evaluateRule, isTransitionRule, toCelValue } from './cel';
import { formatProblem } from './util/openapiFormats';

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Raw, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export const crdConstraintRules: RuleFamily = {
  name: 'crd',
  rules: [
    {
      id: 'crd-version-not-served',
      severity: 'error',
      title: 'A custom resource in a version its CRD does not serve',
      why: 'The API server answers "no matches for kind" for a version the CustomResourceDefinition does not list or lists with `served: false`.',
      bad: 'apiVersion: example.com/v1alpha1   # the CRD serves v1 only\nkind: Widget',
      good: 'apiVersion: example.com/v1\nkind: Widget',
    },
    {
      id: 'crd-version-deprecated',
      severity: 'warning',
      title: 'A custom resource in a version its CRD marks deprecated',
      why: 'The CRD says `deprecated: true` for the version: kubectl prints its `deprecationWarning`, and a later release of the operator will stop serving it.',
      bad: 'apiVersion: example.com/v1beta1   # deprecated: true in the CRD\nkind: Widget',
      good: 'apiVersion: example.com/v1\nkind: Widget',
    },
    {
      id: 'crd-out-of-range',
      severity: 'error',
      title: 'A number outside the bounds of its CRD',
      why: 'The API server rejects a value below `minimum`, above `maximum` (or equal to an exclusive bound) or not a `multipleOf`.',
      bad: 'replicas: 0   # minimum: 1',
      good: 'replicas: 1',
    },
    {
      id: 'crd-length',
      severity: 'error',
      title: 'A string, list or map too short or too long for its CRD',
      why: 'The API server rejects strings outside `minLength`/`maxLength` (counted in characters), lists outside `minItems`/`maxItems` and maps outside `minProperties`/`maxProperties`.',
      bad: 'hosts: []   # minItems: 1',
      good: 'hosts:\n- example.com',
    },
    {
      id: 'crd-pattern',
      severity: 'error',
      title: 'A string that does not match the pattern of its CRD',
      why: 'The API server rejects a string that does not match the field\'s `pattern` (a regular expression).',
      bad: 'duration: 90 minutes   # pattern: ^([0-9]+(s|m|h))+$',
      good: 'duration: 90m',
    },
    {
      id: 'crd-format',
      severity: 'error',
      title: 'A string that does not have the format of its CRD',
      why: 'The API server checks the formats it knows (uuid, ipv4, ipv6, cidr, mac, hostname, date, date-time, duration, byte, uri, email...) and rejects values that do not have them. Unknown formats are ignored, here too.',
      bad: 'address: 10.0.0.300   # format: ipv4',
      good: 'address: 10.0.0.30',
    },
    {
      id: 'crd-enum',
      severity: 'error',
      title: 'A number or boolean outside the values its CRD allows',
      why: 'The API server rejects a value the field\'s `enum` does not list (strings outside an enum are `invalid-enum`).',
      bad: 'level: 4   # enum: [1, 2, 3]',
      good: 'level: 3',
    },
    {
      id: 'crd-duplicate-item',
      severity: 'error',
      title: 'The same item twice in a list its CRD says is a set or a map',
      why: 'A list with `x-kubernetes-list-type: set` may hold each value once, one with `x-kubernetes-list-type: map` each key (`x-kubernetes-list-map-keys`) once; the API server rejects duplicates (server-side apply merges such lists by them).',
      bad: 'ports:\n- name: http\n  port: 80\n- name: http\n  port: 8080',
      good: 'ports:\n- name: http\n  port: 80\n- name: http-alt\n  port: 8080',
    },
    {
      id: 'crd-null',
      severity: 'error',
      title: 'A null where the CRD does not allow one',
      why: 'The API server drops a null field that is not `nullable` (so a required one is then missing) and rejects a null list item.',
      bad: 'name: null   # required, not nullable',
      good: 'name: web',
    },
    {
      id: 'crd-embedded-resource',
      severity: 'error',
      title: 'An embedded Kubernetes object without apiVersion or kind',
      why: 'A field with `x-kubernetes-embedded-resource: true` holds a whole Kubernetes object; the API server requires its `apiVersion` and `kind`.',
      bad: 'template:\n  metadata:\n    name: x',
      good: 'template:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x',
    },
    {
      id: 'crd-validation-rule',
      severity: 'error',
      title: 'A value that fails a validation rule (CEL) of its CRD',
      why: 'The API server evaluates the `x-kubernetes-validations` rules of the CRD and rejects the object when one is false, with the rule\'s message.',
      bad: 'venafi: {}   # rule: exactly one of tpp, cloud',
      good: 'venafi:\n  cloud:\n    apiTokenSecretRef:\n      name: token',
    },
    {
      id: 'crd-rule-not-checked',
      severity: 'information',
      title: 'Validation rules of a CRD that cannot be checked in the editor',
      why: 'Some CEL rules call functions of the Kubernetes CEL libraries that the editor\'s evaluator lacks, or fail to evaluate here; the API server still checks them. Rules that compare with the stored object (`oldSelf`) are never checked and never reported.',
    },
  ],
  check(ctx) {
    const { apiVersion, kind } = ctx.obj;
    if (apiVersion === undefined || kind === undefined || configKindOf(ctx.obj)) return;
    const root = ctx.store.schemaFor(apiVersion, kind);
    const source = root?.crd;
    if (!source) {
      if (!root) checkUnservedVersion(ctx, apiVersion, kind);
      return;
    }
    if (source.deprecated) {
      const best = bestVersion(source, source.version);
      const why = source.deprecationWarning ?? `${apiVersion} ${kind} is deprecated${best ? `; use apiVersion ${source.group}/${best}` : ''}`;
      ctx.report('crd-version-deprecated', ['apiVersion'], `${why.replace(/\.$/, '')} (the CRD ${source.name} marks version ${source.version} deprecated).`, {
        severity: 'warning',
        data: best ? { replacement: `${source.group}/${best}` } : undefined,
      });
    }
    if (!isObj(source.openAPIV3Schema)) return;
    const walker = new Walker(ctx, source);
    walker.walk(ctx.obj.node, source.openAPIV3Schema, []);
    walker.reportUnchecked();
  },
};

/** The version to use instead of `not`: the storage version if served and not deprecated, else the first such. */
function bestVersion(source: CustomResourceSource, not?: string): string | undefined {
  const ok = source.versions.filter((v) => v.served && !v.deprecated && v.name !== not);
  return (ok.find((v) => v.storage) ?? ok[0])?.name;
}

function checkUnservedVersion(ctx: RuleContext, apiVersion: string, kind: string): void {
  const slash = apiVersion.lastIndexOf('/');
  if (slash <= 0) return;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const source = ctx.store.customSchemasOf(group, kind).find((s: JSONSchema) => s.crd)?.crd;
  if (!source) return;
  const best = bestVersion(source) ?? source.versions.find((v) => v.served)?.name;
  if (!best) return;
  const served = source.versions.filter((v) => v.served).map((v) => v.name);
  const known = source.versions.find((v) => v.name === version);
  const message = known
    ? `${apiVersion} ${kind} is not served: the CRD ${source.name} has version ${version} with \`served: false\`; use \`apiVersion: ${group}/${best}\`.`
    : `The CRD ${source.name} has no version ${version}; it serves ${served.join(', ')}. Use \`apiVersion: ${group}/${best}\`.`;
  ctx.report('crd-version-not-served', ['apiVersion'], message, { severity: 'error', data: { replacement: `${group}/${best}` } });
}

/**
 * A scalar's value as the API server decodes it: YAML 1.1 timestamps stay
 * strings (go-yaml v2 keeps a timestamp-like plain scalar a string when it
 * decodes into an untyped value, as sigs.k8s.io/yaml does).
 */
function scalarValue(node: Node): unknown {
  if (!isScalar(node)) return undefined;
  return node.value instanceof Date ? node.source ?? node.value.toISOString() : node.value;
}

/** A node as plain JSON (aliases followed, timestamps as strings), at most `budget.n` nodes. */
function plainOf(node: Node | null | undefined, doc: Document.Parsed, budget: { n: number }, depth = 0): unknown {
  if (!node || budget.n-- <= 0 || depth > 100) return null;
  if (isAlias(node)) return plainOf(resolveAlias(node, doc), doc, budget, depth + 1);
  if (isScalar(node)) return scalarValue(node) ?? null;
  if (isMap(node)) {
    const out: Raw = Object.create(null);
    for (const p of (node as YAMLMap).items) if (isScalar(p.key)) out[String(p.key.value)] = plainOf(p.value as Node, doc, budget, depth + 1);
    return out;
  }
  if (isSeq(node)) return node.items.map((i) => plainOf(i as Node, doc, budget, depth + 1));
  return null;
}

function typeOf(s: Raw): string | undefined {
  if (s['x-kubernetes-int-or-string'] === true) return 'int-or-string';
  return typeof s.type === 'string' ? s.type : undefined;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function shown(v: unknown, s: Raw): string {
  if (s.format === 'password') return 'the value';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text);
}

/** JSON with sorted keys: equal values give equal strings (as Go's json.Marshal of unstructured maps). */
function canonical(v: unknown, depth = 0): string {
  if (depth > 50) return '…';
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, depth + 1)).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k], depth + 1)}`).join(',')}}`;
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** A value as the API server validates it: non-nullable nulls dropped, defaults applied (pkg/apiserver/schema/defaulting). */
export function withDefaults(v: unknown, s: unknown, depth = 0): unknown {
  if (!isObj(s) || depth > 100) return v;
  if (isObj(v)) {
    const props = isObj(s.properties) ? s.properties : undefined;
    const extra = isObj(s.additionalProperties) ? s.additionalProperties : undefined;
    const schemaOf = (k: string): unknown => (props && has(props, k) ? props[k] : extra);
    const out: Raw = Object.create(null);
    for (const [k, x] of Object.entries(v)) {
      const cs = schemaOf(k);
      if (x === null && isObj(cs) && cs.nullable !== true) {
        if (cs.default !== undefined && cs.default !== null) out[k] = clone(cs.default);
        continue;
      }
      out[k] = x;
    }
    if (props) for (const [k, ps] of Object.entries(props)) if (isObj(ps) && ps.default !== undefined && ps.default !== null && !has(out, k)) out[k] = clone(ps.default);
    for (const k of Object.keys(out)) out[k] = withDefaults(out[k], schemaOf(k), depth + 1);
    return out;
  }
  if (Array.isArray(v)) {
    const items = isObj(s.items) ? s.items : undefined;
    return v.map((x) => (x === null && items && items.nullable !== true && items.default !== undefined && items.default !== null ? clone(items.default) : withDefaults(x, items, depth + 1)));
  }
  return v;
}

/** Go regexp syntax that JavaScript reads differently or not at all: such patterns are not checked. */
// (\s and \S: Go's are ASCII space only, JavaScript's every Unicode space; \x{41}: Go's hex escape)
const GO_ONLY = /\[\[:|\\[QEzACsS]|\\x\{|\\p[A-Z]|\(\?[a-zA-Z]*[sU-]|\(\?P</;
const patterns = new Map<string, RegExp | null>();
function compilePattern(p: string): RegExp | null {
  let re = patterns.get(p);
  if (re === undefined) {
    re = null;
    let src = p;
    let flags = 'u';
    const inline = /^\(\?([im]+)\)/.exec(src);
    if (inline) {
      src = src.slice(inline[0].length);
      flags += inline[1].includes('i') ? 'i' : '';
      if (inline[1].includes('m')) flags += 'm';
    }
    if (!GO_ONLY.test(src) && src.length < 5000) {
      try {
        re = new RegExp(src, flags);
      } catch {
        try {
          // Without the u flag, \p{..} means something else: only when the pattern has none.
          re = /\\[pP]/.test(src) ? null : new RegExp(src, flags.replace('u', ''));
        } catch {
          re = null;
        }
      }
    }
    if (patterns.size > 2000) patterns.clear();
    patterns.set(p, re);
  }
  return re;
}

/** The fields a rule reads below `self` (`self.spec.replicas` -> [spec, replicas]), strings left out. */
function fieldsRead(rule: string): string[][] {
  const code = rule.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const out: string[][] = [];
  for (const m of code.matchAll(/\bself((?:\.\??[A-Za-z_][A-Za-z0-9_]*)+)/g)) out.push(m[1].split('.').filter(Boolean).map((s) => s.replace(/^\?/, '')));
  return out;
}

/** `.a.b`, `.a['b.c']` (a rule's fieldPath) as path segments, or undefined. */
function parseFieldPath(fp: string): string[] | undefined {
  const out: string[] = [];
  const re = /\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[['"]((?:[^'"\\]|\\.)*)['"]\]/y;
  let i = 0;
  while (i < fp.length) {
    re.lastIndex = i;
    const m = re.exec(fp);
    if (!m) return undefined;
    out.push(m[1] ?? m[2].replace(/\\(.)/g, '$1'));
    i = re.lastIndex;
  }
  return out;
}

class Walker {
  private budget = 200000;
  private celBudget = 2000;
  private readonly unchecked = new Map<string, string>();
  private readonly crd: string;

  constructor(
    private readonly ctx: RuleContext,
    private readonly source: CustomResourceSource,
  ) {
    this.crd = `the CRD ${source.name}`;
  }

  walk(node: Node | null | undefined, s: unknown, path: Path): void {
    if (!node || !isObj(s) || this.budget-- <= 0 || path.length > 60) return;
    if (isAlias(node)) return; // checked where its anchor is
    const t = typeOf(s);
    if (isScalar(node)) {
      if (node.value === null || node.value === undefined) return; // nulls are judged by the map or list holding them
      if (typeof node.source === 'string' && node.source.includes('{{')) return;
      this.scalar(node, s, t, path);
    } else if (isMap(node)) {
      if (t !== undefined && t !== 'object') return; // a type error (schema family)
      this.map(node as YAMLMap, s, path);
    } else if (isSeq(node)) {
      if (t !== undefined && t !== 'array') return;
      this.seq(node, s, path);
    } else return;
    this.rules(node, s, path);
  }

  private where(path: Path): string {
    return path.length ? formatPath(path) : 'the object';
  }

  private scalar(node: Node, s: Raw, t: string | undefined, path: Path): void {
    if (!isScalar(node)) return;
    const v = scalarValue(node);
    const where = this.where(path);
    const src = node.source ?? String(v);
    if (typeof v === 'number') {
      if (t !== undefined && t !== 'integer' && t !== 'number' && t !== 'int-or-string') return;
      if (t === 'integer' && !Number.isInteger(v)) return;
      const min = typeof s.minimum === 'number' ? s.minimum : undefined;
      const max = typeof s.maximum === 'number' ? s.maximum : undefined;
      if (min !== undefined && (s.exclusiveMinimum === true ? v <= min : v < min)) {
        const need = s.exclusiveMinimum === true ? `more than ${min} (exclusiveMinimum)` : `at least ${min} (minimum: ${min})`;
        this.ctx.report('crd-out-of-range', node, `${where} is ${src}; ${this.crd} requires ${need}.`, { severity: 'error' });
      } else if (max !== undefined && (s.exclusiveMaximum === true ? v >= max : v > max)) {
        const need = s.exclusiveMaximum === true ? `less than ${max} (exclusiveMaximum)` : `at most ${max} (maximum: ${max})`;
        this.ctx.report('crd-out-of-range', node, `${where} is ${src}; ${this.crd} requires ${need}.`, { severity: 'error' });
      }
      const m = s.multipleOf;
      if (typeof m === 'number' && m > 0) {
        const q = v / m;
        if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) {
          this.ctx.report('crd-out-of-range', node, `${where} is ${src}; ${this.crd} requires a multiple of ${m} (multipleOf: ${m}).`, { severity: 'error' });
        }
      }
      this.enumOf(node, v, s, where, src);
      return;
    }
    if (typeof v === 'boolean') {
      if (t !== undefined && t !== 'boolean') return;
      this.enumOf(node, v, s, where, src);
      return;
    }
    if (typeof v !== 'string') return;
    if (t !== undefined && t !== 'string' && t !== 'int-or-string') return;
    const len = [...v].length;
    const minL = typeof s.minLength === 'number' ? s.minLength : undefined;
    const maxL = typeof s.maxLength === 'number' ? s.maxLength : undefined;
    if (minL !== undefined && len < minL) {
      const is = len === 0 ? 'is empty' : `is ${plural(len, 'character')} long`;
      this.ctx.report('crd-length', node, `${where} ${is}; ${this.crd} requires at least ${plural(minL, 'character')} (minLength: ${minL}).`, { severity: 'error' });
    } else if (maxL !== undefined && len > maxL) {
      this.ctx.report('crd-length', node, `${where} is ${plural(len, 'character')} long; ${this.crd} allows at most ${maxL} (maxLength: ${maxL}).`, { severity: 'error' });
    }
    if (typeof s.pattern === 'string') {
      const re = compilePattern(s.pattern);
      if (re && !re.test(v)) {
        this.ctx.report('crd-pattern', node, `${where} ${shown(v, s)} does not match the pattern \`${s.pattern}\` that ${this.crd} requires.`, { severity: 'error' });
      }
    }
    if (typeof s.format === 'string' && (t === undefined || t === 'string' || t === 'int-or-string')) {
      const words = formatProblem(s.format, v, this.ctx.settings.kubernetesVersion);
      if (words) this.ctx.report('crd-format', node, `${where} ${shown(v, s)} is not ${words} (format: ${s.format}), as ${this.crd} requires.`, { severity: 'error' });
    }
  }

  private enumOf(node: Node, v: number | boolean, s: Raw, where: string, src: string): void {
    if (!Array.isArray(s.enum) || !s.enum.length || s.enum.some((e) => e === v)) return;
    const allowed = s.enum.filter((e) => e !== null).map((e) => (typeof e === 'string' ? JSON.stringify(e) : String(e)));
    this.ctx.report('crd-enum', node, `${where} is ${src}; ${this.crd} allows only ${allowed.length === 1 ? allowed[0] : allowed.join(', ')}.`, { severity: 'error' });
  }

  private map(node: YAMLMap, s: Raw, path: Path): void {
    const props = isObj(s.properties) ? s.properties : {};
    const extra = isObj(s.additionalProperties) ? s.additionalProperties : undefined;
    const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
    const keys = new Set<string>();
    for (const pair of node.items) if (isScalar(pair.key)) keys.add(String(pair.key.value));
    const merged = keys.has('<<'); // YAML 1.1 merge key: the map has more than it shows
    const where = this.where(path);
    if (!merged) {
      const n = keys.size;
      const minP = typeof s.minProperties === 'number' ? s.minProperties : undefined;
      const maxP = typeof s.maxProperties === 'number' ? s.maxProperties : undefined;
      const target = path.length ? path : ['kind'];
      if (minP !== undefined && n < minP) {
        this.ctx.report('crd-length', target, `${where} has ${plural(n, 'entry', 'entries')}; ${this.crd} requires at least ${minP} (minProperties: ${minP}).`, { severity: 'error', where: 'key' });
      } else if (maxP !== undefined && n > maxP) {
        this.ctx.report('crd-length', target, `${where} has ${plural(n, 'entry', 'entries')}; ${this.crd} allows at most ${maxP} (maxProperties: ${maxP}).`, { severity: 'error', where: 'key' });
      }
      if (s['x-kubernetes-embedded-resource'] === true && path.length) {
        const missing = ['apiVersion', 'kind'].filter((k) => !keys.has(k));
        if (missing.length) {
          this.ctx.report('crd-embedded-resource', path, `${where} holds a Kubernetes object (x-kubernetes-embedded-resource in ${this.crd}); add ${missing.map((k) => `\`${k}\``).join(' and ')}.`, {
            severity: 'error',
            where: 'key',
            absent: missing.map((k) => [...path, k]),
          });
        }
      }
    }
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = has(props, key) ? props[key] : extra;
      if (!isObj(child)) continue;
      const value = pair.value as Node | null;
      path.push(key);
      if (!value || (isScalar(value) && (value.value === null || value.value === undefined))) {
        if (required.has(key) && child.nullable !== true && (child.default === undefined || child.default === null)) {
          this.ctx.report('crd-null', pair.key as Node, `${formatPath(path)} is null, which ${this.crd} does not allow here (it is not nullable): the API server drops it, and then rejects the object because ${key} is required. Give it a value.`, { severity: 'error' });
        }
      } else if (s['x-kubernetes-embedded-resource'] === true && path.length > 1 && (key === 'apiVersion' || key === 'kind') && isScalar(value) && value.value === '') {
        this.ctx.report('crd-embedded-resource', value, `${formatPath(path)} must not be empty: ${where} holds a Kubernetes object (x-kubernetes-embedded-resource in ${this.crd}).`, { severity: 'error' });
      } else {
        this.walk(value, child, path);
      }
      path.pop();
    }
  }

  private seq(node: Node, s: Raw, path: Path): void {
    if (!isSeq(node)) return;
    const items = node.items as Array<Node | null>;
    const n = items.length;
    const where = this.where(path);
    const minI = typeof s.minItems === 'number' ? s.minItems : undefined;
    const maxI = typeof s.maxItems === 'number' ? s.maxItems : undefined;
    if (minI !== undefined && n < minI) {
      this.ctx.report('crd-length', path, `${where} has ${plural(n, 'item')}; ${this.crd} requires at least ${minI} (minItems: ${minI}).`, { severity: 'error', where: 'key' });
    } else if (maxI !== undefined && n > maxI) {
      this.ctx.report('crd-length', path, `${where} has ${plural(n, 'item')}; ${this.crd} allows at most ${maxI} (maxItems: ${maxI}).`, { severity: 'error', where: 'key' });
    }
    const itemSchema = isObj(s.items) ? s.items : undefined;
    const isNull = (i: Node | null): boolean => !i || (isScalar(i) && (i.value === null || i.value === undefined));
    this.duplicates(items, s, itemSchema, path);
    for (let i = 0; i < n; i++) {
      path.push(i);
      const item = items[i];
      if (isNull(item)) {
        // kube-openapi rejects a null only where the schema names a type (int-or-string and untyped items take it)
        if (itemSchema && typeof itemSchema.type === 'string' && itemSchema.nullable !== true && (itemSchema.default === undefined || itemSchema.default === null)) {
          this.ctx.report('crd-null', item ?? path, `${formatPath(path)} is null; ${this.crd} does not allow null items in ${where} (they are not nullable). Remove it or give it a value.`, { severity: 'error' });
        }
      } else this.walk(item, itemSchema, path);
      path.pop();
    }
  }

  private duplicates(items: Array<Node | null>, s: Raw, itemSchema: Raw | undefined, path: Path): void {
    const listType = s['x-kubernetes-list-type'];
    const mapKeys = Array.isArray(s['x-kubernetes-list-map-keys']) ? (s['x-kubernetes-list-map-keys'] as unknown[]).filter((k): k is string => typeof k === 'string') : [];
    const set = listType === 'set' || s.uniqueItems === true;
    const byKey = listType === 'map' && mapKeys.length > 0;
    if ((!set && !byKey) || items.length < 2) return;
    const doc = this.ctx.doc;
    const seen = new Map<string, number>();
    const reported = new Set<string>();
    const where = this.where(path);
    for (let i = 0; i < items.length; i++) {
      const node = items[i];
      if (node && isScalar(node) && typeof node.source === 'string' && node.source.includes('{{')) return;
      const budget = { n: 10000 };
      const value = withDefaults(node ? plainOf(node, doc, budget) : null, itemSchema);
      if (budget.n <= 0) return;
      let id: string;
      if (byKey) {
        if (value !== null && !isObj(value)) return; // not a map: a type error
        id = canonical(mapKeys.map((k) => (isObj(value) && has(value, k) ? value[k] : undefined)));
      } else id = canonical(value);
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, i);
        continue;
      }
      if (reported.has(id)) continue; // the API server names the first repeat of each
      reported.add(id);
      const here = formatPath([...path, i]);
      const there = formatPath([...path, first]);
      let target: Node | Path = node ?? [...path, i];
      let message: string;
      if (byKey) {
        const keyText = mapKeys.map((k) => `${k}: ${isObj(value) && has(value, k) ? JSON.stringify(value[k]) : '(not set)'}`).join(', ');
        const keyNode = node && isMap(node) ? this.ctx.node([mapKeys[0]], node) : undefined;
        if (keyNode) target = keyNode;
        message = `${here} has the same ${keyText} as ${there}; ${where} is a list keyed by ${mapKeys.join(' and ')} in ${this.crd} (x-kubernetes-list-type: map), so each key may appear once.`;
      } else if (listType === 'set') {
        message = `${here} repeats ${there}; ${where} is a set in ${this.crd} (x-kubernetes-list-type: set), so each value may appear once.`;
      } else {
        message = `${here} repeats ${there}; ${this.crd} requires the items of ${where} to be unique (uniqueItems).`;
      }
      this.ctx.report('crd-duplicate-item', target, message, { severity: 'error' });
    }
  }

  private rules(node: Node, s: Raw, path: Path): void {
    const list = s['x-kubernetes-validations'];
    if (!Array.isArray(list) || !list.length) return;
    let self: unknown;
    let ready = false;
    for (const r of list) {
      if (!isObj(r) || typeof r.rule !== 'string') continue;
      const rule = r.rule;
      if (isTransitionRule(rule) || r.optionalOldSelf === true) continue; // needs the stored object
      if (!ready) {
        ready = true;
        const range = this.ctx.rangeOf(node);
        if (this.ctx.file.text.slice(range[0], range[1]).includes('{{')) return;
        const budget = { n: 20000 };
        const plain = plainOf(node, this.ctx.doc, budget);
        if (budget.n <= 0) {
          this.unchecked.set(rule, 'the value is too large to evaluate here');
          return;
        }
        self = toCelValue(withDefaults(plain, s), s);
      }
      const typed = celTypedFormatIn(s, rule);
      if (typed) {
        this.unchecked.set(rule, `it reads a field of format ${typed}, which CEL sees as a ${typed === 'byte' ? 'bytes value' : typed === 'duration' ? 'duration' : 'timestamp'} in the API server, not as a string as here`);
        continue;
      }
      if (this.celBudget-- <= 0) {
        this.unchecked.set(rule, 'too many rules to evaluate here');
        continue;
      }
      const outcome = evaluateRule(rule, self);
      if (outcome.result === 'pass') continue;
      if (outcome.result === 'unchecked') {
        this.unchecked.set(rule, outcome.reason);
        continue;
      }
      const fromExpression = typeof r.messageExpression === 'string' ? evaluateMessage(r.messageExpression, self) : undefined;
      const message = fromExpression ?? (typeof r.message === 'string' && r.message.trim() ? r.message.trim() : `failed rule: ${rule}`);
      let target: Path = path.slice();
      if (typeof r.fieldPath === 'string') {
        const extra = parseFieldPath(r.fieldPath);
        if (extra && this.ctx.node([...path, ...extra])) target = [...path, ...extra];
      }
      const at = this.ctx.node(target);
      this.ctx.report('crd-validation-rule', target.length ? target : ['kind'], `${this.where(target)}: ${message.replace(/\.$/, '')} (a validation rule of ${this.crd}).`, {
        severity: 'error',
        where: at && isScalar(at) ? 'value' : 'key',
        // a misspelled or misplaced key among the fields the rule reads explains its failure (rules/consequences.ts)
        absent: fieldsRead(rule).map((f) => [...path, ...f]),
      });
    }
  }

  reportUnchecked(): void {
    if (!this.unchecked.size) return;
    const n = this.unchecked.size;
    const listed = [...this.unchecked].slice(0, 3).map(([rule, reason]) => `\`${rule.length > 80 ? rule.slice(0, 80) + '…' : rule}\` (${reason})`);
    const more = n > listed.length ? `, and ${n - listed.length} more` : '';
    this.ctx.report('crd-rule-not-checked', ['kind'], `${plural(n, 'validation rule')} of the CRD ${this.source.name} ${n === 1 ? 'is' : 'are'} not checked here: ${listed.join('; ')}${more}. The API server checks ${n === 1 ? 'it' : 'them'}.`, {
      severity: 'information',
    });
  }
}
