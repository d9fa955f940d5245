/**
 * Test helper for the parser tests: turns our parse result into the shape the Go reference program
 * (/tmp/parser/main.go, see parser.test.ts) prints for Go's trees, so the two can be compared
 * with deepEqual: node types, Go positions (as UTF-8 byte offsets), values, number flags (floats
 * as IEEE bit patterns) and each node's String().
 */

import type { ArgNode, CommandNode, ListNode, Node, ParsedTemplate, PipeNode } from '../../../server/src/helm/ast';
import { nodeString } from '../../../server/src/helm/nodeString';
import { isEmptyTree } from '../../../server/src/helm/parser';

export interface GoCase {
  name: string;
  text: string;
  left?: string;
  right?: string;
  nofuncs?: boolean;
}

export interface GoResult {
  err: string | null;
  trees?: Record<string, unknown>;
  strings?: Record<string, string>;
}

type Dumped = Record<string, unknown>;

function floatBits(f: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, f);
  return dv.getBigUint64(0).toString(16).padStart(16, '0');
}

/** JS offset → UTF-8 byte offset in `text`. */
function byteOffsets(text: string): (off: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (o) => o;
  const enc = new TextEncoder();
  return (o) => enc.encode(text.slice(0, o)).length;
}

export function dumpParsed(t: ParsedTemplate): { trees: Record<string, unknown>; strings: Record<string, string> } {
  const b = byteOffsets(t.text);
  const effective = new Map<string, ListNode>();
  for (const d of t.defines) effective.set(d.name, d.body);
  // The file's own tree is added last, unless an earlier non-empty define of its name wins.
  const same = effective.get(t.name);
  if (!same || isEmptyTree(same)) effective.set(t.name, t.root);
  const trees: Record<string, unknown> = {};
  const strings: Record<string, string> = {};
  for (const [name, list] of effective) {
    trees[name] = dump(list, b);
    strings[name] = nodeString(list);
  }
  return { trees, strings };
}

function dump(n: Node | ArgNode | PipeNode | CommandNode, b: (o: number) => number): Dumped {
  const m: Dumped = { pos: b(n.start), str: nodeString(n), t: n.type };
  switch (n.type) {
    case 'list':
      delete m.pos; // Ours is the body's span, Go's the first token's: not compared.
      m.nodes = n.nodes.filter((c) => c.type !== 'comment').map((c) => dump(c, b));
      break;
    case 'text':
      m.pos = b(n.textStart);
      m.text = n.text;
      break;
    case 'action':
      m.pipe = dump(n.pipe, b);
      break;
    case 'pipe':
      m.assign = n.isAssign;
      m.decl = n.decl.map((d) => dump(d, b));
      m.cmds = n.cmds.map((c) => dump(c, b));
      break;
    case 'command':
      m.args = n.args.map((a) => dump(a, b));
      break;
    case 'identifier':
      m.name = n.name;
      break;
    case 'field':
      m.ident = n.ident;
      break;
    case 'variable':
      m.ident = [n.name, ...n.ident];
      break;
    case 'chain':
      m.node = dump(n.node, b);
      m.field = n.field;
      break;
    case 'bool':
      m.value = n.value;
      break;
    case 'number':
      m.text = n.text;
      m.isInt = n.isInt;
      m.isUint = n.isUint;
      m.isFloat = n.isFloat;
      m.isComplex = n.isComplex;
      if (n.isInt) m.int64 = String(n.int64);
      if (n.isUint) m.uint64 = String(n.uint64);
      if (n.isFloat) m.float64 = floatBits(n.float64!);
      if (n.isComplex) m.complex = floatBits(n.complexReal!) + ' ' + floatBits(n.complexImag!);
      break;
    case 'string':
      m.quoted = n.quoted;
      m.text = n.text;
      break;
    case 'if':
    case 'range':
    case 'with':
      m.pipe = dump(n.pipe, b);
      m.list = dump(n.list, b);
      if (n.elseList) m.else = dump(n.elseList, b);
      break;
    case 'template':
      m.name = n.name;
      m.pipe = n.pipe ? dump(n.pipe, b) : null;
      break;
  }
  return m;
}

