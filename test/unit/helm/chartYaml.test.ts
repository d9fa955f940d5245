/**
 * Chart.yaml in the editor (features/helm/chartYaml.ts): the schema and every helm lint check on
 * Chart.yaml, with Helm's severities, on the exact key or value; dependencies against charts/
 * and the lock (digests written by Helm itself); completion and hover; and no errors or warnings
 * on the real charts of ../shared/helm-charts with a context read from their folders.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import {
  CHART_YAML_RULES,
  ChartSubchart,
  ChartYamlContext,
  checkChartYaml,
  checkRequirementsYaml,
  completeChartYaml,
  describeConstraint,
  hoverChartYaml,
  isEmail,
  isRequestURL,
} from '../../../server/src/features/helm/chartYaml';
import { loadChartArchive } from '../../../server/src/helm/chart';
import { parseManifestFile } from '../../../server/src/model/manifest';
import { dedent, ROOT, withCursor } from '../../helpers';

const SHARED = path.resolve(ROOT, '..', 'shared', 'helm-charts');
const sharedSkip = fs.existsSync(SHARED) ? false : `no shared charts at ${SHARED}`;

const CTX: ChartYamlContext = { subcharts: [], hasTemplates: true, hasValues: true };

interface Shown {
  code: string;
  severity: string;
  text: string;
  message: string;
}

function check(text: string, ctx: Partial<ChartYamlContext> = {}): Shown[] {
  const file = parseManifestFile('file:///c/Chart.yaml', text);
  return checkChartYaml(file, { ...CTX, ...ctx }).map((p) => ({ code: p.code, severity: p.severity, text: text.slice(p.start, p.end), message: p.message }));
}

/** Problems other than the icon recommendation (most fixtures have no icon). */
function problems(text: string, ctx: Partial<ChartYamlContext> = {}): Shown[] {
  return check(text, ctx).filter((p) => p.code !== 'chart-icon');
}

const GOOD = 'apiVersion: v2\nname: web\nversion: 0.1.0\nicon: https://example.com/icon.svg\n';

test('a complete chart has no problems; without icon, helm lint\'s recommendation is information on name', () => {
  assert.deepEqual(check(GOOD), []);
  assert.deepEqual(check('apiVersion: v2\nname: web\nversion: 0.1.0\n'), [
    {
      code: 'chart-icon',
      severity: 'information',
      text: 'name',
      message: 'Chart.yaml has no icon: helm lint recommends one (chart repositories such as Artifact Hub show it). Add icon: with the URL of an SVG or PNG image.',
    },
  ]);
});

test('required fields: apiVersion, name and version missing are errors on the first key', () => {
  const ps = problems('description: a chart\n');
  assert.deepEqual(
    ps.map((p) => [p.code, p.severity, p.text]),
    [
      ['chart-api-version', 'error', 'description'],
      ['chart-name', 'error', 'description'],
      ['chart-version', 'error', 'description'],
    ],
  );
  assert.equal(ps[0].message, 'Chart.yaml has no apiVersion: helm lint fails ("apiVersion is required"). Add apiVersion: v2 (v1 only for a Helm 2 chart).');
  // An empty value is missing too, said on its key.
  assert.deepEqual(problems('apiVersion: v2\nname:\nversion: 1.0.0\n').map((p) => [p.code, p.text]), [['chart-name', 'name']]);
});

test('unknown fields are warnings with a did-you-mean; a key in other capitals is information', () => {
  const ps = problems('apiVersion: v2\nname: web\nversion: 0.1.0\nappversion: "1.0"\ndescripton: web\nfoo: bar\n');
  assert.deepEqual(ps, [
    { code: 'chart-field-case', severity: 'information', text: 'appversion', message: 'Helm reads "appversion" as appVersion (it ignores case in keys), but other tools reading Chart.yaml may not: write appVersion.' },
    { code: 'chart-unknown-field', severity: 'warning', text: 'descripton', message: '"descripton" is not a field of Chart.yaml: Helm ignores it (helm lint warns). Did you mean description?' },
    {
      code: 'chart-unknown-field',
      severity: 'warning',
      text: 'foo',
      message:
        '"foo" is not a field of Chart.yaml: Helm ignores it (helm lint warns). The fields are apiVersion, name, version, kubeVersion, description, type, keywords, home, sources, dependencies, maintainers, icon, appVersion, deprecated, annotations.',
    },
  ]);
  // Inside dependencies and maintainers too.
  const deps = problems('apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repo: https://x.example.com\nmaintainers:\n  - name: me\n    mail: me@example.com\n', { subcharts: [{ name: 'redis', version: '1.0.0', path: 'charts/redis' }] });
  assert.deepEqual(
    deps.map((p) => [p.code, p.text, p.message]),
    [
      ['chart-unknown-field', 'repo', '"repo" is not a field of a dependency: Helm ignores it (helm lint warns). Did you mean repository?'],
      ['chart-unknown-field', 'mail', '"mail" is not a field of a maintainer: Helm ignores it (helm lint warns). Did you mean email?'],
    ],
  );
});

