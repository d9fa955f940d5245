/**
 * Kubeconfig rules: a kubeconfig (`apiVersion: v1`, `kind: Config`, what
 * `kubectl config set-cluster`, `set-credentials`, `set-context` and
 * `use-context` write) checked with its own schema, written below from
 * client-go's tools/clientcmd/api/v1/types.go, and with what client-go's
 * loader and validation (tools/clientcmd/validation.go) refuse: names that
 * must exist (`current-context`, each context's cluster and user) with "did you
 * mean", duplicate names, `*-data` fields that must be base64 of PEM, exec
 * plugins, removed auth providers, credentials that exclude each other.
 *
 * client-go decodes leniently: an unknown field is dropped silently (a
 * warning here), a value of the wrong type fails the whole file (an error).
 * Credentials (token, password, client-key-data, exec env values, auth-provider
 * config) never appear in a message.
 */
import { isMap, isScalar, isSeq, Node, Pair, Path, YAMLMap } from '../model/manifest';
import { isKubeconfig } from '../model/configKinds';
import { closest } from '../model/text';
import { RuleContext, RuleFamily } from './engine';
import { describeChar, nameFormatProblem } from './util/namesFormat';
import { checkSecretBase64, decodeSecretBase64 } from './util/secretBase64';

// ---------------------------------------------------------------- the schema (from client-go's types.go)

export type KubeconfigType = 'string' | 'boolean' | 'bytes' | 'strings' | 'stringMap' | 'stringsMap' | 'object' | 'list' | 'any';

export interface KubeconfigField {
  type: KubeconfigType;
  doc: string;
  /** The fields of an `object`, or of each item of a `list`. */
  shape?: KubeconfigShape;
  /** The allowed values of a string. */
  enum?: string[];
  /** A credential: never shown in the outline, shown on hover only when `secrets.revealOnHover` allows. */
  secret?: boolean;
  /** The value names an entry of this list. */
  ref?: 'clusters' | 'users' | 'contexts';
}

export interface KubeconfigShape {
  /** How messages name a map of this shape: `a cluster`. */
  label: string;
  fields: Record<string, KubeconfigField>;
}

const extensions = (): KubeconfigField => ({
  type: 'list',
  doc: 'Additional information for tools that extend kubectl (`name` and `extension`), kept when kubectl rewrites the file.',
  shape: {
    label: 'an extension',
    fields: {
      name: { type: 'string', doc: 'The name of the extension.' },
      extension: { type: 'any', doc: 'The extension itself: any object, usually with its own apiVersion and kind.' },
    },
  },
});

export const CLUSTER: KubeconfigShape = {
  label: 'a cluster',
  fields: {
    server: { type: 'string', doc: 'The address of the API server: `https://hostname:port`.' },
    'tls-server-name': { type: 'string', doc: "The name to check the server's certificate against, when it is not the hostname in `server`." },
    'insecure-skip-tls-verify': { type: 'boolean', doc: "Skips checking the server's certificate: the connection is encrypted but anyone in between can read it. Not allowed together with a certificate authority." },
    'certificate-authority': { type: 'string', doc: "Path to a PEM file with the certificate authorities that signed the server's certificate." },
    'certificate-authority-data': { type: 'bytes', doc: "The certificate authorities that signed the server's certificate: PEM, base64-encoded. Overrides `certificate-authority`." },
    'proxy-url': { type: 'string', doc: 'A proxy for every request to this cluster (`http`, `https` or `socks5`). When empty, the `https_proxy` and `http_proxy` environment variables apply. socks5 does not support exec, attach or port-forward.' },
    'disable-compression': { type: 'boolean', doc: 'Asks the server not to compress responses: faster lists when bandwidth is ample.' },
    extensions: extensions(),
  },
};

export const EXEC: KubeconfigShape = {
  label: 'an exec plugin',
  fields: {
    command: { type: 'string', doc: 'The program kubectl runs to get credentials (found on PATH, or a path). It prints an ExecCredential with a token or a client certificate on stdout.' },
    args: { type: 'strings', doc: 'Arguments to the command.' },
    env: {
      type: 'list',
      doc: "Environment variables for the command, added to kubectl's own environment.",
      secret: true,
      shape: {
        label: 'an environment variable',
        fields: {
          name: { type: 'string', doc: 'The name of the variable.' },
          value: { type: 'string', doc: 'The value of the variable.', secret: true },
        },
      },
    },
    apiVersion: { type: 'string', doc: 'The version of the ExecCredential the plugin reads and prints: `client.authentication.k8s.io/v1` or `v1beta1` (v1alpha1 was removed in Kubernetes 1.24).', enum: ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] },
    installHint: { type: 'string', doc: 'Shown when the command is not found, e.g. how to install it.' },
    provideClusterInfo: { type: 'boolean', doc: "Passes this cluster's details (server, certificate authority) to the plugin in the KUBERNETES_EXEC_INFO environment variable. Default false." },
    interactiveMode: {
      type: 'string',
      doc: 'Whether the plugin reads standard input: `Never`, `IfAvailable` (it uses stdin when there is one) or `Always` (it fails without one). Required with apiVersion client.authentication.k8s.io/v1; defaults to IfAvailable with v1beta1.',
      enum: ['Never', 'IfAvailable', 'Always'],
    },
  },
};

