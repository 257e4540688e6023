/**
 * Roots, paths and files like ruff (issue 21): the root found from any subdirectory, a warning when
 * nothing was checked, paths relative to the current directory (stylish) and to the Actions workspace
 * (github, SARIF), file arguments, `--baseline`, two config files, and why `--max-warnings` exits 1.
 * Through the real CLI, in real git repositories; each test runs it several times, hence their timeouts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, materialize, runCli, tempDir } from './helpers/fixtures.js';

beforeAll(() => {
  ensureBuilt();
});

interface JsonReport {
  root: string;
  findings: { ruleId: string; kind?: string; file: string; line: number; message: string; severity: string }[];
  summary: { files: number };
}

const rows = (report: JsonReport): string[] => report.findings.map((finding) => `${finding.ruleId}${finding.kind ? `/${finding.kind}` : ''} ${finding.file}:${finding.line}`);

function json(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): JsonReport {
  const result = runCli(['--format', 'json', ...args], { cwd, env });
  expect(result.status, result.stderr).not.toBe(2);
  return JSON.parse(result.stdout) as JsonReport;
}

/** Drops the seed's [tool.pypi-release-lint] tables (the last ones of its root pyproject): the repo no longer configures the linter. */
function unconfigure(root: string): void {
  const pyproject = path.join(root, 'pyproject.toml');
  const text = fs.readFileSync(pyproject, 'utf8');
  fs.writeFileSync(pyproject, text.slice(0, text.indexOf('\n[tool.pypi-release-lint')) + '\n');
  expect(fs.readFileSync(pyproject, 'utf8')).not.toContain('pypi-release-lint');
}

function gitInit(directory: string): void {
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '--quiet'], { cwd: directory });
}

/** The seed as its README describes it: fifteen release findings, in workflows and pyprojects. */
const SEED_ROWS = [
  'workflow/release-trigger .github/workflows/publish-hf-local.yml:8',
  'workflow/trigger-reachability/release-and-tag .github/workflows/publish-hf-local.yml:8',
  'workflow/reusable-contract/broken .github/workflows/publish-hf-local.yml:28',
  'workflow/release-trigger .github/workflows/publish-open-ticket-ai.yml:8',
  'workflow/trigger-reachability/release-and-tag .github/workflows/publish-open-ticket-ai.yml:8',
  'workflow/reusable-contract/broken .github/workflows/publish-open-ticket-ai.yml:28',
  'workflow/release-trigger .github/workflows/publish-otobo-znuny.yml:8',
  'workflow/trigger-reachability/release-and-tag .github/workflows/publish-otobo-znuny.yml:8',
  'workflow/reusable-contract/broken .github/workflows/publish-otobo-znuny.yml:28',
  'workflow/tag-version .github/workflows/publish-to-pypi.yml:27',
  'secrets/declared .github/workflows/publish-to-pypi.yml:64',
  'pyproject/package-contents pyproject.toml:42',
  'pyproject/package-contents pyproject.toml:42',
  'pyproject/readme/broken src/open_ticket_ai_hf_local/pyproject.toml:9',
  'pyproject/readme/broken src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:9',
];

