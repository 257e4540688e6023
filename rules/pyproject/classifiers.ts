import { defineRule } from '../../src/engine/rule.js';
import { classifierStatus } from '../../src/pyproject/classifiers.js';
import { isPublished, repoPackages } from '../../src/pyproject/packages.js';
import { admitsPythonLine, clausesOf } from '../../src/pyproject/specifiers.js';
import { removeArrayElement, valueLine, valueRange } from '../../src/pyproject/toml-text.js';
import type { Range } from '../../src/project/source-file.js';
import type { KindMeta } from '../../src/types.js';
import { distributionOfBackend } from '../../src/pyproject/backends.js';

const PYTHON_VERSION = /^Programming Language :: Python :: (\d+(?:\.\d+)?)$/;
const PYTHON_ONLY = /^Programming Language :: Python :: (\d+) :: Only$/;

const KINDS = {
  rejected: {
    category: 'release',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description: 'A classifier PyPI rejects: not in the Trove list, deprecated, or Private :: on a published package.',
    fixable: 'none',
  },
  'license-beside-expression': {
    category: 'release',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description: 'A License :: classifier beside a PEP 639 license expression in a setuptools project: setuptools 77 and later refuse to build it.',
    fixable: 'none',
  },
  'deprecated-license-classifier': {
    category: 'hygiene',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    description: 'A License :: classifier beside a PEP 639 license expression with a backend that accepts it: PEP 639 deprecates it.',
    fixable: 'none',
  },
  'python-contradiction': {
    category: 'hygiene',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    description: 'A Python version classifier that requires-python contradicts.',
    fixable: 'none',
  },
  duplicate: { category: 'hygiene', defaultSeverity: 'warning', enabledByDefault: false, description: 'The same classifier listed twice.', fixable: 'safe' },
} satisfies Record<string, KindMeta>;

type ClassifierKind = keyof typeof KINDS;

