import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRules, ruleMetas } from '../../rules/index.js';
import type { RunContext } from '../../src/engine/context.js';
import { runLint, type LintRequest, type RunResult } from '../../src/engine/run.js';
import type { Rule } from '../../src/engine/rule.js';
import type { Finding } from '../../src/types.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');
export const BASE_FIXTURE = path.join(FIXTURES, 'open-ticket-ai');
/** The CLI as shipped: the bundled bin of package.json. */
export const CLI = path.join(REPO_ROOT, 'dist/cli.cjs');

/** Builds dist/ when a test file runs alone before any build (`npm test` builds first). */
export function ensureBuilt(): void {
  if (!fs.existsSync(CLI)) spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' });
}

interface VariantManifest {
  base: string;
  description: string;
  delete?: string[];
  /** `selectWith`: the selector that reports a defect the default selection leaves out (fixtures/README.md). */
  defects?: { rule: string; file: string; line: number; selectWith?: string; what: string }[];
}

/** A fresh temp dir for a test; removed by the OS's tmp cleaning, or explicitly by `removeTemp`. */
export function tempDir(prefix = 'prl-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies a fixture repo (or a variant overlaid on its base, see fixtures/README.md) into a temp dir. */
export function materialize(name: string): string {
  const target = tempDir(`prl-${name.replace(/[\\/]/g, '-')}-`);
  const variantDir = path.join(FIXTURES, 'variants', name);
  if (!fs.existsSync(variantDir)) {
    fs.cpSync(path.join(FIXTURES, name), target, { recursive: true });
    return target;
  }
  const manifest = readManifest(name);
  fs.cpSync(path.join(FIXTURES, manifest.base), target, { recursive: true });
  for (const removed of manifest.delete ?? []) fs.rmSync(path.join(target, removed), { recursive: true, force: true });
  fs.cpSync(variantDir, target, { recursive: true, filter: (source) => path.basename(source) !== 'variant.json' || path.dirname(source) !== variantDir });
  return target;
}

/** What readme/badges says of the six badges the badges-missing variant's README lacks, sorted. */
export const BADGES_MISSING_MESSAGES = [
  'README.md has no PyPI version badge for 3 published packages: open-ticket-ai (published by publish-open-ticket-ai.yml), open-ticket-ai-hf-local (published by publish-hf-local.yml), open-ticket-ai-otobo-znuny-plugin (published by publish-otobo-znuny.yml)',
  'README.md has no status badge of publish-hf-local.yml, the workflow that publishes open-ticket-ai-hf-local',
  'README.md has no status badge of publish-open-ticket-ai.yml, the workflow that publishes open-ticket-ai',
  'README.md has no status badge of publish-otobo-znuny.yml, the workflow that publishes open-ticket-ai-otobo-znuny-plugin',
];

export function readManifest(name: string): VariantManifest {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'variants', name, 'variant.json'), 'utf8')) as VariantManifest;
}

/** Every built-in rule: what a config in a fixture may name, whichever rules a test runs. */
export const CATALOG = [...ruleMetas.values()];

/** runLint with `rules`, where the config may name any built-in rule (as the CLI's may). */
export function runWith(root: string, rules: readonly Rule[], request: LintRequest = {}, run: RunContext = {}): Promise<RunResult> {
  return runLint(root, rules, { catalog: CATALOG, ...request }, run);
}

/** What the tests lint with: the library's request, and the rules to run (default: all). */
export interface LintOptions extends LintRequest {
  rules?: readonly Rule[];
}

/** Lints a directory through the library and returns the findings; the config may name any built-in rule. */
export async function lint(root: string, { rules = allRules, ...request }: LintOptions = {}): Promise<Finding[]> {
  return (await runWith(root, rules, request)).findings;
}

/** The findings of one rule id. */
export function findingsOf(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((finding) => finding.ruleId === ruleId);
}

/**
 * Lints `root` with `rule` alone, selected whole (its kinds that are off by default included: a
 * rule's own tests test all it finds), and returns its findings.
 */
export async function lintWithRule(rule: Rule, root: string, options: LintOptions = {}): Promise<Finding[]> {
  return findingsOf(await lint(root, { ...options, rules: [rule], extendSelect: [rule.meta.id, ...(options.extendSelect ?? [])] }), rule.meta.id);
}

/** `severity file:line:column`, for compact assertions. */
export function where(finding: Finding): string {
  return `${finding.severity} ${finding.file}:${finding.line}:${finding.column}`;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a real process. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    input: options.input,
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under a directory with its bytes, to prove a fix left the rest untouched. */
export function snapshotTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else if (entry.isFile()) files.set(path.relative(root, absolute).split(path.sep).join('/'), fs.readFileSync(absolute));
    }
  };
  walk(root);
  return files;
}
