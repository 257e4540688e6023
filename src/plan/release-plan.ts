import type { Package, Project } from '../project/project.js';
import type { YamlPath } from '../project/yaml-file.js';
import { isBuildStep, uploadTool } from './commands.js';
import { credentialOf, type Credential } from './credentials.js';
import { expandSourced, type Origin, type Sourced, type SourcedLookup } from './expressions.js';
import { buildPython } from './python.js';
import { resolveTargets, type PackageTarget } from './targets.js';
import { localReusableTarget, neededJobs, readWorkflow, type JobModel, type Mapping, type StepModel, type StepSite, type WorkflowModel } from './workflow.js';

export type { Credential } from './credentials.js';
export type { PackageTarget } from './targets.js';

/** The step that builds the distributions a route uploads (in the upload job or a job it needs). */
export type BuildSite = StepSite;

export interface UploadSite extends StepSite {
  tool: string;
}

/** One way a package gets published: an entry workflow, its job, and the upload it reaches. */
export interface PublishRoute {
  /** The workflow whose triggers start the release (the caller, for a reusable workflow). */
  workflow: WorkflowModel;
  job: JobModel;
  upload: UploadSite;
  /** Package directories this route builds and uploads (several for a matrix or a choice input). */
  packageDirs: string[];
  /** The same, with where each is written; includes `--package` names that match no package. */
  targets: PackageTarget[];
  resolvedBy: 'config' | 'inferred' | 'unresolved';
  credential: Credential;
  pythonVersions: string[];
  /** The Python versions the build runs with, and where each is written. */
  python: Sourced[];
  build: BuildSite | undefined;
}

export interface ReleasePlan {
  workflows: WorkflowModel[];
  routes: PublishRoute[];
  /** Entry workflows with at least one upload route. */
  publishWorkflows: WorkflowModel[];
  /** Workflows that hold an upload step (entry workflows and the reusable workflows they call). */
  uploadWorkflows: WorkflowModel[];
  publishedPackages: Package[];
}

/** The release plan, computed once per run and shared by every rule. */
export function releasePlan(project: Project): ReleasePlan {
  return project.fact('release-plan', computeReleasePlan);
}

/** Packages some publish workflow uploads; every package when the repo has no publish workflow. */
export function publishedPackages(project: Project): Package[] {
  return releasePlan(project).publishedPackages;
}

/** Every parsed workflow as a model, once per run. */
export function workflowModels(project: Project): WorkflowModel[] {
  return project.fact('workflow-models', () => project.workflows.filter((file) => file.parseError === undefined).map(readWorkflow));
}

function computeReleasePlan(project: Project): ReleasePlan {
  const workflows = workflowModels(project);
  const byName = new Map(workflows.map((workflow) => [workflow.name, workflow]));
  const routes: PublishRoute[] = [];
  for (const workflow of workflows) {
    if (workflow.triggers.events.every((event) => event === 'workflow_call')) continue;
    const entryLookup = lookupFor(workflow, undefined, () => undefined);
    for (const job of workflow.jobs) {
      const target = localReusableTarget(job.uses, project.repository);
      if (target) {
        const callee = byName.get(target);
        if (!callee) continue;
        const calleeScope = lookupFor(callee, undefined, calleeLookup(workflow, job, lookupFor(workflow, job, entryLookup)));
        for (const calleeJob of callee.jobs) {
          for (const site of uploadSites(callee, calleeJob)) routes.push(route(project, workflow, job, site, calleeScope, job.secrets));
        }
        continue;
      }
      for (const site of uploadSites(workflow, job)) routes.push(route(project, workflow, job, site, entryLookup, 'inherit'));
    }
  }
  applyConfiguredMapping(project, routes);
  const publishWorkflows = [...new Set(routes.map((entry) => entry.workflow))];
  const uploadWorkflows = [...new Set(routes.flatMap((entry) => [entry.workflow, entry.upload.workflow]))];
  const dirs = new Set(routes.flatMap((entry) => entry.packageDirs));
  const publishedPackages = publishWorkflows.length === 0 ? project.packages : project.packages.filter((pkg) => dirs.has(pkg.dir));
  return { workflows, routes, publishWorkflows, uploadWorkflows, publishedPackages };
}

