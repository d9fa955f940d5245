/**
 * The serialization functions of Helm's template engine (pkg/engine/funcs.go) and the sprig JSON
 * functions Helm does not replace:
 *
 * | function          | from   | on error                                  |
 * |-------------------|--------|-------------------------------------------|
 * | toYaml            | Helm   | ""                                        |
 * | mustToYaml        | Helm 4 | panics (template error)                   |
 * | toYamlPretty      | Helm   | "" (yaml.v3, indented sequences)          |
 * | fromYaml          | Helm   | the map `{Error: msg}`                    |
 * | fromYamlArray     | Helm   | the list `[msg]`                          |
 * | toJson            | Helm   | ""                                        |
 * | mustToJson        | Helm 4 | panics                                    |
 * | fromJson          | Helm   | the map `{Error: msg}` (merged into what was read) |
 * | fromJsonArray     | Helm   | the list `[msg]`                          |
 * | toToml            | Helm   | the error text as the result              |
 * | mustToToml        | Helm 4 | panics                                    |
 * | fromToml          | Helm   | the map `{Error: msg}`                    |
 * | toPrettyJson      | sprig  | "" (MarshalIndent with two spaces)        |
 * | mustToPrettyJson  | sprig  | the error                                 |
 * | toRawJson         | sprig  | panics (no HTML escaping)                 |
 * | mustToRawJson     | sprig  | the error                                 |
 * | mustFromJson      | sprig  | the error (any JSON value, nil for null)  |
 *
 * Helm's toJson, mustToJson and fromJson replace sprig's of the same names in Helm's FuncMap.
 */
import { marshalJSON, unmarshalJSON, unmarshalJSONInto } from '../gojson';
import { fromYaml, fromYamlArray, marshalYaml, marshalYamlV3 } from '../goyaml';
import { decodeToml, encodeToml } from '../gotoml';
import { def, GoError, GoMap, GoPanic, Value } from '../value';
import type { FuncFamily } from './env';

function trimNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

/** Runs f; a GoError becomes the fallback value. */
function orElse<T>(f: () => T, fallback: (msg: string) => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoError) return fallback(e.message);
    throw e;
  }
}

/** Runs f; a GoError becomes a panic (Helm's must* functions panic with the error). */
function orPanic<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoError) throw new GoPanic(e.message);
    throw e;
  }
}

export const serializeFuncs: FuncFamily = (map) => {
  // YAML
  def(map, 'toYaml', ['interface {}'], 'string', (v: Value) => orElse(() => trimNewline(marshalYaml(v)), () => ''));
  def(map, 'mustToYaml', ['interface {}'], 'string', (v: Value) => orPanic(() => trimNewline(marshalYaml(v))));
  def(map, 'toYamlPretty', ['interface {}'], 'string', (v: Value) => orElse(() => trimNewline(marshalYamlV3(v)), () => ''));
  def(map, 'fromYaml', ['string'], 'map[string]interface {}', (s: string) => fromYaml(s));
  def(map, 'fromYamlArray', ['string'], '[]interface {}', (s: string) => fromYamlArray(s));

  // JSON (Helm's)
  def(map, 'toJson', ['interface {}'], 'string', (v: Value) => orElse(() => marshalJSON(v), () => ''));
  def(map, 'mustToJson', ['interface {}'], 'string', (v: Value) => orPanic(() => marshalJSON(v)));
  def(map, 'fromJson', ['string'], 'map[string]interface {}', (s: string) => {
    const r = unmarshalJSONInto(s, 'map');
    const m = r.value as GoMap;
    if (r.err !== undefined) m.Error = r.err;
    return m;
  });
  def(map, 'fromJsonArray', ['string'], '[]interface {}', (s: string) => {
    const r = unmarshalJSONInto(s, 'array');
    return r.err !== undefined ? [r.err] : (r.value as Value[]);
  });

  // JSON (sprig's)
  def(map, 'toPrettyJson', ['interface {}'], 'string', (v: Value) => orElse(() => marshalJSON(v, { indent: '  ' }), () => ''));
  def(map, 'mustToPrettyJson', ['interface {}'], 'string', (v: Value) => marshalJSON(v, { indent: '  ' }), { returnsError: true });
  def(map, 'toRawJson', ['interface {}'], 'string', (v: Value) => orPanic(() => marshalJSON(v, { escapeHTML: false })));
  def(map, 'mustToRawJson', ['interface {}'], 'string', (v: Value) => marshalJSON(v, { escapeHTML: false }), { returnsError: true });
  def(map, 'mustFromJson', ['string'], 'interface {}', (s: string) => unmarshalJSON(s), { returnsError: true });

  // TOML
  def(map, 'toToml', ['interface {}'], 'string', (v: Value) => orElse(() => encodeToml(v), (msg) => msg));
  def(map, 'mustToToml', ['interface {}'], 'string', (v: Value) => orPanic(() => encodeToml(v)));
  def(map, 'fromToml', ['string'], 'map[string]interface {}', (s: string) => orElse(() => decodeToml(s), (msg): GoMap => ({ Error: msg })));
};
