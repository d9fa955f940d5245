import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, settings, workspace } from '../../helpers';

/** A CRD with one field per constraint the API server enforces. */
const CRD = dedent(`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata:
    name: widgets.example.com
  spec:
    group: example.com
    names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
    scope: Namespaced
    versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size, owner]
              x-kubernetes-validations:
              - rule: "!has(self.low) || !has(self.high) || self.low <= self.high"
                message: low must not be above high
                fieldPath: .low
              - rule: "self.mode != 'fast' || self.size <= 5"
                messageExpression: "'fast mode allows at most 5, not ' + string(self.size)"
              - rule: "self.owner.isSorted()"
              - rule: "has(self.low) == has(self.high)"
                message: low and high go together
              - rule: "self.size >= oldSelf.size"
                message: size may not shrink
              properties:
                size: {type: integer, minimum: 1, maximum: 10, multipleOf: 1}
                ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1}
                step: {type: integer, multipleOf: 5}
                level: {type: integer, enum: [1, 2, 3]}
                enabled: {type: boolean, enum: [true]}
                low: {type: integer}
                high: {type: integer}
                mode: {type: string, default: normal, enum: [normal, fast]}
                owner: {type: string, minLength: 3, maxLength: 8, pattern: '^[a-z]+$'}
                slug: {type: string, pattern: '(?i)^[a-z]+$'}
                posix: {type: string, pattern: '^[[:alpha:]]+$'}
                id: {type: string, format: uuid}
                address: {type: string, format: ipv4}
                network: {type: string, format: cidr}
                since: {type: string, format: date-time}
                day: {type: string, format: date}
                timeout: {type: string, format: duration}
                blob: {type: string, format: byte}
                host: {type: string, format: hostname}
                secret: {type: string, format: password, pattern: '^s'}
                fancy: {type: string, format: my-own-format}
                hosts: {type: array, minItems: 1, maxItems: 3, items: {type: string}}
                tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name, protocol]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      protocol: {type: string, default: TCP}
                      port: {type: integer, minimum: 1, maximum: 65535}
                labels: {type: object, maxProperties: 2, additionalProperties: {type: string, maxLength: 5}}
                nothing: {type: array, items: {type: string}}
                maybe: {type: array, items: {type: string, nullable: true}}
                template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
                count: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}], pattern: '^[0-9]+%$', minimum: 0}
    - name: v1beta1
      served: true
      storage: false
      deprecated: true
      deprecationWarning: example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    - name: v1alpha1
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`);

const widget = (spec: string, apiVersion = 'example.com/v1'): string =>
  `apiVersion: ${apiVersion}\nkind: Widget\nmetadata:\n  name: w\nspec:\n${dedent(spec).split('\n').filter((l) => l.trim()).map((l) => '  ' + l).join('\n')}\n`;

const VALID = `
  size: 3
  owner: abc
  ratio: 0.5
  step: 10
  level: 2
  enabled: true
  low: 1
  high: 2
  slug: ABC
  posix: "123"
  id: 123e4567-e89b-12d3-a456-426614174000
  address: 10.0.0.1
  network: 10.0.0.0/8
  since: "2024-01-02T03:04:05Z"
  day: "2024-02-29"
  timeout: 1h30m
  blob: aGVsbG8=
  host: web.example.com
  secret: s3cret
  fancy: anything at all
  hosts: [a]
  tags: [x, z]
  ports:
  - name: http
    port: 80
  - name: http
    protocol: UDP
    port: 80
  labels: {a: b}
  maybe: [x, null]
  template:
    apiVersion: v1
    kind: ConfigMap
  count: 50%
`;

function problems(spec: string, apiVersion?: string, overrides: Record<string, unknown> = {}) {
  const ws = workspace({ 'crd.yaml': CRD, 'w.yaml': widget(spec, apiVersion) });
  return ws.diagnose('w.yaml', overrides);
}

const shown = (ps: ReturnType<typeof problems>) => ps.map((p) => `${p.code} ${p.text}`).sort();

test('a custom resource that meets every constraint of its CRD has no problems (defaults applied, nulls of nullable items kept)', () => {
  const ps = problems(VALID);
  assert.deepEqual(ps.filter((p) => p.code !== 'crd-rule-not-checked'), []);
  // isSorted() is not in the evaluator: said once as information, never as an error
  const info = ps.filter((p) => p.code === 'crd-rule-not-checked');
  assert.equal(info.length, 1);
  assert.equal(info[0].severity, 'information');
  assert.equal(info[0].text, 'Widget');
  assert.match(info[0].message, /^1 validation rule of the CRD widgets\.example\.com is not checked here: `self\.owner\.isSorted\(\)` \(isSorted\(\) is not available\)/);
  assert.doesNotMatch(info[0].message, /oldSelf/, 'transition rules are skipped silently');
});

