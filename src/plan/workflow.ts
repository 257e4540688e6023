import path from 'node:path';
import type { YamlFile, YamlPath } from '../project/yaml-file.js';
import type { TagFilter } from '../workflow/tag-filter.js';

export type Mapping = Record<string, unknown>;

export interface InputDeclaration {
  name: string;
  type: string | undefined;
  required: boolean;
  default: unknown;
  options: string[];
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
  /** matrix key → its literal values (include/exclude ignored). */
  matrix: Map<string, string[]>;
}

export interface Triggers {
  events: string[];
  /** How push events select tags; `none` when there is no push trigger. */
  pushTags: TagFilter;
  /** Where the tag patterns are written (for messages), and whether they are tags-ignore. */
  pushTagsPath: YamlPath | undefined;
  /** push with no filter at all: every branch and tag. */
  pushUnfiltered: boolean;
  releaseTypes: string[] | undefined;
  dispatchInputs: InputDeclaration[] | undefined;
  callInputs: InputDeclaration[] | undefined;
  callSecrets: { name: string; required: boolean }[] | undefined;
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
  const jobs = Object.entries(asMapping(data.jobs)).map(([id, job]) => readJob(id, asMapping(job), asMapping(asMapping(data.defaults).run)));
  return { file, name: path.posix.basename(file.path), triggers: readTriggers(data.on), jobs, env: asMapping(data.env), permissions: data.permissions };
}

function readTriggers(on: unknown): Triggers {
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? asStrings(on) : Object.keys(asMapping(on));
  const config = asMapping(on);
  const push = events.includes('push') ? asMapping(config.push) : undefined;
  let pushTags: TagFilter = { kind: 'none' };
  let pushTagsPath: YamlPath | undefined;
  let pushUnfiltered = false;
  if (push) {
    if (push.tags !== undefined) {
      pushTags = { kind: 'patterns', patterns: asStrings(push.tags) };
      pushTagsPath = ['on', 'push', 'tags'];
    } else if (push['tags-ignore'] !== undefined) {
      pushTags = { kind: 'ignore', patterns: asStrings(push['tags-ignore']) };
      pushTagsPath = ['on', 'push', 'tags-ignore'];
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
    pushUnfiltered,
    releaseTypes: release ? asStrings(release.types) : undefined,
    dispatchInputs: dispatch ? readInputs(dispatch.inputs) : undefined,
    callInputs: call ? readInputs(call.inputs) : undefined,
    callSecrets: call ? Object.entries(asMapping(call.secrets)).map(([name, spec]) => ({ name, required: asMapping(spec).required === true })) : undefined,
  };
}

function readInputs(inputs: unknown): InputDeclaration[] {
  return Object.entries(asMapping(inputs)).map(([name, spec]) => {
    const declaration = asMapping(spec);
    return { name, type: asString(declaration.type), required: declaration.required === true, default: declaration.default, options: asStrings(declaration.options) };
  });
}

function readJob(id: string, job: Mapping, workflowRunDefaults: Mapping): JobModel {
  const jobPath = ['jobs', id];
  const steps = Array.isArray(job.steps) ? job.steps : [];
  const matrix = new Map<string, string[]>();
  for (const [key, values] of Object.entries(asMapping(asMapping(job.strategy).matrix))) {
    if (key !== 'include' && key !== 'exclude' && Array.isArray(values)) matrix.set(key, asStrings(values));
  }
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
