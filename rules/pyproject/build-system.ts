import { defineRule } from '../../src/engine/rule.js';
import { insertTableBeforeFirst, appendToTable, tomlString } from '../../src/engine/toml-edit.js';
import { normalizePackageName } from '../../src/project/project.js';
import { parseRequirement } from '../../src/pyproject/pep508.js';
import { backendForRequirement, distributionOfBackend, inferBackend } from '../../src/pyproject/backends.js';
import type { Range } from '../../src/project/source-file.js';
import { publishedPackages } from '../../src/plan/release-plan.js';
import type { TomlFile } from '../../src/project/toml-file.js';
import { backendRequirement, capsBelow, firstSupporting, type BackendFeature } from '../../src/pyproject/tooling.js';
import { releaseOf } from '../../src/pyproject/specifiers.js';
import { valueLine } from '../../src/pyproject/toml-text.js';
import { lt } from '@renovatebot/pep440';

/** Operators that put a floor under the versions a specifier admits. */
const LOWER_BOUND = /(>=|>|===|==|~=)/;

export default defineRule({
  meta: {
    id: 'pyproject/build-system',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      incomplete: {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'No [build-system] table, or one without requires or build-backend: the build falls back to the legacy setuptools backend.',
      },
      'backend-floor': {
        category: 'release',
        defaultSeverity: 'warning',
        enabledByDefault: true,
        description: 'A backend requirement admitting releases that cannot build this pyproject (PEP 639 license, PEP 625 sdist name).',
      },
      'backend-lower-bound': {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: false,
        description: 'The backend requirement has no lower bound (requires = ["hatchling"]).',
        fixable: 'none',
      },
    },
    fixable: 'unsafe',
    description: 'A package without a complete [build-system] table (requires and build-backend).',
    docs: {
      catches:
        'A package (a pyproject.toml with `[project]`) that has no `[build-system]` table, or one without `requires` or ' +
        'without `build-backend` (kind `incomplete`); and, off by default, a backend requirement with no lower bound ' +
        '(`requires = ["hatchling"]`, kind `backend-lower-bound`, a warning). And a backend requirement whose lowest ' +
        'admitted release cannot build what the pyproject asks for (kind `backend-floor`, from the dated ' +
        'data/metadata-versions.json): a PEP 639 license expression (`license = "MIT"`) or `license-files` list with ' +
        'setuptools below 77, a `license-files` list with hatchling below 1.27 (which reads it as a table), and a project name that is not in its normalised form (`My.Package`, ' +
        '`my-package`) with setuptools below 69.3, which names the sdist `my-package-1.0.tar.gz` where PyPI wants ' +
        '`my_package-1.0.tar.gz` (PEP 625; reported only when the requirement caps below 69.3). A warning when newer ' +
        'releases are admitted too (an isolated build gets the newest, a build against the floor fails), an error when the ' +
        'requirement caps below the first release that can.',
      why:
        'Without `[build-system]`, pip and `python -m build` fall back to the legacy `setuptools.build_meta:__legacy__` ' +
        'backend, which ignores your hatch, poetry or flit configuration and builds a different (often empty) wheel. ' +
        'An unbounded backend requirement lets an isolated build pick an old backend that does not understand `[project]`.',
      failing: { file: 'pyproject.toml', content: '[project]\nname = "demo"\nversion = "1.0.0"\n\n[tool.hatch.build.targets.wheel]\npackages = ["src/demo"]\n' },
      passing: {
        file: 'pyproject.toml',
        content: '[build-system]\nrequires = ["hatchling>=1.0"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "1.0.0"\n',
      },
      fixSafety:
        'Unsafe: the fix inserts a `[build-system]` table inferred from the `[tool.*]` tables (hatch, setuptools, poetry, ' +
        'flit, pdm, maturin...), or the `build-backend` of the backend named in `requires`. The inference can be wrong ' +
        'when a project carries configuration for several tools, so it needs `--unsafe-fixes`.',
    },
  },
  check({ project, report }) {
    // Only packages that are (or may be) published: an application or example need not be buildable.
    for (const pkg of publishedPackages(project)) {
      const file = pkg.pyproject;
      if (!file) continue;
      const label = pkg.name ?? pkg.dir;
      const buildSystem = file.get(['build-system']);
      if (buildSystem === undefined) {
        const inferred = inferBackend(file);
        report({
          kind: 'incomplete',
          file,
          range: file.rangeOfEntry(pkg.namePath.slice(0, -1)) ?? { start: 0, end: 0 },
          message:
            `${label}: no [build-system] table; pip and build fall back to the legacy setuptools backend` +
            (inferred ? `; --unsafe-fixes would declare ${inferred.backend}` : "; its [tool] tables name several backends, declare the one you build with"),
          fix: inferred && {
            applicability: 'unsafe',
            description: `insert [build-system] for ${inferred.distribution}`,
            edits: [insertTableBeforeFirst(file, 'build-system', [`requires = [${tomlString(inferred.requirement)}]`, `build-backend = ${tomlString(inferred.backend)}`])],
          },
        });
        continue;
      }
      if (typeof buildSystem !== 'object' || buildSystem === null) continue; // a type error: pyproject/schema says so
      const table = buildSystem as Record<string, unknown>;
      // Positions need a second parse of the file: only for a finding.
      const header = (): Range => file.rangeOfEntry(['build-system']) ?? { start: 0, end: 0 };
      const requires = Array.isArray(table.requires) ? table.requires.filter((item): item is string => typeof item === 'string') : undefined;
      if (requires === undefined) {
        report({ kind: 'incomplete', file, range: header(), message: `${label}: [build-system] has no "requires": build frontends cannot know which backend to install` });
      }
      if (table['build-backend'] === undefined) {
        const named = (requires ?? []).map(requirementName).map((name) => (name ? backendForRequirement(name) : undefined)).find(Boolean);
        const edit = named ? appendToTable(file, ['build-system'], [`build-backend = ${tomlString(named.backend)}`]) : undefined;
        report({
          kind: 'incomplete',
          file,
          range: header(),
          message: `${label}: [build-system] has no "build-backend"; pip falls back to setuptools.build_meta:__legacy__`,
          fix: edit && { applicability: 'unsafe', description: `set build-backend to ${named!.backend}`, edits: [edit] },
        });
      } else if (typeof table['build-backend'] === 'string' && requires) {
        checkBackendLowerBound(file, table['build-backend'], requires);
        checkBackendFloor(file);
      }

      function checkBackendFloor(file: TomlFile): void {
        const backend = backendRequirement(file);
        if (!backend) return;
        const license = file.get(['project', 'license']);
        // Each feature with the line that asks for it (in this file): the other end of the finding.
        // Lines need a second parse of the file: `what` is called only for a finding.
        const needs: { feature: BackendFeature; what: () => string }[] = [];
        if (typeof license === 'string') needs.push({ feature: 'license-expression', what: () => `the license expression license = "${license}" (line ${valueLine(file, ['project', 'license'])}, PEP 639` });
        if (Array.isArray(file.get(['project', 'license-files']))) needs.push({ feature: 'license-files', what: () => `license-files (line ${valueLine(file, ['project', 'license-files'])}, PEP 639` });
        const name = file.get(['project', 'name']);
        const sdistName = typeof name === 'string' ? name.replace(/[-_.]+/g, '_').toLowerCase() : undefined;
        if (typeof name === 'string' && sdistName !== name) {
          needs.push({ feature: 'sdist-name', what: () => `the sdist name ${sdistName}-VERSION.tar.gz (line ${valueLine(file, ['project', 'name'])}, PEP 625; older releases write ${name}-VERSION.tar.gz, which PyPI refuses` });
        }
        const missing = needs.flatMap(({ feature, what }) => {
          const first = firstSupporting(backend.distribution, feature);
          if (!first) return [];
          const capped = capsBelow(backend.specifier, first);
          // An old floor matters for a build that installs it; for the sdist name only a cap is reported,
          // since a build that uses the newest release (every isolated build) names it right.
          if (!capped && (feature === 'sdist-name' || backend.floor === undefined || !lt(backend.floor, first))) return [];
          return [{ what, first, capped, feature }];
        });
        if (missing.length === 0) return;
        const capped = missing.some((item) => item.capped);
        const needed = missing.map((item) => item.first).reduce((a, b) => (lt(a, b) ? b : a));
        const written = missing.map((item) => `${item.what()}; needs ${backend.distribution} ${item.first})`).join(' and ');
        report({
          kind: 'backend-floor',
          file,
          range: file.rangeOfValue(['build-system', 'requires', backend.index]) ?? header(),
          severity: capped ? 'error' : 'warning',
          message:
            (capped
              ? `${label}: "${backend.requirement}" excludes every ${backend.distribution} release that can write ${written}: ` +
                (missing.every((item) => item.feature === 'sdist-name') ? 'PyPI refuses the sdist it builds' : 'the build fails')
              : `${label}: "${backend.requirement}" allows ${backend.distribution} ${backend.floor} through ${releaseBefore(needed)}, which cannot write ${written}: ` +
                `a build with such a ${backend.distribution} already installed (--no-isolation) fails`) +
            `; require "${backend.distribution}>=${needed}"`,
        });
      }

      function checkBackendLowerBound(file: TomlFile, backend: string, requirements: string[]): void {
        const distribution = distributionOfBackend(backend);
        requirements.forEach((requirement, index) => {
          const parsed = parseRequirement(requirement);
          if (!parsed.ok || normalizePackageName(parsed.value.name) !== distribution) return;
          if (parsed.value.url || LOWER_BOUND.test(parsed.value.specifier)) return;
          report({
            kind: 'backend-lower-bound',
            file,
            range: file.rangeOfValue(['build-system', 'requires', index]) ?? header(),
            message: `${label}: the backend requirement "${requirement}" has no lower bound; an isolated build may install a ${parsed.value.name} too old for this pyproject`,
          });
        });
      }
    }
  },
});

function requirementName(requirement: string): string | undefined {
  const parsed = parseRequirement(requirement);
  return parsed.ok ? parsed.value.name : undefined;
}

/** The releases just before a version, for "1.0 through 1.26.x": `1.27.0` → `1.26.x`, `2.0.0` → `1.x`, `1.4.2` → `1.4.1`. */
function releaseBefore(version: string): string {
  const [major = 0, minor = 0, patch = 0] = releaseOf(version) ?? [];
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `${major}.${minor - 1}.x`;
  return `${major - 1}.x`;
}
