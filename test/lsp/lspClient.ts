/**
 * A minimal LSP client for tests and the benchmark: starts `node dist/server.js
 * --stdio` and speaks the protocol over its pipes. Waits for results, never sleeps.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import {
  createProtocolConnection,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ServerCapabilities,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export interface TestClient {
  conn: ProtocolConnection;
  proc: ChildProcess;
  /** Settings answered to workspace/configuration (section kubeManifests). */
  settings: Record<string, unknown>;
  /** Opens a document and resolves with its first diagnostics. */
  open(uri: string, text: string, version?: number): Promise<Diagnostic[]>;
  /** Replaces the whole text and resolves with the diagnostics of that version. */
  change(uri: string, text: string, version: number): Promise<Diagnostic[]>;
  /** Resolves with the next diagnostics published for a uri (at or after a version). */
  nextDiagnostics(uri: string, minVersion?: number): Promise<Diagnostic[]>;
  stop(): Promise<void>;
  stderr: string;
  /** What the server answered to initialize. */
  serverCapabilities: ServerCapabilities;
}

export async function startServer(root: string, opts: { folders?: string[]; settings?: Record<string, unknown>; args?: string[]; textDocumentCapabilities?: Record<string, unknown> } = {}): Promise<TestClient> {
  const proc = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio', ...(opts.args ?? [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const client: Partial<TestClient> & { stderr: string } = { stderr: '' };
  proc.stderr!.on('data', (d) => (client.stderr += String(d)));
  const waiters: Array<{ uri: string; minVersion: number; resolve: (d: Diagnostic[]) => void }> = [];
  const latest = new Map<string, PublishDiagnosticsParams>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    latest.set(p.uri, p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && (p.version ?? Infinity) >= w.minVersion) {
        waiters.splice(i, 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  const settings = opts.settings ?? {};
  conn.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) => params.items.map((i) => (i.section === 'kubeManifests' ? client.settings : null)));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.listen();
  client.settings = settings;
  const initialized = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: opts.folders?.[0] ?? null,
    workspaceFolders: opts.folders?.map((uri) => ({ uri, name: path.basename(uri) })) ?? null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] }, ...opts.textDocumentCapabilities },
    },
    clientInfo: { name: 'kube-manifests-tests' },
  });
  client.serverCapabilities = initialized.capabilities;
  await conn.sendNotification(InitializedNotification.type, {});
  const nextDiagnostics = (uri: string, minVersion = 0) => new Promise<Diagnostic[]>((resolve) => waiters.push({ uri, minVersion, resolve }));
  return Object.assign(client, {
    conn,
    proc,
    nextDiagnostics,
    async open(uri: string, text: string, version = 1) {
      const p = nextDiagnostics(uri, version);
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
      return p;
    },
    async change(uri: string, text: string, version: number) {
      const p = nextDiagnostics(uri, version);
      await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
      return p;
    },
    async stop() {
      try {
        await conn.sendRequest(ShutdownRequest.type);
        await conn.sendNotification(ExitNotification.type);
      } catch {
        /* already gone */
      }
      await new Promise<void>((resolve) => {
        if (proc.exitCode !== null) resolve();
        else {
          proc.on('exit', () => resolve());
          setTimeout(() => proc.kill(), 2000).unref();
        }
      });
      conn.dispose();
    },
  }) as TestClient;
}
