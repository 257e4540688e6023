import { factKey, type Project } from '../project/project.js';
import { releasePlan, workflowModels } from '../plan/release-plan.js';
import { localReusableTarget, neededJobs, type JobModel, type WorkflowModel } from '../workflow/model.js';
import { isGithubToken, sameSecret, secretReads, startsWithPath, type SecretRead } from './references.js';
import { pushTo } from '../group.js';

/** A repository secret a workflow reads, and where. */
export interface SecretUse {
  name: string;
  workflow: WorkflowModel;
  read: SecretRead;
}

export interface Caller {
  workflow: WorkflowModel;
  job: JobModel;
}

const LOCAL_CALLERS = factKey<Map<string, Caller[]>>('secrets:local-callers');

/** Workflow file name → the jobs of this repository's workflows that call it (`uses: ./.github/workflows/NAME`). */
export function localCallers(project: Project): Map<string, Caller[]> {
  return project.fact(LOCAL_CALLERS, () => {
    const callers = new Map<string, Caller[]>();
    for (const workflow of workflowModels(project)) {
      for (const job of workflow.jobs) {
        const target = localReusableTarget(job.uses, project.repository);
        if (target) pushTo(callers, target, { workflow, job });
      }
    }
    return callers;
  });
}

export function isReusable(workflow: WorkflowModel): boolean {
  return workflow.triggers.events.includes('workflow_call');
}

/** The secrets a reusable workflow declares under on.workflow_call.secrets. */
export function declaredSecrets(workflow: WorkflowModel): string[] {
  return (workflow.triggers.callSecrets ?? []).map((secret) => secret.name);
}

/**
 * What a workflow reads as repository secrets: every `secrets.X` except GITHUB_TOKEN and, in a
 * reusable workflow, the secrets it declares (those are parameters its callers fill in).
 */
export function repositorySecretReads(workflow: WorkflowModel): SecretRead[] {
  const declared = isReusable(workflow) ? declaredSecrets(workflow) : [];
  return secretReads(workflow.file).filter((read) => !isGithubToken(read.name) && !declared.some((name) => sameSecret(name, read.name)));
}

/**
 * The jobs of each workflow a publishing run needs, by workflow: the upload job and the entry
 * jobs on the way to it (the callers of reusable workflows), each with the jobs it needs. A
 * secret read elsewhere (a benchmark job, a docs job) is no concern of the release.
 */
function publishJobs(project: Project): Map<WorkflowModel, Set<string>> {
  const jobs = new Map<WorkflowModel, Set<string>>();
  const add = (workflow: WorkflowModel, job: JobModel): void => {
    const ids = jobs.get(workflow) ?? new Set<string>();
    jobs.set(workflow, ids);
    for (const needed of [job, ...neededJobs(workflow, job)]) ids.add(needed.id);
  };
  for (const route of releasePlan(project).routes) {
    add(route.upload.workflow, route.upload.job);
    add(route.workflow, route.job);
    for (const call of route.calls) add(call.workflow, call.job);
  }
  return jobs;
}

/** A read outside every job (workflow-level `env:`) concerns every job; one inside a job, that job. */
function inJobs(read: SecretRead, jobs: Set<string> | undefined): boolean {
  if (read.path[0] !== 'jobs') return true;
  return jobs?.has(String(read.path[1])) ?? false;
}

const PUBLISH_SECRET_USES = factKey<SecretUse[]>('secrets:publish-uses');

/**
 * The repository secrets publishing runs use: reads in the publish jobs of each workflow that
 * starts a publish (and the jobs they need), and the undeclared reads of the local reusable
 * workflows they call with `secrets: inherit` (those see the repository's secrets directly).
 * Sorted by file and position.
 */
export function publishSecretUses(project: Project): SecretUse[] {
  return project.fact(PUBLISH_SECRET_USES, () => {
    const byName = new Map(workflowModels(project).map((workflow) => [workflow.name, workflow]));
    const jobs = publishJobs(project);
    const uses: SecretUse[] = [];
    const seen = new Set<string>();
    const visit = (workflow: WorkflowModel, inherited: boolean): void => {
      const key = `${workflow.name}|${inherited}`;
      if (seen.has(key)) return;
      seen.add(key);
      const all = inherited ? secretReads(workflow.file).filter((read) => !isGithubToken(read.name) && !declaredSecrets(workflow).some((name) => sameSecret(name, read.name))) : repositorySecretReads(workflow);
      const reads = inherited ? all : all.filter((read) => inJobs(read, jobs.get(workflow)));
      for (const read of reads) uses.push({ name: read.name, workflow, read });
      for (const job of workflow.jobs) {
        if (job.secrets !== 'inherit') continue;
        const callee = byName.get(localReusableTarget(job.uses, project.repository) ?? '');
        if (callee) visit(callee, true);
      }
    };
    for (const workflow of releasePlan(project).publishWorkflows) visit(workflow, false);
    return uses.sort((a, b) => (a.workflow.file.path < b.workflow.file.path ? -1 : a.workflow.file.path > b.workflow.file.path ? 1 : a.read.range.start - b.read.range.start));
  });
}

const SECRET_NAMES = factKey<Set<string>>('secrets:names-in-workflows');

/** Every name the workflows use as a secret (upper-cased): reads, workflow_call declarations, names passed to reusable workflows. */
export function secretNamesInWorkflows(project: Project): Set<string> {
  return project.fact(SECRET_NAMES, () => {
    const names = new Set<string>();
    for (const workflow of workflowModels(project)) {
      for (const read of secretReads(workflow.file)) names.add(read.name.toUpperCase());
      for (const name of declaredSecrets(workflow)) names.add(name.toUpperCase());
      for (const job of workflow.jobs) {
        if (job.secrets && job.secrets !== 'inherit') for (const name of Object.keys(job.secrets)) names.add(name.toUpperCase());
      }
    }
    return names;
  });
}

/** The first read of `name` in `workflow` under `prefix` (a job, a step), else anywhere in the file. */
export function firstRead(workflow: WorkflowModel, name: string, prefix: readonly (string | number)[] = []): SecretRead | undefined {
  const reads = secretReads(workflow.file).filter((read) => sameSecret(read.name, name));
  return reads.find((read) => startsWithPath(read.path, prefix)) ?? reads[0];
}
