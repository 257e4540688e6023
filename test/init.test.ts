/**
 * `init` on a repository with a core and two plugins and no publishing setup yet: what it writes,
 * that the result lints with no error (every rule registered now), that it never overwrites and
 * writes nothing the second time, and the CLI command around it.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { shutdownActionlint } from '../src/actionlint/index.js';
import { allRules, ruleMetas } from '../rules/index.js';
import { loadProject } from '../src/engine/run.js';
import { InitError, makeTagPatternsDisjoint, planInit, type InitPackage } from '../src/init/plan.js';
import { runInit } from '../src/init/scaffold.js';
import { releasePlan } from '../src/plan/release-plan.js';
import type { Finding } from '../src/types.js';
import { findTagOverlap } from '../src/workflow/tag-filter.js';
import { CATALOG, REPO_ROOT, ensureBuilt, runCli, runWith, snapshotTree } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

afterAll(async () => {
  await shutdownActionlint();
});

beforeAll(() => {
  ensureBuilt();
});

const CLASSIFIERS = `classifiers = [
    "Development Status :: 4 - Beta",
    "Operating System :: OS Independent",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3.10",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
]`;

function pluginPyproject(name: string, module: string, description: string): string {
  return `[build-system]
requires = ["hatchling>=1.18"]
build-backend = "hatchling.build"

[project]
name = "${name}"
version = "0.3.0"
description = "${description}"
readme = "README.md"
requires-python = ">=3.10"
license = { text = "MIT" }
authors = [{ name = "Acme Developers", email = "dev@acme.example" }]
keywords = ["acme", "plugin"]
${CLASSIFIERS}
dependencies = [
    "acme>=1.2.0,<2",
]

[project.urls]
Homepage = "https://github.com/acme-org/acme"
Issues = "https://github.com/acme-org/acme/issues"

[tool.hatch.build.targets.wheel]
packages = ["src/${module}"]
`;
}

const CORE_PYPROJECT = `[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "acme"
version = "1.2.0"
description = "The Acme core: pipelines that plugins extend."
readme = "README.md"
requires-python = ">=3.10"
license = { text = "MIT" }
authors = [{ name = "Acme Developers", email = "dev@acme.example" }]
keywords = ["acme"]
${CLASSIFIERS}
dependencies = [
    "pydantic>=2.5,<3",
]

[project.urls]
Homepage = "https://github.com/acme-org/acme"
Issues = "https://github.com/acme-org/acme/issues"

[tool.setuptools.packages.find]
where = ["src"]
include = ["acme", "acme.*"]
`;

/** A core (`acme`, at the root) and two plugins (`acme-foo`, `acme-bar-plugin`), no workflows, no README. */
function coreAndPlugins(options: { repositoryInConfig?: boolean; readme?: string } = {}): string {
  const files: Record<string, string> = {
    'pyproject.toml': CORE_PYPROJECT + (options.repositoryInConfig === false ? '' : '\n[tool.pypi-release-lint]\nrepository = "acme-org/acme"\n'),
    'LICENSE': 'MIT License\n',
    'src/acme/__init__.py': '__version__ = "1.2.0"\n',
    'plugins/foo/pyproject.toml': pluginPyproject('acme-foo', 'acme_foo', 'Acme plugin: foo.'),
    'plugins/foo/README.md': '# acme-foo\n\nThe foo plugin.\n\n```bash\npip install acme-foo\n```\n',
    'plugins/foo/LICENSE': 'MIT License\n',
    'plugins/foo/src/acme_foo/__init__.py': '',
    'plugins/bar/pyproject.toml': pluginPyproject('acme-bar-plugin', 'acme_bar_plugin', 'Acme plugin: bar.'),
    'plugins/bar/README.md': '# acme-bar-plugin\n\nThe bar plugin.\n\n```bash\npip install acme-bar-plugin\n```\n',
    'plugins/bar/LICENSE': 'MIT License\n',
    'plugins/bar/src/acme_bar_plugin/__init__.py': '',
  };
  if (options.readme !== undefined) files['README.md'] = options.readme;
  return writeRepo(files);
}

