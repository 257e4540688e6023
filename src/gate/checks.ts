/**
 * gate/artifact's checks on what `python -m build` produced, against the package's pyproject.toml:
 * Name and Version in the wheel's METADATA and the sdist's PKG-INFO; the readme and license files in
 * the sdist; importable code in the wheel, and no files that belong to another package of the repo;
 * Requires-Dist equal to the declared dependencies.
 */
import path from 'node:path';
import fg from 'fast-glob';
import { normalizeName } from '../pyproject/pep508.js';
import { factKey, type Project } from '../project/project.js';
import type { Package as AnyPackage, TomlPackage as Package } from '../packages/package.js';
import type { Range, SourceFile } from '../project/source-file.js';
import type { TomlKeyPath } from '../project/toml-file.js';
import type { Artifact } from './artifacts.js';
import { compareRequirements, declaredRequirements } from './requirements.js';
import type { PackageOutcome } from './session.js';
import { normalizeVersion } from './tag.js';
import { summarizeList } from '../summarize.js';
import { hatchSetting } from '../pyproject/hatch-config.js';

export interface ArtifactProblem {
  file: SourceFile;
  range: Range;
  message: string;
}

/** Where a package's code selection is configured, most specific first, per backend. */
const CONTENTS_PATHS: TomlKeyPath[] = [
  ['tool', 'setuptools', 'packages', 'find', 'include'],
  ['tool', 'setuptools', 'packages', 'find', 'exclude'],
  ['tool', 'setuptools', 'packages', 'find'],
  ['tool', 'setuptools', 'packages'],
  ['tool', 'setuptools', 'package-dir'],
  ['tool', 'setuptools', 'py-modules'],
  ['tool', 'hatch', 'build', 'targets', 'wheel', 'packages'],
  ['tool', 'hatch', 'build', 'targets', 'wheel', 'only-include'],
  ['tool', 'hatch', 'build', 'targets', 'wheel', 'include'],
  ['tool', 'hatch', 'build', 'targets', 'wheel', 'sources'],
  ['tool', 'hatch', 'build', 'targets', 'wheel'],
  ['tool', 'hatch', 'build', 'packages'],
  ['tool', 'hatch', 'build', 'include'],
  ['tool', 'poetry', 'packages'],
  ['tool', 'flit', 'module'],
  ['tool', 'pdm', 'build', 'includes'],
  ['tool', 'pdm', 'build'],
  ['tool', 'maturin'],
  ['tool', 'setuptools'],
  ['build-system'],
  ['project'],
];

export function contentsRange(pkg: Package): Range {
  for (const keyPath of CONTENTS_PATHS) {
    const range = pkg.pyproject.rangeOfEntry(keyPath);
    if (range) return range;
  }
  return { start: 0, end: 0 };
}

