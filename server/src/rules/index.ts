/**
 * The registry of rule families. A new family is one file under rules/ and one
 * line here; its rule metadata feeds docs/rules.md (scripts/generateRuleDocs.mjs).
 */
import type { HoverContributor } from '../features/hover';
import { RuleFamily, RuleMeta } from './engine';
import { REFERENCE_RULES } from '../workspace/rules';
import { schemaRules } from './schema';
import { blueGreenRules } from './blueGreen';
import { rbacRules } from './rbac';
import { rolloutHover, rolloutRules } from './rollout';
import { probeHover, probeRules } from './probes';
import { podSpecRules } from './podSpec';
import { serviceRules } from './services';
import { nameRules } from './names';
import { jobRules } from './jobs';
import { cronJobRules, cronScheduleHover } from './cronjobs';
import { secretRules } from './secrets';
import { kubeconfigRules } from './kubeconfig';
import { crdConstraintRules } from './crdConstraints';

export const RULE_FAMILIES: RuleFamily[] = [schemaRules, rbacRules, rolloutRules, probeRules, podSpecRules, serviceRules, blueGreenRules, nameRules, jobRules, cronJobRules, secretRules, kubeconfigRules, crdConstraintRules];

/** Hover sections that explain numbers for this very manifest (a schedule in words, a rollout in pods). */
export const HOVER_CONTRIBUTORS: HoverContributor[] = [rolloutHover, probeHover, cronScheduleHover];

/** Rules that the validation pipeline itself reports (not from a family). */
export const BUILTIN_RULES: RuleMeta[] = [
  ...REFERENCE_RULES, // cross-file rules (features/references.ts)
  {
    id: 'syntax-error',
    severity: 'error',
    title: 'YAML that does not parse',
    why: 'kubectl cannot read the file at all; the message says where the structure broke.',
    bad: 'env:\n- name: DB_URL\n    secretKeyRef:\n      name: db',
    good: 'env:\n- name: DB_URL\n  valueFrom:\n    secretKeyRef:\n      name: db',
  },
  {
    id: 'duplicate-key',
    severity: 'error',
    title: 'The same key twice in one map',
    why: 'Only one of the two values would ever be applied, silently.',
    bad: 'replicas: 2\nreplicas: 3',
    good: 'replicas: 3',
  },
  {
    id: 'unused-suppression',
    severity: 'hint',
    title: 'A suppression that matches nothing',
    why: 'An ignore comment or annotation for a rule that no longer fires hides nothing; remove it so it does not hide a future problem by accident.',
  },
];

let metaById: Map<string, RuleMeta> | undefined;
export function ruleMeta(id: string): RuleMeta | undefined {
  if (!metaById) {
    metaById = new Map();
    for (const m of BUILTIN_RULES) metaById.set(m.id, m);
    for (const f of RULE_FAMILIES) for (const m of f.rules) metaById.set(m.id, m);
  }
  return metaById.get(id);
}

export function allRules(): RuleMeta[] {
  return [...BUILTIN_RULES, ...RULE_FAMILIES.flatMap((f) => f.rules)];
}
