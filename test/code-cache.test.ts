import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleStamp, codeCacheFile } from '../src/cli/code-cache.js';
import { ensureBuilt, REPO_ROOT, tempDir } from './helpers/fixtures.js';

beforeAll(ensureBuilt);

/** The cache file of `bundle`; its stamp is always trusted here (ext4 and tmpfs keep nanoseconds). */
function cacheOf(bundle: string): string {
  const file = codeCacheFile(bundle);
  if (file === undefined) throw new Error(`no trusted stamp for ${bundle}`);
  return file;
}

const BUNDLE_TEXT = "'use strict';\nconst path = require('node:path');\nexports.describe = (n) => `${path.basename(__filename)} ${n * 2}`;\n";

function writeBundle(text = BUNDLE_TEXT): string {
  const bundle = path.join(tempDir('prl-code-cache-'), 'bundle.cjs');
  fs.writeFileSync(bundle, text);
  return bundle;
}

/**
 * Loads the bundle in a new process, as the bin does, and saves the cache. A new process each time:
 * within one, V8 remembers compiled scripts in memory and never looks at the cache file.
 */
function load(bundle: string): { cache: string; result: string } {
  const loader = pathToFileURL(path.join(REPO_ROOT, 'dist/src/cli/code-cache.js')).href;
  const script = `import { loadWithCodeCache } from '${loader}';
const loaded = loadWithCodeCache(process.argv[1]);
loaded.saveCache();
console.log(JSON.stringify({ cache: loaded.cache, result: loaded.exports.describe(21) }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, bundle], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as { cache: string; result: string };
}

describe('loading a bundle through the V8 code cache', () => {
  it('runs it like require() would, writes the cache after the first run and uses it after', () => {
    const bundle = writeBundle();
    expect(load(bundle)).toEqual({ cache: 'none', result: 'bundle.cjs 42' });
    const file = cacheOf(bundle);
    expect(path.relative(path.dirname(bundle), file)).toMatch(new RegExp(`^\\.code-cache/bundle\\.cjs-${process.version}-${process.arch}-[0-9a-z]+(-[0-9a-z]+){3}\\.bin$`));
    const written = fs.statSync(file).mtimeMs;
    expect(load(bundle)).toEqual({ cache: 'used', result: 'bundle.cjs 42' });
    // A used cache is not written again.
    expect(fs.statSync(file).mtimeMs).toBe(written);
  });

  it('a damaged cache is rejected, the bundle still runs, and the cache is written anew', () => {
    const bundle = writeBundle();
    load(bundle);
    fs.writeFileSync(cacheOf(bundle), Buffer.from('not a V8 code cache, just bytes'.repeat(10)));
    expect(load(bundle)).toEqual({ cache: 'rejected', result: 'bundle.cjs 42' });
    expect(load(bundle).cache).toBe('used');
  });

  it('a changed bundle of the same length never runs the old code, and its cache replaces the old one', () => {
    const bundle = writeBundle();
    load(bundle);
    // Another Node's cache of the same bundle stays.
    const otherNode = path.join(path.dirname(bundle), '.code-cache', 'bundle.cjs-v99.0.0-x64-1a2b-3c-4d5e6f-4d5e6f.bin');
    fs.writeFileSync(otherNode, 'another Node version wrote this');
    // A cache earlier releases kept per set of V8 flags goes with the rest of this Node's old caches.
    fs.writeFileSync(cacheOf(bundle).replace(/\.bin$/, '+liftoff-only+wasm-lazy-validation.bin'), 'an earlier release wrote this');
    const changed = BUNDLE_TEXT.replace('n * 2', 'n * 3');
    expect(changed.length).toBe(BUNDLE_TEXT.length);
    fs.writeFileSync(bundle, changed);
    expect(load(bundle)).toEqual({ cache: 'none', result: 'bundle.cjs 63' });
    expect(fs.readdirSync(path.join(path.dirname(bundle), '.code-cache')).sort()).toEqual([path.basename(cacheOf(bundle)), path.basename(otherNode)].sort());
  });

  it('where the cache cannot be written, runs go without one and saveCache does not throw', () => {
    const bundle = writeBundle();
    // A file where the cache directory would go: mkdir fails (even for root, unlike a chmod).
    fs.writeFileSync(path.join(path.dirname(bundle), '.code-cache'), '');
    expect(load(bundle)).toEqual({ cache: 'none', result: 'bundle.cjs 42' });
    expect(load(bundle).cache).toBe('none');
    expect(fs.readdirSync(path.dirname(bundle)).sort()).toEqual(['.code-cache', 'bundle.cjs']);
  });

  it('a stamp of whole seconds is trusted only after that second and the next: two writes within one could share it', () => {
    const second = 1_700_000_000n * 1_000_000_000n;
    const stats = { ino: 35n, size: 1000n, mtimeNs: second, ctimeNs: second };
    expect(bundleStamp(stats, second + 1_999_999_999n)).toBeUndefined();
    // inode, size, mtime and ctime, in base 36.
    expect(bundleStamp(stats, second + 2_000_000_000n)).toBe('z-rs-cwyvpelgpse8-cwyvpelgpse8');
    // Nanoseconds in the change time: a file system that keeps them, trusted at once.
    expect(bundleStamp({ ...stats, ctimeNs: second + 7n }, second + 8n)).toBe('z-rs-cwyvpelgpse8-cwyvpelgpsef');
  });
});
