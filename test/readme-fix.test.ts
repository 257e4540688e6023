import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreRules } from '../rules/core/index.js';
import { readmeRules } from '../rules/readme/index.js';
import { writeChanges } from '../src/engine/fix.js';
import type { Fix } from '../src/types.js';
import { BADGES_MISSING_MESSAGES, findingsOf, materialize, snapshotTree, runWith } from './helpers/fixtures.js';
import { COMPLETE_PYPROJECT, writeRepo } from './helpers/repo.js';

const RULES = [...coreRules, ...readmeRules];

/** The original bytes with the fix's edits applied: what the file must be afterwards, byte for byte. */
function applyEdits(original: string, fix: Fix, file: string): string {
  return fix.edits
    .filter((edit) => edit.file === file)
    .sort((a, b) => b.start - a.start)
    .reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), original);
}

/**
 * Lints (the readme/badges findings must carry `messages`, in order), applies the safe fixes and writes
 * them, then checks: only `file` changed, and exactly by the
 * fix's own edits; a re-lint has no `readme/badges` finding; a second --fix run changes nothing.
 */
async function fixAndCheck(root: string, file: string, line: number, messages: string[]): Promise<string> {
  const before = snapshotTree(root);
  const found = findingsOf((await runWith(root, RULES, {})).findings, 'readme/badges');
  // Every missing badge is reported where the badges go: at the first badge already there, else at the first heading.
  expect(found.map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual(messages.map((message) => ['readme/badges', file, line, message]));
  const fix = found[0]!.fix!;
  expect(fix.applicability).toBe('safe');
  expect(found.every((finding) => finding.fix === fix)).toBe(true);

  const result = await runWith(root, RULES, { fix: 'safe' });
  expect([...result.changes.keys()]).toEqual([file]);
  writeChanges(root, result.changes);

  const after = snapshotTree(root);
  for (const [name, bytes] of before) if (name !== file) expect(after.get(name)?.equals(bytes), name).toBe(true);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  const written = fs.readFileSync(path.join(root, file), 'utf8');
  expect(written).toBe(applyEdits(before.get(file)!.toString('utf8'), fix, file));

  expect(findingsOf((await runWith(root, RULES, {})).findings, 'readme/badges')).toEqual([]);
  const again = await runWith(root, RULES, { fix: 'safe' });
  expect(again.changes.size).toBe(0);
  return written;
}

describe('readme/badges --fix', () => {
  it('puts the six publish badges of a README with none under the first heading, as the seed README had them', async () => {
    const root = materialize('badges-missing');
    const written = await fixAndCheck(root, 'README.md', 1, BADGES_MISSING_MESSAGES);
    const seed = fs.readFileSync(new URL('../fixtures/open-ticket-ai/README.md', import.meta.url), 'utf8');
    // The seed README minus its CI badge (ci.yml publishes nothing, so nothing asks for it).
    expect(written).toBe(seed.replace(/^\[!\[CI\].*\n/m, ''));
  });

  it('adds the missing status badge after the existing ones, one per line as they are', async () => {
    const root = materialize('renamed-workflow-badge');
    const written = await fixAndCheck(root, 'README.md', 3, ['README.md has no status badge of publish-hf-local.yml, the workflow that publishes open-ticket-ai-hf-local']);
    expect(written.split('\n')[9]).toBe(
      '[![publish-hf-local](https://github.com/softoft-orga/open-ticket-ai/actions/workflows/publish-hf-local.yml/badge.svg)](https://github.com/softoft-orga/open-ticket-ai/actions/workflows/publish-hf-local.yml)',
    );
    expect(written.split('\n')[10]).toBe('');
  });

  it('adds reST substitutions: references on the badge line, definitions after the last one', async () => {
    const root = materialize('rst-readme');
    const written = await fixAndCheck(root, 'README.rst', 6, [
      'README.rst has no PyPI version badge for open-ticket-ai-hf-local (published by publish-hf-local.yml)',
      'README.rst has no status badge of publish-hf-local.yml, the workflow that publishes open-ticket-ai-hf-local',
    ]);
    expect(written.split('\n')[3]).toBe('|pypi-core| |publish-core| |pypi-otobo| |publish-otobo| |pypi-open-ticket-ai-hf-local| |publish-hf-local|');
    expect(written).toContain(
      '   :alt: publish-otobo-znuny\n' +
        '.. |pypi-open-ticket-ai-hf-local| image:: https://img.shields.io/pypi/v/open-ticket-ai-hf-local\n' +
        '   :target: https://pypi.org/project/open-ticket-ai-hf-local/\n' +
        '   :alt: PyPI - open-ticket-ai-hf-local\n' +
        '.. |publish-hf-local| image:: https://github.com/softoft-orga/open-ticket-ai/actions/workflows/publish-hf-local.yml/badge.svg\n' +
        '   :target: https://github.com/softoft-orga/open-ticket-ai/actions/workflows/publish-hf-local.yml\n' +
        '   :alt: publish-hf-local\n\n',
    );
  });

  it('keeps CRLF line ends and the query string (style) of the existing badges', async () => {
    const readme = '# demo\r\n\r\n[![docs](https://img.shields.io/pypi/l/demo?style=flat-square)](https://pypi.org/project/demo/)\r\n\r\nText.\r\n';
    const root = writeRepo({
      'pyproject.toml': `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nrepository = "o/r"\n`,
      'README.md': readme,
      '.github/workflows/publish.yml': 'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build\n      - run: twine upload dist/*\n',
    });
    const result = await runWith(root, RULES, { fix: 'safe' });
    writeChanges(root, result.changes);
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(
      '# demo\r\n\r\n[![docs](https://img.shields.io/pypi/l/demo?style=flat-square)](https://pypi.org/project/demo/)\r\n' +
        '[![PyPI - demo](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/)\r\n' +
        '[![publish](https://github.com/o/r/actions/workflows/publish.yml/badge.svg)](https://github.com/o/r/actions/workflows/publish.yml)\r\n\r\nText.\r\n',
    );
    expect(findingsOf((await runWith(root, RULES, {})).findings, 'readme/badges')).toEqual([]);
  });

  it('offers no workflow badge without owner/repo, and still adds the PyPI one', async () => {
    const root = writeRepo({
      'pyproject.toml': COMPLETE_PYPROJECT,
      'README.md': '# demo\n\nText.\n',
      '.github/workflows/publish.yml': 'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build\n      - run: twine upload dist/*\n',
    });
    const found = findingsOf((await runWith(root, RULES, {})).findings, 'readme/badges');
    expect(found.map((finding) => [finding.message, finding.fix?.edits.map((edit) => edit.text)])).toEqual([
      ['README.md has no PyPI version badge for demo (published by publish.yml)', ['\n\n[![PyPI - demo](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/)']],
      ['README.md has no status badge of publish.yml, the workflow that publishes demo (owner/repo unknown: set repository in the config or add a git remote so --fix can add it)', undefined],
    ]);
  });
});
