/**
 * The events that start a workflow, and what the `github` context and the runner's GITHUB_*
 * variables hold during a run started by each: `github.ref` is `refs/tags/<tag>` on a tag push or
 * a release, `github.event_name` names the event, and so on. A value GitHub fills in at run time
 * that the workflow's files do not decide (the commit, the branch pushed) is unknown.
 */
import type { RepositoryId } from '../project/git-remote.js';
import type { Candidates } from '../workflow/expression.js';
import type { WorkflowModel } from '../workflow/model.js';
import type { TagFilter } from '../workflow/tag-filter.js';

export type EventKind = 'push-tag' | 'push-branch' | 'release' | 'dispatch' | 'other';

export interface TriggerEvent {
  kind: EventKind;
  /** `github.event_name`: push, release, workflow_dispatch, schedule... */
  name: string;
  /** The pushed tag (push-tag) or the release's tag, when the scenario fixes one. */
  tag?: string | undefined;
  /** The pushed branch (push-branch), or the branch a dispatch runs on, when the scenario fixes one. */
  branch?: string | undefined;
  /** push-tag: the workflow's tag filter. */
  tagFilter?: TagFilter | undefined;
  /** release: the activity types (undefined: every type). */
  releaseTypes?: string[] | undefined;
  /** release: whether the release is a pre-release, when the scenario fixes it. */
  prerelease?: boolean | undefined;
  /** dispatch: the value chosen for each input this scenario fixes; null: any value, unknown to the linter. */
  inputs?: ReadonlyMap<string, string | boolean | null> | undefined;
}

/** How an event reads in plan output and messages. */
export function describeEvent(event: TriggerEvent): string {
  switch (event.kind) {
    case 'push-tag':
      return event.tag ? `push of tag ${event.tag}` : 'tag push';
    case 'push-branch':
      return 'branch push';
    case 'release':
      return `release${event.releaseTypes?.length ? ` (${event.releaseTypes.join(', ')})` : ''}`;
    case 'dispatch':
      return 'workflow_dispatch';
    default:
      return event.name;
  }
}

/** The events that start `workflow` on their own (workflow_call is a call, not an event). */
export function triggerEvents(workflow: WorkflowModel): TriggerEvent[] {
  const { triggers } = workflow;
  const events: TriggerEvent[] = [];
  for (const name of triggers.events) {
    if (name === 'workflow_call') continue;
    if (name === 'push') {
      if (triggers.pushTags.kind !== 'none') events.push({ kind: 'push-tag', name, tagFilter: triggers.pushTags });
      if (triggers.pushBranches) events.push({ kind: 'push-branch', name });
    } else if (name === 'release') {
      events.push({ kind: 'release', name, releaseTypes: triggers.releaseTypes?.length ? triggers.releaseTypes : undefined });
    } else if (name === 'workflow_dispatch') {
      events.push({ kind: 'dispatch', name });
    } else {
      events.push({ kind: 'other', name });
    }
  }
  return events;
}

/** The repository root as GITHUB_WORKSPACE holds it in the plan: paths below it are repo paths. */
export const WORKSPACE = '/github/workspace';

const known = (value: string | boolean | null): Candidates => [{ value }];

/** Events that run on a branch GitHub picks, never on a tag: the default branch (schedule), the pull request's base branch. */
const ON_DEFAULT_BRANCH = new Set(['schedule', 'pull_request_target']);
/** Events whose `github.ref` is the pull request's merge ref, `refs/pull/<number>/merge`. */
const ON_PULL_REQUEST_REF = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

/** Whether a run of `event` is on a branch GitHub picks (the plan imagines it on the usual default branches). */
export function runsOnDefaultBranch(event: TriggerEvent): boolean {
  return event.kind === 'other' && ON_DEFAULT_BRANCH.has(event.name);
}

/** `github.<path>` during a run started by `event`; undefined when the files do not decide it. */
export function githubContext(event: TriggerEvent, repository: RepositoryId | undefined, path: readonly string[]): Candidates {
  const key = path.map((part) => part.toLowerCase()).join('.');
  const tagged = event.kind === 'push-tag' || event.kind === 'release';
  // A branch push, a dispatch on a branch the scenario names, a schedule on the default branch.
  const onBranch = event.branch !== undefined && (event.kind === 'push-branch' || event.kind === 'dispatch' || runsOnDefaultBranch(event));
  const onPullRequest = event.kind === 'other' && ON_PULL_REQUEST_REF.has(event.name);
  switch (key) {
    case 'event_name':
      return known(event.name);
    case 'ref':
      if (onBranch) return known(`refs/heads/${event.branch}`);
      if (onPullRequest) return known('refs/pull/<number>/merge');
      return event.tag !== undefined && tagged ? known(`refs/tags/${event.tag}`) : undefined;
    case 'ref_name':
      if (onBranch) return known(event.branch!);
      if (onPullRequest) return known('<number>/merge');
      return event.tag !== undefined && tagged ? known(event.tag) : undefined;
    case 'ref_type':
      return tagged ? known('tag') : event.kind === 'push-branch' || onBranch || onPullRequest ? known('branch') : undefined;
    case 'event.release.tag_name':
      return event.kind === 'release' && event.tag !== undefined ? known(event.tag) : event.kind === 'release' ? undefined : known(null);
    case 'event.release.prerelease':
      return event.kind === 'release' && event.prerelease !== undefined ? known(event.prerelease) : event.kind === 'release' ? undefined : known(null);
    case 'event.release.draft':
      // Workflows run for drafts only on events a rehearsal does not imagine: a published release is no draft.
      return event.kind === 'release' && event.prerelease !== undefined ? known(false) : event.kind === 'release' ? undefined : known(null);
    case 'event.action':
      if (event.kind === 'release') return event.releaseTypes?.length === 1 ? known(event.releaseTypes[0]!) : undefined;
      // A push's or a dispatch's payload has no action (attrs uploads only `if: github.event.action == 'published'`).
      return event.kind === 'push-tag' || event.kind === 'push-branch' || event.kind === 'dispatch' ? known(null) : undefined;
    case 'repository':
      return repository ? known(`${repository.owner}/${repository.name}`) : undefined;
    case 'repository_owner':
      return repository ? known(repository.owner) : undefined;
    case 'workspace':
      return known(WORKSPACE);
    default:
      // Event payloads of other events are empty in this scenario: `github.event.release` on a push is null.
      if (key.startsWith('event.release.') && event.kind !== 'release') return known(null);
      return undefined;
  }
}

/** The runner's GITHUB_* variables for the scenario (what a `run:` script reads as $GITHUB_REF...). */
export function runnerVariables(event: TriggerEvent, repository: RepositoryId | undefined): Map<string, string | undefined> {
  const read = (path: string): string | undefined => {
    const value = githubContext(event, repository, path.split('.'))?.[0]?.value;
    return typeof value === 'string' ? value : undefined;
  };
  return new Map([
    ['GITHUB_EVENT_NAME', event.name],
    ['GITHUB_REF', read('ref')],
    ['GITHUB_REF_NAME', read('ref_name')],
    ['GITHUB_REF_TYPE', read('ref_type')],
    ['GITHUB_REPOSITORY', read('repository')],
    ['GITHUB_REPOSITORY_OWNER', read('repository_owner')],
    ['GITHUB_WORKSPACE', WORKSPACE],
    ['CI', 'true'],
    ['GITHUB_ACTIONS', 'true'],
  ]);
}
