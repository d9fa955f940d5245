/**
 * Tests of the text/template parser (server/src/helm/lexer.ts, parser.ts, nodeString.ts).
 *
 * Expectations marked "Go" were observed from Go 1.19's text/template (with sprig 3.2.3's and
 * Helm's function names defined) by a throwaway reference program: for each template it printed
 * `err.Error()` of `template.New(name).Funcs(funcs).Parse(text)`, or every template's tree (node
 * types, Position() as UTF-8 byte offsets, values, number flags, String()) and `Root.String()`.
 * fixtures/parser-go.json holds those observations for ~270 hand-written templates and 600
 * generated ones (generateTemplates in parserGoTree.ts), so this test needs no Go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import type {
  ActionNode,
  BranchNode,
  FieldNode,
  NumberNode,
  ParsedTemplate,
  PipeNode,
  StringNode,
  TemplateNode,
  TextNode,
} from '../../../server/src/helm/ast';
import { formatParseError, MAX_DEPTH, parseTemplate, type ParseOptions } from '../../../server/src/helm/parser';
import { nodeString } from '../../../server/src/helm/nodeString';
import { goQuote, lex, Tok } from '../../../server/src/helm/lexer';
import { dumpParsed, generateTemplates, goErrorString, type GoCase } from './parserGoTree';

interface FixtureCase extends GoCase {
  err: string | null;
  trees?: Record<string, unknown>;
  strings?: Record<string, string>;
}
const fixture = JSON.parse(readFileSync(join(ROOT, 'test/unit/helm/fixtures/parser-go.json'), 'utf8')) as {
  hand: number;
  generated: number;
  funcs: string[];
  cases: FixtureCase[];
};
const helmFuncs = new Set(fixture.funcs);
const HELM: ParseOptions = { funcs: (n) => helmFuncs.has(n), elseWith: false };

function parse(text: string, opts: ParseOptions = HELM, name = 't'): ParsedTemplate {
  return parseTemplate(name, text, opts);
}

/** Go's error string of the first error, or null. */
function goErr(text: string, opts: ParseOptions = HELM, name = 't'): string | null {
  return goErrorString(parse(text, opts, name));
}

function action(t: ParsedTemplate, i = 0): ActionNode {
  const n = t.root.nodes.filter((x) => x.type === 'action')[i];
  assert.ok(n, 'no action ' + i);
  return n as ActionNode;
}

function arg0(t: ParsedTemplate, i = 0) {
  return action(t, i).pipe.cmds[0].args[0];
}

test('every fixture case: Go error text, trees and String() as Go 1.19 (Go)', () => {
  const generated = generateTemplates(fixture.generated);
  let compared = 0;
  fixture.cases.forEach((c, i) => {
    if (i >= fixture.hand) assert.equal(c.text, generated[i - fixture.hand], 'generator drifted from the fixture');
    const t = parseTemplate(c.name, c.text, {
      funcs: c.nofuncs ? () => false : (n) => helmFuncs.has(n),
      leftDelim: c.left,
      rightDelim: c.right,
      elseWith: false,
    });
    assert.equal(goErrorString(t), c.err, `case ${i}: ${JSON.stringify(c.text)}`);
    if (c.err === null) {
      assert.equal(t.errors.length, 0);
      const d = dumpParsed(t);
      if (c.trees) assert.deepEqual(d.trees, c.trees, `case ${i} tree: ${JSON.stringify(c.text)}`);
      assert.deepEqual(d.strings, c.strings, `case ${i} String(): ${JSON.stringify(c.text)}`);
      compared++;
    }
  });
  assert.ok(compared > 300);
  assert.ok(fixture.cases.filter((c) => c.err !== null).length > 300);
});

