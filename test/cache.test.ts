import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLintWithCache } from '../src/engine/cache.js';
import { materialize, tempDir } from './helpers/fixtures.js';
import actionlint from '../rules/workflow/actionlint.js';
import { actionlintFilesLinted, shutdownActionlint } from '../src/actionlint/index.js';
import { ENGINE_RULES, writeRepo } from './helpers/repo.js';

const PACKAGE = '[build-system]\nrequires = ["hatchling>=1.0"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "1.0"\n';

function setUp(): { root: string; cache: string; run: (ruleOverrides?: string[]) => ReturnType<typeof runLintWithCache> } {
  const root = writeRepo({ 'pyproject.toml': PACKAGE });
  const cache = path.join(tempDir(), 'cache.json');
  return { root, cache, run: (ruleOverrides = []) => runLintWithCache(root, { rules: ENGINE_RULES, ruleOverrides }, cache) };
}

const summary = (result: Awaited<ReturnType<typeof runLintWithCache>>): [boolean, string[]] => [result.hit, result.findings.map((finding) => `${finding.ruleId}:${finding.line}:${finding.message.slice(0, 40)}`)];

afterAll(() => shutdownActionlint());

describe('the lint cache', () => {
  it('reuses the result of an unchanged repo, with the same findings', async () => {
    const { run } = setUp();
    const cold = await run();
    const warm = await run();
    expect(cold.hit).toBe(false);
    expect(warm.hit).toBe(true);
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.filesChecked).toBe(cold.filesChecked);
  });

  it('misses when a file the run read changed', async () => {
    const { root, run } = setUp();
    await run();
    fs.writeFileSync(path.join(root, 'pyproject.toml'), PACKAGE.replace('[build-system]\nrequires = ["hatchling>=1.0"]\nbuild-backend = "hatchling.build"\n\n', ''));
    const after = await run();
    expect(after.hit).toBe(false);
    expect(after.findings.filter((finding) => finding.ruleId === 'pyproject/build-system').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['pyproject/build-system', 'pyproject.toml', 1, 'demo: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare setuptools.build_meta'],
    ]);
    expect((await run()).hit).toBe(true);
  });

  it('misses when a new file is discovered', async () => {
    const { root, run } = setUp();
    await run();
    fs.mkdirSync(path.join(root, 'plugin'));
    fs.writeFileSync(path.join(root, 'plugin', 'pyproject.toml'), '[project]\nname = "plugin"\nversion = "1.0"\n');
    const after = await run();
    expect(summary(after)[0]).toBe(false);
    const missing = (field: string, why: string): [string, string, number, string] => ['pyproject/metadata', 'plugin/pyproject.toml', 1, `plugin: [project] has no "${field}": ${why}`];
    expect(after.findings.filter((finding) => finding.file === 'plugin/pyproject.toml').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['pyproject/build-system', 'plugin/pyproject.toml', 1, 'plugin: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare setuptools.build_meta'],
      missing('description', 'PyPI shows an empty summary in search results'),
      missing('license', 'users and their compliance tools cannot tell the terms'),
      missing('readme', 'the PyPI project page has no description'),
      missing('requires-python', 'pip installs it on any Python, including ones it does not run on'),
    ]);
  });

  it('keys on the rule selection: other selectors miss, and each selection keeps its own entry', async () => {
    const { root, cache } = setUp();
    const run = (extendSelect: string[]): ReturnType<typeof runLintWithCache> => runLintWithCache(root, { rules: ENGINE_RULES, extendSelect }, cache);
    const byDefault = await run([]);
    const withHygiene = await run(['hygiene']);
    expect(withHygiene.hit).toBe(false);
    // The recommended fields of pyproject/metadata are hygiene: only the second run has them.
    const keywords = (result: typeof byDefault): boolean => result.findings.some((finding) => finding.message.includes('"keywords"'));
    expect([keywords(byDefault), keywords(withHygiene)]).toEqual([false, true]);
    expect(summary(await run([]))).toEqual([true, summary(byDefault)[1]]);
    expect(summary(await run(['hygiene']))).toEqual([true, summary(withHygiene)[1]]);
  });

  it('misses when a directory a rule listed changed (a README appears next to a package)', async () => {
    const { root, run } = setUp();
    const before = await run();
    // pyproject/metadata offers to set readme only once there is a README to point at.
    const readmeFinding = (result: typeof before): unknown[] =>
      result.findings.filter((finding) => finding.message.includes('"readme"')).map((finding) => [finding.ruleId, finding.file, finding.line, finding.message, finding.fix?.description]);
    const noReadme = ['pyproject/metadata', 'pyproject.toml', 5, 'demo: [project] has no "readme": the PyPI project page has no description'];
    expect(readmeFinding(before)).toEqual([[...noReadme, undefined]]);
    fs.writeFileSync(path.join(root, 'README.md'), '# Demo\n');
    const after = await run();
    expect(after.hit).toBe(false);
    expect(readmeFinding(after)).toEqual([[...noReadme, 'set readme to README.md']]);
  });

  it('keys on the config: another --rule is another entry', async () => {
    const { run } = setUp();
    await run();
    const off = await run(['pyproject/metadata=off']);
    expect(off.hit).toBe(false);
    expect(off.findings.some((finding) => finding.ruleId === 'pyproject/metadata')).toBe(false);
    expect((await run()).hit).toBe(true);
    expect((await run(['pyproject/metadata=off'])).hit).toBe(true);
  });

  it('keeps actionlint results per workflow text: a change elsewhere re-lints without the wasm', async () => {
    const root = materialize('actionlint-errors');
    const cache = path.join(tempDir(), 'cache.json');
    const run = (): ReturnType<typeof runLintWithCache> => runLintWithCache(root, { rules: [actionlint] }, cache);
    const actionlintFindings = (result: Awaited<ReturnType<typeof runLintWithCache>>): string[] => result.findings.map((finding) => `${finding.file}:${finding.line} ${finding.message}`);
    const cold = await run();
    expect(actionlintFindings(cold)).toEqual(['.github/workflows/ci.yml:23 [expression] property "python" is not defined in object type {python-version: number}']);
    fs.appendFileSync(path.join(root, 'README.md'), '\nMore text.\n');
    const before = actionlintFilesLinted();
    const afterReadme = await run();
    expect(afterReadme.hit).toBe(false);
    expect(actionlintFilesLinted()).toBe(before);
    expect(actionlintFindings(afterReadme)).toEqual(actionlintFindings(cold));
    // A changed workflow is linted again, and only that one.
    fs.appendFileSync(path.join(root, '.github/workflows/ci.yml'), '# edited\n');
    await run();
    expect(actionlintFilesLinted()).toBe(before + 1);
  });

  it('treats a corrupt cache file as empty and replaces it', async () => {
    const { cache, run } = setUp();
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.writeFileSync(cache, '{ not json');
    expect((await run()).hit).toBe(false);
    expect((await run()).hit).toBe(true);
    expect(JSON.parse(fs.readFileSync(cache, 'utf8'))).toHaveProperty('format', 1);
  });
});
