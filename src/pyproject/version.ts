/**
 * Where a package's version comes from. A static `version`, or, when `version` is in `dynamic`,
 * the backend's version source: hatchling's `[tool.hatch.version]` (`path` or `source = "vcs"`
 * with hatch-vcs), setuptools' `[tool.setuptools.dynamic] version` (`attr` or `file`) or
 * setuptools-scm, PDM's `[tool.pdm.version]`, flit's module `__version__`, Poetry's
 * `[tool.poetry] version` or poetry-dynamic-versioning, maturin's Cargo.toml. When the version
 * lives in a file of the repository, it is read, so sibling rules can name the real version.
 */
import { parse as parseToml } from 'smol-toml';
import { factKey, type Project } from '../project/project.js';
import { asTable, type TomlFile, type TomlKeyPath } from '../project/toml-file.js';
import { hatchSetting } from './hatch-config.js';
import { normalizeName, parseRequirement, versionIsValid } from './pep508.js';
import { distributionOfBackend } from './backends.js';
import { isFile, joinPath } from './fs.js';
import type { RepoPackage } from './packages.js';
import { findModule, importName, setuptoolsPackageDirs } from './contents.js';

export type VersionSource =
  /** `version = "1.4.0"`. */
  | { kind: 'static'; version: string }
  /** Read from a file of the repository; `version` undefined when the file has none. */
  | { kind: 'file'; file: string; version: string | undefined; provider: string; path: TomlKeyPath }
  /** Computed from git tags at build time (hatch-vcs, setuptools-scm, pdm scm, poetry-dynamic-versioning). */
  | { kind: 'vcs'; provider: string; path: TomlKeyPath }
  /** Dynamic, from a source the linter does not read (a plugin, an env variable, a build hook...). */
  | { kind: 'opaque'; provider: string }
  /**
   * Dynamic, and nothing provides it: the build fails or silently produces 0.0.0. `path` is in
   * `config` when that is given (a hatch.toml), else in the package's pyproject.toml.
   */
  | { kind: 'missing'; reason: string; path: TomlKeyPath; config?: TomlFile };

const VERSION_SOURCE = factKey<VersionSource>('pyproject:version');

/** The version a package builds with, as far as the linter can know it. */
export function versionOf(project: Project, pkg: RepoPackage): VersionSource {
  return project.fact(VERSION_SOURCE, () => computeVersion(project, pkg), pkg.dir);
}

/** The version when it is known (static, or read from the file the backend reads) and a valid PEP 440 version. */
export function knownVersion(project: Project, pkg: RepoPackage): string | undefined {
  const source = versionOf(project, pkg);
  const version = source.kind === 'static' || source.kind === 'file' ? source.version : undefined;
  return version !== undefined && versionIsValid(version) ? version : undefined;
}

/** How to say where the version came from, for messages: "" for a static version. */
export function describeVersionSource(source: VersionSource): string {
  if (source.kind === 'file') return ` (from ${source.file})`;
  return '';
}

