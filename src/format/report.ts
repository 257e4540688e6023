import path from 'node:path';
import type { Finding, RuleMeta, Severity } from '../types.js';

/** What every formatter receives: formatters are pure `format(report) → string`. */
export interface LintReport {
  /** Absolute root that was linted. */
  root: string;
  findings: Finding[];
  filesChecked: number;
  rules: ReadonlyMap<string, RuleMeta>;
  toolVersion: string;
  /** --unsafe-fixes was given: --fix would apply unsafe fixes too (stylish marks them `[*]`). */
  unsafeFixes?: boolean;
  /**
   * The absolute directory the paths are shown relative to, when not the root: the current directory
   * for stylish (clickable in a terminal), the Actions workspace for github and SARIF (GitHub resolves
   * both against the repository's top, which the root lies below when the Action's `path:` is a
   * subdirectory). `finding.file` itself stays root-relative.
   */
  pathsFrom?: string;
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  /** Findings with a fix, safe or unsafe; `fixableSafe` of them apply with --fix alone. */
  fixable: number;
  fixableSafe: number;
  fixableUnsafe: number;
  files: number;
}

/**
 * A finding's file as the report shows it: relative to `pathsFrom`, `/`-separated (`../pyproject.toml`
 * from a subdirectory of the root); absolute when the root lies elsewhere, as ruff and ESLint show
 * it; root-relative without `pathsFrom`.
 */
export function shownPath(report: Pick<LintReport, 'root' | 'pathsFrom'>, file: string): string {
  if (report.pathsFrom === undefined) return file;
  const absolute = path.join(report.root, file);
  const shown = path.relative(report.pathsFrom, absolute);
  if (shown.startsWith('..') && path.relative(report.root, report.pathsFrom).startsWith('..')) return absolute;
  return shown === '' ? '.' : shown.split(path.sep).join('/');
}

/** Whether --fix (with --unsafe-fixes when the report says it was given) applies the finding's fix. */
export function fixApplies(report: Pick<LintReport, 'unsafeFixes'>, finding: Finding): boolean {
  return finding.fix !== undefined && (finding.fix.applicability === 'safe' || report.unsafeFixes === true);
}

export function summarize(report: LintReport): Summary {
  const count = (severity: Severity): number => report.findings.filter((finding) => finding.severity === severity).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    fixable: report.findings.filter((finding) => finding.fix).length,
    fixableSafe: report.findings.filter((finding) => finding.fix?.applicability === 'safe').length,
    fixableUnsafe: report.findings.filter((finding) => finding.fix?.applicability === 'unsafe').length,
    files: report.filesChecked,
  };
}

/** Where each rule's page lives; SARIF's helpUri and `explain` point here. */
export const RULE_DOCS_BASE_URL = 'https://github.com/pypi-release-lint/pypi-release-lint/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE_URL}${ruleId}.md`;
}
