import type { Range, SourceFile } from '../project/source-file.js';
import { sectionIndex, type DocCell, type DocCode, type DocCodeBlock, type DocHeading, type DocImage, type DocList, type DocListItem, type DocModel, type DocRow, type DocTable } from './model.js';

/** A section underline/overline: one punctuation character repeated (docutils' adornment characters). */
const ADORNMENT = /^([!-/:-@[-`{-~])\1*\s*$/;
const EXPLICIT = /^(\s*)\.\.(?:\s+(.*))?$/;
const IMAGE_DIRECTIVE = /^(?:\|([^|]+)\|\s+)?(image|figure)::\s*(\S*)\s*$/;
const CODE_DIRECTIVE = /^(code-block|code|sourcecode|highlight)::\s*(.*)$/;
const HYPERLINK_TARGET = /^_([^:]+|`[^`]+`):\s*(\S*)\s*$/;
const BULLET = /^(\s*)([-*+\u2022]|\d+[.)]|#\.|\(\d+\))(\s+)(.*)$/;
// The value is trimmed in code: `\s*(.*?)\s*$` retries the trailing spaces at every character of a long line.
const OPTION = /^\s+:([A-Za-z][\w-]*):(.*)$/;
const INLINE_LITERAL = /``([^`]+?)``/g;

/**
 * A reStructuredText reader for what the readme and secrets rules need: section titles, image and
 * figure directives (plain or as `|substitution|` definitions) with `:target:` and `:alt:`,
 * inline literals, literal blocks and code directives, bullet and enumerated lists, and grid and
 * simple tables, each with its position. Lines inside comments and directive bodies are not read
 * as text.
 */
export function readRst(file: SourceFile): DocModel {
  const lines: string[] = [];
  for (let line = 1; line <= file.lineCount; line++) lines.push(file.lineText(line));
  const start = (index: number): number => file.offsetAt(index + 1, 1);
  const end = (index: number): number => start(index) + lines[index]!.length;
  const lineRange = (index: number, from = 0, to = lines[index]!.length): Range => ({ start: start(index) + from, end: start(index) + to });
  const indentOf = (text: string): number => text.length - text.trimStart().length;
  const blank = (index: number): boolean => index >= lines.length || lines[index]!.trim() === '';

  /** Lines that are not running text: literal blocks, directive bodies, comments. */
  const opaque = new Set<number>();
  const codeBlocks: Omit<DocCodeBlock, 'section'>[] = [];
  const images: Omit<DocImage, 'section'>[] = [];
  const targets = new Map<string, { href: string; range: Range }>();

  /** The indented block that follows line `index` (at more indentation than `base`): its last line. */
  const blockEnd = (index: number, base: number): number => {
    let last = index;
    for (let next = index + 1; next < lines.length; next++) {
      if (blank(next)) continue;
      if (indentOf(lines[next]!) <= base) break;
      last = next;
    }
    return last;
  };

  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!;
    const explicit = EXPLICIT.exec(text);
    if (explicit) {
      const base = explicit[1]!.length;
      const body = explicit[2] ?? '';
      const last = blockEnd(index, base);
      const image = IMAGE_DIRECTIVE.exec(body);
      const code = CODE_DIRECTIVE.exec(body);
      const target = HYPERLINK_TARGET.exec(body);
      for (let line = index; line <= last; line++) opaque.add(line);
      if (image) {
        images.push(readImageDirective(index, last, image));
      } else if (code) {
        const first = firstContentLine(index + 1, last);
        codeBlocks.push({ text: first === undefined ? '' : lines.slice(first, last + 1).join('\n'), info: code[2]!.trim(), range: { start: start(index), end: end(last) }, line: index + 1 });
      } else if (target) {
        const name = target[1]!.replace(/^`|`$/g, '').trim().toLowerCase();
        const href = target[2] || (last > index ? lines[index + 1]!.trim() : '');
        const at = text.lastIndexOf(href);
        targets.set(name, { href, range: href && at >= 0 ? lineRange(index, at, at + href.length) : lineRange(index) });
      }
      index = last;
      continue;
    }
    // A paragraph ending in "::" introduces an indented literal block.
    if (/::\s*$/.test(text) && !blank(index)) {
      const base = indentOf(text);
      let next = index + 1;
      while (next < lines.length && blank(next)) next++;
      if (next < lines.length && indentOf(lines[next]!) > base) {
        const last = blockEnd(next - 1, base);
        for (let line = next; line <= last; line++) opaque.add(line);
        codeBlocks.push({ text: lines.slice(next, last + 1).join('\n'), info: '', range: { start: start(next), end: end(last) }, line: next + 1 });
        index = last;
      }
    }
  }

  function firstContentLine(from: number, last: number): number | undefined {
    // Skip the directive's options and the blank line after them.
    let line = from;
    while (line <= last && OPTION.test(lines[line]!)) line++;
    while (line <= last && blank(line)) line++;
    return line <= last ? line : undefined;
  }

  function readImageDirective(index: number, last: number, match: RegExpExecArray): Omit<DocImage, 'section'> {
    const text = lines[index]!;
    let src = match[3]!;
    let srcRange: Range;
    if (src) {
      const at = text.lastIndexOf(src);
      srcRange = lineRange(index, at, at + src.length);
    } else {
      // The URL on the next line.
      const next = index + 1 <= last ? lines[index + 1]!.trim() : '';
      src = OPTION.test(lines[index + 1] ?? '') ? '' : next;
      const at = src ? lines[index + 1]!.indexOf(src) : 0;
      srcRange = src ? lineRange(index + 1, at, at + src.length) : lineRange(index);
    }
    let alt = '';
    let link: DocImage['link'];
    for (let line = index + 1; line <= last; line++) {
      const option = OPTION.exec(lines[line]!);
      if (!option) continue;
      const value = option[2]!.trim();
      const at = lines[line]!.lastIndexOf(value);
      if (option[1] === 'target') link = { href: value, range: lineRange(line, at, at + value.length) };
      if (option[1] === 'alt') alt = value;
    }
    const name = match[1]?.trim();
    const image: Omit<DocImage, 'section'> = {
      src,
      alt: alt || (name ?? ''),
      srcRange,
      syntax: name ? 'rst-substitution' : 'rst',
      link,
      inTable: false,
      range: { start: start(index) + text.indexOf('..'), end: end(last) },
      line: index + 1,
    };
    if (name) image.substitution = { name, references: [] };
    return image;
  }

  // Section titles: text with an underline (and optionally an overline) of one adornment character.
  const headings: DocHeading[] = [];
  const styles: string[] = [];
  for (let index = 0; index + 1 < lines.length; index++) {
    if (opaque.has(index) || blank(index)) continue;
    const title = lines[index]!.trimEnd();
    const under = lines[index + 1]!;
    if (ADORNMENT.test(title) || !ADORNMENT.test(under) || under.trim().length < Math.min(3, title.trim().length)) continue;
    if (index > 0 && !blank(index - 1) && !ADORNMENT.test(lines[index - 1]!)) continue;
    const over = index > 0 && ADORNMENT.test(lines[index - 1]!) && lines[index - 1]![0] === under[0];
    // Only an overlined title may be inset.
    if (indentOf(title) > 0 && !over) continue;
    const style = `${under[0]}${over ? 'o' : ''}`;
    if (!styles.includes(style)) styles.push(style);
    headings.push({ level: styles.indexOf(style) + 1, text: title.trim(), line: index + 1, range: lineRange(index, indentOf(title)), blockEnd: end(index + 1) });
    opaque.add(index + 1);
    if (over) opaque.add(index - 1);
    index++;
  }

  // Inline literals and |substitution| references in running text.
  const code: Omit<DocCode, 'section'>[] = [];
  /** The same entries by 1-based line: list items and table cells look up their own line only. */
  const codeByLine = new Map<number, Omit<DocCode, 'section'>[]>();
  const substitutions = new Map(images.filter((image) => image.substitution).map((image) => [image.substitution!.name, image]));
  for (let index = 0; index < lines.length; index++) {
    if (opaque.has(index)) continue;
    const text = lines[index]!;
    for (const match of text.matchAll(INLINE_LITERAL)) {
      const from = match.index + 2;
      const entry = { text: match[1]!, range: lineRange(index, from, from + match[1]!.length), line: index + 1 };
      code.push(entry);
      const onLine = codeByLine.get(entry.line);
      if (onLine) onLine.push(entry);
      else codeByLine.set(entry.line, [entry]);
    }
    for (const match of text.matchAll(/\|([^|\s][^|]*)\|(_{0,2})/g)) {
      const image = substitutions.get(match[1]!.trim());
      if (!image) continue;
      image.substitution!.references.push(lineRange(index, match.index, match.index + match[0].length));
      // `|name|_` links the image to the target `.. _name: URL`.
      if (match[2] && !image.link) image.link = targets.get(match[1]!.trim().toLowerCase());
    }
  }

  const lists = readLists();
  const tables = readTables();

  function readLists(): Omit<DocList, 'section'>[] {
    const found: Omit<DocList, 'section'>[] = [];
    // Open lists, outermost first; a deeper bullet opens a nested list.
    const open: { list: Omit<DocList, 'section'>; indent: number }[] = [];
    const extend = (index: number): void => {
      for (const { list } of open) {
        list.lastLine = index + 1;
        list.range = { start: list.range.start, end: end(index) };
      }
    };
    for (let index = 0; index < lines.length; index++) {
      if (opaque.has(index)) {
        if (!blank(index) && open.length > 0 && indentOf(lines[index]!) <= open[0]!.indent) open.length = 0;
        continue;
      }
      if (blank(index)) continue;
      const text = lines[index]!;
      const bullet = BULLET.exec(text);
      const indent = indentOf(text);
      if (bullet && !ADORNMENT.test(text.trim())) {
        const ordered = !/^[-*+\u2022]$/.test(bullet[2]!);
        while (open.length > 0 && open[open.length - 1]!.indent > indent) open.pop();
        let top = open[open.length - 1];
        if (top && (top.indent !== indent || top.list.ordered !== ordered)) {
          if (top.indent === indent) open.pop();
          top = undefined;
        }
        if (!top) {
          top = { list: { ordered, items: [], lastLine: index + 1, range: lineRange(index), line: index + 1 }, indent };
          open.push(top);
          found.push(top.list);
        }
        const item: DocListItem = { line: index + 1, range: lineRange(index), text: bullet[4]!, code: [], marker: bullet[2]!, indent };
        item.code = (codeByLine.get(index + 1) ?? []).map((entry) => ({ ...entry, section: [] }));
        top.list.items.push(item);
        extend(index);
        continue;
      }
      const top = open[open.length - 1];
      if (top && indent > top.indent) {
        // A continuation line of the last item.
        extend(index);
        continue;
      }
      open.length = 0;
    }
    return found;
  }

  function readTables(): Omit<DocTable, 'section'>[] {
    const found: Omit<DocTable, 'section'>[] = [];
    for (let index = 0; index < lines.length; index++) {
      if (opaque.has(index)) continue;
      const text = lines[index]!;
      if (/^\s*\+(?:-+\+)+\s*$/.test(text)) {
        const table = readGridTable(index);
        found.push(table.table);
        index = table.last;
      } else if (/^\s*=+(?:\s+=+)+\s*$/.test(text)) {
        const table = readSimpleTable(index);
        if (table) {
          found.push(table.table);
          index = table.last;
        }
      }
    }
    return found;
  }

  function cellsAt(index: number, columns: Range[]): DocCell[] {
    const text = lines[index]!;
    return columns.map((column) => {
      const raw = text.slice(column.start, Math.min(column.end, text.length));
      const lead = raw.length - raw.trimStart().length;
      const range = lineRange(index, column.start + lead, column.start + lead + raw.trim().length);
      const inCell = (codeByLine.get(index + 1) ?? []).filter((entry) => entry.range.start >= range.start && entry.range.end <= range.end);
      return { text: raw.trim(), range, code: inCell.map((entry) => ({ ...entry, section: [] })) };
    });
  }

  function readGridTable(first: number): { table: Omit<DocTable, 'section'>; last: number } {
    const border = lines[first]!;
    const plus = [...border.matchAll(/\+/g)].map((match) => match.index);
    const columns = plus.slice(0, -1).map((at, column) => ({ start: at + 1, end: plus[column + 1]! }));
    const rows: DocRow[] = [];
    let header: DocCell[] = [];
    let last = first;
    let pending: DocRow | undefined;
    for (let index = first + 1; index < lines.length; index++) {
      const text = lines[index]!;
      if (/^\s*\+[-=+]+\+\s*$/.test(text)) {
        if (pending) rows.push(pending);
        pending = undefined;
        last = index;
        if (text.includes('=')) {
          header = rows.flatMap((row) => row.cells).slice(0, columns.length);
          rows.length = 0;
        }
        continue;
      }
      if (!/^\s*\|/.test(text)) break;
      opaque.add(index);
      // Multi-line rows: the row's first line carries its position.
      pending ??= { line: index + 1, range: lineRange(index), cells: cellsAt(index, columns) };
    }
    return { table: { header, rows, lastLine: last + 1, range: { start: start(first), end: end(last) }, line: first + 1 }, last };
  }

  function readSimpleTable(first: number): { table: Omit<DocTable, 'section'>; last: number } | undefined {
    const border = lines[first]!;
    const columns = [...border.matchAll(/=+/g)].map((match, column, all) => ({ start: match.index, end: column + 1 < all.length ? all[column + 1]!.index - 1 : Number.MAX_SAFE_INTEGER }));
    const borders = [first];
    const body: number[] = [];
    for (let index = first + 1; index < lines.length; index++) {
      if (/^\s*=+(?:\s+=+)+\s*$/.test(lines[index]!)) {
        borders.push(index);
        if (borders.length === 3 || (borders.length === 2 && (blank(index + 1) || index + 1 >= lines.length) && !hasLaterBorder(index))) break;
        continue;
      }
      if (blank(index) && borders.length >= 2) break;
      body.push(index);
    }
    if (borders.length < 2) return undefined;
    const last = borders[borders.length - 1]!;
    const headerLines = borders.length === 3 ? body.filter((line) => line < borders[1]!) : [];
    const rowLines = body.filter((line) => (headerLines.length === 0 || line > headerLines[headerLines.length - 1]!) && !blank(line));
    const header = headerLines.length > 0 ? cellsAt(headerLines[0]!, columns) : [];
    const rows = rowLines.map((line) => ({ line: line + 1, range: lineRange(line), cells: cellsAt(line, columns) }));
    for (let line = first; line <= last; line++) opaque.add(line);
    return { table: { header, rows, lastLine: last + 1, range: { start: start(first), end: end(last) }, line: first + 1 }, last };
  }

  function hasLaterBorder(index: number): boolean {
    for (let next = index + 1; next < lines.length && !blank(next); next++) if (/^\s*=+(?:\s+=+)+\s*$/.test(lines[next]!)) return true;
    return false;
  }

  const sectionAt = sectionIndex(headings);
  const withSection = <T extends { range: Range }>(node: T): T & { section: DocHeading[] } => Object.assign(node, { section: sectionAt(node.range.start) });
  return {
    file,
    format: 'rst',
    headings,
    images: images.map(withSection),
    code: code.map(withSection),
    codeBlocks: codeBlocks.map(withSection),
    tables: tables.map(withSection),
    lists: lists.map(withSection),
  };
}
