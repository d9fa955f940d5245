/**
 * Pods inside workloads: their containers, their template labels, and the
 * other objects of the same file that point at them (Services by selector,
 * HorizontalPodAutoscalers by scaleTargetRef).
 *
 * Cross-object lookups only look at the same file: what a user sees in one
 * editor is what these rules reason about.
 */
import { isMap, isScalar, ManifestFile, ManifestObject, Node, Path, YAMLMap } from '../../model/manifest';
import { podSpecPaths, podTemplatePath, RuleContext, toPlain, objectsOfFile, plainObject } from '../engine';

export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  /** The container's map node. */
  node: YAMLMap;
  /** Path from the object's root to the container. */
  path: Path;
  /** Path of the pod spec holding it. */
  specPath: Path;
  group: ContainerGroup;
  name: string | undefined;
  /** An init container with `restartPolicy: Always` (a sidecar): it runs for the pod's whole life. */
  sidecar: boolean;
}

export const CONTAINER_GROUPS: ContainerGroup[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** Every container of every pod spec of the object, in document order per group. */
export function containersOf(ctx: RuleContext, groups: ContainerGroup[] = CONTAINER_GROUPS): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const specPath of podSpecPaths(ctx.kind)) {
    for (const group of groups) {
      ctx.items([...specPath, group]).forEach((node, i) => {
        if (!isMap(node)) return;
        out.push({
          node,
          path: [...specPath, group, i],
          specPath,
          group,
          name: ctx.str(['name'], node),
          sidecar: group === 'initContainers' && ctx.str(['restartPolicy'], node) === 'Always',
        });
      });
    }
  }
  return out;
}

/** A plain JS view of another object of the file (cached per parsed node). */
export function plainOf(obj: ManifestObject): Record<string, unknown> {
  return plainObject(obj);
}

export function get(v: unknown, path: Path): unknown {
  let cur = v;
  for (const seg of path) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}

/** A string map (labels, a Service selector) as strings; non-maps give {}. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === null || val === undefined) out[k] = '';
    else if (typeof val !== 'object') out[k] = String(val);
  }
  return out;
}

/** The pod specs of another object of the file, as plain JS. */
export function podSpecsOfPlain(obj: ManifestObject): unknown[] {
  return podSpecPaths(obj.kind).map((p) => get(plainOf(obj), p)).filter((s) => s && typeof s === 'object');
}

/** Template labels of a workload object (plain). */
export function templateLabelsOf(obj: ManifestObject): Record<string, string> | undefined {
  const t = podTemplatePath(obj.kind);
  if (!t) return undefined;
  return stringMap(get(plainOf(obj), [...t, 'metadata', 'labels']));
}

/** Whether a Service-style selector (a plain map, all pairs must match) selects these labels. A missing or empty selector selects nothing here. */
export function mapSelects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => k in labels && labels[k] === selector[k]);
}

/** A LabelSelector (matchLabels + matchExpressions) against labels; undefined when the selector cannot be evaluated. */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean | undefined {
  if (!selector || typeof selector !== 'object' || Array.isArray(selector)) return undefined;
  const s = selector as Record<string, unknown>;
  const ml = stringMap(s.matchLabels);
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions)) return undefined;
    for (const e of s.matchExpressions) {
      const r = expressionMatches(e, labels);
      if (r === undefined) return undefined;
      if (!r) return false;
    }
  }
  return true;
}

