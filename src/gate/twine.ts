/** `python -m twine check --strict` on built artifacts, its report parsed per file. */
import path from 'node:path';
import { outputTail, runProcess } from './process.js';

export interface TwineFileResult {
  /** The artifact's file name. */
  file: string;
  passed: boolean;
  /** Each ERROR / WARNING twine printed for the file, its continuation lines joined with a space. */
  messages: string[];
}

export interface TwineOutcome {
  files: TwineFileResult[];
  /** twine failed without a per-file verdict (a crash, a timeout): the reason and its output tail. */
  failure: string | undefined;
}

export async function twineCheck(python: string, artifacts: readonly string[], options: { timeoutMs: number; env: NodeJS.ProcessEnv }): Promise<TwineOutcome> {
  const directory = path.dirname(artifacts[0]!);
  const result = await runProcess(python, ['-m', 'twine', 'check', '--strict', ...artifacts.map((file) => path.basename(file))], {
    cwd: directory,
    // twine prints through rich: no colour, and lines wide enough not to be wrapped.
    env: { ...options.env, NO_COLOR: '1', TERM: 'dumb', COLUMNS: '4000' },
    timeoutMs: options.timeoutMs,
  });
  const files = parseTwineCheck(result.output);
  if (result.timedOut) return { files, failure: `twine check timed out after ${Math.round(options.timeoutMs / 1000)} s` };
  if (result.spawnError) return { files, failure: `twine check could not start: ${result.spawnError.message}` };
  if (result.exitCode !== 0 && !files.some((file) => !file.passed)) {
    return { files, failure: `twine check --strict exited with ${result.exitCode ?? result.signal}:\n${outputTail(result.output, 12).join('\n')}` };
  }
  return { files, failure: undefined };
}

/** Reads twine's "Checking FILE: PASSED|FAILED|PASSED with warnings" blocks. */
export function parseTwineCheck(output: string): TwineFileResult[] {
  const results: TwineFileResult[] = [];
  let current: TwineFileResult | undefined;
  let message: string[] | undefined;
  let messageEnded = false;
  const flush = (): void => {
    if (current && message && message.length > 0) current.messages.push(message.join(' '));
    message = undefined;
  };
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    const checking = /^Checking (.+?): (PASSED with warnings|PASSED|FAILED)\b/.exec(line);
    if (checking) {
      flush();
      current = { file: path.basename(checking[1]!), passed: checking[2] !== 'FAILED', messages: [] };
      results.push(current);
      continue;
    }
    if (!current) continue;
    const start = /^(ERROR|WARNING)\s+(.*)$/.exec(line);
    if (start) {
      flush();
      message = [`${start[1] === 'WARNING' ? 'warning: ' : ''}${start[2]!.trim()}`];
      messageEnded = false;
      continue;
    }
    if (!message) continue;
    // A message's own text continues on indented lines until a blank line; after that twine quotes
    // the offending markup, which the message does not need.
    if (line.trim() === '') messageEnded = true;
    else if (!messageEnded) message.push(line.trim());
  }
  flush();
  return results;
}
