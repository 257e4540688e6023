import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleMetas } from '../rules/index.js';
import { loadProject } from '../src/engine/run.js';
import { formatPlanText, planEntries, type PlanEntry } from '../src/plan/format.js';
import { releasePlan } from '../src/plan/release-plan.js';
import { BASE_FIXTURE, CLI, ensureBuilt, FIXTURES, lint, materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

/** The project of a fixture, loaded by the library with no rule run. */
async function load(root: string) {
  return loadProject(root, { catalog: [...ruleMetas.values()] });
}

const byName = (entries: PlanEntry[], name: string): PlanEntry => entries.find((entry) => entry.package === name)!;

describe('planEntries on fixtures/open-ticket-ai', () => {
  it('shows three packages, each with its caller workflow, tag patterns and secret', async () => {
    const entries = planEntries(await load(BASE_FIXTURE));
    expect(entries.map((entry) => [entry.package, entry.directory, entry.version])).toEqual([
      ['open-ticket-ai', '.', '1.4.0'],
      ['open-ticket-ai-hf-local', 'src/open_ticket_ai_hf_local', '1.0.0'],
      ['open-ticket-ai-otobo-znuny-plugin', 'src/open_ticket_ai_otobo_znuny_plugin', '1.1.0'],
    ]);
    const expected: Record<string, [string, string[], string]> = {
      'open-ticket-ai': ['.github/workflows/publish-open-ticket-ai.yml', ['open-ticket-ai-v*', 'v*'], 'PYPI_API_TOKEN'],
      'open-ticket-ai-hf-local': ['.github/workflows/publish-hf-local.yml', ['hf-local-v*', 'open-ticket-ai-hf-local-v*'], 'PYPI_API_TOKEN_HF_LOCAL'],
      'open-ticket-ai-otobo-znuny-plugin': ['.github/workflows/publish-otobo-znuny.yml', ['otobo-znuny-v*', 'open-ticket-ai-otobo-znuny-v*'], 'PYPI_API_TOKEN_OTOBO_ZNUNY'],
    };
    for (const [name, [file, tags, secret]] of Object.entries(expected)) {
      const { workflows } = byName(entries, name);
      expect(workflows).toHaveLength(1);
      expect(workflows[0]).toMatchObject({
        file,
        job: 'publish',
        events: ['push tags', 'workflow_dispatch'],
        tagPatterns: tags,
        tagFilter: 'tags',
        uploadFile: '.github/workflows/publish-to-pypi.yml',
        uploadJob: 'build-and-publish',
        uploadTool: 'twine upload',
        credential: `secret ${secret} (TWINE_PASSWORD)`,
        secret,
        trustedPublishing: false,
        python: ['3.12'],
        confidence: 'resolved',
        build: { file: '.github/workflows/publish-to-pypi.yml', job: 'build-and-publish' },
      });
    }
  });

  it('prints the same plan as text', async () => {
    const text = formatPlanText(await load(BASE_FIXTURE));
    expect(text).toContain('open-ticket-ai-hf-local 1.0.0  [src/open_ticket_ai_hf_local]');
    expect(text).toContain('  workflow   .github/workflows/publish-hf-local.yml (job publish; on push tags, workflow_dispatch)');
    expect(text).toContain('  tags       hf-local-v*, open-ticket-ai-hf-local-v*');
    expect(text).toContain('  credential secret PYPI_API_TOKEN_HF_LOCAL (TWINE_PASSWORD)');
    expect(text).not.toContain('could not identify');
  });

  it('traces each package directory to the caller line that names it', async () => {
    const plan = releasePlan(await load(BASE_FIXTURE));
    const route = plan.routes.find((candidate) => candidate.workflow.name === 'publish-hf-local.yml')!;
    expect(route.targets).toHaveLength(1);
    const { origin } = route.targets[0]!;
    expect(origin!.file.path).toBe('.github/workflows/publish-hf-local.yml');
    expect(origin!.path).toEqual(['jobs', 'publish', 'with', 'package-path']);
    expect(route.python[0]!.origin!.path).toEqual(['jobs', 'publish', 'with', 'python-version']);
    expect(route.credential).toMatchObject({ kind: 'token', secret: 'PYPI_API_TOKEN_HF_LOCAL', variable: 'TWINE_PASSWORD' });
    if (route.credential.kind === 'token') {
      expect(route.credential.origin!.path).toEqual(['jobs', 'build-and-publish', 'steps', 7, 'env', 'TWINE_PASSWORD']);
      expect(route.credential.secretOrigin!.file.path).toBe('.github/workflows/publish-hf-local.yml');
      expect(route.credential.secretOrigin!.path).toEqual(['jobs', 'publish', 'secrets', 'pypi-token']);
    }
    expect(plan.publishWorkflows.map((workflow) => workflow.name).sort()).toEqual(['publish-hf-local.yml', 'publish-open-ticket-ai.yml', 'publish-otobo-znuny.yml']);
    expect(plan.uploadWorkflows.map((workflow) => workflow.name)).toContain('publish-to-pypi.yml');
    // ci.yml builds nothing for PyPI: it is no publish workflow.
    expect(plan.uploadWorkflows.map((workflow) => workflow.name)).not.toContain('ci.yml');
  });
});

describe('planEntries on a uv workspace with one workflow for many packages', () => {
  const root = path.join(FIXTURES, 'workflows/uv-monorepo');

  it('resolves a matrix of `uv build --package` built in a job the upload needs', async () => {
    const entries = planEntries(await load(root));
    for (const name of ['acme-slack', 'acme-jira', 'acme-zendesk']) {
      const release = byName(entries, name).workflows.find((workflow) => workflow.file === '.github/workflows/release-integrations.yml');
      expect(release, name).toMatchObject({
        job: 'publish',
        tagPatterns: ['integrations/*-v[0-9]+.[0-9]+.[0-9]+*'],
        build: { file: '.github/workflows/release-integrations.yml', job: 'build' },
        uploadJob: 'publish',
        uploadTool: 'pypa/gh-action-pypi-publish',
        credential: 'trusted publishing (OIDC)',
        secret: undefined,
        trustedPublishing: true,
        python: ['3.12'],
      });
    }
  });

  it('resolves a workflow_dispatch choice input that names the package directory', async () => {
    const entries = planEntries(await load(root));
    for (const name of ['acme-slack', 'acme-jira', 'acme-zendesk']) {
      const manual = byName(entries, name).workflows.find((workflow) => workflow.file === '.github/workflows/publish-integration.yml');
      expect(manual, name).toMatchObject({ events: ['workflow_dispatch'], tagFilter: 'none', tagPatterns: [], uploadTool: 'uv publish', trustedPublishing: true });
    }
    const plan = releasePlan(await load(root));
    const manual = plan.routes.find((route) => route.workflow.name === 'publish-integration.yml')!;
    expect(manual.targets.map((target) => [target.dir, target.origin?.path])).toEqual([
      ['integrations/acme-slack', ['on', 'workflow_dispatch', 'inputs', 'package', 'options', 0]],
      ['integrations/acme-jira', ['on', 'workflow_dispatch', 'inputs', 'package', 'options', 1]],
      ['integrations/acme-zendesk', ['on', 'workflow_dispatch', 'inputs', 'package', 'options', 2]],
    ]);
  });

  it('maps the root package to `uv build` at the root and leaves the docs workflow out', async () => {
    const project = await load(root);
    const core = byName(planEntries(project), 'acme');
    expect(core.workflows.map((workflow) => [workflow.file, workflow.tagPatterns, workflow.uploadTool])).toEqual([
      ['.github/workflows/publish-core.yml', ['v[0-9]+.[0-9]+.[0-9]+*'], 'uv publish'],
    ]);
    expect(releasePlan(project).publishWorkflows.map((workflow) => workflow.name)).not.toContain('docs.yml');
  });

  it('plan --format json carries the packages and the steps it could not follow, once each', () => {
    ensureBuilt();
    const run = spawnSync(process.execPath, [CLI, 'plan', materialize('unresolved-package'), '--format', 'json'], { encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, '']);
    const plan = JSON.parse(run.stdout) as { version: number; packages: PlanEntry[]; opaque: unknown[] };
    expect(plan.version).toBe(1);
    expect(plan.packages.map((entry) => [entry.package, entry.status])).toEqual([
      ['acme', 'published'],
      ['acme-jira', 'published'],
      ['acme-slack', 'published'],
      ['acme-zendesk', 'published'],
    ]);
    expect(plan.opaque).toEqual([
      {
        file: '.github/workflows/release-integrations.yml',
        line: 42,
        workflow: '.github/workflows/release-integrations.yml',
        reason: 'uv build --package names a package computed at run time',
      },
    ]);
  });

  it('lets the config map a package whose build reads a shell variable', async () => {
    const variant = materialize('unresolved-package');
    const unresolved = releasePlan(await load(variant)).routes.filter((route) => route.confidence === 'opaque');
    expect(unresolved.map((route) => route.workflow.name)).toEqual(['release-integrations.yml']);
    expect(formatPlanText(await load(variant))).toContain('publish steps the linter cannot follow:\n? .github/workflows/release-integrations.yml:');

    const pyproject = path.join(variant, 'pyproject.toml');
    const mapping = ['acme-slack', 'acme-jira', 'acme-zendesk']
      .map((name) => `\n[tool.pypi-release-lint.packages."integrations/${name}"]\nworkflow = "release-integrations.yml"\n`)
      .join('');
    fs.appendFileSync(pyproject, mapping);
    const entries = planEntries(await load(variant));
    for (const name of ['acme-slack', 'acme-jira', 'acme-zendesk']) {
      const release = byName(entries, name).workflows.find((workflow) => workflow.file === '.github/workflows/release-integrations.yml');
      expect(release?.confidence, name).toBe('config');
    }
  });
});

describe('the release plan in other shapes', () => {
  it('follows `secrets: inherit` to the secret the reusable workflow reads', async () => {
    const entries = planEntries(await load(path.join(FIXTURES, 'workflows/inherit-caller')));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.workflows[0]).toMatchObject({
      file: '.github/workflows/release.yml',
      uploadFile: '.github/workflows/build-publish.yml',
      secret: 'PYPI_API_TOKEN',
      python: ['3.12'],
    });
  });

  const publishJob = (steps: string): string =>
    `on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  const pkg = (name: string): string => `[project]\nname = "${name}"\nversion = "1.0.0"\n`;

  it('reads packages-dir, cd DIR, python -m build DIR and matrix include entries', async () => {
    const root = writeRepo({
      'pyproject.toml': pkg('root-pkg'),
      'libs/a/pyproject.toml': pkg('lib-a'),
      'libs/b/pyproject.toml': pkg('lib-b'),
      'tools/c/pyproject.toml': pkg('tool-c'),
      '.github/workflows/packages-dir.yml': publishJob('      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          packages-dir: libs/a/dist/\n'),
      '.github/workflows/cd.yml': publishJob('      - run: cd libs/b && python -m build\n      - run: twine upload libs/b/dist/*\n'),
      '.github/workflows/build-dir.yml': publishJob('      - run: python -m build tools/c --outdir tools/c/dist\n      - run: twine upload tools/c/dist/*\n'),
      '.github/workflows/include.yml':
        'on:\n  push:\n    tags: ["lib-v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include:\n' +
        '          - { name: a, dir: libs/a }\n          - { name: b, dir: libs/b }\n    steps:\n' +
        '      - run: python -m build\n        working-directory: ${{ matrix.dir }}\n      - run: twine upload dist/*\n        working-directory: ${{ matrix.dir }}\n',
    });
    const plan = releasePlan(await load(root));
    const dirsOf = (name: string): string[] => plan.routes.filter((route) => route.workflow.name === name).flatMap((route) => route.packageDirs);
    expect(dirsOf('packages-dir.yml')).toEqual(['libs/a']);
    expect(dirsOf('cd.yml')).toEqual(['libs/b']);
    expect(dirsOf('build-dir.yml')).toEqual(['tools/c']);
    expect(dirsOf('include.yml')).toEqual(['libs/a', 'libs/b']);
    const include = plan.routes.find((route) => route.workflow.name === 'include.yml')!;
    expect(include.targets.map((target) => target.origin?.path)).toEqual([
      ['jobs', 'publish', 'strategy', 'matrix', 'include', 0, 'dir'],
      ['jobs', 'publish', 'strategy', 'matrix', 'include', 1, 'dir'],
    ]);
  });

  it('reads `uv build --python`, a python-version-file, and a token passed on the command line or through $GITHUB_ENV', async () => {
    const root = writeRepo({
      'pyproject.toml': pkg('root-pkg'),
      '.python-version': '3.11\n',
      '.github/workflows/a.yml': publishJob(
        '      - uses: actions/setup-python@v5\n        with:\n          python-version-file: .python-version\n      - run: python -m build\n' +
          '      - run: uv publish --token ${{ secrets.UV_TOKEN }} dist/*\n',
      ),
      '.github/workflows/b.yml': publishJob('      - run: uv build --python 3.13\n      - run: poetry config pypi-token.pypi ${{ secrets.POETRY_TOKEN }} && poetry publish\n'),
      '.github/workflows/c.yml': publishJob(
        '      - run: python -m build\n      - run: echo "TWINE_PASSWORD=${{ secrets.EXPORTED }}" >> "$GITHUB_ENV"\n      - run: twine upload dist/*\n',
      ),
    });
    const plan = releasePlan(await load(root));
    const route = (name: string) => plan.routes.find((candidate) => candidate.workflow.name === name)!;
    expect(route('a.yml').pythonVersions).toEqual(['3.11']);
    expect(route('a.yml').credential).toMatchObject({ kind: 'token', secret: 'UV_TOKEN', variable: '--token' });
    expect(route('b.yml').pythonVersions).toEqual(['3.13']);
    expect(route('b.yml').credential).toMatchObject({ kind: 'token', secret: 'POETRY_TOKEN' });
    expect(route('c.yml').credential).toMatchObject({ kind: 'token', secret: 'EXPORTED', variable: 'TWINE_PASSWORD' });
  });

  it("skips the value of uv's options before the source directory (tox: uv build --python-preference only-managed .)", async () => {
    const root = writeRepo({
      'pyproject.toml': pkg('root-pkg'),
      '.github/workflows/a.yml': publishJob('      - run: uv build --python 3.14 --python-preference only-managed . --out-dir dist\n      - run: uv publish\n'),
    });
    const route = releasePlan(await load(root)).routes.find((candidate) => candidate.workflow.name === 'a.yml')!;
    expect([route.packageDirs, route.pythonVersions]).toEqual([['.'], ['3.14']]);
  });

  it('names a `--package` that matches no package, and marks shell variables unresolved', async () => {
    const root = writeRepo({
      'pyproject.toml': pkg('root-pkg'),
      '.github/workflows/a.yml': publishJob('      - run: uv build --package gone-pkg\n      - run: uv publish\n'),
      '.github/workflows/b.yml': publishJob('      - run: cd "$PKG_DIR" && python -m build\n      - run: twine upload dist/*\n'),
    });
    const plan = releasePlan(await load(root));
    const a = plan.routes.find((route) => route.workflow.name === 'a.yml')!;
    expect(a.confidence).toBe('resolved');
    expect(a.packageDirs).toEqual([]);
    expect(a.targets).toMatchObject([{ pkg: undefined, dir: undefined, name: 'gone-pkg' }]);
    expect(plan.routes.find((route) => route.workflow.name === 'b.yml')!.confidence).toBe('opaque');
  });

  it('follows every build that writes the directory an upload reads, not only the nearest', async () => {
    const root = writeRepo({
      'pyproject.toml': '[tool.uv.workspace]\nmembers = ["libs/*"]\n',
      'libs/a/pyproject.toml': pkg('lib-a'),
      'libs/b/pyproject.toml': pkg('lib-b'),
      '.github/workflows/a.yml': publishJob('      - run: uv build --package lib-a\n      - run: uv build --package lib-b\n      - run: uv publish\n'),
    });
    const plan = releasePlan(await load(root));
    expect(plan.routes.flatMap((route) => route.packageDirs)).toEqual(['libs/b', 'libs/a']);
  });

  it('reads the paths of an action from the workspace root: defaults.run working-directory is for run steps', async () => {
    const root = writeRepo({
      'libs/a/pyproject.toml': pkg('lib-a'),
      '.github/workflows/a.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: libs/a\n    steps:\n' +
        '      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          packages-dir: libs/a/dist/\n',
    });
    const plan = releasePlan(await load(root));
    expect(plan.routes.map((route) => [route.confidence, route.packageDirs])).toEqual([['resolved', ['libs/a']]]);
  });

  it('asks for PyPI badges only of packages uploaded to PyPI, not of those sent to another index', async () => {
    const root = writeRepo({
      'pyproject.toml': pkg('root-pkg'),
      'README.md': '# Root\n',
      '.github/workflows/a.yml': publishJob('      - run: python -m build\n      - run: twine check --strict dist/*\n      - run: twine upload --repository-url https://packages.example.com/upload/ dist/*\n'),
    });
    const findings = await lint(root, { select: ['readme/badges'] });
    expect(findings).toEqual([]);
  });
});
