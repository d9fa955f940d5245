/**
 * The Helm engine's front door: `helmTemplate` does what `helm template` does with a chart's files
 * (Helm v4: pkg/cmd/template.go, action.Install without a cluster, renderResources), and
 * `renderBare` renders loose templates with Helm's function map (the generated-template tests).
 * `prepareChart` + `renderPrepared` are the same steps split for the editor, which keeps the
 * loaded chart and renders again on each keystroke.
 *
 * Pure: the chart's files and the values files' texts are handed in.
 */
import { applyHelmignore, ChartFile, isLibraryChart, loadChart, LoadedChart, loadValues } from './chart';
import { processDependencies, isCompatibleRange } from './dependencies';
import { render, RenderError, RenderLimits, RenderResult, Renderable } from './engine';
import { deterministicEnv, FuncEnv } from './funcs/env';
import { helmFuncMap } from './funcs/index';
import { yamlToJsonValue } from './goyaml';
import { sortManifests, splitManifests, SimpleHead, sourceBlock } from './manifests';
import { noteStackOverflow } from './stackBudget';
import { buildRenderObjects, chartScopes, Capabilities } from './objects';
import type { ParsedTemplate } from './ast';
import { FuncMap, GoError, GoInt, GoMap, isGoMap, Value } from './value';
import { mergeUserValues, toRenderValues } from './values';
import { validateAgainstSchema } from './valuesSchema';
import { ValuesObject } from './valuesObject';

export type { ChartFile, LoadedChart };

/** Kubernetes version `.Capabilities.KubeVersion` holds unless told otherwise. */
export const DEFAULT_KUBE_VERSION = 'v1.34.0';

/**
 * What Helm v4's DefaultVersionSet holds (client-go v0.36's scheme plus apiextensions): the
 * group/versions `.Capabilities.APIVersions.Has` answers true for in `helm template`.
 */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1alpha1', 'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1', 'apps/v1beta1', 'apps/v1beta2',
  'authentication.k8s.io/v1', 'authentication.k8s.io/v1alpha1', 'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1', 'authorization.k8s.io/v1beta1',
  'autoscaling/v1', 'autoscaling/v2',
  'batch/v1', 'batch/v1beta1',
  'certificates.k8s.io/v1', 'certificates.k8s.io/v1alpha1', 'certificates.k8s.io/v1beta1',
  'coordination.k8s.io/v1', 'coordination.k8s.io/v1alpha2', 'coordination.k8s.io/v1beta1',
  'v1',
  'discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1', 'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1', 'networking.k8s.io/v1beta1',
  'node.k8s.io/v1', 'node.k8s.io/v1alpha1', 'node.k8s.io/v1beta1',
  'policy/v1', 'policy/v1beta1',
  'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1alpha1', 'rbac.authorization.k8s.io/v1beta1',
  'resource.k8s.io/v1', 'resource.k8s.io/v1alpha3', 'resource.k8s.io/v1beta1', 'resource.k8s.io/v1beta2',
  'scheduling.k8s.io/v1', 'scheduling.k8s.io/v1alpha2', 'scheduling.k8s.io/v1beta1',
  'storage.k8s.io/v1', 'storage.k8s.io/v1alpha1', 'storage.k8s.io/v1beta1',
  'storagemigration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io/v1',
];

export interface TemplateOptions {
  /** Default "release-name" (helm template's). */
  releaseName?: string;
  /** Default "default". */
  namespace?: string;
  /** e.g. "1.34" or "v1.34.0"; default v1.34.0. */
  kubeVersion?: string;
  /** Extra `.Capabilities.APIVersions` entries (`--api-versions`). */
  apiVersions?: string[];
  /** Replaces the default API versions entirely (the editor passes ours plus the workspace's CRDs). */
  baseApiVersions?: readonly string[];
  /** `-f` files, in order. */
  valueFiles?: Array<{ name: string; text: string }>;
  set?: string[];
  setString?: string[];
  /** `--show-only templates/x.yaml`. */
  showOnly?: string[];
  /** Append the chart's NOTES.txt as `helm install --dry-run` shows it. */
  notes?: boolean;
  isUpgrade?: boolean;
  includeCrds?: boolean;
  skipTests?: boolean;
}

const DEBUG_HINT = '\n\nUse --debug flag to render out invalid YAML';

const VALID_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

