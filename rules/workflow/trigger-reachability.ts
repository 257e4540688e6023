import path from 'node:path';
import { defineRule, type Report } from '../../src/engine/rule.js';
import { packageLabel, type Package } from '../../src/packages/package.js';
import { causedEvents, type CausedEvent } from '../../src/plan/caused-events.js';
import { describeEvidence, evidenceRange, type Evidence } from '../../src/plan/evidence.js';
import type { JobRun } from '../../src/plan/job-runs.js';
import type { Link } from '../../src/plan/trace.js';
import { releasePlan, uploadsToPyPI, type ReleasePlan, type UnreachableUpload } from '../../src/plan/release-plan.js';
import type { Project } from '../../src/project/project.js';
import { YamlFile } from '../../src/project/yaml-file.js';
import { summarizeList } from '../../src/summarize.js';
import type { KindMeta } from '../../src/types.js';
import { eventRange, keyRange, lineOf, valueRange } from '../../src/workflow/locate.js';
import type { JobModel, MatrixLeg, WorkflowModel } from '../../src/workflow/model.js';
import { conditionReadsTag, staleLegs, triggeredByTags, type StaleLeg } from '../../src/workflow/publish-jobs.js';

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
  const packageDirs = (workflow: WorkflowModel): string[] => (plan.routesOfWorkflow.get(workflow) ?? []).flatMap((route) => route.packageDirs);
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

/**
 * Legs of one upload job that upload the same files of one package: a build that writes the same
 * files in every leg (an sdist, a pure wheel), or per-platform wheel builds whose legs differ in
 * nothing the build or the runner reads. Legs that each build their own platform's wheels upload
 * different files and are left alone.
 */
function checkRepeatedLegs(project: Project, plan: ReleasePlan, report: Emit): void {
  const reported = new Set<string>();
  for (const route of plan.routes) {
    const { workflow, job } = route.upload;
    for (const { dir, legs, builds } of route.repeatedLegs) {
      const common = builds.filter((build) => !isPlatformBuild(build));
      const platform = builds.filter(isPlatformBuild);
      if (common.length === 0 && platform.length > 0 && platform.some((build) => legsDifferFor(workflow, job, legs, build))) continue;
      const key = `${workflow.file.path}:${job.id}:${dir}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const pkg = project.packageAt(dir);
      const name = `${pkg ? packageLabel(pkg) : dir}${pkg?.version ? ` ${pkg.version}` : ''}`;
      const legList = `${legs.length} legs of job ${job.id} (${legs.map(describeLeg).join('; ')}; upload at ${describeEvidence({ file: route.upload.step.file, path: route.upload.step.path })})`;
      const oneLeg = uploadingLeg(job, legs);
      const onlyIn = oneLeg ? ` (if: matrix.${oneLeg.key} == '${oneLeg.value}')` : '';
      const sameFiles = common[0] ?? platform[0];
      const what = sameFiles ? `${describeBuild(sameFiles)} (${describeEvidence(sameFiles.evidence)})` : 'the same build';
      let message: string;
      if (common.length > 0 && platform.length > 0) {
        message =
          `${legList} each upload their own wheels of ${name}, but ${what} runs in every leg, so every leg uploads the same ${filesOf(sameFiles!)}: the legs race, the first upload of it wins and every later leg fails (File already exists); ` +
          `build the ${filesOf(sameFiles!)} once${onlyIn}, pass each leg's wheels on with upload-artifact, and upload once from a job that needs the matrix job (download-artifact with merge-multiple: true)`;
      } else if (common.length > 0 || platform.length === 0) {
        message =
          `${name} is built and uploaded by ${legList}: ${what} writes the same files in every leg, so every upload after the first fails (File already exists); ` +
          `upload from one leg${onlyIn} or from a job that needs the matrix job`;
      } else {
        message =
          `${name} is built and uploaded by ${legList}: ${what} reads none of the matrix values the legs differ in, so every leg builds and uploads the same wheels and every upload after the first fails (File already exists); ` +
          'give each leg its own platform (runs-on: ${{ matrix.os }}, or CIBW_ARCHS / CIBW_BUILD from the matrix), or build once and upload from a job that needs the matrix job';
      }
      report({ kind: 'repeated-leg', file: workflow.file, range: keyRange(workflow.file, [...job.path, 'strategy', 'matrix']), message });
    }
  }
}

