/**
 * Loading a Helm chart from its files, as Helm v4's chart loader does (helm/helm
 * pkg/chart/loader/load.go, pkg/chart/v2/loader/load.go, pkg/chart/loader/archive/archive.go,
 * pkg/chart/v2/metadata.go, dependency.go).
 *
 * Where each file goes (LoadFiles):
 * - `Chart.yaml` → metadata (read first, wherever it is in the list); `Chart.lock` → lock;
 *   `values.yaml` → values (every YAML document of it, merged); `values.schema.json` → schema.
 *   None of these is in `.Files`.
 * - `requirements.yaml` (apiVersion v1's dependencies) is read into the metadata on top of
 *   Chart.yaml, `requirements.lock` into the lock; with apiVersion v1 both are ALSO in `.Files`.
 * - `templates/...` → templates (also `templates/` files that are not templates);
 * - `charts/X/...` → the subchart X (a folder: its files with `charts/X/` cut; `X.tgz`: a chart
 *   archive), except `charts/*.prov`, which go to `.Files`; names starting with `_` or `.` are
 *   skipped; a plain file `charts/README.md` is a subchart without Chart.yaml, so an error.
 * - everything else (crds/ included, and `.helmignore` itself) → `.Files`.
 * Then the metadata is validated (names sanitized) and subcharts are loaded recursively. Errors
 * are thrown as GoError with Helm's words, e.g. `validation: chart.metadata.name is required`,
 * `error unpacking subchart common in nginx: Chart.yaml file is missing`.
 *
 * `.helmignore` is applied by the directory loader while it walks the folder, never to
 * archives: use `applyHelmignore` (or server/src/node/chartFiles.ts readChartDir, which does it
 * while walking) before loadChart for a chart folder. The directory loader and the archive loader
 * also drop one UTF-8 BOM from every file (`stripBom`); loadChart itself does not.
 */
import { formatFloat } from './fmt';
import { readYamlMap, yamlToJsonValue } from './goyaml';
import { HELMIGNORE, helmignoreRules } from './helmignore';
import { noteStackOverflow } from './stackBudget';
import { isDirEntry, readTar } from './tar';
import { GoError, GoInt, GoMap, isGoMap, Value } from './value';

/** A file of a chart: path relative to the chart root with `/` separators, and its bytes. */
export interface ChartFile {
  path: string;
  data: Uint8Array;
}

/** Helm's chart.Maintainer (Go field names). */
export interface Maintainer {
  Name: string;
  Email: string;
  URL: string;
}

/** Helm's chart.Dependency: an entry of Chart.yaml's `dependencies` (or requirements.yaml, Chart.lock). */
export interface Dependency {
  Name: string;
  Version: string;
  Repository: string;
  Condition: string;
  Tags: string[];
  Enabled: boolean;
  /** `import-values`: strings or `{child, parent}` maps, as read. */
  ImportValues: Value[];
  Alias: string;
}

/** Helm's chart.Metadata: Chart.yaml with Go's field names (what `.Chart` shows). */
export interface Metadata {
  Name: string;
  Home: string;
  Sources: string[];
  Version: string;
  Description: string;
  Keywords: string[];
  /** `null` entries are `- ~` in Chart.yaml (validation refuses them). */
  Maintainers: Array<Maintainer | null>;
  Icon: string;
  /** `v1` when Chart.yaml has none (Helm 2 charts). */
  APIVersion: string;
  Condition: string;
  Tags: string;
  AppVersion: string;
  Deprecated: boolean;
  /** null when Chart.yaml has no annotations (a nil map). */
  Annotations: Record<string, string> | null;
  KubeVersion: string;
  Dependencies: Array<Dependency | null>;
  Type: string;
}

/** Helm's chart.Lock (Chart.lock, or requirements.lock for apiVersion v1). */
export interface Lock {
  /** The `generated` time as written (Go parses it as RFC 3339; kept as text here). */
  Generated: string;
  Digest: string;
  Dependencies: Array<Dependency | null>;
}

/** A template file of a chart. */
export interface ChartTemplate {
  /** `templates/...`, relative to its chart. */
  name: string;
  data: string;
}

/**
 * A Chart.yaml dependency in the shape values.ts (ValuesChart) works with: lowercase names,
 * index-aligned with `metadata.Dependencies`.
 */
export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  importValues?: Value[];
  alias?: string;
}

