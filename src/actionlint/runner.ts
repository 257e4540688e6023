/**
 * Runs the embedded actionlint (1.7.7, Go wasm) over workflow texts in worker threads.
 *
 * - Workers are created lazily, kept for later calls in the same process, and `unref()`ed while
 *   idle so they never hold the process open; `shutdownActionlint()` ends them.
 * - A run splits its files over up to `workers` workers (default: 1 below 20 files, else
 *   min(availableParallelism, 4)); each worker answers one batch at a time.
 * - Every batch has a timeout (default 30 s). A timeout, a Go `fatal error` or any other death of
 *   the worker terminates it and turns each file of the batch into a `failures` entry with a
 *   one-line reason; the run itself never throws for those, and the worker's stdout/stderr (Go's
 *   goroutine dump) is captured, never printed.
 * - YAML aliases are expanded before linting (see aliases.ts) and positions mapped back.
 * - Threads come from thread.ts (which also explains how the worker file is found).
 * - With `native`, a native actionlint binary (native.ts) lints the same prepared texts instead, in
 *   one process, under the same timeout.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { expandYamlAliases, type ExpandedText } from './aliases.js';
import { startActionlintThread } from './thread.js';
import type {
  ActionlintWorkerRequest,
  ActionlintWorkerResponse,
  ActionlintWorkerResult,
} from './worker.js';
import { runNativeActionlint, type NativeActionlint } from './native.js';
import { formatDuration, type ActionlintFailure, type ActionlintFile, type ActionlintOutcome, type ActionlintResult } from './types.js';

export type { ActionlintFailure, ActionlintFile, ActionlintOutcome, ActionlintResult } from './types.js';
export { EMBEDDED_ACTIONLINT_VERSION } from './types.js';

export interface ActionlintRunOptions {
  /** Number of worker threads for this run (default: 1 below 20 files, else min(cores, 4)). */
  workers?: number;
  /** Per batch, including the worker's start (about 0.4 s); default 30 000. */
  timeoutMs?: number;
  /** Replace YAML aliases by their values before linting (default true). */
  expandAliases?: boolean;
  /** Lint with this native actionlint (native.ts) instead of the embedded wasm; `workers` then means nothing. */
  native?: NativeActionlint;
  /**
   * For tests only: run in a dedicated worker whose wasm sees Node's real `fs`, which makes the Go
   * runtime die of "all goroutines are asleep - deadlock!" (the crash path, for real).
   */
  internalRealFs?: boolean;
}

export const DEFAULT_ACTIONLINT_TIMEOUT_MS = 30_000;
const MANY_FILES = 20;
const MAX_DEFAULT_WORKERS = 4;
const OUTPUT_LIMIT = 16_384;

// ---------------------------------------------------------------------------------------------
// Pooled workers

interface BatchOutcome {
  results: ActionlintWorkerResult[];
  failures: ActionlintFailure[];
}

interface Pending {
  id: number;
  files: ActionlintFile[];
  resolve: (outcome: BatchOutcome) => void;
  timer: NodeJS.Timeout;
}

let nextRequestId = 1;