test('numbers: minimum, maximum, exclusive bounds, multipleOf and enums of numbers and booleans, each on the value', () => {
  const ps = problems(VALID.replace('size: 3', 'size: 0').replace('ratio: 0.5', 'ratio: 0').replace('step: 10', 'step: 12').replace('level: 2', 'level: 4').replace('enabled: true', 'enabled: false'));
  const byCode = ps.filter((p) => p.code !== 'crd-rule-not-checked');
  assert.deepEqual(shown(byCode), ['crd-enum 4', 'crd-enum false', 'crd-out-of-range 0', 'crd-out-of-range 0', 'crd-out-of-range 12'].sort());
  const msg = (t: string, code = 'crd-out-of-range') => byCode.find((p) => p.text === t && p.code === code)!.message;
  assert.equal(byCode.find((p) => p.message.startsWith('spec.size'))!.message, 'spec.size is 0; the CRD widgets.example.com requires at least 1 (minimum: 1).');
  assert.equal(byCode.find((p) => p.message.startsWith('spec.ratio'))!.message, 'spec.ratio is 0; the CRD widgets.example.com requires more than 0 (exclusiveMinimum).');
  assert.equal(msg('12'), 'spec.step is 12; the CRD widgets.example.com requires a multiple of 5 (multipleOf: 5).');
  assert.equal(msg('4', 'crd-enum'), 'spec.level is 4; the CRD widgets.example.com allows only 1, 2, 3.');
  assert.deepEqual(shown(problems(VALID.replace('size: 3', 'size: 11')).filter((p) => p.code === 'crd-out-of-range')), ['crd-out-of-range 11']);
});

test('strings: lengths in characters, pattern, and the formats the API server knows; unknown formats and Go-only patterns are ignored', () => {
  const ps = problems(
    VALID.replace('owner: abc', 'owner: Ab')
      .replace('id: 123e4567-e89b-12d3-a456-426614174000', 'id: not-a-uuid')
      .replace('address: 10.0.0.1', 'address: 10.0.0.300')
      .replace('network: 10.0.0.0/8', 'network: 10.0.0.0')
      .replace('since: "2024-01-02T03:04:05Z"', 'since: 2024-01-02 03:04')
      .replace('day: "2024-02-29"', 'day: "2023-02-29"')
      .replace('timeout: 1h30m', 'timeout: soon')
      .replace('blob: aGVsbG8=', 'blob: "not base64!"')
      .replace('host: web.example.com', 'host: "-web"')
      .replace('secret: s3cret', 'secret: hunter2')
      .replace('posix: "123"', 'posix: "abc"'),
  ).filter((p) => p.code !== 'crd-rule-not-checked');
  assert.deepEqual(shown(ps), [
    'crd-format "-web"', 'crd-format "2023-02-29"', 'crd-format "not base64!"', 'crd-format 10.0.0.0', 'crd-format 10.0.0.300', 'crd-format 2024-01-02 03:04', 'crd-format not-a-uuid', 'crd-format soon',
    'crd-length Ab', 'crd-pattern Ab', 'crd-pattern hunter2',
  ].sort());
  const m = (t: string, code: string) => ps.find((p) => p.text === t && p.code === code)!.message;
  assert.equal(m('Ab', 'crd-length'), 'spec.owner is 2 characters long; the CRD widgets.example.com requires at least 3 characters (minLength: 3).');
  assert.equal(m('Ab', 'crd-pattern'), 'spec.owner "Ab" does not match the pattern `^[a-z]+$` that the CRD widgets.example.com requires.');
  assert.equal(m('10.0.0.300', 'crd-format'), 'spec.address "10.0.0.300" is not an IPv4 address (format: ipv4), as the CRD widgets.example.com requires.');
  assert.equal(m('hunter2', 'crd-pattern'), 'spec.secret the value does not match the pattern `^s` that the CRD widgets.example.com requires.', 'a password is never quoted');
  const long = problems(VALID.replace('owner: abc', 'owner: abcdefghij')).filter((p) => p.code === 'crd-length');
  assert.equal(long[0].message, 'spec.owner is 10 characters long; the CRD widgets.example.com allows at most 8 (maxLength: 8).');
  // characters, not UTF-16 units or bytes
  assert.deepEqual(problems(VALID.replace('labels: {a: b}', 'labels: {a: "ééééé"}')).filter((p) => p.code === 'crd-length'), []);
});

