/**
 * The documentation table of template functions (server/src/features/helm/functionDocs.ts)
 * against the engine: every callable name has a doc and every doc names something callable (so
 * the table cannot drift from the function map), signatures have the engine's arity, and every
 * example renders through `renderBare` to exactly the documented output. Examples of random,
 * clock and key functions are illustrative: the list of them is asserted, and they must still
 * render without an error.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  allFunctionDocs,
  FunctionDoc,
  functionCompletionDetail,
  functionDoc,
  functionHoverMarkdown,
  isRemovedFunction,
} from '../../../server/src/features/helm/functionDocs';
import { BUILTINS } from '../../../server/src/helm/builtins';
import { funcMapFor, renderBare } from '../../../server/src/helm/index';

const KEYWORDS = ['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue'];
/** Bound per render by the engine, so not in funcMapFor. */
const ENGINE_BOUND = new Map([['include', 2], ['tpl', 2]]);
const EXAMPLE_FILE = 'mychart/templates/example.yaml';

function callableNames(): Set<string> {
  return new Set([...funcMapFor(true).keys(), ...BUILTINS.keys(), ...ENGINE_BOUND.keys(), 'required', 'fail']);
}

function render(template: string): { output?: string; error?: string } {
  return renderBare([{ name: EXAMPLE_FILE, text: template }], EXAMPLE_FILE, {});
}

test('every function of the engine, the engine-bound ones, the Go builtins and the keywords have a doc', () => {
  const missing = [...callableNames(), ...KEYWORDS].filter((n) => functionDoc(n) === undefined);
  assert.deepEqual(missing, []);
  for (const n of ['include', 'tpl', 'required', 'fail', 'lookup', 'toYaml', 'mustToDuration', 'and', 'urlquery', 'if', 'continue']) {
    assert.ok(functionDoc(n), n);
  }
});

