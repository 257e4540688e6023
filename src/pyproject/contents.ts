/**
 * Which files a package's wheel would contain, read from its build backend's package discovery:
 *
 * - setuptools: `[tool.setuptools] packages = [...]` with `package-dir`, `packages.find` (`where`,
 *   `include`, `exclude`, `namespaces`), `py-modules`, and automatic discovery (explicit
 *   package-dir, src-layout, flat-layout with its excluded names and its "multiple top-level
 *   packages" error), walked the way setuptools.discovery walks the tree;
 * - hatchling: the wheel target's (or `[tool.hatch.build]`'s) `packages`, `only-include`,
 *   `include`/`exclude` (gitignore-style patterns), `force-include`, and the default heuristics
 *   (`NAME/`, `src/NAME/`, `NAME.py`, `*\/NAME/`);
 * - poetry-core: `[tool.poetry] packages` (`include`, `from`, `format`) or the default module;
 * - flit-core: `[tool.flit.module] name` or the project name;
 * - pdm-backend: `[tool.pdm.build] includes`, `package-dir` (src/ by default), or the top-level packages;
 * - maturin: `python-source` and Cargo.toml.
 *
 * The answer is a list of roots (directories or files, repo-relative) each tied to the key that
 * selected it, and the problems a build would hit (a listed directory that does not exist, nothing
 * to ship). Other backends are "undetermined": the rules then say nothing.
 */
import path from 'node:path';
import ignore from 'ignore';
import { factKey, type Project } from '../project/project.js';
import { asTable, type TomlFile, type TomlKeyPath } from '../project/toml-file.js';
import { hatchSetting } from './hatch-config.js';
import { distributionOfBackend } from './backends.js';
import { filesIn, isDirectory, isFile, joinPath, leavesRoot, subdirectories, walkFiles } from './fs.js';
import { identifierMatcher, isAscii } from './identifier.js';
import type { RepoPackage } from './packages.js';

export interface ShippedRoot {
  /** Repo-relative directory or file. */
  path: string;
  /** A directory whose whole tree ships (hatch, flit, poetry), or only its own files (a setuptools package). */
  recursive: boolean;
  isFile: boolean;
  /** The key that selected it, where a finding points: in `config` when given (a hatch.toml), else in the pyproject.toml. */
  source: TomlKeyPath;
  config?: TomlFile;
  /** How it was selected, for messages (`include "open_ticket_ai*" matches open_ticket_ai_hf_local`). */
  reason: string;
  /** Paths (relative to the package dir) that the config excludes from this root, as a predicate. */
  excluded?: (relativePath: string) => boolean;
  /** Why it ships though the config asked for no files (hatchling's bypass-selection), and how to stop it. */
  unwanted?: string;
}

export interface ContentsProblem {
  /** Where the finding points: in `config` when given (a hatch.toml), else in the pyproject.toml. */
  path: TomlKeyPath;
  config?: TomlFile;
  message: string;
  /** Nothing at all would ship. */
  empty?: boolean;
}

export interface WheelContents {
  /** The backend's distribution name (setuptools, hatchling, poetry-core...). */
  backend: string;
  /** False when the linter cannot tell (an unknown backend, a setup.py that may configure packages). */
  determined: boolean;
  roots: ShippedRoot[];
  problems: ContentsProblem[];
}

/** Stops walks of huge trees; real package trees are far smaller. */
const MAX_DIRECTORIES = 20_000;

const WHEEL_CONTENTS = factKey<WheelContents>('pyproject:contents');

/** The wheel contents of a package, once per run. */
export function wheelContents(project: Project, pkg: RepoPackage): WheelContents {
  return project.fact(WHEEL_CONTENTS, () => computeContents(project, pkg), pkg.dir);
}

function computeContents(project: Project, pkg: RepoPackage): WheelContents {
  const backendReference = pkg.pyproject.get(['build-system', 'build-backend']);
  const backend =
    typeof backendReference === 'string' ? distributionOfBackend(backendReference) : pkg.kind === 'poetry' ? 'poetry-core' : 'setuptools';
  switch (backend) {
    case 'setuptools':
      return setuptoolsContents(project, pkg);
    case 'hatchling':
      return hatchContents(project, pkg);
    case 'poetry-core':
      return poetryContents(project, pkg);
    case 'flit-core':
      return flitContents(project, pkg);
    case 'pdm-backend':
      return pdmContents(project, pkg);
    case 'maturin':
      return maturinContents(project, pkg);
    default:
      return { backend, determined: false, roots: [], problems: [] };
  }
}


