/**
 * Fixes that say what they will do (issue 21): each fix kind's applicability in `rules` and the rule
 * pages, the summary counting safe and unsafe fixes apart, `[*]` on what --fix fixes, the applicability
 * in JSON and SARIF, and `--show-fixes`. Through the real CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { codeOfFinding, fixesOf } from '../src/engine/codes.js';
import { ensureBuilt, FIXTURES, lint, materialize, runCli, snapshotTree } from './helpers/fixtures.js';

beforeAll(() => {
  ensureBuilt();
});

/**
 * missing-metadata, its otobo plugin without [project.urls], with the recommended fields selected:
 * two safe fixes (readme, requires-python of hf-local) and one unsafe one (the URLs, from the
 * configured repository, which may not be the public home).
 */
function safeAndUnsafe(): string {
  const root = materialize('missing-metadata');
  const otobo = path.join(root, 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml');
  const text = fs.readFileSync(otobo, 'utf8');
  const withoutUrls = text.replace(/\n\[project\.urls\]\n(?:[^[\n][^\n]*\n)*/, '\n');
  expect(withoutUrls).not.toBe(text);
  fs.writeFileSync(otobo, withoutUrls);
  const pyproject = path.join(root, 'pyproject.toml');
  fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace('[tool.pypi-release-lint]\n', '[tool.pypi-release-lint]\nextend-select = ["pyproject/metadata/missing-recommended"]\n'));
  return root;
}

const URL_MESSAGE = 'open-ticket-ai-otobo-znuny-plugin: [project] has no "urls": the project page links to no source, docs or issue tracker';

describe('rules and their pages say which fixes are safe', () => {
  it('`rules` shows each kind its own fix, and a rule whose kinds differ both', () => {
    const table = runCli(['rules']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^pyproject\/metadata\s+release\+hygiene\s+by kind\s+safe\+unsafe\s+A published package whose \[project\]/m);
    expect(table.stdout).toMatch(/^ {2}pyproject\/metadata\/missing-name-or-version\s+release\s+error\s+-\s+/m);
    expect(table.stdout).toMatch(/^ {2}pyproject\/metadata\/missing-required\s+hygiene\s+warning\s+safe\s+/m);
    expect(table.stdout).toMatch(/^ {2}pyproject\/metadata\/missing-recommended\s+hygiene\s+off \(warning\)\s+unsafe\s+/m);
    expect(table.stdout).toMatch(/^ {2}pyproject\/classifiers\/duplicate\s+hygiene\s+off \(warning\)\s+safe\s+/m);
    expect(table.stdout).toMatch(/^ {2}pyproject\/classifiers\/rejected\s+release\s+error\s+-\s+/m);
    const json = JSON.parse(runCli(['rules', '--format', 'json']).stdout) as { id: string; fixable: string; kinds?: { id: string; fixable: string }[] }[];
    const metadata = json.find((rule) => rule.id === 'pyproject/metadata')!;
    expect(metadata.fixable).toBe('safe+unsafe');
    expect(metadata.kinds!.map((kind) => [kind.id, kind.fixable])).toEqual([
      ['pyproject/metadata/missing-name-or-version', 'none'],
      ['pyproject/metadata/missing-required', 'safe'],
      ['pyproject/metadata/missing-recommended', 'unsafe'],
    ]);
    const page = runCli(['explain', 'pyproject/metadata']).stdout;
    expect(page).toContain('Fix: safe fix (--fix) or unsafe fix (--fix --unsafe-fixes).');
    expect(page).toContain('| `pyproject/metadata/missing-recommended` | hygiene | off (warning) | unsafe |');
  }, 180_000);

  it('every fix a rule reports has the applicability its kind declares (every variant, every kind of the rules that fix)', async () => {
    // the bad-config variant's config is invalid: a run stops before any rule
    const variants = fs.readdirSync(path.join(FIXTURES, 'variants')).filter((name) => name !== 'bad-config');
    const fixing = allRules.filter((rule) => fixesOf(rule.meta).length > 0).map((rule) => rule.meta.id);
    const mismatches = new Set<string>();
    let fixes = 0;
    for (const name of ['open-ticket-ai', ...variants]) {
      for (const finding of await lint(materialize(name), { select: fixing })) {
        if (!finding.fix) continue;
        fixes++;
        const code = codeOfFinding(allRules.find((rule) => rule.meta.id === finding.ruleId)!.meta, finding.kind);
        if (code.fixable !== finding.fix.applicability) mismatches.add(`${code.id} declares ${code.fixable}, reports ${finding.fix.applicability}`);
      }
    }
    expect(fixes).toBeGreaterThan(10);
    expect([...mismatches]).toEqual([]);
  }, 120_000);
});

describe('a report says which fixes --fix applies', () => {
  let root: string;
  beforeAll(() => {
    root = safeAndUnsafe();
  }, 180_000);

  it('stylish marks what --fix fixes with [*] and counts safe and unsafe fixes apart', () => {
    const result = runCli([root], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('  5:2  warning  [*] open-ticket-ai-hf-local: [project] has no "readme": the PyPI project page has no description  pyproject/metadata\n');
    expect(result.stdout).toContain('  5:2  warning  open-ticket-ai-hf-local: [project] has no "description": ');
    // the URL fix is unsafe: no [*] unless --unsafe-fixes is given
    expect(result.stdout).toMatch(new RegExp(`  5:2  warning  ${escape(URL_MESSAGE)}  pyproject/metadata\\n`));
    expect(result.stdout.endsWith('  2 fixable with --fix, 1 more with --unsafe-fixes\n')).toBe(true);
    const unsafe = runCli([root, '--unsafe-fixes'], { cwd: root });
    expect(unsafe.stdout).toMatch(new RegExp(`  5:2  warning  \\[\\*\\] ${escape(URL_MESSAGE)}  pyproject/metadata\\n`));
  }, 180_000);

  it('an unsafe fix alone is not counted as fixable with --fix', () => {
    const result = runCli([materialize('missing-build-system')]);
    expect(result.stdout.endsWith('  2 fixable with --fix --unsafe-fixes (none with --fix alone)\n')).toBe(true);
    expect(result.stdout).not.toContain('[*]');
  }, 180_000);

  it('JSON and SARIF carry each finding\'s fix applicability and what it does', () => {
    const json = JSON.parse(runCli([root, '--format', 'json']).stdout) as {
      findings: { message: string; fixable: boolean; fix?: { applicability: string; description: string } }[];
      summary: Record<string, number>;
    };
    const byMessage = new Map(json.findings.map((finding) => [finding.message, finding]));
    expect(byMessage.get(URL_MESSAGE)).toMatchObject({ fixable: true, fix: { applicability: 'unsafe', description: 'add [project.urls] for softoft-orga/open-ticket-ai' } });
    expect(byMessage.get('open-ticket-ai-hf-local: [project] has no "readme": the PyPI project page has no description')).toMatchObject({
      fixable: true,
      fix: { applicability: 'safe', description: 'set readme to README.md' },
    });
    const description = byMessage.get('open-ticket-ai-hf-local: [project] has no "description": PyPI shows an empty summary in search results')!;
    expect(description.fixable).toBe(false);
    expect('fix' in description).toBe(false);
    expect(json.summary).toMatchObject({ fixable: 3, fixableSafe: 2, fixableUnsafe: 1 });

    const sarif = JSON.parse(runCli([root, '--format', 'sarif']).stdout) as { runs: { results: { message: { text: string }; properties: Record<string, unknown> }[] }[] };
    const result = sarif.runs[0]!.results.find((entry) => entry.message.text === URL_MESSAGE)!;
    expect(result.properties.fix).toEqual({ applicability: 'unsafe', description: 'add [project.urls] for softoft-orga/open-ticket-ai' });
    expect(sarif.runs[0]!.results.filter((entry) => entry.properties.fix === undefined).length).toBe(json.findings.filter((finding) => !finding.fixable).length);
  }, 180_000);

  it('--show-fixes lists what --fix changed, and --diff --show-fixes what it would', () => {
    const copy = safeAndUnsafe();
    const before = snapshotTree(copy);
    const diff = runCli([copy, '--diff', '--show-fixes']);
    expect(diff.status).toBe(1);
    expect(diff.stderr).toBe(
      [
        'would fix 2 problems:',
        '- src/open_ticket_ai_hf_local/pyproject.toml:',
        '    5:2  pyproject/metadata/missing-required  safe: set readme to README.md',
        '    5:2  pyproject/metadata/missing-required  safe: set requires-python to >=3.10 from the classifiers',
        '',
      ].join('\n'),
    );
    expect(snapshotTree(copy)).toEqual(before);
    const fixed = runCli([copy, '--fix', '--unsafe-fixes', '--show-fixes']);
    expect(fixed.stderr).toBe(
      [
        'fixed 2 files: src/open_ticket_ai_hf_local/pyproject.toml, src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml',
        'fixed 3 problems:',
        '- src/open_ticket_ai_hf_local/pyproject.toml:',
        '    5:2  pyproject/metadata/missing-required  safe: set readme to README.md',
        '    5:2  pyproject/metadata/missing-required  safe: set requires-python to >=3.10 from the classifiers',
        '- src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:',
        '    5:2  pyproject/metadata/missing-recommended  unsafe: add [project.urls] for softoft-orga/open-ticket-ai',
        '',
      ].join('\n'),
    );
    // what is left has no fix, and nothing else changed
    const after = snapshotTree(copy);
    const changed = [...after.keys()].filter((file) => !before.get(file)!.equals(after.get(file)!));
    expect(changed).toEqual(['src/open_ticket_ai_hf_local/pyproject.toml', 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml']);
    expect(runCli([copy, '--format', 'json']).stdout).toContain('"fixable": 0,');
    expect(runCli([copy, '--fix', '--show-fixes']).stderr).toBe('fixed nothing: no fix applies\n');
  }, 180_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
