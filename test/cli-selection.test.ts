import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_FIXTURE, ensureBuilt, materialize, runCli, tempDir } from './helpers/fixtures.js';

const require = createRequire(import.meta.url);
const AjvDraft04 = (require('ajv-draft-04') as { default: typeof import('ajv-draft-04').default }).default;

interface JsonReport {
  findings: { ruleId: string; severity: string; file: string; line: number; category: string; kind?: string; message: string }[];
}

beforeAll(() => {
  ensureBuilt();
});

/**
 * The seed as its README describes it (fixtures/README.md): release findings of seven rules, and one
 * hygiene finding (twine check without --strict) that only a selection brings in.
 */
let seed: string;
beforeAll(() => {
  seed = materialize('seed-as-described');
});

function findings(args: string[]): { status: number; rows: string[] } {
  const result = runCli([seed, '--format', 'json', ...args]);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as JsonReport;
  return { status: result.status, rows: report.findings.map((finding) => `${finding.ruleId}${finding.kind ? `/${finding.kind}` : ''} ${finding.file}:${finding.line}`) };
}

const ruleIdsOf = (rows: string[]): string[] => [...new Set(rows.map((row) => row.split(' ')[0]!))].sort();

describe('--select, --extend-select and --ignore on the command line', () => {
  it('the default run: the release findings, not the hygiene one', () => {
    const { status, rows } = findings([]);
    expect(status).toBe(1);
    expect(ruleIdsOf(rows)).toEqual([
      'pyproject/package-contents',
      'pyproject/readme/broken',
      'secrets/declared',
      'workflow/release-trigger',
      'workflow/reusable-contract/broken',
      'workflow/tag-version',
      'workflow/trigger-reachability/release-and-tag',
    ]);
  });

  it('take groups, globs, rules and kinds, comma-separated or repeated', () => {
    expect(findings(['--select', 'secrets/']).rows).toEqual(['secrets/declared .github/workflows/publish-to-pypi.yml:64']);
    expect(ruleIdsOf(findings(['--select', 'workflow/*-trigger,pyproject/readme']).rows)).toEqual(['pyproject/readme/broken', 'workflow/release-trigger']);
    // A group selects its hygiene kinds too: twine check without --strict comes in with workflow/.
    expect(ruleIdsOf(findings(['--select', 'workflow/', '--ignore', 'workflow/reusable-contract/broken', '--ignore', 'workflow/tag-version']).rows)).toEqual([
      'workflow/publish-steps/lenient-twine-check',
      'workflow/release-trigger',
      'workflow/trigger-reachability/release-and-tag',
    ]);
    expect(ruleIdsOf(findings(['--select', 'workflow/', '--ignore', 'hygiene,workflow/reusable-contract,workflow/tag-version,workflow/trigger-*']).rows)).toEqual(['workflow/release-trigger']);
  });

  it('take categories: --ignore release leaves nothing here, and exit 0', () => {
    const { status, rows } = findings(['--ignore', 'release']);
    expect([status, rows]).toEqual([0, []]);
  });

  it('--extend-select adds an off-by-default check to the default set', () => {
    const { rows } = findings(['--extend-select', 'hygiene']);
    expect(rows.filter((row) => !findings([]).rows.includes(row))).toEqual(['workflow/publish-steps/lenient-twine-check .github/workflows/publish-to-pypi.yml:51']);
  });

  it('--rule ID=off wins over --select all', () => {
    expect(ruleIdsOf(findings(['--select', 'all', '--rule', 'workflow/tag-version=off']).rows)).not.toContain('workflow/tag-version');
  });

  it("the command line's --select replaces the config's select; its --ignore changes it", () => {
    const config = path.join(tempDir(), 'lint.toml');
    fs.writeFileSync(config, 'select = ["secrets/", "workflow/tag-version"]\n[rules]\n"workflow/trusted-publishing" = "off"\n');
    expect(ruleIdsOf(findings(['--config', config]).rows)).toEqual(['secrets/declared', 'workflow/tag-version']);
    expect(ruleIdsOf(findings(['--config', config, '--ignore', 'secrets/']).rows)).toEqual(['workflow/tag-version']);
    expect(ruleIdsOf(findings(['--config', config, '--select', 'pyproject/']).rows)).toEqual(['pyproject/package-contents', 'pyproject/readme/broken']);
  });

  it('a selector that selects nothing is bad usage: exit 2, one line', () => {
    const result = runCli([seed, '--select', 'pyproject/readme,pyproject/meta']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'pypi-release-lint: invalid config (--select): "pyproject/meta" selects no rule (a prefix matches whole segments only: did you mean pyproject/metadata/missing-name-or-version or pyproject/meta*?)\n',
    );
  });

  it('the help names the options', () => {
    const help = runCli(['lint', '--help']).stdout;
    for (const option of ['--select <selectors>', '--extend-select <selectors>', '--ignore <selectors>', '--statistics', '--exit-zero']) expect(help).toContain(option);
  });
});