function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** Python's str.isidentifier(), near enough. */
export const isIdentifier: (name: string) => boolean = identifierMatcher((identifier) => new RegExp(`^${identifier}$`, 'u'));

/** fnmatch.fnmatchcase as a RegExp: `*` any run, `?` one character, `[...]`/`[!...]` classes. */
export function fnmatchToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let inside = pattern.slice(i + 1, close);
      if (inside.startsWith('!')) inside = `^${inside.slice(1)}`;
      source += `[${inside.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

// ---------------------------------------------------------------------------------------------
// setuptools

interface FoundPackage {
  name: string;
  dir: string;
  /** Index of the first include pattern that matched, when include patterns were given. */
  includeIndex?: number;
}

interface FinderOptions {
  include: string[];
  exclude: string[];
  /** PEP 420: every directory is a package (pyproject's find default, and automatic discovery). */
  namespaces: boolean;
  /** setuptools' FlatLayoutPackageFinder: identifiers only. */
  flat?: boolean;
}

/** setuptools.discovery.PackageFinder._find_iter over a repo directory. */
function findPackages(project: Project, where: string, options: FinderOptions): FoundPackage[] {
  const include = options.include.map(fnmatchToRegExp);
  const excludePatterns = [...options.exclude, 'ez_setup', '*__pycache__'];
  const exclude = excludePatterns.map(fnmatchToRegExp);
  const found: FoundPackage[] = [];
  let visited = 0;
  const walk = (directory: string, prefix: string): void => {
    for (const name of subdirectories(project, directory)) {
      if (++visited > MAX_DIRECTORIES) return;
      const dir = joinPath(directory, name);
      const packageName = prefix ? `${prefix}.${name}` : name;
      if (name.includes('.')) continue;
      if (options.flat) {
        const parts = packageName.split('.');
        if (!(isIdentifier(parts[0]!) || parts[0]!.endsWith('-stubs')) || !parts.slice(1).every(isIdentifier)) continue;
      } else if (!options.namespaces && !isFile(project, joinPath(dir, '__init__.py'))) continue;
      const includeIndex = include.findIndex((regex) => regex.test(packageName));
      if (includeIndex !== -1 && !exclude.some((regex) => regex.test(packageName))) found.push({ name: packageName, dir, includeIndex });
      if (excludePatterns.includes(`${packageName}*`) || excludePatterns.includes(`${packageName}.*`)) continue;
      walk(dir, packageName);
    }
  };
  walk(where, '');
  return found;
}

/** setuptools.discovery.ModuleFinder: top-level *.py files whose names are identifiers. */
function findModules(project: Project, where: string, exclude: string[] = []): string[] {
  const excluded = exclude.map(fnmatchToRegExp);
  return filesIn(project, where)
    .filter((file) => file.endsWith('.py'))
    .map((file) => file.slice(0, -3))
    .filter((module) => isIdentifier(module) && !excluded.some((regex) => regex.test(module)));
}

const FLAT_LAYOUT_EXCLUDE = [
  'ci', 'bin', 'debian', 'doc', 'docs', 'documentation', 'manpages', 'news', 'newsfragments', 'changelog', 'test', 'tests',
  'unit_test', 'unit_tests', 'example', 'examples', 'scripts', 'tools', 'util', 'utils', 'python', 'build', 'dist', 'venv', 'env',
  'requirements', 'tasks', 'fabfile', 'site_scons', 'benchmark', 'benchmarks', 'exercise', 'exercises', 'htmlcov', '[._]*',
].flatMap((name) => [name, `${name}.*`]);

const FLAT_LAYOUT_MODULE_EXCLUDE = [
  'setup', 'conftest', 'test', 'tests', 'example', 'examples', 'build', 'toxfile', 'noxfile', 'pavement', 'dodo', 'tasks', 'fabfile',
  '[Ss][Cc]onstruct', 'conanfile', 'manage', 'benchmark', 'benchmarks', 'exercise', 'exercises', '[._]*',
];

/** `[tool.setuptools] package-dir`, plus `"" = WHERE` that a single `find.where` implies. */
function setuptoolsPackageDirMap(pkg: RepoPackage): Record<string, string> {
  const configured = asTable(pkg.pyproject.get(['tool', 'setuptools', 'package-dir'])) ?? {};
  const map: Record<string, string> = {};
  for (const [key, value] of Object.entries(configured)) if (typeof value === 'string') map[key] = value;
  const find = asTable(asTable(pkg.pyproject.get(['tool', 'setuptools', 'packages']))?.find);
  const where = strings(find?.where);
  if (find && where && where.length === 1 && where[0] !== '.' && map[''] === undefined) map[''] = where[0]!;
  return map;
}

/** The directory setuptools reads a dotted package from (distutils' get_package_dir). */
function setuptoolsPackageDir(pkg: RepoPackage, packageName: string, map: Record<string, string>): string {
  const parts = packageName.split('.');
  for (let length = parts.length; length >= 0; length--) {
    const prefix = parts.slice(0, length).join('.');
    const mapped = map[prefix];
    if (mapped !== undefined) return joinPath(pkg.dir, [mapped, ...parts.slice(length)].filter(Boolean).join('/') || '.');
  }
  return joinPath(pkg.dir, parts.join('/'));
}

/** Directories setuptools may read top-level modules from (for `attr` versions): package-dir "" or src/, else the package dir. */
export function setuptoolsPackageDirs(pkg: RepoPackage): string[] {
  const map = setuptoolsPackageDirMap(pkg);
  const bases = [map[''] !== undefined ? joinPath(pkg.dir, map['']) : undefined, joinPath(pkg.dir, 'src'), pkg.dir];
  return [...new Set(bases.filter((base): base is string => base !== undefined))];
}

/** The file of a dotted module (`a.b` → `a/b/__init__.py` or `a/b.py`) under one of the bases, as setuptools maps it. */
export function findModule(project: Project, pkg: RepoPackage, dotted: string, bases: string[]): string | undefined {
  const map = setuptoolsPackageDirMap(pkg);
  const candidates: string[] = [];
  const mappedDir = setuptoolsPackageDir(pkg, dotted, map);
  candidates.push(joinPath(mappedDir, '__init__.py'), `${mappedDir}.py`);
  const relative = dotted.split('.').join('/');
  for (const base of bases) candidates.push(joinPath(base, `${relative}/__init__.py`), joinPath(base, `${relative}.py`));
  return candidates.find((candidate) => !leavesRoot(candidate) && isFile(project, candidate));
}

function setuptoolsContents(project: Project, pkg: RepoPackage): WheelContents {
  const result: WheelContents = { backend: 'setuptools', determined: true, roots: [], problems: [] };
  const settings = asTable(pkg.pyproject.get(['tool', 'setuptools'])) ?? {};
  const map = setuptoolsPackageDirMap(pkg);
  const packages = settings.packages;
  const modules = strings(settings['py-modules']);
  const hasSetupPy = isFile(project, joinPath(pkg.dir, 'setup.py'));

  if (Array.isArray(packages)) {
    packages.forEach((name, index) => {
      if (typeof name !== 'string') return;
      const dir = setuptoolsPackageDir(pkg, name, map);
      const source: TomlKeyPath = ['tool', 'setuptools', 'packages', index];
      if (leavesRoot(dir) || !isDirectory(project, dir)) {
        result.problems.push({ path: source, message: `packages lists "${name}", but its directory ${dir} does not exist (setuptools fails: "package directory '${relativeTo(pkg.dir, dir)}' does not exist")` });
        return;
      }
      result.roots.push({ path: dir, recursive: false, isFile: false, source, reason: `packages lists "${name}"` });
    });
  } else if (asTable(packages)?.find !== undefined) {
    const find = asTable(asTable(packages)!.find) ?? {};
    const findPath: TomlKeyPath = ['tool', 'setuptools', 'packages', 'find'];
    const wheres = strings(find.where) ?? ['.'];
    const include = strings(find.include);
    const exclude = strings(find.exclude) ?? [];
    const namespaces = find.namespaces !== false;
    wheres.forEach((where, whereIndex) => {
      const base = joinPath(pkg.dir, where);
      const wherePath: TomlKeyPath = find.where === undefined ? findPath : [...findPath, 'where', whereIndex];
      if (leavesRoot(base) || !isDirectory(project, base)) {
        const alone = wheres.length === 1 && modules === undefined;
        result.problems.push({
          path: wherePath,
          message:
            `[tool.setuptools.packages.find] where "${where}" names a directory that does not exist${base === where ? '' : ` (${base})`}: setuptools finds no package there` +
            `${alone ? ', and the wheel would hold no code' : ''}; create ${joinPath(where, importName(pkg))}/ or correct where`,
        });
        return;
      }
      for (const found of findPackages(project, base, { include: include ?? ['*'], exclude, namespaces })) {
        const byInclude = include !== undefined;
        result.roots.push({
          path: found.dir,
          recursive: false,
          isFile: false,
          source: byInclude ? [...findPath, 'include', found.includeIndex!] : wherePath,
          reason: byInclude ? `include "${include[found.includeIndex!]}" matches ${found.name}` : `packages.find where "${where}" finds ${found.name}${exclude.length ? ' (no exclude pattern matches it)' : ''}`,
        });
      }
    });
    if (result.roots.length === 0 && result.problems.length === 0) {
      const anchor: TomlKeyPath = include ? [...findPath, 'include'] : find.where !== undefined ? [...findPath, 'where'] : findPath;
      result.problems.push({
        path: anchor,
        message:
          `[tool.setuptools.packages.find] finds no package under ${wheres.map((where) => joinPath(pkg.dir, where)).join(', ')}${include ? ` matching ${include.map((pattern) => `"${pattern}"`).join(', ')}` : ''}: ` +
          `the wheel would hold no code; create ${joinPath(wheres[0]!, importName(pkg))}/ (a directory with __init__.py) or correct ${include ? 'include' : 'where'}`,
        empty: true,
      });
    }
  }

  if (modules) {
    modules.forEach((name, index) => {
      const file = `${setuptoolsPackageDir(pkg, name, map)}.py`;
      const source: TomlKeyPath = ['tool', 'setuptools', 'py-modules', index];
      if (!isFile(project, file)) result.problems.push({ path: source, message: `py-modules lists "${name}", but ${file} does not exist` });
      else result.roots.push({ path: file, recursive: false, isFile: true, source, reason: `py-modules lists "${name}"` });
    });
  }

  if (packages === undefined && modules === undefined) {
    if (hasSetupPy) return { ...result, determined: false };
    autoDiscovery(project, pkg, map, result);
  } else if (hasSetupPy && result.roots.length === 0) {
    return { ...result, determined: false, problems: [] };
  }
  return result;
}

/** setuptools' automatic discovery: explicit package-dir, else src-layout, else flat-layout. */
function autoDiscovery(project: Project, pkg: RepoPackage, map: Record<string, string>, result: WheelContents): void {
  const anchor: TomlKeyPath = pkg.pyproject.get(['tool', 'setuptools']) !== undefined ? ['tool', 'setuptools'] : ['build-system', 'build-backend'];
  const explicit = Object.entries(map).filter(([name]) => name !== '');
  if (explicit.length > 0) {
    for (const [name, parent] of explicit) {
      const dir = joinPath(pkg.dir, parent);
      const source: TomlKeyPath = ['tool', 'setuptools', 'package-dir', name];
      if (!isDirectory(project, dir)) {
        result.problems.push({ path: source, message: `package-dir maps "${name}" to ${dir}, which does not exist` });
        continue;
      }
      result.roots.push({ path: dir, recursive: false, isFile: false, source, reason: `package-dir maps "${name}" to ${relativeTo(pkg.dir, dir)}` });
      for (const found of findPackages(project, dir, { include: ['*'], exclude: [], namespaces: true })) {
        result.roots.push({ path: found.dir, recursive: false, isFile: false, source, reason: `automatic discovery finds ${name}.${found.name}` });
      }
    }
    return;
  }
  const srcDir = joinPath(pkg.dir, map[''] ?? 'src');
  if (isDirectory(project, srcDir)) {
    const source: TomlKeyPath = map[''] !== undefined ? ['tool', 'setuptools', 'package-dir', ''] : anchor;
    for (const found of findPackages(project, srcDir, { include: ['*'], exclude: [], namespaces: true })) {
      result.roots.push({ path: found.dir, recursive: false, isFile: false, source, reason: `automatic discovery (src-layout) finds ${found.name} in ${srcDir}` });
    }
    for (const module of findModules(project, srcDir)) {
      result.roots.push({ path: joinPath(srcDir, `${module}.py`), recursive: false, isFile: true, source, reason: `automatic discovery (src-layout) finds the module ${module}` });
    }
    if (result.roots.length === 0) {
      result.problems.push({
        path: anchor,
        message: `setuptools' automatic discovery (src-layout) finds no package or module in ${srcDir}: the wheel would hold no code; add ${joinPath(srcDir, importName(pkg))}/ (a directory with __init__.py), or list packages in [tool.setuptools]`,
        empty: true,
      });
    }
    return;
  }
  const found = findPackages(project, pkg.dir, { include: ['*'], exclude: FLAT_LAYOUT_EXCLUDE, namespaces: true, flat: true });
  const topLevel = [...new Set(found.map((item) => item.name.split('.')[0]!))].filter((name) => !name.endsWith('-stubs'));
  if (topLevel.length > 1) {
    result.problems.push({
      path: anchor,
      message: `setuptools' automatic discovery finds several top-level packages in a flat layout (${topLevel.join(', ')}) and refuses to build; list the package in [tool.setuptools] packages or packages.find`,
    });
    return;
  }
  if (found.length > 0) {
    for (const item of found) result.roots.push({ path: item.dir, recursive: false, isFile: false, source: anchor, reason: `automatic discovery (flat layout) finds ${item.name}` });
    return;
  }
  const modules = findModules(project, pkg.dir, FLAT_LAYOUT_MODULE_EXCLUDE);
  if (modules.length > 1) {
    result.problems.push({ path: anchor, message: `setuptools' automatic discovery finds several top-level modules in a flat layout (${modules.join(', ')}) and refuses to build; list them in [tool.setuptools] py-modules` });
    return;
  }
  for (const module of modules) result.roots.push({ path: joinPath(pkg.dir, `${module}.py`), recursive: false, isFile: true, source: anchor, reason: `automatic discovery finds the module ${module}` });
  if (result.roots.length === 0) {
    const module = importName(pkg);
    result.problems.push({
      path: anchor,
      message:
        `setuptools' automatic discovery finds no package and no module in ${pkg.dir === '.' ? 'the repository root' : pkg.dir}: the wheel would hold no code; ` +
        `add ${joinPath(pkg.dir, module)}/ (or ${joinPath(pkg.dir, `src/${module}`)}/), or list packages in [tool.setuptools]`,
      empty: true,
    });
  }
}