describe('the root, found as ruff finds its config', () => {
  it('from a subdirectory: the repository (its config) is linted whole, paths shown from where the run is', () => {
    const root = materialize('seed-as-described');
    gitInit(root);
    const subdirectory = path.join(root, 'src/open_ticket_ai_hf_local');
    const report = json([], subdirectory);
    expect(fs.realpathSync(report.root)).toBe(fs.realpathSync(root));
    expect(rows(report)).toEqual(SEED_ROWS);
    const stylish = runCli([], { cwd: subdirectory });
    expect(stylish.status).toBe(1);
    expect(stylish.stdout).toContain('\n../../.github/workflows/publish-hf-local.yml\n  8:3   error  ');
    expect(stylish.stdout).toContain('\npyproject.toml\n  9:10  error  open-ticket-ai-hf-local: readme');
    expect(stylish.stdout).toContain('\n../open_ticket_ai_otobo_znuny_plugin/pyproject.toml\n  9:10  error  ');
    expect(stylish.stdout).toContain('\n../../pyproject.toml\n  42:10  error  ');
  }, 180_000);

  it('the git top when no directory on the way configures the linter; the nearest config when one does', () => {
    const outer = tempDir('prl-outer-');
    gitInit(outer);
    const project = path.join(outer, 'project');
    fs.cpSync(materialize('seed-as-described'), project, { recursive: true });
    // the seed configures the linter in its root pyproject: that directory, not the git top
    expect(fs.realpathSync(json([], path.join(project, 'src')).root)).toBe(fs.realpathSync(project));
    unconfigure(project);
    expect(fs.realpathSync(json([], path.join(project, 'src')).root)).toBe(fs.realpathSync(outer));
    // .pypi-release-lint.toml configures it too
    fs.writeFileSync(path.join(project, '.pypi-release-lint.toml'), 'repository = "softoft-orga/open-ticket-ai"\n');
    expect(fs.realpathSync(json([], path.join(project, 'src')).root)).toBe(fs.realpathSync(project));
  }, 180_000);

  it('an empty directory is a warning, not "no problems"', () => {
    const empty = tempDir('prl-empty-');
    const stylish = runCli([empty]);
    expect(stylish).toMatchObject({ status: 0, stderr: '' });
    expect(stylish.stdout).toBe(`⚠ 0 files checked under ${empty}: no pyproject.toml, workflow or README found (is this the repository?)\n`);
    expect(stylish.stdout).not.toContain('no problems');
    const asJson = runCli([empty, '--format', 'json']);
    expect(asJson.stderr).toBe(`pypi-release-lint: warning: 0 files checked under ${empty}: no pyproject.toml, workflow or README found (is this the repository?)\n`);
    expect((JSON.parse(asJson.stdout) as JsonReport).summary.files).toBe(0);
  }, 180_000);

  it('one file checked is "1 file"', () => {
    const root = tempDir('prl-one-file-');
    fs.writeFileSync(path.join(root, 'README.md'), '# demo\n');
    expect(runCli([root])).toMatchObject({ status: 0, stdout: '✔ no problems (1 file checked)\n' });
  }, 180_000);
});

