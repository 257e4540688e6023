import { codeId } from '../engine/codes.js';
import type { Finding } from '../types.js';
import { escapeMessage, escapeName } from './terminal.js';

/**
 * `--show-fixes`: what --fix changed (or, with --diff, would change), as ruff lists it: one line per
 * fix, grouped by the file of its finding, with the finding's code and what the fix does. A fix
 * found at `file:line` in the pass that applied it.
 */
export function formatAppliedFixes(applied: readonly Finding[], verb: 'fixed' | 'would fix'): string {
  if (applied.length === 0) return `${verb === 'fixed' ? 'fixed nothing' : 'would fix nothing'}: no fix applies\n`;
  const byFile = new Map<string, Finding[]>();
  for (const finding of applied) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const lines = [`${verb} ${applied.length} problem${applied.length === 1 ? '' : 's'}:`];
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(`- ${escapeName(file)}:`);
    for (const finding of findings) {
      lines.push(`    ${finding.line}:${finding.column}  ${codeId(finding.ruleId, finding.kind)}  ${finding.fix!.applicability}: ${escapeMessage(finding.fix!.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
