/**
 * `.helmignore` rules and Go's filepath.Match. The table cases are the facts of Helm's own
 * pkg/ignore/rules_test.go; the fixture holds thousands of fixed-seed cases whose expected results
 * were observed from Go 1.19 (path/filepath.Match, and Helm's ignore logic mirrored in a
 * throwaway Go program over the real filepath.Match).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { baseName, filepathMatch, helmignoreRules, parseHelmignore } from '../../../server/src/helm/helmignore';
import { applyHelmignore, ChartFile } from '../../../server/src/helm/chart';
import { ROOT } from '../../helpers';

interface Case {
  op: 'match' | 'glob' | 'ignore';
  a: string;
  b: string;
  dir?: boolean;
  bool: boolean;
  err?: string;
}
const fixture: { cases: Case[] } = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/unit/helm/fixtures/chart-match.json'), 'utf8'));

test("Helm's rule parsing: comments, blank lines and indentation are skipped", () => {
  const r = parseHelmignore('#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n');
  assert.deepEqual(r.rules(), ['foo', 'bar/*', 'baz/bar/foo.txt', 'one/more']);
});

test('rules Helm refuses', () => {
  assert.throws(() => parseHelmignore('foo/**/bar'), { message: 'double-star (**) syntax is not supported' });
  assert.throws(() => parseHelmignore('[z-'), { message: 'syntax error in pattern' });
  assert.throws(() => parseHelmignore('ok\na\\'), { message: 'syntax error in pattern' });
  assert.throws(() => parseHelmignore('x['), { message: 'syntax error in pattern' }); // the rest of a failed chunk is still checked
  // Malformed in a later chunk, after the first already failed to match "abc": Go 1.19 does not look further.
  assert.deepEqual(parseHelmignore('x*[').rules(), ['x*[']);
});

test('CRLF lines, a BOM on the first line and trailing spaces are dropped', () => {
  const r = parseHelmignore('\ufeff*.txt  \r\n  secrets/\r\n');
  assert.deepEqual(r.rules(), ['*.txt', 'secrets/']);
  assert.equal(r.ignored('a.txt', false), true);
  assert.equal(r.ignored('secrets', true), true);
});

test('the default rule ignores dot files directly in templates/, after the file rules', () => {
  const r = helmignoreRules(undefined);
  assert.deepEqual(r.rules(), ['templates/.?*']);
  assert.equal(r.ignored('templates/.dotfile', false), true);
  assert.equal(r.ignored('templates/x.yaml', false), false);
  assert.equal(r.ignored('templates/sub/.dotfile', false), false);
  assert.equal(r.ignored('charts/sub/templates/.dotfile', false), false);
  assert.deepEqual(helmignoreRules('*.md\n').rules(), ['*.md', 'templates/.?*']);
});

test("Helm's TestIgnore table", () => {
  const dirs = new Set(['cargo', 'cargo/', 'mast/', '.', './', '']);
  const table: Array<[string, string, boolean]> = [
    ['helm.txt', 'helm.txt', true],
    ['helm.*', 'helm.txt', true],
    ['helm.*', 'rudder.txt', false],
    ['*.txt', 'tiller.txt', true],
    ['*.txt', 'cargo/a.txt', true],
    ['cargo/*.txt', 'cargo/a.txt', true],
    ['cargo/*.*', 'cargo/a.txt', true],
    ['cargo/*.txt', 'mast/a.txt', false],
    ['ru[c-e]?er.txt', 'rudder.txt', true],
    ['templates/.?*', 'templates/.dotfile', true],
    ['.*', '.', false],
    ['.*', './', false],
    ['.*', '.joonix', true],
    ['.*', 'helm.txt', false],
    ['.*', '', false],
    ['cargo/', 'cargo', true],
    ['cargo/', 'cargo/', true],
    ['cargo/', 'mast/', false],
    ['helm.txt/', 'helm.txt', false],
    ['!helm.txt', 'helm.txt', false],
    ['!helm.txt', 'tiller.txt', true],
    ['!*.txt', 'cargo', true],
    ['!cargo/', 'mast/', true],
    ['/a.txt', 'a.txt', true],
    ['/a.txt', 'cargo/a.txt', false],
    ['/cargo/a.txt', 'cargo/a.txt', true],
  ];
  for (const [rule, name, want] of table) {
    assert.equal(parseHelmignore(rule).ignored(name, dirs.has(name)), want, `${rule} on ${name}`);
  }
});

test('negative rules ignore what they do not match and stop there', () => {
  const r = parseHelmignore('!keep.txt\n*.txt\n');
  assert.equal(r.ignored('other.yaml', false), true);
  assert.equal(r.ignored('keep.txt', false), true); // went on to `*.txt`
  assert.equal(parseHelmignore('*.txt\n!keep.txt\n').ignored('keep.txt', false), true);
});

test('filepath.Match and .helmignore agree with Go on the fixture', () => {
  let n = 0;
  for (const c of fixture.cases) {
    if (c.op === 'glob') continue;
    n++;
    let got: { bool: boolean; err?: string };
    try {
      got = c.op === 'match' ? { bool: filepathMatch(c.a, c.b) } : { bool: parseHelmignore(c.a).ignored(c.b, c.dir!) };
    } catch (e) {
      got = { bool: false, err: (e as Error).message };
    }
    const want = c.err !== undefined ? { bool: false, err: c.err } : { bool: c.bool };
    assert.deepEqual(got, want, `${c.op} ${JSON.stringify(c.a)} ${JSON.stringify(c.b)} dir=${c.dir}`);
  }
  assert.ok(n > 3000);
});

test('filepath.Match details', () => {
  assert.equal(filepathMatch('a[/]b', 'a/b'), true); // a class may match the separator
  assert.equal(filepathMatch('a*b', 'a/b'), false);
  assert.equal(filepathMatch('[^a]', 'é'), true); // classes and ? take one code point
  assert.equal(filepathMatch('?', 'é'), true);
  assert.equal(filepathMatch('[z-a]x', 'bx'), false); // an empty range is no error
  assert.throws(() => filepathMatch('a*[', 'abc'), { message: 'syntax error in pattern' });
  assert.equal(baseName('cargo/'), 'cargo');
  assert.equal(baseName(''), '.');
});

test('applyHelmignore drops ignored folders whole, as the directory walk does', () => {
  const f = (p: string, text = ''): ChartFile => ({ path: p, data: new TextEncoder().encode(text) });
  const files = [
    f('.helmignore', '.git/\n*.tmp\nsecret/\n!*.yaml\n'),
    f('Chart.yaml'),
    f('.git/config'),
    f('secret/a.yaml'),
    f('x.tmp'),
    f('templates/.hidden.yaml'),
    f('templates/a.yaml'),
  ];
  // `!*.yaml` ignores everything whose base name is not `*.yaml`: the folder `templates` too,
  // and with it all of templates/.
  assert.deepEqual(
    applyHelmignore(files).map((x) => x.path),
    ['Chart.yaml'],
  );
  const simple = [f('.helmignore', 'docs/\n'), f('Chart.yaml'), f('docs/a.md'), f('docs2/a.md'), f('templates/.x'), f('charts/sub/templates/.x')];
  assert.deepEqual(
    applyHelmignore(simple).map((x) => x.path),
    ['.helmignore', 'Chart.yaml', 'docs2/a.md', 'charts/sub/templates/.x'],
  );
});
