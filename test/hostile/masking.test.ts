/**
 * Secrets never leave whole, whatever carries them: a PyPI token as a package name (so in workflow
 * file names `init` would write, secret names, wheel names, the gate's progress line) or as a
 * directory name (the "fixed N files" line), a token in build output across the cut the gate makes,
 * a GitHub token, a password in a URL, a credential setting on the command line. And file names
 * with terminal control characters are shown escaped in stylish and github output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { checkout, expectNoSecret, findings, ofRule, publishWorkflow, PYPROJECT } from './support.js';

const TOKEN = 'pypi-AgEIcHlwaS5vcmcCJGE0ZjZkNTk0LTc2YjAtNDcwNC1hM2U4LTBiYWYxNGUzYmE1NQACKlszWyJwcm9qZWN0cyIsIm9wZW4tdGlja2V0Il1dAAAGIKv9Zq';
const GITHUB_TOKEN = 'ghp_R2l0SHViVG9rZW5Gb3JUZXN0aW5nT25seTEyMzQ';
const URL_PASSWORD = 'hunter2-Url-Pa55w0rd-9f8e7d';
const SETTING_VALUE = 'Tw1ne-Pa55w0rd-3c2b1a';
const FAKE_PYTHON = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-python.mjs');
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.cjs');

/** The token, and the upper-cased copy a secret name derived from it carries. */
function expectNoToken(texts: string[]): void {
  expectNoSecret(texts, TOKEN);
  expectNoSecret(texts, TOKEN.toUpperCase().replace(/-/g, '_'));
}

describe('a PyPI token as a package or directory name', () => {
  it('init: not in the workflow file names, tag patterns or secret names it would write', () => {
    const root = checkout({ 'pyproject.toml': '[project]\nname = "core"\nversion = "1.0.0"\n', 'plugin/pyproject.toml': PYPROJECT(TOKEN), [`.github/workflows/${TOKEN}.yml`]: publishWorkflow('core', ['core-v*']) });
    const stopped = runCli(['init', '--dry-run', root], { cwd: root });
    expect(stopped.status).toBe(1);
    expect(stopped.stdout).toMatch(/^ {2}\.github\/workflows\/pypi-AgEI…\(masked\)\.yml:\d+: .* uploads core$/m);
    expect(stopped.stdout).toContain('If none of the above publishes pypi-AgEI…(masked), run init again with --force');
    const result = runCli(['init', '--dry-run', '--force', root], { cwd: root });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('would create  .github/workflows/publish-pypi-agei…(masked).yml: pypi-AgEI…(masked): tags pypi-agei…(masked)*, secret PYPI_API_TOKEN_PYPI_AGEI…(masked)');
    expectNoToken([stopped.stdout, stopped.stderr, result.stdout, result.stderr]);
  });

  it('--fix: not in the "fixed N files" line, nor in the report', () => {
    const root = checkout({ [`${TOKEN}/pyproject.toml`]: '[project]\nname = "demo"\nversion = "1.0.0"\nclassifiers = ["Typing :: Typed", "Typing :: Typed"]\n' });
    // the duplicate classifier (hygiene, off by default) is the fix that names the directory
    const result = runCli([root, '--fix', '--format', 'json', '--rule', 'workflow/actionlint=off', '--extend-select', 'pyproject/classifiers/duplicate'], { cwd: root });
    expect(result.stderr).toBe('fixed 1 file: pypi-AgEI…(masked)/pyproject.toml\n');
    expect(findings(result.stdout).every((finding) => finding.file === 'pypi-AgEI…(masked)/pyproject.toml')).toBe(true);
    expectNoToken([result.stdout, result.stderr]);
  });
});

