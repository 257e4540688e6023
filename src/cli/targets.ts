/**
 * What the command line's paths mean. None: the repository around the current directory
 * (src/project/find-root.ts), so a run from any subdirectory lints the whole setup. One directory: that
 * directory is the root, as given. Files (pre-commit passes the changed ones), or several paths: the
 * whole setup of the repository around them is linted, since a tag overlap or a missing secret is a
 * relation between files, and the report keeps the findings in those files (or below those
 * directories) and those elsewhere whose message names one of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../project/find-root.js';
import type { Finding } from '../types.js';
import { UsageError } from './errors.js';

export interface Targets {
  /** The directory linted. */
  root: string;
  /** With file arguments: the root-relative paths (`/`-separated) the report is about; else every finding. */
  only?: Target[];
}

export interface Target {
  path: string;
  directory: boolean;
}

export function resolveTargets(paths: readonly string[], cwd: string = process.cwd()): Targets {
  if (paths.length === 0) return { root: findRoot(cwd) };
  const stats = paths.map((given) => ({ given, stat: statOf(given) }));
  if (stats.length === 1 && stats[0]!.stat.isDirectory()) return { root: paths[0]! };
  const roots = new Set(stats.map(({ given, stat }) => {
    const absolute = path.resolve(cwd, given);
    const start = stat.isDirectory() ? absolute : path.dirname(absolute);
    // Outside any repository: the current directory when the path lies below it, else its own.
    return findRoot(start, isWithin(cwd, absolute) ? cwd : start);
  }));
  if (roots.size > 1) throw new UsageError(`the paths lie in different repositories (${[...roots].join(', ')}): lint one at a time`);
  const root = [...roots][0]!;
  return {
    root,
    only: stats.map(({ given, stat }) => ({ path: path.relative(root, path.resolve(cwd, given)).split(path.sep).join('/') || '.', directory: stat.isDirectory() })),
  };
}

/**
 * Which findings a run with file arguments reports: those in the files (or below the directories), and
 * those elsewhere whose message names one of the files (by its path, or a workflow by its file name,
 * as workflow messages name them).
 */
export function aboutTargets(only: readonly Target[]): (finding: Finding) => boolean {
  const within = (file: string): boolean => only.some(({ path: target }) => target === '.' || file === target || file.startsWith(`${target}/`));
  const names = only.filter((target) => !target.directory).flatMap(({ path: file }) => (/^\.github\/workflows\/[^/]+$/.test(file) ? [file, path.posix.basename(file)] : [file]));
  return (finding) => within(finding.file) || names.some((name) => mentions(finding.message, name));
}

/** Whether a message names a file: its path, not as part of a longer name (`ci.yml` is not in `release-ci.yml`). */
function mentions(message: string, name: string): boolean {
  for (let at = message.indexOf(name); at >= 0; at = message.indexOf(name, at + 1)) {
    const before = message[at - 1] ?? ' ';
    // what follows may end a sentence ("in ci.yml.") or give a line ("ci.yml:9"), not lengthen the name
    const after = message.slice(at + name.length, at + name.length + 2);
    if (!/[\w./-]/.test(before) && !/^(?:[\w/-]|\.\w)/.test(after)) return true;
  }
  return false;
}

function statOf(given: string): fs.Stats {
  try {
    return fs.statSync(given);
  } catch {
    throw new UsageError(`no such directory or file: ${given}`);
  }
}

/** Whether `absolute` is `directory` or lies below it. */
export function isWithin(directory: string, absolute: string): boolean {
  const relative = path.relative(directory, absolute);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
