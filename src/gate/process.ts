/**
 * Running Python tools as child processes for the gate: each in its own session and process group
 * (spawned detached), so that a timeout — or our own exit — kills the whole tree (`python -m build`
 * starts a backend subprocess, an isolated build starts pip, pip may start more), not just the first
 * process. A backend may detach a child of its own (a new process group, even a new session) that
 * keeps our pipes open: every process of the run carries a marker in its environment, and on Linux
 * those are found in /proc and killed too. Either way the pipes stop being read once the run is
 * over (the leader exited, or the timeout struck), so nothing left behind can hold the gate open.
 * The output kept is masked before it is cut (src/format/mask.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { maskSecrets } from '../format/mask.js';

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

/** The environment variable that marks every process a run started (its value is the run's own). */
export const RUN_MARKER_VARIABLE = 'PYPI_RELEASE_LINT_GATE_RUN';

/** After the leader exits, how long what it left behind may still write to the pipes. */
const PIPE_GRACE_MS = 2000;

/** Runs still going (leader pid → marker), killed if we exit or are interrupted first. */
const running = new Map<number, string>();
let handlersInstalled = false;

/** Kills the leader's process group, its session, and every process carrying the run's marker. */
function killRun(pid: number, marker: string): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/t', '/f'], { stdio: 'ignore' });
    return;
  }
  signal(-pid);
  for (const other of escapedProcesses(pid, marker)) signal(other);
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Processes of the run outside its process group (Linux): in the leader's session (spawned
 * detached, the leader leads one), or carrying `marker` in their environment. Processes of other
 * users are not readable and not ours.
 */
function escapedProcesses(sessionId: number, marker: string): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = `${RUN_MARKER_VARIABLE}=${marker}\0`;
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[3]) === sessionId || fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function killAllRunning(): void {
  for (const [pid, marker] of running) killRun(pid, marker);
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

// CSI sequences, and OSC sequences ended by BEL or ST (an OSC body stops at the next ESC, so an
// unterminated one costs one scan, not one per ESC).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Output as the caller sees it: colour codes removed, line breaks normalised, secrets masked. */
function cleaned(text: string): string {
  return maskSecrets(stripAnsi(text).replace(/\r\n?/g, '\n'));
}

/**
 * Keeps the last `maxOutput` characters of a growing output, masking before it cuts (a token cut in
 * two loses the prefix that identifies it). The newest part is kept raw until more arrives: a token
 * may still be on its way, and a part of one must not be masked alone.
 */
class OutputTail {
  private text = '';

  constructor(private readonly maxOutput: number) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length <= this.maxOutput * 2) return;
    // split at a line break well before the end: a secret never spans lines
    const split = this.text.lastIndexOf('\n', this.text.length - RAW_TAIL);
    const at = split > 0 ? split : this.text.length - RAW_TAIL;
    const settled = cleaned(this.text.slice(0, at));
    this.text = settled.slice(Math.max(0, settled.length - this.maxOutput)) + this.text.slice(at);
  }

  final(): string {
    const all = cleaned(this.text);
    return all.slice(Math.max(0, all.length - this.maxOutput));
  }
}

/** How much of the newest output stays unmasked until more arrives (far longer than any token). */
const RAW_TAIL = 64 * 1024;

/** Runs `command args` in a new session and process group and collects its output; never rejects. */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const maxOutput = options.maxOutput ?? 256 * 1024;
  const started = Date.now();
  const marker = randomBytes(12).toString('hex');
  return new Promise((resolve) => {
    const output = new OutputTail(maxOutput);
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [RUN_MARKER_VARIABLE]: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    const pid = child.pid;
    if (pid !== undefined) {
      installExitHandlers();
      running.set(pid, marker);
    }
    // setEncoding decodes across chunk boundaries (a UTF-8 character split between two reads).
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
    let finished = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      if (pid !== undefined) running.delete(pid);
      // Stop reading: whatever still holds the pipes open must not hold the gate.
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ exitCode: exitCode ?? undefined, signal: signal ?? undefined, output: output.final(), timedOut, spawnError, elapsed: Date.now() - started });
    };
    if (options.timeoutMs && pid !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        killRun(pid, marker);
        finish(null, 'SIGKILL');
      }, options.timeoutMs);
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      if (pid === undefined) finish(null, null);
    });
    // The leader is gone: anything it started goes with it, and the pipes get a moment to drain.
    child.on('exit', (exitCode, exitSignal) => {
      if (pid !== undefined) killRun(pid, marker);
      if (!finished) grace = setTimeout(() => finish(exitCode, exitSignal), PIPE_GRACE_MS);
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
