/**
 * `npm run fuzz`: mutates real manifests the way typing does and worse, drives
 * every feature of the language service at random offsets, and reports
 * exceptions (thrown, or caught and reported through `onError`), results that
 * are not valid LSP values, incremental parses that disagree with a fresh
 * parse, and requests slower than the budget.
 *
 *   npm run fuzz -- [--mutants 100000] [--seed 1] [--offsets 3] [--ci] [--slow-ms 200] [--out out/fuzz]
 *
 * Failures are minimized and written to <out>/failures/ (the smallest input,
 * the feature and the offset), ready to become regression tests in
 * test/unit/regressions.test.ts. `--ci` exits 1 on any exception or invalid
 * result (slow requests are printed, never fatal: machines are noisy).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createLanguageService } from '../../server/src/languageService';
import type { ManifestFile } from '../../server/src/model/manifest';
import { nodeSchemaReader } from '../../server/src/node/schemaFiles';
import { normalizeSettings, Problem, Settings } from '../../server/src/types';
import { CallInput, discover, DrivenMethod, pickOffsets } from './driver';
import { mutate, MutationContext } from './mutators';
import { Rng } from './prng';
import { applyEdits, checkFeature, checkGeneric, snippetText } from './validity';

// ------------------------------------------------------------------ options
function flag(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}
const has = (name: string): boolean => process.argv.slice(2).includes(`--${name}`);
const ROOT = process.env.KUBE_MANIFESTS_ROOT ?? process.cwd();
const MUTANTS = Number(flag('mutants') ?? 100_000);
const SEED = flag('seed') ?? String(Date.now() % 1_000_000);
const OFFSETS = Number(flag('offsets') ?? 3);
const SLOW_MS = Number(flag('slow-ms') ?? 200);
const CI = has('ci');
const OUT = path.resolve(ROOT, flag('out') ?? 'out/fuzz');
const MINIMIZE = !has('no-minimize');
const QUIET = has('quiet');

// ------------------------------------------------------------------ corpus
function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, String(f));
    if (/\.ya?ml$/i.test(p) && !p.includes('node_modules') && fs.statSync(p).isFile()) out.push(p);
  }
  return out.sort();
}

/** Inline YAML fixtures from the unit tests: template literals that look like manifests. */
function testFixtures(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    if (!f.endsWith('.ts')) continue;
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/`([^`]*)`/g)) {
      const body = m[1];
      if (body.includes('${') || !/\b(apiVersion|kind)\s*:/.test(body) || body.length < 20) continue;
      out.push(dedent(body.replace(/\\n/g, '\n').replace(/\\\\/g, '\\').replace(/\$0/g, '')));
    }
  }
  return out;
}

function dedent(text: string): string {
  const t = text.replace(/^\n/, '');
  const lines = t.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(min)).join('\n');
}

function loadCorpus(): { texts: string[]; sources: string[] } {
  const files = [
    ...yamlFiles(path.join(ROOT, 'examples')),
    ...yamlFiles(path.join(ROOT, 'test')),
    ...yamlFiles(path.join(ROOT, '..', 'shared', 'corpus')),
  ];
  const texts: string[] = [];
  const sources: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const t = fs.readFileSync(f, 'utf8');
    if (seen.has(t) || t.length > 200_000) continue;
    seen.add(t);
    texts.push(t);
    sources.push(path.relative(ROOT, f));
  }
  for (const t of testFixtures(path.join(ROOT, 'test', 'unit'))) {
    if (seen.has(t)) continue;
    seen.add(t);
    texts.push(t);
    sources.push('test/unit fixture');
  }
  return { texts, sources };
}

// ------------------------------------------------------------------ service
interface Failure {
  kind: 'exception' | 'onError' | 'invalid' | 'incremental';
  feature: string;
  detail: string;
  text: string;
  offset: number;
  start: number;
  end: number;
  settings: Settings;
  mutant: number;
  applied: string[];
  /** The previous text when the failure needs an incremental parse. */
  previous?: string;
  index?: boolean;
}

let caught: Array<{ feature: string; error: unknown }> = [];
const ls = createLanguageService({
  readSchema: nodeSchemaReader(path.join(ROOT, 'schemas')),
  onError: (feature, _uri, error) => caught.push({ feature, error }),
});
const { methods, notDriven } = discover(ls);
/** Texts of the corpus files indexed in the workspace, by uri (definitions may point into them). */
const docs = new Map<string, string>();

/** Indexes the corpus as a workspace, so definition, references, rename and cross-file checks have something to find. */
function indexCorpus(texts: string[]): void {
  if (typeof (ls as { workspace?: { setFile?: unknown } }).workspace?.setFile !== 'function') return;
  ls.workspace.enabled = true;
  texts.forEach((t, i) => {
    const uri = `file:///corpus/${i}.yaml`;
    try {
      ls.workspace.setFile(ls.parse(uri, t));
      docs.set(uri, t);
    } catch (e) {
      console.log(`fuzz: indexing corpus file ${i} threw: ${firstLine(e)}`);
    }
  });
}