/**
 * A loaded chart (Helm's *chart.Chart). It is a values.ts `ValuesChart` (name, version, values,
 * dependencies, subcharts, schema), so coalescing and processDependencies take it as it is.
 *
 * `files` is what `.Files` holds (see the module comment); `templates` keeps the order of the
 * input; `subcharts` are the charts under `charts/` (Helm's `Dependencies()`), sorted by their
 * folder or archive name (Go visits them in random map order).
 */
export interface LoadedChart {
  /** metadata.Name; processDependencies' copies carry the alias here (Helm renames the metadata). */
  name: string;
  /** metadata.Version. */
  version: string;
  /** Chart.yaml `dependencies` (undefined when there are none); index-aligned with metadata.Dependencies. */
  dependencies?: ChartDependency[];
  metadata: Metadata;
  templates: ChartTemplate[];
  /** values.yaml, read as Helm reads it (all numbers float64); `{}` when there is none. */
  values: GoMap;
  /** The text of values.yaml ('' when there is none). */
  valuesText: string;
  /** Whether the chart has a values.yaml. */
  hasValues: boolean;
  /** The text of values.schema.json. */
  schema?: string;
  /** `.Files`: every file not sorted elsewhere, in input order. */
  files: ChartFile[];
  lock?: Lock;
  subcharts: LoadedChart[];
  /** This chart's CRD files (`crds/*.yaml|yml|json`, from `files`), without the subcharts' ones. */
  crds: ChartFile[];
  /** Every file as loaded (Helm's Raw). */
  raw: ChartFile[];
  /** The chart this one is a subchart of (undefined for the root). */
  parent?: LoadedChart;
  /** Where the chart came from inside its parent: `charts/common` or `charts/common-2.0.0.tgz`. */
  source?: string;
}

export interface LoadOptions {
  /**
   * Set for the chart Helm is asked to load (`helm template DIR`): the apiVersion must be v1,
   * v2 or empty (`unsupported chart version`). Subcharts are never checked (default true).
   */
  root?: boolean;
}

/** Go's archive.MaxDecompressedFileSize (5 MiB). */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;
/** Go's archive.MaxDecompressedChartSize (100 MiB). */
export const MAX_CHART_SIZE = 100 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bytes as Go's string(b) would print them (invalid UTF-8 becomes U+FFFD). */
export function bytesToString(b: Uint8Array): string {
  return utf8.decode(b);
}

/** Drops one leading UTF-8 BOM, as Helm's directory and archive loaders do for every file. */
export function stripBom(b: Uint8Array): Uint8Array {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}

/**
 * Helm's ChartFullPath: `parent/charts/sub` (chart names, so aliases show). It follows `parent`
 * links, which point at the loaded charts: for processDependencies' copies, build the path
 * while walking down from the root instead.
 */
export function chartFullPath(c: LoadedChart): string {
  return c.parent ? chartFullPath(c.parent) + '/charts/' + c.name : c.name;
}

/** Helm's ChartPath: `parent.sub`. */
export function chartPath(c: LoadedChart): string {
  return c.parent ? chartPath(c.parent) + '.' + c.name : c.name;
}

/** Whether a chart is a library chart (`type: library`, any case). */
export function isLibraryChart(c: LoadedChart): boolean {
  return c.metadata.Type.toLowerCase() === 'library';
}

/** Helm's CRDObjects: the CRD files of a chart and its subcharts, `Filename` joined to the chart's full path. */
export function crdObjects(c: LoadedChart): Array<{ name: string; filename: string; file: ChartFile }> {
  const out: Array<{ name: string; filename: string; file: ChartFile }> = [];
  for (const f of c.crds) out.push({ name: f.path, filename: cleanPath(chartFullPath(c) + '/' + f.path), file: f });
  for (const s of c.subcharts) out.push(...crdObjects(s));
  return out;
}

/**
 * Loads a chart from its files (Helm's LoadFiles). Throws GoError with Helm's message.
 * Subcharts are loaded from `charts/`; `.tgz` archives are unpacked.
 */
export function loadChart(files: ChartFile[], opts: LoadOptions = {}): LoadedChart {
  if (opts.root !== false) {
    const cy = files.find((f) => f.path === 'Chart.yaml');
    if (cy) {
      const api = apiVersionOf(cy.data);
      if (api !== 'v1' && api !== 'v2' && api !== '' && api !== 'v3') throw new GoError('unsupported chart version');
    }
  }
  return loadFiles(files);
}

/** Reads the apiVersion the way Helm's top-level loader does before choosing a loader. */
function apiVersionOf(data: Uint8Array): string {
  const doc = readYaml(bytesToString(data), 'Chart.yaml');
  const base = { apiVersion: '' };
  decodeInto(doc, base, CHART_BASE, 'chartBase', 'cannot load Chart.yaml');
  return base.apiVersion;
}

