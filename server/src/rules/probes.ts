/**
 * Probes and graceful shutdown, for every container and init container of
 * every workload kind: the probe and lifecycle-hook shapes the API server
 * rejects, named ports the kubelet cannot resolve, and the probe and preStop
 * settings that restart or kill healthy apps. The hover on a probe shows its
 * timing; on terminationGracePeriodSeconds or preStop, the shutdown budget.
 */
import type { HoverContributor } from '../features/hover';
import { isMap, isScalar, Node, Path, YAMLMap } from '../model/manifest';
import { podSpecPaths, podTemplatePath, RuleContext, RuleFamily, toPlain } from './engine';
import { containerPortNames, containersOf, ContainerRef, get, plainOf, servicesSelecting, stringMap } from './util/podWorkloads';
import { execSleepSeconds, HANDLERS, HOOK_HANDLERS, PROBE_DEFAULTS, probeTiming, seconds } from './util/probeTiming';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
type ProbeKind = (typeof PROBES)[number];
const SERVED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

export const probeRules: RuleFamily = {
  name: 'probes',
  rules: [
    {
      id: 'probe-handler',
      severity: 'error',
      title: 'A probe or lifecycle hook without exactly one handler',
      why: 'A probe needs exactly one of exec, httpGet, tcpSocket or grpc (a hook: exec, httpGet, tcpSocket or sleep); the API server rejects none or two.',
      bad: 'livenessProbe:\n  periodSeconds: 10',
      good: 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n  periodSeconds: 10',
    },
    {
      id: 'probe-init-container',
      severity: 'error',
      title: 'Probes or lifecycle hooks on a regular init container',
      why: 'An init container runs to completion before the app starts, so the API server rejects probes and lifecycle hooks on it, unless it is a sidecar (`restartPolicy: Always`).',
      bad: 'initContainers:\n- name: migrate\n  image: app\n  readinessProbe:\n    exec:\n      command: ["true"]',
      good: 'initContainers:\n- name: migrate\n  image: app',
    },
    {
      id: 'probe-success-threshold',
      severity: 'error',
      title: 'successThreshold other than 1 on a liveness or startup probe',
      why: 'A liveness or startup probe counts as passing after one success; the API server rejects any other successThreshold.',
      bad: 'livenessProbe:\n  successThreshold: 3\n  tcpSocket:\n    port: 8080',
      good: 'livenessProbe:\n  successThreshold: 1\n  tcpSocket:\n    port: 8080',
    },
    {
      id: 'probe-readiness-termination-grace',
      severity: 'error',
      title: 'terminationGracePeriodSeconds on a readiness probe',
      why: 'A failing readiness probe never kills the container, so a grace period for the kill means nothing there; the API server rejects it.',
      bad: 'readinessProbe:\n  terminationGracePeriodSeconds: 10\n  httpGet:\n    port: 8080',
      good: 'readinessProbe:\n  httpGet:\n    port: 8080',
    },
    {
      id: 'probe-range',
      severity: 'error',
      title: 'A probe timing out of range',
      why: 'Negative delays, periods, timeouts or thresholds are rejected, as is a probe-level terminationGracePeriodSeconds below 1. A 0 (except initialDelaySeconds) is silently replaced by the default, which is rarely what was meant.',
      bad: 'readinessProbe:\n  periodSeconds: -5\n  httpGet:\n    port: 8080',
      good: 'readinessProbe:\n  periodSeconds: 5\n  httpGet:\n    port: 8080',
    },
    {
      id: 'probe-named-port',
      severity: 'error',
      title: 'A named probe or hook port that the container does not declare',
      why: 'The API server only checks that `port: http` is a valid name; the kubelet looks it up in the container\'s ports at run time and the probe fails, which restarts the container forever (liveness) or keeps it out of the Service (readiness).',
      bad: 'ports:\n- containerPort: 8080\nlivenessProbe:\n  httpGet:\n    port: http',
      good: 'ports:\n- name: http\n  containerPort: 8080\nlivenessProbe:\n  httpGet:\n    port: http',
      kubeLinter: ['liveness-port', 'readiness-port', 'startup-port'],
    },
    {
      id: 'probe-missing-readiness',
      severity: 'information',
      title: 'A Service-backed container without a readiness probe',
      why: 'Without a readiness probe a pod receives Service traffic as soon as its container starts, before the app listens, and keeps receiving it while the app is overloaded. Only checked for Deployments, StatefulSets and DaemonSets selected by a Service in the same file; never for Jobs, CronJobs or init containers.',
      bad: 'containers:\n- name: web\n  image: nginx\n  ports:\n  - containerPort: 80',
      good: 'containers:\n- name: web\n  image: nginx\n  ports:\n  - containerPort: 80\n  readinessProbe:\n    httpGet:\n      path: /\n      port: 80',
      kubeLinter: ['no-readiness-probe'],
    },
    {
      id: 'probe-identical',
      severity: 'information',
      title: 'Identical liveness and readiness probes',
      why: 'When both probes check the same thing with the same timings, a slow app is restarted at the very moment it is taken out of the Service, turning a load spike into a restart storm. Flagged only when handler and all timings are identical: a liveness probe with a higher failureThreshold on the same endpoint is fine.',
      bad: 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\nreadinessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080',
      good: 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n  failureThreshold: 6\nreadinessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080',
    },
    {
      id: 'probe-missing-startup',
      severity: 'information',
      title: 'A tight liveness probe without a startup probe',
      why: 'When initialDelaySeconds + failureThreshold × periodSeconds is under 30 seconds, an app that starts slowly (a cold JVM, a cache warm-up, a slow node) is killed before it is up and restarts forever. A startupProbe gives start-up its own budget. The default timings (30 s) are not flagged, to stay quiet.',
      bad: 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n  periodSeconds: 5\n  failureThreshold: 2',
      good: 'startupProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n  failureThreshold: 30\nlivenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n  periodSeconds: 5\n  failureThreshold: 2',
    },
    {
      id: 'shutdown-prestop-too-long',
      severity: 'warning',
      title: 'A preStop sleep that uses up the termination grace period',
      why: 'terminationGracePeriodSeconds (default 30) covers the preStop hook and the app\'s own SIGTERM handling together. A preStop sleep as long as the grace period leaves the app no time: it gets SIGTERM and, 2 seconds later, SIGKILL, dropping in-flight requests.',
      bad: 'terminationGracePeriodSeconds: 30\ncontainers:\n- name: web\n  lifecycle:\n    preStop:\n      exec:\n        command: ["sleep", "30"]',
      good: 'terminationGracePeriodSeconds: 45\ncontainers:\n- name: web\n  lifecycle:\n    preStop:\n      exec:\n        command: ["sleep", "15"]',
    },
  ],
  check(ctx) {
    const kind = ctx.kind;
    if (!podSpecPaths(kind).length) return;
    const containers = containersOf(ctx, ['containers', 'initContainers']);
    for (const c of containers) {
      const ports = containerPortNames(ctx, c.node);
      const initOnly = c.group === 'initContainers' && !c.sidecar;
      for (const pk of PROBES) {
        const probe = ctx.node([pk], c.node);
        if (!probe || (isScalar(probe) && probe.value === null)) continue;
        if (initOnly) {
          ctx.report('probe-init-container', [...c.path, pk], `Init container ${c.name ?? ''} cannot have a ${pk}: it runs to completion before the app starts. Remove it, or make it a sidecar with \`restartPolicy: Always\`.`.replace('container  cannot', 'container cannot'), { where: 'key', data: { remove: pk }, absent: [[...c.path, 'restartPolicy']] });
          continue;
        }
        if (!isMap(probe)) continue;
        checkProbe(ctx, c, pk, probe, ports);
      }
      checkLifecycle(ctx, c, ports, initOnly);
      if (c.group === 'containers') {
        checkIdentical(ctx, c);
        checkStartup(ctx, c);
      }
    }
    checkReadinessMissing(ctx);
  },
};

