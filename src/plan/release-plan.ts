/**
 * The release plan: for every upload a workflow run would make, which packages it sends, to which
 * index, on which events, with which credential, and how that is known. Built by imagining each
 * workflow's runs (job-runs.ts, step-runs.ts), reading what each step does (effects.ts) and
 * following every upload back to the build and the directory it ran in (trace.ts). Rules ask it
 * instead of reading workflows themselves.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { pushTo } from '../group.js';
import { factKey, type Package, type Project } from '../project/project.js';
import { readWorkflow, type InputDeclaration, type JobModel, type StepModel, type WorkflowModel } from '../workflow/model.js';
import type { TagFilter } from '../workflow/tag-filter.js';
import { tagFilterMatches } from '../workflow/tag-filter.js';
import type { Sourced } from '../workflow/values.js';
import { credentialOf, type Credential } from './credentials.js';
import { stepEffects, type ArtifactDownloadEffect, type Effect, type ArtifactMergeEffect, type ArtifactUploadEffect, type OpaqueEffect, type UploadEffect } from './effects.js';
import { describeEvent, runsOnDefaultBranch, triggerEvents, type TriggerEvent } from './events.js';
import type { Evidence } from './evidence.js';
import type { PackageIndex } from './indexes.js';
import { expandRun, type JobRun, type RunContext, type WorkflowRun } from './job-runs.js';
import { buildPython } from './python.js';
import { releaseTags } from './release-tags.js';
import { evaluateSteps, type JobSteps, type StepRun } from './step-runs.js';
import { Tracer, type Link, type OpaqueLink, type Target, type TraceNote } from './trace.js';

export type { Credential } from './credentials.js';
export type { Target } from './trace.js';

/** The step of an upload or a build, in its job and workflow (for locating findings). */
export interface StepSite {
  /** The workflow whose job runs the step (for a step of a local action, the step's own file is step.file). */
  workflow: WorkflowModel;
  job: JobModel;
  step: StepModel;
  /** The command or action itself: a node of the step, or a line of a repository script the step runs. */
  evidence: Evidence;
}

export interface UploadSite extends StepSite {
  tool: string;
}

/** How a route's packages are known. */
export type RouteConfidence = 'config' | 'resolved' | 'inferred' | 'opaque';

/** One upload step as a route: from the entry workflow's events to the packages it sends. */
export interface PublishRoute {
  /** The workflow whose events start the run (the outermost caller of a reusable workflow). */
  workflow: WorkflowModel;
  /** The entry workflow's job on the way: the upload job itself, or the job that calls the reusable workflow. */
  job: JobModel;
  /** Caller jobs from the entry down to the upload's workflow (empty when the entry uploads itself). */
  calls: { workflow: WorkflowModel; job: JobModel }[];
  upload: UploadSite;
  index: PackageIndex;
  /** `uv publish --check-url`: the index whose files the upload skips, when set. */
  checkIndex?: PackageIndex | undefined;
  /** The packages (and package-less directories or names) it sends. */
  targets: Target[];
  /** Directories of the targets, for quick checks. */
  packageDirs: string[];
  confidence: RouteConfidence;
  /** What could not be followed (for an opaque route; also partial gaps of a resolved one). */
  opaque: OpaqueLink[];
  /** The events on which the upload may run. */
  events: TriggerEvent[];
  credential: Credential;
  /** The Python versions the build runs with, and where each is written. */
  python: Sourced[];
  pythonVersions: string[];
  /** The build step nearest to the upload, when one was found. */
  build: StepSite | undefined;
  notes: TraceNote[];
  /** Packages that several matrix legs of the upload job upload (a double upload), with those legs. */
  repeatedLegs: RepeatedPackage[];
}

/** A package directory several job runs (matrix legs) of one upload step send. */
export interface RepeatedPackage {
  dir: string;
  legs: JobRun[];
  /** The build steps that wrote what the legs upload (each once): per-platform wheel builds, an sdist build... */
  builds: Link[];
}

