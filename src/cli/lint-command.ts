import fs from 'node:fs';
import { ruleMetas } from '../../rules/index.js';
import { runLintWithCache } from '../engine/cache.js';
import { formatDiff, writeChanges, type FixOutcome } from '../engine/fix.js';
import { runLint, type RunOptions } from '../engine/run.js';
import { Timing } from '../engine/timing.js';
import { maskSecrets } from '../format/mask.js';
import type { LintReport } from '../format/report.js';
import { formatStatistics, statistics } from '../format/statistics.js';
import type { GateOptions } from '../gate/options.js';
import type { Finding } from '../types.js';
import { UsageError } from './errors.js';
import { escapeName } from '../format/terminal.js';
import { emit, formatReport, useColor, writeStderr, type FormatName } from './output.js';
import { toolVersion } from './version.js';

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
  gate?: boolean;
  /** `gate`'s own options, passed through to the gate rules. */
  gateOptions?: GateOptions;
  /** --cache and --cache-location: reuse the last result while no input changed. */
  cache?: boolean;
  cacheLocation?: string;
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

interface LintOutcome {
  root: string;
  findings: Finding[];
  filesChecked: number;
  changes: FixOutcome['changes'];
  notFixed: FixOutcome['notFixed'];
}

/** Lints through the cache when asked and nothing but linting is asked (no fixes, no gate). */
async function lintWithOptions(rootArgument: string, options: LintCommandOptions, timing: Timing): Promise<LintOutcome> {
  const wantsFixes = Boolean(options.fix || options.diff);
  if (options.cache && !wantsFixes && !options.gate) {
    const cached = await runLintWithCache(rootArgument, { configFile: options.config, ...selectionOptions(options), timing }, options.cacheLocation);
    if (cached.notUsed !== undefined) note(`cache not used, ${cached.notUsed}`);
    return { ...cached, changes: new Map(), notFixed: new Map() };
  }
  const result = await runLint(rootArgument, {
    configFile: options.config,
    ...selectionOptions(options),
    fix: wantsFixes,
    unsafe: options.unsafeFixes ?? false,
    gate: options.gate,
    gateOptions: options.gateOptions,
    timing,
  });
  return { root: result.root, findings: result.findings, filesChecked: result.project.files.length, changes: result.changes, notFixed: result.notFixed };
}

function selectionOptions(options: LintCommandOptions): Pick<RunOptions, 'ruleOverrides' | 'select' | 'extendSelect' | 'ignore'> {
  return { ruleOverrides: options.rule, select: options.select, extendSelect: options.extendSelect, ignore: options.ignore };
}

/** `pypi-release-lint [options] [ROOT]`: lint, maybe fix, print, and return the exit code. */
export async function lintCommand(rootArgument: string, options: LintCommandOptions, extraFindings: Finding[] = []): Promise<number> {
  assertDirectory(rootArgument);
  if (options.statistics && options.format !== 'stylish' && options.format !== 'json') {
    throw new UsageError(`--statistics prints text or JSON; it cannot be written as ${options.format}`);
  }
  const timing = options.timing ? new Timing() : Timing.off;
  const result = await lintWithOptions(rootArgument, options, timing);
  const code = timing.measure('output', () => report(result, options, extraFindings));
  if (timing.enabled) writeStderr(timing.format());
  return code;
}

/** Writes the fixes, the diff or the report; returns the exit code. */
function report(result: LintOutcome, options: LintCommandOptions, extraFindings: Finding[]): number {
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
  const all = [...result.findings, ...extraFindings];
  const shown = options.quiet ? all.filter((finding) => finding.severity === 'error') : all;
  const lintReport: LintReport = {
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
    emit(formatReport(lintReport, options.format, useColor(options.color, options.outputFile)), options.outputFile);
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
