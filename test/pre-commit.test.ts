/**
 * .pre-commit-hooks.yaml with the real pre-commit (Debian's /usr/bin/pre-commit): a git repo made
 * from this checkout's working tree is the hook repository, a fixture copy is the repository that
 * uses it. pre-commit installs the hook the way it installs every `language: node` hook: `npm install`
 * in a clone (whose `prepare` script compiles dist/), `npm pack`, `npm install -g` of the tarball.
 * That install needs the npm registry and takes about a minute; it happens once, in beforeAll.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { materialize, REPO_ROOT, tempDir } from './helpers/fixtures.js';

const PRE_COMMIT = '/usr/bin/pre-commit';
const PYTHON = '/usr/bin/python3';

interface HookDefinition {
  id: string;
  name: string;
  entry: string;
  language: string;
  pass_filenames: boolean;
  require_serial?: boolean;
  files: string;
}

const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as HookDefinition[];

/**
 * What the hook repository needs at its commit: what `npm install` and `prepare` (tsc) read, and
 * the hooks file. `.npmrc` sets foreground-scripts=false, without which npm 10+ prints the
 * `prepare` banner on stdout during `npm pack` and pre-commit reads it as the tarball's name.
 */
const HOOK_REPO_FILES = ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'rules', 'schemas', 'data', 'README.md', 'LICENSE', '.pre-commit-hooks.yaml'];

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'pypi-release-lint tests',
  GIT_AUTHOR_EMAIL: 'tests@example.invalid',
  GIT_COMMITTER_NAME: 'pypi-release-lint tests',
  GIT_COMMITTER_EMAIL: 'tests@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8',
  }).trim();
}

/** A clone of this repository with the current working tree's build inputs committed on top. */
function makeHookRepo(): { repo: string; rev: string } {
  const repo = path.join(tempDir('prl-hook-repo-'), 'pypi-release-lint');
  git(REPO_ROOT, 'clone', '--quiet', '--no-hardlinks', REPO_ROOT, repo);
  for (const entry of HOOK_REPO_FILES) {
    fs.rmSync(path.join(repo, entry), { recursive: true, force: true });
    if (fs.existsSync(path.join(REPO_ROOT, entry))) fs.cpSync(path.join(REPO_ROOT, entry), path.join(repo, entry), { recursive: true });
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'working tree under test');
  return { repo, rev: git(repo, 'rev-parse', 'HEAD') };
}

/** A git repository made from `root` whose .pre-commit-config.yaml uses the given hooks of the hook repo. */
function useHooks(root: string, hookRepo: { repo: string; rev: string }, ids: string[]): string {
  const config = ['repos:', `  - repo: ${hookRepo.repo}`, `    rev: ${hookRepo.rev}`, '    hooks:', ...ids.map((id) => `      - id: ${id}`), ''].join('\n');
  fs.writeFileSync(path.join(root, '.pre-commit-config.yaml'), config);
  git(root, 'init', '--quiet');
  git(root, 'add', '-A');
  return root;
}

interface PreCommitRun {
  status: number;
  output: string;
}

/**
 * The environment for pre-commit and the npm it runs: without what `npm test` exports about *this*
 * package (its prefix, lifecycle and package variables), so npm installs the hook in its own clone.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_config_(local_prefix|prefix|global_prefix)|npm_package_|npm_lifecycle_|npm_command$|init_cwd$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** Runs pre-commit asynchronously: a blocking spawnSync of a minute-long install starves vitest's worker RPC. */
function preCommit(cwd: string, home: string, ...args: string[]): Promise<PreCommitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PRE_COMMIT, [...args, '--color', 'never'], {
      cwd,
      env: { ...childEnv(), ...GIT_ENV, PRE_COMMIT_HOME: home, NO_COLOR: '1', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 280_000,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, output }));
  });
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares pypi-release-lint and pypi-release-lint-fix as node hooks that run once, given the changed files', () => {
    expect(hooks.map((hook) => hook.id)).toEqual(['pypi-release-lint', 'pypi-release-lint-fix']);
    const [lint, fix] = hooks as [HookDefinition, HookDefinition];
    expect(lint.entry).toBe('pypi-release-lint');
    expect(fix.entry).toBe('pypi-release-lint --fix');
    for (const hook of hooks) {
      expect(hook.language).toBe('node');
      expect(hook.pass_filenames).toBe(true);
      expect(hook.require_serial).toBe(true);
      expect(hook.files).toBe(lint.files);
    }
    const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(Object.keys(packageJson.bin)).toContain(lint.entry);
    // `language: node` installs from a git checkout, which has no dist/: `prepare` must build it.
    expect(packageJson.scripts.prepare).toBeDefined();
  });

  it('`files:` (a Python regex, as pre-commit reads it) selects the files the linter reads and nothing else', () => {
    const selected = [
      'pyproject.toml',
      'src/open_ticket_ai_hf_local/pyproject.toml',
      '.pypi-release-lint.toml',
      '.github/workflows/publish-to-pypi.yml',
      '.github/workflows/ci.yaml',
      '.github/actionlint.yaml',
      '.github/actionlint.yml',
      'README.md',
      'README.rst',
      'src/open_ticket_ai_hf_local/README.md',
      'docs/releasing.md',
      'docs/raw_en_docs/PLUGIN_HF_LOCAL_README.md',
      'CONTRIBUTING.md',
      'RELEASING.md',
    ];
    const ignored = [
      'setup.py',
      'src/open_ticket_ai/__init__.py',
      'mypyproject.toml',
      'pyproject.toml.orig',
      '.github/workflows/templates/publish.yml',
      '.github/dependabot.yml',
      '.github/workflows/notes.txt',
      'docs/conf.py',
      'notes/plan.md',
      'CHANGELOG.md',
    ];
    const script = 'import json, re, sys\npattern = re.compile(sys.argv[1])\nprint(json.dumps([bool(pattern.search(p)) for p in json.loads(sys.argv[2])]))';
    const verdicts = JSON.parse(execFileSync(PYTHON, ['-c', script, hooks[0]!.files, JSON.stringify([...selected, ...ignored])], { encoding: 'utf8' })) as boolean[];
    const byPath = Object.fromEntries([...selected, ...ignored].map((file, index) => [file, verdicts[index]]));
    expect(byPath).toEqual(Object.fromEntries([...selected.map((file) => [file, true]), ...ignored.map((file) => [file, false])]));
  });
});

