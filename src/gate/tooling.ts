/**
 * Is the Python the gate was given able to build and check? `python -c ...` for the interpreter,
 * `python -m build --version` / `python -m twine --version` for the tools, and their `--help` for
 * the flags the gate passes (an old build without `--skip-dependency-check`, an old twine without
 * `check --strict` are "too old").
 */
import os from 'node:os';
import { runProcess, outputTail, type ProcessResult } from './process.js';

export const INSTALL_HINT = 'install them with `PYTHON -m pip install build twine`, or on Debian/Ubuntu `apt-get install python3-build twine`';

export interface Tooling {
  python: string;
  /** The interpreter's version (3.12.1), when it runs. */
  pythonVersion: string | undefined;
  buildVersion: string | undefined;
  twineVersion: string | undefined;
  /** The gate can build (Python and a usable build). */
  canBuild: boolean;
  /** The gate can run `twine check --strict`. */
  canCheck: boolean;
  /** One line per problem: which tool, what is wrong, how to fix it. */
  problems: string[];
}

const MINIMUM_PYTHON = [3, 8];
const VENV_PROBE =
  "import importlib.util as u, sys; sys.exit(0 if (u.find_spec('venv') and u.find_spec('ensurepip')) or u.find_spec('virtualenv') else 1)";
const PROBE_TIMEOUT_MS = 60_000;

const detected = new Map<string, Promise<Tooling>>();

/**
 * Probes `python` once per process (per isolation mode): a long-lived caller that installs build or
 * twine in between must start a new process to see them.
 */
export function detectTooling(python: string, options: { isolation: boolean }): Promise<Tooling> {
  const key = `${python}\0${options.isolation}`;
  let probe = detected.get(key);
  if (!probe) {
    probe = probeTooling(python, options);
    detected.set(key, probe);
  }
  return probe;
}

async function probeTooling(python: string, options: { isolation: boolean }): Promise<Tooling> {
  const tooling: Tooling = { python, pythonVersion: undefined, buildVersion: undefined, twineVersion: undefined, canBuild: false, canCheck: false, problems: [] };
  const env = { ...process.env, PYTHONIOENCODING: 'utf-8', NO_COLOR: '1' };
  // Not from the repository: `python -m build` looks in the working directory first, where a
  // build.py or twine.py of the project's own would shadow the real tools.
  const run = (args: string[]): Promise<ProcessResult> => runProcess(python, args, { env, cwd: os.tmpdir(), timeoutMs: PROBE_TIMEOUT_MS });
  const interpreter = await run(['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])']);
  if (interpreter.spawnError || interpreter.exitCode !== 0) {
    const why = interpreter.spawnError
      ? interpreter.spawnError.code === 'ENOENT'
        ? 'was not found'
        : `cannot be run (${interpreter.spawnError.code ?? interpreter.spawnError.message})`
      : `does not run as a Python interpreter (${lastLine(interpreter) || `exit ${interpreter.exitCode ?? interpreter.signal}`})`;
    tooling.problems.push(
      `Python: \`${python}\` ${why}; pass --python PATH to a Python 3 interpreter with build and twine (${INSTALL_HINT.replace('PYTHON', 'python3')})`,
    );
    return tooling;
  }
  tooling.pythonVersion = interpreter.output.trim().split('\n').pop();
  const numbers = (tooling.pythonVersion ?? '').split('.').map(Number);
  if (numbers[0]! < MINIMUM_PYTHON[0]! || (numbers[0] === MINIMUM_PYTHON[0] && numbers[1]! < MINIMUM_PYTHON[1]!)) {
    tooling.problems.push(`Python: \`${python}\` is Python ${tooling.pythonVersion}; build and twine need Python ${MINIMUM_PYTHON.join('.')} or later: pass --python PATH to a newer one`);
    return tooling;
  }
  const hint = INSTALL_HINT.replace('PYTHON', python);
  const [buildVersion, buildHelp, twineVersion, twineHelp, environments] = await Promise.all([
    run(['-m', 'build', '--version']),
    run(['-m', 'build', '--help']),
    run(['-m', 'twine', '--version']),
    run(['-m', 'twine', 'check', '--help']),
    // An isolated build creates a virtual environment: venv with ensurepip (Debian ships those as
    // python3-venv), or virtualenv.
    options.isolation ? run(['-c', VENV_PROBE]) : undefined,
  ]);
  if (buildVersion.exitCode !== 0) {
    tooling.problems.push(`build: \`${python} -m build\` is not available (${lastLine(buildVersion)}); ${hint}`);
  } else {
    tooling.buildVersion = versionIn(buildVersion.output);
    const needed = ['--sdist', '--wheel', '--outdir', ...(options.isolation ? [] : ['--no-isolation', '--skip-dependency-check'])];
    const missing = needed.filter((flag) => !buildHelp.output.includes(flag));
    if (missing.length > 0) {
      tooling.problems.push(`build: build ${tooling.buildVersion ?? ''} is too old (no ${missing.join(', ')}); upgrade it: ${hint.replace('install build twine', 'install --upgrade build twine')}`);
    } else if (environments && environments.exitCode !== 0) {
      tooling.problems.push(
        `build: an isolated build needs a virtual environment, but \`${python}\` has neither venv with ensurepip nor virtualenv; install them (on Debian/Ubuntu \`apt-get install python3-venv\`), or pass --no-isolation to build with the backends installed in that Python`,
      );
    } else {
      tooling.canBuild = true;
    }
  }
  if (twineVersion.exitCode !== 0) {
    tooling.problems.push(`twine: \`${python} -m twine\` is not available (${lastLine(twineVersion)}); ${hint}`);
  } else {
    tooling.twineVersion = versionIn(twineVersion.output);
    if (!twineHelp.output.includes('--strict')) {
      tooling.problems.push(`twine: twine ${tooling.twineVersion ?? ''} is too old (\`twine check\` has no --strict); upgrade it: ${hint.replace('install build twine', 'install --upgrade build twine')}`);
    } else {
      tooling.canCheck = true;
    }
  }
  return tooling;
}

