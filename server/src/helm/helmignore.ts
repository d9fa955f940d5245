/**
 * `.helmignore` as Helm reads it (helm/helm pkg/ignore/rules.go), and Go's `filepath.Match` that
 * its rules are made of.
 *
 * Helm's rules are NOT gitignore:
 * - each line is trimmed; blank lines and lines starting with `#` are skipped;
 * - a rule containing `**` is an error (`double-star (**) syntax is not supported`), and so is a
 *   rule `filepath.Match` calls malformed (`syntax error in pattern`);
 * - `!rule` is a negative rule, and a surprising one: a path that does NOT match it is ignored
 *   (and evaluation stops), a path that matches goes on to the next rule;
 * - `rule/` only applies to directories (the slash is removed before matching);
 * - `/rule` matches the whole relative path; a rule with a `/` inside matches the whole path; a
 *   rule without `/` matches the base name only;
 * - the first rule that decides wins; the directory loader adds `templates/.?*` after the
 *   file's rules (dot files directly in templates/);
 * - the path `""`, `.` and `./` are never ignored.
 * The directory loader asks about every directory (an ignored directory is skipped whole) and
 * every file, with paths relative to the chart root and `/` separators.
 */
import { GoError } from './value';

export const HELMIGNORE = '.helmignore';

/** Go's filepath.ErrBadPattern. */
export const ERR_BAD_PATTERN = 'syntax error in pattern';

interface Pattern {
  /** The rule as written (trimmed), `!` and slashes included. */
  raw: string;
  /** The pattern matched (without `!`, trailing `/` and leading `/`). */
  glob: string;
  negate: boolean;
  mustDir: boolean;
  /** How the path is matched: whole path (`/x`, `a/b`) or base name only. */
  whole: boolean;
}

/** A parsed `.helmignore` (Helm's ignore.Rules). */
export class HelmIgnore {
  private readonly patterns: Pattern[] = [];

  /** Adds Helm's default rule `templates/.?*` (after the parsed ones, as LoadDir does). */
  addDefaults(): this {
    this.addRule('templates/.?*');
    return this;
  }

  /** The rules' raw texts, in order (for tests and hovers). */
  rules(): string[] {
    return this.patterns.map((p) => p.raw);
  }

  /**
   * Parses one line as Helm's parseRule does; throws GoError for `**` and malformed patterns.
   * Returns false when the line holds no rule (blank or comment).
   */
  addRule(line: string): boolean {
    let rule = trimSpaceGo(line);
    if (rule === '' || rule.startsWith('#')) return false;
    if (rule.includes('**')) throw new GoError('double-star (**) syntax is not supported');
    // Helm checks the whole raw rule against a non-empty name, so a pattern that filepath.Match
    // only finds malformed while matching "abc" is refused here (and others slip through).
    filepathMatch(rule, 'abc');
    const raw = rule;
    let negate = false;
    let mustDir = false;
    if (rule.startsWith('!')) {
      negate = true;
      rule = rule.slice(1);
    }
    if (rule.endsWith('/')) {
      mustDir = true;
      rule = rule.slice(0, -1);
    }
    let whole = false;
    if (rule.startsWith('/')) {
      whole = true;
      rule = rule.slice(1);
    } else if (rule.includes('/')) {
      whole = true;
    }
    this.patterns.push({ raw, glob: rule, negate, mustDir, whole });
    return true;
  }

  /** Whether Helm ignores the path (relative to the chart root, `/` separators). */
  ignored(path: string, isDir: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const p of this.patterns) {
      if (p.negate) {
        // A negative rule ignores everything it does not match, and stops there.
        if (p.mustDir && !isDir) return true;
        if (!matches(p, path)) return true;
        continue;
      }
      if (p.mustDir && !isDir) continue;
      if (matches(p, path)) return true;
    }
    return false;
  }
}

function matches(p: Pattern, path: string): boolean {
  try {
    return filepathMatch(p.glob, p.whole ? path : baseName(path));
  } catch {
    // Helm logs "failed to compile" and treats the rule as not matching.
    return false;
  }
}

/**
 * Parses a `.helmignore` text as Helm's ignore.Parse does (lines split on `\n`, a trailing `\r`
 * dropped, a UTF-8 BOM dropped from the first line). Throws GoError with Helm's message for a bad
 * rule. The defaults are not added (call addDefaults, or use `helmignoreRules`).
 */
export function parseHelmignore(text: string): HelmIgnore {
  const rules = new HelmIgnore();
  let start = 0;
  let first = true;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    first = false;
    // bufio.Scanner's limit: a line longer than 64 KiB stops the scan with this error.
    if (utf8Length(line) > 65536) throw new GoError('bufio.Scanner: token too long');
    rules.addRule(line);
    start = next;
  }
  return rules;
}

/** The rules the directory loader applies: the chart's `.helmignore` (when there is one), then the defaults. */
export function helmignoreRules(text: string | undefined): HelmIgnore {
  const rules = text === undefined ? new HelmIgnore() : parseHelmignore(text);
  return rules.addDefaults();
}

