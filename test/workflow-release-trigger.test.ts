import path from 'node:path';
import { describe, expect, it } from 'vitest';
import releaseTrigger from '../rules/workflow/release-trigger.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';

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
});