/** An artifact action step of a job run, in one imagined run of a publish workflow. */
export interface ArtifactTransfer {
  job: JobRun;
  effect: ArtifactUploadEffect | ArtifactDownloadEffect | ArtifactMergeEffect;
}

/** The artifact steps of one imagined run (one event) of a publish workflow. */
export interface ArtifactRun {
  workflow: WorkflowModel;
  event: TriggerEvent;
  transfers: ArtifactTransfer[];
}

/** An upload step whose job never runs on any event of its workflow (its own or its callers' `if:` is false). */
export interface UnreachableUpload {
  workflow: WorkflowModel;
  /** The jobs from the entry down to the upload job (callers first), whose conditions kept it from running. */
  jobs: { workflow: WorkflowModel; job: JobModel }[];
  upload: UploadSite;
  /** The step-level condition, when the job runs but the step does not. */
  stepCondition: boolean;
}

export interface ReleasePlan {
  workflows: WorkflowModel[];
  routes: PublishRoute[];
  /** Entry workflows with at least one route. */
  publishWorkflows: WorkflowModel[];
  /** Workflows that hold an upload step (entry workflows and the reusable workflows they call). */
  uploadWorkflows: WorkflowModel[];
  /** Packages some pypi.org route uploads. */
  publishedPackages: Package[];
  /**
   * The packages the package rules check: the published ones, and, when some publisher cannot be
   * followed or the repository has none, every package that can be published (not private, not an
   * example or test package).
   */
  checkedPackages: Package[];
  /** Every artifact step of every imagined run of the publish workflows. */
  artifactRuns: ArtifactRun[];
  /** Upload steps of publish-looking workflows that no event runs. */
  unreachableUploads: UnreachableUpload[];
  /** The routes that upload a package directory, and those a workflow starts: rules look them up per package or workflow (linear at 5000 packages). */
  routesOfPackage: ReadonlyMap<string, PublishRoute[]>;
  routesOfWorkflow: ReadonlyMap<WorkflowModel, PublishRoute[]>;
}

/**
 * Whether no step before the upload writes what it sends (no build, no download, no script the
 * linter cannot follow): the upload sends nothing, or whatever a cache left behind.
 */
export function uploadsUnbuilt(route: PublishRoute): boolean {
  // Files written elsewhere are the artifact rules' finding (workflow/artifacts), not a missing build.
  if (route.build || route.upload.tool === undefined || route.notes.some((note) => note.kind !== 'nested-download')) return false;
  if (route.targets.length > 0) return route.targets.every((target) => target.unwritten === true);
  return route.opaque.length > 0 && route.opaque.every((link) => link.unwritten === true);
}

/** Whether a route uploads to pypi.org (or to an index the linter cannot tell): only those publish. */
export function uploadsToPyPI(route: PublishRoute): boolean {
  return route.index.kind === 'pypi' || route.index.kind === 'unknown';
}

const RELEASE_PLAN = factKey<ReleasePlan>('plan:release-plan');

/** The release plan, computed once per run and shared by every rule. */
export function releasePlan(project: Project): ReleasePlan {
  return project.fact(RELEASE_PLAN, () => project.timing.measure('plan', () => computeReleasePlan(project)));
}

/** Packages the package rules check (see ReleasePlan.checkedPackages). */
export function publishedPackages(project: Project): Package[] {
  return releasePlan(project).checkedPackages;
}

const WORKFLOW_MODELS = factKey<WorkflowModel[]>('plan:workflow-models');

/** Every parsed workflow as a model, once per run. */
export function workflowModels(project: Project): WorkflowModel[] {
  return project.fact(WORKFLOW_MODELS, () => project.timing.measure('plan', () => project.workflows.filter((file) => file.parseError === undefined).map(readWorkflow)));
}

/** Choice inputs of a dispatch are tried in at most this many combinations. */
const MAX_DISPATCH_SCENARIOS = 32;

/**
 * An upload to an index names one of these (an upload command or action, a tool that uploads):
 * a cheap test, on the job's steps and on the repository scripts and local actions they run,
 * before a job is imagined step by step.
 */
