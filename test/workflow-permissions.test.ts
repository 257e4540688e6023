import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import permissions from '../rules/workflow/permissions.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(permissions, root);

describe('workflow/permissions', () => {
  it('passes the good repos (SHA pins, persist-credentials: false, explicit permissions)', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/inherit-caller'))).toEqual([]);
  });

  it('reports missing permissions, a checkout that keeps its token and a tag-pinned action (variant loose-permissions)', async () => {
    const findings = await run(materialize('loose-permissions'));
    expect(findings.map(where)).toEqual([
      'warning .github/workflows/publish-to-pypi.yml:1:1',
      'warning .github/workflows/publish-to-pypi.yml:34:15',
      'warning .github/workflows/publish-to-pypi.yml:65:15',
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      'publish-to-pypi.yml uploads to PyPI (called by another workflow), but neither the workflow nor job build-and-publish sets permissions:, so GITHUB_TOKEN gets the repository default there ' +
        '(often write access); add permissions: contents: read at the top and grant more per job',
      'actions/checkout in job build-and-publish (which uploads to PyPI) leaves the GITHUB_TOKEN in .git/config for every later step, next to the PyPI credential; add with: persist-credentials: false',
      'third-party action pypa/gh-action-pip-audit in job build-and-publish (which uploads to PyPI) is pinned to "v1.1.0", not to a full commit SHA: whoever controls that ref controls your release; ' +
        'pin pypa/gh-action-pip-audit@<40-hex SHA> # v1.1.0',
    ]);
  });

  it('leaves a publish action ref that does not exist to workflow/publish-action (one cause, one finding)', async () => {
    const root = materialize('publish-action-problems');
    const findings = (await run(root)).filter((finding) => finding.file === '.github/workflows/publish-integration.yml');
    expect(findings.map((finding) => finding.message).filter((message) => message.includes('gh-action-pypi-publish'))).toEqual([]);
    const workflow = path.join(root, '.github/workflows/publish-integration.yml');
    fs.writeFileSync(workflow, fs.readFileSync(workflow, 'utf8').replace('gh-action-pypi-publish@v1\n', 'gh-action-pypi-publish@v1.12.4\n'));
    const pinned = (await run(root)).filter((finding) => finding.file === '.github/workflows/publish-integration.yml' && finding.message.includes('gh-action-pypi-publish'));
    expect(pinned.map((finding) => finding.message)).toEqual([
      'third-party action pypa/gh-action-pypi-publish in job publish (which uploads to PyPI) is pinned to "v1.12.4", not to a full commit SHA: whoever controls that ref controls your release; ' +
        'pin pypa/gh-action-pypi-publish@<40-hex SHA> # v1.12.4',
    ]);
  });
});
