#!/usr/bin/env node
// Generates schemas/ from the pinned kubernetes-models package (Kubernetes 1.36 API).
//
// The package ships one .d.ts file per API type with the upstream field descriptions
// as doc comments and enum values as literal union types. Each file also exports its
// interface under a fully-qualified alias (IIoK8sApiAppsV1DeploymentSpec): we key every
// definition by that alias, never by the bare name (IDeploymentSpec exists in apps/v1,
// apps/v1beta1, apps/v1beta2 and extensions/v1beta1 with different fields).
//
// We read the files with the TypeScript parser alone (no type checker, no program):
// their shapes are regular, and the whole run takes about a second.
//
// Output:
//   schemas/_definitions.json   every definition, JSON Schema draft-07
//   schemas/<alias>.json        one root schema per apiVersion/kind, $ref into _definitions.json
//   schemas/index.json          apiVersion/kind -> file and definition, source version
//
// `--if-stale` skips the work when schemas/index.json was made from the same
// kubernetes-models version by the same version of this script.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nm = path.join(root, 'node_modules');
const modelsDir = path.join(nm, 'kubernetes-models');
const outDir = path.join(root, 'schemas');
const modelsVersion = JSON.parse(fs.readFileSync(path.join(modelsDir, 'package.json'), 'utf8')).version;
const scriptHash = crypto.createHash('sha256').update(fs.readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 16);
const stamp = `${modelsVersion}:${scriptHash}`;

if (process.argv.includes('--if-stale')) {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(outDir, 'index.json'), 'utf8'));
    if (index.stamp === stamp) process.exit(0);
  } catch { /* missing or unreadable: regenerate */ }
}
const started = Date.now();

/** Definitions whose numbers are real numbers upstream (format double); every other TS `number` is an integer. */
const floatDefinitions = new Set([
  'IIoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps',
  'IIoK8sApiextensionsApiserverPkgApisApiextensionsV1beta1JSONSchemaProps',
]);
/** Empty interfaces that stand for any JSON value (a CRD schema's enum items, default, example). */
const anyJsonValue = new Set([
  'IIoK8sApiextensionsApiserverPkgApisApiextensionsV1JSON',
  'IIoK8sApiextensionsApiserverPkgApisApiextensionsV1beta1JSON',
]);
/** Type aliases that accept an integer or a string (`port: 8080` or `port: http`; `cpu: 1` or `cpu: 500m`). */
const intOrString = {
  IIoK8sApimachineryPkgUtilIntstrIntOrString: 'int-or-string',
  IIoK8sApimachineryPkgApiResourceQuantity: 'quantity',
};

/** Parsed .d.ts files by absolute path. */
const files = new Map();
function load(file) {
  let f = files.get(file);
  if (f) return f;
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  f = { file, sf, imports: new Map(), decls: new Map(), aliases: new Map() };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      const spec = st.moduleSpecifier.text;
      for (const el of st.importClause.namedBindings.elements) f.imports.set(el.name.text, { spec, name: (el.propertyName ?? el.name).text });
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      f.decls.set(st.name.text, st);
    } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (el.propertyName) f.aliases.set(el.name.text, el.propertyName.text);
    }
  }
  files.set(file, f);
  return f;
}
function resolveModule(fromFile, spec) {
  let base = spec.startsWith('.') ? path.resolve(path.dirname(fromFile), spec) : path.join(nm, spec);
  base = base.replace(/\.js$/, '');
  return base + '.d.ts';
}
/** The fully-qualified alias under which a file exports a local declaration. */
function qualifiedName(f, local) {
  for (const [exported, original] of f.aliases) if (original === local && exported.startsWith('IIoK8s')) return exported;
  throw new Error(`${f.file}: no fully-qualified alias for ${local}`);
}

const definitions = {};
const pending = [];
/** Returns the $ref for a declaration, queueing it for conversion. */
function refTo(file, local) {
  const f = load(file);
  const decl = f.decls.get(local);
  if (!decl) {
    // An alias exported by this file (export type { IX as IIoK8s...X }).
    const orig = f.aliases.get(local);
    if (orig) return refTo(file, orig);
    throw new Error(`${file}: cannot find ${local}`);
  }
  const name = qualifiedName(f, local);
  if (!(name in definitions)) { definitions[name] = null; pending.push({ f, decl, name }); }
  return { $ref: `_definitions.json#/definitions/${name}` };
}
function refByName(f, typeName) {
  if (f.decls.has(typeName)) return refTo(f.file, typeName);
  const imp = f.imports.get(typeName);
  if (!imp) throw new Error(`${f.file}: unknown type ${typeName}`);
  return refTo(resolveModule(f.file, imp.spec), imp.name);
}

function docOf(node) {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  if (!docs.length) return undefined;
  const c = docs[docs.length - 1].comment;
  const text = typeof c === 'string' ? c : c?.map((p) => p.text).join('');
  return text?.trim() || undefined;
}

