/**
 * Follows the files an upload sends back to the build that wrote them: through copies and
 * downloaded artifacts (to the jobs that uploaded them, matrix legs included) to a build step,
 * and from the build to the package directory it ran on. Each target says how it was known:
 * resolved (every link read from the files) or inferred (the upload reads `<package>/dist` but the
 * build that writes it is not followed). What cannot be followed is reported once, as opaque.
 */
import type { Package, Project } from '../project/project.js';
import { workspaceOf } from '../packages/workspaces.js';
import { normalizePackageName } from '../packages/package.js';
import type { ArtifactDownloadEffect, ArtifactUploadEffect, BuildEffect, Effect, UploadEffect } from './effects.js';
import { stepEffects } from './effects.js';
import { describeEvidence, type Evidence } from './evidence.js';
import type { JobRun, WorkflowRun } from './job-runs.js';
import { directoryMatches, hasGlob, isWithinRunPath, splitPattern } from './paths.js';
import type { PathValue } from './step-runs.js';
import picomatch from 'picomatch';

/** How a target is known: read from the files, inferred, or mapped by the config. */
export type Confidence = 'resolved' | 'inferred' | 'config';

/** A package an upload sends, or a directory / name it builds that holds no package. */
export interface Target {
  pkg: Package | undefined;
  /** The directory built: the package's, or one where no package is. */
  dir?: string | undefined;
  /** `--package NAME` naming no package. */
  name?: string | undefined;
  confidence: Confidence;
  /** Where the package directory or name is written (a matrix entry, a caller's with:, the build command). */
  origin: Evidence | undefined;
  /** Why an inferred target was inferred. */
  reason?: string | undefined;
  /** The links from the upload to the build (or the directory) of this target. */
  chain: Link[];
  /** Inferred from the directory an upload reads, where no step before the upload writes it. */
  unwritten?: boolean | undefined;
}

/** One link of a route: what it is (an upload, a download, a build...) and where. */
export interface Link {
  what: string;
  evidence: Evidence;
}

/** A link of the route the plan cannot follow, and where. */
export interface OpaqueLink {
  reason: string;
  evidence: Evidence;
  /** Nothing before the upload writes what it reads: not a gap in what the linter follows, a missing build. */
  unwritten?: boolean | undefined;
}

/**
 * Something on the way that works differently from how it reads (issue-worthy, not opaque):
 * a download that nests each artifact in its own folder; files written to one directory and read
 * from another; a path that still holds an unevaluated `${{ }}`.
 */
export interface TraceNote {
  kind: 'nested-download' | 'misdirected' | 'literal-expression';
  /** Where the files really go: the download, the build or copy that writes elsewhere; the path's origin. */
  evidence: Evidence;
  /** The step that reads them: the upload, or an artifact upload on the way. */
  reader: Evidence;
  detail: string;
}

export interface TraceResult {
  targets: Target[];
  opaque: OpaqueLink[];
  notes: TraceNote[];
  /** The builds reached, nearest to the upload first. */
  builds: { build: BuildEffect; job: JobRun }[];
}

