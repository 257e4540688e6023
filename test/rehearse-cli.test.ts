/** `pypi-release-lint rehearse` as a process: exit codes (0 passes, 1 would fail, 2 bad usage), JSON, one-line errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/fixtures.js';

beforeAll(() => ensureBuilt());

describe('pypi-release-lint rehearse', () => {
  it('exits 0 on a tag that releases one package cleanly, 1 on a tag whose version is not the package version', () => {
    const clean = runCli(['rehearse', 'fixtures/open-ticket-ai', '--tag', 'refs/tags/hf-local-v1.0.0']);
    expect(clean.status).toBe(0);
    expect(clean.stdout.split('\n')[0]).toBe('push of tag hf-local-v1.0.0');
    expect(clean.stderr).toBe('');
    const wrong = runCli(['rehearse', 'fixtures/open-ticket-ai', '--tag', 'hf-local-v1.0.1']);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('  error workflow/tag-version src/open_ticket_ai_hf_local/pyproject.toml:7: tag hf-local-v1.0.1 names version 1.0.1');
  });

  it('prints JSON with --format json', () => {
    const result = runCli(['rehearse', 'fixtures/rehearse/two-publishers', '--tag', 'plugin-1.0.0', '--format', 'json']);
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.scenario).toBe('push of tag plugin-1.0.0');
    expect(json.ok).toBe(false);
    expect(json.runs.map((run: { workflow: string }) => run.workflow)).toEqual(['.github/workflows/publish-core.yml', '.github/workflows/publish-plugin.yml']);
    expect(json.findings.map((finding: { rule: string; file: string; line: number }) => [finding.rule, finding.file, finding.line])).toEqual([['workflow/tag-overlap', '.github/workflows/publish-plugin.yml', 5]]);
  });

  it('dispatches with -f values and the defaults of the other inputs', () => {
    const result = runCli(['rehearse', 'fixtures/open-ticket-ai', '--dispatch', 'publish-otobo-znuny.yml', '-f', 'dry-run=false']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('        open-ticket-ai-otobo-znuny-plugin 1.1.0 (src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml) → pypi.org, secret PYPI_API_TOKEN_OTOBO_ZNUNY (TWINE_PASSWORD)\n');
  });

  it.each([
    [['--tag', 'v1', '--push-branch', 'main'], 'pypi-release-lint: rehearse needs exactly one of --tag, --release, --push-branch, --dispatch (got --tag, --push-branch)'],
    [[], 'pypi-release-lint: rehearse needs exactly one of --tag, --release, --push-branch, --dispatch'],
    [['--tag', 'v1', '--draft'], 'pypi-release-lint: --prerelease and --draft go with --release'],
    [['--tag', 'bad..tag'], "pypi-release-lint: 'bad..tag' is not a valid git tag name"],
    [['--dispatch', 'nope.yml'], 'pypi-release-lint: no workflow named nope.yml (give its file name, e.g. ci.yml)'],
    [['--dispatch', 'ci.yml'], 'pypi-release-lint: .github/workflows/ci.yml has no workflow_dispatch trigger, so it cannot be dispatched'],
    [['--dispatch', 'publish-hf-local.yml', '-f', 'dryrun=true'], 'pypi-release-lint: .github/workflows/publish-hf-local.yml declares no input dryrun (inputs: dry-run); GitHub refuses the dispatch'],
    [['--dispatch', 'publish-hf-local.yml', '-f', 'dry-run=yes'], 'pypi-release-lint: input dry-run of .github/workflows/publish-hf-local.yml is a boolean: -f dry-run=true or false'],
  ])('exits 2 with one line for %j', (args, line) => {
    const result = runCli(['rehearse', 'fixtures/open-ticket-ai', ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${line}\n`);
  });

  it('exits 2 for a required dispatch input not given', () => {
    const result = runCli(['rehearse', 'fixtures/rehearse/dispatch-version-input', '--dispatch', 'release.yml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('pypi-release-lint: .github/workflows/release.yml requires input version: add -f version=VALUE\n');
  });
});
