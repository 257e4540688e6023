import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { applyFixes, changedFiles, findingRows, lintRepo, replacementOffset } from './helpers/pyproject.js';
import { specifierSpan } from '../rules/pyproject/sibling-dependencies.js';

const RULE = 'pyproject/sibling-dependencies';
const HF = 'src/open_ticket_ai_hf_local/pyproject.toml';
const OTOBO = 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml';
/** This file tests the whole rule: its no-upper-bound kind is hygiene, off by default (tested below). */
const WHOLE = { extendSelect: [RULE] };
const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';

/** A core at the root and one plugin depending on it. */
function pair(coreVersion: string, dependency: string, options: { pluginPython?: string; corePython?: string; tool?: string } = {}): string {
  const python = (value: string | undefined) => (value ? `requires-python = "${value}"\n` : '');
  return writeRepo({
    'pyproject.toml': `${BUILD}[project]\nname = "open-ticket-ai"\nversion = "${coreVersion}"\n${python(options.corePython)}${options.tool ?? ''}`,
    'src/open_ticket_ai/__init__.py': '',
    'plugins/hf/pyproject.toml': `${BUILD}[project]\nname = "open-ticket-ai-hf-local"\nversion = "1.0.0"\n${python(options.pluginPython)}dependencies = [${JSON.stringify(dependency)}]\n`,
    'plugins/hf/src/open_ticket_ai_hf_local/__init__.py': '',
  });
}