test('values of the wrong kind are errors (Helm cannot load the chart); numbers read as other text are warnings', () => {
  const ps = problems('apiVersion: v2\nname: web\nversion: 0.1.0\nkeywords: web\ndescription: [a, b]\ndeprecated: "yes"\nannotations:\n  nested:\n    a: b\n  count: 010\n  flag: yes\n  port: 8080\nhome: 1.10\n');
  assert.deepEqual(ps, [
    { code: 'chart-field-type', severity: 'error', text: 'web', message: 'keywords in Chart.yaml takes a list of text, not text: Helm cannot load the chart with this value. Write a list of text.' },
    { code: 'chart-field-type', severity: 'error', text: '[a, b]', message: 'description in Chart.yaml takes text, not a list: Helm cannot load the chart with this value. Write text.' },
    { code: 'chart-field-type', severity: 'error', text: '"yes"', message: 'deprecated in Chart.yaml takes true or false, not text: Helm cannot load the chart with this value. Write true or false.' },
    {
      code: 'chart-field-type',
      severity: 'error',
      text: 'a: b',
      message: 'Each value of annotations is text, not a map: Helm cannot load the chart with this value. To keep structured data in an annotation, write it as a block of text (key: |).',
    },
    { code: 'chart-value-converted', severity: 'warning', text: '010', message: 'YAML reads 010 as a number, so Helm sees the text "8". Quote it to keep it as written: "010".' },
    { code: 'chart-value-converted', severity: 'warning', text: 'yes', message: 'YAML reads yes as a boolean, so Helm sees the text "true". Quote it to keep it as written: "yes".' },
    { code: 'chart-value-converted', severity: 'warning', text: '1.10', message: 'YAML reads 1.10 as a number, so Helm sees the text "1.1". Quote it to keep it as written: "1.10".' },
  ]);
});

test('apiVersion: v1 and v2 are fine, v3 is a warning (experimental), anything else an error', () => {
  assert.deepEqual(problems('apiVersion: v1\nname: web\nversion: 0.1.0\n'), []);
  assert.deepEqual(problems('apiVersion: v3\nname: web\nversion: 0.1.0\n'), [
    {
      code: 'chart-api-version-v3',
      severity: 'warning',
      text: 'v3',
      message: "apiVersion v3 is Helm 4's experimental chart format (loaded only with HELM_EXPERIMENTAL_CHART_V3 set): helm lint refuses it, and this editor checks the chart as v2. Use v2 unless the chart needs v3.",
    },
  ]);
  assert.deepEqual(problems('apiVersion: V2\nname: web\nversion: 0.1.0\n').map((p) => [p.code, p.severity, p.text, p.message]), [['chart-api-version', 'error', 'V2', '"V2" is not a chart apiVersion: Helm refuses to load the chart. Write v2.']]);
});

test('name: a plain name, not a path, not . or ..', () => {
  assert.deepEqual(problems('apiVersion: v2\nname: charts/web\nversion: 0.1.0\n').map((p) => [p.code, p.text, p.message]), [
    ['chart-name', 'charts/web', '"charts/web" is not a plain name (it contains /): Helm refuses to load the chart. Write the name alone, e.g. web.'],
  ]);
  assert.deepEqual(problems('apiVersion: v2\nname: ..\nversion: 0.1.0\n').map((p) => [p.code, p.text]), [['chart-name', '..']]);
});

test('version: SemVer required (error), a number is an error, strict SemVer 2 is a warning', () => {
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: latest\n').map((p) => [p.code, p.severity, p.text, p.message]), [
    ['chart-version', 'error', 'latest', '"latest" is not a SemVer version: Helm refuses to load the chart. Write MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.0.0-rc.1.'],
  ]);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 1.10\n').map((p) => [p.code, p.severity, p.text, p.message]), [
    ['chart-version-type', 'error', '1.10', 'version must be text, but YAML reads 1.10 as a number (Helm would see "1.1"): helm lint fails. Quote it and give all three parts: version: "1.10.0".'],
  ]);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: v1.2\n').map((p) => [p.code, p.severity, p.text, p.message]), [
    ['chart-version-semver2', 'warning', 'v1.2', '"v1.2" is not strict SemVer 2 (it starts with v): helm lint warns. Write 1.2.0.'],
  ]);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: "1.2"\n').map((p) => p.message), ['"1.2" is not strict SemVer 2 (MINOR or PATCH is missing): helm lint warns. Write 1.2.0.']);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 1.2.3-rc.1+build.5\n'), []);
});

