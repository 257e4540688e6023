import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineRule, type Rule } from '../src/engine/rule.js';
import { ConcurrentModificationError, MAX_FIX_PASSES, writeChanges } from '../src/engine/fix.js';
import { coreRules } from '../rules/core/index.js';
import { testMeta, writeRepo } from './helpers/repo.js';
import { runWith } from './helpers/fixtures.js';

/** Reports "missing marker" on pyproject.toml until `marker = true` is in the file; the fix adds it. */
const addMarker = (id: string, text: string): Rule =>
  defineRule({
    meta: testMeta(id),
    check({ project, report }) {
      const file = project.rootPyproject!;
      if (file.text.includes(text.trim())) return;
      report({ file, location: { line: 1, column: 1 }, message: 'missing marker', fix: { applicability: 'safe', description: 'add', edits: [{ file: file.path, start: file.text.length, end: file.text.length, text }] } });
    },
  });

describe('fix engine', () => {
  it('applies a fix, re-lints clean, and writes atomically keeping mode, BOM and CRLF', async () => {
    const root = writeRepo({ 'pyproject.toml': '\uFEFF[project]\r\nname = "demo"\r\n' });
    const file = path.join(root, 'pyproject.toml');
    fs.chmodSync(file, 0o640);
    const result = await runWith(root, [addMarker('test/marker', 'marker = true\n')], { fix: 'safe' });
    expect(result.findings).toEqual([]);
    writeChanges(root, result.changes);
    expect(fs.readFileSync(file, 'utf8')).toBe('\uFEFF[project]\r\nname = "demo"\r\nmarker = true\r\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(root)).toEqual(['pyproject.toml']);
  });

  it('drops a fix after which the file no longer parses, and reports the finding still', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    const result = await runWith(root, [addMarker('test/broken', 'marker = "unterminated\n')], { fix: 'safe' });
    expect(result.changes.size).toBe(0);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['test/broken']);
  });

  it('applies overlapping fixes in later passes, never together', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    const result = await runWith(root, [addMarker('test/a', 'a = 1\n'), addMarker('test/b', 'b = 2\n')], { fix: 'safe' });
    expect(result.findings).toEqual([]);
    expect([...result.changes.values()][0]!.fixed).toBe('[project]\nname = "demo"\na = 1\nb = 2\n');
  });

  it('applies a fix with edits at both ends of a file and a fix between them in two passes, corrupting nothing', async () => {
    // Issue 17: the fix in between used to land at an offset the first fix had shifted.
    const headAndTail = defineRule({
      meta: testMeta('test/head-and-tail'),
      check({ project, report }) {
        const file = project.rootPyproject!;
        if (file.text.startsWith('# top')) return;
        const z = file.text.indexOf('z"');
        report({ file, location: { line: 1, column: 1 }, message: 'head and tail', fix: { applicability: 'safe', description: 'both ends', edits: [{ file: file.path, start: 0, end: 0, text: '# top\n' }, { file: file.path, start: z, end: z + 1, text: 'Z' }] } });
      },
    });
    const middle = defineRule({
      meta: testMeta('test/middle'),
      check({ project, report }) {
        const file = project.rootPyproject!;
        const x = file.text.indexOf('x');
        if (x < 0) return;
        report({ file, location: { line: 2, column: 1 }, message: 'middle', fix: { applicability: 'safe', description: 'x to X', edits: [{ file: file.path, start: x, end: x + 1, text: 'X' }] } });
      },
    });
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "abcdefghijklmnopqrstuvwxyz"\n' });
    const result = await runWith(root, [headAndTail, middle], { fix: 'safe' });
    expect(result.findings).toEqual([]);
    expect([...result.changes.values()].map((change) => change.fixed)).toEqual(['# top\n[project]\nname = "abcdefghijklmnopqrstuvwXyZ"\n']);
  });

  it('applies every edit of a fix or none', async () => {
    const twoEdits = defineRule({
      meta: testMeta('test/pair'),
      check({ project, report }) {
        const file = project.rootPyproject!;
        if (file.text.startsWith('#')) return;
        // The second edit breaks the TOML, so the first must not be applied either.
        report({ file, location: { line: 1, column: 1 }, message: 'pair', fix: { applicability: 'safe', description: 'pair', edits: [{ file: file.path, start: 0, end: 0, text: '# top\n' }, { file: file.path, start: file.text.length, end: file.text.length, text: '[[[\n' }] } });
      },
    });
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    const result = await runWith(root, [twoEdits], { fix: 'safe' });
    expect(result.changes.size).toBe(0);
  });

  it(`stops after ${MAX_FIX_PASSES} passes when a fix never converges`, async () => {
    let passes = 0;
    const endless = defineRule({
      meta: testMeta('test/endless'),
      check({ project, report }) {
        passes++;
        const file = project.rootPyproject!;
        report({ file, location: { line: 1, column: 1 }, message: 'again', fix: { applicability: 'safe', description: 'again', edits: [{ file: file.path, start: file.text.length, end: file.text.length, text: '# again\n' }] } });
      },
    });
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    const result = await runWith(root, [endless], { fix: 'safe' });
    expect(passes).toBe(MAX_FIX_PASSES + 1);
    expect([...result.changes.values()][0]!.fixed.match(/# again/g)).toHaveLength(MAX_FIX_PASSES);
  });

  it('applies unsafe fixes only when asked', async () => {
    const unsafe = addMarker('test/unsafe', 'marker = true\n');
    const original = unsafe.check!;
    const rule: Rule = { meta: unsafe.meta, check: (context) => original({ ...context, report: (report) => context.report({ ...report, fix: report.fix && { ...report.fix, applicability: 'unsafe' } }) }) };
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    expect((await runWith(root, [rule], { fix: 'safe' })).changes.size).toBe(0);
    expect((await runWith(root, [rule], { fix: 'unsafe' })).changes.size).toBe(1);
  });

  it('does not overwrite a file that changed on disk after it was read', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    const result = await runWith(root, [addMarker('test/marker', 'marker = true\n')], { fix: 'safe' });
    fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "edited meanwhile"\n');
    expect(() => writeChanges(root, result.changes)).toThrow(ConcurrentModificationError);
    expect(fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe('[project]\nname = "edited meanwhile"\n');
  });

  it('leaves a file that is a link unfixed, with every other file of the same fix, and says which and why', async () => {
    const both = defineRule({
      meta: testMeta('test/both'),
      check({ project, report }) {
        const file = project.rootPyproject!;
        const readme = project.sourceFile('README.md')!;
        if (readme.text.startsWith('# fixed')) return;
        report({ file, location: { line: 1, column: 1 }, message: 'both', fix: { applicability: 'safe', description: 'both', edits: [{ file: file.path, start: 0, end: 0, text: '# fixed\n' }, { file: 'README.md', start: 0, end: 0, text: '# fixed\n' }] } });
      },
    });
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n', 'docs/README.md': '# demo\n' });
    fs.symlinkSync('docs/README.md', path.join(root, 'README.md'));
    const result = await runWith(root, [both], { fix: 'safe' });
    expect(result.changes.size).toBe(0);
    expect(result.notFixed).toEqual(new Map([['README.md', 'README.md is a symbolic link']]));
    expect(result.findings.map((finding) => finding.message)).toEqual(['both']);
  });

  it('leaves a file below a linked directory unfixed', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n', 'real/extra.toml': 'a = 1\n' });
    fs.symlinkSync('real', path.join(root, 'linked'));
    const rule = defineRule({
      meta: testMeta('test/linked'),
      check({ project, report }) {
        const file = project.sourceFile('linked/extra.toml')!;
        report({ file, location: { line: 1, column: 1 }, message: 'linked', fix: { applicability: 'safe', description: 'b', edits: [{ file: file.path, start: file.text.length, end: file.text.length, text: 'b = 2\n' }] } });
      },
    });
    const result = await runWith(root, [rule], { fix: 'safe' });
    expect([result.changes.size, [...result.notFixed]]).toEqual([0, [['linked/extra.toml', 'linked is a symbolic link']]]);
  });

  it('does not write a file that became a link after it was read', async () => {
    const root = writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\n', 'elsewhere.toml': '[project]\nname = "demo"\n' });
    const result = await runWith(root, [addMarker('test/marker', 'marker = true\n')], { fix: 'safe' });
    fs.rmSync(path.join(root, 'pyproject.toml'));
    fs.symlinkSync('elsewhere.toml', path.join(root, 'pyproject.toml'));
    expect(() => writeChanges(root, result.changes)).toThrow(new ConcurrentModificationError('not written, changed on disk while linting: pyproject.toml'));
    expect(fs.readlinkSync(path.join(root, 'pyproject.toml'))).toBe('elsewhere.toml');
    expect(fs.readFileSync(path.join(root, 'elsewhere.toml'), 'utf8')).toBe('[project]\nname = "demo"\n');
  });

  it('the core rules alone never offer a fix', () => {
    expect(coreRules.every((rule) => rule.meta.fixable === 'none')).toBe(true);
  });
});
