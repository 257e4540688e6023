import { defineRule } from '../../src/engine/rule.js';
import { secretReference } from '../../src/workflow/values.js';
import { releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import type { JobModel, WorkflowModel } from '../../src/workflow/model.js';
import { keyRange, originRange } from '../../src/workflow/locate.js';
import { grantsIdToken, uploadGroups, uploadJobs } from '../../src/workflow/publish-jobs.js';

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
    },
    fixable: 'none',
    description: 'Token uploads where PyPI trusted publishing would do; id-token scope and environments of publish jobs.',
    docs: {
      catches:
        'An upload authenticated with a token (`TWINE_PASSWORD`, `UV_PUBLISH_TOKEN`, `password:` of pypa/gh-action-pypi-publish, ' +
        '`--token`) where trusted publishing (OIDC) would do (kind `token-upload`); when the upload sits in a reusable workflow, ' +
        'the message says that PyPI\'s trusted publishing needs the upload job in the calling workflow. Also: `id-token: write` ' +
        'granted at the workflow level to jobs that do not upload (kind `id-token-scope`); a publish job with no `environment:` ' +
        '(kind `no-environment`); these are security warnings. And a tokenless upload whose job is not granted ' +
        '`id-token: write`, which cannot authenticate at all (kind `missing-id-token`, a release error).',
      why:
        'A long-lived API token in repository secrets can leak (a debug step, a compromised action) and stays valid until ' +
        'someone revokes it; a trusted publisher issues a token valid for minutes, for one workflow, only when it runs. An ' +
        'environment lets you require a reviewer before anything reaches PyPI and scopes the publisher to it.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build && twine check --strict dist/*\n' +
          '      - run: twine upload dist/*\n        env:\n          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n' +
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
          `token upload (${token.variable}${inFile ? ` from secrets.${inFile}` : ''}) where PyPI trusted publishing would do` +
          (callers.length > 0
            ? `; the upload sits in the reusable workflow ${site.workflow.name}, and trusted publishing needs the upload job in the caller (${callers.join(', ')}), since PyPI matches the calling workflow`
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
            `job ${job.id} uploads without a token (trusted publishing) but is not granted id-token: write` +
            (missing.some((route) => route.workflow !== workflow) ? ` (the calling job must grant it too: ${[...new Set(missing.map((route) => `${route.workflow.name} job ${route.job.id}`))].join(', ')})` : '') +
            ': the upload cannot authenticate',
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
      if (!grantsIdToken(workflow.permissions)) continue;
      const uploading = new Set(plan.routes.flatMap((route) => [route.upload.workflow === workflow ? route.upload.job : undefined, route.workflow === workflow ? route.job : undefined]));
      const others = workflow.jobs.filter((job) => !uploading.has(job) && job.permissions === undefined);
      if (others.length === 0) continue;
      const path = workflow.permissions === 'write-all' ? ['permissions'] : ['permissions', 'id-token'];
      report({
        kind: 'id-token-scope',
        file: workflow.file,
        range: keyRange(workflow.file, path),
        message: `id-token: write at the workflow level also reaches ${others.map((job) => `job ${job.id}`).join(', ')}, which ${others.length > 1 ? 'do' : 'does'} not upload: grant it on the publish job only`,
      });
    }
  },
});

/** Whether the upload job (and, for a reusable workflow, the calling job) may request an OIDC token. */
function idTokenGranted(route: PublishRoute): boolean {
  const effective = (workflow: WorkflowModel, job: JobModel): unknown => job.permissions ?? workflow.permissions;
  const own = effective(route.upload.workflow, route.upload.job);
  if (route.workflow === route.upload.workflow) return grantsIdToken(own);
  const caller = effective(route.workflow, route.job);
  return (own === undefined || grantsIdToken(own)) && grantsIdToken(caller);
}
