import { maskSecrets } from '../format/mask.js';

/** A failure the user can act on: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** Prints one clear line (a stack trace only with DEBUG=pypi-release-lint) and returns exit code 2. */
export function reportFailure(error: unknown): number {
  const debug = (process.env.DEBUG ?? '').split(',').includes('pypi-release-lint');
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`pypi-release-lint: ${maskSecrets(message.split('\n')[0] ?? 'unknown error')}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${maskSecrets(error.stack)}\n`);
  return 2;
}
