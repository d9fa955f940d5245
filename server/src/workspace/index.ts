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
    const old = this.files.get(facts.uri);
    if (old === facts) return;
    if (old) this.unlink(old);
    this.files.set(facts.uri, facts);
    for (const o of facts.objects) {
      push(this.byKindName, `${o.kind}/${o.name}`, o);
      push(this.byKind, o.kind, o);
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

  private unlink(old: FileFacts): void {
    for (const o of old.objects) {
      remove(this.byKindName, `${o.kind}/${o.name}`, o);
      remove(this.byKind, o.kind, o);
    }
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

  /** A view of the index with the facts of `file` in place of what is indexed for its uri. */
  view(file?: ManifestFile): WorkspaceView {
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

function remove<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) map.delete(key);
}
