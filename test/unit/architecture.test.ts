/**
 * The architecture invariants of ARCHITECTURE.md, checked: the language
 * service under server/src/ is pure (no LSP library, no IO); only lsp/, cli/
 * and node/ may import those.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

const EDGE = new Set(['lsp', 'cli', 'node']);
const FORBIDDEN = /from\s+'(vscode-languageserver(\/node)?|vscode-languageserver-protocol|vscode-jsonrpc|fs|path|os|child_process|net|http|https|worker_threads)'/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('the language service never imports the LSP library or does IO', () => {
  const base = path.join(ROOT, 'server', 'src');
  const offenders: string[] = [];
  for (const f of sources(base)) {
    const top = path.relative(base, f).split(path.sep)[0];
    if (EDGE.has(top)) continue;
    const m = FORBIDDEN.exec(fs.readFileSync(f, 'utf8'));
    if (m) offenders.push(`${path.relative(ROOT, f)} imports ${m[1]}`);
  }
  assert.deepEqual(offenders, []);
});
