/**
 * Recognises the commands of a `run:` script that build or upload distributions, copy them, or
 * hand the work to something the plan does not follow (make, nx, tox...). Works on expanded words
 * (see src/workflow/shell.ts): wrappers such as `uv run`, `pipx run`, `python -m` and `sudo` are
 * looked through, so `uvx --from build pyproject-build -o out pkg` reads as a build of pkg into out.
 */
import type { ShellValue } from '../workflow/shell.js';
import type { Origin } from '../workflow/values.js';

type Word = ShellValue<Origin> | undefined;

/** A build: what it builds (a directory, or an sdist file) and where the files go. */
export interface BuildCommand {
  kind: 'build';
  tool: string;
  /** The source argument, relative to the command's directory; '.' when omitted. */
  source: Word;
  /** `uv build --package NAME` (null: not given). */
  packageName: Word | null;
  allPackages: boolean;
  /** `--outdir` and the like, relative to the command's directory; null when not given (the tool's default). */
  outDir: Word | null;
  /** Where the tool writes by default, relative to the source (uv's is special: see trace.ts). */
  defaultOut: 'dist' | 'target/wheels' | 'wheelhouse' | 'uv';
}

export interface UploadCommand {
  kind: 'upload';
  tool: string;
  /** The distribution files or directories it uploads, relative to the command's directory. */
  files: Word[];
  /** `--repository-url`, `-r NAME`... as written (undefined: the tool's default; null: written but unknown). */
  repository: string | null | undefined;
  /** The environment variables that choose the index for this tool, first set one wins. */
  repositoryVariables: string[];
  /** The tool builds the project in its directory before uploading (flit publish, pdm publish...). */
  buildsItself: boolean;
  /** `uv publish --check-url`: the index whose files are skipped (undefined: not given; null: unknown). */
  checkUrl?: string | null | undefined;
}

export interface CopyCommand {
  kind: 'copy';
  sources: Word[];
  dest: Word;
}

/** A command that may write distributions the plan cannot see: a Makefile target, nx, tox, a script. */
export interface OpaqueCommand {
  kind: 'opaque';
  what: string;
}

export type RecognizedCommand = BuildCommand | UploadCommand | CopyCommand | OpaqueCommand;

/** Upload commands as text, for rules that search a `run:` script (`twine upload`, `uv publish`...). */
export const UPLOAD_COMMAND = /\b(twine\s+upload|uv\s+publish|poetry\s+publish|hatch\s+publish|flit\s+publish|pdm\s+publish|maturin\s+(?:publish|upload))\b/;

/** Build commands as text, for rules that point at one in a `run:` script. */
export const BUILD_COMMAND = /\b(python3?\s+-m\s+build|pyproject-build|pipx\s+run\s+build|uv\s+build|poetry\s+build|hatch\s+build|flit\s+build|pdm\s+build|maturin\s+(?:build|sdist)|cibuildwheel)\b/;

/** Options that take a value, per tool, so their value is not read as a positional argument. */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  build: new Set(['-o', '--outdir', '-C', '--config-setting', '--installer', '-p', '--python']),
  uv: new Set(['-o', '--out-dir', '--package', '--directory', '--project', '-p', '--python', '-C', '--config-setting', '--build-constraints', '-b', '--index', '--index-url', '--extra-index-url', '--publish-url', '--check-url', '-u', '--username', '--password', '-t', '--token', '--trusted-publishing', '--keyring-provider', '--cache-dir', '--color', '--config-file', '--find-links', '-f', '--resolution', '--prerelease', '--exclude-newer', '--refresh-package', '--upgrade-package', '-P', '--index-strategy', '--link-mode', '--build-constraint', '--constraint', '-c', '--python-preference', '--python-downloads', '--default-index', '--allow-insecure-host', '--trusted-host', '--no-binary-package', '--no-build-package', '--no-build-isolation-package', '--config-settings-package', '--exclude-newer-package', '--fork-strategy', '--torch-backend']),
  twine: new Set(['-r', '--repository', '--repository-url', '-u', '--username', '-p', '--password', '-c', '--comment', '-i', '--identity', '--sign-with', '--config-file', '--cert', '--client-cert', '--attestations']),
  poetry: new Set(['-r', '--repository', '-u', '--username', '-p', '--password', '--cert', '--client-cert', '--dist-dir', '-C', '--directory', '-P', '--project', '-f', '--format', '-o', '--output', '--config-settings', '-c']),
  hatch: new Set(['-r', '--repo', '-u', '--user', '-a', '--auth', '--ca-cert', '--client-cert', '--client-key', '-t', '--target', '-p', '--project', '-e', '--env', '-o', '--option']),
  pdm: new Set(['-r', '--repository', '-u', '--username', '-P', '--password', '-d', '--dest', '-p', '--project', '--ca-certs', '--comment', '-c', '--config-setting', '-i', '--identity', '--sign-with']),
  flit: new Set(['--repository', '--pypirc', '--format', '-f', '--ini-file']),
  maturin: new Set(['-o', '--out', '-m', '--manifest-path', '-r', '--repository', '--repository-url', '-u', '--username', '-p', '--password', '-i', '--interpreter', '-b', '--bindings', '--target', '--features', '-F', '--compatibility', '--zig', '-j', '--jobs', '--profile', '--manylinux']),
  cibuildwheel: new Set(['--output-dir', '--platform', '--archs', '--config-file', '--only']),
  pip: new Set(['-w', '--wheel-dir', '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--src', '--config-settings', '-C']),
};

