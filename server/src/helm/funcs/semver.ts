/**
 * Masterminds/semver v3.2.0 (what sprig 3.2.3 uses): versions, comparison, constraints with
 * their exact error texts, and sprig's `semver` / `semverCompare`.
 *
 * Exported for the engine too (Chart.yaml `kubeVersion`, dependency version ranges):
 * `parseVersion`, `parseConstraint`, `SemverConstraints.check` / `validate`.
 *
 * Constraint syntax: `=`, `!=`, `>`, `<`, `>=` (`=>`), `<=` (`=<`), `~` (`~>`), `^`, wildcards
 * `x`/`X`/`*`, ranges `1.2 - 1.4.5`, AND with spaces or commas, OR with `||`. A prerelease version
 * only satisfies constraints that carry a prerelease themselves (`>=1.19-0` accepts
 * `1.20.0-gke.1`, `>=1.19` does not).
 *
 * Masterminds validates constraints with a regular expression that backtracks exponentially on
 * some inputs; here the same language is recognised by a linear scanner.
 */
import { def, FuncDef, GoError, GoInt, GoStruct, Value } from '../value';
import { FuncFamily } from './env';

const MAX_UINT64 = (1n << 64n) - 1n;

const ErrInvalidSemVer = 'Invalid Semantic Version';
const ErrEmptyString = 'Version string empty';
const ErrInvalidCharacters = 'Invalid characters in version';
const ErrSegmentStartsZero = 'Version segment starts with 0';
const ErrInvalidMetadata = 'Invalid Metadata string';
const ErrInvalidPrerelease = 'Invalid Prerelease string';

const VERSION_RE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const NUM = /^[0-9]*$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;

/** strconv.ParseUint(s, 10, 64) for a string of digits. */
function parseUint(s: string): bigint {
  const v = BigInt(s);
  if (v > MAX_UINT64) throw new GoError(`strconv.ParseUint: parsing "${s}": value out of range`);
  return v;
}

function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (NUM.test(part)) {
      if (part.length > 1 && part[0] === '0') throw new GoError(ErrSegmentStartsZero);
    } else if (!ALLOWED.test(part)) throw new GoError(ErrInvalidPrerelease);
  }
}

function validateMetadata(m: string): void {
  for (const part of m.split('.')) if (!ALLOWED.test(part)) throw new GoError(ErrInvalidMetadata);
}