describe('paths in reports', () => {
  it('stylish: relative to the current directory, absolute for a root elsewhere', () => {
    const root = materialize('missing-build-system');
    expect(runCli([], { cwd: root }).stdout).toContain('\nsrc/open_ticket_ai_hf_local/pyproject.toml\n  1:2  error  ');
    expect(runCli([root], { cwd: path.dirname(root) }).stdout).toContain(`\n${path.basename(root)}/src/open_ticket_ai_hf_local/pyproject.toml\n  1:2  error  `);
    expect(runCli([root], { cwd: tempDir('prl-elsewhere-') }).stdout).toContain(`\n${root}/src/open_ticket_ai_hf_local/pyproject.toml\n  1:2  error  `);
  }, 180_000);

  it('github and SARIF: relative to GITHUB_WORKSPACE when the root is a subdirectory of it; JSON stays root-relative', () => {
    const workspace = tempDir('prl-workspace-');
    const root = path.join(workspace, 'python');
    fs.cpSync(materialize('missing-build-system'), root, { recursive: true });
    const env = { GITHUB_WORKSPACE: workspace };
    const github = runCli(['python', '--format', 'github'], { cwd: workspace, env });
    expect(github.stdout).toMatch(/^::error file=python\/src\/open_ticket_ai_hf_local\/pyproject.toml,line=1,col=2,/m);
    expect(github.stdout).not.toMatch(/^::\w+ file=src\//m);
    const sarif = JSON.parse(runCli(['python', '--format', 'sarif'], { cwd: workspace, env }).stdout) as {
      runs: { originalUriBaseIds: Record<string, { uri: string }>; results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('python/src/open_ticket_ai_hf_local/pyproject.toml');
    expect(uris.every((uri) => uri.startsWith('python/'))).toBe(true);
    expect(sarif.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${workspace}/`);
    expect(json(['python'], workspace, env).findings.map((finding) => finding.file)).toContain('src/open_ticket_ai_hf_local/pyproject.toml');
    // outside a workspace (or a root outside it): root-relative, as before
    expect(runCli([root, '--format', 'github']).stdout).toMatch(/^::error file=src\/open_ticket_ai_hf_local\/pyproject.toml,/m);
    expect(runCli([root, '--format', 'github'], { env: { GITHUB_WORKSPACE: tempDir('prl-other-') } }).stdout).toMatch(/^::error file=src\/open_ticket_ai_hf_local\/pyproject.toml,/m);
  }, 180_000);
});

describe('file arguments (what pre-commit passes)', () => {
  let root: string;
  beforeAll(() => {
    root = materialize('seed-as-described');
    gitInit(root);
  }, 180_000);

  it('report the findings in those files and those elsewhere that name them; the whole setup is linted', () => {
    const workflow = json(['.github/workflows/publish-to-pypi.yml'], root);
    expect(rows(workflow)).toEqual([
      // the callers' broken calls name the reusable workflow
      'workflow/reusable-contract/broken .github/workflows/publish-hf-local.yml:28',
      'workflow/reusable-contract/broken .github/workflows/publish-open-ticket-ai.yml:28',
      'workflow/reusable-contract/broken .github/workflows/publish-otobo-znuny.yml:28',
      'workflow/tag-version .github/workflows/publish-to-pypi.yml:27',
      'secrets/declared .github/workflows/publish-to-pypi.yml:64',
    ]);
    // a readme outside its package: reported with the readme, in the pyproject that points at it
    expect(rows(json(['docs/raw_en_docs/PLUGIN_HF_LOCAL_README.md'], root))).toEqual(['pyproject/readme/broken src/open_ticket_ai_hf_local/pyproject.toml:9']);
    expect(rows(json(['src/open_ticket_ai_hf_local/pyproject.toml', 'pyproject.toml'], root))).toEqual([
      'pyproject/package-contents pyproject.toml:42',
      'pyproject/package-contents pyproject.toml:42',
      'pyproject/readme/broken src/open_ticket_ai_hf_local/pyproject.toml:9',
    ]);
    // a directory among the paths: the findings below it
    expect(rows(json(['src', 'README.md'], root))).toEqual(SEED_ROWS.filter((row) => row.includes(' src/')));
    const clean = runCli(['README.md'], { cwd: root });
    expect(clean).toMatchObject({ status: 0, stderr: '' });
    expect(clean.stdout).toBe('✔ no problems (14 files checked)\n');
  }, 180_000);

  it('from a subdirectory, and with paths that do not exist or lie in two repositories: one line, exit 2', () => {
    expect(rows(json(['../../docs/raw_en_docs/PLUGIN_HF_LOCAL_README.md'], path.join(root, 'src/open_ticket_ai_hf_local')))).toEqual([
      'pyproject/readme/broken src/open_ticket_ai_hf_local/pyproject.toml:9',
    ]);
    expect(runCli(['no-such-file.toml'], { cwd: root })).toMatchObject({ status: 2, stdout: '', stderr: 'pypi-release-lint: no such directory or file: no-such-file.toml\n' });
    const other = materialize('missing-build-system');
    gitInit(other);
    const twoRepos = runCli(['README.md', path.join(other, 'README.md')], { cwd: root });
    expect(twoRepos.status).toBe(2);
    expect(twoRepos.stderr).toMatch(/^pypi-release-lint: the paths lie in different repositories \(.+\): lint one at a time\n$/);
  }, 180_000);

  it('--fix with file arguments fixes only the findings it reports', () => {
    const copy = materialize('missing-build-system');
    gitInit(copy);
    const fixed = runCli(['--fix', '--unsafe-fixes', 'src/open_ticket_ai_hf_local/pyproject.toml'], { cwd: copy });
    expect(fixed.stderr).toBe('fixed 1 file: src/open_ticket_ai_hf_local/pyproject.toml\n');
    expect(rows(json([], copy)).filter((row) => row.startsWith('pyproject/build-system'))).toEqual(['pyproject/build-system/incomplete pyproject.toml:1']);
  }, 180_000);
});

describe('--baseline FILE', () => {
  it('writes the findings when FILE does not exist; later runs report only new ones, whatever moved', () => {
    const root = materialize('seed-as-described');
    const written = runCli(['--baseline', 'release-lint-baseline.json'], { cwd: root });
    expect(written).toMatchObject({ status: 0, stdout: '✔ no problems (14 files checked)\n' });
    expect(written.stderr).toBe('pypi-release-lint: wrote 15 findings to the baseline release-lint-baseline.json: runs with --baseline release-lint-baseline.json report only new ones\n');
    const baseline = JSON.parse(fs.readFileSync(path.join(root, 'release-lint-baseline.json'), 'utf8')) as { version: number; entries: { ruleId: string; file: string; message: string; count: number }[] };
    expect(baseline.version).toBe(1);
    expect(baseline.entries).toHaveLength(15);
    expect(baseline.entries.every((entry) => entry.count === 1)).toBe(true);
    // sorted by file, and no line numbers: a line shift changes nothing in it
    expect(baseline.entries.map((entry) => entry.file)).toEqual([...baseline.entries.map((entry) => entry.file)].sort());
    expect(baseline.entries.every((entry) => Object.keys(entry).every((key) => ['ruleId', 'kind', 'file', 'message', 'count'].includes(key)))).toBe(true);

    const again = runCli(['--baseline', 'release-lint-baseline.json'], { cwd: root });
    expect(again).toMatchObject({ status: 0, stdout: '✔ no problems (14 files checked)\n', stderr: 'pypi-release-lint: 15 findings held back by the baseline release-lint-baseline.json\n' });

    // lines move: still known
    for (const workflow of ['publish-hf-local.yml', 'publish-to-pypi.yml']) {
      const file = path.join(root, '.github/workflows', workflow);
      fs.writeFileSync(file, `# moved down\n# by two lines\n${fs.readFileSync(file, 'utf8')}`);
    }
    expect(runCli(['--baseline', 'release-lint-baseline.json'], { cwd: root })).toMatchObject({ status: 0, stdout: '✔ no problems (14 files checked)\n' });

    // a new problem is reported alone; one fixed is counted as gone
    const otobo = path.join(root, 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml');
    fs.writeFileSync(otobo, fs.readFileSync(otobo, 'utf8').replace(/^build-backend = .*\n/m, '').replace('readme = "../../docs/raw_en_docs/PLUGIN_OTOBO_ZNUNY_README.md"', 'readme = "README.md"'));
    fs.copyFileSync(path.join(root, 'docs/raw_en_docs/PLUGIN_OTOBO_ZNUNY_README.md'), path.join(path.dirname(otobo), 'README.md'));
    const report = json(['--baseline', 'release-lint-baseline.json'], root);
    expect(rows(report)).toEqual(['pyproject/build-system/incomplete src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:1']);
    const stderr = runCli(['--baseline', 'release-lint-baseline.json'], { cwd: root }).stderr;
    expect(stderr).toBe('pypi-release-lint: 14 findings held back by the baseline release-lint-baseline.json; 1 of its findings are gone (fixed or changed): --write-baseline drops them\n');

    // --write-baseline takes the new state in
    expect(runCli(['--baseline', 'release-lint-baseline.json', '--write-baseline'], { cwd: root }).stderr).toContain('wrote 15 findings to the baseline');
    expect(runCli(['--baseline', 'release-lint-baseline.json'], { cwd: root }).status).toBe(0);
  }, 180_000);

  it('a second finding of a known kind in the same file is new', () => {
    const root = materialize('missing-build-system');
    runCli(['--baseline', 'base.json'], { cwd: root });
    const pyproject = path.join(root, 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml');
    fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace(/^build-backend = .*\n/m, ''));
    expect(rows(json(['--baseline', 'base.json'], root))).toEqual(['pyproject/build-system/incomplete src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:1']);
  }, 180_000);

  it('a file that is not a baseline, or --write-baseline alone: one line, exit 2', () => {
    const root = materialize('missing-build-system');
    fs.writeFileSync(path.join(root, 'base.json'), '{"version": 2, "entries": []}\n');
    expect(runCli(['--baseline', 'base.json'], { cwd: root })).toMatchObject({
      status: 2,
      stdout: '',
      stderr: 'pypi-release-lint: --baseline base.json is not a version 1 baseline of pypi-release-lint (delete it, or --write-baseline to rewrite it)\n',
    });
    fs.writeFileSync(path.join(root, 'base.json'), 'not json');
    expect(runCli(['--baseline', 'base.json'], { cwd: root }).stderr).toMatch(/^pypi-release-lint: --baseline base.json is not JSON \(.*\) \(delete it, or --write-baseline to rewrite it\)\n$/);
    expect(runCli(['--write-baseline'], { cwd: root })).toMatchObject({ status: 2, stderr: 'pypi-release-lint: --write-baseline needs --baseline FILE\n' });
  }, 180_000);
});

describe('what the run says about itself', () => {
  it('both [tool.pypi-release-lint] and .pypi-release-lint.toml: the pyproject wins, with a warning', () => {
    const root = materialize('missing-build-system');
    fs.writeFileSync(path.join(root, '.pypi-release-lint.toml'), 'ignore = ["pyproject/build-system"]\n');
    const result = runCli(['--format', 'json'], { cwd: root });
    expect(result.stderr).toBe(
      'pypi-release-lint: warning: pyproject.toml [tool.pypi-release-lint] and .pypi-release-lint.toml both configure the linter; pyproject.toml [tool.pypi-release-lint] wins, .pypi-release-lint.toml is not read (merge them into one)\n',
    );
    expect((JSON.parse(result.stdout) as JsonReport).findings.some((finding) => finding.ruleId === 'pyproject/build-system')).toBe(true);
    // alone, the dotfile is read, without a word
    const only = materialize('missing-build-system');
    unconfigure(only);
    fs.writeFileSync(path.join(only, '.pypi-release-lint.toml'), 'repository = "softoft-orga/open-ticket-ai"\nignore = ["pyproject/build-system"]\n');
    const alone = runCli(['--format', 'json'], { cwd: only });
    expect(alone.stderr).toBe('');
    expect((JSON.parse(alone.stdout) as JsonReport).findings.some((finding) => finding.ruleId === 'pyproject/build-system')).toBe(false);
  }, 180_000);

  it('--quiet --max-warnings 0 says why it exits 1', () => {
    const root = materialize('missing-metadata');
    const result = runCli(['--quiet', '--max-warnings', '0'], { cwd: root });
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('warning');
    expect(result.stderr).toBe('pypi-release-lint: exit 1: 3 warnings, more than --max-warnings 0 (--quiet shows errors only)\n');
    expect(runCli(['--max-warnings', '0'], { cwd: root }).stderr).toBe('pypi-release-lint: exit 1: 3 warnings, more than --max-warnings 0\n');
    expect(runCli(['--quiet', '--max-warnings', '3'], { cwd: root })).toMatchObject({ status: 0, stderr: '' });
  }, 180_000);
});
