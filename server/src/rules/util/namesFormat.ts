/**
 * The name formats of Kubernetes (apimachinery's IsDNS1123Subdomain,
 * IsDNS1123Label, IsDNS1035Label, IsQualifiedName, IsValidLabelValue and the
 * path-segment names of RBAC), each explaining in words what is wrong.
 */

export type NameFormat = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const FORMAT_WORDS: Record<NameFormat, string> = {
  subdomain: "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters (a DNS-1123 subdomain)",
  label: "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (a DNS-1123 label)",
  dns1035: "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters (a DNS-1035 label)",
  'path-segment': "any characters except '/' and '%', and not '.' or '..'",
};

export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split('.').every((p) => LABEL_RE.test(p));
}

/** What is wrong with a name in a format, in words (undefined when valid). */
export function nameFormatProblem(name: string, format: NameFormat): string | undefined {
  if (name === '') return 'it is empty';
  if (format === 'path-segment') {
    if (name === '.' || name === '..') return `it may not be "${name}"`;
    if (name.includes('/')) return "it contains '/'";
    if (name.includes('%')) return "it contains '%'";
    return undefined;
  }
  const max = format === 'subdomain' ? 253 : 63;
  const valid = format === 'subdomain' ? isDns1123Subdomain(name) : format === 'label' ? LABEL_RE.test(name) : DNS1035_RE.test(name);
  if (valid && name.length <= max) return undefined;
  const issues: string[] = [];
  if (name.length > max) issues.push(`it has ${name.length} characters, more than ${max}`);
  if (/[A-Z]/.test(name)) issues.push('it has uppercase letters');
  const allowed = format === 'subdomain' ? /[a-z0-9.-]/i : /[a-z0-9-]/i;
  const bad = [...new Set([...name].filter((c) => !allowed.test(c)))];
  if (bad.length) issues.push(`it contains ${bad.map(describeChar).join(', ')}`);
  if (format === 'dns1035' && /^[^a-z]/i.test(name)) issues.push('it must start with a letter');
  else if (/^[^a-z0-9]/i.test(name)) issues.push('it must start with a letter or digit');
  if (/[^a-z0-9]$/i.test(name)) issues.push('it must end with a letter or digit');
  if (format === 'subdomain' && /\.\.|\.-|-\./.test(name)) issues.push("each dot-separated part must start and end with a letter or digit");
  return issues.length ? issues.join('; ') : 'it is not in the required format';
}

/** A close valid name, for a quick fix. */
export function suggestName(name: string, format: NameFormat): string | undefined {
  if (format === 'path-segment') {
    const s = name.replace(/[/%]/g, '-');
    return s === '.' || s === '..' || s === '' ? undefined : s;
  }
  const max = format === 'subdomain' ? 253 : 63;
  let s = name.slice(0, 2 * max).toLowerCase().replace(format === 'subdomain' ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-');
  if (format === 'subdomain') s = s.replace(/\.{2,}/g, '.').replace(/-*\.-*/g, '.');
  s = s.slice(0, max).replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
  if (format === 'dns1035') s = s.replace(/^[^a-z]+/, '');
  return s && nameFormatProblem(s, format) === undefined && s !== name ? s : undefined;
}

export function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  if (c === '\n') return 'a line break';
  const code = c.codePointAt(0) ?? 0;
  if (code < 32 || code === 127) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return `'${c}'`;
}

/** What is wrong with a label or annotation key (IsQualifiedName), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "it has more than one '/'; a key is an optional DNS prefix, '/', and a name";
  let name = key;
  if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix === '') return "the prefix before '/' is empty";
    if (!isDns1123Subdomain(prefix)) return `the prefix "${prefix}" must be a DNS subdomain: ${FORMAT_WORDS.subdomain}`;
  }
  if (name === '') return 'the name part is empty';
  if (name.length > 63) return `the name part has ${name.length} characters, more than 63`;
  if (!QUALIFIED_NAME_RE.test(name)) return `the name part ${charIssues(name)}`;
  return undefined;
}

/** What is wrong with a label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `it has ${value.length} characters, more than 63`;
  if (!LABEL_VALUE_RE.test(value)) return charIssues(value);
  return undefined;
}

function charIssues(s: string): string {
  const bad = [...new Set([...s].filter((c) => !/[A-Za-z0-9_.-]/.test(c)))];
  const issues: string[] = [];
  if (bad.length) issues.push(`contains ${bad.map(describeChar).join(', ')}`);
  if (/^[^A-Za-z0-9]/.test(s)) issues.push('must start with a letter or digit');
  if (/[^A-Za-z0-9]$/.test(s)) issues.push('must end with a letter or digit');
  return issues.join(' and ') || 'is not valid';
}
