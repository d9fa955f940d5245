/**
 * Services and Ingresses: ports, node ports, selectors, named target ports
 * (against the workloads of the same file the Service selects), and Ingress
 * paths and backends.
 */
import { isMap, isScalar, Node, Path } from '../model/manifest';
import { RuleContext, RuleFamily } from './engine';
import { get, ianaPortNameProblem, plainOf, podSpecsOfPlain, workloadsSelectedBy } from './util/podWorkloads';
import { labelKeyProblem, labelValueProblem } from './util/serviceLabels';

export const serviceRules: RuleFamily = {
  name: 'services',
  rules: [
    {
      id: 'service-port',
      severity: 'error',
      title: 'An invalid Service port',
      why: 'port must be 1-65535; with more than one port each needs a unique name (a lowercase DNS label); the same port and protocol cannot appear twice; targetPort is a number 1-65535 or a container port name. A Service needs ports unless it is headless or ExternalName.',
      bad: 'ports:\n- port: 80\n  targetPort: 8080\n- port: 443\n  targetPort: 8443',
      good: 'ports:\n- name: http\n  port: 80\n  targetPort: 8080\n- name: https\n  port: 443\n  targetPort: 8443',
    },
    {
      id: 'service-node-port-range',
      severity: 'warning',
      title: 'A nodePort outside 30000-32767, or on a ClusterIP Service',
      why: 'nodePort exists only for NodePort and LoadBalancer Services (the API server rejects it on ClusterIP). The default node port range is 30000-32767; a cluster can be configured with another range (--service-node-port-range), so a value outside the default is a warning.',
      bad: 'type: NodePort\nports:\n- port: 80\n  nodePort: 8080',
      good: 'type: NodePort\nports:\n- port: 80\n  nodePort: 30080',
    },
    {
      id: 'service-selector',
      severity: 'error',
      title: 'An invalid Service selector or ExternalName Service',
      why: 'Selector keys and values must be valid label keys and values. An ExternalName Service needs externalName (a DNS name) and ignores any selector.',
      bad: 'type: ExternalName\nselector:\n  app: db',
      good: 'type: ExternalName\nexternalName: db.example.com',
    },
    {
      id: 'service-target-port-name',
      severity: 'error',
      title: 'A named targetPort that the selected pods do not declare',
      why: 'A string targetPort is looked up among the container port names of each selected pod; when no container declares it, the Service has no endpoints for that port and connections are refused. Checked only when a workload in the same file matches the selector.',
      bad: 'ports:\n- port: 80\n  targetPort: http\n# the Deployment\'s container declares ports: [{containerPort: 8080}]',
      good: 'ports:\n- port: 80\n  targetPort: http\n# the Deployment\'s container declares ports: [{name: http, containerPort: 8080}]',
      kubeLinter: ['invalid-target-ports'],
    },
    {
      id: 'ingress-path-type',
      severity: 'error',
      title: 'An Ingress path without pathType',
      why: 'networking.k8s.io/v1 requires pathType on every path (extensions/v1beta1 did not). Prefix matches the path and everything below it, Exact only the path itself, ImplementationSpecific leaves it to the controller (needed for regex paths).',
      bad: 'paths:\n- path: /api\n  backend:\n    service:\n      name: api\n      port:\n        number: 80',
      good: 'paths:\n- path: /api\n  pathType: Prefix\n  backend:\n    service:\n      name: api\n      port:\n        number: 80',
    },
    {
      id: 'ingress-path',
      severity: 'error',
      title: 'An invalid Ingress path',
      why: 'Paths must start with "/". Prefix and Exact paths must also not contain "//", "/./", "/../" or "%2f" nor end with "/." or "/.."; regular expressions need pathType ImplementationSpecific.',
      bad: 'path: api\npathType: Prefix',
      good: 'path: /api\npathType: Prefix',
    },
    {
      id: 'ingress-backend',
      severity: 'error',
      title: 'An invalid Ingress backend',
      why: 'An Ingress needs rules or a defaultBackend. Each backend has exactly one of service or resource; a service backend port has exactly one of name or number (1-65535).',
      bad: 'backend:\n  service:\n    name: web\n    port:\n      name: http\n      number: 80',
      good: 'backend:\n  service:\n    name: web\n    port:\n      number: 80',
    },
  ],
  check(ctx) {
    if (ctx.kind === 'Service' && ctx.apiVersion === 'v1') checkService(ctx);
    else if (ctx.kind === 'Ingress' && ctx.apiVersion === 'networking.k8s.io/v1') checkIngress(ctx);
  },
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkService(ctx: RuleContext): void {
  const type = ctx.str(['spec', 'type']) ?? 'ClusterIP';
  const headless = ctx.str(['spec', 'clusterIP']) === 'None';
  const ports = ctx.items(['spec', 'ports']);
  if (!ports.length && type !== 'ExternalName' && !headless && ctx.node(['spec'])) {
    const portsNode = ctx.node(['spec', 'ports']);
    if (!portsNode || (isScalar(portsNode) && portsNode.value === null) || (portsNode as { items?: unknown[] }).items?.length === 0) {
      ctx.report('service-port', ctx.has(['spec', 'ports']) ? ['spec', 'ports'] : ['spec'], 'A Service needs at least one port under spec.ports (only headless Services with clusterIP: None and ExternalName Services may have none).', { where: 'key' });
    }
  }
  const names = new Set<string>();
  const portProto = new Set<string>();
  ports.forEach((p, i) => {
    if (!isMap(p)) return;
    const path: Path = ['spec', 'ports', i];
    const port = ctx.num(['port'], p);
    if (port !== undefined && (port < 1 || port > 65535 || !Number.isInteger(port))) {
      ctx.report('service-port', [...path, 'port'], `port must be between 1 and 65535 (it is ${port}).`);
    }
    const name = ctx.str(['name'], p);
    if (ports.length > 1 && !name) {
      ctx.report('service-port', path, `This Service has ${ports.length} ports, so each needs a name; add \`name:\` (e.g. "${port === 443 ? 'https' : port === 80 ? 'http' : `port-${port ?? i}`}").`, { where: 'key', data: { add: 'name', name: port === 443 ? 'https' : port === 80 ? 'http' : `port-${port ?? i}` } });
    } else if (name) {
      if (!DNS1123_LABEL.test(name) || name.length > 63) {
        ctx.report('service-port', [...path, 'name'], `Port name "${name}" must be a lowercase DNS label: letters, digits and "-", starting and ending with a letter or digit.`, { data: { replacement: name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') } });
      } else if (names.has(name)) {
        ctx.report('service-port', [...path, 'name'], `Port name "${name}" is used twice; Service port names must be unique.`);
      }
      names.add(name);
    }
    const proto = ctx.str(['protocol'], p) ?? 'TCP';
    if (port !== undefined) {
      const key = `${port}/${proto}`;
      if (portProto.has(key)) ctx.report('service-port', [...path, 'port'], `Port ${port}/${proto} is listed twice; each port and protocol pair may appear once.`);
      portProto.add(key);
    }
    const tpNode = ctx.node(['targetPort'], p);
    if (isScalar(tpNode)) {
      const v = tpNode.value;
      if (typeof v === 'number' && (v < 1 || v > 65535 || !Number.isInteger(v))) {
        ctx.report('service-port', tpNode, `targetPort must be between 1 and 65535 (it is ${v}).`);
      } else if (typeof v === 'string') {
        if (/^\d+$/.test(v.trim())) {
          ctx.report('service-port', tpNode, `targetPort "${v}" is a string, so it is read as a port name, and a name must contain a letter; write the number without quotes: \`targetPort: ${v.trim()}\`.`, { data: Number(v.trim()) <= 65535 ? { replacement: Number(v.trim()) } : undefined });
        } else {
          const problem = ianaPortNameProblem(v);
          if (problem) ctx.report('service-port', tpNode, `targetPort "${v}" is not a valid port name: it ${problem} (at most 15 characters, lowercase letters, digits and "-").`);
        }
      }
    }
    const np = ctx.num(['nodePort'], p);
    if (np !== undefined && np !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        ctx.report('service-node-port-range', [...path, 'nodePort'], `nodePort cannot be used when type is ${type}${ctx.has(['spec', 'type']) ? '' : ' (the default)'}; set type: NodePort or LoadBalancer, or remove nodePort.`, { where: 'key', severity: 'error', data: { remove: 'nodePort' } });
      } else if (np < 30000 || np > 32767) {
        ctx.report('service-node-port-range', [...path, 'nodePort'], `nodePort ${np} is outside the default node port range 30000-32767; the Service is rejected unless the cluster's --service-node-port-range includes it.`);
      }
    }
  });

  // Selector.
  const sel = ctx.node(['spec', 'selector']);
  if (type === 'ExternalName') {
    if (!ctx.str(['spec', 'externalName'])) {
      ctx.report('service-selector', ctx.has(['spec', 'externalName']) ? ['spec', 'externalName'] : ['spec', 'type'], 'An ExternalName Service needs spec.externalName: the DNS name it aliases (e.g. db.example.com).', { where: 'key', data: { add: 'externalName' } });
    }
    if (isMap(sel) && sel.items.length) {
      ctx.report('service-selector', ['spec', 'selector'], 'An ExternalName Service ignores its selector: it only returns a CNAME for externalName. Remove the selector, or use type ClusterIP to route to pods.', { where: 'key', severity: 'warning', data: { remove: 'selector' } });
    }
  }
  if (isMap(sel)) {
    for (const pair of sel.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const kp = labelKeyProblem(key);
      if (kp) ctx.report('service-selector', pair.key as Node, `Selector key "${key}" is not a valid label key: ${kp}.`);
      const val = pair.value;
      if (isScalar(val) && typeof val.value === 'string') {
        const vp = labelValueProblem(val.value);
        if (vp) ctx.report('service-selector', val, `Selector value "${val.value}" is not a valid label value: ${vp}.`);
      }
    }
  }

  checkTargetPortNames(ctx);
}

function checkTargetPortNames(ctx: RuleContext): void {
  const selector = get(plainOf(ctx.obj), ['spec', 'selector']);
  if (!selector || typeof selector !== 'object') return;
  const sel: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector as Record<string, unknown>)) if (v !== null && typeof v !== 'object') sel[k] = String(v);
  let workloads: ReturnType<typeof workloadsSelectedBy> | undefined;
  ctx.items(['spec', 'ports']).forEach((p) => {
    const tp = ctx.node(['targetPort'], p);
    if (!isScalar(tp) || typeof tp.value !== 'string' || /^\d+$/.test(tp.value) || ianaPortNameProblem(tp.value)) return;
    const name = tp.value;
    workloads ??= workloadsSelectedBy(ctx.file, ctx.obj, sel);
    if (!workloads.length) return;
    const declared = new Set<string>();
    let found = false;
    for (const w of workloads) {
      for (const names of podSpecsOfPlain(w).map((spec) => portNamesOfPlainSpec(spec))) {
        names.forEach((n) => declared.add(n));
        if (names.has(name)) found = true;
      }
    }
    if (found) return;
    const which = workloads.map((w) => `${w.kind} ${w.name ?? ''}`.trim()).join(', ');
    ctx.report('service-target-port-name', tp, `targetPort "${name}" is not a container port name of ${which}${declared.size ? ` (they declare ${[...declared].map((d) => `"${d}"`).join(', ')})` : ' (no container names its ports)'}: the Service gets no endpoints for this port. Name the container port \`${name}\` or use its number.`, { data: { port: name, declared: [...declared] } });
  });
}

function portNamesOfPlainSpec(spec: unknown): Set<string> {
  const out = new Set<string>();
  for (const group of ['containers', 'initContainers']) {
    const cs = get(spec, [group]);
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      const ports = get(c, ['ports']);
      if (!Array.isArray(ports)) continue;
      for (const p of ports) {
        const n = get(p, ['name']);
        if (typeof n === 'string') out.add(n);
      }
    }
  }
  return out;
}

