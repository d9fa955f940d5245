/**
 * `.Values` as templates see it: Helm's common.Values, a map[string]interface{} with methods
 * (YAML, Table, AsMap, PathValue, Encode). A method wins over a key of the same name, as in Go;
 * everything else reads it as the map it is.
 */
import { formatV } from './fmt';
import { marshalYaml } from './goyaml';
import { quoteGo } from './printf';
import { FuncDef, GoError, GoMap, GoStruct, hasKey, isGoMap, Value } from './value';

export class ValuesObject extends GoStruct {
  readonly goType = 'common.Values';
  constructor(readonly map: GoMap) {
    super();
  }
  override asMap(): GoMap {
    return this.map;
  }
  override format(): string {
    return formatV(this.map);
  }
  override jsonValue(): Value {
    return this.map;
  }
  /** deepCopy keeps the named type (see funcs/defaults.ts). */
  withMap(m: GoMap): ValuesObject {
    return new ValuesObject(m);
  }
  override method(name: string): FuncDef | undefined {
    const m = this.map;
    switch (name) {
      case 'YAML':
        return { name, params: [], result: 'string', returnsError: true, fn: () => marshalYaml(m) };
      case 'AsMap':
        return { name, params: [], result: 'map[string]interface {}', fn: () => m };
      case 'Table':
        return { name, params: ['string'], result: 'common.Values', returnsError: true, fn: (n: Value) => new ValuesObject(table(m, n as string)) };
      case 'PathValue':
        return { name, params: ['string'], result: 'interface {}', returnsError: true, fn: (p: Value) => pathValue(m, p as string) };
      case 'Encode':
        // Encode(io.Writer): no template can make a writer; Go reports the argument type.
        return { name, params: ['io.Writer'], result: 'error', fn: () => null };
    }
    return undefined;
  }
}

/** Values.Table: the map at a dotted path; `"x" is not a table` otherwise. */
function table(v: GoMap, name: string): GoMap {
  let t = v;
  for (const part of name.split('.')) {
    if (!hasKey(t, part)) throw new GoError(`${quoteGo(part)} is not a table`);
    const next = t[part];
    if (isGoMap(next)) t = next;
    else if (next instanceof ValuesObject) t = next.map;
    else throw new GoError(`${quoteGo(part)} is not a table`);
  }
  return t;
}

/** Values.PathValue: a non-map value at a dotted path; `"x" is not a value` otherwise. */
function pathValue(v: GoMap, path: string): Value {
  if (path === '') throw new GoError('YAML path cannot be empty');
  const parts = path.split('.');
  const key = parts[parts.length - 1];
  let t: GoMap = v;
  if (parts.length > 1) {
    try {
      t = table(v, parts.slice(0, -1).join('.'));
    } catch {
      throw new GoError(`${quoteGo(key)} is not a value`);
    }
  }
  if (hasKey(t, key) && !isGoMap(t[key])) return t[key] ?? null;
  throw new GoError(`${quoteGo(key)} is not a value`);
}
