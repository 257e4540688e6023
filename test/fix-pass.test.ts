/**
 * A pass of fixes (src/engine/fix-pass.ts) against an independent model: applying the accepted fixes
 * one by one, each edit's offsets mapped through the edits applied before it, gives the same texts;
 * no byte outside the accepted edits changes; and a fix is left out only for a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFixPass } from '../src/engine/fix-pass.js';
import type { Fix, TextEdit } from '../src/types.js';

const FILES = ['a.toml', 'b.toml', 'c.toml'];
/** A file no fix may touch (textOf answers undefined), as for a symlink or a missing file. */
const UNTOUCHABLE = 'link.toml';

const text = fc.string({ unit: fc.constantFrom('a', 'b', 'x', '\n', '=', '"'), maxLength: 30 });
const texts = fc.tuple(text, text, text).map(([a, b, c]) => new Map([[FILES[0]!, a], [FILES[1]!, b], [FILES[2]!, c]]));

/** Raw numbers, fitted to the file's length later; one in ten edits keeps its raw (maybe out of range) offsets. */
const rawEdit = fc.record({
  file: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...FILES) }, { weight: 1, arbitrary: fc.constant(UNTOUCHABLE) }),
  start: fc.nat(40),
  length: fc.nat(12),
  text: fc.string({ unit: fc.constantFrom('Z', '\n', '!', '#'), maxLength: 5 }),
  fitted: fc.nat(9).map((n) => n > 0),
});
type RawEdit = typeof rawEdit extends fc.Arbitrary<infer T> ? T : never;
const rawFixes = fc.array(fc.array(rawEdit, { minLength: 1, maxLength: 4 }), { maxLength: 8 });

function fit(raw: RawEdit, files: Map<string, string>): TextEdit {
  const size = files.get(raw.file)?.length ?? 0;
  if (!raw.fitted) return { file: raw.file, start: raw.start, end: raw.start + raw.length, text: raw.text };
  const start = raw.start % (size + 1);
  return { file: raw.file, start, end: start + (raw.length % (size - start + 1)), text: raw.text };
}

const bangs = (value: string): number => value.split('!').length - 1;

/** The veto: a file may gain at most two "!" in a pass (stands in for "it still parses"). */
function keepsFor(originals: Map<string, string>): (file: string, value: string) => boolean {
  return (file, value) => bangs(value) <= bangs(originals.get(file)!) + 2;
}

/**
 * The model: fixes applied one at a time, each edit's offsets shifted by the edits already applied
 * that come before it in the file: by position, and at one position in the order they were accepted.
 */
function applySequentially(originals: Map<string, string>, fixes: Fix[]): Map<string, string> {
  type Placed = TextEdit & { order: number };
  const comesBefore = (a: Placed, b: Placed): boolean => a.start < b.start || (a.start === b.start && (a.end < b.end || (a.end === b.end && a.order < b.order)));
  const current = new Map<string, string>();
  const applied: Placed[] = [];
  let order = 0;
  for (const fix of fixes) {
    const placed = fix.edits.map((edit) => ({ ...edit, order: order++ }));
    // A fix's own edits last-first, so the offsets of the rest stay valid.
    for (const edit of [...placed].sort((a, b) => (comesBefore(a, b) ? 1 : -1))) {
      const shift = applied.filter((other) => other.file === edit.file && comesBefore(other, edit)).reduce((sum, other) => sum + other.text.length - (other.end - other.start), 0);
      const value = current.get(edit.file) ?? originals.get(edit.file)!;
      current.set(edit.file, value.slice(0, edit.start + shift) + edit.text + value.slice(edit.end + shift));
      applied.push(edit);
    }
  }
  return current;
}

function span(fix: Fix, file: string): { start: number; end: number } | undefined {
  const edits = fix.edits.filter((edit) => edit.file === file);
  if (edits.length === 0) return undefined;
  return { start: Math.min(...edits.map((edit) => edit.start)), end: Math.max(...edits.map((edit) => edit.end)) };
}

