import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleMetas } from '../rules/index.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { parse } from 'smol-toml';
import { lint } from './helpers/fixtures.js';
import { COMPLETE_PYPROJECT, ENGINE_RULES, writeRepo } from './helpers/repo.js';

function configProblems(root: string, request: Parameters<typeof loadConfig>[1] = {}): string[] {
  try {
    loadConfig(root, request, ruleMetas);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('config', () => {
  it('reads [tool.pypi-release-lint] from the root pyproject', () => {
    const text = `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nrepository = "o/r"\nknown-secrets = ["ORG_TOKEN"]\n[tool.pypi-release-lint.rules]\n"pyproject/metadata" = { severity = "warning", required = ["name"] }\n`;
    const root = writeRepo({ 'pyproject.toml': text });
    const config = loadConfig(root, { rootPyproject: parse(text) }, ruleMetas);
    expect(config.repository).toBe('o/r');
    expect(config.knownSecrets).toEqual(['ORG_TOKEN']);
    expect(config.rules.get('pyproject/metadata')).toEqual({ severity: 'warning', options: { required: ['name'] } });
  });

  it('falls back to .pypi-release-lint.toml, and --config wins over both', () => {
    const root = writeRepo({ '.pypi-release-lint.toml': 'repository = "dot/file"\n', 'other.toml': 'repository = "from/flag"\n' });
    expect(loadConfig(root, {}, ruleMetas).repository).toBe('dot/file');
    expect(loadConfig(root, { configFile: path.join(root, 'other.toml') }, ruleMetas).repository).toBe('from/flag');
  });

  it('lists every ajv error with its path in the config', () => {
    const root = writeRepo({ '.pypi-release-lint.toml': 'colour = 1\nrepository = "not a repo"\n[rules]\n"pyproject/metadata" = "fatal"\n"no/such-rule" = "error"\n' });
    const problems = configProblems(root);
    expect(problems).toContain('rules."pyproject/metadata": must be "off", "info", "warning" or "error", got "fatal"');
    expect(problems).toContain('(top level): unknown key "colour"');
    expect(problems).toContain('repository: must be "owner/name", got "not a repo"');
    expect(problems.some((problem) => problem.startsWith('rules."no/such-rule": unknown rule'))).toBe(true);
  });

  it('validates rule options against the rule schema', () => {
    const root = writeRepo({ '.pypi-release-lint.toml': '[rules]\n"pyproject/metadata" = { required = "name" }\n"core/parse-error" = { depth = 3 }\n' });
    const problems = configProblems(root);
    expect(problems).toContain('rules."pyproject/metadata".required: must be array, got "name"');
    expect(problems).toContain('rules."core/parse-error".depth: the rule takes no option "depth"');
  });

  it('--rule ID=SEVERITY overrides the config, and rejects unknown rules and severities', () => {
    const root = writeRepo({});
    expect(loadConfig(root, { ruleOverrides: ['pyproject/metadata=off'] }, ruleMetas).rules.get('pyproject/metadata')?.severity).toBe('off');
    expect(configProblems(root, { ruleOverrides: ['nope=error'] })[0]).toMatch(/"nope": unknown rule/);
    expect(configProblems(root, { ruleOverrides: ['pyproject/metadata=loud'] })[0]).toMatch(/must be "off", "info", "warning" or "error", got "loud"/);
  });

  it('a config severity applies to every finding of the rule; off disables it', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0"\n' });
    const asWarning = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/build-system=warning'] });
    expect(asWarning.filter((finding) => finding.ruleId === 'pyproject/build-system').map((finding) => finding.severity)).toEqual(['warning']);
    const off = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/build-system=off'] });
    expect(off.some((finding) => finding.ruleId === 'pyproject/build-system')).toBe(false);
  });

  it('the shipped config schema is valid JSON with the documented keys', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../schemas/config.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual([
      'actionlint',
      'docs',
      'exclude',
      'extend-select',
      'external-packages',
      'ignore',
      'known-secrets',
      'packages',
      'per-file-ignores',
      'repository',
      'rules',
      'select',
      'skip-directories',
    ]);
  });
});