test('appVersion must be text: a number or an empty value is an error', () => {
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: 1.10\n').map((p) => [p.code, p.text, p.message]), [
    ['chart-version-type', '1.10', 'appVersion must be text, but YAML reads 1.10 as a number (Helm would see "1.1"): helm lint fails. Quote it: appVersion: "1.10".'],
  ]);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion:\n').map((p) => [p.code, p.text]), [['chart-version-type', 'appVersion']]);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: 1.29.1\n'), []);
});

test('kubeVersion: a constraint that does not parse is an error; one that refuses suffixed cluster versions is information', () => {
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\nkubeVersion: 1.22+\n').map((p) => [p.code, p.severity, p.text, p.message]), [
    [
      'chart-kube-version',
      'error',
      '1.22+',
      '"1.22+" is not a version constraint (improper constraint: 1.22+): helm install, upgrade and template refuse the chart on every cluster. Write e.g. ">=1.25.0-0", or ">=1.25.0-0 <1.35.0-0" for a range.',
    ],
  ]);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\nkubeVersion: ">=1.22.0"\n').map((p) => [p.code, p.severity, p.text, p.message]), [
    [
      'chart-kube-version-prerelease',
      'information',
      '">=1.22.0"',
      '">=1.22.0" does not match clusters whose version has a suffix, such as v1.28.3-gke.1286000 (SemVer reads the suffix as a prerelease): Helm refuses the chart there. Write ">=1.22.0-0" to accept them.',
    ],
  ]);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\nkubeVersion: ">= 1.22.0-0 < 1.40.0-0"\n'), []);
});

test('type: application or library, and only with apiVersion v2; dependencies only with v2', () => {
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\ntype: app\n').map((p) => [p.code, p.text, p.message]), [
    ['chart-type', 'app', '"app" is not a chart type: Helm refuses to load the chart. Write application or library (did you mean application?).'],
  ]);
  const v1 = problems('apiVersion: v1\nname: web\nversion: 0.1.0\ntype: library\ndependencies:\n  - name: redis\n    version: 1.0.0\n');
  assert.deepEqual(v1.map((p) => [p.code, p.text]), [
    ['chart-type', 'type'],
    ['chart-v1-dependencies', 'dependencies'],
  ]);
  assert.equal(v1[1].message, 'dependencies in Chart.yaml need apiVersion v2: helm lint fails on them in an apiVersion v1 chart, which lists its dependencies in requirements.yaml. Change apiVersion to v2.');
});

test('maintainers need a name; email and url are checked as helm lint does; an empty entry is refused', () => {
  const ps = problems('apiVersion: v2\nname: web\nversion: 0.1.0\nmaintainers:\n  - email: me@example.com\n  - name: me\n    email: me@localhost\n    url: my page\n  -\n  - name: ok\n    email: first.last+tag@sub.example.co.uk\n    url: github.com/me\n');
  assert.deepEqual(
    ps.map((p) => [p.code, p.text, p.message]),
    [
      ['chart-maintainer', 'email: me@example.com', 'This maintainer has no name: helm lint fails ("each maintainer requires a name"). Add name: with a person or organisation.'],
      ['chart-maintainer', 'me@localhost', '"me@localhost" is not an email address: helm lint fails ("invalid email"). Write it as name@example.com, or remove email:.'],
      ['chart-maintainer', 'my page', '"my page" is not a URL: helm lint fails ("invalid url"). Write it in full, e.g. https://github.com/me.'],
      ['chart-maintainer', '-', 'This maintainer entry is empty: Helm refuses to load the chart ("maintainers must not contain empty or null nodes"). Fill in name: (and email: or url:), or remove the entry.'],
    ],
  );
});

test('sources and icon must be absolute URLs (errors); an icon path inside the chart is refused', () => {
  const ps = problems('apiVersion: v2\nname: web\nversion: 0.1.0\nsources:\n  - github.com/me/web\n  - https://github.com/me/web\n  - ""\nicon: icon.png\n');
  assert.deepEqual(ps, [
    { code: 'chart-source-url', severity: 'error', text: 'github.com/me/web', message: '"github.com/me/web" is not an absolute URL: helm lint fails ("invalid source URL"). Write it with its scheme: https://github.com/me/web.' },
    { code: 'chart-source-url', severity: 'error', text: '""', message: 'This source is empty: helm lint fails ("invalid source URL"). Write a URL or remove the entry.' },
    {
      code: 'chart-icon-url',
      severity: 'error',
      text: 'icon.png',
      message: '"icon.png" is not an absolute URL: helm lint fails ("invalid icon URL"), and a path inside the chart is not accepted. Write the URL of the image, e.g. https://example.com/icon.png.',
    },
  ]);
});

