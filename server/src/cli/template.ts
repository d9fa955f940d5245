/**
 * `kube-manifests template`, the render (on the main thread, or in the worker thread
 * ./templateWorker.ts when a render nests too deep for the main thread's stack; the command line is
 * read by ./templateCommand.ts): prints what `helm template` prints
 * (Helm v4, pkg/cmd/template.go and runInstall in pkg/cmd/install.go) with our Helm engine, and
 * fails as it does: `Error: <Helm's message>` on stderr, exit 1.
 *
 * Steps in Helm's order: `--kube-version` is parsed first, then the chart is located (a missing
 * path fails before anything is read), the values files are read, the chart is loaded (a folder
 * as LoadDir reads it, a `.tgz` as LoadFile does) and rendered by `helmTemplate`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChartFile, goQuote, loadArchiveFiles } from '../helm/chart';
import { helmTemplate, TemplateOptions } from '../helm/index';
import { parseKubeVersion } from '../helm/objects';
import { withStackBudget } from '../helm/stackBudget';
import { readChartDir } from '../node/chartFiles';
import type { TemplateOutcome, TemplateRequest } from './templateCommand';

/**
 * How deep templates may nest (levels of ../helm/stackBudget.ts) in a render on Node's default
 * stack (about 1 MB). Measured: the stack holds about 1300 levels of an `include` that calls itself
 * from a small define, and about 1700 of one whose define nests seven if/with/range blocks, so 400
 * leaves three quarters of the stack to the functions the deepest level calls. Real charts nest a
 * few dozen levels (bitnami's `common` library included).
 */
export const DEFAULT_STACK_NESTING = 400;

/**
 * `renderTemplate` on the calling thread's default stack, under the stack budget; undefined when the
 * render may need a larger stack than that (it is then to be run again in the worker).
 */
export function renderTemplateOnDefaultStack(req: TemplateRequest): TemplateOutcome | undefined {
  const r = withStackBudget(DEFAULT_STACK_NESTING, () => renderTemplate(req));
  return r.exceeded ? undefined : r.result;
}

/** A failure worded for the user (printed as `Error: <message>`). */
class TemplateFailure extends Error {}

/**
 * Renders the request as `helm template` does: reads the chart and the values files, runs the
 * engine. Deep `include`s need a large stack: `runTemplateCommand` calls it on the main thread
 * through `renderTemplateOnDefaultStack`, and again in a worker when that says so.
 */
export function renderTemplate(req: TemplateRequest): TemplateOutcome {
  try {
    if (req.kubeVersion !== undefined) {
      try {
        parseKubeVersion(req.kubeVersion);
      } catch (e) {
        throw new TemplateFailure(`invalid kube version '${req.kubeVersion}': ${messageOf(e)}`);
      }
    }
    const chartPath = locateChart(req.chart);
    const valueFiles = req.valueFiles.map((name) => ({ name, text: readValuesFile(name, req.stdin) }));
    const files = readChart(chartPath);
    const opts: TemplateOptions = {
      valueFiles,
      set: req.set,
      setString: req.setString,
      releaseName: req.releaseName,
      // settings.Namespace(): an empty --namespace means the kube context's, "default" without one.
      namespace: req.namespace || undefined,
      kubeVersion: req.kubeVersion,
      apiVersions: req.apiVersions,
      showOnly: req.showOnly,
      notes: req.notes,
      includeCrds: req.includeCrds,
      skipTests: req.skipTests,
      isUpgrade: req.isUpgrade,
    };
    const r = helmTemplate(files, opts);
    if (r.error !== undefined) return { stdout: r.output, stderr: `Error: ${r.error}\n`, code: 1 };
    return { stdout: r.output, stderr: '', code: 0 };
  } catch (e) {
    if (e instanceof TemplateFailure) return { stdout: '', stderr: `Error: ${e.message}\n`, code: 1 };
    throw e;
  }
}

/** Helm's LocateChart for a local path: the absolute path, or `path "x" not found`. */
function locateChart(name: string): string {
  const n = name.trim();
  if (fs.existsSync(n)) return path.resolve(n);
  if (path.isAbsolute(n) || n.startsWith('.')) throw new TemplateFailure(`path ${goQuote(n)} not found`);
  // Helm would look `n` up in its chart repositories here; we render charts on disk only.
  throw new TemplateFailure(
    `path ${goQuote(n)} not found: kube-manifests template renders a chart folder or a .tgz file on disk; it does not download charts from repositories`,
  );
}

/** A `-f` file as Helm's readFile reads it (`-` is standard input), with Go's words for IO errors. */
function readValuesFile(name: string, stdin: string | undefined): string {
  if (name.trim() === '-') return stdin ?? '';
  if (/^(https?|oci):\/\//i.test(name)) {
    throw new TemplateFailure(`values file ${name} is a URL: kube-manifests reads values files from disk only; download it and pass the local file`);
  }
  try {
    return new TextDecoder('utf-8').decode(fs.readFileSync(name));
  } catch (e) {
    throw new TemplateFailure(goFsError(name, e));
  }
}

/** Loads the files of a chart folder (LoadDir) or archive (LoadFile), failing with Helm's words. */
function readChart(abs: string): ChartFile[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (e) {
    throw new TemplateFailure(goFsError(abs, e, 'stat'));
  }
  if (st.isDirectory()) {
    const chartYaml = path.join(abs, 'Chart.yaml');
    try {
      fs.accessSync(chartYaml, fs.constants.R_OK);
      if (fs.statSync(chartYaml).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (e) {
      throw new TemplateFailure(`unable to detect chart at ${chartYaml}: ${goFsError(chartYaml, e)}`);
    }
    try {
      return readChartDir(abs);
    } catch (e) {
      throw new TemplateFailure(isNodeFsError(e) ? goFsError(String((e as NodeJS.ErrnoException).path ?? abs), e) : messageOf(e));
    }
  }
  let data: Buffer;
  try {
    data = fs.readFileSync(abs);
  } catch (e) {
    throw new TemplateFailure(goFsError(abs, e));
  }
  // archive.EnsureArchive: a gzip header, or a hint at what the file is.
  if (!(data.length >= 3 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08)) {
    if (abs.endsWith('.yml') || abs.endsWith('.yaml')) throw new TemplateFailure(`file '${abs}' seems to be a YAML file, but expected a gzipped archive`);
    throw new TemplateFailure(`file '${abs}' does not appear to be a gzipped archive`);
  }
  let files: ChartFile[];
  try {
    files = loadArchiveFiles(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } catch (e) {
    const m = messageOf(e);
    if (m === 'gzip: invalid header') throw new TemplateFailure(`file '${abs}' does not appear to be a valid chart file (details: ${m})`);
    throw new TemplateFailure(`unable to load chart archive: ${m}`);
  }
  if (!files.some((f) => f.path === 'Chart.yaml')) throw new TemplateFailure('unable to detect chart version, no Chart.yaml found');
  return files;
}

function isNodeFsError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** A Node file error as Go's os package words it: `open x.yaml: no such file or directory`. */
function goFsError(name: string, e: unknown, op = 'open'): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${op} ${name}: no such file or directory`;
    case 'EACCES':
      return `${op} ${name}: permission denied`;
    case 'EISDIR':
      return `read ${name}: is a directory`;
    case 'ENOTDIR':
      return `${op} ${name}: not a directory`;
    case 'ELOOP':
      return `${op} ${name}: too many levels of symbolic links`;
    default:
      return `${op} ${name}: ${messageOf(e)}`;
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
