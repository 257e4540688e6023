/**
 * `--rule ID=SEVERITY` split into its halves, trimmed; without `=` the severity is empty. Its own
 * module because the bin reads `--rule` too, before the linter (and its config loader) is loaded.
 */
export function parseRuleOverride(text: string): { id: string; severity: string } {
  const match = /^([^=]+)=(.+)$/.exec(text);
  return match ? { id: match[1]!.trim(), severity: match[2]!.trim() } : { id: text, severity: '' };
}
