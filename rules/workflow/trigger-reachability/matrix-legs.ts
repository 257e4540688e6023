/**
 * The matrix checks of workflow/trigger-reachability (kinds repeated-leg and stale-leg): legs of one
 * upload job that upload the same files, and legs left over from a renamed or removed package.
 * Kept apart from the rule's trigger checks, which read events and conditions rather than legs.
 */
import path from 'node:path';
import type { Report } from '../../../src/engine/rule.js';
import { packageLabel, type Package } from '../../../src/packages/package.js';
import { describeEvidence, evidenceRange } from '../../../src/plan/evidence.js';
import type { JobRun } from '../../../src/plan/job-runs.js';
import type { Link } from '../../../src/plan/trace.js';
import type { ReleasePlan } from '../../../src/plan/release-plan.js';
import type { Project } from '../../../src/project/project.js';
import { YamlFile } from '../../../src/project/yaml-file.js';
import { summarizeList } from '../../../src/summarize.js';
import { keyRange } from '../../../src/workflow/locate.js';
import type { JobModel, MatrixLeg, WorkflowModel } from '../../../src/workflow/model.js';
import { staleLegs, type StaleLeg } from '../../../src/workflow/publish-jobs.js';

type Emit = (finding: Report<'repeated-leg' | 'stale-leg'>) => void;

/**
 * Legs of one upload job that upload the same files of one package: a build that writes the same
 * files in every leg (an sdist, a pure wheel), or per-platform wheel builds whose legs differ in
 * nothing the build or the runner reads. Legs that each build their own platform's wheels upload
 * different files and are left alone.
 */
export function checkRepeatedLegs(project: Project, plan: ReleasePlan, report: Emit): void {
  const reported = new Set<string>();
  for (const route of plan.routes) {
    const { workflow, job } = route.upload;
    for (const { dir, legs, builds } of route.repeatedLegs) {
      const common = builds.filter((build) => !isPlatformBuild(build));
      const platform = builds.filter(isPlatformBuild);
      if (common.length === 0 && platform.length > 0 && platform.some((build) => legsDifferFor(workflow, job, legs, build))) continue;
      const key = `${workflow.file.path}:${job.id}:${dir}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const pkg = project.packageAt(dir);
      const name = `${pkg ? packageLabel(pkg) : dir}${pkg?.version ? ` ${pkg.version}` : ''}`;
      const legList = `${legs.length} legs of job ${job.id} (${legs.map(describeLeg).join('; ')}; upload at ${describeEvidence({ file: route.upload.step.file, path: route.upload.step.path })})`;
      const oneLeg = uploadingLeg(job, legs);
      const onlyIn = oneLeg ? ` (if: matrix.${oneLeg.key} == '${oneLeg.value}')` : '';
      const sameFiles = common[0] ?? platform[0];
      const what = sameFiles ? `${describeBuild(sameFiles)} (${describeEvidence(sameFiles.evidence)})` : 'the same build';
      let message: string;
      if (common.length > 0 && platform.length > 0) {
        message =
          `${legList} each upload their own wheels of ${name}, but ${what} runs in every leg, so every leg uploads the same ${filesOf(sameFiles!)}: the legs race, the first upload of it wins and every later leg fails (File already exists); ` +
          `build the ${filesOf(sameFiles!)} once${onlyIn}, pass each leg's wheels on with upload-artifact, and upload once from a job that needs the matrix job (download-artifact with merge-multiple: true)`;
      } else if (common.length > 0 || platform.length === 0) {
        message =
          `${name} is built and uploaded by ${legList}: ${what} writes the same files in every leg, so every upload after the first fails (File already exists); ` +
          `upload from one leg${onlyIn} or from a job that needs the matrix job`;
      } else {
        message =
          `${name} is built and uploaded by ${legList}: ${what} reads none of the matrix values the legs differ in, so every leg builds and uploads the same wheels and every upload after the first fails (File already exists); ` +
          'give each leg its own platform (runs-on: ${{ matrix.os }}, or CIBW_ARCHS / CIBW_BUILD from the matrix), or build once and upload from a job that needs the matrix job';
      }
      report({ kind: 'repeated-leg', file: workflow.file, range: keyRange(workflow.file, [...job.path, 'strategy', 'matrix']), message });
    }
  }
}

