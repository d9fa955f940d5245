import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyCompletion, complete, dedent, diagnose, hover, ROOT, service, workspace } from '../helpers';
import { DocumentSymbolEntry } from '../../server/src/features/symbols';

const FIXTURE = fs.readFileSync(path.join(ROOT, 'test', 'unit', 'fixtures', 'configFiles', 'kubeconfig.yaml'), 'utf8');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfzCCASWgAwIBAgIUQ==\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBsecretsecret\n-----END EC PRIVATE KEY-----\n';

const shown = (text: string, overrides: Record<string, unknown> = {}) => diagnose(text, overrides).map((p) => `${p.at} ${p.severity} ${p.code} [${p.text}] ${p.message}`);

/** A kubeconfig with one cluster, user and context, and lines added to the user / cluster / context maps. */
function kubeconfig(parts: { cluster?: string; user?: string; context?: string; top?: string } = {}): string {
  const block = (s: string | undefined, n: number) => (s ? dedent(s).split('\n').filter((l) => l.trim()).map((l) => ' '.repeat(n) + l) : []);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: prod',
    '  cluster:',
    '    server: https://k8s.example.com:6443',
    ...block(parts.cluster, 4),
    'users:',
    '- name: admin',
    '  user:',
    ...(parts.user ? block(parts.user, 4) : ['    token: abc']),
    'contexts:',
    '- name: prod',
    '  context:',
    '    cluster: prod',
    '    user: admin',
    ...block(parts.context, 4),
    ...(parts.top ? dedent(parts.top).split('\n') : ['current-context: prod']),
    '',
  ].join('\n');
}

test('a real kubeconfig (kind, EKS exec, token) has no problems', () => {
  assert.deepEqual(shown(FIXTURE), []);
  assert.deepEqual(shown(kubeconfig()), []);
});

test('apiVersion v1 kind Config is a kubeconfig, never "v1 has no kind Config"', () => {
  assert.deepEqual(shown('apiVersion: v1\nkind: Config\nclusters: null\ncontexts: null\ncurrent-context: ""\npreferences: {}\nusers: null\n'), []);
});

test('current-context, context.cluster and context.user must name entries, with did-you-mean', () => {
  const text = kubeconfig({ top: 'current-context: prd' }).replace('    cluster: prod\n    user: admin', '    cluster: prood\n    user: admn');
  assert.deepEqual(shown(text), [
    '14:14 error kubeconfig-unknown-name [prood] Context "prod" names the cluster "prood", which is not defined in clusters; kubectl fails when this context is used. Did you mean "prod"?',
    '15:11 error kubeconfig-unknown-name [admn] Context "prod" names the user "admn", which is not defined in users; kubectl would send requests without credentials (anonymous). Did you mean "admin"?',
    '16:18 error kubeconfig-unknown-name [prd] current-context names the context "prd", which is not defined in contexts; kubectl fails with "context was not found for specified context". Did you mean "prod"?',
  ]);
  // no close name: the names there are
  assert.deepEqual(shown(kubeconfig({ top: 'current-context: staging' })).map((l) => l.replace(/^.*?\] /, '')), [
    'current-context names the context "staging", which is not defined in contexts; kubectl fails with "context was not found for specified context". The contexts are: prod.',
  ]);
});

test('a context without a cluster, an entry without a name, a cluster without a server', () => {
  const text = dedent(`
    apiVersion: v1
    kind: Config
    clusters:
    - cluster:
        server: https://a
    - name: b
      cluster:
        insecure-skip-tls-verify: true
    contexts:
    - name: c
      context:
        user: u
  `);
  assert.deepEqual(shown(text), [
    '4:3 error kubeconfig-missing-field [cluster] This cluster (clusters[0]) has no name, so no context can use it; add `name:`.',
    '6:9 error kubeconfig-missing-field [b] Cluster "b" has no server; kubectl fails with "no server found for cluster" when a context uses it. Add `server: https://<host>:<port>` under `cluster:`.',
    '12:5 error kubeconfig-missing-field [user] Context "c" names no cluster, so kubectl has no server to talk to with it; add `cluster:` with one of: b.',
    '12:11 error kubeconfig-unknown-name [u] Context "c" names the user "u", which is not defined in users; kubectl would send requests without credentials (anonymous). This file has no users.',
  ]);
});

