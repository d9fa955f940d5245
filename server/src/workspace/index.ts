/**
 * The workspace index: the facts (workspace/facts.ts) of every manifest file
 * of the workspace, by uri, with lookups by kind and name. Kept current by its
 * owner (the LSP layer from disk and open documents, the CLI from its inputs).
 *
 * Pure: no IO. Features query it through a `WorkspaceView`, which can overlay
 * the facts of the file being edited on the indexed ones.
 */
import { ManifestFile } from '../model/manifest';
import { extractFacts, FileFacts, LabelFact, ObjectFacts, RefFact, WORKLOAD_KINDS } from './facts';

export * from './facts';

export class WorkspaceIndex {
  private files = new Map<string, FileFacts>();
  private byKindName = new Map<string, ObjectFacts[]>();
  private byKind = new Map<string, ObjectFacts[]>();
  private listeners: Array<(uris: string[]) => void> = [];
  /** Names declared as defined outside the workspace (`external:` in .kube-manifests.yaml): `name`, `Kind/name` or `Kind/namespace/name`. */
  external: string[] = [];
  /**
   * Cross-file diagnostics are reported (set by the owner once it indexes a
   * workspace: the LSP server with workspace folders, the CLI). Off, a lone
   * file is never told that the objects it names are missing.
   */
  enabled = false;
  /** Reads the current text of an indexed file (injected by the owner; used only to show a value on hover). */
  readText?: (uri: string) => string | undefined;
  /** Bumped on every change (features may cache per version). */
  version = 0;
  /**
   * Files whose own text is not read (set by the owner: the LSP server's chart module indexes a
   * chart's templates as rendered, under keys of its own, so their template text counts for nothing).
   */
  notIndexed?: (uri: string) => boolean;

  get size(): number {
    return this.files.size;
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  get(uri: string): FileFacts | undefined {
    return this.files.get(uri);
  }

  /** Indexes (or re-indexes) a parsed file. */
  setFile(file: ManifestFile): FileFacts {
    const facts = extractFacts(file);
    this.set(facts);
    return facts;
  }

  set(facts: FileFacts, notify = true): void {
    if (facts.objects.length && this.notIndexed?.(facts.uri)) facts = { uri: facts.uri, objects: [] };
    const old = this.files.get(facts.uri);
    if (old === facts) return;
    this.files.set(facts.uri, facts);
    if (!old || !this.replace(old, facts)) {
      if (old) this.unlink(old);
      for (const o of facts.objects) {
        push(this.byKindName, `${o.kind}/${o.name}`, o);
        push(this.byKind, o.kind, o);
      }
    }
    this.version++;
    if (notify) this.emit([facts.uri]);
  }

  delete(uri: string): void {
    const old = this.files.get(uri);
    if (!old) return;
    this.unlink(old);
    this.files.delete(uri);
    this.version++;
    this.emit([uri]);
  }

  /** Listens to changes (the uris that changed). */
  onChange(fn: (uris: string[]) => void): void {
    this.listeners.push(fn);
  }

  emit(uris: string[]): void {
    for (const fn of this.listeners) fn(uris);
  }

  /**
   * A file whose objects have the same kinds and names in the same order (an
   * edit that moved them or changed other facts, as typing does): each changed
   * object takes the place of its old self in the lookups. False otherwise.
   */
  private replace(old: FileFacts, facts: FileFacts): boolean {
    const a = old.objects;
    const b = facts.objects;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (a[i].kind !== b[i].kind || a[i].name !== b[i].name)) return false;
    const places: Array<[ObjectFacts[], number, number]> = [];
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      const named = this.byKindName.get(`${a[i].kind}/${a[i].name}`);
      const at = named ? named.indexOf(a[i]) : -1;
      if (at < 0) return false; // not where it should be: the caller re-links the file
      places.push([named!, at, i]);
    }
    const byKind = new Map<string, Map<ObjectFacts, ObjectFacts>>();
    for (const [named, at, i] of places) {
      named[at] = b[i];
      let m = byKind.get(a[i].kind);
      if (!m) byKind.set(a[i].kind, (m = new Map()));
      m.set(a[i], b[i]);
    }
    for (const [kind, m] of byKind) {
      const list = this.byKind.get(kind) ?? [];
      for (let j = 0; j < list.length; j++) {
        const r = m.get(list[j]);
        if (r) list[j] = r;
      }
    }
    return true;
  }

  /** Takes a file's objects out of the lookups: each list it is in filtered once (not searched once per object). */
  private unlink(old: FileFacts): void {
    const keys = new Set<string>();
    const kinds = new Set<string>();
    for (const o of old.objects) {
      keys.add(`${o.kind}/${o.name}`);
      kinds.add(o.kind);
    }
    const objects = new Set(old.objects);
    for (const k of keys) removeAll(this.byKindName, k, objects);
    for (const k of kinds) removeAll(this.byKind, k, objects);
  }

  named(kind: string, name: string): ObjectFacts[] {
    return this.byKindName.get(`${kind}/${name}`) ?? [];
  }

  ofKind(kind: string): ObjectFacts[] {
    return this.byKind.get(kind) ?? [];
  }

  *allObjects(): IterableIterator<ObjectFacts> {
    for (const f of this.files.values()) yield* f.objects;
  }

  /**
   * Called before a view is made, with the uri the view overlays: the owner
   * brings the index up to date with the documents being edited (the LSP server
   * indexes an edited document when typing pauses, or here when another file
   * needs it first).
   */
  beforeRead?: (except?: string) => void;

  /** A view of the index with the facts of `file` in place of what is indexed for its uri. */
  view(file?: ManifestFile): WorkspaceView {
    this.beforeRead?.(file?.uri);
    return new WorkspaceView(this, file ? extractFacts(file) : undefined);
  }
}

