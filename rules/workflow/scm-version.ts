import { defineRule } from '../../src/engine/rule.js';
import { describeEvent } from '../../src/plan/events.js';
import { publishedPackages, releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import { releaseTags } from '../../src/plan/release-tags.js';
import type { Project } from '../../src/project/project.js';
import { repoPackages, type RepoPackage } from '../../src/pyproject/packages.js';
import { valueRange as tomlValueRange } from '../../src/pyproject/toml-text.js';
import { versionOf } from '../../src/pyproject/version.js';
import { keyRange, lineOf, valueRange } from '../../src/workflow/locate.js';
import type { StepModel } from '../../src/workflow/model.js';
import { summarizeList } from '../../src/summarize.js';

export default defineRule({
  meta: {
    id: 'workflow/scm-version',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      'shallow-checkout': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A version from git tags built from a shallow checkout on a run that is not a tag: the build gets 0.1.devN.',
      },
      'local-version': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'Uploads on branch pushes of a version from git tags with a local part (+g1a2b3c4), which indexes refuse.',
      },
      'shared-tags': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'Several packages versioned from the tags of one repository without a per-package tag pattern.',
      },
    },
    fixable: 'none',
    description: 'Versions from version control (setuptools-scm, hatch-vcs, pdm-backend, poetry-dynamic-versioning) that a publish run computes wrongly.',
    docs: {
      catches:
        'For each package whose version comes from git tags (setuptools-scm, hatch-vcs, pdm-backend `source = "scm"`, ' +
        'poetry-dynamic-versioning) and the routes that publish it: a build job whose `actions/checkout` keeps the default ' +
        '`fetch-depth: 1`, on a run that is not a tag push or a release (a branch push, a dispatch, a schedule), with no ' +
        '`git fetch --unshallow`/`--tags` before the build and no `SETUPTOOLS_SCM_PRETEND_VERSION` (kind `shallow-checkout`); ' +
        'uploads on branch pushes while the version keeps its local part (`local_scheme = "no-local-version"` for ' +
        'setuptools-scm and hatch-vcs, `version_format` for pdm-backend, `metadata = false` for poetry-dynamic-versioning; ' +
        'kind `local-version`); several published packages versioned from tags with no tag pattern of their own (`tag_regex`, ' +
        '`git_describe_command --match`, hatch `tag-pattern`, pdm `tag_filter`, poetry-dynamic-versioning `pattern`; kind `shared-tags`).',
      why:
        'A checkout of depth 1 has no tags, so the version tool finds none and builds `0.1.dev1+g1a2b3c4` (uploaded, or ' +
        'refused). Between tags, setuptools-scm and hatch-vcs add the commit as a local version (`1.2.4.dev3+g1a2b3c4`), ' +
        'and PyPI and TestPyPI refuse local versions. With several packages and one tag namespace, each package takes its ' +
        'version from the newest tag of any package: releasing `core-v2.0.0` builds the plugin as 2.0.0 too.',
      failing: {
        file: '.github/workflows/publish-dev.yml',
        content:
          'on:\n  push:\n    branches: [main]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n' +
          '      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          repository-url: https://test.pypi.org/legacy/\n',
      },
      passing: {
        file: '.github/workflows/publish-dev.yml',
        content:
          'on:\n  push:\n    branches: [main]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n' +
          '        with:\n          fetch-depth: 0\n      - run: python -m build   # [tool.setuptools_scm] local_scheme = "no-local-version"\n' +
          '      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          repository-url: https://test.pypi.org/legacy/\n',
      },
      fixSafety: 'No fix: fetch-depth, version schemes and tag patterns are yours to choose.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);
    const reportedCheckouts = new Set<StepModel>();
    const reportedTriggers = new Set<string>();
    const scmPackageAt = scmPackagesByDir(project);
    for (const route of plan.routes) {
      for (const pkg of route.packageDirs.map((dir) => scmPackageAt.get(dir)).filter((found): found is RepoPackage => found !== undefined)) {
        const provider = (versionOf(project, pkg) as { provider: string }).provider;
        const untagged = route.events.filter((event) => event.kind !== 'push-tag' && event.kind !== 'release');
        const checkout = untagged.length > 0 ? shallowCheckout(route) : undefined;
        if (checkout && !reportedCheckouts.has(checkout)) {
          reportedCheckouts.add(checkout);
          const depth = checkout.with['fetch-depth'];
          report({
            kind: 'shallow-checkout',
            file: checkout.file,
            range: valueRange(checkout.file, depth === undefined ? [...checkout.path, 'uses'] : [...checkout.path, 'with', 'fetch-depth']),
            message:
              `${pkg.name ?? pkg.dir} takes its version from git tags (${provider}, ${at(pkg, versionOf(project, pkg))}), but job ${route.build!.job.id} checks out ` +
              `${depth === undefined ? 'with the default fetch-depth: 1' : `with fetch-depth: ${String(depth)}`}, which fetches no tags, and ${route.workflow.name} runs it on ${untagged.map(describeEvent).join(', ')}: ` +
              'the build gets a version such as 0.1.dev1; set fetch-depth: 0 on the checkout',
          });
        }
        const key = `${route.workflow.file.path}\u0000${pkg.dir}`;
        if (route.events.some((event) => event.kind === 'push-branch') && route.index.kind !== 'other' && keepsLocalPart(project, pkg) && !reportedTriggers.has(key)) {
          reportedTriggers.add(key);
          const scheme = localSchemeFix(provider);
          report({
            kind: 'local-version',
            file: route.workflow.file,
            range: keyRange(route.workflow.file, route.workflow.triggers.pushBranchPatterns.length > 0 ? ['on', 'push', 'branches'] : ['on', 'push']),
            message:
              `${route.workflow.name} uploads ${pkg.name ?? pkg.dir} on branch pushes (upload at ${route.upload.step.file.path}:${lineOf(route.upload.step.file, route.upload.step.path)}), and its version comes from git tags (${provider}, ${at(pkg, versionOf(project, pkg))}) ` +
              `with a local part between tags (1.2.4.dev3+g1a2b3c4), which PyPI and TestPyPI refuse; ${scheme}`,
          });
        }
      }
    }
    checkSharedTags(project, report);
  },
});

