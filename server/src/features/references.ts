/**
 * References between objects of the workspace: a Secret named by a
 * secretKeyRef, a ServiceAccount by serviceAccountName, a Role by a roleRef,
 * pods by a Service selector, a Service by an Ingress backend, a container
 * port by a named targetPort. From the workspace index this module completes
 * them, checks them across files, navigates them (definition, references,
 * rename) and explains them on hover.
 *
 * Pure: works on a ManifestFile and a WorkspaceView; offsets only.
 */
import { CursorContext } from '../model/context';
import { ManifestFile, sectionAt } from '../model/manifest';
import { closest, indentOf, isBlankOrComment, LineIndex } from '../model/text';
import { Problem, Settings, Severity } from '../types';
import {
  ContainerPortFact,
  extractFacts,
  FileFacts,
  LabelFact,
  ObjectFacts,
  RefFact,
  RefTarget,
  sameNamespace,
  selects,
  Span,
  WorkspaceView,
} from '../workspace/index';
import type { CompletionEntry } from './completion';
import type { HoverInput } from './hover';
import { decodeSecretValue } from './actions/secrets';
import { BUILTIN_AGGREGATION, builtinAggregation, dangersOf, effectiveRules, EffectiveRule, permissionsMarkdown, permissionsOf, shortFileName } from './permissions';

export { REFERENCE_RULES } from '../workspace/rules';

export interface Location {
  uri: string;
  start: number;
  end: number;
}

/** What the cursor is on. */
export type RefSymbol =
  | { type: 'object'; kind: string; name: string; namespace: string; explicit: boolean; span: Span }
  | { type: 'key'; kind: string; name: string; key: string; namespace: string; explicit: boolean; span: Span }
  | { type: 'label'; key: string; value: string; part: 'key' | 'value'; namespace: string; explicit: boolean; span: Span; in: 'labels' | 'podLabels' | 'selector'; owner: ObjectFacts }
  | { type: 'servicePort'; service: string; port: string; namespace: string; explicit: boolean; span: Span }
  | { type: 'containerPort'; name: string; span: Span; owner: ObjectFacts; fromService?: boolean };

const within = (s: Span | undefined, offset: number): s is Span => !!s && offset >= s[0] && offset <= s[1];

// ---------------------------------------------------------------------------
// What is at an offset

export function symbolAt(facts: FileFacts, offset: number): RefSymbol | undefined {
  for (const o of facts.objects) {
    if (!within(o.span, offset)) continue;
    const ns = { namespace: o.namespace, explicit: o.explicitNamespace };
    for (const r of o.refs) {
      if (r.key !== undefined && within(r.keySpan, offset)) return { type: 'key', kind: r.target, name: r.name, key: r.key, namespace: r.namespace, explicit: r.explicitNamespace, span: r.keySpan };
      if (!r.keyOnly && within(r.nameSpan, offset)) return { type: 'object', kind: r.target, name: r.name, namespace: r.namespace, explicit: r.explicitNamespace, span: r.nameSpan };
      if (r.port !== undefined && within(r.portSpan, offset)) return { type: 'servicePort', service: r.name, port: r.port, namespace: r.namespace, explicit: r.explicitNamespace, span: r.portSpan };
    }
    if (within(o.nameSpan, offset)) return { type: 'object', kind: o.kind, name: o.name, ...ns, span: o.nameSpan };
    for (const k of o.keys ?? []) if (within(k.span, offset)) return { type: 'key', kind: o.kind, name: o.name, key: k.key, ...ns, span: k.span };
    for (const p of o.servicePorts ?? []) {
      if (p.name !== undefined && within(p.nameSpan, offset)) return { type: 'servicePort', service: o.name, port: p.name, ...ns, span: p.nameSpan };
      if (p.targetName !== undefined && within(p.targetSpan, offset)) return { type: 'containerPort', name: p.targetName, span: p.targetSpan, owner: o, fromService: true };
    }
    for (const p of o.containerPorts ?? []) if (within(p.span, offset)) return { type: 'containerPort', name: p.name, span: p.span, owner: o };
    for (const p of o.probePorts ?? []) if (within(p.span, offset)) return { type: 'containerPort', name: p.name, span: p.span, owner: o };
    for (const where of ['selector', 'podLabels', 'labels'] as const) {
      for (const l of o[where] ?? []) {
        if (within(l.keySpan, offset)) return { type: 'label', key: l.key, value: l.value, part: 'key', ...ns, span: l.keySpan, in: where, owner: o };
        if (within(l.valueSpan, offset)) return { type: 'label', key: l.key, value: l.value, part: 'value', ...ns, span: l.valueSpan, in: where, owner: o };
      }
    }
  }
  return undefined;
}

function nsCompatible(a: { namespace: string; explicit: boolean }, b: { namespace: string; explicitNamespace: boolean }): boolean {
  return a.namespace === b.namespace || !a.explicit || !b.explicitNamespace || a.namespace === '' || b.namespace === '';
}

