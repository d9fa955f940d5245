/**
 * Plain-text helpers shared by the model and the features: line starts,
 * offset <-> line/column, and the indentation of a line. Columns are UTF-16
 * code units, as in LSP.
 */

/**
 * Offsets at which each line starts. Treats \n, \r\n and a lone \r as line ends.
 * A typed array: an edit copies it (lines after the edit move), and a plain
 * array of a big file's lines is a fresh large object every time.
 */
export function computeLineStarts(text: string): Int32Array {
  let starts = new Int32Array(Math.max(16, text.length >> 5));
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 13 /* \r */ && c !== 10 /* \n */) continue;
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (n === starts.length) {
      const grown = new Int32Array(n * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[n++] = i + 1;
  }
  return starts.subarray(0, n);
}

export interface LineCol {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

/** Maps offsets to line/column and back over a fixed text. */
export class LineIndex {
  readonly lineStarts: Int32Array;
  constructor(
    readonly text: string,
    lineStarts?: Int32Array,
  ) {
    this.lineStarts = lineStarts ?? computeLineStarts(text);
  }
  /**
   * The line index of `text`, which is this one's text with [start, oldEnd)
   * replaced by what is now [start, newEnd): the line starts before the edit
   * are kept, those after it moved, and only the edited lines scanned.
   */
  edited(text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    if (start === oldEnd && start === newEnd && text.length === this.text.length) return this;
    const old = this.lineStarts;
    // A line start at `start` itself depends on the edited character (a CR then LF): scanned again.
    const kept = Math.max(1, firstAtLeast(old, start));
    const scanned: number[] = [];
    const lim = Math.min(newEnd, text.length - 1);
    for (let i = old[kept - 1]; i <= lim; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        scanned.push(i + 1);
      } else if (c === 10 /* \n */) scanned.push(i + 1);
    }
    // Line starts after the edit are decided by characters it did not touch.
    const delta = newEnd - oldEnd;
    const last = scanned.length ? scanned[scanned.length - 1] : old[kept - 1];
    const from = firstAtLeast(old, Math.max(oldEnd + 1, last - delta + 1));
    const out = new Int32Array(kept + scanned.length + old.length - from);
    out.set(old.subarray(0, kept));
    let n = kept;
    for (const v of scanned) out[n++] = v;
    for (let j = from; j < old.length; j++) out[n++] = old[j] + delta;
    return new LineIndex(text, out);
  }
  get lineCount(): number {
    return this.lineStarts.length;
  }
  positionAt(offset: number): LineCol {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }
  offsetAt(pos: LineCol): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    if (pos.line < 0) return 0;
    const start = this.lineStarts[pos.line];
    const end = this.lineEnd(pos.line);
    return Math.max(start, Math.min(start + pos.character, end));
  }
  /** Offset of the end of a line, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }
}

/** The index of the first value of an ascending list that is at least `value` (the list's length when none is). */
function firstAtLeast(list: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of leading spaces (tabs count as one column each: YAML forbids them in indentation anyway). */
export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/** True for a line that holds nothing but spaces or a comment. */
export function isBlankOrComment(line: string): boolean {
  const t = line.trimStart();
  return t === '' || t.startsWith('#');
}

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours).
 * A difference of case alone costs 0.5, so `imagePUllPolicy` is very close to `imagePullPolicy`.
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 8) return Math.abs(m - n);
  const d: number[][] = [];
  for (let i = 0; i <= m; i++) {
    d.push(new Array<number>(n + 1).fill(0));
    d[i][0] = i;
  }
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const ca = a[i - 1];
      const cb = b[j - 1];
      const cost = ca === cb ? 0 : ca.toLowerCase() === cb.toLowerCase() ? 0.5 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && ca === b[j - 2] && a[i - 2] === cb) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[m][n];
}

/** The closest candidate to `word`, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(word, c);
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  if (best === undefined) return undefined;
  if (bestScore <= limit) return best;
  // A case-only difference or a prefix that lost its tail (`conatiner`) is still a typo.
  if (best.toLowerCase() === word.toLowerCase()) return best;
  return undefined;
}