function lastLine(result: ProcessResult): string {
  if (result.timedOut) return 'timed out';
  return outputTail(result.output, 1)[0]?.trim() ?? '';
}

function versionIn(output: string): string | undefined {
  return /(\d+\.\d+(?:\.\d+)?\S*)/.exec(output)?.[1];
}

/**
 * The first twine that reads each core Metadata-Version whatever pkginfo it runs with: 2.2 came
 * with twine 3.7; 2.3 needs pkginfo 1.10 (a twine 5 may or may not have it) and 2.4 (License-Expression,
 * License-File) twine 6.1, which reads both. An older twine reports the artifact as missing Name and
 * Version, which reads as the package's fault.
 */
const TWINE_FOR_METADATA: Record<string, string> = { '2.2': '3.7', '2.3': '6.1', '2.4': '6.1' };
const KNOWN_METADATA = /^(?:1\.[0-2]|2\.[0-4])$/;

/**
 * Why `twine` (its version) cannot read artifacts of `metadataVersion`, or undefined when it can or
 * when that is unknown. A Metadata-Version newer than any in the table asks for the newest twine.
 */
export function twineCannotRead(twineVersion: string | undefined, metadataVersion: string | undefined): string | undefined {
  if (twineVersion === undefined || metadataVersion === undefined) return undefined;
  const needed = TWINE_FOR_METADATA[metadataVersion];
  if (needed === undefined) {
    return KNOWN_METADATA.test(metadataVersion) || !/^\d+\.\d+$/.test(metadataVersion) ? undefined : `twine ${twineVersion} may not read Metadata ${metadataVersion}: use the newest twine`;
  }
  return compareVersions(twineVersion, needed) < 0 ? `twine ${twineVersion} cannot read Metadata ${metadataVersion}: use twine >= ${needed}` : undefined;
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string): number[] => version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
