import MarkdownIt, { type StateBlock, type StateInline, type Token } from 'markdown-it';
import type { Range, SourceFile } from '../project/source-file.js';
import { scanHtml } from './html.js';
import { sectionIndex, type DocCell, type DocCode, type DocCodeBlock, type DocHeading, type DocImage, type DocLink, type DocList, type DocListItem, type DocModel, type DocRow, type DocTable } from './model.js';

type InlineRule = (state: StateInline, silent: boolean) => boolean;
type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

/** Where an inline rule matched, in the inline token's content: what the wrappers below record. */
interface InlineSpan {
  start: number;
  end: number;
}

/** A reference definition `[label]: url`, with the lines it spans (0-based, end exclusive). */
interface Definition {
  label: string;
  href: string;
  startLine: number;
  endLine: number;
}

interface ParseEnv {
  references?: Record<string, { href: string; title: string }>;
  definitions?: Definition[];
}

/**
 * markdown-it with positions: its tokens carry block line maps only, so the inline rules that
 * produce what the rules report on (images, links, code spans, inline HTML) are wrapped to record
 * where they matched, and reference definitions record their lines. The parsing itself is
 * markdown-it's (CommonMark plus GFM tables), so reference-style badges, HTML and tables are
 * read the way GitHub and PyPI render them.
 */
function createParser(): MarkdownIt {
  const md = new MarkdownIt('default', { html: true, linkify: false });
  const inlineRules = (md.inline.ruler as unknown as { __rules__: { name: string; fn: InlineRule }[] }).__rules__;
  for (const name of ['image', 'link', 'backticks', 'html_inline', 'autolink']) {
    const original = inlineRules.find((rule) => rule.name === name)?.fn;
    if (!original) continue;
    md.inline.ruler.at(name, (state, silent) => {
      const start = state.pos;
      const before = state.tokens.length;
      const matched = original(state, silent);
      // Text pending before the match is pushed first: the rule's own token is the first non-text one.
      const token = matched && !silent ? state.tokens.slice(before).find((candidate) => candidate.type !== 'text') : undefined;
      if (token) token.meta = { ...(token.meta as object | null), span: { start, end: state.pos } satisfies InlineSpan };
      return matched;
    });
  }
  const blockRules = (md.block.ruler as unknown as { __rules__: { name: string; fn: BlockRule; alt: string[] }[] }).__rules__;
  const reference = blockRules.find((rule) => rule.name === 'reference');
  if (reference) {
    const original = reference.fn;
    md.block.ruler.at(
      'reference',
      (state, startLine, endLine, silent) => {
        const env = state.env as ParseEnv;
        const known = new Set(Object.keys(env.references ?? {}));
        const matched = original(state, startLine, endLine, silent);
        if (matched && !silent) {
          for (const [label, value] of Object.entries(env.references ?? {})) {
            if (known.has(label)) continue;
            (env.definitions ??= []).push({ label, href: value.href, startLine, endLine: state.line });
          }
        }
        return matched;
      },
      { alt: reference.alt },
    );
  }
  return md;
}

let parser: MarkdownIt | undefined;

/** Maps offsets in an inline token's content to offsets in the file. */
type OffsetMap = (offset: number) => number;