/** Commands that run build logic this plan does not read (their output is unknown). */
const OPAQUE_TOOLS = new Set(['make', 'gmake', 'just', 'task', 'invoke', 'inv', 'nox', 'tox', 'npx', 'nx', 'pnpm', 'yarn', 'npm', 'bazel', 'pants', 'earthly', 'docker', 'cmake']);

/** Wrappers whose arguments are another command. */
const PLAIN_WRAPPERS = new Set(['sudo', 'time', 'nice', 'command', 'exec', 'xargs']);

export function recognizeCommand(words: readonly Word[]): RecognizedCommand | undefined {
  const command = unwrap(words);
  if (!command || command.length === 0) return undefined;
  const name = command[0]?.value;
  if (name === undefined) return undefined;
  const args = command.slice(1);
  const sub = args[0]?.value;
  // An installed tool may be named by its absolute path; a relative path (`./scripts/build`) is a
  // script of the repository, never the tool of the same name.
  const base = name.startsWith('/') ? name.replace(/^.*\//, '') : name;
  switch (base) {
    case 'build':
    case 'pyproject-build':
      return buildCommand('build', args, 'build', 'dist');
    case 'uv':
      if (sub === 'build') return buildCommand('uv build', args.slice(1), 'uv', 'uv');
      if (sub === 'publish') return uploadCommand('uv publish', args.slice(1), 'uv', { defaultFiles: 'dist/*', repositoryFlags: ['--publish-url', '--index'], variables: ['UV_PUBLISH_URL', 'UV_PUBLISH_INDEX'], checkUrlFlag: '--check-url' });
      return undefined;
    case 'twine':
      if (sub === 'upload') return uploadCommand('twine upload', args.slice(1), 'twine', { repositoryFlags: ['--repository-url', '-r', '--repository'], variables: ['TWINE_REPOSITORY_URL', 'TWINE_REPOSITORY'] });
      return undefined;
    case 'poetry':
      if (sub === 'build') return buildCommand('poetry build', args.slice(1), 'poetry', 'dist', ['-C', '--directory', '-P', '--project'], ['-o', '--output']);
      if (sub === 'publish') {
        const built = args.some((word) => word?.value === '--build');
        return uploadCommand('poetry publish', args.slice(1), 'poetry', { repositoryFlags: ['-r', '--repository'], variables: [], filesFlag: '--dist-dir', defaultFiles: 'dist', buildsItself: built, noPositionalFiles: true });
      }
      return undefined;
    case 'hatch':
      if (sub === 'build') return buildCommand('hatch build', args.slice(1), 'hatch', 'dist', [], [], true);
      if (sub === 'publish') return uploadCommand('hatch publish', args.slice(1), 'hatch', { defaultFiles: 'dist', repositoryFlags: ['-r', '--repo'], variables: ['HATCH_INDEX_REPO'] });
      if (sub === 'run') return opaque(command);
      return undefined;
    case 'pdm':
      if (sub === 'build') return buildCommand('pdm build', args.slice(1), 'pdm', 'dist', ['-p', '--project'], ['-d', '--dest']);
      if (sub === 'publish') {
        const noBuild = args.some((word) => word?.value === '--no-build');
        return uploadCommand('pdm publish', args.slice(1), 'pdm', { repositoryFlags: ['-r', '--repository'], variables: ['PDM_PUBLISH_REPO'], filesFlag: '-d', defaultFiles: 'dist', buildsItself: !noBuild, noPositionalFiles: true });
      }
      return undefined;
    case 'flit':
      if (sub === 'build') return buildCommand('flit build', [], 'flit', 'dist');
      if (sub === 'publish') return uploadCommand('flit publish', args.slice(1), 'flit', { repositoryFlags: ['--repository'], variables: ['FLIT_INDEX_URL'], defaultFiles: 'dist', buildsItself: true, noPositionalFiles: true });
      return undefined;
    case 'maturin':
      if (sub === 'build' || sub === 'sdist') return buildCommand(`maturin ${sub}`, args.slice(1), 'maturin', 'target/wheels', ['-m', '--manifest-path'], ['-o', '--out']);
      if (sub === 'publish') return uploadCommand('maturin publish', args.slice(1), 'maturin', { repositoryFlags: ['--repository-url', '-r', '--repository'], variables: ['MATURIN_REPOSITORY_URL', 'MATURIN_REPOSITORY'], defaultFiles: 'target/wheels', buildsItself: true, noPositionalFiles: true });
      if (sub === 'upload') return uploadCommand('maturin upload', args.slice(1), 'maturin', { repositoryFlags: ['--repository-url', '-r', '--repository'], variables: ['MATURIN_REPOSITORY_URL', 'MATURIN_REPOSITORY'] });
      return undefined;
    case 'cibuildwheel':
      return buildCommand('cibuildwheel', args, 'cibuildwheel', 'wheelhouse', [], ['--output-dir']);
    case 'pip':
      if (sub === 'wheel') return buildCommand('pip wheel', args.slice(1), 'pip', 'dist', [], ['-w', '--wheel-dir']);
      return undefined;
    case 'cp':
    case 'mv':
    case 'rsync':
      return copyCommand(args);
    default:
      if (/^python[0-9.]*$/.test(base) && sub === 'setup.py') return setupPyCommand(args.slice(1));
      if (/^python[0-9.]*$/.test(base) && sub !== undefined && /\.py$/.test(sub)) return opaque(command);
      if (OPAQUE_TOOLS.has(base) || base.includes('/') || /\.(?:sh|bash|py)$/.test(name)) return opaque(command);
      return undefined;
  }
}

/** The command under its wrappers: `sudo`, `env A=b`, `uv run [opts]`, `uvx`, `pipx run`, `python -m`. */
function unwrap(words: readonly Word[]): Word[] | undefined {
  let rest = [...words];
  for (let guard = 0; guard < 8 && rest.length > 0; guard++) {
    const name = rest[0]?.value;
    if (name === undefined) return rest;
    const base = name.replace(/^.*\//, '');
    if (PLAIN_WRAPPERS.has(base)) {
      rest = rest.slice(1);
      continue;
    }
    if (base === 'env') {
      rest = rest.slice(1);
      while (rest[0]?.value !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0].value)) rest = rest.slice(1);
      continue;
    }
    if (/^python[0-9.]*$/.test(base) || base === 'py') {
      if (rest[1]?.value === '-m' && rest[2]?.value !== undefined) {
        rest = rest.slice(2);
        continue;
      }
      return rest;
    }
    const runner =
      (base === 'uv' && (rest[1]?.value === 'run' || rest[1]?.value === 'tool')) ||
      base === 'uvx' ||
      ((base === 'pipx' || base === 'poetry' || base === 'pdm') && rest[1]?.value === 'run');
    if (runner) {
      rest = rest.slice(base === 'uvx' ? 1 : base === 'uv' && rest[1]?.value === 'tool' ? 3 : 2);
      // Options of the runner come first; `--from build` makes the next word a command of that package.
      while (rest[0]?.value?.startsWith('-')) {
        const option = rest[0].value;
        rest = rest.slice(/^--(?:from|with|python|spec|with-requirements|index-url|extra-index-url|directory|project|group|extra|package)$|^-[pw]$/.test(option) ? 2 : 1);
      }
      continue;
    }
    return rest;
  }
  return rest;
}

