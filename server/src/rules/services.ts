/**
 * Services and Ingresses: ports, node ports, selectors, named target ports
 * (against the workloads of the same file the Service selects), and Ingress
 * paths and backends.
 */
import { isMap, isScalar, isSeq, Node, Path } from '../model/manifest';
import { RuleContext, RuleFamily } from './engine';
import { closest } from '../model/text';
import { get, ianaPortNameProblem, plainOf, podSpecsOfPlain, workloadsSelectedBy } from './util/podWorkloads';
import { cidrProblem, parseIP, ParsedIP, specialIPProblem } from './util/ipAddress';
import { isDns1123Subdomain, nameFormatProblem, qualifiedNameProblem } from './util/namesFormat';
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
      id: 'service-spec',
      severity: 'error',
      title: 'Service fields that do not fit its type or each other',
      why: 'The API server rejects a Service whose fields contradict its type: externalName only for ExternalName (a DNS name), nodePort-related fields (loadBalancerSourceRanges, allocateLoadBalancerNodePorts, healthCheckNodePort) only for LoadBalancer, externalTrafficPolicy only when the Service is reachable from outside, sessionAffinityConfig only with ClientIP (timeoutSeconds 1-86400), clusterIP/clusterIPs valid IPs or None that match ipFamilies and ipFamilyPolicy, externalIPs not loopback or link-local, appProtocol a qualified name.',
      bad: 'type: ClusterIP\nexternalTrafficPolicy: Local\nsessionAffinityConfig:\n  clientIP:\n    timeoutSeconds: 3600',
      good: 'type: LoadBalancer\nexternalTrafficPolicy: Local\nsessionAffinity: ClientIP\nsessionAffinityConfig:\n  clientIP:\n    timeoutSeconds: 3600',
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
    {
      id: 'ingress-host',
      severity: 'error',
      title: 'An invalid Ingress rule host',
      why: 'A rule host is a DNS name (lowercase letters, digits, "-" and "."), optionally starting with a "*." wildcard label; the API server rejects IP addresses, ports and wildcards anywhere else.',
      bad: 'rules:\n- host: example.com:443',
      good: 'rules:\n- host: example.com',
    },
    {
      id: 'ingress-tls',
      severity: 'error',
      title: 'An invalid Ingress TLS host or secretName',
      why: 'Each spec.tls[].hosts entry is a DNS name (a leading "*." wildcard allowed) and secretName names a Secret (a DNS subdomain); the API server rejects anything else.',
      bad: 'tls:\n- hosts:\n  - Example.com\n  secretName: Example_TLS',
      good: 'tls:\n- hosts:\n  - example.com\n  secretName: example-tls',
    },
    {
      id: 'ingress-class',
      severity: 'error',
      title: 'An invalid ingressClassName, or one that contradicts the ingress.class annotation',
      why: 'spec.ingressClassName names an IngressClass (a DNS subdomain). When the deprecated kubernetes.io/ingress.class annotation is set too, the API server rejects the Ingress unless both name the same class.',
      bad: 'metadata:\n  annotations:\n    kubernetes.io/ingress.class: nginx\nspec:\n  ingressClassName: traefik',
      good: 'spec:\n  ingressClassName: nginx',
    },
  ],
  check(ctx) {
    if (ctx.kind === 'Service' && ctx.apiVersion === 'v1') checkService(ctx);
    else if (ctx.kind === 'Ingress' && ctx.apiVersion === 'networking.k8s.io/v1') checkIngress(ctx);
  },
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Rules that depend on the Service type read the default (ClusterIP) when it is absent. */
const SERVICE_TYPE: Path = ['spec', 'type'];

