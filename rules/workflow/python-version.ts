import { satisfies, validRange } from '@renovatebot/pep440';
import { isScalar } from 'yaml';
import { defineRule } from '../../src/engine/rule.js';
import { releasePlan } from '../../src/plan/release-plan.js';
import type { Package } from '../../src/project/project.js';
import { poetryToPep440 } from '../../src/pyproject/specifiers.js';
import type { Sourced } from '../../src/workflow/values.js';
import { keyRange, originRange } from '../../src/workflow/locate.js';

export default defineRule({
  meta: {
    id: 'workflow/python-version',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: "The Python a publish workflow builds with does not satisfy the package's requires-python.",
    docs: {
      catches:
        'For every package a publish workflow builds, the Python it builds with (`actions/setup-python` or `astral-sh/setup-uv` ' +
        '`python-version`, traced through reusable-workflow inputs, input defaults and matrix entries, or a `python-version-file`; ' +
        '`uv build --python X`) checked against the package\'s `requires-python` with PEP 440 semantics. `3.12` stands for ' +
        'any 3.12.x. The finding points at the place the version is written (the caller\'s `with:`, the matrix entry, the ' +
        'input default, or the `with:` of a local composite action that sets Python up), and says when YAML read an unquoted ' +
        '`3.10` as the number 3.1. A Poetry package without `requires-python` is checked against ' +
        '`[tool.poetry.dependencies] python` (`^3.10` admits 3.10 up to, not including, 4.0).',
      why:
        'A build under a Python the package excludes either fails (build dependencies with the same floor) or, worse, runs ' +
        'a test and smoke-import step under an interpreter users can never install the package on, so it proves nothing.',
      failing: {
        file: '.github/workflows/publish-plugin.yml',
        content: 'on:\n  push:\n    tags: ["plugin-v*"]\njobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml\n    with:\n      package-path: src/plugin   # requires-python = ">=3.10"\n      python-version: "3.9"\n',
      },
      passing: {
        file: '.github/workflows/publish-plugin.yml',
        content: 'on:\n  push:\n    tags: ["plugin-v*"]\njobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml\n    with:\n      package-path: src/plugin\n      python-version: "3.12"\n',
      },
      fixSafety: 'No fix: pick a Python the package supports (quote it: "3.10").',
    },
  },
  check({ project, report }) {
    const seen = new Set<string>();
    for (const route of releasePlan(project).routes) {
      for (const dir of route.packageDirs) {
        const pkg = project.packageAt(dir);
        const declared = pkg && declaredPython(pkg);
        if (!pkg || !declared) continue;
        for (const python of route.python) {
          const version = pythonRelease(python.value);
          if (version === undefined || declared.ranges.some((range) => admits(version, range))) continue;
          const at = python.origin
            ? { file: python.origin.file, range: originRange(python.origin) }
            : { file: route.upload.workflow.file, range: keyRange(route.upload.workflow.file, route.upload.job.path) };
          const key = `${at.file.path}:${at.range.start}:${dir}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const line = pkg.declaredIn.positionAt((pkg.pyproject?.rangeOfValue(declared.path) ?? { start: 0 }).start).line;
          report({
            ...at,
            message:
              `${route.workflow.name} builds ${pkg.name ?? pkg.dir} with Python ${python.value}${yamlNumberNote(python)}, ` +
              `which ${declared.label} "${declared.written}" excludes (${pkg.declaredIn.path}:${line}): the build fails, or builds and tests on a Python no user can install it on; ` +
              `set python-version to one that "${declared.written}" admits`,
          });
        }
      }
    }
  },
});

/**
 * The Pythons a package admits: `requires-python`, else Poetry's `[tool.poetry.dependencies] python`
 * (`^3.10` is >=3.10,<4.0; each `||` alternative a range of its own).
 */
function declaredPython(pkg: Package): { ranges: string[]; written: string; label: string; path: string[] } | undefined {
  const requires = pkg.project['requires-python'];
  if (typeof requires === 'string') return validRange(requires) ? { ranges: [requires], written: requires, label: 'requires-python', path: ['project', 'requires-python'] } : undefined;
  const poetry = pkg.pyproject?.get(['tool', 'poetry', 'dependencies', 'python']);
  if (typeof poetry !== 'string') return undefined;
  const ranges = poetryToPep440(poetry)?.map((range) => range || '>=0');
  if (!ranges || !ranges.every((range) => validRange(range))) return undefined;
  return { ranges, written: poetry, label: "Poetry's python constraint", path: ['tool', 'poetry', 'dependencies', 'python'] };
}

/** "3.12", "3.12.4", "3.13-dev", "pypy3.10", "3.11.x" → a PEP 440 release; undefined for ranges and "3.x". */
function pythonRelease(value: string): string | undefined {
  const match = /^(?:pypy-?|cpython-?|python)?(\d+\.\d+(?:\.\d+)?)(?:\.x)?(?:-?(?:dev|alpha|beta|rc)[.\d]*)?t?$/i.exec(value.trim());
  return match?.[1];
}

/** Whether some interpreter the setup would install satisfies the range: "3.10" is any 3.10.x. */
function admits(version: string, requires: string): boolean {
  if (satisfies(version, requires)) return true;
  return version.split('.').length === 2 && satisfies(`${version}.999`, requires);
}

/** When YAML read an unquoted 3.10 as 3.1, say so. */
function yamlNumberNote(python: Sourced): string {
  if (!python.origin) return '';
  const node = python.origin.file.node(python.origin.path);
  const range = python.origin.file.rangeOfValue(python.origin.path);
  if (!isScalar(node) || typeof node.value !== 'number' || !range) return '';
  const source = python.origin.file.text.slice(range.start, range.end).trim();
  return source === python.value ? '' : ` (YAML reads the unquoted ${source} as the number ${python.value}; quote it)`;
}
