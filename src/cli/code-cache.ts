/**
 * Loads a CommonJS bundle through V8's code cache, the way Node 22's module.enableCompileCache()
 * does for every module (Node 20, which we support, has no such switch). Compiling the linter's
 * bundle and the functions a run calls is about a sixth of a clean run; with the cache V8 reads
 * that compiled code back instead.
 *
 * The cache sits beside the bundle, in `.code-cache/<bundle>-<node version>-<arch>-<stamp>.bin`:
 * whoever can write there can already change the bundle itself, so the cache adds no one who can
 * change what runs (a cache in a shared temporary directory would). V8 checks its own version and
 * flags, and rejects a cache otherwise, but checks a cache against the text's length only: the
 * stamp in the name tells versions of the bundle apart (see bundleStamp). A missing or rejected
 * cache is written after the run, with every function the run compiled, replacing this Node's
 * caches of earlier bundles.
 * Where the directory is not writable (a read-only global install) runs simply go without.
 */
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

const NANOSECONDS_PER_SECOND = 1_000_000_000n;

/**
 * Tells versions of the bundle apart without reading it: hashing its text took ~8 ms of every start
 * (with the load of node:crypto). Its size and modification time alone would not do: npm gives
 * every installed file the same mtime. Its change time (ctime), which nobody can set, moves with
 * every write, and the inode with every new install. On a file system that keeps whole seconds, two
 * writes within one second leave the same stamps: a stamp from the current second or the one
 * before is not trusted yet (git's "racily clean" rule), and the run goes without a cache.
 */
export function bundleStamp(stats: Pick<fs.BigIntStats, 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'>, nowNs: bigint): string | undefined {
  const wholeSeconds = stats.ctimeNs % NANOSECONDS_PER_SECOND === 0n;
  if (wholeSeconds && nowNs - stats.ctimeNs < 2n * NANOSECONDS_PER_SECOND) return undefined;
  return [stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].map((value) => value.toString(36)).join('-');
}

function currentStamp(bundle: string): string | undefined {
  return bundleStamp(fs.statSync(bundle, { bigint: true }), BigInt(Date.now()) * 1_000_000n);
}

/** Where the cache of `bundle` goes, or undefined when its stamp cannot be trusted yet. */
export function codeCacheFile(bundle: string): string | undefined {
  const stamp = currentStamp(bundle);
  return stamp === undefined ? undefined : cacheFileOf(bundle, stamp);
}

function cacheFileOf(bundle: string, stamp: string): string {
  return path.join(path.dirname(bundle), '.code-cache', `${cachePrefix(bundle)}${stamp}.bin`);
}

/** The start of every cache name this Node writes for `bundle`. */
function cachePrefix(bundle: string): string {
  return `${path.basename(bundle)}-${process.version}-${process.arch}-`;
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
    const stale = (name: string): boolean => name.startsWith(cachePrefix(bundle)) && name.endsWith('.bin') && name !== path.basename(file);
    for (const name of fs.readdirSync(path.dirname(file)).filter(stale)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  } catch {
    // Not writable, disk full...: runs go without a cache.
    fs.rm(temporary, { force: true }, () => undefined);
  }
}

/** Runs `bundle` (an absolute path to a CommonJS file) as require() would, through its code cache. */
export function loadWithCodeCache<T>(bundle: string): CachedModule<T> {
  // Stamp first, then read: a bundle rewritten in between gets a cache under its old stamp, never
  // the old text's cache under its new stamp.
  const stamp = currentStamp(bundle);
  const text = fs.readFileSync(bundle, 'utf8');
  const file = stamp === undefined ? undefined : cacheFileOf(bundle, stamp);
  const cachedData = file === undefined ? undefined : readCache(file);
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
      if (cache !== 'used' && file !== undefined) writeCache(bundle, file, script.createCachedData());
    },
  };
}
