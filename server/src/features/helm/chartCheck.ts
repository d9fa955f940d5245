/**
 * A chart checked as the cluster will see it: the chart is prepared and rendered by the Helm
 * engine (server/src/helm/) in the editor's mode (deterministic functions, bounded time and
 * output, source map), and
 * - template syntax errors are placed at their exact characters, in plain words;
 * - render errors at the action that raised them (and at the call in the template when they
 *   happened inside an `include`d define), explained;
 * - every rendered manifest is parsed and checked by the same validator as plain manifests, and
 *   each problem is carried back through the source map: onto the literal text of the template
 *   when the wrong text is literal, onto the action when a value printed it (and then the message
 *   names the value and the values file and line it came from).
 *
 * Pure: the chart's files come in as `ChartFile`s (paths relative to the chart's folder), and
 * problems go out keyed by those paths. `ChartChecker` keeps what it can between calls (the
 * prepared chart while no values or chart metadata changed, parse trees, rendered results of
 * unchanged templates), so a keystroke in one template re-renders that template only.
 */
import type { ParsedTemplate, Span } from '../../helm/ast';
import type { ChartFile, LoadedChart } from '../../helm/chart';
import { RenderError, RenderedTemplate, RenderLimits } from '../../helm/engine';
import { ExecError, Segment } from '../../helm/exec';
import { parseTemplate } from '../../helm/parser';
import { ChartError, DEFAULT_API_VERSIONS, funcMapFor, kubeVersionError, prepareChart, PreparedChart, renderPrepared } from '../../helm/index';
import { GoMap, isGoMap, Value } from '../../helm/value';
import { formatV } from '../../helm/fmt';
import { LineIndex, editDistance } from '../../model/text';
import type { ManifestFile } from '../../model/manifest';
import { Problem, Settings } from '../../types';
import { API_LIFECYCLE, compareVersions } from '../../schema/apiVersions';
import { locateValue, ValueLocation } from './valuesLocate';
import { duplicateKeyProblems, unusedValues } from './valuesRefs';
import { chartModelOf } from './chartModel';
import { ChartSubchart, ChartYamlContext, checkChartYaml, checkRequirementsYaml } from './chartYaml';

/** What the checker needs of the language service: the plain-manifest pipeline. */
export interface ManifestChecker {
  parse(uri: string, text: string, previous?: ManifestFile): ManifestFile;
  validate(file: ManifestFile, settings: Settings): Problem[];
}

export interface ChartCheckInput {
  /** Every file of the chart (subcharts under `charts/` included), paths relative to the chart. */
  files: ChartFile[];
  /** Extra values files in use (`-f`), in order, after the chart's values.yaml. `path` names them in messages. */
  valueFiles?: Array<{ path: string; text: string }>;
  settings: Settings;
  /** `.Capabilities.APIVersions` (default: ours). */
  apiVersions?: readonly string[];
  releaseName?: string;
  namespace?: string;
  /**
   * Render only these templates (chart-relative paths) this time: the editor checks the template
   * being opened first, and the others on the next tick.
   */
  only?: Set<string>;
  /** `--set` / `--set-string` (the CLI's). */
  set?: string[];
  setString?: string[];
}

/**
 * The files of a chart whose problems come from rendering it (chart-relative paths): templates,
 * values files, Chart.yaml and its companions. Anything else in the chart folder (crds/, docs)
 * is checked as a plain file.
 */
export function isChartOwnedPath(rel: string): boolean {
  return /^(charts\/[^/]+\/)*(templates\/.*|values[^/]*\.ya?ml|Chart\.yaml|Chart\.lock|requirements\.ya?ml|ci\/[^/]*\.ya?ml|values\.schema\.json)$/.test(rel);
}

export interface RenderedFile {
  /** Chart-relative path of the template (`templates/deployment.yaml`). */
  path: string;
  output: string;
  segments?: Segment[];
}

export interface ChartCheckResult {
  /** Problems by chart-relative path (templates, values files, Chart.yaml). */
  problems: Map<string, Problem[]>;
  /** Rendered templates by chart-relative path (root chart's templates and unpacked subcharts'). */
  rendered: Map<string, RenderedFile>;
  /** The prepared chart (undefined when preparing failed). */
  prepared?: PreparedChart;
  /** Parse trees by chart-relative path (for completion, hover, navigation). */
  parsed: Map<string, ParsedTemplate>;
}

/**
 * `.Capabilities.APIVersions` in the editor: Helm's default set without the group/versions that the
 * configured Kubernetes version no longer serves, so `{{ if .Capabilities.APIVersions.Has
 * "policy/v1beta1" }}` takes the branch a real cluster of that version takes (helm template's
 * default set still lists them, and would render a removed apiVersion).
 */
export function servedApiVersions(kubernetesVersion: string): string[] {
  return DEFAULT_API_VERSIONS.filter((gv) => {
    const entries = API_LIFECYCLE.filter((e) => e.apiVersion === gv);
    return entries.length === 0 || entries.some((e) => compareVersions(kubernetesVersion, e.removed) < 0);
  });
}

/**
 * Rules whose findings in a chart are a property of what the chart installs, not a mistake of its
 * author (an operator's chart grants itself access to Secrets by design): information there.
 */
const CHART_ADVISORY = new Set(['rbac-secret-access']);

/** Editor bounds: a render that takes longer or prints more stops and says why, once. */
export const EDITOR_LIMITS: Omit<RenderLimits, 'now'> = { maxOutputBytes: 8 * 1024 * 1024, timeoutMs: 2000 };

