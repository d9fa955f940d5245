/**
 * Secret rules: base64 in data (as the API server's decoder reads it), key
 * names, total size, the keys each Secret type needs (stringData is merged
 * into data before validation, so it counts), docker config JSON, and two
 * hints for values encoded twice or encoded where plain text belongs.
 *
 * Secret values never appear in a message or in problem data.
 */
import { isMap, isScalar, Node, Pair } from '../model/manifest';
import { RuleContext, RuleFamily } from './engine';
import { describeChar } from './util/namesFormat';
import { checkSecretBase64, decodeSecretBase64, looksBase64OfText } from './util/secretBase64';

const MAX_SECRET_BYTES = 1024 * 1024;
const KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** Keys each type requires; `oneOf` means any one of them is enough. */
export const REQUIRED_KEYS: Record<string, { keys: string[]; oneOf?: boolean }> = {
  'kubernetes.io/basic-auth': { keys: ['username', 'password'], oneOf: true },
  'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'] },
  'kubernetes.io/dockerconfigjson': { keys: ['.dockerconfigjson'] },
  'kubernetes.io/dockercfg': { keys: ['.dockercfg'] },
  'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'] },
};
export const SA_ANNOTATION = 'kubernetes.io/service-account.name';

export const secretRules: RuleFamily = {
  name: 'secrets',
  rules: [
    {
      id: 'secret-invalid-base64',
      severity: 'error',
      title: 'A Secret data value that is not valid base64',
      why: 'Values under data must be base64 (standard alphabet, with = padding); the API server cannot decode anything else and rejects the Secret. Plain text belongs under stringData.',
      bad: 'data:\n  password: hunter2',
      good: 'data:\n  password: aHVudGVyMg==',
      kinds: ['Secret'],
    },
    {
      id: 'secret-invalid-key',
      severity: 'error',
      title: 'A Secret key with characters outside [-._a-zA-Z0-9]',
      why: 'Secret keys become file names when mounted; the API server accepts only letters, digits, -, _ and . (not "." or "..").',
      bad: 'data:\n  my key: ...',
      good: 'data:\n  my-key: ...',
      kinds: ['Secret'],
    },
    {
      id: 'secret-too-large',
      severity: 'error',
      title: 'A Secret larger than 1 MiB',
      why: 'The API server rejects Secrets whose decoded data (with stringData) exceeds 1 MiB.',
      kinds: ['Secret'],
    },
    {
      id: 'secret-missing-keys',
      severity: 'error',
      title: 'A typed Secret without the keys its type requires',
      why: 'Typed Secrets (kubernetes.io/tls, dockerconfigjson, basic-auth, ssh-auth, service-account-token...) must hold specific keys or annotations; the API server rejects them otherwise.',
      bad: 'type: kubernetes.io/tls\ndata:\n  cert: ...',
      good: 'type: kubernetes.io/tls\ndata:\n  tls.crt: ...\n  tls.key: ...',
      kinds: ['Secret'],
    },
    {
      id: 'secret-dockerconfigjson',
      severity: 'error',
      title: 'A docker config Secret whose value is not JSON',
      why: 'The API server parses .dockerconfigjson (and .dockercfg) as JSON and rejects the Secret when it is not.',
      kinds: ['Secret'],
    },
    {
      id: 'secret-tls-pem',
      severity: 'warning',
      title: 'A kubernetes.io/tls Secret whose tls.crt or tls.key is not PEM',
      why: 'The API server only checks that tls.crt and tls.key exist; it does not parse them. Ingress controllers and applications expect a PEM certificate chain (-----BEGIN CERTIFICATE-----) in tls.crt and a PEM private key (-----BEGIN ... PRIVATE KEY-----) in tls.key, and ignore or fail on anything else, often only at run time.',
      bad: 'type: kubernetes.io/tls\nstringData:\n  tls.crt: my-certificate\n  tls.key: my-key',
      good: 'type: kubernetes.io/tls\nstringData:\n  tls.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIB...\n    -----END CERTIFICATE-----\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIE...\n    -----END PRIVATE KEY-----',
      kinds: ['Secret'],
    },
    {
      id: 'secret-double-encoded',
      severity: 'warning',
      title: 'A Secret data value that was base64-encoded twice',
      why: 'When a data value decodes to more base64 of readable text, the application will read the base64 text, not the secret.',
      kinds: ['Secret'],
    },
    {
      id: 'secret-stringdata-encoded',
      severity: 'information',
      title: 'A stringData value that looks base64-encoded',
      why: 'stringData takes plain text and the API server encodes it; an already encoded value is stored encoded twice.',
      kinds: ['Secret'],
    },
  ],
  check(ctx) {
    if (ctx.kind !== 'Secret' || ctx.apiVersion !== 'v1') return;
    checkSecret(ctx);
  },
};