test('lists and maps: item and entry counts, duplicates in list-type set and map (keys with their defaults) on the second item', () => {
  const ps = problems(
    VALID.replace('hosts: [a]', 'hosts: []')
      .replace('tags: [x, z]', 'tags: [x, z, x, x]')
      .replace('    protocol: UDP\n', '    protocol: TCP\n')
      .replace('labels: {a: b}', 'labels: {a: b, c: d, e: f}'),
  ).filter((p) => p.code !== 'crd-rule-not-checked');
  assert.deepEqual(shown(ps), ['crd-duplicate-item http', 'crd-duplicate-item x', 'crd-length hosts', 'crd-length labels'].sort());
  const m = (code: string) => ps.find((p) => p.code === code && (code !== 'crd-duplicate-item' || p.text === 'x'))!;
  assert.equal(m('crd-length').message.startsWith('spec.hosts has 0 items; the CRD widgets.example.com requires at least 1 (minItems: 1).') || m('crd-length').message.startsWith('spec.labels'), true);
  assert.equal(ps.find((p) => p.text === 'labels')!.message, 'spec.labels has 3 entries; the CRD widgets.example.com allows at most 2 (maxProperties: 2).');
  const set = m('crd-duplicate-item');
  assert.equal(set.message, 'spec.tags[2] repeats spec.tags[0]; spec.tags is a set in the CRD widgets.example.com (x-kubernetes-list-type: set), so each value may appear once.');
  assert.equal(set.at, '27:16', 'on the second x, once (as the API server reports the first repeat)');
  const keyed = ps.find((p) => p.code === 'crd-duplicate-item' && p.text === 'http')!;
  assert.equal(keyed.message, 'spec.ports[1] has the same name: "http", protocol: "TCP" as spec.ports[0]; spec.ports is a list keyed by name and protocol in the CRD widgets.example.com (x-kubernetes-list-type: map), so each key may appear once.');
  assert.equal(keyed.at, '31:11', 'on the key value of the second item');
  // protocol defaults to TCP: a missing protocol is the same key as an explicit TCP
  const defaulted = problems(VALID.replace('    protocol: UDP\n', '')).filter((p) => p.code === 'crd-duplicate-item');
  assert.equal(defaulted.length, 1);
});

test('nulls: a required field that is not nullable, null items of a list; nullable items and defaulted fields are fine', () => {
  const ps = problems(VALID.replace('owner: abc', 'owner: null').replace('maybe: [x, null]', 'maybe: [x, null]\n  nothing: [a, null]').replace('size: 3', 'size: 3\n  mode: null')).filter((p) => p.code === 'crd-null');
  assert.deepEqual(shown(ps), ['crd-null null', 'crd-null owner'].sort());
  assert.match(ps.find((p) => p.text === 'owner')!.message, /^spec\.owner is null, which the CRD widgets\.example\.com does not allow here \(it is not nullable\): the API server drops it, and then rejects the object because owner is required/);
  assert.equal(ps.find((p) => p.text === 'null')!.message, 'spec.nothing[1] is null; the CRD widgets.example.com does not allow null items in spec.nothing (they are not nullable). Remove it or give it a value.');
});

test('an embedded resource needs apiVersion and kind', () => {
  const ps = problems(VALID.replace('    apiVersion: v1\n', '')).filter((p) => p.code === 'crd-embedded-resource');
  assert.equal(ps.length, 1);
  assert.equal(ps[0].text, 'template');
  assert.equal(ps[0].message, 'spec.template holds a Kubernetes object (x-kubernetes-embedded-resource in the CRD widgets.example.com); add `apiVersion`.');
});

test('int-or-string: a pattern applies to the string, a minimum to the number', () => {
  assert.deepEqual(shown(problems(VALID.replace('count: 50%', 'count: 5')).filter((p) => p.code.startsWith('crd-') && p.code !== 'crd-rule-not-checked')), []);
  assert.deepEqual(shown(problems(VALID.replace('count: 50%', 'count: -1')).filter((p) => p.code.startsWith('crd-') && p.code !== 'crd-rule-not-checked')), ['crd-out-of-range -1']);
  assert.deepEqual(shown(problems(VALID.replace('count: 50%', 'count: half')).filter((p) => p.code.startsWith('crd-') && p.code !== 'crd-rule-not-checked')), ['crd-pattern half']);
});