/** `${{` (or `$\{{`) left in a value after evaluation: text, not an expression, by the time a step reads it. */
const LITERAL_EXPRESSION = /\$\\?\{\{/;

/** Copies, artifacts and sdists re-built from artifacts are followed this deep. */
const MAX_DEPTH = 8;
/** The major version of actions/download-artifact assumed for a pin that names no version (a commit). */
const CURRENT_DOWNLOAD_ARTIFACT = 8;

export class Tracer {
  private readonly effects = new Map<string, Effect[]>();

  constructor(
    private readonly project: Project,
    private readonly run: WorkflowRun,
  ) {}

  /** The effects of a job run's steps (memoised). */
  effectsOf(job: JobRun): Effect[] {
    let found = this.effects.get(job.key);
    if (!found) {
      found = stepEffects(this.run.context.stepsOf(job).steps);
      this.effects.set(job.key, found);
    }
    return found;
  }

  traceUpload(job: JobRun, upload: UploadEffect): TraceResult {
    const result: TraceResult = { targets: [], opaque: [], notes: [], builds: [] };
    const chain: Link[] = [{ what: `upload (${upload.tool})`, evidence: upload.evidence }];
    if (upload.builds) {
      this.fromBuild(job, upload.builds, result, 0, chain);
      return result;
    }
    const effects = this.effectsOf(job);
    const position = effects.indexOf(upload);
    for (const file of upload.files) {
      if (file && LITERAL_EXPRESSION.test(file.value)) {
        const origin = file.origin ? { file: file.origin.file, path: file.origin.path } : upload.evidence;
        result.notes.push({ kind: 'literal-expression', evidence: origin, reader: upload.evidence, detail: `${upload.tool} at ${describeEvidence(upload.evidence)} reads "${file.value}" (written at ${describeEvidence(origin)}), a path that still holds \${{ }} when the step runs: GitHub evaluates an expression once, and the text it yields is passed on as it is` });
      }
      if (!file) {
        result.opaque.push({ reason: `${upload.tool} uploads ${unknownPathText(upload)}: a path computed at run time${matrixNote(job)}`, evidence: upload.evidence });
        continue;
      }
      this.fromFiles(job, effects, position, file, result, 0, chain);
    }
    return result;
  }

  /** Who wrote `files` (a directory or glob) in `job` before effect number `before`. */
  private fromFiles(job: JobRun, effects: Effect[], before: number, files: NonNullable<PathValue>, result: TraceResult, depth: number, chain: Link[]): void {
    const { directory } = splitPattern(files.value);
    let culprit: Extract<Effect, { kind: 'opaque' }> | undefined;
    let unknownBuild: BuildEffect | undefined;
    let built = false;
    for (let index = before - 1; index >= 0 && depth <= MAX_DEPTH; index--) {
      const effect = effects[index]!;
      if (effect.kind === 'build') {
        const out = this.outDirOf(effect);
        // A build in a directory computed at run time may write anywhere, this directory included.
        if (out === undefined) unknownBuild ??= effect;
        // Builds into one directory add up (`uv build --package a`, then `--package b`): follow each.
        if (out && directoryMatches(directory, out)) {
          this.fromBuild(job, effect, result, depth + 1, chain);
          built = true;
        }
      } else if (built) {
        continue;
      } else if (effect.kind === 'artifact-download') {
        if (this.fromDownload(job, effect, directory, result, depth, chain)) return;
      } else if (effect.kind === 'copy') {
        if (effect.dest && (directoryMatches(directory, effect.dest.value) || directoryMatches(directory, effect.dest.value.replace(/\/\*$/, '')))) {
          const copied = [...chain, { what: 'copy', evidence: effect.evidence }];
          for (const source of effect.sources) {
            if (source) this.fromFiles(job, effects, index, source, result, depth + 1, copied);
            else result.opaque.push({ reason: 'a copy from a path computed at run time', evidence: effect.evidence });
          }
          return;
        }
      } else if (effect.kind === 'opaque' && !effect.uploads) {
        if (!effect.cwd || isWithinRunPath(directory.replace(/\/\*.*$/, ''), effect.cwd.value) || effect.cwd.value === '.') culprit ??= effect;
      }
    }
    if (built) return;
    if (unknownBuild) {
      result.opaque.push({ reason: `${unknownBuild.tool} runs in a directory computed at run time${matrixNote(job)}`, evidence: unknownBuild.evidence });
      return;
    }
    if (!culprit) this.noteMisdirected(effects, before, directory, result, chain);
    this.fromDistDirectory(directory, culprit, result, chain);
  }

  /**
   * Nothing writes the directory the reader reads, yet a step before it writes distributions
   * somewhere else (uv's workspace root dist/, a download into dist/ read as artifact/): the
   * nearest such step is where the files really are.
   */
  private noteMisdirected(effects: Effect[], before: number, directory: string, result: TraceResult, chain: Link[]): void {
    // A path that still holds ${{ }} is its own note (literal-expression), whatever the build writes.
    if (LITERAL_EXPRESSION.test(directory)) return;
    for (let index = before - 1; index >= 0; index--) {
      const effect = effects[index]!;
      const written = effect.kind === 'build' ? this.outDirOf(effect) : effect.kind === 'artifact-download' ? effect.path?.value : effect.kind === 'copy' ? effect.dest?.value : undefined;
      if (written === undefined || isWithinRunPath(directory, written)) continue;
      const what = effect.kind === 'build' ? effect.tool : effect.kind === 'artifact-download' ? `download-artifact ${effect.name ?? effect.pattern}` : 'the copy';
      const why = effect.kind === 'build' && effect.outDir === 'uv-default' ? ' (uv writes a workspace member\'s distributions to the workspace root\'s dist/)' : '';
      const reader = chain[chain.length - 1]!;
      const detail = `${reader.what} at ${describeEvidence(reader.evidence)} reads ${directory}/, but ${what} at ${describeEvidence(effect.evidence)} writes ${written}/${why}: read ${written}/ instead, or write to ${directory}/`;
      result.notes.push({ kind: 'misdirected', evidence: effect.evidence, reader: reader.evidence, detail });
      return;
    }
  }

  /**
   * Nothing the plan follows writes `directory`: when it is the dist/ of package directories
   * (`pkg/dist`, `packages/*&#47;dist`), those packages are inferred; otherwise the link is opaque.
   */
  private fromDistDirectory(directory: string, culprit: Extract<Effect, { kind: 'opaque' }> | undefined, result: TraceResult, chain: Link[]): void {
    const reader = chain[chain.length - 1]!.evidence;
    const projectDirectory = directory === 'dist' ? '.' : /^(.*)\/dist$/.exec(directory)?.[1];
    const packages = projectDirectory === undefined ? [] : this.packagesMatching(projectDirectory);
    const how = culprit ? `${culprit.what}, which the linter does not follow,` : 'no step the linter follows';
    if (packages.length > 0) {
      for (const pkg of packages) {
        result.targets.push({ pkg, confidence: 'inferred', origin: reader, reason: `the upload reads ${directory}, the dist/ of ${pkg.dir}; ${how} writes it`, chain, unwritten: culprit === undefined });
      }
      return;
    }
    if (culprit) result.opaque.push({ reason: `the distributions in ${directory} come from ${culprit.what}, which the linter does not follow`, evidence: culprit.evidence });
    else result.opaque.push({ reason: `nothing before the upload writes ${directory}`, evidence: reader, unwritten: true });
  }

  /** The packages whose directory `pattern` (globs allowed) names. */
  private packagesMatching(pattern: string): Package[] {
    return this.project.packages.filter((pkg) => directoryMatches(pattern, pkg.dir));
  }

  /** A download that put files where the reader looks: follow every artifact it takes to the job that uploaded it. */
  private fromDownload(job: JobRun, download: ArtifactDownloadEffect, directory: string, result: TraceResult, depth: number, chain: Link[]): boolean {
    if (!download.path) return false;
    const producers = this.producers(job, download);
    // download-artifact 5 and later extract into `path` itself whenever one artifact is downloaded
    // (by name, by one id, or the only one a pattern matches); 4 only by name or with merge-multiple.
    // A pin it cannot date (a commit) is taken as current.
    const one = download.name !== undefined || ((download.version ?? CURRENT_DOWNLOAD_ARTIFACT) >= 5 && (download.ids ?? producers.length) === 1);
    const nested = !one && !download.merge;
    const into = (artifact: string): string => (nested ? `${download.path!.value}/${artifact}` : download.path!.value);
    const matching = producers.filter(({ upload }) => directoryMatches(directory, into(upload.name)) || (hasGlob(upload.name) && nested && directory.startsWith(`${download.path!.value}/`)));
    if (matching.length === 0) {
      if (nested && directoryMatches(directory, download.path.value) && producers.length > 0) {
        result.notes.push({ kind: 'nested-download', evidence: download.evidence, reader: chain[chain.length - 1]!.evidence, detail: `download of ${download.pattern === '*' ? 'every artifact' : `pattern ${download.pattern}`} without merge-multiple: true puts each artifact in its own folder under ${download.path.value}/, not in ${download.path.value}/ itself` });
        return this.followProducers(producers, download, result, depth, chain);
      }
      if (directoryMatches(directory, download.path.value) && producers.length === 0) {
        result.opaque.push({ reason: `it downloads ${download.name ?? `artifacts matching ${download.pattern}`}, which no job of this run uploads (from another run or repository?)`, evidence: download.evidence });
        return true;
      }
      return false;
    }
    return this.followProducers(matching, download, result, depth, chain);
  }

  private followProducers(producers: { job: JobRun; upload: ArtifactUploadEffect }[], download: ArtifactDownloadEffect, result: TraceResult, depth: number, chain: Link[]): boolean {
    const downloaded = [...chain, { what: `download-artifact ${download.name ?? download.pattern}`, evidence: download.evidence }];
    for (const { job, upload } of producers) {
      const uploaded = [...downloaded, { what: `upload-artifact ${upload.name} (job ${job.job.id})`, evidence: upload.evidence }];
      const effects = this.effectsOf(job);
      const position = effects.indexOf(upload);
      for (const path of upload.paths) {
        if (path) this.fromFiles(job, effects, position, path, result, depth + 1, uploaded);
        else result.opaque.push({ reason: `artifact ${upload.name} holds files from a path computed at run time`, evidence: upload.evidence });
      }
    }
    return true;
  }

  /** The artifact uploads of this run a download takes (merged artifacts followed to their parts). */
  private producers(consumer: JobRun, download: ArtifactDownloadEffect): { job: JobRun; upload: ArtifactUploadEffect }[] {
    const wanted = download.name ?? download.pattern ?? '*';
    const found: { job: JobRun; upload: ArtifactUploadEffect }[] = [];
    const visit = (pattern: string, depth: number): void => {
      for (const job of this.run.jobs) {
        if (job === consumer || job.runs === false || !mayUploadArtifacts(job)) continue;
        for (const effect of this.effectsOf(job)) {
          if (effect.kind === 'artifact-upload' && namesMayMatch(pattern, effect.name)) found.push({ job, upload: effect });
          if (effect.kind === 'artifact-merge' && namesMayMatch(pattern, effect.name) && depth < 2) visit(effect.pattern, depth + 1);
        }
      }
    };
    visit(wanted, 0);
    return found;
  }

  /** Where a build writes; uv writes a workspace member's distributions to the workspace root's dist/. */
  private outDirOf(build: BuildEffect): string | undefined {
    if (build.outDir !== 'uv-default') return build.outDir?.value;
    if (!build.source) return undefined;
    const pkg = this.project.packageAt(build.source.value);
    const workspace = pkg ? workspaceOf(this.project.workspaces, pkg) : this.project.workspaces.find((candidate) => candidate.root === build.source!.value);
    if (workspace && (build.packageName !== null || build.allPackages || pkg)) return workspace.root === '.' ? 'dist' : `${workspace.root}/dist`;
    return build.source.value === '.' ? 'dist' : `${build.source.value}/dist`;
  }

  /** The packages a build builds. */
  private fromBuild(job: JobRun, build: BuildEffect, result: TraceResult, depth: number, reached: Link[]): void {
    result.builds.push({ build, job });
    const chain = [...reached, { what: `build (${build.tool})`, evidence: build.evidence }];
    const source = build.source;
    if (!source) {
      result.opaque.push({ reason: `${build.tool} builds a directory computed at run time${matrixNote(job)}`, evidence: build.evidence });
      return;
    }
    const origin: Evidence | undefined = source.origin ? { file: source.origin.file, path: source.origin.path } : namedBefore(build.evidence, source.value);
    const sourcePackage = this.project.packageAt(source.value);
    const workspace = sourcePackage ? workspaceOf(this.project.workspaces, sourcePackage) : this.project.workspaces.find((candidate) => candidate.root === source.value);
    if (build.allPackages) {
      const members = workspace?.members ?? (sourcePackage ? [sourcePackage] : []);
      for (const pkg of members) result.targets.push({ pkg, confidence: 'resolved', origin: build.evidence, chain });
      return;
    }
    if (build.packageName !== null) {
      if (!build.packageName) {
        result.opaque.push({ reason: `${build.tool} --package names a package computed at run time${matrixNote(job)}`, evidence: build.evidence });
        return;
      }
      const wanted = normalizePackageName(build.packageName.value);
      const candidates = workspace?.members ?? this.project.packages;
      const pkg = candidates.find((candidate) => candidate.normalizedName === wanted) ?? this.project.packages.find((candidate) => candidate.normalizedName === wanted);
      const nameOrigin: Evidence = build.packageName.origin ? { file: build.packageName.origin.file, path: build.packageName.origin.path } : build.evidence;
      result.targets.push(pkg ? { pkg, confidence: 'resolved', origin: nameOrigin, chain } : { pkg: undefined, name: build.packageName.value, confidence: 'resolved', origin: nameOrigin, chain });
      return;
    }
    if (sourcePackage) {
      result.targets.push({ pkg: sourcePackage, confidence: 'resolved', origin, chain });
      return;
    }
    // A loop over a glob (`for d in exporter/*/; do (cd "$d" && python -m build); done`): each package it matches.
    const matched = hasGlob(source.value) ? this.packagesMatching(source.value) : [];
    if (matched.length > 0) {
      for (const pkg of matched) result.targets.push({ pkg, confidence: 'resolved', origin, chain });
      return;
    }
    // Not a project directory: an sdist (or a folder of them) that an earlier step put there.
    const effects = this.effectsOf(job);
    const position = effects.indexOf(build);
    if (depth < MAX_DEPTH && position > 0 && this.writtenBefore(effects, position, source.value)) {
      this.fromFiles(job, effects, position, source, result, depth + 1, chain);
      return;
    }
    result.targets.push({ pkg: undefined, dir: source.value, confidence: 'resolved', origin, chain });
  }

  /** Whether an earlier effect of the job writes the directory holding `path` (a download, a build, a copy). */
  private writtenBefore(effects: Effect[], before: number, path: string): boolean {
    const directory = splitPattern(path).directory;
    const parent = directory.includes('/') ? directory.slice(0, directory.lastIndexOf('/')) : '.';
    return effects.slice(0, before).some((effect) => {
      const written = effect.kind === 'artifact-download' ? effect.path?.value : effect.kind === 'build' ? this.outDirOf(effect) : effect.kind === 'copy' ? effect.dest?.value : undefined;
      return written !== undefined && (written === directory || written === parent || directory.startsWith(`${written}/`));
    });
  }
}

/** Jobs that could upload an artifact (a cheap test, so jobs that cannot are never imagined step by step). */
function mayUploadArtifacts(job: JobRun): boolean {
  return job.job.steps.some((step) => step.uses !== undefined && /upload-artifact|build-and-inspect-python-package|^\.\//i.test(step.uses));
}

/**
 * Where a followed script last names `directory` before the build (a loop's word, a `cd`): the shell
 * reader keeps no origin for a script's own words. Else the build itself.
 */
function namedBefore(build: Evidence, directory: string): Evidence {
  if (build.offset === undefined) return build;
  const at = build.file.text.lastIndexOf(directory, build.offset);
  return at < 0 ? build : { file: build.file, offset: at };
}

/** Whether an artifact name (a glob where parts are only known at run time) may match a name or pattern. */
function namesMayMatch(pattern: string, name: string): boolean {
  if (!hasGlob(name)) return picomatch(pattern, { dot: true })(name);
  if (!hasGlob(pattern)) return picomatch(name, { dot: true })(pattern);
  // Both are globs: compatible literal prefixes is the most the plan can tell.
  const prefix = (text: string): string => text.slice(0, text.search(/[*?[{]/));
  const a = prefix(pattern);
  const b = prefix(name);
  return a.startsWith(b) || b.startsWith(a);
}

/** The text of the path an upload reads, as written (for messages). */
function unknownPathText(upload: UploadEffect): string {
  const { step } = upload.stepRun;
  const packagesDir = step.with['packages-dir'] ?? step.with.packages_dir;
  if (typeof packagesDir === 'string') return `"${packagesDir}"`;
  return 'files';
}

/** A note for messages when the job's matrix is an expression: the likely source of an unknown value. */
function matrixNote(job: JobRun): string {
  if (job.job.legs !== undefined) return '';
  const matrix = job.workflow.file.get([...job.job.path, 'strategy', 'matrix']);
  const text = typeof matrix === 'string' ? matrix : JSON.stringify(matrix);
  return ` (the matrix of job ${job.job.id} is ${text}, known only when the workflow runs)`;
}
