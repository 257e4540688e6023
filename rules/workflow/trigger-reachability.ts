import { defineRule, type Report } from '../../src/engine/rule.js';
import { packageLabel } from '../../src/packages/package.js';
import { causedEvents, type CausedEvent } from '../../src/plan/caused-events.js';
import { describeEvidence, evidenceRange, type Evidence } from '../../src/plan/evidence.js';
import { packageDirsOf, releasePlan, uploadsToPyPI, type ReleasePlan, type UnreachableUpload } from '../../src/plan/release-plan.js';
import type { Project } from '../../src/project/project.js';
import type { KindMeta } from '../../src/types.js';
import { eventRange, lineOf, valueRange } from '../../src/workflow/locate.js';
import type { JobModel, WorkflowModel } from '../../src/workflow/model.js';
import { conditionReadsTag, triggeredByTags } from '../../src/workflow/publish-jobs.js';
import { checkRepeatedLegs, checkStaleLegs } from './trigger-reachability/matrix-legs.js';

const KINDS = {
  'release-and-tag': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'One package published both on a release and on a tag push: one release uploads it twice.' },
  'draft-release': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'release types [created] only: a release published from a draft never starts the workflow.' },
  'release-types-differ': {
    category: 'release',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description: 'Sibling publish workflows that disagree on whether a prerelease publishes.',
  },
  'tag-guard-unreachable': {
    category: 'release',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description: 'An upload guarded by a tag condition in a workflow no tag or release starts.',
  },
  'token-event': {
    category: 'release',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description: 'A tag or release created with the default GITHUB_TOKEN that a publish workflow waits for.',
  },
  'many-tags': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'More than three tags pushed at once, which GitHub starts no push workflow for.' },
  'repeated-leg': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'Several matrix legs that build and upload the same package.' },
  'stale-leg': {
    category: 'release',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description: 'A matrix leg naming a package directory or name the repository no longer has, or a leftover copy of a package another leg uploads.',
  },
} satisfies Record<string, KindMeta>;

type TriggerReport = Report<keyof typeof KINDS>;
type Emit = (finding: TriggerReport) => void;

