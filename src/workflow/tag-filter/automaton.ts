/**
 * Lazily built deterministic automata over a finite alphabet: one per pattern (subset
 * construction of the pattern's position NFA), and one per filter (the tuple of its patterns'
 * states, combined by GitHub's ordered rule). States are built only when the search reaches them,
 * and only while the budget lasts (budget.ts: a subset construction can be exponential).
 */
import type { AlphabetSymbol } from './alphabet.js';
import type { WorkBudget } from './budget.js';
import { orderedMatch, type FilterPlan } from './filter.js';
import type { PatternToken, TagPattern } from './pattern.js';
import { closePositions, skippable, stepPositions } from './positions.js';

/** Interns state keys as dense ids with a lazily filled transition table. */
class StateTable<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<string | number, number>();
  /** transitions[state * symbolCount + symbol]; undefined until first taken. */
  private readonly transitions: number[] = [];

  constructor(private readonly symbolCount: number) {}

  /** The id of the state with this key; `describe` builds its value the first time. */
  intern(key: string | number, describe: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(describe());
    }
    return id;
  }

  cached(state: number, symbol: number): number | undefined {
    return this.transitions[state * this.symbolCount + symbol];
  }

  remember(state: number, symbol: number, next: number): number {
    this.transitions[state * this.symbolCount + symbol] = next;
    return next;
  }
}

/** A pattern DFA state: the NFA positions it stands for, and what they mean. */
interface PositionSet {
  positions: number[];
  accepts: boolean;
  /** Every continuation matches: a `**` is pending and all after it can be empty. */
  universal: boolean;
}

/**
 * A pattern's DFA. NFA position i means "tokens before i are matched"; position n accepts.
 * Every state interned and every transition computed is paid for from the budget.
 */
export class PatternDfa {
  readonly start: number;
  private readonly table: StateTable<PositionSet>;
  private readonly tokens: PatternToken[];
  /** nullableFrom[i]: tokens i.. can all match the empty string. */
  private readonly nullableFrom: boolean[];

  constructor(
    readonly pattern: TagPattern,
    private readonly alphabet: readonly AlphabetSymbol[],
    private readonly budget: WorkBudget,
  ) {
    this.tokens = pattern.tokens;
    this.table = new StateTable(alphabet.length);
    const n = this.tokens.length;
    budget.spend(n + 1);
    this.nullableFrom = new Array<boolean>(n + 1).fill(true);
    for (let i = n - 1; i >= 0; i--) this.nullableFrom[i] = this.nullableFrom[i + 1]! && skippable(this.tokens[i]!);
    this.start = this.intern([0]);
  }

  /** How many states have been built: the measure of how hard this pattern is. */
  get stateCount(): number {
    return this.table.values.length;
  }

  /** Intern the epsilon closure of `positions`. */
  private intern(positions: number[]): number {
    const n = this.tokens.length;
    const sorted = closePositions(this.tokens, positions);
    this.budget.spend(sorted.length + 1);
    // short patterns (the norm) get a numeric key; long ones a string
    const key = n < 31 ? sorted.reduce((mask, p) => mask | (1 << p), 0) : sorted.join(',');
    return this.table.intern(key, () => ({
      positions: sorted,
      accepts: sorted.at(-1) === n,
      universal: sorted.some((i) => this.tokens[i]?.kind === 'globstar' && this.nullableFrom[i]!),
    }));
  }

  next(state: number, symbol: number): number {
    const known = this.table.cached(state, symbol);
    if (known !== undefined) return known;
    const cp = this.alphabet[symbol]!.representative;
    const targets = stepPositions(this.tokens, this.table.values[state]!.positions, cp, this.budget);
    return this.table.remember(state, symbol, this.intern(targets));
  }

  accepts(state: number): boolean {
    return this.table.values[state]!.accepts;
  }

  /** No continuation can match. */
  isDead(state: number): boolean {
    return this.table.values[state]!.positions.length === 0;
  }

  isUniversal(state: number): boolean {
    return this.table.values[state]!.universal;
  }
}

/** A filter's DFA: a state is the tuple of its patterns' states. */
export class FilterDfa {
  readonly start: number;
  private readonly table: StateTable<{ parts: number[]; accepts: boolean; dead: boolean }>;
  readonly dfas: PatternDfa[];

  constructor(
    private readonly plan: FilterPlan,
    alphabet: readonly AlphabetSymbol[],
    private readonly budget: WorkBudget,
  ) {
    this.dfas = plan.patterns.map((p) => new PatternDfa(p, alphabet, budget));
    this.table = new StateTable(alphabet.length);
    this.start = this.intern(this.dfas.map((d) => d.start));
  }

  private intern(parts: number[]): number {
    this.budget.spend(parts.length + 1);
    const key = parts.length === 1 ? parts[0]! : parts.join(',');
    return this.table.intern(key, () => {
      const { patterns, complement } = this.plan;
      const listed = orderedMatch(patterns, (k) => this.dfas[k]!.accepts(parts[k]!));
      const dead = complement ? this.listAlwaysMatches(parts) : this.listNeverMatches(parts);
      return { parts, accepts: listed !== complement, dead };
    });
  }

  /** No continuation can make a positive pattern the last match. */
  private listNeverMatches(parts: number[]): boolean {
    // from the last pattern back: a positive pattern still alive with no universal negation after it
    let negationAfterTakesAll = false;
    for (let k = parts.length - 1; k >= 0; k--) {
      const dfa = this.dfas[k]!;
      if (this.plan.patterns[k]!.negated) negationAfterTakesAll ||= dfa.isUniversal(parts[k]!);
      else if (!negationAfterTakesAll && !dfa.isDead(parts[k]!)) return false;
    }
    return true;
  }

  /** Every continuation ends with a positive pattern as the last match. */
  private listAlwaysMatches(parts: number[]): boolean {
    // from the last pattern back: a universal positive pattern with every negation after it dead
    let negationAfterAlive = false;
    for (let k = parts.length - 1; k >= 0; k--) {
      const dfa = this.dfas[k]!;
      if (this.plan.patterns[k]!.negated) negationAfterAlive ||= !dfa.isDead(parts[k]!);
      else if (!negationAfterAlive && dfa.isUniversal(parts[k]!)) return true;
    }
    return false;
  }

  next(state: number, symbol: number): number {
    const known = this.table.cached(state, symbol);
    if (known !== undefined) return known;
    const parts = this.table.values[state]!.parts.map((s, k) => this.dfas[k]!.next(s, symbol));
    return this.table.remember(state, symbol, this.intern(parts));
  }

  accepts(state: number): boolean {
    return this.table.values[state]!.accepts;
  }

  isDead(state: number): boolean {
    return this.table.values[state]!.dead;
  }
}
