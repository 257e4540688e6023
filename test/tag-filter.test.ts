import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DECISION_BUDGET,
  decideTagOverlap,
  findTagOverlap,
  isValidGitTagName,
  literalPrefix,
  parseTagPattern,
  prefixesCompatible,
  TagFilterTooComplex,
  tagFilterMatches,
  WorkBudget,
  type TagFilter,
} from '../src/workflow/tag-filter.js';

const tags = (...patterns: string[]): TagFilter => ({ kind: 'patterns', patterns });
const ignore = (...patterns: string[]): TagFilter => ({ kind: 'ignore', patterns });
const ALL: TagFilter = { kind: 'all' };
const NONE: TagFilter = { kind: 'none' };

/** Overlap checked both ways round: the witness must not depend on the argument order. */
function overlap(a: TagFilter, b: TagFilter): string | null {
  const w = findTagOverlap(a, b);
  expect(findTagOverlap(b, a)).toBe(w);
  if (w !== null) {
    expect(isValidGitTagName(w)).toBe(true);
    expect(tagFilterMatches(a, w)).toBe(true);
    expect(tagFilterMatches(b, w)).toBe(true);
  }
  return w;
}

describe('findTagOverlap: examples', () => {
  it('tells per-package prefixes apart', () => {
    expect(overlap(tags('v*'), tags('hf-local-v*'))).toBeNull();
    expect(overlap(tags('open-ticket-ai-v*'), tags('open-ticket-ai-hf-local-v*'))).toBeNull();
  });

  it('names the shortest, most readable common tag', () => {
    expect(overlap(tags('open-ticket-ai-*'), tags('open-ticket-ai-v*'))).toBe('open-ticket-ai-v');
    expect(overlap(tags('v[0-9]+.[0-9]+.[0-9]+'), tags('v1.*'))).toBe('v1.0.0');
    expect(overlap(tags('v*'), tags('*'))).toBe('v');
  });

  it('applies `!` in order, and lets a later positive pattern re-include', () => {
    const noRc = tags('v*', '!v*-rc*');
    expect(overlap(noRc, tags('v*-rc*'))).toBeNull();
    expect(overlap(noRc, tags('v1-rc1'))).toBeNull();
    expect(overlap(noRc, tags('v1*'))).toBe('v1');
    const rc1Back = tags('v*', '!v*-rc*', 'v*-rc1');
    expect(overlap(rc1Back, tags('v*-rc*'))).toBe('v-rc1');
    // a negation only removes what comes before it
    expect(overlap(tags('!v*-rc*', 'v*'), tags('v1-rc1'))).toBe('v1-rc1');
    // a list of negations alone matches nothing
    expect(overlap(tags('!v*'), ALL)).toBeNull();
  });

  it('reads tags-ignore as the complement', () => {
    expect(overlap(ignore('v*'), tags('v1*'))).toBeNull();
    expect(overlap(ignore('v*'), tags('*'))).toBe('a');
    expect(overlap(ignore('v*'), tags('[uv]*'))).toBe('u');
    expect(overlap(ignore('v*', '!v1*'), tags('v[0-9]'))).toBe('v1');
    expect(overlap(ignore('**'), ALL)).toBeNull();
    expect(overlap(ignore(), tags('x'))).toBe('x');
  });

  it('handles all and none', () => {
    expect(overlap(ALL, tags('hf-v*'))).toBe('hf-v');
    expect(overlap(ALL, ALL)).toBe('a');
    expect(overlap(NONE, ALL)).toBeNull();
    expect(overlap(tags(), ALL)).toBeNull();
  });

  it('lets `**` cross `/` and keeps `*` within one component', () => {
    expect(overlap(tags('integrations/**'), tags('integrations/*-v*'))).toBe('integrations/-v');
    expect(overlap(tags('integrations/*'), tags('integrations/a/*'))).toBeNull();
    expect(overlap(tags('integrations/**'), tags('integrations/a/*'))).toBe('integrations/a/a');
    expect(overlap(tags('v*'), tags('v*/x'))).toBeNull();
    expect(overlap(tags('v**'), tags('v*/x'))).toBe('v/x');
  });

  it('reads `?` and `+` as quantifiers of the preceding character or class', () => {
    expect(overlap(tags('Octoc?t'), tags('Octot'))).toBe('Octot');
    expect(overlap(tags('Octoc?t'), tags('Octo*t'))).toBe('Octot');
    expect(overlap(tags('v1.0?'), tags('v1.*'))).toBe('v1.0'); // `v1.` itself is no valid tag
    expect(overlap(tags('v1+'), tags('v111'))).toBe('v111');
    expect(overlap(tags('v1+'), tags('v'))).toBeNull();
    expect(overlap(tags('v[0-9]+'), tags('v12*'))).toBe('v12');
    expect(overlap(tags('v[0-9]?x'), tags('v[a-z]x'))).toBeNull();
  });

  it('treats escaped characters literally', () => {
    expect(overlap(tags('v\\+1'), tags('v+*'))).toBe('v+1');
    expect(overlap(tags('v\\+1'), tags('v1'))).toBeNull();
    expect(overlap(tags('\\!v'), tags('*'))).toBe('!v');
    expect(overlap(tags('v\\*'), tags('v*'))).toBeNull(); // `*` cannot be in a tag
  });

  it('only names valid git tags', () => {
    expect(overlap(tags('foo.?.bar'), tags('foo..bar'))).toBeNull();
    expect(overlap(tags('foo.?.bar'), tags('foo*bar'))).toBe('foo.bar');
    expect(overlap(tags('v1.lock'), tags('v*'))).toBeNull();
    expect(overlap(tags('v1.lock*'), tags('v*'))).toBe('v1.locka');
    expect(overlap(tags('*.lock/x'), ALL)).toBeNull();
    expect(overlap(tags('a.lock.b'), ALL)).toBe('a.lock.b');
    expect(overlap(tags('@'), ALL)).toBeNull();
    expect(overlap(tags('@*'), tags('@{*', '@a'))).toBe('@a');
    expect(overlap(tags('v/'), ALL)).toBeNull();
    expect(overlap(tags('.v*'), ALL)).toBeNull();
    expect(overlap(tags('a/.b'), ALL)).toBeNull();
    expect(overlap(tags('a//b'), ALL)).toBeNull();
    expect(overlap(tags('/a'), ALL)).toBeNull();
    expect(overlap(tags('v*.'), tags('v1*'))).toBeNull();
    expect(overlap(tags('v 1', 'v~1', 'v^1', 'v:1'), ALL)).toBeNull();
    expect(overlap(tags('v[!-z]'), ALL)).toBe('va'); // a range that holds forbidden characters
  });

  it('supports non-ASCII characters', () => {
    expect(overlap(tags('é*'), tags('*1'))).toBe('é1');
  });

  it('ignores invalid patterns (they match nothing)', () => {
    expect(overlap(tags('[v'), ALL)).toBeNull();
    expect(overlap(tags('v*', '![v'), tags('v1'))).toBe('v1');
  });
});