/** A semantic version (Masterminds' *semver.Version; `ptr` false for the `semver.Version` values methods return). */
export class SemverVersion extends GoStruct {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
    readonly ptr = true,
  ) {
    super();
  }

  get goType(): string {
    return this.ptr ? '*semver.Version' : 'semver.Version';
  }

  /** Version.String: major.minor.patch[-pre][+metadata] (no `v`). */
  /** MarshalJSON writes the version's String(). */
  override jsonValue(): Value {
    return this.toString();
  }

  override toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre !== '') s += '-' + this.pre;
    if (this.metadata !== '') s += '+' + this.metadata;
    return s;
  }

  override format(): string {
    return this.toString();
  }

  /** Version.Compare: -1, 0 or 1 (metadata is ignored; a prerelease sorts before its release). */
  compare(o: SemverVersion): number {
    for (const [a, b] of [
      [this.major, o.major],
      [this.minor, o.minor],
      [this.patch, o.patch],
    ]) {
      if (a < b) return -1;
      if (a > b) return 1;
    }
    if (this.pre === '' && o.pre === '') return 0;
    if (this.pre === '') return 1;
    if (o.pre === '') return -1;
    return comparePrerelease(this.pre, o.pre);
  }

  private vPrefix(): string {
    return this.original !== '' && this.original[0] === 'v' ? 'v' : '';
  }

  private with(major: bigint, minor: bigint, patch: bigint, pre: string, metadata: string): SemverVersion {
    const v = new SemverVersion(major, minor, patch, pre, metadata, '', false);
    return new SemverVersion(major, minor, patch, pre, metadata, this.vPrefix() + v.toString(), false);
  }

  incPatch(): SemverVersion {
    // A prerelease is dropped instead of incrementing the patch (1.2.3-beta → 1.2.3).
    return this.with(this.major, this.minor, this.pre !== '' ? this.patch : this.patch + 1n, '', '');
  }

  incMinor(): SemverVersion {
    return this.with(this.major, this.minor + 1n, 0n, '', '');
  }

  incMajor(): SemverVersion {
    return this.with(this.major + 1n, 0n, 0n, '', '');
  }

  setPrerelease(p: string): SemverVersion {
    if (p.length > 0) validatePrerelease(p);
    return this.with(this.major, this.minor, this.patch, p, this.metadata);
  }

  setMetadata(m: string): SemverVersion {
    if (m.length > 0) validateMetadata(m);
    return this.with(this.major, this.minor, this.patch, this.pre, m);
  }

  override method(name: string): FuncDef | undefined {
    const m = (params: string[], result: string, fn: (...a: any[]) => Value, returnsError = false): FuncDef => ({ name, params, result, fn, returnsError });
    const u64 = (v: bigint) => new GoInt(v, 'uint64');
    const bytes = (s: string) => new TextEncoder().encode(s);
    const other = (o: Value): SemverVersion => {
      if (!(o instanceof SemverVersion)) throw new GoError('invalid memory address or nil pointer dereference');
      return o;
    };
    switch (name) {
      case 'String':
        return m([], 'string', () => this.toString());
      case 'Major':
        return m([], 'uint64', () => u64(this.major));
      case 'Minor':
        return m([], 'uint64', () => u64(this.minor));
      case 'Patch':
        return m([], 'uint64', () => u64(this.patch));
      case 'Prerelease':
        return m([], 'string', () => this.pre);
      case 'Metadata':
        return m([], 'string', () => this.metadata);
      case 'IncPatch':
        return m([], 'semver.Version', () => this.incPatch());
      case 'IncMinor':
        return m([], 'semver.Version', () => this.incMinor());
      case 'IncMajor':
        return m([], 'semver.Version', () => this.incMajor());
      case 'SetPrerelease':
        return m(['string'], 'semver.Version', (p: string) => this.setPrerelease(p), true);
      case 'SetMetadata':
        return m(['string'], 'semver.Version', (p: string) => this.setMetadata(p), true);
      case 'MarshalJSON':
        return m([], '[]uint8', () => bytes(JSON.stringify(this.toString())), true);
      case 'MarshalText':
        return m([], '[]uint8', () => bytes(this.toString()), true);
      case 'Value':
        return m([], 'driver.Value', () => this.toString(), true);
    }
    if (!this.ptr) return undefined; // pointer-receiver methods are not in the value's method set
    switch (name) {
      case 'Original':
        return m([], 'string', () => this.original);
      case 'Compare':
        return m(['*semver.Version'], 'int', (o: Value) => new GoInt(BigInt(this.compare(other(o))), 'int'));
      case 'LessThan':
        return m(['*semver.Version'], 'bool', (o: Value) => this.compare(other(o)) < 0);
      case 'GreaterThan':
        return m(['*semver.Version'], 'bool', (o: Value) => this.compare(other(o)) > 0);
      case 'Equal':
        return m(['*semver.Version'], 'bool', (o: Value) => this.compare(other(o)) === 0);
    }
    return undefined;
  }
}

