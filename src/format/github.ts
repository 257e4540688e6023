import type { Severity } from '../types.js';
import { shownPath, type LintReport } from './report.js';
import { summaryLine } from './stylish.js';
import { escapeMessage, escapeName } from './terminal.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub's escaping for a workflow command's message; other control characters are shown escaped. */
function escapeData(text: string): string {
  return escapeMessage(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** ... and for its properties, where ':' and ',' are separators. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Workflow commands that GitHub turns into annotations (paths relative to `pathsFrom`, the workspace), then the stylish summary line. */
export function formatGithub(report: LintReport): string {
  let output = '';
  for (const finding of report.findings) {
    const properties = [
      `file=${escapeProperty(escapeName(shownPath(report, finding.file)))}`,
      `line=${finding.line}`,
      `col=${finding.column}`,
      ...(finding.endLine !== undefined ? [`endLine=${finding.endLine}`] : []),
      ...(finding.endColumn !== undefined && finding.endLine === finding.line ? [`endColumn=${finding.endColumn}`] : []),
      `title=${escapeProperty(finding.ruleId)}`,
    ];
    output += `::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}\n`;
  }
  return output + summaryLine(report).replace(/^\n/, '');
}