test('duplicate names: kubectl refuses to load the file', () => {
  const text = kubeconfig().replace('contexts:\n', 'contexts:\n- name: prod\n  context:\n    cluster: prod\n');
  assert.deepEqual(shown(text), ['15:9 error kubeconfig-duplicate-name [prod] A second context is named "prod" (the first is contexts[0]); kubectl refuses to load the file (duplicate name in list). Rename or remove one of them.']);
});

test('unknown fields: did you mean, and fields one level off', () => {
  const text = dedent(`
    apiVersion: v1
    kind: Config
    clusters:
    - name: prod
      server: https://k8s.example.com
    - name: dev
      cluster:
        servr: https://dev
    current_context: prod
  `);
  assert.deepEqual(shown(text), [
    '5:3 warning kubeconfig-unknown-field [server] "server" is not a field of cluster "prod"; it belongs under `cluster:`. As it is, kubectl ignores fields it does not know, so this has no effect.',
    '6:9 error kubeconfig-missing-field [dev] Cluster "dev" has no server; kubectl fails with "no server found for cluster" when a context uses it. Add `server: https://<host>:<port>` under `cluster:`.',
    '8:5 warning kubeconfig-unknown-field [servr] Unknown field "servr" in cluster "dev": did you mean "server"? As it is, kubectl ignores fields it does not know, so this has no effect.',
    '9:1 warning kubeconfig-unknown-field [current_context] Unknown field "current_context" in the kubeconfig: did you mean "current-context"? As it is, kubectl ignores fields it does not know, so this has no effect.',
  ]);
});

test('values of the wrong type fail the whole file; secrets are not echoed', () => {
  const text = kubeconfig({ cluster: 'insecure-skip-tls-verify: "true"', user: 'token: 12345\nas-groups: system:masters', context: 'namespace: 0644' });
  assert.deepEqual(shown(text), [
    '7:31 error kubeconfig-invalid-type ["true"] insecure-skip-tls-verify of cluster "prod" must be true or false, not the string "true"; kubectl cannot load a kubeconfig with a value of the wrong type. Remove the quotes.',
    '11:12 error kubeconfig-invalid-type [12345] token of user "admin" must be a string, but the value is read as a number; kubectl cannot load a kubeconfig with a value of the wrong type. Quote it.',
    '12:5 error kubeconfig-conflicting-fields [as-groups] User "admin" sets as-groups without `as`; kubectl refuses to impersonate groups, a uid or extra fields without a user name ("requesting uid, groups or user-extra ... without impersonating a user"). Add `as: <user>`.',
    '12:16 error kubeconfig-invalid-type [system:masters] as-groups of user "admin" must be a list of strings, not a single value; kubectl cannot load a kubeconfig with a value of the wrong type.',
    '18:16 error kubeconfig-invalid-type [0644] namespace of context "prod" must be a string, but 0644 is read as a number; kubectl cannot load a kubeconfig with a value of the wrong type. Quote it: "0644".',
  ]);
});

