/**
 * `run:` scripts, expressions and docs built to make a regular expression or a scan go quadratic:
 * unclosed `${{` and `${` by the thousand, heredocs and echoes by the thousand, a pipeline of
 * thousands of `cat`s, a long line of upload commands, HTML that never closes a tag. Every scan is
 * linear now; each run ends within the suite's limits with the findings it owes.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { checkout, lintJson, ofRule, PYPROJECT } from './support.js';

/** A publish workflow whose step `index` (from line 12 on) runs each script, with TOKEN bound to a secret. */
function workflowRunning(scripts: readonly string[]): string {
  const steps = scripts.map((script) => `      - env:\n          TOKEN: \${{ secrets.PYPI_TOKEN }}\n        run: |\n${script.split('\n').map((line) => `          ${line}`).join('\n')}`);
  return `name: publish
on:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    steps:
${steps.join('\n')}
      - run: python -m build && twine check --strict dist/*
      - run: twine upload dist/*
`;
}

const WORKFLOW = '.github/workflows/publish.yml';

describe('scans of run scripts stay linear', () => {
  it('20 000 heredocs and 20 000 echoes printing a secret: every one reported, as JSON and as stylish, in time', () => {
    const heredocs = Array.from({ length: 20_000 }, () => 'cat <<EOF\n$TOKEN\nEOF').join('\n');
    const echoes = Array.from({ length: 20_000 }, () => 'echo "$TOKEN" | base64').join('\n');
    const root = checkout({ 'pyproject.toml': PYPROJECT('demo'), [WORKFLOW]: workflowRunning([heredocs, echoes]) });
    const { findings } = lintJson(root, [], { timeoutMs: 20_000 });
    const exposure = ofRule(findings, 'secrets/exposure');
    expect(exposure).toHaveLength(40_000);
    // the first heredoc body is line 16; the first echo follows the 20 000 heredocs (3 lines each)
    expect(exposure[0]).toMatchObject({ file: WORKFLOW, line: 16, column: 11 });
    expect(exposure[0]!.message).toContain('$TOKEN (env, bound to secrets.PYPI_TOKEN) is expanded into the run: script of step #1 (job publish) of publish.yml, which prints it with cat');
    expect(exposure[20_000]).toMatchObject({ line: 15 + 3 * 20_000 + 3, column: 17 });
    expect(exposure[20_000]!.message).toContain('which prints it with echo');
    // stylish lays out 40 000 rows of one file: its column widths are measured once, not per row
    const stylish = runCli([root, '--rule', 'workflow/actionlint=off'], { cwd: root, timeoutMs: 20_000 });
    expect(stylish.status).toBe(1);
    const lines = stylish.stdout.split('\n');
    expect(lines.filter((line) => line.endsWith('secrets/exposure'))).toHaveLength(40_000);
    // one position column: the widest position is 60018:17, so 16:11 is padded to its width
    expect(lines.find((line) => line.includes(' 16:11 '))).toBe(`  ${'16:11'.padEnd('60018:17'.length)}  error    ${exposure[0]!.message}  secrets/exposure`);
    expect(stylish.stdout).toMatch(/✖ \d+ problems \(\d+ errors, \d+ warnings, \d+ infos\) in \d+ files checked\n/);
  });

  it('unclosed `${{` and `${` by the hundred thousand, a pipeline of 20 000 cats, a long line of uploads', () => {
    const unclosedExpressions = `echo ${'${{ secrets.X '.repeat(100_000)}`;
    const unclosedVariables = `echo ${'${TOKEN '.repeat(100_000)}`;
    const pipeline = `echo "$TOKEN"${' | cat'.repeat(20_000)}`;
    const uploads = `${'twine upload -u __token__ '.repeat(50_000)}-p literal-password`;
    const root = checkout({ 'pyproject.toml': PYPROJECT('demo'), [WORKFLOW]: workflowRunning([unclosedExpressions, unclosedVariables, pipeline, uploads]) });
    const { findings } = lintJson(root, [], { timeoutMs: 20_000 });
    const exposure = ofRule(findings, 'secrets/exposure');
    expect(exposure.map((finding) => finding.line)).toEqual([23]); // the pipeline: its echo reaches the log through 20 000 cats
    const hardcoded = ofRule(findings, 'secrets/hardcoded');
    expect(hardcoded).toHaveLength(1);
    expect(hardcoded[0]).toMatchObject({ file: WORKFLOW, line: 27 });
    expect(hardcoded[0]!.message).toMatch(/^literal upload password \(16 characters, not shown here\) in the run: script of step #4/);
  });
});

describe('scans of docs stay linear', () => {
  it('a README of 50 000 unclosed <a tags, a 200 000-character attribute, 20 000 headings and code spans', () => {
    const readme = [
      '# demo',
      '',
      '<a '.repeat(50_000),
      '',
      `<img ${'a'.repeat(200_000)} src="https://img.shields.io/pypi/v/other-name">`,
      '',
      ...Array.from({ length: 20_000 }, (_, index) => `## Section ${index}\n\nrun \`pip install demo\` here\n`),
    ].join('\n');
    const root = checkout({ 'pyproject.toml': PYPROJECT('demo'), 'README.md': readme });
    const { findings } = lintJson(root, [], { timeoutMs: 20_000 });
    // the badge after the long attribute is read: it names a package that is not this repository's
    const badge = ofRule(findings, 'readme/badge-targets');
    expect(badge).toHaveLength(1);
    expect(badge[0]).toMatchObject({ file: 'README.md', line: 5 });
    expect(badge[0]!.message).toContain('other-name');
  });
});
