/**
 * Diagnostics of a file: syntax problems, then every rule family on every
 * Kubernetes object, then severities from the settings and suppressions.
 *
 * Results are cached per `---` section (keyed by its parsed document, which is
 * shared while the section's text is unchanged), so an edit re-checks only the
 * sections it touched.
 */
import { isMap, isScalar, ManifestFile, ManifestObject, Node, nodeRange, Section } from '../model/manifest';
import { explainSyntaxProblem } from '../model/syntaxMessages';
import { crossSectionFingerprint, RuleContext } from '../rules/engine';
import { RULE_FAMILIES, ruleMeta } from '../rules/index';
import { withoutConsequences } from '../rules/consequences';
import { SchemaStore } from '../schema/schemaStore';
import { Problem, Settings } from '../types';
import { timed, timedRest } from '../timings';

/** Called when a rule family throws: the rest of the results still come back. */
export type ErrorSink = (family: string, uri: string, error: unknown) => void;

interface CacheEntry {
  key: string;
  /** Problems with offsets relative to the section start. */
  problems: Problem[];
}

export class Validator {
  private cache = new WeakMap<object, CacheEntry>();
  constructor(
    private readonly store: SchemaStore,
    private readonly onError: ErrorSink = () => undefined,
  ) {}

  /** True when the file holds at least one Kubernetes object (or something meant to be one). */
  static isManifest(file: ManifestFile): boolean {
    return file.sections.some((s) => s.objects.some((o) => o.kind !== undefined && o.apiVersion !== undefined) || s.looksLikeObject);
  }

  validate(file: ManifestFile, settings: Settings): Problem[] {
    return timedRest('check: sections from the cache, sorting', () => this.validateFile(file, settings));
  }

