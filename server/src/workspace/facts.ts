/**
 * What the workspace index keeps of a file: per Kubernetes object its identity
 * (kind, namespace, name), labels, selectors, Secret/ConfigMap keys, ports,
 * RBAC rules and the references it makes to other objects, each with the
 * offsets where it is written. Nothing else: the file's text and parse tree are
 * dropped once the facts are extracted, so memory follows names, not bytes.
 *
 * Pure: works on a parsed ManifestFile, no IO.
 */
import { Document } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, ManifestFile, ManifestObject, Node, Pair, resolveAlias, Section, YAMLMap } from '../model/manifest';
import { isClusterScoped, podSpecPaths } from '../model/kinds';
import { configKindOf } from '../model/configKinds';

/** [start, end) offsets in the file. */
export type Span = [number, number];

export type RefTarget = 'Secret' | 'ConfigMap' | 'ServiceAccount' | 'Role' | 'ClusterRole' | 'Service';

/** A reference from one object to another, by name (and perhaps a key or port of it). */
export interface RefFact {
  target: RefTarget;
  name: string;
  nameSpan: Span;
  /** Namespace the target must live in. */
  namespace: string;
  /** The referring object sets its namespace explicitly (else the default may be changed by kustomize/helm/kubectl -n). */
  explicitNamespace: boolean;
  /** A key of the Secret/ConfigMap (secretKeyRef.key, items[].key). */
  key?: string;
  keySpan?: Span;
  /** A port of the Service (Ingress backend): name or number as written. */
  port?: string;
  portSpan?: Span;
  /** `optional: true` next to the reference. */
  optional?: boolean;
  /** Where the reference is written, for messages: `secretKeyRef`, `envFrom`, `volume`... */
  via: string;
  /** The name holds a template expression (Helm, kustomize vars): never checked. */
  templated?: boolean;
  /** Only the key is written here (volume `items[].key`); the name is the volume's own reference. */
  keyOnly?: boolean;
}

export interface LabelFact {
  key: string;
  value: string;
  keySpan: Span;
  valueSpan: Span;
}

export interface ServicePortFact {
  name?: string;
  port?: number;
  nameSpan?: Span;
  portSpan?: Span;
  /** targetPort when it is a name. */
  targetName?: string;
  targetSpan?: Span;
}

export interface ContainerPortFact {
  name: string;
  span: Span;
  container: string;
  port?: number;
}

/** A port named in a probe (httpGet.port: http). */
export interface NamedPortRef {
  name: string;
  span: Span;
  container: string;
}

export interface RbacRuleFact {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export interface SubjectFact {
  kind: string;
  name: string;
  namespace?: string;
  span: Span;
}

export interface CrdVersionFact {
  name: string;
  served: boolean;
  /** openAPIV3Schema as plain JSON. */
  schema?: unknown;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
}

export interface CrdFact {
  group: string;
  kind: string;
  plural?: string;
  scope?: string;
  versions: CrdVersionFact[];
}

export interface ObjectFacts {
  uri: string;
  apiVersion?: string;
  kind: string;
  name: string;
  /** The namespace, `default` when omitted (as kubectl does); '' for cluster-scoped kinds. */
  namespace: string;
  explicitNamespace: boolean;
  nameSpan?: Span;
  /** The whole object. */
  span: Span;
  /** The variant unit: the Helm chart, kustomization or folder the file belongs to. */
  unit: string;
  /** The object's section holds template expressions. */
  templated: boolean;
  labels: LabelFact[];
  /** Workloads: the labels of the pod template (or of the Pod itself). */
  podLabels?: LabelFact[];
  /** Service spec.selector, or a workload's spec.selector.matchLabels. */
  selector?: LabelFact[];
  /** The workload's selector has matchExpressions (overlap cannot be decided from labels alone). */
  selectorExpressions?: boolean;
  selectorSpan?: Span;
  /** Secret/ConfigMap keys (data, stringData, binaryData); `encoded`: under data/binaryData of a Secret, or binaryData (base64). Never values. */
  keys?: Array<{ key: string; span: Span; encoded?: boolean }>;
  /** The key list is not known (a kustomize generator reading env files). */
  keysUnknown?: boolean;
  servicePorts?: ServicePortFact[];
  containerPorts?: ContainerPortFact[];
  probePorts?: NamedPortRef[];
  refs: RefFact[];
  replicas?: number;
  images?: string[];
  rules?: RbacRuleFact[];
  aggregated?: boolean;
  /** An aggregated ClusterRole's aggregationRule.clusterRoleSelectors (a ClusterRole matching any of them gives its rules). */
  aggregationSelectors?: Array<{ matchLabels: Record<string, string>; matchExpressions: Array<{ key: string; operator: string; values: string[] }> }>;
  roleRef?: { kind: string; name: string };
  subjects?: SubjectFact[];
  crd?: CrdFact;
  /** A Secret's type. */
  secretType?: string;
  /** A Secret made by a controller from this custom resource (`Certificate web-tls`). */
  generatedBy?: string;
}

export interface FileFacts {
  uri: string;
  objects: ObjectFacts[];
}

export const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'PodTemplate']);

