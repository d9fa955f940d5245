/**
 * Names and labels: metadata.name in the format the API server requires for
 * the kind (DNS-1123 subdomain for most, DNS-1123 label for Namespace,
 * DNS-1035 label for Service, path segment for RBAC), metadata.namespace,
 * CronJob names short enough for the Job names derived from them, and label
 * and annotation keys and values (object, pod templates, selectors).
 */
import { isMap, isScalar, Node, Pair, Path } from '../model/manifest';
import { podTemplatePath, RuleContext, RuleFamily } from './engine';
import { isClusterScoped } from '../model/kinds';
import { FORMAT_WORDS, labelValueProblem, NameFormat, nameFormatProblem, qualifiedNameProblem, suggestName } from './util/namesFormat';

const SUBDOMAIN_KINDS = new Set([
  'Pod', 'PodTemplate', 'Secret', 'ConfigMap', 'ServiceAccount', 'Job', 'CronJob', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController',
  'Ingress', 'IngressClass', 'NetworkPolicy', 'PersistentVolume', 'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'StorageClass',
  'PriorityClass', 'ResourceQuota', 'LimitRange', 'Endpoints', 'Node',
]);
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The name format of a built-in kind, or undefined when we do not know it (custom resources, special names). */
export function nameFormatOf(kind: string | undefined): NameFormat | undefined {
  if (!kind) return undefined;
  if (kind === 'Namespace') return 'label';
  if (kind === 'Service') return 'dns1035';
  if (RBAC_KINDS.has(kind)) return 'path-segment';
  if (SUBDOMAIN_KINDS.has(kind)) return 'subdomain';
  return undefined;
}

