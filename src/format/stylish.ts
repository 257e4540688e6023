import type { Finding } from '../types.js';
import { summarize, type LintReport } from './report.js';

export interface StylishOptions {
  color: boolean;
}

const SEVERITY_STYLE = { error: '31', warning: '33', info: '36' } as const;

/** ESLint's stylish: findings grouped by file, aligned columns, one summary line. */
export function formatStylish(report: LintReport, options: StylishOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  let output = '';
  for (const [file, findings] of byFile) {
    output += `\n${paint('4', file)}\n`;
    const rows = findings.map((finding) => [`${finding.line}:${finding.column}`, finding.severity, finding.message, finding.ruleId] as const);
    const width = (index: 0 | 1): number => Math.max(...rows.map((row) => row[index].length));
    for (const [position, severity, message, ruleId] of rows) {
      const severityText = paint(SEVERITY_STYLE[severity], severity.padEnd(width(1)));
      output += `  ${paint('2', position.padEnd(width(0)))}  ${severityText}  ${message}  ${paint('2', ruleId)}\n`;
    }
  }
  return output + summaryLine(report, paint);
}

/** The closing line, also printed after GitHub annotations (GitHub shows only 10 per step). */
export function summaryLine(report: LintReport, paint: (code: string, text: string) => string = (_code, text) => text): string {
  const summary = summarize(report);
  const problems = summary.errors + summary.warnings + summary.infos;
  if (problems === 0) return `${paint('32', '✔')} no problems (${summary.files} files checked)\n`;
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const colour = summary.errors > 0 ? '31' : '33';
  let line = `\n${paint(colour, `✖ ${plural(problems, 'problem')} (${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')})`)} in ${summary.files} files checked\n`;
  if (summary.fixable > 0) line += `  ${plural(summary.fixable, 'problem')} fixable with --fix (some may need --unsafe-fixes)\n`;
  return line;
}