export { isClusterScoped };

// Strings that came out of the parser may be slices of the file's text and keep it alive; copy them into a pool.
const pool = new Map<string, string>();
export function intern(s: string): string {
  let v = pool.get(s);
  if (v === undefined) {
    v = s.length > 12 ? (JSON.parse(JSON.stringify(s)) as string) : s;
    if (pool.size < 1_000_000) pool.set(v, v);
  }
  return v;
}

/** The variant unit of a file: a chart root (…/templates/ → its parent), else its folder. */
export function unitOf(uri: string): string {
  const t = uri.lastIndexOf('/templates/');
  if (t >= 0) return intern(uri.slice(0, t));
  const slash = uri.lastIndexOf('/');
  return slash >= 0 ? intern(uri.slice(0, slash)) : '';
}

const factCache = new WeakMap<ManifestFile, FileFacts>();

/** The facts of a parsed file (cached per parse). */
export function extractFacts(file: ManifestFile): FileFacts {
  const cached = factCache.get(file);
  if (cached) return cached;
  const out: FileFacts = { uri: file.uri, objects: [] };
  if (!file.disabled) {
    const kustomization = isKustomization(file.uri);
    for (const section of file.sections) {
      // An edit changes one section of many: the others keep their facts, moved by the edit's length.
      const memo = kustomization ? undefined : sectionFacts.get(section.doc);
      if (memo && memo.uri === file.uri) {
        const delta = section.start - memo.start;
        for (const f of memo.objects) {
          if (delta === 0) {
            out.objects.push(f);
            continue;
          }
          const moved = shiftSpans(f, delta);
          const sig = signatures.get(f);
          if (sig !== undefined) signatures.set(moved, sig);
          out.objects.push(moved);
        }
        continue;
      }
      const objects: ObjectFacts[] = [];
      try {
        if (kustomization) {
          extractKustomization(file.uri, section, out);
          continue;
        }
        for (const obj of section.objects) {
          if (obj.kind && /List$/.test(obj.kind) && obj.basePath.length === 0) continue;
          if (configKindOf(obj)) continue; // a kubeconfig, kubelet configuration...: no object of the cluster
          const ex = new Extractor(file.uri, obj);
          const f = ex.run();
          if (f) objects.push(compact(f), ...ex.generated);
        }
      } catch {
        // half-typed or hostile input: keep what we have
      }
      sectionFacts.set(section.doc, { uri: file.uri, start: section.start, objects });
      out.objects.push(...objects);
    }
  }
  factCache.set(file, out);
  return out;
}

/** Facts of a section's objects, by its parsed document (shared while its text is unchanged). */
const sectionFacts = new WeakMap<object, { uri: string; start: number; objects: ObjectFacts[] }>();

/**
 * Facts with every span (`span`, `...Span`) moved by `delta`: a copy of what
 * holds spans, the rest shared (facts are never changed once extracted).
 */
function shiftSpans<T>(value: T, delta: number): T {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === null || typeof v !== 'object') continue;
      const moved = shiftSpans(v, delta);
      if (moved !== v) (out ??= value.slice())[i] = moved;
    }
    return (out ?? value) as T;
  }
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in obj) {
    const v = obj[k];
    if (v === null || typeof v !== 'object' || k === 'crd' || k === 'rules') continue; // no spans inside crd and rules; large (CRD schemas)
    const moved = (k === 'span' || k.endsWith('Span')) && Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' ? [v[0] + delta, (v[1] as number) + delta] : shiftSpans(v, delta);
    if (moved !== v) (out ??= { ...obj })[k] = moved;
  }
  return (out ?? obj) as T;
}