test('URL and email checks follow Go\'s url.ParseRequestURI and govalidator', () => {
  for (const ok of ['https://example.com/a.png', 'http://localhost:8080/x', 'mailto:me@example.com', 'https://user:pw@host/p%20q', 'https://example.com/a b', 'oci://registry-1.docker.io/bitnamicharts']) assert.ok(isRequestURL(ok), ok);
  for (const bad of ['icon.png', '/icons/a.png', 'https://exa mple.com/', 'https://example.com:80a/', 'https://example.com/%zz', 'https://example.com#top', '']) assert.ok(!isRequestURL(bad), bad);
  for (const ok of ['a@b.co', 'first.last+tag@sub.example.co.uk', 'x_y@domain-name.io']) assert.ok(isEmail(ok), ok);
  for (const bad of ['me@localhost', 'me.@example.com', 'me@example.c0', 'me', '@example.com', 'a..b@example.com']) assert.ok(!isEmail(bad), bad);
});

test('top-level condition and tags are Helm 2 leftovers (information); missing templates/ is a warning, missing values.yaml information', () => {
  const ps = problems('apiVersion: v2\nname: web\nversion: 0.1.0\ncondition: web.enabled\n', { hasTemplates: false, hasValues: false });
  assert.deepEqual(ps.map((p) => [p.code, p.severity, p.text]), [
    ['chart-no-templates', 'warning', 'name'],
    ['chart-no-values', 'information', 'name'],
    ['chart-legacy-field', 'information', 'condition'],
  ]);
  assert.equal(ps[0].message, 'This chart has no templates/ folder: helm lint warns ("templates/: directory does not exist"). Add templates/ with the chart\'s manifests (or helpers, for a library chart).');
});

test('YAML that does not parse is one error per broken line and nothing else; a duplicate key is a warning', () => {
  const ps = check('apiVersion: v2\nname: "web\nversion: 0.1.0\n');
  assert.ok(ps.length >= 1 && ps.every((p) => p.code === 'chart-yaml-syntax' && p.severity === 'error'), JSON.stringify(ps));
  assert.match(ps[0].message, /^YAML syntax: .* Helm cannot read this Chart\.yaml\.$/);
  assert.deepEqual(problems('apiVersion: v2\nname: web\nname: api\nversion: 0.1.0\n'), [
    { code: 'chart-duplicate-key', severity: 'warning', text: 'name: api', message: '"name" appears twice in the same map: Helm silently uses the last one, and helm lint warns. Remove one of them.' },
  ]);
});

test('a second YAML document is ignored by Helm (warning on its --- line); a list instead of a map is an error', () => {
  assert.deepEqual(problems('apiVersion: v2\nname: web\nversion: 0.1.0\n---\ndescription: later\n').map((p) => [p.code, p.severity, p.text]), [['chart-extra-document', 'warning', '---']]);
  assert.deepEqual(check('- name: web\n').map((p) => [p.code, p.text]), [['chart-not-a-map', '- name: web']]);
});

const DEPS = (entries: string) => `apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n${dedent(entries).replace(/^/gm, '  ')}\n`;
const REDIS: ChartSubchart = { name: 'redis', version: '18.2.0', path: 'charts/redis-18.2.0.tgz' };

