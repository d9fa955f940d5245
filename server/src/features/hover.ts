/**
 * Hover: the field's description, type, whether it is required, its default,
 * and a link to the kind in the Kubernetes API reference. On apiVersion/kind:
 * what the kind is for and whether this version is deprecated or removed.
 *
 * Rule families can add their own hover sections (a schedule in words, a
 * rollout in numbers) through `HoverContributor`s.
 */
import { ManifestFile, ManifestObject, Node, nodeAtOffset, nodeRange, objectAt, Path } from '../model/manifest';
import { lifecycleState } from '../schema/apiVersions';
import { SchemaStore } from '../schema/schemaStore';
import { Settings } from '../types';
import { typeLabel } from './completion';
import { secretDataHover } from './actions/secrets';
import { caught } from '../errors';
import { configKindOf } from '../model/configKinds';

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: { start: number; end: number };
}

export interface HoverInput {
  file: ManifestFile;
  obj: ManifestObject;
  offset: number;
  /** Path from the object's root to the hovered key or value. */
  path: Path;
  node: Node | undefined;
  onKey: boolean;
  store: SchemaStore;
  settings: Settings;
}

/** Adds a markdown section to the hover of some paths; returns undefined where it has nothing to say. */
export type HoverContributor = (input: HoverInput) => string | undefined;

export function doHover(file: ManifestFile, offset: number, store: SchemaStore, settings: Settings, contributors: HoverContributor[] = []): HoverResult | undefined {
  if (file.disabled) return undefined;
  const obj = objectAt(file, offset);
  if (!obj) return undefined;
  const at = nodeAtOffset(obj, offset);
  if (!at.path.length) return undefined;
  const range = hoverRange(obj, at.onKey ? (at.pair?.key as Node) : at.node, offset);
  if (!range) return undefined;
  const input: HoverInput = { file, obj, offset, path: at.path, node: at.node, onKey: at.onKey, store, settings };
  const sections: string[] = [];
  // A kubeconfig, kustomization, component configuration...: not a Kubernetes kind (features/kubeconfig.ts explains it).
  const main = configKindOf(obj) ? undefined : at.path.length === 1 && (at.path[0] === 'apiVersion' || at.path[0] === 'kind') ? typeMetaHover(obj, store, settings) : fieldHover(obj, at.path, store, settings);
  if (main) sections.push(main);
  for (const c of [secretDataHover, ...contributors]) {
    try {
      const extra = c(input);
      if (extra) sections.push(extra);
    } catch (e) {
      caught('hover contributor', e); // a contributor's failure must not lose the hover
    }
  }
  if (!sections.length) return undefined;
  return { contents: sections.join('\n\n---\n\n'), range: { start: range[0], end: range[1] } };
}

function hoverRange(obj: ManifestObject, node: Node | undefined, offset: number): [number, number] | undefined {
  const r = node ? nodeRange(obj.section, node) : undefined;
  if (r && offset >= r[0] && offset <= r[1]) return r;
  return r ?? [offset, offset];
}

export function apiReferenceUrl(apiVersion: string, kind: string, kubernetesVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? 'core' : apiVersion.slice(0, slash).replace(/\./g, '-');
  const version = apiVersion.slice(slash + 1);
  const minor = /^(\d+\.\d+)/.exec(kubernetesVersion)?.[1] ?? '1.34';
  return `https://kubernetes.io/docs/reference/generated/kubernetes-api/v${minor}/#${kind.toLowerCase()}-${version}-${group}`;
}

function typeMetaHover(obj: ManifestObject, store: SchemaStore, settings: Settings): string | undefined {
  const { apiVersion, kind } = obj;
  if (!kind) return undefined;
  const info = apiVersion ? store.info(apiVersion, kind) : undefined;
  const lines: string[] = [];
  lines.push(`**${kind}**${apiVersion ? ` (${apiVersion})` : ''}`);
  const description = info?.description || store.versionsOfKind(kind)[0]?.description;
  if (description) lines.push(description);
  if (apiVersion) {
    const life = lifecycleState(apiVersion, kind, settings.kubernetesVersion);
    if (life.state === 'removed') lines.push(`⛔ **Removed:** ${apiVersion} ${kind} is no longer served since Kubernetes ${life.entry.removed}. Use \`${life.replacement}\`.`);
    else if (life.state === 'deprecated') lines.push(`⚠️ **Deprecated** since Kubernetes ${life.entry.deprecated}, removed in ${life.entry.removed}. Use \`${life.replacement}\`.`);
    if (info) lines.push(`[${kind} in the Kubernetes API reference](${apiReferenceUrl(apiVersion, kind, settings.kubernetesVersion)})`);
  }
  if (!info && !store.versionsOfKind(kind).length) lines.push('A custom resource: no schema for it is known.');
  return lines.join('\n\n');
}

function fieldHover(obj: ManifestObject, path: Path, store: SchemaStore, settings: Settings): string | undefined {
  if (!obj.apiVersion || !obj.kind) return undefined;
  const root = store.schemaFor(obj.apiVersion, obj.kind);
  if (!root) return undefined;
  const parent = store.atPath(root, path.slice(0, -1));
  if (!parent) return undefined;
  const last = path[path.length - 1];
  const raw = store.rawChild(parent, last);
  if (!raw) return undefined;
  const resolved = store.resolve(raw) ?? raw;
  const description = store.describe(raw);
  const name = typeof last === 'number' ? `${String(path[path.length - 2] ?? '')}[${last}]` : last;
  const required = typeof last === 'string' && (parent.required ?? []).includes(last);
  const header = `**${name}**: ${typeLabel(resolved, raw)}${required ? ' — *required*' : ''}`;
  const lines = [header];
  if (description) lines.push(cleanDescription(description));
  const def = defaultFrom(description);
  if (def) lines.push(`Default: \`${def}\``);
  lines.push(`[${obj.kind} in the Kubernetes API reference](${apiReferenceUrl(obj.apiVersion, obj.kind, settings.kubernetesVersion)})`);
  return lines.join('\n\n');
}

/** Rewrites the "Possible enum values" block as a markdown list. */
function cleanDescription(d: string): string {
  return d.replace(/\n\nPossible enum values:\n/, '\n\nPossible values:\n');
}

/** The default a description states ("Defaults to 1.", "Default is RollingUpdate."). */
export function defaultFrom(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const m = /\bDefault(?:s)?(?: (?:to|is|value is))?:? ["`']?([^\s"`',;]+?)["`']?(?:[.,;\s]|$)/.exec(description);
  if (!m) return undefined;
  const v = m[1].replace(/\.$/, '');
  if (/^(the|a|an|none|empty|false\.|true\.)$/i.test(v) && v.toLowerCase() !== 'false' && v.toLowerCase() !== 'true') return undefined;
  return v;
}