function checkService(ctx: RuleContext): void {
  const type = ctx.str(['spec', 'type']) ?? 'ClusterIP';
  const headless = ctx.str(['spec', 'clusterIP']) === 'None';
  const ports = ctx.items(['spec', 'ports']);
  if (!ports.length && type !== 'ExternalName' && !headless && ctx.node(['spec'])) {
    const portsNode = ctx.node(['spec', 'ports']);
    if (!portsNode || (isScalar(portsNode) && portsNode.value === null) || (portsNode as { items?: unknown[] }).items?.length === 0) {
      ctx.report('service-port', ctx.has(['spec', 'ports']) ? ['spec', 'ports'] : ['spec'], 'A Service needs at least one port under spec.ports (only headless Services with clusterIP: None and ExternalName Services may have none).', { where: 'key', absent: [['spec', 'ports'], ['spec', 'clusterIP'], SERVICE_TYPE] });
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
      ctx.report('service-port', path, `This Service has ${ports.length} ports, so each needs a name; add \`name:\` (e.g. "${port === 443 ? 'https' : port === 80 ? 'http' : `port-${port ?? i}`}").`, { where: 'key', data: { add: 'name', name: port === 443 ? 'https' : port === 80 ? 'http' : `port-${port ?? i}` }, absent: [[...path, 'name']] });
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
        ctx.report('service-node-port-range', [...path, 'nodePort'], `nodePort cannot be used when type is ${type}${ctx.has(['spec', 'type']) ? '' : ' (the default)'}; set type: NodePort or LoadBalancer, or remove nodePort.`, { where: 'key', severity: 'error', data: { remove: 'nodePort' }, absent: [SERVICE_TYPE] });
      } else if (np < 30000 || np > 32767) {
        ctx.report('service-node-port-range', [...path, 'nodePort'], `nodePort ${np} is outside the default node port range 30000-32767; the Service is rejected unless the cluster's --service-node-port-range includes it.`);
      }
    }
  });

  // Selector.
  const sel = ctx.node(['spec', 'selector']);
  if (type === 'ExternalName') {
    if (!ctx.str(['spec', 'externalName'])) {
      ctx.report('service-selector', ctx.has(['spec', 'externalName']) ? ['spec', 'externalName'] : ['spec', 'type'], 'An ExternalName Service needs spec.externalName: the DNS name it aliases (e.g. db.example.com).', { where: 'key', data: { add: 'externalName' }, absent: [['spec', 'externalName']] });
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

  checkServiceSpec(ctx);
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
    const misspelt = new Set<string>();
    let found = false;
    for (const w of workloads) {
      for (const names of podSpecsOfPlain(w).map((spec) => portNamesOfPlainSpec(spec, misspelt))) {
        names.forEach((n) => declared.add(n));
        if (names.has(name)) found = true;
      }
    }
    // `nmae: http` in the container's port: the schema reports that typo; this would only repeat it.
    if (found || misspelt.has(name)) return;
    const which = workloads.map((w) => `${w.kind} ${w.name ?? ''}`.trim()).join(', ');
    ctx.report('service-target-port-name', tp, `targetPort "${name}" is not a container port name of ${which}${declared.size ? ` (they declare ${[...declared].map((d) => `"${d}"`).join(', ')})` : ' (no container names its ports)'}: the Service gets no endpoints for this port. Name the container port \`${name}\` or use its number.`, { data: { port: name, declared: [...declared] } });
  });
}

const CONTAINER_PORT_FIELDS = ['containerPort', 'hostIP', 'hostPort', 'name', 'protocol'];

