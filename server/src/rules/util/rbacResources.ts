/**
 * Which resources each built-in API group serves, for RBAC rules: derived from
 * the schema store's kinds (lowercase plural resource names), plus resources
 * that exist only for authorization (users, groups, signers...).
 */
import { SchemaStore } from '../../schema/schemaStore';

/** Kinds whose resource name is not the regular plural. */
const IRREGULAR: Record<string, string> = {
  Endpoints: 'endpoints',
  ComponentStatus: 'componentstatuses',
};

/** Kinds that are request bodies or subresources, not resources of their own. */
const NOT_RESOURCES = new Set(['Scale', 'DeploymentRollback', 'Eviction', 'TokenRequest', 'Status', 'WatchEvent', 'DeleteOptions', 'List']);

/** Resources that no kind describes but that RBAC rules legitimately name. */
const EXTRA: Record<string, string[]> = {
  '': ['users', 'groups', 'userextras', 'bindings', 'serviceaccounts', 'nodes', 'pods', 'services'],
  'authentication.k8s.io': ['userextras', 'tokenreviews', 'selfsubjectreviews'],
  'certificates.k8s.io': ['signers', 'clustertrustbundles'],
  'policy': ['podsecuritypolicies'],
  'extensions': ['podsecuritypolicies', 'replicationcontrollers', 'networkpolicies', 'ingresses', 'deployments', 'daemonsets', 'replicasets'],
  'coordination.k8s.io': ['leasecandidates'],
  'resource.k8s.io': ['devicetaintrules', 'resourceclaims', 'resourceclaimtemplates', 'resourceslices', 'deviceclasses'],
  'storagemigration.k8s.io': ['storageversionmigrations'],
  'internal.apiserver.k8s.io': ['storageversions'],
  'autoscaling': ['horizontalpodautoscalers'],
};

/** Lowercase plural resource name of a kind: `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`. */
export function resourceOfKind(kind: string): string {
  if (IRREGULAR[kind]) return IRREGULAR[kind];
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return k.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/.test(k)) return k + 'es';
  return k + 's';
}

let cache: { store: SchemaStore; map: Map<string, Set<string>> } | undefined;

/** API group → resources it serves (built-in groups only). */
export function resourcesByGroup(store: SchemaStore): Map<string, Set<string>> {
  if (cache?.store === store) return cache.map;
  const map = new Map<string, Set<string>>();
  const add = (g: string, r: string) => {
    let s = map.get(g);
    if (!s) map.set(g, (s = new Set()));
    s.add(r);
  };
  for (const k of store.allKinds()) {
    const slash = k.apiVersion.lastIndexOf('/');
    const group = slash < 0 ? '' : k.apiVersion.slice(0, slash);
    if (k.kind.endsWith('List') || NOT_RESOURCES.has(k.kind)) {
      if (!map.has(group)) map.set(group, new Set());
      continue;
    }
    add(group, resourceOfKind(k.kind));
  }
  for (const [g, rs] of Object.entries(EXTRA)) for (const r of rs) add(g, r);
  cache = { store, map };
  return map;
}