const DEFAULT_VERSION_PATTERN = /^(?:__version__|VERSION)\s*(?::\s*str\s*)?=\s*(['"])v?(.+?)\1/im;

function computeVersion(project: Project, pkg: RepoPackage): VersionSource {
  const file = pkg.pyproject;
  if (pkg.kind === 'poetry') return poetryVersion(pkg);
  const dynamic = pkg.dynamic;
  if (pkg.version !== undefined && !dynamic.includes('version')) return { kind: 'static', version: pkg.version };
  if (!dynamic.includes('version')) return { kind: 'missing', reason: 'there is no "version" and it is not in "dynamic"', path: ['project'] };
  const dynamicPath: TomlKeyPath = ['project', 'dynamic', dynamic.indexOf('version')];
  const backend = file.get(['build-system', 'build-backend']);
  const distribution = typeof backend === 'string' ? distributionOfBackend(backend) : 'setuptools';
  const requires = buildRequirements(pkg);
  switch (distribution) {
    case 'hatchling':
      return hatchVersion(project, pkg, requires, dynamicPath);
    case 'setuptools':
      return setuptoolsVersion(project, pkg, requires, dynamicPath);
    case 'pdm-backend':
      return pdmVersion(project, pkg, dynamicPath);
    case 'flit-core':
      return flitVersion(project, pkg, dynamicPath);
    case 'poetry-core':
      return poetryVersion(pkg, dynamicPath);
    case 'maturin':
      return cargoVersion(project, pkg, dynamicPath);
    case 'scikit-build-core': {
      const provider = file.get(['tool', 'scikit-build', 'metadata', 'version', 'provider']);
      return typeof provider === 'string'
        ? { kind: 'opaque', provider }
        : { kind: 'missing', reason: 'scikit-build-core needs [tool.scikit-build.metadata.version] provider = "..." for a dynamic version', path: dynamicPath };
    }
    default:
      return { kind: 'opaque', provider: distribution };
  }
}

/** Normalised names of `[build-system] requires`. */
function buildRequirements(pkg: RepoPackage): Set<string> {
  const requires = pkg.pyproject.get(['build-system', 'requires']);
  const names = new Set<string>();
  if (!Array.isArray(requires)) return names;
  for (const requirement of requires) {
    if (typeof requirement !== 'string') continue;
    const parsed = parseRequirement(requirement);
    if (parsed.ok) names.add(normalizeName(parsed.value.name));
  }
  return names;
}


/** Reads `__version__ = "..."` (or a custom pattern with a `version` group) from a repo file. */
function versionFromFile(project: Project, relativePath: string, pattern?: string): string | undefined {
  const text = project.readText(relativePath);
  if (text === undefined) return undefined;
  let regex = DEFAULT_VERSION_PATTERN;
  if (pattern !== undefined) {
    try {
      regex = new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/^\(\?i\)/, ''), /^\(\?i\)/.test(pattern) ? 'im' : 'm');
    } catch {
      return undefined;
    }
  }
  const match = regex.exec(text);
  if (!match) return undefined;
  return match.groups?.version ?? match[2] ?? match[1];
}

function hatchVersion(project: Project, pkg: RepoPackage, requires: Set<string>, dynamicPath: TomlKeyPath): VersionSource {
  // [tool.hatch.version] of pyproject.toml, or [version] of a hatch.toml beside it.
  const setting = hatchSetting(pkg, ['version']);
  const config = asTable(setting.value);
  const shown = setting.file === pkg.pyproject ? '[tool.hatch.version]' : `[version] of ${setting.file.path}`;
  const at = (key?: string): { path: TomlKeyPath; config?: TomlFile } => ({
    path: key === undefined ? setting.path : [...setting.path, key],
    ...(setting.file === pkg.pyproject ? {} : { config: setting.file }),
  });
  if (!config) {
    return {
      kind: 'missing',
      reason: `there is no [tool.hatch.version], so hatchling finds no version and the build fails; add [tool.hatch.version] path = "src/${importName(pkg)}/__about__.py" (a file with __version__ = "…"), or source = "vcs" with hatch-vcs`,
      path: dynamicPath,
    };
  }
  const source = typeof config.source === 'string' ? config.source : 'regex';
  if (source === 'vcs') {
    if (!requires.has('hatch-vcs')) {
      return { kind: 'missing', reason: `${shown} source = "vcs" needs "hatch-vcs" in [build-system] requires; without it the isolated build fails with "Unknown version source: vcs"`, ...at('source') };
    }
    return { kind: 'vcs', provider: 'hatch-vcs', path: at('source').path };
  }
  if (source !== 'regex' && source !== 'code') return { kind: 'opaque', provider: `hatch version source "${source}"` };
  if (typeof config.path !== 'string') {
    return { kind: 'missing', reason: `${shown} has no "path": hatchling's ${source} version source needs the file that holds the version`, ...at() };
  }
  const relative = joinPath(pkg.dir, config.path);
  if (!isFile(project, relative)) {
    return { kind: 'missing', reason: `${shown} path "${config.path}" does not exist (${relative})`, ...at('path') };
  }
  if (source === 'code') return { kind: 'file', file: relative, version: undefined, provider: 'hatch code', path: at('path').path };
  const version = versionFromFile(project, relative, typeof config.pattern === 'string' ? config.pattern : undefined);
  if (version === undefined) {
    return { kind: 'missing', reason: `${shown} path "${config.path}" holds no __version__ = "..." line for hatchling to read`, ...at('path') };
  }
  return { kind: 'file', file: relative, version, provider: 'hatch', path: at('path').path };
}

