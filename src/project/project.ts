import type { LintConfig } from '../config/config.js';
import { Memo } from '../engine/memo.js';
import { Timing } from '../engine/timing.js';
import { FileStore } from './file-store.js';
import { discoverFiles, type DiscoveredFiles } from './discover.js';
import { SourceFile } from './source-file.js';
import { TomlFile } from './toml-file.js';
import { YamlFile } from './yaml-file.js';
import { readGitRemote, type RepositoryId } from './git-remote.js';
import { isPyprojectPackage, type Package, type PyprojectPackage } from '../packages/package.js';
import { readPackages } from '../packages/read.js';
import { readWorkspaces, type Workspace } from '../packages/workspaces.js';

export type { Package, PyprojectPackage } from '../packages/package.js';

/** The key of a Project fact: its name, and (in its type) the type of its value. */
export interface FactKey<T> {
  readonly name: string;
  /** Never set: carries T, so `project.fact(key, compute)` checks compute against the key. */
  readonly value?: T;
}

/** A new fact key; keys are told apart by identity, the name is for reading. */
export function factKey<T>(name: string): FactKey<T> {
  return { name };
}

const REPOSITORY = factKey<RepositoryId | undefined>('repository');
const PACKAGES_BY_DIR = factKey<Map<string, Package>>('packages-by-dir');
const PACKAGES_BY_NAME = factKey<Map<string, Package>>('packages-by-name');
export { normalizePackageName } from '../packages/package.js';

/** A file that could not be read or parsed: becomes `core/parse-error`. */
export interface FileProblem {
  file: string;
  message: string;
  line: number;
  column: number;
}

/**
 * Everything the rules read: each file read and parsed once, plus facts computed on first use and
 * shared by every rule (the release plan, the repository id...), as repo-review's fixtures are.
 */
export class Project {
  readonly pyprojects: TomlFile[] = [];
  readonly setupFiles: SourceFile[] = [];
  readonly hatchTomls: TomlFile[] = [];
  readonly workflows: YamlFile[] = [];
  /** Local action definitions (action.yml), parsed. */
  readonly actions: YamlFile[] = [];
  readonly docs: SourceFile[] = [];
  readonly actionlintConfig: YamlFile | undefined;
  /** Every package, whatever declares it (see src/packages/). */
  readonly packages: Package[];
  /** The packages declared in a pyproject.toml that parses ([project] or [tool.poetry]), with a name. */
  readonly pyprojectPackages: PyprojectPackage[];
  readonly workspaces: Workspace[];
  readonly problems: FileProblem[] = [];
  private readonly byPath = new Map<string, SourceFile>();
  private readonly facts = new Map<FactKey<unknown>, Map<string, unknown>>();

  constructor(
    readonly root: string,
    readonly config: LintConfig,
    readonly store: FileStore,
    readonly discovered: DiscoveredFiles,
    /** Files already parsed before the project existed (the root pyproject, read for its config). */
    preloaded: readonly SourceFile[] = [],
    /** Results rules may reuse from an earlier run (see src/engine/memo.ts). */
    readonly memo: Memo = new Memo(),
    /** Where the run counts its phases (--timing; src/engine/timing.ts). */
    readonly timing: Timing = Timing.off,
  ) {
    for (const file of preloaded) this.byPath.set(file.path, file);
    for (const file of discovered.pyprojects) this.addTo(this.pyprojects, this.load(file, TomlFile));
    for (const file of [...discovered.setupCfgs, ...discovered.setupPys]) this.addTo(this.setupFiles, this.load(file, SourceFile));
    for (const file of discovered.hatchTomls) this.addTo(this.hatchTomls, this.load(file, TomlFile));
    for (const file of discovered.workflows) this.addTo(this.workflows, this.load(file, YamlFile));
    for (const file of discovered.actions) this.addTo(this.actions, this.load(file, YamlFile));
    for (const file of discovered.docs) this.addTo(this.docs, this.load(file, SourceFile));
    this.actionlintConfig = discovered.actionlintConfig ? this.load(discovered.actionlintConfig, YamlFile) : undefined;
    this.packages = readPackages({
      pyprojects: this.pyprojects,
      setupCfgs: this.setupFiles.filter((file) => file.path.endsWith('setup.cfg')),
      setupPys: this.setupFiles.filter((file) => file.path.endsWith('setup.py')),
      hatchTomls: this.hatchTomls.filter((file) => file.parseError === undefined),
      exists: (relativePath) => this.store.exists(relativePath),
    });
    this.pyprojectPackages = this.packages.filter(isPyprojectPackage);
    this.workspaces = readWorkspaces(
      this.pyprojects.filter((file) => file.parseError === undefined),
      this.packages,
    );
  }

