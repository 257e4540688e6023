import path from 'node:path';
import { describe, expect, it } from 'vitest';
import publishMap from '../rules/workflow/publish-map.js';
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
      'workflow/trigger-reachability/stale-leg error .github/workflows/stale-legs.yml:11:33',
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
      'acme-core 1.0.0 is built and uploaded by 2 legs of job publish (python=3.11; python=3.12; upload at .github/workflows/legs.yml:20): ' +
        'python -m build packages/core (.github/workflows/legs.yml:19) writes the same files in every leg, so every upload after the first fails (File already exists); ' +
        "upload from one leg (if: matrix.python == '3.11') or from a job that needs the matrix job",
      'git push origin --tags pushes 4 tags at once: GitHub creates no push event for tags when more than three are pushed at once, ' +
        'so core-tag.yml (on tag push, .github/workflows/core-tag.yml:3) and 1 more publish workflow runs for none of them; push each tag with its own git push',
      'plugin-release.yml publishes on release types [released], which a prerelease does not fire, while core-release.yml (.github/workflows/core-release.yml:3) publishes on [published], ' +
        'which it does: a prerelease publishes one and not the other; use the same types in both (published, and a prerelease check where needed)',
      'leg package=acme-plugin of job publish builds packages/acme-plugin, which has no pyproject.toml: a value left over from a renamed or removed package ' +
        '(did it become packages/plugin, acme-plugin (packages/plugin/pyproject.toml:6), which leg package=plugin already builds?). ' +
        "That leg's build (.github/workflows/stale-legs.yml:18) fails, so the release run fails, and with fail-fast (the default) GitHub cancels the other legs still running, " +
        'so their packages may not be uploaded either; remove the leg from the matrix',
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

  it('leaves alone a draft release made with the GITHUB_TOKEN: whoever publishes the draft starts the release workflow (fastapi)', async () => {
    const drafter = (flag: string): string =>
      'on:\n  pull_request:\n    types: [closed]\njobs:\n  draft:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - uses: actions/checkout@v4\n' +
      `      - run: gh release create "v1.0.0" ${flag}--notes "notes"\n        env:\n          GH_TOKEN: \${{ github.token }}\n`;
    const repo = (flag: string): string =>
      writeRepo({
        'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n',
        '.github/workflows/draft.yml': drafter(flag),
        '.github/workflows/publish.yml': 'on:\n  release:\n    types: [published]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      });
    expect(await run(repo('--draft '))).toEqual([]);
    expect((await run(repo(''))).map((finding) => `${finding.kind} ${where(finding)}: ${finding.message}`)).toEqual(["token-event error .github/workflows/draft.yml:11:14: gh release create creates a release with the default GITHUB_TOKEN (GH_TOKEN at .github/workflows/draft.yml:13): GitHub starts no workflow for events the GITHUB_TOKEN causes, so publish.yml (on release, .github/workflows/publish.yml:2) never runs for it; create it with a GitHub App token or a PAT (a secret other than GITHUB_TOKEN), or call the publish workflow from draft.yml (workflow_call)"]);
  });

  it("reads github.event.action as empty on a push: an upload guarded by action == 'published' runs on the release only (attrs)", async () => {
    const workflow = (condition: string): string =>
      'on:\n  push:\n    tags: ["*"]\n  release:\n    types: [published]\njobs:\n  publish:\n' +
      condition +
      '    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n';
    const repo = (condition: string): string => writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n', '.github/workflows/publish.yml': workflow(condition) });
    expect(await run(repo("    if: github.event.action == 'published'\n"))).toEqual([]);
    // Without the condition, the tag push and the release both upload.
    expect((await run(repo(''))).map((finding) => `${finding.kind} ${where(finding)}: ${finding.message}`)).toEqual([
      "release-and-tag error .github/workflows/publish.yml:4:3: demo is published on release by publish.yml (.github/workflows/publish.yml:4) and on tag push by the same workflow (.github/workflows/publish.yml:3): a release comes with its tag, so both runs upload the same version and the second fails (File already exists); publish on one of the two events",
    ]);
  });

  it("leaves alone a release a publish workflow makes for its own package with the GITHUB_TOKEN: another package's release workflow does not wait for it", async () => {
    const publish = (on: string, build: string, more = ''): string =>
      `on:\n${on}jobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n      contents: write\n    steps:\n` +
      `      - uses: actions/checkout@v4\n      - run: ${build}\n      - uses: pypa/gh-action-pypi-publish@release/v1\n${more}`;
    const repo = (coreBuild: string): string =>
      writeRepo({
        'core/pyproject.toml': '[project]\nname = "acme-core"\nversion = "1.0.0"\n',
        'plugin/pyproject.toml': '[project]\nname = "acme-plugin"\nversion = "1.0.0"\n',
        '.github/workflows/publish-core.yml': publish('  release:\n    types: [published]\n', coreBuild),
        '.github/workflows/publish-plugin.yml': publish('  push:\n    tags: ["plugin-v*"]\n', 'python -m build plugin --outdir dist', '      - uses: softprops/action-gh-release@v2\n'),
      });
    expect(await run(repo('python -m build core --outdir dist'))).toEqual([]);
    // A release workflow that publishes the plugin too does wait for the plugin's release (and uploads it twice if it runs).
    const findings = await run(repo('python -m build plugin --outdir dist'));
    expect(findings.map((finding) => `${finding.kind} ${where(finding)}: ${finding.message}`)).toEqual([
      "release-and-tag error .github/workflows/publish-core.yml:2:3: acme-plugin is published on release by publish-core.yml (.github/workflows/publish-core.yml:2) and on tag push by publish-plugin.yml (.github/workflows/publish-plugin.yml:3): a release comes with its tag, so both runs upload the same version and the second fails (File already exists); publish on one of the two events",
      "token-event error .github/workflows/publish-plugin.yml:14:15: softprops/action-gh-release creates a release with the default GITHUB_TOKEN (the action's default, as no token is given at .github/workflows/publish-plugin.yml:14): GitHub starts no workflow for events the GITHUB_TOKEN causes, so publish-core.yml (on release, .github/workflows/publish-core.yml:2) never runs for it; create it with a GitHub App token or a PAT (a secret other than GITHUB_TOKEN), or call the publish workflow from publish-plugin.yml (workflow_call)",
    ]);
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

  it('reports a guard two upload jobs need once, naming both', async () => {
    const upload = (id: string): string =>
      `  ${id}:\n    needs: build\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n`;
    const root = writeRepo({
      ...PYPROJECT,
      '.github/workflows/publish.yml':
        "on:\n  pull_request:\njobs:\n  build:\n    if: startsWith(github.ref, 'refs/tags/')\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo build\n" +
        upload('testpypi') +
        upload('pypi'),
    });
    expect(await messages(root)).toEqual([
      "tag-guard-unreachable error .github/workflows/publish.yml:5:9: job build runs only for a tag (if: startsWith(github.ref, 'refs/tags/')), and job testpypi and job pypi, which need it, are skipped with it, " +
        'but publish.yml starts only on pull_request (github.ref is refs/pull/<number>/merge) (.github/workflows/publish.yml:2), never on a tag: ' +
        'the uploads at .github/workflows/publish.yml:16 and .github/workflows/publish.yml:24 never run; add on: push: tags (or release) to publish.yml, or drop the condition',
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

describe('workflow/trigger-reachability: matrix legs', () => {
  const pyproject = (name: string, version = '1.0.0'): string =>
    `[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "${name}"\nversion = "${version}"\n`;
  const libs = {
    'libs/core/pyproject.toml': pyproject('acme-core'),
    'libs/core/acme_core/__init__.py': '',
    'libs/plugin/pyproject.toml': pyproject('acme-plugin'),
    'libs/plugin/acme_plugin/__init__.py': '',
  };
  const matrixJob = (matrix: string, steps: string, extra = ''): string =>
    `on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    strategy:\n${extra}      matrix:\n${matrix}    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n` +
    `      - uses: actions/checkout@v4\n${steps}      - uses: pypa/gh-action-pypi-publish@release/v1\n`;
  const messages = async (root: string): Promise<string[]> => (await run(root)).map((finding) => `${finding.kind} ${where(finding)}: ${finding.message}`);

  it('reports a leg naming a package no longer in the repository (uv build --package), once, not also as a stale publish path', async () => {
    const root = writeRepo({
      ...libs,
      'pyproject.toml': '[tool.uv.workspace]\nmembers = ["libs/*"]\n',
      '.github/workflows/publish.yml': matrixJob('        package: [acme-core, acme-plugin, acme-extras]\n', '      - run: uv build --package ${{ matrix.package }} --out-dir dist\n', '      fail-fast: false\n'),
    });
    expect(await messages(root)).toEqual([
      'stale-leg error .github/workflows/publish.yml:9:43: leg package=acme-extras of job publish builds --package acme-extras, but no package of this repository is named acme-extras: ' +
        'a value left over from a renamed or removed package (the other legs build acme-core by leg package=acme-core, acme-plugin by leg package=acme-plugin). ' +
        "That leg's build (.github/workflows/publish.yml:15) fails, so the release run fails (fail-fast: false lets the other legs finish); remove the leg from the matrix",
    ]);
    expect(await lintWithRule(publishMap, root)).toEqual([]);
  });

  it('reports a leg building a leftover copy of a package another leg uploads, at the older copy', async () => {
    const root = writeRepo({
      ...libs,
      'libs/core-old/pyproject.toml': pyproject('acme_core', '0.9.0'),
      'libs/core-old/acme_core/__init__.py': '',
      '.github/workflows/publish.yml': matrixJob('        package: [core-old, core, plugin]\n', '      - run: python -m build libs/${{ matrix.package }} --outdir dist\n'),
    });
    expect(await messages(root)).toEqual([
      'stale-leg error .github/workflows/publish.yml:8:19: leg package=core-old of job publish builds libs/core-old, whose pyproject.toml (libs/core-old/pyproject.toml:6) names acme_core 0.9.0, ' +
        'the package leg package=core already uploads from libs/core (libs/core/pyproject.toml:6, 1.0.0): a copy left over from a rename, ' +
        'so every release also uploads acme_core 0.9.0 from the leftover copy, which fails with File already exists once 0.9.0 is on PyPI; remove the leg from the matrix (and delete libs/core-old)',
    ]);
  });

  it('leaves alone a matrix over the packages the repository has', async () => {
    const root = writeRepo({ ...libs, '.github/workflows/publish.yml': matrixJob('        package: [core, plugin]\n', '      - run: python -m build libs/${{ matrix.package }} --outdir dist\n') });
    expect(await run(root)).toEqual([]);
  });

  it('reports legs that each upload their own wheels and the same sdist, with the fix: build once, upload once', async () => {
    const root = writeRepo({
      'pyproject.toml': pyproject('acme'),
      'acme/__init__.py': '',
      '.github/workflows/publish.yml': matrixJob(
        '        arch: [x86_64, aarch64]\n',
        '      - run: pipx run build --sdist\n      - run: pipx run cibuildwheel --archs ${{ matrix.arch }} --output-dir dist\n',
      ),
    });
    expect(await messages(root)).toEqual([
      'repeated-leg error .github/workflows/publish.yml:7:7: 2 legs of job publish (arch=x86_64; arch=aarch64; upload at .github/workflows/publish.yml:16) each upload their own wheels of acme 1.0.0, ' +
        'but pipx run build --sdist (.github/workflows/publish.yml:14) runs in every leg, so every leg uploads the same sdist: the legs race, the first upload of it wins and every later leg fails (File already exists); ' +
        "build the sdist once (if: matrix.arch == 'x86_64'), pass each leg's wheels on with upload-artifact, and upload once from a job that needs the matrix job (download-artifact with merge-multiple: true)",
    ]);
  });

  it('reports per-platform builds whose legs differ in nothing the build reads: every leg writes the same wheels', async () => {
    const root = writeRepo({
      'pyproject.toml': pyproject('acme'),
      'acme/__init__.py': '',
      '.github/workflows/publish.yml': matrixJob('        python: ["3.11", "3.12"]\n', '      - uses: pypa/cibuildwheel@v2.22\n        with:\n          output-dir: dist\n'),
    });
    expect(await messages(root)).toEqual([
      'repeated-leg error .github/workflows/publish.yml:7:7: acme 1.0.0 is built and uploaded by 2 legs of job publish (python=3.11; python=3.12; upload at .github/workflows/publish.yml:17): ' +
        'pypa/cibuildwheel@v2.22 (.github/workflows/publish.yml:14) reads none of the matrix values the legs differ in, so every leg builds and uploads the same wheels and every upload after the first fails (File already exists); ' +
        'give each leg its own platform (runs-on: ${{ matrix.os }}, or CIBW_ARCHS / CIBW_BUILD from the matrix), or build once and upload from a job that needs the matrix job',
    ]);
  });

  it('leaves alone legs that each build and upload only their own platform\'s wheels', async () => {
    const root = writeRepo({
      'pyproject.toml': pyproject('acme'),
      'acme/__init__.py': '',
      '.github/workflows/publish.yml': matrixJob('        arch: [x86_64, aarch64]\n', '      - uses: pypa/cibuildwheel@v2.22\n        env:\n          CIBW_ARCHS: ${{ matrix.arch }}\n        with:\n          output-dir: dist\n'),
    });
    expect(await run(root)).toEqual([]);
  });

  it('suggests a Linux leg to upload from: the publish action does not run on the others', async () => {
    const root = writeRepo({
      'pyproject.toml': pyproject('acme'),
      'acme/__init__.py': '',
      '.github/workflows/publish.yml': matrixJob('        os: [windows-latest, ubuntu-latest]\n', '      - run: python -m build\n').replace('runs-on: ubuntu-latest', 'runs-on: ${{ matrix.os }}'),
    });
    expect(await messages(root)).toEqual([
      'repeated-leg error .github/workflows/publish.yml:7:7: acme 1.0.0 is built and uploaded by 2 legs of job publish (os=windows-latest; os=ubuntu-latest; upload at .github/workflows/publish.yml:15): ' +
        "python -m build (.github/workflows/publish.yml:14) writes the same files in every leg, so every upload after the first fails (File already exists); upload from one leg (if: matrix.os == 'ubuntu-latest') or from a job that needs the matrix job",
    ]);
  });
});
