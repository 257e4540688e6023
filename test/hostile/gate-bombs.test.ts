/**
 * The gate runs the checkout's build backend, which may be built to hurt it: a child detached into
 * a session of its own that keeps the output pipes open, an sdist whose tar header has a negative
 * size, a tar or zip bomb, a FIFO or a /dev/zero link named like an artifact. A stand-in Python
 * (fake-python.mjs) plays each backend; every run ends within the suite's limits with a gate finding,
 * kills what the backend left running and removes its temporary directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { checkout, findings, ofRule, publishWorkflow, PYPROJECT, type Finding } from './support.js';

const FAKE_PYTHON = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-python.mjs');

/** Runs `gate` on a one-package checkout with the stand-in Python in `mode`; its temporary files go to a directory of its own. */
function gate(mode: string, extra: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): { status: number | null; findings: Finding[]; stderr: string; temp: string } {
  const root = checkout({ 'pyproject.toml': PYPROJECT('demo'), '.github/workflows/publish.yml': publishWorkflow('publish', ['v*']) });
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-hostile-tmp-'));
  const result = runCli(['gate', root, '--python', FAKE_PYTHON, '--no-isolation', '--format', 'json', '--rule', 'workflow/actionlint=off', ...(extra.args ?? [])], {
    cwd: root,
    timeoutMs: 30_000,
    env: { TMPDIR: temp, FAKE_BUILD: mode, ...extra.env },
  });
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|heap out of memory/);
  expect([0, 1], result.stderr).toContain(result.status);
  return { status: result.status, findings: findings(result.stdout), stderr: result.stderr, temp };
}

/** Processes whose command line holds `tag` (what the backend left running). */
function processesWith(tag: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(tag);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function expectNothingLeftIn(temp: string): void {
  expect(fs.readdirSync(temp)).toEqual([]);
}

describe('gate against hostile build backends', () => {
  it('a child detached into its own session keeps the pipes open and the build hangs: --timeout stops all of it', () => {
    const tag = `600.${process.pid}${Date.now() % 100000}1`;
    const started = Date.now();
    const { status, findings, temp } = gate('detach', { args: ['--timeout', '2'], env: { FAKE_SLEEP_TAG: tag } });
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(status).toBe(1);
    const build = ofRule(findings, 'gate/build');
    expect(build).toHaveLength(1);
    expect(build[0]).toMatchObject({ file: 'pyproject.toml', line: 1 });
    expect(build[0]!.message).toMatch(/^demo: python -m build timed out after 2 s and was stopped/);
    expect(processesWith(tag)).toEqual([]);
    expectNothingLeftIn(temp);
  });

  it('a backend that exits at once but leaves such a child: the gate finishes, the child is killed', () => {
    const tag = `600.${process.pid}${Date.now() % 100000}2`;
    const { findings, temp } = gate('detach-exit', { env: { FAKE_SLEEP_TAG: tag } });
    expect(ofRule(findings, 'gate/build')).toEqual([]);
    expect(processesWith(tag)).toEqual([]);
    expectNothingLeftIn(temp);
  });

  it.each([
    ['negative-tar', 'demo-1.0.0.tar.gz', 'the archive has an invalid size in the tar header at byte 0'],
    ['tar-bomb', 'demo-1.0.0.tar.gz', 'the archive has an entry (demo-1.0.0/zeros) of 2048 MB, over the 256 MB limit for one file; not read further'],
    ['zip-bomb', 'demo-1.0.0-py3-none-any.whl', 'the archive has demo-1.0.0.dist-info/METADATA that inflates past the 16 MB limit for metadata (a zip bomb?)'],
    ['special', 'demo-0.9.0.tar.gz', 'the path is a named pipe (FIFO), not a regular file; not read'],
    ['special', 'demo-0.9.0-py3-none-any.whl', 'the file is a symbolic link (or a loop of them); not followed'],
  ])('%s: gate/artifact says %s cannot be read, and why', (mode, file, reason) => {
    const { status, findings, temp } = gate(mode);
    expect(status).toBe(1);
    const artifact = ofRule(findings, 'gate/artifact').filter((finding) => finding.message.startsWith(`demo: cannot read ${file}:`));
    expect(artifact).toHaveLength(1);
    expect(artifact[0]).toMatchObject({ file: 'pyproject.toml', line: 1 });
    expect(artifact[0]!.message).toBe(`demo: cannot read ${file}: ${reason}`);
    expectNothingLeftIn(temp);
  });
});
