/**
 * Hostile checkouts against every write the CLI makes (--fix, init, --cache): each test plants the
 * hostile thing (a link at a name we used to write through, a linked file or directory, a cache
 * location that is a repo file, a cache file someone else signed), runs the real CLI, and checks the
 * exit code, the one line said, that nothing outside the repo changed and what in the repo did.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_FIXTURE, ensureBuilt, materialize, snapshotTree, tempDir } from '../helpers/fixtures.js';
import { writeRepo } from '../helpers/repo.js';
import { runCli, SENTINEL_FILE, sentinelDir, type HostileRun } from './harness.js';
import { expectNoSecret } from './support.js';

beforeAll(() => {
  ensureBuilt();
});

/**
 * A complete package whose only finding is a duplicate classifier (a warning with a safe fix). That
 * check is hygiene, off by default: the package's config selects it (after the classifiers, so the
 * finding's line stays 14).
 */
const PYPROJECT = `[build-system]
requires = ["hatchling>=1.0"]
build-backend = "hatchling.build"

[project]
name = "demo"
version = "1.0.0"
description = "A demo package."
readme = "README.md"
requires-python = ">=3.10"
license = { text = "MIT" }
authors = [{ name = "Ada" }]
keywords = ["demo"]
classifiers = ["Typing :: Typed", "Typing :: Typed"]

[project.urls]
Homepage = "https://example.org/demo"

[tool.pypi-release-lint]
extend-select = ["pyproject/classifiers/duplicate"]
`;
const FIXED_PYPROJECT = PYPROJECT.replace('["Typing :: Typed", "Typing :: Typed"]', '["Typing :: Typed"]');
const DUPLICATE_WARNING = '14:35  warning  [*] demo: classifier "Typing :: Typed" is listed twice (first as classifiers[0])  pyproject/classifiers';

function demoRepo(extra: Record<string, string> = {}): string {
  return writeRepo({ 'pyproject.toml': PYPROJECT, 'README.md': '# demo\n\nA demo package.\n', 'src/demo/__init__.py': '', ...extra });
}

/** Each run gets its own user cache directory (where the cache's signing key lives), never the machine's. */
function cli(args: string[], cwd: string, userCache = tempDir('prl-user-cache-')): HostileRun {
  return runCli(args, { cwd, timeoutMs: 60_000, maxOldSpaceMb: 512, env: { XDG_CACHE_HOME: userCache } });
}

const PROC_LAST_PID = '/proc/loadavg';
const PID_WINDOW = 3000;

/**
 * Plants a link to the sentinel file at every name an earlier release would have written through for
 * the next PID_WINDOW process ids (Linux hands them out in order): `nameFor(pid)`. Returns the ids.
 */
function plantAtPredictableNames(nameFor: (pid: number) => string, sentinel: string): Set<number> {
  const last = Number(fs.readFileSync(PROC_LAST_PID, 'utf8').trim().split('/').pop()!.split(' ').pop());
  const pidMax = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  const pids = new Set<number>();
  for (let step = 1; step <= PID_WINDOW; step++) {
    const pid = ((last + step - 300) % (pidMax - 300)) + 300;
    pids.add(pid);
    fs.symlinkSync(path.join(sentinel, SENTINEL_FILE), nameFor(pid));
  }
  return pids;
}

/** The planted links, still links to the sentinel (none was replaced or removed). */
function linksIn(directory: string): string[] {
  return fs.readdirSync(directory).filter((name) => fs.lstatSync(path.join(directory, name)).isSymbolicLink());
}

