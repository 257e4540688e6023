/**
 * `pypi-release-lint gate [options] [ROOT]`: the lint, plus the gate-only rules (gate/*), which build
 * every published package (or the --tag one) and check the artifacts. Same output and exit codes as
 * the lint. While the builds run, a progress line on stderr says which packages are building — only
 * on a terminal with the stylish format (never with json, sarif or github output). Outside a terminal,
 * with the stylish or github format, each artifact built and checked is one line on stderr instead.
 */
import os from 'node:os';
import { InvalidArgumentError } from 'commander';
import type { GateInputs } from '../engine/context.js';
import { DEFAULT_TIMEOUT_SECONDS, defaultPython } from '../gate/options.js';
import { lintCommand, type LintCommandOptions } from './lint-command.js';
import { maskedStderr } from './output.js';
import { createLineLog, createProgress, lineLogEnabled, progressEnabled } from './progress.js';

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

export async function gateCommand(paths: readonly string[], options: GateCommandOptions): Promise<number> {
  const progress = progressEnabled(options.format)
    ? createProgress({ enabled: true, stream: maskedStderr })
    : createLineLog({ enabled: lineLogEnabled(options.format, options.quiet), stream: maskedStderr });
  try {
    return await lintCommand(paths, options, { gate: gateInputsOf(options), progress });
  } finally {
    progress.done();
  }
}
