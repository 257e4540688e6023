import { defineRule } from '../../src/engine/rule.js';
import { isPublished, repoPackages } from '../../src/pyproject/packages.js';
import { isStdlibName } from '../../src/pyproject/stdlib-names.js';
import { valueRange } from '../../src/pyproject/toml-text.js';

export default defineRule({
  meta: {
    id: 'pyproject/stdlib-name',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A published package named like a standard-library module: PyPI refuses to create the project.',
    docs: {
      catches:
        'A published package whose name, normalised (PEP 503), is a module of the Python standard library or a dotted ' +
        'prefix of one (`json`, `asyncio`, `xml.etree`, `Typing`), from the dated list in data/python-stdlib-modules.json ' +
        '(CPython\'s `sys.stdlib_module_names` and the modules below them).',
      why:
        'PyPI refuses to create a project with such a name (pypi/warehouse `warehouse/packaging/services.py`, ' +
        '`check_project_name` and `STDLIB_PROHIBITED`): the first upload fails with "The name is not allowed". Only ' +
        'projects registered before the rule (old backports such as `typing`) keep theirs. Users could not install the ' +
        'package under that name anyway without shadowing the standard library on import.',
      failing: { file: 'pyproject.toml', content: '[project]\nname = "asyncio"\nversion = "1.0.0"\n' },
      passing: { file: 'pyproject.toml', content: '[project]\nname = "asyncio-helpers"\nversion = "1.0.0"\n' },
      fixSafety: 'No fix: a project name is a release decision.',
    },
  },
  check({ project, report }) {
    for (const pkg of repoPackages(project)) {
      if (!pkg.name || !isPublished(project, pkg) || !isStdlibName(pkg.normalizedName)) continue;
      report({
        file: pkg.pyproject,
        range: valueRange(pkg.pyproject, pkg.namePath),
        message:
          `name "${pkg.name}" is ${pkg.normalizedName === pkg.name ? '' : `(normalised ${pkg.normalizedName}) `}a module of the Python standard library: PyPI refuses to create a project ` +
          'with that name, so the first upload fails (only projects registered before the rule keep such names); choose another name',
      });
    }
  },
});
