/**
 * `.Files`: the chart's files outside templates/ (and the other places the loader sorts files
 * into), as Helm's engine exposes them (helm/helm pkg/engine/files.go): a `map[string][]byte`
 * named `files` in package engine (so `%T` is `engine.files`) with the methods Get, GetBytes,
 * Glob, Lines, AsConfig and AsSecrets. Being a map, it can be ranged over and indexed
 * (`index .Files "a.txt"` gives the []byte), so `asMap()` returns the entries.
 *
 * Glob uses github.com/gobwas/glob with `/` as the separator (not filepath.Match):
 * `*` and `?` stop at `/`, `**` crosses it, `[abc]`, `[!abc]`, `[a-z]`, `[!a-z]` match one
 * character (`/` included), `{a,b}` alternatives (nestable), `\` escapes. A pattern gobwas cannot
 * compile (`[`, `[]`, `[a-`) falls back to `**`: every file matches.
 */
import { formatV } from './fmt';
import { bytesToString } from './chart';
import { toYaml } from './goyaml';
import { def, FuncDef, FuncMap, GoMap, GoStruct, goSlice, Value } from './value';

/** `.Files` and what `.Files.Glob` returns. */
export class Files extends GoStruct {
  readonly goType = 'engine.files';
  private map: GoMap | undefined;
  private methods: FuncMap | undefined;

  /** `entries`: file name → contents; a later duplicate name replaces an earlier one (a Go map). */
  constructor(readonly entries: ReadonlyMap<string, Uint8Array>) {
    super();
  }

  /** Helm's newFiles: from a chart's files. */
  static of(files: ReadonlyArray<{ path: string; data: Uint8Array }>): Files {
    const m = new Map<string, Uint8Array>();
    for (const f of files) m.set(f.path, f.data);
    return new Files(m);
  }

  /** GetBytes: the contents, or an empty []byte for a missing file. */
  getBytes(name: string): Uint8Array {
    return this.entries.get(name) ?? new Uint8Array(0);
  }

  /** Get: the contents as a string ("" for a missing file). */
  get(name: string): string {
    const b = this.entries.get(name);
    return b ? bytesToString(b) : '';
  }

  /** Glob: the files whose names match (gobwas/glob, `/` separator). */
  glob(pattern: string): Files {
    const matcher = cachedGlob(pattern);
    const m = new Map<string, Uint8Array>();
    for (const [name, data] of this.entries) if (matcher(name)) m.set(name, data);
    return new Files(m);
  }

  /**
   * Lines: the file split on "\n" after dropping one final "\n"; an empty or missing file gives
   * an empty list (a "\r" stays at the end of each line of a CRLF file).
   */
  lines(name: string): string[] {
    const b = this.entries.get(name);
    if (!b || b.length === 0) return goSlice([], 'string');
    let s = bytesToString(b);
    if (s.endsWith('\n')) s = s.slice(0, -1);
    return goSlice(s.split('\n'), 'string');
  }

  /** AsConfig: YAML of {base name: contents} (a later file with the same base name wins), for a ConfigMap's data. */
  asConfig(): string {
    const m: GoMap = {};
    for (const [name, data] of this.sortedEntries()) m[pathBase(name)] = bytesToString(data);
    return toYaml(m);
  }

  /** AsSecrets: YAML of {base name: base64 of contents}, for a Secret's data. */
  asSecrets(): string {
    const m: GoMap = {};
    for (const [name, data] of this.sortedEntries()) m[pathBase(name)] = Buffer.from(data).toString('base64');
    return toYaml(m);
  }

