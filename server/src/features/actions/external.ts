/**
 * Quick fix for `reference-not-found`: declare the name as created outside the
 * workspace, in `external:` of the workspace's .kube-manifests.yaml (the file is
 * created when missing). The edit is to another file than the one with the
 * problem, so the action is a command (`kubeManifests.declareExternal`) that
 * the server runs with `externalConfigEdit` and workspace/applyEdit.
 */
import { parseDocument, isMap, isSeq, isScalar } from 'yaml';
import { OffsetEdit } from '../../types';
import { ActionInput, CodeActionEntry } from './edit';

export const DECLARE_EXTERNAL = 'kubeManifests.declareExternal';

/** `Kind/name` (or `Kind/namespace/name` when the reference names a namespace other than default). */
export function externalEntry(data: Record<string, unknown> | undefined): string | undefined {
  const kind = typeof data?.kind === 'string' ? data.kind : undefined;
  const name = typeof data?.name === 'string' ? data.name : undefined;
  if (!kind || !name) return undefined;
  return `${kind}/${name}`;
}

export function externalActions(input: ActionInput): CodeActionEntry[] {
  const out: CodeActionEntry[] = [];
  for (const p of input.problems) {
    if (p.code !== 'reference-not-found') continue;
    const entry = externalEntry(p.data);
    if (!entry) continue;
    const title = `Declare ${entry.replace('/', ' "')}" as external in .kube-manifests.yaml`;
    out.push({ title, kind: 'quickfix', edits: [], problem: p, command: { command: DECLARE_EXTERNAL, title, arguments: [input.file.uri, p.start, entry] } });
  }
  return out;
}

/**
 * The edit adding `entry` to `external:` of a .kube-manifests.yaml text
 * (undefined: the file does not exist yet, the edit is its whole text).
 * Returns no edits when the entry is already there.
 */
export function externalConfigEdit(text: string | undefined, entry: string): OffsetEdit[] {
  const item = /^[\w./-]+$/.test(entry) ? entry : JSON.stringify(entry);
  if (text === undefined || text.trim() === '') {
    return [{ start: 0, end: text?.length ?? 0, newText: `# Objects created outside this repository: references to them are not reported.\nexternal:\n- ${item}\n` }];
  }
  const doc = parseDocument(text);
  const root = doc.contents;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  if (isMap(root)) {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'external');
    const seq = pair?.value;
    if (isSeq(seq)) {
      if (seq.items.some((i) => isScalar(i) && i.value === entry)) return [];
      if (seq.flow || !seq.items.length) {
        const r = seq.range!;
        const items = [...seq.items.map((i) => (isScalar(i) ? String(i.source ?? i.value) : '')), item].filter(Boolean);
        return [{ start: r[0], end: r[1], newText: `[${items.join(', ')}]` }];
      }
      const last = seq.items[seq.items.length - 1];
      const end = (last as { range?: [number, number, number] }).range?.[1] ?? seq.range![1];
      // the new item at the column of the first one
      const first = (seq.items[0] as { range?: [number, number, number] }).range![0];
      const lineStart = text.lastIndexOf('\n', first - 1) + 1;
      const dashCol = text.slice(lineStart, first).lastIndexOf('-');
      return [{ start: end, end, newText: `${nl}${' '.repeat(Math.max(0, dashCol))}- ${item}` }];
    }
    if (pair && isScalar(pair.value) && (pair.value.value === null || pair.value.value === '')) {
      const k = (pair.key as { range?: [number, number, number] }).range!;
      const lineEnd = text.indexOf('\n', k[1]);
      const at = lineEnd < 0 ? text.length : lineEnd;
      return [{ start: k[0], end: at, newText: `external:${nl}- ${item}` }];
    }
    if (pair) return []; // an `external:` of another shape: leave it to the user
  }
  const sep = text.endsWith('\n') ? '' : nl;
  return [{ start: text.length, end: text.length, newText: `${sep}external:${nl}- ${item}${nl}` }];
}
