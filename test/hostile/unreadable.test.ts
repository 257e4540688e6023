/**
 * What the linter cannot read must be a finding for that path, never exit 2, and everything else is
 * still linted: files and directories without read permission, a directory whose path is longer
 * than PATH_MAX, and in the gate a read-only directory in the temporary copy (which must still be
 * removed) and a file the copy cannot read. Permission tests run the CLI as `nobody`, since root
 * reads every file whatever its mode.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAN_DROP_PRIVILEGES, checkout, findings, lintJson, ofRule, publishWorkflow, PYPROJECT, runCliAsNobody } from './support.js';

const FAKE_PYTHON = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-python.mjs');
const PERMISSION = 'the file cannot be read: permission denied (EACCES); not read';

/** An empty directory every user may write to (nobody's temporary files). */
function sharedTemp(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-hostile-tmp-'));
  fs.chmodSync(directory, 0o777);
  return directory;
}

describe.skipIf(!CAN_DROP_PRIVILEGES)('unreadable files and directories (the CLI run as nobody: needs root to switch user)', () => {
  it('each is a core/parse-error at its path; the rest is linted; exit 1', () => {
    const root = checkout({
      'pyproject.toml': PYPROJECT('demo'),
      '.github/workflows/publish.yml': publishWorkflow('publish', ['v*']),
      '.github/workflows/locked.yml': publishWorkflow('locked', ['locked-v*']),
      'docs/guide.md': '# Guide\n',
      'plugins/locked-file/pyproject.toml': PYPROJECT('locked-file'),
      'plugins/locked-dir/pyproject.toml': PYPROJECT('locked-dir'),
      // Named like the root package once normalised: pyproject/unique-names reports it, published or not.
      'plugins/open/pyproject.toml': '[project]\nname = "Demo"\n',
    });
    for (const file of ['.github/workflows/locked.yml', 'docs/guide.md', 'plugins/locked-file/pyproject.toml']) fs.chmodSync(path.join(root, file), 0o000);
    fs.chmodSync(path.join(root, 'plugins/locked-dir'), 0o000);
    const result = runCliAsNobody([root, '--format', 'json', '--rule', 'workflow/actionlint=off'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const all = findings(result.stdout);
    expect(ofRule(all, 'core/parse-error').map((finding) => `${finding.file}:${finding.line}:${finding.column}: ${finding.message}`)).toEqual([
      `.github/workflows/locked.yml:1:1: ${PERMISSION}`,
      `docs/guide.md:1:1: ${PERMISSION}`,
      'plugins/locked-dir:1:1: the directory cannot be read: permission denied (EACCES); not read: nothing under it is linted',
      `plugins/locked-file/pyproject.toml:1:1: ${PERMISSION}`,
    ]);
    // the readable plugin is linted as ever
    expect(ofRule(all, 'pyproject/unique-names').map((finding) => finding.file)).toEqual(['plugins/open/pyproject.toml']);
  });

  it('gate: a read-only directory in the temporary copy is removed all the same; an unreadable file is a gate/build finding', () => {
    const root = checkout({ 'pyproject.toml': PYPROJECT('demo'), '.github/workflows/publish.yml': publishWorkflow('publish', ['v*']) });
    const gateArgs = ['gate', root, '--python', FAKE_PYTHON, '--no-isolation', '--format', 'json', '--rule', 'workflow/actionlint=off'];
    const temp = sharedTemp();
    const readonly = runCliAsNobody(gateArgs, { cwd: root, env: { TMPDIR: temp, FAKE_BUILD: 'readonly' } });
    expect(readonly.stderr).toBe('');
    expect([0, 1]).toContain(readonly.status);
    expect(ofRule(findings(readonly.stdout), 'gate/build')).toEqual([]);
    expect(fs.readdirSync(temp)).toEqual([]);

    fs.writeFileSync(path.join(root, 'notes.txt'), 'private\n', { mode: 0o000 });
    const unreadable = runCliAsNobody(gateArgs, { cwd: root, env: { TMPDIR: temp, FAKE_BUILD: 'good' } });
    expect(unreadable.status).toBe(1);
    const build = ofRule(findings(unreadable.stdout), 'gate/build');
    expect(build).toHaveLength(1);
    expect(build[0]).toMatchObject({ file: 'pyproject.toml', line: 1 });
    expect(build[0]!.message).toMatch(/^demo: the gate could not build it: cannot copy \. to a temporary directory: EACCES: permission denied/);
    expect(build[0]!.message).not.toContain(temp);
    expect(fs.readdirSync(temp)).toEqual([]);
  });
});

describe('a path longer than PATH_MAX', () => {
  it('the directory that cannot be listed is a core/parse-error; the rest is linted', () => {
    const root = checkout({ 'pyproject.toml': PYPROJECT('demo'), '.github/workflows/publish.yml': publishWorkflow('publish', ['v*']) });
    const component = 'd'.repeat(200);
    // made one level at a time from inside: no single path given to the kernel is too long
    execFileSync('python3', ['-c', `import os, sys\nos.chdir(sys.argv[1])\nfor _ in range(22):\n    os.mkdir(sys.argv[2]); os.chdir(sys.argv[2])\nopen('pyproject.toml', 'w').write('[project]\\nname = "deep"\\n')`, root, component]);
    try {
      const { findings: all } = lintJson(root);
      const parseErrors = ofRule(all, 'core/parse-error');
      expect(parseErrors).toHaveLength(1);
      expect(parseErrors[0]!.message).toBe('the directory cannot be read: its path is longer than the system allows (ENAMETOOLONG); not read: nothing under it is linted');
      const directory = parseErrors[0]!.file;
      expect(directory.split('/').every((part) => part === component)).toBe(true);
      expect(path.join(root, directory).length).toBeGreaterThanOrEqual(4096);
      expect(path.join(root, path.dirname(directory)).length).toBeLessThan(4096);
      expect(ofRule(all, 'pyproject/metadata').some((finding) => finding.file === 'pyproject.toml')).toBe(true);
    } finally {
      execFileSync('rm', ['-rf', root]);
    }
  });
});
