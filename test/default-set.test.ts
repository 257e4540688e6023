import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules, ruleMetas } from '../rules/index.js';
import { shutdownActionlint } from '../src/actionlint/index.js';
import { ConfigError } from '../src/config/load.js';
import { codesOf, type Code } from '../src/engine/codes.js';
import { Memo } from '../src/engine/memo.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, materialize, readManifest, runWith } from './helpers/fixtures.js';

afterAll(async () => {
  await shutdownActionlint();
});

const CODES: Code[] = allRules.flatMap((rule) => codesOf(rule.meta));

/**
 * The contract of "quiet by default" (docs/rules/README.md): every release and security check runs;
 * of hygiene, only the policy checks users asked for by name; the rest is opt-in.
 */
describe('the default set', () => {
  it('is every release and security code, plus the named hygiene policy', () => {
    const on = CODES.filter((code) => code.enabledByDefault);
    expect(on.filter((code) => code.category === 'hygiene').map((code) => code.id)).toEqual([
      'pyproject/metadata/missing-required',
      'pyproject/readme/empty',
      'pyproject/dependencies/unconstrained',
      'secrets/documented',
      'readme/badges',
      'readme/badge-targets',
    ]);
    expect(CODES.filter((code) => code.category !== 'hygiene' && !code.enabledByDefault)).toEqual([]);
    expect(CODES.filter((code) => !code.enabledByDefault).map((code) => code.id)).toEqual([
      'core/unused-suppression',
      'pyproject/build-system/backend-lower-bound',
      'pyproject/schema/author-format',
      'pyproject/metadata/missing-recommended',
      'pyproject/dependencies/unconstrained-dev-extra',
      'pyproject/dependencies/exact-pin',
      'pyproject/dependencies/python-cap',
      'pyproject/sibling-dependencies/no-upper-bound',
      'pyproject/classifiers/deprecated-license-classifier',
      'pyproject/classifiers/python-contradiction',
      'pyproject/classifiers/duplicate',
      'pyproject/urls/not-https',
      'pyproject/urls/wrong-target',
      'pyproject/license/deprecated-identifier',
      'workflow/publish-steps/lenient-twine-check',
      'readme/install-docs',
      'readme/tag-docs',
    ]);
  });

  it('runs every rule but the hygiene-only ones (and the gate) on the seed fixture, which is clean even with all selected', async () => {
    const ran = new Set<string>();
    const spied: Rule[] = allRules.map((rule) => (rule.check ? { ...rule, check: (context) => (ran.add(rule.meta.id), rule.check!(context)) } : rule));
    const memo = new Memo();
    expect((await runWith(BASE_FIXTURE, spied, {}, { memo })).findings).toEqual([]);
    // The seed's config turns workflow/trusted-publishing off (one project-scoped token per package).
    expect(allRules.filter((rule) => rule.check && !rule.meta.gateOnly && !ran.has(rule.meta.id)).map((rule) => rule.meta.id)).toEqual([
      'workflow/trusted-publishing',
      'readme/install-docs',
      'readme/tag-docs',
    ]);
    expect(ran.size).toBe(allRules.filter((rule) => rule.check && !rule.meta.gateOnly).length - 3);
    expect((await runWith(BASE_FIXTURE, allRules, { select: ['all'] }, { memo })).findings).toEqual([]);
  });
});