test('dependency entries: name and version needed, ranges parsed, alias format, duplicates, repository, enabled, import-values', () => {
  const ps = problems(
    DEPS(`
      - name: redis
        version: ^18.0.0
        repository: bitnami
        alias: redis.cache
        enabled: false
      - name: redis
        alias: redis-cache
        version: ">= 18"
      - version: 1.0.0
      - name: pg
        version: latest
      - name: mysql
      - name: redis
        version: 18.x
        alias: redis-cache
        import-values:
          - data
          - child: a
            parnet: b
          - 3
    `),
    { subcharts: [REDIS, { name: 'pg', version: '1.0.0', path: 'charts/pg' }, { name: 'mysql', version: '1.0.0', path: 'charts/mysql' }] },
  );
  assert.deepEqual(
    ps.map((p) => [p.code, p.severity, p.text]),
    [
      ['chart-dependency-repository', 'warning', 'bitnami'],
      ['chart-dependency', 'error', 'redis.cache'],
      ['chart-dependency-enabled', 'information', 'enabled'],
      ['chart-dependency-name', 'warning', 'version: 1.0.0'],
      ['chart-dependency-version', 'warning', 'latest'],
      ['chart-dependency-version', 'warning', 'mysql'],
      ['chart-dependency-duplicate', 'error', 'redis-cache'],
      ['chart-import-values', 'warning', 'child: a'],
      ['chart-import-values', 'warning', 'parnet'],
      ['chart-import-values', 'warning', '3'],
    ],
  );
  const msg = (code: string, text: string) => ps.find((p) => p.code === code && p.text === text)!.message;
  assert.equal(msg('chart-dependency', 'redis.cache'), 'The alias "redis.cache" has characters Helm does not allow (only letters, digits, _ and -): Helm refuses to load the chart. Write e.g. redis-cache.');
  assert.equal(msg('chart-dependency-repository', 'bitnami'), '"bitnami" is neither a URL nor the name of a repository: helm dependency update cannot fetch from it. Write the repository\'s URL (https://..., oci://..., file://...) or, for a repository added with helm repo add, "@bitnami".');
  assert.equal(msg('chart-dependency-enabled', 'enabled'), 'enabled has no effect here: Helm sets it itself from condition and tags while it renders. To switch redis off by default, write condition: redis.cache.enabled and set redis.cache.enabled: false in values.yaml.');
  assert.equal(msg('chart-dependency-name', 'version: 1.0.0'), 'This dependency has no name: Helm matches it to no chart, and helm dependency update cannot fetch it. Add name: with the chart\'s name.');
  assert.equal(msg('chart-dependency-version', 'latest'), '"latest" is not a version or range (improper constraint: latest): helm dependency update stops on it, and Helm applies this entry to no chart. Write e.g. 1.2.3, ~1.2.0, ^1.2.0 or ">=1.2.0 <2.0.0".');
  assert.equal(msg('chart-dependency-version', 'mysql'), '"mysql" has no version: helm dependency update cannot resolve it, and Helm applies this entry (alias, condition, tags) to no chart. Add a range, e.g. version: "^1.0.0".');
  assert.equal(msg('chart-dependency-duplicate', 'redis-cache'), 'Two dependencies are called "redis-cache" (by name or alias): Helm refuses to load the chart ("more than one dependency with name or alias"). Give one of them another alias.');
  assert.equal(msg('chart-import-values', 'parnet'), '"parnet" is not a key of an import-values entry: Helm ignores it. The keys are child (the path in the subchart) and parent (the path here); did you mean parent?');
});

test('dependencies against charts/: missing is information, outside the range a warning, an undeclared chart an error', () => {
  const text = DEPS(`
    - name: redis
      version: ~17.0.0
      repository: oci://registry-1.docker.io/bitnamicharts
    - name: common
      version: 2.x.x
      repository: oci://registry-1.docker.io/bitnamicharts
  `);
  const ps = problems(text, { subcharts: [REDIS, { name: 'extra', version: '0.3.0', path: 'charts/extra' }] });
  assert.deepEqual(ps, [
    {
      code: 'chart-dependency-undeclared',
      severity: 'error',
      text: 'dependencies',
      message: 'charts/extra holds the chart extra, which is not listed in dependencies: helm lint fails ("chart metadata is missing these dependencies: extra"). Add it to dependencies (name: extra, version: "0.3.0") or remove it from charts/.',
    },
    {
      code: 'chart-dependency-range-mismatch',
      severity: 'warning',
      text: '~17.0.0',
      message: 'charts/redis-18.2.0.tgz holds redis 18.2.0, outside "~17.0.0": Helm does not apply this entry (alias, condition, tags, import-values) to it and renders it as it is. Run helm dependency update to fetch a version in range, or change the range in Chart.yaml.',
    },
    {
      code: 'chart-dependency-missing',
      severity: 'information',
      text: 'common',
      message: 'common is not in charts/ yet: run helm dependency build to download it. Until then Helm cannot render or install this chart, and templates that use common are not checked.',
    },
  ]);
  // A prerelease in charts/ matches only a range with a prerelease part, as in Helm.
  assert.deepEqual(problems(DEPS('- name: redis\n  version: ^18.0.0-0\n'), { subcharts: [{ ...REDIS, version: '18.3.0-rc.1' }] }), []);
});

// The dependencies of bitnami/nginx 22.1.1 and the digest `helm dependency update` wrote for them.
const NGINX_DEPS = `
  - name: common
    repository: oci://registry-1.docker.io/bitnamicharts
    tags:
    - bitnami-common
    version: 2.x.x
`;
const NGINX_LOCK = `dependencies:
- name: common
  repository: oci://registry-1.docker.io/bitnamicharts
  version: 2.31.4
digest: sha256:fc442e77200e1914dd46fe26490dcf62f44caa51db673c2f8e67d5319cd4c163
generated: "2025-08-13T19:31:58.340987883Z"
`;
const COMMON: ChartSubchart = { name: 'common', version: '2.31.4', path: 'charts/common-2.31.4.tgz' };

