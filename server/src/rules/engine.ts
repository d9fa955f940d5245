/**
 * The rule engine: rule metadata, the context a rule family checks an object
 * with, and helpers to read an object's fields and to place a problem on the
 * exact key or value.
 *
 * A rule family is one file under rules/ exporting a `RuleFamily`: the metadata
 * of every rule id it can report and one `check` function per object. The
 * engine decides severity (defaults, settings, suppressions), never the family.
 */
import { Document } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, ManifestFile, ManifestObject, Node, nodeRange, Pair, Path, resolveAlias, YAMLMap } from '../model/manifest';
import { SchemaStore } from '../schema/schemaStore';
import { Problem, Settings, Severity } from '../types';
import { ruleMeta } from './index';
import { podSpecPaths, podTemplatePath } from '../model/kinds';

export interface RuleMeta {
  /** Stable id, kebab-case: `job-restart-policy`. */
  id: string;
  severity: Severity;
  /** One line: what the rule checks. */
  title: string;
  /** Why it matters, in a sentence or two. */
  why: string;
  /** A manifest fragment that fails the rule. */
  bad?: string;
  /** The same fragment fixed. */
  good?: string;
  /** kube-linter check names that map to this rule (their ignore annotations are honoured). */
  kubeLinter?: string[];
  /** Rule families under "schema" run on every kind; others say which kinds they look at. */
  kinds?: string[];
}

export interface RuleFamily {
  name: string;
  rules: RuleMeta[];
  check(ctx: RuleContext): void;
}

/** Where a problem goes: a node, a map pair, a path from the object's root, or an absolute offset range. */
export type Target = Node | Pair<unknown, unknown> | Path | { start: number; end: number } | null | undefined;

const fileObjectsCache = new WeakMap<ManifestFile, ManifestObject[]>();

/**
 * Every object of a file outside Helm-templated sections, computed once per parse.
 * Rules that look at other objects of the file (a Service selecting this
 * Deployment, an HPA targeting it) use this; the validator re-checks a section
 * when the facts those rules read change (see `crossSectionFingerprint`).
 */
export function objectsOfFile(file: ManifestFile): ManifestObject[] {
  let list = fileObjectsCache.get(file);
  if (!list) {
    list = file.sections.flatMap((s) => (s.templated ? [] : s.objects));
    fileObjectsCache.set(file, list);
  }
  return list;
}

const plainObjects = new WeakMap<object, Record<string, unknown>>();

/** An object as plain JS (aliases and merge keys followed, the last duplicate key wins), once per parsed node. */
export function plainObject(obj: ManifestObject): Record<string, unknown> {
  let v = plainObjects.get(obj.node);
  if (v === undefined) {
    v = (toPlain(obj.node, obj.section.doc) ?? {}) as Record<string, unknown>;
    plainObjects.set(obj.node, v);
  }
  return v;
}

const sectionFingerprints = new WeakMap<object, string>();
const fileFingerprints = new WeakMap<ManifestFile, string>();

/**
 * What rules may read from other sections of a file: kinds, names, namespaces,
 * labels, pod template labels, selectors, scale targets. Problems cached for a
 * section stay valid while this string is unchanged.
 */
export function crossSectionFingerprint(file: ManifestFile): string {
  let fp = fileFingerprints.get(file);
  if (fp !== undefined) return fp;
  const parts: string[] = [];
  for (const section of file.sections) {
    let s = sectionFingerprints.get(section.doc);
    if (s === undefined) {
      s = section.objects
        .map((o) => {
          // Read as the rules read (plain values: aliases and merge keys followed, the last of duplicate keys wins).
          const root = plainObject(o);
          const get = (path: Path): unknown => {
            let v: unknown = root;
            for (const seg of path) v = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[String(seg)] : undefined;
            return v;
          };
          const at = (path: Path) => {
            const v = get(path);
            return v === undefined ? '' : JSON.stringify(v);
          };
          const tpl = podTemplatePath(o.kind);
          let ports = '';
          if (tpl) {
            const spec = podSpecPaths(o.kind)[0];
            const containers: unknown[] = [];
            for (const group of ['containers', 'initContainers']) {
              const list = get([...spec, group]);
              if (Array.isArray(list)) containers.push(...list);
            }
            {
              ports = containers
                .flatMap((c) => (c && typeof c === 'object' && Array.isArray((c as { ports?: unknown }).ports) ? ((c as { ports: unknown[] }).ports as Array<Record<string, unknown>>) : []))
                // the whole port (a misspelt `nmae:` included: the Service's target port check reads it)
                .map((p) => JSON.stringify(p ?? null))
                .join(',');
            }
          }
          const servicePorts = o.kind === 'Service' ? at(['spec', 'ports']) : '';
          return [o.kind, o.apiVersion, o.namespace, o.name, at(['metadata', 'labels']), at(['spec', 'selector']), tpl ? at([...tpl, 'metadata', 'labels']) : '', ports, servicePorts, at(['spec', 'scaleTargetRef'])].join('\u0001');
        })
        .join('\u0002');
      sectionFingerprints.set(section.doc, s);
    }
    parts.push(section.templated ? '' : s);
  }
  fp = parts.join('\u0003');
  fileFingerprints.set(file, fp);
  return fp;
}

