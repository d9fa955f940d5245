/**
 * Everything the editor says about a chart's Chart.yaml (and a v1 chart's requirements.yaml):
 * problems, completion and hover. Pure: the LSP layer reads `charts/`, the lock file and the
 * chart's folder and hands them over as a `ChartYamlContext`.
 *
 * What is checked, and why (helm/helm v4: pkg/chart/v2/lint/rules/chartfile.go and
 * dependencies.go, pkg/chart/v2/metadata.go and dependency.go, pkg/downloader/manager.go):
 * - the schema: Helm decodes Chart.yaml into a Go struct through sigs.k8s.io/yaml. A value of the
 *   wrong kind (a list where text goes) makes the chart unloadable; a number or boolean where text
 *   goes is turned into text (`1.10` becomes "1.1"); keys match regardless of case; unknown keys are
 *   ignored, but helm lint's strict parse warns about them (and about duplicate keys);
 * - every check `helm lint` makes on Chart.yaml, with its severity (ERROR → error, WARNING →
 *   warning, INFO → information), and what Metadata.Validate refuses while loading (error);
 * - dependencies against `charts/` and the lock: a declared chart not in charts/ yet (information:
 *   a fresh checkout has none), a chart outside the declared range (Helm then applies no alias,
 *   condition or tags to it), a chart in charts/ that no dependency lists (helm lint: error), and
 *   a lock whose digest no longer matches the dependencies (`helm dependency build` stops).
 * Messages are ours: what is wrong, where, and how to fix it, each on the exact key or value.
 */
import { createHash } from 'crypto';
import { cursorContext } from '../../model/context';
import { isAlias, isMap, isScalar, isSeq, ManifestFile, ManifestObject, Node, nodeAtOffset, nodeRange, Pair, parseManifestFile, resolveAlias, Scalar, Section, YAMLMap, YAMLSeq } from '../../model/manifest';
import { explainSyntaxProblem } from '../../model/syntaxMessages';
import { closest } from '../../model/text';
import type { RuleMeta } from '../../rules/engine';
import { Problem, Severity } from '../../types';
import type { CompletionEntry } from '../completion';
import type { HoverResult } from '../hover';
import { Dependency as HelmDependency, loadChart, Lock, Metadata } from '../../helm/chart';
import { formatFloat } from '../../helm/fmt';
import { jsonQuote, marshalJSON } from '../../helm/gojson';
import { parseConstraint, parseStrictVersion, parseVersion, semverCompare, SemverVersion } from '../../helm/funcs/semver';
import { GoError } from '../../helm/value';
import { CHART_SCHEMA, DEPENDENCY_SCHEMA, FieldSchema, fieldFolded, fieldOf, KNOWN_ANNOTATIONS, MAINTAINER_SCHEMA, StructSchema, structAt } from './chartYamlSchema';

// ---------------------------------------------------------------------------------------------
// Context and rules

/** A chart found in `charts/`: an unpacked folder or a `.tgz`, with the name and version of its Chart.yaml. */
export interface ChartSubchart {
  name: string;
  version: string;
  /** Chart-relative path: `charts/common` or `charts/common-2.31.4.tgz`. */
  path: string;
}

/** What Chart.yaml is checked against; the LSP layer fills it from the chart's folder. */
export interface ChartYamlContext {
  /** The charts in `charts/` that Helm loads (names starting with `_` or `.` left out), with a readable Chart.yaml. */
  subcharts: ChartSubchart[];
  /** Chart.lock (apiVersion v2) or requirements.lock (v1), when there is one. */
  lockText?: string;
  /** requirements.yaml, when there is one (the dependencies of apiVersion v1 charts; Helm reads it for v2 too). */
  requirementsText?: string;
  /** Whether the chart has a `templates/` folder (undefined: not known, not checked). */
  hasTemplates?: boolean;
  /** Whether the chart has a `values.yaml` (undefined: not known, not checked). */
  hasValues?: boolean;
}

/** For requirements.yaml (apiVersion v1): the same, plus the text of the chart's Chart.yaml. */
export interface RequirementsYamlContext extends ChartYamlContext {
  chartYamlText: string;
}

const R = (id: string, severity: Severity, title: string, why: string, bad?: string, good?: string): RuleMeta => ({ id, severity, title, why, bad, good });

/** The problems Chart.yaml checks can report (shaped like the rule families' metadata, for docs/rules.md). */
export const CHART_YAML_RULES: RuleMeta[] = [
  R('chart-yaml-syntax', 'error', 'Chart.yaml is not valid YAML', 'Helm cannot read the chart at all: helm lint, template and install stop with "unable to parse YAML".'),
  R('chart-duplicate-key', 'warning', 'A key appears twice in one map of Chart.yaml', 'Helm silently keeps the last value; helm lint warns (its strict parse refuses duplicate keys).', 'name: web\nname: api', 'name: api'),
  R('chart-not-a-map', 'error', 'Chart.yaml is not a map of fields', 'Helm decodes Chart.yaml into its chart metadata and cannot load a chart whose Chart.yaml is a list or a scalar.'),
  R('chart-extra-document', 'warning', 'Chart.yaml has more than one YAML document', 'Helm reads only the first document; fields after a `---` line are silently ignored.'),
  R('chart-unknown-field', 'warning', 'A field Chart.yaml does not have', 'Helm ignores unknown fields, so a misspelt one (`appversion` is fine, `app_version` is not) silently has no effect; helm lint warns about it.', 'apiVersion: v2\nname: web\nversoin: 1.0.0', 'apiVersion: v2\nname: web\nversion: 1.0.0'),
  R('chart-field-case', 'information', 'A Chart.yaml key written with other capitals', 'Helm matches keys regardless of case (`Name` is read as `name`), but other tools reading Chart.yaml may not.', 'Name: web', 'name: web'),
  R('chart-field-type', 'error', 'A Chart.yaml value of the wrong kind', 'Helm cannot load a chart whose Chart.yaml has, say, a list where text goes or text where a list goes ("cannot unmarshal ... into Go struct field").', 'keywords: web', 'keywords:\n  - web'),
  R('chart-value-converted', 'warning', 'A number or boolean where Chart.yaml wants text, which Helm reads differently', 'Helm turns YAML numbers and booleans into text, and not as written: `1.10` becomes "1.1", `yes` becomes "true", `010` becomes "8".', 'kubeVersion: 1.20', 'kubeVersion: ">=1.20.0-0"'),
  R('chart-api-version', 'error', 'apiVersion missing or not v1/v2', 'helm lint fails without an apiVersion, and Helm refuses to load a chart with an unknown one.', 'name: web', 'apiVersion: v2\nname: web'),
  R('chart-api-version-v3', 'warning', 'apiVersion v3 (experimental)', "v3 is Helm 4's experimental chart format, loaded only with HELM_EXPERIMENTAL_CHART_V3 set; helm lint refuses it."),
  R('chart-name', 'error', 'Chart name missing or not a plain name', 'Helm refuses a chart without a name, or whose name holds a `/` (or is `.` or `..`).', 'name: charts/web', 'name: web'),
  R('chart-version', 'error', 'Chart version missing or not SemVer', 'Helm refuses a chart whose version is missing or is not a semantic version.', 'version: latest', 'version: 1.0.0'),
  R('chart-version-type', 'error', 'version or appVersion written as a number', 'helm lint requires both to be strings: YAML reads `1.10` as the number 1.1, and Helm then sees "1.1".', 'appVersion: 1.10', 'appVersion: "1.10"'),
  R('chart-version-semver2', 'warning', 'Chart version not strict SemVer 2', 'helm lint warns when the version has a leading v, lacks MINOR or PATCH, or has a leading zero.', 'version: v1.2', 'version: 1.2.0'),
  R('chart-kube-version', 'error', 'kubeVersion is not a version constraint', 'Helm compares kubeVersion with the cluster version before it installs, upgrades or renders, and refuses the chart when the constraint does not parse.', 'kubeVersion: 1.22+', 'kubeVersion: ">=1.22.0-0"'),
  R('chart-kube-version-prerelease', 'information', 'kubeVersion rejects cluster versions with a suffix', 'Managed clusters report versions such as v1.28.3-gke.1286000, which SemVer calls prereleases: a constraint without a prerelease part (`>=1.22.0`) does not match them, so Helm refuses the chart there. `-0` (`>=1.22.0-0`) accepts them.', 'kubeVersion: ">=1.22.0"', 'kubeVersion: ">=1.22.0-0"'),
  R('chart-type', 'error', 'Chart type not application or library, or used with apiVersion v1', 'Helm refuses any other type; helm lint fails on a type in an apiVersion v1 chart.', 'type: app', 'type: application'),
  R('chart-v1-dependencies', 'error', 'dependencies in an apiVersion v1 Chart.yaml', 'helm lint fails on them: v1 charts list dependencies in requirements.yaml, v2 charts in Chart.yaml.'),
  R('chart-maintainer', 'error', 'A maintainer without a name, or with an invalid email or URL', 'helm lint fails on these, and Helm refuses to load a chart with an empty maintainer entry.', 'maintainers:\n  - email: me@example', 'maintainers:\n  - name: me\n    email: me@example.com'),
  R('chart-source-url', 'error', 'A source that is not a URL', 'helm lint fails unless every entry of sources is an absolute URL with a scheme.', 'sources:\n  - github.com/me/web', 'sources:\n  - https://github.com/me/web'),
  R('chart-icon', 'information', 'No icon', 'helm lint recommends an icon; chart repositories such as Artifact Hub show it.'),
  R('chart-icon-url', 'error', 'An icon that is not a URL', 'helm lint fails unless the icon is an absolute URL; a path inside the chart is not accepted.', 'icon: icon.png', 'icon: https://example.com/icon.png'),
  R('chart-legacy-field', 'information', 'condition or tags at the top of Chart.yaml', 'Helm 2 leftovers that Helm 3 and 4 read but never use: they belong on the dependency entry in the parent chart.'),
  R('chart-no-templates', 'warning', 'The chart has no templates/ folder', 'helm lint warns ("templates/: directory does not exist").'),
  R('chart-no-values', 'information', 'The chart has no values.yaml', 'helm lint notes it ("values.yaml: file does not exist"); a values.yaml documents what the chart can be configured with.'),
  R('chart-dependency', 'error', 'An empty dependency entry, or an invalid alias', 'Helm refuses to load a chart with an empty dependency entry or an alias other than letters, digits, `_` and `-`.', 'dependencies:\n  - name: redis\n    alias: redis.cache', 'dependencies:\n  - name: redis\n    alias: redis-cache'),
  R('chart-dependency-name', 'warning', 'A dependency without a name', 'Helm matches it to no chart in charts/, and helm dependency update cannot fetch it.'),
  R('chart-dependency-duplicate', 'error', 'Two dependencies with the same name or alias', 'Helm refuses to load the chart ("more than one dependency with name or alias"); give one of them an alias.'),
  R('chart-dependency-version', 'warning', 'A dependency without a version range, or with one that does not parse', 'helm dependency update stops on it, and while rendering Helm applies the entry (alias, condition, tags) to no chart.', 'dependencies:\n  - name: redis', 'dependencies:\n  - name: redis\n    version: ^18.0.0'),
  R('chart-dependency-repository', 'warning', 'A dependency repository that is neither a URL nor @name', 'helm dependency update needs a URL (https://, oci://, file://) or the name of a repository added with helm repo add, written `@name`.', 'repository: bitnami', 'repository: "@bitnami"'),
  R('chart-dependency-enabled', 'information', '`enabled` on a dependency', 'Helm sets `enabled` itself from condition and tags while rendering; a value written in Chart.yaml is overwritten.'),
  R('chart-import-values', 'warning', 'An import-values entry Helm ignores', 'Each entry is a name the subchart exports or a map with `child` and `parent`; anything else is silently ignored.'),
  R('chart-dependency-missing', 'information', 'A dependency not in charts/ yet', 'Helm renders and installs only charts that are in charts/; `helm dependency build` downloads them (a fresh checkout usually has none).'),
  R('chart-dependency-range-mismatch', 'warning', 'A chart in charts/ outside the dependency\'s version range', 'Helm applies the dependency entry (alias, condition, tags, import-values) only to a chart inside its range; the one in charts/ is rendered as it is.'),
  R('chart-dependency-undeclared', 'error', 'A chart in charts/ that no dependency lists', 'helm lint fails ("chart metadata is missing these dependencies").'),
  R('chart-requirements-v2', 'warning', 'requirements.yaml next to an apiVersion v2 Chart.yaml', 'Helm still reads requirements.yaml and lays its dependencies over those of Chart.yaml, printing a warning; v2 charts keep dependencies in Chart.yaml only.'),
  R('chart-lock-out-of-sync', 'warning', 'The lock file is out of step with the dependencies', '`helm dependency build` refuses to run ("the lock file is out of sync with the dependencies file"); `helm dependency update` re-resolves the ranges and rewrites the lock.'),
  R('chart-lock-stale-charts', 'information', 'charts/ holds another version than the lock pins', '`helm dependency build` would replace it with the pinned version.'),
];