export const AUTH_PROVIDER: KubeconfigShape = {
  label: 'an auth provider',
  fields: {
    name: { type: 'string', doc: 'The auth provider plugin: `oidc` in kubectl. `gcp` and `azure` were removed in Kubernetes 1.26 (use an exec plugin: gke-gcloud-auth-plugin, kubelogin).' },
    config: { type: 'stringMap', doc: "The plugin's settings; for oidc `idp-issuer-url`, `client-id`, `client-secret`, `id-token`, `refresh-token`. Tokens are written back here as they refresh.", secret: true },
  },
};

export const AUTH_INFO: KubeconfigShape = {
  label: 'a user',
  fields: {
    'client-certificate': { type: 'string', doc: 'Path to a PEM client certificate file for TLS authentication.' },
    'client-certificate-data': { type: 'bytes', doc: 'A client certificate for TLS authentication: PEM, base64-encoded. Overrides `client-certificate`.' },
    'client-key': { type: 'string', doc: 'Path to the PEM private key of the client certificate.' },
    'client-key-data': { type: 'bytes', doc: 'The private key of the client certificate: PEM, base64-encoded. Overrides `client-key`.', secret: true },
    token: { type: 'string', doc: 'A bearer token sent with every request.', secret: true },
    tokenFile: { type: 'string', doc: 'Path to a file holding a bearer token; it is read again periodically and wins over `token`.' },
    as: { type: 'string', doc: 'A user name to impersonate (like `kubectl --as`).' },
    'as-uid': { type: 'string', doc: 'A UID to impersonate; needs `as`.' },
    'as-groups': { type: 'strings', doc: 'Groups to impersonate; needs `as`.' },
    'as-user-extra': { type: 'stringsMap', doc: 'Extra fields of the impersonated user; needs `as`.' },
    username: { type: 'string', doc: 'The user name for basic authentication (which API servers no longer accept since Kubernetes 1.19).' },
    password: { type: 'string', doc: 'The password for basic authentication.', secret: true },
    'auth-provider': { type: 'object', doc: 'An auth provider plugin built into kubectl (oidc).', shape: AUTH_PROVIDER },
    exec: { type: 'object', doc: 'A credential plugin: a program kubectl runs to get a token or a client certificate (aws, gke-gcloud-auth-plugin, kubelogin...).', shape: EXEC },
    extensions: extensions(),
  },
};

export const CONTEXT: KubeconfigShape = {
  label: 'a context',
  fields: {
    cluster: { type: 'string', doc: 'The name of the cluster (in `clusters`) this context talks to.', ref: 'clusters' },
    user: { type: 'string', doc: 'The name of the user (in `users`) this context authenticates as. Without one, requests are anonymous.', ref: 'users' },
    namespace: { type: 'string', doc: 'The namespace commands use when none is given (`-n`). Default: `default`.' },
    extensions: extensions(),
  },
};

const named = (label: string, inner: string, shape: KubeconfigShape, doc: string): KubeconfigShape => ({
  label,
  fields: {
    name: { type: 'string', doc: `The name that contexts and \`kubectl config\` commands use for this ${label.replace(/^an? /, '')}.` },
    [inner]: { type: 'object', doc, shape },
  },
});

export const NAMED_CLUSTER = named('a cluster', 'cluster', CLUSTER, 'How to reach the API server: its address and how to trust its certificate.');
export const NAMED_USER = named('a user', 'user', AUTH_INFO, 'How to authenticate: a client certificate, a token, an exec plugin or an auth provider.');
export const NAMED_CONTEXT = named('a context', 'context', CONTEXT, 'A cluster, a user and a default namespace, used together.');

export const CONFIG: KubeconfigShape = {
  label: 'a kubeconfig',
  fields: {
    apiVersion: { type: 'string', doc: 'Always `v1` for a kubeconfig.' },
    kind: { type: 'string', doc: 'Always `Config` for a kubeconfig.' },
    preferences: {
      type: 'object',
      doc: 'Deprecated since Kubernetes 1.34 and read by no component; kubectl writes `preferences: {}`.',
      shape: { label: 'the preferences', fields: { colors: { type: 'boolean', doc: 'Unused.' }, extensions: extensions() } },
    },
    clusters: { type: 'list', doc: 'The API servers this file knows, each with a `name` and a `cluster` (`kubectl config set-cluster`).', shape: NAMED_CLUSTER },
    users: { type: 'list', doc: 'The credentials this file knows, each with a `name` and a `user` (`kubectl config set-credentials`).', shape: NAMED_USER },
    contexts: { type: 'list', doc: 'Pairs of a cluster and a user (and a default namespace), each with a `name` and a `context` (`kubectl config set-context`).', shape: NAMED_CONTEXT },
    'current-context': { type: 'string', doc: 'The context kubectl uses when `--context` is not given (`kubectl config use-context`).', ref: 'contexts' },
    extensions: extensions(),
  },
};

/** The field and the shape holding it at a path from the kubeconfig's root (list indices and '[]' step into items). */
export function kubeconfigFieldAt(path: ReadonlyArray<string | number>): { field?: KubeconfigField; parent: KubeconfigShape } | undefined {
  let shape: KubeconfigShape | undefined = CONFIG;
  let field: KubeconfigField | undefined;
  let inList = false;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (typeof seg === 'number' || seg === '[]') {
      if (!inList) return undefined;
      inList = false;
      continue;
    }
    if (!shape || inList) return undefined;
    field = shape.fields[seg];
    if (!field) return i === path.length - 1 ? { parent: shape } : undefined;
    if (i === path.length - 1) return { field, parent: shape };
    inList = field.type === 'list';
    shape = field.shape;
  }
  return { parent: shape ?? CONFIG, field };
}