export function readMarkdown(file: SourceFile): DocModel {
  parser ??= createParser();
  const md = parser;
  const env: ParseEnv = {};
  const tokens = md.parse(file.text, env);
  const model: DocModel = { file, format: 'markdown', headings: [], images: [], code: [], codeBlocks: [], tables: [], lists: [] };
  const definitions = new Map((env.definitions ?? []).map((definition) => [definition.label, definition]));
  const lineStart = (line0: number): number => file.offsetAt(line0 + 1, 1);
  const lineEnd = (line0: number): number => lineStart(line0) + file.lineText(line0 + 1).length;

  /** Offset map for inline content whose line i is written on source line firstLine + i. */
  const linesMap = (content: string, firstLine: number): OffsetMap => {
    const anchors: { content: number; source: number }[] = [];
    let position = 0;
    content.split('\n').forEach((text, index) => {
      const source = file.lineText(firstLine + index + 1);
      const start = lineStart(firstLine + index);
      const column = text === '' ? -1 : source.indexOf(text);
      const trimmed = text.trimStart();
      // Leading tabs come back expanded to spaces: anchor the line at its first non-blank character then.
      const trimmedColumn = column < 0 && trimmed !== '' ? source.indexOf(trimmed) : -1;
      if (column >= 0) anchors.push({ content: position, source: start + column });
      else if (trimmedColumn >= 0) anchors.push({ content: position + text.length - trimmed.length, source: start + trimmedColumn });
      else anchors.push({ content: position, source: start + Math.max(0, source.length - text.length) });
      position += text.length + 1;
    });
    return (offset) => {
      let anchor = anchors[0]!;
      for (const candidate of anchors) if (candidate.content <= offset) anchor = candidate;
      return anchor.source + (offset - anchor.content);
    };
  };

  const definitionUrl = (label: string): { href: string; range: Range } | undefined => {
    const definition = definitions.get(label);
    if (!definition) return undefined;
    const start = lineStart(definition.startLine);
    const end = lineEnd(definition.endLine - 1);
    const text = file.text.slice(start, end);
    const colon = text.indexOf(']:');
    const at = findUrl(text, definition.href, colon < 0 ? 0 : colon + 2);
    return { href: definition.href, range: at ? { start: start + at.start, end: start + at.end } : { start, end } };
  };

  const pendingImages: Omit<DocImage, 'section'>[] = [];
  const pendingCode: Omit<DocCode, 'section'>[] = [];

  /** Reads the children of one inline token: images (with the link around them) and code spans. */
  const readInline = (token: Token, map: OffsetMap, inTable: boolean): DocCode[] => {
    const codes: DocCode[] = [];
    const links: (DocLink | undefined)[] = [];
    for (const child of token.children ?? []) {
      const span = (child.meta as { span?: InlineSpan } | null)?.span;
      const range = span ? { start: map(span.start), end: map(span.end) } : undefined;
      if (child.type === 'link_open') {
        links.push(linkOf(child.attrGet('href') ?? '', span, token.content, map, definitionUrl));
      } else if (child.type === 'link_close') {
        links.pop();
      } else if (child.type === 'code_inline' && range && span) {
        const inner = token.content.slice(span.start + child.markup.length, span.end - child.markup.length);
        const at = inner.indexOf(child.content);
        const start = at < 0 ? range.start : map(span.start + child.markup.length + at);
        const code = { text: child.content, range: { start, end: at < 0 ? range.end : start + child.content.length }, line: file.positionAt(start).line, section: [] };
        codes.push(code);
        pendingCode.push(code);
      } else if (child.type === 'image' && range && span) {
        const written = token.content.slice(span.start, span.end);
        const afterLabel = written.slice(2 + child.content.length + 1);
        const src = child.attrGet('src') ?? '';
        let syntax: DocImage['syntax'] = 'markdown';
        let srcRange: Range = range;
        if (afterLabel.startsWith('(')) {
          const at = findUrl(written, src, 2 + child.content.length + 1);
          if (at) srcRange = { start: map(span.start + at.start), end: map(span.start + at.end) };
        } else {
          syntax = 'reference';
          const label = /^\[([^\]]*)\]/.exec(afterLabel)?.[1];
          const definition = definitionUrl(md.utils.normalizeReference(label ? label : child.content));
          if (definition) srcRange = definition.range;
        }
        pendingImages.push({ src, alt: child.content, srcRange, syntax, link: links[links.length - 1], inTable, range, line: file.positionAt(range.start).line });
      } else if (child.type === 'html_inline' && range) {
        for (const event of scanHtml(child.content)) {
          if (event.kind === 'open-a') links.push(event.href === undefined ? undefined : { href: event.href, range: shift(event.hrefRange, range.start) });
          else if (event.kind === 'close-a') links.pop();
          else pendingImages.push(htmlImage(event, range.start, links[links.length - 1], inTable));
        }
      }
    }
    return codes;
  };

  const htmlImage = (event: Extract<ReturnType<typeof scanHtml>[number], { kind: 'img' }>, base: number, link: DocLink | undefined, inTable: boolean): Omit<DocImage, 'section'> => {
    const range = shift(event.range, base);
    return { src: event.src, alt: event.alt, srcRange: shift(event.srcRange, base), syntax: 'html', link, inTable, range, line: file.positionAt(range.start).line };
  };

  const listStack: { list: Omit<DocList, 'section'>; depth: number }[] = [];
  let depth = 0;
  let row: DocRow | undefined;
  let table: Omit<DocTable, 'section'> | undefined;
  let inHead = false;
  let rowCells: Range[] = [];

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.nesting === 1) depth++;
    if (token.nesting === -1) depth--;
    switch (token.type) {
      case 'heading_open': {
        const inline = tokens[index + 1]!;
        const [first, last] = token.map!;
        const range = { start: lineStart(first), end: lineEnd(token.markup.startsWith('#') ? first : last - 2) };
        readInline(inline, linesMap(inline.content, first), false);
        model.headings.push({ level: Number(token.tag.slice(1)), text: plainText(inline), line: first + 1, range, blockEnd: lineEnd(last - 1) });
        index++;
        break;
      }
      case 'paragraph_open': {
        const inline = tokens[index + 1]!;
        const codes = readInline(inline, linesMap(inline.content, token.map![0]), false);
        const owner = listStack[listStack.length - 1];
        // The first paragraph of a list item is the item's text.
        const item = owner?.list.items[owner.list.items.length - 1];
        if (owner && item && item.text === '' && depth === owner.depth + 2 && item.line === token.map![0] + 1) {
          item.text = inline.content;
          item.code = codes;
        }
        index++;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const [first, end] = token.map!;
        let lastLine = end;
        while (lastLine > first + 1 && file.lineText(lastLine).trim() === '') lastLine--;
        const list = { ordered: token.type === 'ordered_list_open', items: [], lastLine, range: { start: lineStart(first), end: lineEnd(lastLine - 1) }, line: first + 1 };
        listStack.push({ list, depth });
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close': {
        const done = listStack.pop();
        if (done) model.lists.push(done.list as DocList);
        break;
      }
      case 'list_item_open': {
        const owner = listStack[listStack.length - 1];
        if (!owner) break;
        const line0 = token.map![0];
        const text = file.lineText(line0 + 1);
        const marker = token.info ? `${token.info}${token.markup}` : token.markup;
        const indent = Math.max(0, text.indexOf(marker));
        const item: DocListItem = { line: line0 + 1, range: { start: lineStart(line0), end: lineEnd(line0) }, text: '', code: [], marker, indent };
        owner.list.items.push(item);
        break;
      }
      case 'table_open': {
        const [first, end] = token.map!;
        let lastLine = end;
        while (lastLine > first + 1 && file.lineText(lastLine).trim() === '') lastLine--;
        table = { header: [], rows: [], lastLine, range: { start: lineStart(first), end: lineEnd(lastLine - 1) }, line: first + 1 };
        break;
      }
      case 'table_close':
        if (table) model.tables.push(table as DocTable);
        table = undefined;
        break;
      case 'thead_open':
        inHead = true;
        break;
      case 'thead_close':
        inHead = false;
        break;
      case 'tr_open': {
        const line0 = token.map![0];
        rowCells = splitRow(file.lineText(line0 + 1)).map((cell) => shift(cell, lineStart(line0)));
        row = { line: line0 + 1, range: { start: lineStart(line0), end: lineEnd(line0) }, cells: [] };
        break;
      }
      case 'tr_close':
        if (table && row) {
          if (inHead) table.header = row.cells;
          else table.rows.push(row);
        }
        row = undefined;
        break;
      case 'inline': {
        // Table cells: the only inline tokens not consumed by a heading or paragraph above.
        if (!row) break;
        const cellRange = rowCells[row.cells.length] ?? { start: row.range.end, end: row.range.end };
        const codes = readInline(token, (offset) => cellRange.start + offset, true);
        row.cells.push({ text: file.text.slice(cellRange.start, cellRange.end), range: cellRange, code: codes } satisfies DocCell);
        break;
      }
      case 'fence':
      case 'code_block': {
        const [first, end] = token.map!;
        const block: Omit<DocCodeBlock, 'section'> = { text: token.content, info: token.info.trim(), range: { start: lineStart(first), end: lineEnd(end - 1) }, line: first + 1 };
        model.codeBlocks.push(block as DocCodeBlock);
        break;
      }
      case 'html_block': {
        const [first, end] = token.map!;
        const start = lineStart(first);
        const text = file.text.slice(start, lineEnd(end - 1));
        const links: (DocLink | undefined)[] = [];
        for (const event of scanHtml(text)) {
          if (event.kind === 'open-a') links.push(event.href === undefined ? undefined : { href: event.href, range: shift(event.hrefRange, start) });
          else if (event.kind === 'close-a') links.pop();
          else pendingImages.push(htmlImage(event, start, links[links.length - 1], /<t[dh]\b/i.test(text)));
        }
        break;
      }
      default:
        break;
    }
  }

  const sectionAt = sectionIndex(model.headings);
  const withSection = <T extends { range: Range }>(node: T): T & { section: DocHeading[] } => Object.assign(node, { section: sectionAt(node.range.start) });
  model.images = pendingImages.map(withSection).sort((a, b) => a.range.start - b.range.start);
  model.code = pendingCode.map(withSection).sort((a, b) => a.range.start - b.range.start);
  model.codeBlocks = model.codeBlocks.map(withSection);
  model.tables = model.tables.map(withSection).sort((a, b) => a.range.start - b.range.start);
  model.lists = model.lists.map(withSection).sort((a, b) => a.range.start - b.range.start);
  return model;
}

