import type { Finding, RuleMeta, Severity } from '../types.js';

/** What every formatter receives: formatters are pure `format(report) → string`. */
export interface LintReport {
  /** Absolute root that was linted. */
  root: string;
  findings: Finding[];
  filesChecked: number;
  rules: ReadonlyMap<string, RuleMeta>;
  toolVersion: string;
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  fixable: number;
  files: number;
}

export function summarize(report: LintReport): Summary {
  const count = (severity: Severity): number => report.findings.filter((finding) => finding.severity === severity).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    fixable: report.findings.filter((finding) => finding.fix).length,
    files: report.filesChecked,
  };
}

/** Where each rule's page lives; SARIF's helpUri and `explain` point here. */
export const RULE_DOCS_BASE_URL = 'https://github.com/pypi-release-lint/pypi-release-lint/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE_URL}${ruleId}.md`;
}