describe('parseTagPattern', () => {
  it('reads negation, classes and escapes', () => {
    const p = parseTagPattern('!v[0-9a-c_]+\\*');
    expect('error' in p).toBe(false);
    if ('error' in p) return;
    expect(p.negated).toBe(true);
    expect(p.tokens).toEqual([
      { kind: 'chars', ranges: [{ lo: 0x76, hi: 0x76 }], quantifier: 'one' },
      {
        kind: 'chars',
        ranges: [
          { lo: 0x30, hi: 0x39 },
          { lo: 0x61, hi: 0x63 },
          { lo: 0x5f, hi: 0x5f },
        ],
        quantifier: 'some',
      },
      { kind: 'chars', ranges: [{ lo: 0x2a, hi: 0x2a }], quantifier: 'one' },
    ]);
  });

  it.each([
    ['', 1],
    ['!', 1],
    ['v[0-9', 2],
    ['?v', 1],
    ['v*+', 3],
    ['v1??', 4],
    ['v[]', 2],
    ['v[0-]', 4],
    ['v[9-0]', 3],
    ['v\\', 2],
  ])('rejects %j at column %i with a one-line reason', (source, column) => {
    const p = parseTagPattern(source);
    expect(p).toMatchObject({ column });
    if (!('error' in p)) return;
    expect(p.error).not.toContain('\n');
    expect(p.error.length).toBeGreaterThan(5);
  });
});

