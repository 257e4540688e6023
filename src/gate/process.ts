/**
 * Running Python tools as child processes for the gate: each in its own process group (spawned
 * detached), so that a timeout — or our own exit — kills the whole tree (`python -m build` starts a
 * backend subprocess, an isolated build starts pip, pip may start more), not just the first process.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface ProcessResult {
  /** The exit code; undefined when the process was killed by a signal or never started. */
  exitCode: number | undefined;
  signal: NodeJS.Signals | undefined;
  /** stdout and stderr interleaved as they arrived, ANSI colour codes removed, at most `maxOutput` chars (the tail). */
  output: string;
  timedOut: boolean;
  /** Why the process could not start (ENOENT: no such executable, EACCES...). */
  spawnError: NodeJS.ErrnoException | undefined;
  /** Wall-clock milliseconds. */
  elapsed: number;
}

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process group after this many milliseconds (0 or undefined: never). */
  timeoutMs?: number;
  /** Keep only the last this many characters of output (default 256 KiB). */
  maxOutput?: number;
}

/** Process groups still running, killed if we exit or are interrupted first. */
const running = new Set<number>();
let handlersInstalled = false;

function killGroup(pid: number): void {
  try {
    if (process.platform === 'win32') {
      spawnSync('taskkill', ['/pid', String(pid), '/t', '/f'], { stdio: 'ignore' });
    } else {
      process.kill(-pid, 'SIGKILL');
    }
  } catch {
    // Already gone.
  }
}

function killAllRunning(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

/**
 * Children in their own process group do not get the terminal's Ctrl-C: forward it by killing them,
 * then let the signal do what it would have done.
 */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllRunning);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAllRunning();
      process.removeListener(signal, handler);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Runs `command args` in a new process group and collects its output; never rejects. */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const maxOutput = options.maxOutput ?? 256 * 1024;
  const started = Date.now();
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    let timer: NodeJS.Timeout | undefined;
    const append = (chunk: string): void => {
      output += chunk;
      if (output.length > maxOutput * 2) output = output.slice(-maxOutput);
    };
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    const pid = child.pid;
    if (pid !== undefined) {
      installExitHandlers();
      running.add(pid);
    }
    // setEncoding decodes across chunk boundaries (a UTF-8 character split between two reads).
    child.stdout?.setEncoding('utf8').on('data', append);
    child.stderr?.setEncoding('utf8').on('data', append);
    if (options.timeoutMs && pid !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(pid);
      }, options.timeoutMs);
    }
    let finished = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({
        exitCode: exitCode ?? undefined,
        signal: signal ?? undefined,
        output: stripAnsi(output.slice(-maxOutput)).replace(/\r\n?/g, '\n'),
        timedOut,
        spawnError,
        elapsed: Date.now() - started,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      if (pid === undefined) finish(null, null);
    });
    // The leader is gone: anything it left behind in its group goes with it (a grandchild holding
    // the pipes open would otherwise keep 'close' from ever firing).
    child.on('exit', () => {
      if (pid !== undefined && process.platform !== 'win32') killGroup(pid);
    });
    child.on('close', finish);
  });
}

/** The last `lines` non-blank lines of an output, each with trailing whitespace removed. */
export function outputTail(output: string, lines: number): string[] {
  return output
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-lines);
}

/**
 * Runs `worker` over `items` with at most `jobs` at a time; results in the order of `items`.
 * A worker that throws fails the whole pool (workers here return their failures as data).
 */
export async function runPool<T, R>(items: readonly T[], jobs: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
