/**
 * The schema of a Helm chart's Chart.yaml, as Helm v4 reads it (helm/helm pkg/chart/v2/metadata.go,
 * dependency.go): every field, the kind of value Helm decodes it into, and a description for
 * completion and hover. Pure data; chartYaml.ts checks, completes and explains with it.
 *
 * Kinds follow Go's decoding through sigs.k8s.io/yaml: a `string` field takes any scalar (a number
 * or boolean becomes text), `bool` only a boolean, `strings` a list of scalars, `stringMap` a map of
 * scalars, `anyList` a list of anything, `structs` a list of maps of the given fields.
 */

export type FieldKind =
  | { k: 'string' }
  | { k: 'bool' }
  | { k: 'strings' }
  | { k: 'stringMap' }
  | { k: 'anyList' }
  | { k: 'structs'; of: StructSchema };

export interface ValueChoice {
  value: string;
  description: string;
}

export interface FieldSchema {
  key: string;
  kind: FieldKind;
  /** Markdown: what the field is for. */
  description: string;
  required?: boolean;
  /** Values offered by completion (and explained by hover). */
  values?: ValueChoice[];
  /** Only in apiVersion v2 charts. */
  v2Only?: boolean;
  /** Read by Helm but used for nothing (Helm 2 leftovers). */
  legacy?: boolean;
}

export interface StructSchema {
  /** How messages name one element: "maintainer", "dependency". */
  noun: string;
  fields: FieldSchema[];
}

const S = { k: 'string' } as const;
const STRINGS = { k: 'strings' } as const;

export const MAINTAINER_SCHEMA: StructSchema = {
  noun: 'maintainer',
  fields: [
    { key: 'name', kind: S, required: true, description: 'The name of the person or organisation. Required by `helm lint`.' },
    { key: 'email', kind: S, description: 'An email address to reach this maintainer (`helm lint` checks that it is one).' },
    { key: 'url', kind: S, description: 'A URL for this maintainer: a profile or home page (`helm lint` checks that it is one).' },
  ],
};

export const DEPENDENCY_SCHEMA: StructSchema = {
  noun: 'dependency',
  fields: [
    {
      key: 'name',
      kind: S,
      required: true,
      description: "The dependency's chart name, as its own Chart.yaml (and its repository) names it. Helm finds it in `charts/` by this name.",
    },
    {
      key: 'version',
      kind: S,
      required: true,
      description:
        'A SemVer range of versions this chart accepts: `1.2.3` (exactly, or `=1.2.3`), `~1.2.3` (patch releases: >=1.2.3 <1.3.0), `^1.2.3` (minor releases: >=1.2.3 <2.0.0), `1.2.x`, `>=1.2.0 <2.0.0`, several ranges with `||`. ' +
        '`helm dependency update` takes the newest version of the repository inside the range and records it in Chart.lock; while rendering, Helm applies this entry (alias, condition, tags, import-values) only to a chart in `charts/` whose version is inside it.',
    },
    {
      key: 'repository',
      kind: S,
      description:
        'Where `helm dependency update` gets the chart: a chart repository URL (`https://charts.example.com`), an OCI registry (`oci://registry-1.docker.io/bitnamicharts`), a folder (`file://../common`), or a repository added with `helm repo add`, by its name (`@example` or `alias:example`). Leave it empty when the chart is kept in `charts/` by hand.',
    },
    {
      key: 'condition',
      kind: S,
      description:
        'Values paths, separated by commas (`redis.enabled,global.redis.enabled`): the first one that holds a boolean turns the dependency on or off. A condition wins over `tags`. The paths are read from the values of this chart (the parent).',
    },
    {
      key: 'tags',
      kind: STRINGS,
      description: "Tag names: the values' `tags:` map turns every dependency with a tag on or off at once (`tags: {backend: false}`). A dependency is enabled when one of its tags is true, or when none of them is set to false.",
    },
    {
      key: 'import-values',
      kind: { k: 'anyList' },
      description:
        "Values of the subchart copied into this chart's values: a name the subchart exports (its `exports.NAME` values, merged at the top), or `{child: path.in.subchart, parent: path.here}`. This chart's own values win over imported ones.",
    },
    {
      key: 'alias',
      kind: S,
      description:
        'Another name for the dependency: its values sit under this key and its templates see `.Chart.Name` as the alias, which lets one chart be used twice under two names. Letters, digits, `_` and `-` only.',
    },
    {
      key: 'enabled',
      kind: { k: 'bool' },
      description: 'Set by Helm itself while it renders, from `condition` and `tags`; a value written here is overwritten and has no effect. Use `condition` to turn the dependency on or off from the values.',
    },
  ],
};

