/**
 * Label keys and values as the API server validates them (selectors, labels).
 */

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What is wrong with a label key (`prefix/name`), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'it may contain at most one "/" (prefix/name)';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (!prefix) return 'the prefix before "/" is empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `the prefix "${prefix}" must be a lowercase DNS subdomain (e.g. app.kubernetes.io)`;
  }
  if (!name) return 'the name part is empty';
  if (name.length > 63) return 'the name part must be at most 63 characters';
  if (!NAME.test(name)) return 'the name part must consist of letters, digits, "-", "_" or ".", and start and end with a letter or digit';
  return undefined;
}

/** What is wrong with a label value, or undefined (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'it must be at most 63 characters';
  if (!NAME.test(value)) return 'it must consist of letters, digits, "-", "_" or ".", and start and end with a letter or digit';
  return undefined;
}
