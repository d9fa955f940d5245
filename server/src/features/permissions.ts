/**
 * What a subject (a ServiceAccount, User or Group) may do, from every
 * RoleBinding and ClusterRoleBinding of the workspace and the Role or
 * ClusterRole each references: rows of verbs by resources, with the scope and
 * the binding that grants them. Wildcards and dangerous grants are marked.
 *
 * Pure: works on a WorkspaceView.
 */
import { ObjectFacts, RbacRuleFact, WorkspaceView } from '../workspace/index';

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface PermissionRow {
  /** `cluster-wide` or `namespace <ns>`. */
  scope: string;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  binding: { kind: string; name: string; namespace: string; uri: string };
  role: { kind: string; name: string; uri?: string; builtin?: boolean };
  /** The role is aggregated: the ClusterRole whose rules the aggregation controller copied into it. */
  aggregatedFrom?: { name: string; uri: string };
  /** Why the row is risky (empty when it is not). */
  dangers: string[];
  wildcard: boolean;
}

export interface Permissions {
  subject: Subject;
  rows: PermissionRow[];
  /** Roles that bindings name but that no file defines (and are not built in). */
  unresolved: Array<{ kind: string; name: string; binding: string }>;
  /** Bindings that grant something to the subject. */
  bindings: number;
  /** Said under the table (an aggregated ClusterRole that nothing of the workspace feeds). */
  notes: string[];
}

/** Built-in ClusterRoles (user-facing ones), summarized. */
const BUILTIN: Record<string, RbacRuleFact[]> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: [], nonResourceURLs: [] }],
  admin: [{ apiGroups: ['*'], resources: ['most namespaced resources, incl. roles, rolebindings and secrets'], verbs: ['*'], resourceNames: [], nonResourceURLs: [] }],
  edit: [{ apiGroups: ['*'], resources: ['most namespaced resources, incl. secrets (not roles)'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], resourceNames: [], nonResourceURLs: [] }],
  view: [{ apiGroups: ['*'], resources: ['most namespaced resources (not secrets)'], verbs: ['get', 'list', 'watch'], resourceNames: [], nonResourceURLs: [] }],
};

/** The label that adds a ClusterRole's rules to the built-in admin, edit or view role (Kubernetes' default aggregation). */
export const BUILTIN_AGGREGATION: Record<string, string> = {
  admin: 'rbac.authorization.k8s.io/aggregate-to-admin',
  edit: 'rbac.authorization.k8s.io/aggregate-to-edit',
  view: 'rbac.authorization.k8s.io/aggregate-to-view',
};

type Selector = NonNullable<ObjectFacts['aggregationSelectors']>[number];

/** A label selector against labels, as metav1.LabelSelectorAsSelector reads it (an empty selector matches everything). */
export function selectorMatches(sel: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return false; // the API server refuses it: nothing is aggregated
  }
  return true;
}

const labelMap = (o: ObjectFacts): Record<string, string> => Object.fromEntries(o.labels.map((l) => [l.key, l.value]));

