import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workflowRules } from '../rules/workflow/index.js';
import { shutdownActionlint } from '../src/actionlint/index.js';
import { renderRuleMarkdown } from '../src/docs/render.js';
import { BASE_FIXTURE, FIXTURES, lint } from './helpers/fixtures.js';

afterAll(async () => {
  await shutdownActionlint();
});

describe('the workflow rules together', () => {
  it('are exactly the workflow rules of docs/rules/README.md, with their default severities', () => {
    expect(Object.fromEntries(workflowRules.map((rule) => [rule.meta.id, rule.meta.defaultSeverity]))).toEqual({
      'workflow/actionlint': 'error',
      'workflow/publish-map': 'error',
      'workflow/tag-overlap': 'error',
      'workflow/tag-version': 'warning',
      'workflow/release-trigger': 'error',
      'workflow/trigger-reachability': 'error',
      'workflow/reusable-contract': 'error',
      'workflow/publish-steps': 'error',
      'workflow/artifacts': 'error',
      'workflow/publish-action': 'error',
      'workflow/scm-version': 'error',
      'workflow/python-version': 'error',
      'workflow/trusted-publishing': 'warning',
      'workflow/permissions': 'warning',
    });
  });

  it('each document what they catch, why, a failing and a passing example, and fix safety', () => {
    for (const { meta } of workflowRules) {
      expect(meta.fixable, meta.id).toBe('none');
      for (const text of [meta.description, meta.docs.catches, meta.docs.why, meta.docs.fixSafety]) expect(text.length, meta.id).toBeGreaterThan(40);
      expect(meta.docs.failing.content).not.toBe(meta.docs.passing.content);
      expect(meta.docs.failing.file).toMatch(/^\.github\/workflows\/.+\.yml$/);
      const page = renderRuleMarkdown(meta);
      expect(page).toContain(`# ${meta.id}`);
      expect(page).toContain('## Failing example');
    }
  });

  it('find nothing at all in the good repos', async () => {
    for (const root of [BASE_FIXTURE, path.join(FIXTURES, 'workflows/uv-monorepo')]) {
      const findings = (await lint(root, { rules: workflowRules })).map((finding) => `${finding.ruleId} ${finding.file}:${finding.line} ${finding.message}`);
      expect(findings, root).toEqual([]);
    }
  });
});

describe('odd workflows', () => {
  it('crash no rule: empty files, scalars where maps belong, expressions where lists belong', async () => {
    const { writeRepo } = await import('./helpers/repo.js');
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n',
      '.github/workflows/empty.yml': '',
      '.github/workflows/scalar.yml': 'just a string\n',
      '.github/workflows/list-on.yml': 'on: [push, release]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build && twine upload dist/*\n',
      '.github/workflows/weird.yml':
        'on:\n  push:\n    tags: "v*"\n  workflow_call:\n    inputs: 5\n    secrets: []\njobs:\n  a:\n    uses: ./.github/workflows/weird.yml\n    with: 3\n    secrets: 4\n' +
        '  b:\n    runs-on: ubuntu-latest\n    needs: a\n    permissions: read-all\n    strategy:\n      matrix: ${{ fromJSON(needs.a.outputs.m) }}\n    steps:\n' +
        '      - "not a step"\n      - run: 42\n      - uses: pypa/gh-action-pypi-publish\n        with: nope\n      - if: true\n        run: uv publish --token ${{ secrets.T }}\n',
      '.github/workflows/callee.yml': 'on:\n  workflow_call:\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: twine upload ${{ inputs.dir }}/dist/*\n',
      '.github/workflows/caller.yml': 'on:\n  push:\n    tags: ["w*"]\njobs:\n  call:\n    strategy:\n      matrix:\n        dir: [a, b]\n    uses: ./.github/workflows/callee.yml\n',
    });
    const findings = await lint(root, { rules: workflowRules });
    expect(findings.every((finding) => finding.line >= 1 && finding.column >= 1)).toBe(true);
    // The list form of `on:` is read like the map form.
    expect(findings.filter((finding) => finding.file === '.github/workflows/list-on.yml' && finding.ruleId === 'workflow/release-trigger').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['workflow/release-trigger', '.github/workflows/list-on.yml', 1, 'list-on.yml publishes on push with no tags or branches filter: every push to any branch or tag uploads (add tags: ["<package>-v*"])'],
      ['workflow/release-trigger', '.github/workflows/list-on.yml', 1, 'list-on.yml publishes on "release" with no types: it runs for created, published, edited and released alike, so one release starts several uploads (use types: [published])'],
    ]);
  });
});