/** Placeholders of Helm, kustomize, envsubst: not the final text. */
const TEMPLATED = /\{\{|\$\{|\$\(|%\{/;

const CRONJOB_NAME_MAX = 52;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export const nameRules: RuleFamily = {
  name: 'names',
  rules: [
    {
      id: 'invalid-name',
      severity: 'error',
      title: 'A name in the wrong format for its kind',
      why: 'Most names become DNS names or URL path segments: the API server requires lowercase DNS-1123 subdomains for most kinds, DNS-1035 labels for Services, DNS-1123 labels for Namespaces, and path segments for RBAC objects.',
      bad: 'metadata:\n  name: My_App',
      good: 'metadata:\n  name: my-app',
    },
    {
      id: 'cronjob-name-too-long',
      severity: 'error',
      title: 'A CronJob name longer than 52 characters',
      why: 'The CronJob controller appends an 11-character suffix to name each Job; the API server rejects CronJob names over 52 characters.',
      kinds: ['CronJob'],
    },
    {
      id: 'invalid-label',
      severity: 'error',
      title: 'An invalid label or annotation key, or label value',
      why: 'Label keys are an optional DNS prefix and a name of at most 63 letters, digits, -, _ or . (starting and ending alphanumeric); values follow the same rule or are empty. The API server rejects anything else.',
      bad: 'labels:\n  app name: web',
      good: 'labels:\n  app.kubernetes.io/name: web',
    },
    {
      id: 'namespace-on-cluster-scoped',
      severity: 'warning',
      title: 'metadata.namespace on a cluster-scoped kind',
      why: 'Cluster-scoped objects (ClusterRole, ClusterRoleBinding, Namespace, PersistentVolume, StorageClass, IngressClass, CustomResourceDefinition, PriorityClass...) have no namespace: kubectl and the API server drop metadata.namespace. It suggests the object is confined to that namespace when it is not; a ClusterRoleBinding grants its ClusterRole in every namespace.',
      bad: 'kind: ClusterRoleBinding\nmetadata:\n  name: read-pods\n  namespace: team-a',
      good: 'kind: RoleBinding\nmetadata:\n  name: read-pods\n  namespace: team-a',
    },
    {
      id: 'invalid-finalizer',
      severity: 'error',
      title: 'An invalid finalizer name',
      why: 'Finalizers are qualified names; one without a "domain/" prefix must be a standard finalizer (kubernetes, orphan, foregroundDeletion), and orphan and foregroundDeletion cannot both be set. The API server rejects anything else.',
      bad: 'metadata:\n  finalizers:\n  - cleanup',
      good: 'metadata:\n  finalizers:\n  - example.com/cleanup',
    },
  ],
  check(ctx) {
    if (!ctx.kind || !ctx.apiVersion) return;
    const builtin = !!ctx.store.schemaFor(ctx.apiVersion, ctx.kind);
    if (builtin) {
      checkName(ctx);
      checkFinalizers(ctx);
    }
    checkLabels(ctx, builtin);
  },
};

function checkName(ctx: RuleContext): void {
  const kind = ctx.kind!;
  const format = nameFormatOf(kind);
  const name = ctx.str(['metadata', 'name']);
  if (format && name !== undefined && isScalar(ctx.node(['metadata', 'name'])) && typeof ctx.value(['metadata', 'name']) === 'string' && !TEMPLATED.test(name)) {
    const problem = nameFormatProblem(name, format);
    const tooLongOnly = kind === 'CronJob' && problem !== undefined && nameFormatProblem(name.slice(0, 253), format) === undefined;
    if (problem && !tooLongOnly) {
      const suggestion = suggestName(name, format);
      ctx.report('invalid-name', ['metadata', 'name'], `"${name}" is not a valid ${kind} name: ${problem}. A ${kind} name must use ${FORMAT_WORDS[format]}.${suggestion ? ` Try "${suggestion}".` : ''}`, suggestion ? { data: { suggestion } } : {});
    }
    if (kind === 'CronJob' && name.length > CRONJOB_NAME_MAX && (problem === undefined || tooLongOnly)) {
      ctx.report('cronjob-name-too-long', ['metadata', 'name'], `A CronJob name can have at most ${CRONJOB_NAME_MAX} characters (the controller appends an 11-character suffix to name each Job); this one has ${name.length}.`, { data: { maxLength: CRONJOB_NAME_MAX } });
    }
  }
  const gen = ctx.str(['metadata', 'generateName']);
  if (format && format !== 'path-segment' && name === undefined && gen !== undefined && !TEMPLATED.test(gen)) {
    // The server appends 5 random characters (and trims the prefix to fit), so only the characters matter.
    const masked = gen.replace(/-$/, 'a').slice(0, 58);
    const problem = nameFormatProblem(masked, format);
    // Used only without a name: a misspelled name explains it.
    if (problem) ctx.report('invalid-name', ['metadata', 'generateName'], `generateName "${gen}" cannot produce a valid ${kind} name: ${problem}. It must use ${FORMAT_WORDS[format]}.`, { absent: [['metadata', 'name']] });
  }
  const ns = ctx.str(['metadata', 'namespace']);
  if (ns !== undefined && ns !== '' && isClusterScoped(kind)) {
    const extra = kind === 'ClusterRoleBinding' ? ' A ClusterRoleBinding grants its ClusterRole in every namespace; to grant it only in this namespace, use a RoleBinding.' : '';
    ctx.report('namespace-on-cluster-scoped', ['metadata', 'namespace'], `${kind} is cluster-scoped, so metadata.namespace is ignored (kubectl and the API server drop it).${extra} Remove the namespace.`, { where: 'key', data: { remove: 'namespace' } });
  } else if (ns !== undefined && typeof ctx.value(['metadata', 'namespace']) === 'string' && !TEMPLATED.test(ns)) {
    const problem = nameFormatProblem(ns, 'label');
    if (problem) {
      const suggestion = suggestName(ns, 'label');
      ctx.report('invalid-name', ['metadata', 'namespace'], `"${ns}" is not a valid namespace: ${problem}. Namespaces use ${FORMAT_WORDS.label}.${suggestion ? ` Try "${suggestion}".` : ''}`, suggestion ? { data: { suggestion } } : {});
    }
  }
}

const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

function checkFinalizers(ctx: RuleContext): void {
  const items = ctx.items(['metadata', 'finalizers']);
  const names = new Set<string>();
  for (const n of items) {
    if (!isScalar(n) || typeof n.value !== 'string' || TEMPLATED.test(n.value)) continue;
    const f = n.value;
    names.add(f);
    const problem = qualifiedNameProblem(f);
    if (problem) {
      ctx.report('invalid-finalizer', n, `Finalizer "${f}" is not valid: ${problem}. Finalizers are written like example.com/cleanup.`);
    } else if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) {
      const std = STANDARD_FINALIZERS.find((s) => s.toLowerCase() === f.toLowerCase());
      ctx.report('invalid-finalizer', n, `Finalizer "${f}" is neither a standard finalizer (${STANDARD_FINALIZERS.join(', ')}) nor qualified with a domain prefix${std ? `; did you mean "${std}"?` : ': write it like example.com/' + f + '.'}`, { data: { replacement: std ?? `example.com/${f}` } });
    }
  }
  if (names.has('orphan') && names.has('foregroundDeletion')) {
    ctx.report('invalid-finalizer', ['metadata', 'finalizers'], 'The finalizers orphan and foregroundDeletion cannot both be set: one keeps dependents, the other deletes them first. Keep one.', { where: 'key' });
  }
}

/** Label maps of the object: its own, its pod template's, a CronJob's job template's. */
function labelMaps(ctx: RuleContext, builtin: boolean): Path[] {
  const out: Path[] = [['metadata', 'labels']];
  if (!builtin) return out;
  const tpl = podTemplatePath(ctx.kind);
  if (tpl) out.push([...tpl, 'metadata', 'labels']);
  if (ctx.kind === 'CronJob') out.push(['spec', 'jobTemplate', 'metadata', 'labels']);
  return out;
}

/** Selectors whose matchLabels/matchExpressions hold label keys and values. */
function selectors(ctx: RuleContext): { labelSelectors: Path[]; plainSelectors: Path[] } {
  switch (ctx.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'PodDisruptionBudget':
      return { labelSelectors: [['spec', 'selector']], plainSelectors: [] };
    case 'CronJob':
      return { labelSelectors: [['spec', 'jobTemplate', 'spec', 'selector']], plainSelectors: [] };
    case 'NetworkPolicy':
      return { labelSelectors: [['spec', 'podSelector']], plainSelectors: [] };
    case 'Service':
    case 'ReplicationController':
      return { labelSelectors: [], plainSelectors: [['spec', 'selector']] };
    default:
      return { labelSelectors: [], plainSelectors: [] };
  }
}

function keyText(pair: Pair<unknown, unknown>): string | undefined {
  return isScalar(pair.key) && pair.key.value !== null && pair.key.value !== undefined ? String(pair.key.value) : undefined;
}

function checkLabelMap(ctx: RuleContext, path: Path, what: string): void {
  if (!isMap(ctx.node(path))) return;
  for (const pair of ctx.pairs(path)) {
    const key = keyText(pair);
    if (key === undefined || TEMPLATED.test(key)) continue;
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) ctx.report('invalid-label', pair, `Label key "${key}" in ${what} is not valid: ${keyProblem}. ${KEY_RULE}`, { where: 'key', data: { key } });
    const v = ctx.deref(pair.value as Node);
    if (!isScalar(v)) continue;
    // An unquoted timestamp is a string to the API server (see jsType in schema.ts): check it as written.
    const text = typeof v.value === 'string' ? v.value : v.value instanceof Date ? v.source : undefined;
    if (typeof text !== 'string' || TEMPLATED.test(text)) continue;
    const valueProblem = labelValueProblem(text);
    if (valueProblem) ctx.report('invalid-label', pair, `The value of label "${key}" in ${what} is not valid: ${valueProblem}. ${VALUE_RULE}`, { where: 'value', data: { key } });
  }
}

const KEY_RULE = "Keys are an optional DNS prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. app.kubernetes.io/name).";
const VALUE_RULE = "Values have at most 63 letters, digits, '-', '_' or '.', start and end with a letter or digit, or are empty; put longer or free text in an annotation.";

function checkLabels(ctx: RuleContext, builtin: boolean): void {
  for (const path of labelMaps(ctx, builtin)) checkLabelMap(ctx, path, path.join('.'));
  if (builtin) {
    const { labelSelectors, plainSelectors } = selectors(ctx);
    for (const s of plainSelectors) checkLabelMap(ctx, s, s.join('.'));
    for (const s of labelSelectors) {
      checkLabelMap(ctx, [...s, 'matchLabels'], [...s, 'matchLabels'].join('.'));
      ctx.items([...s, 'matchExpressions']).forEach((expr, i) => {
        const ep: Path = [...s, 'matchExpressions', i];
        if (!isMap(expr)) return;
        const key = ctx.str(['key'], expr);
        const keyProblem = key !== undefined && !TEMPLATED.test(key) ? qualifiedNameProblem(key) : undefined;
        if (keyProblem) ctx.report('invalid-label', [...ep, 'key'], `Label key "${key}" in ${ep.join('.')} is not valid: ${keyProblem}. ${KEY_RULE}`);
        ctx.items([...ep, 'values']).forEach((v) => {
          if (!isScalar(v) || typeof v.value !== 'string' || TEMPLATED.test(v.value)) return;
          const problem = labelValueProblem(v.value);
          if (problem) ctx.report('invalid-label', v, `Value "${v.value}" in ${ep.join('.')} is not a valid label value: ${problem}. ${VALUE_RULE}`);
        });
      });
    }
  }
  const annotationMaps: Path[] = [['metadata', 'annotations']];
  const tpl = builtin ? podTemplatePath(ctx.kind) : undefined;
  if (tpl) annotationMaps.push([...tpl, 'metadata', 'annotations']);
  for (const path of annotationMaps) {
    if (!isMap(ctx.node(path))) continue;
    let bytes = 0;
    for (const pair of ctx.pairs(path)) {
      const key = keyText(pair);
      if (key === undefined) continue;
      const v = ctx.deref(pair.value as Node);
      bytes += utf8Length(key) + (isScalar(v) && v.value !== null && v.value !== undefined ? utf8Length(String(v.value)) : 0);
      if (TEMPLATED.test(key)) continue;
      const problem = qualifiedNameProblem(key.toLowerCase());
      if (problem) ctx.report('invalid-label', pair, `Annotation key "${key}" in ${path.join('.')} is not valid: ${problem}. ${KEY_RULE.replace('Keys', 'Annotation keys')}`, { where: 'key', data: { key } });
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) {
      ctx.report('invalid-label', path, `The annotations in ${path.join('.')} total ${bytes} bytes; the API server allows at most ${MAX_ANNOTATIONS_BYTES} (256 KiB). Move large data to a ConfigMap.`, { where: 'key' });
    }
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