function isUint64(s: string): boolean {
  return /^[0-9]+$/.test(s) && BigInt(s) <= MAX_UINT64;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const sn = isUint64(s);
  const on = isUint64(o);
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** semver.NewVersion (lenient: `v` prefix, missing minor/patch, leading zeros allowed in the numbers). */
export function parseVersion(v: string): SemverVersion {
  const m = VERSION_RE.exec(v);
  if (!m) throw new GoError(ErrInvalidSemVer);
  const seg = (s: string | undefined) => {
    if (!s) return 0n;
    try {
      return parseUint(s.replace(/^\./, ''));
    } catch (e) {
      throw new GoError(`Error parsing version segment: ${(e as Error).message}`);
    }
  };
  const major = seg(m[1]);
  const minor = seg(m[2]);
  const patch = seg(m[3]);
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  if (pre !== '') validatePrerelease(pre);
  if (metadata !== '') validateMetadata(metadata);
  return new SemverVersion(major, minor, patch, pre, metadata, v);
}

/** semver.StrictNewVersion: exactly MAJOR.MINOR.PATCH[-PRE][+META], no leading zeros. */
export function parseStrictVersion(v: string): SemverVersion {
  if (v.length === 0) throw new GoError(ErrEmptyString);
  const parts = splitN(v, '.', 3);
  if (parts.length !== 3) throw new GoError(ErrInvalidSemVer);
  let pre = '';
  let metadata = '';
  if (/[-+]/.test(parts[2])) {
    let extra = splitN(parts[2], '+', 2);
    if (extra.length > 1) {
      metadata = extra[1];
      parts[2] = extra[0];
    }
    extra = splitN(parts[2], '-', 2);
    if (extra.length > 1) {
      pre = extra[1];
      parts[2] = extra[0];
    }
  }
  for (const p of parts) {
    if (!NUM.test(p)) throw new GoError(ErrInvalidCharacters);
    if (p.length > 1 && p[0] === '0') throw new GoError(ErrSegmentStartsZero);
  }
  const num = (p: string) => {
    if (p === '') throw new GoError('strconv.ParseUint: parsing "": invalid syntax');
    return parseUint(p);
  };
  const sv = new SemverVersion(num(parts[0]), num(parts[1]), num(parts[2]), pre, metadata, v);
  if (pre !== '') validatePrerelease(pre);
  if (metadata !== '') validateMetadata(metadata);
  return sv;
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Constraints

interface Constraint {
  con: SemverVersion;
  /** The version text as written (`1.2.x`). */
  orig: string;
  /** The operator as written. */
  origfunc: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

/** One `op version` item of a constraint as the scanner split it, with cvRegex's groups. */
interface Item {
  op: string;
  cv: string;
  major: string;
  minor: string; // with its leading dot, or ''
  patch: string;
  pre: string; // with its leading dash, or ''
}

const OPS2 = ['!=', '>=', '=>', '<=', '=<', '~>'];
const OPS1 = ['=', '>', '<', '~', '^'];

function isWs(c: string | undefined): boolean {
  // Go's \s: [\t\n\f\r ]
  return c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
}

const CV_NUM = /[0-9|xX*]/;
const CV_IDENT = /[0-9A-Za-z-]/;

/** cvRegex at i (greedy, which is exact here: what may follow a version never starts with what a version part could give back). */
function scanVersion(s: string, i: number): Omit<Item, 'op'> & { end: number } | undefined {
  const start = i;
  if (s[i] === 'v') i++;
  const run = (j: number, re: RegExp) => {
    while (j < s.length && re.test(s[j])) j++;
    return j;
  };
  const mEnd = run(i, CV_NUM);
  if (mEnd === i) return undefined;
  const major = s.slice(i, mEnd);
  i = mEnd;
  const dotted = (): string => {
    if (s[i] !== '.') return '';
    const e = run(i + 1, CV_NUM);
    if (e === i + 1) return '';
    const part = s.slice(i, e);
    i = e;
    return part;
  };
  const minor = dotted();
  const patch = minor ? dotted() : '';
  const idents = (lead: string): string => {
    if (s[i] !== lead) return '';
    let e = run(i + 1, CV_IDENT);
    if (e === i + 1) return '';
    for (;;) {
      if (s[e] !== '.') break;
      const f = run(e + 1, CV_IDENT);
      if (f === e + 1) break;
      e = f;
    }
    const part = s.slice(i, e);
    i = e;
    return part;
  };
  const pre = idents('-');
  idents('+');
  return { cv: s.slice(start, i), major, minor, patch, pre, end: i };
}

/**
 * Masterminds' validConstraintRegex and findConstraintRegex over one `||` part, in one linear
 * pass: the items, or undefined when the part is not a valid constraint.
 */
function scanItems(s: string): Item[] | undefined {
  const items: Item[] = [];
  let i = 0;
  while (isWs(s[i])) i++;
  for (;;) {
    let found: (Omit<Item, 'op'> & { end: number }) | undefined;
    let op = '';
    for (const cand of [...OPS2, ...OPS1, '']) {
      if (!s.startsWith(cand, i)) continue;
      let j = i + cand.length;
      while (isWs(s[j])) j++;
      found = scanVersion(s, j);
      if (found) {
        op = cand;
        break;
      }
    }
    if (!found) return undefined;
    items.push({ op, cv: found.cv, major: found.major, minor: found.minor, patch: found.patch, pre: found.pre });
    i = found.end;
    const wsStart = i;
    while (isWs(s[i])) i++;
    if (i >= s.length) return items;
    if (s[i] === ',') {
      i++;
      while (isWs(s[i])) i++;
    } else if (i === wsStart) return undefined;
  }
}

const CV_SRC = '(v?([0-9|xX*]+)(\\.[0-9|xX*]+)?(\\.[0-9|xX*]+)?(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?)';
/** constraintRangeRegex: `A - B` ranges (Go's \s is [\t\n\f\r ]). */
const RANGE_RE = new RegExp(`[\\t\\n\\f\\r ]*${CV_SRC}[\\t\\n\\f\\r ]+-[\\t\\n\\f\\r ]+${CV_SRC}[\\t\\n\\f\\r ]*`, 'g');

/** rewriteRange: each `A - B` becomes `>= A, <= B` (replacing the first occurrence of its text). */
function rewriteRange(s: string): string {
  if (s.length > 4096) return s; // the range regex is quadratic on long digit runs; such input is invalid anyway
  const matches = [...s.matchAll(RANGE_RE)];
  let o = s;
  for (const m of matches) {
    const t = `>= ${m[1]}, <= ${m[11]}`;
    const at = o.indexOf(m[0]);
    if (at >= 0) o = o.slice(0, at) + t + o.slice(at + m[0].length);
  }
  return o;
}

function isX(x: string): boolean {
  return x === 'x' || x === '*' || x === 'X';
}

function parseItem(it: Item): Constraint {
  let ver = it.cv;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(it.major) || it.major === '') {
    ver = '0.0.0' + it.pre;
    dirty = true;
  } else if (isX(it.minor.replace(/^\./, '')) || it.minor === '') {
    minorDirty = true;
    dirty = true;
    ver = `${it.major}.0.0${it.pre}`;
  } else if (isX(it.patch.replace(/^\./, '')) || it.patch === '') {
    dirty = true;
    patchDirty = true;
    ver = `${it.major}${it.minor}.0${it.pre}`;
  }
  let con: SemverVersion;
  try {
    con = parseVersion(ver);
  } catch {
    throw new GoError('constraint Parser Error');
  }
  return { con, orig: it.cv, origfunc: it.op, minorDirty, patchDirty, dirty };
}

type Check = (v: SemverVersion, c: Constraint) => string | undefined;

function preMismatch(v: SemverVersion, c: Constraint): string | undefined {
  if (v.pre !== '' && c.con.pre === '') return `${v} is a prerelease version and the constraint is only looking for release versions`;
  return undefined;
}

const notEqual: Check = (v, c) => {
  if (c.dirty) {
    const p = preMismatch(v, c);
    if (p) return p;
    if (c.con.major !== v.major) return undefined;
    if (c.con.minor !== v.minor && !c.minorDirty) return undefined;
    if (c.minorDirty) return `${v} is equal to ${c.orig}`;
    if (c.con.patch !== v.patch && !c.patchDirty) return undefined;
    if (c.patchDirty) {
      if (v.pre !== '' || c.con.pre !== '') {
        if (comparePrerelease(v.pre, c.con.pre) !== 0) return undefined;
        return `${v} is equal to ${c.orig}`;
      }
      return `${v} is equal to ${c.orig}`;
    }
  }
  if (v.compare(c.con) === 0) return `${v} is equal to ${c.orig}`;
  return undefined;
};

const greaterThan: Check = (v, c) => {
  const p = preMismatch(v, c);
  if (p) return p;
  const fail = `${v} is less than or equal to ${c.orig}`;
  if (!c.dirty) return v.compare(c.con) === 1 ? undefined : fail;
  if (v.major > c.con.major) return undefined;
  if (v.major < c.con.major) return fail;
  if (c.minorDirty) return fail;
  if (c.patchDirty) return v.minor > c.con.minor ? undefined : fail;
  return v.compare(c.con) === 1 ? undefined : fail;
};

const lessThan: Check = (v, c) => preMismatch(v, c) ?? (v.compare(c.con) < 0 ? undefined : `${v} is greater than or equal to ${c.orig}`);

const greaterThanEqual: Check = (v, c) => preMismatch(v, c) ?? (v.compare(c.con) >= 0 ? undefined : `${v} is less than ${c.orig}`);

const lessThanEqual: Check = (v, c) => {
  const p = preMismatch(v, c);
  if (p) return p;
  const fail = `${v} is greater than ${c.orig}`;
  if (!c.dirty) return v.compare(c.con) <= 0 ? undefined : fail;
  if (v.major > c.con.major) return fail;
  if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return fail;
  return undefined;
};

const tilde: Check = (v, c) => {
  const p = preMismatch(v, c);
  if (p) return p;
  if (v.compare(c.con) < 0) return `${v} is less than ${c.orig}`;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return undefined;
  if (v.major !== c.con.major) return `${v} does not have same major version as ${c.orig}`;
  if (v.minor !== c.con.minor && !c.minorDirty) return `${v} does not have same major and minor version as ${c.orig}`;
  return undefined;
};

const tildeOrEqual: Check = (v, c) => {
  const p = preMismatch(v, c);
  if (p) return p;
  if (c.dirty) return tilde(v, c);
  return v.compare(c.con) === 0 ? undefined : `${v} is not equal to ${c.orig}`;
};

const caret: Check = (v, c) => {
  const p = preMismatch(v, c);
  if (p) return p;
  if (v.compare(c.con) < 0) return `${v} is less than ${c.orig}`;
  if (c.con.major > 0n || c.minorDirty) {
    return v.major === c.con.major ? undefined : `${v} does not have same major version as ${c.orig}`;
  }
  if (c.con.major === 0n && v.major > 0n) return `${v} does not have same major version as ${c.orig}`;
  if (c.con.minor > 0n || c.patchDirty) {
    return v.minor === c.con.minor
      ? undefined
      : `${v} does not have same minor version as ${c.orig}. Expected minor versions to match when constraint major version is 0`;
  }
  if (c.con.minor === 0n && v.minor > 0n) return `${v} does not have same minor version as ${c.orig}`;
  return c.con.patch === v.patch ? undefined : `${v} does not equal ${c.orig}. Expect version and constraint to equal when major and minor versions are 0`;
};

const OPS: Record<string, Check> = {
  '': tildeOrEqual,
  '=': tildeOrEqual,
  '!=': notEqual,
  '>': greaterThan,
  '<': lessThan,
  '>=': greaterThanEqual,
  '=>': greaterThanEqual,
  '<=': lessThanEqual,
  '=<': lessThanEqual,
  '~': tilde,
  '~>': tilde,
  '^': caret,
};

/** Parsed constraints: OR of ANDs. */
export class SemverConstraints {
  constructor(private readonly ors: Constraint[][]) {}

  /** Constraints.Check. */
  check(v: SemverVersion): boolean {
    return this.ors.some((and) => and.every((c) => OPS[c.origfunc](v, c) === undefined));
  }

  /** Constraints.Validate: whether v satisfies them, and otherwise Masterminds' reasons. */
  validate(v: SemverVersion): [boolean, string[]] {
    const errs: string[] = [];
    let prerelease = false;
    for (const and of this.ors) {
      let joy = true;
      for (const c of and) {
        if (c.con.pre === '' && v.pre !== '') {
          if (!prerelease) {
            errs.push(`${v} is a prerelease version and the constraint is only looking for release versions`);
            prerelease = true;
          }
          joy = false;
        } else {
          const e = OPS[c.origfunc](v, c);
          if (e !== undefined) {
            errs.push(e);
            joy = false;
          }
        }
      }
      if (joy) return [true, []];
    }
    return [false, errs];
  }

  /** Constraints.String. */
  toString(): string {
    return this.ors.map((and) => and.map((c) => c.origfunc + c.orig).join(' ')).join(' || ');
  }
}

/** semver.NewConstraint: throws GoError (`improper constraint: >=a`, `constraint Parser Error`). */
export function parseConstraint(c: string): SemverConstraints {
  const rewritten = rewriteRange(c);
  const ors: Constraint[][] = [];
  for (const part of rewritten.split('||')) {
    const items = scanItems(part);
    if (!items) throw new GoError(`improper constraint: ${part}`);
    ors.push(items.map(parseItem));
  }
  return new SemverConstraints(ors);
}

/** sprig's semverCompare: does `version` satisfy `constraint`? */
export function semverCompare(constraint: string, version: string): boolean {
  const c = parseConstraint(constraint);
  const v = parseVersion(version);
  return c.check(v);
}

const constraintCache = new Map<string, SemverConstraints | GoError>();

function cachedConstraint(c: string): SemverConstraints {
  let r = constraintCache.get(c);
  if (r === undefined) {
    try {
      r = parseConstraint(c);
    } catch (e) {
      if (!(e instanceof GoError)) throw e;
      r = e;
    }
    if (constraintCache.size >= 500) constraintCache.clear();
    constraintCache.set(c, r);
  }
  if (r instanceof GoError) throw new GoError(r.message);
  return r;
}

/** sprig's semver and semverCompare. */
export const semverFuncs: FuncFamily = (map) => {
  def(map, 'semver', ['string'], '*semver.Version', (v: string) => parseVersion(v), { returnsError: true });
  def(map, 'semverCompare', ['string', 'string'], 'bool', (c: string, v: string) => cachedConstraint(c).check(parseVersion(v)), { returnsError: true });
};
