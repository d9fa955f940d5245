/**
 * Rendering on a small stack, then again on a large one if it was too small.
 *
 * Helm stops an `include` that nests more than 1000 times, and Go's stacks grow to 1 GB, so a
 * render can go deeper than a default JavaScript stack holds. `kube-manifests template` therefore
 * renders first on Node's main thread (its default stack, no thread to start) under a budget, and
 * renders again on a thread with a large stack only when the budget says the first run may have
 * been cut short. The budget is broken, and the first run's result is thrown away, when
 *
 * - templates nest deeper than `maxNesting` levels (a level is a list of nodes the evaluator walks:
 *   the body of a file, an `include`, a `tpl` or a `{{template}}`, and each if/with/range block's):
 *   `enterNesting` then throws (an ExecError of kind 'limit', which passes through every layer of
 *   the evaluator unchanged) so the run stops quickly; or
 * - the engine turned a stack overflow (RangeError) into a message of its own somewhere
 *   (`noteStackOverflow`, at every place that catches one); or the overflow escaped.
 *
 * With the nesting bounded, a leaf function (a semver parse, a regexp) never runs short of stack,
 * so a stack overflow swallowed as a failed parse cannot change the output silently. Outside
 * `withStackBudget` (the editor, the worker) nothing is checked and nothing changes.
 */
import { ExecError } from './exec';

let maxNesting = Infinity;
let nesting = 0;
let broken = false;

/**
 * Runs `fn` under the budget. `exceeded` is true when its result must not be used: it may differ
 * from what a large stack gives (`result` is then whatever `fn` returned, or undefined if it threw).
 */
export function withStackBudget<T>(max: number, fn: () => T): { result?: T; exceeded: boolean } {
  const saved = { maxNesting, nesting, broken };
  maxNesting = max;
  nesting = 0;
  broken = false;
  try {
    const result = fn();
    return broken ? { exceeded: true } : { result, exceeded: false };
  } catch (e) {
    if (broken || e instanceof RangeError) return { exceeded: true };
    throw e;
  } finally {
    ({ maxNesting, nesting, broken } = saved);
  }
}

/**
 * One level deeper (the evaluator calls it for every list of nodes it walks: a template's body, an
 * `include`'s, a block's); throws once the budget's nesting is passed. Pair with `leaveNesting`.
 */
export function enterNesting(): void {
  if (++nesting > maxNesting) {
    broken = true;
    nesting--;
    throw new ExecError(`templates nest deeper than ${maxNesting} levels: rendering again with a larger stack`, { kind: 'limit' });
  }
}

export function leaveNesting(): void {
  nesting--;
}

/** The depth now, for `restoreNesting` after an execution that may end in an exception. */
export function nestingDepth(): number {
  return nesting;
}

export function restoreNesting(depth: number): void {
  nesting = depth;
}

/** Where the engine turns a stack overflow into a message: the budget (if any) is broken. */
export function noteStackOverflow(e: unknown): void {
  if (e instanceof RangeError && maxNesting !== Infinity) broken = true;
}
