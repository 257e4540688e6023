/**
 * A rehearsal: the workflow runs a scenario starts (scenario.ts), each imagined with the release
 * plan's own machinery (expandRun, the step evaluator, the Tracer), walked job by job down to each
 * upload with its packages, versions (versions.ts), index and credential. What the files do not
 * decide stays unknown, with the expression and where it is written. checks.ts reads the result.
 */
import { evidenceLine, type Evidence } from '../plan/evidence.js';
import { describeCredential } from '../plan/format.js';
import { describeIndex, type IndexKind } from '../plan/indexes.js';
import { expandRun, type JobRun, type WorkflowRun } from '../plan/job-runs.js';
import { createRunContext, type Credential } from '../plan/release-plan.js';
import { credentialOf } from '../plan/credentials.js';
import { Tracer } from '../plan/trace.js';
import { effectsOfStep } from '../plan/effects.js';
import type { Package, Project } from '../project/project.js';
import type { YamlFile, YamlPath } from '../project/yaml-file.js';
import { decide, type Decision } from '../workflow/expression.js';
import { checksTagAgainstVersion } from '../workflow/publish-jobs.js';
import { literalPrefix } from '../workflow/tag-filter.js';
import { secretReference } from '../workflow/values.js';
import { releasedVersion, type ReleasedVersion, type RunTag } from './versions.js';
import { describeScenario, startedRuns, type Scenario, type StartedRun } from './scenario.js';

export interface Place {
  file: string;
  line: number;
}

export interface RehearsedPackage {
  /** The package, or undefined for a directory or name that holds none. */
  pkg: Package | undefined;
  name: string;
  dir: string | undefined;
  released: ReleasedVersion | undefined;
}

export interface RehearsedUpload {
  tool: string;
  at: Place;
  /** Whether the upload step runs (its job and its own `if:`). */
  runs: Decision;
  /** Why it does not run, or what is unknown about it. */
  why: string | undefined;
  index: IndexKind;
  indexName: string;
  credential: Credential;
  credentialText: string;
  /** The secret the token reads when the caller does not pass it (the token is empty). */
  emptySecret: string | undefined;
  packages: RehearsedPackage[];
  /** A step before the upload that compares the tag with the built version (it stops a mismatched run). */
  tagCheck: Place | undefined;
  /** What the linter cannot follow on the way to the packages, each `reason at file:line`. */
  unknown: string[];
  /** The run's job (and leg) that uploads, for findings. */
  job: JobRun;
}

export interface RehearsedJob {
  /** `publish → build-and-publish`, with the matrix leg when there is one. */
  label: string;
  at: Place;
  runs: Decision;
  why: string | undefined;
  /** The job ids it needs that the scenario skips, when only they stop it. */
  blockedBy: { label: string; why: string | undefined }[];
  uploads: RehearsedUpload[];
}

export interface RehearsedRun {
  started: StartedRun;
  run: WorkflowRun;
  /** Where the trigger that starts it is written. */
  at: Place;
  tag: RunTag | undefined;
  jobs: RehearsedJob[];
}

export interface Rehearsal {
  scenario: Scenario;
  title: string;
  runs: RehearsedRun[];
}

export function rehearse(project: Project, scenario: Scenario): Rehearsal {
  const context = createRunContext(project);
  const runs = startedRuns(project, scenario).map((started): RehearsedRun => {
    const run = expandRun(started.workflow, started.event, context);
    const tag = runTagOf(started);
    const tracer = new Tracer(project, run);
    const jobs = run.jobs.map((job) => rehearseJob(project, run, job, tracer, tag));
    return { started, run, at: placeOf(started.workflow.file, started.where), tag, jobs };
  });
  return { scenario, title: describeScenario(scenario), runs };
}

function runTagOf(started: StartedRun): RunTag | undefined {
  const { event } = started;
  if (event.tag === undefined) return undefined;
  const prefix = event.kind === 'push-tag' && started.pattern !== undefined ? literalPrefix({ kind: 'patterns', patterns: [started.pattern] }) : '';
  return { tag: event.tag, prefix };
}

