/**
 * The shapes shared by the engine, the rules and the formatters.
 * Rules read the Project (src/project/) and report Findings; they never parse files themselves.
 */

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOrOff = Severity | 'off';
export type Fixability = 'none' | 'safe' | 'unsafe';
export type Applicability = 'safe' | 'unsafe';

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
  /** Extra machine-readable detail kept in JSON (e.g. actionlint's kind). */
  kind?: string;
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

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  fixable: Fixability;
  /** One line for `rules` and SARIF's shortDescription. */
  description: string;
  docs: RuleDocs;
  /** Rule options the config may pass ({ severity = "...", <option> = ... }), as a JSON Schema. */
  optionsSchema?: Record<string, unknown>;
  /** Only `gate` runs these. */
  gateOnly?: boolean;
}
