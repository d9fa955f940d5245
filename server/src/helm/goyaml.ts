/**
 * YAML as Helm reads and writes it: sigs.k8s.io/yaml over go-yaml v2.
 *
 * Reading (values files, `fromYaml`, `fromYamlArray`, Chart.yaml): go-yaml v2 decodes the first
 * document with YAML 1.1 types (goyamlScan.ts parses, goyamlResolve.ts types the scalars), then
 * sigs.k8s.io/yaml turns the result into JSON (non-string keys become strings: `1` → "1", `true`
 * → "true", floats with float32 precision, a null key is an error) and json.Unmarshal reads it
 * back, so every number is a float64 and timestamps stay strings. Errors carry the wrappers'
 * texts (`error converting YAML to JSON: yaml: line 3: did not find expected key`).
 *
 * Writing (`toYaml`): see goyamlEmit.ts.
 */
import { formatFloat } from './fmt';
import { decodeGoUTF8, jsonKindOf, sortedGoKeys } from './gojson';
import { marshalYaml, marshalYamlV3 } from './goyamlEmit';
import { BINARY_TAG, INT_TAG, MERGE_TAG, Resolved, STR_TAG, resolve } from './goyamlResolve';
import { ALIAS, MAPPING, SCALAR, SEQUENCE, YamlFail, YamlNode, parseYamlNode } from './goyamlScan';
import { GoError, GoMap, Value, isGoMap } from './value';
import { noteStackOverflow } from './stackBudget';

export { marshalYaml, marshalYamlV3, sortYamlKeys } from './goyamlEmit';

/** Sets a key of a Go map (also `__proto__`, as an own key). */
export function setMapKey(m: GoMap, k: string, v: Value): void {
  if (k === '__proto__') Object.defineProperty(m, k, { value: v, writable: true, enumerable: true, configurable: true });
  else m[k] = v;
}

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

/** A decoded map key before sigs.k8s.io/yaml turns it into a string. */
type Key = Resolved | { collection: Value; kind: 'map' | 'slice' };

/** Go's %#v of a decoded value (for the error texts that print one). */
function goSyntax(v: Value, top = true): string {
  if (v === null || v === undefined) return top ? '<nil>' : 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatFloat(v);
  if (Array.isArray(v)) return '[]interface {}{' + v.map((x) => goSyntax(x, false)).join(', ') + '}';
  if (isGoMap(v)) {
    return (
      'map[interface {}]interface {}{' +
      sortedGoKeys(v)
        .map((k) => goQuote(k) + ':' + goSyntax(v[k], false))
        .join(', ') +
      '}'
    );
  }
  return String(v);
}

const GO_PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** strconv.Quote: printable characters as they are, others escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/**
 * go-yaml's decoder into interface{} fused with sigs.k8s.io/yaml's conversion to JSON-able
 * values: numbers come out as float64 directly, keys as strings. Decoder errors throw at once;
 * the converter's (a key it cannot make a string of) and json.Marshal's (NaN, infinities) are
 * kept and thrown after decoding, since in Go those steps run after the decoder has finished.
 */
