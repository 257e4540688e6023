import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, materialize, readManifest } from './helpers/fixtures.js';
import { lintRepo } from './helpers/pyproject.js';

/**
 * The shared variants of fixtures/open-ticket-ai list every seeded defect in variant.json, and
 * apart from those they lint clean: the pyproject rules must find exactly the pyproject defects,
 * those marked `selectWith` only once the hygiene checks are selected.
 */
const VARIANTS = fs
  .readdirSync(path.join(FIXTURES, 'variants'))
  .filter((name) => fs.existsSync(path.join(FIXTURES, 'variants', name, 'variant.json')))
  .map((name) => ({ name, manifest: readManifest(name) }))
  // core/config makes the run stop (exit 2) before any rule runs.
  .filter(({ manifest }) => manifest.base === 'open-ticket-ai' && !(manifest.defects ?? []).some((defect) => defect.rule === 'core/config'));

describe('pyproject rules on the shared variants', () => {
  it.each(VARIANTS.map(({ name, manifest }) => [name, manifest] as const))('%s: exactly its pyproject defects', async (name, manifest) => {
    const root = materialize(name);
    const defects = (manifest.defects ?? []).filter((defect) => defect.rule.startsWith('pyproject/'));
    const keys = (list: { rule?: string; ruleId?: string; file: string; line: number }[]): string[] => list.map((item) => `${item.rule ?? item.ruleId} ${item.file}:${item.line}`).sort();
    const found = async (extendSelect: string[]): Promise<string[]> => keys((await lintRepo(root, { extendSelect })).findings.filter((finding) => finding.ruleId.startsWith('pyproject/')));
    expect(await found([])).toEqual(keys(defects.filter((defect) => defect.selectWith === undefined)));
    expect(await found(['hygiene'])).toEqual(keys(defects));
  });
});
