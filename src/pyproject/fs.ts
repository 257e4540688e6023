import path from 'node:path';
import type { Project } from '../project/project.js';

/**
 * Read-only questions about the checkout that the pyproject rules ask (does this path exist, is it a
 * directory, what is in it), answered within the root: a symlink that leaves the repository counts
 * as missing, as the FileStore treats it. Paths are repo-relative POSIX paths.
 */

/** Directories no backend ships and no rule needs to look into. */
const NEVER_SHIPPED = new Set(['__pycache__', '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache']);

export function isFile(project: Project, relativePath: string): boolean {
  return project.store.stat(relativePath) === 'file';
}

export function isDirectory(project: Project, relativePath: string): boolean {
  return project.store.stat(relativePath) === 'directory';
}

/** `a/b` joined with `../c` → `a/c`; '.' for the root; keeps a leading '../' when the path leaves the root. */
export function joinPath(directory: string, relative: string): string {
  const joined = path.posix.normalize(path.posix.join(directory, relative));
  return joined.replace(/\/+$/, '') || '.';
}

/** True when `inner` is `outer` or lies below it ('.' contains everything inside the root). */
export function isWithin(inner: string, outer: string): boolean {
  if (outer === '.') return !leavesRoot(inner);
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** A normalised repo-relative path that points above the root. */
export function leavesRoot(relativePath: string): boolean {
  return relativePath === '..' || relativePath.startsWith('../') || path.posix.isAbsolute(relativePath);
}

/** Names of the subdirectories of a directory, sorted, without caches and VCS directories. */
export function subdirectories(project: Project, directory: string): string[] {
  return project
    .listDirectory(directory)
    .filter((name) => !NEVER_SHIPPED.has(name) && isDirectory(project, joinPath(directory, name)));
}

/** Names of the files of a directory, sorted. */
export function filesIn(project: Project, directory: string): string[] {
  return project.listDirectory(directory).filter((name) => isFile(project, joinPath(directory, name)));
}

/** Every file below a directory (repo-relative), at most `limit` of them, skipping caches. */
export function walkFiles(project: Project, directory: string, limit = 5000): string[] {
  const found: string[] = [];
  const visit = (current: string): void => {
    for (const name of project.listDirectory(current)) {
      if (found.length >= limit) return;
      const child = joinPath(current, name);
      if (NEVER_SHIPPED.has(name)) continue;
      const kind = project.store.stat(child);
      if (kind === 'directory') visit(child);
      else if (kind === 'file' && !name.endsWith('.pyc')) found.push(child);
    }
  };
  visit(directory);
  return found;
}
