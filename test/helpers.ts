/**
 * Test helpers: the language service on inline YAML, a `$0` cursor marker
 * (`|` is YAML's block-scalar indicator), and completions applied as text.
 */
import * as path from 'path';
import { createLanguageService, LanguageService } from '../server/src/languageService';
import { CompletionEntry } from '../server/src/features/completion';
import { nodeSchemaReader } from '../server/src/node/schemaFiles';
import { normalizeSettings, Problem, Settings } from '../server/src/types';

import * as fs from 'fs';
import * as zlib from 'zlib';

/** The project root: the nearest folder above the (bundled) test holding package.json. */
export const ROOT = ((): string => {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
})();
let shared: LanguageService | undefined;

export function service(): LanguageService {
  if (!shared) {
    shared = createLanguageService({
      readSchema: nodeSchemaReader(path.join(ROOT, 'schemas')),
      onError: (feature, uri, e) => {
        throw new Error(`${feature} threw on ${uri}: ${e instanceof Error ? e.stack : String(e)}`);
      },
    });
  }
  return shared;
}

export function settings(overrides: Record<string, unknown> = {}): Settings {
  return normalizeSettings(overrides);
}

/** Removes a leading newline and the common indentation, so fixtures can be indented in the test. */
export function dedent(text: string): string {
  const t = text.replace(/^\n/, '');
  const lines = t.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(min)).join('\n');
}

export interface ShownProblem {
  /** `line:col` 1-based, as an editor shows it. */
  at: string;
  code: string;
  severity: string;
  message: string;
  /** The text the problem's range covers. */
  text: string;
}

export function diagnose(text: string, overrides: Record<string, unknown> = {}, uri = 'file:///test/manifest.yaml'): ShownProblem[] {
  const ls = service();
  const file = ls.parse(uri, text);
  return ls.validate(file, settings(overrides)).map((p: Problem) => {
    const pos = file.lines.positionAt(p.start);
    return { at: `${pos.line + 1}:${pos.character + 1}`, code: p.code, severity: p.severity, message: p.message, text: text.slice(p.start, p.end) };
  });
}

/** Problems of one rule only. */
export function diagnoseRule(text: string, code: string, overrides: Record<string, unknown> = {}): ShownProblem[] {
  return diagnose(text, overrides).filter((p) => p.code === code);
}

export function withCursor(textWithCursor: string): { text: string; offset: number } {
  const offset = textWithCursor.indexOf('$0');
  if (offset < 0) throw new Error('fixture has no $0 cursor');
  return { text: textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 2), offset };
}

export function complete(textWithCursor: string, overrides: Record<string, unknown> = {}): { items: CompletionEntry[]; text: string } {
  const { text, offset } = withCursor(textWithCursor);
  const ls = service();
  return { items: ls.complete(ls.parse('file:///test/manifest.yaml', text), offset, settings(overrides)), text };
}

/** Applies a completion: the snippet with its placeholders filled by their defaults and the cursor as `$0`. */
export function applyCompletion(text: string, item: CompletionEntry): string {
  const inserted = item.snippet ? expandSnippet(item.insertText) : item.insertText;
  return text.slice(0, item.range.start) + inserted + text.slice(item.range.end);
}

export function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}/g, '')
    .replace(/\$[1-9]/g, '')
    .replace(/\$0/g, '$0');
}

export function hover(textWithCursor: string, overrides: Record<string, unknown> = {}): string | undefined {
  const { text, offset } = withCursor(textWithCursor);
  const ls = service();
  return ls.hover(ls.parse('file:///test/manifest.yaml', text), offset, settings(overrides))?.contents;
}

// ---- code actions (appended by the code-actions work) ----
import type { CodeActionEntry } from '../server/src/features/codeActions';
import type { OffsetEdit } from '../server/src/types';

/** Applies offset edits to a text (they must not overlap). */
export function applyEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].end > sorted[i - 1].start) throw new Error('overlapping edits');
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Code actions at a `$0` cursor (or a range `$0...$1`), with the problems there, as an editor asks for them. */
export function codeActions(textWithCursor: string, overrides: Record<string, unknown> = {}): { text: string; actions: CodeActionEntry[] } {
  let { text, offset } = withCursor(textWithCursor);
  let end = offset;
  const second = text.indexOf('$1');
  if (second >= 0) {
    text = text.slice(0, second) + text.slice(second + 2);
    end = second;
  }
  const ls = service();
  const s = settings(overrides);
  const file = ls.parse('file:///test/manifest.yaml', text);
  const problems = ls.validate(file, s).filter((p) => p.start <= end && p.end >= offset);
  return { text, actions: ls.codeActions(file, { start: offset, end }, problems, s) };
}