function emptyMetadata(): Metadata {
  return {
    Name: '',
    Home: '',
    Sources: [],
    Version: '',
    Description: '',
    Keywords: [],
    Maintainers: [],
    Icon: '',
    APIVersion: '',
    Condition: '',
    Tags: '',
    AppVersion: '',
    Deprecated: false,
    Annotations: null,
    KubeVersion: '',
    Dependencies: [],
    Type: '',
  };
}

function loadFiles(files: ChartFile[]): LoadedChart {
  let metadata: Metadata | undefined;
  const raw: ChartFile[] = [];
  for (const f of files) {
    raw.push(f);
    if (f.path === 'Chart.yaml') {
      if (!metadata) metadata = emptyMetadata();
      decodeInto(readYaml(bytesToString(f.data), 'Chart.yaml'), metadata, METADATA, 'v2.Metadata', 'cannot load Chart.yaml');
      // Helm 2 charts may lack an apiVersion: they are v1 charts.
      if (metadata.APIVersion === '') metadata.APIVersion = 'v1';
    }
  }
  const chart: LoadedChart = {
    name: '',
    version: '',
    metadata: metadata ?? emptyMetadata(),
    templates: [],
    values: {},
    valuesText: '',
    hasValues: false,
    files: [],
    subcharts: [],
    crds: [],
    raw,
  };
  const subFiles = new Map<string, ChartFile[]>();
  for (const f of files) {
    const name = f.path;
    if (name === 'Chart.yaml') continue;
    if (name === 'Chart.lock') {
      chart.lock = readLock(f.data, 'Chart.lock');
    } else if (name === 'values.yaml') {
      const text = bytesToString(f.data);
      try {
        chart.values = loadValues(text);
      } catch (e) {
        throw wrap('cannot load values.yaml', e);
      }
      chart.valuesText = text;
      chart.hasValues = true;
    } else if (name === 'values.schema.json') {
      chart.schema = bytesToString(f.data);
    } else if (name === 'requirements.yaml') {
      if (!metadata) metadata = chart.metadata = emptyMetadata();
      decodeInto(readYaml(bytesToString(f.data), 'requirements.yaml'), metadata, METADATA, 'v2.Metadata', 'cannot load requirements.yaml');
      if (metadata.APIVersion === 'v1') chart.files.push(f);
    } else if (name === 'requirements.lock') {
      chart.lock = readLock(f.data, 'requirements.lock');
      if (!metadata) metadata = chart.metadata = emptyMetadata();
      if (metadata.APIVersion === 'v1') chart.files.push(f);
    } else if (name.startsWith('templates/')) {
      chart.templates.push({ name, data: bytesToString(f.data) });
    } else if (name.startsWith('charts/')) {
      if (extName(name) === '.prov') {
        chart.files.push(f);
        continue;
      }
      const rest = name.slice('charts/'.length);
      const slash = rest.indexOf('/');
      const cname = slash < 0 ? rest : rest.slice(0, slash);
      let list = subFiles.get(cname);
      if (!list) subFiles.set(cname, (list = []));
      list.push({ path: rest, data: f.data });
    } else {
      chart.files.push(f);
    }
  }
  if (!metadata) throw new GoError('Chart.yaml file is missing');
  validateMetadata(metadata);
  chart.metadata = metadata;
  chart.name = metadata.Name;
  chart.version = metadata.Version;
  // Validation refused null entries, so this is index-aligned with metadata.Dependencies.
  if (metadata.Dependencies.length > 0) chart.dependencies = metadata.Dependencies.map((d) => toChartDependency(d!));
  chart.crds = chart.files.filter((f) => f.path.startsWith('crds/') && hasManifestExtension(f.path));

  const names = [...subFiles.keys()].sort();
  for (const n of names) {
    const list = subFiles.get(n)!;
    if (n.startsWith('_') || n.startsWith('.')) continue;
    const tgz = extName(n) === '.tgz';
    if (tgz && list[0].path !== n) {
      throw new GoError(`error unpacking subchart tar in ${metadata.Name}: expected ${n}, got ${list[0].path}`);
    }
    let sub: LoadedChart;
    try {
      if (tgz) {
        sub = loadFiles(loadArchiveFiles(list[0].data));
      } else {
        const own: ChartFile[] = [];
        for (const f of list) {
          const slash = f.path.indexOf('/');
          if (slash < 0) continue;
          own.push({ path: f.path.slice(slash + 1), data: f.data });
        }
        sub = loadFiles(own);
      }
    } catch (e) {
      throw wrap(`error unpacking subchart ${n} in ${metadata.Name}`, e);
    }
    sub.parent = chart;
    sub.source = 'charts/' + n;
    chart.subcharts.push(sub);
  }
  return chart;
}

