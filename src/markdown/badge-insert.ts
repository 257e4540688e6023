import type { TextEdit } from '../types.js';
import { looksLikeBadge } from './badges.js';
import type { DocImage, DocModel } from './model.js';

/** A badge to add: the image, its link, its alt text, and a base for reference labels. */
export interface NewBadge {
  alt: string;
  src: string;
  href: string;
  label: string;
}

/**
 * The edits that add `badges` to a README in the style of the badges already there: beside the
 * existing badge block when it sits under the first heading (one per line, or on the same line,
 * as those are written), as inline Markdown, reference-style Markdown with definitions, HTML, or
 * reST image directives / substitutions; under the first heading when there are none. Undefined
 * when the style cannot be followed (badges in a table).
 */
export function badgeInsertion(doc: DocModel, badges: NewBadge[]): TextEdit[] | undefined {
  if (badges.length === 0) return undefined;
  const file = doc.file;
  const existing = doc.images.filter((image) => looksLikeBadge(image.src));
  const secondHeading = doc.headings[1]?.range.start ?? Number.POSITIVE_INFINITY;
  const block = badgeBlock(doc, existing);
  const at = (offset: number, text: string): TextEdit => ({ file: file.path, start: offset, end: offset, text });
  const endOfLine = (line: number): number => file.offsetAt(line, 1) + file.lineText(line).length;

  if (block && block.images[0]!.range.start < secondHeading) {
    const last = block.images[block.images.length - 1]!;
    if (block.images.some((image) => image.inTable)) return undefined;
    const onePerLine = block.images.every((image) => block.images.filter((other) => other.line === image.line).length === 1);
    const joiner = onePerLine ? '\n' : ' ';
    const indent = onePerLine ? /^\s*/.exec(file.lineText(last.line))![0] : '';
    switch (last.syntax) {
      case 'markdown':
        return [at(endOfLine(block.lastLine), badges.map((badge) => `${joiner}${indent}${inline(badge)}`).join(''))];
      case 'html':
        return [at(endOfLine(block.lastLine), badges.map((badge) => `${joiner}${indent}${html(badge, last)}`).join(''))];
      case 'reference': {
        const labels = badges.map((badge) => uniqueLabels(file.text, badge.label));
        const definitionLine = largest(existing.filter((image) => image.syntax === 'reference').flatMap((image) => [image.srcRange, image.link?.range].filter((range) => range !== undefined).map((range) => file.positionAt(range.start).line)));
        const definitions = badges.map((badge, index) => `\n[${labels[index]!.image}]: ${badge.src}\n[${labels[index]!.link}]: ${badge.href}`).join('');
        const uses = badges.map((badge, index) => `${joiner}${indent}[![${badge.alt}][${labels[index]!.image}]][${labels[index]!.link}]`).join('');
        return [at(endOfLine(block.lastLine), uses), at(endOfLine(definitionLine), definitions)];
      }
      case 'rst': {
        const directives = badges.map((badge) => `\n${rstDirective(badge, undefined)}`).join('');
        return [at(endOfLine(file.positionAt(lastDirectiveEnd(existing)).line), directives)];
      }
      case 'rst-substitution': {
        const names = badges.map((badge) => uniqueSubstitution(file.text, badge.label));
        const references = block.images.flatMap((image) => image.substitution?.references ?? []).sort((a, b) => a.start - b.start);
        const lastReference = references[references.length - 1];
        if (!lastReference) return undefined;
        const referenceLine = file.positionAt(lastReference.start).line;
        // Several references on the last one's line: the new ones go on that line too.
        const sameLine = references.filter((reference) => file.positionAt(reference.start).line === referenceLine).length > 1;
        const refText = names.map((name) => (sameLine ? ` |${name}|` : `\n|${name}|`)).join('');
        const definitions = badges.map((badge, index) => `\n${rstDirective(badge, names[index])}`).join('');
        return [at(endOfLine(referenceLine), refText), at(endOfLine(file.positionAt(lastDirectiveEnd(existing)).line), definitions)];
      }
    }
  }

  // No badges under the first heading: a block of its own right below it.
  const heading = doc.headings[0];
  const lines = doc.format === 'rst' ? badges.map((badge) => rstDirective(badge, undefined)) : badges.map(inline);
  if (!heading) return [at(0, `${lines.join('\n')}\n\n`)];
  const headingEndLine = file.positionAt(heading.blockEnd).line;
  const nextIsBlank = headingEndLine >= file.lineCount || file.lineText(headingEndLine + 1).trim() === '';
  return [at(heading.blockEnd, `\n\n${lines.join('\n')}${nextIsBlank ? '' : '\n'}`)];
}

