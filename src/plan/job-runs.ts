/**
 * A workflow run as the plan imagines it for one event: every job that would run (local reusable
 * workflows expanded, to any depth, with the inputs their callers pass; one job run per matrix
 * leg), whether it runs (its `if:` and its `needs`, decided where the files decide it), and the
 * contexts its expressions read (`inputs`, `matrix`, `github`, `env`, `needs.<job>.outputs`).
 */
import type { Project } from '../project/project.js';
import type { YamlPath } from '../project/yaml-file.js';
import { decide, evaluate, parseExpression, type Candidate, type Candidates, type ContextLookup, type Decision, type Json } from '../workflow/expression.js';
import { localReusableTarget, type InputDeclaration, type JobModel, type MatrixLeg, type WorkflowModel } from '../workflow/model.js';
import { interpolate, type Origin } from '../workflow/values.js';
import { githubContext, type TriggerEvent } from './events.js';
import type { JobSteps } from './step-runs.js';

/** One workflow instance in a run: the entry workflow, or a reusable workflow a job calls. */
export interface Frame {
  workflow: WorkflowModel;
  /** The event that started the run. */
  event: TriggerEvent;
  /** Input name (lower case) → its values in this instance. */
  inputs: ReadonlyMap<string, Candidates>;
  /** The job (and leg) that called this workflow; undefined for the entry. */
  caller: JobRun | undefined;
  /** Runs of each job of this instance, by job id. */
  jobs: Map<string, JobRun[]>;
}

export interface JobRun {
  /** Unique in the run: the caller chain, the job id and the leg. */
  key: string;
  frame: Frame;
  workflow: WorkflowModel;
  job: JobModel;
  /** The matrix combination; undefined when the matrix is computed at run time. */
  leg: MatrixLeg | undefined;
  /** Whether the job runs in this scenario (its condition, its callers', and its needs). */
  runs: Decision;
  /** The contexts of the job's expressions, without `steps` (see StepRun.lookup). */
  lookup: ContextLookup;
  /** For a job that calls a reusable workflow: the called instance. */
  callee: Frame | undefined;
}

/** Everything the plan needs to know outside one workflow file. */
export interface RunContext {
  project: Project;
  workflowsByName: ReadonlyMap<string, WorkflowModel>;
  /** The steps of a job run, evaluated on first use (src/plan/step-runs.ts). */
  stepsOf(run: JobRun): JobSteps;
}

export interface WorkflowRun {
  entry: WorkflowModel;
  event: TriggerEvent;
  /** Every job run with steps, reusable workflows expanded. */
  jobs: JobRun[];
  context: RunContext;
}

/** Reusable workflows calling reusable workflows deeper than this are not followed (GitHub allows 4 levels). */
const MAX_CALL_DEPTH = 4;

export function expandRun(entry: WorkflowModel, event: TriggerEvent, context: RunContext): WorkflowRun {
  const jobs: JobRun[] = [];
  const inputs = entryInputs(entry, event);
  expandFrame({ workflow: entry, event, inputs, caller: undefined, jobs: new Map() }, context, jobs, 0);
  return { entry, event, jobs, context };
}

/** Inputs of the entry workflow: a dispatch's chosen or default values; null on other events. */
function entryInputs(workflow: WorkflowModel, event: TriggerEvent): Map<string, Candidates> {
  const inputs = new Map<string, Candidates>();
  for (const input of workflow.triggers.dispatchInputs ?? []) {
    const origin: Origin = { file: workflow.file, path: input.path };
    if (event.kind !== 'dispatch') {
      inputs.set(input.name.toLowerCase(), [{ value: null, origin }]);
      continue;
    }
    const chosen = event.inputs?.get(input.name);
    if (chosen === null) {
      inputs.set(input.name.toLowerCase(), undefined);
    } else if (chosen !== undefined) {
      // A choice's own line; a value typed in a free-text input shows where its default is (the package directory beside it).
      const index = input.options.indexOf(String(chosen));
      const at = index >= 0 ? [...input.path, 'options', index] : input.default !== undefined ? [...input.path, 'default'] : input.path;
      inputs.set(input.name.toLowerCase(), [{ value: chosen, origin: { file: workflow.file, path: at } }]);
    } else {
      inputs.set(input.name.toLowerCase(), declaredValue(input, origin));
    }
  }
  return inputs;
}

/**
 * What an input holds when nobody chose it: its default for a choice or string input (what a
 * person running the workflow most often keeps); unknown for a boolean (both are plausible) or an
 * input without a default.
 */
function declaredValue(input: InputDeclaration, origin: Origin): Candidates {
  if (input.type === 'boolean' || input.default === undefined) return undefined;
  return [{ value: input.default as Json, origin: { ...origin, path: [...input.path, 'default'] } }];
}

