import { defineRule } from '../../src/engine/rule.js';
import { secretReference } from '../../src/workflow/values.js';
import { releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import type { JobModel, StepModel, WorkflowModel } from '../../src/workflow/model.js';
import { keyRange, lineOf, originRange } from '../../src/workflow/locate.js';
import { grantsIdToken, isFirstPartyAction, parseActionReference, uploadGroups, uploadJobs } from '../../src/workflow/publish-jobs.js';

/** Actions that request an OIDC token for themselves (attestations, Sigstore signing, cloud logins). */
const NEEDS_OIDC = /^(?:actions\/attest(?:-build-provenance|-sbom)?|sigstore\/gh-action-sigstore-python|google-github-actions\/auth|aws-actions\/configure-aws-credentials|azure\/login)@/i;

/** A step whose own work needs the OIDC token: one of NEEDS_OIDC, or hynek's build action told to attest its build's provenance. */
function needsOidc(step: StepModel): boolean {
  if (step.uses === undefined) return false;
  if (NEEDS_OIDC.test(step.uses)) return true;
  const attests = String(step.with['attest-build-provenance-github'] ?? '').trim().toLowerCase();
  return /^hynek\/build-and-inspect-python-package@/i.test(step.uses) && attests === 'true';
}

export default defineRule({
  meta: {
    id: 'workflow/trusted-publishing',
    category: 'security',
    defaultSeverity: 'warning',
    kinds: {
      'token-upload': { category: 'security', defaultSeverity: 'warning', enabledByDefault: true, description: 'A token upload where trusted publishing would do.' },
      'missing-id-token': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A trusted-publishing upload whose job is not granted id-token: write: the upload cannot authenticate.',
      },
      'no-environment': { category: 'security', defaultSeverity: 'warning', enabledByDefault: true, description: 'A publish job without an environment.' },
      'id-token-scope': {
        category: 'security',
        defaultSeverity: 'warning',
        enabledByDefault: true,
        description: 'id-token: write granted to jobs that do not upload.',
      },
      'id-token-exposure': {
        category: 'security',
        defaultSeverity: 'warning',
        enabledByDefault: true,
        description: 'A job holding id-token: write that also runs tests or third-party actions.',
      },
      'reusable-workflow': {
        category: 'release',
        defaultSeverity: 'info',
        enabledByDefault: true,
        description: 'A trusted-publishing upload inside a reusable workflow: the publisher PyPI matches is the reusable workflow, not the caller.',
      },
    },
    fixable: 'none',
    description: 'Token uploads where PyPI trusted publishing would do; id-token scope and environments of publish jobs.',
    docs: {
      catches:
        'An upload authenticated with a token (`TWINE_PASSWORD`, `UV_PUBLISH_TOKEN`, `password:` of pypa/gh-action-pypi-publish, ' +
        '`--token`) where trusted publishing (OIDC) would do (kind `token-upload`). Also: `id-token: write` ' +
        'granted to jobs that do not upload, at the workflow level or on the job (kind `id-token-scope`); a job holding ' +
        '`id-token: write` that also runs tests (`pytest`, `tox`, `nox`, `hatch test`...) or a third-party action other than ' +
        'those that need the token themselves (Sigstore signing, attestations, cloud logins) (kind ' +
        '`id-token-exposure`); a publish job with no `environment:` (kind `no-environment`); these are security warnings. A ' +
        'tokenless upload whose job is not granted `id-token: write`, which cannot authenticate at all (kind ' +
        '`missing-id-token`, a release error). And, as information, a trusted-publishing upload inside a reusable workflow ' +
        '(kind `reusable-workflow`): PyPI looks the publisher up by the OIDC token\'s `job_workflow_ref` claim, which names ' +
        'the reusable workflow file that holds the upload job, and does not check `workflow_ref`, the calling workflow ' +
        '(pypi/warehouse `warehouse/oidc/models/github.py`, `lookup_by_claims` and `_check_job_workflow_ref`, at commit ' +
        '6b62157 of 2026-08-21); that claim must also name this repository at the ref or commit of the run, so a reusable ' +
        'workflow of another repository never matches. Register the reusable workflow\'s file name on PyPI, not the ' +
        'caller\'s. PyPI\'s own documentation still calls reusable workflows unsupported (warehouse#11096). The same ' +
        'is said of a token upload in a reusable workflow.',
      why:
        'A long-lived API token in repository secrets can leak (a debug step, a compromised action) and stays valid until ' +
        'someone revokes it; a trusted publisher issues a token valid for minutes, for one workflow, only when it runs. An ' +
        'environment lets you require a reviewer before anything reaches PyPI and scopes the publisher to it.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build && twine check --strict dist/*\n' +
          '      - run: twine upload dist/*\n        env:\n          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n' +
          '      - run: python -m build && twine check --strict dist/*\n      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4\n',
      },
      fixSafety: 'No fix: switching to trusted publishing needs a publisher registered on PyPI first. Turn the rule off if you upload with per-project tokens by design.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);

    // Trusted publishing exists on PyPI and TestPyPI only: uploads to another index are left alone.
    const toPyPI = (route: PublishRoute): boolean => route.index.kind !== 'other';
    for (const { site, routes } of uploadGroups(plan)) {
      const token = routes.filter(toPyPI).map((route) => route.credential).find((credential) => credential.kind === 'token');
      if (token?.kind !== 'token') continue;
      const file = token.origin?.file ?? site.workflow.file;
      const inFile = token.origin ? secretReference(token.origin.file.get(token.origin.path)) : undefined;
      const callers = [...new Set(routes.filter((route) => route.workflow !== site.workflow).map((route) => route.workflow.name))];
      report({
        kind: 'token-upload',
        file,
        range: token.origin ? originRange(token.origin) : keyRange(file, site.step.path),
        message:
          `token upload (${token.variable}${inFile ? ` from secrets.${inFile}` : ''}, upload at ${site.step.file.path}:${lineOf(site.step.file, site.step.path)}) where PyPI trusted publishing would do` +
          (callers.length > 0
            ? `; the upload sits in the reusable workflow ${site.workflow.name} (called by ${callers.join(', ')}): ${publisherMatch(site.workflow.name)}, grant id-token: write to job ${site.job.id} and the calling jobs and drop the token`
            : `; register ${site.workflow.name} as a trusted publisher on PyPI, grant id-token: write to job ${site.job.id} and drop the token`),
      });
    }

    for (const { workflow, job, routes } of uploadJobs(plan)) {
      if (!routes.some(toPyPI)) continue;
      const trusted = routes.filter((route) => route.credential.kind === 'trusted');
      const missing = trusted.filter((route) => !idTokenGranted(route));
      if (missing.length > 0) {
        const where = job.permissions !== undefined ? [...job.path, 'permissions'] : job.path;
        report({
          kind: 'missing-id-token',
          file: workflow.file,
          range: keyRange(workflow.file, where),
          message:
            `job ${job.id} uploads without a token (trusted publishing, upload at ${describeUploads(missing)}) but is not granted id-token: write` +
            (missing.some((route) => route.workflow !== workflow) ? ` (the calling job must grant it too: ${[...new Set(missing.map((route) => `${route.workflow.name} job ${route.job.id}`))].join(', ')})` : '') +
            ': it cannot request the OIDC token PyPI exchanges for an upload token, so the upload fails; add permissions: id-token: write to the job',
        });
      }
      if (job.environment === undefined) {
        report({
          kind: 'no-environment',
          file: workflow.file,
          range: keyRange(workflow.file, job.path),
          message: `job ${job.id} uploads to PyPI without an environment: add environment: pypi so the upload can require a reviewer and the publisher (or token) is scoped to it`,
        });
      }
    }

    for (const workflow of plan.uploadWorkflows) {
      const uploading = new Set(plan.routes.flatMap((route) => [route.upload.workflow === workflow ? route.upload.job : undefined, route.workflow === workflow ? route.job : undefined]));
      // write-all is workflow/permissions' finding: it grants far more than id-token.
      if (grantsIdToken(workflow.permissions) && workflow.permissions !== 'write-all') {
        const others = workflow.jobs.filter((job) => !uploading.has(job) && job.permissions === undefined);
        if (others.length > 0) {
          report({
            kind: 'id-token-scope',
            file: workflow.file,
            range: keyRange(workflow.file, ['permissions', 'id-token']),
            message: `id-token: write at the workflow level also reaches ${others.map((job) => `job ${job.id} (line ${lineOf(workflow.file, job.path)})`).join(', ')}, which ${others.length > 1 ? 'do' : 'does'} not upload: grant it on the publish job only`,
          });
        }
      }
      for (const job of workflow.jobs) {
        if (uploading.has(job) || job.uses !== undefined || job.permissions === 'write-all' || !grantsIdToken(job.permissions)) continue;
        // Attestations, signing and cloud logins request their own OIDC token: the grant is needed there.
        if (job.steps.some(needsOidc)) continue;
        report({
          kind: 'id-token-scope',
          file: workflow.file,
          range: keyRange(workflow.file, [...job.path, 'permissions', 'id-token']),
          message: `job ${job.id} of ${workflow.name} is granted id-token: write but does not upload: anything it runs can request an OIDC token that PyPI accepts for this workflow; remove the grant`,
        });
      }
    }

    for (const { workflow, job, routes } of uploadJobs(plan)) {
      const effective = job.permissions ?? workflow.permissions;
      if (!grantsIdToken(effective) || !routes.some((route) => route.credential.kind === 'trusted')) continue;
      const risky = job.steps.map((step) => ({ step, what: riskyStep(step) })).filter((entry): entry is { step: StepModel; what: RiskyCode } => entry.what !== undefined);
      if (risky.length === 0) continue;
      const at = ({ step, what }: { step: StepModel; what: RiskyCode }): string => `${what.text} (line ${lineOf(step.file, [...step.path, what.kind === 'action' ? 'uses' : 'run'])})`;
      const actions = risky.filter((entry) => entry.what.kind === 'action').map(at);
      const commands = risky.filter((entry) => entry.what.kind === 'command').map(at);
      const listed = [...commands, ...(actions.length > 0 ? [`third-party action${actions.length > 1 ? 's' : ''} ${actions.join(', ')}`] : [])].join(' and ');
      report({
        kind: 'id-token-exposure',
        file: workflow.file,
        range: keyRange(workflow.file, job.permissions !== undefined ? [...job.path, 'permissions'] : ['permissions']),
        message:
          `job ${job.id} holds id-token: write and also runs ${listed}: that code can request an OIDC token and upload to PyPI as this workflow; ` +
          'build and test in a job without id-token, and upload from a job that only downloads the distributions and runs the upload',
      });
    }

    for (const { site, routes } of uploadGroups(plan)) {
      const trusted = routes.filter((route) => toPyPI(route) && route.credential.kind === 'trusted' && route.workflow !== site.workflow);
      if (trusted.length === 0) continue;
      const callers = [...new Set(trusted.map((route) => route.workflow.name))];
      report({
        kind: 'reusable-workflow',
        file: site.step.file,
        range: keyRange(site.step.file, site.step.path),
        message: `job ${site.job.id} uploads with trusted publishing inside the reusable workflow ${site.workflow.name} (called by ${callers.join(', ')}): ${publisherMatch(site.workflow.name)}`,
      });
    }
  },
});

