import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreRules } from '../rules/core/index.js';
import { secretsRules } from '../rules/secrets/index.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, findingsOf, lint, materialize } from './helpers/fixtures.js';
import { COMPLETE_PYPROJECT, writeRepo } from './helpers/repo.js';

/** Only these run, so rules of other groups (and their progress) cannot change what these tests see. */
const RULES = [...coreRules, ...secretsRules];
/** The fake token of the hardcoded-token fixture, read from it (never written out in a test). */
const FIXTURE_TOKEN = /TWINE_PASSWORD: (pypi-\S+)/.exec(fs.readFileSync(path.join(FIXTURES, 'variants/hardcoded-token/.github/workflows/publish-to-pypi.yml'), 'utf8'))![1]!;
/** A made-up token of the same shape. */
const TOKEN = `pypi-AgEIcHlwaS5vcmc${'Q2x0ZXN0'.repeat(20)}`;

async function lintFixture(name: string): Promise<Finding[]> {
  return lint(name === 'open-ticket-ai' ? BASE_FIXTURE : materialize(name), { rules: RULES });
}

function where(finding: Finding): string {
  return `${finding.ruleId} ${finding.file}:${finding.line}:${finding.column}`;
}

/** A one-package repo whose publish workflow is `workflow`; `extra` adds or replaces files. */
function repo(workflow: string, extra: Record<string, string> = {}): string {
  return writeRepo({
    'pyproject.toml': `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nrepository = "o/r"\n`,
    'README.md': '# demo\n\n## Secrets\n\n- `PYPI_API_TOKEN`: uploads demo\n',
    '.github/workflows/publish.yml': workflow,
    ...extra,
  });
}

const UPLOAD_JOB = (steps: string, env = ''): string =>
  `on:\n  push:\n    tags: ["v*"]\n${env}jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build\n${steps}`;

describe('the secrets rules on fixtures/open-ticket-ai', () => {
  it('report nothing', async () => {
    expect((await lintFixture('open-ticket-ai')).filter((finding) => finding.ruleId.startsWith('secrets/')).map(where)).toEqual([]);
  });
});

