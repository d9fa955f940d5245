/**
 * The workspace index in the LSP server: indexes every YAML file of the
 * workspace folders after initialization (with `window/workDoneProgress`),
 * keeps it current from `workspace/didChangeWatchedFiles` (a watcher for
 * **\/*.{yaml,yml} is registered when the client supports dynamic
 * registration) and from open documents (which override the disk), reads
 * `external:` of each folder's .kube-manifests.yaml, and re-checks the open
 * documents when what they may refer to changes.
 *
 * Also answers `kubeManifests/permissions` for the client's Show permissions
 * command.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ClientCapabilities,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  Location,
  RequestType,
} from 'vscode-languageserver';
import { LineIndex } from '../model/text';
import { loadProjectConfig } from '../node/projectConfig';
import { isExcluded, listManifestFiles, mapLimit, pathToUri, readTextFile, readTextFileSync, uriToPath } from '../node/workspaceScanner';
import { externalConfigEdit } from '../features/actions/external';
import type { PermissionRow, Subject } from '../features/permissions';
import { DEFAULT_SETTINGS } from '../types';
import { FileFacts, sameDependencies } from '../workspace/index';
import { FeatureRegistration, ServerContext } from './context';
import { PROFILING, profiler } from './profile';

export interface PermissionsParams {
  subject: Subject;
}
export interface PermissionsResult {
  subject: Subject;
  /** The full table, as markdown. */
  markdown: string;
  rows: PermissionRow[];
  unresolved: Array<{ kind: string; name: string; binding: string }>;
}
export const PermissionsRequest = new RequestType<PermissionsParams, PermissionsResult, void>('kubeManifests/permissions');

const CONFIG_FILE = '.kube-manifests.yaml';

/** Offsets of a file that may not be open: the open document's text, else the disk's. */
export function textOf(ctx: ServerContext, uri: string): string | undefined {
  const doc = ctx.documents.get(uri);
  if (doc) return doc.getText();
  const p = uriToPath(uri);
  return p ? readTextFileSync(p) : undefined;
}

/** A converter of offset locations (possibly in files that are not open) to LSP locations; caches each file's lines. */
export function locator(ctx: ServerContext): (l: { uri: string; start: number; end: number }) => Location | undefined {
  const lines = new Map<string, LineIndex | undefined>();
  return (l) => {
    const doc = ctx.documents.get(l.uri);
    if (doc) return { uri: l.uri, range: ctx.range(doc, l.start, l.end) };
    if (!lines.has(l.uri)) {
      const t = textOf(ctx, l.uri);
      lines.set(l.uri, t === undefined ? undefined : new LineIndex(t));
    }
    const li = lines.get(l.uri);
    return li ? { uri: l.uri, range: { start: li.positionAt(l.start), end: li.positionAt(l.end) } } : undefined;
  };
}

/** Converts offset locations to LSP locations, dropping those in files that cannot be read. */
export function toLocations(ctx: ServerContext, locs: Array<{ uri: string; start: number; end: number }>): Location[] {
  const locate = locator(ctx);
  return locs.map(locate).filter((l): l is Location => Boolean(l));
}