interface Arguments {
  positional: Word[];
  options: Map<string, Word>;
  flags: Set<string>;
}

function parseArguments(args: readonly Word[], valueOptions: ReadonlySet<string>): Arguments {
  const result: Arguments = { positional: [], options: new Map(), flags: new Set() };
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    const text = word?.value;
    if (text === undefined) {
      result.positional.push(undefined);
      continue;
    }
    const equals = /^(--?[A-Za-z][\w-]*)=(.*)$/s.exec(text);
    if (equals) {
      result.options.set(equals[1]!, { value: equals[2]!, origin: word!.origin });
      continue;
    }
    if (valueOptions.has(text)) {
      result.options.set(text, args[index + 1]);
      index++;
      continue;
    }
    if (text.startsWith('-') && text !== '-') result.flags.add(text);
    else result.positional.push(word);
  }
  return result;
}

function option(parsed: Arguments, names: readonly string[]): Word | null {
  for (const name of names) if (parsed.options.has(name)) return parsed.options.get(name);
  return null;
}

function buildCommand(tool: string, args: readonly Word[], options: string, defaultOut: BuildCommand['defaultOut'], projectFlags: string[] = ['--directory', '--project'], outFlags: string[] = ['-o', '--outdir', '--out-dir'], positionalIsOut = false): BuildCommand {
  const parsed = parseArguments(args, VALUE_OPTIONS[options] ?? new Set());
  const projectOption = option(parsed, projectFlags);
  const positional = parsed.positional[0];
  const source = projectOption !== null ? projectOption : positionalIsOut || parsed.positional.length === 0 ? { value: '.' } : positional;
  const outDir = positionalIsOut && parsed.positional.length > 0 ? (positional ?? undefined) : option(parsed, outFlags);
  const packageName = option(parsed, ['--package']);
  return {
    kind: 'build',
    tool,
    source: source === null ? { value: '.' } : source,
    packageName: packageName === null ? null : packageName,
    allPackages: parsed.flags.has('--all-packages') || parsed.flags.has('--all'),
    outDir: outDir === null ? null : outDir,
    defaultOut,
  };
}

