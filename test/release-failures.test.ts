/**
 * The checks of issue 18's sections "Trusted publishing and the publish action", "Versions from
 * version control" and "Backends and names": each on a failing variant (exact rule, kind, file,
 * line and message) and on the healthy base it overlays (no finding).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import buildSystem from '../rules/pyproject/build-system.js';
import stdlibName from '../rules/pyproject/stdlib-name.js';
import permissions from '../rules/workflow/permissions.js';
import publishAction from '../rules/workflow/publish-action.js';
import pythonVersion from '../rules/workflow/python-version.js';
import scmVersion from '../rules/workflow/scm-version.js';
import tagVersion from '../rules/workflow/tag-version.js';
import trustedPublishing from '../rules/workflow/trusted-publishing.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding } from '../src/types.js';
import { FIXTURES, lintWithRule, materialize } from './helpers/fixtures.js';
import { COMPLETE_PYPROJECT, writeRepo } from './helpers/repo.js';

const UV_MONOREPO = path.join(FIXTURES, 'workflows/uv-monorepo');
const row = (finding: Finding): string => `${finding.ruleId}/${finding.kind ?? ''} ${finding.severity} ${finding.file}:${finding.line}`;
const run = async (rule: Rule, root: string): Promise<Finding[]> => lintWithRule(rule, root);

describe('the healthy bases', () => {
  it.each([publishAction, scmVersion, trustedPublishing, tagVersion, pythonVersion, permissions, buildSystem, stdlibName].map((rule) => [rule.meta.id, rule] as const))(
    '%s: nothing on the uv monorepo, which publishes with trusted publishing, v1.12.4 of the action and hatchling>=1.26',
    async (_id, rule) => {
      expect((await run(rule, UV_MONOREPO)).filter((finding) => finding.kind !== 'backend-lower-bound').map(row)).toEqual([]);
    },
  );
});

describe('workflow/publish-action (variant publish-action-problems)', () => {
  it('reports the container action on Windows, a ref the action lacks, a twine too old for Metadata 2.5 and --check-url on another index', async () => {
    const findings = await run(publishAction, materialize('publish-action-problems'));
    expect(findings.map(row)).toEqual([
      'workflow/publish-action/check-url error .github/workflows/publish-core.yml:40',
      'workflow/publish-action/unknown-ref error .github/workflows/publish-integration.yml:40',
      'workflow/publish-action/container-runner error .github/workflows/release-integrations.yml:58',
      'workflow/publish-action/old-twine error .github/workflows/release-integrations.yml:68',
    ]);
    const [checkUrl, ref, runner, twine] = findings.map((finding) => finding.message);
    expect(checkUrl).toBe(
      'uv publish (.github/workflows/publish-core.yml:38) uploads to pypi.org but its --check-url names test.pypi.org: uv skips the files that exist there, not on the index it uploads to; ' +
        'point --check-url at the simple index of the same index (https://pypi.org/simple/ for pypi.org, https://test.pypi.org/simple/ for TestPyPI)',
    );
    expect(ref).toBe(
      'pypa/gh-action-pypi-publish@v1 names a ref the action does not have (it publishes no floating major or minor tags): the job fails before it starts; ' +
        'use release/v1 or a release tag such as v1.14.2 (pinned by its commit SHA)',
    );
    expect(runner).toBe(
      'job publish runs pypa/gh-action-pypi-publish (.github/workflows/release-integrations.yml:68) on windows-latest: it is a Docker container action, which GitHub runs on Linux runners only, ' +
        'so the upload fails; upload from a job on ubuntu-latest that downloads the distributions the other runners built',
    );
    expect(twine).toBe(
      'pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc (v1.12.4) bundles twine 6.1.0, which reads Metadata-Version up to 2.4, ' +
        'but acme-slack builds with "hatchling>=1.30" (integrations/acme-slack/pyproject.toml:2), whose lowest admitted hatchling 1.30 writes Metadata-Version 2.5: ' +
        'the upload fails with InvalidDistribution; use pypa/gh-action-pypi-publish v1.14.2 or later (twine 7.0.0)',
    );
  });

  it('reads a twine pinned in the upload job, and takes a newer tag than the data knows as existing', async () => {
    const root = materialize('publish-action-problems');
    const workflow = path.join(root, '.github/workflows/publish-integration.yml');
    const text = fs.readFileSync(workflow, 'utf8');
    fs.writeFileSync(
      workflow,
      text.replace('uses: pypa/gh-action-pypi-publish@v1\n        with:\n          packages-dir: integrations/${{ inputs.package }}/dist/', 'run: pip install "twine==5.1.1" && twine upload dist/*'),
    );
    const findings = (await run(publishAction, root)).filter((finding) => finding.file === '.github/workflows/publish-integration.yml');
    expect(findings.map(row)).toEqual(['workflow/publish-action/old-twine error .github/workflows/publish-integration.yml:40']);
    expect(findings[0]!.message).toContain('the upload job installs twine==5.1.1 (.github/workflows/publish-integration.yml:40), which reads Metadata-Version up to 2.3');
    expect(findings[0]!.message).toContain('install twine>=7.0.0');
    fs.writeFileSync(workflow, text.replace('gh-action-pypi-publish@v1', 'gh-action-pypi-publish@v1.99.0'));
    expect((await run(publishAction, root)).filter((finding) => finding.file === '.github/workflows/publish-integration.yml')).toEqual([]);
  });

  it('knows the releases between v1.9 and v1.14 by tag and by commit (data/pypi-publish-action.json)', async () => {
    const root = materialize('publish-action-problems');
    const workflow = path.join(root, '.github/workflows/publish-integration.yml');
    const text = fs.readFileSync(workflow, 'utf8');
    const findingsWith = async (ref: string): Promise<Finding[]> => {
      fs.writeFileSync(workflow, text.replace('gh-action-pypi-publish@v1', `gh-action-pypi-publish@${ref}`));
      return (await run(publishAction, root)).filter((finding) => finding.file === '.github/workflows/publish-integration.yml');
    };
    expect(await findingsWith('v1.14.1')).toEqual([]);
    const [pinned] = await findingsWith('f7600683efdcb7656dec5b29656edb7bc586e597');
    expect(pinned?.kind).toBe('old-twine');
    expect(pinned?.message).toContain('pypa/gh-action-pypi-publish@f7600683efdcb7656dec5b29656edb7bc586e597 (v1.10.3) bundles twine 5.1.1');
  });
});

describe('workflow/scm-version (variant scm-versions)', () => {
  it('reports shallow checkouts on dispatch runs, a local version uploaded on branch pushes and two packages sharing one tag namespace', async () => {
    const findings = await run(scmVersion, materialize('scm-versions'));
    expect(findings.map(row)).toEqual([
      'workflow/scm-version/local-version error .github/workflows/nightly.yml:6',
      'workflow/scm-version/shallow-checkout error .github/workflows/publish-integration.yml:31',
      'workflow/scm-version/shallow-checkout error .github/workflows/release-integrations.yml:30',
      'workflow/scm-version/shared-tags error integrations/acme-jira/pyproject.toml:26',
      'workflow/scm-version/shared-tags error integrations/acme-slack/pyproject.toml:26',
    ]);
    const message = (file: string, kind: string): string => findings.find((finding) => finding.file === file && finding.kind === kind)!.message;
    expect(message('.github/workflows/nightly.yml', 'local-version')).toBe(
      'nightly.yml uploads acme-slack on branch pushes (upload at .github/workflows/nightly.yml:28), and its version comes from git tags (hatch-vcs, integrations/acme-slack/pyproject.toml:26) ' +
        'with a local part between tags (1.2.4.dev3+g1a2b3c4), which PyPI and TestPyPI refuse; set local_scheme = "no-local-version" in [tool.hatch.version.raw-options]',
    );
    expect(message('.github/workflows/publish-integration.yml', 'shallow-checkout')).toBe(
      'acme-slack takes its version from git tags (hatch-vcs, integrations/acme-slack/pyproject.toml:26), but job publish checks out with the default fetch-depth: 1, which fetches no tags, ' +
        'and publish-integration.yml runs it on workflow_dispatch: the build gets a version such as 0.1.dev1; set fetch-depth: 0 on the checkout',
    );
    expect(message('integrations/acme-slack/pyproject.toml', 'shared-tags')).toBe(
      'acme-slack takes its version from git tags (hatch-vcs) like acme-jira (integrations/acme-jira/pyproject.toml:26) in this repository, with no tag pattern of its own: ' +
        'a build takes the version of the nearest tag reachable from its commit, whichever package that tag was made for; ' +
        'give each package a tag prefix and match only it: [tool.hatch.version] tag-pattern = "^acme-slack-v(?P<version>.*)$" and ' +
        'raw-options = { git_describe_command = "git describe --dirty --tags --long --match \'acme-slack-v*\'" }',
    );
  });

  it('passes once the checkouts fetch the history, the local part is dropped and each package matches its own tags', async () => {
    const root = materialize('scm-versions');
    for (const file of ['publish-integration.yml', 'release-integrations.yml']) {
      const target = path.join(root, '.github/workflows', file);
      fs.writeFileSync(target, fs.readFileSync(target, 'utf8').replace(/persist-credentials: false\n/, 'persist-credentials: false\n          fetch-depth: 0\n'));
    }
    for (const name of ['acme-slack', 'acme-jira']) {
      const target = path.join(root, 'integrations', name, 'pyproject.toml');
      fs.writeFileSync(
        target,
        fs.readFileSync(target, 'utf8').replace(
          'source = "vcs"\n',
          `source = "vcs"\ntag-pattern = "^integrations/${name}-v(?P<version>.*)$"\nraw-options = { local_scheme = "no-local-version", git_describe_command = "git describe --tags --long --match 'integrations/${name}-v*'" }\n`,
        ),
      );
    }
    expect((await run(scmVersion, root)).map(row)).toEqual([]);
  });
});

describe('variant publish-job-exposure', () => {
  const root = materialize('publish-job-exposure');

  it('trusted-publishing: tests in the job that holds id-token, and id-token granted to a job that does not upload', async () => {
    const findings = await run(trustedPublishing, root);
    expect(findings.map(row)).toEqual([
      'workflow/trusted-publishing/id-token-exposure warning .github/workflows/publish-core.yml:24',
      'workflow/trusted-publishing/id-token-scope warning .github/workflows/publish-core.yml:51',
    ]);
    expect(findings[1]!.message).toBe(
      'job lint of publish-core.yml is granted id-token: write but does not upload: anything it runs can request an OIDC token that PyPI accepts for this workflow; remove the grant',
    );
    expect(findings[0]!.message).toBe(
      'job publish holds id-token: write and also runs `uv run pytest` (line 35): that code can request an OIDC token and upload to PyPI as this workflow; ' +
        'build and test in a job without id-token, and upload from a job that only downloads the distributions and runs the upload',
    );
  });

  it('trusted-publishing: a job that attests or signs needs its own id-token grant, and is not reported', async () => {
    const attesting = materialize('publish-job-exposure');
    const file = path.join(attesting, '.github/workflows/publish-core.yml');
    const text = fs.readFileSync(file, 'utf8');
    const lint = text.slice(text.indexOf('\n  lint:'));
    const steps = lint.slice(lint.indexOf('steps:\n') + 'steps:\n'.length);
    const indent = /^\s*/.exec(steps)![0];
    fs.writeFileSync(file, text.replace(steps, `${indent}- uses: actions/attest-build-provenance@v2\n${indent}  with:\n${indent}    subject-path: dist/*\n${steps}`));
    expect((await run(trustedPublishing, attesting)).map(row)).toEqual(['workflow/trusted-publishing/id-token-exposure warning .github/workflows/publish-core.yml:24']);
  });

  it('trusted-publishing: the upload job may sign with Sigstore; other third-party actions there are listed once, at their uses: line', async () => {
    const signing = materialize('publish-job-exposure');
    const file = path.join(signing, '.github/workflows/publish-core.yml');
    const text = fs.readFileSync(file, 'utf8');
    const extra = '      - uses: sigstore/gh-action-sigstore-python@v3.0.0\n        with:\n          inputs: dist/*\n      - name: Release notes\n        uses: acme/release-notes@v1\n';
    fs.writeFileSync(file, text.replace('      - name: Test\n        run: uv run pytest\n', `      - name: Test\n        run: uv run pytest\n${extra}`));
    const [exposure] = (await run(trustedPublishing, signing)).filter((finding) => finding.kind === 'id-token-exposure');
    expect(exposure?.message).toMatch(/^job publish holds id-token: write and also runs `uv run pytest` \(line 35\) and third-party action acme\/release-notes \(line 40\): /);
  });

  it('permissions: write-all on a job of a publishing workflow', async () => {
    const findings = await run(permissions, root);
    expect(findings.map(row)).toEqual(['workflow/permissions/ warning .github/workflows/publish-core.yml:61']);
    expect(findings[0]!.message).toBe(
      'job announce of publish-core.yml is granted permissions: write-all in a workflow that publishes to PyPI: GITHUB_TOKEN may push tags, rewrite releases and request OIDC tokens ' +
        '(id-token: write) there; list only what the job needs (contents: read, id-token: write on the upload job)',
    );
  });

  it('tag-version: a dispatch input naming the version that no step compares with the built version', async () => {
    const findings = await run(tagVersion, root);
    expect(findings.map(row)).toEqual(['workflow/tag-version/ warning .github/workflows/publish-core.yml:9']);
    expect(findings[0]!.message).toBe(
      'publish-core.yml is started by hand with the input version, but no step before the upload in job publish (.github/workflows/publish-core.yml:43) compares it with the version it builds: ' +
        'a run for a version that pyproject.toml does not hold uploads whatever pyproject.toml says (or re-uploads it, which PyPI refuses); add a step that fails when ${{ inputs.version }} differs from the built version',
    );
  });

  it('tag-version: one finding for an unchecked input that reaches two upload jobs (TestPyPI, then PyPI), naming both', async () => {
    const upload = (id: string, needs: string, url: string): string =>
      `  ${id}:\n    needs: ${needs}\n    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n` +
      `      - uses: actions/download-artifact@v4\n        with:\n          name: dist\n          path: dist/\n      - uses: pypa/gh-action-pypi-publish@release/v1\n${url}`;
    const workflow =
      'on:\n  workflow_dispatch:\n    inputs:\n      release-version:\n        required: true\n        type: string\njobs:\n' +
      '  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pipx run build\n      - uses: actions/upload-artifact@v4\n        with:\n          name: dist\n          path: dist/\n' +
      upload('test-pypi', 'build', '        with:\n          repository-url: https://test.pypi.org/legacy/\n') +
      upload('pypi', 'test-pypi', '');
    const root = writeRepo({ 'pyproject.toml': COMPLETE_PYPROJECT, '.github/workflows/release.yml': workflow });
    const findings = await run(tagVersion, root);
    expect(findings.map(row)).toEqual(['workflow/tag-version/ warning .github/workflows/release.yml:4']);
    expect(findings[0]!.message).toBe(
      'release.yml is started by hand with the input release-version, but no step before the uploads in job test-pypi (.github/workflows/release.yml:28) and job pypi (.github/workflows/release.yml:42) compares it with the version it builds: ' +
        'a run for a version that pyproject.toml does not hold uploads whatever pyproject.toml says (or re-uploads it, which PyPI refuses); add a step that fails when ${{ inputs.release-version }} differs from the built version',
    );
  });

  it('tag-version: a comparison in a job the upload needs counts', async () => {
    const copy = materialize('publish-job-exposure');
    const file = path.join(copy, '.github/workflows/publish-core.yml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      text.replace(
        '\njobs:\n',
        '\njobs:\n  verify:\n    runs-on: ubuntu-latest\n    steps:\n      - run: test "$WANTED" = "$(uv version --short)"\n        env:\n          WANTED: ${{ inputs.version }}\n\n',
      ).replace('  publish:\n    runs-on', '  publish:\n    needs: verify\n    runs-on'),
    );
    expect((await run(tagVersion, copy)).map(row)).toEqual([]);
  });

  it("python-version: a local composite action's Python, and Poetry's python constraint", async () => {
    const findings = await run(pythonVersion, root);
    expect(findings.map(row)).toEqual([
      'workflow/python-version/ error .github/workflows/publish-core.yml:33',
      'workflow/python-version/ error .github/workflows/publish-integration.yml:36',
      'workflow/python-version/ error .github/workflows/release-integrations.yml:37',
    ]);
    expect(findings[0]!.message).toBe('publish-core.yml builds acme with Python 3.9, which requires-python ">=3.10" excludes (pyproject.toml:10)' +
        ': the build fails, or builds and tests on a Python no user can install it on; set python-version to one that ">=3.10" admits');
    expect(findings[1]!.message).toBe(
      'publish-integration.yml builds acme-zendesk with Python 3.12, which Poetry\'s python constraint "^3.13" excludes (integrations/acme-zendesk/pyproject.toml:31)' +
        ': the build fails, or builds and tests on a Python no user can install it on; set python-version to one that "^3.13" admits',
    );
  });
});

