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

/** The candidate closest to `wrong`, when it is close (a typo, a small rename). */
export function closest(wrong: string, candidates: readonly string[]): string | undefined {
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(wrong.toLowerCase(), candidate.toLowerCase()) })).sort((a, b) => a.distance - b.distance);
  const best = scored[0];
  return best && best.distance <= Math.max(2, Math.floor(wrong.length / 4)) ? best.candidate : undefined;
}

/** " (did you mean X?)" for a close candidate, else " (there are: A, B)"; '' without candidates. */
export function suggest(wrong: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const best = closest(wrong, candidates);
  return best ? ` (did you mean ${best}?)` : ` (there are: ${candidates.join(', ')})`;
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
