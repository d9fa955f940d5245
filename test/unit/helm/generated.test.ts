/**
 * Generated templates (test/fuzz/helmGen.ts, fixed seed) rendered by our engine's renderBare and
 * by the Go reference (`helm-ref bare`: Go 1.19 text/template + sprig 3.2.3 + Helm v4's engine
 * code paths) must agree exactly: the same output, or the same error text.
 *
 * HELM_GEN_CASES sets the number of cases (default 2000 in CI, 500 elsewhere), HELM_GEN_SEED the
 * seed. Skipped when the reference binary is missing (run scripts/build-helm-ref.sh), except in
 * CI, where a missing binary fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareBatch, formatMismatch, haveReference, referenceBinary, shrinkMismatch } from '../../fuzz/helmCompare';
import { generateCases } from '../../fuzz/helmGen';

const CASES = Number(process.env.HELM_GEN_CASES ?? (process.env.CI ? 2000 : 500));
const SEED = process.env.HELM_GEN_SEED ?? '20261202';
const BATCH = 1000;
const missing = !haveReference();

test('the generator is deterministic and covers the function map', () => {
  const a = generateCases(SEED, 50);
  const b = generateCases(SEED, 50);
  assert.deepEqual(a, b);
  const used = new Set(generateCases(SEED, 2000).flatMap((c) => c.funcs));
  for (const f of ['include', 'tpl', 'toYaml', 'printf', 'dict', 'semverCompare', 'regexReplaceAll', 'fromYaml', 'toToml', 'default', 'required']) {
    assert.ok(used.has(f), `generator never calls ${f}`);
  }
  assert.ok(used.size > 200, `only ${used.size} functions used`);
});

test(`${CASES} generated templates render as the Go reference renders them`, { skip: missing && !process.env.CI ? `no reference renderer at ${referenceBinary()} (run scripts/build-helm-ref.sh)` : false }, () => {
  assert.ok(!missing, `CI: the reference renderer ${referenceBinary()} is missing (scripts/ci-helm.sh builds it)`);
  const all = [];
  for (let start = 0; start < CASES; start += BATCH) {
    const { mismatches } = compareBatch(generateCases(SEED, Math.min(BATCH, CASES - start), start), start);
    all.push(...mismatches);
  }
  if (all.length > 0) {
    const shown = all.slice(0, Number(process.env.HELM_GEN_SHOW ?? 5)).map((m) => formatMismatch(shrinkMismatch(m)));
    assert.fail(`${all.length} of ${CASES} generated cases differ from the Go reference (seed ${SEED}); the first ${shown.length}, shrunk:\n\n${shown.join('\n\n')}`);
  }
});
