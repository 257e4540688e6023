import path from 'node:path';
import type { Package, Project } from '../project/project.js';
import { normalizePackageName } from '../project/project.js';
import { isBuildStep, readBuildInvocation, uploadSourceDirectory, uploadTool } from './commands.js';
import { expandTemplate, secretReference, type Lookup } from './expressions.js';
import { localReusableTarget, readWorkflow, type JobModel, type Mapping, type StepModel, type WorkflowModel } from './workflow.js';

/** How an upload authenticates: a token secret (named as the entry workflow sees it), or trusted publishing. */
export type Credential =
  | { kind: 'token'; secret: string | undefined; variable: string }
  | { kind: 'trusted' };

export interface UploadSite {
  workflow: WorkflowModel;
  job: JobModel;
  step: StepModel;
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
  resolvedBy: 'config' | 'inferred' | 'unresolved';
  credential: Credential;
  pythonVersions: string[];
}

export interface ReleasePlan {
  workflows: WorkflowModel[];
  routes: PublishRoute[];
  /** Entry workflows with at least one upload route. */
  publishWorkflows: WorkflowModel[];
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
        const calleeJobLookup = calleeLookup(callee, job, entryLookup);
        for (const calleeJob of callee.jobs) {
          for (const site of uploadSites(callee, calleeJob)) {
            routes.push(route(project, workflow, job, site, lookupFor(callee, calleeJob, calleeJobLookup), job.secrets));
          }
        }
        continue;
      }
      for (const site of uploadSites(workflow, job)) routes.push(route(project, workflow, job, site, lookupFor(workflow, job, entryLookup), 'inherit'));
    }
  }
  applyConfiguredMapping(project, routes);
  const publishWorkflows = [...new Set(routes.map((entry) => entry.workflow))];
  const dirs = new Set(routes.flatMap((entry) => entry.packageDirs));
  const publishedPackages = publishWorkflows.length === 0 ? project.packages : project.packages.filter((pkg) => dirs.has(pkg.dir));
  return { workflows, routes, publishWorkflows, publishedPackages };
}

function uploadSites(workflow: WorkflowModel, job: JobModel): UploadSite[] {
  return job.steps.flatMap((step) => {
    const tool = uploadTool(step);
    return tool ? [{ workflow, job, step, tool }] : [];
  });
}

/** Values of `inputs.x` and `matrix.x` inside `workflow` (and `job`), falling back to `outer`. */
function lookupFor(workflow: WorkflowModel, job: JobModel | undefined, outer: Lookup): Lookup {
  return (reference) => {
    const [context, name] = reference.split('.') as [string, string];
    if (context === 'matrix') return job?.matrix.get(name);
    const fromOuter = outer(reference);
    if (fromOuter) return fromOuter;
    const input = [...(workflow.triggers.dispatchInputs ?? []), ...(workflow.triggers.callInputs ?? [])].find((candidate) => candidate.name === name);
    if (!input) return undefined;
    if (input.options.length > 0) return input.options;
    return input.default === undefined ? undefined : [String(input.default)];
  };
}

/** Inside a reusable workflow, `inputs.x` is what the caller passes in `with:`. */
function calleeLookup(callee: WorkflowModel, caller: JobModel, callerLookup: Lookup): Lookup {
  return (reference) => {
    const [context, name] = reference.split('.') as [string, string];
    if (context !== 'inputs') return undefined;
    const passed = caller.with[name];
    if (passed === undefined) return undefined;
    return typeof passed === 'string' ? expandTemplate(passed, callerLookup) : [String(passed)];
  };
}

function route(project: Project, workflow: WorkflowModel, job: JobModel, upload: UploadSite, lookup: Lookup, passedSecrets: 'inherit' | Mapping | undefined): PublishRoute {
  const packageDirs = resolvePackageDirs(project, upload, lookup);
  return {
    workflow,
    job,
    upload,
    packageDirs: packageDirs ?? [],
    resolvedBy: packageDirs ? 'inferred' : 'unresolved',
    credential: credentialOf(upload, passedSecrets),
    pythonVersions: pythonVersionsOf(upload.job, lookup),
  };
}

/**
 * The directories the upload job builds: from the build step (its working-directory, a `cd`, the
 * build command's DIR or `--package NAME`), else from where the upload reads dist/ from.
 */
