/**
 * Pod specs and containers, in every workload kind: container names, port
 * names, env vars, volume mounts, and restartPolicy per workload kind. All of
 * these are API-server rejections.
 */
import { isMap, isScalar, Node, Path } from '../model/manifest';
import { closest } from '../model/text';
import { podSpecPaths, podTemplatePath, RuleContext, RuleFamily } from './engine';
import { containersOf, ianaPortNameProblem } from './util/podWorkloads';

export const ALWAYS_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController'];
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];

export const podSpecRules: RuleFamily = {
  name: 'podSpec',
  rules: [
    {
      id: 'container-duplicate-name',
      severity: 'error',
      title: 'Two containers with the same name',
      why: 'Container names must be unique across containers, initContainers and ephemeralContainers of a pod; the API server rejects duplicates.',
      bad: 'initContainers:\n- name: app\n  image: busybox\ncontainers:\n- name: app\n  image: nginx',
      good: 'initContainers:\n- name: init\n  image: busybox\ncontainers:\n- name: app\n  image: nginx',
    },
    {
      id: 'container-port-name',
      severity: 'error',
      title: 'An invalid or duplicate container port name',
      why: 'Port names are IANA service names: at most 15 characters, lowercase letters, digits and "-", at least one letter, no leading, trailing or double "-"; unique within the container. Services and probes refer to ports by these names.',
      bad: 'ports:\n- name: http_metrics\n  containerPort: 9090',
      good: 'ports:\n- name: http-metrics\n  containerPort: 9090',
    },
    {
      id: 'env-value-and-valuefrom',
      severity: 'error',
      title: 'An env var with both value and valueFrom',
      why: 'An env var takes its value from one place; the API server rejects a non-empty `value` next to `valueFrom`.',
      bad: 'env:\n- name: DB_PASSWORD\n  value: changeme\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password',
      good: 'env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password',
    },
    {
      id: 'env-valuefrom-sources',
      severity: 'error',
      title: 'valueFrom (or envFrom) without exactly one source',
      why: '`valueFrom` takes exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef (and fileKeyRef); an `envFrom` entry exactly one of configMapRef or secretRef. The API server rejects none or two.',
      bad: 'valueFrom:\n  configMapKeyRef:\n    name: app\n    key: mode\n  secretKeyRef:\n    name: app\n    key: mode',
      good: 'valueFrom:\n  configMapKeyRef:\n    name: app\n    key: mode',
    },
    {
      id: 'volume-mount-undeclared',
      severity: 'error',
      title: 'A volumeMount without its volume, or an invalid volume',
      why: 'Every volumeMounts[].name must name an entry of the pod\'s spec.volumes; volume names must be unique; a secret volume needs secretName. The API server rejects the pod otherwise.',
      bad: 'containers:\n- name: app\n  volumeMounts:\n  - name: config\n    mountPath: /etc/app\nvolumes:\n- name: conf\n  configMap:\n    name: app',
      good: 'containers:\n- name: app\n  volumeMounts:\n  - name: config\n    mountPath: /etc/app\nvolumes:\n- name: config\n  configMap:\n    name: app',
    },
    {
      id: 'pod-restart-policy',
      severity: 'error',
      title: 'A restartPolicy the workload kind does not allow',
      why: 'Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers keep their pods running, so their pod template only accepts `restartPolicy: Always` (the default).',
      bad: 'kind: Deployment\nspec:\n  template:\n    spec:\n      restartPolicy: OnFailure',
      good: 'kind: Deployment\nspec:\n  template:\n    spec:\n      restartPolicy: Always',
      kubeLinter: ['restart-policy'],
    },
  ],
  check(ctx) {
    if (!podSpecPaths(ctx.kind).length) return;
    const containers = containersOf(ctx);

    // Unique names across all container groups, per pod spec.
    const seen = new Map<string, string>();
    const inOrder = [...containers].sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
    for (const c of inOrder) {
      const nameNode = ctx.node(['name'], c.node);
      if (!c.name || !nameNode) continue;
      const key = `${c.specPath.join('.')}|${c.name}`;
      const first = seen.get(key);
      if (first) ctx.report('container-duplicate-name', nameNode, `Container name "${c.name}" is already used by ${first === c.group ? 'another entry of' : 'an entry of'} ${first}; container names must be unique across containers, initContainers and ephemeralContainers.`);
      else seen.set(key, c.group);
    }

    for (const c of containers) {
      checkPorts(ctx, c.node);
      checkEnv(ctx, c.node, c.path);
    }
    for (const spec of podSpecPaths(ctx.kind)) checkVolumes(ctx, spec, containers.filter((c) => c.specPath.join('.') === spec.join('.')));

    if (ALWAYS_KINDS.includes(ctx.kind ?? '')) {
      const tpl = podTemplatePath(ctx.kind)!;
      const rp = ctx.str([...tpl, 'spec', 'restartPolicy']);
      if (rp !== undefined && rp !== 'Always') {
        ctx.report('pod-restart-policy', [...tpl, 'spec', 'restartPolicy'], `restartPolicy must be Always in a ${ctx.kind}: its pods are kept running and replaced by the controller. Remove the field (Always is the default)${rp === 'Never' || rp === 'OnFailure' ? ', or use a Job for run-to-completion work' : ''}.`, { data: { replacement: 'Always' } });
      }
    }
  },
};

