import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import actionlint from '../rules/workflow/actionlint.js';
import { shutdownActionlint } from '../src/actionlint/index.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(actionlint, root);

/** Adds a line to the base fixture's [tool.pypi-release-lint.rules] table (the last table of its pyproject). */
function configureRule(root: string, setting: string): void {
  fs.appendFileSync(path.join(root, 'pyproject.toml'), `"workflow/actionlint" = ${setting}\n`);
}

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
    expect(findings[1]!.message).toMatch(/^\[runner-label\] label "otai-gpu" is unknown\. .*\(warning: the embedded actionlint 1\.7\.7 /);
  });

  it('drops findings matching the ignore option, and reports an ignore pattern that is no regex', async () => {
    const root = materialize('actionlint-errors');
    configureRule(root, '{ ignore = [\'property "python" is not defined\', "(unclosed"] }');
    const findings = await run(root);
    expect(findings.map(where)).toEqual(['error pyproject.toml:1:1']);
    expect(findings[0]!.message).toContain('rules."workflow/actionlint".ignore: "(unclosed" is not a valid RE2 pattern');
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
