/**
 * Blue/green deployment: scaffold a pair `X-blue`/`X-green` from a Deployment
 * `X` (a `color` label in metadata, selector and pod template) plus a Service
 * that selects `color: blue` (or update the Service that already selects X),
 * and switch a Service's traffic between the colors.
 */
import { isMap, isScalar, isSeq, ManifestFile, ManifestObject, Node, nodeAtOffset, nodeAtPath, objectAt, YAMLMap } from '../../model/manifest';
import { OffsetEdit } from '../../types';
import { ActionInput, applyOffsetEdits, CodeActionEntry, ensureMapPath, eol, scalarText, span, yamlString } from './edit';

export const COLORS = ['blue', 'green'] as const;
export type Color = (typeof COLORS)[number];

/** The string labels of a map node (non-string values skipped). */
export function labelsOf(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(node)) return out;
  for (const p of node.items) {
    if (!isScalar(p.key)) continue;
    const v = scalarText(p.value);
    if (v !== undefined) out[String(p.key.value)] = v;
  }
  return out;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

export function allObjects(file: ManifestFile): ManifestObject[] {
  return file.sections.flatMap((s) => s.objects);
}

function isDeployment(o: ManifestObject | undefined): o is ManifestObject {
  return Boolean(o && o.kind === 'Deployment' && isMap(o.node));
}

export function templateLabels(o: ManifestObject): Record<string, string> {
  return labelsOf(nodeAtPath(o.node, ['spec', 'template', 'metadata', 'labels']));
}

export function serviceSelector(o: ManifestObject): Record<string, string> {
  return labelsOf(nodeAtPath(o.node, ['spec', 'selector']));
}

/** The first image of a Deployment's pod template. */
export function imageOf(o: ManifestObject): string | undefined {
  const cs = nodeAtPath(o.node, ['spec', 'template', 'spec', 'containers']);
  return isSeq(cs) && isMap(cs.items[0]) ? scalarText((cs.items[0] as YAMLMap).get('image', true)) : undefined;
}

/** The Deployment at an offset that can become a blue/green pair (no color label yet, a whole `---` document). */
function scaffoldable(file: ManifestFile, offset: number): ManifestObject | undefined {
  const obj = objectAt(file, offset);
  if (!isDeployment(obj) || obj.basePath.length || !obj.name) return undefined;
  if (obj.section.problems.length) return undefined;
  const tl = templateLabels(obj);
  if ('color' in tl || !Object.keys(labelsOf(nodeAtPath(obj.node, ['spec', 'selector', 'matchLabels']))).length) return undefined;
  return obj;
}

/** Text of one color of the pair: the Deployment with `-<color>` on its name and a color label in three places. */
function colored(file: ManifestFile, obj: ManifestObject, color: Color, from: number, to: number): string | undefined {
  const section = obj.section;
  const edits: OffsetEdit[] = [];
  const name = nodeAtPath(obj.node, ['metadata', 'name']);
  const nr = span(section, name);
  if (!nr) return undefined;
  edits.push({ start: nr[0], end: nr[1], newText: yamlString(`${obj.name}-${color}`) });
  for (const path of [['metadata', 'labels'], ['spec', 'selector', 'matchLabels'], ['spec', 'template', 'metadata', 'labels']]) {
    const e = ensureMapPath(file, section, obj.node, path, [`color: ${color}`]);
    if (!e) return undefined;
    edits.push(e);
  }
  if (edits.some((e) => e.start < from || e.end > to)) return undefined;
  return applyOffsetEdits(file.text.slice(from, to), edits.map((e) => ({ ...e, start: e.start - from, end: e.end - from })));
}

export interface ScaffoldResult {
  edits: OffsetEdit[];
  /** Offset (in the text after the edits) and length of the green Deployment's image, for the client to select. */
  greenImage?: { start: number; end: number };
}