export const registerWorkspace: FeatureRegistration = (ctx) => {
  const { connection, documents } = ctx;
  const index = ctx.ls.workspace;
  index.readText = (uri) => textOf(ctx, uri);
  const folders = (): string[] => ctx.workspaceFolders.map(uriToPath).filter((p): p is string => Boolean(p));
  const externals = new Map<string, string[]>();
  let revalidateTimer: NodeJS.Timeout | undefined;
  let scanning = false;

  const scheduleRevalidate = (): void => {
    if (revalidateTimer) clearTimeout(revalidateTimer);
    revalidateTimer = setTimeout(() => {
      revalidateTimer = undefined;
      ctx.revalidateAll();
    }, 150);
  };

  const loadExternals = (): void => {
    for (const folder of folders()) {
      const cfg = loadProjectConfig(path.join(folder, CONFIG_FILE), false);
      const ext = cfg.settings.external;
      externals.set(folder, Array.isArray(ext) ? ext.filter((e): e is string => typeof e === 'string') : []);
    }
    index.external = [...new Set([...externals.values()].flat())];
  };

  const excludesFor = async (folder: string): Promise<string[]> => {
    const uri = pathToUri(folder);
    const settings = await ctx.settingsFor(uri);
    const out = [...settings.exclude];
    try {
      const filesExclude = (await connection.workspace.getConfiguration({ scopeUri: uri, section: 'files.exclude' })) as Record<string, unknown> | null;
      if (filesExclude && typeof filesExclude === 'object') for (const [glob, on] of Object.entries(filesExclude)) if (on === true) out.push(glob);
    } catch {
      // the client has no workspace/configuration: only kubeManifests.exclude applies
    }
    return out;
  };

  const indexDiskFile = async (file: string, maxSize: number): Promise<boolean> => {
    const uri = pathToUri(file);
    if (documents.get(uri)) return false; // an open document overrides the disk
    const text = await readTextFile(file, maxSize);
    if (text === undefined) {
      index.delete(uri);
      return false;
    }
    if (documents.get(uri)) return false;
    index.set(factsOf(uri, text), false);
    return true;
  };

  const factsOf = (uri: string, text: string): FileFacts => {
    const file = ctx.ls.parse(uri, text);
    return index.view(file).current!;
  };

  const scan = async (only?: string[]): Promise<void> => {
    const roots = only ?? folders();
    if (!roots.length) return;
    scanning = true;
    const started = Date.now();
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Kube Manifests', 0, 'Indexing the workspace…', false);
    try {
      loadExternals();
      if (!only) lastExcludes = await excludesKey();
      let files: Array<{ file: string; maxSize: number }> = [];
      for (const root of roots) {
        const settings = await ctx.settingsFor(pathToUri(root));
        const exclude = await excludesFor(root);
        for (const f of await listManifestFiles(root, exclude)) files.push({ file: f, maxSize: settings.maxFileSize });
      }
      files = files.filter((f) => path.basename(f.file) !== CONFIG_FILE);
      // Files indexed before under these folders that are now excluded (or gone) leave the index.
      const listed = new Set(files.map((f) => pathToUri(f.file)));
      for (const uri of [...index.uris()]) {
        const p = uriToPath(uri);
        if (!p || documents.get(uri) || listed.has(uri)) continue;
        if (roots.some((r) => !path.relative(r, p).startsWith('..'))) index.delete(uri);
      }
      let done = 0;
      let lastReport = 0;
      await mapLimit(files, 16, async (f) => {
        try {
          await indexDiskFile(f.file, f.maxSize);
        } catch (e) {
          ctx.logError('workspace index', pathToUri(f.file), e);
        }
        done++;
        const now = Date.now();
        if (now - lastReport > 100) {
          lastReport = now;
          progress?.report(Math.floor((done / files.length) * 100), `${done}/${files.length} files`);
        }
      });
      // Open documents override what was read from disk.
      for (const doc of documents.all()) index.set(index.view(ctx.fileOf(doc)).current!, false);
      index.enabled = true;
      index.version++;
      index.emit([]);
      connection.console.log(`kube-manifests: indexed ${files.length} files in ${Date.now() - started} ms`);
    } finally {
      scanning = false;
      progress?.done();
    }
    ctx.revalidateAll();
  };

  // kubeManifests.exclude (or files.exclude) changed: index what is now included, drop what is not.
  let lastExcludes = '';
  const excludesKey = async (): Promise<string> => JSON.stringify(await Promise.all(folders().map((f) => excludesFor(f))));
  ctx.onDidChangeSettings(() => {
    void (async () => {
      const key = await excludesKey();
      if (key !== lastExcludes && index.enabled && !scanning) {
        lastExcludes = key;
        await scan();
      }
    })().catch((e) => ctx.logError('workspace index', 'settings', e));
  });

  const syncOpen = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc || doc.getText().length > DEFAULT_SETTINGS.maxFileSize) return;
    const before = index.get(uri);
    // A chart's template: the index holds what it renders (lsp/charts.ts), its own text is not parsed for it.
    if (index.notIndexed?.(uri)) {
      if (!before || before.objects.length) index.set({ uri, objects: [] }, false);
      return;
    }
    const facts = index.view(ctx.fileOf(doc)).current!;
    index.set(facts, false);
    if (!sameDependencies(before, facts) && !scanning) scheduleRevalidate();
  };

  // When typing pauses after the document's own diagnostics: the index update is not on the path
  // to them (a big file's facts take as long as its parse), and a burst of keystrokes is indexed
  // once, not once per keystroke. Another document that reads the index first brings it up to date
  // (`beforeRead`). A timer covers a document whose check never comes (closed meanwhile, an error).
  const TYPING_PAUSE_MS = 100;
  const pendingSync = new Map<string, NodeJS.Timeout>();
  const runSync = (uri: string): void => {
    const timer = pendingSync.get(uri);
    if (!timer) return;
    clearTimeout(timer);
    pendingSync.delete(uri);
    if (!PROFILING) return syncOpen(uri);
    const t = performance.now();
    syncOpen(uri);
    profiler.after(uri, 'workspace index update (when typing pauses)', performance.now() - t);
  };
  const deferSync = (uri: string): void => {
    const prev = pendingSync.get(uri);
    if (prev) clearTimeout(prev);
    pendingSync.set(uri, setTimeout(() => runSync(uri), 2000));
  };
  ctx.onDidValidate((uri) => {
    const prev = pendingSync.get(uri);
    if (!prev) return;
    clearTimeout(prev);
    pendingSync.set(uri, setTimeout(() => runSync(uri), TYPING_PAUSE_MS));
  });
  index.beforeRead = (except) => {
    for (const uri of [...pendingSync.keys()]) if (uri !== except) runSync(uri);
  };
  documents.onDidOpen((e) => deferSync(e.document.uri));
  documents.onDidChangeContent((e) => deferSync(e.document.uri));
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const p = uriToPath(uri);
    const root = p ? folders().find((f) => !path.relative(f, p).startsWith('..')) : undefined;
    if (!p || !root) {
      index.delete(uri);
      scheduleRevalidate();
      return;
    }
    // Back to what the disk says.
    void ctx.settingsFor(uri).then(async (settings) => {
      if (isExcluded(root, p, await excludesFor(root)) || !(await indexDiskFile(p, settings.maxFileSize))) index.delete(uri);
      scheduleRevalidate();
    });
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    ctx.didChangeFiles(params.changes);
    let changed = false;
    for (const change of params.changes) {
      const p = uriToPath(change.uri);
      if (!p) continue;
      if (path.basename(p) === CONFIG_FILE) {
        loadExternals();
        changed = true;
        continue;
      }
      if (!/\.ya?ml$/i.test(p)) {
        // A deleted folder: drop what was indexed below it.
        if (change.type === FileChangeType.Deleted) {
          const prefix = change.uri.endsWith('/') ? change.uri : change.uri + '/';
          for (const u of [...index.uris()]) {
            if (u.startsWith(prefix) && !documents.get(u)) {
              index.delete(u);
              changed = true;
            }
          }
        }
        continue;
      }
      const root = folders().find((f) => !path.relative(f, p).startsWith('..'));
      if (!root) continue;
      if (change.type === FileChangeType.Deleted) {
        if (!documents.get(change.uri)) {
          index.delete(change.uri);
          changed = true;
        }
        continue;
      }
      const settings = await ctx.settingsFor(change.uri);
      if (isExcluded(root, p, await excludesFor(root))) continue;
      if (await indexDiskFile(p, settings.maxFileSize)) changed = true;
    }
    if (changed) {
      index.version++;
      index.emit(params.changes.map((c) => c.uri));
      scheduleRevalidate();
    }
  });

  connection.onRequest(PermissionsRequest, (params): PermissionsResult => {
    const subject: Subject = { kind: params?.subject?.kind || 'ServiceAccount', name: String(params?.subject?.name ?? ''), namespace: params?.subject?.namespace || undefined };
    const p = ctx.ls.permissions(subject);
    return { subject, markdown: p.markdown, rows: p.rows, unresolved: p.unresolved };
  });

  ctx.onReady(() => {
    const caps = (ctx as ServerContext & { clientCapabilities?: ClientCapabilities }).clientCapabilities;
    if (caps?.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] })
        .catch((e) => ctx.logError('file watcher', '', e));
    }
    void scan().catch((e) => ctx.logError('workspace index', '', e));
    // Folders added or removed while running.
    if (caps?.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => f.uri));
        const kept = ctx.workspaceFolders.filter((f) => !removed.has(f));
        (ctx as { workspaceFolders: string[] }).workspaceFolders = [...kept, ...e.added.map((f) => f.uri).filter((u) => !kept.includes(u))];
        for (const f of e.removed) {
          const prefix = f.uri.endsWith('/') ? f.uri : f.uri + '/';
          for (const u of [...index.uris()]) if (u.startsWith(prefix) && !documents.get(u)) index.delete(u);
        }
        const added = e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => Boolean(p));
        void scan(added).catch((err) => ctx.logError('workspace index', '', err));
        if (!added.length) scheduleRevalidate();
      });
    }
  });

  return { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } };
};

