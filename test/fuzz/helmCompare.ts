/**
 * Runs generated cases through the Go reference (`helm-ref bare`, one process for a whole batch)
 * and through our engine's renderBare, compares the results exactly, shrinks mismatching cases,
 * and formats them for people. Shared by test/unit/helm/generated.test.ts and `npm run fuzz:helm`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderBare } from '../../server/src/helm/index';
import type { GenCase, GenTemplate } from './helmGen';

export interface BareResult {
  output?: string;
  error?: string;
}

/** The reference binary: $HELM_REF, else out/helm-ref/helm-ref under the project root. */
export function referenceBinary(root = process.env.KUBE_MANIFESTS_ROOT ?? process.cwd()): string {
  return process.env.HELM_REF ?? path.join(root, 'out', 'helm-ref', 'helm-ref');
}

export function haveReference(bin = referenceBinary()): boolean {
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The environment the reference runs in: UTC, so date functions agree with our default zone. */
export function referenceEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TZ: 'UTC' };
}

type BareInput = Pick<GenCase, 'templates' | 'entry' | 'values'>;

/** Renders cases with the reference, in one process. */
export function referenceBare(cases: BareInput[], bin = referenceBinary()): BareResult[] {
  if (cases.length === 0) return [];
  const input = JSON.stringify(cases.map((c) => ({ templates: c.templates, entry: c.entry, values: c.values })));
  const r = spawnSync(bin, ['bare'], { input, env: referenceEnv(), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`helm-ref bare failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as BareResult[];
}

/** Renders a case with our engine; a thrown exception becomes an error starting "JS EXCEPTION". */
export function ourBare(c: BareInput): BareResult {
  try {
    const r = renderBare(c.templates, c.entry, structuredClone(c.values), { deterministic: true });
    return r.error !== undefined ? { error: r.error } : { output: r.output ?? '' };
  } catch (e) {
    return { error: `JS EXCEPTION: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
  }
}

export function sameResult(a: BareResult, b: BareResult): boolean {
  if (knownDifference(a, b)) return true;
  return a.error === b.error && (a.error !== undefined || a.output === b.output);
}

/**
 * Differences on purpose (docs/helm-differences.md): the reference's Go 1.19 cannot range over an
 * integer, which the Go that Helm is built with (1.22+) can; we follow Helm.
 */
export function knownDifference(ours: BareResult, ref: BareResult): boolean {
  return ref.error !== undefined && /range can't iterate over -?\d+$/.test(ref.error) && !/range can't iterate over/.test(ours.error ?? '');
}

/** What kind of disagreement: both rendered / both failed / only one failed / we crashed. */
export function mismatchKind(ours: BareResult, ref: BareResult): string {
  if (ours.error?.startsWith('JS EXCEPTION')) return 'js-exception';
  if (ours.error === undefined && ref.error === undefined) return 'output-differs';
  if (ours.error !== undefined && ref.error !== undefined) return 'error-differs';
  return ours.error !== undefined ? 'js-error-go-output' : 'go-error-js-output';
}

export interface Mismatch {
  index: number;
  case: GenCase;
  ours: BareResult;
  ref: BareResult;
}

/** Compares a batch; returns the mismatches. */
export function compareBatch(cases: GenCase[], startIndex = 0): { mismatches: Mismatch[]; ref: BareResult[] } {
  const ref = referenceBare(cases);
  const mismatches: Mismatch[] = [];
  cases.forEach((c, i) => {
    const ours = ourBare(c);
    if (!sameResult(ours, ref[i])) mismatches.push({ index: startIndex + i, case: c, ours, ref: ref[i] });
  });
  return { mismatches, ref };
}

/** Splits template text into text runs and `{{...}}` actions (approximately: for shrinking only). */
function segments(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open === -1) {
      out.push(text.slice(i));
      break;
    }
    if (open > i) out.push(text.slice(i, open));
    const close = text.indexOf('}}', open + 2);
    const end = close === -1 ? text.length : close + 2;
    out.push(text.slice(open, end));
    i = end;
  }
  return out;
}

function withoutKey(values: Record<string, unknown>, pathKeys: string[]): Record<string, unknown> {
  const copy = structuredClone(values);
  let cur: Record<string, unknown> = copy;
  for (let i = 0; i < pathKeys.length - 1; i++) cur = cur[pathKeys[i]] as Record<string, unknown>;
  delete cur[pathKeys[pathKeys.length - 1]];
  return copy;
}

function keyPaths(v: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const k of Object.keys(v)) {
      out.push([...prefix, k]);
      keyPaths((v as Record<string, unknown>)[k], [...prefix, k], out);
    }
  }
  return out;
}

/**
 * Shrinks a mismatching case: drops templates, runs of segments of each template and values keys
 * while the engines still disagree. Each round checks all candidates with one reference process.
 */
export function shrink(c: GenCase, maxRounds = 40): GenCase {
  let best = c;
  for (let round = 0; round < maxRounds; round++) {
    const candidates: GenCase[] = [];
    const t = best.templates;
    for (let i = 0; i < t.length; i++) {
      if (t[i].name === best.entry) continue;
      candidates.push({ ...best, templates: t.filter((_, j) => j !== i) });
    }
    t.forEach((tpl, ti) => {
      const segs = segments(tpl.text);
      for (let size = Math.max(1, segs.length >> 1); size >= 1; size >>= 1) {
        for (let start = 0; start + size <= segs.length; start += size) {
          const text = [...segs.slice(0, start), ...segs.slice(start + size)].join('');
          const templates: GenTemplate[] = t.map((x, j) => (j === ti ? { ...x, text } : x));
          candidates.push({ ...best, templates });
        }
        if (size === 1) break;
      }
    });
    for (const p of keyPaths(best.values)) candidates.push({ ...best, values: withoutKey(best.values, p) });
    if (candidates.length === 0) break;
    let ref: BareResult[];
    try {
      ref = referenceBare(candidates);
    } catch {
      break;
    }
    const next = candidates.findIndex((cand, i) => !sameResult(ourBare(cand), ref[i]));
    if (next === -1) break;
    best = candidates[next];
  }
  return best;
}

function show(r: BareResult): string {
  return r.error !== undefined ? `error: ${JSON.stringify(r.error)}` : `output: ${JSON.stringify(r.output)}`;
}

/** A mismatch as people read it: the templates, the values and both results. */
export function formatMismatch(m: Pick<Mismatch, 'case' | 'ours' | 'ref'> & { index?: number }): string {
  const lines: string[] = [];
  lines.push(`case ${m.index ?? '?'} (${mismatchKind(m.ours, m.ref)}), entry ${m.case.entry}`);
  for (const t of m.case.templates) lines.push(`  template ${t.name}: ${JSON.stringify(t.text)}`);
  lines.push(`  values: ${JSON.stringify(m.case.values)}`);
  lines.push(`  go:   ${show(m.ref)}`);
  lines.push(`  ours: ${show(m.ours)}`);
  return lines.join('\n');
}

/** A mismatch with its case shrunk (both results recomputed on the shrunk case). */
export function shrinkMismatch(m: Mismatch): Mismatch {
  const small = shrink(m.case);
  if (small === m.case) return m;
  const [ref] = referenceBare([small]);
  return { index: m.index, case: small, ours: ourBare(small), ref };
}
