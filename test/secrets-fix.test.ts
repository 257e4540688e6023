import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreRules } from '../rules/core/index.js';
import { secretsRules } from '../rules/secrets/index.js';
import { writeChanges } from '../src/engine/fix.js';
import type { Finding, Fix } from '../src/types.js';
import { findingsOf, materialize, snapshotTree, runWith } from './helpers/fixtures.js';

const RULES = [...coreRules, ...secretsRules];

function applyEdits(original: string, fix: Fix, file: string): string {
  return fix.edits
    .filter((edit) => edit.file === file)
    .sort((a, b) => b.start - a.start)
    .reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), original);
}

const undocumented = (findings: Finding[]): Finding[] => findingsOf(findings, 'secrets/documented').filter((finding) => finding.message.startsWith('secret '));

/** The finding both variants fix: the otobo-znuny plugin's token, named in no doc. */
const OTOBO_TOKEN_UNDOCUMENTED = [
  'secrets/documented',
  '.github/workflows/publish-otobo-znuny.yml',
  27,
  'secret PYPI_API_TOKEN_OTOBO_ZNUNY, read by publish workflow publish-otobo-znuny.yml, is named nowhere in README.md, docs/SETUP_INSTRUCTIONS.md, docs/pypi_release_process.md and 1 more: ' +
    'whoever sets up the repository will not create it; name it there (--fix adds it to the secrets table), or add it to known-secrets in the config if it is set up elsewhere',
];
const staleLegacyToken = (doc: string): string =>
  `${doc} lists secret PYPI_API_TOKEN_LEGACY, which no workflow reads, declares or passes; remove it, or add it to known-secrets in the config if something outside this repository uses it`;

/** Applies the secrets/documented fix, checks the bytes, re-lints and runs --fix again. Returns the changed files' texts. */
async function fixAndCheck(root: string, files: string[]): Promise<Map<string, string>> {
  const before = snapshotTree(root);
  const found = undocumented((await runWith(root, RULES, {})).findings);
  expect(found.map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([OTOBO_TOKEN_UNDOCUMENTED]);
  const fix = found[0]!.fix!;
  expect(fix.applicability).toBe('safe');

  const result = await runWith(root, RULES, { fix: 'safe' });
  expect([...result.changes.keys()].sort()).toEqual(files);
  writeChanges(root, result.changes);

  const after = snapshotTree(root);
  const written = new Map<string, string>();
  for (const [name, bytes] of before) {
    if (!files.includes(name)) {
      expect(after.get(name)?.equals(bytes), name).toBe(true);
      continue;
    }
    const text = fs.readFileSync(path.join(root, name), 'utf8');
    expect(text).toBe(applyEdits(bytes.toString('utf8'), fix, name));
    written.set(name, text);
  }
  expect(undocumented((await runWith(root, RULES, {})).findings)).toEqual([]);
  expect((await runWith(root, RULES, { fix: 'safe' })).changes.size).toBe(0);
  return written;
}

describe('secrets/documented --fix', () => {
  it('adds the missing secret as a table row and as a list item, in their styles; then secrets/documented is clean', async () => {
    const root = materialize('secret-missing-from-docs');
    const written = await fixAndCheck(root, ['README.md', 'docs/SETUP_INSTRUCTIONS.md']);
    expect(written.get('README.md')!.split('\n').slice(66, 72)).toEqual([
      '| Secret | Package |',
      '|---|---|',
      '| `PYPI_API_TOKEN` | open-ticket-ai |',
      '| `PYPI_API_TOKEN_HF_LOCAL` | open-ticket-ai-hf-local |',
      '| `PYPI_API_TOKEN_OTOBO_ZNUNY` | open-ticket-ai-otobo-znuny-plugin |',
      '',
    ]);
    expect(written.get('docs/SETUP_INSTRUCTIONS.md')!.split('\n').slice(19, 23)).toEqual([
      '- `PYPI_API_TOKEN`: used by publish-open-ticket-ai.yml to upload open-ticket-ai',
      '- `PYPI_API_TOKEN_HF_LOCAL`: used by publish-hf-local.yml to upload open-ticket-ai-hf-local',
      '- `PYPI_API_TOKEN_OTOBO_ZNUNY`: used by publish-otobo-znuny.yml to upload open-ticket-ai-otobo-znuny-plugin',
      '',
    ]);
    expect(findingsOf((await runWith(root, RULES, {})).findings, 'secrets/documented')).toEqual([]);
  });

  it('fills every column of a wider table; the stale name stays (it is not removed automatically)', async () => {
    const root = materialize('undocumented-secret');
    const written = await fixAndCheck(root, ['README.md', 'docs/SETUP_INSTRUCTIONS.md']);
    expect(written.get('docs/SETUP_INSTRUCTIONS.md')!.split('\n')[24]).toBe('| `PYPI_API_TOKEN_OTOBO_ZNUNY` | open-ticket-ai-otobo-znuny-plugin | publish-otobo-znuny.yml |');
    expect(written.get('README.md')!.split('\n')[71]).toBe('| `PYPI_API_TOKEN_OTOBO_ZNUNY` | open-ticket-ai-otobo-znuny-plugin |');
    expect(findingsOf((await runWith(root, RULES, {})).findings, 'secrets/documented').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['secrets/documented', 'README.md', 71, staleLegacyToken('README.md')],
      ['secrets/documented', 'docs/SETUP_INSTRUCTIONS.md', 24, staleLegacyToken('docs/SETUP_INSTRUCTIONS.md')],
    ]);
  });
});
