import path from 'node:path';
import { describe, expect, it } from 'vitest';
import triggerReachability from '../rules/workflow/trigger-reachability.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, where } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(triggerReachability, root);

describe('workflow/trigger-reachability', () => {
  it('passes the fixed workflows and the seed', async () => {
    expect(await run(path.join(FIXTURES, 'workflows/triggers-passing'))).toEqual([]);
    expect(await run(BASE_FIXTURE)).toEqual([]);
  });

  it('reports each trigger that never fires or fires twice', async () => {
    const findings = await run(path.join(FIXTURES, 'workflows/triggers-failing'));
    expect(findings.map((finding) => `${finding.ruleId}/${finding.kind} ${where(finding)}`)).toEqual([
      'workflow/trigger-reachability/release-and-tag error .github/workflows/core-release.yml:3:3',
      'workflow/trigger-reachability/draft-release error .github/workflows/draft.yml:4:12',
      'workflow/trigger-reachability/token-event error .github/workflows/gh-release.yml:14:14',
      'workflow/trigger-reachability/tag-guard-unreachable error .github/workflows/guarded.yml:10:9',
      'workflow/trigger-reachability/repeated-leg error .github/workflows/legs.yml:11:7',
      'workflow/trigger-reachability/many-tags error .github/workflows/many.yml:18:11',
      'workflow/trigger-reachability/release-types-differ warning .github/workflows/plugin-release.yml:4:12',
      'workflow/trigger-reachability/token-event error .github/workflows/tag.yml:17:11',
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      'acme-core is published on release by core-release.yml (.github/workflows/core-release.yml:3) and on tag push by core-tag.yml (.github/workflows/core-tag.yml:4): ' +
        'a release comes with its tag, so both runs upload the same version and the second fails (File already exists); publish on one of the two events',
      'draft.yml publishes on release types [created]: GitHub starts no workflow for the created activity of a draft release, and publishing a draft fires published, ' +
        'so a release prepared as a draft never publishes; use types: [published]',
      'gh release create creates a release with the default GITHUB_TOKEN (GH_TOKEN at .github/workflows/gh-release.yml:16): GitHub starts no workflow for events the GITHUB_TOKEN causes, ' +
        'so core-release.yml (on release, .github/workflows/core-release.yml:3) and 5 more publish workflows never run for it; ' +
        'create it with a GitHub App token or a PAT (a secret other than GITHUB_TOKEN), or call the publish workflow from gh-release.yml (workflow_call)',
      "job publish runs only for a tag (if: startsWith(github.ref, 'refs/tags/')), but guarded.yml starts only on branch pushes (.github/workflows/guarded.yml:3), never on a tag: " +
        'the upload at .github/workflows/guarded.yml:18 never runs; add on: push: tags (or release) to guarded.yml, or drop the condition',
      'acme-core is built and uploaded by 2 legs of job publish (python=3.11; python=3.12; upload at .github/workflows/legs.yml:20): each leg uploads the same version ' +
        "and every upload after the first fails (File already exists); upload from one leg (if: matrix.python == '3.12') or from a job that needs the matrix job",
      'git push origin --tags pushes 4 tags at once: GitHub creates no push event for tags when more than three are pushed at once, ' +
        'so core-tag.yml (on tag push, .github/workflows/core-tag.yml:3) and 1 more publish workflow runs for none of them; push each tag with its own git push',
      'plugin-release.yml publishes on release types [released], which a prerelease does not fire, while core-release.yml (.github/workflows/core-release.yml:3) publishes on [published], ' +
        'which it does: a prerelease publishes one and not the other; use the same types in both (published, and a prerelease check where needed)',
      'git push origin --tags pushes a tag with the default GITHUB_TOKEN (the credential actions/checkout at .github/workflows/tag.yml:14 leaves for git): ' +
        'GitHub starts no workflow for events the GITHUB_TOKEN causes, so core-tag.yml (on tag push, .github/workflows/core-tag.yml:3) and 1 more publish workflow never run for it; ' +
        'create it with a GitHub App token or a PAT (a secret other than GITHUB_TOKEN), or call the publish workflow from tag.yml (workflow_call)',
    ]);
  });

  it('leaves alone a release a tag-push run makes for its own tag: the tag already exists, and no workflow waits for the release', async () => {
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n',
      '.github/workflows/ci-cd.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m build\n' +
        '      - uses: pypa/gh-action-pypi-publish@release/v1\n      - uses: softprops/action-gh-release@v2\n',
    });
    expect(await run(root)).toEqual([]);
  });
});