/** Every place a symbol is written: declarations first. */
export function occurrences(sym: RefSymbol, view: WorkspaceView): Array<Location & { declaration: boolean }> {
  const out: Array<Location & { declaration: boolean }> = [];
  const add = (uri: string, s: Span | undefined, declaration: boolean): void => {
    if (s && !out.some((l) => l.uri === uri && l.start === s[0])) out.push({ uri, start: s[0], end: s[1], declaration });
  };
  switch (sym.type) {
    case 'object': {
      for (const o of view.named(sym.kind, sym.name)) if (nsCompatible(sym, o)) add(o.uri, o.nameSpan, true);
      for (const o of view.all()) for (const r of o.refs) if (!r.keyOnly && r.target === sym.kind && r.name === sym.name && nsCompatible(sym, r)) add(o.uri, r.nameSpan, false);
      break;
    }
    case 'key': {
      for (const o of view.named(sym.kind, sym.name)) if (nsCompatible(sym, o)) for (const k of o.keys ?? []) if (k.key === sym.key) add(o.uri, k.span, true);
      for (const o of view.all()) for (const r of o.refs) if (r.target === sym.kind && r.name === sym.name && r.key === sym.key && nsCompatible(sym, r)) add(o.uri, r.keySpan, false);
      break;
    }
    case 'label': {
      for (const o of labelGroup(sym, view)) {
        for (const where of ['podLabels', 'labels', 'selector'] as const) {
          for (const l of o[where] ?? []) {
            if (l.key !== sym.key || (sym.part === 'value' && l.value !== sym.value)) continue;
            add(o.uri, sym.part === 'key' ? l.keySpan : l.valueSpan, where !== 'selector');
          }
        }
      }
      break;
    }
    case 'servicePort': {
      for (const o of view.named('Service', sym.service)) if (nsCompatible(sym, o)) for (const p of o.servicePorts ?? []) if (p.name === sym.port || String(p.port) === sym.port) add(o.uri, p.name === sym.port ? p.nameSpan : p.portSpan, true);
      for (const o of view.ofKind('Ingress')) for (const r of o.refs) if (r.target === 'Service' && r.name === sym.service && r.port === sym.port && nsCompatible(sym, r)) add(o.uri, r.portSpan, false);
      break;
    }
    case 'containerPort': {
      const workloads = sym.fromService ? selectedWorkloads(sym.owner, view) : [sym.owner];
      for (const w of workloads) {
        for (const p of w.containerPorts ?? []) if (p.name === sym.name) add(w.uri, p.span, true);
        for (const p of w.probePorts ?? []) if (p.name === sym.name) add(w.uri, p.span, false);
        for (const svc of selectingServices(w, view)) {
          for (const p of svc.servicePorts ?? []) if (p.targetName === sym.name) add(svc.uri, p.targetSpan, false);
        }
      }
      if (sym.fromService) for (const p of sym.owner.servicePorts ?? []) if (p.targetName === sym.name) add(sym.owner.uri, p.targetSpan, false);
      break;
    }
  }
  return out;
}

/**
 * The objects a label belongs with: the owner, the Services that select its
 * pods and the workloads those select (transitively), and the objects of
 * the same folder or chart that carry the same label. Not every object of
 * the workspace that happens to have it (other examples, other apps).
 */
function labelGroup(sym: Extract<RefSymbol, { type: 'label' }>, view: WorkspaceView): ObjectFacts[] {
  const group = new Set<ObjectFacts>([sym.owner]);
  const services = view.ofKind('Service').filter((s) => s.selector?.length);
  const workloads = view.workloads();
  const queue = [sym.owner];
  while (queue.length && group.size < 500) {
    const o = queue.shift()!;
    const next = o.kind === 'Service' ? selectedWorkloads(o, view) : selectingServices(o, view);
    for (const n of next) if (!group.has(n)) group.add(n), queue.push(n);
  }
  const units = new Set([...group].map((o) => o.unit));
  const has = (l: LabelFact): boolean => l.key === sym.key && (sym.part === 'key' || l.value === sym.value);
  for (const o of [...services, ...workloads, ...view.all()]) {
    if (group.has(o) || !units.has(o.unit) || !sameNamespace(o, sym.owner)) continue;
    if (o.labels.some(has) || o.podLabels?.some(has) || o.selector?.some(has)) group.add(o);
  }
  return [...group];
}

/** Workloads whose pod template a Service (or any selector owner) selects. */
export function selectedWorkloads(svc: ObjectFacts, view: WorkspaceView): ObjectFacts[] {
  if (!svc.selector?.length) return [];
  return preferNear(svc, view.workloads().filter((w) => w !== svc && sameNamespace(svc, w) && selects(svc.selector!, w.podLabels)));
}

/** Services whose selector picks a workload's pods. */
export function selectingServices(w: ObjectFacts, view: WorkspaceView): ObjectFacts[] {
  if (!w.podLabels?.length) return [];
  return preferNear(w, view.ofKind('Service').filter((s) => s.selector?.length && sameNamespace(s, w) && selects(s.selector, w.podLabels)));
}

/**
 * Among objects related across a namespace that is not written down (decided at
 * apply time), those of the same folder or chart when there are any: a
 * workspace of independent examples all "in default" should not tie them together.
 */
function preferNear(owner: ObjectFacts, list: ObjectFacts[]): ObjectFacts[] {
  const near = list.filter((o) => o.unit === owner.unit || (owner.explicitNamespace && o.explicitNamespace));
  return near.length ? near : list;
}

export function definition(file: ManifestFile, offset: number, view: WorkspaceView): Location[] {
  const sym = symbolAt(extractFacts(file), offset);
  if (!sym) return [];
  if (sym.type === 'label') {
    const o = sym.owner;
    if (sym.in === 'selector' && o.kind === 'Service') {
      // The pod labels the selector picks.
      return selectedWorkloads(o, view).flatMap((w) => (w.podLabels ?? []).filter((l) => l.key === sym.key).map((l) => ({ uri: w.uri, start: l.keySpan[0], end: l.valueSpan[1] })));
    }
    if (sym.in === 'podLabels') {
      // The Services that select these pods.
      return selectingServices(o, view).flatMap((s) => s.selector!.filter((l) => l.key === sym.key).map((l) => ({ uri: s.uri, start: l.keySpan[0], end: l.valueSpan[1] })));
    }
    return [];
  }
  return occurrences(sym, view)
    .filter((l) => l.declaration)
    .map(({ uri, start, end }) => ({ uri, start, end }));
}

export function references(file: ManifestFile, offset: number, view: WorkspaceView, includeDeclaration: boolean): Location[] {
  const sym = symbolAt(extractFacts(file), offset);
  if (!sym) return [];
  if (sym.type === 'label' && sym.part === 'value') {
    // A label: the Services that select it and the pod labels a selector picks, not every object that happens to carry it.
    const locs = new Map<string, Location>();
    const add = (l: Location): void => void locs.set(`${l.uri}:${l.start}`, l);
    if (includeDeclaration) add({ uri: file.uri, start: sym.span[0], end: sym.span[1] });
    for (const l of definition(file, offset, view)) add(l);
    if (sym.in === 'selector' && sym.owner.kind !== 'Service') {
      for (const l of occurrences(sym, view)) add(l);
    }
    return [...locs.values()];
  }
  return occurrences(sym, view)
    .filter((l) => includeDeclaration || !l.declaration)
    .map(({ uri, start, end }) => ({ uri, start, end }));
}

