import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { ruleMetas } from '../rules/index.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { isRuleSelectorShaped, parseSelector, perFileIgnoreMatcher, resolveSelection, type SelectionLayer, type Selector } from '../src/config/selection.js';
import { codesOf, type Code } from '../src/engine/codes.js';
import { defineRule } from '../src/engine/rule.js';
import { lint } from './helpers/fixtures.js';
import { COMPLETE_PYPROJECT, ENGINE_RULES, testMeta, writeRepo } from './helpers/repo.js';

const CODES = [...ruleMetas.values()].flatMap(codesOf);
const code = (id: string): Code => CODES.find((item) => item.id === id)!;
const DEFAULT = CODES.filter((item) => item.enabledByDefault).map((item) => item.id);

function selector(text: string): Selector {
  const parsed = parseSelector(text, CODES);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** The code ids a selector names, sorted. */
const named = (text: string): string[] => CODES.filter(selector(text).matches).map((item) => item.id).sort();

const layer = (fields: Partial<SelectionLayer>): SelectionLayer => ({ extendSelect: [], ignore: [], severityRules: [], ...fields });

/** The selected code ids after these layers (the config's, then the command line's), sorted. */
const selected = (...layers: SelectionLayer[]): string[] => [...resolveSelection(CODES, layers)].sort();

/** `selected` compared with the default set: what was added and what was removed. */
function change(...layers: SelectionLayer[]): { added: string[]; removed: string[] } {
  const after = selected(...layers);
  return { added: after.filter((id) => !DEFAULT.includes(id)), removed: DEFAULT.filter((id) => !after.includes(id)).sort() };
}

function configProblems(root: string, request: Parameters<typeof loadConfig>[1] = {}): { source: string; problems: string[] } | undefined {
  try {
    loadConfig(root, request, ruleMetas);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return { source: error.source, problems: error.problems };
    throw error;
  }
}

describe('selectors', () => {
  it('all (any case) names every code; a category names the codes of that category', () => {
    expect(named('all')).toEqual(CODES.map((item) => item.id).sort());
    expect(named('ALL')).toEqual(named('all'));
    expect(named('security')).toEqual([
      'secrets/exposure',
      'secrets/hardcoded',
      'secrets/per-package-token',
      'workflow/permissions',
      'workflow/reusable-contract/secrets-inherit',
      'workflow/trusted-publishing/id-token-exposure',
      'workflow/trusted-publishing/id-token-scope',
      'workflow/trusted-publishing/no-environment',
      'workflow/trusted-publishing/token-upload',
    ]);
    expect(named('hygiene').every((id) => code(id).category === 'hygiene')).toBe(true);
  });

  it('a group, a rule and a kind name what lies below them, by whole segments', () => {
    expect(named('pyproject/')).toEqual(named('pyproject'));
    expect(named('pyproject/').every((id) => id.startsWith('pyproject/'))).toBe(true);
    expect(named('pyproject/build-system')).toEqual(['pyproject/build-system/backend-floor', 'pyproject/build-system/backend-lower-bound', 'pyproject/build-system/incomplete']);
    expect(named('pyproject/build-system/backend-lower-bound')).toEqual(['pyproject/build-system/backend-lower-bound']);
    expect(named('readme/install-docs')).toEqual(['readme/install-docs']);
  });

  it('a glob keeps * within one segment and covers the kinds of the rules it matches', () => {
    expect(named('workflow/tag-*')).toEqual(['workflow/tag-overlap', 'workflow/tag-version']);
    expect(named('*/tag-docs')).toEqual(['readme/tag-docs']);
    expect(named('pyproject/metadata/missing-*')).toEqual(['pyproject/metadata/missing-name-or-version', 'pyproject/metadata/missing-recommended', 'pyproject/metadata/missing-required']);
    expect(named('pyproject/sib*')).toEqual(named('pyproject/sibling-dependencies'));
  });

  it('says why a selector is none, and suggests the glob for a prefix that stops inside a segment', () => {
    const problem = (text: string): string => parseSelector(text, CODES) as string;
    expect(problem('pyproject/meta')).toBe('"pyproject/meta" selects no rule (a prefix matches whole segments only: did you mean pyproject/metadata/missing-name-or-version or pyproject/meta*?)');
    expect(problem('nope/rule')).toBe('"nope/rule" selects no rule (see pypi-release-lint rules)');
    for (const text of ['examples/**', 'a/b/c/d', 'Pyproject/', 'docs/*.md', '']) {
      expect(problem(text), text).toMatch(/is not a rule selector \(a rule, kind or group id, a glob such as workflow\/tag-\*, a category: release, security, hygiene, or all\)$/);
    }
  });

  it('orders by specificity: all < group glob < group = category < rule glob < rule < kind glob < kind', () => {
    const order = ['all', 'py*', 'pyproject/', 'hygiene', 'pyproject/meta*', 'pyproject/metadata', 'pyproject/metadata/missing-*', 'pyproject/metadata/missing-required'];
    expect(order.map((text) => selector(text).specificity)).toEqual([0, 2, 3, 3, 4, 5, 6, 7]);
  });

  it('tells a rule selector from a path, for the old meaning of ignore', () => {
    const groups = new Set(['core', 'pyproject', 'workflow', 'secrets', 'readme', 'gate']);
    for (const text of ['pyproject/', 'readme', 'workflow/tag-*', 'hygiene', 'ALL', 'py*/metadata']) expect(isRuleSelectorShaped(text, groups), text).toBe(true);
    for (const text of ['examples/**', 'docs/*.md', 'sandbox', 'plugins/d/pyproject.toml', 'Examples']) expect(isRuleSelectorShaped(text, groups), text).toBe(false);
  });
});

describe('resolution, as in ruff', () => {
  it('starts from the codes that are on by default', () => {
    expect(selected()).toEqual([...DEFAULT].sort());
    expect(DEFAULT).toContain('pyproject/build-system/incomplete');
    expect(DEFAULT).not.toContain('readme/install-docs');
  });

  it('select replaces the default set, extend-select adds to it, ignore removes from it', () => {
    expect(selected(layer({ select: ['security'] }))).toEqual(named('security'));
    expect(change(layer({ extendSelect: ['readme/install-docs', 'readme/tag-docs'] }))).toEqual({ added: ['readme/install-docs', 'readme/tag-docs'], removed: [] });
    expect(change(layer({ ignore: ['secrets/'] }))).toEqual({ added: [], removed: DEFAULT.filter((id) => id.startsWith('secrets/')).sort() });
    expect(selected(layer({ select: [] }))).toEqual([]);
  });

  it('within one layer the more specific selector wins, and ignore wins a tie', () => {
    expect(selected(layer({ select: ['pyproject/'], ignore: ['pyproject/urls'] }))).toEqual(named('pyproject/').filter((id) => !id.startsWith('pyproject/urls/')));
    expect(selected(layer({ select: ['pyproject/urls'], ignore: ['pyproject/'] }))).toEqual(named('pyproject/urls'));
    expect(selected(layer({ select: ['pyproject/urls'], ignore: ['pyproject/urls'] }))).toEqual([]);
    expect(selected(layer({ select: ['pyproject/build-system/backend-lower-bound'], ignore: ['pyproject/build-system'] }))).toEqual(['pyproject/build-system/backend-lower-bound']);
    // A category is as specific as a group: either way round, the one without the other.
    expect(selected(layer({ select: ['pyproject/'], ignore: ['hygiene'] }))).toEqual(named('pyproject/').filter((id) => code(id).category !== 'hygiene'));
    expect(selected(layer({ select: ['hygiene'], ignore: ['pyproject/'] }))).toEqual(named('hygiene').filter((id) => !id.startsWith('pyproject/')));
    expect(selected(layer({ select: ['all'], ignore: ['hygiene'] }))).toEqual(CODES.filter((item) => item.category !== 'hygiene').map((item) => item.id).sort());
  });

  it("the command line's layer comes after the config's: its select replaces, its extend-select and ignore change", () => {
    const config = layer({ ignore: ['pyproject/urls'] });
    expect(selected(config, layer({ select: ['pyproject/urls'] }))).toEqual(named('pyproject/urls'));
    expect(selected(layer({ select: ['security'] }), layer({ extendSelect: ['readme/install-docs'] }))).toEqual([...named('security'), 'readme/install-docs'].sort());
    expect(change(layer({ extendSelect: ['readme/install-docs'] }), layer({ ignore: ['readme/install-docs'] }))).toEqual({ added: [], removed: [] });
    expect(change(layer({ extendSelect: ['hygiene'] }), layer({ ignore: ['pyproject/'] })).removed).toEqual(DEFAULT.filter((id) => id.startsWith('pyproject/')).sort());
  });

  it('a severity selects the whole rule at rule level, wins a tie with ignore, and loses to a kind', () => {
    expect(change(layer({ severityRules: ['readme/install-docs'] }))).toEqual({ added: ['readme/install-docs'], removed: [] });
    expect(change(layer({ ignore: ['readme/install-docs'], severityRules: ['readme/install-docs'] }))).toEqual({ added: ['readme/install-docs'], removed: [] });
    expect(change(layer({ ignore: ['pyproject/metadata/missing-recommended'], severityRules: ['pyproject/metadata'] }))).toEqual({ added: [], removed: [] });
    expect(change(layer({ severityRules: ['pyproject/metadata'] })).added).toEqual(['pyproject/metadata/missing-recommended']);
    // The command line's select starts over: a severity in the config no longer selects.
    expect(selected(layer({ severityRules: ['readme/install-docs'] }), layer({ select: ['security'] }))).toEqual(named('security'));
  });
});

describe('per-file-ignores', () => {
  it('drops the codes its selectors name in the files its glob matches; a glob without / matches file names', () => {
    const ignored = perFileIgnoreMatcher(
      [
        { pattern: 'docs/**', selectors: ['readme/'] },
        { pattern: 'pyproject.toml', selectors: ['pyproject/metadata/missing-required'] },
      ],
      CODES,
    );
    expect(ignored('docs/releasing.md', code('readme/tag-docs'))).toBe(true);
    expect(ignored('README.md', code('readme/tag-docs'))).toBe(false);
    expect(ignored('docs/releasing.md', code('secrets/documented'))).toBe(false);
    expect(ignored('plugins/a/pyproject.toml', code('pyproject/metadata/missing-required'))).toBe(true);
    expect(ignored('pyproject.toml', code('pyproject/metadata/missing-name-or-version'))).toBe(false);
  });
});

describe('selection in the config', () => {
  it('reads select, extend-select, ignore, per-file-ignores and exclude; a severity in rules selects that rule', () => {
    const text =
      `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nselect = ["release"]\nextend-select = ["readme/"]\nignore = ["readme/tag-docs"]\nexclude = ["examples/**"]\n` +
      '[tool.pypi-release-lint.rules]\n"secrets/documented" = "warning"\n"workflow/trusted-publishing" = "off"\n"pyproject/metadata" = { required = ["name"] }\n' +
      '[tool.pypi-release-lint.per-file-ignores]\n"docs/**" = ["readme/badge-targets"]\n';
    const config = loadConfig(writeRepo({ 'pyproject.toml': text }), { rootPyproject: parse(text), extendSelect: ['hygiene'] }, ruleMetas);
    expect(config.selection).toEqual([
      { select: ['release'], extendSelect: ['readme/'], ignore: ['readme/tag-docs'], severityRules: ['secrets/documented'] },
      { extendSelect: ['hygiene'], ignore: [], severityRules: [] },
    ]);
    expect(config.perFileIgnores).toEqual([{ pattern: 'docs/**', selectors: ['readme/badge-targets'] }]);
    expect(config.ignore).toEqual(['examples/**']);
  });

  it('still reads an ignore of paths only as paths to skip, as before rule selection', () => {
    const root = writeRepo({ '.pypi-release-lint.toml': 'ignore = ["examples/**", "sandbox"]\nexclude = ["old/**"]\n' });
    const config = loadConfig(root, {}, ruleMetas);
    expect(config.ignore).toEqual(['old/**', 'examples/**', 'sandbox']);
    expect(config.selection[0]!.ignore).toEqual([]);
  });

  it('skips the paths of exclude, and of an old ignore, when it discovers the packages', async () => {
    const broken = '[project]\nname = "example"\nversion = "1.0"\n';
    for (const key of ['exclude', 'ignore']) {
      const root = writeRepo({ 'pyproject.toml': `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\n${key} = ["examples/**"]\n`, 'examples/demo/pyproject.toml': broken, 'tools/x/pyproject.toml': broken });
      const findings = await lint(root, { rules: ENGINE_RULES });
      expect([...new Set(findings.map((finding) => finding.file))], key).toEqual(['tools/x/pyproject.toml']);
    }
  });

  it('rejects an ignore that mixes rule selectors and paths, and selectors that select nothing, naming the key', () => {
    const root = writeRepo({
      '.pypi-release-lint.toml':
        'select = ["pyproject/meta"]\nextend-select = ["hygeine"]\nignore = ["pyproject/urls", "examples/**"]\n[per-file-ignores]\n"docs/**" = ["readme/nope"]\n',
    });
    expect(configProblems(root)).toEqual({
      source: '.pypi-release-lint.toml',
      problems: [
        'ignore: mixes rule selectors (pyproject/urls) and paths (examples/**); rule selectors go in ignore, paths to skip in exclude',
        'select: "pyproject/meta" selects no rule (a prefix matches whole segments only: did you mean pyproject/metadata/missing-name-or-version or pyproject/meta*?)',
        'extend-select: "hygeine" selects no rule (see pypi-release-lint rules)',
        'per-file-ignores."docs/**": "readme/nope" selects no rule (see pypi-release-lint rules)',
      ],
    });
    const typo = writeRepo({ '.pypi-release-lint.toml': 'ignore = ["pyproject/metadatta"]\n' });
    expect(configProblems(typo)?.problems).toEqual(['ignore: "pyproject/metadatta" selects no rule (see pypi-release-lint rules)']);
  });

  it('rejects a command-line selector that selects nothing, naming the flag', () => {
    expect(configProblems(writeRepo({}), { select: ['pyproject/', 'workflow/tag-*', 'nope/x'] })).toEqual({
      source: '--select',
      problems: ['"nope/x" selects no rule (see pypi-release-lint rules)'],
    });
    expect(configProblems(writeRepo({}), { ignore: ['examples/**'] })?.source).toBe('--ignore');
  });
});

describe('the engine', () => {
  const NO_BUILD_SYSTEM = '[project]\nname = "demo"\nversion = "1.0"\ndescription = "d"\nreadme = "README.md"\nrequires-python = ">=3.10"\nlicense = "MIT"\n';

  it('runs only the rules some code of which is selected', async () => {
    const calls: string[] = [];
    const counting = (id: string, enabledByDefault: boolean) =>
      defineRule({
        meta: { ...testMeta(id), category: enabledByDefault ? 'release' : 'hygiene', defaultSeverity: 'warning', enabledByDefault },
        check: () => void calls.push(id),
        warmUp: () => void calls.push(`${id} warm-up`),
      });
    const rules = [counting('test/on', true), counting('test/off', false)];
    const root = writeRepo({ 'pyproject.toml': NO_BUILD_SYSTEM });
    await lint(root, { rules });
    expect(calls).toEqual(['test/on warm-up', 'test/on']);
    calls.length = 0;
    await lint(root, { rules, select: ['test/off'] });
    expect(calls).toEqual(['test/off warm-up', 'test/off']);
  });

  it('never lets a rule report a hygiene finding as an error; a user who configures one as error gets errors', async () => {
    const loud = defineRule({
      meta: { ...testMeta('test/loud'), category: 'hygiene', defaultSeverity: 'warning' },
      check({ project, report }) {
        report({ file: project.rootPyproject!, message: 'a bug: an error of a hygiene rule', severity: 'error' });
      },
    });
    const root = writeRepo({ 'pyproject.toml': NO_BUILD_SYSTEM });
    expect((await lint(root, { rules: [loud] })).map((finding) => [finding.severity, finding.category])).toEqual([['warning', 'hygiene']]);
    expect((await lint(root, { rules: [loud], ruleOverrides: ['test/loud=error'] })).map((finding) => finding.severity)).toEqual(['error']);
  });

  it('off wins over every selector', async () => {
    const root = writeRepo({ 'pyproject.toml': NO_BUILD_SYSTEM });
    const ruleIds = async (ruleOverrides: string[]): Promise<string[]> => [...new Set((await lint(root, { rules: ENGINE_RULES, select: ['all'], ruleOverrides })).map((finding) => finding.ruleId))];
    expect(await ruleIds([])).toEqual(['pyproject/build-system', 'pyproject/metadata']);
    expect(await ruleIds(['pyproject/build-system=off'])).toEqual(['pyproject/metadata']);
  });

  it('applies per-file-ignores from the config to the findings of those files only', async () => {
    const plugin = '[project]\nname = "plugin"\nversion = "1.0"\n';
    const root = writeRepo({
      'pyproject.toml': `${NO_BUILD_SYSTEM}\n[tool.pypi-release-lint.per-file-ignores]\n"plugins/**" = ["pyproject/build-system"]\n"pyproject.toml" = ["pyproject/metadata"]\n`,
      'plugins/a/pyproject.toml': plugin,
    });
    const rows = async (): Promise<string[]> => (await lint(root, { rules: ENGINE_RULES })).map((finding) => `${finding.ruleId} ${finding.file}`);
    // "pyproject.toml" has no slash: it names every file of that name, the plugin's too.
    expect(await rows()).toEqual(['pyproject/build-system pyproject.toml']);
    fs.writeFileSync(path.join(root, 'pyproject.toml'), fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8').replace('"pyproject.toml" =', '"other/pyproject.toml" ='));
    expect(await rows()).toEqual([...Array(4).fill('pyproject/metadata plugins/a/pyproject.toml'), 'pyproject/build-system pyproject.toml']);
  });
});
