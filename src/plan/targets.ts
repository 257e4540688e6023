/** Which package directories a route builds, and where in the workflows each one is written. */
import path from 'node:path';
import type { Project } from '../project/project.js';
import { normalizePackageName } from '../project/project.js';
import { readBuildInvocation, uploadSourceDirectory } from './commands.js';
import { expandSourced, type Origin, type Sourced, type SourcedLookup } from './expressions.js';
import type { StepModel, StepSite } from './workflow.js';

/** One package a route builds: its directory (undefined when `--package NAME` names no package here). */
export interface PackageTarget {
  dir: string | undefined;
  /** `uv build --package NAME`. */
  name?: string;
  /** Where the directory or name is written: a caller's `with:` entry, a matrix entry, the step itself. */
  origin: Origin | undefined;
}

type Part = Sourced[] | undefined;

/** A shell variable or command substitution left in a path or name: its value is only known at run time. */
const SHELL_EXPANSION = /[$`]/;

/**
 * The packages the route builds: from the build step (its working-directory, a `cd`, the build
 * command's DIR or `--package NAME`), else from where the upload reads dist/ from.
 */
export function resolveTargets(project: Project, upload: StepSite, build: StepSite | undefined, lookup: SourcedLookup): PackageTarget[] | undefined {
  const site = build ?? upload;
  const stepOrigin = (step: StepModel, key: string): Origin => ({ file: site.workflow.file, path: [...step.path, key] });
  const expand = (value: string | undefined, own: Origin | undefined): Part => (value === undefined ? [{ value: '', origin: undefined }] : expandSourced(value, lookup, own));
  const jobDefault = expand(site.job.defaultWorkingDirectory, { file: site.workflow.file, path: [...site.job.path, 'defaults', 'run', 'working-directory'] });
  if (build) {
    const invocation = readBuildInvocation(build.step.run!)!;
    if (invocation.allPackages) return project.packages.map((pkg) => ({ dir: pkg.dir, origin: stepOrigin(build.step, 'run') }));
    if (invocation.packageName) {
      const names = expandSourced(invocation.packageName, lookup, stepOrigin(build.step, 'run'));
      if (!names || names.some((name) => SHELL_EXPANSION.test(name.value))) return undefined;
      return names.map((name) => ({
        dir: project.packages.find((pkg) => pkg.normalizedName === normalizePackageName(name.value))?.dir,
        name: name.value,
        origin: name.origin,
      }));
    }
    return combine([
      jobDefault,
      expand(build.step.workingDirectory, stepOrigin(build.step, 'working-directory')),
      expand(invocation.cd, stepOrigin(build.step, 'run')),
      expand(invocation.directory, stepOrigin(build.step, 'run')),
    ]);
  }
  const source = uploadSourceDirectory(upload.step);
  const sourceKey = upload.step.with['packages-dir'] === undefined ? 'run' : 'with';
  const sourceOrigin: Origin = { file: upload.workflow.file, path: sourceKey === 'with' ? [...upload.step.path, 'with', 'packages-dir'] : [...upload.step.path, 'run'] };
  return combine([jobDefault, expand(upload.step.workingDirectory, stepOrigin(upload.step, 'working-directory')), expand(source, sourceOrigin)]);
}

/**
 * Joins every combination of path parts; undefined when a part could not be expanded. A target's
 * origin is that of the last non-empty part (the most specific one).
 */
function combine(parts: Part[]): PackageTarget[] | undefined {
  if (parts.some((part) => part === undefined)) return undefined;
  let results: Sourced[] = [{ value: '', origin: undefined }];
  for (const part of parts as Sourced[][]) {
    results = results.flatMap((prefix) =>
      part.map((piece) => ({
        value: piece.value.startsWith('/') ? piece.value : path.posix.join(prefix.value, piece.value),
        origin: piece.value === '' ? prefix.origin : (piece.origin ?? prefix.origin),
      })),
    );
  }
  const byDir = new Map<string, PackageTarget>();
  for (const result of results) {
    const dir = normalizeDirectory(result.value);
    if (SHELL_EXPANSION.test(dir)) return undefined;
    if (!byDir.has(dir)) byDir.set(dir, { dir, origin: result.origin });
  }
  return [...byDir.values()];
}

function normalizeDirectory(directory: string): string {
  const normalized = path.posix.normalize(directory.replace(/^\$GITHUB_WORKSPACE\/?|^\$\{\{\s*github\.workspace\s*\}\}\/?/, '') || '.').replace(/\/+$/, '');
  return normalized === '' || normalized === './' ? '.' : normalized.replace(/^\.\//, '');
}
