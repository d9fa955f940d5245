/**
 * `kube-manifests check [paths...]` (dist/check.js, loaded by dist/cli.js for this command only):
 * checks manifests on the same engine as the language server (files, folders (their *.yaml and
 * *.yml), globs, and `-` for stdin), Helm charts in the folders included (./checkCharts.ts).
 *
 * Exit codes: 0 no errors, 1 at least one error, 2 bad usage.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createLanguageService } from '../languageService';
import { nodeSchemaReader } from '../node/schemaFiles';
import { normalizeSettings, Problem, Settings } from '../types';
import { loadProjectConfig } from '../node/projectConfig';
import { toSarif } from './sarif';
import { describeError } from '../errors';
import { checkCharts } from './checkCharts';
import { USAGE } from './usage';

export interface CliResult {
  path: string;
  uri: string;
  problems: Array<Problem & { line: number; column: number; endLine: number; endColumn: number }>;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** `kube-manifests check ...`: `args` are the arguments after the program, `check` first. */
export async function runCheck(args: string[]): Promise<number> {
  let format = 'text';
  let k8sVersion: string | undefined;
  let configPath: string | undefined;
  const inputs: string[] = [];
  const chartOpts = { valueFiles: [] as string[], set: [] as string[], setString: [] as string[] };
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      return args[++i];
    };
    if (a === '--format' || a.startsWith('--format=')) format = value() ?? '';
    else if (a === '--kubernetes-version' || a.startsWith('--kubernetes-version=')) k8sVersion = value();
    else if (a === '--config' || a.startsWith('--config=')) configPath = value();
    else if (a === '-f' || a === '--values' || a.startsWith('--values=')) chartOpts.valueFiles.push(value() ?? '');
    else if (a === '--set' || a.startsWith('--set=')) chartOpts.set.push(value() ?? '');
    else if (a === '--set-string' || a.startsWith('--set-string=')) chartOpts.setString.push(value() ?? '');
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (a.startsWith('--')) {
      process.stderr.write(`kube-manifests: unknown option ${a}\n\n${USAGE}\n`);
      return 2;
    } else inputs.push(a);
  }
  if (!['text', 'json', 'sarif'].includes(format)) {
    process.stderr.write(`kube-manifests: --format must be text, json or sarif, not "${format}"\n`);
    return 2;
  }
  if (k8sVersion !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(k8sVersion)) {
    process.stderr.write(`kube-manifests: --kubernetes-version must look like 1.34, not "${k8sVersion}"\n`);
    return 2;
  }
  const config = loadProjectConfig(configPath ?? path.join(process.cwd(), '.kube-manifests.yaml'), configPath !== undefined);
  if (config.error) {
    process.stderr.write(`kube-manifests: ${config.error}\n`);
    return 2;
  }
  const settings: Settings = normalizeSettings({ ...config.settings, ...(k8sVersion ? { kubernetesVersion: k8sVersion } : {}) });

  if (!inputs.length) inputs.push('.');
  const files: string[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    if (input === '-') files.push('-');
    else if (/[*?[]/.test(input)) {
      const found = expandGlob(input);
      if (!found.length) missing.push(input);
      files.push(...found);
    } else if (fs.existsSync(input) && fs.statSync(input).isDirectory()) files.push(...walk(input));
    else files.push(input);
  }
  if (missing.length) {
    process.stderr.write(`kube-manifests: no files match ${missing.join(', ')}\n`);
    return 2;
  }

  const ls = createLanguageService({
    readSchema: nodeSchemaReader(),
    onError: (feature, uri, e) => process.stderr.write(`kube-manifests: internal error in ${feature} on ${uri}: ${describeError(e)}\n`),
  });
  const results: CliResult[] = [];
  // Helm charts in the folders: rendered and checked as the editor does; their own files leave the plain check.
  const missingValues = chartOpts.valueFiles.filter((f) => !f || !fs.existsSync(f));
  if (missingValues.length) {
    process.stderr.write(`kube-manifests: values file ${missingValues.map((f) => `"${f}"`).join(', ')} does not exist\n`);
    return 2;
  }
  const folders = inputs.filter((i) => i !== '-' && !/[*?[]/.test(i) && fs.existsSync(i) && fs.statSync(i).isDirectory());
  if (!folders.length && (chartOpts.valueFiles.length || chartOpts.set.length || chartOpts.setString.length)) {
    process.stderr.write('kube-manifests: -f, --set and --set-string need a chart folder among the paths\n');
    return 2;
  }
  const charts = checkCharts(ls, folders, settings, chartOpts, (p) => pathToUri(path.resolve(p)), ls.workspace);
  if (charts.error) {
    process.stderr.write(`kube-manifests: ${charts.error}\n`);
    return 2;
  }
  for (let i = files.length - 1; i >= 0; i--) if (files[i] !== '-' && charts.owns(files[i])) files.splice(i, 1);
  const parsedFiles: Array<{ file: ReturnType<typeof ls.parse>; slot: number }> = [];
  for (const f of files) {
    const display = f === '-' ? '<stdin>' : f;
    const uri = f === '-' ? 'stdin:' : pathToUri(path.resolve(f));
    let text: string;
    try {
      const buf = f === '-' ? fs.readFileSync(0) : fs.readFileSync(f);
      if (buf.subarray(0, 8000).includes(0)) {
        results.push(unreadable(display, uri, 'is a binary file, not YAML; skipped'));
        continue;
      }
      text = new TextDecoder('utf-8').decode(buf);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      results.push(unreadable(display, uri, code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? 'error'})`));
      continue;
    }
    if (text.length > settings.maxFileSize && f !== '-' && !inputs.includes(f)) {
      process.stderr.write(`kube-manifests: ${display} is larger than maxFileSize (${settings.maxFileSize} bytes); name it explicitly to check it\n`);
      continue;
    }
    const file = ls.parse(uri, text);
    ls.workspace.setFile(file); // the given files are one workspace: references across them are checked
    parsedFiles.push({ file, slot: results.length });
    results.push({ path: display, uri, problems: [] });
  }
  // The given files and the objects the charts render are one workspace: references across them are checked.
  ls.workspace.enabled = parsedFiles.length + (charts.renderedObjects > 0 ? 1 : 0) > 1;
  // The charts' cross-file references were checked before the plain files were read: again, with them.
  if (ls.workspace.enabled && parsedFiles.length) charts.recheck();
  for (const { file, slot } of parsedFiles) {
    results[slot].problems = ls.validate(file, settings).map((p) => {
      const s = file.lines.positionAt(p.start);
      const e = file.lines.positionAt(p.end);
      return { ...p, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    });
  }
  results.push(...charts.results);

  if (format === 'json') process.stdout.write(JSON.stringify(results.map(({ path: p, problems }) => ({ path: p, problems: problems.map(({ data: _d, unnecessary: _u, ...rest }) => rest) })), null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(JSON.stringify(toSarif(results), null, 2) + '\n');
  else {
    let errors = 0;
    let warnings = 0;
    for (const r of results) {
      for (const p of r.problems) {
        if (p.severity === 'hint') continue;
        if (p.severity === 'error') errors++;
        if (p.severity === 'warning') warnings++;
        process.stdout.write(`${r.path}:${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}\n`);
      }
    }
    process.stderr.write(`${results.length} file${results.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return results.some((r) => r.problems.some((p) => p.severity === 'error')) ? 1 : 0;
}

function unreadable(display: string, uri: string, why: string): CliResult {
  return { path: display, uri, problems: [{ start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'unreadable-file', message: `${display} ${why}.` }] };
}

function pathToUri(p: string): string {
  return 'file://' + p.split(path.sep).map(encodeURIComponent).join('/').replace(/^\/?/, '/').replace(/^\/\//, '/');
}

/** Files below `base` (sorted, skipping node_modules and .git) whose path relative to it is accepted. */
function listFiles(base: string, accept: (rel: string, name: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (d: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (SKIP_DIRS.has(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p, r);
      else if (accept(r, e.name)) out.push(p);
    }
  };
  visit(base, '');
  return out;
}

function walk(dir: string): string[] {
  return listFiles(dir, (_rel, name) => /\.ya?ml$/i.test(name));
}

/** Expands a glob with `**`, `*`, `?` and `[...]` relative to its fixed prefix. */
export function expandGlob(pattern: string): string[] {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  while (parts.length && !/[*?[]/.test(parts[0])) fixed.push(parts.shift()!);
  const base = fixed.length ? fixed.join('/') || '/' : '.';
  const re = globToRegExp(parts.join('/'));
  return listFiles(base, (rel) => re.test(rel));
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += glob.slice(i, end + 1);
        i = end;
      }
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map(escapeRe).join('|') + ')';
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
