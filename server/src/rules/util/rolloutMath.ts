/**
 * Deployment rollout arithmetic, as the Deployment controller does it:
 * maxSurge percentages round up, maxUnavailable percentages round down, and
 * when both come out as 0, maxUnavailable becomes 1 so the rollout can move.
 */

export type IntOrPercent = { kind: 'int'; value: number } | { kind: 'percent'; value: number };

/** Parses a maxSurge/maxUnavailable value; undefined when invalid (see the rule for the message). */
export function parseIntOrPercent(v: unknown): IntOrPercent | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? { kind: 'int', value: v } : undefined;
  if (typeof v === 'string') {
    const m = /^([0-9]+)%$/.exec(v);
    return m ? { kind: 'percent', value: Number(m[1]) } : undefined;
  }
  return undefined;
}

export function resolveIntOrPercent(v: IntOrPercent, replicas: number, roundUp: boolean): number {
  if (v.kind === 'int') return v.value;
  const exact = (v.value * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface RolloutNumbers {
  replicas: number;
  surge: number;
  unavailable: number;
  /** maxUnavailable was raised from 0 to 1 because both resolved to 0. */
  bumped: boolean;
  maxPods: number;
  minAvailable: number;
}

const DEFAULT: IntOrPercent = { kind: 'percent', value: 25 };

/** Resolves maxSurge/maxUnavailable (missing → 25%) for a replica count; undefined when a value is invalid. */
export function rolloutNumbers(replicas: number, maxSurge: unknown, maxUnavailable: unknown): RolloutNumbers | undefined {
  const s = maxSurge === undefined || maxSurge === null ? DEFAULT : parseIntOrPercent(maxSurge);
  const u = maxUnavailable === undefined || maxUnavailable === null ? DEFAULT : parseIntOrPercent(maxUnavailable);
  if (!s || !u) return undefined;
  const surge = resolveIntOrPercent(s, replicas, true);
  let unavailable = resolveIntOrPercent(u, replicas, false);
  let bumped = false;
  if (surge === 0 && unavailable === 0) {
    unavailable = 1;
    bumped = true;
  }
  return { replicas, surge, unavailable, bumped, maxPods: replicas + surge, minAvailable: Math.max(0, replicas - unavailable) };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
