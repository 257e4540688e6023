import { codeOfFinding, type Code } from '../engine/codes.js';
import type { Category, Finding, RuleMeta } from '../types.js';
import { fixesLine } from './stylish.js';

/** One line of `--statistics`: how many findings one code (a rule, or one kind of a rule) has. */
export interface CodeStatistics {
  code: string;
  ruleId: string;
  kind?: string;
  category: Category;
  count: number;
  /** How many of them carry a fix (safe or unsafe), and how many of those --fix applies alone. */
  fixable: number;
  fixableSafe: number;
  description: string;
}

/** Counts the findings per code, most first (then by code), as ruff's --statistics does. */
export function statistics(findings: readonly Finding[], rules: ReadonlyMap<string, RuleMeta>): CodeStatistics[] {
  const byCode = new Map<string, CodeStatistics>();
  for (const finding of findings) {
    const meta = rules.get(finding.ruleId);
    const code: Pick<Code, 'id' | 'kind' | 'description'> = meta ? codeOfFinding(meta, finding.kind) : { id: finding.ruleId, description: finding.ruleId };
    const entry = byCode.get(code.id) ?? {
      code: code.id,
      ruleId: finding.ruleId,
      ...(code.kind ? { kind: code.kind } : {}),
      category: finding.category,
      count: 0,
      fixable: 0,
      fixableSafe: 0,
      description: code.description,
    };
    entry.count++;
    if (finding.fix) entry.fixable++;
    if (finding.fix?.applicability === 'safe') entry.fixableSafe++;
    byCode.set(code.id, entry);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * ruff's layout: count, code, category, `[*]` when some of them carry a fix, the one-line description;
 * then how many --fix applies and how many more --unsafe-fixes does. Nothing at all when there is nothing to count.
 */
export function formatStatistics(rows: readonly CodeStatistics[]): string {
  if (rows.length === 0) return '';
  const countWidth = Math.max(...rows.map((row) => String(row.count).length));
  const codeWidth = Math.max(...rows.map((row) => row.code.length));
  const categoryWidth = Math.max(...rows.map((row) => row.category.length));
  const lines = rows.map(
    (row) => `${String(row.count).padStart(countWidth)}  ${row.code.padEnd(codeWidth)}  ${row.category.padEnd(categoryWidth)}  ${row.fixable > 0 ? '[*]' : '[ ]'}  ${row.description}`,
  );
  const safe = rows.reduce((sum, row) => sum + row.fixableSafe, 0);
  const fixes = fixesLine({ fixableSafe: safe, fixableUnsafe: rows.reduce((sum, row) => sum + row.fixable, 0) - safe });
  if (fixes) lines.push(`[*] ${fixes}`);
  return `${lines.join('\n')}\n`;
}
