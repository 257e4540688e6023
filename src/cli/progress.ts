/**
 * A one-line progress indicator on stderr for long work (the gate's builds): a spinner, the current
 * step and the seconds it has taken, redrawn in place. It is a no-op unless enabled, and it is only
 * enabled on an interactive terminal with the stylish format, so json, sarif, github output and CI
 * logs never see a control character. Package names and file names in it are shown with their own
 * control characters escaped.
 */
import { excerpt } from '../format/mask.js';
import { escapeName } from '../format/terminal.js';

export interface Progress {
  /** Shows `text` as the current step (restarts the step's clock when the text changes). */
  update(text: string): void;
  /** Prints a permanent line above the progress line (e.g. "built open-ticket-ai in 4.2 s"). */
  log(line: string): void;
  /** Clears the progress line and stops redrawing. Safe to call more than once. */
  done(): void;
}

/** The stream a progress line writes to: stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export interface ProgressOptions {
  /** Draw at all; use `progressEnabled(format)` to decide. Disabled progress does nothing. */
  enabled: boolean;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Redraw interval for the spinner and clock, in ms (default 100; 0 redraws only on update). */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/**
 * Whether progress should be drawn: stderr is a terminal, the report format is stylish (the other
 * formats are read by programs), and the environment does not say CI or a dumb terminal.
 */
export function progressEnabled(format: string, stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return format === 'stylish' && stream.isTTY === true && env.TERM !== 'dumb' && !env.CI;
}

const DISABLED: Progress = { update() {}, log() {}, done() {} };

/**
 * Outside a terminal (a CI log, a pipe): no progress line, but the permanent lines (each artifact
 * built and checked) are printed as they come, so the log shows what was verified. Only for the
 * formats people read (stylish, github); never with --quiet.
 */
export function createLineLog(options: { enabled: boolean; stream?: ProgressStream }): Progress {
  if (!options.enabled) return DISABLED;
  const stream = options.stream ?? process.stderr;
  return {
    update() {},
    log(line: string): void {
      stream.write(`${escapeName(excerpt(line, LOG_LINE_WIDTH))}\n`);
    },
    done() {},
  };
}

/** A log line is cut here (file names are short; a backend's error is not a log line). */
const LOG_LINE_WIDTH = 300;

/** Whether the permanent gate lines go to a log: a human-read format, not --quiet, no terminal progress. */
export function lineLogEnabled(format: string, quiet: boolean | undefined, stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return (format === 'stylish' || format === 'github') && !quiet && !progressEnabled(format, stream, env);
}

export function createProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return DISABLED;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 100;
  let text: string | undefined;
  let startedAt = now();
  let frame = 0;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;

  const draw = (): void => {
    if (finished || text === undefined) return;
    const seconds = Math.floor((now() - startedAt) / 1000);
    const line = `${FRAMES[frame++ % FRAMES.length]} ${text}${seconds > 0 ? ` (${seconds}s)` : ''}`;
    // Never wrap: a wrapped line cannot be cleared with \r.
    // Some terminals report 0 columns (a pty under `script`): treat that as unknown.
    const width = Math.max(10, (stream.columns || 80) - 1);
    // masked before it is cut: a token cut short loses the prefix the mask knows it by
    stream.write(`${CLEAR_LINE}${escapeName(excerpt(line, width))}`);
  };

  return {
    update(next: string): void {
      if (finished) return;
      const single = next.replace(/\s*\n\s*/g, ' ');
      if (single !== text) startedAt = now();
      text = single;
      draw();
      if (!timer && intervalMs > 0) {
        timer = setInterval(draw, intervalMs);
        timer.unref(); // progress must never keep the process alive
      }
    },
    log(line: string): void {
      if (finished) {
        stream.write(`${escapeName(line)}\n`);
        return;
      }
      stream.write(`${CLEAR_LINE}${escapeName(line)}\n`);
      draw();
    },
    done(): void {
      if (finished) return;
      finished = true;
      if (timer) clearInterval(timer);
      if (text !== undefined) stream.write(CLEAR_LINE);
    },
  };
}