describe('secrets/declared', () => {
  it('reports the undeclared secret the seed reads, at secrets.PYPI_API_TOKEN, naming what the callers pass', async () => {
    const found = findingsOf(await lintFixture('seed-as-described'), 'secrets/declared');
    expect(found.map(where)).toEqual(['secrets/declared .github/workflows/publish-to-pypi.yml:64:31']);
    expect(found[0]).toMatchObject({ severity: 'error', endLine: 64, endColumn: 53 });
    expect(found[0]!.message).toContain('reusable workflow publish-to-pypi.yml reads secrets.PYPI_API_TOKEN');
    expect(found[0]!.message).toContain('on.workflow_call declares no secrets');
    expect(found[0]!.message).toContain('its callers pass pypi-token (publish-hf-local.yml, publish-open-ticket-ai.yml, publish-otobo-znuny.yml)');
  });

  const callee = (secrets: string, read: string): string =>
    `on:\n  workflow_call:\n${secrets}jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - if: \${{ ${read} != '' }}\n        run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: \${{ ${read} }}\n          GH: \${{ secrets.GITHUB_TOKEN }}\n`;
  const caller = (secrets: string): string => `on:\n  push:\n    tags: ["v*"]\njobs:\n  call:\n    uses: ./.github/workflows/reusable.yml\n${secrets}`;

  it('reports a read in an if: condition, once per secret, and counts the other reads', async () => {
    const root = repo(caller('    secrets:\n      token: ${{ secrets.PYPI_API_TOKEN }}\n'), { '.github/workflows/reusable.yml': callee('    secrets:\n      token:\n        required: true\n', 'secrets.PYPI_TOKEN') });
    const found = findingsOf(await lint(root, { rules: RULES }), 'secrets/declared');
    expect(found.map(where)).toEqual(['secrets/declared .github/workflows/reusable.yml:10:17']);
    expect(found[0]!.message).toContain('reads secrets.PYPI_TOKEN (also read on line 13), but on.workflow_call.secrets declares only token; its callers pass token (publish.yml)');
  });

  it('is silent when the secret is declared, is GITHUB_TOKEN, or every caller passes secrets: inherit', async () => {
    const declared = repo(caller('    secrets:\n      PYPI_TOKEN: ${{ secrets.PYPI_API_TOKEN }}\n'), { '.github/workflows/reusable.yml': callee('    secrets:\n      pypi_token:\n        required: true\n', 'secrets.PYPI_TOKEN') });
    expect(findingsOf(await lint(declared, { rules: RULES }), 'secrets/declared')).toEqual([]);
    const inherit = repo(caller('    secrets: inherit\n'), { '.github/workflows/reusable.yml': callee('', 'secrets.PYPI_API_TOKEN') });
    expect(findingsOf(await lint(inherit, { rules: RULES }), 'secrets/declared')).toEqual([]);
  });

  // A release workflow that can also be called, started by hand (as langchain-google's _release.yml): nothing here calls it.
  const dispatchable = (secrets: string, read: string): string => callee(secrets, read).replace('on:\n  workflow_call:\n', 'on:\n  workflow_dispatch:\n  workflow_call:\n');
  const uncalled = UPLOAD_JOB('      - run: twine upload dist/*\n');

  it('is silent on a workflow nothing here calls that has a trigger of its own: its runs get every secret', async () => {
    const root = repo(uncalled, { '.github/workflows/reusable.yml': dispatchable('', 'secrets.PYPI_API_TOKEN') });
    expect(findingsOf(await lint(root, { rules: RULES }), 'secrets/declared')).toEqual([]);
  });

  it('warns on a reusable-only workflow nothing here calls: a caller elsewhere must pass secrets: inherit', async () => {
    const root = repo(uncalled, { '.github/workflows/reusable.yml': callee('', 'secrets.PYPI_API_TOKEN') });
    expect(findingsOf(await lint(root, { rules: RULES }), 'secrets/declared').map((finding) => [where(finding), finding.severity, finding.message])).toEqual([
      [
        'secrets/declared .github/workflows/reusable.yml:7:17',
        'warning',
        'reusable workflow reusable.yml reads secrets.PYPI_API_TOKEN (also read on line 10), but on.workflow_call declares no secrets and no workflow of this repository calls it: ' +
          'the value is empty unless its caller passes secrets: inherit (possible within its organisation only); declare PYPI_API_TOKEN under on.workflow_call.secrets',
      ],
    ]);
  });

  it('still reports a workflow with a trigger of its own for the callers here that pass other secrets', async () => {
    const root = repo(caller('    secrets:\n      token: ${{ secrets.PYPI_API_TOKEN }}\n'), { '.github/workflows/reusable.yml': dispatchable('', 'secrets.PYPI_TOKEN') });
    expect(findingsOf(await lint(root, { rules: RULES }), 'secrets/declared').map((finding) => [where(finding), finding.severity, finding.message])).toEqual([
      [
        'secrets/declared .github/workflows/reusable.yml:8:17',
        'error',
        'reusable workflow reusable.yml reads secrets.PYPI_TOKEN (also read on line 11), but on.workflow_call declares no secrets; its callers pass token (publish.yml): ' +
          'the value is empty at run time; declare PYPI_TOKEN under on.workflow_call.secrets or read a secret the callers pass',
      ],
    ]);
  });
});

