import type { Finding } from '../types.js';
import { summarize, type LintReport } from './report.js';
import { escapeMessage, escapeName } from './terminal.js';

export interface StylishOptions {
  color: boolean;
}

const SEVERITY_STYLE = { error: '31', warning: '33', info: '36' } as const;

/**
 * ESLint's stylish: findings grouped by file, aligned columns, one summary line. Linear in the
 * findings: each file's column widths are measured once. Names and messages from the checkout
 * have their control characters escaped.
 */
export function formatStylish(report: LintReport, options: StylishOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const group = byFile.get(finding.file);
    if (group) group.push(finding);
    else byFile.set(finding.file, [finding]);
  }
  const lines: string[] = [];
  for (const [file, findings] of byFile) {
    lines.push('', paint('4', escapeName(file)));
    const positions = findings.map((finding) => `${finding.line}:${finding.column}`);
    // a loop, not Math.max(...): a spread of 100 000 arguments overflows the stack
    const positionWidth = positions.reduce((width, position) => Math.max(width, position.length), 0);
    const severityWidth = findings.reduce((width, finding) => Math.max(width, finding.severity.length), 0);
    findings.forEach((finding, index) => {
      const severityText = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(severityWidth));
      lines.push(`  ${paint('2', positions[index]!.padEnd(positionWidth))}  ${severityText}  ${escapeMessage(finding.message)}  ${paint('2', finding.ruleId)}`);
    });
  }
  return (lines.length > 0 ? `${lines.join('\n')}\n` : '') + summaryLine(report, paint);
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
