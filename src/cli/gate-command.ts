/**
 * `pypi-release-lint gate [options] [ROOT]`: the lint, plus the gate-only rules (gate/*), which build
 * every published package (or the --tag one) and check the artifacts. Same output and exit codes as
 * the lint. While the builds run, a progress line on stderr says which packages are building — only
 * on a terminal with the stylish format (never with json, sarif or github output).
 */
import os from 'node:os';
import { InvalidArgumentError } from 'commander';
import type { GateInputs } from '../engine/context.js';
import { DEFAULT_TIMEOUT_SECONDS, defaultPython } from '../gate/options.js';
import { lintCommand, type LintCommandOptions } from './lint-command.js';
import { maskedStderr } from './output.js';
import { createProgress, progressEnabled } from './progress.js';

export interface GateCommandOptions extends LintCommandOptions {
  tag?: string;
  python?: string;
  /** commander's `--no-isolation`: false when given. */
  isolation: boolean;
  jobs?: number;
  timeout?: number;
}

/** commander parser for --jobs and --timeout. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a whole number, 1 or more');
  return parsed;
}

export function gateInputsOf(options: GateCommandOptions): GateInputs {
  return {
    tag: options.tag,
    python: options.python ?? defaultPython(),
    isolation: options.isolation,
    jobs: options.jobs ?? os.availableParallelism(),
    timeoutSeconds: options.timeout ?? DEFAULT_TIMEOUT_SECONDS,
  };
}

export async function gateCommand(root: string, options: GateCommandOptions): Promise<number> {
  const progress = createProgress({ enabled: progressEnabled(options.format), stream: maskedStderr });
  try {
    return await lintCommand(root, options, { gate: gateInputsOf(options), progress });
  } finally {
    progress.done();
  }
}
