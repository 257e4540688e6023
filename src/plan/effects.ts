/**
 * What the steps of a job do to distributions, in order: builds (and where they write), uploads
 * to an index, artifacts handed to or taken from other jobs, copies, and steps the plan cannot see
 * into. Read from recognised commands (commands.ts) and from the actions that build, upload or
 * move files (pypa/gh-action-pypi-publish, actions/upload-artifact, pypa/cibuildwheel...).
 */
import type { ShellValue } from '../workflow/shell.js';
import { interpolateAsGlob, type Origin } from '../workflow/values.js';
import { recognizeCommand } from './commands.js';
import type { Evidence } from './evidence.js';
import { classifyIndex, DEFAULT_INDEX, type PackageIndex } from './indexes.js';
import { resolveRunPath } from './paths.js';
import { single, type CommandRun, type PathValue, type StepRun } from './step-runs.js';

interface EffectBase {
  stepRun: StepRun;
  evidence: Evidence;
}

export interface BuildEffect extends EffectBase {
  kind: 'build';
  tool: string;
  /** The project directory (or sdist file) it builds; undefined when unknown. */
  source: PathValue;
  /** `--package NAME`: null when not given, undefined when given but unknown. */
  packageName: PathValue | null;
  allPackages: boolean;
  /** Where it writes; 'uv-default' for uv's own rule (the workspace root's dist/ for a member). */
  outDir: PathValue | 'uv-default';
}

export interface UploadEffect extends EffectBase {
  kind: 'upload';
  tool: string;
  /** What it uploads: directories or globs (run paths); undefined entries are unknown. */
  files: PathValue[];
  index: PackageIndex;
  /** Set for tools that build their own project first (flit publish, pdm publish). */
  builds: BuildEffect | undefined;
  /** `uv publish --check-url` (or UV_PUBLISH_CHECK_URL): the index whose files it skips. */
  checkIndex?: PackageIndex | undefined;
}

export interface ArtifactUploadEffect extends EffectBase {
  kind: 'artifact-upload';
  /** The artifact's name as a glob (run-time parts are `*`). */
  name: string;
  paths: PathValue[];
  /** The action's major version (`@v4`); undefined for a branch or commit pin. */
  version: number | undefined;
  /** `overwrite: true` (v4): a second upload of the name replaces the first instead of failing. */
  overwrite: boolean;
}

export interface ArtifactDownloadEffect extends EffectBase {
  kind: 'artifact-download';
  /** `name:` (a single artifact), as a glob; undefined with `pattern:` or neither. */
  name: string | undefined;
  /** `pattern:` as a glob; undefined with `name:`; '*' when neither is given (every artifact). */
  pattern: string | undefined;
  path: PathValue;
  /** `merge-multiple: true`: every artifact's files land in `path` itself, not in `path/<artifact name>/`. */
  merge: boolean;
  /** How many artifacts `artifact-ids:` names (an expression counts as one), when it is given. */
  ids: number | undefined;
  version: number | undefined;
}

/** actions/upload-artifact/merge: artifacts matching a pattern become one artifact. */
export interface ArtifactMergeEffect extends EffectBase {
  kind: 'artifact-merge';
  name: string;
  pattern: string;
}

export interface CopyEffect extends EffectBase {
  kind: 'copy';
  sources: PathValue[];
  dest: PathValue;
}

/** A step or command that may write or upload distributions in a way the plan cannot follow. */
export interface OpaqueEffect extends EffectBase {
  kind: 'opaque';
  what: string;
  cwd: PathValue;
  /** It may upload (an unknown publish action), not only build. */
  uploads: boolean;
}

export type Effect = BuildEffect | UploadEffect | ArtifactUploadEffect | ArtifactDownloadEffect | ArtifactMergeEffect | CopyEffect | OpaqueEffect;

const action = (uses: string | undefined, name: string): boolean => uses !== undefined && uses.toLowerCase().replace(/@.*$/, '') === name;
/** The major version of an action reference (`owner/name@v4`, `@v4.1.0`); undefined for a branch or a commit. */
export const actionVersion = (uses: string): number | undefined => {
  const match = /@v(\d+)(?:\.|$)/.exec(uses);
  return match ? Number(match[1]) : undefined;
};

/** The effects of a job's steps, in order (steps whose condition is false are left out). */
export function stepEffects(steps: readonly StepRun[]): Effect[] {
  return steps.flatMap((stepRun) => (stepRun.runs === false ? [] : effectsOfStep(stepRun)));
}

/** What one step would do if it ran (a rehearsal shows the uploads a condition skips). */
export function effectsOfStep(stepRun: StepRun): Effect[] {
  if (stepRun.step.run === undefined) return actionEffects(stepRun);
  return stepRun.commands.flatMap((command) => commandEffect(command, stepRun) ?? []);
}

