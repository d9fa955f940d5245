/**
 * One problem per mistake in Helm templates too (issue #12): the chart checker runs the plain-manifest
 * validator on the rendered YAML, so a misspelled or misplaced key in a template is the unknown-field
 * problem on the template's text, without the follow-ups of the field being absent.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChartChecker } from '../../../server/src/features/helm/chartCheck';
import type { ChartFile } from '../../../server/src/helm/chart';
import { DEFAULT_SETTINGS } from '../../../server/src/types';
import { service } from '../../helpers';

const enc = new TextEncoder();

/** The problems of each template as `code "text"`. */
function problemsOf(templates: Record<string, string>): Record<string, string[]> {
  const map: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': 'name: web\nport: 80\nimage: nginx:1.27\n',
    ...templates,
  };
  const files: ChartFile[] = Object.entries(map).map(([path, t]) => ({ path, data: enc.encode(t) }));
  const r = new ChartChecker(service()).check({ files, settings: DEFAULT_SETTINGS });
  const out: Record<string, string[]> = {};
  for (const [file, ps] of r.problems) {
    // Chart.yaml and values files have their own hints (no icon, unused values): not what this is about.
    if (ps.length && file.startsWith('templates/')) out[file] = ps.map((p) => `${p.code} ${JSON.stringify((map[file] ?? '').slice(p.start, p.end))}`);
  }
  return out;
}

test('a misspelled key in a template is one problem on its text', () => {
  const problems = problemsOf({
    'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.name }}
spec:
  selector:
    app: {{ .Values.name }}
  prots:
    - port: {{ .Values.port }}
`,
  });
  assert.deepEqual(problems, { 'templates/service.yaml': ['unknown-field "prots"'] });
});

test('a misplaced block in a template is one problem that says where it belongs', () => {
  const template = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ .Values.name }}
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      containers:
        - name: job
          image: {{ .Values.image }}
`;
  const checker = new ChartChecker(service());
  const files: ChartFile[] = Object.entries({
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': 'name: web\nimage: busybox:1.36\n',
    'templates/cronjob.yaml': template,
  }).map(([path, t]) => ({ path, data: enc.encode(t) }));
  const ps = checker.check({ files, settings: DEFAULT_SETTINGS }).problems.get('templates/cronjob.yaml') ?? [];
  assert.deepEqual(ps.map((p) => `${p.code} ${template.slice(p.start, p.end)}`), ['unknown-field containers']);
  assert.match(ps[0].message, /belongs under spec\.jobTemplate\.spec\.template\.spec/);
});

test('without the typo the same template has the problems the typo hid (the test can fail)', () => {
  // The control: no ports at all is a real problem, reported once the field is not there by mistake.
  const problems = problemsOf({
    'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.name }}
spec:
  selector:
    app: {{ .Values.name }}
`,
  });
  assert.deepEqual(Object.values(problems).flat().map((p) => p.split(' ')[0]), ['service-port']);
});
