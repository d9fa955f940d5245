/**
 * Go's `path` package (slash-separated paths): Base, Dir, Clean, Ext, IsAbs. sprig's `os*`
 * variants use path/filepath, which on Linux (where Helm renders in CI and in the reference
 * renderer) behaves exactly the same, so both sets share these functions.
 */

/** path.Clean: the shortest equivalent path (lexical processing of `.`, `..` and repeated slashes). */
export function pathClean(path: string): string {
  if (path === '') return '.';
  const rooted = path[0] === '/';
  const n = path.length;
  const out: string[] = [];
  let w = 0; // length of `out` that counts (Go's lazybuf)
  let r = 0;
  let dotdot = 0;
  const append = (c: string) => {
    out[w++] = c;
  };
  if (rooted) {
    append('/');
    r = 1;
    dotdot = 1;
  }
  while (r < n) {
    if (path[r] === '/') r++;
    else if (path[r] === '.' && (r + 1 === n || path[r + 1] === '/')) r++;
    else if (path[r] === '.' && path[r + 1] === '.' && (r + 2 === n || path[r + 2] === '/')) {
      r += 2;
      if (w > dotdot) {
        w--;
        while (w > dotdot && out[w] !== '/') w--;
      } else if (!rooted) {
        if (w > 0) append('/');
        append('.');
        append('.');
        dotdot = w;
      }
    } else {
      if ((rooted && w !== 1) || (!rooted && w !== 0)) append('/');
      for (; r < n && path[r] !== '/'; r++) append(path[r]);
    }
  }
  if (w === 0) return '.';
  return out.slice(0, w).join('');
}

/** path.Base: the last element, trailing slashes removed; "" → ".", only slashes → "/". */
export function pathBase(path: string): string {
  if (path === '') return '.';
  while (path.length > 0 && path[path.length - 1] === '/') path = path.slice(0, -1);
  const i = path.lastIndexOf('/');
  if (i >= 0) path = path.slice(i + 1);
  if (path === '') return '/';
  return path;
}

/** path.Dir: everything but the last element, cleaned. */
export function pathDir(path: string): string {
  const i = path.lastIndexOf('/');
  return pathClean(path.slice(0, i + 1));
}

/** path.Ext: the suffix from the last dot of the last element, or "". */
export function pathExt(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) {
    if (path[i] === '.') return path.slice(i);
  }
  return '';
}

/** path.IsAbs. */
export function pathIsAbs(path: string): boolean {
  return path.length > 0 && path[0] === '/';
}
