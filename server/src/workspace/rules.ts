/**
 * Metadata of the rules that need the whole workspace (features/references.ts
 * reports them); registered in rules/index.ts so docs and settings know them.
 */
import type { RuleMeta } from '../rules/engine';

export const REFERENCE_RULES: RuleMeta[] = [
  {
    id: 'reference-missing-key',
    severity: 'warning',
    title: 'A key that the referenced Secret or ConfigMap does not have',
    why: 'The pod fails to start with CreateContainerConfigError (couldn\'t find key ... in Secret); no schema check can see it because the key lives in another file.',
    bad: 'secretKeyRef:\n  name: db\n  key: passwrd   # the Secret db has "password"',
    good: 'secretKeyRef:\n  name: db\n  key: password',
  },
  {
    id: 'reference-not-found',
    severity: 'information',
    title: 'A Secret, ConfigMap, ServiceAccount or Role that no file of the workspace defines',
    why: 'A typo in the name fails only at run time; but the object may also be created outside the repository, so this is information by default (setting `kubeManifests.references.severity`). Declare such names in `external:` of `.kube-manifests.yaml`. References with `optional: true` are never reported.',
    bad: 'serviceAccountName: bakend   # no ServiceAccount "bakend" in the workspace',
    good: 'serviceAccountName: backend',
  },
  {
    id: 'service-selector-no-match',
    severity: 'warning',
    title: 'A Service whose selector matches no workload of the workspace',
    why: 'A Service that selects no pods has no endpoints: connections to it are refused or time out.',
    bad: 'selector:\n  app: web-frontend   # the Deployment\'s pods have app: frontend',
    good: 'selector:\n  app: frontend',
  },
  {
    id: 'deployment-selector-overlap',
    severity: 'warning',
    title: 'Two Deployments whose selectors overlap in one namespace',
    why: 'Each Deployment\'s ReplicaSets then count (and may delete) the other\'s pods; Kubernetes warns against overlapping selectors.',
    bad: '# a.yaml: selector app: web\n# b.yaml: selector app: web',
    good: '# a.yaml: selector app: web, tier: api\n# b.yaml: selector app: web, tier: worker',
  },
];