/** The shape of the map at a path (for keys to complete), or undefined. */
export function kubeconfigShapeAt(path: ReadonlyArray<string | number>): KubeconfigShape | undefined {
  if (!path.length) return CONFIG;
  const last = path[path.length - 1];
  if (typeof last === 'number' || last === '[]') {
    const at = kubeconfigFieldAt(path.slice(0, -1));
    return at?.field?.type === 'list' ? at.field.shape : undefined;
  }
  const at = kubeconfigFieldAt(path);
  return at?.field?.type === 'object' ? at.field.shape : undefined;
}

// ---------------------------------------------------------------- the rules

export const kubeconfigRules: RuleFamily = {
  name: 'kubeconfig',
  rules: [
    {
      id: 'kubeconfig-unknown-field',
      severity: 'warning',
      title: 'A field that a kubeconfig does not have',
      why: 'kubectl drops fields it does not know without a word, so a typo like `servr` or a field at the wrong level (`server` next to `name` instead of under `cluster`) never takes effect.',
      bad: 'clusters:\n- name: prod\n  server: https://k8s.example.com',
      good: 'clusters:\n- name: prod\n  cluster:\n    server: https://k8s.example.com',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-invalid-type',
      severity: 'error',
      title: 'A kubeconfig value of the wrong type',
      why: 'kubectl cannot load a kubeconfig with a string where it expects true or false (or a number where it expects a string): every command fails, whatever the context.',
      bad: 'insecure-skip-tls-verify: "true"',
      good: 'insecure-skip-tls-verify: true',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-invalid-value',
      severity: 'error',
      title: 'A kubeconfig value that kubectl rejects',
      why: 'An exec plugin apiVersion or interactiveMode outside the allowed set, a proxy URL with an unsupported scheme, or a namespace that is not a valid name fail as soon as the context is used.',
      bad: 'exec:\n  apiVersion: client.authentication.k8s.io/v1alpha1',
      good: 'exec:\n  apiVersion: client.authentication.k8s.io/v1\n  interactiveMode: Never',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-missing-field',
      severity: 'error',
      title: 'A kubeconfig entry without a field it needs',
      why: 'A cluster needs a server, a context needs a cluster, an entry needs a name, an exec plugin needs a command and an apiVersion (and an interactiveMode with v1), a client certificate needs its key; kubectl fails when such an entry is used.',
      bad: 'contexts:\n- name: prod\n  context:\n    user: admin',
      good: 'contexts:\n- name: prod\n  context:\n    cluster: prod\n    user: admin',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-unknown-name',
      severity: 'error',
      title: 'A kubeconfig name that no entry has',
      why: '`current-context` must name a context, and each context must name a cluster and a user of the same file (after merging `$KUBECONFIG`); otherwise kubectl fails with "context was not found" or connects to nothing, or without credentials.',
      bad: 'current-context: prod\ncontexts:\n- name: production',
      good: 'current-context: production\ncontexts:\n- name: production',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-duplicate-name',
      severity: 'error',
      title: 'Two kubeconfig entries with the same name',
      why: 'kubectl refuses to load a kubeconfig where two clusters, users or contexts share a name ("duplicate name in list").',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-invalid-data',
      severity: 'error',
      title: 'A `*-data` field that is not base64 of PEM',
      why: '`certificate-authority-data`, `client-certificate-data` and `client-key-data` hold a PEM file encoded as base64. Invalid base64 makes the whole file fail to load; anything but the right PEM block fails the TLS connection.',
      bad: 'certificate-authority-data: /etc/kubernetes/pki/ca.crt',
      good: 'certificate-authority: /etc/kubernetes/pki/ca.crt',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-conflicting-fields',
      severity: 'error',
      title: 'Kubeconfig fields that exclude each other',
      why: 'kubectl refuses a user with both a token and a username/password, with both a file path and inline data for the same certificate or key, with both an exec plugin and an auth provider, impersonated groups without `as`, and a cluster with both a certificate authority and insecure-skip-tls-verify.',
      bad: 'cluster:\n  certificate-authority-data: LS0t...\n  insecure-skip-tls-verify: true',
      good: 'cluster:\n  certificate-authority-data: LS0t...',
      kinds: ['Config'],
    },
    {
      id: 'kubeconfig-removed-auth-provider',
      severity: 'error',
      title: 'An auth provider that kubectl no longer has',
      why: 'The `gcp` and `azure` auth providers were removed from kubectl in Kubernetes 1.26; a user with one fails with "The gcp auth plugin has been removed". Use the exec plugins that replace them.',
      bad: 'auth-provider:\n  name: gcp',
      good: 'exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: gke-gcloud-auth-plugin\n  provideClusterInfo: true',
      kinds: ['Config'],
    },
  ],
  check(ctx) {
    if (!isKubeconfig(ctx.obj)) return;
    checkKubeconfig(ctx);
  },
};

const TYPE_WORDS: Record<KubeconfigType, string> = {
  string: 'a string',
  boolean: 'true or false',
  bytes: 'a base64 string',
  strings: 'a list of strings',
  stringMap: 'a map of strings',
  stringsMap: 'a map of lists of strings',
  object: 'a map of fields',
  list: 'a list',
  any: 'any value',
};

