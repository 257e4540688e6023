/**
 * The steps of a job run, in order, as they would run: local composite actions expanded into
 * their steps, each step's working directory and environment, the commands of its `run:` script
 * (and of the repository scripts it calls, followed), the outputs it writes, and the contexts of
 * the next steps (`steps.<id>.outputs`, variables written to $GITHUB_ENV).
 */
import path from 'node:path';
import { SourceFile } from '../project/source-file.js';
import type { YamlFile } from '../project/yaml-file.js';
import { decide, evaluate, parseExpression, type Candidates, type ContextLookup, type Decision, type Json } from '../workflow/expression.js';
import { localActionDirectory, readAction, type ActionModel, type StepModel } from '../workflow/model.js';
import { traceShell, type ShellTrace, type ShellValue } from '../workflow/shell.js';
import type { Origin } from '../workflow/values.js';
import { runnerVariables, WORKSPACE } from './events.js';
import type { Evidence } from './evidence.js';
import { valueOf, type JobRun, type RunContext } from './job-runs.js';
import { normalizeRunPath, resolveRunPath } from './paths.js';

/** A path a run uses: repo-relative (see paths.ts), with where it comes from; undefined when unknown. */
export type PathValue = ShellValue<Origin> | undefined;

/** One simple command a `run:` script (or a script it calls) runs. */
export interface CommandRun {
  words: (ShellValue<Origin> | undefined)[];
  /** The directory it runs in. */
  cwd: PathValue;
  evidence: Evidence;
  /** A repository script the plan followed: its commands come right after this one. */
  followed: boolean;
}

export interface StepRun {
  step: StepModel;
  /** The `uses: ./action` steps this step runs inside, outermost first. */
  via: StepModel[];
  runs: Decision;
  /** The step's working directory. */
  cwd: PathValue;
  /** The contexts during the step (steps' outputs so far, env, inputs of the action it is in). */
  lookup: ContextLookup;
  /** Environment variables the step sees (workflow, job and step `env:`, $GITHUB_ENV writes). */
  env: ReadonlyMap<string, ShellValue<Origin> | undefined>;
  commands: CommandRun[];
  /** A `with:` value of the step, evaluated. */
  input(name: string): Candidates;
}

export interface JobSteps {
  steps: StepRun[];
  /** The contexts after the last step: what the job's `outputs:` read. */
  final: ContextLookup;
}

/** Local actions inside local actions, and scripts calling scripts, are followed this deep. */
const MAX_NESTING = 4;

/** Commands that run a file given as their first argument. */
const SCRIPT_RUNNERS = new Set(['bash', 'sh', 'source', '.', 'zsh']);

interface Scope {
  run: JobRun;
  context: RunContext;
  /** The runner's variables and the workflow's and job's `env:`, evaluated once for the job. */
  jobEnvironment: ReadonlyMap<string, ShellValue<Origin> | undefined>;
  /** Outputs of the steps so far, by step id (lower case). */
  outputs: Map<string, Map<string, ShellValue<Origin> | undefined>>;
  /** $GITHUB_ENV writes so far: they apply to every later step of the job. */
  exported: Map<string, ShellValue<Origin> | undefined>;
  /** Inside a composite action: its inputs. */
  actionInputs: Map<string, Candidates> | undefined;
  via: StepModel[];
}

export function evaluateSteps(run: JobRun, context: RunContext): JobSteps {
  const scope: Scope = { run, context, jobEnvironment: jobEnvironment(run, context), outputs: new Map(), exported: new Map(), actionInputs: undefined, via: [] };
  const steps: StepRun[] = [];
  runStepList(run.job.steps, scope, steps);
  return { steps, final: scopeLookup(scope, undefined) };
}

