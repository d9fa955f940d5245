/**
 * The LSP layer: wires the language service to a connection. It owns the
 * open documents, the per-version parse cache and the settings; it converts
 * offsets to LSP positions and back, and nothing else.
 */
import {
  CompletionItem,
  CompletionItemKind,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  Hover,
  InitializeParams,
  InitializeResult,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  Range,
  RequestType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionEntry } from '../features/completion';
import { createLanguageService, LanguageService } from '../languageService';
import { ManifestFile } from '../model/manifest';
import { nodeSchemaReader } from '../node/schemaFiles';
import { normalizeSettings, Problem, Settings } from '../types';

export interface DocumentInfoParams {
  uri: string;
}
export interface DocumentInfo {
  objects: Array<{ apiVersion?: string; kind?: string; name?: string }>;
  kubernetesVersion: string;
  /** False when the file is not a manifest, is excluded, or has `# kube-manifests: off`. */
  checked: boolean;
}
export const DocumentInfoRequest = new RequestType<DocumentInfoParams, DocumentInfo | null, void>('kubeManifests/documentInfo');

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  class: CompletionItemKind.Class,
  module: CompletionItemKind.Module,
};

export function startServer(connection: Connection, service?: LanguageService): void {
  const documents = new TextDocuments(TextDocument);
  const ls =
    service ??
    createLanguageService({
      readSchema: nodeSchemaReader(),
      onError: logOnce,
    });
  const parsed = new Map<string, { version: number; file: ManifestFile }>();
  const settingsCache = new Map<string, Promise<Settings>>();
  const pending = new Map<string, NodeJS.Immediate>();
  let hasConfiguration = false;
  let isVSCode = false;
  const loggedErrors = new Set<string>();

  function logOnce(feature: string, uri: string, error: unknown): void {
    const key = `${feature}:${uri}`;
    if (loggedErrors.has(key)) return;
    loggedErrors.add(key);
    const stack = error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') : 'unknown error';
    connection.console.error(`${feature} failed on ${uri}: ${stack}`);
  }

  function fileOf(doc: TextDocument): ManifestFile {
    const cached = parsed.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.file;
    const file = ls.parse(doc.uri, doc.getText(), cached?.file);
    parsed.set(doc.uri, { version: doc.version, file });
    return file;
  }

  function settingsFor(uri: string): Promise<Settings> {
    if (!hasConfiguration) return Promise.resolve(normalizeSettings(globalSettings));
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'kubeManifests' })
        .then(normalizeSettings, () => normalizeSettings(undefined));
      settingsCache.set(uri, s);
    }
    return s;
  }
  let globalSettings: unknown = undefined;

  function range(doc: TextDocument, start: number, end: number): Range {
    return { start: doc.positionAt(start), end: doc.positionAt(end) };
  }

  function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
    const d: Diagnostic = {
      range: range(doc, p.start, p.end),
      severity: SEVERITY[p.severity],
      code: p.code,
      source: 'kube-manifests',
      message: p.message,
    };
    if (p.unnecessary) d.tags = [DiagnosticTag.Unnecessary];
    if (p.data) d.data = p.data;
    return d;
  }

  async function validate(doc: TextDocument): Promise<void> {
    const settings = await settingsFor(doc.uri);
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return; // a newer version is on its way
    let diagnostics: Diagnostic[];
    if (doc.getText().length > settings.maxFileSize) {
      diagnostics = [];
      connection.console.info(`${doc.uri} is larger than kubeManifests.maxFileSize (${settings.maxFileSize} bytes): not checked.`);
    } else {
      const file = fileOf(doc);
      diagnostics = ls.validate(file, settings).map((p) => toDiagnostic(doc, p));
    }
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  function schedule(doc: TextDocument): void {
    const prev = pending.get(doc.uri);
    if (prev) clearImmediate(prev);
    pending.set(
      doc.uri,
      setImmediate(() => {
        pending.delete(doc.uri);
        const latest = documents.get(doc.uri);
        if (latest) validate(latest).catch((e) => logOnce('validation', doc.uri, e));
      }),
    );
  }

  function revalidateAll(): void {
    for (const doc of documents.all()) schedule(doc);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    hasConfiguration = Boolean(params.capabilities.workspace?.configuration);
    isVSCode = /code/i.test(params.clientInfo?.name ?? '');
    globalSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', ':', '-'], resolveProvider: false },
        hoverProvider: true,
      },
      serverInfo: { name: 'kube-manifests', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (hasConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeManifests' }).catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    const s = (change.settings as { kubeManifests?: unknown } | undefined)?.kubeManifests;
    if (s !== undefined) globalSettings = s;
    revalidateAll();
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    parsed.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    const p = pending.get(e.document.uri);
    if (p) clearImmediate(p);
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await settingsFor(doc.uri);
    if (token.isCancellationRequested) return cancelled();
    const entries = ls.complete(fileOf(doc), doc.offsetAt(params.position), settings);
    return {
      isIncomplete: false,
      items: entries.map((e): CompletionItem => {
        const item: CompletionItem = {
          label: e.label,
          kind: COMPLETION_KIND[e.kind],
          detail: e.detail,
          textEdit: { range: range(doc, e.range.start, e.range.end), newText: e.insertText },
          insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          insertTextMode: InsertTextMode.asIs,
        };
        if (e.documentation) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
        if (e.sortText) item.sortText = e.sortText;
        if (e.filterText) item.filterText = e.filterText;
        if (e.preselect) item.preselect = true;
        if (e.skeleton) item.data = { skeleton: true };
        if (e.retrigger && isVSCode) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
        return item;
      }),
    };
  });

  connection.onHover(async (params, token): Promise<Hover | null> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await settingsFor(doc.uri);
    if (token.isCancellationRequested) return null;
    const h = ls.hover(fileOf(doc), doc.offsetAt(params.position), settings);
    if (!h) return null;
    return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: range(doc, h.range.start, h.range.end) };
  });

  connection.onRequest(DocumentInfoRequest, async (params) => {
    const doc = documents.get(params.uri);
    if (!doc) return null;
    const settings = await settingsFor(doc.uri);
    const file = fileOf(doc);
    const objects = file.sections.flatMap((s) => s.objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })));
    return { objects, kubernetesVersion: settings.kubernetesVersion, checked: !file.disabled && ls.isManifest(file) };
  });

  documents.listen(connection);
  connection.listen();

  function cancelled(): ResponseError<void> {
    return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
  }
}