const errorsOf = (findings: Finding[]): string[] =>
  findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.ruleId} ${finding.file}:${finding.line} ${finding.message}`);

const read = (root: string, file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

interface Workflow {
  on: { push?: { tags: string[] }; workflow_dispatch?: { inputs: Record<string, { type: string; default: unknown }> }; workflow_call?: { inputs: Record<string, unknown>; secrets?: Record<string, unknown> } };
  permissions: Record<string, string>;
  jobs: Record<string, { uses?: string; with?: Record<string, unknown>; secrets?: Record<string, string>; needs?: string; if?: string; environment?: { name: string }; permissions?: Record<string, string>; steps?: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
}

describe('init with per-package tokens (default)', () => {
  let root: string;
  let output: string;

  beforeAll(async () => {
    root = coreAndPlugins();
    const result = runCli(['init', root]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    output = result.stdout;
  });

  it('prints every file it wrote, and what to do next', () => {
    for (const file of [
      '.github/workflows/publish-to-pypi.yml',
      '.github/workflows/publish-acme.yml',
      '.github/workflows/publish-foo.yml',
      '.github/workflows/publish-bar-plugin.yml',
      'docs/releasing.md',
      'README.md',
    ]) {
      expect(output).toMatch(new RegExp(`^created +${file.replace(/[.*]/g, '\\$&')}: `, 'm'));
      expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    }
    expect(output).toContain('Create the repository secrets PYPI_API_TOKEN_ACME, PYPI_API_TOKEN_BAR_PLUGIN, PYPI_API_TOKEN_FOO');
  });

  it('one caller per package: short names, disjoint tag patterns, a dry-run input, its own secret', () => {
    const expected = [
      { file: 'publish-acme.yml', name: 'acme', dir: '.', pattern: 'acme-v*', secret: 'PYPI_API_TOKEN_ACME' },
      { file: 'publish-foo.yml', name: 'acme-foo', dir: 'plugins/foo', pattern: 'foo-v*', secret: 'PYPI_API_TOKEN_FOO' },
      { file: 'publish-bar-plugin.yml', name: 'acme-bar-plugin', dir: 'plugins/bar', pattern: 'bar-plugin-v*', secret: 'PYPI_API_TOKEN_BAR_PLUGIN' },
    ];
    for (const caller of expected) {
      const workflow = parse(read(root, `.github/workflows/${caller.file}`)) as Workflow;
      expect(workflow.on.push!.tags).toEqual([caller.pattern]);
      expect(workflow.on.workflow_dispatch!.inputs['dry-run']).toMatchObject({ type: 'boolean', default: true });
      expect(workflow.permissions).toEqual({ contents: 'read' });
      const job = workflow.jobs.publish!;
      expect(job.uses).toBe('./.github/workflows/publish-to-pypi.yml');
      expect(job.with).toMatchObject({ 'package-name': caller.name, 'package-path': caller.dir, 'tag-prefix': caller.pattern.slice(0, -1), 'python-version': '3.12' });
      expect(job.with!['dry-run']).toBe('${{ inputs.dry-run || false }}');
      expect(job.secrets).toEqual({ 'pypi-token': `\${{ secrets.${caller.secret} }}` });
    }
    const patterns = expected.map((caller) => caller.pattern);
    for (const a of patterns) for (const b of patterns) if (a !== b) expect(findTagOverlap({ kind: 'patterns', patterns: [a] }, { kind: 'patterns', patterns: [b] }), `${a} / ${b}`).toBeNull();
  });

  it('the reusable workflow builds, checks strictly, checks the tag, and uploads only when not a dry run, from the pypi environment', () => {
    const text = read(root, '.github/workflows/publish-to-pypi.yml');
    const workflow = parse(text) as Workflow;
    expect(Object.keys(workflow.on.workflow_call!.inputs)).toEqual(['package-name', 'package-path', 'tag-prefix', 'python-version', 'dry-run']);
    expect(Object.keys(workflow.on.workflow_call!.secrets!)).toEqual(['pypi-token']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const build = workflow.jobs.build!;
    const runs = build.steps!.map((step) => step.run ?? '').join('\n');
    expect(runs).toContain('python -m build');
    expect(runs).toContain('twine check --strict dist/*');
    expect(runs).toMatch(/GITHUB_REF_NAME[\s\S]*Version\(tag_version\) == Version\(built_version\)/);
    expect(build.steps!.find((step) => step.uses?.startsWith('actions/checkout@'))!.with).toEqual({ 'persist-credentials': false });
    const publish = workflow.jobs.publish!;
    expect(publish.needs).toBe('build');
    expect(publish.if).toBe('${{ !inputs.dry-run }}');
    expect(publish.environment!.name).toBe('pypi');
    expect(publish.steps!.at(-1)!.uses).toMatch(/^pypa\/gh-action-pypi-publish@/);
    expect(publish.steps!.at(-1)!.with!.password).toBe('${{ secrets.pypi-token }}');
    // Every action pinned to a full commit SHA, with the release in a comment.
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)].filter((match) => !match[1]!.startsWith('./'));
    expect(uses.length).toBeGreaterThanOrEqual(5);
    for (const match of uses) {
      expect(match[1]).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(match[2]).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  it('README badges and docs/releasing.md list the secrets and the tag patterns', () => {
    const readme = read(root, 'README.md');
    expect(readme.startsWith('# acme\n')).toBe(true);
    for (const name of ['acme', 'acme-foo', 'acme-bar-plugin']) expect(readme).toContain(`(https://img.shields.io/pypi/v/${name})`);
    for (const file of ['publish-acme.yml', 'publish-foo.yml', 'publish-bar-plugin.yml']) expect(readme).toContain(`https://github.com/acme-org/acme/actions/workflows/${file}/badge.svg`);
    const docs = read(root, 'docs/releasing.md');
    for (const secret of ['PYPI_API_TOKEN_ACME', 'PYPI_API_TOKEN_FOO', 'PYPI_API_TOKEN_BAR_PLUGIN']) expect(docs).toContain(`| \`${secret}\` |`);
    for (const pattern of ['acme-v*', 'foo-v*', 'bar-plugin-v*']) expect(docs).toContain(`\`${pattern}\``);
    expect(docs).toContain('## Tag naming');
  });

  it('the scaffolded repository lints with no error, and the release plan maps each package to its caller', async () => {
    const { findings } = await runWith(root, allRules);
    expect(errorsOf(findings)).toEqual([]);
    const project = loadProject(root, { catalog: CATALOG });
    const plan = releasePlan(project);
    const byPackage = Object.fromEntries(project.packages.map((pkg) => [pkg.name, plan.routes.filter((route) => route.packageDirs.includes(pkg.dir)).map((route) => route.workflow.name)]));
    expect(byPackage).toEqual({ acme: ['publish-acme.yml'], 'acme-foo': ['publish-foo.yml'], 'acme-bar-plugin': ['publish-bar-plugin.yml'] });
  });

  it('a second init writes nothing', () => {
    const before = snapshotTree(root);
    const again = runCli(['init', root]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('found existing publishers:\n  .github/workflows/publish-to-pypi.yml:');
    expect(again.stdout).toContain('nothing to scaffold: every package already has a publisher');
    expect(again.stdout).not.toMatch(/^(created|updated)/m);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('init --trusted-publishing', () => {
  let root: string;

  beforeAll(async () => {
    root = coreAndPlugins({ readme: '# Acme\n\nAcme does things.\n\n## Installation\n\n```bash\npip install acme\n```\n' });
    await runInit(root, { trustedPublishing: true });
  });

  it('the upload job is in each caller, with id-token: write on that job only; the reusable workflow only builds and checks', () => {
    const reusable = parse(read(root, '.github/workflows/build-and-check.yml')) as Workflow;
    expect(Object.keys(reusable.jobs)).toEqual(['build']);
    expect(reusable.on.workflow_call!.secrets).toBeUndefined();
    expect(read(root, '.github/workflows/build-and-check.yml')).not.toMatch(/id-token|gh-action-pypi-publish|password/);
    const caller = parse(read(root, '.github/workflows/publish-foo.yml')) as Workflow;
    expect(caller.permissions).toEqual({ contents: 'read' });
    expect(caller.jobs.build!.uses).toBe('./.github/workflows/build-and-check.yml');
    const publish = caller.jobs.publish!;
    expect(publish.needs).toBe('build');
    expect(publish.if).toBe('${{ !inputs.dry-run }}');
    expect(publish.environment!.name).toBe('pypi');
    expect(publish.permissions).toEqual({ 'id-token': 'write' });
    expect(publish.steps!.at(-1)!.uses).toMatch(/^pypa\/gh-action-pypi-publish@[0-9a-f]{40}$/);
    expect(publish.steps!.at(-1)!.with).toEqual({ 'packages-dir': 'plugins/foo/dist/' });
    expect(read(root, '.github/workflows/publish-foo.yml')).not.toMatch(/secrets\.|password/);
  });

  it('docs/releasing.md names the trusted publishers to add, no secret; the README gets badges under its heading', () => {
    const docs = read(root, 'docs/releasing.md');
    expect(docs).toContain('## Trusted publishing');
    expect(docs).toContain('| acme-foo | acme-org/acme | publish-foo.yml | pypi |');
    expect(docs).not.toContain('PYPI_API_TOKEN');
    const readme = read(root, 'README.md');
    expect(readme).toMatch(/^# Acme\n\n\[!\[PyPI - acme\]\(https:\/\/img\.shields\.io\/pypi\/v\/acme\)\]/);
    expect(readme).toContain('Acme does things.');
  });

  it('lints with no error', async () => {
    expect(errorsOf((await runWith(root, allRules)).findings)).toEqual([]);
  });
});

/** Every finding of a CLI lint run, as `rule file:line`. */
function cliFindings(root: string, ...args: string[]): string[] {
  const result = runCli([root, '--format', 'json', ...args]);
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout) as { findings: Finding[] }).findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line} ${finding.message}`);
}

describe.each([
  { mode: 'token', args: [] as string[] },
  { mode: 'trusted publishing', args: ['--trusted-publishing'] },
])('a repository right after init ($mode)', ({ args }) => {
  let root: string;

  beforeAll(() => {
    root = coreAndPlugins();
    expect(runCli(['init', root, ...args]).status).toBe(0);
  });

  it('has no finding at all in the default set, nor with --select hygiene', () => {
    expect(cliFindings(root)).toEqual([]);
    expect(cliFindings(root, '--select', 'hygiene')).toEqual([]);
  });

  it('its workflows pass actionlint (and actionlint does run on them: a broken copy fails)', () => {
    const workflows = fs.readdirSync(path.join(root, '.github/workflows'));
    expect(workflows.length).toBe(4);
    expect(cliFindings(root, '--select', 'workflow/actionlint')).toEqual([]);
    const broken = path.join(root, '.github/workflows', workflows.find((name) => name.startsWith('publish-foo'))!);
    const text = fs.readFileSync(broken, 'utf8');
    try {
      fs.writeFileSync(broken, text.replace('permissions:\n  contents: read', 'permissions:\n  contents: raed'));
      expect(cliFindings(root, '--select', 'workflow/actionlint').join('\n')).toMatch(/^workflow\/actionlint \.github\/workflows\/publish-foo\.yml:\d+ /m);
    } finally {
      fs.writeFileSync(broken, text);
    }
  });
});

describe('init never adds a second publisher', () => {
  const stoppedBy = (files: Record<string, string>): { root: string; stdout: string; status: number } => {
    const root = coreAndPlugins();
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    const before = snapshotTree(root);
    const result = runCli(['init', root]);
    expect(result.stderr).toBe('');
    expect(snapshotTree(root)).toEqual(before);
    return { root, stdout: result.stdout, status: result.status };
  };
  const STOPPED = 'init adds no second publisher: nothing written. If none of the above publishes acme, acme-bar-plugin, acme-foo, run init again with --force to scaffold them';

  it('a release script under scripts/: says where, writes nothing, exits 1', () => {
    const { stdout, status } = stoppedBy({ 'scripts/release.sh': '#!/bin/sh\nset -e\npython -m build\ntwine upload dist/*\n' });
    expect(status).toBe(1);
    expect(stdout).toBe(`found existing publishers:\n  scripts/release.sh:4: runs twine upload\n${STOPPED} (a package a workflow above uploads never gets a second publisher).\n`);
  });

  it('a Python script that calls twine through subprocess', () => {
    const { stdout } = stoppedBy({ 'scripts/tools/publish.py': 'import subprocess\n\nsubprocess.run(["twine", "upload", "dist/*"], check=True)\n' });
    expect(stdout).toContain('  scripts/tools/publish.py:3: runs twine upload\n');
  });

  it('a Makefile target that uploads, named with the workflow that calls it', () => {
    const { stdout } = stoppedBy({
      Makefile: 'build:\n\tpython -m build\n\nrelease: build\n\tuv publish dist/*\n',
      '.github/workflows/release.yml': 'name: release\non:\n  push:\n    tags: ["v*"]\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make release\n',
    });
    expect(stdout).toContain('  Makefile:4: target release runs uv publish (called from .github/workflows/release.yml:10)\n');
  });

  it('TWINE_* settings and a .pypirc', () => {
    const { stdout } = stoppedBy({ 'tox.ini': '[testenv:release]\npassenv =\n    TWINE_PASSWORD\ncommands = python -m build\n', '.pypirc': '[distutils]\nindex-servers = pypi\n' });
    expect(stdout).toContain('  tox.ini:3: sets TWINE_PASSWORD, which only a twine upload reads\n');
    expect(stdout).toContain("  .pypirc:1: twine's index and credential settings\n");
  });

  it('--force scaffolds the packages no workflow uploads, and never the one a workflow does', () => {
    const root = coreAndPlugins();
    const publishFoo =
      'name: publish foo\non:\n  push:\n    tags: ["foo-v*"]\npermissions:\n  contents: read\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    environment: pypi\n' +
      '    permissions:\n      id-token: write\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m build plugins/foo\n' +
      '      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          packages-dir: plugins/foo/dist/\n';
    fs.mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(root, '.github/workflows/foo.yml'), publishFoo);
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.writeFileSync(path.join(root, 'scripts/upload.sh'), 'twine upload "$@"\n');
    const stopped = runCli(['init', root]);
    expect(stopped.status).toBe(1);
    expect(stopped.stdout).toContain('  .github/workflows/foo.yml:16: pypa/gh-action-pypi-publish uploads acme-foo\n');
    expect(stopped.stdout).toContain('If none of the above publishes acme, acme-bar-plugin, run init again with --force');
    const forced = runCli(['init', root, '--force']);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/^created +\.github\/workflows\/publish-acme\.yml: /m);
    expect(forced.stdout).toMatch(/^created +\.github\/workflows\/publish-bar-plugin\.yml: /m);
    expect(fs.existsSync(path.join(root, '.github/workflows/publish-foo.yml'))).toBe(false);
    expect(read(root, '.github/workflows/foo.yml')).toBe(publishFoo);
  });
});

describe('init never overwrites', () => {
  it('skips existing files and says so; without owner/repo it adds only PyPI badges', async () => {
    const root = coreAndPlugins({ repositoryInConfig: false, readme: '# Acme\n' });
    fs.mkdirSync(path.join(root, 'docs'));
    fs.writeFileSync(path.join(root, 'docs/releasing.md'), 'ours\n');
    const result = await runInit(root, {});
    expect(read(root, 'docs/releasing.md')).toBe('ours\n');
    expect(result.actions.find((action) => action.file === 'docs/releasing.md')).toMatchObject({ action: 'skip' });
    const readme = read(root, 'README.md');
    expect(readme).toContain('https://img.shields.io/pypi/v/acme-foo');
    expect(readme).not.toContain('/badge.svg');
    expect(result.actions.find((action) => action.file === 'README.md')!.detail).toContain('owner/repo unknown');
  });

  it('--dry-run writes nothing', () => {
    const root = coreAndPlugins();
    const before = snapshotTree(root);
    const result = runCli(['init', root, '--dry-run']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^would create +\.github\/workflows\/publish-foo\.yml/m);
    expect(result.stdout).toContain('dry run: nothing written');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('names the publisher of each package a workflow already uploads: the seed fixture gets nothing', () => {
    const root = path.join(REPO_ROOT, 'fixtures/open-ticket-ai');
    const result = runCli(['init', root, '--dry-run']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      'found existing publishers:\n' +
        '  .github/workflows/publish-to-pypi.yml:75: twine upload uploads open-ticket-ai-hf-local, open-ticket-ai, open-ticket-ai-otobo-znuny-plugin ' +
        '(run by .github/workflows/publish-hf-local.yml, .github/workflows/publish-open-ticket-ai.yml, .github/workflows/publish-otobo-znuny.yml)\n' +
        'nothing to scaffold: every package already has a publisher\n',
    );
  });

  it('a directory without packages is a usage error (exit 2)', () => {
    const result = runCli(['init', writeRepo({ 'README.md': '# x\n' })]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^pypi-release-lint: no package found under .*\n$/);
  });
});

describe('tag patterns', () => {
  const entry = (shortName: string): InitPackage => ({ shortName, name: shortName, tagPattern: `${shortName}-v*` }) as InitPackage;

  it('a pair whose patterns share a tag is narrowed to a version right after -v', () => {
    const packages = [entry('x'), entry('x-v2'), entry('y')];
    makeTagPatternsDisjoint(packages);
    expect(packages.map((item) => item.tagPattern)).toEqual(['x-v[0-9]+.[0-9]+*', 'x-v2-v[0-9]+.[0-9]+*', 'y-v*']);
    expect(findTagOverlap({ kind: 'patterns', patterns: [packages[0]!.tagPattern] }, { kind: 'patterns', patterns: [packages[1]!.tagPattern] })).toBeNull();
  });

  it('an existing publish workflow that takes every tag stops init', () => {
    expect(() => makeTagPatternsDisjoint([entry('x')], [{ name: 'release.yml', filter: { kind: 'all' } }])).toThrow(InitError);
  });

  it('short names drop the core name; a name outside it is kept whole', async () => {
    const root = coreAndPlugins();
    fs.mkdirSync(path.join(root, 'tools/other'), { recursive: true });
    fs.writeFileSync(path.join(root, 'tools/other/pyproject.toml'), pluginPyproject('other-tool', 'other_tool', 'Another tool.'));
    const project = loadProject(root, { catalog: [...ruleMetas.values()] });
    const plan = planInit(project);
    expect(Object.fromEntries(plan.packages.map((item) => [item.name, item.shortName]))).toEqual({ acme: 'acme', 'acme-bar-plugin': 'bar-plugin', 'acme-foo': 'foo', 'other-tool': 'other-tool' });
  });
});