/** Builders that write wheels for the platform they run on (or are told): legs on different platforms write different files. */
function isPlatformBuild(build: Link): boolean {
  if (/cibuildwheel|maturin (?:build|publish)/.test(build.what)) return true;
  // `python -m build --wheel` of a package with compiled code writes a wheel per platform too; only an sdist is surely the same.
  const text = commandText(build);
  return /(?:^|\s)(?:--wheel|-w)(?=\s|$)/.test(text) && !/(?:^|\s)(?:--sdist|-s)(?=\s|$)/.test(text);
}

/** What a build writes that is the same in every leg. */
function filesOf(build: Link): string {
  const text = commandText(build);
  return /(?:^|\s)(?:--sdist|-s)(?=\s|$)/.test(text) || /maturin sdist/.test(build.what) ? 'sdist' : 'sdist and wheel';
}

/** `python -m build --sdist`, as written (the build link's command), or the tool. */
function describeBuild(build: Link): string {
  return commandText(build) || build.what.replace(/^build \((.*)\)$/, '$1');
}

function commandText(build: Link): string {
  if (build.evidence.text) return build.evidence.text.trim();
  const node = build.evidence.path && build.evidence.file instanceof YamlFile ? build.evidence.file.get(build.evidence.path) : undefined;
  return typeof node === 'string' && !node.includes('\n') ? node.trim() : '';
}

/**
 * Whether the legs of a per-platform build differ in what it builds: a matrix key whose value
 * differs between the legs is read by the job's runs-on, its env or the build step. A build in a
 * file other than the upload job's (a local action) is taken as differing: the linter cannot tell.
 */