/**
 * A field whose absence a problem reports. With `value`, the problem looked for a field with this
 * value (a volume named "config"): only a typo that wrote this very value explains it.
 */
export type AbsentField = Path | { path: Path; value: string };

/** What a problem is about, for telling consequences of a typo from the problems to fix (rules/consequences.ts). */
export interface ProblemBasis {
  /** The path the problem was reported at (when it was reported at a path). */
  at?: Path;
  /** Fields whose absence the problem reports (a missing required field, a "needs X" rule). */
  absent?: AbsentField[];
}

/** A field absent only because of a misspelled or misplaced key. */
export interface AbsentByMistake {
  /** From the object's root; `'*'` stands for any list index. */
  path: Path;
  /** The scalar value written under the misspelled key (`nmae: config` -> "config"), if any. */
  written?: string;
}

/** Everything a rule family needs to check one object. */
export class RuleContext {
  readonly problems: Problem[] = [];
  /**
   * Paths the object lacks only because of a mistake the schema family reports: a misspelled key
   * ("did you mean `ports`" marks spec.ports) or a misplaced one ("belongs under spec.template.spec"
   * marks the first missing step, spec.template). `'*'` stands for any list index.
   */
  readonly absentByMistake: AbsentByMistake[] = [];
  private readonly bases = new WeakMap<Problem, ProblemBasis>();
  constructor(
    readonly file: ManifestFile,
    readonly obj: ManifestObject,
    readonly store: SchemaStore,
    readonly settings: Settings,
  ) {}

  get kind(): string | undefined {
    return this.obj.kind;
  }
  /** Every object of the file (for rules that relate objects: Services and workloads, HPAs). */
  get fileObjects(): ManifestObject[] {
    return objectsOfFile(this.file);
  }
  get apiVersion(): string | undefined {
    return this.obj.apiVersion;
  }
  get doc(): Document.Parsed {
    return this.obj.section.doc;
  }

  /** The node at a path from the object's root (aliases followed). */
  node(path: Path, from: Node | null | undefined = this.obj.node): Node | undefined {
    let node: Node | null | undefined = this.deref(from);
    for (const seg of path) {
      if (!node) return undefined;
      if (typeof seg === 'number') {
        if (!isSeq(node)) return undefined;
        node = this.deref(node.items[seg] as Node | undefined);
      } else {
        if (!isMap(node)) return undefined;
        node = this.deref(node.get(seg, true) as Node | undefined);
      }
    }
    return node ?? undefined;
  }

  /** Follows an alias to its anchor. */
  deref(node: Node | null | undefined): Node | undefined {
    for (let i = 0; node && isAlias(node) && i < 10; i++) node = resolveAlias(node, this.doc);
    return node ?? undefined;
  }

  /** The plain value at a path: a scalar's value, or a map/seq as JS (bounded). */
  value(path: Path, from?: Node | null): unknown {
    const n = this.node(path, from);
    return n === undefined ? undefined : toPlain(n, this.doc);
  }

  /** A scalar string at a path (numbers and booleans as written), or undefined. */
  str(path: Path, from?: Node | null): string | undefined {
    const n = this.node(path, from);
    if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
    return typeof n.value === 'string' ? n.value : n.source ?? String(n.value);
  }

  /** A number at a path, or undefined when absent or not a number. */
  num(path: Path, from?: Node | null): number | undefined {
    const n = this.node(path, from);
    return isScalar(n) && typeof n.value === 'number' ? n.value : undefined;
  }

  /** The items of a sequence at a path (empty when absent). */
  items(path: Path, from?: Node | null): Node[] {
    const n = this.node(path, from);
    return isSeq(n) ? (n.items.map((i) => this.deref(i as Node)).filter(Boolean) as Node[]) : [];
  }

  /** The pairs of a map at a path (empty when absent). */
  pairs(path: Path, from?: Node | null): Array<Pair<unknown, unknown>> {
    const n = this.node(path, from);
    return isMap(n) ? n.items : [];
  }