export function artifactProblems(project: Project, pkg: Package, outcome: PackageOutcome): ArtifactProblem[] {
  const problems: ArtifactProblem[] = [];
  const file = pkg.pyproject;
  const label = pkg.name ?? pkg.dir;
  const at = (keyPath: TomlKeyPath): Range => file.rangeOfEntry(keyPath) ?? file.rangeOfNearest(keyPath);
  const wheel = outcome.artifacts.find((artifact) => artifact.kind === 'wheel');
  const sdist = outcome.artifacts.find((artifact) => artifact.kind === 'sdist');
  const missing = [wheel ? undefined : 'wheel', sdist ? undefined : 'sdist'].filter(Boolean);
  if (missing.length > 0) {
    problems.push({ file, range: at(['build-system']), message: `${label}: python -m build succeeded but produced no ${missing.join(' and no ')}` });
  }
  const readable = outcome.artifacts.filter((artifact) => {
    if (artifact.problem) problems.push({ file, range: at(['build-system']), message: `${label}: ${artifact.problem}` });
    return artifact.metadata !== undefined;
  });

  // Name and Version, grouped so that the wheel and the sdist saying the same thing is one finding.
  const grouped = new Map<string, { range: Range; artifacts: Artifact[]; field: string; value: string | undefined; expected: string }>();
  const add = (field: 'Name' | 'Version', value: string | undefined, expected: string, range: Range, artifact: Artifact): void => {
    const key = `${field}|${value}`;
    const entry = grouped.get(key) ?? { range, artifacts: [], field, value, expected };
    entry.artifacts.push(artifact);
    grouped.set(key, entry);
  };
  for (const artifact of readable) {
    const metadata = artifact.metadata!;
    const name = metadata.get('name');
    if (pkg.name !== undefined && pkg.normalizedName !== undefined && (name === undefined || normalizeName(name) !== pkg.normalizedName)) {
      add('Name', name, `pyproject.toml's name is ${pkg.name}`, at(['project', 'name']), artifact);
    }
    const version = metadata.get('version');
    if (pkg.version !== undefined && (version === undefined || normalizeVersion(version) !== normalizeVersion(pkg.version))) {
      add('Version', version, `pyproject.toml's version is ${pkg.version}`, at(['project', 'version']), artifact);
    }
  }
  for (const entry of grouped.values()) {
    const [first] = entry.artifacts;
    const subject = entry.artifacts.length === 1 ? `${first!.fileName} has ${entry.field}: ${entry.value ?? '(none)'} in its ${first!.kind === 'wheel' ? 'METADATA' : 'PKG-INFO'}` : `${entry.artifacts.map((artifact) => artifact.fileName).join(' and ')} have ${entry.field}: ${entry.value ?? '(none)'} in their metadata`;
    problems.push({ file, range: entry.range, message: `${label}: ${subject}, but ${entry.expected}` });
  }
  if (pkg.version === undefined && wheel?.metadata && sdist?.metadata) {
    const [a, b] = [wheel.metadata.get('version'), sdist.metadata.get('version')];
    if (a && b && normalizeVersion(a) !== normalizeVersion(b)) {
      problems.push({ file, range: at(['project', 'dynamic']), message: `${label}: the wheel is version ${a} but the sdist is version ${b} (the dynamic version differs between the two builds)` });
    }
  }
  if (sdist && !sdist.problem) problems.push(...sdistContentProblems(project, pkg, sdist, label, at));
  if (wheel && !wheel.problem) problems.push(...wheelContentProblems(project, pkg, wheel, label));
  problems.push(...requirementProblems(pkg, readable, label, at));
  return problems;
}

function sdistContentProblems(project: Project, pkg: Package, sdist: Artifact, label: string, at: (keyPath: TomlKeyPath) => Range): ArtifactProblem[] {
  const problems: ArtifactProblem[] = [];
  const file = pkg.pyproject;
  const contains = (relative: string): boolean => sdist.files.includes(relative);
  const readme = pkg.project.readme;
  const readmePath = typeof readme === 'string' ? readme : readme && typeof readme === 'object' && typeof (readme as Record<string, unknown>).file === 'string' ? ((readme as Record<string, unknown>).file as string) : undefined;
  if (readmePath !== undefined) {
    const relative = path.posix.normalize(readmePath.replace(/\\/g, '/'));
    if (!contains(relative)) {
      const outside = relative.startsWith('../');
      problems.push({
        file,
        range: at(['project', 'readme']),
        message: `${label}: ${sdist.fileName} does not contain the readme ${readmePath}${outside ? ' (it lies outside the package directory, so no sdist can carry it)' : ''}; building from the sdist (what pip does without a wheel) fails`,
      });
    }
  }
  const license = licenseFiles(project, pkg);
  const absent = license.files.filter((relative) => !contains(relative));
  if (absent.length > 0) {
    problems.push({
      file,
      range: at(license.keyPath),
      message: `${label}: ${sdist.fileName} does not contain the license file${absent.length === 1 ? '' : 's'} ${absent.join(', ')}${license.declared ? '' : ' (found in the package directory)'}; the sdist must carry its license`,
    });
  }
  return problems;
}

/** The license files the sdist must carry: license.file, the license-files globs, else the LICENSE* / COPYING* files of the package directory (every backend ships those by default). */
function licenseFiles(project: Project, pkg: Package): { files: string[]; keyPath: TomlKeyPath; declared: boolean } {
  const license = pkg.project.license;
  if (license && typeof license === 'object' && typeof (license as Record<string, unknown>).file === 'string') {
    return { files: [path.posix.normalize((license as Record<string, string>).file!)], keyPath: ['project', 'license'], declared: true };
  }
  const globs = pkg.project['license-files'];
  const absolute = path.join(project.root, ...pkg.dir.split('/'));
  if (Array.isArray(globs)) {
    const patterns = globs.filter((item): item is string => typeof item === 'string' && !item.startsWith('../'));
    const files = patterns.length > 0 ? fg.sync(patterns, { cwd: absolute, onlyFiles: true, dot: false, suppressErrors: true, ignore: ['**/node_modules/**', '**/.git/**', '**/build/**', '**/dist/**', '**/.venv/**'] }) : [];
    return { files: files.sort(), keyPath: ['project', 'license-files'], declared: true };
  }
  const files = project
    .listDirectory(pkg.dir)
    .filter((name) => /^(LICEN[CS]E|COPYING)(\..*|[-_].*)?$/i.test(name))
    .map((name) => (pkg.dir === '.' ? name : `${pkg.dir}/${name}`))
    .filter((relative) => project.listDirectory(relative).length === 0 && project.exists(relative))
    .map((relative) => path.posix.basename(relative));
  return { files, keyPath: license === undefined ? ['project'] : ['project', 'license'], declared: false };
}

