/**
 * The language service: one object with a method per feature, over the
 * document model. Pure: it never imports vscode-languageserver and does no IO
 * (the schema reader is injected). The LSP layer (lsp/) and the CLI (cli/)
 * are its only users.
 */
import { doComplete, CompletionEntry } from './features/completion';
import { withErrorSink } from './errors';
import { CodeActionEntry, doCodeActions } from './features/codeActions';
import { CodeLensEntry, doCodeLenses } from './features/codeLens';
import { scaffoldBlueGreen, ScaffoldResult, switchTraffic } from './features/actions/blueGreen';
import { doHover, HoverResult } from './features/hover';
import { syncCustomResources } from './features/crds';
import { permissionsMarkdown, permissionsOf, Permissions, Subject } from './features/permissions';
import * as refs from './features/references';
import { documentSymbols, DocumentSymbolEntry, FoldingEntry, foldingRanges, workspaceSymbols, WorkspaceSymbolEntry } from './features/symbols';
import { WorkspaceIndex } from './workspace/index';
import { HOVER_CONTRIBUTORS } from './rules/index';
import { kubeconfigCompletion, kubeconfigHover } from './features/kubeconfig';
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
  /** The workspace index (filled by the LSP layer or the CLI); `validate` adds cross-file problems once it is `enabled`. */
  readonly workspace: WorkspaceIndex;
  definition(file: ManifestFile, offset: number): refs.Location[];
  references(file: ManifestFile, offset: number, includeDeclaration: boolean): refs.Location[];
  prepareRename(file: ManifestFile, offset: number): { start: number; end: number; placeholder: string } | { error: string };
  /** Rename edits per uri; `readText` gives the text of other files (to skip quotes). */
  rename(file: ManifestFile, offset: number, newName: string, readText?: (uri: string) => string | undefined): refs.RenameResult | { error: string };
  documentSymbols(file: ManifestFile): DocumentSymbolEntry[];
  workspaceSymbols(query: string): WorkspaceSymbolEntry[];
  foldingRanges(file: ManifestFile): FoldingEntry[];
  /** What a subject may do, from the bindings of the workspace. */
  permissions(subject: Subject): Permissions & { markdown: string };
}

export function createLanguageService(options: LanguageServiceOptions): LanguageService {
  const store = new SchemaStore(options.readSchema);
  const onError = options.onError ?? (() => undefined);
  const validator = new Validator(store, onError);
  const workspace = new WorkspaceIndex();
  const view = (file?: ManifestFile) => workspace.view(file);
  /** Registers the workspace's CRDs; returns a key that changes with them (the per-section cache must not outlive a schema). */
  const crds = (): number => syncCustomResources(store, workspace);
  const refCompletion = (file: ManifestFile, offset: number, cursor: Parameters<typeof refs.completeReferences>[2], range: { start: number; end: number }) => refs.completeReferences(file, offset, cursor, view(file), range);
  const refHover = refs.referenceHover(view);
  const guard = <T>(feature: string, uri: string, fallback: T, fn: () => T): T => {
    try {
      return withErrorSink((where, e) => onError(`${feature}/${where}`, uri, e), fn);
    } catch (e) {
      onError(feature, uri, e);
      return fallback;
    }
  };
  return {
    store,
    parse: (uri, text, previous) => parseManifestFile(uri, text, previous),
    validate: (file, settings) => {
      const signature = crds();
      const own = guard('validation', file.uri, [], () => validator.validate(file, signature ? ({ ...settings, customResources: signature } as Settings) : settings));
      if (!workspace.enabled || !Validator.isManifest(file)) return own;
      const cross = guard('references', file.uri, [], () => refs.validateReferences(file, view(file), settings));
      return cross.length ? [...own, ...cross].sort((a, b) => a.start - b.start || a.end - b.end) : own;
    },
    complete: (file, offset, settings) => guard('completion', file.uri, [], () => (crds(), doComplete(file, offset, store, settings, [refCompletion, kubeconfigCompletion]))),
    hover: (file, offset, settings) => guard('hover', file.uri, undefined, () => (crds(), doHover(file, offset, store, settings, [...HOVER_CONTRIBUTORS, refHover, kubeconfigHover]))),
    isManifest: (file) => Validator.isManifest(file),
    codeActions: (file, range, problems, settings) => guard('codeActions', file.uri, [], () => doCodeActions(file, range, problems, settings, store)),
    codeLenses: (file) => guard('codeLens', file.uri, [], () => doCodeLenses(file)),
    scaffoldBlueGreen: (file, offset) => guard('scaffoldBlueGreen', file.uri, undefined, () => scaffoldBlueGreen(file, offset)),
    switchTraffic: (file, offset, to) => guard('switchTraffic', file.uri, undefined, () => switchTraffic(file, offset, to)),
    workspace,
    definition: (file, offset) => guard('definition', file.uri, [], () => refs.definition(file, offset, view(file))),
    references: (file, offset, includeDeclaration) => guard('references', file.uri, [], () => refs.references(file, offset, view(file), includeDeclaration)),
    prepareRename: (file, offset) => guard('rename', file.uri, { error: 'Nothing to rename here.' }, () => refs.prepareRename(file, offset)),
    rename: (file, offset, newName, readText) => guard('rename', file.uri, { error: 'Rename failed.' }, () => refs.rename(file, offset, newName, view(file), readText)),
    documentSymbols: (file) => guard('documentSymbols', file.uri, [], () => documentSymbols(file)),
    workspaceSymbols: (query) => guard('workspaceSymbols', '', [], () => workspaceSymbols(view(), query)),
    foldingRanges: (file) => guard('foldingRanges', file.uri, [], () => foldingRanges(file)),
    permissions: (subject) => {
      const p = permissionsOf(view(), subject);
      return { ...p, markdown: permissionsMarkdown(p, 500) };
    },
  };
}

export type { CodeActionEntry, CodeLensEntry, CompletionEntry, HoverResult, ManifestFile, OffsetEdit, Problem, ScaffoldResult, Settings };
