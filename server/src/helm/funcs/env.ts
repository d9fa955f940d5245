/**
 * What the function families may use from outside: randomness and the clock. Both are injected
 * so that the editor renders the same text on every keystroke (`deterministic`: a seeded
 * generator and a fixed clock), while the CLI behaves like Helm (real randomness, real time).
 */
import { FuncMap } from '../value';

export interface FuncEnv {
  /** A float in [0, 1): seeded in deterministic mode, Math.random-like otherwise. */
  random(): number;
  /** Random bytes (crypto-grade outside deterministic mode). */
  randomBytes(n: number): Uint8Array;
  /** The current time (fixed in deterministic mode). */
  now(): Date;
  /** The local time zone name, as Go's time.Local (Helm uses the machine's; default "UTC"). */
  localZone: string;
  /** True in the editor: results must not change between two renders of the same input. */
  deterministic: boolean;
  /** Deterministic mode: restart the random stream from a seed (the engine reseeds per template, so a template's random values do not depend on which others rendered before it). */
  reseed?(seed: number): void;
}

/** A function family: adds its functions to the map. */
export type FuncFamily = (map: FuncMap, env: FuncEnv) => void;

/** A small seeded generator (mulberry32), for deterministic mode and tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The environment of a deterministic render: seeded randomness, a fixed clock (2024-01-01T00:00:00Z). */
export function deterministicEnv(seed = 1): FuncEnv {
  let next = seededRandom(seed);
  const random = (): number => next();
  return {
    random,
    reseed: (s: number) => {
      next = seededRandom(s);
    },
    randomBytes: (n) => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256);
      return b;
    },
    now: () => new Date(Date.UTC(2024, 0, 1, 0, 0, 0)),
    localZone: 'UTC',
    deterministic: true,
  };
}
