/**
 * A typed view of a workflow file and of a local composite action: triggers, jobs, steps and
 * matrix legs, each with its YAML path (for messages). What rules and the release plan read.
 */
import path from 'node:path';
import type { YamlFile, YamlPath } from '../project/yaml-file.js';
import type { Json } from './expression.js';
import type { TagFilter } from './tag-filter.js';
import type { Origin } from './values.js';

export type Mapping = Record<string, unknown>;

export interface InputDeclaration {
  name: string;
  type: string | undefined;
  required: boolean;
  default: unknown;
  options: string[];
  /** The declaration's YAML path, e.g. ['on', 'workflow_call', 'inputs', 'dry-run']. */
  path: YamlPath;
}

export interface SecretDeclaration {
  name: string;
  required: boolean;
  path: YamlPath;
}

/** One `on.push.tags` / `tags-ignore` entry and where it is written. */
export interface TagPatternEntry {
  pattern: string;
  path: YamlPath;
}

export interface StepModel {
  /** The file the step is written in: the workflow, or a composite action's action.yml. */
  file: YamlFile;
  index: number;
  /** The YAML path of the step, e.g. ['jobs', 'publish', 'steps', 3]. */
  path: YamlPath;
  name: string | undefined;
  /** The step's `id:` (for `steps.<id>.outputs`). */
  id: string | undefined;
  uses: string | undefined;
  run: string | undefined;
  with: Mapping;
  env: Mapping;
  workingDirectory: string | undefined;
  if: string | undefined;
  continueOnError: unknown;
}

export interface JobModel {
  id: string;
  path: YamlPath;
  /** A reusable workflow call (`uses: ./.github/workflows/x.yml`). */
  uses: string | undefined;
  with: Mapping;
  /** `secrets: inherit`, or the secrets passed to a reusable workflow. */
  secrets: 'inherit' | Mapping | undefined;
  steps: StepModel[];
  if: string | undefined;
  environment: unknown;
  permissions: unknown;
  env: Mapping;
  defaultWorkingDirectory: string | undefined;
  /** The matrix combinations the job runs (one empty leg without a matrix); undefined when an expression computes them. */
  legs: MatrixLeg[] | undefined;
  /** `outputs:` of the job (name → expression text). */
  outputs: Mapping;
  runsOn: unknown;
  /** `needs:` job ids. */
  needs: string[];
  continueOnError: unknown;
}

export interface Triggers {
  events: string[];
  /** How push events select tags; `none` when there is no push trigger. */
  pushTags: TagFilter;
  /** Where the tag patterns are written (for messages), and whether they are tags-ignore. */
  pushTagsPath: YamlPath | undefined;
  /** Each pattern of `pushTags` with its own path. */
  pushTagPatterns: TagPatternEntry[];
  /** push with no filter at all: every branch and tag. */
  pushUnfiltered: boolean;
  /** push runs for branch pushes (a branches filter, or no filter at all). */
  pushBranches: boolean;
  /** `on.push.branches` patterns ([] without a branches filter). */
  pushBranchPatterns: string[];
  releaseTypes: string[] | undefined;
  dispatchInputs: InputDeclaration[] | undefined;
  callInputs: InputDeclaration[] | undefined;
  callSecrets: SecretDeclaration[] | undefined;
}

/** One matrix combination: key → value (a scalar, or an object for `matrix.key.sub`) and where it is written. */
export type MatrixLeg = Map<string, { value: Json; origin: Origin }>;

/** One step in its job and workflow (an upload, a build). */
export interface StepSite {
  workflow: WorkflowModel;
  job: JobModel;
  step: StepModel;
}

/** A typed view over one workflow file: what rules and the release plan read. */
export interface WorkflowModel {
  file: YamlFile;
  /** The file name, e.g. publish-hf-local.yml. */
  name: string;
  triggers: Triggers;
  jobs: JobModel[];
  env: Mapping;
  permissions: unknown;
}

const asMapping = (value: unknown): Mapping => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Mapping) : {});
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.map(asString).filter((item): item is string => item !== undefined) : typeof value === 'string' ? [value] : []);

export function readWorkflow(file: YamlFile): WorkflowModel {
  const data = asMapping(file.data);
  const jobs = Object.entries(asMapping(data.jobs)).map(([id, job]) => readJob(file, id, asMapping(job), asMapping(asMapping(data.defaults).run)));
  return { file, name: path.posix.basename(file.path), triggers: readTriggers(data.on), jobs, env: asMapping(data.env), permissions: data.permissions };
}

