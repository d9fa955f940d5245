// VS Code UI of the Secret commands: input boxes and file pickers around the pure builders of
// server/src/features/secretBuilders.ts. The Secret is appended to the active YAML file as a new
// `---` document (or opened in a new untitled YAML editor). Values never leave this process and
// are never logged or shown in messages.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { basicAuthSecret, envSecret, tlsSecret, validateSecretName } from '../../server/src/features/secretBuilders';

export const SECRET_COMMANDS = {
  basicAuth: 'kubeManifests.createBasicAuthSecret',
  fromEnv: 'kubeManifests.createSecretFromEnvFile',
  tls: 'kubeManifests.createTlsSecret',
} as const;

/** What the commands return (for tests): whether a Secret was written and where. */
export interface SecretCommandResult {
  created: boolean;
  uri?: string;
}

const PREFIX = 'Kube Manifests';

async function askName(prompt: string, value: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: prompt,
    prompt: 'Secret name (lowercase letters, digits, "-" and ".")',
    value,
    ignoreFocusOut: true,
    validateInput: (v) => validateSecretName(v.trim()) ?? null,
  });
}

/** Appends a YAML document to the active YAML editor, or opens it in a new untitled editor. */
export async function insertDocument(yaml: string): Promise<SecretCommandResult> {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === 'yaml' && !editor.document.isClosed) {
    const doc = editor.document;
    const text = doc.getText();
    const end = doc.positionAt(text.length);
    const sep = !text.trim() ? '' : (text.endsWith('\n') ? '' : '\n') + '---\n';
    const ok = await editor.edit((b) => b.insert(end, sep + yaml));
    if (ok) {
      const start = doc.positionAt(text.length + sep.length);
      editor.selection = new vscode.Selection(start, start);
      editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return { created: true, uri: doc.uri.toString() };
    }
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml });
  await vscode.window.showTextDocument(doc);
  return { created: true, uri: doc.uri.toString() };
}

function fail(e: unknown): SecretCommandResult {
  // builder messages never contain values
  void vscode.window.showErrorMessage(`${PREFIX}: ${e instanceof Error ? e.message : 'could not create the Secret.'}`);
  return { created: false };
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

async function pickFile(title: string, filters?: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, openLabel: 'Select', filters });
  return picked?.[0];
}

/**
 * Answers to the prompts of "Create basic-auth Secret", for callers that already know them (tests,
 * other extensions): each one given skips its prompt. The palette passes none.
 */
export interface BasicAuthAnswers {
  name?: string;
  username?: string;
  password?: string;
  /** Also write the `auth` key that ingress-nginx reads. */
  ingressNginx?: boolean;
}

export async function createBasicAuthSecret(answers?: BasicAuthAnswers): Promise<SecretCommandResult> {
  const given = answers && typeof answers === 'object' && !(answers instanceof vscode.Uri) ? answers : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const name = str(given.name) ?? (await askName('Create basic-auth Secret (1/4): name', 'basic-auth'));
  if (name === undefined) return { created: false };
  const username = str(given.username) ?? (await vscode.window.showInputBox({ title: 'Create basic-auth Secret (2/4): user name', ignoreFocusOut: true, validateInput: (v) => (!v || /[:\r\n]/.test(v) ? 'A user name without ":"' : null) }));
  if (username === undefined) return { created: false };
  const password = str(given.password) ?? (await vscode.window.showInputBox({ title: 'Create basic-auth Secret (3/4): password', password: true, ignoreFocusOut: true, validateInput: (v) => (v ? null : 'A password is required') }));
  if (password === undefined) return { created: false };
  const both = 'Add .htpasswd and auth (ingress-nginx reads auth)';
  const only = 'Add .htpasswd only';
  const choice = typeof given.ingressNginx === 'boolean' ? (given.ingressNginx ? both : only) : await vscode.window.showQuickPick([both, only], { title: 'Create basic-auth Secret (4/4): keys', ignoreFocusOut: true });
  if (choice === undefined) return { created: false };
  try {
    const yaml = basicAuthSecret({ name: name.trim(), username, password, ingressNginx: choice === both });
    return await insertDocument(yaml);
  } catch (e) {
    return fail(e);
  }
}

export async function createSecretFromEnvFile(uri?: vscode.Uri): Promise<SecretCommandResult> {
  const file = uri instanceof vscode.Uri ? uri : await pickFile('Create Secret from .env file', { 'env files': ['env'], 'all files': ['*'] });
  if (!file) return { created: false };
  const base = path.basename(file.path).replace(/^\./, '').replace(/\.env$|^env$/, '') || 'app';
  const name = await askName('Create Secret from .env file: name', `${base.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'app'}-env`);
  if (name === undefined) return { created: false };
  try {
    const r = envSecret({ name: name.trim(), envText: await readText(file) });
    const res = await insertDocument(r.yaml);
    const skipped = r.skipped.length ? ` Skipped line${r.skipped.length > 1 ? 's' : ''} ${r.skipped.join(', ')} (not KEY=value).` : '';
    void vscode.window.showInformationMessage(`${PREFIX}: Secret ${name.trim()} with ${r.keys} key${r.keys === 1 ? '' : 's'}.${skipped}`);
    return res;
  } catch (e) {
    return fail(e);
  }
}

export async function createTlsSecret(): Promise<SecretCommandResult> {
  const cert = await pickFile('Create TLS Secret (1/3): certificate (PEM, chain first)', { certificates: ['crt', 'pem', 'cer'], 'all files': ['*'] });
  if (!cert) return { created: false };
  const key = await pickFile('Create TLS Secret (2/3): private key (PEM, unencrypted)', { keys: ['key', 'pem'], 'all files': ['*'] });
  if (!key) return { created: false };
  const name = await askName('Create TLS Secret (3/3): name', `${path.basename(cert.path).replace(/\.(crt|pem|cer)$/, '').toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'web'}-tls`);
  if (name === undefined) return { created: false };
  try {
    return await insertDocument(tlsSecret({ name: name.trim(), cert: await readText(cert), key: await readText(key) }));
  } catch (e) {
    return fail(e);
  }
}

export function registerSecretCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SECRET_COMMANDS.basicAuth, createBasicAuthSecret),
    vscode.commands.registerCommand(SECRET_COMMANDS.fromEnv, createSecretFromEnvFile),
    vscode.commands.registerCommand(SECRET_COMMANDS.tls, createTlsSecret),
  );
}