/** Where a wheel installs a file: the path itself, or the part after `NAME.data/purelib|platlib/`. */
function installedPath(file: string): string | undefined {
  const [top] = file.split('/');
  if (top!.endsWith('.dist-info')) return undefined;
  if (top!.endsWith('.data')) {
    const match = /^[^/]+\.data\/(?:purelib|platlib)\/(.+)$/.exec(file);
    return match?.[1];
  }
  return file;
}

const CODE = /\.(py|pyc|so|pyd)$/;

function wheelContentProblems(project: Project, pkg: Package, wheel: Artifact, label: string): ArtifactProblem[] {
  const problems: ArtifactProblem[] = [];
  const file = pkg.pyproject;
  const installed = wheel.files.map(installedPath).filter((item): item is string => item !== undefined);
  if (!installed.some((item) => CODE.test(item))) {
    problems.push({
      file,
      range: contentsRange(pkg),
      message: `${label}: ${wheel.fileName} has no importable code (no package directory with __init__.py, no module .py): ${installed.length === 0 ? 'it holds only its .dist-info' : `it installs only ${summarizeList(installed, 5)}`}; the package discovery matches nothing`,
    });
  }
  const own = importRoots(project, pkg);
  const byOwner = new Map<AnyPackage, string[]>();
  for (const other of project.packages) {
    if (other === pkg || other.dir === pkg.dir) continue;
    // A path both claim (two packages listing the same name) is not evidence against this one.
    const foreign = importRoots(project, other).filter((root) => !own.includes(root));
    const hits = installed.filter((item) => foreign.some((root) => item === `${root}.py` || item.startsWith(`${root}/`)));
    if (hits.length > 0) byOwner.set(other, hits);
  }
  if (byOwner.size > 0) {
    const parts = [...byOwner].map(([owner, hits]) => `${summarizeList(hits, 10)} (package ${owner.name ?? owner.dir} in ${owner.dir})`);
    problems.push({
      file,
      range: contentsRange(pkg),
      message: `${label}: ${wheel.fileName} contains files of other packages of this repository: ${parts.join('; ')}; installing it overwrites theirs`,
    });
  }
  return problems;
}

const NOT_CODE_DIRECTORIES = new Set(['tests', 'test', 'testing', 'docs', 'doc', 'examples', 'example', 'scripts', 'benchmarks', 'bench', 'tools', 'build', 'dist', 'node_modules', 'site-packages']);

const IMPORT_ROOTS = factKey<string[]>('gate:import-roots');

/**
 * The import package paths a package's own sources provide (`open_ticket_ai`, `ns/plugin`): what
 * its config names (setuptools packages / package-dir / py-modules, hatch packages, flit module,
 * poetry packages), plus every top-most directory with an __init__.py under the package directory
 * and its src/, leaving out directories that are another package's own directory.
 */
export function importRoots(project: Project, pkg: AnyPackage): string[] {
  return project.fact(IMPORT_ROOTS, () => computeImportRoots(project, pkg), pkg.dir);
}

