import { describe, expect, it } from 'vitest';
import { writeRepo } from './helpers/repo.js';
import { findingRows } from './helpers/pyproject.js';
import { planEntries } from '../src/plan/format.js';
import { loadProject } from '../src/engine/run.js';
import { CATALOG } from './helpers/fixtures.js';

/**
 * hatch.toml beside pyproject.toml holds hatch's settings without the tool.hatch prefix, and its
 * top-level keys win over [tool.hatch]'s (hatch's documented merge; src/pyproject/hatch-config.ts).
 */
const PUBLISH =
  'name: publish\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n' +
  '      - uses: actions/checkout@v4\n      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n';
const PYPROJECT =
  '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo-tool"\ndynamic = ["version"]\ndescription = "A demo."\n' +
  'readme = "README.md"\nrequires-python = ">=3.10"\nlicense = "MIT"\n';

function repo(hatchToml: string, tool = ''): string {
  return writeRepo({
    '.github/workflows/publish.yml': PUBLISH,
    'pyproject.toml': PYPROJECT + tool,
    'hatch.toml': hatchToml,
    'README.md': '# demo-tool\n',
    'lib/demo/__init__.py': '__version__ = "1.2.0"\n',
  });
}
const RULES = { extendSelect: [] as string[] };

describe('hatch.toml', () => {
  it('supplies the version source and the wheel packages: no false "no version" or "nothing to ship"', async () => {
    const root = repo('[version]\npath = "lib/demo/__init__.py"\n\n[build.targets.wheel]\npackages = ["lib/demo"]\n');
    expect(await findingRows(root, 'pyproject/schema', RULES)).toEqual([]);
    expect(await findingRows(root, 'pyproject/package-contents', RULES)).toEqual([]);
    const project = loadProject(root, { catalog: CATALOG });
    expect(planEntries(project).map((entry) => [entry.package, entry.version, entry.status])).toEqual([['demo-tool', undefined, 'published']]);
  });

  it('wins over [tool.hatch] key by key at the top level, as hatch merges them', async () => {
    const root = repo('[version]\npath = "lib/demo/__init__.py"\n\n[build.targets.wheel]\npackages = ["lib/demo"]\n', '\n[tool.hatch.version]\npath = "nowhere.py"\n');
    expect(await findingRows(root, 'pyproject/schema', RULES)).toEqual([]);
  });

  it('reports a wrong setting in hatch.toml at its line in hatch.toml', async () => {
    const root = repo('[version]\npath = "lib/demo/about.py"\n\n[build.targets.wheel]\npackages = ["lib/missing"]\n');
    expect(await findingRows(root, 'pyproject/schema', RULES)).toEqual([
      'pyproject/schema error hatch.toml:2 demo-tool: "version" is listed in dynamic, but [version] of hatch.toml path "lib/demo/about.py" does not exist (lib/demo/about.py)',
    ]);
    expect(await findingRows(root, 'pyproject/package-contents', RULES)).toEqual([
      'pyproject/package-contents error hatch.toml:5 demo-tool: packages lists "lib/missing", but lib/missing does not exist: the wheel would not contain it',
    ]);
  });

  it('without hatch.toml, [tool.hatch] decides, and hatchling finds nothing to ship in lib/', async () => {
    const root = writeRepo({
      '.github/workflows/publish.yml': PUBLISH,
      'pyproject.toml': `${PYPROJECT}\n[tool.hatch.version]\npath = "lib/demo/__init__.py"\n`,
      'README.md': '# demo-tool\n',
      'lib/demo/__init__.py': '__version__ = "1.2.0"\n',
    });
    expect(await findingRows(root, 'pyproject/schema', RULES)).toEqual([]);
    expect((await findingRows(root, 'pyproject/package-contents', RULES)).map((row) => row.split(' ').slice(0, 3).join(' '))).toEqual(['pyproject/package-contents error pyproject.toml:6']);
  });
});
