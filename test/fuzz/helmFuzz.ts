/**
 * `npm run fuzz:helm [-- --cases 100000 --seed 1 --batch 2000 --show 10 --no-shrink]`: generates
 * random templates and values (helmGen.ts), renders each with our engine and with the Go
 * reference (`helm-ref bare`), and prints a summary of the mismatches grouped by kind, by the
 * functions the failing cases use (against how often each is used at all) and by the reference's
 * error message, then the first mismatches, shrunk. Exits 1 when anything differs.
 */
import { compareBatch, formatMismatch, haveReference, Mismatch, mismatchKind, referenceBinary, shrinkMismatch } from './helmCompare';
import { generateCases } from './helmGen';

function flag(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const has = (name: string): boolean => process.argv.slice(2).includes(`--${name}`);

const CASES = Number(flag('cases') ?? 100_000);
const SEED = flag('seed') ?? '20261202';
const BATCH = Number(flag('batch') ?? 2000);
const SHOW = Number(flag('show') ?? 10);

if (!haveReference()) {
  console.error(`no reference renderer at ${referenceBinary()}: run scripts/build-helm-ref.sh`);
  process.exit(2);
}

/** An error message with its specifics (names, numbers, quoted text) blanked, for grouping. */
function errorShape(e: string | undefined): string {
  if (e === undefined) return '(rendered)';
  const last = e.startsWith('parse error') ? 'parse: ' + e.replace(/^parse error at \([^)]*\): /, '') : e.split('\n').pop()!.trim();
  return last.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/\d+(\.\d+)?/g, 'N').slice(0, 100);
}

const used = new Map<string, number>();
const failing = new Map<string, number>();
const kinds = new Map<string, number>();
const shapes = new Map<string, number>();
const firsts: Mismatch[] = [];
let total = 0;
let mismatched = 0;
const t0 = Date.now();
for (let start = 0; start < CASES; start += BATCH) {
  const cases = generateCases(SEED, Math.min(BATCH, CASES - start), start);
  const { mismatches } = compareBatch(cases, start);
  for (const c of cases) for (const f of c.funcs) used.set(f, (used.get(f) ?? 0) + 1);
  for (const m of mismatches) {
    for (const f of m.case.funcs) failing.set(f, (failing.get(f) ?? 0) + 1);
    const k = mismatchKind(m.ours, m.ref);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    const sh = `${k}: go ${errorShape(m.ref.error)}`;
    shapes.set(sh, (shapes.get(sh) ?? 0) + 1);
    if (firsts.length < SHOW) firsts.push(m);
  }
  total += cases.length;
  mismatched += mismatches.length;
  if (!has('quiet')) process.stderr.write(`\r${total}/${CASES} cases, ${mismatched} mismatches (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
}
if (!has('quiet')) process.stderr.write('\n');

const top = <K>(m: Map<K, number>, n: number): Array<[K, number]> => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`${total} cases (seed ${SEED}), ${mismatched} mismatches (${((100 * mismatched) / Math.max(1, total)).toFixed(2)}%)`);
if (mismatched > 0) {
  console.log('\nby kind:');
  for (const [k, n] of top(kinds, 10)) console.log(`  ${String(n).padStart(7)}  ${k}`);
  console.log('\nby function (mismatching cases using it / cases using it):');
  const rates = [...failing.entries()].map(([f, n]) => [f, n, used.get(f) ?? n, n / (used.get(f) ?? n)] as const);
  rates.sort((a, b) => b[3] - a[3] || b[1] - a[1]);
  for (const [f, n, u, r] of rates.slice(0, 40)) console.log(`  ${f.padEnd(24)} ${String(n).padStart(6)} / ${String(u).padEnd(6)} ${(100 * r).toFixed(1)}%`);
  console.log('\nby reference result:');
  for (const [s, n] of top(shapes, 30)) console.log(`  ${String(n).padStart(7)}  ${s}`);
  console.log(`\nfirst ${firsts.length} mismatches${has('no-shrink') ? '' : ' (shrunk)'}:`);
  for (const m of firsts) console.log(formatMismatch(has('no-shrink') ? m : shrinkMismatch(m)) + '\n');
}
process.exit(mismatched > 0 ? 1 : 0);