/** Builders that write wheels for the platform they run on (or are told): legs on different platforms write different files. */
function isPlatformBuild(build: Link): boolean {
  if (/cibuildwheel|maturin (?:build|publish)/.test(build.what)) return true;
  // `python -m build --wheel` of a package with compiled code writes a wheel per platform too; only an sdist is surely the same.
  const text = commandText(build);
  return /(?:^|\s)(?:--wheel|-w)(?=\s|$)/.test(text) && !/(?:^|\s)(?:--sdist|-s)(?=\s|$)/.test(text);
}

/** What a build writes that is the same in every leg. */
function filesOf(build: Link): string {
  const text = commandText(build);
  return /(?:^|\s)(?:--sdist|-s)(?=\s|$)/.test(text) || /maturin sdist/.test(build.what) ? 'sdist' : 'sdist and wheel';
}

/** `python -m build --sdist`, as written (the build link's command), or the tool. */
function describeBuild(build: Link): string {
  return commandText(build) || build.what.replace(/^build \((.*)\)$/, '$1');
}

function commandText(build: Link): string {
  if (build.evidence.text) return build.evidence.text.trim();
  const node = build.evidence.path && build.evidence.file instanceof YamlFile ? build.evidence.file.get(build.evidence.path) : undefined;
  return typeof node === 'string' && !node.includes('\n') ? node.trim() : '';
}

/**
 * Whether the legs of a per-platform build differ in what it builds: a matrix key whose value
 * differs between the legs is read by the job's runs-on, its env or the build step. A build in a
 * file other than the upload job's (a local action) is taken as differing: the linter cannot tell.
 */
