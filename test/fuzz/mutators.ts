/**
 * Mutations of manifest text, the way typing does and worse. Each takes the
 * text and returns a new one; `mutate` applies a few at random.
 */
import { Rng } from './prng';

export interface MutationContext {
  rng: Rng;
  /** Other corpus texts, to splice lines from. */
  corpus: string[];
}

export type Mutator = (text: string, m: MutationContext) => string;

const TYPING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const PUNCT = [':', ': ', '-', '- ', ' ', '  ', '#', '"', "'", '{', '}', '[', ']', ',', '&', '*', '|', '>', '!', '%', '@', '`', '?', '\\', '\t', '\n', '\r\n', '\r', '.', '/', '=', '<<', '~', '$'];
const UNICODE = [
  '\u00e9', // é
  'e\u0301', // e + combining acute
  '\u{1F600}', // emoji (surrogate pair)
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', // ZWJ family
  '\u200B', // zero width space
  '\u200E', // LRM
  '\u202E', // RLO
  '\u2028', // line separator
  '\u2029', // paragraph separator
  '\u0085', // NEL
  '\u00A0', // nbsp
  '\u3000', // ideographic space
  '\uFEFF', // BOM / zwnbsp
  '\u0000', // NUL
  '\u0007', // BEL
  '\u001B[31m', // escape sequence
  '\uD800', // lone high surrogate
  '\uDC00', // lone low surrogate
  '\uFFFD',
  '\uFFFF',
  '日本語',
  'Ω≈ç√',
  '\u0410\u0411', // Cyrillic
  '\u05D0\u05D1', // Hebrew
];
const VALUES = [
  '',
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '[]',
  '{}',
  '[1, 2',
  '{a: 1',
  '"unterminated',
  "'also unterminated",
  '"\\u00zz"',
  '!!binary aGVsbG8=',
  '!!str 3',
  '!!int "x"',
  '!!map',
  '!custom tag',
  '!<tag:yaml.org,2002:str> x',
  '|',
  '|-',
  '>+2',
  '|9',
  '&anchor',
  '*anchor',
  '*undefined',
  '<<: *anchor',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '1:20:30',
  '.inf',
  '-.inf',
  '.nan',
  '-0',
  '1e400',
  '-1e400',
  '99999999999999999999999999999999',
  '9007199254740993',
  '-9223372036854775809',
  '1.7976931348623157e309',
  '0.0000000000000000000000000001',
  '2001-12-14t21:59:43.10-05:00',
  '{{ .Values.image }}',
  '"{{ .Values.x }}"',
  '? complex',
  '- a\n- b',
  'a: b: c',
  '%YAML 1.2',
  '@reserved',
  '`reserved',
];
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec', 'template', 'containers', 'image', 'data', 'stringData', 'items', 'replicas', 'selector', 'matchLabels', 'labels', 'annotations', 'ports', 'env', 'valueFrom', 'rules', 'subjects', 'roleRef', 'schedule', 'jobTemplate', '<<', '? ', '""', "''", '-', 'kube-manifests.io/ignore', '# kube-manifests-ignore all', '# kube-manifests: off'];
const TEMPLATES = ['{{ .Values.x }}', '{{- if .Values.enabled }}', '{{- end }}', '{{ include "x" . | nindent 4 }}', '{{', '}}', '{{ toYaml .Values.resources | indent 10 }}', '{{/* comment */}}', '{{- range $k, $v := .Values.env }}\n- name: {{ $k }}\n{{- end }}'];

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}
function splitLines(text: string): string[] {
  return text.split('\n');
}
function at(text: string, m: MutationContext): number {
  // Prefer offsets near line starts and ends now and then (where typing happens).
  if (text.length === 0) return 0;
  if (m.rng.chance(0.3)) {
    const ls = lineStarts(text);
    const l = m.rng.pick(ls);
    const end = text.indexOf('\n', l);
    return m.rng.chance(0.5) ? l : end < 0 ? text.length : end;
  }
  return m.rng.int(text.length + 1);
}
function insert(text: string, offset: number, s: string): string {
  return text.slice(0, offset) + s + text.slice(offset);
}