function setuptoolsVersion(project: Project, pkg: RepoPackage, requires: Set<string>, dynamicPath: TomlKeyPath): VersionSource {
  const file = pkg.pyproject;
  const dynamicVersion = file.get(['tool', 'setuptools', 'dynamic', 'version']);
  const config = asTable(dynamicVersion);
  if (config && typeof config.attr === 'string') {
    const attr = config.attr;
    const dot = attr.lastIndexOf('.');
    const moduleName = dot === -1 ? '' : attr.slice(0, dot);
    const variable = attr.slice(dot + 1);
    const module = moduleName ? findModule(project, pkg, moduleName, setuptoolsPackageDirs(pkg)) : undefined;
    if (!module) {
      return { kind: 'missing', reason: `[tool.setuptools.dynamic] version attr "${attr}": no module ${moduleName || '(none)'} found in the package`, path: ['tool', 'setuptools', 'dynamic', 'version', 'attr'] };
    }
    const escaped = variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const version = versionFromFile(project, module, `^${escaped}\\s*(?::\\s*str\\s*)?=\\s*(['"])v?(?<version>.+?)\\1`);
    return { kind: 'file', file: module, version, provider: 'setuptools attr', path: ['tool', 'setuptools', 'dynamic', 'version', 'attr'] };
  }
  if (config && (typeof config.file === 'string' || Array.isArray(config.file))) {
    const files = (Array.isArray(config.file) ? config.file : [config.file]).filter((item): item is string => typeof item === 'string');
    const first = files[0];
    if (first === undefined) return { kind: 'opaque', provider: 'setuptools file' };
    const relative = joinPath(pkg.dir, first);
    const text = project.readText(relative);
    if (text === undefined) {
      return { kind: 'missing', reason: `[tool.setuptools.dynamic] version file "${first}" does not exist (${relative})`, path: ['tool', 'setuptools', 'dynamic', 'version', 'file'] };
    }
    return { kind: 'file', file: relative, version: text.trim() || undefined, provider: 'setuptools file', path: ['tool', 'setuptools', 'dynamic', 'version', 'file'] };
  }
  if (file.get(['tool', 'setuptools_scm']) !== undefined || file.get(['tool', 'setuptools-scm']) !== undefined || requires.has('setuptools-scm')) {
    if (!requires.has('setuptools-scm')) {
      return { kind: 'missing', reason: 'setuptools-scm is configured ([tool.setuptools_scm]) yet missing from [build-system] requires, so the isolated build never runs it', path: dynamicPath };
    }
    return { kind: 'vcs', provider: 'setuptools-scm', path: dynamicPath };
  }
  if (isFile(project, joinPath(pkg.dir, 'setup.py'))) return { kind: 'opaque', provider: 'setup.py' };
  return {
    kind: 'missing',
    reason: 'setuptools has no [tool.setuptools.dynamic] version (attr or file), no setuptools-scm and no setup.py: it builds version 0.0.0',
    path: dynamicPath,
  };
}