/** The ClusterRoles of the workspace (one per name, the first) that match any of the selectors, by name as the controller sorts them. */
function matchingClusterRoles(view: WorkspaceView, selectors: Selector[], self?: string): ObjectFacts[] {
  const byName = new Map<string, ObjectFacts>();
  for (const o of view.ofKind('ClusterRole')) {
    if (o.name === self || byName.has(o.name)) continue;
    const labels = labelMap(o);
    if (selectors.some((s) => selectorMatches(s, labels))) byName.set(o.name, o);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A rule with the ClusterRole it was aggregated from (none: the role's own rule). */
export interface EffectiveRule {
  rule: RbacRuleFact;
  from?: ObjectFacts;
}

/**
 * The rules a Role or ClusterRole grants in the cluster. An aggregated ClusterRole's `rules` are
 * written by the aggregation controller: the rules of every other ClusterRole its
 * clusterRoleSelectors match (each rule once, roles by name), replacing what the file says; an
 * aggregated role matched in turn gives its aggregated rules.
 */
export function effectiveRules(view: WorkspaceView, role: ObjectFacts, seen = new Set<string>()): EffectiveRule[] {
  if (role.kind !== 'ClusterRole' || !role.aggregated) return (role.rules ?? []).map((rule) => ({ rule }));
  seen.add(role.name);
  return aggregate(view, matchingClusterRoles(view, role.aggregationSelectors ?? [], role.name), seen);
}

/** The ClusterRoles of the workspace that add to a built-in aggregated role (admin, edit, view) through its label. */
export function builtinAggregation(view: WorkspaceView, name: string): EffectiveRule[] {
  const label = BUILTIN_AGGREGATION[name];
  if (!label) return [];
  return aggregate(view, matchingClusterRoles(view, [{ matchLabels: { [label]: 'true' }, matchExpressions: [] }], name), new Set([name]));
}

function aggregate(view: WorkspaceView, sources: ObjectFacts[], seen: Set<string>): EffectiveRule[] {
  const out: EffectiveRule[] = [];
  const keys = new Set<string>();
  for (const src of sources) {
    if (seen.has(src.name)) continue; // a cycle of aggregations: the controller converges on what the others hold
    const rules = src.aggregated ? effectiveRules(view, src, new Set(seen)).map((r) => r.rule) : src.rules ?? [];
    for (const rule of rules) {
      const key = JSON.stringify([rule.apiGroups, rule.resources, rule.verbs, rule.resourceNames, rule.nonResourceURLs]);
      if (keys.has(key)) continue;
      keys.add(key);
      out.push({ rule, from: src });
    }
  }
  return out;
}

export function permissionsOf(view: WorkspaceView, subject: Subject): Permissions {
  const out: Permissions = { subject, rows: [], unresolved: [], bindings: 0, notes: [] };
  const subjNs = subject.namespace || 'default';
  // One binding seen twice (a chart's template indexed as rendered and the render being edited) grants once.
  const seenBindings = new Set<string>();
  for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
    for (const b of view.ofKind(kind)) {
      if (!b.roleRef || !b.subjects?.some((s) => subjectMatches(s, b, subject, subjNs))) continue;
      const id = JSON.stringify([kind, b.namespace, b.name, b.roleRef, b.subjects.map((s) => [s.kind, s.name, s.namespace])]);
      if (seenBindings.has(id)) continue;
      seenBindings.add(id);
      out.bindings++;
      const scope = kind === 'ClusterRoleBinding' ? 'cluster-wide' : `namespace ${b.namespace}`;
      const binding = { kind, name: b.name, namespace: b.namespace, uri: b.uri };
      let roles: ObjectFacts[] = [];
      if (b.roleRef.kind === 'ClusterRole') roles = view.named('ClusterRole', b.roleRef.name);
      else if (b.roleRef.kind === 'Role') roles = view.named('Role', b.roleRef.name).filter((r) => r.namespace === b.namespace || !r.explicitNamespace || !b.explicitNamespace);
      if (!roles.length) {
        const builtin = b.roleRef.kind === 'ClusterRole' ? BUILTIN[b.roleRef.name] : undefined;
        if (builtin) {
          const role = { kind: 'ClusterRole', name: b.roleRef.name, builtin: true };
          for (const rule of builtin) out.rows.push(row(rule, scope, binding, role));
          for (const r of builtinAggregation(view, b.roleRef.name)) out.rows.push(row(r.rule, scope, binding, role, r.from));
        } else out.unresolved.push({ kind: b.roleRef.kind, name: b.roleRef.name, binding: `${kind} ${b.name}` });
        continue;
      }
      // Variants of one role (the same object in several files): take the first.
      const role = roles[0];
      const rules = effectiveRules(view, role);
      for (const r of rules) out.rows.push(row(r.rule, scope, binding, { kind: role.kind, name: role.name, uri: role.uri }, r.from));
      if (role.aggregated && !rules.length) {
        const note = `ClusterRole \`${role.name}\` is aggregated, and no other ClusterRole of the workspace matches its aggregationRule: it grants nothing until one does (labelled to match its clusterRoleSelectors).`;
        if (!out.notes.includes(note)) out.notes.push(note);
      }
    }
  }
  return out;
}

function subjectMatches(s: { kind: string; name: string; namespace?: string }, b: ObjectFacts, subject: Subject, subjNs: string): boolean {
  if (subject.kind === 'ServiceAccount') {
    if (s.kind === 'ServiceAccount') {
      if (s.name !== subject.name) return false;
      const ns = s.namespace ?? (b.kind === 'RoleBinding' ? b.namespace : 'default');
      return ns === subjNs || (!s.namespace && !b.explicitNamespace) || !subject.namespace;
    }
    if (s.kind === 'Group') return s.name === 'system:serviceaccounts' || s.name === `system:serviceaccounts:${subjNs}` || s.name === 'system:authenticated';
    return s.kind === 'User' && s.name === `system:serviceaccount:${subjNs}:${subject.name}`;
  }
  return s.kind === subject.kind && s.name === subject.name;
}

function row(rule: RbacRuleFact, scope: string, binding: PermissionRow['binding'], role: PermissionRow['role'], from?: ObjectFacts): PermissionRow {
  const wildcard = rule.verbs.includes('*') || rule.resources.includes('*') || rule.apiGroups.includes('*');
  const r: PermissionRow = { scope, apiGroups: rule.apiGroups, resources: rule.resources, verbs: rule.verbs, resourceNames: rule.resourceNames, nonResourceURLs: rule.nonResourceURLs, binding, role, wildcard, dangers: dangersOf(rule) };
  if (from) r.aggregatedFrom = { name: from.name, uri: from.uri };
  return r;
}

const WRITE = ['create', 'update', 'patch', '*'];

/** Why a rule is risky, in words (empty when it is not). */
export function dangersOf(rule: RbacRuleFact): string[] {
  const out: string[] = [];
  const v = new Set(rule.verbs);
  const has = (...verbs: string[]): boolean => verbs.some((x) => v.has(x)) || v.has('*');
  const res = (r: string): boolean => rule.resources.includes(r) || rule.resources.includes('*');
  if (v.has('*')) out.push('every verb');
  if (rule.resources.includes('*')) out.push('every resource');
  if (has('escalate')) out.push('escalate: may grant itself more than it has');
  if (has('bind')) out.push('bind: may bind any role');
  if (has('impersonate')) out.push('impersonate: may act as other users');
  if (res('secrets') && has('get', 'list', 'watch')) out.push('reads Secrets');
  if ((res('pods/exec') || res('pods/attach')) && has('create', 'get')) out.push('exec into pods');
  if (res('pods') && WRITE.some((x) => v.has(x))) out.push('creates pods (may run any image with any service account)');
  if (res('serviceaccounts/token') && has('create')) out.push('mints service account tokens');
  if ((res('roles') || res('clusterroles') || res('rolebindings') || res('clusterrolebindings')) && WRITE.some((x) => v.has(x))) out.push('changes RBAC');
  if (res('nodes/proxy')) out.push('nodes/proxy: reaches the kubelet API');
  return [...new Set(out)];
}

function fileName(uri: string): string {
  const parts = uri.split('/');
  return decodeURIComponent(parts.slice(-2).join('/'));
}

/** The permissions as a markdown table (at most `max` rows). */
export function permissionsMarkdown(p: Permissions, max = 50): string {
  const who = `${p.subject.kind} \`${p.subject.namespace && p.subject.kind === 'ServiceAccount' ? `${p.subject.namespace}/` : ''}${p.subject.name}\``;
  const lines: string[] = [];
  if (!p.rows.length && !p.unresolved.length) {
    lines.push(`**${who}** is granted nothing by the RoleBindings and ClusterRoleBindings of this workspace.`);
    for (const n of p.notes ?? []) lines.push('', n);
    return lines.join('\n');
  }
  lines.push(`**What ${who} may do** (from ${p.bindings} binding${p.bindings === 1 ? '' : 's'} in the workspace)`);
  lines.push('');
  lines.push('| Scope | Resources | Verbs | Granted by |');
  lines.push('|---|---|---|---|');
  for (const r of p.rows.slice(0, max)) {
    const groups = r.apiGroups.filter((g) => g !== '').map((g) => (g === '*' ? 'every group' : g));
    const resources = r.nonResourceURLs.length && !r.resources.length ? r.nonResourceURLs.map((u) => `URL ${u}`).join(', ') : r.resources.map((x) => (x === '*' ? '**\\* (all)**' : x)).join(', ');
    const names = r.resourceNames.length ? ` (only ${r.resourceNames.join(', ')})` : '';
    const verbs = r.verbs.map((x) => (x === '*' ? '**\\* (all)**' : ['escalate', 'bind', 'impersonate'].includes(x) ? `**${x}**` : x)).join(', ');
    const mark = r.dangers.length ? '⚠️ ' : '';
    const role = `${r.role.kind} ${r.role.name}${r.role.builtin ? ' (built in)' : ''}${r.aggregatedFrom ? ` (aggregated from ClusterRole ${r.aggregatedFrom.name})` : ''}`;
    lines.push(`| ${r.scope} | ${mark}${resources}${names}${groups.length ? ` _(${groups.join(', ')})_` : ''} | ${verbs} | ${r.binding.kind} ${r.binding.name} → ${role} |`);
  }
  if (p.rows.length > max) lines.push(`| … | ${p.rows.length - max} more rows | | |`);
  const dangers = [...new Set(p.rows.flatMap((r) => r.dangers))];
  if (dangers.length) lines.push('', `⚠️ Risky: ${dangers.join('; ')}.`);
  for (const u of p.unresolved) lines.push('', `${u.binding} references ${u.kind} \`${u.name}\`, which no file of the workspace defines.`);
  for (const n of p.notes ?? []) lines.push('', n);
  return lines.join('\n');
}

export { fileName as shortFileName };
