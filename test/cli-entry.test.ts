import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { runActionlint, shutdownActionlint } from '../src/actionlint/index.js';
import { offerActionlintThread, startActionlintThread, takeOfferedThread } from '../src/actionlint/thread.js';
import { LINT_VALUE_OPTIONS, willRunActionlint } from '../src/cli/early-actionlint.js';
import { buildProgram } from '../src/cli/main.js';
import { codeCacheFile } from '../src/cli/code-cache.js';
import { BASE_FIXTURE, CLI, ensureBuilt, REPO_ROOT, tempDir } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const binCopies: string[] = [];

afterAll(async () => {
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

  it('no when the command line or a config file may turn workflow/actionlint off', () => {
    expect(willRunActionlint(['--rule', 'workflow/actionlint=off'], withWorkflows)).toBe(false);
    expect(willRunActionlint(['--rule=workflow/actionlint = off'], withWorkflows)).toBe(false);
    const configured = writeRepo({
      '.github/workflows/ci.yml': WORKFLOW,
      'pyproject.toml': '[project]\nname = "demo"\n\n[tool.pypi-release-lint.rules]\n"workflow/actionlint" = "off"\n',
    });
    expect(willRunActionlint([], configured)).toBe(false);
    const dotfile = writeRepo({ '.github/workflows/ci.yml': WORKFLOW, '.pypi-release-lint.toml': '[rules]\n"workflow/actionlint" = "warning"\n' });
    expect(willRunActionlint([], dotfile)).toBe(false);
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
});

describe('an actionlint thread started early', () => {
  it('is adopted by the first run, which gets the same results', async () => {
    offerActionlintThread(startActionlintThread());
    const outcome = await runActionlint([{ path: '.github/workflows/ci.yml', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n' }]);
    expect(outcome.failures).toEqual([]);
    expect(outcome.results.map((result) => [result.kind, result.line])).toEqual([['expression', 6]]);
    // Adopted: nothing left to take.
    expect(takeOfferedThread()).toBeUndefined();
  });
});

/**
 * A copy of the built bin, linter and worker in a directory of its own inside the repo (so that
 * node_modules and the package's data are found as from dist/), with a code cache no other test's
 * runs write to.
 */
function isolatedBin(): { cli: string; cacheDir: string; run: (args: string[]) => { status: number | null; stdout: string; stderr: string } } {
  ensureBuilt();
  const parent = path.join(REPO_ROOT, 'node_modules', '.cache', 'prl-test-bins');
  fs.mkdirSync(parent, { recursive: true });
  const copy = fs.mkdtempSync(path.join(parent, 'bin-'));
  binCopies.push(copy);
  const dist = path.join(copy, 'dist');
  fs.mkdirSync(dist);
  for (const file of ['cli.cjs', 'linter.cjs', 'worker.cjs']) fs.copyFileSync(path.join(path.dirname(CLI), file), path.join(dist, file));
  const cli = path.join(dist, 'cli.cjs');
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { cli, cacheDir: path.join(dist, '.code-cache'), run };
}

/** The mtime of an isolated bin's code cache, the only file in its cache directory; undefined when there is none. */
function cacheWritten(bin: ReturnType<typeof isolatedBin>): number | undefined {
  const file = codeCacheFile(path.join(path.dirname(bin.cli), 'linter.cjs'));
  if (file === undefined) throw new Error('the copied bundle has no trusted stamp yet');
  expect(fs.existsSync(bin.cacheDir) ? fs.readdirSync(bin.cacheDir) : []).toEqual(fs.existsSync(file) ? [path.basename(file)] : []);
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : undefined;
}

describe('the bin', () => {
  it('loads the linter through a code cache it writes after a lint run, and every later run uses it, with actionlint or without', () => {
    const bin = isolatedBin();
    const first = bin.run([BASE_FIXTURE]);
    expect([first.status, first.stderr]).toEqual([0, '']);
    // The run started actionlint's thread early; the thread's V8 flags are back to Node's by the time
    // the cache is written, or no run could use it.
    const written = cacheWritten(bin);
    expect(written).toBeDefined();
    const second = bin.run([BASE_FIXTURE]);
    expect([second.status, second.stdout, second.stderr]).toEqual([0, first.stdout, '']);
    expect(bin.run([BASE_FIXTURE, '--rule', 'workflow/actionlint=off']).status).toBe(0);
    // Used by both, so not written again (a rejected cache would be).
    expect(cacheWritten(bin)).toBe(written);
  });

  it('a run that starts actionlint only later (--cache) writes a cache the next plain run uses', () => {
    const bin = isolatedBin();
    const cacheLocation = path.join(tempDir('prl-bin-cache-'), 'cache.json');
    const run = bin.run([BASE_FIXTURE, '--cache', '--cache-location', cacheLocation]);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const written = cacheWritten(bin);
    expect(written).toBeDefined();
    expect(bin.run([BASE_FIXTURE]).status).toBe(0);
    expect(cacheWritten(bin)).toBe(written);
  });

  it('a lint without actionlint nor license expressions loads none of the modules that load on first use', () => {
    const bin = isolatedBin();
    // Records every require() that reaches Node's loader: builtins, fast-glob's own require('stream'),
    // and the SPDX identifier lists (the seed fixture's licenses are tables, not expressions).
    const recorder = path.join(tempDir('prl-requires-'), 'record.cjs');
    fs.writeFileSync(recorder, `const Module = require('node:module');
const load = Module._load;
const seen = new Set();
Module._load = function (request, ...rest) { seen.add(request.replace(/^node:/, '')); return load.call(this, request, ...rest); };
process.on('exit', () => process.stderr.write(JSON.stringify([...seen].sort())));`);
    const args = ['--require', recorder, bin.cli, BASE_FIXTURE, '--rule', 'workflow/actionlint=off'];
    // The second run reads the code cache the first one wrote (writing it needs node:v8).
    spawnSync(process.execPath, args, { cwd: REPO_ROOT });
    const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const required = JSON.parse(run.stderr) as string[];
    expect(required).toContain('fs');
    const onFirstUse = ['child_process', 'crypto', 'zlib', 'v8', 'worker_threads', 'stream', 'spdx-license-ids', 'spdx-license-ids/deprecated.json', 'spdx-exceptions'];
    expect(required.filter((name) => onFirstUse.includes(name))).toEqual([]);
  });

  it('a missing linter bundle is one line on stderr and exit code 2, not a stack trace', () => {
    const bin = isolatedBin();
    fs.rmSync(path.join(path.dirname(bin.cli), 'linter.cjs'));
    const run = bin.run([BASE_FIXTURE]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^pypi-release-lint: cannot load the linter: ENOENT: no such file or directory, .*linter\.cjs'\n$/);
  });

  it('the linter bundle is ASCII: Node then reads it as a one-byte string, faster to decode and compile', () => {
    ensureBuilt();
    const linter = fs.readFileSync(path.join(path.dirname(CLI), 'linter.cjs'), 'utf8');
    const offending = [...linter.matchAll(/.{0,30}[^\x00-\x7f].{0,10}/g)].map((match) => match[0]);
    expect(offending).toEqual([]);
  });
});
