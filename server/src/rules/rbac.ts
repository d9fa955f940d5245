/**
 * RBAC: Roles and ClusterRoles (verbs, resources per API group, rule shape,
 * risky grants) and RoleBindings and ClusterRoleBindings (roleRef, subjects,
 * dangerous bindings).
 *
 * The API server validates the shape of rules and bindings but never the
 * verbs or resource names: a typo there is accepted and silently grants
 * nothing, which is what `rbac-unknown-verb` and `rbac-resource-group` catch.
 */
import { isMap, isScalar, isSeq, Node } from '../model/manifest';
import { closest } from '../model/text';
import { RuleContext, RuleFamily } from './engine';
import { resourcesByGroup } from './util/rbacResources';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate', 'approve', 'sign', 'attest'];
export const URL_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const READ_SECRET_VERBS = ['get', 'list', 'watch', '*'];
/** Kubernetes' own bindings of system:authenticated / system:unauthenticated (discovery and self-review only). */
const DEFAULT_PUBLIC_ROLES = ['system:discovery', 'system:basic-user', 'system:public-info-viewer'];
const DANGEROUS_SUBJECTS: Record<string, string> = {
  'system:anonymous': 'every request without credentials',
  'system:unauthenticated': 'every request without credentials',
  'system:masters': 'a group that bypasses all authorization (its members are always cluster-admin)',
  'system:authenticated': 'every authenticated user and every ServiceAccount of every namespace',
};