class Decoder {
  private decodeCount = 1; // the document node
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly aliases = new Set<YamlNode>();
  convertError: string | undefined;
  nonFinite = false;

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new YamlFail('document contains excessive aliasing');
    }
  }

  private enterAlias(n: YamlNode): YamlNode {
    if (this.aliases.has(n)) throw new YamlFail(`anchor '${n.value}' value contains itself`);
    this.aliases.add(n);
    this.aliasDepth++;
    return n.alias!;
  }

  private leaveAlias(n: YamlNode): void {
    this.aliasDepth--;
    this.aliases.delete(n);
  }

  decode(n: YamlNode): Value {
    this.count();
    switch (n.kind) {
      case ALIAS: {
        const target = this.enterAlias(n);
        const v = this.decode(target);
        this.leaveAlias(n);
        return v;
      }
      case SCALAR:
        return this.scalarValue(this.scalar(n));
      case SEQUENCE: {
        const out: Value[] = new Array(n.children.length);
        for (let i = 0; i < n.children.length; i++) out[i] = this.decode(n.children[i]);
        return out;
      }
      default: {
        const m: GoMap = {};
        this.mapping(n, m);
        return m;
      }
    }
  }

  /** A scalar as go-yaml resolves it (`!!binary` decoded). */
  private scalar(n: YamlNode): Resolved {
    if (n.tag === '' && !n.implicit) return { tag: STR_TAG, value: n.value };
    const r = resolve(n.tag, n.value);
    if (r.tag === BINARY_TAG) {
      const bytes = decodeStdBase64(String(r.value));
      if (!bytes) throw new YamlFail('!!binary value contains invalid base64 data');
      return { tag: BINARY_TAG, value: decodeGoUTF8(bytes) };
    }
    return r;
  }

  private scalarValue(r: Resolved): Value {
    const v = r.value;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' && !Number.isFinite(v)) this.nonFinite = true;
    return v;
  }

  private mapping(n: YamlNode, out: GoMap): void {
    const c = n.children;
    for (let i = 0; i < c.length; i += 2) {
      const k = c[i];
      if (k.kind === SCALAR && k.value === '<<' && (k.implicit || k.tag === MERGE_TAG)) {
        this.merge(c[i + 1], out);
        continue;
      }
      const key = this.key(k);
      if ('collection' in key) {
        throw new YamlFail(`invalid map key: ${goSyntax(key.collection)}`);
      }
      const v = this.decode(c[i + 1]);
      setMapKey(out, this.keyString(key, v), v);
    }
  }

  /** Decodes a key, keeping its Go type. */
  private key(n: YamlNode): Key {
    this.count();
    if (n.kind === ALIAS) {
      const target = this.enterAlias(n);
      const k = this.key(target);
      this.leaveAlias(n);
      return k;
    }
    if (n.kind === SCALAR) return this.scalar(n);
    // Decoded in full first (its own errors come first), then refused.
    this.decodeCount--;
    const v = this.decode(n);
    return { collection: v, kind: n.kind === MAPPING ? 'map' : 'slice' };
  }

  /** sigs.k8s.io/yaml's key conversion. */
  private keyString(k: Resolved, value: Value): string {
    const v = k.value;
    switch (typeof v) {
      case 'string':
        return v;
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (k.tag === INT_TAG) return String(v);
        return floatKey(v);
      case 'bigint':
        if (!k.uint) return v.toString();
        this.convertError ??= `Unsupported map key of type: uint64, key: 0x${v.toString(16)}, value: ${goSyntax(value)}`;
        return v.toString();
    }
    // A null key.
    this.convertError ??= `Unsupported map key of type: %!s(<nil>), key: <nil>, value: ${goSyntax(value)}`;
    return '';
  }

  /** A merge key's value: a map, an alias of one, or a sequence of those (earlier ones win). */
  private merge(n: YamlNode, out: GoMap): void {
    const wantMap = (): never => {
      throw new YamlFail('map merge requires map or sequence of maps as the value');
    };
    if (n.kind === MAPPING) {
      this.into(n, out);
    } else if (n.kind === ALIAS) {
      if (n.alias!.kind !== MAPPING) wantMap();
      this.into(n, out);
    } else if (n.kind === SEQUENCE) {
      for (let i = n.children.length - 1; i >= 0; i--) {
        const ni = n.children[i];
        if (ni.kind === ALIAS) {
          if (ni.alias!.kind !== MAPPING) wantMap();
        } else if (ni.kind !== MAPPING) {
          wantMap();
        }
        this.into(ni, out);
      }
    } else {
      wantMap();
    }
  }

  /** d.unmarshal of a mapping (or an alias of one) into an existing map. */
  private into(n: YamlNode, out: GoMap): void {
    this.count();
    if (n.kind === ALIAS) {
      const target = this.enterAlias(n);
      this.into(target, out);
      this.leaveAlias(n);
      return;
    }
    this.mapping(n, out);
  }
}

/** A float key as sigs.k8s.io/yaml prints it: FormatFloat(f, 'g', -1, 32), `.inf`, `.nan`. */
function floatKey(f: number): string {
  const f32 = Math.fround(f);
  if (Number.isNaN(f32)) return '.nan';
  if (f32 === Infinity) return '.inf';
  if (f32 === -Infinity) return '-.inf';
  return formatFloat(f, 32);
}

