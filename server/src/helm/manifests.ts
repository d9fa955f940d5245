/**
 * What `helm template` does with rendered files: split each into YAML documents, tell hooks from
 * manifests, sort them by kind in install order, and print them with `# Source:` lines
 * (Helm's pkg/release/v1/util: SplitManifests, SortManifests, the kind sorter; pkg/action's
 * renderResources and pkg/cmd/template.go).
 */

import { noteStackOverflow } from './stackBudget';
/** Kinds in the order Helm installs them; kinds not listed come after, by name. */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const ORDER = new Map(INSTALL_ORDER.map((k, i) => [k, i]));

const HOOK_EVENTS = new Set([
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
  'test-success',
]);

/** The fields Helm reads of each document (releaseutil.SimpleHead). */
export interface SimpleHead {
  apiVersion?: string;
  kind?: string;
  name?: string;
  annotations?: Record<string, string>;
}

export interface Manifest {
  /** The template's name, e.g. `echo/templates/deployment.yaml`. */
  name: string;
  content: string;
  head: SimpleHead;
}

export interface Hook extends Manifest {
  events: string[];
  weight: number;
}

/** Whitespace as Go's unicode.IsSpace sees it. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** releaseutil.SplitManifests: documents split at lines starting with `---`, blank ones dropped, leading space trimmed. */
export function splitManifests(text: string): string[] {
  const trimmed = text.replace(GO_SPACE, '');
  const docs = trimmed.split(/^---[ \t]*/m);
  const out: string[] = [];
  for (const d of docs) {
    if (d.trim() === '') continue;
    out.push(d.replace(GO_SPACE, ''));
  }
  return out;
}

/** Reads a document's head; throws an Error whose message Helm would print after `YAML parse error on FILE: `. */
export type HeadReader = (doc: string) => SimpleHead;

function lessByKind(a: string | undefined, b: string | undefined): boolean {
  const ka = a ?? '';
  const kb = b ?? '';
  const ia = ORDER.get(ka);
  const ib = ORDER.get(kb);
  if (ia === undefined && ib === undefined) return ka < kb;
  if (ia === undefined) return false;
  if (ib === undefined) return true;
  return ia < ib;
}

function stableSortByKind<T extends { head: SimpleHead }>(items: T[]): T[] {
  // Array.prototype.sort is stable; the comparator mirrors Go's less(i, j) used with SliceStable.
  return items.sort((x, y) => (lessByKind(x.head.kind, y.head.kind) ? -1 : lessByKind(y.head.kind, x.head.kind) ? 1 : 0));
}

export interface SortedManifests {
  hooks: Hook[];
  manifests: Manifest[];
}

/**
 * releaseutil.SortManifests with InstallOrder: files in name order, partials and blank files
 * skipped, each document a hook (helm.sh/hook annotation with known events) or a manifest.
 * Throws `YAML parse error on FILE: ...` as Helm does.
 */
export function sortManifests(files: Map<string, string>, readHead: HeadReader): SortedManifests {
  const hooks: Hook[] = [];
  const manifests: Manifest[] = [];
  const names = [...files.keys()].sort(compareGoStrings);
  for (const name of names) {
    const content = files.get(name)!;
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (base.startsWith('_')) continue;
    if (content.trim() === '') continue;
    for (const doc of splitManifests(content)) {
      let head: SimpleHead;
      try {
        head = readHead(doc);
      } catch (e) {
        noteStackOverflow(e);
        throw new Error(`YAML parse error on ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const hookTypes = head.annotations?.['helm.sh/hook'];
      if (!head.annotations || Object.keys(head.annotations).length === 0 || hookTypes === undefined) {
        manifests.push({ name, content: doc, head });
        continue;
      }
      const events: string[] = [];
      let unknown = false;
      for (const t of hookTypes.split(',')) {
        const ev = t.trim().toLowerCase();
        if (!HOOK_EVENTS.has(ev)) {
          unknown = true;
          break;
        }
        events.push(ev);
      }
      if (unknown) continue;
      const w = head.annotations['helm.sh/hook-weight'];
      const weight = w !== undefined && /^[+-]?\d+$/.test(w) ? Number(w) : 0;
      hooks.push({ name, content: doc, head, events, weight });
    }
  }
  return { hooks: stableSortByKind(hooks), manifests: stableSortByKind(manifests) };
}

/** Go's string order (bytewise UTF-8), which for these paths is the order of UTF-16 code units except beyond the BMP. */
export function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One `---\n# Source: NAME\nCONTENT\n` block, as Helm prints each manifest. */
export function sourceBlock(name: string, content: string): string {
  return `---\n# Source: ${name}\n${content}\n`;
}