test('tree of a representative template, with Go positions', () => {
  const text = '{{- $name := include "x.fullname" . -}}\nname: {{ $name | quote }}\n{{ if .Values.a.b }}A{{ else if eq .x 1 }}B{{ else }}C{{ end }}';
  const t = parse(text);
  assert.equal(t.error, undefined);
  const [decl, text1, use, text2, branch] = t.root.nodes;
  assert.equal(decl.type, 'action');
  const d = decl as ActionNode;
  assert.equal(d.visibleStart, 0);
  assert.equal(d.start, text.indexOf('$name'));
  assert.equal(d.end, text.indexOf('\nname'));
  assert.deepEqual(d.pipe.decl.map((v) => v.name), ['$name']);
  assert.equal(d.pipe.isAssign, false);
  assert.equal(d.pipe.start, text.indexOf('$name'));
  assert.equal(d.pipe.cmds[0].start, text.indexOf('include'));
  assert.deepEqual(
    d.pipe.cmds[0].args.map((a) => a.type),
    ['identifier', 'string', 'dot'],
  );
  // -}} trims the newline after it: the text starts at "name".
  assert.equal(text1.type, 'text');
  assert.equal((text1 as TextNode).text, 'name: ');
  assert.equal((text1 as TextNode).textStart, text.indexOf('name:'));
  assert.equal(text1.start, d.end);
  assert.equal(nodeString(use), '{{$name | quote}}');
  assert.equal((text2 as TextNode).text, '\n');
  const b = branch as BranchNode;
  assert.equal(b.type, 'if');
  assert.equal(b.start, text.indexOf('.Values.a.b'));
  assert.equal(b.visibleStart, text.indexOf('{{ if'));
  assert.deepEqual(b.open, { start: text.indexOf('{{ if'), end: text.indexOf('A{{') });
  assert.deepEqual(b.close, { start: text.indexOf('{{ end }}'), end: text.length });
  assert.equal(b.end, text.length);
  // else if: an else list holding one if, which shares the {{ end }}.
  assert.equal(b.elseList!.nodes.length, 1);
  const inner = b.elseList!.nodes[0] as BranchNode;
  assert.equal(inner.type, 'if');
  assert.equal(inner.open.start, text.indexOf('{{ else if'));
  assert.deepEqual(inner.close, b.close);
  assert.equal(nodeString(inner.elseList!), 'C');
  assert.equal(nodeString(b), '{{if .Values.a.b}}A{{else}}{{if eq .x 1}}B{{else}}C{{end}}{{end}}');
  // A field chain is positioned at its second segment, as Go builds it from a ChainNode.
  const f = b.pipe.cmds[0].args[0] as FieldNode;
  assert.deepEqual(f.ident, ['Values', 'a', 'b']);
  assert.equal(f.start, text.indexOf('.a.b'));
  assert.equal(f.visibleStart, text.indexOf('.Values'));
  assert.equal(f.end, text.indexOf(' }}A'));
});

test('positions of variables, chains, parenthesised pipelines, templates, break (Go)', () => {
  // Go: `$x.a.b` is at `.a`; `(printf "a").y` is a chain at `.y` over a pipe at `printf`.
  const text = '{{$x := .}}{{$x.a.b}}{{(printf "a").y}}{{template "n" .}}{{range .}}{{break}}{{end}}';
  const t = parse(text);
  assert.equal(t.error, undefined);
  const v = arg0(t, 1);
  assert.equal(v.type, 'variable');
  if (v.type === 'variable') {
    assert.equal(v.name, '$x');
    assert.deepEqual(v.ident, ['a', 'b']);
    assert.equal(v.start, text.indexOf('.a.b'));
    assert.equal(v.visibleStart, text.indexOf('$x.a'));
  }
  const c = arg0(t, 2);
  assert.equal(c.type, 'chain');
  if (c.type === 'chain') {
    assert.deepEqual(c.field, ['y']);
    assert.equal(c.start, text.indexOf('.y'));
    assert.equal(c.visibleStart, text.indexOf('(printf'));
    const p = c.node as PipeNode;
    assert.equal(p.type, 'pipe');
    assert.equal(p.start, text.indexOf('printf'));
    assert.equal(p.visibleStart, text.indexOf('(printf'));
    assert.equal(p.end, text.indexOf('.y'));
    assert.equal(nodeString(c), '(printf "a").y');
  }
  const tpl = t.root.nodes[3] as TemplateNode;
  assert.equal(tpl.type, 'template');
  assert.equal(tpl.name, 'n');
  assert.equal(tpl.start, text.indexOf('"n"'));
  assert.deepEqual(tpl.nameSpan, { start: text.indexOf('"n"'), end: text.indexOf('"n"') + 3 });
  assert.equal(tpl.visibleStart, text.indexOf('{{template'));
  assert.equal(tpl.end, text.indexOf('{{range'));
  const r = t.root.nodes[4] as BranchNode;
  const brk = r.list.nodes[0];
  assert.equal(brk.type, 'break');
  assert.equal(brk.start, text.indexOf('break'));
});

