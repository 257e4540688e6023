import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { applyFixes, changedFiles, findingRows, insertionOffset } from './helpers/pyproject.js';

const RULE = 'pyproject/build-system';
/** The whole rule: the backend-lower-bound kind is hygiene, off by default. */
const WHOLE = { extendSelect: [RULE] };
const PROJECT = '[project]\nname = "demo"\nversion = "1.0.0"\n';

describe('pyproject/build-system', () => {
  it('is silent on the good repository', async () => {
    expect(await findingRows(materialize('open-ticket-ai'), RULE)).toEqual([]);
  });

  it('reports a missing table, a missing build-backend and an unbounded backend at their lines', async () => {
    const root = materialize('missing-build-system');
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} error pyproject.toml:1 open-ticket-ai: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare setuptools.build_meta`,
      `${RULE} error src/open_ticket_ai_hf_local/pyproject.toml:1 open-ticket-ai-hf-local: [build-system] has no "build-backend"; pip falls back to setuptools.build_meta:__legacy__`,
      `${RULE} warning src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:2 open-ticket-ai-otobo-znuny-plugin: the backend requirement "setuptools" has no lower bound; an isolated build may install a setuptools too old for this pyproject`,
    ]);
    // By default the two incomplete tables only.
    expect((await findingRows(root, RULE)).map((row) => row.split(' ').slice(0, 3).join(' '))).toEqual([
      `${RULE} error pyproject.toml:1`,
      `${RULE} error src/open_ticket_ai_hf_local/pyproject.toml:1`,
    ]);
  });

  it('reports no requires', async () => {
    const root = writeRepo({ 'pyproject.toml': `[build-system]\nbuild-backend = "hatchling.build"\n\n${PROJECT}` });
    expect(await findingRows(root, RULE)).toEqual([`${RULE} error pyproject.toml:1 demo: [build-system] has no "requires": build frontends cannot know which backend to install`]);
  });

  it('offers no fix without --unsafe-fixes', async () => {
    const root = materialize('missing-build-system');
    const run = await applyFixes(root, false);
    expect(run.written).toEqual([]);
    expect(changedFiles(run.before, run.after)).toEqual([]);
  });

  it('fixes the variant with --unsafe-fixes: inserts exactly the table and the key, re-lints clean, and is idempotent', async () => {
    const root = materialize('missing-build-system');
    const run = await applyFixes(root, true);
    expect(run.written.sort()).toEqual(['pyproject.toml', 'src/open_ticket_ai_hf_local/pyproject.toml']);
    expect(changedFiles(run.before, run.after)).toEqual(['pyproject.toml', 'src/open_ticket_ai_hf_local/pyproject.toml']);

    const rootBefore = run.before.get('pyproject.toml')!.toString();
    const rootAfter = run.after.get('pyproject.toml')!.toString();
    expect(insertionOffset(rootBefore, rootAfter, '[build-system]\nrequires = ["setuptools>=61.0"]\nbuild-backend = "setuptools.build_meta"\n\n')).toBe(0);

    const pluginBefore = run.before.get('src/open_ticket_ai_hf_local/pyproject.toml')!.toString();
    const pluginAfter = run.after.get('src/open_ticket_ai_hf_local/pyproject.toml')!.toString();
    const offset = insertionOffset(pluginBefore, pluginAfter, 'build-backend = "setuptools.build_meta"\n');
    expect(pluginAfter.slice(0, offset)).toBe('[build-system]\nrequires = ["setuptools>=64"]\n');

    // Only the warning without a fix is left (and only when its kind is selected).
    expect(await findingRows(root, RULE)).toEqual([]);
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:2 open-ticket-ai-otobo-znuny-plugin: the backend requirement "setuptools" has no lower bound; an isolated build may install a setuptools too old for this pyproject`,
    ]);
    const again = await applyFixes(root, true);
    expect(again.written).toEqual([]);
    expect(changedFiles(again.before, again.after)).toEqual([]);
  });

  it.each([
    ['[tool.hatch.build.targets.wheel]\npackages = ["src/demo"]\n', 'hatchling>=1.0', 'hatchling.build'],
    ['[tool.poetry]\npackages = [{ include = "demo", from = "src" }]\n', 'poetry-core>=1.0.0', 'poetry.core.masonry.api'],
    ['[tool.flit.module]\nname = "demo"\n', 'flit_core>=3.4,<4', 'flit_core.buildapi'],
    ['[tool.pdm.build]\npackage-dir = "src"\n', 'pdm-backend>=2.0', 'pdm.backend'],
    ['[tool.maturin]\npython-source = "python"\n', 'maturin>=1.0,<2.0', 'maturin'],
    ['', 'setuptools>=61.0', 'setuptools.build_meta'],
  ])('infers the backend from %j', async (tool, requirement, backend) => {
    const text = `${PROJECT}\n${tool}`;
    const root = writeRepo({ 'pyproject.toml': text });
    const [row] = await findingRows(root, RULE);
    expect(row).toBe(`${RULE} error pyproject.toml:1 demo: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare ${backend}`);
    const run = await applyFixes(root, true);
    const after = run.after.get('pyproject.toml')!.toString();
    const block = `[build-system]\nrequires = ["${requirement}"]\nbuild-backend = "${backend}"\n`;
    expect(insertionOffset(text, after, `${block}\n`)).toBe(0);
    expect(await findingRows(root, RULE)).toEqual([]);
  });

  it('names no backend when the [tool] tables disagree, and offers no fix', async () => {
    const text = `${PROJECT}\n[tool.hatch.version]\npath = "demo.py"\n\n[tool.poetry]\nname = "demo"\n`;
    const root = writeRepo({ 'pyproject.toml': text });
    expect(await findingRows(root, RULE)).toEqual([
      `${RULE} error pyproject.toml:1 demo: no [build-system] table; pip and build fall back to the legacy setuptools backend; its [tool] tables name several backends, declare the one you build with`,
    ]);
    expect((await applyFixes(root, true)).written).toEqual([]);
  });

  it('completes build-backend from the backend named in requires, at the end of [build-system]', async () => {
    const text = `# build settings\n[build-system]\nrequires = ["hatchling>=1.26", "hatch-vcs"]\n\n${PROJECT}`;
    const root = writeRepo({ 'pyproject.toml': text });
    const run = await applyFixes(root, true);
    const after = run.after.get('pyproject.toml')!.toString();
    expect(insertionOffset(text, after, 'build-backend = "hatchling.build"\n')).toBe(text.indexOf('\n[project]'));
    expect(await findingRows(root, RULE)).toEqual([]);
  });

  it('warns about a backend requirement without a lower bound, at its element', async () => {
    const root = writeRepo({ 'pyproject.toml': `[build-system]\nrequires = [\n  "wheel",\n  "setuptools",\n]\nbuild-backend = "setuptools.build_meta"\n\n${PROJECT}` });
    expect(await findingRows(root, RULE, { extendSelect: [`${RULE}/backend-lower-bound`] })).toEqual([
      `${RULE} warning pyproject.toml:4 demo: the backend requirement "setuptools" has no lower bound; an isolated build may install a setuptools too old for this pyproject`,
    ]);
  });

  it('keeps CRLF line endings when it inserts the table', async () => {
    const text = '[project]\r\nname = "demo"\r\nversion = "1.0.0"\r\n';
    const root = writeRepo({ 'pyproject.toml': text });
    await applyFixes(root, true);
    expect(fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(`[build-system]\r\nrequires = ["setuptools>=61.0"]\r\nbuild-backend = "setuptools.build_meta"\r\n\r\n${text}`);
  });
});
