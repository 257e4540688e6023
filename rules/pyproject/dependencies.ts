import { defineRule } from '../../src/engine/rule.js';
import { dependenciesOf, isPublished, isVirtualProject, repoPackages, type Dependency } from '../../src/pyproject/packages.js';
import { clausesOf, compatibleRange, exactPin, poetryToPep440, pythonCap } from '../../src/pyproject/specifiers.js';
import { rangeInString, valueRange } from '../../src/pyproject/toml-text.js';
import type { Range } from '../../src/project/source-file.js';
import { summarizeList } from '../../src/summarize.js';

export default defineRule({
  meta: {
    id: 'pyproject/dependencies',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      invalid: { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'A requirement that is not valid PEP 508: the build fails.' },
      'direct-reference': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A direct reference (name @ git+https://...): PyPI refuses the upload.',
      },
      unconstrained: {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: true,
        description: 'A runtime dependency (or one of a non-development extra) with no version specifier.',
      },
      'unconstrained-dev-extra': {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: false,
        description: 'A dependency of a development extra (dev, test, docs, lint, typing...) with no version specifier.',
      },
      'exact-pin': { category: 'hygiene', defaultSeverity: 'warning', enabledByDefault: false, description: 'An exact == pin in a library.' },
      'python-cap': { category: 'hygiene', defaultSeverity: 'warning', enabledByDefault: false, description: 'An upper cap on requires-python (<3.13).' },
    },
    fixable: 'none',
    description: 'Runtime dependencies that break the build or the upload, or that will break installs later.',
    docs: {
      catches:
        'In `dependencies` and every `optional-dependencies` extra (and `[tool.poetry.dependencies]` of Poetry-only projects): ' +
        'a string that is not a valid PEP 508 requirement (kind `invalid`, an error, every package, pointing at the offending ' +
        'character). For published packages: a direct reference such as `name @ git+https://...` or a Poetry `path`/`git`/`url` ' +
        'dependency (kind `direct-reference`, an error); a requirement with no version specifier (kind `unconstrained`, a ' +
        'warning; in a development extra such as `dev`, `test` or `docs`, kind `unconstrained-dev-extra`, off by default). ' +
        'Off by default: an exact `==` pin (kind `exact-pin`; option `allow-exact-pins = true` for applications) and an upper ' +
        'cap on `requires-python` such as `<3.13` (kind `python-cap`), both warnings. ' +
        'Bounds and pins of dependencies on other packages of this repository are `pyproject/sibling-dependencies`\' business.',
      why:
        'An invalid requirement fails the build. PyPI rejects any upload whose metadata has a direct reference ' +
        '("Can\'t have direct dependency"), after the version was tagged. An unbounded dependency lets a future major ' +
        'release break every install of this version; an exact pin in a library makes it impossible to install beside ' +
        'anything that needs another version. A capped requires-python makes pip pick an old release (or fail) on a ' +
        'newer Python even where the code runs.',
      failing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10,<3.13"\ndependencies = [\n' +
          '  "otobo-znuny @ git+https://github.com/example/otobo-znuny.git@v1.4.0",\n  "injector==0.21.0",\n  "pyyaml",\n  "requests>=2.31,,<3",\n]\n',
      },
      passing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10"\ndependencies = [\n' +
          '  "otobo-znuny>=1.4,<2",\n  "injector>=0.21,<1",\n  "pyyaml>=6,<7",\n  "requests>=2.31,<3",\n]\n',
      },
      fixSafety: 'No fix: which versions a project supports is for its maintainers to decide.',
    },
    optionsSchema: {
      properties: {
        'allow-exact-pins': { type: 'boolean', description: 'Do not warn about == pins (for applications published to PyPI).' },
      },
    },
  },
  check({ project, report, options }) {
    const allowPins = options['allow-exact-pins'] === true;
    const packages = repoPackages(project);
    const siblings = new Set(packages.map((pkg) => pkg.normalizedName));
    for (const pkg of packages) {
      // An unpublished package (an application, an example) breaks no release.
      if (!isPublished(project, pkg) || isVirtualProject(pkg)) continue;
      const file = pkg.pyproject;
      const { dependencies, invalid } = dependenciesOf(pkg);
      for (const problem of invalid) {
        report({
          kind: 'invalid',
          file,
          range: rangeInString(file, problem.path, problem.offset, Math.min(problem.offset + 1, problem.raw.length)) ?? valueRange(file, problem.path),
          message: `${pkg.name}: "${problem.raw}" in ${problem.group} is not a valid PEP 508 requirement: ${problem.error} (at character ${problem.offset + 1})`,
        });
      }
      // One finding per package for its unconstrained requirements: one cause, however many names.
      const unconstrained = { unconstrained: [] as Dependency[], 'unconstrained-dev-extra': [] as Dependency[] };
      for (const dependency of dependencies) {
        // Positions need a second parse of the file: only for a finding.
        const range = (): Range => valueRange(file, dependency.path);
        if (dependency.direct) {
          const how =
            dependency.syntax === 'poetry'
              ? `a ${dependency.direct.kind} dependency (${dependency.direct.value}): poetry-core writes it into the metadata as a direct reference`
              : `a direct reference (${dependency.direct.value})`;
          report({ kind: 'direct-reference', file, range: range(), message: `${pkg.name}: ${dependency.group} requires ${dependency.name} through ${how}; PyPI rejects the upload ("Can't have direct dependency"); require a released version instead` });
          continue;
        }
        if (dependency.normalizedName === pkg.normalizedName || dependency.alternatives.length === 0) continue;
        const clauses = dependency.alternatives.map(clausesOf);
        // Siblings get this warning too (pyproject/sibling-dependencies adds the missing lower bound),
        // but not the pin one: pinning packages released in lockstep is a deliberate policy.
        if (clauses.some((set) => set !== undefined && set.length === 0)) {
          unconstrained[isDevelopmentExtra(dependency) ? 'unconstrained-dev-extra' : 'unconstrained'].push(dependency);
          continue;
        }
        if (siblings.has(dependency.normalizedName)) continue;
        const pin = clauses.length === 1 && clauses[0] ? exactPin(clauses[0]) : undefined;
        if (pin && !allowPins) {
          report({
            kind: 'exact-pin',
            file,
            range: range(),
            message: `${pkg.name}: "${withoutMarker(dependency)}" pins ${dependency.name} to exactly ${pin.version}: nothing that needs another ${dependency.name} release can be installed beside this library; use a range${compatibleRange(pin.version) ? ` such as "${compatibleRange(pin.version)}"` : ''}`,
          });
        }
      }
      for (const [kind, list] of Object.entries(unconstrained) as [keyof typeof unconstrained, Dependency[]][]) {
        if (list.length === 0) continue;
        const [first] = list;
        report({
          kind,
          file,
          range: valueRange(file, first!.path),
          message:
            list.length === 1
              ? `${pkg.name}: "${withoutMarker(first!)}" in ${first!.group} has no version specifier: every future ${first!.name} release, breaking majors included, satisfies it`
              : `${pkg.name}: ${list.length} requirements have no version specifier (${summarizeList(list.map((dependency) => `"${withoutMarker(dependency)}" in ${dependency.group}`), 3)}): every future release of each, breaking majors included, satisfies them`,
        });
      }
      checkPythonCap(pkg);
    }

    function checkPythonCap(pkg: (typeof packages)[number]): void {
      const file = pkg.pyproject;
      if (pkg.kind === 'pep621') {
        const requiresPython = file.get(['project', 'requires-python']);
        if (typeof requiresPython !== 'string') return;
        const cap = pythonCap(requiresPython);
        if (!cap) return;
        report({
          kind: 'python-cap',
          file,
          range: valueRange(file, ['project', 'requires-python']),
          message: `${pkg.name}: requires-python "${requiresPython}" has an upper cap (${cap.operator}${cap.version}): on a newer Python pip installs an older release of ${pkg.name}, or none, even where this one would run; drop the cap`,
        });
        return;
      }
      const python = file.get(['tool', 'poetry', 'dependencies', 'python']);
      if (typeof python !== 'string') return;
      const converted = poetryToPep440(python);
      const cap = converted?.length === 1 ? pythonCap(converted[0]!) : undefined;
      if (!cap) return;
      report({
        kind: 'python-cap',
        file,
        range: valueRange(file, ['tool', 'poetry', 'dependencies', 'python']),
        message: `${pkg.name}: python = "${python}" becomes Requires-Python ${converted![0]} (a cap at ${cap.operator}${cap.version}): on a newer Python pip installs an older release of ${pkg.name}, or none; write python = ">=${converted![0]!.split(',')[0]!.replace(/^>=/, '')}"`,
      });
    }
  },
});

/** Extras by these names (or starting with one and `-`) hold tools for developing the package, not features users install. */
const DEVELOPMENT_EXTRA = /^(dev|devel|develop|development|test|tests|testing|lint|linting|docs?|typing|types|mypy|style|ci|qa|coverage|cov|bench|benchmarks?)(-.*)?$/;

function isDevelopmentExtra(dependency: Dependency): boolean {
  const extra = dependency.optional && dependency.path[1] === 'optional-dependencies' ? dependency.path[2] : undefined;
  return typeof extra === 'string' && DEVELOPMENT_EXTRA.test(extra.toLowerCase().replace(/[-_.]+/g, '-'));
}

/** A requirement as written, up to its environment marker: `backports.zstd; platform_… and …` → `backports.zstd`. The marker is no part of what is wrong. */
function withoutMarker(dependency: Dependency): string {
  return dependency.syntax === 'pep508' && dependency.marker !== undefined ? dependency.written.split(';')[0]!.trim() : dependency.written;
}
