/**
 * Code actions of the language service: given a file, an offset range, the
 * problems in that range and the settings, the actions that apply there, with
 * offset edits. Quick fixes first (preferred ones first), then the Secret and
 * blue/green rewrites; the "Ignore <rule> on this line" actions come last.
 */
import { ManifestFile, objectAt } from '../model/manifest';
import { SchemaStore } from '../schema/schemaStore';
import { Problem, Settings } from '../types';
import { blueGreenActions } from './actions/blueGreen';
import { ActionInput, CodeActionEntry } from './actions/edit';
import { quickFixes } from './actions/quickFixes';
import { secretActions } from './actions/secrets';
import { externalActions } from './actions/external';

export type { CodeActionEntry };

export function doCodeActions(file: ManifestFile, range: { start: number; end: number }, problems: Problem[], settings: Settings, store: SchemaStore): CodeActionEntry[] {
  if (file.disabled) return [];
  const input: ActionInput = { file, start: range.start, end: range.end, problems, settings, store };
  const fixes = quickFixes(input);
  const ignores = fixes.filter((a) => a.title.startsWith('Ignore '));
  const real = fixes.filter((a) => !a.title.startsWith('Ignore '));
  const topical = [...secretActions(input).map((a) => ({ ...a, carriesSecret: true })), ...blueGreenActions(input), ...externalActions(input)];
  const quick = [...real, ...topical.filter((a) => a.kind === 'quickfix')].sort((a, b) => Number(Boolean(b.isPreferred)) - Number(Boolean(a.isPreferred)));
  const seen = new Set<string>();
  return [...quick, ...topical.filter((a) => a.kind !== 'quickfix'), ...ignores].filter((a) => {
    if (!a.edits.length && !a.command) return false;
    // the same fix for two problems (two ignore comments for one line): offer it once
    const key = `${a.title}\u0000${JSON.stringify(a.edits)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((a) => (a.carriesSecret || !editsInSecret(file, a) ? a : { ...a, carriesSecret: true }));
}

/** True when an action writes text inside a Secret (a quick fix moving or re-keying its data carries the values along). */
export function editsInSecret(file: ManifestFile, action: CodeActionEntry): boolean {
  return action.edits.some((e) => {
    if (!e.newText.trim()) return false;
    const obj = objectAt(file, e.start) ?? objectAt(file, Math.max(0, e.start - 1));
    return obj?.kind === 'Secret';
  });
}
