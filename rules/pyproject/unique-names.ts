import { defineRule } from '../../src/engine/rule.js';
import { isPublished, repoPackages, type RepoPackage } from '../../src/pyproject/packages.js';
import { valueRange } from '../../src/pyproject/toml-text.js';
import { pushTo } from '../../src/group.js';

export default defineRule({
  meta: {
    id: 'pyproject/unique-names',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'Two packages of the repository with the same name after PEP 503 normalisation.',
    docs: {
      catches:
        'Two or more packages (PEP 621 `[project]` or Poetry-only `[tool.poetry]`) whose names are equal once normalised ' +
        'by PEP 503: lowercase, every run of `-`, `_` and `.` as one `-` (`Open_Ticket.AI` and `open-ticket-ai` are the ' +
        'same project). The copy is reported at its `name`, naming the package that keeps the name: the one a publish ' +
        'workflow uploads when the others are not published, else the first by path.',
      why:
        'PyPI, pip and every resolver know one project per normalised name. Two directories that claim it upload into the ' +
        'same PyPI project (the second upload of a version fails, different versions overwrite each other\'s "latest"), ' +
        'and sibling dependencies can no longer tell which of them is meant. It usually comes from copying a plugin ' +
        'template and forgetting to rename it.',
      failing: {
        file: 'plugins/b/pyproject.toml',
        content: '[project]\nname = "demo_plugin"   # plugins/a/pyproject.toml says name = "demo-plugin"\nversion = "1.0.0"\n',
      },
      passing: {
        file: 'plugins/b/pyproject.toml',
        content: '[project]\nname = "demo-plugin-b"\nversion = "1.0.0"\n',
      },
      fixSafety: 'No fix: choosing a new name (and taking it on PyPI) is a release decision.',
    },
  },
  check({ project, report }) {
    const groups = new Map<string, RepoPackage[]>();
    for (const pkg of repoPackages(project)) pushTo(groups, pkg.normalizedName, pkg);
    for (const [normalized, members] of groups) {
      // Names shared only by packages no workflow uploads (examples of a CLI, copies of a template) reach no PyPI project.
      if (members.length < 2 || !members.some((pkg) => isPublished(project, pkg))) continue;
      // The package that keeps the name: the first published one (a publish workflow uploads it),
      // else the first by path. Every other one is a copy, and is reported.
      const original = members.find((pkg) => isPublished(project, pkg) && members.some((other) => !isPublished(project, other))) ?? members[0]!;
      const where = (pkg: RepoPackage): string => {
        const range = pkg.pyproject.rangeOfValue(pkg.namePath);
        return `${pkg.pyproject.path}:${range ? pkg.pyproject.positionAt(range.start).line : 1}`;
      };
      for (const pkg of members) {
        if (pkg === original) continue;
        const others = members.filter((other) => other !== pkg && other !== original).map((other) => ` and of ${where(other)} ("${other.name}")`);
        report({
          file: pkg.pyproject,
          range: valueRange(pkg.pyproject, pkg.namePath),
          message:
            `name "${pkg.name}" normalises (PEP 503) to ${normalized}, the name of ${where(original)} ("${original.name}")${others.join('')}: ` +
            `${members.length > 2 ? 'all of them' : 'both'} would upload into the one PyPI project ${normalized}; rename this package`,
        });
      }
    }
  },
});
