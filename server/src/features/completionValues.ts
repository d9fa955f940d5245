/**
 * Values the rule families know for a place, for completion: the restartPolicy a
 * workload kind allows, RBAC verbs, resources and API groups that fit the rest of
 * the rule, the Secret types, and the port names a probe's own container declares.
 * The facts come from the rules themselves (rules/, rules/util, model/kinds), so
 * completion offers first what the diagnostics accept; what they would reject
 * comes last, with the reason in `detail`.
 *
 * Also how a value is written where the cursor is: quoted when YAML 1.1 would
 * read it as another type, when a flow collection needs it, when the user opened
 * a quote, or to match the quotes of the other items of the list.
 */
// rules/engine and rules/index import each other: load the registry first, so that no family
// module (podSpec.ts imports engine) starts the cycle and leaves itself undefined in RULE_FAMILIES.
import '../rules/index';
import { CursorContext, ValuePlace } from '../model/context';
import { podSpecPaths } from '../model/kinds';
import { isMap, isScalar, isSeq, ManifestFile, Node, objectAt, Path, YAMLMap } from '../model/manifest';
import { isBatch, jobRestartPolicies } from '../rules/jobs';
import { ALWAYS_KINDS } from '../rules/podSpec';
import { RBAC_GROUP, RESOURCE_VERBS, URL_VERBS } from '../rules/rbac';
import { REQUIRED_KEYS, SA_ANNOTATION } from '../rules/secrets';
import { resourcesByGroup } from '../rules/util/rbacResources';
import { SchemaStore } from '../schema/schemaStore';
import type { CompletionKind } from './completion';

/** One value to offer. `rejected`: why a rule would report it here (it is offered last, with the reason). */
export interface ValueCandidate {
  value: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  rejected?: string;
  preselect?: boolean;
}

export interface RuleValues {
  items: ValueCandidate[];
  /** The values are the whole answer here: completion contributors (workspace references) are not asked. */
  exclusive?: boolean;
}

export interface ValueInput {
  file: ManifestFile;
  offset: number;
  ctx: CursorContext;
  place: ValuePlace;
  store: SchemaStore;
  /** The values the schema allows here (its enum), if any. */
  enumValues?: string[];
}

/** The values a rule family knows at this place, or undefined when none has an opinion. */
export function ruleValues(input: ValueInput): RuleValues | undefined {
  const { ctx, place } = input;
  const path = ctx.path;
  if (!place.item && place.key === 'restartPolicy') return restartPolicies(input);
  if (ctx.kind === 'Secret' && ctx.apiVersion === 'v1' && path.length === 0 && place.key === 'type' && !place.item) return secretTypes(input);
  if ((ctx.kind === 'Role' || ctx.kind === 'ClusterRole') && ctx.apiVersion?.startsWith(RBAC_GROUP + '/') && place.item && path.length === 2 && path[0] === 'rules' && path[1] === '[]') {
    if (place.key === 'verbs') return rbacVerbs(input);
    if (place.key === 'resources') return rbacResources(input);
    if (place.key === 'apiGroups') return rbacGroups(input);
  }
  if (place.key === 'port' && !place.item) return probePorts(input);
  return undefined;
}

// ---------------------------------------------------------------------------
// The parse tree along the cursor's path

/** The node at an indentation path (`'[]'`: the list item that holds the cursor). */
function nodeAlong(file: ManifestFile, offset: number, path: Path): Node | undefined {
  const obj = objectAt(file, offset);
  if (!obj) return undefined;
  const rel = offset - obj.section.start;
  let node: Node | undefined = obj.node;
  for (const seg of path) {
    if (!node) return undefined;
    if (seg === '[]') {
      if (!isSeq(node)) return undefined;
      let best: Node | undefined;
      for (const item of node.items as Node[]) if (item?.range && item.range[0] <= rel) best = item;
      node = best;
    } else {
      if (!isMap(node)) return undefined;
      node = (node.get(seg, true) as Node | undefined) ?? undefined;
    }
  }
  return node;
}

