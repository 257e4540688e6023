/**
 * The gate's one expensive step, done once per run and shared by every gate rule: detect the
 * tooling, resolve --tag, then for each selected package (in parallel, --jobs at a time) copy it to
 * a temporary directory, `python -m build --sdist --wheel`, `python -m twine check --strict`, read
 * the artifacts into memory, and delete the temporary directory. Rules then only look at the
 * results (`gateRun(project, run)`).
 *
 * The results are a fact of the Project: `--fix` re-creates the Project after each pass of fixes,
 * and the copy that is built carries the texts the pass linted (the fixes, not yet written), so the
 * gate's findings describe the fixed tree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { publishedPackages } from '../plan/release-plan.js';
import type { ProgressReporter, RunContext } from '../engine/context.js';
import { factKey, type Project } from '../project/project.js';
import { hasPyproject, type TomlPackage as Package } from '../packages/package.js';
import { readArtifact, artifactKind, type Artifact } from './artifacts.js';
import { copyPackageSource } from './copy.js';
import type { GateOptions } from './options.js';
import { outputTail, runPool, runProcess } from './process.js';
import { resolveTag, type TagResolution } from './tag.js';
import { detectTooling, twineCannotRead, type Tooling } from './tooling.js';
import { twineCheck, type TwineOutcome } from './twine.js';

export type BuildStatus = 'built' | 'failed' | 'timed-out';

export interface PackageOutcome {
  /** The package directory (repo-relative), the key rules find their package by. */
  dir: string;
  label: string;
  status: BuildStatus;
  /** The build command as the user could run it (paths as in the repository). */
  command: string;
  exitCode: number | undefined;
  /** The build's output with temporary paths replaced by repository ones. */
  output: string;
  /** Why the build could not even start (copying the sources, spawning Python). */
  setupError: string | undefined;
  /** Why the temporary directory could not be removed (it is tried hard: see removeTemporary). */
  cleanupError: string | undefined;
  timeoutSeconds: number;
  isolation: boolean;
  /** How long the build (and twine check) took; for progress only, never in a message. */
  elapsedSeconds: number;
  artifacts: Artifact[];
  /** Undefined when twine was not run (no twine, or nothing built). */
  twine: TwineOutcome | undefined;
  /**
   * twine failed because it is older than the Metadata-Version the backend wrote ("twine 4.0.2
   * cannot read Metadata 2.4: use twine >= 6.1"): a gate/tooling problem, not the package's.
   */
  twineTooOld: string | undefined;
  /** An isolated build failed installing its build requirements because no index answered: pip's error. */
  indexUnreachable: string | undefined;
}

export interface GateRun {
  options: GateOptions;
  tooling: Tooling;
  tag: TagResolution | undefined;
  /** The packages the gate built (or tried to). */
  selected: Package[];
  outcomes: Map<string, PackageOutcome>;
}

const GATE_RUN = factKey<Promise<GateRun>>('gate:run');

/** The gate results of this project; the first caller starts the builds. Only gate-only rules call it, and only a run with `gate` inputs runs those. */
export function gateRun(project: Project, run: RunContext): Promise<GateRun> {
  const options = run.gate;
  if (!options) throw new Error('gateRun: a gate-only rule ran without the gate inputs (RunContext.gate)');
  return project.fact(GATE_RUN, () => startGateRun(project, options, run.progress));
}

/**
 * Which packages the gate builds: the tag's one package, or every published package; each with a
 * pyproject.toml (a package declared only by setup.py or setup.cfg has none to check artifacts against).
 */
export function selectPackages(project: Project, tag: TagResolution | undefined): Package[] {
  if (tag) return !tag.invalid && tag.packages.length === 1 ? tag.packages.filter(hasPyproject) : [];
  return publishedPackages(project).filter(hasPyproject);
}

async function startGateRun(project: Project, options: GateOptions, progress: ProgressReporter | undefined): Promise<GateRun> {
  const tag = options.tag === undefined ? undefined : resolveTag(project, options.tag);
  const selected = selectPackages(project, tag);
  const outcomes = new Map<string, PackageOutcome>();
  try {
    progress?.update(`checking ${options.python} (build, twine)`);
    const tooling = await detectTooling(options.python, { isolation: options.isolation });
    if (!tooling.canBuild || selected.length === 0) return { options, tooling, tag, selected, outcomes };
    const active = new Set<string>();
    const show = (): void => progress?.update(`building ${[...active].join(', ')}`);
    const results = await runPool(selected, options.jobs, async (pkg) => {
      active.add(labelOf(pkg));
      show();
      const outcome = await buildOne(project.root, project.store.overlay, pkg, options, tooling);
      active.delete(outcome.label);
      for (const line of describeOutcome(outcome)) progress?.log(line);
      if (active.size > 0) show();
      return outcome;
    });
    for (const outcome of results) outcomes.set(outcome.dir, outcome);
    return { options, tooling, tag, selected, outcomes };
  } finally {
    progress?.done();
  }
}

