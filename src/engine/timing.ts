import { performance } from 'node:perf_hooks';

/**
 * `--timing` (ESLint's TIMING): the wall time of each phase of a run and of each rule's check,
 * printed on stderr after the report (README "Performance"; the bench reads it).
 *
 * Measurements nest, and each is counted without what it encloses: the release plan a rule asks for
 * first is `plan` time, not that rule's. A shared fact other than the plan is the time of the rule
 * that asked for it first. A rule's row is the synchronous part of its check; actionlint answers
 * from another thread (or process), so the time the run then waits for it is the `actionlint`
 * phase, and the gate's builds are waited for there too. `cache` is --cache's part: reading the
 * cache file and asking the checkout its questions again.
 */
export const PHASES = ['discover', 'cache', 'parse', 'plan', 'rules', 'actionlint', 'output'] as const;
export type Phase = (typeof PHASES)[number];

export class Timing {
  /** A run that is not timed: `measure` only calls. */
  static readonly off = new Timing(false);

  private readonly phases = new Map<Phase, number>();
  private readonly rules = new Map<string, number>();
  /** Time taken by measurements inside the open ones, innermost last. */
  private readonly nested: number[] = [];

  constructor(
    readonly enabled = true,
    /** Milliseconds from some origin (tests give a clock of their own). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `work`, counting its wall time (less nested measurements) in `phase`. */
  measure<T>(phase: Phase, work: () => T): T {
    return this.count(work, (self) => this.phases.set(phase, (this.phases.get(phase) ?? 0) + self));
  }

  /** Runs a rule's check: its time counts for the rule and in the `rules` phase. */
  rule<T>(id: string, work: () => T): T {
    return this.count(work, (self) => {
      this.rules.set(id, (this.rules.get(id) ?? 0) + self);
      this.phases.set('rules', (this.phases.get('rules') ?? 0) + self);
    });
  }

  /** Waits for `work`, counting the wait in `phase`. */
  async wait<T>(phase: Phase, work: Promise<T>): Promise<T> {
    if (!this.enabled) return work;
    const started = this.now();
    try {
      return await work;
    } finally {
      this.phases.set(phase, (this.phases.get(phase) ?? 0) + this.now() - started);
    }
  }

  /** The phases, then the rules slowest first, as ESLint prints its TIMING tables. */
  format(): string {
    const phases = PHASES.map((phase) => [phase, this.phases.get(phase) ?? 0] as const);
    const rules = [...this.rules].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return `${table('Phase', phases)}\n${table('Rule', rules)}`;
  }

  private count<T>(work: () => T, add: (self: number) => void): T {
    if (!this.enabled) return work();
    const started = this.now();
    this.nested.push(0);
    try {
      return work();
    } finally {
      const inner = this.nested.pop()!;
      const total = this.now() - started;
      add(total - inner);
      if (this.nested.length > 0) this.nested[this.nested.length - 1]! += total;
    }
  }
}

function table(title: string, rows: readonly (readonly [string, number])[]): string {
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  const width = Math.max(title.length, ...rows.map(([name]) => name.length));
  const line = (name: string, time: string, relative: string): string => `${name.padEnd(width)} | ${time.padStart(9)} | ${relative.padStart(8)}\n`;
  const body = rows.map(([name, ms]) => line(name, ms.toFixed(1), `${total > 0 ? ((100 * ms) / total).toFixed(1) : '0.0'}%`));
  return [line(title, 'Time (ms)', 'Relative'), `${'-'.repeat(width)}-|-${'-'.repeat(9)}-|-${'-'.repeat(8)}\n`, ...body, line('total', total.toFixed(1), '100.0%')].join('');
}
