// Base64 helpers for the encode/decode commands. Pure functions (no vscode import) so they are easy to test.

export type DecodeResult =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; byteLength: number }
  | { kind: 'invalid'; reason: string };

export function encodeBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Decodes standard or URL-safe base64 (whitespace and line breaks ignored, padding optional).
 * Returns `binary` when the bytes are not UTF-8 text (invalid UTF-8, or control characters other
 * than tab/newline/carriage return) so the caller never writes garbled text into the document.
 */
export function decodeBase64(input: string): DecodeResult {
  const compact = input.replace(/\s+/g, '');
  if (!compact) return { kind: 'invalid', reason: 'the selection is empty' };
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return { kind: 'invalid', reason: 'it contains characters that are not base64' };
  const body = compact.replace(/=+$/, '');
  if (body.length % 4 === 1) return { kind: 'invalid', reason: 'its length is not a valid base64 length' };
  if (compact.includes('=') && compact.length % 4 !== 0) return { kind: 'invalid', reason: 'its padding is wrong' };
  const bytes = Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { kind: 'binary', byteLength: bytes.length };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return { kind: 'binary', byteLength: bytes.length };
  return { kind: 'text', text };
}

/**
 * With an empty selection the commands act on the YAML scalar value of the cursor's line
 * (`key: value` or `- value`), without surrounding quotes. Returns [start, end] columns or undefined.
 */
export function scalarValueRange(line: string): [number, number] | undefined {
  const m = /^(\s*(?:-\s+)?(?:[^:#'"\s][^:#]*?|"[^"]*"|'[^']*')\s*:\s+|\s*-\s+)(.*?)\s*(?:\s#.*)?$/.exec(line);
  if (!m) return undefined;
  let start = m[1].length;
  let end = start + m[2].length;
  if (end <= start) return undefined;
  const value = line.slice(start, end);
  if (/^[|>]/.test(value)) return undefined; // block scalar header: the value is on the next lines
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    start += 1;
    end -= 1;
  }
  return end > start ? [start, end] : undefined;
}
