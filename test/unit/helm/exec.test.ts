/**
 * The evaluator (server/src/helm/exec.ts) and the builtins against Go.
 *
 * fixtures/exec-cases.json holds templates and what Go 1.19's text/template printed for them
 * (output, or err.Error()), observed with template.New("t.yaml").Option("missingkey=zero") on data
 * whose Values were decoded from JSON (numbers are float64) plus the typed values and test
 * functions built identically below (Go program kept outside the repo; its functions are the
 * `goFuncs` here, its data `goData`). The cases where Helm's newer Go differs from 1.19 (range over
 * an integer) are listed in NEWER_GO with the newer behaviour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute, executeNamed, ExecError, ExecOptions, TemplateEntry } from '../../../server/src/helm/exec';
import { parseTemplate } from '../../../server/src/helm/parser';
import { BUILTIN_NAMES } from '../../../server/src/helm/builtins';
import { FuncDef, FuncMap, GoError, GoFunc, GoInt, GoPanic, GoStruct, goSlice, GoFloat32, Value, def } from '../../../server/src/helm/value';
import { sprint, utf8Bytes } from '../../../server/src/helm/fmt';
import fixture from './fixtures/exec-cases.json';

class Caps extends GoStruct {
  readonly goType = '*main.Caps';
  override field(name: string): { value: Value } | undefined {
    return name === 'Version' ? { value: 'v1.2' } : undefined;
  }
  override method(name: string): FuncDef | undefined {
    switch (name) {
      case 'Has':
        return { name, params: ['string'], result: 'bool', fn: (s) => s === 'apps/v1' };
      case 'Get':
        return { name, params: [], result: 'string', fn: () => 'got' };
      case 'Err':
        return {
          name,
          params: [],
          result: 'string',
          returnsError: true,
          fn: () => {
            throw new GoError('method failed');
          },
        };
      case 'Sum':
        return { name, params: ['int', 'int'], result: 'int', fn: (a, b) => new GoInt((a as GoInt).v + (b as GoInt).v) };
      case 'Join':
        return { name, params: ['string'], variadic: 'string', result: 'string', fn: (sep, ...p) => p.join(sep as string) };
    }
    return undefined;
  }
  override format(): string {
    return '{v1.2 0}';
  }
}

function goFuncs(): FuncMap {
  const m: FuncMap = new Map();
  def(m, 'upper', ['string'], 'string', (s: string) => s.toUpperCase());
  def(m, 'repeatN', ['int', 'string'], 'string', (n: GoInt, s: string) => s.repeat(Number(n.v)));
  def(m, 'i64', ['int64'], 'int64', (x: GoInt) => x);
  def(m, 'u8', ['uint8'], 'uint8', (x: GoInt) => x);
  def(m, 'f64', ['float64'], 'float64', (x: number) => x);
  def(m, 'f32', ['float32'], 'float32', (x: GoFloat32) => x);
  def(m, 'takeBool', ['bool'], 'bool', (b: boolean) => b);
  def(m, 'strs', ['[]string'], 'string', (a: string[]) => a.join(','));
  def(m, 'takeMap', ['map[string]interface {}'], 'int', (o: object) => new GoInt(BigInt(Object.keys(o).length)));
  def(m, 'ifaceList', ['[]interface {}'], 'int', (a: Value[]) => new GoInt(BigInt(a.length)));
  def(
    m,
    'fail',
    ['string'],
    'string',
    (msg: string) => {
      throw new GoError(msg);
    },
    { returnsError: true },
  );
  def(m, 'panicky', ['string'], 'string', (s: string) => {
    throw new GoPanic('panic: ' + s);
  });
  def(m, 'panicErr', [], 'string', () => {
    throw new GoPanic('an error value');
  });
  def(m, 'variadic', ['string'], 'string', (s: string, ...a: GoInt[]) => sprint([s, goSlice(a, 'int')]), { variadic: 'int' });
  def(m, 'list', [], '[]interface {}', (...a: Value[]) => a, { variadic: 'interface {}' });
  def(
    m,
    'dict',
    [],
    'map[string]interface {}',
    (...kv: Value[]) => {
      const o: Record<string, Value> = {};
      for (let i = 0; i + 1 < kv.length; i += 2) o[kv[i] as string] = kv[i + 1];
      return o;
    },
    { variadic: 'interface {}' },
  );
  def(m, 'nilIface', [], 'interface {}', () => null);
  def(m, 'int64v', ['int'], 'int64', (x: GoInt) => new GoInt(x.v, 'int64'));
  def(m, 'fn', [], 'func(int) int', () => double);
  def(m, 'bytes', ['string'], '[]uint8', (s: string) => utf8Bytes(s));
  return m;
}

const double = new GoFunc({ name: 'Fn', params: ['int'], result: 'int', fn: (x) => new GoInt((x as GoInt).v * 2n) });

function goData(values: Value): Record<string, Value> {
  return {
    Values: values,
    Caps: new Caps(),
    Int: new GoInt(3n),
    Int64: new GoInt(3n, 'int64'),
    Uint: new GoInt(3n, 'uint'),
    Strs: goSlice(['a', 'b'], 'string'),
    Bytes: new Uint8Array([104, 105]),
    Nil: null,
    Fn: double,
    VFn: new GoFunc({
      name: 'VFn',
      params: [],
      variadic: 'int',
      result: 'int',
      fn: (...xs) => new GoInt(xs.reduce((s: bigint, x) => s + (x as GoInt).v, 0n)),
    }),
    EFn: new GoFunc({
      name: 'EFn',
      params: ['int'],
      result: 'int',
      returnsError: true,
      fn: (x) => {
        if ((x as GoInt).v === 0n) throw new GoError('zero');
        return x;
      },
    }),
  };
}

interface Case {
  tpl: string;
  out?: string;
  err?: string;
  missingkey?: 'zero' | 'error' | 'invalid' | 'default';
  files?: Record<string, string>;
}

/**
 * Parses `text` as t.yaml (other files first, each with its defines) and executes it like the Go
 * program did; `include` is the Go program's: ExecuteTemplate on the set named "t.yaml".
 */