const signatures = new WeakMap<ObjectFacts, string>();

/** What of an object other files may depend on (positions left out), once per object and its moved copies. */
function objectSignature(o: ObjectFacts): string {
  let sig = signatures.get(o);
  if (sig === undefined) {
    sig = JSON.stringify([
      o.kind,
      o.namespace,
      o.name,
      o.keys?.map((k) => k.key),
      o.podLabels?.map((l) => `${l.key}=${l.value}`),
      o.labels.map((l) => `${l.key}=${l.value}`),
      o.selector?.map((l) => `${l.key}=${l.value}`),
      o.servicePorts?.map((p) => `${p.name}:${p.port}`),
      o.containerPorts?.map((p) => p.name),
      // whole, not their lengths: `type: string` -> `type: number` in a CRD keeps the length
      o.rules ?? null,
      o.aggregationSelectors ?? null,
      o.subjects?.map((s) => `${s.kind}/${s.namespace}/${s.name}`),
      o.roleRef?.name,
      o.crd ?? null,
    ]);
    signatures.set(o, sig);
  }
  return sig;
}

/**
 * True when what other files may depend on is the same in both (kinds, names,
 * labels, selectors, keys, ports, RBAC, CRDs; positions left out): when it is,
 * a change of the file need not re-check the files that refer to it.
 */
export function sameDependencies(a: FileFacts | undefined, b: FileFacts | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.objects.length !== b.objects.length) return false;
  for (let i = 0; i < a.objects.length; i++) if (a.objects[i] !== b.objects[i] && objectSignature(a.objects[i]) !== objectSignature(b.objects[i])) return false;
  return true;
}

const ARRAY_FIELDS = ['labels', 'podLabels', 'selector', 'keys', 'refs', 'servicePorts', 'containerPorts', 'probePorts', 'images', 'rules', 'subjects'] as const;

/** Arrays grown by push keep spare capacity: copy them to their exact size (the index holds many small ones). */
function compact(f: ObjectFacts): ObjectFacts {
  const o = f as unknown as Record<string, unknown[] | undefined>;
  for (const k of ARRAY_FIELDS) {
    const a = o[k];
    if (a) o[k] = a.slice();
  }
  return f;
}

function isKustomization(uri: string): boolean {
  return /\/kustomization\.ya?ml$/i.test(uri);
}

class Reader {
  constructor(readonly section: Section) {}
  get doc(): Document.Parsed {
    return this.section.doc;
  }
  deref(n: unknown): Node | undefined {
    let node = n as Node | null | undefined;
    for (let i = 0; node && isAlias(node) && i < 10; i++) node = resolveAlias(node, this.doc);
    return node ?? undefined;
  }
  get(n: unknown, ...path: Array<string | number>): Node | undefined {
    let node = this.deref(n);
    for (const seg of path) {
      if (!node) return undefined;
      if (typeof seg === 'number') node = isSeq(node) ? this.deref(node.items[seg]) : undefined;
      else node = isMap(node) ? this.deref(node.get(seg, true)) : undefined;
    }
    return node;
  }
  str(n: unknown, ...path: Array<string | number>): string | undefined {
    const node = this.get(n, ...path);
    if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
    const v = node.value;
    if (typeof v === 'string') return intern(v);
    if (typeof v === 'number' || typeof v === 'boolean') return intern(node.source ?? String(v));
    return undefined;
  }
  map(n: unknown, ...path: Array<string | number>): YAMLMap | undefined {
    const node = this.get(n, ...path);
    return isMap(node) ? (node as YAMLMap) : undefined;
  }
  items(n: unknown, ...path: Array<string | number>): Node[] {
    const node = this.get(n, ...path);
    return isSeq(node) ? (node.items.map((i) => this.deref(i)).filter(Boolean) as Node[]) : [];
  }
  pairs(n: unknown, ...path: Array<string | number>): Array<Pair<unknown, unknown>> {
    const m = this.map(n, ...path);
    return m ? m.items : [];
  }
  pairOf(n: unknown, key: string): Pair<unknown, unknown> | undefined {
    const m = this.deref(n);
    if (!isMap(m)) return undefined;
    return m.items.find((p) => isScalar(p.key) && p.key.value === key);
  }
  span(n: unknown): Span | undefined {
    const r = (n as Node | null | undefined)?.range;
    if (!r) return undefined;
    return [this.section.start + r[0], this.section.start + r[1]];
  }
  /** Span of the value of `key` in map `n` (the key's span when the value is empty). */
  valueSpan(n: unknown, key: string): Span | undefined {
    const p = this.pairOf(n, key);
    if (!p) return undefined;
    return this.span(p.value) ?? this.span(p.key);
  }
  strings(n: unknown, ...path: Array<string | number>): string[] {
    return this.items(n, ...path).map((i) => this.str(i)).filter((s): s is string => s !== undefined);
  }
  labels(n: unknown, ...path: Array<string | number>): LabelFact[] {
    const out: LabelFact[] = [];
    for (const p of this.pairs(n, ...path)) {
      if (!isScalar(p.key)) continue;
      const key = intern(String(p.key.value));
      const value = this.str(p.value) ?? '';
      const keySpan = this.span(p.key);
      if (!keySpan) continue;
      out.push({ key, value, keySpan, valueSpan: this.span(p.value) ?? [keySpan[1], keySpan[1]] });
    }
    return out;
  }
  num(n: unknown, ...path: Array<string | number>): number | undefined {
    const node = this.get(n, ...path);
    return isScalar(node) && typeof node.value === 'number' ? node.value : undefined;
  }
}

