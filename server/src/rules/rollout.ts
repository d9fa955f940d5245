/**
 * Deployment rollouts: the selector against the template labels (also for
 * ReplicaSets, StatefulSets and DaemonSets), the strategy values the API
 * server rejects, and the rollouts that cause downtime or fight an autoscaler.
 * The hover on `strategy`, `maxSurge` and `maxUnavailable` shows the rollout
 * in pods for this Deployment's replica count.
 */
import type { HoverContributor } from '../features/hover';
import { isMap, isScalar, Path } from '../model/manifest';
import { RuleContext, RuleFamily } from './engine';
import { autoscalersTargeting, expressionMatches, servicesSelecting, stringMap } from './util/podWorkloads';
import { parseIntOrPercent, plural, rolloutNumbers } from './util/rolloutMath';

const SELECTOR_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'];
const TEMPLATE_LABELS: Path = ['spec', 'template', 'metadata', 'labels'];
/** Fields whose defaults (1 replica, RollingUpdate, 25%/25%) the downtime rules judge when they are absent. */
const ROLLOUT_DEFAULTS: Path[] = [['spec', 'replicas'], ['spec', 'strategy', 'type'], ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable']];

export const rolloutRules: RuleFamily = {
  name: 'rollout',
  rules: [
    {
      id: 'deployment-selector-mismatch',
      severity: 'error',
      title: 'spec.selector does not select the pod template labels',
      why: 'The API server rejects a Deployment (ReplicaSet, StatefulSet, DaemonSet) whose selector is empty or does not match its own pod template: the controller could never find the pods it creates.',
      bad: 'selector:\n  matchLabels:\n    app: web\ntemplate:\n  metadata:\n    labels:\n      app: frontend',
      good: 'selector:\n  matchLabels:\n    app: web\ntemplate:\n  metadata:\n    labels:\n      app: web',
      kubeLinter: ['mismatching-selector'],
      kinds: SELECTOR_KINDS,
    },
    {
      id: 'deployment-recreate-rolling-update',
      severity: 'error',
      title: 'rollingUpdate with strategy type Recreate',
      why: 'The API server rejects `strategy.rollingUpdate` when `strategy.type` is Recreate; the settings would mean nothing.',
      bad: 'strategy:\n  type: Recreate\n  rollingUpdate:\n    maxSurge: 1',
      good: 'strategy:\n  type: Recreate',
      kinds: ['Deployment'],
    },
    {
      id: 'deployment-rollout-zero',
      severity: 'error',
      title: 'maxSurge and maxUnavailable both 0',
      why: 'With no extra pod allowed and no pod allowed to go away, a rollout could never start; the API server rejects it (`0` and `"0%"` both count as zero).',
      bad: 'rollingUpdate:\n  maxSurge: 0\n  maxUnavailable: 0',
      good: 'rollingUpdate:\n  maxSurge: 1\n  maxUnavailable: 0',
      kinds: ['Deployment'],
    },
    {
      id: 'deployment-rollout-value',
      severity: 'error',
      title: 'An invalid maxSurge or maxUnavailable',
      why: 'Each is a non-negative integer or a percentage string such as "25%"; a string like "1" or "25" is rejected, and maxUnavailable cannot exceed 100%.',
      bad: 'rollingUpdate:\n  maxSurge: "1"\n  maxUnavailable: 150%',
      good: 'rollingUpdate:\n  maxSurge: 1\n  maxUnavailable: 50%',
      kinds: ['Deployment'],
    },
    {
      id: 'deployment-progress-deadline',
      severity: 'error',
      title: 'progressDeadlineSeconds not greater than minReadySeconds',
      why: 'A new pod must be ready for minReadySeconds before it counts as available, so a progress deadline that is not longer would always fail; the API server rejects it (progressDeadlineSeconds defaults to 600).',
      bad: 'minReadySeconds: 60\nprogressDeadlineSeconds: 60',
      good: 'minReadySeconds: 60\nprogressDeadlineSeconds: 600',
      kinds: ['Deployment'],
    },
    {
      id: 'deployment-single-replica-downtime',
      severity: 'warning',
      title: 'A single replica whose rolling update may take it down',
      why: 'With one replica, a maxUnavailable that resolves to 1 (for example `maxUnavailable: 1`, or `maxSurge: 0`) stops the only pod before its replacement is ready: an outage on every rollout. The default 25%/25% surges first and is fine.',
      bad: 'replicas: 1\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 1',
      good: 'replicas: 1\nstrategy:\n  rollingUpdate:\n    maxSurge: 1\n    maxUnavailable: 0',
      kinds: ['Deployment'],
    },
    {
      id: 'deployment-rollout-full-outage',
      severity: 'warning',
      title: 'A rolling update that may take every pod down at once',
      why: 'When maxUnavailable resolves to the replica count (e.g. `maxUnavailable: 100%`), a RollingUpdate may stop all old pods before new ones are ready: the same outage as Recreate, without saying so.',
      bad: 'replicas: 3\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 100%',
      good: 'replicas: 3\nstrategy:\n  rollingUpdate:\n    maxUnavailable: 1',
      kubeLinter: ['update-configuration'],
      kinds: ['Deployment'],
    },
    {
      id: 'deployment-recreate-downtime',
      severity: 'information',
      title: 'A Recreate strategy behind a Service',
      why: 'Recreate stops every old pod before starting new ones, so the Service has no endpoints during every rollout. That is right for apps that cannot run two versions at once (a ReadWriteOnce volume); otherwise RollingUpdate avoids the downtime.',
      bad: 'kind: Deployment\nspec:\n  strategy:\n    type: Recreate\n---\nkind: Service\nspec:\n  selector:\n    app: web',
      good: 'kind: Deployment\nspec:\n  strategy:\n    type: RollingUpdate\n---\nkind: Service\nspec:\n  selector:\n    app: web',
      kubeLinter: ['no-rolling-update-strategy'],
      kinds: ['Deployment'],
    },
    {
      id: 'deployment-replicas-with-hpa',
      severity: 'warning',
      title: 'replicas set while a HorizontalPodAutoscaler scales the workload',
      why: 'Every `kubectl apply` resets the replica count to `spec.replicas`, undoing the autoscaler until it scales again: a rollout of a busy app can drop to a fraction of its pods. Leave replicas out and let the HPA own it.',
      bad: 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n---\nkind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web',
      good: 'kind: Deployment\nmetadata:\n  name: web\nspec: {}\n---\nkind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web',
      kinds: ['Deployment', 'StatefulSet'],
    },
  ],
  check(ctx) {
    const kind = ctx.kind ?? '';
    if (!SELECTOR_KINDS.includes(kind)) return;
    const group = (ctx.apiVersion ?? '').split('/')[0];
    if (group !== 'apps' && group !== 'extensions') return;
    checkSelector(ctx);
    if (kind === 'Deployment') checkStrategy(ctx);
    if (kind === 'Deployment' || kind === 'StatefulSet') checkHpa(ctx);
  },
};

function templateLabels(ctx: RuleContext): Record<string, string> {
  return stringMap(ctx.value(['spec', 'template', 'metadata', 'labels']));
}

function checkSelector(ctx: RuleContext): void {
  const sel = ctx.node(['spec', 'selector']);
  if (!isMap(sel)) return; // missing: missing-required; wrong type: invalid-type
  const labels = templateLabels(ctx);
  const matchLabels = ctx.node(['spec', 'selector', 'matchLabels']);
  const exprs = ctx.items(['spec', 'selector', 'matchExpressions']);
  const data = { templateLabels: labels };
  const mlPairs = isMap(matchLabels) ? matchLabels.items : [];
  if (!mlPairs.length && !exprs.length) {
    const hint = Object.keys(labels).length ? ` such as ${Object.entries(labels).slice(0, 2).map(([k, v]) => `${k}: ${v}`).join(', ')} from the template` : '';
    ctx.report('deployment-selector-mismatch', ['spec', 'selector'], `The selector is empty; the API server rejects it. Add matchLabels${hint}.`, { where: 'key', data, absent: [['spec', 'selector', 'matchLabels'], ['spec', 'selector', 'matchExpressions']] });
    return;
  }
  if (!ctx.node(['spec', 'template', 'metadata', 'labels']) && ctx.node(['spec', 'template'])) {
    ctx.report('deployment-selector-mismatch', ['spec', 'template', 'metadata', 'labels'], 'The pod template has no labels, so spec.selector can never match it; add the selector\'s labels under spec.template.metadata.labels.', { where: 'key', data: { ...data, selectorLabels: stringMap(ctx.value(['spec', 'selector', 'matchLabels'])) }, absent: [TEMPLATE_LABELS] });
    return;
  }
  for (const p of mlPairs) {
    if (!isScalar(p.key)) continue;
    const key = String(p.key.value);
    const want = isScalar(p.value) ? String((p.value as { value: unknown }).value ?? '') : undefined;
    if (want === undefined) continue;
    if (!(key in labels)) {
      ctx.report('deployment-selector-mismatch', p, `The selector requires ${key}=${want}, but the pod template has no label ${key}; add \`${key}: ${want}\` to spec.template.metadata.labels or change the selector.`, { where: 'pair', data, absent: [TEMPLATE_LABELS] });
    } else if (labels[key] !== want) {
      ctx.report('deployment-selector-mismatch', p, `The selector requires ${key}=${want}, but the pod template has ${key}=${labels[key]}; make them equal (the API server rejects a selector that does not match its template).`, { where: 'pair', data });
    }
  }
  exprs.forEach((e, i) => {
    const r = expressionMatches(ctx.value([], e), labels);
    if (r === false) {
      const key = ctx.str(['key'], e);
      const op = ctx.str(['operator'], e);
      const vals = (ctx.value(['values'], e) as unknown[] | undefined) ?? [];
      const has = key !== undefined && key in labels ? `${key}=${labels[key]}` : `no label ${key}`;
      ctx.report('deployment-selector-mismatch', ['spec', 'selector', 'matchExpressions', i], `The selector expression \`${key} ${op}${vals.length ? ` [${vals.join(', ')}]` : ''}\` does not match the pod template, which has ${has}.`, { where: 'key', data, absent: [TEMPLATE_LABELS] });
    }
  });
}

function checkStrategy(ctx: RuleContext): void {
  const type = ctx.str(['spec', 'strategy', 'type']);
  const ru = ctx.node(['spec', 'strategy', 'rollingUpdate']);
  if (type === 'Recreate' && ru && !(isScalar(ru) && ru.value === null)) {
    ctx.report('deployment-recreate-rolling-update', ['spec', 'strategy', 'rollingUpdate'], 'rollingUpdate cannot be set when strategy.type is Recreate; remove it, or use type RollingUpdate.', { where: 'key', data: { remove: 'rollingUpdate' } });
  }

  // Values.
  const surgeV = ctx.value(['spec', 'strategy', 'rollingUpdate', 'maxSurge']);
  const unavV = ctx.value(['spec', 'strategy', 'rollingUpdate', 'maxUnavailable']);
  let valid = true;
  for (const [field, v] of [['maxSurge', surgeV], ['maxUnavailable', unavV]] as const) {
    if (v === undefined || v === null) continue;
    const path = ['spec', 'strategy', 'rollingUpdate', field];
    const parsed = parseIntOrPercent(v);
    if (!parsed) {
      valid = false;
      if (typeof v === 'number' && !Number.isInteger(v)) continue; // invalid-type says it
      if (typeof v === 'number') {
        ctx.report('deployment-rollout-value', path, `${field} cannot be negative; use a number of pods (0 or more) or a percentage like "25%".`);
      } else if (typeof v === 'string') {
        const digits = /^\s*(\d+)\s*$/.exec(v);
        const pct = /^\s*(\d+)\s*%\s*$/.exec(v);
        const fix = digits ? `write it as a number: \`${field}: ${digits[1]}\`` : pct ? `write it without spaces: "${pct[1]}%"` : 'use a number of pods or a percentage like "25%"';
        ctx.report('deployment-rollout-value', path, `"${v}" is not a valid ${field}: a string must be a percentage such as "25%"; ${fix}.`, { data: digits ? { replacement: Number(digits[1]) } : pct ? { replacement: `${pct[1]}%` } : undefined });
      }
      continue;
    }
    if (field === 'maxUnavailable' && parsed.kind === 'percent' && parsed.value > 100) {
      valid = false;
      ctx.report('deployment-rollout-value', path, `maxUnavailable cannot be more than 100% (it is ${v}).`, { data: { replacement: '100%' } });
    }
  }
  const isZero = (v: unknown) => v === 0 || v === '0%' || (typeof v === 'string' && /^0+%$/.test(v));
  if (isZero(surgeV) && isZero(unavV) && type !== 'Recreate') {
    ctx.report('deployment-rollout-zero', ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], 'maxSurge and maxUnavailable are both 0, so a rollout could never replace a pod; the API server rejects it. Set maxSurge: 1 (start a new pod first) or maxUnavailable: 1 (stop an old pod first).');
    valid = false;
  }

  // Progress deadline.
  const minReady = ctx.num(['spec', 'minReadySeconds']) ?? 0;
  const deadline = ctx.num(['spec', 'progressDeadlineSeconds']);
  if (deadline !== undefined ? deadline <= minReady && minReady >= 0 && deadline >= 0 : minReady >= 600) {
    const at = deadline !== undefined ? ['spec', 'progressDeadlineSeconds'] : ['spec', 'minReadySeconds'];
    const d = deadline ?? 600;
    ctx.report('deployment-progress-deadline', at, `progressDeadlineSeconds (${d}${deadline === undefined ? ', the default' : ''}) must be greater than minReadySeconds (${minReady}): a pod has to stay ready for minReadySeconds before the rollout counts as progressing.`, { data: { suggestion: Math.max(600, minReady + 60) }, absent: [['spec', 'progressDeadlineSeconds']] });
  }

  // Downtime with a single replica.
  const hasHpa = autoscalersTargeting(ctx.file, ctx.obj).length > 0;
  const replicasV = ctx.value(['spec', 'replicas']);
  const replicas = replicasV === undefined || replicasV === null ? (hasHpa ? undefined : 1) : typeof replicasV === 'number' ? replicasV : undefined;
  if (valid && replicas === 1 && (type === undefined || type === 'RollingUpdate')) {
    const n = rolloutNumbers(1, surgeV, unavV);
    if (n && n.unavailable >= 1) {
      const at = unavV !== undefined ? ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'] : ['spec', 'strategy', 'rollingUpdate', 'maxSurge'];
      const why = n.bumped ? 'maxSurge resolves to 0 and maxUnavailable to 0, so Kubernetes raises maxUnavailable to 1' : `maxUnavailable resolves to ${n.unavailable}`;
      ctx.report('deployment-single-replica-downtime', at, `With 1 replica, ${why}: each rollout stops the only pod before its replacement is ready, an outage. Use maxSurge: 1 and maxUnavailable: 0 (or more replicas).`, { data: { maxSurge: 1, maxUnavailable: 0 }, absent: ROLLOUT_DEFAULTS });
    }
  }

  // Every pod down at once with more than one replica.
  if (valid && replicas !== undefined && replicas > 1 && (type === undefined || type === 'RollingUpdate')) {
    const n = rolloutNumbers(replicas, surgeV, unavV);
    if (n && n.minAvailable === 0) {
      ctx.report('deployment-rollout-full-outage', ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], `maxUnavailable resolves to ${n.unavailable} of ${replicas} replicas, so a rollout may stop every pod before the new ones are ready: an outage. Use a smaller maxUnavailable (e.g. 1 or 25%), or say so with strategy type Recreate.`, { data: { maxUnavailable: 1 }, absent: ROLLOUT_DEFAULTS });
    }
  }

  // Recreate behind a Service.
  if (type === 'Recreate') {
    const svc = servicesSelecting(ctx.file, ctx.obj, templateLabels(ctx));
    if (svc.length) {
      ctx.report('deployment-recreate-downtime', ['spec', 'strategy', 'type'], `Recreate stops all pods before starting new ones, so Service ${svc[0].name ?? ''} has no endpoints during every rollout. Keep Recreate only if two versions cannot run at once (e.g. a ReadWriteOnce volume); otherwise use RollingUpdate.`.replace('Service  has', 'the Service has'), { data: { replacement: 'RollingUpdate' } });
    }
  }
}

