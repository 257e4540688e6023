import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { runActionlint, shutdownActionlint } from '../src/actionlint/index.js';
import { offerActionlintThread, startActionlintThread, takeOfferedThread } from '../src/actionlint/thread.js';
import { LINT_VALUE_OPTIONS, willRunActionlint } from '../src/cli/early-actionlint.js';
import { buildProgram } from '../src/cli/main.js';
import { codeCacheFile } from '../src/cli/code-cache.js';
import { BASE_FIXTURE, CLI, ensureBuilt, runCli } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

afterAll(async () => {
  await shutdownActionlint();
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

describe('the bin', () => {
  it('loads the linter through a code cache it writes after a lint run and reuses after', () => {
    ensureBuilt();
    const linter = path.join(path.dirname(CLI), 'linter.cjs');
    const cache = codeCacheFile(linter);
    if (cache === undefined) throw new Error('the freshly built bundle has no trusted stamp yet');
    const first = runCli([BASE_FIXTURE]);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(fs.existsSync(cache)).toBe(true);
    const written = fs.statSync(cache).mtimeMs;
    const second = runCli([BASE_FIXTURE]);
    expect([second.status, second.stdout, second.stderr]).toEqual([0, first.stdout, '']);
    // Used, so not written again.
    expect(fs.statSync(cache).mtimeMs).toBe(written);
  });

  it('the linter bundle is ASCII: Node then reads it as a one-byte string, faster to decode and compile', () => {
    ensureBuilt();
    const linter = fs.readFileSync(path.join(path.dirname(CLI), 'linter.cjs'), 'utf8');
    const offending = [...linter.matchAll(/.{0,30}[^\x00-\x7f].{0,10}/g)].map((match) => match[0]);
    expect(offending).toEqual([]);
  });
});
