/**
 * Memory bounded by the input: 100 packages with 130 KB pyprojects (13 MB), each with a finding
 * that needs positions in its file, once linted and once fixed, under a 128 MB heap. Positions used
 * to keep toml-eslint-parser's whole tree per file (about 5 MB for such a pyproject: 1.3 GB to lint
 * 200 of them, 2.5 GB to fix); a file now keeps a small index of its keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMonorepo, padPyprojects } from '../../bench/generate.mjs';
import { checkout, lintJson, ofRule } from './support.js';

const PACKAGES = 100;
// 128 MB of heap for 13 MB of pyprojects: the linter's own code and the parsed values take most of
// it; the trees positions were read from took 5 MB a file, 500 MB here.
const LIMITS = { maxOldSpaceMb: 128, timeoutMs: 40_000 };
/** The duplicate classifier is a hygiene check, off by default. */
const SELECT_DUPLICATES = ['--extend-select', 'pyproject/classifiers/duplicate'];

/** The bench's monorepo, each pyproject padded to ~130 KB with a duplicated classifier (a safe fix) in each. */
function bigMonorepo(): string {
  const root = checkout({});
  generateMonorepo(root, PACKAGES);
  padPyprojects(root, PACKAGES);
  return root;
}

describe('memory stays within a few times the input', () => {
  it('lints and fixes 100 packages of 130 KB pyprojects under a 128 MB heap', () => {
    const root = bigMonorepo();
    const input = fs.statSync(path.join(root, 'packages/pkg0/pyproject.toml')).size * PACKAGES;
    expect(input).toBeGreaterThan(12 * 1024 * 1024);

    const lint = lintJson(root, SELECT_DUPLICATES, LIMITS);
    const duplicates = ofRule(lint.findings, 'pyproject/classifiers');
    expect(duplicates).toHaveLength(PACKAGES);
    expect(duplicates[0]).toMatchObject({ file: 'packages/pkg0/pyproject.toml', line: 14 });

    const fixed = lintJson(root, ['--fix', ...SELECT_DUPLICATES], LIMITS);
    expect(ofRule(fixed.findings, 'pyproject/classifiers')).toEqual([]);
    expect(fixed.stderr).toMatch(/^fixed 100 files: /);
    expect(fs.readFileSync(path.join(root, 'packages/pkg7/pyproject.toml'), 'utf8')).toContain('classifiers = ["Programming Language :: Python :: 3.10"]');
  });
});