function checkPorts(ctx: RuleContext, container: Node): void {
  const names = new Set<string>();
  for (const p of ctx.items(['ports'], container)) {
    const n = ctx.node(['name'], p);
    if (!isScalar(n) || n.value === null || n.value === undefined) continue;
    const name = String(n.value);
    const problem = ianaPortNameProblem(name);
    if (problem) {
      const fixed = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 15).replace(/-$/, '');
      const suggestion = fixed && !ianaPortNameProblem(fixed) ? fixed : undefined;
      ctx.report('container-port-name', n, `Port name "${name}" ${problem}: port names are IANA service names (at most 15 characters, lowercase letters, digits and "-", at least one letter)${suggestion ? `; e.g. "${suggestion}"` : ''}.`, { data: suggestion ? { replacement: suggestion } : undefined });
    } else if (names.has(name)) {
      ctx.report('container-port-name', n, `Port name "${name}" is used twice in this container; port names must be unique.`);
    }
    names.add(name);
  }
}

function checkEnv(ctx: RuleContext, container: Node, cPath: Path): void {
  ctx.items(['env'], container).forEach((e, i) => {
    if (!isMap(e)) return;
    const name = ctx.str(['name'], e) ?? '';
    const vf = ctx.node(['valueFrom'], e);
    const value = ctx.str(['value'], e);
    if (vf && !(isScalar(vf) && vf.value === null) && value !== undefined && value !== '') {
      ctx.report('env-value-and-valuefrom', ctx.pair(['valueFrom'], e) ?? vf, `Env var ${name} has both value and valueFrom; keep one (the API server rejects both).`, { where: 'key', data: { remove: 'value' } });
    }
    if (isMap(vf)) {
      const present = ENV_SOURCES.filter((s) => ctx.node([s], vf));
      if (present.length === 0) {
        ctx.report('env-valuefrom-sources', ctx.pair(['valueFrom'], e) ?? vf, `valueFrom of env var ${name} needs one of ${ENV_SOURCES.slice(0, 4).join(', ')}.`, { where: 'key', absent: ENV_SOURCES.map((s) => [...cPath, 'env', i, 'valueFrom', s]) });
      } else if (present.length > 1) {
        const second = ctx.pair([present[1]], vf);
        ctx.report('env-valuefrom-sources', second ?? vf, `valueFrom of env var ${name} has ${present.join(' and ')}; it takes exactly one source.`, { where: 'key' });
      }
    }
  });
  ctx.items(['envFrom'], container).forEach((e, i) => {
    if (!isMap(e)) return;
    const present = ['configMapRef', 'secretRef'].filter((s) => ctx.node([s], e));
    if (present.length === 0) {
      if (e.items.length) ctx.report('env-valuefrom-sources', e, 'An envFrom entry needs configMapRef or secretRef.', { where: 'key', absent: [[...cPath, 'envFrom', i, 'configMapRef'], [...cPath, 'envFrom', i, 'secretRef']] });
    } else if (present.length > 1) {
      ctx.report('env-valuefrom-sources', ctx.pair(['secretRef'], e) ?? e, 'An envFrom entry takes configMapRef or secretRef, not both; split it into two entries.', { where: 'key' });
    }
  });
}

function checkVolumes(ctx: RuleContext, spec: (string | number)[], containers: ReturnType<typeof containersOf>): void {
  const declared = new Set<string>();
  ctx.items([...spec, 'volumes']).forEach((v, i) => {
    if (!isMap(v)) return;
    const n = ctx.node(['name'], v);
    const name = ctx.str(['name'], v);
    if (name !== undefined && n) {
      if (declared.has(name)) ctx.report('volume-mount-undeclared', n, `Volume name "${name}" is used twice; volume names must be unique in a pod.`);
      declared.add(name);
    }
    const secret = ctx.node(['secret'], v);
    if (secret && !(isScalar(secret) && secret.value === null) && !ctx.str(['secret', 'secretName'], v)) {
      ctx.report('volume-mount-undeclared', ctx.pair(['secret'], v) ?? secret, `The secret volume ${name ?? ''} needs secretName: the name of the Secret to mount.`.replace('volume  needs', 'volume needs'), { where: 'key', data: { add: 'secretName' }, absent: [[...spec, 'volumes', i, 'secret', 'secretName']] });
    }
  });
  // A StatefulSet's volumeClaimTemplates become volumes of its pods.
  if (ctx.kind === 'StatefulSet') {
    for (const t of ctx.items(['spec', 'volumeClaimTemplates'])) {
      const n = ctx.str(['metadata', 'name'], t);
      if (n) declared.add(n);
    }
  }
  // A mount names no volume: unless a volume's name (or the volumes) is missing only because of a typo.
  const volumeNames: Path[] = [[...spec, 'volumes', '*', 'name']];
  if (ctx.kind === 'StatefulSet') volumeNames.push(['spec', 'volumeClaimTemplates', '*', 'metadata', 'name']);
  for (const c of containers) {
    for (const m of ctx.items(['volumeMounts'], c.node)) {
      const n = ctx.node(['name'], m);
      const name = ctx.str(['name'], m);
      if (!n || name === undefined || declared.has(name)) continue;
      const suggestion = closest(name, declared);
      const msg = declared.size
        ? `volumeMount "${name}" names no volume of the pod${suggestion ? `; did you mean "${suggestion}"?` : ` (volumes: ${[...declared].join(', ')}).`}`
        : `volumeMount "${name}" names no volume: the pod declares no volumes. Add it under spec.volumes${podTemplatePath(ctx.kind) ? ' of the pod template' : ''}${ctx.kind === 'StatefulSet' ? ' (or as a volumeClaimTemplate)' : ''}.`;
      ctx.report('volume-mount-undeclared', n, msg, { data: suggestion ? { replacement: suggestion, volume: name } : { volume: name }, absent: volumeNames.map((path) => ({ path, value: name })) });
    }
  }
}