test('method-call shaped commands: a field followed by arguments', () => {
  const t = parse('{{ .Files.Get "config.ini" | indent 2 }}{{ .Capabilities.APIVersions.Has "apps/v1" }}');
  assert.equal(t.error, undefined);
  const cmd = action(t).pipe.cmds[0];
  assert.deepEqual(cmd.args.map((a) => nodeString(a)), ['.Files.Get', '"config.ini"']);
  assert.equal(nodeString(action(t).pipe), '.Files.Get "config.ini" | indent 2');
  assert.deepEqual((arg0(t, 1) as FieldNode).ident, ['Capabilities', 'APIVersions', 'Has']);
});

test('literals: numbers with Go flags and values (Go)', () => {
  const num = (s: string): NumberNode => {
    const t = parse(`{{${s}}}`);
    assert.equal(t.error, undefined, s + ': ' + t.error?.message);
    return arg0(t) as NumberNode;
  };
  const flags = (n: NumberNode) => [n.isInt, n.isUint, n.isFloat, n.isComplex];
  assert.deepEqual(flags(num('1')), [true, true, true, false]);
  assert.deepEqual(flags(num('1.0')), [true, true, true, false]);
  assert.deepEqual(flags(num('1e3')), [true, true, true, false]);
  assert.equal(num('1e3').int64, 1000n);
  assert.deepEqual(flags(num('1.5')), [false, false, true, false]);
  assert.deepEqual(flags(num('-1')), [true, false, true, false]);
  assert.equal(num('-1').int64, -1n);
  assert.deepEqual(flags(num('+5')), [true, false, true, false]);
  assert.deepEqual(flags(num('-0')), [true, true, true, false]);
  assert.equal(num('0x1F').int64, 31n);
  assert.equal(num('0X1f').uint64, 31n);
  assert.equal(num('0o17').int64, 15n);
  assert.equal(num('017').int64, 15n);
  assert.equal(num('0b101').int64, 5n);
  assert.equal(num('1_000').int64, 1000n);
  assert.equal(num('0x_1F').int64, 31n);
  // Beyond int64: only uint; beyond uint64 as a float-looking text: float only.
  assert.deepEqual(flags(num('18446744073709551615')), [false, true, true, false]);
  assert.equal(num('18446744073709551615').uint64, 18446744073709551615n);
  assert.deepEqual(flags(num('1e19')), [false, true, true, false]);
  assert.deepEqual(flags(num('1e20')), [false, false, true, false]);
  assert.equal(num('-9223372036854775808').int64, -9223372036854775808n);
  assert.equal(num('1e-400').float64, 0);
  assert.equal(num('.5').float64, 0.5);
  assert.equal(num('0x1p-2').float64, 0.25);
  assert.equal(num('0x1.8p1').float64, 3);
  assert.equal(num('0x1p-1074').float64, 5e-324);
  assert.equal(num('0x1.fffffffffffffp1023').float64, 1.7976931348623157e308);
  assert.equal(num('0x1p-1075').float64, 0); // half the least subnormal: ties to even
  assert.equal(num('0x3p-1076').float64, 5e-324);
  assert.equal(goErr('{{0x1.fffffffffffff8p1023}}'), 'template: t:1: illegal number syntax: "0x1.fffffffffffff8p1023"');
  // Characters are numbers: int, uint and float.
  assert.deepEqual(flags(num("'a'")), [true, true, true, false]);
  assert.equal(num("'a'").int64, 97n);
  assert.equal(num("'\\n'").int64, 10n);
  assert.equal(num("'\\x41'").int64, 65n);
  assert.equal(num("'é'").int64, 233n);
  assert.equal(num("'\\377'").int64, 255n);
  assert.equal(num("'\\''").int64, 39n);
  // Imaginary and complex.
  assert.deepEqual(flags(num('1i')), [false, false, false, true]);
  assert.equal(num('1i').complexImag, 1);
  assert.deepEqual(flags(num('0i')), [true, true, true, true]);
  const c = num('1+2i');
  assert.deepEqual([c.isComplex, c.complexReal, c.complexImag], [true, 1, 2]);
  assert.deepEqual(flags(num('1-0i')), [true, true, true, true]);
  assert.equal(num('0x10').text, '0x10');
});

