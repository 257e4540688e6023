/** Reading a TagFilter: its patterns, how they combine, and matching one tag. */
import type { TagFilter } from './types.js';
import { DECISION_BUDGET, WorkBudget } from './budget.js';
import { isPatternError, parseTagPatternCached, patternLiteralPrefix, type TagPattern } from './pattern.js';
import { patternMatches } from './positions.js';

/**
 * A filter as an ordered pattern list plus a complement flag: `tags:` is the list itself,
 * `tags-ignore:` its complement, `all` the complement of the empty list, `none` the empty list.
 * Invalid patterns (GitHub rejects the workflow; the caller reports them) match nothing.
 */
export interface FilterPlan {
  patterns: TagPattern[];
  complement: boolean;
}

export function planFilter(filter: TagFilter): FilterPlan {
  switch (filter.kind) {
    case 'all':
      return { patterns: [], complement: true };
    case 'none':
      return { patterns: [], complement: false };
    case 'patterns':
    case 'ignore': {
      const patterns: TagPattern[] = [];
      for (const source of filter.patterns) {
        const parsed = parseTagPatternCached(source);
        if (!isPatternError(parsed)) patterns.push(parsed);
      }
      return { patterns, complement: filter.kind === 'ignore' };
    }
  }
}

/** GitHub's ordered rule: the list matches when the last pattern that matches is not negated. */
export function orderedMatch(patterns: readonly TagPattern[], matches: (index: number) => boolean): boolean {
  for (let k = patterns.length - 1; k >= 0; k--) {
    if (matches(k)) return !patterns[k]!.negated;
  }
  return false;
}

/**
 * Whether pushing `tag` triggers a workflow with this filter (no git-validity check on `tag`).
 * Linear in the tag; throws TagFilterTooComplex past `budget` (a huge pattern times a huge tag).
 */
export function tagFilterMatches(filter: TagFilter, tag: string, budget: WorkBudget = new WorkBudget(DECISION_BUDGET)): boolean {
  const plan = planFilter(filter);
  const codePoints: number[] = [];
  for (const ch of tag) codePoints.push(ch.codePointAt(0)!);
  budget.spend(codePoints.length);
  const listed = orderedMatch(plan.patterns, (k) => patternMatches(plan.patterns[k]!, codePoints, budget));
  return listed !== plan.complement;
}

/**
 * The longest literal prefix every tag the filter matches must start with ('' if none).
 * Two filters whose prefixes are not prefix-related cannot overlap, so callers can bucket by it.
 */
export function literalPrefix(filter: TagFilter): string {
  const plan = planFilter(filter);
  if (plan.complement) return '';
  const prefixes = plan.patterns.filter((p) => !p.negated).map(patternLiteralPrefix);
  if (prefixes.length === 0) return '';
  return prefixes.reduce(commonPrefix);
}

function commonPrefix(a: string, b: string): string {
  const x = Array.from(a);
  const y = Array.from(b);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return x.slice(0, n).join('');
}

/** Whether two literal prefixes leave room for a common tag (one is a prefix of the other). */
export function prefixesCompatible(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}
