/**
 * The fast YAML path must agree with the `yaml` package (the reference) on
 * everything it accepts: the same values, node types, scalar styles and node
 * positions; and it must give up on anything the reference reports as broken.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { fastParse } from '../../server/src/model/fastYaml';
import { splitSections } from '../../server/src/model/manifest';
import { LineIndex } from '../../server/src/model/text';
import { ROOT } from '../helpers';

function shape(doc: Document): string[] {
  const out: string[] = [];
  visit(doc, (_k, n) => {
    const node = n as { range?: number[]; value?: unknown; type?: string; source?: string; flow?: boolean };
    if (!node || !node.range) return;
    if (isScalar(n)) out.push(`S(${JSON.stringify(node.value)},${node.type},${JSON.stringify(node.source)})@${node.range[0]}-${node.range[1]}`);
    else out.push(`${isMap(n) ? 'M' : isSeq(n) ? 'Q' : '?'}${node.flow ? 'f' : ''}@${node.range[0]}`);
  });
  return out;
}

/** Checks one section; returns whether the fast path took it. */
function agree(text: string): boolean {
  const fast = fastParse(text);
  if (!fast) return false;
  const ref = parseDocument(text, { version: '1.1' });
  assert.deepEqual(ref.errors.map((e) => e.code), [], `fast path accepted YAML the reference rejects:\n${text}`);
  assert.deepEqual(fast.toJS(), ref.toJS(), `values differ:\n${text}`);
  assert.deepEqual(shape(fast), shape(ref), `nodes differ:\n${text}`);
  return true;
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const samples = [
  'apiVersion: v1\nkind: ConfigMap # c\nmetadata:\n  name: "x"\n  empty:\n  labels: {}\ndata:\n  a: |\n    hello\n    world\n  b: \'it\'\'s\'\nlist:\n- a\n- b: 1\n  c: [x, "y", 1]\n- \n  d: 0644\n',
  'a: yes\nb: off\nc: ~\nd: 1.5\ne: -3\nf: 010\ng: "\\u00e9\\n\\t"\nh: 100m\ni: 1.27.3\nj: 8080/TCP\n',
  'k:\n- a\n  # x\nc: 1\n',
  'a: |-\n  x\n\n\nb: 2\n',
  'a: |\n  x\n  y',
  'a:   \nb: 1\n',
  'a: # c\nb: 1\n',
  '---\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n      - name: x\n        command: ["sh", "-c", "echo hi"]\n        args: []\n',
  'apiVersion: v1\r\nkind: Service\r\nspec:\r\n  ports:\r\n  - port: 80\r\n',
];

test('the fast path agrees with the reference parser on typical manifests', () => {
  let taken = 0;
  for (const s of samples) if (agree(s)) taken++;
  assert.ok(taken >= samples.length - 1, `fast path took only ${taken} of ${samples.length}`);
});

test('the fast path gives up on what it does not handle', () => {
  for (const s of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: >\n  folded\n', 'a: "multi\n  line"\n', 'a: 0x1F\n', 'a: 12:30\n', 'a: 2024-01-01\n', 'a: 1\na: 2\n', 'a:\n\tb: 1\n', 'a: b: c\n', '- - x\n', 'a: {b: 1}\n', 'a: plain\n  continued\n']) {
    assert.equal(fastParse(s), undefined, JSON.stringify(s));
  }
});

test('the fast path agrees with the reference on the examples, the corpus and their mutants', () => {
  const files = [...yamlFiles(path.join(ROOT, 'examples')), ...yamlFiles(path.join(ROOT, '..', 'shared', 'corpus'))];
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  let taken = 0;
  for (const t of texts) for (const [s, e] of splitSections(t, new LineIndex(t))) if (agree(t.slice(s, e))) taken++;
  assert.ok(taken > 10, 'the fast path takes the usual manifests');
  // Mutants the way typing makes them, with a fixed seed.
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = [' ', '  ', '\n', '- ', ': ', '#', '"', "'", '[', ']', '{', '}', ',', '|', '|-', '0644', 'yes', '1.5', '1e3', '0x1F', '12:30', '~', '-', '\\', '&a', '*a', '!!str', 'key:', 'a: b: c', '\r\n', '\r', '\t', 'é', '""', '080', '? ', ':x', '- "y"'];
  for (let i = 0; i < 3000; i++) {
    let t = texts[rnd(texts.length)];
    if (rnd(4) === 0) t = t.replace(/\n/g, '\r\n');
    for (let k = 1 + rnd(3); k > 0; k--) {
      const at = rnd(t.length + 1);
      const op = rnd(3);
      if (op === 0) t = t.slice(0, at) + pieces[rnd(pieces.length)] + t.slice(at);
      else if (op === 1) t = t.slice(0, at) + t.slice(at + 1 + rnd(5));
      else {
        const ls = t.split('\n');
        const l = rnd(ls.length);
        ls[l] = ' '.repeat(1 + rnd(3)) + ls[l];
        t = ls.join('\n');
      }
    }
    for (const [s, e] of splitSections(t, new LineIndex(t))) if (e - s < 20000) agree(t.slice(s, e));
  }
});
