/**
 * A pattern as a position NFA: position i means "the tokens before i are matched", position n
 * (the token count) accepts. The pattern DFA (automaton.ts) is built from these steps, and a single
 * tag is matched by running them directly: linear in the tag, where a backtracking regular
 * expression for `*a*a*a*a*b` takes exponential time on a long name.
 */
import type { WorkBudget } from './budget.js';
import type { PatternToken, TagPattern } from './pattern.js';

const SLASH = 0x2f;

/**
 * The epsilon closure of `positions` (ascending, repeats allowed), ascending: a `*`, `**` or `x?`
 * may be skipped. Each skip walk covers a contiguous run, so a position inside the last run is
 * already in with its whole walk: one pass, no sorting.
 */
export function closePositions(tokens: readonly PatternToken[], positions: readonly number[]): number[] {
  const n = tokens.length;
  const closed: number[] = [];
  let last = -1;
  for (let p of positions) {
    if (p <= last) continue;
    closed.push(p);
    while (p < n && skippable(tokens[p]!)) closed.push(++p);
    last = p;
  }
  return closed;
}

/** The positions reached from `positions` (ascending) by reading `cp`: ascending, before closure. */
export function stepPositions(tokens: readonly PatternToken[], positions: readonly number[], cp: number, budget: WorkBudget): number[] {
  budget.spend(positions.length + 1);
  const targets: number[] = [];
  for (const i of positions) {
    const token = tokens[i];
    if (token === undefined || !takes(token, cp, budget)) continue;
    if (token.kind !== 'chars') targets.push(i); // `*`, `**` loop
    else {
      if (token.quantifier === 'some') targets.push(i); // `+` may take more
      targets.push(i + 1);
    }
  }
  return targets;
}

/** Whether `pattern` matches the whole of `codePoints`. */
export function patternMatches(pattern: TagPattern, codePoints: readonly number[], budget: WorkBudget): boolean {
  const { tokens } = pattern;
  let current = closePositions(tokens, [0]);
  for (const cp of codePoints) {
    current = closePositions(tokens, stepPositions(tokens, current, cp, budget));
    if (current.length === 0) return false;
  }
  return current.at(-1) === tokens.length;
}

export function skippable(token: PatternToken): boolean {
  return token.kind !== 'chars' || token.quantifier === 'optional';
}

function takes(token: PatternToken, cp: number, budget: WorkBudget): boolean {
  if (token.kind === 'globstar') return true;
  if (token.kind === 'star') return cp !== SLASH;
  budget.spend(token.ranges.length);
  return token.ranges.some((r) => r.lo <= cp && cp <= r.hi);
}