test('Chart.lock: a digest written by Helm matches; a changed range or tag puts the lock out of sync (warning, on what changed)', () => {
  assert.deepEqual(problems(DEPS(NGINX_DEPS), { lockText: NGINX_LOCK, subcharts: [COMMON] }), []);
  const range = problems(DEPS(NGINX_DEPS.replace('2.x.x', '3.x.x')), { lockText: NGINX_LOCK, subcharts: [COMMON] }).filter((p) => p.code === 'chart-lock-out-of-sync');
  assert.deepEqual(range, [
    {
      code: 'chart-lock-out-of-sync',
      severity: 'warning',
      text: '3.x.x',
      message:
        'Chart.lock pins common 2.31.4, outside "3.x.x": helm dependency build stops with "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml)". Run helm dependency update to resolve the dependencies again and rewrite Chart.lock.',
    },
  ]);
  const tag = problems(DEPS(NGINX_DEPS.replace('bitnami-common', 'other')), { lockText: NGINX_LOCK, subcharts: [COMMON] });
  assert.deepEqual(tag.map((p) => [p.code, p.text]), [['chart-lock-out-of-sync', 'dependencies']]);
  assert.match(tag[0].message, /^A dependency changed since Chart\.lock was written \(its condition, tags, alias, import-values or version range\): helm dependency build stops/);
  const added = problems(DEPS(NGINX_DEPS + '  - name: redis\n    version: 18.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n'), { lockText: NGINX_LOCK, subcharts: [COMMON, REDIS] });
  assert.deepEqual(added.map((p) => [p.code, p.text, p.message.split(':')[0]]), [['chart-lock-out-of-sync', 'redis', 'Chart.lock does not pin redis']]);
  // In step, but charts/ holds another version than the lock pins.
  assert.deepEqual(problems(DEPS(NGINX_DEPS), { lockText: NGINX_LOCK, subcharts: [{ ...COMMON, version: '2.31.10', path: 'charts/common' }] }), [
    { code: 'chart-lock-stale-charts', severity: 'information', text: '2.x.x', message: 'charts/common holds common 2.31.10, but Chart.lock pins 2.31.4: helm dependency build would replace it with 2.31.4.' },
  ]);
  // A lock that does not parse.
  assert.deepEqual(problems(DEPS(NGINX_DEPS), { lockText: 'dependencies: {', subcharts: [COMMON] }).map((p) => [p.code, p.text]), [['chart-lock-out-of-sync', 'dependencies']]);
});

test('apiVersion v1: requirements.yaml is checked with requirements.lock (Helm 2 digests too), and declares charts/ for Chart.yaml', () => {
  // helm/helm pkg/cmd/testdata/testcharts/issue-7233: a requirements.lock written by Helm 2.
  const chart = 'apiVersion: v1\nappVersion: "1.0"\ndescription: A Helm chart for Kubernetes\nname: issue-7233\nversion: 0.1.0\n';
  const req = 'dependencies:\n- name: alpine\n  version: 0.1.0\n  repository: file://../alpine\n';
  const lock = 'dependencies:\n- name: alpine\n  repository: file://../alpine\n  version: 0.1.0\ndigest: sha256:7b380b1a826e7be1eecb089f66209d6d3df54be4bf879d4a8e6f8a9e871710e5\ngenerated: "2020-01-31T11:30:21.911547651Z"\n';
  const alpine: ChartSubchart = { name: 'alpine', version: '0.1.0', path: 'charts/alpine-0.1.0.tgz' };
  const ctx = { ...CTX, subcharts: [alpine], lockText: lock, requirementsText: req, chartYamlText: chart };
  const reqCheck = (text: string) => checkRequirementsYaml(parseManifestFile('file:///c/requirements.yaml', text), { ...ctx }).map((p) => [p.code, text.slice(p.start, p.end)]);
  assert.deepEqual(reqCheck(req), []);
  assert.deepEqual(reqCheck(req.replace('version: 0.1.0', 'version: 0.2.0')), [
    ['chart-dependency-range-mismatch', '0.2.0'],
    ['chart-lock-out-of-sync', '0.2.0'],
  ]);
  assert.deepEqual(problems(chart, ctx), []);
  assert.deepEqual(problems(chart, { ...ctx, requirementsText: undefined }).map((p) => [p.code, p.text]), [['chart-dependency-undeclared', 'name']]);
  // With apiVersion v2, Helm still reads requirements.yaml (and warns).
  const v2 = problems(chart.replace('apiVersion: v1', 'apiVersion: v2'), { ...ctx, lockText: undefined });
  assert.deepEqual(v2.map((p) => [p.code, p.severity, p.text]), [['chart-requirements-v2', 'warning', 'v2']]);
});