function checkIngress(ctx: RuleContext): void {
  const spec = ctx.node(['spec']);
  if (!isMap(spec)) return;
  const rules = ctx.items(['spec', 'rules']);
  const def = ctx.node(['spec', 'defaultBackend']);
  if (!rules.length && !isMap(def)) {
    ctx.report('ingress-backend', ['spec'], 'An Ingress needs spec.rules or spec.defaultBackend; this one routes nothing.', { where: 'key' });
  }
  if (isMap(def)) checkBackend(ctx, ['spec', 'defaultBackend']);
  rules.forEach((r, ri) => {
    ctx.items(['http', 'paths'], r).forEach((p, pi) => {
      if (!isMap(p)) return;
      const base: Path = ['spec', 'rules', ri, 'http', 'paths', pi];
      const pathType = ctx.str(['pathType'], p);
      const path = ctx.str(['path'], p);
      if (!ctx.has(['pathType'], p) || pathType === undefined) {
        const regex = path !== undefined && /[()[\]*+?^$|\\]/.test(path);
        const suggestion = regex ? 'ImplementationSpecific' : 'Prefix';
        ctx.report('ingress-path-type', [...base, 'pathType'], `pathType is required in networking.k8s.io/v1; add \`pathType: ${suggestion}\`${regex ? ' (the path is a regular expression, which only ImplementationSpecific allows)' : ' (Prefix matches the path and everything below it; Exact matches only the path)'}.`, {
          where: 'key',
          data: { add: 'pathType', replacement: suggestion },
        });
        dropSchemaDuplicate(ctx, p);
      }
      if (path !== undefined) checkPath(ctx, [...base, 'path'], path, pathType);
      else if (pathType === 'Prefix' || pathType === 'Exact') {
        ctx.report('ingress-path', [...base, 'pathType'], `A ${pathType} path needs \`path:\`, starting with "/".`, { where: 'key', data: { add: 'path', replacement: '/' } });
      }
      if (ctx.node(['backend'], p)) checkBackend(ctx, [...base, 'backend']);
    });
  });
}