/** A metadata dependency in values.ts' shape. */
export function toChartDependency(d: Dependency): ChartDependency {
  return {
    name: d.Name,
    version: d.Version,
    repository: d.Repository,
    condition: d.Condition,
    tags: d.Tags,
    enabled: d.Enabled,
    importValues: d.ImportValues,
    alias: d.Alias,
  };
}

function wrap(prefix: string, e: unknown): GoError {
  noteStackOverflow(e);
  const msg = e instanceof Error ? e.message : String(e);
  return new GoError(`${prefix}: ${msg}`);
}

function readLock(data: Uint8Array, file: string): Lock {
  const lock: Lock = { Generated: '', Digest: '', Dependencies: [] };
  decodeInto(readYaml(bytesToString(data), file), lock, LOCK, 'v2.Lock', `cannot load ${file}`);
  return lock;
}

// ---------------------------------------------------------------------------------------------
// Archives (archive.LoadArchiveFiles)

/** gzip's errors as Go's compress/gzip words them. */
function gunzip(data: Uint8Array): Uint8Array {
  // gzip.NewReader reads the 10-byte header first: nothing is EOF, a short one unexpected EOF.
  if (data.length === 0) throw new GoError('EOF');
  if (data.length < 10) throw new GoError('unexpected EOF');
  if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw new GoError('gzip: invalid header');
  try {
    // zlib is loaded here, on the first archive: most charts are folders.
    return (require('zlib') as typeof import('zlib')).gunzipSync(data);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') throw new GoError('unexpected EOF');
    if (code === 'Z_DATA_ERROR' && /check/.test((e as Error).message)) throw new GoError('gzip: invalid checksum');
    throw new GoError('flate: corrupt input');
  }
}

/**
 * The files of a chart archive (`.tgz`), as Helm's LoadArchiveFiles returns them: the first path
 * element (the chart's folder) cut, `\` separators of Windows-made archives turned into `/`,
 * directories and PAX headers skipped, unsafe paths refused, size limits enforced, one UTF-8 BOM
 * dropped from each file. `.helmignore` is not applied. Throws GoError with Helm's messages.
 */
