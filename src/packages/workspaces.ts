/**
 * uv workspaces: a pyproject.toml with `[tool.uv.workspace] members = [...]` (globs) and the
 * packages those globs select. `uv build --package NAME` looks a member up by name, and a build of
 * a member writes to the workspace root's dist/.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { TomlFile } from '../project/toml-file.js';
import type { Package } from './package.js';

export interface Workspace {
  /** The workspace root directory, repo-relative. */
  root: string;
  file: TomlFile;
  members: Package[];
}

export function readWorkspaces(pyprojects: readonly TomlFile[], packages: readonly Package[]): Workspace[] {
  const workspaces: Workspace[] = [];
  for (const file of pyprojects) {
    const config = file.get(['tool', 'uv', 'workspace']);
    if (!config || typeof config !== 'object' || Array.isArray(config)) continue;
    const root = path.posix.dirname(file.path);
    const globs = (key: string): string[] => {
      const value = (config as Record<string, unknown>)[key];
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').map((glob) => (root === '.' ? glob : `${root}/${glob}`).replace(/\/+$/, '')) : [];
    };
    const included = globs('members');
    const excluded = globs('exclude');
    const isMember = picomatch(included.length > 0 ? included : ['\0'], { dot: true });
    const isExcluded = excluded.length > 0 ? picomatch(excluded, { dot: true }) : () => false;
    const members = packages.filter((pkg) => pkg.dir === root || (isMember(pkg.dir) && !isExcluded(pkg.dir)));
    workspaces.push({ root, file, members });
  }
  return workspaces;
}

/** The workspace a package belongs to (its own root counts). */
export function workspaceOf(workspaces: readonly Workspace[], pkg: Package): Workspace | undefined {
  return workspaces.find((workspace) => workspace.members.includes(pkg));
}
