/**
 * Links from a diagnostic code to its page in docs/rules.md (generated from
 * the rules' own metadata). The docs ship inside the extension, so the link
 * works offline; KUBE_MANIFESTS_DOCS_URL can point elsewhere.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ruleMeta } from '../rules/index';

let base: string | null | undefined;

export function ruleDocUrl(code: string): string | undefined {
  if (!ruleMeta(code)) return undefined;
  if (base === undefined) {
    const fromEnv = process.env.KUBE_MANIFESTS_DOCS_URL;
    if (fromEnv) base = fromEnv;
    else {
      const file = [path.join(__dirname, '..', 'docs', 'rules.md'), path.join(__dirname, '..', '..', '..', 'docs', 'rules.md')].find((f) => fs.existsSync(f));
      base = file ? 'file://' + file.split(path.sep).join('/') : null;
    }
  }
  return base ? `${base}#${code}` : undefined;
}
