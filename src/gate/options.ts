/**
 * The defaults of the gate's inputs (src/engine/context.ts GateInputs), which `gate` options
 * override (src/cli/gate-command.ts) and library callers may pass as they are.
 */
import os from 'node:os';
import type { GateInputs } from '../engine/context.js';

export type GateOptions = GateInputs;

/**
 * Per build. On a 2-core CI runner an isolated build of a pure-Python package takes well under a
 * minute (two virtual environments, the backend installed twice) and pip gives up on an index it
 * cannot reach within about two minutes (15 s per attempt, 5 retries), which the gate recognises;
 * five minutes leaves room for slow backends while a hung build costs a CI job 5 minutes, not 10.
 */
export const DEFAULT_TIMEOUT_SECONDS = 300;

export function defaultPython(): string {
  return process.platform === 'win32' ? 'python' : 'python3';
}

export function defaultGateOptions(): GateOptions {
  return { python: defaultPython(), isolation: true, jobs: os.availableParallelism(), timeoutSeconds: DEFAULT_TIMEOUT_SECONDS };
}
