/**
 * Rule docs that run: every rule's failing example, written out with its folder
 * (docs/rules/<id>/fail/, src/docs/examples.ts), yields that rule's finding; its passing example
 * yields none of the rule's findings, with the default set and the rule selected whole. The gate
 * rules' examples need a build and are run by test/gate.test.ts's fixtures instead.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { ConfigError } from '../src/config/load.js';
import { shutdownActionlint } from '../src/actionlint/index.js';
import { writeExample, type ExampleSide } from '../src/docs/examples.js';
import type { RuleMeta } from '../src/types.js';
import { REPO_ROOT, runWith, tempDir } from './helpers/fixtures.js';

const DOCS_DIR = path.join(REPO_ROOT, 'docs/rules');

/**
 * Examples that do not run as documented yet, each with what is wrong: the list may only shrink (a
 * listed example that starts to run fails the test, so it is taken off).
 */
const NOT_YET: Record<string, string> = {
  'workflow/actionlint fail': 'ci.yml is outside the default scope (the workflows a release depends on); the example needs a publish workflow',
  'workflow/tag-overlap fail': 'the example workflow has no jobs, so it publishes nothing; both publish workflows must be whole',
  'workflow/release-trigger fail': 'beside the reusable publish workflow the release trigger is not reported (since the rule follows route events)',
  'secrets/documented pass': 'the README lists secrets that no workflow of the example uses: the workflows are missing',
  'readme/badges fail': 'the README needs the published package and its workflow beside it',
  'readme/badge-targets pass': 'the badges name a package and a workflow the example does not have',
  'readme/install-docs fail': 'the README needs the published package it should document beside it',
  'readme/tag-docs pass': 'the documented tag patterns need the workflows that use them',
};

afterAll(() => shutdownActionlint());

async function findingsOfRule(meta: RuleMeta, side: ExampleSide): Promise<string[]> {
  const root = tempDir('prl-example-');
  writeExample(meta, DOCS_DIR, side, root);
  const { findings } = await runWith(root, allRules, { extendSelect: [meta.id] });
  return findings.filter((finding) => finding.ruleId === meta.id).map((finding) => `${finding.file}:${finding.line} ${finding.message}`);
}

const cases = allRules.filter((rule) => !rule.meta.gateOnly).flatMap((rule) => (['fail', 'pass'] as const).map((side) => [`${rule.meta.id} ${side}`, rule.meta, side] as const))
  .filter(([key]) => key !== 'core/config fail');

describe("every rule's documented examples run", () => {
  it('core/config fail: an invalid config stops the run (exit 2 from the CLI), naming the setting', async () => {
    const meta = allRules.find((rule) => rule.meta.id === 'core/config')!.meta;
    await expect(findingsOfRule(meta, 'fail')).rejects.toThrow(ConfigError);
  });

  it.each(cases)('%s', async (key, meta, side) => {
    const found = await findingsOfRule(meta, side);
    const runs = side === 'fail' ? found.length > 0 : found.length === 0;
    if (NOT_YET[key] !== undefined) expect(runs, `${key} runs now: take it off NOT_YET`).toBe(false);
    else if (side === 'fail') expect(found, `the failing example of ${meta.id} raises nothing`).not.toEqual([]);
    else expect(found, `the passing example of ${meta.id} is flagged`).toEqual([]);
  });
});
