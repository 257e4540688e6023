import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import publishMap from '../rules/workflow/publish-map.js';
import publishSteps from '../rules/workflow/publish-steps.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(publishSteps, root);

describe('workflow/publish-steps', () => {
  it('passes the good repos (twine check --strict, a dry-run guard, a build in a needed job, the pypi-publish action)', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/inherit-caller'))).toEqual([]);
  });

  it('reports the unsafe upload step (variant unsafe-publish-steps)', async () => {
    const findings = await run(materialize('unsafe-publish-steps'));
    expect(findings.map(where)).toEqual([
      'error .github/workflows/publish-to-pypi.yml:71:9',
      'error .github/workflows/publish-to-pypi.yml:73:9',
      'error .github/workflows/publish-to-pypi.yml:77:14',
      'warning .github/workflows/publish-to-pypi.yml:77:27',
    ]);
    expect(findings[0]!.message).toBe('the upload step ignores the declared dry-run input "dry-run": a rehearsal run uploads for real (add if: ${{ !inputs.dry-run }})');
    expect(findings[1]!.message).toBe('continue-on-error on the upload step: a failed upload leaves the run green and the release unpublished');
    expect(findings[2]!.message).toContain('no twine check before twine upload in job build-and-publish');
    expect(findings[2]!.endColumn).toBe(26);
    expect(findings[3]!.message).toContain('skip-existing makes an upload of a version already on PyPI');
    expect(findings[3]!.endColumn).toBe(42);
  });

  it('warns about twine check without --strict, at the command (seed)', async () => {
    const findings = await run(materialize('seed-as-described'));
    expect(findings.map(where)).toEqual(['warning .github/workflows/publish-to-pypi.yml:51:14']);
    expect(findings[0]!.message).toContain('twine check without --strict');
  });

  it('reports a job that uploads twice (TestPyPI, then PyPI) without a twine check once, at its first upload', async () => {
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\nreadme = "README.rst"\n',
      'README.rst': 'Demo\n====\n',
      '.github/workflows/release.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build\n' +
        '      - run: twine upload --repository testpypi dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.TEST_PYPI_TOKEN }}\n' +
        '      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n',
    });
    expect((await run(root)).filter((finding) => finding.kind === 'unchecked-upload').map((finding) => `${finding.ruleId} ${finding.severity} ${finding.file}:${finding.line}:${finding.column} ${finding.message}`)).toEqual([
      'workflow/publish-steps error .github/workflows/release.yml:9:14 no twine check before twine upload in job release: demo\'s description is reStructuredText, ' +
        'and PyPI refuses the upload of a description that does not render; add twine check --strict dist/*',
    ]);
  });

  it('leaves skip-existing on a TestPyPI upload alone (a re-run rehearses again), and still reports it on the PyPI upload after it', async () => {
    const upload = (id: string, extra: string): string =>
      `  ${id}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build && twine check --strict dist/*\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n${extra}          skip-existing: true\n`;
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n',
      '.github/workflows/release.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n' + upload('rehearse', '          repository-url: https://test.pypi.org/legacy/\n') + upload('publish', ''),
    });
    expect((await run(root)).filter((finding) => finding.kind === 'skip-existing').map((finding) => `${finding.ruleId} ${finding.severity} ${finding.file}:${finding.line}:${finding.column} ${finding.message}`)).toEqual([
      'workflow/publish-steps warning .github/workflows/release.yml:19:26 skip-existing makes an upload of a version already on PyPI (a forgotten version bump) pass silently; drop it so the release fails loudly',
    ]);
  });

  it('reports an upload with nothing built, the action with verify-metadata off, skip-existing on the action, and a failing-open job', async () => {
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\nreadme = "README.rst"\n',
      'README.rst': 'Demo\n====\n',
      '.github/workflows/a.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    continue-on-error: true\n    steps:\n' +
        '      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          verify-metadata: false\n          skip-existing: true\n',
      '.github/workflows/b.yml':
        'on:\n  push:\n    tags: ["w*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: flit publish\n',
    });
    const findings = await run(root);
    // b.yml: flit publish builds and uploads in one command, so nothing is expected of it.
    expect(findings.map((finding) => `${finding.severity} ${finding.file}:${finding.line}:${finding.column} ${finding.message.split(':')[0]}`)).toEqual([
      'error .github/workflows/a.yml:7:5 continue-on-error on job publish',
      'error .github/workflows/a.yml:9:15 no twine check before pypa/gh-action-pypi-publish in job publish',
      'error .github/workflows/a.yml:9:15 pypa/gh-action-pypi-publish in job publish uploads dist/, but nothing builds it first (no build step in this job or the jobs it needs, no downloaded artifact)',
      'warning .github/workflows/a.yml:12:26 skip-existing makes an upload of a version already on PyPI (a forgotten version bump) pass silently; drop it so the release fails loudly',
    ]);
    expect(findings[2]!.message).toMatch(/: the upload finds no distribution; add python -m build before the upload, or download the artifact of the job that builds it$/);
    // One cause, one finding: workflow/publish-map says nothing of the files nobody writes.
    expect((await lintWithRule(publishMap, root)).filter((finding) => finding.file === '.github/workflows/a.yml')).toEqual([]);
  });

  it('reads a build and a check chained before the upload in the same script', async () => {
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n',
      '.github/workflows/one-step.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build && twine check dist/* && twine upload dist/*\n',
    });
    const findings = await run(root);
    expect(findings.map(where)).toEqual(['warning .github/workflows/one-step.yml:8:33']);
    expect(findings[0]!.message).toContain('twine check without --strict');
  });

  it("reports a caller whose dry-run input never reaches the reusable workflow", async () => {
    const root = materialize('workflows/inherit-caller');
    fs.writeFileSync(
      path.join(root, '.github/workflows/release.yml'),
      'name: Release\n\non:\n  push:\n    tags:\n      - "v[0-9]+.[0-9]+.[0-9]+"\n  workflow_dispatch:\n    inputs:\n      dry-run:\n        type: boolean\n        default: true\n\n' +
        'permissions:\n  contents: read\n\njobs:\n  publish:\n    uses: ./.github/workflows/build-publish.yml\n    secrets: inherit\n',
    );
    const findings = await run(root);
    expect(findings.map(where)).toEqual(['error .github/workflows/release.yml:18:11']);
    expect(findings[0]!.message).toBe(
      'release.yml declares the dry-run input "dry-run", but job publish neither passes it to build-publish.yml nor reads it in if:: a rehearsal run uploads for real',
    );
  });

  it("asks for twine check only where PyPI may refuse the description: reStructuredText or a type the files do not tell, not Markdown or plain text (fastapi)", async () => {
    const workflow = 'on:\n  release:\n    types: [published]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/checkout@v4\n      - run: uv build\n      - run: uv publish\n';
    const repo = (readme: string, files: Record<string, string> = {}): string =>
      writeRepo({ 'pyproject.toml': `[build-system]\nrequires = ["hatchling>=1.27"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "1.0.0"\n${readme}`, '.github/workflows/publish.yml': workflow, ...files });
    const unchecked = async (root: string): Promise<string[]> =>
      (await run(root)).filter((finding) => finding.kind === 'unchecked-upload').map((finding) => `${finding.ruleId} ${where(finding)}: ${finding.message}`);
    expect(await unchecked(repo('readme = "README.md"\n', { 'README.md': '# Demo\n' }))).toEqual([]);
    expect(await unchecked(repo('readme = { text = "Demo", content-type = "text/plain" }\n'))).toEqual([]);
    expect(await unchecked(repo(''))).toEqual([]);
    const rst = 'workflow/publish-steps error .github/workflows/publish.yml:12:14: no twine check before uv publish in job publish: demo\'s description is reStructuredText, and PyPI refuses the upload of a description that does not render; add twine check --strict dist/*';
    expect(await unchecked(repo('readme = "README.rst"\n', { 'README.rst': 'Demo\n====\n' }))).toEqual([rst]);
    expect(await unchecked(repo('readme = { file = "README", content-type = "text/x-rst" }\n', { README: 'Demo\n====\n' }))).toEqual([rst]);
    expect(await unchecked(repo('readme = { file = "README.md", content-type = "text/markdown; variant=Original" }\n', { 'README.md': '# Demo\n' }))).toEqual([
      "workflow/publish-steps error .github/workflows/publish.yml:12:14: no twine check before uv publish in job publish: demo's description is of a type its files do not tell, and PyPI refuses the upload of a description that does not render; add twine check --strict dist/*",
    ]);
  });
});