/** The container port names of a pod spec; `misspelt` gets the values of keys that are a typo of `name`. */
function portNamesOfPlainSpec(spec: unknown, misspelt?: Set<string>): Set<string> {
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
        else if (misspelt && p && typeof p === 'object' && !Array.isArray(p)) {
          for (const [k, v] of Object.entries(p as Record<string, unknown>)) if (typeof v === 'string' && !CONTAINER_PORT_FIELDS.includes(k) && closest(k, CONTAINER_PORT_FIELDS) === 'name') misspelt.add(v);
        }
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
    ctx.report('ingress-backend', ['spec'], 'An Ingress needs spec.rules or spec.defaultBackend; this one routes nothing.', { where: 'key', absent: [['spec', 'rules'], ['spec', 'defaultBackend']] });
  }
  if (isMap(def)) checkBackend(ctx, ['spec', 'defaultBackend']);
  checkIngressExtras(ctx);
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
        ctx.report('ingress-path', [...base, 'pathType'], `A ${pathType} path needs \`path:\`, starting with "/".`, { where: 'key', data: { add: 'path', replacement: '/' }, absent: [[...base, 'path']] });
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
    ctx.report('ingress-backend', at, `The backend needs service (name and port) or resource${legacy}.`, { where: 'key', absent: [[...at, 'service'], [...at, 'resource']] });
  }
  if (isMap(res)) {
    for (const f of ['kind', 'name']) {
      const v = ctx.str([...at, 'resource', f]);
      // A missing name is reported by the schema (required there); kind is not marked required in it.
      if (!v && f === 'kind') ctx.report('ingress-backend', [...at, 'resource', ...(ctx.has([...at, 'resource', f]) ? [f] : [])], 'A resource backend needs kind (e.g. StorageBucket) next to name.', { where: 'key', data: { add: f }, absent: [[...at, 'resource', f]] });
      else if (v && nameFormatProblem(v, 'path-segment')) ctx.report('ingress-backend', [...at, 'resource', f], `resource ${f} "${v}" is not valid: ${nameFormatProblem(v, 'path-segment')}.`);
    }
  }
  if (!isMap(svc)) return;
  const svcName = ctx.str([...at, 'service', 'name']);
  if (svcName !== undefined && svcName !== '' && !TEMPLATED_TEXT.test(svcName)) {
    const problem = nameFormatProblem(svcName, 'dns1035');
    if (problem) ctx.report('ingress-backend', [...at, 'service', 'name'], `service name "${svcName}" cannot name a Service: ${problem}. Service names use lowercase letters, digits and '-', starting with a letter.`);
  }
  const port = ctx.node([...at, 'service', 'port']);
  if (!isMap(port)) return;
  const name = ctx.str([...at, 'service', 'port', 'name']);
  const number = ctx.num([...at, 'service', 'port', 'number']);
  if (name !== undefined && ctx.has([...at, 'service', 'port', 'number'])) {
    ctx.report('ingress-backend', [...at, 'service', 'port', 'number'], 'The service port takes name or number, not both; keep one.', { where: 'key' });
  } else if (name === undefined && number === undefined) {
    ctx.report('ingress-backend', [...at, 'service', 'port'], 'The service port needs number (e.g. 80) or name (the Service port\'s name).', { where: 'key', absent: [[...at, 'service', 'port', 'name'], [...at, 'service', 'port', 'number']] });
  }
  if (number !== undefined && (number < 1 || number > 65535)) ctx.report('ingress-backend', [...at, 'service', 'port', 'number'], `port number must be between 1 and 65535 (it is ${number}).`);
  if (name !== undefined) {
    const problem = /^\d+$/.test(name) ? 'it is a number: use `number:` instead' : ianaPortNameProblem(name);
    if (problem) ctx.report('ingress-backend', [...at, 'service', 'port', 'name'], `port name "${name}" is not valid: ${problem}.`);
  }
}


const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];

/** A string field, with its node, when it is a non-empty string. */
function present(ctx: RuleContext, path: Path): boolean {
  const n = ctx.node(path);
  if (!n) return false;
  if (isScalar(n)) return n.value !== null && n.value !== '' && n.value !== undefined;
  return !(n as { items?: unknown[] }).items || (n as { items: unknown[] }).items.length > 0;
}

