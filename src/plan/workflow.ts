import path from 'node:path';
import type { YamlFile, YamlPath } from '../project/yaml-file.js';
import type { TagFilter } from '../workflow/tag-filter.js';
import type { Sourced } from './expressions.js';

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
  index: number;
  /** The YAML path of the step, e.g. ['jobs', 'publish', 'steps', 3]. */
  path: YamlPath;
  name: string | undefined;
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
  /** matrix key → its literal values (include entries added; object values flattened to `key.sub`). */
  matrix: Map<string, string[]>;
  /** The same values with where each is written. */
  matrixSources: Map<string, Sourced[]>;
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
  releaseTypes: string[] | undefined;
  dispatchInputs: InputDeclaration[] | undefined;
  callInputs: InputDeclaration[] | undefined;
  callSecrets: SecretDeclaration[] | undefined;
}

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
 * matrix key → its values with their paths: the literal lists, plus `include` entries; an object
 * value `{name: a, path: b}` is also read as `key.name` and `key.path` (`${{ matrix.key.path }}`).
 */
function readMatrix(file: YamlFile, jobPath: YamlPath, matrix: Mapping): Map<string, Sourced[]> {
  const sources = new Map<string, Sourced[]>();
  const matrixPath = [...jobPath, 'strategy', 'matrix'];
  const add = (key: string, value: unknown, path: YamlPath): void => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, inner] of Object.entries(value as Mapping)) add(`${key}.${sub}`, inner, [...path, sub]);
      return;
    }
    const text = asString(value);
    if (text === undefined) return;
    const list = sources.get(key) ?? [];
    if (!list.some((entry) => entry.value === text)) list.push({ value: text, origin: { file, path } });
    sources.set(key, list);
  };
  for (const [key, values] of Object.entries(matrix)) {
    if (key === 'exclude') continue;
    if (key === 'include') {
      if (!Array.isArray(values)) continue;
      values.forEach((entry, index) => {
        for (const [name, value] of Object.entries(asMapping(entry))) add(name, value, [...matrixPath, 'include', index, name]);
      });
      continue;
    }
    if (Array.isArray(values)) values.forEach((value, index) => add(key, value, [...matrixPath, key, index]));
  }
  return sources;
}

function readJob(file: YamlFile, id: string, job: Mapping, workflowRunDefaults: Mapping): JobModel {
  const jobPath = ['jobs', id];
  const steps = Array.isArray(job.steps) ? job.steps : [];
  const matrixSources = readMatrix(file, jobPath, asMapping(asMapping(job.strategy).matrix));
  const matrix = new Map([...matrixSources].map(([key, values]) => [key, values.map((entry) => entry.value)]));
  return {
    id,
    path: jobPath,
    uses: asString(job.uses),
    with: asMapping(job.with),
    secrets: job.secrets === 'inherit' ? 'inherit' : job.secrets === undefined ? undefined : asMapping(job.secrets),
    steps: steps.map((step, index) => readStep([...jobPath, 'steps', index], index, asMapping(step))),
    if: asString(job.if),
    environment: job.environment,
    permissions: job.permissions,
    env: asMapping(job.env),
    defaultWorkingDirectory: asString(asMapping(asMapping(job.defaults).run)['working-directory']) ?? asString(workflowRunDefaults['working-directory']),
    matrix,
    matrixSources,
    needs: asStrings(job.needs),
    continueOnError: job['continue-on-error'],
  };
}

function readStep(stepPath: YamlPath, index: number, step: Mapping): StepModel {
  return {
    index,
    path: stepPath,
    name: asString(step.name),
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