test('literals: strings, raw strings, bool, nil (Go)', () => {
  const str = (s: string): StringNode => arg0(parse(`{{${s}}}`)) as StringNode;
  const s = str('"a\\n\\t\\x41\\u00e9\\U0001F600\\101\\"\\\\\\a\\b\\f\\r\\v"');
  assert.equal(s.text, 'a\n\tAé😀A"\\\x07\b\f\r\v');
  assert.equal(s.quoted, '"a\\n\\t\\x41\\u00e9\\U0001F600\\101\\"\\\\\\a\\b\\f\\r\\v"');
  assert.equal(str('"\\xc3\\xa9"').text, 'é'); // bytes that form UTF-8
  assert.equal(str('"\\xff"').text, '\ufffd'); // a lone byte cannot live in a JS string
  assert.equal(str('`raw\nlines \\n`').text, 'raw\nlines \\n');
  assert.equal(str('`a\r\nb`').text, 'a\nb'); // Go drops \r from raw strings
  assert.equal(str('"plain"').text, 'plain');
  const t = parse('{{true}}{{false}}{{nil}}');
  assert.deepEqual([arg0(t, 0), arg0(t, 1)].map((a) => a.type === 'bool' && a.value), [true, false]);
  assert.equal(arg0(t, 2).type, 'nil');
});

test('trim markers: all ASCII space around, only with the space after/before the dash (Go)', () => {
  const texts = (s: string) =>
    parse(s).root.nodes.filter((n): n is TextNode => n.type === 'text').map((n) => n.text);
  assert.deepEqual(texts('a \r\n\t{{- .x -}} \n b'), ['a', 'b']);
  assert.deepEqual(texts('a  {{- .x }}  b'), ['a', '  b']);
  assert.deepEqual(texts('a  {{ .x -}}  b'), ['a  ', 'b']);
  assert.deepEqual(texts('a {{- /* c */ -}} b'), ['a', 'b']);
  assert.deepEqual(texts('  {{- if .x -}}  a  {{- else -}}  b  {{- end -}}  '), []);
  // {{-3}} is the number -3, not a trim marker.
  const n = arg0(parse('a {{-3}} b')) as NumberNode;
  assert.equal(n.int64, -3n);
  assert.deepEqual(texts('a {{-3}} b'), ['a ', ' b']);
  // Untrimmed spans: start/end cover the text between the actions; textStart is where `text` starts.
  const t = parse('{{ .x -}}  b  {{- .y }}');
  const tn = t.root.nodes[1] as TextNode;
  assert.deepEqual([tn.start, tn.textStart, tn.text, tn.end], [9, 11, 'b', 14]);
  // Text trimmed to nothing leaves no node, as in Go.
  assert.deepEqual(parse('{{ .x -}}   {{- .y }}').root.nodes.map((x) => x.type), ['action', 'action']);
});

test('comments: nodes spanning their delimiters, ignored by String() of lists (Go)', () => {
  const text = 'a{{/* one */}}b{{- /* two\nlines */ -}} c';
  const t = parse(text);
  assert.equal(t.error, undefined);
  const cs = t.root.nodes.filter((n) => n.type === 'comment');
  assert.equal(cs.length, 2);
  assert.deepEqual(cs[0], { type: 'comment', start: 1, end: 14, text: '/* one */' });
  assert.equal(cs[1].end, text.indexOf(' c'));
  assert.equal(nodeString(cs[0]), '{{/* one */}}');
  assert.equal(nodeString(t.root), 'abc');
});

