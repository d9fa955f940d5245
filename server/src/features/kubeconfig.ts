/**
 * Kubeconfigs and other configuration files in the editor: hover and
 * completion contributors.
 *
 * - Hover on apiVersion/kind of any configuration file (model/configKinds.ts)
 *   says what the file is and who reads it, instead of treating it as an
 *   unknown Kubernetes kind.
 * - In a kubeconfig: each field's documentation (from the schema in
 *   rules/kubeconfig.ts); what a context's cluster and user (and
 *   current-context) resolve to; an exec plugin or auth-provider user
 *   explained; `*-data` fields described by their PEM blocks.
 * - Credentials (token, password, client-key-data, exec env values,
 *   auth-provider config) are revealed on hover only when
 *   `kubeManifests.secrets.revealOnHover` allows; the outline never shows them
 *   (`KUBECONFIG_SECRET_KEYS`, used by features/symbols.ts).
 * - Completion of cluster, user and context names, of kubeconfig keys at any
 *   depth, and of the values of enums and booleans.
 */
import { CursorContext } from '../model/context';
import { configKindOf, isKubeconfig } from '../model/configKinds';
import { isMap, isScalar, isSeq, ManifestFile, ManifestObject, Node, Path, YAMLMap } from '../model/manifest';
import { CONFIG, KubeconfigField, kubeconfigFieldAt, kubeconfigShapeAt, pemBlocks } from '../rules/kubeconfig';
import { checkSecretBase64, decodeSecretBase64 } from '../rules/util/secretBase64';
import type { CompletionEntry } from './completion';
import type { HoverContributor, HoverInput } from './hover';

/**
 * Keys of a kubeconfig whose values are credentials: hidden in the outline
 * (everything below `env` and `config`: exec env values, auth-provider tokens).
 */
export const KUBECONFIG_SECRET_KEYS: ReadonlySet<string> = new Set(['token', 'password', 'client-key-data', 'env', 'config']);

const HIDDEN = '(hidden: `kubeManifests.secrets.revealOnHover` is off)';

// ---------------------------------------------------------------- hover

export const kubeconfigHover: HoverContributor = (input) => {
  const { obj, path } = input;
  const kind = configKindOf(obj);
  if (!kind) return undefined;
  if (path.length === 1 && (path[0] === 'apiVersion' || path[0] === 'kind')) {
    const head = `**${obj.kind ?? obj.apiVersion}**${obj.kind && obj.apiVersion ? ` (${obj.apiVersion})` : ''}: ${kind.title}`;
    const checked = kind.checked ? 'Checked against the kubeconfig schema of client-go.' : 'Not checked: no schema for it ships with this extension.';
    return [head, kind.description, checked, `[Documentation](${kind.docs})`].join('\n\n');
  }
  if (kind.id !== 'kubeconfig') return undefined;
  const sections = [fieldDoc(path), explain(input)].filter((s): s is string => !!s);
  return sections.length ? sections.join('\n\n') : undefined;
};

const TYPE_LABEL: Record<KubeconfigField['type'], string> = {
  string: 'string',
  boolean: 'boolean',
  bytes: 'base64 of PEM',
  strings: 'list of strings',
  stringMap: 'map of strings',
  stringsMap: 'map of lists of strings',
  object: 'object',
  list: 'list',
  any: 'any',
};