test('CHART_YAML_RULES lists every code with a title and a reason', () => {
  const ids = CHART_YAML_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of CHART_YAML_RULES) {
    assert.match(r.id, /^chart-[a-z0-9-]+$/);
    assert.ok(r.title && r.why, r.id);
  }
  const src = fs.readFileSync(path.join(ROOT, 'server/src/features/helm/chartYaml.ts'), 'utf8');
  for (const code of new Set([...src.matchAll(/c\.add\('(chart-[a-z0-9-]+)'/g)].map((m) => m[1]))) assert.ok(ids.includes(code), `${code} is not in CHART_YAML_RULES`);
});

// ---------------------------------------------------------------------------------------------
// Completion and hover

function complete(textWithCursor: string, subcharts: ChartSubchart[] = []) {
  const { text, offset } = withCursor(textWithCursor);
  return completeChartYaml(parseManifestFile('file:///c/Chart.yaml', text), offset, { subcharts });
}

function hover(textWithCursor: string, opts: { subcharts?: ChartSubchart[]; kubernetesVersion?: string } = {}) {
  const { text, offset } = withCursor(textWithCursor);
  return hoverChartYaml(parseManifestFile('file:///c/Chart.yaml', text), offset, opts);
}

test('completion of keys: the fields not yet written, required ones first, lists inserted as lists', () => {
  const items = complete('apiVersion: v2\nname: web\n$0\n');
  const labels = items.map((i) => i.label);
  assert.ok(!labels.includes('apiVersion') && !labels.includes('name') && !labels.includes('condition'));
  assert.deepEqual([...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!))[0].label, 'version');
  assert.equal(items.find((i) => i.label === 'dependencies')!.insertText, 'dependencies:\n  - name: $0');
  assert.equal(items.find((i) => i.label === 'keywords')!.insertText, 'keywords:\n  - $0');
  assert.match(items.find((i) => i.label === 'appVersion')!.documentation!, /Not the chart's own version: that is `version`/);
  // In a dependency entry (without `enabled`, which Helm overwrites), and in maintainers.
  assert.deepEqual(complete('apiVersion: v2\ndependencies:\n  - name: redis\n    $0\n').map((i) => i.label), ['version', 'repository', 'condition', 'tags', 'import-values', 'alias']);
  assert.deepEqual(complete('maintainers:\n  - $0\n').map((i) => i.label), ['name', 'email', 'url']);
  assert.ok(complete('annotations:\n  $0\n').some((i) => i.label === 'artifacthub.io/license'));
});

test('completion of values: apiVersion, type, and dependency names and versions from charts/', () => {
  assert.deepEqual(complete('apiVersion: $0\n').map((i) => i.label), ['v2', 'v1']);
  assert.deepEqual(complete('apiVersion: v2\ntype: $0\n').map((i) => i.label), ['application', 'library']);
  const subs = [REDIS, COMMON];
  assert.deepEqual(complete('apiVersion: v2\ndependencies:\n  - name: common\n    version: 2.x.x\n  - name: $0\n', subs).map((i) => i.label), ['redis']);
  assert.deepEqual(complete('apiVersion: v2\ndependencies:\n  - name: redis\n    version: $0\n', subs).map((i) => i.label), ['18.2.0', '^18.2.0']);
});

