/**
 * One problem per mistake: a misspelled key (`prots:` in a Service) or a misplaced one (a pod spec
 * directly under `jobTemplate.spec`) is reported by the schema family as an unknown field that
 * says what was meant ("did you mean `ports`?", "it belongs under ..."). The field the user meant
 * is then absent, and everything that follows from its absence would be reported too: the
 * schema's "missing the required field `ports`", a family's "a Service needs at least one port".
 * Those are consequences of the one mistake; this drops them, and keeps every other problem.
 *
 * The schema family records the paths that are absent by mistake on the RuleContext
 * (`markAbsentByMistake`). A problem is a consequence when it was reported at such a path or
 * below it (its place was not found, so it is about the missing field), or when a field whose
 * absence it reports (`absent` in `RuleContext.report`) is such a path, lies below one, or has one
 * below it.
 */
import { Path } from '../model/manifest';
import { Problem } from '../types';
import { AbsentByMistake, AbsentField, RuleContext } from './engine';

/** The problems of one object without those that only follow from a misspelled or misplaced key. */
export function withoutConsequences(ctx: RuleContext): Problem[] {
  if (!ctx.absentByMistake.length) return ctx.problems;
  return ctx.problems.filter((p) => !isConsequence(ctx, p));
}

function isConsequence(ctx: RuleContext, p: Problem): boolean {
  if (p.code === 'unknown-field') return false; // the mistake itself (or another one)
  const basis = ctx.basisOf(p);
  if (!basis) return false;
  for (const mistake of ctx.absentByMistake) {
    if (basis.at && isPrefix(mistake.path, basis.at)) return true;
    for (const field of basis.absent ?? []) if (explains(mistake, field)) return true;
  }
  return false;
}

/** Whether a field absent by mistake explains a problem about an absent field. */
function explains(mistake: AbsentByMistake, field: AbsentField): boolean {
  const path = Array.isArray(field) ? field : field.path;
  if (!isPrefix(mistake.path, path) && !isPrefix(path, mistake.path)) return false;
  // `nmae: config` explains "no volume named config", not "no volume named cache".
  const value = Array.isArray(field) ? undefined : field.value;
  return value === undefined || mistake.written === undefined || mistake.path.length !== path.length || mistake.written === value;
}

/** True when `a` is `b` or one of its ancestors; `'*'` in either matches any list index. */
function isPrefix(a: Path, b: Path): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && !(x === '*' && typeof y === 'number') && !(y === '*' && typeof x === 'number')) return false;
  }
  return true;
}