  /**
   * Go ranges over the map in random order, so which of two files with the same base name wins
   * in AsConfig/AsSecrets is random in Helm; here the last in name order wins, every time.
   */
  private sortedEntries(): Array<[string, Uint8Array]> {
    return [...this.entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  override method(name: string): FuncDef | undefined {
    return (this.methods ??= filesMethods(this)).get(name);
  }

  override asMap(): GoMap {
    if (!this.map) {
      const m: GoMap = {};
      for (const [k, v] of this.entries) m[k] = v;
      this.map = m;
    }
    return this.map;
  }

  override format(): string {
    return formatV(this.asMap());
  }

  override truth(): boolean {
    return this.entries.size > 0;
  }
}

function filesMethods(f: Files): FuncMap {
  const m: FuncMap = new Map();
  def(m, 'Get', ['string'], 'string', (name: string) => f.get(name));
  def(m, 'GetBytes', ['string'], '[]uint8', (name: string) => f.getBytes(name));
  def(m, 'Glob', ['string'], 'engine.files', (pattern: string) => f.glob(pattern) as Value);
  def(m, 'Lines', ['string'], '[]string', (name: string) => f.lines(name));
  def(m, 'AsConfig', [], 'string', () => f.asConfig());
  def(m, 'AsSecrets', [], 'string', () => f.asSecrets());
  return m;
}

const globCache = new Map<string, (name: string) => boolean>();

/** Compiled patterns, kept across renders (a chart uses a handful); a bad one matches everything. */
function cachedGlob(pattern: string): (name: string) => boolean {
  let m = globCache.get(pattern);
  if (!m) {
    if (globCache.size >= 256) globCache.clear();
    m = compileGlob(pattern) ?? (() => true);
    globCache.set(pattern, m);
  }
  return m;
}

/** Go's path.Base. */
function pathBase(p: string): string {
  if (p === '') return '.';
  let end = p.length;
  while (end > 0 && p[end - 1] === '/') end--;
  if (end === 0) return '/';
  return p.slice(p.lastIndexOf('/', end - 1) + 1, end);
}

// ---------------------------------------------------------------------------------------------
// gobwas/glob

type GlobNode =
  | { t: 'text'; cps: number[] }
  | { t: 'any' }
  | { t: 'super' }
  | { t: 'single' }
  | { t: 'list'; chars: number[]; not: boolean }
  | { t: 'range'; lo: number; hi: number; not: boolean }
  | { t: 'anyOf'; alts: GlobNode[][] };

class GlobSyntaxError extends Error {}

const SEP = 0x2f; // '/'

/**
 * Parses a pattern as gobwas/glob's lexer and parser do; throws GlobSyntaxError where gobwas
 * returns an error. An unclosed `{` is accepted (its alternatives end with the pattern).
 */
function parseGlob(pattern: string): GlobNode[] {
  const cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  let i = 0;
  const root: GlobNode[] = [];
  // The stack of open `{`: the alternatives node and the sequence being filled.
  const stack: Array<{ node: { t: 'anyOf'; alts: GlobNode[][] }; outer: GlobNode[] }> = [];
  let seq = root;
  const LBRACE = 0x7b;
  const RBRACE = 0x7d;
  const COMMA = 0x2c;
  const STAR = 0x2a;
  const QMARK = 0x3f;
  const LBRACK = 0x5b;
  const RBRACK = 0x5d;
  const BSLASH = 0x5c;
  const BANG = 0x21;
  const DASH = 0x2d;
  const readText = (breakers: (c: number) => boolean): number[] => {
    const out: number[] = [];
    let escaped = false;
    while (i < cps.length) {
      const c = cps[i];
      if (!escaped) {
        if (c === BSLASH) {
          escaped = true;
          i++;
          continue;
        }
        if (breakers(c)) break;
      }
      escaped = false;
      out.push(c);
      i++;
    }
    return out;
  };
  while (i < cps.length) {
    const c = cps[i];
    const inTerms = stack.length > 0;
    if (c === LBRACE) {
      i++;
      const node: { t: 'anyOf'; alts: GlobNode[][] } = { t: 'anyOf', alts: [[]] };
      seq.push(node);
      stack.push({ node, outer: seq });
      seq = node.alts[0];
    } else if (c === COMMA && inTerms) {
      i++;
      const top = stack[stack.length - 1];
      const alt: GlobNode[] = [];
      top.node.alts.push(alt);
      seq = alt;
    } else if (c === RBRACE && inTerms) {
      i++;
      seq = stack.pop()!.outer;
    } else if (c === LBRACK) {
      i++;
      seq.push(parseRange());
    } else if (c === QMARK) {
      i++;
      seq.push({ t: 'single' });
    } else if (c === STAR) {
      i++;
      if (cps[i] === STAR) {
        i++;
        seq.push({ t: 'super' });
      } else seq.push({ t: 'any' });
    } else {
      const text = readText((x) => x === QMARK || x === STAR || x === LBRACK || x === LBRACE || (inTerms && (x === RBRACE || x === COMMA)));
      if (text.length > 0) seq.push({ t: 'text', cps: text });
    }
  }
  return root;

  function parseRange(): GlobNode {
    let not = false;
    let lo = 0;
    let hi = 0;
    let chars: number[] = [];
    let seenNot = false;
    let wantHi = false;
    let wantClose = false;
    for (;;) {
      if (i >= cps.length) throw new GlobSyntaxError('unexpected end of input');
      const r = cps[i++];
      if (wantClose) {
        if (r !== RBRACK) throw new GlobSyntaxError('expected close range character');
        break;
      }
      if (wantHi) {
        hi = r;
        if (hi < lo) throw new GlobSyntaxError('hi character should be greater than lo');
        wantClose = true;
        continue;
      }
      if (!seenNot && r === BANG) {
        not = true;
        seenNot = true;
        continue;
      }
      if (cps[i] === DASH) {
        i++;
        lo = r;
        wantHi = true;
        continue;
      }
      i--;
      chars = readText((x) => x === RBRACK);
      wantClose = true;
    }
    const isRange = lo !== 0 && hi !== 0;
    const isChars = chars.length > 0;
    if (isChars === isRange) throw new GlobSyntaxError('could not parse range');
    return isRange ? { t: 'range', lo, hi, not } : { t: 'list', chars, not };
  }
}

// The matcher is a small NFA run over the name's code points (linear time, whatever the pattern).
type State =
  | { k: 'char'; test: (c: number) => boolean; next: number }
  | { k: 'loop'; test: (c: number) => boolean; next: number }
  | { k: 'split'; outs: number[] }
  | { k: 'end' };

function buildNfa(nodes: GlobNode[]): State[] {
  const states: State[] = [];
  const add = (s: State): number => states.push(s) - 1;
  // Compiles a sequence ending at `next`; returns its first state.
  const seqTo = (seq: GlobNode[], next: number): number => {
    let at = next;
    for (let j = seq.length - 1; j >= 0; j--) at = nodeTo(seq[j], at);
    return at;
  };
  const nodeTo = (n: GlobNode, next: number): number => {
    switch (n.t) {
      case 'text': {
        let at = next;
        for (let j = n.cps.length - 1; j >= 0; j--) {
          const want = n.cps[j];
          at = add({ k: 'char', test: (c) => c === want, next: at });
        }
        return at;
      }
      case 'any':
        return add({ k: 'loop', test: (c) => c !== SEP, next });
      case 'super':
        return add({ k: 'loop', test: () => true, next });
      case 'single':
        return add({ k: 'char', test: (c) => c !== SEP, next });
      case 'list': {
        const set = new Set(n.chars);
        const not = n.not;
        return add({ k: 'char', test: (c) => set.has(c) !== not, next });
      }
      case 'range': {
        const { lo, hi, not } = n;
        return add({ k: 'char', test: (c) => (c >= lo && c <= hi) !== not, next });
      }
      case 'anyOf':
        return add({ k: 'split', outs: n.alts.map((alt) => seqTo(alt, next)) });
    }
  };
  const end = add({ k: 'end' });
  const start = seqTo(nodes, end);
  // State 0 is the start: put a split in front so callers know where to begin.
  states.push({ k: 'split', outs: [start] });
  return states;
}

/** gobwas/glob's Compile(pattern, '/') as a predicate; undefined when gobwas reports an error. */
export function compileGlob(pattern: string): ((name: string) => boolean) | undefined {
  let nodes: GlobNode[];
  try {
    nodes = parseGlob(pattern);
  } catch (e) {
    if (e instanceof GlobSyntaxError) return undefined;
    throw e;
  }
  // gobwas compiles `LITERAL**LITERAL` to a prefix-and-suffix test that lets the two overlap, so
  // `a/**/b` matches `a/b` (observed from Go).
  if (nodes.length === 3 && nodes[0].t === 'text' && nodes[1].t === 'super' && nodes[2].t === 'text') {
    const prefix = String.fromCodePoint(...nodes[0].cps);
    const suffix = String.fromCodePoint(...nodes[2].cps);
    return (name: string) => name.startsWith(prefix) && name.endsWith(suffix);
  }
  // A lone `?` is gobwas' single-character matcher, which also accepts the empty string.
  if (nodes.length === 1 && nodes[0].t === 'single') return (name: string) => name.length <= 2 && Array.from(name).length <= 1 && name !== '/';
  const states = buildNfa(nodes);
  const startState = states.length - 1;
  return (name: string) => {
    let cur = new Set<number>();
    const close = (set: Set<number>, s: number): void => {
      if (set.has(s)) return;
      set.add(s);
      const st = states[s];
      if (st.k === 'split') for (const o of st.outs) close(set, o);
      else if (st.k === 'loop') close(set, st.next);
    };
    close(cur, startState);
    for (const ch of name) {
      const c = ch.codePointAt(0)!;
      const next = new Set<number>();
      for (const s of cur) {
        const st = states[s];
        if ((st.k === 'char' || st.k === 'loop') && st.test(c)) {
          if (st.k === 'char') close(next, st.next);
          else close(next, s);
        }
      }
      if (next.size === 0) return false;
      cur = next;
    }
    for (const s of cur) if (states[s].k === 'end') return true;
    return false;
  };
}
