/**
 * The workflows a release depends on: the publish workflows, the reusable workflows their runs
 * call, and the workflows that start them (create the tags or releases they listen to, or
 * dispatch them). What the workflow rules that are not about publishing itself, such as
 * workflow/actionlint, look at by default.
 */
import { factKey, type Project } from '../project/project.js';
import type { WorkflowModel } from '../workflow/model.js';
import { releasePlan, workflowModels } from './release-plan.js';

/** Steps that create a tag or a GitHub release. */
const CREATES_TAG_OR_RELEASE =
  /\bgit\s+tag\b|\bgit\s+push\b[^\n]*(?:--tags|refs\/tags|--follow-tags)|\bgh\s+release\s+create\b|\bcz\s+bump\b|\bsemantic-release\b|\bbump-my-version\b|\bbumpversion\b/;
const RELEASING_ACTION =
  /^(?:softprops\/action-gh-release|googleapis\/release-please-action|google-github-actions\/release-please-action|commitizen-tools\/commitizen-action|ncipollo\/release-action|actions\/create-release|python-semantic-release\/python-semantic-release|release-drafter\/release-drafter|mathieudutour\/github-tag-action|anothrNick\/github-tag-action)@/i;

const RELEASE_WORKFLOWS = factKey<Set<WorkflowModel>>('plan:release-workflows');

export function releaseWorkflows(project: Project): Set<WorkflowModel> {
  return project.fact(RELEASE_WORKFLOWS, () => project.timing.measure('plan', () => {
    const plan = releasePlan(project);
    const scope = new Set<WorkflowModel>([...plan.publishWorkflows, ...plan.uploadWorkflows]);
    for (const route of plan.routes) for (const call of route.calls) scope.add(call.workflow);
    const listensToTags = plan.routes.some((route) => route.events.some((event) => event.kind === 'push-tag' || event.kind === 'release'));
    const publisherNames = [...plan.publishWorkflows].flatMap((workflow) => [workflow.name, workflow.name.replace(/\.ya?ml$/, '')]);
    for (const workflow of workflowModels(project)) {
      if (scope.has(workflow)) continue;
      if ((listensToTags && createsTagOrRelease(workflow)) || dispatchesOneOf(workflow, publisherNames)) scope.add(workflow);
    }
    return scope;
  }));
}

function createsTagOrRelease(workflow: WorkflowModel): boolean {
  return workflow.jobs.some((job) => job.steps.some((step) => (step.run !== undefined && CREATES_TAG_OR_RELEASE.test(step.run)) || (step.uses !== undefined && RELEASING_ACTION.test(step.uses))));
}

/** `gh workflow run publish.yml`, or an action dispatching it by name. */
function dispatchesOneOf(workflow: WorkflowModel, names: string[]): boolean {
  if (names.length === 0) return false;
  return workflow.jobs.some((job) =>
    job.steps.some((step) => {
      const text = `${step.run ?? ''}\n${JSON.stringify(step.with)}`;
      return /\bgh\s+workflow\s+run\b|workflow-dispatch|createWorkflowDispatch/.test(text) && names.some((name) => text.includes(name));
    }),
  );
}
