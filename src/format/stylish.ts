import type { Finding } from '../types.js';
import { fixApplies, shownPath, summarize, type LintReport, type Summary } from './report.js';
import { escapeMessage, escapeName } from './terminal.js';

export interface StylishOptions {
  color: boolean;
}

const SEVERITY_STYLE = { error: '31', warning: '33', info: '36' } as const;

/**
 * ESLint's stylish: findings grouped by file (shown relative to `pathsFrom`, the current directory),
 * aligned columns, one summary line. A finding --fix would fix is marked `[*]` before its message, as
 * ruff marks it. Linear in the findings: each file's column widths are measured once. Names and
 * messages from the checkout have their control characters escaped.
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
    lines.push('', paint('4', escapeName(shownPath(report, file))));
    const positions = findings.map((finding) => `${finding.line}:${finding.column}`);
    // a loop, not Math.max(...): a spread of 100 000 arguments overflows the stack
    const positionWidth = positions.reduce((width, position) => Math.max(width, position.length), 0);
    const severityWidth = findings.reduce((width, finding) => Math.max(width, finding.severity.length), 0);
    findings.forEach((finding, index) => {
      const severityText = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(severityWidth));
      lines.push(`  ${paint('2', positions[index]!.padEnd(positionWidth))}  ${severityText}  ${fixApplies(report, finding) ? '[*] ' : ''}${escapeMessage(finding.message)}  ${paint('2', finding.ruleId)}`);
    });
  }
  return (lines.length > 0 ? `${lines.join('\n')}\n` : '') + summaryLine(report, paint);
}

/** Said instead of "no problems" when discovery found nothing to lint: a wrong directory is no clean bill. */
export function nothingChecked(root: string): string {
  return `0 files checked under ${escapeName(root)}: no pyproject.toml, workflow or README found (is this the repository?)`;
}

/** The closing line, also printed after GitHub annotations (GitHub shows only 10 per step). */
export function summaryLine(report: LintReport, paint: (code: string, text: string) => string = (_code, text) => text): string {
  const summary = summarize(report);
  const problems = summary.errors + summary.warnings + summary.infos;
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (problems === 0 && summary.files === 0) return `${paint('33', '⚠')} ${nothingChecked(report.root)}\n`;
  if (problems === 0) return `${paint('32', '✔')} no problems (${plural(summary.files, 'file')} checked)\n`;
  const colour = summary.errors > 0 ? '31' : '33';
  const line = `\n${paint(colour, `✖ ${plural(problems, 'problem')} (${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')})`)} in ${plural(summary.files, 'file')} checked\n`;
  const fixes = fixesLine(summary);
  return fixes ? `${line}  ${fixes}\n` : line;
}

/** ruff's split: what --fix alone fixes, and what --unsafe-fixes adds; undefined when nothing is fixable. */
export function fixesLine(summary: Pick<Summary, 'fixableSafe' | 'fixableUnsafe'>): string | undefined {
  const { fixableSafe: safe, fixableUnsafe: unsafe } = summary;
  if (safe > 0 && unsafe > 0) return `${safe} fixable with --fix, ${unsafe} more with --unsafe-fixes`;
  if (safe > 0) return `${safe} fixable with --fix`;
  if (unsafe > 0) return `${unsafe} fixable with --fix --unsafe-fixes (none with --fix alone)`;
  return undefined;
}
