/**
 * Plain-manifest features on a chart, through the source map: every rendered manifest of a chart
 * as one manifest (its documents in template order), and from it
 * - the facts of the objects the chart renders, placed at the template's offsets (the literal text
 *   they were copied from, else the action that printed them), for the workspace index;
 * - the Secret base64 actions, where the Secret's text is literal in the template (the edits apply
 *   to the template text; nothing is offered where a value comes from an action);
 * - the blue/green traffic lens on a Service a template renders: the switch edits the template
 *   when the colour is literal, or the value in the values file in use when an action prints
 *   `.Values.<path>`.
 *
 * Pure: a ChartCheckResult and the texts of the chart's files come in; offsets go out.
 */
import type { Segment } from '../../helm/exec';
import { ManifestFile, nodeAtPath, objectAt } from '../../model/manifest';
import { OffsetEdit, Settings } from '../../types';
import type { SchemaStore } from '../../schema/schemaStore';
import { extractFacts, ObjectFacts, unitOf } from '../../workspace/index';
import { Color, switchTraffic, trafficLenses } from '../actions/blueGreen';
import { secretActions } from '../actions/secrets';
import type { CodeActionEntry } from '../actions/edit';
import { ChartCheckResult, mapToTemplate, segmentBefore } from './chartCheck';
import { locateValue } from './valuesLocate';

/** One template's rendered text inside the chart's manifest. */
export interface RenderedPart {
  /** Chart-relative path of the template. */
  path: string;
  /** The template's name (ParseName: `web/templates/deployment.yaml`), as segments name files. */
  name: string;
  /** Offset of its text in the manifest. */
  base: number;
  length: number;
  segs: Segment[];
}

export interface ChartManifest {
  file: ManifestFile;
  parts: RenderedPart[];
}

type Parse = (uri: string, text: string, previous?: ManifestFile) => ManifestFile;

const manifests = new WeakMap<ChartCheckResult, ChartManifest>();
/** The last manifest per chart, so that a re-render re-parses only the documents that changed. */
const previousOf = new Map<string, ManifestFile>();

/** The rendered manifests of a chart as one file (cached per check result). */
export function chartManifest(result: ChartCheckResult, chartKey: string, parse: Parse): ChartManifest {
  const cached = manifests.get(result);
  if (cached) return cached;
  const parts: RenderedPart[] = [];
  let text = '';
  const paths = [...result.rendered.keys()].filter((p) => /\.(ya?ml|json)$/i.test(p) && !/(^|\/)NOTES\.txt$/.test(p)).sort();
  for (const path of paths) {
    const r = result.rendered.get(path)!;
    const name = result.parsed.get(path)?.name;
    if (!name || !r.segments || !r.output.trim()) continue;
    if (text) text += (text.endsWith('\n') ? '' : '\n') + '---\n';
    parts.push({ path, name, base: text.length, length: r.output.length, segs: r.segments });
    text += r.output;
  }
  const uri = `helm-chart:${encodeURIComponent(chartKey)}`;
  const file = parse(uri, text, previousOf.get(uri));
  previousOf.set(uri, file);
  if (previousOf.size > 64) previousOf.delete(previousOf.keys().next().value!);
  const m = { file, parts };
  manifests.set(result, m);
  return m;
}

/** The part a manifest offset belongs to. */
export function partAt(m: ChartManifest, offset: number): RenderedPart | undefined {
  return m.parts.find((p) => offset >= p.base && offset <= p.base + p.length);
}

const isLiteral = (s: Segment, name: string): boolean => s.kind === 'text' && s.file === name && s.stack.length === 0;

/** The template span a rendered span (part-local offsets) was copied from, when it is literal text of the template itself. */
export function literalSpan(part: RenderedPart, start: number, end: number): [number, number] | undefined {
  for (let i = segmentBefore(part.segs, start); i >= 0 && part.segs[i].outEnd >= start; i--) {
    const s = part.segs[i];
    if (isLiteral(s, part.name) && s.outStart <= start && end <= s.outEnd) return [s.srcStart + start - s.outStart, s.srcStart + end - s.outStart];
  }
  return undefined;
}

