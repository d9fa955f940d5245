/**
 * `kube-manifests template [NAME] CHART [flags]`: prints what `helm template` prints (Helm v4,
 * pkg/cmd/template.go and runInstall in pkg/cmd/install.go) with our Helm engine, and fails as it
 * does: `Error: <Helm's message>` on stderr, exit 1. Bad usage exits 2 with the usage text.
 *
 * Flags are read as Helm's pflag reads them: `--flag value`, `--flag=value`, `-f value`,
 * `-fvalue`, `-f=value`, flags and positionals in any order, `--` ends the flags. `-f/--values`
 * and `-a/--api-versions` are comma-separated lists (pflag's StringSlice); `--set`,
 * `--set-string` and `-s/--show-only` are taken whole (StringArray). `--release-name NAME` is
 * the reference renderer's spelling of the positional NAME (in Helm it only names the output-dir).
 *
 * Steps in Helm's order: `--kube-version` is parsed first, then the chart is located (a missing
 * path fails before anything is read), the values files are read, the chart is loaded (a folder
 * as LoadDir reads it, a `.tgz` as LoadFile does) and rendered by `helmTemplate`.
 *
 * Stack: `include` may nest 1000 times before Helm stops it, deeper than a default Node stack
 * holds, so the render runs in a worker thread with a large stack (the bundle re-entered through
 * `new Worker(__filename)`; `main.ts` hands over to `templateWorkerMain` when it runs as one).
 * Changing V8's stack size on the main thread instead can overrun the real thread stack and crash.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { ChartFile, goQuote, loadArchiveFiles } from '../helm/chart';
import { helmTemplate, TemplateOptions } from '../helm/index';
import { parseKubeVersion } from '../helm/objects';
import { readChartDir } from '../node/chartFiles';

export const TEMPLATE_USAGE = `Usage: kube-manifests template [NAME] CHART [options]

Renders a Helm chart as "helm template" does and prints the manifests. CHART is a
chart folder or a packaged chart (.tgz) on disk; NAME is the release name
(default: release-name).

Options:
  -f, --values FILE          a values file (repeatable, or comma-separated; - for standard input)
  --set KEY=VALUE            set a value (repeatable; key1=v1,key2=v2)
  --set-string KEY=VALUE     set a value as a string (repeatable)
  --release-name NAME        the release name (same as the NAME argument)
  -n, --namespace NS         the release namespace (default: default)
  --kube-version VERSION     the Kubernetes version of .Capabilities (1.34, v1.34, 1.34.2; default: 1.34)
  -a, --api-versions G/V     extra API versions of .Capabilities.APIVersions (repeatable)
  -s, --show-only FILE       only show the manifests of this template, e.g. templates/service.yaml (repeatable)
  --notes                    also print the chart's rendered NOTES.txt
  --include-crds             also print the chart's crds/ files
  --skip-tests               leave out test hooks
  --is-upgrade               set .Release.IsUpgrade instead of .Release.IsInstall
  -h, --help                 show this help

Exit code: 0 when the chart renders, 1 when Helm would fail (the error is printed
as "Error: ..."), 2 on bad usage.`;

/** A `template` command line, parsed. */
export interface TemplateRequest {
  chart: string;
  /** `-f` names as given (`-` is standard input). */
  valueFiles: string[];
  /** The text of standard input when a `-f -` asks for it (read on the main thread). */
  stdin?: string;
  set: string[];
  setString: string[];
  releaseName?: string;
  namespace?: string;
  kubeVersion?: string;
  apiVersions: string[];
  showOnly: string[];
  notes: boolean;
  includeCrds: boolean;
  skipTests: boolean;
  isUpgrade: boolean;
}

export type ParsedTemplateArgs = { request: TemplateRequest } | { help: true } | { usageError: string };

/** What a render printed and its exit code. */
export interface TemplateOutcome {
  stdout: string;
  stderr: string;
  code: number;
}

type ValueFlag = 'values' | 'set' | 'set-string' | 'release-name' | 'namespace' | 'kube-version' | 'api-versions' | 'show-only';
type BoolFlag = 'notes' | 'include-crds' | 'skip-tests' | 'is-upgrade' | 'help';

