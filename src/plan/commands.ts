import type { StepModel } from './workflow.js';

/** Commands that upload to PyPI (RULES.md's list), and the action that does. */
const UPLOAD_COMMAND = /\b(twine\s+upload|uv\s+publish|poetry\s+publish|hatch\s+publish|flit\s+publish|pdm\s+publish)\b/;
const PUBLISH_ACTION = /^pypa\/gh-action-pypi-publish@/;
const BUILD_COMMAND = /\b(python3?\s+-m\s+build|pyproject-build|uv\s+build|poetry\s+build|hatch\s+build|flit\s+build|pdm\s+build)\b([^\n;&|#]*)/;

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
}

/** Options of build commands that take a value, so their value is not read as the source dir. */
const OPTIONS_WITH_VALUE = new Set(['-o', '--outdir', '--out-dir', '-C', '--config-setting', '--python', '-p', '--package', '--wheel-dir', '--directory', '--project']);

export function readBuildInvocation(run: string): BuildInvocation | undefined {
  const match = BUILD_COMMAND.exec(run);
  if (!match) return undefined;
  const before = run.slice(0, match.index);
  const cd = [...before.matchAll(/(?:^|[\n;&|]\s*)cd\s+("[^"]+"|'[^']+'|[^\s;&|]+)/g)].pop()?.[1]?.replace(/^["']|["']$/g, '');
  const words = match[2]!.trim().split(/\s+/).filter(Boolean);
  let directory: string | undefined;
  let packageName: string | undefined;
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (word === '--package') packageName = words[index + 1];
    if (word === '--directory' || word === '--project') directory = words[index + 1];
    if (OPTIONS_WITH_VALUE.has(word)) {
      index++;
      continue;
    }
    if (!word.startsWith('-') && directory === undefined) directory = word;
  }
  return { cd, directory, packageName };
}

/** The directory an upload reads distributions from, minus its dist/ part: `twine upload pkg/dist/*` → pkg. */
export function uploadSourceDirectory(step: StepModel): string | undefined {
  const packagesDir = step.with['packages-dir'];
  if (typeof packagesDir === 'string') return stripDist(packagesDir);
  const match = step.run ? /\b(?:twine\s+upload|uv\s+publish)\s+(?:-\S+\s+)*([^\s-][^\s]*)/.exec(step.run) : null;
  return match ? stripDist(match[1]!) : undefined;
}

function stripDist(location: string): string | undefined {
  const trimmed = location.replace(/\/\*[^/]*$/, '').replace(/\/+$/, '');
  const withoutDist = trimmed.replace(/(^|\/)dist$/, '');
  return withoutDist === trimmed ? undefined : withoutDist || '.';
}
