import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { applyFixes, changedFiles, findingRows, insertionOffset, lintRepo } from './helpers/pyproject.js';

const RULE = 'pyproject/metadata';
const HF = 'src/open_ticket_ai_hf_local/pyproject.toml';
const OTOBO = 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml';
/** The whole rule: the recommended fields (authors, urls, classifiers, keywords) are hygiene, off by default. */
const WHOLE = { extendSelect: [RULE] };
const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';

describe('pyproject/metadata', () => {
  it('is silent on the good repository', async () => {
    expect(await findingRows(materialize('open-ticket-ai'), RULE)).toEqual([]);
  });

  it('reports each missing field at [project]: the required ones by default, the recommended ones when selected', async () => {
    const root = materialize('missing-metadata');
    const required = [
      `${RULE} warning ${HF}:5 open-ticket-ai-hf-local: [project] has no "description": PyPI shows an empty summary in search results`,
      `${RULE} warning ${HF}:5 open-ticket-ai-hf-local: [project] has no "readme": the PyPI project page has no description`,
      `${RULE} warning ${HF}:5 open-ticket-ai-hf-local: [project] has no "requires-python": pip installs it on any Python, including ones it does not run on`,
    ];
    expect(await findingRows(root, RULE)).toEqual(required);
    expect(await findingRows(root, RULE, { extendSelect: [`${RULE}/missing-recommended`] })).toEqual([
      ...required,
      `${RULE} warning ${OTOBO}:5 open-ticket-ai-otobo-znuny-plugin: [project] has no "authors" or "maintainers": the project page names nobody to contact`,
      `${RULE} warning ${OTOBO}:5 open-ticket-ai-otobo-znuny-plugin: [project] has no "keywords": PyPI search finds it only by name`,
    ]);
  });

  it('reports a missing name or version as an error, whichever list names it: PyPI refuses the upload', async () => {
    const root = writeRepo({
      'pyproject.toml': `${BUILD}[project]\nname = "demo"\ndescription = "Demo."\n\n[tool.pypi-release-lint.rules]\n"pyproject/metadata" = { required = ["name"], recommended = ["version"] }\n`,
    });
    const { findings } = await lintRepo(root);
    expect(findings.filter((finding) => finding.ruleId === RULE).map((finding) => [finding.severity, finding.category, finding.kind, finding.message])).toEqual([
      ['error', 'release', 'missing-name-or-version', 'demo: [project] has no "version": PyPI cannot accept an upload without it'],
    ]);
  });

  it('applies the safe fixes (readme, requires-python) exactly at the end of [project], re-lints clean for them, and is idempotent', async () => {
    const root = materialize('missing-metadata');
    const run = await applyFixes(root, false);
    expect(run.written).toEqual([HF]);
    expect(changedFiles(run.before, run.after)).toEqual([HF]);
    const before = run.before.get(HF)!.toString();
    const after = run.after.get(HF)!.toString();
    // Both keys go after the last key of [project] (the dependencies array), before [project.urls].
    const offset = insertionOffset(before, after, 'readme = "README.md"\nrequires-python = ">=3.10"\n');
    expect(before.slice(0, offset).endsWith('    "pydantic>=2.5,<3",\n]\n')).toBe(true);
    expect(before.slice(offset).startsWith('\n[project.urls]\n')).toBe(true);

    const remaining = await findingRows(root, RULE, WHOLE);
    expect(remaining.filter((row) => row.includes('"readme"') || row.includes('"requires-python"'))).toEqual([]);
    // What is left has no safe fix: it needs words only the author has.
    expect(remaining).toEqual([
      'pyproject/metadata warning src/open_ticket_ai_hf_local/pyproject.toml:5 open-ticket-ai-hf-local: [project] has no "description": PyPI shows an empty summary in search results',
      'pyproject/metadata warning src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:5 open-ticket-ai-otobo-znuny-plugin: [project] has no "authors" or "maintainers": the project page names nobody to contact',
      'pyproject/metadata warning src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:5 open-ticket-ai-otobo-znuny-plugin: [project] has no "keywords": PyPI search finds it only by name',
    ]);
    const again = await applyFixes(root, false);
    expect(again.written).toEqual([]);
    expect(changedFiles(again.before, again.after)).toEqual([]);
  });

  it('fills [project.urls] from the repository only with --unsafe-fixes', async () => {
    const text =
      `${BUILD}[project]\nname = "demo"\nversion = "1.0.0"\ndescription = "Demo."\nreadme = "README.md"\nrequires-python = ">=3.10"\n` +
      'license = "MIT"\nauthors = [{ name = "Ada" }]\nkeywords = ["demo"]\nclassifiers = ["Programming Language :: Python :: 3.10"]\n\n' +
      '[tool.pypi-release-lint]\nrepository = "example/demo"\n';
    const root = writeRepo({ 'pyproject.toml': text, 'README.md': '# demo\n', 'src/demo/__init__.py': '' });
    expect(await findingRows(root, RULE, WHOLE)).toEqual([`${RULE} warning pyproject.toml:5 demo: [project] has no "urls": the project page links to no source, docs or issue tracker`]);
    expect((await applyFixes(root, false, [RULE])).written).toEqual([]);
    // --fix fixes what is selected only: the urls wish is off by default.
    expect((await applyFixes(root, true)).written).toEqual([]);
    const run = await applyFixes(root, true, [RULE]);
    const after = run.after.get('pyproject.toml')!.toString();
    insertionOffset(
      text,
      after,
      '\n[project.urls]\nHomepage = "https://github.com/example/demo"\nSource = "https://github.com/example/demo"\nIssues = "https://github.com/example/demo/issues"\n',
    );
    expect(await findingRows(root, 'pyproject/', WHOLE)).toEqual([]);
    expect((await applyFixes(root, true, [RULE])).written).toEqual([]);
  });

  it('sets readme only to a README whose extension gives a content type', async () => {
    const project = `${BUILD}[project]\nname = "demo"\nversion = "1.0.0"\n`;
    const adoc = writeRepo({ 'pyproject.toml': project, 'README.adoc': '= Demo\n' });
    expect((await applyFixes(adoc, false)).written).toEqual([]);
    const rst = writeRepo({ 'pyproject.toml': project, 'README.rst': 'Demo\n====\n' });
    const run = await applyFixes(rst, false);
    insertionOffset(project, run.after.get('pyproject.toml')!.toString(), 'readme = "README.rst"\n');
  });

  it('counts a field listed in dynamic as present, and takes the lists from the options', async () => {
    const text =
      `${BUILD}[project]\nname = "demo"\ndynamic = ["version", "description", "readme"]\n\n` +
      '[tool.pypi-release-lint.rules]\n"pyproject/metadata" = { required = ["name", "version", "description", "readme"], recommended = ["keywords"] }\n';
    const root = writeRepo({ 'pyproject.toml': text });
    expect(await findingRows(root, RULE, WHOLE)).toEqual([`${RULE} warning pyproject.toml:5 demo: [project] has no "keywords": PyPI search finds it only by name`]);
  });
});