function expandFrame(frame: Frame, context: RunContext, out: JobRun[], depth: number): void {
  const prefix = frame.caller ? `${frame.caller.key}/` : '';
  for (const job of orderByNeeds(frame.workflow.jobs)) {
    const legs = job.legs ?? [undefined];
    const runs: JobRun[] = [];
    legs.forEach((leg, index) => {
      const run: JobRun = {
        key: `${prefix}${frame.workflow.name}:${job.id}${legs.length > 1 || !job.legs ? `[${index}]` : ''}`,
        frame,
        workflow: frame.workflow,
        job,
        leg,
        runs: undefined,
        lookup: () => undefined,
        callee: undefined,
      };
      run.lookup = jobLookup(run, context);
      run.runs = jobDecision(run);
      runs.push(run);
    });
    frame.jobs.set(job.id, runs);
    const target = localReusableTarget(job.uses, context.project.repository);
    for (const run of runs) {
      if (!target) {
        if (job.uses === undefined) out.push(run);
        continue;
      }
      const callee = context.workflowsByName.get(target);
      if (!callee || depth >= MAX_CALL_DEPTH) continue;
      run.callee = { workflow: callee, event: frame.event, inputs: calleeInputs(run, callee), caller: run, jobs: new Map() };
      expandFrame(run.callee, context, out, depth + 1);
    }
  }
}

/** Jobs in an order where every job comes after the jobs it needs (unknown needs are ignored). */
function orderByNeeds(jobs: readonly JobModel[]): JobModel[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const ordered: JobModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (job: JobModel): void => {
    if (state.get(job.id)) return;
    state.set(job.id, 'visiting');
    for (const need of job.needs) {
      const needed = byId.get(need);
      if (needed && !state.get(need)) visit(needed);
    }
    state.set(job.id, 'done');
    ordered.push(job);
  };
  for (const job of jobs) visit(job);
  return ordered;
}

/** A reusable workflow's inputs: what the calling job passes in `with:`, else the declared default. */
function calleeInputs(caller: JobRun, callee: WorkflowModel): Map<string, Candidates> {
  const inputs = new Map<string, Candidates>();
  const passed = new Map(Object.entries(caller.job.with).map(([name, value]) => [name.toLowerCase(), { name, value }]));
  for (const input of callee.triggers.callInputs ?? []) {
    const given = passed.get(input.name.toLowerCase());
    if (given !== undefined) {
      const origin: Origin = { file: caller.workflow.file, path: [...caller.job.path, 'with', given.name] };
      inputs.set(input.name.toLowerCase(), valueOf(given.value, caller.lookup, origin));
    } else {
      inputs.set(input.name.toLowerCase(), input.default === undefined ? [{ value: null }] : [{ value: input.default as Json, origin: { file: callee.file, path: [...input.path, 'default'] } }]);
    }
  }
  return inputs;
}

/** The values of a YAML value: a string with `${{ }}` is evaluated (a lone expression keeps its type). */
export function valueOf(value: unknown, lookup: ContextLookup, origin: Origin): Candidates {
  if (typeof value !== 'string') return [{ value: (value ?? null) as Json, origin }];
  const lone = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (lone && !lone[1]!.includes('}}')) {
    const parsed = parseExpression(lone[1]!);
    const values = parsed && evaluate(parsed, lookup);
    return values?.map((candidate) => ({ value: candidate.value, origin: candidate.origin ?? origin }));
  }
  return interpolate(value, lookup, origin)?.map((entry) => ({ value: entry.value, origin: entry.origin }));
}

/**
 * A job runs when its condition holds and (unless the condition reads a status such as always())
 * every job it needs ran; a job of a called workflow also needs its caller to run.
 */