function commandEffect(command: CommandRun, stepRun: StepRun): Effect | undefined {
  // A script the plan followed is not opaque: its own commands are read instead.
  if (command.followed) return undefined;
  const recognized = recognizeCommand(command.words);
  if (!recognized) return undefined;
  const at = (word: ShellValue<Origin> | undefined | null): PathValue => (word && command.cwd ? { value: resolveRunPath(command.cwd.value, word.value), origin: word.origin ?? command.cwd.origin } : undefined);
  const base = { stepRun, evidence: command.evidence };
  switch (recognized.kind) {
    case 'build':
      return {
        ...base,
        kind: 'build',
        tool: recognized.tool,
        source: at(recognized.source),
        packageName: recognized.packageName === null ? null : recognized.packageName && { value: recognized.packageName.value, origin: recognized.packageName.origin },
        allPackages: recognized.allPackages,
        outDir: recognized.outDir !== null ? at(recognized.outDir) : recognized.defaultOut === 'uv' ? 'uv-default' : at({ value: `${recognized.source?.value ?? '.'}/${recognized.defaultOut}` }),
      };
    case 'upload': {
      const builds: BuildEffect | undefined = recognized.buildsItself
        ? { ...base, kind: 'build', tool: recognized.tool, source: command.cwd, packageName: null, allPackages: false, outDir: at(recognized.files[0]) }
        : undefined;
      const index = commandIndex(recognized.repository, recognized.repositoryVariables, stepRun, command.evidence);
      const checkIndex = recognized.tool === 'uv publish' ? checkIndexOf(recognized.checkUrl, stepRun, command.evidence) : undefined;
      return { ...base, kind: 'upload', tool: recognized.tool, files: recognized.files.map(at), index, builds, ...(checkIndex ? { checkIndex } : {}) };
    }
    case 'copy':
      return { ...base, kind: 'copy', sources: recognized.sources.map(at), dest: at(recognized.dest) };
    case 'opaque':
      return { ...base, kind: 'opaque', what: recognized.what, cwd: command.cwd, uploads: false };
  }
}

/** The index of an upload command: its repository flag, else the tool's environment variable, else pypi.org. */
function commandIndex(repository: string | null | undefined, variables: string[], stepRun: StepRun, evidence: Evidence): PackageIndex {
  if (repository === null) return classifyIndex(undefined, evidence);
  if (repository !== undefined) return classifyIndex(repository, evidence);
  for (const variable of variables) {
    if (!stepRun.env.has(variable)) continue;
    const value = stepRun.env.get(variable);
    return classifyIndex(value?.value, value?.origin ? { file: value.origin.file, path: value.origin.path } : evidence);
  }
  return DEFAULT_INDEX;
}

/** `--check-url`, else UV_PUBLISH_CHECK_URL: undefined when neither is set. */
function checkIndexOf(flag: string | null | undefined, stepRun: StepRun, evidence: Evidence): PackageIndex | undefined {
  if (flag !== undefined) return classifyIndex(flag ?? undefined, evidence);
  if (!stepRun.env.has('UV_PUBLISH_CHECK_URL')) return undefined;
  const value = stepRun.env.get('UV_PUBLISH_CHECK_URL');
  return classifyIndex(value?.value, value?.origin ? { file: value.origin.file, path: value.origin.path } : evidence);
}