const RENAMABLE = new Set(['Secret', 'ConfigMap', 'ServiceAccount', 'Role', 'ClusterRole', 'Service']);

export interface RenameResult {
  edits: Record<string, Array<{ start: number; end: number; newText: string }>>;
}

/** The range that would be renamed at an offset, or an explanation why nothing can be. */
export function prepareRename(file: ManifestFile, offset: number): { start: number; end: number; placeholder: string } | { error: string } {
  const sym = symbolAt(extractFacts(file), offset);
  if (!sym) return { error: 'Rename works on the name of a Secret, ConfigMap, ServiceAccount, Role, ClusterRole or Service, on a key of a Secret or ConfigMap, and on a label value.' };
  if (sym.type === 'object' && !RENAMABLE.has(sym.kind)) return { error: `Nothing refers to a ${sym.kind} by name; rename it by editing metadata.name.` };
  if (sym.type === 'label' && sym.part === 'key') return { error: 'Rename a label value (to rename a key, edit it in each file).' };
  const text = file.text.slice(sym.span[0], sym.span[1]);
  const quoted = /^["']/.test(text);
  return quoted ? { start: sym.span[0] + 1, end: sym.span[1] - 1, placeholder: text.slice(1, -1) } : { start: sym.span[0], end: sym.span[1], placeholder: text };
}

export function rename(file: ManifestFile, offset: number, newName: string, view: WorkspaceView, readText?: (uri: string) => string | undefined): RenameResult | { error: string } {
  const prep = prepareRename(file, offset);
  if ('error' in prep) return prep;
  const sym = symbolAt(extractFacts(file), offset)!;
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.:]*[A-Za-z0-9])?$/.test(newName) && newName !== '') return { error: `"${newName}" is not a valid Kubernetes name or label value.` };
  const edits: RenameResult['edits'] = {};
  for (const l of occurrences(sym, view)) {
    const text = l.uri === file.uri ? file.text : readText?.(l.uri);
    let { start, end } = l;
    if (text !== undefined) {
      const old = text.slice(start, end);
      if (old.includes('{{')) continue;
      if (/^["'].*["']$/.test(old)) {
        start++;
        end--;
      }
    }
    (edits[l.uri] ??= []).push({ start, end, newText: newName });
  }
  return { edits };
}

// ---------------------------------------------------------------------------
// Diagnostics across files

/** ServiceAccounts, ConfigMaps and ClusterRoles that every cluster has. */
const ALWAYS_THERE: Record<string, (name: string) => boolean> = {
  ServiceAccount: (n) => n === 'default',
  ConfigMap: (n) => n === 'kube-root-ca.crt',
  ClusterRole: (n) => /^(cluster-admin|admin|edit|view)$/.test(n) || n.startsWith('system:'),
  // Roles every cluster has in kube-system (bound by API server extensions and leader election).
  Role: (n) => n.startsWith('system:') || n === 'extension-apiserver-authentication-reader',
  Secret: () => false,
};

const CHECKED_TARGETS = new Set<RefTarget>(['Secret', 'ConfigMap', 'ServiceAccount', 'Role', 'ClusterRole', 'Service']);

export function validateReferences(file: ManifestFile, view: WorkspaceView, settings: Settings): Problem[] {
  if (file.disabled) return [];
  const facts = extractFacts(file);
  const out: Problem[] = [];
  const sev = (id: string, d: Severity): Severity | undefined => {
    const s = settings.rules[id];
    if (s === 'off') return undefined;
    return s ?? d;
  };
  const external = [...view.index.external, ...(settings.external ?? [])];
  const isExternal = (kind: string, name: string, ns: string): boolean => external.some((e) => e === name || e === `${kind}/${name}` || e === `${kind}/${ns}/${name}`);
  const nfSetting = settings.rules['reference-not-found'] ?? settings.references.severity;
  const notFoundSeverity = nfSetting === 'off' ? undefined : nfSetting;
  const missingKeySeverity = sev('reference-missing-key', 'warning');
  for (const o of facts.objects) {
    if (o.templated || suppressed(file, o)) continue;
    for (const r of o.refs) {
      if (r.templated || !CHECKED_TARGETS.has(r.target)) continue;
      if (ignoredByComment(file, r.nameSpan[0])) continue;
      const found = view.resolve(r);
      if (!found.length) {
        if (r.keyOnly || r.optional || ALWAYS_THERE[r.target]?.(r.name) || isExternal(r.target, r.name, r.namespace) || !notFoundSeverity) continue;
        out.push({
          start: r.nameSpan[0],
          end: r.nameSpan[1],
          severity: notFoundSeverity,
          code: 'reference-not-found',
          message: notFoundMessage(r, view),
          data: { kind: r.target, name: r.name, namespace: r.namespace },
        });
        continue;
      }
      if (r.key === undefined || !r.keySpan || !missingKeySeverity) continue;
      if (found.some((f) => f.keysUnknown || f.secretType === 'kubernetes.io/service-account-token' || (f.keys ?? []).some((k) => k.key === r.key))) continue;
      if (r.optional || ignoredByComment(file, r.keySpan[0])) continue;
      const keys = [...new Set(found.flatMap((f) => (f.keys ?? []).map((k) => k.key)))];
      const suggestion = closest(r.key, keys);
      const where = found.map((f) => shortFileName(f.uri))[0];
      const list = keys.length ? `Its keys: ${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', …' : ''}.` : 'It has no keys at all.';
      out.push({
        start: r.keySpan[0],
        end: r.keySpan[1],
        severity: missingKeySeverity,
        code: 'reference-missing-key',
        message: `${r.target} "${r.name}" (${where}) has no key "${r.key}"${suggestion ? `; did you mean "${suggestion}"?` : '.'} ${list} The pod would fail to start with CreateContainerConfigError.`.replace(/\.\s+It/, '. It'),
        data: suggestion ? { suggestion, kind: r.target, name: r.name } : { kind: r.target, name: r.name },
      });
    }
    if (o.kind === 'Service') {
      const s = sev('service-selector-no-match', 'warning');
      const p = s ? serviceSelectorProblem(o, view, s) : undefined;
      if (p && !ignoredByComment(file, p.start)) out.push(p);
    }
    if (o.kind === 'Deployment') {
      const s = sev('deployment-selector-overlap', 'warning');
      const p = s ? deploymentOverlap(o, view, s) : undefined;
      if (p && !ignoredByComment(file, p.start)) out.push(p);
    }
  }
  return out;
}

