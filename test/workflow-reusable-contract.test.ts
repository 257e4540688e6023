import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../src/format/mask.js';
import reusableContract from '../rules/workflow/reusable-contract.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(reusableContract, root);

describe('workflow/reusable-contract', () => {
  it('passes the good repos', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
  });

  it('reports a missing required input, a wrong type and an undeclared input (variant reusable-contract)', async () => {
    const findings = await run(materialize('reusable-contract'));
    expect(findings.map(where)).toEqual([
      'error .github/workflows/publish-hf-local.yml:20:11',
      'error .github/workflows/publish-hf-local.yml:23:16',
      'error .github/workflows/publish-hf-local.yml:24:7',
    ]);
    expect(findings[0]!.message).toBe('publish-to-pypi.yml requires input "package-name" (declared at line 6), which job publish does not pass');
    expect(findings[1]!.message).toContain('input "dry-run" is declared type: boolean by publish-to-pypi.yml (line 14); the call passes the string "false"');
    expect(findings[2]!.message).toBe(
      'input "python" is not declared by publish-to-pypi.yml (declared: package-name, package-path, dry-run, python-version) (did you mean python-version?)',
    );
  });

  it('reports secrets the callers pass but the callee does not declare, leaving the undeclared read to secrets/declared (seed)', async () => {
    const findings = await run(materialize('seed-as-described'));
    expect(findings.map(where)).toEqual([
      'error .github/workflows/publish-hf-local.yml:28:7',
      'error .github/workflows/publish-open-ticket-ai.yml:28:7',
      'error .github/workflows/publish-otobo-znuny.yml:28:7',
    ]);
    for (const finding of findings) {
      expect(finding.message).toBe('secret "pypi-token" is not declared by publish-to-pypi.yml (declared: none): the called workflow cannot read it');
    }
  });

  it('points at an undeclared inputs.X inside the reusable workflow', async () => {
    const findings = await run(materialize('callee-undeclared-input'));
    expect(findings.map(where)).toEqual(['error .github/workflows/publish-to-pypi.yml:44:31']);
    expect(findings[0]!.message).toContain('publish-to-pypi.yml reads inputs.python, which on.workflow_call.inputs never declares');
  });

  it('says when YAML reads an unquoted 3.10 passed to a string input as 3.1', async () => {
    const findings = await run(materialize('python-number-input'));
    expect(findings.map(where)).toEqual(['error .github/workflows/publish-hf-local.yml:25:23']);
    expect(findings[0]!.message).toBe(
      'input "python-version" is declared type: string by publish-to-pypi.yml (line 18); the call passes the unquoted 3.10, which YAML reads as the number 3.1 (quote it: "3.10")',
    );
  });

  it('warns about secrets: inherit and then allows the callee to read the secrets it inherits', async () => {
    const findings = await run(path.join(FIXTURES, 'workflows/inherit-caller'));
    expect(findings.map(where)).toEqual(['warning .github/workflows/release.yml:16:14']);
    expect(findings[0]!.message).toBe(
      'secrets: inherit hands every repository secret to build-publish.yml, which reads PYPI_API_TOKEN; declare it under its on.workflow_call.secrets and pass it here by name',
    );
    // `PYPI_API_TOKEN: declare` read as a token's value: the output masked the advice (langgraph).
    expect(maskSecrets(findings[0]!.message)).toBe(findings[0]!.message);
  });

  it('checks required secrets, number inputs, missing files and callees without workflow_call', async () => {
    const callee =
      'on:\n  workflow_call:\n    inputs:\n      retries:\n        type: number\n      name:\n        type: string\n    secrets:\n      token:\n        required: true\n' +
      'jobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ inputs.name }} ${{ inputs[\'retries\'] }} ${{ secrets.token }} ${{ secrets.GITHUB_TOKEN }}\n';
    const root = writeRepo({
      '.github/workflows/reusable.yml': callee,
      '.github/workflows/plain.yml': 'on: push\njobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      '.github/workflows/caller.yml':
        'on: push\njobs:\n  a:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      retries: "3"\n      name: true\n' +
        '  b:\n    uses: ./.github/workflows/missing.yml\n  c:\n    uses: ./.github/workflows/plain.yml\n',
    });
    const findings = await run(root);
    expect(findings.map((finding) => `${finding.line}:${finding.column} ${finding.message}`)).toEqual([
      '4:11 reusable.yml requires secret "token" (declared at line 9), which job a does not pass',
      '6:16 input "retries" is declared type: number by reusable.yml (line 4); the call passes the string "3"; GitHub expects a number',
      '7:13 input "name" is declared type: string by reusable.yml (line 6); the call passes the boolean true (quote it to pass a string)',
      '9:11 job b calls ./.github/workflows/missing.yml, which does not exist in .github/workflows',
      '11:11 job c calls plain.yml, which has no on.workflow_call trigger: GitHub refuses to run the call',
    ]);
  });
});
