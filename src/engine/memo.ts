/**
 * Results a rule can reuse across runs when their input has not changed (actionlint's findings for a
 * workflow text). The cache (src/engine/cache.ts) fills it from the previous run and keeps what this
 * run touched, so entries for texts that no longer exist drop out.
 */
export class Memo {
  private readonly touched = new Set<string>();

  constructor(private readonly entries = new Map<string, unknown>()) {}

  get<T>(key: string): T | undefined {
    if (!this.entries.has(key)) return undefined;
    this.touched.add(key);
    return this.entries.get(key) as T;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: unknown): void {
    this.entries.set(key, value);
    this.touched.add(key);
  }

  /** What this run read or wrote, to be kept for the next run. */
  touchedEntries(): [string, unknown][] {
    return [...this.touched].map((key) => [key, this.entries.get(key)]);
  }
}
