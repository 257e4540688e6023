/**
 * SPDX license expressions (PEP 639) through spdx-expression-parse, with the identifier lists it is
 * built on: matching is case-insensitive as PEP 639 says (backends write the canonical case), and
 * deprecated identifiers (`GPL-3.0`) are told apart.
 */
import { createRequire } from 'node:module';
import parse from 'spdx-expression-parse';

interface SpdxIds {
  licenses: string[];
  /** Lower case → canonical case, for licenses, deprecated licenses and exceptions. */
  canonical: Map<string, string>;
  deprecated: Set<string>;
}
let loadedIds: SpdxIds | undefined;

/**
 * The identifier lists, read on first use: finding and reading them (three JSON files through
 * Node's module resolution) took ~4 ms, and only a license expression needs them.
 */
function spdxIds(): SpdxIds {
  if (loadedIds) return loadedIds;
  // spdx-license-ids is spdx-expression-parse's own dependency: resolve it from there.
  const fromParser = createRequire(createRequire(import.meta.url).resolve('spdx-expression-parse'));
  const licenses = fromParser('spdx-license-ids') as string[];
  const deprecated = fromParser('spdx-license-ids/deprecated.json') as string[];
  let exceptions: string[] = [];
  try {
    exceptions = fromParser('spdx-exceptions') as string[];
  } catch {
    // Not found beside the parser: exceptions keep the case they are written in.
  }
  const canonical = new Map([...licenses, ...deprecated, ...exceptions].map((id) => [id.toLowerCase(), id]));
  loadedIds = { licenses, canonical, deprecated: new Set(deprecated) };
  return loadedIds;
}

export type SpdxResult =
  | { ok: true; licenses: string[]; deprecated: string[] }
  /** `unknownIdentifier`: the syntax holds, but an identifier is not on SPDX's list. */
  | { ok: false; error: string; suggestions: string[]; unknownIdentifier: boolean };

/** Parses a PEP 639 license expression. */
export function checkLicenseExpression(expression: string): SpdxResult {
  let tree: parse.Info;
  try {
    tree = parse(expression);
  } catch {
    try {
      tree = parse(canonicalCase(expression));
    } catch {
      const problem = describeProblem(expression);
      return { ok: false, error: problem.text, suggestions: suggest(expression), unknownIdentifier: problem.unknownIdentifier };
    }
  }
  const licenses: string[] = [];
  const walk = (node: parse.Info): void => {
    if ('conjunction' in node) {
      walk(node.left);
      walk(node.right);
    } else licenses.push(node.license);
  };
  walk(tree);
  return { ok: true, licenses, deprecated: licenses.filter((id) => spdxIds().deprecated.has(id)) };
}

/**
 * What is wrong with an expression the parser refused, in words (its own error names a character
 * offset, often not the culprit's: "Apache 2.0" fails at `A`): a character SPDX has no use for, an
 * unbalanced parenthesis, two identifiers with no operator between them (or one with a space in
 * it), an identifier SPDX does not know, an operator with nothing on one side.
 */
function describeProblem(expression: string): { text: string; unknownIdentifier: boolean } {
  const syntax = (text: string): { text: string; unknownIdentifier: boolean } => ({ text, unknownIdentifier: false });
  const stray = /[^A-Za-z0-9.+\-:()\s]/.exec(expression);
  if (stray) return syntax(`"${stray[0]}" is not SPDX syntax: join licenses with AND or OR`);
  let depth = 0;
  for (const character of expression) {
    depth += character === '(' ? 1 : character === ')' ? -1 : 0;
    if (depth < 0) return syntax('a ")" closes no "("');
  }
  if (depth > 0) return syntax('a "(" is never closed');
  const words = expression.split(/[\s()]+/).filter((word) => word !== '');
  const isOperator = (word: string): boolean => /^(AND|OR|WITH)$/i.test(word);
  const isKnown = (word: string): boolean =>
    spdxIds().canonical.has(word.replace(/\+$/, '').toLowerCase()) || /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/i.test(word);
  for (let index = 0; index + 1 < words.length; index++) {
    const [word, next] = [words[index]!, words[index + 1]!];
    if (isOperator(word) || isOperator(next)) continue;
    if (suggest(`${word}${next}`).length > 0 || spdxIds().canonical.has(`${word}-${next}`.toLowerCase())) {
      return syntax(`${words.length > 2 ? `"${word} ${next}": ` : ''}an identifier cannot contain a space`);
    }
    return syntax(`"${word}" and "${next}" need AND or OR between them`);
  }
  const unknown = words.find((word) => !isOperator(word) && !isKnown(word));
  if (unknown !== undefined) return { text: `"${unknown}" is not an SPDX license identifier`, unknownIdentifier: true };
  if (words.length > 0 && isOperator(words[0]!)) return syntax(`it starts with the operator ${words[0]}`);
  if (words.length > 0 && isOperator(words[words.length - 1]!)) return syntax(`it ends with the operator ${words[words.length - 1]}`);
  const doubled = words.findIndex((word, index) => index > 0 && isOperator(word) && isOperator(words[index - 1]!));
  if (doubled > 0) return syntax(`the operators ${words[doubled - 1]} and ${words[doubled]} follow each other`);
  return syntax('it does not follow the SPDX expression syntax (identifiers joined by AND, OR or WITH)');
}

/** Identifiers and operators in their canonical case (`mit or apache-2.0` → `MIT OR Apache-2.0`). */
function canonicalCase(expression: string): string {
  return expression.replace(/[A-Za-z0-9.+-]+/g, (token) => {
    const upper = token.toUpperCase();
    if (upper === 'AND' || upper === 'OR' || upper === 'WITH') return upper;
    if (/^licenseref-/i.test(token)) return `LicenseRef-${token.slice('licenseref-'.length)}`;
    const plus = token.endsWith('+') ? '+' : '';
    const id = spdxIds().canonical.get((plus ? token.slice(0, -1) : token).toLowerCase());
    return id ? id + plus : token;
  });
}

/** For a deprecated identifier, what replaces it (`GPL-3.0` → `GPL-3.0-only`, `GPL-3.0-or-later`). */
export function replacementsFor(id: string): string[] {
  const { canonical, deprecated } = spdxIds();
  return [`${id}-only`, `${id}-or-later`].filter((candidate) => canonical.has(candidate.toLowerCase()) && !deprecated.has(candidate));
}

/** Identifiers that look like what was written (`Apache 2.0` → Apache-2.0, `GPLv3` → GPL-3.0-only). */
function suggest(expression: string): string[] {
  const key = (value: string): string =>
    value
      .toLowerCase()
      .replace(/-only$/, '')
      .replace(/licen[cs]e/g, '')
      .replace(/[^a-z0-9+]/g, '')
      .replace(/v(?=\d)/g, '')
      .replace(/(\d)0+$/, '$1');
  const wanted = key(expression);
  if (wanted === '') return [];
  const { licenses, deprecated } = spdxIds();
  return licenses.filter((id) => !deprecated.has(id) && key(id) === wanted).slice(0, 3);
}