/**
 * What a finished build says in the progress log: one line per artifact built (name, size, build
 * time, what twine said), so a CI log shows what was verified; one line for a build that failed.
 */
function describeOutcome(outcome: PackageOutcome): string[] {
  const seconds = outcome.elapsedSeconds.toFixed(1);
  if (outcome.cleanupError) return [`${outcome.label}: ${outcome.cleanupError}`];
  if (outcome.setupError) return [`${outcome.label}: could not build (${outcome.setupError})`];
  if (outcome.status === 'timed-out') return [`${outcome.label}: build timed out after ${outcome.timeoutSeconds} s`];
  if (outcome.status === 'failed') return [`${outcome.label}: build failed after ${seconds} s`];
  if (outcome.artifacts.length === 0) return [`${outcome.label}: built in ${seconds} s, but no wheel or sdist was written`];
  return outcome.artifacts.map((artifact) => `built ${outcome.label}: ${artifact.fileName}, ${formatBytes(artifact.bytes)}, ${seconds} s, ${twineVerdict(outcome, artifact.fileName)}`);
}

function twineVerdict(outcome: PackageOutcome, fileName: string): string {
  if (!outcome.twine) return 'not checked with twine';
  if (outcome.twine.failure) return 'twine check --strict failed';
  const result = outcome.twine.files.find((file) => file.file === fileName);
  return result === undefined ? 'not checked with twine' : result.passed ? 'twine check --strict passed' : 'twine check --strict failed';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function labelOf(pkg: Package): string {
  return pkg.name ?? pkg.dir;
}

async function buildOne(root: string, overlay: ReadonlyMap<string, string>, pkg: Package, options: GateOptions, tooling: Tooling): Promise<PackageOutcome> {
  const label = labelOf(pkg);
  const isolationFlags = options.isolation ? [] : ['--no-isolation', '--skip-dependency-check'];
  const outcome: PackageOutcome = {
    dir: pkg.dir,
    label,
    status: 'failed',
    command: [options.python, '-m', 'build', '--sdist', '--wheel', '--outdir', 'DIST', ...isolationFlags, pkg.dir].join(' '),
    exitCode: undefined,
    output: '',
    setupError: undefined,
    cleanupError: undefined,
    timeoutSeconds: options.timeoutSeconds,
    isolation: options.isolation,
    elapsedSeconds: 0,
    artifacts: [],
    twine: undefined,
    twineTooOld: undefined,
    indexUnreachable: undefined,
  };
  const started = Date.now();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-gate-'));
  try {
    let source: string;
    try {
      source = copyPackageSource(root, pkg, path.join(temp, 'src'), overlay);
    } catch (error) {
      outcome.setupError = `cannot copy ${pkg.dir} to a temporary directory: ${scrubber(temp, '.')((error as Error).message)}`;
      return outcome;
    }
    // The copy is the package directory itself, or (for a git-versioned package) the whole repository.
    const scrub = scrubber(temp, source === path.join(temp, 'src') ? pkg.dir : '.');
    const outDir = path.join(temp, 'dist');
    // Python's and pip's temporary files (an isolated build's whole virtualenv) go inside our own
    // temporary directory, removed below: a build killed on timeout never cleans up after itself.
    const tmp = path.join(temp, 'tmp');
    fs.mkdirSync(tmp);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TMPDIR: tmp,
      TEMP: tmp,
      TMP: tmp,
      PYTHONIOENCODING: 'utf-8',
      PYTHONDONTWRITEBYTECODE: '1',
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      NO_COLOR: '1',
    };
    const build = await runProcess(options.python, ['-m', 'build', '--sdist', '--wheel', '--outdir', outDir, ...isolationFlags, source], {
      cwd: temp,
      env,
      timeoutMs: options.timeoutSeconds * 1000,
    });
    outcome.exitCode = build.exitCode;
    outcome.output = scrub(build.output);
    if (build.spawnError) {
      outcome.setupError = `cannot run ${options.python}: ${build.spawnError.message}`;
      return outcome;
    }
    if (build.timedOut) {
      outcome.status = 'timed-out';
      return outcome;
    }
    if (build.exitCode !== 0) {
      if (options.isolation) outcome.indexUnreachable = unreachableIndex(outcome.output);
      return outcome;
    }
    outcome.status = 'built';
    const files = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((name) => artifactKind(name) !== undefined).sort() : [];
    const paths = files.map((name) => path.join(outDir, name));
    outcome.artifacts = paths.map(readArtifact);
    // twine reads what it is given: never a FIFO or a link the backend left in dist/
    const regular = paths.filter(isRegularFile);
    if (tooling.canCheck && regular.length > 0) {
      outcome.twine = await twineCheck(options.python, regular, { timeoutMs: options.timeoutSeconds * 1000, env });
      if (outcome.twine.failure) outcome.twine.failure = scrub(outcome.twine.failure);
      if (outcome.twine.failure || outcome.twine.files.some((file) => !file.passed)) outcome.twineTooOld = twineTooOldFor(tooling, outcome.artifacts);
    }
    return outcome;
  } catch (error) {
    // Reading the output directory, an artifact or the temp dir failed: report it as this package's build problem.
    outcome.status = 'failed';
    outcome.setupError = `the gate failed while building: ${(error as Error).message}`;
    return outcome;
  } finally {
    outcome.elapsedSeconds = (Date.now() - started) / 1000;
    const failure = removeTemporary(temp);
    if (failure) outcome.cleanupError = scrubber(temp, '.')(failure);
  }
}

