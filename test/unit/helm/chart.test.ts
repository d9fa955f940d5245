/**
 * Chart loading (Helm v4's pkg/chart/v2/loader and archive loader) and the built-in objects.
 * Error texts are Helm's (read from helm/helm); the Chart.yaml decoding cases were observed from
 * Go 1.19 + ghodss/yaml unmarshalling into Helm's Metadata struct shape (/tmp/chart/main.go; the
 * Go program's package is `main`, Helm's is `v2`, hence `v2.Maintainer` below).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import {
  applyHelmignore,
  ChartFile,
  chartFullPath,
  cleanPath,
  crdObjects,
  isValidSemver,
  loadArchiveFiles,
  loadChart,
  loadChartArchive,
  LoadedChart,
  loadValues,
  sanitizeString,
  splitYamlDocuments,
} from '../../../server/src/helm/chart';
import { readTar } from '../../../server/src/helm/tar';
import { buildRenderObjects, chartScopes, parseKubeVersion, VersionSet } from '../../../server/src/helm/objects';
import { Files } from '../../../server/src/helm/files';
import { formatV } from '../../../server/src/helm/fmt';
import { GoInt, typeName } from '../../../server/src/helm/value';
import type { ValuesChart } from '../../../server/src/helm/values';
import { findCharts, loadChartPath, readChartDir } from '../../../server/src/node/chartFiles';
import { ROOT } from '../../helpers';

const enc = new TextEncoder();
const file = (p: string, text: string): ChartFile => ({ path: p, data: enc.encode(text) });
const CHART = 'apiVersion: v2\nname: demo\nversion: 1.0.0\n';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

// ---------------------------------------------------------------------------------------------
// A tiny tar writer for test archives (USTAR headers, PAX records, GNU long names).

function octalField(n: number, len: number): string {
  return n.toString(8).padStart(len - 1, '0') + '\0';
}

function header(name: string, size: number, type: string, opts: { prefix?: string; gnu?: boolean; mode?: number; linkname?: string } = {}): Uint8Array {
  const h = new Uint8Array(512);
  const put = (off: number, s: string) => h.set(enc.encode(s), off);
  put(0, name);
  put(100, octalField(opts.mode ?? 0o644, 8));
  put(108, octalField(0, 8));
  put(116, octalField(0, 8));
  put(124, octalField(size, 12));
  put(136, octalField(1700000000, 12));
  put(156, type);
  if (opts.linkname) put(157, opts.linkname);
  if (opts.gnu) put(257, 'ustar  \0');
  else {
    put(257, 'ustar\0');
    put(263, '00');
  }
  if (opts.prefix) put(345, opts.prefix);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  put(148, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

type Entry =
  | { name: string; data?: string | Uint8Array; type?: string; prefix?: string; linkname?: string; mode?: number }
  | { pax: Record<string, string>; global?: boolean }
  | { gnuLong: string };

function paxRecord(k: string, v: string): string {
  const body = ` ${k}=${v}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return len + body;
}

function tar(entries: Entry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if ('pax' in e) {
      const body = enc.encode(Object.entries(e.pax).map(([k, v]) => paxRecord(k, v)).join(''));
      parts.push(header('PaxHeader', body.length, e.global ? 'g' : 'x'), padded(body));
    } else if ('gnuLong' in e) {
      const body = enc.encode(e.gnuLong + '\0');
      parts.push(header('././@LongLink', body.length, 'L', { gnu: true }), padded(body));
    } else {
      const data = typeof e.data === 'string' ? enc.encode(e.data) : (e.data ?? new Uint8Array(0));
      parts.push(header(e.name, data.length, e.type ?? '0', { prefix: e.prefix, linkname: e.linkname, mode: e.mode }), padded(data));
    }
  }
  parts.push(new Uint8Array(1024));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const tgz = (entries: Entry[]) => new Uint8Array(gzipSync(tar(entries)));

// ---------------------------------------------------------------------------------------------

test('where LoadFiles puts each file', () => {
  const c = loadChart([
    file('values.yaml', 'a: 1\n'),
    file('Chart.yaml', CHART),
    file('Chart.lock', 'digest: sha256:x\ngenerated: "2024-01-01T00:00:00Z"\ndependencies: []\n'),
    file('values.schema.json', '{}'),
    file('.helmignore', '*.tmp\n'),
    file('templates/a.yaml', 'kind: A'),
    file('templates/NOTES.txt', 'notes'),
    file('crds/crd.yaml', 'kind: CustomResourceDefinition'),
    file('crds/README.md', 'no'),
    file('charts/sub-1.0.0.tgz.prov', 'sig'),
    file('charts/_skipped/Chart.yaml', 'garbage: ['),
    file('charts/.hidden/Chart.yaml', 'garbage: ['),
    file('requirements.yaml', 'dependencies: []\n'),
    file('README.md', '# demo'),
  ]);
  assert.equal(c.name, 'demo');
  assert.equal(c.version, '1.0.0');
  assert.deepEqual(c.values, { a: 1 });
  assert.equal(c.valuesText, 'a: 1\n');
  assert.equal(c.schema, '{}');
  assert.equal(c.lock?.Digest, 'sha256:x');
  assert.deepEqual(
    c.templates.map((t) => t.name),
    ['templates/a.yaml', 'templates/NOTES.txt'],
  );
  // apiVersion v2: requirements.yaml is read but not kept in .Files.
  assert.deepEqual(
    c.files.map((f) => f.path),
    ['.helmignore', 'crds/crd.yaml', 'crds/README.md', 'charts/sub-1.0.0.tgz.prov', 'README.md'],
  );
  assert.deepEqual(
    c.crds.map((f) => f.path),
    ['crds/crd.yaml'],
  );
  assert.equal(c.subcharts.length, 0);
  assert.equal(c.dependencies, undefined);
  assert.equal(c.raw.length, 14);
  assert.equal(c.hasValues, true);
});

test('apiVersion v1: no apiVersion means v1; requirements.yaml and requirements.lock are also Files', () => {
  const c = loadChart([
    file('Chart.yaml', 'name: old\nversion: 0.1.0\n'),
    file('requirements.yaml', 'dependencies:\n- name: dep\n  version: 1.x\n  repository: https://example.com\n'),
    file('requirements.lock', 'digest: abc\ndependencies:\n- name: dep\n  version: 1.2.3\n'),
  ]);
  assert.equal(c.metadata.APIVersion, 'v1');
  assert.deepEqual(
    c.files.map((f) => f.path),
    ['requirements.yaml', 'requirements.lock'],
  );
  assert.deepEqual(c.dependencies, [
    { name: 'dep', version: '1.x', repository: 'https://example.com', condition: '', tags: [], enabled: false, importValues: [], alias: '' },
  ]);
  assert.equal(c.lock?.Dependencies[0]?.Version, '1.2.3');
  assert.equal(c.hasValues, false);
  assert.deepEqual(c.values, {});
});

test("Helm's load errors", () => {
  assert.equal(errorOf(() => loadChart([])), 'Chart.yaml file is missing');
  assert.equal(errorOf(() => loadChart([file('requirements.lock', '')])), 'validation: chart.metadata.apiVersion is required');
  assert.equal(errorOf(() => loadChart([file('Chart.yaml', 'apiVersion: v9\nname: x\nversion: 1.0.0\n')])), 'unsupported chart version');
  // Subcharts are not checked for their apiVersion.
  const withSub = loadChart([file('Chart.yaml', CHART), file('charts/s/Chart.yaml', 'apiVersion: v9\nname: s\nversion: 1.0.0\n')]);
  assert.equal(withSub.subcharts[0].metadata.APIVersion, 'v9');
  assert.equal(
    errorOf(() => loadChart([file('Chart.yaml', CHART), file('charts/README.md', 'x')])),
    'error unpacking subchart README.md in demo: Chart.yaml file is missing',
  );
  assert.equal(
    errorOf(() => loadChart([file('Chart.yaml', CHART), file('charts/s/Chart.yaml', 'name: s\n')])),
    'error unpacking subchart s in demo: validation: chart.metadata.version is required',
  );
  assert.equal(
    errorOf(() => loadChart([file('Chart.yaml', CHART), file('charts/a/charts/b/Chart.yaml', 'name: b\n'), file('charts/a/Chart.yaml', 'name: a\nversion: 1.0.0\n')])),
    'error unpacking subchart a in demo: error unpacking subchart b in a: validation: chart.metadata.version is required',
  );
  assert.equal(
    errorOf(() => loadChart([file('Chart.yaml', CHART), file('charts/x.tgz/inner', 'x')])),
    'error unpacking subchart tar in demo: expected x.tgz, got x.tgz/inner',
  );
  assert.equal(
    errorOf(() => loadChart([file('Chart.yaml', CHART), file('charts/x.tgz', 'not a gzip archive')])),
    'error unpacking subchart x.tgz in demo: gzip: invalid header',
  );
  assert.match(errorOf(() => loadChart([file('Chart.yaml', 'name: [\n')])), /^cannot load Chart\.yaml: error converting YAML to JSON: yaml: line \d+: /);
  assert.match(errorOf(() => loadChart([file('Chart.yaml', CHART), file('values.yaml', 'a: [\n')])), /^cannot load values\.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: /);
  assert.equal(
    errorOf(() => loadChart([file('Chart.yaml', CHART), file('values.yaml', '- a\n')])),
    'cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
  assert.equal(
    errorOf(() => loadChart([file('Chart.yaml', CHART), file('values.yaml', 'a: 1\n--- b\n')])),
    'cannot load values.yaml: error reading yaml document: invalid Yaml document separator: b',
  );
});

test('Metadata.Validate messages', () => {
  const v = (yaml: string) => errorOf(() => loadChart([file('Chart.yaml', 'apiVersion: v2\n' + yaml)]));
  assert.equal(v('version: 1.0.0\n'), 'validation: chart.metadata.name is required');
  assert.equal(v('name: ..\nversion: 1.0.0\n'), 'validation: chart.metadata.name ".." is not allowed');
  assert.equal(v('name: a/b\nversion: 1.0.0\n'), 'validation: chart.metadata.name "a/b" is invalid');
  assert.equal(v('name: x\n'), 'validation: chart.metadata.version is required');
  assert.equal(v('name: x\nversion: one\n'), 'validation: chart.metadata.version "one" is invalid');
  assert.equal(v('name: x\nversion: 1.0.0\ntype: app\n'), 'validation: chart.metadata.type must be application or library');
  assert.equal(v('name: x\nversion: 1.0.0\nmaintainers:\n- ~\n'), 'validation: maintainers must not contain empty or null nodes');
  assert.equal(v('name: x\nversion: 1.0.0\ndependencies:\n- ~\n'), 'validation: dependencies must not contain empty or null nodes');
  assert.equal(v('name: x\nversion: 1.0.0\ndependencies:\n- name: a\n  alias: a.b\n'), 'validation: dependency "a" has disallowed characters in the alias');
  assert.equal(
    v('name: x\nversion: 1.0.0\ndependencies:\n- name: a\n- name: b\n  alias: a\n'),
    'validation: more than one dependency with name or alias "a"',
  );
  // Sanitized: white space becomes a space, what does not print is dropped.
  const c = loadChart([file('Chart.yaml', 'apiVersion: v2\nname: x\nversion: 1.0.0\ndescription: "a\\tb\\u200bc\\u00a0d\\u0007"\n')]);
  assert.equal(c.metadata.Description, 'a bc d');
  // Observed from Go's unicode.IsSpace/IsPrint: U+2028 is a space; BOM, soft hyphen and private use are dropped.
  assert.equal(sanitizeString('ok ✓ \u2028x\ufeffy\u00adz\u{1F600}\ue000'), 'ok ✓  xyz😀');
});

// Observed from Go 1.19 + Masterminds/semver (Debian's 3.x).
test('SemVer as Masterminds NewVersion accepts it', () => {
  for (const ok of ['1', '1.2', 'v1.2.3', '1.2.3-rc.1+build.5', '0.0.0', '01.2.3', '1.2.3-alpha-1']) assert.equal(isValidSemver(ok), true, ok);
  for (const bad of ['', 'one', '1.2.3.4', '1.2.3-01', '1.2.3-', '1.2.3+', '99999999999999999999.0.0', ' 1.2.3']) assert.equal(isValidSemver(bad), false, bad);
});

test('Chart.yaml decoding as sigs.k8s.io/yaml + encoding/json do (observed from Go)', () => {
  const md = (yaml: string) => loadChart([file('Chart.yaml', yaml)], { root: false }).metadata;
  const err = (yaml: string) => errorOf(() => loadChart([file('Chart.yaml', yaml)], { root: false }));
  let m = md('apiVersion: v2\nname: x\nversion: 1.10\nappVersion: 12345678\nkeywords: [1, true, 1.5]\nannotations: {a: 1, b: true}\n');
  assert.deepEqual([m.Version, m.AppVersion, m.Keywords, m.Annotations], ['1.1', '12345678', ['1', 'true', '1.5'], { a: '1', b: 'true' }]);
  m = md('apiVersion: v2\nname: x\nversion: 0.1.0\nappVersion: 1.0\ndescription: 2.50\nhome: 1e3\n');
  assert.deepEqual([m.AppVersion, m.Description, m.Home], ['1', '2.5', '1000']);
  m = md('Name: up\nVERSION: 1.0.0\napiversion: v2\n');
  assert.deepEqual([m.Name, m.Version, m.APIVersion], ['up', '1.0.0', 'v2']);
  m = md('name: x\nversion: 1.0.0\nappVersion: 0.1e3\nicon: 123456789012\nhome: 3.14159265358979\ntype: library\ndeprecated: yes\n');
  assert.deepEqual([m.AppVersion, m.Icon, m.Home, m.Deprecated], ['100', '123456789012', '3.1415927', true]);
  m = md('name: x\nversion: 1.0.0\ndependencies:\n- name: d\n  tags: [a, 1]\n  import-values: [a, {child: c, parent: p}]\n  enabled: true\n');
  assert.deepEqual(m.Dependencies, [
    { Name: 'd', Version: '', Repository: '', Condition: '', Tags: ['a', '1'], Enabled: true, ImportValues: ['a', { child: 'c', parent: 'p' }], Alias: '' },
  ]);
  const pre = 'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ';
  assert.equal(err('name: x\nversion: [1]\n'), pre + 'array into Go struct field Metadata.version of type string');
  assert.equal(err('name: x\nversion: 1.0.0\ndeprecated: "yes"\n'), pre + 'string into Go struct field Metadata.deprecated of type bool');
  assert.equal(err('name: x\nversion: 1.0.0\nmaintainers: foo\n'), pre + 'string into Go struct field Metadata.maintainers of type []*v2.Maintainer');
  assert.equal(err('name: x\nversion: 1.0.0\nmaintainers:\n- name: a\n  email: 1\n- name: {x: 1}\n'), pre + 'object into Go struct field Maintainer.maintainers.name of type string');
  assert.equal(err('name: x\nversion: 1.0.0\nmaintainers: ["str"]\n'), pre + 'string into Go struct field Metadata.maintainers of type v2.Maintainer');
  assert.equal(err('name: x\nversion: 1.0.0\nkeywords: foo\n'), pre + 'string into Go struct field Metadata.keywords of type []string');
  assert.equal(err('name: x\nversion: 1.0.0\nannotations: [1]\n'), pre + 'array into Go struct field Metadata.annotations of type map[string]string');
  assert.equal(err('name: x\nversion: 1.0.0\nannotations: {a: {b: c}}\n'), pre + 'object into Go struct field Metadata.annotations of type string');
  assert.equal(err('name: x\nversion: 1.0.0\ndependencies:\n- name: d\n  enabled: 1\n'), pre + 'number into Go struct field Dependency.dependencies.enabled of type bool');
  assert.equal(err('name: x\nversion: 1.0.0\nsources: [{a: 1}]\n'), pre + 'object into Go struct field Metadata.sources of type string');
  assert.equal(err('- a\n- b\n'), pre + 'array into Go value of type v2.Metadata');
  assert.equal(err('just a string\n'), pre + 'string into Go value of type v2.Metadata');
  // Empty Chart.yaml: all fields empty, apiVersion v1, then validation.
  assert.equal(err(''), 'validation: chart.metadata.name is required');
  assert.equal(err('name: x\nversion: null\n'), 'validation: chart.metadata.version is required');
});

test('values.yaml: every document, merged', () => {
  assert.deepEqual(loadValues('a: 1\nm: {x: 1, z: 2}\n---\nb: 2\nm: {z: 3}\n--- # c\n---\n'), { a: 1, b: 2, m: { x: 1, z: 3 } });
  // YAML 1.1: the key `y` is the boolean true.
  assert.deepEqual(loadValues('m: {y: 3}\n'), { m: { true: 3 } });
  assert.deepEqual(loadValues(''), {});
  assert.deepEqual(loadValues('a: 1\r\n---\r\nb: 2'), { a: 1, b: 2 });
  // A separator that ends a document is consumed; one that starts a document stays in it.
  assert.deepEqual(splitYamlDocuments('---\na: 1\n---\n---\nb: 2'), ['---\na: 1\n', '---\nb: 2\n']);
  assert.equal(errorOf(() => splitYamlDocuments('a\n----\n')), 'error reading yaml document: invalid Yaml document separator: -');
});

// The same archive read by Go's archive/tar gives these names, types, contents and link.
test('tar: USTAR prefixes, PAX and GNU long names, directories, links', () => {
  const long = 'sub/templates/' + 'd'.repeat(120) + '/x.yaml';
  const entries = readTar(
    tar([
      { pax: { comment: 'global' }, global: true },
      { name: 'sub/', type: '5', mode: 0o755 },
      { name: 'sub/Chart.yaml', data: 'name: sub' },
      { pax: { path: long, mtime: '1700000000.5' } },
      { name: 'ignored-name', data: 'long' },
      { gnuLong: 'sub/' + 'g'.repeat(150) },
      { name: 'short', data: 'gnu' },
      { name: 'y.yaml', prefix: 'sub/templates/prefixed', data: 'ustar' },
      { name: 'sub/link', type: '2', linkname: 'Chart.yaml' },
      { name: 'sub/olddir/', type: '\0' },
    ]),
  );
  assert.deepEqual(
    entries.map((e) => [e.name, e.typeflag, new TextDecoder().decode(e.data)]),
    [
      ['PaxHeader', 'g', ''],
      ['sub/', '5', ''],
      ['sub/Chart.yaml', '0', 'name: sub'],
      [long, '0', 'long'],
      ['sub/' + 'g'.repeat(150), '0', 'gnu'],
      ['sub/templates/prefixed/y.yaml', '0', 'ustar'],
      ['sub/link', '2', ''],
      ['sub/olddir/', '5', ''],
    ],
  );
  assert.equal(entries[6].linkname, 'Chart.yaml');
  const bad = tar([{ name: 'a', data: 'x' }]);
  bad[148] = 0x37; // break the checksum
  assert.equal(errorOf(() => readTar(bad)), 'archive/tar: invalid tar header');
  assert.equal(errorOf(() => readTar(tar([{ name: 'a', data: 'x'.repeat(600) }]).subarray(0, 1000))), 'unexpected EOF');
  assert.deepEqual(readTar(new Uint8Array(0)), []);
});

test('a .tgz subchart: top folder cut, BOM dropped, no .helmignore, names as in the archive', () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('apiVersion: v2\nname: sub\nversion: 0.2.0\n')]);
  const sub = tgz([
    { name: 'sub/', type: '5' },
    { name: 'sub/Chart.yaml', data: bom },
    { name: 'sub/values.yaml', data: 'port: 80\n' },
    { name: 'sub/.helmignore', data: '*.txt\n' },
    { name: 'sub/notes.txt', data: 'kept: archives ignore .helmignore' },
    { name: 'sub/templates/.hidden.yaml', data: 'kept too' },
    { pax: { path: 'sub/templates/' + 'n'.repeat(110) + '.yaml' } },
    { name: 'x', data: 'long' },
  ]);
  const parent = loadChart([file('Chart.yaml', CHART + 'dependencies:\n- name: sub\n  version: 0.2.0\n'), { path: 'charts/sub-0.2.0.tgz', data: sub }]);
  assert.equal(parent.subcharts.length, 1);
  const s = parent.subcharts[0];
  assert.equal(s.name, 'sub');
  assert.equal(s.version, '0.2.0');
  assert.equal(s.parent, parent);
  assert.equal(s.source, 'charts/sub-0.2.0.tgz');
  assert.deepEqual(s.values, { port: 80 });
  assert.deepEqual(
    s.files.map((f) => f.path),
    ['.helmignore', 'notes.txt'],
  );
  assert.deepEqual(
    s.templates.map((t) => t.name),
    ['templates/.hidden.yaml', 'templates/' + 'n'.repeat(110) + '.yaml'],
  );
  assert.equal(chartFullPath(s), 'demo/charts/sub');
  assert.equal(s.raw[0].data[0], 0x61); // BOM gone
});

test('archive path checks', () => {
  const one = (name: string) => errorOf(() => loadArchiveFiles(tgz([{ name, data: 'x' }])));
  assert.equal(one('top/../../etc/passwd'), 'chart illegally references parent directory');
  assert.equal(one('top//abs'), 'chart illegally contains absolute paths');
  assert.equal(one('Chart.yaml'), 'chart illegally contains content outside the base directory: "Chart.yaml"');
  assert.equal(one('Chart.yaml/x'), 'chart yaml not in base directory');
  assert.equal(one('top/c:/x'), 'chart contains illegally named files');
  assert.equal(one('top/..x'), 'chart illegally references parent directory');
  assert.deepEqual(
    loadArchiveFiles(tgz([{ name: 'top\\templates\\a.yaml', data: 'win' }])).map((f) => f.path),
    ['templates/a.yaml'],
  );
  assert.equal(errorOf(() => loadArchiveFiles(tgz([{ name: 'top/', type: '5' }]))), 'no files in chart archive');
  assert.equal(
    errorOf(() => loadArchiveFiles(tgz([{ name: 'top/big', data: new Uint8Array(5 * 1024 * 1024 + 1) }]))),
    'decompressed chart file "top/big" is larger than the maximum file size 5242880',
  );
  // Observed from Go's compress/gzip: a header shorter than 10 bytes is unexpected EOF.
  assert.equal(errorOf(() => loadArchiveFiles(new Uint8Array([1, 2, 3]))), 'unexpected EOF');
  assert.equal(errorOf(() => loadArchiveFiles(new Uint8Array(0))), 'EOF');
  const trunc = tgz([{ name: 'top/a', data: 'x'.repeat(5000) }]);
  assert.equal(errorOf(() => loadArchiveFiles(trunc.subarray(0, trunc.length - 30))), 'unexpected EOF');
  assert.equal(errorOf(() => loadChartArchive(tgz([{ name: 'top/values.yaml', data: 'a: 1' }]))), 'unable to detect chart version, no Chart.yaml found');
  assert.equal(cleanPath('a/./b/../c//d/'), 'a/c/d');
  assert.equal(cleanPath('../a'), '../a');
});

test('a chart folder on disk: .helmignore while walking, BOMs, subcharts, CRDs', () => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'chart-test-'));
  try {
    const w = (p: string, text: string | Uint8Array) => {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), text);
    };
    w('Chart.yaml', CHART);
    w('.helmignore', 'secret/\n*.bak\n');
    w('values.yaml', new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('a: 1\n')]));
    w('templates/a.yaml', 'a');
    w('templates/.swp', 'dot');
    w('secret/key', 'no');
    w('x.bak', 'no');
    w('a.txt', 'yes');
    w('a/b.txt', 'yes');
    w('crds/c.yaml', 'kind: CustomResourceDefinition');
    w('charts/sub/Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 1.0.0\n');
    w('charts/sub/templates/.dot', 'kept: the default rule is relative to the top chart');
    w('charts/sub/crds/s.yml', 'kind: CustomResourceDefinition');
    const files = readChartDir(dir);
    assert.deepEqual(
      files.map((f) => f.path),
      [
        '.helmignore',
        'Chart.yaml',
        'a/b.txt',
        'a.txt',
        'charts/sub/Chart.yaml',
        'charts/sub/crds/s.yml',
        'charts/sub/templates/.dot',
        'crds/c.yaml',
        'templates/a.yaml',
        'values.yaml',
      ],
    );
    // The same selection from the in-memory list.
    const all = [...files, file('templates/.swp', ''), file('secret/key', ''), file('x.bak', '')];
    assert.deepEqual(applyHelmignore(all).map((f) => f.path), files.map((f) => f.path));
    const c = loadChartPath(dir);
    assert.deepEqual(c.values, { a: 1 });
    assert.deepEqual(
      crdObjects(c).map((x) => x.filename),
      ['demo/crds/c.yaml', 'demo/charts/sub/crds/s.yml'],
    );
    assert.deepEqual(findCharts(dir), [dir]);
    assert.match(errorOf(() => loadChartPath(path.join(dir, 'a'))), /^unable to detect chart at .*\/a\/Chart\.yaml: open .*: no such file or directory$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const SHARED = path.join(ROOT, '..', 'shared', 'helm-charts');

test('the charts under ../shared/helm-charts load', { skip: !fs.existsSync(SHARED) }, () => {
  const found = findCharts(SHARED).map((d) => path.relative(SHARED, d));
  assert.deepEqual(found, [
    'bitnami/common',
    'bitnami/mariadb',
    'bitnami/nginx',
    'bitnami/postgresql',
    'cert-manager/cert-manager',
    'helm-create',
    'prometheus-community/kube-state-metrics',
    'prometheus-community/prometheus',
    'prometheus-community/prometheus-node-exporter',
    'vendored/bitnami-nginx',
  ]);
  const load = (p: string) => loadChart(readChartDir(path.join(SHARED, p)));
  const summary = (c: LoadedChart) => [c.name, c.version, c.metadata.APIVersion, c.templates.length, c.subcharts.length];
  assert.deepEqual(summary(load('bitnami/common')), ['common', '2.31.10', 'v2', 21, 0]);
  assert.deepEqual(summary(load('helm-create')), ['echo', '0.1.0', 'v2', 9, 0]);
  assert.deepEqual(summary(load('cert-manager/cert-manager')), ['cert-manager', 'v0.0.0', 'v2', 49, 0]);
  assert.deepEqual(summary(load('prometheus-community/prometheus')), ['prometheus', '29.27.0', 'v2', 17, 0]);

  const echo = load('helm-create');
  assert.deepEqual(
    echo.templates.map((t) => t.name).sort(),
    [
      'templates/NOTES.txt',
      'templates/_helpers.tpl',
      'templates/deployment.yaml',
      'templates/hpa.yaml',
      'templates/httproute.yaml',
      'templates/ingress.yaml',
      'templates/service.yaml',
      'templates/serviceaccount.yaml',
      'templates/tests/test-connection.yaml',
    ],
  );
  assert.deepEqual(
    echo.files.map((f) => f.path),
    ['.helmignore', 'LICENSE.helm'],
  );

  const nginx = load('vendored/bitnami-nginx');
  assert.deepEqual(summary(nginx), ['nginx', '22.1.1', 'v2', 18, 1]);
  const common = nginx.subcharts[0];
  assert.deepEqual([common.name, common.version, common.metadata.Type, common.source], ['common', '2.31.10', 'library', 'charts/common']);
  assert.equal(common.templates.length, 21);
  assert.ok(common.templates.every((t) => t.name.startsWith('templates/')));
  // CHANGELOG.md is in nginx's .helmignore; README.md is not.
  assert.deepEqual(
    nginx.files.map((f) => f.path),
    ['.helmignore', 'README.md'],
  );
  assert.deepEqual(nginx.dependencies?.map((d) => [d.name, d.repository, d.version]), [['common', 'oci://registry-1.docker.io/bitnamicharts', '2.x.x']]);
  assert.equal(nginx.lock?.Dependencies.length, 1);
  assert.ok(nginx.schema && nginx.schema.startsWith('{'));
  assert.ok(Object.keys(nginx.values).length > 50);
  assert.deepEqual(
    load('cert-manager/cert-manager').files.map((f) => f.path),
    ['.helmignore', 'signkey_annotation.txt', 'values.linter.exceptions'],
  );
  const ksm = load('prometheus-community/kube-state-metrics');
  assert.ok(ksm.files.some((f) => f.path === 'ci/01-default-values.yaml'));
  // A LoadedChart is what values.ts works with.
  const vc: ValuesChart = nginx;
  assert.equal(vc.subcharts[0].name, 'common');
});

// ---------------------------------------------------------------------------------------------
// Built-in objects

test('.Release, .Chart and .Capabilities as Helm v4 builds them', () => {
  const c = loadChart([
    file(
      'Chart.yaml',
      'apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: "2.0"\nkeywords: [a]\nmaintainers:\n- name: me\n  email: me@example.com\nannotations: {x: z}\ndependencies:\n- name: sub\n  version: 1.x\n  repository: file://sub\n',
    ),
    file('a.txt', 'A'),
  ]);
  const o = buildRenderObjects(c, {
    releaseName: 'rel',
    namespace: 'ns',
    isInstall: true,
    isUpgrade: false,
    revision: 1,
    kubeVersion: '1.33.4-gke.1245000',
    apiVersions: ['v1', 'apps/v1'],
  });
  assert.deepEqual(o.Release, { Name: 'rel', Namespace: 'ns', IsUpgrade: false, IsInstall: true, Revision: new GoInt(1n), Service: 'Helm' });
  assert.equal(formatV(o.Release), 'map[IsInstall:true IsUpgrade:false Name:rel Namespace:ns Revision:1 Service:Helm]');
  assert.equal(o.Chart.Name, 'demo');
  assert.equal(o.Chart.AppVersion, '2.0');
  assert.equal(o.Chart.IsRoot, true);
  assert.equal(typeName(o.Chart), 'map[string]interface {}');
  assert.equal(
    formatV(o.Chart),
    'map[APIVersion:v2 Annotations:map[x:z] AppVersion:2.0 Condition: Dependencies:[map[Alias: Condition: Enabled:false ImportValues:[] Name:sub Repository:file://sub Tags:[] Version:1.x]] Deprecated:false Description: Home: Icon: IsRoot:true Keywords:[a] KubeVersion: Maintainers:[map[Email:me@example.com Name:me URL:]] Name:demo Sources:[] Tags: Type: Version:1.2.3]',
  );
  const caps = o.Capabilities;
  assert.equal(typeName(caps), '*common.Capabilities');
  const kv = caps.field('KubeVersion')!.value as ReturnType<typeof parseKubeVersion>;
  assert.equal(kv.field('Version')!.value, 'v1.33.4-gke.1245000');
  assert.equal(kv.field('Major')!.value, '1');
  assert.equal(kv.field('Minor')!.value, '33');
  assert.equal(kv.method('GitVersion')!.fn(), 'v1.33.4-gke.1245000');
  assert.equal(kv.method('String')!.fn(), 'v1.33.4');
  assert.equal(kv.field('GitVersion'), undefined);
  assert.equal(kv.format(), '{v1.33.4-gke.1245000 v1.33.4 1 33}');
  const api = caps.field('APIVersions')!.value as VersionSet;
  assert.equal(typeName(api), 'common.VersionSet');
  assert.equal(api.method('Has')!.fn('apps/v1'), true);
  assert.equal(api.method('Has')!.fn('apps/v1/Deployment'), false);
  assert.equal(formatV(api), '[v1 apps/v1]');
  assert.deepEqual([...api.asSlice()], ['v1', 'apps/v1']);
  const hv = caps.field('HelmVersion')!.value;
  assert.equal(typeName(hv), 'version.BuildInfo');
  assert.equal(caps.field('Nope'), undefined);
  assert.ok(o.Files instanceof Files);
  assert.equal(o.Files.get('a.txt'), 'A');
});

test('ParseKubeVersion as Helm (k8s ParseGeneric) words it', () => {
  const kv = parseKubeVersion('v1.20');
  assert.deepEqual([kv.version, kv.toString(), kv.major, kv.minor], ['v1.20', 'v1.20', '1', '20']);
  assert.equal(parseKubeVersion('1.30.2').version, 'v1.30.2');
  assert.equal(errorOf(() => parseKubeVersion('x')), 'could not parse "x" as version');
  assert.equal(errorOf(() => parseKubeVersion('1')), 'illegal version string "1"');
  assert.equal(errorOf(() => parseKubeVersion('01.2')), 'illegal zero-prefixed version component "01" in "01.2"');
  assert.equal(
    errorOf(() =>
      buildRenderObjects(loadChart([file('Chart.yaml', CHART)]), { releaseName: 'r', namespace: 'n', isInstall: true, isUpgrade: false, revision: 1, kubeVersion: 'abc', apiVersions: [] }),
    ),
    `invalid kube version 'abc': could not parse "abc" as version`,
  );
});

test('chartScopes: each chart sees its own .Chart, .Files and values, .Subcharts nests scopes', () => {
  const parent = loadChart([
    file('Chart.yaml', CHART),
    file('p.txt', 'parent'),
    file('charts/sub/Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 1.0.0\n'),
    file('charts/sub/s.txt', 'sub'),
    file('charts/sub/charts/leaf/Chart.yaml', 'apiVersion: v2\nname: leaf\nversion: 1.0.0\n'),
  ]);
  const o = buildRenderObjects(parent, { releaseName: 'r', namespace: 'n', isInstall: true, isUpgrade: false, revision: 1, kubeVersion: 'v1.20.0', apiVersions: ['v1'] });
  const scopes = chartScopes(parent, { a: 1, sub: { b: 2, leaf: 'not a map' } }, o);
  assert.deepEqual(
    scopes.map((s) => s.fullPath),
    ['demo', 'demo/charts/sub', 'demo/charts/sub/charts/leaf'],
  );
  const [root, sub, leaf] = scopes;
  assert.deepEqual(root.dot.Values, { a: 1, sub: { b: 2, leaf: 'not a map' } });
  assert.deepEqual(sub.dot.Values, { b: 2, leaf: 'not a map' });
  assert.deepEqual(leaf.dot.Values, {});
  assert.equal((sub.dot.Chart as Record<string, unknown>).IsRoot, false);
  assert.equal((sub.dot.Files as Files).get('s.txt'), 'sub');
  assert.equal((root.dot.Subcharts as Record<string, unknown>).sub, sub.dot);
  assert.equal(root.dot.Release, o.Release);
});
