import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { findingRows, lintRepo } from './helpers/pyproject.js';

const RULE = 'pyproject/dependencies';
const OTOBO = 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml';
/** The whole rule: exact pins, requires-python caps and unconstrained development extras are hygiene, off by default. */
const WHOLE = { extendSelect: [RULE] };
const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';

function project(body: string, files: Record<string, string> = {}): string {
  return writeRepo({ 'pyproject.toml': `${BUILD}[project]\nname = "demo"\nversion = "1.0.0"\n${body}`, 'src/demo/__init__.py': '', ...files });
}

describe('pyproject/dependencies', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/dynamic-versions', 'pyproject/poetry-only', 'pyproject/template-copy'])(
    'is silent on %s',
    async (name) => {
      expect(await findingRows(materialize(name), RULE)).toEqual([]);
    },
  );

  it('reports every defect of the dependency-problems variant at its element', async () => {
    const root = materialize('dependency-problems');
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning ${OTOBO}:10 open-ticket-ai-otobo-znuny-plugin: requires-python ">=3.10,<3.13" has an upper cap (<3.13): on a newer Python pip installs an older release of open-ticket-ai-otobo-znuny-plugin, or none, even where this one would run; drop the cap`,
      `${RULE} error ${OTOBO}:30 open-ticket-ai-otobo-znuny-plugin: dependencies requires otobo-znuny through a direct reference (git+https://github.com/softoft-orga/otobo-znuny.git@v1.4.0); PyPI rejects the upload ("Can't have direct dependency"); require a released version instead`,
      `${RULE} warning ${OTOBO}:31 open-ticket-ai-otobo-znuny-plugin: "injector==0.21.0" pins injector to exactly 0.21.0: nothing that needs another injector release can be installed beside this library; use a range such as ">=0.21.0,<0.22"`,
      `${RULE} warning ${OTOBO}:33 open-ticket-ai-otobo-znuny-plugin: "pyyaml" in dependencies has no version specifier: every future pyyaml release, breaking majors included, satisfies it`,
      `${RULE} error ${OTOBO}:34 open-ticket-ai-otobo-znuny-plugin: "requests>=2.31,,<3" in dependencies is not a valid PEP 508 requirement: expected a comparison operator (==, !=, <=, >=, <, >, ~=, ===), found "," (at character 16)`,
    ]);
    // By default: the direct reference, the unconstrained runtime dependency and the invalid one.
    expect((await findingRows(root, RULE)).map((row) => row.split(' ').slice(0, 3).join(' '))).toEqual([
      `${RULE} error ${OTOBO}:30`,
      `${RULE} warning ${OTOBO}:33`,
      `${RULE} error ${OTOBO}:34`,
    ]);
  });

  it('points an invalid requirement at the offending character', async () => {
    const finding = (await lintRepo(materialize('dependency-problems'))).findings.find((item) => item.ruleId === RULE && item.message.includes('not a valid PEP 508'))!;
    // `    "requests>=2.31,,<3",`: the second comma is character 16 of the string, column 5 + 1 + 15.
    expect([finding.line, finding.column, finding.endColumn]).toEqual([34, 21, 22]);
  });

  it('reads optional-dependencies too, and leaves sibling and self references to other rules', async () => {
    const root = project('dependencies = ["demo[extra]"]\n\n[project.optional-dependencies]\nextra = [\n  "rich",\n  "httpx @ https://example.org/httpx-0.27.whl",\n  "demo[other]",\n]\nother = ["uvloop==0.19.0 ; sys_platform != \'win32\'"]\n');
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning pyproject.toml:12 demo: "rich" in optional-dependencies.extra has no version specifier: every future rich release, breaking majors included, satisfies it`,
      `${RULE} error pyproject.toml:13 demo: optional-dependencies.extra requires httpx through a direct reference (https://example.org/httpx-0.27.whl); PyPI rejects the upload ("Can't have direct dependency"); require a released version instead`,
      `${RULE} warning pyproject.toml:16 demo: "uvloop==0.19.0" pins uvloop to exactly 0.19.0: nothing that needs another uvloop release can be installed beside this library; use a range such as ">=0.19.0,<0.20"`,
    ]);
  });

  it('quotes the requirement without its marker, and computes the range an exact pin should become', async () => {
    const root = project(`dependencies = [\n  "backports.zstd; platform_python_implementation == 'CPython' and python_version < '3.14'",\n  "requests[socks]==2.31.0",\n]\n`);
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning pyproject.toml:9 demo: "backports.zstd" in dependencies has no version specifier: every future backports.zstd release, breaking majors included, satisfies it`,
      `${RULE} warning pyproject.toml:10 demo: "requests[socks]==2.31.0" pins requests to exactly 2.31.0: nothing that needs another requests release can be installed beside this library; use a range such as ">=2.31.0,<3"`,
    ]);
  });

  it('does not call == 1.* or === a pin of the same kind, and takes allow-exact-pins', async () => {
    expect(await findingRows(project('dependencies = ["attrs==23.*", "cattrs>=23,<24"]\n'), RULE)).toEqual([]);
    const pinned = project('dependencies = ["attrs===23.1.0"]\n\n[tool.pypi-release-lint.rules]\n"pyproject/dependencies" = { allow-exact-pins = true }\n');
    expect(await findingRows(pinned, RULE)).toEqual([]);
  });

  it.each([
    ['<3.13', '>=3.10,<3.13'],
    ['<=3.12', '>=3.10, <=3.12'],
    ['~=3.10', '~=3.10'],
    ['==3.11.*', '==3.11.*'],
  ])('warns about a requires-python cap %s', async (cap, requiresPython) => {
    expect(await findingRows(project(`requires-python = "${requiresPython}"\n`), RULE, WHOLE)).toEqual([
      `${RULE} warning pyproject.toml:8 demo: requires-python "${requiresPython}" has an upper cap (${cap}): on a newer Python pip installs an older release of demo, or none, even where this one would run; drop the cap`,
    ]);
  });

  it('tells development extras from feature extras: an unconstrained test tool is off by default', async () => {
    const root = project('dependencies = ["attrs>=23,<24"]\n\n[project.optional-dependencies]\ntest = ["pytest"]\nDocs = ["sphinx"]\nlint-tools = ["ruff"]\nredis = ["redis"]\n');
    const unconstrained = (name: string, extra: string): string =>
      `pyproject.toml:${{ pytest: 11, sphinx: 12, ruff: 13, redis: 14 }[name]} demo: "${name}" in optional-dependencies.${extra} has no version specifier: every future ${name} release, breaking majors included, satisfies it`;
    expect(await findingRows(root, RULE)).toEqual([`${RULE} warning ${unconstrained('redis', 'redis')}`]);
    // One finding per package for its development extras, at the first of them.
    expect(await findingRows(root, RULE, { extendSelect: [`${RULE}/unconstrained-dev-extra`] })).toEqual([
      `${RULE} warning pyproject.toml:11 demo: 3 requirements have no version specifier ("pytest" in optional-dependencies.test, "sphinx" in optional-dependencies.Docs, "ruff" in optional-dependencies.lint-tools): every future release of each, breaking majors included, satisfies them`,
      `${RULE} warning ${unconstrained('redis', 'redis')}`,
    ]);
    const kinds = (await lintRepo(root, WHOLE)).findings.filter((finding) => finding.ruleId === RULE).map((finding) => [finding.kind, finding.category]);
    expect(kinds).toEqual([
      ['unconstrained-dev-extra', 'hygiene'],
      ['unconstrained', 'hygiene'],
    ]);
  });

  it('accepts requires-python without a cap', async () => {
    expect(await findingRows(project('requires-python = ">=3.10, !=3.11.0"\n'), RULE)).toEqual([]);
  });

  it('reads Poetry-only projects: a path dependency is a direct reference, ^3.10 a cap', async () => {
    expect(await findingRows(materialize('pyproject/poetry-only-broken'), RULE, WHOLE)).toEqual([
      `${RULE} warning libs/plugin/pyproject.toml:18 acme-plugin: python = "^3.10" becomes Requires-Python >=3.10,<4.0 (a cap at <4.0): on a newer Python pip installs an older release of acme-plugin, or none; write python = ">=3.10"`,
      `${RULE} error libs/plugin/pyproject.toml:19 acme-plugin: tool.poetry.dependencies requires acme-core through a path dependency (../core): poetry-core writes it into the metadata as a direct reference; PyPI rejects the upload ("Can't have direct dependency"); require a released version instead`,
    ]);
  });

  it('says nothing about a package no workflow publishes, not even an invalid requirement: it cannot break a release', async () => {
    const workflow =
      'name: publish\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n' +
      '      - uses: actions/checkout@v4\n      - run: python -m build libs/other\n      - run: twine upload libs/other/dist/*\n';
    const root = writeRepo({
      '.github/workflows/publish.yml': workflow,
      'tools/internal/pyproject.toml': `${BUILD}[project]\nname = "internal"\nversion = "0.1"\ndependencies = ["rich", "x @ git+https://example.org/x", "bad>>1"]\n`,
      'libs/other/pyproject.toml': `${BUILD}[project]\nname = "other"\nversion = "1.0.0"\ndependencies = ["rich>=13,<14"]\n`,
    });
    expect(await findingRows(root, RULE)).toEqual([]);
    // The published sibling is linted: the same invalid requirement there is an error.
    const published = writeRepo({
      '.github/workflows/publish.yml': workflow,
      'libs/other/pyproject.toml': `${BUILD}[project]\nname = "other"\nversion = "1.0.0"\ndependencies = ["bad>>1"]\n`,
    });
    expect(await findingRows(published, RULE)).toEqual([
      `${RULE} error libs/other/pyproject.toml:8 other: "bad>>1" in dependencies is not a valid PEP 508 requirement: expected a version after ">", found ">" (at character 5)`,
    ]);
  });
});
