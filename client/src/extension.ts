// VS Code client of the Kube Manifests language server (dist/server.js, started over Node IPC).
//
// The extension activates on YAML but stays cheap: the server process is started only once a
// Kubernetes manifest (or a Helm template) is opened, or when a command needs it.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  type CloseHandlerResult,
  type DocumentSelector,
  type ErrorHandler,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { decodeBase64, encodeBase64, scalarValueRange } from './base64';
import { isHelmTemplatePath, looksLikeManifest } from './manifestInfo';
import { ManifestStatus } from './status';
import { checkWorkspace, type CheckSummary } from './workspaceCheck';
import { registerSecretCommands } from './secretCommands';
import { registerBlueGreenCommands } from './blueGreenCommands';
import { registerPermissionsCommand } from './permissionsCommand';
import { registerRenderedPreview } from './renderedPreview';
import { registerHelmValues } from './helmValues';

export const CLIENT_ID = 'kubeManifests';
export const CLIENT_NAME = 'Kube Manifests';
/** A crashed server is restarted at most this many times within RESTART_WINDOW_MS, then left stopped. */
export const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 3 * 60_000;

/** YAML files and untitled buffers, plus Helm templates (language `helm` from the Kubernetes extension, or by path). */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'file', language: 'helm' },
  { scheme: 'file', pattern: '**/templates/**/*.{yaml,yml,tpl}' },
];

export type ServerState = 'notStarted' | 'starting' | 'running' | 'stopped' | 'gaveUp';

/** What `activate` returns; the end-to-end suite uses it to wait for readiness. */
export interface KubeManifestsApi {
  readonly state: ServerState;
  /** Resolves when the server is running (starting it if needed). */
  whenRunning(): Promise<void>;
  readonly onDidChangeState: vscode.Event<ServerState>;
  /** Capabilities the running server announced (undefined before it started). */
  serverCapabilities(): Record<string, unknown> | undefined;
}

/** Counts crashes; restarts the server up to MAX_RESTARTS times in RESTART_WINDOW_MS, then gives up and says so. */
class CrashPolicy implements ErrorHandler {
  private crashes: number[] = [];
  constructor(private readonly onGiveUp: () => void) {}

  error(): ErrorHandlerResult {
    // Read/write errors on the connection mostly mean the server process died; the connection then
    // closes and closed() decides whether to restart. Shutting down here instead would stop the client
    // for good (closed() is not consulted while stopping), so a crash could skip the restart policy.
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < RESTART_WINDOW_MS);
    this.crashes.push(now);
    if (this.crashes.length <= MAX_RESTARTS) {
      return { action: CloseAction.Restart, message: `${CLIENT_NAME}: the language server stopped unexpectedly; restarting it (${this.crashes.length}/${MAX_RESTARTS}).`, handled: true };
    }
    this.onGiveUp();
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  reset(): void {
    this.crashes = [];
  }
}

let snippetNameCache: Set<string> | undefined;
let snippetFile = '';
/** Names of the snippets the extension contributes (the keys of snippets/kubernetes.json). */
function snippetNames(): Set<string> {
  if (!snippetNameCache) {
    try {
      snippetNameCache = new Set(Object.keys(JSON.parse(fs.readFileSync(snippetFile, 'utf8')) as object));
    } catch {
      snippetNameCache = new Set();
    }
  }
  return snippetNameCache;
}

