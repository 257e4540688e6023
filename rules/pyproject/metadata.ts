import { defineRule } from '../../src/engine/rule.js';
import { appendToTable, tomlString } from '../../src/engine/toml-edit.js';
import type { Package } from '../../src/project/project.js';
import type { RepositoryId } from '../../src/project/git-remote.js';
import { publishedPackages } from '../../src/plan/release-plan.js';
import type { Fix } from '../../src/types.js';
import { metadataView } from '../../src/packages/metadata.js';
import type { TomlFile } from '../../src/project/toml-file.js';

export const DEFAULT_REQUIRED = ['name', 'version', 'description', 'readme', 'requires-python', 'license'];
const DEFAULT_RECOMMENDED = ['authors', 'urls', 'classifiers', 'keywords'];
/** Without these PyPI refuses the upload, whichever list names them. */
const IDENTITY = ['name', 'version'];

/** Why each field matters to someone reading the PyPI page; used in messages. */
const WHY: Record<string, string> = {
  name: 'PyPI cannot accept an upload without it',
  version: 'PyPI cannot accept an upload without it',
  description: 'PyPI shows an empty summary in search results',
  readme: 'the PyPI project page has no description',
  'requires-python': 'pip installs it on any Python, including ones it does not run on',
  license: 'users and their compliance tools cannot tell the terms',
  authors: 'the project page names nobody to contact',
  urls: 'the project page links to no source, docs or issue tracker',
  classifiers: 'PyPI search filters and the project page show nothing about it',
  keywords: 'PyPI search finds it only by name',
};

const PYTHON_CLASSIFIER = /^Programming Language :: Python :: 3\.(\d+)$/;

export default defineRule({
  meta: {
    id: 'pyproject/metadata',
    category: 'hygiene',
    defaultSeverity: 'warning',
    kinds: {
      'missing-name-or-version': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A published package without name or version: PyPI refuses the upload.',
        fixable: 'none',
      },
      'missing-required': {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: true,
        description: 'A published package without a field of the `required` list (description, readme, requires-python, license).',
        fixable: 'safe',
      },
      'missing-recommended': {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: false,
        description: 'A published package without a field of the `recommended` list (authors or maintainers, urls, classifiers, keywords).',
        // Only [project.urls] is filled in, from the git remote, which may not be the public home.
        fixable: 'unsafe',
      },
    },
    fixable: 'safe',
    description: 'A published package whose [project] lacks what PyPI users need on the project page.',
    docs: {
      catches:
        'A published package (one that a publish workflow uploads; every package when there is no publish workflow) whose ' +
        '`[project]` table has no `name` or `version` (kind `missing-name-or-version`, an error: PyPI refuses the upload); no ' +
        '`description`, `readme`, `requires-python` or `license` (kind `missing-required`, warnings); and, off by default, no ' +
        '`authors`/`maintainers`, `urls`, `classifiers` or `keywords` (kind `missing-recommended`, warnings). A field listed ' +
        'in `dynamic` counts as present. Both lists are options: `"pyproject/metadata" = { required = [...], recommended = [...] }`.',
      why:
        'Missing metadata cannot be added after an upload: a release without `requires-python` is installed on Pythons ' +
        'it does not support, one without `readme` has an empty PyPI page, and PyPI versions are immutable.',
      failing: { file: 'pyproject.toml', content: '[project]\nname = "demo"\nversion = "1.0.0"\nclassifiers = ["Programming Language :: Python :: 3.10"]\n' },
      passing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "demo"\nversion = "1.0.0"\ndescription = "A demo."\nreadme = "README.md"\nrequires-python = ">=3.10"\n' +
          'license = { text = "MIT" }\nauthors = [{ name = "Ada" }]\nkeywords = ["demo"]\nclassifiers = ["Programming Language :: Python :: 3.10"]\n\n' +
          '[project.urls]\nSource = "https://github.com/example/demo"\n',
      },
      fixSafety:
        'Safe: `readme` is set when the package directory holds exactly one README.* file; `requires-python` is set to ' +
        '`>=3.X` from the lowest `Programming Language :: Python :: 3.X` classifier, which the project already claims. ' +
        'Unsafe: `[project.urls]` is filled from the git remote (or config `repository`), which may not be the public home.',
    },
    optionsSchema: {
      properties: {
        required: { type: 'array', items: { type: 'string' } },
        recommended: { type: 'array', items: { type: 'string' } },
      },
    },
  },
  check({ project, report, options }) {
    const required = options.required ?? DEFAULT_REQUIRED;
    const recommended = options.recommended ?? DEFAULT_RECOMMENDED;
    for (const pkg of publishedPackages(project)) {
      const view = metadataView(pkg);
      if (!view) continue;
      const label = pkg.name ?? pkg.dir;
      for (const [fields, list] of [[required, 'missing-required'], [recommended, 'missing-recommended']] as const) {
        for (const field of fields.filter((candidate) => !view.has(candidate))) {
          const fieldName = field === 'authors' ? 'authors" or "maintainers' : FIELD_NAMES[view.table]?.[field] ?? field;
          report({
            kind: IDENTITY.includes(field) ? 'missing-name-or-version' : list,
            file: view.file,
            // Positions need a second parse of the file: only for a finding.
            range: view.headerRange(),
            message: `${label}: ${view.table} has no "${fieldName}"${WHY[field] ? `: ${WHY[field]}` : ''}`,
            fix: pkg.kind === 'pep621' && pkg.pyproject ? fixFor(field, pkg, pkg.pyproject, project.listDirectory(pkg.dir), project.repository) : undefined,
          });
        }
      }
    }
  },
});