/** The schema's "missing the required field `pathType`" says the same as ingress-path-type, less helpfully: keep one. */
function dropSchemaDuplicate(ctx: RuleContext, item: Node): void {
  const r = item.range;
  if (!r) return;
  const [s, e] = [ctx.obj.section.start + r[0], ctx.obj.section.start + r[1]];
  for (let i = ctx.problems.length - 1; i >= 0; i--) {
    const p = ctx.problems[i];
    if (p.code === 'missing-required' && p.message.includes('`pathType`') && p.start >= s && p.start <= e) ctx.problems.splice(i, 1);
  }
}

function checkPath(ctx: RuleContext, at: Path, path: string, pathType: string | undefined): void {
  if (path === '' && pathType !== 'Prefix' && pathType !== 'Exact') return;
  if (!path.startsWith('/')) {
    ctx.report('ingress-path', at, `Path "${path}" must start with "/"${path ? `: write "/${path}"` : ''}.`, { data: { replacement: '/' + path } });
    return;
  }
  if (pathType !== 'Prefix' && pathType !== 'Exact') return;
  for (const bad of ['//', '/./', '/../', '%2f', '%2F']) {
    if (path.includes(bad)) {
      ctx.report('ingress-path', at, `A ${pathType} path must not contain "${bad}".`);
      return;
    }
  }
  for (const bad of ['/..', '/.']) {
    if (path.endsWith(bad)) {
      ctx.report('ingress-path', at, `A ${pathType} path must not end with "${bad}".`);
      return;
    }
  }
  if (/[()[\]*+?^$|\\{}]/.test(path)) {
    ctx.report('ingress-path', at, `Path "${path}" looks like a regular expression, but pathType ${pathType} matches it literally (and ingress-nginx's admission webhook rejects it when path validation is on); use pathType: ImplementationSpecific for regex paths.`, { severity: 'warning', data: { pathType: 'ImplementationSpecific' } });
  }
}