/** Cross-field rules of a Service spec (RULES.md S11-S13, S15-S21, S7). */
function checkServiceSpec(ctx: RuleContext): void {
  if (!isMap(ctx.node(['spec']))) return;
  const typeNode = ctx.node(['spec', 'type']);
  const type = ctx.str(['spec', 'type']) ?? 'ClusterIP';
  // An unknown or mistyped type is reported by the schema; the rules below depend on the type.
  if (typeNode && !(isScalar(typeNode) && (typeNode.value === null || typeof typeNode.value === 'string'))) return;
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) return;
  const typeWords = `type is ${type}${ctx.has(['spec', 'type']) ? '' : ' (the default)'}`;

  // ExternalName (S11).
  const externalName = ctx.str(['spec', 'externalName']);
  if (type === 'ExternalName') {
    if (externalName) {
      const trimmed = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
      if (parseIP(trimmed)) {
        ctx.report('service-spec', ['spec', 'externalName'], `externalName "${externalName}" is an IP address; it must be a DNS name (the Service answers with a CNAME). For an IP, use a Service without selector and an EndpointSlice.`);
      } else if (!isDns1123Subdomain(trimmed)) {
        ctx.report('service-spec', ['spec', 'externalName'], `externalName "${externalName}" is not a valid DNS name: ${nameFormatProblem(trimmed, 'subdomain')}.`);
      }
    }
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
      if (present(ctx, ['spec', f])) ctx.report('service-spec', ['spec', f], `${f} may not be set on an ExternalName Service (it has no cluster IP); remove it.`, { where: 'key', data: { remove: f } });
    }
  } else if (externalName !== undefined && externalName !== '') {
    ctx.report('service-spec', ['spec', 'externalName'], `externalName is only used when type is ExternalName; here ${typeWords}, so it is ignored. Remove it, or set type: ExternalName.`, { where: 'key', severity: 'warning', data: { remove: 'externalName' }, absent: [SERVICE_TYPE] });
  }

  // clusterIP / clusterIPs / ipFamilies / ipFamilyPolicy (S12, S11).
  if (type !== 'ExternalName') checkClusterIPs(ctx, type, typeWords);

  // externalIPs (S21).
  const externalIPs = ctx.items(['spec', 'externalIPs']);
  externalIPs.forEach((n) => {
    if (!isScalar(n) || typeof n.value !== 'string') return;
    const ip = parseIP(n.value);
    if (!ip) ctx.report('service-spec', n, `externalIPs entry "${n.value}" is not an IP address.`);
    else {
      const special = specialIPProblem(ip);
      if (special) ctx.report('service-spec', n, `externalIPs entry "${n.value}" cannot be used: ${special}.`);
    }
  });

  // LoadBalancer-only fields (S16).
  if (type !== 'LoadBalancer') {
    for (const f of ['loadBalancerSourceRanges', 'allocateLoadBalancerNodePorts']) {
      if (ctx.has(['spec', f]) && ctx.value(['spec', f]) !== null && !(Array.isArray(ctx.value(['spec', f])) && (ctx.value(['spec', f]) as unknown[]).length === 0)) {
        ctx.report('service-spec', ['spec', f], `${f} may only be used when type is LoadBalancer; here ${typeWords}. Remove it, or set type: LoadBalancer.`, { where: 'key', data: { remove: f }, absent: [SERVICE_TYPE] });
      }
    }
  }
  ctx.items(['spec', 'loadBalancerSourceRanges']).forEach((n) => {
    if (!isScalar(n) || typeof n.value !== 'string') return;
    const problem = cidrProblem(n.value.trim());
    if (problem) ctx.report('service-spec', n, `loadBalancerSourceRanges entry "${n.value}" is not a valid CIDR: ${problem}.`);
  });

  // Traffic policies (S17-S20).
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || externalIPs.length > 0;
  const etp = ctx.str(['spec', 'externalTrafficPolicy']);
  if (etp && !externallyAccessible) {
    ctx.report('service-spec', ['spec', 'externalTrafficPolicy'], `externalTrafficPolicy may only be set on a Service reachable from outside the cluster (type NodePort or LoadBalancer, or with externalIPs); here ${typeWords}. Remove it, or use internalTrafficPolicy for traffic from inside the cluster.`, { where: 'key', data: { remove: 'externalTrafficPolicy' }, absent: [SERVICE_TYPE, ['spec', 'externalIPs']] });
  }
  const hc = ctx.num(['spec', 'healthCheckNodePort']);
  if (hc !== undefined && hc !== 0) {
    if (type !== 'LoadBalancer' || etp !== 'Local') {
      ctx.report('service-spec', ['spec', 'healthCheckNodePort'], `healthCheckNodePort may only be set when type is LoadBalancer and externalTrafficPolicy is Local (here ${type !== 'LoadBalancer' ? typeWords : `externalTrafficPolicy is ${etp ?? 'Cluster (the default)'}`}); remove it.`, { where: 'key', data: { remove: 'healthCheckNodePort' }, absent: [SERVICE_TYPE, ['spec', 'externalTrafficPolicy']] });
    } else if (hc < 1 || hc > 65535 || !Number.isInteger(hc)) {
      ctx.report('service-spec', ['spec', 'healthCheckNodePort'], `healthCheckNodePort must be between 1 and 65535 (it is ${hc}).`);
    }
  }
  const td = ctx.str(['spec', 'trafficDistribution']);
  if (td !== undefined && !TRAFFIC_DISTRIBUTIONS.includes(td)) {
    ctx.report('service-spec', ['spec', 'trafficDistribution'], `"${td}" is not a valid spec.trafficDistribution; use one of ${TRAFFIC_DISTRIBUTIONS.join(', ')} (PreferSameZone and PreferSameNode need Kubernetes 1.33 or later).`);
  }

  // Session affinity (S15).
  const affinity = ctx.str(['spec', 'sessionAffinity']) ?? 'None';
  if (affinity === 'None' && present(ctx, ['spec', 'sessionAffinityConfig'])) {
    ctx.report('service-spec', ['spec', 'sessionAffinityConfig'], `sessionAffinityConfig may not be set when sessionAffinity is None${ctx.has(['spec', 'sessionAffinity']) ? '' : ' (the default)'}; set sessionAffinity: ClientIP, or remove sessionAffinityConfig.`, { where: 'key', data: { add: 'sessionAffinity', replacement: 'ClientIP' }, absent: [['spec', 'sessionAffinity']] });
  } else if (affinity === 'ClientIP') {
    const t = ctx.num(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds']);
    if (t !== undefined && (t <= 0 || t > 86400)) {
      ctx.report('service-spec', ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], `timeoutSeconds must be greater than 0 and at most 86400 (one day); it is ${t}. Leave it out for the default of 10800 (3 hours).`);
    }
  }

  // Ports: appProtocol (S7), kubelet port (S13), duplicate node ports (S8).
  const nodePorts = new Set<string>();
  ctx.items(['spec', 'ports']).forEach((p, i) => {
    if (!isMap(p)) return;
    const ap = ctx.str(['appProtocol'], p);
    if (ap !== undefined) {
      const problem = qualifiedNameProblem(ap);
      if (problem) ctx.report('service-spec', ['spec', 'ports', i, 'appProtocol'], `appProtocol "${ap}" is not valid: ${problem}. Use a standard name (http, https, h2c, grpc...) or a prefixed one (example.com/proto).`);
    }
    const port = ctx.num(['port'], p);
    if (type === 'LoadBalancer' && port === 10250) {
      ctx.report('service-spec', ['spec', 'ports', i, 'port'], 'A LoadBalancer Service may not expose port 10250: the kubelet uses it. Choose another port.');
    }
    const np = ctx.num(['nodePort'], p);
    if (np !== undefined && np !== 0 && (type === 'NodePort' || type === 'LoadBalancer')) {
      const key = `${np}/${ctx.str(['protocol'], p) ?? 'TCP'}`;
      if (nodePorts.has(key)) ctx.report('service-port', ['spec', 'ports', i, 'nodePort'], `nodePort ${key} is used twice; each node port and protocol pair may appear once.`);
      nodePorts.add(key);
    }
  });
}

