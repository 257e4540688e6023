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
    expect(findings[0]!.message).toContain('publish-to-pypi.yml uploads to PyPI (called by another workflow) but sets no permissions: for job build-and-publish');
    expect(findings[1]!.message).toContain('actions/checkout in publish job build-and-publish without persist-credentials: false');
    expect(findings[2]!.message).toContain('third-party action pypa/gh-action-pip-audit in publish job build-and-publish is pinned to "v1.1.0", not to a full commit SHA');
  });
});
