
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, materialize, runCli, type CliResult } from './helpers/fixtures.js';

beforeAll(() => {
  // The lead rebuilds dist/ often; build only when there is none.
  ensureBuilt();
});

describe('a literal PyPI token never appears whole in any output', () => {
  let root: string;
  let token: string;

  beforeAll(() => {
    root = materialize('hardcoded-token');
    const workflow = fs.readFileSync(path.join(root, '.github/workflows/publish-to-pypi.yml'), 'utf8');
    token = /TWINE_PASSWORD: (pypi-\S+)/.exec(workflow)![1]!;
    // Give --diff something to show next to the token: a secrets/documented fix whose context line quotes it.
    const readme = path.join(root, 'README.md');
    fs.writeFileSync(
      readme,
      fs
        .readFileSync(readme, 'utf8')
        .replace('| `PYPI_API_TOKEN_OTOBO_ZNUNY` | open-ticket-ai-otobo-znuny-plugin |\n', '')
        .replace('See [docs/SETUP_INSTRUCTIONS.md]', `Never paste a token (${token}) here. See [docs/SETUP_INSTRUCTIONS.md]`),
    );
    const setup = path.join(root, 'docs/SETUP_INSTRUCTIONS.md');
    fs.writeFileSync(setup, fs.readFileSync(setup, 'utf8').replace(/^\| `PYPI_API_TOKEN_OTOBO_ZNUNY`.*\n/m, ''));
  });

  /** Neither the token nor any 16 characters of it past the masked prefix. */
  function expectMasked(result: CliResult): void {
    for (const output of [result.stdout, result.stderr]) {
      expect(output).not.toContain(token);
      for (let start = 9; start + 16 <= token.length; start += 8) expect(output).not.toContain(token.slice(start, start + 16));
    }
  }

  it.each(['stylish', 'json', 'github', 'sarif'])('--format %s', (format) => {
    const result = runCli([root, '--format', format]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('secrets/hardcoded');
    expect(result.stdout).toContain('pypi-AgEI…(masked)');
    expectMasked(result);
  });

  it('--format json carries the finding at the token', () => {
    const json = JSON.parse(runCli([root, '--format', 'json']).stdout) as { findings: { ruleId: string; file: string; line: number; column: number; message: string }[] };
    const finding = json.findings.find((entry) => entry.ruleId === 'secrets/hardcoded')!;
    expect(finding).toMatchObject({ file: '.github/workflows/publish-to-pypi.yml', line: 80, column: 27 });
    expect(finding.message).toContain('literal PyPI API token pypi-AgEI…(masked) in env TWINE_PASSWORD');
  });

  it('--diff', () => {
    const result = runCli([root, '--diff']);
    expect(result.stdout).toContain('+| `PYPI_API_TOKEN_OTOBO_ZNUNY` | open-ticket-ai-otobo-znuny-plugin |');
    expect(result.stdout).toContain('Never paste a token (pypi-AgEI…(masked)) here.');
    expectMasked(result);
  });

  it('--output-file', () => {
    const output = path.join(root, 'report.sarif');
    const result = runCli([root, '--format', 'sarif', '--output-file', output]);
    expectMasked({ ...result, stdout: fs.readFileSync(output, 'utf8') });
  });
});