// ---------------------------------------------------------------------------------------------
// YAML helpers

type ValueKind = 'string' | 'number' | 'bool' | 'null' | 'map' | 'list';

/** The node behind an alias (anchors are rare in Chart.yaml, but legal). */
function deref(section: Section, node: unknown): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return resolveAlias(node, section.doc) ?? null;
  return node as Node;
}

function kindOf(node: Node | null): ValueKind {
  if (node === null) return 'null';
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number' || typeof v === 'bigint') return 'number';
    if (typeof v === 'boolean') return 'bool';
    return 'string'; // strings, and timestamps, which go-yaml hands over as text
  }
  return 'string';
}

const KIND_WORDS: Record<ValueKind, string> = { string: 'text', number: 'a number', bool: 'a boolean', null: 'empty', map: 'a map', list: 'a list' };

/** A scalar as Helm reads it into a text field (sigs.k8s.io/yaml: ints in decimal, floats with %g at float32 precision). */
function goText(section: Section, node: Node | null, file: ManifestFile): string {
  if (!node || !isScalar(node)) return '';
  const v = node.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
    return formatFloat(Math.fround(v), 32);
  }
  return rawText(section, node, file);
}

function rawText(section: Section, node: Node | null, file: ManifestFile): string {
  const r = nodeRange(section, node);
  return r ? file.text.slice(r[0], r[1]) : '';
}

function keyText(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (!isScalar(k)) return undefined;
  return k.value === null || k.value === undefined ? '' : String(k.value);
}

/** Go's filepath.Base (Unix). */
function baseName(p: string): string {
  if (p === '') return '.';
  let end = p.length;
  while (end > 0 && p[end - 1] === '/') end--;
  if (end === 0) return '/';
  return p.slice(p.lastIndexOf('/', end - 1) + 1, end);
}

// ---------------------------------------------------------------------------------------------
// URLs and emails as helm lint checks them (asaskevich/govalidator over Go's net/url)

const HOST_OK = /^[A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~]$/;
const USERINFO_OK = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]$/;

/** Go's url.ParseRequestURI succeeds and gives a scheme (govalidator.IsRequestURL). */
export function isRequestURL(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (s === '' || /[\x00-\x1f\x7f]/.test(s)) return false;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  if (!m) return false; // no scheme (a path or a bare host)
  let rest = s.slice(m[0].length);
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) return true; // opaque: mailto:x@example.com
  let path = rest;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    path = slash < 0 ? '' : rest.slice(slash);
    if (!validAuthority(authority)) return false;
  }
  return validEscapes(path, false);
}

function validAuthority(a: string): boolean {
  const at = a.lastIndexOf('@');
  let host = a;
  if (at >= 0) {
    const user = a.slice(0, at);
    for (const ch of user) if (!USERINFO_OK.test(ch)) return false;
    if (!validEscapes(user, false)) return false;
    host = a.slice(at + 1);
  }
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return false;
    return validPort(host.slice(close + 1));
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !validPort(host.slice(colon))) return false;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c >= 0x80) continue;
    if (host[i] === '%') continue;
    if (!HOST_OK.test(host[i])) return false;
  }
  return validEscapes(host, true);
}

function validPort(p: string): boolean {
  return p === '' || /^:[0-9]*$/.test(p);
}

/** Percent escapes need two hex digits; in a host only bytes from 0x80 (or %25) may be escaped. */
function validEscapes(s: string, host: boolean): boolean {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    if (!/^%[0-9A-Fa-f]{2}/.test(s.slice(i, i + 3))) return false;
    if (host && parseInt(s[i + 1], 16) < 8 && s.slice(i, i + 3) !== '%25') return false;
  }
  return true;
}

const EMAIL_LOCAL = /^[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]$/;
const EMAIL_DOMAIN = /^[a-zA-Z0-9\-._~\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]$/;
const EMAIL_EDGE = /^[a-zA-Z0-9\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]$/;
const TLD_EDGE = /^[a-zA-Z\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]$/;
const TLD_INNER = /^[a-zA-Z0-9\-_~\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]$/;

/**
 * govalidator.IsEmail, read without its backtracking regular expression: a dot-atom local part
 * (a quoted one is accepted unchecked), `@`, then labels ending in a top-level label that starts
 * and ends with a letter.
 */
export function isEmail(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0) return false;
  const local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (!local.startsWith('"')) {
    if (local.includes('@')) return false;
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
    for (const ch of local) if (ch !== '.' && !EMAIL_LOCAL.test(ch)) return false;
  }
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  const dot = domain.lastIndexOf('.');
  if (dot <= 0) return false;
  const head = [...domain.slice(0, dot)];
  const tld = [...domain.slice(dot + 1)];
  if (!head.length || !tld.length) return false;
  if (!EMAIL_EDGE.test(head[0]) || !EMAIL_EDGE.test(head[head.length - 1])) return false;
  for (const ch of head) if (!EMAIL_DOMAIN.test(ch)) return false;
  if (!TLD_EDGE.test(tld[0]) || !TLD_EDGE.test(tld[tld.length - 1])) return false;
  for (const ch of tld) if (!TLD_INNER.test(ch)) return false;
  return true;
}

/**
 * The clear failures of govalidator.IsURL (its full regular expression is not reproduced, so
 * only what it certainly refuses is refused): white space, a leading dot, three characters or
 * fewer, or a bare word with neither a scheme nor a dot.
 */