const LOAD_FAILS = 'kubectl cannot load a kubeconfig with a value of the wrong type';

/** A list entry of clusters, users or contexts. */
interface Entry {
  list: 'clusters' | 'users' | 'contexts';
  index: number;
  item: YAMLMap;
  name?: string;
  nameNode?: Node;
  /** The inner map (`cluster`, `user`, `context`), when it is a map. */
  inner?: YAMLMap;
  /** How messages name it: `cluster "prod"`, or `clusters[2]` without a name. */
  label: string;
}

const SINGULAR = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;
const INNER_SHAPES = { clusters: CLUSTER, users: AUTH_INFO, contexts: CONTEXT } as const;

/** The entries of clusters, users and contexts, read as client-go reads them. */
export function kubeconfigEntries(ctx: Pick<RuleContext, 'node' | 'deref' | 'str'>): Entry[] {
  const out: Entry[] = [];
  for (const list of ['clusters', 'users', 'contexts'] as const) {
    const seq = ctx.node([list]);
    if (!isSeq(seq)) continue;
    seq.items.forEach((raw, index) => {
      const item = ctx.deref(raw as Node);
      if (!isMap(item)) return;
      const nameNode = ctx.node(['name'], item);
      const name = ctx.str(['name'], item);
      const inner = ctx.node([SINGULAR[list]], item);
      out.push({ list, index, item, name, nameNode, inner: isMap(inner) ? inner : undefined, label: name !== undefined ? `${SINGULAR[list]} "${name}"` : `${list}[${index}]` });
    });
  }
  return out;
}

function checkKubeconfig(ctx: RuleContext): void {
  new Walker(ctx).walk(ctx.obj.node, CONFIG, [], 'the kubeconfig');
  const entries = kubeconfigEntries(ctx);
  checkNames(ctx, entries);
  checkReferences(ctx, entries);
  for (const e of entries) {
    if (e.list === 'clusters') checkCluster(ctx, e);
    else if (e.list === 'users') checkUser(ctx, e);
  }
}

class Walker {
  private budget = 20000;
  constructor(private readonly ctx: RuleContext) {}

