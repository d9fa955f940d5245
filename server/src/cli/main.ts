/**
 * dist/cli.js, the command line's entry: `kube-manifests check [paths...]` (./check.ts, in its own
 * bundle dist/check.js, loaded only for that command) and `kube-manifests template`
 * (./templateCommand.ts here, which loads the Helm engine's bundle dist/template-engine.js), which
 * renders a Helm chart as `helm template` does.
 *
 * This bundle stays small on purpose: a cold start of `template` parses it and the engine's bundle,
 * never the language service's.
 *
 * Exit codes: 0 no errors, 1 at least one error, 2 bad usage.
 */
import * as path from 'path';
import { VERSION } from '../version';
import { runTemplateCommand } from './templateCommand';
import { USAGE } from './usage';

export type { CliResult } from './check';

/** The `check` command's bundle, next to dist/cli.js (esbuild.mjs builds both). */
const CHECK_FILE = 'check.js';

async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  if (args[0] === 'template') return runTemplateCommand(args.slice(1));
  if (args[0] === '-h' || args[0] === '--help' || args.length === 0) {
    process.stdout.write(USAGE + '\n');
    return args.length === 0 ? 2 : 0;
  }
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`kube-manifests ${VERSION}\n`);
    return 0;
  }
  if (args[0] !== 'check') {
    process.stderr.write(`kube-manifests: unknown command "${args[0]}"\n\n${USAGE}\n`);
    return 2;
  }
  // A computed path: esbuild leaves it to Node, so the check command's bundle is loaded only here.
  const check = require(path.join(__dirname, CHECK_FILE)) as typeof import('./check');
  return check.runCheck(args);
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`kube-manifests: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  },
);