test('CEL rules: message at fieldPath, messageExpression with the defaulted self, "failed rule" without a message', () => {
  const ps = problems(VALID.replace('low: 1', 'low: 5').replace('size: 3', 'size: 7\n  mode: fast')).filter((p) => p.code === 'crd-validation-rule');
  assert.deepEqual(shown(ps), ['crd-validation-rule 5', 'crd-validation-rule spec'].sort());
  assert.equal(ps.find((p) => p.text === '5')!.message, 'spec.low: low must not be above high (a validation rule of the CRD widgets.example.com).');
  assert.equal(ps.find((p) => p.text === 'spec')!.message, 'spec: fast mode allows at most 5, not 7 (a validation rule of the CRD widgets.example.com).');
  assert.equal(ps[0].severity, 'error');
  const noMessage = CRD.replace(/\n *messageExpression: .*/, '');
  assert.notEqual(noMessage, CRD);
  const ws = workspace({ 'crd.yaml': noMessage, 'w.yaml': widget(VALID.replace('size: 3', 'size: 7\n  mode: fast')) });
  const failed = ws.diagnose('w.yaml').filter((p) => p.code === 'crd-validation-rule');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].message, "spec: failed rule: self.mode != 'fast' || self.size <= 5 (a validation rule of the CRD widgets.example.com).");
});

test('the CRD version chosen by apiVersion: not served and unknown versions are errors, deprecated ones warn with the CRD\'s warning', () => {
  const notServed = problems('size: 1', 'example.com/v1alpha1');
  assert.deepEqual(notServed.map((p) => [p.code, p.text, p.message]), [
    ['crd-version-not-served', 'example.com/v1alpha1', 'example.com/v1alpha1 Widget is not served: the CRD widgets.example.com has version v1alpha1 with `served: false`; use `apiVersion: example.com/v1`.'],
  ]);
  const unknown = problems('size: 1', 'example.com/v2');
  assert.deepEqual(unknown.map((p) => [p.code, p.message]), [['crd-version-not-served', 'The CRD widgets.example.com has no version v2; it serves v1, v1beta1. Use `apiVersion: example.com/v1`.']]);
  const deprecated = problems('size: 1', 'example.com/v1beta1');
  assert.deepEqual(deprecated.map((p) => [p.code, p.severity, p.text, p.message]), [
    ['crd-version-deprecated', 'warning', 'example.com/v1beta1', 'example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget (the CRD widgets.example.com marks version v1beta1 deprecated).'],
  ]);
  // a group no CRD in the workspace defines stays quiet
  const ws = workspace({ 'w.yaml': widget('size: 0', 'other.example.com/v1') });
  assert.deepEqual(ws.diagnose('w.yaml'), []);
});

test('rule settings apply to the new rules like to any other', () => {
  const ps = problems(VALID.replace('size: 3', 'size: 0'), undefined, { rules: { 'crd-out-of-range': 'warning', 'crd-rule-not-checked': 'off' } });
  assert.deepEqual(ps.map((p) => [p.code, p.severity]), [['crd-out-of-range', 'warning']]);
});

test('hover on a custom resource field shows its constraints', () => {
  const ws = workspace({ 'crd.yaml': CRD, 'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  own$0er: abc\n' });
  const h = ws.ls.hover(ws.file('w.yaml'), ws.cursor('w.yaml'), settings())?.contents ?? '';
  assert.match(h, /\*\*owner\*\*: string — \*required\*/);
  assert.match(h, /Constraints: 3 to 8 characters; matches `\^\[a-z\]\+\$`\./);
  ws.write('w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  si$0ze: 1\n');
  assert.match(ws.ls.hover(ws.file('w.yaml'), ws.cursor('w.yaml'), settings())?.contents ?? '', /Constraints: at least 1; at most 10; a multiple of 1\./);
});

test('a required field with a default is not missing (the API server defaults first)', () => {
  const crd = CRD.replace('required: [size, owner]', 'required: [size, owner, mode]');
  const ws = workspace({ 'crd.yaml': crd, 'w.yaml': widget(VALID) });
  assert.deepEqual(ws.diagnose('w.yaml').filter((p) => p.severity === 'error'), []);
});