describe.skipIf(!fs.existsSync(PROC_LAST_PID))('a link planted at the temporary name an earlier release used', () => {
  it('--fix writes the fixed file, and nothing through the link', () => {
    const root = demoRepo();
    const sentinel = sentinelDir();
    const before = snapshotTree(sentinel);
    const pids = plantAtPredictableNames((pid) => path.join(root, `.pyproject.toml.${pid}.pypi-release-lint.tmp`), sentinel);
    const run = cli(['--fix', '.'], root);
    expect(pids.has(run.pid)).toBe(true);
    expect([run.status, run.stderr]).toEqual([0, 'fixed 1 file: pyproject.toml\n']);
    expect(run.stdout).toBe('✔ no problems (2 files checked)\n');
    expect(fs.lstatSync(path.join(root, 'pyproject.toml')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(FIXED_PYPROJECT);
    expect(snapshotTree(sentinel)).toEqual(before);
    const links = linksIn(root);
    expect(links).toHaveLength(PID_WINDOW);
    expect(fs.readdirSync(root).filter((name) => !links.includes(name)).sort()).toEqual(['README.md', 'pyproject.toml', 'src']);
  });

  it('init updates the README, and writes nothing through the link', () => {
    const root = writeRepo({ 'pyproject.toml': PYPROJECT.replace('classifiers = ["Typing :: Typed", "Typing :: Typed"]\n', ''), 'README.md': '# demo\n\nA demo package.\n', 'src/demo/__init__.py': '' });
    const sentinel = sentinelDir();
    const before = snapshotTree(sentinel);
    const pids = plantAtPredictableNames((pid) => path.join(root, `.README.md.${pid}.pypi-release-lint.tmp`), sentinel);
    const run = cli(['init', '--repository', 'owner/demo', '.'], root);
    expect(pids.has(run.pid)).toBe(true);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('updated  README.md: 2 badges under "demo"\n');
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(
      '# demo\n\n[![PyPI - demo](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/)\n' +
        '[![publish-demo](https://github.com/owner/demo/actions/workflows/publish-demo.yml/badge.svg)](https://github.com/owner/demo/actions/workflows/publish-demo.yml)\n\nA demo package.\n',
    );
    expect(snapshotTree(sentinel)).toEqual(before);
    expect(linksIn(root)).toHaveLength(PID_WINDOW);
  });

  it('--cache writes its file, and nothing through the link', () => {
    const root = demoRepo({ 'node_modules/.keep': '' });
    const location = path.join(root, 'node_modules', '.cache', 'pypi-release-lint', 'cache.json');
    fs.mkdirSync(path.dirname(location), { recursive: true });
    const sentinel = sentinelDir();
    const before = snapshotTree(sentinel);
    const pids = plantAtPredictableNames((pid) => `${location}.${pid}.tmp`, sentinel);
    const run = cli(['--cache', '.'], root);
    expect(pids.has(run.pid)).toBe(true);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(DUPLICATE_WARNING);
    expect(fs.readFileSync(location, 'utf8')).toMatch(/^pypi-release-lint cache 2 [0-9a-f]{64}\n/);
    expect(snapshotTree(sentinel)).toEqual(before);
    expect(linksIn(path.dirname(location))).toHaveLength(PID_WINDOW);
  });
});

describe('--fix never writes through a link in the repo', () => {
  it('leaves a README that is a link, says so in one line, and still reports its findings', () => {
    const root = materialize('badges-missing');
    fs.mkdirSync(path.join(root, 'assets'));
    fs.renameSync(path.join(root, 'README.md'), path.join(root, 'assets', 'readme-source.md'));
    fs.symlinkSync('assets/readme-source.md', path.join(root, 'README.md'));
    const before = snapshotTree(root);
    const run = cli(['--fix', '.'], root);
    expect([run.status, run.stderr]).toEqual([0, 'pypi-release-lint: not written, README.md is a symbolic link (--fix writes regular files only, never through a link): README.md\n']);
    expect(run.stdout).toContain('4 problems (0 errors, 4 warnings, 0 infos)');
    expect(run.stdout).toContain('README.md has no PyPI version badge for 3 published packages: open-ticket-ai (published by publish-open-ticket-ai.yml)');
    expect(fs.readlinkSync(path.join(root, 'README.md'))).toBe('assets/readme-source.md');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('--diff leaves the linked README out of the diff and says why', () => {
    const root = materialize('badges-missing');
    fs.mkdirSync(path.join(root, 'assets'));
    fs.renameSync(path.join(root, 'README.md'), path.join(root, 'assets', 'readme-source.md'));
    fs.symlinkSync('assets/readme-source.md', path.join(root, 'README.md'));
    const run = cli(['--diff', '.'], root);
    expect([run.status, run.stdout, run.stderr]).toEqual([0, '', 'pypi-release-lint: not written, README.md is a symbolic link (--fix writes regular files only, never through a link): README.md\n']);
  });
});

describe('-o never writes through a link in the working directory', () => {
  it('refuses a SARIF file name committed as a link (the action writes its SARIF into the checkout)', () => {
    const root = demoRepo();
    const sentinel = sentinelDir();
    const before = snapshotTree(sentinel);
    fs.symlinkSync(path.join(sentinel, SENTINEL_FILE), path.join(root, 'pypi-release-lint.sarif'));
    const run = cli(['--format', 'sarif', '--output-file', 'pypi-release-lint.sarif', '.'], root);
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', 'pypi-release-lint: not written, pypi-release-lint.sarif is a symbolic link (the report is never written through a link): pypi-release-lint.sarif\n']);
    expect(snapshotTree(sentinel)).toEqual(before);
  });

  it('replaces a report that is a regular file', () => {
    const root = demoRepo({ 'report.json': 'old report\n' });
    const run = cli(['--format', 'json', '-o', 'report.json', '.'], root);
    expect([run.status, run.stdout, run.stderr]).toEqual([0, '', '']);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8'))).toMatchObject({ summary: { warnings: 1 } });
  });
});

describe('init refuses a directory that is a link out of the repo', () => {
  it.each(['.github', 'docs'])('%s: one line, exit 2, nothing written anywhere', (linked) => {
    const root = demoRepo();
    const sentinel = sentinelDir();
    fs.symlinkSync(sentinel, path.join(root, linked));
    const repoBefore = snapshotTree(root);
    const sentinelBefore = snapshotTree(sentinel);
    const run = cli(['init', '.'], root);
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', `pypi-release-lint: ${linked} is a symbolic link: init writes regular files only, never through a link; nothing written\n`]);
    expect(snapshotTree(root)).toEqual(repoBefore);
    expect(snapshotTree(sentinel)).toEqual(sentinelBefore);
    expect(fs.readdirSync(sentinel)).toEqual([SENTINEL_FILE]);
  });

  it('a dry run says the same', () => {
    const root = demoRepo();
    fs.symlinkSync(sentinelDir(), path.join(root, '.github'));
    const run = cli(['init', '--dry-run', '.'], root);
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', 'pypi-release-lint: .github is a symbolic link: init writes regular files only, never through a link; nothing written\n']);
  });
});

describe('--cache writes only a cache file, where the user asked or in the real node_modules/.cache', () => {
  it('does not overwrite a repo file given as --cache-location', () => {
    const root = demoRepo();
    const run = cli(['--cache', '--cache-location', 'pyproject.toml', '.'], root);
    expect([run.status, run.stderr]).toEqual([0, `pypi-release-lint: cache not used, ${path.join(fs.realpathSync(root), 'pyproject.toml')} is not a pypi-release-lint cache; not overwritten\n`]);
    expect(run.stdout).toContain(DUPLICATE_WARNING);
    expect(fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(PYPROJECT);
  });

  it('does not write through a --cache-location that is a link', () => {
    const root = demoRepo();
    const sentinel = sentinelDir();
    const before = snapshotTree(sentinel);
    fs.symlinkSync(path.join(sentinel, SENTINEL_FILE), path.join(root, 'cache.json'));
    const run = cli(['--cache', '--cache-location', 'cache.json', '.'], root);
    expect([run.status, run.stderr]).toEqual([0, 'pypi-release-lint: cache not used, cache.json is a symbolic link\n']);
    expect(snapshotTree(sentinel)).toEqual(before);
  });

  it.each([
    ['node_modules', (root: string, sentinel: string) => fs.symlinkSync(sentinel, path.join(root, 'node_modules'))],
    ['node_modules/.cache', (root: string, sentinel: string) => {
      fs.mkdirSync(path.join(root, 'node_modules'));
      fs.symlinkSync(sentinel, path.join(root, 'node_modules', '.cache'));
    }],
  ])('runs without a cache when %s is a link out of the repo, and says so once', (linked, plant) => {
    const root = demoRepo();
    const sentinel = sentinelDir();
    plant(root, sentinel);
    const before = snapshotTree(sentinel);
    for (let time = 0; time < 2; time++) {
      const run = cli(['--cache', '.'], root);
      expect([run.status, run.stderr]).toEqual([0, `pypi-release-lint: cache not used, ${linked} is a symbolic link\n`]);
      expect(run.stdout).toContain(DUPLICATE_WARNING);
    }
    expect(snapshotTree(sentinel)).toEqual(before);
    expect(fs.readdirSync(sentinel)).toEqual([SENTINEL_FILE]);
  });

  it('trusts no cache file it did not sign: one committed to the repo cannot hide a finding', () => {
    const root = demoRepo({ 'node_modules/.keep': '' });
    const attacker = tempDir('prl-attacker-cache-');
    expect(cli(['--cache', '.'], root, attacker).status).toBe(0);
    // The attacker empties every entry's findings and signs it with their own key.
    const location = path.join(root, 'node_modules', '.cache', 'pypi-release-lint', 'cache.json');
    const text = fs.readFileSync(location, 'utf8');
    const data = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { runs: Record<string, { findings: unknown[] }> };
    for (const entry of Object.values(data.runs)) entry.findings = [];
    const body = JSON.stringify(data);
    const attackerKey = fs.readFileSync(path.join(attacker, 'pypi-release-lint', 'key'));
    fs.writeFileSync(location, `pypi-release-lint cache 2 ${createHmac('sha256', attackerKey).update(body).digest('hex')}\n${body}`);
    expect(cli(['--cache', '.'], root, attacker).stdout).toBe('✔ no problems (2 files checked)\n');
    const victim = cli(['--cache', '.'], root);
    expect([victim.status, victim.stderr]).toEqual([0, '']);
    expect(victim.stdout).toContain(DUPLICATE_WARNING);
  });
});

describe('the cache stores no secret', () => {
  it('keeps no token from the files nor the credentials of the git remote, and still hits', () => {
    const root = materialize('open-ticket-ai');
    const pypiToken = `pypi-AgEIcHlwaS5vcmc${'A'.repeat(60)}`;
    const githubToken = `ghp_${'a1B2'.repeat(9)}`;
    const finePat = `github_pat_11${'C3d4'.repeat(20)}`;
    const password = 'hunter2-remote-password';
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['remote', 'add', 'origin', `https://release-bot:${password}@github.com/open-ticket-ai/open-ticket-ai.git`], { cwd: root });
    fs.appendFileSync(path.join(root, 'pyproject.toml'), `# token = "${pypiToken}"\n`);
    // actionlint quotes both names in its message about undefined variables (in the reusable publish
    // workflow: ci.yml publishes nothing, so it is outside actionlint's default scope).
    fs.appendFileSync(path.join(root, '.github/workflows/publish-to-pypi.yml'), `      - run: echo \${{ ${githubToken} }} \${{ ${finePat} }}\n`);
    const cacheFile = path.join(tempDir('prl-cache-'), 'cache.json');
    const userCache = tempDir('prl-user-cache-');
    const first = cli(['--cache', '--cache-location', cacheFile, '.'], root, userCache);
    expect(first.status).toBe(1);
    const stored = fs.readFileSync(cacheFile, 'utf8');
    for (const secret of [pypiToken, githubToken, finePat, password]) expectNoSecret([stored, first.stdout], secret);
    // stored as every output shows it (src/format/mask.ts), so a hit prints what the first run printed
    expect(first.stdout).toContain('[expression] undefined variable "ghp_a1B2…(masked)"');
    expect(stored).toContain('undefined variable \\"ghp_a1B2…(masked)\\"');
    const second = cli(['--cache', '--cache-location', cacheFile, '.'], root, userCache);
    expect([second.status, second.stderr]).toEqual([1, '']);
    expect(second.stdout).toBe(first.stdout);
    // A hit may write the entry back with the stamps of files that have settled since (src/project/file-store.ts), masked alike.
    const restored = fs.readFileSync(cacheFile, 'utf8');
    for (const secret of [pypiToken, githubToken, finePat, password]) expectNoSecret([restored], secret);
    expect(restored).toContain('undefined variable \\"ghp_a1B2…(masked)\\"');
    expect(BASE_FIXTURE).not.toBe(root);
  });
});
