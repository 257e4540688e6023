/**
 * What the maintainer is about to do (push a tag, publish a release, push a branch, dispatch a
 * workflow) and which workflow runs that starts, with GitHub's own rules: tag and branch filters
 * in order with `!` negations, `tags` without `branches` ignoring branch pushes, one run per
 * release activity type a workflow listens to, dispatch inputs checked as GitHub checks them.
 */
import type { Project } from '../project/project.js';
import type { YamlPath } from '../project/yaml-file.js';
import { workflowModels } from '../plan/release-plan.js';
import type { TriggerEvent } from '../plan/events.js';
import type { InputDeclaration, WorkflowModel } from '../workflow/model.js';
import { isValidGitTagName, tagFilterMatches, type TagFilter } from '../workflow/tag-filter.js';

export type Scenario =
  | { kind: 'tag'; tag: string }
  | { kind: 'release'; tag: string; prerelease: boolean; draft: boolean }
  | { kind: 'branch'; branch: string }
  /** `ref`: the branch the workflow is dispatched on (GitHub's default: the default branch). */
  | { kind: 'dispatch'; workflow: string; inputs: ReadonlyMap<string, string>; ref: string };

/** A workflow run the scenario starts, and the trigger line that starts it. */
export interface StartedRun {
  workflow: WorkflowModel;
  event: TriggerEvent;
  /** How the trigger reads: `tag pattern 'v*'`, `release (published)`, `workflow_dispatch`. */
  because: string;
  /** Where that trigger is written. */
  where: YamlPath;
  /** The tag or branch pattern that decides the match, when one does. */
  pattern?: string | undefined;
  /** What the linter cannot tell about whether it starts (a `paths:` filter), if anything. */
  unknown: string | undefined;
}

/** A scenario GitHub itself would refuse (no such workflow, an undeclared input...): exit 2. */
export class ScenarioError extends Error {}

/** The activity types a release fires when it is published (GitHub runs no workflow for a draft). */
export function releaseActivities(scenario: Extract<Scenario, { kind: 'release' }>): string[] {
  if (scenario.draft) return [];
  return scenario.prerelease ? ['published', 'prereleased', 'created'] : ['published', 'released', 'created'];
}

export function describeScenario(scenario: Scenario): string {
  switch (scenario.kind) {
    case 'tag':
      return `push of tag ${scenario.tag}`;
    case 'release':
      return `${scenario.draft ? 'draft ' : ''}${scenario.prerelease ? 'pre-release' : 'release'} ${scenario.tag}${scenario.draft ? '' : ` (activity types ${releaseActivities(scenario).join(', ')})`}`;
    case 'branch':
      return `push to branch ${scenario.branch}`;
    case 'dispatch':
      return `workflow_dispatch of ${scenario.workflow} on branch ${scenario.ref}`;
  }
}

/** The workflow runs `scenario` starts, in file order. */
export function startedRuns(project: Project, scenario: Scenario): StartedRun[] {
  const entries = workflowModels(project).filter((workflow) => workflow.triggers.events.some((event) => event !== 'workflow_call'));
  switch (scenario.kind) {
    case 'tag':
      if (!isValidGitTagName(scenario.tag)) throw new ScenarioError(`'${scenario.tag}' is not a valid git tag name`);
      return entries.flatMap((workflow) => tagRun(workflow, scenario.tag));
    case 'release':
      if (!isValidGitTagName(scenario.tag)) throw new ScenarioError(`'${scenario.tag}' is not a valid git tag name`);
      return entries.flatMap((workflow) => releaseRuns(workflow, scenario));
    case 'branch':
      return entries.flatMap((workflow) => branchRun(workflow, scenario.branch));
    case 'dispatch':
      return [dispatchRun(entries, scenario)];
  }
}

function tagRun(workflow: WorkflowModel, tag: string): StartedRun[] {
  const { triggers } = workflow;
  if (!triggers.events.includes('push') || !tagFilterMatches(triggers.pushTags, tag)) return [];
  const event: TriggerEvent = { kind: 'push-tag', name: 'push', tag, tagFilter: triggers.pushTags };
  const where = triggers.pushTagsPath ?? ['on', 'push'];
  const pattern = triggers.pushTags.kind === 'patterns' ? decidingPattern(triggers.pushTags, tag) : undefined;
  const because = pattern !== undefined ? `tag pattern '${pattern}'` : triggers.pushTags.kind === 'ignore' ? 'tags-ignore does not exclude it' : 'push with no filter';
  const index = pattern === undefined ? -1 : triggers.pushTagPatterns.findIndex((entry) => entry.pattern === pattern);
  return [{ workflow, event, because, where: index >= 0 ? triggers.pushTagPatterns[index]!.path : where, pattern, unknown: undefined }];
}

/** The last pattern that matches decides (GitHub's order); the one to name. */
function decidingPattern(filter: Extract<TagFilter, { kind: 'patterns' }>, tag: string): string {
  const positive = filter.patterns.filter((pattern) => !pattern.startsWith('!'));
  return [...positive].reverse().find((pattern) => tagFilterMatches({ kind: 'patterns', patterns: [pattern] }, tag)) ?? positive[0] ?? '';
}

