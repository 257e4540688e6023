import path from 'node:path';
import { allRules, ruleMetas } from '../../rules/index.js';
import { loadConfig } from '../config/load.js';
import type { LintConfig } from '../config/config.js';
import { discoverFiles, type DiscoveredFiles } from '../project/discover.js';
import { FileStore } from '../project/file-store.js';
import { Project } from '../project/project.js';
import { TomlFile } from '../project/toml-file.js';
import { defaultGateOptions, type GateOptions } from '../gate/options.js';
import type { Finding } from '../types.js';
import { lintAndFix, type FixOutcome } from './fix.js';
import { lintProject, runSelection } from './lint.js';
import { Memo } from './memo.js';
import type { Rule } from './rule.js';
import { Timing } from './timing.js';

export interface RunOptions {
  configFile?: string;
  ruleOverrides?: string[];
  /** Rule selectors, as --select, --extend-select and --ignore give them (README "Selecting rules"). */
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  /** Compute fixes (safe ones; unsafe too with `unsafe`). Nothing is written here. */
  fix?: boolean;
  unsafe?: boolean;
  /** With `fix`: fix only the findings this accepts (default all). */
  fixOnly?: (finding: Finding) => boolean;
  gate?: boolean;
  /** With `gate`: the gate's inputs (see LintOptions.gateOptions); the defaults when absent. */
  gateOptions?: GateOptions;
  rules?: readonly Rule[];
  /**
   * Texts that stand in for files on disk (path → content), e.g. an editor's unsaved buffers; the
   * files must exist on disk to be discovered.
   */
  overlay?: ReadonlyMap<string, string>;
  /** Results rules may reuse from an earlier run (the cache passes its own). */
  memo?: Memo;
  /** Where the run counts the time of its phases and rules (--timing); not timed when absent. */
  timing?: Timing;
}

export interface RunResult {
  root: string;
  project: Project;
  findings: Finding[];
  /** With `fix`: the files the fixes would change. */
  changes: FixOutcome['changes'];
  /** With `fix`: files left unfixed because they may not be written in place (see FixOutcome). */
  notFixed: FixOutcome['notFixed'];
  /** With `fix`: the findings whose fixes were applied (FixOutcome). */
  applied: Finding[];
}

/** What a run knows before it parses anything but the root pyproject: config and the file list. */
export interface PreparedRun {
  root: string;
  store: FileStore;
  config: LintConfig;
  discovered: DiscoveredFiles;
  rootPyproject: TomlFile | undefined;
}

/** Reads the config (from the root pyproject, parsed once for both) and discovers the files. */
export function prepareRun(rootArgument: string, options: Pick<RunOptions, 'configFile' | 'ruleOverrides' | 'select' | 'extendSelect' | 'ignore' | 'overlay' | 'rules' | 'timing'> = {}): PreparedRun {
  const root = path.resolve(rootArgument);
  const store = new FileStore(root, options.overlay);
  const timing = options.timing ?? Timing.off;
  const rootPyproject = timing.measure('parse', () => {
    const rootRead = store.read('pyproject.toml');
    return rootRead.ok ? new TomlFile('pyproject.toml', rootRead.text) : undefined;
  });
  const { configFile, ruleOverrides, select, extendSelect, ignore } = options;
  // The config may name every built-in rule, and the custom rules of this run.
  const known = options.rules ? new Map([...ruleMetas, ...options.rules.map((rule) => [rule.meta.id, rule.meta] as const)]) : ruleMetas;
  return timing.measure('discover', () => {
    const config = loadConfig(root, { configFile, ruleOverrides, select, extendSelect, ignore, rootPyproject: rootPyproject?.data }, known);
    const discovered = discoverFiles(root, { ignore: config.ignore, skipDirectories: config.skipDirectories, docs: config.docs });
    return { root, store, config, discovered, rootPyproject };
  });
}

/** Loads config and project under `root`, lints, and (with `fix`) computes fixes: the library's entry point. */
export async function runLint(rootArgument: string, options: RunOptions = {}): Promise<RunResult> {
  return lintPrepared(prepareRun(rootArgument, options), options);
}

/** The rest of runLint, for callers (the cache) that prepared the run themselves. */
export async function lintPrepared(prepared: PreparedRun, options: RunOptions = {}): Promise<RunResult> {
  const { root, config, store, discovered, rootPyproject } = prepared;
  const rules = options.rules ?? allRules;
  const memo = options.memo ?? new Memo();
  const timing = options.timing ?? Timing.off;
  const read = (file: string): string | undefined => {
    const result = store.read(file);
    return result.ok ? result.text : undefined;
  };
  const selection = runSelection(config, rules);
  timing.measure('actionlint', () => {
    for (const rule of rules) if (selection.runs(rule)) rule.warmUp?.({ root, config, files: discovered, read, memo });
  });
  const project = timing.measure('parse', () => new Project(root, config, store, discovered, rootPyproject ? [rootPyproject] : [], memo, timing));
  // One options object for the whole run: the gate's builds are memoised on it across --fix passes.
  const gateOptions = options.gate ? (options.gateOptions ?? defaultGateOptions()) : undefined;
  if (options.fix) {
    const outcome = await lintAndFix(project, rules, { unsafe: options.unsafe ?? false, fixes: options.fixOnly, gate: options.gate, gateOptions });
    return { root, ...outcome };
  }
  const findings = await lintProject(project, rules, { gate: options.gate, gateOptions });
  return { root, project, findings, changes: new Map(), notFixed: new Map(), applied: [] };
}
