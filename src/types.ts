/**
 * The shapes shared by the engine, the rules and the formatters.
 * Rules read the Project (src/project/) and report Findings; they never parse files themselves.
 */

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOrOff = Severity | 'off';
export type Fixability = 'none' | 'safe' | 'unsafe';
export type Applicability = 'safe' | 'unsafe';

/**
 * What a finding is about (docs/rules/README.md): `release` (the upload fails, publishes the wrong
 * thing or version, or never runs), `security` (credentials, token scope, permissions of publish
 * jobs), `hygiene` (metadata quality, badges, install and tag docs, good-practice bounds). Only
 * release and security findings may be errors by default.
 */
export type Category = 'release' | 'security' | 'hygiene';
export const CATEGORIES: readonly Category[] = ['release', 'security', 'hygiene'];

/** 1-based line and column, as every output format shows them. */
export interface Location {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Replace the UTF-16 offsets [start, end) of a file's text (BOM excluded) with `text`. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

/** A fix is plain data: every edit applies, or none does (ruff's model). */
export interface Fix {
  applicability: Applicability;
  /** What the fix does, in a few words ("insert [build-system] for hatchling"). */
  description: string;
  edits: TextEdit[];
}

export interface Finding extends Location {
  ruleId: string;
  severity: Severity;
  /** Repo-relative POSIX path. */
  file: string;
  message: string;
  fix?: Fix;
  category: Category;
  /** The rule's kind of finding, for a rule that declares kinds (RuleMeta.kinds). */
  kind?: string;
  /** A finer label from another tool, kept in JSON (actionlint's own kind: `expression`, `runner-label`). */
  detail?: string;
}

export interface RuleDocs {
  /** What the rule catches (markdown). */
  catches: string;
  /** Why it matters. */
  why: string;
  /** A failing example: a file name and its content. */
  failing: { file: string; content: string };
  /** The same example, passing. */
  passing: { file: string; content: string };
  /** What --fix may do and why that is (or is not) safe. */
  fixSafety: string;
}

/** One kind of finding of a rule whose findings differ in category (see RuleMeta.kinds). */
export interface KindMeta {
  category: Category;
  defaultSeverity: Severity;
  /** Whether the default selection runs it (`select` and friends change that). */
  enabledByDefault: boolean;
  /** One line for `rules`, `explain` and `--statistics`. */
  description: string;
  /** The fixes of this kind's findings, when not the rule's `fixable` (a rule whose kinds fix differently). */
  fixable?: Fixability;
}

/** The JSON Schema of one rule option, in the subset the options use (OptionsOf types it). */
export interface OptionSchema {
  type?: 'boolean' | 'number' | 'string' | 'array';
  items?: OptionSchema;
  enum?: readonly (string | number)[];
  description?: string;
  minLength?: number;
  exclusiveMinimum?: number;
  minimum?: number;
  maximum?: number;
}

/** A rule's options: an object of named options (no other keys; each one optional in the config). */
export interface OptionsSchema {
  properties: Readonly<Record<string, OptionSchema>>;
}

export interface RuleMeta<K extends string = string> {
  id: string;
  /**
   * The category of the rule's findings. A rule with `kinds` names here the category of its main
   * kind (the one its docs page leads with); each finding takes its own kind's.
   */
  category: Category;
  /** With `kinds`: the main kind's severity. */
  defaultSeverity: Severity;
  /** Whether the default selection runs the rule (default true); a rule with `kinds` decides per kind. */
  enabledByDefault?: boolean;
  /**
   * For a rule whose findings differ in category or default: every kind it reports, by id. Each
   * report then names its kind, which is selectable as `RULE/KIND` (`pyproject/build-system/backend-lower-bound`).
   */
  kinds?: Record<K, KindMeta>;
  /** The fixes its findings carry; a kind that fixes otherwise says so in its own `fixable`. */
  fixable: Fixability;
  /** One line for `rules` and SARIF's shortDescription. */
  description: string;
  docs: RuleDocs;
  /**
   * Rule options the config may pass ({ severity = "...", <option> = ... }), as a JSON Schema: the config
   * is validated against it, and the rule's `options` are typed from it (src/engine/rule.ts OptionsOf).
   */
  optionsSchema?: OptionsSchema;
  /** Only `gate` runs these. */
  gateOnly?: boolean;
}
