/**
 * Loads a CommonJS bundle through V8's code cache, the way Node 22's module.enableCompileCache()
 * does for every module (Node 20, which we support, has no such switch). Compiling the linter's
 * bundle and the functions a run calls is about a sixth of a clean run; with the cache V8 reads
 * that compiled code back instead.
 *
 * The cache sits beside the bundle, in `.code-cache/<bundle>-<node version>-<arch>-<hash>.bin`:
 * whoever can write there can already change the bundle itself, so the cache adds no one who can
 * change what runs (a cache in a shared temporary directory would). The name carries a hash of the
 * bundle's text because V8 only checks a cache against the text's length; V8 checks its own
 * version and flags, and rejects a cache otherwise. A missing or rejected cache is written after
 * the run, with every function the run compiled, replacing this Node's caches of earlier bundles. Where
 * the directory is not writable (a read-only global install) runs simply go without.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export interface CachedModule<T> {
  exports: T;
  /** What V8 did with the cache: none found, used, or rejected (then compiled from the text). */
  cache: 'none' | 'used' | 'rejected';
  /** Writes the cache when there was none or V8 rejected it; never throws. */
  saveCache(): void;
}

export function codeCacheFile(bundle: string, source: string): string {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return path.join(path.dirname(bundle), '.code-cache', `${path.basename(bundle)}-${process.version}-${process.arch}-${hash}.bin`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes atomically (a reader never sees half a cache) and drops the caches this Node wrote for
 * earlier versions of the bundle; other Node versions' caches stay (two Nodes may share an install).
 */
function writeCache(bundle: string, file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
    const ours = `${path.basename(bundle)}-${process.version}-${process.arch}-`;
    const stale = (name: string): boolean => name.startsWith(ours) && name.endsWith('.bin') && name !== path.basename(file);
    for (const name of fs.readdirSync(path.dirname(file)).filter(stale)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  } catch {
    // Not writable, disk full...: runs go without a cache.
    fs.rm(temporary, { force: true }, () => undefined);
  }
}

/** Runs `bundle` (an absolute path to a CommonJS file) as require() would, with the code cache. */
export function loadWithCodeCache<T>(bundle: string): CachedModule<T> {
  const text = fs.readFileSync(bundle, 'utf8');
  const cacheFile = codeCacheFile(bundle, text);
  const cachedData = readCache(cacheFile);
  // The function wrapper require() puts around a CommonJS file.
  const source = `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
  const script = new vm.Script(source, { filename: bundle, cachedData });
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return {
    exports: module.exports,
    cache,
    saveCache() {
      if (cache !== 'used') writeCache(bundle, cacheFile, script.createCachedData());
    },
  };
}
