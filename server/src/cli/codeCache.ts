/**
 * A CommonJS bundle run through V8's code cache, kept beside it (`x.js` → `x.v8cache`): the
 * bytecode of the functions a run compiled, so the next cold start neither parses nor compiles
 * them again (Node 20 has no `module.enableCompileCache`). The cache is trusted as the bundle is:
 * it lives where the bundle lives (where it cannot be written, nothing is cached), and it is keyed
 * by a hash of the bundle's text, Node's version and the architecture (V8 checks only the text's
 * length, and rejects data of another V8 or other flags), and the data by a hash of its own: V8
 * does not check the data in release builds, and a corrupt cache would crash the process in its
 * deserializer. Any failure just runs the bundle plainly.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';

export interface CachedModule<T> {
  exports: T;
  /** Whether V8 took the cached code. */
  fromCache: boolean;
  /** Writes the cache (after a run, so that it holds what the run compiled), unless it was used. */
  save(): void;
}

const KEY_BYTES = 32;
/** The file: the key, the hash of the data, the data. */
const HEAD_BYTES = 2 * KEY_BYTES;

function sha256(...parts: Array<string | Buffer>): Buffer {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function cacheFileOf(file: string): string {
  return file.replace(/\.js$/, '') + '.v8cache';
}

/** `require(file)`, through the code cache beside it. */
export function requireWithCodeCache<T>(file: string): CachedModule<T> {
  const bytes = fs.readFileSync(file);
  const source = bytes.toString('utf8');
  const cacheFile = cacheFileOf(file);
  // The bytes are hashed, not the text (which would be encoded again on the way).
  const key = sha256(`${process.version}\0${process.arch}\0`, bytes);
  let cachedData: Buffer | undefined;
  try {
    const buf = fs.readFileSync(cacheFile);
    if (buf.length > HEAD_BYTES && buf.subarray(0, KEY_BYTES).equals(key)) {
      const data = buf.subarray(HEAD_BYTES);
      if (sha256(data).equals(buf.subarray(KEY_BYTES, HEAD_BYTES))) cachedData = data;
    }
  } catch {
    // no cache yet
  }
  // Node's own CommonJS wrapper, so the bundle runs as `require` would run it.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const mod = { exports: {} as T };
  (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  const fromCache = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    exports: mod.exports,
    fromCache,
    save: () => {
      if (fromCache) return;
      const tmp = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
      try {
        const data = script.createCachedData();
        fs.writeFileSync(tmp, Buffer.concat([key, sha256(data), data]), { flag: 'wx' });
        fs.renameSync(tmp, cacheFile);
      } catch {
        try {
          fs.unlinkSync(tmp);
        } catch {
          // nothing was written
        }
      }
    },
  };
}
