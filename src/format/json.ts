import { summarize, type LintReport } from './report.js';

/** The JSON report, version 1 (docs/cli.md "Outputs"). */
export function formatJson(report: LintReport): string {
  const output = {
    version: 1,
    root: report.root,
    findings: report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      file: finding.file,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine ?? finding.line,
      endColumn: finding.endColumn ?? finding.column,
      message: finding.message,
      fixable: finding.fix !== undefined,
      // safe: --fix applies it; unsafe: only with --unsafe-fixes
      ...(finding.fix ? { fix: { applicability: finding.fix.applicability, description: finding.fix.description } } : {}),
      category: finding.category,
      ...(finding.kind ? { kind: finding.kind } : {}),
      ...(finding.detail ? { detail: finding.detail } : {}),
    })),
    summary: summarize(report),
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
