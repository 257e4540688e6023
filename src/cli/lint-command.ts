import fs from 'node:fs';
import path from 'node:path';
import { allRules, ruleMetas } from '../../rules/index.js';
import { applyBaseline, createBaseline, parseBaseline, serializeBaseline } from '../engine/baseline.js';
import { lintWithCache } from '../engine/cache.js';
import type { RunContext } from '../engine/context.js';
import { formatDiff, writeChanges } from '../engine/fix.js';
import { runLint, type LintRequest, type RunResult } from '../engine/run.js';
import { Timing } from '../engine/timing.js';
import { formatAppliedFixes } from '../format/applied-fixes.js';
import { maskSecrets } from '../format/mask.js';
import type { LintReport } from '../format/report.js';
import { formatStatistics, statistics } from '../format/statistics.js';
import { nothingChecked } from '../format/stylish.js';
import { MAX_FILE_BYTES, readRegularFile, lexists } from '../project/safe-read.js';
import type { Finding } from '../types.js';
import { UsageError } from './errors.js';
import { escapeName } from '../format/terminal.js';
import { emit, formatReport, useColor, writeStderr, type FormatName } from './output.js';
import { aboutTargets, isWithin, resolveTargets } from './targets.js';
import { toolVersion } from '../version.js';

export interface LintCommandOptions {
  format: FormatName;
  outputFile?: string;
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  rule: string[];
  /** --select, --extend-select, --ignore: rule selectors (README "Selecting rules"). */
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  maxWarnings?: number;
  quiet?: boolean;
  /** Print the count of findings per code instead of the findings. */
  statistics?: boolean;
  /** Exit 0 whatever the findings (and a non-empty --diff). */
  exitZero?: boolean;
  config?: string;
  color: boolean;
  /** --cache and --cache-location: reuse the last result while no input changed. */
  cache?: boolean;
  cacheLocation?: string;
  /** With --fix (or --diff): list on stderr each fix applied. */
  showFixes?: boolean;
  /** --baseline FILE, and --write-baseline to rewrite it (src/engine/baseline.ts). */
  baseline?: string;
  writeBaseline?: boolean;
  /** Print the time of each phase and rule on stderr after the report (src/engine/timing.ts). */
  timing?: boolean;
}