function strings(node: unknown): string[] {
  if (!isSeq(node)) return [];
  const out: string[] = [];
  for (const n of node.items) if (isScalar(n) && n.value !== null && n.value !== undefined) out.push(String(n.value));
  return out;
}

function keysOf(node: unknown): string[] {
  return isMap(node) ? node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean) : [];
}

const samePath = (a: Path, b: Path): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

// ---------------------------------------------------------------------------
// restartPolicy of a pod template

function restartPolicies({ ctx, file, offset, enumValues }: ValueInput): RuleValues | undefined {
  const spec = podSpecPaths(ctx.kind)[0];
  if (!spec || !samePath(ctx.path, spec) || !enumValues) return undefined;
  let allowed: string[] | undefined;
  let reason: (v: string) => string = () => '';
  if ((ctx.kind === 'Job' || ctx.kind === 'CronJob') && isBatch(ctx.apiVersion)) {
    const jobSpec = spec.slice(0, -2); // …spec.template.spec → the Job spec
    const pfp = isMap(nodeAlong(file, offset, [...jobSpec, 'podFailurePolicy']));
    allowed = jobRestartPolicies(pfp);
    reason = (v) => (v === 'Always' ? 'rejected in a Job: its pods must finish (Never or OnFailure)' : 'rejected with a podFailurePolicy, which needs Never');
  } else if (ALWAYS_KINDS.includes(ctx.kind ?? '')) {
    allowed = ['Always'];
    reason = () => `rejected in a ${ctx.kind}: its pods are kept running (only Always)`;
  }
  if (!allowed) return undefined;
  const ok = allowed;
  return { items: enumValues.map((v) => ({ value: v, kind: 'enum', rejected: ok.includes(v) ? undefined : reason(v) })), exclusive: true };
}

// ---------------------------------------------------------------------------
// Secret types

/** Types Kubernetes defines that need no particular keys. */
const FREE_SECRET_TYPES: Record<string, string> = {
  Opaque: 'arbitrary data (the default)',
  'bootstrap.kubernetes.io/token': 'a bootstrap token (token-id, token-secret)',
};

function secretTypes({ file, offset }: ValueInput): RuleValues {
  const present = new Set([...keysOf(nodeAlong(file, offset, ['data'])), ...keysOf(nodeAlong(file, offset, ['stringData']))]);
  const annotations = keysOf(nodeAlong(file, offset, ['metadata', 'annotations']));
  const out: ValueCandidate[] = [];
  for (const [type, detail] of Object.entries(FREE_SECRET_TYPES)) out.push({ value: type, kind: 'enum', detail });
  for (const [type, req] of Object.entries(REQUIRED_KEYS)) {
    const missing = req.keys.filter((k) => !present.has(k));
    const bad = req.oneOf ? missing.length === req.keys.length : missing.length > 0;
    const keys = req.keys.join(req.oneOf ? ' or ' : ' and ');
    out.push({
      value: type,
      kind: 'enum',
      detail: bad ? undefined : `holds ${keys}`,
      rejected: bad ? `needs ${req.oneOf ? 'at least one of the keys' : `the key${missing.length > 1 ? 's' : ''}`} ${req.oneOf ? keys : missing.join(' and ')} in data or stringData` : undefined,
      // A typed Secret whose keys are all there is what the user is writing.
      preselect: !bad,
    });
  }
  const sa = 'kubernetes.io/service-account-token';
  const hasSa = annotations.includes(SA_ANNOTATION);
  out.push({ value: sa, kind: 'enum', detail: hasSa ? 'a token for the annotated ServiceAccount' : undefined, rejected: hasSa ? undefined : `needs the annotation ${SA_ANNOTATION}` });
  // Typed Secrets that fit the data first, then the free types.
  const fits = out.filter((c) => c.preselect);
  const first = fits[0];
  for (const c of out) c.preselect = c === first ? true : undefined;
  return { items: [...fits, ...out.filter((c) => !fits.includes(c))], exclusive: true };
}

// ---------------------------------------------------------------------------
// RBAC

/**
 * The verbs each subresource serves (Kubernetes API discovery); a resource not
 * listed here serves the standard verbs. RBAC accepts any verb on any resource,
 * but one the resource does not serve grants nothing.
 */