function notFoundMessage(r: RefFact, view: WorkspaceView): string {
  const candidates = view.ofKind(r.target).map((o) => o.name);
  const suggestion = closest(r.name, candidates);
  const what = r.target === 'ClusterRole' ? `ClusterRole "${r.name}"` : `${r.target} "${r.name}"${r.explicitNamespace ? ` in namespace ${r.namespace}` : ''}`;
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  const impact =
    r.target === 'ServiceAccount' && r.via !== 'subject'
      ? ' The API server rejects pods that name a missing ServiceAccount.'
      : r.target === 'Role' || r.target === 'ClusterRole'
        ? ' The binding grants nothing until it exists.'
        : r.via === 'imagePullSecrets'
          ? ' Pulls from a private registry would fail.'
          : r.target === 'Secret' || r.target === 'ConfigMap'
            ? ' Pods would not start until it exists.'
            : r.target === 'Service'
              ? ' The ingress controller answers 503 for this path until it exists.'
              : '';
  return `No file of the workspace defines ${what} (${r.via}).${hint}${impact} If it is created outside this repository, declare it in \`external:\` of .kube-manifests.yaml.`;
}

function serviceSelectorProblem(svc: ObjectFacts, view: WorkspaceView, severity: Severity): Problem | undefined {
  const sel = svc.selector;
  if (!sel?.length || sel.some((l) => l.value.includes('{{'))) return undefined;
  // Workloads the Service could mean: in its namespace when both set one, else from the same folder or chart.
  const near = view.workloads().filter((w) => w.podLabels?.length && !w.templated && (svc.explicitNamespace && w.explicitNamespace ? svc.namespace === w.namespace : w.unit === svc.unit));
  if (view.workloads().some((w) => sameNamespace(svc, w) && selects(sel, w.podLabels))) return undefined;
  // Only when the selector speaks the workspace's labels (shares a key with them): otherwise the pods come from elsewhere (an operator, a chart).
  const candidates = near.filter((w) => sel.some((s) => w.podLabels!.some((l) => l.key === s.key)));
  if (!candidates.length) return undefined;
  let best: ObjectFacts | undefined;
  let bestScore = -1;
  for (const w of candidates) {
    const score = sel.filter((s) => w.podLabels!.some((l) => l.key === s.key && l.value === s.value)).length * 10 + sel.filter((s) => w.podLabels!.some((l) => l.key === s.key)).length - (w.unit === svc.unit ? 0 : 0.5);
    if (score > bestScore) {
      best = w;
      bestScore = score;
    }
  }
  const w = best!;
  const failed = sel.find((s) => !w.podLabels!.some((l) => l.key === s.key && l.value === s.value))!;
  const has = w.podLabels!.find((l) => l.key === failed.key);
  const labels = w.podLabels!.map((l) => `${l.key}: ${l.value}`).join(', ');
  const why = has ? `its pods have ${failed.key}: ${has.value}` : `its pods have no ${failed.key} label`;
  return {
    start: failed.keySpan[0],
    end: failed.valueSpan[1],
    severity,
    code: 'service-selector-no-match',
    message: `This Service selects no pods: no workload of the workspace has the pod label ${failed.key}: ${failed.value}. The closest is ${w.kind} ${w.name} (${shortFileName(w.uri)}): ${why} (labels ${labels}). A Service without pods has no endpoints.`,
    data: { key: failed.key, value: failed.value, closest: has?.value, workload: `${w.kind}/${w.name}` },
  };
}

function deploymentOverlap(d: ObjectFacts, view: WorkspaceView, severity: Severity): Problem | undefined {
  const sel = d.selector;
  if (!sel?.length || d.selectorExpressions || sel.some((l) => l.value.includes('{{'))) return undefined;
  for (const other of view.ofKind('Deployment')) {
    if (other === d || other.name === d.name || other.templated) continue; // the same object in variants is never a conflict
    if (other.unit !== d.unit || !sameNamespace(d, other)) continue;
    const os = other.selector;
    if (!os?.length || other.selectorExpressions) continue;
    const conflict = sel.some((a) => os.some((b) => b.key === a.key && b.value !== a.value));
    if (conflict) continue;
    const union = new Map<string, string>();
    for (const l of [...sel, ...os]) union.set(l.key, l.value);
    const pod = [...union].map(([k, v]) => `${k}: ${v}`).join(', ');
    return {
      start: sel[0].keySpan[0],
      end: sel[sel.length - 1].valueSpan[1],
      severity,
      code: 'deployment-selector-overlap',
      message: `The selector of Deployment ${d.name} overlaps Deployment ${other.name} (${shortFileName(other.uri)}) in the same namespace: a pod labeled ${pod} matches both, so each would count and replace the other's pods. Add a label that tells them apart to both selectors and pod templates.`,
      data: { other: other.name },
    };
  }
  return undefined;
}