function run(text: string, values: Value, c: Partial<Case> = {}, extra: Partial<ExecOptions> = {}): string {
  const funcs = goFuncs();
  const set = new Map<string, TemplateEntry>();
  const add = (name: string, src: string): TemplateEntry => {
    const p = parseTemplate(name, src, { funcs: (n) => n === 'include' || funcs.has(n) || BUILTIN_NAMES.has(n) });
    if (p.error) throw new Error('parse error: ' + p.error.message);
    const root = { name, text: src, body: p.root };
    set.set(name, root);
    for (const d of p.defines) set.set(d.name, { name: d.name, file: name, text: src, body: d.body });
    return root;
  };
  for (const name of Object.keys(c.files ?? {}).sort()) add(name, c.files![name]);
  const root = add('t.yaml', text);
  const mk = c.missingkey === 'default' ? 'invalid' : c.missingkey ?? 'zero';
  const opts: ExecOptions = { funcs, lookup: (n) => set.get(n), missingKey: mk, ...extra };
  funcs.set('include', {
    name: 'include',
    params: ['string', 'interface {}'],
    result: 'string',
    returnsError: true,
    fn: (name, data) => executeNamed(name as string, data, opts, 't.yaml').output,
  });
  return execute('t.yaml', root.body, 't.yaml', text, goData(values), opts).output;
}

function outcome(c: Case, values: Value): { out?: string; err?: string } {
  try {
    return { out: run(c.tpl, values, c) };
  } catch (e) {
    if (e instanceof ExecError) return { err: e.message };
    throw e;
  }
}

/** Helm's Go (1.22+) ranges over integers; Go 1.19 (the fixture's) does not. */
const NEWER_GO: Record<string, { out?: string; err?: string }> = {
  '{{ range $i, $v := 3 }}{{ end }}': {
    err: 'template: t.yaml:1:19: executing "t.yaml" at <3>: can\'t use 3 to iterate over more than one variable',
  },
};

