/**
 * Where the time of a check goes, phase by phase, for `npm run bench`: off
 * unless the LSP server runs with KUBE_MANIFESTS_PROFILE=1, and then only a
 * few clock reads per phase. The model and the validator add to the phases of
 * the check under way; the LSP layer (lsp/profile.ts)
 * starts a record when a change arrives and closes it when its diagnostics are
 * published, and answers `kubeManifests/timings` with the closed records.
 *
 * Pure: no IO, no LSP. Times are in milliseconds from `performance.now()`.
 */

export interface TimingRecord {
  uri: string;
  version: number;
  /** Milliseconds per phase, in the order the phases first ran. */
  phases: Record<string, number>;
}

let current: Record<string, number> | undefined;

/** True while a record is open (a profiled server checking a change). */
export function timing(): boolean {
  return current !== undefined;
}

/** Adds `ms` to a phase of the open record (nothing when none is open). */
export function addTiming(phase: string, ms: number): void {
  if (current) current[phase] = (current[phase] ?? 0) + ms;
}

/** Runs `fn`, adding its duration to `phase` when a record is open. */
export function timed<T>(phase: string, fn: () => T): T {
  if (!current) return fn();
  const t = performance.now();
  try {
    return fn();
  } finally {
    addTiming(phase, performance.now() - t);
  }
}

/**
 * Runs `fn`, adding to `phase` the part of its duration that the phases
 * timed inside it did not already count.
 */
export function timedRest<T>(phase: string, fn: () => T): T {
  const phases = current;
  if (!phases) return fn();
  const before = total(phases);
  const t = performance.now();
  try {
    return fn();
  } finally {
    const inner = total(phases) - before;
    phases[phase] = (phases[phase] ?? 0) + performance.now() - t - inner;
  }
}

function total(phases: Record<string, number>): number {
  let s = 0;
  for (const k in phases) s += phases[k];
  return s;
}

/** Makes `phases` the open record again (a check resumed after an `await`). */
export function resumeTimings(phases: Record<string, number> | undefined): void {
  current = phases;
}

/** Closes the open record. */
export function closeTimings(): void {
  current = undefined;
}