let cliFuncs: FuncMap | undefined;
let editorFuncs: FuncMap | undefined;
const editorEnv = deterministicEnv(1);

/** The function map of the CLI (real randomness and clock) or of the editor (seeded, fixed clock). */
export function funcMapFor(deterministic: boolean): FuncMap {
  if (deterministic) return (editorFuncs ??= helmFuncMap(editorEnv));
  return (cliFuncs ??= helmFuncMap(realEnv()));
}

/** A seed from a template's name (FNV-1a), so each template's random values are its own. */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

let zone: string | undefined;

function realEnv(): FuncEnv {
  return {
    random: Math.random,
    randomBytes: (n) => {
      const b = new Uint8Array(n);
      globalThis.crypto.getRandomValues(b);
      return b;
    },
    now: () => new Date(),
    // Read when a date function first needs it (Intl's lookup costs ~30 ms at start-up).
    get localZone(): string {
      return (zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
    },
    deterministic: false,
  };
}

/** A chart loaded and its values computed: everything a render needs. */
export interface PreparedChart {
  /** The chart after processDependencies (disabled subcharts gone, aliases applied). */
  chart: LoadedChart;
  /** The root's final values (coalesced with every subchart's defaults). */
  values: GoMap;
  capabilities: Capabilities;
  release: GoMap;
  /** Templates with their dots, ready for the engine. */
  renderables: Renderable[];
}

/** A failure before rendering (values, loading, dependencies, schema), worded as Helm does. */
export class ChartError extends Error {
  constructor(
    message: string,
    readonly stage: 'values' | 'load' | 'dependencies' | 'schema' | 'kubeVersion' | 'options',
  ) {
    super(message);
    this.name = 'ChartError';
  }
}

function messageOf(e: unknown): string {
  noteStackOverflow(e);
  return e instanceof Error ? e.message : String(e);
}

/** Reads and merges the user's values (`-f` files, then `--set`, `--set-string`), as Helm's MergeValues does. */
export function userValues(opts: TemplateOptions): GoMap {
  const files: Array<{ name: string; values: GoMap }> = [];
  for (const f of opts.valueFiles ?? []) {
    try {
      files.push({ name: f.name, values: loadValues(f.text) });
    } catch (e) {
      throw new ChartError(`failed to parse ${f.name}: ${messageOf(e)}`, 'values');
    }
  }
  try {
    return mergeUserValues({ valueFiles: files, values: opts.set, stringValues: opts.setString });
  } catch (e) {
    throw new ChartError(messageOf(e), 'values');
  }
}

/**
 * The steps of `helm install --dry-run=client` before rendering: capabilities, values, the chart,
 * its dependencies, coalesced values and the schema check. Throws ChartError with Helm's words.
 */
export function prepareChart(files: ChartFile[] | LoadedChart, opts: TemplateOptions = {}): PreparedChart {
  const kubeVersion = opts.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const releaseName = opts.releaseName ?? 'release-name';
  const namespace = opts.namespace ?? 'default';
  const apiVersions = [...(opts.baseApiVersions ?? DEFAULT_API_VERSIONS), ...(opts.apiVersions ?? [])];
  const base = userValues(opts);
  let loaded: LoadedChart;
  if (Array.isArray(files)) {
    try {
      loaded = loadChart(applyHelmignore(files));
    } catch (e) {
      throw new ChartError(messageOf(e), 'load');
    }
  } else loaded = files;
  const type = loaded.metadata.Type;
  if (type !== '' && type !== 'application') throw new ChartError(`${type} charts are not installable`, 'load');
  const reqs = loaded.metadata.Dependencies.filter((d) => d !== null);
  if (reqs.length > 0) {
    const have = new Set(loaded.subcharts.map((c) => c.name));
    const missing = reqs.map((d) => d!.Name).filter((n) => !have.has(n));
    if (missing.length > 0) {
      throw new ChartError(
        `an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
        'dependencies',
      );
    }
  }
  if (releaseName === '') throw new ChartError(`release name check failed: release name "": no name provided`, 'options');
  if (releaseName.length > 53 || !VALID_RELEASE_NAME.test(releaseName)) {
    throw new ChartError(
      `release name check failed: release name "${releaseName}": invalid release name, must match regex ${VALID_RELEASE_NAME.source} and the length must not be longer than 53`,
      'options',
    );
  }
  let chart: LoadedChart;
  try {
    chart = processDependencies(loaded, base);
  } catch (e) {
    throw new ChartError(`chart dependencies processing failed: ${messageOf(e)}`, 'dependencies');
  }
  let objects;
  try {
    objects = buildRenderObjects(chart, {
      releaseName,
      namespace,
      isInstall: !opts.isUpgrade,
      isUpgrade: !!opts.isUpgrade,
      revision: 1,
      kubeVersion,
      apiVersions,
    });
  } catch (e) {
    throw new ChartError(messageOf(e), 'options');
  }
  let top: GoMap;
  try {
    top = toRenderValues(
      chart,
      base,
      { name: releaseName, namespace, isInstall: !opts.isUpgrade, isUpgrade: !!opts.isUpgrade, revision: 1 },
      { chartObject: objects.Chart, capabilities: objects.Capabilities, validate: validateAgainstSchema },
    );
  } catch (e) {
    throw new ChartError(messageOf(e), messageOf(e).startsWith("values don't meet") ? 'schema' : 'values');
  }
  const values = top.Values as GoMap;
  const renderables: Renderable[] = [];
  for (const scope of chartScopes(chart, values, { Release: objects.Release, Capabilities: objects.Capabilities }, (m) => new ValuesObject(m))) {
    const library = isLibraryChart(scope.chart);
    for (const t of scope.chart.templates) {
      if (library && !baseOf(t.name).startsWith('_')) continue;
      renderables.push({
        name: `${scope.fullPath}/${t.name}`,
        text: t.data,
        vals: scope.dot as Record<string, Value>,
        basePath: `${scope.fullPath}/templates`,
      });
    }
  }
  return { chart, values, capabilities: objects.Capabilities, release: objects.Release, renderables };
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The chart's kubeVersion constraint against the capabilities, as renderResources checks it. */
export function kubeVersionError(p: PreparedChart): string | undefined {
  const c = p.chart.metadata.KubeVersion;
  if (!c) return undefined;
  const kv = p.capabilities.kubeVersion;
  if (isCompatibleRange(c, kv.toString())) return undefined;
  return `chart requires kubeVersion: ${c} which is incompatible with Kubernetes ${kv.version}`;
}

export interface RenderPreparedOptions {
  deterministic?: boolean;
  limits?: RenderLimits;
  sourceMap?: boolean;
  collectAll?: boolean;
  only?: (name: string) => boolean;
  /** See RenderOptions.parseCache. */
  parseCache?: Map<string, ParsedTemplate>;
}

/** Renders a prepared chart's templates. */
export function renderPrepared(p: PreparedChart, opts: RenderPreparedOptions = {}): RenderResult {
  // Each render gets fresh dots: the engine sets `.Template` on them, and functions like `set` mutate values.
  return render(p.renderables, {
    funcs: funcMapFor(opts.deterministic ?? false),
    limits: opts.limits,
    sourceMap: opts.sourceMap,
    collectAll: opts.collectAll,
    only: opts.only,
    parseCache: opts.parseCache,
    beforeTemplate: opts.deterministic ? (name) => editorEnv.reseed!(seedOf(name)) : undefined,
  });
}

/** Reads the fields Helm reads of a rendered document (SimpleHead), throwing Helm's YAML errors. */
export function readHead(doc: string): SimpleHead {
  const v = yamlToJsonValue(doc);
  const head: SimpleHead = {};
  if (!isGoMap(v)) {
    if (v === null) return head;
    throw new GoError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type util.SimpleHead`);
  }
  const str = (x: Value, field: string): string | undefined => {
    if (x === undefined || x === null) return undefined;
    if (typeof x === 'string') return x;
    throw new GoError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(x)} into Go struct field SimpleHead.${field} of type string`);
  };
  head.apiVersion = str(v.apiVersion, 'apiVersion');
  head.kind = str(v.kind, 'kind');
  const md = v.metadata;
  if (isGoMap(md)) {
    head.name = str(md.name, 'metadata.name');
    const ann = md.annotations;
    if (isGoMap(ann)) {
      head.annotations = {};
      for (const [k, a] of Object.entries(ann)) {
        const s = str(a, 'metadata.annotations');
        if (s !== undefined) head.annotations[k] = s;
      }
    }
  }
  return head;
}

function jsonKind(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** `helm template`: the chart's manifests as Helm prints them, or Helm's error (without `Error: `). */
export function helmTemplate(files: ChartFile[], opts: TemplateOptions = {}): { output: string; error?: string } {
  let p: PreparedChart;
  try {
    p = prepareChart(files, opts);
  } catch (e) {
    return { output: '', error: messageOf(e) };
  }
  const kvErr = kubeVersionError(p);
  if (kvErr) return { output: '', error: kvErr + DEBUG_HINT };
  const r = renderPrepared(p);
  if (r.error) return { output: '', error: r.error.message + DEBUG_HINT };
  const rendered = new Map<string, string>();
  for (const [name, f] of r.files) rendered.set(name, f.output);
  // NOTES.txt is not a manifest: the top chart's is kept for --notes, every chart's is dropped.
  let notes = '';
  const rootNotes = `${p.chart.name}/templates/NOTES.txt`;
  for (const name of [...rendered.keys()].sort()) {
    if (name.endsWith('NOTES.txt')) {
      if (name === rootNotes) notes += rendered.get(name);
      rendered.delete(name);
    }
  }
  let sorted;
  try {
    sorted = sortManifests(rendered, readHead);
  } catch (e) {
    return { output: '', error: messageOf(e) + DEBUG_HINT };
  }
  let b = '';
  if (opts.includeCrds) for (const crd of allCrds(p.chart)) b += sourceBlock(crd.name, crd.text);
  for (const m of sorted.manifests) b += sourceBlock(m.name, m.content);
  let out = b.trim() + '\n';
  for (const h of sorted.hooks) {
    if (opts.skipTests && h.events.includes('test')) continue;
    out += sourceBlock(h.name, h.content);
  }
  let result = '';
  if (opts.showOnly && opts.showOnly.length > 0) {
    const docs = splitManifests(out);
    const chosen: string[] = [];
    for (const f of opts.showOnly) {
      let missing = true;
      for (const m of docs) {
        const sub = /# Source: [^/]+\/(.+)/.exec(m);
        if (!sub) continue;
        if (!globMatch(f.replace(/\\/g, '/'), sub[1])) continue;
        chosen.push(m);
        missing = false;
      }
      if (missing) return { output: '', error: `could not find template ${f} in chart` };
    }
    for (const m of chosen) result += `---\n${m}\n`;
  } else result = out;
  if (opts.notes && notes.length > 0) result += `NOTES:\n${notes.trim()}\n`;
  return { output: result };
}

/** Helm's CRDObjects: `crds/` files of the chart and its subcharts, named `<chart path>/crds/x.yaml`. */
function allCrds(c: LoadedChart, prefix = c.name): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const f of c.crds) out.push({ name: `${prefix}/${f.path}`, text: new TextDecoder().decode(f.data) });
  for (const s of c.subcharts) out.push(...allCrds(s, `${prefix}/charts/${s.name}`));
  return out;
}

/** Go's filepath.Match on '/'-separated paths (`*`, `?`, `[...]`, `\\` escapes); `*` never crosses '/'. */
export function globMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false;
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^')) cls = '^' + cls.slice(1).replace(/[\]\\]/g, '\\$&');
      else cls = cls.replace(/[\]\\]/g, '\\$&');
      re += `[${cls}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(re + '$', 'u').test(name);
  } catch {
    return false;
  }
}

/**
 * A bare Helm render for generated templates: all templates parsed into one set, `entry` executed
 * with Helm's function map on a dot like a chart's (see the contract in test/fuzz/helmCompare.ts).
 */
export function renderBare(
  templates: Array<{ name: string; text: string }>,
  entry: string,
  values: unknown,
  opts: { deterministic?: boolean } = {},
): { output?: string; error?: string } {
  const dot: Record<string, Value> = {
    Values: isGoMap(values as Value) ? new ValuesObject(values as GoMap) : (values as Value),
    Release: { Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: new GoInt(1n, 'int') },
    Chart: { Name: 'gen', Version: '0.1.0' },
  };
  const r = render(
    templates.map((t) => ({ name: t.name, text: t.text, vals: dot, basePath: 'gen/templates' })),
    { funcs: funcMapFor(opts.deterministic ?? true), only: (n) => n === entry },
  );
  if (r.error) return { error: r.error.message };
  const f = r.files.get(entry);
  return { output: f ? f.output : '' };
}

export { RenderError };
