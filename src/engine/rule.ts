import type { LintConfig } from '../config/config.js';
import type { DiscoveredFiles } from '../project/discover.js';
import type { RunContext } from './context.js';
import type { Memo } from './memo.js';
import type { Project } from '../project/project.js';
import type { Range, SourceFile } from '../project/source-file.js';
import type { Fix, Location, OptionsSchema, RuleMeta, Severity } from '../types.js';

/**
 * What a rule hands to `report`: where (a range, or a location), what, and optionally a fix. A rule
 * that declares kinds (RuleMeta.kinds) names the kind of every report; `K` is their ids (never: the
 * rule declares none; string: not known, as for the engine).
 */
export type Report<K extends string = never> = ReportFields & (string extends K ? { kind?: string } : [K] extends [never] ? { kind?: undefined } : { kind: K });

interface ReportFields {
  file: SourceFile;
  /** Offsets in the file; takes precedence over `location`. Defaults to the file's start. */
  range?: Range;
  location?: Location;
  message: string;
  /** For findings whose severity differs from their kind's (or rule's) default. */
  severity?: Severity;
  fix?: Fix;
  /** A finer label from another tool (actionlint's own kind), kept in JSON as `detail`. */
  detail?: string;
}

/** The value an option schema describes (an enum's values, boolean, number, string, arrays of them). */
type OptionValue<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'number' }
      ? number
      : S extends { type: 'string' }
        ? string
        : S extends { type: 'array'; items: infer I }
          ? readonly OptionValue<I>[]
          : unknown;

/** The options a rule gets, typed from its `optionsSchema`; each may be absent (the rule's default then applies). */
export type OptionsOf<S> = S extends { properties: infer P } ? { readonly [Name in keyof P]?: OptionValue<P[Name]> } : Readonly<Record<string, never>>;

/** Options as the engine passes them: validated against the rule's schema (src/config/load.ts). */
type AnyOptions = Readonly<Record<string, unknown>>;

export interface RuleContext<K extends string = never, O = AnyOptions> {
  project: Project;
  /** The rule's options from the config (severity removed), validated against its optionsSchema. */
  options: O;
  /** The caller's inputs and services for this run (the gate's inputs, progress); see context.ts. */
  run: RunContext;
  report(report: Report<K>): void;
}

/**
 * ESLint's shape: data about the rule, and a function that looks at the project. The few rules the
 * engine implements itself (unused suppressions, config errors) carry only their metadata. `Rule`
 * without an argument is any rule, as the engine sees it.
 */
export interface Rule<K extends string = string, O = AnyOptions> {
  meta: RuleMeta<K>;
  check?(context: RuleContext<K, O>): void | Promise<void>;
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

/**
 * Identity function that gives rule modules their type. The kinds a rule reports are checked
 * against the kinds its meta declares: a rule without kinds reports none, one with kinds names one
 * of them in every report. The rule's `options` are typed from its meta's optionsSchema.
 */
export function defineRule<const K extends string = never, const S extends OptionsSchema | undefined = undefined>(
  rule: Omit<Rule<K, OptionsOf<S>>, 'meta'> & { meta: RuleMeta<K> & { optionsSchema?: S } },
): Rule {
  return rule as unknown as Rule;
}
