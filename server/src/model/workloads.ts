/**
 * Where the pod spec and pod template sit in each workload kind. Shared by the
 * rules and the workspace facts.
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