describe('tagFilterMatches', () => {
  it('matches single tags', () => {
    expect(tagFilterMatches(tags('v*'), 'v1.2.3')).toBe(true);
    expect(tagFilterMatches(tags('v*'), 'v1/2')).toBe(false);
    expect(tagFilterMatches(tags('v**'), 'v1/2')).toBe(true);
    expect(tagFilterMatches(tags('v*', '!v*-rc*'), 'v1-rc1')).toBe(false);
    expect(tagFilterMatches(tags('v*', '!v*-rc*', 'v*-rc1'), 'v1-rc1')).toBe(true);
    expect(tagFilterMatches(ignore('v*'), 'v1')).toBe(false);
    expect(tagFilterMatches(ignore('v*'), 'x1')).toBe(true);
    expect(tagFilterMatches(ALL, 'anything')).toBe(true);
    expect(tagFilterMatches(NONE, 'anything')).toBe(false);
    // `?` quantifies the preceding character (zero or one `c`), it is no single-character wildcard
    expect(tagFilterMatches(tags('Octoc?t'), 'Octoct')).toBe(true);
    expect(tagFilterMatches(tags('Octoc?t'), 'Octot')).toBe(true);
    expect(tagFilterMatches(tags('Octoc?t'), 'Octocat')).toBe(false);
    expect(tagFilterMatches(tags('Octoc?t'), 'Octocct')).toBe(false);
    expect(tagFilterMatches(tags('[CB]at'), 'Cat')).toBe(true);
    expect(tagFilterMatches(tags('[1-2]00'), '300')).toBe(false);
    expect(tagFilterMatches(tags('v.1'), 'vx1')).toBe(false); // `.` is literal, not a regex dot
  });
});

