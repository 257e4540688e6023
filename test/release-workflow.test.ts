/**
 * The project's own release (it publishes to npm, not PyPI, so the linter's rules do not judge it):
 * held to the same standards by hand. release.yml on a v* tag checks the tag against package.json,
 * runs the tests, publishes the tested tarball with provenance through npm trusted publishing (no
 * token), attaches it to the GitHub release and moves the Action's major tag to the build commit;
 * ci.yml runs `npm publish --dry-run` and the tag check. Every action pinned to a full SHA, each job
 * granted only what it uses; both pass the embedded actionlint. And the tag check script itself.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runActionlint, shutdownActionlint } from '../src/actionlint/index.js';
// @ts-expect-error: a plain ES module script without types
import { versionTagProblem } from '../scripts/check-version-tag.mjs';
import { REPO_ROOT } from './helpers/fixtures.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: { name: string };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = (name: string): string => fs.readFileSync(path.join(REPO_ROOT, '.github/workflows', name), 'utf8');
const release = parse(text('release.yml')) as Workflow;
const ci = parse(text('ci.yml')) as Workflow;
const runs = (job: Job): string => job.steps.map((step) => step.run ?? '').join('\n');
const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

afterAll(async () => {
  await shutdownActionlint();
});

describe('release.yml', () => {
  it('runs on v* tags: tag check and tests, then npm publish with provenance, then the GitHub release and the major tag', () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    expect(Object.keys(release.jobs)).toEqual(['test', 'publish', 'github-release']);
    const { test, publish, 'github-release': github } = release.jobs as Record<string, Job>;
    expect(runs(test!)).toMatch(/node scripts\/check-version-tag\.mjs "\$GITHUB_REF_NAME"[\s\S]*npm ci[\s\S]*npm test[\s\S]*npm pack/);
    expect(publish!.needs).toBe('test');
    expect(runs(publish!)).toMatch(/^npm publish \.\/pypi-release-lint-\*\.tgz --provenance --access public$/m);
    expect(github!.needs).toBe('publish');
    expect(runs(github!)).toContain('gh release create "$GITHUB_REF_NAME" pypi-release-lint-*.tgz --verify-tag');
    expect(runs(github!)).toMatch(/git tag --force "\$major"\n\s*git push --force origin "refs\/tags\/\$major"/);
    // The Action's build commit holds what action.yml runs, with runtime dependencies only.
    expect(runs(github!)).toContain('npm ci --omit=dev --ignore-scripts');
    expect(runs(github!)).toContain('git add --force dist/action.cjs dist/cli.cjs dist/linter.cjs dist/worker.cjs dist/actionlint.snapshot node_modules');
  });

  it('least permissions: none at the top, id-token only for the npm upload, contents: write only for the release job', () => {
    expect(release.permissions).toEqual({});
    expect(release.jobs.test!.permissions).toEqual({ contents: 'read' });
    expect(release.jobs.publish!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(release.jobs.publish!.environment!.name).toBe('npm');
    expect(release.jobs['github-release']!.permissions).toEqual({ contents: 'write' });
  });

  it('no long-lived npm token: trusted publishing (npm 11.5.1 or later), no NODE_AUTH_TOKEN or NPM_TOKEN', () => {
    expect(text('release.yml')).not.toMatch(/NODE_AUTH_TOKEN|NPM_TOKEN|secrets\./);
    const npm = /npm install --global npm@(\d+)\.(\d+)\.(\d+)/.exec(runs(release.jobs.publish!));
    expect(npm).not.toBeNull();
    expect(Number(npm![1]) * 1000 + Number(npm![2])).toBeGreaterThanOrEqual(11_005);
  });
});

describe('ci.yml', () => {
  it('runs the tests, npm publish --dry-run, and the tag check on tags', () => {
    const steps = ci.jobs.test!.steps;
    expect(runs(ci.jobs.test!)).toMatch(/npm ci[\s\S]*npm test[\s\S]*npm publish --dry-run/);
    const check = steps.find((step) => step.run?.includes('check-version-tag.mjs'))!;
    expect(check.if).toBe("${{ github.ref_type == 'tag' }}");
    expect(ci.permissions).toEqual({ contents: 'read' });
  });
});

describe('both workflows', () => {
  it('pin every action to a full commit SHA with its release in a comment', () => {
    for (const name of ['release.yml', 'ci.yml']) {
      const uses = [...text(name).matchAll(/uses: (\S+)(.*)$/gm)];
      expect(uses.length, name).toBeGreaterThan(0);
      for (const match of uses) {
        expect(match[1], name).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(match[2], name).toMatch(/^ # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it('pass the embedded actionlint', async () => {
    const outcome = await runActionlint(['release.yml', 'ci.yml'].map((name) => ({ path: `.github/workflows/${name}`, text: text(name) })));
    expect(outcome.failures).toEqual([]);
    expect(outcome.results).toEqual([]);
  });
});

describe('scripts/check-version-tag.mjs', () => {
  const script = path.join(REPO_ROOT, 'scripts/check-version-tag.mjs');
  const check = (tag: string): { status: number | null; stdout: string; stderr: string } => spawnSync(process.execPath, [script, tag], { encoding: 'utf8' });

  it('passes the tag of the current version, in both forms', () => {
    for (const tag of [`v${packageJson.version}`, `refs/tags/v${packageJson.version}`]) {
      const result = check(tag);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`tag v${packageJson.version} names version ${packageJson.version}\n`);
      expect(result.status).toBe(0);
    }
  });

  it('fails a tag of another version, or not a version tag, with the fix', () => {
    const other = check('v99.0.0');
    expect(other.status).toBe(1);
    expect(other.stderr).toBe(`check-version-tag: tag v99.0.0 does not name the version in package.json (${packageJson.version}): bump package.json to 99.0.0, or tag v${packageJson.version}\n`);
    expect(versionTagProblem('release-1', '1.0.0')).toBe('tag "release-1" is not a release tag (v followed by the version, e.g. v1.0.0)');
    expect(versionTagProblem('v1.0.0-rc.1', '1.0.0-rc.1')).toBeUndefined();
    expect(check('').status).toBe(2);
  });
});