/** The first group of badges: the badges on the contiguous non-blank lines around the first one. */
/** Where a README's badges are (its first badge block's first image), else its first heading: where to report a missing badge. */
export function badgePlace(doc: DocModel): { start: number; end: number } {
  const block = badgeBlock(doc, doc.images.filter((image) => looksLikeBadge(image.src)));
  return block?.images[0]!.range ?? doc.headings[0]?.range ?? { start: 0, end: 0 };
}

function badgeBlock(doc: DocModel, badges: DocImage[]): { images: DocImage[]; lastLine: number } | undefined {
  const first = badges[0];
  if (!first) return undefined;
  const file = doc.file;
  let top = first.line;
  while (top > 1 && file.lineText(top - 1).trim() !== '') top--;
  let bottom = first.line;
  while (bottom < file.lineCount && file.lineText(bottom + 1).trim() !== '') bottom++;
  if (first.syntax === 'rst' || first.syntax === 'rst-substitution') {
    // reST directives: the block runs over consecutive directives, blank lines between them allowed.
    const images = badges.filter((image) => image.syntax === first.syntax);
    return { images, lastLine: largest(images.map((image) => file.positionAt(image.range.end).line)) };
  }
  const images = badges.filter((image) => image.line >= top && image.line <= bottom);
  return { images, lastLine: largest(images.map((image) => file.positionAt(image.range.end).line)) };
}

function lastDirectiveEnd(images: DocImage[]): number {
  return largest(images.filter((image) => image.syntax === 'rst' || image.syntax === 'rst-substitution').map((image) => image.range.end));
}

function inline(badge: NewBadge): string {
  return `[![${badge.alt}](${badge.src})](${badge.href})`;
}

function html(badge: NewBadge, like: DocImage): string {
  const image = `<img src="${escapeAttribute(badge.src)}" alt="${escapeAttribute(badge.alt)}">`;
  return like.link ? `<a href="${escapeAttribute(badge.href)}">${image}</a>` : image;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

function rstDirective(badge: NewBadge, substitution: string | undefined): string {
  const head = substitution ? `.. |${substitution}| image:: ${badge.src}` : `.. image:: ${badge.src}`;
  return `${head}\n   :target: ${badge.href}\n   :alt: ${badge.alt}`;
}

/** Reference labels not yet defined in the text. */
function uniqueLabels(text: string, base: string): { image: string; link: string } {
  for (let attempt = 0; ; attempt++) {
    const suffix = attempt === 0 ? '' : `-${attempt + 1}`;
    const image = `${base}-badge${suffix}`;
    const link = `${base}${suffix}`;
    const defined = (label: string): boolean => new RegExp(`^\\s{0,3}\\[${escape(label)}\\]:`, 'im').test(text);
    if (!defined(image) && !defined(link)) return { image, link };
  }
}

function uniqueSubstitution(text: string, base: string): string {
  for (let attempt = 0; ; attempt++) {
    const name = attempt === 0 ? base : `${base}-${attempt + 1}`;
    if (!text.includes(`|${name}|`)) return name;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Math.max of a list of any length (a spread of 100 000 arguments overflows the stack: a README may hold that many images). */
function largest(values: readonly number[]): number {
  return values.reduce((max, value) => Math.max(max, value), -Infinity);
}
