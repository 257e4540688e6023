import { defineRule } from '../../src/engine/rule.js';
import { badgeOfImage, badgeOfLink, type BadgeTarget } from '../../src/markdown/badges.js';
import { readDocument, type DocImage } from '../../src/markdown/index.js';
import { isDocument, packageReadme, rootReadme } from '../../src/markdown/readmes.js';
import { workflowModels } from '../../src/plan/release-plan.js';
import { factKey, normalizePackageName, type Project } from '../../src/project/project.js';
import type { Range, SourceFile } from '../../src/project/source-file.js';
import { suggest } from '../../src/markdown/suggest.js';

interface Problem {
  message: string;
  /** What to do or what exists instead, appended after the message. */
  hint: string;
}

export default defineRule({
  meta: {
    id: 'readme/badge-targets',
    category: 'hygiene',
    defaultSeverity: 'warning',
    fixable: 'none',
    description: 'A workflow badge for a workflow file that does not exist or another repository; a PyPI badge for a name that is not a package here.',
    docs: {
      catches:
        'In the root README, every package readme and every doc: a workflow status badge (or the link around a badge) whose ' +
        'workflow file is not in .github/workflows/ (a renamed workflow), whose legacy `/workflows/NAME/badge.svg` names no ' +
        "workflow's `name:`, or whose owner/repo is not this repository's (config `repository`, else the git remote); " +
        'a PyPI badge (or link) for a name that is no package of this repository and not in config `external-packages`. ' +
        'Warnings, on by default: a broken badge misleads readers but breaks no release. One finding per badge, at its URL ' +
        '(for reference-style badges, at the reference definition).',
      why:
        'A badge of a renamed workflow shows "no status" or the last run of a workflow that no longer exists: the release ' +
        'looks healthy while the real publish workflow is failing. A badge copied from another repository shows that ' +
        "repository's state. A PyPI badge with a misspelt or old name shows another project's version, or none.",
      failing: {
        file: 'README.md',
        content: '# demo\n\n[![publish](https://github.com/example/demo/actions/workflows/release.yml/badge.svg)](https://github.com/example/demo/actions/workflows/release.yml)\n',
      },
      passing: {
        file: 'README.md',
        content: '# demo\n\n[![publish](https://github.com/example/demo/actions/workflows/publish.yml/badge.svg)](https://github.com/example/demo/actions/workflows/publish.yml)\n',
      },
      fixSafety: 'No fix: the linter cannot tell whether the badge should follow the renamed workflow or be removed.',
    },
  },
  check({ project, report }) {
    for (const file of documents(project)) {
      for (const image of readDocument(file).images) {
        const problem = checkImage(project, image);
        if (problem) report({ file, range: problem.range, message: problem.message });
      }
    }
  },
});

/** The root README, every doc and every package readme, once each. */
function documents(project: Project): SourceFile[] {
  const files = new Map<string, SourceFile>();
  const add = (file: SourceFile | undefined): void => {
    if (file && isDocument(file) && !files.has(file.path)) files.set(file.path, file);
  };
  add(rootReadme(project));
  for (const file of project.docs) add(file);
  for (const pkg of project.packages) add(packageReadme(project, pkg));
  return [...files.values()];
}

function checkImage(project: Project, image: DocImage): (Problem & { range: Range }) | undefined {
  const target = badgeOfImage(image.src);
  const linkTarget = image.link ? badgeOfLink(image.link.href) : undefined;
  const imageProblem = target && problemOf(project, target, `badge ${image.src}`);
  if (imageProblem) {
    const linkBroken = linkTarget !== undefined && problemOf(project, linkTarget, '') !== undefined;
    return { ...imageProblem, message: `${imageProblem.message}${imageProblem.hint}${linkBroken ? '; its link has the same problem' : ''}`, range: image.srcRange };
  }
  const linkProblem = linkTarget && image.link && problemOf(project, linkTarget, `the link ${image.link.href} of badge ${image.src}`);
  return linkProblem ? { ...linkProblem, message: linkProblem.message + linkProblem.hint, range: image.link!.range } : undefined;
}

/** What a badge is checked against, gathered once per run: every badge is a lookup. */
interface Targets {
  /** The YAML files in .github/workflows, sorted, and as a set. */
  files: string[];
  fileSet: ReadonlySet<string>;
  /** The workflows' `name:`s, and as a set. */
  names: string[];
  nameSet: ReadonlySet<string>;
  /** config `external-packages`, normalised. */
  external: ReadonlySet<string>;
  /** The packages' names, for suggestions. */
  packageNames: string[];
}

const BADGE_TARGETS = factKey<Targets>('readme:badge-targets');

function targetsOf(project: Project): Targets {
  return project.fact(BADGE_TARGETS, () => {
    const files = project.listDirectory('.github/workflows').filter((name) => /\.ya?ml$/i.test(name));
    const names = workflowModels(project)
      .map((workflow) => workflow.file.get(['name']))
      .filter((name): name is string => typeof name === 'string');
    const external = new Set(project.config.externalPackages.map(normalizePackageName));
    const packageNames = project.packages.map((pkg) => pkg.name).filter((name): name is string => name !== undefined);
    return { files, fileSet: new Set(files), names, nameSet: new Set(names), external, packageNames };
  });
}

function problemOf(project: Project, target: BadgeTarget, subject: string): Problem | undefined {
  if (target.kind === 'workflow') {
    const repository = project.repository;
    if (repository && (target.owner.toLowerCase() !== repository.owner.toLowerCase() || target.repo.toLowerCase() !== repository.name.toLowerCase())) {
      return { message: `${subject} names ${target.owner}/${target.repo}, but this repository is ${repository.owner}/${repository.name}`, hint: ` (from ${repository.source})` };
    }
    const { files, fileSet, names, nameSet } = targetsOf(project);
    if (target.file !== undefined && !fileSet.has(target.file)) {
      return { message: `${subject} points at .github/workflows/${target.file}, which does not exist`, hint: suggest(target.file, files) };
    }
    if (target.name !== undefined && !nameSet.has(target.name)) {
      return { message: `${subject} names workflow "${target.name}", but no workflow in .github/workflows has that name`, hint: suggest(target.name, names) };
    }
    return undefined;
  }
  const normalized = normalizePackageName(target.name);
  const { external, packageNames } = targetsOf(project);
  if (project.packageNamed(normalized) || external.has(normalized)) return undefined;
  return {
    message: `${subject} is for ${target.name}, which is not a package of this repository`,
    hint: `${suggest(target.name, packageNames)}; list it in external-packages if it is meant to be`,
  };
}
