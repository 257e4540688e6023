import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownActionlint } from '../../src/actionlint/runner.js';
import { ConfigError } from '../../src/config/load.js';
import { allRules } from '../../rules/index.js';
import { TomlFile } from '../../src/project/toml-file.js';
import { YamlFile } from '../../src/project/yaml-file.js';
import { materialize, runWith } from '../helpers/fixtures.js';
import { mutationArbitrary } from './mutations.js';

/**
 * Mutates the seed fixture's files in memory (the FileStore overlay) and lints with every fix on.
 * FUZZ_RUNS sets the number of cases (npm run fuzz runs a long campaign); FUZZ_SEED replays one.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
// About 70 ms a case on the CI machine; a case that takes 15 s is a hang and fails on its own.
const FUZZ_TIMEOUT_MS = Math.max(180_000, RUNS * 300);
const CASE_TIMEOUT_MS = 15_000;

const root = materialize('open-ticket-ai');
const targets: { file: string; kind: 'toml' | 'yaml' | 'markdown' }[] = [
  { file: 'pyproject.toml', kind: 'toml' },
  { file: 'src/open_ticket_ai_hf_local/pyproject.toml', kind: 'toml' },
  { file: '.github/workflows/publish-to-pypi.yml', kind: 'yaml' },
  { file: '.github/workflows/publish-hf-local.yml', kind: 'yaml' },
  { file: 'README.md', kind: 'markdown' },
  { file: 'docs/SETUP_INSTRUCTIONS.md', kind: 'markdown' },
];
const originals = new Map(targets.map(({ file }) => [file, fs.readFileSync(path.join(root, file), 'utf8')]));

function parses(file: string, text: string): boolean {
  if (file.endsWith('.toml')) return new TomlFile(file, text).parseError === undefined;
  if (file.endsWith('.yml')) return new YamlFile(file, text).parseError === undefined;
  return true;
}

afterAll(async () => {
  await shutdownActionlint();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('fuzzing the seed fixture', () => {
  it(
    `${RUNS} mutated repos: no crash, parse errors located, fixes converge and keep every file parsing`,
    async () => {
      const target = fc.constantFrom(...targets).chain((chosen) => fc.tuple(fc.constant(chosen), fc.array(mutationArbitrary(chosen.kind), { minLength: 1, maxLength: 3 })));
      await fc.assert(
        fc.asyncProperty(target, async ([{ file }, mutations]) => {
          const text = mutations.reduce((current, mutation) => mutation.apply(current), originals.get(file)!);
          const overlay = new Map([[file, text]]);
          let first: Awaited<ReturnType<typeof runWith>>;
          try {
            first = await runWith(root, allRules, { overlay, fix: 'unsafe' });
          } catch (error) {
            // A mutation inside [tool.pypi-release-lint] is an invalid config: exit 2 with one line per
            // problem is the contract (docs/cli.md "Exit codes"), not a crash. Anything else thrown is a bug.
            if (!(error instanceof ConfigError)) throw error;
            expect(file).toBe('pyproject.toml');
            for (const problem of error.problems) expect(problem).not.toContain('\n');
            return;
          }
          // A file that does not parse is reported, with a location, and nothing else stops.
          if (!parses(file, text)) {
            const reported = first.findings.filter((finding) => finding.ruleId === 'core/parse-error' && finding.file === file);
            expect(reported.length).toBeGreaterThan(0);
            for (const finding of reported) expect(finding.line).toBeGreaterThanOrEqual(1);
          }
          // Every fixed file still parses; fixing the fixed repo changes nothing more.
          const fixedOverlay = new Map(overlay);
          for (const [changed, { original, fixed }] of first.changes) {
            expect(parses(changed, fixed)).toBe(true);
            fixedOverlay.set(changed, original.serialize(fixed));
          }
          if (first.changes.size > 0) {
            const second = await runWith(root, allRules, { overlay: fixedOverlay, fix: 'unsafe' });
            expect([...second.changes.keys()]).toEqual([]);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true, timeout: CASE_TIMEOUT_MS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
