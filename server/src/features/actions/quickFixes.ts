/**
 * Quick fixes for diagnostics: one obvious fix per problem where there is one
 * (rename to the suggested key, move a key where it belongs, the right
 * apiVersion, a removed apiVersion migrated, ...), and for every problem a
 * suppression comment as the last, non-preferred action.
 *
 * Fixes read the problem's `data` when the rule gives it and otherwise compute
 * what they need from the document.
 */
import { isMap, isScalar, isSeq, ManifestFile, ManifestObject, Node, nodeAtOffset, nodeAtPath, objectAt, Pair, Path, Section, YAMLMap, YAMLSeq } from '../../model/manifest';
import { podSpecPaths, podTemplatePath } from '../../rules/engine';
import { OffsetEdit, Problem } from '../../types';
import { caught } from '../../errors';
import {
  ActionInput,
  appendToMap,
  CodeActionEntry,
  columnOf,
  ensureMapPath,
  eol,
  indent,
  keyStartsLine,
  lineStart,
  nextLineStart,
  normalizeEdits,
  pairLines,
  reindent,
  scalarText,
  span,
  yamlString,
} from './edit';

type Fix = Omit<CodeActionEntry, 'problem' | 'kind'> & { kind?: CodeActionEntry['kind'] };

export function quickFixes(input: ActionInput): CodeActionEntry[] {
  const out: CodeActionEntry[] = [];
  for (const problem of input.problems) {
    let fixes: Fix[] = [];
    try {
      fixes = fixesFor(input.file, problem);
    } catch (e) {
      caught(`quick fix for ${problem.code}`, e);
      fixes = []; // a fix that cannot be computed is not offered
    }
    for (const f of fixes) {
      try {
        out.push({ ...f, kind: f.kind ?? 'quickfix', problem, edits: normalizeEdits(f.edits) });
      } catch {
        /* overlapping edits: drop the fix */
      }
    }
    const ignore = ignoreAction(input.file, problem);
    if (ignore) out.push(ignore);
  }
  return out;
}

/** Ancestors of the node at an offset (outermost first), with their paths. */
function chain(obj: ManifestObject, offset: number): Array<{ node: Node; path: Path }> {
  const at = nodeAtOffset(obj, offset);
  const out: Array<{ node: Node; path: Path }> = [{ node: obj.node, path: [] }];
  for (let i = 1; i <= at.path.length; i++) {
    const p = at.path.slice(0, i);
    const n = nodeAtPath(obj.node, p);
    if (n) out.push({ node: n, path: p });
  }
  return out;
}

/** The innermost map holding the offset, and its path. */
function mapAt(obj: ManifestObject, offset: number): { node: YAMLMap; path: Path } | undefined {
  const c = chain(obj, offset);
  for (let i = c.length - 1; i >= 0; i--) if (isMap(c[i].node)) return c[i] as { node: YAMLMap; path: Path };
  return undefined;
}

/** The pair of a map whose key starts at `offset` (or whose value holds it). */
function pairAt(section: Section, map: YAMLMap, offset: number): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => {
    const k = span(section, p.key as Node);
    const v = span(section, p.value as Node);
    return (k && offset >= k[0] && offset <= k[1]) || (v && offset >= v[0] && offset <= v[1]);
  });
}

function pairOfKey(map: unknown, key: string): Pair<unknown, unknown> | undefined {
  return isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
}

/** Replaces a scalar's text, keeping its quote style when it had one. */
function replaceScalar(file: ManifestFile, start: number, end: number, value: string): OffsetEdit {
  const old = file.text.slice(start, end);
  let newText = yamlString(value);
  if (/^".*"$/s.test(old)) newText = JSON.stringify(value);
  else if (/^'.*'$/s.test(old)) newText = `'${value.replace(/'/g, "''")}'`;
  return { start, end, newText };
}

/** Removes a pair's whole lines (only when its key starts its line). */
function removePair(file: ManifestFile, section: Section, pair: Pair<unknown, unknown>): OffsetEdit | undefined {
  if (!keyStartsLine(file, section, pair)) return undefined;
  const lp = pairLines(file, section, pair);
  return lp && { start: lp[0], end: lp[1], newText: '' };
}