function runStepList(list: readonly StepModel[], scope: Scope, out: StepRun[]): void {
  for (const step of list) {
    const lookup = scopeLookup(scope, step);
    const runs = decide(step.if, lookup);
    const env = environment(scope, step, lookup);
    const cwd = workingDirectory(scope, step, lookup);
    const stepRun: StepRun = {
      step,
      via: scope.via,
      runs,
      cwd,
      lookup,
      env,
      commands: [],
      input: (name) => {
        const key = Object.keys(step.with).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
        return key === undefined ? [{ value: null }] : valueOf(step.with[key], lookup, { file: step.file, path: [...step.path, 'with', key] });
      },
    };
    out.push(stepRun);
    if (step.run !== undefined) {
      const trace = runScript(step.run, stepRun, scope, { file: step.file, path: [...step.path, 'run'] }, 0);
      if (step.id) scope.outputs.set(step.id.toLowerCase(), trace.outputs);
      for (const [name, value] of trace.env) scope.exported.set(name, value);
      continue;
    }
    const action = localAction(scope, step);
    if (action?.composite && scope.via.length < MAX_NESTING) {
      const inner: Scope = { ...scope, outputs: new Map(), actionInputs: actionInputs(action, stepRun), via: [...scope.via, step] };
      runStepList(action.steps, inner, out);
      if (step.id) scope.outputs.set(step.id.toLowerCase(), actionOutputs(action, scopeLookup(inner, undefined)));
    }
  }
}

function localAction(scope: Scope, step: StepModel): ActionModel | undefined {
  const directory = localActionDirectory(step.uses);
  if (!directory) return undefined;
  const file = scope.context.project.actions.find((candidate) => path.posix.dirname(candidate.path) === directory && candidate.parseError === undefined);
  return file && readAction(file);
}

function actionInputs(action: ActionModel, stepRun: StepRun): Map<string, Candidates> {
  const inputs = new Map<string, Candidates>();
  for (const input of action.inputs) {
    const given = Object.keys(stepRun.step.with).some((name) => name.toLowerCase() === input.name.toLowerCase());
    inputs.set(
      input.name.toLowerCase(),
      given ? stepRun.input(input.name) : input.default === undefined ? [{ value: '' }] : [{ value: input.default as Json, origin: { file: action.file, path: [...input.path, 'default'] } }],
    );
  }
  return inputs;
}

function actionOutputs(action: ActionModel, lookup: ContextLookup): Map<string, ShellValue<Origin> | undefined> {
  const outputs = new Map<string, ShellValue<Origin> | undefined>();
  for (const [name, value] of Object.entries(action.outputs)) {
    const values = valueOf(value, lookup, { file: action.file, path: ['outputs', name, 'value'] });
    outputs.set(name, single(values));
  }
  return outputs;
}

/** The contexts of a step: the job's, plus `steps`, `env` (with the step's own) and an action's `inputs`. */
function scopeLookup(scope: Scope, step: StepModel | undefined): ContextLookup {
  return (contextPath) => {
    const [head, ...rest] = contextPath;
    const name = head?.toLowerCase();
    if (name === 'steps') {
      const [id, kind, output] = rest;
      if (!id || kind?.toLowerCase() !== 'outputs' || output === undefined) return undefined;
      const outputs = scope.outputs.get(id.toLowerCase());
      if (!outputs) return undefined;
      const value = outputs.get(output) ?? [...outputs].find(([key]) => key.toLowerCase() === output.toLowerCase())?.[1];
      return value ? [{ value: value.value, origin: value.origin }] : undefined;
    }
    if (name === 'inputs' && scope.actionInputs) return rest.length === 1 ? scope.actionInputs.get(rest[0]!.toLowerCase()) : undefined;
    if (name === 'env' && rest.length === 1) {
      const key = rest[0]!;
      if (step?.env[key] !== undefined) return valueOf(step.env[key], scope.run.lookup, { file: step.file, path: [...step.path, 'env', key] });
      const exported = scope.exported.get(key);
      if (exported) return [{ value: exported.value, origin: exported.origin }];
    }
    return scope.run.lookup(contextPath);
  };
}

