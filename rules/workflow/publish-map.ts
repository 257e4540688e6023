import path from 'node:path';
import { defineRule, type Report } from '../../src/engine/rule.js';
import type { PublishRoute } from '../../src/plan/release-plan.js';
import { BUILD_COMMAND } from '../../src/plan/commands.js';
import { releasePlan } from '../../src/plan/release-plan.js';
import type { WorkflowModel } from '../../src/plan/workflow.js';
import type { Package, Project } from '../../src/project/project.js';
import type { SourceFile } from '../../src/project/source-file.js';
import type { Range } from '../../src/project/source-file.js';
import type { YamlFile } from '../../src/project/yaml-file.js';
import { eventRange, originRange, textRange, valueRange } from '../../src/workflow/locate.js';

export default defineRule({
  meta: {
    id: 'workflow/publish-map',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'Which workflow publishes which package: unmapped packages, unresolvable or stale publish paths, double publishers.',
    docs: {
      catches:
        'The release plan, checked: a publish path (a caller\'s `with: package-path`, a `working-directory`, `cd DIR`, ' +
        '`python -m build DIR`, `packages-dir`, `uv build --package NAME`) that holds no package (error); a publish workflow ' +
        'whose package cannot be inferred (warning, with the config entry that maps it); a package whose siblings are ' +
        'published but which no workflow publishes (warning); two workflows that publish the same package on the same ' +
        'non-tag trigger, such as `release` or a branch push (error; shared tags are `workflow/tag-overlap`\'s); a config ' +
        'mapping to a workflow that uploads nothing (warning). Run `pypi-release-lint plan` to see the whole plan.',
      why:
        'A renamed package directory leaves its publish workflow building nothing, and the failure shows only on release ' +
        'day. A package nobody publishes is usually one somebody forgot; a package published by two workflows on one event ' +
        'is uploaded twice, and the second upload of the same version fails the release.',
      failing: {
        file: '.github/workflows/publish-plugin.yml',
        content:
          'on:\n  push:\n    tags: ["plugin-v*"]\njobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml\n    with:\n' +
          '      package-path: src/old_plugin_name   # the directory was renamed to src/plugin\n',
      },
      passing: {
        file: '.github/workflows/publish-plugin.yml',
        content: 'on:\n  push:\n    tags: ["plugin-v*"]\njobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml\n    with:\n      package-path: src/plugin\n',
      },
      fixSafety: 'No fix: only you know whether a path is stale or a package is meant to stay unpublished. Map a package explicitly with `[tool.pypi-release-lint.packages."DIR"] workflow = "FILE.yml"`.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);
    if (plan.routes.length === 0) return;
    const label = (pkg: Package): string => pkg.name ?? pkg.dir;

    // Publish paths that hold no package, and routes whose package cannot be inferred.
    const seen = new Set<string>();
    for (const route of plan.routes) {
      if (route.resolvedBy === 'unresolved') {
        const at = unresolvedLocation(route);
        once(`unresolved:${at.file.path}:${at.range.start}:${route.workflow.file.path}`, () =>
          report({
            ...at,
            severity: 'warning',
            message:
              `${describeRoute(route)} uploads a package this linter cannot identify (the directory it builds comes from an expression or a shell variable); ` +
              `map it in the config: [tool.pypi-release-lint.packages."DIR"] workflow = "${route.workflow.name}"`,
          }),
        );
        continue;
      }
      for (const target of route.targets) {
        if (target.dir !== undefined && project.packageAt(target.dir)) continue;
        const at = target.origin ? { file: target.origin.file as SourceFile, range: originRange(target.origin) } : configLocation(project, target.dir ?? '');
        once(`missing:${at.file.path}:${at.range?.start}:${target.dir ?? target.name}`, () => {
          const names = project.packages.map(label).join(', ') || 'none';
          const message =
            target.dir === undefined
              ? `${describeRoute(route)} builds --package ${target.name}, but no package of this repo is named ${target.name} (packages: ${names})`
              : project.exists(path.posix.join(target.dir, 'pyproject.toml'))
                ? `${describeRoute(route)} publishes ${target.dir}, whose pyproject.toml has no [project] table: nothing to build`
                : `${describeRoute(route)} publishes ${target.dir}, which has no pyproject.toml${suggestion(project, target.dir)}`;
          report({ ...at, message });
        });
      }
    }

    // Config mappings that point at no publish workflow.
    for (const [dir, workflowName] of project.config.packageWorkflows) {
      if (plan.routes.some((route) => route.workflow.name === workflowName)) continue;
      const exists = plan.workflows.some((workflow) => workflow.name === workflowName);
      report({
        ...configLocation(project, dir),
        severity: 'warning',
        message: `the config maps ${dir} to ${workflowName}, which ${exists ? 'uploads nothing to PyPI' : 'does not exist in .github/workflows'}`,
      });
    }

    // Siblings of published packages that nothing publishes.
    const published = new Set(plan.publishedPackages);
    const publishedList = plan.publishedPackages.map((pkg) => `${label(pkg)} (${workflowsOf(plan.routes, pkg.dir).join(', ')})`);
    for (const pkg of project.packages) {
      if (published.has(pkg)) continue;
      report({
        file: pkg.pyproject,
        range: pkg.pyproject.rangeOfValue(['project', 'name']) ?? pkg.pyproject.rangeOfEntry(['project']) ?? { start: 0, end: 0 },
        severity: 'warning',
        message:
          `${label(pkg)} (${pkg.dir}) is published by no workflow, while its siblings are: ${publishedList.join('; ')}. ` +
          `Add a publish workflow, map it with [tool.pypi-release-lint.packages."${pkg.dir}"] workflow = "FILE.yml", or ignore the directory`,
      });
    }

    // Two workflows publishing one package on the same automatic, non-tag trigger.
    for (const pkg of plan.publishedPackages) {
      const workflows = [...new Set(plan.routes.filter((route) => route.packageDirs.includes(pkg.dir)).map((route) => route.workflow))].sort((a, b) =>
        a.file.path.localeCompare(b.file.path),
      );
      for (let j = 1; j < workflows.length; j++) {
        for (let i = 0; i < j; i++) {
          const shared = sharedTriggers(workflows[i]!, workflows[j]!);
          if (shared.length === 0) continue;
          const second = workflows[j]!;
          report({
            file: second.file,
            range: eventRange(second.file, shared[0]!),
            message:
              `${second.name} and ${workflows[i]!.name} both publish ${label(pkg)} on ${shared.join(', ')}: one event uploads the same version twice, ` +
              'and the second upload fails the release',
          });
        }
      }
    }

    function once(key: string, emit: () => void): void {
      if (seen.has(key)) return;
      seen.add(key);
      emit();
    }
  },
});

/** Where the unknown package comes from: the build command, else the upload step, else the reusable-workflow call. */
function unresolvedLocation(route: PublishRoute): { file: YamlFile; range: Range } {
  if (route.build?.step.run !== undefined && route.build.workflow === route.workflow) {
    const file = route.build.workflow.file;
    return { file, range: textRange(file, [...route.build.step.path, 'run'], BUILD_COMMAND) };
  }
  if (route.upload.workflow === route.workflow) {
    const { file } = route.upload.workflow;
    return { file, range: valueRange(file, [...route.upload.step.path, route.upload.step.uses ? 'uses' : 'run']) };
  }
  return { file: route.workflow.file, range: valueRange(route.workflow.file, [...route.job.path, 'uses']) };
}

/** "publish-hf-local.yml (job publish, through publish-to-pypi.yml)". */
function describeRoute(route: PublishRoute): string {
  const through = route.upload.workflow === route.workflow ? '' : `, through ${route.upload.workflow.name}`;
  return `${route.workflow.name} (job ${route.job.id}${through})`;
}

function workflowsOf(routes: PublishRoute[], dir: string): string[] {
  return [...new Set(routes.filter((route) => route.packageDirs.includes(dir)).map((route) => route.workflow.name))];
}

/** Events that start a workflow on their own (not tags: those are workflow/tag-overlap's). */
function automaticTriggers(workflow: WorkflowModel): string[] {
  return workflow.triggers.events.filter((event) => {
    if (event === 'workflow_dispatch' || event === 'workflow_call' || event === 'repository_dispatch') return false;
    if (event === 'push') return workflow.triggers.pushBranches;
    return true;
  });
}

function sharedTriggers(a: WorkflowModel, b: WorkflowModel): string[] {
  const other = new Set(automaticTriggers(b));
  return automaticTriggers(a).filter((event) => other.has(event));
}

/** A package directory whose name is close to a stale one: "did you mean src/x_plugin?". */
function suggestion(project: Project, dir: string): string {
  const base = path.posix.basename(dir);
  const close = project.packages.find((pkg) => pkg.dir !== '.' && (path.posix.basename(pkg.dir).startsWith(base) || base.startsWith(path.posix.basename(pkg.dir))));
  return close ? ` (did you mean ${close.dir}, the directory of ${close.name ?? close.dir}?)` : '';
}

/** Where the config maps a directory to a workflow (the root pyproject's [tool.pypi-release-lint.packages."DIR"]). */
function configLocation(project: Project, dir: string): Pick<Report, 'file' | 'range'> {
  const root = project.rootPyproject;
  if (root && project.config.source?.startsWith('pyproject.toml')) {
    const entry = Object.keys((root.get(['tool', 'pypi-release-lint', 'packages']) as Record<string, unknown> | undefined) ?? {}).find(
      (key) => path.posix.normalize(key.replace(/^\.\//, '')).replace(/\/+$/, '') === dir,
    );
    const range = entry === undefined ? undefined : (root.rangeOfValue(['tool', 'pypi-release-lint', 'packages', entry, 'workflow']) ?? root.rangeOfEntry(['tool', 'pypi-release-lint', 'packages', entry]));
    return { file: root, range: range ?? root.rangeOfEntry(['tool', 'pypi-release-lint']) ?? { start: 0, end: 0 } };
  }
  const source = project.config.source ? project.sourceFile(project.config.source) : undefined;
  return { file: source ?? root ?? project.files[0]!, range: { start: 0, end: 0 } };
}
