import type { Range, SourceFile } from '../project/source-file.js';

/**
 * What the readme and secrets rules read from a document (Markdown or reStructuredText), every
 * element with its exact range in the file's text. Both readers produce this one shape.
 */
export interface DocHeading {
  level: number;
  /** The heading's text, markup removed ("Tag naming"). */
  text: string;
  /** 1-based line of the heading text. */
  line: number;
  /** The heading's text line (markers included, underline excluded). */
  range: Range;
  /** Offset just past the heading block (after a setext/reST underline, before its line break). */
  blockEnd: number;
}

/** Anything positioned inside a section: `section` lists the enclosing headings, outermost first. */
export interface DocNode {
  range: Range;
  line: number;
  section: DocHeading[];
}

/** Inline code: `x` in Markdown, ``x`` in reST. */
export interface DocCode extends DocNode {
  text: string;
}

/** A fenced or indented code block, a reST literal block or code-block directive. */
export interface DocCodeBlock extends DocNode {
  text: string;
  info: string;
}

export interface DocLink {
  href: string;
  /** The URL as written (or the whole link when the URL cannot be pinned down). */
  range: Range;
}

/** An image: a Markdown image (inline or reference-style), an HTML <img>, a reST image directive. */
export interface DocImage extends DocNode {
  src: string;
  alt: string;
  /** Where the image URL is written: inline, in a reference definition, in a directive. */
  srcRange: Range;
  syntax: 'markdown' | 'reference' | 'html' | 'rst' | 'rst-substitution';
  /** The link around the image, if any (`[![..](src)](href)`, `<a href><img></a>`, `:target:`). */
  link: DocLink | undefined;
  /** The image sits in a table cell. */
  inTable: boolean;
  /** For reST substitutions: the substitution name (`|name|`), and where it is referenced. */
  substitution?: { name: string; references: Range[] };
}

export interface DocCell {
  /** The cell's source text, trimmed. */
  text: string;
  range: Range;
  code: DocCode[];
}

export interface DocRow {
  line: number;
  range: Range;
  cells: DocCell[];
}

export interface DocTable extends DocNode {
  header: DocCell[];
  rows: DocRow[];
  /** 1-based line of the table's last line (its last row). */
  lastLine: number;
}

export interface DocListItem {
  line: number;
  /** The item's first line, marker included. */
  range: Range;
  /** The item's text after the marker (its first paragraph), as written. */
  text: string;
  code: DocCode[];
  /** The marker as written ("-", "*", "1."). */
  marker: string;
  /** Columns before the marker. */
  indent: number;
}

export interface DocList extends DocNode {
  ordered: boolean;
  items: DocListItem[];
  /** 1-based line of the list's last non-blank line. */
  lastLine: number;
}

export interface DocModel {
  file: SourceFile;
  format: 'markdown' | 'rst';
  headings: DocHeading[];
  images: DocImage[];
  code: DocCode[];
  codeBlocks: DocCodeBlock[];
  tables: DocTable[];
  lists: DocList[];
}

/**
 * A lookup of the headings enclosing an offset, outermost first (a later heading of the same or
 * higher level closes a section). Each heading's enclosing one is found once; a lookup is then a
 * binary search and a walk up, so a document with thousands of headings and of nodes stays linear.
 */
export function sectionIndex(headings: readonly DocHeading[]): (offset: number) => DocHeading[] {
  const parent: number[] = [];
  const open: number[] = [];
  headings.forEach((heading, index) => {
    while (open.length > 0 && headings[open[open.length - 1]!]!.level >= heading.level) open.pop();
    parent.push(open.length > 0 ? open[open.length - 1]! : -1);
    open.push(index);
  });
  return (offset) => {
    let low = 0;
    let high = headings.length; // the first heading that starts after offset
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (headings[middle]!.range.start > offset) high = middle;
      else low = middle + 1;
    }
    const chain: DocHeading[] = [];
    for (let index = low - 1; index >= 0; index = parent[index]!) chain.push(headings[index]!);
    return chain.reverse();
  };
}

/** The deepest heading enclosing a node, if any. */
export function nearestHeading(node: DocNode): DocHeading | undefined {
  return node.section[node.section.length - 1];
}
