import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import tagVersion from '../rules/workflow/tag-version.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(tagVersion, root);

describe('workflow/tag-version', () => {
  it('passes the good repos (including integrations/<name>-v<version> tags and tag checks in the build job)', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/inherit-caller'))).toEqual([]);
  });

  it('reports each pattern the current version cannot match (variant tag-version-mismatch)', async () => {
    const findings = await run(materialize('tag-version-mismatch'));
    expect(findings.map(where)).toEqual(['warning .github/workflows/publish-otobo-znuny.yml:6:9', 'warning .github/workflows/publish-otobo-znuny.yml:7:9']);
    expect(findings[0]!.message).toBe(
      'tag otobo-znuny-v1.10.0 (the current version 1.10.0 of open-ticket-ai-otobo-znuny-plugin, src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml) ' +
        'is not matched by "otobo-znuny-v[0-9].[0-9].[0-9]": releasing this version with this tag prefix would not trigger publish-otobo-znuny.yml',
    );
    expect(findings[1]!.message).toContain('tag open-ticket-ai-otobo-znuny-v1.10.0 (');
    expect(findings[1]!.message).toContain('is not matched by "open-ticket-ai-otobo-znuny-v[0-9].[0-9].[0-9]"');
  });

  it('reports once, at the reusable job, that no step compares the tag with the built version (seed)', async () => {
    const findings = await run(materialize('seed-as-described'));
    expect(findings.map(where)).toEqual(['warning .github/workflows/publish-to-pypi.yml:27:3']);
    expect(findings[0]!.message).toBe(
      'job build-and-publish uploads on tag push (publish-hf-local.yml:4, publish-open-ticket-ai.yml:4, publish-otobo-znuny.yml:4) and release (publish-hf-local.yml:8, publish-open-ticket-ai.yml:8, ' +
        'publish-otobo-znuny.yml:8) but never compares the tag with the version it builds: a tag pushed before the version bump fails the upload (PyPI refuses a version it has) or publishes ' +
        'a version the tag does not name; add a step before the upload that fails when they differ, e.g. test "${GITHUB_REF_NAME#v}" = "$(ls dist/*.whl | cut -d- -f2)" for tags like v1.2.3',
    );
  });

  it("the message's own fix, a step comparing the tag with the wheel's version, ends the finding (seed)", async () => {
    const root = materialize('seed-as-described');
    const workflow = path.join(root, '.github/workflows/publish-to-pypi.yml');
    const check = '      - run: test "${GITHUB_REF_NAME#v}" = "$(ls dist/*.whl | cut -d- -f2)"\n        working-directory: ${{ inputs.package-path }}\n';
    fs.writeFileSync(workflow, fs.readFileSync(workflow, 'utf8').replace('      - name: Upload to PyPI\n', `${check}      - name: Upload to PyPI\n`));
    expect((await run(root)).map(where)).toEqual([]);
  });

  it('names the package in the tag for a wildcard prefix, names an excluding negation, and skips versions from VCS', async () => {
    const job = (check: string): string =>
      `\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: uv build --package \${{ matrix.p }}\n${check}      - run: uv publish\n    strategy:\n      matrix:\n        p: [acme-a]\n`;
    const check = '      - run: test "${GITHUB_REF_NAME##*-v}" = "$(uv version --short)"\n';
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "root"\nversion = "1.0.0"\n',
      'libs/a/pyproject.toml': '[project]\nname = "acme-a"\nversion = "2.0.0rc1"\n',
      'libs/vcs/pyproject.toml':
        '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n[project]\nname = "vcs-pkg"\ndynamic = ["version"]\n',
      '.github/workflows/a.yml': `on:\n  push:\n    tags:\n      - "libs/*-v[0-9]+.[0-9]+.[0-9]+"\n${job(check)}`,
      '.github/workflows/b.yml': `on:\n  push:\n    tags:\n      - "a-v*"\n      - "!*rc*"\n${job(check)}`,
      '.github/workflows/vcs.yml': 'on:\n  push:\n    tags: ["vcs-v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build libs/vcs\n      - run: twine upload libs/vcs/dist/*\n',
    });
    const findings = await run(root);
    expect(findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.message.split(':')[0]}`)).toEqual([
      '.github/workflows/a.yml:4:9 tag libs/acme-a-v2.0.0rc1 (the current version 2.0.0rc1 of acme-a, libs/a/pyproject.toml) is not matched by "libs/*-v[0-9]+.[0-9]+.[0-9]+"',
      '.github/workflows/b.yml:4:9 tag a-v2.0.0rc1 (the current version 2.0.0rc1 of acme-a, libs/a/pyproject.toml) matches "a-v*" but is excluded by "!*rc*"',
    ]);
  });

  it('counts a step that compares the tag with the built files as a check, but not one that only names both', async () => {
    const workflow = (step: string): string =>
      'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m build\n' +
      `      - run: ${step}\n      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}\n`;
    const repo = (step: string): string =>
      writeRepo({ '.github/workflows/publish.yml': workflow(step), 'pyproject.toml': '[build-system]\nrequires = ["hatchling>=1.27"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "1.0.0"\n' });
    expect(await run(repo('test "${GITHUB_REF_NAME#v}" = "$(ls dist/*.whl | cut -d- -f2)"   # the wheel names the version'))).toEqual([]);
    expect(await run(repo('ls dist | grep -F -- "-${GITHUB_REF_NAME#v}.tar.gz"'))).toEqual([]);
    // Naming the tag beside the files compares nothing.
    expect((await run(repo('gh release create "$GITHUB_REF_NAME" dist/*'))).map(where)).toEqual(['warning .github/workflows/publish.yml:5:3']);
  });

  it('counts a repository script the step runs that reads the tag and the version (pydantic-core: uv run .github/check_version.py)', async () => {
    const workflow = (step: string): string =>
      'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n' +
      `      - run: ${step}\n      - run: python -m build\n      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}\n`;
    const checker = 'import os, tomllib\ntag = os.environ["GITHUB_REF"].removeprefix("refs/tags/v")\nassert tag == tomllib.load(open("pyproject.toml", "rb"))["project"]["version"]\n';
    const repo = (step: string, script: string): string =>
      writeRepo({
        '.github/workflows/publish.yml': workflow(step),
        '.github/check_version.py': script,
        'pyproject.toml': '[build-system]\nrequires = ["hatchling>=1.27"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "1.0.0"\n',
      });
    expect(await run(repo('uv run .github/check_version.py', checker))).toEqual([]);
    expect(await run(repo('python ./.github/check_version.py --strict', checker))).toEqual([]);
    // A script that never reads the tag checks nothing about it; nor does a script that is not there.
    const unchecked = "workflow/tag-version warning .github/workflows/publish.yml:5:3: job publish uploads on tag push (publish.yml:2) but never compares the tag with the version it builds: a tag pushed before the version bump fails the upload (PyPI refuses a version it has) or publishes a version the tag does not name; add a step before the upload that fails when they differ, e.g. test \"${GITHUB_REF_NAME#v}\" = \"$(ls dist/*.whl | cut -d- -f2)\" for tags like v1.2.3";
    const rows = (findings: Finding[]): string[] => findings.map((finding) => `${finding.ruleId} ${where(finding)}: ${finding.message}`);
    expect(rows(await run(repo('uv run .github/check_version.py', 'print("checking the changelog")\n')))).toEqual([unchecked]);
    expect(rows(await run(repo('uv run .github/missing_check.py', checker)))).toEqual([unchecked]);
  });
});
