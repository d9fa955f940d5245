/**
 * The `helm` language: the TextMate grammar `syntaxes/helm.tmLanguage.json`, tokenized with
 * vscode-textmate + vscode-oniguruma as VS Code does, and `language-configuration-helm.json`.
 *
 * The grammar embeds VS Code's own `source.yaml` and injects template actions into it. VS Code's
 * YAML grammar is not part of this project, so the tests run on a small stand-in (`YAML_STUB`)
 * that nests the same kinds of YAML rules (keys, plain and quoted scalars, block scalars,
 * comments, flow collections) under the same scope names; when VS Code's real YAML grammar is
 * found on this machine (`KUBE_MANIFESTS_YAML_SYNTAXES` or a VS Code / code-server install under
 * `.cache` or `.vscode-test`), every inline sample is tokenized with it as well.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const ROOT = ((): string => {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
})();
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'helm.tmLanguage.json');
const CONFIG_PATH = path.join(ROOT, 'language-configuration-helm.json');
const HELM_CREATE = path.join(ROOT, '..', 'shared', 'helm-charts', 'helm-create', 'templates');

const ACTION = 'meta.embedded.template.helm';
const COMMENT = 'comment.block.helm';

/**
 * A stand-in for VS Code's source.yaml: the rule shapes that matter for injection (every YAML
 * construct a `{{` can sit in is a begin/end or begin/while rule, as in VS Code's grammar) with
 * VS Code's scope names.
 */
const YAML_STUB = {
  scopeName: 'source.yaml',
  patterns: [{ include: '#comment' }, { include: '#block-scalar' }, { include: '#key' }, { include: '#item' }, { include: '#value' }],
  repository: {
    comment: { name: 'comment.line.number-sign.yaml', begin: '(?:^|(?<=\\s))#', end: '$' },
    'block-scalar': {
      begin: '^(\\s*)([^\\s#:][^#:]*)(:)\\s+([|>][-+0-9]*)\\s*$',
      beginCaptures: { 2: { name: 'entity.name.tag.yaml' }, 4: { name: 'keyword.control.flow.block-scalar.literal.yaml' } },
      while: '^(?:\\1\\s+|\\s*$)',
      contentName: 'meta.scalar.yaml string.unquoted.block.yaml',
    },
    key: {
      begin: '^\\s*(?:(-)\\s+)?(?=[^\\s#\'"-][^#]*?:(?:\\s|$))',
      beginCaptures: { 1: { name: 'punctuation.definition.block.sequence.item.yaml' } },
      end: ':(?=\\s|$)',
      endCaptures: { 0: { name: 'punctuation.separator.map.value.yaml' } },
      contentName: 'entity.name.tag.yaml',
    },
    item: { match: '^\\s*(-)(?=\\s|$)', captures: { 1: { name: 'punctuation.definition.block.sequence.item.yaml' } } },
    value: { patterns: [{ include: '#flow-sequence' }, { include: '#double' }, { include: '#single' }, { include: '#plain' }] },
    'flow-sequence': {
      name: 'meta.flow.sequence.yaml',
      begin: '\\[',
      end: '\\]',
      patterns: [{ match: ',', name: 'punctuation.separator.sequence.yaml' }, { include: '#value' }],
    },
    double: { name: 'string.quoted.double.yaml', begin: '"', end: '"', patterns: [{ match: '\\\\.', name: 'constant.character.escape.yaml' }] },
    single: { name: 'string.quoted.single.yaml', begin: "'", end: "'(?!')" },
    plain: { name: 'string.unquoted.plain.out.yaml', begin: '[^\\s#\\[\\],]', end: '(?=\\s+#|\\s*$|[\\],])' },
  },
};