function convertType(t, f, defName) {
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword: return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword: return { type: floatDefinitions.has(defName) ? 'number' : 'integer' };
    case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword: case ts.SyntaxKind.UnknownKeyword: case ts.SyntaxKind.ObjectKeyword: return {};
    case ts.SyntaxKind.LiteralType: {
      const lit = t.literal;
      if (ts.isStringLiteral(lit)) return { type: 'string', enum: [lit.text] };
      if (ts.isNumericLiteral(lit)) return { type: 'integer', enum: [Number(lit.text)] };
      if (lit.kind === ts.SyntaxKind.TrueKeyword || lit.kind === ts.SyntaxKind.FalseKeyword) return { type: 'boolean' };
      if (lit.kind === ts.SyntaxKind.NullKeyword) return { type: 'null' };
      break;
    }
    case ts.SyntaxKind.UnionType: {
      const parts = t.types.map((p) => convertType(p, f, defName));
      if (parts.every((p) => p.type === 'string' && p.enum)) return { type: 'string', enum: parts.flatMap((p) => p.enum) };
      const types = [...new Set(parts.map((p) => p.type))];
      if (parts.every((p) => typeof p.type === 'string' && !p.enum && !p.$ref)) return { type: types };
      return { anyOf: parts };
    }
    case ts.SyntaxKind.ArrayType: return { type: 'array', items: convertType(t.elementType, f, defName) };
    case ts.SyntaxKind.ParenthesizedType: return convertType(t.type, f, defName);
    case ts.SyntaxKind.TypeReference: {
      const n = t.typeName.getText(f.sf);
      if (n === 'Array' && t.typeArguments?.length === 1) return { type: 'array', items: convertType(t.typeArguments[0], f, defName) };
      if (n === 'Record' && t.typeArguments?.length === 2) return { type: 'object', additionalProperties: convertType(t.typeArguments[1], f, defName) };
      return refByName(f, n);
    }
    case ts.SyntaxKind.TypeLiteral: return convertMembers(t.members, f, defName);
  }
  throw new Error(`${f.file}: unsupported type ${ts.SyntaxKind[t.kind]}: ${t.getText(f.sf)}`);
}

function convertMembers(members, f, defName) {
  const out = { type: 'object' };
  const properties = {};
  const required = [];
  for (const m of members) {
    if (ts.isIndexSignatureDeclaration(m)) { out.additionalProperties = convertType(m.type, f, defName); continue; }
    if (!ts.isPropertySignature(m)) continue;
    const key = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(f.sf);
    const prop = m.type ? convertType(m.type, f, defName) : {};
    const description = docOf(m);
    properties[key] = description ? { description, ...prop } : prop;
    if (!m.questionToken) required.push(key);
  }
  if (Object.keys(properties).length) out.properties = properties;
  if (required.length) out.required = required;
  if (!('additionalProperties' in out)) out.additionalProperties = Object.keys(properties).length ? false : {};
  return out;
}

function convertDecl({ f, decl, name }) {
  let body;
  if (anyJsonValue.has(name)) body = {};
  else if (ts.isInterfaceDeclaration(decl)) body = convertMembers(decl.members, f, name);
  else {
    body = convertType(decl.type, f, name);
    if (intOrString[name]) body = { type: [intOrString[name] === 'quantity' ? 'number' : 'integer', 'string'], format: intOrString[name] };
  }
  const description = docOf(decl);
  definitions[name] = description ? { description, ...body } : body;
}

/** Every model class that carries apiVersion and kind. */
function findKinds() {
  const kinds = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('_') || entry.name === 'node_modules') continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js')) {
        const m = /this\.apiVersion="([^"]+)"\}static\{this\.kind="([^"]+)"/.exec(fs.readFileSync(p, 'utf8'));
        if (m) kinds.push({ apiVersion: m[1], kind: m[2], dts: p.replace(/\.js$/, '.d.ts') });
      }
    }
  };
  walk(modelsDir);
  kinds.sort((a, b) => (a.apiVersion + '/' + a.kind).localeCompare(b.apiVersion + '/' + b.kind));
  return kinds;
}

const kinds = findKinds();
const index = { stamp, source: `kubernetes-models@${modelsVersion}`, kinds: [] };
for (const k of kinds) {
  const ref = refTo(k.dts, `I${k.kind}`);
  index.kinds.push({ apiVersion: k.apiVersion, kind: k.kind, definition: ref.$ref.split('/').pop() });
}
while (pending.length) convertDecl(pending.pop());

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
for (const entry of index.kinds) {
  entry.file = `${entry.apiVersion.replace(/[^A-Za-z0-9]/g, '_')}_${entry.kind}.json`;
  const def = definitions[entry.definition];
  entry.description = def.description ?? '';
  fs.writeFileSync(path.join(outDir, entry.file), JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#', $id: entry.file,
    $ref: `_definitions.json#/definitions/${entry.definition}`,
  }));
}
const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(path.join(outDir, '_definitions.json'), JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', $id: '_definitions.json', definitions: sorted }));
fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index, null, 1));
console.log(`schemas: ${index.kinds.length} kinds, ${Object.keys(definitions).length} definitions from kubernetes-models@${modelsVersion} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
