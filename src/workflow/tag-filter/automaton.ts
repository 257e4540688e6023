/**
 * Lazily built deterministic automata over a finite alphabet: one per pattern (subset
 * construction of the pattern's position NFA), and one per filter (the tuple of its patterns'
 * states, combined by GitHub's ordered rule). States are built only when the search reaches them.
 */
import type { AlphabetSymbol } from './alphabet.js';
import { orderedMatch, type FilterPlan } from './filter.js';
import type { PatternToken, TagPattern } from './pattern.js';

const SLASH = 0x2f;

/** Interns state keys as dense ids with a lazily filled transition table. */
class StateTable<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<string | number, number>();
  /** transitions[state * symbolCount + symbol]; undefined until first taken. */
  private readonly transitions: number[] = [];

  constructor(private readonly symbolCount: number) {}

  intern(key: string | number, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value);
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

/** A pattern's DFA. NFA position i means "tokens before i are matched"; position n accepts. */
export class PatternDfa {
  readonly start: number;
  private readonly table: StateTable<number[]>;
  private readonly tokens: PatternToken[];
  /** member[i][s]: whether token i's characters include symbol s. */
  private readonly member: boolean[][];
  /** nullableFrom[i]: tokens i.. can all match the empty string. */
  private readonly nullableFrom: boolean[];

  constructor(pattern: TagPattern, alphabet: readonly AlphabetSymbol[]) {
    this.tokens = pattern.tokens;
    this.table = new StateTable(alphabet.length);
    this.member = this.tokens.map((t) =>
      alphabet.map(({ representative: cp }) =>
        t.kind === 'globstar' ? true : t.kind === 'star' ? cp !== SLASH : t.ranges.some((r) => r.lo <= cp && cp <= r.hi),
      ),
    );
    const n = this.tokens.length;
    this.nullableFrom = new Array<boolean>(n + 1).fill(true);
    for (let i = n - 1; i >= 0; i--) this.nullableFrom[i] = this.nullableFrom[i + 1]! && skippable(this.tokens[i]!);
    this.start = this.intern([0]);
  }

  /** Intern the epsilon closure of `positions` (a `*`, `**` or `x?` may be skipped). */
  private intern(positions: number[]): number {
    const n = this.tokens.length;
    const closed = new Uint8Array(n + 1);
    for (let p of positions) {
      closed[p] = 1;
      while (p < n && skippable(this.tokens[p]!)) closed[++p] = 1;
    }
    const sorted: number[] = [];
    let mask = 0;
    for (let p = 0; p <= n; p++) {
      if (closed[p]) {
        sorted.push(p);
        mask |= 1 << p;
      }
    }
    // short patterns (the norm) get a numeric key; long ones a string
    return this.table.intern(n < 31 ? mask : sorted.join(','), sorted);
  }

  next(state: number, symbol: number): number {
    const known = this.table.cached(state, symbol);
    if (known !== undefined) return known;
    const targets: number[] = [];
    for (const i of this.table.values[state]!) {
      const token = this.tokens[i];
      if (token === undefined || !this.member[i]![symbol]) continue;
      if (token.kind !== 'chars') targets.push(i); // `*`, `**` loop
      else {
        targets.push(i + 1);
        if (token.quantifier === 'some') targets.push(i); // `+` may take more
      }
    }
    return this.table.remember(state, symbol, this.intern(targets));
  }

  accepts(state: number): boolean {
    return this.table.values[state]!.includes(this.tokens.length);
  }

  /** No continuation can match. */
  isDead(state: number): boolean {
    return this.table.values[state]!.length === 0;
  }

  /** Every continuation matches: a `**` is pending and all after it can be empty. */
  isUniversal(state: number): boolean {
    return this.table.values[state]!.some((i) => this.tokens[i]?.kind === 'globstar' && this.nullableFrom[i]!);
  }
}

function skippable(token: PatternToken): boolean {
  return token.kind !== 'chars' || token.quantifier === 'optional';
}

/** A filter's DFA: a state is the tuple of its patterns' states. */
export class FilterDfa {
  readonly start: number;
  private readonly table: StateTable<{ parts: number[]; accepts: boolean; dead: boolean }>;
  private readonly dfas: PatternDfa[];

  constructor(
    private readonly plan: FilterPlan,
    alphabet: readonly AlphabetSymbol[],
  ) {
    this.dfas = plan.patterns.map((p) => new PatternDfa(p, alphabet));
    this.table = new StateTable(alphabet.length);
    this.start = this.intern(this.dfas.map((d) => d.start));
  }

  private intern(parts: number[]): number {
    const { patterns, complement } = this.plan;
    const listed = orderedMatch(patterns, (k) => this.dfas[k]!.accepts(parts[k]!));
    const dead = complement ? this.listAlwaysMatches(parts) : this.listNeverMatches(parts);
    const key = parts.length === 1 ? parts[0]! : parts.join(',');
    return this.table.intern(key, { parts, accepts: listed !== complement, dead });
  }

  /** No continuation can make a positive pattern the last match. */
  private listNeverMatches(parts: number[]): boolean {
    const { patterns } = this.plan;
    return !patterns.some((p, k) => {
      if (p.negated || this.dfas[k]!.isDead(parts[k]!)) return false;
      // alive unless a later negation is bound to match whatever follows
      return !patterns.some((q, j) => j > k && q.negated && this.dfas[j]!.isUniversal(parts[j]!));
    });
  }

  /** Every continuation ends with a positive pattern as the last match. */
  private listAlwaysMatches(parts: number[]): boolean {
    const { patterns } = this.plan;
    return patterns.some((p, k) => {
      if (p.negated || !this.dfas[k]!.isUniversal(parts[k]!)) return false;
      return patterns.every((q, j) => j <= k || !q.negated || this.dfas[j]!.isDead(parts[j]!));
    });
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
