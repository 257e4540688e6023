/**
 * The packages of the repository as the pyproject rules see them (those declared in a
 * pyproject.toml, PEP 621 or Poetry-only), each with its dependencies read into one shape
 * whatever syntax declared them.
 */
import type { Project, PyprojectPackage } from '../project/project.js';
import type { TomlFile, TomlKeyPath } from '../project/toml-file.js';
import { normalizeName, parseRequirement } from './pep508.js';
import { publishedPackages } from '../plan/release-plan.js';
import { poetryToPep440 } from './specifiers.js';

/** A package declared in a pyproject.toml ([project] or [tool.poetry]): what the pyproject rules check. */
export type RepoPackage = PyprojectPackage;

/** One declared runtime dependency (main or extra), normalised across PEP 508 and Poetry syntax. */
export interface Dependency {
  /** Key path of the requirement string (PEP 508) or of the dependency's value (Poetry). */
  path: TomlKeyPath;
  /** Where it is declared, for messages: `dependencies`, `optional-dependencies.hf`, `tool.poetry.dependencies`. */
  group: string;
  /** Declared for an extra only. */
  optional: boolean;
  name: string;
  normalizedName: string;
  /** The PEP 440 specifier set ('' when none); Poetry constraints converted (see `alternatives`). */
  specifier: string;
  /** Poetry `||` constraints: each alternative's PEP 440 set; [specifier] otherwise. */
  alternatives: string[];
  /** The requirement as the user wrote it, for messages. */
  written: string;
  /** A direct reference (`name @ URL`, or a Poetry path/git/url dependency). */
  direct?: { kind: 'url' | 'path' | 'git'; value: string };
  marker?: string;
  syntax: 'pep508' | 'poetry';
  /** Poetry: the key path of the version string to edit (the value itself, or its `version` key). */
  versionPath?: TomlKeyPath;
}

/** A requirement string that does not parse. */
export interface InvalidDependency {
  path: TomlKeyPath;
  group: string;
  raw: string;
  error: string;
  offset: number;
}

/** Every package declared in a pyproject.toml that parses, PEP 621 and Poetry-only. */
export function repoPackages(project: Project): RepoPackage[] {
  return project.pyprojectPackages;
}

/**
 * Whether the package rules check a package: a publish workflow uploads it, or some publisher
 * cannot be followed (or there is none) and the package can be published (see ReleasePlan).
 */
export function isPublished(project: Project, pkg: RepoPackage): boolean {
  return publishedPackages(project).includes(pkg);
}

/** Whether the project opted out of being built as a distribution (uv `package = false`, Poetry `package-mode = false`, PDM `distribution = false`). */
export function isVirtualProject(pkg: RepoPackage): boolean {
  const file = pkg.pyproject;
  return file.get(['tool', 'uv', 'package']) === false || file.get(['tool', 'poetry', 'package-mode']) === false || file.get(['tool', 'pdm', 'distribution']) === false;
}

/** The runtime dependencies of a package (main and extras), and the requirement strings that do not parse. */
export function dependenciesOf(pkg: RepoPackage): { dependencies: Dependency[]; invalid: InvalidDependency[] } {
  return pkg.kind === 'poetry' ? poetryDependencies(pkg.pyproject) : pep621Dependencies(pkg.pyproject);
}

function pep621Dependencies(file: TomlFile): { dependencies: Dependency[]; invalid: InvalidDependency[] } {
  const dependencies: Dependency[] = [];
  const invalid: InvalidDependency[] = [];
  const read = (list: unknown, path: TomlKeyPath, group: string, optional: boolean): void => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      if (typeof raw !== 'string') return;
      const elementPath = [...path, index];
      const parsed = parseRequirement(raw);
      if (!parsed.ok) {
        invalid.push({ path: elementPath, group, raw, error: parsed.error, offset: parsed.offset });
        return;
      }
      const { name, specifier, url, marker } = parsed.value;
      dependencies.push({
        path: elementPath,
        group,
        optional,
        name,
        normalizedName: normalizeName(name),
        specifier,
        alternatives: [specifier],
        written: raw,
        ...(url === undefined ? {} : { direct: { kind: url.startsWith('git+') ? ('git' as const) : ('url' as const), value: url } }),
        ...(marker === undefined ? {} : { marker }),
        syntax: 'pep508',
      });
    });
  };
  read(file.get(['project', 'dependencies']), ['project', 'dependencies'], 'dependencies', false);
  const extras = file.get(['project', 'optional-dependencies']);
  if (extras && typeof extras === 'object' && !Array.isArray(extras)) {
    for (const [extra, list] of Object.entries(extras as Record<string, unknown>)) {
      read(list, ['project', 'optional-dependencies', extra], `optional-dependencies.${extra}`, true);
    }
  }
  return { dependencies, invalid };
}

/** `[tool.poetry.dependencies]`: `name = "^1.2"` or `name = { version = "^1.2", optional = true, path = "..." }` (or a list of those). */
function poetryDependencies(file: TomlFile): { dependencies: Dependency[]; invalid: InvalidDependency[] } {
  const dependencies: Dependency[] = [];
  const table = file.get(['tool', 'poetry', 'dependencies']);
  if (!table || typeof table !== 'object' || Array.isArray(table)) return { dependencies, invalid: [] };
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    if (normalizeName(name) === 'python') continue;
    const base: TomlKeyPath = ['tool', 'poetry', 'dependencies', name];
    const entries: [unknown, TomlKeyPath][] = Array.isArray(value) ? value.map((item, index) => [item, [...base, index]]) : [[value, base]];
    for (const [entry, path] of entries) {
      const dependency = poetryDependency(name, entry, path);
      if (dependency) dependencies.push(dependency);
    }
  }
  return { dependencies, invalid: [] };
}

function poetryDependency(name: string, value: unknown, path: TomlKeyPath): Dependency | undefined {
  let constraint: string | undefined;
  let versionPath: TomlKeyPath | undefined;
  let optional = false;
  let direct: Dependency['direct'];
  let marker: string | undefined;
  if (typeof value === 'string') {
    constraint = value;
    versionPath = path;
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const spec = value as Record<string, unknown>;
    if (typeof spec.version === 'string') {
      constraint = spec.version;
      versionPath = [...path, 'version'];
    }
    optional = spec.optional === true;
    if (typeof spec.path === 'string') direct = { kind: 'path', value: spec.path };
    else if (typeof spec.git === 'string') direct = { kind: 'git', value: spec.git };
    else if (typeof spec.url === 'string') direct = { kind: 'url', value: spec.url };
    if (typeof spec.markers === 'string') marker = spec.markers;
  } else {
    return undefined;
  }
  const alternatives = poetryToPep440(constraint ?? '*') ?? [];
  return {
    path,
    group: 'tool.poetry.dependencies',
    optional,
    name,
    normalizedName: normalizeName(name),
    specifier: alternatives.length === 1 ? alternatives[0]! : '',
    alternatives,
    written: `${name} = ${JSON.stringify(constraint ?? (direct ? `${direct.kind} ${direct.value}` : '*'))}`,
    ...(direct ? { direct } : {}),
    ...(marker === undefined ? {} : { marker }),
    syntax: 'poetry',
    ...(versionPath ? { versionPath } : {}),
  };
}