test('hover explains keys, and on values: kubeVersion in words, a dependency range against charts/', () => {
  const app = hover('apiVersion: v2\nappVer$0sion: "1.0"\n');
  assert.ok(app);
  assert.match(app.contents, /^\*\*appVersion\*\*: string\n\n/);
  assert.match(app.contents, /Not the chart's own version: that is `version`/);
  const kv = hover('apiVersion: v2\nkubeVersion: ">=1.2$02.0"\n', { kubernetesVersion: '1.34' })!;
  assert.match(kv.contents, /`>=1\.22\.0`: 1\.22\.0 or later\./);
  assert.match(kv.contents, /Cluster versions with a suffix \(v1\.28\.3-gke\.1286000, v1\.29\.0-eks-5e0fdde\) are refused/);
  assert.match(kv.contents, /Kubernetes 1\.34 \(kubeManifests\.kubernetesVersion\) satisfies it\./);
  const dv = hover('apiVersion: v2\ndependencies:\n  - name: redis\n    version: ~17$0.0.0\n', { subcharts: [REDIS] })!;
  assert.match(dv.contents, /\*\*version\*\*: string \(required\) — dependency/);
  assert.match(dv.contents, /`~17\.0\.0`: >=17\.0\.0, <17\.1\.0 \(patch releases\)\./);
  assert.match(dv.contents, /charts\/redis-18\.2\.0\.tgz: redis 18\.2\.0, \*\*outside\*\* the range\./);
  const ty = hover('apiVersion: v2\ntype: lib$0rary\n')!;
  assert.match(ty.contents, /`library`: A chart of shared helpers/);
  assert.equal(hover('apiVersion: v2\nfo$0o: 1\n'), undefined);
});

test('hover on annotation keys (Artifact Hub ones explained); a file turned off gets no problems', () => {
  assert.match(hover('annotations:\n  artifacthub.io/lic$0ense: MIT\n')!.contents, /^\*\*artifacthub\.io\/license\*\* \(annotation\)\n\nArtifact Hub: the SPDX identifier of the license/);
  assert.match(hover('annotations:\n  mine$0: x\n')!.contents, /Helm does not interpret it/);
  assert.deepEqual(check('# kube-manifests: off\nname: charts/web\n'), []);
});

test('constraints in words', () => {
  assert.equal(describeConstraint('^1.2.3'), '>=1.2.3, <2.0.0 (minor and patch releases)');
  assert.equal(describeConstraint('>=1.19.0-0 <1.30.0'), '1.19.0-0 or later and below 1.30.0');
  assert.equal(describeConstraint('1.2.x || 2.0.0'), '(1.2.x (>=1.2.0, <1.3.0)) or (exactly 2.0.0)');
  assert.equal(describeConstraint('1.0 - 1.4'), '1.0 or later and 1.4 or earlier (any 1.4.x)');
  assert.equal(describeConstraint('nope'), undefined);
});

// ---------------------------------------------------------------------------------------------
// The shared charts

/** The context the LSP layer would build from a chart folder. */
function contextOf(dir: string): ChartYamlContext {
  const subcharts: ChartSubchart[] = [];
  const charts = path.join(dir, 'charts');
  if (fs.existsSync(charts)) {
    for (const n of fs.readdirSync(charts).sort()) {
      if (n.startsWith('_') || n.startsWith('.')) continue;
      const p = path.join(charts, n);
      if (fs.statSync(p).isDirectory()) {
        const md = parseYaml(fs.readFileSync(path.join(p, 'Chart.yaml'), 'utf8')) as { name: string; version: string };
        subcharts.push({ name: md.name, version: String(md.version), path: `charts/${n}` });
      } else if (n.endsWith('.tgz')) {
        const c = loadChartArchive(new Uint8Array(fs.readFileSync(p)));
        subcharts.push({ name: c.name, version: c.version, path: `charts/${n}` });
      }
    }
  }
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined);
  return {
    subcharts,
    lockText: read('Chart.lock'),
    requirementsText: read('requirements.yaml'),
    hasTemplates: fs.existsSync(path.join(dir, 'templates')),
    hasValues: fs.existsSync(path.join(dir, 'values.yaml')),
  };
}

function chartDirs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...chartDirs(p));
    else if (e.name === 'Chart.yaml') out.push(dir);
  }
  return out;
}

test('every Chart.yaml of the shared charts: no errors and no warnings (but cert-manager\'s placeholder version v0.0.0, as helm lint says)', { skip: sharedSkip }, () => {
  const dirs = chartDirs(SHARED);
  assert.ok(dirs.length >= 10);
  for (const dir of dirs) {
    const text = fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8');
    const ps = check(text, contextOf(dir)).filter((p) => p.severity === 'error' || p.severity === 'warning');
    const rel = path.relative(SHARED, dir);
    if (rel === path.join('cert-manager', 'cert-manager')) {
      assert.deepEqual(ps, [{ code: 'chart-version-semver2', severity: 'warning', text: 'v0.0.0', message: '"v0.0.0" is not strict SemVer 2 (it starts with v): helm lint warns. Write 0.0.0.' }], rel);
    } else assert.deepEqual(ps, [], rel);
  }
  // The charts that depend on others without vendoring them say so, as information on the dependency.
  const nginx = path.join(SHARED, 'bitnami', 'nginx');
  assert.deepEqual(
    check(fs.readFileSync(path.join(nginx, 'Chart.yaml'), 'utf8'), contextOf(nginx)).map((p) => [p.code, p.text]),
    [['chart-dependency-missing', 'common']],
  );
});
