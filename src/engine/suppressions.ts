import type { SourceFile } from '../project/source-file.js';
import type { Category, Finding } from '../types.js';

export const UNUSED_SUPPRESSION_RULE = 'core/unused-suppression';

/** One `disable` comment: the rules it names and the lines it covers. */
interface Suppression {
  file: string;
  /** The comment's own line and column, where an unused suppression is reported. */
  line: number;
  column: number;
  /** The line it covers; undefined for disable-file. */
  target: number | undefined;
  rules: string[];
  used: Set<string>;
}

const HASH_COMMENT = /#\s*pypi-release-lint:\s*(disable|disable-file)=([A-Za-z0-9_\-/.,\s]+?)\s*$/;
const MARKDOWN_COMMENT = /<!--\s*pypi-release-lint-(disable|disable-file)\s+([A-Za-z0-9_\-/.,\s]+?)\s*-->/;

/** Reads the suppression comments of a file: `#` comments in TOML and YAML, `<!-- -->` in Markdown. */
export function readSuppressions(file: SourceFile): Suppression[] {
  const markdown = /\.(md|markdown|rst|txt)$/i.test(file.path) || !/\.(toml|ya?ml)$/i.test(file.path);
  const pattern = markdown ? MARKDOWN_COMMENT : HASH_COMMENT;
  const found: Suppression[] = [];
  // In Markdown, a comment shown inside a code fence or a code span is an example, not a suppression.
  let fence: string | undefined;
  for (let line = 1; line <= file.lineCount; line++) {
    const text = file.lineText(line);
    if (markdown) {
      const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(text)?.[1];
      if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
        fence = fence === undefined ? marker : undefined;
        continue;
      }
      if (fence !== undefined) continue;
    }
    if (!text.includes('pypi-release-lint')) continue;
    const match = pattern.exec(text);
    if (!match) continue;
    if (markdown && (text.slice(0, match.index).split('`').length - 1) % 2 === 1) continue;
    const ownLine = text.slice(0, match.index).trim() === '' && (!markdown || text.slice(match.index + match[0].length).trim() === '');
    const wholeFile = match[1] === 'disable-file';
    found.push({
      file: file.path,
      line,
      column: match.index + 1,
      target: wholeFile ? undefined : ownLine ? nextContentLine(file, line) : line,
      rules: match[2]!.split(',').map((rule) => rule.trim()).filter(Boolean),
      used: new Set(),
    });
  }
  return found;
}

function nextContentLine(file: SourceFile, line: number): number {
  for (let next = line + 1; next <= file.lineCount; next++) if (file.lineText(next).trim() !== '') return next;
  return line + 1;
}

/**
 * Drops suppressed findings and adds a `core/unused-suppression` warning for every named rule that
 * suppressed nothing (only for rules that ran, so switching a rule off does not make noise).
 */
export function applySuppressions(findings: Finding[], files: SourceFile[], rulesThatRan: ReadonlySet<string>, knownRules: ReadonlySet<string>, unusedCategory: Category): Finding[] {
  const byFile = new Map<string, Suppression[]>();
  for (const file of files) {
    const suppressions = readSuppressions(file);
    if (suppressions.length > 0) byFile.set(file.path, suppressions);
  }
  if (byFile.size === 0) return findings;
  const kept = findings.filter((finding) => {
    const candidates = byFile.get(finding.file) ?? [];
    const match = candidates.find(
      (suppression) => suppression.rules.includes(finding.ruleId) && (suppression.target === undefined || suppression.target === finding.line),
    );
    match?.used.add(finding.ruleId);
    return !match;
  });
  for (const suppressions of byFile.values()) {
    for (const suppression of suppressions) {
      for (const rule of suppression.rules) {
        if (suppression.used.has(rule)) continue;
        if (knownRules.has(rule) && !rulesThatRan.has(rule)) continue;
        const reason = knownRules.has(rule) ? 'suppresses nothing' : 'names an unknown rule';
        kept.push({
          ruleId: UNUSED_SUPPRESSION_RULE,
          severity: 'warning',
          file: suppression.file,
          line: suppression.line,
          column: suppression.column,
          message: `the suppression of "${rule}" ${reason}; remove it`,
          category: unusedCategory,
        });
      }
    }
  }
  return kept;
}
