/**
 * The string formats the API server checks in CRD schemas
 * (k8s.io/apiextensions-apiserver pkg/apiserver/validation/formats.go, with the
 * validators of k8s.io/kube-openapi pkg/validation/strfmt). A format is
 * checked on strings only, and only where the schema's type is `string` or
 * not given; unknown formats are ignored, as the API server ignores them.
 * `int32`, `int64`, `float`, `double` are kept but never checked.
 *
 * Formats whose Go validator we do not reproduce exactly are checked only
 * where the answer is certain (`email` without an @, `uri` that is neither
 * absolute nor a path) or not at all (`isbn*`, `creditcard`, `ssn`,
 * `rgbcolor`). The empty string is never flagged.
 */
import { parseIP, cidrProblem } from './ipAddress';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
// strfmt.HostnamePattern (RFC 1034 with Unicode letters and symbols)
const HOST_CHAR = '[a-zA-Z0-9\\p{S}\\p{L}]';
const HOSTNAME = new RegExp(
  `^(${HOST_CHAR}((-?${HOST_CHAR}{0,62})?)|(${HOST_CHAR}(([a-zA-Z0-9\\-\\p{S}\\p{L}]{0,61}${HOST_CHAR})?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$`,
  'u',
);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const HEXCOLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const SHORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const LENIENT_DURATION = /(\d+)\s*([A-Za-zµ]+)/g;
const DURATION_UNITS: string[][] = [['ns', 'nano'], ['us', 'µs', 'micro'], ['ms', 'milli'], ['s', 'sec'], ['m', 'min'], ['h', 'hr', 'hour'], ['d', 'day'], ['w', 'wk', 'week']];
const DATE_TIME_REST = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;

const utf8 = new TextEncoder();

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return d <= days;
}

/** strfmt.IsDateTime: a date, a `t`, and a time with a zone. */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m = DATE_TIME_REST.exec(parts[1]);
  return !!m && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

/** strfmt.ParseDuration: Go's time.ParseDuration, else any "<number> <unit>" with a known unit ("3 days"). */
function isDuration(s: string): boolean {
  if (s === '0' || GO_DURATION.test(s)) return true;
  for (const m of s.matchAll(LENIENT_DURATION)) {
    const unit = m[2].toLowerCase().trim();
    for (const variants of DURATION_UNITS) {
      const last = variants.length - 1;
      if (variants.some((v, i) => (i === last && unit.startsWith(v)) || v.toLowerCase() === unit)) return true;
    }
  }
  return false;
}

function isHostname(s: string): boolean {
  if (!HOSTNAME.test(s)) return false;
  if (utf8.encode(s).length > 255) return false;
  return s.split('.').every((p) => utf8.encode(p).length <= 63);
}

/** net.ParseMAC: 6, 8 or 20 octets as aa:bb:.., aa-bb-.. or aabb.ccdd.. */
function isMac(s: string): boolean {
  const octets = (n: number): boolean => n === 6 || n === 8 || n === 20;
  if (s.includes('.')) {
    const groups = s.split('.');
    return groups.every((g) => /^[0-9a-fA-F]{4}$/.test(g)) && octets(groups.length * 2);
  }
  for (const sep of [':', '-']) {
    const groups = s.split(sep);
    if (groups.length > 1 && groups.every((g) => /^[0-9a-fA-F]{2}$/.test(g))) return octets(groups.length);
  }
  return false;
}

interface FormatCheck {
  /** What a valid value is, in words. */
  words: string;
  valid: (s: string) => boolean;
  /** The Kubernetes minor version that added the format. */
  since?: number;
}

const FORMATS: Record<string, FormatCheck> = {
  uuid: { words: 'a UUID', valid: (s) => UUID.test(s) },
  uuid3: { words: 'a version 3 UUID', valid: (s) => UUID3.test(s) },
  uuid4: { words: 'a version 4 UUID', valid: (s) => UUID4.test(s) },
  uuid5: { words: 'a version 5 UUID', valid: (s) => UUID5.test(s) },
  ipv4: { words: 'an IPv4 address', valid: (s) => parseIP(s) !== undefined && s.includes('.') },
  ipv6: { words: 'an IPv6 address', valid: (s) => parseIP(s) !== undefined && s.includes(':') },
  cidr: { words: 'a CIDR such as 10.0.0.0/8', valid: (s) => cidrProblem(s) === undefined },
  mac: { words: 'a MAC address such as 00:00:5e:00:53:01', valid: isMac },
  hostname: { words: 'a host name (RFC 1034)', valid: isHostname },
  email: { words: 'an email address', valid: (s) => s.includes('@') },
  uri: { words: 'an absolute URI or an absolute path', valid: (s) => s === '*' || s.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) },
  byte: { words: 'base64-encoded data', valid: (s) => BASE64.test(s) },
  date: { words: 'a date such as 2006-01-02', valid: isDate },
  datetime: { words: 'a date and time such as 2006-01-02T15:04:05Z (RFC 3339)', valid: isDateTime },
  duration: { words: 'a duration such as 30s, 1h30m or "3 days"', valid: isDuration },
  bsonobjectid: { words: 'a BSON object id (24 hexadecimal digits)', valid: (s) => /^[0-9a-fA-F]{24}$/.test(s) },
  hexcolor: { words: 'a hexadecimal colour such as #ff0000', valid: (s) => HEXCOLOR.test(s) },
  k8sshortname: { words: 'a short Kubernetes name (lower-case letters, digits and "-", at most 63 characters)', valid: (s) => s.length <= 63 && SHORT_NAME.test(s), since: 34 },
  k8slongname: { words: 'a long Kubernetes name (dot-separated lower-case segments, at most 253 characters)', valid: (s) => s.length <= 253 && s.split('.').every((p) => SHORT_NAME.test(p)), since: 34 },
};

/**
 * What a string's format requires when the value does not have it
 * ("a UUID"), or undefined when it is valid or the format is not checked.
 * `kubernetesVersion` is the target ("1.34"): newer formats are ignored before their version.
 */
export function formatProblem(format: string, value: string, kubernetesVersion: string): string | undefined {
  if (value === '') return undefined;
  const check = FORMATS[format.replace(/-/g, '')];
  if (!check) return undefined;
  if (check.since !== undefined) {
    const minor = Number(/^v?1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? 99);
    if (minor < check.since) return undefined;
  }
  return check.valid(value) ? undefined : check.words;
}