test('*-data fields: base64 of the right PEM block', () => {
  const cases: Array<[string, string]> = [
    [`certificate-authority-data: ${b64(CERT)}`, ''],
    ['certificate-authority-data: /etc/kubernetes/pki/ca.crt', "certificate-authority-data of cluster \"prod\" is not valid base64: '.' at character 23 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); kubectl cannot load the file. It looks like a file path: put it in `certificate-authority` instead."],
    ['certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg', "certificate-authority-data of cluster \"prod\" is not valid base64: the padding is missing: the value must end with '==' (base64 comes in groups of 4); kubectl cannot load the file. It must be the PEM file base64-encoded (`base64 -w0 file.pem`)."],
    [`certificate-authority-data: ${b64('hello world, not a certificate')}`, 'certificate-authority-data of cluster "prod" decodes to no PEM block, but it must hold a PEM certificate (-----BEGIN CERTIFICATE-----); kubectl fails with "unable to load root certificates".'],
    ['certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t', 'certificate-authority-data of cluster "prod" decodes to a PEM block that never ends (no -----END line; the value looks cut off), but it must hold a PEM certificate (-----BEGIN CERTIFICATE-----); kubectl fails with "unable to load root certificates".'],
    [`certificate-authority-data: ${b64(b64(CERT))}`, 'certificate-authority-data of cluster "prod" was base64-encoded twice: it decodes to more base64, which holds the PEM. Encode the PEM file once.'],
  ];
  for (const [line, message] of cases) {
    const problems = diagnose(kubeconfig({ cluster: line }));
    assert.deepEqual(problems.map((p) => p.message), message ? [message] : [], line);
    if (message) assert.equal(problems[0].text, line.slice(line.indexOf(': ') + 2));
  }
  const pemText = kubeconfig({ cluster: 'certificate-authority-data: |\n  -----BEGIN CERTIFICATE-----\n  MIIB\n  -----END CERTIFICATE-----' });
  assert.deepEqual(diagnose(pemText).map((p) => p.message), ["certificate-authority-data of cluster \"prod\" holds PEM text, but *-data fields take the PEM file base64-encoded; kubectl cannot load the file. Encode it (`base64 -w0 file.pem`), or put the file's path in `certificate-authority` instead."]);
  // swapped certificate and key
  assert.deepEqual(diagnose(kubeconfig({ user: `client-certificate-data: ${b64(KEY)}\nclient-key-data: ${b64(CERT)}` })).map((p) => p.message), [
    'client-certificate-data of user "admin" decodes to a private key, not a certificate: client-certificate-data and client-key-data look swapped.',
    'client-key-data of user "admin" decodes to a certificate, not a private key: client-certificate-data and client-key-data look swapped.',
  ]);
  assert.deepEqual(diagnose(kubeconfig({ user: `client-certificate-data: ${b64(CERT)}\nclient-key-data: ${b64(KEY)}` })), []);
});

test('credentials that exclude each other, a certificate without its key, CA with insecure', () => {
  assert.deepEqual(shown(kubeconfig({ user: 'token: abc\nusername: bob\npassword: secret' })), [
    '11:5 error kubeconfig-conflicting-fields [username] User "admin" has both a token and a username; kubectl refuses it ("more than one authentication method found"). Keep the token or the username and password, not both.',
  ]);
  assert.deepEqual(shown(kubeconfig({ user: `client-certificate: /home/me/admin.crt\nclient-certificate-data: ${b64(CERT)}` })), [
    '10:5 error kubeconfig-conflicting-fields [client-certificate] User "admin" sets both client-certificate and client-certificate-data; kubectl refuses it ("client-certificate-data and client-certificate are both specified"). Keep one.',
    '11:5 error kubeconfig-missing-field [client-certificate-data] User "admin" has a client certificate but no client-key-data or client-key; kubectl refuses it ("client-key-data or client-key must be specified"). Add the certificate\'s private key.',
  ]);
  assert.deepEqual(shown(kubeconfig({ cluster: `certificate-authority-data: ${b64(CERT)}\ninsecure-skip-tls-verify: true` })), [
    '8:5 error kubeconfig-conflicting-fields [insecure-skip-tls-verify] Cluster "prod" has a certificate authority and insecure-skip-tls-verify: true; kubectl refuses the combination ("specifying a root certificates file with the insecure flag is not allowed"). Remove insecure-skip-tls-verify (the certificate authority is the safe choice).',
  ]);
  assert.deepEqual(shown(kubeconfig({ cluster: 'proxy-url: ftp://proxy:21' })), ['7:16 error kubeconfig-invalid-value [ftp://proxy:21] proxy-url of cluster "prod" has the scheme ftp, but kubectl supports only http, https and socks5.']);
});

