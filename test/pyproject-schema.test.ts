import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import {
  checkDynamicConflicts,
  checkProjectConsistency,
  formatKeyPath,
  validateBuildSystemTable,
  validateProjectTable,
  type SchemaProblem,
} from '../src/pyproject/schema.js';
import { licenseGlobError } from '../src/pyproject/schema-formats.js';

const REALISTIC = parseToml(`
[build-system]
requires = ["hatchling>=1.26", "hatch-vcs>=0.4"]
build-backend = "hatchling.build"

[project]
name = "open-ticket-ai"
version = "1.4.0rc1"
description = "Automated ticket classification for help desks"
readme = { file = "README.md", content-type = "text/markdown" }
requires-python = ">=3.10, <4"
license = "LGPL-2.1-only OR MIT"
license-files = ["LICEN[CS]E*", "licenses/*.txt"]
authors = [
  { name = "Jane Doe", email = "jane@example.org" },
  { name = "The OTAI team" },
  { email = "ops@example.com" },
]
maintainers = [{ name = "John Smith", email = "john.smith@example.co.uk" }]
keywords = ["tickets", "nlp", "classification"]
classifiers = [
  "Development Status :: 4 - Beta",
  "Programming Language :: Python :: 3.12",
]
dependencies = [
  "pydantic>=2,<3; python_version>='3.10'",
  "transformers[torch]>=4.40",
  "open-ticket-ai-core (>=1.4.0,<2)",
  "tomli>=1.1.0; python_version < '3.11'",
]
import-names = ["open_ticket_ai", "open_ticket_ai._vendor; private"]

[project.optional-dependencies]
dev = ["pytest>=8", "ruff==0.6.*"]
"hf.local" = ["huggingface-hub~=0.24.0"]

[project.urls]
Homepage = "https://example.org"
"Bug Tracker" = "https://github.com/example/otai/issues"

[project.scripts]
otai = "open_ticket_ai.cli:main"

[project.gui-scripts]
otai-gui = "open_ticket_ai.gui:run"

[project.entry-points."open_ticket_ai.plugins"]
hf = "otai_hf.plugin:HFPlugin"
`) as { project: unknown; 'build-system': unknown };

/** Problems reduced to what a rule consumes. */
const brief = (problems: SchemaProblem[]) => problems.map(({ path, message }) => ({ path, message }));

describe('validateProjectTable: valid tables', () => {
  it('accepts a realistic table with every field', () => {
    expect(validateProjectTable(REALISTIC.project)).toEqual([]);
  });

  it('accepts the minimal table and a dynamic version', () => {
    expect(validateProjectTable({ name: 'a', version: '0' })).toEqual([]);
    expect(validateProjectTable({ name: 'pkg', dynamic: ['version', 'readme'] })).toEqual([]);
  });

  it('accepts the readme and license alternatives', () => {
    for (const readme of ['README.rst', { text: '# Hi', 'content-type': 'text/markdown; variant=GFM' }]) {
      expect(validateProjectTable({ name: 'a', version: '1', readme })).toEqual([]);
    }
    for (const license of ['MIT', { file: 'LICENSE' }, { text: 'Do what you like' }]) {
      expect(validateProjectTable({ name: 'a', version: '1', license })).toEqual([]);
    }
  });
});

