/**
 * Drives every method of the language service facade on one document. Methods
 * are discovered at run time: known ones get hand-made arguments, unknown ones
 * get arguments chosen from their parameter names (`file`, `offset`, `start`,
 * `end`, `range`, `settings`, `problems`, `uri`, `text`, `token`), so features
 * added to the facade later are fuzzed without edits here. A method whose
 * parameters cannot be guessed is listed as "not driven" in the report.
 */
import type { LanguageService } from '../../server/src/languageService';
import type { ManifestFile } from '../../server/src/model/manifest';
import type { Problem, Settings } from '../../server/src/types';
import { Rng } from './prng';

export interface CallInput {
  file: ManifestFile;
  offset: number;
  /** A range for range requests (code actions). */
  start: number;
  end: number;
  settings: Settings;
  problems: Problem[];
  /** Texts of the other files indexed in the workspace, by uri. */
  docs: Map<string, string>;
}

export type ArgBuilder = (input: CallInput) => unknown[];

export interface DrivenMethod {
  name: string;
  /** Takes a cursor offset (called at several offsets per mutant). */
  atOffset: boolean;
  args: ArgBuilder;
}

/** Not features: building blocks, or called separately. */
const SKIP = new Set(['parse', 'store', 'validate', 'constructor']);

const CANCEL_TOKEN = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

/** Arguments from a parameter name, or undefined when unknown. */
function argFor(param: string): ((i: CallInput) => unknown) | undefined {
  const p = param.replace(/[=\s].*$/, '').replace(/^\.\.\./, '');
  if (/^(file|manifest|doc|document|model|parsed)$/i.test(p)) return (i) => i.file;
  if (/^(offset|pos|position|at|cursor|where)$/i.test(p)) return (i) => i.offset;
  if (/^(start|from|startOffset)$/i.test(p)) return (i) => i.start;
  if (/^(end|endOffset)$/i.test(p)) return (i) => i.end;
  if (/^(range|selection|span)$/i.test(p)) return (i) => ({ start: i.start, end: i.end });
  if (/^(settings|config|configuration|options)$/i.test(p)) return (i) => i.settings;
  if (/^(problems|diagnostics|diags)$/i.test(p)) return (i) => i.problems.filter((x) => x.end >= i.start && x.start <= i.end);
  if (/^(uri|docUri)$/i.test(p)) return (i) => i.file.uri;
  if (/^(text|content|source)$/i.test(p)) return (i) => i.file.text;
  if (/^(token|cancel|cancellation|cancellationToken)$/i.test(p)) return () => CANCEL_TOKEN;
  if (/^(includeDeclaration|includeDecl)$/i.test(p)) return () => true;
  if (/^(newName|name)$/.test(p)) return (i) => ['renamed', '', 'Bad Name!', 'x'.repeat(300), '\u65e5\u672c', 'a.b-c', '"quoted"'][i.offset % 7];
  if (/^(query|q|pattern)$/.test(p)) return (i) => ['', 'a', 'web', '*', 'Deployment', '\u{1F600}', '.*['][i.offset % 7];
  if (/^(readText|read|readFile)$/.test(p)) return (i) => (uri: string) => (uri === i.file.uri ? i.file.text : i.docs.get(uri));
  if (p === 'subject') return (i) => [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }, { kind: 'User', name: 'jane' }, { kind: 'Group', name: 'system:authenticated' }, { kind: 'ServiceAccount', name: '' }][i.offset % 4];
  // switchTraffic(file, offset, to?: 'blue' | 'green')
  if (p === 'to') return (i) => [undefined, 'blue', 'green'][i.offset % 3];
  return undefined;
}

/** Parameter names of a function from its source (esbuild keeps them: tests are not minified). */
export function paramNames(fn: Function): string[] | undefined {
  const src = Function.prototype.toString.call(fn);
  const m = /^\s*(?:async\s*)?(?:function\s*[\w$]*\s*)?\(([^)]*)\)/.exec(src) ?? /^\s*(?:async\s+)?([\w$]+)\s*=>/.exec(src) ?? /^\s*(?:async\s+)?[\w$]+\s*\(([^)]*)\)\s*\{/.exec(src);
  if (!m) return undefined;
  const list = m[1].trim();
  if (!list) return [];
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The methods of the facade to drive, and those we could not. */
export function discover(ls: LanguageService): { methods: DrivenMethod[]; notDriven: string[] } {
  const methods: DrivenMethod[] = [];
  const notDriven: string[] = [];
  const names = new Set<string>();
  for (let o: object | null = ls; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) names.add(k);
  }
  for (const name of [...names].sort()) {
    if (SKIP.has(name)) continue;
    const fn = (ls as unknown as Record<string, unknown>)[name];
    if (typeof fn !== 'function') continue;
    const params = paramNames(fn);
    if (!params) {
      notDriven.push(`${name} (unreadable parameters)`);
      continue;
    }
    const builders = params.map(argFor);
    const unknown = params.filter((_, i) => !builders[i]);
    if (unknown.length) {
      notDriven.push(`${name}(${params.join(', ')}): unknown parameter ${unknown.join(', ')}`);
      continue;
    }
    const atOffset = params.some((p) => /^(offset|pos|position|at|cursor|where|start|from|range|selection|span)$/i.test(p.replace(/[=\s].*$/, '')));
    methods.push({ name, atOffset, args: (i) => builders.map((b) => b!(i)) });
  }
  return { methods, notDriven };
}

/** Offsets worth trying: random ones, and the edges typing happens at. */
export function pickOffsets(text: string, rng: Rng, n: number): number[] {
  const out: number[] = [];
  // Never between \r and \n: no LSP position maps there.
  const fix = (o: number): number => (o > 0 && text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10 ? o - 1 : o);
  for (let k = 0; k < n; k++) {
    const r = rng.next();
    if (r < 0.08) out.push(0);
    else if (r < 0.16) out.push(text.length);
    else if (r < 0.5 && text.length) {
      // a line start, a line end, after a colon, after a dash
      const o = rng.int(text.length);
      const kind = rng.int(4);
      let p = o;
      if (kind === 0) while (p > 0 && text[p - 1] !== '\n') p--;
      else if (kind === 1) while (p < text.length && text[p] !== '\n' && text[p] !== '\r') p++;
      else if (kind === 2) {
        const c = text.indexOf(': ', o);
        p = c < 0 ? o : c + 2;
      } else {
        const c = text.indexOf('- ', o);
        p = c < 0 ? o : c + 2;
      }
      out.push(p);
    } else out.push(rng.int(text.length + 1));
  }
  return out.map(fix);
}
