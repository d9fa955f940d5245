/**
 * Finds and reads the manifest files of workspace folders: every *.yaml and
 * *.yml below a folder, skipping node_modules, .git and the excluded globs
 * (`files.exclude`, `kubeManifests.exclude`, relative to the folder).
 */
import * as fs from 'fs';
import * as path from 'path';

const SKIP_DIRS = new Set(['node_modules', '.git']);

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file://')) return undefined;
  let p = decodeURIComponent(uri.slice('file://'.length));
  if (/^\/[A-Za-z]:/.test(p)) p = p.slice(1); // file:///c:/...
  return path.normalize(p);
}

export function pathToUri(p: string): string {
  const abs = path.resolve(p).split(path.sep).join('/');
  return 'file://' + (abs.startsWith('/') ? '' : '/') + abs.split('/').map((s) => encodeURIComponent(s).replace(/%3A/g, ':')).join('/');
}

/** A matcher for globs relative to a folder (`**`, `*`, `?`, `{a,b}`, `[...]`); a pattern without `/` matches at any depth. */
export function globMatcher(globs: string[]): (relPath: string) => boolean {
  const res = globs.filter((g) => g.trim()).map((g) => {
    let glob = g.trim().replace(/^\.\//, '').replace(/\/$/, '/**');
    if (!glob.includes('/')) glob = `**/${glob}`;
    return toRegExp(glob);
  });
  return (rel) => res.some((re) => re.test(rel));
}

function toRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map(esc).join('|') + ')';
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += glob.slice(i, end + 1);
        i = end;
      }
    } else re += esc(c);
  }
  // A folder pattern also excludes what is below it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every *.yaml / *.yml below `folder` (absolute paths), skipping excluded ones. */
export async function listManifestFiles(folder: string, exclude: string[] = []): Promise<string[]> {
  const excluded = globMatcher(exclude);
  const out: string[] = [];
  const visit = async (dir: string, rel: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs: Array<Promise<void>> = [];
    for (const e of entries) {
      if (SKIP_DIRS.has(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (excluded(r)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) subdirs.push(visit(p, r));
      else if ((e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/i.test(e.name)) out.push(p);
    }
    await Promise.all(subdirs);
  };
  await visit(folder, '');
  return out.sort();
}

/** True when a path inside `folder` is excluded by the globs. */
export function isExcluded(folder: string, file: string, exclude: string[]): boolean {
  const rel = path.relative(folder, file).split(path.sep).join('/');
  if (rel.startsWith('..')) return false;
  if (rel.split('/').some((s) => SKIP_DIRS.has(s))) return true;
  return globMatcher(exclude)(rel);
}

/** A file's text, or undefined when it cannot be read, is binary or larger than `maxSize`. */
export async function readTextFile(file: string, maxSize: number): Promise<string | undefined> {
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile() || st.size > maxSize) return undefined;
    const buf = await fs.promises.readFile(file);
    if (buf.subarray(0, 8000).includes(0)) return undefined;
    return buf.toString('utf8');
  } catch {
    return undefined;
  }
}

export function readTextFileSync(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Runs `fn` over items with at most `limit` at a time. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}