function pdmVersion(project: Project, pkg: RepoPackage, dynamicPath: TomlKeyPath): VersionSource {
  const config = asTable(pkg.pyproject.get(['tool', 'pdm', 'version']));
  if (!config) {
    return {
      kind: 'missing',
      reason: 'there is no [tool.pdm.version], so pdm-backend builds version 0.0.0; add [tool.pdm.version] source = "scm", or source = "file" with the path of a file holding __version__ = "…"',
      path: dynamicPath,
    };
  }
  if (config.source === undefined) {
    return { kind: 'missing', reason: '[tool.pdm.version] has no "source", which pdm-backend requires: the build fails; add source = "scm" (or "file" with path, or "call" with getter)', path: ['tool', 'pdm', 'version'] };
  }
  if (config.source === 'scm') return { kind: 'vcs', provider: 'pdm scm', path: ['tool', 'pdm', 'version', 'source'] };
  if (config.source === 'file' && typeof config.path === 'string') {
    const relative = joinPath(pkg.dir, config.path);
    if (!isFile(project, relative)) {
      return { kind: 'missing', reason: `[tool.pdm.version] path "${config.path}" does not exist (${relative})`, path: ['tool', 'pdm', 'version', 'path'] };
    }
    return { kind: 'file', file: relative, version: versionFromFile(project, relative), provider: 'pdm file', path: ['tool', 'pdm', 'version', 'path'] };
  }
  return { kind: 'opaque', provider: `pdm version source ${JSON.stringify(config.source)}` };
}

function flitVersion(project: Project, pkg: RepoPackage, dynamicPath: TomlKeyPath): VersionSource {
  const configured = pkg.pyproject.get(['tool', 'flit', 'module', 'name']);
  const moduleName = typeof configured === 'string' ? configured : pkg.name.replace(/-/g, '_');
  const module = findModule(project, pkg, moduleName, [pkg.dir, joinPath(pkg.dir, 'src')]);
  if (!module) return { kind: 'missing', reason: `flit reads the version from the module ${moduleName}, which does not exist`, path: dynamicPath };
  const version = versionFromFile(project, module);
  if (version === undefined) {
    return { kind: 'missing', reason: `flit reads the version from __version__ in ${module}, which has none`, path: dynamicPath };
  }
  return { kind: 'file', file: module, version, provider: 'flit', path: dynamicPath };
}

function poetryVersion(pkg: RepoPackage, dynamicPath?: TomlKeyPath): VersionSource {
  const file = pkg.pyproject;
  const plugin = asTable(file.get(['tool', 'poetry-dynamic-versioning']));
  if (plugin && plugin.enable === true) return { kind: 'vcs', provider: 'poetry-dynamic-versioning', path: ['tool', 'poetry-dynamic-versioning'] };
  const version = file.get(['tool', 'poetry', 'version']);
  if (typeof version === 'string') return { kind: 'static', version };
  return {
    kind: 'missing',
    reason:
      'there is no [tool.poetry] version and poetry-dynamic-versioning is not enabled, so poetry-core refuses the build ("Either [project.version] or [tool.poetry.version] is required in package mode"); ' +
      'add [tool.poetry] version = "…", or [tool.poetry-dynamic-versioning] enable = true with the plugin',
    path: dynamicPath ?? ['tool', 'poetry'],
  };
}

function cargoVersion(project: Project, pkg: RepoPackage, dynamicPath: TomlKeyPath): VersionSource {
  const manifest = pkg.pyproject.get(['tool', 'maturin', 'manifest-path']);
  const relative = joinPath(pkg.dir, typeof manifest === 'string' ? manifest : 'Cargo.toml');
  const text = project.readText(relative);
  if (text === undefined) return { kind: 'missing', reason: `maturin reads the version from ${relative}, which does not exist`, path: dynamicPath };
  try {
    const cargo = parseToml(text) as Record<string, unknown>;
    const version = asTable(cargo.package)?.version;
    return { kind: 'file', file: relative, version: typeof version === 'string' ? version : undefined, provider: 'maturin', path: dynamicPath };
  } catch {
    return { kind: 'opaque', provider: 'maturin' };
  }
}
