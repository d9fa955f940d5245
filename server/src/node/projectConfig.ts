/**
 * `.kube-manifests.yaml` at the workspace root: the same settings as
 * `kubeManifests.*` in VS Code, for the CLI and for editors without settings.
 *
 *   kubernetesVersion: "1.34"
 *   rules:
 *     rbac-wildcard: off
 *     probe-missing-readiness: warning
 *   exclude: ["charts/**"]
 */
import * as fs from 'fs';
import { parse } from 'yaml';

export interface ProjectConfig {
  settings: Record<string, unknown>;
  error?: string;
}

export function loadProjectConfig(file: string, mustExist: boolean): ProjectConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return mustExist ? { settings: {}, error: `cannot read the config file ${file}` } : { settings: {} };
  }
  try {
    const value = parse(text, { version: '1.2' }) as unknown;
    if (value === null || value === undefined) return { settings: {} };
    if (typeof value !== 'object' || Array.isArray(value)) return { settings: {}, error: `${file} must hold a map of settings (kubernetesVersion, rules, exclude)` };
    const v = value as Record<string, unknown>;
    const settings: Record<string, unknown> = {};
    if (v.kubernetesVersion !== undefined) settings.kubernetesVersion = String(v.kubernetesVersion);
    if (v.rules !== undefined) settings.rules = v.rules;
    if (v.exclude !== undefined) settings.exclude = v.exclude;
    if (v.references !== undefined) settings.references = v.references;
    if (v.external !== undefined) settings.external = v.external;
    if (v.maxFileSize !== undefined) settings.maxFileSize = v.maxFileSize;
    return { settings };
  } catch (e) {
    return { settings: {}, error: `${file} is not valid YAML: ${e instanceof Error ? e.message : String(e)}` };
  }
}
