// Draws images/icon.png (128x128): a white seven-spoked wheel on a blue rounded square.
// No dependencies: rasterised with 4x4 supersampling and written as a PNG with node:zlib.
// usage: node images/make-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SIZE = 128;
const SS = 4;
const BLUE = [50, 108, 229];
const WHITE = [255, 255, 255];
const c = SIZE / 2;

const distToSegment = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
};
const heptagon = Array.from({ length: 7 }, (_, i) => {
  const a = -Math.PI / 2 + (i * 2 * Math.PI) / 7;
  return [c + 42 * Math.cos(a), c + 42 * Math.sin(a)];
});

function sample(x, y) {
  // rounded square background
  const r = 26, m = 4;
  const qx = Math.max(m + r - x, 0, x - (SIZE - m - r)), qy = Math.max(m + r - y, 0, y - (SIZE - m - r));
  if (Math.hypot(qx, qy) > r) return null;
  const d = Math.hypot(x - c, y - c);
  let white = false;
  // heptagon rim
  for (let i = 0; i < 7 && !white; i++) {
    const [ax, ay] = heptagon[i], [bx, by] = heptagon[(i + 1) % 7];
    if (distToSegment(x, y, ax, ay, bx, by) < 4.5) white = true;
  }
  // spokes with knobs
  for (let i = 0; i < 7 && !white; i++) {
    const [hx, hy] = heptagon[i];
    if (distToSegment(x, y, c, c, c + (hx - c) * 0.9, c + (hy - c) * 0.9) < 3.2) white = true;
  }
  if (d < 11) white = d > 5.5 ? true : false; // hub ring
  return white ? WHITE : BLUE;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let rs = 0, gs = 0, bs = 0, as = 0;
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const col = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
      if (col) { rs += col[0]; gs += col[1]; bs += col[2]; as++; }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    raw[o] = as ? Math.round(rs / as) : 0;
    raw[o + 1] = as ? Math.round(gs / as) : 0;
    raw[o + 2] = as ? Math.round(bs / as) : 0;
    raw[o + 3] = Math.round((as / (SS * SS)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let k = n;
  for (let i = 0; i < 8; i++) k = k & 1 ? 0xedb88320 ^ (k >>> 1) : k >>> 1;
  return k >>> 0;
});
const crc32 = (buf) => { let k = 0xffffffff; for (const b of buf) k = crcTable[(k ^ b) & 0xff] ^ (k >>> 8); return (k ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