/** The runner's GITHUB_* variables, then the workflow's and the job's `env:`. */
function jobEnvironment(run: JobRun, context: RunContext): Map<string, ShellValue<Origin> | undefined> {
  const variables = new Map<string, ShellValue<Origin> | undefined>();
  for (const [name, value] of runnerVariables(run.frame.event, context.project.repository)) variables.set(name, value === undefined ? undefined : { value });
  const layers: [Record<string, unknown>, YamlFile, (string | number)[]][] = [
    [run.workflow.env, run.workflow.file, ['env']],
    [run.job.env, run.workflow.file, [...run.job.path, 'env']],
  ];
  for (const [env, file, where] of layers) for (const [name, value] of Object.entries(env)) variables.set(name, single(valueOf(value, run.lookup, { file, path: [...where, name] })));
  return variables;
}

/** The step's variables: the job's, then $GITHUB_ENV writes of earlier steps, then the step's own `env:`. */
function environment(scope: Scope, step: StepModel, lookup: ContextLookup): Map<string, ShellValue<Origin> | undefined> {
  const variables = new Map(scope.jobEnvironment);
  for (const [name, value] of scope.exported) variables.set(name, value);
  for (const [name, value] of Object.entries(step.env)) variables.set(name, single(valueOf(value, lookup, { file: step.file, path: [...step.path, 'env', name] })));
  return variables;
}

/** A run step's working directory: its own, else the job's (or workflow's) `defaults.run`, else the checkout root. */
function workingDirectory(scope: Scope, step: StepModel, lookup: ContextLookup): PathValue {
  // `working-directory` and `defaults.run` are for run steps: an action's paths start at the workspace root.
  if (step.run === undefined) return { value: '.' };
  if (step.workingDirectory !== undefined) return pathValue(valueOf(step.workingDirectory, lookup, { file: step.file, path: [...step.path, 'working-directory'] }));
  const job = scope.run.job;
  // Job and workflow `defaults.run` apply to the job's own run steps, not to those of an action.
  if (job.defaultWorkingDirectory !== undefined && scope.via.length === 0) {
    const file = scope.run.workflow.file;
    const jobDefault = [...job.path, 'defaults', 'run', 'working-directory'];
    const where = file.get(jobDefault) !== undefined ? jobDefault : ['defaults', 'run', 'working-directory'];
    return pathValue(valueOf(job.defaultWorkingDirectory, scope.run.lookup, { file, path: where }));
  }
  return { value: '.' };
}

function pathValue(values: Candidates): PathValue {
  const value = single(values);
  return value && { value: normalizeRunPath(value.value), origin: value.origin };
}

/** The one value of a list of candidates, as text; undefined when unknown or ambiguous. */
export function single(values: Candidates): ShellValue<Origin> | undefined {
  if (!values || values.length !== 1) return undefined;
  const [candidate] = values;
  const value = candidate!.value;
  return { value: value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value), origin: candidate!.origin };
}

/**
 * Traces a script and records its commands on the step; a command that runs a shell script of the
 * repository (`./scripts/build`, `bash release.sh`) is followed into that script.
 */
function runScript(script: string, stepRun: StepRun, scope: Scope, where: { file: YamlFile | SourceFile; path?: (string | number)[]; offset?: number }, depth: number, positional: PathValue[] = [], scriptPath?: string): ShellTrace<Origin> {
  const variables = new Map(stepRun.env);
  if (scriptPath !== undefined) variables.set('0', { value: scriptPath });
  const baseCwd = stepRun.cwd;
  const trace = traceShell<Origin>(script, {
    variables,
    positional,
    expression: (source) => {
      const parsed = parseExpression(source);
      return single(parsed ? evaluate(parsed, stepRun.lookup) : undefined);
    },
    substitution: (command, cwd) => substitute(command, scriptPath, baseCwd, cwd),
  });
  for (const command of trace.commands) {
    const cwd = joinCwd(baseCwd, command.cwd);
    const text = script.slice(command.start, command.end).split('\n')[0]!;
    const evidence: Evidence = where.path ? { file: where.file, path: where.path, text } : { file: where.file, offset: (where.offset ?? 0) + command.start };
    const commandRun: CommandRun = { words: command.words, cwd, evidence, followed: false };
    stepRun.commands.push(commandRun);
    if (depth < MAX_NESTING) commandRun.followed = followScript(command.words, cwd, stepRun, scope, depth);
  }
  return trace;
}