test('every doc names a real function or keyword, once, with the right kind', () => {
  const callable = callableNames();
  const seen = new Set<string>();
  for (const d of allFunctionDocs()) {
    assert.ok(!seen.has(d.name), `duplicate doc ${d.name}`);
    seen.add(d.name);
    if (KEYWORDS.includes(d.name)) {
      assert.equal(d.kind, 'keyword', d.name);
      assert.equal(d.returns, undefined, d.name);
    } else {
      assert.ok(callable.has(d.name), `${d.name} is documented but the engine has no such function`);
      assert.equal(d.kind, 'function', d.name);
    }
    assert.ok(d.description.length > 10 && /[.)`]$/.test(d.description), `${d.name}: description should be a sentence`);
    assert.ok(d.family.length > 0, d.name);
    assert.equal(functionDoc(d.name), d);
  }
  assert.equal(seen.size, callable.size + KEYWORDS.length);
});

test('env and expandenv are documented as removed by Helm and never offered', () => {
  for (const n of ['env', 'expandenv']) {
    assert.equal(funcMapFor(true).has(n), false, `${n} is in Helm's map after all`);
    const d = functionDoc(n)!;
    assert.match(d.deprecated!, new RegExp(`^Helm removes \`${n}\` from its templates: a chart that calls it fails with \`function "${n}" not defined\``));
    assert.ok(isRemovedFunction(n));
    assert.ok(!allFunctionDocs().includes(d));
    // The message the doc quotes is the engine's.
    assert.equal(render(`{{ ${n} "HOME" }}`).error, `parse error at (${EXAMPLE_FILE}:1): function "${n}" not defined`);
  }
  assert.equal(isRemovedFunction('indent'), false);
});

/** Parameters of a signature: required ones (not in brackets, not `X...`) and whether it has optional or repeated ones. */
function arity(signature: string): { required: number; open: boolean } {
  const params = signature.split(' ').slice(1).join(' ');
  const open = params.includes('...') || params.includes('[');
  let rest = params;
  // Innermost optional groups first: `[START [STEP]]`.
  while (/\[[^[\]]*\]/.test(rest)) rest = rest.replace(/\[[^[\]]*\](\.\.\.)?/g, '');
  const required = rest
    .split(' ')
    .filter((t) => t !== '' && !t.endsWith('...')).length;
  return { required, open };
}

/**
 * Variadic in Go, but documented with the one value people pass: sprig declares `default`'s
 * GIVEN as `...interface{}` only so that a missing piped value still works.
 */
const VARIADIC_SHOWN_FIXED = new Set(['default']);

test('signatures start with the name and have the arity of the engine\'s function', () => {
  const funcs = funcMapFor(true);
  for (const d of allFunctionDocs()) {
    assert.ok(d.signature === d.name || d.signature.startsWith(d.name + ' '), `${d.name}: ${d.signature}`);
    assert.match(d.signature, /^[A-Za-z0-9_]+( ("[A-Z_]+"|[A-Z][A-Z0-9_]*(\.\.\.)?|\[[A-Z_]+ \[[A-Z_]+\]\]|\[[A-Z_]+\]|\[[A-Z_]+ [A-Z_]+\]\.\.\.))*$/, d.name);
    if (d.kind === 'keyword') continue;
    const { required, open } = arity(d.signature);
    if (ENGINE_BOUND.has(d.name)) {
      assert.deepEqual({ required, open }, { required: ENGINE_BOUND.get(d.name)!, open: false }, d.name);
      continue;
    }
    const def = funcs.get(d.name) ?? BUILTINS.get(d.name)!;
    if (def.variadic === undefined || VARIADIC_SHOWN_FIXED.has(d.name)) {
      const fixed = def.params.length + (def.variadic === undefined ? 0 : 1);
      assert.deepEqual({ required, open }, { required: fixed, open: false }, `${d.name}: ${d.signature}`);
    } else {
      assert.ok(open, `${d.name} is variadic: ${d.signature}`);
      assert.ok(required >= def.params.length, `${d.name} has ${def.params.length} fixed parameters: ${d.signature}`);
    }
  }
  assert.deepEqual(arity('seq [START [STEP]] END'), { required: 1, open: true });
  assert.deepEqual(arity('dig KEY... DEFAULT DICT'), { required: 2, open: true });
});

/** Examples whose output is random or depends on the clock: shown, not reproduced. Keep this short. */
const ILLUSTRATIVE = [
  'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'shuffle', 'randInt', 'randBytes', 'uuidv4',
  'bcrypt', 'htpasswd', 'encryptAES', 'genPrivateKey', 'buildCustomCert', 'genCA', 'genCAWithKey',
  'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'now', 'ago',
];

test('the illustrative examples are exactly the random, clock and key functions', () => {
  const illustrative = allFunctionDocs().filter((d) => d.example?.illustrative).map((d) => d.name);
  assert.deepEqual(illustrative.sort(), [...ILLUSTRATIVE].sort());
  assert.ok(illustrative.length * 10 < allFunctionDocs().length, 'illustrative examples should stay a small minority');
});

test('only functions nobody can show an example for go without one', () => {
  const without = allFunctionDocs().filter((d) => !d.example).map((d) => d.name);
  assert.deepEqual(without, ['call']);
});

test('every example renders through the engine to exactly the documented output', () => {
  const wrong: string[] = [];
  for (const d of allFunctionDocs()) {
    const e = d.example;
    if (!e || e.illustrative) continue;
    const r = render(e.template);
    const got = e.error ? r.error : r.output;
    if (got !== e.output) wrong.push(`${d.name}: ${JSON.stringify(e.template)}\n  documented ${JSON.stringify(e.output)}\n  rendered   ${JSON.stringify(r)}`);
  }
  assert.equal(wrong.join('\n'), '');
});

test('every example uses the function it documents', () => {
  for (const d of allFunctionDocs()) {
    if (!d.example) continue;
    assert.match(d.example.template, new RegExp(`\\{\\{-? [^}]*\\b${d.name}\\b`), d.name);
  }
});

test('illustrative examples still render without an error (except those reading chart values)', () => {
  for (const d of allFunctionDocs()) {
    const e = d.example;
    if (!e?.illustrative || e.template.includes('.Values')) continue;
    const r = render(e.template);
    assert.equal(r.error, undefined, `${d.name}: ${r.error}`);
    assert.ok(r.output && r.output.length > 0, d.name);
  }
});

test('examples with an error show the message Helm prints', () => {
  const failing = allFunctionDocs().filter((d) => d.example?.error).map((d) => d.name);
  assert.deepEqual(failing, ['required', 'fail']);
  assert.equal(
    functionDoc('fail')!.example!.output,
    'execution error at (mychart/templates/example.yaml:1:39): replicas must be at least 1',
  );
});

test('completion detail: the signature with its result in plain words', () => {
  assert.equal(functionCompletionDetail('indent'), 'indent N STRING → string');
  assert.equal(functionCompletionDetail('default'), 'default DEFAULT_VALUE GIVEN');
  assert.equal(functionCompletionDetail('split'), 'split SEPARATOR STRING → dict');
  assert.equal(functionCompletionDetail('until'), 'until COUNT → list of ints');
  assert.equal(functionCompletionDetail('genCA'), 'genCA COMMON_NAME DAYS → certificate');
  assert.equal(functionCompletionDetail('include'), 'include NAME DATA → string');
  assert.equal(functionCompletionDetail('fail'), 'fail MESSAGE');
  assert.equal(functionCompletionDetail('len'), 'len VALUE → int');
  assert.equal(functionCompletionDetail('if'), 'if CONDITION');
  assert.equal(functionCompletionDetail('nope'), undefined);
});

test('hover of nindent: signature, description, example as blocks, note, family', () => {
  assert.equal(
    functionHoverMarkdown('nindent'),
    [
      '```helm\nnindent N STRING → string\n```',
      'Like `indent`, but starts with a newline: every line of STRING on a new line, indented by N spaces.',
      'Example:\n\n```helm\nmetadata:\n  labels:\n    {{- dict "app" "web" | toYaml | nindent 4 }}\n```\n\nrenders\n\n```\nmetadata:\n  labels:\n    app: web\n```',
      "Write `{{-` so the spaces before the action and the line break are removed; N is the column where the content must start (the parent key's indentation plus 2).",
      '*Sprig strings*',
    ].join('\n\n'),
  );
});

test('hover of default: a one-line example inline', () => {
  assert.equal(
    functionHoverMarkdown('default'),
    [
      '```helm\ndefault DEFAULT_VALUE GIVEN\n```',
      'GIVEN, unless it is empty or missing; then DEFAULT_VALUE.',
      'Example: `{{ .Values.tag | default "latest" }}` → `latest`',
      '`false`, `0`, `""`, `[]` and `{}` count as empty too: `default true .Values.enabled` is true even when a user sets `enabled: false`. To honour an explicit `false`, test `hasKey .Values "enabled"`.',
      '*Sprig defaults*',
    ].join('\n\n'),
  );
});

test('hover of a deprecated alias and of a removed function says so first', () => {
  const trimall = functionHoverMarkdown('trimall')!;
  assert.ok(trimall.startsWith('```helm\ntrimall CHARACTERS STRING → string\n```\n\n**Deprecated:** Sprig deprecates `trimall`; use `trimAll`, which does the same.\n\n'));
  const env = functionHoverMarkdown('env')!;
  assert.ok(env.startsWith('```helm\nenv NAME\n```\n\n**Deprecated:** Helm removes `env`'), env);
  assert.ok(env.endsWith('*Sprig OS (removed by Helm)*'));
  assert.equal(functionHoverMarkdown('nope'), undefined);
});

test('an illustrative example is labelled as changing on every render', () => {
  const md = functionHoverMarkdown('randAlphaNum')!;
  assert.ok(md.includes('Example (the output differs on every render): `{{ randAlphaNum 12 }}` → `q3Vb8ZkA0mTx`'), md);
});

test('families group the docs as Helm\'s function list does', () => {
  const family = (n: string): string => (functionDoc(n) as FunctionDoc).family;
  assert.equal(family('indent'), 'Sprig strings');
  assert.equal(family('toYaml'), 'Helm');
  assert.equal(family('durationSeconds'), 'Helm durations');
  assert.equal(family('printf'), 'Go template builtins');
  assert.equal(family('range'), 'Go template actions');
  assert.equal(family('slice'), 'Sprig lists');
});

test('names that are properties of every object are not mistaken for functions', () => {
  assert.equal(functionDoc('constructor'), undefined);
  assert.equal(functionDoc('__proto__'), undefined);
  assert.equal(functionCompletionDetail('toString'), 'toString VALUE → string');
});