function linkOf(href: string, span: InlineSpan | undefined, content: string, map: OffsetMap, definitionUrl: (label: string) => { href: string; range: Range } | undefined): DocLink {
  if (!span) return { href, range: { start: map(0), end: map(content.length) } };
  const written = content.slice(span.start, span.end);
  const close = written.lastIndexOf('](');
  if (close >= 0 && written.endsWith(')')) {
    const at = findUrl(written, href, close + 2);
    if (at) return { href, range: { start: map(span.start + at.start), end: map(span.start + at.end) } };
  }
  const label = /\]\[([^\]]*)\]$/.exec(written)?.[1];
  const normalized = (label ? label : written.replace(/^\[|\](\[\])?$/g, '')).trim().replace(/\s+/g, ' ').toUpperCase();
  const definition = definitionUrl(normalized);
  if (definition) return { href, range: definition.range };
  return { href, range: { start: map(span.start), end: map(span.end) } };
}

/** Where a (normalised) URL is written in `text`, from `from`: as is, or percent-decoded. */
function findUrl(text: string, url: string, from: number): Range | undefined {
  if (url === '') return undefined;
  const candidates = [url];
  try {
    candidates.push(decodeURI(url));
  } catch {
    // not decodable: only the normalised form
  }
  for (const candidate of candidates) {
    const at = text.indexOf(candidate, from);
    if (at >= 0) return { start: at, end: at + candidate.length };
  }
  return undefined;
}

