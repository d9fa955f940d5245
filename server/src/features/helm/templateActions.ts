/**
 * Quick fixes for the problems a chart check finds in templates (their `data`):
 * - ` | quote` on an action that prints a number or boolean where a string is wanted;
 * - ` | int64` on an action that prints a large number in scientific notation;
 * - add a values path that a template reads but no values file sets, to values.yaml, under the
 *   deepest key that exists, with the indentation of that file.
 * Pure: edits in offsets, for the template itself (`file: undefined`) or a chart-relative values file.
 */
import { OffsetEdit, Problem } from '../../types';
import { locateValue } from './valuesLocate';

export interface HelmFix {
  title: string;
  /** `undefined`: the template the problem is in; otherwise a chart-relative path. */
  file?: string;
  edits: OffsetEdit[];
  isPreferred?: boolean;
}

export function helmQuickFixes(problem: Problem, readFile: (chartRelative: string) => string | undefined): HelmFix[] {
  const d = problem.data ?? {};
  const out: HelmFix[] = [];
  if (typeof d.helmQuote === 'number') out.push({ title: 'Add | quote (print a string)', edits: [{ start: d.helmQuote, end: d.helmQuote, newText: ' | quote' }], isPreferred: true });
  if (typeof d.helmInt64 === 'number') out.push({ title: 'Add | int64 (print a whole number)', edits: [{ start: d.helmInt64, end: d.helmInt64, newText: ' | int64' }], isPreferred: true });
  const add = d.helmAddValue as { path?: unknown; file?: unknown } | undefined;
  if (add && Array.isArray(add.path) && add.path.every((x) => typeof x === 'string') && typeof add.file === 'string') {
    const text = readFile(add.file);
    if (text !== undefined) {
      const edit = addValueEdit(text, add.path as string[]);
      if (edit) out.push({ title: `Add ${add.path.join('.')} to ${add.file}`, file: add.file, edits: [edit] });
    }
  }
  const set = d.helmSetValue as { file?: unknown; start?: unknown; end?: unknown; value?: unknown; path?: unknown } | undefined;
  if (set && typeof set.file === 'string' && typeof set.start === 'number' && typeof set.end === 'number' && typeof set.value === 'string') {
    const text = readFile(set.file);
    const old = text?.slice(set.start, set.end);
    if (old !== undefined && old.length > 0) {
      // Keep the quotes the value was written with.
      const q = /^(["'])[\s\S]*\1$/.test(old) ? old[0] : '';
      const newText = q === '"' ? JSON.stringify(set.value) : q === "'" ? `'${set.value.replace(/'/g, "''")}'` : set.value;
      const shown = Array.isArray(set.path) && set.path.length ? `.Values.${set.path.join('.')}` : 'the value';
      out.push({ title: `Change ${shown} to ${set.value} in ${set.file}`, file: set.file, edits: [{ start: set.start, end: set.end, newText }], isPreferred: true });
    }
  }
  return out;
}

/** The edit that adds `path` (with an empty string at the end) to a values file's text. */
export function addValueEdit(text: string, path: string[]): OffsetEdit | undefined {
  if (path.length === 0) return undefined;
  // The deepest ancestor that exists as a map.
  let depth = 0;
  let at: ReturnType<typeof locateValue>;
  for (let i = path.length - 1; i >= 1; i--) {
    const l = locateValue(text, path.slice(0, i));
    if (l) {
      at = l;
      depth = i;
      break;
    }
  }
  const unit = indentUnit(text);
  let indent = '';
  let insertAt: number;
  let prefix = '';
  if (at) {
    const keyLineStart = text.lastIndexOf('\n', at.keyStart - 1) + 1;
    indent = text.slice(keyLineStart, at.keyStart) + unit;
    // After the ancestor's block: its value's end, at the end of that line.
    let end = at.valueEnd;
    const nl = text.indexOf('\n', Math.max(end - 1, at.keyEnd));
    end = nl < 0 ? text.length : nl + 1;
    insertAt = end;
    // `service: {}` or `service:` with a scalar cannot hold children: leave those alone.
    const valueText = text.slice(at.valueStart, at.valueEnd).trim();
    if (valueText !== '' && !/\n/.test(text.slice(at.keyEnd, at.valueEnd)) && at.valueStart !== at.keyStart) return undefined;
    if (nl < 0) prefix = '\n';
  } else {
    insertAt = text.length;
    prefix = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
  }
  let lines = '';
  for (let i = depth; i < path.length; i++) {
    const last = i === path.length - 1;
    lines += `${indent}${unit.repeat(i - depth)}${path[i]}:${last ? ' ""' : ''}\n`;
  }
  return { start: insertAt, end: insertAt, newText: prefix + lines };
}

function indentUnit(text: string): string {
  const m = /\n( +)\S/.exec(text);
  return m ? m[1] : '  ';
}