/** `python setup.py sdist bdist_wheel [--dist-dir DIR]`: a build only when it makes distributions. */
function setupPyCommand(args: readonly Word[]): BuildCommand | UploadCommand | undefined {
  const texts = args.map((word) => word?.value);
  if (texts.includes('upload')) return { kind: 'upload', tool: 'setup.py upload', files: [{ value: 'dist' }], repository: undefined, repositoryVariables: [], buildsItself: true };
  if (!texts.some((text) => text === 'sdist' || text === 'bdist_wheel' || text === 'bdist')) return undefined;
  const index = texts.findIndex((text) => text === '--dist-dir' || text === '-d');
  return { kind: 'build', tool: 'setup.py', source: { value: '.' }, packageName: null, allPackages: false, outDir: index >= 0 ? (args[index + 1] ?? undefined) : null, defaultOut: 'dist' };
}

interface UploadShape {
  repositoryFlags: string[];
  variables: string[];
  defaultFiles?: string;
  filesFlag?: string;
  /** The option naming the index whose existing files are skipped (`uv publish --check-url`). */
  checkUrlFlag?: string;
  buildsItself?: boolean;
  /** The tool uploads its project's dist/, never files named on the command line. */
  noPositionalFiles?: boolean;
}

function uploadCommand(tool: string, args: readonly Word[], options: string, shape: UploadShape): UploadCommand {
  const parsed = parseArguments(args, VALUE_OPTIONS[options] ?? new Set());
  const repositoryWord = option(parsed, shape.repositoryFlags);
  const filesOption = shape.filesFlag ? option(parsed, [shape.filesFlag]) : null;
  const positional = shape.noPositionalFiles ? [] : parsed.positional;
  const files = filesOption !== null ? [filesOption] : positional.length > 0 ? positional : [{ value: shape.defaultFiles ?? 'dist' }];
  return {
    kind: 'upload',
    tool,
    files,
    repository: repositoryWord === null ? undefined : (repositoryWord?.value ?? null),
    repositoryVariables: shape.variables,
    buildsItself: shape.buildsItself ?? false,
    ...(shape.checkUrlFlag ? checkUrlOf(option(parsed, [shape.checkUrlFlag])) : {}),
  };
}

function checkUrlOf(word: Word | null): { checkUrl?: string | null } {
  return word === null ? {} : { checkUrl: word?.value ?? null };
}

function copyCommand(args: readonly Word[]): CopyCommand | undefined {
  const operands = args.filter((word) => !(word?.value ?? '').startsWith('-'));
  if (operands.length < 2) return undefined;
  return { kind: 'copy', sources: operands.slice(0, -1), dest: operands[operands.length - 1] };
}

function opaque(command: readonly Word[]): OpaqueCommand {
  return { kind: 'opaque', what: command.map((word) => word?.value ?? '…').join(' ') };
}