describe('literalPrefix', () => {
  it('is the mandatory literal start of every matched tag', () => {
    expect(literalPrefix(tags('open-ticket-ai-v*'))).toBe('open-ticket-ai-v');
    expect(literalPrefix(tags('v*', 'va*'))).toBe('v');
    expect(literalPrefix(tags('v1*', '!v1-rc*'))).toBe('v1');
    expect(literalPrefix(tags('v+x'))).toBe('v');
    expect(literalPrefix(tags('[v]1*'))).toBe('v1');
    expect(literalPrefix(tags('v?1'))).toBe('');
    expect(literalPrefix(tags('\\+v*'))).toBe('+v');
    expect(literalPrefix(ignore('v*'))).toBe('');
    expect(literalPrefix(ALL)).toBe('');
    expect(literalPrefix(NONE)).toBe('');
  });

  it('makes a check over 1000 workflows quick when callers bucket by prefix', () => {
    const filters: TagFilter[] = [];
    for (let i = 0; i < 1000; i++) filters.push(tags(`pkg-${i}-v[0-9]+.[0-9]+.[0-9]+`, `!pkg-${i}-v*-rc*`));
    filters.push(tags('pkg-*'), tags('pkg-7-v*'), ignore('pkg-*'));
    const started = performance.now();
    const entries = filters.map((filter, index) => ({ filter, index, prefix: literalPrefix(filter) }));
    entries.sort((x, y) => (x.prefix < y.prefix ? -1 : x.prefix > y.prefix ? 1 : 0));
    const found: string[] = [];
    let compared = 0;
    // sorted prefixes: every prefix extension of entries[i].prefix follows it contiguously
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length && entries[j]!.prefix.startsWith(entries[i]!.prefix); j++) {
        expect(prefixesCompatible(entries[i]!.prefix, entries[j]!.prefix)).toBe(true);
        compared++;
        const w = findTagOverlap(entries[i]!.filter, entries[j]!.filter);
        if (w !== null) found.push(w);
      }
    }
    const elapsed = performance.now() - started;
    expect(compared).toBeLessThan(5000);
    expect(found).toContain('pkg-7-v0.0.0');
    expect(found).toContain('pkg-7-v');
    // `pkg-*` meets each of the 1000, and `pkg-7-v*` meets `pkg-7-v[0-9]+…` once more
    expect(found.filter((w) => /^pkg-\d+-v0\.0\.0$/.test(w))).toHaveLength(1001);
    expect(found).toHaveLength(1002);
    expect(elapsed).toBeLessThan(5000); // ~0.7 s here; generous for slow CI
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: the automaton agrees with brute force over every short string.

/** An independent reading of the cheat sheet: a backtracking matcher on the raw pattern text. */
function globMatch(pattern: string, s: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(s);
  const at = (pi: number, si: number): boolean => {
    if (pi === p.length) return si === t.length;
    if (p[pi] === '*') {
      let k = pi;
      while (p[k] === '*') k++;
      const crossSlash = k - pi >= 2;
      for (let j = si; ; j++) {
        if (at(k, j)) return true;
        if (j === t.length || (!crossSlash && t[j] === '/')) return false;
      }
    }
    // one atom: a class, an escaped character or a plain character
    let test: (c: string) => boolean;
    let end: number;
    if (p[pi] === '[') {
      end = p.indexOf(']', pi + 2) + 1;
      const body = p.slice(pi + 1, end - 1);
      const ranges: [string, string][] = [];
      for (let i = 0; i < body.length; i++) {
        if (body[i + 1] === '-' && i + 2 < body.length) {
          ranges.push([body[i]!, body[i + 2]!]);
          i += 2;
        } else ranges.push([body[i]!, body[i]!]);
      }
      test = (c) => ranges.some(([lo, hi]) => lo <= c && c <= hi);
    } else if (p[pi] === '\\' && '[]?*+\\!'.includes(p[pi + 1] ?? 'none')) {
      const lit = p[pi + 1]!;
      test = (c) => c === lit;
      end = pi + 2;
    } else {
      const lit = p[pi]!;
      test = (c) => c === lit;
      end = pi + 1;
    }
    const q = p[end];
    if (q === '?') return (si < t.length && test(t[si]!) && at(end + 1, si + 1)) || at(end + 1, si);
    if (q === '+') {
      for (let j = si; j < t.length && test(t[j]!); j++) if (at(end + 1, j + 1)) return true;
      return false;
    }
    return si < t.length && test(t[si]!) && at(end, si + 1);
  };
  return at(0, 0);
}

/** Independent filter semantics: walk the list forward, each match sets the verdict. */
function filterMatchIndependent(filter: TagFilter, s: string): boolean {
  if (filter.kind === 'all') return true;
  if (filter.kind === 'none') return false;
  let verdict = false;
  for (const raw of filter.patterns) {
    const negated = raw.startsWith('!');
    if (globMatch(negated ? raw.slice(1) : raw, s)) verdict = !negated;
  }
  return filter.kind === 'ignore' ? !verdict : verdict;
}

/** Independent git check-ref-format rules for refs/tags/NAME. */
function gitTagValid(name: string): boolean {
  if (name === '' || name === '@') return false;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.endsWith('.')) return false;
  return name.split('/').every((c) => c !== '' && !c.startsWith('.') && !c.endsWith('.lock'));
}

// Patterns over a small alphabet; `x` stands for every character the patterns do not name.
const ALPHABET = ['a', 'b', '-', '.', '/', '+', '@', '{', 'x'];
const MAX_LEN = 5;
// Seeded and bounded so the suite stays fast; raise TAG_FILTER_RUNS / change TAG_FILTER_SEED to dig deeper.
const RUNS = Number(process.env.TAG_FILTER_RUNS ?? 300);
const SEED = Number(process.env.TAG_FILTER_SEED ?? 42);

const quantifiable = fc.constantFrom('a', 'b', '-', '.', '/', '@', '{', '\\+', '[ab]', '[a-b]', '[-a]', '[.b]', '[/a]');
const atom = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(quantifiable, fc.constantFrom('', '', '', '?', '+')).map(([a, q]) => a + q) },
  { weight: 2, arbitrary: fc.constantFrom('*', '**') },
);
const pattern = fc
  .tuple(fc.boolean(), fc.array(atom, { minLength: 1, maxLength: 4 }))
  .map(([neg, atoms]) => (neg ? '!' : '') + atoms.join(''));
const filterArb: fc.Arbitrary<TagFilter> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(ALL) },
  { weight: 1, arbitrary: fc.constant(NONE) },
  { weight: 6, arbitrary: fc.array(pattern, { minLength: 1, maxLength: 3 }).map((ps) => tags(...ps)) },
  { weight: 2, arbitrary: fc.array(pattern, { minLength: 1, maxLength: 2 }).map((ps) => ignore(...ps)) },
);

/** Every valid tag of length <= MAX_LEN over ALPHABET, shortest first. */
const SHORT_VALID_TAGS: string[] = (() => {
  const out: string[] = [];
  let level = [''];
  for (let len = 1; len <= MAX_LEN; len++) {
    const nextLevel: string[] = [];
    for (const prefix of level) for (const c of ALPHABET) nextLevel.push(prefix + c);
    for (const s of nextLevel) if (gitTagValid(s)) out.push(s);
    level = nextLevel;
  }
  return out;
})();