function jobDecision(run: JobRun): Decision {
  const condition = run.job.if;
  const own = decide(condition, run.lookup);
  const ignoresNeeds = condition !== undefined && /\b(?:always|cancelled|failure)\s*\(/.test(condition);
  const needed = ignoresNeeds ? [true as Decision] : run.job.needs.map((id) => anyRuns(run.frame.jobs.get(id)));
  const caller = run.frame.caller?.runs ?? true;
  return all([own, caller, ...needed]);
}

function anyRuns(runs: JobRun[] | undefined): Decision {
  if (!runs || runs.length === 0) return undefined;
  if (runs.some((run) => run.runs === true)) return true;
  return runs.every((run) => run.runs === false) ? false : undefined;
}

function all(decisions: Decision[]): Decision {
  if (decisions.some((decision) => decision === false)) return false;
  return decisions.every((decision) => decision === true) ? true : undefined;
}

/** The contexts a job's expressions read. */
function jobLookup(run: JobRun, context: RunContext): ContextLookup {
  const { frame, job, workflow } = run;
  const { event } = frame;
  const envCache = new Map<string, Candidates>();
  const lookup: ContextLookup = (path) => {
    const [head, ...rest] = path;
    switch (head?.toLowerCase()) {
      case 'inputs':
        return rest.length === 1 ? (frame.inputs.get(rest[0]!.toLowerCase()) ?? undefined) : undefined;
      case 'matrix':
        return matrixValue(run.leg, rest);
      case 'github':
        if (rest[0]?.toLowerCase() === 'event' && rest[1]?.toLowerCase() === 'inputs' && rest.length === 3) {
          return event.kind === 'dispatch' ? frame.inputs.get(rest[2]!.toLowerCase())?.map((candidate) => ({ ...candidate, value: candidate.value === null ? '' : String(candidate.value) })) : [{ value: null }];
        }
        return githubContext(event, context.project.repository, rest);
      case 'env': {
        if (rest.length !== 1) return undefined;
        const name = rest[0]!;
        if (!envCache.has(name)) {
          envCache.set(name, undefined);
          const [value, where] = job.env[name] !== undefined ? [job.env[name], [...job.path, 'env', name]] : [workflow.env[name], ['env', name]];
          envCache.set(name, value === undefined ? undefined : valueOf(value, lookup, { file: workflow.file, path: where as YamlPath }));
        }
        return envCache.get(name);
      }
      case 'needs':
        return needsValue(run, rest, context);
      default:
        return undefined;
    }
  };
  return lookup;
}

function matrixValue(leg: MatrixLeg | undefined, path: readonly string[]): Candidates {
  if (!leg || path.length === 0) return undefined;
  const entry = [...leg].find(([key]) => key.toLowerCase() === path[0]!.toLowerCase())?.[1];
  if (!entry) return [{ value: null }];
  let value: Json = entry.value;
  for (const key of path.slice(1)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [{ value: null }];
    const found = Object.keys(value).find((name) => name.toLowerCase() === key.toLowerCase());
    value = found === undefined ? null : (value as Record<string, Json>)[found]!;
  }
  return [{ value, origin: entry.origin }];
}

/** `needs.<job>.outputs.<name>` and `needs.<job>.result`. */
function needsValue(run: JobRun, path: readonly string[], context: RunContext): Candidates {
  const [id, kind, name] = path;
  if (!id || !run.job.needs.some((need) => need.toLowerCase() === id.toLowerCase())) return undefined;
  const runs = [...run.frame.jobs].find(([jobId]) => jobId.toLowerCase() === id.toLowerCase())?.[1];
  if (!runs || runs.length === 0) return undefined;
  if (kind === 'result' && path.length === 2) {
    const decision = anyRuns(runs);
    return decision === undefined ? undefined : [{ value: decision ? 'success' : 'skipped' }];
  }
  if (kind !== 'outputs' || name === undefined || path.length !== 3) return undefined;
  const values: Candidate[] = [];
  for (const needed of runs) {
    const output = jobOutput(needed, name, context);
    if (!output) return undefined;
    values.push(...output);
  }
  return values;
}

/** A job's output: its `outputs:` expression over its steps, or a called workflow's declared output. */
export function jobOutput(run: JobRun, name: string, context: RunContext): Candidates {
  if (run.callee) return calleeOutput(run.callee, name, context);
  const key = Object.keys(run.job.outputs).find((output) => output.toLowerCase() === name.toLowerCase());
  if (key === undefined) return [{ value: '' }];
  return valueOf(run.job.outputs[key], context.stepsOf(run).final, { file: run.workflow.file, path: [...run.job.path, 'outputs', key] });
}

/** `on.workflow_call.outputs.<name>.value`, which reads `jobs.<id>.outputs.<x>` of the called workflow. */
function calleeOutput(frame: Frame, name: string, context: RunContext): Candidates {
  const outputs = frame.workflow.file.get(['on', 'workflow_call', 'outputs']);
  if (!outputs || typeof outputs !== 'object') return undefined;
  const key = Object.keys(outputs).find((output) => output.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : (outputs as Record<string, { value?: unknown }>)[key]?.value;
  if (value === undefined) return [{ value: '' }];
  const lookup: ContextLookup = (path) => {
    const [head, id, kind, output] = path;
    if (head?.toLowerCase() !== 'jobs' || !id || kind !== 'outputs' || !output) return undefined;
    const runs = frame.jobs.get(id);
    if (!runs) return undefined;
    const values: Candidate[] = [];
    for (const run of runs) {
      const found = jobOutput(run, output, context);
      if (!found) return undefined;
      values.push(...found);
    }
    return values;
  };
  return valueOf(value, lookup, { file: frame.workflow.file, path: ['on', 'workflow_call', 'outputs', key!, 'value'] });
}