export const CHART_SCHEMA: StructSchema = {
  noun: 'chart',
  fields: [
    {
      key: 'apiVersion',
      kind: S,
      required: true,
      description: 'The format of this chart. `v2`: charts for Helm 3 and 4 (dependencies in Chart.yaml, `type`). `v1`: the Helm 2 format, still read (dependencies in requirements.yaml, no `type`).',
      values: [
        { value: 'v2', description: 'The chart format of Helm 3 and 4: dependencies in Chart.yaml, `type: application|library`.' },
        { value: 'v1', description: 'The Helm 2 chart format: dependencies in requirements.yaml (and requirements.lock), no `type`.' },
      ],
    },
    {
      key: 'name',
      kind: S,
      required: true,
      description: "The chart's name (templates see it as `.Chart.Name`). Required; a plain name without `/`. By convention lowercase letters, digits and `-`, the same as the chart's folder.",
    },
    {
      key: 'version',
      kind: S,
      required: true,
      description:
        "The chart's own version: SemVer 2 (`MAJOR.MINOR.PATCH`, e.g. `1.4.0` or `2.0.0-rc.1`). Required. Raise it with every change to the chart; `helm package` names the archive `NAME-VERSION.tgz` and repositories list charts by it. Templates see it as `.Chart.Version`. This is not the version of the application the chart installs: that is `appVersion`.",
    },
    {
      key: 'kubeVersion',
      kind: S,
      description:
        'A SemVer constraint on the Kubernetes versions the chart supports, e.g. `>=1.22.0-0`. `helm install`, `helm upgrade` and `helm template` refuse the chart when the cluster version (or `--kube-version`) does not satisfy it.',
    },
    { key: 'description', kind: S, description: 'A one-sentence description of the chart (shown by `helm search` and chart repositories).' },
    {
      key: 'type',
      kind: S,
      v2Only: true,
      description: '`application` (the default: a chart that installs something) or `library` (only defines helpers in `templates/_*.tpl` for other charts, and cannot be installed). apiVersion v2 only.',
      values: [
        { value: 'application', description: 'A chart that installs resources (the default when `type` is left out).' },
        { value: 'library', description: 'A chart of shared helpers (`define`s in `templates/_*.tpl`) for other charts to depend on; it renders nothing and cannot be installed.' },
      ],
    },
    { key: 'keywords', kind: STRINGS, description: 'Words people search for (`helm search`, Artifact Hub).' },
    { key: 'home', kind: S, description: "The URL of the project's home page." },
    { key: 'sources', kind: STRINGS, description: 'URLs of the source code of the chart and of the application (`helm lint` checks that each is a URL).' },
    {
      key: 'dependencies',
      kind: { k: 'structs', of: DEPENDENCY_SCHEMA },
      v2Only: true,
      description:
        'The charts this chart uses (apiVersion v2; v1 charts list them in requirements.yaml). `helm dependency update` resolves the ranges into Chart.lock and downloads the charts into `charts/`; `helm dependency build` downloads exactly what Chart.lock pins.',
    },
    { key: 'maintainers', kind: { k: 'structs', of: MAINTAINER_SCHEMA }, description: 'Who maintains the chart: each with `name` (required), and optionally `email` and `url`.' },
    { key: 'icon', kind: S, description: 'The URL of an SVG or PNG icon, shown by chart repositories such as Artifact Hub. `helm lint` recommends one and checks that it is a URL.' },
    {
      key: 'appVersion',
      kind: S,
      description:
        'The version of the application the chart installs (often the image tag), free text that need not be SemVer. Helm itself does nothing with it, but templates often do (`.Chart.AppVersion` as the default image tag). Quote it so that YAML keeps it text: `appVersion: "1.10"` (unquoted, `1.10` is the number 1.1). Not the chart\'s own version: that is `version`.',
    },
    {
      key: 'deprecated',
      kind: { k: 'bool' },
      description: '`true` marks the chart as deprecated: chart repositories and Artifact Hub show it as such. Leave it out (or `false`) otherwise.',
      values: [
        { value: 'true', description: 'The chart is deprecated.' },
        { value: 'false', description: 'The chart is not deprecated (the default).' },
      ],
    },
    {
      key: 'annotations',
      kind: { k: 'stringMap' },
      description: 'Free metadata for other tools, text keys and text values, e.g. Artifact Hub\'s `artifacthub.io/...` annotations. Helm does not interpret them; templates see them as `.Chart.Annotations`.',
    },
    {
      key: 'condition',
      kind: S,
      legacy: true,
      description: 'A Helm 2 leftover: Helm reads it here but never uses it. A condition belongs on the dependency entry in the parent chart (`dependencies: [{name: ..., condition: ...}]`).',
    },
    {
      key: 'tags',
      kind: S,
      legacy: true,
      description: 'A Helm 2 leftover: Helm reads it here but never uses it. Tags belong on the dependency entry in the parent chart (`dependencies: [{name: ..., tags: [...]}]`).',
    },
  ],
};