/** Go's filepath.Base with `/` separators. */
export function baseName(path: string): string {
  if (path === '') return '.';
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  if (end === 0) return '/';
  const slash = path.lastIndexOf('/', end - 1);
  return path.slice(slash + 1, end);
}

/** strings.TrimSpace: Unicode white space at both ends. */
function trimSpaceGo(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** unicode.IsSpace (the White_Space property). */
function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// filepath.Match (Unix: `/` is the separator and `\` escapes), as Go 1.19 implements it.
//
// The pattern is cut into chunks, each an optional run of `*` and then single-character
// operators (literals, `?`, classes). A chunk is tried at the current position; after a star it
// is also tried after skipping 1, 2, ... characters, never skipping a `/`; the first position that
// works is kept (the last chunk must end the name). A malformed chunk is only reported when the
// matcher gets to it: a pattern can fail to match before its bad part is seen, and then it is
// "valid". `[` classes: `[^...]` negates, `lo-hi` ranges, `\` escapes, at least one range; a
// class matches any one character, `/` included. Matching runs over code points.

/** Whether name matches the shell pattern; throws GoError(`syntax error in pattern`) for a malformed one. */
export function filepathMatch(pattern: string, name: string): boolean {
  const pat = Array.from(pattern);
  const str = Array.from(name);
  let p = 0;
  let s = 0;
  while (p < pat.length) {
    let star = false;
    while (p < pat.length && pat[p] === '*') {
      star = true;
      p++;
    }
    const chunkStart = p;
    p = chunkEnd(pat, p);
    const chunkEndAt = p;
    const last = p === pat.length;
    if (star && chunkStart === chunkEndAt) {
      // A trailing star matches the rest unless it holds a separator.
      for (let i = s; i < str.length; i++) if (str[i] === '/') return false;
      return true;
    }
    const at = matchChunk(pat, chunkStart, chunkEndAt, str, s);
    if (at >= 0 && (at === str.length || !last)) {
      s = at;
      continue;
    }
    let found = false;
    if (star) {
      for (let i = s; i < str.length && str[i] !== '/'; i++) {
        const t = matchChunk(pat, chunkStart, chunkEndAt, str, i + 1);
        if (t >= 0) {
          if (last && t < str.length) continue;
          s = t;
          found = true;
          break;
        }
      }
    }
    if (!found) return false;
  }
  return s === str.length;
}

/** The end of the chunk starting at p: the next `*` outside a class (Go's scanChunk). */
function chunkEnd(pat: string[], p: number): number {
  let inRange = false;
  let i = p;
  for (; i < pat.length; i++) {
    const c = pat[i];
    if (c === '\\') {
      if (i + 1 < pat.length) i++;
    } else if (c === '[') inRange = true;
    else if (c === ']') inRange = false;
    else if (c === '*' && !inRange) break;
  }
  return i;
}

/**
 * Matches chunk pat[from, to) at str[s...]: the position after the match, or -1. Once the match
 * has failed, the rest of the chunk is still read, to report a malformed one (Go does the same).
 */
function matchChunk(pat: string[], from: number, to: number, str: string[], s: number): number {
  let failed = false;
  let i = from;
  while (i < to) {
    if (!failed && s >= str.length) failed = true;
    const c = pat[i];
    if (c === '[') {
      let r = '';
      if (!failed) r = str[s++];
      i++;
      let negated = false;
      if (i < to && pat[i] === '^') {
        negated = true;
        i++;
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (i < to && pat[i] === ']' && nrange > 0) {
          i++;
          break;
        }
        const lo = classChar(pat, i, to);
        i = lo.next;
        let hi = lo.ch;
        if (pat[i] === '-') {
          const h = classChar(pat, i + 1, to);
          i = h.next;
          hi = h.ch;
        }
        if (!failed) {
          const cp = r.codePointAt(0)!;
          if (lo.ch.codePointAt(0)! <= cp && cp <= hi.codePointAt(0)!) match = true;
        }
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (str[s] === '/') failed = true;
        s++;
      }
      i++;
    } else {
      let lit = c;
      if (c === '\\') {
        i++;
        if (i >= to) throw new GoError(ERR_BAD_PATTERN);
        lit = pat[i];
      }
      if (!failed) {
        if (lit !== str[s]) failed = true;
        s++;
      }
      i++;
    }
  }
  return failed ? -1 : s;
}

/** A possibly escaped character of a class (Go's getEsc): it must be followed by more pattern. */
function classChar(pat: string[], i: number, to: number): { ch: string; next: number } {
  if (i >= to || pat[i] === '-' || pat[i] === ']') throw new GoError(ERR_BAD_PATTERN);
  if (pat[i] === '\\') {
    i++;
    if (i >= to) throw new GoError(ERR_BAD_PATTERN);
  }
  const ch = pat[i];
  i++;
  if (i >= to) throw new GoError(ERR_BAD_PATTERN);
  return { ch, next: i };
}
