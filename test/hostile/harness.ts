/**
 * What the hostile-input suite shares: the real CLI (dist/cli.cjs) as a child process under a time
 * and memory limit the test enforces, and a directory outside every repo that must stay unchanged.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { CLI, tempDir } from '../helpers/fixtures.js';

export interface HostileRun {
  /** The exit code; null when the process was killed (the timeout, or V8 aborting out of memory). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The child's process id (for what a run would name after it). */
  pid: number;
}

/** Runs the built CLI in `cwd`; killed (SIGKILL) after `timeoutMs`, its heap capped at `maxOldSpaceMb`. */
export function runCli(args: string[], options: { cwd: string; timeoutMs?: number; maxOldSpaceMb?: number; env?: NodeJS.ProcessEnv }): HostileRun {
  const result = spawnSync(process.execPath, [`--max-old-space-size=${options.maxOldSpaceMb ?? 512}`, CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, pid: result.pid };
}

/** The file every sentinel directory holds. */
export const SENTINEL_FILE = 'victim.txt';
const SENTINEL_TEXT = 'a file outside the repository: no run may change it\n';

/** A fresh directory outside any repo, holding SENTINEL_FILE; compare it with snapshotTree before and after. */
export function sentinelDir(): string {
  const directory = tempDir('prl-sentinel-');
  fs.writeFileSync(`${directory}/${SENTINEL_FILE}`, SENTINEL_TEXT);
  return directory;
}