/** `# kube-manifests-ignore id` on the line above an offset (the per-file pipeline handles the rest). */
function ignoredByComment(file: ManifestFile, offset: number): boolean {
  const line = file.lines.positionAt(offset).line;
  for (let l = line - 1; l >= 0 && l >= line - 3; l--) {
    const t = file.lines.lineText(l);
    if (!/^\s*#/.test(t)) return false;
    if (/kube-manifests-ignore\s+.*\b(reference-not-found|reference-missing-key|service-selector-no-match|deployment-selector-overlap|all)\b/.test(t)) return true;
  }
  const own = file.lines.lineText(line);
  return /#\s*kube-manifests-ignore\s+.*\b(reference-not-found|reference-missing-key|service-selector-no-match|deployment-selector-overlap|all)\b/.test(own);
}

/** The `kube-manifests.io/ignore` annotation on the object. */
function suppressed(file: ManifestFile, o: ObjectFacts): boolean {
  const text = file.text.slice(o.span[0], o.span[1]);
  if (!text.includes('kube-manifests.io/ignore')) return false;
  return /kube-manifests\.io\/ignore["']?\s*:\s*["']?[^\n]*\b(all|reference-not-found|reference-missing-key|service-selector-no-match|deployment-selector-overlap)\b/.test(text);
}

// ---------------------------------------------------------------------------
// Completion

/** Reference completions at a cursor (names, keys, labels, ports). */
export function completeReferences(file: ManifestFile, offset: number, ctx: CursorContext, view: WorkspaceView, range: { start: number; end: number }): CompletionEntry[] {
  const path = ctx.path.map(String);
  // `- configMapRef:` opens a map inside a list item: the indentation-based path stops at the item; add the key.
  if (path[path.length - 1] === '[]') {
    const opener = parentLine(file.lines, ctx.line);
    if (opener?.dash && opener.value === '') path.push(opener.key);
  }
  const ends = (...tail: string[]): boolean => tail.length <= path.length && tail.every((t, i) => path[path.length - tail.length + i] === t);
  const facts = extractFacts(file);
  const section = sectionAt(file, offset);
  const here = facts.objects.find((o) => within(o.span, offset)) ?? [...facts.objects].reverse().find((o) => o.span[0] <= offset && (!section || o.span[0] >= section.start));
  const ns = here ? { namespace: here.namespace, explicit: here.explicitNamespace } : { namespace: 'default', explicit: false };
  const lines = file.lines;
  const line = ctx.line;
  const siblings = (): Record<string, string> => mapEntries(lines, line);
  const parent = (): Record<string, string> => parentEntries(lines, line);
  if (ctx.value) {
    const key = ctx.value.key;
    if (key === 'name' && (ends('secretKeyRef') || ends('secretRef') || ends('imagePullSecrets', '[]') || ends('sources', '[]', 'secret'))) return names('Secret', view, ns, range);
    if (key === 'secretName' && ends('volumes', '[]', 'secret')) return names('Secret', view, ns, range);
    if (key === 'name' && (ends('configMapKeyRef') || ends('configMapRef') || ends('volumes', '[]', 'configMap') || ends('sources', '[]', 'configMap'))) return names('ConfigMap', view, ns, range);
    if (key === 'key' && (ends('secretKeyRef') || ends('configMapKeyRef'))) {
      const name = siblings().name;
      return name ? keysOf(ends('secretKeyRef') ? 'Secret' : 'ConfigMap', name, view, ns, range) : [];
    }
    if (key === 'key' && ends('items', '[]') && (path[path.length - 3] === 'secret' || path[path.length - 3] === 'configMap')) {
      const p = parent();
      const kind = path[path.length - 3] === 'secret' ? 'Secret' : 'ConfigMap';
      const name = kind === 'Secret' ? p.secretName ?? p.name : p.name;
      return name ? keysOf(kind, name, view, ns, range) : [];
    }
    if ((key === 'serviceAccountName' || key === 'serviceAccount') && path[path.length - 1] === 'spec') return names('ServiceAccount', view, ns, range);
    if (key === 'name' && ends('roleRef')) {
      const kind = siblings().kind === 'Role' ? 'Role' : siblings().kind === 'ClusterRole' ? 'ClusterRole' : undefined;
      return kind ? names(kind, view, ns, range) : [...names('Role', view, ns, range), ...names('ClusterRole', view, ns, range)];
    }
    if (key === 'name' && ends('subjects', '[]')) {
      const s = siblings();
      if (s.kind && s.kind !== 'ServiceAccount') return [];
      return names('ServiceAccount', view, s.namespace ? { namespace: s.namespace, explicit: true } : ns, range);
    }
    if ((key === 'name' && ends('backend', 'service')) || (key === 'serviceName' && ends('backend'))) return names('Service', view, ns, range);
    if (ends('backend', 'service', 'port') && (key === 'name' || key === 'number')) {
      const svcName = parent().name;
      return svcName ? servicePorts(svcName, key, view, ns, range) : [];
    }
    if (here?.kind === 'Service' && path.length === 2 && path[0] === 'spec' && path[1] === 'selector') return labelValues(key, view, ns, range);
    if (key === 'targetPort' && here?.kind === 'Service' && ends('ports', '[]')) return containerPortNames(here.selector?.length ? selectedWorkloads(here, view) : [], range, 'a container port of the selected pods');
    if (key === 'port' && (ends('httpGet') || ends('tcpSocket') || ends('grpc')) && here) return containerPortNames([here], range, 'a port of this pod');
    return [];
  }
  if (ctx.key && here?.kind === 'Service' && path.length === 2 && path[0] === 'spec' && path[1] === 'selector') {
    const keyRange = { start: ctx.key.start, end: range.end };
    return labelKeys(view, ns, keyRange, ctx.siblings);
  }
  return [];
}

function names(kind: string, view: WorkspaceView, ns: { namespace: string; explicit: boolean }, range: { start: number; end: number }): CompletionEntry[] {
  const seen = new Map<string, ObjectFacts>();
  for (const o of view.ofKind(kind)) {
    // The cursor's namespace, or objects whose namespace is decided at apply time.
    if (!o.name || o.name.includes('{{') || (kind !== 'ClusterRole' && o.namespace !== ns.namespace && o.explicitNamespace)) continue;
    if (!seen.has(o.name)) seen.set(o.name, o);
  }
  return [...seen.values()].map((o) => ({
    label: o.name,
    kind: 'value' as const,
    detail: `${kind}${o.generatedBy ? ` made by ${o.generatedBy}` : ''} in ${shortFileName(o.uri)}`,
    documentation: o.keys?.length ? `Keys: ${o.keys.map((k) => `\`${k.key}\``).join(', ')}` : undefined,
    insertText: o.name,
    snippet: false,
    range,
    sortText: `0_${o.name}`,
  }));
}

function keysOf(kind: string, name: string, view: WorkspaceView, ns: { namespace: string; explicit: boolean }, range: { start: number; end: number }): CompletionEntry[] {
  const found = view.resolve({ target: kind as RefTarget, name, namespace: ns.namespace, explicitNamespace: ns.explicit });
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const o of found) {
    for (const k of o.keys ?? []) {
      if (seen.has(k.key)) continue;
      seen.add(k.key);
      out.push({ label: k.key, kind: 'value', detail: `key of ${kind} ${name} (${shortFileName(o.uri)})`, insertText: k.key, snippet: false, range, sortText: `0_${k.key}` });
    }
  }
  return out;
}

function servicePorts(service: string, field: string, view: WorkspaceView, ns: { namespace: string; explicit: boolean }, range: { start: number; end: number }): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const o of view.resolve({ target: 'Service', name: service, namespace: ns.namespace, explicitNamespace: ns.explicit })) {
    for (const p of o.servicePorts ?? []) {
      const v = field === 'name' ? p.name : p.port !== undefined ? String(p.port) : undefined;
      if (v === undefined || seen.has(v)) continue;
      seen.add(v);
      out.push({ label: v, kind: 'value', detail: field === 'name' ? `port ${p.port ?? '?'} of Service ${service}` : `port${p.name ? ` ${p.name}` : ''} of Service ${service}`, insertText: v, snippet: false, range });
    }
  }
  return out;
}

function labelKeys(view: WorkspaceView, ns: { namespace: string; explicit: boolean }, range: { start: number; end: number }, present: Set<string>): CompletionEntry[] {
  const keys = new Map<string, Set<string>>();
  for (const w of view.workloads()) {
    if (!nsCompatible(ns, w)) continue;
    for (const l of w.podLabels ?? []) {
      if (present.has(l.key)) continue;
      const set = keys.get(l.key) ?? new Set<string>();
      set.add(l.value);
      keys.set(l.key, set);
    }
  }
  return [...keys].map(([k, values]) => ({
    label: k,
    kind: 'property' as const,
    detail: `pod label (${[...values].slice(0, 5).join(', ')})`,
    insertText: `${k}: `,
    snippet: false,
    range,
    sortText: `0_${k}`,
    retrigger: true,
  }));
}

function labelValues(key: string, view: WorkspaceView, ns: { namespace: string; explicit: boolean }, range: { start: number; end: number }): CompletionEntry[] {
  const values = new Map<string, string[]>();
  for (const w of view.workloads()) {
    if (!nsCompatible(ns, w)) continue;
    for (const l of w.podLabels ?? []) {
      if (l.key !== key || l.value === '') continue; // an empty value is no item to offer (it had an empty label)
      const list = values.get(l.value) ?? [];
      list.push(`${w.kind} ${w.name}`);
      values.set(l.value, list);
    }
  }
  return [...values].map(([v, who]) => ({ label: v, kind: 'value' as const, detail: `pods of ${[...new Set(who)].slice(0, 3).join(', ')}`, insertText: v, snippet: false, range, sortText: `0_${v}` }));
}

function containerPortNames(workloads: ObjectFacts[], range: { start: number; end: number }, what: string): CompletionEntry[] {
  const seen = new Map<string, ContainerPortFact>();
  for (const w of workloads) for (const p of w.containerPorts ?? []) if (!seen.has(p.name)) seen.set(p.name, p);
  return [...seen.values()].map((p) => ({ label: p.name, kind: 'value' as const, detail: `${what}${p.port !== undefined ? ` (${p.port})` : ''}, container ${p.container}`, insertText: p.name, snippet: false, range, sortText: `0_${p.name}` }));
}

const KEY_LINE = /^(\s*)(-\s+)?([^\s:#'"][^:#]*?|"[^"]*"|'[^']*')\s*:(?:\s+(.*))?$/;

function parseLine(text: string): { col: number; dashCol: number; dash: boolean; key: string; value: string } | undefined {
  const m = KEY_LINE.exec(text);
  if (!m) return undefined;
  const value = (m[4] ?? '').replace(/\s+#.*$/, '').trim().replace(/^["']|["']$/g, '');
  return { col: m[1].length + (m[2]?.length ?? 0), dashCol: m[1].length, dash: Boolean(m[2]), key: m[3].replace(/^["']|["']$/g, ''), value };
}

/** Scalar entries of the map that holds the key on `line`, read from the text (works on half-typed lines). */
function mapEntries(lines: LineIndex, line: number): Record<string, string> {
  const out: Record<string, string> = {};
  const own = parseLine(lines.lineText(line));
  if (!own) return out;
  const col = own.col;
  out[own.key] = own.value;
  if (!own.dash) {
    for (let l = line - 1; l >= 0; l--) {
      const t = lines.lineText(l);
      if (isBlankOrComment(t)) continue;
      if (/^(---|\.\.\.)/.test(t)) break;
      const p = parseLine(t);
      const ind = indentOf(t);
      if (p?.dash && p.col === col) {
        out[p.key] ??= p.value;
        break;
      }
      if (ind < col) break;
      if (p && ind === col && !p.dash) out[p.key] ??= p.value;
    }
  }
  for (let l = line + 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (isBlankOrComment(t)) continue;
    if (/^(---|\.\.\.)/.test(t)) break;
    const ind = indentOf(t);
    if (ind < col || (t[ind] === '-' && ind <= col)) break;
    const p = parseLine(t);
    if (p && ind === col && !p.dash) out[p.key] ??= p.value;
  }
  return out;
}

/** The key line that opens the map holding `line` (the nearest line above with less indentation). */
function parentLine(lines: LineIndex, line: number): ReturnType<typeof parseLine> {
  const cur = lines.lineText(line);
  const own = parseLine(cur);
  const col = own ? (own.dash ? own.dashCol : own.col) : indentOf(cur);
  for (let l = line - 1; l >= 0; l--) {
    const t = lines.lineText(l);
    if (isBlankOrComment(t)) continue;
    if (indentOf(t) < col) {
      const p = parseLine(t);
      // `- key:` whose key column is left of ours holds our map
      return p && (p.dash ? p.col < col || p.dashCol < col : true) ? p : undefined;
    }
    const p = parseLine(t);
    if (p?.dash && p.col < col) return p;
  }
  return undefined;
}

/** Entries of the map one level above the map that holds `line` (for a list item: the map holding the list). */
function parentEntries(lines: LineIndex, line: number): Record<string, string> {
  const own = parseLine(lines.lineText(line));
  if (!own) return {};
  const col = own.dash ? own.dashCol : own.col;
  for (let l = line - 1; l >= 0; l--) {
    const t = lines.lineText(l);
    if (isBlankOrComment(t)) continue;
    if (/^(---|\.\.\.)/.test(t)) break;
    const ind = indentOf(t);
    const p = parseLine(t);
    if (own.dash) {
      // the key that owns our list: at our dash's column or left of it
      if (p && !p.dash && ind <= col) return mapEntries(lines, l);
      if (p?.dash && p.dashCol < col) return mapEntries(lines, l);
      if (ind < col) return {};
    } else if (ind < col || (p?.dash && p.col < col)) {
      return p ? mapEntries(lines, l) : {};
    }
  }
  return {};
}

// ---------------------------------------------------------------------------
// Hover

/** A hover section for references, selectors and ServiceAccounts. */
export function referenceHover(view: (file: ManifestFile) => WorkspaceView): (input: HoverInput) => string | undefined {
  return (input) => {
    const v = view(input.file);
    const facts = extractFacts(input.file);
    const sym = symbolAt(facts, input.offset);
    if (!sym && input.obj.kind === 'Service' && input.path.length === 2 && input.path[0] === 'spec' && input.path[1] === 'selector') {
      const svc = facts.objects.find((o) => within(o.span, input.offset) && o.kind === 'Service');
      return svc ? selectorHover(svc, v) : undefined;
    }
    if (!sym) return undefined;
    if (sym.type === 'label' && sym.in === 'selector' && sym.owner.kind === 'Service') return selectorHover(sym.owner, v);
    if (sym.type === 'label' && sym.in === 'podLabels') {
      const svcs = selectingServices(sym.owner, v);
      return svcs.length
        ? `These pods are selected by ${svcs.map((x) => `Service \`${x.name}\` (\`${shortFileName(x.uri)}\`)`).join(', ')}.`
        : 'No Service of the workspace selects these pods.';
    }
    if (sym.type === 'object' && sym.kind === 'ServiceAccount') {
      return permissionsMarkdown(permissionsOf(v, { kind: 'ServiceAccount', name: sym.name, namespace: sym.namespace }), 12);
    }
    if ((sym.type === 'object' || sym.type === 'key') && (sym.kind === 'Secret' || sym.kind === 'ConfigMap')) {
      const found = v.resolve({ target: sym.kind, name: sym.name, namespace: sym.namespace, explicitNamespace: sym.explicit });
      const isDecl = found.some((f) => f.uri === input.file.uri && (within(f.nameSpan, input.offset) || (f.keys ?? []).some((k) => within(k.span, input.offset))));
      if (isDecl) return undefined;
      if (!found.length) return `${sym.kind} \`${sym.name}\` is not defined in any file of the workspace.`;
      const lines = [`${sym.kind} \`${sym.name}\` is defined in ${[...new Set(found.map((f) => `\`${shortFileName(f.uri)}\`${f.generatedBy ? ` (made by ${f.generatedBy})` : ''}`))].join(', ')}.`];
      if (sym.type === 'key') {
        const has = found.some((f) => f.keysUnknown || (f.keys ?? []).some((k) => k.key === sym.key));
        const keys = [...new Set(found.flatMap((f) => (f.keys ?? []).map((k) => k.key)))];
        lines.push(has ? `✓ It has the key \`${sym.key}\`.` : `✗ It has no key \`${sym.key}\`${keys.length ? ` (its keys: ${keys.map((k) => `\`${k}\``).join(', ')})` : ''}.`);
        if (has) {
          const value = valueOf(sym.key, found, input.file, v);
          if (value !== undefined) {
            if (sym.kind === 'ConfigMap' || input.settings.secrets.revealOnHover) lines.push(`Value: \`${value.replace(/`/g, "'")}\``);
            else lines.push('Value hidden (`kubeManifests.secrets.revealOnHover` is off).');
          }
        }
      } else if (found[0].keys?.length) {
        lines.push(`Keys: ${[...new Set(found.flatMap((f) => (f.keys ?? []).map((k) => k.key)))].map((k) => `\`${k}\``).join(', ')}`);
      }
      return lines.join('\n\n');
    }
    if (sym.type === 'object' && (sym.kind === 'Role' || sym.kind === 'ClusterRole')) {
      const found = v.named(sym.kind, sym.name);
      const own = found.find((f) => f.uri === input.file.uri && within(f.nameSpan, input.offset));
      // On the role's own name: only an aggregated ClusterRole has more to say than the text shows.
      if (own && !own.aggregated) return undefined;
      if (!found.length) {
        const extra = sym.kind === 'ClusterRole' ? builtinAggregation(v, sym.name) : [];
        return extra.length ? roleHover(`Built-in ClusterRole \`${sym.name}\` also gets, through its aggregation label \`${BUILTIN_AGGREGATION[sym.name]}: "true"\`:`, extra) : undefined;
      }
      const role = own ?? found[0];
      if (!role.aggregated) return roleHover(`${sym.kind} \`${sym.name}\` is defined in \`${shortFileName(role.uri)}\`.`, (role.rules ?? []).map((rule) => ({ rule })));
      const rules = effectiveRules(v, role);
      const where = own ? `ClusterRole \`${sym.name}\`` : `ClusterRole \`${sym.name}\` is defined in \`${shortFileName(role.uri)}\`; it`;
      const head = rules.length
        ? `${where} is aggregated: the cluster fills its rules with those of the ClusterRoles its aggregationRule selects (${[...new Set(rules.map((r) => r.from!.name))].map((n) => `\`${n}\``).join(', ')})${role.rules?.length ? '; the rules written in it are replaced' : ''}.`
        : `${where} is aggregated, and no other ClusterRole of the workspace matches its aggregationRule: it grants nothing until one does.`;
      return roleHover(head, rules);
    }
    return undefined;
  };
}

/** A role's hover: a sentence and its rules as a table (with the ClusterRole each came from, when aggregated). */
function roleHover(head: string, rules: EffectiveRule[]): string {
  const lines = [head];
  if (rules.length) {
    const from = rules.some((r) => r.from);
    lines.push('', from ? '| Resources | Verbs | From |' : '| Resources | Verbs |', from ? '|---|---|---|' : '|---|---|');
    for (const { rule, from: src } of rules.slice(0, 12)) {
      const what = rule.resources.length ? rule.resources.join(', ') : rule.nonResourceURLs.map((u) => `URL ${u}`).join(', ');
      const cells = [`${dangersOf(rule).length ? '⚠️ ' : ''}${what.replace(/\*/g, '\\*')}${rule.resourceNames.length ? ` (only ${rule.resourceNames.join(', ')})` : ''}`, rule.verbs.join(', ').replace(/\*/g, '\\*')];
      if (from) cells.push(src ? `ClusterRole \`${src.name}\` (\`${shortFileName(src.uri)}\`)` : '');
      lines.push(`| ${cells.join(' | ')} |`);
    }
    if (rules.length > 12) lines.push(`| … ${rules.length - 12} more | |${from ? ' |' : ''}`);
  }
  return lines.join('\n');
}

