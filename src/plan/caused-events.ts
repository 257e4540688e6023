/**
 * Tags and releases that workflows create themselves (`git tag` + `git push`, `gh release create`,
 * release and tag actions), with the credential they create them with. GitHub starts no workflow
 * for an event the default GITHUB_TOKEN causes (workflow_dispatch and repository_dispatch aside),
 * and no push workflow for tags when more than three are pushed at once: a publish workflow that
 * waits for such a tag or release never runs.
 */
import { factKey, type Project } from '../project/project.js';
import type { JobModel, StepModel, WorkflowModel } from '../workflow/model.js';
import { traceShell } from '../workflow/shell.js';
import type { Evidence } from './evidence.js';
import { workflowModels } from './release-plan.js';

/** How the tag or release is created: the default GITHUB_TOKEN, or another credential (a PAT, an app token, a deploy key). */
export type CreatorToken = { kind: 'default'; evidence: Evidence } | { kind: 'other' };

export interface CausedEvent {
  workflow: WorkflowModel;
  job: JobModel;
  step: StepModel;
  /** A tag push, or a release (whose tag is created with it). */
  kind: 'push-tag' | 'release';
  /** What creates it (`git push --tags`, `gh release create`, `softprops/action-gh-release`). */
  what: string;
  evidence: Evidence;
  token: CreatorToken;
  /** The tags pushed at once, when more than one is known (`git push --tags` after several `git tag`). */
  tagCount: number;
  /**
   * A draft release (`gh release create --draft`, `draft: true`): it starts nothing until someone
   * publishes it, and the published event is theirs, not the creating token's.
   */
  draft: boolean;
}

/** Actions that create a release (and its tag), and the input that takes their token. */
const RELEASE_ACTIONS = new Map<string, string[]>([
  ['softprops/action-gh-release', ['token']],
  ['ncipollo/release-action', ['token']],
  ['actions/create-release', []],
  ['googleapis/release-please-action', ['token']],
  ['google-github-actions/release-please-action', ['token']],
  ['python-semantic-release/python-semantic-release', ['github_token']],
]);
/** Actions that push a tag. */
const TAG_ACTIONS = new Map<string, string[]>([
  ['mathieudutour/github-tag-action', ['github_token']],
  ['anothrnick/github-tag-action', []],
  ['rickstaa/action-create-tag', ['github_token']],
]);

/** The default token, as a workflow writes it. */
const DEFAULT_TOKEN = /^\$\{\{\s*(?:secrets\.GITHUB_TOKEN|github\.token)\s*\}\}$/i;

const CAUSED_EVENTS = factKey<CausedEvent[]>('plan:caused-events');

/** Every tag or release the workflows create (once per run of the project). */
export function causedEvents(project: Project): CausedEvent[] {
  return project.fact(CAUSED_EVENTS, () => workflowModels(project).flatMap((workflow) => workflow.jobs.flatMap((job) => jobEvents(workflow, job))));
}

function jobEvents(workflow: WorkflowModel, job: JobModel): CausedEvent[] {
  const events: CausedEvent[] = [];
  const createdTags: string[] = [];
  job.steps.forEach((step, index) => {
    const base = { workflow, job, step };
    const uses = step.uses?.toLowerCase().replace(/@.*$/, '');
    if (uses !== undefined) {
      const release = RELEASE_ACTIONS.get(uses);
      const tag = TAG_ACTIONS.get(uses);
      const inputs = release ?? tag;
      if (inputs) {
        const evidence: Evidence = { file: step.file, path: [...step.path, 'uses'] };
        const draft = release !== undefined && String(step.with.draft ?? '').trim().toLowerCase() === 'true';
        events.push({ ...base, kind: release ? 'release' : 'push-tag', what: step.uses!.replace(/@.*$/, ''), evidence, token: actionToken(step, inputs, evidence), tagCount: 1, draft });
      }
      return;
    }
    if (step.run === undefined) return;
    const trace = traceShell(step.run, { variables: new Map(), expression: () => undefined });
    for (const command of trace.commands) {
      const words = command.words.map((word) => word?.value);
      const text = step.run.slice(command.start, command.end).split('\n')[0]!;
      const evidence: Evidence = { file: step.file, path: [...step.path, 'run'], text };
      if (words[0] === 'git' && words[1] === 'tag' && words.length > 2 && !words.slice(2).some((word) => word === '-d' || word === '--delete' || word === '-l' || word === '--list')) {
        createdTags.push(words.slice(2).find((word) => word !== undefined && !word.startsWith('-')) ?? '');
      } else if (words[0] === 'git' && words[1] === 'push') {
        const count = pushedTags(words.slice(2), createdTags);
        if (count > 0) events.push({ ...base, kind: 'push-tag', what: text.trim(), evidence, token: gitToken(job, index, step), tagCount: count, draft: false });
      } else if (words[0] === 'gh' && words[1] === 'release' && words[2] === 'create') {
        const draft = words.slice(3).some((word) => word === '--draft' || word === '-d' || word === '--draft=true');
        events.push({ ...base, kind: 'release', what: 'gh release create', evidence, token: envToken(workflow, job, step, ['GH_TOKEN', 'GITHUB_TOKEN']), tagCount: 1, draft });
      }
    }
  });
  return events;
}