describe('workflow/trigger-reachability: tag guards in workflows no tag starts', () => {
  const PYPROJECT = { 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n' };
  const publishJob = (condition: string, needs = ''): string =>
    `  publish:\n${needs}${condition}    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n` +
    '      - uses: actions/checkout@v4\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n';
  const guarded = (on: string): Record<string, string> => ({
    ...PYPROJECT,
    '.github/workflows/publish.yml': `on:\n${on}jobs:\n${publishJob("    if: startsWith(github.ref, 'refs/tags/')\n")}`,
  });
  const messages = async (root: string): Promise<string[]> => (await run(root)).map((finding) => `${finding.kind} ${where(finding)}: ${finding.message}`);

  it('reports the guard on a job the publish job needs, through a chain of needs, once, naming the publish job', async () => {
    const root = writeRepo({
      ...PYPROJECT,
      '.github/workflows/publish.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  build:\n    if: github.ref_type == \'tag\'\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo build\n' +
        '  check:\n    needs: build\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo check\n' +
        publishJob('', '    needs: check\n'),
    });
    expect(await messages(root)).toEqual([
      "tag-guard-unreachable error .github/workflows/publish.yml:6:9: job build runs only for a tag (if: github.ref_type == 'tag'), and job publish, which needs it (through job check), is skipped with it, " +
        'but publish.yml starts only on branch pushes (.github/workflows/publish.yml:2), never on a tag: the upload at .github/workflows/publish.yml:23 never runs; ' +
        'add on: push: tags (or release) to publish.yml, or drop the condition',
    ]);
  });

  it('leaves alone a needed guard when the publish job runs whatever its needs did (always())', async () => {
    const root = writeRepo({
      ...PYPROJECT,
      '.github/workflows/publish.yml':
        "on:\n  push:\n    branches: [main]\njobs:\n  build:\n    if: startsWith(github.ref, 'refs/tags/')\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo build\n" +
        publishJob('    if: always()\n', '    needs: build\n'),
    });
    expect(await run(root)).toEqual([]);
  });

  it('counts pull_request (github.ref is refs/pull/N/merge) as no tag trigger', async () => {
    expect(await messages(writeRepo(guarded('  pull_request:\n')))).toEqual([
      "tag-guard-unreachable error .github/workflows/publish.yml:5:9: job publish runs only for a tag (if: startsWith(github.ref, 'refs/tags/')), " +
        'but publish.yml starts only on pull_request (github.ref is refs/pull/<number>/merge) (.github/workflows/publish.yml:2), never on a tag: ' +
        'the upload at .github/workflows/publish.yml:12 never runs; add on: push: tags (or release) to publish.yml, or drop the condition',
    ]);
  });

  it('counts schedule (the default branch) as no tag trigger', async () => {
    expect(await messages(writeRepo(guarded("  schedule:\n    - cron: '0 3 * * *'\n")))).toEqual([
      "tag-guard-unreachable error .github/workflows/publish.yml:6:9: job publish runs only for a tag (if: startsWith(github.ref, 'refs/tags/')), " +
        'but publish.yml starts only on schedule (it runs on the default branch) (.github/workflows/publish.yml:2), never on a tag: ' +
        'the upload at .github/workflows/publish.yml:13 never runs; add on: push: tags (or release) to publish.yml, or drop the condition',
    ]);
  });

  it('counts a push to branches as no tag trigger, also beside pull_request', async () => {
    expect(await messages(writeRepo(guarded('  push:\n    branches: [main]\n  pull_request:\n')))).toEqual([
      "tag-guard-unreachable error .github/workflows/publish.yml:7:9: job publish runs only for a tag (if: startsWith(github.ref, 'refs/tags/')), " +
        'but publish.yml starts only on branch pushes, pull_request (github.ref is refs/pull/<number>/merge) (.github/workflows/publish.yml:2), never on a tag: ' +
        'the upload at .github/workflows/publish.yml:14 never runs; add on: push: tags (or release) to publish.yml, or drop the condition',
    ]);
  });

  it('leaves alone workflow_dispatch: a dispatch runs on the branch or tag chosen ("Use workflow from"), so a tag guard can pass', async () => {
    expect(await run(writeRepo(guarded('  workflow_dispatch:\n')))).toEqual([]);
    expect(await run(writeRepo(guarded('  push:\n    branches: [main]\n  workflow_dispatch:\n')))).toEqual([]);
  });
});