function spansMeet(a: Fix, b: Fix): boolean {
  return FILES.some((file) => {
    const x = span(a, file);
    const y = span(b, file);
    return x !== undefined && y !== undefined && ((x.start < y.end && y.start < x.end) || (x.start === y.start && x.end === y.end));
  });
}

function wellFormed(fix: Fix, originals: Map<string, string>): boolean {
  return fix.edits.every((edit, index) => {
    const value = originals.get(edit.file);
    if (value === undefined || edit.start > edit.end || edit.end > value.length) return false;
    return fix.edits.every((other, otherIndex) => otherIndex === index || other.file !== edit.file || !(edit.start < other.end && other.start < edit.end));
  });
}

function setUp(files: Map<string, string>, raw: RawEdit[][]) {
  const fixes: Fix[] = raw.map((edits, index) => ({ applicability: 'safe', description: `fix ${index}`, edits: edits.map((edit) => fit(edit, files)) }));
  const keeps = keepsFor(files);
  const pass = planFixPass(fixes, (file) => files.get(file), keeps);
  return { fixes, keeps, pass };
}

describe('a pass of fixes', () => {
  it('gives the texts that applying the accepted fixes one by one, offsets mapped, gives', () => {
    fc.assert(
      fc.property(texts, rawFixes, (files, raw) => {
        const { pass } = setUp(files, raw);
        expect(pass.texts).toEqual(applySequentially(files, pass.accepted));
      }),
      { numRuns: 2000 },
    );
  });

  it('changes no character outside the accepted edits', () => {
    fc.assert(
      fc.property(texts, rawFixes, (files, raw) => {
        const { pass } = setUp(files, raw);
        for (const [file, original] of files) {
          const edits = pass.accepted.flatMap((fix) => fix.edits).filter((edit) => edit.file === file);
          const after = pass.texts.get(file) ?? original;
          const untouched = (index: number): boolean => edits.every((edit) => index < edit.start || index >= edit.end);
          const shiftAt = (index: number): number => edits.filter((edit) => edit.end <= index).reduce((sum, edit) => sum + edit.text.length - (edit.end - edit.start), 0);
          for (let index = 0; index < original.length; index++) {
            if (untouched(index)) expect(after[index + shiftAt(index)]).toBe(original[index]);
          }
          if (edits.length === 0) expect(pass.texts.has(file)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts fixes whose spans never meet, and leaves a fix out only when it is ill-formed, meets an earlier span or is vetoed', () => {
    fc.assert(
      fc.property(texts, rawFixes, (files, raw) => {
        const { fixes, keeps, pass } = setUp(files, raw);
        for (const [index, fix] of pass.accepted.entries()) {
          expect(wellFormed(fix, files)).toBe(true);
          for (const other of pass.accepted.slice(index + 1)) expect(spansMeet(fix, other)).toBe(false);
        }
        const acceptedSoFar: Fix[] = [];
        for (const fix of fixes) {
          if (pass.accepted.includes(fix)) {
            acceptedSoFar.push(fix);
            continue;
          }
          if (!wellFormed(fix, files) || acceptedSoFar.some((other) => spansMeet(fix, other))) continue;
          const after = applySequentially(files, [...acceptedSoFar, fix]);
          expect([...after].some(([file, value]) => !keeps(file, value))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never touches a file that may not be touched, even through a fix that is fine elsewhere', () => {
    const files = new Map([['a.toml', 'name = "x"\n']]);
    const fix: Fix = { applicability: 'safe', description: 'both', edits: [{ file: 'a.toml', start: 0, end: 0, text: '# a\n' }, { file: UNTOUCHABLE, start: 0, end: 0, text: '# b\n' }] };
    expect(planFixPass([fix], (file) => files.get(file), () => true)).toEqual({ accepted: [], texts: new Map() });
  });
});