export function isClearlyNotURL(s: string): boolean {
  if (s.length <= 3 || s.length >= 2083 || s.startsWith('.')) return true;
  if (/\s/.test(s)) return true;
  if (!s.includes(':') && !s.includes('.')) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// The checker

interface Field {
  schema: FieldSchema;
  pair: Pair<unknown, unknown>;
  key: Scalar;
  value: Node | null;
}

class Checker {
  readonly problems: Problem[] = [];
  constructor(
    readonly file: ManifestFile,
    readonly section: Section,
  ) {}

  /** The range of a node, without the line breaks and spaces a block collection ends with. */
  at(node: Node | null | undefined): [number, number] | undefined {
    const r = node ? nodeRange(this.section, node) : undefined;
    if (!r) return undefined;
    let end = r[1];
    while (end > r[0] && /\s/.test(this.file.text[end - 1])) end--;
    return [r[0], end];
  }

  /** The range of a node, or of the `-` of its sequence item when the node is empty (`-` alone on its line). */
  item(seq: YAMLSeq, item: unknown): [number, number] | undefined {
    const r = this.at(deref(this.section, item));
    return r && r[1] > r[0] ? r : dashAt(this, seq, item);
  }

  add(code: string, severity: Severity, where: [number, number] | undefined, message: string, data?: Record<string, unknown>): void {
    const [start, end] = where ?? [0, 0];
    const p: Problem = { start, end, severity, code, message };
    if (data) p.data = data;
    this.problems.push(p);
  }

  text(node: Node | null): string {
    return goText(this.section, node, this.file);
  }

  raw(node: Node | null): string {
    return rawText(this.section, node, this.file);
  }

  /** Checks a map against a schema: unknown keys, key case, kinds of values. Returns the fields found (the last of duplicates). */
  struct(map: YAMLMap, schema: StructSchema, what: string): Map<string, Field> {
    const found = new Map<string, Field>();
    for (const pair of map.items) {
      const key = keyText(pair);
      const keyNode = pair.key as Node | null;
      if (key === undefined || !isScalar(keyNode)) {
        this.add('chart-unknown-field', 'warning', this.at(keyNode), `This key is not a field of ${what}: Helm ignores it. Keys are plain words such as ${schema.fields[0].key}.`);
        continue;
      }
      const exact = fieldOf(schema, key);
      const field = exact ?? fieldFolded(schema, key);
      if (!field) {
        const names = schema.fields.filter((f) => !f.legacy).map((f) => f.key);
        // A typo, or a key cut short (`repo` for repository).
        const suggestion = closest(key, names) ?? (key.length >= 3 ? names.find((n) => n.toLowerCase().startsWith(key.toLowerCase())) : undefined);
        this.add(
          'chart-unknown-field',
          'warning',
          this.at(keyNode),
          `"${key}" is not a field of ${what}: Helm ignores it (helm lint warns).${suggestion ? ` Did you mean ${suggestion}?` : ` The fields are ${schema.fields.filter((f) => !f.legacy).map((f) => f.key).join(', ')}.`}`,
          suggestion ? { replacement: suggestion } : undefined,
        );
        continue;
      }
      if (!exact) {
        this.add('chart-field-case', 'information', this.at(keyNode), `Helm reads "${key}" as ${field.key} (it ignores case in keys), but other tools reading Chart.yaml may not: write ${field.key}.`, { replacement: field.key });
      }
      const value = deref(this.section, pair.value);
      found.set(field.key, { schema: field, pair, key: keyNode, value });
      this.kind(field, value, what);
    }
    return found;
  }

  /** The value of a field against its kind. */
  kind(field: FieldSchema, value: Node | null, what: string): void {
    const kind = kindOf(value);
    const name = field.key;
    const wrong = (want: string) =>
      this.add('chart-field-type', 'error', this.at(value), `${name} in ${what} takes ${want}, not ${KIND_WORDS[kind]}: Helm cannot load the chart with this value. Write ${want}.`);
    switch (field.kind.k) {
      case 'string':
        if (kind === 'map' || kind === 'list') wrong('text');
        else if (kind === 'number' || kind === 'bool') {
          // version and appVersion must be strings outright (checked with their own messages).
          if (!(what === 'Chart.yaml' && (name === 'version' || name === 'appVersion'))) this.converted(value);
        }
        break;
      case 'bool':
        if (kind !== 'bool' && kind !== 'null') wrong('true or false');
        break;
      case 'strings':
        if (kind === 'null') break;
        if (kind !== 'list') {
          wrong('a list of text');
          break;
        }
        for (const item of (value as YAMLSeq).items) {
          const n = deref(this.section, item);
          const k = kindOf(n);
          if (k === 'map' || k === 'list') this.add('chart-field-type', 'error', this.at(n), `Each entry of ${name} is text, not ${KIND_WORDS[k]}: Helm cannot load the chart with this value.`);
          else if (k === 'number' || k === 'bool') this.converted(n);
        }
        break;
      case 'stringMap':
        if (kind === 'null') break;
        if (kind !== 'map') {
          wrong('a map of text values');
          break;
        }
        for (const pair of (value as YAMLMap).items) {
          const n = deref(this.section, pair.value);
          const k = kindOf(n);
          if (k === 'map' || k === 'list') {
            this.add('chart-field-type', 'error', this.at(n), `Each value of ${name} is text, not ${KIND_WORDS[k]}: Helm cannot load the chart with this value. To keep structured data in an annotation, write it as a block of text (key: |).`);
          } else if (k === 'number' || k === 'bool') this.converted(n);
        }
        break;
      case 'anyList':
        if (kind !== 'null' && kind !== 'list') wrong('a list');
        break;
      case 'structs':
        if (kind !== 'null' && kind !== 'list') wrong(`a list of maps (one per ${field.kind.of.noun})`);
        break;
    }
  }

  /** A number or boolean in a text field: said when Helm's text differs from what is written. */
  converted(node: Node | null): void {
    const raw = this.raw(node);
    const text = this.text(node);
    if (raw === text) return;
    this.add('chart-value-converted', 'warning', this.at(node), `YAML reads ${raw} as ${kindOf(node) === 'bool' ? 'a boolean' : 'a number'}, so Helm sees the text "${text}". Quote it to keep it as written: "${raw}".`, { replacement: JSON.stringify(raw) });
  }
}

/** The section Helm reads (the first YAML document with content) and the ones it ignores. */
function documents(file: ManifestFile): { root?: Section; ignored: Section[] } {
  const withContent = file.sections.filter((s) => s.doc.contents !== null && s.doc.contents !== undefined);
  return { root: withContent[0], ignored: withContent.slice(1) };
}

/** Where "X is missing" goes: the `name` key, else the first key, else the start of the file. */
function anchor(c: Checker, root: YAMLMap | undefined): [number, number] {
  if (root) {
    const name = root.items.find((p) => keyText(p) === 'name');
    const first = name ?? root.items[0];
    const r = first ? c.at(first.key as Node) : undefined;
    if (r) return r;
  }
  const end = c.file.lines.lineEnd(0);
  return [0, Math.max(0, end)];
}

// ---------------------------------------------------------------------------------------------
// Chart.yaml

/** Every problem of a Chart.yaml, with offsets into its text. */
export function checkChartYaml(file: ManifestFile, ctx: ChartYamlContext): Problem[] {
  if (file.disabled) return [];
  const { root, ignored } = documents(file);
  const first = root ?? file.sections[0];
  const c = new Checker(file, first);
  if (syntax(file, c)) return byOffset(c.problems);
  for (const s of ignored) {
    const line = file.lines.positionAt(s.start).line;
    c.add('chart-extra-document', 'warning', [s.start, file.lines.lineEnd(line)], 'Helm reads only the first YAML document of Chart.yaml: everything from this --- on is ignored. Move these fields up and remove the --- line.');
  }
  const top = root ? deref(root, root.doc.contents) : null;
  if (top !== null && !isMap(top)) {
    c.add('chart-not-a-map', 'error', c.at(top), `Chart.yaml must be a map of fields (apiVersion: v2, name: ..., version: ...), not ${KIND_WORDS[kindOf(top)]}: Helm cannot load the chart.`);
    return byOffset(c.problems);
  }
  const map = top ?? undefined;
  const fields = map ? c.struct(map, CHART_SCHEMA, 'Chart.yaml') : new Map<string, Field>();
  const where = anchor(c, map);
  const apiVersion = checkApiVersion(c, fields, where);
  checkName(c, fields, where);
  checkVersion(c, fields, where);
  checkAppVersion(c, fields);
  checkKubeVersion(c, fields);
  checkType(c, fields, apiVersion);
  checkMaintainers(c, fields);
  checkSources(c, fields);
  checkIcon(c, fields, where);
  for (const key of ['condition', 'tags']) {
    const f = fields.get(key);
    if (f) c.add('chart-legacy-field', 'information', c.at(f.key), `${key} at the top of Chart.yaml has no effect (a Helm 2 leftover that Helm reads but never uses). To switch this chart on or off, put ${key} on its entry in the parent chart's dependencies.`);
  }
  if (ctx.hasTemplates === false) c.add('chart-no-templates', 'warning', where, 'This chart has no templates/ folder: helm lint warns ("templates/: directory does not exist"). Add templates/ with the chart\'s manifests (or helpers, for a library chart).');
  if (ctx.hasValues === false) c.add('chart-no-values', 'information', where, 'This chart has no values.yaml: helm lint notes it. Add one (it may be empty) to document what the chart can be configured with.');

  const deps = fields.get('dependencies');
  const v1 = apiVersion === 'v1';
  if (deps && v1 && isSeq(deps.value) && deps.value.items.length > 0) {
    c.add('chart-v1-dependencies', 'error', c.at(deps.key), 'dependencies in Chart.yaml need apiVersion v2: helm lint fails on them in an apiVersion v1 chart, which lists its dependencies in requirements.yaml. Change apiVersion to v2.');
  }
  const declared = new Set<string>();
  if (!v1 && deps && isSeq(deps.value)) {
    const entries = checkDependencyList(c, deps.value, ctx, 'Chart.yaml');
    for (const e of entries) if (e.name) declared.add(e.name);
    if (ctx.lockText !== undefined) checkLock(c, entries, deps, ctx, file.text, undefined, 'Chart.lock', where);
  } else if (!v1 && ctx.lockText !== undefined) {
    checkLock(c, [], undefined, ctx, file.text, undefined, 'Chart.lock', where);
  }
  // Helm reads both, whatever the apiVersion: Chart.yaml's dependencies, then requirements.yaml's over them.
  if (v1 && deps && isSeq(deps.value)) for (const item of deps.value.items) declared.add(dependencyName(c, item));
  for (const n of requirementNames(ctx.requirementsText)) declared.add(n);
  if (!v1 && apiVersion !== '' && ctx.requirementsText !== undefined) {
    c.add(
      'chart-requirements-v2',
      'warning',
      deps ? c.at(deps.key) : c.at(fields.get('apiVersion')?.value ?? null),
      'This chart also has a requirements.yaml: Helm still reads it and lays its dependencies over the ones here (and prints a warning), although apiVersion v2 charts keep dependencies in Chart.yaml. Move its entries into dependencies and delete requirements.yaml (and requirements.lock).',
    );
  }
  checkUndeclared(c, ctx, declared, deps, where, v1 ? 'requirements.yaml' : 'dependencies');
  return byOffset(c.problems);
}

/** Problems in the order of the text (a stable sort: several problems at one place keep their order). */
function byOffset(ps: Problem[]): Problem[] {
  return ps.sort((a, b) => a.start - b.start);
}

/** Syntax problems (explained); true when the YAML is broken, so that nothing else is checked. */
function syntax(file: ManifestFile, c: Checker): boolean {
  let broken = false;
  const seen = new Set<string>();
  for (const s of file.sections) {
    for (const p of s.problems) {
      const e = explainSyntaxProblem(p, file.lines);
      const line = file.lines.positionAt(e.start).line;
      if (seen.has(`${line}:${e.code}`)) continue;
      seen.add(`${line}:${e.code}`);
      if (e.code === 'duplicate-key') {
        const key = /^\s*(?:-\s+)?([^:#]+?)\s*:/.exec(file.lines.lineText(line))?.[1] ?? 'This key';
        c.add('chart-duplicate-key', 'warning', [e.start, e.end], `"${key}" appears twice in the same map: Helm silently uses the last one, and helm lint warns. Remove one of them.`);
      } else {
        broken = true;
        c.add('chart-yaml-syntax', 'error', [e.start, e.end], `${e.message} Helm cannot read this Chart.yaml.`);
      }
    }
  }
  return broken;
}

function checkApiVersion(c: Checker, fields: Map<string, Field>, where: [number, number]): string {
  const f = fields.get('apiVersion');
  const v = f ? c.text(f.value) : '';
  if (!f || v === '') {
    c.add('chart-api-version', 'error', f ? c.at(f.key) : where, 'Chart.yaml has no apiVersion: helm lint fails ("apiVersion is required"). Add apiVersion: v2 (v1 only for a Helm 2 chart).');
    return '';
  }
  if (v === 'v3') {
    c.add('chart-api-version-v3', 'warning', c.at(f.value), "apiVersion v3 is Helm 4's experimental chart format (loaded only with HELM_EXPERIMENTAL_CHART_V3 set): helm lint refuses it, and this editor checks the chart as v2. Use v2 unless the chart needs v3.");
    return v;
  }
  if (v !== 'v1' && v !== 'v2') {
    const s = closest(v, ['v1', 'v2']);
    c.add('chart-api-version', 'error', c.at(f.value), `"${v}" is not a chart apiVersion: Helm refuses to load the chart. Write v2${s === 'v1' ? ' (or v1 for a Helm 2 chart)' : ''}.`, { replacement: s ?? 'v2' });
  }
  return v;
}

function checkName(c: Checker, fields: Map<string, Field>, where: [number, number]): void {
  const f = fields.get('name');
  const v = f ? c.text(f.value) : '';
  if (!f || v === '') {
    c.add('chart-name', 'error', f ? c.at(f.key) : where, 'Chart.yaml has no name: Helm refuses to load the chart ("name is required"). Add name: with the chart\'s folder name.');
    return;
  }
  if (v === '.' || v === '..') {
    c.add('chart-name', 'error', c.at(f.value), `"${v}" is not allowed as a chart name: Helm refuses to load the chart. Use the chart's folder name.`);
    return;
  }
  const base = baseName(v);
  if (base !== v) {
    c.add('chart-name', 'error', c.at(f.value), `"${v}" is not a plain name (it contains /): Helm refuses to load the chart. Write the name alone${base && base !== '/' ? `, e.g. ${base}` : ''}.`, base && base !== '/' ? { replacement: base } : undefined);
  }
}

/** The version written with MAJOR.MINOR.PATCH, for a suggestion. */
function normalVersion(v: SemverVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

function checkVersion(c: Checker, fields: Map<string, Field>, where: [number, number]): void {
  const f = fields.get('version');
  const kind = f ? kindOf(f.value) : 'null';
  const v = f ? c.text(f.value) : '';
  if (!f || v === '') {
    c.add('chart-version', 'error', f ? c.at(f.key) : where, 'Chart.yaml has no version: Helm refuses to load the chart ("version is required"). Add the chart\'s SemVer version, e.g. version: 0.1.0.');
    return;
  }
  if (kind === 'map' || kind === 'list') return; // said by the kind check
  if (kind !== 'string') {
    const raw = c.raw(f.value);
    c.add('chart-version-type', 'error', c.at(f.value), `version must be text, but YAML reads ${raw} as a number (Helm would see "${v}"): helm lint fails. Quote it and give all three parts: version: "${suggestVersion(v, raw)}".`, { replacement: `"${suggestVersion(v, raw)}"` });
    return;
  }
  let parsed: SemverVersion;
  try {
    parsed = parseVersion(v);
  } catch {
    c.add('chart-version', 'error', c.at(f.value), `"${v}" is not a SemVer version: Helm refuses to load the chart. Write MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.0.0-rc.1.`);
    return;
  }
  const [ok] = parseConstraint('>0.0.0-0').validate(parsed);
  if (!ok) {
    c.add('chart-version', 'error', c.at(f.value), `helm lint requires a version above 0.0.0-0, and "${v}" is not. Use e.g. 0.1.0.`);
    return;
  }
  try {
    parseStrictVersion(v);
  } catch {
    const why = v.startsWith('v') ? 'it starts with v' : /^[0-9]+(\.[0-9]+)?([-+].*)?$/.test(v) ? 'MINOR or PATCH is missing' : 'a number has a leading zero';
    const good = normalVersion(parsed);
    c.add('chart-version-semver2', 'warning', c.at(f.value), `"${v}" is not strict SemVer 2 (${why}): helm lint warns. Write ${good}.`, { replacement: good });
  }
}

function suggestVersion(text: string, raw: string): string {
  const parts = (/^[0-9.]+$/.test(raw) ? raw : text).split('.');
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
}

function checkAppVersion(c: Checker, fields: Map<string, Field>): void {
  const f = fields.get('appVersion');
  // helm lint's type check reads the key exactly as written.
  if (!f || keyText(f.pair) !== 'appVersion') return;
  const kind = kindOf(f.value);
  if (kind === 'string' || kind === 'map' || kind === 'list') return;
  if (kind === 'null') {
    c.add('chart-version-type', 'error', c.at(f.key), 'appVersion is empty: helm lint fails (it must be text). Write the version of the application, quoted (appVersion: "1.0.0"), or remove the line.');
    return;
  }
  const raw = c.raw(f.value);
  c.add('chart-version-type', 'error', c.at(f.value), `appVersion must be text, but YAML reads ${raw} as ${kind === 'bool' ? 'a boolean' : 'a number'} (Helm would see "${c.text(f.value)}"): helm lint fails. Quote it: appVersion: "${raw}".`, { replacement: JSON.stringify(raw) });
}

function checkKubeVersion(c: Checker, fields: Map<string, Field>): void {
  const f = fields.get('kubeVersion');
  if (!f) return;
  const kind = kindOf(f.value);
  if (kind === 'map' || kind === 'list') return;
  const v = c.text(f.value);
  if (v === '') return;
  try {
    parseConstraint(v);
  } catch (e) {
    if (!(e instanceof GoError)) throw e;
    c.add('chart-kube-version', 'error', c.at(f.value), `"${v}" is not a version constraint (${e.message}): helm install, upgrade and template refuse the chart on every cluster. Write e.g. ">=1.25.0-0", or ">=1.25.0-0 <1.35.0-0" for a range.`);
    return;
  }
  if (!acceptsPrereleases(v)) {
    const m = /^\s*(>=|=>|>|\^|~>?|=)?\s*(v?[0-9]+(\.[0-9]+){0,2})\s*$/.exec(v);
    const fix = m ? `${m[1] ?? '>='}${m[2]}-0` : undefined;
    c.add(
      'chart-kube-version-prerelease',
      'information',
      c.at(f.value),
      `"${v}" does not match clusters whose version has a suffix, such as v1.28.3-gke.1286000 (SemVer reads the suffix as a prerelease): Helm refuses the chart there. ${fix ? `Write "${fix}" to accept them.` : 'Add -0 to the versions (">=1.25.0-0") to accept them.'}`,
      fix ? { replacement: JSON.stringify(fix) } : undefined,
    );
  }
}

/** Whether some OR-group of a constraint has a version with a prerelease part (Masterminds then lets prereleases through). */
function acceptsPrereleases(constraint: string): boolean {
  return constraint.split('||').some((g) => constraintItems(g).some((it) => it.version.includes('-')));
}

function checkType(c: Checker, fields: Map<string, Field>, apiVersion: string): void {
  const f = fields.get('type');
  if (!f) return;
  const kind = kindOf(f.value);
  if (kind === 'map' || kind === 'list') return;
  const v = c.text(f.value);
  if (v !== '' && v !== 'application' && v !== 'library') {
    const s = closest(v, ['application', 'library']) ?? (/^app/i.test(v) ? 'application' : /^lib/i.test(v) ? 'library' : undefined);
    c.add('chart-type', 'error', c.at(f.value), `"${v}" is not a chart type: Helm refuses to load the chart. Write application or library${s ? ` (did you mean ${s}?)` : ''}.`, s ? { replacement: s } : undefined);
    return;
  }
  if (apiVersion === 'v1' && v !== '') {
    c.add('chart-type', 'error', c.at(f.key), 'type needs apiVersion v2: helm lint fails on a type in an apiVersion v1 chart. Change apiVersion to v2, or remove type.');
  }
}

function checkMaintainers(c: Checker, fields: Map<string, Field>): void {
  const f = fields.get('maintainers');
  if (!f || !isSeq(f.value)) return;
  for (const item of f.value.items) {
    const n = deref(c.section, item);
    const kind = kindOf(n);
    if (kind === 'null') {
      c.add('chart-maintainer', 'error', c.item(f.value, item), 'This maintainer entry is empty: Helm refuses to load the chart ("maintainers must not contain empty or null nodes"). Fill in name: (and email: or url:), or remove the entry.');
      continue;
    }
    if (kind !== 'map') {
      c.add('chart-field-type', 'error', c.at(n), `A maintainer is a map (name:, email:, url:), not ${KIND_WORDS[kind]}: Helm cannot load the chart.${kind === 'string' ? ` Write - name: ${c.text(n)}.` : ''}`);
      continue;
    }
    const m = c.struct(n as YAMLMap, MAINTAINER_SCHEMA, 'a maintainer');
    const name = m.get('name');
    const nameText = name ? c.text(name.value) : '';
    if (nameText === '') {
      c.add('chart-maintainer', 'error', name ? c.at(name.key) : firstLine(c, n as YAMLMap), 'This maintainer has no name: helm lint fails ("each maintainer requires a name"). Add name: with a person or organisation.');
    }
    const email = m.get('email');
    const emailText = email ? c.text(email.value) : '';
    if (email && emailText !== '' && !isEmail(emailText)) {
      c.add('chart-maintainer', 'error', c.at(email.value), `"${emailText}" is not an email address: helm lint fails ("invalid email"). Write it as name@example.com, or remove email:.`);
    }
    const url = m.get('url');
    const urlText = url ? c.text(url.value) : '';
    if (url && urlText !== '' && isClearlyNotURL(urlText)) {
      c.add('chart-maintainer', 'error', c.at(url.value), `"${urlText}" is not a URL: helm lint fails ("invalid url"). Write it in full, e.g. https://github.com/${nameText || 'someone'}.`);
    }
  }
}

function checkSources(c: Checker, fields: Map<string, Field>): void {
  const f = fields.get('sources');
  if (!f || !isSeq(f.value)) return;
  for (const item of f.value.items) {
    const n = deref(c.section, item);
    const kind = kindOf(n);
    if (kind === 'map' || kind === 'list') continue;
    const v = c.text(n);
    if (isRequestURL(v)) continue;
    if (v === '') {
      c.add('chart-source-url', 'error', c.item(f.value, item), 'This source is empty: helm lint fails ("invalid source URL"). Write a URL or remove the entry.');
    } else {
      const fix = /^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(v) ? `https://${v}` : undefined;
      c.add('chart-source-url', 'error', c.at(n), `"${v}" is not an absolute URL: helm lint fails ("invalid source URL"). Write it with its scheme${fix ? `: ${fix}` : ', e.g. https://github.com/org/repo'}.`, fix ? { replacement: fix } : undefined);
    }
  }
}

function checkIcon(c: Checker, fields: Map<string, Field>, where: [number, number]): void {
  const f = fields.get('icon');
  const v = f ? c.text(f.value) : '';
  if (!f || v === '') {
    c.add('chart-icon', 'information', f ? c.at(f.key) : where, 'Chart.yaml has no icon: helm lint recommends one (chart repositories such as Artifact Hub show it). Add icon: with the URL of an SVG or PNG image.');
    return;
  }
  if (kindOf(f.value) === 'map' || kindOf(f.value) === 'list') return;
  if (!isRequestURL(v)) {
    c.add('chart-icon-url', 'error', c.at(f.value), `"${v}" is not an absolute URL: helm lint fails ("invalid icon URL"), and a path inside the chart is not accepted. Write the URL of the image, e.g. https://example.com/${v.replace(/^.*\//, '') || 'icon.png'}.`);
  }
}

/** The range of the `-` of a sequence item that has no node of its own (`- ` alone on its line). */
function dashAt(c: Checker, seq: YAMLSeq, item: unknown): [number, number] | undefined {
  const i = seq.items.indexOf(item as never);
  const sr = c.at(seq);
  if (!sr) return undefined;
  // Find the i-th dash of the sequence in its text.
  const text = c.file.text.slice(sr[0], sr[1]);
  const re = /(^|\n)[ \t]*-(?=[ \t\r\n]|$)/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text))) {
    if (n === i) {
      const at = sr[0] + m.index + m[0].length - 1;
      return [at, at + 1];
    }
    n++;
  }
  return [sr[0], sr[0] + 1];
}

function firstLine(c: Checker, map: YAMLMap): [number, number] | undefined {
  const r = c.at(map);
  if (!r) return undefined;
  const line = c.file.lines.positionAt(r[0]).line;
  return [r[0], Math.min(r[1], c.file.lines.lineEnd(line))];
}

// ---------------------------------------------------------------------------------------------
// Dependencies

interface Entry {
  index: number;
  map?: YAMLMap;
  fields: Map<string, Field>;
  name: string;
  /** The version range as written ('' when none). */
  version: string;
  /** The range parses. */
  validRange: boolean;
  repository: string;
  alias: string;
}

function dependencyName(c: Checker, item: unknown): string {
  const n = deref(c.section, item);
  if (!isMap(n)) return '';
  const p = n.items.find((x) => keyText(x) === 'name');
  return p ? c.text(deref(c.section, p.value)) : '';
}

/** The names of requirements.yaml's dependencies (a quick read, for the undeclared check). */
function requirementNames(text: string | undefined): string[] {
  if (!text) return [];
  const f = parseManifestFile('requirements.yaml', text);
  const s = documents(f).root;
  const top = s ? deref(s, s.doc.contents) : null;
  if (!s || !isMap(top)) return [];
  const deps = deref(s, top.items.find((p) => keyText(p) === 'dependencies')?.value);
  if (!isSeq(deps)) return [];
  const c = new Checker(f, s);
  return deps.items.map((i) => dependencyName(c, i)).filter((n) => n !== '');
}

/** Checks each entry of a dependencies list (Chart.yaml or requirements.yaml) and against charts/. */
function checkDependencyList(c: Checker, seq: YAMLSeq, ctx: ChartYamlContext, origin: string): Entry[] {
  const entries: Entry[] = [];
  const seen = new Map<string, number>();
  seq.items.forEach((item, index) => {
    const n = deref(c.section, item);
    const kind = kindOf(n);
    if (kind === 'null') {
      c.add('chart-dependency', 'error', c.item(seq, item), 'This dependency entry is empty: Helm refuses to load the chart ("dependencies must not contain empty or null nodes"). Fill in name:, version: and repository:, or remove the entry.');
      entries.push({ index, fields: new Map(), name: '', version: '', validRange: false, repository: '', alias: '' });
      return;
    }
    if (kind !== 'map') {
      c.add('chart-field-type', 'error', c.at(n), `A dependency is a map (name:, version:, repository:), not ${KIND_WORDS[kind]}: Helm cannot load the chart.${kind === 'string' ? ` Write - name: ${c.text(n)}.` : ''}`);
      entries.push({ index, fields: new Map(), name: '', version: '', validRange: false, repository: '', alias: '' });
      return;
    }
    const map = n as YAMLMap;
    const fields = c.struct(map, DEPENDENCY_SCHEMA, 'a dependency');
    const get = (k: string) => {
      const f = fields.get(k);
      return f && kindOf(f.value) !== 'map' && kindOf(f.value) !== 'list' ? c.text(f.value) : '';
    };
    const e: Entry = { index, map, fields, name: get('name'), version: get('version'), validRange: false, repository: get('repository'), alias: get('alias') };
    entries.push(e);
    const nameF = fields.get('name');
    const label = e.name ? `"${e.name}"` : 'This dependency';
    if (e.name === '') {
      c.add('chart-dependency-name', 'warning', nameF ? c.at(nameF.key) : firstLine(c, map), 'This dependency has no name: Helm matches it to no chart, and helm dependency update cannot fetch it. Add name: with the chart\'s name.');
    }
    const aliasF = fields.get('alias');
    if (aliasF && e.alias !== '' && !/^[a-zA-Z0-9_-]+$/.test(e.alias)) {
      const fix = e.alias.replace(/[^a-zA-Z0-9_-]+/g, '-');
      c.add('chart-dependency', 'error', c.at(aliasF.value), `The alias "${e.alias}" has characters Helm does not allow (only letters, digits, _ and -): Helm refuses to load the chart. Write e.g. ${fix}.`, { replacement: fix });
    }
    const key = e.alias || e.name;
    if (key) {
      if (seen.has(key)) {
        const target = e.alias ? aliasF : nameF;
        c.add('chart-dependency-duplicate', 'error', c.at(target?.value ?? null), `Two dependencies are called "${key}" (by name or alias): Helm refuses to load the chart ("more than one dependency with name or alias"). Give one of them another alias.`);
      } else seen.set(key, index);
    }
    const versionF = fields.get('version');
    if (e.version === '') {
      if (e.name) c.add('chart-dependency-version', 'warning', versionF ? c.at(versionF.key) : c.at(nameF?.value ?? null), `${label} has no version: helm dependency update cannot resolve it, and Helm applies this entry (alias, condition, tags) to no chart. Add a range, e.g. version: "^1.0.0".`);
    } else {
      try {
        parseConstraint(e.version);
        e.validRange = true;
      } catch (err) {
        if (!(err instanceof GoError)) throw err;
        c.add('chart-dependency-version', 'warning', c.at(versionF!.value), `"${e.version}" is not a version or range (${err.message}): helm dependency update stops on it, and Helm applies this entry to no chart. Write e.g. 1.2.3, ~1.2.0, ^1.2.0 or ">=1.2.0 <2.0.0".`);
      }
    }
    const repoF = fields.get('repository');
    if (repoF && e.repository !== '' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(e.repository) && !e.repository.startsWith('@') && !e.repository.startsWith('/')) {
      c.add(
        'chart-dependency-repository',
        'warning',
        c.at(repoF.value),
        `"${e.repository}" is neither a URL nor the name of a repository: helm dependency update cannot fetch from it. Write the repository's URL (https://..., oci://..., file://...) or, for a repository added with helm repo add, "@${e.repository}".`,
        { replacement: JSON.stringify('@' + e.repository) },
      );
    }
    const enabledF = fields.get('enabled');
    if (enabledF) {
      c.add('chart-dependency-enabled', 'information', c.at(enabledF.key), `enabled has no effect here: Helm sets it itself from condition and tags while it renders. To switch ${e.name || 'this dependency'} off by default, write condition: ${e.alias || e.name || 'NAME'}.enabled and set ${e.alias || e.name || 'NAME'}.enabled: false in values.yaml.`);
    }
    const ivF = fields.get('import-values');
    if (ivF && isSeq(ivF.value)) checkImportValues(c, ivF.value);
    checkAgainstCharts(c, e, ctx, origin);
  });
  return entries;
}

function checkImportValues(c: Checker, seq: YAMLSeq): void {
  for (const item of seq.items) {
    const n = deref(c.section, item);
    const kind = kindOf(n);
    if (kind === 'string') continue;
    if (kind === 'map') {
      const m = n as YAMLMap;
      const keys = m.items.map(keyText);
      for (const p of m.items) {
        const k = keyText(p);
        if (k !== 'child' && k !== 'parent') {
          const s = k ? closest(k, ['child', 'parent']) : undefined;
          c.add('chart-import-values', 'warning', c.at(p.key as Node), `"${k ?? ''}" is not a key of an import-values entry: Helm ignores it. The keys are child (the path in the subchart) and parent (the path here)${s ? `; did you mean ${s}?` : '.'}`);
        }
      }
      for (const need of ['child', 'parent']) {
        if (!keys.includes(need)) c.add('chart-import-values', 'warning', firstLine(c, m), `This import-values entry has no ${need}: Helm imports from a path that does not exist, so nothing is imported. Add ${need}: (child: path in the subchart, parent: path in this chart).`);
      }
      continue;
    }
    c.add('chart-import-values', 'warning', c.at(n), `An import-values entry is a name the subchart exports (text) or a map with child and parent, not ${KIND_WORDS[kind]}: Helm ignores it.`);
  }
}

function matchesRange(range: string, version: string): boolean {
  try {
    return semverCompare(range, version);
  } catch {
    return false;
  }
}

/** The dependency against the charts in charts/. */
function checkAgainstCharts(c: Checker, e: Entry, ctx: ChartYamlContext, origin: string): void {
  if (!e.name) return;
  const nameF = e.fields.get('name')!;
  const found = ctx.subcharts.filter((s) => s.name === e.name);
  if (!found.length) {
    c.add('chart-dependency-missing', 'information', c.at(nameF.value), `${e.name} is not in charts/ yet: run helm dependency build to download it. Until then Helm cannot render or install this chart, and templates that use ${e.name} are not checked.`);
    return;
  }
  if (!e.validRange) return;
  if (found.some((s) => matchesRange(e.version, s.version))) return;
  const s = found[0];
  const versionF = e.fields.get('version')!;
  c.add(
    'chart-dependency-range-mismatch',
    'warning',
    c.at(versionF.value),
    `${s.path} holds ${e.name} ${s.version}, outside "${e.version}": Helm does not apply this entry (alias, condition, tags, import-values) to it and renders it as it is. Run helm dependency update to fetch a version in range, or change the range in ${origin}.`,
  );
}

/** Charts in charts/ that no dependency names: helm lint's "chart metadata is missing these dependencies". */
function checkUndeclared(c: Checker, ctx: ChartYamlContext, declared: Set<string>, deps: Field | undefined, where: [number, number], listName: string): void {
  for (const s of ctx.subcharts) {
    if (!s.name || declared.has(s.name)) continue;
    c.add(
      'chart-dependency-undeclared',
      'error',
      deps ? c.at(deps.key) : where,
      `${s.path} holds the chart ${s.name}, which is not listed in ${listName}: helm lint fails ("chart metadata is missing these dependencies: ${s.name}"). Add it to ${listName} (name: ${s.name}, version: "${s.version}") or remove it from charts/.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The lock (pkg/downloader/manager.go Build, internal/resolver HashReq)

interface LockRead {
  deps: Array<HelmDependency | null>;
  lock?: Lock;
  /** The lock cannot be read. */
  lockError?: string;
  /** Chart.yaml (or requirements.yaml) does not load: nothing to compare. */
  failed?: boolean;
}

const lockCache = new Map<string, LockRead>();

function enc(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Helm's view of the dependencies and the lock, loaded by the engine's own chart loader (cached by text). */
function readLock(chartText: string, lockText: string, requirementsText: string | undefined, lockName: string): LockRead {
  const key = `${chartText}\u0000${lockText}\u0000${requirementsText ?? ''}\u0000${lockName}`;
  let r = lockCache.get(key);
  if (r) return r;
  const base = [{ path: 'Chart.yaml', data: enc(chartText) }];
  if (requirementsText !== undefined) base.push({ path: 'requirements.yaml', data: enc(requirementsText) });
  let md: Metadata | undefined;
  try {
    md = loadChart(base, { root: false }).metadata;
  } catch {
    r = { deps: [], failed: true };
  }
  if (md) {
    try {
      const lc = loadChart([...base, { path: lockName, data: enc(lockText) }], { root: false });
      r = { deps: lc.metadata.Dependencies, lock: lc.lock };
    } catch (e) {
      r = { deps: md.Dependencies, lockError: e instanceof Error ? e.message : String(e) };
    }
  }
  if (lockCache.size > 16) lockCache.clear();
  lockCache.set(key, r!);
  return r!;
}

/** json.Marshal of a *chart.Dependency (struct field order, omitempty as tagged). */
function depJSON(d: HelmDependency | null): string {
  if (!d) return 'null';
  let s = '{"name":' + jsonQuote(d.Name);
  if (d.Version) s += ',"version":' + jsonQuote(d.Version);
  s += ',"repository":' + jsonQuote(d.Repository);
  if (d.Condition) s += ',"condition":' + jsonQuote(d.Condition);
  if (d.Tags.length) s += ',"tags":[' + d.Tags.map((t) => jsonQuote(t)).join(',') + ']';
  if (d.Enabled) s += ',"enabled":true';
  if (d.ImportValues.length) s += ',"import-values":' + marshalJSON(d.ImportValues);
  if (d.Alias) s += ',"alias":' + jsonQuote(d.Alias);
  return s + '}';
}

function listJSON(l: Array<HelmDependency | null>): string {
  return l.length ? '[' + l.map(depJSON).join(',') + ']' : 'null';
}

function sha256(s: string): string {
  return 'sha256:' + createHash('sha256').update(s, 'utf8').digest('hex');
}

/** The lock's digest matches the dependencies (HashReq; for v1 also Helm 2's HashV2Req). */
function digestMatches(deps: Array<HelmDependency | null>, lock: Lock, v1: boolean): boolean {
  if (sha256('[' + listJSON(deps) + ',' + listJSON(lock.Dependencies) + ']') === lock.Digest) return true;
  return v1 && sha256('{"dependencies":' + listJSON(deps) + '}') === lock.Digest;
}

/**
 * The lock against the dependencies: out of step (the digest differs), said on the entry that
 * differs from its locked counterpart (same index: the resolver locks them in order), else on
 * the dependencies key; in step, charts/ holding another version than the lock pins.
 */
function checkLock(c: Checker, entries: Entry[], deps: Field | undefined, ctx: ChartYamlContext, chartText: string, requirementsText: string | undefined, lockName: string, where: [number, number]): void {
  const read = readLock(chartText, ctx.lockText!, requirementsText, lockName);
  if (read.failed) return;
  const listKey = deps ? c.at(deps.key) : where;
  const file = lockName === 'Chart.lock' ? 'Chart.yaml' : 'requirements.yaml';
  if (read.lockError !== undefined || !read.lock) {
    c.add('chart-lock-out-of-sync', 'warning', listKey, `${lockName} cannot be read (${read.lockError ?? 'no lock'}): helm dependency build stops on it. Run helm dependency update to write it again.`);
    return;
  }
  const lock = read.lock;
  // Repository aliases (@name) are replaced by URLs from the local repository config before hashing: not knowable here.
  if (read.deps.some((d) => d && (d.Repository.startsWith('@') || d.Repository.startsWith('alias:')))) return;
  const sync = `helm dependency build stops with "the lock file (${lockName}) is out of sync with the dependencies file (${file})". Run helm dependency update to resolve the dependencies again and rewrite ${lockName}.`;
  if (!digestMatches(read.deps, lock, lockName === 'requirements.lock')) {
    if (!read.deps.length) {
      c.add('chart-lock-out-of-sync', 'warning', listKey, `${lockName} pins dependencies that ${file} no longer lists: ${sync.replace('Run helm dependency update', 'Delete it, or run helm dependency update')}`);
      return;
    }
    let placed = false;
    entries.forEach((e, i) => {
      const d = read.deps[i];
      const l = lock.Dependencies[i];
      if (!d || !e.map) return;
      const nameF = e.fields.get('name');
      if (!l) {
        c.add('chart-lock-out-of-sync', 'warning', c.at(nameF?.value ?? null) ?? firstLine(c, e.map), `${lockName} does not pin ${d.Name || 'this dependency'}: ${sync}`);
        placed = true;
      } else if (l.Name !== d.Name) {
        c.add('chart-lock-out-of-sync', 'warning', c.at(nameF?.value ?? null) ?? firstLine(c, e.map), `${lockName} pins ${l.Name} in this place, not ${d.Name}: ${sync}`);
        placed = true;
      } else if (l.Repository !== d.Repository) {
        const repoF = e.fields.get('repository');
        c.add('chart-lock-out-of-sync', 'warning', c.at(repoF?.value ?? null) ?? c.at(nameF?.value ?? null), `${lockName} pins ${d.Name} from ${l.Repository || 'charts/'}, not from ${d.Repository || 'charts/'}: ${sync}`);
        placed = true;
      } else if (e.validRange && !matchesRange(d.Version, l.Version)) {
        const versionF = e.fields.get('version');
        c.add('chart-lock-out-of-sync', 'warning', c.at(versionF?.value ?? null), `${lockName} pins ${d.Name} ${l.Version}, outside "${d.Version}": ${sync}`);
        placed = true;
      }
    });
    if (!placed) {
      const extra = lock.Dependencies.length > read.deps.length ? `${lockName} pins more dependencies than ${file} lists` : `A dependency changed since ${lockName} was written (its condition, tags, alias, import-values or version range)`;
      c.add('chart-lock-out-of-sync', 'warning', listKey, `${extra}: ${sync}`);
    }
    return;
  }
  // In step: does charts/ hold what the lock pins?
  entries.forEach((e, i) => {
    const l = lock.Dependencies[i];
    if (!l || !e.name || l.Name !== e.name) return;
    const found = ctx.subcharts.filter((s) => s.name === e.name);
    if (found.length !== 1 || found[0].version === l.Version) return;
    if (e.validRange && !matchesRange(e.version, found[0].version)) return; // said as a range mismatch
    const versionF = e.fields.get('version');
    c.add('chart-lock-stale-charts', 'information', c.at(versionF?.value ?? null) ?? c.at(e.fields.get('name')?.value ?? null), `${found[0].path} holds ${e.name} ${found[0].version}, but ${lockName} pins ${l.Version}: helm dependency build would replace it with ${l.Version}.`);
  });
}

// ---------------------------------------------------------------------------------------------
// requirements.yaml (apiVersion v1)

/** The problems of a v1 chart's requirements.yaml: its dependencies, against charts/ and requirements.lock. */
export function checkRequirementsYaml(file: ManifestFile, ctx: RequirementsYamlContext): Problem[] {
  if (file.disabled) return [];
  const { root } = documents(file);
  const c = new Checker(file, root ?? file.sections[0]);
  if (syntax(file, c)) return c.problems;
  const top = root ? deref(root, root.doc.contents) : null;
  if (top === null) return c.problems;
  if (!isMap(top)) {
    c.add('chart-not-a-map', 'error', c.at(top), `requirements.yaml must be a map with dependencies:, not ${KIND_WORDS[kindOf(top)]}: Helm cannot load the chart.`);
    return c.problems;
  }
  const pair = top.items.find((p) => keyText(p) === 'dependencies');
  if (!pair) return c.problems;
  const value = deref(c.section, pair.value);
  const deps: Field = { schema: fieldOf(CHART_SCHEMA, 'dependencies')!, pair, key: pair.key as Scalar, value };
  c.kind(deps.schema, value, 'requirements.yaml');
  if (!isSeq(value)) return c.problems;
  const entries = checkDependencyList(c, value, ctx, 'requirements.yaml');
  if (ctx.lockText !== undefined) checkLock(c, entries, deps, ctx, ctx.chartYamlText, file.text, 'requirements.lock', anchor(c, top));
  return byOffset(c.problems);
}

// ---------------------------------------------------------------------------------------------
// Version constraints in words (for hover)

interface ConstraintItem {
  op: string;
  version: string;
}

/** The items of one AND-group of a Masterminds constraint (`>=1.2 <2`, `1.2 - 1.4`). */
function constraintItems(group: string): ConstraintItem[] {
  const out: ConstraintItem[] = [];
  const g = group.replace(/(v?[0-9xX*][0-9A-Za-z.+*-]*)\s+-\s+(v?[0-9xX*][0-9A-Za-z.+*-]*)/g, '>=$1 <=$2');
  const re = /(!=|>=|=>|<=|=<|~>|>|<|=|~|\^)?\s*(v?[0-9xX*]+(?:\.[0-9xX*]+)?(?:\.[0-9xX*]+)?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(g))) out.push({ op: m[1] ?? '', version: m[2] });
  return out;
}

function describeItem(it: ConstraintItem): string {
  const v = it.version.replace(/^v/, '');
  const [core] = v.split(/[-+]/);
  const parts = core.split('.');
  const wild = (x: string | undefined) => x === undefined || x === 'x' || x === 'X' || x === '*';
  const major = parts[0];
  const minor = parts[1];
  if (wild(major)) return it.op === '!=' ? 'no version' : 'any version';
  const M = Number(major);
  const m = wild(minor) ? undefined : Number(minor);
  const patchWild = wild(parts[2]);
  const next = (a: number) => String(a + 1);
  switch (it.op) {
    case '':
    case '=':
      if (m === undefined) return `${M}.x (>=${M}.0.0, <${next(M)}.0.0)`;
      if (patchWild) return `${M}.${m}.x (>=${M}.${m}.0, <${M}.${next(m)}.0)`;
      return `exactly ${v}`;
    case '!=':
      return `not ${v}`;
    case '>':
      return `above ${v}`;
    case '>=':
    case '=>':
      return `${v} or later`;
    case '<':
      return `below ${v}`;
    case '<=':
    case '=<':
      return m === undefined || patchWild ? `${v} or earlier (any ${m === undefined ? `${M}.x` : `${M}.${m}.x`})` : `${v} or earlier`;
    case '~':
    case '~>':
      if (m === undefined) return `>=${v}, <${next(M)}.0.0`;
      return `>=${v}, <${M}.${next(m)}.0 (patch releases)`;
    case '^':
      if (M > 0 || m === undefined) return `>=${v}, <${next(M)}.0.0 (minor and patch releases)`;
      if (m > 0 || patchWild) return `>=${v}, <0.${next(m)}.0`;
      return `exactly ${v}`;
  }
  return v;
}

/** A constraint in words, or undefined when it does not parse. */
export function describeConstraint(constraint: string): string | undefined {
  try {
    parseConstraint(constraint);
  } catch {
    return undefined;
  }
  const groups = constraint.split('||').map((g) => constraintItems(g).map(describeItem).join(' and '));
  const text = groups.length > 1 ? groups.map((g) => `(${g})`).join(' or ') : groups[0];
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Completion

/** Options of completion and hover: what the LSP layer knows beyond the file. */
export interface ChartYamlAssistOptions {
  /** The charts in charts/ (names and versions offered for dependencies). */
  subcharts?: ChartSubchart[];
  /** kubeManifests.kubernetesVersion (e.g. "1.34"): hover on kubeVersion says whether it matches. */
  kubernetesVersion?: string;
}

function typeLabel(f: FieldSchema): string {
  switch (f.kind.k) {
    case 'string':
      return 'string';
    case 'bool':
      return 'boolean';
    case 'strings':
      return 'list of strings';
    case 'stringMap':
      return 'map of strings';
    case 'anyList':
      return 'list';
    case 'structs':
      return `list of ${f.kind.of.noun}s`;
  }
}

function keyEntry(f: FieldSchema, column: number, range: { start: number; end: number }, sort: string): CompletionEntry {
  const indent = ' '.repeat(column);
  const child = ' '.repeat(column + 2);
  let insertText: string;
  let retrigger = false;
  switch (f.kind.k) {
    case 'strings':
    case 'anyList':
      insertText = `${f.key}:\n${indent}  - $0`;
      break;
    case 'structs': {
      const first = f.kind.of.fields[0].key;
      insertText = `${f.key}:\n${indent}  - ${first}: $0`;
      break;
    }
    case 'stringMap':
      insertText = `${f.key}:\n${child}$0`;
      break;
    case 'bool':
      insertText = `${f.key}: \${1|true,false|}`;
      break;
    default:
      insertText = `${f.key}: $0`;
      retrigger = Boolean(f.values);
  }
  return {
    label: f.key,
    kind: 'property',
    detail: `${typeLabel(f)}${f.required ? ' (required)' : ''}`,
    documentation: f.description,
    insertText,
    snippet: true,
    range,
    sortText: `${sort}_${f.key}`,
    retrigger,
  };
}

/** Completion in Chart.yaml: keys at the top, in dependencies, maintainers and annotations; values with choices. */
export function completeChartYaml(file: ManifestFile, offset: number, opts: ChartYamlAssistOptions = {}): CompletionEntry[] {
  const cc = cursorContext(file, offset);
  if (!cc) return [];
  if (cc.key) {
    const range = { start: cc.key.start, end: offset + (/^[\w./-]*/.exec(file.text.slice(offset))?.[0].length ?? 0) };
    const path = cc.path;
    if (path.length === 1 && path[0] === 'annotations') {
      return KNOWN_ANNOTATIONS.filter((a) => !cc.siblings.has(a.value)).map((a) => ({
        label: a.value,
        kind: 'property' as const,
        detail: 'annotation',
        documentation: a.description,
        insertText: /changes|crds|images|links|maintainers|recommendations|signKey/.test(a.value) ? `${a.value}: |\n${' '.repeat(cc.key!.column + 2)}$0` : `${a.value}: $0`,
        snippet: true,
        range,
        sortText: `1_${a.value}`,
      }));
    }
    const schema = structAt(path);
    if (!schema) return [];
    const out: CompletionEntry[] = [];
    for (const f of schema.fields) {
      if (f.legacy || (schema === DEPENDENCY_SCHEMA && f.key === 'enabled')) continue;
      if (cc.siblings.has(f.key) && f.key !== cc.key.prefix) continue;
      out.push(keyEntry(f, cc.key.column, range, f.required ? '1' : '2'));
    }
    return out;
  }
  if (!cc.value) return [];
  const range = { start: cc.value.start, end: lineValueEnd(file, offset) };
  const schema = structAt(cc.path);
  if (!schema) return [];
  const f = fieldOf(schema, cc.value.key);
  if (!f) return [];
  const out: CompletionEntry[] = [];
  const value = (label: string, documentation: string, sort: string, insertText = label): void => {
    out.push({ label, kind: 'enum', documentation, insertText, snippet: false, range, sortText: sort });
  };
  if (f.values) f.values.forEach((v, i) => value(v.value, v.description, String(i)));
  else if (f.kind.k === 'bool') ['true', 'false'].forEach((b, i) => value(b, '', String(i)));
  if (schema === CHART_SCHEMA && f.key === 'kubeVersion') {
    value('">=1.25.0-0"', 'Kubernetes 1.25 and later, including versions with a suffix such as v1.28.3-gke.1286000.', '0');
  }
  if (schema === DEPENDENCY_SCHEMA) {
    const subcharts = opts.subcharts ?? [];
    if (f.key === 'name') {
      const declared = declaredNames(file);
      for (const s of subcharts) if (!declared.has(s.name)) value(s.name, `In ${s.path} (version ${s.version}).`, `0_${s.name}`);
    } else if (f.key === 'version') {
      const name = entryNameAt(file, offset);
      for (const s of subcharts.filter((x) => x.name === name)) {
        const [major, minor] = s.version.split('.');
        value(s.version, `Exactly the version in ${s.path}.`, '0');
        if (/^[0-9]+$/.test(major ?? '') && /^[0-9]+$/.test(minor ?? '')) value(`^${s.version}`, `${s.version} and later ${major}.x releases (what ${s.path} holds, and its minor and patch updates).`, '1');
      }
    } else if (f.key === 'repository') {
      value('https://', 'A chart repository URL, e.g. https://charts.bitnami.com/bitnami.', '0');
      value('oci://', 'An OCI registry, e.g. oci://registry-1.docker.io/bitnamicharts.', '1');
      value('file://../', 'A chart folder, relative to this chart.', '2');
    }
  }
  return out;
}

function lineValueEnd(file: ManifestFile, offset: number): number {
  const line = file.lines.positionAt(offset).line;
  const rest = file.text.slice(offset, file.lines.lineEnd(line));
  const m = /^[^#]*?(?=\s*(#|$))/.exec(rest);
  return offset + (m ? m[0].length : 0);
}

function rootMap(file: ManifestFile): { section: Section; map: YAMLMap } | undefined {
  const s = documents(file).root;
  const top = s ? deref(s, s.doc.contents) : null;
  return s && isMap(top) ? { section: s, map: top } : undefined;
}

function declaredNames(file: ManifestFile): Set<string> {
  const r = rootMap(file);
  const out = new Set<string>();
  if (!r) return out;
  const deps = deref(r.section, r.map.items.find((p) => keyText(p) === 'dependencies')?.value);
  if (!isSeq(deps)) return out;
  const c = new Checker(file, r.section);
  for (const i of deps.items) out.add(dependencyName(c, i));
  return out;
}

/** The name of the dependency entry that holds the offset. */
function entryNameAt(file: ManifestFile, offset: number): string {
  const r = rootMap(file);
  if (!r) return '';
  const deps = deref(r.section, r.map.items.find((p) => keyText(p) === 'dependencies')?.value);
  if (!isSeq(deps)) return '';
  const c = new Checker(file, r.section);
  for (const item of deps.items) {
    const rg = nodeRange(r.section, deref(r.section, item)); // untrimmed: the cursor may sit after `version: `
    if (rg && offset >= rg[0] && offset <= rg[1]) return dependencyName(c, item);
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Hover

/** Hover in Chart.yaml: what a key is for; on values, apiVersion/type choices, versions and ranges explained. */
export function hoverChartYaml(file: ManifestFile, offset: number, opts: ChartYamlAssistOptions = {}): HoverResult | undefined {
  if (file.disabled) return undefined;
  const r = rootMap(file);
  if (!r) return undefined;
  const obj = { section: r.section, node: r.map, basePath: [] } as unknown as ManifestObject;
  const at = nodeAtOffset(obj, offset);
  if (!at.path.length) return undefined;
  const c = new Checker(file, r.section);
  const path = at.path;
  const keyNode = at.pair?.key as Node | undefined;
  const node = at.onKey ? keyNode : at.node;
  const range = c.at(node ?? null);
  if (!range) return undefined;
  let md: string | undefined;
  if (path.length === 2 && path[0] === 'annotations' && at.onKey) {
    const a = KNOWN_ANNOTATIONS.find((x) => x.value === path[1]);
    md = a ? `**${a.value}** (annotation)\n\n${a.description}` : `**${path[1]}** (annotation)\n\nFree metadata for other tools; Helm does not interpret it. Templates read it as \`.Chart.Annotations\`.`;
  } else {
    const parent = structAt(path.slice(0, -1));
    const key = path[path.length - 1];
    const f = parent && typeof key === 'string' ? fieldFolded(parent, key) : undefined;
    if (!f) return undefined;
    const sections = [`**${f.key}**: ${typeLabel(f)}${f.required ? ' (required)' : ''}${parent === MAINTAINER_SCHEMA ? ' — maintainer' : parent === DEPENDENCY_SCHEMA ? ' — dependency' : ''}`, f.description];
    const value = at.onKey ? deref(r.section, at.pair?.value) : deref(r.section, at.node ?? null);
    const extra = valueHover(c, parent!, f, value, file, offset, opts);
    if (extra) sections.push(extra);
    md = sections.join('\n\n');
  }
  return { contents: md, range: { start: range[0], end: range[1] } };
}

function valueHover(c: Checker, schema: StructSchema, f: FieldSchema, value: Node | null, file: ManifestFile, offset: number, opts: ChartYamlAssistOptions): string | undefined {
  const kind = kindOf(value);
  if (kind === 'map' || kind === 'list' || kind === 'null') return undefined;
  const text = c.text(value);
  const choice = f.values?.find((v) => v.value === text);
  if (choice) return `\`${text}\`: ${choice.description}`;
  if (schema === CHART_SCHEMA && f.key === 'version') {
    try {
      const v = parseVersion(text);
      return `\`${text}\`: major ${v.major}, minor ${v.minor}, patch ${v.patch}${v.pre ? `, prerelease ${v.pre} (sorts before ${v.major}.${v.minor}.${v.patch})` : ''}${v.metadata ? `, build ${v.metadata} (ignored when comparing)` : ''}.`;
    } catch {
      return undefined;
    }
  }
  if (schema === CHART_SCHEMA && f.key === 'kubeVersion') {
    const words = describeConstraint(text);
    if (!words) return undefined;
    const lines = [`\`${text}\`: ${words}.`];
    lines.push(
      acceptsPrereleases(text)
        ? 'Cluster versions with a suffix (v1.28.3-gke.1286000, v1.29.0-eks-5e0fdde) are accepted: the constraint carries a prerelease part (`-0`).'
        : 'Cluster versions with a suffix (v1.28.3-gke.1286000, v1.29.0-eks-5e0fdde) are refused: SemVer reads the suffix as a prerelease, which only a constraint with a prerelease part (`>=1.25.0-0`) accepts.',
    );
    const kv = opts.kubernetesVersion;
    if (kv && /^\d+\.\d+/.test(kv)) {
      const full = `v${/^\d+\.\d+\.\d+/.test(kv) ? kv : kv + '.0'}`;
      lines.push(matchesRange(text, full) ? `Kubernetes ${kv} (kubeManifests.kubernetesVersion) satisfies it.` : `Kubernetes ${kv} (kubeManifests.kubernetesVersion) does **not** satisfy it: Helm refuses the chart for that version.`);
    }
    return lines.join('\n\n');
  }
  if (schema === DEPENDENCY_SCHEMA && f.key === 'version') {
    const words = describeConstraint(text);
    if (!words) return undefined;
    const lines = [`\`${text}\`: ${words}.`];
    const name = entryNameAt(file, offset);
    for (const s of (opts.subcharts ?? []).filter((x) => x.name === name)) {
      lines.push(`${s.path}: ${name} ${s.version}, ${matchesRange(text, s.version) ? 'inside' : '**outside**'} the range.`);
    }
    return lines.join('\n\n');
  }
  return undefined;
}
