import type { Range } from '../project/source-file.js';

export type HtmlEvent =
  | { kind: 'open-a'; href: string | undefined; hrefRange: Range }
  | { kind: 'close-a' }
  | { kind: 'img'; src: string; alt: string; range: Range; srcRange: Range };

const TAG_START = /<(\/?)(a|img)\b/gi;
// Attribute names are short; bounding them keeps a 100 KB run of letters with no `=` linear (each
// start would otherwise take the whole run and give it back).
const ATTRIBUTE = /([A-Za-z_:][-A-Za-z0-9_:.]{0,255})\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;

/**
 * The <a href> and <img src> tags of an HTML fragment (a Markdown HTML block or inline tag), in
 * order, with offsets into the fragment. Tags inside comments are skipped. Enough to find badges
 * written as HTML; it is not a general HTML parser.
 */
export function scanHtml(text: string): HtmlEvent[] {
  const comments: Range[] = [];
  for (const match of text.matchAll(/<!--[\s\S]*?(?:-->|$)/g)) comments.push({ start: match.index, end: match.index + match[0].length });
  let comment = 0; // tags come in order, and comments are sorted: one pointer
  const inComment = (offset: number): boolean => {
    while (comment < comments.length && comments[comment]!.end <= offset) comment++;
    return comment < comments.length && offset >= comments[comment]!.start;
  };
  const events: HtmlEvent[] = [];
  for (const match of tags(text)) {
    if (inComment(match.index)) continue;
    const closing = match.slash === '/';
    const name = match.name.toLowerCase();
    if (closing) {
      if (name === 'a') events.push({ kind: 'close-a' });
      continue;
    }
    const attributesStart = match.index + 1 + match.name.length;
    const attributes = new Map<string, { value: string; range: Range }>();
    for (const attribute of match.attributes.matchAll(ATTRIBUTE)) {
      const raw = attribute[3] ?? attribute[4] ?? attribute[5] ?? '';
      const quoted = attribute[3] !== undefined || attribute[4] !== undefined;
      const valueStart = attributesStart + attribute.index + attribute[0].length - raw.length - (quoted ? 1 : 0);
      const key = attribute[1]!.toLowerCase();
      if (!attributes.has(key)) attributes.set(key, { value: decodeEntities(raw), range: { start: valueStart, end: valueStart + raw.length } });
    }
    const tagRange = { start: match.index, end: match.end };
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

interface Tag {
  index: number;
  end: number;
  slash: string;
  name: string;
  /** The text between the name and the closing `>`. */
  attributes: string;
}

/**
 * The `<a …>`, `</a>` and `<img …>` tags, as `<(\/?)(a|img)\b((?:[^>"']|"[^"]*"|'[^']*')*)>` finds
 * them: a tag ends at its first `>` outside quotes, and a quote left open ends the attempt. That
 * expression rescans the rest of the text from every `<a` that never closes; here where a tag that
 * starts at each offset would end is worked out once, from the end of the text back.
 */
function tags(text: string): Tag[] {
  const found: Tag[] = [];
  let closeAt: Int32Array | undefined;
  TAG_START.lastIndex = 0;
  for (let match = TAG_START.exec(text); match !== null; match = TAG_START.exec(text)) {
    closeAt ??= tagEnds(text);
    const after = match.index + match[0].length;
    const close = closeAt[after]!;
    if (close < 0) {
      TAG_START.lastIndex = match.index + 1;
      continue;
    }
    found.push({ index: match.index, end: close + 1, slash: match[1]!, name: match[2]!, attributes: text.slice(after, close) });
    TAG_START.lastIndex = close + 1;
  }
  return found;
}

/** For each offset, the first `>` a tag body starting there reaches outside quotes, or -1. */
function tagEnds(text: string): Int32Array {
  const closeAt = new Int32Array(text.length + 1).fill(-1);
  let nextDouble = -1;
  let nextSingle = -1;
  for (let index = text.length - 1; index >= 0; index--) {
    const char = text[index];
    if (char === '>') closeAt[index] = index;
    else if (char === '"') closeAt[index] = nextDouble < 0 ? -1 : closeAt[nextDouble + 1]!;
    else if (char === "'") closeAt[index] = nextSingle < 0 ? -1 : closeAt[nextSingle + 1]!;
    else closeAt[index] = closeAt[index + 1]!;
    if (char === '"') nextDouble = index;
    if (char === "'") nextSingle = index;
  }
  return closeAt;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
