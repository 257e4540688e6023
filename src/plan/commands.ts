import type { StepModel } from './workflow.js';

/** Commands that upload to PyPI (RULES.md's list), and the action that does. */
export const UPLOAD_COMMAND = /\b(twine\s+upload|uv\s+publish|poetry\s+publish|hatch\s+publish|flit\s+publish|pdm\s+publish)\b/;
const PUBLISH_ACTION = /^pypa\/gh-action-pypi-publish@/;
/** Commands that build sdists and wheels, with the rest of their line (their arguments). */
export const BUILD_COMMAND = /\b(python3?\s+-m\s+build|pyproject-build|uv\s+build|poetry\s+build|hatch\s+build|flit\s+build|pdm\s+build)\b([^\n;&|#]*)/;

/** The tool a step uploads with, or undefined when it does not upload. */
export function uploadTool(step: StepModel): string | undefined {
  if (step.uses && PUBLISH_ACTION.test(step.uses)) return 'pypa/gh-action-pypi-publish';
  const match = step.run ? UPLOAD_COMMAND.exec(step.run) : null;
  return match ? match[1]!.replace(/\s+/g, ' ') : undefined;
}

export function isBuildStep(step: StepModel): boolean {
  return step.run !== undefined && BUILD_COMMAND.test(step.run);
}

export interface BuildInvocation {
  /** `cd DIR` before the build command in the same script. */
  cd: string | undefined;
  /** The positional source directory of the build command. */
  directory: string | undefined;
  /** `uv build --package NAME`. */
  packageName: string | undefined;
  /** `uv build --all-packages` (every workspace member). */
  allPackages: boolean;
}

/** Options of build commands that take a value, so their value is not read as the source dir. */
const OPTIONS_WITH_VALUE = new Set(['-o', '--outdir', '--out-dir', '-C', '--config-setting', '--python', '-p', '--package', '--wheel-dir', '--directory', '--project']);

export function readBuildInvocation(run: string): BuildInvocation | undefined {
  const match = BUILD_COMMAND.exec(run);
  if (!match) return undefined;
  const before = run.slice(0, match.index);
  const cd = [...before.matchAll(/(?:^|[\n;&|]\s*)cd\s+("[^"]+"|'[^']+'|[^\s;&|]+)/g)].pop()?.[1]?.replace(/^["']|["']$/g, '');
  const words = shellWords(match[2]!);
  let directory: string | undefined;
  let packageName: string | undefined;
  let allPackages = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (word === '--all-packages' || word === '--all') allPackages = true;
    if (word === '--package') packageName = words[index + 1];
    if (word === '--directory' || word === '--project') directory = words[index + 1];
    if (OPTIONS_WITH_VALUE.has(word)) {
      index++;
      continue;
    }
    if (!word.startsWith('-') && directory === undefined) directory = word;
  }
  return { cd, directory, packageName, allPackages };
}

/** Splits arguments like a shell would for our purposes: quotes removed, `${{ ... }}` kept whole. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/(?:\$\{\{[\s\S]*?\}\}|"[^"]*"|'[^']*'|[^\s"'])+/g)) {
    words.push(match[0].replace(/"([^"]*)"|'([^']*)'/g, (_, double: string | undefined, single: string | undefined) => double ?? single ?? ''));
  }
  return words;
}

/** The directory an upload reads distributions from, minus its dist/ part: `twine upload pkg/dist/*` → pkg. */
export function uploadSourceDirectory(step: StepModel): string | undefined {
  const packagesDir = step.with['packages-dir'];
  if (typeof packagesDir === 'string') return stripDist(packagesDir);
  const match = step.run ? /\b(?:twine\s+upload|uv\s+publish)\b([^\n;&|#]*)/.exec(step.run) : null;
  if (!match) return undefined;
  const words = shellWords(match[1]!);
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (UPLOAD_OPTIONS_WITH_VALUE.has(word)) index++;
    else if (!word.startsWith('-')) return stripDist(word);
  }
  return undefined;
}

/** Options of `twine upload` and `uv publish` that take a value (not a distribution path). */
const UPLOAD_OPTIONS_WITH_VALUE = new Set([
  '-r', '--repository', '--repository-url', '-u', '--username', '-p', '--password', '-t', '--token', '-c', '--comment',
  '-i', '--identity', '--sign-with', '--config-file', '--cert', '--client-cert', '--publish-url', '--check-url',
  '--index', '--trusted-publishing', '--keyring-provider', '--attestations',
]);

function stripDist(location: string): string | undefined {
  const trimmed = location.replace(/\/\*[^/]*$/, '').replace(/\/+$/, '');
  const withoutDist = trimmed.replace(/(^|\/)dist$/, '');
  return withoutDist === trimmed ? undefined : withoutDist || '.';
}
