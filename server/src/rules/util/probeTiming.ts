/**
 * Probe timing with the API's defaults, and how long a preStop hook sleeps.
 */

export const PROBE_DEFAULTS = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 } as const;
export type ProbeTiming = { -readonly [K in keyof typeof PROBE_DEFAULTS]: number };

/** Timing fields of a plain probe, a 0 or a missing value replaced by the default (0 means "default" for all but initialDelaySeconds). */
export function probeTiming(probe: Record<string, unknown>): ProbeTiming {
  const out = { ...PROBE_DEFAULTS } as ProbeTiming;
  for (const k of Object.keys(PROBE_DEFAULTS) as Array<keyof ProbeTiming>) {
    const v = probe[k];
    if (typeof v === 'number' && Number.isFinite(v) && (v > 0 || (k === 'initialDelaySeconds' && v >= 0))) out[k] = v;
  }
  return out;
}

export const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
export const HOOK_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

const SHELLS = /^(\/usr)?(\/bin\/)?(sh|bash|ash|dash|zsh)$/;
const SLEEP_BIN = /^(\/usr)?(\/bin\/)?sleep$/;
const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds a `sleep` argument stands for (`15`, `15s`, `1m`, `0.5`), or undefined. */
function sleepArg(a: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a.trim());
  return m ? Number(m[1]) * UNIT[m[2]] : undefined;
}

/** Seconds an exec command sleeps: `["sleep", "15"]` or `["sh", "-c", "sleep 15 && nginx -s quit"]`; undefined when it does not sleep. */
export function execSleepSeconds(command: unknown): number | undefined {
  if (!Array.isArray(command) || !command.length || !command.every((c) => typeof c === 'string' || typeof c === 'number')) return undefined;
  const args = command.map(String);
  if (SLEEP_BIN.test(args[0])) {
    let total = 0;
    for (const a of args.slice(1)) {
      const s = sleepArg(a);
      if (s === undefined) return undefined;
      total += s;
    }
    return args.length > 1 ? total : undefined;
  }
  if (SHELLS.test(args[0])) {
    const i = args.indexOf('-c');
    if (i < 0 || i + 1 >= args.length) return undefined;
    let total = 0;
    let found = false;
    for (const m of args[i + 1].matchAll(/(?:^|[;&|(\s])sleep\s+(\d+(?:\.\d+)?[smhd]?)(?=$|[\s;&|)])/g)) {
      const s = sleepArg(m[1]);
      if (s !== undefined) {
        total += s;
        found = true;
      }
    }
    return found ? total : undefined;
  }
  return undefined;
}

export function seconds(n: number): string {
  if (n >= 120 && n % 60 === 0) return `${n / 60} min`;
  return `${n} s`;
}
