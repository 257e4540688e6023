/**
 * One pass of fixes, applied as ruff applies them. Every edit of a pass refers to the text the pass
 * linted, so the edits of the accepted fixes are applied together, sorted, to that original text;
 * never one fix on top of text another fix already shifted. In each file it touches, a fix claims
 * the span from its first edit's start to its last edit's end; a fix whose span meets a span claimed
 * by an earlier fix waits for the next pass (its rule reports it again on the new text). A fix is
 * all-or-nothing across files.
 */
import type { Fix, TextEdit } from '../types.js';

export interface FixPass {
  /** The fixes applied, in the order they were accepted. */
  accepted: Fix[];
  /** Each file the accepted fixes touch, with its text after them. */
  texts: Map<string, string>;
}

/**
 * @param textOf a file's text as the pass linted it, or undefined when no fix may touch the file
 * @param keeps whether a file's text after a fix is acceptable (it still parses); a fix after which
 *   a touched file is not is dropped
 */
export function planFixPass(fixes: readonly Fix[], textOf: (file: string) => string | undefined, keeps: (file: string, text: string) => boolean): FixPass {
  const accepted: Fix[] = [];
  const texts = new Map<string, string>();
  const editsOf = new Map<string, TextEdit[]>();
  const claimsOf = new Map<string, Span[]>();
  for (const fix of fixes) {
    const byFile = groupByFile(fix.edits);
    const fits = [...byFile].every(([file, edits]) => {
      const text = textOf(file);
      return text !== undefined && wellFormed(edits, text.length) && !(claimsOf.get(file) ?? []).some((claim) => meets(claim, spanOf(edits)));
    });
    if (!fits) continue;
    const after = new Map([...byFile].map(([file, edits]) => [file, applyEdits(textOf(file)!, [...(editsOf.get(file) ?? []), ...edits])]));
    if ([...after].some(([file, text]) => !keeps(file, text))) continue;
    for (const [file, edits] of byFile) {
      editsOf.set(file, [...(editsOf.get(file) ?? []), ...edits]);
      claimsOf.set(file, [...(claimsOf.get(file) ?? []), spanOf(edits)]);
      texts.set(file, after.get(file)!);
    }
    accepted.push(fix);
  }
  return { accepted, texts };
}

/** Applies non-overlapping edits, all against `text`'s own offsets; equal positions keep their order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = '';
  let position = 0;
  for (const edit of sortEdits(edits)) {
    result += text.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return result + text.slice(position);
}

interface Span {
  start: number;
  end: number;
}

/** The part of a file a fix claims: from its first edit's start to its last edit's end. */
function spanOf(edits: readonly TextEdit[]): Span {
  return { start: Math.min(...edits.map((edit) => edit.start)), end: Math.max(...edits.map((edit) => edit.end)) };
}

/** Two spans meet when they overlap, or when both insert at one place (which text comes first is undecided). Touching spans do not. */
function meets(a: Span, b: Span): boolean {
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === b.end);
}

function groupByFile(edits: readonly TextEdit[]): Map<string, TextEdit[]> {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return byFile;
}

/** Offsets within the text, and no two edits of the fix overlapping (they would disagree about the text). */
function wellFormed(edits: readonly TextEdit[], length: number): boolean {
  return sortEdits(edits).every(
    (edit, index, sorted) =>
      Number.isInteger(edit.start) && Number.isInteger(edit.end) && 0 <= edit.start && edit.start <= edit.end && edit.end <= length && (index === 0 || sorted[index - 1]!.end <= edit.start),
  );
}

/** By position; a stable sort, so insertions at one place keep the order they were accepted in. */
function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}
