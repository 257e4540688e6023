import { GATE_OPTIONS_FACT, type GateOptions } from '../gate/options.js';
import type { Project } from '../project/project.js';
import type { Finding, RuleMeta, Severity } from '../types.js';
import type { Report, Rule } from './rule.js';
import { applySuppressions, UNUSED_SUPPRESSION_RULE } from './suppressions.js';

export interface LintOptions {
  /** Run the gate-only rules too (`pypi-release-lint gate`). */
  gate?: boolean;
  /**
   * The gate's inputs (--tag, --python, isolation, jobs, timeout). Stored on the Project as the
   * fact GATE_OPTIONS_FACT before any rule runs, so gate rules read them with `gateOptionsOf`.
   */
  gateOptions?: GateOptions;
}

/** Runs every enabled rule over the project; returns suppressed, severity-resolved, sorted findings. */
export async function lintProject(project: Project, rules: readonly Rule[], options: LintOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const ran = new Set<string>();
  if (options.gate && options.gateOptions) project.fact(GATE_OPTIONS_FACT, () => options.gateOptions);
  // Every check starts before any is awaited: a rule that waits (actionlint's worker, the gate's
  // builds) waits while the synchronous rules run. Findings are sorted at the end, so the order in
  // which checks finish does not show.
  const checks: (void | Promise<void>)[] = [];
  for (const rule of rules) {
    if (rule.meta.gateOnly && !options.gate) continue;
    const severity = project.config.rules.get(rule.meta.id)?.severity;
    if (severity === 'off') continue;
    ran.add(rule.meta.id);
    const context = {
      project,
      options: project.config.rules.get(rule.meta.id)?.options ?? {},
      report: (report: Report) => findings.push(toFinding(rule.meta, report, severity)),
    };
    checks.push(rule.check?.(context));
  }
  await Promise.all(checks);
  const known = new Set(rules.map((rule) => rule.meta.id));
  const unusedSeverity = project.config.rules.get(UNUSED_SUPPRESSION_RULE)?.severity;
  const afterSuppression = applySuppressions(findings, project.files, ran, known).filter(
    (finding) => finding.ruleId !== UNUSED_SUPPRESSION_RULE || unusedSeverity !== 'off',
  );
  for (const finding of afterSuppression) {
    if (finding.ruleId === UNUSED_SUPPRESSION_RULE && unusedSeverity) finding.severity = unusedSeverity as Severity;
  }
  return sortFindings(afterSuppression);
}

function toFinding(meta: RuleMeta, report: Report, configured: Severity | undefined): Finding {
  const location = report.range ? report.file.locationOf(report.range) : (report.location ?? { line: 1, column: 1 });
  const finding: Finding = {
    ruleId: meta.id,
    severity: configured ?? report.severity ?? meta.defaultSeverity,
    file: report.file.path,
    ...location,
    message: report.message,
  };
  if (report.fix) finding.fix = report.fix;
  if (report.kind) finding.kind = report.kind;
  return finding;
}

/** CLI.md: findings are sorted by file, line, column, ruleId. */
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
