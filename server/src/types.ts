/**
 * Types shared by the language service. Everything is in offsets; the LSP layer
 * and the CLI turn offsets into positions at the edges.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A problem found in a file, as the language service reports it. */
export interface Problem {
  start: number;
  end: number;
  severity: Severity;
  /** Stable rule id, e.g. `unknown-field`, `job-restart-policy`. */
  code: string;
  message: string;
  /** Marks the range as unneeded (faded), e.g. a suppression that matches nothing. */
  unnecessary?: boolean;
  /** Data for the quick fix of this problem (never a Secret value). */
  data?: Record<string, unknown>;
}

/** A text edit in offsets. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** Settings of the language service, as the user configures them (`kubeManifests.*`). */
export interface Settings {
  /** Kubernetes minor version checked against, e.g. "1.34". */
  kubernetesVersion: string;
  /** Per-rule severity overrides: rule id -> severity or "off". */
  rules: Record<string, SeveritySetting>;
  /** Globs of files to leave alone. */
  exclude: string[];
  secrets: { revealOnHover: boolean };
  /** Severity of references to objects that are not in the workspace. */
  references: { severity: SeveritySetting };
  /** Objects created outside the workspace (`external:` in .kube-manifests.yaml): `name`, `Kind/name` or `Kind/namespace/name`. */
  external: string[];
  /** Files larger than this (bytes) are checked only on demand. */
  maxFileSize: number;
  /** Helm: values files outside a chart tied to it (glob relative to the workspace folder → chart folder). */
  helm: { charts: Record<string, string> };
}

export const DEFAULT_SETTINGS: Settings = {
  kubernetesVersion: '1.34',
  rules: {},
  exclude: [],
  secrets: { revealOnHover: true },
  references: { severity: 'information' },
  external: [],
  maxFileSize: 10 * 1024 * 1024,
  helm: { charts: {} },
};

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Merges a partial, untrusted settings object over the defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const sev = (v: unknown, d: SeveritySetting): SeveritySetting =>
    v === 'error' || v === 'warning' || v === 'information' || v === 'hint' || v === 'off' ? v : v === 'info' ? 'information' : d;
  const rules: Record<string, SeveritySetting> = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [k, v] of Object.entries(r.rules)) rules[k] = sev(v, 'warning');
  }
  return {
    kubernetesVersion: typeof r.kubernetesVersion === 'string' && /^v?\d+\.\d+/.test(r.kubernetesVersion) ? r.kubernetesVersion.replace(/^v/, '') : DEFAULT_SETTINGS.kubernetesVersion,
    rules,
    exclude: Array.isArray(r.exclude) ? r.exclude.filter((x: unknown) => typeof x === 'string') : [],
    secrets: { revealOnHover: r.secrets?.revealOnHover === undefined ? true : Boolean(r.secrets.revealOnHover) },
    references: { severity: sev(r.references?.severity, 'information') },
    external: Array.isArray(r.external) ? r.external.filter((x: unknown) => typeof x === 'string') : [],
    maxFileSize: typeof r.maxFileSize === 'number' && r.maxFileSize > 0 ? r.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    helm: { charts: stringMap(r.helm?.charts) },
  };
}