const SETTINGS_VARIANTS: Settings[] = [
  normalizeSettings({}),
  normalizeSettings({ secrets: { revealOnHover: false } }),
  normalizeSettings({ kubernetesVersion: '1.16' }),
  normalizeSettings({ kubernetesVersion: '1.99', rules: { 'unknown-field': 'off', 'unused-suppression': 'warning' } }),
  normalizeSettings({ references: { severity: 'off' }, rules: { 'syntax-error': 'hint' } }),
];

function firstLine(e: unknown): string {
  if (e instanceof Error) {
    const frame = (e.stack ?? '').split('\n').find((l) => /^\s+at /.test(l))?.trim() ?? '';
    return `${e.name}: ${e.message.split('\n')[0].slice(0, 160)} ${frame}`;
  }
  return String(e).slice(0, 160);
}

/** A signature that groups failures of one cause (numbers and quoted bits blanked). */
function signature(f: Pick<Failure, 'kind' | 'feature' | 'detail'>): string {
  return `${f.kind}|${f.feature}|${f.detail.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').replace(/\(.*?:N:N\)/g, '')}`;
}

interface Timing {
  feature: string;
  ms: number;
  mutant: number;
  length: number;
  lines: number;
  applied: string[];
  text: string;
}

const stats = {
  mutants: 0,
  calls: new Map<string, number>(),
  time: new Map<string, number>(),
  slow: [] as Timing[],
  slowCount: 0,
  failures: new Map<string, { count: number; first: Failure }>(),
  mutators: new Map<string, number>(),
};

function timed<T>(feature: string, mutant: number, text: string, applied: string[], fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const ms = performance.now() - t0;
    stats.calls.set(feature, (stats.calls.get(feature) ?? 0) + 1);
    stats.time.set(feature, (stats.time.get(feature) ?? 0) + ms);
    if (ms > SLOW_MS) {
      stats.slowCount++;
      stats.slow.push({ feature, ms, mutant, length: text.length, lines: text.split('\n').length, applied, text });
      stats.slow.sort((a, b) => b.ms - a.ms);
      stats.slow.length = Math.min(stats.slow.length, 10);
    }
  }
}

function record(f: Failure): void {
  const sig = signature(f);
  const entry = stats.failures.get(sig);
  if (entry) entry.count++;
  else stats.failures.set(sig, { count: 1, first: f });
}

// ------------------------------------------------------------------ one mutant
interface RunInput {
  text: string;
  previous?: ManifestFile;
  settings: Settings;
  offsets: number[];
  ranges: Array<[number, number]>;
  mutant: number;
  applied: string[];
  /** Only run this feature (minimization). */
  only?: string;
  /** Index the document in the workspace (cross-file features). */
  index?: boolean;
}

