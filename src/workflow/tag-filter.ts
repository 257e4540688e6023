/**
 * GitHub `on.push.tags` / `tags-ignore` filters as regular languages: parse patterns, match a
 * tag, and decide exactly whether two filters share a valid git tag (workflow/tag-overlap).
 * The implementation lives in ./tag-filter/; this module is its public face.
 */
export type { TagFilter } from './tag-filter/types.js';
export {
  parseTagPattern,
  type CodeRange,
  type PatternToken,
  type TagPattern,
  type TagPatternError,
  isPatternError,
} from './tag-filter/pattern.js';
export { tagFilterMatches, literalPrefix, prefixesCompatible } from './tag-filter/filter.js';
export { decideTagOverlap, findTagOverlap, type TagOverlap } from './tag-filter/overlap.js';
export { DECISION_BUDGET, TagFilterTooComplex, WorkBudget } from './tag-filter/budget.js';
export { isValidGitTagName } from './tag-filter/git-ref.js';
