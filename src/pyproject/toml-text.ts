/**
 * Positions and edits inside TOML values that the pyproject rules need beyond the engine's
 * toml-edit.ts: where a character of a string value sits in the file, the range of a substring of
 * a string value, and the removal of one array element with its separator.
 */
import type { Range } from '../project/source-file.js';
import type { TomlFile, TomlKeyPath } from '../project/toml-file.js';
import type { TextEdit } from '../types.js';

/**
 * The file offset of the first character of a string value, when the literal holds the value
 * verbatim (a basic string without escapes, or a literal string); undefined otherwise.
 */
export function stringContentStart(file: TomlFile, path: TomlKeyPath): number | undefined {
  const range = file.rangeOfValue(path);
  const value = file.get(path);
  if (!range || typeof value !== 'string') return undefined;
  const literal = file.text.slice(range.start, range.end);
  for (const quote of ['"""', "'''", '"', "'"]) {
    if (literal.startsWith(quote) && literal.endsWith(quote) && literal.length >= quote.length * 2) {
      const inner = literal.slice(quote.length, literal.length - quote.length);
      // A multi-line string drops the newline right after its opening quotes.
      const trimmed = quote.length === 3 && inner.startsWith('\n') ? inner.slice(1) : inner;
      if (trimmed === value) return range.start + quote.length + (inner.length - trimmed.length);
      return undefined;
    }
  }
  return undefined;
}

/** The range of `value.slice(start, end)` in the file, or the whole value's range when the literal is not verbatim. */
export function rangeInString(file: TomlFile, path: TomlKeyPath, start: number, end: number): Range | undefined {
  const contentStart = stringContentStart(file, path);
  if (contentStart === undefined) return file.rangeOfValue(path);
  return { start: contentStart + start, end: contentStart + end };
}

/**
 * An edit that removes the array element at `path` with its comma: the whole line when the element
 * sits alone on it, else the element and the comma (and spaces) after it, or before it for the last
 * element; a comment after the element is kept. Undefined when the element's comma cannot be found.
 */
export function removeArrayElement(file: TomlFile, path: TomlKeyPath): TextEdit | undefined {
  const range = file.rangeOfValue(path);
  if (!range) return undefined;
  const text = file.text;
  let end = range.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const hasComma = text[end] === ',';
  if (hasComma) end++;
  const lineStart = text.lastIndexOf('\n', range.start - 1) + 1;
  const before = text.slice(lineStart, range.start);
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  const after = text.slice(end, lineEnd);
  if (hasComma && before.trim() === '' && after.trim() === '') {
    // Alone on its line: drop the line (and its \r\n or \n).
    return { file: file.path, start: lineStart, end: Math.min(lineEnd + 1, text.length), text: '' };
  }
  if (hasComma) {
    let spaces = end;
    while (spaces < text.length && (text[spaces] === ' ' || text[spaces] === '\t')) spaces++;
    // A comment after the element stays where it is (the line keeps its comment).
    return { file: file.path, start: range.start, end: text[spaces] === '#' ? end : spaces, text: '' };
  }
  // The last element without a trailing comma: remove the comma before it.
  let comma = range.start - 1;
  while (comma >= 0 && /\s/.test(text[comma]!)) comma--;
  if (text[comma] !== ',') return undefined;
  // `a, b]` or `a,\n  b\n]`: drop from that comma to the element's end, keeping what follows.
  return { file: file.path, start: comma, end: range.end, text: '' };
}

/** Where a finding about the value at `path` points: the value, else its nearest existing ancestor. */
export function valueRange(file: TomlFile, path: TomlKeyPath): Range {
  return file.rangeOfValue(path) ?? file.rangeOfNearest(path);
}

/** Where a finding about the key at `path` points: `key = value` (or the `[table]` header), else the nearest ancestor. */
export function entryRange(file: TomlFile, path: TomlKeyPath): Range {
  return file.rangeOfEntry(path) ?? file.rangeOfNearest(path);
}

/** The line a finding about the value at `path` points at (see valueRange), for messages that name a second place. */
export function valueLine(file: TomlFile, path: TomlKeyPath): number {
  return file.positionAt(valueRange(file, path).start).line;
}

/** `file:line` of the value at `path`, for messages that point at the other end. */
export function valueAt(file: TomlFile, path: TomlKeyPath): string {
  return `${file.path}:${valueLine(file, path)}`;
}
