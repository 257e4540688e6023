/**
 * What `init` scaffolds for a project: for each package not yet published, a short name, a tag
 * pattern disjoint from every other package's, a caller workflow, a secret (or trusted publishing)
 * and the Python that builds it. Pure: reads the Project, writes nothing.
 */
import { releasePlan } from '../plan/release-plan.js';
import { findPublishers, type ExistingPublisher } from './publishers.js';
import type { RepositoryId } from '../project/git-remote.js';
import type { Package, Project } from '../project/project.js';
import { admitsPythonLine } from '../pyproject/specifiers.js';
import { findTagOverlap } from '../workflow/tag-filter.js';
import type { TagFilter } from '../workflow/tag-filter.js';

export type InitMode = 'token' | 'trusted';

export interface InitPackage {
  pkg: Package;
  name: string;
  normalizedName: string;
  /** Repo-relative POSIX directory ('.' for the root). */
  dir: string;
  /** The root package, whose name prefixes the plugins' names. */
  isCore: boolean;
  /** The name without the core's prefix (`open-ticket-ai-hf-local` → `hf-local`); the core keeps its name. */
  shortName: string;
  /** What precedes the version in a release tag: `hf-local-v`. */
  tagPrefix: string;
  /** The push tag filter pattern: `hf-local-v*`. */
  tagPattern: string;
  /** A tag that releases the current version: `hf-local-v1.0.0`. */
  exampleTag: string;
  /** The caller workflow's file name: `publish-hf-local.yml`. */
  workflowFile: string;
  /** The repository secret with the package's PyPI token (token mode only). */
  secret: string | undefined;
  /** The Python the workflow builds with (a line requires-python admits). */
  pythonVersion: string;
}

export interface SkippedPackage {
  dir: string;
  name: string | undefined;
  reason: string;
}

export interface InitPlan {
  mode: InitMode;
  /** What already publishes (src/init/publishers.ts). */
  publishers: ExistingPublisher[];
  /** Publishers were found and --force was not given: init writes nothing. */
  stopped: boolean;
  /** The packages no publisher is known to upload (what --force would scaffold when stopped). */
  unpublished: string[];
  /** The reusable build-check(-publish) workflow's file name. */
  reusableFile: string;
  packages: InitPackage[];
  skipped: SkippedPackage[];
  repository: RepositoryId | undefined;
}

export interface InitPlanOptions {
  trustedPublishing?: boolean;
  /** Scaffold even though publishers exist (never for a package a workflow already uploads). */
  force?: boolean;
  /** owner/name for the badges; else the project's (config `repository` or the git remote). */
  repository?: RepositoryId;
}

/** A problem that stops `init` before it writes anything (exit code 2). */
export class InitError extends Error {}

export const REUSABLE_WORKFLOW = { token: 'publish-to-pypi.yml', trusted: 'build-and-check.yml' } as const;

/** Python lines to build with, most preferred first: a current, widely supported release. */
const PYTHON_PREFERENCE = ['3.12', '3.13', '3.11', '3.10', '3.9', '3.14', '3.8', '3.7'];

export function planInit(project: Project, options: InitPlanOptions = {}): InitPlan {
  const mode: InitMode = options.trustedPublishing ? 'trusted' : 'token';
  if (project.packages.length === 0) {
    throw new InitError(`no package found under ${project.root}: init needs a pyproject.toml with a [project] table`);
  }
  const plan = releasePlan(project);
  const publishers = findPublishers(project);
  const alreadyPublished = new Set(publishers.flatMap((publisher) => publisher.packageDirs ?? []));
  const skipped: SkippedPackage[] = [];
  const candidates: Package[] = [];
  for (const pkg of [...project.packages].sort((a, b) => (a.dir === '.' ? -1 : b.dir === '.' ? 1 : a.dir.localeCompare(b.dir)))) {
    if (!pkg.name || !pkg.normalizedName) {
      skipped.push({ dir: pkg.dir, name: undefined, reason: 'its [project] table has no name' });
    } else if (alreadyPublished.has(pkg.dir)) {
      // listed with its publisher (InitPlan.publishers), never given a second one
    } else if (candidates.some((other) => other.normalizedName === pkg.normalizedName)) {
      skipped.push({ dir: pkg.dir, name: pkg.name, reason: `same name as the package in ${candidates.find((other) => other.normalizedName === pkg.normalizedName)!.dir}` });
    } else {
      candidates.push(pkg);
    }
  }

  const repository = options.repository ?? project.repository;
  const reusableFile = REUSABLE_WORKFLOW[mode];
  const unpublished = candidates.map((pkg) => pkg.name!);
  if (publishers.length > 0 && !options.force) return { mode, publishers, stopped: true, unpublished, reusableFile, packages: [], skipped, repository };

  const core = project.packages.find((pkg) => pkg.dir === '.' && pkg.normalizedName);
  const shortNames = assignShortNames(candidates, core);
  const packages: InitPackage[] = candidates.map((pkg) => {
    const shortName = shortNames.get(pkg)!;
    const workflowFile = `publish-${shortName}.yml` === reusableFile ? `publish-${shortName}-package.yml` : `publish-${shortName}.yml`;
    return {
      pkg,
      name: pkg.name!,
      normalizedName: pkg.normalizedName!,
      dir: pkg.dir,
      isCore: pkg === core,
      shortName,
      tagPrefix: `${shortName}-v`,
      tagPattern: `${shortName}-v*`,
      exampleTag: `${shortName}-v${pkg.version ?? '1.0.0'}`,
      workflowFile,
      secret: mode === 'token' ? `PYPI_API_TOKEN_${shortName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}` : undefined,
      pythonVersion: choosePython(pkg),
    };
  });

  const existing = plan.publishWorkflows.map((workflow) => ({ name: workflow.name, filter: workflow.triggers.pushTags }));
  makeTagPatternsDisjoint(packages, existing);
  return { mode, publishers, stopped: false, unpublished, reusableFile, packages, skipped, repository };
}