function checkHpa(ctx: RuleContext): void {
  if (!ctx.has(['spec', 'replicas'])) return;
  const hpas = autoscalersTargeting(ctx.file, ctx.obj);
  if (!hpas.length) return;
  ctx.report('deployment-replicas-with-hpa', ['spec', 'replicas'], `HorizontalPodAutoscaler ${hpas[0].name ?? ''} scales this ${ctx.kind}, but spec.replicas is set: every apply resets the pod count to ${ctx.str(['spec', 'replicas']) ?? 'it'} until the autoscaler reacts again. Remove replicas and let the HPA own it.`, { where: 'key', data: { remove: 'replicas' } });
}

/** Hover on strategy / rollingUpdate / maxSurge / maxUnavailable of a Deployment: the rollout in pods. */
export const rolloutHover: HoverContributor = ({ file, obj, path, store, settings }) => {
  if (obj.kind !== 'Deployment') return undefined;
  if (path[0] !== 'spec' || path[1] !== 'strategy') return undefined;
  const last = path[path.length - 1];
  if (path.length > 2 && !['type', 'rollingUpdate', 'maxSurge', 'maxUnavailable'].includes(String(last))) return undefined;
  const ctx = new RuleContext(file, obj, store, settings);
  const replicasV = ctx.value(['spec', 'replicas']);
  const replicas = replicasV === undefined || replicasV === null ? 1 : typeof replicasV === 'number' && replicasV >= 0 ? replicasV : undefined;
  if (replicas === undefined) return undefined;
  const note = replicasV === undefined ? ' (replicas is not set: 1, unless an autoscaler sets it)' : '';
  const type = ctx.str(['spec', 'strategy', 'type']) ?? 'RollingUpdate';
  if (type === 'Recreate') {
    return `**Rollout.** With ${plural(replicas, 'replica')}${note}: Recreate stops all ${replicas} old pods before any new pod starts, so nothing serves until the new pods are ready.`;
  }
  if (type !== 'RollingUpdate') return undefined;
  const surgeV = ctx.value(['spec', 'strategy', 'rollingUpdate', 'maxSurge']);
  const unavV = ctx.value(['spec', 'strategy', 'rollingUpdate', 'maxUnavailable']);
  const n = rolloutNumbers(replicas, surgeV, unavV);
  if (!n) return undefined;
  const show = (v: unknown) => (v === undefined || v === null ? '25% (default)' : String(v));
  const lines = [
    `**Rollout.** With ${plural(replicas, 'replica')}${note}: at most ${plural(n.maxPods, 'pod')} during a rollout, at least ${n.minAvailable} available.`,
    `- maxSurge ${show(surgeV)} → ${plural(n.surge, 'extra pod')}${typeof surgeV === 'string' || surgeV === undefined ? ' (percentages round up)' : ''}`,
    `- maxUnavailable ${show(unavV)} → ${plural(n.unavailable, 'pod')} may be unavailable${n.bumped ? ' (both resolved to 0, so Kubernetes allows 1)' : typeof unavV === 'string' || unavV === undefined ? ' (percentages round down)' : ''}`,
  ];
  if (replicas > 0 && n.minAvailable === 0) lines.push('⚠️ Every pod may be down at once during a rollout.');
  return lines.join('\n');
};