function fieldDoc(path: Path): string | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const at = kubeconfigFieldAt(path);
  const field = at?.field;
  if (!field) return undefined;
  const values = field.enum ? ` (${field.enum.map((v) => `\`${v}\``).join(', ')})` : '';
  return `**${last}**: ${TYPE_LABEL[field.type]}${values}\n\n${field.doc}`;
}

interface Lookup {
  root: YAMLMap;
  entry(list: 'clusters' | 'users' | 'contexts', name: string): YAMLMap | undefined;
  names(list: 'clusters' | 'users' | 'contexts'): string[];
}

function lookup(obj: ManifestObject): Lookup {
  const root = obj.node;
  const items = (list: string): YAMLMap[] => {
    const seq = root.get(list, true);
    return isSeq(seq) ? (seq.items.filter((i) => isMap(i)) as YAMLMap[]) : [];
  };
  const inner = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;
  return {
    root,
    entry: (list, name) => {
      const item = items(list).find((i) => str(i, 'name') === name);
      const m = item?.get(inner[list], true);
      return isMap(m) ? m : undefined;
    },
    names: (list) => items(list).map((i) => str(i, 'name')).filter((n): n is string => !!n),
  };
}

function str(map: unknown, key: string): string | undefined {
  if (!isMap(map)) return undefined;
  const n = map.get(key, true);
  return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean') ? String(n.value) : undefined;
}

/** What a value means here: a resolved name, an exec plugin, a credential. */
function explain(input: HoverInput): string | undefined {
  const { obj, path, settings } = input;
  const reveal = settings.secrets.revealOnHover;
  const L = lookup(obj);
  const last = path[path.length - 1];
  const p = path.map(String);
  const inUser = p[0] === 'users' && p[2] === 'user';
  // A context's cluster or user, current-context: what the name resolves to.
  if (p.length === 1 && last === 'current-context') {
    const name = str(L.root, 'current-context');
    return name ? contextSummary(L, name) : undefined;
  }
  if (p[0] === 'contexts' && p[2] === 'context' && p.length === 4 && (last === 'cluster' || last === 'user')) {
    const name = str(nodeAt(L.root, path.slice(0, 3)), last);
    if (!name) return undefined;
    return last === 'cluster' ? clusterSummary(L, name) : userSummary(L, name, reveal);
  }
  if (p.length === 3 && p[2] === 'name' && (p[0] === 'clusters' || p[0] === 'users')) {
    const name = str(nodeAt(L.root, path.slice(0, 2)), 'name');
    if (!name) return undefined;
    const field = p[0] === 'clusters' ? 'cluster' : 'user';
    const users = L.names('contexts').filter((c) => str(L.entry('contexts', c), field) === name);
    return users.length ? `Used by the context${users.length > 1 ? 's' : ''} ${users.map((u) => `\`${u}\``).join(', ')}.` : `No context uses this ${field}.`;
  }
  if (inUser && p[3] === 'exec') return execHover(nodeAt(L.root, path.slice(0, 4)), path, reveal);
  if (inUser && p[3] === 'auth-provider') return authProviderHover(nodeAt(L.root, path.slice(0, 4)), path, reveal);
  if (p.length === 4 && (last === 'certificate-authority-data' || last === 'client-certificate-data' || last === 'client-key-data')) {
    return dataHover(nodeAt(L.root, path), last === 'client-key-data', reveal);
  }
  if (inUser && p.length === 4 && (last === 'token' || last === 'password')) {
    const v = nodeAt(L.root, path);
    if (!isScalar(v) || typeof v.value !== 'string' || !v.value) return undefined;
    return last === 'token' ? tokenHover(v.value, reveal) : reveal ? `**Password** (${v.value.length} characters).` : `**Password**: ${v.value.length} characters ${HIDDEN}.`;
  }
  return undefined;
}

function nodeAt(root: Node, path: Path): Node | undefined {
  let n: Node | undefined = root;
  for (const seg of path) {
    if (typeof seg === 'number') n = isSeq(n) ? (n.items[seg] as Node | undefined) : undefined;
    else n = isMap(n) ? (n.get(seg, true) as Node | undefined) : undefined;
    if (!n) return undefined;
  }
  return n;
}

function contextSummary(L: Lookup, name: string): string {
  const c = L.entry('contexts', name);
  if (!c) return `No context is named \`${name}\` in this file.`;
  const cluster = str(c, 'cluster');
  const user = str(c, 'user');
  const server = cluster ? str(L.entry('clusters', cluster), 'server') : undefined;
  return [
    `**Context \`${name}\`**`,
    `- cluster: ${cluster ? `\`${cluster}\`${server ? ` (${server})` : ''}` : '*none*'}`,
    `- user: ${user ? `\`${user}\`` : '*none (anonymous)*'}`,
    `- namespace: \`${str(c, 'namespace') || 'default'}\``,
  ].join('\n');
}