const SUBRESOURCE_VERBS: Record<string, string[]> = {
  log: ['get'],
  exec: ['create', 'get'],
  attach: ['create', 'get'],
  portforward: ['create', 'get'],
  proxy: ['create', 'delete', 'get', 'patch', 'update'],
  eviction: ['create'],
  binding: ['create'],
  token: ['create'],
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  ephemeralcontainers: ['get', 'patch', 'update'],
  resize: ['get', 'patch', 'update'],
  approval: ['get', 'patch', 'update'],
  finalize: ['update'],
};

/** The subresources of the resources people write rules for. */
const SUBRESOURCES: Record<string, string[]> = {
  pods: ['log', 'exec', 'attach', 'portforward', 'proxy', 'eviction', 'status', 'ephemeralcontainers', 'binding', 'resize'],
  services: ['proxy', 'status'],
  nodes: ['proxy', 'status'],
  deployments: ['scale', 'status'],
  replicasets: ['scale', 'status'],
  statefulsets: ['scale', 'status'],
  replicationcontrollers: ['scale', 'status'],
  daemonsets: ['status'],
  jobs: ['status'],
  cronjobs: ['status'],
  serviceaccounts: ['token'],
  namespaces: ['finalize', 'status'],
  certificatesigningrequests: ['approval', 'status'],
  persistentvolumeclaims: ['status'],
  horizontalpodautoscalers: ['status'],
};

const STANDARD_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** Resources whose verbs are not the standard ones. */
const RESOURCE_SPECIAL_VERBS: Record<string, string[]> = {
  roles: [...STANDARD_VERBS, 'bind', 'escalate'],
  clusterroles: [...STANDARD_VERBS, 'bind', 'escalate'],
  serviceaccounts: [...STANDARD_VERBS, 'impersonate'],
  users: ['impersonate'],
  groups: ['impersonate'],
  uids: ['impersonate'],
  userextras: ['impersonate'],
  signers: ['approve', 'sign', 'attest'],
  podsecuritypolicies: [...STANDARD_VERBS, 'use'],
  bindings: ['create'],
  tokenreviews: ['create'],
  subjectaccessreviews: ['create'],
  selfsubjectaccessreviews: ['create'],
  selfsubjectrulesreviews: ['create'],
  localsubjectaccessreviews: ['create'],
  selfsubjectreviews: ['create'],
  componentstatuses: ['get', 'list'],
};

/** The verbs a resource (or `resource/subresource`) serves; undefined when unknown (a wildcard or a custom resource). */
export function verbsServed(resource: string): string[] | undefined {
  if (resource.includes('*')) return undefined;
  const slash = resource.indexOf('/');
  if (slash >= 0) return SUBRESOURCE_VERBS[resource.slice(slash + 1).split('/')[0]];
  return RESOURCE_SPECIAL_VERBS[resource] ?? STANDARD_VERBS;
}

/** Why a verb on resources grants nothing, if it does. */
function unservedReason(verb: string, resources: string[]): string | undefined {
  const without = resources.filter((r) => {
    const served = verbsServed(r);
    return served !== undefined && !served.includes(verb);
  });
  if (!without.length) return undefined;
  const served = verbsServed(without[0])!;
  return without.length === 1 ? `${without[0]} has no verb ${verb} (it serves ${served.join(', ')}); this grants nothing` : `${without.join(', ')} have no verb ${verb}; this grants nothing there`;
}

const WILDCARD: Record<string, string> = {
  verbs: 'grants every verb, including escalate, bind and impersonate (rbac-wildcard)',
  resources: 'grants every resource of the groups, including Secrets and resources added later (rbac-wildcard)',
  apiGroups: 'grants every API group, including CRDs added later (rbac-wildcard)',
};
const ESCALATION: Record<string, string> = {
  escalate: 'lets the subject give itself any permission (rbac-escalation)',
  bind: 'lets the subject bind any Role to anyone (rbac-escalation)',
  impersonate: 'lets the subject act as other users, groups or ServiceAccounts (rbac-escalation)',
};