/**
 * What PyPI matches for a token from a job of a reusable workflow, as warehouse's source does it
 * (warehouse/oidc/models/github.py at 6b62157, 2026-08-21: lookup_by_claims reads the workflow
 * file name from job_workflow_ref; workflow_ref is among the unchecked claims).
 */
function publisherMatch(reusable: string): string {
  return `PyPI matches the workflow file of the job that requests the token, so register ${reusable} (not its caller) as the trusted publisher's workflow on PyPI (see the rule's docs)`;
}

const TEST_COMMAND = /(?:^|[\s;&|(])((?:(?:uv|poetry|pdm|hatch)\s+run\s+)?(?:python3?\s+-m\s+)?(?:pytest|tox|nox|unittest)|hatch\s+test|make\s+\w*test\w*)\b/m;
/** Runners of the project's own environment: whatever it installs runs with the job's token. */
const PROJECT_RUNNER = /(?:^|[\s;&|(])((?:uv|poetry|pdm|hatch)\s+run)\b/m;

interface RiskyCode {
  kind: 'command' | 'action';
  text: string;
}

/** Tests, task runners and third-party actions: code that needs no OIDC token. */
function riskyStep(step: StepModel): RiskyCode | undefined {
  const run = step.run ?? '';
  const test = TEST_COMMAND.exec(run) ?? PROJECT_RUNNER.exec(run);
  if (test) return { kind: 'command', text: `\`${test[1]!.replace(/\s+/g, ' ')}\`` };
  const reference = step.uses ? parseActionReference(step.uses) : undefined;
  // An action whose own work needs the token (signing, attestations, cloud logins) is not a leak of it.
  if (reference && !isFirstPartyAction(reference) && !TRUSTED_OWNERS.test(reference.owner) && !needsOidc(step)) {
    return { kind: 'action', text: reference.repository };
  }
  return undefined;
}

/** Owners of the publish action and of the setup actions a publish job commonly needs. */
const TRUSTED_OWNERS = /^(pypa|astral-sh)$/i;


/** `publish.yml:31`, each upload step once. */
function describeUploads(routes: PublishRoute[]): string {
  return [...new Set(routes.map((route) => `${route.upload.step.file.path}:${lineOf(route.upload.step.file, route.upload.step.path)}`))].join(', ');
}

/** Whether the upload job (and, for a reusable workflow, the calling job) may request an OIDC token. */
function idTokenGranted(route: PublishRoute): boolean {
  const effective = (workflow: WorkflowModel, job: JobModel): unknown => job.permissions ?? workflow.permissions;
  const own = effective(route.upload.workflow, route.upload.job);
  if (route.workflow === route.upload.workflow) return grantsIdToken(own);
  const caller = effective(route.workflow, route.job);
  return (own === undefined || grantsIdToken(own)) && grantsIdToken(caller);
}
