/**
 * Is a language-service result a valid LSP value once converted? Everything the
 * service returns is in offsets into the document, so the checks are on
 * offsets: ranges inside the text with start <= end, edits that do not overlap
 * and apply cleanly, completion ranges that hold the cursor on one line, and
 * results that survive JSON (what the LSP layer sends).
 *
 * `checkGeneric` walks any result, so features added later are checked without
 * edits here; `checkFeature` adds what is specific to known features.
 */

export interface Doc {
  uri: string;
  text: string;
}

export interface EditLike {
  start: number;
  end: number;
  newText: string;
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

/** Problems with a range of offsets in `doc`, or undefined when valid. */
export function checkOffsets(start: unknown, end: unknown, doc: Doc, what: string): string | undefined {
  if (!isInt(start) || !isInt(end)) return `${what}: non-integer offsets ${String(start)}..${String(end)}`;
  if (start < 0 || end > doc.text.length) return `${what}: range ${start}..${end} outside the document (length ${doc.text.length})`;
  if (start > end) return `${what}: start ${start} after end ${end}`;
  return undefined;
}

/** Applies offset edits (checking they are inside the text and do not overlap); returns the new text or an error. */
export function applyEdits(text: string, edits: EditLike[]): { text?: string; error?: string } {
  for (const e of edits) {
    if (typeof e.newText !== 'string') return { error: `edit without newText: ${JSON.stringify(e).slice(0, 200)}` };
    const err = checkOffsets(e.start, e.end, { uri: '', text }, 'edit');
    if (err) return { error: err };
  }
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1];
    const c = sorted[i];
    // Two inserts at the same offset are allowed by LSP (applied in order); anything else overlapping is not.
    if (c.start < p.end) return { error: `overlapping edits ${p.start}..${p.end} and ${c.start}..${c.end}` };
  }
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return { text: out + text.slice(pos) };
}

/**
 * Walks a result. Objects with numeric `start`/`end` are offset ranges in the
 * document named by the nearest `uri` above them (the fuzzed document when
 * none); arrays named `edits` (or `changes` of edits) must apply cleanly;
 * `startLine`/`endLine` are line numbers; `label`/`title`/`message` are
 * non-empty strings.
 */
