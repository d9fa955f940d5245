/**
 * Helm charts in the editor: a file inside a folder with Chart.yaml belongs to that chart (the
 * top chart, when the folder is a subchart under `charts/`). Each chart is read from disk once
 * (and again when the watcher says a file changed), overlaid with the open documents' texts, and
 * checked by the pure ChartChecker (features/helm/chartCheck.ts) on the next tick after a change
 * in any of its files. Diagnostics are published for every file of the chart that has problems
 * (templates, values files, Chart.yaml), whether open or not, and cleared when they go away: a
 * broken value in values.yaml shows up in the template that prints it.
 *
 * The plain diagnostics module leaves the files of a chart to this one (`ctx.isChartFile`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClientCapabilities, CodeLensRefreshRequest, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ChartChecker, ChartCheckResult, isChartOwnedPath } from '../features/helm/chartCheck';
import { valuesFileProblems } from '../features/helm/valuesDiagnostics';
import type { ChartFile } from '../helm/chart';
import { readChartDir } from '../node/chartFiles';
import { globMatcher, pathToUri, uriToPath } from '../node/workspaceScanner';
import { Problem, Settings } from '../types';
import { chartManifest, ChartManifest, manifestOffset, partAt, renderedObjectFacts, literalSpan, ValuesText } from '../features/helm/renderedFeatures';
import type { ObjectFacts } from '../workspace/index';
import { FeatureRegistration, ServerContext } from './context';
import { toDiagnostic } from './diagnostics';
import { toLocations } from './workspace';

/** `kubeManifests/setHelmValueFiles` { chart: folder uri, files: uris }: the extra values files in use for a chart. */
export const SET_VALUE_FILES = 'kubeManifests/setHelmValueFiles';
/** `kubeManifests/chartInfo` { uri } → the chart of a file, its values files in use and the candidates. */
export const CHART_INFO_REQUEST = 'kubeManifests/chartInfo';

/** Values files a user may pick for a chart: values*.yaml and ci/*.yaml in it. */
function listValuesCandidates(root: string): string[] {
  const out: string[] = [];
  const add = (dir: string, re: RegExp): void => {
    try {
      for (const f of fs.readdirSync(dir).sort()) if (re.test(f) && f !== 'values.yaml') out.push(path.join(dir, f));
    } catch {
      /* no such folder */
    }
  };
  add(root, /^values.*\.ya?ml$/);
  add(path.join(root, 'ci'), /\.ya?ml$/);
  return out;
}

/** `kubeManifests/renderedManifest`: the rendered text of a template (Show Rendered Manifest). */
export const RENDERED_REQUEST = 'kubeManifests/renderedManifest';
export interface RenderedAnswer {
  name?: string;
  text?: string;
  problems?: Diagnostic[];
  /** Why there is no rendered text, in words. */
  error?: string;
}

interface ChartState {
  root: string;
  checker: ChartChecker;
  disk?: ChartFile[];
  diskError?: string;
  published: Set<string>;
  last?: ChartCheckResult;
  pending?: NodeJS.Immediate;
  running: boolean;
  again: boolean;
  /** A file of the chart changed since `last` was computed. */
  dirty: boolean;
  /** Extra values files in use (absolute paths, in order), picked by the user (kubeManifests/setHelmValueFiles). */
  valueFiles: string[];
  /** Values files outside the chart tied to it (`# kube-manifests: chart=...` or kubeManifests.helm.charts), each checked with its own render. */
  tied: Map<string, ChartChecker>;
  settings?: Settings;
  texts?: { get(rel: string): string | undefined };
  /** Keys under which the workspace index holds the objects this chart renders (one per template). */
  indexed: Set<string>;
}

