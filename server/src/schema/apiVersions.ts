/**
 * Deprecated and removed apiVersions, written by hand from the Kubernetes
 * deprecated API migration guide (facts gathered in shared/RULES.md Part A 1.5).
 * The user's `kubeManifests.kubernetesVersion` decides what counts as removed.
 */

export interface ApiLifecycle {
  apiVersion: string;
  /** Kinds this entry covers; '*' for every kind of the apiVersion. */
  kinds: string[] | '*';
  /** Release that deprecated it (minor version, e.g. "1.19"). */
  deprecated: string;
  /** First release that no longer serves it. */
  removed: string;
  /** The apiVersion to use instead, per kind when they differ. */
  replacement: string | Record<string, string>;
  /** What else changes when migrating, if anything. */
  note?: string;
}

const workloads = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'DeploymentList', 'DaemonSetList', 'ReplicaSetList', 'StatefulSetList', 'ControllerRevision', 'ControllerRevisionList', 'Scale', 'DeploymentRollback'];

export const API_LIFECYCLE: ApiLifecycle[] = [
  { apiVersion: 'extensions/v1beta1', kinds: workloads, deprecated: '1.9', removed: '1.16', replacement: 'apps/v1', note: 'apps/v1 requires spec.selector, and it must match the pod template labels.' },
  { apiVersion: 'apps/v1beta1', kinds: '*', deprecated: '1.9', removed: '1.16', replacement: 'apps/v1', note: 'apps/v1 requires spec.selector, and it must match the pod template labels.' },
  { apiVersion: 'apps/v1beta2', kinds: '*', deprecated: '1.9', removed: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy', 'NetworkPolicyList'], deprecated: '1.9', removed: '1.16', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy', 'PodSecurityPolicyList'], deprecated: '1.11', removed: '1.16', replacement: 'policy/v1beta1', note: 'PodSecurityPolicy itself was removed in 1.25; use Pod Security admission instead.' },
  { apiVersion: 'batch/v2alpha1', kinds: '*', deprecated: '1.8', removed: '1.21', replacement: 'batch/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress', 'IngressList'], deprecated: '1.14', removed: '1.22', replacement: 'networking.k8s.io/v1', note: 'In networking.k8s.io/v1 a backend is `service: {name, port: {number}}` instead of `serviceName`/`servicePort`, and every path needs a `pathType`.' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressList', 'IngressClass', 'IngressClassList'], deprecated: '1.19', removed: '1.22', replacement: 'networking.k8s.io/v1', note: 'In networking.k8s.io/v1 a backend is `service: {name, port: {number}}` instead of `serviceName`/`servicePort`, and every path needs a `pathType`.' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: '*', deprecated: '1.17', removed: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1alpha1', kinds: '*', deprecated: '1.17', removed: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfigurationList', 'ValidatingWebhookConfigurationList'], deprecated: '1.16', removed: '1.22', replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: '*', deprecated: '1.16', removed: '1.22', replacement: 'apiextensions.k8s.io/v1', note: 'apiextensions.k8s.io/v1 requires a structural openAPIV3Schema for every version.' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: '*', deprecated: '1.19', removed: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], deprecated: '1.19', removed: '1.22', replacement: 'authentication.k8s.io/v1' },
  { apiVersion: 'authorization.k8s.io/v1beta1', kinds: '*', deprecated: '1.19', removed: '1.22', replacement: 'authorization.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: '*', deprecated: '1.19', removed: '1.22', replacement: 'certificates.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease', 'LeaseList'], deprecated: '1.19', removed: '1.22', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: '*', deprecated: '1.14', removed: '1.22', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment', 'CSIDriverList', 'CSINodeList', 'StorageClassList', 'VolumeAttachmentList'], deprecated: '1.19', removed: '1.22', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', kinds: '*', deprecated: '1.21', removed: '1.25', replacement: 'batch/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: '*', deprecated: '1.21', removed: '1.25', replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: '*', deprecated: '1.19', removed: '1.25', replacement: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', kinds: '*', deprecated: '1.22', removed: '1.25', replacement: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget', 'PodDisruptionBudgetList'], deprecated: '1.21', removed: '1.25', replacement: 'policy/v1' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy', 'PodSecurityPolicyList'], deprecated: '1.21', removed: '1.25', replacement: 'none (use Pod Security admission)' },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: '*', deprecated: '1.20', removed: '1.25', replacement: 'node.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta2', kinds: '*', deprecated: '1.23', removed: '1.26', replacement: 'autoscaling/v2' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: '*', deprecated: '1.23', removed: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity', 'CSIStorageCapacityList'], deprecated: '1.24', removed: '1.27', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: '*', deprecated: '1.26', removed: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: '*', deprecated: '1.29', removed: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

export function lifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return API_LIFECYCLE.find((e) => e.apiVersion === apiVersion && (e.kinds === '*' || e.kinds.includes(kind)));
}

export function replacementFor(entry: ApiLifecycle, kind: string): string {
  return typeof entry.replacement === 'string' ? entry.replacement : entry.replacement[kind] ?? Object.values(entry.replacement)[0];
}

/** Compares minor versions like "1.9" and "1.22"; unparsable versions compare as the newest. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  return pa[0] - pb[0] || pa[1] - pb[1];
}

export function parseVersion(v: string): [number, number] {
  const m = /^v?(\d+)\.(\d+)/.exec(String(v).trim());
  return m ? [Number(m[1]), Number(m[2])] : [1, 999];
}

export type LifecycleState = { state: 'current' } | { state: 'deprecated' | 'removed'; entry: ApiLifecycle; replacement: string };

export function lifecycleState(apiVersion: string, kind: string, kubernetesVersion: string): LifecycleState {
  const entry = lifecycleOf(apiVersion, kind);
  if (!entry) return { state: 'current' };
  const replacement = replacementFor(entry, kind);
  if (compareVersions(kubernetesVersion, entry.removed) >= 0) return { state: 'removed', entry, replacement };
  if (compareVersions(kubernetesVersion, entry.deprecated) >= 0) return { state: 'deprecated', entry, replacement };
  return { state: 'current' };
}