const MAY_PUBLISH = /publish|pypi|twine|maturin/i;
/** Repository scripts a `run:` names (`./scripts/release`, `bash tools/upload.sh`). */
const SCRIPT_REFERENCE = /(?:^|[\s;&|(])(?:\.\/)?((?:[\w.-]+\/)*[\w.-]+\.(?:sh|bash)|\.\/(?:[\w.-]+\/)*[\w.-]+)(?=$|[\s;&|)])/gm;

/** What imagining a workflow run needs (expandRun): the workflows by file name, steps evaluated once per job run. */
export function createRunContext(project: Project): RunContext {
  const workflowsByName = new Map(workflowModels(project).map((workflow) => [workflow.name, workflow]));
  const stepsCache = new WeakMap<JobRun, JobSteps>();
  const context: RunContext = {
    project,
    workflowsByName,
    stepsOf: (run) => {
      let found = stepsCache.get(run);
      if (!found) {
        found = evaluateSteps(run, context);
        stepsCache.set(run, found);
      }
      return found;
    },
  };
  return context;
}

function computeReleasePlan(project: Project): ReleasePlan {
  const workflows = workflowModels(project);
  const context = createRunContext(project);
  const collector = new RouteCollector(project);
  for (const entry of workflows) {
    if (entry.triggers.events.every((event) => event === 'workflow_call')) continue;
    if (!MAY_PUBLISH.test(entry.file.text) && !callsAnotherWorkflow(entry) && !mentionsScriptOrAction(entry.file.text)) continue;
    for (const event of triggerEvents(entry)) {
      for (const scenario of scenarios(project, entry, event)) collector.collect(expandRun(entry, scenario, context));
    }
  }
  collector.inferFromTags(context);
  const list = collector.routes();
  applyConfiguredMapping(project, list);
  for (const route of list) route.packageDirs = [...new Set(route.targets.flatMap((target) => (target.pkg ? [target.pkg.dir] : target.dir ? [target.dir] : [])))];
  const publishWorkflows = [...new Set(list.map((route) => route.workflow))];
  const uploadWorkflows = [...new Set(list.flatMap((route) => [route.workflow, route.upload.workflow]))];
  const toPyPI = list.filter(uploadsToPyPI);
  const publishedDirs = new Set(packageDirsOf(toPyPI));
  const publishedPackages = project.packages.filter((pkg) => publishedDirs.has(pkg.dir));
  const unknownPublisher = toPyPI.length === 0 || toPyPI.some((route) => route.confidence === 'opaque');
  const checkedPackages = unknownPublisher
    ? project.packages.filter((pkg) => publishedDirs.has(pkg.dir) || (!pkg.sample && pkg.notPublishable === undefined && pkg.kind !== 'unparsed'))
    : publishedPackages;
  const publishing = new Set(publishWorkflows);
  const artifactRuns = collector.artifactRuns.filter((run) => publishing.has(run.workflow));
  const routesOfPackage = new Map<string, PublishRoute[]>();
  const routesOfWorkflow = new Map<WorkflowModel, PublishRoute[]>();
  for (const route of list) {
    for (const dir of route.packageDirs) pushTo(routesOfPackage, dir, route);
    pushTo(routesOfWorkflow, route.workflow, route);
  }
  return {
    workflows,
    routes: list,
    publishWorkflows,
    uploadWorkflows,
    publishedPackages,
    checkedPackages,
    artifactRuns,
    unreachableUploads: collector.unreachable(),
    routesOfPackage,
    routesOfWorkflow,
  };
}

function mentionsScriptOrAction(text: string): boolean {
  return /uses:\s*\.\/|\.sh\b|\.\//.test(text);
}

function callsAnotherWorkflow(workflow: WorkflowModel): boolean {
  return workflow.jobs.some((job) => job.uses !== undefined);
}

/** Branch pushes are imagined on these branches when the filter names no branch literally; schedules on these. */
const USUAL_BRANCHES = ['main', 'master'];

/**
 * The runs imagined for an event: a dispatch once per combination of its choice inputs (and of its
 * package-directory inputs, see packageDirectoryChoices), a branch push once per branch its filter
 * names (else on the usual default branches), a schedule (or a pull_request_target) on the usual
 * default branches, others once.
 */
