import { excerpt } from '../format/mask.js';
import { escapeMessage } from '../format/terminal.js';
import { writeStderr } from './output.js';

/** A failure the user can act on: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** Prints one clear line (a stack trace only with DEBUG=pypi-release-lint) and returns exit code 2. */
export function reportFailure(error: unknown): number {
  const debug = (process.env.DEBUG ?? '').split(',').includes('pypi-release-lint');
  const message = error instanceof Error ? error.message : String(error);
  // one line, masked before it is cut (a path or a quoted value can be any length)
  writeStderr(`pypi-release-lint: ${escapeMessage(excerpt(message.split('\n')[0] ?? 'unknown error', 2000))}\n`);
  if (debug && error instanceof Error && error.stack) writeStderr(`${error.stack}\n`);
  return 2;
}
