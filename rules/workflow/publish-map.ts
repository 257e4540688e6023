import path from 'node:path';
import { defineRule, type Report } from '../../src/engine/rule.js';
import { packageLabel } from '../../src/packages/package.js';
import { evidenceRange } from '../../src/plan/evidence.js';
import { releasePlan, uploadsToPyPI, uploadsUnbuilt, type PublishRoute, type ReleasePlan } from '../../src/plan/release-plan.js';
import type { Package, Project } from '../../src/project/project.js';
import { eventRange } from '../../src/workflow/locate.js';
import type { WorkflowModel } from '../../src/workflow/model.js';
import { staleLegs } from '../../src/workflow/publish-jobs.js';
import { pushTo } from '../../src/group.js';
import { summarizeList } from '../../src/summarize.js';

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
        '`python -m build DIR`, `packages-dir`, `uv build --package NAME`) that holds no package (error; one written as a value ' +
        'of a matrix with other legs is `workflow/trigger-reachability`\'s `stale-leg`); a publish workflow ' +
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
    const seen = new Set<string>();
    const once = (key: string, emit: () => void): void => {
      if (seen.has(key)) return;
      seen.add(key);
      emit();
    };

    // Publish steps the plan cannot follow: one info finding where it loses the trail.
    for (const route of plan.routes) {
      // Nothing writes the files at all: that is a missing build, workflow/publish-steps' error (one cause, one finding).
      if (route.confidence !== 'opaque' || uploadsUnbuilt(route)) continue;
      for (const link of route.opaque) {
        const range = evidenceRange(link.evidence);
        once(`opaque:${link.evidence.file.path}:${range.start}`, () =>
          report({
            file: link.evidence.file,
            range,
            severity: 'info',
            message:
              `${link.reason}, so the linter cannot tell which packages ${describeRoute(route)} publishes; ` +
              `map them in the config: [tool.pypi-release-lint.packages."DIR or GLOB"] workflow = "${route.workflow.name}"`,
          }),
        );
      }
    }

    // Publish paths that hold no package (a stale matrix leg is workflow/trigger-reachability's).
    for (const route of plan.routes) {
      const staleValues = new Set(staleLegs(route).map((stale) => stale.target));
      for (const target of route.targets) {
        if (target.pkg || staleValues.has(target) || holdsProjectTable(project, target.dir)) continue;
        const at = target.origin ? { file: target.origin.file, range: evidenceRange(target.origin) } : configLocation(project, target.dir ?? '');
        once(`missing:${at.file.path}:${at.range?.start}:${target.dir ?? target.name}`, () => {
          const names = project.packages.map(packageLabel);
          const message =
            target.dir === undefined
              ? `${describeRoute(route)} builds --package ${target.name}, but no package of this repo is named ${target.name} (packages: ${summarize(names)})`
              : project.exists(path.posix.join(target.dir, 'pyproject.toml'))
                ? `${describeRoute(route)} publishes ${target.dir}, whose pyproject.toml declares no package ([project] or [tool.poetry]): nothing to build`
                : `${describeRoute(route)} publishes ${target.dir === '.' ? 'the repository root' : target.dir}, which has no pyproject.toml: the build fails there; ` +
                  (suggestion(project, target.dir) ?? 'point it at the directory of the package to publish, or remove it');
          report({ ...at, message });
        });
      }
    }

    // Config mappings that point at no publish workflow.
    for (const [glob, workflowName] of project.config.packageWorkflows) {
      if (plan.routes.some((route) => route.workflow.name === workflowName || route.upload.workflow.name === workflowName)) continue;
      const exists = plan.workflows.some((workflow) => workflow.name === workflowName);
      report({
        ...configLocation(project, glob),
        severity: 'warning',
        message: `the config maps ${glob} to ${workflowName}, which ${exists ? 'uploads nothing to PyPI' : 'does not exist in .github/workflows'}`,
      });
    }

    // A package beside published siblings that nothing publishes (only when every publisher was followed).
    if (!plan.routes.some((route) => route.confidence === 'opaque')) {
      const published = new Set(plan.publishedPackages);
      const publishedIn = new Map<string, Package[]>();
      for (const other of plan.publishedPackages) if (other.dir !== '.') pushTo(publishedIn, parentOf(other.dir), other);
      for (const pkg of project.packages) {
        if (published.has(pkg) || pkg.sample || pkg.notPublishable || pkg.kind === 'unparsed' || pkg.dir === '.') continue;
        const siblings = publishedIn.get(parentOf(pkg.dir)) ?? [];
        if (siblings.length === 0) continue;
        // summarize() shows three and counts the rest: only those three are described.
        const named = siblings.map((sibling, index) => (index < 3 ? `${packageLabel(sibling)} (${workflowsOf(plan, sibling.dir).join(', ')})` : ''));
        report({
          file: pkg.declaredIn,
          range: pkg.pyproject?.rangeOfValue(pkg.namePath) ?? { start: 0, end: 0 },
          severity: 'warning',
          message:
            `${packageLabel(pkg)} (${pkg.dir}) is published by no workflow, while the packages beside it in ${parentOf(pkg.dir)}/ are: ${summarize(named)}. ` +
            `Add a publish workflow, map it with [tool.pypi-release-lint.packages."${pkg.dir}"] workflow = "FILE.yml", or ignore the directory`,
        });
      }
    }

    // Two workflows publishing one package on the same automatic, non-tag trigger.
    for (const pkg of plan.publishedPackages) {
      const routes = (plan.routesOfPackage.get(pkg.dir) ?? []).filter(uploadsToPyPI);
      const workflows = [...new Set(routes.map((route) => route.workflow))].sort((a, b) => a.file.path.localeCompare(b.file.path));
      for (let j = 1; j < workflows.length; j++) {
        for (let i = 0; i < j; i++) {
          const shared = sharedTriggers(routes, workflows[i]!, workflows[j]!);
          if (shared.length === 0) continue;
          const second = workflows[j]!;
          report({
            file: second.file,
            range: eventRange(second.file, shared[0]!),
            message:
              `${second.name} and ${workflows[i]!.name} both publish ${packageLabel(pkg)} on ${shared.join(', ')}: one event uploads the same version twice, ` +
              'and the second upload fails the release',
          });
        }
      }
    }
  },
});