/** The manifest offset that a template offset in literal text was copied to. */
export function manifestOffset(m: ChartManifest, path: string, offset: number): number | undefined {
  const part = m.parts.find((p) => p.path === path);
  if (!part) return undefined;
  for (const s of part.segs) if (isLiteral(s, part.name) && s.srcStart <= offset && offset <= s.srcEnd) return part.base + s.outStart + (offset - s.srcStart);
  return undefined;
}

/** A rendered span (part-local) on the template: exact when literal, else the action (or the include call) that printed it. */
function templateSpan(part: RenderedPart, start: number, end: number): [number, number] | undefined {
  const exact = literalSpan(part, start, end);
  if (exact) return exact;
  const m = mapToTemplate({ start, end }, part.segs, part.name);
  return m ? [m.start, m.end] : undefined;
}

// ------------------------------------------------------------------ workspace facts

/**
 * The facts of the objects a chart renders, by template (chart-relative path), with the
 * template's uri and offsets. A namespace printed by an action (`{{ .Release.Namespace }}`) is
 * decided at install time: it does not count as written down.
 */
export function renderedObjectFacts(m: ChartManifest, uriOf: (path: string) => string): Map<string, ObjectFacts[]> {
  const out = new Map<string, ObjectFacts[]>();
  for (const p of m.parts) out.set(p.path, []);
  for (const o of extractFacts(m.file).objects) {
    const part = partAt(m, o.span[0]);
    if (!part) continue;
    const uri = uriOf(part.path);
    const fallback = templateSpan(part, o.span[0] - part.base, o.span[0] - part.base) ?? [0, 0];
    const mapped = mapSpans(o, (s) => templateSpan(part, s[0] - part.base, s[1] - part.base) ?? fallback);
    mapped.uri = uri;
    mapped.unit = unitOf(uri);
    mapped.templated = false;
    if (mapped.explicitNamespace && !namespaceIsLiteral(m, part, o)) {
      mapped.explicitNamespace = false;
      for (const r of mapped.refs) r.explicitNamespace = false;
    }
    out.get(part.path)!.push(mapped);
  }
  return out;
}

function namespaceIsLiteral(m: ChartManifest, part: RenderedPart, o: ObjectFacts): boolean {
  const obj = objectAt(m.file, o.span[0]);
  const ns = obj && nodeAtPath(obj.node, ['metadata', 'namespace']);
  const r = ns?.range;
  if (!obj || !r) return true;
  const start = obj.section.start + r[0] - part.base;
  return literalSpan(part, start, obj.section.start + r[1] - part.base) !== undefined || literalSpan(part, start, start + 1) !== undefined;
}

/** A copy of facts with every span (`span`, `...Span`) replaced by `map(span)`. */
function mapSpans<T>(value: T, map: (s: [number, number]) => [number, number]): T {
  if (Array.isArray(value)) return value.map((v) => mapSpans(v, map)) as unknown as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if ((k === 'span' || k.endsWith('Span')) && Array.isArray(v) && v.length === 2 && typeof v[0] === 'number') out[k] = map(v as [number, number]);
    else if (k === 'crd' || k === 'rules' || k === 'aggregationSelectors') out[k] = v;
    else out[k] = typeof v === 'object' && v !== null ? mapSpans(v, map) : v;
  }
  return out as T;
}

// ------------------------------------------------------------------ Secret actions

/** Secret base64 actions at a template range, with edits on the template text (only where the Secret's text is literal there). */
export function templateSecretActions(m: ChartManifest, path: string, range: { start: number; end: number }, settings: Settings, store: SchemaStore): CodeActionEntry[] {
  const start = manifestOffset(m, path, range.start);
  const end = manifestOffset(m, path, range.end);
  if (start === undefined || end === undefined) return [];
  const part = partAt(m, start)!;
  const out: CodeActionEntry[] = [];
  for (const a of secretActions({ file: m.file, start, end, problems: [], settings, store })) {
    const edits: OffsetEdit[] = [];
    for (const e of a.edits) {
      const s = e.start - part.base >= 0 && e.end - part.base <= part.length ? literalSpan(part, e.start - part.base, e.end - part.base) : undefined;
      if (!s) break;
      edits.push({ start: s[0], end: s[1], newText: e.newText });
    }
    // Every edit on literal text of this template, or the action is not offered.
    if (edits.length === a.edits.length && edits.length) out.push({ ...a, edits, carriesSecret: true });
  }
  return out;
}

