/**
 * Secret actions: encode a `data` value that is not base64, move values between
 * `data` (base64) and `stringData` (plain text) one by one or all at once, and
 * the hover that shows what a `data` value decodes to. Values that are not
 * UTF-8 text stay in `data`, untouched. Secret values are never put in titles
 * or messages.
 */
import { isMap, isScalar, ManifestFile, ManifestObject, Node, nodeAtOffset, objectAt, Pair, Section, YAMLMap } from '../../model/manifest';
import { OffsetEdit } from '../../types';
import type { HoverInput } from '../hover';
import { ActionInput, CodeActionEntry, eol, keyStartsLine, keyValueLines, mapIndent, normalizeEdits, pairLines, scalarText, span, yamlString } from './edit';

export type Decoded = { kind: 'text'; text: string } | { kind: 'binary'; bytes: number } | { kind: 'invalid' };

/** Valid for the API server: standard base64 (line breaks allowed, as Go's decoder skips them), correct padding. */
export function isValidBase64(value: string): boolean {
  const s = value.replace(/[\r\n]/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0;
}

export function decodeSecretValue(value: string): Decoded {
  if (!isValidBase64(value)) return { kind: 'invalid' };
  const bytes = Buffer.from(value.replace(/[\r\n]/g, ''), 'base64');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text) || text.charCodeAt(0) === 0xfeff) return { kind: 'binary', bytes: bytes.length };
    return { kind: 'text', text };
  } catch {
    return { kind: 'binary', bytes: bytes.length };
  }
}

export function encodeBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function isSecret(obj: ManifestObject | undefined): obj is ManifestObject {
  return Boolean(obj && obj.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === undefined));
}

interface Entry {
  key: string;
  pair: Pair<unknown, unknown>;
  /** The value as a string (undefined for non-scalars). */
  value?: string;
}

interface SecretParts {
  obj: ManifestObject;
  section: Section;
  data?: Pair<unknown, unknown>;
  stringData?: Pair<unknown, unknown>;
  dataEntries: Entry[];
  stringEntries: Entry[];
}

function entries(pair: Pair<unknown, unknown> | undefined): Entry[] {
  const m = pair?.value;
  if (!isMap(m)) return [];
  return m.items.filter((p) => isScalar(p.key)).map((p) => ({ key: String((p.key as { value: unknown }).value), pair: p, value: scalarText(p.value) }));
}

function secretParts(obj: ManifestObject): SecretParts {
  const find = (k: string) => obj.node.items.find((p) => isScalar(p.key) && p.key.value === k);
  const data = find('data');
  const stringData = find('stringData');
  return { obj, section: obj.section, data, stringData, dataEntries: entries(data), stringEntries: entries(stringData) };
}

/**
 * Rewrites a Secret's data and stringData blocks, moving the named keys across.
 * Entries that stay keep their original lines. Returns undefined when the blocks
 * cannot be rewritten cleanly (flow maps, top-level pairs not at line start).
 */
function moveEntries(file: ManifestFile, s: SecretParts, toStringData: Set<string>, toData: Set<string>): OffsetEdit[] | undefined {
  const nl = eol(file.text);
  const section = s.section;
  const topIndent = mapIndent(file, section, s.obj.node) ?? 0;
  for (const p of [s.data, s.stringData]) if (p && !keyStartsLine(file, section, p)) return undefined;
  const entryIndent = (p: Pair<unknown, unknown> | undefined): number => {
    const m = p?.value;
    return (isMap(m) && !m.flow && mapIndent(file, section, m)) || topIndent + 2;
  };
  const keep = (p: Pair<unknown, unknown> | undefined, e: Entry, ind: number): string[] | undefined => {
    const m = p?.value as YAMLMap;
    if (!m.flow && keyStartsLine(file, section, e.pair)) {
      const lp = pairLines(file, section, e.pair);
      if (!lp) return undefined;
      return [file.text.slice(lp[0], lp[1]).replace(/\r?\n$/, '')];
    }
    const v = span(section, e.pair.value as Node);
    const src = v ? file.text.slice(v[0], v[1]) : '';
    if (src.includes('\n')) return undefined;
    return [' '.repeat(ind) + `${yamlString(e.key)}: ${src}`];
  };
  const dataInd = entryIndent(s.data);
  const strInd = entryIndent(s.stringData);
  const dataLines: string[] = [];
  const strLines: string[] = [];
  const movedToData: string[] = [];
  const movedToStr: string[] = [];
  for (const e of s.dataEntries) {
    if (toStringData.has(e.key)) {
      const d = e.value === undefined ? undefined : decodeSecretValue(e.value);
      if (!d || d.kind !== 'text') return undefined;
      movedToStr.push(...keyValueLines(e.key, d.text).map((l) => (l ? ' '.repeat(strInd) + l : l)));
    } else {
      const k = keep(s.data, e, dataInd);
      if (!k) return undefined;
      dataLines.push(...k);
    }
  }
  for (const e of s.stringEntries) {
    if (toData.has(e.key)) {
      if (e.value === undefined) return undefined;
      movedToData.push(' '.repeat(dataInd) + `${yamlString(e.key)}: ${encodeBase64(e.value)}`);
    } else {
      const k = keep(s.stringData, e, strInd);
      if (!k) return undefined;
      strLines.push(...k);
    }
  }
  dataLines.push(...movedToData);
  strLines.push(...movedToStr);
  const pad = ' '.repeat(topIndent);
  const block = (key: string, lines: string[]) => (lines.length ? `${pad}${key}:${nl}${lines.join(nl)}${nl}` : '');
  const dataText = block('data', dataLines);
  const strText = block('stringData', strLines);
  const edits: OffsetEdit[] = [];
  const dl = s.data ? pairLines(file, section, s.data) : undefined;
  const sl = s.stringData ? pairLines(file, section, s.stringData) : undefined;
  if (dl && sl) {
    edits.push({ start: dl[0], end: dl[1], newText: dataText }, { start: sl[0], end: sl[1], newText: strText });
  } else if (dl) {
    edits.push({ start: dl[0], end: dl[1], newText: dataText + strText });
  } else if (sl) {
    edits.push({ start: sl[0], end: sl[1], newText: strText + dataText });
  } else return undefined;
  // a file that ends without a line break: do not add one after the last block
  return normalizeEdits(edits.map((e) => (e.end === file.text.length && !/\n$/.test(file.text) ? { ...e, newText: e.newText.replace(/\r?\n$/, '') } : e)));
}