describe('validateProjectTable: invalid tables', () => {
  const base = { name: 'pkg', version: '1.0' };

  it('wrong type', () => {
    expect(brief(validateProjectTable({ ...base, version: 1 }))).toEqual([
      { path: ['version'], message: 'project.version: must be a string, not an integer' },
    ]);
    expect(brief(validateProjectTable({ ...base, keywords: 'a, b' }))).toEqual([
      { path: ['keywords'], message: 'project.keywords: must be an array, not a string' },
    ]);
    expect(brief(validateProjectTable({ ...base, readme: ['README.md'] }))).toEqual([
      { path: ['readme'], message: 'project.readme: must be a string or a table, not an array' },
    ]);
    expect(brief(validateProjectTable('pkg'))).toEqual([{ path: [], message: 'project: must be a table, not a string' }]);
  });

  it('a TOML date where a string belongs', () => {
    const project = parseToml('name = "pkg"\nversion = 2024-01-01\n');
    expect(brief(validateProjectTable(project))).toEqual([
      { path: ['version'], message: 'project.version: must be a string, not a date/time' },
    ]);
  });

  it('bad name', () => {
    expect(brief(validateProjectTable({ ...base, name: 'my package' }))).toEqual([
      {
        path: ['name'],
        message: `project.name: "my package" is not a valid project name (PEP 508: letters, digits, '.', '-' and '_', starting and ending with a letter or digit)`,
      },
    ]);
    expect(validateProjectTable({ ...base, name: 'pkg-' })[0]?.message).toBe(
      `project.name: "pkg-" is not a valid project name (PEP 508: letters, digits, '.', '-' and '_', starting and ending with a letter or digit)`,
    );
  });

  it('missing name', () => {
    expect(brief(validateProjectTable({ version: '1' }))).toEqual([
      { path: [], message: 'project: missing required key "name"' },
    ]);
  });

  it('unknown key, with a hint where one helps', () => {
    expect(brief(validateProjectTable({ ...base, homepage: 'https://x.org' }))).toEqual([
      {
        path: ['homepage'],
        message: 'project: unknown key "homepage" (project links go in [project.urls], e.g. Homepage = "https://…")',
      },
    ]);
    expect(validateProjectTable({ ...base, requires_python: '>=3.9' })[0]?.message).toBe(
      'project: unknown key "requires_python" (did you mean "requires-python"?)',
    );
    expect(validateProjectTable({ ...base, 'dependency-groups': {} })[0]?.message).toContain(
      'top-level [dependency-groups] table',
    );
    expect(validateProjectTable({ ...base, frobnicate: 1 })[0]?.message).toBe('project: unknown key "frobnicate"');
    expect(brief(validateProjectTable({ ...base, readme: { file: 'R.md', 'content-type': 'text/markdown', x: 1 } }))).toEqual([
      { path: ['readme', 'x'], message: 'project.readme: unknown key "x"' },
    ]);
  });

  it('bad email', () => {
    expect(brief(validateProjectTable({ ...base, authors: [{ name: 'A', email: 'a-at-example.org' }] }))).toEqual([
      { path: ['authors', 0, 'email'], message: 'project.authors[0].email: must be an email address' },
    ]);
  });

  it('bad people entries', () => {
    expect(brief(validateProjectTable({ ...base, maintainers: [{}, { name: 'Doe, Jane' }, { nick: 'jd' }] }))).toEqual([
      { path: ['maintainers', 0], message: 'project.maintainers[0]: must have a "name" or an "email"' },
      {
        path: ['maintainers', 1, 'name'],
        message:
          'project.maintainers[1].name: "Doe, Jane" must not contain a comma (the name becomes part of a comma-separated core metadata field)',
      },
      { path: ['maintainers', 2, 'nick'], message: 'project.maintainers[2]: unknown key "nick"' },
    ]);
  });

  it('invalid dependency, with the parser offset', () => {
    const problems = validateProjectTable({ ...base, dependencies: ['requests', 'requests >>= 2'] });
    expect(problems).toEqual([
      {
        path: ['dependencies', 1],
        message:
          'project.dependencies[1]: "requests >>= 2" is not a valid PEP 508 requirement: expected a version after ">", found ">" (at character 11)',
        offset: 10,
      },
    ]);
  });

  it('invalid optional dependency and extra name', () => {
    expect(
      brief(validateProjectTable({ ...base, 'optional-dependencies': { 'my extra': ['x'], test: ['pytest ~= 8'] } })),
    ).toEqual([
      {
        path: ['optional-dependencies', 'my extra'],
        message: `project.optional-dependencies: "my extra" is not a valid extra name (PEP 685: letters, digits, '.', '-', '_', starting and ending with a letter or digit)`,
      },
      {
        path: ['optional-dependencies', 'test', 0],
        message:
          'project.optional-dependencies.test[0]: "pytest ~= 8" is not a valid PEP 508 requirement: "~=8": ~= needs at least two release segments (e.g. ~=8.0) (at character 8)',
      },
    ]);
  });

  it('extras equal after normalisation', () => {
    expect(brief(validateProjectTable({ ...base, 'optional-dependencies': { dev_tools: [], 'Dev.Tools': [] } }))).toEqual([
      {
        path: ['optional-dependencies', 'Dev.Tools'],
        message:
          'project.optional-dependencies: extras "dev_tools" and "Dev.Tools" are the same extra after normalisation (PEP 685)',
      },
    ]);
  });

  it('invalid requires-python', () => {
    expect(brief(validateProjectTable({ ...base, 'requires-python': '>=3.8 and <4' }))).toEqual([
      {
        path: ['requires-python'],
        message: `project.requires-python: ">=3.8 and <4" is not a valid PEP 440 version specifier: expected ',' or the end of the specifier, found "a" (at character 7)`,
      },
    ]);
    expect(validateProjectTable({ ...base, 'requires-python': '3.10' })[0]?.message).toContain(
      'expected a comparison operator before "3.10"',
    );
  });

  it('invalid version', () => {
    expect(validateProjectTable({ ...base, version: '1.0-beta-final' })[0]?.message).toBe(
      'project.version: "1.0-beta-final" is not a valid PEP 440 version (e.g. "1.2.0", "2.0.0rc1", "1.0.post1")',
    );
  });

  it('name in dynamic', () => {
    expect(brief(validateProjectTable({ name: 'pkg', dynamic: ['name', 'version'] }))).toEqual([
      {
        path: ['dynamic', 0],
        message: 'project.dynamic[0]: "name" cannot be dynamic: the project name must always be set statically (PEP 621)',
      },
    ]);
  });

  it('unknown and repeated dynamic fields', () => {
    expect(brief(validateProjectTable({ name: 'pkg', dynamic: ['version', 'homepage', 'version'] }))).toEqual([
      {
        path: ['dynamic', 1],
        message: expect.stringMatching(/^project\.dynamic\[1\]: "homepage" is not a \[project\] field that can be dynamic \(one of version, description,/),
      },
      { path: ['dynamic', 2], message: 'project.dynamic[2]: "version" is listed twice' },
    ]);
  });

  it('static and dynamic conflict', () => {
    const project = { name: 'pkg', version: '1.0', dependencies: [], dynamic: ['version', 'dependencies', 'readme'] };
    const expected = [
      { path: ['version'], message: 'project.version is listed in dynamic but also set statically' },
      { path: ['dependencies'], message: 'project.dependencies is listed in dynamic but also set statically' },
    ];
    expect(brief(validateProjectTable(project))).toEqual(expected);
    expect(checkDynamicConflicts(project)).toEqual(expected);
    expect(validateProjectTable(project, { crossFieldChecks: false })).toEqual([]);
  });

  it('version neither static nor dynamic', () => {
    expect(brief(validateProjectTable({ name: 'pkg' }))).toEqual([
      { path: [], message: 'project: "version" must be set statically or listed in dynamic (PEP 621)' },
    ]);
  });

  it('readme and license tables', () => {
    expect(brief(validateProjectTable({ ...base, readme: { file: 'README.md' } }))).toEqual([
      { path: ['readme'], message: 'project.readme: missing required key "content-type"' },
    ]);
    expect(brief(validateProjectTable({ ...base, readme: { file: 'a', text: 'b', 'content-type': 'text/plain' } }))).toEqual([
      { path: ['readme'], message: 'project.readme: must not have both "file" and "text"' },
    ]);
    expect(validateProjectTable({ ...base, license: {} })[0]?.message).toMatch(/^project\.license: must have either "file" or "text"/);
    expect(brief(validateProjectTable({ ...base, license: { file: 'LICENSE' }, 'license-files': ['LICENSE'] }))).toEqual([
      {
        path: ['license-files'],
        message:
          'project.license-files cannot be used with the legacy license table; make license an SPDX expression such as "MIT" (PEP 639)',
      },
    ]);
  });

  it('license-files globs', () => {
    expect(brief(validateProjectTable({ ...base, 'license-files': ['../LICENSE', 'LICEN{CS}E'] }))).toEqual([
      {
        path: ['license-files', 0],
        message: 'project.license-files[0]: "../LICENSE" is not a valid license-files glob: it must not use ".." (parent directory)',
      },
      {
        path: ['license-files', 1],
        message: expect.stringContaining('"LICEN{CS}E" is not a valid license-files glob: the character "{" is not allowed'),
      },
    ]);
    expect(licenseGlobError('LICEN[CS]E*')).toBeUndefined();
    expect(licenseGlobError('licenses/**/*.txt')).toBeUndefined();
    expect(licenseGlobError('/LICENSE')).toContain('relative');
    expect(licenseGlobError('licenses\\MIT')).toContain('separator');
    expect(licenseGlobError('LICEN[CS')).toContain('never closed');
  });

  it('scripts, entry points, urls and description', () => {
    const problems = brief(
      validateProjectTable({
        ...base,
        description: 'two\nlines',
        scripts: { ok: 'pkg.cli:main', bad: 'pkg.cli:main:extra' },
        'entry-points': { console_scripts: { x: 'a:b' } },
        urls: { 'A label that is far too long for PyPI': 'https://x.org' },
      }),
    );
    expect(problems).toEqual([
      { path: ['description'], message: 'project.description: must be a single line (it becomes the one-line Summary on PyPI)' },
      {
        path: ['urls', 'A label that is far too long for PyPI'],
        message: 'project.urls: the URL label "A label that is far too long for PyPI" is longer than 32 characters (PyPI rejects the upload)',
      },
      {
        path: ['scripts', 'bad'],
        message: 'project.scripts.bad: "pkg.cli:main:extra" is not a valid entry point reference (expected "module.path:function")',
      },
      {
        path: ['entry-points', 'console_scripts'],
        message:
          'project.entry-points: the "console_scripts" entry point group must be declared as [project.scripts] / [project.gui-scripts], not under entry-points',
      },
    ]);
  });

  it('reports every problem at once', () => {
    const problems = validateProjectTable({ name: 'bad name', version: 2, authors: [{ email: 'x' }], pkg: 1 });
    expect(problems.map((p) => p.path)).toEqual([['pkg'], ['name'], ['version'], ['authors', 0, 'email']]);
  });

  it('checkProjectConsistency ignores non-tables', () => {
    expect(checkProjectConsistency(undefined)).toEqual([]);
    expect(checkProjectConsistency([])).toEqual([]);
  });
});

describe('validateBuildSystemTable', () => {
  it('accepts real tables', () => {
    expect(validateBuildSystemTable(REALISTIC['build-system'])).toEqual([]);
    for (const table of [
      { requires: ['setuptools>=77', 'wheel'], 'build-backend': 'setuptools.build_meta' },
      { requires: ['poetry-core>=2.0.0,<3.0.0'], 'build-backend': 'poetry.core.masonry.api' },
      { requires: ['maturin>=1.5,<2.0'], 'build-backend': 'maturin' },
      { requires: [], 'build-backend': 'backend:build_api', 'backend-path': ['_build'] },
      { requires: ['setuptools'] },
    ]) {
      expect(validateBuildSystemTable(table)).toEqual([]);
    }
  });

  it('missing requires', () => {
    expect(brief(validateBuildSystemTable({ 'build-backend': 'hatchling.build' }))).toEqual([
      { path: [], message: 'build-system: missing required key "requires"' },
    ]);
  });

  it('bad build-backend', () => {
    expect(brief(validateBuildSystemTable({ requires: ['hatchling'], 'build-backend': 'hatchling build' }))).toEqual([
      {
        path: ['build-backend'],
        message:
          'build-system.build-backend: "hatchling build" is not a valid object reference (expected "module.path" or "module.path:object", e.g. "hatchling.build")',
      },
    ]);
    expect(validateBuildSystemTable({ requires: [], 'build-backend': 'setuptools.build_meta:' })).toHaveLength(1);
    expect(validateBuildSystemTable({ requires: [], 'build-backend': 42 })[0]?.message).toBe(
      'build-system.build-backend: must be a string, not an integer',
    );
  });

  it('bad requires, unknown keys and backend-path', () => {
    expect(
      brief(
        validateBuildSystemTable({
          requires: ['setuptools>=61', 'wheel >= 0.3x'],
          build_backend: 'setuptools.build_meta',
          'backend-path': ['../outside'],
        }),
      ),
    ).toEqual([
      { path: ['build_backend'], message: 'build-system: unknown key "build_backend" (did you mean "build-backend"?)' },
      {
        path: ['requires', 1],
        message: expect.stringMatching(/^build-system\.requires\[1\]: "wheel >= 0\.3x" is not a valid PEP 508 requirement: /),
      },
      {
        path: ['backend-path', 0],
        message: `build-system.backend-path[0]: "../outside" must be a relative path inside the project (PEP 517: no absolute path, no '..')`,
      },
    ]);
  });
});

describe('formatKeyPath', () => {
  it('writes TOML-style dotted keys', () => {
    expect(formatKeyPath('project', ['authors', 0, 'email'])).toBe('project.authors[0].email');
    expect(formatKeyPath('project', ['urls', 'Bug Tracker'])).toBe('project.urls."Bug Tracker"');
    expect(formatKeyPath('build-system', [])).toBe('build-system');
  });
});

// ---------------------------------------------------------------------------------------------

interface TroveData {
  classifiers: string[];
  deprecated: Record<string, string[]>;
}

/** The script is plain ESM JavaScript; load it at run time (tsc does not type-check .mjs here). */
async function loadParser(): Promise<(text: string) => TroveData> {
  const url = new URL('../scripts/refresh-classifiers.mjs', import.meta.url).href;
  const module = (await import(url)) as { parseTroveSource: (text: string) => TroveData };
  return module.parseTroveSource;
}

const CURRENT_STYLE = `from typing import Dict, List, Set

# A set of classifier names
sorted_classifiers: List[str] = [
    "Development Status :: 1 - Planning",
    "Environment :: GPU :: NVIDIA CUDA :: 2.0",
    "Environment :: GPU :: NVIDIA CUDA :: 10.0",  # natural order in the source
    'Framework :: Django :: 5.2',
    "License :: OSI Approved :: CEA CNRS Inria Logiciel Libre License, "
    "version 2.1 (CeCILL-2.1)",
    "Natural Language :: Fran\\u00e7ais",
    "Typing :: Typed",
]

classifiers: Set[str] = set(sorted_classifiers)


# A mapping from the deprecated classifier name to a list of zero or more valid
# classifiers that should replace it
deprecated_classifiers: Dict[str, List[str]] = {
    "Natural Language :: Ukranian": ["Natural Language :: Ukrainian"],
    "Framework :: Django CMS :: 4.2": ["Framework :: Django CMS :: 5.0"],
    "Topic :: Communications :: Chat :: AOL Instant Messenger": [],
}

all_classifiers: List[str] = sorted(
    sorted_classifiers + list(deprecated_classifiers.keys())
)

__all__ = ["all_classifiers", "classifiers", "deprecated_classifiers", "sorted_classifiers"]
`;

const OLD_STYLE = `classifiers = {
    "Topic :: Utilities",
    "Development Status :: 3 - Alpha",
    "Topic :: Utilities",
}

deprecated_classifiers = {"Natural Language :: Ukranian": ["Natural Language :: Ukrainian"],}
`;

describe('parseTroveSource (scripts/refresh-classifiers.mjs)', () => {
  it('reads the current module layout', async () => {
    const parseTroveSource = await loadParser();
    expect(parseTroveSource(CURRENT_STYLE)).toEqual({
      classifiers: [
        'Development Status :: 1 - Planning',
        'Environment :: GPU :: NVIDIA CUDA :: 10.0',
        'Environment :: GPU :: NVIDIA CUDA :: 2.0',
        'Framework :: Django :: 5.2',
        'License :: OSI Approved :: CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)',
        'Natural Language :: Français',
        'Typing :: Typed',
      ],
      deprecated: {
        'Framework :: Django CMS :: 4.2': ['Framework :: Django CMS :: 5.0'],
        'Natural Language :: Ukranian': ['Natural Language :: Ukrainian'],
        'Topic :: Communications :: Chat :: AOL Instant Messenger': [],
      },
    });
  });

  it('reads the older set-literal layout', async () => {
    const parseTroveSource = await loadParser();
    expect(parseTroveSource(OLD_STYLE)).toEqual({
      classifiers: ['Development Status :: 3 - Alpha', 'Topic :: Utilities'],
      deprecated: { 'Natural Language :: Ukranian': ['Natural Language :: Ukrainian'] },
    });
  });

  it('rejects a module without a classifier list', async () => {
    const parseTroveSource = await loadParser();
    expect(() => parseTroveSource('x = 1\n')).toThrow(/no `sorted_classifiers/);
    expect(() => parseTroveSource('sorted_classifiers = ["a" "b",, ]\n')).toThrow();
  });

  it('round-trips the shipped data file', async () => {
    const parseTroveSource = await loadParser();
    const shipped = JSON.parse(fs.readFileSync(new URL('../data/trove-classifiers.json', import.meta.url), 'utf8')) as TroveData & {
      source: string;
    };
    const module =
      `sorted_classifiers: List[str] = [\n${shipped.classifiers.map((c) => `    ${JSON.stringify(c)},\n`).join('')}]\n\n` +
      `classifiers: Set[str] = set(sorted_classifiers)\n\n` +
      `deprecated_classifiers: Dict[str, List[str]] = {\n` +
      Object.entries(shipped.deprecated)
        .map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`)
        .join('') +
      '}\n';
    expect(parseTroveSource(module)).toEqual({ classifiers: shipped.classifiers, deprecated: shipped.deprecated });
  });
});