/** Artifact Hub's Chart.yaml annotations (artifacthub.io/docs/topics/annotations/helm), offered by completion. */
export const KNOWN_ANNOTATIONS: ValueChoice[] = [
  { value: 'artifacthub.io/alternativeName', description: 'Artifact Hub: another name people search for (it must contain the chart name, or be part of it).' },
  { value: 'artifacthub.io/category', description: 'Artifact Hub: the category, e.g. `database`, `monitoring-logging`, `networking`, `security`.' },
  { value: 'artifacthub.io/changes', description: 'Artifact Hub: the changes of this version, a YAML list of strings or of `{kind, description}` (kind: added, changed, deprecated, removed, fixed, security).' },
  { value: 'artifacthub.io/containsSecurityUpdates', description: 'Artifact Hub: `"true"` when this version fixes security problems.' },
  { value: 'artifacthub.io/crds', description: 'Artifact Hub: the custom resources the chart installs, a YAML list of `{kind, version, name, displayName, description}`.' },
  { value: 'artifacthub.io/crdsExamples', description: 'Artifact Hub: example objects of those custom resources, a YAML list.' },
  { value: 'artifacthub.io/images', description: 'Artifact Hub: the container images the chart uses, a YAML list of `{name, image}` (scanned for vulnerabilities).' },
  { value: 'artifacthub.io/license', description: 'Artifact Hub: the SPDX identifier of the license, e.g. `Apache-2.0`.' },
  { value: 'artifacthub.io/links', description: 'Artifact Hub: more links, a YAML list of `{name, url}`.' },
  { value: 'artifacthub.io/maintainers', description: 'Artifact Hub: maintainers shown instead of Chart.yaml `maintainers`, a YAML list of `{name, email}`.' },
  { value: 'artifacthub.io/operator', description: 'Artifact Hub: `"true"` when the chart installs an operator.' },
  { value: 'artifacthub.io/prerelease', description: 'Artifact Hub: `"true"` when this version is a prerelease.' },
  { value: 'artifacthub.io/recommendations', description: 'Artifact Hub: related packages, a YAML list of `{url}`.' },
  { value: 'artifacthub.io/signKey', description: 'Artifact Hub: the key that signs the chart, `{fingerprint, url}`.' },
];

/** The field of a schema with exactly this key. */
export function fieldOf(schema: StructSchema, key: string): FieldSchema | undefined {
  return schema.fields.find((f) => f.key === key);
}

/** The field a key selects as Go's encoding/json does: the exact name, else one equal to it but for case. */
export function fieldFolded(schema: StructSchema, key: string): FieldSchema | undefined {
  const lower = key.toLowerCase();
  return fieldOf(schema, key) ?? schema.fields.find((f) => f.key.toLowerCase() === lower);
}

/** The schema of the map at a path of Chart.yaml (`[]`, `['dependencies', '[]']`, `['maintainers', 0]`). */
export function structAt(path: ReadonlyArray<string | number>): StructSchema | undefined {
  let s: StructSchema = CHART_SCHEMA;
  for (let i = 0; i < path.length; i++) {
    const f = fieldOf(s, String(path[i]));
    if (!f || f.kind.k !== 'structs') return undefined;
    const next = path[i + 1];
    if (next === undefined || (next !== '[]' && typeof next !== 'number')) return undefined;
    s = f.kind.of;
    i++;
  }
  return s;
}
