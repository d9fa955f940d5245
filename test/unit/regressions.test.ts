/**
 * One test per crash, invalid result or slow path the fuzzer (`npm run fuzz`)
 * found: the smallest input that showed it, and the feature.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isAlias, parseDocument, visit } from 'yaml';
import { resolveAlias } from '../../server/src/model/manifest';
import { service, settings } from '../helpers';

const ls = () => service();

function assertInside(text: string, ranges: Array<{ start: number; end: number }>, what: string): void {
  for (const r of ranges) {
    assert.ok(r.start >= 0 && r.start <= r.end && r.end <= text.length, `${what}: range ${r.start}..${r.end} outside a text of ${text.length} chars`);
  }
}

test('validate: an unclosed quote at the very end of the file gives a range inside the file', () => {
  // The parser reports the missing quote one past the end of the text.
  for (const text of ["apiVersion: '", 'apiVersion: v1\nkind: "', "kind: Pod\nmetadata:\n  name: '"]) {
    const problems = ls().validate(ls().parse('file:///r.yaml', text), settings());
    assert.ok(problems.some((p) => p.code === 'syntax-error'), text);
    assertInside(text, problems, JSON.stringify(text));
  }
});

test('validate: syntax messages name the right line after lines are inserted above their document', () => {
  const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   bad: indent\ndata: {}\n';
  const before = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\n${broken}`;
  const after = `# a comment\n# another\n${before}`;
  const first = ls().parse('file:///moved.yaml', before);
  ls().validate(first, settings());
  const incremental = ls().validate(ls().parse('file:///moved.yaml', after, first), settings());
  const fresh = ls().validate(ls().parse('file:///moved.yaml', after), settings());
  assert.deepEqual(incremental, fresh);
  assert.ok(fresh.some((p) => p.code === 'syntax-error' && /line 12/i.test(p.message)), fresh.map((p) => p.message).join('\n'));
});

test('resolveAlias finds what Alias.resolve finds, redefined anchors and cycles included', () => {
  const doc = parseDocument('a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: &m\n  self: *m\nf: *nope\n', { version: '1.1' });
  visit(doc, {
    Alias(_k, node) {
      assert.ok(isAlias(node));
      assert.equal(resolveAlias(node, doc), node.resolve(doc) ?? undefined, node.source);
    },
  });
});

test('validate: a file with many aliases is checked in well under a second (Alias.resolve walked the whole document per alias)', () => {
  const labels = Array.from({ length: 300 }, (_, i) => `    l${i}: &a${i} v${i}`).join('\n');
  const uses = Array.from({ length: 300 }, (_, i) => `    u${i}: *a${i}`).join('\n');
  const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: &labels\n${labels}\n  annotations:\n${uses}\nspec:\n  selector:\n    matchLabels: *labels\n  template:\n    metadata:\n      labels: *labels\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        env: &env\n        - name: A\n          value: *a1\n      - name: side\n        image: nginx:1.27\n        env: *env\n`;
  const t0 = performance.now();
  const problems = ls().validate(ls().parse('file:///aliases.yaml', text), settings());
  const ms = performance.now() - t0;
  assertInside(text, problems, 'aliases');
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
});

test('parse: a document nested thousands of levels deep never throws, and is reported the same way every time', () => {
  // `x: x: x: ...` made the parser overflow the stack: it threw (parse) or gave up at a
  // depth that depended on the stack left (validate varied from run to run).
  for (const body of ['x: '.repeat(20000), `apiVersion: v1\nkind: ConfigMap\ndata:\n  k: ${'x: '.repeat(20000)}\n`, `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(20000)}\n`]) {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\n${body}`;
    const runs = [0, 1, 2].map(() => ls().validate(ls().parse('file:///deep.yaml', text), settings()));
    for (const r of runs) assertInside(text, r, 'deep');
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
    const deep = runs[0].filter((p) => /nests too deeply/.test(p.message));
    assert.equal(deep.length, 1, runs[0].map((p) => p.message).join('\n'));
    assert.equal(deep[0].start, text.indexOf('---\n') + 0, 'at the start of its document');
  }
});

test('validate: a one-line flow map of 30,000 keys is checked in well under the old 7 s, and duplicates are still reported', () => {
  // The parser compared every key with every earlier key of its map (quadratic); duplicates are now found with a set.
  const keys = Array.from({ length: 30000 }, (_, i) => `k${i}: "v${i}"`);
  keys.push('k17: "again"');
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata: {${keys.join(', ')}}\n`;
  const t0 = performance.now();
  const problems = ls().validate(ls().parse('file:///wide.yaml', text), settings());
  const ms = performance.now() - t0;
  assert.ok(ms < 2500, `took ${ms.toFixed(0)} ms`);
  const dup = problems.filter((p) => p.code === 'duplicate-key');
  assert.equal(dup.length, 1, problems.map((p) => p.code).join(','));
  assert.match(dup[0].message, /appears twice/);
});

test('validate: a duplicate key is reported on the second occurrence, also when the first has no value', () => {
  const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\ndata:\n  a: YQ==\n';
  const problems = ls().validate(ls().parse('file:///dup.yaml', text), settings()).filter((p) => p.code === 'duplicate-key');
  assert.equal(problems.length, 1);
  assert.equal(text.slice(0, problems[0].start).split('\n').length, 6, 'line 6, the second data:');
});

test('validate: a fix in one document clears the problems it caused in another, also when the fix is under a duplicate key', () => {
  // Rules read the last of duplicate keys (plain values); the cross-document fingerprint read the first,
  // so the Service's cached problem outlived the fix of the Deployment.
  const doc = (portName: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: ${portName}
          containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
`;
  const before = ls().parse('file:///pair.yaml', doc('web'));
  assert.ok(ls().validate(before, settings()).some((p) => p.code === 'service-target-port-name'), 'the broken state is reported');
  const incremental = ls().validate(ls().parse('file:///pair.yaml', doc('http'), before), settings());
  const fresh = ls().validate(ls().parse('file:///pair.yaml', doc('http')), settings());
  assert.deepEqual(incremental, fresh);
  assert.ok(!fresh.some((p) => p.code === 'service-target-port-name'));
});

test('complete: an enum that allows the empty string offers it quoted, never an item without a label', async () => {
  const fs = await import('fs');
  const path = await import('path');
  const { createLanguageService } = await import('../../server/src/languageService');
  const { nodeSchemaReader } = await import('../../server/src/node/schemaFiles');
  const { ROOT } = await import('../helpers');
  const own = createLanguageService({ readSchema: nodeSchemaReader(path.join(ROOT, 'schemas')) });
  own.workspace.setFile(own.parse('file:///crds.yaml', fs.readFileSync(path.join(ROOT, 'test/unit/workspace/fixtures/prometheus-operator-crds.yaml'), 'utf8')));
  const text = 'apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata:\n  name: a\nspec:\n  logLevel: ';
  const items = own.complete(own.parse('file:///a.yaml', text), text.length, settings());
  assert.ok(items.length >= 5, items.map((i) => i.label).join(','));
  assert.ok(items.every((i) => i.label.length > 0));
  assert.deepEqual(items.map((i) => i.label).slice(0, 2), ['""', 'debug']);
});

test('validate: a quoted targetPort too big for a port offers no replacement (it was Infinity)', () => {
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n    targetPort: "${'9'.repeat(400)}"\n`;
  const problems = ls().validate(ls().parse('file:///big-port.yaml', text), settings());
  for (const p of problems) assert.doesNotThrow(() => JSON.stringify(p));
  assert.ok(problems.every((p) => !p.data || Object.values(p.data).every((v) => typeof v !== 'number' || Number.isFinite(v))), JSON.stringify(problems.map((p) => p.data)));
});

test('validate: a 100,000-character name is checked in well under a second (suggesting a fix backtracked quadratically)', () => {
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a${'-'.repeat(100000)}b\n`;
  const t0 = performance.now();
  const problems = ls().validate(ls().parse('file:///long-name.yaml', text), settings());
  const ms = performance.now() - t0;
  assert.ok(problems.length > 0, 'the name is reported');
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
});

test('parse: nesting near where the parser runs out of stack is refused the same way at any call depth', () => {
  // 700 levels parse at the top of the stack but overflow when called from deep inside (a
  // handler, a callback): the same text got different diagnostics. Now refused up front.
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  k: ${'['.repeat(700)}\n`;
  const check = () => ls().validate(ls().parse('file:///deep2.yaml', text), settings());
  const deepCall = (n: number): ReturnType<typeof check> => (n === 0 ? check() : deepCall(n - 1));
  const top = check();
  let deep: ReturnType<typeof check> | undefined;
  for (const n of [2000, 4000, 6000]) {
    try {
      deep = deepCall(n);
    } catch {
      continue; // the test's own recursion ran out first
    }
    assert.deepEqual(deep, top, `at call depth ${n}`);
  }
  assert.ok(deep, 'ran at some depth');
  assert.ok(top.some((p) => /nests too deeply/.test(p.message)), top.map((p) => p.message).join('\n'));
});

test('complete: label values for a Service selector never include an item without a label (a workload label with no value)', () => {
  const text = 'kind: Deployment\nspec: template: metadata: labels: app:\n---\nkind: Service\nspec:\n selector:\n  app: ';
  const items = ls().complete(ls().parse('file:///sel.yaml', text), text.length, settings());
  assert.ok(items.every((i) => i.label.length > 0), JSON.stringify(items.filter((i) => !i.label)));
});