type Reporter = Parameters<NonNullable<ReturnType<typeof defineRule>['check']>>[0]['report'];

/** The packages whose version comes from git tags, by directory (built once: there is a route per package and trigger). */
function scmPackagesByDir(project: Project): Map<string, RepoPackage> {
  return new Map(repoPackages(project).filter((pkg) => versionOf(project, pkg).kind === 'vcs').map((pkg) => [pkg.dir, pkg]));
}

function at(pkg: RepoPackage, source: ReturnType<typeof versionOf>): string {
  const path = 'path' in source ? source.path : ['project'];
  return `${pkg.pyproject.path}:${pkg.pyproject.positionAt(tomlValueRange(pkg.pyproject, path).start).line}`;
}

/**
 * The build job's checkout, when it fetches no tags: actions/checkout before the build without
 * fetch-depth: 0, and no step between them fetching the history or tags, and no pretended version.
 */
function shallowCheckout(route: PublishRoute): StepModel | undefined {
  const build = route.build;
  if (!build || build.step.file !== build.workflow.file) return undefined;
  const before = build.job.steps.slice(0, build.step.index + 1);
  const checkoutIndex = before.map((step) => /^actions\/checkout@/i.test(step.uses ?? '')).lastIndexOf(true);
  if (checkoutIndex < 0) return undefined;
  const checkout = before[checkoutIndex]!;
  const depth = checkout.with['fetch-depth'];
  if (depth === 0 || depth === '0' || (typeof depth === 'string' && depth.includes('${{'))) return undefined;
  const later = before.slice(checkoutIndex + 1);
  if (later.some((step) => /\bgit\s+fetch\b[^\n]*(--unshallow|--tags|--depth)|\bgit\s+fetch-tags\b/.test(step.run ?? ''))) return undefined;
  const env = [build.workflow.env, build.job.env, ...later.map((step) => step.env)];
  if (env.some((scope) => Object.keys(scope).some((name) => /PRETEND_VERSION|POETRY_DYNAMIC_VERSIONING_BYPASS/.test(name)))) return undefined;
  if (later.some((step) => /PRETEND_VERSION|POETRY_DYNAMIC_VERSIONING_BYPASS/.test(step.run ?? ''))) return undefined;
  return checkout;
}

