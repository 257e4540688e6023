import type { Range } from '../project/source-file.js';

export type HtmlEvent =
  | { kind: 'open-a'; href: string | undefined; hrefRange: Range }
  | { kind: 'close-a' }
  | { kind: 'img'; src: string; alt: string; range: Range; srcRange: Range };

const TAG = /<(\/?)(a|img)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;

/**
 * The <a href> and <img src> tags of an HTML fragment (a Markdown HTML block or inline tag), in
 * order, with offsets into the fragment. Tags inside comments are skipped. Enough to find badges
 * written as HTML; it is not a general HTML parser.
 */
export function scanHtml(text: string): HtmlEvent[] {
  const comments: Range[] = [];
  for (const match of text.matchAll(/<!--[\s\S]*?(?:-->|$)/g)) comments.push({ start: match.index, end: match.index + match[0].length });
  const inComment = (offset: number): boolean => comments.some((comment) => offset >= comment.start && offset < comment.end);
  const events: HtmlEvent[] = [];
  for (const match of text.matchAll(TAG)) {
    if (inComment(match.index)) continue;
    const closing = match[1] === '/';
    const name = match[2]!.toLowerCase();
    if (closing) {
      if (name === 'a') events.push({ kind: 'close-a' });
      continue;
    }
    const attributesStart = match.index + 1 + match[2]!.length;
    const attributes = new Map<string, { value: string; range: Range }>();
    for (const attribute of match[3]!.matchAll(ATTRIBUTE)) {
      const raw = attribute[3] ?? attribute[4] ?? attribute[5] ?? '';
      const quoted = attribute[3] !== undefined || attribute[4] !== undefined;
      const valueStart = attributesStart + attribute.index + attribute[0].length - raw.length - (quoted ? 1 : 0);
      const key = attribute[1]!.toLowerCase();
      if (!attributes.has(key)) attributes.set(key, { value: decodeEntities(raw), range: { start: valueStart, end: valueStart + raw.length } });
    }
    const tagRange = { start: match.index, end: match.index + match[0].length };
    if (name === 'a') {
      const href = attributes.get('href');
      events.push({ kind: 'open-a', href: href?.value, hrefRange: href?.range ?? tagRange });
    } else {
      const src = attributes.get('src');
      if (!src) continue;
      events.push({ kind: 'img', src: src.value, alt: attributes.get('alt')?.value ?? '', range: tagRange, srcRange: src.range });
    }
  }
  return events;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