/** "publish-hf-local.yml (job publish, through publish-to-pypi.yml)". */
function describeRoute(route: PublishRoute): string {
  const through = route.upload.workflow === route.workflow ? '' : `, through ${route.upload.workflow.name}`;
  return `${route.workflow.name} (job ${route.job.id}${through})`;
}

function workflowsOf(plan: ReleasePlan, dir: string): string[] {
  return [...new Set((plan.routesOfPackage.get(dir) ?? []).map((route) => route.workflow.name))];
}

function parentOf(dir: string): string {
  return path.posix.dirname(dir);
}

/** At most three names, then how many more. */
function summarize(names: string[]): string {
  return names.length === 0 ? 'none' : summarizeList(names, 3);
}

/** Events on which both workflows upload a package on their own (tags are workflow/tag-overlap's). */
function sharedTriggers(routes: PublishRoute[], a: WorkflowModel, b: WorkflowModel): string[] {
  const automatic = (workflow: WorkflowModel): Set<string> =>
    new Set(routes.filter((route) => route.workflow === workflow).flatMap((route) => route.events.filter((event) => event.kind === 'release' || event.kind === 'push-branch' || event.kind === 'other').map((event) => event.name)));
  const other = automatic(b);
  return [...automatic(a)].filter((event) => other.has(event));
}

/** A package directory whose name is close to a stale one: "did you mean src/x_plugin?". */
function suggestion(project: Project, dir: string): string | undefined {
  const base = path.posix.basename(dir);
  const close = project.packages.find((pkg) => pkg.dir !== '.' && (path.posix.basename(pkg.dir).startsWith(base) || base.startsWith(path.posix.basename(pkg.dir))));
  return close ? `did you mean ${close.dir}, the directory of ${close.name ?? close.dir}?` : undefined;
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

/**
 * Whether the pyproject.toml in `dir` declares a project though the linter does not count it among
 * the packages (discovery leaves out sample and test directories, src/packages/read.ts: a
 * test-utilities package under tests/, as opentelemetry-python builds): the build finds a package
 * there, so the route is no mistake.
 */
function holdsProjectTable(project: Project, dir: string | undefined): boolean {
  if (dir === undefined) return false;
  const text = project.readText(path.posix.join(dir, 'pyproject.toml'));
  return text !== undefined && /^\s*\[(?:project|tool\.poetry)\]\s*$/m.test(text);
}
