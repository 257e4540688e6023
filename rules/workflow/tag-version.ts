import { defineRule } from '../../src/engine/rule.js';
import { releasePlan } from '../../src/plan/release-plan.js';
import type { WorkflowModel } from '../../src/plan/workflow.js';
import type { Package, Project } from '../../src/project/project.js';
import { keyRange, valueRange } from '../../src/workflow/locate.js';
import { checksTagAgainstVersion, stepsBeforeUpload, triggeredByTags, uploadJobs } from '../../src/workflow/publish-jobs.js';
import { isPatternError, literalPrefix, parseTagPattern, tagFilterMatches, type TagFilter } from '../../src/workflow/tag-filter.js';

export default defineRule({
  meta: {
    id: 'workflow/tag-version',
    category: 'release',
    defaultSeverity: 'warning',
    fixable: 'none',
    description: "A tag pattern that the package's current version cannot match; a tag-triggered publish job that never checks the tag against the built version.",
    docs: {
      catches:
        'For each tag pattern of a publish workflow, the tag you would push for the package\'s current version (the pattern\'s ' +
        'literal prefix followed by the version, e.g. `hf-local-v1.2.0`, or `integrations/NAME-v1.2.0` for a prefix followed by ' +
        'a wildcard) must trigger the workflow; `otobo-znuny-v[0-9].[0-9].[0-9]` never matches version 1.10.0. And a publish job ' +
        'started by a tag (push tags or a release) must compare the tag\'s version with the version it built: a step before the ' +
        'upload that reads the tag (`GITHUB_REF_NAME`, `github.ref_name`, `github.event.release.tag_name`) and a version. ' +
        'Packages whose version is derived from the tag (setuptools-scm, hatch-vcs, versioningit...) need no such check.',
      why:
        'A pattern that cannot match the real version means the release tag silently triggers nothing. A tag and a pyproject ' +
        'version that disagree (a tag pushed before bumping the version) upload the old version again (rejected by PyPI) or ' +
        'publish a version under a tag that names another.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v[0-9].[0-9].[0-9]"]   # version 1.10.0 never matches\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: python -m build\n      - run: twine upload dist/*\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v[0-9]+.[0-9]+.[0-9]+*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: python -m build\n' +
          '      - run: test "${GITHUB_REF_NAME#v}" = "$(ls dist/*.whl | cut -d- -f2)"   # tag version == built version\n' +
          '      - run: twine upload dist/*\n',
      },
      fixSafety: 'No fix: widen the pattern (`[0-9]+`) or add a check step; the right tag convention is yours to choose.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);

    for (const workflow of plan.publishWorkflows) {
      const filter = workflow.triggers.pushTags;
      if (filter.kind !== 'patterns') continue;
      const packages = packagesOf(project, workflow).filter((pkg) => pkg.version !== undefined);
      if (packages.length === 0) continue;
      workflow.triggers.pushTagPatterns.forEach((entry, index) => {
        if (entry.pattern.startsWith('!') || isPatternError(parseTagPattern(entry.pattern))) return;
        const single: TagFilter = { kind: 'patterns', patterns: [entry.pattern] };
        const prefix = literalPrefix(single);
        const works = packages.some((pkg) => candidateTags(prefix, pkg).some((tag) => tagFilterMatches(single, tag) && tagFilterMatches(filter, tag)));
        if (works) return;
        const pkg = packages[0]!;
        const tag = shownTag(entry.pattern, prefix, pkg);
        const negation = tagFilterMatches(single, tag) ? excludingNegation(workflow, index, tag) : undefined;
        report({
          file: workflow.file,
          range: valueRange(workflow.file, entry.path),
          message:
            `tag ${tag} (the current version ${pkg.version} of ${pkg.name ?? pkg.dir}, ${pkg.pyproject.path}) ` +
            (negation ? `matches "${entry.pattern}" but is excluded by "${negation}"` : `is not matched by "${entry.pattern}"`) +
            `: releasing this version with this tag prefix would not trigger ${workflow.name}`,
        });
      });
    }

    for (const { workflow, job, routes } of uploadJobs(plan)) {
      const tagged = routes.filter((route) => triggeredByTags(route.workflow));
      if (tagged.length === 0) continue;
      const packages = [...new Set(tagged.flatMap((route) => route.packageDirs))].map((dir) => project.packageAt(dir)).filter((pkg): pkg is Package => pkg !== undefined);
      if (packages.length > 0 && packages.every(versionFromVcs)) continue;
      const unchecked = tagged.filter((route) => ![...stepsBeforeUpload(route), route.upload.step].some(checksTagAgainstVersion));
      if (unchecked.length === 0) continue;
      const entries = [...new Set(unchecked.map((route) => route.workflow.name))];
      report({
        file: workflow.file,
        range: keyRange(workflow.file, job.path),
        message:
          `job ${job.id} uploads on tag pushes or releases (${entries.join(', ')}) but never checks that the tag's version equals the built version: ` +
          'a tag pushed before the version bump re-uploads the old version, or publishes a version the tag does not name',
      });
    }
  },
});

function packagesOf(project: Project, workflow: WorkflowModel): Package[] {
  const dirs = new Set(releasePlan(project).routes.filter((route) => route.workflow === workflow).flatMap((route) => route.packageDirs));
  return [...dirs].map((dir) => project.packageAt(dir)).filter((pkg): pkg is Package => pkg !== undefined);
}

/** Tags a release engineer would push for `pkg` under a pattern with this literal prefix. */
function candidateTags(prefix: string, pkg: Package): string[] {
  const version = pkg.version!;
  const names = new Set([pkg.name, pkg.normalizedName, pkg.dir.split('/').pop()].filter((name): name is string => Boolean(name) && name !== '.'));
  const tags = [prefix + version, `${prefix}v${version}`];
  for (const name of names) for (const separator of ['-v', '-', '/v', '/', '@', '@v', '_v']) tags.push(prefix + name + separator + version);
  return tags;
}

/** The tag to name in the message: the package name goes in when a wildcard precedes the version part. */
function shownTag(pattern: string, prefix: string, pkg: Package): string {
  const rest = pattern.slice(prefix.length);
  return /^\*[^*]*\[?[0-9]/.test(rest) ? `${prefix}${pkg.normalizedName ?? pkg.dir}-v${pkg.version}` : prefix + pkg.version;
}

/** The `!pattern` after `index` that removes `tag` again. */
function excludingNegation(workflow: WorkflowModel, index: number, tag: string): string | undefined {
  const later = workflow.triggers.pushTagPatterns.slice(index + 1).filter((entry) => entry.pattern.startsWith('!'));
  return later.reverse().find((entry) => tagFilterMatches({ kind: 'patterns', patterns: [entry.pattern.slice(1)] }, tag))?.pattern;
}

/** A version the build backend derives from the git tag: the tag cannot disagree with it. */
function versionFromVcs(pkg: Package): boolean {
  if (!pkg.dynamic.includes('version')) return false;
  const requires = pkg.pyproject.get(['build-system', 'requires']);
  const fromRequires = Array.isArray(requires) && requires.some((item) => typeof item === 'string' && /scm|vcs|versioningit|dynamic-versioning|dunamai/i.test(item));
  const hatch = pkg.pyproject.get(['tool', 'hatch', 'version', 'source']);
  const pdm = pkg.pyproject.get(['tool', 'pdm', 'version', 'source']);
  return fromRequires || hatch === 'vcs' || pdm === 'scm';
}
