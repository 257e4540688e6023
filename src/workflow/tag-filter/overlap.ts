/**
 * Exact overlap of two tag filters: breadth-first search of the product of both filters' DFAs
 * and the git-tag-name DFA. The first accepting product state found names the shortest common
 * valid tag; symbols are tried most readable first, so among the shortest it is the most readable.
 */
import { buildAlphabet } from './alphabet.js';
import { FilterDfa } from './automaton.js';
import { planFilter, type FilterPlan } from './filter.js';
import { GIT_DEAD, GIT_START, gitAccepts, gitStep } from './git-ref.js';
import type { CodeRange } from './pattern.js';
import type { TagFilter } from './types.js';

/** The shortest valid git tag name that triggers both filters, or null when none exists. */
export function findTagOverlap(a: TagFilter, b: TagFilter): string | null {
  const planA = planFilter(a);
  const planB = planFilter(b);
  const alphabet = buildAlphabet([...charSets(planA), ...charSets(planB)]);
  const dfaA = new FilterDfa(planA, alphabet);
  const dfaB = new FilterDfa(planB, alphabet);

  // Product states in discovery order; parent/symbol links rebuild the witness.
  const stateA: number[] = [];
  const stateB: number[] = [];
  const stateGit: number[] = [];
  const parent: number[] = [];
  const via: number[] = [];
  const seen = new Set<number>();
  const visit = (from: number, symbol: number): boolean => {
    const sa = from < 0 ? dfaA.start : dfaA.next(stateA[from]!, symbol);
    if (dfaA.isDead(sa)) return false;
    const sb = from < 0 ? dfaB.start : dfaB.next(stateB[from]!, symbol);
    if (dfaB.isDead(sb)) return false;
    const sg = from < 0 ? GIT_START : gitStep(stateGit[from]!, alphabet[symbol]!.representative);
    if (sg === GIT_DEAD) return false;
    // ids stay far below 2^20 and git states below 2^8, so the key is an exact integer
    const key = (sa * 0x100000 + sb) * 0x100 + sg;
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
    const cps: number[] = [];
    for (let i = index; parent[i]! >= 0; i = parent[i]!) cps.push(alphabet[via[i]!]!.representative);
    return String.fromCodePoint(...cps.reverse());
  }
}

/** The character sets a filter's patterns distinguish (one per character token). */
function charSets(plan: FilterPlan): CodeRange[][] {
  const sets: CodeRange[][] = [];
  for (const pattern of plan.patterns) {
    for (const token of pattern.tokens) if (token.kind === 'chars') sets.push(token.ranges);
  }
  return sets;
}