/** Cell ranges of a GFM table row (offsets in the line), split as markdown-it splits it: at unescaped pipes. */
function splitRow(line: string): Range[] {
  const cells: Range[] = [];
  let start = 0;
  for (let index = 0; index <= line.length; index++) {
    if (index === line.length || (line[index] === '|' && line[index - 1] !== '\\')) {
      cells.push({ start, end: index });
      start = index + 1;
    }
  }
  const trimmed = cells.map((cell) => {
    const text = line.slice(cell.start, cell.end);
    const lead = text.length - text.trimStart().length;
    return { start: cell.start + lead, end: cell.start + lead + text.trim().length };
  });
  if (trimmed.length > 0 && trimmed[0]!.start === trimmed[0]!.end) trimmed.shift();
  if (trimmed.length > 0 && trimmed[trimmed.length - 1]!.start === trimmed[trimmed.length - 1]!.end) trimmed.pop();
  return trimmed;
}

function shift(range: Range, by: number): Range {
  return { start: range.start + by, end: range.end + by };
}

/** The text of an inline token without markup (a heading's words). */
function plainText(token: Token): string {
  return (token.children ?? [])
    .map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : child.type === 'image' ? child.content : child.type === 'softbreak' ? ' ' : ''))
    .join('')
    .trim();
}