const VALUE_FLAGS = new Set<string>(['values', 'set', 'set-string', 'release-name', 'namespace', 'kube-version', 'api-versions', 'show-only']);
const BOOL_FLAGS = new Set<string>(['notes', 'include-crds', 'skip-tests', 'is-upgrade', 'help']);
const SHORT: Record<string, ValueFlag | BoolFlag> = { f: 'values', n: 'namespace', a: 'api-versions', s: 'show-only', h: 'help' };

/** Helm flags we know but do not offer, with the reason said to the user. */
const UNSUPPORTED: Record<string, string> = {
  'output-dir': 'writing files is not supported; redirect the output instead',
  'set-file': 'use --set-string KEY="$(cat FILE)" instead',
  'set-json': 'use --set or a values file instead',
  'set-literal': 'use --set-string instead',
  debug: 'the output of a failed render is not printed',
  'post-renderer': 'post-renderers are not run',
  'dry-run': 'the chart is always rendered without a cluster',
  validate: 'the chart is always rendered without a cluster',
};

/** Parses the arguments after `template` as Helm's pflag would. */
export function parseTemplateArgs(args: string[]): ParsedTemplateArgs {
  const req: TemplateRequest = {
    chart: '',
    valueFiles: [],
    set: [],
    setString: [],
    apiVersions: [],
    showOnly: [],
    notes: false,
    includeCrds: false,
    skipTests: false,
    isUpgrade: false,
  };
  const positionals: string[] = [];
  let releaseFlag: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let shown: string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
      shown = `--${name}`;
      if (name in UNSUPPORTED) return { usageError: `${shown} is not supported by kube-manifests template: ${UNSUPPORTED[name]}` };
      if (!VALUE_FLAGS.has(name) && !BOOL_FLAGS.has(name)) return { usageError: `unknown option ${shown}` };
    } else {
      const long = SHORT[a[1]];
      shown = `-${a[1]}`;
      if (!long) return { usageError: `unknown option ${shown}` };
      name = long;
      const rest = a.slice(2);
      if (rest !== '') inline = rest.startsWith('=') ? rest.slice(1) : rest;
    }
    if (BOOL_FLAGS.has(name)) {
      let on = true;
      if (inline !== undefined) {
        if (/^(1|t|true|TRUE|True)$/.test(inline)) on = true;
        else if (/^(0|f|false|FALSE|False)$/.test(inline)) on = false;
        else return { usageError: `${shown} takes true or false, not "${inline}"` };
      }
      if (name === 'help') {
        if (on) return { help: true };
      } else if (name === 'notes') req.notes = on;
      else if (name === 'include-crds') req.includeCrds = on;
      else if (name === 'skip-tests') req.skipTests = on;
      else req.isUpgrade = on;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= args.length) return { usageError: `${shown} needs a value` };
      value = args[++i];
    }
    switch (name as ValueFlag) {
      case 'values':
        req.valueFiles.push(...splitCsv(value));
        break;
      case 'set':
        req.set.push(value);
        break;
      case 'set-string':
        req.setString.push(value);
        break;
      case 'release-name':
        releaseFlag = value;
        break;
      case 'namespace':
        req.namespace = value;
        break;
      case 'kube-version':
        req.kubeVersion = value;
        break;
      case 'api-versions':
        req.apiVersions.push(...splitCsv(value));
        break;
      case 'show-only':
        req.showOnly.push(value);
        break;
    }
  }
  if (positionals.length === 0) return { usageError: 'no chart given: name a chart folder or a .tgz file' };
  if (positionals.length > 2) {
    return { usageError: `expected at most two arguments (NAME and CHART), unexpected arguments: ${positionals.slice(2).join(', ')}` };
  }
  if (positionals.length === 2) {
    if (releaseFlag !== undefined && releaseFlag !== positionals[0]) {
      return { usageError: `two release names: "${positionals[0]}" and --release-name "${releaseFlag}"; give one` };
    }
    releaseFlag = positionals[0];
  }
  req.chart = positionals[positionals.length - 1];
  if (releaseFlag !== undefined) req.releaseName = releaseFlag;
  return { request: req };
}

