/**
 * `pypi-release-lint rehearse`: the exact tree and findings of each scenario on the seed fixture
 * and on fixtures/rehearse/<shape>/ (the release shapes of the release model, and the classic traps).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleMetas } from '../rules/index.js';
import { loadProject } from '../src/engine/run.js';
import { resolveTag } from '../src/gate/tag.js';
import { rehearsalFindings } from '../src/rehearse/checks.js';
import { formatRehearsalText, rehearsalJson } from '../src/rehearse/format.js';
import { rehearse } from '../src/rehearse/rehearse.js';
import type { Scenario } from '../src/rehearse/scenario.js';
import { FIXTURES, tempDir } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const CATALOG = [...ruleMetas.values()];

async function treeOf(fixture: string, scenario: Scenario): Promise<string> {
  const project = loadProject(path.join(FIXTURES, fixture), { catalog: CATALOG });
  const rehearsal = rehearse(project, scenario);
  return formatRehearsalText(rehearsal, rehearsalFindings(project, rehearsal));
}

const SEED: [string, Scenario, string][] = [
  [
    'open-ticket-ai',
    { kind: 'tag', tag: 'hf-local-v1.0.0' },
    `push of tag hf-local-v1.0.0
  workflow .github/workflows/publish-hf-local.yml (tag pattern 'hf-local-v*', line 6)
    job publish → build-and-publish (.github/workflows/publish-to-pypi.yml:31): runs
      upload twine upload (.github/workflows/publish-to-pypi.yml:81): runs
        open-ticket-ai-hf-local 1.0.0 (src/open_ticket_ai_hf_local/pyproject.toml) → pypi.org, secret PYPI_API_TOKEN_HF_LOCAL (TWINE_PASSWORD)

no error
`,
  ],
  [
    'open-ticket-ai',
    { kind: 'tag', tag: 'open-ticket-ai-v1.4.0' },
    `push of tag open-ticket-ai-v1.4.0
  workflow .github/workflows/publish-open-ticket-ai.yml (tag pattern 'open-ticket-ai-v*', line 6)
    job publish → build-and-publish (.github/workflows/publish-to-pypi.yml:31): runs
      upload twine upload (.github/workflows/publish-to-pypi.yml:81): runs
        open-ticket-ai 1.4.0 (pyproject.toml) → pypi.org, secret PYPI_API_TOKEN (TWINE_PASSWORD)

no error
`,
  ],
  [
    'open-ticket-ai',
    { kind: 'tag', tag: 'otobo-znuny-v1.1.0' },
    `push of tag otobo-znuny-v1.1.0
  workflow .github/workflows/publish-otobo-znuny.yml (tag pattern 'otobo-znuny-v*', line 6)
    job publish → build-and-publish (.github/workflows/publish-to-pypi.yml:31): runs
      upload twine upload (.github/workflows/publish-to-pypi.yml:81): runs
        open-ticket-ai-otobo-znuny-plugin 1.1.0 (src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml) → pypi.org, secret PYPI_API_TOKEN_OTOBO_ZNUNY (TWINE_PASSWORD)

no error
`,
  ],
  [
    'open-ticket-ai',
    { kind: 'tag', tag: 'v1.5.0' },
    `push of tag v1.5.0
  workflow .github/workflows/publish-open-ticket-ai.yml (tag pattern 'v*', line 7)
    job publish → build-and-publish (.github/workflows/publish-to-pypi.yml:31): runs
      upload twine upload (.github/workflows/publish-to-pypi.yml:81): runs
        open-ticket-ai 1.4.0 (pyproject.toml) → pypi.org, secret PYPI_API_TOKEN (TWINE_PASSWORD)

findings
  error workflow/tag-version pyproject.toml:7: tag v1.5.0 names version 1.5.0, but open-ticket-ai is version 1.4.0 (pyproject.toml:7): the run builds 1.4.0 under tag v1.5.0; push v1.4.0, or set the version to 1.5.0; the check at .github/workflows/publish-to-pypi.yml:57 fails the run before the upload at .github/workflows/publish-to-pypi.yml:81

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'open-ticket-ai',
    { kind: 'release', tag: 'v1.4.0', prerelease: false, draft: false },
    `release v1.4.0 (activity types published, released, created)
  no workflow starts

findings
  error workflow/release-trigger: release v1.4.0 starts no workflow: none listens to the release event (publish triggers: publish-hf-local.yml: tags hf-local-v*, open-ticket-ai-hf-local-v*; publish-open-ticket-ai.yml: tags open-ticket-ai-v*, v*; publish-otobo-znuny.yml: tags otobo-znuny-v*, open-ticket-ai-otobo-znuny-v*); push the tag instead, or add on.release to its publish workflow

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'open-ticket-ai',
    { kind: 'dispatch', workflow: 'publish-hf-local.yml', inputs: new Map(), ref: 'main' },
    `workflow_dispatch of publish-hf-local.yml on branch main
  workflow .github/workflows/publish-hf-local.yml (workflow_dispatch with dry-run=true (default), line 8)
    job publish → build-and-publish (.github/workflows/publish-to-pypi.yml:31): runs
      upload twine upload (.github/workflows/publish-to-pypi.yml:81): skipped, if: !inputs.dry-run is false (.github/workflows/publish-to-pypi.yml:76)

no error
`,
  ],
  [
    'open-ticket-ai',
    { kind: 'dispatch', workflow: 'publish-hf-local.yml', inputs: new Map([['dry-run', 'false']]), ref: 'main' },
    `workflow_dispatch of publish-hf-local.yml on branch main
  workflow .github/workflows/publish-hf-local.yml (workflow_dispatch with dry-run=false, line 8)
    job publish → build-and-publish (.github/workflows/publish-to-pypi.yml:31): runs
      upload twine upload (.github/workflows/publish-to-pypi.yml:81): runs
        open-ticket-ai-hf-local 1.0.0 (src/open_ticket_ai_hf_local/pyproject.toml) → pypi.org, secret PYPI_API_TOKEN_HF_LOCAL (TWINE_PASSWORD)

no error
`,
  ],
];

const SHAPES: [string, Scenario, string][] = [
  [
    'rehearse/tag-monorepo',
    { kind: 'tag', tag: 'core-v1.2.0' },
    `push of tag core-v1.2.0
  workflow .github/workflows/release.yml (tag pattern 'core-v*', line 7)
    job release (.github/workflows/release.yml:14): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/release.yml:27): runs
        lantern-core 1.2.0 (tag core-v1.2.0, through [tool.hatch.version] tag-pattern) → pypi.org, trusted publishing (OIDC)

no error
`,
  ],
  [
    'rehearse/tag-monorepo',
    { kind: 'tag', tag: 'core-vnext' },
    `push of tag core-vnext
  workflow .github/workflows/release.yml (tag pattern 'core-v*', line 7)
    job release (.github/workflows/release.yml:14): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/release.yml:27): runs
        lantern-core version unknown: tag core-vnext, through [tool.hatch.version] tag-pattern → pypi.org, trusted publishing (OIDC)

findings
  error workflow/tag-version packages/core/pyproject.toml:13: hatch-vcs reads 'next' from tag core-vnext for lantern-core, which is not a PEP 440 version: the build fails (upload at .github/workflows/release.yml:27)

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/artifact-handoff',
    { kind: 'tag', tag: 'v2.0.0' },
    `push of tag v2.0.0
  workflow .github/workflows/publish.yml (tag pattern 'v*', line 5)
    job build (.github/workflows/publish.yml:11): runs
    job publish (.github/workflows/publish.yml:23): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:34): runs
        beacon 2.0.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)

no error
`,
  ],
  [
    'rehearse/artifact-handoff',
    { kind: 'tag', tag: 'v2.0.1' },
    `push of tag v2.0.1
  workflow .github/workflows/publish.yml (tag pattern 'v*', line 5)
    job build (.github/workflows/publish.yml:11): runs
    job publish (.github/workflows/publish.yml:23): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:34): runs
        beacon 2.0.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)

findings
  error workflow/tag-version pyproject.toml:7: tag v2.0.1 names version 2.0.1, but beacon is version 2.0.0 (pyproject.toml:7): the run builds 2.0.0 under tag v2.0.1; push v2.0.0, or set the version to 2.0.1 (upload at .github/workflows/publish.yml:34)

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/matrix-build',
    { kind: 'tag', tag: 'v0.3.0' },
    `push of tag v0.3.0
  workflow .github/workflows/publish.yml (tag pattern 'v*', line 6)
    job build (package=alpha) (.github/workflows/publish.yml:12): runs
    job build (package=beta) (.github/workflows/publish.yml:12): runs
    job publish (.github/workflows/publish.yml:27): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:39): runs
        kite-alpha 0.3.0 (packages/alpha/pyproject.toml) → pypi.org, trusted publishing (OIDC)
        kite-beta 0.3.0 (packages/beta/pyproject.toml) → pypi.org, trusted publishing (OIDC)

no error
`,
  ],
  [
    'rehearse/testpypi-branch',
    { kind: 'branch', branch: 'main' },
    `push to branch main
  workflow .github/workflows/publish.yml (branch pattern 'main', line 6)
    job build (.github/workflows/publish.yml:13): runs
    job testpypi (.github/workflows/publish.yml:25): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:37): runs
        harbor 1.0.0 (pyproject.toml) → test.pypi.org, trusted publishing (OIDC)
    job pypi (.github/workflows/publish.yml:41): skipped, if: startsWith(github.ref, 'refs/tags/v') is false (.github/workflows/publish.yml:43)
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:53): skipped, its job does not run
        harbor 1.0.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)

no error
`,
  ],
  [
    'rehearse/testpypi-branch',
    { kind: 'tag', tag: 'v1.0.0' },
    `push of tag v1.0.0
  workflow .github/workflows/publish.yml (tag pattern 'v*', line 7)
    job build (.github/workflows/publish.yml:13): runs
    job testpypi (.github/workflows/publish.yml:25): skipped, if: github.ref == 'refs/heads/main' is false (.github/workflows/publish.yml:27)
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:37): skipped, its job does not run
        harbor 1.0.0 (pyproject.toml) → test.pypi.org, trusted publishing (OIDC)
    job pypi (.github/workflows/publish.yml:41): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:53): runs
        harbor 1.0.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)

no error
`,
  ],
  [
    'rehearse/release-every-package',
    { kind: 'release', tag: 'meadow-v1.0.0', prerelease: false, draft: false },
    `release meadow-v1.0.0 (activity types published, released, created)
  workflow .github/workflows/publish-core.yml (release (published), line 5)
    job publish (.github/workflows/publish-core.yml:11): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish-core.yml:21): runs
        meadow 1.0.0 (core/pyproject.toml) → pypi.org, trusted publishing (OIDC)
  workflow .github/workflows/publish-sql.yml (release (published), line 5)
    job publish (.github/workflows/publish-sql.yml:11): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish-sql.yml:21): runs
        meadow-sql 0.2.0 (plugins/sql/pyproject.toml) → pypi.org, trusted publishing (OIDC)

findings
  error workflow/release-trigger .github/workflows/publish-sql.yml:5: release meadow-v1.0.0 publishes the packages of 2 workflows: meadow (.github/workflows/publish-core.yml, release (published) at line 5); meadow-sql (.github/workflows/publish-sql.yml, release (published) at line 5); a release is not tied to a package, so guard each publish job with if: startsWith(github.event.release.tag_name, '<its prefix>')

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/release-without-types',
    { kind: 'release', tag: 'v3.1.0', prerelease: false, draft: false },
    `release v3.1.0 (activity types published, released, created)
  workflow .github/workflows/publish.yml (release (published), line 4)
    job publish (.github/workflows/publish.yml:10): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:20): runs
        signal 3.1.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)
  workflow .github/workflows/publish.yml (release (released), line 4)
    job publish (.github/workflows/publish.yml:10): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:20): runs
        signal 3.1.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)
  workflow .github/workflows/publish.yml (release (created), line 4)
    job publish (.github/workflows/publish.yml:10): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:20): runs
        signal 3.1.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)

findings
  error workflow/release-trigger .github/workflows/publish.yml:4: signal is uploaded 3 times to pypi.org: .github/workflows/publish.yml:20 in the run on release (published) (job publish); .github/workflows/publish.yml:20 in the run on release (released) (job publish); .github/workflows/publish.yml:20 in the run on release (created) (job publish); every upload after the first fails with "File already exists": list one activity type, on.release.types: [published]

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/two-publishers',
    { kind: 'tag', tag: 'plugin-1.0.0' },
    `push of tag plugin-1.0.0
  workflow .github/workflows/publish-core.yml (tag pattern '*.*.*', line 5)
    job publish (.github/workflows/publish-core.yml:11): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish-core.yml:21): runs
        orchard 1.0.0 (core/pyproject.toml) → pypi.org, trusted publishing (OIDC)
  workflow .github/workflows/publish-plugin.yml (tag pattern 'plugin-*', line 5)
    job publish (.github/workflows/publish-plugin.yml:11): runs
      upload pypa/gh-action-pypi-publish (.github/workflows/publish-plugin.yml:21): runs
        orchard-plugin 1.0.0 (plugin/pyproject.toml) → pypi.org, trusted publishing (OIDC)

findings
  error workflow/tag-overlap .github/workflows/publish-plugin.yml:5: tag plugin-1.0.0 starts 2 publishers: orchard (.github/workflows/publish-core.yml, tag pattern '*.*.*' at line 5); orchard-plugin (.github/workflows/publish-plugin.yml, tag pattern 'plugin-*' at line 5); a release tag must start one, make their tag patterns disjoint

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/dispatch-version-input',
    { kind: 'dispatch', workflow: 'release.yml', inputs: new Map([['version', '2.0.0']]), ref: 'main' },
    `workflow_dispatch of release.yml on branch main
  workflow .github/workflows/release.yml (workflow_dispatch with version=2.0.0, line 5)
    job release (.github/workflows/release.yml:16): runs
      upload twine upload (.github/workflows/release.yml:25): runs
        lighthouse 1.3.0 (pyproject.toml) → pypi.org, secret PYPI_TOKEN (TWINE_PASSWORD)

findings
  error workflow/tag-version .github/workflows/release.yml:7: input version is never compared with the version the run builds, nor handed to the build: the run uploads lighthouse 1.3.0 (pyproject.toml:7) whatever it says (here 2.0.0); compare it with the built version before the upload, or drop the input

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/branch-tag-guard',
    { kind: 'branch', branch: 'main' },
    `push to branch main
  workflow .github/workflows/publish.yml (branch pattern 'main', line 5)
    job build (.github/workflows/publish.yml:12): skipped, if: startsWith(github.ref, 'refs/tags/') is false (.github/workflows/publish.yml:13)
    job testpypi (.github/workflows/publish.yml:25): skipped, needs build, which does not run (if: startsWith(github.ref, 'refs/tags/') is false (.github/workflows/publish.yml:13))
      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:37): skipped, its job does not run

findings
  error workflow/release-trigger .github/workflows/publish.yml:25: on push to branch main, the upload at .github/workflows/publish.yml:37 never runs: job testpypi needs build (if: startsWith(github.ref, 'refs/tags/') is false (.github/workflows/publish.yml:13)), which this trigger skips

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/tag-starts-nothing',
    { kind: 'tag', tag: 'v1.2' },
    `push of tag v1.2
  no workflow starts

findings
  error workflow/release-trigger .github/workflows/publish.yml:5: tag v1.2 starts no workflow, so it publishes nothing (publish triggers: publish.yml: tags v[0-9]+.[0-9]+.[0-9]+); it starts like 'v[0-9]+.[0-9]+.[0-9]+' but does not match it

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
  [
    'rehearse/secret-not-passed',
    { kind: 'tag', tag: 'v0.1.0' },
    `push of tag v0.1.0
  workflow .github/workflows/publish.yml (tag pattern 'v*', line 5)
    job publish → upload (.github/workflows/upload.yml:17): runs
      upload twine upload (.github/workflows/upload.yml:24): runs
        tidepool 0.1.0 (pyproject.toml) → pypi.org, secret pypi-token (TWINE_PASSWORD), which no caller passes: empty

findings
  error secrets/declared .github/workflows/upload.yml:27: TWINE_PASSWORD reads secrets.pypi-token at .github/workflows/upload.yml:27, which is not passed by job publish (.github/workflows/publish.yml:11): the upload at .github/workflows/upload.yml:24 runs with an empty token and fails; pass it under secrets: (or secrets: inherit)

1 error, 0 warnings: this release would fail or publish the wrong thing
`,
  ],
];

describe('rehearse on the seed fixture: the tag of each package, a GitHub release, a dispatch with and without dry-run', () => {
  it.each(SEED)('%s: %j', async (fixture, scenario, expected) => {
    expect(await treeOf(fixture, scenario)).toBe(expected);
  });
});

describe('rehearse on the release shapes and the traps (fixtures/rehearse/)', () => {
  it.each(SHAPES)('%s: %j', async (fixture, scenario, expected) => {
    expect(await treeOf(fixture, scenario)).toBe(expected);
  });
});

describe('what a rehearsal decides, and what it shows as unknown', () => {
  const PYPROJECT = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "pebble"\nversion = "0.2.0"\n';
  const workflow = (on: string, jobIf: string): string =>
    `name: Publish\non:\n${on}\npermissions:\n  contents: read\njobs:\n  publish:\n    if: ${jobIf}\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - run: pipx run build\n      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4\n`;
  const treeIn = async (files: Record<string, string>, scenario: Scenario): Promise<string> => {
    const project = loadProject(writeRepo(files), { catalog: CATALOG });
    const rehearsal = rehearse(project, scenario);
    return formatRehearsalText(rehearsal, rehearsalFindings(project, rehearsal));
  };

  it('shows a condition it cannot evaluate as unknown, with the expression and where it is written', async () => {
    const text = await treeIn({ 'pyproject.toml': PYPROJECT, '.github/workflows/publish.yml': workflow('  push:\n    tags: ["v*"]', "vars.PUBLISH == 'yes'") }, { kind: 'tag', tag: 'v0.2.0' });
    expect(text).toContain("    job publish (.github/workflows/publish.yml:8): unknown: vars.PUBLISH == 'yes' at .github/workflows/publish.yml:9\n");
    expect(text).toContain('      upload pypa/gh-action-pypi-publish (.github/workflows/publish.yml:15): unknown: its job may not run\n');
    expect(text).toContain('        pebble 0.2.0 (pyproject.toml) → pypi.org, trusted publishing (OIDC)\n');
    expect(text.endsWith('no error\n')).toBe(true);
  });

  it('follows GitHub tag filters in order: a later negation excludes, a later pattern brings back', async () => {
    const files = { 'pyproject.toml': PYPROJECT, '.github/workflows/publish.yml': workflow('  push:\n    tags: ["v*", "!v*-rc*", "v*-rc1"]', 'true') };
    expect(await treeIn(files, { kind: 'tag', tag: 'v0.2.0-rc2' })).toContain('  no workflow starts\n');
    expect(await treeIn(files, { kind: 'tag', tag: 'v0.2.0-rc1' })).toContain("  workflow .github/workflows/publish.yml (tag pattern 'v*-rc1', line 4)\n");
  });

  it('a push with tags only ignores branch pushes; a paths filter makes a branch push unknown', async () => {
    const tagsOnly = { 'pyproject.toml': PYPROJECT, '.github/workflows/publish.yml': workflow('  push:\n    tags: ["v*"]', 'true') };
    expect(await treeIn(tagsOnly, { kind: 'branch', branch: 'main' })).toBe('push to branch main\n  no workflow starts\n\nno error\n');
    const paths = { 'pyproject.toml': PYPROJECT, '.github/workflows/publish.yml': workflow('  push:\n    branches: [main]\n    paths: ["src/**"]', 'true') };
    expect(await treeIn(paths, { kind: 'branch', branch: 'main' })).toContain(
      "  workflow .github/workflows/publish.yml (branch pattern 'main', line 4): unknown: on.push.paths: whether the pushed commits change those paths\n",
    );
  });

  it('a pre-release fires prereleased, not released; a draft starts nothing', async () => {
    const files = { 'pyproject.toml': PYPROJECT, '.github/workflows/publish.yml': workflow('  release:\n    types: [released]', 'true') };
    expect(await treeIn(files, { kind: 'release', tag: 'v0.2.0', prerelease: true, draft: false })).toContain('  no workflow starts\n');
    expect(await treeIn(files, { kind: 'release', tag: 'v0.2.0', prerelease: false, draft: false })).toContain('  workflow .github/workflows/publish.yml (release (released), line 4)\n');
    expect(await treeIn(files, { kind: 'release', tag: 'v0.2.0', prerelease: false, draft: true })).toBe('draft release v0.2.0\n  no workflow starts\n\nno error\n');
  });

  it('reads github.event.release.prerelease: a job kept for full releases is skipped on a pre-release, a warning that it uploads nothing', async () => {
    const files = { 'pyproject.toml': PYPROJECT, '.github/workflows/publish.yml': workflow('  release:\n    types: [published]', '${{ !github.event.release.prerelease }}') };
    const text = await treeIn(files, { kind: 'release', tag: 'v0.2.0', prerelease: true, draft: false });
    expect(text).toContain(
      '  warning workflow/release-trigger .github/workflows/publish.yml:4: release v0.2.0 starts .github/workflows/publish.yml but uploads nothing: pypa/gh-action-pypi-publish at .github/workflows/publish.yml:15 (its job does not run)\n',
    );
    expect(text).toContain(
      '    job publish (.github/workflows/publish.yml:8): skipped, if: !github.event.release.prerelease is false (.github/workflows/publish.yml:9)\n',
    );
  });

  it('a tag the git describe --match of a setuptools-scm package refuses: the version comes from an older tag', async () => {
    const scm = '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "pebble"\ndynamic = ["version"]\n\n[tool.setuptools_scm]\ngit_describe_command = "git describe --tags --match pebble-v*"\n';
    const text = await treeIn({ 'pyproject.toml': scm, '.github/workflows/publish.yml': workflow('  push:\n    tags: ["v*", "pebble-v*"]', 'true') }, { kind: 'tag', tag: 'v0.3.0' });
    expect(text).toContain('        pebble version unknown: setuptools-scm, from the git history → pypi.org, trusted publishing (OIDC)\n');
    expect(text).toContain(
      "  error workflow/tag-version pyproject.toml:10: tag v0.3.0 does not match [tool.setuptools_scm] git_describe_command 'git describe --match pebble-v*' of pebble (pyproject.toml:10): setuptools-scm skips it and builds a version from an older tag (upload at .github/workflows/publish.yml:15)\n",
    );
  });
});

describe('gate --tag builds what the rehearsal of the tag uploads', () => {
  it('a single publisher that picks the package from the tag resolves to that package alone', async () => {
    const project = loadProject(path.join(FIXTURES, 'rehearse/tag-monorepo'), { catalog: CATALOG });
    const resolution = resolveTag(project, 'cli-v0.9.0');
    expect(resolution.packages.map((pkg) => pkg.name)).toEqual(['lantern-cli']);
    expect(resolution.matches.map((match) => [match.workflow.name, match.pattern, match.packageDirs])).toEqual([['release.yml', 'cli-v*', ['packages/cli']]]);
  });
});

describe('rehearsal JSON', () => {
  it('carries the tree, the findings and whether the release would pass', async () => {
    const project = loadProject(path.join(FIXTURES, 'rehearse/testpypi-branch'), { catalog: CATALOG });
    const rehearsal = rehearse(project, { kind: 'branch', branch: 'main' });
    const json = rehearsalJson(rehearsal, rehearsalFindings(project, rehearsal));
    expect(json.ok).toBe(true);
    expect(json.runs.map((run) => [run.workflow, run.trigger, run.line])).toEqual([['.github/workflows/publish.yml', "branch pattern 'main'", 6]]);
    expect(json.runs[0]!.jobs.map((job) => [job.job, job.runs])).toEqual([
      ['build', 'runs'],
      ['testpypi', 'runs'],
      ['pypi', 'skipped'],
    ]);
    expect(json.runs[0]!.jobs[1]!.uploads[0]).toMatchObject({
      tool: 'pypa/gh-action-pypi-publish',
      runs: 'runs',
      index: 'testpypi',
      indexName: 'test.pypi.org',
      credential: 'trusted publishing (OIDC)',
      packages: [{ name: 'harbor', directory: '.', version: '1.0.0', versionFrom: 'pyproject.toml' }],
    });
  });
});

describe('a version an existing tag of another pattern already released', () => {
  it('reads the tags from .git (loose and packed) and reports the upload that PyPI would refuse', async () => {
    const root = materializeSeedWithTags({ 'refs/tags/open-ticket-ai-hf-local-v1.0.0': 'loose', 'refs/tags/v1.3.0': 'packed' });
    const project = loadProject(root, { catalog: CATALOG });
    const rehearsal = rehearse(project, { kind: 'tag', tag: 'hf-local-v1.0.0' });
    expect(rehearsalFindings(project, rehearsal).map((finding) => [finding.rule, finding.at, finding.message])).toEqual([
      [
        'workflow/tag-overlap',
        { file: 'src/open_ticket_ai_hf_local/pyproject.toml', line: 7 },
        "open-ticket-ai-hf-local 1.0.0 was released already by the existing tag open-ticket-ai-hf-local-v1.0.0 (tag pattern 'open-ticket-ai-hf-local-v*' at .github/workflows/publish-hf-local.yml:7): the upload at .github/workflows/publish-to-pypi.yml:81 fails with \"File already exists\"; bump the version before tagging",
      ],
    ]);
    // v1.3.0 is an older version of the core: pushing open-ticket-ai-v1.4.0 is fine.
    const core = rehearse(project, { kind: 'tag', tag: 'open-ticket-ai-v1.4.0' });
    expect(rehearsalFindings(project, core)).toEqual([]);
  });
});

function materializeSeedWithTags(refs: Record<string, 'loose' | 'packed'>): string {
  const root = tempDir('prl-rehearse-');
  fs.cpSync(path.join(FIXTURES, 'open-ticket-ai'), root, { recursive: true });
  const sha = '0123456789abcdef0123456789abcdef01234567';
  const packed = ['# pack-refs with: peeled fully-peeled sorted'];
  for (const [ref, how] of Object.entries(refs)) {
    if (how === 'packed') packed.push(`${sha} ${ref}`);
    else {
      fs.mkdirSync(path.dirname(path.join(root, '.git', ref)), { recursive: true });
      fs.writeFileSync(path.join(root, '.git', ref), `${sha}\n`);
    }
  }
  fs.writeFileSync(path.join(root, '.git', 'packed-refs'), `${packed.join('\n')}\n`);
  return root;
}
