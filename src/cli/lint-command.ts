import fs from 'node:fs';
import { allRules, ruleMetas } from '../../rules/index.js';
import { lintWithCache } from '../engine/cache.js';
import type { RunContext } from '../engine/context.js';
import { formatDiff, writeChanges } from '../engine/fix.js';
import { runLint, type LintRequest, type RunResult } from '../engine/run.js';
import { maskSecrets } from '../format/mask.js';
import type { LintReport } from '../format/report.js';
import { formatStatistics, statistics } from '../format/statistics.js';
import type { Finding } from '../types.js';
import { UsageError } from './errors.js';
import { escapeName } from '../format/terminal.js';
import { emit, formatReport, useColor, writeStderr, type FormatName } from './output.js';
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
export function lintRequestOf(options: LintCommandOptions): LintRequest {
  return {
    configFile: options.config,
    ruleOverrides: options.rule,
    select: options.select,
    extendSelect: options.extendSelect,
    ignore: options.ignore,
    fix: options.fix || options.diff ? (options.unsafeFixes ? 'unsafe' : 'safe') : undefined,
  };
}

/** Lints (through the cache with --cache, which passes runs with fixes or the gate straight through). */
async function lintWithOptions(rootArgument: string, options: LintCommandOptions, run: RunContext): Promise<RunResult> {
  const request = lintRequestOf(options);
  if (!options.cache) return runLint(rootArgument, allRules, request, run);
  const result = await lintWithCache(rootArgument, allRules, request, run, options.cacheLocation);
  if (result.cache?.notUsed !== undefined) note(`cache not used, ${result.cache.notUsed}`);
  return result;
}

/** `pypi-release-lint [options] [ROOT]`: lint, maybe fix, print, and return the exit code. */
export async function lintCommand(rootArgument: string, options: LintCommandOptions, run: RunContext = {}): Promise<number> {
  assertDirectory(rootArgument);
  if (options.statistics && options.format !== 'stylish' && options.format !== 'json') {
    throw new UsageError(`--statistics prints text or JSON; it cannot be written as ${options.format}`);
  }
  const result = await lintWithOptions(rootArgument, options, run);
  for (const [file, reason] of result.notFixed) note(`not written, ${reason} (--fix writes regular files only, never through a link): ${file}`);
  if (options.diff) {
    const diff = formatDiff(result.changes);
    emit(diff, options.outputFile);
    return diff.length > 0 && !options.exitZero ? 1 : 0;
  }
  if (options.fix && result.changes.size > 0) {
    const written = writeChanges(result.root, result.changes);
    writeStderr(`fixed ${written.length} file${written.length === 1 ? '' : 's'}: ${written.map(escapeName).join(', ')}\n`);
  }
  const all = result.findings;
  const shown = options.quiet ? all.filter((finding) => finding.severity === 'error') : all;
  const report: LintReport = {
    root: result.root,
    findings: shown,
    filesChecked: result.filesChecked,
    rules: ruleMetas,
    toolVersion: toolVersion(),
  };
  if (options.statistics) {
    const rows = statistics(shown, ruleMetas);
    emit(options.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : formatStatistics(rows), options.outputFile);
  } else {
    emit(formatReport(report, options.format, useColor(options.color, options.outputFile)), options.outputFile);
  }
  return options.exitZero ? 0 : exitCode(all, options.maxWarnings);
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
