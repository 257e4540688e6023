/**
 * What a run hands its rules besides the project: the services of the caller (the gate's inputs,
 * where progress goes) and results an earlier run left (the memo). The engine passes it through as
 * it is; it never reaches for a terminal or a command line itself.
 */
import type { Memo } from './memo.js';
import type { Timing } from './timing.js';

/** The inputs of `pypi-release-lint gate` (docs/cli.md "gate"), which the gate-only rules read. */
export interface GateInputs {
  /** `--tag`: a tag name, or `refs/tags/NAME`. Only the package it resolves to is built. */
  tag?: string;
  /** `--python`: the interpreter that runs build and twine. */
  python: string;
  /** False with `--no-isolation`: build with the backends installed in `python`. */
  isolation: boolean;
  /** `--jobs`: builds at a time. */
  jobs: number;
  /** `--timeout`: seconds per build (and per twine check). */
  timeoutSeconds: number;
}

/** Where long steps (the gate's builds) say what they are doing; the CLI draws it on a terminal. */
export interface ProgressReporter {
  /** The current step (replaces the previous one). */
  update(text: string): void;
  /** A permanent line (a package finished). */
  log(line: string): void;
  /** The step is over: clear the progress line. */
  done(): void;
}

export interface RunContext {
  /** Set for `gate`: its inputs. Without it the gate-only rules do not run. */
  gate?: GateInputs;
  /** Absent: long steps are silent. */
  progress?: ProgressReporter;
  /** Results rules may reuse from an earlier run (the cache passes the one it stored). */
  memo?: Memo;
  /** Where the run counts the time of its phases and rules (--timing); not timed when absent. */
  timing?: Timing;
}