export function loadArchiveFiles(tgz: Uint8Array): ChartFile[] {
  const entries = readTar(gunzip(tgz));
  const files: ChartFile[] = [];
  let remaining = MAX_CHART_SIZE;
  for (const hd of entries) {
    if (isDirEntry(hd)) continue;
    if (hd.typeflag === 'g' || hd.typeflag === 'x') continue;
    const delim = hd.name.includes('\\') ? '\\' : '/';
    const parts = hd.name.split(delim);
    let n = parts.slice(1).join(delim);
    if (delim !== '/') n = n.split(delim).join('/');
    if (n.startsWith('/')) throw new GoError('chart illegally contains absolute paths');
    n = cleanPath(n);
    if (n === '.') throw new GoError(`chart illegally contains content outside the base directory: ${goQuote(hd.name)}`);
    if (n.startsWith('..')) throw new GoError('chart illegally references parent directory');
    if (/^[a-zA-Z]:\//.test(n)) throw new GoError('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') throw new GoError('chart yaml not in base directory');
    if (hd.size > remaining) throw new GoError(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
    if (hd.size > MAX_FILE_SIZE) {
      throw new GoError(`decompressed chart file ${goQuote(hd.name)} is larger than the maximum file size ${MAX_FILE_SIZE}`);
    }
    remaining -= hd.data.length;
    if (hd.data.length < hd.size || remaining <= 0) {
      throw new GoError(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
    }
    files.push({ path: n, data: stripBom(hd.data) });
  }
  if (files.length === 0) throw new GoError('no files in chart archive');
  return files;
}

/** Loads a chart archive (`helm template chart.tgz`): LoadArchiveFiles, then the loader. */
export function loadChartArchive(tgz: Uint8Array, opts: LoadOptions = {}): LoadedChart {
  const files = loadArchiveFiles(tgz);
  if (!files.some((f) => f.path === 'Chart.yaml')) throw new GoError('unable to detect chart version, no Chart.yaml found');
  return loadChart(files, opts);
}

// ---------------------------------------------------------------------------------------------
// .helmignore for in-memory chart folders

/**
 * The files Helm's directory loader keeps from a chart folder's files (paths relative to the
 * chart root): the root `.helmignore` (if any) plus the default rule, asked about each parent
 * directory first (an ignored directory drops everything below it) and then about the file.
 * Only the root `.helmignore` counts, also for unpacked subcharts in `charts/`. Throws GoError
 * for a bad `.helmignore` rule (as LoadDir does).
 */
export function applyHelmignore(files: ChartFile[]): ChartFile[] {
  const ignoreFile = files.find((f) => f.path === HELMIGNORE);
  const rules = helmignoreRules(ignoreFile ? bytesToString(stripBom(ignoreFile.data)) : undefined);
  const dirVerdict = new Map<string, boolean>();
  const dirIgnored = (dir: string): boolean => {
    let v = dirVerdict.get(dir);
    if (v === undefined) {
      const slash = dir.lastIndexOf('/');
      v = (slash >= 0 && dirIgnored(dir.slice(0, slash))) || rules.ignored(dir, true);
      dirVerdict.set(dir, v);
    }
    return v;
  };
  return files.filter((f) => {
    const slash = f.path.lastIndexOf('/');
    if (slash >= 0 && dirIgnored(f.path.slice(0, slash))) return false;
    return !rules.ignored(f.path, false);
  });
}

// ---------------------------------------------------------------------------------------------
// values.yaml (loader.LoadValues)

/**
 * Reads a values file as Helm's LoadValues does: split into YAML documents at `---` lines (the
 * k8s YAMLReader), each read as a map, later documents merged over earlier ones (maps merge,
 * anything else replaces). Throws GoError.
 */
export function loadValues(text: string): GoMap {
  let values: GoMap = {};
  for (const doc of splitYamlDocuments(text)) {
    let m: GoMap;
    try {
      m = readYamlMap(doc);
    } catch (e) {
      throw wrap('cannot unmarshal yaml document', e);
    }
    values = mergeMaps(values, m);
  }
  return values;
}

/** Helm's loader.MergeMaps: b over a, maps merged recursively, a new map returned. */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = { ...a };
  for (const k of Object.keys(b)) {
    const v = b[k];
    if (isGoMap(v) && Object.prototype.hasOwnProperty.call(out, k)) {
      const bv = out[k];
      if (isGoMap(bv)) {
        out[k] = mergeMaps(bv, v);
        continue;
      }
    }
    out[k] = v;
  }
  return out;
}

/**
 * The k8s YAMLReader's documents (what LoadValues reads): lines (a `\r\n` end becomes `\n`);
 * a line starting with `---` ends the document before it, and may only be followed by spaces or
 * a `#` comment (else `error reading yaml document: invalid Yaml document separator: X`). A
 * separator line that starts a document is kept in it (it counts for line numbers).
 */
export function splitYamlDocuments(text: string): string[] {
  const docs: string[] = [];
  let cur = '';
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    let line = nl < 0 ? text.slice(pos) : text.slice(pos, nl);
    pos = nl < 0 ? text.length : nl + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    line += '\n';
    if (line.startsWith('---')) {
      const trimmed = trimSpace(line.slice(3));
      if (trimmed.length > 0 && trimmed[0] !== '#') {
        throw new GoError(`error reading yaml document: invalid Yaml document separator: ${trimmed}`);
      }
      if (cur.length > 0) {
        docs.push(cur);
        cur = '';
        continue;
      }
    }
    cur += line;
  }
  if (cur.length > 0) docs.push(cur);
  return docs;
}

function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpaceRune(s.charCodeAt(a))) a++;
  while (b > a && isGoSpaceRune(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

// ---------------------------------------------------------------------------------------------
// YAML (sigs.k8s.io/yaml over go-yaml v2)

/** A YAML document as sigs.k8s.io/yaml turns it into JSON (go-yaml v2 types, numbers float64). */
function readYaml(text: string, file: string): Value {
  try {
    return yamlToJsonValue(text);
  } catch (e) {
    throw wrap(`cannot load ${file}`, e);
  }
}

// ---------------------------------------------------------------------------------------------
// Go's json.Unmarshal into Helm's structs (after sigs.k8s.io/yaml turned YAML into JSON)
//
// - keys match field names exactly or case-insensitively; unknown keys are ignored;
// - a YAML number or bool read into a string field becomes a string (sigs.k8s.io/yaml does it
//   while converting: ints in decimal, floats with %g at float32 precision, so `1.10` is "1.1");
// - JSON null leaves a string or bool as it was and makes a slice, map or pointer nil;
// - a value of the wrong kind is Go's `json: cannot unmarshal KIND into Go struct field
//   STRUCT.PATH of type T` (the first one wins; the rest of the document is still read);
// - decoding into a struct that already holds data (requirements.yaml over Chart.yaml) keeps
//   what the document does not mention, and slice elements decode into the existing elements.

type FieldKind =
  | { k: 'string' }
  | { k: 'bool' }
  | { k: 'strings' }
  | { k: 'stringMap' }
  | { k: 'anys' }
  | { k: 'structs'; def: StructDef; goType: string };

interface FieldDef {
  json: string;
  go: string;
  kind: FieldKind;
}

interface StructDef {
  name: string;
  fields: FieldDef[];
  make: () => Record<string, unknown>;
}

const S: FieldKind = { k: 'string' };

const MAINTAINER: StructDef = {
  name: 'Maintainer',
  fields: [
    { json: 'name', go: 'Name', kind: S },
    { json: 'email', go: 'Email', kind: S },
    { json: 'url', go: 'URL', kind: S },
  ],
  make: () => ({ Name: '', Email: '', URL: '' }),
};

const DEPENDENCY: StructDef = {
  name: 'Dependency',
  fields: [
    { json: 'name', go: 'Name', kind: S },
    { json: 'version', go: 'Version', kind: S },
    { json: 'repository', go: 'Repository', kind: S },
    { json: 'condition', go: 'Condition', kind: S },
    { json: 'tags', go: 'Tags', kind: { k: 'strings' } },
    { json: 'enabled', go: 'Enabled', kind: { k: 'bool' } },
    { json: 'import-values', go: 'ImportValues', kind: { k: 'anys' } },
    { json: 'alias', go: 'Alias', kind: S },
  ],
  make: () => ({ Name: '', Version: '', Repository: '', Condition: '', Tags: [], Enabled: false, ImportValues: [], Alias: '' }),
};

const METADATA: StructDef = {
  name: 'Metadata',
  fields: [
    { json: 'name', go: 'Name', kind: S },
    { json: 'home', go: 'Home', kind: S },
    { json: 'sources', go: 'Sources', kind: { k: 'strings' } },
    { json: 'version', go: 'Version', kind: S },
    { json: 'description', go: 'Description', kind: S },
    { json: 'keywords', go: 'Keywords', kind: { k: 'strings' } },
    { json: 'maintainers', go: 'Maintainers', kind: { k: 'structs', def: MAINTAINER, goType: '[]*v2.Maintainer' } },
    { json: 'icon', go: 'Icon', kind: S },
    { json: 'apiVersion', go: 'APIVersion', kind: S },
    { json: 'condition', go: 'Condition', kind: S },
    { json: 'tags', go: 'Tags', kind: S },
    { json: 'appVersion', go: 'AppVersion', kind: S },
    { json: 'deprecated', go: 'Deprecated', kind: { k: 'bool' } },
    { json: 'annotations', go: 'Annotations', kind: { k: 'stringMap' } },
    { json: 'kubeVersion', go: 'KubeVersion', kind: S },
    { json: 'dependencies', go: 'Dependencies', kind: { k: 'structs', def: DEPENDENCY, goType: '[]*v2.Dependency' } },
    { json: 'type', go: 'Type', kind: S },
  ],
  make: () => emptyMetadata() as unknown as Record<string, unknown>,
};

const LOCK: StructDef = {
  name: 'Lock',
  fields: [
    { json: 'generated', go: 'Generated', kind: S },
    { json: 'digest', go: 'Digest', kind: S },
    { json: 'dependencies', go: 'Dependencies', kind: { k: 'structs', def: DEPENDENCY, goType: '[]*v2.Dependency' } },
  ],
  make: () => ({ Generated: '', Digest: '', Dependencies: [] }),
};

const CHART_BASE: StructDef = {
  name: 'chartBase',
  fields: [{ json: 'apiVersion', go: 'apiVersion', kind: S }],
  make: () => ({ apiVersion: '' }),
};

/** The JSON kind Go names in UnmarshalTypeError. */
function jsonKind(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || v instanceof GoInt) return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'array';
  return 'object';
}

/** A YAML scalar read into a string field (sigs.k8s.io/yaml's convertToJSONableObject). */
function scalarToString(v: Value): Value {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoInt) return v.v.toString();
  if (typeof v === 'number') {
    // YAML ints are formatted in decimal, floats with %g at float32 precision. Numbers arrive
    // here as float64; an integral one is taken for a YAML int.
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
    return formatFloat(Math.fround(v), 32);
  }
  return v;
}