function legsDifferFor(workflow: WorkflowModel, job: JobModel, legs: JobRun[], build: Link): boolean {
  const stepPath = build.evidence.path?.slice(0, (build.evidence.path.indexOf('steps') + 2) || undefined);
  if (build.evidence.file !== workflow.file || !stepPath || stepPath.length < 2) return true;
  const differing = [...(legs[0]?.leg?.keys() ?? [])].filter((key) => legs.some((leg) => JSON.stringify(leg.leg?.get(key)?.value) !== JSON.stringify(legs[0]!.leg!.get(key)?.value)));
  const read = JSON.stringify([job.runsOn, job.env, workflow.file.get(stepPath)]);
  return differing.some((key) => new RegExp(`matrix\\.${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(read));
}

/** The matrix key and value of the leg to upload from: the first leg whose runner is Linux (the publish action runs on Linux only). */
function uploadingLeg(job: JobModel, legs: JobRun[]): { key: string; value: string } | undefined {
  return differingKey(legs, legs.find((leg) => !/windows|macos/i.test(runnerOf(job, leg))) ?? legs[0]);
}

/** A leg's runs-on label (a `${{ matrix.KEY }}` read from the leg). */
function runnerOf(job: JobModel, leg: JobRun): string {
  const runsOn = typeof job.runsOn === 'string' ? job.runsOn : JSON.stringify(job.runsOn ?? '');
  return runsOn.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_, key: string) => String(leg.leg?.get(key)?.value ?? ''));
}

function describeLeg(run: JobRun): string {
  return run.leg && run.leg.size > 0 ? describeMatrixLeg(run.leg) : run.key;
}

/** `package=core, python=3.12`. */
function describeMatrixLeg(leg: MatrixLeg): string {
  return [...leg].map(([key, { value }]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ');
}

/** Matrix legs left over from a renamed or removed package: one finding at the leg's value. */
function checkStaleLegs(project: Project, plan: ReleasePlan, report: Emit): void {
  const reported = new Set<string>();
  for (const route of plan.routes) {
    for (const stale of staleLegs(route)) {
      const origin = stale.target.origin!;
      const range = evidenceRange(origin);
      const key = `${origin.file.path}:${range.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      report({ kind: 'stale-leg', file: origin.file, range, message: staleLegMessage(project, stale) });
    }
  }
}

function staleLegMessage(project: Project, stale: StaleLeg): string {
  const { target, job, workflow } = stale;
  const leg = `leg ${describeMatrixLeg(stale.leg)} of job ${job.id}`;
  const fix = 'remove the leg from the matrix';
  if (stale.kind === 'duplicate') {
    const pkg = target.pkg!;
    const original = stale.original!;
    const other = original.target.pkg!;
    const version = pkg.version ? ` ${pkg.version}` : '';
    const uploads =
      pkg.version && other.version && pkg.version !== other.version
        ? `so every release also uploads ${packageLabel(pkg)}${version} from the leftover copy, which fails with File already exists once${version} is on PyPI`
        : `so ${packageLabel(pkg)}${version} is uploaded twice and the second upload fails (File already exists)`;
    return (
      `${leg} builds ${pkg.dir}, whose pyproject.toml (${namedAt(pkg)}) names ${packageLabel(pkg)}${version}, the package leg ${describeMatrixLeg(original.leg)} already uploads from ${other.dir} ` +
      `(${namedAt(other)}${other.version ? `, ${other.version}` : ''}): a copy left over from a rename, ${uploads}; ${fix} (and delete ${pkg.dir})`
    );
  }
  const declaresNothing = target.dir !== undefined && project.exists(path.posix.join(target.dir, 'pyproject.toml'));
  const what =
    target.dir === undefined
      ? `builds --package ${target.name}, but no package of this repository is named ${target.name}`
      : `builds ${target.dir}, ${declaresNothing ? 'whose pyproject.toml declares no package ([project] or [tool.poetry])' : 'which has no pyproject.toml'}`;
  const build = target.chain.find((link) => link.what.startsWith('build'));
  const buildAt = `That leg's build${build ? ` (${describeEvidence(build.evidence)})` : ''}`;
  const outcome = declaresNothing
    ? `${buildAt} has no package of yours to build (at best an UNKNOWN distribution)`
    : `${buildAt} fails, so the release run fails${failFast(workflow, job)}`;
  return `${leg} ${what}: a value left over from a renamed or removed package (${otherLegs(stale)}). ${outcome}; ${fix}`;
}

/** What the other legs build: the package the stale value was likely renamed to first, when its directory or name is close. */
function otherLegs(stale: StaleLeg): string {
  const stem = (text: string | undefined): string => (text ?? '').split('/').pop()!.toLowerCase().replace(/[-_.]+/g, '-');
  const staleStem = stem(stale.target.dir ?? stale.target.name);
  const withPackage = stale.others.filter((other) => other.target.pkg);
  const close = withPackage.find(({ target }) => [stem(target.pkg!.dir), stem(target.pkg!.name)].some((candidate) => candidate !== '' && (staleStem.includes(candidate) || candidate.includes(staleStem))));
  if (close) return `did it become ${close.target.pkg!.dir}, ${packageLabel(close.target.pkg!)} (${namedAt(close.target.pkg!)}), which leg ${describeMatrixLeg(close.leg)} already builds?`;
  if (withPackage.length === 0) return 'no leg of the matrix builds a package';
  const built = withPackage.map(({ leg, target }) => `${packageLabel(target.pkg!)} by leg ${describeMatrixLeg(leg)}`);
  return `the other legs build ${summarizeList([...new Set(built)], 3)}`;
}

/** Where a package's name is written: `libs/core/pyproject.toml:5`. */
function namedAt(pkg: Package): string {
  const range = pkg.pyproject?.rangeOfValue(pkg.namePath);
  return `${pkg.declaredIn.path}${range ? `:${pkg.declaredIn.positionAt(range.start).line}` : ''}`;
}

/** What a failing leg does to the others: fail-fast (GitHub's default) cancels them. */
function failFast(workflow: WorkflowModel, job: JobModel): string {
  const setting = workflow.file.get([...job.path, 'strategy', 'fail-fast']);
  return setting === false || setting === 'false'
    ? ' (fail-fast: false lets the other legs finish)'
    : ', and with fail-fast (the default) GitHub cancels the other legs still running, so their packages may not be uploaded either';
}
/** The first matrix key whose value differs between the legs, and the chosen leg's value of it. */
function differingKey(legs: JobRun[], chosen: JobRun | undefined): { key: string; value: string } | undefined {
  const leg = chosen?.leg;
  if (!leg) return undefined;
  for (const [key, { value }] of leg) {
    if (!legs.some((other) => JSON.stringify(other.leg?.get(key)?.value) !== JSON.stringify(value))) continue;
    return { key, value: typeof value === 'string' ? value : JSON.stringify(value) };
  }
  return undefined;
}
