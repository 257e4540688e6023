import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'smol-toml';
import { coreRules } from '../../rules/core/index.js';
import { pyprojectRules } from '../../rules/pyproject/index.js';
import { ruleMetas } from '../../rules/index.js';
import { writeChanges } from '../../src/engine/fix.js';
import type { RunResult } from '../../src/engine/run.js';
import type { Finding } from '../../src/types.js';
import { snapshotTree, tempDir, runWith } from './fixtures.js';

/** The pyproject tests run the core and pyproject rules only: other groups cannot change what they see. */
export const PYPROJECT_RULES = [...coreRules, ...pyprojectRules];

/**
 * The repo's own config, minus rule settings for rules not registered yet (the fixtures configure
 * workflow rules other groups are still writing), written outside the repo so its bytes stay as they are.
 */
function configFor(root: string): string | undefined {
  const file = path.join(root, 'pyproject.toml');
  const dotfile = path.join(root, '.pypi-release-lint.toml');
  let config: Record<string, unknown> | undefined;
  if (fs.existsSync(file)) config = (parse(fs.readFileSync(file, 'utf8')) as { tool?: Record<string, Record<string, unknown>> }).tool?.['pypi-release-lint'];
  if (!config && fs.existsSync(dotfile)) config = parse(fs.readFileSync(dotfile, 'utf8')) as Record<string, unknown>;
  if (!config) return undefined;
  const rules = config.rules as Record<string, unknown> | undefined;
  if (!rules || Object.keys(rules).every((id) => ruleMetas.has(id))) return undefined;
  const known = Object.fromEntries(Object.entries(rules).filter(([id]) => ruleMetas.has(id)));
  const written = path.join(tempDir('prl-config-'), 'config.toml');
  fs.writeFileSync(written, stringify({ ...config, rules: known }));
  return written;
}

export interface LintRepoOptions {
  fix?: 'safe' | 'unsafe';
  ruleOverrides?: string[];
  /** Rule selectors on top of the default set, for the hygiene checks that are off by default. */
  extendSelect?: string[];
}

/** Lints a repo with the pyproject rules (and, with `fix`, computes the fixes). */
export async function lintRepo(root: string, options: LintRepoOptions = {}): Promise<RunResult> {
  const configFile = configFor(root);
  return runWith(root, PYPROJECT_RULES, { ...(configFile ? { configFile } : {}), ...options });
}

/** `ruleId severity file:line message`, one per finding of the rules whose id starts with `prefix`. */
export function rows(findings: Finding[], prefix = 'pyproject/'): string[] {
  return findings.filter((finding) => finding.ruleId.startsWith(prefix)).map((finding) => `${finding.ruleId} ${finding.severity} ${finding.file}:${finding.line} ${finding.message}`);
}

/** Findings of the rules under test, for a repo. */
export async function findingRows(root: string, prefix = 'pyproject/', options: LintRepoOptions = {}): Promise<string[]> {
  return rows((await lintRepo(root, options)).findings, prefix);
}

export interface FixRun {
  before: Map<string, Buffer>;
  after: Map<string, Buffer>;
  /** Files written, repo-relative. */
  written: string[];
  /** What is left to report after the fix passes. */
  remaining: Finding[];
}

/** Applies the fixes (safe, or safe and unsafe) of the selected rules and writes them, as `--fix` does. */
export async function applyFixes(root: string, unsafe: boolean, extendSelect: string[] = []): Promise<FixRun> {
  const before = snapshotTree(root);
  const result = await lintRepo(root, { fix: unsafe ? 'unsafe' : 'safe', extendSelect });
  const written = writeChanges(root, result.changes);
  return { before, after: snapshotTree(root), written, remaining: result.findings };
}

/**
 * Asserts that `after` equals `before` with exactly `inserted` added at one place, and removed
 * nothing else: every byte outside the inserted text is identical. Returns the insertion offset.
 */
export function insertionOffset(before: string, after: string, inserted: string): number {
  const offset = after.indexOf(inserted);
  if (offset === -1) throw new Error(`the fixed file does not contain the inserted text:\n${inserted}\n---\n${after}`);
  if (after.slice(0, offset) + after.slice(offset + inserted.length) !== before) {
    throw new Error(`the fix changed bytes outside the inserted text:\n---before\n${before}\n---after\n${after}`);
  }
  return offset;
}

/** Asserts that `after` equals `before` with `[start, end)` replaced by `replacement`, and returns start. */
export function replacementOffset(before: string, after: string, removed: string, replacement: string): number {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  // Back up to where the removed text begins, in case it shares a prefix with the replacement.
  const candidate = before.lastIndexOf(removed, start);
  const at = candidate !== -1 && candidate + removed.length >= start ? candidate : before.indexOf(removed, start);
  if (at === -1 || before.slice(0, at) + replacement + before.slice(at + removed.length) !== after) {
    throw new Error(`expected exactly ${JSON.stringify(removed)} → ${JSON.stringify(replacement)}:\n---before\n${before}\n---after\n${after}`);
  }
  return at;
}

/** Files whose bytes differ between two snapshots. */
export function changedFiles(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => !before.get(name)?.equals(after.get(name) ?? Buffer.alloc(0)) || !after.has(name)).sort();
}