function actionEffects(stepRun: StepRun): Effect[] {
  const { step } = stepRun;
  const uses = step.uses;
  if (!uses) return [];
  const evidence: Evidence = { file: step.file, path: [...step.path, 'uses'] };
  const base = { stepRun, evidence };
  const input = (name: string): PathValue => single(stepRun.input(name));
  const inputText = (name: string): string | undefined => {
    const raw = Object.entries(step.with).find(([key]) => key.toLowerCase() === name)?.[1];
    return raw === undefined ? undefined : interpolateAsGlob(String(raw), stepRun.lookup);
  };
  const cwd = stepRun.cwd;
  const at = (value: PathValue, fallback?: string): PathValue => {
    const text = value?.value || fallback;
    return text === undefined || !cwd ? undefined : { value: resolveRunPath(cwd.value, text), origin: value?.origin ?? cwd.origin };
  };
  const lines = (value: PathValue): PathValue[] =>
    value ? value.value.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('!')).map((line) => at({ value: line, origin: value.origin })) : [undefined];

  if (action(uses, 'pypa/gh-action-pypi-publish')) {
    const repository = Object.keys(step.with).some((key) => key === 'repository-url' || key === 'repository_url') ? input(Object.keys(step.with).find((key) => key === 'repository-url' || key === 'repository_url')!) : null;
    const index = repository === null ? DEFAULT_INDEX : classifyIndex(repository?.value, { file: step.file, path: [...step.path, 'with', Object.keys(step.with).find((key) => key.startsWith('repository'))!] });
    const packagesDir = Object.keys(step.with).includes('packages-dir') || Object.keys(step.with).includes('packages_dir') ? input(Object.keys(step.with).includes('packages-dir') ? 'packages-dir' : 'packages_dir') : { value: 'dist' };
    return [{ ...base, kind: 'upload', tool: 'pypa/gh-action-pypi-publish', files: [packagesDir && at(packagesDir)], index, builds: undefined }];
  }
  if (action(uses, 'actions/upload-artifact')) {
    return [{ ...base, kind: 'artifact-upload', name: inputText('name') ?? 'artifact', paths: lines(input('path')), version: actionVersion(uses), overwrite: input('overwrite')?.value === 'true' }];
  }
  if (action(uses, 'actions/upload-artifact/merge')) {
    return [{ ...base, kind: 'artifact-merge', name: inputText('name') ?? 'merged-artifacts', pattern: inputText('pattern') ?? '*' }];
  }
  if (action(uses, 'actions/download-artifact')) {
    const name = inputText('name');
    const pattern = name === undefined ? (inputText('pattern') ?? '*') : undefined;
    const merge = input('merge-multiple')?.value === 'true';
    const ids = inputText('artifact-ids')?.split(',').filter((id) => id.trim() !== '').length;
    return [{ ...base, kind: 'artifact-download', name, pattern, path: at(input('path'), '.'), merge, ids, version: actionVersion(uses) }];
  }
  if (action(uses, 'pypa/cibuildwheel')) {
    return [{ ...base, kind: 'build', tool: 'cibuildwheel', source: at(input('package-dir'), '.'), packageName: null, allPackages: false, outDir: at(input('output-dir'), 'wheelhouse') }];
  }
  if (action(uses, 'pyo3/maturin-action')) return maturinAction(stepRun, base, input, at);
  if (action(uses, 'hynek/build-and-inspect-python-package')) {
    // It builds the project at `path` into a temporary directory and uploads it as the artifact "Packages".
    const out = '/tmp/baipp/dist';
    const build: BuildEffect = { ...base, kind: 'build', tool: 'build-and-inspect-python-package', source: at(input('path'), '.'), packageName: null, allPackages: false, outDir: { value: out } };
    const suffix = inputText('upload-name-suffix') ?? '';
    return [build, { ...base, kind: 'artifact-upload', name: `Packages${suffix}`, paths: [{ value: `${out}/*` }], version: 4, overwrite: false }];
  }
  if (action(uses, 'jrubics/poetry-publish')) {
    const build: BuildEffect = { ...base, kind: 'build', tool: 'poetry build', source: cwd, packageName: null, allPackages: false, outDir: at({ value: 'dist' }) };
    const repository = input('repository_url');
    return [{ ...base, kind: 'upload', tool: 'JRubics/poetry-publish', files: [build.outDir as PathValue], index: repository?.value ? classifyIndex(repository.value) : DEFAULT_INDEX, builds: build }];
  }
  if (/pypi/i.test(uses) && !uses.startsWith('./')) {
    return [{ ...base, kind: 'opaque', what: uses.replace(/@.*$/, ''), cwd, uploads: true }];
  }
  return [];
}

/** PyO3/maturin-action: `command` build (default), sdist, publish or upload, with `args`. */
function maturinAction(stepRun: StepRun, base: { stepRun: StepRun; evidence: Evidence }, input: (name: string) => PathValue, at: (value: PathValue, fallback?: string) => PathValue): Effect[] {
  const command = input('command')?.value || 'build';
  const args = (input('args')?.value ?? '').split(/\s+/).filter(Boolean);
  const flag = (names: string[]): string | undefined => {
    const index = args.findIndex((arg) => names.includes(arg));
    if (index >= 0) return args[index + 1];
    return args.map((arg) => /^(--?[\w-]+)=(.*)$/.exec(arg)).find((match) => match && names.includes(match[1]!))?.[2];
  };
  const workingDirectory = input('working-directory')?.value;
  const project = at({ value: workingDirectory || '.' });
  const manifest = flag(['-m', '--manifest-path']);
  const source = manifest && project ? { value: resolveRunPath(project.value, manifest.replace(/\/?Cargo\.toml$/, '') || '.'), origin: project.origin } : project;
  const out = flag(['-o', '--out']);
  const outDir = project ? { value: resolveRunPath(project.value, out ?? 'target/wheels'), origin: project.origin } : undefined;
  const build: BuildEffect = { ...base, kind: 'build', tool: `maturin ${command}`, source, packageName: null, allPackages: false, outDir };
  if (command === 'build' || command === 'sdist') return [build];
  if (command === 'publish' || command === 'upload') {
    const repository = flag(['--repository-url', '-r', '--repository']);
    return [{ ...base, kind: 'upload', tool: `maturin ${command}`, files: [outDir], index: repository ? classifyIndex(repository) : DEFAULT_INDEX, builds: command === 'publish' ? build : undefined }];
  }
  void stepRun;
  return [];
}