/** How many tags a `git push` pushes: all the job created (`--tags`, `--follow-tags`), or those it names. */
function pushedTags(args: (string | undefined)[], created: string[]): number {
  if (args.some((arg) => arg === '--tags' || arg === '--follow-tags')) return Math.max(created.length, 1);
  const refs = args.filter((arg) => arg === undefined || !arg.startsWith('-')).slice(1);
  return refs.filter((ref) => ref !== undefined && (ref.startsWith('refs/tags/') || created.includes(ref))).length + (refs.includes(undefined) && created.length > 0 ? 1 : 0);
}

/** The token of a release or tag action: its token input, else the action's default (the GITHUB_TOKEN). */
function actionToken(step: StepModel, inputs: string[], evidence: Evidence): CreatorToken {
  const name = inputs.find((input) => step.with[input] !== undefined);
  if (name === undefined) return { kind: 'default', evidence };
  return DEFAULT_TOKEN.test(String(step.with[name]).trim()) ? { kind: 'default', evidence: { file: step.file, path: [...step.path, 'with', name] } } : { kind: 'other' };
}

/** `git push` authenticates with what actions/checkout left in the git config: its `token` (default: the GITHUB_TOKEN), unless an SSH key. */
function gitToken(job: JobModel, index: number, step: StepModel): CreatorToken {
  // A push URL or credential the script sets itself is not the checkout's.
  if (/x-access-token|remote\s+set-url|secrets\.(?!GITHUB_TOKEN\b)/i.test(step.run ?? '')) return { kind: 'other' };
  const checkout = job.steps.slice(0, index).reverse().find((candidate) => candidate.uses?.toLowerCase().startsWith('actions/checkout@'));
  if (!checkout) return { kind: 'other' };
  const persist = checkout.with['persist-credentials'];
  if (checkout.with['ssh-key'] !== undefined || persist === false || persist === 'false') return { kind: 'other' };
  const token = checkout.with.token;
  if (token !== undefined && !DEFAULT_TOKEN.test(String(token).trim())) return { kind: 'other' };
  return { kind: 'default', evidence: { file: checkout.file, path: token === undefined ? [...checkout.path, 'uses'] : [...checkout.path, 'with', 'token'] } };
}

/** A CLI's token from `env:` (step, job, workflow): the default one, or another (none: the CLI fails, which is not this check's). */
function envToken(workflow: WorkflowModel, job: JobModel, step: StepModel, names: string[]): CreatorToken {
  const scopes: [Record<string, unknown>, Evidence][] = [
    [step.env, { file: step.file, path: [...step.path, 'env'] }],
    [job.env, { file: workflow.file, path: [...job.path, 'env'] }],
    [workflow.env, { file: workflow.file, path: ['env'] }],
  ];
  for (const [env, where] of scopes) {
    const name = names.find((candidate) => env[candidate] !== undefined);
    if (name === undefined) continue;
    return DEFAULT_TOKEN.test(String(env[name]).trim()) ? { kind: 'default', evidence: { file: where.file, path: [...where.path!, name] } } : { kind: 'other' };
  }
  return { kind: 'other' };
}