describe('--statistics', () => {
  it('prints a count per rule or kind, most first, with category and fixability, instead of the findings', () => {
    const result = runCli([seed, '--statistics', '--extend-select', 'hygiene']);
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n').map((line) => line.split(/ {2,}/).slice(0, 4).join(' | '))).toEqual([
      '3 | workflow/release-trigger | release | [ ]',
      '3 | workflow/reusable-contract/broken | release | [ ]',
      '3 | workflow/trigger-reachability/release-and-tag | release | [ ]',
      '2 | pyproject/package-contents | release | [ ]',
      '2 | pyproject/readme/broken | release | [ ]',
      '1 | secrets/declared | release | [ ]',
      '1 | workflow/publish-steps/lenient-twine-check | hygiene | [ ]',
      '1 | workflow/tag-version | release | [ ]',
      '',
    ]);
    expect(result.stdout).toContain('  twine check without --strict before the upload.\n');
  });

  it('marks fixable codes and says how to fix them', () => {
    const result = runCli([materialize('missing-build-system'), '--statistics', '--extend-select', 'hygiene']);
    expect(result.stdout).toMatch(/^2 {2}pyproject\/build-system\/incomplete +release {2}\[\*\] {2}No \[build-system\] table/m);
    expect(result.stdout).toMatch(/^1 {2}pyproject\/build-system\/backend-lower-bound {2}hygiene {2}\[ \] {2}The backend requirement/m);
    expect(result.stdout.endsWith('[*] 2 fixable with --fix --unsafe-fixes (none with --fix alone)\n')).toBe(true);
  });

  it('prints JSON with --format json, nothing on a clean repo, and refuses the other formats', () => {
    const rows = JSON.parse(runCli([seed, '--statistics', '--format', 'json']).stdout) as Record<string, unknown>[];
    expect(rows[1]).toEqual({
      code: 'workflow/reusable-contract/broken',
      ruleId: 'workflow/reusable-contract',
      kind: 'broken',
      category: 'release',
      count: 3,
      fixable: 0,
      fixableSafe: 0,
      description: "A call that breaks the called workflow's declared inputs and secrets, or a callee reading an input it never declares.",
    });
    expect(rows.map((row) => row.count)).toEqual([3, 3, 3, 2, 2, 1, 1]);
    expect(runCli([BASE_FIXTURE, '--statistics'])).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const sarif = runCli([seed, '--statistics', '--format', 'sarif']);
    expect([sarif.status, sarif.stdout, sarif.stderr]).toEqual([2, '', 'pypi-release-lint: --statistics prints text or JSON; it cannot be written as sarif\n']);
  });
});

describe('--exit-zero', () => {
  it('exits 0 with errors found, still printing them, and with a non-empty --diff', () => {
    const result = runCli([seed, '--exit-zero']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/✖ 15 problems \(14 errors, 1 warning, 0 infos\)/);
    const broken = materialize('missing-build-system');
    expect(runCli([broken, '--diff', '--unsafe-fixes']).status).toBe(1);
    const diff = runCli([broken, '--diff', '--unsafe-fixes', '--exit-zero']);
    expect(diff.status).toBe(0);
    expect(diff.stdout).toContain('+build-backend = "setuptools.build_meta"');
    expect(runCli([seed, '--exit-zero', '--select', 'nope/x']).status).toBe(2);
  });
});

describe('categories in the reports', () => {
  it('SARIF tags each rule with its categories, says which are off by default, and gives each result its category', () => {
    const root = materialize('install-docs-missing');
    const result = runCli([root, '--format', 'sarif', '--extend-select', 'readme/install-docs,pyproject/metadata']);
    const sarif = JSON.parse(result.stdout) as {
      runs: { tool: { driver: { rules: { id: string; defaultConfiguration: Record<string, unknown>; properties: { tags: string[] } }[] } }; results: { ruleId: string; properties: Record<string, string> }[] }[];
    };
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    const validate = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const [run] = sarif.runs;
    expect(run!.tool.driver.rules.map((rule) => [rule.id, rule.properties.tags, rule.defaultConfiguration])).toEqual([
      ['readme/install-docs', ['hygiene'], { level: 'warning', enabled: false }],
    ]);
    expect(run!.results.map((item) => [item.ruleId, item.properties])).toEqual([['readme/install-docs', { category: 'hygiene' }]]);
  });
});
