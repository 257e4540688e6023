/**
 * A finite alphabet for the automata: the characters the patterns (and the git ref rules) tell
 * apart are split into classes of characters that behave identically, each with one readable
 * representative. Unicode is infinite; the classes are few.
 */
import type { CodeRange } from './pattern.js';
import type { WorkBudget } from './budget.js';
import { GIT_SIGNIFICANT_CHARS, isForbiddenRefChar } from './git-ref.js';

const MAX_CP = 0x10ffff;

/** Readability order for witnesses: lowercase, digits, `.`, `-`, `_`, uppercase, other ASCII, the rest. */
const PREFERRED = 'abcdefghijklmnopqrstuvwxyz0123456789.-_ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const ASCII_RANK = Array.from({ length: 0x80 }, (_, cp) => {
  const i = PREFERRED.indexOf(String.fromCharCode(cp));
  return i >= 0 ? i : 0x100 + cp;
});

export function readabilityRank(cp: number): number {
  return cp < 0x80 ? ASCII_RANK[cp]! : 0x200 + cp;
}

/** A class of interchangeable characters, named by its most readable member. */
export interface AlphabetSymbol {
  representative: number;
}

/**
 * Classes of allowed tag characters induced by `sets` (each a list of ranges): two characters
 * share a class when every set and the git rules treat them alike. Forbidden ref characters are
 * left out: no valid tag contains them. Sorted by readability of the representative.
 * The work (each range's intervals) is spent from `budget`: a pattern can list thousands of ranges.
 */
export function buildAlphabet(sets: CodeRange[][], budget: WorkBudget): AlphabetSymbol[] {
  budget.spend(sets.reduce((sum, set) => sum + set.length, 0));
  // The same set often recurs (every `[0-9]`, every `v`); one copy decides as well as many.
  const distinct = [...new Map(sets.map((set) => [set.map((r) => `${r.lo}-${r.hi}`).join(','), set])).values()];
  // Cut the code point line wherever a set, a git-significant or a forbidden character starts or ends.
  const cuts = new Set<number>([0, MAX_CP + 1]);
  const cutAround = (lo: number, hi: number): void => {
    cuts.add(lo);
    cuts.add(hi + 1);
  };
  for (const set of distinct) for (const r of set) cutAround(r.lo, r.hi);
  for (const ch of GIT_SIGNIFICANT_CHARS + ' ~^:?*[\\\x7f') cutAround(ch.codePointAt(0)!, ch.codePointAt(0)!);
  cutAround(0, 0x1f);
  cutAround(0xd800, 0xdfff);
  const bounds = [...cuts].sort((a, b) => a - b);

  // members[k]: the distinct sets that contain interval k (bounds[k] .. bounds[k + 1] - 1).
  const members: number[][] = bounds.slice(1).map(() => []);
  distinct.forEach((set, index) => {
    for (const r of set) {
      const first = firstAtLeast(bounds, r.lo);
      const end = firstAtLeast(bounds, r.hi + 1);
      budget.spend(end - first + 1);
      for (let k = first; k < end; k++) if (members[k]!.at(-1) !== index) members[k]!.push(index);
    }
  });

  // Intervals with the same signature (membership in each set + git role) form one class.
  const classes = new Map<string, number>(); // signature -> best representative so far
  for (let k = 0; k + 1 < bounds.length; k++) {
    const lo = bounds[k]!;
    const hi = bounds[k + 1]! - 1;
    if (isForbiddenRefChar(lo)) continue; // forbidden characters sit in intervals of their own
    const loChar = String.fromCodePoint(lo);
    const gitRole = lo === hi && GIT_SIGNIFICANT_CHARS.includes(loChar) ? loChar : '';
    const signature = `${members[k]!.join(',')}|${gitRole}`;
    const candidate = bestInInterval(lo, hi);
    const known = classes.get(signature);
    if (known === undefined || readabilityRank(candidate) < readabilityRank(known)) classes.set(signature, candidate);
  }
  return [...classes.values()]
    .sort((a, b) => readabilityRank(a) - readabilityRank(b))
    .map((representative) => ({ representative }));
}

/** The index of the first of the sorted `values` that is at least `target`. */
function firstAtLeast(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The most readable character of [lo, hi]: scan its ASCII part, else take its first character. */
function bestInInterval(lo: number, hi: number): number {
  let best = lo;
  for (let cp = lo; cp <= Math.min(hi, 0x7f); cp++) {
    if (readabilityRank(cp) < readabilityRank(best)) best = cp;
  }
  return best;
}
