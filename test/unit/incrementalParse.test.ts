/**
 * An edit re-parses only the text around it (model/manifest.ts reparseEdit):
 * after any edit, and any chain of edits, the file must read exactly as a
 * parse from scratch — the same `---` documents at the same offsets, the same
 * lines, the same problems.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, service, settings } from '../helpers';
import { ManifestFile } from '../../server/src/model/manifest';

const ls = service();

/** What a user sees of a parse: documents, lines, problems. */
function shape(file: ManifestFile) {
  return {
    sections: file.sections.map((s) => [s.start, s.end, s.text, s.problems.map((p) => [p.start, p.end, p.code]), s.objects.map((o) => `${o.kind}/${o.name}`)]),
    lineStarts: [...file.lines.lineStarts],
    helm: file.helm,
    disabled: file.disabled,
    problems: ls.validate(file, settings()),
  };
}

function checkEdit(before: string, after: string, previous = ls.parse('file:///edit.yaml', before)): ManifestFile {
  const incremental = ls.parse('file:///edit.yaml', after, previous);
  assert.deepEqual(shape(incremental), shape(ls.parse('file:///edit.yaml', after)), `edit of ${JSON.stringify(before)} into ${JSON.stringify(after)}`);
  return incremental;
}

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: nginx:1.27
`;
const service_ = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
`;
const three = [deployment('a'), service_('a'), deployment('b')].join('---\n');

test('typing a separator splits a document in two, deleting it joins them again', () => {
  const at = three.indexOf('kind: Service');
  const split = three.slice(0, at) + '---\n' + three.slice(at);
  const f = checkEdit(three, split);
  assert.equal(f.sections.length, 4);
  const joined = checkEdit(split, three, f);
  assert.equal(joined.sections.length, 3);
  // one character of the marker at a time
  const marker = three.indexOf('---\n', 10);
  let text = three;
  let prev = ls.parse('file:///edit.yaml', text);
  for (let k = 0; k < 3; k++) {
    const next = text.slice(0, marker) + text.slice(marker + 1);
    prev = checkEdit(text, next, prev);
    text = next;
  }
  for (let k = 0; k < 3; k++) {
    const next = text.slice(0, marker) + '-' + text.slice(marker);
    prev = checkEdit(text, next, prev);
    text = next;
  }
  assert.equal(text, three);
});

test('an edit at the very start or end of the file, or of everything, reads as a fresh parse', () => {
  checkEdit(three, 'x' + three);
  checkEdit(three, '---\n' + three);
  checkEdit('---\n' + three, three);
  checkEdit(three, three + 'kind: Pod\n');
  checkEdit(three, three + '---\n');
  checkEdit(three, three.slice(0, -1));
  checkEdit(three, '');
  checkEdit('', three);
  checkEdit(three, service_('z'));
  checkEdit(three, three);
});

test('line ends: an edit that joins or splits a CR LF pair, or adds a lone CR, keeps lines right', () => {
  const crlf = three.replace(/\n/g, '\r\n');
  const at = crlf.indexOf('\r\n', 200);
  checkEdit(crlf, crlf.slice(0, at + 1) + crlf.slice(at + 2)); // LF taken out: a lone CR
  checkEdit(crlf, crlf.slice(0, at) + crlf.slice(at + 1)); // CR taken out
  checkEdit(crlf.slice(0, at + 1) + crlf.slice(at + 2), crlf); // LF put back after the CR
  checkEdit(crlf, crlf.slice(0, at + 1) + 'x' + crlf.slice(at + 1)); // between CR and LF
  const lone = three.replace(/\n/g, '\r');
  checkEdit(lone, lone.slice(0, 300) + '\n' + lone.slice(300));
  checkEdit(three, three.slice(0, 250) + '\r' + three.slice(250));
});

test('syntax problems and their messages move with the documents after an edit', () => {
  const broken = [deployment('a'), 'kind: [unclosed\nx: y\n', service_('a')].join('---\n');
  const f = checkEdit(broken, 'metadata: {}\n' + broken);
  assert.ok(f.sections.some((s) => s.problems.length > 0));
  checkEdit(broken, broken.replace('kind: [unclosed', 'kind: [closed]'));
  checkEdit(broken, broken.replace('x: y', 'x: y\n  bad: indent'));
});

/** A small deterministic random generator (the same edits on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}

test('chains of random edits (typing, deleting, pasting, markers, line ends) read as a fresh parse after each step', () => {
  const texts = [three, three.replace(/\n/g, '\r\n'), `# kube-manifests: off\n${three}`, `apiVersion: v1\nkind: List\nitems:\n- ${service_('l').replace(/\n/g, '\n  ')}`];
  const corpus = path.join(ROOT, '..', 'shared', 'corpus');
  if (fs.existsSync(corpus)) {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (/\.ya?ml$/.test(e.name) && files.length < 400) files.push(path.join(d, e.name));
      }
    };
    walk(corpus);
    for (const f of files.filter((_, i) => i % 25 === 0)) texts.push(fs.readFileSync(f, 'utf8'));
  }
  const pieces = ['', '1', 'x', ' ', '\n', '\r\n', '\r', '---', '---\n', '\n---\n', '...\n', '  ', '- ', ': ', '{{ .Values.x }}', 'kind: Service\n', '#', '"', '[', 'é'];
  const rnd = random(20261202);
  let steps = 0;
  for (const original of texts) {
    let text = original;
    let prev = ls.parse('file:///edit.yaml', text);
    for (let k = 0; k < 40; k++) {
      const at = Math.floor(rnd() * (text.length + 1));
      const len = rnd() < 0.5 ? 0 : Math.floor(rnd() * Math.min(40, text.length - at + 1));
      const insert = rnd() < 0.1 ? original.slice(Math.floor(rnd() * original.length)).slice(0, 200) : pieces[Math.floor(rnd() * pieces.length)];
      const next = text.slice(0, at) + insert + text.slice(at + len);
      prev = checkEdit(text, next, prev);
      text = next;
      steps++;
    }
  }
  assert.ok(steps >= 160);
});