/** Go's err.Error() for our first error, or null. */
export function goErrorString(t: ParsedTemplate): string | null {
  return t.error ? `template: ${t.name}:${t.error.line}: ${t.error.message}` : null;
}

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOUP = [
  '{{', '}}', '{{- ', ' -}}', '{{/* c */}}', '{{- /* c */ -}}', 'if ', 'else ', 'end', 'range ', 'with ',
  'define ', 'template ', 'block ', 'break', 'continue', '.x', '.a.b', '.', '$', '$x', '$x := ', '$x = ',
  '$i, $v := ', '| ', '(', ')', '"s"', '`r`', "'c'", '1', '-1', '0x1F', '1.5', '1e3', 'nil', 'true',
  'printf ', 'include ', 'nope ', ' ', '\n', 'text', '#', ',', '1i', '089', '"a\\tb"', '"\\q"', '3x',
  '{{end}}', '{{else}}', '{{if .x}}', '{{range .}}', '{{define "d"}}', '{{ .y }}', ':', '$y', '.X.Y ',
];

const PIPES = [
  '.x', '.a.b.c', '$', '$.Values.x', '$x', 'printf "%s" .x', '.x | quote', 'include "d" .', '(.x).y',
  '(printf "a") | len', '1', '-0', '0x10', '1_000', "'a'", '"\\u00e9"', '`raw`', 'nil', 'true',
  'index .m "k"', 'eq .a 1 | not', '$x.f', 'default "a" .b', 'len .', '.Files.Get "x"', '1.5e3',
];

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)];
}

function genBlock(r: () => number, depth: number, vars: string[]): string {
  let s = '';
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const k = r();
    const ws = pick(r, ['', ' ', '- ', '\n']);
    const trimL = ws === '- ' ? '{{- ' : '{{' + (ws === '\n' ? ' ' : ws);
    const trimR = pick(r, ['}}', ' }}', ' -}}']);
    if (k < 0.3 || depth > 2) {
      s += pick(r, ['a', ' ', '\n', '  x\n', 'y: 1\n', '\t']);
      s += trimL + pick(r, PIPES.concat(vars)) + trimR;
    } else if (k < 0.45) {
      const v = '$v' + depth;
      s += trimL + v + ' := ' + pick(r, PIPES) + trimR;
      vars = vars.concat([v]);
    } else if (k < 0.75) {
      const kw = pick(r, ['if', 'with', 'range']);
      const decl = kw === 'range' && r() < 0.4 ? '$i, $e := ' : r() < 0.2 ? '$w := ' : '';
      const inner = decl === '$i, $e := ' ? ['$i', '$e'] : decl ? ['$w'] : [];
      s += trimL + kw + ' ' + decl + pick(r, PIPES) + trimR;
      s += genBlock(r, depth + 1, vars.concat(inner));
      if (kw === 'range' && r() < 0.3) s += pick(r, ['{{break}}', '{{continue}}']);
      const e = r();
      if (e < 0.3) s += '{{else}}' + genBlock(r, depth + 1, vars);
      else if (e < 0.45 && kw === 'if') s += '{{else if ' + pick(r, PIPES) + '}}' + genBlock(r, depth + 1, vars);
      s += pick(r, ['{{end}}', '{{- end}}', '{{ end -}}']);
    } else if (k < 0.85) {
      s += trimL + 'template "' + pick(r, ['a', 'b']) + '"' + (r() < 0.5 ? ' .' : '') + trimR;
    } else {
      s += '{{/* ' + pick(r, ['c', 'multi\nline']) + ' */}}';
    }
  }
  return s;
}

/** Random small templates: grammar-built ones (mostly valid), some mutated, and token soup. */
export function generateTemplates(count: number, seed = 20240611): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const mode = i % 3;
    if (mode === 0) {
      let s = genBlock(r, 0, []);
      if (r() < 0.3) s = '{{define "' + pick(r, ['a', 'b']) + '"}}' + genBlock(r, 1, []) + '{{end}}' + s;
      out.push(s);
    } else if (mode === 1) {
      // A valid-ish template with one mutation: a deleted, inserted or replaced piece.
      const s = genBlock(r, 0, []);
      const at = Math.floor(r() * (s.length + 1));
      const m = r();
      const frag = pick(r, SOUP);
      if (m < 0.33) out.push(s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 4)));
      else if (m < 0.66) out.push(s.slice(0, at) + frag + s.slice(at));
      else out.push(s.slice(0, at) + frag + s.slice(at + frag.length));
    } else {
      let s = '';
      const n = 2 + Math.floor(r() * 12);
      for (let j = 0; j < n; j++) s += pick(r, SOUP);
      out.push(s);
    }
  }
  return out;
}