function ruleFields(input: ValueInput): { groups: string[]; resources: string[]; verbs: string[]; urls: string[] } {
  const rule = nodeAlong(input.file, input.offset, ['rules', '[]']);
  const at = (k: string) => (isMap(rule) ? strings((rule as YAMLMap).get(k, true)) : []);
  // The cursor's own field is read from the text (its other items), the rest from the tree.
  const own = (k: string) => (input.place.key === k ? input.place.others ?? [] : at(k));
  return { groups: own('apiGroups'), resources: own('resources'), verbs: own('verbs'), urls: at('nonResourceURLs') };
}

function rbacVerbs(input: ValueInput): RuleValues {
  const { resources, urls, groups } = ruleFields(input);
  const groupsMap = resourcesByGroup(input.store);
  const custom = groups.some((g) => g !== '*' && !groupsMap.has(g));
  const known = urls.length ? URL_VERBS : RESOURCE_VERBS;
  const items: ValueCandidate[] = known.map((v) => ({
    value: v,
    kind: 'enum' as const,
    rejected: ESCALATION[v] ?? (urls.length || custom ? undefined : unservedReason(v, resources)),
  }));
  items.push({ value: '*', kind: 'enum', rejected: WILDCARD.verbs });
  return { items, exclusive: true };
}

function rbacResources(input: ValueInput): RuleValues {
  const { groups, verbs } = ruleFields(input);
  const groupsMap = resourcesByGroup(input.store);
  const known = groups.filter((g) => groupsMap.has(g));
  const all = !known.length || groups.includes('*');
  const homes = new Map<string, string[]>();
  for (const [g, rs] of groupsMap) {
    if (!all && !known.includes(g)) continue;
    for (const r of rs) {
      const list = homes.get(r) ?? [];
      list.push(g === '' ? '""' : g);
      homes.set(r, list);
    }
  }
  const items: ValueCandidate[] = [];
  const add = (r: string, from: string[]) => {
    const without = verbs.filter((v) => v !== '*' && unservedReason(v, [r]));
    items.push({
      value: r,
      kind: 'value',
      detail: all ? `API group ${from.join(', ')}` : undefined,
      rejected: without.length ? `${r} has no verb ${without.join(', ')} (it serves ${verbsServed(r)!.join(', ')})` : undefined,
    });
  };
  const names = [...homes.keys()].sort();
  for (const r of names) add(r, homes.get(r)!);
  for (const r of names) for (const sub of SUBRESOURCES[r] ?? []) add(`${r}/${sub}`, homes.get(r)!);
  items.push({ value: '*', kind: 'value', rejected: WILDCARD.resources });
  return { items, exclusive: true };
}

function rbacGroups(input: ValueInput): RuleValues {
  const { resources } = ruleFields(input);
  const groupsMap = resourcesByGroup(input.store);
  const bases = [...new Set(resources.filter((r) => !r.includes('*')).map((r) => r.split('/')[0]))];
  let groups = [...groupsMap.keys()];
  const serving = (g: string) => bases.filter((b) => groupsMap.get(g)?.has(b));
  if (bases.length) {
    const homes = groups.filter((g) => serving(g).length);
    // `extensions` still lists the old workload resources; the rule points to the current group.
    groups = homes.length > 1 ? [...homes.filter((g) => g !== 'extensions'), ...homes.filter((g) => g === 'extensions')] : homes;
  }
  // The core group first, then by name (`extensions` last when another group serves the resources).
  const rank = (g: string) => (g === '' ? 0 : g === 'extensions' && groups.length > 1 && bases.length ? 2 : 1);
  groups.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const items: ValueCandidate[] = groups.map((g) => ({
    value: g,
    kind: 'module' as const,
    detail: bases.length ? `serves ${serving(g).join(', ')}` : g === '' ? 'the core group (pods, services, secrets...)' : undefined,
  }));
  items.push({ value: '*', kind: 'module', rejected: WILDCARD.apiGroups });
  return { items, exclusive: true };
}

// ---------------------------------------------------------------------------
// Probe and hook ports

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const PORT_OWNERS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'postStart', 'preStop'];

