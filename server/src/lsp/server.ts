/**
 * The LSP layer: wires the language service to a connection. It owns the open
 * documents, the per-version parse cache and the settings, and runs the
 * feature modules (one file per LSP feature under lsp/), which convert offsets
 * to positions and back and do nothing else.
 */
import {
  Connection,
  DidChangeConfigurationNotification,
  InitializeParams,
  InitializeResult,
  ServerCapabilities,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, LanguageService } from '../languageService';
import { VERSION } from '../version';
import { ManifestFile } from '../model/manifest';
import { nodeSchemaReader } from '../node/schemaFiles';
import { normalizeSettings, Settings } from '../types';
import { FeatureRegistration, ServerContext } from './context';
import { registerCompletion } from './completion';
import { registerDiagnostics } from './diagnostics';
import { registerDocumentInfo } from './documentInfo';
import { registerHover } from './hover';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { registerNavigation } from './navigation';
import { registerSymbols } from './symbols';
import { registerWorkspace } from './workspace';
import { registerCheckFiles } from './checkFiles';
import { registerCharts } from './charts';
import { describeError, installProcessGuards, safeConnection } from './safe';
import { PROFILING, profiledDocumentsConnection, profiler } from './profile';

/** Every feature module, in registration order. */
export const FEATURES: FeatureRegistration[] = [registerDiagnostics, registerCompletion, registerHover, registerDocumentInfo, registerCodeActions, registerCodeLens, registerCommands, registerWorkspace, registerNavigation, registerSymbols, registerCheckFiles, registerCharts];

export const SERVER_VERSION = VERSION;

export function startServer(connection: Connection, service?: LanguageService): void {
  const documents = new TextDocuments(TextDocument);
  const loggedErrors = new Set<string>();
  const logError = (feature: string, uri: string, error: unknown): void => {
    const key = `${feature}:${uri}`;
    if (loggedErrors.has(key)) return;
    loggedErrors.add(key);
    connection.console.error(`${feature} failed on ${uri}: ${describeError(error)}`);
  };
  const ls = service ?? createLanguageService({ readSchema: nodeSchemaReader(), onError: logError });
  const parsed = new Map<string, { version: number; file: ManifestFile }>();
  const settingsCache = new Map<string, Promise<Settings>>();
  const readyCallbacks: Array<() => void> = [];
  const revalidateCallbacks: Array<() => void> = [];
  const validatedCallbacks: Array<(uri: string) => void> = [];
  const settingsCallbacks: Array<() => void> = [];
  const fileCallbacks: Array<(changes: Array<{ uri: string; type: number }>) => void> = [];
  let hasConfiguration = false;
  let globalSettings: unknown = undefined;
  let ready = false;

  installProcessGuards((message) => connection.console.error(message));
  const ctx: ServerContext = {
    connection: safeConnection(PROFILING ? profiledDocumentsConnection(connection) : connection, logError),
    documents,
    ls,
    isVSCode: false,
    workspaceFolders: [],
    fileOf(doc) {
      const cached = parsed.get(doc.uri);
      if (cached && cached.version === doc.version) return cached.file;
      const file = ls.parse(doc.uri, doc.getText(), cached?.file);
      parsed.set(doc.uri, { version: doc.version, file });
      return file;
    },
    settingsFor(uri) {
      if (!hasConfiguration) return Promise.resolve(normalizeSettings(globalSettings));
      let s = settingsCache.get(uri);
      if (!s) {
        s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'kubeManifests' }).then(normalizeSettings, () => normalizeSettings(undefined));
        settingsCache.set(uri, s);
      }
      return s;
    },
    range(doc, start, end) {
      return { start: doc.positionAt(start), end: doc.positionAt(end) };
    },
    revalidateAll() {
      for (const fn of revalidateCallbacks) fn();
    },
    onRevalidate(fn) {
      revalidateCallbacks.push(fn);
    },
    onDidChangeSettings(fn) {
      settingsCallbacks.push(fn);
    },
    onDidValidate(fn) {
      validatedCallbacks.push(fn);
    },
    didValidate(uri) {
      for (const fn of validatedCallbacks) fn(uri);
    },
    logError,
    onDidChangeFiles(fn) {
      fileCallbacks.push(fn);
    },
    didChangeFiles(changes) {
      for (const fn of fileCallbacks) fn(changes);
    },
    isChartFile: () => false,
    chartOf: () => undefined,
    onReady(fn) {
      if (ready) fn();
      else readyCallbacks.push(fn);
    },
  };

  const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    hasConfiguration = Boolean(params.capabilities.workspace?.configuration);
    (ctx as { isVSCode: boolean }).isVSCode = /code/i.test(params.clientInfo?.name ?? '');
    (ctx as { clientCapabilities?: unknown }).clientCapabilities = params.capabilities; // lsp/workspace.ts: dynamic file watcher
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    (ctx as { workspaceFolders: string[] }).workspaceFolders = folders;
    globalSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    for (const register of FEATURES) Object.assign(capabilities, register(ctx));
    return { capabilities, serverInfo: { name: 'kube-manifests', version: SERVER_VERSION } };
  });

  connection.onInitialized(() => {
    if (hasConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeManifests' }).catch(() => undefined);
    }
    ready = true;
    for (const fn of readyCallbacks.splice(0)) fn();
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    const s = (change.settings as { kubeManifests?: unknown } | undefined)?.kubeManifests;
    if (s !== undefined) globalSettings = s;
    for (const fn of settingsCallbacks) fn();
    ctx.revalidateAll();
  });

  documents.onDidClose((e) => {
    parsed.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
  });

  if (PROFILING) profiler.install(connection);
  documents.listen(PROFILING ? profiledDocumentsConnection(connection) : connection);
  connection.listen();
}