/** `./scripts/build`, `bash scripts/release.sh ARGS`: the script's own commands run in the same step. */
function followScript(words: (ShellValue<Origin> | undefined)[], cwd: PathValue, stepRun: StepRun, scope: Scope, depth: number): boolean {
  const first = words[0]?.value;
  if (first === undefined || !cwd) return false;
  const [fileWord, args] = SCRIPT_RUNNERS.has(first) ? [words[1]?.value, words.slice(2)] : [first, words.slice(1)];
  if (fileWord === undefined || (!SCRIPT_RUNNERS.has(first) && !fileWord.includes('/'))) return false;
  const file = resolveRunPath(cwd.value, fileWord);
  if (file.startsWith('/') || file.startsWith('..')) return false;
  const text = scope.context.project.readText(file);
  if (text === undefined || !looksLikeShell(file, text)) return false;
  const source = scope.context.project.sourceFile(file) ?? new SourceFile(file, text);
  const inner: StepRun = { ...stepRun, cwd, commands: stepRun.commands };
  runScript(source.text, inner, scope, { file: source, offset: 0 }, depth + 1, args, `${WORKSPACE}/${file}`);
  return true;
}

function looksLikeShell(file: string, text: string): boolean {
  if (/\.(?:sh|bash)$/.test(file)) return true;
  return /^#!.*\b(?:ba|z|da)?sh\b/.test(text);
}

/**
 * What `$(...)` prints, for the forms a script uses to find itself: `pwd`, and `dirname`,
 * `realpath` or `readlink -f` of `$0` (`${BASH_SOURCE[0]}`) or of another such substitution
 * (`$(dirname "$(readlink -f "$(dirname "$0")")")`, the parent of the script's directory). Links
 * are not followed: the plan knows the repository's paths as they are.
 */
function substitute(command: string, scriptPath: string | undefined, base: PathValue, cwd: ShellValue<Origin> | undefined): ShellValue<Origin> | undefined {
  const text = command.trim();
  if (text === 'pwd') {
    const current = joinCwd(base, cwd);
    return current && { value: absolute(current.value) };
  }
  const call = /^(dirname|realpath|readlink\s+-[fe])\s+(\S.*)$/s.exec(text);
  if (!call) return undefined;
  const argument = substitutedWord(call[2]!.trim(), scriptPath, base, cwd);
  if (argument === undefined) return undefined;
  if (call[1] === 'dirname') return { value: path.posix.dirname(argument) };
  const current = joinCwd(base, cwd);
  return current && { value: absolute(resolveRunPath(current.value, argument)) };
}

/** `$0`, `${BASH_SOURCE[0]}` or a nested `$(...)`, quoted or not; undefined for any other word. */
function substitutedWord(word: string, scriptPath: string | undefined, base: PathValue, cwd: ShellValue<Origin> | undefined): string | undefined {
  const unquoted = word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
  if (/^(?:\$0|\$\{0\}|\$\{BASH_SOURCE\[0\]\}|\$BASH_SOURCE)$/.test(unquoted)) return scriptPath;
  const nested = /^\$\((.*)\)$/s.exec(unquoted);
  return nested ? substitute(nested[1]!, scriptPath, base, cwd)?.value : undefined;
}

function absolute(runPath: string): string {
  return runPath.startsWith('/') ? runPath : `${WORKSPACE}/${runPath}`;
}

function joinCwd(base: PathValue, relative: ShellValue<Origin> | undefined): PathValue {
  if (!base || !relative) return undefined;
  return { value: resolveRunPath(base.value, relative.value || '.'), origin: relative.origin ?? base.origin };
}