function checkClusterIPs(ctx: RuleContext, type: string, typeWords: string): void {
  const clusterIP = ctx.str(['spec', 'clusterIP']);
  const ipNodes = ctx.items(['spec', 'clusterIPs']);
  const clusterIPs = ipNodes.map((n) => (isScalar(n) && typeof n.value === 'string' ? n.value : undefined));
  if (clusterIP === 'None' && (type === 'NodePort' || type === 'LoadBalancer')) {
    ctx.report('service-spec', ['spec', 'clusterIP'], `clusterIP may not be None (headless) when ${typeWords}; a ${type} Service needs a cluster IP. Remove clusterIP, or use type ClusterIP for a headless Service.`, { data: { remove: 'clusterIP' } });
  }
  if (clusterIP !== undefined && clusterIP !== '' && clusterIP !== 'None' && !parseIP(clusterIP)) {
    ctx.report('service-spec', ['spec', 'clusterIP'], `clusterIP "${clusterIP}" must be a valid IP address, None (headless) or empty (assigned by the cluster).`);
  }
  if (clusterIPs.length) {
    if (clusterIP !== undefined && clusterIP !== '' && clusterIPs[0] !== undefined && clusterIPs[0] !== clusterIP) {
      ctx.report('service-spec', ipNodes[0], `clusterIPs[0] must equal clusterIP ("${clusterIP}"); it is "${clusterIPs[0]}".`);
    }
    if (clusterIPs.length > 2) ctx.report('service-spec', ['spec', 'clusterIPs'], `clusterIPs may hold at most two addresses (one IPv4 and one IPv6); it has ${clusterIPs.length}.`, { where: 'key' });
  }
  const parsed: Array<ParsedIP | undefined> = [];
  clusterIPs.forEach((v, i) => {
    if (v === undefined || v === '') return;
    if (v === 'None') {
      if (i > 0 || clusterIPs.length > 1) ctx.report('service-spec', ipNodes[i], 'clusterIPs may hold None only as its single entry (a headless Service).');
      return;
    }
    const ip = parseIP(v);
    if (!ip) ctx.report('service-spec', ipNodes[i], `clusterIPs entry "${v}" must be a valid IP address, or None for a headless Service.`);
    parsed[i] = ip;
  });
  if (parsed[0] && parsed[1] && parsed[0].family === parsed[1].family) {
    ctx.report('service-spec', ipNodes[1], `The two clusterIPs must be of different families (one IPv4, one IPv6); both are ${parsed[0].family}.`);
  }
  const famNodes = ctx.items(['spec', 'ipFamilies']);
  const families = famNodes.map((n) => (isScalar(n) && typeof n.value === 'string' ? n.value : undefined));
  if (families.length > 2) ctx.report('service-spec', ['spec', 'ipFamilies'], `ipFamilies may hold at most two families (IPv4 and IPv6); it has ${families.length}.`, { where: 'key' });
  if (families.length === 2 && families[0] && families[0] === families[1]) ctx.report('service-spec', famNodes[1], `ipFamilies lists ${families[0]} twice; list each family once.`);
  const policy = ctx.str(['spec', 'ipFamilyPolicy']);
  if (policy === 'SingleStack') {
    if (families.length > 1) ctx.report('service-spec', ['spec', 'ipFamilies'], 'ipFamilyPolicy is SingleStack, so ipFamilies may list only one family; use PreferDualStack or RequireDualStack for two.', { where: 'key' });
    if (clusterIPs.length > 1) ctx.report('service-spec', ['spec', 'clusterIPs'], 'ipFamilyPolicy is SingleStack, so clusterIPs may hold only one address; use PreferDualStack or RequireDualStack for two.', { where: 'key' });
  }
  parsed.forEach((ip, i) => {
    const fam = families[i];
    if (ip && (fam === 'IPv4' || fam === 'IPv6') && ip.family !== fam) {
      ctx.report('service-spec', ipNodes[i], `clusterIPs[${i}] "${clusterIPs[i]}" is an ${ip.family} address, but ipFamilies[${i}] is ${fam}; the families must be listed in the same order as the addresses.`);
    }
  });
}