describe('secrets/documented', () => {
  it('reports a used secret no doc names (at its read) and a listed secret no workflow uses (at the docs)', async () => {
    const found = findingsOf(await lintFixture('undocumented-secret'), 'secrets/documented');
    expect(found.map(where)).toEqual([
      'secrets/documented .github/workflows/publish-otobo-znuny.yml:27:23',
      'secrets/documented README.md:71:4',
      'secrets/documented docs/SETUP_INSTRUCTIONS.md:24:4',
    ]);
    expect(found.every((finding) => finding.severity === 'warning')).toBe(true);
    expect(found[0]!.message).toMatch(/^secret PYPI_API_TOKEN_OTOBO_ZNUNY, read by publish workflow publish-otobo-znuny\.yml, is named nowhere in README\.md, docs\/SETUP_INSTRUCTIONS\.md/);
    expect(found[0]!.fix?.applicability).toBe('safe');
    expect(found[1]!.message).toBe(
      'README.md lists secret PYPI_API_TOKEN_LEGACY, which no workflow reads, declares or passes; remove it, or add it to known-secrets in the config if something outside this repository uses it',
    );
    expect(found[1]).toMatchObject({ endLine: 71, endColumn: 25 });
    expect(found[2]!.message).toContain('PYPI_API_TOKEN_LEGACY');
  });

  it('reports the secret missing from a table and a bullet list', async () => {
    const found = findingsOf(await lintFixture('secret-missing-from-docs'), 'secrets/documented');
    expect(found.map(where)).toEqual(['secrets/documented .github/workflows/publish-otobo-znuny.yml:27:23']);
    expect(found[0]!.fix?.edits.map((edit) => [edit.file, edit.text])).toEqual([
      ['README.md', '\n| `PYPI_API_TOKEN_OTOBO_ZNUNY` | open-ticket-ai-otobo-znuny-plugin |'],
      ['docs/SETUP_INSTRUCTIONS.md', '\n- `PYPI_API_TOKEN_OTOBO_ZNUNY`: used by publish-otobo-znuny.yml to upload open-ticket-ai-otobo-znuny-plugin'],
    ]);
  });

  it('with no documentation file at all, says which files it looked for and how to point it at others', async () => {
    const root = writeRepo({
      'pyproject.toml': `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nrepository = "o/r"\n`,
      '.github/workflows/publish.yml': UPLOAD_JOB('      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n'),
    });
    const found = findingsOf(await lint(root, { rules: RULES }), 'secrets/documented');
    expect(found.map((finding) => `${finding.file}:${finding.line} ${finding.message}`)).toEqual([
      '.github/workflows/publish.yml:11 secret PYPI_API_TOKEN, read by publish workflow publish.yml, is named in no documentation file (none matches README*, docs/**/*.md, CONTRIBUTING*, RELEASING*): ' +
        'whoever sets up the repository will not create it; name it in a README, or point docs in the config at the files that document it',
    ]);
  });

  it('leaves names in known-secrets alone, both ways', async () => {
    const workflow = UPLOAD_JOB('      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.ORG_PYPI_TOKEN }}\n');
    const root = repo(workflow, { 'pyproject.toml': `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nrepository = "o/r"\nknown-secrets = ["ORG_PYPI_TOKEN", "PYPI_API_TOKEN"]\n` });
    expect(findingsOf(await lint(root, { rules: RULES }), 'secrets/documented')).toEqual([]);
    const unknown = repo(workflow);
    expect(findingsOf(await lint(unknown, { rules: RULES }), 'secrets/documented').map((finding) => finding.message.slice(0, 40))).toEqual([
      'secret ORG_PYPI_TOKEN, read by publish w',
      'README.md lists secret PYPI_API_TOKEN, w',
    ]);
  });
});

describe('secrets/per-package-token', () => {
  it('reports each package uploaded with the secret of another, where its workflow passes it', async () => {
    const found = findingsOf(await lintFixture('shared-token'), 'secrets/per-package-token');
    expect(found.map(where)).toEqual([
      'secrets/per-package-token .github/workflows/publish-hf-local.yml:27:23',
      'secrets/per-package-token .github/workflows/publish-otobo-znuny.yml:27:23',
    ]);
    expect(found[0]!.message).toBe(
      'open-ticket-ai-hf-local is uploaded with secret PYPI_API_TOKEN, the same secret as open-ticket-ai (publish-open-ticket-ai.yml:27) and open-ticket-ai-otobo-znuny-plugin ' +
        '(publish-otobo-znuny.yml:27): a project-scoped token cannot upload both, and an account-wide token lets one leak publish every package; ' +
        'use a project-scoped token per package (e.g. PYPI_API_TOKEN_OPEN_TICKET_AI_HF_LOCAL), or trusted publishing and no token',
    );
    expect(found[1]!.message).toContain('open-ticket-ai-otobo-znuny-plugin is uploaded with secret PYPI_API_TOKEN');
  });

  it('reports a matrix upload of two packages with one token', async () => {
    const workflow =
      'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        pkg: [".", "plugin"]\n    steps:\n' +
      '      - run: python -m build ${{ matrix.pkg }}\n      - run: twine upload ${{ matrix.pkg }}/dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n';
    const root = repo(workflow, { 'plugin/pyproject.toml': COMPLETE_PYPROJECT.replace('name = "demo"', 'name = "demo-plugin"') });
    const found = findingsOf(await lint(root, { rules: RULES }), 'secrets/per-package-token');
    expect(found.map(where)).toEqual(['secrets/per-package-token .github/workflows/publish.yml:14:31']);
    expect(found[0]!.message).toContain('demo-plugin is uploaded with secret PYPI_API_TOKEN, the same secret as demo (publish.yml:14)');
  });
});