test('exec plugins: command, apiVersion, interactiveMode with v1, env names; removed auth providers', () => {
  const exec = (lines: string) => kubeconfig({ user: `exec:\n${dedent(lines).split('\n').map((l) => '  ' + l).join('\n')}` });
  assert.deepEqual(shown(exec('apiVersion: client.authentication.k8s.io/v1\ncommand: kubelogin\ninteractiveMode: Never')), []);
  assert.deepEqual(shown(exec('apiVersion: client.authentication.k8s.io/v1beta1\ncommand: aws')), [], 'v1beta1 defaults interactiveMode to IfAvailable');
  assert.deepEqual(shown(exec('apiVersion: client.authentication.k8s.io/v1\ncommand: aws')), [
    '11:7 error kubeconfig-missing-field [apiVersion] The exec plugin of user "admin" uses client.authentication.k8s.io/v1 without interactiveMode, which that version requires; kubectl fails with "interactiveMode must be specified". Add `interactiveMode: Never` (or IfAvailable, Always if the plugin reads standard input).',
  ]);
  assert.deepEqual(shown(exec('apiVersion: client.authentication.k8s.io/v1alpha1\nargs: [token]\nenv:\n- value: x')), [
    '10:5 error kubeconfig-missing-field [exec] The exec plugin of user "admin" has no command; kubectl fails with "command must be specified". Add `command:` with the program that prints the credentials.',
    '11:19 error kubeconfig-invalid-value [client.authentication.k8s.io/v1alpha1] "client.authentication.k8s.io/v1alpha1" is not a valid apiVersion of the exec plugin of user "admin" (it was removed in Kubernetes 1.24: kubectl fails with "exec plugin: invalid apiVersion"); use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1.',
    '14:9 error kubeconfig-missing-field [value] env[0] of the exec plugin of user "admin" has no name; kubectl fails with "env variable name must be specified".',
  ]);
  assert.deepEqual(shown(exec('apiVersion: client.authentication.k8s.io/v1\ncommand: x\ninteractiveMode: never')).map((l) => l.replace(/^.*?\] /, '')), [
    '"never" is not a valid interactiveMode of the exec plugin of user "admin"; use Never or IfAvailable or Always (did you mean Never?).',
  ]);
  assert.deepEqual(shown(kubeconfig({ user: 'auth-provider:\n  name: gcp\n  config:\n    access-token: ya29.secret' })), [
    '11:13 error kubeconfig-removed-auth-provider [gcp] The gcp auth provider was removed from kubectl in Kubernetes 1.26; user "admin" fails with "The gcp auth plugin has been removed". Instead, use the gke-gcloud-auth-plugin exec plugin (`gcloud components install gke-gcloud-auth-plugin`, then `gcloud container clusters get-credentials` rewrites this user).',
  ]);
  assert.deepEqual(shown(kubeconfig({ user: 'auth-provider:\n  name: oidc\n  config:\n    idp-issuer-url: https://accounts.example.com\n    id-token: eyJ' })), []);
});

test('no message ever quotes a credential', () => {
  const secret = 'S3cr3tVal';
  const text = kubeconfig({ user: `token: ${secret}\npassword: ${secret}\nclient-key-data: ${secret}!\nexec:\n  env:\n  - value: ${secret}\n    nme: ${secret}` });
  const problems = diagnose(text);
  assert.ok(problems.length >= 4);
  for (const p of problems) assert.ok(!p.message.includes(secret), p.message);
});

test('hover: apiVersion/kind say it is a kubeconfig; fields are documented', () => {
  const kind = hover(FIXTURE.replace('kind: Config', 'kind: Con$0fig'))!;
  assert.match(kind, /^\*\*Config\*\* \(v1\): a kubeconfig\n\nRead by kubectl and every client-go program/);
  assert.ok(!kind.includes('custom resource'));
  assert.equal(hover(kubeconfig({ cluster: 'proxy-ur$0l: http://proxy:3128' })), '**proxy-url**: string\n\nA proxy for every request to this cluster (`http`, `https` or `socks5`). When empty, the `https_proxy` and `http_proxy` environment variables apply. socks5 does not support exec, attach or port-forward.');
});

