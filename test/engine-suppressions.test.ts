import { describe, expect, it } from 'vitest';
import { lint } from './helpers/fixtures.js';
import { ENGINE_RULES, writeRepo } from './helpers/repo.js';

const NO_BUILD_SYSTEM = '[project]\nname = "demo"\nversion = "1.0"\n';

describe('suppressions', () => {
  it('a comment at the end of the line suppresses that line', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]  # pypi-release-lint: disable=pyproject/build-system\nname = "demo"\nversion = "1.0"\n' });
    const findings = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/metadata=off'] });
    expect(findings).toEqual([]);
  });

  it('a comment alone on the line above suppresses the next line', async () => {
    const root = writeRepo({ 'pyproject.toml': `# pypi-release-lint: disable=pyproject/build-system,pyproject/metadata\n${NO_BUILD_SYSTEM}` });
    expect(await lint(root, { rules: ENGINE_RULES })).toEqual([]);
  });

  it('disable-file suppresses the rule anywhere in the file', async () => {
    const root = writeRepo({ 'pyproject.toml': `${NO_BUILD_SYSTEM}# pypi-release-lint: disable-file=pyproject/build-system\n` });
    const findings = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/metadata=off'] });
    expect(findings).toEqual([]);
  });

  it('an unused suppression is a core/unused-suppression warning at the comment', async () => {
    const root = writeRepo({ 'pyproject.toml': `${NO_BUILD_SYSTEM}name2 = 1  # pypi-release-lint: disable=pyproject/build-system\n` });
    const findings = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/metadata=off'] });
    expect(findings.map((finding) => [finding.ruleId, finding.line, finding.severity])).toEqual([
      ['pyproject/build-system', 1, 'error'],
      ['core/unused-suppression', 4, 'warning'],
    ]);
    expect(findings[1]!.message).toBe('the suppression of "pyproject/build-system" suppresses nothing; remove it');
  });

  it('a suppression naming an unknown rule is reported; one for a rule switched off is not', async () => {
    const root = writeRepo({ 'pyproject.toml': `${NO_BUILD_SYSTEM}# pypi-release-lint: disable-file=pyproject/nope,pyproject/metadata\n` });
    const findings = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/build-system=off', 'pyproject/metadata=off'] });
    expect(findings.map((finding) => [finding.ruleId, finding.line, finding.message])).toEqual([
      ['core/unused-suppression', 4, 'the suppression of "pyproject/nope" names an unknown rule; remove it'],
    ]);
  });

  it('Markdown uses an HTML comment before the line', async () => {
    const root = writeRepo({ 'README.md': '# Demo\n<!-- pypi-release-lint-disable core/parse-error -->\nText\n' });
    const findings = await lint(root, { rules: ENGINE_RULES });
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['core/unused-suppression', 'README.md', 2]]);
  });
});