test('variables: scopes of if/with/range, $ always defined, = needs no declaration (Go)', () => {
  assert.equal(goErr('{{if $x := 1}}{{$x}}{{end}}{{$x}}'), 'template: t:1: undefined variable "$x"');
  assert.equal(goErr('{{range $i, $v := .}}{{$i}}{{$v}}{{end}}{{$v}}'), 'template: t:1: undefined variable "$v"');
  assert.equal(goErr('{{with $w := .a}}{{else}}{{$w}}{{end}}'), null);
  // A variable declared in the if body is still visible in its else branch (Go pops at end).
  assert.equal(goErr('{{if 1}}{{$y := 2}}{{else}}{{$y}}{{end}}'), null);
  assert.equal(goErr('{{if 1}}{{$y := 2}}{{end}}{{$y}}'), 'template: t:1: undefined variable "$y"');
  assert.equal(goErr('{{$}}{{$.x}}'), null);
  assert.equal(goErr('{{ $x = 1 }}{{ $x }}'), null);
  // Defines and blocks start with only $.
  assert.equal(goErr('{{$x := 1}}{{define "d"}}{{$x}}{{end}}'), 'template: t:1: undefined variable "$x"');
  assert.equal(goErr('{{$x := 1}}{{block "b" .}}{{$x}}{{end}}'), 'template: t:1: undefined variable "$x"');
});

test('functions: builtins always, others per opts.funcs, none checked without it (Go)', () => {
  const none: ParseOptions = { funcs: () => false };
  assert.equal(goErr('{{printf "%d" (len .) | print}}{{and 1 (or 2 3)}}{{index . 1}}{{slice . 1}}', none), null);
  assert.equal(goErr('{{ include "x" . }}', none), 'template: t:1: function "include" not defined');
  assert.equal(goErr('{{ include "x" . }}'), null);
  assert.equal(goErr('{{ nope }}', {}), null); // no funcs: Go's SkipFuncCheck
  // A function named break makes `break` an identifier (Go).
  const t = parse('{{range .}}{{break}}{{end}}', { funcs: (n) => n === 'break' });
  assert.equal(t.error, undefined);
  const r = t.root.nodes[0] as BranchNode;
  assert.equal(r.list.nodes[0].type, 'action');
});