// ------------------------------------------------------------------ blue/green

export interface TemplateLens {
  start: number;
  end: number;
  title: string;
  /** The switch (the command's arguments: the template offset of the Service's selector key and the colour). */
  switchTo?: Color;
  at: number;
}

/** An edit of a chart file: the template (literal colour) or a values file (the value an action prints). */
export interface ChartFileEdit {
  /** Chart-relative path of the file to edit. */
  path: string;
  edits: OffsetEdit[];
}

/** Traffic lenses on the Services a template renders; the Deployments of the pair may come from any template of the chart. */
export function templateTrafficLenses(m: ChartManifest, path: string, valueFiles: ValuesText[], textOf: (path: string) => string | undefined): TemplateLens[] {
  const part = m.parts.find((p) => p.path === path);
  if (!part) return [];
  const out: TemplateLens[] = [];
  for (const l of trafficLenses(m.file)) {
    if (l.start < part.base || l.end > part.base + part.length) continue;
    const span = templateSpan(part, l.start - part.base, l.end - part.base);
    if (!span) continue;
    const literal = literalSpan(part, l.start - part.base, l.end - part.base);
    const canSwitch = literal && l.switchTo ? templateTrafficSwitch(m, path, literal[0], l.switchTo, valueFiles, textOf) : undefined;
    const how = canSwitch && canSwitch.path !== path ? ` (sets it in ${canSwitch.path})` : '';
    if (canSwitch) out.push({ start: span[0], end: span[1], title: l.title.replace(' · now', `${how} · now`), switchTo: l.switchTo, at: literal![0] });
    else if (l.switchTo) out.push({ start: span[0], end: span[1], title: `Now ${l.title.split(' · now ')[1]} (the colour is computed here, not literal text or a value of a values file: switch it where it is set)`, at: span[0] });
    else out.push({ start: span[0], end: span[1], title: l.title, at: span[0] });
  }
  return out;
}

/** A values file in use: chart-relative path and text. */
export interface ValuesText {
  path: string;
  text: string;
}

/**
 * The edit that switches the Service whose selector key is at template offset `at` to `to`: in the
 * template when the colour is its literal text, in the values file in use that sets the value when
 * an action of the template prints `.Values.<path>` (the last of the files in use, else values.yaml).
 */
export function templateTrafficSwitch(m: ChartManifest, path: string, at: number, to: Color | undefined, valueFiles: ValuesText[], textOf: (path: string) => string | undefined): ChartFileEdit | undefined {
  const offset = manifestOffset(m, path, at);
  if (offset === undefined) return undefined;
  const part = partAt(m, offset)!;
  const edits = switchTraffic(m.file, offset, to);
  if (!edits || edits.length !== 1) return edits && !edits.length ? { path, edits: [] } : undefined;
  const e = edits[0];
  const s = e.start - part.base;
  const lit = literalSpan(part, s, e.end - part.base);
  if (lit) return { path, edits: [{ start: lit[0], end: lit[1], newText: e.newText }] };
  // Printed by an action of the template itself (not inside a define) that reads .Values.<path>.
  const i = segmentBefore(part.segs, s);
  const seg = part.segs[i];
  if (!seg || seg.kind !== 'action' || seg.file !== part.name || seg.stack.length || !seg.valuePath?.length || seg.outEnd < e.end - part.base) return undefined;
  // A subchart's template reads its own values: only the root chart's templates are switched here.
  if (!/^templates\//.test(path)) return undefined;
  const files: ValuesText[] = [...valueFiles].reverse();
  const own = textOf('values.yaml');
  if (own !== undefined) files.push({ path: 'values.yaml', text: own });
  for (const f of files) {
    const loc = locateValue(f.text, seg.valuePath);
    if (!loc) continue;
    const old = f.text.slice(loc.valueStart, loc.valueEnd);
    const current = old.replace(/^(["'])(.*)\1$/, '$2');
    if (current !== 'blue' && current !== 'green') return undefined;
    const q = /^["']/.test(old) ? old[0] : '';
    return { path: f.path, edits: [{ start: loc.valueStart, end: loc.valueEnd, newText: `${q}${e.newText}${q}` }] };
  }
  return undefined;
}
