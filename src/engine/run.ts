import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { LintConfig } from '../config/config.js';
import { discoverFiles, type DiscoveredFiles } from '../project/discover.js';
import { FileStore } from '../project/file-store.js';
import { WalkedTree } from '../project/walked-tree.js';
import { Project } from '../project/project.js';
import { TomlFile } from '../project/toml-file.js';
import type { Finding, RuleMeta } from '../types.js';
import type { RunContext } from './context.js';
import { lintAndFix, type FixOutcome } from './fix.js';
import { lintProject, runSelection } from './lint.js';
import { Memo } from './memo.js';
import type { Rule } from './rule.js';
import { Timing } from './timing.js';

/** What to lint and how: the command line's lint options, shaped once (src/cli/lint-command.ts). */
export interface LintRequest {
  configFile?: string;
  /** `--rule id=severity`, repeatable. */
  ruleOverrides?: string[];
  /** Rule selectors, as --select, --extend-select and --ignore give them (README "Selecting rules"). */
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  /** Compute fixes: the safe ones, or the unsafe ones too. Nothing is written here (see writeChanges). */
  fix?: 'safe' | 'unsafe';
  /** With `fix`: fix only the findings this accepts (file arguments: the findings the run reports); default all. */
  fixOnly?: (finding: Finding) => boolean;
  /**
   * Texts that stand in for files on disk (path → content), e.g. an editor's unsaved buffers; the
   * files must exist on disk to be discovered.
   */
  overlay?: ReadonlyMap<string, string>;
  /**
   * Rules the config may name besides the ones this run runs (the CLI passes every built-in rule, so a
   * config written for all of them is valid in a run of a few). Default: the run's rules.
   */
  catalog?: readonly RuleMeta[];
}

export interface RunResult {
  root: string;
  findings: Finding[];
  /** How many files the run read and checked. */
  filesChecked: number;
  /** With `fix`: the files the fixes would change. */
  changes: FixOutcome['changes'];
  /** With `fix`: files left unfixed because they may not be written in place (see FixOutcome). */
  notFixed: FixOutcome['notFixed'];
  /** Set by lintWithCache (cache.ts): whether the findings came from the cache, or why it was not used. */
  cache?: { hit: boolean; notUsed?: string };
  /** With `fix`: the findings whose fixes were applied (FixOutcome). */
  applied: Finding[];
  /** The config the run read (the CLI warns about a shadowed config file). */
  config: LintConfig;
}

/** What a run knows before it parses anything but the root pyproject: config and the file list. */
export interface PreparedRun {
  root: string;
  store: FileStore;
  config: LintConfig;
  discovered: DiscoveredFiles;
  /** What discovery's walk saw, which `store` consults before it stats a path. */
  walked: WalkedTree;
  rootPyproject: TomlFile | undefined;
}

/** Reads the config (from the root pyproject, parsed once for both) and discovers the files. */
export function prepareRun(rootArgument: string, rules: readonly Rule[], request: LintRequest = {}, timing: Timing = Timing.off): PreparedRun {
  const root = path.resolve(rootArgument);
  // Empty until discovery walks (after the config, which says what to skip); the store asks it from then on.
  const walked = new WalkedTree();
  const store = new FileStore(root, request.overlay, walked);
  const rootPyproject = timing.measure('parse', () => {
    const rootRead = store.read('pyproject.toml');
    return rootRead.ok ? new TomlFile('pyproject.toml', rootRead.text) : undefined;
  });
  const { configFile, ruleOverrides, select, extendSelect, ignore } = request;
  const known = new Map<string, RuleMeta>([...(request.catalog ?? []), ...rules.map((rule) => rule.meta)].map((meta) => [meta.id, meta]));
  return timing.measure('discover', () => {
    const config = loadConfig(root, { configFile, ruleOverrides, select, extendSelect, ignore, rootPyproject: rootPyproject?.data }, known);
    const discovered = discoverFiles(root, { ignore: config.ignore, skipDirectories: config.skipDirectories, docs: config.docs }, walked);
    return { root, store, config, discovered, walked, rootPyproject };
  });
}

/**
 * The library's entry point: loads config and project under `root`, runs `rules` (those the config
 * selects), and with `request.fix` computes fixes. `run` carries the caller's inputs and services:
 * the gate's inputs (without them the gate-only rules do not run), progress, a memo.
 */
export async function runLint(rootArgument: string, rules: readonly Rule[], request: LintRequest = {}, run: RunContext = {}): Promise<RunResult> {
  return lintPrepared(prepareRun(rootArgument, rules, request, run.timing), rules, request, run);
}

/** The rest of runLint, for callers (the cache) that prepared the run themselves. */
export async function lintPrepared(prepared: PreparedRun, rules: readonly Rule[], request: LintRequest, run: RunContext): Promise<RunResult> {
  const { root, config, store, discovered, rootPyproject } = prepared;
  const memo = run.memo ?? new Memo();
  const timing = run.timing ?? Timing.off;
  const read = (file: string): string | undefined => {
    const result = store.read(file);
    return result.ok ? result.text : undefined;
  };
  const selection = runSelection(config, rules);
  timing.measure('actionlint', () => {
    for (const rule of rules) if (selection.runs(rule)) rule.warmUp?.({ root, config, files: discovered, read, memo });
  });
  const project = timing.measure('parse', () => new Project(root, config, store, discovered, rootPyproject ? [rootPyproject] : [], memo, timing));
  if (request.fix) {
    const { project: fixed, findings, changes, notFixed, applied } = await lintAndFix(project, rules, { fixes: request.fix, only: request.fixOnly }, run);
    return { root, findings, filesChecked: fixed.files.length, changes, notFixed, applied, config };
  }
  const findings = await lintProject(project, rules, run);
  return { root, findings, filesChecked: project.files.length, changes: new Map(), notFixed: new Map(), applied: [], config };
}

/** The project under `root` as a run would see it, without running any rule (`plan`, `init`, `rehearse`). */
export function loadProject(rootArgument: string, request: Pick<LintRequest, 'configFile' | 'catalog'> = {}): Project {
  const { root, config, store, discovered, rootPyproject } = prepareRun(rootArgument, [], request);
  return new Project(root, config, store, discovered, rootPyproject ? [rootPyproject] : []);
}