function failAll(files: ActionlintFile[], reason: string): BatchOutcome {
  return { results: [], failures: files.map((f) => ({ path: f.path, reason })) };
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

class ActionlintWorker {
  private pending: Pending | null = null;
  private output = '';
  private fatal: { code: number; output: string } | null = null;
  private errorMessage: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private batchesInFlight = 0;
  dead = false;

  constructor(
    private readonly worker: Worker,
    private readonly onDeath: (w: ActionlintWorker) => void,
    /** Where a batch queued behind a batch that killed this worker goes instead. */
    private readonly replacement: (() => ActionlintWorker) | null = null,
  ) {
    // No 'data' listeners on stdout/stderr: reading a worker's stdio stream keeps the host's event
    // loop alive until the worker ends. The worker keeps its own output (see worker.ts); whatever
    // still arrives is drained after each batch and at exit (see drainOutput).
    this.worker.on('message', (msg: ActionlintWorkerResponse) => this.onMessage(msg));
    this.worker.on('error', (err: Error) => {
      this.errorMessage ??= firstLine(err?.message ?? String(err));
    });
    this.worker.on('exit', (code: number) => this.onExit(code));
    // A 'message' listener refs the worker's port again: idle workers must not hold the process.
    this.worker.unref();
  }

  /**
   * Lints one batch after the batches queued before it; never rejects. A batch for an idle worker
   * is posted now, not a microtask later, so that it lints while the caller's synchronous work
   * goes on (the rules that run after actionlint's).
   */
  run(files: ActionlintFile[], timeoutMs: number): Promise<BatchOutcome> {
    const next = this.batchesInFlight === 0 ? this.start(files, timeoutMs) : this.queue.then(() => this.start(files, timeoutMs));
    this.batchesInFlight++;
    this.queue = next.catch(() => undefined).then(() => {
      this.batchesInFlight--;
    });
    return next;
  }

  private start(files: ActionlintFile[], timeoutMs: number): Promise<BatchOutcome> {
    if (this.dead) {
      // A batch queued behind one that timed out or crashed: run it on a live worker.
      if (this.replacement) {
        try {
          return this.replacement().run(files, timeoutMs);
        } catch (err) {
          return Promise.resolve(failAll(files, couldNotStart(err)));
        }
      }
      return Promise.resolve(failAll(files, this.deathReason(1)));
    }
    return new Promise<BatchOutcome>((resolve) => {
      const id = nextRequestId++;
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.pending = null;
        this.kill();
        resolve(failAll(files, `actionlint timed out after ${formatDuration(timeoutMs)}`));
      }, timeoutMs);
      this.pending = { id, files, resolve, timer };
      this.worker.ref();
      const request: ActionlintWorkerRequest = { id, files: files.map((f) => ({ path: f.path, text: f.text })) };
      this.worker.postMessage(request);
    });
  }

  private settle(outcome: BatchOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    if (!this.dead) {
      this.worker.unref();
      // A worker whose stdio received data now holds the process open: retire it.
      if (this.drainOutput()) void this.kill();
    }
    pending.resolve(outcome);
  }

  /** Moves buffered stdout/stderr text into `output`; true when there was any. */
  private drainOutput(): boolean {
    let any = false;
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      if (!stream || stream.readableLength === 0) continue;
      let chunk: Buffer | string | null;
      while ((chunk = stream.read() as Buffer | string | null) !== null) {
        any = true;
        this.output = (this.output + chunk.toString()).slice(-OUTPUT_LIMIT);
      }
    }
    return any;
  }

  private onMessage(msg: ActionlintWorkerResponse): void {
    if ('ready' in msg) return; // how the thread started: for tests
    if ('fatal' in msg) {
      this.fatal = msg.fatal;
      return;
    }
    if (!this.pending || msg.id !== this.pending.id) return;
    if ('error' in msg) {
      this.settle(failAll(this.pending.files, firstLine(msg.error)));
      return;
    }
    this.settle({ results: msg.results, failures: msg.failures });
  }

  private deathReason(code: number): string {
    const text = `${this.fatal?.output ?? ''}\n${this.output}`;
    const goLine = text.split('\n').find((l) => /^(fatal error|panic|runtime error)\b/.test(l.trim()));
    const detail = goLine?.trim() ?? this.errorMessage ?? firstLine(text);
    const exitCode = this.fatal?.code ?? code;
    return `actionlint crashed (exit code ${exitCode})${detail ? `: ${detail}` : ''}`;
  }

  private onExit(code: number): void {
    this.drainOutput();
    const wasDead = this.dead;
    this.dead = true;
    if (!wasDead) this.onDeath(this);
    if (this.pending) this.settle(failAll(this.pending.files, this.deathReason(code)));
  }

  /** Ends the worker now (timeout, shutdown). */
  kill(): Promise<void> {
    if (!this.dead) {
      this.dead = true;
      this.onDeath(this);
    }
    return this.worker.terminate().then(
      () => undefined,
      () => undefined,
    );
  }
}

const pool: ActionlintWorker[] = [];

function removeFromPool(w: ActionlintWorker): void {
  const index = pool.indexOf(w);
  if (index >= 0) pool.splice(index, 1);
}

/** The first `count` pooled workers, started as needed. Throws when a thread cannot start. */
function pooledWorkers(count: number): ActionlintWorker[] {
  while (pool.length < count) pool.push(new ActionlintWorker(startActionlintThread(), removeFromPool, () => pooledWorkers(1)[0]!));
  return pool.slice(0, count);
}

function couldNotStart(err: unknown): string {
  return `could not start actionlint: ${firstLine((err as Error)?.message ?? String(err))}`;
}

// ---------------------------------------------------------------------------------------------
// Public API

function defaultWorkerCount(fileCount: number): number {
  if (fileCount < MANY_FILES) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS));
}