function scenarios(project: Project, workflow: WorkflowModel, event: TriggerEvent): TriggerEvent[] {
  if (runsOnDefaultBranch(event)) return USUAL_BRANCHES.map((branch) => ({ ...event, branch }));
  if (event.kind === 'push-branch') {
    const literal = workflow.triggers.pushBranchPatterns.filter((pattern) => !/[*?[!+]/.test(pattern));
    return (literal.length > 0 ? literal : USUAL_BRANCHES).map((branch) => ({ ...event, branch }));
  }
  if (event.kind !== 'dispatch') return [event];
  let combinations: Map<string, string | null>[] = [new Map()];
  for (const input of workflow.triggers.dispatchInputs ?? []) {
    const choices = input.options.length > 0 ? input.options : packageDirectoryChoices(project, input);
    if (choices === undefined) continue;
    if (combinations.length * choices.length > MAX_DISPATCH_SCENARIOS) {
      // Too many packages to imagine one run each: the directory is unknown, and said once.
      if (input.options.length === 0) combinations = combinations.map((combination) => new Map([...combination, [input.name, null]]));
      continue;
    }
    combinations = combinations.flatMap((combination) => choices.map((choice) => new Map([...combination, [input.name, choice]])));
  }
  return combinations.map((inputs) => ({ ...event, inputs }));
}

/**
 * A free-text dispatch input whose default is a package's directory (langgraph's `working-directory:
 * libs/langgraph`) names the package a run releases: whoever starts the workflow types another one.
 * Its choices are the packages beside the default one (samples aside); undefined for any other input.
 */
function packageDirectoryChoices(project: Project, input: InputDeclaration): string[] | undefined {
  if ((input.type !== undefined && input.type !== 'string') || typeof input.default !== 'string') return undefined;
  const given = input.default.replace(/\/+$/, '');
  if (project.packageAt(given)?.dir !== given || given === '.') return undefined;
  const parent = path.posix.dirname(given);
  return project.packages.filter((pkg) => pkg.dir === given || (path.posix.dirname(pkg.dir) === parent && pkg.dir !== '.' && !pkg.sample)).map((pkg) => pkg.dir);
}

/** The directories of the packages some of `routes` upload, each once. */
export function packageDirsOf(routes: readonly PublishRoute[]): string[] {
  return [...new Set(routes.flatMap((route) => route.packageDirs))];
}

/** Builds the routes: every upload of every imagined run, merged by upload site. */
class RouteCollector {
  private readonly byKey = new Map<string, PublishRoute>();
  /** Per route, per package: the job runs (matrix legs) that upload it, by key ('tag' for a target inferred from a tag). */
  private readonly legs = new Map<PublishRoute, Map<string, Map<string, JobRun | undefined>>>();
  /** Per route, per package: the build steps that wrote what it uploads, over every leg. */
  private readonly builds = new Map<PublishRoute, Map<string, Link[]>>();
  /** Upload steps seen in jobs (or steps) that did not run, by route key. */
  private readonly skipped = new Map<string, UnreachableUpload>();
  readonly artifactRuns: ArtifactRun[] = [];

  constructor(private readonly project: Project) {}

  routes(): PublishRoute[] {
    return [...this.byKey.values()];
  }

  /** Upload steps that no imagined run reached. */
  unreachable(): UnreachableUpload[] {
    return [...this.skipped].filter(([key]) => !this.byKey.has(key)).map(([, upload]) => upload);
  }

  collect(run: WorkflowRun): void {
    const tracer = new Tracer(this.project, run);
    this.collectArtifacts(run, tracer);
    for (const job of run.jobs) {
      if (!mayUpload(this.project, job)) continue;
      if (job.runs === false) {
        this.noteSkipped(run, job, effectsIfRun(run.context.stepsOf(job).steps), false);
        continue;
      }
      const steps = run.context.stepsOf(job).steps;
      this.noteSkipped(run, job, effectsIfRun(steps.filter((stepRun) => stepRun.runs === false)), true);
      for (const effect of tracer.effectsOf(job)) {
        if (effect.kind !== 'upload' && !(effect.kind === 'opaque' && effect.uploads)) continue;
        const route = this.routeFor(run, job, effect, steps);
        if (!route.events.some((known) => sameEvent(known, run.event))) route.events.push(withoutScenario(run.event));
        if (effect.kind === 'opaque') {
          addOpaque(route, { reason: `${effect.what} is an action this linter does not know; if it uploads to PyPI, map what it publishes`, evidence: effect.evidence });
          continue;
        }
        const traced = tracer.traceUpload(job, effect);
        this.addTargets(route, traced.targets, job);
        for (const link of traced.opaque) addOpaque(route, link);
        for (const note of traced.notes) if (!route.notes.some((known) => known.detail === note.detail)) route.notes.push(note);
        if (!route.build && traced.builds[0]) {
          const { build, job: buildJob } = traced.builds[0];
          route.build = { workflow: buildJob.workflow, job: buildJob.job, step: build.stepRun.step, evidence: build.evidence };
        }
        // Every leg's build counts: a matrix over Python versions builds with each of them.
        for (const { build, job: buildJob } of traced.builds) {
          for (const python of buildPython(this.project, build, run.context.stepsOf(buildJob).steps)) {
            if (route.python.some((known) => known.value === python.value)) continue;
            route.python.push(python);
            route.pythonVersions.push(python.value);
          }
        }
      }
    }
  }

  /** The artifact steps of the jobs that run. */
  private collectArtifacts(run: WorkflowRun, tracer: Tracer): void {
    const transfers: ArtifactTransfer[] = [];
    for (const job of run.jobs) {
      if (job.runs === false || !job.job.steps.some((step) => MAY_MOVE_ARTIFACTS.test(step.uses ?? ''))) continue;
      for (const effect of tracer.effectsOf(job)) {
        if (effect.kind === 'artifact-upload' || effect.kind === 'artifact-download' || effect.kind === 'artifact-merge') transfers.push({ job, effect });
      }
    }
    if (transfers.length > 0) this.artifactRuns.push({ workflow: run.entry, event: run.event, transfers });
  }

  /** Upload steps of a job run (or steps) that do not run in this scenario. */
  private noteSkipped(run: WorkflowRun, job: JobRun, effects: Effect[], stepCondition: boolean): void {
    for (const effect of effects) {
      if (effect.kind !== 'upload') continue;
      const key = routeKey(run, job, effect.stepRun);
      if (this.skipped.has(key)) continue;
      const jobs = [...callChain(job), { workflow: job.workflow, job: job.job }];
      this.skipped.set(key, { workflow: run.entry, jobs, upload: { workflow: job.workflow, job: job.job, step: effect.stepRun.step, tool: effect.tool, evidence: effect.evidence }, stepCondition });
    }
  }

  private routeFor(run: WorkflowRun, job: JobRun, effect: UploadEffect | OpaqueEffect, steps: readonly StepRun[]): PublishRoute {
    const key = routeKey(run, job, effect.stepRun);
    let route = this.byKey.get(key);
    if (!route) {
      route = newRoute(run, job, effect, steps);
      this.byKey.set(key, route);
    }
    return route;
  }

  /** Adds targets; a package that several legs of the upload job send is a double upload. */
  private addTargets(route: PublishRoute, targets: Target[], leg: JobRun | undefined): void {
    const legs = this.legs.get(route) ?? new Map<string, Map<string, JobRun | undefined>>();
    this.legs.set(route, legs);
    const builds = this.builds.get(route) ?? new Map<string, Link[]>();
    this.builds.set(route, builds);
    for (const target of targets) {
      target.dir ??= target.pkg?.dir;
      const key = target.dir ?? `name:${target.name}`;
      const seen = legs.get(key) ?? new Map<string, JobRun | undefined>();
      seen.set(leg?.key ?? 'tag', leg);
      legs.set(key, seen);
      const built = builds.get(key) ?? [];
      builds.set(key, built);
      for (const link of target.chain) {
        if (link.what.startsWith('build (') && !built.some((known) => known.evidence.file === link.evidence.file && known.evidence.path?.join('.') === link.evidence.path?.join('.'))) built.push(link);
      }
      const runs = [...seen.values()].filter((run): run is JobRun => run !== undefined);
      const repeated = route.repeatedLegs.find((entry) => entry.dir === key);
      if (repeated) repeated.legs = runs;
      else if (runs.length > 1 && target.pkg) route.repeatedLegs.push({ dir: key, legs: runs, builds: built });
      const known = route.targets.find((existing) => existing.pkg === target.pkg && existing.dir === target.dir && existing.name === target.name);
      if (!known) route.targets.push(target);
      else if (known.confidence === 'inferred' && target.confidence === 'resolved') Object.assign(known, target);
    }
    if (route.targets.length > 0) route.confidence = route.targets.every((target) => target.confidence === 'inferred') ? 'inferred' : 'resolved';
  }

  /**
   * Routes that stayed opaque on a tag push or a release, tried again with each package's release
   * tag: when the run for `core-v1.2.3` builds core, the route publishes core (inferred from the tag).
   */
  inferFromTags(context: RunContext): void {
    for (const route of this.byKey.values()) {
      if (route.confidence !== 'opaque') continue;
      for (const event of route.events) {
        if (event.kind !== 'push-tag' && event.kind !== 'release') continue;
        for (const pkg of this.project.packages) {
          const tag = releaseTags(pkg).find(({ tag: candidate }) => event.kind !== 'push-tag' || tagFilterMatches(event.tagFilter as TagFilter, candidate));
          if (!tag) continue;
          const run = expandRun(route.workflow, { ...event, tag: tag.tag }, context);
          const traced = tracedTargets(this.project, run, route).find((target) => target.pkg === pkg);
          if (!traced) continue;
          const how = tag.source === 'convention' ? 'the usual tag for its version' : `its ${tag.source}`;
          const reason = `on ${describeEvent({ ...event, tag: tag.tag })} (${how}), the run builds ${pkg.dir}`;
          // The links of that run (upload ← build ← the command that derives the directory from the tag).
          this.addTargets(route, [{ ...traced, confidence: 'inferred', reason }], undefined);
        }
      }
      if (route.targets.length > 0) route.opaque = [];
    }
  }
}

/** What steps that do not run in a scenario would do if they ran (to find the uploads a condition keeps out). */
function effectsIfRun(steps: readonly StepRun[]): Effect[] {
  return stepEffects(steps.map((stepRun) => ({ ...stepRun, runs: undefined })));
}

/** Actions that upload or download artifacts (and local actions, which may): a cheap test before a job's effects are read. */
const MAY_MOVE_ARTIFACTS = /artifact|build-and-inspect-python-package|^\.\//i;

/** Jobs whose steps, or the local actions and repository scripts they run, could upload. */
function mayUpload(project: Project, job: JobRun): boolean {
  return job.job.steps.some((step) => {
    if (MAY_PUBLISH.test(step.uses ?? '') || MAY_PUBLISH.test(step.run ?? '')) return true;
    if (step.uses?.startsWith('./')) return true;
    for (const match of (step.run ?? '').matchAll(SCRIPT_REFERENCE)) {
      const text = project.readText(match[1]!.replace(/^\.\//, ''));
      if (text !== undefined && MAY_PUBLISH.test(text)) return true;
    }
    return false;
  });
}

function routeKey(run: WorkflowRun, job: JobRun, stepRun: StepRun): string {
  const calls = callChain(job).map((frame) => frame.job.id).join('/');
  return [run.entry.file.path, calls, job.workflow.file.path, job.job.id, stepRun.step.file.path, stepRun.step.path.join('.')].join('\u0000');
}

function callChain(job: JobRun): { workflow: WorkflowModel; job: JobModel }[] {
  const chain: { workflow: WorkflowModel; job: JobModel }[] = [];
  for (let caller = job.frame.caller; caller; caller = caller.frame.caller) chain.unshift({ workflow: caller.workflow, job: caller.job });
  return chain;
}

function newRoute(run: WorkflowRun, job: JobRun, effect: UploadEffect | OpaqueEffect, steps: readonly StepRun[]): PublishRoute {
  const calls = callChain(job);
  const earlier = steps.slice(0, Math.max(0, steps.indexOf(effect.stepRun)));
  return {
    workflow: run.entry,
    job: calls[0]?.job ?? job.job,
    calls,
    upload: { workflow: job.workflow, job: job.job, step: effect.stepRun.step, tool: effect.kind === 'upload' ? effect.tool : effect.what, evidence: effect.evidence },
    index: effect.kind === 'upload' ? effect.index : { kind: 'unknown' },
    checkIndex: effect.kind === 'upload' ? effect.checkIndex : undefined,
    targets: [],
    packageDirs: [],
    confidence: effect.kind === 'upload' ? 'resolved' : 'opaque',
    opaque: [],
    events: [],
    credential: credentialFor(effect, job, earlier),
    python: [],
    pythonVersions: [],
    build: undefined,
    notes: [],
    repeatedLegs: [],
  };
}

/** Trusted publishing exists only on PyPI and TestPyPI: a tokenless upload elsewhere uses the runner's own credentials. */
function credentialFor(effect: UploadEffect | OpaqueEffect, job: JobRun, earlier: readonly StepRun[]): Credential {
  const credential = credentialOf(effect.stepRun, job, earlier);
  return credential.kind === 'trusted' && effect.kind === 'upload' && effect.index.kind === 'other' ? { kind: 'external' } : credential;
}

function addOpaque(route: PublishRoute, link: OpaqueLink): void {
  const same = (a: Evidence, b: Evidence): boolean => a.file === b.file && a.path?.join('.') === b.path?.join('.') && a.text === b.text && a.offset === b.offset;
  if (route.opaque.some((known) => same(known.evidence, link.evidence))) return;
  route.opaque.push(link);
  if (route.targets.length === 0) route.confidence = 'opaque';
}

function sameEvent(a: TriggerEvent, b: TriggerEvent): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** The event as a route lists it: without the scenario's chosen inputs or tag. */
function withoutScenario(event: TriggerEvent): TriggerEvent {
  const { inputs: _inputs, tag: _tag, branch: _branch, ...rest } = event;
  return rest;
}

/** The targets of `route`'s upload in another imagined run of its workflow. */
function tracedTargets(project: Project, run: WorkflowRun, route: PublishRoute): Target[] {
  const tracer = new Tracer(project, run);
  const targets: Target[] = [];
  for (const job of run.jobs) {
    if (job.job !== route.upload.job || job.workflow !== route.upload.workflow || job.runs === false) continue;
    for (const effect of tracer.effectsOf(job)) {
      if (effect.kind === 'upload' && effect.stepRun.step === route.upload.step) targets.push(...tracer.traceUpload(job, effect).targets);
    }
  }
  return targets;
}

/**
 * Config `[tool.pypi-release-lint.packages."GLOB"] workflow = "F.yml"` wins over inference for
 * the routes of F: they publish the packages whose directories the globs match.
 */
function applyConfiguredMapping(project: Project, routes: PublishRoute[]): void {
  const byWorkflow = new Map<string, string[]>();
  for (const [glob, workflow] of project.config.packageWorkflows) byWorkflow.set(workflow, [...(byWorkflow.get(workflow) ?? []), glob]);
  for (const route of routes) {
    const globs = byWorkflow.get(route.workflow.name) ?? byWorkflow.get(route.upload.workflow.name);
    if (!globs) continue;
    const matches = picomatch(globs, { dot: true });
    const packages = project.packages.filter((pkg) => matches(pkg.dir));
    route.targets = packages.length > 0 ? packages.map((pkg) => ({ pkg, dir: pkg.dir, confidence: 'config' as const, origin: undefined, chain: [] })) : globs.filter((glob) => !/[*?[{]/.test(glob)).map((dir) => ({ pkg: undefined, dir, confidence: 'config' as const, origin: undefined, chain: [] }));
    route.confidence = 'config';
    route.opaque = [];
  }
}