/**
 * pflag's StringSlice: the value is one CSV record (encoding/csv), so `a.yaml,b.yaml` is two
 * entries and `"a,b.yaml"` one; an empty value adds nothing.
 */
export function splitCsv(value: string): string[] {
  if (value === '') return [];
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        const q = value.indexOf('"', i);
        if (q < 0) {
          field += value.slice(i);
          i = value.length;
          break;
        }
        field += value.slice(i, q);
        i = q + 1;
        if (value[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      const comma = value.indexOf(',', i);
      field += comma < 0 ? value.slice(i) : value.slice(i, comma);
      i = comma < 0 ? value.length : comma;
    } else {
      const comma = value.indexOf(',', i);
      field = comma < 0 ? value.slice(i) : value.slice(i, comma);
      i = comma < 0 ? value.length : comma;
    }
    out.push(field);
    if (i >= value.length) break;
    i++; // the comma
    if (i === value.length) {
      out.push('');
      break;
    }
  }
  return out;
}

/** A failure worded for the user (printed as `Error: <message>`). */
class TemplateFailure extends Error {}

/**
 * Renders the request as `helm template` does: reads the chart and the values files, runs the
 * engine. Needs a large stack for deep `include`s: `runTemplateCommand` calls it in a worker.
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

// ---------------------------------------------------------------------------------------------
// The command and its worker

const WORKER_KIND = 'kube-manifests/template';

/**
 * The worker's stack (MB). Go's stacks grow to 1 GB, so Helm reaches its limit of 1000 nested
 * `include`s whatever a define holds; one level of a small define takes about 1.5 KB of ours, a
 * define with nested range/with/if blocks several times that. The memory is only reserved: pages
 * are used as the recursion reaches them.
 */
const WORKER_STACK_MB = 256;

interface WorkerInput {
  kind: typeof WORKER_KIND;
  request: TemplateRequest;
}

/** Whether this thread is the render worker `runTemplateCommand` started. */
export function isTemplateWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerInput> | null)?.kind === WORKER_KIND;
}

/** The worker's body: renders the request it was given and posts the outcome back. */
export function templateWorkerMain(): void {
  const { request } = workerData as WorkerInput;
  parentPort!.postMessage(renderTemplate(request));
}

/** `kube-manifests template ...`: parses the arguments, renders in a worker, prints; the exit code. */
export async function runTemplateCommand(args: string[], script: string = __filename): Promise<number> {
  const parsed = parseTemplateArgs(args);
  if ('help' in parsed) {
    process.stdout.write(TEMPLATE_USAGE + '\n');
    return 0;
  }
  if ('usageError' in parsed) {
    process.stderr.write(`kube-manifests template: ${parsed.usageError}\n\n${TEMPLATE_USAGE}\n`);
    return 2;
  }
  const request = parsed.request;
  if (request.valueFiles.some((f) => f.trim() === '-')) request.stdin = new TextDecoder('utf-8').decode(fs.readFileSync(0));
  const outcome = await inWorker(script, request);
  // `kube-manifests template chart | head`: a reader that leaves early is no error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  return outcome.code;
}

function inWorker(script: string, request: TemplateRequest): Promise<TemplateOutcome> {
  return new Promise((resolve) => {
    const input: WorkerInput = { kind: WORKER_KIND, request };
    const worker = new Worker(script, { workerData: input, resourceLimits: { stackSizeMb: WORKER_STACK_MB }, stdout: false, stderr: false });
    let outcome: TemplateOutcome | undefined;
    let failure: unknown;
    worker.on('message', (m: TemplateOutcome) => (outcome = m));
    worker.on('error', (e) => (failure = e));
    worker.on('exit', (exitCode) => {
      if (outcome) return resolve(outcome);
      const why = failure instanceof Error ? (failure.stack ?? failure.message) : failure !== undefined ? String(failure) : `the render stopped (exit code ${exitCode})`;
      resolve({ stdout: '', stderr: `kube-manifests template: internal error while rendering: ${why}\n`, code: 2 });
    });
  });
}