class DecodeState {
  err: string | undefined;
  typeError(kind: string, struct: string, path: string[], goType: string): void {
    if (this.err === undefined) {
      this.err = `json: cannot unmarshal ${kind} into Go struct field ${struct}.${path.join('.')} of type ${goType}`;
    }
  }
}

/** Decodes a document into a struct; throws `PREFIX: error unmarshaling JSON: while decoding JSON: ...`. */
function decodeInto(doc: Value, target: object, def: StructDef, goType: string, prefix: string): void {
  const st = new DecodeState();
  if (doc === null || doc === undefined) return;
  if (!isGoMap(doc)) {
    throw new GoError(`${prefix}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(doc)} into Go value of type ${goType}`);
  }
  decodeStruct(doc, target as Record<string, unknown>, def, [], st);
  if (st.err !== undefined) throw new GoError(`${prefix}: error unmarshaling JSON: while decoding JSON: ${st.err}`);
}

function findField(def: StructDef, key: string): FieldDef | undefined {
  let folded: FieldDef | undefined;
  const lower = key.toLowerCase();
  for (const f of def.fields) {
    if (f.json === key) return f;
    if (!folded && f.json.toLowerCase() === lower) folded = f;
  }
  return folded;
}

function decodeStruct(m: GoMap, target: Record<string, unknown>, def: StructDef, path: string[], st: DecodeState): void {
  // json.Marshal wrote the keys sorted; the decoder reads them in that order (a later key wins).
  const keys = Object.keys(m).sort(byteOrder);
  for (const key of keys) {
    const f = findField(def, key);
    if (!f) continue;
    const p = [...path, f.json];
    let v = m[key];
    const kind = f.kind;
    switch (kind.k) {
      case 'string':
        v = scalarToString(v);
        if (v === null || v === undefined) break;
        if (typeof v === 'string') target[f.go] = v;
        else st.typeError(jsonKind(v), def.name, p, 'string');
        break;
      case 'bool':
        if (v === null || v === undefined) break;
        if (typeof v === 'boolean') target[f.go] = v;
        else st.typeError(jsonKind(v), def.name, p, 'bool');
        break;
      case 'strings': {
        if (v === null || v === undefined) {
          target[f.go] = [];
          break;
        }
        if (!Array.isArray(v)) {
          st.typeError(jsonKind(v), def.name, p, '[]string');
          break;
        }
        const out: string[] = [];
        for (const x0 of v) {
          const x = scalarToString(x0);
          if (x === null || x === undefined) out.push('');
          else if (typeof x === 'string') out.push(x);
          else {
            st.typeError(jsonKind(x), def.name, p, 'string');
            out.push('');
          }
        }
        target[f.go] = out;
        break;
      }
      case 'stringMap': {
        if (v === null || v === undefined) {
          target[f.go] = null;
          break;
        }
        if (!isGoMap(v)) {
          st.typeError(jsonKind(v), def.name, p, 'map[string]string');
          break;
        }
        const out = (target[f.go] as Record<string, string> | null) ?? {};
        for (const k of Object.keys(v).sort(byteOrder)) {
          const x = scalarToString(v[k]);
          if (x === null || x === undefined) out[k] = '';
          else if (typeof x === 'string') out[k] = x;
          else {
            out[k] = '';
            st.typeError(jsonKind(x), def.name, p, 'string');
          }
        }
        target[f.go] = out;
        break;
      }
      case 'anys':
        if (v === null || v === undefined) target[f.go] = [];
        else if (Array.isArray(v)) target[f.go] = v.slice();
        else st.typeError(jsonKind(v), def.name, p, '[]interface {}');
        break;
      case 'structs': {
        if (v === null || v === undefined) {
          target[f.go] = [];
          break;
        }
        if (!Array.isArray(v)) {
          st.typeError(jsonKind(v), def.name, p, kind.goType);
          break;
        }
        const old = (target[f.go] as Array<Record<string, unknown> | null>) ?? [];
        const out: Array<Record<string, unknown> | null> = [];
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x === null || x === undefined) {
            out.push(null);
            continue;
          }
          const elem = (i < old.length ? old[i] : null) ?? kind.def.make();
          if (isGoMap(x)) decodeStruct(x, elem, kind.def, p, st);
          else st.typeError(jsonKind(x), def.name, p, kind.def === MAINTAINER ? 'v2.Maintainer' : 'v2.Dependency');
          out.push(elem);
        }
        target[f.go] = out;
        break;
      }
    }
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Metadata.Validate