function fixesFor(file: ManifestFile, p: Problem): Fix[] {
  const obj = objectAt(file, p.start);
  const data = p.data ?? {};
  const str = (k: string): string | undefined => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const section = obj?.section;
  switch (p.code) {
    case 'unknown-field': {
      if (!obj || !section) return [];
      const suggestion = str('suggestion');
      if (suggestion) return [{ title: `Rename to ${suggestion}`, isPreferred: true, edits: [{ start: p.start, end: p.end, newText: suggestion }] }];
      const moveTo = Array.isArray(data.moveTo) ? (data.moveTo as string[]) : undefined;
      if (moveTo) {
        const keys = Array.isArray(data.moveKeys) && data.moveKeys.every((k) => typeof k === 'string') ? (data.moveKeys as string[]) : undefined;
        const f = moveKey(file, obj, p, moveTo, keys);
        return f ? [f] : [];
      }
      return [];
    }
    case 'wrong-api-version':
    case 'missing-api-version':
    case 'removed-api-version':
    case 'deprecated-api-version': {
      if (!obj || !section) return [];
      const replacement = str('replacement');
      const suggestion = str('suggestion');
      if (p.code === 'wrong-api-version' && suggestion) return [{ title: `Change kind to ${suggestion}`, isPreferred: true, edits: [replaceScalar(file, p.start, p.end, suggestion)] }];
      if (!replacement) return [];
      const avPair = pairOfKey(obj.node, 'apiVersion');
      if (!avPair || !isScalar(avPair.value)) {
        const kindPair = pairOfKey(obj.node, 'kind');
        if (!kindPair || !keyStartsLine(file, section, kindPair)) return [];
        const ks = span(section, kindPair.key as Node)!;
        const ls = lineStart(file.text, ks[0]);
        return [{ title: `Add apiVersion: ${replacement}`, isPreferred: true, edits: [{ start: ls, end: ls, newText: `${' '.repeat(ks[0] - ls)}apiVersion: ${replacement}${eol(file.text)}` }] }];
      }
      const r = span(section, avPair.value as Node)!;
      const setVersion = replaceScalar(file, r[0], r[1], replacement);
      if ((p.code === 'removed-api-version' || p.code === 'deprecated-api-version') && obj.kind === 'Ingress' && replacement === 'networking.k8s.io/v1') {
        const edits = migrateIngress(file, obj);
        return [{ title: `Migrate to ${replacement} (backend service.name/port, pathType)`, isPreferred: true, edits: [setVersion, ...edits] }];
      }
      return [{ title: p.code === 'removed-api-version' || p.code === 'deprecated-api-version' ? `Migrate to apiVersion ${replacement}` : `Change apiVersion to ${replacement}`, isPreferred: true, edits: [setVersion] }];
    }
    case 'invalid-enum': {
      const s = str('suggestion');
      return s ? [{ title: `Change to ${s}`, isPreferred: true, edits: [replaceScalar(file, p.start, p.end, s)] }] : [];
    }
    case 'invalid-type': {
      const text = file.text.slice(p.start, p.end);
      if (data.quote) return [{ title: `Quote ${text} as a string`, isPreferred: true, edits: [{ start: p.start, end: p.end, newText: JSON.stringify(text) }] }];
      if (data.unquote && /^(["']).*\1$/.test(text)) return [{ title: `Remove the quotes (make it a number)`, isPreferred: true, edits: [{ start: p.start, end: p.end, newText: text.slice(1, -1) }] }];
      return [];
    }
    case 'duplicate-key':
      return duplicateKey(file, p);
    case 'job-restart-policy':
      return obj ? restartPolicy(file, obj, Array.isArray(data.values) ? (data.values as string[]).filter((v) => v === 'Never' || v === 'OnFailure') : ['OnFailure', 'Never']) : [];
    case 'deployment-selector-mismatch':
      return obj ? selectorMatch(file, obj, data) : [];
    case 'deployment-recreate-rolling-update': {
      if (!obj || !section) return [];
      const ru = pairOfKey(nodeAtPath(obj.node, ['spec', 'strategy']), 'rollingUpdate');
      const e = ru && removePair(file, section, ru);
      return e ? [{ title: 'Remove rollingUpdate (it applies only to the RollingUpdate strategy)', isPreferred: true, edits: [e] }] : [];
    }
    case 'deployment-rollout-zero': {
      if (!obj || !section) return [];
      const ru = nodeAtPath(obj.node, ['spec', 'strategy', 'rollingUpdate']);
      if (!isMap(ru)) return [];
      const ms = pairOfKey(ru, 'maxSurge');
      if (ms && ms.value) {
        const r = span(section, ms.value as Node)!;
        return [{ title: 'Set maxSurge to 1', isPreferred: true, edits: [{ start: r[0], end: r[1], newText: '1' }] }];
      }
      const e = appendToMap(file, section, ru, ['maxSurge: 1']);
      return e ? [{ title: 'Set maxSurge to 1', isPreferred: true, edits: [e] }] : [];
    }
    case 'probe-missing-readiness':
      return obj ? readinessProbe(file, obj, p) : [];
    case 'secret-missing-keys':
      return obj ? secretMissingKeys(file, obj, p) : [];
    case 'rbac-resource-group':
      if (obj && str('apiGroup')) return resourceGroup(file, obj, p, str('apiGroup')!);
      break;
  }
  return genericFixes(file, obj, p);
}

/** The innermost map, at or above the node at an offset, that has `key`. */
function mapWithKeyUp(obj: ManifestObject, offset: number, key: string): YAMLMap | undefined {
  const c = chain(obj, offset);
  for (let i = c.length - 1; i >= 0; i--) if (isMap(c[i].node) && pairOfKey(c[i].node, key)) return c[i].node as YAMLMap;
  return undefined;
}

/** True when the problem's range is exactly a scalar value of a map pair (not a key standing in for a missing field). */
function onScalarValue(obj: ManifestObject, p: Problem): boolean {
  const c = chain(obj, p.start);
  for (const { node } of c) {
    if (!isMap(node)) continue;
    for (const pair of node.items) {
      const v = span(obj.section, pair.value as Node);
      if (v && v[0] === p.start && v[1] === p.end && isScalar(pair.value)) return true;
    }
  }
  // a list item scalar (a verb, a resource)
  const last = c[c.length - 1]?.node;
  const r = last && span(obj.section, last);
  return Boolean(last && isScalar(last) && r && r[0] === p.start && r[1] === p.end);
}

/** Sets `key: value` in a map: replaces the value when present, else appends the pair. */
function setInMap(file: ManifestFile, section: Section, map: YAMLMap, key: string, value: string): OffsetEdit | undefined {
  const pair = pairOfKey(map, key);
  if (pair && pair.value && isScalar(pair.value)) {
    const r = span(section, pair.value as Node)!;
    return { start: r[0], end: r[1], newText: value };
  }
  if (pair) return undefined;
  return appendToMap(file, section, map, [`${key}: ${value}`]);
}

/** Fixes from the common `data` shapes of the rule families: replacement, suggestion, remove, add, and a few named fields. */
function genericFixes(file: ManifestFile, obj: ManifestObject | undefined, p: Problem): Fix[] {
  const data = p.data ?? {};
  if (!obj) return [];
  const section = obj.section;
  const scalar = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
  if (typeof data.add === 'string') {
    const value = scalar(data[data.add]) ?? scalar(data.replacement);
    const m = mapAt(obj, p.start);
    if (!m || value === undefined || pairOfKey(m.node, data.add)) return [];
    const e = appendToMap(file, section, m.node, [`${data.add}: ${typeof data[data.add] === 'string' || typeof data.replacement === 'string' ? yamlString(value) : value}`]);
    return e ? [{ title: `Add ${data.add}: ${value}`, isPreferred: true, edits: [e] }] : [];
  }
  const replacement = scalar(data.replacement) ?? scalar(data.suggestion);
  if (replacement !== undefined) {
    if (!onScalarValue(obj, p)) return [];
    const raw = data.replacement ?? data.suggestion;
    const edit = typeof raw === 'string' ? replaceScalar(file, p.start, p.end, replacement) : { start: p.start, end: p.end, newText: replacement };
    return [{ title: `Change to ${replacement === '' ? '""' : replacement}`, isPreferred: true, edits: [edit] }];
  }
  if (typeof data.remove === 'string') {
    const m = mapWithKeyUp(obj, p.start, data.remove);
    const pair = m && pairOfKey(m, data.remove);
    const e = pair && removePair(file, section, pair);
    return e ? [{ title: `Remove ${data.remove}`, isPreferred: true, edits: [e] }] : [];
  }
  if (typeof data.terminationGracePeriodSeconds === 'number') {
    const sp = podSpecPaths(obj.kind)[0];
    const spec = sp && nodeAtPath(obj.node, sp);
    const e = isMap(spec) && !spec.flow ? setInMap(file, section, spec, 'terminationGracePeriodSeconds', String(data.terminationGracePeriodSeconds)) : undefined;
    return e ? [{ title: `Set terminationGracePeriodSeconds to ${data.terminationGracePeriodSeconds}`, isPreferred: true, edits: [e] }] : [];
  }
  if (typeof data.pathType === 'string') {
    const m = mapWithKeyUp(obj, p.start, 'pathType');
    const e = m && setInMap(file, section, m, 'pathType', data.pathType);
    return e ? [{ title: `Set pathType to ${data.pathType}`, isPreferred: true, edits: [e] }] : [];
  }
  if (typeof data.maxSurge === 'number' && typeof data.maxUnavailable === 'number' && obj.kind === 'Deployment') {
    if (scalarText(nodeAtPath(obj.node, ['spec', 'strategy', 'type'])) === 'Recreate') return [];
    const ru = nodeAtPath(obj.node, ['spec', 'strategy', 'rollingUpdate']);
    const edits: OffsetEdit[] = [];
    if (isMap(ru) && !ru.flow && ru.items.length) {
      for (const k of ['maxSurge', 'maxUnavailable'] as const) {
        const e = setInMap(file, section, ru, k, String(data[k]));
        if (!e) return [];
        edits.push(e);
      }
      // two appends at the same point become one
      if (edits.length === 2 && edits[0].start === edits[1].start && edits[0].end === edits[0].start && edits[1].end === edits[1].start) edits.splice(0, 2, { start: edits[0].start, end: edits[0].start, newText: edits[0].newText + edits[1].newText });
    } else {
      const e = ensureMapPath(file, section, obj.node, ['spec', 'strategy', 'rollingUpdate'], [`maxSurge: ${data.maxSurge}`, `maxUnavailable: ${data.maxUnavailable}`]);
      if (!e) return [];
      edits.push(e);
    }
    return [{ title: `Set maxSurge: ${data.maxSurge} and maxUnavailable: ${data.maxUnavailable}`, isPreferred: true, edits }];
  }
  return [];
}

/** `# kube-manifests-ignore <id>` on the line above the problem (added to an ignore comment already there). */
function ignoreAction(file: ManifestFile, p: Problem): CodeActionEntry | undefined {
  if (!p.code || p.code === 'syntax-error' || p.code === 'unused-suppression' || p.code === 'file-too-large') return undefined;
  const text = file.text;
  const ls = lineStart(text, p.start);
  const line = text.slice(ls, nextLineStart(text, ls)).replace(/\r?\n$/, '');
  const ind = /^[ -]*/.exec(line)![0];
  const col = ind.replace(/-\s*$/, '').length;
  // an ignore comment already on the line above: add the id
  if (ls > 0) {
    const prevStart = lineStart(text, ls - 1);
    const prev = text.slice(prevStart, ls).replace(/\r?\n$/, '');
    const m = /^(\s*#\s*kube-manifests-ignore\s+[A-Za-z0-9_,\s-]*?)\s*$/.exec(prev);
    if (m) {
      if (m[1].split(/[\s,]+/).includes(p.code)) return undefined;
      return { title: `Ignore ${p.code} on this line`, kind: 'quickfix', problem: p, edits: [{ start: prevStart + m[1].length, end: prevStart + prev.length, newText: ` ${p.code}` }] };
    }
  }
  return { title: `Ignore ${p.code} on this line`, kind: 'quickfix', problem: p, edits: [{ start: ls, end: ls, newText: `${' '.repeat(col)}# kube-manifests-ignore ${p.code}${eol(text)}` }] };
}

/**
 * Moves the unknown key at the problem (and the other `keys` of the same map, when a whole block is
 * misplaced) to the map at `moveTo` (relative to the key's map), re-indented.
 */
function moveKey(file: ManifestFile, obj: ManifestObject, p: Problem, moveTo: string[], keys?: string[]): Fix | undefined {
  const section = obj.section;
  const m = mapAt(obj, p.start);
  if (!m || m.node.flow) return undefined;
  const first = pairAt(section, m.node, p.start);
  if (!first || !isScalar(first.key)) return undefined;
  const pairs = keys ? keys.map((k) => pairOfKey(m.node, k)) : [first];
  const relLines: string[] = [];
  const removed: Array<[number, number]> = [];
  for (const pair of pairs) {
    if (!pair || !keyStartsLine(file, section, pair) || !isScalar(pair.key)) return undefined;
    const lp = pairLines(file, section, pair)!;
    const fromCol = columnOf(file.text, span(section, pair.key as Node)![0]);
    const block = file.text.slice(lp[0], lp[1]).replace(/\r?\n$/, '');
    relLines.push(...reindent(block.replace(/\r\n/g, '\n'), fromCol, 0).split('\n'));
    removed.push(lp);
  }
  const key = pairs.map((x) => String((x!.key as { value: unknown }).value)).join(', ');
  const deletions = removed.sort((a, b) => a[0] - b[0]).map(([start, end]) => ({ start, end, newText: '' }));
  // Where the moved text goes must lie outside every block taken out.
  const clear = (e: OffsetEdit): boolean => removed.every(([a, b]) => !(e.start > a && e.start < b) && !(e.end > a && e.end < b));
  // Walk the target path; '[]' means the first item of a list (created when missing).
  let map: YAMLMap = m.node;
  let i = 0;
  for (; i < moveTo.length; i++) {
    const seg = moveTo[i];
    if (seg === '[]') return undefined; // handled below only as the last step
    const next = map.get(seg, true);
    if (moveTo[i + 1] === '[]') {
      if (isSeq(next) && next.items.length === 1 && isMap(next.items[0]) && !(next.items[0] as YAMLMap).flow) {
        map = next.items[0] as YAMLMap;
        i++;
        continue;
      }
      if (next === undefined && i + 2 === moveTo.length) {
        // create `seg:\n- key: ...`
        const lines = [`${seg}:`, ...relLines.map((l, j) => (j === 0 ? `- ${l}` : l ? `  ${l}` : l))];
        const e = appendToMap(file, section, map, lines);
        if (!e || !clear(e)) return undefined;
        return { title: `Move ${key} under ${[...moveTo].join('.').replace(/\.\[\]/g, '[]')}`, isPreferred: true, edits: [...deletions, e] };
      }
      return undefined;
    }
    if (isMap(next) && !next.flow) {
      map = next;
      continue;
    }
    break;
  }
  const rest = moveTo.slice(i);
  // the target (when it exists: `map` is then not the keys' own map) already has a key moved there
  if (!rest.length && isMap(map) && pairs.some((x) => pairOfKey(map, String((x!.key as { value: unknown }).value)))) return undefined;
  const e = rest.length ? ensureMapPath(file, section, map, rest, relLines) : appendToMap(file, section, map, relLines);
  if (!e || !clear(e)) return undefined;
  return { title: `Move ${key} under ${moveTo.join('.').replace(/\.\[\]/g, '[]')}`, isPreferred: true, edits: [...deletions, e] };
}

/** Ingress extensions/v1beta1 or networking.k8s.io/v1beta1 -> v1: backends and pathType. */
function migrateIngress(file: ManifestFile, obj: ManifestObject): OffsetEdit[] {
  const section = obj.section;
  const edits: OffsetEdit[] = [];
  const rewriteBackend = (backend: unknown): void => {
    if (!isMap(backend) || backend.flow) return;
    const sn = pairOfKey(backend, 'serviceName');
    const sp = pairOfKey(backend, 'servicePort');
    if (!sn || !keyStartsLine(file, section, sn)) return;
    const name = scalarText(sn.value);
    if (name === undefined) return;
    const portNode = sp?.value;
    const port = scalarText(portNode);
    const col = columnOf(file.text, span(section, sn.key as Node)![0]);
    const lines = ['service:', `  name: ${yamlString(name)}`];
    if (port !== undefined) {
      const numeric = isScalar(portNode) && typeof portNode.value === 'number';
      lines.push('  port:', numeric || /^\d+$/.test(port) && !/^["']/.test(file.text.slice(...span(section, portNode as Node)!)) ? `    number: ${port}` : `    name: ${yamlString(port)}`);
    }
    const nl = eol(file.text);
    const snl = pairLines(file, section, sn)!;
    edits.push({ start: snl[0], end: snl[1], newText: indent(lines, col).join(nl) + nl });
    if (sp) {
      const spl = sp && keyStartsLine(file, section, sp) ? pairLines(file, section, sp) : undefined;
      if (spl) edits.push({ start: spl[0], end: spl[1], newText: '' });
    }
  };
  const spec = nodeAtPath(obj.node, ['spec']);
  if (!isMap(spec)) return edits;
  const def = pairOfKey(spec, 'backend');
  if (def && isMap(def.value)) {
    rewriteBackend(def.value);
    // spec.backend became spec.defaultBackend in v1
    const k = span(section, def.key as Node);
    if (k) edits.push({ start: k[0], end: k[1], newText: 'defaultBackend' });
  }
  const rules = spec.get('rules', true);
  if (isSeq(rules)) {
    for (const r of rules.items) {
      const paths = nodeAtPath(r as Node, ['http', 'paths']);
      if (!isSeq(paths)) continue;
      for (const item of paths.items) {
        if (!isMap(item) || item.flow) continue;
        rewriteBackend(item.get('backend', true));
        if (!pairOfKey(item, 'pathType')) {
          const first = item.items[0];
          const k = first && span(section, first.key as Node);
          if (k) {
            const col = columnOf(file.text, k[0]);
            // after the item's `path:` pair (or its first pair)
            const anchor = pairOfKey(item, 'path') ?? first;
            const al = pairLines(file, section, anchor);
            if (al) edits.push({ start: al[1], end: al[1], newText: `${' '.repeat(col)}pathType: Prefix${eol(file.text)}` });
          }
        }
      }
    }
  }
  return edits;
}

function duplicateKey(file: ManifestFile, p: Problem): Fix[] {
  const obj = objectAt(file, p.start);
  if (!obj) return [];
  const section = obj.section;
  // The problem sits on the second key: find its map and the earlier pair with the same key.
  const search = (node: unknown): Fix[] | undefined => {
    if (isMap(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const pair = node.items[i];
        const k = span(section, pair.key as Node);
        if (k && p.start >= k[0] && p.start <= k[1] && isScalar(pair.key)) {
          const first = node.items.slice(0, i).find((q) => isScalar(q.key) && q.key.value === (pair.key as { value: unknown }).value);
          const e = first && removePair(file, section, first);
          return e ? [{ title: `Remove the first ${String(pair.key.value)} (keep the last one, which is the one applied)`, isPreferred: true, edits: [e] }] : [];
        }
        const r = search(pair.value);
        if (r) return r;
      }
    } else if (isSeq(node)) {
      for (const it of node.items) {
        const r = search(it);
        if (r) return r;
      }
    }
    return undefined;
  };
  return search(section.doc.contents) ?? [];
}

function restartPolicy(file: ManifestFile, obj: ManifestObject, values: string[]): Fix[] {
  const specPath = podSpecPaths(obj.kind)[0];
  if (!specPath) return [];
  const section = obj.section;
  const spec = nodeAtPath(obj.node, specPath);
  const rp = pairOfKey(spec, 'restartPolicy');
  const edit = (v: string): OffsetEdit | undefined => {
    if (rp && rp.value) {
      const r = span(section, rp.value as Node)!;
      return { start: r[0], end: r[1], newText: v };
    }
    return ensureMapPath(file, section, obj.node, specPath as string[], [`restartPolicy: ${v}`]);
  };
  const out: Fix[] = [];
  for (const v of values.length ? values : ['OnFailure', 'Never']) {
    const e = edit(v);
    if (e) out.push({ title: `Set restartPolicy to ${v}`, isPreferred: values.length === 1, edits: [e] });
  }
  return out;
}

function selectorMatch(file: ManifestFile, obj: ManifestObject, data: Record<string, unknown>): Fix[] {
  const section = obj.section;
  const tpl = podTemplatePath(obj.kind);
  if (!tpl) return [];
  const labels = nodeAtPath(obj.node, [...tpl, 'metadata', 'labels']);
  if (!isMap(labels) || !labels.items.length) {
    // no template labels: give the template the selector's labels
    const sel = data.selectorLabels && typeof data.selectorLabels === 'object' ? (data.selectorLabels as Record<string, unknown>) : {};
    const lines = Object.entries(sel).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${yamlString(k)}: ${yamlString(v as string)}`);
    if (!lines.length || isMap(labels) && labels.flow) return [];
    const e = ensureMapPath(file, section, obj.node, [...(tpl as string[]), 'metadata', 'labels'], lines);
    return e ? [{ title: 'Add the selector\'s labels to the pod template', isPreferred: true, edits: [e] }] : [];
  }
  const entries = labels.items.filter((p) => isScalar(p.key) && scalarText(p.value) !== undefined).map((p) => `${yamlString(String((p.key as { value: unknown }).value))}: ${yamlString(scalarText(p.value)!)}`);
  const selector = nodeAtPath(obj.node, ['spec', 'selector']);
  const ml = pairOfKey(selector, 'matchLabels');
  const nl = eol(file.text);
  if (ml && isMap(selector) && !selector.flow && keyStartsLine(file, section, ml)) {
    const lp = pairLines(file, section, ml)!;
    const col = columnOf(file.text, span(section, ml.key as Node)![0]);
    return [{ title: 'Make spec.selector.matchLabels match the pod template labels', isPreferred: true, edits: [{ start: lp[0], end: lp[1], newText: indent(['matchLabels:', ...indent(entries, 2)], col).join(nl) + nl }] }];
  }
  const e = ensureMapPath(file, section, obj.node, ['spec', 'selector', 'matchLabels'], entries);
  return e ? [{ title: 'Make spec.selector.matchLabels match the pod template labels', isPreferred: true, edits: [e] }] : [];
}

function containerAt(obj: ManifestObject, offset: number): YAMLMap | undefined {
  const c = chain(obj, offset);
  for (let i = c.length - 1; i >= 1; i--) {
    const path = c[i].path;
    if (typeof path[path.length - 1] === 'number' && (path[path.length - 2] === 'containers' || path[path.length - 2] === 'initContainers') && isMap(c[i].node)) return c[i].node as YAMLMap;
  }
  // a problem on the workload: its only container
  for (const sp of podSpecPaths(obj.kind)) {
    const cs = nodeAtPath(obj.node, [...sp, 'containers']);
    if (isSeq(cs) && cs.items.length === 1 && isMap(cs.items[0])) return cs.items[0] as YAMLMap;
  }
  return undefined;
}

function readinessProbe(file: ManifestFile, obj: ManifestObject, p: Problem): Fix[] {
  const c = containerAt(obj, p.start);
  if (!c || c.flow || pairOfKey(c, 'readinessProbe')) return [];
  const ports = c.get('ports', true);
  let port: string | undefined;
  if (isSeq(ports) && isMap(ports.items[0])) {
    const first = ports.items[0] as YAMLMap;
    port = scalarText(first.get('name', true)) ?? scalarText(first.get('containerPort', true));
  }
  const lines = port
    ? ['readinessProbe:', '  httpGet:', '    path: /', `    port: ${yamlString(port)}`, '  periodSeconds: 10']
    : ['readinessProbe:', '  tcpSocket:', '    port: 8080', '  periodSeconds: 10'];
  const e = appendToMap(file, obj.section, c, lines);
  return e ? [{ title: `Add a readiness probe${port ? ` (HTTP GET / on port ${port})` : ''}`, isPreferred: true, edits: [e] }] : [];
}

const SECRET_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/basic-auth': ['username', 'password'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
};

function secretMissingKeys(file: ManifestFile, obj: ManifestObject, p: Problem): Fix[] {
  const section = obj.section;
  const type = scalarText(obj.node.get('type', true));
  const data = obj.node.get('data', true);
  const sdata = obj.node.get('stringData', true);
  const has = (k: string) => (isMap(data) && data.has(k)) || (isMap(sdata) && sdata.has(k));
  let missing: string[] = Array.isArray(p.data?.missingKeys) ? (p.data!.missingKeys as string[]) : (SECRET_KEYS[type ?? ''] ?? []);
  if (type === 'kubernetes.io/basic-auth' && !Array.isArray(p.data?.missingKeys)) missing = has('username') || has('password') ? [] : ['username', 'password'];
  missing = missing.filter((k) => typeof k === 'string' && !has(k));
  if (!missing.length) return [];
  const placeholder = (k: string) => (k === '.dockerconfigjson' ? '{"auths":{}}' : k === '.dockercfg' ? '{}' : '');
  const where = isMap(sdata) ? 'stringData' : isMap(data) ? 'data' : 'stringData';
  const lines = missing.map((k) => `${yamlString(k)}: ${where === 'data' ? Buffer.from(placeholder(k)).toString('base64') || '""' : yamlString(placeholder(k))}`);
  const e = ensureMapPath(file, section, obj.node, [where], lines);
  return e ? [{ title: `Add the missing key${missing.length > 1 ? 's' : ''} ${missing.join(', ')} to ${where}`, isPreferred: true, edits: [e] }] : [];
}

/** A resource listed under the wrong apiGroups: move it to a rule for its group (or add the group). */
function resourceGroup(file: ManifestFile, obj: ManifestObject, p: Problem, group: string): Fix[] {
  const section = obj.section;
  const c = chain(obj, p.start);
  const ruleEntry = [...c].reverse().find((x) => x.path.length === 2 && x.path[0] === 'rules' && typeof x.path[1] === 'number');
  if (!ruleEntry || !isMap(ruleEntry.node)) return [];
  const rule = ruleEntry.node as YAMLMap;
  const groups = rule.get('apiGroups', true);
  const resources = rule.get('resources', true);
  if (!isSeq(groups) || !isSeq(resources)) return [];
  const out: Fix[] = [];
  const resItem = resources.items.find((it) => {
    const r = span(section, it as Node);
    return r && p.start >= r[0] && p.start <= r[1];
  }) as Node | undefined;
  const resName = scalarText(resItem);
  if (!resItem || resName === undefined) return [];
  const replaceSeq = (seq: YAMLSeq, values: string[]): OffsetEdit | undefined => {
    const r = span(section, seq);
    if (!r) return undefined;
    const flow = `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (seq.flow) return { start: r[0], end: r[1], newText: flow };
    // a block list: replace it from the key's line
    const pair = pairOfKey(rule, seq === groups ? 'apiGroups' : 'resources');
    if (!pair || !keyStartsLine(file, section, pair)) return undefined;
    const k = span(section, pair.key as Node)!;
    return { start: k[1] + 1, end: r[1], newText: ` ${flow}` };
  };
  const groupValues = groups.items.map(scalarText).filter((v): v is string => v !== undefined);
  const resValues = resources.items.map(scalarText).filter((v): v is string => v !== undefined);
  if (resValues.length === 1) {
    const e = replaceSeq(groups, [group]);
    if (e) out.push({ title: `Move ${resName} to apiGroup "${group}"`, isPreferred: true, edits: [e] });
  } else {
    // take the resource out of this rule and add a rule for its group with the same verbs
    const rest = resValues.filter((v) => v !== resName);
    const e1 = replaceSeq(resources, rest);
    const verbs = rule.get('verbs', true);
    const verbValues = isSeq(verbs) ? verbs.items.map(scalarText).filter((v): v is string => v !== undefined) : [];
    const ruleStart = span(section, rule)!;
    const col = columnOf(file.text, ruleStart[0]);
    const itemEnd = nextLineStart(file.text, ruleStart[1]);
    const nl = eol(file.text);
    const dash = ' '.repeat(Math.max(0, col - 2));
    const newRule = [`${dash}- apiGroups: [${JSON.stringify(group)}]`, `${dash}  resources: [${JSON.stringify(resName)}]`, `${dash}  verbs: [${verbValues.map((v) => JSON.stringify(v)).join(', ')}]`].join(nl) + nl;
    if (e1 && verbValues.length && /^\s*-\s/.test(file.text.slice(lineStart(file.text, ruleStart[0]), ruleStart[0] + 1))) {
      out.push({ title: `Move ${resName} to a rule for apiGroup "${group}"`, isPreferred: true, edits: [e1, { start: itemEnd, end: itemEnd, newText: newRule }] });
    }
  }
  if (!groupValues.includes(group)) {
    const e = replaceSeq(groups, [...groupValues, group]);
    if (e) out.push({ title: `Add "${group}" to apiGroups`, edits: [e] });
  }
  return out;
}

