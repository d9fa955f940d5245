/**
 * Where a values path is set in a values file's text: the key's offsets and line, from the keys
 * valuesRefs.ts reads (YAML 1.1 as Helm reads it; several documents: the last one wins, as Helm
 * merges them; of duplicate keys the last one wins too).
 */
import { valuesKeys, ValuesKey } from './valuesRefs';

export type ValueLocation = Pick<ValuesKey, 'keyStart' | 'keyEnd' | 'line' | 'valueStart' | 'valueEnd'>;

const cache = new Map<string, Map<string, ValuesKey>>();

export function locateValue(text: string, path: string[]): ValueLocation | undefined {
  if (path.length === 0) return undefined;
  let byPath = cache.get(text);
  if (!byPath) {
    byPath = new Map();
    // Later keys (later documents, later duplicates) replace earlier ones.
    for (const k of valuesKeys(text)) if (!k.viaAlias) byPath.set(k.path.join('\u0000'), k);
    if (cache.size > 32) cache.clear();
    cache.set(text, byPath);
  }
  return byPath.get(path.join('\u0000'));
}