/** base64.StdEncoding.DecodeString: padding required, CR and LF ignored; undefined when invalid. */
function decodeStdBase64(s: string): Uint8Array | undefined {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t)) return undefined;
  const b = Buffer.from(t, 'base64');
  // StdEncoding is not Strict: non-zero bits in the last character are accepted.
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The first NaN or infinity json.Marshal would meet (keys in sorted order). */
function firstNonFinite(v: Value): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = firstNonFinite(x);
      if (r !== undefined) return r;
    }
  } else if (isGoMap(v)) {
    for (const k of sortedGoKeys(v)) {
      const r = firstNonFinite(v[k]);
      if (r !== undefined) return r;
    }
  }
  return undefined;
}

/**
 * sigs.k8s.io/yaml's YAMLToJSON half of Unmarshal: the JSON-able value of the first document
 * (null for an empty stream), or GoError `error converting YAML to JSON: ...`.
 */
export function yamlToJsonValue(text: string): Value {
  let value: Value = null;
  const d = new Decoder();
  try {
    const root = parseYamlNode(text);
    if (root) value = d.decode(root);
  } catch (e) {
    if (e instanceof YamlFail) throw new GoError('error converting YAML to JSON: yaml: ' + e.message);
    noteStackOverflow(e);
    if (e instanceof RangeError) throw new GoError('error converting YAML to JSON: yaml: exceeded max depth of 10000');
    throw e;
  }
  if (d.convertError !== undefined) throw new GoError('error converting YAML to JSON: ' + d.convertError);
  if (d.nonFinite) {
    const f = firstNonFinite(value);
    if (f !== undefined) {
      const text = Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
      throw new GoError('error converting YAML to JSON: json: unsupported value: ' + text);
    }
  }
  return value;
}

function typeError(v: Value, typeName: string): GoError {
  return new GoError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindOf(v)} into Go value of type ${typeName}`);
}

/**
 * sigs.k8s.io/yaml Unmarshal into a map (Helm's ReadValues with `common.Values`, fromYaml with
 * `map[string]interface {}`): an empty or null document gives an empty map; anything but a
 * mapping is an error naming the Go type.
 */
export function readYamlMap(text: string, typeName = 'map[string]interface {}'): GoMap {
  const v = yamlToJsonValue(text);
  if (v === null) return {};
  if (!isGoMap(v)) throw typeError(v, typeName);
  return v;
}

/** Helm's chartutil/common.ReadValues: values.yaml (or a `-f` file) as a map, or GoError with Helm's message. */
export function readValues(text: string, typeName = 'common.Values'): GoMap {
  return readYamlMap(text, typeName);
}

/** sigs.k8s.io/yaml Unmarshal into []interface{}: null gives an empty list. */
export function readYamlArray(text: string): Value[] {
  const v = yamlToJsonValue(text);
  if (v === null) return [];
  if (!Array.isArray(v)) throw typeError(v, '[]interface {}');
  return v;
}

/** Helm's fromYaml: the map, or `{Error: message}` when the text is not a YAML mapping. */
export function fromYaml(text: string): GoMap {
  try {
    return readYamlMap(text);
  } catch (e) {
    if (e instanceof GoError) return { Error: e.message };
    throw e;
  }
}

/** Helm's fromYamlArray: the list, or `[message]` when the text is not a YAML sequence. */
export function fromYamlArray(text: string): Value[] {
  try {
    return readYamlArray(text);
  } catch (e) {
    if (e instanceof GoError) return [e.message];
    throw e;
  }
}

/** Helm's toYaml: sigs.k8s.io/yaml Marshal without the final line break; "" when it fails. */
export function toYaml(v: Value): string {
  try {
    const s = marshalYaml(v);
    return s.endsWith('\n') ? s.slice(0, -1) : s;
  } catch (e) {
    if (e instanceof GoError) return '';
    throw e;
  }
}

/** Helm's mustToYaml: like toYaml, but the Marshal error is thrown (Helm panics with it). */
export function mustToYaml(v: Value): string {
  const s = marshalYaml(v);
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

/** Helm's toYamlPretty (v3.17+): yaml.v3 with 2-space indentation, without the final line break. */
export function toYamlPretty(v: Value): string {
  const s = marshalYamlV3(v);
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}