function legsDifferFor(workflow: WorkflowModel, job: JobModel, legs: JobRun[], build: Link): boolean {
  const stepPath = build.evidence.path?.slice(0, (build.evidence.path.indexOf('steps') + 2) || undefined);
  if (build.evidence.file !== workflow.file || !stepPath || stepPath.length < 2) return true;
  const differing = [...(legs[0]?.leg?.keys() ?? [])].filter((key) => legs.some((leg) => JSON.stringify(leg.leg?.get(key)?.value) !== JSON.stringify(legs[0]!.leg!.get(key)?.value)));
  const read = JSON.stringify([job.runsOn, job.env, workflow.file.get(stepPath)]);
  return differing.some((key) => new RegExp(`matrix\\.${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(read));
}

/** The matrix key and value of the leg to upload from: the first leg whose runner is Linux (the publish action runs on Linux only). */
function uploadingLeg(job: JobModel, legs: JobRun[]): { key: string; value: string } | undefined {
  return differingKey(legs, legs.find((leg) => !/windows|macos/i.test(runnerOf(job, leg))) ?? legs[0]);
}

/** A leg's runs-on label (a `${{ matrix.KEY }}` read from the leg). */
function runnerOf(job: JobModel, leg: JobRun): string {
  const runsOn = typeof job.runsOn === 'string' ? job.runsOn : JSON.stringify(job.runsOn ?? '');
  return runsOn.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_, key: string) => String(leg.leg?.get(key)?.value ?? ''));
}

function describeLeg(run: JobRun): string {
  return run.leg && run.leg.size > 0 ? describeMatrixLeg(run.leg) : run.key;
}

/** `package=core, python=3.12`. */
function describeMatrixLeg(leg: MatrixLeg): string {
  return [...leg].map(([key, { value }]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ');
}

/** Matrix legs left over from a renamed or removed package: one finding at the leg's value. */
export function checkStaleLegs(project: Project, plan: ReleasePlan, report: Emit): void {
  const reported = new Set<string>();
  for (const route of plan.routes) {
    for (const stale of staleLegs(route)) {
      const origin = stale.target.origin!;
      const range = evidenceRange(origin);
      const key = `${origin.file.path}:${range.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      report({ kind: 'stale-leg', file: origin.file, range, message: staleLegMessage(project, stale) });
    }
  }
}

function staleLegMessage(project: Project, stale: StaleLeg): string {
  const { target, job, workflow } = stale;
  const leg = `leg ${describeMatrixLeg(stale.leg)} of job ${job.id}`;
  const fix = 'remove the leg from the matrix';
  if (stale.kind === 'duplicate') {
    const pkg = target.pkg!;
    const original = stale.original!;
    const other = original.target.pkg!;
    const version = pkg.version ? ` ${pkg.version}` : '';
    const uploads =
      pkg.version && other.version && pkg.version !== other.version
        ? `so every release also uploads ${packageLabel(pkg)}${version} from the leftover copy, which fails with File already exists once${version} is on PyPI`
        : `so ${packageLabel(pkg)}${version} is uploaded twice and the second upload fails (File already exists)`;
    return (
      `${leg} builds ${pkg.dir}, whose pyproject.toml (${namedAt(pkg)}) names ${packageLabel(pkg)}${version}, the package leg ${describeMatrixLeg(original.leg)} already uploads from ${other.dir} ` +
      `(${namedAt(other)}${other.version ? `, ${other.version}` : ''}): a copy left over from a rename, ${uploads}; ${fix} (and delete ${pkg.dir})`
    );
  }
  const declaresNothing = target.dir !== undefined && project.exists(path.posix.join(target.dir, 'pyproject.toml'));
  const what =
    target.dir === undefined
      ? `builds --package ${target.name}, but no package of this repository is named ${target.name}`
      : `builds ${target.dir}, ${declaresNothing ? 'whose pyproject.toml declares no package ([project] or [tool.poetry])' : 'which has no pyproject.toml'}`;
  const build = target.chain.find((link) => link.what.startsWith('build'));
  const buildAt = `That leg's build${build ? ` (${describeEvidence(build.evidence)})` : ''}`;
  const outcome = declaresNothing
    ? `${buildAt} has no package of yours to build (at best an UNKNOWN distribution)`
    : `${buildAt} fails, so the release run fails${failFast(workflow, job)}`;
  return `${leg} ${what}: a value left over from a renamed or removed package (${otherLegs(stale)}). ${outcome}; ${fix}`;
}

/** What the other legs build: the package the stale value was likely renamed to first, when its directory or name is close. */
function otherLegs(stale: StaleLeg): string {
  const stem = (text: string | undefined): string => (text ?? '').split('/').pop()!.toLowerCase().replace(/[-_.]+/g, '-');
  const staleStem = stem(stale.target.dir ?? stale.target.name);
  const withPackage = stale.others.filter((other) => other.target.pkg);
  const close = withPackage.find(({ target }) => [stem(target.pkg!.dir), stem(target.pkg!.name)].some((candidate) => candidate !== '' && (staleStem.includes(candidate) || candidate.includes(staleStem))));
  if (close) return `did it become ${close.target.pkg!.dir}, ${packageLabel(close.target.pkg!)} (${namedAt(close.target.pkg!)}), which leg ${describeMatrixLeg(close.leg)} already builds?`;
  if (withPackage.length === 0) return 'no leg of the matrix builds a package';
  const built = withPackage.map(({ leg, target }) => `${packageLabel(target.pkg!)} by leg ${describeMatrixLeg(leg)}`);
  return `the other legs build ${summarizeList([...new Set(built)], 3)}`;
}

/** Where a package's name is written: `libs/core/pyproject.toml:5`. */
function namedAt(pkg: Package): string {
  const range = pkg.pyproject?.rangeOfValue(pkg.namePath);
  return `${pkg.declaredIn.path}${range ? `:${pkg.declaredIn.positionAt(range.start).line}` : ''}`;
}

/** What a failing leg does to the others: fail-fast (GitHub's default) cancels them. */
function failFast(workflow: WorkflowModel, job: JobModel): string {
  const setting = workflow.file.get([...job.path, 'strategy', 'fail-fast']);
  return setting === false || setting === 'false'
    ? ' (fail-fast: false lets the other legs finish)'
    : ', and with fail-fast (the default) GitHub cancels the other legs still running, so their packages may not be uploaded either';
}
/** The first matrix key whose value differs between the legs, and the chosen leg's value of it. */
function differingKey(legs: JobRun[], chosen: JobRun | undefined): { key: string; value: string } | undefined {
  const leg = chosen?.leg;
  if (!leg) return undefined;
  for (const [key, { value }] of leg) {
    if (!legs.some((other) => JSON.stringify(other.leg?.get(key)?.value) !== JSON.stringify(value))) continue;
    return { key, value: typeof value === 'string' ? value : JSON.stringify(value) };
  }
  return undefined;
}