function probePorts({ ctx, file, offset }: ValueInput): RuleValues | undefined {
  const path = ctx.path;
  const handler = path[path.length - 1];
  if (handler !== 'httpGet' && handler !== 'tcpSocket' && handler !== 'grpc') return undefined;
  if (!PORT_OWNERS.includes(String(path[path.length - 2]))) return undefined;
  let at = -1;
  for (let i = path.length - 2; i > 0; i--) if (path[i] === '[]' && CONTAINER_LISTS.includes(String(path[i - 1]))) { at = i; break; }
  if (at < 0) return undefined;
  const container = nodeAlong(file, offset, path.slice(0, at + 1));
  const spec = nodeAlong(file, offset, path.slice(0, at - 1));
  if (!isMap(container)) return undefined;
  const name = (c: unknown) => (isMap(c) && isScalar(c.get('name', true)) ? String((c.get('name', true) as { value: unknown }).value) : '');
  const ports = (c: unknown) => {
    const out: Array<{ name?: string; number?: number }> = [];
    const list = isMap(c) ? c.get('ports', true) : undefined;
    if (isSeq(list)) {
      for (const p of list.items) {
        if (!isMap(p)) continue;
        const n = p.get('name', true);
        const num = p.get('containerPort', true);
        out.push({ name: isScalar(n) && typeof n.value === 'string' && n.value ? n.value : undefined, number: isScalar(num) && typeof num.value === 'number' ? num.value : undefined });
      }
    }
    return out;
  };
  const own = name(container);
  const items: ValueCandidate[] = [];
  if (handler === 'grpc') {
    // grpc.port is a number only.
    for (const p of ports(container)) if (p.number !== undefined) items.push({ value: String(p.number), kind: 'value', detail: `${p.name ? `port ${p.name}` : 'a port'} of container ${own}` });
    return { items, exclusive: true };
  }
  const seen = new Set<string>();
  for (const p of ports(container)) {
    if (!p.name || seen.has(p.name)) continue;
    seen.add(p.name);
    items.push({ value: p.name, kind: 'value', detail: `${p.number ?? '?'} in container ${own}` });
  }
  if (isMap(spec)) {
    for (const list of CONTAINER_LISTS) {
      const cs = spec.get(list, true);
      if (!isSeq(cs)) continue;
      for (const c of cs.items) {
        if (c === container) continue;
        for (const p of ports(c)) {
          if (!p.name || seen.has(p.name)) continue;
          seen.add(p.name);
          items.push({ value: p.name, kind: 'value', rejected: `declared by container ${name(c)}, not ${own}: the kubelet looks names up in this container's ports only` });
        }
      }
    }
  }
  return { items, exclusive: true };
}

// ---------------------------------------------------------------------------
// Writing a value where the cursor is

const YAML11_NOT_STRING = /^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+|[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|\d{4}-\d\d?-\d\d?([Tt ].*)?)$/;
const PLAIN_UNSAFE = /^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$|:$|^$|[\x00-\x1f\x7f]/;
const FLOW_UNSAFE = /[,[\]{}]/;

/**
 * The text to insert for `value` at a place. `stringOnly`: the field takes strings only,
 * so a value YAML would read as a number or boolean is quoted (elsewhere `80` stays a number).
 */
export function valueText(value: string, place: ValuePlace, stringOnly: boolean): string {
  if (place.quote) {
    const q = place.quote.char;
    const body = q === '"' ? value.replace(/["\\]/g, '\\$&') : value.replace(/'/g, "''");
    return body + (place.quote.closed ? '' : q);
  }
  const unsafe = PLAIN_UNSAFE.test(value) || (place.flow && FLOW_UNSAFE.test(value));
  const other = YAML11_NOT_STRING.test(value);
  if (unsafe || (other && stringOnly) || (!other && place.style)) return quoted(value, place.style ?? '"');
  return value;
}

function quoted(value: string, q: '"' | "'"): string {
  return q === '"' ? `"${value.replace(/["\\]/g, '\\$&')}"` : `'${value.replace(/'/g, "''")}'`;
}