function checkProbe(ctx: RuleContext, c: ContainerRef, pk: ProbeKind, probe: YAMLMap, ports: Set<string>): void {
  const base = [...c.path, pk];
  const present = HANDLERS.filter((h) => {
    const n = ctx.node([h], probe);
    return n && !(isScalar(n) && n.value === null);
  });
  if (present.length === 0) {
    ctx.report('probe-handler', base, `${pk} has no check: add exactly one of exec, httpGet, tcpSocket or grpc.`, { where: 'key', absent: HANDLERS.map((h) => [...base, h]) });
  } else if (present.length > 1) {
    ctx.report('probe-handler', [...base, present[1]], `${pk} has ${present.join(' and ')}; a probe takes exactly one handler. Keep one.`, { where: 'key' });
  }

  const success = ctx.num(['successThreshold'], probe);
  if (pk !== 'readinessProbe' && success !== undefined && success !== 1 && success !== 0) {
    ctx.report('probe-success-threshold', [...base, 'successThreshold'], `successThreshold must be 1 in a ${pk} (one success means alive${pk === 'startupProbe' ? ', or started' : ''}); the API server rejects ${success}.`, { data: { replacement: 1 } });
  }

  if (pk === 'readinessProbe' && ctx.has(['terminationGracePeriodSeconds'], probe) && ctx.value(['terminationGracePeriodSeconds'], probe) !== null) {
    ctx.report('probe-readiness-termination-grace', [...base, 'terminationGracePeriodSeconds'], 'terminationGracePeriodSeconds cannot be set on a readinessProbe: a failing readiness probe never kills the container. Remove it (set it on the liveness or startup probe, or on the pod).', { where: 'key', data: { remove: 'terminationGracePeriodSeconds' } });
  }

  for (const field of Object.keys(PROBE_DEFAULTS) as Array<keyof typeof PROBE_DEFAULTS>) {
    const v = ctx.num([field], probe);
    if (v === undefined) continue;
    if (v < 0) {
      ctx.report('probe-range', [...base, field], `${field} cannot be negative (it is ${v}).`);
    } else if (v === 0 && field !== 'initialDelaySeconds' && !(field === 'successThreshold' && pk !== 'readinessProbe')) {
      ctx.report('probe-range', [...base, field], `${field}: 0 is replaced by the default ${PROBE_DEFAULTS[field]}; write ${PROBE_DEFAULTS[field]} (or the value you meant) so the manifest says what runs.`, { severity: 'warning', data: { replacement: PROBE_DEFAULTS[field] } });
    }
  }
  const tg = ctx.num(['terminationGracePeriodSeconds'], probe);
  if (pk !== 'readinessProbe' && tg !== undefined && tg < 1) {
    ctx.report('probe-range', [...base, 'terminationGracePeriodSeconds'], `A probe's terminationGracePeriodSeconds must be at least 1 (it is ${tg}); remove it to use the pod's grace period.`);
  }

  // grpc.port is a number only: a string there is the schema's invalid-type.
  for (const h of ['httpGet', 'tcpSocket'] as const) checkNamedPort(ctx, c, [...base, h, 'port'], `${pk}.${h}`, ports);
}