test('errors: Go messages and lines (Go)', () => {
  const cases: [string, string][] = [
    ['{{if .x}}\nfoo\n', 'template: t:3: unexpected EOF'],
    ['{{ .x \n\n', 'template: t:3: unclosed action started at t:1'],
    ['{{ .x', 'template: t:1: unclosed action'],
    ['{{if\n "abc\n}}{{end}}', 'template: t:2: unterminated quoted string in action started at t:1'],
    ['{{if 1}}{{else if\n "abc\n}}{{end}}', 'template: t:2: unterminated quoted string'],
    ['{{ .x } }}', 'template: t:1: unexpected "}" in operand'],
    ['{{ (.x }}', 'template: t:1: unclosed left paren'],
    ['{{ .x) }}', 'template: t:1: unexpected ")" in command'],
    ['{{ $x }}', 'template: t:1: undefined variable "$x"'],
    ['{{ nope 1 }}', 'template: t:1: function "nope" not defined'],
    ['a\n{{end}}', 'template: t:2: unexpected {{end}}'],
    ['{{else}}', 'template: t:1: unexpected {{else}}'],
    ['{{if}}{{end}}', 'template: t:1: missing value for if'],
    ['{{}}', 'template: t:1: missing value for command'],
    ['{{range $i, 3 := .}}{{end}}', 'template: t:1: range can only initialize variables'],
    ['{{range $a, $b, $c := .}}{{end}}', 'template: t:1: too many declarations in range'],
    ['{{ $x, $y := 1 }}', 'template: t:1: too many declarations in command'],
    ['{{ .Values. }}', 'template: t:1: unexpected <.> in operand'],
    ['{{3x}}', 'template: t:1: bad number syntax: "3x"'],
    ['{{089}}', 'template: t:1: integer overflow: "089"'],
    ['{{1e400}}', 'template: t:1: illegal number syntax: "1e400"'],
    ['{{-}}', 'template: t:1: illegal number syntax: "-"'],
    ["{{'ab'}}", "template: t:1: malformed character constant: 'ab'"],
    ['{{"\\q"}}', 'template: t:1: invalid syntax'],
    ['{{ "abc }}', 'template: t:1: unterminated quoted string'],
    ['{{ `abc }}', 'template: t:1: unterminated raw quoted string'],
    ["{{ 'a }}", 'template: t:1: unterminated character constant'],
    ['a {{/* c ', 'template: t:1: unclosed comment'],
    ['a {{/* c */ }} b', 'template: t:1: comment ends before closing delimiter'],
    ['a {{ /* c */ }} b', 'template: t:1: unexpected "/" in command'],
    ['{{break}}', 'template: t:1: {{break}} outside {{range}}'],
    ['{{range .}}{{else}}{{continue}}{{end}}', 'template: t:1: {{continue}} outside {{range}}'],
    ['{{.x | 1}}', 'template: t:1: non executable command in pipeline stage 2'],
    ['{{.x | .y | 3}}', 'template: t:1: non executable command in pipeline stage 3'],
    ['{{define "a"}}A{{end}}\n\n{{define "a"}}\nB\n{{end}}', 'template: t:5: template: multiple definition of template "a"'],
    ['{{define foo}}{{end}}', 'template: t:1: unexpected "foo" in define clause'],
    ['{{define "a" "héllo wörld"}}{{end}}', 'template: t:1: unexpected "\\"héllo wör"... in define clause'],
    ['{{define "a"}}{{else}}{{end}}', 'template: t:1: unexpected {{else}} in define clause'],
    ['{{if .x}}{{define "a"}}{{end}}{{end}}', 'template: t:1: unexpected <define> in command'],
    ['{{ foo# }}', "template: t:1: bad character U+0023 '#'"],
    ['{{ $x=1 }}', "template: t:1: bad character U+003D '='"],
    ['{{ → }}', "template: t:1: unrecognized character in action: U+2192 '→'"],
    ['{{ \u0007 }}', 'template: t:1: unrecognized character in action: U+0007'],
    ['{{"s".x}}', 'template: t:1: unexpected . after term "\\"s\\""'],
    ['{{if .x}}\n{{else}}\n{{else}}\n{{end}}', 'template: t:3: expected end; found {{else}}'],
    ['{{range .}}\n{{else if .x\n}}\n{{end}}', 'template: t:2: unexpected <if> in input'],
    ['{{block "b" .}}\n{{else}}\n{{end}}', 'template: t:1: unexpected {{else}} in block clause'],
    ['{{template .x}}', 'template: t:1: unexpected ".x" in template clause'],
    ['{{ print break }}', 'template: t:1: unexpected <break> in operand'],
    ['{{ ( ) }}', 'template: t:1: missing value for parenthesized pipeline'],
  ];
  for (const [text, want] of cases) assert.equal(goErr(text), want, JSON.stringify(text));
  // The file's own name clashing with a define.
  assert.equal(goErr('{{define "x"}}A{{end}}B', HELM, 'x'), 'template: x:1: template: multiple definition of template "x"');
  // An empty define never replaces a non-empty one, and is replaced by one.
  assert.equal(goErr('{{define "a"}}A{{end}}{{define "a"}} \u00a0{{/* c */}}{{end}}'), null);
  assert.equal(goErr('{{define "a"}} {{end}}{{define "a"}}B{{end}}'), null);
});

test('error offsets and the Go error string', () => {
  const text = 'x: 1\ny: {{ $nope }}\n';
  const t = parse(text, HELM, 'chart/templates/a.yaml');
  assert.deepEqual(t.error, {
    message: 'undefined variable "$nope"',
    start: text.indexOf('$nope'),
    end: text.indexOf('$nope') + 5,
    line: 2,
  });
  assert.equal(formatParseError(t.name, t.error!), 'template: chart/templates/a.yaml:2: undefined variable "$nope"');
  const eof = parse('{{ if .x }}\n{{ range . }}');
  assert.equal(eof.error!.message, 'unexpected EOF');
  assert.equal(eof.error!.start, eof.text.length);
  assert.deepEqual(eof.error!.related, { start: 12, end: 25 }); // the innermost unclosed block
});

test('defines: collected in order, not in the root; block is a define plus a template', () => {
  const t = parse('{{define "a"}}A{{end}}x{{block "b" .}}B{{end}}{{define "a"}}  {{end}}{{define "c"}}C{{end}}');
  assert.equal(t.error, undefined);
  assert.deepEqual(t.defines.map((d) => [d.name, nodeString(d.body)]), [
    ['a', 'A'],
    ['b', 'B'],
    ['c', 'C'],
  ]);
  assert.equal(nodeString(t.root), 'x{{template "b" .}}');
  const a = t.defines[0];
  assert.deepEqual(a.nameSpan, { start: 9, end: 12 });
  assert.deepEqual([a.start, a.end], [0, 22]);
  // A later non-empty define replaces an empty one: both are listed, the later last.
  const u = parse('{{define "a"}} {{end}}{{define "a"}}B{{end}}');
  assert.deepEqual(u.defines.map((d) => nodeString(d.body)), [' ', 'B']);
});