interface Entry {
  key: string;
  pair: Pair<unknown, unknown>;
  /** The string value, when it is a string. */
  value?: string;
  /** Decoded bytes (data) or the UTF-8 bytes (stringData), when known. */
  bytes?: Uint8Array;
}

function entries(ctx: RuleContext, map: 'data' | 'stringData'): Entry[] {
  if (!isMap(ctx.node([map]))) return [];
  const out: Entry[] = [];
  for (const pair of ctx.pairs([map])) {
    if (!isScalar(pair.key) || pair.key.value === null || pair.key.value === undefined) continue;
    const v = ctx.deref(pair.value as Node);
    const value = isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
    out.push({ key: String(pair.key.value), pair, value });
  }
  return out;
}

function checkSecret(ctx: RuleContext): void {
  const data = entries(ctx, 'data');
  const stringData = entries(ctx, 'stringData');

  for (const [map, list] of [['data', data], ['stringData', stringData]] as const) {
    for (const e of list) {
      const problem = secretKeyProblem(e.key);
      if (problem) ctx.report('secret-invalid-key', e.pair, `Key "${e.key}" in ${map} is not valid: ${problem}. Secret keys may contain only letters, digits, '-', '_' and '.'.`, { where: 'key', data: { key: e.key, map } });
    }
  }

  for (const e of data) {
    if (e.value === undefined) continue;
    const check = checkSecretBase64(e.value);
    if (!check.ok) {
      const at = check.index !== undefined ? ` at character ${check.index + 1}` : '';
      const what = check.char !== undefined ? `${describeChar(check.char)}${at} is not in the base64 alphabet (A-Z, a-z, 0-9, +, /)${check.char === '-' || check.char === '_' ? '; this looks like URL-safe base64: use + instead of - and / instead of _' : ''}` : `${check.reason}${at}`;
      ctx.report('secret-invalid-base64', e.pair, `data.${e.key} is not valid base64: ${what}. Encode the value (e.g. \`printf %s 'value' | base64 -w0\`), or move it to stringData to store plain text.`, { where: 'value', data: { key: e.key } });
      continue;
    }
    e.bytes = decodeSecretBase64(e.value);
    if (e.bytes.length >= 8 && looksBase64OfText(e.bytes)) {
      ctx.report('secret-double-encoded', e.pair, `data.${e.key} decodes to more base64, which decodes to readable text: it was probably encoded twice, so the application would read base64 instead of the secret. Encode the plain value once (or use stringData).`, { where: 'value', data: { key: e.key } });
    }
  }
  for (const e of stringData) {
    if (e.value === undefined) continue;
    e.bytes = new TextEncoder().encode(e.value);
    if (e.value.length >= 8 && looksBase64OfText(e.bytes)) {
      ctx.report('secret-stringdata-encoded', e.pair, `stringData.${e.key} looks base64-encoded, but stringData takes plain text (the API server encodes it). Put the decoded text here, or move the encoded value to data.`, { where: 'value', data: { key: e.key } });
    }
  }

  // stringData wins over data for the same key
  const merged = new Map<string, Entry & { from: 'data' | 'stringData' }>();
  for (const e of data) merged.set(e.key, { ...e, from: 'data' });
  for (const e of stringData) merged.set(e.key, { ...e, from: 'stringData' });

  let total = 0;
  for (const e of merged.values()) total += e.bytes?.length ?? 0;
  if (total > MAX_SECRET_BYTES) {
    ctx.report('secret-too-large', data.length ? ['data'] : ['stringData'], `This Secret holds ${total} bytes of data; the API server allows at most ${MAX_SECRET_BYTES} (1 MiB). Split it, or keep large files in a volume or an external store.`, { where: 'key' });
  }

  checkType(ctx, merged);
}

export function secretKeyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (key.length > 253) return `it has ${key.length} characters, more than 253`;
  if (key === '.' || key === '..') return `it may not be "${key}"`;
  if (key.startsWith('..')) return "it may not start with '..'";
  if (!KEY_RE.test(key)) {
    const bad = [...new Set([...key].filter((c) => !/[-._a-zA-Z0-9]/.test(c)))];
    return `it contains ${bad.map(describeChar).join(', ')}`;
  }
  return undefined;
}