class Extractor {
  private r: Reader;
  private facts!: ObjectFacts;
  /** Secrets that controllers make from this object (cert-manager, sealed-secrets, external-secrets). */
  readonly generated: ObjectFacts[] = [];
  constructor(
    private readonly uri: string,
    private readonly obj: ManifestObject,
  ) {
    this.r = new Reader(obj.section);
  }

  run(): ObjectFacts | undefined {
    const { obj, r } = this;
    if (!obj.kind) return undefined;
    const kind = intern(obj.kind);
    const explicitNamespace = obj.namespace !== undefined && obj.namespace !== '';
    const namespace = isClusterScoped(kind) ? '' : intern(obj.namespace || 'default');
    const meta = r.map(obj.node, 'metadata');
    const span = r.span(obj.node) ?? [obj.section.start, obj.section.end];
    const f: ObjectFacts = {
      uri: this.uri,
      apiVersion: obj.apiVersion ? intern(obj.apiVersion) : undefined,
      kind,
      name: obj.name ? intern(obj.name) : '',
      namespace,
      explicitNamespace,
      nameSpan: meta ? r.valueSpan(meta, 'name') : undefined,
      span,
      unit: unitOf(this.uri),
      templated: obj.section.templated,
      labels: meta ? r.labels(meta, 'labels') : [],
      refs: [],
    };
    this.facts = f;
    switch (kind) {
      case 'Secret':
      case 'ConfigMap':
        f.keys = [];
        for (const field of ['data', 'stringData', 'binaryData']) {
          for (const p of r.pairs(obj.node, field)) {
            const s = r.span(p.key);
            const encoded = field === 'binaryData' || (field === 'data' && kind === 'Secret');
            if (isScalar(p.key) && s) f.keys.push(encoded ? { key: intern(String(p.key.value)), span: s, encoded } : { key: intern(String(p.key.value)), span: s });
          }
        }
        if (kind === 'Secret') f.secretType = r.str(obj.node, 'type');
        break;
      case 'Service':
        this.service();
        break;
      case 'Role':
      case 'ClusterRole':
        f.rules = r.items(obj.node, 'rules').map((rule) => ({
          apiGroups: r.strings(rule, 'apiGroups'),
          resources: r.strings(rule, 'resources'),
          verbs: r.strings(rule, 'verbs'),
          resourceNames: r.strings(rule, 'resourceNames'),
          nonResourceURLs: r.strings(rule, 'nonResourceURLs'),
        }));
        if (r.get(obj.node, 'aggregationRule')) {
          f.aggregated = true;
          f.aggregationSelectors = r.items(obj.node, 'aggregationRule', 'clusterRoleSelectors').map((sel) => ({
            matchLabels: Object.fromEntries(r.labels(sel, 'matchLabels').map((l) => [l.key, l.value])),
            matchExpressions: r.items(sel, 'matchExpressions').map((e) => ({ key: r.str(e, 'key') ?? '', operator: r.str(e, 'operator') ?? '', values: r.strings(e, 'values') })),
          }));
        }
        break;
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        this.binding();
        break;
      case 'Ingress':
        this.ingress();
        break;
      case 'CustomResourceDefinition':
        this.crd();
        break;
      default:
        break;
    }
    this.generatedSecrets();
    const podSpecPath = podSpecOf(kind);
    if (podSpecPath) this.workload(podSpecPath);
    return f;
  }