function clusterSummary(L: Lookup, name: string): string {
  const c = L.entry('clusters', name);
  if (!c) return `No cluster is named \`${name}\` in this file.`;
  const server = str(c, 'server');
  const trust = str(c, 'insecure-skip-tls-verify') === 'true' ? "the server's certificate is **not checked** (insecure-skip-tls-verify)" : c.has('certificate-authority-data') || c.has('certificate-authority') ? "the server's certificate is checked against the cluster's certificate authority" : "the server's certificate is checked against the system's trusted authorities";
  return `**Cluster \`${name}\`**: ${server ? server : '*no server*'}; ${trust}.`;
}

function userSummary(L: Lookup, name: string, reveal: boolean): string {
  const u = L.entry('users', name);
  if (!u) return `No user is named \`${name}\` in this file.`;
  return `**User \`${name}\`**: ${authMethod(u, reveal)}.`;
}

function authMethod(u: YAMLMap, reveal: boolean): string {
  const exec = u.get('exec', true);
  if (isMap(exec)) return `credentials from the exec plugin \`${commandLine(exec)}\``;
  const provider = u.get('auth-provider', true);
  if (isMap(provider)) return `the \`${str(provider, 'name') ?? '?'}\` auth provider`;
  if (u.has('client-certificate-data') || u.has('client-certificate')) return 'a client certificate (TLS)';
  if (u.has('token') || u.has('tokenFile')) return 'a bearer token';
  if (u.has('username')) return `basic authentication as \`${str(u, 'username')}\``;
  return 'no credentials (anonymous requests)';
}

function commandLine(exec: YAMLMap): string {
  const args = exec.get('args', true);
  const list = isSeq(args) ? args.items.map((a) => (isScalar(a) ? String(a.value) : '…')) : [];
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [str(exec, 'command') ?? '?', ...list].map(quote).join(' ').replace(/`/g, "'");
}

function execHover(exec: Node | undefined, path: Path, reveal: boolean): string | undefined {
  if (!isMap(exec)) return undefined;
  const p = path.map(String);
  // An env value: the credential itself.
  if (p[4] === 'env' && p.length === 7 && p[6] === 'value') {
    const item = nodeAt(exec, ['env', Number(path[5])]);
    const v = isMap(item) ? item.get('value', true) : undefined;
    if (!isScalar(v) || v.value === null) return undefined;
    const s = String(v.value);
    return reveal ? `**${str(item, 'name') ?? 'env'}** = \`${s.replace(/`/g, "'")}\`` : `**${str(item, 'name') ?? 'env'}**: ${s.length} characters ${HIDDEN}.`;
  }
  if (p.length > 5) return undefined;
  const apiVersion = str(exec, 'apiVersion');
  const mode = str(exec, 'interactiveMode') ?? (apiVersion === 'client.authentication.k8s.io/v1' ? undefined : 'IfAvailable');
  const env = exec.get('env', true);
  const envNames = isSeq(env) ? env.items.map((i) => str(i, 'name')).filter((n): n is string => !!n) : [];
  const lines = [
    '**Exec credential plugin**',
    `kubectl runs \`${commandLine(exec)}\` before talking to the cluster and reads an ExecCredential (${apiVersion ?? 'no apiVersion'}) with a token or a client certificate from its standard output; it runs it again when the credential expires.`,
  ];
  if (envNames.length) lines.push(`Environment: ${envNames.map((n) => `\`${n}\``).join(', ')}${reveal ? '' : ' (values hidden)'}, added to kubectl's own.`);
  lines.push(`Standard input: ${mode === 'Never' ? 'never used' : mode === 'Always' ? 'required (the plugin fails without a terminal, e.g. in CI)' : mode === 'IfAvailable' ? 'passed on when there is one' : '*interactiveMode is required with client.authentication.k8s.io/v1*'}.`);
  lines.push(str(exec, 'provideClusterInfo') === 'true' ? "The cluster's details (server, certificate authority) are passed in KUBERNETES_EXEC_INFO." : "The cluster's details are not passed to the plugin (provideClusterInfo is false).");
  const hint = str(exec, 'installHint');
  if (hint) lines.push(`When the command is missing: ${hint}`);
  return lines.join('\n\n');
}

