import { describe, expect, it } from 'vitest';
import { lint } from './helpers/fixtures.js';
import { ENGINE_RULES, writeRepo } from './helpers/repo.js';

const NO_BUILD_SYSTEM = '[project]\nname = "demo"\nversion = "1.0"\n';
/** core/unused-suppression is a hygiene check, off by default. */
const UNUSED = ['core/unused-suppression'];

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
    const findings = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/metadata=off'], extendSelect: UNUSED });
    expect(findings.map((finding) => [finding.ruleId, finding.line, finding.severity, finding.category])).toEqual([
      ['pyproject/build-system', 1, 'error', 'release'],
      ['core/unused-suppression', 4, 'warning', 'hygiene'],
    ]);
    expect(findings[1]!.message).toBe('the suppression of "pyproject/build-system" suppresses nothing; remove it');
    // Off by default; a severity set for it selects it.
    expect((await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/metadata=off'] })).map((finding) => finding.ruleId)).toEqual(['pyproject/build-system']);
    const asError = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/metadata=off', 'core/unused-suppression=error'] });
    expect(asError.map((finding) => [finding.ruleId, finding.severity])).toEqual([
      ['pyproject/build-system', 'error'],
      ['core/unused-suppression', 'error'],
    ]);
  });

  it('a suppression of a finding whose kind is not selected is used, not reported', async () => {
    const unbounded = '[build-system]\nrequires = ["setuptools"]  # pypi-release-lint: disable=pyproject/build-system\nbuild-backend = "setuptools.build_meta"\n\n';
    const root = writeRepo({ 'pyproject.toml': `${unbounded}${NO_BUILD_SYSTEM}` });
    const options = { rules: ENGINE_RULES, ruleOverrides: ['pyproject/metadata=off'] };
    // The backend-lower-bound kind is off by default: the comment still suppresses it.
    expect(await lint(root, { ...options, extendSelect: UNUSED })).toEqual([]);
    expect(await lint(root, { ...options, extendSelect: [...UNUSED, 'pyproject/build-system/backend-lower-bound'] })).toEqual([]);
    const unsuppressed = writeRepo({ 'pyproject.toml': `${unbounded.replace('  # pypi-release-lint: disable=pyproject/build-system', '')}${NO_BUILD_SYSTEM}` });
    expect((await lint(unsuppressed, { ...options, extendSelect: ['hygiene'] })).map((finding) => [finding.ruleId, finding.kind, finding.line])).toEqual([
      ['pyproject/build-system', 'backend-lower-bound', 2],
    ]);
  });

  it('a suppression naming an unknown rule is reported; one for a rule switched off is not', async () => {
    const root = writeRepo({ 'pyproject.toml': `${NO_BUILD_SYSTEM}# pypi-release-lint: disable-file=pyproject/nope,pyproject/metadata\n` });
    const findings = await lint(root, { rules: ENGINE_RULES, ruleOverrides: ['pyproject/build-system=off', 'pyproject/metadata=off'], extendSelect: UNUSED });
    expect(findings.map((finding) => [finding.ruleId, finding.line, finding.message])).toEqual([
      ['core/unused-suppression', 4, 'the suppression of "pyproject/nope" names an unknown rule; remove it'],
    ]);
  });

  it('Markdown uses an HTML comment before the line', async () => {
    const root = writeRepo({ 'README.md': '# Demo\n<!-- pypi-release-lint-disable core/parse-error -->\nText\n' });
    const findings = await lint(root, { rules: ENGINE_RULES, extendSelect: UNUSED });
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['core/unused-suppression', 'README.md', 2]]);
  });
});
