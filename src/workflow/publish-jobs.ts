/**
 * What the workflow rules ask about the jobs of the release plan: each upload site once with the
 * routes that reach it, the jobs an upload depends on, whether a step checks the tag against the
 * version, what a `permissions:` value grants, how an action reference is pinned.
 */
import { compare, valid } from '@renovatebot/pep440';
import type { PublishRoute, ReleasePlan, Target, UploadSite } from '../plan/release-plan.js';
import { localReusableTarget, neededJobs, type JobModel, type MatrixLeg, type StepModel, type WorkflowModel } from '../workflow/model.js';

export interface UploadGroup {
  site: UploadSite;
  routes: PublishRoute[];
}

/** Every upload step once (a reusable workflow called by three callers is one site, three routes). */
export function uploadGroups(plan: ReleasePlan): UploadGroup[] {
  const groups = new Map<string, UploadGroup>();
  for (const route of plan.routes) {
    const { workflow, job, step } = route.upload;
    const key = `${workflow.file.path}\u0000${job.id}\u0000${step.index}`;
    const group = groups.get(key) ?? { site: route.upload, routes: [] };
    group.routes.push(route);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Every upload job once, with its upload sites and routes. */
export function uploadJobs(plan: ReleasePlan): { workflow: WorkflowModel; job: JobModel; routes: PublishRoute[] }[] {
  const jobs = new Map<string, { workflow: WorkflowModel; job: JobModel; routes: PublishRoute[] }>();
  for (const route of plan.routes) {
    const key = `${route.upload.workflow.file.path}\u0000${route.upload.job.id}`;
    const entry = jobs.get(key) ?? { workflow: route.upload.workflow, job: route.upload.job, routes: [] };
    entry.routes.push(route);
    jobs.set(key, entry);
  }
  return [...jobs.values()];
}

/**
 * The steps that run before the upload of a route: earlier steps of its job and every step of the
 * jobs it needs. Given the repository's workflows, a needed job that calls a local reusable
 * workflow (`build: uses: ./.github/workflows/build-and-check.yml`) counts with that workflow's steps.
 */
export function stepsBeforeUpload(route: PublishRoute, workflows: readonly WorkflowModel[] = []): StepModel[] {
  const { workflow, job, step } = route.upload;
  const stepsOf = (owner: WorkflowModel, needer: JobModel): StepModel[] => neededJobs(owner, needer).flatMap((other) => [...other.steps, ...calledSteps(other, workflows)]);
  const needed = stepsOf(workflow, job);
  const callerNeeded = route.workflow === workflow ? [] : stepsOf(route.workflow, route.job);
  return [...callerNeeded, ...needed, ...job.steps.slice(0, step.index)];
}

/** Every step of the local reusable workflow a job calls (one level: a reusable workflow's own calls are not followed). */
function calledSteps(job: JobModel, workflows: readonly WorkflowModel[]): StepModel[] {
  const target = localReusableTarget(job.uses, undefined);
  const called = target === undefined ? undefined : workflows.find((candidate) => candidate.name === target);
  return called ? called.jobs.flatMap((other) => other.steps) : [];
}

/**
 * A matrix leg of an upload job (or of a caller job on the way) whose value names what the
 * repository no longer holds, left over from a rename or a removal: a directory or package name
 * with no package (`missing`: its build fails), or a directory whose pyproject.toml names a
 * package another leg already uploads (`duplicate`: a leftover copy, uploaded twice).
 */
export interface StaleLeg {
  kind: 'missing' | 'duplicate';
  /** What the leg resolves to; its origin is the leg's matrix value. */
  target: Target;
  leg: MatrixLeg;
  /** The job whose matrix holds the leg. */
  workflow: WorkflowModel;
  job: JobModel;
  /** The other legs of that matrix, with what each resolves to. */
  others: { leg: MatrixLeg; target: Target }[];
  /** `duplicate`: the leg that uploads the same package from its own directory. */
  original?: { leg: MatrixLeg; target: Target } | undefined;
}

/** The stale legs of a route's matrices (see StaleLeg). */
export function staleLegs(route: PublishRoute): StaleLeg[] {
  const jobs = [...route.calls, { workflow: route.upload.workflow, job: route.upload.job }];
  const stale: StaleLeg[] = [];
  for (const { workflow, job } of jobs) {
    if ((job.legs?.length ?? 0) < 2) continue;
    const resolved = route.targets.flatMap((target) => {
      const leg = legOf(workflow, job, target);
      return leg ? [{ leg, target }] : [];
    });
    for (const entry of resolved) {
      const others = resolved.filter((other) => other.leg !== entry.leg);
      const pkg = entry.target.pkg;
      if (!pkg) {
        stale.push({ kind: 'missing', ...entry, workflow, job, others });
        continue;
      }
      const original = others.find((other) => other.target.pkg && other.target.pkg !== pkg && other.target.pkg.normalizedName === pkg.normalizedName);
      if (original && isLeftover(entry, original, job)) stale.push({ kind: 'duplicate', ...entry, workflow, job, others, original });
    }
  }
  return stale;
}

/** The leg of `job`'s matrix whose value a target comes from (the target's origin is that value). */
function legOf(workflow: WorkflowModel, job: JobModel, target: Target): MatrixLeg | undefined {
  const origin = target.origin;
  const matrixPath = [...job.path, 'strategy', 'matrix'].join('.');
  if (!origin?.path || origin.file !== workflow.file || !origin.path.join('.').startsWith(`${matrixPath}.`)) return undefined;
  const at = origin.path.join('.');
  return job.legs?.find((leg) => [...leg.values()].some((value) => value.origin?.path.join('.') === at));
}

/**
 * Of two legs that upload one package from two directories, whether `entry` is the leftover: the
 * one with the older version, or (versions equal or unknown) the later leg of the matrix.
 */
function isLeftover(entry: { leg: MatrixLeg; target: Target }, other: { leg: MatrixLeg; target: Target }, job: JobModel): boolean {
  const [mine, theirs] = [entry.target.pkg!.version, other.target.pkg!.version];
  if (mine && theirs && valid(mine) && valid(theirs) && compare(mine, theirs) !== 0) return compare(mine, theirs) < 0;
  return job.legs!.indexOf(entry.leg) > job.legs!.indexOf(other.leg);
}

/** Everything a step says, for text searches: its name, run script, with, env and condition. */
export function stepText(step: StepModel): string {
  return [step.name ?? '', step.run ?? '', step.if ?? '', JSON.stringify(step.with), JSON.stringify(step.env)].join('\n');
}

const TAG_REFERENCE = /GITHUB_REF(?:_NAME)?\b|github\.ref(?:_name)?\b|github\.event\.release\.tag_name|\bgit\s+describe\b/;

/** Built distributions named in a command: `dist/`, a wheel or an sdist. */
const BUILT_FILES = /\bdist\/|\.whl\b|\.tar\.gz\b/;
/** A comparison in a shell command: `test`, `[ ]`, `==`, `!=`, ` = `, or a grep for the expected text. */
const COMPARISON = /(?:^|[\s;&|(])(?:test|\[\[?)\s|[!=]=|\s=\s|\bgrep\b/;

/**
 * A step that reads the pushed tag and a version: a tag/version consistency check. The version is
 * named (`version`, in the command or the step's name), or read from the built files and compared
 * (`test "${GITHUB_REF_NAME#v}" = "$(ls dist/*.whl | cut -d- -f2)"`).
 */
export function checksTagAgainstVersion(step: StepModel): boolean {
  const text = stepText(step);
  return readsTagAndVersion(text) || (TAG_REFERENCE.test(text) && BUILT_FILES.test(text) && COMPARISON.test(text));
}

/** Whether a text (a step, or a script a step runs) reads the pushed tag and names a version. */
export function readsTagAndVersion(text: string): boolean {
  return TAG_REFERENCE.test(text) && /version/i.test(text);
}

/** A condition that tells tags or releases apart (`startsWith(github.ref, 'refs/tags/hf-')`). */
export function conditionReadsTag(condition: string | undefined): boolean {
  return condition !== undefined && /github\.(?:ref|ref_name|ref_type)\b|github\.event\.release\.|GITHUB_REF/.test(condition);
}

/** Literals a condition compares with that say nothing about which package: an event, a ref type, an activity. */
const GENERIC_LITERALS = new Set(['tag', 'branch', 'release', 'published', 'released', 'prereleased', 'created', 'push', 'workflow_dispatch', 'true', 'false']);

/**
 * A tag condition that tells one package's tags or releases from another's: it compares the tag
 * with something beyond `refs/tags/` (`startsWith(github.ref, 'refs/tags/hf-')`), not only
 * `startsWith(github.ref, 'refs/tags')` or `github.ref_type == 'tag'`, which every release passes.
 */
export function conditionTellsTagsApart(condition: string | undefined): boolean {
  if (!conditionReadsTag(condition)) return false;
  return [...condition!.matchAll(/'((?:[^']|'')*)'|"([^"]*)"/g)].some((match) => {
    const literal = (match[1] ?? match[2] ?? '').replace(/''/g, "'");
    const rest = literal.replace(/^refs\/tags\/?/, '');
    return rest !== '' && !GENERIC_LITERALS.has(rest.toLowerCase()) && !literal.startsWith('refs/heads');
  });
}

/** Whether a `permissions:` value grants `id-token: write`. */
export function grantsIdToken(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return typeof permissions === 'object' && permissions !== null && (permissions as Record<string, unknown>)['id-token'] === 'write';
}

/** Whether the entry's triggers push tags or publish releases (the cases where a tag names a version). */
export function triggeredByTags(workflow: WorkflowModel): boolean {
  return workflow.triggers.pushTags.kind !== 'none' || workflow.triggers.events.includes('release');
}

export interface ActionReference {
  /** `owner/repo` (a path inside the repo after it is dropped). */
  repository: string;
  owner: string;
  ref: string | undefined;
}

/** `owner/repo[/path]@ref`; undefined for local (`./`) and `docker://` actions. */
export function parseActionReference(uses: string): ActionReference | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://') || uses.startsWith('$/')) return undefined;
  const match = /^([^/@\s]+)\/([^/@\s]+)(?:\/[^@]*)?(?:@(.*))?$/.exec(uses.trim());
  if (!match) return undefined;
  return { repository: `${match[1]}/${match[2]}`, owner: match[1]!, ref: match[3] };
}

/** GitHub's own actions (`actions/*`, `github/*`); everything else is third-party. */
export function isFirstPartyAction(reference: ActionReference): boolean {
  return /^(actions|github)$/i.test(reference.owner);
}

export function isFullCommitSha(ref: string | undefined): boolean {
  return ref !== undefined && /^[0-9a-f]{40}$/.test(ref);
}

/** Input names that mean "build and check, do not upload". */
export const DRY_RUN_INPUT = /^(?:dry[-_]?run|test[-_]?run|skip[-_]?(?:upload|publish)|no[-_]?(?:upload|publish))$/i;