/** The value of a key of a Secret/ConfigMap (decoded when base64), read from the file's text; undefined when not a one-line scalar. */
function valueOf(key: string, found: ObjectFacts[], current: ManifestFile, view: WorkspaceView): string | undefined {
  for (const o of found) {
    const k = (o.keys ?? []).find((x) => x.key === key);
    if (!k) continue;
    const text = o.uri === current.uri ? current.text : view.index.readText?.(o.uri);
    if (text === undefined) continue;
    const lineEnd = text.indexOf('\n', k.span[1]);
    const rest = text.slice(k.span[1], lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
    const m = /^["']?\s*:\s+(.*?)\s*$/.exec(rest);
    if (!m || /^[|>]/.test(m[1]) || m[1] === '') return undefined;
    let raw = m[1].replace(/\s+#.*$/, '');
    if (/^".*"$/.test(raw)) {
      try {
        raw = JSON.parse(raw) as string;
      } catch {
        return undefined;
      }
    } else if (/^'.*'$/.test(raw)) raw = raw.slice(1, -1).replace(/''/g, "'");
    if (!k.encoded) return raw.length > 200 ? raw.slice(0, 200) + '…' : raw;
    const d = decodeSecretValue(raw);
    if (d.kind === 'text') return d.text.length > 200 ? d.text.slice(0, 200) + '…' : d.text;
    return d.kind === 'binary' ? `(${d.bytes} bytes of binary data)` : '(not valid base64)';
  }
  return undefined;
}

function selectorHover(svc: ObjectFacts, view: WorkspaceView): string {
  const selected = selectedWorkloads(svc, view);
  const lines: string[] = [];
  if (!selected.length) lines.push('**Selects no workload** of the workspace.');
  else {
    lines.push(`**Selects ${selected.length} workload${selected.length === 1 ? '' : 's'}**`, '', '| Workload | File | Replicas | Image |', '|---|---|---|---|');
    for (const w of selected.slice(0, 10)) lines.push(`| ${w.kind} ${w.name} | ${shortFileName(w.uri)} | ${w.replicas ?? (w.kind === 'Deployment' || w.kind === 'StatefulSet' ? '1 (default)' : '')} | ${(w.images ?? []).map((i) => `\`${i}\``).join(', ')} |`);
  }
  const bg = blueGreen(svc, view);
  if (bg) lines.push('', bg);
  return lines.join('\n');
}

const COLOR_KEYS = ['color', 'colour', 'slot', 'deployment-color'];

/** For a blue/green pair (workloads differing only by a color label): which color gets the traffic. */
function blueGreen(svc: ObjectFacts, view: WorkspaceView): string | undefined {
  const sel = svc.selector ?? [];
  const colorKey = COLOR_KEYS.find((k) => sel.some((l) => l.key === k)) ?? COLOR_KEYS.find((k) => view.workloads().some((w) => sameNamespace(svc, w) && selects(sel, w.podLabels) && w.podLabels!.some((l) => l.key === k)));
  if (!colorKey) return undefined;
  const rest = sel.filter((l) => l.key !== colorKey);
  if (!rest.length) return undefined;
  const pair = view.workloads().filter((w) => sameNamespace(svc, w) && selects(rest, w.podLabels) && w.podLabels!.some((l) => l.key === colorKey));
  const colors = new Map<string, string[]>();
  for (const w of pair) {
    const c = w.podLabels!.find((l) => l.key === colorKey)!.value;
    colors.set(c, [...(colors.get(c) ?? []), w.name]);
  }
  if (colors.size < 2) return undefined;
  const live = sel.find((l) => l.key === colorKey)?.value;
  const parts = [...colors].map(([c, ws]) => `${c === live ? '**' : ''}${c}${c === live ? '**' : ''} (${[...new Set(ws)].join(', ')})`);
  if (!live) return `Blue/green: the selector has no \`${colorKey}\` label, so traffic goes to every color: ${parts.join(' and ')}.`;
  return `Blue/green: traffic goes to **${live}**; ${[...colors.keys()].filter((c) => c !== live).join(', ')} get${colors.size > 2 ? '' : 's'} none. Colors: ${parts.join(', ')}.`;
}

export type { LabelFact };