  /** Discovers the files under `root` and loads them. */
  static load(root: string, config: LintConfig, store = new FileStore(root), preloaded: readonly SourceFile[] = []): Project {
    const discovered = discoverFiles(root, { ignore: config.ignore, skipDirectories: config.skipDirectories, docs: config.docs });
    return new Project(root, config, store, discovered, preloaded);
  }

  /** The same files, re-read through `store` (used between --fix passes). */
  reload(store: FileStore): Project {
    return new Project(this.root, this.config, store, this.discovered, [], this.memo, this.timing);
  }

  /** Every file the project loaded, by repo-relative path. */
  file(relativePath: string): SourceFile | undefined {
    return this.byPath.get(relativePath);
  }

  get files(): SourceFile[] {
    return [...this.byPath.values()];
  }

  /** The root pyproject.toml, if there is one. */
  get rootPyproject(): TomlFile | undefined {
    return this.byPath.get('pyproject.toml') as TomlFile | undefined;
  }

  /** Reads any other repo file as text (a readme, a license) — once, within the root. */
  readText(relativePath: string): string | undefined {
    const result = this.store.read(relativePath);
    return result.ok ? result.text : undefined;
  }

  exists(relativePath: string): boolean {
    return this.store.exists(relativePath);
  }

  /** Names of the entries of a repo directory ([] when it does not exist or leaves the root). */
  listDirectory(relativePath: string): readonly string[] {
    return this.store.list(relativePath);
  }

  /** A loaded markdown/text file, loading it on first use (a package's own README). */
  sourceFile(relativePath: string): SourceFile | undefined {
    const loaded = this.byPath.get(relativePath);
    if (loaded) return loaded;
    const text = this.readText(relativePath);
    if (text === undefined) return undefined;
    const file = new SourceFile(relativePath, text);
    this.byPath.set(relativePath, file);
    return file;
  }

  /**
   * A fact of this project (the release plan, a package's wheel contents...): computed on first use,
   * then shared by every rule. `part` tells apart the facts of one key about different things (a
   * package's directory).
   */
  fact<T>(key: FactKey<T>, compute: (project: Project) => T, part = ''): T {
    let values = this.facts.get(key);
    if (!values) this.facts.set(key, (values = new Map()));
    if (!values.has(part)) values.set(part, compute(this));
    return values.get(part) as T;
  }


  /** owner/name from config `repository`, else from `git remote get-url origin`. */
  get repository(): RepositoryId | undefined {
    return this.fact(REPOSITORY, () => readGitRemote(this.config.repository, () => this.store.gitOriginUrl()));
  }

  /** Package directory → package (the first declared there). */
  packageAt(directory: string): Package | undefined {
    return this.fact(PACKAGES_BY_DIR, () => firstBy(this.packages, (pkg) => pkg.dir)).get(directory);
  }

  /** The first package of a normalised name (normalizePackageName), if any. */
  packageNamed(normalizedName: string): Package | undefined {
    return this.fact(PACKAGES_BY_NAME, () => firstBy(this.packages, (pkg) => pkg.normalizedName)).get(normalizedName);
  }

  private load<T extends SourceFile>(relativePath: string, Kind: new (path: string, raw: string) => T): T | undefined {
    const preloaded = this.byPath.get(relativePath);
    if (preloaded instanceof Kind) return this.withProblems(preloaded);
    const result = this.store.read(relativePath);
    if (!result.ok) {
      this.problems.push({ file: relativePath, message: result.reason, line: 1, column: 1 });
      return undefined;
    }
    const file = new Kind(relativePath, result.text);
    this.byPath.set(relativePath, file);
    return this.withProblems(file);
  }

  private withProblems<T extends SourceFile>(file: T): T {
    const parseError = (file as { parseError?: { message: string; line: number; column: number } }).parseError;
    if (parseError) this.problems.push({ file: file.path, ...parseError });
    return file;
  }

  private addTo<T>(list: T[], file: T | undefined): void {
    if (file) list.push(file);
  }
}

/** An index of `items` by `key`, keeping the first item of each key (as `find` would return it). */
function firstBy<T, K>(items: readonly T[], key: (item: T) => K | undefined): Map<K, T> {
  const index = new Map<K, T>();
  for (const item of items) {
    const value = key(item);
    if (value !== undefined && !index.has(value)) index.set(value, item);
  }
  return index;
}
