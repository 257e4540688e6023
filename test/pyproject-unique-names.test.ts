import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { findingRows } from './helpers/pyproject.js';

const RULE = 'pyproject/unique-names';

describe('pyproject/unique-names', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/poetry-only', 'pyproject/template-copy'])('is silent on %s', async (name) => {
    expect(await findingRows(materialize(name), RULE)).toEqual([]);
  });

  it('reports the copy at its name, naming the package that keeps it', async () => {
    expect(await findingRows(materialize('pyproject/template-copy-broken'), RULE)).toEqual([
      `${RULE} error plugins/b/pyproject.toml:6 name "Acme_Plugin.A" normalises (PEP 503) to acme-plugin-a, the name of plugins/a/pyproject.toml:6 ("acme-plugin-a"): both would upload into the one PyPI project acme-plugin-a; rename this package`,
    ]);
  });

  it('keeps the name for the published package when a copy is not published', async () => {
    expect(await findingRows(materialize('duplicate-names'), RULE)).toEqual([
      `${RULE} error examples/custom-classifier-plugin/pyproject.toml:6 name "open_ticket_ai_hf_local" normalises (PEP 503) to open-ticket-ai-hf-local, the name of src/open_ticket_ai_hf_local/pyproject.toml:6 ("open-ticket-ai-hf-local"): both would upload into the one PyPI project open-ticket-ai-hf-local; rename this package`,
    ]);
  });

  it('leaves alone a name shared only by packages no workflow uploads (the examples of a CLI)', async () => {
    const example = (name: string): string => `[project]\nname = "${name}"\nversion = "0.1.0"\n`;
    const workflow = 'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m build cli --outdir dist\n      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n';
    const root = writeRepo({
      '.github/workflows/publish.yml': workflow,
      'cli/pyproject.toml': example('acme-cli'),
      'cli/uv-examples/monorepo/apps/agent/pyproject.toml': example('agent'),
      'cli/python-monorepo-example/apps/agent/pyproject.toml': example('agent'),
    });
    expect(await findingRows(root, RULE)).toEqual([]);
  });

  it('sees Poetry-only projects and three-way collisions', async () => {
    const root = writeRepo({
      'a/pyproject.toml': '[project]\nname = "demo.tools"\nversion = "1"\n',
      'b/pyproject.toml': '[tool.poetry]\nname = "Demo_Tools"\nversion = "1"\n',
      'c/pyproject.toml': '[project]\nname = "demo--tools"\nversion = "1"\n',
      'd/pyproject.toml': '[tool.uv.workspace]\nmembers = ["a", "c"]\n',
    });
    expect(await findingRows(root, RULE)).toEqual([
      `${RULE} error b/pyproject.toml:2 name "Demo_Tools" normalises (PEP 503) to demo-tools, the name of a/pyproject.toml:2 ("demo.tools") and of c/pyproject.toml:2 ("demo--tools"): all of them would upload into the one PyPI project demo-tools; rename this package`,
      `${RULE} error c/pyproject.toml:2 name "demo--tools" normalises (PEP 503) to demo-tools, the name of a/pyproject.toml:2 ("demo.tools") and of b/pyproject.toml:2 ("Demo_Tools"): all of them would upload into the one PyPI project demo-tools; rename this package`,
    ]);
  });
});
