import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { applyFixes, changedFiles, findingRows } from './helpers/pyproject.js';
import { classifierStatus } from '../src/pyproject/classifiers.js';

const RULE = 'pyproject/classifiers';
const OTOBO = 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml';
/** The whole rule: its duplicate and python-contradiction kinds are hygiene, off by default. */
const WHOLE = { extendSelect: [RULE] };
const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';

function project(body: string): string {
  return writeRepo({ 'pyproject.toml': `${BUILD}[project]\nname = "demo"\nversion = "1.0.0"\n${body}`, 'src/demo/__init__.py': '' });
}

describe('pyproject/classifiers', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/dynamic-versions', 'pyproject/template-copy'])('is silent on %s', async (name) => {
    expect(await findingRows(materialize(name), RULE)).toEqual([]);
  });

  it('reports every drifted classifier at its line', async () => {
    const root = materialize('classifier-drift');
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning ${OTOBO}:21 open-ticket-ai-otobo-znuny-plugin: classifier "Operating System :: OS Independent" is listed twice (first at line 20); remove this one`,
      `${RULE} error ${OTOBO}:22 open-ticket-ai-otobo-znuny-plugin: "Private :: Do Not Upload" is on a package that a publish workflow uploads: PyPI rejects every "Private ::" classifier, by design; remove it, or stop publishing open-ticket-ai-otobo-znuny-plugin`,
      `${RULE} warning ${OTOBO}:24 open-ticket-ai-otobo-znuny-plugin: classifier "Programming Language :: Python :: 3.9" claims Python 3.9, which requires-python ">=3.10" excludes: pip never installs open-ticket-ai-otobo-znuny-plugin there`,
      `${RULE} error ${OTOBO}:29 open-ticket-ai-otobo-znuny-plugin: classifier "Topic :: Office/Business :: Ticketing" is not in the Trove classifier list: PyPI rejects the upload; the closest is "Topic :: Office/Business"`,
    ]);
    // By default only the two that make PyPI refuse the upload (the duplicate and the Python
    // classifier are hygiene kinds, off by default).
    expect((await findingRows(root, RULE)).map((row) => row.split(' ').slice(0, 3).join(' '))).toEqual([`${RULE} error ${OTOBO}:22`, `${RULE} error ${OTOBO}:29`]);
  });

  it('removes the exact duplicate with the safe fix — its line and nothing else — and is idempotent', async () => {
    const root = materialize('classifier-drift');
    const run = await applyFixes(root, false, [RULE]);
    expect(changedFiles(run.before, run.after)).toEqual([OTOBO]);
    const before = run.before.get(OTOBO)!.toString();
    const duplicateLine = '    "Operating System :: OS Independent",\n';
    const at = before.indexOf(duplicateLine) + duplicateLine.length;
    expect(run.after.get(OTOBO)!.toString()).toBe(before.slice(0, at) + before.slice(at + duplicateLine.length));
    const rows = await findingRows(root, RULE, WHOLE);
    expect(rows.filter((row) => row.includes('listed twice'))).toEqual([]);
    // The other defects of the variant have no safe fix and stay, exactly.
    expect(rows).toEqual([
      'pyproject/classifiers error src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:21 open-ticket-ai-otobo-znuny-plugin: "Private :: Do Not Upload" is on a package that a publish workflow uploads: PyPI rejects every "Private ::" classifier, by design; remove it, or stop publishing open-ticket-ai-otobo-znuny-plugin',
      'pyproject/classifiers warning src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:23 open-ticket-ai-otobo-znuny-plugin: classifier "Programming Language :: Python :: 3.9" claims Python 3.9, which requires-python ">=3.10" excludes: pip never installs open-ticket-ai-otobo-znuny-plugin there',
      'pyproject/classifiers error src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:28 open-ticket-ai-otobo-znuny-plugin: classifier "Topic :: Office/Business :: Ticketing" is not in the Trove classifier list: PyPI rejects the upload; the closest is "Topic :: Office/Business"',
    ]);
    expect((await applyFixes(root, false, [RULE])).written).toEqual([]);
  });

  it.each([
    ['on one line, in the middle', 'classifiers = ["Topic :: Office/Business", "Typing :: Typed", "Topic :: Office/Business", "Framework :: Pydantic"]\n', 'classifiers = ["Topic :: Office/Business", "Typing :: Typed", "Framework :: Pydantic"]\n'],
    ['on one line, last', 'classifiers = ["Typing :: Typed", "Typing :: Typed"]\n', 'classifiers = ["Typing :: Typed"]\n'],
    ['on its own line, last, without a trailing comma', 'classifiers = [\n  "Typing :: Typed",\n  "Typing :: Typed"\n]\n', 'classifiers = [\n  "Typing :: Typed"\n]\n'],
    ['three times', 'classifiers = [\n  "Typing :: Typed",\n  "Typing :: Typed",\n  "Typing :: Typed",\n]\n', 'classifiers = [\n  "Typing :: Typed",\n]\n'],
  ])('removes a duplicate %s', async (_label, body, fixed) => {
    const root = project(body);
    const run = await applyFixes(root, false, [RULE]);
    expect(run.after.get('pyproject.toml')!.toString()).toBe(`${BUILD}[project]\nname = "demo"\nversion = "1.0.0"\n${fixed}`);
    expect(await findingRows(root, RULE, WHOLE)).toEqual([]);
  });

  it('keeps a comment that follows a duplicate', async () => {
    const root = project('classifiers = [\n  "Typing :: Typed",\n  "Typing :: Typed", # again\n]\n');
    const run = await applyFixes(root, false, [RULE]);
    expect(run.after.get('pyproject.toml')!.toString()).toContain('classifiers = [\n  "Typing :: Typed",\n   # again\n]\n');
    expect(await findingRows(root, RULE, WHOLE)).toEqual([]);
    const inline = project('classifiers = ["Typing :: Typed", "Typing :: Typed", # again\n]\n');
    expect((await applyFixes(inline, false, [RULE])).after.get('pyproject.toml')!.toString()).toContain('classifiers = ["Typing :: Typed",  # again\n]\n');
  });

  it('names the replacement of a deprecated classifier', async () => {
    expect(await findingRows(project('classifiers = ["Framework :: Django CMS :: 4.2"]\n'), RULE)).toEqual([
      `${RULE} error pyproject.toml:8 demo: classifier "Framework :: Django CMS :: 4.2" is deprecated in the Trove list and PyPI rejects it; use "Framework :: Django CMS :: 5.0"`,
    ]);
  });

  it('warns about License :: classifiers beside a PEP 639 expression in a setuptools project, which setuptools 77 refuses to build', async () => {
    const classifier = '"License :: OSI Approved :: MIT License"';
    const setuptools = '[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n\n';
    const root = writeRepo({ 'pyproject.toml': `${setuptools}[project]\nname = "demo"\nversion = "1.0.0"\nlicense = "MIT"\nclassifiers = [${classifier}]\n`, 'src/demo/__init__.py': '' });
    expect(await findingRows(root, RULE)).toEqual([
      `${RULE} warning pyproject.toml:9 demo: "License :: OSI Approved :: MIT License" sits beside the SPDX license expression "MIT": setuptools 77 and later refuse to build a project that has both; remove the classifier`,
    ]);
    expect(await findingRows(project(`license = { text = "MIT" }\nclassifiers = [${classifier}]\n`), RULE)).toEqual([]);
  });

  it('with a backend that accepts both, the deprecated license classifier is hygiene, off by default', async () => {
    const classifier = '"License :: OSI Approved :: MIT License"';
    const root = project(`license = "MIT"\nclassifiers = [${classifier}]\n`);
    expect(await findingRows(root, RULE)).toEqual([]);
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning pyproject.toml:9 demo: "License :: OSI Approved :: MIT License" sits beside the SPDX license expression "MIT": PEP 639 deprecates license classifiers once license is an expression; remove the classifier`,
    ]);
  });

  it('compares Python classifiers with requires-python', async () => {
    expect(
      await findingRows(
        project('requires-python = ">=3.10,<3.13"\nclassifiers = [\n  "Programming Language :: Python :: 2",\n  "Programming Language :: Python :: 3.12",\n  "Programming Language :: Python :: 3.13",\n  "Programming Language :: Python :: 3 :: Only",\n]\n'),
        RULE,
        WHOLE,
      ),
    ).toEqual([
      `${RULE} warning pyproject.toml:10 demo: classifier "Programming Language :: Python :: 2" claims Python 2, which requires-python ">=3.10,<3.13" excludes: pip never installs demo there`,
      `${RULE} warning pyproject.toml:12 demo: classifier "Programming Language :: Python :: 3.13" claims Python 3.13, which requires-python ">=3.10,<3.13" excludes: pip never installs demo there`,
    ]);
    expect(await findingRows(project('requires-python = ">=2.7"\nclassifiers = ["Programming Language :: Python :: 3 :: Only"]\n'), RULE, WHOLE)).toEqual([
      `${RULE} warning pyproject.toml:9 demo: classifier "Programming Language :: Python :: 3 :: Only" says Python 3 only, but requires-python ">=2.7" admits Python 2`,
    ]);
    expect(await findingRows(project('requires-python = ">=3.10.2"\nclassifiers = ["Programming Language :: Python :: 3.10"]\n'), RULE, WHOLE)).toEqual([]);
  });

  it('knows the shipped Trove list', () => {
    expect(classifierStatus('Programming Language :: Python :: 3.13')).toEqual({ kind: 'known' });
    expect(classifierStatus('Private :: Do Not Upload')).toEqual({ kind: 'private' });
    expect(classifierStatus('programming language :: python :: 3.13')).toEqual({ kind: 'unknown', closest: 'Programming Language :: Python :: 3.13' });
    expect(classifierStatus('Nonsense :: Here')).toEqual({ kind: 'unknown', closest: undefined });
  });
});
