import { nearestHeading, type DocCell, type DocList, type DocModel, type DocTable } from '../markdown/model.js';
import type { Range, SourceFile } from '../project/source-file.js';

/** How docs write a secret's name: GitHub stores them upper-case, letters, digits and underscores. */
const SECRET_NAME = /^[A-Z][A-Z0-9_]{2,}$/;
const SECRET_HEADING = /\bsecrets?\b/i;

/** Where the docs list secrets: a table with a "Secret" column (or any table in a secrets section), or a list in a secrets section. */
export type SecretContainer =
  | { kind: 'table'; doc: DocModel; table: DocTable; column: number }
  | { kind: 'list'; doc: DocModel; list: DocList };

export interface ListedSecret {
  name: string;
  file: SourceFile;
  range: Range;
  container: SecretContainer;
}

/** The secrets tables and lists of a document, in document order. */
export function secretContainers(doc: DocModel): SecretContainer[] {
  const containers: { start: number; container: SecretContainer }[] = [];
  for (const table of doc.tables) {
    let column = table.header.findIndex((cell) => SECRET_HEADING.test(cell.text));
    if (column < 0 && SECRET_HEADING.test(nearestHeading(table)?.text ?? '')) {
      column = Math.max(0, table.header.findIndex((cell) => /\bname\b/i.test(cell.text)));
    }
    if (column >= 0) containers.push({ start: table.range.start, container: { kind: 'table', doc, table, column } });
  }
  for (const list of doc.lists) {
    if (!SECRET_HEADING.test(nearestHeading(list)?.text ?? '')) continue;
    if (list.items.some((item) => nameOfItem(item.text, item.code) !== undefined)) containers.push({ start: list.range.start, container: { kind: 'list', doc, list } });
  }
  return containers.sort((a, b) => a.start - b.start).map((entry) => entry.container);
}

/** The secret names a container lists, each where it is written. */
export function listedSecrets(container: SecretContainer): ListedSecret[] {
  const file = container.doc.file;
  if (container.kind === 'table') {
    return container.table.rows.flatMap((row) => {
      const cell = row.cells[container.column];
      return cell ? namesInCell(cell).map((entry) => ({ ...entry, file, container })) : [];
    });
  }
  return container.list.items.flatMap((item) => {
    const found = nameOfItem(item.text, item.code);
    if (!found) return [];
    const range = found.range ?? locateWord(file.text, item.range, found.name);
    return [{ name: found.name, range, file, container }];
  });
}

function namesInCell(cell: DocCell): { name: string; range: Range }[] {
  const fromCode = cell.code.filter((code) => SECRET_NAME.test(code.text.trim())).map((code) => ({ name: code.text.trim(), range: code.range }));
  if (fromCode.length > 0 || cell.code.length > 0) return fromCode;
  const text = cell.text.replace(/^\*\*|\*\*$/g, '').trim();
  if (!SECRET_NAME.test(text)) return [];
  const at = cell.text.indexOf(text);
  return [{ name: text, range: { start: cell.range.start + at, end: cell.range.start + at + text.length } }];
}

/** A list item that starts with a secret name: `` `NAME`: what it is `` or `NAME - what it is`. */
function nameOfItem(text: string, code: { text: string; range: Range }[]): { name: string; range: Range | undefined } | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('`')) {
    const first = code[0];
    return first && SECRET_NAME.test(first.text.trim()) ? { name: first.text.trim(), range: first.range } : undefined;
  }
  const bare = /^\**([A-Z][A-Z0-9_]{2,})\**(?=$|[\s:,.\u2013\u2014-])/.exec(trimmed);
  return bare && bare[1]!.includes('_') ? { name: bare[1]!, range: undefined } : undefined;
}

function locateWord(text: string, within: Range, word: string): Range {
  const at = text.slice(within.start, within.end).indexOf(word);
  return at < 0 ? within : { start: within.start + at, end: within.start + at + word.length };
}

/** A word as namesSecret bounds it: a maximal run of these characters. */
const WORD = /[A-Za-z0-9_-]+/g;

/**
 * Whether some text names a secret, as namesSecret answers it, for many names: the texts are split
 * into words once, and each name is a lookup, not a search of every text.
 */
export function secretNamer(texts: readonly string[]): (name: string) => boolean {
  const words = new Set<string>();
  for (const text of texts) for (const [word] of text.matchAll(WORD)) words.add(word.toUpperCase());
  return (name) => (/^[A-Za-z0-9_-]+$/.test(name) ? words.has(name.toUpperCase()) : texts.some((text) => namesSecret(text, name)));
}

/** Whether a text names a secret: the name as a whole word, in any case. */
export function namesSecret(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, 'i').test(text);
}