export default defineRule({
  meta: {
    id: 'pyproject/classifiers',
    category: 'release',
    defaultSeverity: 'error',
    kinds: KINDS,
    // Only a duplicate is removed; the other kinds say so.
    fixable: 'safe',
    description: 'Trove classifiers PyPI rejects, or that contradict the rest of the metadata.',
    docs: {
      catches:
        'For each published package\'s `classifiers` (kind `rejected`, errors): one that is not in the official Trove list ' +
        'shipped in `data/trove-classifiers.json` (with the closest known classifier), or that the list deprecates (with its ' +
        'replacement); `Private :: Do Not Upload` (or any `Private ::`) on a package a workflow publishes. A `License ::` ' +
        'classifier beside a PEP 639 license expression in a setuptools project, which setuptools 77 refuses (kind ' +
        '`license-beside-expression`, a warning; with another backend, kind `deprecated-license-classifier`, off by default). Off by default, ' +
        'warnings: `Programming Language :: Python :: 3.X` (or `:: 3 :: Only`) that `requires-python` contradicts (kind ' +
        '`python-contradiction`); the same classifier listed twice (kind `duplicate`). ' +
        'Refresh the list with `node scripts/refresh-classifiers.mjs`.',
      why:
        'PyPI rejects the whole upload for one unknown classifier — after the tag was pushed and the build passed. ' +
        '`Private :: Do Not Upload` exists precisely to make that upload fail, so on a published package it is either a ' +
        'leftover or the release is a mistake. Python classifiers that requires-python contradicts mislead users and ' +
        'search filters; license classifiers beside an SPDX expression are deprecated by PEP 639 and setuptools refuses them.',
      failing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10"\nlicense = "MIT"\nclassifiers = [\n' +
          '  "License :: OSI Approved :: MIT License",\n  "Programming Language :: Python :: 3.9",\n' +
          '  "Topic :: Office/Business :: Ticketing",\n  "Operating System :: OS Independent",\n  "Operating System :: OS Independent",\n]\n',
      },
      passing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10"\nlicense = "MIT"\nclassifiers = [\n' +
          '  "Programming Language :: Python :: 3.10",\n  "Topic :: Office/Business",\n  "Operating System :: OS Independent",\n]\n',
      },
      fixSafety: 'Safe: only an exact duplicate is removed (its whole line when it stands alone), which changes nothing PyPI shows.',
    },
  },
  check({ project, report }) {
    for (const pkg of repoPackages(project)) {
      if (pkg.kind !== 'pep621' || !isPublished(project, pkg)) continue;
      const file = pkg.pyproject;
      const classifiers = file.get(['project', 'classifiers']);
      if (!Array.isArray(classifiers)) continue;
      const requiresPython = file.get(['project', 'requires-python']);
      const pythonSpec = typeof requiresPython === 'string' && clausesOf(requiresPython) ? requiresPython : undefined;
      const license = file.get(['project', 'license']);
      const backend = file.get(['build-system', 'build-backend']);
      const usesSetuptools = typeof backend !== 'string' || distributionOfBackend(backend) === 'setuptools';
      const seen = new Map<string, number>();
      classifiers.forEach((classifier, index) => {
        if (typeof classifier !== 'string') return;
        const path = ['project', 'classifiers', index];
        // Positions need a second parse of the file: only for a finding.
        const range = (): Range => valueRange(file, path);
        const at = (kind: ClassifierKind, message: string) => report({ kind, file, range: range(), message: `${pkg.name}: ${message}` });
        const first = seen.get(classifier);
        if (first !== undefined) {
          const edit = removeArrayElement(file, path);
          report({
            kind: 'duplicate',
            file,
            range: range(),
            message: `${pkg.name}: classifier "${classifier}" is listed twice (first ${firstAt(valueLine(file, ['project', 'classifiers', first]), valueLine(file, path))}); remove this one`,
            fix: edit && { applicability: 'safe', description: `remove the duplicate classifier "${classifier}"`, edits: [edit] },
          });
          return;
        }
        seen.set(classifier, index);
        const status = classifierStatus(classifier);
        if (status.kind === 'private') {
          at('rejected', `"${classifier}" is on a package that a publish workflow uploads: PyPI rejects every "Private ::" classifier, by design; remove it, or stop publishing ${pkg.name}`);
          return;
        }
        if (status.kind === 'deprecated') {
          at('rejected', `classifier "${classifier}" is deprecated in the Trove list and PyPI rejects it${status.replacements.length ? `; use ${status.replacements.map((item) => `"${item}"`).join(' or ')}` : ''}`);
          return;
        }
        if (status.kind === 'unknown') {
          at('rejected', `classifier "${classifier}" is not in the Trove classifier list: PyPI rejects the upload${status.closest ? `; the closest is "${status.closest}"` : ''}`);
          return;
        }
        if (classifier.startsWith('License ::') && typeof license === 'string') {
          if (usesSetuptools) at('license-beside-expression', `"${classifier}" sits beside the SPDX license expression "${license}": setuptools 77 and later refuse to build a project that has both; remove the classifier`);
          else at('deprecated-license-classifier', `"${classifier}" sits beside the SPDX license expression "${license}": PEP 639 deprecates license classifiers once license is an expression; remove the classifier`);
          return;
        }
        if (!pythonSpec) return;
        const version = PYTHON_VERSION.exec(classifier)?.[1];
        if (version !== undefined && !admitsPythonLine(pythonSpec, version)) {
          at('python-contradiction', `classifier "${classifier}" claims Python ${version}, which requires-python "${pythonSpec}" excludes: pip never installs ${pkg.name} there`);
          return;
        }
        const only = PYTHON_ONLY.exec(classifier)?.[1];
        if (only !== undefined) {
          const other = only === '3' ? '2' : '3';
          if (admitsPythonLine(pythonSpec, other)) at('python-contradiction', `classifier "${classifier}" says Python ${only} only, but requires-python "${pythonSpec}" admits Python ${other}`);
        }
      });
    }
  },
});

/** Where the first of two equal entries sits, said from the second one's line. */
function firstAt(firstLine: number, line: number): string {
  return firstLine === line ? 'earlier on this line' : `at line ${firstLine}`;
}
