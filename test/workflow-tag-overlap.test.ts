import path from 'node:path';
import { describe, expect, it } from 'vitest';
import tagOverlap from '../rules/workflow/tag-overlap.js';
import { loadProject } from '../src/engine/run.js';
import { workflowModels } from '../src/plan/release-plan.js';
import type { Finding } from '../src/types.js';
import { isValidGitTagName, tagFilterMatches } from '../src/workflow/tag-filter.js';
import { BASE_FIXTURE, CATALOG, FIXTURES, materialize, runWith } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const RULE = 'workflow/tag-overlap';

async function run(root: string) {
  const result = await runWith(root, [tagOverlap], {});
  return { project: loadProject(root, { catalog: CATALOG }), findings: result.findings.filter((finding) => finding.ruleId === RULE) };
}

const where = (finding: Finding): string => `${finding.file}:${finding.line}:${finding.column}`;

/**
 * The witness tag of a finding really triggers both workflows it names: checked with the filter
 * matcher on the workflows as the project parsed them, and against git's tag-name rules.
 */
async function expectWitnessMatchesBoth(root: string, finding: Finding): Promise<void> {
  const match = /^tag "([^"]+)" triggers both (\S+) \(line \d+\) and (\S+) \(line \d+\)/.exec(finding.message);
  expect(match, finding.message).not.toBeNull();
  const [, witness, first, second] = match!;
  const project = loadProject(root, { catalog: CATALOG });
  const models = workflowModels(project);
  for (const name of [first!, second!]) {
    const workflow = models.find((candidate) => candidate.name === name);
    expect(workflow, name).toBeDefined();
    expect(tagFilterMatches(workflow!.triggers.pushTags, witness!), `${witness} against ${name}`).toBe(true);
  }
  expect(isValidGitTagName(witness!)).toBe(true);
}

describe('workflow/tag-overlap', () => {
  it('passes the good repos (per-package prefixes, a CI and a docs workflow sharing the publisher\'s tags)', async () => {
    expect((await run(BASE_FIXTURE)).findings).toEqual([]);
    expect((await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).findings).toEqual([]);
  });

  it('names the shortest witness, both files and lines, once per pair (variant tag-overlap)', async () => {
    const root = materialize('tag-overlap');
    const { findings } = await run(root);
    expect(findings.map(where)).toEqual(['.github/workflows/publish-hf-local.yml:7:9', '.github/workflows/publish-hf-local.yml:7:9']);
    expect(findings.map((finding) => finding.severity)).toEqual(['error', 'error']);
    expect(findings.map((finding) => finding.endColumn)).toEqual([27, 27]);
    const messages = findings.map((finding) => finding.message).sort();
    expect(messages[0]).toContain('tag "open-ticket-ai-otobo-znuny-v" triggers both publish-otobo-znuny.yml (line 7) and publish-hf-local.yml (line 7)');
    expect(messages[0]).toContain('"open-ticket-ai-otobo-znuny-v*" and "open-ticket-ai-*" both accept it');
    expect(messages[0]).toContain('publish-otobo-znuny.yml: open-ticket-ai-otobo-znuny-plugin; publish-hf-local.yml: open-ticket-ai-hf-local');
    expect(messages[1]).toContain('tag "open-ticket-ai-v" triggers both publish-open-ticket-ai.yml (line 6) and publish-hf-local.yml (line 7)');
    for (const finding of findings) await expectWitnessMatchesBoth(root, finding);
  });

  it('catches two copies of the same caller: one package published twice', async () => {
    const root = materialize('duplicate-caller');
    const { findings } = await run(root);
    expect(findings.map(where)).toEqual(['.github/workflows/publish-hf-local.yml:6:9']);
    expect(findings[0]!.message).toBe(
      'tag "hf-local-v" triggers both publish-hf-local-copy.yml (line 6) and publish-hf-local.yml (line 6): "hf-local-v*" and "hf-local-v*" both accept it, ' +
        'so pushing it publishes open-ticket-ai-hf-local twice (the second upload of the same version fails)',
    );
    await expectWitnessMatchesBoth(root, findings[0]!);
  });

  it('compares a many-packages workflow with a leftover single-package one, reporting at the broader pattern', async () => {
    const root = materialize('integrations-overlap');
    const { findings } = await run(root);
    expect(findings.map(where)).toEqual(['.github/workflows/release-integrations.yml:8:9']);
    expect(findings[0]!.message).toContain('tag "integrations/acme-slack-v0.0.0" triggers both publish-slack.yml (line 7) and release-integrations.yml (line 8)');
    expect(findings[0]!.message).toContain('(publish-slack.yml: acme-slack; release-integrations.yml: acme-slack, acme-jira, acme-zendesk)');
    await expectWitnessMatchesBoth(root, findings[0]!);
  });

  it('points at the push trigger when a publish workflow takes every tag', async () => {
    const root = materialize('loose-triggers');
    const { findings } = await run(root);
    expect(findings.map(where)).toEqual(['.github/workflows/publish-core.yml:4:3']);
    expect(findings[0]!.message).toContain('tag "integrations/-v0.0.0" triggers both release-integrations.yml (line 8) and publish-core.yml (line 4)');
    expect(findings[0]!.message).toContain('a push trigger with no tag filter');
    await expectWitnessMatchesBoth(root, findings[0]!);
  });

  it('reports an invalid pattern at its offending character', async () => {
    const { findings } = await run(materialize('invalid-tag-pattern'));
    expect(findings.map(where)).toEqual(['.github/workflows/publish-otobo-znuny.yml:6:23']);
    expect(findings[0]!.message).toBe('tag pattern "otobo-znuny-v[0-9" is invalid (unclosed `[`, column 14): GitHub rejects it, so it triggers no release');
  });

  it('applies tags-ignore and ordered negation exactly', async () => {
    const job = '\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build\n      - run: twine upload dist/*\n';
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n',
      '.github/workflows/a.yml': `on:\n  push:\n    tags:\n      - "v*"\n      - "!v*-rc*"${job}`,
      '.github/workflows/b.yml': `on:\n  push:\n    tags:\n      - "v*-rc*"${job}`,
      '.github/workflows/c.yml': `on:\n  push:\n    tags-ignore:\n      - "v*"${job}`,
    });
    const { findings } = await run(root);
    // a and b are disjoint (negation), b and c are disjoint (ignored), a and c are disjoint: no finding.
    expect(findings).toEqual([]);
  });

  it('scales by bucketing literal prefixes: 1000 publish workflows, one planted overlap', async () => {
    const files: Record<string, string> = { 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n' };
    const job = '\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build\n      - run: twine upload dist/*\n';
    for (let i = 0; i < 1000; i++) files[`.github/workflows/publish-${i}.yml`] = `on:\n  push:\n    tags:\n      - "pkg${i}-v[0-9]+.[0-9]+.[0-9]+"${job}`;
    files['.github/workflows/publish-extra.yml'] = `on:\n  push:\n    tags:\n      - "pkg17-*"${job}`;
    const root = writeRepo(files);
    const started = Date.now();
    const { findings } = await run(root);
    const elapsed = Date.now() - started;
    expect(findings.map(where)).toEqual(['.github/workflows/publish-extra.yml:4:9']);
    expect(findings[0]!.message).toContain('tag "pkg17-v0.0.0" triggers both publish-17.yml (line 4) and publish-extra.yml (line 4)');
    // Comparing all ~500 000 pairs exactly takes minutes; the buckets leave a handful.
    expect(elapsed).toBeLessThan(20_000);
  });
});