describe('the gate', () => {
  /** A one-package checkout named TOKEN, and the gate's arguments for it with the stand-in Python. */
  function tokenPackage(format: string): { root: string; args: string[]; env: NodeJS.ProcessEnv } {
    const root = checkout({ 'pyproject.toml': PYPROJECT(TOKEN), '.github/workflows/publish.yml': publishWorkflow('publish', ['v*']) });
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-hostile-tmp-'));
    return { root, args: ['gate', root, '--python', FAKE_PYTHON, '--no-isolation', '--format', format, '--rule', 'workflow/actionlint=off'], env: { TMPDIR: temp, FAKE_NAME: TOKEN, FAKE_TOKEN: TOKEN } };
  }

  it('progress on a terminal: the package being built and its wheel names are masked', () => {
    const { root, args, env } = tokenPackage('stylish');
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env, TERM: 'xterm', NO_COLOR: '1' };
    delete environment.CI;
    // a real pseudo-terminal (util-linux script), so that the progress line is drawn
    const result = spawnSync('script', ['-qec', [process.execPath, CLI, ...args].join(' '), '/dev/null'], { cwd: root, encoding: 'utf8', env: environment, timeout: 30_000 });
    expect(result.stdout).toContain('building pypi-AgEI…(masked)');
    // the mask takes the `-1` of the version along: a token is a run of [A-Za-z0-9_-]
    expect(result.stdout).toMatch(/built pypi-AgEI…\(masked\): pypi-AgEI…\(masked\)\.0\.0-py3-none-any\.whl, \d+(?:\.\d)? k?B, \d+\.\d s, /);
    expect(result.stdout).toMatch(/built pypi-AgEI…\(masked\): pypi-AgEI…\(masked\)\.0\.0\.tar\.gz, \d+(?:\.\d)? k?B, \d+\.\d s, /);
    expectNoToken([result.stdout, result.stderr]);
  });

  it('build output: a token across the 256 KiB the gate keeps is masked before the cut', () => {
    const { root, args, env } = tokenPackage('json');
    const result = runCli(args, { cwd: root, env: { ...env, FAKE_BUILD: 'token-output' }, timeoutMs: 30_000 });
    expect(result.status).toBe(1);
    const build = ofRule(findings(result.stdout), 'gate/build');
    expect(build).toHaveLength(1);
    expect(build[0]!.message).toMatch(/^pypi-AgEI…\(masked\): python -m build failed \(exit 1\): error: the backend failed on purpose/);
    expectNoToken([result.stdout, result.stderr]);
  });
});

describe('other secrets, wherever a message quotes them', () => {
  it('a GitHub token, a URL password and a credential setting: masked in every format and on stderr', () => {
    const root = checkout({
      'pyproject.toml': `${PYPROJECT('demo')}\n[project.urls]\nHomepage = "http://deploy:${URL_PASSWORD}@example.org/demo"\n`,
      [`.github/workflows/${GITHUB_TOKEN}.yml`]: publishWorkflow('publish', ['v*[']),
    });
    for (const format of ['stylish', 'json', 'github', 'sarif']) {
      const outputFile = path.join(root, `report.${format}`);
      // pyproject/urls quotes the http:// URL in its not-https check (hygiene, off by default)
      const result = runCli([root, '--format', format, '--rule', 'workflow/actionlint=off', '--extend-select', 'pyproject/urls/not-https', '-o', outputFile], { cwd: root });
      expect(result.status).toBe(1);
      const written = fs.readFileSync(outputFile, 'utf8');
      expect(written).toContain(`http://deploy:…(masked)@example.org/demo`);
      expect(written).toContain('ghp_R2l0…(masked).yml');
      for (const secret of [GITHUB_TOKEN, URL_PASSWORD]) expectNoSecret([written, result.stdout, result.stderr], secret);
    }
    const usage = runCli([root, '--max-warnings', `TWINE_PASSWORD=${SETTING_VALUE}`], { cwd: root });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('TWINE_PASSWORD=…(masked)');
    expectNoSecret([usage.stdout, usage.stderr], SETTING_VALUE);
  });
});

describe('terminal control characters in file names', () => {
  it('are shown escaped in stylish and github output, never sent', () => {
    const evil = 'evil\u001b]0;pwned\u0007\u001b[2J\rname.yml';
    const root = checkout({ 'pyproject.toml': PYPROJECT('demo'), [`.github/workflows/${evil}`]: publishWorkflow('publish', ['v*[']) });
    for (const format of ['stylish', 'github']) {
      const result = runCli([root, '--format', format, '--rule', 'workflow/actionlint=off'], { cwd: root });
      expect(result.status).toBe(1);
      // eslint-disable-next-line no-control-regex
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(result.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J\\x0dname.yml');
    }
  });
});
