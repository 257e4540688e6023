import { summarizeList } from '../summarize.js';

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Whether the Levenshtein distance of `a` and `b` is at most `limit`, and then the distance; stops
 * at the first row of the table that is all over the limit, and at once when the lengths differ by
 * more, so a name compared with thousands of unrelated ones costs little each.
 */
function distanceWithin(a: string, b: string, limit: number): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      smallest = Math.min(smallest, current[j]!);
    }
    if (smallest > limit) return undefined;
    previous = current;
  }
  return previous[b.length]! <= limit ? previous[b.length] : undefined;
}

/** The first candidate closest to `wrong`, when it is close (a typo, a small rename). */
export function closest(wrong: string, candidates: readonly string[]): string | undefined {
  const lower = wrong.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // Only a strictly closer candidate replaces the first best one.
    const distance = distanceWithin(lower, candidate.toLowerCase(), best ? best.distance - 1 : Math.max(2, Math.floor(wrong.length / 4)));
    if (distance === undefined) continue;
    best = { candidate, distance };
    if (distance === 0) break;
  }
  return best?.candidate;
}

/** " (did you mean X?)" for a close candidate, else " (there are: A, B and N more)"; '' without candidates. */
export function suggest(wrong: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const best = closest(wrong, candidates);
  return best ? ` (did you mean ${best}?)` : ` (there are: ${summarizeList(candidates, 10)})`;
}

/** The candidate sharing the longest prefix (at least 3 characters) with `wrong`, ties broken by edit distance. */
export function samePrefix(wrong: string, candidates: readonly string[]): string | undefined {
  const prefix = (candidate: string): number => {
    let length = 0;
    while (length < wrong.length && length < candidate.length && wrong[length] === candidate[length]) length++;
    return length;
  };
  const scored = candidates.map((candidate) => ({ candidate, prefix: prefix(candidate), distance: editDistance(wrong, candidate) })).sort((a, b) => b.prefix - a.prefix || a.distance - b.distance);
  const best = scored[0];
  return best && best.prefix >= 3 && (scored[1]?.prefix ?? 0) < best.prefix ? best.candidate : undefined;
}
