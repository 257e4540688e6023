/**
 * Reads the packages of a repository from its declaration files: one package per directory, from
 * the first declaration that names one (pyproject `[project]`, then `[tool.poetry]`, then
 * setup.cfg `[metadata]`, then a `setup()` call). Then marks what can never be uploaded.
 */
import path from 'node:path';
import type { SourceFile } from '../project/source-file.js';
import { asTable, type TomlFile } from '../project/toml-file.js';
import { normalizePackageName, type NotPublishable, type Package } from './package.js';
import { readSetupCfg, readSetupPy } from './setup-files.js';

export interface DeclarationFiles {
  pyprojects: readonly TomlFile[];
  setupCfgs: readonly SourceFile[];
  setupPys: readonly SourceFile[];
  hatchTomls: readonly TomlFile[];
  /** Whether a repo file exists (uv.lock). */
  exists(relativePath: string): boolean;
}

/**
 * Directory names that hold examples, tests, docs or templates rather than releases (`examples`, `_template`,
 * `sample-app`, `demo_project`), template placeholders (`{{cookiecutter.name}}`), and `.github`, whose
 * projects are the CI's own tooling (a library that generates the workflows).
 */
const SAMPLE_DIRECTORY = /^_?(?:examples?|samples?|tests?|testing|docs?|templates?|demos?|tutorials?|cookbooks?|playground)(?:[-_.].*)?$|^\.github$|\{\{|\{%/i;

const dirOf = (file: string): string => path.posix.dirname(file);

export function readPackages(files: DeclarationFiles): Package[] {
  const byDir = new Map<string, Package>();
  const hatchTomls = new Map(files.hatchTomls.map((file) => [dirOf(file.path), file]));
  const add = (pkg: Omit<Package, 'sample' | 'notPublishable' | 'hatchToml'>): void => {
    if (byDir.has(pkg.dir)) return;
    byDir.set(pkg.dir, { ...pkg, hatchToml: hatchTomls.get(pkg.dir), sample: pkg.dir.split('/').some((part) => SAMPLE_DIRECTORY.test(part)), notPublishable: undefined });
  };
  const pyprojectAt = new Map(files.pyprojects.map((file) => [dirOf(file.path), file]));

  for (const file of files.pyprojects) {
    const found = file.parseError === undefined ? fromPyproject(file) : fromUnparsedPyproject(file);
    if (found) add(found);
  }
  for (const file of files.setupCfgs) {
    const metadata = readSetupCfg(file.text);
    if (!metadata.name) continue;
    const pyproject = pyprojectAt.get(dirOf(file.path));
    add({
      dir: dirOf(file.path),
      kind: 'setup.cfg',
      declaredIn: file,
      pyproject: pyproject?.parseError === undefined ? pyproject : undefined,
      project: {},
      name: metadata.name.value,
      normalizedName: normalizePackageName(metadata.name.value),
      version: metadata.version && !metadata.version.dynamic ? metadata.version.value : undefined,
      dynamic: metadata.version?.dynamic ? ['version'] : [],
      namePath: ['metadata', 'name'],
      versionPath: ['metadata', 'version'],
    });
  }
  for (const file of files.setupPys) {
    const call = readSetupPy(file.text);
    if (!call.callsSetup) continue;
    const pyproject = pyprojectAt.get(dirOf(file.path));
    add({
      dir: dirOf(file.path),
      kind: 'setup.py',
      declaredIn: file,
      pyproject: pyproject?.parseError === undefined ? pyproject : undefined,
      project: {},
      name: call.name?.value,
      normalizedName: call.name && normalizePackageName(call.name.value),
      version: call.version?.value,
      dynamic: call.version ? [] : ['version'],
      namePath: [],
      versionPath: [],
    });
  }
  const packages = [...byDir.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  for (const pkg of packages) pkg.notPublishable = notPublishable(pkg, files);
  return packages;
}

function fromPyproject(file: TomlFile): Omit<Package, 'sample' | 'notPublishable' | 'hatchToml'> | undefined {
  const dir = dirOf(file.path);
  const project = asTable(file.get(['project']));
  if (project) {
    const name = typeof project.name === 'string' ? project.name : undefined;
    return {
      dir,
      kind: 'pep621',
      declaredIn: file,
      pyproject: file,
      project,
      name,
      normalizedName: name === undefined ? undefined : normalizePackageName(name),
      version: typeof project.version === 'string' ? project.version : undefined,
      dynamic: Array.isArray(project.dynamic) ? project.dynamic.filter((item): item is string => typeof item === 'string') : [],
      namePath: ['project', 'name'],
      versionPath: ['project', 'version'],
    };
  }
  const poetry = asTable(file.get(['tool', 'poetry']));
  if (poetry && typeof poetry.name === 'string' && poetry.name !== '') {
    return {
      dir,
      kind: 'poetry',
      declaredIn: file,
      pyproject: file,
      project: {},
      name: poetry.name,
      normalizedName: normalizePackageName(poetry.name),
      version: typeof poetry.version === 'string' ? poetry.version : undefined,
      dynamic: [],
      namePath: ['tool', 'poetry', 'name'],
      versionPath: ['tool', 'poetry', 'version'],
    };
  }
  return undefined;
}

/**
 * A pyproject.toml that does not parse is still the package of its directory (core/parse-error
 * reports the file; nothing else should follow from it): its name read from the text when a
 * `[project]` or `[tool.poetry]` table names one.
 */
function fromUnparsedPyproject(file: TomlFile): Omit<Package, 'sample' | 'notPublishable' | 'hatchToml'> | undefined {
  let table: string | undefined;
  let name: string | undefined;
  let declares = false;
  for (const line of file.text.split('\n')) {
    const header = /^\s*\[\s*([A-Za-z0-9_.\-" ]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      table = header[1]!.replace(/["\s]/g, '');
      declares ||= table === 'project' || table === 'tool.poetry';
      continue;
    }
    const entry = /^\s*name\s*=\s*["']([^"']+)["']/.exec(line);
    if (entry && (table === 'project' || table === 'tool.poetry') && name === undefined) name = entry[1];
  }
  if (!declares) return undefined;
  return {
    dir: dirOf(file.path),
    kind: 'unparsed',
    declaredIn: file,
    pyproject: undefined,
    project: {},
    name,
    normalizedName: name === undefined ? undefined : normalizePackageName(name),
    version: undefined,
    dynamic: [],
    namePath: [],
    versionPath: [],
  };
}

/** Why the package can never be uploaded, or undefined. */
function notPublishable(pkg: Package, files: DeclarationFiles): NotPublishable | undefined {
  const pyproject = pkg.pyproject;
  const classifiers = pkg.kind === 'pep621' ? pkg.project.classifiers : pkg.kind === 'poetry' ? pyproject?.get(['tool', 'poetry', 'classifiers']) : pkg.kind === 'setup.cfg' ? readSetupCfg(pkg.declaredIn.text).classifiers : undefined;
  if (Array.isArray(classifiers)) {
    const index = classifiers.findIndex((classifier) => typeof classifier === 'string' && classifier.startsWith('Private ::'));
    if (index >= 0) {
      const path = pkg.kind === 'pep621' ? ['project', 'classifiers', index] : pkg.kind === 'poetry' ? ['tool', 'poetry', 'classifiers', index] : undefined;
      return { reason: `its classifiers include "${String(classifiers[index])}", which PyPI refuses by design`, file: pkg.declaredIn, path };
    }
  }
  if (!pyproject) return undefined;
  if (pyproject.get(['tool', 'uv', 'package']) === false) return { reason: '[tool.uv] package = false makes it a virtual project that uv never builds', file: pyproject, path: ['tool', 'uv', 'package'] };
  if (pyproject.get(['tool', 'poetry', 'package-mode']) === false) return { reason: '[tool.poetry] package-mode = false: Poetry manages its dependencies only', file: pyproject, path: ['tool', 'poetry', 'package-mode'] };
  if (pyproject.get(['tool', 'pdm', 'distribution']) === false) return { reason: '[tool.pdm] distribution = false: PDM manages its dependencies only', file: pyproject, path: ['tool', 'pdm', 'distribution'] };
  if (pkg.kind === 'pep621' && pyproject.get(['build-system']) === undefined && usesUv(pkg, files) && pyproject.get(['tool', 'uv', 'package']) !== true) {
    return { reason: 'it has no [build-system] and is managed by uv, which treats such a project as virtual (an application or a workspace root, never built)', file: pyproject, path: ['project'] };
  }
  return undefined;
}

/** A uv project: a [tool.uv] table, or a uv.lock in its directory or an ancestor (a workspace root). */
function usesUv(pkg: Package, files: DeclarationFiles): boolean {
  if (pkg.pyproject?.get(['tool', 'uv']) !== undefined) return true;
  for (let dir = pkg.dir; ; dir = dirOf(dir)) {
    if (files.exists(dir === '.' ? 'uv.lock' : `${dir}/uv.lock`)) return true;
    if (dir === '.') return false;
  }
}