/**
 * `open-ticket-ai-hf-local` → `hf-local` when the core is `open-ticket-ai`; the core and every
 * package outside the core's prefix keep their normalised name. Names that would collide keep
 * their full normalised name too.
 */
function assignShortNames(packages: Package[], core: Package | undefined): Map<Package, string> {
  const prefix = core ? `${core.normalizedName}-` : undefined;
  const names = new Map<Package, string>();
  for (const pkg of packages) {
    const full = pkg.normalizedName!;
    names.set(pkg, prefix && pkg !== core && full.startsWith(prefix) && full.length > prefix.length ? full.slice(prefix.length) : full);
  }
  const counts = new Map<string, number>();
  for (const name of names.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const pkg of packages) if (counts.get(names.get(pkg)!)! > 1) names.set(pkg, pkg.normalizedName!);
  return names;
}

function choosePython(pkg: Package): string {
  const requiresPython = pkg.project['requires-python'];
  if (typeof requiresPython !== 'string' || requiresPython.trim() === '') return PYTHON_PREFERENCE[0]!;
  try {
    return PYTHON_PREFERENCE.find((line) => admitsPythonLine(requiresPython, line)) ?? PYTHON_PREFERENCE[0]!;
  } catch {
    return PYTHON_PREFERENCE[0]!; // an invalid specifier: pyproject/schema reports it
  }
}

const patternFilter = (pattern: string): TagFilter => ({ kind: 'patterns', patterns: [pattern] });

/**
 * Makes every new package's tag pattern disjoint from every other one and from the tag filters of
 * the publish workflows already there, checked exactly with the tag filter automata. `x-v*` and
 * `x-v2-v*` share `x-v2-v0`: such a pair falls back to `x-v[0-9]+.[0-9]+*` (a version must follow
 * `-v` directly). Throws when a pattern still overlaps.
 */
export function makeTagPatternsDisjoint(packages: InitPackage[], existing: { name: string; filter: TagFilter }[] = []): void {
  const firstOverlap = (): string | undefined => {
    for (let i = 0; i < packages.length; i++) {
      const a = packages[i]!;
      for (const b of packages.slice(i + 1)) {
        const witness = findTagOverlap(patternFilter(a.tagPattern), patternFilter(b.tagPattern));
        if (witness !== null) return `tag '${witness}' would publish both ${a.name} (${a.tagPattern}) and ${b.name} (${b.tagPattern}); rename one of them`;
      }
      for (const workflow of existing) {
        const witness = findTagOverlap(patternFilter(a.tagPattern), workflow.filter);
        if (witness !== null) return `tag '${witness}' would publish ${a.name} (${a.tagPattern}) and also trigger ${workflow.name}; narrow that workflow's tag filter first`;
      }
    }
    return undefined;
  };
  if (firstOverlap() === undefined) return;
  const overlaps = (a: InitPackage): boolean =>
    packages.some((b) => b !== a && findTagOverlap(patternFilter(a.tagPattern), patternFilter(b.tagPattern)) !== null) ||
    existing.some((workflow) => findTagOverlap(patternFilter(a.tagPattern), workflow.filter) !== null);
  const tightened = packages.filter(overlaps);
  for (const entry of tightened) entry.tagPattern = `${entry.shortName}-v[0-9]+.[0-9]+*`;
  const problem = firstOverlap();
  if (problem) throw new InitError(problem);
}