describe('the hooks under real pre-commit', () => {
  let hookRepo: { repo: string; rev: string };
  let home: string;

  beforeAll(async () => {
    const npmrc = path.join(REPO_ROOT, '.npmrc');
    expect(fs.existsSync(npmrc) ? fs.readFileSync(npmrc, 'utf8') : '', 'the repository root needs an .npmrc with foreground-scripts=false for pre-commit (see HOOK_REPO_FILES)').toMatch(/^foreground-scripts\s*=\s*false\s*$/m);
    hookRepo = makeHookRepo();
    home = tempDir('prl-pre-commit-home-');
    // Install the hook environment once (npm install, prepare, npm pack, npm install -g).
    const root = useHooks(materialize('open-ticket-ai'), hookRepo, ['pypi-release-lint', 'pypi-release-lint-fix']);
    const installed = await preCommit(root, home, 'install-hooks');
    expect(installed.output).not.toMatch(/An unexpected error has occurred/);
    expect(installed.status, installed.output).toBe(0);
  }, 300_000);

  it('passes on the good repository (both hooks), changing nothing', async () => {
    const root = useHooks(materialize('open-ticket-ai'), hookRepo, ['pypi-release-lint', 'pypi-release-lint-fix']);
    const run = await preCommit(root, home, 'run', '--all-files');
    expect(run.output).toMatch(/^pypi-release-lint\.+Passed$/m);
    expect(run.output).toMatch(/^pypi-release-lint \(apply safe fixes\)\.+Passed$/m);
    expect(run.status, run.output).toBe(0);
    expect(git(root, 'diff', '--name-only')).toBe(''); // the fix hook changed nothing
  });

  it('fails on a broken repository, showing the finding', async () => {
    const root = useHooks(materialize('missing-build-system'), hookRepo, ['pypi-release-lint']);
    const run = await preCommit(root, home, 'run', '--all-files');
    expect(run.output).toMatch(/^pypi-release-lint\.+Failed$/m);
    expect(run.output).toMatch(/- exit code: 1$/m);
    expect(run.output).toContain('pyproject/build-system');
    expect(run.status).toBe(1);
  });

  it('the fix hook applies a safe fix, fails the run because it changed a file, then passes', async () => {
    const root = materialize('open-ticket-ai');
    const pyproject = path.join(root, 'pyproject.toml');
    // A duplicate classifier is a hygiene kind, off by default: the repo's config selects it.
    const original = fs.readFileSync(pyproject, 'utf8').replace('[tool.pypi-release-lint]\n', '[tool.pypi-release-lint]\nextend-select = ["pyproject/classifiers/duplicate"]\n');
    fs.writeFileSync(pyproject, original.replace('    "Topic :: Office/Business",\n', '    "Topic :: Office/Business",\n    "Topic :: Office/Business",\n'));
    useHooks(root, hookRepo, ['pypi-release-lint-fix']);
    const first = await preCommit(root, home, 'run', '--all-files');
    expect(first.status, first.output).toBe(1);
    expect(first.output).toMatch(/files were modified by this hook/);
    expect(fs.readFileSync(pyproject, 'utf8')).toBe(original);
    git(root, 'add', '-A');
    const second = await preCommit(root, home, 'run', '--all-files');
    expect(second.status, second.output).toBe(0);
  });

  it('given the changed files, reports their findings and those that name them, not the whole repository\'s', async () => {
    const root = useHooks(materialize('seed-as-described'), hookRepo, ['pypi-release-lint']);
    // the seed has twelve findings, none in its README
    const readme = await preCommit(root, home, 'run', '--files', 'README.md');
    expect(readme.output).toMatch(/^pypi-release-lint\.+Passed$/m);
    expect(readme.status, readme.output).toBe(0);
    const workflow = await preCommit(root, home, 'run', '--files', '.github/workflows/publish-to-pypi.yml');
    expect(workflow.output).toMatch(/^pypi-release-lint\.+Failed$/m);
    expect(workflow.output).toContain('secrets/declared');
    expect(workflow.output).toContain('workflow/reusable-contract'); // in the callers, naming publish-to-pypi.yml
    expect(workflow.output).not.toContain('pyproject/package-contents');
    expect(workflow.output).not.toContain('workflow/release-trigger');
    expect(workflow.output).toMatch(/✖ 5 problems \(4 errors, 1 warning, 0 infos\)/);
    expect(workflow.status).toBe(1);
  });

  it('does not run when no file it reads changed', async () => {
    const root = useHooks(materialize('missing-build-system'), hookRepo, ['pypi-release-lint']);
    const run = await preCommit(root, home, 'run', '--files', 'src/open_ticket_ai/__init__.py');
    expect(run.output).toMatch(/^pypi-release-lint\.+\(no files to check\)Skipped$/m);
    expect(run.status).toBe(0);
  });
});
