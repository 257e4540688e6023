import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreRules } from '../rules/core/index.js';
import { readmeRules } from '../rules/readme/index.js';
import { secretsRules } from '../rules/secrets/index.js';
import { ConfigError } from '../src/config/load.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lint, materialize, readManifest } from './helpers/fixtures.js';

/**
 * Every fixture variant against its manifest: the secrets/* and readme/* findings are exactly the
 * defects it lists for those rules (rule, file, line), so these rules fire where a variant says and
 * nowhere else. Variants of other bases than the seed repository are compared for the secrets rules
 * and for the readme rules other than readme/badges: their base READMEs show the badges of some
 * packages only, which readme/badges reports on the base itself (see the last test).
 */
const RULES = [...coreRules, ...secretsRules, ...readmeRules];
const MINE = /^(secrets|readme)\//;
const variants = fs.readdirSync(path.join(FIXTURES, 'variants')).filter((name) => fs.existsSync(path.join(FIXTURES, 'variants', name, 'variant.json'))).sort();

async function findingsOrConfigError(root: string, extendSelect: string[]): Promise<Finding[] | 'config-error'> {
  try {
    return await lint(root, { rules: RULES, extendSelect });
  } catch (error) {
    if (error instanceof ConfigError) return 'config-error';
    throw error;
  }
}

describe('secrets and readme findings match every variant manifest', () => {
  it('fixtures/open-ticket-ai: none', async () => {
    expect((await lint(BASE_FIXTURE, { rules: RULES })).filter((finding) => MINE.test(finding.ruleId))).toEqual([]);
  });

  it.each(variants)('%s', async (name) => {
    const manifest = readManifest(name);
    const compared = manifest.base === 'open-ticket-ai' ? (rule: string) => MINE.test(rule) : (rule: string) => MINE.test(rule) && rule !== 'readme/badges';
    const root = materialize(name);
    const defects = (manifest.defects ?? []).filter((defect) => compared(defect.rule));
    // By default the defects without selectWith; with the hygiene checks selected, all of them.
    for (const [expected, extendSelect] of [
      [defects.filter((defect) => defect.selectWith === undefined), []],
      [defects, ['hygiene']],
    ] as const) {
      const findings = await findingsOrConfigError(root, [...extendSelect]);
      if (findings === 'config-error') {
        expect((manifest.defects ?? []).map((defect) => defect.rule)).toContain('core/config');
        expect(expected).toEqual([]);
        return;
      }
      const found = findings.filter((finding) => compared(finding.ruleId)).map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`);
      expect(found.sort()).toEqual(expected.map((defect) => `${defect.rule} ${defect.file}:${defect.line}`).sort());
    }
  });

  it('the other base repositories: only readme/badges, for the packages whose badges their READMEs leave out', async () => {
    const summary = async (base: string): Promise<string[]> =>
      (await lint(path.join(FIXTURES, base), { rules: RULES })).filter((finding) => MINE.test(finding.ruleId)).map((finding) => `${finding.ruleId} ${finding.file}:${finding.line} ${finding.message}`);
    expect(await summary('workflows/uv-monorepo')).toEqual([
      'readme/badges README.md:3 README.md has no PyPI version badge for 3 published packages: acme-jira (published by publish-integration.yml), acme-slack (published by publish-integration.yml), acme-zendesk (published by publish-integration.yml)',
      'readme/badges README.md:3 README.md has no status badge of publish-integration.yml, the workflow that publishes acme-jira, acme-slack, acme-zendesk',
    ]);
    expect(await summary('workflows/inherit-caller')).toEqual([
      'readme/badges README.md:1 README.md has no PyPI version badge for tiny-lib (published by release.yml)',
      'readme/badges README.md:1 README.md has no status badge of release.yml, the workflow that publishes tiny-lib',
    ]);
    expect(await summary('pyproject/src-layout-plugins')).toEqual([]);
    expect(await summary('pyproject/uv-workspace')).toEqual([]);
  });
});