/** What is wrong with an Ingress host (a DNS subdomain, optionally with a leading "*." label), or undefined. */
function hostProblem(host: string, allowIP = false): string | undefined {
  if (host.includes('://')) return 'it has a scheme; write only the host name (e.g. example.com)';
  const bracketed = /^\[.*\](:\d+)?$/.test(host);
  if (!allowIP && (parseIP(host) || bracketed)) return 'it is an IP address; it must be a DNS name (leave host out to match requests to any address)';
  const port = /^(.*):(\d+)$/.exec(host);
  if (port && parseIP(port[1])) return 'it is an IP address with a port; it must be a DNS name without a port';
  if (port && !port[1].includes(':')) return `it has a port (":${port[2]}"); write the host without it: "${port[1]}"`;
  if (host.includes('/')) return 'it contains a path; paths go under http.paths';
  let rest = host;
  if (host.startsWith('*.')) rest = host.slice(2);
  else if (host.includes('*')) return 'a wildcard is allowed only as the whole first label ("*.example.com")';
  if (rest.includes('*')) return 'a wildcard is allowed only as the whole first label ("*.example.com")';
  if (host.startsWith('*.') && rest.length > 251) return `it has ${host.length} characters, more than 253`;
  const problem = nameFormatProblem(rest, 'subdomain');
  return problem ? `${problem}; a host is a lowercase DNS name` : undefined;
}

