import { defineRule, type Report } from '../../src/engine/rule.js';
import type { PublishRoute, UploadSite } from '../../src/plan/release-plan.js';
import { UPLOAD_COMMAND } from '../../src/plan/commands.js';
import { releasePlan, uploadsUnbuilt } from '../../src/plan/release-plan.js';
import type { StepModel, WorkflowModel } from '../../src/workflow/model.js';
import type { Range } from '../../src/project/source-file.js';
import type { KindMeta } from '../../src/types.js';
import { keyRange, textRange, valueRange } from '../../src/workflow/locate.js';
import { descriptionType } from '../../src/pyproject/description-type.js';
import { summarizeList } from '../../src/summarize.js';
import { DRY_RUN_INPUT, stepText, stepsBeforeUpload, uploadGroups, type UploadGroup } from '../../src/workflow/publish-jobs.js';

const TWINE_CHECK = /\btwine\s+check\b/;

const KINDS = {
  'unchecked-upload': {
    category: 'release',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description: 'An upload with no build or no twine check before it.',
  },
  'dry-run-ignored': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'A declared dry-run input that the upload never reads.' },
  'continue-on-error': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'continue-on-error on the upload step or job.' },
  'skip-existing': { category: 'release', defaultSeverity: 'warning', enabledByDefault: true, description: 'An upload with skip-existing.' },
  'lenient-twine-check': {
    category: 'hygiene',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    description: 'twine check without --strict before the upload.',
  },
} satisfies Record<string, KindMeta>;

type StepsReport = Report<keyof typeof KINDS>;

export default defineRule({
  meta: {
    id: 'workflow/publish-steps',
    category: 'release',
    defaultSeverity: 'error',
    kinds: KINDS,
    fixable: 'none',
    description: 'The uploading job: build and `twine check` before the upload, a dry-run guard, no skip-existing, no continue-on-error.',
    docs: {
      catches:
        'In every job that uploads to PyPI: no build (or downloaded build artifact) before the upload, or no `twine check` ' +
        'before the upload of a package whose description PyPI may fail to render: reStructuredText (a `.rst` readme, ' +
        '`text/x-rst`, setuptools\' dynamic readme without a content type) or a type the files do not tell; Markdown, plain ' +
        'text and no description always render (kind `unchecked-upload`, errors; `pypa/gh-action-pypi-publish` checks ' +
        'metadata itself unless `verify-metadata: false`); a declared dry-run input (`dry-run`, `dry_run`, `skip-upload`...) that the upload step ' +
        'and its job never read (kind `dry-run-ignored`, an error); `--skip-existing` / `skip-existing: true` on an upload to PyPI (kind ' +
        '`skip-existing`, a warning; on TestPyPI it only lets a re-run rehearse again); `continue-on-error` on the upload step or job (kind `continue-on-error`, an error). ' +
        'Off by default: `twine check` without `--strict` (kind `lenient-twine-check`, a warning).',
      why:
        '`twine check --strict` is the only place a broken long description is caught before PyPI rejects the upload ' +
        '(warehouse refuses a description its renderer returns nothing for: "The description failed to render"; only ' +
        'reStructuredText can fail). A dry-run input that the upload ignores uploads a real release ' +
        'during a rehearsal. `skip-existing` turns "this version is already on PyPI" (a forgotten version bump) into a green ' +
        'run, and `continue-on-error` turns every failed upload into one.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  workflow_dispatch:\n    inputs:\n      dry-run: { type: boolean, default: true }\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - run: python -m build\n      - run: twine upload --skip-existing dist/*\n        continue-on-error: true\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  workflow_dispatch:\n    inputs:\n      dry-run: { type: boolean, default: true }\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - run: python -m build\n      - run: twine check --strict dist/*\n      - if: ${{ !inputs.dry-run }}\n        run: twine upload dist/*\n',
      },
      fixSafety: 'No fix: the steps belong to your release process; the message says what to add or remove.',
    },
  },
  check({ project, report }) {
    const reported = new Set<string>();
    /** Reports once per key: a check step or a caller shared by several upload sites. */
    const once = (key: string, finding: StepsReport): void => {
      if (reported.has(key)) return;
      reported.add(key);
      report(finding);
    };
    for (const group of uploadGroups(releasePlan(project))) {
      checkBuildAndCheck(group, report, once);
      checkDryRun(group, report, once);
      checkFailingOpen(group, report);
    }
  },
});

type Emit = (finding: StepsReport) => void;
type EmitOnce = (key: string, finding: StepsReport) => void;