/** How a field is spelled where it is missing, when not as in PEP 621. */
const FIELD_NAMES: Record<string, Record<string, string>> = {
  '[tool.poetry]': { 'requires-python': 'python" in [tool.poetry.dependencies' },
  'setup.cfg [metadata]': { readme: 'long_description', 'requires-python': 'python_requires" in [options', urls: 'url' },
};

function fixFor(field: string, pkg: Package, file: TomlFile, directoryEntries: readonly string[], repository: RepositoryId | undefined): Fix | undefined {
  const single = (lines: string[], applicability: Fix['applicability'], description: string): Fix | undefined => {
    const edit = appendToTable(file, ['project'], lines);
    return edit && { applicability, description, edits: [edit] };
  };
  if (field === 'readme') {
    // Only extensions every backend maps to a content type: README.adoc or a bare README would fail the build.
    const readmes = directoryEntries.filter((entry) => /^readme\.(md|rst|txt)$/i.test(entry));
    return readmes.length === 1 ? single([`readme = ${tomlString(readmes[0]!)}`], 'safe', `set readme to ${readmes[0]}`) : undefined;
  }
  if (field === 'requires-python') {
    const classifiers = Array.isArray(pkg.project.classifiers) ? pkg.project.classifiers : [];
    const minors = classifiers.map((classifier) => PYTHON_CLASSIFIER.exec(String(classifier))?.[1]).filter(Boolean).map(Number);
    if (minors.length === 0) return undefined;
    const lowest = `>=3.${minors.reduce((min, minor) => Math.min(min, minor))}`;
    return single([`requires-python = ${tomlString(lowest)}`], 'safe', `set requires-python to ${lowest} from the classifiers`);
  }
  if (field === 'urls' && repository) {
    const home = `https://github.com/${repository.owner}/${repository.name}`;
    const body = file.tableBody(['project']);
    if (!body) return undefined;
    const text = `\n[project.urls]\nHomepage = ${tomlString(home)}\nSource = ${tomlString(home)}\nIssues = ${tomlString(`${home}/issues`)}\n`;
    return { applicability: 'unsafe', description: `add [project.urls] for ${repository.owner}/${repository.name}`, edits: [{ file: file.path, start: body.insertAt, end: body.insertAt, text }] };
  }
  return undefined;
}