test('hover: a context resolves its cluster and user; current-context sums up the context', () => {
  const h = hover(FIXTURE.replace('current-context: kind-kind', 'current-context: kind-k$0ind'))!;
  assert.ok(h.endsWith('**Context `kind-kind`**\n- cluster: `kind-kind` (https://127.0.0.1:40123)\n- user: `kind-kind`\n- namespace: `default`'), h);
  const c = hover(FIXTURE.replace('    cluster: development\n', '    cluster: devel$0opment\n'))!;
  assert.ok(c.endsWith("**Cluster `development`**: https://k8s.example.com:6443; the server's certificate is **not checked** (insecure-skip-tls-verify)."), c);
  const u = hover(FIXTURE.replace('    user: developer\n', '    user: devel$0oper\n'))!;
  assert.ok(u.endsWith('**User `developer`**: a bearer token.'), u);
  const n = hover(FIXTURE.replace('  name: development', '  name: devel$0opment'))!;
  assert.ok(n.endsWith('Used by the context `dev-frontend`.'), n);
});

test('hover: an exec user is explained', () => {
  const h = hover(FIXTURE.replace('command: aws', 'comm$0and: aws'))!;
  assert.ok(h.includes('**Exec credential plugin**\n\nkubectl runs `aws --region eu-west-1 eks get-token --cluster-name prod` before talking to the cluster and reads an ExecCredential (client.authentication.k8s.io/v1beta1) with a token or a client certificate from its standard output'), h);
  assert.ok(h.includes('Environment: `AWS_PROFILE`, added to kubectl\'s own.'));
  assert.ok(h.includes('Standard input: passed on when there is one.'));
  const u = hover(FIXTURE.replace('    user: arn:aws:eks:eu-west-1:123456789012:cluster/prod\n    namespace', '    user: arn$0:aws:eks:eu-west-1:123456789012:cluster/prod\n    namespace'))!;
  assert.ok(u.endsWith('**User `arn:aws:eks:eu-west-1:123456789012:cluster/prod`**: credentials from the exec plugin `aws --region eu-west-1 eks get-token --cluster-name prod`.'), u);
  const oidc = hover(kubeconfig({ user: 'auth-provider:\n  na$0me: oidc\n  config:\n    idp-issuer-url: https://accounts.example.com' }))!;
  assert.ok(oidc.includes('**OIDC auth provider**: kubectl sends the `id-token` from `config` (issued by https://accounts.example.com) as a bearer token'), oidc);
});