/** VS Code's YAML syntaxes folder on this machine, if any (never required). */
function realYamlSyntaxes(): string | undefined {
  const candidates = [process.env.KUBE_MANIFESTS_YAML_SYNTAXES ?? ''];
  for (const base of ['.cache', '.vscode-test']) {
    const dir = path.join(ROOT, base);
    if (!fs.existsSync(dir)) continue;
    for (const sub of fs.readdirSync(dir)) {
      candidates.push(path.join(dir, sub, 'node_modules/code-server/lib/vscode/extensions/yaml/syntaxes'));
      candidates.push(path.join(dir, sub, 'resources/app/extensions/yaml/syntaxes'));
      candidates.push(path.join(dir, sub, 'VSCode-linux-x64/resources/app/extensions/yaml/syntaxes'));
    }
  }
  return candidates.find((c) => c !== '' && fs.existsSync(path.join(c, 'yaml.tmLanguage.json')));
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;
function onig(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = fs.readFileSync(path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    return {
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

/** The helm grammar over the YAML stub, or over VS Code's YAML grammar files in `yamlDir`. */
async function loadHelm(yamlDir?: string): Promise<vsctm.IGrammar> {
  const registry = new vsctm.Registry({
    onigLib: onig(),
    loadGrammar: async (scopeName) => {
      if (scopeName === 'source.helm') return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
      if (!yamlDir) return scopeName === 'source.yaml' ? vsctm.parseRawGrammar(JSON.stringify(YAML_STUB), 'stub.json') : null;
      // source.yaml → yaml.tmLanguage.json, source.yaml.1.2 → yaml-1.2.tmLanguage.json ...
      const file = path.join(yamlDir, scopeName.replace(/^source\./, '').replace(/\.(?=\d|embedded)/, '-') + '.tmLanguage.json');
      return fs.existsSync(file) ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const contribution = pkg.contributes.grammars?.find((g) => g.scopeName === 'source.helm');
  const grammar = await registry.loadGrammarWithConfiguration('source.helm', 1, {
    balancedBracketSelectors: contribution?.balancedBracketScopes ?? ['*'],
    unbalancedBracketSelectors: contribution?.unbalancedBracketScopes ?? [],
  });
  assert.ok(grammar, 'source.helm loads');
  return grammar;
}

interface Token {
  line: number;
  start: number;
  text: string;
  scopes: string[];
  /** Bracket pair colourization and matching count brackets in this token (VS Code's balanced bit). */
  balanced: boolean;
}

/** Tokens of `text`, line by line, carrying the rule stack as VS Code does. */
function tokenize(grammar: vsctm.IGrammar, text: string): Token[] {
  const out: Token[] = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((line, n) => {
    const r = grammar.tokenizeLine(line, stack);
    const binary = grammar.tokenizeLine2(line, stack).tokens;
    const balancedAt = (offset: number): boolean => {
      let meta = 0;
      for (let i = 0; i < binary.length; i += 2) if (binary[i] <= offset) meta = binary[i + 1];
      return (meta & 0b100_0000_0000) !== 0; // EncodedTokenAttributes: BALANCED_BRACKETS_MASK
    };
    for (const t of r.tokens) {
      out.push({ line: n, start: t.startIndex, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, balanced: balancedAt(t.startIndex) });
    }
    stack = r.ruleStack;
  });
  return out;
}

/** The token that is exactly `needle`, give or take white space (the nth such token): token boundaries are what a theme colours. */
function tokenOf(tokens: Token[], needle: string, nth = 0): Token {
  const found = tokens.filter((t) => t.text === needle || t.text.trim() === needle);
  assert.ok(found[nth], `no token ${JSON.stringify(needle)} (#${nth}) in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found[nth];
}

/** Asserts the token has a scope starting with each of `expected` (e.g. `keyword.control`), and none of `absent`. */
function hasScopes(tok: Token, expected: string[], absent: string[] = []): void {
  for (const e of expected) {
    assert.ok(tok.scopes.some((s) => s === e || s.startsWith(e + '.')), `${JSON.stringify(tok.text)} should have ${e}, has ${tok.scopes.join(' ')}`);
  }
  for (const a of absent) {
    assert.ok(!tok.scopes.some((s) => s === a || s.startsWith(a + '.')), `${JSON.stringify(tok.text)} should not have ${a}, has ${tok.scopes.join(' ')}`);
  }
}

interface PackageJson {
  contributes: {
    languages?: Array<{ id: string; aliases?: string[]; filenamePatterns?: string[]; configuration?: string }>;
    grammars?: Array<{ language?: string; scopeName: string; path: string; balancedBracketScopes?: string[]; unbalancedBracketScopes?: string[] }>;
  };
}

/** The inline samples, run on the stub and, when present, on VS Code's YAML grammar. */
function samples(label: string, load: () => Promise<vsctm.IGrammar>): void {
  const t = (name: string, fn: (g: vsctm.IGrammar) => void): void => {
    test(`${label}: ${name}`, async () => fn(await load()));
  };

  t('an action after `key: ` is a template: delimiters, include, its string, the dot', (g) => {
    const toks = tokenize(g, 'metadata:\n  name: {{ include "mychart.fullname" . }}');
    hasScopes(tokenOf(toks, 'name'), ['entity.name.tag.yaml'], [ACTION]);
    hasScopes(tokenOf(toks, '{{'), [ACTION, 'punctuation.section.embedded.begin.helm']);
    hasScopes(tokenOf(toks, 'include'), [ACTION, 'keyword.control.include.helm']);
    hasScopes(tokenOf(toks, 'mychart.fullname'), [ACTION, 'string.quoted.double.helm']);
    hasScopes(tokenOf(toks, '.'), [ACTION, 'variable.language.dot.helm']);
    hasScopes(tokenOf(toks, '}}'), [ACTION, 'punctuation.section.embedded.end.helm']);
  });

  t('actions inside a quoted YAML string are templates, the text between them stays string', (g) => {
    const toks = tokenize(g, 'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"');
    hasScopes(tokenOf(toks, 'Values'), ['string.quoted.double.yaml', ACTION, 'variable.language.values.helm']);
    hasScopes(tokenOf(toks, 'repository'), [ACTION, 'variable.other.property.helm']);
    hasScopes(tokenOf(toks, 'tag'), [ACTION, 'variable.other.property.helm']);
    hasScopes(tokenOf(toks, ':', 1), ['string.quoted.double.yaml'], [ACTION]);
    hasScopes(tokenOf(toks, '|'), [ACTION, 'keyword.operator.pipe.helm']);
    hasScopes(tokenOf(toks, 'default'), [ACTION, 'support.function.helm']);
    hasScopes(tokenOf(toks, 'Chart'), [ACTION, 'variable.language.chart.helm']);
    hasScopes(tokenOf(toks, 'AppVersion'), [ACTION, 'variable.other.property.helm']);
    hasScopes(tokenOf(toks, '"', 1), ['string.quoted.double.yaml'], [ACTION]); // the closing quote is YAML's again
  });

  t('a template string inside a YAML string does not end the YAML string', (g) => {
    const toks = tokenize(g, 'value: "{{ printf "%s-%d" .Release.Name 3 }}-x"');
    hasScopes(tokenOf(toks, '%s'), [ACTION, 'string.quoted.double.helm', 'constant.other.placeholder.helm']);
    hasScopes(tokenOf(toks, 'printf'), [ACTION, 'support.function.builtin.helm']);
    hasScopes(tokenOf(toks, 'Release'), [ACTION, 'variable.language.release.helm']);
    hasScopes(tokenOf(toks, '3'), [ACTION, 'constant.numeric.helm']);
    hasScopes(tokenOf(toks, '-x'), ['string.quoted.double.yaml'], [ACTION]);
  });

  t('an action in a key, and in the middle of a key', (g) => {
    const toks = tokenize(g, '{{ .Values.annotationKey }}: value\napp.kubernetes.io/{{ .Chart.Name }}: x');
    hasScopes(tokenOf(toks, 'annotationKey'), [ACTION, 'variable.other.property.helm']);
    hasScopes(tokenOf(toks, 'value'), [], [ACTION]);
    hasScopes(tokenOf(toks, 'app.kubernetes.io/'), ['entity.name.tag.yaml'], [ACTION]);
    hasScopes(tokenOf(toks, 'Name'), ['entity.name.tag.yaml', ACTION, 'variable.other.property.helm']);
  });

  t('an action after `- ` and in a sequence item map', (g) => {
    const toks = tokenize(g, 'args:\n  - {{ toYaml .Values.args | nindent 4 }}\n  - name: {{ .Values.name | quote }}');
    hasScopes(tokenOf(toks, '{{'), [ACTION, 'punctuation.section.embedded.begin.helm']);
    hasScopes(tokenOf(toks, 'toYaml'), [ACTION, 'support.function.helm']);
    hasScopes(tokenOf(toks, '4'), [ACTION, 'constant.numeric.helm']);
    hasScopes(tokenOf(toks, 'quote'), [ACTION, 'support.function.helm']);
    hasScopes(tokenOf(toks, 'name'), ['entity.name.tag.yaml'], [ACTION]);
  });

  t('an action in a block scalar, and the lines after it', (g) => {
    const toks = tokenize(g, 'data:\n  app.conf: |\n    port = {{ .Values.port }}\n    # {{ .Values.note }}\n    plain text\nnext: 1');
    hasScopes(tokenOf(toks, 'port'), [ACTION, 'variable.other.property.helm']);
    hasScopes(tokenOf(toks, 'Values'), ['string.unquoted.block.yaml', ACTION, 'variable.language.values.helm']);
    hasScopes(tokenOf(toks, 'note'), [ACTION, 'variable.other.property.helm']);
    hasScopes(tokenOf(toks, 'plain text'), ['string.unquoted.block.yaml'], [ACTION]);
    hasScopes(tokenOf(toks, 'next'), ['entity.name.tag.yaml'], ['string.unquoted.block.yaml']);
  });

  t('an action in a flow sequence', (g) => {
    const toks = tokenize(g, 'command: [{{ .Values.cmd | quote }}, "b"]');
    hasScopes(tokenOf(toks, 'cmd'), ['meta.flow.sequence.yaml', ACTION, 'variable.other.property.helm']);
    hasScopes(tokenOf(toks, ']'), ['meta.flow.sequence.yaml'], [ACTION]);
  });

  t('an action in a YAML comment is still a template (Helm executes it); a # inside an action is not a comment', (g) => {
    const toks = tokenize(g, '# replicas: {{ .Values.replicaCount }}\nkey: {{ printf "#%s" .x }} # note');
    hasScopes(tokenOf(toks, 'replicaCount'), ['comment.line.number-sign.yaml', ACTION, 'variable.other.property.helm']);
    const hash = toks.find((x) => x.line === 1 && x.text.startsWith('#'))!;
    hasScopes(hash, [ACTION, 'string.quoted.double.helm'], ['comment.line']);
    hasScopes(tokenOf(toks, 'x'), [ACTION, 'variable.other.property.helm'], ['comment.line']);
    const note = toks.filter((x) => x.line === 1 && x.start > 'key: {{ printf "#%s" .x }}'.length);
    assert.ok(note.some((x) => x.scopes.some((s) => s.startsWith('comment.line'))), 'the # after the action starts a YAML comment');
    assert.ok(note.every((x) => !x.scopes.includes(ACTION)));
  });

  t('template comments, one-line and multi-line; {{ /* is not a comment in Go', (g) => {
    const toks = tokenize(g, '{{/* Expand the name of the chart. */}}\n{{- /*\n  several lines\n*/ -}}\nname: x\n{{ /* x */ }}');
    hasScopes(tokenOf(toks, '{{/*'), [COMMENT, 'punctuation.definition.comment.begin.helm']);
    hasScopes(tokenOf(toks, ' Expand the name of the chart. '), [COMMENT]);
    hasScopes(tokenOf(toks, '*/}}'), [COMMENT, 'punctuation.definition.comment.end.helm']);
    hasScopes(tokenOf(toks, '{{- /*'), [COMMENT]);
    hasScopes(tokenOf(toks, '  several lines'), [COMMENT]);
    hasScopes(tokenOf(toks, '*/ -}}'), [COMMENT, 'punctuation.definition.comment.end.helm']);
    hasScopes(tokenOf(toks, 'name'), ['entity.name.tag.yaml'], [COMMENT]);
    hasScopes(tokenOf(toks, '{{'), [ACTION, 'punctuation.section.embedded.begin.helm'], [COMMENT]);
  });

  t('trim markers belong to the delimiters; {{-3}} is the number -3', (g) => {
    const toks = tokenize(g, '{{- if .Values.enabled -}}\n{{-3}}');
    hasScopes(tokenOf(toks, '{{-'), ['punctuation.section.embedded.begin.helm']);
    hasScopes(tokenOf(toks, 'if'), ['keyword.control.if.helm']);
    hasScopes(tokenOf(toks, '-}}'), ['punctuation.section.embedded.end.helm']);
    hasScopes(tokenOf(toks, '{{'), ['punctuation.section.embedded.begin.helm']);
    hasScopes(tokenOf(toks, '-3'), [ACTION, 'constant.numeric.helm']);
  });

  t('keywords, variables, assignment and the comma of range', (g) => {
    const src = [
      '{{- define "mychart.labels" -}}',
      '{{- range $i, $port := .Values.ports }}',
      '{{- if eq $i 0 }}{{ continue }}{{ else if not $port }}{{ break }}{{ end }}',
      '{{- with .Values.x }}{{ $name = . }}{{ template "mychart.name" $ }}{{ end }}',
      '{{ block "mychart.extra" . }}{{ end }}',
    ].join('\n');
    const toks = tokenize(g, src);
    hasScopes(tokenOf(toks, 'define'), ['keyword.control.define.helm']);
    hasScopes(tokenOf(toks, '"mychart.labels"'), ['string.quoted.double.helm', 'entity.name.function.helm']);
    hasScopes(tokenOf(toks, 'range'), ['keyword.control.range.helm']);
    hasScopes(tokenOf(toks, '$'), ['variable.other.helm', 'punctuation.definition.variable.helm']);
    hasScopes(tokenOf(toks, 'i'), ['variable.other.helm']);
    hasScopes(tokenOf(toks, ','), ['punctuation.separator.comma.helm']);
    hasScopes(tokenOf(toks, ':='), ['keyword.operator.assignment']);
    hasScopes(tokenOf(toks, 'ports'), ['variable.other.property.helm']);
    hasScopes(tokenOf(toks, 'eq'), ['support.function.builtin.helm']);
    hasScopes(tokenOf(toks, 'continue'), ['keyword.control.continue.helm']);
    hasScopes(tokenOf(toks, 'else'), ['keyword.control.else.helm']);
    hasScopes(tokenOf(toks, 'if', 1), ['keyword.control.if.helm']);
    hasScopes(tokenOf(toks, 'break'), ['keyword.control.break.helm']);
    hasScopes(tokenOf(toks, 'end'), ['keyword.control.end.helm']);
    hasScopes(tokenOf(toks, 'with'), ['keyword.control.with.helm']);
    hasScopes(tokenOf(toks, '='), ['keyword.operator.assignment.helm']);
    hasScopes(tokenOf(toks, 'template'), ['keyword.control.template.helm']);
    hasScopes(tokenOf(toks.filter((x) => x.line === 3), '$', 1), ['variable.language.root.helm']);
    hasScopes(tokenOf(toks, 'block'), ['keyword.control.block.helm']);
    hasScopes(tokenOf(toks, '"mychart.extra"'), ['entity.name.function.helm']);
  });

  t('a field named like a keyword or function is a field', (g) => {
    const toks = tokenize(g, '{{ .Values.range.end.include }} {{ $.Values.if }} {{ $cfg.Values }}');
    hasScopes(tokenOf(toks, 'range'), ['variable.other.property.helm'], ['keyword']);
    hasScopes(tokenOf(toks, 'end'), ['variable.other.property.helm'], ['keyword']);
    hasScopes(tokenOf(toks, 'include'), ['variable.other.property.helm'], ['keyword']);
    hasScopes(tokenOf(toks, 'if'), ['variable.other.property.helm'], ['keyword']);
    hasScopes(tokenOf(toks, 'Values', 1), ['variable.language.values.helm']); // $.Values is the root's
    hasScopes(tokenOf(toks, 'Values', 2), ['variable.other.property.helm']); // a field of $cfg
  });

  t('numbers, characters, constants, raw strings over lines, the {{ "{{" }} escape', (g) => {
    const toks = tokenize(g, '{{ add 0x1F 1_000 1.5e3 .5 -2 }} {{ \'\\n\' }} {{ true }} {{ nil }}\nk: {{ `a\nb` }}: v\nl: "{{ "{{" }}"');
    for (const n of ['0x1F', '1_000', '1.5e3', '.5', '-2']) hasScopes(tokenOf(toks, n), ['constant.numeric.helm']);
    hasScopes(tokenOf(toks, "'\\n'"), ['constant.character.helm']);
    hasScopes(tokenOf(toks, 'true'), ['constant.language.helm']);
    hasScopes(tokenOf(toks, 'nil'), ['constant.language.helm']);
    hasScopes(tokenOf(toks, 'a'), [ACTION, 'string.quoted.other.raw.helm']);
    hasScopes(tokenOf(toks, 'b'), [ACTION, 'string.quoted.other.raw.helm']);
    const inner = toks.find((x) => x.line === 3 && x.text === '{{' && x.start > 5)!;
    hasScopes(inner, [ACTION, 'string.quoted.double.helm'], ['punctuation.section.embedded']);
  });

  t('an action over several lines; an unclosed paren does not swallow the rest of the file', (g) => {
    const toks = tokenize(g, '{{- $cfg := dict\n    "port" .Values.port\n    "host" "x" }}\nname: {{ (include "x" . }}\nkind: Service');
    hasScopes(tokenOf(toks, 'dict'), [ACTION, 'support.function.helm']);
    hasScopes(tokenOf(toks, 'port'), [ACTION, 'string.quoted.double.helm']);
    hasScopes(tokenOf(toks, 'host'), [ACTION, 'string.quoted.double.helm']);
    hasScopes(tokenOf(toks, '}}'), ['punctuation.section.embedded.end.helm']);
    hasScopes(tokenOf(toks, '}}', 1), ['punctuation.section.embedded.end.helm']);
    hasScopes(tokenOf(toks, 'kind'), ['entity.name.tag.yaml'], [ACTION]);
  });

  t('brackets inside actions count for bracket matching, even in block scalars; text brackets in block scalars do not', (g) => {
    const toks = tokenize(g, 'data:\n  x: |\n    (text) {{ (index .Values "a") }}');
    const text = toks.find((x) => x.line === 2 && x.text.includes('(text)'))!;
    assert.equal(text.balanced, false);
    const paren = toks.find((x) => x.line === 2 && x.text === '(')!;
    hasScopes(paren, [ACTION, 'punctuation.section.parens.begin.helm']);
    assert.equal(paren.balanced, true);
    assert.equal(tokenOf(toks, '{{').balanced, true);
  });
}

samples('stub YAML', () => loadHelm());
const realYaml = realYamlSyntaxes();
if (realYaml) samples("VS Code's YAML grammar", () => loadHelm(realYaml));
else test("VS Code's YAML grammar: samples", { skip: 'no VS Code YAML grammar on this machine (set KUBE_MANIFESTS_YAML_SYNTAXES)' }, () => undefined);

/**
 * Where the actions of a template are, found independently of the grammar (Go's lexer rules:
 * comments `{{/*`/`{{- /*` to `*\/}}`/`*\/ -}}`, strings, raw strings and characters skipped).
 */
function actionSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let i = 0;
  while ((i = text.indexOf('{{', i)) >= 0) {
    const start = i;
    const comment = /^\{\{(?:-\s)?\/\*/.exec(text.slice(i, i + 6));
    if (comment) {
      const m = /\*\/(?:\s-)?\}\}/g;
      m.lastIndex = i;
      const end = m.exec(text);
      i = end ? end.index + end[0].length : text.length;
    } else {
      i += 2;
      while (i < text.length && !text.startsWith('}}', i)) {
        const c = text[i];
        if (c === '"' || c === '`' || c === "'") {
          i++;
          while (i < text.length && text[i] !== c && !(c !== '`' && text[i] === '\n')) i += text[i] === '\\' && c !== '`' ? 2 : 1;
        }
        i++;
      }
      i += 2;
    }
    spans.push([start, Math.min(i, text.length)]);
  }
  return spans;
}

const chartFiles = fs.existsSync(HELM_CREATE)
  ? fs.readdirSync(HELM_CREATE, { recursive: true }).map(String).filter((f) => /\.(ya?ml|tpl|txt)$/.test(f))
  : [];
const chartSkip = chartFiles.length ? false : `no helm create chart at ${HELM_CREATE}`;

test('helm create templates: every character of every action, and nothing else, is coloured as a template', { skip: chartSkip }, async () => {
  const grammars = [await loadHelm(), ...(realYaml ? [await loadHelm(realYaml)] : [])];
  for (const g of grammars) {
    for (const f of chartFiles) {
      const text = fs.readFileSync(path.join(HELM_CREATE, f), 'utf8');
      const lineStarts = [0];
      for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);
      const spans = actionSpans(text);
      const inAction = (offset: number): boolean => spans.some(([s, e]) => offset >= s && offset < e);
      for (const tok of tokenize(g, text)) {
        if (tok.text.trim() === '') continue;
        const offset = lineStarts[tok.line] + tok.start;
        const coloured = tok.scopes.includes(ACTION) || tok.scopes.includes(COMMENT);
        assert.equal(coloured, inAction(offset), `${f}:${tok.line + 1}:${tok.start + 1} ${JSON.stringify(tok.text)} ${tok.scopes.join(' ')}`);
      }
    }
  }
});

test('helm create templates: the lines people look at', { skip: chartSkip }, async () => {
  const g = await loadHelm();
  const deployment = fs.readFileSync(path.join(HELM_CREATE, 'deployment.yaml'), 'utf8');
  const lineOf = (text: string, needle: string): string => {
    const line = text.split('\n').find((l) => l.includes(needle));
    assert.ok(line, `a line with ${needle}`);
    return line;
  };
  let toks = tokenize(g, lineOf(deployment, '.Values.image.tag'));
  hasScopes(tokenOf(toks, 'image'), ['entity.name.tag.yaml']);
  hasScopes(tokenOf(toks, 'tag'), ['string.quoted.double.yaml', ACTION, 'variable.other.property.helm']);
  hasScopes(tokenOf(toks, 'default'), [ACTION, 'support.function.helm']);

  toks = tokenize(g, lineOf(deployment, '{{- include'));
  hasScopes(tokenOf(toks, '{{-'), ['punctuation.section.embedded.begin.helm']);
  hasScopes(tokenOf(toks, 'include'), ['keyword.control.include.helm']);
  hasScopes(tokenOf(toks, 'nindent'), ['support.function.helm']);

  toks = tokenize(g, lineOf(deployment, 'toYaml'));
  hasScopes(tokenOf(toks, 'toYaml'), [ACTION, 'support.function.helm']);

  const helpers = fs.readFileSync(path.join(HELM_CREATE, '_helpers.tpl'), 'utf8');
  toks = tokenize(g, helpers);
  hasScopes(tokenOf(toks, '{{/*'), [COMMENT]);
  hasScopes(tokenOf(toks, 'define'), ['keyword.control.define.helm']);
  const defined = toks.find((x) => x.scopes.includes('entity.name.function.helm'));
  assert.ok(defined && /^"[\w.-]+"$/.test(defined.text), 'the first define names a template');
  hasScopes(tokenOf(toks, 'trunc'), [ACTION, 'support.function.helm']);
});

// ---- language configuration -----------------------------------------------------------------

interface LanguageConfiguration {
  comments: { lineComment: string; blockComment: [string, string] };
  brackets: Array<[string, string]>;
  autoClosingPairs: Array<{ open: string; close: string; notIn?: string[] }>;
  folding: { offSide: boolean; markers: { start: string; end: string } };
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
}
const config = JSON.parse(fs.readFileSync(CONFIG_PATH, 'utf8')) as LanguageConfiguration;

test('Toggle Block Comment writes a comment Go accepts, and the grammar greys it out', async () => {
  const [open, close] = config.comments.blockComment;
  const commented = `${open} replicas: {{ .Values.replicaCount }} ${close}`; // VS Code inserts a space on each side
  assert.ok(/^\{\{(?:-\s)?\/\*/.test(commented) && /\*\/(?:\s-)?\}\}$/.test(commented));
  const toks = tokenize(await loadHelm(), commented);
  assert.ok(toks.every((t) => t.scopes.includes(COMMENT)), toks.map((t) => `${t.text}: ${t.scopes.join(' ')}`).join('\n'));
  assert.equal(config.comments.lineComment, '#');
});

test('{{ is a bracket pair and closes itself', () => {
  assert.ok(config.brackets.some(([o, c]) => o === '{{' && c === '}}'));
  assert.ok(config.autoClosingPairs.some((p) => p.open === '{{' && p.close === '}}'));
  assert.deepEqual(config.autoClosingPairs.find((p) => p.open === '`')?.notIn, ['string', 'comment']);
});

/** The fold ranges VS Code's indent-range provider makes from the markers alone (bottom-up stack). */
function markerFolds(text: string): Array<[number, number]> {
  const start = new RegExp(config.folding.markers.start);
  const end = new RegExp(config.folding.markers.end);
  const lines = text.split('\n');
  const ends: number[] = [];
  const folds: Array<[number, number]> = [];
  for (let n = lines.length - 1; n >= 0; n--) {
    if (start.test(lines[n])) {
      const e = ends.pop();
      if (e !== undefined) folds.push([n + 1, e + 1]);
    } else if (end.test(lines[n])) ends.push(n);
  }
  return folds.reverse();
}

test('folding: define, if, range, with, block and multi-line comments fold to their end; one-liners do not', () => {
  const text = [
    '{{/*', // 1
    'Expand the name of the chart.',
    '*/}}', // 3
    '{{- define "mychart.name" -}}', // 4
    '{{- if .Values.nameOverride }}{{ .Values.nameOverride }}{{- end }}',
    '{{/* a one-line comment */}}',
    '  {{- range .Values.hosts }}', // 7
    '  - {{ . | quote }}',
    '  {{- end }}', // 9
    '{{- with .Values.x }}', // 10
    'x: {{ . }}',
    '{{- else }}',
    'x: none',
    '{{- end }}', // 14
    '{{- end }}', // 15
    '{{ block "b" . }}{{ end }}',
  ].join('\n');
  assert.deepEqual(markerFolds(text), [
    [1, 3],
    [4, 15],
    [7, 9],
    [10, 14],
  ]);
});

test('indentation: Enter after `key:`, `- ` or `key: |` indents; after an action or a value it does not', () => {
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  for (const line of ['spec:', '  containers:', '  - ', 'data: |', 'script: >-', 'labels: {', 'anchors: &base']) {
    assert.ok(increase.test(line), `indent after ${JSON.stringify(line)}`);
  }
  for (const line of ['name: x', '{{- end }}', '  {{- with .Values.x }}', 'key: {{-', '{{- include "x" . | nindent 4 -}}', 'image: "{{ .Values.image }}"']) {
    assert.ok(!increase.test(line), `no indent after ${JSON.stringify(line)}`);
  }
});

// ---- package.json and the .vsix --------------------------------------------------------------

test('package.json contributes the helm language with this grammar and configuration, and the .vsix keeps them', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const lang = pkg.contributes.languages?.find((l) => l.id === 'helm');
  assert.ok(lang, 'language helm');
  assert.deepEqual(lang.filenamePatterns, ['**/templates/**/*.yaml', '**/templates/**/*.yml', '**/templates/**/*.tpl', '**/templates/NOTES.txt']);
  const grammar = pkg.contributes.grammars?.find((g) => g.language === 'helm');
  assert.ok(grammar, 'grammar for helm');
  const raw = JSON.parse(fs.readFileSync(path.join(ROOT, grammar.path), 'utf8')) as { scopeName: string };
  assert.equal(grammar.scopeName, raw.scopeName);
  assert.equal(grammar.scopeName, 'source.helm'); // the scope other Helm extensions and theme rules use
  assert.ok(lang.configuration && fs.existsSync(path.join(ROOT, lang.configuration)));

  // vsce: everything is ignored (`**`) except what a `!` line re-includes.
  const includes = fs
    .readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('!'))
    .map((l) => new RegExp('^' + l.slice(1).trim().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*') + '$'));
  for (const file of [grammar.path, lang.configuration]) {
    const rel = path.posix.normalize(file);
    assert.ok(includes.some((r) => r.test(rel)), `${rel} is packaged`);
  }
});