function readTriggers(on: unknown): Triggers {
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? asStrings(on) : Object.keys(asMapping(on));
  const config = asMapping(on);
  const push = events.includes('push') ? asMapping(config.push) : undefined;
  let pushTags: TagFilter = { kind: 'none' };
  let pushTagsPath: YamlPath | undefined;
  let pushTagPatterns: TagPatternEntry[] = [];
  let pushUnfiltered = false;
  if (push) {
    const key = push.tags !== undefined ? 'tags' : push['tags-ignore'] !== undefined ? 'tags-ignore' : undefined;
    if (key) {
      pushTagsPath = ['on', 'push', key];
      pushTagPatterns = patternEntries(push[key], pushTagsPath);
      pushTags = { kind: key === 'tags' ? 'patterns' : 'ignore', patterns: pushTagPatterns.map((entry) => entry.pattern) };
    } else if (push.branches === undefined && push['branches-ignore'] === undefined) {
      pushTags = { kind: 'all' };
      pushUnfiltered = true;
    }
  }
  const release = events.includes('release') ? asMapping(config.release) : undefined;
  const call = events.includes('workflow_call') ? asMapping(config.workflow_call) : undefined;
  const dispatch = events.includes('workflow_dispatch') ? asMapping(config.workflow_dispatch) : undefined;
  return {
    events,
    pushTags,
    pushTagsPath,
    pushTagPatterns,
    pushUnfiltered,
    pushBranches: push !== undefined && (pushUnfiltered || push.branches !== undefined || push['branches-ignore'] !== undefined),
    pushBranchPatterns: push ? asStrings(push.branches) : [],
    releaseTypes: release ? asStrings(release.types) : undefined,
    dispatchInputs: dispatch ? readInputs(dispatch.inputs, ['on', 'workflow_dispatch', 'inputs']) : undefined,
    callInputs: call ? readInputs(call.inputs, ['on', 'workflow_call', 'inputs']) : undefined,
    callSecrets: call
      ? Object.entries(asMapping(call.secrets)).map(([name, spec]) => ({ name, required: asMapping(spec).required === true, path: ['on', 'workflow_call', 'secrets', name] }))
      : undefined,
  };
}

/** A pattern list (or a single pattern string) with the path of each entry. */
function patternEntries(value: unknown, listPath: YamlPath): TagPatternEntry[] {
  if (typeof value === 'string') return [{ pattern: value, path: listPath }];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index) => {
    const pattern = asString(item);
    return pattern === undefined ? [] : [{ pattern, path: [...listPath, index] }];
  });
}

function readInputs(inputs: unknown, inputsPath: YamlPath): InputDeclaration[] {
  return Object.entries(asMapping(inputs)).map(([name, spec]) => {
    const declaration = asMapping(spec);
    return {
      name,
      type: asString(declaration.type),
      required: declaration.required === true,
      default: declaration.default,
      options: asStrings(declaration.options),
      path: [...inputsPath, name],
    };
  });
}

/**
 * The matrix combinations, as GitHub forms them: the product of the listed keys, minus `exclude`
 * entries, then each `include` entry added to every combination whose listed values it does not
 * overwrite, or as a combination of its own. Undefined when the matrix or a key's list is an
 * expression (`${{ fromJSON(needs.plan.outputs.packages) }}`).
 */
function readLegs(file: YamlFile, jobPath: YamlPath, strategy: Mapping): MatrixLeg[] | undefined {
  const matrix = strategy.matrix;
  if (matrix === undefined) return [new Map()];
  if (!matrix || typeof matrix !== 'object' || Array.isArray(matrix)) return undefined;
  const matrixPath = [...jobPath, 'strategy', 'matrix'];
  let legs: MatrixLeg[] = [new Map()];
  const baseKeys: string[] = [];
  for (const [key, values] of Object.entries(matrix as Mapping)) {
    if (key === 'include' || key === 'exclude') continue;
    if (!Array.isArray(values)) return undefined;
    baseKeys.push(key);
    legs = legs.flatMap((leg) => values.map((value, index) => new Map([...leg, [key, { value: value as Json, origin: { file, path: [...matrixPath, key, index] } }]])));
  }
  const matches = (leg: MatrixLeg, entry: Mapping, keys: string[]): boolean => keys.every((key) => JSON.stringify(leg.get(key)?.value) === JSON.stringify(entry[key]));
  const { include, exclude } = matrix as Mapping;
  if ((include !== undefined && !Array.isArray(include)) || (exclude !== undefined && !Array.isArray(exclude))) return undefined;
  if (Array.isArray(exclude)) {
    for (const entry of exclude.map(asMapping)) legs = legs.filter((leg) => !matches(leg, entry, Object.keys(entry)));
  }
  if (baseKeys.length === 0) legs = [];
  if (Array.isArray(include)) {
    const original = legs.map((leg) => new Map(leg));
    include.forEach((raw, index) => {
      const entry = asMapping(raw);
      const values = (leg: MatrixLeg): MatrixLeg => {
        const extended = new Map(leg);
        for (const [key, value] of Object.entries(entry)) extended.set(key, { value: value as Json, origin: { file, path: [...matrixPath, 'include', index, key] } });
        return extended;
      };
      const baseOverlap = Object.keys(entry).filter((key) => baseKeys.includes(key));
      let added = false;
      legs = legs.map((leg, position) => {
        // Include entries extend the product's combinations, never ones an earlier entry added.
        if (position >= original.length || !matches(original[position]!, entry, baseOverlap)) return leg;
        added = true;
        return values(leg);
      });
      if (!added) legs.push(values(new Map()));
    });
  }
  return legs.length > 0 ? legs : [new Map()];
}

