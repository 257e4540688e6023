/**
 * Which directory a run lints when it is not named: as ruff finds its config, from where the run
 * starts upwards, the nearest directory that configures the linter (`.pypi-release-lint.toml`, or a
 * pyproject.toml with `[tool.pypi-release-lint]`), else the top of the git work tree (a `.git`
 * directory, or the `.git` file of a worktree or submodule). The walk stops at the git top: a
 * config above the repository belongs to something else. Nothing found: `fallback`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readRegularFile } from './safe-read.js';

const CONFIG_FILE = '.pypi-release-lint.toml';
/** A pyproject's own table, or one of its subtables, opening a line: the file configures the linter. */
const TOOL_TABLE = /^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*(?:"pypi-release-lint"|pypi-release-lint)[ \t]*[.\]]/m;
/** A root pyproject beyond this is reported by the run itself; the walk only peeks. */
const PEEK_BYTES = 1024 * 1024;

export function findRoot(start: string, fallback: string = start): string {
  for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
    if (configuresLinter(directory) || fs.existsSync(path.join(directory, '.git'))) return directory;
    if (path.dirname(directory) === directory) return path.resolve(fallback);
  }
}

function configuresLinter(directory: string): boolean {
  if (isRegularFile(path.join(directory, CONFIG_FILE))) return true;
  const pyproject = readRegularFile(path.join(directory, 'pyproject.toml'), PEEK_BYTES);
  return pyproject.ok && TOOL_TABLE.test(pyproject.bytes.toString('utf8'));
}

function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}
