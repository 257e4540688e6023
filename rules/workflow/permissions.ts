import { defineRule } from '../../src/engine/rule.js';
import { releasePlan } from '../../src/plan/release-plan.js';
import { headRange, valueRange } from '../../src/workflow/locate.js';
import { isMissingPublishActionRef } from '../../src/workflow/publish-action-refs.js';
import { isFirstPartyAction, isFullCommitSha, parseActionReference, uploadJobs } from '../../src/workflow/publish-jobs.js';

export default defineRule({
  meta: {
    id: 'workflow/permissions',
    category: 'security',
    defaultSeverity: 'warning',
    fixable: 'none',
    description: 'Publish workflows without explicit permissions or with write-all, checkouts that keep credentials, third-party actions not pinned to a SHA.',
    docs: {
      catches:
        'A workflow that publishes to PyPI (a caller or the reusable workflow that uploads) with no top-level `permissions:` ' +
        'while some job has none either, or with `permissions: write-all` at the top or on one of its jobs; in a job that uploads: `actions/checkout` without `persist-credentials: false`, and ' +
        'a third-party action (not `actions/*` or `github/*`) referenced by tag or branch instead of a full 40-character ' +
        'commit SHA.',
      why:
        'Without `permissions:`, GITHUB_TOKEN gets the repository default, often write access to contents, packages and ' +
        'releases, in the one job that also holds the PyPI credential. `actions/checkout` leaves that token in .git/config ' +
        'for every later step to read. A tag can be moved to malicious code at any time; a commit SHA cannot (the ' +
        'tj-actions/changed-files compromise of 2025 rewrote every tag).',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n' +
          '      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\npermissions:\n  contents: read\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n' +
          '      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4\n',
      },
      fixSafety: 'No fix: the permissions a workflow needs, and which commit a pin should name, are yours to decide.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);

    for (const workflow of plan.uploadWorkflows) {
      if (workflow.permissions !== undefined) continue;
      const open = workflow.jobs.filter((job) => job.permissions === undefined);
      if (open.length === 0) continue;
      const called = plan.routes.some((route) => route.upload.workflow === workflow && route.workflow !== workflow);
      report({
        file: workflow.file,
        range: headRange(workflow.file),
        message:
          `${workflow.name} ${called ? 'uploads to PyPI (called by another workflow)' : 'publishes to PyPI'}, but neither the workflow nor ` +
          `${open.length === 1 ? `job ${open[0]!.id} sets` : `jobs ${open.map((job) => job.id).join(', ')} set`} permissions:, so GITHUB_TOKEN gets the repository default there ` +
          '(often write access); add permissions: contents: read at the top and grant more per job',
      });
    }

    for (const workflow of plan.uploadWorkflows) {
      const scopes = [
        ...(workflow.permissions === 'write-all' ? [{ path: ['permissions'], who: `${workflow.name} grants every job` }] : []),
        ...workflow.jobs.filter((job) => job.permissions === 'write-all').map((job) => ({ path: [...job.path, 'permissions'], who: `job ${job.id} of ${workflow.name} is granted` })),
      ];
      for (const { path, who } of scopes) {
        report({
          file: workflow.file,
          range: valueRange(workflow.file, path),
          message: `${who} permissions: write-all in a workflow that publishes to PyPI: GITHUB_TOKEN may push tags, rewrite releases and request OIDC tokens (id-token: write) there; list only what the job needs (contents: read, id-token: write on the upload job)`,
        });
      }
    }

    for (const { workflow, job } of uploadJobs(plan)) {
      const file = workflow.file;
      for (const step of job.steps) {
        if (!step.uses) continue;
        const reference = parseActionReference(step.uses);
        if (!reference) continue;
        const at = valueRange(file, [...step.path, 'uses']);
        const persist = step.with['persist-credentials'];
        if (reference.repository.toLowerCase() === 'actions/checkout' && persist !== false && persist !== 'false') {
          report({
            file,
            range: at,
            message: `actions/checkout in job ${job.id} (which uploads to PyPI) leaves the GITHUB_TOKEN in .git/config for every later step, next to the PyPI credential; add with: persist-credentials: false`,
          });
        }
        // A publish action ref that does not exist is workflow/publish-action's (one cause, one finding): pinning it is moot.
        if (!isFirstPartyAction(reference) && !isFullCommitSha(reference.ref) && !isMissingPublishActionRef(reference)) {
          report({
            file,
            range: at,
            message: `third-party action ${reference.repository} in job ${job.id} (which uploads to PyPI) is pinned to ${reference.ref ? `"${reference.ref}"` : 'nothing'}, not to a full commit SHA: whoever controls that ref controls your release; pin ${reference.repository}@<40-hex SHA> # ${reference.ref ?? 'version'}`,
          });
        }
      }
    }
  },
});
