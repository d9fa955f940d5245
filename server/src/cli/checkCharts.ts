/**
 * `kube-manifests check` on charts: every chart found below the given folders is rendered as the
 * editor renders it (features/helm/chartCheck.ts) and its problems are reported at template
 * positions, like any file's. The files a chart owns (templates, values files, Chart.yaml) are
 * then left out of the plain-file check; everything else in a chart folder (crds/) stays in it.
 * `-f`/`--set`/`--set-string` apply to the chart when exactly one is checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChartChecker, ChartCheckInput, isChartOwnedPath, ManifestChecker } from '../features/helm/chartCheck';
import { chartManifest, renderedObjectFacts } from '../features/helm/renderedFeatures';
import type { WorkspaceIndex } from '../workspace/index';
import { findCharts, readChartDir } from '../node/chartFiles';
import { LineIndex } from '../model/text';
import { Problem, Settings } from '../types';
import type { CliResult } from './main';

export interface ChartCheckOptions {
  valueFiles: string[];
  set: string[];
  setString: string[];
}

export interface ChartsChecked {
  results: CliResult[];
  /** The number of objects the charts render (already in the workspace index). */
  renderedObjects: number;
  /**
   * Checks the charts again with the workspace index as it is now (the plain files added), so
   * their cross-file references see the plain files too; replaces `results`.
   */
  recheck(): void;
  /** Whether a (resolved) file path is checked as part of a chart. */
  owns(file: string): boolean;
  /** A usage problem (e.g. -f with several charts), already worded. */
  error?: string;
}

/**
 * Renders and checks every chart; the objects each chart renders go into `workspace` (when given)
 * at their templates, as the editor indexes them, so plain files that name them resolve.
 */
export function checkCharts(ls: ManifestChecker, folders: string[], settings: Settings, opts: ChartCheckOptions, toUri: (p: string) => string, workspace?: WorkspaceIndex): ChartsChecked {
  const roots = [...new Set(folders.flatMap((f) => findCharts(f)))].filter((r, _i, all) => !all.some((o) => o !== r && isInside(r, path.join(o, 'charts'))));
  const owned = (file: string): boolean => {
    const abs = path.resolve(file);
    return roots.some((r) => isInside(abs, r) && isChartOwnedPath(path.relative(r, abs).split(path.sep).join('/')));
  };
  const withValues = opts.valueFiles.length > 0 || opts.set.length > 0 || opts.setString.length > 0;
  if (withValues && roots.length !== 1) {
    return { results: [], renderedObjects: 0, recheck: () => {}, owns: owned, error: `-f, --set and --set-string apply to one chart, but ${roots.length} charts were found${roots.length ? `: ${roots.map((r) => path.relative(process.cwd(), r) || '.').join(', ')}` : ''}` };
  }
  const loadErrors: CliResult[] = [];
  let renderedObjects = 0;
  const inputs: Array<{ root: string; input: ChartCheckInput; texts: Map<string, string> }> = [];
  for (const root of roots) {
    let files;
    try {
      files = readChartDir(root);
    } catch (e) {
      const display = path.join(path.relative(process.cwd(), root) || '.', 'Chart.yaml');
      loadErrors.push({ path: display, uri: toUri(path.join(root, 'Chart.yaml')), problems: [{ start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'helm-chart-load', message: `Helm cannot read this chart: ${e instanceof Error ? e.message : String(e)}` }] });
      continue;
    }
    const valueFiles = opts.valueFiles.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') }));
    const input: ChartCheckInput = { files, settings, valueFiles, set: opts.set, setString: opts.setString };
    const texts = new Map<string, string>();
    for (const f of files) texts.set(f.path, new TextDecoder().decode(f.data));
    for (const v of valueFiles) texts.set(v.path, v.text);
    inputs.push({ root, input, texts });
  }
  const run = (): CliResult[] => {
    const out: CliResult[] = [...loadErrors];
    for (const { root, input, texts } of inputs) {
      const r = new ChartChecker(ls).check(input);
      if (workspace && r.prepared) {
        const uriOf = (rel: string): string => toUri(path.join(root, ...rel.split('/')));
        for (const [rel, objects] of renderedObjectFacts(chartManifest(r, root, ls.parse), uriOf)) {
          workspace.set({ uri: `helm-chart:${uriOf(rel)}`, objects }, false);
          renderedObjects += objects.length;
        }
      }
      out.push(...chartResults(root, r.problems, texts, input.valueFiles ?? [], toUri));
    }
    return out;
  };
  const checked: ChartsChecked = {
    results: run(),
    renderedObjects,
    owns: owned,
    recheck: () => {
      renderedObjects = 0;
      checked.results = run();
      checked.renderedObjects = renderedObjects;
    },
  };
  return checked;
}

function chartResults(root: string, problems: Map<string, Problem[]>, texts: Map<string, string>, valueFiles: Array<{ path: string }>, toUri: (p: string) => string): CliResult[] {
  const results: CliResult[] = [];
  {
    for (const rel of [...problems.keys()].sort()) {
      const external = valueFiles.some((v) => v.path === rel);
      const abs = external ? path.resolve(rel) : path.join(root, ...rel.split('/'));
      const lines = new LineIndex(texts.get(rel) ?? '');
      results.push({
        path: path.relative(process.cwd(), abs) || abs,
        uri: toUri(abs),
        problems: problems.get(rel)!.map((p) => {
          const s = lines.positionAt(p.start);
          const e = lines.positionAt(p.end);
          return { ...p, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
        }),
      });
    }
  }
  return results;
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