  walk(node: Node | undefined, shape: KubeconfigShape, path: Path, label: string): void {
    node = this.ctx.deref(node);
    if (!node || this.budget-- <= 0 || path.length > 20) return;
    if (!isMap(node)) return; // the caller reported the type
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (key === '<<') continue;
      const field = shape.fields[key];
      if (!field) {
        this.unknown(pair.key as Node, key, shape, label);
        continue;
      }
      this.value(this.ctx.deref(pair.value as Node), field, key, [...path, key], label);
    }
  }

  private value(node: Node | undefined, field: KubeconfigField, key: string, path: Path, label: string): void {
    if (!node || (isScalar(node) && (node.value === null || node.value === undefined))) return; // null: not set
    const where = `${key} of ${label}`;
    switch (field.type) {
      case 'any':
        return;
      case 'string':
      case 'bytes':
        this.scalar(node, 'string', where, field);
        if (field.enum && isScalar(node) && typeof node.value === 'string' && node.value !== '' && !field.enum.includes(node.value)) this.enumValue(node, node.value, field, where);
        return;
      case 'boolean':
        this.scalar(node, 'boolean', where, field);
        return;
      case 'strings':
        if (!isSeq(node)) return this.typeError(node, field, where, isMap(node) ? 'a map' : undefined);
        node.items.forEach((item, i) => {
          const n = this.ctx.deref(item as Node);
          if (n && !(isScalar(n) && (n.value === null || n.value === undefined))) this.scalar(n, 'string', `${key}[${i}] of ${label}`, field);
        });
        return;
      case 'stringMap':
      case 'stringsMap':
        if (!isMap(node)) return this.typeError(node, field, where, isSeq(node) ? 'a list' : undefined);
        for (const p of node.items) {
          const v = this.ctx.deref(p.value as Node);
          const k = isScalar(p.key) ? String(p.key.value) : '?';
          if (!v || (isScalar(v) && (v.value === null || v.value === undefined))) continue;
          if (field.type === 'stringMap') this.scalar(v, 'string', `${key}.${k} of ${label}`, field);
          else this.value(v, { type: 'strings', doc: '' }, `${key}.${k}`, [...path, k], label);
        }
        return;
      case 'object':
        if (!isMap(node)) return this.typeError(node, field, where, isSeq(node) ? 'a list' : undefined);
        this.walk(node, field.shape!, path, innerLabel(key, label));
        return;
      case 'list':
        if (!isSeq(node)) return this.typeError(node, field, where, isMap(node) ? 'a map' : undefined);
        node.items.forEach((raw, i) => {
          const item = this.ctx.deref(raw as Node);
          if (!item || (isScalar(item) && (item.value === null || item.value === undefined))) return;
          const itemLabel = itemLabelOf(key, i, item, label, this.ctx);
          if (!isMap(item)) {
            this.ctx.report('kubeconfig-invalid-type', item, `Each entry of ${key} must be a map of fields (${Object.keys(field.shape!.fields).join(', ')}), not ${isSeq(item) ? 'a list' : 'a single value'}; ${LOAD_FAILS}.`);
            return;
          }
          this.walk(item, field.shape!, [...path, i], itemLabel);
        });
        return;
    }
  }

  private scalar(node: Node, want: 'string' | 'boolean', where: string, field: KubeconfigField): void {
    if (!isScalar(node)) return this.typeError(node, { ...field, type: want }, where, isMap(node) ? 'a map' : isSeq(node) ? 'a list' : undefined);
    const v = node.value;
    if (want === 'string') {
      if (typeof v === 'string') return;
      if (typeof v === 'number' || typeof v === 'boolean') {
        const src = node.source ?? String(v);
        const shown = field.secret ? '' : ` Quote it: "${src}".`;
        const yaml11 = typeof v === 'boolean' && !/^(true|false)$/i.test(src) ? ' (YAML 1.1, which kubectl uses, reads it as a boolean)' : '';
        this.ctx.report('kubeconfig-invalid-type', node, `${where} must be a string, but ${field.secret ? 'the value' : src} is read as ${typeof v === 'number' ? 'a number' : 'true or false'}${yaml11}; ${LOAD_FAILS}.${shown || ' Quote it.'}`, { data: { quote: true } });
      }
      return;
    }
    if (typeof v === 'boolean') return;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) {
      this.ctx.report('kubeconfig-invalid-type', node, `${where} must be true or false, not the string "${v}"; ${LOAD_FAILS}. Remove the quotes.`, { data: { unquote: true } });
      return;
    }
    this.ctx.report('kubeconfig-invalid-type', node, `${where} must be true or false, not ${typeof v === 'number' ? `the number ${node.source ?? v}` : 'a string'}; ${LOAD_FAILS}.`);
  }

  private typeError(node: Node, field: KubeconfigField, where: string, actual = 'a single value'): void {
    this.ctx.report('kubeconfig-invalid-type', node, `${where} must be ${TYPE_WORDS[field.type]}, not ${actual}; ${LOAD_FAILS}.`);
  }

  private enumValue(node: Node, value: string, field: KubeconfigField, where: string): void {
    const allowed = field.enum!;
    const fix = allowed.find((a) => a.toLowerCase() === value.toLowerCase()) ?? closest(value, allowed);
    let why = '';
    if (value === 'client.authentication.k8s.io/v1alpha1') why = ' (it was removed in Kubernetes 1.24: kubectl fails with "exec plugin: invalid apiVersion")';
    this.ctx.report('kubeconfig-invalid-value', node, `"${value}" is not a valid ${where}${why}; use ${allowed.join(' or ')}${fix && !why ? ` (did you mean ${fix}?)` : ''}.`, { data: fix ? { suggestion: fix } : undefined });
  }

  private unknown(keyNode: Node, key: string, shape: KubeconfigShape, label: string): void {
    const fields = Object.keys(shape.fields);
    const suggestion = closest(key, fields);
    const ignored = 'kubectl ignores fields it does not know, so this has no effect';
    if (suggestion) {
      this.ctx.report('kubeconfig-unknown-field', keyNode, `Unknown field "${key}" in ${label}: did you mean "${suggestion}"? As it is, ${ignored}.`, { data: { suggestion } });
      return;
    }
    // A field one level off: `server` next to a cluster's `name` instead of under `cluster:`.
    for (const [inner, f] of Object.entries(shape.fields)) {
      if (f.type === 'object' && f.shape && key in f.shape.fields) {
        this.ctx.report('kubeconfig-unknown-field', keyNode, `"${key}" is not a field of ${label}; it belongs under \`${inner}:\`. As it is, ${ignored}.`, { data: { moveTo: [inner] } });
        return;
      }
    }
    this.ctx.report('kubeconfig-unknown-field', keyNode, `Unknown field "${key}" in ${label}; ${ignored}. Its fields are: ${fields.join(', ')}.`);
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function innerLabel(key: string, label: string): string {
  if (key === 'exec') return `the exec plugin of ${label}`;
  if (key === 'auth-provider') return `the auth provider of ${label}`;
  if (key === 'preferences') return 'preferences';
  return label; // cluster:, user:, context: are the entry itself
}

function itemLabelOf(key: string, i: number, item: Node, label: string, ctx: RuleContext): string {
  const name = isMap(item) ? ctx.str(['name'], item) : undefined;
  if (key === 'clusters' || key === 'users' || key === 'contexts') return name !== undefined ? `${SINGULAR[key]} "${name}"` : `${key}[${i}]`;
  if (key === 'env') return name !== undefined ? `env variable ${name} of ${label}` : `env[${i}] of ${label}`;
  return label === 'the kubeconfig' ? `${key}[${i}]` : `${key}[${i}] of ${label}`;
}

function checkNames(ctx: RuleContext, entries: Entry[]): void {
  const seen = new Map<string, Entry>();
  for (const e of entries) {
    if (e.name === undefined || e.name === '') {
      const what = SINGULAR[e.list];
      const use = e.list === 'contexts' ? 'kubectl cannot select it' : `no context can use it`;
      ctx.report('kubeconfig-missing-field', e.nameNode ? e.nameNode : e.item.items[0]?.key ? (e.item.items[0].key as Node) : e.item, `This ${what} (${e.list}[${e.index}]) has no name, so ${use}; add \`name:\`.`, { data: { field: 'name' } });
    } else {
      const key = `${e.list}\u0000${e.name}`;
      const first = seen.get(key);
      if (first) ctx.report('kubeconfig-duplicate-name', e.nameNode, `A second ${SINGULAR[e.list]} is named "${e.name}" (the first is ${e.list}[${first.index}]); kubectl refuses to load the file (duplicate name in list). Rename or remove one of them.`);
      else seen.set(key, e);
    }
    // Without the inner map; when its fields sit next to `name`, the unknown-field warning already says where they belong.
    const misplaced = e.item.items.some((p) => isScalar(p.key) && String(p.key.value) in INNER_SHAPES[e.list].fields);
    if (!e.inner && !ctx.has([SINGULAR[e.list]], e.item) && !misplaced) {
      const inner = SINGULAR[e.list];
      const needs = e.list === 'clusters' ? 'its server' : e.list === 'users' ? 'its credentials' : 'its cluster and user';
      ctx.report('kubeconfig-missing-field', e.nameNode ?? e.item, `${cap(e.label)} has no \`${inner}:\` map with ${needs}; add one under the entry, next to \`name\`.`, { data: { field: inner } });
    }
  }
}

function namesOf(entries: Entry[], list: Entry['list']): string[] {
  return entries.filter((e) => e.list === list && e.name).map((e) => e.name!);
}

function unknownName(ctx: RuleContext, node: Node | undefined, what: string, name: string, names: string[], list: string, consequence: string, prefix: string): void {
  const suggestion = closest(name, names);
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : names.length ? ` The ${list} are: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''}.` : ` This file has no ${list}.`;
  ctx.report('kubeconfig-unknown-name', node, `${prefix} names ${what} "${name}", which is not defined in ${list}; ${consequence}.${hint}`, { data: suggestion ? { suggestion } : undefined });
}

function checkReferences(ctx: RuleContext, entries: Entry[]): void {
  const current = ctx.str(['current-context']);
  const contexts = namesOf(entries, 'contexts');
  if (current) {
    if (!contexts.includes(current)) unknownName(ctx, ctx.node(['current-context']), 'the context', current, contexts, 'contexts', 'kubectl fails with "context was not found for specified context"', 'current-context');
  }
  const clusters = namesOf(entries, 'clusters');
  const users = namesOf(entries, 'users');
  for (const e of entries) {
    if (e.list !== 'contexts' || !e.inner) continue;
    const cluster = ctx.str(['cluster'], e.inner);
    const user = ctx.str(['user'], e.inner);
    const prefix = cap(e.label);
    if (!cluster) {
      ctx.report('kubeconfig-missing-field', ctx.has(['cluster'], e.inner) ? ctx.pair(['cluster'], e.inner) : e.inner.items[0]?.key ? (e.inner.items[0].key as Node) : e.nameNode, `${prefix} names no cluster, so kubectl has no server to talk to with it; add \`cluster:\` with one of: ${clusters.slice(0, 8).join(', ') || '(no clusters defined)'}.`, { where: 'key', data: { field: 'cluster' } });
    } else if (!clusters.includes(cluster)) {
      unknownName(ctx, ctx.node(['cluster'], e.inner), 'the cluster', cluster, clusters, 'clusters', 'kubectl fails when this context is used', prefix);
    }
    if (user && !users.includes(user)) unknownName(ctx, ctx.node(['user'], e.inner), 'the user', user, users, 'users', 'kubectl would send requests without credentials (anonymous)', prefix);
    const ns = ctx.str(['namespace'], e.inner);
    if (ns) {
      const problem = nameFormatProblem(ns, 'label');
      if (problem) ctx.report('kubeconfig-invalid-value', ctx.node(['namespace'], e.inner), `namespace "${ns}" of ${e.label} is not a valid namespace name: ${problem}. Namespace names are lowercase letters, digits and '-' (a DNS-1123 label); requests in it would fail.`);
    }
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The PEM block types a text holds, in order (`CERTIFICATE`, `EC PRIVATE KEY`...). */
export function pemBlocks(text: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => m[1]);
}

const isKeyBlock = (t: string) => /(^| )PRIVATE KEY$/.test(t);

/** Checks a `*-data` value: base64 (as Go decodes []byte), then the PEM block it must hold. */
function checkData(ctx: RuleContext, holder: YAMLMap, field: 'certificate-authority-data' | 'client-certificate-data' | 'client-key-data', label: string): void {
  const node = ctx.node([field], holder);
  if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return;
  const value = node.value;
  const where = `${field} of ${label}`;
  const plain = field.replace(/-data$/, '');
  if (/^\s*-----BEGIN /.test(value)) {
    ctx.report('kubeconfig-invalid-data', node, `${where} holds PEM text, but *-data fields take the PEM file base64-encoded; kubectl cannot load the file. Encode it (\`base64 -w0 file.pem\`), or put the file's path in \`${plain}\` instead.`);
    return;
  }
  const check = checkSecretBase64(value);
  if (!check.ok) {
    const at = check.index !== undefined ? ` at character ${check.index + 1}` : '';
    const what = check.char !== undefined ? `${describeChar(check.char)}${at} is not in the base64 alphabet (A-Z, a-z, 0-9, +, /)` : `${check.reason}${at}`;
    const path = check.char === '/' || (check.char === '.' && /^[~./]/.test(value)) || /^(\/|~\/|\.\.?\/)/.test(value) ? ` It looks like a file path: put it in \`${plain}\` instead.` : ` It must be the PEM file base64-encoded (\`base64 -w0 file.pem\`).`;
    ctx.report('kubeconfig-invalid-data', node, `${where} is not valid base64: ${what}; kubectl cannot load the file.${path}`);
    return;
  }
  const bytes = decodeSecretBase64(value);
  const text = new TextDecoder('utf-8').decode(bytes);
  const blocks = pemBlocks(text);
  const wantKey = field === 'client-key-data';
  if (wantKey ? blocks.some(isKeyBlock) : blocks.includes('CERTIFICATE')) return;
  let message: string;
  if (!blocks.length && /^[A-Za-z0-9+/=\r\n]+$/.test(text) && checkSecretBase64(text).ok && pemBlocks(new TextDecoder('utf-8').decode(decodeSecretBase64(text))).length) {
    message = `${where} was base64-encoded twice: it decodes to more base64, which holds the PEM. Encode the PEM file once.`;
  } else if (wantKey && blocks.includes('CERTIFICATE')) {
    message = `${where} decodes to a certificate, not a private key: client-certificate-data and client-key-data look swapped.`;
  } else if (!wantKey && blocks.some(isKeyBlock)) {
    message = `${where} decodes to a private key, not a certificate${field === 'client-certificate-data' ? ': client-certificate-data and client-key-data look swapped' : ''}.`;
  } else {
    const want = wantKey ? 'a PEM private key (-----BEGIN PRIVATE KEY-----, or RSA/EC PRIVATE KEY)' : 'a PEM certificate (-----BEGIN CERTIFICATE-----)';
    const fails = field === 'certificate-authority-data' ? 'kubectl fails with "unable to load root certificates"' : 'kubectl fails to set up TLS with it';
    const got = blocks.length ? `a PEM ${blocks[0]} block` : /-----BEGIN [A-Z0-9 ]+-----/.test(text) ? 'a PEM block that never ends (no -----END line; the value looks cut off)' : 'no PEM block';
    message = `${where} decodes to ${got}, but it must hold ${want}; ${fails}.`;
  }
  ctx.report('kubeconfig-invalid-data', node, message);
}

function present(ctx: RuleContext, holder: YAMLMap, key: string): boolean {
  const n = ctx.node([key], holder);
  if (!n) return false;
  if (isScalar(n)) return n.value !== null && n.value !== undefined && n.value !== '';
  return isSeq(n) ? n.items.length > 0 : isMap(n) ? n.items.length > 0 : true;
}

function checkCluster(ctx: RuleContext, e: Entry): void {
  const c = e.inner;
  if (!c) return;
  checkData(ctx, c, 'certificate-authority-data', e.label);
  if (!present(ctx, c, 'server')) {
    ctx.report('kubeconfig-missing-field', ctx.has(['server'], c) ? ctx.pair(['server'], c) : e.nameNode ?? c, `${cap(e.label)} has no server; kubectl fails with "no server found for cluster" when a context uses it. Add \`server: https://<host>:<port>\` under \`cluster:\`.`, { where: 'key', data: { field: 'server' } });
  }
  if (present(ctx, c, 'certificate-authority') && present(ctx, c, 'certificate-authority-data')) {
    ctx.report('kubeconfig-conflicting-fields', ctx.pair(['certificate-authority'], c), `${cap(e.label)} sets both certificate-authority and certificate-authority-data; kubectl refuses it ("certificate-authority-data and certificate-authority are both specified"). Keep one.`, { where: 'key' });
  }
  const insecure = ctx.node(['insecure-skip-tls-verify'], c);
  if (isScalar(insecure) && insecure.value === true && (present(ctx, c, 'certificate-authority') || present(ctx, c, 'certificate-authority-data'))) {
    ctx.report('kubeconfig-conflicting-fields', ctx.pair(['insecure-skip-tls-verify'], c), `${cap(e.label)} has a certificate authority and insecure-skip-tls-verify: true; kubectl refuses the combination ("specifying a root certificates file with the insecure flag is not allowed"). Remove insecure-skip-tls-verify (the certificate authority is the safe choice).`, { where: 'key' });
  }
  const proxy = ctx.str(['proxy-url'], c);
  if (proxy) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(proxy);
    const scheme = m?.[1].toLowerCase();
    if (!scheme || !['http', 'https', 'socks5'].includes(scheme)) {
      ctx.report('kubeconfig-invalid-value', ctx.node(['proxy-url'], c), `proxy-url of ${e.label} ${scheme ? `has the scheme ${scheme}, but kubectl supports only http, https and socks5` : 'has no scheme; write it as http://host:port, https://host:port or socks5://host:port'}.`);
    }
  }
}

function checkUser(ctx: RuleContext, e: Entry): void {
  const u = e.inner;
  if (!u) return;
  const label = e.label;
  checkData(ctx, u, 'client-certificate-data', label);
  checkData(ctx, u, 'client-key-data', label);
  // validateAuthInfo: one of token and basic auth.
  if (present(ctx, u, 'token') && (present(ctx, u, 'username') || present(ctx, u, 'password'))) {
    const second = present(ctx, u, 'username') ? 'username' : 'password';
    ctx.report('kubeconfig-conflicting-fields', ctx.pair([second], u), `${cap(label)} has both a token and a ${second}; kubectl refuses it ("more than one authentication method found"). Keep the token or the username and password, not both.`, { where: 'key' });
  }
  for (const [path, data] of [['client-certificate', 'client-certificate-data'], ['client-key', 'client-key-data']] as const) {
    if (present(ctx, u, path) && present(ctx, u, data)) {
      ctx.report('kubeconfig-conflicting-fields', ctx.pair([path], u), `${cap(label)} sets both ${path} and ${data}; kubectl refuses it ("${data} and ${path} are both specified"). Keep one.`, { where: 'key' });
    }
  }
  const hasCert = present(ctx, u, 'client-certificate') || present(ctx, u, 'client-certificate-data');
  const hasKey = present(ctx, u, 'client-key') || present(ctx, u, 'client-key-data');
  if (hasCert && !hasKey) {
    const at = ctx.pair([present(ctx, u, 'client-certificate-data') ? 'client-certificate-data' : 'client-certificate'], u);
    ctx.report('kubeconfig-missing-field', at, `${cap(label)} has a client certificate but no client-key-data or client-key; kubectl refuses it ("client-key-data or client-key must be specified"). Add the certificate's private key.`, { where: 'key', data: { field: 'client-key-data' } });
  }
  if (!present(ctx, u, 'as') && (present(ctx, u, 'as-uid') || present(ctx, u, 'as-groups') || present(ctx, u, 'as-user-extra'))) {
    const key = ['as-uid', 'as-groups', 'as-user-extra'].find((k) => present(ctx, u, k))!;
    ctx.report('kubeconfig-conflicting-fields', ctx.pair([key], u), `${cap(label)} sets ${key} without \`as\`; kubectl refuses to impersonate groups, a uid or extra fields without a user name ("requesting uid, groups or user-extra ... without impersonating a user"). Add \`as: <user>\`.`, { where: 'key' });
  }
  const exec = ctx.node(['exec'], u);
  const provider = ctx.node(['auth-provider'], u);
  if (isMap(exec) && isMap(provider)) {
    ctx.report('kubeconfig-conflicting-fields', ctx.pair(['auth-provider'], u), `${cap(label)} has both an exec plugin and an auth-provider; kubectl refuses it ("authProvider cannot be provided in combination with an exec plugin"). Keep one (auth providers other than oidc are gone; exec is the current way).`, { where: 'key' });
  }
  if (isMap(exec)) checkExec(ctx, exec, label, ctx.pair(['exec'], u));
  if (isMap(provider)) {
    const name = ctx.str(['name'], provider);
    if (!name) ctx.report('kubeconfig-missing-field', ctx.pair(['auth-provider'], u), `The auth provider of ${label} has no name; add \`name: oidc\` (the provider kubectl has).`, { where: 'key', data: { field: 'name' } });
    else if (name === 'gcp' || name === 'azure') {
      const instead = name === 'gcp'
        ? 'use the gke-gcloud-auth-plugin exec plugin (`gcloud components install gke-gcloud-auth-plugin`, then `gcloud container clusters get-credentials` rewrites this user)'
        : 'use the kubelogin exec plugin (`kubelogin convert-kubeconfig` rewrites this user)';
      ctx.report('kubeconfig-removed-auth-provider', ctx.node(['name'], provider), `The ${name} auth provider was removed from kubectl in Kubernetes 1.26; ${label} fails with "The ${name} auth plugin has been removed". Instead, ${instead}.`);
    }
  }
}

function checkExec(ctx: RuleContext, exec: YAMLMap, userLabel: string, execKey: Pair<unknown, unknown> | undefined): void {
  const label = `the exec plugin of ${userLabel}`;
  if (!present(ctx, exec, 'command')) ctx.report('kubeconfig-missing-field', ctx.pair(['command'], exec) ?? execKey, `${cap(label)} has no command; kubectl fails with "command must be specified". Add \`command:\` with the program that prints the credentials.`, { where: 'key', data: { field: 'command' } });
  const apiVersion = ctx.str(['apiVersion'], exec);
  if (!apiVersion) {
    ctx.report('kubeconfig-missing-field', ctx.pair(['apiVersion'], exec) ?? execKey, `${cap(label)} has no apiVersion; kubectl fails with "apiVersion must be specified". Add \`apiVersion: client.authentication.k8s.io/v1\` (or v1beta1, whichever the plugin prints).`, { where: 'key', data: { field: 'apiVersion' } });
  } else if (apiVersion === 'client.authentication.k8s.io/v1' && !present(ctx, exec, 'interactiveMode')) {
    // SetDefaults_ExecConfig defaults it to IfAvailable for v1beta1 and v1alpha1 only.
    ctx.report('kubeconfig-missing-field', ctx.pair(['apiVersion'], exec), `${cap(label)} uses client.authentication.k8s.io/v1 without interactiveMode, which that version requires; kubectl fails with "interactiveMode must be specified". Add \`interactiveMode: Never\` (or IfAvailable, Always if the plugin reads standard input).`, { where: 'key', data: { field: 'interactiveMode' } });
  }
  const env = ctx.node(['env'], exec);
  if (isSeq(env)) {
    env.items.forEach((raw, i) => {
      const item = ctx.deref(raw as Node);
      if (isMap(item) && !present(ctx, item, 'name')) ctx.report('kubeconfig-missing-field', item.items[0]?.key as Node ?? item, `env[${i}] of ${label} has no name; kubectl fails with "env variable name must be specified".`, { where: 'key', data: { field: 'name' } });
    });
  }
}