function authProviderHover(provider: Node | undefined, path: Path, reveal: boolean): string | undefined {
  if (!isMap(provider)) return undefined;
  const p = path.map(String);
  if (p[4] === 'config' && p.length === 6) {
    const v = nodeAt(provider, ['config', p[5]]);
    if (!isScalar(v) || v.value === null) return undefined;
    const s = String(v.value);
    const secret = /token|secret|password/i.test(p[5]);
    return secret && !reveal ? `**${p[5]}**: ${s.length} characters ${HIDDEN}.` : undefined;
  }
  if (p.length > 5) return undefined;
  const name = str(provider, 'name');
  if (name === 'oidc') {
    const issuer = str(nodeAt(provider, ['config']), 'idp-issuer-url');
    return `**OIDC auth provider**: kubectl sends the \`id-token\` from \`config\`${issuer ? ` (issued by ${issuer})` : ''} as a bearer token and, when it expires, uses the \`refresh-token\` to get a new one, which it writes back into this file. An exec plugin such as kubelogin (\`kubectl oidc-login\`) is the maintained alternative.`;
  }
  if (name === 'gcp' || name === 'azure') return `**${name} auth provider**: removed from kubectl in Kubernetes 1.26; use ${name === 'gcp' ? 'the gke-gcloud-auth-plugin' : 'the kubelogin'} exec plugin instead.`;
  return name ? `**${name} auth provider**: a plugin compiled into the program that reads this file; kubectl itself only has \`oidc\`.` : undefined;
}

function dataHover(node: Node | undefined, key: boolean, reveal: boolean): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.value || !checkSecretBase64(node.value).ok) return undefined;
  const text = new TextDecoder('utf-8').decode(decodeSecretBase64(node.value));
  const blocks = pemBlocks(text);
  if (!blocks.length) return undefined;
  const counts = new Map<string, number>();
  for (const b of blocks) counts.set(b, (counts.get(b) ?? 0) + 1);
  const list = [...counts].map(([b, n]) => (n > 1 ? `${n} × ${b}` : b)).join(', ');
  const head = `**Decoded**: PEM ${list}, ${text.length} bytes`;
  if (!key) return `${head}.`;
  if (!reveal) return `${head} (content ${HIDDEN.slice(1)}.`;
  return `${head}:\n\n\`\`\`text\n${text.trim()}\n\`\`\``;
}

function base64UrlJson(part: string): Record<string, unknown> | undefined {
  const std = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = std + '='.repeat((4 - (std.length % 4)) % 4);
  if (!checkSecretBase64(padded).ok) return undefined;
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decodeSecretBase64(padded))) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function tokenHover(token: string, reveal: boolean): string {
  const parts = token.split('.');
  const claims = parts.length === 3 ? base64UrlJson(parts[1]) : undefined;
  if (!claims) return reveal ? `**Bearer token** (${token.length} characters).` : `**Bearer token**: ${token.length} characters ${HIDDEN}.`;
  if (!reveal) return `**Bearer token**: a JWT of ${token.length} characters; its claims are ${HIDDEN.slice(1, -1)}.`;
  const lines = ['**Bearer token** (a JWT)'];
  const show = (label: string, v: unknown) => {
    if (v === undefined || v === null) return;
    lines.push(`- ${label}: \`${String(Array.isArray(v) ? v.join(', ') : v).replace(/`/g, "'")}\``);
  };
  show('issuer', claims.iss);
  show('subject', claims.sub);
  show('audience', claims.aud);
  if (typeof claims.exp === 'number') lines.push(`- expires: ${new Date(claims.exp * 1000).toISOString().replace('.000Z', 'Z')}`);
  else if (claims.iss === 'kubernetes/serviceaccount') lines.push('- expires: never (a legacy ServiceAccount token Secret)');
  return lines.join('\n');
}

