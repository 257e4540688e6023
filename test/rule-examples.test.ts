/**
 * Rule docs that run: every rule's failing example, written out with its folder
 * (docs/rules/<id>/fail/, src/docs/examples.ts), yields that rule's finding in the file its page shows; its passing example
 * yields none of the rule's findings, with the default set and the rule selected whole. The gate
 * rules' examples need a build and are run by test/gate.test.ts's fixtures instead.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { ConfigError } from '../src/config/load.js';
import { shutdownActionlint } from '../src/actionlint/index.js';
import { writeExample, type ExampleSide } from '../src/docs/examples.js';
import { maskSecrets } from '../src/format/mask.js';
import type { RuleMeta } from '../src/types.js';
import { REPO_ROOT, runWith, tempDir } from './helpers/fixtures.js';

const DOCS_DIR = path.join(REPO_ROOT, 'docs/rules');

afterAll(() => shutdownActionlint());

/** The rule's findings on the example, as `file:line message`. */
async function findingsOfRule(meta: RuleMeta, side: ExampleSide): Promise<string[]> {
  const root = tempDir('prl-example-');
  writeExample(meta, DOCS_DIR, side, root);
  const { findings } = await runWith(root, allRules, { extendSelect: [meta.id] });
  // The output masks anything that reads like a credential's value (`TOKEN: value`): no message may read so by accident.
  for (const finding of findings) expect(maskSecrets(finding.message), `${finding.ruleId} reads like a secret to the output's mask`).toBe(finding.message);
  return findings.filter((finding) => finding.ruleId === meta.id).map((finding) => `${finding.file}:${finding.line} ${finding.message}`);
}

const cases = allRules.filter((rule) => !rule.meta.gateOnly).flatMap((rule) => (['fail', 'pass'] as const).map((side) => [`${rule.meta.id} ${side}`, rule.meta, side] as const))
  .filter(([key]) => key !== 'core/config fail');

describe("every rule's documented examples run", () => {
  it('core/config fail: an invalid config stops the run (exit 2 from the CLI), naming the setting', async () => {
    const meta = allRules.find((rule) => rule.meta.id === 'core/config')!.meta;
    await expect(findingsOfRule(meta, 'fail')).rejects.toThrow(ConfigError);
  });

  it.each(cases)('%s', async (_key, meta, side) => {
    const found = await findingsOfRule(meta, side);
    if (side === 'pass') expect(found, `the passing example of ${meta.id} is flagged`).toEqual([]);
    else {
      // The folder's files only complete the repository: the finding the page illustrates is in the file it shows.
      const shown = meta.docs.failing.file;
      expect(found.filter((finding) => finding.startsWith(`${shown}:`)), `the failing example of ${meta.id} raises nothing in ${shown}: ${found.join('; ')}`).not.toEqual([]);
    }
  });
});