export const rbacRules: RuleFamily = {
  name: 'rbac',
  rules: [
    {
      id: 'rbac-unknown-verb',
      severity: 'warning',
      title: 'A verb that Kubernetes does not know',
      why: 'The API server accepts any string as a verb, so a typo like `lst` is stored and silently grants nothing; the app then fails with "forbidden" at run time.',
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "lst"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "list"]',
      kinds: ['Role', 'ClusterRole'],
    },
    {
      id: 'rbac-resource-group',
      severity: 'warning',
      title: 'A resource listed under an API group that does not serve it',
      why: 'RBAC matches the API group and the resource together: `deployments` under the core group `""` matches nothing, because Deployments live in `apps`. The API server accepts the rule, and the permission silently does not exist.',
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["deployments"]\n  verbs: ["get"]',
      good: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get"]',
      kinds: ['Role', 'ClusterRole'],
    },
    {
      id: 'rbac-rule-shape',
      severity: 'error',
      title: 'A policy rule the API server rejects',
      why: 'A rule needs verbs; a resource rule needs apiGroups and resources; nonResourceURLs are for ClusterRoles only and cannot be mixed with resources.',
      bad: 'kind: Role\nrules:\n- nonResourceURLs: ["/healthz"]\n  verbs: ["get"]',
      good: 'kind: ClusterRole\nrules:\n- nonResourceURLs: ["/healthz"]\n  verbs: ["get"]',
      kinds: ['Role', 'ClusterRole'],
    },
    {
      id: 'rbac-roleref',
      severity: 'error',
      title: 'A roleRef the API server rejects',
      why: '`roleRef.apiGroup` must be exactly `rbac.authorization.k8s.io` (not `rbac.authorization.k8s.io/v1`), `kind` must be Role or ClusterRole (only ClusterRole in a ClusterRoleBinding), and `name` is required. roleRef cannot be changed later: a fix means deleting and recreating the binding.',
      bad: 'kind: ClusterRoleBinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io/v1\n  kind: Role\n  name: reader',
      good: 'kind: ClusterRoleBinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader',
      kinds: ['RoleBinding', 'ClusterRoleBinding'],
    },
    {
      id: 'rbac-subject',
      severity: 'error',
      title: 'A binding subject the API server rejects',
      why: 'Subjects are ServiceAccount (apiGroup `""`, and a namespace in a ClusterRoleBinding), User or Group (apiGroup `rbac.authorization.k8s.io`).',
      bad: 'kind: ClusterRoleBinding\nsubjects:\n- kind: ServiceAccount\n  name: app',
      good: 'kind: ClusterRoleBinding\nsubjects:\n- kind: ServiceAccount\n  name: app\n  namespace: default',
      kinds: ['RoleBinding', 'ClusterRoleBinding'],
    },
    {
      id: 'rbac-wildcard',
      severity: 'warning',
      title: '`*` in verbs, resources or apiGroups',
      why: 'A wildcard grants everything, including resources and verbs added in later Kubernetes versions and by CRDs; `*` on all three is cluster-admin (CIS 5.1.3). List what the workload needs instead.',
      bad: 'rules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]',
      good: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list", "watch"]',
      kubeLinter: ['wildcard-in-rules'],
      kinds: ['Role', 'ClusterRole'],
    },
    {
      id: 'rbac-escalation',
      severity: 'warning',
      title: 'The escalate, bind or impersonate verbs',
      why: '`escalate` lets a subject grant itself permissions it does not have, `bind` lets it bind any role to anyone, `impersonate` lets it act as another user, group or ServiceAccount. Each is a path to cluster-admin.',
      bad: 'rules:\n- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["clusterroles"]\n  verbs: ["escalate"]',
      good: 'rules:\n- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["clusterroles"]\n  verbs: ["get", "list"]',
      kinds: ['Role', 'ClusterRole'],
    },
    {
      id: 'rbac-secret-access',
      severity: 'warning',
      title: 'Read access to all Secrets',
      why: '`get`, `list` or `watch` on `secrets` without `resourceNames` reveals every Secret of the namespace (of the cluster for a ClusterRole), including ServiceAccount tokens. `list` and `watch` return the contents too. Judged rule by rule: a rule restricted to `resourceNames` is fine.',
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["get", "list"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["secrets"]\n  resourceNames: ["app-config"]\n  verbs: ["get"]',
      kubeLinter: ['access-to-secrets'],
      kinds: ['Role', 'ClusterRole'],
    },
    {
      id: 'rbac-dangerous-binding',
      severity: 'warning',
      title: 'A binding to cluster-admin, or to the system:anonymous, system:unauthenticated, system:authenticated or system:masters groups',
      why: 'Binding cluster-admin gives full control of the cluster (CIS 5.1.1); binding system:anonymous or system:unauthenticated gives it to anyone who can reach the API server, system:authenticated to every credential including every pod\'s ServiceAccount token; system:masters is a break-glass group that no binding should name.',
      bad: 'roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin',
      good: 'roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: app-reader',
      kubeLinter: ['cluster-admin-role-binding'],
      kinds: ['RoleBinding', 'ClusterRoleBinding'],
    },
  ],
  check(ctx) {
    const av = ctx.apiVersion ?? '';
    if (!av.startsWith(RBAC_GROUP + '/')) return;
    if (ctx.kind === 'Role' || ctx.kind === 'ClusterRole') checkRole(ctx);
    else if (ctx.kind === 'RoleBinding' || ctx.kind === 'ClusterRoleBinding') checkBinding(ctx);
  },
};

interface Item {
  node: Node;
  value: string;
}

function strings(ctx: RuleContext, path: (string | number)[], from: Node): Item[] {
  const out: Item[] = [];
  for (const n of ctx.items(path, from)) {
    if (isScalar(n) && n.value !== null && n.value !== undefined) out.push({ node: n, value: String(n.value) });
  }
  return out;
}