// ---------------------------------------------------------------- completion

/** Completion in a kubeconfig: keys from its schema, names of clusters, users and contexts, enum and boolean values. */
export function kubeconfigCompletion(file: ManifestFile, offset: number, ctx: CursorContext, range: { start: number; end: number }): CompletionEntry[] {
  if (ctx.kind !== 'Config' || (ctx.apiVersion !== undefined && ctx.apiVersion !== 'v1')) return [];
  const path = ctx.path;
  if (ctx.value) return completeValue(ctx, path, range);
  if (!ctx.key) return [];
  const shape = kubeconfigShapeAt(path);
  if (!shape) return [];
  const out: CompletionEntry[] = [];
  const column = ctx.key.column;
  for (const [key, field] of Object.entries(shape.fields)) {
    if (ctx.siblings.has(key) && key !== ctx.key.prefix) continue;
    if (shape === CONFIG && (key === 'apiVersion' || key === 'kind')) continue; // the built-in completion offers them
    out.push({
      label: key,
      kind: 'property',
      detail: TYPE_LABEL[field.type],
      documentation: field.doc,
      insertText: keyInsert(key, field, column),
      snippet: true,
      range,
      sortText: `1_${key}`,
    });
  }
  void file;
  void offset;
  return out;
}

function keyInsert(key: string, field: KubeconfigField, column: number): string {
  const indent = ' '.repeat(column);
  if (field.type === 'list' || field.type === 'strings') return `${key}:\n${indent}- $0`;
  if (field.type === 'object' || field.type === 'stringMap' || field.type === 'stringsMap') return `${key}:\n${indent}  $0`;
  if (field.type === 'boolean') return `${key}: \${1|true,false|}`;
  if (field.enum) return `${key}: \${1|${field.enum.join(',')}|}`;
  return `${key}: $0`;
}

function completeValue(ctx: CursorContext, path: Path, range: { start: number; end: number }): CompletionEntry[] {
  const key = ctx.value!.key;
  const at = kubeconfigFieldAt([...path, key]);
  const field = at?.field;
  if (!field) return [];
  const obj = ctx.section.objects.find((o) => o.basePath.length === 0 && isKubeconfig(o));
  if (field.ref) {
    if (!obj) return [];
    const L = lookup(obj);
    const current = ctx.value!.prefix;
    const singular = field.ref.slice(0, -1);
    return L.names(field.ref).map((name) => ({
      label: name,
      kind: 'value' as const,
      detail: field.ref === 'clusters' ? str(L.entry('clusters', name), 'server') ?? singular : field.ref === 'users' ? singular : `${singular}: ${str(L.entry('contexts', name), 'cluster') ?? '?'}`,
      documentation: field.ref === 'contexts' ? contextSummary(L, name) : field.ref === 'clusters' ? clusterSummary(L, name) : userSummary(L, name, false),
      insertText: /^[\w./-]+$/.test(name) || ctx.value!.quote ? name : JSON.stringify(name),
      snippet: false,
      range,
      sortText: `0_${name.startsWith(current) ? '0' : '1'}_${name}`,
    }));
  }
  if (field.enum) return field.enum.map((v) => ({ label: v, kind: 'enum' as const, insertText: v, snippet: false, range }));
  if (field.type === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: 'value' as const, insertText: v, snippet: false, range }));
  return [];
}