/** Queries over the index, with the edited file's current facts overlaid. */
export class WorkspaceView {
  constructor(
    readonly index: WorkspaceIndex,
    readonly current?: FileFacts,
  ) {}

  private keep = (o: ObjectFacts): boolean => !this.current || o.uri !== this.current.uri;

  named(kind: string, name: string): ObjectFacts[] {
    const out = this.index.named(kind, name).filter(this.keep);
    if (this.current) for (const o of this.current.objects) if (o.kind === kind && o.name === name) out.push(o);
    return out;
  }

  ofKind(kind: string): ObjectFacts[] {
    const out = this.index.ofKind(kind).filter(this.keep);
    if (this.current) for (const o of this.current.objects) if (o.kind === kind) out.push(o);
    return out;
  }

  *all(): IterableIterator<ObjectFacts> {
    for (const o of this.index.allObjects()) if (this.keep(o)) yield o;
    if (this.current) yield* this.current.objects;
  }

  workloads(): ObjectFacts[] {
    const out: ObjectFacts[] = [];
    for (const k of WORKLOAD_KINDS) out.push(...this.ofKind(k));
    return out;
  }

  /** Objects a reference points at: same kind and name, in its namespace (or anywhere when a namespace is implied). */
  resolve(ref: Pick<RefFact, 'target' | 'name' | 'namespace' | 'explicitNamespace'>): ObjectFacts[] {
    const all = this.named(ref.target, ref.name);
    if (ref.target === 'ClusterRole') return all;
    const same = all.filter((o) => o.namespace === ref.namespace);
    if (same.length) return same;
    // Namespaces are often set at apply time (kustomize, helm, kubectl -n): an object without one may live anywhere.
    return all.filter((o) => !o.explicitNamespace || !ref.explicitNamespace);
  }

  isExternal(kind: string, name: string, namespace: string): boolean {
    return this.index.external.some((e) => e === name || e === `${kind}/${name}` || e === `${kind}/${namespace}/${name}`);
  }
}

/** Same namespace, or one of the two does not set it (it is decided at apply time). */
export function sameNamespace(a: ObjectFacts, b: ObjectFacts): boolean {
  return a.namespace === b.namespace || !a.explicitNamespace || !b.explicitNamespace;
}

/** True when every selector label is among the labels. */
export function selects(selector: LabelFact[], labels: LabelFact[] | undefined): boolean {
  if (!labels || !selector.length) return false;
  return selector.every((s) => labels.some((l) => l.key === s.key && l.value === s.value));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Drops some objects from a lookup list. */
function removeAll(map: Map<string, ObjectFacts[]>, key: string, objects: Set<ObjectFacts>): void {
  const list = map.get(key);
  if (!list) return;
  const kept = list.filter((o) => !objects.has(o));
  if (kept.length) map.set(key, kept);
  else map.delete(key);
}