  /**
   * Custom resources whose controller creates a Secret: a cert-manager
   * Certificate (spec.secretName), a SealedSecret (its own name), an
   * ExternalSecret (spec.target.name, else its name). They define that Secret
   * for references; its keys are known where the resource says them.
   */
  private generatedSecrets(): void {
    const { r, obj, facts: f } = this;
    const group = f.apiVersion?.slice(0, f.apiVersion.lastIndexOf('/')) ?? '';
    let name: string | undefined;
    let nameSpan: Span | undefined;
    let keys: Array<{ key: string; span: Span }> | undefined;
    if (f.kind === 'Certificate' && group === 'cert-manager.io') {
      name = r.str(obj.node, 'spec', 'secretName');
      nameSpan = r.valueSpan(r.get(obj.node, 'spec'), 'secretName');
      keys = ['tls.crt', 'tls.key', 'ca.crt'].map((key) => ({ key, span: nameSpan ?? f.span }));
    } else if (f.kind === 'SealedSecret' && group === 'bitnami.com') {
      name = r.str(obj.node, 'spec', 'template', 'metadata', 'name') ?? f.name;
      nameSpan = f.nameSpan;
      keys = r.pairs(obj.node, 'spec', 'encryptedData').flatMap((p) => {
        const sp = r.span(p.key);
        return isScalar(p.key) && sp ? [{ key: intern(String(p.key.value)), span: sp }] : [];
      });
    } else if (f.kind === 'ExternalSecret' && group === 'external-secrets.io') {
      name = r.str(obj.node, 'spec', 'target', 'name') ?? f.name;
      nameSpan = r.valueSpan(r.get(obj.node, 'spec', 'target'), 'name') ?? f.nameSpan;
      keys = r.items(obj.node, 'spec', 'data').flatMap((d) => {
        const key = r.str(d, 'secretKey');
        const sp = r.valueSpan(d, 'secretKey');
        return key !== undefined && sp ? [{ key, span: sp }] : [];
      });
      if (r.items(obj.node, 'spec', 'dataFrom').length || r.get(obj.node, 'spec', 'target', 'template')) keys = undefined;
    } else return;
    if (!name) return;
    this.generated.push({
      uri: f.uri,
      kind: 'Secret',
      name,
      namespace: f.namespace,
      explicitNamespace: f.explicitNamespace,
      nameSpan,
      span: f.span,
      unit: f.unit,
      templated: f.templated,
      labels: [],
      refs: [],
      keys: keys ?? [],
      keysUnknown: keys === undefined || undefined,
      generatedBy: `${f.kind} ${f.name}`,
    });
  }

  private ref(target: RefTarget, holder: unknown, nameKey: string, via: string, extra: Partial<RefFact> = {}, namespace?: string): RefFact | undefined {
    const r = this.r;
    const name = r.str(holder, nameKey);
    const span = r.valueSpan(holder, nameKey);
    if (name === undefined || !span) return undefined;
    const ref: RefFact = {
      target,
      name,
      nameSpan: span,
      namespace: target === 'ClusterRole' ? '' : namespace ?? this.facts.namespace,
      explicitNamespace: namespace !== undefined || this.facts.explicitNamespace,
      via,
      ...extra,
    };
    if (name.includes('{{') || name.includes('$(')) ref.templated = true;
    if (r.get(holder, 'optional') && r.str(holder, 'optional') === 'true') ref.optional = true;
    this.facts.refs.push(ref);
    return ref;
  }

