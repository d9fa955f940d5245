// VS Code UI of "Show Permissions": what a ServiceAccount, User or Group may do, from every
// RoleBinding and ClusterRoleBinding of the workspace. The language server computes the table
// (request `kubeManifests/permissions`); the client picks the subject (from the cursor: a
// ServiceAccount document, a `serviceAccountName:`, a binding subject; otherwise it asks) and shows
// the markdown in a read-only preview (a read-only file of its own scheme, rendered by VS Code's
// markdown preview).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const SHOW_PERMISSIONS_COMMAND = 'kubeManifests.showPermissions';
export const PERMISSIONS_REQUEST = 'kubeManifests/permissions';
/** Scheme of the read-only documents holding the tables. */
export const PERMISSIONS_SCHEME = 'kube-manifests-permissions';

export type SubjectKind = 'ServiceAccount' | 'User' | 'Group';
export interface Subject {
  kind: SubjectKind;
  name: string;
  namespace?: string;
}

/** Shape of the server's answer (server/src/lsp/workspace.ts, PermissionsResult). */
export interface PermissionsAnswer {
  subject: Subject;
  markdown: string;
  rows: unknown[];
  unresolved: Array<{ kind: string; name: string; binding: string }>;
}

/** What the command returns (for callers such as tests); undefined when the user cancelled. */
export interface ShowPermissionsResult extends PermissionsAnswer {
  /** The read-only document holding the markdown. */
  uri: string;
  /** How it is shown: the markdown preview, or the document itself when there is no preview. */
  shownAs: 'preview' | 'document';
}

const KINDS: SubjectKind[] = ['ServiceAccount', 'User', 'Group'];
const isSubjectKind = (k: unknown): k is SubjectKind => typeof k === 'string' && (KINDS as string[]).includes(k);

// ---- the subject at the cursor (text based: indentation, no YAML parser in the client) ---------

