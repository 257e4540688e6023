/**
 * Paths as a workflow run sees them: relative to the checkout (GITHUB_WORKSPACE), or absolute
 * elsewhere on the runner (/tmp/dist). The plan keeps checkout paths repo-relative ('.' for the
 * root) so they compare with package directories; other absolute paths stay absolute.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { WORKSPACE } from './events.js';

/** A checkout path made repo-relative and normalised: `/github/workspace/a/./b/` → `a/b`, `` → `.`. */
export function normalizeRunPath(value: string): string {
  let text = value.replace(/\\/g, '/');
  if (text === WORKSPACE || text.startsWith(`${WORKSPACE}/`)) text = text.slice(WORKSPACE.length + 1);
  if (text.startsWith('~')) return path.posix.normalize(`/~${text.slice(1)}`);
  const normalized = path.posix.normalize(text === '' ? '.' : text).replace(/\/+$/, '');
  if (normalized.startsWith('/')) return normalized;
  return normalized === '' ? '.' : normalized;
}

/** `relative` resolved from `directory` (both run paths). */
export function resolveRunPath(directory: string, relative: string): string {
  if (relative.startsWith('/') || relative.startsWith('~')) return normalizeRunPath(relative);
  if (directory.startsWith('/')) return normalizeRunPath(`${directory}/${relative}`);
  return normalizeRunPath(path.posix.join(directory, relative));
}

const GLOB = /[*?[{]/;

/** Splits a path pattern into its directory part and its file part: `pkgs/a/dist/*.whl` → `pkgs/a/dist` and `*.whl`. */
export function splitPattern(pattern: string): { directory: string; file: string | undefined } {
  const parts = pattern.split('/');
  const last = parts[parts.length - 1]!;
  if (GLOB.test(last) || /\.(?:whl|tar\.gz|zip|egg)$/.test(last)) return { directory: parts.slice(0, -1).join('/') || '.', file: last };
  return { directory: pattern, file: undefined };
}

/** Whether the directory pattern `pattern` (globs allowed) names `directory`. */
export function directoryMatches(pattern: string, directory: string): boolean {
  if (!GLOB.test(pattern)) return pattern === directory;
  return picomatch(pattern, { dot: true })(directory);
}

/** Whether `inner` is `outer` or below it. */
export function isWithinRunPath(inner: string, outer: string): boolean {
  if (outer === '.') return !inner.startsWith('/') && !inner.startsWith('..');
  return inner === outer || inner.startsWith(`${outer}/`);
}

export function hasGlob(text: string): boolean {
  return GLOB.test(text);
}