  private workload(specPath: string[]): void {
    const { r, obj, facts: f } = this;
    const templatePath = specPath.slice(0, -1);
    f.podLabels = f.kind === 'Pod' ? f.labels : r.labels(obj.node, ...templatePath, 'metadata', 'labels');
    if (f.kind !== 'Pod' && f.kind !== 'PodTemplate') {
      const sel = r.map(obj.node, ...(f.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec'] : ['spec']), 'selector');
      if (sel) {
        f.selectorSpan = r.span(sel);
        if (f.kind === 'ReplicationController') f.selector = r.labels(sel);
        else {
          f.selector = r.labels(sel, 'matchLabels');
          if (r.items(sel, 'matchExpressions').length) f.selectorExpressions = true;
        }
      }
    }
    f.replicas = r.num(obj.node, 'spec', 'replicas');
    const spec = r.get(obj.node, ...specPath);
    if (!isMap(spec)) return;
    const sa = r.str(spec, 'serviceAccountName') !== undefined ? 'serviceAccountName' : r.str(spec, 'serviceAccount') !== undefined ? 'serviceAccount' : undefined;
    if (sa) this.ref('ServiceAccount', spec, sa, sa);
    for (const ps of r.items(spec, 'imagePullSecrets')) this.ref('Secret', ps, 'name', 'imagePullSecrets');
    for (const v of r.items(spec, 'volumes')) {
      const secret = r.map(v, 'secret');
      if (secret) {
        const ref = this.ref('Secret', secret, 'secretName', 'volume');
        for (const it of r.items(secret, 'items')) this.keyRef('Secret', ref?.name, it, 'volume items', ref?.optional);
      }
      const cm = r.map(v, 'configMap');
      if (cm) {
        const ref = this.ref('ConfigMap', cm, 'name', 'volume');
        for (const it of r.items(cm, 'items')) this.keyRef('ConfigMap', ref?.name, it, 'volume items', ref?.optional);
      }
      for (const src of r.items(v, 'projected', 'sources')) {
        const ps = r.map(src, 'secret');
        if (ps) {
          const ref = this.ref('Secret', ps, 'name', 'projected volume');
          for (const it of r.items(ps, 'items')) this.keyRef('Secret', ref?.name, it, 'volume items', ref?.optional);
        }
        const pc = r.map(src, 'configMap');
        if (pc) {
          const ref = this.ref('ConfigMap', pc, 'name', 'projected volume');
          for (const it of r.items(pc, 'items')) this.keyRef('ConfigMap', ref?.name, it, 'volume items', ref?.optional);
        }
      }
    }
    const images: string[] = [];
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const c of r.items(spec, field)) {
        const cname = r.str(c, 'name') ?? '';
        const image = r.str(c, 'image');
        if (image && field === 'containers') images.push(image);
        for (const env of r.items(c, 'env')) {
          const skr = r.map(env, 'valueFrom', 'secretKeyRef');
          if (skr) this.refWithKey('Secret', skr, 'secretKeyRef');
          const ckr = r.map(env, 'valueFrom', 'configMapKeyRef');
          if (ckr) this.refWithKey('ConfigMap', ckr, 'configMapKeyRef');
        }
        for (const ef of r.items(c, 'envFrom')) {
          const sr = r.map(ef, 'secretRef');
          if (sr) this.ref('Secret', sr, 'name', 'envFrom');
          const cr = r.map(ef, 'configMapRef');
          if (cr) this.ref('ConfigMap', cr, 'name', 'envFrom');
        }
        for (const p of r.items(c, 'ports')) {
          const name = r.str(p, 'name');
          const span = r.valueSpan(p, 'name');
          if (name && span) (this.facts.containerPorts ??= []).push({ name, span, container: cname, port: r.num(p, 'containerPort') });
        }
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
            const h = r.map(c, probe, handler);
            const port = h ? r.get(h, 'port') : undefined;
            if (h && isScalar(port) && typeof port.value === 'string' && !/^\d+$/.test(port.value)) {
              const span = r.span(port);
              if (span) (this.facts.probePorts ??= []).push({ name: intern(port.value), span, container: cname });
            }
          }
        }
      }
    }
    if (images.length) this.facts.images = images;
  }

  private refWithKey(target: RefTarget, holder: YAMLMap, via: string): void {
    const r = this.r;
    const key = r.str(holder, 'key');
    const keySpan = r.valueSpan(holder, 'key');
    const extra: Partial<RefFact> = key !== undefined && keySpan ? { key, keySpan } : {};
    this.ref(target, holder, 'name', via, extra);
  }

  private keyRef(target: RefTarget, name: string | undefined, item: Node, via: string, optional?: boolean): void {
    const r = this.r;
    if (name === undefined) return;
    const key = r.str(item, 'key');
    const keySpan = r.valueSpan(item, 'key');
    if (key === undefined || !keySpan) return;
    // A key-only reference: the name's span is the key's (the name itself is already referenced).
    this.facts.refs.push({ target, name, nameSpan: keySpan, namespace: this.facts.namespace, explicitNamespace: this.facts.explicitNamespace, key, keySpan, via, optional, templated: name.includes('{{') || undefined, keyOnly: true });
  }

  private service(): void {
    const { r, obj, facts: f } = this;
    const sel = r.map(obj.node, 'spec', 'selector');
    if (sel) {
      f.selector = r.labels(sel);
      f.selectorSpan = r.span(sel);
    }
    f.servicePorts = r.items(obj.node, 'spec', 'ports').map((p) => {
      const sp: ServicePortFact = { name: r.str(p, 'name'), port: r.num(p, 'port'), nameSpan: r.valueSpan(p, 'name'), portSpan: r.valueSpan(p, 'port') };
      const tp = r.get(p, 'targetPort');
      if (isScalar(tp) && typeof tp.value === 'string' && !/^\d+$/.test(tp.value)) {
        sp.targetName = intern(tp.value);
        sp.targetSpan = r.span(tp);
      }
      return sp;
    });
  }

  private binding(): void {
    const { r, obj, facts: f } = this;
    const roleRef = r.map(obj.node, 'roleRef');
    if (roleRef) {
      const kind = r.str(roleRef, 'kind') ?? 'Role';
      const name = r.str(roleRef, 'name');
      if (name !== undefined) f.roleRef = { kind, name };
      if (kind === 'Role' || kind === 'ClusterRole') this.ref(kind, roleRef, 'name', 'roleRef');
    }
    f.subjects = [];
    for (const s of r.items(obj.node, 'subjects')) {
      const kind = r.str(s, 'kind');
      const name = r.str(s, 'name');
      const span = r.valueSpan(s, 'name');
      if (!kind || name === undefined || !span) continue;
      const ns = r.str(s, 'namespace');
      f.subjects.push({ kind, name, namespace: ns, span });
      if (kind === 'ServiceAccount') {
        const explicit = ns ?? (f.kind === 'RoleBinding' ? undefined : 'default');
        this.ref('ServiceAccount', s, 'name', 'subject', {}, explicit ?? f.namespace);
      }
    }
  }

  private ingress(): void {
    const { r, obj } = this;
    const backends: Node[] = [];
    const db = r.get(obj.node, 'spec', 'defaultBackend');
    if (db) backends.push(db);
    for (const rule of r.items(obj.node, 'spec', 'rules')) {
      for (const p of r.items(rule, 'http', 'paths')) {
        const b = r.get(p, 'backend');
        if (b) backends.push(b);
      }
    }
    for (const b of backends) {
      const svc = r.map(b, 'service');
      if (svc) {
        const port = r.map(svc, 'port');
        const extra: Partial<RefFact> = {};
        if (port) {
          const pname = r.str(port, 'name') !== undefined ? 'name' : r.str(port, 'number') !== undefined ? 'number' : undefined;
          if (pname) {
            extra.port = r.str(port, pname);
            extra.portSpan = r.valueSpan(port, pname);
          }
        }
        this.ref('Service', svc, 'name', 'Ingress backend', extra);
      } else if (r.str(b, 'serviceName') !== undefined) {
        const extra: Partial<RefFact> = {};
        if (r.str(b, 'servicePort') !== undefined) {
          extra.port = r.str(b, 'servicePort');
          extra.portSpan = r.valueSpan(b, 'servicePort');
        }
        this.ref('Service', b, 'serviceName', 'Ingress backend', extra);
      }
    }
    for (const tls of r.items(obj.node, 'spec', 'tls')) this.ref('Secret', tls, 'secretName', 'Ingress tls', { optional: true });
  }

  private crd(): void {
    const { r, obj } = this;
    const spec = r.map(obj.node, 'spec');
    if (!spec) return;
    const group = r.str(spec, 'group');
    const kind = r.str(spec, 'names', 'kind');
    if (!group || !kind) return;
    const versions: CrdVersionFact[] = [];
    const common = r.get(spec, 'validation', 'openAPIV3Schema');
    const list = r.items(spec, 'versions');
    if (list.length) {
      for (const v of list) {
        const name = r.str(v, 'name');
        if (!name) continue;
        const served = r.str(v, 'served') !== 'false';
        const schema = r.get(v, 'schema', 'openAPIV3Schema') ?? common;
        const fact: CrdVersionFact = { name, served, schema: schema ? plain(schema, r.doc) : undefined };
        const flag = (key: string): boolean => {
          const n = r.get(v, key);
          return isScalar(n) && n.value === true;
        };
        if (flag('storage')) fact.storage = true;
        if (flag('deprecated')) fact.deprecated = true;
        const warning = r.str(v, 'deprecationWarning');
        if (warning) fact.deprecationWarning = warning;
        versions.push(fact);
      }
    } else {
      const name = r.str(spec, 'version');
      if (name) versions.push({ name, served: true, schema: common ? plain(common, r.doc) : undefined });
    }
    this.facts.crd = { group, kind, plural: r.str(spec, 'names', 'plural'), scope: r.str(spec, 'scope'), versions };
  }
}