function uploadSites(workflow: WorkflowModel, job: JobModel): UploadSite[] {
  return job.steps.flatMap((step) => {
    const tool = uploadTool(step);
    return tool ? [{ workflow, job, step, tool }] : [];
  });
}

/**
 * Values of `inputs.x` and `matrix.x` inside `workflow` (and `job`), falling back to `outer`, then
 * to the workflow's own input declarations (a choice input's options, else its default).
 */
function lookupFor(workflow: WorkflowModel, job: JobModel | undefined, outer: SourcedLookup): SourcedLookup {
  return (reference) => {
    const [context, ...rest] = reference.split('.');
    const name = rest.join('.');
    if (context === 'matrix') return job?.matrixSources.get(name);
    const fromOuter = outer(reference);
    if (fromOuter) return fromOuter;
    const input = [...(workflow.triggers.dispatchInputs ?? []), ...(workflow.triggers.callInputs ?? [])].find((candidate) => candidate.name === name);
    if (!input) return undefined;
    const origin = (path: YamlPath): Origin => ({ file: workflow.file, path });
    if (input.options.length > 0) return input.options.map((value, index) => ({ value, origin: origin([...input.path, 'options', index]) }));
    return input.default === undefined ? undefined : [{ value: String(input.default), origin: origin([...input.path, 'default']) }];
  };
}

/** Inside a reusable workflow, `inputs.x` is what the caller passes in `with:`. */
function calleeLookup(caller: WorkflowModel, callerJob: JobModel, callerLookup: SourcedLookup): SourcedLookup {
  return (reference) => {
    const [context, name] = reference.split('.') as [string, string];
    if (context !== 'inputs') return undefined;
    const passed = callerJob.with[name];
    if (passed === undefined) return undefined;
    const own: Origin = { file: caller.file, path: [...callerJob.path, 'with', name] };
    return typeof passed === 'string' ? expandSourced(passed, callerLookup, own) : [{ value: String(passed), origin: own }];
  };
}

function route(project: Project, workflow: WorkflowModel, job: JobModel, upload: UploadSite, scope: SourcedLookup, passedSecrets: 'inherit' | Mapping | undefined): PublishRoute {
  const build = findBuild(upload);
  const site = build ?? upload;
  const lookup = lookupFor(site.workflow, site.job, scope);
  const targets = resolveTargets(project, upload, build, lookup);
  const python = buildPython(project, site, lookup);
  return {
    workflow,
    job,
    upload,
    packageDirs: targets ? [...new Set(targets.flatMap((target) => (target.dir === undefined ? [] : [target.dir])))] : [],
    targets: targets ?? [],
    resolvedBy: targets ? 'inferred' : 'unresolved',
    credential: credentialOf(upload, workflow, job, passedSecrets),
    pythonVersions: python.map((entry) => entry.value),
    python,
    build,
  };
}

/**
 * The build step whose output the upload sends: the last build step before the upload in its job,
 * else the last build step of the nearest job it `needs` (build in one job, publish in another).
 */
function findBuild(upload: UploadSite): BuildSite | undefined {
  const own = lastBuildStep(upload.job.steps.slice(0, upload.step.index + 1));
  if (own) return { workflow: upload.workflow, job: upload.job, step: own };
  for (const job of neededJobs(upload.workflow, upload.job)) {
    const step = lastBuildStep(job.steps);
    if (step) return { workflow: upload.workflow, job, step };
  }
  return undefined;
}

function lastBuildStep(steps: StepModel[]): StepModel | undefined {
  return [...steps].reverse().find(isBuildStep);
}

/** Config `packages."DIR".workflow` wins over inference for the workflows it names. */
function applyConfiguredMapping(project: Project, routes: PublishRoute[]): void {
  const byWorkflow = new Map<string, string[]>();
  for (const [directory, workflow] of project.config.packageWorkflows) byWorkflow.set(workflow, [...(byWorkflow.get(workflow) ?? []), directory]);
  for (const entry of routes) {
    const configured = byWorkflow.get(entry.workflow.name);
    if (configured) {
      entry.packageDirs = configured;
      entry.targets = configured.map((dir) => ({ dir, origin: undefined }));
      entry.resolvedBy = 'config';
    }
  }
}