/** Runs every feature on a text; calls `report` for each failure; returns the completions' results (for the next step). */
function runOne(input: RunInput, report: (f: Failure) => void): { file?: ManifestFile; completions: Array<{ text: string; offset: number }> } {
  const { text, settings, mutant, applied } = input;
  const uri = 'file:///fuzz/manifest.yaml';
  const doc = { uri, text };
  const base = { text, settings, mutant, applied, previous: undefined as string | undefined };
  const fail = (kind: Failure['kind'], feature: string, detail: string, offset = 0, start = 0, end = 0): void =>
    report({ ...base, kind, feature, detail, offset, start, end, previous: input.previous?.text, index: input.index });
  const call = <T>(feature: string, offset: number, start: number, end: number, fn: () => T): T | undefined => {
    caught = [];
    let result: T | undefined;
    try {
      result = timed(feature, mutant, text, applied, fn);
    } catch (e) {
      fail('exception', feature, firstLine(e), offset, start, end);
      return undefined;
    }
    for (const c of caught) fail('onError', `${feature}/${c.feature}`, firstLine(c.error), offset, start, end);
    caught = [];
    return result;
  };
  const want = (name: string): boolean => !input.only || input.only === name;
  const completions: Array<{ text: string; offset: number }> = [];

  const file = call('parse', 0, 0, 0, () => ls.parse(uri, text, input.previous));
  if (!file) return { completions };
  const index = (ls as { workspace?: { setFile?: unknown } }).workspace?.setFile ? ls.workspace : undefined;
  if (input.index && index) {
    // What the LSP layer does on every change of an open document of an indexed workspace.
    call('workspace.setFile', 0, 0, 0, () => index.setFile(file));
  } else if (index?.get(uri)) {
    call('workspace.delete', 0, 0, 0, () => index.delete(uri));
  }
  if (file.text !== text) fail('invalid', 'parse', 'parsed file text differs from the input');

  let problems: Problem[] = [];
  if (want('validate') || want('incremental') || input.only === undefined || methods.some((m) => m.name === input.only)) {
    problems = call('validate', 0, 0, 0, () => ls.validate(file, settings)) ?? [];
    if (want('validate')) {
      const errors: string[] = [];
      checkGeneric(problems, doc, docs, errors, []);
      checkFeature('validate', problems, doc, 0, errors);
      for (const e of errors) fail('invalid', 'validate', e);
    }
  }
  if (input.previous && want('incremental')) {
    // The incremental parse must give what a parse from scratch gives.
    caught = [];
    const fresh = ls.validate(ls.parse(uri, text), settings);
    caught = [];
    const a = JSON.stringify(problems);
    const b = JSON.stringify(fresh);
    if (a !== b) {
      const diff = diffProblems(problems, fresh);
      fail('incremental', 'validate', `incremental parse disagrees with a fresh parse: ${diff}`);
    }
  }

  for (const m of methods) {
    if (!want(m.name)) continue;
    const points = m.atOffset ? input.offsets.map((o, i) => [o, ...(input.ranges[i] ?? [o, o])] as [number, number, number]) : [[0, 0, 0] as [number, number, number]];
    for (const [offset, start, end] of points) {
      const ci: CallInput = { file, offset, start, end, settings, problems, docs };
      const result = call(m.name, offset, start, end, () => (ls as unknown as Record<string, (...a: unknown[]) => unknown>)[m.name](...m.args(ci)));
      if (result === undefined) continue;
      const errors: string[] = [];
      const edited: string[] = [];
      checkGeneric(result, doc, docs, errors, edited);
      const known = m.name === 'complete' ? 'complete' : m.name === 'hover' ? 'hover' : m.name;
      checkFeature(known, result, doc, offset, errors);
      for (const e of errors) fail('invalid', m.name, e, offset, start, end);
      if (m.name === 'complete' && Array.isArray(result)) {
        for (const item of result.slice(0, 50) as Array<{ range?: { start: number; end: number }; insertText?: string; snippet?: boolean }>) {
          if (!item.range || typeof item.insertText !== 'string' || item.range.start > item.range.end || item.range.end > text.length) continue;
          const newText = item.snippet ? snippetText(item.insertText) : item.insertText;
          const r = applyEdits(text, [{ start: item.range.start, end: item.range.end, newText }]);
          if (r.text !== undefined) completions.push({ text: r.text, offset: item.range.start + newText.length });
        }
      } else {
        for (const t of edited.slice(0, 5)) completions.push({ text: t, offset });
      }
    }
  }
  return { file, completions };
}

function diffProblems(a: Problem[], b: Problem[]): string {
  const ka = new Set(a.map((p) => JSON.stringify(p)));
  const kb = new Set(b.map((p) => JSON.stringify(p)));
  const onlyA = a.filter((p) => !kb.has(JSON.stringify(p))).map((p) => `${p.code}@${p.start}`);
  const onlyB = b.filter((p) => !ka.has(JSON.stringify(p))).map((p) => `${p.code}@${p.start}`);
  return `incremental only [${onlyA.slice(0, 4).join(', ')}], fresh only [${onlyB.slice(0, 4).join(', ')}]`;
}