function computeImportRoots(project: Project, pkg: AnyPackage): string[] {
  const roots = new Set<string>();
  const get = (...keys: string[]): unknown => pkg.pyproject?.get(['tool', ...keys]);
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  for (const name of strings(get('setuptools', 'packages'))) roots.add(name.split('.')[0]!);
  for (const name of strings(get('setuptools', 'py-modules'))) roots.add(name.split('.')[0]!);
  const packageDir = get('setuptools', 'package-dir');
  if (packageDir && typeof packageDir === 'object') for (const key of Object.keys(packageDir)) if (key) roots.add(key.split('.')[0]!);
  if (pkg.pyproject) for (const item of strings(hatchSetting({ pyproject: pkg.pyproject, hatchToml: pkg.hatchToml }, ['build', 'targets', 'wheel', 'packages']).value)) roots.add(path.posix.basename(item));
  const flit = get('flit', 'module');
  if (flit && typeof flit === 'object' && typeof (flit as Record<string, unknown>).name === 'string') roots.add(((flit as Record<string, string>).name ?? '').split('.')[0]!);
  const poetry = get('poetry', 'packages');
  if (Array.isArray(poetry)) {
    for (const entry of poetry) {
      const include = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).include : undefined;
      if (typeof include === 'string' && !/[*?[]/.test(include)) roots.add(include.replace(/\.py$/, '').split('/')[0]!);
    }
  }
  const otherDirs = new Set(project.packages.filter((other) => other.dir !== pkg.dir).map((other) => other.dir));
  const join = (...parts: string[]): string => path.posix.join(...parts.filter((part) => part !== '.'));
  const isDirectory = (relative: string): boolean => project.listDirectory(relative).length > 0;
  const walk = (base: string, relative: string, depth: number): void => {
    const directory = relative ? join(base, relative) : base;
    for (const name of project.listDirectory(directory)) {
      if (name.startsWith('.') || name.endsWith('.egg-info') || NOT_CODE_DIRECTORIES.has(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      if (depth === 0 && name === 'src' && base === pkg.dir) continue; // walked as a base of its own
      const child = join(directory, name);
      if (otherDirs.has(child) || !isDirectory(child)) continue;
      const modulePath = relative ? `${relative}/${name}` : name;
      if (project.listDirectory(child).includes('__init__.py')) roots.add(modulePath);
      else if (depth < 2) walk(base, modulePath, depth + 1); // a namespace package: look one level further
    }
  };
  if (pkg.dir !== '.' && project.listDirectory(pkg.dir).includes('__init__.py')) {
    // The package directory is itself the import package (pyproject.toml beside __init__.py).
    roots.add(path.posix.basename(pkg.dir));
  } else {
    walk(pkg.dir, '', 0);
    if (isDirectory(join(pkg.dir, 'src')) && !otherDirs.has(join(pkg.dir, 'src'))) walk(join(pkg.dir, 'src'), '', 0);
  }
  return [...roots].filter(Boolean).sort();
}

function requirementProblems(pkg: Package, artifacts: readonly Artifact[], label: string, at: (keyPath: TomlKeyPath) => Range): ArtifactProblem[] {
  const scope = { dependencies: !pkg.dynamic.includes('dependencies'), optional: !pkg.dynamic.includes('optional-dependencies') };
  if (!scope.dependencies && !scope.optional) return [];
  const declared = declaredRequirements(pkg.project, scope);
  // One finding per difference, naming every artifact that shows it.
  const grouped = new Map<string, { range: Range; artifacts: Artifact[]; describe: (subject: string) => string }>();
  for (const artifact of artifacts) {
    const actual = artifact.metadata!.all('requires-dist');
    // An sdist's PKG-INFO may leave Requires-Dist out (metadata before 2.2 need not be complete).
    if (artifact.kind === 'sdist' && actual.length === 0) continue;
    for (const { declared: wanted, actual: found } of compareRequirements(declared, actual, scope)) {
      const group = wanted?.requirement.extra || found?.extra;
      const where = group ? `optional-dependencies.${group}` : 'dependencies';
      let key: string;
      let range: Range;
      let describe: (subject: string) => string;
      if (wanted) {
        range = pkg.pyproject.rangeOfValue(wanted.path) ?? at(wanted.path);
        key = `${wanted.requirement.text}|${found?.text}`;
        describe = found
          ? (subject) => `${where} declares "${wanted.requirement.text}", but the Requires-Dist of ${subject} says "${found.text}"`
          : (subject) => `${where} declares "${wanted.requirement.text}", but the Requires-Dist of ${subject} lacks it`;
      } else {
        range = at(group ? ['project', 'optional-dependencies'] : ['project', 'dependencies']);
        key = `|${found!.text}`;
        describe = (subject) => `the Requires-Dist of ${subject} has "${found!.text}", which ${where} does not declare`;
      }
      const entry = grouped.get(key) ?? { range, artifacts: [], describe };
      entry.artifacts.push(artifact);
      grouped.set(key, entry);
    }
  }
  return [...grouped.values()].map((entry) => ({
    file: pkg.pyproject,
    range: entry.range,
    message: `${label}: ${entry.describe(entry.artifacts.map((artifact) => artifact.fileName).join(' and '))}`,
  }));
}