/** Edits that turn the Deployment at `offset` into a blue/green pair with a Service on blue. */
export function scaffoldBlueGreen(file: ManifestFile, offset: number): ScaffoldResult | undefined {
  const obj = scaffoldable(file, offset);
  if (!obj) return undefined;
  const section = obj.section;
  const nl = eol(file.text);
  const whole = span(section, obj.node);
  if (!whole) return undefined;
  // from the object's first line to the end of its last line
  let from = whole[0];
  while (from > section.start && file.text[from - 1] !== '\n') from--;
  const to = whole[1];
  const blue = colored(file, obj, 'blue', from, to);
  const green = colored(file, obj, 'green', from, to);
  if (!blue || !green) return undefined;
  const labels = templateLabels(obj);
  const edits: OffsetEdit[] = [];
  // a Service of the file that selects X's pods: add color: blue to its selector
  const svc = allObjects(file).find((o) => o.kind === 'Service' && o.apiVersion === 'v1' && matches(serviceSelector(o), labels) && !('color' in serviceSelector(o)));
  let serviceText = '';
  if (svc) {
    const e = ensureMapPath(file, svc.section, svc.node, ['spec', 'selector'], ['color: blue']);
    if (!e) return undefined;
    edits.push(e);
  } else {
    const selector = labelsOf(nodeAtPath(obj.node, ['spec', 'selector', 'matchLabels']));
    const ports: Array<{ port: string; name?: string }> = [];
    const cs = nodeAtPath(obj.node, ['spec', 'template', 'spec', 'containers']);
    if (isSeq(cs)) {
      for (const c of cs.items) {
        const ps = isMap(c) ? (c as YAMLMap).get('ports', true) : undefined;
        if (!isSeq(ps)) continue;
        for (const p of ps.items) {
          if (!isMap(p)) continue;
          const port = scalarText((p as YAMLMap).get('containerPort', true));
          const proto = scalarText((p as YAMLMap).get('protocol', true));
          if (port && /^\d+$/.test(port) && (!proto || proto === 'TCP')) ports.push({ port, name: scalarText((p as YAMLMap).get('name', true)) });
        }
      }
    }
    if (!ports.length) ports.push({ port: '80' });
    const lines = ['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${yamlString(obj.name!)}`];
    if (obj.namespace) lines.push(`  namespace: ${yamlString(obj.namespace)}`);
    lines.push('spec:', '  selector:');
    for (const [k, v] of Object.entries(selector)) lines.push(`    ${yamlString(k)}: ${yamlString(v)}`);
    lines.push('    color: blue', '  ports:');
    const named = ports.length > 1;
    ports.forEach((p, i) => {
      const n = p.name ?? (named ? `port-${i + 1}` : undefined);
      lines.push(n ? `  - name: ${yamlString(n)}` : `  - port: ${p.port}`);
      if (n) lines.push(`    port: ${p.port}`);
      lines.push(`    targetPort: ${p.name ? yamlString(p.name) : p.port}`);
    });
    serviceText = `${nl}---${nl}${lines.join(nl)}`;
  }
  const replacement = `${blue}${nl}---${nl}${green}${serviceText}`;
  edits.push({ start: from, end: to, newText: replacement });
  // where the green image ends up: after the edits before `from`, at from + blue + separator + offset inside green
  let greenImage: ScaffoldResult['greenImage'];
  const image = imageOf(obj);
  if (image) {
    const shift = edits.filter((e) => e.end <= from && e !== edits[edits.length - 1]).reduce((d, e) => d + e.newText.length - (e.end - e.start), 0);
    const inGreen = findImage(green, image);
    if (inGreen >= 0) {
      const start = from + shift + blue.length + nl.length + 3 + nl.length + inGreen;
      greenImage = { start, end: start + imageSource(green, inGreen).length };
    }
  }
  return { edits, greenImage };
}

function findImage(text: string, image: string): number {
  const m = new RegExp(`(^|\\n)\\s*(?:-\\s+)?image:\\s*["']?`).exec(text);
  if (!m) return -1;
  const at = m.index + m[0].length;
  return text.startsWith(image, at) ? at : -1;
}

function imageSource(text: string, at: number): string {
  return /^[^\s"'#]+/.exec(text.slice(at))?.[0] ?? '';
}

/** The Deployments of a blue/green pair that a Service selector (without its color) picks. */
export function pairFor(file: ManifestFile, selector: Record<string, string>): Partial<Record<Color, ManifestObject>> {
  const base = { ...selector };
  delete base.color;
  const out: Partial<Record<Color, ManifestObject>> = {};
  if (!Object.keys(base).length) return out;
  for (const o of allObjects(file)) {
    if (!isDeployment(o)) continue;
    const tl = templateLabels(o);
    const c = tl.color;
    if ((c === 'blue' || c === 'green') && matches(base, tl) && !out[c]) out[c] = o;
  }
  return out;
}

export interface TrafficLens {
  /** Range of the Service's selector key (where the lens goes). */
  start: number;
  end: number;
  title: string;
  /** The switch, when the other color exists. */
  switchTo?: Color;
  /** Offset of the Service (the command's argument). */
  serviceOffset: number;
}

/** Lenses on Services whose selector picks one color of a blue/green pair in the file. */
export function trafficLenses(file: ManifestFile): TrafficLens[] {
  const out: TrafficLens[] = [];
  for (const svc of allObjects(file)) {
    if (svc.kind !== 'Service') continue;
    const sel = serviceSelector(svc);
    const color = sel.color;
    if (color !== 'blue' && color !== 'green') continue;
    const pair = pairFor(file, sel);
    if (!pair.blue && !pair.green) continue;
    const selPair = (nodeAtPath(svc.node, ['spec']) as YAMLMap | undefined)?.items?.find((p) => isScalar(p.key) && p.key.value === 'selector');
    const r = selPair && span(svc.section, selPair.key as Node);
    if (!r) continue;
    const now = pair[color];
    const other: Color = color === 'blue' ? 'green' : 'blue';
    const nowText = now ? `${color} (${now.name ?? 'unnamed'}, image ${imageOf(now) ?? 'not set'}) gets the traffic` : `no ${color} Deployment matches: nothing gets the traffic`;
    if (pair[other]) {
      out.push({ start: r[0], end: r[1], title: `Route traffic to ${other} (${pair[other]!.name ?? other}, image ${imageOf(pair[other]!) ?? 'not set'}) · now ${nowText}`, switchTo: other, serviceOffset: span(svc.section, svc.node)![0] });
    } else {
      out.push({ start: r[0], end: r[1], title: `Now ${nowText}; there is no ${other} Deployment to switch to`, serviceOffset: span(svc.section, svc.node)![0] });
    }
  }
  return out;
}

/** Edit flipping a Service's selector color (to `to`, or to the other color). Undefined when the target color has no Deployment. */
export function switchTraffic(file: ManifestFile, offset: number, to?: Color): OffsetEdit[] | undefined {
  const svc = objectAt(file, offset);
  if (!svc || svc.kind !== 'Service') return undefined;
  const sel = nodeAtPath(svc.node, ['spec', 'selector']);
  if (!isMap(sel)) return undefined;
  const cp = sel.items.find((p) => isScalar(p.key) && p.key.value === 'color');
  const current = scalarText(cp?.value);
  if (!cp || (current !== 'blue' && current !== 'green')) return undefined;
  const target: Color = to ?? (current === 'blue' ? 'green' : 'blue');
  if (target === current) return [];
  if (!pairFor(file, labelsOf(sel))[target]) return undefined;
  const r = span(svc.section, cp.value as Node)!;
  return [{ start: r[0], end: r[1], newText: target }];
}

export function blueGreenActions(input: ActionInput): CodeActionEntry[] {
  const out: CodeActionEntry[] = [];
  const obj = objectAt(input.file, input.start);
  if (!obj) return out;
  const at = nodeAtOffset(obj, input.start);
  if (isDeployment(obj) && at.path.length <= 2 && (at.path[0] === 'kind' || at.path[0] === 'metadata' || at.path.length === 0 || at.path[0] === 'apiVersion')) {
    const r = scaffoldBlueGreen(input.file, input.start);
    if (r) {
      out.push({
        title: `Scaffold blue/green pair (${obj.name}-blue, ${obj.name}-green and a Service on blue)`,
        kind: 'refactor.rewrite',
        edits: r.edits,
      });
    }
  }
  if (obj.kind === 'Service' && at.path[0] === 'spec' && at.path[1] === 'selector') {
    const sel = serviceSelector(obj);
    if (sel.color === 'blue' || sel.color === 'green') {
      const edits = switchTraffic(input.file, input.start);
      if (edits?.length) out.push({ title: `Switch blue/green traffic to ${edits[0].newText}`, kind: 'refactor.rewrite', edits });
    }
  }
  // bluegreen-both-colors: pick a color
  for (const p of input.problems) {
    if (p.code !== 'bluegreen-both-colors') continue;
    const svc = objectAt(input.file, p.start);
    if (!svc || svc.kind !== 'Service') continue;
    for (const c of COLORS) {
      const e = ensureMapPath(input.file, svc.section, svc.node, ['spec', 'selector'], [`color: ${c}`]);
      if (e) out.push({ title: `Send traffic to ${c} only (add color: ${c} to the selector)`, kind: 'quickfix', problem: p, edits: [e] });
    }
  }
  return out;
}

