/**
 * Helm's built-in objects, as Helm v4 hands them to templates (helm/helm pkg/engine/engine.go
 * recAllTpls, pkg/chart/common/util/values.go ToRenderValues, pkg/chart/common/capabilities.go,
 * pkg/chart/common.go structToMap, internal/version):
 *
 * - `.Release` is a `map[string]interface {}`: Name, Namespace, IsUpgrade, IsInstall,
 *   Revision (an int), Service ("Helm");
 * - `.Chart` is a `map[string]interface {}` made from the metadata by reflection (Go field names;
 *   lists become `[]interface {}`, maintainers and dependencies maps, a nil list an empty one),
 *   plus `IsRoot` (v3 had a struct here; v4 has a map, so an unknown key is "no value", not an
 *   error);
 * - `.Capabilities` is a `*common.Capabilities`: KubeVersion (`common.KubeVersion`: Version,
 *   Major, Minor fields; GitVersion and String methods), APIVersions (`common.VersionSet`, a
 *   []string with `Has`), HelmVersion (`version.BuildInfo`);
 * - `.Template` is `common.Values{"Name", "BasePath"}`, set per rendered template;
 * - `.Files` is `engine.files` (files.ts); `.Subcharts` maps each subchart's name to its scope.
 */
import { LoadedChart, Metadata } from './chart';
import { Files } from './files';
import { formatV } from './fmt';
import { FuncDef, GoError, GoMap, GoStruct, goSlice, int, isGoMap, Value } from './value';

/** Go's fmt %v of a struct's fields: `{a b c}`, fields formatted as nested values. */
function structFormat(fields: Value[]): string {
  return '{' + fields.map((f) => formatV(f, true)).join(' ') + '}';
}

/** `common.KubeVersion`. `normalized` is the unexported normalizedVersion (what String() returns). */
export class KubeVersion extends GoStruct {
  readonly goType = 'common.KubeVersion';
  constructor(
    readonly version: string,
    readonly normalized: string,
    readonly major: string,
    readonly minor: string,
  ) {
    super();
  }

  /** String(): the normalized version (what `{{ .Capabilities.KubeVersion }}` prints). */
  override toString(): string {
    return this.normalized !== '' ? this.normalized : this.version;
  }

  override field(name: string): { value: Value } | undefined {
    switch (name) {
      case 'Version':
        return { value: this.version };
      case 'Major':
        return { value: this.major };
      case 'Minor':
        return { value: this.minor };
    }
    return undefined;
  }

  override method(name: string): FuncDef | undefined {
    // Both have pointer receivers; a KubeVersion reached through *Capabilities is addressable,
    // so templates can call them.
    if (name === 'GitVersion') return { name, params: [], result: 'string', fn: () => this.version };
    if (name === 'String') return { name, params: [], result: 'string', fn: () => this.toString() };
    return undefined;
  }

  /** `%v`: the struct with its unexported field, `{v1.20.0 v1.20.0 1 20}` (text/template's own printing calls String()). */
  override format(): string {
    return structFormat([this.version, this.normalized, this.major, this.minor]);
  }
}

/**
 * Helm's ParseKubeVersion (k8s.io/apimachinery's ParseGeneric): `[v]MAJOR.MINOR[.…]` with
 * anything after the numbers kept in Version but dropped from the normalized one. Throws GoError
 * with apimachinery's message (`could not parse "x" as version`, ...).
 */
export function parseKubeVersion(version: string): KubeVersion {
  const m = /^[\t\n\v\f\r ]*v?([0-9]+(?:\.[0-9]+)*)([\s\S]*)$/.exec(version);
  if (!m) throw new GoError(`could not parse ${quote(version)} as version`);
  const comps = m[1].split('.');
  if (comps.length < 2) throw new GoError(`illegal version string ${quote(version)}`);
  const nums: bigint[] = [];
  for (let i = 0; i < comps.length; i++) {
    const c = comps[i];
    if (i === 0 && c.startsWith('0') && c !== '0') {
      throw new GoError(`illegal zero-prefixed version component ${quote(c)} in ${quote(version)}`);
    }
    const n = BigInt(c);
    if (n > 18446744073709551615n) {
      throw new GoError(
        `illegal non-numeric version component ${quote(c)} in ${quote(version)}: strconv.ParseUint: parsing ${quote(c)}: value out of range`,
      );
    }
    nums.push(n);
  }
  const git = version.startsWith('v') ? version : 'v' + version;
  return new KubeVersion(git, 'v' + nums.join('.'), nums[0].toString(), nums[1].toString());
}

