/**
 * The noise a default run used to make on healthy repositories (issue "Quiet by default", part 4):
 * each is a regression test that the false finding or the garbled message stays gone.
 */
import { describe, expect, it } from 'vitest';
import { ruleMetas } from '../rules/index.js';
import { loadProject } from '../src/engine/run.js';
import { formatPlanText, planEntries } from '../src/plan/format.js';
import { lint } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const CATALOG = [...ruleMetas.values()];

const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';
const pyproject = (name: string): string => `${BUILD}[project]\nname = "${name}"\nversion = "1.0.0"\ndescription = "The ${name} package."\nrequires-python = ">=3.10"\n`;
const workflow = (build: string, upload: string): string =>
  `name: publish\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${build}\n      - run: ${upload}\n        env:\n          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}\n`;

async function messages(root: string, rule: string, extendSelect: string[] = []): Promise<string[]> {
  return (await lint(root, { extendSelect })).filter((finding) => finding.ruleId === rule).map((finding) => `${finding.file}:${finding.line} ${finding.message}`);
}

describe('known noise, gone', () => {
  it('no "published by no workflow, while its siblings are: ." for a package with no published sibling', async () => {
    const root = writeRepo({
      '.github/workflows/publish.yml': workflow('python -m build', 'twine upload dist/*'),
      'pyproject.toml': pyproject('core'),
      'tools/dev/pyproject.toml': pyproject('dev-tools'),
    });
    expect(await messages(root, 'workflow/publish-map')).toEqual([]);
    // Beside a published sibling, the message names it.
    const beside = writeRepo({
      '.github/workflows/publish.yml': workflow('python -m build plugins/a', 'twine upload plugins/a/dist/*'),
      'plugins/a/pyproject.toml': pyproject('plugin-a'),
      'plugins/b/pyproject.toml': pyproject('plugin-b'),
    });
    const [message] = await messages(beside, 'workflow/publish-map');
    expect(message).toContain('plugin-b (plugins/b) is published by no workflow, while the packages beside it in plugins/ are: plugin-a (publish.yml)');
  });

  it('a package template in _template (a placeholder name, a URL to fill in), or tooling under .github, is not linted as a package, as templates/ is not', async () => {
    // The build directory is computed at run time, so every package may be published and is linted.
    const opaque = workflow('python -m build "$(cat package-dir.txt)" --outdir dist', 'twine upload dist/*');
    const template = `${BUILD}[project]\nname = "<REPLACE ME>"\nversion = "0.1.0"\n\n[project.urls]\nHomepage = "<REPLACE ME>"\n`;
    const repo = (dir: string): string => writeRepo({ '.github/workflows/publish.yml': opaque, 'pyproject.toml': pyproject('core'), [`${dir}/pyproject.toml`]: template });
    const rulesAt = async (dir: string): Promise<string[]> => (await lint(repo(dir))).filter((finding) => finding.file.startsWith(`${dir}/`)).map((finding) => finding.ruleId);
    expect(await rulesAt('_template')).toEqual([]);
    // Nor is the CI's own tooling under .github (a library that generates the workflows).
    expect(await rulesAt('.github/workflows/generate_lib')).toEqual([]);
    // The same file in a directory of any other name is a package that may be published, and linted.
    expect((await lint(repo('contrib'))).filter((finding) => finding.ruleId === 'pyproject/schema').map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}: ${finding.message}`)).toEqual([
      "pyproject/schema contrib/pyproject.toml:6: <REPLACE ME>: project.name: \"<REPLACE ME>\" is not a valid project name (PEP 508: letters, digits, '.', '-' and '_', starting and ending with a letter or digit)",
    ]);
  });

  it('a dispatch input typed with the directory of any of 40 packages: one note that the directory is unknown, nothing per package', async () => {
    const files: Record<string, string> = {
      '.github/workflows/release.yml':
        'on:\n  workflow_dispatch:\n    inputs:\n      working-directory:\n        type: string\n        default: libs/p1\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n' +
        '      - run: python -m build\n        working-directory: ${{ inputs.working-directory }}\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          packages-dir: ${{ inputs.working-directory }}/dist\n',
    };
    for (let index = 1; index <= 40; index++) files[`libs/p${index}/pyproject.toml`] = pyproject(`p${index}`);
    const findings = (await lint(writeRepo(files))).filter((finding) => finding.ruleId === 'workflow/publish-map');
    expect(findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.file}:${finding.line}: ${finding.message}`)).toEqual(["workflow/publish-map info .github/workflows/release.yml:15: pypa/gh-action-pypi-publish uploads \"${{ inputs.working-directory }}/dist\": a path computed at run time, so the linter cannot tell which packages release.yml (job publish) publishes; map them in the config: [tool.pypi-release-lint.packages.\"DIR or GLOB\"] workflow = \"release.yml\""]);
  });

  it('the docs\' own examples are not tag patterns nor suppressions', async () => {
    const readme =
      '# core\n\n## Releasing\n\nTag a release with `git tag v1.2.0`.\n\n```toml\n# pypi-release-lint: disable=pyproject/metadata\n```\n\n' +
      'Match files with `glob("*")` or `src/*.py`; suppress inline with `# pypi-release-lint: disable=RULE`.\n';
    const root = writeRepo({ '.github/workflows/publish.yml': workflow('python -m build', 'twine upload dist/*'), 'pyproject.toml': pyproject('core'), 'README.md': readme });
    expect(await messages(root, 'readme/tag-docs', ['hygiene'])).toEqual([]);
    expect(await messages(root, 'core/unused-suppression', ['hygiene'])).toEqual([]);
  });

  it('one README: "README.md has none", never "neither README.md has one"', async () => {
    const root = writeRepo({
      '.github/workflows/publish.yml': workflow('python -m build', 'twine upload dist/*'),
      'pyproject.toml': `${pyproject('core')}readme = "README.md"\n`,
      'README.md': '# core\n\nA library.\n',
    });
    const found = await messages(root, 'readme/install-docs', ['readme/install-docs']);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('README.md has none');
    expect(found[0]).not.toContain('neither');
  });

  it('an upload to an internal index is not trusted publishing to PyPI, and publishes nothing to PyPI', async () => {
    const root = writeRepo({
      '.github/workflows/publish.yml':
        'name: publish\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n' +
        '      - uses: actions/checkout@v4\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          repository-url: https://pypi.internal.example/simple/\n',
      'pyproject.toml': pyproject('core'),
    });
    const project = loadProject(root, { catalog: CATALOG });
    const [entry] = planEntries(project);
    expect(entry!.status).toBe('rehearsed');
    expect(entry!.workflows.map((route) => [route.index, route.indexName])).toEqual([['other', 'https://pypi.internal.example/simple/']]);
    const text = formatPlanText(project);
    expect(text).toContain('index      another index (https://pypi.internal.example/simple/)');
    expect(text).not.toMatch(/pypi\.org|trusted publishing/);
  });
});