/**
 * Helm's Metadata.Validate: sanitizes the text fields (white space becomes a space, characters
 * that do not print are dropped) and checks the metadata; throws `validation: ...`.
 */
export function validateMetadata(md: Metadata): void {
  md.Name = sanitizeString(md.Name);
  md.Description = sanitizeString(md.Description);
  md.Home = sanitizeString(md.Home);
  md.Icon = sanitizeString(md.Icon);
  md.Condition = sanitizeString(md.Condition);
  md.Tags = sanitizeString(md.Tags);
  md.AppVersion = sanitizeString(md.AppVersion);
  md.KubeVersion = sanitizeString(md.KubeVersion);
  md.Sources = md.Sources.map(sanitizeString);
  md.Keywords = md.Keywords.map(sanitizeString);

  const fail = (msg: string): never => {
    throw new GoError('validation: ' + msg);
  };
  if (md.APIVersion === '') fail('chart.metadata.apiVersion is required');
  if (md.Name === '') fail('chart.metadata.name is required');
  if (md.Name === '.' || md.Name === '..') fail(`chart.metadata.name ${goQuote(md.Name)} is not allowed`);
  if (md.Name !== baseNameGo(md.Name)) fail(`chart.metadata.name ${goQuote(md.Name)} is invalid`);
  if (md.Version === '') fail('chart.metadata.version is required');
  if (!isValidSemver(md.Version)) fail(`chart.metadata.version ${goQuote(md.Version)} is invalid`);
  if (md.Type !== '' && md.Type !== 'application' && md.Type !== 'library') fail('chart.metadata.type must be application or library');
  for (const m of md.Maintainers) {
    if (m === null) fail('maintainers must not contain empty or null nodes');
    else {
      m.Name = sanitizeString(m.Name);
      m.Email = sanitizeString(m.Email);
      m.URL = sanitizeString(m.URL);
    }
  }
  const seen = new Set<string>();
  for (const d of md.Dependencies) {
    if (d === null) fail('dependencies must not contain empty or null nodes');
    else {
      d.Name = sanitizeString(d.Name);
      d.Version = sanitizeString(d.Version);
      d.Repository = sanitizeString(d.Repository);
      d.Condition = sanitizeString(d.Condition);
      d.Tags = d.Tags.map(sanitizeString);
      if (d.Alias !== '' && !/^[a-zA-Z0-9_-]+$/.test(d.Alias)) fail(`dependency ${goQuote(d.Name)} has disallowed characters in the alias`);
      const key = d.Alias !== '' ? d.Alias : d.Name;
      if (seen.has(key)) fail(`more than one dependency with name or alias ${goQuote(key)}`);
      seen.add(key);
    }
  }
}

