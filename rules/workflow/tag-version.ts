import path from 'node:path';
import { defineRule, type RuleContext } from '../../src/engine/rule.js';
import { excerpt } from '../../src/format/mask.js';
import { packageDirsOf, releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import type { InputDeclaration, StepModel, TagPatternEntry, WorkflowModel } from '../../src/workflow/model.js';
import type { Package, Project } from '../../src/project/project.js';
import { eventRange, keyRange, lineOf, valueRange } from '../../src/workflow/locate.js';
import { checksTagAgainstVersion, readsTagAndVersion, stepsBeforeUpload, stepText, triggeredByTags, uploadJobs } from '../../src/workflow/publish-jobs.js';
import { hatchSetting } from '../../src/pyproject/hatch-config.js';
import {
  DECISION_BUDGET,
  isPatternError,
  literalPrefix,
  parseTagPattern,
  TagFilterTooComplex,
  tagFilterMatches,
  WorkBudget,
  type TagFilter,
} from '../../src/workflow/tag-filter.js';

export default defineRule({
  meta: {
    id: 'workflow/tag-version',
    category: 'release',
    defaultSeverity: 'warning',
    fixable: 'none',
    description: "A tag pattern that the package's current version cannot match; a publish job that never checks the tag (or the dispatch input naming the version) against the built version.",
    docs: {
      catches:
        'For each tag pattern of a publish workflow, the tag you would push for the package\'s current version (the pattern\'s ' +
        'literal prefix followed by the version, e.g. `hf-local-v1.2.0`, or `integrations/NAME-v1.2.0` for a prefix followed by ' +
        'a wildcard) must trigger the workflow; `otobo-znuny-v[0-9].[0-9].[0-9]` never matches version 1.10.0. And a publish job ' +
        'started by a tag (push tags or a release) must compare the tag\'s version with the version it built: a step before the ' +
        'upload that reads the tag (`GITHUB_REF_NAME`, `github.ref_name`, `github.event.release.tag_name`) and a version, ' +
        'or runs a script of the repository that does (`uv run .github/check_version.py`). ' +
        'The check may sit in any job the upload job needs. A publish workflow started by hand with an input naming the ' +
        'version or tag (`version`, `tag`, `release-tag`...) must likewise compare that input with the built version before ' +
        'the upload; the finding points at the input. ' +
        'Packages whose version is derived from the tag (setuptools-scm, hatch-vcs, versioningit...) need no such check. ' +
        'Patterns are matched within a work limit; patterns it cannot check are one finding that lists them.',
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

    // Budgets as in workflow/tag-overlap: one for the rule, one per pattern; what they leave unchecked is one finding.
    const budget = new WorkBudget(RULE_BUDGET);
    const unchecked: { workflow: WorkflowModel; entry: TagPatternEntry }[] = [];
    for (const workflow of plan.publishWorkflows) {
      const filter = workflow.triggers.pushTags;
      if (filter.kind !== 'patterns') continue;
      const packages = packagesOf(project, workflow).filter((pkg) => pkg.version !== undefined);
      if (packages.length === 0) continue;
      // many patterns of one workflow ask about the same few tags: the whole filter answers each once
      const filterMatches = new Map<string, boolean>();
      workflow.triggers.pushTagPatterns.forEach((entry, index) => {
        if (entry.pattern.startsWith('!') || isPatternError(parseTagPattern(entry.pattern))) return;
        if (budget.exhausted) {
          unchecked.push({ workflow, entry });
          return;
        }
        const decision = budget.child(DECISION_BUDGET);
        const matchesFilter = (tag: string): boolean => {
          let known = filterMatches.get(tag);
          if (known === undefined) filterMatches.set(tag, (known = tagFilterMatches(filter, tag, decision)));
          return known;
        };
        try {
          checkPattern(workflow, entry, index, packages, matchesFilter, decision, report);
        } catch (error) {
          if (!(error instanceof TagFilterTooComplex)) throw error;
          unchecked.push({ workflow, entry });
        }
      });
    }
    if (unchecked.length > 0) reportUnchecked(report, unchecked);

    for (const { workflow, job, routes } of uploadJobs(plan)) {
      const tagged = routes.filter((route) => triggeredByTags(route.workflow));
      if (tagged.length === 0) continue;
      const packages = packagesOfRoutes(project, tagged);
      if (packages.length > 0 && packages.every(versionFromVcs)) continue;
      const checks = (step: StepModel): boolean => checksTagAgainstVersion(step) || runsTagVersionScript(project, step);
      const unchecked = tagged.filter((route) => ![...stepsBeforeUpload(route, plan.workflows), route.upload.step].some(checks));
      if (unchecked.length === 0) continue;
      report({
        file: workflow.file,
        range: keyRange(workflow.file, job.path),
        message:
          `job ${job.id} uploads on ${tagTriggers([...new Set(unchecked.map((route) => route.workflow))])} but never compares the tag with the version it builds: ` +
          'a tag pushed before the version bump fails the upload (PyPI refuses a version it has) or publishes a version the tag does not name; ' +
          'add a step before the upload that fails when they differ, e.g. test "${GITHUB_REF_NAME#v}" = "$(ls dist/*.whl | cut -d- -f2)" for tags like v1.2.3',
      });
    }

    // One finding per input, however many upload jobs it reaches unchecked: one step before them all mends it.
    const uncompared = new Map<string, { workflow: WorkflowModel; input: InputDeclaration; uploads: string[] }>();
    for (const { job, routes } of uploadJobs(plan)) {
      const dispatched = routes.filter((route) => route.events.some((event) => event.kind === 'dispatch'));
      const packages = packagesOfRoutes(project, dispatched);
      if (packages.length > 0 && packages.every(versionFromVcs)) continue;
      for (const route of dispatched) {
        const input = (route.workflow.triggers.dispatchInputs ?? []).find((declared) => VERSION_INPUT.test(declared.name));
        if (!input || [...stepsBeforeUpload(route), route.upload.step].some((step) => comparesInput(step, input.name))) continue;
        const key = `${route.workflow.file.path}\0${input.name}`;
        const entry = uncompared.get(key) ?? { workflow: route.workflow, input, uploads: [] as string[] };
        entry.uploads.push(`job ${job.id} (${route.upload.step.file.path}:${lineOf(route.upload.step.file, route.upload.step.path)})`);
        uncompared.set(key, entry);
        break;
      }
    }
    for (const { workflow, input, uploads } of uncompared.values()) {
      const where = uploads.length === 1 ? `the upload in ${uploads[0]}` : `the uploads in ${uploads.slice(0, -1).join(', ')} and ${uploads.at(-1)}`;
      report({
        file: workflow.file,
        range: keyRange(workflow.file, input.path),
        message:
          `${workflow.name} is started by hand with the input ${input.name}, but no step before ${where} ` +
          'compares it with the version it builds: a run for a version that pyproject.toml does not hold uploads whatever pyproject.toml says (or re-uploads it, which PyPI refuses); ' +
          `add a step that fails when \${{ inputs.${input.name} }} differs from the built version`,
      });
    }
  },
});

/** A dispatch input that names the version or tag to release. */
const VERSION_INPUT = /^(?:(?:release|new|target|package)[-_]?)?(?:tag|version)(?:[-_]?(?:name|number))?$/i;

/** A step (not a checkout) that reads the input and a version: a comparison of the two. */
function comparesInput(step: StepModel, input: string): boolean {
  if (/^actions\/checkout@/i.test(step.uses ?? '')) return false;
  const text = stepText(step);
  const escaped = input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const reference = new RegExp(`\\b(?:github\\.event\\.)?inputs\\.${escaped}\\b|\\binputs\\[['"]${escaped}['"]\\]`, 'gi');
  // The input's own name ("version") says nothing: the step must read a version besides it.
  return reference.test(text) && /version|\.whl|dist\//i.test(text.replace(reference, ''));
}

/** Work for the whole rule (budget.ts units, ~3 s on a slow machine); 1000 packages need a few percent of it. */
const RULE_BUDGET = 15_000_000;

type Reporter = RuleContext['report'];

/** Reports `entry` when no tag of the current version under its prefix triggers the workflow. */
function checkPattern(
  workflow: WorkflowModel,
  entry: TagPatternEntry,
  index: number,
  packages: Package[],
  matchesFilter: (tag: string) => boolean,
  budget: WorkBudget,
  report: Reporter,
): void {
  const single: TagFilter = { kind: 'patterns', patterns: [entry.pattern] };
  const prefix = literalPrefix(single);
  const works = packages.some((pkg) => candidateTags(prefix, pkg).some((tag) => tagFilterMatches(single, tag, budget) && matchesFilter(tag)));
  if (works) return;
  const pkg = packages[0]!;
  const tag = shownTag(entry.pattern, prefix, pkg);
  const negation = tagFilterMatches(single, tag, budget) ? excludingNegation(workflow, index, tag, budget) : undefined;
  report({
    file: workflow.file,
    range: valueRange(workflow.file, entry.path),
    message:
      `tag ${excerpt(tag)} (the current version ${pkg.version} of ${pkg.name ?? pkg.dir}, ${pkg.declaredIn.path}) ` +
      (negation ? `matches "${excerpt(entry.pattern)}" but is excluded by "${excerpt(negation)}"` : `is not matched by "${excerpt(entry.pattern)}"`) +
      `: releasing this version with this tag prefix would not trigger ${workflow.name}`,
  });
}

const LISTED_PATTERNS = 3;

/** One finding for the patterns the budgets left unchecked, at the first of them. */
function reportUnchecked(report: Reporter, unchecked: { workflow: WorkflowModel; entry: TagPatternEntry }[]): void {
  const listed = unchecked.slice(0, LISTED_PATTERNS).map(({ workflow, entry }) => `"${excerpt(entry.pattern)}" (${workflow.name} line ${lineOf(workflow.file, entry.path)})`);
  const more = unchecked.length > LISTED_PATTERNS ? `, and ${unchecked.length - LISTED_PATTERNS} more` : '';
  const first = unchecked[0]!;
  report({
    file: first.workflow.file,
    range: valueRange(first.workflow.file, first.entry.path),
    message:
      `whether the current version's tag triggers the workflow is too complex to decide for ${unchecked.length === 1 ? 'one tag pattern' : `${unchecked.length} tag patterns`} ` +
      `within the work limit: ${listed.join(', ')}${more}; use a literal prefix and \`[0-9]+\` rather than long runs of classes and wildcards`,
  });
}

function packagesOf(project: Project, workflow: WorkflowModel): Package[] {
  return packagesOfRoutes(project, releasePlan(project).routesOfWorkflow.get(workflow) ?? []);
}

function packagesOfRoutes(project: Project, routes: readonly PublishRoute[]): Package[] {
  return packageDirsOf(routes).map((dir) => project.packageAt(dir)).filter((pkg): pkg is Package => pkg !== undefined);
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
function excludingNegation(workflow: WorkflowModel, index: number, tag: string, budget: WorkBudget): string | undefined {
  const later = workflow.triggers.pushTagPatterns.slice(index + 1).filter((entry) => entry.pattern.startsWith('!'));
  return later.reverse().find((entry) => tagFilterMatches({ kind: 'patterns', patterns: [entry.pattern.slice(1)] }, tag, budget))?.pattern;
}

/** A version the build backend derives from the git tag: the tag cannot disagree with it. */
function versionFromVcs(pkg: Package): boolean {
  if (!pkg.dynamic.includes('version')) return false;
  const requires = pkg.pyproject?.get(['build-system', 'requires']);
  const fromRequires = Array.isArray(requires) && requires.some((item) => typeof item === 'string' && /scm|vcs|versioningit|dynamic-versioning|dunamai/i.test(item));
  const hatch = pkg.pyproject && hatchSetting({ pyproject: pkg.pyproject, hatchToml: pkg.hatchToml }, ['version', 'source']).value;
  const pdm = pkg.pyproject?.get(['tool', 'pdm', 'version', 'source']);
  return fromRequires || hatch === 'vcs' || pdm === 'scm';
}

/** "tag push (a.yml:4, b.yml:4) and release (c.yml:3)": the triggers that start the upload, where they are declared. */
function tagTriggers(workflows: WorkflowModel[]): string {
  const at = (workflow: WorkflowModel, event: string): string => `${workflow.name}:${workflow.file.positionAt(eventRange(workflow.file, event).start).line}`;
  const pushes = workflows.filter((workflow) => workflow.triggers.pushTags.kind !== 'none').map((workflow) => at(workflow, 'push'));
  const releases = workflows.filter((workflow) => workflow.triggers.events.includes('release')).map((workflow) => at(workflow, 'release'));
  return [pushes.length > 0 ? `tag push (${pushes.join(', ')})` : '', releases.length > 0 ? `release (${releases.join(', ')})` : ''].filter(Boolean).join(' and ');
}

/** A repo script a `run:` names (`python .github/check_version.py`, `uv run scripts/check.py`, `./check.sh`). */
const SCRIPT_PATH = /(?<![\w$/.-])(?:\.\/)?[\w.-]+(?:\/[\w.-]+)*\.(?:py|sh|bash)\b/g;

/**
 * A step that runs a script of the repository which reads the pushed tag and names a version: a
 * tag/version check written as a script (pydantic-core's `.github/check_version.py` compares
 * GITHUB_REF with Cargo.toml's version).
 */
function runsTagVersionScript(project: Project, step: StepModel): boolean {
  const base = step.workingDirectory && !step.workingDirectory.includes('${{') ? step.workingDirectory : '.';
  return [...(step.run ?? '').matchAll(SCRIPT_PATH)].some(([written]) => {
    const text = project.readText(path.posix.normalize(path.posix.join(base, written)));
    return text !== undefined && readsTagAndVersion(text);
  });
}
