import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { findingRows } from './helpers/pyproject.js';

const RULE = 'pyproject/readme';
const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';

function plugin(readme: string, files: Record<string, string> = {}): string {
  return writeRepo({
    'plugins/hf/pyproject.toml': `${BUILD}[project]\nname = "demo-hf"\nversion = "1.0.0"\nreadme = ${readme}\n`,
    'plugins/hf/src/demo_hf/__init__.py': '',
    ...files,
  });
}

describe('pyproject/readme', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/dynamic-versions', 'pyproject/template-copy'])('is silent on %s', async (name) => {
    expect(await findingRows(materialize(name), RULE)).toEqual([]);
  });

  it('catches the seed\'s docs/raw_en_docs trap: a readme outside the package directory', async () => {
    expect(await findingRows(materialize('seed-as-described'), RULE)).toEqual([
      `${RULE} error src/open_ticket_ai_hf_local/pyproject.toml:9 open-ticket-ai-hf-local: readme "../../docs/raw_en_docs/PLUGIN_HF_LOCAL_README.md" resolves to docs/raw_en_docs/PLUGIN_HF_LOCAL_README.md, outside the package directory src/open_ticket_ai_hf_local: the sdist cannot carry it, so building the wheel from the sdist fails; keep the readme in the package directory`,
      `${RULE} error src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:9 open-ticket-ai-otobo-znuny-plugin: readme "../../docs/raw_en_docs/PLUGIN_OTOBO_ZNUNY_README.md" resolves to docs/raw_en_docs/PLUGIN_OTOBO_ZNUNY_README.md, outside the package directory src/open_ticket_ai_otobo_znuny_plugin: the sdist cannot carry it, so building the wheel from the sdist fails; keep the readme in the package directory`,
    ]);
    expect(await findingRows(materialize('pyproject/src-layout-plugins-broken'), RULE)).toEqual([
      `${RULE} error plugins/acme-hf/pyproject.toml:9 acme-hf: readme "../../docs/plugins/hf.md" resolves to docs/plugins/hf.md, outside the package directory plugins/acme-hf: the sdist cannot carry it, so building the wheel from the sdist fails; keep the readme in the package directory`,
    ]);
  });

  it('reports a missing readme, also in a table, and one outside the repository', async () => {
    expect(await findingRows(plugin('"README.md"'), RULE)).toEqual([`${RULE} error plugins/hf/pyproject.toml:8 demo-hf: readme "README.md" does not exist (plugins/hf/README.md): the build fails`]);
    expect(await findingRows(plugin('{ file = "docs/README.md", content-type = "text/markdown" }'), RULE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 demo-hf: readme "docs/README.md" does not exist (plugins/hf/docs/README.md): the build fails`,
    ]);
    expect(await findingRows(plugin('"../../../README.md"'), RULE)).toEqual([`${RULE} error plugins/hf/pyproject.toml:8 demo-hf: readme "../../../README.md" lies outside the repository: no build can read it`]);
    expect(await findingRows(plugin('"../shared/README.md"'), RULE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 demo-hf: readme "../shared/README.md" resolves to plugins/shared/README.md, outside the package directory plugins/hf (and does not exist): the sdist cannot carry it, so building the wheel from the sdist fails; keep the readme in the package directory`,
    ]);
  });

  it('warns about an empty readme', async () => {
    expect(await findingRows(plugin('"README.md"', { 'plugins/hf/README.md': '\n  \n' }), RULE)).toEqual([
      `${RULE} warning plugins/hf/pyproject.toml:8 demo-hf: readme plugins/hf/README.md is empty: the PyPI project page would be blank`,
    ]);
    expect(await findingRows(plugin('{ text = "", content-type = "text/plain" }'), RULE)).toEqual([
      `${RULE} warning plugins/hf/pyproject.toml:8 demo-hf: readme text is empty: the PyPI project page would be blank`,
    ]);
  });

  it('reports an unknown content type, from the extension or the table', async () => {
    expect(await findingRows(plugin('"README.adoc"', { 'plugins/hf/README.adoc': '= Demo\n' }), RULE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 demo-hf: readme "README.adoc" has no .md, .rst or .txt extension, so its content type is unknown; backends refuse to guess it (write readme = { file = "README.adoc", content-type = "text/markdown" })`,
    ]);
    const root = plugin('{ file = "README.adoc", content-type = "text/asciidoc" }', { 'plugins/hf/README.adoc': '= Demo\n' });
    expect(await findingRows(root, RULE)).toEqual([
      `${RULE} error plugins/hf/pyproject.toml:8 demo-hf: readme content-type "text/asciidoc" is not one PyPI renders (text/markdown, text/x-rst or text/plain): the upload is rejected`,
    ]);
    const ok = plugin('{ file = "README.md", content-type = "text/markdown; charset=UTF-8; variant=GFM" }', { 'plugins/hf/README.md': '# Demo\n' });
    expect(await findingRows(ok, RULE)).toEqual([]);
  });

  it('checks setuptools\' dynamic readme files', async () => {
    const root = writeRepo({
      'pyproject.toml':
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "demo"\nversion = "1.0"\ndynamic = ["readme"]\n\n' +
        '[tool.setuptools.dynamic]\nreadme = { file = ["README.md", "CHANGES.md"], content-type = "text/markdown" }\n',
      'README.md': '# Demo\n',
      'demo.py': '',
    });
    expect(await findingRows(root, RULE)).toEqual([`${RULE} error pyproject.toml:11 demo: readme "CHANGES.md" does not exist (CHANGES.md): the build fails`]);
  });

  it('leaves packages no workflow publishes alone', async () => {
    const workflow =
      'name: publish\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n' +
      '      - uses: actions/checkout@v4\n      - run: python -m build plugins/other\n      - run: twine upload plugins/other/dist/*\n';
    const root = plugin('"README.md"', {
      '.github/workflows/publish.yml': workflow,
      'plugins/other/pyproject.toml': `${BUILD}[project]\nname = "other"\nversion = "1.0.0"\nreadme = "README.md"\n`,
      'plugins/other/README.md': '# Other\n',
      'plugins/other/src/other/__init__.py': '',
    });
    expect(await findingRows(root, RULE)).toEqual([]);
  });
});