// ------------------------------------------------------------------ minimization
/** Shrinks a failing input (lines, then chunks, then characters), keeping the cursor where it was. */
function minimize(f: Failure): Failure {
  const sig = signature(f);
  const feature = f.feature.split('/')[0];
  const only = f.kind === 'incremental' ? 'incremental' : feature === 'parse' ? 'validate' : feature;
  const deadline = performance.now() + 15_000;
  let evaluations = 0;
  let detail = f.detail;
  const fails = (text: string, offset: number, start: number, end: number, previous: string | undefined): boolean => {
    if (performance.now() > deadline || evaluations > 3000) return false;
    evaluations++;
    let hit = false;
    const prevFile = previous !== undefined ? ls.parse('file:///fuzz/manifest.yaml', previous) : undefined;
    // The previous version was checked (its sections are in the cache), as in an editor.
    if (prevFile) ls.validate(prevFile, f.settings);
    runOne({ text, previous: prevFile, settings: f.settings, offsets: [offset], ranges: [[start, end]], mutant: f.mutant, applied: f.applied, only, index: f.index }, (g) => {
      if (signature(g) === sig) {
        hit = true;
        detail = g.detail;
      }
    });
    return hit;
  };
  let cur = { text: f.text, offset: f.offset, start: f.start, end: f.end, previous: f.previous };
  if (!fails(cur.text, cur.offset, cur.start, cur.end, cur.previous)) return f; // flaky (timing, cache state): keep as is
  const cut = (c: typeof cur, a: number, b: number): typeof cur => {
    const shift = (o: number): number => (o >= b ? o - (b - a) : o > a ? a : o);
    return { text: c.text.slice(0, a) + c.text.slice(b), offset: shift(c.offset), start: shift(c.start), end: shift(c.end), previous: c.previous };
  };
  // The previous text (incremental failures) shrinks too, but only by removing what both share would change the failure; leave it.
  for (const unit of ['line', 'chunk', 'char'] as const) {
    let changed = true;
    while (changed && performance.now() < deadline) {
      changed = false;
      const spans: Array<[number, number]> = [];
      if (unit === 'line') {
        let s = 0;
        for (let i = 0; i <= cur.text.length; i++) {
          if (i === cur.text.length || cur.text[i] === '\n') {
            spans.push([s, Math.min(i + 1, cur.text.length)]);
            s = i + 1;
          }
        }
        // Try big blocks first.
        for (let size = Math.max(1, spans.length >> 1); size >= 1; size >>= 1) {
          for (let i = spans.length - size; i >= 0; i -= size) {
            const a = spans[i][0];
            const b = spans[Math.min(spans.length - 1, i + size - 1)][1];
            if (b <= a || b > cur.text.length) continue;
            const c = cut(cur, a, b);
            if (fails(c.text, c.offset, c.start, c.end, c.previous)) {
              cur = c;
              changed = true;
            }
          }
          if (changed) break;
        }
      } else {
        const size = unit === 'chunk' ? 8 : 1;
        for (let a = cur.text.length - size; a >= 0; a -= size) {
          const c = cut(cur, a, Math.min(cur.text.length, a + size));
          if (fails(c.text, c.offset, c.start, c.end, c.previous)) {
            cur = c;
            changed = true;
          }
        }
      }
    }
  }
  fails(cur.text, cur.offset, cur.start, cur.end, cur.previous);
  return { ...f, ...cur, detail };
}

