/**
 * What `pypi-release-lint gate` passes to the gate rules. The engine stores it on the Project as the
 * fact GATE_OPTIONS_FACT before any rule runs (RunOptions.gateOptions → LintOptions.gateOptions →
 * `lintProject`), so rules read it with `gateOptionsOf(project)`; library callers that only say
 * `{ gate: true }` get the defaults.
 */
import os from 'node:os';
import type { Project } from '../project/project.js';

export interface GateOptions {
  /** `--tag`: a tag name, or `refs/tags/NAME`. Only the package it resolves to is built. */
  tag?: string;
  /** `--python`: the interpreter that runs build and twine (default `python3`, `python` on Windows). */
  python: string;
  /** False with `--no-isolation`: build with the backends installed in `python`. */
  isolation: boolean;
  /** `--jobs`: builds at a time. */
  jobs: number;
  /** `--timeout`: seconds per build (and per twine check). */
  timeoutSeconds: number;
  /** Where to show which package is building (the CLI's progress line on a terminal; absent: silent). */
  progress?: GateProgress;
}

/** The shape of src/cli/progress.ts's Progress, which the gate drives. */
export interface GateProgress {
  /** The current step (replaces the previous one). */
  update(text: string): void;
  /** A permanent line (a package finished). */
  log(line: string): void;
  /** Clears the progress line; called once the builds are over, before the report is printed. */
  done(): void;
}

export const GATE_OPTIONS_FACT = 'gate-options';
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

/** The gate options of this run (the defaults when the caller gave none). */
export function gateOptionsOf(project: Project): GateOptions {
  return project.fact<GateOptions>(GATE_OPTIONS_FACT, defaultGateOptions);
}
