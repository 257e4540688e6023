import { defineRule } from '../../src/engine/rule.js';
import { readDocument } from '../../src/markdown/index.js';
import { installedNamesIn } from '../../src/markdown/install.js';
import { publishedWithWorkflows } from '../../src/markdown/published.js';
import { packageReadme, rootReadme } from '../../src/markdown/readmes.js';
import type { Range, SourceFile } from '../../src/project/source-file.js';

const INSTALL_HEADING = /\binstall/i;

export default defineRule({
  meta: {
    id: 'readme/install-docs',
    category: 'hygiene',
    enabledByDefault: false,
    defaultSeverity: 'warning',
    fixable: 'none',
    description: 'A published package whose install command appears neither in the root README nor in its own readme.',
    docs: {
      catches:
        'A package a publish workflow uploads, for which neither the root README nor the package\'s own readme (the file its ' +
        '`readme` names, else a README.* in its directory) contains an install command for its name: `pip install NAME`, ' +
        '`python -m pip install`, `uv pip install`, `pipx install`, `uv add`, `poetry add` or `pdm add`, with any options, ' +
        'extras or version specifiers (`pip install -U "NAME[extra]>=1.0"`). Names compare after PEP 503 normalisation. ' +
        'Reported at the root README\'s installation heading, else its first heading.',
      why:
        'The distribution name is what users cannot guess: it often differs from the import name and the repository name, ' +
        'and typing a near-miss name installs whatever a typosquatter put on PyPI under it. The PyPI page shows the package\'s ' +
        'own readme, so that is where the command helps most.',
      failing: { file: 'README.md', content: '# demo-plugin\n\n## Installation\n\nInstall it with your usual package manager.\n' },
      passing: { file: 'README.md', content: '# demo-plugin\n\n## Installation\n\n```bash\npip install demo-plugin\n```\n' },
      fixSafety: 'No fix: where the install instructions belong, and which extras to name, is the authors\' call.',
    },
  },
  check({ project, report }) {
    const root = rootReadme(project);
    for (const { pkg } of publishedWithWorkflows(project)) {
      const own = packageReadme(project, pkg);
      const places = [root, own].filter((file, index, all): file is SourceFile => file !== undefined && all.indexOf(file) === index);
      if (places.some((file) => installedNamesIn(project, file).has(pkg.normalizedName!))) continue;
      const target = anchor(root) ?? anchor(own);
      const file = target?.file ?? pkg.declaredIn;
      const range = target?.range ?? pkg.pyproject?.rangeOfValue(pkg.namePath) ?? { start: 0, end: 0 };
      const where =
        places.length === 0 ? 'there is no root README and the package has no readme' : places.length === 1 ? `${places[0]!.path} has none` : `neither ${places.map((place) => place.path).join(' nor ')} has one`;
      report({ file, range, message: `no "pip install ${pkg.name}" for published package ${pkg.name}: ${where}; users have to guess the distribution name` });
    }
  },
});

/** Where to point in a readme: its installation heading, else its first heading. */
function anchor(file: SourceFile | undefined): { file: SourceFile; range: Range } | undefined {
  if (!file) return undefined;
  const doc = readDocument(file);
  const heading = doc.headings.find((candidate) => INSTALL_HEADING.test(candidate.text)) ?? doc.headings[0];
  return { file, range: heading?.range ?? { start: 0, end: 0 } };
}
