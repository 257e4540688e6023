/**
 * A list for a message: every item when there are few, else the first `limit` and how many more
 * ("a, b, c and 30 more"), so a finding about a hundred packages stays one readable line.
 */
export function summarizeList(items: readonly string[], limit: number): string {
  return items.length <= limit ? items.join(', ') : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}