describe('findTagOverlap: properties', () => {
  it('generated patterns parse', () => {
    fc.assert(
      fc.property(pattern, (p) => !('error' in parseTagPattern(p))),
      { seed: 7, numRuns: 500 },
    );
  });

  it('the regex matcher agrees with an independent backtracking matcher', () => {
    const str = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 7 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(filterArb, fc.array(str, { minLength: 1, maxLength: 20 }), (filter, strings) => {
        for (const s of strings) expect(tagFilterMatches(filter, s)).toBe(filterMatchIndependent(filter, s));
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('the git tag automaton agrees with the check-ref-format rules', () => {
    const str = fc.array(fc.constantFrom(...ALPHABET, 'l', 'o', 'c', 'k', ' ', '~', '\\'), { maxLength: 9 });
    fc.assert(
      fc.property(str, (cs) => isValidGitTagName(cs.join('')) === gitTagValid(cs.join(''))),
      { seed: 13, numRuns: 3000 },
    );
  });

  it('finds the shortest common tag exactly as brute force does', () => {
    const outcomes = { shared: 0, disjoint: 0, longer: 0 };
    fc.assert(
      fc.property(filterArb, filterArb, (a, b) => {
        const brute = SHORT_VALID_TAGS.find((s) => tagFilterMatches(a, s) && tagFilterMatches(b, s));
        const w = findTagOverlap(a, b);
        outcomes[brute !== undefined ? 'shared' : w === null ? 'disjoint' : 'longer']++;
        if (brute !== undefined) {
          expect(filterMatchIndependent(a, brute) && filterMatchIndependent(b, brute)).toBe(true);
          expect(w).not.toBeNull();
          expect(Array.from(w!).length).toBe(Array.from(brute).length);
        } else if (w !== null) {
          expect(Array.from(w).length).toBeGreaterThan(MAX_LEN);
        }
        if (w !== null) {
          expect(gitTagValid(w)).toBe(true);
          expect(filterMatchIndependent(a, w)).toBe(true);
          expect(filterMatchIndependent(b, w)).toBe(true);
          expect(tagFilterMatches(a, w) && tagFilterMatches(b, w)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // the generator must exercise both answers, or the comparison proves little
    expect(outcomes.shared).toBeGreaterThan(RUNS / 10);
    expect(outcomes.disjoint).toBeGreaterThan(RUNS / 10);
  });
});

describe('work budgets: hostile patterns end in an answer or in undecided, never a hang', () => {
  it('an exponential DFA is undecided, naming the pattern that needed the most states', () => {
    const hard = `**a${'[ab]'.repeat(20)}`;
    const result = decideTagOverlap(tags(hard), tags('**c'), new WorkBudget(DECISION_BUDGET));
    expect(result).toEqual({ kind: 'undecided', hardest: { side: 'a', pattern: hard } });
    expect(decideTagOverlap(tags('**c'), tags(hard), new WorkBudget(DECISION_BUDGET))).toEqual({ kind: 'undecided', hardest: { side: 'b', pattern: hard } });
    expect(() => findTagOverlap(tags(hard), tags('**c'))).toThrow(TagFilterTooComplex);
    // the same shape, small, is decided exactly
    expect(decideTagOverlap(tags(`**a${'[ab]'.repeat(3)}`), tags('**c'), new WorkBudget(DECISION_BUDGET))).toEqual({ kind: 'disjoint' });
  });

  it('a decision spends from the budgets above it: a child stops when its parent is spent', () => {
    const parent = new WorkBudget(1000);
    parent.spend(990);
    const child = parent.child(DECISION_BUDGET);
    expect(() => child.spend(20)).toThrow(TagFilterTooComplex);
    expect(parent.exhausted).toBe(true);
    expect(child.exhausted).toBe(true);
    expect(decideTagOverlap(tags('v*'), tags('v1*'), new WorkBudget(10))).toMatchObject({ kind: 'undecided' });
  });

  it('matching one tag is linear in the tag (no backtracking on `*a*a*a…b`), within its budget', () => {
    const pattern = tags('*a*a*a*a*a*a*a*a*b');
    expect(tagFilterMatches(pattern, 'a'.repeat(20_000))).toBe(false);
    expect(tagFilterMatches(pattern, `${'a'.repeat(20_000)}b`)).toBe(true);
    expect(() => tagFilterMatches(pattern, 'a'.repeat(20_000), new WorkBudget(1000))).toThrow(TagFilterTooComplex);
  });
});
