import { defineRule } from '../../src/engine/rule.js';
import type { Project } from '../../src/project/project.js';
import { publishedPackages } from '../../src/plan/release-plan.js';
import { validateBuildSystemTable, validateProjectTable, type SchemaProblem } from '../../src/pyproject/schema.js';
import { repoPackages, type RepoPackage } from '../../src/pyproject/packages.js';
import { entryRange, rangeInString, valueRange } from '../../src/pyproject/toml-text.js';
import { versionOf } from '../../src/pyproject/version.js';
import { DEFAULT_REQUIRED } from './metadata.js';

export default defineRule({
  meta: {
    id: 'pyproject/schema',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      invalid: {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A [project] or [build-system] value that the build frontends or PyPI refuse, or a version nothing provides.',
      },
      'author-format': {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: false,
        description: 'An author or maintainer whose name holds a comma or whose email is not an address: PEP 621 forbids it, but backends quote or drop it and PyPI accepts the upload.',
      },
    },
    fixable: 'none',
    description: 'A [project] or [build-system] table that breaks the packaging specification (PEP 621, 508, 440, 639).',
    docs: {
      catches:
        'Every package\'s `[project]` table checked against `schemas/project.schema.json` and its `[build-system]` against ' +
        '`schemas/build-system.schema.json`: wrong types (`classifiers = "..."`), an invalid `name` or `version`, an invalid ' +
        '`requires-python`, unknown keys (`homepage = ...` belongs in `[project.urls]`), a `license-files` glob PEP 639 forbids, ' +
        'a field that is both set and listed in `dynamic`, `name` in `dynamic`; and a `version` listed in `dynamic` that no ' +
        'backend configuration provides: hatchling without `[tool.hatch.version]` (or with a `path` that does not exist, or ' +
        '`source = "vcs"` without hatch-vcs in `requires`), setuptools without `[tool.setuptools.dynamic] version`, ' +
        'setuptools-scm or setup.py (it silently builds 0.0.0), pdm-backend without `[tool.pdm.version]`, flit with no ' +
        '`__version__` in the module. Invalid dependency strings are left to `pyproject/dependencies`, a missing ' +
        '`requires` to `pyproject/build-system`, a missing `version` of a published package to `pyproject/metadata`.',
      why:
        'A pyproject.toml that breaks the specification fails the build (`python -m build` and pip validate `[project]`), ' +
        'or worse builds something else than intended: an unknown key is ignored by some backends, a version nothing ' +
        'provides becomes 0.0.0, and a release uploaded with wrong metadata can never be replaced on PyPI.',
      failing: {
        file: 'pyproject.toml',
        content:
          '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\n' +
          'dynamic = ["version"]\nhomepage = "https://example.org"\nclassifiers = "Programming Language :: Python :: 3"\n',
      },
      passing: {
        file: 'pyproject.toml',
        content:
          '[build-system]\nrequires = ["hatchling>=1.26", "hatch-vcs>=0.4"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\n' +
          'dynamic = ["version"]\nclassifiers = ["Programming Language :: Python :: 3"]\n\n[project.urls]\nHomepage = "https://example.org"\n\n' +
          '[tool.hatch.version]\nsource = "vcs"\n',
      },
      fixSafety: 'No fix: a schema error has many possible corrections, and only the maintainers know which value the project meant.',
    },
  },
  check({ project, report }) {
    const checked = new Set(publishedPackages(project));
    for (const pkg of repoPackages(project)) {
      if (pkg.kind !== 'pep621' || !checked.has(pkg)) continue;
      const file = pkg.pyproject;
      const label = pkg.name;
      for (const problem of validateProjectTable(pkg.project)) {
        if (leftToOtherRules(project, pkg, problem)) continue;
        report({ kind: isAuthorFormat(problem) ? 'author-format' : 'invalid', file, range: problemRange(pkg, ['project'], problem), message: `${label}: ${problem.message}` });
      }
      const buildSystem = file.get(['build-system']);
      if (buildSystem !== undefined) {
        for (const problem of validateBuildSystemTable(buildSystem)) {
          // A missing "requires" is pyproject/build-system's finding.
          if (problem.path.length === 0 && problem.message.includes('"requires"')) continue;
          report({ kind: 'invalid', file, range: problemRange(pkg, ['build-system'], problem), message: `${label}: ${problem.message}` });
        }
      }
      if (pkg.dynamic.includes('version') && pkg.project.version === undefined) {
        const source = versionOf(project, pkg);
        if (source.kind === 'missing') {
          const at = source.config ?? file;
          report({ kind: 'invalid', file: at, range: valueRange(at, source.path), message: `${label}: "version" is listed in dynamic, but ${source.reason}` });
        }
      }
    }
  },
});

/** The name or email of an author or maintainer: a shape PEP 621 forbids that backends and PyPI tolerate. */
function isAuthorFormat(problem: SchemaProblem): boolean {
  const [table, , field] = problem.path;
  return (table === 'authors' || table === 'maintainers') && (field === 'name' || field === 'email');
}

function problemRange(pkg: RepoPackage, root: string[], problem: SchemaProblem) {
  const file = pkg.pyproject;
  const path = [...root, ...problem.path];
  if (problem.message.includes('unknown key')) return entryRange(file, path);
  if (problem.offset !== undefined && typeof file.get(path) === 'string') {
    const range = rangeInString(file, path, problem.offset, problem.offset + 1);
    if (range) return range;
  }
  return valueRange(file, path);
}

/** Problems another rule reports better, so one mistake is one finding. */
function leftToOtherRules(project: Project, pkg: RepoPackage, problem: SchemaProblem): boolean {
  const [first] = problem.path;
  // Requirement strings: pyproject/dependencies reports them with the parser's offset.
  if ((first === 'dependencies' || first === 'optional-dependencies') && problem.message.includes('PEP 508')) return true;
  // A missing version of a published package: pyproject/metadata reports it (unless configured not to).
  if (problem.path.length === 0 && problem.message.includes('"version" must be set')) return metadataReportsMissing(project, pkg, 'version');
  return false;
}

function metadataReportsMissing(project: Project, pkg: RepoPackage, field: string): boolean {
  const setting = project.config.rules.get('pyproject/metadata');
  if (setting?.severity === 'off') return false;
  const required = (setting?.options.required as string[] | undefined) ?? DEFAULT_REQUIRED;
  return required.includes(field) && publishedPackages(project).includes(pkg);
}
