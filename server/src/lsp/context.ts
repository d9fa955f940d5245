/**
 * What every LSP feature module gets: the connection, the open documents, the
 * language service, the per-version parse cache, settings, and offset <->
 * position conversion. Feature modules (lsp/*.ts) register their handlers with
 * it and return the capabilities they add.
 */
import { Connection, Range, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService } from '../languageService';
import { ManifestFile } from '../model/manifest';
import { Settings } from '../types';
import type { ChartCheckResult } from '../features/helm/chartCheck';

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  ls: LanguageService;
  /** The parsed model of an open document at its current version (cached). */
  fileOf(doc: TextDocument): ManifestFile;
  /** The settings that apply to a document (pulled from the client, cached until they change). */
  settingsFor(uri: string): Promise<Settings>;
  range(doc: TextDocument, start: number, end: number): Range;
  /** Re-checks every open document (after settings or the workspace changed). */
  revalidateAll(): void;
  /** Registers what `revalidateAll` does (the diagnostics module schedules every open document). */
  onRevalidate(fn: () => void): void;
  /** Called when the client's settings changed (after the settings cache was dropped). */
  onDidChangeSettings(fn: () => void): void;
  /** Called after the diagnostics of a document version were published (work that can wait for them waits here). */
  onDidValidate(fn: (uri: string) => void): void;
  /** Tells the `onDidValidate` listeners (the diagnostics module calls it). */
  didValidate(uri: string): void;
  /** Logs an exception once per feature and document (never the document's content). */
  logError(feature: string, uri: string, error: unknown): void;
  /** The client is VS Code (or a fork): VS Code-only commands may be used. */
  readonly isVSCode: boolean;
  /** Workspace folders the client opened, as URIs. */
  readonly workspaceFolders: string[];
  /** Runs `fn` after initialization (when capabilities and folders are known). */
  onReady(fn: () => void): void;
  /** Called with the watched files that changed on disk (lsp/workspace.ts tells). */
  onDidChangeFiles(fn: (changes: Array<{ uri: string; type: number }>) => void): void;
  didChangeFiles(changes: Array<{ uri: string; type: number }>): void;
  /** True for a file inside a Helm chart: lsp/charts.ts publishes its diagnostics (set by that module). */
  isChartFile(uri: string): boolean;
  /** The last check of the chart a file belongs to, with the file's chart-relative path (set by lsp/charts.ts). */
  chartOf(uri: string): { root: string; relative: string; result: ChartCheckResult; textOf(rel: string): string | undefined } | undefined;
}

/** A feature module: registers handlers, returns the capabilities it adds. */
export type FeatureRegistration = (ctx: ServerContext) => ServerCapabilities;
