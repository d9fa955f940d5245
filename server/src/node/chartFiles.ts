/**
 * Reading Helm charts from disk, as Helm's directory loader does (helm/helm
 * pkg/chart/v2/loader/directory.go LoadDir with internal/sympath.Walk): the folder is walked in
 * lexical order following symbolic links, the root `.helmignore` (plus the default rule
 * `templates/.?*`) is applied while walking (an ignored folder is not entered), irregular files
 * and files over 5 MiB are errors, and one UTF-8 BOM is dropped from each file. The pure loader
 * (server/src/helm/chart.ts) then sorts the files into a chart.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChartFile, LoadedChart, loadChart, loadChartArchive, MAX_FILE_SIZE, stripBom, goQuote } from '../helm/chart';
import { HELMIGNORE, helmignoreRules } from '../helm/helmignore';
import { GoError } from '../helm/value';

/** The files of a chart folder as Helm's LoadDir reads them (paths relative to `dir`, `/` separators). */
export function readChartDir(dir: string): ChartFile[] {
  const top = path.resolve(dir);
  const ignoreFile = path.join(top, HELMIGNORE);
  let ignoreText: string | undefined;
  if (fs.existsSync(ignoreFile)) ignoreText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(fs.readFileSync(ignoreFile));
  // A BOM at the start of .helmignore is dropped by its parser.
  const rules = helmignoreRules(ignoreText);
  const files: ChartFile[] = [];

  const visit = (abs: string, rel: string, st: fs.Stats): void => {
    if (rel !== '') {
      if (st.isDirectory()) {
        if (rules.ignored(rel, true)) return;
      } else {
        if (rules.ignored(rel, false)) return;
        if (!st.isFile()) throw new GoError(`cannot load irregular file ${abs} as it has file mode type bits set`);
        if (st.size > MAX_FILE_SIZE) {
          throw new GoError(`chart file ${goQuote(path.basename(abs))} is larger than the maximum file size ${MAX_FILE_SIZE}`);
        }
        let data: Buffer;
        try {
          data = fs.readFileSync(abs);
        } catch (e) {
          throw new GoError(`error reading ${rel}: ${(e as Error).message}`);
        }
        files.push({ path: rel, data: stripBom(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) });
        return;
      }
    }
    if (!st.isDirectory()) return;
    const names = fs.readdirSync(abs).sort();
    for (const name of names) {
      const childAbs = path.join(abs, name);
      const childRel = rel === '' ? name : rel + '/' + name;
      let cst = fs.lstatSync(childAbs);
      if (cst.isSymbolicLink()) {
        // sympath.Walk follows links (to folders too) under the link's own name.
        try {
          cst = fs.statSync(childAbs);
        } catch (e) {
          throw new GoError(`error evaluating symlink ${childAbs}: ${(e as Error).message}`);
        }
      }
      visit(childAbs, childRel, cst);
    }
  };
  visit(top, '', fs.statSync(top));
  return files;
}

/**
 * Loads a chart folder or `.tgz` archive as `helm template PATH` does. A folder without
 * Chart.yaml fails as Helm words it (`unable to detect chart at /abs/Chart.yaml: ...`).
 */
export function loadChartPath(p: string): LoadedChart {
  const abs = path.resolve(p);
  const st = fs.statSync(abs);
  if (st.isDirectory()) {
    const chartYaml = path.join(abs, 'Chart.yaml');
    if (!fs.existsSync(chartYaml)) throw new GoError(`unable to detect chart at ${chartYaml}: open ${chartYaml}: no such file or directory`);
    return loadChart(readChartDir(abs));
  }
  const data = fs.readFileSync(abs);
  return loadChartArchive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/**
 * The chart folders below `root` (folders holding a Chart.yaml), `root` included, sorted. The
 * `charts/` folder of a chart holds its subcharts: nothing below it is listed. `node_modules`
 * and `.git` are not entered; symbolic links are not followed.
 */
export function findCharts(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 40) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const isChart = entries.some((e) => e.name === 'Chart.yaml' && (e.isFile() || e.isSymbolicLink()));
    if (isChart) out.push(dir);
    for (const e of entries) {
      if (!e.isDirectory() || SKIP_DIRS.has(e.name)) continue;
      if (isChart && e.name === 'charts') continue;
      walk(path.join(dir, e.name), depth + 1);
    }
  };
  walk(path.resolve(root), 0);
  return out.sort();
}
