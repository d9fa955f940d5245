import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyAction, applyEdits, codeActions, diagnose, diagnoseRule, errorsOf, service, settings } from '../../helpers';

const lines = (...ls: string[]) => ls.join('\n') + '\n';
const web = (name = 'web', extraLabels: string[] = []) =>
  lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, '  labels:', '    app: web', ...extraLabels.map((l) => `    ${l}`), 'spec:', '  replicas: 2', '  selector:', '    matchLabels:', '      app: web', ...extraLabels.map((l) => `      ${l}`), '  template:', '    metadata:', '      labels:', '        app: web', ...extraLabels.map((l) => `        ${l}`), '    spec:', '      containers:', '      - name: web', '        image: nginx:1.27', '        ports:', '        - name: http', '          containerPort: 8080');
const svc = (selector: string[]) => lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', ...selector.map((l) => `    ${l}`), '  ports:', '  - port: 80', '    targetPort: http');

test('Scaffold blue/green pair: X-blue, X-green with color labels, and a Service on blue; no errors', () => {
  const text = web().replace('kind: Deployment', 'kind: Deploy$0ment');
  const out = applyAction(text, /^Scaffold blue\/green pair/);
  const expected =
    web('web-blue', ['color: blue']).replace(/\n$/, '') + '\n---\n' + web('web-green', ['color: green']).replace(/\n$/, '') + '\n---\n' +
    lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: web', '    color: blue', '  ports:', '  - name: http', '    port: 8080', '    targetPort: http');
  assert.equal(out, expected);
  assert.deepEqual(errorsOf(out), []);
  assert.deepEqual(diagnoseRule(out, 'bluegreen-both-colors'), []);
});

test('Scaffold updates the Service that already selects X instead of adding a second one', () => {
  const text = web().replace('kind: Deployment', 'kind: Deploy$0ment') + '---\n' + svc(['app: web']);
  const out = applyAction(text, /^Scaffold blue\/green pair/);
  assert.equal(out, web('web-blue', ['color: blue']).replace(/\n$/, '') + '\n---\n' + web('web-green', ['color: green']) + '---\n' + svc(['app: web', 'color: blue']));
  assert.equal((out.match(/kind: Service/g) ?? []).length, 1);
  assert.deepEqual(errorsOf(out), []);
});

test('no scaffold on a Deployment that already has a color, nor deep inside the spec', () => {
  assert.ok(!codeActions(web('web-blue', ['color: blue']).replace('kind: Deployment', 'kind: Deploy$0ment')).actions.some((a) => /Scaffold/.test(a.title)));
  assert.ok(!codeActions(web().replace('image: nginx', 'image: ngi$0nx')).actions.some((a) => /Scaffold/.test(a.title)));
});

test('the scaffold command reports where the green image is, for the client to select it', () => {
  const ls = service();
  const text = web();
  const r = ls.scaffoldBlueGreen(ls.parse('file:///t.yaml', text), 5)!;
  const out = applyEdits(text, r.edits);
  assert.ok(r.greenImage);
  assert.equal(out.slice(r.greenImage.start, r.greenImage.end), 'nginx:1.27');
  assert.ok(out.slice(0, r.greenImage.start).includes('name: web-green'));
});

const pair = (selectorColor: string | undefined, withGreen = true) =>
  web('web-blue', ['color: blue']) + (withGreen ? '---\n' + web('web-green', ['color: green']).replace('nginx:1.27', 'nginx:1.28') : '') + '---\n' + svc(selectorColor ? ['app: web', `color: ${selectorColor}`] : ['app: web']);

test('code lens on the Service: which Deployment gets traffic now and a switch to the other color', () => {
  const ls = service();
  const text = pair('blue');
  const file = ls.parse('file:///t.yaml', text);
  const lenses = ls.codeLenses(file, settings());
  assert.equal(lenses.length, 1);
  assert.equal(text.slice(lenses[0].start, lenses[0].end), 'selector');
  assert.equal(lenses[0].title, 'Route traffic to green (web-green, image nginx:1.28) · now blue (web-blue, image nginx:1.27) gets the traffic');
  assert.equal(lenses[0].command?.command, 'kubeManifests.switchTraffic');
  const [uri, offset, to] = lenses[0].command!.arguments as [string, number, string];
  assert.equal(uri, 'file:///t.yaml');
  assert.equal(to, 'green');
  const out = applyEdits(text, ls.switchTraffic(file, offset, 'green')!);
  assert.equal(out, pair('green'));
  assert.deepEqual(errorsOf(out), []);
});

test('the lens says so when the other color is missing, and there is no switch to nothing', () => {
  const ls = service();
  const text = pair('blue', false);
  const file = ls.parse('file:///t.yaml', text);
  const lenses = ls.codeLenses(file, settings());
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].command, undefined);
  assert.match(lenses[0].title, /there is no green Deployment to switch to/);
  assert.equal(ls.switchTraffic(file, text.indexOf('kind: Service'), 'green'), undefined);
});

test('Switch blue/green traffic as a code action on the Service selector', () => {
  const text = pair('blue').replace('color: blue\n  ports', 'color: bl$0ue\n  ports');
  assert.equal(applyAction(text, 'Switch blue/green traffic to green'), pair('green'));
});

test('bluegreen-both-colors: a selector without color sends traffic to both; quick fix picks one', () => {
  const text = pair(undefined);
  const p = diagnoseRule(text, 'bluegreen-both-colors');
  assert.equal(p.length, 1);
  assert.equal(p[0].severity, 'warning');
  assert.equal(p[0].text, 'selector');
  assert.match(p[0].message, /sends traffic to both web-blue \(blue\) and web-green \(green\)/);
  const at = text.lastIndexOf('selector:');
  const out = applyAction(text.slice(0, at + 3) + '$0' + text.slice(at + 3), 'Send traffic to blue only (add color: blue to the selector)');
  assert.equal(out, pair('blue'));
  assert.deepEqual(diagnose(out).filter((x) => x.severity !== 'hint' && x.severity !== 'information'), []);
});

test('bluegreen-both-colors stays quiet with one color, or with a color in the selector', () => {
  assert.deepEqual(diagnoseRule(pair(undefined, false), 'bluegreen-both-colors'), []);
  assert.deepEqual(diagnoseRule(pair('green'), 'bluegreen-both-colors'), []);
});

test('scaffold adds metadata.labels when missing and keeps a leading comment and --- in place', () => {
  const text = lines('# the web tier', '---', 'apiVersion: apps/v1', 'kind: Deploy$0ment', 'metadata:', '  name: web', 'spec:', '  selector:', '    matchLabels: {app: web}', '  template:', '    metadata:', '      labels: {app: web}', '    spec:', '      containers:', '      - name: web', '        image: nginx:1.27');
  const out = applyAction(text, /^Scaffold blue\/green pair/);
  const half = (c: string) => lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: web-${c}`, '  labels:', `    color: ${c}`, 'spec:', '  selector:', `    matchLabels: {app: web, color: ${c}}`, '  template:', '    metadata:', `      labels: {app: web, color: ${c}}`, '    spec:', '      containers:', '      - name: web', '        image: nginx:1.27');
  assert.equal(out, lines('# the web tier', '---') + half('blue') + '---\n' + half('green') + '---\n' + lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: web', '    color: blue', '  ports:', '  - port: 80', '    targetPort: 80'));
  assert.deepEqual(errorsOf(out), []);
});