/**
 * Runs the `kubeManifests.declareExternal` quick fix: adds `entry` (`Kind/name`)
 * to `external:` of the .kube-manifests.yaml of the workspace folder holding
 * `uri` (creating the file when missing), and takes it into account at once.
 */
export async function declareExternal(ctx: ServerContext, uri: string, entry: string): Promise<{ applied: boolean; reason?: string; config?: string }> {
  const file = uriToPath(uri);
  if (!file || !/^[\w.-]+\/[\w.:/-]+$/.test(entry)) return { applied: false, reason: 'Nothing to declare.' };
  const folders = ctx.workspaceFolders.map(uriToPath).filter((p): p is string => Boolean(p));
  const folder = folders.filter((f) => !path.relative(f, file).startsWith('..')).sort((a, b) => b.length - a.length)[0] ?? path.dirname(file);
  const configPath = path.join(folder, CONFIG_FILE);
  const configUri = pathToUri(configPath);
  const open = ctx.documents.get(configUri);
  const text = open ? open.getText() : readTextFileSync(configPath);
  const edits = externalConfigEdit(text, entry);
  let applied = true;
  if (edits.length) {
    if (text === undefined) {
      const res = await ctx.connection.workspace
        .applyEdit({
          label: `Declare ${entry} as external`,
          edit: { documentChanges: [{ kind: 'create', uri: configUri, options: { ignoreIfExists: true } }, { textDocument: { uri: configUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: edits[0].newText }] }] },
        })
        .catch(() => ({ applied: false }));
      applied = res.applied;
      if (!applied) {
        // the client cannot create files: write it ourselves
        try {
          fs.writeFileSync(configPath, edits[0].newText, { flag: 'wx' });
          applied = true;
        } catch {
          return { applied: false, reason: `Could not create ${configPath}.` };
        }
      }
    } else {
      const lines = new LineIndex(text);
      const res = await ctx.connection.workspace.applyEdit({
        label: `Declare ${entry} as external`,
        edit: { changes: { [configUri]: edits.map((e) => ({ range: open ? ctx.range(open, e.start, e.end) : { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.newText })) } },
      }).catch(() => ({ applied: false }));
      applied = res.applied;
    }
  }
  if (applied) {
    if (!ctx.ls.workspace.external.includes(entry)) ctx.ls.workspace.external = [...ctx.ls.workspace.external, entry];
    ctx.revalidateAll();
  }
  return { applied, config: configUri };
}
