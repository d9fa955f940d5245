// Cheap, client-side look at a YAML text: is it a Kubernetes manifest, and which object is at an offset.
// Used to decide when to start the language server, and as a fallback for the status item when the
// server does not answer `kubeManifests/documentInfo`.

export interface ObjectInfo {
  apiVersion?: string;
  kind?: string;
  name?: string;
}

/** Only the first part of a big file is scanned when deciding whether it is a manifest. */
const SNIFF_LIMIT = 64 * 1024;

/** True when the text has a top-level `apiVersion:` or `kind:` key (in any YAML document of the stream). */
export function looksLikeManifest(text: string): boolean {
  return /^(?:apiVersion|kind)[ \t]*:/m.test(text.length > SNIFF_LIMIT ? text.slice(0, SNIFF_LIMIT) : text);
}

/** Path of a Helm chart template (`.../templates/...yaml|yml|tpl`). */
export function isHelmTemplatePath(fsPath: string): boolean {
  return /[\\/]templates[\\/](?:.*[\\/])?[^\\/]+\.(?:ya?ml|tpl)$/i.test(fsPath);
}

const scalar = (raw: string): string | undefined => {
  const v = raw.replace(/\s+#.*$/, '').trim().replace(/^(["'])(.*)\1$/, '$2');
  return v || undefined;
};

/** Top-level apiVersion/kind/metadata.name of every YAML document in the text (regex based, best effort). */
export function objectsInText(text: string): Array<ObjectInfo & { start: number; end: number }> {
  const out: Array<ObjectInfo & { start: number; end: number }> = [];
  const sep = /^---[ \t]*(?:#.*)?$|^\.\.\.[ \t]*$/gm;
  let start = 0;
  const docs: Array<[number, number]> = [];
  for (let m; (m = sep.exec(text)); ) {
    docs.push([start, m.index]);
    start = m.index + m[0].length;
  }
  docs.push([start, text.length]);
  for (const [s, e] of docs) {
    const body = text.slice(s, e);
    const info: ObjectInfo = {};
    const api = /^apiVersion[ \t]*:[ \t]*(.+)$/m.exec(body);
    const kind = /^kind[ \t]*:[ \t]*(.+)$/m.exec(body);
    const meta = /^metadata[ \t]*:[ \t]*\n((?:[ \t]+.*\n?|[ \t]*\n)*)/m.exec(body);
    if (api) info.apiVersion = scalar(api[1]);
    if (kind) info.kind = scalar(kind[1]);
    if (meta) {
      const indent = /^([ \t]+)\S/m.exec(meta[1])?.[1] ?? '  ';
      const name = new RegExp(`^${indent}name[ \\t]*:[ \\t]*(.+)$`, 'm').exec(meta[1]);
      if (name) info.name = scalar(name[1]);
    }
    if (info.apiVersion || info.kind) out.push({ ...info, start: s, end: e });
  }
  return out;
}

/** The object whose document contains `offset`, or the first one. */
export function objectAt(text: string, offset: number): ObjectInfo | undefined {
  const objs = objectsInText(text);
  const hit = objs.find((o) => offset >= o.start && offset <= o.end) ?? objs[0];
  if (!hit) return undefined;
  const { apiVersion, kind, name } = hit;
  return { apiVersion, kind, name };
}

/** Index (among the objects of `objectsInText`) of the object whose document contains `offset`; -1 if none. */
export function objectIndexAt(text: string, offset: number): number {
  return objectsInText(text).findIndex((o) => offset >= o.start && offset <= o.end);
}
