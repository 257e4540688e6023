import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pyprojectRules } from '../rules/pyproject/index.js';
import { FIXTURES, materialize } from './helpers/fixtures.js';
import { lintRepo } from './helpers/pyproject.js';

interface Defect {
  rule: string;
  severity: string;
  file: string;
  line: number;
  /** The selector that reports it, for a defect the default selection leaves out (a hygiene check). */
  selectWith?: string;
  what: string;
}

const MANIFEST = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'pyproject/manifest.json'), 'utf8')) as Record<string, { description: string; defects: Defect[] }>;

describe('pyproject fixtures (fixtures/pyproject/manifest.json)', () => {
  it('lists every fixture directory, and every directory is listed', () => {
    const directories = fs.readdirSync(path.join(FIXTURES, 'pyproject'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(directories.sort()).toEqual(Object.keys(MANIFEST).sort());
  });

  it.each(['open-ticket-ai', ...Object.keys(MANIFEST).map((name) => `pyproject/${name}`)])('%s: exactly the listed findings, nothing else', async (name) => {
    const root = materialize(name);
    const all = name === 'open-ticket-ai' ? [] : MANIFEST[name.slice('pyproject/'.length)]!.defects;
    // With every hygiene check selected: all of them. By default: those without selectWith.
    for (const [defects, extendSelect] of [
      [all, ['hygiene']],
      [all.filter((defect) => defect.selectWith === undefined), []],
    ] as const) {
      const findings = (await lintRepo(root, { extendSelect: [...extendSelect] })).findings.filter((finding) => finding.ruleId.startsWith('pyproject/') || finding.ruleId.startsWith('core/'));
      expect(findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.file}:${finding.line}`)).toEqual(
        defects.map((defect) => `${defect.rule} ${defect.severity} ${defect.file}:${defect.line}`),
      );
      findings.forEach((finding, index) => expect(finding.message).toContain(defects[index]!.what));
    }
    for (const defect of all.filter((item) => item.selectWith !== undefined)) {
      const found = (await lintRepo(root, { extendSelect: [defect.selectWith!] })).findings;
      expect(found.some((finding) => finding.ruleId === defect.rule && finding.file === defect.file && finding.line === defect.line), defect.selectWith).toBe(true);
    }
  });

  it('has a passing and a failing fixture for every pyproject rule', () => {
    const failing = new Set(Object.values(MANIFEST).flatMap((fixture) => fixture.defects.map((defect) => defect.rule)));
    // build-system and metadata fail on the shared variants (missing-build-system, missing-metadata).
    for (const rule of pyprojectRules) {
      if (rule.meta.id === 'pyproject/build-system' || rule.meta.id === 'pyproject/metadata') continue;
      expect(failing, rule.meta.id).toContain(rule.meta.id);
    }
  });
});

// The docs' failing and passing examples run for every rule in test/rule-examples.test.ts.
describe('pyproject rule docs', () => {
  it.each(pyprojectRules.map((rule) => [rule.meta.id, rule] as const))('%s: a one-line description and real texts', (_id, rule) => {
    const { meta } = rule;
    expect(meta.description).not.toContain('\n');
    expect(meta.description.length).toBeGreaterThan(30);
    for (const field of ['catches', 'why', 'fixSafety'] as const) expect(meta.docs[field].length, field).toBeGreaterThan(60);
    expect(meta.fixable === 'none').toBe(/^No fix/.test(meta.docs.fixSafety));
  });
});