describe("every rule's meta obeys the categories", () => {
  it.each(allRules.map((rule) => [rule.meta.id, rule.meta] as const))('%s', (_id, meta) => {
    for (const code of codesOf(meta)) {
      // Only release and security findings are errors by default.
      if (code.category === 'hygiene') expect(code.defaultSeverity, code.id).not.toBe('error');
      expect(code.description.trim(), code.id).not.toBe('');
      expect(code.description, code.id).not.toContain('\n');
      if (code.kind !== undefined) expect(code.kind, code.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
    if (meta.kinds) {
      // The rule's own category and severity are those of one of its kinds (its main one), and
      // whether it is on by default is decided per kind only.
      expect(codesOf(meta).some((code) => code.category === meta.category && code.defaultSeverity === meta.defaultSeverity), meta.id).toBe(true);
      expect(meta.enabledByDefault, meta.id).toBeUndefined();
      expect(Object.keys(meta.kinds).length, meta.id).toBeGreaterThan(1);
    }
  });
});

/**
 * Every defect planted in fixtures/variants is still reported by the default run, or is marked
 * `selectWith` (moved to a hygiene check that is off by default): then the default run leaves it
 * out and a run with that selector reports it. Findings are compared as (rule, file, line) counts,
 * since a variant may name the same place more than once (six missing badges at one heading).
 */
describe('every planted defect: reported by default, or moved to hygiene on purpose', () => {
  const variants = fs.readdirSync(path.join(FIXTURES, 'variants')).sort();
  const memo = new Memo();
  const count = (keys: string[]): Map<string, number> => keys.reduce((counts, key) => counts.set(key, (counts.get(key) ?? 0) + 1), new Map<string, number>());
  const keyOf = (item: { file: string; line: number }, rule: string): string => `${rule} ${item.file}:${item.line}`;

  async function findings(root: string, extendSelect: string[]): Promise<Finding[] | 'config-error'> {
    try {
      return (await runWith(root, allRules, { extendSelect }, { memo })).findings;
    } catch (error) {
      if (error instanceof ConfigError) return 'config-error';
      throw error;
    }
  }

  it.each(variants)('%s', async (name) => {
    const manifest = readManifest(name);
    // The gate's defects need real builds (test/gate.test.ts).
    const defects = (manifest.defects ?? []).filter((defect) => !defect.rule.startsWith('gate/'));
    const root = materialize(name);
    const byDefault = await findings(root, []);
    if (byDefault === 'config-error') {
      expect(defects.map((defect) => defect.rule)).toEqual(['core/config']);
      return;
    }
    const found = count(byDefault.map((finding) => keyOf(finding, finding.ruleId)));
    for (const [key, expected] of count(defects.filter((defect) => !defect.selectWith).map((defect) => keyOf(defect, defect.rule)))) {
      expect(found.get(key) ?? 0, `reported by default: ${key}`).toBeGreaterThanOrEqual(expected);
    }
    for (const defect of defects.filter((item) => item.selectWith)) {
      const moved = CODES.find((code) => code.id === defect.selectWith);
      expect(moved, defect.selectWith).toMatchObject({ ruleId: defect.rule, category: 'hygiene', enabledByDefault: false });
      const withIt = await findings(root, [defect.selectWith!]);
      const at = (list: Finding[]): Finding[] => list.filter((finding) => keyOf(finding, finding.ruleId) === keyOf(defect, defect.rule) && finding.kind === moved!.kind);
      expect(at(byDefault), `left out by default: ${defect.selectWith}`).toEqual([]);
      expect(at(withIt as Finding[]).length, `reported with --extend-select ${defect.selectWith}`).toBeGreaterThan(0);
    }
  });

  it('fixtures/README.md lists every variant with its defects, marking those off by default', () => {
    const readme = fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    const table = readme.slice(0, readme.indexOf('## Gate results'));
    for (const name of variants) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      const cell = (readManifest(name).defects ?? [])
        .map((defect) => `\`${defect.rule}\` ${defect.file}:${defect.line}${defect.selectWith ? ` (off by default: \`${defect.selectWith}\`)` : ''}`)
        .join('<br>');
      expect(row!.endsWith(` | ${cell} |`), name).toBe(true);
    }
  });
});

describe('the rules registry', () => {
  it('knows every code by the rule it belongs to', () => {
    for (const code of CODES) expect(ruleMetas.get(code.ruleId), code.id).toBeDefined();
  });
});
