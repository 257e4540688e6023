import path from 'node:path';
import { defineRule } from '../../src/engine/rule.js';
import { importName, wheelContents, type ShippedRoot } from '../../src/pyproject/contents.js';
import { filesIn, isWithin, leavesRoot } from '../../src/pyproject/fs.js';
import type { Project } from '../../src/project/project.js';
import { pushTo } from '../../src/group.js';
import { isPublished, isVirtualProject, repoPackages, type RepoPackage } from '../../src/pyproject/packages.js';
import { isValidName } from '../../src/pyproject/pep508.js';
import { valueRange } from '../../src/pyproject/toml-text.js';

export default defineRule({
  meta: {
    id: 'pyproject/package-contents',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A wheel that would ship another package of the repository, or no code at all.',
    docs: {
      catches:
        'Reads each package\'s package discovery the way its backend does — setuptools (`packages`, `package-dir`, ' +
        '`packages.find` where/include/exclude/namespaces, `py-modules`, automatic src- and flat-layout discovery), ' +
        'hatchling (wheel target or `[tool.hatch.build]` `packages`, `only-include`, `include`/`exclude`, `force-include`, ' +
        'and its default `NAME/`, `src/NAME/`, `NAME.py` heuristics), poetry-core (`packages` with `include`/`from`/`format`), ' +
        'flit (`[tool.flit.module] name`), pdm-backend (`includes`, `package-dir`), maturin (`python-source`) — and reports: ' +
        'a wheel that would contain the directory of another package of this repository (a core package swallowing its ' +
        'plugins); a wheel with no code (nothing matches the discovery, or the backend gives up); a listed package, ' +
        'module or path that does not exist; setuptools\' refusal of several top-level packages in a flat layout.',
      why:
        'When `[tool.setuptools.packages.find] where = ["src"]` also finds `src/plugin_x`, the core wheel ships the plugin ' +
        'too: installing the core overwrites the plugin\'s files, uninstalling one breaks the other, and the plugin\'s ' +
        'version is whatever the core release carried. A wheel without code installs fine and fails only at import time, ' +
        'after the version is burnt on PyPI.',
      failing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "open-ticket-ai"\nversion = "1.4.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n' +
          'include = ["open_ticket_ai*"]   # also matches src/open_ticket_ai_hf_local, a package of its own\n',
      },
      passing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "open-ticket-ai"\nversion = "1.4.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n' +
          'include = ["open_ticket_ai", "open_ticket_ai.*"]\nexclude = ["open_ticket_ai_hf_local*"]\n',
      },
      fixSafety: 'No fix: which code belongs in which distribution is a design decision.',
    },
  },
  check({ project, report }) {
    const packages = repoPackages(project);
    const { ownerOf, below } = directoryIndex(packages);

    for (const pkg of packages) {
      // What an unpublished package's wheel would hold breaks no release; an invalid name is
      // pyproject/schema's, and the backend refuses it before it looks for files.
      if (isVirtualProject(pkg) || !isPublished(project, pkg) || !isValidName(pkg.name)) continue;
      const contents = wheelContents(project, pkg);
      if (!contents.determined) continue;
      const file = pkg.pyproject;
      for (const problem of contents.problems) {
        const at = problem.config ?? file;
        report({ file: at, range: valueRange(at, problem.path), message: `${pkg.name}: ${problem.message}` });
      }
      const swallowed = new Map<RepoPackage, ShippedRoot>();
      const excludedFrom = (root: ShippedRoot, target: string): boolean => {
        const relative = path.posix.relative(pkg.dir === '.' ? '' : pkg.dir, target);
        return relative !== '' && ((root.excluded?.(`${relative}/`) || root.excluded?.(relative)) ?? false);
      };
      for (const root of contents.roots) {
        if (excludedFrom(root, root.path)) continue;
        const owner = ownerOf(root.path);
        if (owner && owner !== pkg && !swallowed.has(owner)) swallowed.set(owner, root);
        if (!root.recursive) continue;
        for (const other of below(root.path)) {
          if (other === pkg || swallowed.has(other) || excludedFrom(root, other.dir)) continue;
          swallowed.set(other, root);
        }
      }
      if (swallowed.size === 0) continue;
      // A wheel with no code of its own besides what it swallows: say so, it is the bigger mistake.
      const ownCode = contents.roots.some((root) => ownerOf(root.path) === pkg && holdsCode(project, root));
      for (const [other, root] of swallowed) {
        const shown = root.path === other.dir || isWithin(other.dir, root.path) ? other.dir : root.path;
        const evidence = `${root.reason}${shown === root.path ? ` (${shown})` : `, which holds ${shown}`}, the directory of ${other.name} (${other.pyproject.path})`;
        report({
          file: root.config ?? file,
          range: valueRange(root.config ?? file, root.source),
          message: root.unwanted
            ? `${pkg.name}: ${evidence}: its wheel would ship ${other.name}'s files under ${root.path}/, ${root.unwanted}`
            : ownCode
              ? `${pkg.name}: ${evidence}: its wheel would ship a copy of ${other.name}'s files; exclude ${shown} from ${pkg.name}'s package discovery`
              : `${pkg.name}: ${evidence}, but no package of its own: the wheel would ship ${other.name}'s files instead of ${pkg.name}'s code; add ${importName(pkg)}/ and ${limitTo(contents.backend, pkg)}`,
        });
      }
    }
  },
});

/** Whether a shipped root holds Python code: a module, or a package directory with a .py file of its own (not a bare namespace). */
function holdsCode(project: Project, root: ShippedRoot): boolean {
  return root.isFile || root.recursive || filesIn(project, root.path).some((name) => name.endsWith('.py'));
}

/** How to limit a backend's discovery to the package's own code, for the fix. */
function limitTo(backend: string, pkg: RepoPackage): string {
  const module = importName(pkg);
  if (backend === 'setuptools') return `set [tool.setuptools.packages.find] include = ["${module}", "${module}.*"]`;
  if (backend === 'hatchling') return `set [tool.hatch.build.targets.wheel] packages = ["${module}"]`;
  return 'limit package discovery to it';
}

/**
 * The packages by directory, to answer "whose directory holds this path most closely" (its nearest
 * ancestor with a package) and "which packages lie at or below this path" (a range of the sorted
 * directories) without a scan of every package per path.
 */
function directoryIndex(packages: readonly RepoPackage[]): { ownerOf(target: string): RepoPackage | undefined; below(directory: string): RepoPackage[] } {
  const byDir = new Map<string, RepoPackage[]>();
  for (const pkg of packages) pushTo(byDir, pkg.dir, pkg);
  const dirs = [...byDir.keys()].sort();
  const ownerOf = (target: string): RepoPackage | undefined => {
    if (leavesRoot(target)) return undefined;
    for (let dir = target; ; dir = path.posix.dirname(dir)) {
      const found = byDir.get(dir);
      if (found) return found[0];
      if (dir === '.') return undefined;
    }
  };
  const below = (directory: string): RepoPackage[] => {
    if (directory === '.') return [...packages];
    if (leavesRoot(directory)) return [];
    // Directories under `directory/` sort together, from the first one not before it.
    const prefix = `${directory}/`;
    let low = 0;
    let high = dirs.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (dirs[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    const found = [...(byDir.get(directory) ?? [])];
    for (let index = low; index < dirs.length && dirs[index]!.startsWith(prefix); index++) found.push(...byDir.get(dirs[index]!)!);
    return found;
  };
  return { ownerOf, below };
}
