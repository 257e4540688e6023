import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActionlint, shutdownActionlint } from '../src/actionlint/index.js';
import { actionlintFilesLinted, adoptActionlintThread } from '../src/actionlint/runner.js';
import { startActionlintThread } from '../src/actionlint/thread.js';
import { LINT_VALUE_OPTIONS, willRunActionlint } from '../src/cli/early-actionlint.js';
import { buildProgram } from '../src/cli/main.js';
import { BASE_FIXTURE, CLI, ensureBuilt, REPO_ROOT, tempDir } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const binCopies: string[] = [];
const originalPath = process.env.PATH;
/** PATH without its directories that hold an `actionlint` (which the guess takes as a native one that may answer). */
const pathWithoutActionlint = (originalPath ?? '').split(path.delimiter).filter((directory) => !fs.existsSync(path.join(directory, 'actionlint'))).join(path.delimiter);

beforeAll(() => {
  process.env.PATH = pathWithoutActionlint;
});

afterAll(async () => {
  process.env.PATH = originalPath;
  await shutdownActionlint();
  for (const copy of binCopies) fs.rmSync(copy, { recursive: true, force: true });
});

const WORKFLOW = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';

describe('the entry guesses from the arguments whether the run lints workflows', () => {
  const withWorkflows = writeRepo({ '.github/workflows/ci.yml': WORKFLOW, 'pyproject.toml': '[project]\nname = "demo"\n' });
  const withoutWorkflows = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
  const elsewhere = path.dirname(withWorkflows);
  const root = path.basename(withWorkflows);

  it('yes for the lint command on a root with .github/workflows, however the root is given', () => {
    expect(willRunActionlint([], withWorkflows)).toBe(true);
    expect(willRunActionlint([root], elsewhere)).toBe(true);
    expect(willRunActionlint(['lint', root], elsewhere)).toBe(true);
    expect(willRunActionlint([withWorkflows], '/')).toBe(true);
    // Option values are not the root.
    expect(willRunActionlint(['--format', 'json', '-o', 'report.json', root, '--fix'], elsewhere)).toBe(true);
    expect(willRunActionlint(['--rule', 'pyproject/metadata=off', root], elsewhere)).toBe(true);
    expect(willRunActionlint(['--', root], elsewhere)).toBe(true);
  });

  it('no when there is no workflow directory', () => {
    expect(willRunActionlint([], withoutWorkflows)).toBe(false);
    expect(willRunActionlint(['--format', root], elsewhere)).toBe(false);
  });

  it('no for the other commands, help, version and --cache', () => {
    for (const argv of [['rules'], ['explain', 'workflow/actionlint'], ['plan'], ['init'], ['gate'], ['help'], ['--help'], ['-h'], ['--version'], ['-v'], ['--cache']]) {
      expect(willRunActionlint(argv, withWorkflows), argv.join(' ')).toBe(false);
    }
  });

  it('no when the command line or a config file may turn workflow/actionlint off or choose another actionlint', () => {
    expect(willRunActionlint(['--rule', 'workflow/actionlint=off'], withWorkflows)).toBe(false);
    expect(willRunActionlint(['--rule=workflow/actionlint = off'], withWorkflows)).toBe(false);
    const configured = writeRepo({
      '.github/workflows/ci.yml': WORKFLOW,
      'pyproject.toml': '[project]\nname = "demo"\n\n[tool.pypi-release-lint.rules]\n"workflow/actionlint" = "off"\n',
    });
    expect(willRunActionlint([], configured)).toBe(false);
    const dotfile = writeRepo({ '.github/workflows/ci.yml': WORKFLOW, '.pypi-release-lint.toml': '[rules]\n"workflow/actionlint" = "warning"\n' });
    expect(willRunActionlint([], dotfile)).toBe(false);
    const native = writeRepo({ '.github/workflows/ci.yml': WORKFLOW, '.pypi-release-lint.toml': 'actionlint = "tools/actionlint"\n' });
    expect(willRunActionlint([], native)).toBe(false);
    const explicit = writeRepo({ 'lint.toml': '[rules]\n"workflow/actionlint" = "off"\n' });
    expect(willRunActionlint(['--config', path.join(explicit, 'lint.toml'), withWorkflows], '/')).toBe(false);
    // The default config files are not read when --config names another one.
    expect(willRunActionlint(['--config', path.join(withoutWorkflows, 'pyproject.toml'), configured], '/')).toBe(true);
  });

  it('no when --select can name no workflow/actionlint; a selector value is not the root', () => {
    expect(willRunActionlint(['--select', 'pyproject/,secrets/', withWorkflows], '/')).toBe(false);
    expect(willRunActionlint(['--select=readme/badges'], withWorkflows)).toBe(false);
    for (const selects of [['--select', 'workflow/'], ['--select', 'release'], ['--select', 'ALL'], ['--select', 'workflow/action*'], ['--select', 'pyproject/', '--extend-select', 'workflow/actionlint']]) {
      expect(willRunActionlint([...selects, root], elsewhere), selects.join(' ')).toBe(true);
    }
    expect(willRunActionlint(['--ignore', 'pyproject/', '--extend-select', 'hygiene', root], elsewhere)).toBe(true);
  });

  it('knows every lint option that takes a value, as main.ts declares them', () => {
    const program = buildProgram(() => undefined);
    const lint = program.commands.find((command: Command) => command.name() === 'lint')!;
    const declared = lint.options.filter((option) => option.required || option.optional).flatMap((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined));
    expect([...declared].sort()).toEqual([...LINT_VALUE_OPTIONS].sort());
  });

  it('no when an actionlint is on PATH: it may answer instead of the wasm', () => {
    const bin = tempDir('prl-path-');
    fs.writeFileSync(path.join(bin, 'actionlint'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    process.env.PATH = `${bin}${path.delimiter}${pathWithoutActionlint}`;
    try {
      expect(willRunActionlint([], withWorkflows)).toBe(false);
    } finally {
      process.env.PATH = pathWithoutActionlint;
    }
    expect(willRunActionlint([], withWorkflows)).toBe(true);
  });
});

describe('an actionlint thread started early', () => {
  it('joins the pool: the first run lints on it and starts no other', async () => {
    await shutdownActionlint();
    const worker = startActionlintThread();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    adoptActionlintThread(worker);
    const before = actionlintFilesLinted();
    const outcome = await runActionlint([{ path: '.github/workflows/ci.yml', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n' }]);
    expect(outcome.failures).toEqual([]);
    expect(outcome.results.map((result) => [result.kind, result.line])).toEqual([['expression', 6]]);
    expect(actionlintFilesLinted() - before).toBe(1);
    // The pool's only worker was the adopted thread: ending the pool ends it.
    await shutdownActionlint();
    await exited;
  });
});

/** A copy of the built bin, linter and worker in a directory of its own inside the repo (so that node_modules and the package's data are found as from dist/). */
function isolatedBin(): { cli: string; run: (args: string[], nodeArgs?: string[]) => { status: number | null; stdout: string; stderr: string } } {
  ensureBuilt();
  const parent = path.join(REPO_ROOT, 'node_modules', '.cache', 'prl-test-bins');
  fs.mkdirSync(parent, { recursive: true });
  const copy = fs.mkdtempSync(path.join(parent, 'bin-'));
  binCopies.push(copy);
  const dist = path.join(copy, 'dist');
  fs.mkdirSync(dist);
  for (const file of ['cli.cjs', 'linter.cjs', 'worker.cjs']) fs.copyFileSync(path.join(path.dirname(CLI), file), path.join(dist, file));
  const cli = path.join(dist, 'cli.cjs');
  const run = (args: string[], nodeArgs: string[] = []) => spawnSync(process.execPath, [...nodeArgs, cli, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, PATH: pathWithoutActionlint } });
  return { cli, run };
}

/**
 * A --require script that prints, at exit, every module request that reached Node's loader and
 * every worker thread started (as "new Worker"), in order.
 */
function startRecorder(): string {
  const recorder = path.join(tempDir('prl-requires-'), 'record.cjs');
  fs.writeFileSync(recorder, `const Module = require('node:module');
const load = Module._load;
const seen = [];
Module._load = function (request, ...rest) {
  const name = request.replace(/^node:/, '');
  if (!seen.includes(name)) seen.push(name);
  const loaded = load.call(this, request, ...rest);
  if (name === 'worker_threads' && !loaded.recorded) {
    const Worker = loaded.Worker;
    loaded.Worker = class extends Worker { constructor(...args) { seen.push('new Worker'); super(...args); } };
    loaded.recorded = true;
  }
  return loaded;
};
process.on('exit', () => process.stderr.write(JSON.stringify(seen)));`);
  return recorder;
}

describe('the bin', () => {
  it('starts the actionlint thread before it loads the linter, and the run lints on it', () => {
    const bin = isolatedBin();
    // A publish workflow (in actionlint's default scope) and no config that mentions actionlint: the guess says yes.
    const root = writeRepo({
      'pyproject.toml': '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "1.0.0"\n',
      '.github/workflows/publish.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python-version: [3.12]\n    steps:\n' +
        '      - uses: actions/checkout@v4\n      - run: echo ${{ matrix.python }}\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n',
    });
    const run = bin.run([root, '--format', 'json'], ['--require', startRecorder()]);
    expect(run.status).toBe(1);
    const events = JSON.parse(run.stderr) as string[];
    // One thread, started before the linter loads: the pool adopts it rather than starting its own.
    expect(events.filter((event) => event === 'new Worker')).toHaveLength(1);
    expect(events.indexOf('new Worker')).toBeLessThan(events.indexOf('./linter.cjs'));
    const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string; line: number; message: string }[] }).findings;
    expect(findings.filter((finding) => finding.ruleId === 'workflow/actionlint').map((finding) => [finding.file, finding.line, finding.message])).toEqual([
      ['.github/workflows/publish.yml', 12, '[expression] property "python" is not defined in object type {python-version: number}'],
    ]);
  });

  it('a lint without actionlint nor license expressions starts no thread and loads no SPDX list', () => {
    const bin = isolatedBin();
    // The SPDX identifier lists load on first use (the seed fixture's licenses are tables, not expressions).
    const run = bin.run([BASE_FIXTURE, '--rule', 'workflow/actionlint=off'], ['--require', startRecorder()]);
    expect(run.status).toBe(0);
    const events = JSON.parse(run.stderr) as string[];
    expect(events).toContain('./linter.cjs');
    const onFirstUse = ['new Worker', 'v8', 'spdx-license-ids', 'spdx-license-ids/deprecated.json', 'spdx-exceptions'];
    expect(events.filter((name) => onFirstUse.includes(name))).toEqual([]);
  });

  it('a missing linter bundle is one line on stderr and exit code 2, not a stack trace', () => {
    const bin = isolatedBin();
    fs.rmSync(path.join(path.dirname(bin.cli), 'linter.cjs'));
    const run = bin.run([BASE_FIXTURE, '--rule', 'workflow/actionlint=off']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^pypi-release-lint: cannot load the linter: Cannot find module '.*linter\.cjs'\n$/);
  });
});
