/**
 * Parsing of one GitHub Actions ref filter pattern (the "Filter pattern cheat sheet"):
 * `*` any run of characters except `/`, `**` any run of characters, `?` zero or one and
 * `+` one or more of the preceding character or class, `[...]` one listed character or range,
 * a leading `!` negates, and `\` makes a special character literal.
 */

/** An inclusive range of Unicode code points. */
export interface CodeRange {
  lo: number;
  hi: number;
}

/** One step of a pattern: a character class with its quantifier, or a wildcard run. */
export type PatternToken =
  | { kind: 'chars'; ranges: CodeRange[]; quantifier: 'one' | 'optional' | 'some' }
  | { kind: 'star' } // `*`: zero or more characters, never `/`
  | { kind: 'globstar' }; // `**`: zero or more characters, `/` included

export interface TagPattern {
  source: string;
  negated: boolean;
  tokens: PatternToken[];
}

/** Why a pattern is rejected; `column` is 1-based and points at the offending character. */
export interface TagPatternError {
  error: string;
  column: number;
}

/** Characters that `\` makes literal. Before any other character `\` is itself literal (as actionlint reads it). */
const ESCAPABLE = new Set(['[', ']', '?', '*', '+', '\\', '!']);

export function isPatternError(p: TagPattern | TagPatternError): p is TagPatternError {
  return 'error' in p;
}

/** Parse one pattern; an invalid one gives a one-line reason and its column. */
export function parseTagPattern(source: string): TagPattern | TagPatternError {
  const chars = Array.from(source); // code points, so a column counts characters
  const fail = (error: string, index: number): TagPatternError => ({ error, column: index + 1 });
  if (chars.length === 0) return fail('empty pattern', 0);
  let i = 0;
  const negated = chars[0] === '!';
  if (negated) {
    i = 1;
    if (chars.length === 1) return fail('`!` must be followed by a pattern', 0);
  }
  const tokens: PatternToken[] = [];
  // Whether the last token can take `?` or `+`: only a character or a class can.
  let quantifiable = false;
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === '*') {
      let j = i;
      while (chars[j] === '*') j++;
      tokens.push(j - i >= 2 ? { kind: 'globstar' } : { kind: 'star' });
      quantifiable = false;
      i = j;
    } else if (c === '?' || c === '+') {
      const last = tokens[tokens.length - 1];
      if (!quantifiable || last?.kind !== 'chars') {
        return fail(`\`${c}\` must follow a character or a [...] class`, i);
      }
      last.quantifier = c === '?' ? 'optional' : 'some';
      quantifiable = false;
      i++;
    } else if (c === '[') {
      const parsed = parseClass(chars, i);
      if ('error' in parsed) return parsed;
      tokens.push({ kind: 'chars', ranges: parsed.ranges, quantifier: 'one' });
      quantifiable = true;
      i = parsed.next;
    } else if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined) return fail('`\\` at the end escapes nothing', i);
      const literal = ESCAPABLE.has(next) ? next : '\\';
      tokens.push(literalToken(literal));
      quantifiable = true;
      i += literal === next ? 2 : 1;
    } else {
      tokens.push(literalToken(c));
      quantifiable = true;
      i++;
    }
  }
  return { source, negated, tokens };
}

function literalToken(c: string): PatternToken {
  const cp = c.codePointAt(0)!;
  return { kind: 'chars', ranges: [{ lo: cp, hi: cp }], quantifier: 'one' };
}

/** Parse `[...]` starting at `start` (the `[`): listed characters, `a-z` ranges, `\` escapes. */
function parseClass(
  chars: string[],
  start: number,
): { ranges: CodeRange[]; next: number } | TagPatternError {
  const fail = (error: string, index: number): TagPatternError => ({ error, column: index + 1 });
  const ranges: CodeRange[] = [];
  let i = start + 1;
  if (chars[i] === ']') return fail('empty `[]` matches nothing', start);
  // Read one class member, honouring `\`; undefined at the end of the pattern.
  const member = (): number | undefined => {
    let c = chars[i];
    if (c === '\\' && chars[i + 1] !== undefined) c = chars[++i];
    if (c === undefined) return undefined;
    i++;
    return c.codePointAt(0)!;
  };
  while (chars[i] !== ']') {
    if (chars[i] === undefined) return fail('unclosed `[`', start);
    const at = i;
    const lo = member()!;
    if (chars[i] === '-' && chars[i + 1] !== undefined) {
      if (chars[i + 1] === ']') return fail('range in `[...]` has no end', i);
      i++;
      const hi = member()!;
      if (hi < lo) return fail(`range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)} is reversed`, at);
      ranges.push({ lo, hi });
    } else {
      ranges.push({ lo, hi: lo });
    }
  }
  return { ranges, next: i + 1 };
}

const parseCache = new Map<string, TagPattern | TagPatternError>();

/** parseTagPattern, memoised: the same few patterns are compared many times. */
export function parseTagPatternCached(source: string): TagPattern | TagPatternError {
  let parsed = parseCache.get(source);
  if (parsed === undefined) {
    parsed = parseTagPattern(source);
    if (parseCache.size > 10_000) parseCache.clear();
    parseCache.set(source, parsed);
  }
  return parsed;
}

/** Literal characters every match must start with (mandatory single characters only). */
export function patternLiteralPrefix(pattern: TagPattern): string {
  let prefix = '';
  for (const token of pattern.tokens) {
    if (token.kind !== 'chars' || token.ranges.length !== 1) break;
    const { lo, hi } = token.ranges[0]!;
    if (lo !== hi || token.quantifier === 'optional') break;
    prefix += String.fromCodePoint(lo);
    if (token.quantifier === 'some') break; // more copies may follow
  }
  return prefix;
}
