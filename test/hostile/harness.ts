/**
 * Runs the built CLI (dist/cli.cjs) on hostile input as a child process, under the limits the
 * hostile suite holds it to: a heap limit (`--max-old-space-size`) and a wall-clock timeout after
 * which the child is killed. A run that hangs or runs out of memory shows as a status that is
 * neither 0 nor 1 (null when it was killed), with what it printed so far.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.cjs');

export interface HostileRunOptions {
  cwd: string;
  /** Killed after this long (default 20 s). */
  timeoutMs?: number;
  /** V8's old-space limit for the run (default 256 MB). */
  maxOldSpaceMb?: number;
  env?: NodeJS.ProcessEnv;
}

export interface HostileRunResult {
  /** The exit code; null when the child was killed (timeout, out of memory). */
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: HostileRunOptions): HostileRunResult {
  const result = spawnSync(process.execPath, [`--max-old-space-size=${options.maxOldSpaceMb ?? 256}`, CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/**
 * A fresh directory outside every checkout, holding a canary file. A run must leave it exactly as
 * it was: tests point planted links and settings at it and compare its contents afterwards.
 */
export function sentinelDir(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-sentinel-'));
  fs.writeFileSync(path.join(directory, 'canary.txt'), 'nothing may write here\n');
  return directory;
}