/** What the plain-manifest features need of a chart's template (lsp/codeActions.ts, codeLens.ts, commands.ts, navigation.ts). */
export interface TemplateContext {
  root: string;
  /** Chart-relative path of the template. */
  relative: string;
  manifest: ChartManifest;
  /** Extra values files in use, chart-relative, in order. */
  valueFiles: ValuesText[];
  textOf(rel: string): string | undefined;
  /** The uri of a chart-relative path. */
  uriOf(rel: string): string;
}

const templateContexts = new WeakMap<ServerContext, (uri: string) => TemplateContext | undefined>();

/** The rendered manifest of the chart a template belongs to, with the values files in use (undefined: not a rendered template of a chart). */
export function templateContextOf(ctx: ServerContext, uri: string): TemplateContext | undefined {
  return templateContexts.get(ctx)?.(uri);
}

/** The key of the workspace index under which a template's rendered objects are kept. */
export function renderedIndexKey(templateUri: string): string {
  return `helm-chart:${templateUri}`;
}

/** What of indexed facts other files depend on (positions left out): a change re-checks them. */
function factsSignature(objects: ObjectFacts[] | undefined): string {
  return JSON.stringify(
    (objects ?? []).map((o) => [o.kind, o.namespace, o.explicitNamespace, o.name, o.labels.map((l) => `${l.key}=${l.value}`), o.podLabels?.map((l) => `${l.key}=${l.value}`), o.selector?.map((l) => `${l.key}=${l.value}`), o.keys?.map((k) => k.key), o.servicePorts?.map((p) => `${p.name}:${p.port}`), o.containerPorts?.map((p) => p.name), o.rules, o.aggregationSelectors, o.roleRef, o.subjects?.map((x) => `${x.kind}/${x.namespace}/${x.name}`), o.refs.map((r) => `${r.target}/${r.namespace}/${r.name}/${r.key ?? ''}`)]),
  );
}

/**
 * Definition or references at a template offset that is literal YAML text, through the chart's
 * rendered manifest: to plain files of the workspace and to the other templates of the chart.
 */