  private validateFile(file: ManifestFile, settings: Settings): Problem[] {
    if (file.disabled || !Validator.isManifest(file)) return [];
    // Rules may relate objects across sections (a Service selecting a Deployment): cached
    // problems stay valid while what they read from other sections is unchanged.
    // The fingerprint can be megabytes in a big file: compare a hash of it, or every section's cache check costs O(file).
    const fingerprint = timed('check: cross-section fingerprint', () => hashOf(crossSectionFingerprint(file)));
    const settingsKey = `${file.helm}|${JSON.stringify(settings)}|${fingerprint}`;
    const out: Problem[] = [];
    for (const section of file.sections) {
      // Syntax messages name line numbers: a section with syntax problems is re-checked when it moves to another line.
      const key = section.problems.length ? `${file.lines.positionAt(section.start).line}|${settingsKey}` : settingsKey;
      let entry = this.cache.get(section.doc);
      if (!entry || entry.key !== key) {
        entry = { key, problems: timed('check: rules of the changed sections', () => this.validateSection(file, section, settings).map((p) => shift(p, -section.start))) };
        this.cache.set(section.doc, entry);
      }
      for (const p of entry.problems) out.push(shift(p, section.start));
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  private validateSection(file: ManifestFile, section: Section, settings: Settings): Problem[] {
    const raw: Problem[] = [];
    // Helm templates: a template expression can make any line look broken; stay quiet until Helm support exists.
    const quiet = section.templated || (file.helm && (section.problems.length > 0 || section.text.includes('{{')));
    if (!quiet) {
      const seen = new Set<string>();
      for (const p of section.problems) {
        const e = explainSyntaxProblem(p, file.lines);
        const line = file.lines.positionAt(e.start).line;
        if (seen.has(`${line}:${e.code}`)) continue; // one syntax problem per line is enough
        seen.add(`${line}:${e.code}`);
        raw.push({ ...e, severity: 'error' });
      }
      // Problems inside a syntax error's lines are its echoes (the parser guessed the structure): drop them.
      const broken = section.problems.map((p) => [file.lines.lineStarts[file.lines.positionAt(p.start).line], file.lines.lineEnd(file.lines.positionAt(p.end).line)]);
      for (const obj of section.objects) {
        for (const p of this.checkObject(file, obj, settings)) {
          if (!broken.some(([s, e]) => p.start >= s && p.start <= e)) raw.push(p);
        }
      }
    }
    return applySettingsAndSuppressions(file, section, raw, settings);
  }

  private checkObject(file: ManifestFile, obj: ManifestObject, settings: Settings): Problem[] {
    const ctx = new RuleContext(file, obj, this.store, settings);
    for (const family of RULE_FAMILIES) {
      try {
        family.check(ctx);
      } catch (e) {
        this.onError(family.name, file.uri, e);
      }
    }
    // A misspelled or misplaced key is one problem: drop what only follows from the field being absent.
    return withoutConsequences(ctx);
  }
}

const hashes = new Map<string, string>();

/** A 53-bit hash of a string (cyrb53), memoized for the last few strings. */
function hashOf(text: string): string {
  const memo = hashes.get(text);
  if (memo !== undefined) return memo;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const h = `${text.length.toString(36)}.${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
  if (hashes.size > 8) hashes.clear();
  hashes.set(text, h);
  return h;
}

function shift(p: Problem, delta: number): Problem {
  return delta === 0 ? p : { ...p, start: p.start + delta, end: p.end + delta };
}

const IGNORE_COMMENT = /#\s*kube-manifests-ignore\s+([A-Za-z0-9_,\s-]+)/;
const IGNORE_ANNOTATION = 'kube-manifests.io/ignore';
const KUBE_LINTER_PREFIX = 'ignore-check.kube-linter.io/';

interface Suppression {
  ids: Set<string>;
  /** Range the suppression covers. */
  start: number;
  end: number;
  /** Where it is written (for the unused-suppression hint). */
  at: [number, number];
  used: Set<string>;
  kind: 'comment' | 'annotation';
}

/** Applies rule severities from settings, drops suppressed problems, and hints at suppressions that match nothing. */
function applySettingsAndSuppressions(file: ManifestFile, section: Section, raw: Problem[], settings: Settings): Problem[] {
  const sups = collectSuppressions(file, section);
  const out: Problem[] = [];
  for (const p of raw) {
    const meta = ruleMeta(p.code);
    const configured = settings.rules[p.code];
    if (configured === 'off') continue;
    let suppressed = false;
    for (const s of sups) {
      if (p.start < s.start || p.start > s.end) continue;
      const hit = s.ids.has(p.code) || s.ids.has('all') || (meta?.kubeLinter ?? []).some((c) => s.ids.has(`kube-linter:${c}`));
      if (hit) {
        suppressed = true;
        s.used.add(p.code);
      }
    }
    if (suppressed) continue;
    const severity = configured ?? p.severity;
    const clean: Problem = { start: p.start, end: p.end, severity, code: p.code, message: p.message };
    if (p.data) clean.data = p.data;
    if (p.unnecessary) clean.unnecessary = p.unnecessary;
    out.push(clean);
  }
  if (settings.rules['unused-suppression'] !== 'off') {
    for (const s of sups) {
      if (s.used.size > 0) continue;
      const ids = [...s.ids].filter((i) => !i.startsWith('kube-linter:'));
      if (!ids.length) continue; // kube-linter annotations may be there for kube-linter itself
      out.push({
        start: s.at[0],
        end: s.at[1],
        severity: settings.rules['unused-suppression'] ?? 'hint',
        code: 'unused-suppression',
        message: `This suppression of ${ids.join(', ')} matches no problem here any more; remove it so it does not hide a future one.`,
        unnecessary: true,
      });
    }
  }
  return out;
}

function collectSuppressions(file: ManifestFile, section: Section): Suppression[] {
  const sups: Suppression[] = [];
  if (!section.text.includes('kube-manifests') && !section.text.includes(KUBE_LINTER_PREFIX)) return sups;
  // Comments: `# kube-manifests-ignore rule-id` covers the next content line.
  const lines = file.lines;
  const first = lines.positionAt(section.start).line;
  const last = lines.positionAt(section.end).line;
  for (let l = first; l <= last && l < lines.lineCount; l++) {
    const text = lines.lineText(l);
    const m = IGNORE_COMMENT.exec(text);
    if (!m) continue;
    const ids = new Set(m[1].split(/[\s,]+/).filter(Boolean));
    const commentOnly = /^\s*#/.test(text);
    let target = l;
    if (commentOnly) {
      target = l + 1;
      while (target < lines.lineCount && /^\s*(#.*)?$/.test(lines.lineText(target))) target++;
    }
    if (target >= lines.lineCount) continue;
    const at0 = lines.lineStarts[l] + text.indexOf('#');
    sups.push({ ids, start: lines.lineStarts[target], end: lines.lineEnd(target), at: [at0, lines.lineEnd(l)], used: new Set(), kind: 'comment' });
  }
  // Annotations on objects and on pod templates: cover the object (or template).
  for (const obj of section.objects) {
    addAnnotationSuppressions(section, obj.node, sups);
    const spec = obj.node.get('spec', true);
    const templates: unknown[] = [];
    if (isMap(spec)) {
      templates.push(spec.get('template', true));
      const jt = spec.get('jobTemplate', true);
      if (isMap(jt)) {
        templates.push(jt);
        const js = jt.get('spec', true);
        if (isMap(js)) templates.push(js.get('template', true));
      }
    }
    for (const t of templates) if (isMap(t)) addAnnotationSuppressions(section, t, sups);
  }
  return sups;
}

function addAnnotationSuppressions(section: Section, holder: Node, sups: Suppression[]): void {
  if (!isMap(holder)) return;
  const meta = holder.get('metadata', true);
  if (!isMap(meta)) return;
  const ann = meta.get('annotations', true);
  if (!isMap(ann)) return;
  const range = nodeRange(section, holder);
  if (!range) return;
  for (const pair of ann.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const at = nodeRange(section, pair) ?? range;
    if (key === IGNORE_ANNOTATION && isScalar(pair.value)) {
      const ids = new Set(String(pair.value.value ?? '').split(/[\s,]+/).filter(Boolean));
      sups.push({ ids, start: range[0], end: range[1], at, used: new Set(), kind: 'annotation' });
    } else if (key.startsWith(KUBE_LINTER_PREFIX)) {
      sups.push({ ids: new Set([`kube-linter:${key.slice(KUBE_LINTER_PREFIX.length)}`]), start: range[0], end: range[1], at, used: new Set(), kind: 'annotation' });
    }
  }
}