function checkNamedPort(ctx: RuleContext, c: ContainerRef, path: Path, where: string, ports: Set<string>): void {
  const n = ctx.node(path);
  if (!isScalar(n) || typeof n.value !== 'string') return;
  const name = n.value;
  if (/^\d+$/.test(name.trim())) {
    ctx.report('probe-named-port', n, `${where}.port "${name}" is a string, so it is read as a port name, and a name must contain a letter; write the number without quotes: \`port: ${name.trim()}\`.`, { data: { replacement: Number(name.trim()) } });
    return;
  }
  if (ports.has(name)) return;
  const declared = [...ports];
  ctx.report(
    'probe-named-port',
    n,
    `${where}.port "${name}" is not a port name of container ${c.name ?? ''}${declared.length ? ` (it declares ${declared.map((d) => `"${d}"`).join(', ')})` : ' (it declares no named ports)'}; the kubelet cannot resolve it and the check always fails. Name the port under ports (\`name: ${name}\`) or use the number.`.replace('container  (', 'container ('),
    { data: { port: name, declared }, absent: [{ path: [...c.path, 'ports', '*', 'name'], value: name }] },
  );
}

function checkLifecycle(ctx: RuleContext, c: ContainerRef, ports: Set<string>, initOnly: boolean): void {
  const lc = ctx.node(['lifecycle'], c.node);
  if (!isMap(lc)) return;
  if (initOnly) {
    ctx.report('probe-init-container', [...c.path, 'lifecycle'], `Init container ${c.name ?? ''} cannot have lifecycle hooks: it runs to completion before the app starts. Remove them, or make it a sidecar with \`restartPolicy: Always\`.`.replace('container  cannot', 'container cannot'), { where: 'key', data: { remove: 'lifecycle' }, absent: [[...c.path, 'restartPolicy']] });
    return;
  }
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = ctx.node([hook], lc);
    if (!isMap(h)) continue;
    const base = [...c.path, 'lifecycle', hook];
    const present = HOOK_HANDLERS.filter((k) => {
      const n = ctx.node([k], h);
      return n && !(isScalar(n) && n.value === null);
    });
    if (present.length === 0) ctx.report('probe-handler', base, `lifecycle.${hook} has no action: add exactly one of exec, httpGet, tcpSocket or sleep.`, { where: 'key', absent: HOOK_HANDLERS.map((k) => [...base, k]) });
    else if (present.length > 1) ctx.report('probe-handler', [...base, present[1]], `lifecycle.${hook} has ${present.join(' and ')}; a hook takes exactly one action. Keep one.`, { where: 'key' });
    for (const k of ['httpGet', 'tcpSocket'] as const) checkNamedPort(ctx, c, [...base, k, 'port'], `lifecycle.${hook}.${k}`, ports);
  }

  // preStop sleep against the grace period.
  const pre = [...c.path, 'lifecycle', 'preStop'];
  const grace = ctx.num([...c.specPath, 'terminationGracePeriodSeconds']);
  const g = grace ?? 30;
  const graceText = grace === undefined ? `terminationGracePeriodSeconds (30 by default)` : `terminationGracePeriodSeconds (${grace})`;
  const native = ctx.num([...pre, 'sleep', 'seconds']);
  if (native !== undefined) {
    if (native >= g) {
      const rejected = native > g;
      ctx.report('shutdown-prestop-too-long', [...pre, 'sleep', 'seconds'], `The preStop hook sleeps ${seconds(native)}, ${rejected ? 'longer than' : 'as long as'} ${graceText}: ${rejected ? 'the API server rejects a sleep longer than the grace period.' : 'the grace period covers the hook and the app\'s shutdown together, so the app gets SIGTERM only 2 s before SIGKILL.'} Raise terminationGracePeriodSeconds to at least ${native + 15} or shorten the sleep.`, {
        severity: rejected ? 'error' : undefined,
        data: { terminationGracePeriodSeconds: native + 15 },
        absent: [[...c.specPath, 'terminationGracePeriodSeconds']],
      });
    }
    return;
  }
  const cmdNode = ctx.node([...pre, 'exec', 'command']);
  const slept = execSleepSeconds(ctx.value([...pre, 'exec', 'command']));
  if (cmdNode && slept !== undefined && slept >= g) {
    ctx.report('shutdown-prestop-too-long', cmdNode, `The preStop hook sleeps ${seconds(slept)}, ${slept > g ? 'longer than' : 'as long as'} ${graceText}: the grace period covers the hook and the app's shutdown together, so ${slept > g ? 'the hook is cut short and ' : ''}the app gets SIGTERM only 2 s before SIGKILL, dropping in-flight requests. Raise terminationGracePeriodSeconds to at least ${Math.ceil(slept) + 15} or shorten the sleep.`, {
      data: { terminationGracePeriodSeconds: Math.ceil(slept) + 15 },
      absent: [[...c.specPath, 'terminationGracePeriodSeconds']],
    });
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function checkIdentical(ctx: RuleContext, c: ContainerRef): void {
  const l = ctx.node(['livenessProbe'], c.node);
  const r = ctx.node(['readinessProbe'], c.node);
  if (!isMap(l) || !isMap(r)) return;
  const lp = toPlain(l, ctx.doc) as Record<string, unknown>;
  const rp = toPlain(r, ctx.doc) as Record<string, unknown>;
  const handler = (p: Record<string, unknown>) => canonical(Object.fromEntries(HANDLERS.filter((h) => p[h] !== undefined).map((h) => [h, p[h]])));
  if (handler(lp) === '{}' || handler(lp) !== handler(rp)) return;
  if (canonical(probeTiming(lp)) !== canonical(probeTiming(rp))) return;
  ctx.report('probe-identical', [...c.path, 'livenessProbe'], `livenessProbe is identical to readinessProbe (same check, same timings): when the app is slow, it is restarted at the same moment it leaves the Service endpoints. Give the liveness probe a higher failureThreshold (e.g. ${probeTiming(lp).failureThreshold * 2}) or a cheaper endpoint.`, {
    where: 'key',
    data: { failureThreshold: probeTiming(lp).failureThreshold * 2 },
    // Identical only through a default: a misspelled timing field of either probe explains it.
    absent: (['livenessProbe', 'readinessProbe'] as const).flatMap((pk) => Object.keys(PROBE_DEFAULTS).map((f) => [...c.path, pk, f])),
  });
}

function checkStartup(ctx: RuleContext, c: ContainerRef): void {
  const l = ctx.node(['livenessProbe'], c.node);
  if (!isMap(l) || ctx.node(['startupProbe'], c.node)) return;
  const t = probeTiming(toPlain(l, ctx.doc) as Record<string, unknown>);
  const budget = t.initialDelaySeconds + t.failureThreshold * t.periodSeconds;
  if (budget >= 30) return;
  ctx.report('probe-missing-startup', [...c.path, 'livenessProbe'], `The liveness probe restarts ${c.name ? `container ${c.name}` : 'the container'} if it is not answering ${seconds(budget)} after start (initialDelaySeconds ${t.initialDelaySeconds} + failureThreshold ${t.failureThreshold} × periodSeconds ${t.periodSeconds}); a slow start then restarts forever. Add a startupProbe with the same check and a generous failureThreshold.`, { where: 'key', absent: [[...c.path, 'startupProbe']] });
}

function checkReadinessMissing(ctx: RuleContext): void {
  if (!SERVED_KINDS.includes(ctx.kind ?? '')) return;
  const tpl = podTemplatePath(ctx.kind);
  if (!tpl) return;
  const labels = stringMap(ctx.value([...tpl, 'metadata', 'labels']));
  const services = servicesSelecting(ctx.file, ctx.obj, labels);
  if (!services.length) return;
  const containers = containersOf(ctx, ['containers']);
  // Which container ports the Services send traffic to (numbers and names).
  const targets = new Set<string>();
  for (const s of services) {
    const ports = get(plainOf(s), ['spec', 'ports']);
    if (!Array.isArray(ports)) continue;
    for (const p of ports) {
      const t = get(p, ['targetPort']) ?? get(p, ['port']);
      if (t !== undefined && t !== null) targets.add(String(t));
    }
  }
  const serves = (c: ContainerRef) => ctx.items(['ports'], c.node).some((p) => targets.has(ctx.str(['containerPort'], p) ?? '') || targets.has(ctx.str(['name'], p) ?? ''));
  let candidates = containers.filter(serves);
  if (!candidates.length && containers.length === 1 && !ctx.items(['ports'], containers[0].node).length) candidates = containers;
  for (const c of candidates) {
    if (ctx.node(['readinessProbe'], c.node)) continue;
    ctx.report('probe-missing-readiness', [...c.path, 'name'], `Container ${c.name ?? ''} serves Service ${services[0].name ?? ''} but has no readinessProbe: it gets traffic as soon as it starts, before the app listens, and while it is overloaded. Add a readinessProbe.`.replace(/ {2}/g, ' '), { absent: [[...c.path, 'readinessProbe']] });
  }
}

/** Hover on a probe (or one of its fields): when it first runs, how often, and what a failure does. On terminationGracePeriodSeconds / preStop: the shutdown budget. */
export const probeHover: HoverContributor = ({ file, obj, path, store, settings }) => {
  const ctx = new RuleContext(file, obj, store, settings);
  const specPath = podSpecPaths(obj.kind).find((sp) => sp.every((s, i) => path[i] === s));
  if (!specPath) return undefined;
  const rest = path.slice(specPath.length);
  if (rest.length === 1 && rest[0] === 'terminationGracePeriodSeconds') return graceHover(ctx, specPath, undefined);
  if (rest.length < 3 || (rest[0] !== 'containers' && rest[0] !== 'initContainers') || typeof rest[1] !== 'number') return undefined;
  const cPath = [...specPath, rest[0], rest[1]];
  const pk = rest[2];
  if (pk === 'lifecycle' && rest[3] === 'preStop') return graceHover(ctx, specPath, cPath);
  if (!PROBES.includes(pk as ProbeKind)) return undefined;
  if (rest.length > 4 || (rest.length === 4 && !['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold', 'httpGet', 'exec', 'tcpSocket', 'grpc'].includes(String(rest[3])))) return undefined;
  const probe = ctx.node([...cPath, pk]);
  if (!isMap(probe)) return undefined;
  const t = probeTiming(toPlain(probe, ctx.doc) as Record<string, unknown>);
  const window = t.failureThreshold * t.periodSeconds;
  const lines = [`**${pk} timing**: first check ${t.initialDelaySeconds ? `${seconds(t.initialDelaySeconds)} after the container starts` : 'right after the container starts'}, then every ${seconds(t.periodSeconds)}, each allowed ${seconds(t.timeoutSeconds)} to answer.`];
  const hasStartup = pk !== 'startupProbe' && isMap(ctx.node([...cPath, 'startupProbe']));
  if (pk === 'livenessProbe') {
    lines.push(`A container that stops answering is restarted after ${t.failureThreshold} failed checks in a row: about ${seconds(window)}.`);
  } else if (pk === 'readinessProbe') {
    lines.push(`A failing pod is taken out of the Service endpoints after ${t.failureThreshold} failed checks (about ${seconds(window)}) and back in after ${t.successThreshold} successful check${t.successThreshold === 1 ? '' : 's'}; it is never restarted for it.`);
  } else {
    const longest = t.initialDelaySeconds + window;
    lines.push(`The app may take up to ${seconds(longest)} to start (initialDelaySeconds ${t.initialDelaySeconds} + failureThreshold ${t.failureThreshold} × periodSeconds ${t.periodSeconds}); if it has not passed by then, the container is restarted. Liveness and readiness checks wait until it passes.`);
  }
  if (hasStartup) lines.push('Checks begin only after the startupProbe has passed.');
  return lines.join('\n\n');
};

function graceHover(ctx: RuleContext, specPath: Path, cPath: Path | undefined): string | undefined {
  const grace = ctx.num([...specPath, 'terminationGracePeriodSeconds']);
  const g = grace ?? 30;
  const containers = cPath ? [cPath] : ctx.items([...specPath, 'containers']).map((_, i) => [...specPath, 'containers', i]);
  let sleep: number | undefined;
  for (const p of containers) {
    const s = ctx.num([...p, 'lifecycle', 'preStop', 'sleep', 'seconds']) ?? execSleepSeconds(ctx.value([...p, 'lifecycle', 'preStop', 'exec', 'command']));
    if (s !== undefined) sleep = Math.max(sleep ?? 0, s);
  }
  const lines = [`**Shutdown**: when the pod is deleted, each container has ${seconds(g)}${grace === undefined ? ' (terminationGracePeriodSeconds default)' : ''} in total before SIGKILL.`];
  if (sleep !== undefined) {
    const left = g - sleep;
    lines.push(`The preStop hook runs first (sleep ${seconds(sleep)}), then the app gets SIGTERM and ${left > 0 ? `has the remaining ${seconds(left)} to finish` : 'has no time left: SIGKILL follows 2 s later'}.`);
  } else {
    lines.push('The preStop hook (if any) runs first, then SIGTERM; the hook and the app\'s own shutdown share this budget.');
  }
  return lines.join('\n\n');
}