/** Go's filepath.Base (Unix). */
function baseNameGo(p: string): string {
  if (p === '') return '.';
  let end = p.length;
  while (end > 0 && p[end - 1] === '/') end--;
  if (end === 0) return '/';
  return p.slice(p.lastIndexOf('/', end - 1) + 1, end);
}

/**
 * Helm's sanitizeString: unicode.IsSpace characters become ' ', characters unicode.IsPrint
 * refuses (controls, format characters, unassigned, private use) are dropped.
 */
export function sanitizeString(s: string): string {
  // Fast path: printable ASCII.
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (isGoSpaceRune(c)) out += ' ';
    else if (PRINTABLE.test(ch)) out += ch;
  }
  return out;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isGoSpaceRune(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * Masterminds semver v3 NewVersion (with coercion, Helm's default): `v?MAJOR[.MINOR[.PATCH]]`,
 * an optional prerelease (numeric parts without leading zeros) and build metadata; each number
 * must fit in a uint64.
 */
export function isValidSemver(v: string): boolean {
  const m = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/.exec(v);
  if (!m) return false;
  const max = 18446744073709551615n;
  for (const part of [m[1], m[2]?.slice(1), m[3]?.slice(1)]) {
    if (part !== undefined && BigInt(part) > max) return false;
  }
  if (m[5] !== undefined) {
    for (const p of m[5].split('.')) if (/^[0-9]+$/.test(p) && p.length > 1 && p[0] === '0') return false;
  }
  return true;
}

function hasManifestExtension(name: string): boolean {
  const ext = extName(name).toLowerCase();
  return ext === '.yaml' || ext === '.yml' || ext === '.json';
}

/** Go's filepath.Ext. */
export function extName(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = out.join('/');
  if (rooted) return '/' + s;
  return s === '' ? '.' : s;
}

/** Go's strconv.Quote (what `%q` prints). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0xfffd) out += ch;
    else if (PRINTABLE.test(ch) || c === 0x20) out += ch;
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}
