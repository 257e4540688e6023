import { defineRule } from '../../src/engine/rule.js';
import { packageDirsOf, releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import type { WorkflowModel } from '../../src/workflow/model.js';
import { eventRange } from '../../src/workflow/locate.js';
import { causedEvents, type CausedEvent } from '../../src/plan/caused-events.js';
import { describeEvidence } from '../../src/plan/evidence.js';
import { conditionReadsTag, conditionTellsTagsApart } from '../../src/workflow/publish-jobs.js';

export default defineRule({
  meta: {
    id: 'workflow/release-trigger',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A `release` event with no condition on the tag in several publish workflows, or where another package\'s workflow creates releases; a publish workflow on every push.',
    docs: {
      catches:
        'The `release` event in more than one publish workflow, where a workflow\'s publish job (or its upload step) has no ' +
        '`if:` that tells its release\'s tag from the others\' (`github.ref`, `github.ref_name` or `github.event.release.tag_name` ' +
        'compared with a package\'s prefix; `startsWith(github.ref, \'refs/tags\')` or `github.ref_type == \'tag\'` passes for every ' +
        'release and counts as no condition); the only release workflow, unguarded, when another package\'s publish workflow ' +
        'creates GitHub releases with a token that starts workflows (a PAT or an app token: not the GITHUB_TOKEN); a publish ' +
        'workflow on `push` with no `tags` or `branches` filter; and, as a warning, a `release` trigger without `types:` (it ' +
        'fires for created, published, edited... so one release starts several uploads).',
      why:
        'A GitHub release is not tied to a package: every workflow listening to `release` runs for every release. With one ' +
        'publish workflow per package, publishing the core\'s release also uploads every plugin, at whatever version its ' +
        'pyproject holds. The same holds for the one release workflow when a tag workflow of another package creates a release ' +
        'for its own tag with a PAT: that release starts it. An unfiltered `push` publishes on every commit to every branch.',
      failing: {
        file: '.github/workflows/publish-plugin.yml',
        content:
          'on:\n  release:\n    types: [published]\njobs:\n  publish:\n    permissions: { contents: read, id-token: write }\n' +
          '    uses: ./.github/workflows/publish-to-pypi.yml\n    with:\n      package-path: src/plugin\n',
      },
      passing: {
        file: '.github/workflows/publish-plugin.yml',
        content:
          'on:\n  release:\n    types: [published]\njobs:\n  publish:\n' +
          '    if: startsWith(github.event.release.tag_name, \'plugin-v\')\n' +
          '    permissions: { contents: read, id-token: write }\n    uses: ./.github/workflows/publish-to-pypi.yml\n' +
          '    with:\n      package-path: src/plugin\n',
      },
      fixSafety: 'No fix: choose per-package tag triggers (`on.push.tags`) or add a condition on the release tag.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);
    const routesOf = (workflow: WorkflowModel): PublishRoute[] => plan.routesOfWorkflow.get(workflow) ?? [];

    const onRelease = plan.publishWorkflows.filter((workflow) => workflow.triggers.events.includes('release'));
    const unguarded = onRelease.filter((workflow) => routesOf(workflow).some((route) => !guarded(route)));
    const packagesOf = (workflow: WorkflowModel): string[] => [...new Set(packageDirsOf(routesOf(workflow)).map((dir) => project.packageAt(dir)?.name ?? dir))];
    const fix = "(add if: startsWith(github.event.release.tag_name, '<prefix>'), or use push tags)";
    if (onRelease.length > 1) {
      for (const workflow of unguarded) {
        const others = onRelease.filter((other) => other !== workflow).map((other) => other.name);
        report({
          file: workflow.file,
          range: eventRange(workflow.file, 'release'),
          message:
            `${workflow.name} publishes ${packagesOf(workflow).join(', ') || 'its package'} on every GitHub release, and ${others.join(', ')} ` +
            `${others.length > 1 ? 'also publish' : 'also publishes'} on release; ${unguardedBecause(routesOf(workflow))}, so a release meant for another package publishes this one too ${fix}`,
        });
      }
    } else {
      // The only release workflow: a release another package's publish workflow creates still starts it.
      for (const workflow of unguarded) {
        const published = packagesOf(workflow);
        const creator = causedEvents(project).find((caused) => startsWorkflows(caused) && caused.workflow !== workflow && packagesOf(caused.workflow).some((name) => !published.includes(name)));
        if (!creator) continue;
        const theirs = packagesOf(creator.workflow).filter((name) => !published.includes(name));
        report({
          file: workflow.file,
          range: eventRange(workflow.file, 'release'),
          message:
            `${workflow.name} publishes ${published.join(', ') || 'its package'} on every GitHub release, and ${creator.workflow.name} creates a release for ${theirs.join(', ')} ` +
            `(${creator.what} at ${describeEvidence(creator.evidence)})${creator.draft ? ' as a draft, whose publication starts the release workflows' : ' with a token that starts workflows (not the GITHUB_TOKEN)'}; ${unguardedBecause(routesOf(workflow))}, ` +
            `so every ${theirs.join(', ')} release also uploads ${published.join(', ') || 'its package'} at whatever version its pyproject holds ${fix}`,
        });
      }
    }

    for (const workflow of onRelease) {
      if (workflow.triggers.releaseTypes?.length) continue;
      report({
        file: workflow.file,
        range: eventRange(workflow.file, 'release'),
        severity: 'warning',
        message: `${workflow.name} publishes on "release" with no types: it runs for created, published, edited and released alike, so one release starts several uploads (use types: [published])`,
      });
    }

    for (const workflow of plan.publishWorkflows) {
      if (!workflow.triggers.pushUnfiltered) continue;
      const events = new Set(routesOf(workflow).flatMap((route) => route.events.map((event) => event.kind)));
      if (events.has('push-branch')) {
        report({
          file: workflow.file,
          range: eventRange(workflow.file, 'push'),
          message: `${workflow.name} publishes on push with no tags or branches filter: every push to any branch or tag uploads (add tags: ["<package>-v*"])`,
        });
      } else if (events.has('push-tag')) {
        // The jobs' conditions keep branch pushes out, but nothing tells one tag from another.
        report({
          file: workflow.file,
          range: eventRange(workflow.file, 'push'),
          severity: 'warning',
          message: `${workflow.name} publishes on every tag: on: push has no tags filter and its publish job only checks that the ref is a tag, so a stray tag (docs-v2, a test tag) starts an upload (add tags: ["v[0-9]*"])`,
        });
      }
    }
  },
});

/** Why a release workflow's routes do not tell its releases from others': a generic tag condition, or none. */
function unguardedBecause(routes: readonly PublishRoute[]): string {
  const generic = routes.flatMap(tagConditions).find((condition) => !conditionTellsTagsApart(condition));
  return generic
    ? `its condition if: ${generic.trim()} passes for every release's tag, so it does not tell this package's releases from the others'`
    : "no job condition here reads the release's tag";
}

/** A release that starts the release workflows: made with a credential other than the GITHUB_TOKEN, or a draft someone publishes. */
function startsWorkflows(caused: CausedEvent): boolean {
  return caused.kind === 'release' && (caused.token.kind === 'other' || caused.draft);
}

/** A route whose entry job, upload job or upload step only runs for its own package's tags. */
function guarded(route: PublishRoute): boolean {
  return tagConditions(route).some(conditionTellsTagsApart);
}

/** The conditions on the way to the upload that read the tag. */
function tagConditions(route: PublishRoute): string[] {
  return [route.job.if, route.upload.job.if, route.upload.step.if].filter((condition): condition is string => conditionReadsTag(condition));
}