function checkIngressExtras(ctx: RuleContext): void {
  // Rule hosts (I3) and rules with http but no paths (I4).
  ctx.items(['spec', 'rules']).forEach((r, ri) => {
    if (!isMap(r)) return;
    const hostNode = ctx.node(['host'], r);
    if (isScalar(hostNode) && typeof hostNode.value === 'string' && hostNode.value !== '' && !TEMPLATED_TEXT.test(hostNode.value)) {
      const problem = hostProblem(hostNode.value);
      if (problem) {
        const fixed = /^([^:/]+):\d+$/.exec(hostNode.value)?.[1];
        ctx.report('ingress-host', hostNode, `Host "${hostNode.value}" is not valid: ${problem}.`, fixed && !hostProblem(fixed) ? { data: { replacement: fixed } } : {});
      }
    }
    const http = ctx.node(['http'], r);
    const paths = isMap(http) ? ctx.node(['paths'], http) : undefined;
    // A missing paths key is reported by the schema (required there).
    if (isMap(http) && paths && ((isScalar(paths) && paths.value === null) || (isSeq(paths) && paths.items.length === 0))) {
      ctx.report('ingress-path', ['spec', 'rules', ri, 'http'], 'http needs at least one entry under paths (path, pathType and backend).', { where: 'key' });
    }
  });

  // TLS (I12).
  ctx.items(['spec', 'tls']).forEach((t, ti) => {
    if (!isMap(t)) return;
    ctx.items(['hosts'], t).forEach((h) => {
      if (!isScalar(h) || typeof h.value !== 'string' || TEMPLATED_TEXT.test(h.value)) return;
      const problem = h.value === '' ? 'it is empty' : hostProblem(h.value, true);
      if (problem) ctx.report('ingress-tls', h, `TLS host "${h.value}" is not valid: ${problem}.`);
    });
    const secret = ctx.str(['secretName'], t);
    if (secret !== undefined && secret !== '' && !TEMPLATED_TEXT.test(secret)) {
      const problem = nameFormatProblem(secret, 'subdomain');
      if (problem) ctx.report('ingress-tls', ['spec', 'tls', ti, 'secretName'], `secretName "${secret}" is not a valid Secret name: ${problem}. Secret names use lowercase letters, digits, '-' and '.'.`);
    }
  });

  // ingressClassName (I13) and the legacy annotation (I14).
  const cls = ctx.str(['spec', 'ingressClassName']);
  if (cls !== undefined && cls !== '' && !TEMPLATED_TEXT.test(cls)) {
    const problem = nameFormatProblem(cls, 'subdomain');
    if (problem) ctx.report('ingress-class', ['spec', 'ingressClassName'], `ingressClassName "${cls}" is not a valid IngressClass name: ${problem}.`);
    const ann = ctx.value(['metadata', 'annotations']);
    const legacy = ann && typeof ann === 'object' && !Array.isArray(ann) ? (ann as Record<string, unknown>)['kubernetes.io/ingress.class'] : undefined;
    if (typeof legacy === 'string' && legacy !== cls && !TEMPLATED_TEXT.test(legacy)) {
      ctx.report('ingress-class', ['spec', 'ingressClassName'], `ingressClassName "${cls}" differs from the annotation kubernetes.io/ingress.class "${legacy}"; the API server rejects an Ingress whose two class settings disagree. Remove the deprecated annotation (or make both the same).`, { data: { annotation: 'kubernetes.io/ingress.class' } });
    }
  }
}

const TEMPLATED_TEXT = /\{\{|\$\{|\$\(|%\{/;