/** A build (or downloaded artifact) and a twine check before the upload; --strict on the check. */
function checkBuildAndCheck({ site, routes }: UploadGroup, report: Emit, once: EmitOnce): void {
  const { workflow, job, step } = site;
  const file = workflow.file;
  // The steps before the upload, plus what its own script runs before the upload command.
  const ownScript = scriptBeforeUpload(site);
  const before = routes.map((route) => [...stepsBeforeUpload(route), ...(ownScript ? [{ ...step, run: ownScript }] : [])]);
  const everyRoute = (test: (steps: StepModel[]) => boolean): boolean => before.every(test);
  const buildsItself = selfBuilding(site);

  // The release plan followed the files back: nothing (no build, no download, no script) writes them.
  if (!buildsItself && routes.some(uploadsUnbuilt)) {
    report({
      kind: 'unchecked-upload',
      file,
      range: uploadRange(site),
      message:
        `${site.tool} in job ${job.id} uploads dist/, but nothing builds it first (no build step in this job or the jobs it needs, no downloaded artifact): ` +
        'the upload finds no distribution; add python -m build before the upload, or download the artifact of the job that builds it',
    });
  }
  const verifiesItself = site.tool === 'pypa/gh-action-pypi-publish' && step.with['verify-metadata'] !== false && step.with['verify-metadata'] !== 'false';
  const mayNotRender = buildsItself || verifiesItself || everyRoute((steps) => steps.some(isTwineCheck)) ? undefined : descriptionsThatMayNotRender(routes);
  if (mayNotRender !== undefined) {
    // Once per job: a job that uploads twice (TestPyPI, then PyPI) needs one check before both.
    once(`no-check:${file.path}:${job.id}`, {
      kind: 'unchecked-upload',
      file,
      range: uploadRange(site),
      message: `no twine check before ${site.tool} in job ${job.id}: ${mayNotRender}, and PyPI refuses the upload of a description that does not render; add twine check --strict dist/*`,
    });
  }
  for (const check of before.flat().filter(isTwineCheck)) {
    if (/--strict\b/.test(check.run!)) continue;
    const checkFile = workflowOf(routes, check)?.file ?? file;
    once(`check:${checkFile.path}:${check.path.join('/')}`, {
      kind: 'lenient-twine-check',
      file: checkFile,
      range: textRange(checkFile, [...check.path, 'run'], TWINE_CHECK),
      message: 'twine check without --strict before the upload: warnings (a README PyPI renders as plain text) pass; use twine check --strict',
    });
  }
}

/** A declared dry-run input must reach the upload: read by the upload step or its job, passed on by a caller. */
function checkDryRun({ site, routes }: UploadGroup, report: Emit, once: EmitOnce): void {
  const { workflow, job, step } = site;
  const dryRun = dryRunInputs(workflow);
  if (dryRun.length > 0 && !readsInput(`${stepText(step)}\n${job.if ?? ''}`, dryRun)) {
    report({
      kind: 'dry-run-ignored',
      file: workflow.file,
      range: keyRange(workflow.file, step.path),
      message: `the upload step ignores the declared dry-run input ${dryRun.map((name) => `"${name}"`).join(', ')}: a rehearsal run uploads for real (add if: \${{ !inputs.${dryRun[0]} }})`,
    });
  }
  for (const route of routes) {
    if (route.workflow === workflow) continue;
    const callerDryRun = dryRunInputs(route.workflow);
    if (callerDryRun.length === 0 || readsInput(`${JSON.stringify(route.job.with)}\n${route.job.if ?? ''}`, callerDryRun)) continue;
    once(`caller:${route.workflow.file.path}:${route.job.id}`, {
      kind: 'dry-run-ignored',
      file: route.workflow.file,
      range: valueRange(route.workflow.file, [...route.job.path, 'uses']),
      message: `${route.workflow.name} declares the dry-run input "${callerDryRun[0]}", but job ${route.job.id} neither passes it to ${workflow.name} nor reads it in if:: a rehearsal run uploads for real`,
    });
  }
}