function readJob(file: YamlFile, id: string, job: Mapping, workflowRunDefaults: Mapping): JobModel {
  const jobPath = ['jobs', id];
  const steps = Array.isArray(job.steps) ? job.steps : [];
  return {
    id,
    path: jobPath,
    uses: asString(job.uses),
    with: asMapping(job.with),
    secrets: job.secrets === 'inherit' ? 'inherit' : job.secrets === undefined ? undefined : asMapping(job.secrets),
    steps: steps.map((step, index) => readStep(file, [...jobPath, 'steps', index], index, asMapping(step))),
    if: asString(job.if),
    environment: job.environment,
    permissions: job.permissions,
    env: asMapping(job.env),
    defaultWorkingDirectory: asString(asMapping(asMapping(job.defaults).run)['working-directory']) ?? asString(workflowRunDefaults['working-directory']),
    legs: readLegs(file, jobPath, asMapping(job.strategy)),
    outputs: asMapping(job.outputs),
    runsOn: job['runs-on'],
    needs: asStrings(job.needs),
    continueOnError: job['continue-on-error'],
  };
}

function readStep(file: YamlFile, stepPath: YamlPath, index: number, step: Mapping): StepModel {
  return {
    file,
    index,
    path: stepPath,
    name: asString(step.name),
    id: asString(step.id),
    uses: asString(step.uses),
    run: asString(step.run),
    with: asMapping(step.with),
    env: asMapping(step.env),
    workingDirectory: asString(step['working-directory']),
    if: asString(step.if),
    continueOnError: step['continue-on-error'],
  };
}

/** The workflow file a job's `uses:` calls in this repository, or undefined for a remote one. */
export function localReusableTarget(uses: string | undefined, repository: { owner: string; name: string } | undefined): string | undefined {
  if (!uses) return undefined;
  const local = /^(?:\.\/|\$\/)\.github\/workflows\/([^@/]+\.ya?ml)(?:@.*)?$/.exec(uses);
  if (local) return local[1];
  const remote = /^([^/]+)\/([^/]+)\/\.github\/workflows\/([^@/]+\.ya?ml)@/.exec(uses);
  if (remote && repository && remote[1]!.toLowerCase() === repository.owner.toLowerCase() && remote[2]!.toLowerCase() === repository.name.toLowerCase()) return remote[3];
  return undefined;
}

/** The jobs `job` needs, directly or transitively, nearest first. */
export function neededJobs(workflow: WorkflowModel, job: JobModel): JobModel[] {
  const found: JobModel[] = [];
  const seen = new Set([job.id]);
  const queue = [...job.needs];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const needed = workflow.jobs.find((candidate) => candidate.id === id);
    if (!needed) continue;
    found.push(needed);
    queue.push(...needed.needs);
  }
  return found;
}

/** A local composite action (`uses: ./path`): its inputs and the steps it runs in the calling job. */
export interface ActionModel {
  file: YamlFile;
  /** The action's directory, repo-relative (what `uses: ./DIR` names). */
  dir: string;
  composite: boolean;
  inputs: InputDeclaration[];
  steps: StepModel[];
  /** `outputs:` name → the `value:` expression text. */
  outputs: Mapping;
}

export function readAction(file: YamlFile): ActionModel {
  const data = asMapping(file.data);
  const runs = asMapping(data.runs);
  const steps = Array.isArray(runs.steps) ? runs.steps : [];
  const outputs = Object.fromEntries(Object.entries(asMapping(data.outputs)).map(([name, spec]) => [name, asMapping(spec).value]));
  return {
    file,
    dir: path.posix.dirname(file.path),
    composite: runs.using === 'composite',
    inputs: readInputs(data.inputs, ['inputs']),
    steps: steps.map((step, index) => readStep(file, ['runs', 'steps', index], index, asMapping(step))),
    outputs,
  };
}

/** The repo directory a step's `uses: ./DIR` names, for a local action; undefined otherwise. */
export function localActionDirectory(uses: string | undefined): string | undefined {
  if (!uses?.startsWith('./') || /\.github\/workflows\/[^/]+\.ya?ml/.test(uses)) return undefined;
  const directory = path.posix.normalize(uses.replace(/@.*$/, '')).replace(/\/+$/, '');
  return directory === '.' || directory.startsWith('..') ? undefined : directory;
}
