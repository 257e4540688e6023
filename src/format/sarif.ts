import { createHash } from 'node:crypto';
import type { Severity } from '../types.js';
import { renderRuleMarkdown } from '../docs/render.js';
import { categoriesOf, enabledByDefault } from '../engine/codes.js';
import { ruleDocsUrl, shownPath, type LintReport } from './report.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 for GitHub code scanning: the rules that fired, one result per finding with a
 * repo-relative location, and a line-independent fingerprint so an alert survives edits above it.
 */
export function formatSarif(report: LintReport): string {
  const firedIds = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
  const rules = firedIds.map((id) => {
    const meta = report.rules.get(id);
    return {
      id,
      shortDescription: { text: meta?.description ?? id },
      fullDescription: { text: meta ? firstParagraph(meta.docs.catches) : id },
      help: { text: meta ? meta.docs.why : id, markdown: meta ? renderRuleMarkdown(meta) : id },
      defaultConfiguration: { level: LEVEL[meta?.defaultSeverity ?? 'warning'], ...(meta && !enabledByDefault(meta) ? { enabled: false } : {}) },
      helpUri: ruleDocsUrl(id),
      // Code scanning shows a rule's tags and filters by them: the categories of the rule's findings.
      properties: { tags: meta ? categoriesOf(meta) : [] },
    };
  });
  const results = report.findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: firedIds.indexOf(finding.ruleId),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(shownPath(report, finding.file)), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine ?? finding.line,
            endColumn: finding.endColumn ?? finding.column,
          },
        },
      },
    ],
    properties: {
      category: finding.category,
      ...(finding.kind ? { kind: finding.kind } : {}),
      // safe: --fix applies it; unsafe: only with --unsafe-fixes
      ...(finding.fix ? { fix: { applicability: finding.fix.applicability, description: finding.fix.description } } : {}),
    },
    partialFingerprints: {
      'pypiReleaseLint/v1': createHash('sha256').update(`${finding.ruleId}\0${finding.file}\0${finding.message}`).digest('hex').slice(0, 32),
    },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pypi-release-lint',
            version: report.toolVersion,
            informationUri: 'https://github.com/pypi-release-lint/pypi-release-lint',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${encodeURI((report.pathsFrom ?? report.root).replace(/\\/g, '/').replace(/\/?$/, '/'))}` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function firstParagraph(text: string): string {
  return text.split(/\n\s*\n/)[0]!.trim();
}
