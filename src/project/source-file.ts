import type { Location } from '../types.js';

/** A half-open range of UTF-16 offsets into a file's text (BOM excluded). */
export interface Range {
  start: number;
  end: number;
}

const BOM = '\uFEFF';

/** The value at a key path in parsed data (object keys, array indices), or undefined. */
export function valueAtPath(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/**
 * A file as the linter read it. `text` never carries the BOM, so offsets from parsers,
 * fixes and suppressions all agree; `bom` and `eol` let a fix write the file back as it was.
 */
export class SourceFile {
  readonly bom: boolean;
  readonly text: string;
  readonly eol: '\n' | '\r\n';
  private lineStartsCache: number[] | undefined;

  constructor(
    /** Repo-relative POSIX path. */
    readonly path: string,
    raw: string,
  ) {
    this.bom = raw.startsWith(BOM);
    this.text = this.bom ? raw.slice(1) : raw;
    this.eol = /\r\n/.test(this.text) ? '\r\n' : '\n';
  }

  /** The bytes to write back for `text` (the BOM restored). */
  serialize(text: string): string {
    return this.bom ? BOM + text : text;
  }

  private get lineStarts(): number[] {
    if (!this.lineStartsCache) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) {
        if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      }
      this.lineStartsCache = starts;
    }
    return this.lineStartsCache;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line and column of an offset. */
  positionAt(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - starts[low]! + 1 };
  }

  /** Offset of a 1-based line and column. */
  offsetAt(line: number, column: number): number {
    const starts = this.lineStarts;
    const index = Math.max(0, Math.min(line - 1, starts.length - 1));
    return Math.min(starts[index]! + Math.max(0, column - 1), this.text.length);
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.lineStarts;
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next).replace(/\r?\n$/, '');
  }

  locationOf(range: Range): Location {
    const start = this.positionAt(range.start);
    const end = this.positionAt(range.end);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }
}
