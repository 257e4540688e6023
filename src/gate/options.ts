/**
 * The defaults of the gate's inputs (src/engine/context.ts GateInputs), which `gate` options
 * override (src/cli/gate-command.ts) and library callers may pass as they are.
 */
import os from 'node:os';
import type { GateInputs } from '../engine/context.js';

export type GateOptions = GateInputs;

export const DEFAULT_TIMEOUT_SECONDS = 600;

export function defaultPython(): string {
  return process.platform === 'win32' ? 'python' : 'python3';
}

export function defaultGateOptions(): GateOptions {
  return { python: defaultPython(), isolation: true, jobs: os.availableParallelism(), timeoutSeconds: DEFAULT_TIMEOUT_SECONDS };
}
