/**
 * A package of the repository, however it is declared: PEP 621 `[project]`, Poetry's
 * `[tool.poetry]`, setup.cfg `[metadata]`, a `setup()` call, or a pyproject.toml that does not parse
 * (still a package of the plan, so nothing else breaks because of it). What the release plan maps
 * workflows to, and what the package rules check.
 */
import type { SourceFile } from '../project/source-file.js';
import type { TomlFile, TomlKeyPath } from '../project/toml-file.js';

export type PackageKind = 'pep621' | 'poetry' | 'setup.cfg' | 'setup.py' | 'unparsed';

/** Why a package is never uploaded, with where that is declared. */
export interface NotPublishable {
  reason: string;
  file: SourceFile;
  /** Key path of the declaration in a TOML file (undefined: the file's start). */
  path?: TomlKeyPath | undefined;
}

export interface Package {
  /** The package directory, repo-relative ('.' for the root). */
  dir: string;
  kind: PackageKind;
  /** The file that declares the package (pyproject.toml, setup.cfg or setup.py). */
  declaredIn: SourceFile;
  /** The directory's pyproject.toml when it parses (build-system, tool tables). */
  pyproject: TomlFile | undefined;
  /** The PEP 621 `[project]` table; {} for other kinds. */
  project: Record<string, unknown>;
  /** undefined when the declaration computes it (a setup.py) or has none. */
  name: string | undefined;
  /** PEP 503 normalised name. */
  normalizedName: string | undefined;
  /** The static version, when there is one. */
  version: string | undefined;
  /** PEP 621 `dynamic` (setup.cfg's `attr:`/`file:` version counts as dynamic). */
  dynamic: string[];
  /** Key paths of the name and version in `declaredIn` (TOML kinds and setup.cfg's sections). */
  namePath: TomlKeyPath;
  versionPath: TomlKeyPath;
  /** hatch.toml beside the pyproject, which hatchling merges over `[tool.hatch]`. */
  hatchToml: TomlFile | undefined;
  /** Under an examples, tests, docs or templates directory: published only when a workflow uploads it. */
  sample: boolean;
  /** Set when the package can never be uploaded (private classifier, a virtual uv project...). */
  notPublishable: NotPublishable | undefined;
}

/** A package declared in a pyproject.toml that parses, with a name: what most pyproject rules read. */
export type PyprojectPackage = Package & { kind: 'pep621' | 'poetry'; pyproject: TomlFile; name: string; normalizedName: string };

export function isPyprojectPackage(pkg: Package): pkg is PyprojectPackage {
  return (pkg.kind === 'pep621' || pkg.kind === 'poetry') && pkg.pyproject !== undefined && pkg.name !== undefined;
}

/** PEP 503: lowercase, runs of '-', '_' and '.' become one '-'. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** How a package is named in messages: its name, else its directory. */
export function packageLabel(pkg: Package): string {
  return pkg.name ?? pkg.dir;
}

/** A package with a pyproject.toml that parses (its build-system and tool tables are readable). */
export type TomlPackage = Package & { pyproject: TomlFile };

export function hasPyproject(pkg: Package): pkg is TomlPackage {
  return pkg.pyproject !== undefined;
}