export function chartManifestNavigation(ctx: ServerContext, uri: string, offset: number, what: 'definition' | 'references', includeDeclaration = true): ReturnType<typeof toLocations> | null {
  const t = templateContextOf(ctx, uri);
  if (!t) return null;
  const at = manifestOffset(t.manifest, t.relative, offset);
  if (at === undefined) return null;
  const m = t.manifest;
  const found = what === 'definition' ? ctx.ls.definition(m.file, at) : ctx.ls.references(m.file, at, includeDeclaration);
  // The chart's own objects come from the manifest (current); the index's copy of them may lag a render behind.
  const own = pathToUri(t.root) + '/';
  const locs: Array<{ uri: string; start: number; end: number }> = [];
  for (const l of found) {
    if (l.uri === m.file.uri) {
      const part = partAt(m, l.start);
      if (!part) continue;
      const span = literalSpan(part, l.start - part.base, l.end - part.base);
      if (span) locs.push({ uri: t.uriOf(part.path), start: span[0], end: span[1] });
    } else if (!(l.uri.startsWith(own) && /\/templates\//.test(l.uri.slice(own.length)))) locs.push(l);
  }
  const seen = new Set<string>();
  const unique = locs.filter((l) => !seen.has(`${l.uri}:${l.start}`) && (seen.add(`${l.uri}:${l.start}`), true));
  return unique.length ? toLocations(ctx, unique) : null;
}

const rootCache = new Map<string, string | null>();

/** The top chart folder a path belongs to, or undefined. */
export function chartRootOf(file: string): string | undefined {
  let dir = path.dirname(file);
  const seen: string[] = [];
  let found: string | undefined;
  for (let i = 0; i < 60; i++) {
    const cached = rootCache.get(dir);
    if (cached !== undefined) {
      found = cached ?? undefined;
      break;
    }
    seen.push(dir);
    if (fs.existsSync(path.join(dir, 'Chart.yaml'))) {
      found = dir;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // A subchart unpacked under a chart's charts/ renders as part of that chart.
  while (found && path.basename(path.dirname(found)) === 'charts' && fs.existsSync(path.join(path.dirname(path.dirname(found)), 'Chart.yaml'))) {
    found = path.dirname(path.dirname(found));
  }
  for (const d of seen) rootCache.set(d, found ?? null);
  return found;
}

export const registerCharts: FeatureRegistration = (ctx) => {
  const { connection, documents } = ctx;
  const charts = new Map<string, ChartState>();
  const openFiles = new Map<string, { version: number; file: ChartFile }>();
  documents.onDidClose((e) => openFiles.delete(e.document.uri));

  const stateFor = (root: string): ChartState => {
    let s = charts.get(root);
    if (!s) {
      s = { root, checker: new ChartChecker(ctx.ls), published: new Set(), running: false, again: false, dirty: true, valueFiles: [], tied: new Map(), indexed: new Set() };
      charts.set(root, s);
    }
    return s;
  };

  ctx.isChartFile = (uri: string): boolean => {
    const p = uriToPath(uri);
    const root = p && chartRootOf(p);
    if (root) return isChartOwnedPath(path.relative(root, p!).split(path.sep).join('/'));
    return p !== undefined && tiedChartOf(uri) !== undefined;
  };

  /** The chart a values file outside any chart is tied to: a first-line comment, or kubeManifests.helm.charts. */
  function tiedChartOf(uri: string): string | undefined {
    const p = uriToPath(uri);
    if (!p || !/\.ya?ml$/i.test(p)) return undefined;
    const doc = documents.get(uri);
    const head = doc ? doc.getText().slice(0, 300) : '';
    const m = /^#\s*kube-manifests:\s*chart=(\S+)/m.exec(head.split('\n').slice(0, 3).join('\n'));
    let dir: string | undefined;
    if (m) dir = path.resolve(path.dirname(p), m[1]);
    else {
      for (const [glob, chart] of Object.entries(tiedSettings)) {
        for (const folder of ctx.workspaceFolders.map(uriToPath).filter((f): f is string => !!f)) {
          const rel = path.relative(folder, p).split(path.sep).join('/');
          if (!rel.startsWith('..') && globMatcher([glob])(rel)) dir = path.resolve(folder, chart);
        }
      }
    }
    return dir && fs.existsSync(path.join(dir, 'Chart.yaml')) ? dir : undefined;
  }
  let tiedSettings: Record<string, string> = {};
  ctx.chartOf = (uri: string) => {
    const p = uriToPath(uri);
    // A values file outside the chart tied to it: `relative` is `../...` (completion and hover against the chart).
    const root = p && (chartRootOf(p) ?? tiedChartOf(uri));
    if (!root) return undefined;
    const s = charts.get(root);
    if (!s) return undefined;
    // Completion and hover need the text being typed: check again now if a file changed (one template re-renders).
    if (s.dirty && s.settings) checkNow(s, s.settings);
    if (!s.last) return undefined;
    const texts = s.texts!;
    return { root, result: s.last, relative: path.relative(root, p!).split(path.sep).join('/'), textOf: (rel: string) => texts.get(rel) };
  };

  function checkNow(s: ChartState, settings: Settings, only?: Set<string>): { files: ChartFile[]; result: ChartCheckResult } {
    s.dirty = only !== undefined;
    s.settings = settings;
    const files = filesOf(s);
    const result = s.checker.check({ files, settings, only, valueFiles: s.valueFiles.map((f) => valuesFileInput(s, f)).filter((v): v is { path: string; text: string } => !!v) });
    s.last = result;
    // Texts of the chart's files, decoded when asked (completion and hover read a few).
    const byPath = new Map(files.map((f) => [f.path, f]));
    const decoded = new Map<string, string>();
    s.texts = {
      get: (rel: string): string | undefined => {
        let t = decoded.get(rel);
        if (t === undefined) {
          const f = byPath.get(rel);
          if (!f || /\.(tgz|png|jpe?g|gif|ico)$/i.test(rel)) return undefined;
          t = new TextDecoder().decode(f.data);
          decoded.set(rel, t);
        }
        return t;
      },
    };
    return { files, result };
  }

  /** A values file in use, named relative to the chart (`ci/prod.yaml`, `../custom.yaml`), with its open text. */
  function valuesFileInput(s: ChartState, abs: string): { path: string; text: string } | undefined {
    const rel = path.relative(s.root, abs).split(path.sep).join('/');
    const doc = documents.get(pathToUri(abs));
    if (doc) return { path: rel, text: doc.getText() };
    try {
      return { path: rel, text: fs.readFileSync(abs, 'utf8') };
    } catch {
      return undefined;
    }
  }

  const filesOf = (s: ChartState): ChartFile[] => {
    if (!s.disk) {
      try {
        s.disk = readChartDir(s.root);
        s.diskError = undefined;
      } catch (e) {
        s.disk = [];
        s.diskError = e instanceof Error ? e.message : String(e);
      }
    }
    const enc = new TextEncoder();
    const open = new Map<string, TextDocument>();
    for (const doc of documents.all()) {
      const p = uriToPath(doc.uri);
      if (p && !path.relative(s.root, p).startsWith('..')) open.set(path.relative(s.root, p).split(path.sep).join('/'), doc);
    }
    // One ChartFile per document version: the checker keys its caches by these objects.
    const asFile = (rel: string, doc: TextDocument): ChartFile => {
      const memo = openFiles.get(doc.uri);
      if (memo && memo.version === doc.version && memo.file.path === rel) return memo.file;
      const file = { path: rel, data: enc.encode(doc.getText()) };
      openFiles.set(doc.uri, { version: doc.version, file });
      return file;
    };
    const out: ChartFile[] = [];
    for (const f of s.disk) {
      const doc = open.get(f.path);
      out.push(doc ? asFile(f.path, doc) : f);
      open.delete(f.path);
    }
    // Open documents not yet on disk (a new template being written).
    for (const [rel, doc] of open) if (!rel.startsWith('..')) out.push(asFile(rel, doc));
    return out;
  };

  const textOfPath = (s: ChartState, rel: string, files: ChartFile[]): string | undefined => {
    const f = files.find((x) => x.path === rel);
    return f ? new TextDecoder().decode(f.data) : undefined;
  };

  async function run(s: ChartState): Promise<void> {
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    try {
      const settings = await ctx.settingsFor(pathToUri(path.join(s.root, 'Chart.yaml')));
      // The first check of a chart renders the open templates first (their diagnostics come sooner), the rest right after.
      const first = s.last === undefined;
      const only = first ? new Set(documents.all().map((d) => uriToPath(d.uri)).filter((p): p is string => !!p && !path.relative(s.root, p).startsWith('..')).map((p) => path.relative(s.root, p).split(path.sep).join('/'))) : undefined;
      const { files, result } = checkNow(s, settings, only);
      if (first) s.again = true;
      const next = new Set<string>();
      for (const [rel, problems] of result.problems) {
        const abs = path.join(s.root, ...rel.split('/'));
        const uri = pathToUri(abs);
        const open = documents.get(uri);
        const text = open ? open.getText() : textOfPath(s, rel, files);
        if (text === undefined) continue;
        const doc = open ?? TextDocument.create(uri, 'yaml', 0, text);
        const diagnostics: Diagnostic[] = [...problems, ...valuesExtra(s, rel, text, result)].map((p: Problem) => toDiagnostic(ctx, doc, p));
        void connection.sendDiagnostics({ uri, version: open?.version, diagnostics });
        next.add(uri);
      }
      // Open files of the chart without problems get their (empty) diagnostics for this version.
      for (const doc of documents.all()) {
        if (!next.has(doc.uri) && doc.uri.startsWith(pathToUri(s.root) + '/') && ctx.isChartFile(doc.uri)) {
          const extra = valuesExtra(s, path.relative(s.root, uriToPath(doc.uri)!).split(path.sep).join('/'), doc.getText(), result);
          void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: extra.map((p) => toDiagnostic(ctx, doc, p)) });
        }
      }
      // Values files outside the chart tied to it: rendered with them on top of the values in use; their own problems only.
      for (const [abs, checker] of s.tied) {
        const uri = pathToUri(abs);
        const doc = documents.get(uri);
        if (!doc) {
          s.tied.delete(abs);
          continue;
        }
        const own = valuesFileInput(s, abs)!;
        const inUse = s.valueFiles.filter((f) => f !== abs).map((f) => valuesFileInput(s, f)).filter((v): v is { path: string; text: string } => !!v);
        const r = checker.check({ files, settings, valueFiles: [...inUse, own] });
        const problems = [...(r.problems.get(own.path) ?? []), ...valuesExtra(s, own.path, own.text, result)];
        void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: problems.map((p) => toDiagnostic(ctx, doc, p)) });
        next.add(uri);
      }
      for (const uri of s.published) if (!next.has(uri) && !documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      s.published = next;
      for (const doc of documents.all()) if (doc.uri.startsWith(pathToUri(s.root) + '/')) ctx.didValidate(doc.uri);
      // The objects the chart renders join the workspace index once its diagnostics are out.
      if (!only) setImmediate(() => indexChart(s));
    } catch (e) {
      ctx.logError('charts', pathToUri(s.root), e);
    } finally {
      s.running = false;
      if (s.again) {
        s.again = false;
        schedule(s);
      }
    }
  }

  /** Values files other than values.yaml: the schema on a file not in use, unknown keys (features/helm/valuesDiagnostics.ts). */
  const valuesExtra = (s: ChartState, rel: string, text: string, result: ChartCheckResult): Problem[] =>
    valuesFileProblems({ path: rel, text, result, textOf: (x) => s.texts?.get(x), inUse: rel.startsWith('../') || s.valueFiles.some((f) => path.relative(s.root, f).split(path.sep).join('/') === rel) });

  const index = ctx.ls.workspace;
  // A template's own text is not a manifest: the index holds what it renders (indexChart), not what the plain parse makes of it.
  index.notIndexed = (uri: string): boolean => {
    const p = uriToPath(uri);
    const root = p && /[\\/]templates[\\/]/.test(p) ? chartRootOf(p) : undefined;
    return Boolean(root && isChartOwnedPath(path.relative(root, p!).split(path.sep).join('/')));
  };
  const uriIn = (s: ChartState) => (rel: string): string => pathToUri(path.join(s.root, ...rel.split('/')));

  // A burst of renders (typing a label in a template) re-checks the others once.
  let revalidateTimer: NodeJS.Timeout | undefined;
  const revalidateSoon = (): void => {
    if (revalidateTimer) clearTimeout(revalidateTimer);
    revalidateTimer = setTimeout(() => {
      revalidateTimer = undefined;
      ctx.revalidateAll();
    }, 150);
  };

  /** Puts the objects of the chart's last full render into the workspace index (keys of their own, facts at template offsets). */
  function indexChart(s: ChartState): void {
    try {
      const result = s.last;
      if (!result?.prepared) return;
      const m = chartManifest(result, s.root, ctx.ls.parse);
      const uriOf = uriIn(s);
      const keys = new Set<string>();
      const changed: string[] = [];
      for (const [rel, objects] of renderedObjectFacts(m, uriOf)) {
        const key = renderedIndexKey(uriOf(rel));
        keys.add(key);
        const before = index.get(key);
        if (!before && !objects.length) continue;
        if (factsSignature(before?.objects) !== factsSignature(objects)) changed.push(key);
        index.set({ uri: key, objects }, false);
      }
      for (const k of s.indexed) {
        if (keys.has(k)) continue;
        if (index.get(k)?.objects.length) changed.push(k);
        index.delete(k);
      }
      s.indexed = keys;
      if (changed.length) {
        index.version++;
        index.emit(changed);
        // Plain files that name what the chart renders are checked again (and the charts, cheaply: unchanged templates are cached).
        if (index.enabled) revalidateSoon();
        // The blue/green lenses of a template may read what the other templates render.
        const caps = (ctx as ServerContext & { clientCapabilities?: ClientCapabilities }).clientCapabilities;
        if (caps?.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      }
    } catch (e) {
      ctx.logError('chart index', pathToUri(s.root), e);
    }
  }

  // Charts of the workspace nobody opened yet: rendered once in the background after the workspace is indexed, for their objects.
  let background: string[] | undefined;
  index.onChange((uris) => {
    if (uris.length || background !== undefined || !index.enabled) return;
    const roots = new Set<string>();
    for (const uri of index.uris()) {
      const p = uriToPath(uri);
      const root = p && /[\\/]templates[\\/]/.test(p) ? chartRootOf(p) : undefined;
      if (root && !charts.get(root)?.last) roots.add(root);
    }
    background = [...roots].sort();
    const next = (): void => {
      const root = background!.shift();
      if (!root) return;
      const s = stateFor(root);
      if (s.last || s.running) return void setImmediate(next);
      void ctx
        .settingsFor(pathToUri(path.join(root, 'Chart.yaml')))
        .then((settings) => {
          if (!s.last && !s.running) {
            checkNow(s, settings);
            indexChart(s);
          }
        })
        .catch((e) => ctx.logError('chart index', pathToUri(root), e))
        .finally(() => setImmediate(next));
    };
    setImmediate(next);
  });

  templateContexts.set(ctx, (uri: string): TemplateContext | undefined => {
    const chart = ctx.isChartFile(uri) ? ctx.chartOf(uri) : undefined;
    if (!chart || !/(^|\/)templates\//.test(chart.relative) || !chart.result.prepared) return undefined;
    const s = charts.get(chart.root);
    if (!s) return undefined;
    return {
      root: chart.root,
      relative: chart.relative,
      manifest: chartManifest(chart.result, chart.root, ctx.ls.parse),
      valueFiles: s.valueFiles.map((f) => valuesFileInput(s, f)).filter((v): v is ValuesText => !!v),
      textOf: chart.textOf,
      uriOf: uriIn(s),
    };
  });

  function schedule(s: ChartState): void {
    if (s.pending) clearImmediate(s.pending);
    s.pending = setImmediate(() => {
      s.pending = undefined;
      void run(s);
    });
  }

  const touched = (uri: string, diskChanged: boolean): void => {
    const p = uriToPath(uri);
    if (!p) return;
    let root = chartRootOf(p);
    if (!root) {
      root = tiedChartOf(uri);
      if (!root) return;
      const t = stateFor(root);
      if (documents.get(uri) && !t.tied.has(p)) t.tied.set(p, new ChartChecker(ctx.ls));
    }
    // A values file in use changed: the chart is checked again.
    for (const st of charts.values()) if (st.valueFiles.includes(p) && st.root !== root) {
      st.dirty = true;
      schedule(st);
    }
    const s = stateFor(root);
    if (diskChanged) s.disk = undefined;
    s.dirty = true;
    schedule(s);
  };

  documents.onDidOpen((e) => touched(e.document.uri, false));
  documents.onDidChangeContent((e) => touched(e.document.uri, false));
  documents.onDidClose((e) => touched(e.document.uri, true));
  ctx.onDidChangeFiles((changes) => {
    for (const c of changes) {
      const p = uriToPath(c.uri);
      if (!p) continue;
      if (path.basename(p) === 'Chart.yaml') rootCache.clear();
      touched(c.uri, true);
    }
  });
  ctx.onRevalidate(() => {
    for (const s of charts.values()) {
      // Cross-file references and settings are part of each template's result: validate them all again.
      s.checker.forgetResults();
      s.dirty = true;
      // A chart nobody opened (indexed in the background) is checked again when it is needed.
      const prefix = pathToUri(s.root) + '/';
      if (s.published.size || documents.all().some((d) => d.uri.startsWith(prefix))) schedule(s);
    }
  });

  // The values files in use for a chart (the client's status bar item and command pick them, remembered per workspace).
  connection.onNotification(SET_VALUE_FILES, (params: { chart: string; files: string[] }) => {
    const root = uriToPath(params.chart);
    if (!root) return;
    const s = stateFor(path.resolve(root));
    s.valueFiles = params.files.map(uriToPath).filter((f): f is string => !!f);
    s.dirty = true;
    schedule(s);
  });
  connection.onRequest(CHART_INFO_REQUEST, (params: { uri: string }) => {
    const p = uriToPath(params.uri);
    const root = p && (chartRootOf(p) ?? tiedChartOf(params.uri));
    if (!root) return null;
    const s = stateFor(root);
    const candidates = listValuesCandidates(root);
    return { chart: pathToUri(root), name: s.last?.prepared?.chart.name ?? path.basename(root), valueFiles: s.valueFiles.map(pathToUri), candidates: candidates.map(pathToUri) };
  });
  // kubeManifests.helm.charts ties values files outside charts to a chart: re-read it when settings change.
  const loadTied = (): void => {
    void ctx.settingsFor(ctx.workspaceFolders[0] ?? 'file:///').then((settings) => {
      const before = JSON.stringify(tiedSettings);
      tiedSettings = settings.helm.charts;
      if (JSON.stringify(tiedSettings) !== before) for (const doc of documents.all()) touched(doc.uri, false);
    });
  };
  ctx.onReady(loadTied);
  ctx.onDidChangeSettings(loadTied);

  // Show Rendered Manifest: the current template as rendered with the values in use, with the
  // problems of the rendered text on it (the client shows it beside the template and asks again as the user types).
  connection.onRequest(RENDERED_REQUEST, async (params: { uri: string }): Promise<RenderedAnswer> => {
    const p = uriToPath(params.uri);
    const root = p && chartRootOf(p);
    if (!root) return { error: 'This file is not part of a Helm chart (no Chart.yaml in its folder or above).' };
    const rel = path.relative(root, p!).split(path.sep).join('/');
    if (!/(^|\/)templates\//.test(rel)) return { error: `${rel} is not a template of the chart in ${path.basename(root)}.` };
    const s = stateFor(root);
    const settings = await ctx.settingsFor(params.uri);
    const { result } = s.dirty || !s.last ? checkNow(s, settings) : { result: s.last };
    const name = `${result.prepared?.chart.name ?? path.basename(root)}/${rel}`;
    const r = result.rendered.get(rel);
    if (!r) {
      if (/(^|\/)_[^/]*$/.test(rel) || rel.endsWith('NOTES.txt')) return { error: `${rel} renders nothing by itself (a partial, or NOTES.txt): its defines render where they are included.`, name };
      const own = result.problems.get(rel)?.find((x) => x.code.startsWith('helm-') && x.severity === 'error');
      const chart = result.prepared ? undefined : [...result.problems.values()].flat()[0];
      const why = own ?? chart;
      return { error: why ? `${rel} does not render: ${why.message}` : `${rel} renders nothing.`, name };
    }
    const header = `# Source: ${name}\n`;
    const text = header + r.output;
    const file = ctx.ls.parse(`helm-rendered:${encodeURIComponent(name)}`, r.output);
    const doc = TextDocument.create('untitled:rendered', 'yaml', 0, text);
    const problems = ctx.ls.validate(file, settings).map((x) => toDiagnostic(ctx, doc, { ...x, start: x.start + header.length, end: x.end + header.length }));
    return { name, text, problems };
  });
  return {};
};
