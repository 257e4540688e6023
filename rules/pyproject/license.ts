import { defineRule } from '../../src/engine/rule.js';
import type { Project } from '../../src/project/project.js';
import { licenseGlobError } from '../../src/pyproject/schema-formats.js';
import { isDirectory, joinPath, leavesRoot } from '../../src/pyproject/fs.js';
import { isPublished, repoPackages, type RepoPackage } from '../../src/pyproject/packages.js';
import { checkLicenseExpression, replacementsFor } from '../../src/pyproject/spdx.js';
import { valueRange } from '../../src/pyproject/toml-text.js';

export default defineRule({
  meta: {
    id: 'pyproject/license',
    category: 'release',
    defaultSeverity: 'warning',
    kinds: {
      invalid: {
        category: 'release',
        defaultSeverity: 'warning',
        enabledByDefault: true,
        description: 'A license that is not a valid SPDX expression, a license file that is missing or outside the package, a license-files glob that matches nothing: PEP 639 backends fail the build.',
      },
      'deprecated-identifier': { category: 'hygiene', defaultSeverity: 'warning', enabledByDefault: false, description: 'A deprecated SPDX identifier such as GPL-3.0.' },
    },
    fixable: 'none',
    description: 'A license that is neither a valid SPDX expression nor a legacy table, or license files that are not there.',
    docs: {
      catches:
        'For each published package: a `license` string that is not a valid SPDX license expression (PEP 639; identifiers ' +
        'match case-insensitively, `LicenseRef-...` is allowed), with the identifier it probably meant (`Apache 2.0` → ' +
        '`Apache-2.0`); a legacy `license = { file = "..." }` whose file does not exist or lies outside the package directory; ' +
        'a `license-files` glob that matches no file (kind `invalid`). Off by default: a deprecated SPDX identifier such as ' +
        '`GPL-3.0` (use `GPL-3.0-only` or `GPL-3.0-or-later`; kind `deprecated-identifier`). A legacy `{ text = "..." }` ' +
        'table is accepted. All warnings.',
      why:
        'Build backends that implement PEP 639 (setuptools >= 77, hatchling >= 1.27, flit, pdm-backend) refuse an invalid ' +
        'expression and fail when a license-files pattern matches nothing; PyPI and compliance tools read the expression ' +
        'to decide whether the package may be used at all. A license file outside the package directory does not make it ' +
        'into the sdist, so the wheel built from the sdist fails.',
      failing: {
        file: 'pyproject.toml',
        content: '[project]\nname = "demo"\nversion = "1.0.0"\nlicense = "Apache 2.0"\nlicense-files = ["LICENCE*"]\n',
      },
      passing: {
        file: 'pyproject.toml',
        content: '[project]\nname = "demo"\nversion = "1.0.0"\nlicense = "Apache-2.0"\nlicense-files = ["LICENSE*"]\n',
      },
      fixSafety: 'No fix: a license is a legal statement; only the maintainers may choose its identifier.',
    },
  },
  check({ project, report }) {
    for (const pkg of repoPackages(project)) {
      if (pkg.kind !== 'pep621' || !isPublished(project, pkg)) continue;
      const file = pkg.pyproject;
      const at = (path: (string | number)[], message: string, kind: 'invalid' | 'deprecated-identifier' = 'invalid') =>
        report({ kind, file, range: valueRange(file, path), message: `${pkg.name}: ${message}` });
      const license = file.get(['project', 'license']);
      if (typeof license === 'string' && license.trim() !== '') {
        const result = checkLicenseExpression(license);
        if (!result.ok) {
          at(
            ['project', 'license'],
            `license "${license}" is not a valid SPDX license expression (${result.error})` +
              (result.suggestions.length
                ? `; did you mean ${result.suggestions.map((id) => `"${id}"`).join(' or ')}?`
                : result.unknownIdentifier
                  ? '; use an identifier from https://spdx.org/licenses/ or LicenseRef-...'
                  : ''),
          );
        } else {
          for (const id of result.deprecated) {
            const replacements = replacementsFor(id);
            at(['project', 'license'], `license "${license}" uses the deprecated SPDX identifier ${id}${replacements.length ? `; use ${replacements.join(' or ')}` : ''}`, 'deprecated-identifier');
          }
        }
      } else if (license && typeof license === 'object' && !Array.isArray(license)) {
        const legacy = (license as Record<string, unknown>).file;
        if (typeof legacy === 'string') checkLegacyFile(project, pkg, legacy, at);
      }
      const globs = file.get(['project', 'license-files']);
      if (Array.isArray(globs)) {
        globs.forEach((glob, index) => {
          if (typeof glob !== 'string' || licenseGlobError(glob) !== undefined) return; // pyproject/schema
          if (matchCount(project, pkg.dir, glob) === 0) {
            at(['project', 'license-files', index], `license-files "${glob}" matches no file in ${pkg.dir === '.' ? 'the repository root' : pkg.dir}: PEP 639 backends fail the build`);
          }
        });
      }
    }
  },
});

function checkLegacyFile(project: Project, pkg: RepoPackage, declared: string, at: (path: (string | number)[], message: string) => void): void {
  const target = joinPath(pkg.dir, declared);
  const path = ['project', 'license', 'file'];
  if (leavesRoot(target)) {
    at(path, `license file "${declared}" lies outside the repository: no build can read it`);
  } else if (pkg.dir !== '.' && !target.startsWith(`${pkg.dir}/`)) {
    at(path, `license file "${declared}" resolves to ${target}, outside the package directory ${pkg.dir}: the sdist cannot carry it, so the wheel build from the sdist fails`);
  } else if (!project.exists(target) || isDirectory(project, target)) {
    at(path, `license file "${declared}" does not exist (${target}): the build fails`);
  }
}

function matchCount(project: Project, directory: string, glob: string): number {
  return project.store.glob(directory, glob, { onlyFiles: true, dot: true, caseSensitiveMatch: true }).length;
}
