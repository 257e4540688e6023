import { defineRule } from '../../src/engine/rule.js';
import { hasPyproject } from '../../src/packages/package.js';

export default defineRule({
  meta: {
    id: 'gate/artifact',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    gateOnly: true,
    description: 'A built wheel or sdist does not hold what the pyproject declares.',
    docs: {
      catches:
        'Reads the wheel (a zip) and the sdist (a tar.gz) that `gate` built and compares them with pyproject.toml: ' +
        '`Name` and `Version` in the wheel METADATA and the sdist PKG-INFO (PEP 503 / PEP 440 normalised); the readme and the ' +
        'license files present in the sdist; importable code in the wheel (a package directory with `__init__.py` or a ' +
        'module), and no files of another package of this repository (a core package whose discovery also picks up its ' +
        "plugins' directories); `Requires-Dist` equal to `dependencies` and `optional-dependencies` (name, extras, " +
        'specifier set, marker, compared after normalisation). An artifact that cannot be read safely is reported, not read: ' +
        'not a regular file (a FIFO, a link), a tar header that lies about its size, an sdist that inflates past 1 GB or has ' +
        'a file over 256 MB, metadata over 16 MB (only the METADATA of a wheel is inflated).',
      why:
        'What pip installs is the artifact, not the pyproject. A core wheel that also carries its plugins overwrites the ' +
        'plugins when both are installed; a wheel with no code installs nothing; an sdist without its readme cannot be ' +
        'built again; and a Requires-Dist that differs from the declared dependencies means users get a different ' +
        'dependency set than the one you tested.',
      failing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "core"\nversion = "1.0.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\ninclude = ["core*"]   # also matches src/core_plugin, another package\n',
      },
      passing: {
        file: 'pyproject.toml',
        content: '[project]\nname = "core"\nversion = "1.0.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\ninclude = ["core", "core.*"]\n',
      },
      fixSafety: "No fix: which files belong in the artifact is the package's decision; the finding names the files and the config to look at.",
    },
  },
  async check({ project, report, run }) {
    // The gate's machinery (processes, archive readers, globs) loads only when a gate runs.
    const [{ gateRun }, { artifactProblems }] = await Promise.all([import('../../src/gate/session.js'), import('../../src/gate/checks.js')]);
    const gate = await gateRun(project, run);
    for (const outcome of gate.outcomes.values()) {
      const pkg = project.packageAt(outcome.dir);
      if (!pkg || !hasPyproject(pkg) || outcome.status !== 'built') continue;
      for (const problem of artifactProblems(project, pkg, outcome)) report(problem);
    }
  },
});