export const MUTATORS: Record<string, Mutator> = {
  insertChar(t, m) {
    const s = m.rng.chance(0.5) ? m.rng.pick([...TYPING]) : m.rng.pick(PUNCT);
    return insert(t, at(t, m), s);
  },
  typeWord(t, m) {
    const len = m.rng.range(1, 12);
    let w = '';
    for (let i = 0; i < len; i++) w += m.rng.pick([...TYPING]);
    return insert(t, at(t, m), m.rng.chance(0.3) ? `${w}: ` : w);
  },
  deleteChar(t, m) {
    if (!t) return t;
    const o = m.rng.int(t.length);
    return t.slice(0, o) + t.slice(o + 1);
  },
  deleteRange(t, m) {
    if (!t) return t;
    const o = m.rng.int(t.length);
    return t.slice(0, o) + t.slice(o + m.rng.range(1, 40));
  },
  duplicateChar(t, m) {
    if (!t) return t;
    const o = m.rng.int(t.length);
    return t.slice(0, o + 1) + t.slice(o);
  },
  duplicateRange(t, m) {
    if (!t) return t;
    const o = m.rng.int(t.length);
    const e = Math.min(t.length, o + m.rng.range(1, 200));
    return t.slice(0, e) + t.slice(o, e) + t.slice(e);
  },
  deleteLine(t, m) {
    const ls = splitLines(t);
    ls.splice(m.rng.int(ls.length), m.rng.range(1, 3));
    return ls.join('\n');
  },
  duplicateLine(t, m) {
    const ls = splitLines(t);
    const i = m.rng.int(ls.length);
    ls.splice(i, 0, ls[i]);
    return ls.join('\n');
  },
  moveLine(t, m) {
    const ls = splitLines(t);
    const [line] = ls.splice(m.rng.int(ls.length), 1);
    ls.splice(m.rng.int(ls.length + 1), 0, line ?? '');
    return ls.join('\n');
  },
  reindentLine(t, m) {
    const ls = splitLines(t);
    const i = m.rng.int(ls.length);
    const d = m.rng.pick([-4, -2, -1, 1, 2, 4, 8]);
    ls[i] = d > 0 ? ' '.repeat(d) + ls[i] : ls[i].replace(new RegExp(`^ {0,${-d}}`), '');
    return ls.join('\n');
  },
  reindentBlock(t, m) {
    const ls = splitLines(t);
    const i = m.rng.int(ls.length);
    const n = m.rng.range(2, 20);
    const d = m.rng.pick([-2, 2, 4]);
    for (let k = i; k < Math.min(ls.length, i + n); k++) ls[k] = d > 0 ? ' '.repeat(d) + ls[k] : ls[k].replace(/^ {0,2}/, '');
    return ls.join('\n');
  },
  insertTab(t, m) {
    if (m.rng.chance(0.5)) {
      const ls = splitLines(t);
      const i = m.rng.int(ls.length);
      ls[i] = '\t' + ls[i];
      return ls.join('\n');
    }
    return insert(t, at(t, m), '\t');
  },
  crlf(t) {
    return t.replace(/\r?\n/g, '\r\n');
  },
  loneCr(t, m) {
    return insert(t, at(t, m), '\r');
  },
  mixedEol(t, m) {
    return t.replace(/\n/g, () => m.rng.pick(['\n', '\r\n', '\r']));
  },
  bom(t, m) {
    return m.rng.chance(0.8) ? '\uFEFF' + t : insert(t, at(t, m), '\uFEFF');
  },
  unicode(t, m) {
    return insert(t, at(t, m), m.rng.pick(UNICODE));
  },
  template(t, m) {
    return insert(t, at(t, m), m.rng.pick(TEMPLATES));
  },
  templateLine(t, m) {
    const ls = splitLines(t);
    const i = m.rng.int(ls.length + 1);
    const indent = /^\s*/.exec(ls[Math.min(i, ls.length - 1)] ?? '')![0];
    ls.splice(i, 0, indent + m.rng.pick(TEMPLATES));
    return ls.join('\n');
  },
  replaceValue(t, m) {
    const ls = splitLines(t);
    const candidates = ls.map((l, i) => (/:\s+\S/.test(l) || /^\s*-\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return t;
    const i = m.rng.pick(candidates);
    ls[i] = ls[i].replace(/(:\s+|^\s*-\s+)(.*)$/, (_all, sep: string) => sep + m.rng.pick(VALUES));
    return ls.join('\n');
  },
  replaceKey(t, m) {
    const ls = splitLines(t);
    const candidates = ls.map((l, i) => (/^\s*(-\s+)?[\w./-]+\s*:/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return t;
    const i = m.rng.pick(candidates);
    ls[i] = ls[i].replace(/^(\s*(?:-\s+)?)[\w./-]+/, (_all, lead: string) => lead + m.rng.pick(KEYS));
    return ls.join('\n');
  },
  valueToContainer(t, m) {
    const ls = splitLines(t);
    const candidates = ls.map((l, i) => (/^\s*[\w./-]+:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return t;
    const i = m.rng.pick(candidates);
    const indent = /^\s*/.exec(ls[i])![0];
    const key = /^\s*([\w./-]+):/.exec(ls[i])![1];
    ls[i] = m.rng.chance(0.5) ? `${indent}${key}:\n${indent}  nested: value` : `${indent}${key}:\n${indent}- item`;
    return ls.join('\n');
  },
  anchorAlias(t, m) {
    const ls = splitLines(t);
    const keyed = ls.map((l, i) => (/^\s*[\w./-]+:\s*$/.test(l) || /^\s*[\w./-]+:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (keyed.length < 2) return t;
    const a = m.rng.pick(keyed);
    const b = m.rng.pick(keyed);
    const name = m.rng.pick(['a', 'x', 'base', 'a1']);
    ls[a] = ls[a].replace(/:(\s*)(.*)$/, (_x, _sp: string, v: string) => `: &${name}${v ? ' ' + v : ''}`);
    if (m.rng.chance(0.5)) ls[b] = ls[b].replace(/:\s*.*$/, `: *${name}`);
    else ls.splice(b + 1, 0, `${/^\s*/.exec(ls[b])![0]}  <<: *${name}`);
    return ls.join('\n');
  },
  selfAlias(t, m) {
    // An alias to an anchor on an enclosing node: a cycle.
    const ls = splitLines(t);
    const opener = ls.map((l, i) => (/^\s*[\w./-]+:\s*$/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!opener.length) return t;
    const i = m.rng.pick(opener);
    ls[i] = ls[i].replace(/:\s*$/, ': &loop');
    const indent = /^\s*/.exec(ls[i])![0];
    ls.splice(i + 1, 0, `${indent}  self: *loop`, `${indent}  <<: *loop`);
    return ls.join('\n');
  },
  aliasBomb(t, m) {
    const depth = m.rng.range(3, 12);
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < depth; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    const bomb = lines.join('\n');
    const where = m.rng.int(3);
    if (where === 0) return `${t}\n---\n${bomb}\n`;
    if (where === 1) return `${bomb}\n${t}`;
    // Inside an object: under metadata.labels (or the first map key).
    const ls = splitLines(t);
    const i = ls.findIndex((l) => /^\s*labels:\s*$/.test(l));
    if (i < 0) return `${t}\n${bomb}\nspec: *a${depth - 1}\n`;
    const indent = /^\s*/.exec(ls[i])![0] + '  ';
    ls.splice(i + 1, 0, ...bomb.split('\n').map((l) => indent + l), `${indent}bomb: *a${depth - 1}`);
    return ls.join('\n');
  },
  mergeBomb(t, m) {
    const depth = m.rng.range(3, 10);
    const lines = ['m0: &m0 {k0: v}'];
    for (let i = 1; i < depth; i++) lines.push(`m${i}: &m${i}\n  <<: [${Array(6).fill(`*m${i - 1}`).join(', ')}]\n  k${i}: v`);
    return `${t}\n${lines.join('\n')}\nspec:\n  <<: *m${depth - 1}\n`;
  },
  truncate(t, m) {
    return t.slice(0, m.rng.int(t.length + 1));
  },
  truncateStart(t, m) {
    return t.slice(m.rng.int(t.length + 1));
  },
  hugeNumber(t, m) {
    const ls = splitLines(t);
    const nums = ls.map((l, i) => (/:\s+-?\d/.test(l) ? i : -1)).filter((i) => i >= 0);
    const big = m.rng.pick(['1e400', '99999999999999999999999999999999999999', '-99999999999999999999', '9'.repeat(m.rng.range(20, 5000)), '0.' + '0'.repeat(400) + '1', '1e-400', '0x' + 'f'.repeat(40), '.inf', '.nan', '-0']);
    if (!nums.length) return insert(t, at(t, m), big);
    const i = m.rng.pick(nums);
    ls[i] = ls[i].replace(/(:\s+)-?\d[^\s#]*/, `$1${big}`);
    return ls.join('\n');
  },
  longLine(t, m) {
    const n = m.rng.pick([1000, 10000, 100000]);
    const unit = m.rng.pick(['a', 'ab ', 'x: ', '- ', '{', '[', '"', '# ', 'é', '\u{1F600}']);
    const s = unit.repeat(Math.ceil(n / unit.length));
    if (m.rng.chance(0.5)) {
      const ls = splitLines(t);
      const i = m.rng.int(ls.length);
      ls[i] = ls[i] + s;
      return ls.join('\n');
    }
    return insert(t, at(t, m), s);
  },
  deepNesting(t, m) {
    const depth = m.rng.chance(0.8) ? m.rng.range(50, 400) : m.rng.range(2000, 20000);
    const flow = m.rng.chance(0.5);
    const s = flow ? '['.repeat(depth) + ']'.repeat(m.rng.chance(0.5) ? depth : depth >> 1) : Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    return `${t}\n${flow ? 'deep: ' : ''}${s}\n`;
  },
  documentMarker(t, m) {
    const ls = splitLines(t);
    ls.splice(m.rng.int(ls.length + 1), 0, m.rng.pick(['---', '...', '--- ', '---x', '--- # c', '--- |', '--- !tag', '%YAML 1.1', '%TAG ! tag:x,2000:']));
    return ls.join('\n');
  },
  flowify(t, m) {
    const ls = splitLines(t);
    const i = m.rng.int(ls.length);
    ls[i] = ls[i].replace(/:\s+(\S.*)$/, m.rng.chance(0.5) ? ': {$1}' : ': [$1, ');
    return ls.join('\n');
  },
  comment(t, m) {
    return insert(t, at(t, m), m.rng.pick(['# ', ' # comment', '# kube-manifests-ignore unknown-field', '# kube-manifests-ignore all,', '#kube-manifests-ignore', '# kube-manifests: off\n']));
  },
  splice(t, m) {
    if (!m.corpus.length) return t;
    const other = splitLines(m.rng.pick(m.corpus));
    const from = m.rng.int(other.length);
    const chunk = other.slice(from, from + m.rng.range(1, 30));
    const ls = splitLines(t);
    ls.splice(m.rng.int(ls.length + 1), 0, ...chunk);
    return ls.join('\n');
  },
  swapHalves(t, m) {
    const o = m.rng.int(t.length + 1);
    return t.slice(o) + t.slice(0, o);
  },
  emptyish(_t, m) {
    return m.rng.pick(['', '\n', ' ', '---', '---\n---\n', '\uFEFF', '#', 'a', ':', '-', '- -', '? ', '&a *a', '*a', '!!', '{', '[', '"', "'", '|', '>', '\t', '\r', 'apiVersion:', 'kind:', 'apiVersion: v1\nkind:', 'kind: List\nitems:\n-', 'kind: List\napiVersion: v1\nitems: *x', 'apiVersion: v1\nkind: Secret\ndata:\n  k: !!binary', 'apiVersion: v1\nkind: Secret\ndata: &d\n  k: a\nstringData: *d']);
  },
};

/** Weights: typing-like edits most, hostile ones less often. */
const WEIGHTS: Array<[number, string]> = [
  [10, 'insertChar'],
  [5, 'typeWord'],
  [8, 'deleteChar'],
  [4, 'deleteRange'],
  [3, 'duplicateChar'],
  [2, 'duplicateRange'],
  [4, 'deleteLine'],
  [4, 'duplicateLine'],
  [2, 'moveLine'],
  [6, 'reindentLine'],
  [2, 'reindentBlock'],
  [3, 'insertTab'],
  [2, 'crlf'],
  [1, 'loneCr'],
  [1, 'mixedEol'],
  [1, 'bom'],
  [3, 'unicode'],
  [2, 'template'],
  [2, 'templateLine'],
  [6, 'replaceValue'],
  [4, 'replaceKey'],
  [3, 'valueToContainer'],
  [3, 'anchorAlias'],
  [1, 'selfAlias'],
  [0.5, 'aliasBomb'],
  [0.5, 'mergeBomb'],
  [4, 'truncate'],
  [1, 'truncateStart'],
  [2, 'hugeNumber'],
  [0.7, 'longLine'],
  [0.5, 'deepNesting'],
  [2, 'documentMarker'],
  [2, 'flowify'],
  [2, 'comment'],
  [2, 'splice'],
  [0.5, 'swapHalves'],
  [0.5, 'emptyish'],
];

/** Applies 1..n mutations; returns the text and the names applied. */
export function mutate(text: string, m: MutationContext): { text: string; applied: string[] } {
  const n = m.rng.weighted<number>([
    [50, 1],
    [25, 2],
    [12, 3],
    [8, 5],
    [5, 10],
  ]);
  const applied: string[] = [];
  let t = text;
  for (let i = 0; i < n; i++) {
    const name = m.rng.weighted(WEIGHTS.map(([w, k]) => [w, k] as const));
    t = MUTATORS[name](t, m);
    applied.push(name);
    // Keep mutants from growing without bound on long chains.
    if (t.length > 400_000) t = t.slice(0, 400_000);
  }
  return { text: t, applied };
}
