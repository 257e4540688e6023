import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { findingRows, lintRepo } from './helpers/pyproject.js';

const RULE = 'pyproject/schema';

function repo(buildSystem: string, project: string, tool = '', extra: Record<string, string> = {}): string {
  return writeRepo({ 'pyproject.toml': `${buildSystem}\n[project]\n${project}${tool ? `\n${tool}` : ''}`, ...extra });
}

const HATCH = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n';
const SETUPTOOLS = '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n';

describe('pyproject/schema', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/dynamic-versions', 'pyproject/src-layout-plugins'])('is silent on %s', async (name) => {
    expect(await findingRows(materialize(name), RULE)).toEqual([]);
  });

  it('reports schema problems at the offending key, with the colleague-written messages', async () => {
    const root = repo(
      HATCH,
      'name = "demo_"\nversion = "1.0"\nhomepage = "https://example.org"\nclassifiers = "Programming Language :: Python :: 3"\nrequires-python = ">=3.10,,<4"\n' +
        'authors = [{ name = "Ada, Grace" }]\n\n[project.urls]\nHomepage = 1\n',
    );
    expect(await findingRows(root, RULE)).toEqual([
      `${RULE} error pyproject.toml:6 demo_: project.name: "demo_" is not a valid project name (PEP 508: letters, digits, '.', '-' and '_', starting and ending with a letter or digit)`,
      `${RULE} error pyproject.toml:8 demo_: project: unknown key "homepage" (project links go in [project.urls], e.g. Homepage = "https://…")`,
      `${RULE} error pyproject.toml:9 demo_: project.classifiers: must be an array, not a string`,
      `${RULE} error pyproject.toml:10 demo_: project.requires-python: ">=3.10,,<4" is not a valid PEP 440 version specifier: expected a comparison operator (==, !=, <=, >=, <, >, ~=, ===), found "," (at character 8)`,
      `${RULE} error pyproject.toml:14 demo_: project.urls.Homepage: must be a string, not an integer`,
    ]);
    // A comma in an author's name garbles the Author field but uploads fine: hygiene, off by default.
    expect((await findingRows(root, RULE, { extendSelect: [`${RULE}/author-format`] })).filter((row) => row.includes('authors'))).toEqual([
      `${RULE} warning pyproject.toml:11 demo_: project.authors[0].name: "Ada, Grace" must not contain a comma (the name becomes part of a comma-separated core metadata field)`,
    ]);
  });

  it('points at the offending character of an invalid specifier', async () => {
    const root = repo(HATCH, 'name = "demo"\nversion = "1.0"\nrequires-python = ">=3.10,,<4"\n');
    const finding = (await lintRepo(root)).findings.find((item) => item.ruleId === RULE)!;
    expect([finding.line, finding.column]).toEqual([8, 27]);
  });

  it('reports a field both static and dynamic at the static key, and a bad [build-system]', async () => {
    const root = repo('[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling build"\nbackend = "x"\n', 'name = "demo"\nversion = "1.0"\ndynamic = ["version"]\n');
    expect(await findingRows(root, RULE)).toEqual([
      `${RULE} error pyproject.toml:3 demo: build-system.build-backend: "hatchling build" is not a valid object reference (expected "module.path" or "module.path:object", e.g. "hatchling.build")`,
      `${RULE} error pyproject.toml:4 demo: build-system: unknown key "backend" (did you mean "build-backend"?)`,
      `${RULE} error pyproject.toml:8 demo: project.version is listed in dynamic but also set statically`,
    ]);
  });

  it('leaves a missing requires, an invalid requirement and a published package\'s missing version to the rules that own them', async () => {
    const root = repo('[build-system]\nbuild-backend = "hatchling.build"\n', 'name = "demo"\ndependencies = ["requests>=2,,<3"]\n');
    const rows = await findingRows(root);
    expect(rows.filter((row) => row.startsWith(RULE))).toEqual([]);
    expect(rows.some((row) => row.startsWith('pyproject/build-system error pyproject.toml:1 demo: [build-system] has no "requires"'))).toBe(true);
    expect(rows.some((row) => row.startsWith('pyproject/dependencies error pyproject.toml:6 demo: "requests>=2,,<3"'))).toBe(true);
    expect(rows.some((row) => row.startsWith('pyproject/metadata error pyproject.toml:4 demo: [project] has no "version"'))).toBe(true);
    // With the metadata rule off, the schema rule says it.
    expect(await findingRows(root, RULE, { ruleOverrides: ['pyproject/metadata=off'] })).toEqual([
      `${RULE} error pyproject.toml:4 demo: project: "version" must be set statically or listed in dynamic (PEP 621)`,
    ]);
  });

  describe('a dynamic version nothing provides', () => {
    const NAME = 'name = "demo"\ndynamic = ["version"]\n';
    it.each([
      ['hatchling without [tool.hatch.version]', HATCH, '', {}, 7, 'there is no [tool.hatch.version], so hatchling finds no version and the build fails; add [tool.hatch.version] path = "src/demo/__about__.py" (a file with __version__ = "…"), or source = "vcs" with hatch-vcs'],
      ['a hatch path that does not exist', HATCH, '[tool.hatch.version]\npath = "src/demo/__about__.py"\n', {}, 10, '[tool.hatch.version] path "src/demo/__about__.py" does not exist (src/demo/__about__.py)'],
      ['a hatch path without __version__', HATCH, '[tool.hatch.version]\npath = "src/demo/__about__.py"\n', { 'src/demo/__about__.py': 'NAME = "demo"\n' }, 10, '[tool.hatch.version] path "src/demo/__about__.py" holds no __version__ = "..." line for hatchling to read'],
      ['hatch-vcs missing from requires', HATCH, '[tool.hatch.version]\nsource = "vcs"\n', {}, 10, '[tool.hatch.version] source = "vcs" needs "hatch-vcs" in [build-system] requires; without it the isolated build fails with "Unknown version source: vcs"'],
      ['setuptools with nothing', SETUPTOOLS, '', {}, 7, 'setuptools has no [tool.setuptools.dynamic] version (attr or file), no setuptools-scm and no setup.py: it builds version 0.0.0'],
      ['a setuptools attr in no module', SETUPTOOLS, '[tool.setuptools.dynamic]\nversion = { attr = "demo.__version__" }\n', {}, 10, '[tool.setuptools.dynamic] version attr "demo.__version__": no module demo found in the package'],
      ['a setuptools version file that does not exist', SETUPTOOLS, '[tool.setuptools.dynamic]\nversion = { file = "VERSION" }\n', {}, 10, '[tool.setuptools.dynamic] version file "VERSION" does not exist (VERSION)'],
      ['setuptools-scm configured but not required', SETUPTOOLS, '[tool.setuptools_scm]\n', {}, 7, 'setuptools-scm is configured ([tool.setuptools_scm]) yet missing from [build-system] requires, so the isolated build never runs it'],
      ['pdm-backend without [tool.pdm.version]', '[build-system]\nrequires = ["pdm-backend>=2.4"]\nbuild-backend = "pdm.backend"\n', '', {}, 7, 'there is no [tool.pdm.version], so pdm-backend builds version 0.0.0; add [tool.pdm.version] source = "scm", or source = "file" with the path of a file holding __version__ = "…"'],
      ['a [tool.pdm.version] without source', '[build-system]\nrequires = ["pdm-backend>=2.4"]\nbuild-backend = "pdm.backend"\n', '[tool.pdm.version]\npath = "demo/__init__.py"\n', {}, 9, '[tool.pdm.version] has no "source", which pdm-backend requires: the build fails; add source = "scm" (or "file" with path, or "call" with getter)'],
      ['flit with a module without __version__', '[build-system]\nrequires = ["flit_core>=3.4,<4"]\nbuild-backend = "flit_core.buildapi"\n', '', { 'demo/__init__.py': '"""Demo."""\n' }, 7, 'flit reads the version from __version__ in demo/__init__.py, which has none'],
      ['poetry-core without [tool.poetry] version', '[build-system]\nrequires = ["poetry-core>=2"]\nbuild-backend = "poetry.core.masonry.api"\n', '', {}, 7, 'there is no [tool.poetry] version and poetry-dynamic-versioning is not enabled, so poetry-core refuses the build ("Either [project.version] or [tool.poetry.version] is required in package mode"); ' +
        'add [tool.poetry] version = "…", or [tool.poetry-dynamic-versioning] enable = true with the plugin'],
    ])('%s', async (_label, buildSystem, tool, files, line, reason) => {
      const root = repo(buildSystem, NAME, tool, files);
      expect(await findingRows(root, RULE)).toEqual([`${RULE} error pyproject.toml:${line} demo: "version" is listed in dynamic, but ${reason}`]);
    });

    it.each([
      ['a hatch path', HATCH, '[tool.hatch.version]\npath = "src/demo/__about__.py"\n', { 'src/demo/__about__.py': '__version__ = "1.2.0"\n' }],
      ['hatch-vcs', '[build-system]\nrequires = ["hatchling>=1.26", "hatch-vcs>=0.4"]\nbuild-backend = "hatchling.build"\n', '[tool.hatch.version]\nsource = "vcs"\n', {}],
      ['setuptools-scm', '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\nbuild-backend = "setuptools.build_meta"\n', '[tool.setuptools_scm]\n', {}],
      ['a setuptools attr', SETUPTOOLS, '[tool.setuptools.dynamic]\nversion = { attr = "demo.__version__" }\n', { 'src/demo/__init__.py': '__version__ = "1.0"\n' }],
      ['a setup.py', SETUPTOOLS, '', { 'setup.py': 'from setuptools import setup\nsetup(version="1.0")\n' }],
      ['pdm scm', '[build-system]\nrequires = ["pdm-backend>=2.4"]\nbuild-backend = "pdm.backend"\n', '[tool.pdm.version]\nsource = "scm"\n', {}],
      ['flit __version__', '[build-system]\nrequires = ["flit_core>=3.4,<4"]\nbuild-backend = "flit_core.buildapi"\n', '', { 'src/demo/__init__.py': '__version__ = "0.1.0"\n' }],
      ['maturin Cargo.toml', '[build-system]\nrequires = ["maturin>=1.0,<2.0"]\nbuild-backend = "maturin"\n', '', { 'Cargo.toml': '[package]\nname = "demo"\nversion = "0.1.0"\n' }],
      ['an unknown backend', '[build-system]\nrequires = ["mybackend>=1"]\nbuild-backend = "mybackend.api"\n', '', {}],
    ])('accepts %s', async (_label, buildSystem, tool, files) => {
      expect(await findingRows(repo(buildSystem, NAME, tool, files), RULE)).toEqual([]);
    });
  });

  it('reports the dynamic-version defects of the broken fixtures', async () => {
    expect(await findingRows(materialize('pyproject/dynamic-versions-broken'), RULE)).toEqual([
      `${RULE} error libs/cfg/pyproject.toml:7 acme-cfg: "version" is listed in dynamic, but setuptools has no [tool.setuptools.dynamic] version (attr or file), no setuptools-scm and no setup.py: it builds version 0.0.0`,
      `${RULE} error libs/db/pyproject.toml:7 acme-db: "version" is listed in dynamic, but setuptools-scm is configured ([tool.setuptools_scm]) yet missing from [build-system] requires, so the isolated build never runs it`,
      `${RULE} error libs/web/pyproject.toml:29 acme-web: "version" is listed in dynamic, but [tool.hatch.version] path "src/acme_web/version.py" does not exist (libs/web/src/acme_web/version.py)`,
    ]);
    expect(await findingRows(materialize('pyproject/uv-workspace-broken'), RULE)).toEqual([
      `${RULE} error packages/acme-cli/pyproject.toml:38 acme-cli: "version" is listed in dynamic, but [tool.hatch.version] source = "vcs" needs "hatch-vcs" in [build-system] requires; without it the isolated build fails with "Unknown version source: vcs"`,
    ]);
  });
});