export default defineRule({
  meta: {
    id: 'workflow/trigger-reachability',
    category: 'release',
    defaultSeverity: 'error',
    kinds: KINDS,
    fixable: 'none',
    description: 'Publish triggers that never fire (draft releases, tags created by GITHUB_TOKEN, tag guards without tags) or fire twice (matrix legs, stale legs).',
    docs: {
      catches:
        'From the release plan: a package that one route publishes on `release` and another on `push: tags` (kind ' +
        '`release-and-tag`); a publish workflow whose `release` types are only `created` (or `edited`, `deleted`) (kind ' +
        '`draft-release`); publish workflows on `release` that disagree on prereleases, one with `published` or `prereleased`, ' +
        'another with `released` only (kind `release-types-differ`, a warning); an upload whose job or step runs only for a tag ' +
        '(`startsWith(github.ref, \'refs/tags/\')`, `github.ref_type == \'tag\'`), or that needs (directly or through a chain of `needs`) a ' +
        'job that does, in a workflow no tag push or release starts: one started only by branch pushes, `pull_request` (where ' +
        '`github.ref` is `refs/pull/<number>/merge`), `pull_request_target` or `schedule` (which run on a branch) (kind ' +
        '`tag-guard-unreachable`, reported once at the guard, naming the upload jobs it skips; `workflow_dispatch` is not counted: ' +
        'a dispatch runs on the branch or tag chosen in "Use workflow from", so a tag guard can pass); a ' +
        'workflow that pushes a tag or creates a release with the default `GITHUB_TOKEN` (`actions/checkout`\'s credential, ' +
        '`GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}`, a release action without `token:`) while a publish workflow waits for that ' +
        'event (kind `token-event`); a step pushing more than three tags at once to a repository whose publish workflow starts ' +
        'on tag pushes (kind `many-tags`); several matrix legs of one upload job that upload the same files of one package (kind ' +
        '`repeated-leg`): a build that writes the same files in every leg (`python -m build`, `uv build`, an sdist beside ' +
        'per-platform wheels), or per-platform builds (cibuildwheel, maturin, `--wheel`) whose legs differ in no matrix value the ' +
        'runner, the job\'s env or the build step reads; legs that each build their own platform\'s wheels upload different ' +
        'files and are left alone, as is a matrix over different packages. And a stale leg (kind `stale-leg`): a matrix value, ' +
        'left over from a renamed or removed package, that makes its leg build a directory with no package (`cd libs/old`, ' +
        '`packages-dir: libs/old/dist`) or a package name the repository no longer has (`uv build --package old`), so the leg ' +
        'fails and, with fail-fast, cancels the others; or a directory whose pyproject.toml names a package another leg of the ' +
        'matrix already uploads from its own directory (a leftover copy: the leg with the older version, else the later leg, ' +
        'is the stale one). It is reported once, at the matrix value, naming the leg, what it resolves to, the other leg and ' +
        'package (file:line), and the fix: remove the leg. Outside a matrix, a publish path with no package is ' +
        '`workflow/publish-map`\'s.',
      why:
        'A version can be uploaded once: the second of two uploads fails with "File already exists". GitHub starts no workflow ' +
        'for the `created`, `edited` or `deleted` activity of a draft release, and publishing a draft fires `published` ' +
        '([events that trigger workflows: release](https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#release)); ' +
        '"events triggered by the GITHUB_TOKEN, with the exception of workflow_dispatch and repository_dispatch, will not create ' +
        'a new workflow run" ([triggering a workflow from a workflow](https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/triggering-a-workflow#triggering-a-workflow-from-a-workflow)); ' +
        'and "events will not be created for tags when more than three tags are pushed at once" ' +
        '([push](https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#push)). ' +
        'A job whose needed job is skipped is skipped too, unless its `if:` calls `always()` ' +
        '([jobs.<job_id>.needs](https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idneeds)). ' +
        'A failing matrix leg cancels the legs still running unless `fail-fast: false` ' +
        '([jobs.<job_id>.strategy.fail-fast](https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstrategyfail-fast)).',
      failing: {
        file: '.github/workflows/tag.yml',
        content:
          'on:\n  push:\n    branches: [main]\njobs:\n  tag:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: |\n          git tag "v$(cat VERSION)"\n          git push origin --tags   # publish.yml (on: push: tags) never starts\n',
      },
      passing: {
        file: '.github/workflows/tag.yml',
        content:
          'on:\n  push:\n    branches: [main]\njobs:\n  tag:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/checkout@v4\n        with:\n          token: ${{ secrets.RELEASE_TOKEN }}   # a GitHub App token or a PAT\n' +
          '      - run: |\n          git tag "v$(cat VERSION)"\n          git push origin --tags\n',
      },
      fixSafety: 'No fix: which trigger, token or leg publishes is a release-process decision; each message names the change.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);
    checkReleaseAndTag(plan, report);
    checkReleaseTypes(plan, report);
    checkUnreachable(plan, report);
    checkCausedEvents(project, plan, report);
    checkRepeatedLegs(project, plan, report);
    checkStaleLegs(project, plan, report);
  },
});


/** A package one route uploads on a release and another (or the same) on a tag push. */
function checkReleaseAndTag(plan: ReleasePlan, report: Emit): void {
  const reported = new Set<string>();
  for (const pkg of plan.publishedPackages) {
    const routes = (plan.routesOfPackage.get(pkg.dir) ?? []).filter(uploadsToPyPI);
    const onRelease = routes.find((route) => route.events.some((event) => event.kind === 'release'));
    const onTag = routes.find((route) => route.events.some((event) => event.kind === 'push-tag'));
    if (!onRelease || !onTag || reported.has(onRelease.workflow.file.path)) continue;
    reported.add(onRelease.workflow.file.path);
    const tagLine = describeEvidence({ file: onTag.workflow.file, path: onTag.workflow.triggers.pushTagsPath ?? ['on', 'push'] });
    const releaseRange = eventRange(onRelease.workflow.file, 'release');
    const releaseLine = `${onRelease.workflow.file.path}:${onRelease.workflow.file.positionAt(releaseRange.start).line}`;
    const same = onRelease.workflow === onTag.workflow;
    report({
      kind: 'release-and-tag',
      file: onRelease.workflow.file,
      range: releaseRange,
      message:
        `${packageLabel(pkg)} is published on release by ${onRelease.workflow.name} (${releaseLine}) and on tag push by ${same ? 'the same workflow' : onTag.workflow.name} (${tagLine}): ` +
        'a release comes with its tag, so both runs upload the same version and the second fails (File already exists); publish on one of the two events',
    });
  }
}

/** Publishes on release: `created` only (drafts), and siblings that disagree on prereleases. */
function checkReleaseTypes(plan: ReleasePlan, report: Emit): void {
  const onRelease = plan.publishWorkflows.filter((workflow) => workflow.triggers.events.includes('release'));
  for (const workflow of onRelease) {
    const types = workflow.triggers.releaseTypes ?? [];
    if (types.length === 0 || types.some((type) => PUBLISHING_TYPES.has(type))) continue;
    report({
      kind: 'draft-release',
      file: workflow.file,
      range: valueRange(workflow.file, ['on', 'release', 'types']),
      message:
        `${workflow.name} publishes on release types [${types.join(', ')}]: GitHub starts no workflow for the ${types.join(' or ')} activity of a draft release, and publishing a draft fires published, ` +
        'so a release prepared as a draft never publishes; use types: [published]',
    });
  }
  const withPrereleases = onRelease.filter(publishesPrereleases);
  const withoutPrereleases = onRelease.filter((workflow) => !publishesPrereleases(workflow) && (workflow.triggers.releaseTypes ?? []).includes('released'));
  const other = withPrereleases[0];
  if (!other) return;
  for (const workflow of withoutPrereleases) {
    report({
      kind: 'release-types-differ',
      file: workflow.file,
      range: valueRange(workflow.file, ['on', 'release', 'types']),
      message:
        `${workflow.name} publishes on release types [${workflow.triggers.releaseTypes!.join(', ')}], which a prerelease does not fire, while ${other.name} ` +
        `(${other.file.path}:${lineOf(other.file, ['on', 'release'])}) publishes on ${other.triggers.releaseTypes?.length ? `[${other.triggers.releaseTypes.join(', ')}]` : 'every release activity'}, which it does: ` +
        'a prerelease publishes one and not the other; use the same types in both (published, and a prerelease check where needed)',
    });
  }
}

/** Release activities that start a run when a release (or a prerelease) is published. */
const PUBLISHING_TYPES = new Set(['published', 'released', 'prereleased']);

function publishesPrereleases(workflow: WorkflowModel): boolean {
  const types = workflow.triggers.releaseTypes;
  return !types?.length || types.includes('published') || types.includes('prereleased');
}

/** A tag condition that keeps an upload from running: on the upload step, its job, a caller job, or a job one of those needs. */
interface TagGuard {
  file: WorkflowModel['file'];
  path: (string | number)[];
  what: string;
  condition: string;
  /** Set when the guard is on a job the upload job needs: the jobs in between, for messages ('' when it needs it directly). */
  needer?: string | undefined;
}

/** Uploads kept from running by a tag condition in a workflow no tag starts: one finding per guard. */
function checkUnreachable(plan: ReleasePlan, report: Emit): void {
  const byGuard = new Map<string, { guard: TagGuard; workflow: WorkflowModel; uploads: UnreachableUpload[] }>();
  for (const unreachable of plan.unreachableUploads) {
    const { workflow } = unreachable;
    if (triggeredByTags(workflow)) continue;
    const guard = tagGuardOf(unreachable);
    if (!guard) continue;
    const key = `${guard.file.path}:${guard.path.join('.')}`;
    const entry = byGuard.get(key) ?? { guard, workflow, uploads: [] };
    entry.uploads.push(unreachable);
    byGuard.set(key, entry);
  }
  for (const { guard, workflow, uploads } of byGuard.values()) {
    const uploadsAt = uploads.map(({ upload }) => describeEvidence({ file: upload.step.file, path: upload.step.path }));
    const neededBy = [...new Set(uploads.map((upload) => upload.jobs.at(-1)!.job.id))];
    const skipped = guard.needer === undefined ? '' : `, and ${neededBy.map((id) => `job ${id}`).join(' and ')}, which ${neededBy.length > 1 ? 'need' : 'needs'} it${guard.needer}, ${neededBy.length > 1 ? 'are' : 'is'} skipped with it`;
    report({
      kind: 'tag-guard-unreachable',
      file: guard.file,
      range: valueRange(guard.file, guard.path),
      message:
        `${guard.what} runs only for a tag (if: ${guard.condition.trim()})${skipped}, but ${workflow.name} starts only on ${workflow.triggers.events.map(describeStart).join(', ')} ` +
        `(${workflow.file.path}:${workflow.file.positionAt(valueRange(workflow.file, ['on']).start).line}), never on a tag: ${uploadsAt.length > 1 ? `the uploads at ${uploadsAt.join(' and ')} never run` : `the upload at ${uploadsAt[0]} never runs`}; ` +
        `add on: push: tags (or release) to ${workflow.name}, or drop the condition`,
    });
  }
}

/** How an event that never runs on a tag reads in a message, with what github.ref holds then. */
function describeStart(event: string): string {
  switch (event) {
    case 'push':
      return 'branch pushes';
    case 'pull_request':
      return 'pull_request (github.ref is refs/pull/<number>/merge)';
    case 'schedule':
      return 'schedule (it runs on the default branch)';
    default:
      return event;
  }
}

/** The tag condition that keeps an unreachable upload from running, if one does. */
function tagGuardOf({ jobs, upload, stepCondition }: UnreachableUpload): TagGuard | false | undefined {
  if (stepCondition) return conditionReadsTag(upload.step.if) && { file: upload.step.file, path: [...upload.step.path, 'if'], what: 'the upload step', condition: upload.step.if! };
  const own = jobs.map(({ workflow, job }) => conditionReadsTag(job.if) && { file: workflow.file, path: [...job.path, 'if'], what: `job ${job.id}`, condition: job.if! }).find(Boolean);
  if (own) return own;
  for (const { workflow, job } of jobs) {
    const needed = neededGuard(workflow, job);
    if (needed) {
      const { guard, through } = needed;
      return { file: workflow.file, path: [...guard.path, 'if'], what: `job ${guard.id}`, condition: guard.if!, needer: through.length > 0 ? ` (through ${through.map((id) => `job ${id}`).join(', ')})` : '' };
    }
  }
  return undefined;
}

/**
 * A job `job` needs (directly or through a chain) whose condition reads the tag, with the jobs in
 * between; a job that runs whatever its needs did (always()) ends the chain.
 */
function neededGuard(workflow: WorkflowModel, job: JobModel): { guard: JobModel; through: string[] } | undefined {
  const seen = new Set<string>([job.id]);
  const queue = ignoresNeeds(job) ? [] : job.needs.map((id) => ({ id, through: [] as string[] }));
  while (queue.length > 0) {
    const { id, through } = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const needed = workflow.jobs.find((candidate) => candidate.id === id);
    if (!needed) continue;
    if (conditionReadsTag(needed.if)) return { guard: needed, through };
    if (!ignoresNeeds(needed)) queue.push(...needed.needs.map((next) => ({ id: next, through: [...through, id] })));
  }
  return undefined;
}

/** `if: always()` (or cancelled(), failure()): the job runs when the jobs it needs are skipped. */
function ignoresNeeds(job: JobModel): boolean {
  return job.if !== undefined && /\b(?:always|cancelled|failure)\s*\(/.test(job.if);
}

/** Tags and releases created where no workflow will see them. */
function checkCausedEvents(project: Project, plan: ReleasePlan, report: Emit): void {
  // A release made in a run that a tag push started comes with a tag that already exists: only release workflows wait for it.
  const waits = (caused: CausedEvent, kind: string): boolean => kind === caused.kind || (caused.kind === 'release' && kind === 'push-tag' && caused.workflow.triggers.pushTags.kind === 'none');
  const packageDirs = (workflow: WorkflowModel): string[] => packageDirsOf(plan.routesOfWorkflow.get(workflow) ?? []);
  // A tag or release that a publish workflow creates for its own packages is not one a workflow publishing only others waits for.
  const meantFor = (caused: CausedEvent, workflow: WorkflowModel): boolean => {
    const theirs = packageDirs(caused.workflow);
    return theirs.length === 0 || packageDirs(workflow).some((dir) => theirs.includes(dir));
  };
  const waiting = (caused: CausedEvent): WorkflowModel[] =>
    plan.publishWorkflows.filter(
      (workflow) =>
        workflow !== caused.workflow &&
        !handsOn(caused.workflow, workflow) &&
        meantFor(caused, workflow) &&
        (plan.routesOfWorkflow.get(workflow) ?? []).some((route) => route.events.some((event) => waits(caused, event.kind))),
    );
  for (const caused of causedEvents(project)) {
    // A draft's published event is whoever publishes it: fastapi drafts its release with the GITHUB_TOKEN, a person publishes it.
    if (caused.draft) continue;
    const waiters = waiting(caused);
    const first = waiters[0];
    if (!first) continue;
    const trigger = first.triggers.events.includes('release') && caused.kind === 'release' ? 'release' : 'push';
    const more = waiters.length > 1 ? ` and ${waiters.length - 1} more publish workflow${waiters.length > 2 ? 's' : ''}` : '';
    const waiterAt = `${first.name} (on ${trigger === 'release' ? 'release' : 'tag push'}, ${first.file.path}:${first.file.positionAt(eventRange(first.file, trigger).start).line})${more}`;
    const creates = caused.kind === 'release' ? 'creates a release' : caused.tagCount > 1 ? `pushes ${caused.tagCount} tags` : 'pushes a tag';
    if (caused.token.kind === 'default') {
      report({
        kind: 'token-event',
        file: caused.step.file,
        range: evidenceRange(caused.evidence),
        message:
          `${caused.what} ${creates} with the default GITHUB_TOKEN (${tokenSource(caused.token.evidence, caused)}): GitHub starts no workflow for events the GITHUB_TOKEN causes, ` +
          `so ${waiterAt} never ${waiters.length > 1 ? 'run' : 'runs'} for it; create it with a GitHub App token or a PAT (a secret other than GITHUB_TOKEN), ` +
          `or call the publish workflow from ${caused.workflow.name} (workflow_call)`,
      });
    } else if (caused.kind === 'push-tag' && caused.tagCount > 3) {
      report({
        kind: 'many-tags',
        file: caused.step.file,
        range: evidenceRange(caused.evidence),
        message:
          `${caused.what} pushes ${caused.tagCount} tags at once: GitHub creates no push event for tags when more than three are pushed at once, so ${waiterAt} runs for none of them; ` +
          'push each tag with its own git push',
      });
    }
  }
}

/** Whether `creator` hands on to `publisher` itself: it calls it (workflow_call) or dispatches it. */
function handsOn(creator: WorkflowModel, publisher: WorkflowModel): boolean {
  if (creator.jobs.some((job) => job.uses?.endsWith(`/${publisher.name}`))) return true;
  return creator.jobs.some((job) => job.steps.some((step) => /\bgh\s+workflow\s+run\b/.test(step.run ?? '') || /createWorkflowDispatch|\/dispatches\b/.test(JSON.stringify(step.with))));
}

/** Where the default token comes in: the checkout's git credential, an action's default, a `token:` or `GH_TOKEN:` line. */
function tokenSource(evidence: Evidence, caused: CausedEvent): string {
  const at = describeEvidence(evidence);
  const last = evidence.path?.at(-1);
  if (last === 'uses') return caused.step.uses === undefined ? `the credential actions/checkout at ${at} leaves for git` : `the action's default, as no token is given at ${at}`;
  return `${String(last)} at ${at}`;
}