describe('secrets/hardcoded', () => {
  it('reports the literal token in TWINE_PASSWORD, masked', async () => {
    const found = findingsOf(await lintFixture('hardcoded-token'), 'secrets/hardcoded');
    expect(found.map(where)).toEqual(['secrets/hardcoded .github/workflows/publish-to-pypi.yml:80:27']);
    expect(found[0]).toMatchObject({ severity: 'error', endLine: 80, endColumn: 27 + FIXTURE_TOKEN.length });
    expect(found[0]!.message).toMatch(/^literal PyPI API token pypi-AgEI…\(masked\) in env TWINE_PASSWORD of step "Upload to PyPI" \(job build-and-publish\) of publish-to-pypi\.yml/);
    expect(found[0]!.message).not.toContain(FIXTURE_TOKEN.slice(0, 12));
  });

  it('reports tokens in pyproject.toml and docs, and literal passwords in workflows, without showing them', async () => {
    const workflow =
      UPLOAD_JOB('      - run: twine upload -u __token__ -p hunter2hunter2 dist/*\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: s3cr3t-literal\n') +
      '  other:\n    runs-on: ubuntu-latest\n    env:\n      UV_PUBLISH_TOKEN: literal-token-value\n    steps:\n      - run: uv publish\n';
    const root = repo(workflow, {
      'pyproject.toml': `${COMPLETE_PYPROJECT}\n[tool.pypi-release-lint]\nrepository = "o/r"\n# token = "${TOKEN}"\n`,
      'docs/release.md': `# Release\n\nA token looks like \`pypi-AgEIcHlwaS5vcmc...\`; ours was ${TOKEN}.\n`,
    });
    const found = findingsOf(await lint(root, { rules: RULES }), 'secrets/hardcoded');
    expect(found.map(where)).toEqual([
      'secrets/hardcoded .github/workflows/publish.yml:9:43',
      'secrets/hardcoded .github/workflows/publish.yml:12:21',
      'secrets/hardcoded .github/workflows/publish.yml:16:25',
      'secrets/hardcoded docs/release.md:3:56',
      'secrets/hardcoded pyproject.toml:21:12',
    ]);
    expect(found[0]!.message).toMatch(/^literal upload password \(14 characters, not shown here\) in the run: script of step #2 \(job publish\) of publish\.yml/);
    expect(found[1]!.message).toContain('in with.password of step #3 (job publish)');
    expect(found[2]!.message).toContain('in env UV_PUBLISH_TOKEN of job other');
    for (const finding of found) expect(finding.message).not.toMatch(/hunter2|s3cr3t|literal-token|Q2x0ZXN0/);
  });
});

describe('secrets/exposure', () => {
  it('reports the echo of secrets.pypi-token in the debug step, at the expression', async () => {
    const found = findingsOf(await lintFixture('secret-exposure'), 'secrets/exposure');
    expect(found.map(where)).toEqual(['secrets/exposure .github/workflows/publish-to-pypi.yml:77:75']);
    expect(found[0]).toMatchObject({ severity: 'error', endLine: 77, endColumn: 100 });
    expect(found[0]!.message).toMatch(/^secrets\.pypi-token is expanded into the run: script of step "Show upload credentials" \(job build-and-publish\) of publish-to-pypi\.yml, which prints it with echo/);
  });

  it('follows env bindings, heredocs, filters and stderr; leaves pipes into programs, files, masks and single quotes alone', async () => {
    const steps = [
      '      - env:\n          TOKEN: ${{ secrets.PYPI_API_TOKEN }}\n        run: |',
      '          echo "::add-mask::$TOKEN"',
      '          echo "$TOKEN" | docker login -u me --password-stdin',
      '          echo "${{ secrets.PYPI_API_TOKEN }}" > token.txt',
      "          echo '$TOKEN is not expanded here'",
      '          printf "%s" "$TOKEN" | base64',
      '          echo "token: ${TOKEN}" >&2',
      '          cat <<EOF',
      '          password = ${{ secrets.PYPI_API_TOKEN }}',
      '          EOF',
      '          cat <<EOF > ~/.pypirc',
      '          password = $TOKEN',
      '          EOF',
      '          printenv TOKEN',
      '          env | sort',
      '',
    ].join('\n');
    const root = repo(UPLOAD_JOB(steps));
    const found = findingsOf(await lint(root, { rules: RULES }), 'secrets/exposure');
    expect(found.map((finding) => `${finding.line}:${finding.column} ${finding.message.split(' is expanded')[0]} ${/prints it with (\w+)/.exec(finding.message)![1]}`)).toEqual([
      '16:24 $TOKEN (env, bound to secrets.PYPI_API_TOKEN) printf',
      '17:24 $TOKEN (env, bound to secrets.PYPI_API_TOKEN) echo',
      '19:22 secrets.PYPI_API_TOKEN cat',
      '24:20 $TOKEN (env, bound to secrets.PYPI_API_TOKEN) printenv',
      '25:11 every env variable, including $TOKEN (bound to secrets.PYPI_API_TOKEN), env',
    ]);
  });
});