function checkBackend(ctx: RuleContext, at: Path): void {
  const svc = ctx.node([...at, 'service']);
  const res = ctx.node([...at, 'resource']);
  const hasSvc = !!svc && !(isScalar(svc) && svc.value === null);
  const hasRes = !!res && !(isScalar(res) && res.value === null);
  if (hasSvc && hasRes) {
    ctx.report('ingress-backend', [...at, 'resource'], 'A backend takes service or resource, not both; remove one.', { where: 'key' });
  } else if (!hasSvc && !hasRes) {
    const legacy = ctx.has([...at, 'serviceName']) ? ' (serviceName/servicePort are the extensions/v1beta1 shape: in v1 write service: {name, port: {number}})' : '';
    ctx.report('ingress-backend', at, `The backend needs service (name and port) or resource${legacy}.`, { where: 'key' });
  }
  if (!isMap(svc)) return;
  const port = ctx.node([...at, 'service', 'port']);
  if (!isMap(port)) return;
  const name = ctx.str([...at, 'service', 'port', 'name']);
  const number = ctx.num([...at, 'service', 'port', 'number']);
  if (name !== undefined && ctx.has([...at, 'service', 'port', 'number'])) {
    ctx.report('ingress-backend', [...at, 'service', 'port', 'number'], 'The service port takes name or number, not both; keep one.', { where: 'key' });
  } else if (name === undefined && number === undefined) {
    ctx.report('ingress-backend', [...at, 'service', 'port'], 'The service port needs number (e.g. 80) or name (the Service port\'s name).', { where: 'key' });
  }
  if (number !== undefined && (number < 1 || number > 65535)) ctx.report('ingress-backend', [...at, 'service', 'port', 'number'], `port number must be between 1 and 65535 (it is ${number}).`);
  if (name !== undefined) {
    const problem = /^\d+$/.test(name) ? 'it is a number: use `number:` instead' : ianaPortNameProblem(name);
    if (problem) ctx.report('ingress-backend', [...at, 'service', 'port', 'name'], `port name "${name}" is not valid: ${problem}.`);
  }
}