function checkRole(ctx: RuleContext): void {
  const groupsMap = resourcesByGroup(ctx.store);
  ctx.items(['rules']).forEach((rule, i) => {
    if (!isMap(rule)) return;
    const verbs = strings(ctx, ['verbs'], rule);
    const groups = strings(ctx, ['apiGroups'], rule);
    const resources = strings(ctx, ['resources'], rule);
    const names = strings(ctx, ['resourceNames'], rule);
    const urls = strings(ctx, ['nonResourceURLs'], rule);
    const path = ['rules', i];

    // Shape (the API server rejects these).
    const verbsNode = ctx.node(['verbs'], rule);
    if (verbsNode && isSeq(verbsNode) && !verbsNode.items.length) {
      ctx.report('rbac-rule-shape', [...path, 'verbs'], 'verbs is empty; a rule must grant at least one verb (e.g. `["get", "list", "watch"]`).', { where: 'key' });
    }
    if (urls.length) {
      if (ctx.kind === 'Role') {
        ctx.report('rbac-rule-shape', [...path, 'nonResourceURLs'], 'nonResourceURLs cannot be used in a namespaced Role; URLs such as /healthz are not namespaced. Move this rule to a ClusterRole.', { where: 'key' });
      }
      if (groups.length || resources.length || names.length) {
        const with_ = ['apiGroups', 'resources', 'resourceNames'].filter((k) => strings(ctx, [k], rule).length);
        ctx.report('rbac-rule-shape', [...path, 'nonResourceURLs'], `A rule cannot apply to both resources and non-resource URLs; split it in two: one with ${with_.join(', ')} and one with nonResourceURLs.`, { where: 'key' });
      }
    } else {
      if (!groups.length && ctx.has(['resources'], rule)) {
        ctx.report('rbac-rule-shape', [...path, 'resources'], 'A resource rule needs apiGroups; use `apiGroups: [""]` for the core group (pods, services, secrets...).', { where: 'key', data: { add: 'apiGroups' }, absent: [[...path, 'apiGroups'], [...path, 'nonResourceURLs']] });
      }
      if (!resources.length && groups.length) {
        ctx.report('rbac-rule-shape', [...path, 'apiGroups'], 'A resource rule needs at least one resource in `resources`.', { where: 'key', absent: [[...path, 'resources'], [...path, 'nonResourceURLs']] });
      }
    }

    // Verbs.
    const customGroup = groups.some((g) => g.value !== '*' && !groupsMap.has(g.value));
    const known = urls.length ? URL_VERBS : RESOURCE_VERBS;
    if (!customGroup) {
      for (const v of verbs) {
        if (v.value === '*' || known.includes(v.value)) continue;
        const lower = v.value.toLowerCase();
        const suggestion = known.includes(lower) ? lower : closest(lower, known);
        const kindOf = urls.length ? 'non-resource URL verb' : 'Kubernetes verb';
        ctx.report(
          'rbac-unknown-verb',
          v.node,
          `"${v.value}" is not a ${kindOf}${suggestion ? `; did you mean "${suggestion}"?` : ` (known: ${known.join(', ')}).`} RBAC accepts any string, so this grants nothing.`,
          { data: suggestion ? { replacement: suggestion } : undefined, absent: [[...path, 'nonResourceURLs']] },
        );
      }
    }

    // Resources per API group.
    if (groups.length && !groups.some((g) => g.value === '*') && !customGroup) {
      for (const r of resources) {
        if (r.value === '*' || r.value.startsWith('*/')) continue;
        const base = r.value.split('/')[0];
        if (groups.some((g) => groupsMap.get(g.value)?.has(base))) continue;
        const homes = [...groupsMap.entries()].filter(([, rs]) => rs.has(base)).map(([g]) => g);
        const listed = groups.map((g) => `"${g.value}"`).join(', ');
        if (homes.length) {
          const home = homes.includes('extensions') && homes.length > 1 ? homes.filter((h) => h !== 'extensions') : homes;
          ctx.report('rbac-resource-group', r.node, `"${base}" is not served by the API group${groups.length > 1 ? 's' : ''} ${listed}; it lives in ${home.map((h) => `"${h}"`).join(' or ')}. Add ${home.map((h) => `"${h}"`)[0]} to apiGroups (or move the resource to a rule for that group), otherwise this grants nothing.`, { data: { apiGroup: home[0] } });
          continue;
        }
        const candidates = new Set(groups.flatMap((g) => [...(groupsMap.get(g.value) ?? [])]));
        const lower = base.toLowerCase();
        const suggestion = candidates.has(lower) ? lower : closest(lower, candidates);
        if (suggestion) {
          const fixed = r.value.replace(base, suggestion);
          ctx.report('rbac-resource-group', r.node, `"${base}" is not a resource of the API group${groups.length > 1 ? 's' : ''} ${listed}; did you mean "${suggestion}"? Resource names are lowercase plurals.`, { data: { replacement: fixed } });
        }
      }
    }

    // Best practice: wildcards.
    const star = (items: Item[]) => items.find((x) => x.value === '*');
    const allStar = star(verbs) && star(resources) && star(groups);
    for (const [field, items] of [['apiGroups', groups], ['resources', resources], ['verbs', verbs]] as const) {
      const s = star(items);
      if (!s) continue;
      const what = field === 'verbs' ? 'every verb, including escalate, bind and impersonate' : field === 'resources' ? 'every resource of the listed groups, including Secrets and resources added later' : 'every API group, including CRDs added later';
      const tail = allStar ? ' With `*` in apiGroups, resources and verbs this rule is cluster-admin.' : ' List what is needed instead.';
      ctx.report('rbac-wildcard', s.node, `"*" in ${field} grants ${what}.${tail}`);
    }

    // Best practice: escalation verbs.
    for (const v of verbs) {
      if (v.value === 'escalate') ctx.report('rbac-escalation', v.node, '"escalate" lets the subject give itself any permission through the Roles it can edit; grant it only to cluster administrators.');
      else if (v.value === 'bind') ctx.report('rbac-escalation', v.node, '"bind" lets the subject bind any Role to anyone, including itself, without holding its permissions; grant it only to cluster administrators.');
      else if (v.value === 'impersonate') {
        const scoped = names.length ? '' : ' Restrict it with resourceNames at least.';
        ctx.report('rbac-escalation', v.node, `"impersonate" lets the subject act as other users, groups or ServiceAccounts, with their permissions.${scoped}`);
      }
    }

    // Best practice: reading Secrets, judged per rule.
    const coreGroup = groups.some((g) => g.value === '' || g.value === '*');
    const secrets = resources.find((r) => r.value === 'secrets');
    if (coreGroup && secrets && !names.length) {
      const reading = verbs.filter((v) => READ_SECRET_VERBS.includes(v.value)).map((v) => v.value);
      if (reading.length) {
        const scope = ctx.kind === 'ClusterRole' ? 'every Secret in every namespace (where bound by a ClusterRoleBinding)' : 'every Secret of the namespace';
        const lw = reading.some((v) => v === 'list' || v === 'watch' || v === '*') ? ' list and watch return the values too, not just the names.' : '';
        ctx.report('rbac-secret-access', secrets.node, `${reading.map((v) => `"${v}"`).join(', ')} on secrets without resourceNames reads ${scope}, including ServiceAccount tokens.${lw} Restrict the rule with resourceNames, or mount the Secrets the workload needs instead.`);
      }
    }
  });
}