/** Whether the version tool adds the commit as a local version between tags (its default). */
function keepsLocalPart(project: Project, pkg: RepoPackage): boolean {
  const source = versionOf(project, pkg);
  if (source.kind !== 'vcs') return false;
  const file = pkg.pyproject;
  switch (source.provider) {
    case 'setuptools-scm':
      return (file.get(['tool', 'setuptools_scm', 'local_scheme']) ?? file.get(['tool', 'setuptools-scm', 'local_scheme'])) !== 'no-local-version';
    case 'hatch-vcs':
      return file.get(['tool', 'hatch', 'version', 'raw-options', 'local_scheme']) !== 'no-local-version' && file.get(['tool', 'setuptools_scm', 'local_scheme']) !== 'no-local-version';
    case 'pdm scm':
      return file.get(['tool', 'pdm', 'version', 'version_format']) === undefined;
    case 'poetry-dynamic-versioning':
      return file.get(['tool', 'poetry-dynamic-versioning', 'metadata']) !== false && file.get(['tool', 'poetry-dynamic-versioning', 'format']) === undefined;
    default:
      return false;
  }
}

function localSchemeFix(provider: string): string {
  switch (provider) {
    case 'hatch-vcs':
      return 'set local_scheme = "no-local-version" in [tool.hatch.version.raw-options]';
    case 'pdm scm':
      return 'set a version_format in [tool.pdm.version] that leaves the local part out';
    case 'poetry-dynamic-versioning':
      return 'set metadata = false in [tool.poetry-dynamic-versioning]';
    default:
      return 'set local_scheme = "no-local-version" in [tool.setuptools_scm]';
  }
}

function tagPatternFix(provider: string, name: string): string {
  const regex = `"^${name}-v(?P<version>.*)$"`;
  const describe = `"git describe --dirty --tags --long --match '${name}-v*'"`;
  switch (provider) {
    case 'hatch-vcs':
      return `[tool.hatch.version] tag-pattern = ${regex} and raw-options = { git_describe_command = ${describe} }`;
    case 'pdm scm':
      return `[tool.pdm.version] tag_filter = "${name}-v*" and tag_regex = ${regex}`;
    case 'poetry-dynamic-versioning':
      return `[tool.poetry-dynamic-versioning] pattern = ${regex}`;
    default:
      return `[tool.setuptools_scm] tag_regex = ${regex} and git_describe_command = ${describe}`;
  }
}

/** Published packages versioned from tags, none with a tag pattern of its own: each named once, with the others. */
function checkSharedTags(project: Project, report: Reporter): void {
  const published = new Set(publishedPackages(project).map((pkg) => pkg.dir));
  const versioned = repoPackages(project).filter((pkg) => published.has(pkg.dir) && versionOf(project, pkg).kind === 'vcs');
  if (versioned.length < 2) return;
  const shared = versioned.filter((pkg) => releaseTags(project.packageAt(pkg.dir)!).every((tag) => tag.source === 'convention'));
  for (const pkg of shared) {
    const others = versioned.filter((other) => other !== pkg).map((other) => `${other.name ?? other.dir} (${at(other, versionOf(project, other))})`);
    const source = versionOf(project, pkg);
    report({
      kind: 'shared-tags',
      file: pkg.pyproject,
      range: tomlValueRange(pkg.pyproject, 'path' in source ? source.path : ['project']),
      message:
        `${pkg.name ?? pkg.dir} takes its version from git tags (${(source as { provider: string }).provider}) like ${summarizeList(others, 3)} in this repository, with no tag pattern of its own: ` +
        `a build takes the version of the nearest tag reachable from its commit, whichever package that tag was made for; give each package a tag prefix and match only it: ${tagPatternFix((source as { provider: string }).provider, pkg.name ?? pkg.dir)}`,
    });
  }
}