/** `python -m build` installing the build requirements into its isolated environment. */
const ISOLATED_INSTALL = /Installing packages in isolated environment/;
/** pip's words when no index has the requirement or none answers (offline, firewall, proxy, DNS). */
const NO_INDEX =
  /^ERROR: (?:No matching distribution found for .*|Could not find a version that satisfies the requirement .*)$|(?:NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|ProxyError|Network is unreachable|ConnectTimeoutError)[^\n]*/m;

/**
 * pip's error when an isolated build failed before the backend ran because no package index
 * answered: the build itself never started, so its traceback says nothing about the package.
 */
export function unreachableIndex(output: string): string | undefined {
  if (!ISOLATED_INSTALL.test(output)) return undefined;
  return NO_INDEX.exec(output)?.[0].trim();
}

/** Why this twine cannot read what the backend wrote, for the first artifact it cannot read. */
function twineTooOldFor(tooling: Tooling, artifacts: readonly Artifact[]): string | undefined {
  for (const artifact of artifacts) {
    const reason = twineCannotRead(tooling.twineVersion, artifact.metadata?.get('Metadata-Version'));
    if (reason) return reason;
  }
  return undefined;
}

function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Removes the build's temporary directory, whatever the build left in it: a directory copied
 * read-only from the checkout (or made so by the backend) cannot be emptied by a user without root,
 * so on failure every directory in it is made writable (links are not followed) and removal is
 * tried again. Returns why it still failed, if it did.
 */
export function removeTemporary(directory: string): string | undefined {
  try {
    fs.rmSync(directory, { recursive: true, force: true, maxRetries: 3 });
    return undefined;
  } catch {
    makeWritable(directory);
  }
  try {
    fs.rmSync(directory, { recursive: true, force: true, maxRetries: 3 });
    return undefined;
  } catch (error) {
    return `cannot remove its temporary directory ${directory}: ${(error as Error).message}`;
  }
}

function makeWritable(root: string): void {
  const pending = [root];
  for (let directory = pending.pop(); directory !== undefined; directory = pending.pop()) {
    try {
      if (!fs.lstatSync(directory).isDirectory()) continue;
      fs.chmodSync(directory, 0o700);
      for (const name of fs.readdirSync(directory)) pending.push(path.join(directory, name));
    } catch {
      // gone, or not ours: the second removal says so
    }
  }
}

/** Replaces the temporary paths in tool output with what they stand for (so messages are stable). */
function scrubber(temp: string, copiedDir: string): (text: string) => string {
  const roots = [...new Set([temp, safeRealpath(temp)])];
  return (text) => {
    let result = text;
    for (const root of roots) {
      result = result
        .split(path.join(root, 'dist'))
        .join('DIST')
        .split(path.join(root, 'src'))
        .join(copiedDir)
        .split(root)
        .join('TMP');
    }
    return result;
  };
}

function safeRealpath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The last lines of a build's output, for messages. */
export function buildTail(outcome: PackageOutcome, lines = 15): string[] {
  return outputTail(outcome.output, lines);
}