function checkBinding(ctx: RuleContext): void {
  const cluster = ctx.kind === 'ClusterRoleBinding';
  const ref = ctx.node(['roleRef']);
  if (isMap(ref)) {
    const apiGroup = ctx.str(['roleRef', 'apiGroup']);
    if (apiGroup !== undefined && apiGroup !== '' && apiGroup !== RBAC_GROUP) {
      const hint = apiGroup.startsWith(RBAC_GROUP + '/') ? ' (the group alone, without a version)' : '';
      ctx.report('rbac-roleref', ['roleRef', 'apiGroup'], `roleRef.apiGroup must be "${RBAC_GROUP}"${hint}; the API server rejects "${apiGroup}".`, { data: { replacement: RBAC_GROUP } });
    }
    const kind = ctx.str(['roleRef', 'kind']);
    if (kind !== undefined) {
      const allowed = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
      if (!allowed.includes(kind)) {
        const suggestion = cluster ? 'ClusterRole' : allowed.find((a) => a.toLowerCase() === kind.toLowerCase()) ?? closest(kind, allowed);
        const msg = cluster && kind === 'Role'
          ? 'A ClusterRoleBinding can only reference a ClusterRole; a Role is namespaced. Use kind ClusterRole, or make this a RoleBinding in the Role\'s namespace.'
          : `roleRef.kind must be ${allowed.join(' or ')}${suggestion ? `; did you mean ${suggestion}?` : '.'}`;
        ctx.report('rbac-roleref', ['roleRef', 'kind'], msg, { data: suggestion ? { replacement: suggestion } : undefined });
      }
    }
    if (ctx.has(['roleRef', 'name']) && !ctx.str(['roleRef', 'name'])) {
      ctx.report('rbac-roleref', ['roleRef', 'name'], 'roleRef.name is empty; name the Role or ClusterRole to bind.', { where: 'key' });
    }
    const roleName = ctx.str(['roleRef', 'name']);
    if (roleName === 'cluster-admin' && (kind === undefined || kind === 'ClusterRole')) {
      const where = cluster ? 'the whole cluster' : 'this namespace (everything in it, including Roles and Secrets)';
      ctx.report('rbac-dangerous-binding', ['roleRef', 'name'], `This binds cluster-admin, which gives full control of ${where}. Bind a role with only the permissions the subjects need.`);
    }
  }

  ctx.items(['subjects']).forEach((s, i) => {
    if (!isMap(s)) return;
    const path = ['subjects', i];
    const kind = ctx.str(['kind'], s);
    const apiGroup = ctx.str(['apiGroup'], s);
    const name = ctx.str(['name'], s);
    const kinds = ['ServiceAccount', 'User', 'Group'];
    if (kind !== undefined && !kinds.includes(kind)) {
      const suggestion = kinds.find((k) => k.toLowerCase() === kind.toLowerCase()) ?? closest(kind, kinds);
      ctx.report('rbac-subject', [...path, 'kind'], `Subject kind must be ServiceAccount, User or Group${suggestion ? `; did you mean ${suggestion}?` : '.'}`, { data: suggestion ? { replacement: suggestion } : undefined });
    }
    if (kind === 'ServiceAccount') {
      if (apiGroup) {
        ctx.report('rbac-subject', [...path, 'apiGroup'], `A ServiceAccount subject belongs to the core API group: apiGroup must be "" or left out; the API server rejects "${apiGroup}".`, { data: { remove: 'apiGroup' } });
      }
      if (cluster && !ctx.str(['namespace'], s)) {
        ctx.report('rbac-subject', [...path, 'kind'], `The ServiceAccount subject${name ? ` "${name}"` : ''} needs a namespace in a ClusterRoleBinding (there is no binding namespace to fall back on).`, {
          where: 'key',
          data: { add: 'namespace', namespace: ctx.obj.namespace ?? 'default' },
          absent: [[...path, 'namespace']],
        });
      }
    } else if ((kind === 'User' || kind === 'Group') && apiGroup !== undefined && apiGroup !== '' && apiGroup !== RBAC_GROUP) {
      ctx.report('rbac-subject', [...path, 'apiGroup'], `A ${kind} subject needs apiGroup "${RBAC_GROUP}"; the API server rejects "${apiGroup}".`, { data: { replacement: RBAC_GROUP } });
    }
    if (ctx.has(['name'], s) && !name) {
      ctx.report('rbac-subject', [...path, 'name'], 'The subject name is empty.', { where: 'key' });
    }
    const defaultBinding = name === 'system:authenticated' || name === 'system:unauthenticated' ? DEFAULT_PUBLIC_ROLES.includes(ctx.str(['roleRef', 'name']) ?? '') : false;
    if (name && DANGEROUS_SUBJECTS[name] && (kind === 'Group' || kind === 'User') && !defaultBinding) {
      ctx.report('rbac-dangerous-binding', [...path, 'name'], `"${name}" is ${DANGEROUS_SUBJECTS[name]}; binding a role to it grants the role to ${name === 'system:masters' ? 'its members on top of unlimited access' : name === 'system:authenticated' ? 'anything holding any credential, including every pod\'s ServiceAccount token' : 'anyone who can reach the API server'}. Bind specific users, groups or ServiceAccounts.`);
    }
  });
}
