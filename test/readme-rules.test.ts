import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreRules } from '../rules/core/index.js';
import { readmeRules } from '../rules/readme/index.js';
import type { Finding } from '../src/types.js';
import { BADGES_MISSING_MESSAGES, BASE_FIXTURE, findingsOf, lint, materialize } from './helpers/fixtures.js';
import { COMPLETE_PYPROJECT, writeRepo } from './helpers/repo.js';

/**
 * The readme rules, all of them selected (install-docs and tag-docs are hygiene checks, off by
 * default), and the unused-suppression check the Markdown suppressions need.
 */
const SELECTED = { rules: [...coreRules, ...readmeRules], extendSelect: ['readme/', 'core/unused-suppression'] };

async function lintFixture(name: string): Promise<Finding[]> {
  return lint(name === 'open-ticket-ai' ? BASE_FIXTURE : materialize(name), SELECTED);
}

function where(finding: Finding): string {
  return `${finding.ruleId} ${finding.file}:${finding.line}:${finding.column}`;
}

const PUBLISH = 'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n';

/** A one-package repo (demo, published by publish.yml, repository o/r) with this README. */
function repo(readme: string, extra: Record<string, string> = {}, config = ''): string {
  return writeRepo({
    'pyproject.toml': `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nrepository = "o/r"\n${config}`,
    'README.md': readme,
    '.github/workflows/publish.yml': PUBLISH,
    ...extra,
  });
}

const GOOD_BADGES =
  '[![PyPI - demo](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/)\n' +
  '[![publish](https://github.com/o/r/actions/workflows/publish.yml/badge.svg)](https://github.com/o/r/actions/workflows/publish.yml)\n';

describe('the readme rules on fixtures/open-ticket-ai', () => {
  it('report nothing', async () => {
    expect((await lintFixture('open-ticket-ai')).filter((finding) => finding.ruleId.startsWith('readme/')).map(where)).toEqual([]);
  });
});

describe('readme/badges', () => {
  it('reports the missing PyPI badges once per README and each missing status badge, at the first heading', async () => {
    const found = findingsOf(await lintFixture('badges-missing'), 'readme/badges');
    expect(found.map(where)).toEqual(Array(4).fill('readme/badges README.md:1:1'));
    expect(found.map((finding) => finding.message).sort()).toEqual(BADGES_MISSING_MESSAGES);
    expect(found.every((finding) => finding.severity === 'warning' && finding.endLine === 1 && finding.endColumn === 17 && finding.fix?.applicability === 'safe')).toBe(true);
  });

  it('reports the status badge that points at the renamed workflow as missing', async () => {
    const found = findingsOf(await lintFixture('renamed-workflow-badge'), 'readme/badges');
    expect(found.map(where)).toEqual(['readme/badges README.md:3:2']);
    expect(found[0]!.message).toBe('README.md has no status badge of publish-hf-local.yml, the workflow that publishes open-ticket-ai-hf-local');
  });

  it('reads reStructuredText badges (|substitution| images with :target:)', async () => {
    const found = findingsOf(await lintFixture('rst-readme'), 'readme/badges');
    expect(found.map((finding) => `${where(finding)} ${finding.message}`)).toEqual([
      'readme/badges README.rst:6:1 README.rst has no PyPI version badge for open-ticket-ai-hf-local (published by publish-hf-local.yml)',
      'readme/badges README.rst:6:1 README.rst has no status badge of publish-hf-local.yml, the workflow that publishes open-ticket-ai-hf-local',
    ]);
  });

  it('counts reference-style, HTML and table badges, the legacy workflow-name form and PEP 503 name variants', async () => {
    const readmes = [
      '# demo\n\n[![v][pypi]][pypi-page] [![ci][status]][runs]\n\n[pypi]: https://img.shields.io/pypi/v/Demo.svg\n[pypi-page]: https://pypi.org/project/demo/\n[status]: https://github.com/o/r/actions/workflows/publish.yml/badge.svg\n[runs]: https://github.com/o/r/actions/workflows/publish.yml\n',
      '# demo\n\n<p align="center">\n<a href="https://pypi.org/project/demo/"><img src="https://badge.fury.io/py/demo.svg"></a>\n<img src="https://github.com/o/r/workflows/Publish/badge.svg">\n</p>\n',
      '# demo\n\n| Package | Version | Release |\n|---|---|---|\n| demo | ![v](https://img.shields.io/pypi/v/demo) | ![r](https://img.shields.io/github/actions/workflow/status/o/r/publish.yml) |\n',
    ];
    for (const readme of readmes) {
      const root = repo(readme, { '.github/workflows/publish.yml': `name: Publish\n${PUBLISH}` });
      expect(findingsOf(await lint(root, SELECTED), 'readme/badges').map((finding) => finding.message)).toEqual([]);
    }
  });

  it('does not count a status badge of another repository', async () => {
    const root = repo(`# demo\n\n${GOOD_BADGES.replace(/github\.com\/o\/r\//g, 'github.com/fork/r/')}`);
    expect(findingsOf(await lint(root, SELECTED), 'readme/badges').map((finding) => finding.message)).toEqual([
      'README.md has no status badge of publish.yml, the workflow that publishes demo',
    ]);
  });
});

