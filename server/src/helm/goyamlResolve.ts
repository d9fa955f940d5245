/**
 * How go-yaml v2 (resolve.go) decides the type of a scalar: YAML 1.1 booleans (`y`, `yes`, `on`,
 * `off`, ...), `~`/`null`, `.inf`/`.nan`, Go's integer syntax after removing `_` (`0x1F`, `0o17`,
 * `017` octal, `0b101`), floats, timestamps (kept as strings when decoded into interface{}), and
 * the `cannot decode !!str `x` as a !!int` errors of explicit tags. The emitter uses the same rules
 * to decide which strings it must quote.
 */
import { YamlFail } from './goyamlScan';

export const TAG_PREFIX = 'tag:yaml.org,2002:';
export const STR_TAG = TAG_PREFIX + 'str';
export const INT_TAG = TAG_PREFIX + 'int';
export const FLOAT_TAG = TAG_PREFIX + 'float';
export const BOOL_TAG = TAG_PREFIX + 'bool';
export const NULL_TAG = TAG_PREFIX + 'null';
export const TIMESTAMP_TAG = TAG_PREFIX + 'timestamp';
export const BINARY_TAG = TAG_PREFIX + 'binary';
export const MERGE_TAG = TAG_PREFIX + 'merge';

/** A resolved scalar: its tag and value. Integers are `number` when safe, else `bigint`; `uint` marks Go's uint64. */
export interface Resolved {
  tag: string;
  /** null, boolean, string, number (float64, or int when tag is INT_TAG), bigint (int64/uint64). */
  value: null | boolean | string | number | bigint;
  uint?: boolean;
}