describe('variant backend-floors', () => {
  const root = materialize('backend-floors');

  it('build-system: one finding per backend requirement that cannot build what the pyproject asks', async () => {
    const findings = (await run(buildSystem, root)).filter((finding) => finding.kind === 'backend-floor');
    expect(findings.map(row)).toEqual([
      'pyproject/build-system/backend-floor error integrations/acme-jira/pyproject.toml:2',
      'pyproject/build-system/backend-floor warning integrations/acme-slack/pyproject.toml:2',
    ]);
    expect(findings[0]!.message).toBe(
      'acme-jira: "setuptools>=61,<69" excludes every setuptools release that can write the license expression license = "MIT" (line 11, PEP 639; needs setuptools 77.0.0) ' +
        'and the sdist name acme_jira-VERSION.tar.gz (line 6, PEP 625; older releases write acme-jira-VERSION.tar.gz, which PyPI refuses; needs setuptools 69.3.0): the build fails; require "setuptools>=77.0.0"',
    );
    expect(findings[1]!.message).toBe(
      'acme-slack: "hatchling>=1.20" allows hatchling 1.20 through 1.26.x, which cannot write license-files (line 12, PEP 639; needs hatchling 1.27.0): a build with such a hatchling already installed (--no-isolation) fails; require "hatchling>=1.27.0"',
    );
  });

  it('stdlib-name: a project named like a standard-library module', async () => {
    const findings = await run(stdlibName, root);
    expect(findings.map(row)).toEqual(['pyproject/stdlib-name/ error integrations/acme-zendesk/pyproject.toml:6']);
    expect(findings[0]!.message).toBe(
      'name "Statistics" is (normalised statistics) a module of the Python standard library: PyPI refuses to create a project with that name, ' +
        'so the first upload fails (only projects registered before the rule keep such names); choose another name',
    );
  });
});

describe('workflow/trusted-publishing/reusable-workflow (variant trusted-reusable)', () => {
  it("says what PyPI matches for an OIDC upload inside a reusable workflow, from warehouse's source", async () => {
    const findings = await run(trustedPublishing, materialize('trusted-reusable'));
    expect(findings.map(row)).toEqual(['workflow/trusted-publishing/reusable-workflow info .github/workflows/publish-to-pypi.yml:74']);
    expect(findings[0]!.message).toBe(
      'job build-and-publish uploads with trusted publishing inside the reusable workflow publish-to-pypi.yml (called by publish-hf-local.yml, publish-open-ticket-ai.yml, publish-otobo-znuny.yml): ' +
        "PyPI matches the workflow file of the job that requests the token, so register publish-to-pypi.yml (not its caller) as the trusted publisher's workflow on PyPI (see the rule's docs)",
    );
  });
});