export function assertDirectory(root: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`no such directory: ${root}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`not a directory: ${root}`);
}

/** The command line's lint options as the engine takes them: shaped here, once. */
export function lintRequestOf(options: LintCommandOptions, fixOnly?: (finding: Finding) => boolean): LintRequest {
  return {
    configFile: options.config,
    ruleOverrides: options.rule,
    select: options.select,
    extendSelect: options.extendSelect,
    ignore: options.ignore,
    fix: options.fix || options.diff ? (options.unsafeFixes ? 'unsafe' : 'safe') : undefined,
    fixOnly,
  };
}

/** Lints (through the cache with --cache, which passes runs with fixes or the gate straight through). */
async function lintWithOptions(rootArgument: string, options: LintCommandOptions, request: LintRequest, run: RunContext): Promise<RunResult> {
  if (!options.cache) return runLint(rootArgument, allRules, request, run);
  const result = await lintWithCache(rootArgument, allRules, request, run, options.cacheLocation);
  if (result.cache?.notUsed !== undefined) note(`cache not used, ${result.cache.notUsed}`);
  return result;
}

/**
 * `pypi-release-lint [options] [PATHS...]`: lint (the repository the paths lie in, src/cli/targets.ts),
 * maybe fix, hold back what the baseline knows, print, and return the exit code. `run` carries the
 * gate's inputs and progress when `gate` calls it.
 */
export async function lintCommand(paths: readonly string[], options: LintCommandOptions, run: RunContext = {}): Promise<number> {
  if (options.statistics && options.format !== 'stylish' && options.format !== 'json') {
    throw new UsageError(`--statistics prints text or JSON; it cannot be written as ${options.format}`);
  }
  if (options.writeBaseline && options.baseline === undefined) throw new UsageError('--write-baseline needs --baseline FILE');
  const { root, only } = resolveTargets(paths);
  const reported = only ? aboutTargets(only) : undefined;
  const timing = options.timing ? new Timing() : Timing.off;
  const result = await lintWithOptions(root, options, lintRequestOf(options, reported), { ...run, timing });
  const { shadowed, source } = result.config;
  if (shadowed) note(`warning: ${source} and ${shadowed} both configure the linter; ${source} wins, ${shadowed} is not read (merge them into one)`);
  const code = timing.measure('output', () => report(result, options, reported));
  if (timing.enabled) writeStderr(timing.format());
  return code;
}

/** Writes the fixes, the diff or the report; returns the exit code. */
function report(result: RunResult, options: LintCommandOptions, reported: ((finding: Finding) => boolean) | undefined): number {
  for (const [file, reason] of result.notFixed) note(`not written, ${reason} (--fix writes regular files only, never through a link): ${file}`);
  if (options.diff) {
    const diff = formatDiff(result.changes);
    emit(diff, options.outputFile);
    if (options.showFixes) writeStderr(formatAppliedFixes(result.applied, 'would fix'));
    return diff.length > 0 && !options.exitZero ? 1 : 0;
  }
  if (options.fix && result.changes.size > 0) {
    const written = writeChanges(result.root, result.changes);
    writeStderr(`fixed ${written.length} file${written.length === 1 ? '' : 's'}: ${written.map(escapeName).join(', ')}\n`);
  }
  if (options.fix && options.showFixes) writeStderr(formatAppliedFixes(result.applied, 'fixed'));
  let all = result.findings;
  // The baseline holds the whole run's findings, whatever the paths or --quiet show.
  if (options.baseline !== undefined) all = withBaseline(options.baseline, all, options.writeBaseline ?? false);
  if (reported) all = all.filter(reported);
  const shown = options.quiet ? all.filter((finding) => finding.severity === 'error') : all;
  const lintReport: LintReport = {
    root: result.root,
    findings: shown,
    filesChecked: result.filesChecked,
    rules: ruleMetas,
    toolVersion: toolVersion(),
    unsafeFixes: options.unsafeFixes ?? false,
    pathsFrom: pathsFrom(options.format, result.root),
  };
  if (options.statistics) {
    const rows = statistics(shown, ruleMetas);
    emit(options.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : formatStatistics(rows), options.outputFile);
  } else {
    emit(formatReport(lintReport, options.format, useColor(options.color, options.outputFile)), options.outputFile);
  }
  // stylish and github say it in their summary line; the other formats have none
  if (result.filesChecked === 0 && (options.statistics || options.format === 'json' || options.format === 'sarif')) note(`warning: ${nothingChecked(result.root)}`);
  if (options.exitZero) return 0;
  const code = exitCode(all, options.maxWarnings);
  const errors = all.filter((finding) => finding.severity === 'error').length;
  if (code === 1 && errors === 0) {
    const warnings = all.filter((finding) => finding.severity === 'warning').length;
    note(`exit 1: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${options.maxWarnings}${options.quiet ? ' (--quiet shows errors only)' : ''}`);
  }
  return code;
}

/**
 * The directory the report's paths are relative to: for stylish the current directory (a terminal
 * opens them); for GitHub's annotations and SARIF the Actions workspace, which GitHub resolves them
 * against, when the root lies in it (the Action's `path:` a subdirectory); else the root.
 */
function pathsFrom(format: FormatName, root: string): string | undefined {
  if (format === 'stylish') return process.cwd();
  const workspace = process.env.GITHUB_WORKSPACE;
  if ((format === 'github' || format === 'sarif') && workspace && isWithin(path.resolve(workspace), path.resolve(root))) return path.resolve(workspace);
  return undefined;
}

/**
 * --baseline FILE: writes the findings to FILE when it does not exist (or with --write-baseline) and
 * reports none; else reports the findings FILE does not hold (src/engine/baseline.ts).
 */
function withBaseline(file: string, findings: Finding[], write: boolean): Finding[] {
  if (write || !lexists(file)) {
    emit(serializeBaseline(createBaseline(findings)), file);
    note(`wrote ${findings.length} finding${findings.length === 1 ? '' : 's'} to the baseline ${file}: runs with --baseline ${file} report only new ones`);
    return [];
  }
  const read = readRegularFile(path.resolve(file), MAX_FILE_BYTES, { followLinks: true });
  if (!read.ok) throw new UsageError(`cannot read the baseline ${file}: ${read.reason}`);
  const baseline = parseBaseline(read.bytes.toString('utf8'));
  if (typeof baseline === 'string') throw new UsageError(`--baseline ${file} is ${baseline} (delete it, or --write-baseline to rewrite it)`);
  const { fresh, known, gone } = applyBaseline(baseline, findings);
  if (known > 0 || gone > 0) {
    const goneText = gone > 0 ? `; ${gone} of its findings are gone (fixed or changed): --write-baseline drops them` : '';
    note(`${known} finding${known === 1 ? '' : 's'} held back by the baseline ${file}${goneText}`);
  }
  return fresh;
}

/** One line on stderr, in the voice of reportFailure's lines; file names are the checkout's, so masked. */
function note(text: string): void {
  process.stderr.write(maskSecrets(`pypi-release-lint: ${text}\n`));
}

export function exitCode(findings: Finding[], maxWarnings: number | undefined): number {
  if (findings.some((finding) => finding.severity === 'error')) return 1;
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  return maxWarnings !== undefined && warnings > maxWarnings ? 1 : 0;
}