/** Cases Go cannot be matched on: addresses of functions and pointers, slice capacities, struct fields under %s. */
const UNMATCHABLE = new Set([
  '{{.}}',
  '{{ print .Fn }}',
  '{{ eq .Fn .Fn }}',
  '{{ slice .Values.list 0 4 }}',
  '{{ printf "%s" .Caps }}',
  '{{ printf "%v|%s|%d" .Caps .Caps .Caps }}',
]);

const clone = (v: unknown): Value => JSON.parse(JSON.stringify(v)) as Value;

test('every fixture case renders as Go rendered it', () => {
  const failures: string[] = [];
  for (const c of fixture.cases as Case[]) {
    if (UNMATCHABLE.has(c.tpl)) continue;
    const want = NEWER_GO[c.tpl] ?? (c.err !== undefined ? { err: c.err } : { out: c.out });
    let got: { out?: string; err?: string };
    try {
      got = outcome(c, clone(fixture.values));
    } catch (e) {
      got = { err: 'THROWN ' + String(e) };
    }
    try {
      assert.deepEqual(got, want);
    } catch {
      failures.push(`${JSON.stringify(c.tpl)}\n   got ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${fixture.cases.length} differ:\n` + failures.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// Beyond the fixture: Go 1.22+ integer ranges, the editor's structured errors, limits, source maps.

test('range over an integer iterates 0..n-1 in its type (Go 1.22+, which Helm is built with)', () => {
  // From Go 1.23's exec.go (walkRange over reflect.Int kinds); Go 1.19 cannot range over ints.
  const v = clone(fixture.values);
  assert.equal(run('{{ range 3 }}{{ . }}{{ end }}', v), '012');
  assert.equal(run('{{ range $i := .Int }}{{ $i }},{{ end }}', v), '0,1,2,');
  assert.equal(run('{{ range .Uint }}{{ printf "%T" . }} {{ end }}', v), 'uint uint uint ');
  assert.equal(run('{{ range 0 }}a{{ else }}empty{{ end }}', v), 'empty');
  assert.equal(run('{{ range -2 }}a{{ else }}neg{{ end }}', v), 'neg');
  assert.equal(run('{{ range 5 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}', v), '012');
  assert.deepEqual(outcome({ tpl: '{{ range $i, $v := 0 }}{{ end }}' }, v), {
    err: 'template: t.yaml:1:19: executing "t.yaml" at <0>: can\'t use 0 to iterate over more than one variable',
  });
  // Values are float64: ranging over one is still an error.
  assert.deepEqual(outcome({ tpl: '{{ range .Values.replicas }}{{ end }}' }, v), {
    err: 'template: t.yaml:1:16: executing "t.yaml" at <.Values.replicas>: range can\'t iterate over 3',
  });
});

test('range with = assigns to existing variables (Go 1.22+)', () => {
  const v = clone(fixture.values);
  assert.equal(run('{{ $x := 0 }}{{ range $x = .Values.list }}{{ end }}{{ $x }}', v), 'c');
  assert.equal(run('{{ $i := 0 }}{{ $e := 0 }}{{ range $i, $e = .Values.list }}{{ end }}{{ $i }}{{ $e }}', v), '2c');
});

test('an ExecError carries the node, its file and offset, and the function error it wraps', () => {
  const helpers = '{{- define "lib.bad" -}}\nx\n  {{ .Values.missing.y }}\n{{- end -}}';
  const text = 'a: 1\nb: {{ include "lib.bad" . }}\n';
  let err: unknown;
  try {
    run(text, clone(fixture.values), { files: { '_helpers.tpl': helpers } });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExecError);
  assert.equal(err.kind, 'exec');
  assert.equal(err.templateName, 't.yaml');
  assert.equal(err.fileName, 't.yaml');
  assert.equal(text.slice(err.node.start, err.node.end), 'include "lib.bad" .');
  assert.equal(err.offset, text.indexOf('include'));
  assert.equal(
    err.goMessage,
    'error calling include: template: _helpers.tpl:3:12: executing "lib.bad" at <.Values.missing.y>: nil pointer evaluating interface {}.y',
  );
  const inner = err.cause;
  assert.ok(inner instanceof ExecError);
  assert.equal(inner.templateName, 'lib.bad');
  assert.equal(inner.fileName, '_helpers.tpl');
  assert.equal(helpers.slice(inner.node.start, inner.node.end), '.Values.missing.y');
  // Go's position of a field chain is its second field.
  assert.equal(helpers.slice(inner.offset, inner.offset + 8), '.missing');
  assert.equal(inner.goMessage, 'nil pointer evaluating interface {}.y');
});

test('errors inside {{template}} name the define and its file', () => {
  const helpers = '{{ define "lib.x" }}\n{{ upper 3 }}{{ end }}';
  let err: unknown;
  try {
    run('{{ template "lib.x" . }}', clone(fixture.values), { files: { 'h.tpl': helpers } });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExecError);
  assert.equal(err.message, 'template: h.tpl:2:9: executing "lib.x" at <3>: expected string; found 3');
  assert.equal(err.fileName, 'h.tpl');
  assert.equal(err.templateName, 'lib.x');
});

test('executeNamed fails like ExecuteTemplate when the name is unknown', () => {
  assert.throws(
    () => executeNamed('nope', null, { funcs: new Map(), lookup: () => undefined }),
    (e: unknown) => e instanceof GoError && !(e instanceof ExecError) && e.message === 'template: no template "nope" associated with template "gotpl"',
  );
});

test('missingKey defaults to zero (Helm): a missing key is a nil interface', () => {
  const p = parseTemplate('t', '{{ .a }}|{{ printf "%v" .a }}|{{ .a.b }}');
  assert.throws(
    () => execute('t', p.root, 't', p.text, {}, { funcs: new Map(), lookup: () => undefined }),
    /nil pointer evaluating interface \{\}\.b/,
  );
  const q = parseTemplate('t', '{{ .a }}|{{ printf "%v" .a }}');
  assert.equal(execute('t', q.root, 't', q.text, {}, { funcs: new Map(), lookup: () => undefined }).output, '<no value>|<nil>');
});

test('limits: output size and the deadline stop the run with kind "limit"', () => {
  const v = clone(fixture.values);
  let err: unknown;
  try {
    run('{{ range 100000 }}xxxxxxxxxx{{ end }}', v, {}, { limits: { maxOutputBytes: 1000, deadline: Infinity, now: () => 0 } });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExecError);
  assert.equal(err.kind, 'limit');
  assert.match(err.message, /larger than 1000 bytes/);

  let clock = 0;
  err = undefined;
  try {
    run('{{ range 100000 }}{{ end }}', v, {}, { limits: { maxOutputBytes: Infinity, deadline: 50, now: () => clock++ } });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExecError);
  assert.equal(err.kind, 'limit');
  assert.match(err.message, /time limit/);

  // A limit reached inside a function (an include rendering with the same limits) is not wrapped.
  err = undefined;
  try {
    run('{{ include "big" . }}', v, { files: { 'h.tpl': '{{ define "big" }}{{ range 1000 }}xxxxxxxxxx{{ end }}{{ end }}' } }, {
      limits: { maxOutputBytes: 500, deadline: Infinity, now: () => 0 },
    });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExecError);
  assert.equal(err.kind, 'limit');
  assert.ok(!err.message.includes('error calling'));
});

test('source map: text and action segments, value paths, {{template}} stacks', () => {
  const helpers = '{{ define "lib.tag" }}tag={{ .Values.image.tag }}{{ end }}';
  const text = 'image: {{ .Values.image.repo | quote }}\nn: {{ $.Values.replicas }}{{ upper "x" }}\n{{ template "lib.tag" . }}';
  const funcs = goFuncs();
  funcs.set('quote', { name: 'quote', params: [], variadic: 'interface {}', result: 'string', fn: (...a) => a.map((x) => `"${x}"`).join(' ') });
  const p = parseTemplate('t.yaml', text);
  const h = parseTemplate('h.tpl', helpers);
  const lookup = (n: string): TemplateEntry | undefined =>
    n === 'lib.tag' ? { name: 'lib.tag', file: 'h.tpl', text: helpers, body: h.defines[0].body } : undefined;
  const r = execute('t.yaml', p.root, 't.yaml', text, goData(clone(fixture.values)), { funcs, lookup, sourceMap: true });
  assert.equal(r.output, 'image: "nginx"\nn: 3X\ntag=1.2');
  const segs = r.segments!;
  const show = segs.map((s) => ({
    out: r.output.slice(s.outStart, s.outEnd),
    kind: s.kind,
    src: (s.file === 'h.tpl' ? helpers : text).slice(s.srcStart, s.srcEnd),
    file: s.file,
    path: s.valuePath,
    stack: s.stack.map((f) => text.slice(f.start, f.end)),
  }));
  assert.deepEqual(show, [
    { out: 'image: ', kind: 'text', src: 'image: ', file: 't.yaml', path: undefined, stack: [] },
    { out: '"nginx"', kind: 'action', src: '{{ .Values.image.repo | quote }}', file: 't.yaml', path: ['image', 'repo'], stack: [] },
    { out: '\nn: ', kind: 'text', src: '\nn: ', file: 't.yaml', path: undefined, stack: [] },
    { out: '3', kind: 'action', src: '{{ $.Values.replicas }}', file: 't.yaml', path: ['replicas'], stack: [] },
    { out: 'X', kind: 'action', src: '{{ upper "x" }}', file: 't.yaml', path: undefined, stack: [] },
    { out: '\n', kind: 'text', src: '\n', file: 't.yaml', path: undefined, stack: [] },
    { out: 'tag=', kind: 'text', src: 'tag=', file: 'h.tpl', path: undefined, stack: ['{{ template "lib.tag" . }}'] },
    { out: '1.2', kind: 'action', src: '{{ .Values.image.tag }}', file: 'h.tpl', path: ['image', 'tag'], stack: ['{{ template "lib.tag" . }}'] },
  ]);
  // Without sourceMap there are no segments.
  assert.equal(execute('t.yaml', p.root, 't.yaml', text, goData(clone(fixture.values)), { funcs, lookup }).segments, undefined);
});

test('a template of a few hundred lines executes in well under a few milliseconds', () => {
  const block = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Values.name }}-{{ .Values.image.repo }}
  labels:
{{- range $k, $v := .Values.m }}
    {{ $k }}: {{ $v | printf "%v" }}
{{- end }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
{{- range $i, $c := .Values.list }}
        - name: {{ $c }}-{{ $i }}
          image: "{{ $.Values.image.repo }}:{{ $.Values.image.tag }}"
          {{- if and $.Values.t (gt $i 0) }}
          args: [{{ index $.Values.list 0 | printf "%q" }}]
          {{- end }}
{{- end }}
`;
  const text = block.repeat(15);
  const funcs = goFuncs();
  const p = parseTemplate('t.yaml', text);
  assert.equal(p.error, undefined);
  const data = goData(clone(fixture.values));
  const opts: ExecOptions = { funcs, lookup: () => undefined };
  const once = execute('t.yaml', p.root, 't.yaml', text, data, opts).output;
  assert.ok(once.split('\n').length > 300);
  for (let i = 0; i < 20; i++) execute('t.yaml', p.root, 't.yaml', text, data, opts);
  const n = 100;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) execute('t.yaml', p.root, 't.yaml', text, data, opts);
  const ms = (performance.now() - t0) / n;
  assert.ok(ms < 5, `took ${ms.toFixed(2)} ms per render`);
  if (process.env.EXEC_PERF) console.log(`${ms.toFixed(3)} ms per render of ${once.split("\n").length} lines`);
});