interface TemplateResult {
  text: string;
  rendered?: RenderedTemplate;
  problems: Problem[];
  /** Problems of this template's render placed on values files. */
  mirrored: Array<[string, Problem]>;
}

/** Checks charts, keeping caches between calls (one checker per chart). */
export class ChartChecker {
  private preparedKey = '';
  private prepared?: PreparedChart;
  private prepareError?: ChartError;
  private readonly parseCache = new Map<string, ParsedTemplate>();
  private results = new Map<string, TemplateResult>();
  private partialsKey = '';
  private readonly manifests = new Map<string, ManifestFile>();

  constructor(
    private readonly ls: ManifestChecker,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Forgets the results of unchanged templates: the next check validates every rendered file again (the workspace or the settings changed). */
  forgetResults(): void {
    this.results.clear();
  }

  check(input: ChartCheckInput): ChartCheckResult {
    const problems = new Map<string, Problem[]>();
    const add = (path: string, p: Problem): void => {
      const list = problems.get(path);
      if (list) list.push(p);
      else problems.set(path, [p]);
    };
    const textOf = new Map<string, string>();
    for (const f of input.files) if (isTemplatePath(f.path) || isValuesPath(f.path)) textOf.set(f.path, decodeOnce(f));

    // Everything but the templates decides the prepared chart (values, Chart.yaml, .Files).
    const key = preparedKeyOf(input, textOf);
    if (key !== this.preparedKey) {
      this.preparedKey = key;
      this.prepared = undefined;
      this.prepareError = undefined;
      this.results.clear();
      try {
        this.prepared = prepareChart(input.files, {
          valueFiles: (input.valueFiles ?? []).map((v) => ({ name: v.path, text: v.text })),
          kubeVersion: input.settings.kubernetesVersion,
          baseApiVersions: input.apiVersions ?? servedApiVersions(input.settings.kubernetesVersion),
          releaseName: input.releaseName,
          namespace: input.namespace,
          set: input.set,
          setString: input.setString,
        });
      } catch (e) {
        if (e instanceof ChartError) this.prepareError = e;
        else throw e;
      }
    }
    if (!this.prepared && this.prepareError?.stage === 'load' && this.prepareError.message === 'library charts are not installable') {
      // A library chart renders only inside the charts that use it: its templates are checked for syntax here.
      const parsed = new Map<string, ParsedTemplate>();
      for (const [path, text] of textOf) {
        if (!isTemplatePath(path) || /(^|\/)charts\//.test(path)) continue;
        const p = parseTemplate(path, text, { funcs: isTemplateFunc });
        parsed.set(path, p);
        if (p.errors.length) add(path, parseProblem(p.errors[0], text));
      }
      return { problems, rendered: new Map(), parsed };
    }
    const parsed = new Map<string, ParsedTemplate>();
    const rendered = new Map<string, RenderedFile>();
    if (!this.prepared) {
      const e = this.prepareError;
      if (e) for (const [path, p] of prepareProblems(e, input)) add(path, p);
      this.checkChartFiles(input, add, problems);
      return { problems, rendered, parsed };
    }
    const prep = this.prepared;
    const paths = templatePaths(prep.chart);
    const kvErr = kubeVersionError(prep);
    if (kvErr) {
      add('Chart.yaml', { start: 0, end: 0, severity: 'information', code: 'helm-kube-version', message: `${kvErr}: helm install would refuse this chart for the Kubernetes version in use (kubeManifests.kubernetesVersion). Templates are still checked.` });
    }

    // Templates: new texts go into the renderables; a changed partial re-renders everything.
    let partials = '';
    for (const r of prep.renderables) {
      const path = paths.get(r.name);
      const text = path !== undefined ? textOf.get(path) : undefined;
      if (text !== undefined && text !== r.text) r.text = text;
      if (isPartial(r.name)) partials += `${r.name}\u0000${r.text}\u0000`;
      const prev = this.results.get(r.name);
      if (prev && prev.text !== r.text) this.results.delete(r.name);
    }
    if (partials !== this.partialsKey) {
      this.partialsKey = partials;
      this.results.clear();
    }
    const only = input.only;
    const toRender = prep.renderables.filter((r) => !isPartial(r.name) && !this.results.has(r.name) && (!only || only.has(paths.get(r.name) ?? ''))).map((r) => r.name);
    const renderNames = new Set(toRender);
    const result = renderPrepared(prep, {
      deterministic: true,
      limits: { ...EDITOR_LIMITS, now: this.now },
      sourceMap: true,
      collectAll: true,
      parseCache: this.parseCache,
      only: (n) => renderNames.has(n),
    });
    for (const [name, p] of result.parsed) {
      const path = paths.get(name);
      if (path !== undefined) parsed.set(path, p);
    }
    // Parse errors belong to their file whether or not it rendered.
    const parseProblems = new Map<string, Problem[]>();
    for (const [name, p] of result.parsed) {
      const path = paths.get(name);
      if (path === undefined || p.errors.length === 0) continue;
      parseProblems.set(path, p.errors.slice(0, 1).map((e) => parseProblem(e, p.text)));
    }
    const ctx: ExplainContext = { prep, input, paths, parsed: result.parsed, defines: [...definedNames(result.parsed)] };
    let limitSaid = false;
    for (const name of toRender) {
      const r = prep.renderables.find((x) => x.name === name)!;
      const f = result.files.get(name);
      const own: Problem[] = [];
      const mirrored: Array<[string, Problem]> = [];
      if (f?.error) {
        if (f.error.kind === 'limit') {
          if (!limitSaid) own.push(...limitProblem(f.error, ctx, name));
          limitSaid = true;
        } else if (f.error.kind !== 'parse') own.push(...errorProblems(f.error, ctx, name, (path, p) => mirrored.push([path, p])));
      } else if (f) {
        own.push(...this.checkRendered(name, f, ctx, input.settings, mirrored));
      }
      this.results.set(name, { text: r.text, rendered: f, problems: own, mirrored });
    }
    for (const [name, res] of this.results) {
      const path = paths.get(name);
      if (path === undefined) continue;
      for (const p of res.problems) add(path, p);
      for (const [vpath, p] of res.mirrored) add(vpath, p);
      if (res.rendered && !res.rendered.error) rendered.set(path, { path, output: res.rendered.output, segments: res.rendered.segments });
    }
    for (const [path, list] of parseProblems) for (const p of list) add(path, p);
    // Values files: a duplicate key loses the first block without a word from Helm.
    // Checking only the open templates (the first check of a chart, published before the rest): only the open values files too.
    const checkValues = (path: string): boolean => !input.only || input.only.has(path);
    for (const [path, text] of textOf) {
      if (!/(^|\/)values[^/]*\.ya?ml$/.test(path) || !text.includes(':') || !checkValues(path)) continue;
      for (const d of duplicateKeyProblems(text)) add(path, d);
    }
    for (const v of input.valueFiles ?? []) if (checkValues(v.path)) for (const d of duplicateKeyProblems(v.text)) add(v.path, d);
    this.checkChartFiles(input, add, problems);
    // Values no template reads: information (conservative: nothing when values are used whole somewhere).
    if (!input.only) {
      const model = chartModelOf({ problems, rendered, prepared: prep, parsed }, (rel) => textOf.get(rel));
      if (model) {
        for (const u of unusedValues(model, 'values.yaml')) {
          add('values.yaml', { start: u.start, end: u.end, severity: 'information', code: 'values-unused', message: `No template of the chart reads .Values.${u.path.join('.')}: it has no effect unless something outside the templates reads it (a subchart, tpl text, a post-renderer).`, unnecessary: true });
        }
      }
    }
    for (const list of problems.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
    return { problems, rendered, prepared: prep, parsed };
  }

  /** Chart.yaml (and a v1 chart's requirements.yaml): schema and helm lint's checks, against charts/ and the lock. */
  private checkChartFiles(input: ChartCheckInput, add: (path: string, p: Problem) => void, problems: Map<string, Problem[]>): void {
    const text = (p: string): string | undefined => {
      const f = input.files.find((x) => x.path === p);
      return f ? decodeOnce(f) : undefined;
    };
    const chartYaml = text('Chart.yaml');
    if (chartYaml === undefined) return;
    const subcharts: ChartSubchart[] = [];
    for (const f of input.files) {
      let m = /^charts\/([^/]+)\/Chart\.yaml$/.exec(f.path);
      if (m && !/^[_.]/.test(m[1])) {
        const t = decodeOnce(f);
        subcharts.push({ name: /^name:\s*["']?([^"'\s#]+)/m.exec(t)?.[1] ?? m[1], version: /^version:\s*["']?([^"'\s#]+)/m.exec(t)?.[1] ?? '', path: `charts/${m[1]}` });
        continue;
      }
      m = /^charts\/(([^/]+)-(\d[^/]*))\.tgz$/.exec(f.path);
      if (m && !/^[_.]/.test(m[1])) subcharts.push({ name: m[2], version: m[3], path: `charts/${m[1]}.tgz` });
    }
    const ctx: ChartYamlContext = {
      subcharts,
      lockText: text('Chart.lock') ?? text('requirements.lock'),
      requirementsText: text('requirements.yaml'),
      hasTemplates: input.files.some((f) => f.path.startsWith('templates/')),
      hasValues: input.files.some((f) => f.path === 'values.yaml'),
    };
    const found = checkChartYaml(this.ls.parse('chart:Chart.yaml', chartYaml), ctx);
    // The missing dependencies are said by Chart.yaml's own check: the render's note would repeat them.
    if (found.some((p) => p.code === 'chart-dependency-missing')) {
      const list = problems.get('Chart.yaml');
      if (list) for (let i = list.length - 1; i >= 0; i--) if (list[i].code === 'helm-dependencies') list.splice(i, 1);
    }
    for (const p of found) {
      // helm lint's strict SemVer 2 warning on placeholders like v0.0.0 (replaced at release) is advice, not a mistake.
      add('Chart.yaml', p.code === 'chart-version-semver2' ? { ...p, severity: 'information' } : p);
    }
    if (ctx.requirementsText !== undefined) {
      for (const p of checkRequirementsYaml(this.ls.parse('chart:requirements.yaml', ctx.requirementsText), { ...ctx, chartYamlText: chartYaml })) add('requirements.yaml', p);
    }
  }

  /** The plain-manifest validator on a rendered file, problems carried back to the template. */
  private checkRendered(name: string, f: RenderedTemplate, ctx: ExplainContext, settings: Settings, mirrored: Array<[string, Problem]>): Problem[] {
    if (name.endsWith('NOTES.txt') || !/\.(ya?ml|json)$/i.test(name) || f.output.trim() === '') return [];
    // No `/templates/` in the uri: the rendered text is a plain manifest, checked in full.
    const uri = `helm-rendered:${encodeURIComponent(name)}`;
    // Helm splits documents on `---` at a line start even when a comment follows without a space
    // (`---# comment`), which YAML would not: blank such comments (same length, offsets kept).
    const text = f.output.includes('\n---#') || f.output.startsWith('---#') ? f.output.replace(/^---(#.*)$/gm, (_m, c: string) => '---' + ' '.repeat(c.length)) : f.output;
    const file = this.ls.parse(uri, text, this.manifests.get(uri));
    this.manifests.set(uri, file);
    const found = this.ls.validate(file, settings);
    const out: Problem[] = [];
    const seen = new Set<string>();
    const segs = f.segments ?? [];
    for (const p of found) {
      const m = mapToTemplate(p, segs, name);
      if (!m) continue;
      let message = p.message;
      let origin: { path: string; at: ValueLocation } | undefined;
      if (p.code === 'syntax-error' || p.code === 'duplicate-key') message = renderedSyntaxMessage(p, file);
      else if (m.seg.kind === 'action') {
        const v = valueNote(m.seg, ctx, name);
        message = message.replace(/\.$/, '') + v.note;
        origin = v.origin;
        if (p.code === 'invalid-type' && /must be a string/.test(p.message)) {
          message += '. Add | quote to the action so that it always prints a string';
          const tplText = ctx.parsed.get(name)?.text ?? '';
          out.push({ start: m.start, end: m.end, severity: p.severity, code: p.code, message, data: { helmQuote: quoteInsertOffset(tplText, m.seg.srcEnd) } });
          seen.add(`${m.start}:${m.end}:${p.code}:${message}`);
          continue;
        }
      } else if (m.viaTemplate) message += ` (in the text of the define "${m.viaTemplate}")`;
      // Advice about what a chart is for (cert-manager must read Secrets) is information in a chart.
      const severity = CHART_ADVISORY.has(p.code) && (p.severity === 'warning' || p.severity === 'error') ? 'information' : p.severity;
      const key = `${m.start}:${m.end}:${p.code}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // A wrong enum value printed whole by an action is fixed where it is set: in the values file.
      const setValue = origin && p.code === 'invalid-enum' && typeof p.data?.suggestion === 'string' && p.start === m.seg.outStart && p.end === m.seg.outEnd
        ? { helmSetValue: { file: origin.path, start: origin.at.valueStart, end: origin.at.valueEnd, value: p.data.suggestion, path: m.seg.valuePath ?? [] } }
        : undefined;
      out.push({ start: m.start, end: m.end, severity, code: p.code, message, ...(m.exact && p.data ? { data: p.data } : setValue ? { data: setValue } : {}) });
      // The same problem on the value in the values file, where it is fixed.
      if (origin) {
        const tplText = ctx.parsed.get(name)?.text ?? '';
        const line = tplText.slice(0, m.start).split('\n').length;
        mirrored.push([origin.path, { start: origin.at.valueStart, end: origin.at.valueEnd, severity, code: p.code, message: `${p.message.replace(/\.$/, '')}; used by ${shortName(name)}:${line}`, ...(setValue ? { data: setValue } : {}) }]);
      }
    }
    // Numbers that Helm prints in scientific notation (values files' numbers are float64 in Helm).
    for (const seg of segs) {
      if (seg.kind !== 'action' || seg.file !== name) continue;
      const printed = f.output.slice(seg.outStart, seg.outEnd);
      if (!/^-?\d(\.\d+)?e[+-]\d+$/.test(printed)) continue;
      const shown = seg.valuePath ? `.Values.${seg.valuePath.join('.')}` : 'This number';
      out.push({
        start: seg.srcStart,
        end: seg.srcEnd,
        severity: 'warning',
        code: 'helm-number-scientific',
        message: `${shown} prints as ${printed}: Helm reads the numbers of values files as floating point and prints large ones in scientific notation, which Kubernetes rejects where it wants an integer. Pipe it through int64 ({{ ${shown === 'This number' ? '…' : shown} | int64 }}) or quote the number in the values file.`,
        data: { helmInt64: quoteInsertOffset(ctx.parsed.get(name)?.text ?? '', seg.srcEnd) },
      });
    }
    return out;
  }
}

/** Where ` | quote` goes in an action ending at `end`: before `}}` / `-}}` and the spaces before them. */
function quoteInsertOffset(text: string, end: number): number {
  let e = end - 2;
  if (text[e - 1] === '-' && text[e - 2] === ' ') e--;
  while (e > 0 && text[e - 1] === ' ') e--;
  return e;
}

// ------------------------------------------------------------------ paths

function isTemplatePath(p: string): boolean {
  return /(^|\/)templates\//.test(p);
}

function isValuesPath(p: string): boolean {
  return /(^|\/)values[^/]*\.ya?ml$/.test(p) || p.endsWith('values.schema.json');
}

const ENGINE_FUNCS = new Set(['include', 'tpl', 'required', 'fail']);
function isTemplateFunc(name: string): boolean {
  return ENGINE_FUNCS.has(name) || funcMapFor(true).has(name);
}

function isPartial(name: string): boolean {
  return name.slice(name.lastIndexOf('/') + 1).startsWith('_');
}

/** Everything that decides the prepared chart: every non-template file, the values in use and the settings that reach `.Capabilities`. */
function preparedKeyOf(input: ChartCheckInput, textOf: Map<string, string>): string {
  let k = `${input.settings.kubernetesVersion}|${input.releaseName ?? ''}|${input.namespace ?? ''}|${(input.apiVersions ?? []).join(',')}|${JSON.stringify([input.set, input.setString])}|`;
  for (const v of input.valueFiles ?? []) k += `${v.path}\u0000${v.text}\u0000`;
  for (const f of input.files) {
    if (isTemplatePath(f.path)) {
      // A new or removed template changes the set; its text is handled as a template.
      k += `${f.path}\u0000`;
      continue;
    }
    k += `${f.path}\u0000${textOf.get(f.path) ?? f.data.length + ':' + sampleOf(f)}\u0000`;
  }
  return k;
}

const hashes = new WeakMap<ChartFile, string>();
const texts = new WeakMap<ChartFile, string>();

/** A hash of a file's bytes, once per file object (the editor hands in the same objects while a file is unchanged). */
function sampleOf(f: ChartFile): string {
  let h = hashes.get(f);
  if (h !== undefined) return h;
  let x = 0;
  for (let i = 0; i < f.data.length; i++) x = (Math.imul(x, 31) + f.data[i]) | 0;
  h = String(x);
  hashes.set(f, h);
  return h;
}

function decodeOnce(f: ChartFile): string {
  let t = texts.get(f);
  if (t === undefined) {
    t = new TextDecoder().decode(f.data);
    texts.set(f, t);
  }
  return t;
}

/**
 * Template names (`nginx/charts/common/templates/_labels.tpl`) to chart-relative paths
 * (`charts/common/templates/_labels.tpl`), through each subchart's place in its parent. Templates of
 * archived subcharts have no file to point at and are left out.
 */
export function templatePaths(root: LoadedChart): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (c: LoadedChart, fullPath: string, dir: string | undefined): void => {
    for (const t of c.templates) if (dir !== undefined) out.set(`${fullPath}/${t.name}`, dir + t.name);
    for (const s of c.subcharts) {
      const src = s.source;
      const sub = dir !== undefined && src && !src.endsWith('.tgz') ? `${dir}${src}/` : undefined;
      walk(s, `${fullPath}/charts/${s.name}`, sub);
    }
  };
  walk(root, root.name, '');
  return out;
}

function definedNames(parsed: Map<string, ParsedTemplate>): Set<string> {
  const s = new Set<string>();
  for (const p of parsed.values()) for (const d of p.defines) s.add(d.name);
  return s;
}

// ------------------------------------------------------------------ mapping

interface Mapped {
  start: number;
  end: number;
  seg: Segment;
  /** The problem's text maps character for character onto the template (quick fixes may apply). */
  exact: boolean;
  viaTemplate?: string;
}

/** Carries a problem of the rendered text back onto the template it was rendered from. */
export function mapToTemplate(p: { start: number; end: number }, segs: Segment[], templateFile: string): Mapped | undefined {
  if (segs.length === 0) return undefined;
  let i = findSegment(segs, p.start);
  if (i < 0) return undefined;
  // A problem that starts on the whitespace/newline before an action (or at the end of a text) belongs to what follows.
  let seg = segs[i];
  if (seg.kind === 'text' && p.start === seg.outEnd && i + 1 < segs.length) seg = segs[++i];
  const inFile = (s: Segment): { file: string; start: number; end: number } | undefined => {
    if (s.file === templateFile) return { file: s.file, start: s.srcStart, end: s.srcEnd };
    // Text of a {{ template }} define from another file: the call in this file carries it.
    const call = s.stack.find((c) => c.file === templateFile);
    return call ? { file: templateFile, start: call.start, end: call.end } : undefined;
  };
  const loc = inFile(seg);
  if (!loc) return undefined;
  if (seg.kind === 'action' || seg.file !== templateFile) {
    const via = seg.file !== templateFile ? seg.file : undefined;
    return { start: loc.start, end: loc.end, seg, exact: false, viaTemplate: via && seg.kind === 'text' ? via.slice(via.lastIndexOf('/') + 1) : undefined };
  }
  const start = seg.srcStart + (Math.max(p.start, seg.outStart) - seg.outStart);
  if (p.end <= seg.outEnd) return { start, end: seg.srcStart + (p.end - seg.outStart), seg, exact: true };
  // The problem runs past this piece of text: stretch it over the following pieces of the same file.
  let end = seg.srcEnd;
  for (let j = i + 1; j < segs.length && segs[j].outStart < p.end; j++) {
    const l = inFile(segs[j]);
    if (!l || l.end < end) break;
    end = segs[j].kind === 'text' && segs[j].file === templateFile ? segs[j].srcStart + (Math.min(p.end, segs[j].outEnd) - segs[j].outStart) : l.end;
  }
  return { start, end, seg, exact: false };
}

/** Index of the last segment that starts at or before `offset` (-1 when none does). */
export function segmentBefore(segs: Segment[], offset: number): number {
  let lo = 0;
  let hi = segs.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].outStart <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function findSegment(segs: Segment[], offset: number): number {
  let best = segmentBefore(segs, offset);
  // Zero-width segments share a start: take the last non-empty one that holds the offset.
  while (best > 0 && segs[best].outEnd === segs[best].outStart && segs[best - 1].outEnd >= offset) best--;
  if (best >= 0 && offset > segs[best].outEnd) return segs.length - 1 === best ? best : best;
  return best;
}

// ------------------------------------------------------------------ values

interface ExplainContext {
  prep: PreparedChart;
  input: ChartCheckInput;
  paths: Map<string, string>;
  parsed: Map<string, ParsedTemplate>;
  defines: string[];
}

/** The values a template of `templateName` sees (the subchart's, for a subchart's template). */
function valuesScope(ctx: ExplainContext, templateName: string): { values: GoMap; prefix: string[]; chartDir: string } {
  const parts = templateName.split('/');
  let values: GoMap = ctx.prep.values;
  const prefix: string[] = [];
  let chartDir = '';
  let chart = ctx.prep.chart;
  for (let i = 1; i + 1 < parts.length && parts[i] === 'charts'; i += 2) {
    const name = parts[i + 1];
    const v = values[name];
    values = isGoMap(v) ? v : {};
    prefix.push(name);
    const sub = chart.subcharts.find((s) => s.name === name);
    if (!sub) break;
    chartDir += `${sub.source ?? `charts/${name}`}/`;
    chart = sub;
  }
  return { values, prefix, chartDir };
}

function valueAt(values: GoMap, path: string[]): { found: boolean; value?: Value; missingAt?: number } {
  let cur: Value = values;
  for (let i = 0; i < path.length; i++) {
    if (!isGoMap(cur) || !(path[i] in cur)) return { found: false, missingAt: i };
    cur = cur[path[i]];
  }
  return { found: true, value: cur };
}

/** Where a values path is set: the last values file in use that sets it (user files win over values.yaml). */
function originOf(ctx: ExplainContext, templateName: string, path: string[]): { path: string; at: ValueLocation } | undefined {
  const { prefix } = valuesScope(ctx, templateName);
  const full = [...prefix, ...path];
  // --set wins over every file: the value is not in a file then.
  if (setFlagOf(ctx, templateName, path)) return undefined;
  for (const v of [...(ctx.input.valueFiles ?? [])].reverse()) {
    const at = locateValue(v.text, full);
    if (at) return { path: v.path, at };
  }
  // The root's values.yaml overrides a subchart's defaults.
  for (let i = 0; i <= prefix.length; i++) {
    const dir = i === 0 ? '' : chartDirOf(ctx, prefix.slice(0, i));
    const f = ctx.input.files.find((x) => x.path === `${dir}values.yaml`);
    if (!f) continue;
    const at = locateValue(new TextDecoder().decode(f.data), full.slice(i));
    if (at) return { path: `${dir}values.yaml`, at };
  }
  return undefined;
}

/** The `--set`/`--set-string` flag that sets a values path (the last one wins, as in Helm), as typed. */
function setFlagOf(ctx: ExplainContext, templateName: string, path: string[]): string | undefined {
  const key = [...valuesScope(ctx, templateName).prefix, ...path].join('.');
  let found: string | undefined;
  for (const [flag, list] of [['--set', ctx.input.set ?? []], ['--set-string', ctx.input.setString ?? []]] as const) {
    for (const x of list) for (const kv of x.split(/(?<!\\),/)) if (kv.slice(0, kv.indexOf('=')) === key) found = `${flag} ${kv}`;
  }
  return found;
}

function chartDirOf(ctx: ExplainContext, names: string[]): string {
  let chart = ctx.prep.chart;
  let dir = '';
  for (const n of names) {
    const sub = chart.subcharts.find((s) => s.name === n);
    if (!sub) return dir;
    dir += `${sub.source ?? `charts/${n}`}/`;
    chart = sub;
  }
  return dir;
}

/** `; .Values.image.pullPolicy is "IfNotPreset" (values.yaml:12)` for a problem printed by an action. */
function valueNote(seg: Segment, ctx: ExplainContext, templateName: string): { note: string; origin?: { path: string; at: ValueLocation } } {
  if (!seg.valuePath || seg.valuePath.length === 0) return { note: ' (printed by this template action)' };
  const { values } = valuesScope(ctx, templateName);
  const v = valueAt(values, seg.valuePath);
  const shown = `.Values.${seg.valuePath.join('.')}`;
  const origin = originOf(ctx, templateName, seg.valuePath);
  const flag = origin ? undefined : setFlagOf(ctx, templateName, seg.valuePath);
  const where = origin ? ` (${origin.path}:${origin.at.line + 1})` : flag ? ` (${flag})` : '';
  if (!v.found) return { note: `; ${shown} is not set${where}`, origin };
  return { note: `; ${shown} is ${describeValue(v.value)}${where}`, origin };
}

function describeValue(v: Value): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (v === null || v === undefined) return 'null';
  if (isGoMap(v)) return 'a map';
  if (Array.isArray(v)) return 'a list';
  return formatV(v);
}

// ------------------------------------------------------------------ errors

const PARSE_HINTS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^undefined variable "(\$[^"]*)"/, (m) => `${m[1]} is not defined here. Declare it first with {{ ${m[1]} := ... }}; a variable declared inside if, range, with or define ends at its {{ end }}.`],
  [/^function "([^"]+)" not defined/, (m) => `There is no template function named "${m[1]}" in Helm.`],
  [/^unexpected EOF/, () => 'The template ends while a block is still open: an {{ if }}, {{ range }}, {{ with }} or {{ define }} is missing its {{ end }}.'],
  [/^unexpected \{\{end\}\}/, () => 'This {{ end }} closes nothing: there is no open if, range, with or define before it.'],
  [/^unclosed action/, () => 'This action is not closed: add }} at its end.'],
  [/^unexpected "\}" in operand/, () => 'This action is not closed properly: it needs }} (two braces).'],
  [/^missing value for (\w+)/, (m) => `{{ ${m[1]} }} needs a value to test, e.g. {{ ${m[1]} .Values.enabled }}.`],
];

function parseProblem(e: { message: string; start: number; end: number; related?: Span }, text: string): Problem {
  let explained = '';
  for (const [re, fn] of PARSE_HINTS) {
    const m = re.exec(e.message);
    if (m) {
      explained = fn(m);
      break;
    }
  }
  const start = e.related && /^unexpected EOF/.test(e.message) ? e.related.start : e.start;
  const end = e.related && /^unexpected EOF/.test(e.message) ? e.related.end : Math.max(e.end, Math.min(text.length, e.start + 1));
  return {
    start,
    end,
    severity: 'error',
    code: 'helm-template-syntax',
    message: explained ? `${explained} (Go template: ${e.message})` : `Template syntax: ${e.message}`,
  };
}

const REQUIRED_MARK = /HELM_ERR_START([\s\S]*?)HELM_ERR_END/;

/** The innermost ExecError of a chain (the define where it really happened) and every call on the way. */
function execChain(e: ExecError): ExecError[] {
  const chain: ExecError[] = [e];
  let cur: unknown = e.cause;
  while (cur instanceof Error) {
    if (cur instanceof ExecError) chain.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return chain;
}

function errorProblems(err: RenderError, ctx: ExplainContext, templateName: string, add: (path: string, p: Problem) => void): Problem[] {
  const e = err.execError;
  if (!e) return [{ start: 0, end: 0, severity: 'error', code: 'helm-render-error', message: err.message }];
  const chain = execChain(e);
  const inner = chain[chain.length - 1];
  const required = REQUIRED_MARK.exec(e.message);
  const missing: Missing = {};
  let message = required ? `${required[1]} (required/fail in the template: helm install stops here with this message)` : explainExec(inner, ctx, templateName, missing);
  const data = missing.value ? { helmAddValue: missing.value } : undefined;
  // Go's traces of deep recursion run to megabytes: the start says what happened.
  if (message.length > 600) message = message.slice(0, 560) + ' … (the rest of the trace repeats)';
  const code = required ? 'helm-required' : 'helm-render-error';
  const out: Problem[] = [];
  // On the template's own action (the include call when it happened in a define elsewhere).
  const own = chain.find((x) => x.fileName === templateName) ?? e;
  const ownText = ctx.parsed.get(own.fileName)?.text ?? '';
  const at = own.fileName === templateName ? own.node : { start: 0, end: 0 };
  const via = inner.fileName !== templateName ? ` (in ${shortName(inner.fileName)}, called from here)` : '';
  out.push({ start: at.start, end: Math.max(at.end, Math.min(ownText.length, at.start + 1)), severity: 'error', code, message: message + via, ...(data && own === inner ? { data } : {}) });
  // And where it happened, when that is another file of the chart (a define in _helpers.tpl).
  if (inner.fileName !== templateName) {
    const path = ctx.paths.get(inner.fileName);
    if (path !== undefined) {
      const tpl = templateName.slice(templateName.indexOf('/') + 1);
      add(path, { start: inner.node.start, end: inner.node.end, severity: 'error', code, message: `${message} (when rendering ${tpl})`, ...(data ? { data } : {}) });
    }
  }
  return out;
}

function shortName(name: string): string {
  return name.slice(name.indexOf('/') + 1);
}

/** Filled by explainExec with the values path it found missing (for the "add it to values.yaml" fix). */
interface Missing {
  value?: { path: string[]; file: string };
}

/** Go's execution error in plain words. */
function explainExec(e: ExecError, ctx: ExplainContext, templateName: string, missing: Missing): string {
  const text = ctx.parsed.get(e.fileName)?.text ?? '';
  const nodeText = text.slice(e.node.start, e.node.end).trim();
  const go = e.goMessage;
  const chain = /^(\$?[\w]*)((?:\.[\w]+)+)$/.exec(nodeText);
  let m: RegExpExecArray | null;
  if ((m = /^nil pointer evaluating interface \{\}\.(\w+)$/.exec(go)) || (m = /^can't evaluate field (\w+) in type interface \{\}$/.exec(go))) {
    if (chain && (chain[1] === '' || chain[1] === '$')) {
      const fields = chain[2].slice(1).split('.');
      if (fields[0] === 'Values' && (chain[1] === '$' || !insideScope(ctx, e))) {
        const path = fields.slice(1);
        const { values } = valuesScope(ctx, e.fileName);
        const v = valueAt(values, path);
        if (!v.found && v.missingAt !== undefined) {
          const unset = `.Values.${path.slice(0, v.missingAt + 1).join('.')}`;
          const file = valuesFileNames(ctx, e.fileName);
          missing.value = { path, file: file.split(', ')[0] };
          return `${nodeText} cannot be read: ${unset} is not set in the values in use (${file}), so ${m[1]} is read from nothing. Add ${path.slice(0, v.missingAt + 1).join('.')} to ${file.split(', ')[0]}, or guard the read with {{ if ${unset} }} or {{ with ${unset} }}.`;
        }
      }
      if (chain[1] === '' && insideScope(ctx, e)) {
        return `${nodeText} cannot be read here: inside range or with, "." is the current element, not the chart's root. Use $${nodeText} to reach the root (${go}).`;
      }
    }
    return `${nodeText || 'This value'} cannot be read: ${go}.`;
  }
  if ((m = /^can't evaluate field (\w+) in type (.+)$/.exec(go))) {
    if (chain && chain[1] === '' && insideScope(ctx, e)) {
      return `${nodeText} cannot be read here: inside range or with, "." is the current element (a ${m[2]}), not the chart's root. Use $${nodeText} to reach the root.`;
    }
    return `${m[2]} has no field ${m[1]} (${nodeText}).`;
  }
  if ((m = /^error calling include: template: no template "([^"]*)" associated with template/.exec(go)) || (m = /^no template "([^"]*)" associated/.exec(go))) {
    const best = closest(m[1], ctx.defines);
    return `No define named "${m[1]}" in this chart or its subcharts${best ? `: did you mean "${best}"?` : '.'}`;
  }
  if ((m = /^template: no template "([^"]*)" associated/.exec(go))) {
    const best = closest(m[1], ctx.defines);
    return `No define named "${m[1]}" in this chart or its subcharts${best ? `: did you mean "${best}"?` : '.'}`;
  }
  if ((m = /^error calling (\w+): (.*)$/s.exec(go))) {
    return `${m[1]} failed: ${m[2]}`;
  }
  if ((m = /^wrong type for value; expected (.+); got (.+)$/.exec(go))) {
    return `${nodeText ? nodeText + ': ' : ''}a ${m[1]} is expected here but the value is a ${m[2]}.`;
  }
  return `Rendering stops here: ${go}`;
}

function valuesFileNames(ctx: ExplainContext, templateName: string): string {
  const { chartDir } = valuesScope(ctx, templateName);
  return [`${chartDir}values.yaml`, ...(ctx.input.valueFiles ?? []).map((v) => v.path)].join(', ');
}

/** Whether an error's node sits inside a range or with block (where `.` is not the root). */
function insideScope(ctx: ExplainContext, e: ExecError): boolean {
  const p = ctx.parsed.get(e.fileName);
  if (!p) return false;
  let inside = false;
  const visit = (n: any): void => {
    if (!n || typeof n !== 'object' || inside) return;
    if ((n.type === 'range' || n.type === 'with') && n.start <= e.node.start && e.node.end <= n.end && n.list && n.list.start <= e.node.start && e.node.end <= n.list.end) inside = true;
    for (const k of ['nodes', 'list', 'elseList', 'body']) {
      const c = n[k];
      if (Array.isArray(c)) c.forEach(visit);
      else if (c) visit(c);
    }
  };
  visit(p.root);
  for (const d of p.defines) visit(d.body);
  return inside;
}

function closest(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function limitProblem(err: RenderError, ctx: ExplainContext, templateName: string): Problem[] {
  const e = err.execError;
  const own = e ? execChain(e).find((x) => x.fileName === templateName) : undefined;
  const at = own?.node ?? { start: 0, end: 0 };
  return [{ start: at.start, end: at.end, severity: 'information', code: 'helm-render-limit', message: `Not checked: rendering this chart in the editor stopped (${err.message}). helm template has no such bound; the rest of this template is not checked.` }];
}

/** A ChartError (values, dependencies, schema) placed where it can be acted on. */
function prepareProblems(e: ChartError, input: ChartCheckInput): Array<[string, Problem]> {
  const one = (path: string, code: string, message: string, severity: Problem['severity'] = 'error'): Array<[string, Problem]> => [[path, { start: 0, end: 0, severity, code, message }]];
  switch (e.stage) {
    case 'dependencies':
      // Chart.yaml's own checks say this on the dependency; templates stay quiet.
      return one('Chart.yaml', 'helm-dependencies', `Templates are not checked until the dependencies are in charts/ (run helm dependency build): ${e.message}`, 'information');
    case 'schema': {
      // One problem per schema error, on the value it is about (the last values file that sets it).
      const out: Array<[string, Problem]> = [];
      const root = input.files.find((f) => f.path === 'Chart.yaml') ? /^name:\s*["']?([^"'\s#]+)/m.exec(new TextDecoder().decode(input.files.find((f) => f.path === 'Chart.yaml')!.data))?.[1] : undefined;
      let chart = '';
      for (const line of e.message.split('\n')) {
        const c = /^([^\s-][^:]*):$/.exec(line);
        if (c) {
          chart = c[1];
          continue;
        }
        const m = /^- at '([^']*)': (.*)$/.exec(line);
        if (!m) continue;
        const ptr = m[1].split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
        const full = chart && chart !== root ? [chart, ...ptr] : ptr;
        const files: Array<{ path: string; text: string }> = [...(input.valueFiles ?? [])].reverse();
        const own = input.files.find((f) => f.path === 'values.yaml');
        if (own) files.push({ path: 'values.yaml', text: new TextDecoder().decode(own.data) });
        let placed = false;
        for (const f of files) {
          const at = ptr.length ? locateValue(f.text, full) : undefined;
          if (!at) continue;
          out.push([f.path, { start: at.valueStart, end: at.valueEnd, severity: 'error', code: 'helm-values-schema', message: `${m[2]} (values.schema.json${chart ? ` of ${chart}` : ''}: helm install refuses these values)` }]);
          placed = true;
          break;
        }
        if (!placed) out.push(['values.yaml', { start: 0, end: 0, severity: 'error', code: 'helm-values-schema', message: `${m[1] || 'The values'}: ${m[2]} (values.schema.json${chart ? ` of ${chart}` : ''}: helm install refuses these values)` }]);
      }
      return out.length ? out : one('values.yaml', 'helm-values-schema', e.message.replace(/\n+$/, ''));
    }
    case 'values': {
      const m = /^failed to parse ([^:]+): (.*)$/s.exec(e.message);
      if (m) return one(m[1], 'helm-values-parse', `Helm cannot read this values file: ${m[2]}`);
      return one('values.yaml', 'helm-values', e.message);
    }
    case 'load':
      return one('Chart.yaml', 'helm-chart-load', `Helm cannot load this chart: ${e.message}`);
    default:
      void input;
      return one('Chart.yaml', 'helm-chart', e.message, 'warning');
  }
}

/** A YAML syntax problem of the rendered text, with the rendered lines around it. */
function renderedSyntaxMessage(p: Problem, file: ManifestFile): string {
  const lines = file.lines as LineIndex;
  const at = lines.positionAt(p.start).line;
  const from = Math.max(0, at - 2);
  const to = Math.min(lines.lineCount - 1, at + 1);
  let shown = '';
  for (let l = from; l <= to; l++) shown += `\n${String(l + 1).padStart(4)} | ${lines.lineText(l)}`;
  return `Once rendered, this template is not valid YAML: ${p.message.replace(/^YAML syntax: /, '')} The rendered lines:${shown}\n(Check the indentation of included blocks: nindent instead of indent, or toYaml at the right depth.)`;
}