  /** The map pair whose value is at `path` (so a problem can sit on its key). */
  pair(path: Path, from?: Node | null): Pair<unknown, unknown> | undefined {
    if (!path.length) return undefined;
    const parent = this.node(path.slice(0, -1), from);
    const last = path[path.length - 1];
    if (!isMap(parent) || typeof last !== 'string') return undefined;
    return parent.items.find((p) => isScalar(p.key) && p.key.value === last);
  }

  has(path: Path, from?: Node | null): boolean {
    const parent = this.node(path.slice(0, -1), from);
    const last = path[path.length - 1];
    return isMap(parent) && typeof last === 'string' && parent.has(last);
  }

  /** Absolute range of a target. A path that does not exist falls back to its nearest existing parent's key. */
  rangeOf(target: Target, where: 'key' | 'value' | 'pair' = 'value'): [number, number] {
    const section = this.obj.section;
    if (target && !Array.isArray(target) && 'start' in target && typeof target.start === 'number') {
      return [target.start, (target as { end: number }).end];
    }
    if (Array.isArray(target)) {
      const path = target as Path;
      for (let n = path.length; n > 0; n--) {
        const sub = path.slice(0, n);
        const p = this.pair(sub);
        const node = this.node(sub);
        if (p && (where === 'key' || n < path.length || node === undefined || (isScalar(node) && node.value === null))) {
          const r = nodeRange(section, p.key as Node);
          if (r) return r;
        }
        if (node) {
          // A list item (no key of its own): point at its first key rather than the whole item.
          if (!p && where === 'key' && isMap(node) && node.items.length) {
            const r = nodeRange(section, node.items[0].key as Node);
            if (r) return r;
          }
          const r = nodeRange(section, node);
          if (r) return where === 'pair' && p ? nodeRange(section, p) ?? r : r;
        }
      }
      return this.firstKeyRange();
    }
    if (target && isPair(target)) {
      const r = nodeRange(section, where === 'value' ? ((target.value as Node) ?? (target.key as Node)) : where === 'key' ? (target.key as Node) : target);
      if (r) return r;
    } else if (target) {
      const r = nodeRange(section, target as Node);
      if (r) return r;
    }
    return this.firstKeyRange();
  }

  private firstKeyRange(): [number, number] {
    const section = this.obj.section;
    const kindPair = this.obj.node.items.find((p) => isScalar(p.key) && p.key.value === 'kind') ?? this.obj.node.items[0];
    return (kindPair && nodeRange(section, kindPair.key as Node)) ?? [section.start, section.start];
  }

  /**
   * Reports a problem. `severity` overrides the rule's default (the user's settings still win).
   * `absent` names the fields (paths from the object's root) whose absence the problem is about:
   * when one of them, or a field below it, is absent only because of a misspelled or misplaced key,
   * the problem is a consequence of that mistake and is not shown (rules/consequences.ts).
   */
  report(code: string, target: Target, message: string, opts: { where?: 'key' | 'value' | 'pair'; severity?: Severity; data?: Record<string, unknown>; unnecessary?: boolean; absent?: AbsentField[] } = {}): void {
    const [start, end] = this.rangeOf(target, opts.where);
    const problem: Problem = { start, end, code, message, severity: opts.severity ?? ruleMeta(code)?.severity ?? 'warning' };
    if (opts.data) problem.data = opts.data;
    if (opts.unnecessary) problem.unnecessary = true;
    this.problems.push(problem);
    const at = Array.isArray(target) ? (target as Path).slice() : undefined;
    if (at || opts.absent) this.bases.set(problem, { at, absent: opts.absent });
  }

  /** What a reported problem is about (see `report`). */
  basisOf(problem: Problem): ProblemBasis | undefined {
    return this.bases.get(problem);
  }

  /** Records that `path` is absent only because of a misspelled or misplaced key (the schema family calls this). */
  markAbsentByMistake(path: Path, written?: string): void {
    this.absentByMistake.push(written === undefined ? { path: path.slice() } : { path: path.slice(), written });
  }
}

/** A node as plain JS, following aliases but never more than `budget` nodes (alias bombs). */
export function toPlain(node: Node | null | undefined, doc: Document.Parsed, budget = { n: 10000 }, depth = 0): unknown {
  if (!node || budget.n-- <= 0 || depth > 100) return undefined;
  if (isAlias(node)) return toPlain(resolveAlias(node, doc), doc, budget, depth + 1);
  if (isScalar(node)) return node.value;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const p of (node as YAMLMap).items) {
      const k = isScalar(p.key) ? String(p.key.value) : undefined;
      if (k === undefined) continue;
      out[k] = toPlain(p.value as Node, doc, budget, depth + 1);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((i) => toPlain(i as Node, doc, budget, depth + 1));
  return undefined;
}

export { podSpecPaths, podTemplatePath } from '../model/kinds';
