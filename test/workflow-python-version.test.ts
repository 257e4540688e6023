import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pythonVersion from '../rules/workflow/python-version.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(pythonVersion, root);

describe('workflow/python-version', () => {
  it('passes the good repos', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/inherit-caller'))).toEqual([]);
  });

  it('reports the caller line that sets a Python requires-python excludes (variant python-too-old)', async () => {
    const findings = await run(materialize('python-too-old'));
    expect(findings.map(where)).toEqual(['error .github/workflows/publish-hf-local.yml:25:23']);
    expect(findings[0]!.endColumn).toBe(28);
    expect(findings[0]!.message).toBe(
      'publish-hf-local.yml builds open-ticket-ai-hf-local with Python 3.9, which requires-python ">=3.10" excludes (src/open_ticket_ai_hf_local/pyproject.toml:10)' +
        ': the build fails, or builds and tests on a Python no user can install it on; set python-version to one that ">=3.10" admits',
    );
  });

  it('explains an unquoted 3.10 that YAML reads as 3.1', async () => {
    const findings = await run(materialize('python-number-input'));
    expect(findings.map(where)).toEqual(['error .github/workflows/publish-hf-local.yml:25:23']);
    expect(findings[0]!.message).toContain('with Python 3.1 (YAML reads the unquoted 3.10 as the number 3.1; quote it), which requires-python ">=3.10" excludes');
  });

  it('follows matrix entries and input defaults, and reads "3.12" as any 3.12.x', async () => {
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10.4,<3.13"\n',
      '.github/workflows/matrix.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python: ["3.9", "3.10", "3.13"]\n    steps:\n' +
        '      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python }}\n      - run: python -m build\n      - run: twine upload dist/*\n',
    });
    const findings = await run(root);
    expect(findings.map((finding) => `${where(finding)} ${finding.message.split(',')[0]}`)).toEqual([
      'error .github/workflows/matrix.yml:9:18 matrix.yml builds demo with Python 3.9',
      'error .github/workflows/matrix.yml:9:33 matrix.yml builds demo with Python 3.13',
    ]);
  });
});
