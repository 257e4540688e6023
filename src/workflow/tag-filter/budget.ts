/**
 * Work limits for the tag automata. Tag patterns come from checkouts nobody has reviewed yet, and
 * regular languages can be made expensive on purpose: the DFA of `**a[ab][ab]…[ab]` doubles with
 * every `[ab]`, ordered `!` negations multiply their patterns' states, and 500 workflows give
 * 125 000 pairs to compare. Every step of the automata (a DFA position touched, a product state
 * visited, an alphabet interval filled) spends from a budget; when it runs out the decision is
 * abandoned with TagFilterTooComplex, which the caller turns into a finding instead of hanging.
 * Every state the automata keep cost at least one unit, so the budget bounds memory as well as time.
 */

/** Thrown when a decision needs more work than its budget allows. */
export class TagFilterTooComplex extends Error {
  constructor() {
    super('tag patterns too complex to decide within the work limit');
  }
}

/** A count of work units with a limit; a child budget also spends from its parent. */
export class WorkBudget {
  private used = 0;

  constructor(
    readonly limit: number,
    private readonly parent?: WorkBudget,
  ) {}

  /** Records `units` of work; throws TagFilterTooComplex past this budget's or a parent's limit. */
  spend(units: number): void {
    this.used += units;
    this.parent?.spend(units);
    if (this.used > this.limit) throw new TagFilterTooComplex();
  }

  get exhausted(): boolean {
    return this.used > this.limit || (this.parent?.exhausted ?? false);
  }

  /** A budget for one decision that also counts against this one. */
  child(limit: number): WorkBudget {
    return new WorkBudget(limit, this);
  }
}

/**
 * Work for one decision (an overlap of two filters, one tag against a filter). About 0.3 s on a
 * slow machine; a real repository's patterns need a few thousand units per pair.
 */
export const DECISION_BUDGET = 3_000_000;