const RESOLVE_MAP = new Map<string, Resolved>();
for (const [value, tag, words] of [
  [true, BOOL_TAG, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
  [false, BOOL_TAG, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
  [null, NULL_TAG, ['', '~', 'null', 'Null', 'NULL']],
  [NaN, FLOAT_TAG, ['.nan', '.NaN', '.NAN']],
  [Infinity, FLOAT_TAG, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [-Infinity, FLOAT_TAG, ['-.inf', '-.Inf', '-.INF']],
  ['<<', MERGE_TAG, ['<<']],
] as [Resolved['value'], string, string[]][]) {
  for (const w of words) RESOLVE_MAP.set(w, { tag, value });
}

/** resolve.go's hint table: S(ign), D(igit), M(ap word), '.'; 0 means "a string". */
function hint(c: number): number {
  if (c === 43 || c === 45) return 83; // S
  if (c >= 48 && c <= 57) return 68; // D
  if (c === 46) return 46;
  switch (c) {
    case 121: // y
    case 89:
    case 110: // n
    case 78:
    case 116: // t
    case 84:
    case 102: // f
    case 70:
    case 111: // o
    case 79:
    case 126: // ~
      return 77; // M
  }
  return 0;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const SMALL_DECIMAL = /^[-+]?[1-9][0-9]{0,14}$/;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Go's strconv.ParseUint(s, 0, 64) digits after the sign; undefined on a syntax or range error. */
function parseGoUnsigned(s: string): bigint | undefined {
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1].toLowerCase() : '';
    if (p === 'b') base = 2;
    else if (p === 'o') base = 8;
    else if (p === 'x') base = 16;
    else base = 8;
    digits = base === 8 && p !== 'o' ? s.slice(1) : s.slice(2);
  }
  let n = 0n;
  const b = BigInt(base);
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if ((c | 32) >= 97 && (c | 32) <= 122) d = (c | 32) - 87;
    else return undefined;
    if (d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** strconv.ParseInt(s, 0, 64). */
export function parseGoInt(s: string): bigint | undefined {
  let neg = false;
  let rest = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    rest = s.slice(1);
  }
  const u = parseGoUnsigned(rest);
  if (u === undefined) return undefined;
  const v = neg ? -u : u;
  if (v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

/** strconv.ParseUint(s, 0, 64) (no sign accepted). */
export function parseGoUint(s: string): bigint | undefined {
  if (s[0] === '+' || s[0] === '-') return undefined;
  return parseGoUnsigned(s);
}

function intResolved(v: bigint, uint = false): Resolved {
  const n = Number(v);
  return { tag: INT_TAG, value: Number.isSafeInteger(n) ? n : v, uint };
}

function resolvePlain(tag: string, s: string): Resolved {
  const h = s === '' ? 78 : hint(s.charCodeAt(0));
  if (h !== 0 && tag !== STR_TAG && tag !== BINARY_TAG) {
    const item = RESOLVE_MAP.get(s);
    if (item) return item;
    if (h === 46) {
      // strconv.ParseFloat of a number starting with '.'.
      if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) {
        const f = Number(s);
        if (Number.isFinite(f)) return { tag: FLOAT_TAG, value: f };
      }
    } else if (h === 68 || h === 83) {
      if ((tag === '' || tag === TIMESTAMP_TAG) && isTimestamp(s)) return { tag: TIMESTAMP_TAG, value: s };
      const plain = s.indexOf('_') >= 0 ? s.replace(/_/g, '') : s;
      if (SMALL_DECIMAL.test(plain) || plain === '0') return { tag: INT_TAG, value: Number(plain) };
      const i = parseGoInt(plain);
      if (i !== undefined) return intResolved(i);
      const u = parseGoUint(plain);
      if (u !== undefined) return intResolved(u, true);
      if (YAML_STYLE_FLOAT.test(plain)) {
        const f = Number(plain);
        if (Number.isFinite(f)) return { tag: FLOAT_TAG, value: f };
      }
    }
  }
  return { tag: STR_TAG, value: s };
}

function isResolvable(tag: string): boolean {
  return (
    tag === '' ||
    tag === STR_TAG ||
    tag === BOOL_TAG ||
    tag === INT_TAG ||
    tag === FLOAT_TAG ||
    tag === NULL_TAG ||
    tag === TIMESTAMP_TAG
  );
}

/** `!!int` for `tag:yaml.org,2002:int`. */
export function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? '!!' + tag.slice(TAG_PREFIX.length) : tag;
}

/**
 * go-yaml's resolve(tag, value): the type of a scalar. Tags it does not resolve (`!!binary`,
 * custom `!foo`, `!`) come back unchanged with the text. An explicit tag that disagrees with the
 * text throws (`cannot decode !!str `abc` as a !!int`), except that an int is accepted as a float.
 */
export function resolve(tag: string, s: string): Resolved {
  if (!isResolvable(tag)) return { tag, value: s };
  const r = resolvePlain(tag, s);
  if (tag === '' || tag === r.tag || tag === STR_TAG) return r;
  if (tag === FLOAT_TAG && r.tag === INT_TAG) return { tag: FLOAT_TAG, value: Number(r.value) };
  throw new YamlFail(`cannot decode ${shortTag(r.tag)} \`${s}\` as a ${shortTag(tag)}`);
}

/** True when a plain scalar with this text would not be read back as a string (so the emitter must quote it). */
export function resolvesToNonString(s: string): boolean {
  if (s === '') return true;
  if (hint(s.charCodeAt(0)) === 0) return false;
  return resolvePlain('', s).tag !== STR_TAG;
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** YAML 1.1 base 60 floats (`1:20`), which go-yaml does not read but still quotes on output. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s.charCodeAt(0);
  if (!(c === 43 || c === 45 || (c >= 48 && c <= 57)) || s.indexOf(':') < 0) return false;
  return BASE60_FLOAT.test(s);
}

// The timestamp layouts go-yaml tries with Go's time.Parse: "2006-1-2T15:4:5.999999999Z07:00",
// the same with a lower-case "t", "2006-1-2 15:4:5.999999999" (runs of spaces match the space)
// and "2006-1-2". Month, day and hour take one or two digits; the fraction at most nine; the zone
// is Z or ±hh:mm (each part read with atoi, so "+-1:00" passes); ranges are checked.
const TS_FULL = /^(\d{4})-(\d\d?)-(\d\d?)[Tt](\d\d?):(\d\d?):(\d\d?)(?:[.,]\d{1,9})?(?:Z|[-+](?:[-+]\d|\d\d):(?:[-+]\d|\d\d))$/;
const TS_SPACE = /^(\d{4})-(\d\d?)-(\d\d?) +(\d\d?):(\d\d?):(\d\d?)(?:[.,]\d{1,9})?$/;
const TS_DATE = /^(\d{4})-(\d\d?)-(\d\d?)$/;

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function validDate(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  if (m.length > 4 && m[4] !== undefined) {
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  }
  return day >= 1 && day <= daysIn(month, year);
}

/** go-yaml's parseTimestamp. */
export function isTimestamp(s: string): boolean {
  // Quick check: all date formats start with YYYY-.
  if (s.length < 5 || s.charCodeAt(4) !== 45) return false;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  for (const re of [TS_FULL, TS_SPACE, TS_DATE]) {
    const m = re.exec(s);
    if (m && validDate(m)) return true;
  }
  return false;
}
