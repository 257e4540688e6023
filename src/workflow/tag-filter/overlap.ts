/**
 * Exact overlap of two tag filters: breadth-first search of the product of both filters' DFAs
 * and the git-tag-name DFA. The first accepting product state found names the shortest common
 * valid tag; symbols are tried most readable first, so among the shortest it is the most readable.
 * All of it spends from a work budget (budget.ts), so hostile patterns end in `undecided`.
 */
import { buildAlphabet } from './alphabet.js';
import { FilterDfa } from './automaton.js';
import { DECISION_BUDGET, TagFilterTooComplex, WorkBudget } from './budget.js';
import { planFilter, type FilterPlan } from './filter.js';
import { GIT_DEAD, GIT_START, gitAccepts, gitStep } from './git-ref.js';
import type { CodeRange } from './pattern.js';
import type { TagFilter } from './types.js';

/** What comparing two filters found: a common tag, none, or no answer within the budget. */
export type TagOverlap =
  | { kind: 'overlap'; tag: string }
  | { kind: 'disjoint' }
  | {
      kind: 'undecided';
      /** The pattern that needed the most automaton states (or, if none was built yet, the longest), and its filter. */
      hardest: { side: 'a' | 'b'; pattern: string } | undefined;
    };

/** Product states of two DFA ids below 2^22 and a git state below 2^8 pack into one exact integer key. */
const MAX_DFA_STATES = 2 ** 22;

/**
 * The shortest valid git tag name that triggers both filters, within `budget`. Exponential
 * patterns and huge alphabets are stopped by the budget and come back `undecided`.
 */
export function decideTagOverlap(a: TagFilter, b: TagFilter, budget: WorkBudget): TagOverlap {
  const planA = planFilter(a);
  const planB = planFilter(b);
  const dfas: FilterDfa[] = [];
  try {
    const tag = searchOverlap(planA, planB, budget, dfas);
    return tag === null ? { kind: 'disjoint' } : { kind: 'overlap', tag };
  } catch (error) {
    if (!(error instanceof TagFilterTooComplex)) throw error;
    return { kind: 'undecided', hardest: hardestPattern(planA, planB, dfas) };
  }
}

/**
 * The shortest valid git tag name that triggers both filters, or null when none exists.
 * Throws TagFilterTooComplex when that takes more than one decision's budget.
 */
export function findTagOverlap(a: TagFilter, b: TagFilter): string | null {
  const result = decideTagOverlap(a, b, new WorkBudget(DECISION_BUDGET));
  if (result.kind === 'undecided') throw new TagFilterTooComplex();
  return result.kind === 'overlap' ? result.tag : null;
}

function searchOverlap(planA: FilterPlan, planB: FilterPlan, budget: WorkBudget, dfas: FilterDfa[]): string | null {
  const alphabet = buildAlphabet([...charSets(planA), ...charSets(planB)], budget);
  const dfaA = new FilterDfa(planA, alphabet, budget);
  dfas.push(dfaA);
  const dfaB = new FilterDfa(planB, alphabet, budget);
  dfas.push(dfaB);

  // Product states in discovery order; parent/symbol links rebuild the witness.
  const stateA: number[] = [];
  const stateB: number[] = [];
  const stateGit: number[] = [];
  const parent: number[] = [];
  const via: number[] = [];
  const seen = new Set<number>();
  const visit = (from: number, symbol: number): boolean => {
    budget.spend(1);
    const sa = from < 0 ? dfaA.start : dfaA.next(stateA[from]!, symbol);
    if (dfaA.isDead(sa)) return false;
    const sb = from < 0 ? dfaB.start : dfaB.next(stateB[from]!, symbol);
    if (dfaB.isDead(sb)) return false;
    const sg = from < 0 ? GIT_START : gitStep(stateGit[from]!, alphabet[symbol]!.representative);
    if (sg === GIT_DEAD) return false;
    if (sa >= MAX_DFA_STATES || sb >= MAX_DFA_STATES) throw new TagFilterTooComplex();
    const key = (sa * MAX_DFA_STATES + sb) * 0x100 + sg;
    if (seen.has(key)) return false;
    seen.add(key);
    stateA.push(sa);
    stateB.push(sb);
    stateGit.push(sg);
    parent.push(from);
    via.push(symbol);
    return dfaA.accepts(sa) && dfaB.accepts(sb) && gitAccepts(sg);
  };

  if (visit(-1, -1)) return witness(0);
  for (let head = 0; head < stateA.length; head++) {
    for (let s = 0; s < alphabet.length; s++) {
      if (visit(head, s)) return witness(stateA.length - 1);
    }
  }
  return null;

  function witness(index: number): string {
    const characters: string[] = [];
    for (let i = index; parent[i]! >= 0; i = parent[i]!) characters.push(String.fromCodePoint(alphabet[via[i]!]!.representative));
    return characters.reverse().join(''); // not fromCodePoint(...all): a witness can be longer than a call's arguments
  }
}

function hardestPattern(planA: FilterPlan, planB: FilterPlan, dfas: FilterDfa[]): { side: 'a' | 'b'; pattern: string } | undefined {
  const built = dfas.flatMap((dfa, index) => dfa.dfas.map((pattern) => ({ side: index === 0 ? ('a' as const) : ('b' as const), pattern: pattern.pattern.source, weight: pattern.stateCount })));
  const listed = [planA, planB].flatMap((plan, index) => plan.patterns.map((pattern) => ({ side: index === 0 ? ('a' as const) : ('b' as const), pattern: pattern.source, weight: pattern.source.length })));
  const candidates = built.some((entry) => entry.weight > 1) ? built : listed;
  const hardest = candidates.reduce<(typeof candidates)[number] | undefined>((best, entry) => (best === undefined || entry.weight > best.weight ? entry : best), undefined);
  return hardest && { side: hardest.side, pattern: hardest.pattern };
}

/** The character sets a filter's patterns distinguish (one per character token). */
function charSets(plan: FilterPlan): CodeRange[][] {
  const sets: CodeRange[][] = [];
  for (const pattern of plan.patterns) {
    for (const token of pattern.tokens) if (token.kind === 'chars') sets.push(token.ranges);
  }
  return sets;
}
