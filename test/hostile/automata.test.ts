/**
 * Tag patterns built to blow up the automata of workflow/tag-overlap and workflow/tag-version: a
 * DFA that doubles with every `[ab]`, ordered negations whose product is exponential, 500 workflows
 * of 50 patterns each, and a backtracking worst case against a long package name. Each run ends
 * within the suite's limits, exit 1, with one finding that names what could not be decided.
 */
import { describe, expect, it } from 'vitest';
import { checkout, lintJson, ofRule, publishWorkflow, PYPROJECT, snapshot } from './support.js';

const workflow = (name: string): string => `.github/workflows/${name}`;

describe('workflow/tag-overlap on patterns built to blow up', () => {
  it('an exponential DFA (**a[ab]…[ab] against **c): one finding at the hardest pattern', () => {
    const hard = `**a${'[ab]'.repeat(22)}`;
    const root = checkout({ [workflow('hard.yml')]: publishWorkflow('hard', [hard]), [workflow('other.yml')]: publishWorkflow('other', ['**c']) });
    const before = snapshot(root);
    const { status, findings } = lintJson(root);
    expect(status).toBe(1);
    const [finding, ...rest] = ofRule(findings, 'workflow/tag-overlap');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ file: workflow('hard.yml'), line: 5, column: 9, severity: 'error' });
    expect(finding!.message).toContain('too complex to decide for one pair (hard.yml and other.yml; hardest: "**a[ab][ab]');
    expect(finding!.message).toContain('(hard.yml line 5)');
    expect(snapshot(root)).toEqual(before);
  });

  it('alternating `!` negations (a product of 2^20 states): one finding', () => {
    const letters = 'abcdefghijklmnopqrst';
    const alternating = [...letters].map((letter, index) => `${index % 2 ? '!' : ''}*${letter}*`);
    const root = checkout({ [workflow('negations.yml')]: publishWorkflow('negations', [...alternating, '!**#']), [workflow('hash.yml')]: publishWorkflow('hash', ['**#']) });
    const { findings } = lintJson(root);
    const overlap = ofRule(findings, 'workflow/tag-overlap');
    expect(overlap).toHaveLength(1);
    expect(overlap[0]!.file).toMatch(/^\.github\/workflows\/(negations|hash)\.yml$/);
    expect(overlap[0]!.message).toMatch(/^whether a tag triggers two publish workflows is too complex to decide for one pair \(hash\.yml and negations\.yml; hardest: /);
  });

  it('500 workflows of 50 `*v[0-9]+…` patterns: the pair work stops at its budget, one finding says where', () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 500; index++) {
      files[workflow(`p${index}.yml`)] = publishWorkflow(`p${index}`, Array.from({ length: 50 }, (_, k) => `*v[0-9]+.[0-9]+.[0-9]+-w${index}-p${k}`));
    }
    const { findings } = lintJson(checkout(files), [], { timeoutMs: 40_000 });
    const overlap = ofRule(findings, 'workflow/tag-overlap');
    expect(overlap).toHaveLength(1);
    const next = /the work limit ran out after (\d+) pairs of publish workflows whose tag prefixes could overlap were compared; the rest \(the next: (p\d+\.yml) and p\d+\.yml\) were not/.exec(overlap[0]!.message);
    expect(next, overlap[0]!.message).not.toBeNull();
    expect(Number(next![1])).toBeGreaterThan(10);
    expect(overlap[0]).toMatchObject({ file: workflow(next![2]!), line: 4 });
  });
});

describe('workflow/tag-version against a long name', () => {
  it('`*a*a*a*a*a*a*a*a*b` and a 2000-character package name: decided, linear, the usual finding', () => {
    const pattern = '*a*a*a*a*a*a*a*a*b';
    const root = checkout({ 'pyproject.toml': PYPROJECT('a'.repeat(2000)), [workflow('publish.yml')]: publishWorkflow('publish', [pattern]) });
    const { findings } = lintJson(root);
    const [finding, ...rest] = ofRule(findings, 'workflow/tag-version').filter((candidate) => candidate.message.startsWith('tag '));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ file: workflow('publish.yml'), line: 5 });
    expect(finding!.message).toContain(`is not matched by "${pattern}": releasing this version with this tag prefix would not trigger publish.yml`);
  });
});
