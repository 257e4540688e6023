import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_FIXTURE, ensureBuilt, materialize, runCli } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';


const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS; the SARIF schema is draft-04, which ajv 8 itself does not read.
const AjvDraft04 = (require('ajv-draft-04') as { default: typeof import('ajv-draft-04').default }).default;

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
  category: string;
  kind?: string;
}

beforeAll(() => {
  ensureBuilt();
});

/** The findings of every format, reduced to (rule, file, line, message) so they can be compared. */
function keyOfJson(finding: JsonFinding): string {
  return `${finding.ruleId}|${finding.file}|${finding.line}|${finding.message}`;
}

describe('the CLI on the seed fixture', () => {
  it('exits 0 on fixtures/open-ticket-ai', () => {
    const result = runCli([BASE_FIXTURE]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the CLI on a broken variant', () => {
  let root: string;
  let json: { version: number; root: string; findings: JsonFinding[]; summary: Record<string, number> };

  beforeAll(() => {
    root = materialize('missing-build-system');
    const result = runCli([root, '--format', 'json']);
    expect(result.status).toBe(1);
    json = JSON.parse(result.stdout) as typeof json;
  });

  it('--format json follows the contract exactly', () => {
    expect(Object.keys(json)).toEqual(['version', 'root', 'findings', 'summary']);
    expect(json.version).toBe(1);
    expect(json.root).toBe(fs.realpathSync(root) === root ? root : json.root);
    expect(path.isAbsolute(json.root)).toBe(true);
    for (const finding of json.findings) {
      // `fix` only for a fixable finding, `kind` only for a rule that declares kinds (docs/rules).
      const keys = ['ruleId', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixable', ...(finding.fixable ? ['fix'] : []), 'category'];
      expect(Object.keys(finding)).toEqual(finding.kind === undefined ? keys : [...keys, 'kind']);
      expect(['release', 'security', 'hygiene']).toContain(finding.category);
      expect(finding.file).not.toMatch(/\\|^\//);
    }
    expect(Object.keys(json.summary)).toEqual(['errors', 'warnings', 'infos', 'fixable', 'fixableSafe', 'fixableUnsafe', 'files']);
    expect(json.summary.fixable).toBe(json.summary.fixableSafe! + json.summary.fixableUnsafe!);
    const errors = json.findings.filter((finding) => finding.severity === 'error').length;
    expect(json.summary.errors).toBe(errors);
    const sorted = [...json.findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1)));
    expect(json.findings).toEqual(sorted);
  });

  it('reports the seeded build-system defects at their lines', () => {
    const buildSystem = json.findings.filter((finding) => finding.ruleId === 'pyproject/build-system');
    expect(buildSystem.map((finding) => [finding.file, finding.line, finding.severity, finding.category, finding.kind])).toEqual([
      ['pyproject.toml', 1, 'error', 'release', 'incomplete'],
      ['src/open_ticket_ai_hf_local/pyproject.toml', 1, 'error', 'release', 'incomplete'],
    ]);
    expect(buildSystem[0]!.message).toContain('no [build-system] table');
    expect(buildSystem[0]!.fixable).toBe(true);
    expect(buildSystem[1]!.message).toContain('no "build-backend"');
    // The third defect, an unbounded backend requirement, is a hygiene kind: off until selected.
    const selected = JSON.parse(runCli([root, '--format', 'json', '--extend-select', 'pyproject/build-system/backend-lower-bound']).stdout) as typeof json;
    const lowerBound = selected.findings.filter((finding) => finding.ruleId === 'pyproject/build-system' && finding.kind === 'backend-lower-bound');
    expect(lowerBound.map((finding) => [finding.file, finding.line, finding.severity, finding.category])).toEqual([
      ['src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml', 2, 'warning', 'hygiene'],
    ]);
    expect(lowerBound[0]!.message).toMatch(/"setuptools" has no lower bound/);
  });

  it('every format reports the same findings', () => {
    const expected = json.findings.map(keyOfJson).sort();
    // run in the root: stylish shows paths relative to the current directory
    const stylish = runCli(['--format', 'stylish'], { cwd: root });
    expect(stylish.status).toBe(1);
    const stylishKeys: string[] = [];
    let currentFile = '';
    for (const line of stylish.stdout.split('\n')) {
      const match = /^ {2}(\d+):\d+\s+(error|warning|info)\s+(.*?)\s{2}(\S+)$/.exec(line);
      if (match) stylishKeys.push(`${match[4]}|${currentFile}|${match[1]}|${match[3]!.replace(/^\[\*\] /, '')}`);
      else if (line && !line.startsWith(' ') && !line.startsWith('✖')) currentFile = line;
    }
    expect(stylishKeys.sort()).toEqual(expected);
    expect(stylish.stdout).toMatch(/✖ \d+ problems \(\d+ errors?, \d+ warnings?, \d+ infos?\)/);

    const github = runCli([root, '--format', 'github']);
    expect(github.status).toBe(1);
    const githubKeys = github.stdout
      .split('\n')
      .filter((line) => line.startsWith('::'))
      .map((line) => {
        const match = /^::(error|warning|notice) file=([^,]+),line=(\d+),col=\d+.*?,title=([^:]+)::(.*)$/.exec(line)!;
        return `${match[4]!.replace(/%2F/g, '/')}|${match[2]}|${match[3]}|${decodeURIComponent(match[5]!.replace(/%0A/g, '\n'))}`;
      });
    expect(githubKeys.sort()).toEqual(expected);

    const sarif = JSON.parse(runCli([root, '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const sarifKeys = sarif.runs[0]!.results.map((result) => `${result.ruleId}|${decodeURI(result.locations[0]!.physicalLocation.artifactLocation.uri)}|${result.locations[0]!.physicalLocation.region.startLine}|${result.message.text}`);
    expect(sarifKeys.sort()).toEqual(expected);
  });

  it('SARIF validates against the official SARIF 2.1.0 schema and lists the fired rules', () => {
    const sarif = JSON.parse(runCli([root, '--format', 'sarif']).stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri: string; defaultConfiguration: { level: string } }[] } } }[] };
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    const ajv = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const ruleIds = sarif.runs[0]!.tool.driver.rules.map((rule) => rule.id);
    expect(ruleIds).toEqual([...new Set(json.findings.map((finding) => finding.ruleId))].sort());
    expect(sarif.runs[0]!.tool.driver.rules[0]!.helpUri).toMatch(/docs\/rules\/.+\.md$/);
  });

  it('-o writes the report to a file; --quiet keeps errors only; --max-warnings counts warnings', () => {
    const output = path.join(root, 'report.json');
    expect(runCli([root, '--format', 'json', '-o', output]).stdout).toBe('');
    expect((JSON.parse(fs.readFileSync(output, 'utf8')) as { findings: unknown[] }).findings).toHaveLength(json.findings.length);
    fs.rmSync(output);
    const quiet = JSON.parse(runCli([root, '--format', 'json', '--quiet']).stdout) as { findings: JsonFinding[] };
    expect(quiet.findings.every((finding) => finding.severity === 'error')).toBe(true);
    const warningsOnly = runCli([root, '--rule', 'pyproject/build-system=warning', '--rule', 'pyproject/metadata=off', '--max-warnings', '0']);
    expect(warningsOnly.status).toBe(1);
    expect(runCli([root, '--rule', 'pyproject/build-system=warning', '--rule', 'pyproject/metadata=off']).status).toBe(json.findings.every((finding) => ['pyproject/build-system', 'pyproject/metadata'].includes(finding.ruleId) || finding.severity !== 'error') ? 0 : 1);
  });
});

describe('fixes through the CLI', () => {
  it('--diff prints the unsafe fix as a unified diff, writes nothing, exits 1', () => {
    const root = materialize('missing-build-system');
    const before = fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8');
    const result = runCli([root, '--diff', '--unsafe-fixes']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('--- a/pyproject.toml');
    expect(result.stdout).toContain('+[build-system]');
    expect(result.stdout).toContain('+build-backend = "setuptools.build_meta"');
    expect(fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(before);
  });

  it('--diff with nothing to fix prints nothing and exits 0', () => {
    const result = runCli([BASE_FIXTURE, '--diff']);
    expect([result.status, result.stdout]).toEqual([0, '']);
  });

  it('--fix --unsafe-fixes writes the fixes, then reports what is left', () => {
    const root = materialize('missing-build-system');
    const result = runCli([root, '--fix', '--unsafe-fixes', '--format', 'json']);
    expect(result.stderr).toMatch(/^fixed \d+ files?: .*pyproject\.toml/);
    const left = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings.filter((finding) => finding.ruleId === 'pyproject/build-system' && finding.severity === 'error');
    expect(left).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toMatch(/^\[build-system\]\nrequires = \["setuptools>=61\.0"\]\nbuild-backend = "setuptools\.build_meta"\n\n\[project\]/);
  });
});

describe('bad input and bad usage', () => {
  it('a malformed pyproject and workflow give core/parse-error at the parser line, and the run goes on', () => {
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0\n',
      'plugin/pyproject.toml': '[project]\nname = "plugin"\nversion = "1.0"\n',
      '.github/workflows/publish.yml': 'on:\n  push:\n    tags: [v*\njobs: {}\n',
    });
    const result = runCli([root, '--format', 'json']);
    expect(result.status).toBe(1);
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    const parseErrors = findings.filter((finding) => finding.ruleId === 'core/parse-error').map((finding) => [finding.file, finding.line]);
    expect(parseErrors).toEqual([
      ['.github/workflows/publish.yml', 4],
      ['pyproject.toml', 3],
    ]);
    // smol-toml stops at the line break ("control characters are not allowed in strings"); the finding names the cause and the opening quote.
    expect(findings.find((finding) => finding.file === 'pyproject.toml' && finding.ruleId === 'core/parse-error')).toMatchObject({
      line: 3,
      column: 11,
      message: 'unterminated string: the string opened at line 3, column 11 runs to the end of the line; close it with "',
    });
    expect(findings.filter((finding) => finding.file === 'plugin/pyproject.toml' && finding.ruleId === 'pyproject/build-system').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['pyproject/build-system', 'plugin/pyproject.toml', 1, 'plugin: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare setuptools.build_meta'],
    ]);
    expect(result.stderr).toBe('');
  });

  it('an invalid config exits 2 with the offending path on stderr and no stack trace', () => {
    const root = writeRepo({ '.pypi-release-lint.toml': '[rules]\n"pyproject/metadata" = "fatal"\n' });
    const result = runCli([root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('pypi-release-lint: invalid config (.pypi-release-lint.toml): rules."pyproject/metadata": must be "off", "info", "warning" or "error", got "fatal"\n');
  });

  it('bad usage exits 2 with one line', () => {
    const missing = runCli(['/no/such/dir']);
    expect([missing.status, missing.stderr]).toEqual([2, 'pypi-release-lint: no such directory or file: /no/such/dir\n']);
    const unknownOption = runCli(['--frobnicate']);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--frobnicate'");
    expect(runCli(['--format', 'xml', BASE_FIXTURE]).status).toBe(2);
    expect(runCli(['explain', 'no/such-rule']).stderr).toBe('pypi-release-lint: unknown rule "no/such-rule" (see pypi-release-lint rules)\n');
    expect(runCli(['--rule', 'bogus=error', BASE_FIXTURE]).status).toBe(2);
  });

  it('an unreadable config file is one line, not a stack trace', () => {
    const result = runCli([BASE_FIXTURE, '--config', '/no/such/config.toml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('pypi-release-lint: invalid config (/no/such/config.toml): cannot read the config file: the file does not exist (ENOENT)\n');
  });

  it('rules lists every rule and explain prints a rule page', () => {
    const rules = runCli(['rules']);
    expect(rules.status).toBe(0);
    expect(rules.stdout).toMatch(/^id\s+category\s+default\s+fix\s+description$/m);
    expect(rules.stdout).toMatch(/^pyproject\/build-system\s+release\+hygiene\s+by kind\s+unsafe\s+A package without a complete \[build-system\]/m);
    expect(rules.stdout).toMatch(/^ {2}pyproject\/build-system\/incomplete\s+release\s+error\s+unsafe\s+No \[build-system\] table/m);
    expect(rules.stdout).toMatch(/^ {2}pyproject\/build-system\/backend-lower-bound\s+hygiene\s+off \(warning\)\s+-\s+The backend requirement has no lower bound/m);
    expect(rules.stdout).toMatch(/^readme\/install-docs\s+hygiene\s+off \(warning\)\s+-\s+A published package whose install command/m);
    expect(rules.stdout).toMatch(/^secrets\/hardcoded\s+security\s+error\s+-\s+/m);
    const page = runCli(['explain', 'pyproject/metadata']);
    expect(page.stdout).toContain('# pyproject/metadata');
    expect(page.stdout).toContain('Categories: **release**, **hygiene**; the kinds below say which run by default.');
    expect(page.stdout).toContain('| `pyproject/metadata/missing-recommended` | hygiene | off (warning) | unsafe |');
    expect(page.stdout).toContain('## Failing example');
    expect(page.stdout).toContain('## Fix safety');
  });

  it('colour only on a terminal, never with NO_COLOR or --no-color', () => {
    const root = materialize('missing-build-system');
    expect(runCli([root]).stdout).not.toContain('\u001b[');
    expect(runCli([root, '--no-color'], { env: { NO_COLOR: '' } }).stdout).not.toContain('\u001b[');
  });
});