describe('readme/badge-targets', () => {
  it('reports the badge of the renamed workflow at its URL', async () => {
    const found = findingsOf(await lintFixture('renamed-workflow-badge'), 'readme/badge-targets');
    expect(found.map(where)).toEqual(['readme/badge-targets README.md:6:25']);
    // A broken badge misleads readers but breaks no release: a hygiene warning, on by default.
    expect(found[0]).toMatchObject({ severity: 'warning', category: 'hygiene', endLine: 6, endColumn: 123 });
    expect(found[0]!.message).toBe(
      'badge https://github.com/softoft-orga/open-ticket-ai/actions/workflows/publish-huggingface.yml/badge.svg points at ' +
        '.github/workflows/publish-huggingface.yml, which does not exist ' +
        '(there are: ci.yml, publish-hf-local.yml, publish-open-ticket-ai.yml, publish-otobo-znuny.yml, publish-to-pypi.yml); its link has the same problem',
    );
  });

  it('reports another owner/repo and a PyPI name that is no package here unless external', async () => {
    const readme =
      '# demo\n\n' +
      GOOD_BADGES +
      '[![CI](https://github.com/someone/else/actions/workflows/ci.yml/badge.svg)](https://github.com/someone/else/actions/workflows/ci.yml)\n' +
      '[![old](https://img.shields.io/pypi/v/demo-legacy)](https://pypi.org/project/demo-legacy/)\n' +
      '[![dep](https://img.shields.io/pypi/v/requests)](https://pypi.org/project/requests/)\n' +
      '[![link](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/dmeo/)\n' +
      '[![legacy](https://github.com/o/r/workflows/Release/badge.svg)](https://github.com/o/r)\n';
    const found = findingsOf(await lint(repo(readme, {}, 'external-packages = ["requests"]\n'), SELECTED), 'readme/badge-targets');
    expect(found.map((finding) => `${where(finding)} ${finding.severity} ${finding.message}`)).toEqual([
      'readme/badge-targets README.md:5:8 warning badge https://github.com/someone/else/actions/workflows/ci.yml/badge.svg names someone/else, but this repository is o/r (from config); its link has the same problem',
      'readme/badge-targets README.md:6:9 warning badge https://img.shields.io/pypi/v/demo-legacy is for demo-legacy, which is not a package of this repository (there are: demo); list it in external-packages if it is meant to be; its link has the same problem',
      'readme/badge-targets README.md:8:47 warning the link https://pypi.org/project/dmeo/ of badge https://img.shields.io/pypi/v/demo is for dmeo, which is not a package of this repository (did you mean demo?); list it in external-packages if it is meant to be',
      'readme/badge-targets README.md:9:12 warning badge https://github.com/o/r/workflows/Release/badge.svg names workflow "Release", but no workflow in .github/workflows has that name',
    ]);
  });

  it('checks package readmes and docs too', async () => {
    const root = repo(`# demo\n\n${GOOD_BADGES}`, { 'docs/index.md': '# Docs\n\n![s](https://github.com/o/r/actions/workflows/gone.yml/badge.svg)\n' });
    expect(findingsOf(await lint(root, SELECTED), 'readme/badge-targets').map(where)).toEqual(['readme/badge-targets docs/index.md:3:6']);
  });
});