function checkType(ctx: RuleContext, merged: Map<string, Entry & { from: 'data' | 'stringData' }>): void {
  const type = ctx.str(['type']);
  if (!type) return;
  const present = (k: string): boolean => merged.has(k);
  if (type === 'kubernetes.io/service-account-token') {
    const ann = ctx.value(['metadata', 'annotations']);
    const name = ann && typeof ann === 'object' ? (ann as Record<string, unknown>)[SA_ANNOTATION] : undefined;
    if (name === undefined || name === null || name === '') {
      ctx.report('secret-missing-keys', ['type'], `A kubernetes.io/service-account-token Secret needs the annotation ${SA_ANNOTATION}: <service account name>; Kubernetes fills in the token for that ServiceAccount.`, { data: { missingAnnotations: [SA_ANNOTATION], missingKeys: [] }, absent: [['metadata', 'annotations']] });
    }
    return;
  }
  const req = REQUIRED_KEYS[type];
  if (!req) return;
  let missing = req.keys.filter((k) => !present(k));
  if (type === 'kubernetes.io/ssh-auth') {
    const e = merged.get('ssh-privatekey');
    if (e && e.bytes && e.bytes.length === 0) missing = ['ssh-privatekey'];
  }
  if (req.oneOf ? missing.length === req.keys.length : missing.length > 0) {
    const need = req.oneOf ? `at least one of the keys ${req.keys.join(' or ')}` : `the key${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`;
    ctx.report('secret-missing-keys', ['type'], `A ${type} Secret needs ${need} in data or stringData.`, { data: { missingKeys: missing, oneOf: !!req.oneOf }, absent: [['data'], ['stringData']] });
  }
  if (type === 'kubernetes.io/tls') checkTlsPem(ctx, merged);
  if (type === 'kubernetes.io/dockerconfigjson' || type === 'kubernetes.io/dockercfg') {
    const key = type === 'kubernetes.io/dockerconfigjson' ? '.dockerconfigjson' : '.dockercfg';
    const e = merged.get(key);
    if (!e || e.bytes === undefined) return;
    let ok = true;
    try {
      JSON.parse(new TextDecoder('utf-8').decode(e.bytes));
    } catch {
      ok = false;
    }
    if (!ok) {
      const how = e.from === 'data' ? 'decodes to text that is not JSON' : 'is not JSON';
      ctx.report('secret-dockerconfigjson', e.pair, `${e.from}.${key} ${how}; the API server rejects the Secret. It should hold a docker config like {"auths": {"registry.example.com": {"auth": "..."}}} (kubectl create secret docker-registry writes one).`, { where: 'value', data: { key, map: e.from } });
    }
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END ([A-Z0-9]+ )*PRIVATE KEY-----/;
const TEMPLATED = /\{\{|\$\{|\$\(|%\{/;

/** tls.crt must hold a PEM certificate and tls.key a PEM private key (what controllers read; never echoes a value). */
function checkTlsPem(ctx: RuleContext, merged: Map<string, Entry & { from: 'data' | 'stringData' }>): void {
  const text = (key: string): { e: Entry & { from: 'data' | 'stringData' }; text: string } | undefined => {
    const e = merged.get(key);
    // Empty values are placeholders filled in later (cert-manager, sealed or external secrets).
    if (!e || e.bytes === undefined || e.bytes.length === 0 || (e.value !== undefined && TEMPLATED.test(e.value))) return undefined;
    let t: string;
    try {
      t = new TextDecoder('utf-8', { fatal: true }).decode(e.bytes);
    } catch {
      t = '';
    }
    return { e, text: t };
  };
  const crt = text('tls.crt');
  const key = text('tls.key');
  const where = (e: { from: string }, k: string) => `${e.from}.${k}`;
  const how = (e: { from: string }) => (e.from === 'data' ? 'decodes to' : 'holds');
  if (crt && !PEM_CERT.test(crt.text)) {
    const swapped = PEM_KEY.test(crt.text);
    ctx.report('secret-tls-pem', crt.e.pair, swapped
      ? `${where(crt.e, 'tls.crt')} ${how(crt.e)} a private key, not a certificate: tls.crt and tls.key look swapped.`
      : `${where(crt.e, 'tls.crt')} ${how(crt.e)} no PEM certificate (a -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE----- block); Ingress controllers and servers cannot load it. Put the PEM certificate chain here${crt.e.from === 'data' ? ', base64-encoded' : ''} (a DER file converts with \`openssl x509 -inform der\`).`, { where: 'value', data: { key: 'tls.crt', map: crt.e.from, swapped } });
  }
  if (key && !PEM_KEY.test(key.text)) {
    const swapped = PEM_CERT.test(key.text);
    ctx.report('secret-tls-pem', key.e.pair, swapped
      ? `${where(key.e, 'tls.key')} ${how(key.e)} a certificate, not a private key: tls.crt and tls.key look swapped.`
      : `${where(key.e, 'tls.key')} ${how(key.e)} no PEM private key (a -----BEGIN PRIVATE KEY----- block, or RSA/EC PRIVATE KEY); Ingress controllers and servers cannot load it. Put the PEM private key here${key.e.from === 'data' ? ', base64-encoded' : ''}.`, { where: 'value', data: { key: 'tls.key', map: key.e.from, swapped } });
  }
}