test('else with (Go 1.23) by default; Go 1.19 refuses it', () => {
  const text = '{{with .a}}A{{else with .b}}B{{else}}C{{end}}';
  const t = parse(text, { funcs: () => true });
  assert.equal(t.error, undefined);
  assert.equal(nodeString(t.root), '{{with .a}}A{{else}}{{with .b}}B{{else}}C{{end}}{{end}}');
  assert.equal(goErr(text), 'template: t:1: unexpected <with> in else');
  // Only where Go 1.23 allows it: not after if or range.
  assert.equal(goErr('{{if .a}}A{{else with .b}}B{{end}}', { funcs: () => true }), 'template: t:1: unexpected <with> in input');
  assert.equal(goErr('{{with .a}}A{{else if .b}}B{{end}}', { funcs: () => true }), 'template: t:1: unexpected <if> in input');
});

test('custom delimiters', () => {
  const t = parse('[[ .x ]] {{ .y }} [[- .z -]]  !', { leftDelim: '[[', rightDelim: ']]' });
  assert.equal(t.error, undefined);
  assert.equal(nodeString(t.root), '{{.x}} {{ .y }}{{.z}}!');
});

test('recovery: later actions, blocks and defines survive a broken action', () => {
  const text = [
    '{{ define "early" }}E{{ end }}',
    'a: {{ .Values. }}',
    '{{ if .x }}',
    'b: {{ "unterminated }}',
    '{{ else }}',
    'c: {{ .ok }}',
    '{{ end }}',
    'd: {{ .Values.\ne: {{ .e }}',
    '{{ define "late" }}L{{ nope }}{{ end }}',
    '{{ $undefined }}{{ .last }}',
  ].join('\n');
  const t = parse(text);
  assert.equal(t.error!.message, 'unexpected <.> in operand');
  assert.equal(t.error!.line, 2);
  assert.deepEqual(
    t.errors.map((e) => [e.line, e.message]),
    [
      [2, 'unexpected <.> in operand'],
      [4, 'unterminated quoted string'],
      [8, 'unexpected <.> in operand'],
      [10, 'function "nope" not defined'],
      [11, 'undefined variable "$undefined"'],
    ],
  );
  assert.deepEqual(t.defines.map((d) => d.name), ['early', 'late']);
  const branch = t.root.nodes.find((n): n is BranchNode => n.type === 'if')!;
  assert.ok(branch.close, 'the if found its end');
  assert.equal(nodeString(branch.elseList!), '\nc: {{.ok}}\n');
  const fields = JSON.stringify(t.root).match(/"ident":\["[a-z]+"/g);
  assert.ok(fields!.includes('"ident":["e"') && fields!.includes('"ident":["last"'));
  // The broken action keeps what it had: `.Values`.
  assert.equal(nodeString(action(t, 0)), '{{.Values}}');
});

test('recovery: open blocks close at EOF; stray ends and elses are skipped; never throws', () => {
  const t = parse('{{ if .a }}{{ range .b }}x{{ with .c }}');
  assert.deepEqual(t.errors.map((e) => e.message), ['unexpected EOF']);
  assert.equal(nodeString(t.root), '{{if .a}}{{range .b}}x{{with .c}}{{end}}{{end}}{{end}}');
  const s = parse('{{end}}{{ .x }}{{else}}{{ .y }}');
  assert.deepEqual(s.errors.map((e) => e.message), ['unexpected {{end}}', 'unexpected {{else}}']);
  assert.equal(nodeString(s.root), '{{.x}}{{.y}}');
  // A comment never closed ends at the next action.
  const c = parse('{{/* open\n{{ .after }}');
  assert.equal(c.error!.message, 'unclosed comment');
  assert.equal(nodeString(c.root), '{{.after}}');
  // Deep nesting is refused, not a stack overflow.
  const deep = parse('{{' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '}}' + '{{if 1}}'.repeat(3000));
  assert.equal(deep.error!.message, 'max expression depth exceeded');
  assert.ok(MAX_DEPTH >= 100);
  assert.ok(deep.errors.length <= 100);
  // Random garbage never throws.
  const bits = ['{{', '}}', '{{-', '-}}', '(', ')', '"', '`', "'", '/*', '*/', 'if', 'end', 'else', 'define', '$x', ':=', '|', '.a', ' ', '\n', 'é'];
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    let s = '';
    for (let j = 0; j < 12; j++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += bits[seed % bits.length];
    }
    const r = parse(s);
    assert.equal(r.error, r.errors[0]);
    nodeString(r.root);
  }
});

