import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseTOML } from 'toml-eslint-parser';
import { generateMonorepo } from '../bench/generate.mjs';
import { BASE_FIXTURE, lint, tempDir } from './helpers/fixtures.js';

// The positional TOML parser, counted: smol-toml reads every pyproject; this second, slower parse
// (toml-eslint-parser, with positions) is only for placing findings and fixes.
vi.mock('toml-eslint-parser', async (importOriginal) => {
  const original = await importOriginal<typeof import('toml-eslint-parser')>();
  return { ...original, parseTOML: vi.fn(original.parseTOML) };
});

const WITHOUT_ACTIONLINT = { ruleOverrides: ['workflow/actionlint=off'] };

describe('a run with nothing to report in pyproject.toml files', () => {
  it('never parses a pyproject for positions: the seed fixture', async () => {
    vi.mocked(parseTOML).mockClear();
    expect(await lint(BASE_FIXTURE, WITHOUT_ACTIONLINT)).toEqual([]);
    expect(vi.mocked(parseTOML)).not.toHaveBeenCalled();
  });

  it('never parses a pyproject for positions: a generated 20-package monorepo', async () => {
    const root = tempDir('prl-fast-');
    generateMonorepo(root, 20);
    vi.mocked(parseTOML).mockClear();
    const findings = await lint(root, WITHOUT_ACTIONLINT);
    expect(findings.filter((finding) => finding.file.endsWith('.toml'))).toEqual([]);
    expect(vi.mocked(parseTOML)).not.toHaveBeenCalled();
  });

  it('parses positions once a pyproject finding needs them, and places it', async () => {
    const root = tempDir('prl-fast-');
    generateMonorepo(root, 2);
    const file = path.join(root, 'packages/pkg1/pyproject.toml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('classifiers = ["Programming Language :: Python :: 3.10"]', 'classifiers = [\n  "Programming Language :: Python :: 3.10",\n  "Programming Language :: Python :: 3.10",\n]'));
    vi.mocked(parseTOML).mockClear();
    // A duplicate classifier is a hygiene kind, off by default.
    const findings = await lint(root, { ...WITHOUT_ACTIONLINT, extendSelect: ['pyproject/classifiers/duplicate'] });
    expect(findings.filter((finding) => finding.ruleId === 'pyproject/classifiers').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['pyproject/classifiers', 'packages/pkg1/pyproject.toml', 16, 'bench-pkg1: classifier "Programming Language :: Python :: 3.10" is listed twice (first at line 15); remove this one'],
    ]);
    expect(vi.mocked(parseTOML)).toHaveBeenCalledTimes(1);
  });
});