test('hover: credentials are revealed only when secrets.revealOnHover allows', () => {
  const at = FIXTURE.replace('    token: eyJ', '    token: $0eyJ');
  assert.ok(hover(at, { secrets: { revealOnHover: false } })!.endsWith('**Bearer token**: a JWT of 158 characters; its claims are hidden: `kubeManifests.secrets.revealOnHover` is off.'));
  assert.ok(hover(at)!.endsWith('**Bearer token** (a JWT)\n- issuer: `kubernetes/serviceaccount`\n- subject: `system:serviceaccount:frontend:developer`\n- expires: never (a legacy ServiceAccount token Secret)'));
  const env = FIXTURE.replace('value: prod-admin', 'value: prod$0-admin');
  assert.ok(hover(env, { secrets: { revealOnHover: false } })!.endsWith('**AWS_PROFILE**: 10 characters (hidden: `kubeManifests.secrets.revealOnHover` is off).'));
  assert.ok(hover(env)!.endsWith('**AWS_PROFILE** = `prod-admin`'));
  const key = FIXTURE.replace('    client-key-data: ', '    client-key-data: $0');
  const hidden = hover(key, { secrets: { revealOnHover: false } })!;
  assert.ok(hidden.endsWith('**Decoded**: PEM PRIVATE KEY, 241 bytes (content hidden: `kubeManifests.secrets.revealOnHover` is off).'), hidden);
  assert.ok(!hidden.includes('BEGIN'));
  assert.match(hover(key)!, /\*\*Decoded\*\*: PEM PRIVATE KEY, 241 bytes:\n\n```text\n-----BEGIN PRIVATE KEY-----\n/);
  const ca = hover(FIXTURE.replace('    certificate-authority-data: ', '    certificate-authority-data: $0'), { secrets: { revealOnHover: false } })!;
  assert.ok(/\*\*Decoded\*\*: PEM CERTIFICATE, \d+ bytes\.$/.test(ca), ca);
});

function details(symbols: DocumentSymbolEntry[]): string[] {
  return symbols.flatMap((s) => [`${s.name}=${s.detail ?? ''}`, ...details(s.children)]);
}

test('the outline never shows tokens, passwords, keys, exec env values or auth-provider config', () => {
  const ls = service();
  const text = kubeconfig({ user: `token: tok-123\npassword: pw-456\nclient-key-data: ${b64(KEY)}\nexec:\n  command: aws\n  env:\n  - name: AWS_SECRET\n    value: env-789\nauth-provider:\n  name: oidc\n  config:\n    refresh-token: rt-000` });
  const symbols = ls.documentSymbols(ls.parse('file:///k.yaml', text));
  assert.equal(symbols[0].name, 'Config');
  const all = details(symbols);
  const joined = all.join('\n');
  for (const secret of ['tok-123', 'pw-456', b64(KEY).slice(0, 20), 'env-789', 'rt-000']) assert.ok(!joined.includes(secret), secret);
  assert.ok(all.includes('token='));
  assert.ok(all.includes('AWS_SECRET='), 'env variables are still listed by name');
  assert.ok(all.includes('server=https://k8s.example.com:6443'), 'other values are shown');
});

test('completion: names of clusters, users and contexts', () => {
  const base = kubeconfig().replace('- name: prod\n  cluster:', '- name: staging\n  cluster:\n    server: https://staging\n- name: prod\n  cluster:');
  const clusters = complete(base.replace('    cluster: prod\n', '    cluster: $0\n'));
  assert.deepEqual(clusters.items.map((i) => `${i.label} ${i.detail}`), ['staging https://staging', 'prod https://k8s.example.com:6443']);
  assert.ok(applyCompletion(clusters.text, clusters.items[0]).includes('  context:\n    cluster: staging\n    user: admin\n'));
  const users = complete(base.replace('    user: admin\n', '    user: ad$0\n'));
  assert.deepEqual(users.items.map((i) => i.label), ['admin']);
  const current = complete(base.replace('current-context: prod', 'current-context: $0'));
  assert.deepEqual(current.items.map((i) => `${i.label} ${i.detail}`), ['prod context: prod']);
  // names that need quotes in YAML are quoted
  const arn = complete(FIXTURE.replace('current-context: kind-kind', 'current-context: $0'));
  assert.deepEqual(arn.items.map((i) => i.insertText), ['kind-kind', 'prod', 'dev-frontend']);
});

test('completion: kubeconfig keys at any depth, enum and boolean values', () => {
  const keys = complete(kubeconfig({ user: 'exec:\n  command: aws\n  $0' }));
  assert.deepEqual(keys.items.map((i) => i.label), ['args', 'env', 'apiVersion', 'installHint', 'provideClusterInfo', 'interactiveMode']);
  const mode = keys.items.find((i) => i.label === 'interactiveMode')!;
  assert.equal(applyCompletion(keys.text, mode).split('\n')[11], '      interactiveMode: Never');
  const cluster = complete(kubeconfig({ cluster: 'insecure-skip-tls-verify: $0' }));
  assert.deepEqual(cluster.items.map((i) => i.label), ['true', 'false']);
  assert.deepEqual(complete('apiVersion: v1\nkind: Config\ncontexts:\n- $0\n').items.map((i) => i.label), ['name', 'context']);
  assert.deepEqual(complete('apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  $0\n').items.map((i) => i.label), ['cluster']);
  const top = complete(kubeconfig().replace('current-context: prod\n', '$0\n'));
  assert.deepEqual(top.items.map((i) => i.label), ['preferences', 'current-context', 'extensions']);
});

test('a kubeconfig is not a workspace object and makes no references', () => {
  const ws = workspace({ 'config.yaml': FIXTURE, 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kind-kind\n' });
  assert.deepEqual([...ws.index.view().all()].map((o) => `${o.kind}/${o.name}`), ['ConfigMap/kind-kind']);
  assert.deepEqual(ws.diagnose('config.yaml'), []);
  assert.deepEqual(ws.ls.workspaceSymbols('kind').map((s) => s.kind), ['ConfigMap']);
});
