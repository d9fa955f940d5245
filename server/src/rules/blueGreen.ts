/**
 * Blue/green deployments: a Service whose selector (without a `color`) matches
 * both Deployments of a blue/green pair in the same file sends traffic to both.
 */
import { allObjects, labelsOf, templateLabels } from '../features/actions/blueGreen';
import { ManifestFile, ManifestObject } from '../model/manifest';
import { RuleFamily } from './engine';

const colored = new WeakMap<ManifestFile, Array<{ o: ManifestObject; tl: Record<string, string> }>>();

/** The Deployments of a file with a color label on their pod template, computed once per parse (each Service looks at them). */
function coloredDeployments(file: ManifestFile): Array<{ o: ManifestObject; tl: Record<string, string> }> {
  let list = colored.get(file);
  if (!list) {
    list = [];
    for (const o of allObjects(file)) {
      if (o.kind !== 'Deployment') continue;
      const tl = templateLabels(o);
      if (tl.color === 'blue' || tl.color === 'green') list.push({ o, tl });
    }
    colored.set(file, list);
  }
  return list;
}

export const blueGreenRules: RuleFamily = {
  name: 'blueGreen',
  rules: [
    {
      id: 'bluegreen-both-colors',
      severity: 'warning',
      title: 'A Service that sends traffic to both colors of a blue/green pair',
      why: 'A blue/green switch works by selecting one color; a selector without `color` matches the pods of both Deployments, so users hit the old and the new version at random.',
      bad: 'selector:\n  app: web',
      good: 'selector:\n  app: web\n  color: blue',
      kinds: ['Service'],
    },
  ],
  check(ctx) {
    if (ctx.kind !== 'Service' || ctx.apiVersion !== 'v1') return;
    const selNode = ctx.node(['spec', 'selector']);
    const sel = labelsOf(selNode);
    const keys = Object.keys(sel);
    if (!keys.length || 'color' in sel) return;
    const hits: Record<string, string> = {};
    for (const { o, tl } of coloredDeployments(ctx.file)) {
      if ((o.namespace ?? '') !== (ctx.obj.namespace ?? '')) continue;
      if ((tl.color === 'blue' || tl.color === 'green') && keys.every((k) => tl[k] === sel[k]) && !hits[tl.color]) hits[tl.color] = o.name ?? tl.color;
    }
    if (!hits.blue || !hits.green) return;
    ctx.report('bluegreen-both-colors', ['spec', 'selector'], `This Service's selector (${keys.map((k) => `${k}=${sel[k]}`).join(', ')}) has no color, so it sends traffic to both ${hits.blue} (blue) and ${hits.green} (green); add \`color: blue\` or \`color: green\` to the selector.`, { where: 'key' });
  },
};
