import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, ROOT, service, settings } from '../../helpers';

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

/** Code actions and lenses at the start of every line: never throw (the test service throws on any caught error), edits never overlap. */
function sweep(uri: string, text: string): number {
  const ls = service();
  const s = settings();
  const file = ls.parse(uri, text);
  const problems = ls.validate(file, s);
  let n = 0;
  ls.codeLenses(file, s);
  for (const start of [0, ...file.lines.lineStarts.map((o) => o + 2)]) {
    const here = problems.filter((p) => p.start <= start + 10 && p.end >= start);
    for (const a of ls.codeActions(file, { start, end: start + 10 }, here, s)) {
      applyEdits(text, a.edits); // throws on overlapping edits
      n++;
    }
  }
  return n;
}

test('code actions never throw on the shared corpus and their edits apply', () => {
  const files = yamlFiles(path.join(ROOT, '..', 'shared', 'corpus')).concat(yamlFiles(path.join(ROOT, 'examples')));
  let n = 0;
  for (const f of files) n += sweep('file://' + f, fs.readFileSync(f, 'utf8'));
  assert.ok(files.length === 0 || n > 0);
});

test('code actions never throw on hostile or half-typed input', () => {
  const inputs = [
    'apiVersion: v1\nkind: Secret\ndata: [1, 2]\nstringData: x\n',
    'apiVersion: v1\nkind: Secret\ndata:\n  a: &x !!binary AAAA\n  b: *x\nstringData: {c: d}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}\n',
    'apiVersion: v1\nkind: Service\nspec:\n  selector:\n    color: blue\n',
    'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name\n',
    '\uFEFFapiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: s\r\ndata:\r\n  a: not base64!\r\n',
    'apiVersion: extensions/v1beta1\nkind: Ingress\nspec:\n  rules:\n  - http:\n      paths:\n      - backend: {serviceName: a, servicePort: 80}\n',
    '---\n---\napiVersion: batch/v1\nkind: Job\nspec:\n  template: 3\n',
  ];
  for (const [i, t] of inputs.entries()) sweep(`file:///hostile-${i}.yaml`, t);
});

test('CRLF files keep CRLF line breaks in inserted lines', () => {
  const text = 'apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: s\r\nstringData:\r\n  a: b\r\n';
  const ls = service();
  const file = ls.parse('file:///crlf.yaml', text);
  const a = ls.codeActions(file, { start: 18, end: 18 }, [], settings()).find((x) => x.title === 'Convert all stringData to data (base64)')!;
  assert.equal(applyEdits(text, a.edits), 'apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: s\r\ndata:\r\n  a: Yg==\r\n');
});
