/**
 * The GitHub Action's entry (action.yml runs dist/action.cjs, bundled from action-entry.ts): it reads the inputs from
 * the environment (PRL_PATH, PRL_ARGS, PRL_SARIF), splits `args` like a shell would but without
 * expanding anything (no globs, no variables, no command substitution), runs the linter bundle
 * beside it once for SARIF and once for annotations, and writes the step outputs. Nothing is
 * installed or compiled per run: the release commit the action's tag points at carries this
 * bundle (see .github/workflows/release.yml).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options the action sets itself; given in `args` they would send the report elsewhere. */
const RESERVED = /^(?:--format|-f|--output-file|-o)(?:=|$)/;

export class ArgsError extends Error {}

/**
 * Splits `args` into words: whitespace separates, 'single' and "double" quotes group (a backslash
 * escapes in double quotes and outside quotes), and nothing else is special: `*`, `$HOME` and
 * `$(cmd)` reach the linter as written.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word = (word ?? '') + char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && index + 1 < text.length && '"\\'.includes(text[index + 1]!)) word = (word ?? '') + text[++index];
      else word = (word ?? '') + char;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\' && index + 1 < text.length) {
      word = (word ?? '') + text[++index];
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new ArgsError(`args: unbalanced ${quote} quote in: ${text}`);
  if (word !== undefined) words.push(word);
  const reserved = words.find((candidate) => RESERVED.test(candidate));
  if (reserved) throw new ArgsError(`args: do not pass ${reserved.split('=')[0]}: the action sets the formats and the SARIF file itself (input sarif-file)`);
  return words;
}

function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (file) fs.appendFileSync(file, `${name}=${value}\n`);
}

function fail(message: string): number {
  process.stdout.write(`::error title=pypi-release-lint::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  setOutput('exit-code', '2');
  return 2;
}

/** Runs the action; `cli` is the linter bundle (dist/cli.cjs, beside dist/action.cjs). */
export function runAction(env: NodeJS.ProcessEnv = process.env, cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.cjs')): number {
  let args: string[];
  try {
    args = splitArgs(env.PRL_ARGS ?? '');
  } catch (error) {
    if (error instanceof ArgsError) return fail(error.message);
    throw error;
  }
  const target = env.PRL_PATH || '.';
  const sarif = env.PRL_SARIF ?? '';
  const lint = (extra: string[]): number => spawnSync(process.execPath, [cli, ...args, ...extra, '--', target], { stdio: 'inherit' }).status ?? 2;
  if (sarif !== '') {
    const status = lint(['--format', 'sarif', '--output-file', sarif]);
    if (status > 1) {
      setOutput('exit-code', String(status));
      return status;
    }
  }
  setOutput('sarif-file', sarif);
  // Annotations (GitHub shows 10 per type per step), then the stylish summary line with the totals.
  const status = lint(['--format', 'github']);
  setOutput('exit-code', String(status));
  return status;
}
