/**
 * Facts about built-in kinds that rules and the workspace facts share: where
 * each workload kind keeps its pod spec and template, and which kinds have no
 * namespace.
 */
import { Path } from './manifest';

/** Paths of the pod specs inside an object of a workload kind. */
export function podSpecPaths(kind: string | undefined): Path[] {
  switch (kind) {
    case 'Pod':
      return [['spec']];
    case 'PodTemplate':
      return [['template', 'spec']];
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController':
      return [['spec', 'template', 'spec']];
    case 'CronJob':
      return [['spec', 'jobTemplate', 'spec', 'template', 'spec']];
    default:
      return [];
  }
}

/** The path of the pod template (metadata + spec) of a workload kind, or undefined. */
export function podTemplatePath(kind: string | undefined): Path | undefined {
  const p = podSpecPaths(kind)[0];
  return p && p.length > 1 ? p.slice(0, -1) : undefined;
}

/** Kinds without a namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass',
  'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'APIService',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ClusterIssuer',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}
