/**
 * The language service: one object with a method per feature, over the
 * document model. Pure: it never imports vscode-languageserver and does no IO
 * (the schema reader is injected). The LSP layer (lsp/) and the CLI (cli/)
 * are its only users.
 */
import { doComplete, CompletionEntry } from './features/completion';
import { CodeActionEntry, doCodeActions } from './features/codeActions';
import { CodeLensEntry, doCodeLenses } from './features/codeLens';
import { scaffoldBlueGreen, ScaffoldResult, switchTraffic } from './features/actions/blueGreen';
import { doHover, HoverResult } from './features/hover';
import { HOVER_CONTRIBUTORS } from './rules/index';
import { ErrorSink, Validator } from './features/validation';
import { ManifestFile, parseManifestFile } from './model/manifest';
import { ReadJson, SchemaStore } from './schema/schemaStore';
import { OffsetEdit, Problem, Settings } from './types';

export interface LanguageServiceOptions {
  /** Reads a file of schemas/ by name (index.json, _definitions.json). */
  readSchema: ReadJson;
  /** Told about exceptions inside rules and features (never with document content). */
  onError?: ErrorSink;
}

export interface LanguageService {
  readonly store: SchemaStore;
  /** Parses a file; pass the previous parse of the same document to reuse unchanged sections. */
  parse(uri: string, text: string, previous?: ManifestFile): ManifestFile;
  validate(file: ManifestFile, settings: Settings): Problem[];
  complete(file: ManifestFile, offset: number, settings: Settings): CompletionEntry[];
  hover(file: ManifestFile, offset: number, settings: Settings): HoverResult | undefined;
  /** True when the file holds Kubernetes objects (otherwise we stay quiet). */
  isManifest(file: ManifestFile): boolean;
  /** Code actions for a range, given the problems (diagnostics) in it. */
  codeActions(file: ManifestFile, range: { start: number; end: number }, problems: Problem[], settings: Settings): CodeActionEntry[];
  /** Code lenses (blue/green traffic on Services). */
  codeLenses(file: ManifestFile, settings: Settings): CodeLensEntry[];
  /** Edits turning the Deployment at an offset into a blue/green pair with a Service. */
  scaffoldBlueGreen(file: ManifestFile, offset: number): ScaffoldResult | undefined;
  /** Edits flipping the color of the Service at an offset (to `to`, or the other color). */
  switchTraffic(file: ManifestFile, offset: number, to?: 'blue' | 'green'): OffsetEdit[] | undefined;
}

export function createLanguageService(options: LanguageServiceOptions): LanguageService {
  const store = new SchemaStore(options.readSchema);
  const onError = options.onError ?? (() => undefined);
  const validator = new Validator(store, onError);
  const guard = <T>(feature: string, uri: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      onError(feature, uri, e);
      return fallback;
    }
  };
  return {
    store,
    parse: (uri, text, previous) => parseManifestFile(uri, text, previous),
    validate: (file, settings) => guard('validation', file.uri, [], () => validator.validate(file, settings)),
    complete: (file, offset, settings) => guard('completion', file.uri, [], () => doComplete(file, offset, store, settings)),
    hover: (file, offset, settings) => guard('hover', file.uri, undefined, () => doHover(file, offset, store, settings, HOVER_CONTRIBUTORS)),
    isManifest: (file) => Validator.isManifest(file),
    codeActions: (file, range, problems, settings) => guard('codeActions', file.uri, [], () => doCodeActions(file, range, problems, settings, store)),
    codeLenses: (file) => guard('codeLens', file.uri, [], () => doCodeLenses(file)),
    scaffoldBlueGreen: (file, offset) => guard('scaffoldBlueGreen', file.uri, undefined, () => scaffoldBlueGreen(file, offset)),
    switchTraffic: (file, offset, to) => guard('switchTraffic', file.uri, undefined, () => switchTraffic(file, offset, to)),
  };
}

export type { CodeActionEntry, CodeLensEntry, CompletionEntry, HoverResult, ManifestFile, OffsetEdit, Problem, ScaffoldResult, Settings };
