/**
 * Reads the generated schemas from disk for the LSP server and the CLI. The
 * bundles live in dist/, the schemas in schemas/ next to it (also inside the
 * .vsix). KUBE_MANIFESTS_SCHEMAS overrides the folder (tests).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ReadJson } from '../schema/schemaStore';

export function schemaDirectory(): string {
  const fromEnv = process.env.KUBE_MANIFESTS_SCHEMAS;
  if (fromEnv) return fromEnv;
  const candidates = [path.join(__dirname, '..', 'schemas'), path.join(__dirname, '..', '..', '..', 'schemas')];
  return candidates.find((c) => fs.existsSync(path.join(c, 'index.json'))) ?? candidates[0];
}

export function nodeSchemaReader(dir = schemaDirectory()): ReadJson {
  return (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
}