describe('readme/install-docs', () => {
  it('reports the package whose pip install is gone from both readmes, at the Installation heading', async () => {
    const found = findingsOf(await lintFixture('install-docs-missing'), 'readme/install-docs');
    expect(found.map(where)).toEqual(['readme/install-docs README.md:15:1']);
    expect(found[0]).toMatchObject({ severity: 'warning', endLine: 15, endColumn: 16 });
    expect(found[0]!.message).toBe(
      'no "pip install open-ticket-ai-hf-local" for published package open-ticket-ai-hf-local: neither README.md nor src/open_ticket_ai_hf_local/README.md has one; users have to guess the distribution name',
    );
  });

  it('accepts the command in the package readme, in reST literal blocks, and with options, extras and specifiers', async () => {
    expect(findingsOf(await lintFixture('rst-readme'), 'readme/install-docs')).toEqual([]);
    const root = repo(`# demo\n\n${GOOD_BADGES}\n## Usage\n\n    python -m pip install --upgrade "Demo[extra]>=1.0"\n`);
    expect(findingsOf(await lint(root, SELECTED), 'readme/install-docs')).toEqual([]);
  });
});

describe('readme/tag-docs', () => {
  it('reports the documented pattern no workflow uses, in both docs, and the workflow pattern the docs leave out', async () => {
    const found = findingsOf(await lintFixture('tag-docs-drift'), 'readme/tag-docs');
    expect(found.map(where)).toEqual([
      'readme/tag-docs .github/workflows/publish-otobo-znuny.yml:6:9',
      'readme/tag-docs README.md:58:39',
      'readme/tag-docs docs/pypi_release_process.md:17:40',
    ]);
    expect(found[0]!.message).toBe(
      'publish-otobo-znuny.yml\'s tag pattern otobo-znuny-v* is quoted in no tag section of the docs (README.md ("Tag naming"), docs/pypi_release_process.md ("Tag patterns")): maintainers releasing by the docs never use it',
    );
    expect(found[1]!.message).toBe(
      'tag pattern otobo-v* quoted in README.md ("Tag naming") is used by no workflow: a maintainer who follows the docs pushes a tag that publishes nothing; ' +
        "correct the docs or the workflow's on.push.tags; did you mean otobo-znuny-v* (publish-otobo-znuny.yml)?",
    );
    expect(found[1]).toMatchObject({ endLine: 58, endColumn: 47 });
    expect(found[2]!.message).toContain('tag pattern otobo-v* quoted in docs/pypi_release_process.md ("Tag patterns")');
  });

  it('reads reST tag sections, and stays silent when the docs have no tag section', async () => {
    expect(findingsOf(await lintFixture('rst-readme'), 'readme/tag-docs')).toEqual([]);
    expect(findingsOf(await lint(repo(`# demo\n\n${GOOD_BADGES}\npip install demo\n`), SELECTED), 'readme/tag-docs')).toEqual([]);
  });
});

describe('Markdown suppressions', () => {
  it('<!-- pypi-release-lint-disable RULE --> on the line before silences that line only', async () => {
    const root = materialize('renamed-workflow-badge');
    const readme = path.join(root, 'README.md');
    const lines = fs.readFileSync(readme, 'utf8').split('\n');
    lines.splice(5, 0, '<!-- pypi-release-lint-disable readme/badge-targets -->');
    lines.splice(2, 0, '<!-- pypi-release-lint-disable readme/badges -->'); // before the badges, where the missing one is reported
    fs.writeFileSync(readme, lines.join('\n'));
    const findings = await lint(root, SELECTED);
    expect(findings.filter((finding) => finding.ruleId.startsWith('readme/') || finding.ruleId === 'core/unused-suppression').map(where)).toEqual([]);
  });
});
