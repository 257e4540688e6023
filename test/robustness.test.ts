import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { ensureBuilt, materialize, runCli, tempDir } from './helpers/fixtures.js';
import { aliasBomb } from './fuzz/mutations.js';

beforeAll(() => ensureBuilt());

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

function lintJson(root: string, extra: string[] = []): { status: number; findings: JsonFinding[]; stderr: string } {
  const result = runCli([root, '--format', 'json', ...extra]);
  return { status: result.status, findings: result.stdout ? (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings : [], stderr: result.stderr };
}

describe('hostile files through the real CLI', () => {
  const cases: [string, string, Buffer | string, RegExp][] = [
    ['binary pyproject', 'src/open_ticket_ai_hf_local/pyproject.toml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d, 0x0a, 0x1a]), /binary/],
    ['invalid UTF-8 workflow', '.github/workflows/publish-hf-local.yml', Buffer.from([0x6f, 0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), /not valid UTF-8/],
    ['20 MB README', 'README.md', `# Big\n${'x'.repeat(20 * 1024 * 1024)}\n`, /over the 5 MB limit/],
    ['empty workflow', '.github/workflows/publish-hf-local.yml', '', /./],
    ['alias bomb workflow', '.github/workflows/publish-otobo-znuny.yml', aliasBomb(9), /alias/i],
    ['deeply nested TOML', 'src/open_ticket_ai_hf_local/pyproject.toml', `a = ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, /./],
  ];

  it.each(cases)('%s: exit 0 or 1, a located finding, no stack trace', (_label, file, content, reason) => {
    const root = materialize('open-ticket-ai');
    fs.writeFileSync(path.join(root, file), content);
    const { status, findings, stderr } = lintJson(root);
    expect([0, 1]).toContain(status);
    expect(stderr).not.toMatch(/\n\s+at |Error:/);
    const about = findings.filter((finding) => finding.file === file);
    if (content.length > 0) {
      expect(about.length).toBeGreaterThan(0);
      expect(about.some((finding) => reason.test(finding.message))).toBe(true);
      for (const finding of about) expect(finding.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('a damaged config', () => {
  // Found by the fuzzer (seed 20261123): text appended to the root pyproject lands in its last table,
  // [tool.pypi-release-lint.rules], and makes the config invalid.
  it('is one line per problem and exit 2, never a stack trace', () => {
    const root = materialize('open-ticket-ai');
    fs.appendFileSync(path.join(root, 'pyproject.toml'), `\nfuzz = ${'['.repeat(240)}1${']'.repeat(240)}\n`);
    const result = runCli([root]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      'pypi-release-lint: invalid config (pyproject.toml [tool.pypi-release-lint]): rules.fuzz: must be object',
      'pypi-release-lint: invalid config (pyproject.toml [tool.pypi-release-lint]): rules."fuzz": unknown rule (see `pypi-release-lint rules`)',
    ]);
  });
});

describe('the gate stays closed unless asked', () => {
  it('linting never runs Python: a python3 that records its calls is never called', () => {
    const root = materialize('open-ticket-ai');
    const bin = tempDir();
    const marker = path.join(bin, 'called');
    for (const name of ['python3', 'python', 'twine']) {
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "$0 $*" >> ${marker}\nexit 1\n`, { mode: 0o755 });
    }
    const result = runCli([root], { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    expect(result.status).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('secrets never leave whole', () => {
  const token = `pypi-AgEIZmFrZS5leGFtcGxlAiQ${'Zm9vYmFy'.repeat(12)}`;
  const chunks = (text: string): string[] => Array.from({ length: text.length - 20 }, (_, index) => text.slice(index, index + 20)).filter((chunk) => chunk.startsWith('AgE') || !chunk.startsWith('pypi'));

  it('planted in every kind of file and in bad input, no output shows it', () => {
    const root = materialize('open-ticket-ai');
    const append = (file: string, text: string): void => fs.appendFileSync(path.join(root, file), text);
    append('pyproject.toml', `\n[tool.fuzz]\ntoken = "${token}"\n`);
    append('src/open_ticket_ai_hf_local/pyproject.toml', `\nbroken = "${token}\n`); // a parse error that quotes it
    append('README.md', `\nToken: ${token}\n`);
    append('docs/SETUP_INSTRUCTIONS.md', `\n\`\`\`\nTWINE_PASSWORD=${token}\n\`\`\`\n`);
    fs.writeFileSync(path.join(root, '.github/workflows/leak.yml'), `on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${token}\n        env:\n          TWINE_PASSWORD: ${token}\n`);
    const outputs: string[] = [];
    for (const format of ['stylish', 'json', 'github', 'sarif']) {
      const result = runCli([root, '--format', format]);
      outputs.push(result.stdout, result.stderr);
    }
    const diff = runCli([root, '--diff', '--unsafe-fixes']);
    outputs.push(diff.stdout, diff.stderr);
    const badRule = runCli([root, '--rule', `${token}=error`]);
    outputs.push(badRule.stdout, badRule.stderr);
    const badOption = runCli([root, `--${token}`]);
    outputs.push(badOption.stdout, badOption.stderr);
    expect(badRule.status).toBe(2);
    const everything = outputs.join('\n');
    expect(everything).toContain('pypi-AgEI');
    for (const chunk of chunks(token.slice(5))) expect(everything).not.toContain(chunk);
  });
});