/** Helm's default KubeVersion for a kube major.minor (`v1.20.0`, Major "1", Minor "20"). */
export function defaultKubeVersion(major: number, minor: number): KubeVersion {
  const v = `v${major}.${minor}.0`;
  return new KubeVersion(v, v, String(major), String(minor));
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** `common.VersionSet`: a []string of API versions with `Has`. */
export class VersionSet extends GoStruct {
  readonly goType = 'common.VersionSet';
  private readonly set: Set<string>;
  constructor(readonly versions: readonly string[]) {
    super();
    this.set = new Set(versions);
  }

  /** Has: exact membership (`apps/v1`; `apps/v1/Deployment` only when listed so). */
  has(apiVersion: string): boolean {
    return this.set.has(apiVersion);
  }

  override method(name: string): FuncDef | undefined {
    if (name === 'Has') return { name, params: ['string'], result: 'bool', fn: (v: Value) => this.has(v as string) };
    return undefined;
  }

  /** The slice behind the named type (for `range`, `len`, `index`, `has`). */
  asSlice(): string[] {
    return goSlice([...this.versions], 'string');
  }

  override format(): string {
    return '[' + this.versions.join(' ') + ']';
  }

  override truth(): boolean {
    return this.versions.length > 0;
  }
}

/** `version.BuildInfo` (`.Capabilities.HelmVersion`). */
export interface HelmVersionInfo {
  Version: string;
  GitCommit: string;
  GitTreeState: string;
  GoVersion: string;
  KubeClientVersion: string;
}

export class BuildInfo extends GoStruct {
  readonly goType = 'version.BuildInfo';
  constructor(readonly info: HelmVersionInfo) {
    super();
  }
  override field(name: string): { value: Value } | undefined {
    if (Object.prototype.hasOwnProperty.call(this.info, name)) return { value: this.info[name as keyof HelmVersionInfo] };
    return undefined;
  }
  override format(): string {
    const i = this.info;
    return structFormat([i.Version, i.GitCommit, i.GitTreeState, i.GoVersion, i.KubeClientVersion]);
  }
}

/** `*common.Capabilities`. */
export class Capabilities extends GoStruct {
  readonly goType = '*common.Capabilities';
  constructor(
    readonly kubeVersion: KubeVersion,
    readonly apiVersions: VersionSet,
    readonly helmVersion: BuildInfo,
  ) {
    super();
  }
  override field(name: string): { value: Value } | undefined {
    switch (name) {
      case 'KubeVersion':
        return { value: this.kubeVersion };
      case 'APIVersions':
        return { value: this.apiVersions };
      case 'HelmVersion':
        return { value: this.helmVersion };
    }
    return undefined;
  }
  override method(name: string): FuncDef | undefined {
    // Copy() returns another *Capabilities with the same contents.
    if (name === 'Copy') return { name, params: [], result: '*common.Capabilities', fn: () => new Capabilities(this.kubeVersion, this.apiVersions, this.helmVersion) };
    return undefined;
  }
  /** `%v` of a pointer to a struct: `&{...}`. */
  override format(): string {
    return '&{' + [this.kubeVersion.format(), this.apiVersions.format(), this.helmVersion.format()].join(' ') + '}';
  }
}

/** A default Helm version for `.Capabilities.HelmVersion` (Helm v4 main; override with opts.helmVersion). */
export const DEFAULT_HELM_VERSION: HelmVersionInfo = {
  Version: 'v4.2',
  GitCommit: '',
  GitTreeState: '',
  GoVersion: 'go1.26.0',
  KubeClientVersion: 'v1.36',
};

// ---------------------------------------------------------------------------------------------
// .Chart

/**
 * `.Chart`: the metadata as Helm v4's structToMap makes it, plus IsRoot. `name` overrides Name
 * (processDependencies renames aliased charts); `enabled[i]` the dependencies' Enabled.
 */
export function chartMetadataMap(md: Metadata, isRoot: boolean, name: string = md.Name, enabled?: ReadonlyArray<boolean | undefined>): GoMap {
  return {
    Name: name,
    Home: md.Home,
    Sources: [...md.Sources],
    Version: md.Version,
    Description: md.Description,
    Keywords: [...md.Keywords],
    Maintainers: md.Maintainers.map((m) => (m === null ? null : { Name: m.Name, Email: m.Email, URL: m.URL })),
    Icon: md.Icon,
    APIVersion: md.APIVersion,
    Condition: md.Condition,
    Tags: md.Tags,
    AppVersion: md.AppVersion,
    Deprecated: md.Deprecated,
    // A map[string]string (nil when Chart.yaml has none: prints map[], is false in `if`).
    Annotations: md.Annotations === null ? {} : { ...md.Annotations },
    KubeVersion: md.KubeVersion,
    Dependencies: md.Dependencies.map((d, i) =>
      d === null
        ? null
        : {
            Name: d.Name,
            Version: d.Version,
            Repository: d.Repository,
            Condition: d.Condition,
            Tags: [...d.Tags],
            Enabled: enabled?.[i] ?? d.Enabled,
            ImportValues: [...d.ImportValues],
            Alias: d.Alias,
          },
    ),
    Type: md.Type,
    IsRoot: isRoot,
  };
}

/**
 * `.Chart` of a loaded (or processDependencies-copied) chart. After processDependencies the
 * metadata's dependencies are the enabled ones only, renamed to their aliases (Helm rewrites
 * Metadata.Dependencies), which `chart.dependencies` holds.
 */
export function chartObject(chart: LoadedChart, isRoot: boolean): GoMap {
  const m = chartMetadataMap(chart.metadata, isRoot, chart.name);
  const deps = chart.dependencies;
  m.Dependencies = (deps ?? []).map((d) => ({
    Name: d.name,
    Version: d.version ?? '',
    Repository: d.repository ?? '',
    Condition: d.condition ?? '',
    Tags: [...(d.tags ?? [])],
    Enabled: d.enabled ?? false,
    ImportValues: [...(d.importValues ?? [])],
    Alias: d.alias ?? '',
  }));
  return m;
}

// ---------------------------------------------------------------------------------------------
// .Release, .Template, the top-level objects

export interface ReleaseInfo {
  releaseName: string;
  namespace: string;
  isInstall: boolean;
  isUpgrade: boolean;
  /** `helm template` uses 1. */
  revision: number;
}

/** `.Release` (a map in Helm v4). */
export function releaseObject(r: ReleaseInfo): GoMap {
  return {
    Name: r.releaseName,
    Namespace: r.namespace,
    IsUpgrade: r.isUpgrade,
    IsInstall: r.isInstall,
    Revision: int(r.revision),
    Service: 'Helm',
  };
}

/** `.Template` for a rendered file: Name `chart/templates/x.yaml`, BasePath `chart/templates`. */
export function templateObject(name: string, basePath: string): GoMap {
  return { Name: name, BasePath: basePath };
}

export interface RenderObjectOptions extends ReleaseInfo {
  /** `--kube-version` or the default (`v1.20.0`, `1.33.4-gke.1`): parsed as Helm's ParseKubeVersion. */
  kubeVersion: string;
  /** The whole list `.Capabilities.APIVersions` holds (Helm's defaults plus `--api-versions`). */
  apiVersions: string[];
  helmVersion?: HelmVersionInfo;
}

/** The objects shared by every template of a render, and the root chart's scope pieces. */
export interface RenderObjects {
  Release: GoMap;
  Capabilities: Capabilities;
  /** The root chart's `.Chart` (IsRoot true). */
  Chart: GoMap;
  /** The root chart's `.Files`. */
  Files: Files;
}

/**
 * Builds `.Release`, `.Capabilities`, and the root chart's `.Chart` and `.Files`. A kube version
 * Helm would refuse throws GoError worded as `helm template` words it
 * (`invalid kube version 'x': could not parse "x" as version`).
 */
export function buildRenderObjects(chart: LoadedChart, opts: RenderObjectOptions): RenderObjects {
  let kv: KubeVersion;
  try {
    kv = parseKubeVersion(opts.kubeVersion);
  } catch (e) {
    throw new GoError(`invalid kube version '${opts.kubeVersion}': ${(e as Error).message}`);
  }
  return {
    Release: releaseObject(opts),
    Capabilities: new Capabilities(kv, new VersionSet(opts.apiVersions), new BuildInfo(opts.helmVersion ?? DEFAULT_HELM_VERSION)),
    Chart: chartObject(chart, !chart.parent),
    Files: Files.of(chart.files),
  };
}

/** One chart's scope: the dot its templates see (without `.Template`, which is set per file). */
export interface ChartScope {
  chart: LoadedChart;
  /** `parent/charts/sub`, names after processDependencies (aliases). */
  fullPath: string;
  /** Chart, Files, Release, Capabilities, Values, Subcharts. */
  dot: GoMap;
}

/**
 * Helm's recAllTpls: the scope of every chart of the tree, root first. `values` are the root's
 * final values; a subchart's `.Values` is `values[<name>]` of its parent's scope when that is a
 * map (Helm's Values.Table), else an empty map. `.Subcharts.<name>` is the subchart's scope.
 * Charts are visited through `subcharts` (so processDependencies' copies work), and
 * `isLibraryChart` charts keep only their `_` templates when the caller renders.
 */
export function chartScopes(
  root: LoadedChart,
  values: GoMap,
  shared: { Release: GoMap; Capabilities: Capabilities },
  wrapValues: (m: GoMap) => Value = (m) => m,
): ChartScope[] {
  const out: ChartScope[] = [];
  const visit = (c: LoadedChart, fullPath: string, vals: GoMap, isRoot: boolean): GoMap => {
    const subcharts: GoMap = {};
    const dot: GoMap = {
      Chart: chartObject(c, isRoot),
      Files: Files.of(c.files),
      Release: shared.Release,
      Capabilities: shared.Capabilities,
      Values: wrapValues(vals),
      Subcharts: subcharts,
    };
    out.push({ chart: c, fullPath, dot });
    for (const sub of c.subcharts) {
      subcharts[sub.name] = visit(sub, fullPath + '/charts/' + sub.name, valuesTable(vals, sub.name) ?? {}, false);
    }
    return dot;
  };
  visit(root, root.name, values, true);
  return out;
}

/** Values.Table(name) below a scope's values: the name split at dots, each step a map, else undefined. */
function valuesTable(vals: GoMap, name: string): GoMap | undefined {
  let cur: GoMap = vals;
  for (const part of name.split('.')) {
    if (!Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    const v = cur[part];
    if (!isGoMap(v)) return undefined;
    cur = v;
  }
  return cur;
}