test('nodeString: Go String() of each node kind (Go)', () => {
  const ok = parse('{{ $v := .a }}{{ $v = 2 }}{{ printf "%s" (include "x" .) | quote }}{{ template "n" }}{{ range $i, $e := . }}{{ continue }}{{ end }}');
  assert.deepEqual(
    ok.root.nodes.map((n) => nodeString(n)),
    ['{{$v := .a}}', '{{$v := 2}}', '{{printf "%s" (include "x" .) | quote}}', '{{template "n"}}', '{{range $i, $e := .}}{{continue}}{{end}}'],
  );
  assert.equal(nodeString(action(ok, 2).pipe.cmds[0]), 'printf "%s" (include "x" .)');
  assert.equal(goQuote('a"\\\n\t\u0000é\u00a0😀\u200b'), '"a\\"\\\\\\n\\t\\x00é\\u00a0😀\\u200b"');
});

test('lexer: token positions, lines and Go values', () => {
  const toks = lex('a\n{{- $x := .b | f 1 -}}\n c');
  assert.deepEqual(
    toks.map((t) => [t.typ, t.val, t.pos, t.line]),
    [
      [Tok.Text, 'a', 0, 1],
      [Tok.LeftDelim, '{{', 2, 2],
      [Tok.Variable, '$x', 6, 2],
      [Tok.Space, ' ', 8, 2],
      [Tok.Declare, ':=', 9, 2],
      [Tok.Space, ' ', 11, 2],
      [Tok.Field, '.b', 12, 2],
      [Tok.Space, ' ', 14, 2],
      [Tok.Pipe, '|', 15, 2],
      [Tok.Space, ' ', 16, 2],
      [Tok.Identifier, 'f', 17, 2],
      [Tok.Space, ' ', 18, 2],
      [Tok.Number, '1', 19, 2],
      [Tok.RightDelim, '}}', 22, 2],
      [Tok.Text, 'c', 26, 3],
      [Tok.EOF, '', 27, 3],
    ],
  );
});

const SHARED = join(ROOT, '..', 'shared', 'helm-charts');
test('every template under ../shared/helm-charts parses without error, fast', { skip: !existsSync(SHARED) }, () => {
  const files: string[] = [];
  for (const f of readdirSync(SHARED, { recursive: true })) {
    const p = String(f);
    if (/(^|\/)templates\/.*\.(ya?ml|tpl|txt)$/.test(p)) files.push(p);
  }
  assert.ok(files.length > 100);
  for (const f of files) {
    const t = parseTemplate(f, readFileSync(join(SHARED, f), 'utf8'), HELM);
    assert.equal(t.error, undefined, `${f}: ${t.error && formatParseError(f, t.error)}`);
  }
  const common = files.filter((f) => f.startsWith('bitnami/common/templates/')).map((f) => readFileSync(join(SHARED, f), 'utf8'));
  assert.ok(common.length > 10);
  let best = Infinity;
  for (let k = 0; k < 10; k++) {
    const t0 = performance.now();
    for (const s of common) parseTemplate('x', s, HELM);
    best = Math.min(best, performance.now() - t0);
  }
  assert.ok(best < 50, `bitnami/common parses in ${best.toFixed(1)} ms`);
});

test('no quadratic behaviour on long texts', () => {
  const unit = 'key: {{ .Values.a | default "x" | quote }}\n{{- if .b }}\n  y: {{ $.c }}\n{{- end }}\n';
  const time = (n: number) => {
    const s = unit.repeat(n);
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      parseTemplate('x', s, HELM);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  time(200);
  const small = time(1000);
  const big = time(8000);
  assert.ok(big < small * 8 * 4 + 20, `1000 units: ${small.toFixed(1)} ms, 8000 units: ${big.toFixed(1)} ms`);
});