describe('pyproject/sibling-dependencies', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/dynamic-versions', 'pyproject/poetry-only', 'pyproject/template-copy'])(
    'is silent on %s',
    async (name) => {
      expect(await findingRows(materialize(name), RULE, WHOLE)).toEqual([]);
    },
  );

  it('names the sibling\'s real version, and a missing lower bound', async () => {
    expect(await findingRows(materialize('bad-sibling'), RULE, WHOLE)).toEqual([
      `${RULE} error ${HF}:29 open-ticket-ai-hf-local: requires open-ticket-ai>=2.0,<3, but open-ticket-ai in this repository is 1.4.0 (pyproject.toml:7): pip cannot install this release until PyPI has a release of open-ticket-ai that satisfies it; release one first, or require open-ticket-ai>=1.4.0,<2`,
      `${RULE} error ${OTOBO}:29 open-ticket-ai-otobo-znuny-plugin requires open-ticket-ai with no lower bound: pip may pair it with any older open-ticket-ai release, while it is developed against 1.4.0`,
    ]);
  });

  it('fixes only with --unsafe-fixes, replacing just the specifier in the exact element; re-lints clean; idempotent', async () => {
    const root = materialize('bad-sibling');
    expect((await applyFixes(root, false, [RULE])).written).toEqual([]);
    const run = await applyFixes(root, true, [RULE]);
    expect(changedFiles(run.before, run.after)).toEqual([HF, OTOBO]);
    const hfBefore = run.before.get(HF)!.toString();
    const hfAfter = run.after.get(HF)!.toString();
    const at = replacementOffset(hfBefore, hfAfter, '>=2.0,<3', '>=1.4.0,<2');
    expect(hfBefore.slice(at - 19, at)).toBe('    "open-ticket-ai');
    const otoboBefore = run.before.get(OTOBO)!.toString();
    const otoboAfter = run.after.get(OTOBO)!.toString();
    const inserted = otoboBefore.indexOf('    "open-ticket-ai",\n') + '    "open-ticket-ai'.length;
    expect(otoboAfter).toBe(`${otoboBefore.slice(0, inserted)}>=1.4.0,<2${otoboBefore.slice(inserted)}`);
    expect(await findingRows(root, RULE, WHOLE)).toEqual([]);
    const again = await applyFixes(root, true, [RULE]);
    expect(again.written).toEqual([]);
    expect(changedFiles(again.before, again.after)).toEqual([]);
  });

  it('reports the uv workspace\'s defects: unbounded workspace source, a version read from __about__.py, optional extras, Python, a cycle', async () => {
    const root = materialize('pyproject/uv-workspace-broken');
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} error packages/acme-cli/pyproject.toml:10 acme-cli: requires-python ">=3.10" admits Python 3.10, but its dependency acme-core (line 25; packages/acme-core/pyproject.toml:10) requires ">=3.11": on 3.10 pip falls back to older releases of it (or of acme-cli) or fails; raise requires-python to ">=3.11"`,
      `${RULE} error packages/acme-cli/pyproject.toml:25 acme-cli: requires acme-core>=0.5,<1, but acme-core in this repository is 0.4.2 (from packages/acme-core/src/acme_core/__about__.py): pip cannot install this release until PyPI has a release of acme-core that satisfies it; release one first, or require acme-core>=0.4.2,<0.5`,
      `${RULE} warning packages/acme-cli/pyproject.toml:25 dependency cycle between packages of this repository: acme-cli → acme-core → acme-cli; none of them can be installed or released before the others`,
      `${RULE} error packages/acme-s3/pyproject.toml:10 acme-s3: requires-python ">=3.10" admits Python 3.10, but its dependency acme-core (line 25; packages/acme-core/pyproject.toml:10) requires ">=3.11": on 3.10 pip falls back to older releases of it (or of acme-s3) or fails; raise requires-python to ">=3.11"`,
      `${RULE} error packages/acme-s3/pyproject.toml:25 acme-s3 requires acme-core with no lower bound: pip may pair it with any older acme-core release, while it is developed against 0.4.2 (from packages/acme-core/src/acme_core/__about__.py)`,
      `${RULE} warning packages/acme-s3/pyproject.toml:28 acme-s3 requires acme_CLI>=0.1 with no upper bound (in optional-dependencies.cli): the next breaking acme-cli release will be installed with this acme-s3 release too`,
    ]);
    const run = await applyFixes(root, true, [RULE]);
    const s3Before = run.before.get('packages/acme-s3/pyproject.toml')!.toString();
    const s3After = run.after.get('packages/acme-s3/pyproject.toml')!.toString();
    expect(s3After).toBe(s3Before.replace('dependencies = ["acme-core", ', 'dependencies = ["acme-core>=0.4.2,<0.5", '));
    const cliBefore = run.before.get('packages/acme-cli/pyproject.toml')!.toString();
    expect(run.after.get('packages/acme-cli/pyproject.toml')!.toString()).toBe(cliBefore.replace('"acme-core>=0.5,<1"', '"acme-core>=0.4.2,<0.5"'));
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} error packages/acme-cli/pyproject.toml:10 acme-cli: requires-python ">=3.10" admits Python 3.10, but its dependency acme-core (line 25; packages/acme-core/pyproject.toml:10) requires ">=3.11": on 3.10 pip falls back to older releases of it (or of acme-cli) or fails; raise requires-python to ">=3.11"`,
      `${RULE} warning packages/acme-cli/pyproject.toml:25 dependency cycle between packages of this repository: acme-cli → acme-core → acme-cli; none of them can be installed or released before the others`,
      `${RULE} error packages/acme-s3/pyproject.toml:10 acme-s3: requires-python ">=3.10" admits Python 3.10, but its dependency acme-core (line 25; packages/acme-core/pyproject.toml:10) requires ">=3.11": on 3.10 pip falls back to older releases of it (or of acme-s3) or fails; raise requires-python to ">=3.11"`,
      `${RULE} warning packages/acme-s3/pyproject.toml:28 acme-s3 requires acme_CLI>=0.1 with no upper bound (in optional-dependencies.cli): the next breaking acme-cli release will be installed with this acme-s3 release too`,
    ]);
  });

  it('reads versions from setuptools attr modules', async () => {
    expect(await findingRows(materialize('pyproject/dynamic-versions-broken'), RULE, WHOLE)).toEqual([
      `${RULE} error libs/web/pyproject.toml:23 acme-web: requires acme-api>=2.4,<3, but acme-api in this repository is 2.3.0 (from libs/api/src/acme_api/__init__.py): pip cannot install this release until PyPI has a release of acme-api that satisfies it; release one first, or require acme-api>=2.3.0,<3`,
    ]);
  });

  it('reads Poetry constraints and fixes the version string', async () => {
    const root = materialize('pyproject/poetry-only-broken');
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} error libs/extra/pyproject.toml:19 acme-extra: requires acme-core = "^3.0" (>=3.0,<4.0), but acme-core in this repository is 2.1.0 (libs/core/pyproject.toml:7): pip cannot install this release until PyPI has a release of acme-core that satisfies it; release one first, or require acme-core>=2.1.0,<3`,
    ]);
    const run = await applyFixes(root, true, [RULE]);
    const before = run.before.get('libs/extra/pyproject.toml')!.toString();
    expect(run.after.get('libs/extra/pyproject.toml')!.toString()).toBe(before.replace('acme-core = "^3.0"', 'acme-core = ">=2.1.0,<3"'));
    expect(await findingRows(root, RULE, WHOLE)).toEqual([]);
  });

  describe('PEP 440, by the sibling\'s version', () => {
    it.each([
      ['1.0.0rc1', 'open-ticket-ai>=1.0,<2', true],
      ['1.0.0rc1', 'open-ticket-ai>=1.0.0rc1,<2', false],
      ['1.0.0rc1', 'open-ticket-ai>=0.9,<2', false],
      ['2.0.0rc1', 'open-ticket-ai>=1.4,<2', true],
      ['1.4.0+local.7', 'open-ticket-ai==1.4.0', false],
      ['1.4.0', 'open-ticket-ai~=1.4', false],
      ['2.0.0', 'open-ticket-ai~=1.4', true],
      ['1.4.0', 'open-ticket-ai>=1.0,!=1.4.0,<2', true],
      ['1.4.1', 'open-ticket-ai>=1.0,!=1.4.*,<2', true],
      ['1.4.0', 'open-ticket-ai===1.4.0', false],
      ['1.4.0', 'open-ticket-ai===1.4', true],
      ['1.4.0.post1', 'open-ticket-ai>1.4.0,<2', true],
    ])('%s against %s: excluded = %s', async (version, dependency, excluded) => {
      const rows = await findingRows(pair(version, dependency), RULE, WHOLE);
      expect(rows.some((row) => row.includes(`but open-ticket-ai in this repository is ${version} `))).toBe(excluded);
      if (!excluded) expect(rows).toEqual([]);
    });
  });

  it('matches names by PEP 503 normalisation', async () => {
    expect(await findingRows(pair('1.4.0', 'Open_Ticket.AI>=2'), RULE, WHOLE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 open-ticket-ai-hf-local: requires Open_Ticket.AI>=2, but open-ticket-ai in this repository is 1.4.0 (pyproject.toml:7): pip cannot install this release until PyPI has a release of open-ticket-ai that satisfies it; release one first, or require Open_Ticket.AI>=1.4.0,<2`,
    ]);
  });

  it('keeps extras, parentheses and markers when it rewrites the specifier', async () => {
    const root = pair('1.4.0', "open-ticket-ai[hf] (>=2.0) ; python_version >= '3.10'");
    const run = await applyFixes(root, true, [RULE]);
    expect(run.after.get('plugins/hf/pyproject.toml')!.toString()).toContain(`dependencies = ["open-ticket-ai[hf] (>=1.4.0,<2) ; python_version >= '3.10'"]`);
  });

  it('warns about a missing upper bound and caps it at the next breaking release, when selected', async () => {
    const root = pair('1.4.0', 'open-ticket-ai>=1.2');
    expect(await findingRows(root, RULE)).toEqual([]);
    expect((await applyFixes(root, true)).written).toEqual([]);
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning plugins/hf/pyproject.toml:8 open-ticket-ai-hf-local requires open-ticket-ai>=1.2 with no upper bound: the next breaking open-ticket-ai release will be installed with this open-ticket-ai-hf-local release too`,
    ]);
    const run = await applyFixes(root, true, [RULE]);
    expect(run.after.get('plugins/hf/pyproject.toml')!.toString()).toContain('dependencies = ["open-ticket-ai>=1.2,<2"]');
  });

  it('takes require-upper-bound = false', async () => {
    const root = pair('1.4.0', 'open-ticket-ai>=1.2', { tool: '\n[tool.pypi-release-lint.rules]\n"pyproject/sibling-dependencies" = { require-upper-bound = false }\n' });
    expect(await findingRows(root, RULE, WHOLE)).toEqual([]);
  });

  it('compares requires-python, honouring a python_version marker', async () => {
    expect(await findingRows(pair('1.4.0', 'open-ticket-ai>=1.4,<2', { pluginPython: '>=3.9', corePython: '>=3.10' }), RULE, WHOLE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 open-ticket-ai-hf-local: requires-python ">=3.9" admits Python 3.9, but its dependency open-ticket-ai (line 9; pyproject.toml:8) requires ">=3.10": on 3.9 pip falls back to older releases of it (or of open-ticket-ai-hf-local) or fails; raise requires-python to ">=3.10"`,
    ]);
    expect(await findingRows(pair('1.4.0', 'open-ticket-ai>=1.4,<2; python_version >= "3.10"', { pluginPython: '>=3.9', corePython: '>=3.10' }), RULE, WHOLE)).toEqual([]);
    expect(await findingRows(pair('1.4.0', 'open-ticket-ai>=1.4,<2', { pluginPython: '>=3.10.4', corePython: '>=3.10' }), RULE, WHOLE)).toEqual([]);
    expect(await findingRows(pair('1.4.0', 'open-ticket-ai>=1.4,<2', { pluginPython: '>=3.10', corePython: '>=3.10,<3.13' }), RULE, WHOLE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 open-ticket-ai-hf-local: requires-python ">=3.10" admits Python 3.13, but its dependency open-ticket-ai (line 9; pyproject.toml:8) requires ">=3.10,<3.13": on 3.13 pip falls back to older releases of it (or of open-ticket-ai-hf-local) or fails; narrow requires-python to ">=3.10,<3.13"`,
    ]);
  });

  it('reports one finding per package for every sibling that requires a narrower Python, with both ends and the range to set', async () => {
    const sibling = (name: string, python: string): string => `${BUILD}[project]\nname = "${name}"\nversion = "1.0.0"\nrequires-python = "${python}"\n`;
    const repo = (secondPython: string): string =>
      writeRepo({
        'pyproject.toml': sibling('acme-core', '>=3.10, <3.15'),
        'src/acme_core/__init__.py': '',
        'libs/io/pyproject.toml': sibling('acme-io', secondPython),
        'libs/io/src/acme_io/__init__.py': '',
        'plugins/hf/pyproject.toml': `${sibling('acme-hf', '>=3.9, <3.15')}dependencies = [\n  "acme-core>=1.0,<2",\n  "acme-io>=1.0,<2",\n]\n`,
        'plugins/hf/src/acme_hf/__init__.py': '',
      });
    expect(await findingRows(repo('>=3.10, <3.15'), RULE, WHOLE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 acme-hf: requires-python ">=3.9, <3.15" admits Python 3.9, but its dependencies acme-core (line 10; pyproject.toml:8) and acme-io (line 11; libs/io/pyproject.toml:8) require ">=3.10, <3.15": on 3.9 pip falls back to older releases of them (or of acme-hf) or fails; raise requires-python to ">=3.10, <3.15"`,
    ]);
    expect(await findingRows(repo('>=3.11, <3.13'), RULE, WHOLE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 acme-hf: requires-python ">=3.9, <3.15" admits Python 3.9, but its dependencies acme-core (line 10; pyproject.toml:8) requires ">=3.10, <3.15" and acme-io (line 11; libs/io/pyproject.toml:8) requires ">=3.11, <3.13": on 3.9 pip falls back to older releases of them (or of acme-hf) or fails; narrow requires-python to ">=3.11, <3.13"`,
    ]);
  });

  it('tells a requirement behind the sibling\'s version from one ahead of it', async () => {
    expect(await findingRows(pair('1.4.0', 'open-ticket-ai>=0.9,<1'), RULE, WHOLE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 open-ticket-ai-hf-local: requires open-ticket-ai>=0.9,<1, but open-ticket-ai in this repository is 1.4.0 (pyproject.toml:7): pip pairs this release with another open-ticket-ai release, never the one in this repository; require open-ticket-ai>=1.4.0,<2`,
    ]);
  });

  it("warns, not errs, when the sibling is at a development version and the range names its last release line (separately released packages)", async () => {
    expect(await findingRows(pair('0.5b0.dev', 'open-ticket-ai>=0.4b0,<0.5b0'), RULE, WHOLE)).toEqual([
      `${RULE} warning plugins/hf/pyproject.toml:8 open-ticket-ai-hf-local: requires open-ticket-ai>=0.4b0,<0.5b0, below open-ticket-ai 0.5b0.dev in this repository (pyproject.toml:7), a development version: ` +
        "this release pairs with open-ticket-ai as released on PyPI, not with the code beside it that the repository's own tests run against; " +
        'keep it if the package is also tested against that release, else require open-ticket-ai>=0.5b0.dev0,<0.6',
    ]);
  });

  it('offers no fix when the sibling\'s version comes from git tags', async () => {
    const root = pair('1.4.0', 'open-ticket-ai');
    const text = `${BUILD.replace('"hatchling>=1.26"', '"hatchling>=1.26", "hatch-vcs>=0.4"')}[project]\nname = "open-ticket-ai"\ndynamic = ["version"]\n\n[tool.hatch.version]\nsource = "vcs"\n`;
    const vcs = writeRepo({ 'pyproject.toml': text, 'src/open_ticket_ai/__init__.py': '', 'plugins/hf/pyproject.toml': `${BUILD}[project]\nname = "open-ticket-ai-hf-local"\nversion = "1.0.0"\ndependencies = ["open-ticket-ai"]\n`, 'plugins/hf/src/open_ticket_ai_hf_local/__init__.py': '' });
    const finding = (await lintRepo(vcs)).findings.find((item) => item.ruleId === RULE)!;
    expect(finding.message).toBe('open-ticket-ai-hf-local requires open-ticket-ai with no lower bound: pip may pair it with any older open-ticket-ai release');
    expect(finding.fix).toBeUndefined();
    expect((await lintRepo(root)).findings.find((item) => item.ruleId === RULE)!.fix?.applicability).toBe('unsafe');
  });

  it('finds the specifier inside a requirement string', () => {
    const cases: [string, string, string][] = [
      ['open-ticket-ai>=2.0,<3', 'open-ticket-ai', '>=2.0,<3'],
      ['open-ticket-ai', 'open-ticket-ai', ''],
      ['  open-ticket-ai [hf, x]  >= 2.0 ; python_version < "3.12"', 'open-ticket-ai', '>= 2.0'],
      ['open-ticket-ai (>=2.0)', 'open-ticket-ai', '>=2.0'],
      ['open-ticket-ai;sys_platform=="linux"', 'open-ticket-ai', ''],
    ];
    for (const [requirement, name, specifier] of cases) {
      const span = specifierSpan(requirement, name)!;
      expect(requirement.slice(span.start, span.end)).toBe(specifier);
    }
  });
});