let client: LanguageClient | undefined;
let starting: Promise<LanguageClient> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<KubeManifestsApi> {
  snippetFile = context.asAbsolutePath('snippets/kubernetes.json');
  const output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  const stateEmitter = new vscode.EventEmitter<ServerState>();
  context.subscriptions.push(stateEmitter);
  let state: ServerState = 'notStarted';
  const setState = (s: ServerState) => {
    if (s === state) return;
    state = s;
    output.appendLine(`[client] server state: ${s}`);
    stateEmitter.fire(s);
  };

  const crashPolicy = new CrashPolicy(() => {
    setState('gaveUp');
    const restart = 'Restart Server';
    const show = 'Show Output';
    void vscode.window
      .showErrorMessage(
        `${CLIENT_NAME}: the language server crashed ${MAX_RESTARTS + 1} times in the last 3 minutes and will not be restarted. Use "Kube Manifests: Restart Language Server" to try again.`,
        restart,
        show,
      )
      .then((choice) => {
        if (choice === restart) void vscode.commands.executeCommand('kubeManifests.restartServer');
        else if (choice === show) output.show(true);
      });
  });

  const createClient = (): LanguageClient => {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      synchronize: {
        configurationSection: 'kubeManifests',
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
      },
      outputChannel: output,
      traceOutputChannel: output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: crashPolicy,
      diagnosticCollectionName: 'kube-manifests',
      middleware: {
        // The server also offers the manifest skeletons of snippets/kubernetes.json (for editors without
        // contributed snippets). VS Code already has them from `contributes.snippets`: drop the server's
        // copies so each snippet is listed once.
        provideCompletionItem: async (document, position, ctx, token, next) => {
          const result = await next(document, position, ctx, token);
          const names = snippetNames();
          if (!result || !names.size) return result;
          const keep = (i: vscode.CompletionItem) =>
            !(i.kind === vscode.CompletionItemKind.Snippet && names.has(typeof i.label === 'string' ? i.label : i.label.label));
          return Array.isArray(result) ? result.filter(keep) : new vscode.CompletionList(result.items.filter(keep), result.isIncomplete);
        },
      },
    };
    const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    context.subscriptions.push(
      c.onDidChangeState((e) => {
        if (e.newState === State.Running) setState('running');
        else if (e.newState === State.Starting) setState('starting');
        else if (state !== 'gaveUp') setState('stopped');
      }),
    );
    return c;
  };

  const ensureStarted = (): Promise<LanguageClient> => {
    if (client && client.state === State.Running) return Promise.resolve(client);
    if (starting) return starting;
    starting = (async () => {
      client ??= createClient();
      setState('starting');
      try {
        await client.start();
      } catch (e) {
        setState('stopped');
        output.appendLine(`[client] could not start the language server: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        throw e;
      }
      return client;
    })().finally(() => {
      starting = undefined;
    });
    return starting;
  };

  // ---- lazy start: only once a manifest (or Helm template) is open ---------------------------
  const wantsServer = (doc: vscode.TextDocument): boolean => {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
    if (doc.languageId === 'helm') return true;
    if (doc.uri.scheme === 'file' && isHelmTemplatePath(doc.uri.fsPath)) return true;
    return doc.languageId === 'yaml' && looksLikeManifest(doc.getText());
  };
  const lazyStart = (doc: vscode.TextDocument) => {
    if (state === 'notStarted' && !starting && wantsServer(doc)) {
      ensureStarted().catch(() => undefined);
    }
  };
  vscode.workspace.textDocuments.forEach(lazyStart);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(lazyStart),
    // an untitled YAML buffer becomes a manifest while the user types `apiVersion:`
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (state === 'notStarted' && e.contentChanges.length) lazyStart(e.document);
    }),
  );

  // ---- status item ---------------------------------------------------------------------------
  const status = new ManifestStatus(() => (client && client.state === State.Running ? client : undefined), () => state);
  context.subscriptions.push(status, stateEmitter.event(() => status.refresh()));

  // ---- commands ------------------------------------------------------------------------------
  /** Result of the base64 commands (returned to callers such as tests). */
  type TransformResult = { applied: boolean; message?: string };
  const transformSelections = async (mode: 'encode' | 'decode'): Promise<TransformResult> => {
    const editor = vscode.window.activeTextEditor;
    const fail = (message: string, level: 'info' | 'warning' | 'error'): TransformResult => {
      const text = `${CLIENT_NAME}: ${message}`;
      if (level === 'error') void vscode.window.showErrorMessage(text);
      else if (level === 'warning') void vscode.window.showWarningMessage(text);
      else void vscode.window.showInformationMessage(text);
      return { applied: false, message };
    };
    if (!editor) return fail('open a file and select the text first.', 'info');
    const doc = editor.document;
    const edits: Array<{ range: vscode.Range; text: string }> = [];
    for (const sel of editor.selections) {
      let range: vscode.Range = sel;
      if (sel.isEmpty) {
        const line = doc.lineAt(sel.active.line);
        const cols = scalarValueRange(line.text);
        if (!cols) continue;
        range = new vscode.Range(line.lineNumber, cols[0], line.lineNumber, cols[1]);
      }
      const input = doc.getText(range);
      if (mode === 'encode') {
        edits.push({ range, text: encodeBase64(input) });
        continue;
      }
      const res = decodeBase64(input);
      if (res.kind === 'invalid') return fail(`the selection is not valid base64: ${res.reason}.`, 'error');
      if (res.kind === 'binary') {
        return fail(`the selection decodes to ${res.byteLength} bytes of binary data, not UTF-8 text; the text was left unchanged.`, 'warning');
      }
      edits.push({ range, text: res.text });
    }
    if (!edits.length) return fail(`select the text to ${mode === 'encode' ? 'encode as' : 'decode from'} base64.`, 'info');
    const applied = await editor.edit((b) => edits.forEach((e) => b.replace(e.range, e.text)));
    return { applied };
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('kubeManifests.encodeBase64', () => transformSelections('encode')),
    vscode.commands.registerCommand('kubeManifests.decodeBase64', () => transformSelections('decode')),
    vscode.commands.registerCommand('kubeManifests.restartServer', async () => {
      crashPolicy.reset();
      if (starting) await starting.catch(() => undefined);
      if (client && client.state === State.Running) {
        output.appendLine('[client] restarting the language server');
        setState('starting');
        await client.restart();
      } else {
        await ensureStarted();
      }
    }),
    vscode.commands.registerCommand('kubeManifests.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('kubeManifests.checkWorkspace', async (): Promise<CheckSummary | undefined> => {
      const c = await ensureStarted();
      return checkWorkspace(c, output);
    }),
    vscode.commands.registerCommand('kubeManifests.checkFolder', async (folder?: vscode.Uri): Promise<CheckSummary | undefined> => {
      const c = await ensureStarted();
      return checkWorkspace(c, output, folder instanceof vscode.Uri ? folder : undefined);
    }),
  );

  registerSecretCommands(context);
  registerBlueGreenCommands(context, ensureStarted);
  registerPermissionsCommand(context, ensureStarted);
  registerRenderedPreview(context, ensureStarted);
  registerHelmValues(context, ensureStarted);

  return {
    get state() {
      return state;
    },
    whenRunning: async () => {
      await ensureStarted();
    },
    onDidChangeState: stateEmitter.event,
    serverCapabilities: () => client?.initializeResult?.capabilities as Record<string, unknown> | undefined,
  };
}

export async function deactivate(): Promise<void> {
  if (starting) await starting.catch(() => undefined);
  if (client && client.state !== State.Stopped) await client.stop();
  client = undefined;
}