function releaseRuns(workflow: WorkflowModel, scenario: Extract<Scenario, { kind: 'release' }>): StartedRun[] {
  const { triggers } = workflow;
  if (!triggers.events.includes('release')) return [];
  const listened = triggers.releaseTypes?.length ? triggers.releaseTypes : undefined;
  return releaseActivities(scenario)
    .filter((activity) => listened === undefined || listened.includes(activity))
    .map((activity) => ({
      workflow,
      event: { kind: 'release', name: 'release', tag: scenario.tag, releaseTypes: [activity], prerelease: scenario.prerelease },
      because: `release (${activity})`,
      where: listened ? ['on', 'release', 'types', listened.indexOf(activity)] : ['on', 'release'],
      unknown: undefined,
    }));
}

function branchRun(workflow: WorkflowModel, branch: string): StartedRun[] {
  const { triggers, file } = workflow;
  if (!triggers.events.includes('push') || !triggers.pushBranches) return [];
  const ignored = file.get(['on', 'push', 'branches-ignore']);
  const filter: TagFilter =
    triggers.pushBranchPatterns.length > 0
      ? { kind: 'patterns', patterns: triggers.pushBranchPatterns }
      : ignored !== undefined
        ? { kind: 'ignore', patterns: (Array.isArray(ignored) ? ignored : [ignored]).map(String) }
        : { kind: 'all' };
  if (!tagFilterMatches(filter, branch)) return [];
  const where: YamlPath = filter.kind === 'patterns' ? ['on', 'push', 'branches'] : filter.kind === 'ignore' ? ['on', 'push', 'branches-ignore'] : ['on', 'push'];
  const because = filter.kind === 'patterns' ? `branch pattern '${decidingPattern(filter, branch)}'` : filter.kind === 'ignore' ? 'branches-ignore does not exclude it' : 'push with no filter';
  const paths = ['paths', 'paths-ignore'].find((key) => file.get(['on', 'push', key]) !== undefined);
  const unknown = paths ? `on.push.${paths}: whether the pushed commits change those paths` : undefined;
  return [{ workflow, event: { kind: 'push-branch', name: 'push', branch }, because, where, unknown }];
}

/** The dispatched workflow, by file name, path or `name:`; its inputs checked as GitHub checks them. */
function dispatchRun(entries: WorkflowModel[], scenario: Extract<Scenario, { kind: 'dispatch' }>): StartedRun {
  const wanted = scenario.workflow.replace(/^\.\//, '');
  const workflow = entries.find((candidate) => candidate.name === wanted || candidate.file.path === wanted || candidate.file.get(['name']) === wanted);
  if (!workflow) throw new ScenarioError(`no workflow named ${scenario.workflow} (give its file name, e.g. ${entries[0]?.name ?? 'publish.yml'})`);
  if (!workflow.triggers.events.includes('workflow_dispatch')) throw new ScenarioError(`${workflow.file.path} has no workflow_dispatch trigger, so it cannot be dispatched`);
  const declared = workflow.triggers.dispatchInputs ?? [];
  const inputs = new Map<string, string | boolean>();
  for (const [name, value] of scenario.inputs) {
    const input = declared.find((candidate) => candidate.name === name);
    if (!input) throw new ScenarioError(`${workflow.file.path} declares no input ${name} (inputs: ${declared.map((candidate) => candidate.name).join(', ') || 'none'}); GitHub refuses the dispatch`);
    inputs.set(name, checkedValue(workflow, input, value));
  }
  for (const input of declared) {
    if (inputs.has(input.name)) continue;
    // GitHub fills in the default of every input not given; a required input without one refuses the dispatch.
    if (input.default !== undefined && input.default !== null) inputs.set(input.name, input.type === 'boolean' ? input.default === true || input.default === 'true' : String(input.default));
    else if (input.required) throw new ScenarioError(`${workflow.file.path} requires input ${input.name}: add -f ${input.name}=VALUE`);
  }
  const chosen = [...inputs].map(([name, value]) => `${name}=${value}${scenario.inputs.has(name) ? '' : ' (default)'}`);
  const because = `workflow_dispatch${chosen.length > 0 ? ` with ${chosen.join(', ')}` : ''}`;
  return { workflow, event: { kind: 'dispatch', name: 'workflow_dispatch', inputs, branch: scenario.ref }, because, where: ['on', 'workflow_dispatch'], unknown: undefined };
}

function checkedValue(workflow: WorkflowModel, input: InputDeclaration, value: string): string | boolean {
  if (input.type === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new ScenarioError(`input ${input.name} of ${workflow.file.path} is a boolean: -f ${input.name}=true or false`);
    return value === 'true';
  }
  if (input.type === 'choice' && !input.options.includes(value)) throw new ScenarioError(`input ${input.name} of ${workflow.file.path} is one of ${input.options.join(', ')}, not ${value}`);
  if (input.type === 'number' && !Number.isFinite(Number(value))) throw new ScenarioError(`input ${input.name} of ${workflow.file.path} is a number, not ${value}`);
  return value;
}