function resolvePackageDirs(project: Project, upload: UploadSite, lookup: Lookup): string[] | undefined {
  const expand = (value: string | undefined): string[] | undefined => (value === undefined ? [''] : expandTemplate(value, lookup));
  const steps = upload.job.steps.slice(0, upload.step.index + 1);
  const build = [...steps].reverse().find(isBuildStep);
  if (build) {
    const invocation = readBuildInvocation(build.run!)!;
    if (invocation.packageName) {
      const names = expandTemplate(invocation.packageName, lookup);
      const found = names?.map((name) => project.packages.find((pkg) => pkg.normalizedName === normalizePackageName(name))?.dir);
      return found?.every(Boolean) ? (found as string[]) : undefined;
    }
    return combine([expand(upload.job.defaultWorkingDirectory), expand(build.workingDirectory), expand(invocation.cd), expand(invocation.directory)]);
  }
  const source = uploadSourceDirectory(upload.step);
  return combine([expand(upload.job.defaultWorkingDirectory), expand(upload.step.workingDirectory), expand(source)]);
}

/** Joins every combination of path parts; undefined when a part could not be expanded. */
function combine(parts: (string[] | undefined)[]): string[] | undefined {
  if (parts.some((part) => part === undefined)) return undefined;
  let results = [''];
  for (const part of parts as string[][]) {
    results = results.flatMap((prefix) => part.map((piece) => (piece.startsWith('/') ? piece : path.posix.join(prefix, piece))));
  }
  return [...new Set(results.map(normalizeDirectory))];
}

function normalizeDirectory(directory: string): string {
  const normalized = path.posix.normalize(directory.replace(/^\$GITHUB_WORKSPACE\/?|^\$\{\{\s*github\.workspace\s*\}\}\/?/, '') || '.').replace(/\/+$/, '');
  return normalized === '' || normalized === './' ? '.' : normalized.replace(/^\.\//, '');
}

const TOKEN_VARIABLES = ['TWINE_PASSWORD', 'UV_PUBLISH_TOKEN', 'UV_PUBLISH_PASSWORD', 'POETRY_PYPI_TOKEN_PYPI', 'HATCH_INDEX_AUTH', 'FLIT_PASSWORD', 'PDM_PUBLISH_PASSWORD'];

function credentialOf(upload: UploadSite, passedSecrets: 'inherit' | Mapping | undefined): Credential {
  const environment = { ...upload.workflow.env, ...upload.job.env, ...upload.step.env };
  const candidates: [string, unknown][] = [
    ...TOKEN_VARIABLES.map((variable): [string, unknown] => [variable, environment[variable]]),
    ['password', upload.step.with.password],
    ['--token', upload.step.run ? /--(?:token|password)[=\s]+("?\$\{\{[^}]+\}\}"?)/.exec(upload.step.run)?.[1]?.replace(/"/g, '') : undefined],
  ];
  const found = candidates.find(([, value]) => value !== undefined);
  if (!found) return { kind: 'trusted' };
  const [variable, value] = found;
  const inCallee = secretReference(value);
  if (inCallee === undefined) return { kind: 'token', secret: undefined, variable };
  if (passedSecrets === 'inherit') return { kind: 'token', secret: inCallee, variable };
  return { kind: 'token', secret: secretReference(passedSecrets?.[inCallee]), variable };
}

function pythonVersionsOf(job: JobModel, lookup: Lookup): string[] {
  const setup = job.steps.find((step) => step.uses?.startsWith('actions/setup-python@'));
  const version = setup?.with['python-version'];
  if (version === undefined) return [];
  return expandTemplate(String(version), lookup) ?? [];
}

/** Config `packages."DIR".workflow` wins over inference for the workflows it names. */
function applyConfiguredMapping(project: Project, routes: PublishRoute[]): void {
  const byWorkflow = new Map<string, string[]>();
  for (const [directory, workflow] of project.config.packageWorkflows) byWorkflow.set(workflow, [...(byWorkflow.get(workflow) ?? []), directory]);
  for (const entry of routes) {
    const configured = byWorkflow.get(entry.workflow.name);
    if (configured) {
      entry.packageDirs = configured;
      entry.resolvedBy = 'config';
    }
  }
}