test('CEL matches(): RE2 patterns that JavaScript reads differently are not checked rather than misjudged', () => {
  const crd = dedent(`
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: gadgets.example.com
    spec:
      group: example.com
      names: {kind: Gadget, plural: gadgets}
      scope: Namespaced
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  name:
                    type: string
                    x-kubernetes-validations:
                    - rule: "self.matches('^[a-z]+$')"
                      message: lower-case letters only
                    - rule: "self.matches('^\\\\\\\\p{L}+$')"
                    - rule: "self.matches(self)"
  `);
  const ws = workspace({ 'crd.yaml': crd, 'g.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  name: Ab1\n' });
  const ps = ws.diagnose('g.yaml');
  assert.deepEqual(ps.map((p) => [p.code, p.text]).sort(), [['crd-rule-not-checked', 'Gadget'], ['crd-validation-rule', 'Ab1']].sort());
  assert.equal(ps.find((p) => p.code === 'crd-validation-rule')!.message, 'spec.name: lower-case letters only (a validation rule of the CRD gadgets.example.com).');
  const info = ps.find((p) => p.code === 'crd-rule-not-checked')!.message;
  assert.match(info, /^2 validation rules of the CRD gadgets\.example\.com are not checked here: /);
  assert.match(info, /\(its regular expression \(RE2\) is read differently here\)/);
  assert.match(info, /\(matches\(\) with a computed pattern is not evaluated here\)/);
  ws.write('g.yaml', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  name: abc\n');
  assert.deepEqual(ws.diagnose('g.yaml').filter((p) => p.code === 'crd-validation-rule'), []);
});

test('one problem per mistake: a misspelled field is reported, not the validation rule that fails because it is absent', () => {
  const ps = problems(VALID.replace('high: 2', 'hihg: 2')).filter((p) => p.severity === 'error');
  assert.deepEqual(ps.map((p) => `${p.code} ${p.text}`), ['unknown-field hihg'], '"low and high go together" follows from the typo');
  assert.deepEqual(problems(VALID.replace('high: 2', '')).filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.text}`), ['crd-validation-rule spec'], 'without the typo the rule fails');
  // a rule that fails for another reason is still shown
  const typo = problems(VALID.replace('size: 3', 'size: 7\n  mode: fast\n  lwo: 1')).filter((p) => p.severity === 'error');
  assert.deepEqual(typo.map((p) => `${p.code} ${p.text}`).sort(), ['crd-validation-rule spec', 'unknown-field lwo']);
});

test('a version the CRD does not serve has a quick fix to the served one', () => {
  const ws = workspace({ 'crd.yaml': CRD, 'w.yaml': widget('size: 1', 'example.com/v1alpha1') });
  const file = ws.file('w.yaml');
  const problem = ws.ls.validate(file, settings()).find((p) => p.code === 'crd-version-not-served')!;
  const actions = ws.ls.codeActions(file, { start: problem.start, end: problem.end }, [problem], settings());
  const fix = actions.find((a) => a.edits.length)!;
  assert.ok(fix, actions.map((a) => a.title).join(', '));
  let text = file.text;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  assert.match(text, /^apiVersion: example\.com\/v1\n/);
  ws.write('w.yaml', text);
  assert.deepEqual(ws.diagnose('w.yaml').map((p) => p.code).sort(), ['crd-rule-not-checked', 'missing-required'], 'now checked against v1 (which requires owner)');
});

test('no false errors where CEL or Go read a value differently: typed formats, ASCII case, Go-only escapes', () => {
  const crd = (served: boolean) => dedent(`
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: timers.example.com
    spec:
      group: example.com
      names: {kind: Timer, plural: timers}
      scope: Namespaced
      versions:
      - name: v1
        served: ${served}
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                - rule: "self.renewBefore < self.duration"
                  message: renewBefore must be shorter than duration
                - rule: "self.name.lowerAscii() == self.name"
                  message: must be lower case
                properties:
                  duration: {type: string, format: duration}
                  renewBefore: {type: string, format: duration}
                  name: {type: string}
                  code: {type: string, pattern: '^\\x{41}$'}
                  word: {type: string, pattern: '^\\S+$'}
  `);
  // 360h is shorter than 2160h (as durations, not as strings); lowerAscii() leaves Ä alone in Kubernetes;
  // \x{41} is A in Go; Go's \S is any non-ASCII-space character, the no-break space included.
  const timer = 'apiVersion: example.com/v1\nkind: Timer\nmetadata:\n  name: t\nspec:\n  duration: 2160h\n  renewBefore: 360h\n  name: Ärger\n  code: A\n  word: "a\u00a0b"\n';
  const ws = workspace({ 'crd.yaml': crd(true), 't.yaml': timer });
  const ps = ws.diagnose('t.yaml');
  assert.deepEqual(ps.filter((p) => p.severity === 'error' || p.severity === 'warning').map((p) => `${p.code} ${p.message}`), []);
  const info = ps.find((p) => p.code === 'crd-rule-not-checked');
  assert.ok(info, 'the two rules are said as not checked');
  assert.match(info.message, /format duration/);
  assert.match(info.message, /lowerAscii/);
});