const unquote = (raw: string): string => raw.replace(/\s+#.*$/, '').trim().replace(/^(["'])(.*)\1$/, '$2').trim();
const indentOf = (line: string): number => /^[ ]*/.exec(line)![0].length;
const blank = (line: string): boolean => /^\s*(#.*)?$/.test(line);

interface Doc {
  lines: string[];
  /** Index in `lines` of the cursor's line. */
  cursor: number;
}

function documentAt(text: string, offset: number): Doc {
  const all = text.split(/\r?\n/);
  const cursorLine = text.slice(0, Math.max(0, Math.min(offset, text.length))).split(/\r?\n/).length - 1;
  let start = 0;
  let end = all.length;
  for (let i = 0; i < all.length; i++) {
    if (!/^(---|\.\.\.)\s*(#.*)?$/.test(all[i])) continue;
    if (i < cursorLine) start = i + 1;
    else {
      end = i;
      break;
    }
  }
  return { lines: all.slice(start, end), cursor: cursorLine - start };
}

/** The value of `key:` among the direct children of the map that starts after line `parent` (or of the top level when parent is -1). */
function childValue(lines: string[], parent: number, key: string): string | undefined {
  const block = childLines(lines, parent);
  const re = new RegExp(`^\\s*${key}\\s*:\\s*(.*)$`);
  for (const i of block) {
    const m = re.exec(lines[i]);
    if (m) return unquote(m[1]) || undefined;
  }
  return undefined;
}

/** Line numbers of the direct children of the block under line `parent` (-1: top level). */
function childLines(lines: string[], parent: number): number[] {
  const parentIndent = parent < 0 ? -1 : indentOf(lines[parent]);
  let childIndent: number | undefined;
  const out: number[] = [];
  for (let i = parent + 1; i < lines.length; i++) {
    if (blank(lines[i])) continue;
    const ind = indentOf(lines[i]);
    if (ind <= parentIndent) break;
    childIndent ??= ind;
    if (ind === childIndent) out.push(i);
  }
  return out;
}

function topKey(lines: string[], key: string): number {
  return lines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
}

/** Binding subjects: one per `- ` item of the top-level `subjects:` list, with the lines it spans. */
function bindingSubjects(lines: string[], kind: string, namespace: string | undefined): Array<{ subject: Subject; from: number; to: number }> {
  const at = topKey(lines, 'subjects');
  if (at < 0) return [];
  const items: number[] = [];
  let itemIndent: number | undefined;
  let end = lines.length;
  for (let i = at + 1; i < lines.length; i++) {
    if (blank(lines[i])) continue;
    const ind = indentOf(lines[i]);
    if (ind === 0 && !/^-/.test(lines[i])) {
      end = i;
      break;
    }
    if (/^\s*-(\s|$)/.test(lines[i]) && (itemIndent === undefined || ind === itemIndent)) {
      itemIndent ??= ind;
      items.push(i);
    }
  }
  const out: Array<{ subject: Subject; from: number; to: number }> = [];
  items.forEach((from, n) => {
    const to = (n + 1 < items.length ? items[n + 1] : end) - 1;
    const fields: Record<string, string> = {};
    for (let i = from; i <= to; i++) {
      const m = /^\s*(?:-\s+)?([A-Za-z]+)\s*:\s*(.*)$/.exec(lines[i]);
      if (m && (i === from || indentOf(lines[i]) > (itemIndent ?? 0))) fields[m[1]] ??= unquote(m[2]);
    }
    if (!isSubjectKind(fields.kind) || !fields.name) return;
    const subject: Subject = { kind: fields.kind, name: fields.name };
    if (fields.kind === 'ServiceAccount') {
      const ns = fields.namespace || (kind === 'RoleBinding' ? namespace : undefined);
      if (ns) subject.namespace = ns;
    }
    out.push({ subject, from, to });
  });
  return out;
}

export interface CursorSubjects {
  /** The subject the cursor designates, if any. */
  subject?: Subject;
  /** Other subjects of the document under the cursor (the subjects of a binding), offered when asking. */
  candidates: Subject[];
}

/**
 * The subject the cursor designates: a `serviceAccountName:` (or `serviceAccount:`) line, a subject of a
 * RoleBinding/ClusterRoleBinding, or a ServiceAccount document. Best effort, from indentation.
 */
export function subjectsAt(text: string, offset: number): CursorSubjects {
  const { lines, cursor } = documentAt(text, offset);
  const kind = childValue(lines, -1, 'kind');
  const meta = topKey(lines, 'metadata');
  const namespace = meta >= 0 ? childValue(lines, meta, 'namespace') : undefined;
  const name = meta >= 0 ? childValue(lines, meta, 'name') : undefined;
  const line = lines[cursor] ?? '';
  const sa = /^\s*(?:-\s+)?(?:serviceAccountName|serviceAccount)\s*:\s*(.+)$/.exec(line);
  if (sa && unquote(sa[1])) {
    const subject: Subject = { kind: 'ServiceAccount', name: unquote(sa[1]) };
    if (namespace) subject.namespace = namespace;
    return { subject, candidates: [] };
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const subjects = bindingSubjects(lines, kind, namespace);
    const hit = subjects.find((s) => cursor >= s.from && cursor <= s.to);
    const only = subjects.length === 1 ? subjects[0] : undefined;
    return { subject: (hit ?? only)?.subject, candidates: subjects.map((s) => s.subject) };
  }
  if (kind === 'ServiceAccount' && name) {
    const subject: Subject = { kind: 'ServiceAccount', name };
    if (namespace) subject.namespace = namespace;
    return { subject, candidates: [] };
  }
  return { candidates: [] };
}

export const describeSubject = (s: Subject): string => `${s.kind} ${s.kind === 'ServiceAccount' && s.namespace ? `${s.namespace}/` : ''}${s.name}`;

// ---- asking -----------------------------------------------------------------------------------

/** ServiceAccounts of the workspace, from the server's workspace symbols (container "ServiceAccount · ns"). */
async function workspaceServiceAccounts(): Promise<Subject[]> {
  try {
    const symbols = (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'serviceaccount/')) ?? [];
    const seen = new Set<string>();
    const out: Subject[] = [];
    for (const s of symbols) {
      const m = /^ServiceAccount(?: · (.+))?$/.exec(s.containerName ?? '');
      if (!m) continue;
      const subject: Subject = { kind: 'ServiceAccount', name: s.name, ...(m[1] ? { namespace: m[1] } : {}) };
      const key = describeSubject(subject);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(subject);
      }
    }
    return out;
  } catch {
    return [];
  }
}

async function askSubject(candidates: Subject[]): Promise<Subject | undefined> {
  type Item = vscode.QuickPickItem & { subject?: Subject; ask?: SubjectKind };
  const known = [...candidates];
  for (const s of await workspaceServiceAccounts()) if (!known.some((k) => describeSubject(k) === describeSubject(s))) known.push(s);
  const items: Item[] = [
    ...known.map((s): Item => ({ label: describeSubject(s), subject: s })),
    ...(known.length ? [{ label: '', kind: vscode.QuickPickItemKind.Separator } as Item] : []),
    { label: 'ServiceAccount…', description: 'type its name (namespace/name)', ask: 'ServiceAccount' },
    { label: 'User…', description: 'type the user name', ask: 'User' },
    { label: 'Group…', description: 'type the group name', ask: 'Group' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Show Permissions: whose?', placeHolder: 'A subject of the RoleBindings and ClusterRoleBindings of the workspace' });
  if (!picked) return undefined;
  if (picked.subject) return picked.subject;
  const kind = picked.ask!;
  const value = await vscode.window.showInputBox({
    title: `Show Permissions of a ${kind}`,
    prompt: kind === 'ServiceAccount' ? 'name, or namespace/name' : `${kind} name, as bindings spell it`,
    validateInput: (v) => (v.trim() ? null : 'A name is required'),
  });
  if (!value?.trim()) return undefined;
  const v = value.trim();
  if (kind === 'ServiceAccount' && v.includes('/')) {
    const [ns, name] = v.split('/', 2);
    return { kind, name: name.trim(), ...(ns.trim() ? { namespace: ns.trim() } : {}) };
  }
  return { kind, name: v };
}

// ---- showing ----------------------------------------------------------------------------------

/**
 * The tables as read-only files of their own scheme (a file system provider rather than a content
 * provider: the markdown preview watches the file it shows, and a watch needs a file system).
 */
class PermissionsDocuments implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  set(subject: Subject, markdown: string): vscode.Uri {
    const file = describeSubject(subject).replace(/[^A-Za-z0-9_.:@ -]+/g, '-');
    const uri = vscode.Uri.from({ scheme: PERMISSIONS_SCHEME, path: `/Permissions of ${file}.md` });
    const known = this.files.has(uri.path);
    this.files.set(uri.path, { data: new TextEncoder().encode(markdown), mtime: Date.now() });
    this.changed.fire([{ type: known ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
    return uri;
  }

  private get(uri: vscode.Uri): { data: Uint8Array; mtime: number } {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const f = this.get(uri);
    return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.data.byteLength, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.get(uri).data;
  }

  readDirectory(): Array<[string, vscode.FileType]> {
    return [...this.files.keys()].map((p) => [p.slice(1), vscode.FileType.File]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function toSubject(arg: unknown): Subject | undefined {
  const a = arg as Partial<Subject> | undefined;
  if (!a || typeof a !== 'object' || !isSubjectKind(a.kind) || typeof a.name !== 'string' || !a.name) return undefined;
  return { kind: a.kind, name: a.name, ...(typeof a.namespace === 'string' && a.namespace ? { namespace: a.namespace } : {}) };
}

/**
 * Registers `kubeManifests.showPermissions`. Arguments (optional): a subject `{ kind, name, namespace? }`;
 * without one (palette, editor context menu) the subject comes from the cursor, else the user is asked.
 */
export function registerPermissionsCommand(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const docs = new PermissionsDocuments();
  context.subscriptions.push(
    docs,
    vscode.workspace.registerFileSystemProvider(PERMISSIONS_SCHEME, docs, { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand(SHOW_PERMISSIONS_COMMAND, async (arg?: unknown): Promise<ShowPermissionsResult | undefined> => {
      let subject = toSubject(arg);
      if (!subject) {
        const editor = vscode.window.activeTextEditor;
        const here = editor ? subjectsAt(editor.document.getText(), editor.document.offsetAt(editor.selection.active)) : { candidates: [] };
        subject = here.subject ?? (await askSubject(here.candidates));
      }
      if (!subject) return undefined;
      const client = await getClient();
      const answer = await client.sendRequest<PermissionsAnswer>(PERMISSIONS_REQUEST, { subject });
      const who = `${subject.kind === 'ServiceAccount' && subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`;
      const markdown = `# Permissions of ${subject.kind} \`${who}\`\n\n${answer.markdown}\n`;
      const uri = docs.set(subject, markdown);
      let shownAs: ShowPermissionsResult['shownAs'] = 'preview';
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
      } catch {
        // no markdown preview (the built-in extension disabled): the read-only document itself
        shownAs = 'document';
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      }
      return { ...answer, subject, markdown, uri: uri.toString(), shownAs };
    }),
  );
}
