/**
 * `kube-manifests template [NAME] CHART [flags]`: the command line read as Helm's pflag reads it,
 * and the render: on the main thread first (dist/template-engine.js loaded through V8's code cache,
 * ./codeCache.ts), and again in a worker thread with a large stack (dist/template-worker.js,
 * ./templateWorker.ts) only when the first render may have been cut short by the main thread's
 * stack (../helm/stackBudget.ts). Starting a thread costs about as much as the whole render of a
 * small chart, so most runs never start one.
 *
 * Flags are read as Helm's pflag reads them: `--flag value`, `--flag=value`, `-f value`,
 * `-fvalue`, `-f=value`, flags and positionals in any order, `--` ends the flags. `-f/--values`
 * and `-a/--api-versions` are comma-separated lists (pflag's StringSlice); `--set`,
 * `--set-string` and `-s/--show-only` are taken whole (StringArray). `--release-name NAME` is
 * the reference renderer's spelling of the positional NAME (in Helm it only names the output-dir).
 *
 * Stack: `include` may nest 1000 times before Helm stops it, deeper than a default Node stack
 * holds, hence the worker. Changing V8's stack size on the main thread instead can overrun the
 * real thread stack and crash; re-running node with `--stack-size` costs a second process start.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { requireWithCodeCache } from './codeCache';

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

// ---------------------------------------------------------------------------------------------
// The command, its engine and its worker

/** The engine's bundle and the render worker's, next to dist/cli.js (esbuild.mjs builds them). */
export const TEMPLATE_ENGINE_FILE = 'template-engine.js';
export const TEMPLATE_WORKER_FILE = 'template-worker.js';

/**
 * The worker's stack (MB). Go's stacks grow to 1 GB, so Helm reaches its limit of 1000 nested
 * `include`s whatever a define holds; one level of a small define takes about 1.5 KB of ours, a
 * define with nested range/with/if blocks several times that. The memory is only reserved: pages
 * are used as the recursion reaches them.
 */
const WORKER_STACK_MB = 256;

/** Renders in the worker: it loads the engine, takes one `TemplateRequest`, posts back one `TemplateOutcome` and ends. */
export function renderInWorker(request: TemplateRequest, script: string = path.join(__dirname, TEMPLATE_WORKER_FILE)): Promise<TemplateOutcome> {
  const worker = new Worker(script, { resourceLimits: { stackSizeMb: WORKER_STACK_MB }, stdout: false, stderr: false });
  return new Promise<TemplateOutcome>((resolve) => {
    let result: TemplateOutcome | undefined;
    let failure: unknown;
    worker.on('message', (m: TemplateOutcome) => {
      // Printed at once; the thread ends by itself meanwhile (it closes its port).
      result = m;
      resolve(m);
    });
    worker.on('error', (e) => (failure = e));
    worker.on('exit', (exitCode) => {
      if (result) return resolve(result);
      resolve(internalError(failure !== undefined ? failure : `the render stopped (exit code ${exitCode})`));
    });
    worker.postMessage(request);
  });
}

function internalError(e: unknown): TemplateOutcome {
  const why = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { stdout: '', stderr: `kube-manifests template: internal error while rendering: ${why}\n`, code: 2 };
}

/** Renders on this thread; in the worker when this thread's stack may be too small for the chart. */
export async function renderRequest(request: TemplateRequest): Promise<TemplateOutcome> {
  let outcome: TemplateOutcome | undefined;
  try {
    const engine = requireWithCodeCache<typeof import('./templateEngine')>(path.join(__dirname, TEMPLATE_ENGINE_FILE));
    outcome = engine.exports.renderTemplateOnDefaultStack(request);
    engine.save();
  } catch (e) {
    return internalError(e);
  }
  return outcome ?? renderInWorker(request);
}

/** `kube-manifests template ...`: parses the arguments, renders, prints; the exit code. */
export async function runTemplateCommand(args: string[]): Promise<number> {
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
  const outcome = await renderRequest(request);
  // `kube-manifests template chart | head`: a reader that leaves early is no error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  return outcome.code;
}