export function secretActions(input: ActionInput): CodeActionEntry[] {
  const { file, start } = input;
  const obj = objectAt(file, start);
  if (!isSecret(obj)) return [];
  const out: CodeActionEntry[] = [];
  const at = nodeAtOffset(obj, start);
  const s = secretParts(obj);
  const [top, key] = at.path;
  if ((top === 'data' || top === 'stringData') && typeof key === 'string' && at.path.length === 2) {
    const e = (top === 'data' ? s.dataEntries : s.stringEntries).find((x) => x.key === key);
    if (e && e.value !== undefined) {
      if (top === 'data') {
        const decoded = decodeSecretValue(e.value);
        if (decoded.kind === 'invalid') {
          const r = span(s.section, e.pair.value as Node);
          const problem = input.problems.find((p) => p.code === 'secret-invalid-base64' && r && p.start <= r[1] && p.end >= r[0]);
          if (r) {
            out.push({
              title: `Encode the value of ${key} as base64`,
              kind: 'quickfix',
              isPreferred: true,
              problem,
              edits: [{ start: r[0], end: r[1], newText: encodeBase64(e.value) }],
            });
          }
          const edits = s.stringEntries.some((x) => x.key === key) ? undefined : moveAsPlain(file, s, key);
          if (edits) out.push({ title: `Move ${key} to stringData as plain text`, kind: 'quickfix', problem, edits });
        } else if (decoded.kind === 'text' && !s.stringEntries.some((x) => x.key === key)) {
          const edits = moveEntries(file, s, new Set([key]), new Set());
          if (edits) out.push({ title: `Decode ${key} into stringData`, kind: 'refactor.rewrite', edits });
        }
      } else if (!s.dataEntries.some((x) => x.key === key)) {
        const edits = moveEntries(file, s, new Set(), new Set([key]));
        if (edits) out.push({ title: `Encode ${key} into data (base64)`, kind: 'refactor.rewrite', edits });
      }
    }
  }
  const onSecret = at.path.length === 1 && (top === 'kind' || top === 'data' || top === 'stringData') || (at.path.length === 0);
  if (onSecret) {
    const toData = s.stringEntries.filter((e) => e.value !== undefined && !s.dataEntries.some((d) => d.key === e.key)).map((e) => e.key);
    if (toData.length) {
      const edits = moveEntries(file, s, new Set(), new Set(toData));
      if (edits) out.push({ title: 'Convert all stringData to data (base64)', kind: 'refactor.rewrite', edits });
    }
    const toStr = s.dataEntries.filter((e) => e.value !== undefined && decodeSecretValue(e.value).kind === 'text' && !s.stringEntries.some((d) => d.key === e.key)).map((e) => e.key);
    if (toStr.length) {
      const edits = moveEntries(file, s, new Set(toStr), new Set());
      const binary = s.dataEntries.length - toStr.length;
      if (edits) out.push({ title: `Convert all data to stringData (plain text)${binary ? `; ${binary} binary or invalid value${binary > 1 ? 's stay' : ' stays'} in data` : ''}`, kind: 'refactor.rewrite', edits });
    }
  }
  return out;
}

/** Moves a data entry whose value is not base64 into stringData as written (the user wrote plain text in data). */
function moveAsPlain(file: ManifestFile, s: SecretParts, key: string): OffsetEdit[] | undefined {
  const e = s.dataEntries.find((x) => x.key === key);
  if (!e || e.value === undefined) return undefined;
  // Temporarily treat the plain value as if it were the decoded text.
  const fake: SecretParts = { ...s, dataEntries: s.dataEntries.map((x) => (x.key === key ? { ...x, value: encodeBase64(e.value!) } : x)) };
  return moveEntries(file, fake, new Set([key]), new Set());
}

/** Hover section on a Secret's data value: what it decodes to (or its size), per the revealOnHover setting. */
export function secretDataHover(input: HoverInput): string | undefined {
  const { obj, path, settings } = input;
  if (!isSecret(obj) || path.length !== 2 || path[0] !== 'data' || typeof path[1] !== 'string') return undefined;
  const node = input.node;
  const value = scalarText(node);
  if (value === undefined) return undefined;
  const d = decodeSecretValue(value);
  if (d.kind === 'invalid') return `**Not valid base64**: the API server rejects this value. Use the quick fix *Encode as base64*, or move it to \`stringData\`.`;
  if (d.kind === 'binary') return `**${d.bytes} bytes of binary data** (base64-encoded; not UTF-8 text).`;
  const bytes = Buffer.byteLength(d.text, 'utf8');
  if (!settings.secrets.revealOnHover) return `**Decoded**: ${bytes} bytes of text (hidden: \`kubeManifests.secrets.revealOnHover\` is off).`;
  const fence = d.text.includes('```') ? '~~~~' : '```';
  return `**Decoded** (${bytes} bytes):\n\n${fence}text\n${d.text}\n${fence}`;
}
