import { describe, expect, it } from 'vitest';
import { defineRule } from '../src/engine/rule.js';
import { testMeta, writeRepo } from './helpers/repo.js';
import { runWith } from './helpers/fixtures.js';

describe('lintProject', () => {
  it('starts every check before awaiting any: a rule waiting on another does not block it', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    let secondStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    // Awaited one after the other, the first check would wait forever for the second to start.
    const waiting = defineRule({
      meta: testMeta('test/waiting'),
      async check({ project, report }) {
        await started;
        report({ file: project.rootPyproject!, location: { line: 1, column: 1 }, message: 'after the other started' });
      },
    });
    const starting = defineRule({
      meta: testMeta('test/starting'),
      check({ project, report }) {
        secondStarted();
        report({ file: project.rootPyproject!, location: { line: 2, column: 1 }, message: 'started' });
      },
    });
    const { findings } = await runWith(root, [waiting, starting]);
    // Sorted by position, whichever finished first.
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['test/waiting', 'pyproject.toml', 1, 'after the other started'],
      ['test/starting', 'pyproject.toml', 2, 'started'],
    ]);
  });
});