/** The import name a package's code conventionally has: `open-ticket-ai` → `open_ticket_ai`. */
export function importName(pkg: RepoPackage): string {
  return pkg.normalizedName.replace(/-/g, '_');
}

function relativeTo(base: string, target: string): string {
  const relative = path.posix.relative(base === '.' ? '' : base, target);
  return relative === '' ? '.' : relative;
}

// ---------------------------------------------------------------------------------------------
// hatchling

/** hatchling's normalize_file_name_component. */
function hatchFileName(name: string): string {
  // The ASCII class for ASCII names (see identifier.ts).
  return isAscii(name) ? name.replace(/[^A-Za-z0-9_.]+/g, '_') : name.replace(/[^\p{L}\p{N}_.]+/gu, '_');
}

function hatchContents(project: Project, pkg: RepoPackage): WheelContents {
  const result: WheelContents = { backend: 'hatchling', determined: true, roots: [], problems: [] };
  // [tool.hatch.build] of pyproject.toml, or [build] of a hatch.toml beside it.
  const setting = hatchSetting(pkg, ['build']);
  const config = setting.file === pkg.pyproject ? {} : { config: setting.file };
  const buildPath = setting.path;
  const targetPath: TomlKeyPath = [...buildPath, 'targets', 'wheel'];
  const build = asTable(setting.value) ?? {};
  const target = asTable(asTable(asTable(build.targets)?.wheel)) ?? {};
  const option = (key: string): { value: unknown; path: TomlKeyPath } | undefined =>
    target[key] !== undefined ? { value: target[key], path: [...targetPath, key] } : build[key] !== undefined ? { value: build[key], path: [...buildPath, key] } : undefined;
  const packages = option('packages');
  const onlyInclude = option('only-include');
  const include = option('include');
  const exclude = option('exclude');
  const forceInclude = option('force-include');
  const excludePatterns = strings(exclude?.value) ?? [];
  const excludeMatcher = excludePatterns.length ? ignore().add(excludePatterns) : undefined;
  const excluded = excludeMatcher ? (relative: string) => relative !== '' && relative !== '.' && excludeMatcher.ignores(relative) : undefined;

  const addPaths = (entry: { value: unknown; path: TomlKeyPath } | undefined, key: string): void => {
    if (!entry || !Array.isArray(entry.value)) return;
    entry.value.forEach((value, index) => {
      if (typeof value !== 'string') return;
      const listed = joinPath(pkg.dir, value);
      const source: TomlKeyPath = [...entry.path, index];
      if (leavesRoot(listed) || (!isDirectory(project, listed) && !isFile(project, listed))) {
        result.problems.push({ path: source, ...config, message: `${key} lists "${value}", but ${listed} does not exist: the wheel would not contain it` });
        return;
      }
      const file = isFile(project, listed);
      result.roots.push({ path: listed, recursive: !file, isFile: file, source, ...config, reason: `${key} lists "${value}"`, ...(excluded ? { excluded } : {}) });
    });
  };
  addPaths(packages, 'packages');
  addPaths(onlyInclude, 'only-include');

  const includePatterns = strings(include?.value);
  if (!packages && !onlyInclude && includePatterns && includePatterns.length > 0) {
    const matcher = ignore().add(includePatterns);
    const files = walkFiles(project, pkg.dir).filter((file) => {
      const relative = relativeTo(pkg.dir, file);
      return matcher.ignores(relative) && !(excluded?.(relative) ?? false);
    });
    includePatterns.forEach((pattern, index) => {
      const single = ignore().add(pattern);
      const matched = files.filter((file) => single.ignores(relativeTo(pkg.dir, file)));
      for (const file of matched) result.roots.push({ path: file, recursive: false, isFile: true, source: [...include!.path, index], ...config, reason: `include "${pattern}" matches ${relativeTo(pkg.dir, file)}` });
    });
    if (files.length === 0) result.problems.push({ path: include!.path, ...config, message: `include ${includePatterns.map((pattern) => `"${pattern}"`).join(', ')} matches no file: the wheel would hold no code`, empty: true });
  }

  const forced = asTable(forceInclude?.value);
  if (forced) {
    for (const [from, to] of Object.entries(forced)) {
      const source = joinPath(pkg.dir, from);
      const keyPath: TomlKeyPath = [...forceInclude!.path, from];
      if (leavesRoot(source) || (!isDirectory(project, source) && !isFile(project, source))) {
        result.problems.push({ path: keyPath, ...config, message: `force-include "${from}" does not exist (${source}); hatchling fails with "Forced include not found"` });
        continue;
      }
      const file = isFile(project, source);
      result.roots.push({ path: source, recursive: !file, isFile: file, source: keyPath, ...config, reason: `force-include "${from}" = ${JSON.stringify(to)}` });
    }
  }

  if (!packages && !onlyInclude && !include) {
    // A metadata-only wheel (a metapackage): hatchling honours bypass-selection, artifacts or a
    // force-include only when none of its name heuristics below finds a package.
    const bypass = target['bypass-selection'] === true ? { path: [...targetPath, 'bypass-selection'] } : undefined;
    const selected = (root: ShippedRoot): ShippedRoot =>
      bypass
        ? {
            ...root,
            source: bypass.path,
            unwanted:
              'though bypass-selection = true asks for none (hatchling bypasses selection only when none of its name heuristics matches); ' +
              `add "/${relativeTo(pkg.dir, root.path)}" to [tool.hatch.build.targets.wheel] exclude for a wheel without files`,
          }
        : root;
    const names = [...new Set([hatchFileName(pkg.name), hatchFileName(pkg.normalizedName)])];
    for (const name of names) {
      const candidates: [string, boolean][] = [
        [joinPath(pkg.dir, name), true],
        [joinPath(pkg.dir, `src/${name}`), true],
        [joinPath(pkg.dir, `${name}.py`), false],
      ];
      const hit = candidates.find(([candidate, isPackage]) => (isPackage ? isFile(project, joinPath(candidate, '__init__.py')) : isFile(project, candidate)));
      if (hit) {
        result.roots.push(selected({ path: hit[0], recursive: hit[1], isFile: !hit[1], source: ['project', 'name'], reason: `hatchling's default file selection picks ${relativeTo(pkg.dir, hit[0])} for the name "${pkg.name}"`, ...(excluded ? { excluded } : {}) }));
        break;
      }
      const namespaces = subdirectories(project, pkg.dir).filter((parent) => isFile(project, joinPath(pkg.dir, `${parent}/${name}/__init__.py`)));
      if (namespaces.length === 1) {
        const dir = joinPath(pkg.dir, namespaces[0]!);
        result.roots.push(selected({ path: dir, recursive: true, isFile: false, source: ['project', 'name'], reason: `hatchling's default file selection picks the namespace ${namespaces[0]}/${name}`, ...(excluded ? { excluded } : {}) }));
        break;
      }
    }
    if (result.roots.length === 0 && !bypass && target.artifacts === undefined && build.artifacts === undefined) {
      result.problems.push({
        path: ['project', 'name'],
        message: `hatchling finds nothing to ship: no ${names[0]}/ or src/${names[0]}/ package and no ${names[0]}.py module matches the name "${pkg.name}" (the build fails with "Unable to determine which files to ship inside the wheel"); set [tool.hatch.build.targets.wheel] packages`,
        empty: true,
      });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// poetry-core, flit-core, pdm-backend, maturin

function hasGlob(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

/** Matches a glob under a repo directory (no symlinks out of the root). */
function globUnder(project: Project, base: string, pattern: string): string[] {
  return project.store.glob(base, pattern, { onlyFiles: false, dot: false, ignore: ['**/__pycache__/**'] }).map((match) => joinPath(base, match));
}

function poetryContents(project: Project, pkg: RepoPackage): WheelContents {
  const result: WheelContents = { backend: 'poetry-core', determined: true, roots: [], problems: [] };
  const packages = pkg.pyproject.get(['tool', 'poetry', 'packages']);
  if (Array.isArray(packages)) {
    packages.forEach((entry, index) => {
      const spec = asTable(entry);
      if (!spec || typeof spec.include !== 'string') return;
      const formats = typeof spec.format === 'string' ? [spec.format] : (strings(spec.format) ?? ['sdist', 'wheel']);
      if (!formats.includes('wheel')) return;
      const base = joinPath(pkg.dir, typeof spec.from === 'string' ? spec.from : '.');
      const source: TomlKeyPath = ['tool', 'poetry', 'packages', index, 'include'];
      const matches = hasGlob(spec.include) ? globUnder(project, base, spec.include) : [joinPath(base, spec.include)].filter((candidate) => isDirectory(project, candidate) || isFile(project, candidate));
      if (matches.length === 0) {
        result.problems.push({ path: source, message: `packages include "${spec.include}"${spec.from ? ` from "${spec.from}"` : ''} matches nothing in ${base}: poetry-core fails ("No file/folder found for package ${spec.include}")` });
        return;
      }
      for (const match of matches) {
        const file = isFile(project, match);
        result.roots.push({ path: match, recursive: !file, isFile: file, source, reason: `packages include "${spec.include}"` });
      }
    });
    if (result.roots.length === 0 && result.problems.length === 0) {
      result.problems.push({ path: ['tool', 'poetry', 'packages'], message: 'every [tool.poetry] packages entry is sdist-only: the wheel would hold no code', empty: true });
    }
    return result;
  }
  const moduleName = importName(pkg);
  const candidates = [joinPath(pkg.dir, moduleName), joinPath(pkg.dir, `src/${moduleName}`), joinPath(pkg.dir, `${moduleName}.py`), joinPath(pkg.dir, `src/${moduleName}.py`)];
  const hit = candidates.find((candidate) => (candidate.endsWith('.py') ? isFile(project, candidate) : isDirectory(project, candidate)));
  const anchor: TomlKeyPath = pkg.namePath;
  if (!hit) {
    result.problems.push({ path: anchor, message: `poetry-core finds no ${moduleName}/, src/${moduleName}/ or ${moduleName}.py for the name "${pkg.name}" (the build fails with "No file/folder found for package ${pkg.name}"); list the code in [tool.poetry] packages`, empty: true });
  } else {
    result.roots.push({ path: hit, recursive: !hit.endsWith('.py'), isFile: hit.endsWith('.py'), source: anchor, reason: `poetry-core's default package ${relativeTo(pkg.dir, hit)}` });
  }
  return result;
}

function flitContents(project: Project, pkg: RepoPackage): WheelContents {
  const result: WheelContents = { backend: 'flit-core', determined: true, roots: [], problems: [] };
  const configured = pkg.pyproject.get(['tool', 'flit', 'module', 'name']);
  const moduleName = typeof configured === 'string' ? configured : pkg.name.replace(/[-.]/g, '_');
  const relative = moduleName.split('.').join('/');
  const anchor: TomlKeyPath = typeof configured === 'string' ? ['tool', 'flit', 'module', 'name'] : ['project', 'name'];
  const candidates = [joinPath(pkg.dir, relative), joinPath(pkg.dir, `${relative}.py`), joinPath(pkg.dir, `src/${relative}`), joinPath(pkg.dir, `src/${relative}.py`)];
  const hit = candidates.find((candidate) => (candidate.endsWith('.py') ? isFile(project, candidate) : isDirectory(project, candidate)));
  if (!hit) {
    result.problems.push({ path: anchor, message: `flit finds no module "${moduleName}" (${relative}/ or ${relative}.py, at the top or under src/): the build fails with "No file/folder found for module ${moduleName}"`, empty: true });
  } else {
    result.roots.push({ path: hit, recursive: !hit.endsWith('.py'), isFile: hit.endsWith('.py'), source: anchor, reason: `flit ships the module "${moduleName}"` });
  }
  return result;
}

function pdmContents(project: Project, pkg: RepoPackage): WheelContents {
  const result: WheelContents = { backend: 'pdm-backend', determined: true, roots: [], problems: [] };
  const buildPath: TomlKeyPath = ['tool', 'pdm', 'build'];
  const build = asTable(pkg.pyproject.get(buildPath)) ?? {};
  const packageDirValue = typeof build['package-dir'] === 'string' ? build['package-dir'] : isDirectory(project, joinPath(pkg.dir, 'src')) ? 'src' : '.';
  const packageDir = joinPath(pkg.dir, packageDirValue);
  const includes = strings(build.includes);
  if (includes && includes.length > 0) {
    includes.forEach((pattern, index) => {
      const source: TomlKeyPath = [...buildPath, 'includes', index];
      const matches = hasGlob(pattern) ? globUnder(project, pkg.dir, pattern) : [joinPath(pkg.dir, pattern)].filter((candidate) => isDirectory(project, candidate) || isFile(project, candidate));
      if (matches.length === 0) {
        result.problems.push({ path: source, message: `includes "${pattern}" matches nothing in ${pkg.dir}` });
        return;
      }
      for (const match of matches) {
        const file = isFile(project, match);
        result.roots.push({ path: match, recursive: !file, isFile: file, source, reason: `includes "${pattern}"` });
      }
    });
    return result;
  }
  const anchor: TomlKeyPath = build['package-dir'] !== undefined ? [...buildPath, 'package-dir'] : ['build-system', 'build-backend'];
  const topPackages = subdirectories(project, packageDir).filter((name) => name !== 'tests' && isFile(project, joinPath(packageDir, `${name}/__init__.py`)));
  for (const name of topPackages) {
    result.roots.push({ path: joinPath(packageDir, name), recursive: true, isFile: false, source: anchor, reason: `pdm-backend ships the top-level package ${relativeTo(pkg.dir, joinPath(packageDir, name))}` });
  }
  if (topPackages.length === 0) {
    for (const module of filesIn(project, packageDir).filter((file) => file.endsWith('.py'))) {
      result.roots.push({ path: joinPath(packageDir, module), recursive: false, isFile: true, source: anchor, reason: `pdm-backend ships the module ${module}` });
    }
  }
  if (result.roots.length === 0) {
    result.problems.push({ path: anchor, message: `pdm-backend finds no package (a directory with __init__.py) and no module in ${packageDir}: the wheel would hold no code`, empty: true });
  }
  return result;
}

function maturinContents(project: Project, pkg: RepoPackage): WheelContents {
  const result: WheelContents = { backend: 'maturin', determined: true, roots: [], problems: [] };
  const settings = asTable(pkg.pyproject.get(['tool', 'maturin'])) ?? {};
  const manifest = typeof settings['manifest-path'] === 'string' ? settings['manifest-path'] : 'Cargo.toml';
  const manifestFile = joinPath(pkg.dir, manifest);
  if (!isFile(project, manifestFile)) {
    result.problems.push({ path: settings['manifest-path'] !== undefined ? ['tool', 'maturin', 'manifest-path'] : ['build-system', 'build-backend'], message: `maturin builds from ${manifestFile}, which does not exist` });
  }
  if (typeof settings['python-source'] === 'string') {
    const source = joinPath(pkg.dir, settings['python-source']);
    if (!isDirectory(project, source)) {
      result.problems.push({ path: ['tool', 'maturin', 'python-source'], message: `python-source "${settings['python-source']}" does not exist (${source})` });
    } else {
      result.roots.push({ path: source, recursive: true, isFile: false, source: ['tool', 'maturin', 'python-source'], reason: `python-source "${settings['python-source']}"` });
    }
  }
  // The compiled extension always ships: a maturin wheel is never empty.
  result.roots.push({ path: manifestFile, recursive: false, isFile: true, source: ['build-system', 'build-backend'], reason: 'the Rust extension module' });
  return result;
}