/** skip-existing (warning) and continue-on-error (error): an upload that fails without failing the run. */
function checkFailingOpen({ site, routes }: UploadGroup, report: Emit): void {
  const { workflow, job, step } = site;
  const file = workflow.file;
  const skipInRun = step.run !== undefined && /--skip-existing\b/.test(step.run);
  // On TestPyPI a version already there is a re-run's rehearsal, not a forgotten bump: no PyPI
  // release passes silently by it.
  const rehearsalOnly = routes.length > 0 && routes.every((route) => route.index.kind === 'testpypi');
  if ((skipInRun || step.with['skip-existing'] === true || step.with['skip-existing'] === 'true') && !rehearsalOnly) {
    report({
      kind: 'skip-existing',
      file,
      range: skipInRun ? textRange(file, [...step.path, 'run'], '--skip-existing') : valueRange(file, [...step.path, 'with', 'skip-existing']),
      message: 'skip-existing makes an upload of a version already on PyPI (a forgotten version bump) pass silently; drop it so the release fails loudly',
    });
  }
  for (const [value, path, what] of [
    [step.continueOnError, [...step.path, 'continue-on-error'], 'the upload step'],
    [job.continueOnError, [...job.path, 'continue-on-error'], `job ${job.id}`],
  ] as const) {
    if (value === undefined || value === false || value === 'false') continue;
    report({ kind: 'continue-on-error', file, range: keyRange(file, path), message: `continue-on-error on ${what}: a failed upload leaves the run green and the release unpublished` });
  }
}

function uploadRange(site: UploadSite): Range {
  const file = site.workflow.file;
  if (site.step.uses) return valueRange(file, [...site.step.path, 'uses']);
  return textRange(file, [...site.step.path, 'run'], UPLOAD_COMMAND);
}

/**
 * What the upload step runs before the upload command: in its `run:` block, or, when the upload is
 * a line of a repository script the step runs (`./scripts/release.sh`), in that script.
 */
function scriptBeforeUpload(site: UploadSite): string | undefined {
  const { evidence, step } = site;
  if (evidence.file !== site.workflow.file && evidence.offset !== undefined) return evidence.file.text.slice(0, evidence.offset);
  return step.run?.slice(0, UPLOAD_COMMAND.exec(step.run)?.index ?? 0);
}

/** Upload tools that build on their own: flit publish, pdm publish (unless --no-build), poetry publish --build. */
function selfBuilding(site: UploadSite): boolean {
  const run = site.step.run ?? '';
  return /\bflit\s+publish\b/.test(run) || (/\bpdm\s+publish\b/.test(run) && !/--no-build\b/.test(run)) || poetryPublishBuilds(run);
}

/** `poetry publish … --build` on one line; each line is read once (`poetry publish[^\n]*--build` rescans a long line at every `poetry publish` on it). */
function poetryPublishBuilds(run: string): boolean {
  return run.split('\n').some((line) => {
    const publish = /\bpoetry\s+publish\b/.exec(line);
    return publish !== null && /--build\b/.test(line.slice(publish.index + publish[0].length));
  });
}

function isTwineCheck(step: StepModel): boolean {
  return step.run !== undefined && TWINE_CHECK.test(step.run);
}

function workflowOf(routes: PublishRoute[], step: StepModel): WorkflowModel | undefined {
  for (const route of routes) {
    for (const workflow of [route.upload.workflow, route.workflow]) if (workflow.jobs.some((job) => job.steps.includes(step))) return workflow;
  }
  return undefined;
}

/** Dry-run inputs the upload's workflow declares (workflow_call or workflow_dispatch). */
function dryRunInputs(workflow: WorkflowModel): string[] {
  const declared = [...(workflow.triggers.callInputs ?? []), ...(workflow.triggers.dispatchInputs ?? [])].map((input) => input.name);
  return [...new Set(declared.filter((name) => DRY_RUN_INPUT.test(name)))];
}

/** Whether `text` (a step's if, run, with and env; a job's condition) reads one of the inputs `names`. */
function readsInput(text: string, names: string[]): boolean {
  return names.some((name) => new RegExp(`inputs(?:\\.${escape(name)}(?![\\w-])|\\[\\s*'${escape(name)}'\\s*\\])`).test(text));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What of the uploaded packages' long descriptions PyPI may fail to render (reStructuredText, or a
 * type the files do not tell), for the message; undefined when every one is Markdown, plain text or
 * absent, which always render (src/pyproject/description-type.ts), so a twine check catches nothing.
 */
function descriptionsThatMayNotRender(routes: readonly PublishRoute[]): string | undefined {
  const targets = routes.flatMap((route) => route.targets);
  if (targets.length === 0) return 'the packages it uploads are not known, nor how their descriptions render';
  const risky = [...new Set(targets.map((target) => target.pkg))].flatMap((pkg) => {
    if (pkg === undefined) return ['a package the linter cannot name'];
    const type = descriptionType(pkg);
    if (type === 'rst') return [`${pkg.name ?? pkg.dir}'s description is reStructuredText`];
    return type === undefined ? [`${pkg.name ?? pkg.dir}'s description is of a type its files do not tell`] : [];
  });
  return risky.length === 0 ? undefined : summarizeList(risky, 3);
}
