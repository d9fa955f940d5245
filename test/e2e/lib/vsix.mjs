// Lists the entries of a .vsix (a zip file) by reading its central directory; no unzip needed.
import fs from 'node:fs';

export function listZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size, compressed });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

export const MAX_VSIX_BYTES = 2 * 1024 * 1024;

/** Problems with the package's contents; empty when it is fine. */
export function checkVsix(file) {
  const problems = [];
  const bytes = fs.statSync(file).size;
  if (bytes > MAX_VSIX_BYTES) problems.push(`${file} is ${bytes} bytes (more than 2 MB)`);
  const names = listZip(file).map((e) => e.name);
  for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/images/icon.png', 'extension/LICENSE.txt']) {
    if (!names.includes(required)) problems.push(`missing ${required}`);
  }
  if (!names.some((n) => /^extension\/schemas\/.+\.json$/.test(n))) problems.push('no schemas/*.json');
  const allowed = /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|images\/icon\.png|dist\/[^/]+\.js|schemas\/[^/]+\.json|snippets\/[^/]+\.json|docs\/rules\.md|syntaxes\/helm\.tmLanguage\.json|language-configuration-helm\.json))$/i;
  for (const n of names) if (!allowed.test(n)) problems.push(`unexpected file in the package: ${n}`);
  return { bytes, names, problems };
}