export function expressionMatches(e: unknown, labels: Record<string, string>): boolean | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const { key, operator, values } = e as { key?: unknown; operator?: unknown; values?: unknown };
  if (typeof key !== 'string') return undefined;
  const vals = Array.isArray(values) ? values.map((v) => String(v)) : [];
  const has = key in labels;
  switch (operator) {
    case 'In':
      return has && vals.includes(labels[key]);
    case 'NotIn':
      return !has || !vals.includes(labels[key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return undefined;
  }
}

export { objectsOfFile };

function sameNamespace(a: ManifestObject, b: ManifestObject): boolean {
  return !a.namespace || !b.namespace || a.namespace === b.namespace;
}

interface Indexed<T> {
  obj: ManifestObject;
  /** Position in the file, to answer in file order. */
  at: number;
  map: T;
}
interface FileIndex {
  /** Services by the first `key=value` of their selector (a selector selects labels only if they hold that pair). */
  servicesByPair: Map<string, Array<Indexed<Record<string, string>>>>;
  /** Workloads by every `key=value` of their pod template labels. */
  workloadsByPair: Map<string, Array<Indexed<Record<string, string>>>>;
  /** HorizontalPodAutoscalers by the `kind/name` of their scaleTargetRef. */
  autoscalersByTarget: Map<string, ManifestObject[]>;
}
const fileIndexes = new WeakMap<ManifestFile, FileIndex>();
const pairKey = (k: string, v: string): string => `${k}\u0000${v}`;
function pushTo<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

/**
 * Services (by selector), workloads (by template labels) and autoscalers (by
 * target) of a file, computed once per parse, so that each lookup touches only
 * the objects that can match: scanning every object for every object was
 * quadratic (15 s for a 5 MB file).
 */
function fileIndex(file: ManifestFile): FileIndex {
  let idx = fileIndexes.get(file);
  if (!idx) {
    idx = { servicesByPair: new Map(), workloadsByPair: new Map(), autoscalersByTarget: new Map() };
    // `at` counts as objectsOfFile does: the objects of the sections that are not templated.
    let at = 0;
    for (const section of file.sections) {
      if (section.templated) continue;
      for (const e of entriesOf(section)) {
        const o = section.objects[e.i];
        if (e.service) pushTo(idx.servicesByPair, e.service[0], { obj: o, at: at + e.i, map: e.service[1] });
        else if (e.target) pushTo(idx.autoscalersByTarget, e.target, o);
        else if (e.labels) for (const [k, v] of Object.entries(e.labels)) pushTo(idx.workloadsByPair, pairKey(k, v), { obj: o, at: at + e.i, map: e.labels });
      }
      at += section.objects.length;
    }
    fileIndexes.set(file, idx);
  }
  return idx;
}

/** What one object of a section adds to the file index, by its position in the section. */
interface SectionEntry {
  i: number;
  /** A Service: the key of its selector's first pair, and the selector. */
  service?: [string, Record<string, string>];
  /** An HPA: the key of its target. */
  target?: string;
  /** A workload: its pod template labels. */
  labels?: Record<string, string>;
}
/** Per parsed document (shared while the section's text is unchanged): an edit recomputes one section's entries, not the file's. */
const sectionEntries = new WeakMap<object, SectionEntry[]>();
function entriesOf(section: ManifestFile['sections'][number]): SectionEntry[] {
  let entries = sectionEntries.get(section.doc);
  if (!entries) {
    entries = [];
    section.objects.forEach((o, i) => {
      if (o.kind === 'Service') {
        const selector = stringMap(get(plainOf(o), ['spec', 'selector']));
        const first = Object.keys(selector)[0];
        if (first !== undefined) entries!.push({ i, service: [pairKey(first, selector[first]), selector] });
      } else if (o.kind === 'HorizontalPodAutoscaler') {
        const ref = get(plainOf(o), ['spec', 'scaleTargetRef']) as Record<string, unknown> | undefined;
        if (ref && typeof ref.kind === 'string' && typeof ref.name === 'string') entries!.push({ i, target: pairKey(ref.kind, ref.name) });
      } else if (podTemplatePath(o.kind)) {
        entries!.push({ i, labels: templateLabelsOf(o) ?? {} });
      }
    });
    sectionEntries.set(section.doc, entries);
  }
  return entries;
}

/** Services of the same file (and namespace, when both say) whose selector selects these labels. */
export function servicesSelecting(file: ManifestFile, self: ManifestObject, labels: Record<string, string>): ManifestObject[] {
  const byPair = fileIndex(file).servicesByPair;
  const hits: Array<Indexed<Record<string, string>>> = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const s of byPair.get(pairKey(k, v)) ?? []) if (s.obj !== self && sameNamespace(s.obj, self) && mapSelects(s.map, labels)) hits.push(s);
  }
  return hits.sort((a, b) => a.at - b.at).map((s) => s.obj);
}

/** Workloads of the same file whose pod template labels a Service selector selects. */
export function workloadsSelectedBy(file: ManifestFile, service: ManifestObject, selector: Record<string, string>): ManifestObject[] {
  const first = Object.keys(selector)[0];
  if (first === undefined) return [];
  const candidates = fileIndex(file).workloadsByPair.get(pairKey(first, selector[first])) ?? [];
  return candidates.filter((w) => w.obj !== service && sameNamespace(w.obj, service) && mapSelects(selector, w.map)).map((w) => w.obj);
}

/** HorizontalPodAutoscalers of the same file whose scaleTargetRef names this object. */
export function autoscalersTargeting(file: ManifestFile, self: ManifestObject): ManifestObject[] {
  if (!self.name || !self.kind) return [];
  return (fileIndex(file).autoscalersByTarget.get(pairKey(self.kind, self.name)) ?? []).filter((o) => sameNamespace(o, self));
}

/** The value of a scalar node as written (`http`, `8080`), or undefined. */
export function scalarText(node: Node | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return typeof node.value === 'string' ? node.value : node.source ?? String(node.value);
}

/** IANA_SVC_NAME (container port names, named targetPorts and probe ports): the problem in words, or undefined when valid. */
export function ianaPortNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'must be at most 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return 'may contain only lowercase letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not start or end with "-"';
  if (name.includes('--')) return 'must not contain "--"';
  return undefined;
}

/** Port names a container declares. */
export function containerPortNames(ctx: RuleContext, container: Node): Set<string> {
  const out = new Set<string>();
  for (const p of ctx.items(['ports'], container)) {
    const n = ctx.str(['name'], p);
    if (n) out.add(n);
  }
  return out;
}
