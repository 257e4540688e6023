/**
 * Valid git tag names (git check-ref-format on refs/tags/NAME) as a small deterministic automaton,
 * so the overlap search can only ever name a tag that `git tag` could create.
 * Rules: no control characters, DEL, space, `~ ^ : ? * [ \`; no `..`; no `@{`; not `@` alone;
 * no component starting with `.` or ending with `.lock`; no leading `/`, `//`, trailing `/` or `.`.
 */

/** Characters that are never allowed in a ref name. */
export function isForbiddenRefChar(cp: number): boolean {
  return cp < 0x20 || cp === 0x7f || ' ~^:?*[\\'.includes(String.fromCodePoint(cp)) || (cp >= 0xd800 && cp <= 0xdfff);
}

/** Characters the automaton tells apart; every other allowed character behaves alike. */
export const GIT_SIGNIFICANT_CHARS = './@{lock';

/** Automaton state packed into a number; -1 is the dead state. */
export type GitState = number;
export const GIT_DEAD: GitState = -1;

// phase: 0 nothing read yet, 1 just after `/`, 2 inside a component
const PHASE = 0b11;
const LAST_DOT = 1 << 2;
const LAST_AT = 1 << 3;
const ONLY_AT = 1 << 4; // the whole name so far is `@`
const LOCK_SHIFT = 5; // how much of `.lock` ends the current component (0..5)

export const GIT_START: GitState = 0;

export function gitStep(state: GitState, cp: number): GitState {
  if (state === GIT_DEAD || isForbiddenRefChar(cp)) return GIT_DEAD;
  const phase = state & PHASE;
  const lock = state >> LOCK_SHIFT;
  const inComponent = 2;
  if (cp === 0x2f /* / */) {
    // no leading `/`, no `//`, no component ending with `.lock`
    if (phase !== inComponent || lock === 5) return GIT_DEAD;
    return 1;
  }
  if (cp === 0x2e /* . */) {
    // no component starting with `.`, no `..`
    if (phase !== inComponent || state & LAST_DOT) return GIT_DEAD;
    return inComponent | LAST_DOT | (1 << LOCK_SHIFT);
  }
  if (cp === 0x7b /* { */ && state & LAST_AT) return GIT_DEAD; // no `@{`
  let next = inComponent;
  if (cp === 0x40 /* @ */) next |= LAST_AT | (phase === 0 ? ONLY_AT : 0);
  const lockChar = 'lock'.codePointAt(lock - 1);
  if (lock >= 1 && lock <= 4 && cp === lockChar) next |= (lock + 1) << LOCK_SHIFT;
  return next;
}

export function gitAccepts(state: GitState): boolean {
  if (state === GIT_DEAD) return false;
  return (state & PHASE) === 2 && !(state & LAST_DOT) && !(state & ONLY_AT) && state >> LOCK_SHIFT !== 5;
}

/** Whether `name` is a valid git tag name (refs/tags/NAME passes git check-ref-format). */
export function isValidGitTagName(name: string): boolean {
  let state = GIT_START;
  for (const ch of name) {
    state = gitStep(state, ch.codePointAt(0)!);
    if (state === GIT_DEAD) return false;
  }
  return gitAccepts(state);
}