export function checkGeneric(result: unknown, doc: Doc, docs: Map<string, string>, errors: string[], applied: string[]): void {
  const seen = new Set<unknown>();
  const lineCount = doc.text.split(/\r\n|\r|\n/).length;
  const walk = (v: unknown, uri: string, path: string, depth: number): void => {
    if (errors.length > 20) return;
    if (typeof v === 'number' && !Number.isFinite(v)) errors.push(`${path}: not a finite number (${v})`);
    if (!v || typeof v !== 'object') return;
    if (seen.has(v)) return;
    seen.add(v);
    if (depth > 30) return;
    if (Array.isArray(v)) {
      // A bare list of edits (switchTraffic): they must apply together.
      const text = uri === doc.uri ? doc.text : docs.get(uri);
      if (v.length && text !== undefined && v.every((e) => e && typeof e === 'object' && 'newText' in e && 'start' in e)) {
        const r = applyEdits(text, v as EditLike[]);
        if (r.error) errors.push(`${path}: ${r.error}`);
        else if (uri === doc.uri && r.text !== undefined) applied.push(r.text);
      }
      v.forEach((x, i) => walk(x, uri, `${path}[${i}]`, depth + 1));
      return;
    }
    const o = v as Record<string, unknown>;
    const here = typeof o.uri === 'string' ? o.uri : uri;
    const text = here === doc.uri ? doc.text : docs.get(here);
    if ('start' in o && 'end' in o && (typeof o.start === 'number' || typeof o.end === 'number')) {
      if (text !== undefined) {
        const e = checkOffsets(o.start, o.end, { uri: here, text }, path);
        if (e) errors.push(e);
      }
    }
    if (typeof o.startLine === 'number' || typeof o.endLine === 'number') {
      if (!isInt(o.startLine) || !isInt(o.endLine) || o.startLine < 0 || (o.endLine as number) < (o.startLine as number) || (here === doc.uri && (o.endLine as number) >= lineCount)) {
        errors.push(`${path}: bad line range ${String(o.startLine)}..${String(o.endLine)} (lines ${lineCount})`);
      }
    }
    for (const k of ['label', 'title', 'message']) {
      if (k in o && (typeof o[k] !== 'string' || !(o[k] as string).trim())) errors.push(`${path}.${k}: not a non-empty string (${JSON.stringify(o[k])?.slice(0, 80)})`);
    }
    let after: string | undefined;
    if (Array.isArray(o.edits) && text !== undefined) {
      const r = applyEdits(text, o.edits as EditLike[]);
      if (r.error) errors.push(`${path}.edits: ${r.error}`);
      else if (here === doc.uri && r.text !== undefined) {
        applied.push(r.text);
        after = r.text;
      }
    }
    for (const [k, x] of Object.entries(o)) {
      if (k === 'node' || k === 'section' || k === 'doc') continue; // model objects, not results
      if (/^[a-z][\w+.-]*:\/\//i.test(k)) {
        // A map by uri (rename: { [uri]: edits }): its ranges are in that document.
        const t = k === doc.uri ? doc.text : docs.get(k);
        if (Array.isArray(x) && t !== undefined && x.every((e) => e && typeof e === 'object' && 'newText' in e)) {
          const r = applyEdits(t, x as EditLike[]);
          if (r.error) errors.push(`${path}.${k}: ${r.error}`);
        }
        walk(x, k, `${path}[${k}]`, depth + 1);
        continue;
      }
      // Next to edits, ranges other than the problem fixed are in the text after the edits (e.g. what to select).
      if (after !== undefined && k !== 'edits' && !/^(problem|problems|diagnostic|diagnostics)$/.test(k) && x && typeof x === 'object') {
        checkGeneric(x, { uri: doc.uri, text: after }, docs, errors, []);
        continue;
      }
      walk(x, here, `${path}.${k}`, depth + 1);
    }
  };
  walk(result, doc.uri, 'result', 0);
  try {
    JSON.stringify(result);
  } catch (e) {
    errors.push(`result is not JSON-serializable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Checks specific to the features we know. */
export function checkFeature(feature: string, result: unknown, doc: Doc, offset: number, errors: string[]): void {
  if (feature === 'validate') {
    if (!Array.isArray(result)) return void errors.push('validate: not an array');
    for (const p of result as Array<Record<string, unknown>>) {
      if (!SEVERITIES.has(p.severity as string)) errors.push(`problem ${String(p.code)}: bad severity ${String(p.severity)}`);
      if (typeof p.code !== 'string' || !p.code) errors.push(`problem without a code: ${JSON.stringify(p).slice(0, 200)}`);
      if (typeof p.message !== 'string' || !p.message.trim()) errors.push(`problem ${String(p.code)} without a message`);
    }
  } else if (feature === 'complete') {
    if (!Array.isArray(result)) return void errors.push('complete: not an array');
    for (const item of result as Array<Record<string, any>>) {
      const r = item.range;
      if (!r) continue;
      if (!(r.start <= offset && offset <= r.end)) errors.push(`completion "${String(item.label)}": range ${r.start}..${r.end} does not contain the cursor ${offset}`);
      else if (/[\r\n]/.test(doc.text.slice(r.start, r.end))) errors.push(`completion "${String(item.label)}": range ${r.start}..${r.end} spans lines`);
      if (typeof item.insertText !== 'string') errors.push(`completion "${String(item.label)}": no insertText`);
      if (item.snippet && typeof item.insertText === 'string' && !balancedSnippet(item.insertText)) errors.push(`completion "${String(item.label)}": malformed snippet ${JSON.stringify(item.insertText).slice(0, 120)}`);
    }
  } else if (feature === 'hover') {
    if (result === undefined || result === null) return;
    const h = result as Record<string, any>;
    if (typeof h.contents !== 'string' || !h.contents.trim()) errors.push('hover: empty contents');
  }
}

/** `${` opens balance with `}` outside of escapes. */
function balancedSnippet(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
  }
  return depth === 0;
}

/** Plain text of a snippet (placeholders as their defaults), to apply a completion like an editor would. */
export function snippetText(s: string): string {
  return s
    .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([$}\\,|])/g, '$1');
}