function rehearseJob(project: Project, run: WorkflowRun, job: JobRun, tracer: Tracer, tag: RunTag | undefined): RehearsedJob {
  const blockedBy = job.runs === false && ownDecision(job) !== false ? skippedNeeds(job) : [];
  const uploads: RehearsedUpload[] = [];
  const stepRuns = run.context.stepsOf(job).steps;
  // Skipped steps too: the tree shows the upload a condition keeps from running, and why.
  const effects = stepRuns.flatMap((stepRun) => (stepRun.runs === false ? effectsOfStep(stepRun) : tracer.effectsOf(job).filter((effect) => effect.stepRun === stepRun)));
  for (const effect of effects) {
    if (effect.kind !== 'upload' && !(effect.kind === 'opaque' && effect.uploads)) continue;
    const stepRun = effect.stepRun;
    const earlier = stepRuns.slice(0, Math.max(0, stepRuns.indexOf(stepRun)));
    const credential = credentialOf(stepRun, job, earlier);
    const emptySecret = unpassedSecret(credential);
    const check = earlier.find((candidate) => candidate.runs !== false && checksTagAgainstVersion(candidate.step));
    const runs = job.runs === false ? false : both(job.runs, stepRun.runs);
    const upload: RehearsedUpload = {
      tool: effect.kind === 'upload' ? effect.tool : effect.what,
      at: place(effect.evidence),
      runs,
      why: job.runs === false ? 'its job does not run' : job.runs === undefined && stepRun.runs !== false ? 'unknown: its job may not run' : conditionText(stepRun.step.if, stepRun.runs, { file: stepRun.step.file, path: [...stepRun.step.path, 'if'] }),
      index: effect.kind === 'upload' ? effect.index.kind : 'unknown',
      indexName: effect.kind === 'upload' ? describeIndex(effect.index) : describeIndex({ kind: 'unknown' }),
      credential,
      credentialText: emptySecret ? `secret ${emptySecret} (${credential.kind === 'token' ? credential.variable : ''}), which no caller passes: empty` : describeCredential(credential),
      emptySecret,
      packages: [],
      unknown: [],
      tagCheck: check && placeOf(check.step.file, check.step.path),
      job,
    };
    if (stepRun.runs === false) {
      // Not traced: nothing of a skipped step is in the run's effects to follow back from.
    } else if (effect.kind === 'opaque') {
      upload.unknown.push(`${effect.what} is an action this linter does not know, at ${where(effect.evidence)}`);
    } else {
      const traced = tracer.traceUpload(job, effect);
      for (const target of traced.targets) {
        const name = target.pkg?.name ?? target.name ?? target.dir ?? '?';
        if (upload.packages.some((known) => known.pkg === target.pkg && known.name === name)) continue;
        upload.packages.push({ pkg: target.pkg, name, dir: target.pkg?.dir ?? target.dir, released: target.pkg ? releasedVersion(project, target.pkg, tag) : undefined });
      }
      // What a skipped upload would not find (a skipped build's artifact) is no gap in what the linter follows.
      if (runs !== false) for (const link of traced.opaque) upload.unknown.push(`${link.reason}, at ${where(link.evidence)}`);
    }
    uploads.push(upload);
  }
  return { label: jobLabel(job), at: placeOf(job.workflow.file, job.job.path), runs: job.runs, why: jobWhy(job), blockedBy, uploads };
}

/** The secret a token reads that the calling job does not pass on (credentialOf lost it on the way up). */
function unpassedSecret(credential: Credential): string | undefined {
  if (credential.kind !== 'token' || credential.secret !== undefined || !credential.origin) return undefined;
  return secretReference(credential.origin.file.get(credential.origin.path));
}

/** The caller chain's job ids down to this job, and its matrix leg. */
function jobLabel(job: JobRun): string {
  const chain: string[] = [];
  for (let caller = job.frame.caller; caller; caller = caller.frame.caller) chain.unshift(caller.job.id);
  chain.push(job.job.id);
  const leg = job.leg && job.leg.size > 0 ? ` (${[...job.leg].map(([key, entry]) => `${key}=${typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value)}`).join(', ')})` : '';
  return `${chain.join(' → ')}${leg}`;
}

/** The job's own `if:` decided over its contexts. */
function ownDecision(job: JobRun): Decision {
  return decide(job.job.if, job.lookup);
}

/** Why a job does not run, or what about it is unknown: its condition, its caller's, or a job it needs. */
function jobWhy(job: JobRun): string | undefined {
  if (job.runs === true) return undefined;
  const own = conditionText(job.job.if, ownDecision(job), { file: job.workflow.file, path: [...job.job.path, 'if'] });
  if (own !== undefined && ownDecision(job) === job.runs) return own;
  for (let caller = job.frame.caller; caller; caller = caller.frame.caller) {
    const decision = decide(caller.job.if, caller.lookup);
    if (decision === job.runs || (job.runs === false && decision === false)) return `caller job ${caller.job.id}: ${conditionText(caller.job.if, decision, { file: caller.workflow.file, path: [...caller.job.path, 'if'] })}`;
  }
  const needs = skippedNeeds(job);
  if (needs.length > 0) return needs.map((need) => `needs ${need.label}, which ${job.runs === false ? 'does not run' : 'may not run'}${need.why ? ` (${need.why})` : ''}`).join('; ');
  return own;
}

/** The jobs this one needs that do not (or may not) run in this scenario. */
function skippedNeeds(job: JobRun): { label: string; why: string | undefined }[] {
  const found: { label: string; why: string | undefined }[] = [];
  for (const id of job.job.needs) {
    const runs = job.frame.jobs.get(id) ?? [];
    const blocking = runs.filter((run) => run.runs !== true);
    if (blocking.length === 0 || (runs.some((run) => run.runs === true))) continue;
    found.push({ label: id, why: jobWhy(blocking[0]!) });
  }
  return found;
}

/** `if: EXPR is false (file:line)`, or `unknown: EXPR at file:line`; undefined when the condition holds or there is none. */
export function conditionText(condition: string | undefined, decision: Decision, evidence: Evidence): string | undefined {
  if (condition === undefined || decision === true) return undefined;
  const expression = condition.trim().replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  return decision === false ? `if: ${expression} is false (${where(evidence)})` : `unknown: ${expression} at ${where(evidence)}`;
}

function both(a: Decision, b: Decision): Decision {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

export function place(evidence: Evidence): Place {
  return { file: evidence.file.path, line: evidenceLine(evidence) };
}

/** Where a key is written (the line of `publish:` for a job, of the item for a list entry). */
export function placeOf(file: YamlFile, path: YamlPath): Place {
  return { file: file.path, line: file.positionAt(file.rangeOfNearest(path).start).line };
}

export function where(evidence: Evidence): string {
  const { file, line } = place(evidence);
  return `${file}:${line}`;
}
