import { defineRule } from '../../src/engine/rule.js';
import { rangeNamedByOutput } from '../../src/gate/locate.js';
import { hasPyproject, type TomlPackage } from '../../src/packages/package.js';

/** The lines of a failed build's output tail that say what went wrong (errors), newest last; at most three. */
function errorLines(tail: string[]): string[] {
  const lines = tail.map((line) => line.trim());
  const errors = lines.filter((line) => /^(error|ERROR)\b|^\w*(Error|Exception):|error:/.test(line));
  return [...new Set(errors)].slice(-3);
}

/** build-system.requires as written (strings only). */
function buildRequires(pkg: TomlPackage): string[] {
  const requires = pkg.pyproject.get(['build-system', 'requires']);
  return Array.isArray(requires) ? requires.filter((item): item is string => typeof item === 'string') : [];
}

/** A requirement as one shell word: quoted when it holds anything but plain name and version characters. */
function shellWord(requirement: string): string {
  return /^[A-Za-z0-9_.\-\[\],=]+$/.test(requirement) ? requirement : `'${requirement.replace(/'/g, `'\\''`)}'`;
}

function indentTail(lines: readonly string[]): string {
  return lines.map((line) => `    ${line}`).join('\n');
}

export default defineRule({
  meta: {
    id: 'gate/build',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      failed: { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'python -m build failed, or the gate could not start it.' },
      timeout: { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'python -m build did not finish within --timeout.' },
    },
    fixable: 'none',
    gateOnly: true,
    description: '`python -m build` (sdist and wheel) fails, or times out, for a published package.',
    docs: {
      catches:
        'For every published package (only the `--tag` package with `--tag`), `pypi-release-lint gate` copies the package ' +
        'directory to a temporary directory and runs `python -m build --sdist --wheel` there (isolated by default; with ' +
        '`--no-isolation` against the backends installed in `--python`). A build that exits non-zero is reported with the ' +
        'error lines and the tail of its output, at the line of pyproject.toml the error names when it names one. A build ' +
        'that runs longer than `--timeout` seconds is stopped (its process group, its session and any process it started, ' +
        'detached or not, are killed) and reported; an isolated ' +
        'build that cannot reach a package index to install its build requirements is the usual cause. An isolated build ' +
        'whose pip fails at once because no index answers gets the same advice (the build requirements to install, ' +
        '`--no-isolation`) instead of the traceback of `python -m build`. The source tree is ' +
        'never touched: no dist/, build/ or *.egg-info is left behind, and the temporary copy is removed even when the build ' +
        'left read-only directories in it (a copy that cannot be removed is reported too).',
      why:
        'A release workflow that only discovers a broken build when the tag is pushed has already announced a version it ' +
        'cannot publish. Building every package the same way the workflow will, before the tag, catches stale package ' +
        'names, missing files and backend configuration errors while they are cheap to fix.',
      failing: {
        file: 'src/plugin/pyproject.toml',
        content:
          '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "plugin"\nversion = "1.0.0"\n\n' +
          '[tool.setuptools]\npackage-dir = { "plugin" = "." }\npackages = ["old_plugin_name"]   # no such package directory\n',
      },
      passing: {
        file: 'src/plugin/pyproject.toml',
        content:
          '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "plugin"\nversion = "1.0.0"\n\n' +
          '[tool.setuptools]\npackage-dir = { "plugin" = "." }\npackages = ["plugin"]\n',
      },
      fixSafety: 'No fix: the build output says what is wrong, but not which of the possible repairs you want.',
    },
  },
  async check({ project, report, run }) {
    // The gate's machinery (processes, archive readers) loads only when a gate runs.
    const { buildTail, gateRun } = await import('../../src/gate/session.js');
    const gate = await gateRun(project, run);
    for (const outcome of gate.outcomes.values()) {
      const pkg = project.packageAt(outcome.dir);
      if (!pkg || !hasPyproject(pkg)) continue;
      const file = pkg.pyproject;
      const fallback = file.rangeOfEntry(['build-system']) ?? file.rangeOfEntry(['project']) ?? { start: 0, end: 0 };
      if (outcome.cleanupError) report({ kind: 'failed', file, range: fallback, message: `${outcome.label}: the gate ${outcome.cleanupError}; remove it by hand` });
      if (outcome.status === 'built') continue;
      if (outcome.setupError) {
        report({ kind: 'failed', file, range: fallback, message: `${outcome.label}: the gate could not build it: ${outcome.setupError}` });
        continue;
      }
      const tail = buildTail(outcome, 15);
      const isolationAdvice = (): string => {
        const requires = buildRequires(pkg);
        const install = requires.length > 0 ? requires.map(shellWord).join(' ') : '<the build backend>';
        return (
          `An isolated build first installs the build requirements (build-system.requires: ${requires.length > 0 ? requires.join(', ') : 'none declared'}) from a package index: ` +
          `if this machine cannot reach one (offline, firewall, proxy), install them into that Python (\`${gate.options.python} -m pip install ${install}\`) and pass --no-isolation`
        );
      };
      if (outcome.indexUnreachable) {
        report({
          file,
          range: file.rangeOfEntry(['build-system', 'requires']) ?? fallback,
          kind: 'failed',
          message: `${outcome.label}: the isolated build could not install its build requirements, so the backend never ran (pip: ${outcome.indexUnreachable}). ${isolationAdvice()}.`,
        });
        continue;
      }
      if (outcome.status === 'timed-out') {
        const advice = outcome.isolation ? `${isolationAdvice()}, or raise --timeout` : 'Raise --timeout if the build is only slow';
        report({
          file,
          range: fallback,
          kind: 'timeout',
          message:
            `${outcome.label}: python -m build timed out after ${outcome.timeoutSeconds} s and was stopped (its whole process group killed). ${advice}.` +
            (tail.length > 0 ? `\n  output tail:\n${indentTail(tail.slice(-8))}` : ''),
        });
        continue;
      }
      const errors = errorLines(buildTail(outcome, 200));
      const summary = errors.length > 0 ? errors.join('; ') : (tail[tail.length - 1]?.trim() ?? 'no output');
      report({
        kind: 'failed',
        file,
        range: rangeNamedByOutput(pkg, errors.length > 0 ? errors : tail) ?? fallback,
        message:
          `${outcome.label}: python -m build failed (exit ${outcome.exitCode ?? 'by a signal'}): ${summary}` +
          `\n  output tail of \`${outcome.command}\`:\n${indentTail(tail)}`,
      });
    }
  },
});