/** Splits files into `count` batches of similar total size; keeps each file's input index. */
function split<T extends { text: string }>(items: T[], count: number): T[][] {
  const batches: { items: T[]; size: number }[] = Array.from({ length: count }, () => ({ items: [], size: 0 }));
  const order = items.map((item, index) => ({ item, index })).sort((a, b) => b.item.text.length - a.item.text.length || a.index - b.index);
  for (const { item } of order) {
    let lightest = batches[0]!;
    for (const b of batches) if (b.size < lightest.size) lightest = b;
    lightest.items.push(item);
    lightest.size += item.text.length + 1;
  }
  return batches.map((b) => b.items).filter((b) => b.length > 0);
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

let filesLinted = 0;

/** How many workflow texts this process has handed to the wasm (to see that a cache spared it). */
export function actionlintFilesLinted(): number {
  return filesLinted;
}

/**
 * Takes a thread started before the linter loaded (the bin's early start) into the pool, so that
 * the first run, or the rule's warm-up, finds it started.
 */
export function adoptActionlintThread(worker: Worker): void {
  pool.push(new ActionlintWorker(worker, removeFromPool, () => pooledWorkers(1)[0]!));
}

/**
 * Starts the workers a run over `fileCount` workflows will use; each loads the wasm as it starts
 * (about 0.3 s), so that overlaps the caller's other work, and a later runActionlint finds it ready.
 */
export function warmUpActionlint(fileCount: number): void {
  if (fileCount === 0) return;
  try {
    pooledWorkers(Math.min(defaultWorkerCount(fileCount), fileCount));
  } catch {
    // Reported by the run that needs the workers.
  }
}

/** Lints prepared texts in batches on the wasm's worker threads. */
async function runOnWasm(files: ActionlintFile[], options: ActionlintRunOptions, timeoutMs: number): Promise<BatchOutcome[]> {
  filesLinted += files.length;
  const requested = options.workers ?? defaultWorkerCount(files.length);
  const count = Math.max(1, Math.min(Math.floor(requested) || 1, files.length));
  const batches = split(files, count);

  let dedicated: ActionlintWorker | null = null;
  try {
    let workers: ActionlintWorker[];
    try {
      if (options.internalRealFs) {
        dedicated = new ActionlintWorker(startActionlintThread({ realFs: true }), () => undefined);
        workers = batches.map(() => dedicated!);
      } else {
        workers = pooledWorkers(batches.length);
      }
    } catch (err) {
      return [failAll(files, couldNotStart(err))];
    }
    return await Promise.all(batches.map((batch, i) => workers[i]!.run(batch, timeoutMs)));
  } finally {
    if (dedicated) await dedicated.kill();
  }
}

/**
 * Lints workflow texts with the embedded actionlint, or a native one (`options.native`). Never throws for a timeout or a crash: those
 * become `failures`. Paths must be repo-relative (an absolute path becomes a failure).
 */
export async function runActionlint(
  files: ActionlintFile[],
  options: ActionlintRunOptions = {},
): Promise<ActionlintOutcome> {
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? DEFAULT_ACTIONLINT_TIMEOUT_MS));
  const failures: ActionlintFailure[] = [];

  interface Prepared extends ActionlintFile {
    index: number;
    originalPath: string;
    expanded: ExpandedText | null;
  }
  const prepared: Prepared[] = [];
  files.forEach((file, index) => {
    const path = file.path.replace(/\\/g, '/');
    if (path === '' || isAbsolutePath(path)) {
      failures.push({ path: file.path, reason: 'actionlint needs a repo-relative path, not an absolute one' });
      return;
    }
    const expanded = options.expandAliases === false ? null : expandYamlAliases(file.text);
    prepared.push({
      index,
      originalPath: file.path,
      path,
      text: expanded?.changed ? expanded.text : file.text,
      expanded: expanded?.changed ? expanded : null,
    });
  });
  if (prepared.length === 0) return { results: [], failures };
  const outcomes = options.native ? [await runNativeActionlint(options.native, prepared, timeoutMs)] : await runOnWasm(prepared, options, timeoutMs);

  // Map worker answers back to inputs (by path; inputs sharing a path share their answers).
  const byPath = new Map<string, Prepared[]>();
  for (const p of prepared) {
    const list = byPath.get(p.path) ?? [];
    list.push(p);
    byPath.set(p.path, list);
  }
  const ranked: { index: number; result: ActionlintResult }[] = [];
  const seenFailure = new Set<string>();
  for (const outcome of outcomes) {
    for (const r of outcome.results) {
      const owner = byPath.get(r.path)?.[0];
      if (!owner) continue;
      const raw = { line: Math.max(1, r.line), column: Math.max(1, r.column) };
      const pos = owner.expanded ? owner.expanded.mapPosition(raw.line, raw.column) : raw;
      ranked.push({
        index: owner.index,
        result: { path: owner.originalPath, line: pos.line, column: pos.column, kind: r.kind, message: r.message },
      });
    }
    for (const f of outcome.failures) {
      const owner = byPath.get(f.path)?.[0];
      const key = `${f.path}\u0000${f.reason}`;
      if (seenFailure.has(key)) continue;
      seenFailure.add(key);
      failures.push({ path: owner?.originalPath ?? f.path, reason: f.reason });
    }
  }
  const inputIndex = new Map<string, number>();
  files.forEach((f, i) => {
    if (!inputIndex.has(f.path)) inputIndex.set(f.path, i);
  });
  failures.sort((a, b) => (inputIndex.get(a.path) ?? 0) - (inputIndex.get(b.path) ?? 0));
  ranked.sort(
    (a, b) => a.index - b.index || a.result.line - b.result.line || a.result.column - b.result.column,
  );
  // Duplicate inputs (same path and text) would be linted twice: drop exact duplicates.
  const seen = new Set<string>();
  const results: ActionlintResult[] = [];
  for (const { result } of ranked) {
    const key = `${result.path}\u0000${result.line}\u0000${result.column}\u0000${result.kind}\u0000${result.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(result);
  }
  return { results, failures };
}

/** Terminates every actionlint worker (they are recreated on the next run). */
export async function shutdownActionlint(): Promise<void> {
  const workers = pool.splice(0, pool.length);
  await Promise.all(workers.map((w) => w.kill()));
}