function podSpecOf(kind: string): string[] | undefined {
  return podSpecPaths(kind)[0] as string[] | undefined;
}

/** A node as plain JSON (aliases followed), with a generous budget for big CRD schemas. */
function plain(node: Node | null | undefined, doc: Document.Parsed, budget = { n: 2_000_000 }, depth = 0): unknown {
  if (!node || budget.n-- <= 0 || depth > 200) return undefined;
  if (isAlias(node)) return plain(resolveAlias(node, doc), doc, budget, depth + 1);
  if (isScalar(node)) return typeof node.value === 'string' ? intern(node.value) : node.value;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const p of (node as YAMLMap).items) {
      if (!isScalar(p.key)) continue;
      out[String(p.key.value)] = plain(p.value as Node, doc, budget, depth + 1);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((i) => plain(i as Node, doc, budget, depth + 1));
  return undefined;
}

/** kustomization.yaml: configMapGenerator / secretGenerator define ConfigMaps and Secrets by name. */
function extractKustomization(uri: string, section: Section, out: FileFacts): void {
  const r = new Reader(section);
  const root = section.doc.contents;
  if (!isMap(root)) return;
  const namespace = r.str(root, 'namespace');
  for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
    for (const g of r.items(root, field)) {
      const name = r.str(g, 'name');
      if (!name) continue;
      const keys: Array<{ key: string; span: Span }> = [];
      let unknown = r.items(g, 'envs').length > 0 || r.str(g, 'env') !== undefined;
      for (const lit of r.items(g, 'literals')) {
        const s = r.str(lit);
        const span = r.span(lit);
        if (s && span) {
          const eq = s.indexOf('=');
          keys.push({ key: intern(eq >= 0 ? s.slice(0, eq) : s), span: [span[0], span[0] + Math.max(eq, 0) + (/^["']/.test(section.text.slice(span[0] - section.start)) ? 1 : 0)] });
        }
      }
      for (const f of r.items(g, 'files')) {
        const s = r.str(f);
        const span = r.span(f);
        if (!s || !span) continue;
        const eq = s.indexOf('=');
        const key = eq >= 0 ? s.slice(0, eq) : s.slice(s.lastIndexOf('/') + 1);
        keys.push({ key: intern(key), span });
      }
      if (r.strings(g, 'envs').length) unknown = true;
      out.objects.push({
        uri,
        kind,
        name,
        namespace: intern(r.str(g, 'namespace') ?? namespace ?? 'default'),
        explicitNamespace: Boolean(r.str(g, 'namespace') ?? namespace),
        nameSpan: r.valueSpan(g, 'name'),
        span: r.span(g) ?? [section.start, section.end],
        unit: unitOf(uri),
        templated: false,
        labels: [],
        refs: [],
        keys,
        keysUnknown: unknown || undefined,
      });
    }
  }
}
