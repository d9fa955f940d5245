/**
 * Builders of new Secret documents from user input, for the client's commands
 * (Create basic-auth Secret, Create Secret from .env file, Create TLS Secret).
 * Pure and synchronous; values go straight into the YAML, base64-encoded, and
 * never into error messages.
 *
 * Passwords are hashed with bcrypt (bcryptjs, pure JS): the `openssl passwd
 * -crypt` recipe of older books is DES crypt, which uses only the first 8
 * characters of the password and is cracked in seconds; OpenSSL 3 removed it.
 */
import bcrypt from 'bcryptjs';

const b64 = (s: string | Uint8Array): string => Buffer.from(s as string).toString('base64');

/** A message when `name` is not a valid Secret name (DNS subdomain), else undefined. */
export function validateSecretName(name: string): string | undefined {
  if (!name) return 'A name is required.';
  if (name.length > 253) return 'The name is longer than 253 characters.';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) return 'Use lowercase letters, digits, "-" and "." only, starting and ending with a letter or digit (e.g. web-auth).';
  return undefined;
}

function header(name: string, namespace: string | undefined, type: string): string[] {
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`];
  if (namespace) lines.push(`  namespace: ${namespace}`);
  lines.push(`type: ${type}`);
  return lines;
}

function checkName(name: string, namespace?: string): void {
  const bad = validateSecretName(name);
  if (bad) throw new Error(`Invalid Secret name: ${bad}`);
  if (namespace && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) throw new Error('Invalid namespace: use lowercase letters, digits and "-" only.');
}

/** An htpasswd line `user:$2y$...` (bcrypt; `$2y$` is the prefix Apache htpasswd writes and nginx, Traefik and Go accept). */
export function htpasswdLine(username: string, password: string, rounds = 10): string {
  if (!username || /[:\r\n]/.test(username)) throw new Error('The user name must not be empty or contain ":" or line breaks.');
  if (!password) throw new Error('The password must not be empty.');
  const hash = bcrypt.hashSync(password, rounds).replace(/^\$2[ab]\$/, '$2y$');
  return `${username}:${hash}`;
}

export interface BasicAuthInput {
  name: string;
  namespace?: string;
  username: string;
  password: string;
  /** Also write the `auth` key that ingress-nginx's auth-secret reads. */
  ingressNginx?: boolean;
  rounds?: number;
}

/** An Opaque Secret with an htpasswd file under `.htpasswd` (and `auth` for ingress-nginx). */
export function basicAuthSecret(input: BasicAuthInput): string {
  checkName(input.name, input.namespace);
  const file = htpasswdLine(input.username, input.password, input.rounds) + '\n';
  const lines = [...header(input.name, input.namespace, 'Opaque'), 'data:', `  .htpasswd: ${b64(file)}`];
  if (input.ingressNginx) lines.push(`  auth: ${b64(file)}`);
  return lines.join('\n') + '\n';
}

export interface EnvParseResult {
  entries: Array<[string, string]>;
  /** 1-based numbers of lines that are neither KEY=value, a comment nor blank. */
  skipped: number[];
}

/** Parses a .env file: KEY=value, `export KEY=value`, '...' literal, "..." with \n \t \" \\ escapes, # comments. */
export function parseEnvFile(text: string): EnvParseResult {
  const entries = new Map<string, string>();
  const skipped: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^\s*(?:export\s+)?([A-Za-z_.][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      skipped.push(i + 1);
      continue;
    }
    let v = m[2];
    if (v.startsWith('"')) {
      // a double-quoted value, with escapes, possibly over several lines
      let body = v.slice(1);
      let j = i;
      let out = '';
      let closed = false;
      for (;;) {
        for (let c = 0; c < body.length; c++) {
          const ch = body[c];
          if (ch === '\\' && c + 1 < body.length) {
            const n = body[++c];
            out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '"' || n === '\\' ? n : '\\' + n;
          } else if (ch === '"') {
            closed = true;
            break;
          } else out += ch;
        }
        if (closed || j + 1 >= lines.length) break;
        out += '\n';
        body = lines[++j];
      }
      if (!closed) {
        skipped.push(i + 1);
        continue;
      }
      v = out;
      i = j;
    } else if (v.startsWith("'")) {
      const close = v.indexOf("'", 1);
      if (close < 0) {
        skipped.push(i + 1);
        continue;
      }
      v = v.slice(1, close);
    } else {
      v = v.replace(/\s+#.*$/, '').trim();
    }
    entries.set(m[1], v);
  }
  return { entries: [...entries], skipped };
}

/** An Opaque Secret with one data key per .env entry (base64). */
export function envSecret(input: { name: string; namespace?: string; envText: string }): { yaml: string; keys: number; skipped: number[] } {
  checkName(input.name, input.namespace);
  const { entries, skipped } = parseEnvFile(input.envText);
  if (!entries.length) throw new Error('The file has no KEY=value lines.');
  const lines = [...header(input.name, input.namespace, 'Opaque'), 'data:', ...entries.map(([k, v]) => `  ${k}: ${b64(v)}`)];
  return { yaml: lines.join('\n') + '\n', keys: entries.length, skipped };
}

/** A kubernetes.io/tls Secret from PEM certificate (chain) and private key texts. */
export function tlsSecret(input: { name: string; namespace?: string; cert: string; key: string }): string {
  checkName(input.name, input.namespace);
  if (!/-----BEGIN CERTIFICATE-----/.test(input.cert)) throw new Error('The certificate file is not PEM: it has no "-----BEGIN CERTIFICATE-----" line.');
  if (!/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(input.key)) throw new Error('The key file is not a PEM private key: it has no "-----BEGIN ... PRIVATE KEY-----" line.');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(input.key) || /Proc-Type:\s*4,ENCRYPTED/.test(input.key)) throw new Error('The private key is encrypted; Kubernetes needs it unencrypted (decrypt it with openssl pkey first).');
  const lines = [...header(input.name, input.namespace, 'kubernetes.io/tls'), 'data:', `  tls.crt: ${b64(input.cert)}`, `  tls.key: ${b64(input.key)}`];
  return lines.join('\n') + '\n';
}