/** The text after applying the action with this title (exact, or the first one starting with it). */
export function applyAction(textWithCursor: string, title: string | RegExp, overrides: Record<string, unknown> = {}): string {
  const { text, actions } = codeActions(textWithCursor, overrides);
  const a = actions.find((x) => (typeof title === 'string' ? x.title === title || x.title.startsWith(title) : title.test(x.title)));
  if (!a) throw new Error(`no action ${String(title)}; got: ${actions.map((x) => x.title).join(' | ')}`);
  return applyEdits(text, a.edits);
}

/** Problems that are errors. */
export function errorsOf(text: string, overrides: Record<string, unknown> = {}): ShownProblem[] {
  return diagnose(text, overrides).filter((p) => p.severity === 'error');
}

// ---- workspaces (appended by the workspace-index work) ----
import { WorkspaceIndex } from '../server/src/workspace/index';

const schemaMemo = new Map<string, unknown>();

export interface TestWorkspace {
  ls: LanguageService;
  index: WorkspaceIndex;
  /** The parsed file of a workspace path (e.g. `deploy.yaml`). */
  file(name: string): ReturnType<LanguageService['parse']>;
  uri(name: string): string;
  /** Replaces (or adds) a file and re-indexes it. */
  write(name: string, text: string): void;
  /** Problems of a file, shown as in `diagnose`. */
  diagnose(name: string, overrides?: Record<string, unknown>): ShownProblem[];
  /** Offset of `$0` in the fixture text of a file (the marker is removed from the file). */
  cursor(name: string): number;
}

/**
 * A fresh language service whose workspace index holds the given files
 * (`{ 'deploy.yaml': '...' }`, under file:///ws/). A `$0` in a file marks a
 * cursor for `cursor(name)`.
 */
export function workspace(files: Record<string, string>): TestWorkspace {
  const read = nodeSchemaReader(path.join(ROOT, 'schemas'));
  const ls = createLanguageService({
    readSchema: (n) => {
      if (!schemaMemo.has(n)) schemaMemo.set(n, read(n));
      return schemaMemo.get(n);
    },
    onError: (feature, uri, e) => {
      throw new Error(`${feature} threw on ${uri}: ${e instanceof Error ? e.stack : String(e)}`);
    },
  });
  const parsed = new Map<string, ReturnType<LanguageService['parse']>>();
  const cursors = new Map<string, number>();
  const uri = (name: string) => `file:///ws/${name}`;
  const write = (name: string, text: string): void => {
    const at = text.indexOf('$0');
    if (at >= 0) {
      cursors.set(name, at);
      text = text.slice(0, at) + text.slice(at + 2);
    }
    const f = ls.parse(uri(name), text);
    parsed.set(name, f);
    ls.workspace.setFile(f);
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  ls.workspace.enabled = true;
  ls.workspace.readText = (u) => parsed.get(u.slice('file:///ws/'.length))?.text;
  return {
    ls,
    index: ls.workspace,
    uri,
    write,
    file: (name) => {
      const f = parsed.get(name);
      if (!f) throw new Error(`no file ${name} in the test workspace`);
      return f;
    },
    cursor: (name) => {
      const c = cursors.get(name);
      if (c === undefined) throw new Error(`no $0 in ${name}`);
      return c;
    },
    diagnose: (name, overrides = {}) => {
      const f = parsed.get(name)!;
      return ls.validate(f, settings(overrides)).map((p: Problem) => {
        const pos = f.lines.positionAt(p.start);
        return { at: `${pos.line + 1}:${pos.character + 1}`, code: p.code, severity: p.severity, message: p.message, text: f.text.slice(p.start, p.end) };
      });
    },
  };
}

/** Lines of a YAML fragment re-indented to `n` spaces (its common indentation removed); blank lines dropped. */
function indented(fragment: string, n: number): string[] {
  return dedent(fragment).split('\n').filter((l) => l.trim()).map((l) => ' '.repeat(n) + l);
}

/**
 * The Deployment most tests start from (`web`, selector and template labels `app: web`, one
 * container `web`), with fragments placed where they belong: `spec` before the selector,
 * `pod` before `containers:`, `container` after the container's image. Fragments are written
 * unindented.
 */
export function deploymentYaml(parts: { spec?: string; pod?: string; container?: string; labels?: string; image?: string; documentStart?: boolean } = {}): string {
  return [
    ...(parts.documentStart ? ['---'] : []),
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    ...indented(parts.spec ?? '', 2),
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    ...indented(parts.labels ?? 'app: web', 8),
    '    spec:',
    ...indented(parts.pod ?? '', 6),
    '      containers:',
    '      - name: web',
    `        image: ${parts.image ?? 'nginx:1.27'}`,
    ...indented(parts.container ?? '', 8),
  ].join('\n') + '\n';
}

/** A gzipped ustar archive of the given files (what `helm package` writes, minus modes and owners). */
export function chartArchive(files: Array<{ name: string; data: Uint8Array | string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const f of files) {
    const data = Buffer.from(f.data);
    const h = Buffer.alloc(512);
    h.write(f.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('14000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}
