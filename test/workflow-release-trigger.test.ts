import path from 'node:path';
import { describe, expect, it } from 'vitest';
import releaseTrigger from '../rules/workflow/release-trigger.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';
import { COMPLETE_PYPROJECT, writeRepo } from './helpers/repo.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(releaseTrigger, root);

describe('workflow/release-trigger', () => {
  it('passes the good repos', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
  });

  it('reports each unguarded release trigger when several publish workflows listen to releases (seed)', async () => {
    const findings = await run(materialize('seed-as-described'));
    expect(findings.map(where)).toEqual([
      'error .github/workflows/publish-hf-local.yml:8:3',
      'error .github/workflows/publish-open-ticket-ai.yml:8:3',
      'error .github/workflows/publish-otobo-znuny.yml:8:3',
    ]);
    expect(findings[0]!.message).toBe(
      'publish-hf-local.yml publishes open-ticket-ai-hf-local on every GitHub release, and publish-open-ticket-ai.yml, publish-otobo-znuny.yml also publish on release; ' +
        "no job condition here reads the release's tag, so a release meant for another package publishes this one too " +
        "(add if: startsWith(github.event.release.tag_name, '<prefix>'), or use push tags)",
    );
  });

  it('leaves a workflow whose job condition reads the release tag alone', async () => {
    const findings = await run(materialize('double-release'));
    expect(findings.map(where)).toEqual(['error .github/workflows/publish-open-ticket-ai.yml:8:3']);
    expect(findings[0]!.message).toContain('and release-core.yml also publishes on release');
  });

  it('reports a publish workflow on every push, and a release trigger without types', async () => {
    const findings = await run(materialize('loose-triggers'));
    expect(findings.map(where)).toEqual(['error .github/workflows/publish-core.yml:4:3', 'warning .github/workflows/publish-core.yml:5:3']);
    expect(findings[0]!.message).toBe('publish-core.yml publishes on push with no tags or branches filter: every push to any branch or tag uploads (add tags: ["<package>-v*"])');
    expect(findings[1]!.message).toContain('publish-core.yml publishes on "release" with no types: it runs for created, published, edited and released alike');
  });

  it("counts a condition that every release's tag passes as no condition", async () => {
    expect(await run(path.join(FIXTURES, 'workflows/triggers-passing'))).toEqual([]);
    const findings = await run(path.join(FIXTURES, 'workflows/triggers-failing'));
    expect(findings.map(where)).toEqual(['error .github/workflows/plugin-testpypi.yml:3:3']);
    expect(findings[0]!.message).toBe(
      'plugin-testpypi.yml publishes acme-plugin on every GitHub release, and core-release.yml, draft.yml, plugin-release.yml also publish on release; ' +
        "its condition if: startsWith(github.ref, 'refs/tags') passes for every release's tag, so it does not tell this package's releases from the others', " +
        "so a release meant for another package publishes this one too (add if: startsWith(github.event.release.tag_name, '<prefix>'), or use push tags)",
    );
  });

  describe("the only release workflow, and another package's workflow that creates releases", () => {
    const pyproject = (name: string): string => COMPLETE_PYPROJECT.replace('name = "demo"', `name = "${name}"`);
    /** core publishes on release; plugin publishes on its own tags and then creates a GitHub release with `token`. */
    const repo = (token: string, coreCondition = ''): string =>
      writeRepo({
        'core/pyproject.toml': pyproject('acme-core'),
        'core/README.md': '# core\n',
        'core/acme_core/__init__.py': '',
        'plugin/pyproject.toml': pyproject('acme-plugin'),
        'plugin/README.md': '# plugin\n',
        'plugin/acme_plugin/__init__.py': '',
        '.github/workflows/publish-core.yml':
          'on:\n  release:\n    types: [published]\njobs:\n  publish:\n' +
          coreCondition +
          '    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: uv build --package acme-core\n      - uses: pypa/gh-action-pypi-publish@release/v1\n',
        '.github/workflows/publish-plugin.yml':
          'on:\n  push:\n    tags: ["plugin-v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n      contents: write\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: uv build --package acme-plugin\n      - uses: pypa/gh-action-pypi-publish@release/v1\n' +
          `      - uses: softprops/action-gh-release@v2\n        with:\n          token: ${token}\n`,
        'pyproject.toml': '[tool.uv.workspace]\nmembers = ["core", "plugin"]\n',
      });

    it('reports the release workflow: a release created with a PAT starts it, so every plugin release uploads the core', async () => {
      const findings = await run(repo('${{ secrets.RELEASE_PAT }}'));
      expect(findings.map(where)).toEqual(['error .github/workflows/publish-core.yml:2:3']);
      expect(findings[0]!.message).toBe(
        'publish-core.yml publishes acme-core on every GitHub release, and publish-plugin.yml creates a release for acme-plugin ' +
          '(softprops/action-gh-release at .github/workflows/publish-plugin.yml:15) with a token that starts workflows (not the GITHUB_TOKEN); ' +
          "no job condition here reads the release's tag, so every acme-plugin release also uploads acme-core at whatever version its pyproject holds " +
          "(add if: startsWith(github.event.release.tag_name, '<prefix>'), or use push tags)",
      );
    });

    it('reports it for a draft made with the GITHUB_TOKEN too: the person who publishes the draft starts the release workflow', async () => {
      const findings = await run(repo('${{ secrets.GITHUB_TOKEN }}\n          draft: true'));
      expect(findings.map(where)).toEqual(['error .github/workflows/publish-core.yml:2:3']);
      expect(findings[0]!.message).toContain('(softprops/action-gh-release at .github/workflows/publish-plugin.yml:15) as a draft, whose publication starts the release workflows;');
    });

    it('passes when the release is created with the GITHUB_TOKEN (it starts no workflow), or the release workflow reads its tag', async () => {
      expect(await run(repo('${{ secrets.GITHUB_TOKEN }}'))).toEqual([]);
      expect(await run(repo('${{ secrets.RELEASE_PAT }}', "    if: startsWith(github.event.release.tag_name, 'core-v')\n"))).toEqual([]);
    });
  });
});
