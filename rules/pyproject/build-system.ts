import { defineRule } from '../../src/engine/rule.js';
import { insertTableBeforeFirst, appendToTable, tomlString } from '../../src/engine/toml-edit.js';
import { normalizePackageName } from '../../src/project/project.js';
import { parseRequirement } from '../../src/pyproject/pep508.js';
import { backendForRequirement, distributionOfBackend, inferBackend } from '../../src/pyproject/backends.js';
import type { Range } from '../../src/project/source-file.js';
import { publishedPackages } from '../../src/plan/release-plan.js';
import type { TomlFile } from '../../src/project/toml-file.js';

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
      'backend-lower-bound': {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: false,
        description: 'The backend requirement has no lower bound (requires = ["hatchling"]).',
      },
    },
    fixable: 'unsafe',
    description: 'A package without a complete [build-system] table (requires and build-backend).',
    docs: {
      catches:
        'A package (a pyproject.toml with `[project]`) that has no `[build-system]` table, or one without `requires` or ' +
        'without `build-backend` (kind `incomplete`); and, off by default, a backend requirement with no lower bound ' +
        '(`requires = ["hatchling"]`, kind `backend-lower-bound`, a warning).',
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
