/**
 * FIFOs, devices and links to them where the linter reads files: a FIFO's open waits for a writer
 * forever, /dev/zero never ends. Only regular files are read (the type comes from the open file,
 * opened without blocking and without following a last link); each such path is a finding, and
 * every other file is still linted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SENTINEL_FILE, sentinelDir } from './harness.js';
import { checkout, lintJson, ofRule, publishWorkflow, PYPROJECT, snapshot } from './support.js';

function mkfifo(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
}

describe('special files in a checkout', () => {
  it('FIFOs for a pyproject, a workflow, a doc and git\'s exclude file; /dev/zero behind a readme: findings, the rest linted', () => {
    const root = checkout({
      'pyproject.toml': `${PYPROJECT('demo')}readme = "README.md"\n`,
      '.github/workflows/publish.yml': publishWorkflow('publish', ['v*']),
      // Named like the root package once normalised: pyproject/unique-names reports it, published or not.
      'plugins/good/pyproject.toml': '[project]\nname = "Demo"\nversion = "1.0.0"\n',
      '.git/info/.keep': '',
    });
    for (const fifo of ['plugins/fifo/pyproject.toml', '.github/workflows/fifo.yml', 'docs/guide.md', '.git/info/exclude']) mkfifo(path.join(root, fifo));
    fs.symlinkSync('/dev/zero', path.join(root, 'README.md'));
    fs.symlinkSync('/dev/zero', path.join(root, 'CONTRIBUTING.md'));
    const before = snapshot(root);
    // actionlint on: the bin's early look at the config files must not block either
    const { status, findings } = lintJson(root, ['--rule', 'workflow/actionlint=error']);
    expect(status).toBe(1);
    const parseErrors = ofRule(findings, 'core/parse-error').map((finding) => `${finding.file}:${finding.line}: ${finding.message}`);
    expect(parseErrors).toEqual([
      '.github/workflows/fifo.yml:1: the path is a named pipe (FIFO), not a regular file; not read',
      'docs/guide.md:1: the path is a named pipe (FIFO), not a regular file; not read',
      'plugins/fifo/pyproject.toml:1: the path is a named pipe (FIFO), not a regular file; not read',
    ]);
    // the readme behind the link is not read: pyproject/readme says it cannot be
    expect(ofRule(findings, 'pyproject/readme').map((finding) => finding.file)).toContain('pyproject.toml');
    // everything else is linted: the plugin's pyproject is
    expect(ofRule(findings, 'pyproject/unique-names').map((finding) => finding.file)).toEqual(['plugins/good/pyproject.toml']);
    expect(snapshot(root)).toEqual(before);
  });

  it('a FIFO as the root pyproject.toml (read before discovery, and by the bin before the linter loads)', () => {
    const root = checkout({ '.github/workflows/publish.yml': publishWorkflow('publish', ['v*']) });
    mkfifo(path.join(root, 'pyproject.toml'));
    const { findings } = lintJson(root, ['--rule', 'workflow/actionlint=error']);
    expect(ofRule(findings, 'core/parse-error')).toMatchObject([{ file: 'pyproject.toml', line: 1, message: 'the path is a named pipe (FIFO), not a regular file; not read' }]);
  });

  it('a FIFO or a link to /dev/zero as .pypi-release-lint.toml: one line, exit 2, no wait', () => {
    const sentinel = sentinelDir();
    for (const plant of ['fifo', 'zero', 'outside'] as const) {
      const root = checkout({ 'pyproject.toml': PYPROJECT('demo') });
      const config = path.join(root, '.pypi-release-lint.toml');
      if (plant === 'fifo') mkfifo(config);
      else fs.symlinkSync(plant === 'zero' ? '/dev/zero' : path.join(sentinel, SENTINEL_FILE), config);
      const result = runCli([root], { cwd: root, timeoutMs: 10_000 });
      expect(result.status, plant).toBe(2);
      expect(result.stdout).toBe('');
      const expected = plant === 'fifo' ? 'the path is a named pipe (FIFO), not a regular file' : 'the file is a symbolic link (or a loop of them); not followed';
      expect(result.stderr).toBe(`pypi-release-lint: invalid config (.pypi-release-lint.toml): cannot read the config file: ${expected}${plant === 'fifo' ? '; not read' : ''}\n`);
    }
    expect(snapshot(sentinel)).toEqual(new Map([[SENTINEL_FILE, expect.any(String)]]));
  });
});
