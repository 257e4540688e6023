/**
 * The gate never builds in the checkout: backends write build/, dist/ and *.egg-info next to the
 * sources (and a failing build leaves them behind). It copies the package directory to a temporary
 * directory and builds the copy, so the source tree is left exactly as it was.
 *
 * What is not copied: VCS metadata, virtualenvs, caches, *.egg-info and node_modules anywhere, and
 * build/ and dist/ beside a pyproject.toml (stale outputs a backend could pick up). A package whose version
 * comes from git (setuptools-scm, hatch-vcs, versioningit...) needs the repository: then the whole
 * repository is copied with its .git, and the package is built at the same relative path.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TomlPackage as Package } from '../packages/package.js';
import { normalizePackageName } from '../project/project.js';
import { hatchSetting } from '../pyproject/hatch-config.js';

const SKIPPED_EVERYWHERE = new Set(['.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.eggs']);
/** Build outputs: skipped beside a pyproject.toml (the package's own, or a nested package's). */
const BUILD_OUTPUTS = new Set(['build', 'dist']);

/** Build requirements that read the version from the git history. */
const VCS_VERSIONING = new Set(['setuptools-scm', 'hatch-vcs', 'versioningit', 'dunamai', 'poetry-dynamic-versioning', 'flit-scm', 'uv-dynamic-versioning', 'setuptools-git-versioning', 'pbr', 'vcs-versioning']);

/** Whether building the package needs the git repository (its version comes from tags). */
export function needsRepository(pkg: Package): boolean {
  const requires = pkg.pyproject.get(['build-system', 'requires']);
  const names = Array.isArray(requires)
    ? requires.filter((item): item is string => typeof item === 'string').map((item) => normalizePackageName(/^\s*([A-Za-z0-9._-]+)/.exec(item)?.[1] ?? ''))
    : [];
  if (names.some((name) => VCS_VERSIONING.has(name))) return true;
  return hatchSetting(pkg, ['version', 'source']).value === 'vcs' || pkg.pyproject.get(['tool', 'pdm', 'version', 'source']) === 'scm';
}

/**
 * Copies the package under `root` into `destination` (which must not exist) and returns the
 * directory to build. The files of `overlay` (repo path → text: the fixes of a --fix pass, not yet
 * written) replace their copies, so what is built is what was linted.
 */
export function copyPackageSource(root: string, pkg: Package, destination: string, overlay: ReadonlyMap<string, string> = new Map()): string {
  const wholeRepository = needsRepository(pkg) && fs.existsSync(path.join(root, '.git'));
  const base = wholeRepository ? '' : pkg.dir.split('/').filter((part) => part !== '.').join('/');
  copyTree(path.join(root, ...base.split('/')), destination, { keepGit: wholeRepository });
  for (const [file, text] of overlay) {
    const inCopy = base === '' ? file : file.startsWith(`${base}/`) ? file.slice(base.length + 1) : undefined;
    if (inCopy !== undefined) replaceCopied(destination, inCopy, text);
  }
  return wholeRepository ? path.join(destination, ...pkg.dir.split('/').filter((part) => part !== '.')) : destination;
}

/** Replaces a regular file the copy has (never a new file, never through a link the copy kept). */
function replaceCopied(destination: string, relative: string, text: string): void {
  const target = path.join(destination, relative);
  if (!fs.lstatSync(target, { throwIfNoEntry: false })?.isFile()) return;
  const realDestination = fs.realpathSync(destination);
  const realDirectory = fs.realpathSync(path.dirname(target));
  if (realDirectory === realDestination || realDirectory.startsWith(realDestination + path.sep)) fs.writeFileSync(target, text);
}

function copyTree(source: string, destination: string, options: { keepGit: boolean }): void {
  fs.cpSync(source, destination, {
    recursive: true,
    // Relative links stay relative; a link to a file outside the copy then dangles, as it would in the sdist.
    verbatimSymlinks: true,
    filter: (from) => {
      const relative = path.relative(source, from);
      if (relative === '') return true;
      const name = path.basename(from);
      if (name === '.git' && options.keepGit && !relative.includes(path.sep)) return true;
      if (SKIPPED_EVERYWHERE.has(name) || name.endsWith('.egg-info')) return false;
      return !(BUILD_OUTPUTS.has(name) && fs.existsSync(path.join(path.dirname(from), 'pyproject.toml')));
    },
  });
}