// ------------------------------------------------------------------ main
function main(): void {
  fs.rmSync(path.join(OUT, 'failures'), { recursive: true, force: true });
  fs.rmSync(path.join(OUT, 'slow'), { recursive: true, force: true });
  const { texts, sources } = loadCorpus();
  if (!texts.length) throw new Error('no corpus: run from the project root');
  indexCorpus(texts);
  const rng = new Rng(SEED);
  const mctx: MutationContext = { rng, corpus: texts };
  const t0 = performance.now();
  console.log(`fuzz: seed ${SEED}, ${MUTANTS} mutants, ${OFFSETS} offsets each, corpus ${texts.length} texts (${new Set(sources.map((s) => s.split('/')[0])).size} sources)`);
  console.log(`fuzz: driving ${['parse', 'validate', ...methods.map((m) => m.name)].join(', ')}`);
  if (notDriven.length) console.log(`fuzz: NOT driven (add a parameter name to test/fuzz/driver.ts): ${notDriven.join('; ')}`);

  let chain: { text: string; file?: ManifestFile; length: number } | undefined;
  let nextTexts: Array<{ text: string; offset: number }> = [];
  let lastReport = performance.now();
  for (let i = 0; i < MUTANTS; i++) {
    // Typing is a chain of edits on one document (exercising the incremental parse); start over now and then.
    let baseText: string;
    let previous: ManifestFile | undefined;
    let applied: string[];
    let text: string;
    if (chain && chain.length < 25 && rng.chance(0.7) && chain.text.length < 300_000) {
      baseText = chain.text;
      previous = chain.file;
      if (nextTexts.length && rng.chance(0.3)) {
        // Accept a completion or apply a code action, as a user would.
        text = rng.pick(nextTexts).text;
        applied = ['acceptCompletionOrFix'];
      } else ({ text, applied } = mutate(baseText, mctx));
    } else {
      const k = rng.int(texts.length);
      baseText = texts[k];
      ({ text, applied } = mutate(baseText, mctx));
      previous = rng.chance(0.5) ? ls.parse('file:///fuzz/manifest.yaml', baseText) : undefined;
      chain = { text: baseText, length: 0 };
    }
    for (const a of applied) stats.mutators.set(a, (stats.mutators.get(a) ?? 0) + 1);
    const settings = rng.chance(0.6) ? SETTINGS_VARIANTS[0] : rng.pick(SETTINGS_VARIANTS);
    const offsets = pickOffsets(text, rng, OFFSETS);
    const ranges = offsets.map((o): [number, number] => {
      if (rng.chance(0.5)) return [o, o];
      return [o, Math.min(text.length, o + rng.int(200))];
    });
    const res = runOne({ text, previous, settings, offsets, ranges, mutant: i, applied, index: rng.chance(0.3) }, record);
    // Code actions on the range of each problem would go here too, via `problems` filtered by range: ranges above cover them when they overlap.
    nextTexts = res.completions;
    chain = { text, file: res.file, length: chain.length + 1 };
    stats.mutants++;
    if (!QUIET && performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const fails = [...stats.failures.values()].reduce((s, f) => s + f.count, 0);
      console.log(`  ${i + 1}/${MUTANTS} mutants, ${fails} failures (${stats.failures.size} distinct), ${stats.slowCount} slow, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  report(elapsed);
}

function report(elapsed: number): void {
  const total = [...stats.failures.values()].reduce((s, f) => s + f.count, 0);
  console.log(`\nfuzz: ${stats.mutants} mutants in ${elapsed.toFixed(1)} s (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, node ${process.version})`);
  console.log('requests:');
  for (const [f, n] of [...stats.calls.entries()].sort()) {
    console.log(`  ${f.padEnd(16)} ${String(n).padStart(8)} calls, mean ${((stats.time.get(f) ?? 0) / n).toFixed(2)} ms`);
  }
  console.log(`slow requests (> ${SLOW_MS} ms): ${stats.slowCount}`);
  if (stats.slow.length) fs.mkdirSync(path.join(OUT, 'slow'), { recursive: true });
  for (const s of stats.slow) {
    const file = path.join(OUT, 'slow', `${s.mutant}-${s.feature}.yaml`);
    fs.writeFileSync(file, s.text);
    console.log(`  ${s.ms.toFixed(0).padStart(6)} ms  ${s.feature.padEnd(12)} mutant ${s.mutant}, ${s.length} chars, ${s.lines} lines, after ${s.applied.join('+')} (${path.relative(ROOT, file)})`);
  }
  const byKind = new Map<string, number>();
  for (const { count, first } of stats.failures.values()) byKind.set(first.kind, (byKind.get(first.kind) ?? 0) + count);
  console.log(`failures: ${total} (${stats.failures.size} distinct)${byKind.size ? ': ' + [...byKind.entries()].map(([k, n]) => `${k} ${n}`).join(', ') : ''}`);
  if (stats.failures.size) {
    fs.mkdirSync(path.join(OUT, 'failures'), { recursive: true });
    for (const [sig, { count, first }] of stats.failures) {
      const f = MINIMIZE ? minimize(first) : first;
      const id = crypto.createHash('sha1').update(sig).digest('hex').slice(0, 10);
      const base = path.join(OUT, 'failures', id);
      fs.writeFileSync(`${base}.yaml`, f.text);
      if (f.previous !== undefined) fs.writeFileSync(`${base}.previous.yaml`, f.previous);
      fs.writeFileSync(`${base}.json`, JSON.stringify({ kind: f.kind, feature: f.feature, detail: f.detail, count, offset: f.offset, start: f.start, end: f.end, settings: f.settings, mutant: f.mutant, seed: SEED, applied: f.applied, text: f.text, previous: f.previous }, null, 2));
      console.log(`\n  [${f.kind}] ${f.feature} x${count}: ${f.detail}`);
      console.log(`    input (${f.text.length} chars, offset ${f.offset}${f.start !== f.end ? `, range ${f.start}..${f.end}` : ''}): ${JSON.stringify(f.text.length > 400 ? f.text.slice(0, 400) + '…' : f.text)}`);
      if (f.previous !== undefined) console.log(`    previous text: ${JSON.stringify(f.previous.length > 400 ? f.previous.slice(0, 400) + '…' : f.previous)}`);
      console.log(`    saved: ${path.relative(ROOT, base)}.{yaml,json}`);
    }
  }
  const bad = [...stats.failures.values()].filter((f) => f.first.kind !== 'incremental' || true).length;
  if (CI && bad) {
    console.log('\nfuzz: FAILED (exceptions or invalid results above)');
    process.exitCode = 1;
  } else {
    console.log(bad ? '\nfuzz: done, with failures' : '\nfuzz: OK');
  }
}

main();
